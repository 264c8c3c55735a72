/**
 * Compute Dunning Level's `dunning.interestPeriods` as the e-mail texts and the letter print them:
 * one reader of their shape and one check against the interest they explain for both (so that the
 * e-mail never prints a breakdown the letter refuses), and the words for a period's days, so that
 * both say "1 Tag" and "18 Tage" alike.
 */
import { DateTime, type DateTimeOptions } from 'luxon';

import { startsWithWholeDate } from '../dunning/date-input';
import { daysFromCivil } from '../dunning/day-number';
import { showValue } from '../dunning/field-value';
import { toMinor } from '../dunning/money';
import type { InterestPeriod } from '../dunning/types';
import { isObject } from '../json/is-object';
import { isBlank, readPath, ReminderInputError } from '../mail/reminder-item';

export const INTEREST_PERIODS = 'dunning.interestPeriods';

/**
 * Whether `text` is a date that exists: a whole date first (2026-02-15 or 20260215, a time may
 * follow; Luxon alone also takes "2026" or "10:00"), then no 30 February. `options` as the date
 * will be read (they matter only at the edges of a JS Date's range).
 */
export function isCalendarDate(text: string, options?: DateTimeOptions): boolean {
	return startsWithWholeDate(text) && DateTime.fromISO(text, options).isValid;
}

/** A period's date: a calendar date as Compute writes it, read in the offset it is written with. */
function isPeriodDate(value: unknown): value is string {
	return typeof value === 'string' && isCalendarDate(value.trim(), { setZone: true });
}

/** The calendar day a period's date stands for, as it is printed (its date as written). */
function periodDay(text: string): number {
	const dt = DateTime.fromISO(text.trim(), { setZone: true });
	return daysFromCivil(dt.year, dt.month, dt.day);
}

/**
 * The interest periods of an invoice item ([] when it has none). One that is not two dates and
 * three numbers (days whole, not negative) fails with a ReminderInputError naming its index and
 * field, not a date helper's message naming neither. `where` names the invoice of a group.
 */
export function readInterestPeriods(member: unknown, where: string): InterestPeriod[] {
	const periods = isObject(member) ? readPath(member, INTEREST_PERIODS) : undefined;
	if (isBlank(periods)) return [];
	if (!Array.isArray(periods)) throw new ReminderInputError(INTEREST_PERIODS, `The field "${INTEREST_PERIODS}"${where} must be a list of interest periods, got ${showValue(periods)}`);
	return periods.map((period: unknown, k) => {
		const at = `${INTEREST_PERIODS}[${k}]`;
		if (!isObject(period)) throw new ReminderInputError(INTEREST_PERIODS, `The field "${at}"${where} must be an interest period { from, to, days, ratePct, amount }, got ${showValue(period)}`);
		for (const key of ['from', 'to'] as const) {
			if (!isPeriodDate(period[key])) throw new ReminderInputError(INTEREST_PERIODS, `The field "${at}.${key}"${where} must be a date like 2026-02-15, got ${showValue(period[key])}`);
		}
		for (const key of ['days', 'ratePct', 'amount'] as const) {
			const value = period[key];
			const whole = key !== 'days' || (Number.isInteger(value) && (value as number) >= 0);
			if (typeof value !== 'number' || !Number.isFinite(value) || !whole) {
				throw new ReminderInputError(INTEREST_PERIODS, `The field "${at}.${key}"${where} must be ${key === 'days' ? 'a whole number of days' : 'a number'}, got ${showValue(value)}`);
			}
		}
		const { from, to, days, ratePct, amount } = period as unknown as InterestPeriod;
		return { from, to, days, ratePct, amount };
	});
}

/** What the periods of one invoice must agree with: the interest printed for that invoice. */
export interface InterestCheck {
	/** The invoice's interest, rounded to the currency's minor unit as printed. */
	interest: number;
	/** The invoice's interest as given (Compute before per-currency rounding added periods to the cent). */
	given: unknown;
	/** The field the interest was read from, for the message. */
	field: string;
	/** Decimals of the currency's minor unit. */
	digits: number;
	/** Names the invoice of a group (" of invoice 2 in \"invoices\""), "" for one invoice. */
	where: string;
}

/**
 * The periods as read (readInterestPeriods), when they can be the statutory interest asked for;
 * the e-mail context and the letter both check with this, so that neither prints a breakdown that
 * contradicts the claim. Fails (a ReminderInputError naming `dunning.interestPeriods`) on an end
 * before its start, a day count that is not the days from `from` to `to` (both counted, as
 * lib/dunning/interest.ts counts them), or amounts that do not add up to the invoice's interest
 * (in the currency's minor unit, as the total is checked). A negative rate or amount in one period
 * is no error when the periods add up (periods made by hand; Compute lists none at 0 % or below).
 */
export function checkInterestPeriods(periods: InterestPeriod[], check: InterestCheck): InterestPeriod[] {
	const { where, digits } = check;
	periods.forEach(({ from, to, days }, k) => {
		const at = `${INTEREST_PERIODS}[${k}]`;
		const first = periodDay(from);
		const last = periodDay(to);
		if (last < first) throw new ReminderInputError(INTEREST_PERIODS, `The field "${at}.to"${where} (${to}) lies before its "from" (${from}): a period must end on or after the day it starts`);
		if (days !== last - first + 1) {
			throw new ReminderInputError(INTEREST_PERIODS, `The field "${at}.days"${where} is ${days}, but from ${from} to ${to} are ${last - first + 1} days (both counted)`);
		}
	});
	// The periods say how the interest is made up: they must add up to it, as the lines add up to the total.
	const units = periods.reduce((sum, p) => sum + toMinor(p.amount, digits), 0);
	const cents = periods.reduce((sum, p) => sum + toMinor(p.amount, 2), 0);
	const asGiven = typeof check.given === 'number' && Number.isFinite(check.given) && cents === toMinor(check.given, 2);
	if (periods.length > 0 && units !== toMinor(check.interest, digits) && !asGiven) {
		const total = (units / 10 ** digits).toFixed(digits);
		throw new ReminderInputError(
			INTEREST_PERIODS,
			`The field "${INTEREST_PERIODS}"${where} lists periods adding up to ${total}, but "${check.field}" is ${showValue(check.given ?? 0)}: the periods printed under the invoice must add up to the interest it asks for`,
		);
	}
	return periods;
}

/**
 * A period's days in words: "1 Tag", "18 Tage" in German, "1 day", "18 days" in any other language,
 * as the letter's labels (lib/letters/labels.ts) choose German or English.
 */
export function periodDaysText(days: number, language: string): string {
	if (language.split('-')[0] === 'de') return `${days} ${days === 1 ? 'Tag' : 'Tage'}`;
	return `${days} ${days === 1 ? 'day' : 'days'}`;
}
