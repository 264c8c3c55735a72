/**
 * A minimal SMTP sink for bench/send.ts, run in its own process so it does not share the event
 * loop with the senders being measured. It speaks just enough ESMTP (EHLO with PIPELINING, AUTH
 * PLAIN/LOGIN accepting anything, MAIL, RCPT, DATA, RSET, NOOP, QUIT), plain or implicit TLS, and
 * throws the messages away. Unlike smtp-server it does not delay new connections by 100 ms, so a
 * per-message connection costs what it costs against a real MTA on loopback (TCP + TLS + EHLO).
 *
 * Protocol: the parent sends {tls: boolean, key?, cert?}; the child answers {port}; it counts
 * accepted messages and reports {count} when asked with "count".
 */
import { createServer as createNetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

let accepted = 0;

function session(socket: Socket) {
	let buffer = '';
	let inData = false;
	let authStep: 'none' | 'user' | 'pass' = 'none';
	socket.setNoDelay(true);
	socket.write('220 sink ESMTP ready\r\n');
	socket.on('data', (chunk: Buffer) => {
		buffer += chunk.toString('latin1');
		const replies: string[] = [];
		for (;;) {
			if (inData) {
				const end = buffer.indexOf('\r\n.\r\n');
				if (end < 0) {
					// Keep only a tail long enough to hold a split end marker.
					if (buffer.length > 8) buffer = buffer.slice(-8);
					break;
				}
				buffer = buffer.slice(end + 5);
				inData = false;
				accepted++;
				replies.push(`250 2.0.0 Ok: queued as S${accepted}`);
				continue;
			}
			const nl = buffer.indexOf('\r\n');
			if (nl < 0) break;
			const line = buffer.slice(0, nl);
			buffer = buffer.slice(nl + 2);
			if (authStep === 'user') {
				authStep = 'pass';
				replies.push('334 UGFzc3dvcmQ6');
				continue;
			}
			if (authStep === 'pass') {
				authStep = 'none';
				replies.push('235 2.7.0 Authentication successful');
				continue;
			}
			const verb = line.slice(0, 4).toUpperCase();
			if (verb === 'EHLO') replies.push('250-sink', '250-PIPELINING', '250-8BITMIME', '250-SIZE 52428800', '250 AUTH PLAIN LOGIN');
			else if (verb === 'HELO') replies.push('250 sink');
			else if (verb === 'AUTH') {
				if (/^AUTH LOGIN/i.test(line)) {
					authStep = 'user';
					replies.push('334 VXNlcm5hbWU6');
				} else replies.push('235 2.7.0 Authentication successful');
			} else if (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP') replies.push('250 2.1.0 Ok');
			else if (verb === 'DATA') {
				inData = true;
				// The marker may follow directly after "DATA\r\n": it is searched from the line break on.
				buffer = `\r\n${buffer}`;
				replies.push('354 End data with <CR><LF>.<CR><LF>');
			} else if (verb === 'QUIT') {
				socket.end('221 2.0.0 Bye\r\n');
				return;
			} else replies.push('502 5.5.2 Command not implemented');
		}
		if (replies.length) socket.write(replies.join('\r\n') + '\r\n');
	});
	socket.on('error', () => undefined);
}

process.on('message', (msg: { tls?: boolean; key?: string; cert?: string } | 'count') => {
	if (msg === 'count') {
		process.send!({ count: accepted });
		return;
	}
	const server = msg.tls ? createTlsServer({ key: msg.key, cert: msg.cert }, session) : createNetServer(session);
	server.listen(0, '127.0.0.1', () => {
		const address = server.address();
		process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
	});
});
