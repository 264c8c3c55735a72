/**
 * Days for Payment to Arrive: the next stage after a reminder's deadline waits until a payment made
 * on the deadline day can have reached the books (2 business days by default), while default and
 * interest still start the day after the deadline. Fixed run days; the clock is never read.
 */
import { decide, type DunningPolicyInput, type Invoice } from '../../lib/dunning';
import { invoice } from './helpers';

// Level 1 (the shipped stages: interest from level 2) sent Monday 2 March 2026, "pay by Monday 9 March".
const remindedOn = (lastDunnedAt: string, deadline: string | null, overrides: Partial<Invoice> = {}): Invoice =>
	invoice({ dueDate: '2026-02-20', amount: 1000, openAmount: 1000, currentLevel: 1, lastDunnedAt, firstDunnedAt: lastDunnedAt, lastDeadline: deadline, firstDeadline: deadline, ...overrides });
const stated = remindedOn('2026-03-02', '2026-03-09');

describe('the next stage waits for a payment made on the deadline day to arrive', () => {
	it('deadline Monday 9 March: no next stage on the 10th or 11th, the next stage on the 12th with interest from the 10th', () => {
		const dayAfter = decide(stated, {}, '2026-03-10');
		expect(dayAfter).toMatchObject({ action: 'none', reason: 'waiting', level: 1, fee: 0, interest: 0, nextActionDate: '2026-03-12' });
		const waiting =
			'the last reminder asked for payment by 2026-03-09 (lastDeadline): the next stage waits while a payment made by then may still arrive, up to and including 2026-03-11 (Days for Payment to Arrive: 2 business days after the deadline; see nextActionDate)';
		expect(dayAfter.message).toBe(waiting);
		// On the last day for the money the message names the same day, not "2 business days more".
		expect(decide(stated, {}, '2026-03-11')).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-03-12', message: waiting });
		const next = decide(stated, {}, '2026-03-12');
		expect(next).toMatchObject({ action: 'send', level: 2, reason: null });
		// Default from the day after the deadline (§286(1) BGB): 10–12 March, 1000 × 6.27 % × 3 / 365 = 0.5153 → 0.52.
		expect(next.interestPeriods).toEqual([{ from: '2026-03-10', to: '2026-03-12', days: 3, ratePct: 6.27, amount: 0.52 }]);
		// Its own deadline Thursday 19 March; Friday 20 and Monday 23 for the money: level 3 from Tuesday 24 March.
		expect(next).toMatchObject({ deadline: '2026-03-19', nextActionDate: '2026-03-24' });
	});

	it('counts business days: a Friday deadline waits over the weekend, a deadline before Easter over the holidays', () => {
		// Pay by Friday 13 March: Monday 16 and Tuesday 17 for the money, the next stage on Wednesday 18.
		const friday = remindedOn('2026-03-06', '2026-03-13');
		expect(decide(friday, {}, '2026-03-17')).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-03-18' });
		expect(decide(friday, {}, '2026-03-18')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-03-14' })] });
		// Pay by Thursday 2 April 2026: Good Friday and Easter Monday are no bank days, 7 and 8 April are: from the 9th.
		const easter = remindedOn('2026-03-26', '2026-04-02');
		expect(decide(easter, {}, '2026-04-08')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-04-09' });
		expect(decide(easter, {}, '2026-04-09')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-04-03' })] });
	});

	it('waits the same without a stated deadline on file (estimated from lastDunnedAt and the Payment Deadline)', () => {
		const estimated = remindedOn('2026-03-02', null);
		expect(decide(estimated, {}, '2026-03-10')).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-03-12' });
		expect(decide(estimated, {}, '2026-03-12')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-03-10' })] });
	});

	it('a business debtor: the flat fee and interest from the day after the deadline, the stage 2 business days later', () => {
		const business = remindedOn('2026-03-02', '2026-03-09', { customerType: 'business' });
		expect(decide(business, {}, '2026-03-10')).toMatchObject({ action: 'none', reason: 'waiting', flatFee: 0 });
		const next = decide(business, {}, '2026-03-12');
		expect(next).toMatchObject({ action: 'send', level: 2, flatFee: 40 });
		expect(next.interestPeriods[0]).toMatchObject({ from: '2026-03-10', to: '2026-03-12' });
	});

	it('Days for Payment to Arrive is a setting: 0 sends the day after the deadline, 5 waits a week', () => {
		expect(decide(stated, { paymentArrivalDays: 0 }, '2026-03-10')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-03-10', days: 1 })] });
		const week: DunningPolicyInput = { paymentArrivalDays: 5 };
		expect(decide(stated, week, '2026-03-16')).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-03-17' });
		expect(decide(stated, week, '2026-03-17')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-03-10', days: 8 })] });
	});

	it('names the last day for the money, not the setting: with 5 days the Friday before the next stage', () => {
		// Pay by Friday 13 March; 16–20 March for the money: on Friday 20 March one day is left, not 5.
		const friday = remindedOn('2026-03-06', '2026-03-13');
		const d = decide(friday, { paymentArrivalDays: 5 }, '2026-03-20');
		expect(d).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-03-21' });
		expect(d.message).toBe(
			'the last reminder asked for payment by 2026-03-13 (lastDeadline): the next stage waits while a payment made by then may still arrive, up to and including 2026-03-20 (Days for Payment to Arrive: 5 business days after the deadline; see nextActionDate)',
		);
		expect(decide(friday, { paymentArrivalDays: 1 }, '2026-03-16').message).toContain('up to and including 2026-03-16 (Days for Payment to Arrive: 1 business day after the deadline;');
	});

	it('at level 2 with only the first reminder’s deadline on file, says it was the first reminder’s', () => {
		// Level 2 went out on 5 March, before the first reminder's deadline (an older rule, or by hand); its own deadline is not on file.
		const levelTwo = invoice({ dueDate: '2026-02-20', amount: 1000, openAmount: 1000, currentLevel: 2, firstDunnedAt: '2026-03-02', lastDunnedAt: '2026-03-05', firstDeadline: '2026-03-09', lastDeadline: null });
		expect(decide(levelTwo, {}, '2026-03-09')).toMatchObject({
			reason: 'waiting',
			message: 'the first reminder asked for payment by 2026-03-09 (firstDeadline, the latest deadline on file), which has not passed yet: the next stage waits (see nextActionDate)',
		});
		expect(decide(levelTwo, {}, '2026-03-10')).toMatchObject({
			reason: 'waiting',
			message: expect.stringMatching(/^the first reminder asked for payment by 2026-03-09 \(firstDeadline, the latest deadline on file\): the next stage waits while a payment made by then may still arrive, up to and including 2026-03-11 /),
		});
		// At level 1 the first reminder is the last.
		expect(decide(remindedOn('2026-03-02', null, { firstDeadline: '2026-03-09' }), {}, '2026-03-10').message).toMatch(/^the last reminder asked for payment by 2026-03-09 \(firstDeadline\): /);
	});

	it('around Christmas, 24 and 31 December are no bank days for the money in Germany (the deadline itself may end on them)', () => {
		// Pay by Wednesday 23 December 2026: not the 24th, 25th, 26th, 27th: Monday 28 and Tuesday 29, the next stage on Wednesday 30.
		const christmas = invoice({ dueDate: '2026-11-20', amount: 1000, openAmount: 1000, currentLevel: 1, lastDunnedAt: '2026-12-16', firstDunnedAt: '2026-12-16', lastDeadline: '2026-12-23', firstDeadline: '2026-12-23' });
		const d = decide(christmas, {}, '2026-12-29');
		expect(d).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-12-30' });
		expect(d.message).toContain('up to and including 2026-12-29 ');
		expect(decide(christmas, {}, '2026-12-30')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-12-24' })] });
		// A deadline on Thursday 24 December ends that day (§193 BGB: no public holiday); only the days for the money skip it.
		const eve = invoice({ dueDate: '2026-11-20', amount: 1000, openAmount: 1000, currentLevel: 1, lastDunnedAt: '2026-12-17', firstDunnedAt: '2026-12-17', lastDeadline: '2026-12-24', firstDeadline: '2026-12-24' });
		// The 28th and 29th for the money; the next stage on the 30th, interest from the 25th.
		expect(decide(eve, {}, '2026-12-29')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-12-30' });
		expect(decide(eve, {}, '2026-12-30')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-12-25' })] });
	});

	it('in Austria, Good Friday is no public holiday but TARGET is closed: no bank day for the money', () => {
		// Pay by Thursday 2 April 2026: Good Friday (TARGET closed) and Easter Monday do not count: 7 and 8 April, the next stage on the 9th.
		const easter = remindedOn('2026-03-26', '2026-04-02');
		for (const enabled of [true, false]) {
			const austria: DunningPolicyInput = { businessDays: { enabled, region: 'AT' } };
			const d = decide(easter, austria, '2026-04-08');
			expect(d).toMatchObject({ action: 'none', reason: 'waiting', level: 1, nextActionDate: '2026-04-09' });
			expect(d.message).toContain('up to and including 2026-04-08 ');
			// Default still from the day after the deadline, Good Friday (no holiday in Austria).
			expect(decide(easter, austria, '2026-04-09')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-04-03' })] });
		}
	});

	it('before the first reminder only Grace Days count: the due date is no deadline a reminder stated', () => {
		// Due Monday 9 March, stage 1 after 7 days: Monday 16 March, as before.
		const due = invoice({ dueDate: '2026-03-09' });
		expect(decide(due, {}, '2026-03-15')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-03-16' });
		expect(decide(due, {}, '2026-03-16')).toMatchObject({ action: 'send', level: 1 });
	});

	it('with Shift to Business Days on, the next stage day is a business day after the days for the money', () => {
		// Pay by Wednesday 11 March: Thursday and Friday for the money; Saturday 14 is moved to Monday 16.
		const wednesday = remindedOn('2026-03-04', '2026-03-11');
		const shifted: DunningPolicyInput = { businessDays: { enabled: true, region: 'DE' } };
		expect(decide(wednesday, shifted, '2026-03-13')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-03-16' });
		expect(decide(wednesday, {}, '2026-03-14')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-03-12' })] });
	});
});
