/**
 * What the shipped workflows store when a reminder leaves (lastDeadline, firstDeadline,
 * claimedCharges, read back by Compute Dunning Level), what a taken-back level does with them, the
 * sender's re-check of an open amount below zero, and a complaint: the reminder stays in force, only
 * the address is blocked. Expressions are resolved by n8n's engine after nodes of the names they read
 * (paired items included); bounce processing's Data Table steps run against in-memory tables (bounce-tables.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { DataTableRow, IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_POLICY, compilePolicy, decide, validateInvoice } from '../../lib/dunning';
import { DEFAULT_DAYS_IN_POST } from '../../lib/dunning/deadline-check';
import { INVOICE_COLUMNS, takeBackColumns } from '../../scripts/workflows/parameters';
import { chain, node, runWorkflow } from '../harness/engine';
import { applyDataTableNode, BOUNCE_PROCESSING, follow, invoicesTable, remindersTable, resolveParameters, type Path } from './bounce-tables';

interface ShippedNode {
	name: string;
	type: string;
	parameters: IDataObject;
}
interface Shipped {
	nodes: ShippedNode[];
	connections: Record<string, { main: Array<Array<{ node: string }> | null> }>;
}

const shipped = (workflow: string): Shipped => JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', `${workflow}.json`), 'utf8')) as Shipped;

function shippedNode(workflow: string, name: string): ShippedNode {
	const found = shipped(workflow).nodes.find((n) => n.name === name);
	if (!found) throw new Error(`${workflow}.json has no "${name}"`);
	return found;
}

/** The columns node `name` of `workflow` writes, resolved after `path` (each node outputs its one item, paired). */
async function written(workflow: string, name: string, path: Path): Promise<IDataObject> {
	const names = [...path.map(([n]) => n), name];
	const r = await runWorkflow({
		nodes: [
			...path.map(([n, json]) => node('evaluate', n, { json: JSON.stringify(json) })),
			// Registered by bounce-tables.ts: outputs its value with every expression resolved.
			node('n8n-nodes-base.resolve', name, { value: shippedNode(workflow, name).parameters as INodeParameters }),
		],
		connections: chain(...names),
		input: { node: names[0], items: [{ json: {} }] },
		timezone: 'Europe/Berlin',
	});
	if (r.status !== 'success') throw new Error(`${name}: ${r.error?.message}`);
	return ((r.items(name)[0].json.value as IDataObject).columns as { value: IDataObject }).value;
}

const today = () => DateTime.now().setZone('Europe/Berlin').toISODate();
const dunning = (level: number) => ({ action: 'send', level, previousLevel: level - 1, fee: 5, flatFee: level === 1 ? 40 : 0, interest: 1.23, totalDue: 146.23, deadline: '2099-03-10', currency: 'EUR' });
const invoice = (over: IDataObject = {}): IDataObject => ({ invoiceId: 'INV-1', openAmount: 100, currency: 'EUR', currentLevel: 0, claimedCharges: null, firstDeadline: null, lastDeadline: null, ...over });

