/**
 * The sending window (lib/ledger/sending-window.ts): weekdays, hours and public holidays in one
 * timezone. Every instant is given explicitly; none depends on today's clock.
 */
import { closesAfter, describeSendingWindow, isAlwaysOpen, isOpen, nextOpening, parseSendingWindow, SendingWindowError, type SendingWindowInput } from '../../lib/ledger/sending-window';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
/** The shipped sender's window: Mon–Fri 08:00–18:00 Europe/Berlin, closed on DE's public holidays. */
const business = parseSendingWindow({ days: 'Mon-Fri', from: '08:00', until: '18:00', timezone: 'Europe/Berlin', holidayRegion: 'DE' });

describe('parseSendingWindow', () => {
	test('reads days as a range, a list or multi-select values, hours as HH:MM, and normalises the region', () => {
		expect([...business.days]).toEqual([1, 2, 3, 4, 5]);
		expect(business).toMatchObject({ fromMinute: 480, untilMinute: 1080, timezone: 'Europe/Berlin', holidayRegion: 'DE' });
		expect([...parseSendingWindow({ days: ['mon', 'wed', 'fri'], timezone: 'UTC' }).days]).toEqual([1, 3, 5]);
		expect([...parseSendingWindow({ days: 'Monday, tu;Sat-Sun', timezone: 'UTC' }).days]).toEqual([1, 2, 6, 7]);
		expect(parseSendingWindow({ days: 'mon', from: '8:30', until: '24:00', timezone: 'UTC', holidayRegion: ' de_by ' })).toMatchObject({ fromMinute: 510, untilMinute: 1440, holidayRegion: 'DE-BY' });
	});

	test('nothing given is every day at any hour without holidays, the window that changes nothing', () => {
		const none = parseSendingWindow({ timezone: 'Europe/Berlin', from: '', until: '', holidayRegion: '' });
		expect(isAlwaysOpen(none)).toBe(true);
		expect(isAlwaysOpen(business)).toBe(false);
		expect(describeSendingWindow(none)).toBe('every day 00:00–24:00 Europe/Berlin');
		expect(describeSendingWindow(business)).toBe('Mon–Fri 08:00–18:00 Europe/Berlin, closed on public holidays of DE');
	});

	test.each<[SendingWindowInput, string, RegExp]>([
		[{ days: 'Mo-Xy', timezone: 'UTC' }, 'days', /"Mo-Xy" is no weekday \(use mon, tue, … sun, or a range such as Mon-Fri\)/],
		[{ days: 'Fri-Mon', timezone: 'UTC' }, 'days', /"Fri-Mon" runs backwards/],
		[{ days: [], timezone: 'UTC' }, 'days', /no day chosen/],
		[{ days: '', timezone: 'UTC' }, 'days', /no day chosen/],
		[{ days: 't', timezone: 'UTC' }, 'days', /"t" is no weekday/],
		[{ from: '25:00', timezone: 'UTC' }, 'from', /"25:00" is no time of day \(use HH:MM, e\.g\. 08:00\)/],
		[{ from: '8', timezone: 'UTC' }, 'from', /"8" is no time of day/],
		[{ from: '24:00', timezone: 'UTC' }, 'from', /"24:00" is no time of day/],
		[{ until: '24:01', timezone: 'UTC' }, 'until', /"24:01" is no time of day \(use HH:MM, e\.g\. 08:00, or 24:00 for the end of the day\)/],
		[{ from: '18:00', until: '08:00', timezone: 'UTC' }, 'until', /08:00 is not later than the opening 18:00 \(a window over midnight is not supported/],
		[{ from: '08:00', until: '08:00', timezone: 'UTC' }, 'until', /not later than the opening/],
		[{ timezone: 'Europe/Berln' }, 'timezone', /"Europe\/Berln" is not a known IANA timezone/],
		[{ timezone: '' }, 'timezone', /"" is not a known IANA timezone/],
		[{ timezone: 'UTC', holidayRegion: 'XX' }, 'holidayRegion', /unknown country "XX"/],
		[{ timezone: 'UTC', holidayRegion: 'DE-ZZ' }, 'holidayRegion', /unknown state "ZZ" of DE \(known: .*BY/],
	])('%j is refused naming the field %s', (input, field, message) => {
		let thrown: unknown;
		try {
			parseSendingWindow(input);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(SendingWindowError);
		expect((thrown as SendingWindowError).field).toBe(field);
		expect((thrown as SendingWindowError).problem).toMatch(message);
	});
});

describe('isOpen', () => {
	test('opens at the first millisecond of From and closes at Until (exclusive), in the window timezone', () => {
		// Monday 2 March 2026, CET (UTC+1).
		expect(isOpen(business, at('2026-03-02T06:59:59.999Z'))).toBe(false);
		expect(isOpen(business, at('2026-03-02T07:00:00.000Z'))).toBe(true);
		expect(isOpen(business, at('2026-03-02T16:59:59.999Z'))).toBe(true);
		expect(isOpen(business, at('2026-03-02T17:00:00.000Z'))).toBe(false);
		// 03:00 on a Wednesday night.
		expect(isOpen(business, at('2026-03-04T02:00:00Z'))).toBe(false);
	});

	test('weekdays: Friday open, Saturday and Sunday closed, Monday open again', () => {
		expect(isOpen(business, at('2026-03-06T10:00:00Z'))).toBe(true);
		expect(isOpen(business, at('2026-03-07T10:00:00Z'))).toBe(false);
		expect(isOpen(business, at('2026-03-08T10:00:00Z'))).toBe(false);
		expect(isOpen(business, at('2026-03-09T10:00:00Z'))).toBe(true);
		// The weekday is Berlin's: 23:30 UTC on Sunday is already Monday 00:30 there (closed by the hour only).
		const allHours = parseSendingWindow({ days: 'Mon-Fri', timezone: 'Europe/Berlin' });
		expect(isOpen(allHours, at('2026-03-08T23:30:00Z'))).toBe(true);
		expect(isOpen(allHours, at('2026-03-08T22:30:00Z'))).toBe(false);
	});

	test('public holidays of the region are closed: 1 May in DE; Corpus Christi only in DE-BY', () => {
		// Friday 1 May 2026 (CEST, UTC+2).
		expect(isOpen(business, at('2026-05-01T08:00:00Z'))).toBe(false);
		expect(isOpen(parseSendingWindow({ days: 'Mon-Fri', from: '08:00', until: '18:00', timezone: 'Europe/Berlin' }), at('2026-05-01T08:00:00Z'))).toBe(true);
		// Thursday 4 June 2026.
		const bavaria = parseSendingWindow({ days: 'Mon-Fri', from: '08:00', until: '18:00', timezone: 'Europe/Berlin', holidayRegion: 'DE-BY' });
		expect(isOpen(bavaria, at('2026-06-04T08:00:00Z'))).toBe(false);
		expect(isOpen(business, at('2026-06-04T08:00:00Z'))).toBe(true);
	});

	test('DST in Europe/Berlin: hours are wall-clock hours on both sides of the change', () => {
		const daily = parseSendingWindow({ days: 'Mon-Sun', from: '08:00', until: '18:00', timezone: 'Europe/Berlin' });
		// Saturday 28 March 2026 is CET (08:00 = 07:00Z); Sunday 29 March, after the change, CEST (08:00 = 06:00Z).
		expect(isOpen(daily, at('2026-03-28T06:30:00Z'))).toBe(false);
		expect(isOpen(daily, at('2026-03-29T06:30:00Z'))).toBe(true);
		expect(isOpen(daily, at('2026-03-29T15:59:59.999Z'))).toBe(true);
		expect(isOpen(daily, at('2026-03-29T16:00:00Z'))).toBe(false);
		// A From that does not exist on that day (02:30; the clocks jump from 02:00 CET to 03:00 CEST)
		// opens when the clocks jump, at 01:00Z.
		const night = parseSendingWindow({ from: '02:30', until: '03:30', timezone: 'Europe/Berlin' });
		expect(isOpen(night, at('2026-03-29T00:59:59.999Z'))).toBe(false);
		expect(isOpen(night, at('2026-03-29T01:00:00Z'))).toBe(true);
		expect(isOpen(night, at('2026-03-29T01:29:59.999Z'))).toBe(true);
		expect(isOpen(night, at('2026-03-29T01:30:00Z'))).toBe(false);
		// Sunday 25 October 2026, the clocks go back at 03:00 CEST to 02:00 CET: 02:00–02:30 counts once, at its first occurrence.
		const twice = parseSendingWindow({ from: '02:00', until: '02:30', timezone: 'Europe/Berlin' });
		expect(isOpen(twice, at('2026-10-25T00:00:00Z'))).toBe(true);
		expect(isOpen(twice, at('2026-10-25T00:30:00Z'))).toBe(false);
		expect(isOpen(twice, at('2026-10-25T01:15:00Z'))).toBe(false);
	});
});

describe('nextOpening', () => {
	test('is the instant itself while open, the same day’s opening before it', () => {
		expect(iso(nextOpening(business, at('2026-03-02T10:00:00Z')))).toBe('2026-03-02T10:00:00.000Z');
		expect(iso(nextOpening(business, at('2026-03-02T02:00:00Z')))).toBe('2026-03-02T07:00:00.000Z');
		// After closing: the next morning.
		expect(iso(nextOpening(business, at('2026-03-02T17:00:00Z')))).toBe('2026-03-03T07:00:00.000Z');
	});

	test('over a weekend: Friday at closing time opens on Monday at 08:00', () => {
		expect(iso(nextOpening(business, at('2026-03-06T17:00:00Z')))).toBe('2026-03-09T07:00:00.000Z');
		expect(iso(nextOpening(business, at('2026-03-08T02:00:00Z')))).toBe('2026-03-09T07:00:00.000Z');
	});

	test('over a weekend with the DST change: Friday CET, Monday 08:00 CEST', () => {
		expect(iso(nextOpening(business, at('2026-03-27T17:00:00Z')))).toBe('2026-03-30T06:00:00.000Z');
		expect(iso(nextOpening(business, at('2026-10-23T16:00:00Z')))).toBe('2026-10-26T07:00:00.000Z');
	});

	test('over Christmas: 24 December is a working day; from its evening the next opening is Monday 28 December', () => {
		// Thursday 24 December 2026 is no public holiday in DE; 25 and 26 are, then a Sunday.
		expect(isOpen(business, at('2026-12-24T10:00:00Z'))).toBe(true);
		expect(iso(nextOpening(business, at('2026-12-24T17:00:00Z')))).toBe('2026-12-28T07:00:00.000Z');
		// Without the holidays, Friday the 25th would open.
		const noHolidays = parseSendingWindow({ days: 'Mon-Fri', from: '08:00', until: '18:00', timezone: 'Europe/Berlin' });
		expect(iso(nextOpening(noHolidays, at('2026-12-24T17:00:00Z')))).toBe('2026-12-25T07:00:00.000Z');
		// New Year's Day 2027 is a Friday: from Thursday 31 December evening, Monday 4 January.
		expect(iso(nextOpening(business, at('2026-12-31T17:00:00Z')))).toBe('2027-01-04T07:00:00.000Z');
	});

	test('in the DST gap the opening is the moment the clocks jump', () => {
		const night = parseSendingWindow({ from: '02:30', until: '03:30', timezone: 'Europe/Berlin' });
		expect(iso(nextOpening(night, at('2026-03-28T23:00:00Z')))).toBe('2026-03-29T01:00:00.000Z');
	});

	test('a window lying wholly in the hour the clocks skip does not open that day: the next opening is a week later', () => {
		// Sunday 29 March 2026: 02:00 CET jumps to 03:00 CEST, so 02:00-02:30 never happens.
		const skipped = parseSendingWindow({ days: 'Sun', from: '02:00', until: '02:30', timezone: 'Europe/Berlin' });
		expect(isOpen(skipped, at('2026-03-29T01:00:00Z'))).toBe(false);
		expect(iso(nextOpening(skipped, at('2026-03-29T00:30:00Z')))).toBe('2026-04-05T00:00:00.000Z');
	});
});

describe('closesAfter', () => {
	test('the end of the day’s hours; a window from 00:00 to 24:00 runs on over midnight until a closed day', () => {
		expect(iso(closesAfter(business, at('2026-03-02T10:00:00Z')))).toBe('2026-03-02T17:00:00.000Z');
		// DST day: 18:00 CEST.
		expect(iso(closesAfter(business, at('2026-03-30T10:00:00Z')))).toBe('2026-03-30T16:00:00.000Z');
		const allDay = parseSendingWindow({ days: 'Mon-Fri', timezone: 'Europe/Berlin', holidayRegion: 'DE' });
		// Wednesday 29 April: open through Thursday 30 April, closed on Friday 1 May.
		expect(iso(closesAfter(allDay, at('2026-04-29T10:00:00Z')))).toBe('2026-04-30T22:00:00.000Z');
		expect(closesAfter(parseSendingWindow({ timezone: 'Europe/Berlin' }), at('2026-04-29T10:00:00Z'))).toBe(Infinity);
	});
});
