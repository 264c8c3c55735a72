/**
 * A reminder never asks for payment by a day already past, also when its deadline passes while
 * the run waits: the pause between mails or a retry's backoff can take a run that starts at 23:59
 * past midnight. Checked on the run's clock right before each attempt; a fake clock and an
 * in-memory session, as these rules are about the loop, not the wire.
 */
import { buildReminderMessage, type OutgoingMessage } from '../../lib/mail/message';
import { runSendJobs, type SendJob } from '../../lib/mail/send-run';
import { SmtpSendError } from '../../lib/mail/smtp-session';
import type { SendBy } from '../../lib/dunning/deadline-check';

function fakeClock(startIso: string) {
	let now = Date.parse(startIso);
	return {
		now: () => now,
		sleep: async (ms: number) => {
			now += Math.max(0, ms);
		},
	};
}

/** What reached the server, in order: each attempt's recipient and the clock then. */
type Wire = Array<[string, string]>;

/** A session that records every attempt and greylists `greylisted` addresses once each. */
function session(wire: Wire, clock: { now(): number }, greylisted: string[] = []) {
	const refused = new Set<string>();
	return {
		connect: async () => ({
			open: true,
			close: () => undefined,
			send: async (m: Pick<OutgoingMessage, 'envelope' | 'raw'>) => {
				const to = m.envelope.to[0];
				wire.push([to, new Date(clock.now()).toISOString()]);
				if (greylisted.includes(to) && !refused.has(to)) {
					refused.add(to);
					throw new SmtpSendError({ kind: 'temporary', code: 451, response: '451 4.7.1 Greylisted', message: 'Temporarily refused' }, false);
				}
				return { code: 250, response: '250 ok', refusals: [] };
			},
		}),
	};
}

async function job(key: number, to: string, sendBy?: SendBy): Promise<SendJob> {
	const message = await buildReminderMessage({
		sender: { address: 'shop@example.com' },
		to,
		subject: `Zahlungserinnerung R-${key}`,
		text: 'Text',
		invoiceId: `inv-${key}`,
		level: 1,
		runId: 'run-send-by',
	});
	return { key, message, ...(sendBy ? { sendBy } : {}) };
}

const berlin = (deadline: string): SendBy => ({ deadline, timezone: 'Europe/Berlin', field: 'dunning.deadline' });

describe('a reminder whose deadline passes while the run waits', () => {
	test('during the pause between mails: not sent, notSent (deadlinePassed) naming the field and the day; the next one, due that day, still goes and the cap does not count the one left out', async () => {
		// 23:59 in Berlin on 16 March 2099 (UTC+1).
		const clock = fakeClock('2099-03-16T22:59:00Z');
		const wire: Wire = [];
		const list = [await job(0, 'a@example.org', berlin('2099-03-16')), await job(1, 'b@example.org', berlin('2099-03-16')), await job(2, 'c@example.org', berlin('2099-03-17'))];
		const result = await runSendJobs(session(wire, clock), list, { minSecondsBetween: 60, maxPerRun: 2, clock });

		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'notSent', 'sent']);
		expect(result.deliveries[1]).toMatchObject({ reason: 'deadlinePassed', attempts: 0, messageId: list[1].message.messageId });
		expect(result.deliveries[1].error).toBe(
			'Not sent: its payment deadline passed while it waited to be sent in this run. The field "dunning.deadline" (deadline) is 2099-03-16, before today, 2099-03-17 in Europe/Berlin: it would ask for payment by a day already past. Run Compute Dunning Level again for a fresh deadline',
		);
		// Nothing of b reached the server; c went after midnight, on its deadline's own day.
		expect(wire).toEqual([
			['a@example.org', '2099-03-16T22:59:00.000Z'],
			['c@example.org', '2099-03-16T23:01:00.000Z'],
		]);
		expect(result.stopped).toBeNull();
	});

	test("during a retry's backoff: the retry is not sent; the day is the customer's (New York), not UTC's", async () => {
		// 23:59:50 on 16 March in New York (UTC-4), already 17 March in UTC.
		const start = '2099-03-17T03:59:50Z';
		const newYork: SendBy = { deadline: '2099-03-16', timezone: 'America/New_York', field: 'payBy' };
		const clock = fakeClock(start);
		const wire: Wire = [];
		const result = await runSendJobs(session(wire, clock, ['a@example.org']), [await job(0, 'a@example.org', newYork)], { minSecondsBetween: 0, retryBaseMs: 30_000, clock });

		expect(result.deliveries[0]).toMatchObject({ status: 'notSent', reason: 'deadlinePassed', attempts: 1 });
		expect(result.deliveries[0].error).toMatch(/^Not sent: its payment deadline passed while it waited to be sent in this run\. The field "payBy" \(deadline\) is 2099-03-16, before today, 2099-03-17 in America\/New_York: /);
		// The first attempt (still 16 March there) only: the retry 30 s later would have been on the 17th.
		expect(wire).toEqual([['a@example.org', '2099-03-17T03:59:50.000Z']]);
	});

	test('a deadline that has not passed by the retry: retried and sent', async () => {
		const clock = fakeClock('2099-03-16T22:59:50Z');
		const wire: Wire = [];
		const result = await runSendJobs(session(wire, clock, ['a@example.org']), [await job(0, 'a@example.org', berlin('2099-03-17'))], { minSecondsBetween: 0, retryBaseMs: 30_000, clock });

		expect(result.deliveries[0]).toMatchObject({ status: 'sent', attempts: 2, smtpCode: 250 });
		expect(wire).toEqual([
			['a@example.org', '2099-03-16T22:59:50.000Z'],
			['a@example.org', '2099-03-16T23:00:20.000Z'],
		]);
	});

	test('a send-by limit that cannot tell the day (no IANA zone) is refused before anything is sent, naming the job', async () => {
		const clock = fakeClock('2099-03-16T12:00:00Z');
		const wire: Wire = [];
		const list = [await job(0, 'a@example.org'), await job(1, 'b@example.org', { deadline: '2099-03-20', timezone: 'Europe/Berlim', field: 'dunning.deadline' })];
		await expect(runSendJobs(session(wire, clock), list, { minSecondsBetween: 0, clock })).rejects.toThrow('Send-by limits: job 1: its timezone "Europe/Berlim" is no IANA timezone');
		expect(wire).toEqual([]);
	});
});

