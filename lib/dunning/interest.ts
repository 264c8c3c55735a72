import { GERMAN_BASE_RATES } from './base-rates';
import type { BusinessCalendar } from './calendar';
import { daysFromCivil, formatDay, civilFromDays, parsePlainDate } from './day-number';
import { fromMinor, toMinor } from './money';
import { dayAfterDeadline } from './reminder-gap';
import type { BaseRate, InterestFrom, InterestPeriod } from './types';

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

/**
 * A fixed yearly rate as a table of one rate for all time (consumerFixedRatePct, businessFixedRatePct):
 * one period, never past its end nor before its start, so no stale-table warning for a rate no table sets.
 */
export function fixedRateTable(ratePct: number): RateTable {
	return { starts: [-Infinity], rates: [ratePct], lastCoveredDay: Infinity };
}

/**
 * Whether `table` is the shipped German table (GERMAN_BASE_RATES, its very entries), not one of the
 * policy's own: a stale warning then points to a package update and the Bundesbank. Compared by
 * entries, so a policy that went through JSON (a stored, normalized one) is still recognised.
 */
export function isShippedBaseRateTable(table: readonly BaseRate[]): boolean {
	if (table === GERMAN_BASE_RATES) return true;
	return (
		Array.isArray(table) &&
		table.length === GERMAN_BASE_RATES.length &&
		table.every((entry, i) => entry?.from === GERMAN_BASE_RATES[i].from && entry?.ratePct === GERMAN_BASE_RATES[i].ratePct)
	);
}

export interface InterestResult {
	amount: number;
	periods: InterestPeriod[];
	/** Some of the days lie after the table's last half-year (the last rate was carried on). */
	pastTableEnd: boolean;
	/** Some of the days lie before the table's first entry (its first rate was used). */
	beforeTableStart: boolean;
	/**
	 * Days whose rate (base rate + margin) is 0 % or below: left out of `periods`, nothing charged
	 * for them (empty when there are none). One entry per stretch of adjacent such days, so that no
	 * entry spans charged days; `ratePct` is the stretch's lowest rate.
	 */
	uncharged: readonly UnchargedDays[];
}

export interface UnchargedDays {
	from: string;
	to: string;
	days: number;
	ratePct: number;
}

// Shared by every result without uncharged days; frozen so that no one appends to all of them.
const NO_UNCHARGED: readonly UnchargedDays[] = Object.freeze([]);

/** 36500 days-percent, in millionths of a percent (the rate's unit below). */
const PER_YEAR_PPM = 36_500_000_000;
const BIG_PER_YEAR_PPM = BigInt(PER_YEAR_PPM);

/**
 * Minor units (cents) × rate × days / 36500, rounded half away from zero, exactly: the product in floating point
 * lands on either side of a half cent (146,259.91 at 10.27 % for 107 days is 4,403.384999997).
 * Integers while they are exact, BigInt beyond (amounts of millions over years).
 */
function interestMinor(principalMinor: number, ratePpm: number, days: number): number {
	const sign = ratePpm < 0 ? -1 : 1;
	const numerator = principalMinor * Math.abs(ratePpm) * days;
	if (Number.isSafeInteger(numerator)) {
		let whole = Math.floor(numerator / PER_YEAR_PPM);
		let rest = numerator - whole * PER_YEAR_PPM;
		// The division is rounded, so the quotient may be one off.
		if (rest < 0) [whole, rest] = [whole - 1, rest + PER_YEAR_PPM];
		else if (rest >= PER_YEAR_PPM) [whole, rest] = [whole + 1, rest - PER_YEAR_PPM];
		return sign * (rest * 2 >= PER_YEAR_PPM ? whole + 1 : whole);
	}
	const big = BigInt(principalMinor) * BigInt(Math.abs(ratePpm)) * BigInt(days);
	return sign * Number((big * 2n + BIG_PER_YEAR_PPM) / (BIG_PER_YEAR_PPM * 2n));
}

/**
 * Statutory default interest on `principal` for the days `fromDay`..`toDay` (both counted),
 * at base rate + `marginPct`, split where the base rate changes, actual/365. Each period is
 * rounded to the currency's smallest unit (`digits` decimals: cents by default, whole yen, fils)
 * and the total is their sum, so a letter listing the periods adds up.
 * A period whose rate is 0 % or below (a negative base rate, as 2013–2022, with a small margin)
 * charges nothing and is left out: default interest is owed by the debtor, never by the creditor
 * (§288 BGB); `uncharged` says which days, so the decision can name them.
 */
