/**
 * The column check of the shipped workflows (checkColumns in scripts/workflows/parameters.ts): a table
 * created by an earlier version lacks columns this one writes (Ensure … Table does not add them), so
 * each workflow checks every column of each of its tables before it sends, prints, answers, reads a
 * mailbox or writes a row, and stops naming the table, the columns and what to do. The graph and the
 * filters are read from workflows/*.json and compared with the column lists; the message is evaluated
 * by n8n's engine; the check's filter runs against the in-memory tables, which refuse an unknown
 * column as n8n does. The real n8n's refusal: test/e2e/upgrade.e2e.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataTableRow, IDataObject } from 'n8n-workflow';

import {
	columnCheckNode,
	INVOICE_COLUMNS,
	MISSING_COLUMNS_NODE,
	NEEDED,
	type NeededTable,
	REMINDER_COLUMNS,
	STOP_MISSING_COLUMNS_NODE,
} from '../../scripts/workflows/parameters';
import { memoryDataTable } from '../harness/data-tables';
import { chain, node, runWorkflow } from '../harness/engine';
import { applyDataTableNode } from './bounce-tables';

interface ShippedNode {
	name: string;
	type: string;
	parameters: IDataObject;
	executeOnce?: boolean;
	onError?: string;
}
interface Shipped {
	nodes: ShippedNode[];
	connections: Record<string, { main: Array<Array<{ node: string }> | null> }>;
}

const DIR = join(__dirname, '..', '..', 'workflows');
const WORKFLOWS: Record<string, Shipped> = Object.fromEntries(
	readdirSync(DIR)
		.filter((f) => f.endsWith('.json'))
		.map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Shipped]),
);
const byName = (wf: Shipped, name: string) => wf.nodes.find((n) => n.name === name);
const PKG = 'n8n-nodes-dunning.';
const TABLES: NeededTable[] = Object.values(NEEDED);

/** The Data Tables a workflow's nodes read or write (or create). */
function tablesOf(wf: Shipped): string[] {
	const names = wf.nodes
		.filter((n) => n.type === 'n8n-nodes-base.dataTable')
		.map((n) => (n.parameters.tableName as string | undefined) ?? (n.parameters.dataTableId as { value: string }).value);
	return [...new Set(names)].sort();
}

/** What cannot be undone or is seen outside the run: a sent mail, a letter, an answer, a mailbox read, a row written. */
function hasEffect(n: ShippedNode): boolean {
	if (n.type === 'n8n-nodes-base.dataTable') return n.parameters.resource !== 'table' && !['get', 'rowExists', 'rowNotExists'].includes(String(n.parameters.operation));
	return (
		['n8n-nodes-base.respondToWebhook', 'n8n-nodes-base.readWriteFile', 'n8n-nodes-base.emailSend', 'n8n-nodes-base.httpRequest'].includes(n.type) ||
		[`${PKG}sendReminderEmail`, `${PKG}readMailbox`, `${PKG}createReminderLetter`].includes(n.type)
	);
}

/**
 * Allowed before the check: answers to a request that is wrong before any table is read, and the check
 * of the company details, which makes one made-up letter in memory (paper-letters.ts).
 */
const BEFORE_CHECK = ['Respond Bad Request', 'Respond Company Details Wrong', 'Check Company Details', 'Respond Columns Missing'];

/** The nodes a run reaches from its triggers; with `cut`, not through output 0 of those nodes. */
function reachable(wf: Shipped, cut: string[] = []): Set<string> {
	const seen = new Set(wf.nodes.filter((n) => /Trigger$|\.webhook$/.test(n.type)).map((n) => n.name));
	const queue = [...seen];
	while (queue.length > 0) {
		const name = queue.shift() as string;
		(wf.connections[name]?.main ?? []).forEach((targets, output) => {
			if (output === 0 && cut.includes(name)) return;
			for (const { node: next } of targets ?? []) {
				if (!seen.has(next)) {
					seen.add(next);
					queue.push(next);
				}
			}
		});
	}
	return seen;
}

/** The shipped workflows that keep their state in Data Tables of NEEDED. */
const CHECKED = Object.entries(WORKFLOWS).filter(([, wf]) => tablesOf(wf).some((t) => TABLES.some((needed) => needed.name === t)));

