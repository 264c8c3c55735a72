/**
 * A reminder must not ask for payment by a day already past: a letter dated after its deadline
 * (a Letter Date set days after the decision), an e-mail sent after it (a reminder that waited in
 * a table), or one whose deadline passed while the run waited its turn (the pause between mails,
 * a retry after a temporary refusal, past midnight) would. Compute Dunning Level sets the deadline
 * from the day it decided; only it can set a fresh one.
 */
import { IANAZone } from 'luxon';

import { calendarFor, regionProblem } from './calendar';
import { dayAt } from './calendar-day';
import { formatDay, plainDay } from './day-number';

/**
 * Days in the Post when none is set (Create Reminder Letter's option, buildLetterModel's default,
 * and what decide() counts for a letter whose stated deadline is not on file): a letter posted
 * today mostly arrives within one to three working days (Deutsche Post's E+1 target, longer over a
 * weekend or abroad); three days leave the customer the whole period.
 */
export const DEFAULT_DAYS_IN_POST = 3;

/** `YYYY-MM-DD` at the start: a date, or a timestamp whose date part names the day. */
const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/**
 * The day a deadline names, as text: a deadline read without a timezone may be a timestamp, and
 * its date part is the day it names (passedDeadline, statedDeadline, SendBy alike).
 */
function datePart(text: string): string {
	return text.slice(0, 10);
}

/** The day a `YYYY-MM-DD` text (a timestamp by its date part) names; undefined for anything else. */
function isoDay(text: string): number | undefined {
	return DATE_PREFIX.test(text) ? plainDay(datePart(text)) : undefined;
}

/**
 * Why the reminder cannot go out with `deadline` (as read from `field`) on `day` (YYYY-MM-DD,
 * described by `dayName`, e.g. "the letter date 2026-03-20"), or null when it can. A deadline on
 * that day itself is still one the customer can keep.
 */
export function passedDeadline(field: string, deadline: string, day: string, dayName: string): string | null {
	if (datePart(deadline) >= day) return null;
	return `The field "${field}" (deadline) is ${deadline}, before ${dayName}: it would ask for payment by a day already past. Run Compute Dunning Level again for a fresh deadline`;
}

/** The last day a reminder may be sent on: the payment deadline it states, as the customer reads it. */
export interface SendBy {
	/** The deadline as the reminder states it: YYYY-MM-DD (a timestamp counts by its date part, as in passedDeadline). */
	deadline: string;
	/** The IANA zone the day is read in (the item's, see readingTimezone); undefined: UTC. */
	timezone: string | undefined;
	/** The field the deadline was read from, named in the message. */
	field: string;
}

/** Why `sendBy` cannot be checked (a zone that is no IANA zone, a deadline that is no day), or null. */
export function sendByProblem(sendBy: SendBy): string | null {
	if (sendBy.timezone !== undefined && !IANAZone.isValidZone(sendBy.timezone)) return `its timezone "${sendBy.timezone}" is no IANA timezone`;
	if (!DATE_PREFIX.test(sendBy.deadline)) return `its deadline "${sendBy.deadline}" from "${sendBy.field}" does not start with a date like 2026-03-01`;
	return null;
}

/**
 * Why a reminder may no longer be sent at `now`: its deadline is before that day where it is read.
 * Null while it may (the deadline's own day included).
 */
export function sendByPassed(sendBy: SendBy, now: number): string | null {
	const today = dayAt(now, sendBy.timezone);
	return passedDeadline(sendBy.field, sendBy.deadline, today, `today, ${today} in ${sendBy.timezone ?? 'UTC'}`);
}

/**
 * The payment deadline a reminder states when the customer gets it on `day` (YYYY-MM-DD: the day an
 * e-mail is sent, the day a letter likely arrives): the decided deadline, or `periodDays` after
 * `day` when that is later, so a reminder that waited in the send queue or the post still leaves
 * the whole period; then moved off a Saturday, Sunday or public holiday of `region` (e.g. "DE",
 * "DE-BY"), where §193 BGB ends it anyway. Never earlier than `decided`: the next stage, which waits
 * for the decided deadline's legal end counted from the day the reminder went out, never acts
 * before the stated day has passed. Throws a RangeError for input that is no day, period or region
 * (the callers check what they read).
 */
export function statedDeadline(decided: string, periodDays: number, region: string, day: string): string {
	const decidedDay = isoDay(decided);
	const from = isoDay(day);
	if (decidedDay === undefined) throw new RangeError(`statedDeadline: the decided deadline "${decided}" is no date like 2026-03-01`);
	if (from === undefined) throw new RangeError(`statedDeadline: the day "${day}" is no date like 2026-03-01`);
	if (!Number.isInteger(periodDays) || periodDays < 0) throw new RangeError(`statedDeadline: the payment period must be a whole number of days, 0 or more (got ${periodDays})`);
	const problem = regionProblem(region);
	if (problem !== undefined) throw new RangeError(`statedDeadline: ${problem}`);
	return formatDay(calendarFor(region).shiftToBusinessDay(Math.max(decidedDay, from + periodDays)));
}
