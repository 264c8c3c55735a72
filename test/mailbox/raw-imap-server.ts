/**
 * A scripted IMAP server on loopback, speaking just enough IMAP4rev1 for imapflow to log in,
 * list, select a folder, search, fetch and store.
 *
 * This is a MOCK for faults a real server (the sandbox's Dovecot) will not produce on demand: a
 * FETCH that trickles a few bytes per second, a message far larger than its announced size, FETCH
 * answers for UIDs nobody asked for, a server without UIDNEXT or without UIDPLUS and MOVE (the
 * sandbox's Dovecot always has them). Behaviour a real server does produce is tested against
 * Dovecot (MAIL_SANDBOX=1).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface RawMessage {
	uid: number;
	source: string | Buffer;
	/** RFC822.SIZE the server announces (default: the real size). */
	announcedSize?: number;
	flags?: string[];
}

/** One connection's view, handed to a scripted FETCH answer. */
export interface RawConnection {
	socket: Socket;
	tag: string;
	/** The UIDs the client asked for, as the server resolved the set. */
	uids: number[];
	messages: RawMessage[];
	/** Writes one message's FETCH answer (without the tagged OK). */
	writeMessage(m: RawMessage, uid?: number | string): void;
	/** Whether the size pass asked for ENVELOPE. */
	envelope: boolean;
	/**
	 * Writes one message's size-pass answer: UID and RFC822.SIZE, and, when asked for, its ENVELOPE
	 * (built from its Date, Subject, From, To and Message-ID lines).
	 */
	writeSize(m: RawMessage, uid?: number): void;
	ok(): void;
}

export interface RawImapScript {
	uidValidity?: number;
	/** UIDNEXT announced on SELECT (default: the highest UID + 1); null announces none, as some servers do. */
	uidNext?: number | null;
	messages: RawMessage[];
	/** UIDs answered to UID SEARCH (default: every message's UID within the asked range), or a tagged answer instead ('NO …', 'BAD …'). */
	search?: (command: string, messages: RawMessage[]) => number[] | string;
	/** Answers a FETCH that asks for the message body; the default answers each asked UID honestly. */
	fetchBody?: (c: RawConnection) => void | Promise<void>;
	/** The capabilities announced (default `IMAP4rev1 AUTH=PLAIN`; without AUTH=PLAIN imapflow sends LOGIN). */
	capabilities?: string;
	/** The capabilities announced once logged in (default `IMAP4rev1 UIDPLUS MOVE`). */
	loginCapabilities?: string;
	/** The tagged answer to LOGIN, given the command line (default: OK). */
	login?: (command: string) => string;
	/** Answers a FETCH without the body (the size pass, with ENVELOPE when asked); the default answers honestly. */
	fetchSizes?: (c: RawConnection) => void | Promise<void>;
	/** The tagged answer to the n-th UID MOVE (1-based), or 'drop' to close the connection instead (default: OK). */
	move?: (n: number) => string;
	/** Folders listed beside INBOX and Done (each holds the same messages). */
	folders?: string[];
	/** Folders to list instead of INBOX, Done and `folders`, e.g. to leave out INBOX. */
	onlyFolders?: string[];
	/** Extra LIST attributes by folder, e.g. `{ Gesendet: '\\Sent' }` (with SPECIAL-USE in loginCapabilities). */
	folderFlags?: Record<string, string>;
	/** The tagged answer to a UID STORE, given the command line, or 'hang' to give none (default: OK). */
	store?: (command: string) => string;
}

export interface RawImapServer {
	port: number;
	/** Every command line received, in order, across connections (passwords included: test only). */
	commands: string[];
	/** Every APPEND received: its folder as the client sent it (quoted or atom) and the message. */
	appended: Array<{ folder: string; message: string }>;
	/** Connections accepted so far. */
	connections(): number;
	/** Resolves when a socket of this server has closed, with the bytes written to it by then. */
	closed(): Promise<{ written: number }[]>;
	stop(): Promise<void>;
}

function parseSet(set: string, messages: RawMessage[]): number[] {
	const max = messages.reduce((m, x) => Math.max(m, x.uid), 0);
	const out: number[] = [];
	for (const part of set.split(',')) {
		const [a, b] = part.split(':');
		const from = a === '*' ? max : Number(a);
		const to = b === undefined ? from : b === '*' ? max : Number(b);
		for (const m of messages) if (m.uid >= Math.min(from, to) && m.uid <= Math.max(from, to)) out.push(m.uid);
	}
	return [...new Set(out)].sort((x, y) => x - y);
}

