/**
 * A server that refuses us in its greeting (RFC 5321 §3.1: "554 … no SMTP service here", e.g. this
 * machine's IP address on a blocklist, or a port that is no submission port; 421: "not now"), from
 * the scripted raw server (raw-smtp-server.ts): a real server greets with 554 only for a blocked
 * client, which the mail sandbox cannot be made to be.
 */
import { buildReminderMessage } from '../../lib/mail/message';
import type { MailAuth, MailServer } from '../../lib/mail/server';
import { runSendJobs, type SendJob } from '../../lib/mail/send-run';
import { smtpConnector, verifySmtp } from '../../lib/mail/smtp-session';
import { useRawSmtpServers, type RawSmtpServer } from './raw-smtp-server';

jest.setTimeout(15_000);

const auth: MailAuth = { method: 'password', user: 'shop@example.com', password: 'Greeting-Secret-pw' };

const rawServer = useRawSmtpServers();

const mailServer = (s: RawSmtpServer): MailServer => ({ host: '127.0.0.1', port: s.port, security: 'none', allowSelfSigned: false, timeoutMs: 2000 });

async function jobs(n: number): Promise<SendJob[]> {
	return Promise.all(
		Array.from({ length: n }, async (_, i) => ({
			key: i,
			message: await buildReminderMessage({
				sender: { address: 'shop@example.com' },
				to: `c${i + 1}@example.org`,
				subject: `Zahlungserinnerung R-${i + 1}`,
				text: 'Bitte zahlen',
				invoiceId: `inv-${i + 1}`,
				level: 1,
				runId: 'run-greeting',
			}),
		})),
	);
}

const BLOCKED = '554 5.7.1 raw.test no SMTP service here: your IP is on a blocklist';

describe('a greeting of 554 (no SMTP service for this client)', () => {
	// Before: kind connectionLost, "The connection to … was lost (554 …)".
	it('is a refused connection naming the server\'s words, Host and Port and a blocked IP address; no login is tried', async () => {
		for (const close of [false, true]) {
			const s = await rawServer({
				greet: (c) => {
					c.reply(BLOCKED);
					if (close) c.close();
				},
			});
			const failure = await verifySmtp(mailServer(s), auth, { replyTimeoutMs: 2000 });
			expect(failure).toEqual({
				kind: 'connect',
				code: 554,
				response: BLOCKED,
				message: `127.0.0.1:${s.port} refused the connection in its greeting (${BLOCKED}) — check Host and Port (587 or 465), or ask the provider whether this machine's IP address is blocked`,
			});
			expect(s.connections.flatMap((c) => c.lines).filter((l) => /^(AUTH|EHLO|HELO)/i.test(l))).toEqual([]);
		}
	});

	it('stops a run before its first message, as a refused connection does (stopKind connect)', async () => {
		const s = await rawServer({ greet: (c) => c.reply(BLOCKED) });
		const result = await runSendJobs(smtpConnector(mailServer(s), auth, { replyTimeoutMs: 2000 }), await jobs(2), { minSecondsBetween: 0 });
		expect(result.stopped?.kind).toBe('connect');
		expect(result.stopped?.message).toMatch(/refused the connection in its greeting \(554 5\.7\.1 .*blocklist\) — check Host and Port/);
		expect(result.deliveries.map((d) => [d.status, d.reason, d.stopKind, d.attempts])).toEqual([
			['notSent', 'runStopped', 'connect', 0],
			['notSent', 'runStopped', 'connect', 0],
		]);
		expect(s.messages).toHaveLength(0);
	});
});

describe('a greeting of 421 (service not available now)', () => {
	// Before: "The connection to … was lost (421 …)".
	it('says the server is not accepting connections now, with its words; stays an outage (connectionLost)', async () => {
		const reply = '421 4.3.2 raw.test service not available, closing';
		const s = await rawServer({
			greet: (c) => {
				c.reply(reply);
				c.close();
			},
		});
		const failure = await verifySmtp(mailServer(s), auth, { replyTimeoutMs: 2000 });
		expect(failure).toEqual({
			kind: 'connectionLost',
			code: 421,
			response: reply,
			message: `127.0.0.1:${s.port} is not accepting connections now (${reply}) — try again later`,
		});
	});
});
