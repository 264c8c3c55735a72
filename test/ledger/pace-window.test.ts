/**
 * planSlots with a sending window (lib/ledger/pace.ts): no slot outside it, none starting at or
 * after its closing, and no window at all plans exactly as before. Instants are given explicitly.
 */
import { PACE_MARGIN_MS, planSlots, type SlotRequest } from '../../lib/ledger/pace';
import { parseSendingWindow } from '../../lib/ledger/sending-window';

const at = (iso: string) => Date.parse(iso);
const business = parseSendingWindow({ days: 'Mon-Fri', from: '08:00', until: '18:00', timezone: 'Europe/Berlin', holidayRegion: 'DE' });
const request = (now: number, extra: Partial<SlotRequest> = {}): SlotRequest => ({ nextSendAt: 0, now, count: 100, gapMs: 2000, horizonMs: 60_000, leadMs: 5000, ...extra });

test('the window the node defaults to (every day, any hour, no holidays) plans exactly as no window, also over midnight', () => {
	const always = parseSendingWindow({ timezone: 'Europe/Berlin' });
	for (const now of [at('2026-03-07T23:59:30Z'), at('2026-03-08T02:00:00Z'), at('2026-12-25T10:00:00Z')]) {
		for (const extra of [{}, { nextSendAt: now + 20_000 }, { gapMs: 0 }, { nextSendAt: now + 10 * 86_400_000 }]) {
			expect(planSlots(request(now, { ...extra, window: always }))).toEqual(planSlots(request(now, extra)));
		}
	}
});

test('a tick in which the window closes plans no slot at or after the closing', () => {
	// Monday 2 March 2026, 17:59:00 in Berlin; the window closes at 18:00 (17:00Z).
	const now = at('2026-03-02T16:59:00Z');
	const closing = at('2026-03-02T17:00:00Z');
	const plan = planSlots(request(now, { window: business }))!;
	const starts = plan.slots.map((s) => s.notBefore);
	expect(starts[0]).toBe(now + 5000);
	expect(starts.every((s) => s < closing)).toBe(true);
	// 55 s to the closing, a slot every 2.5 s: 22 slots, the last at 17:59:57.5; without the window, 24.
	expect(plan.slots).toHaveLength(22);
	expect(planSlots(request(now))!.slots).toHaveLength(24);
	expect(plan.nextSendAt).toBe(now + 5000 + 22 * (2000 + PACE_MARGIN_MS));
	expect(plan.closed).toBeUndefined();
});

test('a tick outside the window plans no slot, keeps the row’s time and names the next opening', () => {
	const read = at('2026-03-06T16:59:50Z');
	// Saturday 7 March, 10:00 in Berlin: the next opening is Monday 08:00 (07:00Z).
	const saturday = planSlots(request(at('2026-03-07T09:00:00Z'), { nextSendAt: read, window: business }));
	expect(saturday).toEqual({ slots: [], nextSendAt: read, closed: { nextOpening: at('2026-03-09T07:00:00Z') } });
	// 03:00 on a Wednesday, with no pause: none either.
	const night = planSlots(request(at('2026-03-04T02:00:00Z'), { gapMs: 0, window: business }));
	expect(night).toEqual({ slots: [], nextSendAt: 0, closed: { nextOpening: at('2026-03-04T07:00:00Z') } });
	// Christmas Day 2026 (a Friday): Monday 28 December.
	expect(planSlots(request(at('2026-12-25T10:00:00Z'), { window: business }))?.closed).toEqual({ nextOpening: at('2026-12-28T07:00:00Z') });
	// Nothing waiting, or the mailbox busy for the whole tick: no plan, as without a window.
	expect(planSlots(request(at('2026-03-07T09:00:00Z'), { count: 0, window: business }))).toBeNull();
});

test('a tick in which the window opens plans slots from the opening on', () => {
	// Monday 07:59:30 in Berlin; the first slot would lie at 07:59:35.
	const plan = planSlots(request(at('2026-03-02T06:59:30Z'), { window: business }))!;
	expect(plan.slots[0].notBefore).toBe(at('2026-03-02T07:00:00Z'));
	expect(plan.slots.at(-1)!.notBefore).toBeLessThan(at('2026-03-02T07:00:35Z'));
	expect(plan.closed).toBeUndefined();
});

test('a row time too far ahead is still reset while the window is closed, so that sending resumes at the opening', () => {
	const now = at('2026-03-07T09:00:00Z');
	const yearAhead = now + 365 * 86_400_000;
	const plan = planSlots(request(now, { nextSendAt: yearAhead, window: business }));
	expect(plan).toEqual({ slots: [], nextSendAt: now + 5000 + 2000 + PACE_MARGIN_MS, resetFrom: yearAhead, closed: { nextOpening: at('2026-03-09T07:00:00Z') } });
});

test('a window lying wholly in the hour the clocks skip plans no slot that day, with or without a pause, and names the next opening', () => {
	// Sunday 29 March 2026, 02:30 CET: the clocks jump from 02:00 to 03:00, so 02:00-02:30 never happens.
	const skipped = parseSendingWindow({ days: 'Sun', from: '02:00', until: '02:30', timezone: 'Europe/Berlin' });
	const now = at('2026-03-29T00:30:00Z');
	for (const gapMs of [0, 2000]) {
		const plan = planSlots(request(now, { count: 3, gapMs, horizonMs: 3_600_000, window: skipped }));
		expect(plan).toEqual({ slots: [], nextSendAt: 0, closed: { nextOpening: at('2026-04-05T00:00:00Z') } });
	}
});
