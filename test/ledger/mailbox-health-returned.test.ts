/**
 * A refusal of a cause that pauses at once (failed SPF/DKIM/DMARC, a refusal of our own account)
 * pauses at once only when our own SMTP server said it while sending. Returned by mail it may be
 * forged by the one customer the reminder went to (their own server, `MAIL FROM:<>`, the reminder's
 * Message-ID): it pauses once such reports came back for a second customer within 7 days
 * (RETURNED_AT_ONCE_DAYS), so that a merchant sending a reminder a day is caught too.
 */
import { readHealth, recordSenderEvents, type MailboxHealth, type SenderEvent } from '../../lib/ledger/mailbox-health';
import type { SenderProblem } from '../../lib/bounce/sender-advice';

const H = 3_600_000;
const T0 = Date.parse('2099-03-02T08:00:00Z');
const NOW = '2099-03-02T12:00:00.000Z';

const DMARC: SenderProblem = { reason: 'authfailure', status: '5.7.26', diagnostic: "550 5.7.26 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy.", remoteMta: 'mx.kunde.example' };
// Exchange Online: 5.7.60 (the SMTP response) and the NDR 5.2.252.
const SEND_AS_5760: SenderProblem = { reason: 'blocked', status: '5.7.60', diagnostic: '550 5.7.60 SMTP; Client does not have permissions to send as this sender' };
const SEND_AS_52252: SenderProblem = { reason: 'blocked', status: '5.2.252', diagnostic: '554 5.2.252 SendAsDenied; shop@example.com not allowed to send as other@example.com' };
const BLOCKLIST: SenderProblem = { reason: 'blocked', status: '5.7.1', diagnostic: '554 5.7.1 Client host blocked using zen.spamhaus.org', remoteMta: 'mx.kunde.example' };

const returned = (problem: SenderProblem, recipient: string | null, at = T0): SenderEvent => ({ kind: 'senderRejected', at, sentAt: at - H, recipient, returned: true, ...problem });
const atSend = (problem: SenderProblem, recipient: string, at = T0): SenderEvent => ({ kind: 'senderRejected', at, sentAt: at, recipient, ...problem });

describe.each([
	['DMARC (5.7.26)', DMARC, 'dmarc'],
	['Send-As denied (5.7.60)', SEND_AS_5760, 'sendAs'],
	['Send-As denied (5.2.252)', SEND_AS_52252, 'sendAs'],
])('%s', (_name, problem, cause) => {
	it('returned for one customer: counted, not paused, also when it comes back for that customer again', () => {
		const one = recordSenderEvents(readHealth('default', null), [returned(problem, 'anna@schuldner.example')], NOW);
		expect(one).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 1 } });
		expect(JSON.parse(one.health.recentRejections)).toHaveLength(1);
		// The same customer again (the reminder sent again, another forged report): still one customer.
		const again = recordSenderEvents(readHealth('default', { ...one.health }), [returned(problem, 'Anna@Schuldner.example', T0 + H)], NOW);
		expect(again).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 2 } });
	});

	it('returned for a second customer within 7 days (in the same run or a later one): paused, naming the cause and the count', () => {
		const first = recordSenderEvents(readHealth('default', null), [returned(problem, 'anna@schuldner.example')], NOW);
		// The row as stored and read again by the next run.
		const second = recordSenderEvents(readHealth('default', { ...first.health }), [returned(problem, 'buchhaltung@kunde.example', T0 + H)], NOW);
		expect(second).toMatchObject({ pausedNow: true, health: { status: 'paused', statusReason: cause, senderRejections: 2, recentRejections: '[]' } });
		expect(second.health.statusMessage).toMatch(/^Sending from mailbox "default" is paused: reminders were refused .*\(refused for 2 recipients within 24 h\)\. Fix: /);
		const oneRun = recordSenderEvents(readHealth('default', null), [returned(problem, 'anna@schuldner.example'), returned(problem, 'buchhaltung@kunde.example', T0 + 1)], NOW);
		expect(oneRun.health).toMatchObject({ status: 'paused', statusReason: cause });
		// After the 24 h window, within 7 days: the first still counts, and the message names the 7 days.
		const late = recordSenderEvents(readHealth('default', { ...first.health }), [returned(problem, 'buchhaltung@kunde.example', T0 + 25 * H)], new Date(T0 + 26 * H).toISOString());
		expect(late).toMatchObject({ pausedNow: true, health: { status: 'paused', statusReason: cause } });
		expect(late.health.statusMessage).toContain('(refused for 2 recipients within 7 days)');
		// After 7 days it no longer counts.
		const weekLate = recordSenderEvents(readHealth('default', { ...first.health }), [returned(problem, 'buchhaltung@kunde.example', T0 + 7 * 24 * H + 1)], new Date(T0 + 7 * 24 * H + 2).toISOString());
		expect(weekLate).toMatchObject({ pausedNow: false, health: { status: 'ok' } });
	});

	it('refused by our own SMTP server while sending: paused at once, as before', () => {
		const r = recordSenderEvents(readHealth('default', null), [atSend(problem, 'anna@schuldner.example')], NOW);
		expect(r).toMatchObject({ pausedNow: true, health: { status: 'paused', statusReason: cause } });
		expect(r.health.statusMessage).not.toContain('refused for');
	});
});

