import { createDecider, decide, type DunningPolicyInput } from '../../lib/dunning';
import { invoice } from './helpers';

// Where default (§286 BGB) starts, as Compute Dunning Level decides it: the due date and the
// §286(3) 30 days end where the law ends them (§193 BGB), Shift to Business Days on or off; the
// 30 days count from the invoice when it came after the due date; a rate of 0 % or below charges
// nothing. All on fixed days.
const shift = (enabled: boolean): DunningPolicyInput['businessDays'] => ({ enabled, region: 'DE' });

describe('a due date on a weekend: default from the day after its legal end, Shift to Business Days off too', () => {
	// Consumer, payment date agreed (interestFrom dueDate), 1000 EUR due Saturday 1 March 2025: payable to Monday 3 March,
	// interest from 4 March. Level 1 → 2 on 31 March: 28 days at 7.27 %: 1000 × 0.0727 × 28 / 365 = 5.5770 → 5.58.
	const due = invoice({ dueDate: '2025-03-01', openAmount: 1000, amount: 1000, currentLevel: 1, lastDunnedAt: '2025-03-17' });

	it.each([false, true])('Shift to Business Days %s', (enabled) => {
		const d = decide(due, { businessDays: shift(enabled), statutoryInterest: { interestFrom: 'dueDate' } }, '2025-03-31');
		expect(d).toMatchObject({ action: 'send', level: 2, interest: 5.58, totalDue: 1005.58 });
		expect(d.interestPeriods).toEqual([{ from: '2025-03-04', to: '2025-03-31', days: 28, ratePct: 7.27, amount: 5.58 }]);
		// What is printed still follows the setting.
		expect(d.dueSince).toBe(enabled ? '2025-03-03' : '2025-03-01');
	});

	it('a business debtor owes the flat fee only from that day (interestFrom dueDate)', () => {
		const charging: DunningPolicyInput = { stages: [{ name: 'Mahnung', daysAfterPrevious: 0, chargeInterest: true }], statutoryInterest: { interestFrom: 'dueDate' } };
		const business = invoice({ dueDate: '2025-03-01', openAmount: 1000, amount: 1000, customerType: 'business' });
		// Monday 3 March is still the day to pay: no reminder (§193 BGB), neither interest nor the flat fee yet.
		expect(decide(business, charging, '2025-03-03')).toMatchObject({ action: 'none', reason: 'notDue', level: 0, interest: 0, flatFee: 0, nextActionDate: '2025-03-04' });
		expect(decide(business, charging, '2025-03-04')).toMatchObject({ action: 'send', level: 1, flatFee: 40, interest: 0.31 });
	});
});

