import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRateTable, daysFromCivil, GERMAN_BASE_RATES, interestStartDay, statutoryInterest } from '../../lib/dunning';

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

	it('flags days after the table’s last half-year and before its first entry', () => {
		expect(table.lastCoveredDay).toBe(day('2026-06-30'));
		expect(statutoryInterest(100, day('2026-06-01'), day('2026-06-30'), 5, table).pastTableEnd).toBe(false);
		expect(statutoryInterest(100, day('2026-06-01'), day('2026-07-01'), 5, table).pastTableEnd).toBe(true);
		expect(statutoryInterest(100, day('2013-12-30'), day('2014-01-01'), 5, table).beforeTableStart).toBe(true);
		expect(statutoryInterest(100, day('2014-01-01'), day('2014-01-02'), 5, table).beforeTableStart).toBe(false);
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
	const listed = /`(\[\{"from":"2014-01-01"[^`]+)`/.exec(readme)?.[1];
	expect(JSON.parse(listed ?? '[]')).toEqual(GERMAN_BASE_RATES);
});

describe('the first day of default interest (§286 BGB)', () => {
	const due = day('2026-03-01');
	const on = (d: string) => day(d);

	it('dueDate: the day after the due date, whatever the reminders', () => {
		expect(interestStartDay('dueDate', due, on('2026-03-15'), false, on('2026-03-08'))).toBe(on('2026-03-02'));
		expect(interestStartDay('dueDate', due, on('2026-03-15'), false, null)).toBe(on('2026-03-02'));
	});

	it('firstReminder: the day after the first reminder’s deadline; for a business at the latest the 31st day after the due date', () => {
		// The caller passes the day after the deadline: reminded 8 March, pay by 15 March → 16 March.
		expect(interestStartDay('firstReminder', due, on('2026-03-22'), false, on('2026-03-16'))).toBe(on('2026-03-16'));
		expect(interestStartDay('firstReminder', due, on('2026-05-01'), false, null)).toBeNull();
		expect(interestStartDay('firstReminder', due, on('2026-05-01'), true, null)).toBe(on('2026-04-01'));
		expect(interestStartDay('firstReminder', due, on('2026-05-01'), true, on('2026-04-28'))).toBe(on('2026-04-01'));
		expect(interestStartDay('firstReminder', due, on('2026-05-01'), true, on('2026-03-16'))).toBe(on('2026-03-16'));
		// Reminded 28 March, pay by 4 April: a business debtor is in default from 1 April all the same, a consumer from 5 April.
		expect(interestStartDay('firstReminder', due, on('2026-04-05'), true, on('2026-04-05'))).toBe(on('2026-04-01'));
		expect(interestStartDay('firstReminder', due, on('2026-04-05'), false, on('2026-04-05'))).toBe(on('2026-04-05'));
		// A deadline before the due date starts nothing before the day after it.
		expect(interestStartDay('firstReminder', due, on('2026-03-15'), false, on('2026-02-27'))).toBe(on('2026-03-02'));
	});

	it('firstReminder: the run day counts once it is the first day of default; a later start gives nothing yet', () => {
		// Pay by 15 March: on the 15th nothing, on the 16th one day (16 March), as from the due date a run on 2 March charges 2 March.
		expect(interestStartDay('firstReminder', due, on('2026-03-15'), false, on('2026-03-16'))).toBeNull();
		expect(interestStartDay('firstReminder', due, on('2026-03-16'), false, on('2026-03-16'))).toBe(on('2026-03-16'));
		expect(interestStartDay('firstReminder', due, on('2026-03-31'), true, null)).toBeNull();
		expect(interestStartDay('firstReminder', due, on('2026-04-01'), true, null)).toBe(on('2026-04-01'));
		expect(interestStartDay('dueDate', due, on('2026-03-02'), false, null)).toBe(on('2026-03-02'));
	});
});
