/**
 * Claimed reminders (Dunning Ledger): each goes out within its sending slot, none is started when
 * its claim is about to end, and none is retried within the run. Against a real smtp-server.
 */
import { buildReminderMessage } from '../../lib/mail/message';
import { DEFAULT_REPLY_TIMEOUT_MS, longestSendMs, runSendJobs, type SendJob, type SendSlot } from '../../lib/mail/send-run';
import { smtpConnector } from '../../lib/mail/smtp-session';
import { startTestServer, type TestServer } from './smtp-test-server';

let server: TestServer;
const arrivals: number[] = [];
let refuse = false;

async function start(loginDelayMs = 0) {
	arrivals.length = 0;
	refuse = false;
	server = await startTestServer({
		security: 'none',
		users: { shop: 'pw' },
		loginDelayMs,
		onData: () => {
			arrivals.push(Date.now());
			return refuse ? { code: 451, message: '4.3.0 try later' } : undefined;
		},
	});
}
beforeEach(() => start());
afterEach(async () => await server.close());

async function job(i: number, slot: SendSlot): Promise<SendJob> {
	const message = await buildReminderMessage({
		sender: { address: 'shop@example.com', name: 'Shop' },
		to: `kunde${i}@example.org`,
		subject: `Erinnerung ${i}`,
		text: 'Text',
		invoiceId: `inv-${i}`,
		level: 1,
		runId: 'run-1',
		attachments: [],
	});
	return { key: i, message, slot };
}

const connector = () => smtpConnector({ host: '127.0.0.1', port: server.port, security: 'none', allowSelfSigned: true, timeoutMs: 5000 }, { method: 'password', user: 'shop', password: 'pw' });

test('each claimed reminder goes out at its slot or later, whatever the local pause says', async () => {
	const now = Date.now();
	const lease = now + 10 * 60_000;
	const slots = [now + 150, now + 450, now + 750];
	const jobs = await Promise.all(slots.map((notBefore, i) => job(i, { notBefore, notAfter: notBefore + 5000, leaseUntil: lease })));
	const result = await runSendJobs(connector(), jobs, { minSecondsBetween: 0 });
	expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'sent']);
	arrivals.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(slots[i]));
});

test('a reminder whose claim is about to end is not started: notSent, nothing reaches the server', async () => {
	const now = Date.now();
	// Reached a minute after its slot: the claim no longer outlasts the longest its sending can take.
	const claimed = await job(1, { notBefore: now - 60_000, notAfter: now + 5000, leaseUntil: 0 });
	claimed.slot!.leaseUntil = now + longestSendMs(claimed.message, DEFAULT_REPLY_TIMEOUT_MS) - 1000;
	const result = await runSendJobs(connector(), [claimed], { minSecondsBetween: 0 });
	expect(result.deliveries[0]).toMatchObject({ status: 'notSent', reason: 'leaseExpired' });
	expect(arrivals).toEqual([]);
});

test('a claim shorter than the longest a send can take, started at its slot, is sent: 15 minutes for 15 replies of up to 60 s each and the upload', async () => {
	const now = Date.now();
	const claimed = await job(1, { notBefore: now + 100, notAfter: now + 5000, leaseUntil: now + 100 + 15 * 60_000 });
	// 10 addresses (the most a reminder may have) and the BCC copy: 11 RCPT TO, 15 replies.
	const many = Array.from({ length: 10 }, (_, n) => `k${n}@example.org`).join(', ');
	claimed.message = await buildReminderMessage({
		sender: { address: 'shop@example.com', name: 'Shop', bcc: 'archiv@example.com' },
		to: many,
		subject: 'Erinnerung',
		text: 'Text',
		invoiceId: 'inv-many',
		level: 1,
		runId: 'run-1',
		attachments: [],
	});
	expect(longestSendMs(claimed.message, DEFAULT_REPLY_TIMEOUT_MS)).toBeGreaterThan(15 * 60_000);
	const result = await runSendJobs(connector(), [claimed], { minSecondsBetween: 0 });
	expect(result.deliveries[0]).toMatchObject({ status: 'sent' });
	expect(arrivals).toHaveLength(1);
});

test('a slot that has passed is not used: notSent, nothing reaches the server', async () => {
	const now = Date.now();
	const result = await runSendJobs(connector(), [await job(1, { notBefore: now - 5000, notAfter: now - 4000, leaseUntil: now + 600_000 })], { minSecondsBetween: 0 });
	expect(result.deliveries[0]).toMatchObject({ status: 'notSent', reason: 'slotMissed', leadTooShort: true });
	expect(result.deliveries[0].error).toMatch(/^Not sent: it missed its sending slot by 5\.\d s \(the steps before sending ended 5\.\d s after it\); .*raise Connection Lead/);
	expect(arrivals).toEqual([]);
});

test('a login slower than the lead misses the slot: given back naming how long connecting took and what to raise; in time with a longer lead', async () => {
	await server.close();
	await start(1500);
	const now = Date.now();
	const late = await runSendJobs(connector(), [await job(1, { notBefore: now + 300, notAfter: now + 400, leaseUntil: now + 600_000 })], { minSecondsBetween: 0 });
	expect(late.deliveries[0]).toMatchObject({ status: 'notSent', reason: 'slotMissed', attempts: 0, leadTooShort: true });
	expect(late.deliveries[0].error).toMatch(
		/^Not sent: it missed its sending slot by 1\.\d s \(connecting and logging in took 1\.\d s\); it goes out in a later run; if every run misses its slot, raise Connection Lead in the Dunning Pace node \("Plan Sending Slots" in the shipped sender\)$/,
	);
	expect(arrivals).toEqual([]);
	const then = Date.now();
	const inTime = await runSendJobs(connector(), [await job(2, { notBefore: then + 2500, notAfter: then + 2600, leaseUntil: then + 600_000 })], { minSecondsBetween: 0 });
	expect(inTime.deliveries[0]).toMatchObject({ status: 'sent' });
	expect(arrivals).toHaveLength(1);
});

test('a 4xx is deferred at once, not retried after a wait that would miss the slot', async () => {
	refuse = true;
	const now = Date.now();
	const result = await runSendJobs(connector(), [await job(1, { notBefore: now, notAfter: now + 5000, leaseUntil: now + 600_000 })], {
		minSecondsBetween: 0,
		retryBaseMs: 60_000,
	});
	expect(result.deliveries[0]).toMatchObject({ status: 'deferred', reason: 'temporary', attempts: 1 });
	expect(arrivals).toHaveLength(1);
});
