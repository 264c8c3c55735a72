/**
 * Turns what an SMTP client reports into what the run should do and what a person should read.
 *
 *   2xx                              → sent
 *   5xx for the recipient or message → that item `failed`, the run goes on
 *   4xx                              → retry with backoff, then `deferred`
 *   authentication, TLS, DNS, refused/timed-out connection, sender refused
 *                                    → the whole run stops: every further item would fail the same way
 *   connection lost mid-run          → re-establish once and resume
 */
import { cut } from '../bounce/text-bounds';

export type FailureKind =
	/** 5xx for this recipient or this message: permanent for this item only. */
	| 'rejected'
	/** 4xx: try again later. */
	| 'temporary'
	| 'auth'
	/** A 4xx answer to AUTH (RFC 4954's 454 "temporary authentication failure"): the login could not be checked now. */
	| 'authUnavailable'
	| 'tls'
	| 'dns'
	/** Could not open the connection (refused, timed out, unreachable). */
	| 'connect'
	/** An open connection broke or the server closed it (421). */
	| 'connectionLost'
	/** The server refused our sender address: a mailbox setting, every item would fail. */
	| 'sender'
	/** Anything else the client reports (protocol errors, local faults). */
	| 'other';

/**
 * Longest server reply text kept in a failure or a delivery. A real reply is a line or two; the
 * client takes up to 1 MB, and a hostile or broken server's reply would otherwise fill the item
 * output (and every workflow that stores it).
 */
export const MAX_REPLY_CHARS = 2000;

