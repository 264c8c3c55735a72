import { DateTime } from 'luxon';

import { dayInZone, daysFromCivil, formatDay, parsePlainDate, plainDay, weekday } from '../../lib/dunning';

describe('day numbers', () => {
	it('round-trips every day across four centuries boundaries and leap days', () => {
		for (let d = daysFromCivil(1899, 12, 1); d < daysFromCivil(2101, 3, 1); d += 13) {
			const text = formatDay(d);
			const back = parsePlainDate(text);
			expect(back).toEqual({ ok: true, day: d });
		}
	});

	it('agrees with JavaScript Date on epoch days and weekdays', () => {
		expect(daysFromCivil(1970, 1, 1)).toBe(0);
		expect(daysFromCivil(2024, 2, 29)).toBe(Date.UTC(2024, 1, 29) / 86400000);
		expect(weekday(daysFromCivil(2026, 11, 14))).toBe(6); // Saturday
		expect(weekday(daysFromCivil(2026, 11, 15))).toBe(0); // Sunday
	});

	it('accepts 29 February only in leap years', () => {
		expect(parsePlainDate('2024-02-29')).toEqual({ ok: true, day: daysFromCivil(2024, 2, 29) });
		expect(parsePlainDate('2000-02-29')?.ok).toBe(true);
		expect(parsePlainDate('2023-02-29')).toEqual({ ok: false, problem: '"2023-02-29" is not a calendar date' });
		expect(parsePlainDate('1900-02-29')?.ok).toBe(false);
	});

	it('reads German DD.MM.YYYY and leaves other shapes to the timestamp parser', () => {
		expect(parsePlainDate('31.01.2026')).toEqual({ ok: true, day: daysFromCivil(2026, 1, 31) });
		expect(parsePlainDate('2026-01-31T10:00:00Z')).toBeUndefined();
		expect(parsePlainDate('2026-1-31')).toBeUndefined();
	});

	it('moves instants into the policy timezone before taking the day (DST-change week)', () => {
		// 2026-03-29 is the spring-forward Sunday in Berlin; 23:30 UTC the evening before is 00:30 CET.
		expect(dayInZone('2026-03-28T23:30:00Z', 'Europe/Berlin')).toEqual({ ok: true, day: daysFromCivil(2026, 3, 29) });
		// 22:30 UTC on the Sunday is already 00:30 CEST on Monday (UTC+2 after the change).
		expect(dayInZone('2026-03-29T22:30:00Z', 'Europe/Berlin')).toEqual({ ok: true, day: daysFromCivil(2026, 3, 30) });
		expect(dayInZone(DateTime.fromISO('2026-10-25T23:30:00Z'), 'Europe/Berlin')).toEqual({ ok: true, day: daysFromCivil(2026, 10, 26) });
		expect(dayInZone(new Date('2026-10-25T22:30:00Z'), 'Europe/Berlin')).toEqual({ ok: true, day: daysFromCivil(2026, 10, 25) });
		// Without an offset a timestamp is local time in the zone.
		expect(dayInZone('2026-03-29T01:30:00', 'Europe/Berlin')).toEqual({ ok: true, day: daysFromCivil(2026, 3, 29) });
	});

	it('takes midnight in the value’s own offset as that calendar day, west of it too; other instants are moved', () => {
		const march1 = { ok: true, day: daysFromCivil(2026, 3, 1) };
		// A DATE column serialised as UTC midnight is 1 March, not 28 February in New York.
		for (const value of ['2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00Z', '2026-03-01T00:00Z', '2026-03-01T00:00:00+00:00', new Date('2026-03-01T00:00:00Z')]) {
			expect({ value, day: dayInZone(value, 'America/New_York') }).toEqual({ value, day: march1 });
		}
		// Midnight in another offset ({{ $today }} of a workflow in Tokyo, its toISO()) is that day in Berlin.
		expect(dayInZone('2026-03-01T00:00:00.000+09:00', 'Europe/Berlin')).toEqual(march1);
		expect(dayInZone(DateTime.fromISO('2026-03-01T00:00:00', { zone: 'Asia/Tokyo' }), 'Europe/Berlin')).toEqual(march1);
		// A second past midnight is an instant: 19:00 on 28 February in New York.
		expect(dayInZone('2026-03-01T00:00:01Z', 'America/New_York')).toEqual({ ok: true, day: daysFromCivil(2026, 2, 28) });
		expect(dayInZone(new Date('2026-03-01T00:00:00.001Z'), 'America/New_York')).toEqual({ ok: true, day: daysFromCivil(2026, 2, 28) });
	});

	it('reads SQL’s "2026-03-01 10:00" as the ISO timestamp with a T', () => {
		for (const [sql, iso] of [
			['2026-03-01 10:00', '2026-03-01T10:00'],
			['2026-03-01 23:30:00', '2026-03-01T23:30:00'],
			['2026-03-01 23:30:00+00', '2026-03-01T23:30:00+00'],
			['2026-03-01 23:30:00.123456Z', '2026-03-01T23:30:00.123456Z'],
		]) {
			expect({ sql, day: dayInZone(sql, 'Europe/Berlin') }).toEqual({ sql, day: dayInZone(iso, 'Europe/Berlin') });
			expect(dayInZone(sql, 'Europe/Berlin').ok).toBe(true);
		}
		expect(dayInZone('2026-03-01 23:30:00Z', 'Europe/Berlin')).toEqual({ ok: true, day: daysFromCivil(2026, 3, 2) });
		// Only a time after the space: anything else is still no date.
		expect(dayInZone('2026-03-01 next week', 'Europe/Berlin').ok).toBe(false);
	});

	it('names a long bad value shortened, not whole', () => {
		const r = dayInZone(`2026-03-01T${'1'.repeat(1_000_000)}`, 'Europe/Berlin');
		expect(r).toEqual({ ok: false, problem: expect.stringMatching(/^"2026-03-01T1+\.\.\. is not a date \(expected YYYY-MM-DD, DD\.MM\.YYYY or an ISO timestamp such as 2026-01-31T10:00:00\+01:00\)$/) });
		expect(!r.ok && r.problem.length).toBeLessThan(180);
	});

	it('says why a value is not a date', () => {
		expect(dayInZone('next Tuesday', 'Europe/Berlin')).toEqual({ ok: false, problem: '"next Tuesday" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)' });
		expect(dayInZone('', 'Europe/Berlin')).toEqual({ ok: false, problem: 'is empty' });
		// Luxon reads these as today, a year's or a month's first day, a week or an ordinal day: no due date.
		for (const text of ['10:00', '10:00:00', 'T10:00', '2026', '2026-02', '2026-W10', '2026-W10-2', '2026-060', '202602']) {
			expect(dayInZone(text, 'Europe/Berlin')).toEqual({ ok: false, problem: `"${text}" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)` });
		}
		// A whole date in ISO's basic form (SAP's) is one.
		expect(dayInZone('20260310', 'Europe/Berlin')).toEqual({ ok: true, day: daysFromCivil(2026, 3, 10) });
		expect(dayInZone('20260310T233000Z', 'Europe/Berlin')).toEqual({ ok: true, day: daysFromCivil(2026, 3, 11) });
	});

	it('reads plain dates the same way without allocating (plainDay), inside and outside its month table', () => {
		// The table covers 1900–2199; earlier and later years take daysFromCivil's path.
		for (const text of ['0001-01-01', '1899-12-31', '1900-01-01', '2024-02-29', '2199-12-31', '2200-01-01', '9999-12-31', '29.02.2024', '01.01.1900']) {
			const r = parsePlainDate(text);
			expect(r).toEqual({ ok: true, day: plainDay(text) });
		}
		expect(plainDay('1850-03-01')).toBe(daysFromCivil(1850, 3, 1));
		expect(plainDay('2250-07-15')).toBe(daysFromCivil(2250, 7, 15));
		for (const text of ['2023-02-29', '2026-13-01', '2026-00-10', '31.04.2026', '2026-1-31', '2026-01-31T10:00:00Z', '20a6-01-01', '']) {
			expect(plainDay(text)).toBeUndefined();
		}
	});
});
