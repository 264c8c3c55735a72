/**
 * The calendar day a moment falls on where it is read: 23:30 UTC on 1 January is already
 * 2 January in Berlin. One implementation for every "today in a zone" (a reminder's send-by check,
 * a letter dated today), so that they cannot disagree about the day.
 */
import { DateTime, Info } from 'luxon';

/** Whether luxon reads `timezone` as a zone (an IANA name, "UTC", a fixed offset like "UTC+2"). */
export function isKnownZone(timezone: string): boolean {
	return Info.normalizeZone(timezone).isValid;
}

/**
 * The calendar day (YYYY-MM-DD) at `now` (ms since the epoch) in `timezone`; UTC without one.
 * A zone luxon does not know throws a RangeError: callers that may meet one decide what it means.
 */
export function dayAt(now: number, timezone?: string): string {
	const local = DateTime.fromMillis(now, { zone: timezone ?? 'utc' });
	if (!local.isValid) throw new RangeError(`"${timezone}" is no IANA timezone`);
	return local.toISODate()!;
}
