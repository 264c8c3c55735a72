import { compilePolicy, decide, type DunningPolicyInput } from '../../lib/dunning';
import { MIN_REASONABLE_PAYMENT_DEADLINE_DAYS, policyWarnings, shortPaymentDeadline } from '../../lib/dunning/policy-warnings';
import { invoice } from './helpers';

// §193 BGB: a due date on a Saturday, Sunday or public holiday runs to the next business day, with
// Shift to Business Days off (the default) as much as on. Before that day nothing is due, and a
// reminder asking for it has no legal effect. Good Friday 3 April 2026: Saturday, Sunday, Easter
// Monday 6 April, so the due date ends on Tuesday 7 April and the first reminder may go on the 8th.
describe('the first reminder waits for the due date’s legal end (§193 BGB)', () => {
	const stages = (days: number): DunningPolicyInput['stages'] => [
		{ name: 'Z', daysAfterPrevious: days },
		{ name: 'M', chargeInterest: true },
	];
	const goodFriday = invoice({ dueDate: '2026-04-03' });

	it('a first stage 1 day after the due date: notDue over Easter, sent on Wednesday 8 April', () => {
		const policy = { stages: stages(1) };
		for (const runDay of ['2026-04-04', '2026-04-06', '2026-04-07']) {
			expect(decide(goodFriday, policy, runDay)).toMatchObject({ action: 'none', reason: 'notDue', level: 0, nextActionDate: '2026-04-08', interest: 0, fee: 0 });
		}
		expect(decide(goodFriday, policy, '2026-04-08')).toMatchObject({ action: 'send', level: 1, stageName: 'Z', reason: null });
	});

	it('0 or 3 days after the due date: the same legal end', () => {
		for (const days of [0, 3]) {
			expect(decide(goodFriday, { stages: stages(days) }, '2026-04-07')).toMatchObject({ action: 'none', reason: 'notDue', level: 0, nextActionDate: '2026-04-08' });
			expect(decide(goodFriday, { stages: stages(days) }, '2026-04-08')).toMatchObject({ action: 'send', level: 1 });
		}
	});

	it('a due date on a Saturday ends on Monday: the first stage on Tuesday', () => {
		const saturday = invoice({ dueDate: '2026-03-28' });
		expect(decide(saturday, { stages: stages(1) }, '2026-03-30')).toMatchObject({ reason: 'notDue', nextActionDate: '2026-03-31' });
		expect(decide(saturday, { stages: stages(1) }, '2026-03-31')).toMatchObject({ action: 'send', level: 1 });
	});

	it('a due date on a business day: the first stage the day after, as before', () => {
		const thursday = invoice({ dueDate: '2026-04-02' });
		expect(decide(thursday, { stages: stages(0) }, '2026-04-02')).toMatchObject({ reason: 'notDue', nextActionDate: '2026-04-03' });
		expect(decide(thursday, { stages: stages(0) }, '2026-04-03')).toMatchObject({ action: 'send', level: 1 });
	});

	it('with Shift to Business Days on: the same day', () => {
		const policy: DunningPolicyInput = { stages: stages(1), businessDays: { enabled: true, region: 'DE' } };
		expect(decide(goodFriday, policy, '2026-04-07')).toMatchObject({ reason: 'notDue', dueSince: '2026-04-07' });
		expect(decide(goodFriday, policy, '2026-04-08')).toMatchObject({ action: 'send', level: 1 });
	});

	it('the shipped 7 days are unchanged: sent on Friday 10 April, a week after Good Friday', () => {
		expect(decide(goodFriday, {}, '2026-04-08')).toMatchObject({ action: 'none', reason: 'waiting', level: 0, nextActionDate: '2026-04-10' });
		expect(decide(goodFriday, {}, '2026-04-09')).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-04-10' });
		expect(decide(goodFriday, {}, '2026-04-10')).toMatchObject({ action: 'send', level: 1, deadline: '2026-04-17', daysOverdue: 7 });
	});

	it('without lastDunnedAt, the next stage counts from the first stage’s legal day, not from before it', () => {
		// Level 1 on file without dates: the first reminder is taken as sent on 8 April (not on the 4th),
		// deadline 15 April, 2 business days for the payment to arrive: the next stage from Saturday 18 April.
		const reminded = { ...goodFriday, currentLevel: 1 };
		expect(decide(reminded, { stages: stages(1) }, '2026-04-17')).toMatchObject({ action: 'none', reason: 'waiting', level: 1, nextActionDate: '2026-04-18' });
		expect(decide(reminded, { stages: stages(1) }, '2026-04-18')).toMatchObject({ action: 'send', level: 2 });
	});
});

