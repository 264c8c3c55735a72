import { redactSecrets } from '../mail/redact';
import type { MailServer } from '../mail/server';
import { boundedReply } from '../mail/smtp-error';

/** Part of a refused password login's message; an OAuth2 sign-in takes it off (lib/mail/oauth2.ts), as there is no password. */
export const IMAP_PASSWORD_HINT = ' (wrong password? Gmail, GMX, iCloud and others need an app password; Microsoft 365 needs OAuth2)';

/** What went wrong, in categories a merchant can act on. */
export type MailboxErrorKind =
	| 'hostNotFound'
	| 'connectionRefused'
	| 'timeout'
	| 'noGreeting'
	| 'tls'
	| 'certificate'
	| 'starttlsMissing'
	| 'auth'
	| 'folderMissing'
	| 'connectionLost'
	| 'invalidOptions'
	| 'server'
	/** The caller's signal fired (a cancelled execution, a poll's time budget): no fault of the mailbox. */
	| 'aborted';

/** An IMAP failure with a message that names the likely cause in words. Never carries secrets. */
export class MailboxError extends Error {
	readonly kind: MailboxErrorKind;

	constructor(kind: MailboxErrorKind, message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'MailboxError';
		this.kind = kind;
	}
}

/** The error fields imapflow and Node's socket/TLS layers attach; all optional. */
interface LowLevelError {
	code?: unknown;
	message?: unknown;
	authenticationFailed?: unknown;
	tlsFailed?: unknown;
	responseText?: unknown;
	serverResponseCode?: unknown;
	/** imapflow (ImapFlowError.reason): the text of the server's BYE, when a BYE closed the connection. */
	reason?: unknown;
	_err?: unknown;
	cause?: unknown;
}

const CERTIFICATE_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_GET_ISSUER_CERT',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function field(err: unknown, name: keyof LowLevelError): unknown {
	return err && typeof err === 'object' ? (err as LowLevelError)[name] : undefined;
}

/** Codes of the error and the errors it wraps (imapflow keeps the socket error in `_err`/`cause`). */
function codesOf(err: unknown): string[] {
	const codes: string[] = [];
	let current: unknown = err;
	for (let depth = 0; current && depth < 4; depth++) {
		const code = field(current, 'code');
		if (typeof code === 'string') codes.push(code);
		current = field(current, '_err') ?? field(current, 'cause');
	}
	return codes;
}

/** imapflow's codes for an answer that broke a size limit it was given (the connection is gone then). */
const SIZE_LIMIT_CODES = new Set(['LiteralTooLarge', 'ResponseTooLarge', 'LineTooLarge', 'TooManyTokens']);

/** True when the connection failed because the server sent more than the connection's limits allow. */
export function isSizeLimitError(err: unknown): boolean {
	return codesOf(err).some((c) => SIZE_LIMIT_CODES.has(c));
}

function messageOf(err: unknown): string {
	const m = field(err, 'message');
	return typeof m === 'string' ? m : String(err);
}

/**
 * Removes a secret the server or a library may have echoed into a message, in every form it takes
 * on the wire: plain (also inside an IMAP literal), IMAP-quoted with `"` and `\` escaped, and the
 * base64 of AUTHENTICATE PLAIN, XOAUTH2 and OAUTHBEARER (lib/mail/redact.ts, shared with SMTP).
 */
export function redact(text: string, secrets: Array<string | undefined>): string {
	return redactSecrets(text, secrets);
}

/** Longest BYE text kept in a message: a real one is a few words, a broken server's may be anything. */
const MAX_BYE_CHARS = 500;

const PORT_HINT = 'IMAP uses port 993 with SSL/TLS and port 143 with STARTTLS';

