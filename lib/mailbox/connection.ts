import { ImapFlow, type ImapFlowOptions, type ListResponse } from 'imapflow';

import type { MailAuth, MailServer } from '../mail/server';
import { describeImapError, MailboxError } from './errors';

const DEFAULT_TIMEOUT_MS = 30000;

/** Bounds on what one connection accepts from the server, counted on the bytes as they arrive. */
export interface ConnectionLimits {
	/** The largest message body (one IMAP literal) accepted; a larger one fails the connection at once. */
	maxMessageBytes: number;
}

/**
 * Room for the rest of one FETCH answer around the message (envelope, flags) and for other long
 * answers (a SEARCH of a large folder), so that the message limit alone decides what is too large.
 */
const RESPONSE_HEADROOM_BYTES = 1024 * 1024;
const MIN_RESPONSE_BYTES = 8 * 1024 * 1024;

/** imapflow options for our server and login description. STARTTLS chosen means STARTTLS required. */
export function imapOptions(server: MailServer, auth: MailAuth, limits?: ConnectionLimits): ImapFlowOptions {
	const timeout = timeoutOf(server);
	return {
		host: server.host,
		port: server.port,
		secure: server.security === 'tls',
		doSTARTTLS: server.security === 'starttls' ? true : server.security === 'none' ? false : undefined,
		tls: { rejectUnauthorized: !server.allowSelfSigned },
		auth:
			auth.method === 'oauth2'
				? { user: auth.user, accessToken: auth.accessToken }
				: { user: auth.user, pass: auth.password },
		connectionTimeout: timeout,
		greetingTimeout: timeout,
		// Inactivity between commands is short (we never idle), but a slow server may take a while
		// to stream a large folder: allow more than the connect budget.
		socketTimeout: Math.max(timeout * 4, 60000),
		logger: false,
		disableAutoIdle: true,
		// Loopback and LAN servers gain nothing from DEFLATE, and it costs CPU per message.
		disableCompression: true,
		// imapflow checks these as bytes arrive (a literal at its size marker, before its bytes):
		// a server that announces 100 bytes and sends 300 MB is cut off at the limit.
		...(limits
			? {
					maxLiteralSize: limits.maxMessageBytes,
					maxResponseSize: Math.max(limits.maxMessageBytes + RESPONSE_HEADROOM_BYTES, MIN_RESPONSE_BYTES),
				}
			: {}),
	};
}

function timeoutOf(server: MailServer): number {
	return server.timeoutMs && server.timeoutMs > 0 ? server.timeoutMs : DEFAULT_TIMEOUT_MS;
}

export function secretOf(auth: MailAuth): string {
	return auth.method === 'oauth2' ? auth.accessToken : auth.password;
}

/**
 * Where a connect stands, read from imapflow's public fields: before the greeting (TCP, implicit
 * TLS, the greeting), logging in (CAPABILITY, STARTTLS, LOGIN/AUTHENTICATE), or setting up the
 * session once logged in (CAPABILITY, ENABLE, ID…). A PREAUTH greeting goes straight to `session`.
 */
type ConnectPhase = 'greeting' | 'login' | 'session';

function phaseOf(client: ImapFlow): ConnectPhase {
	if (client.authenticated) return 'session';
	return client.greeting === undefined ? 'greeting' : 'login';
}

/**
 * Full Timeouts a phase may take without moving on. imapflow times the TCP connect and the
 * greeting itself (CONNECT_TIMEOUT, GREETING_TIMEOUT, one Timeout each) and those errors name the
 * cause better, so before the greeting the guard only backs them up.
 */
const FULL_TICKS: Record<ConnectPhase, number> = { greeting: 3, login: 1, session: 1 };

const PHASE_WORDS: Record<ConnectPhase, string> = {
	greeting: 'connecting',
	login: 'logging in',
	session: 'setting up the session after the login',
};

/** `waitedMs`: how long the connect ran before the cut (whole Timeouts, see guardedConnect). */
function connectCutError(cut: 'timeout' | 'aborted', phase: ConnectPhase, server: MailServer, waitedMs = 0): MailboxError {
	const where = `${server.host}:${server.port}`;
	if (cut === 'aborted') {
		return new MailboxError('aborted', `Cancelled while ${PHASE_WORDS[phase]} (${where}); the connection was closed.`);
	}
	const seconds = Math.round(timeoutOf(server) / 1000);
	return new MailboxError(
		'timeout',
		`${where} did not finish ${PHASE_WORDS[phase]}: the server stopped answering while ${PHASE_WORDS[phase]}, so the connection was closed after ` +
			`${Math.round(waitedMs / 1000)} s (the Timeout option, ${seconds} s, starts afresh at each step that moves on). ` +
			'Try again later; if it keeps happening, the mail server (or its login service) is overloaded or stuck.',
	);
}

/**
 * Runs imapflow's connect() (TCP, greeting, STARTTLS, login and the commands after it) under a
 * timer and the caller's signal. imapflow's socketTimeout only measures silence, so a server that
 * answers LOGIN with an untagged line now and then would hold connect() forever. A phase that
 * moves on is seen at the next tick and gets FULL_TICKS whole Timeouts from there: login and session
 * 1 to 2 Timeouts (they start within one), the greeting exactly 3 (it starts with the timer), the
 * whole connect at most 5. Either cut closes the client and rejects with a MailboxError (`timeout`,
 * `aborted`). The timer and the listener are removed however connect() ends, so nothing keeps the
 * process alive.
 */
