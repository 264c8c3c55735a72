/**
 * The shipped sender's claim-and-pace steps, raced the way overlapping ticks and queue-mode workers
 * race them: five ticks at once over one ledger. Plan Sending Slots and Send Reminder Email run in
 * the real n8n engine against a real SMTP server; the Data Table steps between them (Reserve
 * Pace, Claim Reminder, Record Delivery) are done here with the same filters as in
 * workflows/send-released.json, on n8n's Data Table interface in memory (the queue-mode
 * end-to-end test runs the real ones on PostgreSQL).
 */
import type { DataTableColumnType, DataTableRow, IDataObject, IDataTableProjectService } from 'n8n-workflow';

import { MAX_LEAD_SECONDS, MAX_NEXT_SEND_AT_MS, MAX_PAUSE_SECONDS, MAX_TICK_SECONDS, PACE_MARGIN_MS, SLOT_LEAD_MS, SLOT_TOLERANCE_MS } from '../../lib/ledger/pace';
import { reminderMessageId } from '../../lib/mail/message';
import { memoryDataTable } from '../harness/data-tables';
import { chain, node, runWorkflow } from '../harness/engine';
import { startTestServer, type TestServer } from '../mail/smtp-test-server';

const USER = 'buchhaltung@shop.example';
const PASSWORD = 'pace-Test-Pass';
const column = (name: string, type: DataTableColumnType = 'string') => ({ name, type });

let server: TestServer;
/** Each test is its own sender workflow: Send's never-twice record is kept per workflow. */
let workflowId = '';
const arrivals: Array<{ at: number; messageId: string }> = [];
beforeEach(async () => {
	arrivals.length = 0;
	workflowId = `sender-${expect.getState().currentTestName}`;
	server = await startTestServer({
		security: 'none',
		users: { [USER]: PASSWORD },
		onRcpt: () => {
			arrivals.push({ at: Date.now(), messageId: '' });
			return undefined;
		},
		onData: (_n, raw) => {
			arrivals[arrivals.length - 1].messageId = /^Message-ID:\s*(\S+)/im.exec(raw.toString('utf8'))?.[1] ?? '';
			return undefined;
		},
	});
});
afterEach(async () => await server.close());

function reminderRow(n: number): DataTableRow {
	const payload = {
		invoiceId: `inv-${n}`,
		invoiceNumber: `RE-${n}`,
		email: `kunde${n}@kunden.example`,
		language: 'de',
		dueDate: '2026-02-09',
		currency: 'EUR',
		openAmount: 100,
		dunning: { action: 'send', level: 1, stageName: 'Zahlungserinnerung', fee: 0, interest: 0, totalDue: 100, deadline: '2099-03-02' },
	};
	return { reminderKey: `inv-${n}#1#email`, mailbox: 'default', status: 'released', claimId: '', leaseUntil: 0, payload: JSON.stringify(payload) };
}

async function plan(nextSendAt: number, waiting: number, minSecondsBetween: number, tickSeconds = 10, lead: IDataObject = {}) {
	const run = await runWorkflow({
		nodes: [node('manualTrigger', 'Manual Trigger'), node('dunningPace', 'Plan', { nextSendAt, waiting, minSecondsBetween, tickSeconds, ...lead })],
		connections: { 'Manual Trigger': { main: [[{ node: 'Plan', type: 'main' as never, index: 0 }]] } },
	});
	expect(run.status).toBe('success');
	return run.items('Plan')[0]?.json as { expectedNextSendAt: number; nextSendAt: number; slotCount: number; slots: IDataObject[] } | undefined;
}

const and = (...filters: Array<[string, 'eq' | 'lt' | 'lte', string | number]>) => ({
	type: 'and' as const,
	filters: filters.map(([columnName, condition, value]) => ({ columnName, condition, value })),
});

