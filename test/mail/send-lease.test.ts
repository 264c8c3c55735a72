/**
 * A claimed reminder is not started unless its claim outlasts the longest its sending can take
 * (smtp-session.ts: each reply within the reply timeout, the upload at the slowest rate allowed):
 * a claim that ends mid-send is given back by the next tick and another execution may send the
 * same reminder again. A message whose longest is more than its claim holds after its slot (a
 * large PDF) goes out when started within 30 s of its slot: refused at every tick, it would hold
 * up its mailbox's queue for ever. A claim that ends within 30 s of its slot is a settings problem:
 * the run stops. The first start and a resend after a broken connection alike.
 */
import { buildReminderMessage, type OutgoingMessage } from '../../lib/mail/message';
import type { MailServer } from '../../lib/mail/server';
import { longestSendMs, runSendJobs, type SendJob, type SendSlot } from '../../lib/mail/send-run';
import { smtpConnector, SmtpSendError, type SmtpConnector } from '../../lib/mail/smtp-session';
import { startTestServer, type TestServer } from './smtp-test-server';

let server: TestServer;
beforeEach(async () => {
	server = await startTestServer({ security: 'none', users: { shop: 'pw' } });
});
afterEach(async () => await server.close());

const mailServer = (): MailServer => ({ host: '127.0.0.1', port: server.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 });
const auth = { method: 'password', user: 'shop', password: 'pw' } as const;

async function message(i: number, extra: { bcc?: string; to?: string; pdf?: Buffer } = {}): Promise<OutgoingMessage> {
	return buildReminderMessage({
		sender: { address: 'shop@example.com', name: 'Shop', ...(extra.bcc ? { bcc: extra.bcc } : {}) },
		to: extra.to ?? `kunde${i}@example.org`,
		subject: `Erinnerung ${i}`,
		text: 'Text',
		invoiceId: `inv-${i}`,
		level: 1,
		runId: 'run-lease',
		attachments: extra.pdf ? [{ filename: 'R.pdf', contentType: 'application/pdf', content: extra.pdf }] : [],
	});
}

const slot = (now: number, leaseMs: number): SendSlot => ({ notBefore: now, notAfter: now + 5000, leaseUntil: now + leaseMs });

test('the longest a send can take: one reply timeout per reply (MAIL FROM, each RCPT TO, DATA, the end of the data, RSET after a refusal) and the upload at 10 kB/s', async () => {
	const one = await message(1);
	expect(longestSendMs(one, 60_000)).toBe(5 * 60_000 + Math.ceil(one.raw.length / 10));
	// Two addresses of the customer and the BCC copy: three RCPT TO.
	const three = await message(2, { to: 'a@example.org, b@example.org', bcc: 'archiv@example.com', pdf: Buffer.alloc(500_000, 0x41) });
	expect(three.envelope.to).toHaveLength(3);
	expect(longestSendMs(three, 2_000)).toBe(7 * 2_000 + Math.ceil(three.raw.length / 10));
	expect(longestSendMs(three, 2_000)).toBeGreaterThan(14_000 + 50_000);
});

test('with the default reply timeout (60 s) a claim with 2 minutes left is not started: a send may take 5 minutes and more; notSent, nothing reaches the server', async () => {
	const now = Date.now();
	// Its slot was 5 minutes ago (the claim ran 7 minutes after it): a message of usual size keeps the whole bound.
	const job: SendJob = { key: 1, message: await message(1), slot: { notBefore: now - 300_000, notAfter: now + 5000, leaseUntil: now + 120_000 } };
	const result = await runSendJobs(smtpConnector(mailServer(), auth), [job], { minSecondsBetween: 0 });
	expect(result.deliveries[0]).toMatchObject({ status: 'notSent', reason: 'leaseExpired', attempts: 0 });
	expect(result.deliveries[0].error).toMatch(
		/^Not sent: its claim in the ledger ends in 1\d\d s, and sending it may take up to 30\d s \(5 server replies of up to 60 s each, and its upload\); it goes out in a later run\. If every reminder comes out so, raise leaseMinutes in the sender's Settings or lower the Timeout \(Seconds\) of Send Reminder Email$/,
	);
	expect(server.received).toHaveLength(0);
	expect(server.connections).toBe(1);
});

