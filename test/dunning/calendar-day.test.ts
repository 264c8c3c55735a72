import { dayAt, isKnownZone } from '../../lib/dunning/calendar-day';
import { letterToday } from '../../lib/letters';

// 23:30 UTC on New Year's Eve 2098 → 2099-01-01 is already 2 January in Berlin, still 1 January in New York.
const lateUtc = new Date('2099-01-01T23:30:00Z');

describe('the calendar day in a zone (dayAt, letterToday)', () => {
	it('reads the day where the moment is read, UTC without a zone', () => {
		expect(dayAt(lateUtc.getTime(), 'Europe/Berlin')).toBe('2099-01-02');
		expect(dayAt(lateUtc.getTime(), 'America/New_York')).toBe('2099-01-01');
		expect(dayAt(lateUtc.getTime())).toBe('2099-01-01');
		expect(dayAt(lateUtc.getTime(), 'UTC+2')).toBe('2099-01-02');
		expect(letterToday('Europe/Berlin', lateUtc)).toBe('2099-01-02');
		expect(letterToday('America/New_York', lateUtc)).toBe('2099-01-01');
		expect(letterToday(undefined, lateUtc)).toBe('2099-01-01');
		// A fixed offset is a zone luxon knows: the letter is dated in it, not in UTC.
		expect(letterToday('UTC+2', lateUtc)).toBe('2099-01-02');
	});

	it('a zone luxon does not know stops dayAt (a send-by check) but dates the letter in UTC', () => {
		expect(() => dayAt(lateUtc.getTime(), 'Europe/Berlim')).toThrow(new RangeError('"Europe/Berlim" is no IANA timezone'));
		expect(() => dayAt(lateUtc.getTime(), '')).toThrow(RangeError);
		expect(letterToday('Europe/Berlim', lateUtc)).toBe('2099-01-01');
		expect(letterToday('', lateUtc)).toBe('2099-01-01');
	});

	it('knows the zones luxon reads, and no others', () => {
		for (const zone of ['Europe/Berlin', 'europe/berlin', 'UTC', 'utc', 'UTC+2', 'Etc/GMT-14']) expect([zone, isKnownZone(zone)]).toEqual([zone, true]);
		for (const zone of ['Europe/Berlim', 'Mars/Olympus', '', ' ']) expect([zone, isKnownZone(zone)]).toEqual([zone, false]);
	});
});
