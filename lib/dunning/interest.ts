import { daysFromCivil, formatDay, civilFromDays, parsePlainDate } from './day-number';
import { fromCents, toCents } from './money';
import type { BaseRate, InterestPeriod } from './types';

/** A base-rate table in day numbers, checked and ready for repeated use. */
export interface RateTable {
	starts: number[];
	rates: number[];
	/** Last day the table speaks for: the end of the half-year of its last entry. */
	lastCoveredDay: number;
}

/** Checks and prepares a table; throws an Error naming the bad entry. */
export function compileRateTable(table: readonly BaseRate[]): RateTable {
	if (!Array.isArray(table) || table.length === 0) throw new Error('statutoryInterest.baseRates must list at least one { from, ratePct } entry');
	const starts: number[] = [];
	const rates: number[] = [];
	table.forEach((entry, i) => {
		const parsed = typeof entry?.from === 'string' ? parsePlainDate(entry.from) : undefined;
		if (!parsed || !parsed.ok) throw new Error(`statutoryInterest.baseRates[${i}].from must be a date YYYY-MM-DD (got ${JSON.stringify(entry?.from)})`);
		if (typeof entry.ratePct !== 'number' || !Number.isFinite(entry.ratePct)) {
			throw new Error(`statutoryInterest.baseRates[${i}].ratePct must be a number (got ${JSON.stringify(entry.ratePct)})`);
		}
		if (starts.length && parsed.day <= starts[starts.length - 1]) {
			throw new Error(`statutoryInterest.baseRates[${i}] (${entry.from}) is out of order: entries must be in ascending date order`);
		}
		starts.push(parsed.day);
		rates.push(entry.ratePct);
	});
	const last = civilFromDays(starts[starts.length - 1]);
	const nextHalfYear = last.month <= 6 ? daysFromCivil(last.year, 7, 1) : daysFromCivil(last.year + 1, 1, 1);
	return { starts, rates, lastCoveredDay: nextHalfYear - 1 };
}

export interface InterestResult {
	amount: number;
	periods: InterestPeriod[];
	/** Some of the days lie after the table's last half-year (the last rate was carried on). */
	pastTableEnd: boolean;
	/** Some of the days lie before the table's first entry (its first rate was used). */
	beforeTableStart: boolean;
}

/**
 * Statutory default interest on `principal` for the days `fromDay`..`toDay` (both counted),
 * at base rate + `marginPct`, split where the base rate changes, actual/365. Each period is
 * rounded to cents and the total is their sum, so a letter listing the periods adds up.
 */
export function statutoryInterest(
	principal: number,
	fromDay: number,
	toDay: number,
	marginPct: number,
	table: RateTable,
	dayText: (day: number) => string = formatDay,
): InterestResult {
	if (toDay < fromDay || principal <= 0) return { amount: 0, periods: [], pastTableEnd: false, beforeTableStart: false };
	const { starts, rates } = table;
	// Index of the entry in force on fromDay (the first one when fromDay is earlier than the table).
	let i = 0;
	while (i + 1 < starts.length && starts[i + 1] <= fromDay) i++;
	// Sized up front: decisions keep these arrays, and a pushed-to array reserves room for 16.
	let count = 1;
	while (i + count < starts.length && starts[i + count] <= toDay) count++;
	const periods: InterestPeriod[] = new Array(count);
	let totalCents = 0;
	let day = fromDay;
	for (let n = 0; n < count; n++, i++) {
		const end = n + 1 < count ? starts[i + 1] - 1 : toDay;
		const days = end - day + 1;
		const ratePct = Math.round((rates[i] + marginPct) * 1e6) / 1e6;
		const cents = toCents((principal * ratePct * days) / 36500);
		totalCents += cents;
		periods[n] = { from: dayText(day), to: dayText(end), days, ratePct, amount: fromCents(cents) };
		day = end + 1;
	}
	return {
		amount: fromCents(totalCents),
		periods,
		pastTableEnd: toDay > table.lastCoveredDay,
		beforeTableStart: fromDay < starts[0],
	};
}
