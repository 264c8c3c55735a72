/**
 * Calendar days as integers (days since 1970-01-01, proleptic Gregorian).
 *
 * Dunning rules count whole calendar days in the policy's timezone. Once a date is a day
 * number, differences are exact (no DST hour ever leaks in) and a decision costs a few integer
 * operations instead of a luxon parse, which keeps the core fast on large runs.
 */

/** Days since 1970-01-01 for a civil date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const mp = (month + 9) % 12;
	const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

export interface CivilDate {
	year: number;
	month: number;
	day: number;
}

/** Inverse of daysFromCivil. */
export function civilFromDays(dayNumber: number): CivilDate {
	const z = dayNumber + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
	return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
}

function digit(s: string, i: number): number {
	const c = s.charCodeAt(i) - 48;
	return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(s: string, i: number): number {
	const a = digit(s, i);
	const b = digit(s, i + 1);
	return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function fourDigits(s: string, i: number): number {
	const hi = twoDigits(s, i);
	const lo = twoDigits(s, i + 2);
	return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

// Day numbers of the first of each month, 1900–2199: a due date becomes one table read instead
// of daysFromCivil's divisions, which matters at several dates per invoice on large runs.
const TABLE_FIRST_YEAR = 1900;
const TABLE_LAST_YEAR = 2199;
const MONTH_STARTS = new Int32Array((TABLE_LAST_YEAR - TABLE_FIRST_YEAR + 1) * 12);
for (let y = TABLE_FIRST_YEAR; y <= TABLE_LAST_YEAR; y++) {
	for (let m = 1; m <= 12; m++) MONTH_STARTS[(y - TABLE_FIRST_YEAR) * 12 + m - 1] = daysFromCivil(y, m, 1);
}

// What readPlain answers besides a day number (both far below any day of the years 0–9999).
const NOT_PLAIN = -100_000_000;
const NOT_A_CALENDAR_DATE = -200_000_000;

/** The day number of `YYYY-MM-DD` or `DD.MM.YYYY`, NOT_PLAIN for other shapes, NOT_A_CALENDAR_DATE for e.g. 2023-02-29. */
function readPlain(s: string): number {
	if (s.length !== 10) return NOT_PLAIN;
	let year: number;
	let month: number;
	let day: number;
	if (s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
		year = fourDigits(s, 0);
		month = twoDigits(s, 5);
		day = twoDigits(s, 8);
	} else if (s.charCodeAt(2) === 46 && s.charCodeAt(5) === 46) {
		day = twoDigits(s, 0);
		month = twoDigits(s, 3);
		year = fourDigits(s, 6);
	} else {
		return NOT_PLAIN;
	}
	if (year < 0 || month < 0 || day < 0) return NOT_PLAIN;
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NOT_A_CALENDAR_DATE;
	if (year < TABLE_FIRST_YEAR || year > TABLE_LAST_YEAR) return daysFromCivil(year, month, day);
	return MONTH_STARTS[(year - TABLE_FIRST_YEAR) * 12 + month - 1] + day - 1;
}

/** Result of reading a plain calendar date: a day number, or why it is not one. */
export type PlainDateResult = { ok: true; day: number } | { ok: false; problem: string };

/**
 * Reads `YYYY-MM-DD` (ISO) or `DD.MM.YYYY` (German ERP exports). Returns undefined when the
 * text has neither shape, so the caller can try a full timestamp parse.
 */
export function parsePlainDate(s: string): PlainDateResult | undefined {
	const day = readPlain(s);
	if (day === NOT_PLAIN) return undefined;
	if (day === NOT_A_CALENDAR_DATE) return { ok: false, problem: `"${s}" is not a calendar date` };
	return { ok: true, day };
}

/**
 * The day number of a plain date (as parsePlainDate reads it), or undefined for anything else,
 * including shapes that are no calendar date. Allocates nothing: it runs several times per invoice.
 */
export function plainDay(s: string): number | undefined {
	const day = readPlain(s);
	return day === NOT_PLAIN || day === NOT_A_CALENDAR_DATE ? undefined : day;
}

function pad2(n: number): string {
	return n < 10 ? '0' + n : String(n);
}

/** `YYYY-MM-DD` for a day number. */
export function formatDay(dayNumber: number): string {
	const { year, month, day } = civilFromDays(dayNumber);
	const y = year >= 1000 ? String(year) : String(year).padStart(4, '0');
	return y + '-' + pad2(month) + '-' + pad2(day);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(dayNumber: number): number {
	return (((dayNumber + 4) % 7) + 7) % 7;
}