function sizeOf(m: RawMessage): number {
	return m.announcedSize ?? Buffer.byteLength(m.source);
}

/** An IMAP quoted string, or NIL. */
function quoted(value: string | undefined): string {
	return value === undefined ? 'NIL' : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** An address list ("Name <a@b>, c@d") as IMAP address structures, or NIL. */
function addressList(value: string | undefined): string {
	if (!value) return 'NIL';
	const parts = value.split(',').map((a) => {
		const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^>]+)>\s*$/.exec(a) ?? [a, undefined, a.trim()];
		const [mailbox, host] = match[2]!.split('@');
		return `(${quoted(match[1] || undefined)} NIL ${quoted(mailbox)} ${quoted(host)})`;
	});
	return `(${parts.join('')})`;
}

/** RFC 3501 §7.4.2: (date subject from sender reply-to to cc bcc in-reply-to message-id). */
function envelopeOf(m: RawMessage): string {
	const head = Buffer.from(m.source).toString('latin1').split(/\r?\n\r?\n/, 1)[0];
	const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1];
	const from = addressList(field('From'));
	return `(${quoted(field('Date'))} ${quoted(field('Subject'))} ${from} ${from} ${from} ${addressList(field('To'))} NIL NIL NIL ${quoted(field('Message-ID'))})`;
}