async function guardedConnect(client: ImapFlow, server: MailServer, signal: AbortSignal | undefined): Promise<void> {
	const timeoutMs = timeoutOf(server);
	let timer: NodeJS.Timeout | undefined;
	let stop: (cut: 'timeout' | 'aborted') => void = () => undefined;
	// Timeouts run so far: the timer fires only after whole ones, so this is the time waited.
	let ticks = 0;
	const cutOff = new Promise<never>((_, reject) => {
		stop = (cut) => {
			reject(connectCutError(cut, phaseOf(client), server, ticks * timeoutMs));
			client.close();
		};
	});
	cutOff.catch(() => undefined);
	let phase = phaseOf(client);
	let fullTicks = 0;
	const tick = () => {
		ticks++;
		const now = phaseOf(client);
		if (now !== phase) {
			// Reached during the last Timeout: the new phase has not had a whole one yet.
			phase = now;
			fullTicks = 0;
		} else if (++fullTicks >= FULL_TICKS[now]) {
			stop('timeout');
			return;
		}
		timer = setTimeout(tick, timeoutMs);
	};
	const onAbort = () => stop('aborted');
	try {
		if (signal?.aborted) throw connectCutError('aborted', phase, server);
		signal?.addEventListener('abort', onAbort, { once: true });
		timer = setTimeout(tick, timeoutMs);
		const connecting = client.connect();
		// After a cut imapflow rejects connect() as well; that second rejection is not news.
		connecting.catch(() => undefined);
		await Promise.race([connecting, cutOff]);
	} finally {
		clearTimeout(timer);
		signal?.removeEventListener('abort', onAbort);
	}
}

/**
 * Connects and logs in; any failure becomes a MailboxError with a message in words. The whole of
 * it is bounded by the server's timeout (see guardedConnect) and stops when `signal` fires.
 */
export async function connectImap(server: MailServer, auth: MailAuth, limits?: ConnectionLimits, signal?: AbortSignal): Promise<ImapFlow> {
	const client = new ImapFlow(imapOptions(server, auth, limits));
	// imapflow also emits socket errors as events; without a listener Node would crash the process.
	client.on('error', () => undefined);
	try {
		await guardedConnect(client, server, signal);
		return client;
	} catch (err) {
		client.close();
		throw describeImapError(err, server, auth.user, [secretOf(auth)]);
	}
}

/** Logs out politely, or drops the socket when the server no longer answers. Never throws. */
export async function closeImap(client: ImapFlow): Promise<void> {
	if (!client.usable) {
		client.close();
		return;
	}
	try {
		await Promise.race([
			client.logout(),
			new Promise((_, reject) => setTimeout(() => reject(new Error('logout timed out')), 5000).unref()),
		]);
	} catch {
		client.close();
	}
}

/**
 * Runs `fn` on a logged-in connection and always closes it afterwards, whatever happens.
 * Errors from `fn` are described in words as well (a MailboxError passes through unchanged).
 */
export async function withImap<T>(
	server: MailServer,
	auth: MailAuth,
	fn: (client: ImapFlow) => Promise<T>,
	limits?: ConnectionLimits,
	/** Stops connecting and logging in (a MailboxError of kind `aborted`); `fn` watches it itself, if at all. */
	signal?: AbortSignal,
): Promise<T> {
	const client = await connectImap(server, auth, limits, signal);
	try {
		return await fn(client);
	} catch (err) {
		throw inWords(err, server, auth);
	} finally {
		await closeImap(client);
	}
}

/** IMAP-level errors described in words; the caller's own errors (and MailboxErrors) unchanged. */
function inWords(err: unknown, server: MailServer, auth: MailAuth): unknown {
	if (err instanceof MailboxError || !isImapLevelError(err)) return err;
	return describeImapError(err, server, auth.user, [secretOf(auth)]);
}

/** Errors raised by imapflow or the socket, as opposed to errors thrown by the caller's own code. */
function isImapLevelError(err: unknown): boolean {
	if (!err || typeof err !== 'object') return false;
	const e = err as { code?: unknown; responseText?: unknown; responseStatus?: unknown };
	return typeof e.code === 'string' || typeof e.responseText === 'string' || typeof e.responseStatus === 'string';
}

/** All folders of the mailbox, by path. */
export async function listFolders(client: ImapFlow): Promise<ListResponse[]> {
	return await client.list();
}

/** Finds a folder by path; INBOX is matched case-insensitively as IMAP requires. */
export function findFolder(folders: ListResponse[], path: string): ListResponse | undefined {
	if (path.toUpperCase() === 'INBOX') return folders.find((f) => f.path.toUpperCase() === 'INBOX');
	return folders.find((f) => f.path === path);
}

/** Whether two paths name one folder: "inbox" is INBOX (RFC 3501 §5.1), other names are exact. */
export function sameFolder(a: string, b: string): boolean {
	return a === b || (a.toUpperCase() === 'INBOX' && b.toUpperCase() === 'INBOX');
}

export function folderMissingError(path: string, folders: ListResponse[], purpose: string): MailboxError {
	const names = folders.map((f) => f.path);
	const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? `, … (${names.length} in all)` : '');
	return new MailboxError(
		'folderMissing',
		`The ${purpose} "${path}" does not exist in this mailbox. Existing folders: ${shown || '(none)'}. ` +
			`Check the spelling and the separator (some servers use "." instead of "/", Gmail uses "[Gmail]/...").`,
	);
}
