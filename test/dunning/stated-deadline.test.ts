/**
 * The printed payment deadline never falls on a weekend or public holiday (Shift to Business Days
 * on or off), every decision carries what restates it later (its payment period and holiday
 * region), and statedDeadline restates it for the day a reminder really goes out.
 */
import { calendarFor, plainDay } from '../../lib/dunning';
// Deadline rules from the day after a deadline: Days for Payment to Arrive 0 (at-deadline.ts).
import { decide } from './at-deadline';
import { statedDeadline } from '../../lib/dunning/deadline-check';
import { formatDay } from '../../lib/dunning/day-number';
import { readDeadlineRestatement, restatedDeadline, ReminderInputError } from '../../lib/mail/reminder-item';
import { invoice } from './helpers';

const businessDayIn = (region: string, day: string) => calendarFor(region).isBusinessDay(plainDay(day)!);

describe('the decided deadline, Shift to Business Days off (the shipped policy)', () => {
	it('a deadline on a Saturday is printed on the Monday after it; the next stage waits until that has passed', () => {
		// Wednesday 7 January 2026 + 10 days = Saturday 17 January.
		const d = decide(invoice({ dueDate: '2025-12-20' }), { paymentDeadlineDays: 10 }, '2026-01-07');
		expect(d).toMatchObject({ action: 'send', level: 1, deadline: '2026-01-19', paymentPeriodDays: 10, holidayRegion: 'DE' });
		expect(d.nextActionDate! > d.deadline!).toBe(true);
	});

	it('a deadline on Good Friday is printed on the Tuesday after Easter Monday, the next stage from the day after', () => {
		// Friday 27 March 2026 + 7 days = Good Friday 3 April; Easter Monday is 6 April.
		const d = decide(invoice({ dueDate: '2026-03-01' }), {}, '2026-03-27');
		expect(d).toMatchObject({ action: 'send', deadline: '2026-04-07', paymentPeriodDays: 7, holidayRegion: 'DE' });
		const next = decide(invoice({ dueDate: '2026-03-01', currentLevel: 1, lastDunnedAt: '2026-03-27' }), {}, '2026-04-07');
		expect(next).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-04-08' });
	});

	it('the holiday region counts with the shift off: Epiphany is a holiday in Bavaria, not in Berlin', () => {
		// Tuesday 30 December 2025 + 7 days = Tuesday 6 January 2026.
		const bavaria = decide(invoice({ dueDate: '2025-12-01' }), { businessDays: { enabled: false, region: 'DE-BY' } }, '2025-12-30');
		expect(bavaria).toMatchObject({ deadline: '2026-01-07', holidayRegion: 'DE-BY' });
		expect(decide(invoice({ dueDate: '2025-12-01' }), { businessDays: { enabled: false, region: 'DE-BE' } }, '2025-12-30')).toMatchObject({ deadline: '2026-01-06', holidayRegion: 'DE-BE' });
	});

	it('an unknown region with the shift off is read as DE, and the decision says so', () => {
		expect(decide(invoice({ dueDate: '2026-03-01' }), { businessDays: { enabled: false, region: 'XX' } }, '2026-03-27')).toMatchObject({ deadline: '2026-04-07', holidayRegion: 'DE' });
	});

	it('with the shift on, as before, and the decision carries the region', () => {
		expect(decide(invoice({ dueDate: '2025-12-01' }), { businessDays: { enabled: true, region: 'DE-BY' } }, '2025-12-30')).toMatchObject({ deadline: '2026-01-07', paymentPeriodDays: 7, holidayRegion: 'DE-BY' });
	});

	it('every run day of 2026, periods 7, 10 and 14: a business day, at most a few days after run day + period, before the next stage', () => {
		for (const days of [7, 10, 14]) {
			for (let n = plainDay('2026-01-02')!; n <= plainDay('2026-12-31')!; n++) {
				const runDay = formatDay(n);
				if (!businessDayIn('DE', runDay)) continue;
				const d = decide(invoice({ dueDate: '2025-12-01', invoiceDate: '2025-11-20' }), { paymentDeadlineDays: days, salesWindowDays: 0 }, runDay);
				const printed = plainDay(d.deadline!)!;
				expect({ runDay, days, business: businessDayIn('DE', d.deadline!) }).toEqual({ runDay, days, business: true });
				expect(printed - (n + days)).toBeGreaterThanOrEqual(0);
				expect(printed - (n + days)).toBeLessThanOrEqual(4);
				expect(d.nextActionDate! > d.deadline!).toBe(true);
			}
		}
	});

	it('a decision that sends nothing carries the fields too (the same shape for every item)', () => {
		expect(decide(invoice({ dueDate: '2026-10-15' }), { paymentDeadlineDays: 14 }, '2026-10-01')).toMatchObject({ action: 'none', reason: 'notDue', deadline: null, paymentPeriodDays: 14, holidayRegion: 'DE' });
	});
});

