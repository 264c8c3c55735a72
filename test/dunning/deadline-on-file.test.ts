import { type DunningDecision } from '../../lib/dunning';
// Deadline rules from the day after a deadline: Days for Payment to Arrive 0 (at-deadline.ts).
import { createDecider } from './at-deadline';
import { invoice } from './helpers';

/**
 * The deadlines reminders stated, as stored on the invoice (lastDeadline, firstDeadline), rule over
 * today's Payment Deadline: level 1 went out on Monday 2 March 2026 with 14 days ("pay by Monday
 * 16 March"), then the setting was shortened to 7. Default stages (7 days each, interest from level 2).
 */
const SHORTENED = { paymentDeadlineDays: 7 };
const LENGTHENED = { paymentDeadlineDays: 14 };
const levelOne = { dueDate: '2026-02-25', invoiceDate: '2026-02-20', amount: 1000, openAmount: 1000, currentLevel: 1, lastDunnedAt: '2026-03-02' };
const business = { ...levelOne, customerType: 'business' as const };

const on = (day: string, policy: object, overrides: Parameters<typeof invoice>[0]): DunningDecision => createDecider(policy, day).decide(invoice(overrides));
const starts = (d: DunningDecision) => d.interestPeriods.map((p) => p.from);

describe('the next stage waits for the deadline the last reminder stated (lastDeadline)', () => {
	it('after Payment Deadline was shortened, level 2 does not go out before the stated deadline passed, and claims no flat fee or interest', () => {
		// Without the stored deadline: 2 March + 7 days, level 2 on 10 March with the 40 EUR flat fee (today's behaviour).
		expect(on('2026-03-10', SHORTENED, business)).toMatchObject({ action: 'send', level: 2, flatFee: 40 });
		for (const day of ['2026-03-10', '2026-03-16']) {
			const d = on(day, SHORTENED, { ...business, lastDeadline: '2026-03-16' });
			expect(d).toMatchObject({ action: 'none', reason: 'waiting', level: 1, fee: 0, flatFee: 0, interest: 0, nextActionDate: '2026-03-17', deadline: null });
			expect(d.message).toBe('the last reminder asked for payment by 2026-03-16 (lastDeadline), which has not passed yet: the next stage waits (see nextActionDate)');
		}
		// The day after: level 2, default (and so the flat fee and interest) from that day (at level 1 the last deadline is the first).
		const after = on('2026-03-17', SHORTENED, { ...business, lastDeadline: '2026-03-16' });
		expect(after).toMatchObject({ action: 'send', level: 2, flatFee: 40 });
		expect(starts(after)).toEqual(['2026-03-17']);
		const consumer = on('2026-03-17', SHORTENED, { ...levelOne, lastDeadline: '2026-03-16' });
		expect(consumer).toMatchObject({ action: 'send', level: 2, flatFee: 0 });
		expect(consumer.interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-17', to: '2026-03-17', days: 1 })]);
	});

	it('waits for the stated deadline’s legal end: past Easter (§193 BGB), business days shift on or off', () => {
		// Pay by Good Friday 3 April 2026: the deadline runs to Tuesday 7 April, so the next stage from the 8th.
		const easter = { ...levelOne, lastDunnedAt: '2026-03-20', lastDeadline: '2026-04-03' };
		expect(on('2026-04-07', SHORTENED, easter)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-04-08' });
		expect(on('2026-04-08', SHORTENED, easter)).toMatchObject({ action: 'send', level: 2 });
		expect(on('2026-04-07', { ...SHORTENED, businessDays: { enabled: true, region: 'DE' } }, easter)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-04-08' });
	});

	it('never makes the next stage earlier than the estimate (a longer period today still waits), and binds no one at level 0', () => {
		// Level 1 stated 9 March (7 days), the setting is 14 now: the estimate (17 March) stands.
		expect(on('2026-03-12', LENGTHENED, { ...levelOne, lastDeadline: '2026-03-09' })).toMatchObject({ reason: 'waiting', nextActionDate: '2026-03-17' });
		// A reminder taken back (not delivered) left a deadline on file: level 1 again goes out as without it.
		expect(on('2026-03-10', SHORTENED, { ...levelOne, currentLevel: 0, lastDeadline: '2026-03-16' })).toMatchObject({ action: 'send', level: 1 });
	});

	it('reads a First Reminder Deadline alone at level 1 as the last reminder’s too', () => {
		expect(on('2026-03-10', SHORTENED, { ...business, firstDeadline: '2026-03-16' })).toMatchObject({ reason: 'waiting', flatFee: 0, nextActionDate: '2026-03-17' });
	});
});

describe('default by reminder starts the day after the deadline the first reminder stated (firstDeadline)', () => {
	// Level 1 on 10 February, level 2 on 25 February; run for level 3 on 20 March.
	const levelTwo = { dueDate: '2026-02-01', invoiceDate: '2026-01-18', amount: 1000, openAmount: 1000, currentLevel: 2, firstDunnedAt: '2026-02-10', lastDunnedAt: '2026-02-25' };

	it('the first reminder said 7 days, the setting says 14 now: interest from its real deadline, not the later estimate', () => {
		expect(starts(on('2026-03-20', LENGTHENED, levelTwo))).toEqual(['2026-02-25']);
		const d = on('2026-03-20', LENGTHENED, { ...levelTwo, firstDeadline: '2026-02-17', lastDeadline: '2026-03-11' });
		expect(d).toMatchObject({ action: 'send', level: 3 });
		expect(starts(d)).toEqual(['2026-02-18']);
	});

	it('the first reminder said 14 days, the setting says 7 now: no interest before its deadline passed', () => {
		expect(starts(on('2026-03-20', SHORTENED, levelTwo))).toEqual(['2026-02-18']);
		const d = on('2026-03-20', SHORTENED, { ...levelTwo, firstDeadline: '2026-02-24', lastDeadline: '2026-03-11' });
		expect(starts(d)).toEqual(['2026-02-25']);
	});

	it('stays capped by a business debtor’s 30 days (§286(3) BGB)', () => {
		// Due Sunday 1 February, payable to Monday the 2nd (§193 BGB): the 30th day after is 4 March, in default from the 5th
		// at the latest, whatever the reminder said.
		const d = on('2026-03-20', SHORTENED, { ...levelTwo, customerType: 'business', firstDeadline: '2026-03-09', lastDeadline: '2026-03-11' });
		expect(starts(d)).toEqual(['2026-03-05']);
	});
});
