/**
 * Connecting and logging in under the Timeout and the caller's signal, against a raw TCP server on
 * loopback (a MOCK): it greets, then answers one command (LOGIN/AUTHENTICATE, or the CAPABILITY
 * after the login) with an untagged "* OK still working" every 100 ms and never the tagged answer.
 * A real Dovecot cannot be made to do this; it is what a hung authentication backend behind a
 * proxy looks like. imapflow's socket timeout measures silence only, so before the connect was
 * guarded (lib/mailbox/connection.ts) each of these calls waited forever: the tests below then ran
 * into jest's timeout.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

import type { MailServer } from '../../lib/mail/server';
import { connectImap, MailboxError, readMailbox, verifyMailbox, type ReadMailboxOptions } from '../../lib/mailbox';

const auth = { method: 'password' as const, user: 'shop@example.org', password: 'pw-secret' };

interface StallServer {
	port: number;
	commands: string[];
	/** Resolves once the client has closed its connection. */
	closed: Promise<void>;
	stop(): Promise<void>;
}

/**
 * `stallOn` picks the command left unanswered: its verb, and for CAPABILITY only the one sent
 * after the login (`postLogin`). `greet: false` accepts the connection and says nothing.
 */
async function stallServer(stallOn: (verb: string, loggedIn: boolean) => boolean, greet = true): Promise<StallServer> {
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	const commands: string[] = [];
	let markClosed: () => void = () => undefined;
	const closed = new Promise<void>((resolve) => (markClosed = resolve));
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('error', () => undefined);
		socket.on('close', () => {
			sockets.delete(socket);
			markClosed();
		});
		if (greet) socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n');
		let loggedIn = false;
		let buffer = '';
		socket.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('latin1');
			for (let eol = buffer.indexOf('\r\n'); eol >= 0; eol = buffer.indexOf('\r\n')) {
				const line = buffer.slice(0, eol);
				buffer = buffer.slice(eol + 2);
				commands.push(line);
				const [tag, verb = ''] = line.split(' ');
				const upper = verb.toUpperCase();
				if (stallOn(upper, loggedIn)) {
					const trickle = setInterval(() => socket.writable && socket.write('* OK still working\r\n'), 100);
					timers.add(trickle);
					socket.on('close', () => clearInterval(trickle));
					continue;
				}
				if (upper === 'LOGIN' || upper === 'AUTHENTICATE') loggedIn = true;
				if (upper === 'CAPABILITY') socket.write('* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n');
				socket.write(`${tag} OK done\r\n`);
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		commands,
		closed,
		stop: () =>
			new Promise<void>((resolve) => {
				timers.forEach(clearInterval);
				sockets.forEach((s) => s.destroy());
				server.close(() => resolve());
			}),
	};
}

let server: StallServer | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

const atLogin = (verb: string) => verb === 'LOGIN' || verb === 'AUTHENTICATE';
const mailServer = (port: number, timeoutMs: number): MailServer => ({ host: '127.0.0.1', port, security: 'none', allowSelfSigned: false, timeoutMs });
const readOptions = (extra: Partial<ReadMailboxOptions> = {}): ReadMailboxOptions => ({
	folder: 'INBOX',
	mode: 'sinceUid',
	firstRun: 'all',
	maxMessages: 10,
	postAction: { type: 'none' },
	...extra,
});

describe('a server that never finishes the login', () => {
	it('Read Mailbox fails with a timeout naming the login, and closes the connection', async () => {
		server = await stallServer(atLogin);
		const error = (await readMailbox(mailServer(server.port, 1000), auth, readOptions(), () => undefined).catch((e: unknown) => e)) as MailboxError;
		expect(error).toBeInstanceOf(MailboxError);
		expect(error.kind).toBe('timeout');
		// The login starts within the first Timeout and gets one whole one from the tick that sees it: 2 s.
		expect(error.message).toBe(
			`127.0.0.1:${server.port} did not finish logging in: the server stopped answering while logging in, so the connection was closed after 2 s ` +
				'(the Timeout option, 1 s, starts afresh at each step that moves on). Try again later; if it keeps happening, the mail server (or its login service) is overloaded or stuck.',
		);
		expect(error.message).not.toContain('pw-secret');
		await server.closed;
		expect(server.commands.some((c) => /AUTHENTICATE|LOGIN/i.test(c))).toBe(true);
	}, 15000);

	it('the credential test (verifyMailbox) fails the same way instead of hanging', async () => {
		server = await stallServer(atLogin);
		await expect(verifyMailbox(mailServer(server.port, 1000), auth)).rejects.toMatchObject({
			kind: 'timeout',
			message: expect.stringContaining('did not finish logging in: the server stopped answering while logging in, so the connection was closed after 2 s (the Timeout option, 1 s,'),
		});
		await server.closed;
	}, 15000);

	it('a cancel ends the read at once, long before the Timeout, and keeps the position it was given', async () => {
		server = await stallServer(atLogin);
		const controller = new AbortController();
		const position = { uidValidity: '1700000000', lastUid: 7, readAt: '2026-01-01T00:00:00.000Z' };
		setTimeout(() => controller.abort(), 300);
		// Timeout ten minutes: only the signal can end this within jest's limit.
		const result = await readMailbox(mailServer(server.port, 600_000), auth, readOptions({ signal: controller.signal, state: position }), () => undefined);
		expect(result).toEqual({ fetched: 0, state: position, more: true, uidValidityChanged: false, folderCreated: false });
		await server.closed;
	}, 15000);

	it('connectImap, cancelled while logging in, rejects with kind "aborted" in words', async () => {
		server = await stallServer(atLogin);
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 300);
		await expect(connectImap(mailServer(server.port, 600_000), auth, undefined, controller.signal)).rejects.toMatchObject({
			kind: 'aborted',
			message: `Cancelled while logging in (127.0.0.1:${server.port}); the connection was closed.`,
		});
		await server.closed;
	}, 15000);

	it('a signal that has already fired connects to nothing', async () => {
		server = await stallServer(atLogin);
		const result = await readMailbox(mailServer(server.port, 600_000), auth, readOptions({ signal: AbortSignal.abort() }), () => undefined);
		expect(result).toMatchObject({ fetched: 0, more: true, state: { uidValidity: '', lastUid: 0 } });
		expect(server.commands).toEqual([]);
	});
});

describe('a server that stalls after the login, or before the greeting', () => {
	it('a stall in the commands after the login is named as such', async () => {
		server = await stallServer((verb, loggedIn) => loggedIn && verb === 'CAPABILITY');
		await expect(verifyMailbox(mailServer(server.port, 1000), auth)).rejects.toMatchObject({
			kind: 'timeout',
			message: expect.stringContaining('did not finish setting up the session after the login: the server stopped answering while setting up the session after the login, so the connection was closed after 2 s'),
		});
	}, 15000);

	it("no greeting at all is still imapflow's greeting timeout, with its hint (the guard does not pre-empt it)", async () => {
		server = await stallServer(() => false, false);
		await expect(verifyMailbox(mailServer(server.port, 1000), auth)).rejects.toMatchObject({
			kind: 'noGreeting',
			message: expect.stringContaining('sent no IMAP greeting within 1 s'),
		});
	}, 15000);
});

describe('a login that succeeds', () => {
	it('leaves no timer of the guard behind (nothing keeps the process alive)', async () => {
		server = await stallServer(() => false);
		const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
		const before = timers();
		// A ten-minute Timeout: a guard timer left armed would still be listed afterwards.
		const check = await verifyMailbox(mailServer(server.port, 600_000), auth);
		expect(check.folders).toEqual([]);
		expect(timers()).toBe(before);
	});
});
