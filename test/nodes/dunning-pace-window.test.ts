/**
 * Dunning Pace's Sending Window, through the real n8n engine. The node plans from the clock, so
 * the clock is set for each test (only Date is faked; timers run as usual): no test depends on the
 * hour it runs at.
 */
import type { IDataObject } from 'n8n-workflow';

import { PACE_MARGIN_MS } from '../../lib/ledger/pace';
import { chain, node, runWorkflow } from '../harness/engine';

/** Only Date: the engine's timers and promises run as usual. */
const atClock = (iso: string) =>
	jest.useFakeTimers({
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
		now: new Date(iso),
	});
afterEach(() => jest.useRealTimers());

const BUSINESS = { sendingDays: ['mon', 'tue', 'wed', 'thu', 'fri'], sendingHoursFrom: '08:00', sendingHoursUntil: '18:00', holidayRegion: 'DE', timezone: 'Europe/Berlin' };

type Planned = { expectedNextSendAt: number; nextSendAt: number; slotCount: number; slots: IDataObject[]; nextOpening?: string | null; closedMessage?: string };

async function plan(parameters: IDataObject, options: { timezone?: string; onError?: 'continueErrorOutput' } = {}) {
	const run = await runWorkflow({
		nodes: [node('noOp', 'Feed'), node('dunningPace', 'Plan', { nextSendAt: 0, waiting: 100, minSecondsBetween: 2, tickSeconds: 60, ...parameters }, options.onError ? { onError: options.onError } : {})],
		connections: chain('Feed', 'Plan'),
		input: { node: 'Feed', items: [{ json: { mailbox: 'default' } }] },
		timezone: options.timezone ?? 'Europe/Berlin',
	});
	return { run, planned: run.items('Plan')[0]?.json as Planned | undefined };
}

test('without a Sending Window the node plans at 3 a.m. on a Sunday as before: every day, any hour', async () => {
	atClock('2026-03-08T02:00:00Z');
	const { run, planned } = await plan({});
	expect(run.status).toBe('success');
	expect(planned?.slotCount).toBe(24);
	expect(planned).not.toHaveProperty('nextOpening');
});

test('outside the window: no slot, the row keeps its time, and the output says when sending resumes', async () => {
	// Saturday 7 March 2026, 10:00 in Berlin.
	atClock('2026-03-07T09:00:00Z');
	const { run, planned } = await plan({ nextSendAt: 1_772_800_000_000, sendingWindow: BUSINESS });
	expect(run.status).toBe('success');
	expect(planned).toEqual({
		expectedNextSendAt: 1_772_800_000_000,
		nextSendAt: 1_772_800_000_000,
		slotCount: 0,
		slots: [],
		nextOpening: '2026-03-09T08:00:00.000+01:00',
		closedMessage:
			'Outside the sending window (Mon–Fri 08:00–18:00 Europe/Berlin, closed on public holidays of DE): nothing is sent in this run. The reminders stay released and go out from Monday 9 March 2026, 08:00.',
	});
	// Shown beside the output, where the operator looks.
	const hints = run.run.data.resultData.runData.Plan[0].hints ?? [];
	expect(hints.map((h) => h.message)).toContain(planned?.closedMessage);
});

test('on a public holiday of the region the window is closed; another region’s holiday is not', async () => {
	// Thursday 4 June 2026 (Corpus Christi), 10:00 in Berlin: a holiday in Bavaria, not nationwide.
	atClock('2026-06-04T08:00:00Z');
	expect((await plan({ sendingWindow: { ...BUSINESS, holidayRegion: 'DE-BY' } })).planned).toMatchObject({ slotCount: 0, nextOpening: '2026-06-05T08:00:00.000+02:00' });
	expect((await plan({ sendingWindow: BUSINESS })).planned?.slotCount).toBe(24);
	// Empty: no holidays at all.
	atClock('2026-05-01T08:00:00Z');
	expect((await plan({ sendingWindow: { ...BUSINESS, holidayRegion: '' } })).planned?.slotCount).toBe(24);
	expect((await plan({ sendingWindow: BUSINESS })).planned?.slotCount).toBe(0);
});

test('a run in which the window closes plans no slot from the closing on', async () => {
	// Monday 2 March 2026, 17:59:00 in Berlin.
	atClock('2026-03-02T16:59:00Z');
	const { planned } = await plan({ sendingWindow: BUSINESS });
	const starts = planned!.slots.map((s) => Date.parse(String(s.notBefore)));
	expect(starts).toHaveLength(22);
	expect(Math.max(...starts)).toBe(Date.parse('2026-03-02T16:59:05Z') + 21 * (2000 + PACE_MARGIN_MS));
	expect(Math.max(...starts)).toBeLessThan(Date.parse('2026-03-02T17:00:00Z'));
});

test('an empty Timezone is the workflow’s; days may come as text from an expression', async () => {
	// Monday 2 March 2026, 07:30 UTC: 08:30 in Berlin (open), 02:30 in New York (closed).
	atClock('2026-03-02T07:30:00Z');
	const window = { ...BUSINESS, timezone: '', sendingDays: "={{ 'Mon-Fri' }}" };
	expect((await plan({ sendingWindow: window }, { timezone: 'Europe/Berlin' })).planned?.slotCount).toBe(24);
	expect((await plan({ sendingWindow: window }, { timezone: 'America/New_York' })).planned).toMatchObject({ slotCount: 0, nextOpening: '2026-03-02T08:00:00.000-05:00' });
});

test('a bad window setting fails the run naming the option; with Continue (using error output) every item is an error item', async () => {
	atClock('2026-03-02T10:00:00Z');
	const { run } = await plan({ sendingWindow: { ...BUSINESS, sendingHoursUntil: '7:00' } });
	expect(run.status).toBe('error');
	expect(run.error?.message).toBe(
		'Item 0: "Sending Hours Until" (sendingHoursUntil) under Sending Window: 07:00 is not later than the opening 08:00 (a window over midnight is not supported; 24:00 is the end of the day) (read once per run, from the first item)',
	);
	const regions = await plan({ sendingWindow: { ...BUSINESS, holidayRegion: 'DE-XX' } }, { onError: 'continueErrorOutput' });
	const [planned, errors] = regions.run.outputs('Plan');
	expect(planned).toEqual([]);
	expect(String(errors[0].json.error)).toMatch(/^Item 0: "Holiday Region" \(holidayRegion\) under Sending Window: holiday region "DE-XX": unknown state "XX" of DE/);
	const days = await plan({ sendingWindow: { ...BUSINESS, sendingDays: [] } });
	expect(days.run.error?.message).toMatch(/^Item 0: "Sending Days" \(sendingDays\) under Sending Window: no day chosen/);
	const zone = await plan({ sendingWindow: { ...BUSINESS, timezone: 'Berlin' } });
	expect(zone.run.error?.message).toMatch(/^Item 0: "Timezone" \(timezone\) under Sending Window: "Berlin" is not a known IANA timezone/);
});
