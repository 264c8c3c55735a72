/**
 * One SMTP connection, opened and authenticated once, then used for many messages. This is the
 * real implementation of the transport the sending loop (send-run.ts) drives.
 */
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { classifyRefusalAtSend } from '../bounce/refusal-at-send';
import { accountRefusal, accountRefusalAtSend } from './account-refusal';
import type { SenderProblem } from '../bounce/sender-advice';
import { isPlainAscii, isValidAddress } from './address';
import type { OutgoingMessage } from './message';
import { redactFields, redactSecrets } from './redact';
import type { MailAuth, MailServer } from './server';
import { boundedReply, classifySmtpError, MAX_REPLY_CHARS, secondsText, type Endpoint, type SmtpClientError, type SmtpFailure } from './smtp-error';
import { endMessageData } from './smtp-data';
import { asciiAddress } from './mime';
import { smtpClientOptions } from './smtp-options';
import { SmtpTranscript } from './smtp-transcript';

export interface SmtpReply {
	code: number;
	response: string;
	/**
	 * The customer's addresses the server refused while still accepting the message for others
	 * (the BCC copy is not among them), each with the server's reply to its RCPT TO.
	 */
	refusals: Array<{ recipient: string; response: string }>;
}

/** nodemailer names the refused address on each of `rejectedErrors`; its type declarations do not. */
type RecipientError = SMTPConnection.SMTPError & { recipient?: string };

/**
 * The refusal that decides what happens to a message all of whose customer addresses were
 * refused, as nodemailer picks it without a BCC: a temporary one (the message is tried again),
 * else the last. As a plain object: spreading an Error leaves out its message.
 */
function telling(refusals: RecipientError[]): SmtpClientError {
	const r = refusals.find((x) => typeof x.responseCode === 'number' && x.responseCode < 500) ?? refusals[refusals.length - 1];
	return { code: r.code, responseCode: r.responseCode, response: r.response, command: r.command ?? 'RCPT TO', message: r.message };
}

/** A send that did not end in 2xx. */
export class SmtpSendError extends Error {
	constructor(
		readonly failure: SmtpFailure,
		/**
		 * True when the whole message, end-of-data marker included, had been handed to the
		 * connection before it broke: the server may have accepted it without our hearing the 250.
		 */
		readonly outcomeUnknown: boolean,
	) {
		super(failure.message);
		this.name = 'SmtpSendError';
	}
}

/**
 * The execution was cancelled while the message was in flight, or while connecting and logging in
 * (`message` says so); the connection was dropped. `outcomeUnknown` as for SmtpSendError: true once
 * the whole message had been handed over.
 */
export class SmtpCancelledError extends Error {
	constructor(
		readonly outcomeUnknown: boolean,
		message?: string,
	) {
		super(
			message ??
				(outcomeUnknown
					? 'The execution was cancelled after the whole message was transmitted, before the server confirmed it'
					: 'The execution was cancelled before the message was complete; the server discards an incomplete message'),
		);
		this.name = 'SmtpCancelledError';
	}
}

/** Opening the connection or logging in failed. */
export class SmtpConnectError extends Error {
	constructor(readonly failure: SmtpFailure) {
		super(failure.message);
		this.name = 'SmtpConnectError';
	}
}

/**
 * What a send needs. `recipients` are the customer's addresses among the envelope's (the rest is
 * the BCC copy); without it, the first envelope address is the customer.
 */
export type SessionMessage = Pick<OutgoingMessage, 'envelope' | 'raw'> & Partial<Pick<OutgoingMessage, 'recipients' | 'replyTo'>>;

export interface SmtpSession {
	/**
	 * Sends one message. `whileWaiting` runs once the whole message is on its way, while the
	 * server's reply is awaited: room for the caller's CPU work that does not hold up the connection.
	 * Always settles, within the reply timeout, whatever the server does; `signal` drops the
	 * connection and rejects with SmtpCancelledError.
	 */
	send(message: SessionMessage, whileWaiting?: () => void, signal?: AbortSignal): Promise<SmtpReply>;
	/** False once the connection broke or was closed. */
	readonly open: boolean;
	close(): void;
}

/**
 * Opens authenticated sessions. Each call is one connection and at most one login attempt.
 * `signal` cancels connecting and logging in: the connection is dropped and the call rejects
 * with SmtpCancelledError.
 */
export interface SmtpConnector {
	connect(signal?: AbortSignal): Promise<SmtpSession>;
}

export interface SmtpConnectorOptions {
	/** Name sent with EHLO; defaults to the machine's host name. */
	clientName?: string;
	/**
	 * How long a reply may take once the connection is open (milliseconds). A message the server
	 * took in whole but did not confirm in this time (plus time to upload it) is `outcomeUnknown`.
	 * Default: the server's timeout, at least 60 s (content scanning can make the reply to the
	 * data slow).
	 */
	replyTimeoutMs?: number;
}

/** The customer's envelope addresses in lower case: `recipients`, or without it the first envelope address. */
function customerAddresses(message: SessionMessage): Set<string> {
	return new Set((message.recipients ?? message.envelope.to.slice(0, 1)).map((a) => a.toLowerCase()));
}

/**
 * RFC 6531 §3.2: an address with letters beyond ASCII (before the @; domains go as A-labels) may
 * only be sent with SMTPUTF8, and the message naming it in its headers too. nodemailer sends it
 * without when the server does not offer the extension, and a server that takes it may mangle the
 * address. Refused here instead, with the status such a server answers (RFC 6533: 5.6.7). The
 * sender or the BCC copy's address fails every message: that stops the run as our sender would.
 * Customer addresses are named in `missingSmtpUtf8`: the caller may send the reminder again
 * without them, to the customer's other addresses (which message that is, is not ours to build).
 */
