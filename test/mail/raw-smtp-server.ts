/**
 * A bare SMTP server on a `net` socket, scripted per test, for the faults no real server
 * produces on demand: answering and then hanging up as Exim's ACL `drop` does, never answering
 * the data, an unterminated `250-` reply, two replies to one message, echoing the client's words
 * (AUTH arguments included) into its error replies. smtp-server (smtp-test-server.ts) is used
 * wherever a well-behaved server will do.
 *
 * Without a script it behaves: greeting, EHLO with PIPELINING and AUTH PLAIN LOGIN XOAUTH2, every
 * login accepted, every command answered 250 / 354, each message answered "250 2.0.0 Ok: queued".
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface RawConnection {
	/** 1-based number of this connection. */
	index: number;
	/** Writes one reply (lines joined with CRLF by the caller, the final CRLF added here). */
	reply(text: string): void;
	/** Writes exactly these bytes. */
	write(bytes: string): void;
	/** Sends FIN after what was written (the client sees the connection end). */
	close(): void;
	/** Stops reading and, `afterMs` later, drops the connection without FIN (the client's writes fail). */
	reset(afterMs?: number): void;
	/** Every line received on this connection, AUTH arguments included. */
	lines: string[];
}

export interface RawSmtpScript {
	/** Instead of the greeting "220 raw.test ESMTP": e.g. none at all, or one that never ends. */
	greet?(conn: RawConnection): void;
	/**
	 * Each command line (and each line of an AUTH exchange). Return true when it was answered
	 * here; anything else gets the default answer.
	 */
	onLine?(line: string, conn: RawConnection): boolean | void;
	/** Every chunk as it arrives, before it is read as lines or data. Return true to drop it unread. */
	onChunk?(chunk: Buffer, conn: RawConnection): boolean | void;
	/** Each message, without the end-of-data marker. Return true when it was answered here. */
	onMessage?(data: Buffer, conn: RawConnection, n: number): boolean | void;
}

export interface RawSmtpServer {
	port: number;
	connections: RawConnection[];
	/** Messages whose data arrived whole (answered or not). */
	messages: Buffer[];
	close(): Promise<void>;
}

type Mode = 'command' | 'data' | 'authLoginUser' | 'authLoginPass' | 'authPlain';

export async function startRawSmtpServer(script: RawSmtpScript = {}): Promise<RawSmtpServer> {
	const sockets = new Set<Socket>();
	const state: RawSmtpServer = { port: 0, connections: [], messages: [], close: async () => undefined };

	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		const conn: RawConnection = {
			index: state.connections.length + 1,
			reply: (text) => {
				if (!socket.destroyed && socket.writable) socket.write(`${text}\r\n`);
			},
			write: (bytes) => {
				if (!socket.destroyed && socket.writable) socket.write(bytes);
			},
			close: () => socket.end(),
			reset: (afterMs = 0) => {
				socket.pause();
				setTimeout(() => socket.resetAndDestroy(), afterMs);
			},
			lines: [],
		};
		state.connections.push(conn);
		let mode: Mode = 'command';
		let buffer = Buffer.alloc(0);

		const defaultAnswer = (line: string) => {
			const verb = line.split(' ')[0].toUpperCase();
			if (mode === 'authLoginUser') {
				mode = 'authLoginPass';
				return conn.reply('334 UGFzc3dvcmQ6');
			}
			if (mode === 'authLoginPass' || mode === 'authPlain') {
				mode = 'command';
				return conn.reply('235 2.7.0 Authentication successful');
			}
			if (verb === 'EHLO') return conn.reply('250-raw.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN XOAUTH2');
			if (verb === 'HELO') return conn.reply('250 raw.test');
			if (verb === 'AUTH') {
				const [, mechanism, initial] = line.split(' ');
				if (mechanism?.toUpperCase() === 'LOGIN') {
					mode = 'authLoginUser';
					return conn.reply('334 VXNlcm5hbWU6');
				}
				if (mechanism?.toUpperCase() === 'PLAIN' && !initial) {
					mode = 'authPlain';
					return conn.reply('334 ');
				}
				return conn.reply('235 2.7.0 Authentication successful');
			}
			if (verb === 'DATA') {
				mode = 'data';
				return conn.reply('354 End data with <CR><LF>.<CR><LF>');
			}
			if (verb === 'QUIT') {
				conn.reply('221 2.0.0 Bye');
				return conn.close();
			}
			return conn.reply('250 2.0.0 Ok');
		};

		const onLine = (line: string) => {
			conn.lines.push(line);
			// DATA switches to data mode even when the script answers it, as a server would.
			const isData = mode === 'command' && line.toUpperCase() === 'DATA';
			if (script.onLine?.(line, conn) === true) {
				if (isData) mode = 'data';
				else if (mode !== 'command' && mode !== 'data') mode = 'command';
				return;
			}
			defaultAnswer(line);
		};

		socket.on('data', (chunk: Buffer) => {
			if (script.onChunk?.(chunk, conn) === true) return;
			buffer = Buffer.concat([buffer, chunk]);
			for (;;) {
				if (mode === 'data') {
					// An empty message is the end marker alone.
					const empty = buffer.subarray(0, 3).toString() === '.\r\n';
					const end = empty ? -2 : buffer.indexOf('\r\n.\r\n');
					if (end === -1) return;
					const data = buffer.subarray(0, end + 2);
					buffer = buffer.subarray(end + 5);
					mode = 'command';
					state.messages.push(data);
					if (script.onMessage?.(data, conn, state.messages.length) !== true) conn.reply(`250 2.0.0 Ok: queued as R${state.messages.length}`);
					continue;
				}
				const eol = buffer.indexOf('\r\n');
				if (eol < 0) return;
				const line = buffer.subarray(0, eol).toString('utf8');
				buffer = buffer.subarray(eol + 2);
				onLine(line);
			}
		});
		if (script.greet) script.greet(conn);
		else conn.reply('220 raw.test ESMTP');
	});
	server.on('error', () => undefined);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.port = (server.address() as AddressInfo).port;
	state.close = () =>
		new Promise<void>((resolve) => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		});
	return state;
}

/**
 * The raw servers of each test, closed when it ends (an open one would keep jest from exiting).
 * Registers an afterEach: call it in a file's or describe's body and start each test's servers
 * with the function it returns.
 */
export function useRawSmtpServers(): (script?: RawSmtpScript) => Promise<RawSmtpServer> {
	let started: RawSmtpServer[] = [];
	afterEach(async () => {
		await Promise.all(started.map((s) => s.close()));
		started = [];
	});
	return async (script = {}) => {
		const server = await startRawSmtpServer(script);
		started.push(server);
		return server;
	};
}