/**
 * What a MailboxError keeps of the error it describes, as its `cause`: class, codes, flags and
 * texts, for debugging, with every secret taken out of the texts (message and stack included).
 * imapflow's error holds the server's answer whole (`response`, `responseText`), and a server that
 * echoes the LOGIN line puts the password there; the raw error would carry it into any log or
 * output that prints the cause. Nested errors (`_err`, `cause`) get the same; other objects
 * (parsed answers, parser context) are left out, as they may hold the server's words unredacted.
 */
function redactedCause(err: unknown, secrets: Array<string | undefined>, depth = 0): unknown {
	if (typeof err === 'string') return redact(err, secrets);
	if (!err || typeof err !== 'object' || depth > 3) return undefined;
	const source = err as Record<string, unknown>;
	const copy = Object.assign(new Error(redact(messageOf(err), secrets)), {} as Record<string, unknown>);
	if (typeof source.name === 'string') copy.name = source.name;
	copy.stack = typeof source.stack === 'string' ? redact(source.stack, secrets) : `${copy.name}: ${copy.message}`;
	for (const [key, value] of Object.entries(source)) {
		if (key === 'message' || key === 'stack' || key === 'name' || key === '_err' || key === 'cause') continue;
		if (typeof value === 'string') copy[key] = redact(value, secrets);
		else if (typeof value === 'number' || typeof value === 'boolean') copy[key] = value;
	}
	// `cause` given to an Error's constructor is not enumerable: looked for by name.
	for (const key of ['_err', 'cause'] as const) {
		if (source[key] !== undefined) copy[key] = redactedCause(source[key], secrets, depth + 1);
	}
	return copy;
}