function refusedWithoutSmtpUtf8(message: SessionMessage, endpoint: Endpoint): SmtpFailure | null {
	const beyondAscii = (a: string) => !isPlainAscii(a);
	// The Reply-To is ours too: in a header it needs SMTPUTF8 as much as in the envelope.
	const replyTo = message.replyTo ? [message.replyTo] : [];
	if (![message.envelope.from, ...replyTo, ...message.envelope.to].some(beyondAscii)) return null;
	const customers = customerAddresses(message);
	const ours = [message.envelope.from, ...replyTo, ...message.envelope.to.filter((a) => !customers.has(a.toLowerCase()))].filter(beyondAscii);
	const server = `${endpoint.host}:${endpoint.port}`;
	const named = (ours.length > 0 ? ours : message.envelope.to.filter(beyondAscii)).join(', ');
	const lacking = `${server} does not offer SMTPUTF8, which ${named} needs (letters beyond ASCII before the @); nothing was sent`;
	if (ours.length > 0) {
		return { kind: 'sender', code: null, response: null, command: 'MAIL FROM', status: '5.6.7', message: `${lacking}. Give the mailbox's sender, reply-to and copy addresses in ASCII, or send through a server that offers SMTPUTF8` };
	}
	return {
		kind: 'rejected',
		code: null,
		response: null,
		command: 'RCPT TO',
		status: '5.6.7',
		message: `${lacking}. Send this reminder on paper, or from a mailbox whose server offers SMTPUTF8`,
		missingSmtpUtf8: { server, addresses: message.envelope.to.filter(beyondAscii) },
	};
}

/**
 * A Reply-To beyond ASCII on a server that offers SMTPUTF8, with an envelope all in ASCII:
 * nodemailer declares SMTPUTF8 only for an envelope address beyond ASCII, and a message with a UTF-8
 * header must declare it (RFC 6531 §3.2). Our own setting, so it stops the run as our sender would.
 */
function replyToNeedsSmtpUtf8(message: SessionMessage, endpoint: Endpoint): SmtpFailure | null {
	if (!message.replyTo || isPlainAscii(message.replyTo) || ![message.envelope.from, ...message.envelope.to].every((a) => isPlainAscii(a))) return null;
	return {
		kind: 'sender',
		code: null,
		response: null,
		command: 'MAIL FROM',
		status: '5.6.7',
		message: `The Reply-To address ${message.replyTo} has letters beyond ASCII before the @; a message naming it must be sent with SMTPUTF8, which is declared only when an envelope address needs it, so nothing was sent to ${endpoint.host}:${endpoint.port}. Give the mailbox's Reply-To in ASCII`,
	};
}

/** A server whose answer to EHLO offers no AUTH (RFC 4954 §3): no login was tried, nothing secret sent. */
function noLoginOffered(endpoint: Endpoint, startTls: boolean): SmtpFailure {
	const where = `${endpoint.host}:${endpoint.port}`;
	return startTls
		? {
				kind: 'tls',
				code: null,
				response: null,
				message: `${where} offers no login on an unencrypted connection (it offers STARTTLS): choose STARTTLS (port 587) or SSL/TLS (port 465) as Security in the credential. The password was not sent`,
			}
		: {
				kind: 'auth',
				code: null,
				response: null,
				message: `${where} offers no login (no AUTH in its answer to EHLO): if it takes mail without one, leave User and Password empty; otherwise check Host, Port and Security. The password was not sent`,
			};
}

/** Slowest upload we allow for before giving up on the reply to the data: 10 kB/s. */
export const MIN_UPLOAD_BYTES_PER_MS = 10;
/** How long QUIT may take before the connection is simply dropped. */
const QUIT_GRACE_MS = 2_000;
const CANCELLED_WHILE_CONNECTING = 'The execution was cancelled while connecting to the mail server and logging in; nothing was sent';

/** Everything that could be echoed back as a secret: the password or the token. */
function secretsOf(auth: MailAuth | undefined): string[] {
	if (!auth) return [];
	return [auth.method === 'oauth2' ? auth.accessToken : auth.password];
}

export function smtpConnector(server: MailServer, auth: MailAuth | undefined, options: SmtpConnectorOptions = {}): SmtpConnector {
	return { connect: (signal) => openSmtpSession(server, auth, options, signal) };
}

/**
 * The whole of connecting and logging in may take this many server timeouts. nodemailer's own
 * timers already hold connecting, the greeting and a STARTTLS handshake together to one timeout
 * (its connectionTimeout counts from the start, and they keep their more telling messages); the
 * second is for EHLO and AUTH (and the credential test's sender check), a few round trips that a
 * working server answers within a second.
 * Without it a server that keeps sending (endless "250-" lines, a reply trickling in byte by
 * byte) is never silent long enough for the socket timeout, and holds the run for ever.
 */
const SETUP_TIMEOUTS = 2;

/** What the setup was doing, in the server's words: the credential test's sender check goes on past AUTH. */
type SetupStep = 'EHLO' | 'STARTTLS' | 'AUTH' | 'MAIL FROM' | 'RCPT TO' | 'RSET';

/** A server that kept the setup from finishing in time: an outage (the run stops, the mailbox is not paused). */
function stoppedAnsweringWhileLoggingIn(endpoint: Endpoint, step: SetupStep, ms: number): SmtpFailure {
	return {
		kind: 'connectionLost',
		code: null,
		response: null,
		message: `The server at ${endpoint.host}:${endpoint.port} stopped answering while ${step === 'EHLO' || step === 'STARTTLS' || step === 'AUTH' ? 'logging in' : 'asked about the sender'} (${step}): no complete answer within ${secondsText(ms)}, so the connection was dropped — the next run tries again`,
	};
}

/**
 * RFC 5321 §4.2.1: every line of one reply carries the same code. "250-ok" then "550 rejected"
 * is no answer at all: neither the 250 (sent) nor the 550 (refused) can be believed.
 */
