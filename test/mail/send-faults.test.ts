/**
 * Servers that refuse and hang up, never answer, answer twice or echo secrets: each run must end,
 * within the reply timeout, with every item out exactly once and a status that says what the
 * server knows. These faults come from a scripted raw server (raw-smtp-server.ts): no real server
 * produces them on demand.
 */
import { createServer, type AddressInfo } from 'node:net';

import { buildReminderMessage } from '../../lib/mail/message';
import type { MailAuth, MailServer } from '../../lib/mail/server';
import { runSendJobs, type SendJob, type SendRunOptions } from '../../lib/mail/send-run';
import { smtpConnector } from '../../lib/mail/smtp-session';
import { useRawSmtpServers, type RawSmtpScript, type RawSmtpServer } from './raw-smtp-server';

// A run that hangs must fail the test, not the suite: jest stops each test long before this.
jest.setTimeout(10_000);

const PASSWORD = 'Ech0"ed\\Secret-pw';
const auth: MailAuth = { method: 'password', user: 'shop@example.com', password: PASSWORD };
/** Short, so a fault that needs the timeout costs the suite little. */
const REPLY_TIMEOUT_MS = 400;

const rawServer = useRawSmtpServers();

function connector(s: RawSmtpServer, replyTimeoutMs = REPLY_TIMEOUT_MS, login: MailAuth = auth) {
	const server: MailServer = { host: '127.0.0.1', port: s.port, security: 'none', allowSelfSigned: false, timeoutMs: 2000 };
	return smtpConnector(server, login, { replyTimeoutMs });
}

async function jobs(recipients: string[]): Promise<SendJob[]> {
	return Promise.all(
		recipients.map(async (to, i) => ({
			key: i,
			message: await buildReminderMessage({
				sender: { address: 'shop@example.com' },
				to,
				subject: `Zahlungserinnerung R-${i + 1}`,
				text: `Text ${i + 1}`,
				invoiceId: `inv-${i + 1}`,
				level: 1,
				runId: 'run-faults',
			}),
		})),
	);
}

const fast: SendRunOptions = { minSecondsBetween: 0, retryBaseMs: 10 };
const statuses = (r: { deliveries: Array<{ status: string }> }) => r.deliveries.map((d) => d.status);
/** The recipients of every message whose data reached the server, in order. */
const rcptLines = (s: RawSmtpServer) => s.connections.flatMap((c) => c.lines.filter((l) => l.startsWith('RCPT TO:')).map((l) => l.slice(9, -1)));

