/**
 * Delivery outcomes of the shipped sender: what Record Delivery writes for a reminder whose outcome
 * is unknown, and why the tick fails. The expressions are taken from the workflow JSON and evaluated
 * by n8n's engine (a Set-like test node fed by nodes of the names they read), as in refusal-count.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { BLOCKED_ADDRESSES_CODE, INVOICE_ROWS_CODE, ONE_INVOICE_PER_ITEM_CODE, STILL_TO_SEND_CODE, WITH_LEDGER_CODE } from '../../scripts/workflows/code-nodes';
import { chain, node, runWorkflow } from '../harness/engine';

type ShippedNode = { name: string; parameters: IDataObject };

function shippedNode(workflow: string, name: string): ShippedNode {
	const wf = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', `${workflow}.json`), 'utf8')) as { nodes: ShippedNode[] };
	const found = wf.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`${workflow}.json has no "${name}"`);
	return found;
}

/** The body of a `={{ … }}` expression, or the value as a JSON literal. */
const inner = (value: unknown): string => (typeof value === 'string' && value.startsWith('={{') ? value.replace(/^=\{\{|\}\}$/g, '') : JSON.stringify(value));

/** Evaluates `expression` (a `={{ { … } }}` object) after nodes of the given names, the last one being $json. */
async function evaluate(upstream: Array<[string, IDataObject]>, expression: string): Promise<IDataObject> {
	const names = upstream.map(([name]) => name);
	const r = await runWorkflow({
		nodes: [
			...upstream.map(([name, json]) => node('evaluate', name, { json: JSON.stringify(json) })),
			// In the workflow, not run: the second count of a save that found the mailbox's row changed (saveMailboxHealth).
			...(names.includes('Record Send Result (Reloaded)') ? [] : [node('noOp', 'Record Send Result (Reloaded)')]),
			node('evaluate', 'Result', { json: expression }),
		],
		connections: chain(...names, 'Result'),
		input: { node: names[0], items: [{ json: {} }] },
		timezone: 'Europe/Berlin',
	});
	expect(r.status).toBe('success');
	return r.items('Result')[0].json;
}

const settings = { mailbox: 'default', minSecondsBetween: 60, tickSeconds: 60, leaseMinutes: 15, giveUpAfterAttempts: 20 };

/** The reminder row as Record Delivery would write it. */
async function recorded(delivery: IDataObject, claim: IDataObject): Promise<IDataObject> {
	const values = (shippedNode('send-released', 'Record Delivery').parameters.columns as { value: Record<string, unknown> }).value;
	const body = Object.entries(values).map(([k, v]) => `${JSON.stringify(k)}: (${inner(v)})`).join(', ');
	const item = { invoiceId: 'INV-1', level: 2, claim: { rowId: 7, id: 'exec-1', leaseUntil: Date.now() + 15 * 60000, previousAttempts: 0, previousError: '', previousNote: '', ...claim }, delivery };
	return evaluate([['Settings', settings], ['Item', item]], `={{ { ${body} } }}`);
}

const unknownOutcome = {
	status: 'deferred',
	reason: 'outcomeUnknown',
	attempts: 1,
	messageId: '<dunning.2.abc@shop.example>',
	smtpResponse: null,
	error: 'Connection closed after the whole message was transmitted, before the server confirmed it.',
};
const fullMailbox = { status: 'deferred', reason: 'temporary', attempts: 1, messageId: '<dunning.2.abc@shop.example>', smtpResponse: '452 4.2.2 Mailbox full', smtpCommand: 'RCPT TO' };