describe('a reminder that leaves stores what it stated and claimed', () => {
	test('dunning_invoices has the three columns in every workflow that creates it', () => {
		expect(INVOICE_COLUMNS).toEqual(expect.arrayContaining([['lastDeadline', 'string'], ['firstDeadline', 'string'], ['claimedCharges', 'number']]));
		for (const workflow of ['dunning-run', 'dunning-run-webhook', 'send-released', 'bounce-processing']) {
			const ensure = shipped(workflow).nodes.filter((n) => n.parameters.operation === 'create' && n.parameters.tableName === 'dunning_invoices');
			expect({ workflow, ensures: ensure.length }).toEqual({ workflow, ensures: 1 });
			const columns = (ensure[0].parameters.columns as { column: Array<{ name: string; type: string }> }).column;
			expect(columns).toEqual(expect.arrayContaining([{ name: 'lastDeadline', type: 'string' }, { name: 'firstDeadline', type: 'string' }, { name: 'claimedCharges', type: 'number' }]));
		}
	});

	test('the sender: the deadline the mail stated (restated from the send day), the level-1 one, the most charges claimed', async () => {
		const sent = (level: number, over: IDataObject) => ({ ...invoice(over), dunning: dunning(level), delivery: { status: 'sent', statedDeadline: '2099-03-12' } });
		const row = (level: number) => ({ id: 7, invoiceId: 'INV-1', level, status: 'sent' });
		const first = await written('send-released', 'Advance Invoice Level', [['Send Reminder Email', sent(1, {})], ['Record Delivery', row(1)], ['Sent?', row(1)]]);
		expect(first).toEqual({ currentLevel: 1, lastDunnedAt: today(), lastDeadline: '2099-03-12', firstDeadline: '2099-03-12', claimedCharges: 46.23 });
		// Level 2: firstDeadline as stored; the larger charges of level 1 stay (the most any reminder asked, not a sum).
		const second = await written('send-released', 'Advance Invoice Level', [
			['Send Reminder Email', sent(2, { currentLevel: 1, firstDeadline: '2099-02-01', lastDeadline: '2099-02-01', claimedCharges: 46.23 })],
			['Record Delivery', row(2)],
			['Sent?', row(2)],
		]);
		expect(second).toMatchObject({ currentLevel: 2, lastDeadline: '2099-03-12', firstDeadline: '2099-02-01', claimedCharges: 46.23 });
		// A Send Reminder Email without statedDeadline (older version): the decided deadline.
		const older = await written('send-released', 'Advance Invoice Level', [['Send Reminder Email', { ...sent(1, {}), delivery: { status: 'sent' } }], ['Record Delivery', row(1)], ['Sent?', row(1)]]);
		expect(older).toMatchObject({ lastDeadline: '2099-03-10', firstDeadline: '2099-03-10' });
	});

	test('the dunning run: the deadline the letter printed (letter day + Days in the Post + period)', async () => {
		const letter = { ...invoice({ claimedCharges: 10 }), dunning: dunning(1), letter: { status: 'created', statedDeadline: '2099-03-15' } };
		expect(await written('dunning-run', 'Advance Level (Paper)', [['Letters Still Ours', letter]])).toEqual({
			currentLevel: 1,
			lastDunnedAt: today(),
			lastDeadline: '2099-03-15',
			firstDeadline: '2099-03-15',
			claimedCharges: 46.23,
		});
	});

	test('the webhook run: no deadline (your ERP prints its own and posts the letter), the charges its answer gives to print', async () => {
		const payload = JSON.stringify({ ...invoice({ currentLevel: 1, firstDeadline: '2099-02-01', claimedCharges: 50 }), dunning: dunning(2) });
		const row = { id: 3, invoiceId: 'INV-1', level: 2, status: 'paper', payload };
		expect(await written('dunning-run-webhook', 'Advance Level (Paper)', [['Released by This Run?', row]])).toEqual({
			currentLevel: 2,
			lastDunnedAt: today(),
			lastDeadline: '',
			firstDeadline: '2099-02-01',
			claimedCharges: 50,
		});
		// Level 1: no first deadline either.
		const first = { id: 4, invoiceId: 'INV-1', level: 1, status: 'paper', payload: JSON.stringify({ ...invoice(), dunning: dunning(1) }) };
		expect(await written('dunning-run-webhook', 'Advance Level (Paper)', [['Released by This Run?', first]])).toEqual({
			currentLevel: 1,
			lastDunnedAt: today(),
			lastDeadline: '',
			firstDeadline: '',
			claimedCharges: 46.23,
		});
	});

	test('the webhook run: Compute waits for the posted letter (release day + Days in the Post + period + arrival), for the next stage and for interest', async () => {
		const policy = compilePolicy({ ...DEFAULT_POLICY, stages: DEFAULT_POLICY.stages.map((s) => ({ ...s, channel: 'letter' as const })) });
		const { paymentDeadlineDays, paymentArrivalDays } = policy.policy;
		const D = today()!;
		const add = (days: number) => DateTime.fromISO(D).plus({ days }).toISODate()!;
		const base = { invoiceId: 'INV-1', customerId: 'K1', customerType: 'consumer', invoiceDate: add(-60), dueDate: add(-30), currency: 'EUR', amount: 100, openAmount: 100 };
		// The decision of the release day (level 0 -> 1, paper) as Compute gives it, with its dunning.deadline.
		const v0 = validateInvoice({ ...base, currentLevel: 0 }, policy);
		if (!v0.ok) throw new Error(JSON.stringify(v0.problems));
		const decided = decide(v0.invoice, policy, D);
		expect({ action: decided.action, level: decided.level }).toEqual({ action: 'paper', level: 1 });
		const row = { id: 4, invoiceId: 'INV-1', level: 1, status: 'paper', payload: JSON.stringify({ ...base, currentLevel: 0, claimedCharges: null, dunning: decided }) };
		const columns = await written('dunning-run-webhook', 'Advance Level (Paper)', [['Released by This Run?', row]]);
		const v = validateInvoice({ ...base, ...columns }, policy);
		if (!v.ok) throw new Error(JSON.stringify(v.problems));
		let next: { day: string; decision: ReturnType<typeof decide> } | null = null;
		for (let i = 1; i <= 60 && !next; i++) {
			const decision = decide(v.invoice, policy, add(i));
			if (decision.action !== 'none') next = { day: add(i), decision };
		}
		const deadline = add(DEFAULT_DAYS_IN_POST + paymentDeadlineDays);
		expect(next).not.toBeNull();
		// Not before the day after the letter's deadline + Days for Payment to Arrive (business days: at least as many days).
		const notBefore = add(DEFAULT_DAYS_IN_POST + paymentDeadlineDays + 1 + paymentArrivalDays);
		expect({ next: next!.day, early: next!.day < notBefore }).toEqual({ next: next!.day, early: false });
		// Default (interest) from the day after that deadline, not from the day after dunning.deadline.
		expect(next!.decision.interestPeriods.length).toBeGreaterThan(0);
		const from = next!.decision.interestPeriods[0].from;
		expect({ from, early: from <= deadline }).toEqual({ from, early: false });
		// '' is no deadline on file: Compute estimated it.
		expect({ lastDeadline: v.invoice.lastDeadline, firstDeadline: v.invoice.firstDeadline, lastDunnedAt: v.invoice.lastDunnedAt }).toEqual({ lastDeadline: null, firstDeadline: null, lastDunnedAt: D });
	});

	test('a stage without a channel counts its level and states nothing', async () => {
		const out = await written('dunning-run', 'Count Level (No Channel)', [['Stage Without Channel?', { ...invoice(), dunning: { ...dunning(3), action: 'none', reason: 'noChannel', deadline: null } }]]);
		expect(Object.keys(out).sort()).toEqual(['currentLevel', 'lastDunnedAt']);
	});
});

