import { calendarFor, compilePolicy, createDecider, formatDay, plainDay, type DunningPolicyInput, type Invoice } from '../../lib/dunning';
import { dayAfterArrival, dayAfterDeadline, reminderGap, reminderOffsets } from '../../lib/dunning/reminder-gap';
import { invoice } from './helpers';

const day = (text: string): number => plainDay(text)!;

// Germany's nationwide public holidays from March to mid-July 2026, written out here rather than
// asked of the calendar under test: Good Friday, Easter Monday, Labour Day, Ascension, Whit Monday.
const HOLIDAYS_DE_2026 = new Set(['2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25'].map(day));

/** Where a deadline ends by §193 BGB: the day itself, or the next day that is no weekend and no holiday. */
function legalEnd(deadline: number): number {
	let d = deadline;
	// Day 0 (1 January 1970) was a Thursday: day + 4 mod 7 is 0 on Sundays, 6 on Saturdays.
	while ((d + 4) % 7 === 0 || (d + 4) % 7 === 6 || HOLIDAYS_DE_2026.has(d)) d++;
	return d;
}

describe('days between reminders', () => {
	it('the day after a deadline’s legal end (§193 BGB)', () => {
		// Friday 27 March 2026 + 7 = Good Friday; Easter Monday 6 April: the deadline ends Tuesday 7 April, the day after is the 8th.
		expect(formatDay(dayAfterDeadline(day('2026-03-27'), 7, calendarFor('DE')))).toBe('2026-04-08');
		// Saturday 21 March + 7 = Saturday 28 March: ends Monday 30 March.
		expect(formatDay(dayAfterDeadline(day('2026-03-21'), 7, calendarFor('DE')))).toBe('2026-03-31');
		// A business day stays: Friday 27 March + 0.
		expect(formatDay(dayAfterDeadline(day('2026-03-27'), 0, calendarFor('DE')))).toBe('2026-03-28');
	});

	it('the next stage after a deadline waits Days for Payment to Arrive, in business days', () => {
		const de = calendarFor('DE');
		// Deadline Monday 23 March 2026 (day after: the 24th): Tuesday and Wednesday for the money, the next stage Thursday.
		expect(formatDay(dayAfterArrival(day('2026-03-24'), 2, de))).toBe('2026-03-26');
		expect(formatDay(dayAfterArrival(day('2026-03-24'), 0, de))).toBe('2026-03-24');
		// Deadline Friday 27 March: Monday and Tuesday, not the weekend; the next stage Wednesday 1 April.
		expect(formatDay(dayAfterArrival(day('2026-03-28'), 2, de))).toBe('2026-04-01');
		// Deadline Thursday 2 April (before Easter): Good Friday and Easter Monday are no bank days: 7 and 8 April, then the 9th.
		expect(formatDay(dayAfterArrival(day('2026-04-03'), 2, de))).toBe('2026-04-09');
	});

	it('German banks book nothing on 24 and 31 December, Austrian ones nothing on 24 December: no days for the money', () => {
		// Deadline Wednesday 23 December 2026 (day after: the 24th): 24th closed, 25th–27th holidays and Sunday: 28 and 29, then the 30th.
		for (const region of ['DE', 'DE-BY', 'AT']) expect(formatDay(dayAfterArrival(day('2026-12-24'), 2, calendarFor(region)))).toBe('2026-12-30');
		// Deadline Tuesday 29 December: Germany counts the 30th and, past Silvester, New Year and the weekend, Monday 4 January.
		expect(formatDay(dayAfterArrival(day('2026-12-30'), 2, calendarFor('DE')))).toBe('2027-01-05');
		expect(formatDay(dayAfterArrival(day('2026-12-30'), 2, calendarFor('DE-NW')))).toBe('2027-01-05');
		// Austria's banks are open on 31 December (not on the OeNB's list of bank holidays).
		expect(formatDay(dayAfterArrival(day('2026-12-30'), 2, calendarFor('AT')))).toBe('2027-01-01');
		// Elsewhere only the public-holiday calendar: France counts 24 December (25th a holiday, then the weekend, Monday 28).
		expect(formatDay(dayAfterArrival(day('2026-12-24'), 2, calendarFor('FR')))).toBe('2026-12-29');
		// 0 days: the day after the deadline, even when it is 24 December.
		expect(formatDay(dayAfterArrival(day('2026-12-24'), 0, calendarFor('DE')))).toBe('2026-12-24');
		// A deadline's legal end is untouched (§193 BGB: public holidays only): 17 December + 7 ends on Thursday 24 December,
		// 24 December + 7 on Thursday 31 December.
		expect(formatDay(dayAfterDeadline(day('2026-12-17'), 7, calendarFor('DE')))).toBe('2026-12-25');
		expect(formatDay(dayAfterDeadline(day('2026-12-24'), 7, calendarFor('DE')))).toBe('2027-01-01');
	});

	it('TARGET’s closing days are no days for the money in any region, public holiday or not', () => {
		// Deadline Thursday 2 April 2026: Good Friday is no public holiday in France or Austria, but TARGET is closed;
		// Easter Monday is a holiday: 7 and 8 April for the money, then the 9th (as in Germany).
		for (const region of ['FR', 'AT', 'NL', 'DE']) expect(formatDay(dayAfterArrival(day('2026-04-03'), 2, calendarFor(region)))).toBe('2026-04-09');
		// Deadline Thursday 30 April 2026: 1 May (a Friday) is no public holiday in the Netherlands: Monday 4 and Tuesday 5 May, then the 6th.
		expect(formatDay(dayAfterArrival(day('2026-05-01'), 2, calendarFor('NL')))).toBe('2026-05-06');
		// Deadline Friday 22 December 2028: 25 December a holiday, 26 December (a Tuesday) none in France: 27 and 28, then the 29th.
		expect(formatDay(dayAfterArrival(day('2028-12-23'), 2, calendarFor('FR')))).toBe('2028-12-29');
		// The deadline's legal end is untouched (§193 BGB: public holidays only): Good Friday 2026 + 0 ends that day in Austria.
		expect(formatDay(dayAfterDeadline(day('2026-04-03'), 0, calendarFor('AT')))).toBe('2026-04-04');
	});

	it('a gap is the longest of the stage’s days, the minimum interval and the deadline + 1 + Days for Payment to Arrive', () => {
		const policy = (p: DunningPolicyInput) => compilePolicy(p).policy;
		expect(reminderGap(7, policy({}))).toBe(10);
		expect(reminderGap(7, policy({ paymentArrivalDays: 0 }))).toBe(8);
		expect(reminderGap(10, policy({ paymentArrivalDays: 0 }))).toBe(10);
		expect(reminderGap(7, policy({ minDaysBetweenReminders: 12 }))).toBe(12);
		expect(reminderGap(0, policy({ paymentDeadlineDays: 0, paymentArrivalDays: 0 }))).toBe(1);
		// Shipped stages: level 1 due + 7, then + 10 and + 10; grace days count before level 1 only.
		expect(reminderOffsets(policy({}))).toEqual([0, 7, 17, 27]);
		expect(reminderOffsets(policy({ graceDays: 3, paymentDeadlineDays: 14, paymentArrivalDays: 0 }))).toEqual([0, 10, 25, 40]);
	});
});

