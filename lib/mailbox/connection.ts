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
	const timeout = server.timeoutMs && server.timeoutMs > 0 ? server.timeoutMs : DEFAULT_TIMEOUT_MS;
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

export function secretOf(auth: MailAuth): string {
	return auth.method === 'oauth2' ? auth.accessToken : auth.password;
}

/** Connects and logs in; any failure becomes a MailboxError with a message in words. */
export async function connectImap(server: MailServer, auth: MailAuth, limits?: ConnectionLimits): Promise<ImapFlow> {
	const client = new ImapFlow(imapOptions(server, auth, limits));
	// imapflow also emits socket errors as events; without a listener Node would crash the process.
	client.on('error', () => undefined);
	try {
		await client.connect();
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
): Promise<T> {
	const client = await connectImap(server, auth, limits);
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