function replyCodes(reply: string): string[] {
	const codes = new Set<string>();
	for (const line of reply.split(/\r?\n/)) if (line) codes.add(line.slice(0, 3));
	return [...codes];
}

/** How long a session waits for each reply: the option, else the server's timeout, at least 60 s. */
export function replyTimeoutOf(server: Pick<MailServer, 'timeoutMs'>, options: Pick<SmtpConnectorOptions, 'replyTimeoutMs'>): number {
	return options.replyTimeoutMs ?? Math.max(server.timeoutMs ?? 30_000, 60_000);
}

/**
 * The commands of a message whose replies come before any of its data: nodemailer acts on each
 * by its first digit (a "250-" first line accepts the recipient, a "354-" one starts the upload).
 */
const BEFORE_THE_DATA = /^(MAIL FROM|RCPT TO|DATA)(?::|$)/i;

/**
 * The server's words with every form of the secrets taken out, before anything cuts them to
 * MAX_REPLY_CHARS: redact.ts recognises a secret cut short before "…" only when at least a few
 * of its characters remain, so a cut made first can leave the first ones of the password in the
 * item. Cut here only to a few times MAX_REPLY_CHARS ("…" marks it, which redact.ts reads), as
 * redacting a reply of a megabyte takes a third of a second.
 */
function redactedHead(text: string, secrets: string[]): string {
	return redactSecrets(boundedReply(text, 4 * MAX_REPLY_CHARS), secrets);
}

/** A server reply as it goes into the item output: trimmed, without secrets, then cut to MAX_REPLY_CHARS. */
function replyForOutput(text: string, secrets: string[]): string {
	return boundedReply(redactedHead(text.trim(), secrets));
}

/** The customer's addresses the server refused while taking the message, with its reply to each. */
function refusalReplies(refusals: RecipientError[], secrets: string[]): SmtpReply['refusals'] {
	return refusals.map((r) => ({
		recipient: r.recipient ?? '',
		response: replyForOutput(String(r.response ?? r.message), secrets),
	}));
}

/**
 * The client's error with the secrets taken out of the server's words (redactedHead) before
 * classifySmtpError joins and cuts them to MAX_REPLY_CHARS. Not replyForOutput: the message ends
 * with the response, and classifySmtpError takes it off there only while neither was cut, which
 * at MAX_REPLY_CHARS a long reply would be. A plain object: spreading an Error leaves out its message.
 */
function withoutSecrets(error: unknown, secrets: string[]): unknown {
	if (secrets.length === 0 || typeof error !== 'object' || error === null) return error;
	const e = error as SmtpClientError;
	const clean = (text: string | undefined) => (typeof text === 'string' ? redactedHead(text, secrets) : text);
	return {
		...e,
		message: clean(e.message),
		response: clean(e.response),
		...(Array.isArray(e.rejectedErrors) ? { rejectedErrors: e.rejectedErrors.map((r) => ({ ...r, message: clean(r.message), response: clean(r.response) })) } : {}),
	};
}

/** nodemailer's name for our XOAUTH2 login (see xoauth2Once); on the wire it is AUTH XOAUTH2. */
const XOAUTH2_ONCE = 'XOAUTH2-ONCE';

/**
 * The XOAUTH2 initial client response as Google and Microsoft specify it:
 * base64("user=" user ^A "auth=Bearer " token ^A ^A).
 */
export function xoauth2InitialResponse(user: string, accessToken: string): string {
	return Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64');
}

/**
 * XOAUTH2 with exactly one AUTH command. nodemailer's built-in XOAUTH2 login answers a refused
 * token by asking for a new one and sending AUTH again on the same connection: a second failed
 * login, which providers count towards locking the mailbox. Whether to refresh and sign in again
 * is the OAuth2 flow's decision (lib/mail/oauth2.ts), taken at most once per run.
 */
function xoauth2Once(user: string, accessToken: string): SMTPConnection.CustomAuthenticationHandlers[string] {
	const initialResponse = xoauth2InitialResponse(user, accessToken);
	return async ({ sendCommand }) => {
		const reply = await sendCommand(`AUTH XOAUTH2 ${initialResponse}`);
		if (reply.status === 235) return;
		// A refused token gets a 334 challenge carrying the error details (RFC 7628); the empty
		// answer ends the exchange, and the server's final reply (535) goes into the error.
		if (reply.status === 334) await sendCommand('');
		throw new Error('Invalid login');
	};
}

/** nodemailer's name for the credential test's sender check (see askAboutSender); never sent as AUTH. */
const SENDER_CHECK = 'DUNNING-SENDER-CHECK';

/** The server's answer to one envelope command of the sender check. */
interface EnvelopeAnswer {
	command: 'MAIL FROM' | 'RCPT TO';
	code: number;
	response: string;
}

/**
 * The sender check had its answer, a 4xx, when the connection ended: nodemailer closes it right
 * after handing a 421 ("… closing connection") to the check, and that close reaches the setup
 * before the check returns. The answer, not the close, is what the server said (senderVerdict).
 */
class SenderCheckEnded extends Error {
	constructor(
		readonly answers: EnvelopeAnswer[],
		readonly classify: (error: unknown) => SmtpFailure,
	) {
		super('The connection ended after the server put off answering about the sender');
		this.name = 'SenderCheckEnded';
	}
}

/**
 * Asks the server about `sender` without sending anything: MAIL FROM, then RCPT TO the same
 * address (Postfix answers its sender restrictions, reject_sender_login_mismatch among them, only
 * at RCPT TO by default: smtpd_delay_reject=yes), then RSET; never DATA. nodemailer has no public
 * command for this; its documented custom authentication hands a handler `sendCommand`, so the
 * check runs as a second login() with this method after the real one (nothing is sent as AUTH).
 * `at` says which command awaits its answer (for a timeout's message), `answered` keeps each answer.
 */