describe('§286(3) BGB: a business debtor without a reminder, 30 days after the due date', () => {
	const chargingFirst: DunningPolicyInput = { stages: [{ name: 'M1', chargeInterest: true, daysAfterPrevious: 30 }] };
	const business = (dueDate: string) => invoice({ dueDate, openAmount: 1000, amount: 1000, customerType: 'business' });

	it.each([false, true])('the 30th day on a Saturday runs to Monday: default from Tuesday (Shift to Business Days %s)', (enabled) => {
		// Due Thursday 1 May 2025 (a holiday: payable Friday 2 May); + 30 = Sunday 1 June → Monday 2 June; default from 3 June.
		const policy = { ...chargingFirst, businessDays: shift(enabled) };
		const d = decide(business('2025-05-01'), policy, '2025-06-10');
		// 3–10 June, 8 days: 1000 × 11.27 % × 8 / 365 = 2.4701 → 2.47
		expect(d.interestPeriods).toEqual([{ from: '2025-06-03', to: '2025-06-10', days: 8, ratePct: 11.27, amount: 2.47 }]);
		expect(d).toMatchObject({ flatFee: 40, interest: 2.47 });
		// On Monday 2 June the 30 days have not ended: the reminder goes, without interest or the flat fee.
		expect(decide(business('2025-05-01'), policy, '2025-06-02')).toMatchObject({ action: 'send', level: 1, interest: 0, flatFee: 0, interestPeriods: [] });
	});

	it('the 30th day on a public holiday (Ascension Day, 29 May 2025) runs to the next business day', () => {
		// Due Tuesday 29 April 2025 + 30 = Thursday 29 May (Ascension Day) → Friday 30 May: default from Saturday 31 May.
		const d = decide(business('2025-04-29'), chargingFirst, '2025-06-10');
		expect(d.interestPeriods).toEqual([expect.objectContaining({ from: '2025-05-31', to: '2025-06-10', days: 11 })]);
		expect(decide(business('2025-04-29'), chargingFirst, '2025-05-30')).toMatchObject({ level: 1, interest: 0, flatFee: 0 });
	});

	it('counts the 30 days from the invoice when it is dated after the due date (receipt of the invoice)', () => {
		// Due 1 May 2025, invoiced 20 June, first reminder 1 July (pay by Tuesday 8 July): the reminder's deadline (default
		// from 9 July) comes before 30 days after the invoice (20 June + 30 = Sunday 20 July → 21st, default from 22 July).
		const late = { ...business('2025-05-01'), invoiceDate: '2025-06-20', currentLevel: 1, lastDunnedAt: '2025-07-01' };
		const d = decide(late, {}, '2025-07-21');
		// 9–21 July, 13 days: 1000 × 10.27 % × 13 / 365 = 3.6578 → 3.66
		expect(d.interestPeriods).toEqual([{ from: '2025-07-09', to: '2025-07-21', days: 13, ratePct: 10.27, amount: 3.66 }]);
		expect(d.warnings).toEqual([]);
		// Without a reminder: from 22 July, not from 3 June.
		const unreminded = { ...business('2025-05-01'), invoiceDate: '2025-06-20' };
		expect(decide(unreminded, chargingFirst, '2025-07-21')).toMatchObject({ action: 'send', level: 1, interest: 0, flatFee: 0 });
		expect(decide(unreminded, chargingFirst, '2025-07-22').interestPeriods).toEqual([expect.objectContaining({ from: '2025-07-22', days: 1 })]);
	});

	it('warns when the invoice is dated after the run day: most likely an error in the data', () => {
		const future = invoice({ dueDate: '2025-06-15', invoiceDate: '2025-08-01', openAmount: 1000, currentLevel: 1, lastDunnedAt: '2025-07-01' });
		const d = decide(future, { statutoryInterest: { interestFrom: 'dueDate' } }, '2025-07-15');
		expect(d.action).toBe('send');
		expect(d.warnings).toEqual(['the invoice is dated 2025-08-01, after the run day 2025-07-15: an invoice from the future is likely an error in the data; check invoiceDate (a business debtor\'s 30 days to default, §286(3) BGB, count from it)']);
		// Dated on the run day: no warning.
		expect(decide({ ...future, invoiceDate: '2025-07-15' }, { statutoryInterest: { interestFrom: 'dueDate' } }, '2025-07-15').warnings).toEqual([]);
	});
});

