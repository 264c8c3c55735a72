/**
 * The shipped sender's sending window (workflows/send-released.json): its Settings carry the
 * default window (Mon–Fri 08:00–18:00, closed on DE's public holidays, the workflow's timezone),
 * Plan Sending Slots reads it, a tick outside it ends quietly, and the switch the e2e suites and
 * the demo use (sendAtAnyTime, as the note tells operators) opens it at any hour. Plan Sending
 * Slots runs in the real n8n engine with the shipped parameters after stand-ins for the nodes its
 * expressions read; only Date is faked, to set the hour.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ONE_REMINDER_PER_SLOT_CODE } from '../../scripts/workflows/code-nodes';
import { sendAtAnyTime, type WorkflowJson } from '../e2e/stack';
import { chain, node, runWorkflow } from '../harness/engine';

type ShippedNode = { name: string; type: string; parameters: INodeParameters };
const shipped = (): WorkflowJson & { nodes: ShippedNode[]; settings: { timezone: string }; connections: Record<string, { main: Array<Array<{ node: string }>> }> } =>
	JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'send-released.json'), 'utf8'));
const nodeOf = (wf: { nodes: ShippedNode[] }, name: string) => wf.nodes.find((n) => n.name === name)!;
const settingsOf = (wf: { nodes: ShippedNode[] }): IDataObject =>
	Object.fromEntries<IDataObject[string]>((nodeOf(wf, 'Settings').parameters.assignments as { assignments: Array<{ name: string; value: string | number }> }).assignments.map((a) => [a.name, a.value]));

const atClock = (iso: string) =>
	jest.useFakeTimers({
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
		now: new Date(iso),
	});
afterEach(() => jest.useRealTimers());

/** The sender's Plan Sending Slots as shipped, after its Settings, with one reminder waiting and a new pace row. */
async function planTick(wf: ReturnType<typeof shipped>) {
	const plan = nodeOf(wf, 'Plan Sending Slots');
	const run = await runWorkflow({
		nodes: [
			node('evaluate', 'Settings', { json: JSON.stringify(settingsOf(wf)) }),
			node('evaluate', 'Load Released Reminders', { json: JSON.stringify({ id: 1, status: 'released' }) }),
			node('evaluate', 'Load Pace', { json: JSON.stringify({ mailbox: 'default', nextSendAt: 0 }) }),
			node('dunningPace', 'Plan Sending Slots', plan.parameters),
		],
		connections: chain('Settings', 'Load Released Reminders', 'Load Pace', 'Plan Sending Slots'),
		input: { node: 'Settings', items: [{ json: {} }] },
		timezone: wf.settings.timezone,
	});
	expect(run.status).toBe('success');
	return run.items('Plan Sending Slots')[0]?.json as { expectedNextSendAt: number; nextSendAt: number; slotCount: number; nextOpening?: string };
}

test('Settings carry the default window, and Plan Sending Slots reads every part of it from there', () => {
	const wf = shipped();
	expect(settingsOf(wf)).toMatchObject({ sendingDays: 'Mon-Fri', sendingHoursFrom: '08:00', sendingHoursUntil: '18:00', holidayRegion: 'DE', sendingTimezone: '' });
	expect(wf.settings.timezone).toBe('Europe/Berlin');
	expect(nodeOf(wf, 'Plan Sending Slots').parameters.sendingWindow).toEqual({
		sendingDays: "={{ $('Settings').first().json.sendingDays }}",
		sendingHoursFrom: "={{ $('Settings').first().json.sendingHoursFrom }}",
		sendingHoursUntil: "={{ $('Settings').first().json.sendingHoursUntil }}",
		holidayRegion: "={{ $('Settings').first().json.holidayRegion }}",
		timezone: "={{ $('Settings').first().json.sendingTimezone }}",
	});
});

test('a tick at 3 a.m. on a Sunday plans no slot and names Monday 08:00; on Monday at 10:00 it plans', async () => {
	const wf = shipped();
	atClock('2026-03-08T02:00:00Z');
	expect(await planTick(wf)).toMatchObject({ expectedNextSendAt: 0, nextSendAt: 0, slotCount: 0, nextOpening: '2026-03-09T08:00:00.000+01:00' });
	atClock('2026-03-09T09:00:00Z');
	expect(await planTick(wf)).toMatchObject({ slotCount: 1 });
	// Christmas Day, a Friday in 2026, at 10:00: closed until Monday 28 December.
	atClock('2026-12-25T09:00:00Z');
	expect((await planTick(wf)).nextOpening).toBe('2026-12-28T08:00:00.000+01:00');
});

test('a tick with no slot ends quietly: Reserve Pace writes back the time it read, One Reminder per Slot passes on no reminder', () => {
	const wf = shipped();
	// Plan → Reserve Pace → One Reminder per Slot and nothing else: no step that fails or counts a stall runs.
	expect(wf.connections['Plan Sending Slots'].main).toEqual([[expect.objectContaining({ node: 'Reserve Pace' })]]);
	expect(wf.connections['Reserve Pace'].main).toEqual([[expect.objectContaining({ node: 'One Reminder per Slot' })]]);
	const reserve = (nodeOf(wf, 'Reserve Pace').parameters.columns as { value: IDataObject }).value;
	expect(reserve.nextSendAt).toBe('={{ $json.nextSendAt }}');
	const plan = { slotCount: 0, slots: [] };
	const $ = (name: string) => ({
		first: () => ({ json: plan }),
		all: () => (name === 'Load Released Reminders' ? [{ json: { id: 1 } }, { json: { id: 2 } }] : []),
	});
	const pick = new Function('$', ONE_REMINDER_PER_SLOT_CODE) as (d: typeof $) => unknown[];
	expect(pick($)).toEqual([]);
});

test('the switch the e2e suites and the demo use (sendAtAnyTime) opens the window at 3 a.m. on a Sunday', async () => {
	const wf = shipped();
	sendAtAnyTime(wf);
	atClock('2026-03-08T02:00:00Z');
	const planned = await planTick(wf);
	expect(planned.slotCount).toBe(1);
	expect(planned).not.toHaveProperty('nextOpening');
});
