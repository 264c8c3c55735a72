/**
 * When reminders may be sent: weekdays, a daily time range and public holidays, read in one IANA
 * timezone. Business mail is expected in business hours: a "1. Mahnung" at 3 a.m. on a Sunday
 * harms the customer relationship even when it is due.
 *
 * A day's window runs from the first instant whose wall clock reaches `from` to the first whose
 * wall clock reaches `until` (exclusive). On a day the clocks go forward, a time that does not
 * exist (02:30 in Europe/Berlin) is the moment the clocks jump (03:00); on a day they go back, a
 * time that happens twice counts at its first occurrence. Pure: every instant is passed in.
 */
import { DateTime, IANAZone } from 'luxon';

import { calendarFor, parseRegion, regionProblem } from '../dunning/calendar';
import { daysFromCivil, weekday } from '../dunning/day-number';

/** ISO weekday: 1 = Monday … 7 = Sunday (luxon's numbering). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface SendingWindow {
	/** The weekdays on which the window opens. */
	days: ReadonlySet<IsoWeekday>;
	/** Opening, in minutes after local midnight (0 to 1439). */
	fromMinute: number;
	/** Closing (exclusive), in minutes after local midnight; 1440 = midnight at the end of the day. */
	untilMinute: number;
	/** IANA timezone in which days and hours are read. */
	timezone: string;
	/** Holiday region (date-holidays naming, e.g. DE, DE-BY, AT, CH-ZH) whose public holidays are closed. */
	holidayRegion?: string;
}

/** The window as entered: texts from a node panel or a Settings node. Empty means the default. */
export interface SendingWindowInput {
	/** Weekday names (mon, Tuesday …) as a list or one text: "mon,tue", "Mon-Fri". Default: every day. */
	days?: unknown;
	/** "HH:MM". Default 00:00. */
	from?: unknown;
	/** "HH:MM", later than from; "24:00" for the end of the day (the default). */
	until?: unknown;
	/** Required: the caller knows its default (a node: the workflow's timezone). */
	timezone: unknown;
	/** Empty: no holidays closed. */
	holidayRegion?: unknown;
}

export type SendingWindowField = 'days' | 'from' | 'until' | 'timezone' | 'holidayRegion';

/** A window setting that cannot be used; `field` names it, so that a node can name its own parameter. */
export class SendingWindowError extends Error {
	constructor(
		readonly field: SendingWindowField,
		readonly problem: string,
	) {
		super(`sending window ${field}: ${problem}`);
		this.name = 'SendingWindowError';
	}
}

export const WEEKDAY_NAMES: Readonly<Record<IsoWeekday, string>> = { 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday', 7: 'Sunday' };
const ALL_DAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];
const DAY_MINUTES = 1440;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead nextOpening looks: a year and a bit covers any run of holidays and weekdays. */
const SEARCH_DAYS = 400;

function weekdayOf(name: string): IsoWeekday | undefined {
	// Two letters already name one day in English (mo, tu, we, th, fr, sa, su); one would not (t, s).
	const n = name.trim().toLowerCase();
	return n.length < 2 ? undefined : ALL_DAYS.find((d) => WEEKDAY_NAMES[d].toLowerCase().startsWith(n));
}

function parseDays(value: unknown): Set<IsoWeekday> {
	if (value === undefined || value === null) return new Set(ALL_DAYS);
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,;\s]+/) : undefined;
	if (!parts) throw new SendingWindowError('days', `${JSON.stringify(value)} is no list of weekdays (e.g. Mon-Fri or mon,tue,wed)`);
	const days = new Set<IsoWeekday>();
	for (const part of parts) {
		if (typeof part !== 'string') throw new SendingWindowError('days', `${JSON.stringify(part)} is no weekday (use mon, tue, … sun, or a range such as Mon-Fri)`);
		if (part.trim() === '') continue;
		const range = part.split('-');
		const ends = range.map(weekdayOf);
		if (range.length > 2 || ends.some((d) => d === undefined)) {
			throw new SendingWindowError('days', `"${part.trim()}" is no weekday (use mon, tue, … sun, or a range such as Mon-Fri)`);
		}
		const [first, last = first] = ends as IsoWeekday[];
		if (last < first) throw new SendingWindowError('days', `"${part.trim()}" runs backwards (a range goes from Monday towards Sunday, e.g. Mon-Fri)`);
		for (let d = first; d <= last; d++) days.add(d as IsoWeekday);
	}
	if (days.size === 0) throw new SendingWindowError('days', 'no day chosen: nothing would ever be sent (choose at least one day)');
	return days;
}