describe('a reminder chain run every day, over policies', () => {
	// Every combination: each stage's days, the deadline, the minimum interval, business days off or on.
	const cases: Array<[number, number, number, boolean]> = [];
	for (const dap of [0, 3, 7, 10]) for (const pdd of [0, 5, 7, 14]) for (const minDays of [0, 9]) for (const shift of [false, true]) cases.push([dap, pdd, minDays, shift]);

	it.each(cases)('days %i, deadline %i, minimum %i, business days %s: never before a deadline’s legal end has passed, default never before the first one’s has', (dap, pdd, minDays, shift) => {
		const stages = [1, 2, 3].map((n) => ({ name: `S${n}`, daysAfterPrevious: dap, chargeInterest: n > 1 }));
		const compiled = compilePolicy({ stages, paymentDeadlineDays: pdd, minDaysBetweenReminders: minDays, businessDays: { enabled: shift, region: 'DE' } });
		// Due Thursday 26 March 2026, ahead of Easter: deadlines fall on holidays and weekends. Once
		// with the first reminder's day on file (default exactly from its deadline), once without
		// (the estimate from lastDunnedAt: never earlier). A deadline is taken as it ends by law, whatever was printed.
		expect(legalEnd(day('2026-04-03'))).toBe(day('2026-04-07'));
		for (const firstOnFile of [true, false]) {
			let inv: Invoice = invoice({ dueDate: '2026-03-26', openAmount: 1000, amount: 1000 });
			const sent: Array<{ day: number; deadline: number }> = []; // deadline: its legal end
			for (let today = day('2026-03-27'); today <= day('2026-06-30') && inv.currentLevel < 3; today++) {
				const d = createDecider(compiled, formatDay(today)).decide(inv);
				if (d.action !== 'send') continue;
				const previous = sent[sent.length - 1];
				// The next stage says the last reminder went unpaid: only once its deadline has passed.
				if (previous) expect(formatDay(today) > formatDay(previous.deadline)).toBe(true);
				const firstDeadline = sent[0]?.deadline;
				if (d.interestPeriods.length > 0) {
					expect(firstDeadline).toBeDefined();
					const from = d.interestPeriods[0].from;
					expect(from > formatDay(firstDeadline!)).toBe(true);
					if (firstOnFile) expect(from).toBe(formatDay(firstDeadline! + 1));
				} else if (previous && d.level > 1 && firstOnFile) {
					// Level 2 on is always past the first deadline: default has begun, interest is charged.
					throw new Error(`level ${d.level} on ${d.asOf} charges no interest`);
				}
				// Business days on: printed as it ends by law; off: printed unmoved, never later than the legal end.
				const deadline = legalEnd(day(d.deadline!));
				if (shift) expect(d.deadline).toBe(formatDay(deadline));
				sent.push({ day: today, deadline });
				expect(d.nextActionDate === null || d.nextActionDate > formatDay(deadline)).toBe(true);
				inv = { ...inv, currentLevel: d.level, lastDunnedAt: d.asOf, firstDunnedAt: firstOnFile ? formatDay(sent[0].day) : null };
			}
			expect(inv.currentLevel).toBe(3);
		}
	});
});
