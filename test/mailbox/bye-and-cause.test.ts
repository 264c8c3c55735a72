/**
 * Two things a MailboxError must get right when the server says more than the client asked for,
 * against scripted servers on loopback (MOCKS: the sandbox's Dovecot neither refuses a greeting
 * with BYE on demand nor echoes the LOGIN line):
 *
 * - a BYE instead of the greeting ("Too many connections from your IP"): its words are the message,
 *   not imapflow's "Unexpected close", and on port 993 it is no TLS fault;
 * - a NO that echoes the LOGIN line, password included: the error's `cause` keeps imapflow's codes
 *   and flags for debugging, but no form of the password.
 */
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { inspect } from 'node:util';

import type { MailServer, Security } from '../../lib/mail/server';
import { connectImap } from '../../lib/mailbox/connection';
import { describeImapError, MailboxError } from '../../lib/mailbox/errors';
import { selfSignedCert } from '../mail/smtp-test-server';
import { startRawImapServer } from './raw-imap-server';

jest.setTimeout(15_000);

const PASSWORD = 'S3cr3t-IMAP-zz9';
const BYE = 'Too many connections from your IP';

let servers: Server[] = [];
afterEach(async () => {
	await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
	servers = [];
});

async function listen(server: Server): Promise<number> {
	servers.push(server);
	server.listen(0, '127.0.0.1');
	await new Promise((resolve) => server.once('listening', resolve));
	return (server.address() as AddressInfo).port;
}

/** Greets with `* BYE …` and closes, as Dovecot's mail_max_userip_connections or a busy server does. */
const byeGreeting = (socket: Socket) => {
	socket.on('error', () => undefined);
	socket.end(`* BYE ${BYE}\r\n`);
};

const imapServer = (port: number, security: Security): MailServer => ({ host: '127.0.0.1', port, security, allowSelfSigned: true, timeoutMs: 3000 });

async function failure(server: MailServer, password = PASSWORD): Promise<MailboxError> {
	const error = await connectImap(server, { method: 'password', user: 'shop@example.org', password }).then(
		() => {
			throw new Error('connected, but the server refused');
		},
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(MailboxError);
	return error as MailboxError;
}

describe('a BYE greeting (a scripted server)', () => {
	// Before: "The connection to … was closed unexpectedly (Unexpected close)."
	it('gives the server\'s words, as a lost connection (an outage, not a setting)', async () => {
		const port = await listen(createNetServer(byeGreeting));
		const error = await failure(imapServer(port, 'none'));
		expect(error.kind).toBe('connectionLost');
		expect(error.message).toBe(`127.0.0.1:${port} closed the connection; the server said: ${BYE}`);
	});

	// Before: kind tls, "TLS handshake with … failed (wrong security for this port? …)": imapflow's
	// code for a close after the TLS handshake names TLS, though the handshake worked.
	it('on an implicit-TLS port, after a good handshake, is no TLS fault', async () => {
		const port = await listen(createTlsServer(selfSignedCert(), byeGreeting));
		const error = await failure(imapServer(port, 'tls'));
		expect(error.kind).toBe('connectionLost');
		expect(error.message).toBe(`127.0.0.1:${port} closed the connection; the server said: ${BYE}`);
	});

	it('takes a password out of the BYE text too, and keeps it short', () => {
		const server = imapServer(993, 'tls');
		const echo = Object.assign(new Error('Unexpected close'), { code: 'ClosedAfterConnectText', reason: `bad login ${PASSWORD} ${'x'.repeat(2000)}` });
		const error = describeImapError(echo, server, 'shop@example.org', [PASSWORD]);
		expect(error.message).toMatch(/^127\.0\.0\.1:993 closed the connection; the server said: bad login \[redacted\] x+…$/);
		expect(error.message.length).toBeLessThan(600);
	});
});

describe('a NO that echoes the LOGIN line, password included (a scripted server)', () => {
	// Before: the message was clean, but `cause` was imapflow's error holding the echo whole.
	it('leaves no form of the password anywhere in the error, its cause included; the cause keeps what debugging needs', async () => {
		const raw = await startRawImapServer({ messages: [], capabilities: 'IMAP4rev1', login: (command) => `NO Login failed: user ${command} unknown` });
		try {
			const error = await failure(imapServer(raw.port, 'none'));
			// The echo really carried the password, so what follows is about redaction.
			expect(raw.commands.join('\n')).toContain(PASSWORD);
			expect(error.kind).toBe('auth');
			const cause = error.cause as Error & Record<string, unknown>;
			expect(cause).toBeInstanceOf(Error);
			expect(cause.message).toBe('Command failed');
			expect(cause.authenticationFailed).toBe(true);
			expect(cause.responseStatus).toBe('NO');
			expect(cause.responseText).toBe('Login failed: user LOGIN "shop@example.org" "[redacted]" unknown');
			const everything = [
				inspect(error, { depth: Infinity, showHidden: true }),
				JSON.stringify(error, Object.getOwnPropertyNames(error)),
				JSON.stringify(cause, Object.getOwnPropertyNames(cause)),
				String(cause.stack),
			].join('\n');
			expect(everything).toContain('[redacted]');
			expect(everything).not.toContain(PASSWORD);
			expect(everything).not.toContain(PASSWORD.slice(0, 8));
		} finally {
			await raw.stop();
		}
	});

	it('redacts errors nested in the cause (`_err`, `cause`) and keeps their codes', () => {
		const socket = Object.assign(new Error(`write after ${PASSWORD}`), { code: 'EPIPE' });
		const outer = Object.assign(new Error('Connection not available'), { code: 'NoConnection', _err: socket, details: { echoed: PASSWORD } });
		const error = describeImapError(new Error(`wrapped ${PASSWORD}`, { cause: outer }), imapServer(993, 'tls'), 'shop@example.org', [PASSWORD]);
		expect(error.kind).toBe('connectionLost');
		const text = inspect(error, { depth: Infinity, showHidden: true });
		expect(text).not.toContain(PASSWORD);
		const inner = (error.cause as { cause?: { code?: unknown; _err?: { code?: unknown; message?: unknown } } }).cause;
		expect(inner?.code).toBe('NoConnection');
		expect(inner?._err).toMatchObject({ code: 'EPIPE', message: 'write after [redacted]' });
	});
});