test('the margin follows the configured reply timeout: 1 s replies, a claim with 20 s left is sent, one with 4 s left is not', async () => {
	const connector = smtpConnector(mailServer(), auth, { replyTimeoutMs: 1000 });
	const now = Date.now();
	// Slots a minute ago: what is left of the claim counts, not its length after the slot.
	const late = (leftMs: number): SendSlot => ({ notBefore: now - 60_000, notAfter: now + 5000, leaseUntil: now + leftMs });
	const jobs: SendJob[] = [
		{ key: 1, message: await message(1), slot: late(20_000) },
		{ key: 2, message: await message(2), slot: late(4_000) },
	];
	const result = await runSendJobs(connector, jobs, { minSecondsBetween: 0, replyTimeoutMs: 1000 });
	expect(result.deliveries.map((d) => [d.status, d.reason])).toEqual([
		['sent', undefined],
		['notSent', 'leaseExpired'],
	]);
	expect(server.received.map((m) => m.to)).toEqual([['kunde1@example.org']]);
});

test('a 6 MB reminder on a 15-minute claim started at its slot is sent, though its longest (default 60 s replies) is more than the claim', async () => {
	const big = await message(1, { pdf: Buffer.alloc(6_000_000, 0x41) });
	expect(longestSendMs(big, 60_000)).toBeGreaterThan(15 * 60_000);
	const now = Date.now();
	const result = await runSendJobs(smtpConnector(mailServer(), auth), [{ key: 1, message: big, slot: slot(now, 15 * 60_000) }], { minSecondsBetween: 0 });
	expect(result.deliveries[0]).toMatchObject({ status: 'sent', attempts: 1 });
	expect(server.received).toHaveLength(1);
});

test('the same 6 MB reminder started a minute after its slot (more than 30 s of the claim gone, less left than its longest) is not: notSent / leaseExpired', async () => {
	const big = await message(1, { pdf: Buffer.alloc(6_000_000, 0x41) });
	const now = Date.now();
	const slotAt = now - 60_000;
	const result = await runSendJobs(
		smtpConnector(mailServer(), auth),
		[{ key: 1, message: big, slot: { notBefore: slotAt, notAfter: now + 5000, leaseUntil: slotAt + 15 * 60_000 } }],
		{ minSecondsBetween: 0 },
	);
	expect(result.deliveries[0]).toMatchObject({ status: 'notSent', reason: 'leaseExpired', attempts: 0 });
	expect(result.deliveries[0].error).toMatch(
		/^Not sent: it would start 60 s after its sending slot \(a message this long goes out only within 30 s of it\), its claim in the ledger ends in 84\d s, and sending it may take up to 1\d{3} s /,
	);
	expect(result.stopped).toBeNull();
	expect(server.received).toHaveLength(0);
});

test('a claim that ends 30 s or less after its slot can never be used: the run stops (stopKind settings) naming leaseMinutes and Timeout (Seconds); nothing is sent', async () => {
	const now = Date.now();
	const jobs: SendJob[] = [
		{ key: 1, message: await message(1), slot: slot(now, 30_000) },
		{ key: 2, message: await message(2), slot: slot(now, 15 * 60_000) },
	];
	const result = await runSendJobs(smtpConnector(mailServer(), auth), jobs, { minSecondsBetween: 0 });
	expect(result.stopped?.kind).toBe('settings');
	expect(result.stopped?.message).toMatch(
		/^A claim in the ledger ends 30 s after its sending slot, too soon for any reminder: a claim must last more than 30 s past its slot, and this reminder may take up to 30\d s with the Timeout \(Seconds\) of Send Reminder Email \(60 s\)\. Nothing more was sent in this run\. Fix: raise leaseMinutes in the sender's Settings \(15 minutes is the shipped value\) well above that$/,
	);
	expect(result.deliveries.map((d) => [d.status, d.reason, d.stopKind])).toEqual([
		['notSent', 'runStopped', 'settings'],
		['notSent', 'runStopped', 'settings'],
	]);
	expect(server.connections).toBe(0);
});

