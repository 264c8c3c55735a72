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
		expect(dayAfter.message).toBe(
			'the last reminder asked for payment by 2026-03-09 (lastDeadline): the next stage waits 2 business days more for a payment made by then to arrive (Days for Payment to Arrive, see nextActionDate)',
		);
		expect(decide(stated, {}, '2026-03-11')).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-03-12' });
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
