import { DateTime } from 'luxon';

import { daysFromCivil, parsePlainDate, type PlainDateResult } from './day-number';

/** Anything a caller may hand us as a date: ISO text, `DD.MM.YYYY`, a JS Date or a luxon DateTime. */
export type DateInput = string | Date | DateTime;

function fromDateTime(dt: DateTime, zone: string): PlainDateResult {
	if (!dt.isValid) return { ok: false, problem: `is not a valid date (${dt.invalidExplanation ?? dt.invalidReason ?? 'unparseable'})` };
	const z = dt.setZone(zone);
	return { ok: true, day: daysFromCivil(z.year, z.month, z.day) };
}

/**
 * ISO text that starts with a whole date (extended, with ISO's six-digit years too, or basic as
 * SAP writes it: 20260310). Luxon's ISO reader also takes a time alone ("10:00", today's date), a
 * year ("2026", 1 January), a month, a week or an ordinal day: none of them is a due date.
 */
export const startsWithWholeDate = (text: string): boolean => /^(?:[+-]\d{6}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2}|\d{8})(?:T|$)/.test(text);

/**
 * The calendar day a value stands for in `zone`. Plain dates are taken as they are (a due date
 * is a day, not an instant); timestamps with an offset are moved into `zone` first, so that
 * "2026-03-28T23:30:00Z" counts as 29 March in Berlin. Timestamps without an offset are read
 * as local time in `zone`.
 */
export function dayInZone(value: DateInput, zone: string): PlainDateResult {
	if (typeof value === 'string') {
		const s = value.trim();
		const plain = parsePlainDate(s);
		if (plain) return plain;
		if (s === '') return { ok: false, problem: 'is empty' };
		const dt = startsWithWholeDate(s) ? DateTime.fromISO(s, { zone, setZone: false }) : null;
		if (!dt?.isValid) return { ok: false, problem: `"${value}" is not a date (expected YYYY-MM-DD)` };
		return fromDateTime(dt, zone);
	}
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) return { ok: false, problem: 'is an invalid Date' };
		return fromDateTime(DateTime.fromJSDate(value), zone);
	}
	if (DateTime.isDateTime(value)) return fromDateTime(value, zone);
	return { ok: false, problem: 'is not a date' };
}