/** Codes with which imapflow reports a connection that closed: with a BYE first, `reason` holds the server's words. */
const CLOSED_CODES = ['NoConnection', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS'];

/**
 * Turns any connection, TLS, login or server error into a MailboxError whose message says what
 * is wrong in words (host not found, refused, timed out, TLS, login) and what to check.
 * `secrets` (password, token) are removed from anything the server echoed.
 */
export function describeImapError(err: unknown, server: MailServer, user?: string, secrets: Array<string | undefined> = []): MailboxError {
	if (err instanceof MailboxError) return err;
	const where = `${server.host}:${server.port}`;
	const codes = codesOf(err);
	const has = (...c: string[]) => codes.some((x) => c.includes(x));
	const detail = redact(messageOf(err), secrets);
	const seconds = Math.round((server.timeoutMs ?? 30000) / 1000);
	const cause = redactedCause(err, secrets);

	// RFC 3501 §6.2.3: LOGINDISABLED forbids LOGIN on this connection; imapflow then sends nothing
	// and reports a failed authentication, which is no wrong password.
	if (messageOf(err) === 'Login is disabled') {
		return new MailboxError(
			'tls',
			`${where} refuses logins on an unencrypted connection (it announces LOGINDISABLED): choose STARTTLS (port 143) or SSL/TLS (port 993) as Security in the credential. The password was not sent.`,
			{ cause },
		);
	}
	// imapflow offers an access token only over AUTH=XOAUTH2 / OAUTHBEARER; without either it sends
	// nothing. The IMAP host is then not the provider's (a password-only server behind the credential).
	if (messageOf(err) === 'Unsupported authentication mechanism') {
		return new MailboxError(
			'invalidOptions',
			`${where} offers no OAuth2 sign-in (its capabilities name neither AUTH=XOAUTH2 nor AUTH=OAUTHBEARER): enter your provider's IMAP host in the credential (Microsoft 365: outlook.office365.com, Google: imap.gmail.com), or use an IMAP credential with a password for this server. The access token was not sent.`,
			{ cause },
		);
	}
	if (field(err, 'authenticationFailed') === true || field(err, 'serverResponseCode') === 'AUTHENTICATIONFAILED') {
		const said = field(err, 'responseText');
		return new MailboxError(
			'auth',
			`Authentication failed for user "${user ?? ''}" on ${where}${IMAP_PASSWORD_HINT}.` +
				(typeof said === 'string' && said ? ` The server said: ${redact(said, secrets)}` : ''),
			{ cause },
		);
	}
	if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) {
		return new MailboxError('hostNotFound', `Host not found: "${server.host}" does not resolve (typo in the host name, or no DNS?).`, {
			cause,
		});
	}
	if (has('ECONNREFUSED')) {
		return new MailboxError(
			'connectionRefused',
			`Connection refused by ${where}: nothing accepts IMAP connections on that port (wrong port or host? ${PORT_HINT}).`,
			{ cause },
		);
	}
	if (has('ETIMEDOUT', 'CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH')) {
		return new MailboxError(
			'timeout',
			`Connection to ${where} timed out (port blocked by a firewall, or wrong host? ${PORT_HINT}).`,
			{ cause },
		);
	}
	if (has('GREETING_TIMEOUT')) {
		return new MailboxError(
			'noGreeting',
			`${where} accepted the connection but sent no IMAP greeting within ${seconds} s (wrong security for this port? ${PORT_HINT}).`,
			{ cause },
		);
	}
	// RFC 9051 §7.1.5: the server ended the session with BYE ("Too many connections from your IP",
	// a greeting that refuses the client, a shutdown). Its words say why; on port 993 the close
	// after the handshake is no TLS fault, though imapflow's code for it names TLS.
	const bye = field(err, 'reason');
	if (typeof bye === 'string' && bye.trim() !== '' && has(...CLOSED_CODES)) {
		return new MailboxError('connectionLost', `${where} closed the connection; the server said: ${boundedReply(redact(bye.trim(), secrets), MAX_BYE_CHARS)}`, {
			cause,
		});
	}
	if (codes.some((c) => CERTIFICATE_CODES.has(c))) {
		return new MailboxError(
			'certificate',
			`The TLS certificate of ${where} is not trusted (${detail}). If this is your own server with a self-signed certificate, turn on "Allow Self-Signed Certificates".`,
			{ cause },
		);
	}
	if (/does not support STARTTLS|STARTTLS is not possible/i.test(detail)) {
		return new MailboxError(
			'starttlsMissing',
			`${where} does not offer STARTTLS, so the password would travel unencrypted; the connection was not made (choose SSL/TLS with port 993, or check the port).`,
			{ cause },
		);
	}
	if (
		field(err, 'tlsFailed') === true ||
		has('EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'UPGRADE_TIMEOUT', 'ClosedAfterConnectTLS') ||
		codes.some((c) => c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_'))
	) {
		return new MailboxError(
			'tls',
			`TLS handshake with ${where} failed (wrong security for this port? ${PORT_HINT}): ${detail}`,
			{ cause },
		);
	}
	if (has('ETIMEOUT')) {
		return new MailboxError('timeout', `${where} stopped answering (no data for too long); the connection was closed.`, { cause });
	}
	if (has('NoConnection', 'EConnectionClosed', 'ECONNRESET', 'EPIPE', 'ClosedAfterConnectText', 'StateLogout')) {
		return new MailboxError('connectionLost', `The connection to ${where} was closed unexpectedly (${detail}).`, { cause });
	}
	// imapflow's message for a NO/BAD is always "Command failed": the server's own words say why.
	const said = field(err, 'responseText');
	const code = field(err, 'serverResponseCode');
	const words = typeof said === 'string' && said.trim() !== '' ? `${typeof code === 'string' && code ? `[${code}] ` : ''}${redact(said.trim(), secrets)}` : detail;
	return new MailboxError('server', `IMAP error from ${where}: ${words}`, { cause });
}

/**
 * imapflow's search() answers false when the server refused the search (NO/BAD): that is an error,
 * not an empty folder, or a refused read would look like "nothing new" and a move like "already gone".
 */
export function searchedUids(found: number[] | false | undefined, folder: string): number[] {
	if (found === false) throw new MailboxError('server', `The server refused to search the folder "${folder}"; nothing was read or moved. Try again later, or check the folder on the server.`);
	return found ?? [];
}