it('a returned refusal of another cause, or of no known recipient, does not make up the second customer', () => {
	// One forged DMARC report and one blocklist refusal of another customer: two recipients, not three,
	// and only one of a cause that pauses at once.
	const mixed = recordSenderEvents(readHealth('default', null), [returned(DMARC, 'anna@schuldner.example'), returned(BLOCKLIST, 'buchhaltung@kunde.example', T0 + 1)], NOW);
	expect(mixed).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 2 } });
	const reversed = recordSenderEvents(readHealth('default', null), [returned(BLOCKLIST, 'buchhaltung@kunde.example'), returned(DMARC, 'anna@schuldner.example', T0 + 1)], NOW);
	expect(reversed).toMatchObject({ pausedNow: false, health: { status: 'ok' } });
	// The usual rule still counts them: a third customer's refusal pauses.
	expect(recordSenderEvents(mixed.health, [returned(BLOCKLIST, 'c@drei.example', T0 + 2)], NOW).health).toMatchObject({ status: 'paused', statusReason: 'blocklist' });
	// Reports that name no recipient cannot show a second customer.
	expect(recordSenderEvents(readHealth('default', null), [returned(DMARC, null), returned(DMARC, 'anna@schuldner.example', T0 + 1)], NOW).health.status).toBe('ok');
	// Behind the customer's forward a DMARC failure is no cause that pauses at once, returned or not.
	const forwarded = { ...DMARC, forwarded: true };
	expect(recordSenderEvents(readHealth('default', null), [returned(forwarded, 'a@kunde.example'), returned(forwarded, 'b@kunde.example', T0 + 1)], NOW).health.status).toBe('ok');
});

it('a row written before returned refusals were told apart (window entries without the mark) reads as before', () => {
	const row = { mailbox: 'default', status: 'ok', recentRejections: JSON.stringify([T0 - H, [T0 - 1, 'abcdef012345']]) };
	expect(readHealth('default', row).recentRejections).toBe(row.recentRejections);
	// Neither old entry is a returned DMARC refusal: one returned now does not pause, a third recipient of any refusal does by the count.
	const r = recordSenderEvents(readHealth('default', row), [returned(DMARC, 'anna@schuldner.example')], NOW);
	expect(r.health).toMatchObject({ status: 'paused', statusReason: 'dmarc' });
	expect(r.health.statusMessage).toContain('(refused for 3 recipients within 24 h)');
	const one = recordSenderEvents(readHealth('default', { ...row, recentRejections: JSON.stringify([[T0 - 1, 'abcdef012345']]) }), [returned(DMARC, 'anna@schuldner.example')], NOW);
	expect(one.health.status).toBe('ok');
	expect(JSON.parse(one.health.recentRejections)).toEqual([[T0 - 1, 'abcdef012345'], [T0, expect.any(String), 1]]);
});