function askAboutSender(sender: string, at: (step: SetupStep) => void, answered: (answer: EnvelopeAnswer) => void): SMTPConnection.CustomAuthenticationHandlers[string] {
	const ask = async (sendCommand: SMTPConnection.CustomAuthenticationContext['sendCommand'], command: 'MAIL FROM' | 'RCPT TO', line: string) => {
		at(command);
		const reply = await sendCommand(line);
		// Not reply.status: nodemailer reads it only from a reply of one line ("553 …"); a reply of
		// several ("553-…") gets status 0. One of mixed codes is no answer (RFC 5321 §4.2.1): 0 too.
		const codes = replyCodes(reply.response);
		const answer = { command, code: codes.length === 1 ? Number(codes[0]) || 0 : 0, response: reply.response };
		answered(answer);
		return answer.code >= 200 && answer.code < 300;
	};
	return async ({ sendCommand }) => {
		// RFC 6531 §3.4: an address beyond ASCII before the @ goes with SMTPUTF8, as a send's does
		// (asked only of a server that offers it: openSession).
		if (!(await ask(sendCommand, 'MAIL FROM', `MAIL FROM:<${sender}>${isPlainAscii(sender) ? '' : ' SMTPUTF8'}`))) return;
		await ask(sendCommand, 'RCPT TO', `RCPT TO:<${sender}>`);
		// Ends the transaction the MAIL FROM opened (RFC 5321 §4.1.1.5).
		at('RSET');
		await sendCommand('RSET');
	};
}

/**
 * Whether a refusal of RCPT TO:<sender> is about the sender, read with Classify Bounce's rules
 * (refusal-at-send.ts): the bounce vocabulary's `rejected` (the sender address refused: Postfix's
 * "Sender address rejected: not owned by user", "… Domain not found"), an X.1.7 or X.1.8 status
 * (RFC 3463: the sender's address), or Send-As denied (account-refusal.ts). Other refusals (the
 * address unknown as a mailbox here) say nothing about whether this login may send from it.
 */
function refusesSender(problem: SenderProblem): boolean {
	if (problem.reason === 'rejected' || problem.status === '5.1.7' || problem.status === '5.1.8') return true;
	return accountRefusal(problem)?.cause === 'sendAs';
}

/** An answer of the sender check as Classify Bounce reads a refusal at send (refusal-at-send.ts), read once. */
function problemOf(answer: EnvelopeAnswer): SenderProblem {
	const { reason, status } = classifyRefusalAtSend({ code: answer.code, response: answer.response, command: answer.command });
	return { reason, status, diagnostic: answer.response };
}

/**
 * A refusal, while no login is configured, that asks for one: RFC 4954 §6's "530 5.7.0
 * Authentication required" (Postfix, Sendmail, Gmail), Microsoft 365's "5.7.57 Client not
 * authenticated to send mail", or those words. About the missing login, not the sender: any
 * address would be refused alike. A 5.7.0 about the sender ("Sender address rejected") stays one.
 */
function asksForLogin(answer: EnvelopeAnswer, problem: SenderProblem): boolean {
	if (answer.code === 530 || /authentication (is )?required|not authenticated/i.test(answer.response)) return true;
	const status = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(answer.response)?.[1];
	return status === '5.7.57' || (status === '5.7.0' && !refusesSender(problem));
}

/** The end of the credential test's OK: where a sender the server did not refuse is finally checked. */
const CHECKED_WHEN_SENT = 'Some servers, Microsoft 365 among them, check the sender only when a mail goes out: the Mailbox check workflow sends one.';

/**
 * What the answers to the sender check mean: a refusal of the sender (a 5xx to MAIL FROM, or one
 * about the sender to RCPT TO) is a `sender` failure; anything else passes, a 4xx with the
 * server's words noted. `classify` redacts and bounds the words as for any refusal.
 */
function senderVerdict(
	sender: string,
	user: string | undefined,
	answers: EnvelopeAnswer[],
	classify: (error: unknown) => SmtpFailure,
	endpoint: Endpoint,
): { failure: SmtpFailure | null; senderNote: string } {
	for (const answer of answers) {
		if (answer.code >= 200 && answer.code < 300) continue;
		const said = classify({ code: 'EENVELOPE', responseCode: answer.code, response: answer.response, command: answer.command, message: 'Envelope command failed' });
		const words = said.response ?? `${answer.code}`;
		// A login left out, as noLoginOffered's kind: not the Sender Address's fault.
		const problem = problemOf(answer);
		if (!user && answer.code >= 500 && asksForLogin(answer, problem)) {
			const message = `The server at ${endpoint.host}:${endpoint.port} requires a login to send mail (${answer.command}: ${words}), and none is configured: enter User and Password. Nothing was sent`;
			return { failure: { kind: 'auth', code: said.code, response: said.response, command: answer.command, message }, senderNote: '' };
		}
		if (answer.code >= 500 && (answer.command === 'MAIL FROM' || refusesSender(problem))) {
			const fix = user
				? "Use a Sender Address this login may send from (usually the login's own address), or have the mail provider allow this one"
				: 'Use a Sender Address the server takes without a login, or enter User and Password';
			const message = `The server refuses ${sender} as Sender Address ${user ? `for user ${user}` : 'without a login'}: ${words}. Nothing was sent. ${fix}`;
			return { failure: { kind: 'sender', code: said.code, response: said.response, command: answer.command, message }, senderNote: '' };
		}
		// What would stop the first sending run at RCPT TO as well (accountRefusalAtSend): our own
		// server relaying denied for this login refuses every customer's address the same way.
		// A refusal of RCPT TO:<sender> that a sending run would stop on as our own server's (relaying denied).
		const atSend = answer.code >= 500 && answer.command === 'RCPT TO' ? accountRefusalAtSend(problem, answer.command) : null;
		if (atSend) {
			const message = `The server refuses to send for ${user ? `user ${user}` : 'this connection without a login'} (${atSend.because}): ${words}. Nothing was sent; every reminder would be refused the same way. Fix: ${atSend.fix}`;
			return { failure: { kind: 'sender', code: said.code, response: said.response, command: answer.command, message }, senderNote: '' };
		}
		if (answer.code >= 400 && answer.code < 500) {
			return { failure: null, senderNote: `The server put off answering whether it takes ${sender} as Sender Address (${words}). ${CHECKED_WHEN_SENT}` };
		}
	}
	return { failure: null, senderNote: `The server did not refuse ${sender} as Sender Address when asked (MAIL FROM and RCPT TO, nothing sent). ${CHECKED_WHEN_SENT}` };
}