describe('a level taken back (the customer never got that reminder)', () => {
	// The row's payload: the decided item at release, with the invoice's claimedCharges before this reminder.
	const payload = JSON.stringify({ ...invoice({ currentLevel: 1, claimedCharges: 10 }), dunning: dunning(2) });
	const reminder = { id: 5, invoiceId: 'INV-1', level: 2, previousLevel: 1, previousLastDunnedAt: '2099-01-10', bounceCategory: 'addressDead', payload };
	const stored = { id: 1, invoiceId: 'INV-1', currentLevel: 2, lastDunnedAt: '2099-02-10', lastDeadline: '2099-02-24', firstDeadline: '2099-01-24', claimedCharges: 46.23 };

	test('Take Back Level clears lastDeadline (its deadline binds no one), keeps firstDeadline, puts claimedCharges back to before the reminder', async () => {
		const out = await written('bounce-processing', 'Take Back Level', [['Mark Reminder Not Delivered', reminder], ['Load Invoice', stored]]);
		expect(out).toMatchObject({ currentLevel: 1, lastDunnedAt: '2099-01-10', lastDeadline: '', claimedCharges: 10 });
		expect(out).not.toHaveProperty('firstDeadline');
		// A late report (the invoice moved on since): nothing of the later reminder is undone.
		const late = await written('bounce-processing', 'Take Back Level', [['Mark Reminder Not Delivered', { ...reminder, level: 1, previousLevel: 0 }], ['Load Invoice', stored]]);
		expect(late).toMatchObject({ currentLevel: 2, lastDunnedAt: '2099-02-10', lastDeadline: '2099-02-24', claimedCharges: 46.23 });
	});

	test.each([
		['no claimedCharges in it (none claimed before)', JSON.stringify({ invoiceId: 'INV-1', dunning: dunning(2) })],
		['not JSON (edited by hand)', '{"invoiceId": "INV-1", '],
		['empty', ''],
	])('a payload with %s: the take-back still runs, with no charges claimed (0)', async (_what, broken) => {
		const out = await written('bounce-processing', 'Take Back Level', [['Mark Reminder Not Delivered', { ...reminder, payload: broken }], ['Load Invoice', stored]]);
		expect(out).toMatchObject({ currentLevel: 1, lastDeadline: '', claimedCharges: 0 });
		const sender = await written('bounce-processing', 'Take Back Level (Sender)', [['Mark Sender Refusal', { ...reminder, payload: broken }], ['Load Invoice (Sender)', stored]]);
		expect(sender).toMatchObject({ currentLevel: 1, claimedCharges: 0 });
	});

	test('Take Back Level (Sender) clears it too and puts claimedCharges back, only while the invoice is at that level', async () => {
		const sender = { ...reminder, bounceCategory: 'senderRejected' };
		expect(await written('bounce-processing', 'Take Back Level (Sender)', [['Mark Sender Refusal', sender], ['Load Invoice (Sender)', stored]])).toMatchObject({
			currentLevel: 1,
			lastDunnedAt: '2099-01-10',
			lastDeadline: '',
			claimedCharges: 10,
		});
		// A late report (the invoice moved on since): nothing of the later reminder is undone.
		const late = await written('bounce-processing', 'Take Back Level (Sender)', [['Mark Sender Refusal', { ...sender, level: 1, previousLevel: 0 }], ['Load Invoice (Sender)', stored]]);
		expect(late).toMatchObject({ currentLevel: 2, lastDunnedAt: '2099-02-10', lastDeadline: '2099-02-24', claimedCharges: 46.23 });
	});

	test('both take-back writers write the same columns (takeBackColumns, then the refusal count: returnedReminderColumns)', () => {
		const columnsOf = (name: string) => Object.keys((shippedNode('bounce-processing', name).parameters.columns as { value: IDataObject }).value);
		const level = Object.keys(takeBackColumns('$json'));
		expect(columnsOf('Take Back Level (Sender)')).toEqual([...level, 'emailRefusals', 'emailRefusedAt', 'emailRefusedLevel']);
		expect(columnsOf('Take Back Level')).toEqual([...level, 'emailRefusals', 'emailRefusedAt', 'emailRefusedLevel']);
	});
});