describe('returned at-once causes at low volume: the second customer counts within 7 days, not only within the window', () => {
	const D = 24 * H;
	/** One run per report, a minute after it arrived, on the row as the last run stored it. */
	const runs = (reports: { who: string; at: number }[], start: MailboxHealth = readHealth('default', { mailbox: 'default', status: 'ok' })) => {
		let h = start;
		return reports.map(({ who, at }) => {
			const r = recordSenderEvents(readHealth('default', { ...h }), [returned(DMARC, who, at)], new Date(at + 60_000).toISOString());
			h = r.health;
			return r;
		});
	};

	it('a reminder a day, each to another customer, each returned refused for DMARC: paused at the second (25 h later), naming the 7 days', () => {
		const r = runs(['K-1', 'K-2', 'K-3', 'K-4'].map((who, i) => ({ who, at: T0 + i * 25 * H })));
		expect(r.map((x) => [x.health.status, x.pausedNow])).toEqual([['ok', false], ['paused', true], ['paused', false], ['paused', false]]);
		expect(r[1].health).toMatchObject({ statusReason: 'dmarc', senderRejections: 2, recentRejections: '[]' });
		expect(r[1].health.statusMessage).toContain('because of DMARC (5.7.26) (refused for 2 recipients within 7 days). Fix: ');
		expect(r[3].health.senderRejections).toBe(4);
		// Just inside the 7 days still pauses.
		expect(runs([{ who: 'K-1', at: T0 }, { who: 'K-2', at: T0 + 7 * D - H }])[1].pausedNow).toBe(true);
	});

	it('one customer 25 h apart, or two customers 8 days apart: not paused, and the stale entry leaves the stored window', () => {
		const same = runs([{ who: 'K-1', at: T0 }, { who: 'K-1', at: T0 + 25 * H }]);
		expect(same[1]).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 2 } });
		expect(JSON.parse(same[1].health.recentRejections)).toHaveLength(2);
		const apart = runs([{ who: 'K-1', at: T0 }, { who: 'K-2', at: T0 + 8 * D }]);
		expect(apart[1]).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 2 } });
		expect(JSON.parse(apart[1].health.recentRejections)).toEqual([[T0 + 8 * D, expect.any(String), 1]]);
	});

	it('only the marked entries stay 7 days: other refusals leave after the window and the usual count reads only the window', () => {
		const k1 = returned(DMARC, 'K-1', T0);
		const first = recordSenderEvents(readHealth('default', null), [k1, returned(BLOCKLIST, 'K-9', T0)], NOW);
		expect(JSON.parse(first.health.recentRejections)).toEqual([[T0, expect.any(String), 1], [T0, expect.any(String)]]);
		// 30 h later, two blocklist refusals: the DMARC entry is kept, the blocklist one is gone, and
		// the old DMARC report does not make a third recipient of the usual count (3 within 24 h).
		const later = T0 + 30 * H;
		const r = recordSenderEvents(readHealth('default', { ...first.health }), [returned(BLOCKLIST, 'K-2', later), returned(BLOCKLIST, 'K-3', later + 1)], new Date(later + 2).toISOString());
		expect(r).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 4 } });
		expect(JSON.parse(r.health.recentRejections)).toEqual([[T0, expect.any(String), 1], [later, expect.any(String)], [later + 1, expect.any(String)]]);
	});

	it('a report read later than the window after it arrived (bounce processing was off) adds to the total only, as any late report', () => {
		const read = T0 + 30 * H;
		const r = recordSenderEvents(readHealth('default', null), [returned(DMARC, 'K-1', T0), returned(DMARC, 'K-2', read - H)], new Date(read).toISOString());
		expect(r).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 2 } });
		expect(JSON.parse(r.health.recentRejections)).toEqual([[read - H, expect.any(String), 1]]);
	});

	it('a resume starts afresh: a DMARC report before the pause is no second customer for one after the resume', () => {
		const [, paused] = runs([{ who: 'K-1', at: T0 }, { who: 'K-2', at: T0 + 25 * H }]);
		expect(paused.health.recentRejections).toBe('[]');
		// The operator fixed DNS and resumed (status "ok"); a day later one more customer's report
		// of a reminder sent after the resume (forged, or a last one in some queue): one customer.
		const resumed = readHealth('default', { ...paused.health, status: 'ok', statusMessage: '' });
		const after = runs([{ who: 'K-3', at: T0 + 3 * D }], resumed);
		expect(after[0]).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 3 } });
	});
});