export async function startRawImapServer(script: RawImapScript): Promise<RawImapServer> {
	const commands: string[] = [];
	const appended: Array<{ folder: string; message: string }> = [];
	const sockets = new Set<Socket>();
	const closings: Array<Promise<{ written: number }>> = [];
	let accepted = 0;
	let moves = 0;
	const uidValidity = script.uidValidity ?? 1700000000;
	const uidNext = script.uidNext === undefined ? script.messages.reduce((m, x) => Math.max(m, x.uid), 0) + 1 : script.uidNext;

	const server: Server = createServer((socket) => {
		accepted++;
		sockets.add(socket);
		socket.on('error', () => undefined);
		closings.push(
			new Promise((resolve) =>
				socket.on('close', () => {
					sockets.delete(socket);
					resolve({ written: socket.bytesWritten });
				}),
			),
		);
		const write = (s: string | Buffer) => {
			if (!socket.destroyed) socket.write(s);
		};
		const capabilities = script.capabilities ?? 'IMAP4rev1 AUTH=PLAIN';
		write(`* OK [CAPABILITY ${capabilities}] raw test server ready\r\n`);
		let buffer = '';
		let busy = Promise.resolve();
		/** An APPEND whose message (an IMAP literal of `size` bytes) is still arriving. */
		let literal: { line: string; size: number } | undefined;
		socket.on('data', (data) => {
			buffer += data.toString('latin1');
			for (;;) {
				if (literal) {
					// The literal, then the rest of the command line (empty for APPEND).
					const end = buffer.indexOf('\r\n', literal.size);
					if (buffer.length < literal.size || end < 0) return;
					const { line, size } = literal;
					const message = buffer.slice(0, size);
					buffer = buffer.slice(end + 2);
					literal = undefined;
					busy = busy.then(() => answer(line, message)).catch(() => undefined);
					continue;
				}
				const nl = buffer.indexOf('\r\n');
				if (nl < 0) return;
				const line = buffer.slice(0, nl);
				buffer = buffer.slice(nl + 2);
				const size = /^\S+ APPEND .*\{(\d+)(\+?)\}$/i.exec(line);
				if (size) {
					literal = { line, size: Number(size[1]) };
					if (size[2] !== '+') write('+ go ahead\r\n');
					continue;
				}
				busy = busy.then(() => answer(line)).catch(() => undefined);
			}
		});

		const writeMessage = (m: RawMessage, uid: number | string = m.uid) => {
			const body = Buffer.from(m.source);
			const flags = (m.flags ?? []).join(' ');
			write(`* ${m.uid} FETCH (UID ${uid} FLAGS (${flags}) RFC822.SIZE ${sizeOf(m)} INTERNALDATE "01-Jan-2026 10:00:00 +0000" BODY[] {${body.length}}\r\n`);
			write(body);
			write(')\r\n');
		};

		async function answer(line: string, message?: string): Promise<void> {
			commands.push(line);
			const [tag, ...rest] = line.split(' ');
			const command = rest.join(' ');
			const upper = command.toUpperCase();
			const ok = (text = 'done') => write(`${tag} OK ${text}\r\n`);
			if (upper.startsWith('CAPABILITY')) {
				write(`* CAPABILITY ${capabilities}\r\n`);
				ok();
			} else if (upper.startsWith('LOGIN') && script.login) {
				write(`${tag} ${script.login(command)}\r\n`);
			} else if (upper.startsWith('LOGIN') || upper.startsWith('AUTHENTICATE')) {
				ok(`[CAPABILITY ${script.loginCapabilities ?? 'IMAP4rev1 UIDPLUS MOVE'}] logged in`);
			} else if (upper.startsWith('LIST') && command.endsWith('"" ""')) {
				write('* LIST (\\Noselect) "/" ""\r\n');
				ok();
			} else if (upper.startsWith('LIST')) {
				const listed = script.onlyFolders ?? ['INBOX', 'Done', ...(script.folders ?? [])];
				const flags = (f: string) => ['\\HasNoChildren', ...(script.folderFlags?.[f] ? [script.folderFlags[f]] : [])].join(' ');
				write(listed.map((f) => `* LIST (${flags(f)}) "/" ${quoted(f)}\r\n`).join(''));
				ok();
			} else if (upper.startsWith('APPEND') && message !== undefined) {
				const folder = /^APPEND ("(?:[^"\\]|\\.)*"|\S+)/i.exec(command)?.[1] ?? '';
				appended.push({ folder: folder.replace(/^"(.*)"$/, '$1'), message });
				ok('append done');
			} else if (upper.startsWith('SELECT') || upper.startsWith('EXAMINE')) {
				write(`* ${script.messages.length} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY ${uidValidity}] ok\r\n`);
				if (uidNext !== null) write(`* OK [UIDNEXT ${uidNext}] ok\r\n`);
				write('* FLAGS (\\Seen \\Deleted)\r\n');
				ok(upper.startsWith('EXAMINE') ? '[READ-ONLY] selected' : '[READ-WRITE] selected');
			} else if (upper.startsWith('UID SEARCH')) {
				const range = /UID (\S+)/.exec(command.slice('UID SEARCH'.length));
				const found = script.search
					? script.search(command, script.messages)
					: range
						? parseSet(range[1], script.messages)
						: script.messages.map((m) => m.uid);
				if (typeof found === 'string') {
					write(`${tag} ${found}\r\n`);
				} else {
					write(`* SEARCH${found.map((u) => ` ${u}`).join('')}\r\n`);
					ok();
				}
			} else if (upper.startsWith('UID FETCH')) {
				const set = command.split(' ')[2];
				const envelope = !/BODY/.test(upper) && /ENVELOPE/.test(upper);
				const writeSize = (m: RawMessage, uid: number = m.uid) =>
					write(`* ${uid} FETCH (UID ${uid} RFC822.SIZE ${sizeOf(m)}${envelope ? ` ENVELOPE ${envelopeOf(m)}` : ''})\r\n`);
				const c: RawConnection = { socket, tag, uids: parseSet(set, script.messages), messages: script.messages, writeMessage, envelope, writeSize, ok: () => ok() };
				if (/BODY/.test(upper)) {
					if (script.fetchBody) await script.fetchBody(c);
					else {
						for (const uid of c.uids) writeMessage(script.messages.find((m) => m.uid === uid)!);
						ok();
					}
				} else if (script.fetchSizes) {
					await script.fetchSizes(c);
				} else {
					for (const uid of c.uids) writeSize(script.messages.find((m) => m.uid === uid)!);
					ok();
				}
			} else if (upper.startsWith('UID STORE') && script.store) {
				const answer = script.store(command);
				if (answer !== 'hang') write(`${tag} ${answer}\r\n`);
			} else if (upper.startsWith('UID MOVE') && script.move) {
				const answer = script.move(++moves);
				if (answer === 'drop') socket.destroy();
				else write(`${tag} ${answer}\r\n`);
			} else if (/^(UID STORE|UID MOVE|UID COPY|UID EXPUNGE|EXPUNGE|NOOP)\b/.test(upper)) {
				ok();
			} else if (upper.startsWith('LOGOUT')) {
				write('* BYE bye\r\n');
				ok();
				socket.end();
			} else {
				write(`${tag} BAD unknown command\r\n`);
			}
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		commands,
		appended,
		connections: () => accepted,
		closed: () => Promise.all(closings),
		stop: async () => {
			for (const s of sockets) s.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}
