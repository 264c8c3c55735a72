/**
 * A letter states its deadline from the day it likely arrives (letter date + Days in the Post,
 * DEFAULT_DAYS_IN_POST unless set). Without that deadline on file (lastDeadline, firstDeadline),
 * the next stage and default by reminder count the days in the post too, so neither comes on or
 * before the day the letter told the customer. E-mails are estimated as before.
 */
import { type Invoice } from '../../lib/dunning';
// Deadline rules from the day after a deadline: Days for Payment to Arrive 0 (at-deadline.ts).
import { createDecider } from './at-deadline';
import { DEFAULT_DAYS_IN_POST } from '../../lib/dunning/deadline-check';
import { buildLetterModel } from '../../lib/letters/letter-model';
import { invoiceItem, letterOptions } from '../letters/fixtures';
import { invoice } from './helpers';

// Decided and posted Tuesday 10 March 2026, 14 days: the decision says 24 March, the letter
// (arriving 13 March) states Friday 27 March; the next stage may go out from Saturday 28 March.
const SENT = '2026-03-10';
const base = { dueDate: '2026-02-20', invoiceDate: '2026-02-10', amount: 100, openAmount: 100 };
const letterFirst = {
	paymentDeadlineDays: 14,
	stages: [
		{ level: 1, name: 'Zahlungserinnerung', daysAfterPrevious: 0, channel: 'letter' as const, fee: 0, chargeInterest: false },
		{ level: 2, name: '1. Mahnung', daysAfterPrevious: 7, channel: 'email' as const, fee: 5, chargeInterest: true },
		{ level: 3, name: '2. Mahnung', daysAfterPrevious: 7, channel: 'email' as const, fee: 5, chargeInterest: true },
	],
};
const emailFirst = { paymentDeadlineDays: 14 };

function levelTwoOn(day: string, policy: object, extra: Partial<Invoice> = {}) {
	return createDecider(policy, day).decide(invoice({ ...base, currentLevel: 1, lastDunnedAt: SENT, ...extra }));
}

/** What Create Reminder Letter states for the level-1 decision of `policy` on SENT. */
function letterStates(policy: object, extra: Partial<Invoice> = {}): string {
	const decision = createDecider(policy, SENT).decide(invoice({ ...base, ...extra }));
	expect(decision.action).toBe('paper');
	const item = invoiceItem(1);
	Object.assign(item.dunning as Record<string, unknown>, { deadline: decision.deadline, asOf: decision.asOf, paymentPeriodDays: decision.paymentPeriodDays, holidayRegion: decision.holidayRegion });
	// Days in the Post not set: the shared default.
	return buildLetterModel(item, letterOptions({ date: SENT })).summary.statedDeadline;
}

describe('the next stage after a letter whose stated deadline is not on file', () => {
	test('the default is one for the letter and the decision', () => {
		expect(DEFAULT_DAYS_IN_POST).toBe(3);
		expect(letterStates(letterFirst)).toBe('2026-03-27');
	});

	test.each([
		['a letter stage', letterFirst, {}],
		['an e-mail stage that went on paper (no address)', emailFirst, { email: null }],
		['an e-mail stage that went on paper (address blocked)', emailFirst, { emailBlocked: true }],
		// Refused more often than allowed (maxEmailRefusals 1): the ERP's letter, address still valid.
		['an e-mail stage that went on paper (e-mails refused)', emailFirst, { emailRefusals: 2, emailRefusedLevel: 1, emailRefusedAt: '2026-03-09' }],
	])('%s: waits through the deadline the letter stated, goes out the day after', (_label, policy, extra) => {
		expect(letterStates(policy, extra)).toBe('2026-03-27');
		for (const day of ['2026-03-25', '2026-03-26', '2026-03-27']) {
			expect(levelTwoOn(day, policy, extra)).toMatchObject({ action: 'none', level: 1, reason: 'waiting', nextActionDate: '2026-03-28' });
		}
		expect(levelTwoOn('2026-03-28', policy, extra)).toMatchObject({ level: 2, reason: expect.not.stringMatching(/waiting/) });
	});

	test('an e-mail: from the day after its deadline, as before', () => {
		expect(levelTwoOn('2026-03-25', emailFirst)).toMatchObject({ action: 'send', level: 2 });
	});

	test('with the letter’s deadline on file, that deadline counts and nothing is added', () => {
		expect(levelTwoOn('2026-03-25', letterFirst, { lastDeadline: '2026-03-24' })).toMatchObject({ action: 'send', level: 2 });
		expect(levelTwoOn('2026-03-27', letterFirst, { lastDeadline: '2026-03-27' })).toMatchObject({ reason: 'waiting', nextActionDate: '2026-03-28' });
	});

	test('a letter decided today names the day after the deadline it will state as its next action date; an e-mail the day after the decided one', () => {
		expect(createDecider(letterFirst, SENT).decide(invoice(base))).toMatchObject({ action: 'paper', deadline: '2026-03-24', nextActionDate: '2026-03-28' });
		expect(createDecider(emailFirst, SENT).decide(invoice(base))).toMatchObject({ action: 'send', deadline: '2026-03-24', nextActionDate: '2026-03-25' });
	});
});

describe('default by reminder after a first letter whose deadline is not on file', () => {
	// Interest From "first reminder": default starts the day after the first reminder's deadline (§286(1) BGB).
	const policy = { ...letterFirst, statutoryInterest: { interestFrom: 'firstReminder' as const } };

	test('interest starts the day after the deadline the letter stated, not three days before', () => {
		const d = levelTwoOn('2026-04-20', policy, { amount: 10000, openAmount: 10000 });
		expect(d).toMatchObject({ action: 'send', level: 2 });
		expect(d.interestPeriods[0].from).toBe('2026-03-28');
	});

	test('with the first deadline on file, from the day after it', () => {
		const d = levelTwoOn('2026-04-20', policy, { amount: 10000, openAmount: 10000, firstDeadline: '2026-03-24' });
		expect(d.interestPeriods[0].from).toBe('2026-03-25');
	});
});