/**
 * How far the message got on its way to the server:
 * - `waiting`: not started (nodemailer pipes it only once the server accepted the envelope);
 * - `writing`: given to the connection's data stream, whose last bytes, the end-of-data marker,
 *   have not yet been handed to the socket (piping waits for a full socket to drain): a break now
 *   leaves the server an incomplete message, which it discards;
 * - `written`: the marker was handed to the socket: from here the server may have the whole
 *   message even if we never hear its reply (also when the socket then failed to pass on its last
 *   buffer: counted as may-have-arrived, the safe direction).
 */
type Upload = 'waiting' | 'writing' | 'written';

/**
 * The message as nodemailer takes it: a stream, so we learn how far the message got (see Upload).
 * Piping hands the bytes over in one write, skipping the flowing-mode machinery of a generic
 * Readable (about 50 µs per message in bench/send.ts), and past the per-byte escaping when they
 * need none (smtp-data.ts).
 */
class MessageBody extends Readable {
	upload: Upload = 'waiting';

	constructor(
		private readonly raw: Buffer,
		private readonly whileWaiting?: () => void,
		private readonly onQueued?: () => void,
	) {
		super();
	}

	override _read(): void {
		this.push(this.raw);
		this.push(null);
	}

	/**
	 * Whether nodemailer began the upload: the server accepted the envelope and answered DATA.
	 * Not whether the message may have arrived (mayHaveArrived says that).
	 */
	get started(): boolean {
		return this.upload !== 'waiting';
	}

	/**
	 * False only while it is certain that the end-of-data marker has not left for the socket: a
	 * connection dropped then (connection.close() unpipes the data first) leaves the server an
	 * incomplete message. Every judgement whether a failed send is `outcomeUnknown` rests on this.
	 * The 'end' that sets `written` follows the marker's write within the same turn (next tick),
	 * and nodemailer hands us replies only from socket events and setImmediate, which come later.
	 */
	get mayHaveArrived(): boolean {
		return this.upload === 'written';
	}

	override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
		this.upload = 'writing';
		// nodemailer pipes the data stream into its socket: the stream ends once its last bytes,
		// the marker, were handed to the socket (a full socket holds them back until it drains).
		if (options?.end !== false) destination.once('end', () => (this.upload = 'written'));
		if (options?.end === false) destination.write(this.raw);
		else endMessageData(destination, this.raw);
		this.onQueued?.();
		// Runs after the writes above have gone to the socket, while the server reads the message.
		if (this.whileWaiting) setImmediate(this.whileWaiting);
		return destination;
	}
}

/**
 * Opens one connection and logs in: within SETUP_TIMEOUTS server timeouts, whatever the server
 * does, else it rejects with a `connectionLost` SmtpConnectError. `signal` drops the connection and
 * rejects with SmtpCancelledError.
 */
export async function openSmtpSession(
	server: MailServer,
	auth: MailAuth | undefined,
	options: SmtpConnectorOptions = {},
	signal?: AbortSignal,
): Promise<SmtpSession> {
	return (await openSession(server, auth, options, signal, null)).session;
}

/**
 * openSmtpSession, and with `askAbout` (the credential test) the server's answers about that
 * sender address after the login, within the same setup deadline (askAboutSender).
 */