export function statutoryInterest(
	principal: number,
	fromDay: number,
	toDay: number,
	marginPct: number,
	table: RateTable,
	dayText: (day: number) => string = formatDay,
	digits = 2,
): InterestResult {
	if (toDay < fromDay || principal <= 0) return { amount: 0, periods: [], pastTableEnd: false, beforeTableStart: false, uncharged: NO_UNCHARGED };
	const { starts, rates } = table;
	// Index of the entry in force on fromDay (the first one when fromDay is earlier than the table).
	let i = 0;
	while (i + 1 < starts.length && starts[i + 1] <= fromDay) i++;
	// Sized up front: decisions keep these arrays, and a pushed-to array reserves room for 16.
	let count = 1;
	while (i + count < starts.length && starts[i + count] <= toDay) count++;
	let periods: InterestPeriod[] = new Array(count);
	let charged = 0;
	let total = 0;
	const principalMinor = toMinor(principal, digits);
	let uncharged: UnchargedDays[] | null = null;
	// The stretch of uncharged days the previous period ended, which the next one extends.
	let stretch: UnchargedDays | null = null;
	let day = fromDay;
	for (let n = 0; n < count; n++, i++) {
		const end = n + 1 < count ? starts[i + 1] - 1 : toDay;
		const days = end - day + 1;
		const ratePpm = Math.round((rates[i] + marginPct) * 1e6);
		const ratePct = ratePpm / 1e6;
		if (ratePpm <= 0) {
			if (stretch === null) {
				stretch = { from: dayText(day), to: dayText(end), days, ratePct };
				(uncharged ??= []).push(stretch);
			} else {
				// The lowest rate is the one a warning names: it shows how far the margin falls short.
				Object.assign(stretch, { to: dayText(end), days: stretch.days + days, ratePct: Math.min(stretch.ratePct, ratePct) });
			}
		} else {
			stretch = null;
			const amount = interestMinor(principalMinor, ratePpm, days);
			total += amount;
			periods[charged++] = { from: dayText(day), to: dayText(end), days, ratePct, amount: fromMinor(amount, digits) };
		}
		day = end + 1;
	}
	if (charged < count) periods = periods.slice(0, charged);
	return {
		amount: fromMinor(total, digits),
		periods,
		pastTableEnd: toDay > table.lastCoveredDay,
		beforeTableStart: fromDay < starts[0],
		uncharged: uncharged ?? NO_UNCHARGED,
	};
}

/**
 * The first day of default (§286 BGB) for a reminder on `today`, or null when there is none yet.
 * `dueDay` is the due date as given; a due date on a Saturday, Sunday or public holiday of
 * `calendar` runs to the next business day (§193 BGB), whether or not the dates are printed moved,
 * and default waits for that legal end. `afterFirstDeadline` is the day after the first reminder's
 * payment deadline (null: no reminder, or not known): a reminder that sets a deadline puts the
 * debtor in default only once it has passed. `invoiceDay`: the invoice's date, if known.
 */
export function interestStartDay(
	from: InterestFrom,
	dueDay: number,
	today: number,
	business: boolean,
	afterFirstDeadline: number | null,
	calendar: BusinessCalendar,
	invoiceDay: number | null = null,
): number | null {
	const legalDue = calendar.shiftToBusinessDay(dueDay);
	let start: number | null = legalDue + 1;
	if (from === 'firstReminder') {
		// A reminder dated before the due date does not start default before due-date interest would.
		start = afterFirstDeadline === null ? null : Math.max(afterFirstDeadline, start);
		if (business) {
			// §286(3): a business debtor is in default without any reminder once 30 days have passed after
			// the due date and receipt of the invoice, the later of the two (its date stands in for the
			// receipt, which is not known), the 30th day moved off a weekend or holiday (§193 BGB).
			const afterThirtyDays = dayAfterDeadline(invoiceDay === null ? legalDue : Math.max(legalDue, invoiceDay), 30, calendar);
			start = start === null ? afterThirtyDays : Math.min(start, afterThirtyDays);
		}
	}
	// Each starts at the beginning of a fixed day: the run day counts once it is in default (from the
	// due date, a run the day after it charges that day too). A later start (a run on the Monday a
	// Saturday's payment is still good on, or within the 30 days): none yet.
	return start !== null && start <= today ? start : null;
}