// An ERP that books each reminder's fee onto the invoice's open item exports more open than invoiced.
describe('an open amount above the invoice amount', () => {
	const policy: DunningPolicyInput = {
		stages: [
			{ name: 'Zahlungserinnerung', daysAfterPrevious: 7 },
			{ name: '1. Mahnung', daysAfterPrevious: 7, fee: 2.5, chargeInterest: true },
			{ name: '2. Mahnung', daysAfterPrevious: 7, fee: 2.5, chargeInterest: true },
		],
	};
	const base = { invoiceDate: '2025-05-01', dueDate: '2025-05-15', amount: 1000, currentLevel: 2, lastDunnedAt: '2025-07-30', firstDunnedAt: '2025-06-20', firstDeadline: '2025-06-27', lastDeadline: '2025-08-06' };
	const runDay = '2025-08-20';

	it('charges interest on the invoice amount only (§289 BGB) and warns that the booked charges are claimed again', () => {
		const above = decide(invoice({ ...base, openAmount: 1002.5 }), policy, runDay);
		const plain = decide(invoice({ ...base, openAmount: 1000 }), policy, runDay);
		expect(plain).toMatchObject({ action: 'send', level: 3, warnings: [] });
		expect(plain.interest).toBeGreaterThan(0);
		expect(above).toMatchObject({ action: 'send', level: 3, openAmount: 1002.5, fee: 5, interest: plain.interest });
		expect(above.interestPeriods).toEqual(plain.interestPeriods);
		// The open amount is still what is open: 1002.50 + 5 fees + the interest on 1000.
		expect(above.totalDue).toBe(Math.round((1002.5 + 5 + plain.interest) * 100) / 100);
		expect(above.warnings).toEqual([
			'openAmount 1002.50 EUR is above the invoice amount 1000.00 EUR (amount): charges your ERP booked onto the invoice would be claimed twice; interest is charged on the invoice amount only. Book dunning charges apart from the invoice, or correct amount',
		]);
	});

	it('compares in the currency’s smallest unit: a float sum that rounds to the amount is not above it', () => {
		// 999.9 + 0.1 = 1000.0000000000001 in floating point: the same 1000.00.
		const d = decide(invoice({ ...base, openAmount: 999.9 + 0.1 }), policy, runDay);
		expect(d.warnings).toEqual([]);
	});

	it('a partly paid invoice (less open than invoiced) is unchanged: interest on what is open', () => {
		const part = decide(invoice({ ...base, openAmount: 500 }), policy, runDay);
		const asIfInvoiced = decide(invoice({ ...base, amount: 500, openAmount: 500 }), policy, runDay);
		expect(part.warnings).toEqual([]);
		expect(part.interest).toBeGreaterThan(0);
		expect(part.interest).toBe(asIfInvoiced.interest);
	});
});

describe('a Payment Deadline under 7 days is flagged', () => {
	it('0 to 6 days warn, 7 and more do not', () => {
		expect(MIN_REASONABLE_PAYMENT_DEADLINE_DAYS).toBe(7);
		for (const days of [0, 1, 6]) {
			expect(policyWarnings(compilePolicy({ paymentDeadlineDays: days }).policy)).toEqual([shortPaymentDeadline(days)]);
		}
		for (const days of [7, 14]) expect(policyWarnings(compilePolicy({ paymentDeadlineDays: days }).policy)).toEqual([]);
		// The shipped policy: 7 days.
		expect(policyWarnings(compilePolicy({}).policy)).toEqual([]);
	});

	it('says what the reminder asks and what to set', () => {
		expect(shortPaymentDeadline(0)).toBe(
			'Payment Deadline (Days) is 0: every reminder asks for payment within 0 days (by the day it is sent). ' +
				'Courts see 7 to 14 days as reasonable; a shorter deadline may not count, and the next stage and default counted from it may come too early. ' +
				'Set Payment Deadline (Days) to 7 or more.',
		);
		expect(shortPaymentDeadline(1)).toContain('within 1 day. ');
	});
});