describe('a server that refuses and hangs up (Exim ACL drop)', () => {
	test('554 after the data, then close: that item failed with the 554, the run goes on over a new connection', async () => {
		const s = await rawServer({
			onMessage: (_data, conn, n) => {
				if (n !== 1) return;
				conn.reply('554 5.7.1 Message rejected as spam');
				conn.close();
				return true;
			},
		});
		const result = await runSendJobs(connector(s), await jobs(['a@example.org', 'b@example.org']), fast);
		expect(statuses(result)).toEqual(['failed', 'sent']);
		expect(result.deliveries[0]).toMatchObject({ smtpCode: 554, reason: 'rejected', attempts: 1 });
		expect(result.deliveries[0].smtpResponse).toBe('554 5.7.1 Message rejected as spam');
		expect(result.stopped).toBeNull();
		expect(result.connections).toBe(2);
	});

	test('550 to RCPT and the pipelined DATA refused, then close: failed with the 550, the run goes on', async () => {
		const s = await rawServer({
			onLine: (line, conn) => {
				if (line === 'RCPT TO:<gone@example.org>') {
					conn.reply('550 5.1.1 <gone@example.org>: Recipient address rejected');
					return true;
				}
				if (line === 'DATA' && conn.lines.includes('RCPT TO:<gone@example.org>')) {
					conn.reply('554 5.5.1 Error: no valid recipients');
					// Closed a moment later, so the client's RSET goes into a connection nobody answers.
					setTimeout(() => conn.close(), 20);
					return true;
				}
				return false;
			},
		});
		const result = await runSendJobs(connector(s), await jobs(['gone@example.org', 'b@example.org']), fast);
		expect(statuses(result)).toEqual(['failed', 'sent']);
		expect(result.deliveries[0]).toMatchObject({ smtpCode: 550, reason: 'rejected', attempts: 1 });
		expect(result.deliveries[0].smtpResponse).toMatch(/^550 5\.1\.1 <gone@example\.org>/);
		expect(s.messages).toHaveLength(1);
	});

	test('550 to RCPT, then close before DATA is answered: failed with the 550, not sent again, the run goes on', async () => {
		const s = await rawServer({
			onLine: (line, conn) => {
				if (line !== 'RCPT TO:<gone@example.org>') return;
				conn.reply('550 5.1.1 <gone@example.org>: Recipient address rejected');
				conn.close();
				return true;
			},
		});
		const result = await runSendJobs(connector(s), await jobs(['gone@example.org', 'b@example.org', 'c@example.org']), fast);
		expect(statuses(result)).toEqual(['failed', 'sent', 'sent']);
		expect(result.deliveries[0]).toMatchObject({ smtpCode: 550, reason: 'rejected', attempts: 1 });
		expect(result.stopped).toBeNull();
		// Asked once: a refusal is not a broken connection to retry over.
		expect(rcptLines(s).filter((a) => a === 'gone@example.org')).toHaveLength(1);
		expect(s.messages).toHaveLength(2);
	});

	test('MAIL FROM refused with 553, then close: the run stops on the sender, not on a "lost connection"', async () => {
		const s = await rawServer({
			onLine: (line, conn) => {
				if (!line.startsWith('MAIL FROM:')) return;
				conn.reply('553 5.7.1 Sender address rejected: not owned by user');
				conn.close();
				return true;
			},
		});
		const result = await runSendJobs(connector(s), await jobs(['a@example.org', 'b@example.org']), fast);
		expect(result.stopped?.kind).toBe('sender');
		expect(statuses(result)).toEqual(['notSent', 'notSent']);
		expect(result.connections).toBe(1);
	});
});

describe('a server that takes the message and does not confirm it', () => {
	test('no answer at all: deferred (outcome unknown) within the reply timeout, not resent; the run goes on after a reconnect', async () => {
		const s = await rawServer({ onMessage: (_data, _conn, n) => n === 1 });
		const result = await runSendJobs(connector(s), await jobs(['a@example.org', 'b@example.org']), fast);
		expect(statuses(result)).toEqual(['deferred', 'sent']);
		expect(result.deliveries[0]).toMatchObject({ reason: 'outcomeUnknown', attempts: 1, smtpCode: null });
		expect(result.deliveries[0].error).toMatch(/stopped answering .*not sent again/);
		expect(s.messages).toHaveLength(2);
		expect(result.connections).toBe(2);
	});

	test('an unterminated "250-" reply: deferred (outcome unknown), the run goes on', async () => {
		const s = await rawServer({
			onMessage: (_data, conn, n) => {
				if (n !== 1) return;
				conn.write('250-2.0.0 Ok: queued as X1\r\n');
				return true;
			},
		});
		const result = await runSendJobs(connector(s), await jobs(['a@example.org', 'b@example.org']), fast);
		expect(statuses(result)).toEqual(['deferred', 'sent']);
		expect(result.deliveries[0].reason).toBe('outcomeUnknown');
	});

	test('a reply that trickles in without end keeps the socket busy but still times out: deferred (outcome unknown)', async () => {
		const timers: NodeJS.Timeout[] = [];
		const s = await rawServer({
			onMessage: (_data, conn, n) => {
				if (n !== 1) return;
				// Always less than the reply timeout apart: the socket is never idle.
				timers.push(setInterval(() => conn.write('250-still thinking\r\n'), REPLY_TIMEOUT_MS / 4));
				return true;
			},
		});
		try {
			const result = await runSendJobs(connector(s), await jobs(['a@example.org', 'b@example.org']), fast);
			expect(statuses(result)).toEqual(['deferred', 'sent']);
			expect(result.deliveries[0].reason).toBe('outcomeUnknown');
		} finally {
			timers.forEach(clearInterval);
		}
	});

	test('no answer to RCPT: the message never went, so it is sent again once on a new connection', async () => {
		const s = await rawServer({ onLine: (line, conn) => conn.index === 1 && line.startsWith('RCPT TO:') });
		const result = await runSendJobs(connector(s), await jobs(['a@example.org']), fast);
		expect(result.deliveries[0]).toMatchObject({ status: 'sent', attempts: 2 });
		expect(s.messages).toHaveLength(1);
	});
});