describe('the sender re-checks an open amount below zero as Compute does (claimedCharges)', () => {
	type Items = Array<{ json: IDataObject }>;
	/** Still to Send? as n8n runs it: `Restore Reminder`'s items, the invoice rows as its input. */
	function stillToSend(reminder: IDataObject, row: IDataObject): IDataObject {
		const code = String(shippedNode('send-released', 'Still to Send?').parameters.jsCode);
		const items = (rows: IDataObject[]): Items => rows.map((json) => ({ json }));
		const $input = { all: () => items([row]), first: () => items([row])[0] };
		const $ = (name: string) => {
			if (name !== 'Restore Reminder') throw new Error(`reads ${name}`);
			return { all: () => items([reminder]), first: () => ({ json: reminder }) };
		};
		const run = new Function('$input', '$', '$now', 'DateTime', code) as (i: typeof $input, d: typeof $, now: DateTime, luxon: typeof DateTime) => Items;
		return run($input, $, DateTime.now().setZone('Europe/Berlin'), DateTime)[0].json;
	}
	const reminder = { invoiceId: 'INV-1', reminderKey: 'INV-1#2#email', email: 'a@kunde.example', openAmount: 100, dunning: { level: 2, previousLevel: 1, deadline: '2099-03-10', currency: 'EUR' } };
	const row = (openAmount: number, claimedCharges: number | null) => ({ invoiceId: 'INV-1', email: 'a@kunde.example', currentLevel: 1, openAmount, claimedCharges });

	test.each([
		[-46.23, 46.23, 'chargesPaid'],
		[-46.24, 46.23, 'chargesPaid'], // a cent of rounding, as lib/dunning/charges.ts belowZero
		[-46.25, 46.23, 'credit'],
		[-10, 46.23, 'chargesPaid'], // part of the charges paid
		[-10, null, 'credit'], // no charges known: a credit, as before
		[-10, 0, 'credit'],
	])('open amount %p with claimedCharges %p: withdrawn as %s', (openAmount, claimed, reason) => {
		expect(stillToSend(reminder, row(openAmount, claimed)).withdrawn).toMatchObject({ reason });
	});

	test('the rule matches lib/dunning/charges.ts belowZero on the same amounts (JPY and CHF too)', async () => {
		const { belowZero } = await import('../../lib/dunning/charges');
		for (const [openAmount, claimedCharges, currency] of [[-46.24, 46.23, 'EUR'], [-46.25, 46.23, 'EUR'], [-500, 499, 'JPY'], [-501, 499, 'JPY'], [-502, 499, 'JPY'], [-123.5, 123.47, 'CHF'], [-123.52, 123.47, 'CHF']] as const) {
			const lib = belowZero({ openAmount, claimedCharges, currency });
			const out = stillToSend({ ...reminder, dunning: { ...reminder.dunning, currency } }, { ...row(openAmount, claimedCharges), currency });
			expect({ openAmount, currency, reason: out.withdrawn && (out.withdrawn as IDataObject).reason }).toEqual({ openAmount, currency, reason: lib!.creditMinor > 0 ? 'credit' : 'chargesPaid' });
		}
	});
});