async function openSession(
	server: MailServer,
	auth: MailAuth | undefined,
	options: SmtpConnectorOptions,
	signal: AbortSignal | undefined,
	askAbout: string | null,
): Promise<{ session: SmtpSession; answers: EnvelopeAnswer[]; classify: (error: unknown) => SmtpFailure; offersSmtpUtf8: boolean }> {
	const clientOptions = smtpClientOptions(server, options.clientName);
	const endpoint: Endpoint = { host: server.host, port: server.port, user: auth?.user, timeoutMs: clientOptions.connectionTimeout };
	const secrets = secretsOf(auth);
	const classify = (error: unknown, at: Endpoint = endpoint): SmtpFailure => {
		const failure = redactFields(classifySmtpError(withoutSecrets(error, secrets), at), secrets);
		return failure.refusals ? { ...failure, refusals: failure.refusals.map((r) => redactFields(r, secrets)) } : failure;
	};
	const replyTimeoutMs = replyTimeoutOf(server, options);
	if (signal?.aborted) throw new SmtpCancelledError(false, CANCELLED_WHILE_CONNECTING);
	const transcript = new SmtpTranscript();
	const answers: EnvelopeAnswer[] = [];
	let setupStep: SetupStep = 'EHLO';
	const customAuth: SMTPConnection.CustomAuthenticationHandlers = {
		...(auth?.method === 'oauth2' ? { [XOAUTH2_ONCE]: xoauth2Once(auth.user, auth.accessToken) } : {}),
		...(askAbout !== null
			? {
					[SENDER_CHECK]: askAboutSender(
						askAbout,
						(at) => (setupStep = at),
						(answer) => answers.push(answer),
					),
				}
			: {}),
	};
	const connection = new SMTPConnection({
		...clientOptions,
		socketTimeout: replyTimeoutMs,
		// Our own logger, which only keeps the transaction log for this connection (smtp-transcript.ts).
		logger: transcript as unknown as Exclude<SMTPConnection.Options['logger'], boolean | undefined>,
		transactionLog: true,
		...(Object.keys(customAuth).length > 0 ? { customAuth } : {}),
	});
	let open = false;
	// While connecting, a failure arrives as an 'error' event, not through connect()'s callback.
	let failSetup: ((error: unknown) => void) | null = null;
	// While a message is in flight: the connection broke or ended. nodemailer does not always call
	// back then (an RSET written into a closing connection never is), so every wait listens here.
	let onBreak: ((error: unknown) => void) | null = null;
	const closedError = () => Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' });
	connection.on('error', (error) => {
		open = false;
		failSetup?.(error);
		onBreak?.(error);
	});
	connection.on('end', () => {
		open = false;
		failSetup?.(closedError());
		onBreak?.(closedError());
	});
	const drop = () => {
		open = false;
		connection.close();
	};
	/** Set when the setup deadline or the signal cut the setup short: every wait rejects with it. */
	let cutShort: Error | null = null;
	const step = (run: (done: (err?: Error | null) => void) => void) =>
		new Promise<void>((resolve, reject) => {
			if (cutShort) return reject(cutShort);
			failSetup = reject;
			run((err) => (err ? reject(err) : resolve()));
		});
	/** Which step the setup stands at, in the server's words; nodemailer says when it upgrades to TLS. */
	const stepNow = () => (connection.upgrading ? 'STARTTLS' : setupStep);
	/** Whether the server said anything yet (its greeting): silence before it is not "while logging in". */
	let greeted = false;
	transcript.onReply = () => {
		greeted = true;
	};
	const cutSetup = (error: Error) => {
		cutShort = error;
		failSetup?.(error);
	};
	/** What a failed setup rejects with: SmtpConnectError with the cause in words, or SmtpCancelledError. */
	const setupError = (error: unknown): Error => {
		if (error instanceof SmtpConnectError || error instanceof SmtpCancelledError) return error;
		// The socket's silence timer (the reply timeout) can run out before nodemailer's greeting
		// timer; after the greeting, silence is the server no longer answering, not a blocked port.
		if ((error as SmtpClientError).timeoutType === 'SOCKET_TIMEOUT') {
			if (greeted) return new SmtpConnectError(stoppedAnsweringWhileLoggingIn(endpoint, stepNow(), replyTimeoutMs));
			const silence = { ...endpoint, timeoutMs: Math.min(replyTimeoutMs, clientOptions.connectionTimeout) };
			return new SmtpConnectError(classify({ ...(error as SmtpClientError), message: 'Greeting never received', timeoutType: 'GREETING_TIMEOUT' }, silence));
		}
		return new SmtpConnectError(classify(error));
	};
	const setupMs = SETUP_TIMEOUTS * clientOptions.connectionTimeout;
	const deadline = setTimeout(() => cutSetup(new SmtpConnectError(stoppedAnsweringWhileLoggingIn(endpoint, stepNow(), setupMs))), setupMs);
	const onAbort = () => cutSetup(new SmtpCancelledError(false, CANCELLED_WHILE_CONNECTING));
	signal?.addEventListener('abort', onAbort, { once: true });
	try {
		// nodemailer calls back once the server answered EHLO (after STARTTLS, when chosen).
		await step((done) => connection.connect((err) => done(err)));
		// nodemailer sends the login even to a server that offers none (Postfix without SASL, or one
		// that offers it only after STARTTLS): the password would go out in clear, to be refused.
		if (auth && !transcript.offers('AUTH')) throw new SmtpConnectError(noLoginOffered(endpoint, transcript.offers('STARTTLS')));
		if (auth) {
			setupStep = 'AUTH';
			const credentials = auth.method === 'oauth2' ? { method: XOAUTH2_ONCE, user: auth.user } : { user: auth.user, pass: auth.password };
			await step((done) => connection.login(credentials, (err) => done(err)));
		}
		// An address beyond ASCII before the @ goes only with SMTPUTF8: without it the send refuses
		// it before asking the server (refusedWithoutSmtpUtf8), and so does verifySmtpWithSender.
		if (askAbout !== null && (isPlainAscii(askAbout) || transcript.offers('SMTPUTF8'))) {
			await step((done) => connection.login({ method: SENDER_CHECK, user: auth?.user ?? '' }, (err) => done(err)));
		}
	} catch (error) {
		connection.close();
		// The check's answer is in `answers` by now: the close that rejected the step came after it
		// was handed over, so the check's own continuation ran first. Not a timeout, the deadline or
		// a cancellation (SmtpConnectError, SmtpCancelledError): those stay as they are.
		const ended = !(error instanceof SmtpConnectError || error instanceof SmtpCancelledError) && (error as SmtpClientError).timeoutType === undefined;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- caught in verifySmtpWithSender: lib/ imports nothing from n8n
		if (ended && answers.some((a) => a.code >= 400 && a.code < 500)) throw new SenderCheckEnded(answers, classify);
		// lib/ imports nothing from n8n; callers map this to item statuses or a NodeOperationError.
		throw setupError(error);
	} finally {
		failSetup = null;
		transcript.onReply = null;
		clearTimeout(deadline);
		signal?.removeEventListener('abort', onAbort);
	}
	open = true;

	/**
	 * A connection that broke, timed out or stopped making sense while a message was in flight.
	 * Without an SMTP reply this is never "connection refused" or "port blocked": the server was
	 * reached and logged into, so it is a lost connection, whatever the socket layer called it.
	 */
	const lostFailure = (error: unknown): SmtpFailure => {
		const failure = classify(error);
		if (failure.code !== null && failure.kind !== 'connect') return failure.kind === 'other' ? { ...failure, kind: 'connectionLost' } : failure;
		const e = (error ?? {}) as SmtpClientError;
		const silent = e.code === 'ETIMEDOUT' || failure.message.includes('timed out');
		const message = silent
			? `The server at ${endpoint.host}:${endpoint.port} stopped answering (no reply within ${secondsText(replyTimeoutMs)})`
			: failure.kind === 'connectionLost'
				? failure.message
				: `The connection to ${endpoint.host}:${endpoint.port} was lost (${failure.message})`;
		return { kind: 'connectionLost', code: null, response: null, message };
	};

	const session: SmtpSession = {
		get open() {
			return open;
		},
		close() {
			if (!open) return connection.close();
			open = false;
			connection.quit();
			// A server that never answers QUIT must not keep the socket (and the process) around.
			setTimeout(() => connection.close(), QUIT_GRACE_MS).unref();
		},
		send(message, whileWaiting, signal) {
			return new Promise<SmtpReply>((resolve, reject) => {
				let settled = false;
				/** Set once the server's answer for this message is known; what is left is cleaning up. */
				let decided: (() => void) | null = null;
				let timer: NodeJS.Timeout | undefined;
				const settle = (outcome: () => void) => {
					if (settled) return;
					settled = true;
					clearTimeout(timer);
					signal?.removeEventListener('abort', onAbort);
					onBreak = null;
					transcript.onReply = null;
					outcome();
				};
				const fail = (failure: SmtpFailure, outcomeUnknown: boolean) =>
					settle(() => reject(new SmtpSendError(failure, outcomeUnknown)));
				const body = new MessageBody(message.raw, whileWaiting, () => arm(replyTimeoutMs + message.raw.length / MIN_UPLOAD_BYTES_PER_MS));

				/** The connection broke (or is dropped) before the server's answer came. */
				const broken = (error: unknown) => {
					if (settled) return;
					if (decided) {
						drop();
						return settle(decided);
					}
					// A refusal of the envelope that came just before the close still counts; once the
					// upload started, the envelope was accepted.
					const refusal = body.started ? null : transcript.envelopeRefusal(message.envelope.to[0] ?? '');
					const failure = refusal
						? classify({ ...refusal, code: 'EENVELOPE', message: refusal.command === 'MAIL FROM' ? 'Mail command failed' : 'Recipient command failed' })
						: lostFailure(error);
					// Only a marker handed to the socket can have reached the server; a connection that
					// broke before (ECONNRESET mid-upload) leaves an incomplete message, sent again.
					const outcomeUnknown = !refusal && body.mayHaveArrived && failure.code === null;
					fail(failure, outcomeUnknown);
					drop();
				};
				const arm = (ms: number) => {
					clearTimeout(timer);
					timer = setTimeout(() => broken(Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT' })), ms);
				};
				function onAbort() {
					if (settled) return;
					if (decided) {
						drop();
						return settle(decided);
					}
					const outcomeUnknown = body.mayHaveArrived;
					settle(() => reject(new SmtpCancelledError(outcomeUnknown)));
					drop();
				}

				/**
				 * A reply whose lines carry different codes: a protocol break, not an answer. The
				 * connection is dropped (what comes next on it cannot be trusted), and a message that
				 * may have arrived whole (body.mayHaveArrived) is `outcomeUnknown`: neither sent nor
				 * sent again. One that cannot have is sent again: the drop keeps its marker back.
				 * `command`: the command it answered, when it came before the data.
				 */
				const mixedReply = (response: string, mayHaveArrived: boolean, command?: string) => {
					fail(
						{
							kind: 'connectionLost',
							code: null,
							response: replyForOutput(response, secrets),
							message: `The server at ${endpoint.host}:${endpoint.port} answered ${command ? `${command} ` : ''}with one reply of mixed codes (${replyCodes(response).slice(0, 5).join(', ')}), which SMTP does not allow (RFC 5321 §4.2.1), so neither was believed and the connection was dropped`,
						},
						mayHaveArrived,
					);
					drop();
				};

				if (signal?.aborted) return reject(new SmtpCancelledError(false));
				if (!open) return fail({ kind: 'connectionLost', code: null, response: null, message: `The connection to ${endpoint.host}:${endpoint.port} was closed` }, false);
				const unsupported = transcript.offers('SMTPUTF8') ? replyToNeedsSmtpUtf8(message, endpoint) : refusedWithoutSmtpUtf8(message, endpoint);
				if (unsupported) return fail(unsupported, false);
				signal?.addEventListener('abort', onAbort, { once: true });
				onBreak = broken;
				transcript.begin();
				transcript.onReply = () => {
					// A reply of mixed codes to MAIL FROM, RCPT TO or DATA is dropped with the connection
					// here, before nodemailer reads it by its first digit: the drop empties its queue of
					// replies awaited, so it acts on neither this one nor any after it, and no data leaves.
					const latest = transcript.latestReply();
					const before = latest ? BEFORE_THE_DATA.exec(latest.command) : null;
					if (latest && before && replyCodes(latest.response).length > 1) return mixedReply(latest.response, body.mayHaveArrived, before[1].toUpperCase());
					// Every complete reply is progress; the one to the data may come after the upload.
					arm(body.started ? replyTimeoutMs + message.raw.length / MIN_UPLOAD_BYTES_PER_MS : replyTimeoutMs);
				};
				arm(replyTimeoutMs);

				connection.send(message.envelope, body, (err, info) => {
					if (settled || decided) return;
					if (!err) {
						const response = info.response ?? '';
						// Normally the answer to the end of the data, which the server then had whole; a reply
						// that came before the marker left (mid-upload) answers something else.
						if (replyCodes(response).length > 1) return mixedReply(response, body.mayHaveArrived);
						const customers = customerAddresses(message);
						const refusals = ((info.rejectedErrors ?? []) as RecipientError[]).filter((r) => customers.has(r.recipient?.toLowerCase() ?? ''));
						const reply: SmtpReply = {
							code: Number(response.slice(0, 3)) || 250,
							response: replyForOutput(response, secrets),
							refusals: refusalReplies(refusals, secrets),
						};
						// Every customer address refused while the BCC copy was taken: only the archive got it.
						// Some refused and some taken: the customer got it, and `refusals` names the others.
						decided =
							refusals.length === customers.size && refusals.length > 0
								? () => reject(new SmtpSendError(classify({ ...telling(refusals), rejectedErrors: refusals }), false))
								: () => resolve(reply);
						// A server that answers twice (two 250s to one message) has a reply left over
						// that would be taken as the answer to our next command, and every later
						// message would read the reply meant for the one before. Two turns of the
						// event loop let nodemailer process what is already buffered: it reports an
						// unexpected reply as an error and closes, and the next message reconnects.
						setImmediate(() => setImmediate(() => settle(decided!)));
						return;
					}
					const e = err as SmtpClientError;
					// To DATA itself (nothing uploaded yet) or to the end of the data. A reply that comes
					// before the marker left cannot be the answer to the whole message, and dropping the
					// connection keeps the marker from ever leaving: not arrived, as in broken().
					if (e.code === 'EMESSAGE' && typeof e.response === 'string' && replyCodes(e.response).length > 1) return mixedReply(e.response, body.mayHaveArrived);
					if (e.code === 'EMESSAGE' && typeof e.responseCode === 'number' && e.responseCode < 400) {
						// A 3xx (or 2xx) taken as the answer to the data: the replies are a step behind
						// our commands, the server's real answer to this message is still coming.
						fail(
							{
								kind: 'connectionLost',
								code: null,
								response: null,
								message: `The replies of ${endpoint.host}:${endpoint.port} fell out of step with our commands (the server answered more often than asked); the connection was dropped`,
							},
							body.mayHaveArrived,
						);
						return drop();
					}
					if ((e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && open) {
						// A refused envelope or message leaves the connection usable: RSET clears the
						// half-open transaction before the next message. A server that refuses and
						// hangs up (Exim's ACL "drop") never answers the RSET, so the wait is bounded
						// by the connection ending and by the reply timeout.
						const failure = classify(err);
						decided = () => reject(new SmtpSendError(failure, false));
						arm(replyTimeoutMs);
						connection.reset((resetErr) => {
							if (resetErr) drop();
							settle(decided!);
						});
						return;
					}
					if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return fail(classify(err), false);
					broken(err);
				});
			});
		},
	};
	return { session, answers, classify, offersSmtpUtf8: transcript.offers('SMTPUTF8') };
}

/** The credential test's outcome. */
export interface SmtpVerification {
	/** What failed, with its cause in words; null when it passed. */
	failure: SmtpFailure | null;
	/**
	 * When it passed and a sender address was asked about: what the server said of it, in words
	 * for the OK message (also where the sender is finally checked). Empty when none was asked about.
	 */
	senderNote: string;
}

/**
 * The credential test: connect, EHLO (and STARTTLS when chosen), authenticate, then, with a
 * `sender`, ask the server whether it takes that address as sender without sending anything
 * (askAboutSender: MAIL FROM, RCPT TO, RSET), quit. A server that refuses the sender fails it
 * (`sender`), as the first sending run would stop on it. Resolves within SETUP_TIMEOUTS server
 * timeouts; rejects with SmtpCancelledError when `signal` aborts first.
 */
export async function verifySmtpWithSender(
	server: MailServer,
	auth: MailAuth | undefined,
	sender: string | null,
	options: SmtpConnectorOptions = {},
	signal?: AbortSignal,
): Promise<SmtpVerification> {
	// Never into a command line: what is no address (a line break included) would be one more command.
	if (sender !== null && !isValidAddress(sender)) {
		return { failure: { kind: 'sender', code: null, response: null, message: `The sender address "${sender}" is not a valid e-mail address` }, senderNote: '' };
	}
	// The address as the envelope of a send carries it: the domain as A-labels.
	const envelopeFrom = sender === null ? null : asciiAddress(sender);
	const endpoint: Endpoint = { host: server.host, port: server.port };
	try {
		const opened = await openSession(server, auth, options, signal, envelopeFrom);
		opened.session.close();
		if (sender === null || envelopeFrom === null) return { failure: null, senderNote: '' };
		// Not asked (openSession): every send from it would be refused before it leaves, say so now.
		if (!isPlainAscii(envelopeFrom) && !opened.offersSmtpUtf8) {
			return { failure: refusedWithoutSmtpUtf8({ envelope: { from: envelopeFrom, to: [] }, raw: Buffer.alloc(0) }, endpoint), senderNote: '' };
		}
		return senderVerdict(sender, auth?.user, opened.answers, opened.classify, endpoint);
	} catch (error) {
		if (error instanceof SenderCheckEnded && sender !== null) return senderVerdict(sender, auth?.user, error.answers, error.classify, endpoint);
		if (error instanceof SmtpConnectError) return { failure: error.failure, senderNote: '' };
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- not ours to handle: lib/ imports nothing from n8n
		if (error instanceof SmtpCancelledError) throw error;
		return { failure: redactFields(classifySmtpError(error, { host: server.host, port: server.port, user: auth?.user }), secretsOf(auth)), senderNote: '' };
	}
}

/**
 * Connect, EHLO (and STARTTLS when chosen), authenticate, quit, asking about no sender (see
 * verifySmtpWithSender). Resolves with null on success or the failure with its cause in words.
 */
export async function verifySmtp(
	server: MailServer,
	auth: MailAuth | undefined,
	options: SmtpConnectorOptions = {},
	signal?: AbortSignal,
): Promise<SmtpFailure | null> {
	return (await verifySmtpWithSender(server, auth, null, options, signal)).failure;
}