describe('every shipped workflow checks the columns of its tables first (workflows/*.json)', () => {
	test('the workflows with tables are the ones expected (a new one must be added here)', () => {
		expect(CHECKED.map(([name]) => name).sort()).toEqual(['bounce-processing', 'dunning-run', 'dunning-run-webhook', 'send-released']);
		// The error workflow checks nothing: it must mail the alert also when its own table is broken,
		// so each of its table steps goes on when it fails.
		const alert = WORKFLOWS['dunning-alert'];
		expect(tablesOf(alert)).toEqual(['dunning_alerts']);
		for (const n of alert.nodes.filter((n) => n.type === 'n8n-nodes-base.dataTable')) expect(n.onError).toBe('continueRegularOutput');
	});

	describe.each(CHECKED)('%s', (_, wf) => {
		const tables = TABLES.filter((t) => tablesOf(wf).includes(t.name));
		const checks = tables.map((t) => columnCheckNode(t.name));

		test.each(tables.map((t) => [t.name, t] as const))('%s: a check whose filter names every column of the list, and matches no row', (name, t) => {
			const check = byName(wf, columnCheckNode(name));
			expect(check).toMatchObject({ type: 'n8n-nodes-base.dataTable', executeOnce: true, onError: 'continueErrorOutput' });
			expect(check?.parameters).toMatchObject({ resource: 'row', operation: 'rowNotExists', matchType: 'allConditions', dataTableId: { value: name } });
			const conditions = (check?.parameters.filters as { conditions: Array<{ keyName: string; keyValue: unknown }> }).conditions;
			expect(conditions.map((c) => c.keyName)).toEqual(['id', ...t.columns.map(([column]) => column)]);
			expect(conditions[0].keyValue).toBe(0);
			// A refusal goes to the message and the stop.
			expect(wf.connections[columnCheckNode(name)].main[1]?.map((c) => c.node)).toEqual([MISSING_COLUMNS_NODE]);
		});

		test('every Ensure … Table runs before the checks; nothing that sends, prints, answers, reads mail or writes a row runs unless they pass', () => {
			const before = reachable(wf, checks);
			expect(wf.nodes.filter((n) => n.parameters.resource === 'table').every((n) => before.has(n.name))).toBe(true);
			const effects = wf.nodes.filter(hasEffect).map((n) => n.name);
			expect(effects.filter((n) => before.has(n) && !BEFORE_CHECK.includes(n))).toEqual([]);
			// …and they are all on the way when the checks pass.
			expect(effects.filter((n) => !reachable(wf).has(n))).toEqual([]);
			expect(effects.filter((n) => !before.has(n)).length).toBeGreaterThan(0);
		});

		test('the checks are one line, the last one the only way on', () => {
			const next = (name: string) => wf.connections[name]?.main[0]?.map((c) => c.node) ?? [];
			// Each check but the last leads to the next one only; the last leads on.
			const last = checks.filter((c) => !next(c).some((n) => checks.includes(n)));
			expect(last).toHaveLength(1);
			for (const c of checks.filter((c) => c !== last[0])) expect(next(c)).toHaveLength(1);
			expect(checks.filter((c) => checks.some((other) => next(other).includes(c)))).toHaveLength(checks.length - 1);
			const path = wf.connections[MISSING_COLUMNS_NODE].main[0]?.map((c) => c.node) ?? [];
			const stop = path[0] === STOP_MISSING_COLUMNS_NODE ? STOP_MISSING_COLUMNS_NODE : wf.connections[path[0]].main[0]?.[0].node;
			expect(stop).toBe(STOP_MISSING_COLUMNS_NODE);
			expect(byName(wf, STOP_MISSING_COLUMNS_NODE)?.parameters).toEqual({ errorType: 'errorMessage', errorMessage: '={{ $json.message }}' });
		});
	});

	test('the webhook run answers its caller 500 with the message before it stops', () => {
		const wf = WORKFLOWS['dunning-run-webhook'];
		expect(wf.connections[MISSING_COLUMNS_NODE].main[0]?.map((c) => c.node)).toEqual(['Respond Columns Missing']);
		expect(wf.connections['Respond Columns Missing'].main[0]?.map((c) => c.node)).toEqual([STOP_MISSING_COLUMNS_NODE]);
		const respond = byName(wf, 'Respond Columns Missing')?.parameters as { responseBody: string; options: { responseCode: number } };
		expect(respond.options.responseCode).toBe(500);
		expect(respond.responseBody).toContain('message: $json.message');
	});
});

/** Missing Columns' message after the check `check` failed with n8n's `error`, evaluated by n8n's engine. */
async function message(workflow: string, check: string, error: string): Promise<string> {
	const why = byName(WORKFLOWS[workflow], MISSING_COLUMNS_NODE)?.parameters.jsonOutput as string;
	const r = await runWorkflow({
		nodes: [node('evaluate', check, { json: JSON.stringify({ error }) }), node('evaluate', 'Result', { json: why })],
		connections: chain(check, 'Result'),
		input: { node: check, items: [{ json: {} }] },
		timezone: 'Europe/Berlin',
	});
	expect(r.status).toBe('success');
	return r.items('Result')[0].json.message as string;
}

const AFTER = 'then run again. This run stopped before it sent, printed, released or saved anything.';