describe('a server that answers twice', () => {
	test('two 250s to one message: the extra one is not taken as the answer to the next command, every message is sent', async () => {
		const s = await rawServer({
			onMessage: (_data, conn, n) => {
				if (n !== 1) return;
				conn.write(`250 2.0.0 Ok: queued as R1\r\n250 2.0.0 Ok: queued as R1 (again)\r\n`);
				return true;
			},
		});
		const result = await runSendJobs(connector(s), await jobs(['a@example.org', 'b@example.org', 'c@example.org']), fast);
		expect(statuses(result)).toEqual(['sent', 'sent', 'sent']);
		expect(result.deliveries.map((d) => d.smtpResponse)).toEqual([
			'250 2.0.0 Ok: queued as R1',
			'250 2.0.0 Ok: queued as R2',
			'250 2.0.0 Ok: queued as R3',
		]);
		expect(s.messages).toHaveLength(3);
	});

	test('an extra 250 arriving after the next MAIL FROM: that message is outcome unknown (not failed), and later ones are sent', async () => {
		let stray = true;
		const s = await rawServer({
			onLine: (line, conn) => {
				// The leftover reply comes late, after the client has started the next message.
				if (stray && line.startsWith('MAIL FROM:') && conn.lines.filter((l) => l.startsWith('MAIL FROM:')).length === 2) {
					stray = false;
					conn.reply('250 2.0.0 Ok: queued as R1 (again)');
				}
			},
		});
		const result = await runSendJobs(connector(s), await jobs(['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org']), fast);
		expect(statuses(result)).toEqual(['sent', 'deferred', 'sent', 'sent']);
		expect(result.deliveries[1]).toMatchObject({ reason: 'outcomeUnknown' });
		expect(result.deliveries[1].error).toMatch(/out of step/);
		expect(result.deliveries[2].smtpResponse).toBe('250 2.0.0 Ok: queued as R3');
		expect(result.deliveries[3].smtpResponse).toBe('250 2.0.0 Ok: queued as R4');
	});
});

describe('cancelling while a message is in flight', () => {
	test('after the data went out: the connection is dropped at once, the item deferred (outcome unknown), the rest notSent', async () => {
		const controller = new AbortController();
		const s = await rawServer({
			onMessage: () => {
				controller.abort();
				return true; // and never answer
			},
		});
		// A reply timeout far beyond the test's: only the cancel can end this run in time.
		const result = await runSendJobs(connector(s, 60_000), await jobs(['a@example.org', 'b@example.org']), { ...fast, signal: controller.signal });
		expect(statuses(result)).toEqual(['deferred', 'notSent']);
		expect(result.deliveries[0]).toMatchObject({ reason: 'outcomeUnknown', attempts: 1 });
		expect(result.deliveries[1].reason).toBe('cancelled');
		expect(result.stopped?.kind).toBe('cancelled');
	});

	test('before the data: notSent (cancelled), nothing reached the server', async () => {
		const controller = new AbortController();
		const s = await rawServer({
			onLine: (line) => {
				if (!line.startsWith('RCPT TO:')) return;
				controller.abort();
				return true; // and never answer
			},
		});
		const result = await runSendJobs(connector(s, 60_000), await jobs(['a@example.org']), { ...fast, signal: controller.signal });
		expect(result.deliveries[0]).toMatchObject({ status: 'notSent', reason: 'cancelled', attempts: 1 });
		expect(s.messages).toHaveLength(0);
	});
});

