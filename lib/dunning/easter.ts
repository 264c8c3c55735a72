import { daysFromCivil } from './day-number';

/**
 * Easter Sunday (Western, Gregorian calendar) of `year` as a day number: the anonymous Gregorian
 * algorithm (Meeus/Jones/Butcher), valid for every year from 1583. Good Friday is 2 days before,
 * Easter Monday the day after. date-holidays has no public call for Easter of a year without a
 * country's holiday list, hence these few lines.
 */
export function easterSunday(year: number): number {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const monthDay = h + l - 7 * m + 114;
	return daysFromCivil(year, Math.floor(monthDay / 31), (monthDay % 31) + 1);
}
