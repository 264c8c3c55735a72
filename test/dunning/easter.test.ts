import Holidays from 'date-holidays';
import { formatDay, plainDay } from '../../lib/dunning';
import { easterSunday } from '../../lib/dunning/easter';

describe('Easter Sunday (anonymous Gregorian algorithm)', () => {
	it('falls on the known dates', () => {
		const known = ['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2038-04-25', '2285-03-22', '1943-04-25', '2000-04-23', '2099-04-12'];
		for (const date of known) expect(formatDay(easterSunday(Number(date.slice(0, 4))))).toBe(date);
	});

	it('agrees with date-holidays’ own Easter rule from 1900 to 2199, always a Sunday from 22 March to 25 April', () => {
		const reference = new Holidays();
		reference.setHoliday('easter', 'Easter Sunday');
		for (let year = 1900; year < 2200; year++) {
			const ours = formatDay(easterSunday(year));
			expect(ours).toBe(reference.getHolidays(year)[0].date.slice(0, 10));
			expect(new Date(`${ours}T00:00:00Z`).getUTCDay()).toBe(0);
			expect(ours.slice(5) >= '03-22' && ours.slice(5) <= '04-25').toBe(true);
			expect(plainDay(ours)).toBe(easterSunday(year));
		}
	});
});