describe('a rate of 0 % or below charges nothing (base rate below zero, small margin)', () => {
	const zeroMargin: DunningPolicyInput = { statutoryInterest: { interestFrom: 'dueDate', consumerMarginPct: 0 } };

	it('gives no negative interest: those days are left out and the decision names the margin', () => {
		// 2016: base rate -0.83 % to June, -0.88 % from July; margin 0 → no interest (it was -1.79).
		const d = createDecider(zeroMargin, '2016-08-15').evaluate({ invoiceId: 'N-1', email: 'a@example.com', dueDate: '2016-05-31', openAmount: 1000, currentLevel: 1, lastDunnedAt: '2016-08-01' });
		expect(d).toMatchObject({ action: 'send', level: 2, interest: 0, interestPeriods: [], totalDue: 1000 });
		expect(d.warnings).toEqual([
			'no statutory interest for 76 days from 2016-06-01 to 2016-08-15: the base rate plus the consumer margin of 0 points is -0.88 %, and a debtor in default never earns interest, so those days are left out of the interest periods. Check statutoryInterest.consumerMarginPct (§288 BGB: 5 points)',
		]);
	});

	it('charges the days whose rate is above 0 %', () => {
		// Margin 0 across 1 January 2023: -0.88 % in December (nothing), 1.62 % in January: 1000 × 1.62 % × 31 / 365 = 1.3759 → 1.38.
		const d = createDecider(zeroMargin, '2023-01-31').evaluate({ invoiceId: 'N-2', email: 'a@example.com', dueDate: '2022-11-30', openAmount: 1000, currentLevel: 1, lastDunnedAt: '2023-01-17' });
		expect(d).toMatchObject({ level: 2, interest: 1.38, totalDue: 1001.38 });
		expect(d.interestPeriods).toEqual([{ from: '2023-01-01', to: '2023-01-31', days: 31, ratePct: 1.62, amount: 1.38 }]);
		expect(d.warnings).toEqual([expect.stringMatching(/^no statutory interest for 31 days from 2022-12-01 to 2022-12-31: .*consumer margin of 0 points is -0\.88 %/)]);
	});

	it('names each stretch of such days, not one span over the days charged between them', () => {
		// A policy's own table: -1 %, 2 %, -1 %, 2 % by half-year, margin 0.5: the second half of 2030 is
		// charged, 1000 × 2.5 % × 184 / 365 = 12.6027 → 12.60; the first halves of 2030 and 2031 are not.
		const ownTable: DunningPolicyInput = {
			statutoryInterest: {
				interestFrom: 'dueDate',
				consumerMarginPct: 0.5,
				baseRates: [
					{ from: '2030-01-01', ratePct: -1 },
					{ from: '2030-07-01', ratePct: 2 },
					{ from: '2031-01-01', ratePct: -1 },
					{ from: '2031-07-01', ratePct: 2 },
				],
			},
		};
		const d = createDecider(ownTable, '2031-06-30').evaluate({ invoiceId: 'N-3', email: 'a@example.com', dueDate: '2029-12-31', openAmount: 1000, currentLevel: 1, lastDunnedAt: '2031-06-01' });
		expect(d).toMatchObject({ level: 2, interest: 12.6, totalDue: 1012.6 });
		expect(d.interestPeriods).toEqual([{ from: '2030-07-01', to: '2030-12-31', days: 184, ratePct: 2.5, amount: 12.6 }]);
		expect(d.warnings).toEqual([
			'no statutory interest for 181 days from 2030-01-01 to 2030-06-30 and 181 days from 2031-01-01 to 2031-06-30: the base rate plus the consumer margin of 0.5 points is -0.5 %, and a debtor in default never earns interest, so those days are left out of the interest periods. Check statutoryInterest.consumerMarginPct (§288 BGB: 5 points)',
		]);
	});
});

describe('the shipped base-rate table reaches back to 2012', () => {
	it('charges 2013 at the Bundesbank’s -0.13 % and -0.38 %, without the “table starts” warning', () => {
		// Due 31 May 2013 (Friday), interest 1 June 2013 to 31 March 2014 at + 5 points:
		//   1–30 June 2013: 30 d at 4.87 %: 10000 × 0.0487 × 30 / 365 = 40.0274 → 40.03
		//   July–December 2013: 184 d at 4.62 %: 232.8986 → 232.90
		//   1 January – 31 March 2014: 90 d at 4.37 %: 107.7534 → 107.75
		const d = createDecider({ statutoryInterest: { interestFrom: 'dueDate' } }, '2014-03-31').evaluate({ invoiceId: 'O-1', email: 'a@example.com', dueDate: '2013-05-31', openAmount: 10000, currentLevel: 1, lastDunnedAt: '2014-03-17' });
		expect(d.interestPeriods.map((p) => [p.from, p.to, p.days, p.ratePct, p.amount])).toEqual([
			['2013-06-01', '2013-06-30', 30, 4.87, 40.03],
			['2013-07-01', '2013-12-31', 184, 4.62, 232.9],
			['2014-01-01', '2014-03-31', 90, 4.37, 107.75],
		]);
		expect(d).toMatchObject({ interest: 380.68, warnings: [] });
	});
});