describe('a complaint: the reminder reached the customer', () => {
	const MID = '<dunning.7.77777777777777777777777777777777@shop.example>';
	const reminderRow = (): DataTableRow => ({
		reminderKey: 'RE-7#2#email',
		invoiceId: 'RE-7',
		customerId: 'K-7',
		email: 'a@kunde.example',
		level: 2,
		previousLevel: 1,
		previousLastDunnedAt: '2099-01-10',
		status: 'sent',
		messageId: MID,
		mailbox: 'default',
		note: '',
	});
	const invoiceRow = (): DataTableRow => ({ invoiceId: 'RE-7', customerId: 'K-7', email: 'a@kunde.example', currentLevel: 2, lastDunnedAt: '2099-02-10', lastDeadline: '2099-02-24', emailBlocked: false, emailBlockedAddress: '', dunningBlock: false });
	const complaint = { category: 'complaint', reason: 'feedback', status: '', originalMessageId: MID, recipient: 'a@kunde.example', diagnostic: '' };

	test('Reached Another Address? sends a complaint to Complaint?, which marks it and blocks the address, never Mark Reminder Not Delivered', () => {
		const out = (name: string) => (BOUNCE_PROCESSING.connections[name]?.main ?? []).map((o) => (o ?? []).map((c) => c.node));
		expect(out('Reached Another Address?')[1]).toEqual(['Complaint?']);
		expect(out('Complaint?')).toEqual([['New Complaint?'], ['Mark Reminder Not Delivered']]);
		expect(out('New Complaint?')).toEqual([['Mark Complaint']]);
		// Only the block: no key given up, no level taken back, no refusal counted.
		expect(out('Mark Complaint')).toEqual([['Address Dead?']]);
	});

	test('the reminder stays in force (delivered, category complaint, its key kept), the level stays, the address is blocked; read again, nothing changes', async () => {
		const reminders = remindersTable([reminderRow()]);
		const invoices = invoicesTable([invoiceRow()]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		const run = async () => {
			const reached = { bounce: complaint, reachedOthers: false, failed: 'a@kunde.example', failedAddresses: ['a@kunde.example'], elsewhere: false, note: String(reminders.rows[0].note ?? '') };
			const loaded = JSON.parse(JSON.stringify(reminders.rows[0])) as IDataObject;
			const path: Path = [['Settings', { mailbox: 'default', ownDomains: '' }], ['Load Reminder', loaded], ['Reached Another Address?', reached], ['Complaint?', reached]];
			// New Complaint? (a Filter on the row as loaded) lets only a complaint not marked before through.
			const filter = (await resolveParameters('New Complaint?', path)) as unknown as { conditions: { conditions: Array<{ leftValue: unknown }> } };
			if (filter.conditions.conditions[0].leftValue !== true) return false;
			const marked = await applyDataTableNode('Mark Complaint', [...path, ['New Complaint?', reached]], tables);
			expect(marked).toHaveLength(1);
			const markPath: Path = [...path, ['New Complaint?', reached], ['Mark Complaint', marked[0]]];
			expect((await follow('Mark Complaint', marked[0], tables, path)).map((r) => r.node)).toEqual(['Address Dead?']);
			await follow('Address Dead?', marked[0], tables, markPath);
			return true;
		};
		expect(await run()).toBe(true);
		expect(reminders.rows[0]).toMatchObject({ status: 'delivered', bounceCategory: 'complaint', bounceReason: 'feedback', reminderKey: 'RE-7#2#email' });
		expect(String(reminders.rows[0].note)).toMatch(/^complaint .* from a@kunde\.example: the customer reported the reminder as spam; it arrived/);
		expect(invoices.rows[0]).toMatchObject({ currentLevel: 2, lastDunnedAt: '2099-02-10', lastDeadline: '2099-02-24', emailBlocked: true, emailBlockedAddress: 'a@kunde.example' });
		const { note, bouncedAt } = reminders.rows[0];
		// The operator clears the block (the customer asked for e-mail again); the same report read
		// again (a manual run, a run that failed before Confirm Read Position) must not block it again.
		invoices.rows[0].emailBlocked = false;
		invoices.rows[0].emailBlockedAddress = '';
		await new Promise((resolve) => setTimeout(resolve, 5));
		expect(await run()).toBe(false);
		expect(reminders.rows[0]).toMatchObject({ status: 'delivered', reminderKey: 'RE-7#2#email', note, bouncedAt });
		expect(invoices.rows[0]).toMatchObject({ currentLevel: 2, emailBlocked: false, emailBlockedAddress: '' });
	});
});

describe('the summaries', () => {
	/** A Code node's text as n8n runs it, `nodes[name]` being the items of each output of that node (one run). */
	function runCode(code: string, nodes: Record<string, IDataObject[][]>): IDataObject {
		const items = (rows: IDataObject[]) => rows.map((json) => ({ json }));
		const $ = (name: string) => {
			if (!(name in nodes)) throw new Error(`the node reads ${name}`);
			const all = (output = 0, run = 0) => {
				if (run > 0) throw new Error(`${name} ran once`);
				return items(nodes[name][output] ?? []);
			};
			return { all, first: () => ({ json: nodes[name][0][0] }), isExecuted: nodes[name].some((o) => o.length > 0) };
		};
		const run = new Function('$input', '$', '$now', 'DateTime', code) as (i: unknown, d: typeof $, now: DateTime, luxon: typeof DateTime) => Array<{ json: IDataObject }>;
		return run({ all: () => [] }, $, DateTime.now().setZone('Europe/Berlin'), DateTime)[0].json;
	}

	test.each(['dunning-run', 'dunning-run-webhook'])('%s: Run Summary lists a reminder\'s charges paid among those a person acts on (book them as received)', (workflow) => {
		const decided = (invoiceId: string, reason: string) => ({ invoiceId, customerId: 'K1', dunning: { action: 'none', level: 1, reason, message: `${reason} message`, totalDue: 0 } });
		const summary = runCode(String(shippedNode(workflow, 'Run Summary').parameters.jsCode), {
			'Compute Dunning Level': [[], [], [decided('GS-1', 'credit'), decided('RE-2', 'chargesPaid'), decided('RE-3', 'paid')]],
			'Release Reminder': [[]],
		});
		expect(summary.heldBack).toEqual([
			{ invoiceId: 'GS-1', customerId: 'K1', reason: 'credit', message: 'credit message' },
			{ invoiceId: 'RE-2', customerId: 'K1', reason: 'chargesPaid', message: 'chargesPaid message' },
		]);
	});

	test('Bounce Summary lists a complaint under complaints and its customer as blocked, not as not delivered', () => {
		const complained = { id: 9, invoiceId: 'RE-7', customerId: 'K-7', level: 2, email: 'a@kunde.example', status: 'delivered', bounceCategory: 'complaint', messageId: '<m>' };
		const nodes: Record<string, IDataObject[][]> = { 'Read Mailbox': [[{}]], 'Mark Complaint': [[complained]] };
		const tolerant = new Proxy(nodes, { has: () => true, get: (target, name: string) => target[name] ?? [[]] });
		const summary = runCode(String(shippedNode('bounce-processing', 'Bounce Summary').parameters.jsCode), tolerant);
		expect(summary.complaints).toEqual([{ invoiceId: 'RE-7', customerId: 'K-7', level: 2, email: 'a@kunde.example', status: 'delivered' }]);
		expect(summary.customersBlocked).toEqual(['K-7']);
		expect(summary.remindersNotDelivered).toEqual([]);
	});
});