describe('a reminder whose outcome is unknown (send-released.json)', () => {
	test('the first unknown outcome is sent once more, the second for the same reminder is unclear and never re-queued', async () => {
		const first = await recorded(unknownOutcome, { previousAttempts: 0 });
		expect(first).toMatchObject({ status: 'deferred', messageId: '<dunning.2.abc@shop.example>', attempts: 1 });
		expect(String(first.note)).toMatch(/^outcome unknown once/);
		// Another attempt refused for now in between keeps the note.
		const between = await recorded(fullMailbox, { previousAttempts: 1, previousNote: first.note as string });
		expect(between).toMatchObject({ status: 'deferred', note: first.note });
		const second = await recorded(unknownOutcome, { previousAttempts: 2, previousNote: between.note as string });
		expect(second).toMatchObject({ status: 'unclear', attempts: 3 });
		expect(String(second.note)).toMatch(/^outcome unknown twice/);
		// Neither the requeue nor the expired-claims update picks an unclear row.
		for (const name of ['Requeue Due Reminders', 'Give Back Expired Claims']) {
			const conditions = (shippedNode('send-released', name).parameters.filters as { conditions: Array<{ keyName: string; keyValue: unknown }> }).conditions;
			expect(conditions.filter((c) => c.keyName === 'status').map((c) => c.keyValue)).not.toContain('unclear');
		}
	});

	test('a reminder sent after one unknown outcome, or given back unsent, keeps the note; others get none', async () => {
		const note = 'outcome unknown once: sent once more with the same Message-ID';
		const sent = await recorded({ status: 'sent', attempts: 1, messageId: '<m>', smtpResponse: '250 OK' }, { previousNote: note });
		expect(sent).toMatchObject({ status: 'sent', note });
		const notSent = await recorded({ status: 'notSent', attempts: 0, messageId: '<m>' }, { previousNote: note });
		expect(notSent).toMatchObject({ status: 'released', note });
		const plain = await recorded({ status: 'sent', attempts: 1, messageId: '<m>', smtpResponse: '250 OK' }, { previousNote: 'withdrawn before sending (paid): …' });
		expect(plain).toMatchObject({ status: 'sent', note: '' });
	});

	test('Restore Reminder hands the row note on to Record Delivery', async () => {
		const restore = shippedNode('send-released', 'Restore Reminder').parameters.jsonOutput as string;
		const row = { id: 7, claimId: 'exec-1', leaseUntil: 1, attempts: 1, error: '', note: 'outcome unknown once: x', reminderKey: 'INV-1#2#email', payload: JSON.stringify({ invoiceId: 'INV-1' }) };
		const out = await evaluate([['Plan Sending Slots', { slots: [{ slotAt: 1 }] }], ['Claim Reminder', row]], restore);
		expect(out).toMatchObject({ invoiceId: 'INV-1', claim: { rowId: 7, previousAttempts: 1, previousNote: 'outcome unknown once: x' } });
	});

	test('a tick that leaves a reminder unclear fails naming the invoice and what to check (Dunning alert mails it)', async () => {
		const stopped = shippedNode('send-released', 'Sending Stopped?').parameters.conditions as { conditions: Array<{ leftValue: string }> };
		const message = shippedNode('send-released', 'Fail With Cause').parameters.errorMessage as string;
		expect(stopped.conditions[0].leftValue).toBe(message);
		const health = { mailboxHealth: { stopMessage: '' } };
		const failing = await evaluate(
			[['Record Send Result', health], ['Record Delivery', { id: 7, invoiceId: 'INV-1', level: 2, status: 'unclear' }]],
			`={{ { message: ${inner(message)} } }}`,
		);
		expect(failing.message).toMatch(/^Reminder for invoice "INV-1" \(level 2, row 7 of dunning_reminders\) may have arrived twice without a clear answer from the server/);
		expect(failing.message).toMatch(/set the status of that row to sent .* or to released/);
		const quiet = await evaluate([['Record Send Result', health], ['Record Delivery', { id: 7, invoiceId: 'INV-1', level: 2, status: 'deferred' }]], `={{ { message: ${inner(message)} } }}`);
		expect(quiet.message).toBe('');
		const paused = await evaluate(
			[['Record Send Result', { mailboxHealth: { stopMessage: 'Mailbox "default" is paused.' } }], ['Record Delivery', { id: 7, invoiceId: 'INV-1', level: 2, status: 'sent' }]],
			`={{ { message: ${inner(message)} } }}`,
		);
		expect(paused.message).toBe('Mailbox "default" is paused.');
	});
});