describe('a reminder whose stated deadline was restated from a day that ended while the run waited', () => {
	/** As Compute Dunning Level's items restate it: 14 days from the send day, the decided 2099-03-24 at the least (no holidays in these days). */
	const restate = (day: string) => (day >= '2099-03-11' ? new Date(Date.parse(`${day}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10) : '2099-03-24');

	test('rendered 23:59:50 on 16 March, reached after midnight: not sent (notSent, dayChanged), it would give one day less; the cap does not count it', async () => {
		// 23:59:50 in Berlin on 16 March 2099 (UTC+1): the message states 30 March, 14 days from the 16th.
		const clock = fakeClock('2099-03-16T22:59:50Z');
		const wire: Wire = [];
		const stated = { deadline: '2099-03-30', timezone: 'Europe/Berlin', restate };
		const list = [{ ...(await job(0, 'a@example.org', berlin('2099-03-24'))), stated }, { ...(await job(1, 'b@example.org', berlin('2099-03-24'))), stated }, await job(2, 'c@example.org')];
		const result = await runSendJobs(session(wire, clock), list, { minSecondsBetween: 30, maxPerRun: 2, clock });

		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'notSent', 'sent']);
		expect(result.deliveries[1]).toMatchObject({ reason: 'dayChanged', attempts: 0, messageId: list[1].message.messageId });
		expect(result.deliveries[1].error).toBe(
			'Not sent: the day changed while it waited to be sent in this run (today is 2099-03-17 in Europe/Berlin); its text states the payment deadline 2099-03-30, sent today it must state 2099-03-31. It goes out in a later run, with the deadline of that day',
		);
		expect(wire).toEqual([
			['a@example.org', '2099-03-16T22:59:50.000Z'],
			['c@example.org', '2099-03-16T23:00:50.000Z'],
		]);
	});

	test("a retry after midnight: not sent; a later day that restates to the same deadline is sent (the decided deadline still the later one)", async () => {
		const clock = fakeClock('2099-03-16T22:59:50Z');
		const wire: Wire = [];
		const dayChanged = { ...(await job(0, 'a@example.org', berlin('2099-03-24'))), stated: { deadline: '2099-03-30', timezone: 'Europe/Berlin', restate } };
		const result = await runSendJobs(session(wire, clock, ['a@example.org']), [dayChanged], { minSecondsBetween: 0, retryBaseMs: 30_000, clock });
		expect(result.deliveries[0]).toMatchObject({ status: 'notSent', reason: 'dayChanged', attempts: 1 });
		expect(wire).toHaveLength(1);

		// 9 March: 14 days from the 9th or the 10th is still before the decided 24th, which it states.
		const early = fakeClock('2099-03-09T22:59:50Z');
		const wire2: Wire = [];
		const same = { ...(await job(1, 'b@example.org', berlin('2099-03-24'))), stated: { deadline: '2099-03-24', timezone: 'Europe/Berlin', restate } };
		const sent = await runSendJobs(session(wire2, early, ['b@example.org']), [same], { minSecondsBetween: 0, retryBaseMs: 30_000, clock: early });
		expect(sent.deliveries[0]).toMatchObject({ status: 'sent', attempts: 2 });
	});
});