describe('statedDeadline', () => {
	// Decided Monday 2 March 2099 with 7 days: Monday 9 March.
	const decided = '2099-03-09';

	it('sent on the decision day, or before it: the decided deadline', () => {
		expect(statedDeadline(decided, 7, 'DE', '2099-03-02')).toBe('2099-03-09');
		expect(statedDeadline(decided, 7, 'DE', '2099-02-27')).toBe('2099-03-09');
	});

	it('sent later: the whole period from the send day', () => {
		expect(statedDeadline(decided, 7, 'DE', '2099-03-04')).toBe('2099-03-11');
		expect(statedDeadline(decided, 7, 'DE', '2099-03-09')).toBe('2099-03-16');
	});

	it('moved off a weekend, and off a public holiday of the region', () => {
		// Saturday 7 March + 7 = Saturday 14 March: Monday 16 March.
		expect(statedDeadline(decided, 7, 'DE', '2099-03-07')).toBe('2099-03-16');
		// Friday 3 April + 7 = Good Friday 10 April 2099; Easter Monday 13 April: Tuesday 14 April.
		expect(businessDayIn('DE', '2099-04-10')).toBe(false);
		expect(statedDeadline(decided, 7, 'DE', '2099-04-03')).toBe('2099-04-14');
		// A decided deadline given on a Sunday (by hand) is moved too.
		expect(statedDeadline('2099-03-08', 7, 'DE', '2099-03-01')).toBe('2099-03-09');
	});

	it('the region decides what a holiday is: 6 January 2099 (a Tuesday) is one in Bavaria only', () => {
		expect(statedDeadline('2098-12-29', 8, 'DE', '2098-12-29')).toBe('2099-01-06');
		expect(statedDeadline('2098-12-29', 8, 'DE-BY', '2098-12-29')).toBe('2099-01-07');
	});

	it('a period of 0: the send day itself, off a weekend', () => {
		expect(statedDeadline('2099-03-02', 0, 'DE', '2099-03-07')).toBe('2099-03-09');
	});

	it('refuses what is no day, period or region', () => {
		expect(() => statedDeadline('next week', 7, 'DE', '2099-03-02')).toThrow(RangeError);
		expect(() => statedDeadline(decided, 7, 'DE', '02.03.2099x')).toThrow(RangeError);
		expect(() => statedDeadline(decided, 1.5, 'DE', '2099-03-02')).toThrow(RangeError);
		expect(() => statedDeadline(decided, 7, 'XX', '2099-03-02')).toThrow(/unknown country "XX"/);
	});
});

describe('the item’s restatement fields (Send Reminder Email, Create Reminder Letter)', () => {
	const item = (dunning: Record<string, unknown>) => ({ invoiceId: 'inv-1', dunning: { deadline: '2099-03-09', ...dunning } });

	it('without them (an older Compute, an item built by hand): the deadline as given, whatever the day', () => {
		expect(readDeadlineRestatement(item({}))).toBeNull();
		expect(restatedDeadline(item({}), '2099-03-08', '2099-03-20')).toBe('2099-03-08');
	});

	it('with them: restated for the day; a period given as text (a table cell) counts too', () => {
		expect(restatedDeadline(item({ paymentPeriodDays: 7, holidayRegion: 'DE' }), '2099-03-09', '2099-03-04')).toBe('2099-03-11');
		expect(readDeadlineRestatement(item({ paymentPeriodDays: '14', holidayRegion: ' DE-BY ' }))).toEqual({ periodDays: 14, region: 'DE-BY' });
	});

	it('one without the other, or a value that is none, fails naming the field', () => {
		expect(() => readDeadlineRestatement(item({ paymentPeriodDays: 7 }))).toThrow(expect.objectContaining({ field: 'dunning.holidayRegion' }));
		expect(() => readDeadlineRestatement(item({ holidayRegion: 'DE' }))).toThrow(expect.objectContaining({ field: 'dunning.paymentPeriodDays' }));
		expect(() => readDeadlineRestatement(item({ paymentPeriodDays: -1, holidayRegion: 'DE' }))).toThrow(ReminderInputError);
		expect(() => readDeadlineRestatement(item({ paymentPeriodDays: 7, holidayRegion: 'Bayern' }))).toThrow(/"dunning.holidayRegion" must be a holiday region such as DE or DE-BY/);
	});

	it('a collective reminder (Group by Customer) reads them from its invoices when its own dunning has none', () => {
		const member = (n: number, period: number) => ({ invoiceId: `inv-${n}`, dunning: { deadline: '2099-03-09', paymentPeriodDays: period, holidayRegion: 'DE' } });
		const group = { customerId: 'K-1', invoices: [member(1, 7), member(2, 7)], dunning: { deadline: '2099-03-09' } };
		expect(readDeadlineRestatement(group)).toEqual({ periodDays: 7, region: 'DE' });
		expect(() => readDeadlineRestatement({ ...group, invoices: [member(1, 7), member(2, 10)] })).toThrow(/of invoice 2 in "invoices"/);
	});
});