/** One tick of workflows/send-released.json, from Load Released Reminders to Record Delivery. */
async function tick(reminders: IDataTableProjectService, mailboxes: IDataTableProjectService, tickId: string, gapS: number, afterLoad?: Promise<void>): Promise<number> {
	const waiting = (await reminders.getManyRowsAndCount({ filter: and(['mailbox', 'eq', 'default'], ['status', 'eq', 'released']), sortBy: ['id', 'ASC'], take: 50 })).data;
	if (waiting.length === 0) return 0;
	await afterLoad;
	const [pace] = (await mailboxes.getManyRowsAndCount({ filter: and(['mailbox', 'eq', 'default']), take: 1 })).data;
	// A short lead: the server is on loopback, and the races need many ticks within the test.
	const planned = await plan(Number(pace.nextSendAt), waiting.length, gapS, 2, { leadSeconds: 1 });
	if (!planned) return 0;
	const reserved = await mailboxes.updateRows({
		filter: and(['mailbox', 'eq', 'default'], ['nextSendAt', 'eq', planned.expectedNextSendAt]),
		data: { nextSendAt: planned.nextSendAt },
	});
	if (reserved.length === 0) return 0;
	const claimed = [];
	for (const row of waiting.slice(0, planned.slotCount)) {
		const won = await reminders.updateRows({
			filter: and(['id', 'eq', row.id], ['status', 'eq', 'released']),
			data: { status: 'sending', claimId: tickId, leaseUntil: Date.now() + 600_000 },
		});
		claimed.push(...won);
	}
	if (claimed.length === 0) return 0;
	const items = claimed.map((row, i) => ({
		json: { ...(JSON.parse(String(row.payload)) as IDataObject), claim: { rowId: row.id, id: tickId, leaseUntil: row.leaseUntil, ...planned.slots[i] } },
	}));
	const run = await runWorkflow({
		nodes: [node('sendReminderEmail', 'Send', { operation: 'sendReminder', minSecondsBetween: gapS, maxPerRun: 0 }, { credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'Shop' } } })],
		input: { node: 'Send', items },
		workflowId,
		credentials: {
			dunningSmtpApi: { host: '127.0.0.1', port: server.port, security: 'none', user: USER, password: PASSWORD, fromAddress: USER, fromName: 'Shop', replyTo: '', bcc: '', allowSelfSigned: false },
		},
	});
	expect(run.status).toBe('success');
	for (const item of run.items('Send')) {
		const { claim, delivery } = item.json as { claim: { rowId: number; id: string }; delivery: { status: string; messageId: string } };
		await reminders.updateRows({
			filter: and(['id', 'eq', claim.rowId], ['claimId', 'eq', claim.id]),
			data: { status: delivery.status === 'sent' ? 'sent' : 'released', messageId: delivery.messageId },
		});
	}
	return claimed.length;
}

function ledger(count: number) {
	const reminders = memoryDataTable('dunning_reminders', [
		column('reminderKey'), column('mailbox'), column('status'), column('claimId'), column('leaseUntil', 'number'), column('payload'), column('messageId'),
	], Array.from({ length: count }, (_, i) => reminderRow(i + 1)));
	const mailboxes = memoryDataTable('dunning_mailboxes', [column('mailbox'), column('nextSendAt', 'number')], [{ mailbox: 'default', nextSendAt: 0 }]);
	return { reminders, mailboxes };
}

test('a tick that loaded the same reminders before another claimed them, and got slots after it, claims none of them', async () => {
	const { reminders, mailboxes } = ledger(3);
	let resume!: () => void;
	const late = tick(reminders.service(), mailboxes.service(), 'late', 0.2, new Promise<void>((r) => (resume = r)));
	await new Promise((r) => setTimeout(r, 20));
	const first = tick(reminders.service(), mailboxes.service(), 'first', 0.2);
	while (!reminders.rows.every((r) => r.status === 'sending')) await new Promise((r) => setTimeout(r, 5));
	resume();
	expect(await Promise.all([first, late])).toEqual([3, 0]);
	expect(arrivals).toHaveLength(3);
	expect(new Set(arrivals.map((a) => a.messageId)).size).toBe(3);
});

