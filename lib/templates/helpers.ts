/**
 * Formatting helpers for reminder templates. They format for the reader's locale, because a German
 * customer expects "1.234,56 €" and "1. März 2026", an English one "€1,234.56" and "1 March 2026".
 */
import { DateTime } from 'luxon';

import { startsWithWholeDate } from '../dunning/date-input';
import { roundTo } from '../dunning/money';

/** Thrown by a helper whose argument is missing or unusable; the environment adds where it was. */
export class TemplateValueError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TemplateValueError';
	}
}

/** Parses a number given as number or as a plain decimal string ("12.5"); anything else is an error. */
export function toAmount(value: unknown, what: string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
	throw new TemplateValueError(`${what} needs a number, got ${describe(value)}`);
}

/**
 * Remembers formatted values: a run's reminders share most dates (the deadline above all) and many
 * amounts (fees), and each Intl format call costs microseconds, several per reminder.
 */
class FormattedCache {
	private readonly entries = new Map<string, string>();

	get(key: string, format: () => string): string {
		let text = this.entries.get(key);
		if (text === undefined) {
			if (this.entries.size >= 4096) this.entries.clear();
			text = format();
			this.entries.set(key, text);
		}
		return text;
	}
}

const formattedMoney = new FormattedCache();
const formattedDates = new FormattedCache();

export function formatMoney(value: unknown, currency: string, locale: string): string {
	const amount = toAmount(value, 'money');
	if (!/^[A-Z]{3}$/.test(currency)) {
		throw new TemplateValueError(`money needs a three-letter currency code (like EUR), got ${describe(currency)}`);
	}
	const key = `${locale}\u0000${currency}\u0000${amount}`;
	return formattedMoney.get(key, () => {
		const format = moneyFormat(locale, currency);
		// The currency's minor unit (cents, yen, fils) as the GiroCode and every sum round it
		// (commercially, money.ts): Intl alone would print 12.344999999999999 (an ERP's 12.345) as
		// 12,34 beside a code that says 12.35.
		const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
		const rounded = roundTo(amount, digits);
		// A credit that rounds away (-0.004) is -0, which Intl prints as "-0,00 €": no amount is negative zero.
		return format.format(rounded === 0 ? 0 : rounded);
	});
}

// Building an Intl.NumberFormat costs far more than using one; a run formats thousands of amounts
// in a handful of (locale, currency) pairs.
const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(locale: string, currency: string): Intl.NumberFormat {
	const key = `${locale}\u0000${currency}`;
	let format = moneyFormats.get(key);
	if (!format) {
		if (moneyFormats.size > 256) moneyFormats.clear();
		format = new Intl.NumberFormat(locale, { style: 'currency', currency });
		moneyFormats.set(key, format);
	}
	return format;
}

const percentFormats = new Map<string, Intl.NumberFormat>();

/**
 * A rate as a number for the reader's locale ("11,27" in German, "11.27" in English), up to three
 * decimals (base rate + 9 points can be 12.125): the {{percent}} helper and the letter's interest
 * line both format with it, so that the e-mail and the letter state the same rate. The "%" is the
 * text's own.
 */
export function formatPercent(value: unknown, locale: string): string {
	const rate = toAmount(value, 'percent');
	let format = percentFormats.get(locale);
	if (!format) {
		if (percentFormats.size > 256) percentFormats.clear();
		format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
		percentFormats.set(locale, format);
	}
	// -0 (a rate that rounds away) prints as "-0" in Intl.
	return format.format(rate === 0 ? 0 : rate);
}

export type DateStyle = 'short' | 'medium' | 'long';

const DATE_STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
	// Two-digit day and month: DIN 5008 writes a numeric date as 01.03.2026, not 1.3.2026.
	short: { year: 'numeric', month: '2-digit', day: '2-digit' },
	medium: DateTime.DATE_MED,
	long: DateTime.DATE_FULL,
};

/**
 * Dates arrive as ISO strings ("2026-03-01", or with a time) or Date objects. A calendar date is
 * formatted as that calendar day, never shifted by a time zone.
 */
// Creating a date formatter per call (as luxon's toLocaleString does) costs ~40 µs, several times
// per reminder; calendar dates in the named styles go through cached Intl formatters instead.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, style: DateStyle): Intl.DateTimeFormat {
	const key = `${locale}\u0000${style}`;
	let format = dateFormats.get(key);
	if (!format) {
		if (dateFormats.size > 256) dateFormats.clear();
		format = new Intl.DateTimeFormat(locale, { ...DATE_STYLES[style], timeZone: 'UTC' });
		dateFormats.set(key, format);
	}
	return format;
}

export function formatDate(value: unknown, locale: string, style: string = 'long'): string {
	if (typeof value === 'string') return formattedDates.get(`${locale}\u0000${style}\u0000${value}`, () => formatDateOnce(value, locale, style));
	return formatDateOnce(value, locale, style);
}

