import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calendarFor, compileRateTable, daysFromCivil, GERMAN_BASE_RATES, interestStartDay, statutoryInterest } from '../../lib/dunning';

const day = (s: string) => daysFromCivil(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));
const table = compileRateTable(GERMAN_BASE_RATES);

describe('statutory interest (§288 BGB)', () => {
	it('splits at the 1 July 2025 base-rate change (consumer, hand-computed)', () => {
		// 1000.00 EUR due 2025-06-15, interest for 16 June .. 15 July 2025 (30 days), act/365:
		//   16–30 June: 15 days at 2.27 + 5 = 7.27 %: 1000 × 7.27 % × 15 / 365 = 2.98767… → 2.99
		//   1–15 July:  15 days at 1.27 + 5 = 6.27 %: 1000 × 6.27 % × 15 / 365 = 2.57671… → 2.58
		//   total 2.99 + 2.58 = 5.57
		const r = statutoryInterest(1000, day('2025-06-16'), day('2025-07-15'), 5, table);
		expect(r.periods).toEqual([
			{ from: '2025-06-16', to: '2025-06-30', days: 15, ratePct: 7.27, amount: 2.99 },
			{ from: '2025-07-01', to: '2025-07-15', days: 15, ratePct: 6.27, amount: 2.58 },
		]);
		expect(r.amount).toBe(5.57);
		expect(r.pastTableEnd).toBe(false);
	});

	it('uses + 9 points for businesses and spans several changes', () => {
		// 2500.00 from 2023-12-01 to 2024-07-31:
		//   2023-12-01..12-31: 31 d at 3.12 + 9 = 12.12 %: 2500 × 0.1212 × 31 / 365 = 25.7342 → 25.73
		//   2024-01-01..06-30: 182 d at 3.62 + 9 = 12.62 %: 2500 × 0.1262 × 182 / 365 = 157.3178 → 157.32
		//   2024-07-01..07-31: 31 d at 3.37 + 9 = 12.37 %: 2500 × 0.1237 × 31 / 365 = 26.2651 → 26.27
		//   total 209.32
		const r = statutoryInterest(2500, day('2023-12-01'), day('2024-07-31'), 9, table);
		expect(r.periods.map((p) => [p.days, p.ratePct, p.amount])).toEqual([
			[31, 12.12, 25.73],
			[182, 12.62, 157.32],
			[31, 12.37, 26.27],
		]);
		expect(r.amount).toBe(209.32);
	});

	it('rounds each period exactly to the cent, also where floating point lands on the other side of a half cent', () => {
		// 146,259.91 × 10.27 % × 107 / 365 = 4,403.384999997…: 4,403.38 (the float product said .39).
		expect(statutoryInterest(146259.91, day('2025-07-01'), day('2025-10-15'), 9, table).periods.map((p) => [p.days, p.amount])).toEqual([[107, 4403.38]]);
		// Beyond exact float integers (1,234,567,890.12 × 12.62 % × 182 / 365 = 77,687,805.8255…).
		expect(statutoryInterest(1234567890.12, day('2024-01-01'), day('2024-06-30'), 9, table).amount).toBe(77687805.83);
		// A half cent exactly rounds up: 36.50 at 5 % (base 0 + 5) for 1 day = 0.005.
		expect(statutoryInterest(36.5, day('2020-01-01'), day('2020-01-01'), 5, compileRateTable([{ from: '2014-01-01', ratePct: 0 }])).amount).toBe(0.01);
	});

	it('counts 29 February as a day (act/365, not act/366)', () => {
		// 365.00 at 5 + 3.62 = 8.62 % for 28 Feb .. 1 Mar 2024 = 3 days: 365 × 0.0862 × 3 / 365 = 0.2586 → 0.26
		const r = statutoryInterest(365, day('2024-02-28'), day('2024-03-01'), 5, table);
		expect(r.periods[0].days).toBe(3);
		expect(r.amount).toBe(0.26);
	});

	it('covers the ten years an invoice may be dunned for: 2016 at the Bundesbank\'s -0.83 % to June, -0.88 % from July', () => {
		// 10,000 from 2016-03-16 to 2016-07-16: 107 days at 4.17 % (-0.83 + 5), 16 days at 4.12 % (-0.88 + 5)
		const r = statutoryInterest(10000, day('2016-03-16'), day('2016-07-16'), 5, table);
		expect(r.periods.map((p) => [p.ratePct, p.days])).toEqual([[4.17, 107], [4.12, 16]]);
		expect(r.beforeTableStart).toBe(false);
	});

	it('has the Bundesbank’s 2012 and 2013 rates: 0.12 %, -0.13 % from January 2013, -0.38 % from July 2013', () => {
		// 10,000 from 2012-12-01 to 2014-01-10 at + 5 points:
		//   2012-12-01..12-31:  31 d at 5.12 %: 10000 × 0.0512 × 31 / 365 = 43.4849 → 43.48
		//   2013-01-01..06-30: 181 d at 4.87 %: 10000 × 0.0487 × 181 / 365 = 241.4986 → 241.50
		//   2013-07-01..12-31: 184 d at 4.62 %: 10000 × 0.0462 × 184 / 365 = 232.8986 → 232.90
		//   2014-01-01..01-10:  10 d at 4.37 %: 10000 × 0.0437 × 10 / 365 = 11.9726 → 11.97
		const r = statutoryInterest(10000, day('2012-12-01'), day('2014-01-10'), 5, table);
		expect(r.periods.map((p) => [p.from, p.days, p.ratePct, p.amount])).toEqual([
			['2012-12-01', 31, 5.12, 43.48],
			['2013-01-01', 181, 4.87, 241.5],
			['2013-07-01', 184, 4.62, 232.9],
			['2014-01-01', 10, 4.37, 11.97],
		]);
		expect(r.amount).toBe(529.85);
		expect(r.beforeTableStart).toBe(false);
	});

	it('charges nothing for days whose rate is 0 % or below, and leaves them out: default interest is never owed by the creditor', () => {
		// Margin 0 in 2016: -0.83 % and -0.88 %, nothing at all (it was -1.79, which Send and Letter refuse).
		const none = statutoryInterest(1000, day('2016-06-01'), day('2016-08-15'), 0, table);
		expect(none).toMatchObject({ amount: 0, periods: [], uncharged: [{ from: '2016-06-01', to: '2016-08-15', days: 76, ratePct: -0.88 }] });
		// Margin 0 across 1 January 2023 (-0.88 % → 1.62 %): only the January days count, 1000 × 1.62 % × 31 / 365 = 1.3759 → 1.38.
		const across = statutoryInterest(1000, day('2022-12-01'), day('2023-01-31'), 0, table);
		expect(across.periods).toEqual([{ from: '2023-01-01', to: '2023-01-31', days: 31, ratePct: 1.62, amount: 1.38 }]);
		expect(across).toMatchObject({ amount: 1.38, uncharged: [{ from: '2022-12-01', to: '2022-12-31', days: 31, ratePct: -0.88 }] });
		// A rate of exactly 0 % charges nothing either; the statutory margins never come near it.
		expect(statutoryInterest(1000, day('2020-01-01'), day('2020-01-31'), 0.88, table)).toMatchObject({ amount: 0, periods: [], uncharged: [{ days: 31, ratePct: 0 }] });
		expect(statutoryInterest(1000, day('2016-06-01'), day('2016-08-15'), 5, table).uncharged).toEqual([]);
	});

	it('keeps stretches of uncharged days apart when charged days lie between them', () => {
		// A policy's own table, margin 0.5: -0.5 %, 2.5 %, -0.5 % by half-year.
		const own = compileRateTable([
			{ from: '2030-01-01', ratePct: -1 },
			{ from: '2030-07-01', ratePct: 2 },
			{ from: '2031-01-01', ratePct: -1 },
			{ from: '2031-07-01', ratePct: 2 },
		]);
		const r = statutoryInterest(1000, day('2030-01-01'), day('2031-06-30'), 0.5, own);
		expect(r.periods).toEqual([{ from: '2030-07-01', to: '2030-12-31', days: 184, ratePct: 2.5, amount: 12.6 }]);
		expect(r.uncharged).toEqual([
			{ from: '2030-01-01', to: '2030-06-30', days: 181, ratePct: -0.5 },
			{ from: '2031-01-01', to: '2031-06-30', days: 181, ratePct: -0.5 },
		]);
		// Adjacent ones stay one stretch, at its lowest rate (2016: -0.83 %, then -0.88 %).
		expect(statutoryInterest(1000, day('2016-06-01'), day('2016-08-15'), 0, table).uncharged).toHaveLength(1);
	});

	it('flags days after the table’s last half-year and before its first entry', () => {
		expect(table.lastCoveredDay).toBe(day('2026-06-30'));
		expect(statutoryInterest(100, day('2026-06-01'), day('2026-06-30'), 5, table).pastTableEnd).toBe(false);
		expect(statutoryInterest(100, day('2026-06-01'), day('2026-07-01'), 5, table).pastTableEnd).toBe(true);
		expect(statutoryInterest(100, day('2011-12-30'), day('2012-01-01'), 5, table).beforeTableStart).toBe(true);
		expect(statutoryInterest(100, day('2012-01-01'), day('2012-01-02'), 5, table).beforeTableStart).toBe(false);
	});

	it('charges nothing for an empty period or nothing open', () => {
		expect(statutoryInterest(100, day('2026-01-02'), day('2026-01-01'), 5, table).amount).toBe(0);
		expect(statutoryInterest(0, day('2026-01-01'), day('2026-01-31'), 5, table).amount).toBe(0);
	});

	it('accepts an overriding table and rejects a disordered one', () => {
		const own = compileRateTable([
			{ from: '2026-01-01', ratePct: 1.27 },
			{ from: '2026-07-01', ratePct: 2 },
		]);
		expect(own.lastCoveredDay).toBe(day('2026-12-31'));
		// 1000 × 7 % × 10 / 365 = 1.9178 → 1.92
		expect(statutoryInterest(1000, day('2026-07-01'), day('2026-07-10'), 5, own).amount).toBe(1.92);
		expect(() => compileRateTable([{ from: '2026-07-01', ratePct: 2 }, { from: '2026-01-01', ratePct: 1 }])).toThrow(/baseRates\[1\] \(2026-01-01\) is out of order/);
		expect(() => compileRateTable([{ from: '2026-13-01', ratePct: 2 }])).toThrow(/baseRates\[0\]\.from must be a date/);
	});
});