test('two ticks started together every 0.4 s, each running up to 4 s, over 12 reminders: each sent exactly once, and the pause between any two is kept', async () => {
	const { reminders, mailboxes } = ledger(12);
	const gapS = 0.5;
	const ticks: Array<Promise<number>> = [];
	for (let n = 0; n < 40 && reminders.rows.some((r) => r.status !== 'sent'); n++) {
		// Two at the same moment, as two workers picking up two queued ticks.
		ticks.push(tick(reminders.service(), mailboxes.service(), `tick-${n}a`, gapS), tick(reminders.service(), mailboxes.service(), `tick-${n}b`, gapS));
		await new Promise((r) => setTimeout(r, 400));
	}
	const claimedPerTick = await Promise.all(ticks);
	// Ticks overlapped: several of them sent something.
	expect(claimedPerTick.filter((n) => n > 0).length).toBeGreaterThan(2);
	const ids = arrivals.map((a) => a.messageId);
	expect(ids).toHaveLength(12);
	expect(new Set(ids).size).toBe(12);
	expect(reminders.rows.map((r) => r.status)).toEqual(Array.from({ length: 12 }, () => 'sent'));
	const times = arrivals.map((a) => a.at).sort((a, b) => a - b);
	// At the server, between any two transactions of the mailbox, whichever tick sent them.
	for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(gapS * 1000);
});

test('a claimed reminder is guarded by its claim, not by the processed-data record that overlapping executions overwrite', async () => {
	const payload = JSON.parse(String(reminderRow(1).payload)) as IDataObject;
	const send = (json: IDataObject) =>
		runWorkflow({
			nodes: [node('sendReminderEmail', 'Send', { operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0 }, { credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'Shop' } } })],
			input: { node: 'Send', items: [{ json }] },
			workflowId,
			credentials: {
				dunningSmtpApi: { host: '127.0.0.1', port: server.port, security: 'none', user: USER, password: PASSWORD, fromAddress: USER, fromName: 'Shop', replyTo: '', bcc: '', allowSelfSigned: false },
			},
		});
	// Unclaimed, the record is the guard: a second run sends nothing.
	await send(payload);
	const again = await send(payload);
	expect((again.items('Send')[0].json.delivery as IDataObject).duplicate).toBe(true);
	// The record now says "sent" (as a lost update could leave it for a reminder that never went out);
	// the claim, which the ledger gave to this execution only, decides.
	const now = Date.now();
	const claimed = await send({ ...payload, claim: { rowId: 1, id: 'exec-9', leaseUntil: now + 600_000, notBefore: new Date(now).toISOString() } });
	expect(claimed.items('Send')[0].json.delivery).toMatchObject({ status: 'sent' });
	expect((claimed.items('Send')[0].json.delivery as IDataObject).duplicate).toBeUndefined();
	expect(arrivals).toHaveLength(2);
	// The claimed reminder's Message-ID is its ledger row's: the same row sent again (after an
	// unclear outcome) keeps it, another row of the same level (released again) has its own.
	expect(arrivals[1].messageId).toBe(reminderMessageId(USER, 'inv-1', 1, '1'));
	expect(arrivals[1].messageId).not.toBe(arrivals[0].messageId);
	const retried = await send({ ...payload, claim: { rowId: 1, id: 'exec-10', leaseUntil: Date.now() + 600_000, notBefore: new Date().toISOString() } });
	const reReleased = await send({ ...payload, claim: { rowId: 2, id: 'exec-11', leaseUntil: Date.now() + 600_000, notBefore: new Date().toISOString() } });
	expect([retried, reReleased].map((r) => (r.items('Send')[0].json.delivery as IDataObject).status)).toEqual(['sent', 'sent']);
	expect(arrivals.slice(2).map((a) => a.messageId)).toEqual([arrivals[1].messageId, reminderMessageId(USER, 'inv-1', 1, '2')]);
});

test('Plan Sending Slots: slots a pause plus margin apart after the lead, none when the mailbox is busy for the whole run', async () => {
	const now = Date.now();
	const planned = await plan(0, 3, 2);
	expect(planned?.slotCount).toBe(3);
	const starts = planned!.slots.map((s) => Date.parse(String(s.notBefore)));
	expect(starts[0]).toBeGreaterThanOrEqual(now + SLOT_LEAD_MS);
	// The node's default lead is lib's.
	expect(starts[0]).toBeLessThan(Date.now() + SLOT_LEAD_MS + 1);
	expect(starts[1] - starts[0]).toBe(2000 + PACE_MARGIN_MS);
	expect(Date.parse(String(planned!.slots[0].notAfter)) - starts[0]).toBe(SLOT_TOLERANCE_MS);
	expect(planned!.nextSendAt).toBe(starts[2] + 2000 + PACE_MARGIN_MS);
	// Busy for this whole run (10 s, lead 5 s): the row's next time lies after it, within one pause.
	expect(await plan(Date.now() + 16_000, 3, 2)).toBeUndefined();
	expect(await plan(0, 0, 2)).toBeUndefined();
});

