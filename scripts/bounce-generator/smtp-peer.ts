import { createServer, type Server, type Socket } from 'node:net';

/**
 * A tiny scripted SMTP server (RFC 5321) playing a *remote* host. It only decides what to answer;
 * the DSN is always written by the real MTA under test. Texts are the ones real servers send
 * (named where they come from), so the MTA quotes a realistic remote answer in its DSN.
 */
export interface PeerScript {
	/** Never send a greeting nor answer anything: the client's timeouts fire. */
	silent?: boolean;
	/** RFC 1870 SIZE limit announced in EHLO and enforced at MAIL FROM and after DATA. */
	sizeLimit?: number;
	/** Reply to MAIL FROM, or null to accept. */
	onMail?: (from: string) => string | null;
	/** Reply to RCPT TO, or null to accept. */
	onRcpt?: (to: string) => string | null;
	/** Reply after the message data, or null to accept. */
	onData?: (recipients: string[], bytes: number) => string | null;
}

export interface RunningPeer {
	close(): Promise<void>;
}

const addressIn = (arg: string): string => (/<([^>]*)>/.exec(arg)?.[1] ?? arg.trim()).toLowerCase();

function serve(socket: Socket, script: PeerScript, host: string): void {
	socket.setEncoding('latin1');
	socket.on('error', () => undefined);
	if (script.silent) return;
	const say = (line: string) => socket.write(`${line}\r\n`);
	let buffer = '';
	let inData = false;
	let dataBytes = 0;
	let recipients: string[] = [];
	let mailOk = false;
	say(`220 ${host} ESMTP`);
	const command = (line: string) => {
		const verb = line.slice(0, 4).toUpperCase();
		const arg = line.slice(line.indexOf(':') + 1);
		if (verb === 'EHLO') {
			const ext = ['PIPELINING', '8BITMIME', 'ENHANCEDSTATUSCODES', script.sizeLimit ? `SIZE ${script.sizeLimit}` : 'SIZE 10240000'];
			socket.write([`250-${host}`, ...ext.slice(0, -1).map((e) => `250-${e}`), `250 ${ext[ext.length - 1]}`].join('\r\n') + '\r\n');
		} else if (verb === 'HELO') say(`250 ${host}`);
		else if (verb === 'MAIL') {
			const size = Number(/\bSIZE=(\d+)/i.exec(line)?.[1] ?? 0);
			// Postfix smtpd's own words for a SIZE over its message_size_limit.
			const reply = script.sizeLimit && size > script.sizeLimit ? '552 5.3.4 Message size exceeds fixed limit' : script.onMail?.(addressIn(arg)) ?? null;
			mailOk = reply === null;
			recipients = [];
			say(reply ?? '250 2.1.0 Ok');
		} else if (verb === 'RCPT') {
			if (!mailOk) {
				say('503 5.5.1 Error: need MAIL command');
				return;
			}
			const to = addressIn(arg);
			const reply = script.onRcpt?.(to) ?? null;
			if (reply === null) recipients.push(to);
			say(reply ?? '250 2.1.5 Ok');
		} else if (verb === 'DATA') {
			if (recipients.length === 0) {
				say('554 5.5.1 Error: no valid recipients');
				return;
			}
			inData = true;
			dataBytes = 0;
			say('354 End data with <CR><LF>.<CR><LF>');
		} else if (verb === 'RSET') {
			mailOk = false;
			recipients = [];
			say('250 2.0.0 Ok');
		} else if (verb === 'NOOP') say('250 2.0.0 Ok');
		else if (verb === 'QUIT') {
			say('221 2.0.0 Bye');
			socket.end();
		} else say('502 5.5.2 Error: command not recognized');
	};
	socket.on('data', (chunk: string) => {
		buffer += chunk;
		for (;;) {
			if (inData) {
				const end = buffer.indexOf('\r\n.\r\n');
				if (end < 0) {
					// Keep the tail that may hold the start of the terminator.
					dataBytes += Math.max(0, buffer.length - 4);
					buffer = buffer.slice(-4);
					return;
				}
				dataBytes += end;
				buffer = buffer.slice(end + 5);
				inData = false;
				const tooBig = script.sizeLimit && dataBytes > script.sizeLimit ? '552 5.3.4 Message size exceeds fixed limit' : null;
				say(tooBig ?? script.onData?.(recipients, dataBytes) ?? '250 2.0.0 Ok: queued');
				mailOk = false;
				recipients = [];
				continue;
			}
			const eol = buffer.indexOf('\r\n');
			if (eol < 0) return;
			const line = buffer.slice(0, eol);
			buffer = buffer.slice(eol + 2);
			command(line);
		}
	});
}

export function startPeer(ip: string, port: number, host: string, script: PeerScript): Promise<RunningPeer> {
	const sockets = new Set<Socket>();
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		serve(socket, script, host);
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, ip, () =>
			resolve({
				close: () =>
					new Promise<void>((done) => {
						for (const s of sockets) s.destroy();
						server.close(() => done());
					}),
			}),
		);
	});
}
