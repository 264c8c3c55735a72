import { DateTime } from 'luxon';

import { daysFromCivil, parsePlainDate, type PlainDateResult } from './day-number';
import { showValue } from './field-value';

/** Anything a caller may hand us as a date: ISO text, `DD.MM.YYYY`, a JS Date or a luxon DateTime. */
export type DateInput = string | Date | DateTime;

/** Whether the instant is 00:00:00.000 in its own zone or offset. */
function isMidnight(dt: DateTime): boolean {
	return dt.hour === 0 && dt.minute === 0 && dt.second === 0 && dt.millisecond === 0;
}

/**
 * Midnight in the value's own offset is a calendar day written as an instant: n8n's `$today`, its
 * `toISO()`, a DATE column serialised as `2026-03-01T00:00:00.000Z`. Moved into a zone west of
 * it, it would become the day before, so it is taken as that day. Any other instant is moved.
 */
function fromDateTime(dt: DateTime, zone: string): PlainDateResult {
	if (!dt.isValid) return { ok: false, problem: `is not a valid date (${dt.invalidExplanation ?? dt.invalidReason ?? 'unparseable'})` };
	const z = isMidnight(dt) ? dt : dt.setZone(zone);
	return { ok: true, day: daysFromCivil(z.year, z.month, z.day) };
}

/**
 * ISO text that starts with a whole date (extended, with ISO's six-digit years too, or basic as
 * SAP writes it: 20260310). Luxon's ISO reader also takes a time alone ("10:00", today's date), a
 * year ("2026", 1 January), a month, a week or an ordinal day: none of them is a due date.
 */
export const startsWithWholeDate = (text: string): boolean => /^(?:[+-]\d{6}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2}|\d{8})(?:T|$)/.test(text);

/** The forms a date is read in, for messages (the README lists the same). */
export const DATE_FORMATS = 'YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00';

/** SQL's form of a timestamp, "2026-03-01 10:00[:00…]" (a space where ISO has a T), as databases and spreadsheets print it. */
const SQL_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/;

/**
 * The calendar day a value stands for in `zone`. Plain dates are taken as they are (a due date
 * is a day, not an instant), and so is midnight in the value's own offset (see fromDateTime);
 * other timestamps with an offset are moved into `zone` first, so that "2026-03-28T23:30:00Z"
 * counts as 29 March in Berlin. Timestamps without an offset are read as local time in `zone`.
 */
export function dayInZone(value: DateInput, zone: string): PlainDateResult {
	if (typeof value === 'string') {
		const s = value.trim();
		const plain = parsePlainDate(s);
		if (plain) return plain;
		if (s === '') return { ok: false, problem: 'is empty' };
		const iso = SQL_TIMESTAMP.test(s) ? `${s.slice(0, 10)}T${s.slice(11)}` : s;
		// setZone keeps the text's own offset, for the midnight rule; text without one is local time in `zone`.
		const dt = startsWithWholeDate(iso) ? DateTime.fromISO(iso, { zone, setZone: true }) : null;
		if (!dt?.isValid) return { ok: false, problem: `${showValue(value)} is not a date (expected ${DATE_FORMATS})` };
		return fromDateTime(dt, zone);
	}
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) return { ok: false, problem: 'is an invalid Date' };
		// A Date has no offset of its own; its ISO form is UTC (a DATE column read into one is UTC midnight).
		return fromDateTime(DateTime.fromJSDate(value, { zone: 'utc' }), zone);
	}
	if (DateTime.isDateTime(value)) return fromDateTime(value, zone);
	// A number (an epoch, a spreadsheet's serial day), a list, an object: no form says which day it is.
	return { ok: false, problem: `${showValue(value)} is not a date (expected ${DATE_FORMATS})` };
}
