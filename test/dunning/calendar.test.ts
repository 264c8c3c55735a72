import { BusinessCalendar, calendarFor, compilePolicy, daysFromCivil, formatDay, regionProblem } from '../../lib/dunning';

const day = (s: string) => daysFromCivil(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));

describe('business-day calendar (§193 BGB)', () => {
	const de = new BusinessCalendar('DE');
	const by = new BusinessCalendar('DE-BY');

	it('moves Saturday and Sunday to Monday', () => {
		expect(formatDay(de.shiftToBusinessDay(day('2026-11-14')))).toBe('2026-11-16');
		expect(formatDay(de.shiftToBusinessDay(day('2026-11-15')))).toBe('2026-11-16');
		expect(formatDay(de.shiftToBusinessDay(day('2026-11-16')))).toBe('2026-11-16');
	});

	it('skips a run of holidays and a weekend (Christmas 2026)', () => {
		// Fri 25th and Sat 26th are holidays, Sun 27th a Sunday.
		expect(formatDay(de.shiftToBusinessDay(day('2026-12-25')))).toBe('2026-12-28');
	});

	it('knows regional holidays: Corpus Christi is one in Bavaria, not nation-wide', () => {
		expect(by.isPublicHoliday(day('2024-05-30'))).toBe(true);
		expect(de.isPublicHoliday(day('2024-05-30'))).toBe(false);
		expect(formatDay(by.shiftToBusinessDay(day('2024-05-30')))).toBe('2024-05-31');
	});

	it('keeps the country of its region, parsed once (bank days look it up)', () => {
		expect(by.country).toBe('DE');
		expect(de.country).toBe('DE');
		expect(new BusinessCalendar('at').country).toBe('AT');
		expect(new BusinessCalendar('de_by').country).toBe('DE');
	});

	it('names unknown regions', () => {
		expect(regionProblem('DE-BY')).toBeUndefined();
		expect(regionProblem('XX')).toMatch(/unknown country "XX"/);
		expect(regionProblem('DE-ZZ')).toMatch(/unknown state "ZZ" of DE \(known: .*BY/);
	});

	it('shares one calendar per region between compiled policies, so a run does not recompute holidays', () => {
		const a = compilePolicy({ businessDays: { enabled: true, region: 'de-by' } });
		const b = compilePolicy({ businessDays: { enabled: true, region: 'DE-BY' } });
		expect(a.calendar).toBe(b.calendar);
		expect(a.calendar).toBe(calendarFor('DE-BY'));
		expect(compilePolicy({ businessDays: { enabled: true, region: 'DE' } }).calendar).not.toBe(a.calendar);
		// Shared, but still the region's own holidays: 6 January is a holiday in Bavaria only.
		expect(formatDay(calendarFor('DE-BY').shiftToBusinessDay(day('2027-01-06')))).toBe('2027-01-07');
		expect(formatDay(calendarFor('DE').shiftToBusinessDay(day('2027-01-06')))).toBe('2027-01-06');
	});
});
