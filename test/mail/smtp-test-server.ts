/**
 * A real SMTP server (nodemailer's smtp-server) on an ephemeral loopback port, with knobs for the
 * faults the tests need: refused recipients, temporary refusals, a connection dropped at a chosen
 * moment. It records every login attempt, connection and accepted message.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

let cachedCert: { key: Buffer; cert: Buffer } | undefined;

/** A self-signed certificate for localhost/127.0.0.1, made once per test process. */
export function selfSignedCert(): { key: Buffer; cert: Buffer } {
	if (!cachedCert) {
		const dir = mkdtempSync(join(tmpdir(), 'dunning-cert-'));
		execFileSync(
			'openssl',
			['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
				'-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
			{ stdio: 'ignore' },
		);
		cachedCert = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
	}
	return cachedCert;
}

export interface ReceivedMessage {
	from: string;
	to: string[];
	raw: Buffer;
	user?: string;
}

export type Reply = { code: number; message: string } | undefined;

export interface TestServerOptions {
	security: 'tls' | 'starttls' | 'none';
	authMethods?: string[];
	/** user → password; a login with anything else is refused with 535. */
	users?: Record<string, string>;
	/** XOAUTH2: user → accepted access token. */
	tokens?: Record<string, string>;
	/** Answer for RCPT TO; undefined = accept, 'drop' = kill the connection instead of answering. */
	onRcpt?: (address: string) => Reply | 'drop';
	/** Answer after the message data (n = 1-based count of data transfers seen); undefined = 250. */
	onData?: (n: number, raw: Buffer) => Reply | 'drop';
	/** A slow server: each login is answered this late. */
	loginDelayMs?: number;
	/** False: the server does not offer SMTPUTF8 in its answer to EHLO (servers before RFC 6531). */
	smtpUtf8?: boolean;
	/** Called with every MAIL FROM the server is given (address and parameters such as SMTPUTF8). */
	onMailFrom?: (address: string, args: Record<string, unknown>) => void;
}

export interface TestServer {
	port: number;
	received: ReceivedMessage[];
	loginAttempts: Array<{ user: string; method: string }>;
	connections: number;
	close(): Promise<void>;
	/** Stops accepting new connections (existing ones stay). */
	refuseNewConnections(): void;
}

function smtpError(reply: { code: number; message: string }): Error {
	const err = new Error(reply.message) as Error & { responseCode: number };
	err.responseCode = reply.code;
	return err;
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
	const state: TestServer = {
		port: 0,
		received: [],
		loginAttempts: [],
		connections: 0,
		close: async () => undefined,
		refuseNewConnections: () => undefined,
	};
	let dataCount = 0;
	let refusing = false;
	const tls = options.security === 'none' ? {} : selfSignedCert();
	const config: SMTPServerOptions = {
		secure: options.security === 'tls',
		...tls,
		logger: false,
		authMethods: options.authMethods ?? ['PLAIN', 'LOGIN'],
		authOptional: !options.users && !options.tokens,
		allowInsecureAuth: true,
		disabledCommands: options.security === 'none' ? ['STARTTLS'] : [],
		hideSMTPUTF8: options.smtpUtf8 === false,
		onMailFrom(address, _session, callback) {
			options.onMailFrom?.(address.address, (address.args || {}) as Record<string, unknown>);
			callback();
		},
		onConnect(_session, callback) {
			state.connections++;
			if (refusing) return callback(smtpError({ code: 421, message: 'Not accepting connections now' }));
			callback();
		},
		async onAuth(auth, _session, callback) {
			state.loginAttempts.push({ user: auth.username ?? '', method: auth.method });
			if (options.loginDelayMs) await new Promise((resolve) => setTimeout(resolve, options.loginDelayMs));
			if (auth.method === 'XOAUTH2') {
				if (options.tokens?.[auth.username ?? ''] === auth.accessToken) return callback(null, { user: auth.username });
				return callback(null, { data: { status: '401', schemes: 'bearer' } });
			}
			if (options.users?.[auth.username ?? ''] === auth.password) return callback(null, { user: auth.username });
			return callback(smtpError({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
		},
		onRcptTo(address, session, callback) {
			const reply = options.onRcpt?.(address.address);
			if (reply === 'drop') return dropConnection(session.id);
			if (reply) return callback(smtpError(reply));
			callback();
		},
		onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				dataCount++;
				const raw = Buffer.concat(chunks);
				const reply = options.onData?.(dataCount, raw);
				if (reply === 'drop') {
					return dropConnection(session.id);
				}
				if (reply) return callback(smtpError(reply));
				state.received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw,
					user: session.user as string | undefined,
				});
				callback(null, `2.0.0 Ok: queued as Q${dataCount}`);
			});
		},
	};
	// The fault a healthy server never produces on purpose: the connection dies mid-transaction.
	// smtp-server has no switch for that, so we reach into its connection list for the socket.
	const dropConnection = (sessionId: string) => {
		for (const conn of (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections) {
			if (conn.id === sessionId) conn._socket.destroy();
		}
	};
	const server = new SMTPServer(config);
	server.on('error', () => undefined);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.port = (server.server.address() as AddressInfo).port;
	state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
	state.refuseNewConnections = () => {
		refusing = true;
	};
	return state;
}
