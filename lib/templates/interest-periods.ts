/**
 * Compute Dunning Level's `dunning.interestPeriods` as the e-mail texts and the letter print them:
 * one reader of their shape for both (the letter adds its checks against the interest it asks for),
 * and the words for a period's days, so that both say "1 Tag" and "18 Tage" alike.
 */
import { DateTime } from 'luxon';

import { startsWithWholeDate } from '../dunning/date-input';
import { showValue } from '../dunning/field-value';
import type { InterestPeriod } from '../dunning/types';
import { isBlank, readPath, ReminderInputError } from '../mail/reminder-item';

/**
 * One period of statutory interest (a new period starts where the base rate changed, on 1 January
 * and 1 July): the shipped texts print each under the interest, as the letter does, so that the
 * customer can follow the claim.
 */
export type { InterestPeriod };

export const INTEREST_PERIODS = 'dunning.interestPeriods';

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A whole calendar date as Compute writes it (2026-02-15, a time may follow; Luxon alone also takes "2026"), no 30 February. */
function isPeriodDate(value: unknown): value is string {
	return typeof value === 'string' && startsWithWholeDate(value.trim()) && DateTime.fromISO(value.trim(), { setZone: true }).isValid;
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

/**
 * A period's days in words: "1 Tag", "18 Tage" in German, "1 day", "18 days" in any other language,
 * as the letter's labels (lib/letters/labels.ts) choose German or English.
 */
export function periodDaysText(days: number, language: string): string {
	if (language.split('-')[0] === 'de') return `${days} ${days === 1 ? 'Tag' : 'Tage'}`;
	return `${days} ${days === 1 ? 'day' : 'days'}`;
}