test('the README lists the shipped base-rate table as it is, for operators who override it', () => {
	const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
	const listed = /`(\[\{"from":"\d{4}-\d{2}-\d{2}","ratePct"[^`]+)`/.exec(readme)?.[1];
	expect(JSON.parse(listed ?? '[]')).toEqual(GERMAN_BASE_RATES);
});

describe('the first day of default interest (§286 BGB)', () => {
	// Sunday 1 March 2026: payable to Monday 2 March (§193 BGB, whatever the dates print); 2 March + 30 days = Wednesday 1 April.
	const due = day('2026-03-01');
	const on = (d: string) => day(d);
	const de = calendarFor('DE');

	it('dueDate: the day after the due date’s legal end, whatever the reminders', () => {
		expect(interestStartDay('dueDate', due, on('2026-03-15'), false, on('2026-03-08'), de)).toBe(on('2026-03-03'));
		expect(interestStartDay('dueDate', due, on('2026-03-15'), false, null, de)).toBe(on('2026-03-03'));
		// A due date on a business day is its own legal end.
		expect(interestStartDay('dueDate', on('2026-03-02'), on('2026-03-15'), false, null, de)).toBe(on('2026-03-03'));
		expect(interestStartDay('dueDate', on('2026-03-04'), on('2026-03-15'), false, null, de)).toBe(on('2026-03-05'));
	});

	it('firstReminder: the day after the first reminder’s deadline; for a business at the latest once the 30 days after the due date have passed', () => {
		// The caller passes the day after the deadline: reminded 8 March, pay by 15 March → 16 March.
		expect(interestStartDay('firstReminder', due, on('2026-03-22'), false, on('2026-03-16'), de)).toBe(on('2026-03-16'));
		expect(interestStartDay('firstReminder', due, on('2026-05-01'), false, null, de)).toBeNull();
		expect(interestStartDay('firstReminder', due, on('2026-05-01'), true, null, de)).toBe(on('2026-04-02'));
		expect(interestStartDay('firstReminder', due, on('2026-05-01'), true, on('2026-04-28'), de)).toBe(on('2026-04-02'));
		expect(interestStartDay('firstReminder', due, on('2026-05-01'), true, on('2026-03-16'), de)).toBe(on('2026-03-16'));
		// Reminded 28 March, pay by 4 April: a business debtor is in default from 2 April all the same, a consumer from 5 April.
		expect(interestStartDay('firstReminder', due, on('2026-04-05'), true, on('2026-04-05'), de)).toBe(on('2026-04-02'));
		expect(interestStartDay('firstReminder', due, on('2026-04-05'), false, on('2026-04-05'), de)).toBe(on('2026-04-05'));
		// A deadline before the due date starts nothing before the day after the due date's legal end.
		expect(interestStartDay('firstReminder', due, on('2026-03-15'), false, on('2026-02-27'), de)).toBe(on('2026-03-03'));
	});

	it('firstReminder: the run day counts once it is the first day of default; a later start gives nothing yet', () => {
		// Pay by 15 March: on the 15th nothing, on the 16th one day (16 March), as from the due date a run on 3 March charges 3 March.
		expect(interestStartDay('firstReminder', due, on('2026-03-15'), false, on('2026-03-16'), de)).toBeNull();
		expect(interestStartDay('firstReminder', due, on('2026-03-16'), false, on('2026-03-16'), de)).toBe(on('2026-03-16'));
		expect(interestStartDay('firstReminder', due, on('2026-04-01'), true, null, de)).toBeNull();
		expect(interestStartDay('firstReminder', due, on('2026-04-02'), true, null, de)).toBe(on('2026-04-02'));
		expect(interestStartDay('dueDate', due, on('2026-03-03'), false, null, de)).toBe(on('2026-03-03'));
		// Monday 2 March, the day a payment due on Sunday is still good on: none yet.
		expect(interestStartDay('dueDate', due, on('2026-03-02'), false, null, de)).toBeNull();
	});

	it('§286(3): the 30th day on a weekend or public holiday runs to the next business day (§193 BGB)', () => {
		// Thursday 1 May 2025 (itself a holiday: payable Friday 2 May) + 30 = Sunday 1 June → Monday 2 June: default from 3 June.
		expect(interestStartDay('firstReminder', on('2025-05-01'), on('2025-06-10'), true, null, de)).toBe(on('2025-06-03'));
		expect(interestStartDay('firstReminder', on('2025-05-01'), on('2025-06-02'), true, null, de)).toBeNull();
		// Tuesday 29 April 2025 + 30 = Ascension Day (Thursday 29 May) → Friday 30 May: default from Saturday 31 May.
		expect(interestStartDay('firstReminder', on('2025-04-29'), on('2025-06-10'), true, null, de)).toBe(on('2025-05-31'));
		// A 30th day on a business day: the day after it (Monday 2 June 2025 + 30 = Wednesday 2 July).
		expect(interestStartDay('firstReminder', on('2025-06-02'), on('2025-07-10'), true, null, de)).toBe(on('2025-07-03'));
	});

	it('§286(3): 30 days after the due date and receipt of the invoice, whichever is later (the invoice’s date for its receipt)', () => {
		// Due 1 May 2025 (payable 2 May), invoiced 20 June: 20 June + 30 = Sunday 20 July → Monday 21st: default from 22 July.
		expect(interestStartDay('firstReminder', on('2025-05-01'), on('2025-07-31'), true, null, de, on('2025-06-20'))).toBe(on('2025-07-22'));
		// A reminder's deadline that passed before (first reminder 1 July, pay by 8 July) comes first.
		expect(interestStartDay('firstReminder', on('2025-05-01'), on('2025-07-21'), true, on('2025-07-09'), de, on('2025-06-20'))).toBe(on('2025-07-09'));
		// An invoice dated before the due date changes nothing.
		expect(interestStartDay('firstReminder', on('2025-05-01'), on('2025-06-10'), true, null, de, on('2025-04-15'))).toBe(on('2025-06-03'));
		// Consumers and the due-date rule do not count from the invoice.
		expect(interestStartDay('dueDate', on('2025-05-01'), on('2025-07-31'), true, null, de, on('2025-06-20'))).toBe(on('2025-05-03'));
		expect(interestStartDay('firstReminder', on('2025-05-01'), on('2025-07-31'), false, null, de, on('2025-06-20'))).toBeNull();
	});
});
