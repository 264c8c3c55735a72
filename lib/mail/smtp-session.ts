/**
 * One SMTP connection, opened and authenticated once, then used for many messages. This is the
 * real implementation of the transport the sending loop (send-run.ts) drives.
 */
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { OutgoingMessage } from './message';
import type { MailAuth, MailServer } from './server';
import { classifySmtpError, type SmtpFailure } from './smtp-error';
import { endMessageData } from './smtp-data';
import { smtpClientOptions } from './smtp-options';

export interface SmtpReply {
	code: number;
	response: string;
	/** Recipients the server refused while still accepting the message (e.g. the BCC copy). */
	rejected: string[];
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

/** Opening the connection or logging in failed. */
export class SmtpConnectError extends Error {
	constructor(readonly failure: SmtpFailure) {
		super(failure.message);
		this.name = 'SmtpConnectError';
	}
}

export interface SmtpSession {
	/**
	 * Sends one message. `whileWaiting` runs once the whole message is on its way, while the
	 * server's reply is awaited: room for the caller's CPU work that does not hold up the connection.
	 */
	send(message: Pick<OutgoingMessage, 'envelope' | 'raw'>, whileWaiting?: () => void): Promise<SmtpReply>;
	/** False once the connection broke or was closed. */
	readonly open: boolean;
	close(): void;
}

/** Opens authenticated sessions. Each call is one connection and at most one login attempt. */
export interface SmtpConnector {
	connect(): Promise<SmtpSession>;
}

export interface SmtpConnectorOptions {
	/** Name sent with EHLO; defaults to the machine's host name. */
	clientName?: string;
}

export function smtpConnector(server: MailServer, auth: MailAuth | undefined, options: SmtpConnectorOptions = {}): SmtpConnector {
	return { connect: () => openSmtpSession(server, auth, options) };
}

/** nodemailer's name for our XOAUTH2 login (see xoauth2Once); on the wire it is AUTH XOAUTH2. */
const XOAUTH2_ONCE = 'XOAUTH2-ONCE';

/**
 * XOAUTH2 with exactly one AUTH command. nodemailer's built-in XOAUTH2 login answers a refused
 * token by asking for a new one and sending AUTH again on the same connection: a second failed
 * login, which providers count towards locking the mailbox. Whether to refresh and sign in again
 * is the OAuth2 flow's decision (lib/mail/oauth2.ts), taken at most once per run.
 */
function xoauth2Once(user: string, accessToken: string): SMTPConnection.CustomAuthenticationHandlers[string] {
	const initialResponse = new XOAuth2({ user, accessToken }).buildXOAuth2Token(accessToken);
	return async ({ sendCommand }) => {
		const reply = await sendCommand(`AUTH XOAUTH2 ${initialResponse}`);
		if (reply.status === 235) return;
		// A refused token gets a 334 challenge carrying the error details (RFC 7628); the empty
		// answer ends the exchange, and the server's final reply (535) goes into the error.
		if (reply.status === 334) await sendCommand('');
		throw new Error('Invalid login');
	};
}

/**
 * The message as nodemailer takes it: a stream, so we learn whether the whole message was handed
 * over (nodemailer pipes it only once the server accepted the envelope). Piping hands the bytes
 * over in one write, skipping the flowing-mode machinery of a generic Readable (about 50 µs per
 * message in bench/send.ts), and past the per-byte escaping when they need none (smtp-data.ts).
 */
class MessageBody extends Readable {
	/** True once the whole message was given to the connection's data stream (which ends it with the marker). */
	handedOver = false;

	constructor(
		private readonly raw: Buffer,
		private readonly whileWaiting?: () => void,
	) {
		super();
	}

	override _read(): void {
		this.push(this.raw);
		this.push(null);
	}

	override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
		if (options?.end === false) destination.write(this.raw);
		else endMessageData(destination, this.raw);
		this.handedOver = true;
		// Runs after the writes above have gone to the socket, while the server reads the message.
		if (this.whileWaiting) setImmediate(this.whileWaiting);
		return destination;
	}
}

export async function openSmtpSession(
	server: MailServer,
	auth: MailAuth | undefined,
	options: SmtpConnectorOptions = {},
): Promise<SmtpSession> {
	const endpoint = { host: server.host, port: server.port, user: auth?.user };
	const connection = new SMTPConnection({
		...smtpClientOptions(server, options.clientName),
		...(auth?.method === 'oauth2' ? { customAuth: { [XOAUTH2_ONCE]: xoauth2Once(auth.user, auth.accessToken) } } : {}),
	});
	let open = false;
	// While connecting, a failure arrives as an 'error' event, not through connect()'s callback.
	let failSetup: ((error: unknown) => void) | null = null;
	connection.on('error', (error) => {
		open = false;
		failSetup?.(error);
	});
	connection.on('end', () => {
		open = false;
		failSetup?.(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' }));
	});
	const step = (run: (done: (err?: Error | null) => void) => void) =>
		new Promise<void>((resolve, reject) => {
			failSetup = reject;
			run((err) => (err ? reject(err) : resolve()));
		});
	try {
		await step((done) => connection.connect((err) => done(err)));
		if (auth) {
			const credentials = auth.method === 'oauth2' ? { method: XOAUTH2_ONCE, user: auth.user } : { user: auth.user, pass: auth.password };
			await step((done) => connection.login(credentials, (err) => done(err)));
		}
		failSetup = null;
	} catch (error) {
		failSetup = null;
		connection.close();
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- lib/ imports nothing from n8n; callers map this to item statuses or a NodeOperationError
		throw new SmtpConnectError(classifySmtpError(error, endpoint));
	}
	open = true;

	return {
		get open() {
			return open;
		},
		close() {
			if (!open) return connection.close();
			open = false;
			connection.quit();
		},
		send(message, whileWaiting) {
			return new Promise<SmtpReply>((resolve, reject) => {
				const body = new MessageBody(message.raw, whileWaiting);
				connection.send(message.envelope, body, (err, info) => {
					if (!err) {
						const response = info.response ?? '';
						return resolve({ code: Number(response.slice(0, 3)) || 250, response: response.trim(), rejected: info.rejected ?? [] });
					}
					const failure = classifySmtpError(err, endpoint);
					const outcomeUnknown = failure.kind === 'connectionLost' && body.handedOver && failure.code === null;
					// A refused envelope or message leaves the connection usable; RSET clears the
					// half-open transaction before the next message.
					const e = err as { code?: string };
					if ((e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && open) {
						connection.reset((resetErr) => {
							if (resetErr) {
								open = false;
								connection.close();
							}
							reject(new SmtpSendError(failure, outcomeUnknown));
						});
						return;
					}
					if (failure.kind === 'connectionLost' || failure.kind === 'tls' || failure.kind === 'connect') open = false;
					reject(new SmtpSendError(failure, outcomeUnknown));
				});
			});
		},
	};
}

/**
 * The credential test: connect, EHLO (and STARTTLS when chosen), authenticate, quit. Resolves
 * with null on success or the failure with its cause in words.
 */
export async function verifySmtp(server: MailServer, auth: MailAuth | undefined): Promise<SmtpFailure | null> {
	try {
		const session = await openSmtpSession(server, auth);
		session.close();
		return null;
	} catch (error) {
		if (error instanceof SmtpConnectError) return error.failure;
		return classifySmtpError(error, { host: server.host, port: server.port, user: auth?.user });
	}
}