test('Plan Sending Slots: a next sending time further ahead than these settings can set (a pause lowered, a worker clock ahead) restarts one pause from now, with a warning', async () => {
	const yearAhead = Date.now() + 365 * 86_400_000;
	const before = Date.now();
	const planned = (await plan(yearAhead, 3, 2)) as { slotCount: number; slots: IDataObject[]; nextSendAt: number; expectedNextSendAt: number; warning?: string };
	// One pause after the lead, as if the last reminder had left just now; the row is reserved from the value read.
	const first = Date.parse(String(planned.slots[0].notBefore));
	expect(first).toBeGreaterThanOrEqual(before + SLOT_LEAD_MS + 2000 + PACE_MARGIN_MS);
	expect(first).toBeLessThan(Date.now() + SLOT_LEAD_MS + 2000 + PACE_MARGIN_MS + 1);
	expect(planned.slotCount).toBe(3);
	expect(planned.expectedNextSendAt).toBe(yearAhead);
	expect(planned.warning).toContain(`(${new Date(yearAhead).toISOString()}) lay further ahead than these settings can have set it`);
	// A pause longer than the run: no slot now, but the row moves to one pause from now, so later runs send.
	const hourPace = (await plan(Date.now() + 86_400_000, 3, 3600, 60)) as { slotCount: number; nextSendAt: number; warning?: string };
	expect(hourPace.slotCount).toBe(0);
	expect(hourPace.nextSendAt).toBeGreaterThanOrEqual(before + SLOT_LEAD_MS + 3_600_000 + PACE_MARGIN_MS);
	expect(hourPace.nextSendAt).toBeLessThan(Date.now() + SLOT_LEAD_MS + 3_600_000 + PACE_MARGIN_MS + 1);
	expect(hourPace.warning).toBeDefined();
	// The time that row now holds is one these settings set: the next run waits for it, without a warning.
	expect(await plan(hourPace.nextSendAt, 3, 3600, 60)).toBeUndefined();
});

test('Plan Sending Slots: an empty pause (a cleared setting, an empty cell) is refused, not taken as no pause at all', async () => {
	for (const empty of ["={{ '' }}", '={{ null }}', '']) {
		const run = await runWorkflow({
			nodes: [node('manualTrigger', 'Manual Trigger'), node('dunningPace', 'Plan', { waiting: 500, minSecondsBetween: empty, tickSeconds: 60 })],
			connections: chain('Manual Trigger', 'Plan'),
		});
		expect(run.error?.message).toBe('Item 0: "Min Seconds Between Emails" (minSecondsBetween) must be a number from 0 to 86400, not empty (read once per run, from the first item)');
		expect(run.items('Plan')).toEqual([]);
	}
	// Where empty has a meaning it keeps it: a new mailbox's row has no next sending time yet.
	expect((await plan('={{ null }}' as unknown as number, 1, 2))?.slotCount).toBe(1);
});

test('Plan Sending Slots: Connection Lead moves the first slot (for a slow server), and only the first', async () => {
	const now = Date.now();
	const planned = await plan(0, 2, 2, 10, { leadSeconds: 12 });
	const starts = planned!.slots.map((s) => Date.parse(String(s.notBefore)));
	expect(starts[0]).toBeGreaterThanOrEqual(now + 12_000);
	expect(starts[0]).toBeLessThan(Date.now() + 12_000 + 1);
	expect(starts[1] - starts[0]).toBe(2000 + PACE_MARGIN_MS);
	// A lead under a second is refused, naming the field, rather than planning slots no login can meet.
	const run = await runWorkflow({
		nodes: [node('manualTrigger', 'Manual Trigger'), node('dunningPace', 'Plan', { waiting: 1, leadSeconds: 0 })],
		connections: chain('Manual Trigger', 'Plan'),
	});
	expect(run.error?.message).toBe('Item 0: "Connection Lead (Seconds)" (leadSeconds) must be a number from 1 to 600, not 0 (read once per run, from the first item)');
});