type Items = Array<{ json: IDataObject }>;
/**
 * A Code node's text run as n8n runs it (a function body over `$input` and `$()`), with `nodes` as
 * what `$(name).all()` returns (a node given no items did not run).
 */
function runCode(code: string, input: IDataObject[], nodes: Record<string, IDataObject[]> = {}): IDataObject[] {
	const items = (rows: IDataObject[]): Items => rows.map((json) => ({ json }));
	const $input = { all: () => items(input), first: () => items(input)[0] };
	const $ = (name: string) => {
		if (!(name in nodes)) throw new Error(`the node reads ${name}`);
		return { all: () => items(nodes[name]), first: () => ({ json: nodes[name][0] }), itemMatching: (i: number) => ({ json: nodes[name][i] }), isExecuted: nodes[name].length > 0 };
	};
	const run = new Function('$input', '$', '$now', 'DateTime', code) as (i: typeof $input, d: typeof $, now: DateTime, luxon: typeof DateTime) => Items;
	return run($input, $, DateTime.now().setZone('Europe/Berlin'), DateTime).map((item) => item.json);
}

describe('Group by Customer in the shipped dunning run (dunning-run.json)', () => {
	/** Compute Dunning Level's Send and Paper items, as the shipped run's Compute makes them. */
	async function computed(groupByCustomer: boolean): Promise<IDataObject[]> {
		const day = (offset: number) => DateTime.now().setZone('Europe/Berlin').plus({ days: offset }).toISODate();
		const inv = (invoiceId: string, customerId: string) => ({ invoiceId, customerId, email: `${customerId}@kunde.example`, dueDate: day(-30), invoiceDate: day(-40), openAmount: 100, currency: 'EUR', currentLevel: 0 });
		const params = shippedNode('dunning-run', 'Compute Dunning Level').parameters;
		const r = await runWorkflow({
			nodes: [node('noOp', 'Load'), node('computeDunningLevel', 'Compute Dunning Level', { ...params, options: { groupByCustomer } })],
			connections: chain('Load', 'Compute Dunning Level'),
			input: { node: 'Load', items: [inv('A1', 'K1'), inv('A2', 'K1'), inv('B1', 'K2'), inv('B2', 'K2')].map((json) => ({ json })) },
			timezone: 'Europe/Berlin',
		});
		expect(r.status).toBe('success');
		return [0, 1].flatMap((output) => r.items('Compute Dunning Level', output).map((i) => i.json));
	}

	test('collective reminders stop the run naming the option, before anything is released', async () => {
		const grouped = await computed(true);
		expect(grouped).toHaveLength(2);
		expect(() => runCode(ONE_INVOICE_PER_ITEM_CODE, grouped)).toThrow(
			/^Group by Customer is switched on in Compute Dunning Level \(Options\): it made one item per customer \(K1, K2\).*per invoice.*Nothing was released\. Turn Group by Customer off/,
		);
		// One item per invoice, as shipped: nothing to say, and nothing goes on from the check.
		const perInvoice = await computed(false);
		expect(perInvoice).toHaveLength(4);
		expect(runCode(ONE_INVOICE_PER_ITEM_CODE, perInvoice)).toEqual([]);
	});

	test('the check takes Send and Paper and, with execution order v1, runs before any release node', () => {
		const wf = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'dunning-run.json'), 'utf8')) as {
			nodes: Array<ShippedNode & { position: [number, number]; parameters: { jsCode?: string } }>;
			connections: Record<string, { main: Array<Array<{ node: string }>> }>;
			settings: { executionOrder: string };
		};
		expect(wf.settings.executionOrder).toBe('v1');
		const check = wf.nodes.find((n) => n.parameters.jsCode === ONE_INVOICE_PER_ITEM_CODE);
		expect(check).toBeDefined();
		const outputs = wf.connections['Compute Dunning Level'].main;
		expect([0, 1].map((o) => outputs[o].some((c) => c.node === check!.name))).toEqual([true, true]);
		// v1 runs the children of a node top first (smallest y): the check above every other child.
		const others = outputs.flat().filter((c) => c.node !== check!.name).map((c) => wf.nodes.find((n) => n.name === c.node)!);
		expect(others.length).toBeGreaterThan(0);
		for (const other of others) expect(check!.position[1]).toBeLessThan(other.position[1]);
	});
});

