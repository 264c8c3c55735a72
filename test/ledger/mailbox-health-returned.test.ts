/**
 * A refusal of a cause that pauses at once (failed SPF/DKIM/DMARC, a refusal of our own account)
 * pauses at once only when our own SMTP server said it while sending. Returned by mail it may be
 * forged by the one customer the reminder went to (their own server, `MAIL FROM:<>`, the reminder's
 * Message-ID): it pauses once such reports came back for a second customer within the window.
 */
import { readHealth, recordSenderEvents, type SenderEvent } from '../../lib/ledger/mailbox-health';
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

	it('returned for a second customer within the window (in the same run or a later one): paused, naming the cause and the count', () => {
		const first = recordSenderEvents(readHealth('default', null), [returned(problem, 'anna@schuldner.example')], NOW);
		// The row as stored and read again by the next run.
		const second = recordSenderEvents(readHealth('default', { ...first.health }), [returned(problem, 'buchhaltung@kunde.example', T0 + H)], NOW);
		expect(second).toMatchObject({ pausedNow: true, health: { status: 'paused', statusReason: cause, senderRejections: 2, recentRejections: '[]' } });
		expect(second.health.statusMessage).toMatch(/^Sending from mailbox "default" is paused: reminders were refused .*\(refused for 2 recipients within 24 h\)\. Fix: /);
		const oneRun = recordSenderEvents(readHealth('default', null), [returned(problem, 'anna@schuldner.example'), returned(problem, 'buchhaltung@kunde.example', T0 + 1)], NOW);
		expect(oneRun.health).toMatchObject({ status: 'paused', statusReason: cause });
		// Outside the window the first no longer counts.
		const late = recordSenderEvents(readHealth('default', { ...first.health }), [returned(problem, 'buchhaltung@kunde.example', T0 + 25 * H)], new Date(T0 + 26 * H).toISOString());
		expect(late).toMatchObject({ pausedNow: false, health: { status: 'ok' } });
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