describe('Plan Sending Slots: Continue (using error output)', () => {
	// Fed by a node before it, as in a workflow: n8n adds the input item's fields to an error item.
	const fed = (parameters: IDataObject, items: IDataObject[], onError?: 'continueErrorOutput') =>
		runWorkflow({
			nodes: [node('noOp', 'Feed'), node('dunningPace', 'Plan', { waiting: 2, minSecondsBetween: 2, tickSeconds: 10, ...parameters }, onError ? { onError } : {})],
			connections: chain('Feed', 'Plan'),
			input: { node: 'Feed', items: items.map((json) => ({ json })) },
		});

	test('a pace row whose nextSendAt is no number sends every item to the error output, naming the field; nothing is planned', async () => {
		const r = await fed({ nextSendAt: '={{ $json.nextSendAt }}' }, [{ mailbox: 'default', nextSendAt: 'soon' }, { mailbox: 'other' }], 'continueErrorOutput');
		expect(r.status).toBe('success');
		const [planned, errors] = r.outputs('Plan');
		expect(planned).toEqual([]);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const message = 'Item 0: "Next Allowed Sending Time" (nextSendAt) must be a number of at least 0, not "soon" (read once per run, from the first item)';
		// Exactly the input item plus `error`: n8n put the input fields back; the node added nothing else.
		expect(errors[0].json).toEqual({ mailbox: 'default', nextSendAt: 'soon', error: message });
		expect(errors[1].json).toEqual({ mailbox: 'other', error: message });
	});

	test('an expression that cannot be evaluated is an error item too, naming the field', async () => {
		const r = await fed({ minSecondsBetween: "={{ $('Settings').first().json.minSecondsBetween }}" }, [{ mailbox: 'default', nextSendAt: 0 }], 'continueErrorOutput');
		const [planned, errors] = r.outputs('Plan');
		expect(planned).toEqual([]);
		expect(errors).toHaveLength(1);
		expect(String(errors[0].json.error)).toMatch(/^Item 0: "Min Seconds Between Emails" \(minSecondsBetween\) could not be read: Referenced node doesn't exist/);
	});

	test('a good pace row keeps its plan on the success output', async () => {
		const r = await fed({ nextSendAt: '={{ $json.nextSendAt }}' }, [{ mailbox: 'default', nextSendAt: 0 }], 'continueErrorOutput');
		const [planned, errors] = r.outputs('Plan');
		expect(errors).toEqual([]);
		expect(planned).toHaveLength(1);
		expect(planned[0].json).toMatchObject({ expectedNextSendAt: 0, slotCount: 2 });
	});

	test('a next sending time beyond any date (1e20 ms, microseconds typed for milliseconds) is restarted one pause from now with a warning, as any time too far ahead', async () => {
		const before = Date.now();
		for (const nextSendAt of [1e20, before * 1000]) {
			const r = await fed({ nextSendAt: '={{ $json.nextSendAt }}', minSecondsBetween: 2 }, [{ mailbox: 'default', nextSendAt }], 'continueErrorOutput');
			const [planned, errors] = r.outputs('Plan');
			expect(errors).toEqual([]);
			const plan = planned[0].json as { expectedNextSendAt: number; slotCount: number; warning: string };
			expect(plan).toMatchObject({ expectedNextSendAt: nextSendAt, slotCount: 2 });
			expect(plan.warning).toContain(nextSendAt > MAX_NEXT_SEND_AT_MS ? `(${nextSendAt} ms since 1970, beyond any date) lay further ahead` : 'lay further ahead');
		}
	});

	test('a lead beyond any date (1e13 s) sends every item to the error output naming the field; nothing is planned', async () => {
		for (const [parameters, message] of [
			[
				{ leadSeconds: 1e13 },
				'Item 0: "Connection Lead (Seconds)" (leadSeconds) must be a number from 1 to 600, not 10000000000000: the run would wait that long before its first slot, past the claim on its reminders (15 minutes as shipped); connecting and logging in take seconds (read once per run, from the first item)',
			],
		] as const) {
			const r = await fed(parameters, [{ mailbox: 'default', nextSendAt: 1e20 }, { mailbox: 'other' }], 'continueErrorOutput');
			expect(r.status).toBe('success');
			const [planned, errors] = r.outputs('Plan');
			expect(planned).toEqual([]);
			expect(errors.map((i) => [i.pairedItem, i.json])).toEqual([
				[{ item: 0 }, { mailbox: 'default', nextSendAt: 1e20, error: message }],
				[{ item: 1 }, { mailbox: 'other', error: message }],
			]);
		}
	});

	test('a lead, pause or run length that would put a slot beyond any date, or the first slot past the claim, are refused naming the field; the largest allowed still plan', async () => {
		const refused = async (parameters: IDataObject) => {
			const r = await fed(parameters, [{ mailbox: 'default' }]);
			expect(r.status).toBe('error');
			expect(r.items('Plan')).toEqual([]);
			return r.error?.message;
		};
		expect(await refused({ leadSeconds: 1e13 })).toMatch(/^Item 0: "Connection Lead \(Seconds\)" \(leadSeconds\) must be a number from 1 to 600, not 10000000000000: /);
		// Before: a lead of 1e300 s planned no slot and said nothing, run after run.
		expect(await refused({ leadSeconds: 1e300 })).toMatch(/^Item 0: "Connection Lead \(Seconds\)" \(leadSeconds\) must be a number from 1 to 600, not 1e\+300: /);
		// Before: a pause of 1e13 s wrote a nextSendAt of 1e16 into the row, which no later run could read.
		expect(await refused({ minSecondsBetween: 1e13 })).toBe(
			'Item 0: "Min Seconds Between Emails" (minSecondsBetween) must be a number from 0 to 86400, not 10000000000000: a pause of more than a day between two reminders is a unit mistake (milliseconds or minutes for seconds?) (read once per run, from the first item)',
		);
		expect(await refused({ tickSeconds: 1e300 })).toMatch(/^Item 0: "Schedule Interval \(Seconds\)" \(tickSeconds\) must be a number from 1 to 86400, not 1e\+300: /);

		const before = Date.now();
		const r = await fed({ nextSendAt: MAX_NEXT_SEND_AT_MS, minSecondsBetween: MAX_PAUSE_SECONDS, tickSeconds: MAX_TICK_SECONDS, leadSeconds: MAX_LEAD_SECONDS }, [{ mailbox: 'default' }]);
		expect(r.status).toBe('success');
		const plan = r.items('Plan')[0].json as { nextSendAt: number; slotCount: number; slots: IDataObject[]; warning?: string };
		// The row's time lay further ahead than these settings write: restarted one pause from now, with a warning naming it.
		expect(plan.warning).toContain('(9999-12-31T23:59:59.999Z) lay further ahead');
		// A pause as long as the run: no slot in this one, and the row moves to a date one pause ahead.
		expect(plan.slotCount).toBe(0);
		expect(plan.nextSendAt).toBeGreaterThanOrEqual(before + (MAX_LEAD_SECONDS + MAX_PAUSE_SECONDS) * 1000 + PACE_MARGIN_MS);
		expect(new Date(plan.nextSendAt).toISOString()).toMatch(/^\d{4}-\d{2}-\d{2}T/);
		// The largest lead and run length with a short pause: slots that are dates.
		const slots = await fed({ nextSendAt: 0, minSecondsBetween: 2, tickSeconds: MAX_TICK_SECONDS, leadSeconds: MAX_LEAD_SECONDS, waiting: 3 }, [{ mailbox: 'default' }]);
		const planned = slots.items('Plan')[0].json as { slotCount: number; slots: IDataObject[] };
		expect(planned.slotCount).toBe(3);
		expect(Date.parse(String(planned.slots[0].notBefore))).toBeGreaterThanOrEqual(before + MAX_LEAD_SECONDS * 1000);
	});

	test('without Continue On Fail the node fails naming the item and the field', async () => {
		const r = await fed({ tickSeconds: 0 }, [{ mailbox: 'default', nextSendAt: 0 }]);
		expect(r.status).toBe('error');
		expect(r.error?.message).toBe('Item 0: "Schedule Interval (Seconds)" (tickSeconds) must be a number from 1 to 86400, not 0 (read once per run, from the first item)');
		expect(r.items('Plan')).toEqual([]);
	});
});
