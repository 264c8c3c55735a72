import { DateTime } from 'luxon';

import { type DunningPolicyInput } from '../../lib/dunning';
// Deadline rules from the day after a deadline: Days for Payment to Arrive 0 (at-deadline.ts).
import { compilePolicy, createDecider, decide } from './at-deadline';
import { invoice } from './helpers';

/** All tests run on fixed days; the clock is never read. */
const TODAY = '2026-11-23'; // a Monday

describe('level decision', () => {
	describe('when an invoice is due', () => {
		it('is not due on its due date (due strictly before today)', () => {
			const d = decide(invoice({ dueDate: TODAY }), {}, TODAY);
			expect(d).toMatchObject({ action: 'none', reason: 'notDue', level: 0, daysOverdue: 0, nextActionDate: '2026-11-30', deadline: null });
		});

		it('waits for the first stage’s days after the due date', () => {
			expect(decide(invoice({ dueDate: '2026-11-17' }), {}, TODAY)).toMatchObject({ action: 'none', reason: 'waiting', daysOverdue: 6, nextActionDate: '2026-11-24' });
			expect(decide(invoice({ dueDate: '2026-11-16' }), {}, TODAY)).toMatchObject({ action: 'send', reason: null, level: 1, previousLevel: 0, daysOverdue: 7 });
		});

		it('adds grace days before the first stage', () => {
			expect(decide(invoice({ dueDate: '2026-11-16' }), { graceDays: 2 }, TODAY)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-11-25' });
			expect(decide(invoice({ dueDate: '2026-11-14' }), { graceDays: 2 }, TODAY)).toMatchObject({ action: 'send', level: 1 });
		});

		it('sends the first stage the day after the due date when it has 0 days', () => {
			const policy = { stages: [{ name: 'Now', daysAfterPrevious: 0 }] };
			expect(decide(invoice({ dueDate: TODAY }), policy, TODAY)).toMatchObject({ reason: 'notDue', nextActionDate: '2026-11-24' });
			expect(decide(invoice({ dueDate: '2026-11-20' }), policy, '2026-11-21')).toMatchObject({ action: 'send', level: 1 });
			// Due Sunday 22 Nov: its legal end is Monday 23rd (§193 BGB), so the first stage goes on the 24th.
			expect(decide(invoice({ dueDate: '2026-11-22' }), policy, TODAY)).toMatchObject({ reason: 'notDue', nextActionDate: '2026-11-24' });
		});

		it('counts later stages from the last reminder, from the day after the deadline it set', () => {
			// Reminded 17 Nov: 7 days after is 24 Nov, the deadline it printed (17 + 7); the next stage goes on 25 Nov.
			const inv = invoice({ dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-17' });
			expect(decide(inv, {}, TODAY)).toMatchObject({ reason: 'waiting', level: 1, stageName: 'Zahlungserinnerung / Payment reminder', nextActionDate: '2026-11-25' });
			// Reminded Friday 13 Nov: its deadline, Friday 20 Nov, has passed.
			expect(decide({ ...inv, lastDunnedAt: '2026-11-13' }, {}, TODAY)).toMatchObject({ action: 'send', level: 2, previousLevel: 1, stageName: '1. Mahnung / First dunning' });
			// Reminded 15 Nov: its deadline, Sunday 22 Nov, ends on Monday 23 Nov, today (§193 BGB): the next stage on the 24th.
			expect(decide({ ...inv, lastDunnedAt: '2026-11-15' }, {}, TODAY)).toMatchObject({ reason: 'waiting', level: 1, nextActionDate: '2026-11-24' });
		});

		it('never sends the next stage on the previous reminder’s deadline day (it says the reminder went unpaid)', () => {
			// Reminded 16 Nov "pay by 23 Nov": today is that day. 7 days after it, but not yet past it: 24 Nov.
			const inv = invoice({ dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-16' });
			expect(decide(inv, {}, TODAY)).toMatchObject({ action: 'none', reason: 'waiting', level: 1, nextActionDate: '2026-11-24' });
			expect(decide(inv, {}, '2026-11-24')).toMatchObject({ action: 'send', level: 2 });
			// The reminder sent today says "pay by 30 Nov" (23 + 7) and names 1 Dec for the next stage.
			expect(decide(invoice({ dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-13' }), {}, TODAY)).toMatchObject({ level: 2, deadline: '2026-11-30', nextActionDate: '2026-12-01' });
			// A longer Payment Deadline waits longer than the stage's days: 14 days from 16 Nov is 30 Nov, so 1 Dec.
			expect(decide(inv, { paymentDeadlineDays: 14 }, TODAY)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-12-01' });
			// A longer stage wins over a shorter deadline: 10 days after 16 Nov is 26 Nov (deadline 23 Nov).
			const slow = { stages: [{ name: 'A' }, { name: 'B', daysAfterPrevious: 10 }] };
			expect(decide(inv, slow, TODAY)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-11-26' });
			// The minimum interval too (the latest of all): 16 Nov + 12 = 28 Nov.
			expect(decide(inv, { minDaysBetweenReminders: 12 }, TODAY)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-11-28' });
			// Without a deadline (0 days) the stage's days rule: 16 Nov + 7 = 23 Nov, today.
			expect(decide(inv, { paymentDeadlineDays: 0 }, TODAY)).toMatchObject({ action: 'send', level: 2 });
		});

		it('falls back to the schedule when the last reminder date is unknown', () => {
			// Every stage on its earliest day: stage 1 due + 7, each later one the day after the previous deadline (+ 8).
			// Due 2026-10-29: stage 1 on 11-05, stage 2 on 11-13, stage 3 on 11-21 (the day after Friday 11-20, stage 2's deadline).
			expect(decide(invoice({ dueDate: '2026-10-29', currentLevel: 2 }), {}, TODAY)).toMatchObject({ action: 'send', level: 3 });
			// Due 2026-10-31: stage 2 on 11-15, its deadline Sunday 11-22 ends on Monday 11-23 (§193 BGB): stage 3 on 11-24.
			expect(decide(invoice({ dueDate: '2026-10-31', currentLevel: 2 }), {}, TODAY)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-11-24' });
			// Due 2026-11-01: stage 2 on 11-16, deadline 11-23, stage 3 on 11-24.
			expect(decide(invoice({ dueDate: '2026-11-01', currentLevel: 2 }), {}, TODAY)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-11-24' });
		});

		it('keeps the minimum interval since the last reminder', () => {
			const inv = invoice({ dueDate: '2026-09-01', currentLevel: 1, lastDunnedAt: '2026-11-13' });
			expect(decide(inv, {}, TODAY)).toMatchObject({ action: 'send', level: 2 });
			expect(decide(inv, { minDaysBetweenReminders: 14 }, TODAY)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-11-27' });
		});

		it('never jumps a level, however long overdue', () => {
			// Next: the day after this reminder's deadline, 23 Nov + 7 = 30 Nov → 1 Dec.
			const d = decide(invoice({ dueDate: '2025-01-01' }), {}, TODAY);
			expect(d).toMatchObject({ action: 'send', level: 1, previousLevel: 0, deadline: '2026-11-30', nextActionDate: '2026-12-01' });
		});

		it('never repeats a level already reached', () => {
			const d = decide(invoice({ dueDate: '2025-01-01', currentLevel: 3, lastDunnedAt: '2025-06-01' }), {}, TODAY);
			expect(d).toMatchObject({ action: 'none', reason: 'maxLevelReached', level: 3 });
		});

		it('stops at maxLevel below the number of stages', () => {
			expect(decide(invoice({ dueDate: '2025-01-01', currentLevel: 2 }), { maxLevel: 2 }, TODAY)).toMatchObject({ reason: 'maxLevelReached', level: 2, message: 'level 2 is the highest level of this policy' });
			const last = decide(invoice({ dueDate: '2025-01-01', currentLevel: 1 }), { maxLevel: 2 }, TODAY);
			expect(last).toMatchObject({ action: 'send', level: 2, nextActionDate: null });
		});

		it('an invoice already past a lowered Max Level is told the policy’s highest level, not its own', () => {
			const d = decide(invoice({ dueDate: '2025-01-01', currentLevel: 3, lastDunnedAt: '2025-06-01' }), { maxLevel: 2 }, TODAY);
			expect(d).toMatchObject({ reason: 'maxLevelReached', level: 3, message: "level 3 is beyond this policy's highest level, 2 (Max Level)" });
		});

		it('handles 29 February', () => {
			// Due Thursday 22 Feb 2024 + 7 days = Thursday 29 Feb 2024.
			expect(decide(invoice({ dueDate: '2024-02-22' }), {}, '2024-02-28')).toMatchObject({ reason: 'waiting', nextActionDate: '2024-02-29' });
			expect(decide(invoice({ dueDate: '2024-02-22' }), {}, '2024-02-29')).toMatchObject({ action: 'send', daysOverdue: 7 });
			// Due on 29 Feb itself: 1 March is the first overdue day.
			expect(decide(invoice({ dueDate: '2024-02-29' }), {}, '2024-03-01')).toMatchObject({ reason: 'waiting', daysOverdue: 1, nextActionDate: '2024-03-07' });
		});

		it('counts whole days in a DST-change week, whatever the hour the run starts', () => {
			// Berlin springs forward on Sunday 2026-03-29. Due 22 March: the first stage goes 7 days
			// later, on 29 March, the day of the change. (A later stage cannot fall on it: the deadline
			// before it would be Saturday 28 March, which runs to Monday by §193 BGB.)
			const inv = invoice({ dueDate: '2026-03-22' });
			const early = DateTime.fromISO('2026-03-28T23:30:00Z'); // 00:30 CET on the 29th
			const late = DateTime.fromISO('2026-03-29T21:59:00Z'); // 23:59 CEST on the 29th
			const beforeMidnight = DateTime.fromISO('2026-03-28T22:59:00Z'); // 23:59 CET on the 28th
			expect(decide(inv, {}, early)).toMatchObject({ action: 'send', level: 1, asOf: '2026-03-29', daysOverdue: 7 });
			expect(decide(inv, {}, late)).toMatchObject({ action: 'send', asOf: '2026-03-29' });
			expect(decide(inv, {}, beforeMidnight)).toMatchObject({ reason: 'waiting', asOf: '2026-03-28', nextActionDate: '2026-03-29' });
			// The same in autumn: 25 Oct 2026 falls back; 7 days from the 20th is the 27th.
			const autumn = invoice({ dueDate: '2026-10-20' });
			expect(decide(autumn, {}, DateTime.fromISO('2026-10-26T23:00:00Z'))).toMatchObject({ action: 'send', asOf: '2026-10-27' });
			expect(decide(autumn, {}, DateTime.fromISO('2026-10-26T22:59:00Z'))).toMatchObject({ reason: 'waiting', asOf: '2026-10-26' });
		});

		it('takes an as-of instant at midnight in its own zone ({{ $today }} of a workflow east of the policy) as that day', () => {
			const inv = invoice({ dueDate: '2026-11-16' });
			// Midnight in Tokyo is 16:00 the day before in Berlin; it means the 23rd all the same.
			expect(decide(inv, {}, DateTime.fromISO('2026-11-23T00:00:00', { zone: 'Asia/Tokyo' }))).toMatchObject({ action: 'send', asOf: '2026-11-23' });
			expect(decide(inv, {}, '2026-11-23T00:00:00.000+09:00')).toMatchObject({ asOf: '2026-11-23' });
			expect(decide(inv, {}, DateTime.fromISO('2026-11-23T00:00:00', { zone: 'Europe/Helsinki' }))).toMatchObject({ asOf: '2026-11-23' });
			// One minute later it is an instant again, read in the policy timezone.
			expect(decide(inv, {}, DateTime.fromISO('2026-11-23T00:01:00', { zone: 'Asia/Tokyo' }))).toMatchObject({ reason: 'waiting', asOf: '2026-11-22' });
		});

		it('reads the as-of day in the policy timezone', () => {
			const inv = invoice({ dueDate: '2026-11-16' });
			// 23:30 UTC on the 22nd is already the 23rd in Berlin, still the 22nd in New York.
			const instant = DateTime.fromISO('2026-11-22T23:30:00Z');
			expect(decide(inv, {}, instant)).toMatchObject({ action: 'send', asOf: '2026-11-23' });
			expect(decide(inv, { timezone: 'America/New_York' }, instant)).toMatchObject({ reason: 'waiting', asOf: '2026-11-22' });
		});
	});

	describe('business-day shift (§193 BGB)', () => {
		const shiftDE: DunningPolicyInput = { businessDays: { enabled: true, region: 'DE' } };
		const shiftBY: DunningPolicyInput = { businessDays: { enabled: true, region: 'DE-BY' } };

		it('moves a due date on a weekend to Monday', () => {
			// Due Saturday 14 Nov 2026 → due Monday 16th; on Monday 16th it is not yet overdue.
			expect(decide(invoice({ dueDate: '2026-11-14' }), shiftDE, '2026-11-16')).toMatchObject({ reason: 'notDue', dueSince: '2026-11-16' });
			// Unshifted it is printed as the 14th, but by law it is due on Monday all the same: not overdue yet
			// (daysOverdue still counts from the printed due date).
			expect(decide(invoice({ dueDate: '2026-11-14' }), {}, '2026-11-16')).toMatchObject({ reason: 'notDue', dueSince: '2026-11-14', daysOverdue: 2 });
		});

		it('moves an action date off a regional holiday', () => {
			// Due Thu 23 May 2024 + 7 = Thu 30 May, Corpus Christi in Bavaria, not nation-wide.
			const inv = invoice({ dueDate: '2024-05-23' });
			expect(decide(inv, shiftBY, '2024-05-30')).toMatchObject({ reason: 'waiting', nextActionDate: '2024-05-31' });
			expect(decide(inv, shiftDE, '2024-05-30')).toMatchObject({ action: 'send', level: 1 });
			expect(decide(inv, shiftBY, '2024-05-31')).toMatchObject({ action: 'send', level: 1 });
		});

		it('moves the payment deadline to a business day', () => {
			// Monday 21 Dec 2026 + 7 = Monday 28 Dec, fine; Friday 18 Dec + 7 = Friday 25 Dec (holiday) → Monday 28 Dec.
			const inv = invoice({ dueDate: '2026-12-01' });
			expect(decide(inv, shiftDE, '2026-12-18').deadline).toBe('2026-12-28');
			// Shift off: still printed where the law ends it (§193 BGB), not on the holiday.
			expect(decide(inv, {}, '2026-12-18').deadline).toBe('2026-12-28');
		});

		it('waits for the day after the shifted deadline, and starts default then', () => {
			// Reminded Friday 27 March 2026: 27 + 7 = Good Friday 3 April; Easter Monday is 6 April, so the
			// reminder said "pay by Tuesday 7 April" and the next stage goes on the 8th (7 days after: the 3rd).
			const inv = invoice({ dueDate: '2026-03-10', openAmount: 1000, currentLevel: 1, lastDunnedAt: '2026-03-27' });
			expect(decide(inv, shiftDE, '2026-04-07')).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-04-08' });
			// In default from 8 April: 1000 × 6.27 % × 1 / 365 = 0.1717… → 0.17; deadline Wednesday 15 April, next stage the 16th.
			const shifted = decide(inv, shiftDE, '2026-04-08');
			expect(shifted).toMatchObject({ action: 'send', level: 2, interest: 0.17, deadline: '2026-04-15', nextActionDate: '2026-04-16' });
			expect(shifted.interestPeriods).toEqual([{ from: '2026-04-08', to: '2026-04-08', days: 1, ratePct: 6.27, amount: 0.17 }]);
			// Unshifted, the reminder printed Good Friday itself, but by law the deadline ran to Tuesday 7 April
			// all the same (§193 BGB): the next stage and default from the 8th too, not from Saturday 4 April.
			expect(decide(inv, {}, '2026-04-04')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-04-08' });
			expect(decide(inv, {}, '2026-04-08').interestPeriods).toEqual([{ from: '2026-04-08', to: '2026-04-08', days: 1, ratePct: 6.27, amount: 0.17 }]);
		});

		it('moves a stage due the day after a Friday deadline to Monday; default runs from the Saturday', () => {
			// Reminded Friday 13 Nov 2026, deadline Friday 20 Nov: the day after is Saturday 21 Nov, the stage goes Monday 23 Nov.
			const inv = invoice({ dueDate: '2026-10-01', openAmount: 1000, currentLevel: 1, lastDunnedAt: '2026-11-13' });
			expect(decide(inv, shiftDE, '2026-11-21')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-11-23' });
			// Default is not a date the debtor must act on: it starts on Saturday. 21–23 Nov, 3 days: 1000 × 6.27 % × 3 / 365 = 0.5153… → 0.52
			expect(decide(inv, shiftDE, '2026-11-23').interestPeriods).toEqual([{ from: '2026-11-21', to: '2026-11-23', days: 3, ratePct: 6.27, amount: 0.52 }]);
		});
	});

	describe('exclusions', () => {
		const overdue = { dueDate: '2026-10-01' };
		it.each([
			[{ openAmount: 0 }, 'paid'],
			[{ openAmount: 0.004 }, 'paid'],
			// Below zero only once it is a cent or more below: -0.004 EUR is 0.00.
			[{ openAmount: -0.004 }, 'paid'],
			[{ openAmount: -0.01 }, 'credit'],
			[{ openAmount: -250 }, 'credit'],
			[{ openAmount: -250, parked: true }, 'credit'],
			[{ parked: true }, 'parked'],
			[{ disputed: true }, 'disputed'],
			[{ dunningBlock: true }, 'blocked'],
		] as const)('%j → %s', (patch, reason) => {
			const d = decide(invoice({ ...overdue, ...patch }), {}, TODAY);
			expect(d).toMatchObject({ action: 'none', reason, level: 0, fee: 0, interest: 0, deadline: null });
			expect(d.message).toEqual(expect.any(String));
		});

		it('credit: a credit note or an overpaid invoice is held back naming the amount, not refused as invalid input', () => {
			const decider = createDecider({}, TODAY);
			const d = decider.evaluate({ invoiceId: 'GS-1', dueDate: '2026-10-01', openAmount: '-250.00', amount: -250 });
			expect(d).toMatchObject({ action: 'none', reason: 'credit', level: 0, openAmount: -250, totalDue: -250, fee: 0, interest: 0, deadline: null, nextActionDate: null });
			expect(d.message).toBe('the open amount is -250.00 EUR: a credit note or an overpaid invoice; settle it with the customer (pay it back or offset it), it is not dunned');
			expect(d.invalidFields).toBeUndefined();
		});

		it('outsideWindow: invoices dated before the sales window', () => {
			// 90 days before 2026-11-23 is 2026-08-25.
			expect(decide(invoice({ ...overdue, invoiceDate: '2026-08-24' }), { salesWindowDays: 90 }, TODAY)).toMatchObject({ reason: 'outsideWindow' });
			expect(decide(invoice({ ...overdue, invoiceDate: '2026-08-25' }), { salesWindowDays: 90 }, TODAY)).toMatchObject({ action: 'send' });
		});

		it('belowMinimum: open amount under the minimum', () => {
			expect(decide(invoice({ ...overdue, openAmount: 4.99 }), { minOpenAmount: 5 }, TODAY)).toMatchObject({ reason: 'belowMinimum' });
			expect(decide(invoice({ ...overdue, openAmount: 5 }), { minOpenAmount: 5 }, TODAY)).toMatchObject({ action: 'send' });
			// Compared in cents, as the amount is shown: 10.20 - 5.20 is 5.00.
			expect(decide(invoice({ ...overdue, openAmount: 10.2 - 5.2 }), { minOpenAmount: 5 }, TODAY)).toMatchObject({ action: 'send', openAmount: 5 });
		});

		it('puts reminders on paper: no address, bad address, blocked address, letter stage', () => {
			expect(decide(invoice({ ...overdue, email: null }), {}, TODAY)).toMatchObject({ action: 'paper', reason: 'noEmail', level: 1, deadline: '2026-11-30' });
			expect(decide(invoice({ ...overdue, email: 'kunde at example' }), {}, TODAY)).toMatchObject({ action: 'paper', reason: 'invalidEmail' });
			expect(decide(invoice({ ...overdue, emailBlocked: true }), {}, TODAY)).toMatchObject({ action: 'paper', reason: 'emailBlocked' });
			const letter = { stages: [{ name: 'Brief', channel: 'letter' as const }] };
			expect(decide(invoice(overdue), letter, TODAY)).toMatchObject({ action: 'paper', reason: 'letterChannel', channel: 'letter' });
			expect(decide(invoice({ ...overdue, email: 'a@example.test; b@example.test' }), {}, TODAY)).toMatchObject({ action: 'send' });
		});

		it('invalidEmail for domains that do not convert to a clean host name (the check Send Reminder Email makes)', () => {
			for (const email of ['kunde@x🄁y.org', 'kunde@x⑴y.org', 'a@example.test; kunde@x⑴y.org']) {
				expect(decide(invoice({ ...overdue, email }), {}, TODAY)).toMatchObject({ action: 'paper', reason: 'invalidEmail', message: `"${email}" is not a usable e-mail address: send a letter` });
			}
			expect(decide(invoice({ ...overdue, email: 'kunde@müller.de' }), {}, TODAY)).toMatchObject({ action: 'send' });
			// A long run of dots and letters is answered at once (the old pattern backtracked on it).
			expect(decide(invoice({ ...overdue, email: `a@${'a.'.repeat(20_000)}` }), {}, TODAY)).toMatchObject({ reason: 'invalidEmail' });
		});

		it('invalidInput for implausible dates and amounts, through evaluate', () => {
			const decider = createDecider({}, TODAY);
			expect(decider.evaluate({ invoiceId: 'X', dueDate: '1900-01-01', openAmount: 100 })).toMatchObject({
				action: 'none',
				reason: 'invalidInput',
				invalidFields: ['dueDate'],
				message: expect.stringMatching(/^dueDate "1900-01-01" is not a plausible date: more than 10 years before the run day 2026-11-23/),
			});
			expect(decider.evaluate({ invoiceId: 'X', dueDate: '2026-10-01', openAmount: 1e308 })).toMatchObject({ reason: 'invalidInput', invalidFields: ['openAmount'], totalDue: 0 });
			expect(decider.evaluate(null as never)).toMatchObject({ reason: 'invalidInput', invalidFields: ['invoiceId', 'openAmount', 'dueDate'] });
		});

		it('noChannel: a stage without channel counts the level but sends nothing', () => {
			const policy = { stages: [{ name: 'Reminder' }, { name: 'Inkasso-Übergabe', channel: 'none' as const }] };
			const d = decide(invoice({ ...overdue, currentLevel: 1, lastDunnedAt: '2026-11-01' }), policy, TODAY);
			expect(d).toMatchObject({ action: 'none', reason: 'noChannel', level: 2, channel: 'none', stageName: 'Inkasso-Übergabe' });
		});

		it('checks exclusions before timing (a parked invoice is parked, not waiting)', () => {
			expect(decide(invoice({ dueDate: TODAY, parked: true }), {}, TODAY).reason).toBe('parked');
		});
	});

	describe('fees and interest', () => {
		// Interest arithmetic from the due date on; where it starts is tested under "interest from".
		const interestFirst: DunningPolicyInput = {
			stages: [{ name: 'Mahnung', fee: 2.5, chargeInterest: true }, { name: 'Letzte Mahnung', fee: 5, chargeInterest: true }],
			statutoryInterest: { interestFrom: 'dueDate' },
		};

		it('freezes fee, interest across a base-rate change, and total (consumer, partial payment)', () => {
			// Invoice 1500.00, 500.00 paid, due Sunday 15 June 2025, so payable to Monday 16 June (§193 BGB, also with
			// Shift to Business Days off): interest runs on the open 1000.00 from 17 June to 15 July 2025:
			//   14 d × 7.27 % (2.27 + 5) → 1000 × 0.0727 × 14 / 365 = 2.7885 → 2.79
			//   15 d × 6.27 % (1.27 + 5) → 1000 × 0.0627 × 15 / 365 = 2.5767 → 2.58
			// interest 5.37; total 1000.00 + fee 2.50 + 5.37 = 1007.87
			const d = decide(invoice({ dueDate: '2025-06-15', amount: 1500, openAmount: 1000 }), interestFirst, '2025-07-15');
			expect(d).toMatchObject({ action: 'send', level: 1, openAmount: 1000, fee: 2.5, flatFee: 0, interest: 5.37, totalDue: 1007.87, currency: 'EUR', warnings: [] });
			expect(d.interestPeriods.map((p) => p.amount)).toEqual([2.79, 2.58]);
		});

		it('charges business debtors + 9 points and the 40 EUR flat fee once, against which the dunning fees are credited', () => {
			// From 17 June (due Sunday 15th, payable to Monday 16th): 1000 × 11.27 % × 14 / 365 = 4.3227 → 4.32;
			// 1000 × 10.27 % × 15 / 365 = 4.2205 → 4.22; interest 8.54
			// §288(5) sentence 3 BGB: the dunning fee (2.50) counts towards the 40 EUR; total 1000 + 40 + 8.54 = 1048.54
			const inv = invoice({ dueDate: '2025-06-15', openAmount: 1000, customerType: 'business' });
			const first = decide(inv, interestFirst, '2025-07-15');
			expect(first).toMatchObject({ fee: 0, flatFee: 40, interest: 8.54, totalDue: 1048.54 });
			// The next reminder (the day after the first one's deadline, 15 + 7 = 22 July) still asks for the 40 EUR (once, not twice) and interest to its own day.
			const second = decide({ ...inv, currentLevel: 1, lastDunnedAt: '2025-07-15' }, interestFirst, '2025-07-23');
			expect(second).toMatchObject({ level: 2, fee: 0, flatFee: 40 });
			expect(second.interest).toBeGreaterThan(first.interest);
			expect(second.totalDue).toBeGreaterThan(first.totalDue);
			// Dunning fees above 40 EUR are owed beyond it: 30 + 25 = 55 → 40 + 15.
			const dear = { ...interestFirst, stages: [{ name: 'Mahnung', fee: 30, chargeInterest: true }, { name: 'Zweite', fee: 25, chargeInterest: true }] };
			expect(decide({ ...inv, currentLevel: 1, lastDunnedAt: '2025-07-15' }, dear, '2025-07-23')).toMatchObject({ fee: 15, flatFee: 40 });
		});

		it('asks in each reminder for every stage fee so far: a second reminder never asks for less than the first (consumer)', () => {
			const inv = invoice({ dueDate: '2025-06-15', openAmount: 1000 });
			const first = decide(inv, interestFirst, '2025-07-15');
			const second = decide({ ...inv, currentLevel: 1, lastDunnedAt: '2025-07-15' }, interestFirst, '2025-07-23');
			expect([first.fee, second.fee]).toEqual([2.5, 7.5]);
			expect(second.totalDue).toBeGreaterThan(first.totalDue);
			// A stage with channel none sent nothing, so its fee is not asked for later.
			const handover = { stages: [{ name: 'Mahnung', fee: 5 }, { name: 'Inkasso', channel: 'none' as const, fee: 50 }, { name: 'Letzte', fee: 5 }] };
			expect(decide({ ...inv, currentLevel: 2, lastDunnedAt: '2025-07-15' }, handover, '2025-07-29')).toMatchObject({ level: 3, fee: 10 });
		});

		it('charges no interest on stages without the flag, nor when statutory interest is off', () => {
			const d = decide(invoice({ dueDate: '2025-06-15', customerType: 'business' }), {}, '2025-07-15');
			expect(d).toMatchObject({ level: 1, interest: 0, flatFee: 0, interestPeriods: [] });
			const off = decide(invoice({ dueDate: '2025-06-15', customerType: 'business' }), { ...interestFirst, statutoryInterest: { enabled: false } }, '2025-07-15');
			expect(off).toMatchObject({ interest: 0, flatFee: 0, fee: 2.5 });
		});

		it('keeps the currency and gives no euro flat fee on other currencies (with a warning)', () => {
			const d = decide(invoice({ dueDate: '2025-06-15', currency: 'CHF', customerType: 'business' }), interestFirst, '2025-07-15');
			expect(d).toMatchObject({ currency: 'CHF', flatFee: 0 });
			expect(d.warnings).toEqual([expect.stringContaining('not claimed: the invoice is in CHF')]);
		});

		it('computes in the currency’s smallest unit: whole yen, fils (three decimals), not cents', () => {
			// From 17 June (due Sunday 15th, payable to Monday 16th): ¥1,000,000 at 7.27 % for 14 days = 2,788.49 → ¥2,788;
			// at 6.27 % for 15 days = 2,576.71 → ¥2,577. The stage fee of 2.50 is ¥3 in a currency without a minor unit (half away from zero).
			const yen = decide(invoice({ dueDate: '2025-06-15', openAmount: 1_000_000, amount: 1_000_000, currency: 'JPY' }), interestFirst, '2025-07-15');
			expect(yen.interestPeriods.map((p) => p.amount)).toEqual([2788, 2577]);
			expect(yen).toMatchObject({ currency: 'JPY', openAmount: 1_000_000, fee: 3, interest: 5365, totalDue: 1_005_368 });
			// BHD 1,000.125 keeps its fils (in cents it was 1,000.13): 1000.125 × 7.27 % × 14 / 365 = 2.78884 → 2.789,
			// 1000.125 × 6.27 % × 15 / 365 = 2.57704 → 2.577, fils-exact.
			const dinar = decide(invoice({ dueDate: '2025-06-15', openAmount: 1000.125, amount: 1000.125, currency: 'BHD' }), interestFirst, '2025-07-15');
			expect(dinar.interestPeriods.map((p) => p.amount)).toEqual([2.789, 2.577]);
			expect(dinar).toMatchObject({ openAmount: 1000.125, fee: 2.5, interest: 5.366, totalDue: 1007.991 });
			// Below the minimum in the currency's own unit: ¥4.6 is ¥5, not below a minimum of 5.
			expect(decide(invoice({ dueDate: '2025-06-15', openAmount: 4.6, currency: 'JPY' }), { ...interestFirst, minOpenAmount: 5 }, '2025-07-15').reason).not.toBe('belowMinimum');
			expect(decide(invoice({ dueDate: '2025-06-15', openAmount: 0.4, currency: 'JPY' }), interestFirst, '2025-07-15').reason).toBe('paid');
		});

		it('warns when today lies past the base-rate table’s last half-year', () => {
			const stale = decide(invoice({ dueDate: '2026-10-01' }), interestFirst, TODAY);
			expect(stale.warnings).toEqual([expect.stringMatching(/base-rate table ends on 2026-06-30/)]);
			const fresh = decide(invoice({ dueDate: '2026-05-01' }), interestFirst, '2026-06-30');
			expect(fresh.warnings).toEqual([]);
			const ownTable = decide(invoice({ dueDate: '2026-10-01' }), { ...interestFirst, statutoryInterest: { interestFrom: 'dueDate', baseRates: [{ from: '2026-07-01', ratePct: 1.5 }] } }, TODAY);
			expect(ownTable.interest).toBeGreaterThan(0);
			expect(ownTable.warnings).toEqual([]);
		});

		it('rounds amounts to cents', () => {
			const d = decide(invoice({ dueDate: '2026-11-01', openAmount: 10.005 }), { stages: [{ name: 'A', fee: 1.115 }] }, TODAY);
			// 10.005 → 10.01 and 1.115 → 1.12 (half away from zero, despite binary 1.115 = 1.11499…)
			expect(d).toMatchObject({ openAmount: 10.01, fee: 1.12, totalDue: 11.13 });
		});
	});

	describe('interest from: the first reminder’s deadline (§286(1) BGB) by default, the due date when chosen', () => {
		// Shipped stages: level 1 (Zahlungserinnerung) charges nothing and sets the deadline that starts default; levels 2 and 3 charge interest.
		// March 2026: base rate 1.27 %, consumers 6.27 %, businesses 10.27 %; the table covers the run days.
		// Reminded 8 March with the shipped Payment Deadline: "pay by 15 March", a Sunday: the deadline ends on
		// Monday 16 March (§193 BGB), in default from 17 March.
		const remindedOn8 = invoice({ dueDate: '2026-03-01', openAmount: 1000, amount: 1000, currentLevel: 1, lastDunnedAt: '2026-03-08' });

		it('runs from the day after the first reminder’s deadline: due 1 March, reminded 8 March (pay by Sunday 15 March, so Monday 16), run 22 March → 6 days, not 14', () => {
			// 17–22 March: 1000 × 6.27 % × 6 / 365 = 1.0306… → 1.03
			const d = decide(remindedOn8, {}, '2026-03-22');
			expect(d).toMatchObject({ action: 'send', level: 2, interest: 1.03, totalDue: 1001.03, warnings: [] });
			expect(d.interestPeriods).toEqual([{ from: '2026-03-17', to: '2026-03-22', days: 6, ratePct: 6.27, amount: 1.03 }]);
			// On schedule, the day after the deadline: in default since that morning, one day: 1000 × 6.27 % / 365 = 0.1717… → 0.17
			expect(decide(remindedOn8, {}, '2026-03-16')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-03-17' });
			const onSchedule = decide(remindedOn8, {}, '2026-03-17');
			expect(onSchedule).toMatchObject({ action: 'send', level: 2, interest: 0.17 });
			expect(onSchedule.interestPeriods).toEqual([{ from: '2026-03-17', to: '2026-03-17', days: 1, ratePct: 6.27, amount: 0.17 }]);
		});

		it('takes the Payment Deadline of the policy as it is now (the one the first reminder printed is not known)', () => {
			// 14 days: pay by Sunday 22 March, so Monday 23 March; the next stage and default from 24 March;
			// 24–29 March, 6 days: 1000 × 6.27 % × 6 / 365 = 1.0306… → 1.03.
			const d = decide(remindedOn8, { paymentDeadlineDays: 14 }, '2026-03-29');
			expect(d.interestPeriods).toEqual([{ from: '2026-03-24', to: '2026-03-29', days: 6, ratePct: 6.27, amount: 1.03 }]);
		});

		it('runs from the day after the due date with interestFrom dueDate (a payment date agreed in the contract)', () => {
			// Due Sunday 1 March, so payable to Monday 2 March (§193 BGB, Shift to Business Days off too). Level 2 on
			// 17 March (the reminder's deadline ended Monday 16th): 3–17 March, 1000 × 6.27 % × 15 / 365 = 2.5767… → 2.58
			const d = decide(remindedOn8, { statutoryInterest: { interestFrom: 'dueDate' } }, '2026-03-17');
			expect(d).toMatchObject({ level: 2, interest: 2.58, totalDue: 1002.58 });
			expect(d.interestPeriods).toEqual([{ from: '2026-03-03', to: '2026-03-17', days: 15, ratePct: 6.27, amount: 2.58 }]);
		});

		it('puts a business debtor in default on the day after the 30 days after the due date without any reminder (§286(3) BGB)', () => {
			const chargingFirst: DunningPolicyInput = { stages: [{ name: 'Mahnung', daysAfterPrevious: 7, chargeInterest: true }] };
			const never = (customerType: 'business' | 'consumer') => invoice({ dueDate: '2026-03-01', openAmount: 1000, amount: 1000, customerType });
			// Due Sunday 1 March, payable to Monday 2 March (§193 BGB); the 30 days after it end on Wednesday 1 April:
			// in default from 2 April. 40 days overdue on 10 April: interest 2–10 April, 9 days; 1000 × 10.27 % × 9 / 365 = 2.5323… → 2.53
			const business = decide(never('business'), chargingFirst, '2026-04-10');
			expect(business).toMatchObject({ action: 'send', level: 1, daysOverdue: 40, interest: 2.53, flatFee: 40, totalDue: 1042.53 });
			expect(business.interestPeriods).toEqual([{ from: '2026-04-02', to: '2026-04-10', days: 9, ratePct: 10.27, amount: 2.53 }]);
			// A consumer is not in default without a reminder (or an invoice that said so): nothing.
			expect(decide(never('consumer'), chargingFirst, '2026-04-10')).toMatchObject({ level: 1, interest: 0, interestPeriods: [] });
			// The 30th day is still inside the 30 days: nothing. The day after it is the run day: in default since its start, one day:
			// 1000 × 10.27 % / 365 = 0.2813… → 0.28 (as a run the day after the due date charges that day with interestFrom dueDate).
			expect(decide(never('business'), chargingFirst, '2026-04-01')).toMatchObject({ interest: 0, flatFee: 0, interestPeriods: [] });
			expect(decide(never('business'), chargingFirst, '2026-04-02')).toMatchObject({ interest: 0.28, flatFee: 40 });
			expect(decide(never('business'), chargingFirst, '2026-04-03').interestPeriods).toEqual([expect.objectContaining({ from: '2026-04-02', days: 2 })]);
		});

		it('takes for a business debtor whichever comes first, the day after the reminder’s deadline or the end of the 30 days', () => {
			const business = { ...remindedOn8, customerType: 'business' as const };
			// Due Sunday 1 March, payable to Monday 2 March: without a reminder in default from 2 April (§286(3), §193 BGB).
			// Reminded 8 March: default from 17 March, before 2 April.
			expect(decide(business, {}, '2026-03-22').interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-17', days: 6 })]);
			// Reminded 20 March: pay by 27 March, default from 28 March, still before 2 April; run 5 April: 28 March – 5 April, 9 days.
			expect(decide({ ...business, lastDunnedAt: '2026-03-20' }, {}, '2026-04-05').interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-28', days: 9 })]);
			// Reminded 28 March: pay by Saturday 4 April, by law Tuesday 7 April (Easter Monday the 6th), but the 30 days
			// (default from 2 April) come first: run 8 April, 2–8 April, 7 days, inside the deadline all the same.
			expect(decide({ ...business, lastDunnedAt: '2026-03-28' }, {}, '2026-04-08').interestPeriods).toEqual([expect.objectContaining({ from: '2026-04-02', days: 7 })]);
			// Reminded Sunday 5 April: pay by Sunday 12 April, so Monday 13th; the next stage on the 14th: 2–14 April, 13 days.
			const lateReminder = decide({ ...business, lastDunnedAt: '2026-04-05' }, {}, '2026-04-14');
			expect(lateReminder.interestPeriods).toEqual([expect.objectContaining({ from: '2026-04-02', to: '2026-04-14', days: 13, ratePct: 10.27 })]);
			// A consumer reminded 28 March owes none inside its deadline (to Tuesday 7 April): from 8 April, one day on the 8th.
			expect(decide({ ...remindedOn8, lastDunnedAt: '2026-03-28' }, {}, '2026-04-08').interestPeriods).toEqual([expect.objectContaining({ from: '2026-04-08', days: 1 })]);
		});

		it('uses firstDunnedAt for a later level', () => {
			// Level 1 on 8 March (pay by Sunday 15 March, so Monday 16th), level 2 on 17 March (pay by Tuesday 24 March),
			// level 3 on 25 March: default from 17 March, 17–25 March, 9 days; 1000 × 6.27 % × 9 / 365 = 1.5460… → 1.55
			const d = decide({ ...remindedOn8, currentLevel: 2, firstDunnedAt: '2026-03-08', lastDunnedAt: '2026-03-17' }, {}, '2026-03-25');
			expect(d).toMatchObject({ level: 3, interest: 1.55 });
			expect(d.interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-17', to: '2026-03-25', days: 9 })]);
		});

		it('without firstDunnedAt at a later level counts back from lastDunnedAt by the days between reminders (never earlier than the first reminder)', () => {
			// Level 2 went out on 17 March, the day after level 1's deadline (8 + 7 = Sunday 15th, so Monday 16th, + 1). Counting
			// back by the stage's 7 days (reminders before the deadline rule went 7 days apart) takes the first as 10 March at the
			// latest: pay by 17 March, default from 18 March, a day later than with the date on file, never earlier.
			const onSchedule = decide({ ...remindedOn8, currentLevel: 2, lastDunnedAt: '2026-03-17' }, {}, '2026-03-25');
			expect(onSchedule.interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-18', to: '2026-03-25', days: 8 })]);
			const dated = decide({ ...remindedOn8, currentLevel: 2, lastDunnedAt: '2026-03-17', firstDunnedAt: '2026-03-08' }, {}, '2026-03-25');
			expect(dated.interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-17', to: '2026-03-25', days: 9 })]);
			expect(onSchedule.interest).toBeLessThan(dated.interest);
			// Level 2 sent late (20 March): the first is taken as 13 March at the latest (pay by 20 March), default from 21 March.
			const late = decide({ ...remindedOn8, currentLevel: 2, lastDunnedAt: '2026-03-20' }, {}, '2026-03-28');
			expect(late.interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-21', to: '2026-03-28', days: 8 })]);
			// With no reminder date at all, only the business 30-day rule starts it (from 2 April). Stage 3 is scheduled for 24 March (8 + 8 + 8).
			const undated = { ...remindedOn8, currentLevel: 2, lastDunnedAt: null };
			expect(decide(undated, {}, '2026-03-23')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-03-24' });
			expect(decide(undated, {}, '2026-03-24')).toMatchObject({ level: 3, interest: 0, interestPeriods: [] });
			expect(decide({ ...undated, customerType: 'business' }, {}, '2026-04-05').interestPeriods).toEqual([expect.objectContaining({ from: '2026-04-02', days: 4 })]);
		});

		it('counts back by each stage’s days and the minimum interval, not by the deadline: never earlier than the real first reminder', () => {
			// Level 3 sent 1 May, no firstDunnedAt. Reminders sent before the deadline rule waited only the stage's days, so
			// counting back by the deadline's longer gap could land before the real first reminder (too much interest).
			const chain = { ...remindedOn8, currentLevel: 3, lastDunnedAt: '2026-05-01' };
			const four: DunningPolicyInput = { stages: [{ name: 'A' }, { name: 'B', chargeInterest: true }, { name: 'C', daysAfterPrevious: 12, chargeInterest: true }, { name: 'D', chargeInterest: true }] };
			// Gaps back from level 3: stage 3 12, stage 2 7: first = 1 May − 19 = 12 April, pay by Sunday 19 April, so Monday
			// 20 April; default from 21 April. Run 9 May (level 3's deadline Friday 8 May): 21 April – 9 May, 19 days;
			// 1000 × 6.27 % × 19 / 365 = 3.2638… → 3.26
			const d = decide(chain, four, '2026-05-09');
			expect(d).toMatchObject({ level: 4, interest: 3.26 });
			expect(d.interestPeriods).toEqual([expect.objectContaining({ from: '2026-04-21', to: '2026-05-09', days: 19 })]);
			// A minimum interval of 10 lengthens the 7-day step: 12 + 10 = 22 back, first 9 April, pay by 16 April, default from
			// 17 April. Level 4 goes on max(1 May + 7, 8 May + 1, 1 May + 10) = 11 May: 17 April – 11 May, 25 days;
			// 1000 × 6.27 % × 25 / 365 = 4.2945… → 4.29
			expect(decide(chain, { ...four, minDaysBetweenReminders: 10 }, '2026-05-10')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-05-11' });
			expect(decide(chain, { ...four, minDaysBetweenReminders: 10 }, '2026-05-11')).toMatchObject({ level: 4, interest: 4.29 });
		});

		it('charges nothing at level 0 (no reminder yet, also when a taken-back first reminder left its date)', () => {
			const chargingFirst: DunningPolicyInput = { stages: [{ name: 'Mahnung', chargeInterest: true }] };
			const d = decide(invoice({ dueDate: '2026-03-01', firstDunnedAt: '2026-03-05' }), chargingFirst, '2026-03-15');
			expect(d).toMatchObject({ action: 'send', level: 1, interest: 0, interestPeriods: [] });
		});

		it('claims the business flat fee (§288(5) BGB) only once the debtor is in default, as interest', () => {
			// A first stage that charges: a business debtor is in default only once 30 days after the due date have passed,
			// without a reminder: due Sunday 1 March, payable to Monday 2 March, 30 days to 1 April, in default from 2 April.
			const chargingFirst: DunningPolicyInput = { stages: [{ name: 'Mahnung', chargeInterest: true, fee: 5 }] };
			const fresh = invoice({ dueDate: '2026-03-01', customerType: 'business' });
			// Not in default yet: neither interest nor the flat fee; the fee stays whole.
			expect(decide(fresh, chargingFirst, '2026-04-01')).toMatchObject({ level: 1, interest: 0, flatFee: 0, fee: 5 });
			expect(decide(fresh, chargingFirst, '2026-04-02')).toMatchObject({ level: 1, flatFee: 40, fee: 0 });
			// The due date as the start (a payment date agreed in the contract): in default from the day after it.
			expect(decide(fresh, { ...chargingFirst, statutoryInterest: { interestFrom: 'dueDate' } }, '2026-03-08')).toMatchObject({ flatFee: 40, fee: 0 });
			// A later stage comes only after the previous deadline, when default has begun: 14 March + 7 = Saturday 21 March,
			// which runs to Monday 23 March (§193 BGB): the stage on the 24th.
			const nextDay: DunningPolicyInput = { stages: [{ name: 'Erinnerung' }, { name: 'Mahnung', daysAfterPrevious: 1, chargeInterest: true, fee: 5 }] };
			const reminded = invoice({ dueDate: '2026-03-01', currentLevel: 1, lastDunnedAt: '2026-03-14', customerType: 'business' });
			expect(decide(reminded, nextDay, '2026-03-15')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-03-24' });
			expect(decide(reminded, nextDay, '2026-03-24')).toMatchObject({ level: 2, flatFee: 40, fee: 0 });
		});

		it('names firstDunnedAt when it is not a date', () => {
			expect(() => decide({ ...remindedOn8, firstDunnedAt: '2026-02-30' }, {}, '2026-03-17')).toThrow('firstDunnedAt must be YYYY-MM-DD (got "2026-02-30")');
			const d = createDecider({}, '2026-03-16').evaluate({ invoiceId: 'X', dueDate: '2026-03-01', openAmount: 10, currentLevel: 1, lastDunnedAt: '2026-03-08', firstDunnedAt: 'soon' });
			expect(d).toMatchObject({ reason: 'invalidInput', invalidFields: ['firstDunnedAt'], message: 'firstDunnedAt "soon" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)' });
		});
	});

	describe('invalid input and determinism', () => {
		const decider = createDecider(compilePolicy({}), TODAY);

		it('turns bad raw fields into an invalidInput decision naming the field', () => {
			const d = decider.evaluate({ invoiceId: 'X', dueDate: '31/12/2026', openAmount: 10, currentLevel: 1 }, { dueDate: 'faellig' });
			expect(d).toMatchObject({ action: 'none', reason: 'invalidInput', invalidFields: ['dueDate'], level: 1, message: 'faellig "31/12/2026" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)' });
		});

		it('rejects an as-of date that is no date', () => {
			expect(() => createDecider({}, '2026-13-01')).toThrow('As-of date "2026-13-01" is not a calendar date');
		});

		it('hold() turns a decision into No Action at the level it had, charging nothing, with the same shape', () => {
			const policy = { stages: [{ name: 'Reminder' }, { name: 'Mahnung', fee: 5, chargeInterest: true }] };
			const d = createDecider(policy, TODAY);
			const send = d.decide(invoice({ dueDate: '2026-09-01', currentLevel: 1, lastDunnedAt: '2026-10-01' }));
			expect(send).toMatchObject({ action: 'send', level: 2, fee: 5 });
			const held = d.hold(send, 'customerCredit', 'settle the credit first');
			expect(held).toEqual({
				...send,
				action: 'none',
				level: 1,
				previousLevel: 1,
				stageName: 'Reminder',
				channel: null,
				reason: 'customerCredit',
				message: 'settle the credit first',
				nextActionDate: null,
				// At level 1 the Mahnung is still to come.
				finalReminder: false,
				fee: 0,
				flatFee: 0,
				interest: 0,
				interestPeriods: [],
				totalDue: send.openAmount,
				deadline: null,
				warnings: [],
			});
			expect(Object.keys(held)).toEqual(Object.keys(send));
		});

		it('gives the same decision for the same input', () => {
			const inv = invoice({ dueDate: '2026-09-01', customerType: 'business', currentLevel: 1, lastDunnedAt: '2026-10-01' });
			expect(decider.decide(inv)).toEqual(decider.decide(inv));
			expect(decide(inv, {}, TODAY)).toEqual(decider.decide(inv));
		});
	});
});