function parseTime(field: 'from' | 'until', value: unknown, empty: number): number {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return empty;
	const match = typeof value === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(value.trim()) : null;
	const hours = match ? Number(match[1]) : NaN;
	const minutes = match ? Number(match[2]) : NaN;
	const total = hours * 60 + minutes;
	const max = field === 'until' ? DAY_MINUTES : DAY_MINUTES - 1;
	if (!match || minutes > 59 || total > max) {
		throw new SendingWindowError(field, `${JSON.stringify(value)} is no time of day (use HH:MM, e.g. 08:00${field === 'until' ? ', or 24:00 for the end of the day' : ''})`);
	}
	return total;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Checks and normalises a window as entered; throws SendingWindowError naming the field. */
export function parseSendingWindow(input: SendingWindowInput): SendingWindow {
	const days = parseDays(input.days);
	const fromMinute = parseTime('from', input.from, 0);
	const untilMinute = parseTime('until', input.until, DAY_MINUTES);
	if (untilMinute <= fromMinute) {
		throw new SendingWindowError('until', `${hhmm(untilMinute)} is not later than the opening ${hhmm(fromMinute)} (a window over midnight is not supported; 24:00 is the end of the day)`);
	}
	const { timezone } = input;
	if (typeof timezone !== 'string' || !IANAZone.isValidZone(timezone.trim())) {
		throw new SendingWindowError('timezone', `${JSON.stringify(timezone)} is not a known IANA timezone (e.g. Europe/Berlin)`);
	}
	const regionInput = input.holidayRegion ?? '';
	if (typeof regionInput !== 'string') throw new SendingWindowError('holidayRegion', `${JSON.stringify(regionInput)} is no region (e.g. DE, DE-BY, AT, CH-ZH; empty for none)`);
	let holidayRegion: string | undefined;
	if (regionInput.trim() !== '') {
		const { country, state } = parseRegion(regionInput);
		holidayRegion = state ? `${country}-${state}` : country;
		const problem = regionProblem(holidayRegion);
		if (problem) throw new SendingWindowError('holidayRegion', problem);
	}
	return { days, fromMinute, untilMinute, timezone: timezone.trim(), ...(holidayRegion ? { holidayRegion } : {}) };
}

/** Every day, at any hour, no holidays: the window that changes nothing. */
export function isAlwaysOpen(window: SendingWindow): boolean {
	return window.days.size === 7 && window.fromMinute === 0 && window.untilMinute === DAY_MINUTES && !window.holidayRegion;
}

/** E.g. "Mon–Fri 08:00–18:00 Europe/Berlin, closed on public holidays of DE", for messages. */
export function describeSendingWindow(window: SendingWindow): string {
	const days = [...window.days].sort((a, b) => a - b);
	const contiguous = days.length > 2 && days[days.length - 1] - days[0] === days.length - 1;
	const short = (d: IsoWeekday) => WEEKDAY_NAMES[d].slice(0, 3);
	const dayText = days.length === 7 ? 'every day' : contiguous ? `${short(days[0])}–${short(days[days.length - 1])}` : days.map(short).join(', ');
	const holidays = window.holidayRegion ? `, closed on public holidays of ${window.holidayRegion}` : '';
	return `${dayText} ${hhmm(window.fromMinute)}–${hhmm(window.untilMinute)} ${window.timezone}${holidays}`;
}

interface LocalDate {
	year: number;
	month: number;
	day: number;
}

function localDateOf(window: SendingWindow, instant: number): LocalDate {
	const { year, month, day } = DateTime.fromMillis(instant, { zone: window.timezone });
	return { year, month, day };
}

/** The calendar date `n` days after `date` (plain date arithmetic, no timezone involved). */
function addDays(date: LocalDate, n: number): LocalDate {
	const d = new Date(Date.UTC(date.year, date.month - 1, date.day + n));
	return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isOpenDay(window: SendingWindow, date: LocalDate): boolean {
	const day = daysFromCivil(date.year, date.month, date.day);
	const sundayZero = weekday(day);
	if (!window.days.has((sundayZero === 0 ? 7 : sundayZero) as IsoWeekday)) return false;
	return !window.holidayRegion || !calendarFor(window.holidayRegion).isPublicHoliday(day);
}

/**
 * The first instant of `date` whose wall clock in `zone` reads `minute` or later (1440: the start of
 * the next day). Offsets come from the zone around that time; where the time falls into a gap (clocks
 * going forward), the answer is the moment of the jump.
 */
function firstInstantAt(zone: IANAZone, date: LocalDate, minute: number): number {
	const naive = Date.UTC(date.year, date.month - 1, date.day) + minute * MINUTE_MS;
	const before = naive - zone.offset(naive - DAY_MS) * MINUTE_MS;
	const after = naive - zone.offset(naive + DAY_MS) * MINUTE_MS;
	const valid = [before, after].filter((t) => t + zone.offset(t) * MINUTE_MS === naive);
	if (valid.length > 0) return Math.min(...valid);
	// In a gap: the jump lies between the two readings; find the first millisecond of the new offset.
	let lo = Math.min(before, after);
	let hi = Math.max(before, after);
	const offsetLo = zone.offset(lo);
	while (hi - lo > 1) {
		const mid = Math.floor((lo + hi) / 2);
		if (zone.offset(mid) === offsetLo) lo = mid;
		else hi = mid;
	}
	return hi;
}

/** The open interval of one local date, or undefined for a closed day. */
function openingsOf(window: SendingWindow, zone: IANAZone, date: LocalDate): { opens: number; closes: number } | undefined {
	if (!isOpenDay(window, date)) return undefined;
	const opens = firstInstantAt(zone, date, window.fromMinute);
	const closes = firstInstantAt(zone, date, window.untilMinute);
	// Hours the clocks skip that day (02:00-02:30 on a spring-forward Sunday) both map to the same
	// instant: such a day has no opening, and nextOpening looks on to the next day.
	return opens < closes ? { opens, closes } : undefined;
}

/** Whether a reminder may be sent at `instant` (epoch ms). */
export function isOpen(window: SendingWindow, instant: number): boolean {
	if (isAlwaysOpen(window)) return true;
	const open = openingsOf(window, IANAZone.create(window.timezone), localDateOf(window, instant));
	return open !== undefined && open.opens <= instant && instant < open.closes;
}

/**
 * The first instant at or after `instant` at which the window is open (`instant` itself when it is
 * open), or undefined when it does not open within the next 400 days.
 */
export function nextOpening(window: SendingWindow, instant: number): number | undefined {
	if (isAlwaysOpen(window)) return instant;
	const zone = IANAZone.create(window.timezone);
	const today = localDateOf(window, instant);
	for (let n = 0; n <= SEARCH_DAYS; n++) {
		const open = openingsOf(window, zone, addDays(today, n));
		if (open && instant < open.closes) return Math.max(open.opens, instant);
	}
	return undefined;
}

/**
 * When the window closes next, seen from an `instant` at which it is open: the end of that day's
 * hours, or later when the next day opens at 00:00 right after a window that ran to 24:00.
 * Infinity for a window that never closes.
 */
export function closesAfter(window: SendingWindow, instant: number): number {
	if (isAlwaysOpen(window)) return Infinity;
	const zone = IANAZone.create(window.timezone);
	let date = localDateOf(window, instant);
	let closes = firstInstantAt(zone, date, window.untilMinute);
	// Midnight joins two days only for a window from 00:00 to 24:00.
	for (let n = 0; n < SEARCH_DAYS && window.fromMinute === 0 && window.untilMinute === DAY_MINUTES; n++) {
		date = addDays(date, 1);
		if (!isOpenDay(window, date)) break;
		closes = firstInstantAt(zone, date, window.untilMinute);
	}
	return closes;
}