test('a resend after a broken connection is a start too: not made once the claim no longer outlasts it (fake clock)', async () => {
	let now = 1_700_000_000_000;
	const clock = { now: () => now, sleep: async (ms: number) => void (now += Math.max(0, ms)) };
	const sent: string[] = [];
	const connector: SmtpConnector = {
		connect: async () => ({
			open: true,
			close: () => undefined,
			send: async (m) => {
				sent.push(m.envelope.to[0]);
				// The first try hangs until the reply timeout, then the connection is gone: 70 s later.
				if (sent.length === 1) {
					now += 70_000;
					throw new SmtpSendError({ kind: 'connectionLost', code: null, response: null, message: 'The server stopped answering (no reply within 60 s)' }, false);
				}
				return { code: 250, response: '250 ok', refusals: [] };
			},
		}),
	};
	const job = async (leaseMs: number): Promise<SendJob> => ({ key: 1, message: await message(1), slot: { notBefore: now, notAfter: now + 600_000, leaseUntil: now + leaseMs } });

	// 6 minutes of claim: enough for the first try (5 min and the upload), not for a second after 70 s.
	const short = await runSendJobs(connector, [await job(360_000)], { minSecondsBetween: 0, clock });
	expect(short.deliveries[0]).toMatchObject({ status: 'notSent', reason: 'leaseExpired', attempts: 1 });
	expect(sent).toHaveLength(1);

	// 10 minutes: the resend goes out.
	sent.length = 0;
	const long = await runSendJobs(connector, [await job(600_000)], { minSecondsBetween: 0, clock });
	expect(long.deliveries[0]).toMatchObject({ status: 'sent', attempts: 2 });
	expect(sent).toHaveLength(2);
});

test('a message longer than its claim is sent again after a broken connection only within 30 s of its slot (fake clock)', async () => {
	let now = 1_700_000_000_000;
	const clock = { now: () => now, sleep: async (ms: number) => void (now += Math.max(0, ms)) };
	let breakAfterMs = 0;
	let sends = 0;
	const connector: SmtpConnector = {
		connect: async () => ({
			open: true,
			close: () => undefined,
			send: async () => {
				sends++;
				if (sends === 1) {
					now += breakAfterMs;
					throw new SmtpSendError({ kind: 'connectionLost', code: null, response: null, message: 'The connection was closed' }, false);
				}
				return { code: 250, response: '250 ok', refusals: [] };
			},
		}),
	};
	const big = await message(1, { pdf: Buffer.alloc(6_000_000, 0x41) });
	const run = async (afterMs: number) => {
		breakAfterMs = afterMs;
		sends = 0;
		const job: SendJob = { key: 1, message: big, slot: { notBefore: now, notAfter: now + 600_000, leaseUntil: now + 15 * 60_000 } };
		return (await runSendJobs(connector, [job], { minSecondsBetween: 0, clock })).deliveries[0];
	};
	expect(await run(5_000)).toMatchObject({ status: 'sent', attempts: 2 });
	expect(await run(40_000)).toMatchObject({ status: 'notSent', reason: 'leaseExpired', attempts: 1 });
	expect(sends).toBe(1);
});

test('a reply timeout that is no positive number is refused before anything is sent', async () => {
	const job: SendJob = { key: 1, message: await message(1) };
	for (const replyTimeoutMs of [0, -1, Number.NaN]) {
		await expect(runSendJobs(smtpConnector(mailServer(), auth), [job], { minSecondsBetween: 0, replyTimeoutMs })).rejects.toThrow(
			`Sending options: replyTimeoutMs must be a number above 0, not ${String(replyTimeoutMs)}`,
		);
	}
	expect(server.connections).toBe(0);
});
