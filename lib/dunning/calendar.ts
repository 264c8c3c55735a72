import Holidays from 'date-holidays';

import { civilFromDays, daysFromCivil, weekday } from './day-number';

const FLAG_DAYS = daysFromCivil(2200, 1, 1);

/**
 * Business days for one holiday region: not Saturday, not Sunday, not a public holiday —
 * the days §193 BGB counts. Holidays are looked up once per year and kept as a set of day
 * numbers, because date-holidays computes a whole year at a time (about 10 ms each).
 */
export class BusinessCalendar {
	private readonly holidays: Holidays;
	private readonly years = new Map<number, Set<number>>();
	/** Per day since 1970 (to 2199): 0 = not looked up yet, 1 = business day, 2 = not. */
	private readonly flags = new Uint8Array(FLAG_DAYS);

	/** The region's country code, upper case ("DE" for "de-by"): what a country-wide rule (e.g. bank days) looks up. */
	readonly country: string;

	constructor(readonly region: string) {
		const { country, state } = parseRegion(region);
		this.country = country;
		this.holidays = state ? new Holidays(country, state) : new Holidays(country);
	}

	private holidaysOf(year: number): Set<number> {
		let set = this.years.get(year);
		if (!set) {
			set = new Set<number>();
			for (const h of this.holidays.getHolidays(year)) {
				if (h.type !== 'public') continue;
				// date-holidays reports "YYYY-MM-DD hh:mm:ss" in the region's own time; the date part is the holiday.
				const y = Number(h.date.slice(0, 4));
				const m = Number(h.date.slice(5, 7));
				const d = Number(h.date.slice(8, 10));
				set.add(daysFromCivil(y, m, d));
			}
			this.years.set(year, set);
		}
		return set;
	}

	isPublicHoliday(day: number): boolean {
		return this.holidaysOf(civilFromDays(day).year).has(day);
	}

	isBusinessDay(day: number): boolean {
		// Every decision asks this a few times: answer from the flat table once a day is known.
		const cached = day >= 0 && day < FLAG_DAYS ? this.flags[day] : 0;
		if (cached !== 0) return cached === 1;
		const wd = weekday(day);
		const business = wd !== 0 && wd !== 6 && !this.isPublicHoliday(day);
		if (day >= 0 && day < FLAG_DAYS) this.flags[day] = business ? 1 : 2;
		return business;
	}

	/** The day itself when it is a business day, else the next one (§193 BGB). */
	shiftToBusinessDay(day: number): number {
		let d = day;
		// A run of non-business days is at most a few days long (e.g. Christmas + weekend).
		while (!this.isBusinessDay(d)) d++;
		return d;
	}
}

// Holidays depend only on (region, year), and a calendar fills its tables lazily: one shared
// calendar per region lets every run after the first skip date-holidays' rule parsing and its
// ~10 ms per year. Regions are checked before they get here, so the map stays small.
const calendars = new Map<string, BusinessCalendar>();

/** The shared calendar of a region (as normalised by the policy, e.g. "DE-BY"). */
export function calendarFor(region: string): BusinessCalendar {
	let calendar = calendars.get(region);
	if (!calendar) {
		calendar = new BusinessCalendar(region);
		calendars.set(region, calendar);
	}
	return calendar;
}

export interface Region {
	country: string;
	state?: string;
}

/** Splits "DE" or "DE-BY" (also "de_by"); validation happens in the policy. */
export function parseRegion(region: string): Region {
	const [country, state] = region.trim().toUpperCase().split(/[-_]/);
	return state ? { country, state } : { country };
}

/** Why a region is not known to the holiday library, or undefined when it is. */
export function regionProblem(region: string): string | undefined {
	// Every policy compile asks; only known regions are remembered, so odd input cannot grow the map.
	if (knownRegions.has(region)) return undefined;
	const problem = lookUpRegion(region);
	if (problem === undefined) knownRegions.add(region);
	return problem;
}

const knownRegions = new Set<string>();

function lookUpRegion(region: string): string | undefined {
	const { country, state } = parseRegion(region);
	const lookup = new Holidays();
	const countries = lookup.getCountries();
	if (!country || !(country in countries)) {
		return `holiday region "${region}": unknown country "${country ?? ''}" (use an ISO code such as DE or AT)`;
	}
	if (state) {
		const states = lookup.getStates(country) ?? {};
		if (!(state in states)) {
			const known = Object.keys(states);
			return `holiday region "${region}": unknown state "${state}" of ${country}${known.length ? ` (known: ${known.join(', ')})` : ''}`;
		}
	}
	return undefined;
}