describe('the message names the table, the missing columns with their types, and what to do', () => {
	test("n8n's Data Table node: every missing column at once", async () => {
		const said =
			'Filter validation failed: Column(s) "lastDeadline, firstDeadline, claimedCharges" do not exist in the selected table. This often happens when switching between tables with different schemas. Please update your filter conditions.';
		expect(await message('send-released', columnCheckNode('dunning_invoices'), said)).toBe(
			'Data table dunning_invoices lacks columns this version of the dunning workflows needs: lastDeadline (string), firstDeadline (string), claimedCharges (number). ' +
				`Add them in n8n (Overview › Data tables › dunning_invoices, + next to the last column, same name and type; see CHANGELOG › Upgrading), ${AFTER} (n8n says: ${said})`,
		);
	});

	test("n8n's Data Table service: one column", async () => {
		const said = "Validation error with data table request: unknown column name 'replyMessageIds'";
		expect(await message('bounce-processing', columnCheckNode('dunning_reminders'), said)).toBe(
			'Data table dunning_reminders lacks a column this version of the dunning workflows needs: replyMessageIds (string). ' +
				`Add it in n8n (Overview › Data tables › dunning_reminders, + next to the last column, same name and type; see CHANGELOG › Upgrading), ${AFTER} (n8n says: ${said})`,
		);
	});

	test('any other failure of the check is quoted as n8n gave it', async () => {
		const said = "value '' does not match column type 'number'";
		expect(await message('dunning-run-webhook', columnCheckNode('dunning_invoices'), said)).toBe(
			`The columns of data table dunning_invoices could not be checked (n8n says: ${said}). This run stopped before it sent, printed, released or saved anything.`,
		);
	});
});

describe('the check against tables in memory (bounce-processing.json)', () => {
	const table = (name: string, columns: Array<[string, string]>, rows: DataTableRow[] = []) =>
		memoryDataTable(name, columns.map(([column, type]) => ({ name: column, type: type as 'string' })), rows);
	const item = { id: 1, name: 'dunning_reminders' };

	test('a table with every column passes the item on, also when it has rows', async () => {
		const reminders = table('dunning_reminders', REMINDER_COLUMNS, [{ reminderKey: 'RE-1#1#email', status: 'sent', attempts: 0, note: '' }]);
		expect(await applyDataTableNode(columnCheckNode('dunning_reminders'), [['Ensure Invoices Table', item]], { dunning_reminders: reminders })).toEqual([item]);
	});

	test('a table of an earlier version is refused, naming the column', async () => {
		const reminders = table('dunning_reminders', REMINDER_COLUMNS.filter(([c]) => c !== 'replyMessageIds'));
		await expect(applyDataTableNode(columnCheckNode('dunning_reminders'), [['Ensure Invoices Table', item]], { dunning_reminders: reminders })).rejects.toThrow(
			"Validation error with data table request: unknown column name 'replyMessageIds'",
		);
	});
});

describe('in-memory Data Tables refuse a filter on a column they lack, as n8n does (test/harness/data-tables.ts)', () => {
	const invoices = () => memoryDataTable('dunning_invoices', INVOICE_COLUMNS.filter(([c]) => c !== 'lastDeadline').map(([name, type]) => ({ name, type: type as 'string' })), [{ invoiceId: 'A' }]);
	const filter = { type: 'and' as const, filters: [{ columnName: 'lastDeadline', condition: 'eq' as const, value: null }] };
	const refused = "Validation error with data table request: unknown column name 'lastDeadline'";

	test.each([
		['getManyRowsAndCount', (t: ReturnType<typeof invoices>) => t.service().getManyRowsAndCount({ filter } as never)],
		['updateRows', (t: ReturnType<typeof invoices>) => t.service().updateRows({ filter, data: { note: 'x' } })],
		['upsertRow', (t: ReturnType<typeof invoices>) => t.service().upsertRow({ filter, data: { note: 'x' } })],
		['deleteRows', (t: ReturnType<typeof invoices>) => t.service().deleteRows({ filter })],
	])('%s', async (_, call) => {
		const t = invoices();
		await expect(call(t)).rejects.toThrow(refused);
		expect(t.rows.map((r) => r.note ?? null)).toEqual([null]);
	});

	test('upsertRow updates the matching rows, or adds one', async () => {
		const t = invoices();
		const byId = (id: string) => ({ type: 'and' as const, filters: [{ columnName: 'invoiceId', condition: 'eq' as const, value: id }] });
		await t.service().upsertRow({ filter: byId('A'), data: { invoiceId: 'A', note: 'updated' } });
		await t.service().upsertRow({ filter: byId('B'), data: { invoiceId: 'B', note: 'added' } });
		expect(t.rows.map((r) => [r.invoiceId, r.note])).toEqual([
			['A', 'updated'],
			['B', 'added'],
		]);
	});
});