/** A wait in words: "30 s", or "0.3 s" below a second. */
export function secondsText(ms: number): string {
	return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 100) / 10} s`;
}

/** `text` cut to `max` characters, marked with "…" when cut (redact.ts recognises a secret cut short before it). */
export function boundedReply(text: string, max = MAX_REPLY_CHARS): string {
	return text.length > max ? `${cut(text, max)}…` : text;
}

export interface SmtpFailure {
	kind: FailureKind;
	/** The basic reply code (550, 451 …) when the server sent one. */
	code: number | null;
	/** The server's reply text when there was one. */
	response: string | null;
	/** What happened, in words, naming the likely cause. Never contains secrets. */
	message: string;
	/**
	 * The command the server's reply answered, for a refusal of the message (kinds `rejected`,
	 * `temporary`, `sender`): whom a refusal is about depends on it ("user unknown" proves a dead
	 * address only as the answer to RCPT TO). Absent when the reply answered no envelope command.
	 */
	command?: SmtpCommand;
	/**
	 * When the server refused every address of the message at RCPT TO: its answer for each one
	 * (the fields above hold one of them). Whom the refusal is about differs per address.
	 */
	refusals?: RecipientRefusal[];
	/**
	 * For a refusal we made ourselves, without a reply from the server: its RFC 3463 status
	 * (5.6.7, an address beyond ASCII on a server without SMTPUTF8, RFC 6533).
	 */
	status?: string;
	/**
	 * With `status` 5.6.7 when only the customer's addresses need SMTPUTF8: which ones, and the
	 * server that lacks it. The reminder can still reach the customer's other addresses, in a
	 * message that does not name these (send-run.ts).
	 */
	missingSmtpUtf8?: MissingSmtpUtf8;
}

/** A server that does not offer SMTPUTF8 (RFC 6531), and the addresses beyond ASCII it therefore cannot take. */
export interface MissingSmtpUtf8 {
	/** "host:port", as the messages name the server. */
	server: string;
	addresses: string[];
}

export interface RecipientRefusal {
	recipient: string;
	code: number | null;
	response: string | null;
}

/** One entry per refused address, from the errors nodemailer lists (`rejectedErrors`). */
export function recipientRefusals(errors: ReadonlyArray<SmtpClientError & { recipient?: string }>): RecipientRefusal[] {
	return errors.map((r) => ({
		recipient: r.recipient ?? '',
		code: typeof r.responseCode === 'number' ? r.responseCode : null,
		response: typeof r.response === 'string' && r.response ? oneLine(r.response) : r.message ? oneLine(r.message) : null,
	}));
}

/** The envelope and data commands of RFC 5321 §3.3, as nodemailer names them in its errors. */
export type SmtpCommand = 'MAIL FROM' | 'RCPT TO' | 'DATA';

function envelopeCommand(command: string): { command?: SmtpCommand } {
	return command === 'MAIL FROM' || command === 'RCPT TO' || command === 'DATA' ? { command } : {};
}

/** Kinds that make every later message fail as well: the run stops. */
export function stopsRun(kind: FailureKind): boolean {
	return kind === 'auth' || kind === 'authUnavailable' || kind === 'tls' || kind === 'dns' || kind === 'connect' || kind === 'sender';
}

/** The shape of errors nodemailer's SMTP client produces. */
export interface SmtpClientError {
	message?: string;
	code?: string;
	originalCode?: string;
	responseCode?: number;
	response?: string;
	command?: string;
	reason?: string;
	/**
	 * Which of nodemailer's timers fired, with code ETIMEDOUT: CONNECT_TIMEOUT, GREETING_TIMEOUT,
	 * UPGRADE_TIMEOUT (the TLS handshake after STARTTLS) or SOCKET_TIMEOUT (silence).
	 */
	timeoutType?: string;
	/** Set when every recipient was refused: each refusal, with the address it was for. */
	rejectedErrors?: Array<SmtpClientError & { recipient?: string }>;
}

export interface Endpoint {
	host: string;
	port: number;
	user?: string;
	/** The wait that ran out, for a timeout's message ("no greeting within 30 s"); default 30 s. */
	timeoutMs?: number;
}

const TLS_CODES = /^(ERR_SSL_|ERR_TLS_|EPROTO$|ECONNRESET_TLS)/;
const CERT_CODES =
	/^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE|HOSTNAME_MISMATCH)$/;

/** Appended to a refused password login; an OAuth2 sign-in takes it off (oauth2.ts), as there is no password. */
export const SMTP_PASSWORD_HINT = ' — wrong password? Gmail, Yahoo and iCloud need an app password; Microsoft 365 needs OAuth2 sign-in';

export function classifySmtpError(error: unknown, at: Endpoint): SmtpFailure {
	const e = (error ?? {}) as SmtpClientError;
	const code = typeof e.responseCode === 'number' && e.responseCode >= 200 ? e.responseCode : null;
	const response = typeof e.response === 'string' && e.response ? oneLine(e.response) : null;
	const detail = oneLine(stripResponse(e.message ?? String(error), e.response));
	const where = `${at.host}:${at.port}`;
	const sys = e.originalCode ?? '';
	const command = e.command ?? '';
	const seconds = secondsText(at.timeoutMs ?? 30_000);

	// The server took the connection and then said nothing: no firewall, as it accepted; SMTP on
	// port 465 waits for the client's TLS handshake, so STARTTLS or None there look exactly like this.
	if (e.timeoutType === 'GREETING_TIMEOUT' || /Greeting never received/i.test(detail)) {
		return {
			kind: 'connect',
			code: null,
			response: null,
			message: `The server at ${where} accepted the connection but sent no greeting within ${seconds} — a port that expects SSL/TLS from the first byte (usually 465) is silent like this when Security is STARTTLS or None; otherwise the server is overloaded or is no mail server`,
		};
	}
	// Only a server that answered 220 to our STARTTLS gets a handshake: it speaks TLS on this port,
	// so the security setting fits and the handshake stalled on its side or on the way. An outage
	// (the mailbox is not paused), not a setting.
	if (e.timeoutType === 'UPGRADE_TIMEOUT' || (command === 'CONN' && /TLS handshake timed out/i.test(detail))) {
		return {
			kind: 'connectionLost',
			code: null,
			response: null,
			message: `The server at ${where} accepted STARTTLS but did not finish the TLS handshake within ${seconds} — a fault on the server's side or on the way to it; the next run tries again`,
		};
	}

	// A greeting other than 220 (nodemailer: "Invalid greeting", command CONN). RFC 5321 §3.1: 554
	// there means "no SMTP service here" for us, permanently: this machine's IP address is blocked,
	// or the port is no submission port. Not a lost connection, and no password was sent; the run
	// stops without pausing the mailbox (as a refused connection). 421 is the server's "not now".
	if (command === 'CONN' && code !== null && code >= 400 && /^Invalid greeting/i.test(detail)) {
		return code >= 500
			? {
					kind: 'connect',
					code,
					response,
					message: `${where} refused the connection in its greeting (${response ?? detail}) — check Host and Port (587 or 465), or ask the provider whether this machine's IP address is blocked`,
				}
			: { kind: 'connectionLost', code, response, message: `${where} is not accepting connections now (${response ?? detail}) — try again later` };
	}
	// "530 5.7.0 Must issue a STARTTLS command first" (Gmail, Postfix's smtpd_tls_auth_only): the
	// security setting, not the password.
	if (code === 530 && /starttls/i.test(response ?? '')) {
		return {
			kind: 'tls',
			code,
			response,
			message: `The server at ${where} wants an encrypted connection first (${response}) — choose STARTTLS for port 587 or 25, SSL/TLS for port 465`,
		};
	}
	if (e.code === 'EAUTH' || /^AUTH/.test(command) || code === 535 || code === 534 || code === 530) {
		// Not a refused login (RFC 4954 §6: 454 is a temporary failure): the run stops, the mailbox
		// is not paused, the next run tries again.
		if (code !== null && code >= 400 && code < 500) {
			return { kind: 'authUnavailable', code, response, message: `The server could not check the login right now (${response}) — the next run tries again` };
		}
		return {
			kind: 'auth',
			code,
			response,
			message:
				`Authentication failed for user "${at.user ?? ''}" at ${where}${response ? ` (${response})` : detail ? ` (${detail})` : ''}` +
				SMTP_PASSWORD_HINT,
		};
	}
	if (e.code === 'EDNS' || sys === 'ENOTFOUND' || sys === 'EAI_AGAIN' || /ENOTFOUND|EAI_AGAIN/.test(detail)) {
		return { kind: 'dns', code: null, response: null, message: `Host not found: "${at.host}" does not resolve — check the SMTP server name` };
	}
	if (CERT_CODES.test(sys) || /certificate|self[- ]signed/i.test(detail)) {
		return {
			kind: 'tls',
			code,
			response,
			message:
				`The certificate of ${where} is not trusted (${detail}) — if this is your own server with a self-signed ` +
				'certificate, turn on "Allow Self-Signed Certificates"; otherwise check the host name',
		};
	}
	// The server closed the connection before the handshake finished (a restart, a connection limit):
	// Node's words contain "TLS", but a port that speaks no TLS answers "wrong version number" instead.
	// Lost, not a setting: the mailbox is not paused for it.
	if (/socket disconnected before secure TLS connection was established/i.test(detail)) {
		return {
			kind: 'connectionLost',
			code,
			response,
			message: `${where} closed the connection during the TLS handshake (${detail}) — if this repeats on every run, check Security: port 465 uses SSL/TLS, 587 and 25 use STARTTLS`,
		};
	}
	if (e.code === 'ETLS' || TLS_CODES.test(sys) || /wrong version number|handshake|ssl|tls/i.test(detail)) {
		const notOffered = command === 'STARTTLS' && code !== null;
		return {
			kind: 'tls',
			code,
			response,
			message: notOffered
				? `The server at ${where} does not support STARTTLS (${response}) — choose SSL/TLS if the port is 465, or ask your provider for the right port`
				: `TLS handshake with ${where} failed (${detail}) — wrong security for this port? Port 465 uses SSL/TLS, 587 and 25 use STARTTLS`,
		};
	}
	if (command === 'CONN' || e.code === 'ECONNECTION' || e.code === 'ESOCKET' || e.code === 'ETIMEDOUT') {
		if (sys === 'ECONNREFUSED' || /ECONNREFUSED/.test(detail)) {
			return { kind: 'connect', code: null, response: null, message: `Connection to ${where} refused — wrong port, or the server is not running there (port blocked?)` };
		}
		if (e.code === 'ETIMEDOUT' || sys === 'ETIMEDOUT' || /timed? ?out/i.test(detail)) {
			return {
				kind: 'connect',
				code: null,
				response: null,
				message: `Connection to ${where} timed out — the port may be blocked by a firewall or the provider (port blocked?), or the security setting does not match the port`,
			};
		}
		if (sys === 'EHOSTUNREACH' || sys === 'ENETUNREACH') {
			return { kind: 'connect', code: null, response: null, message: `${where} is unreachable from this machine (${sys}) — check the host and the network` };
		}
		return {
			kind: 'connectionLost',
			code,
			response,
			message: `The connection to ${where} was lost${response ? ` (${response})` : detail ? ` (${detail})` : ''}`,
		};
	}
	if (code !== null && command === 'MAIL FROM' && code >= 500 && code !== 552) {
		return {
			kind: 'sender',
			code,
			response,
			...envelopeCommand(command),
			message: `The server refused the sender address (${response}) — the From address in the SMTP credential must belong to this mailbox`,
		};
	}
	if (code !== null && code >= 500) {
		const refusals = Array.isArray(e.rejectedErrors) && e.rejectedErrors.length > 1 ? { refusals: recipientRefusals(e.rejectedErrors) } : {};
		return { kind: 'rejected', code, response, ...envelopeCommand(command), ...refusals, message: `Rejected by the server: ${response}` };
	}
	if (code !== null && code >= 400) {
		return { kind: 'temporary', code, response, ...envelopeCommand(command), message: `Temporarily refused by the server: ${response}` };
	}
	return { kind: 'other', code, response, message: detail || 'Unknown SMTP error' };
}

/**
 * Joins a multi-line reply into one line, at most MAX_REPLY_CHARS long. Split, not one replace:
 * `\s*` before a line break rescans every run of spaces. A long text is cut before it is split,
 * so that a reply of a megabyte costs no more than one of a few kilobytes.
 */
function oneLine(text: string): string {
	// A head that was cut keeps its "…" through the joining, so the result is marked either way.
	const joined = boundedReply(text, 2 * MAX_REPLY_CHARS)
		.split(/[\r\n]+/)
		.map((line) => line.trim())
		.filter(Boolean)
		.join(' ');
	return boundedReply(joined);
}

/** nodemailer appends ": <response>" to its messages; keep the two apart. */
function stripResponse(message: string, response?: string): string {
	return response && message.endsWith(`: ${response}`) ? message.slice(0, -(response.length + 2)) : message;
}