describe('a server that echoes what it was sent', () => {
	const b64 = (text: string) => Buffer.from(text).toString('base64');
	const forms = [PASSWORD, b64(PASSWORD), b64(`\0${auth.user}\0${PASSWORD}`), PASSWORD.replace(/[\\"]/g, '\\$&')];
	/** Repeats every line it got so far (AUTH included) in its refusals. */
	const echoing = (refuse: (line: string) => boolean): RawSmtpScript => ({
		onLine: (line, conn) => {
			if (!refuse(line)) return;
			conn.reply(`550 5.7.1 refused; you said: ${[...conn.lines, PASSWORD].join(' | ')}`);
			return true;
		},
	});

	test.each(['PLAIN', 'LOGIN'])('AUTH %s, then a refusal quoting it: no form of the password in any delivery', async (mechanism) => {
		const s = await rawServer({
			onLine: (line, conn) => {
				if (line.startsWith('EHLO')) {
					conn.reply(`250-raw.test\r\n250-PIPELINING\r\n250 AUTH ${mechanism}`);
					return true;
				}
				return echoing((l) => l.startsWith('RCPT TO:')).onLine!(line, conn);
			},
		});
		const result = await runSendJobs(connector(s), await jobs(['a@example.org']), fast);
		expect(result.deliveries[0]).toMatchObject({ status: 'failed', smtpCode: 550 });
		const out = JSON.stringify(result);
		expect(out).toContain('[redacted]');
		for (const form of forms) expect(out).not.toContain(form);
		// The server really had them: the redaction is what kept them out.
		expect(s.connections[0].lines.join('\n')).toContain(mechanism === 'PLAIN' ? forms[2] : forms[1]);
	});

	test('a refused login quoting the AUTH command: the run stops naming the cause, without the password in any form', async () => {
		const s = await rawServer(echoing((l) => l.startsWith('AUTH')));
		const result = await runSendJobs(connector(s), await jobs(['a@example.org']), fast);
		expect(result.stopped?.kind).toBe('auth');
		expect(result.stopped?.message).toMatch(/Authentication failed for user "shop@example.com"/);
		const out = JSON.stringify(result);
		for (const form of forms) expect(out).not.toContain(form);
	});
});

describe('a server that closes the connection during the TLS handshake (a restart, a connection limit)', () => {
	test('the run stops as a lost connection, not as a wrong security setting (that would pause the mailbox)', async () => {
		// A bare socket that reads the ClientHello and ends the connection: no TLS server does that on demand.
		const closing = createServer((socket) => socket.once('data', () => socket.end()));
		await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
		try {
			const port = (closing.address() as AddressInfo).port;
			const server: MailServer = { host: '127.0.0.1', port, security: 'tls', allowSelfSigned: false, timeoutMs: 2000 };
			const result = await runSendJobs(smtpConnector(server, auth), await jobs(['a@example.org']), fast);
			expect(result.stopped?.kind).toBe('connectionLost');
			expect(result.stopped?.message).toBe(
				`127.0.0.1:${port} closed the connection during the TLS handshake (Client network socket disconnected before secure TLS connection was established) — if this repeats on every run, check Security: port 465 uses SSL/TLS, 587 and 25 use STARTTLS`,
			);
			expect(statuses(result)).toEqual(['notSent']);
		} finally {
			await new Promise((resolve) => closing.close(resolve));
		}
	});
});