describe('an e-mail block is tied to the address that failed (emailBlockedAddress)', () => {
	const row = (invoiceId: string, customerId: string, email: string, extra: IDataObject = {}): IDataObject => ({ invoiceId, customerId, email, openAmount: 100, currentLevel: 1, emailBlocked: false, ...extra });
	const deadOld = { emailBlocked: true, emailBlockedAddress: 'old@kunde.example' };

	/**
	 * What Addresses to Block → Block Customer Email of `workflow` write on the reminder's own invoice row
	 * (not blocked before) for the reminder row `reminder` (`reached`: Reached Another Address?'s item).
	 */
	async function blockWritten(workflow: string, reached: IDataObject | null, reminder: IDataObject): Promise<IDataObject> {
		const own = { id: 1, invoiceId: 'INV-1', customerId: 'K-1', email: reminder.email, emailBlocked: false, emailBlockedAddress: '' };
		const nodes = { 'Address Dead?': [{ invoiceId: 'INV-1', customerId: 'K-1', ...reminder }], ...(reached ? { 'Reached Another Address?': [reached] } : {}) };
		const out = runCode(String(shippedNode(workflow, 'Addresses to Block').parameters.jsCode), [own], nodes);
		expect(out).toHaveLength(1);
		const values = (shippedNode(workflow, 'Block Customer Email').parameters.columns as { value: IDataObject }).value;
		const body = Object.entries(values).map(([k, v]) => `${JSON.stringify(k)}: (${inner(v)})`).join(', ');
		return evaluate([['Addresses to Block', out[0]]], `={{ { ${body} } }}`);
	}
	const TWO = 'Buchhaltung <A@Kunde.example>, b@kunde.example';

	test('bounce processing writes the address that failed (lower case), not the reminder\'s whole list', async () => {
		// The complaint came from a: b still works, and only a is blocked.
		const one = await blockWritten('bounce-processing', { failed: 'a@kunde.example', failedAddresses: ['a@kunde.example'] }, { email: TWO });
		expect(one).toEqual({ emailBlocked: true, emailBlockedAddress: 'a@kunde.example' });
		// Both dead in this run: both.
		const both = await blockWritten('bounce-processing', { failedAddresses: ['a@kunde.example', 'b@kunde.example'] }, { email: TWO });
		expect(both.emailBlockedAddress).toBe('a@kunde.example, b@kunde.example');
		// No address of the reminder named (a complaint without one): its whole list.
		const none = await blockWritten('bounce-processing', { failed: '', failedAddresses: [] }, { email: TWO });
		expect(none.emailBlockedAddress).toBe('a@kunde.example, b@kunde.example');
	});

	test('the sender writes the reminder\'s list in lower case (refused at send time only when every address was)', async () => {
		expect(await blockWritten('send-released', null, { email: TWO })).toEqual({ emailBlocked: true, emailBlockedAddress: 'a@kunde.example, b@kunde.example' });
	});

	test('a block holds while the row shows ANY failed address: dropping the working one keeps it, dropping the dead one lifts it', () => {
		const both = { emailBlocked: true, emailBlockedAddress: 'a@kunde.example, b@kunde.example' };
		const onlyA = { emailBlocked: true, emailBlockedAddress: 'a@kunde.example' };
		const out = runCode(BLOCKED_ADDRESSES_CODE, [
			row('BOTH-DEAD-B-DROPPED', 'K-1', 'A@kunde.example', both),
			row('A-DEAD-B-DROPPED', 'K-2', 'a@kunde.example', onlyA),
			row('A-DEAD-A-DROPPED', 'K-3', 'b@kunde.example', onlyA),
			row('A-DEAD-AS-WAS', 'K-4', 'a@kunde.example, b@kunde.example', onlyA),
		]);
		expect(out.map((o) => [o.invoiceId, o.emailBlocked])).toEqual([
			['BOTH-DEAD-B-DROPPED', true],
			['A-DEAD-B-DROPPED', true],
			['A-DEAD-A-DROPPED', false],
			['A-DEAD-AS-WAS', true],
		]);
		const reminder = (invoiceId: string, email: string): IDataObject => ({ invoiceId, reminderKey: `${invoiceId}#2#email`, email, openAmount: 100, dunning: { level: 2 } });
		const sent = runCode(STILL_TO_SEND_CODE, [row('S', 'K-1', 'a@kunde.example', both)], { 'Restore Reminder': [reminder('S', 'a@kunde.example')] });
		expect((sent[0].withdrawn as { reason?: string }).reason).toBe('emailBlocked');
	});

	test('dunning run: the customer\'s other invoices showing a failed address, alone or in any order, are blocked; others are not', () => {
		const out = runCode(BLOCKED_ADDRESSES_CODE, [
			row('DEAD', 'K-1', 'a@kunde.example, b@kunde.example', { emailBlocked: true, emailBlockedAddress: 'a@kunde.example' }),
			row('JUST-A', 'K-1', 'A@kunde.example'),
			row('B-A', 'K-1', 'b@kunde.example; Anna <a@kunde.example>'),
			row('JUST-B', 'K-1', 'b@kunde.example'),
			row('OTHER-CUSTOMER', 'K-2', 'a@kunde.example'),
			// Blocked by an older version (no address): its whole list blocks, in any order, not one address of it.
			row('OLD', 'K-3', 'c@kunde.example, d@kunde.example', { emailBlocked: true, emailBlockedAddress: '' }),
			row('OLD-REORDERED', 'K-3', 'd@kunde.example, c@kunde.example'),
			row('OLD-JUST-C', 'K-3', 'c@kunde.example'),
		]);
		expect(out.map((o) => [o.invoiceId, o.emailBlocked])).toEqual([
			['DEAD', true],
			['JUST-A', true],
			['B-A', true],
			['JUST-B', false],
			['OTHER-CUSTOMER', false],
			['OLD', true],
			['OLD-REORDERED', true],
			['OLD-JUST-C', false],
		]);
	});

	test('webhook run: a posted invoice showing a failed address of another row of its customer is blocked and saved with that address', () => {
		// Load Blocked Address finds the customer's blocked rows whatever address they show now.
		const dead = row('INV-1', 'K-1', 'b@kunde.example', { emailBlocked: true, emailBlockedAddress: 'a@kunde.example' });
		const posted = { invoiceId: 'INV-2', customerId: 'K-1', email: 'b@kunde.example, A@kunde.example', openAmount: 80 };
		const nodes = { 'Invoices from Request': [posted], 'Load Known Invoice': [], 'Load Blocked Address': [dead] };
		expect(runCode(WITH_LEDGER_CODE, [], nodes)[0]).toMatchObject({ invoiceId: 'INV-2', emailBlocked: true });
		expect(runCode(INVOICE_ROWS_CODE, [], nodes)[0]).toMatchObject({ invoiceId: 'INV-2', emailBlocked: true, emailBlockedAddress: 'a@kunde.example' });
		const elsewhere = { ...posted, invoiceId: 'INV-3', email: 'b@kunde.example' };
		const other = { 'Invoices from Request': [elsewhere], 'Load Known Invoice': [], 'Load Blocked Address': [dead] };
		expect(runCode(WITH_LEDGER_CODE, [], other)[0]).toEqual(elsewhere);
	});

	test('dunning run: once the ERP corrects the address, e-mail resumes there; the old address stays blocked', () => {
		const out = runCode(BLOCKED_ADDRESSES_CODE, [
			row('CORRECTED', 'K-1', 'new@kunde.example', deadOld),
			row('NEW', 'K-1', 'new@kunde.example'),
			row('STILL-OLD', 'K-1', 'old@kunde.example'),
			row('BLOCKED', 'K-2', 'b@kunde.example', { emailBlocked: true, emailBlockedAddress: 'b@kunde.example' }),
			// Blocked by an older version (no address): blocked whatever it shows, as before.
			row('OLDER', 'K-3', 'c@kunde.example', { emailBlocked: true, emailBlockedAddress: '' }),
			row('OLDER-2', 'K-3', 'c@kunde.example'),
		]);
		expect(out.map((o) => [o.invoiceId, o.emailBlocked])).toEqual([
			['CORRECTED', false],
			['NEW', false],
			['STILL-OLD', true],
			['BLOCKED', true],
			['OLDER', true],
			['OLDER-2', true],
		]);
	});

	test('sender: a reminder to the corrected address goes out; one to the blocked address is withdrawn', () => {
		const reminder = (invoiceId: string, email: string): IDataObject => ({ invoiceId, reminderKey: `${invoiceId}#2#email`, email, openAmount: 100, dunning: { level: 2 } });
		const out = runCode(
			STILL_TO_SEND_CODE,
			[row('CORRECTED', 'K-1', 'new@kunde.example', deadOld), row('DEAD', 'K-1', 'old@kunde.example', deadOld), row('OLDER', 'K-1', 'x@kunde.example', { emailBlocked: true })],
			{ 'Restore Reminder': [reminder('CORRECTED', 'new@kunde.example'), reminder('DEAD', 'old@kunde.example'), reminder('OLDER', 'x@kunde.example')] },
		);
		expect(out.map((o) => [o.invoiceId, (o.withdrawn as { reason?: string } | undefined)?.reason])).toEqual([
			['CORRECTED', undefined],
			['DEAD', 'emailBlocked'],
			['OLDER', 'emailBlocked'],
		]);
	});

	test('webhook run: the corrected address is not blocked, nor a new invoice at it; a new one at the dead address is', () => {
		const known = row('INV-1', 'K-1', 'old@kunde.example', deadOld);
		const posted = { invoiceId: 'INV-1', customerId: 'K-1', email: 'new@kunde.example', openAmount: 100 };
		const first = { 'Invoices from Request': [posted], 'Load Known Invoice': [known], 'Load Blocked Address': [] };
		expect(runCode(WITH_LEDGER_CODE, [known], first)[0]).toMatchObject({ invoiceId: 'INV-1', emailBlocked: false });
		// The next post: INV-1's row now shows the new address with its old block; Load Blocked Address finds it.
		const inv1 = { ...known, email: 'new@kunde.example' };
		const post2 = { invoiceId: 'INV-2', customerId: 'K-1', email: 'new@kunde.example', openAmount: 80 };
		const second = { 'Invoices from Request': [post2], 'Load Known Invoice': [], 'Load Blocked Address': [inv1] };
		expect(runCode(INVOICE_ROWS_CODE, [], second)[0]).toMatchObject({ invoiceId: 'INV-2', emailBlocked: false });
		// A new invoice goes on as posted (no emailBlocked of its own).
		expect(runCode(WITH_LEDGER_CODE, [], second)[0]).toEqual(post2);
		// A new invoice at the address that failed: blocked, and saved with that address.
		const post3 = { invoiceId: 'INV-3', customerId: 'K-1', email: 'old@kunde.example', openAmount: 80 };
		const third = { 'Invoices from Request': [post3], 'Load Known Invoice': [], 'Load Blocked Address': [known] };
		expect(runCode(INVOICE_ROWS_CODE, [], third)[0]).toMatchObject({ invoiceId: 'INV-3', emailBlocked: true, emailBlockedAddress: 'old@kunde.example' });
		expect(runCode(WITH_LEDGER_CODE, [], third)[0]).toMatchObject({ invoiceId: 'INV-3', emailBlocked: true });
	});
});