const isNamedStyle = (style: string): style is DateStyle => Object.prototype.hasOwnProperty.call(DATE_STYLES, style);

// Luxon's date tokens (no time tokens: a reminder's dates are days): the standalone month (LLLL,
// what Polish or Czech need alone) and weekday (cccc), localized dates (D … DDDD), ordinal day,
// week and quarter too.
const DATE_TOKENS = new Set([
	'd', 'dd', 'M', 'MM', 'MMM', 'MMMM', 'L', 'LL', 'LLL', 'LLLL', 'y', 'yy', 'yyyy', 'E', 'EEE', 'EEEE', 'c', 'ccc', 'cccc',
	'D', 'DD', 'DDD', 'DDDD', 'o', 'ooo', 'W', 'WW', 'kk', 'kkkk', 'q', 'qq',
]);
const DATE_TOKENS_NOTE = `short, medium or long, or a pattern of the date tokens ${[...DATE_TOKENS].join(', ')} with separators and 'quoted text', like "dd.MM.yyyy"`;

/**
 * Why `style` is no date style, or null. Luxon prints whatever it is given: "dd.mm.yyyy" would
 * show minutes as the month, "DD.MM.YYYY" a long date followed by "YYYY", in a dunning letter.
 */
function dateStyleProblem(style: string): string | null {
	if (isNamedStyle(style)) return null;
	let i = 0;
	let tokens = 0;
	while (i < style.length) {
		const c = style[i];
		if (c === "'") {
			// Luxon's literal text: '…'.
			const end = style.indexOf("'", i + 1);
			if (end < 0) return `${JSON.stringify(style)} opens quoted text that is not closed`;
			i = end + 1;
		} else if (/[A-Za-z]/.test(c)) {
			let j = i;
			while (style[j] === c) j++;
			const token = style.slice(i, j);
			if (!DATE_TOKENS.has(token)) return `${JSON.stringify(style)} contains "${token}", which is not a date token`;
			tokens++;
			i = j;
		} else {
			i++;
		}
	}
	return tokens === 0 ? `${JSON.stringify(style)} has no date token` : null;
}

function formatDateOnce(value: unknown, locale: string, style: string): string {
	const problem = dateStyleProblem(style);
	if (problem !== null) throw new TemplateValueError(`date needs a known style (${DATE_TOKENS_NOTE}); ${problem}`);
	if (typeof value === 'string' && isNamedStyle(style)) {
		const day = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(value);
		if (day) {
			// Before calendarDay, which refuses such a year too: its message would call "0202-01-15" malformed.
			if (Number(day[1]) < 1000) throw yearBefore1000(value);
			const utc = calendarDay(Number(day[1]), Number(day[2]), Number(day[3]));
			if (utc === null) throw new TemplateValueError(`date needs an ISO date like 2026-03-01, got ${describe(value)}`);
			return dateFormat(locale, style).format(utc);
		}
	}
	let date: DateTime;
	if (value instanceof Date) date = DateTime.fromJSDate(value, { zone: 'utc' });
	else if (typeof value === 'string' && startsWithWholeDate(value.trim())) date = DateTime.fromISO(value.trim(), { setZone: true });
	else throw new TemplateValueError(`date needs an ISO date like 2026-03-01, got ${describe(value)}`);
	if (!date.isValid) {
		throw new TemplateValueError(`date needs an ISO date like 2026-03-01, got ${describe(value)}`);
	}
	if (date.year < 1000) throw yearBefore1000(value);
	date = date.setLocale(locale);
	if (isNamedStyle(style)) return date.toLocaleString(DATE_STYLES[style]);
	// Anything else is a pattern of date tokens (checked above), e.g. "dd.MM.yyyy".
	return date.toFormat(style);
}

/** A well-formed date with a year before 1000: a typo in a reminder (see calendarDay). */
function yearBefore1000(value: unknown): TemplateValueError {
	return new TemplateValueError(`date needs an ISO date like 2026-03-01, got ${describe(value)} (a year before 1000)`);
}

/**
 * UTC midnight of that calendar day, or null when there is no such day or the year is before 1000
 * (a typo in a reminder: Intl would print the year 26 as "26", read as 2026): Date.UTC rolls month
 * 13 into January of the next year, month 00 into December and 30 February into March, and reads
 * the years 0–99 as 1900–1999, so each part is set with setUTCFullYear and compared afterwards.
 */
function calendarDay(year: number, month: number, day: number): Date | null {
	if (year < 1000) return null;
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

function describe(value: unknown): string {
	if (value === undefined) return 'nothing (the field is missing)';
	if (value === null) return 'null';
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	if (typeof value === 'object') return 'an object';
	return String(value);
}
