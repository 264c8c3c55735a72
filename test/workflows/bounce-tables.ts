/**
 * The Data Table steps of the shipped bounce-processing.json, run against in-memory tables
 * (test/harness/data-tables.ts): from one node on, each Data Table node the item reaches is applied
 * as n8n's Data Table node applies it (get, update, row exists / does not exist), its filter and
 * column expressions resolved by n8n's engine with every node before it on the path seeded (paired
 * items included). Addresses to Block, the Code node after Load Invoices to Block, runs once for all
 * that node's items, as n8n runs it (runCodeNode). The walk stops at the first node of another kind, which is reported as reached.
 * The Data Table node itself needs a real n8n: see the end-to-end suite.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { DataTableFilter, DataTableRow, IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { INVOICE_COLUMNS, REMINDER_COLUMNS } from '../../scripts/workflows/parameters';
import { memoryDataTable } from '../harness/data-tables';
import { chain, node, registerNodeType, runWorkflow } from '../harness/engine';

export type Table = ReturnType<typeof memoryDataTable>;
interface Condition {
	keyName: string;
	condition?: string;
	keyValue?: unknown;
}
interface DataTableParameters {
	operation: string;
	dataTableId: { value: string };
	matchType?: string;
	filters?: { conditions: Condition[] };
	limit?: number;
	columns?: { value: IDataObject };
}
interface ShippedNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: INodeParameters;
	alwaysOutputData?: boolean;
}
interface Shipped {
	nodes: ShippedNode[];
	connections: Record<string, { main: Array<Array<{ node: string }> | null> }>;
	settings: { timezone: string };
}

export const BOUNCE_PROCESSING = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'bounce-processing.json'), 'utf8')) as Shipped;

export function shippedNode(name: string): ShippedNode {
	const found = BOUNCE_PROCESSING.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`bounce-processing.json has no "${name}"`);
	return found;
}

export const remindersTable = (rows: DataTableRow[]): Table => memoryDataTable('dunning_reminders', REMINDER_COLUMNS.map(([name, type]) => ({ name, type: type as 'string' })), rows);
export const invoicesTable = (rows: DataTableRow[]): Table => memoryDataTable('dunning_invoices', INVOICE_COLUMNS.map(([name, type]) => ({ name, type: type as 'string' })), rows);

/** Test node: outputs its parameter `value` with every expression in it resolved. */
class Resolve implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Resolve',
		name: 'resolve',
		group: ['transform'],
		version: 1,
		description: 'Outputs its value with expressions resolved',
		defaults: { name: 'Resolve' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Value', name: 'value', type: 'json', default: {} }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData().map((_, i) => ({ json: { value: this.getNodeParameter('value', i) as IDataObject }, pairedItem: { item: i } }))];
	}
}
registerNodeType('n8n-nodes-base.resolve', new Resolve());

/** A path of nodes and the one item each output, the last one the next node's input. */
export type Path = Array<[name: string, json: IDataObject]>;

/** The node's parameters with their expressions resolved, as the node would see them after `path`. */
export async function resolveParameters(nodeName: string, path: Path): Promise<DataTableParameters> {
	const names = [...path.map(([name]) => name), nodeName];
	const r = await runWorkflow({
		nodes: [...path.map(([name, json]) => node('evaluate', name, { json: JSON.stringify(json) })), node('n8n-nodes-base.resolve', nodeName, { value: shippedNode(nodeName).parameters })],
		connections: chain(...names),
		input: { node: names[0], items: [{ json: {} }] },
		timezone: BOUNCE_PROCESSING.settings.timezone,
	});
	if (r.status !== 'success') throw new Error(`${nodeName}: ${r.error?.message}`);
	return r.items(nodeName)[0].json.value as unknown as DataTableParameters;
}

function filterOf(p: DataTableParameters): DataTableFilter {
	// Row exists / does not exist compare by equality only (n8n hides their condition field).
	const equalOnly = p.operation === 'rowExists' || p.operation === 'rowNotExists';
	return {
		type: p.matchType === 'allConditions' ? 'and' : 'or',
		filters: (p.filters?.conditions ?? []).map((c) => ({ columnName: c.keyName, condition: (equalOnly ? 'eq' : (c.condition ?? 'eq')) as 'eq', value: (c.keyValue ?? null) as string })),
	};
}

/** What one Data Table node of the workflow outputs for one input item (the last of `path`). */
export async function applyDataTableNode(nodeName: string, path: Path, tables: Record<string, Table>): Promise<IDataObject[]> {
	const p = await resolveParameters(nodeName, path);
	const table = tables[p.dataTableId.value];
	if (!table) throw new Error(`${nodeName}: no table ${p.dataTableId.value} given`);
	const service = table.service();
	const filter = filterOf(p);
	const plain = (rows: IDataObject[]) => JSON.parse(JSON.stringify(rows)) as IDataObject[];
	switch (p.operation) {
		case 'get': {
			const found = await service.getManyRowsAndCount({ filter, sortBy: ['createdAt', 'ASC'], take: p.limit ?? 50 } as never);
			return plain(found.data as IDataObject[]);
		}
		case 'update':
			return plain((await service.updateRows({ filter, data: p.columns?.value as DataTableRow } as never)) as unknown as IDataObject[]);
		case 'rowExists':
		case 'rowNotExists': {
			const { count } = await service.getManyRowsAndCount({ filter, take: 1 } as never);
			return (count > 0) === (p.operation === 'rowExists') ? [path[path.length - 1][1]] : [];
		}
		default:
			throw new Error(`${nodeName}: operation ${p.operation} is not simulated`);
	}
}

/** An output item of a Code node, and the input item it pairs with. */
export interface CodeItem {
	json: IDataObject;
	pairedItem?: { item: number };
}

/**
 * What a Code node of the workflow outputs for `items`, the items one Data Table node output for the
 * last item of `path` (n8n's default mode: once for all items). `$('X')` is X's item on the path (every
 * input item pairs with it), or, for a node in `matching`, `itemMatching(i)` is its i-th item there
 * (the one input item i pairs with); `$now` the workflow's time zone's.
 */
export function runCodeNodeItems(nodeName: string, items: IDataObject[], path: Path, matching: Record<string, IDataObject[]> = {}): CodeItem[] {
	const onPath = new Map(path);
	const $ = (name: string) => {
		const paired = matching[name];
		if (paired) return { itemMatching: (i: number) => ({ json: paired[i] }), first: () => ({ json: paired[0] }), all: () => paired.map((json) => ({ json })), isExecuted: true };
		const json = onPath.get(name);
		if (!json) throw new Error(`${nodeName} reads "${name}", which is not on the path`);
		return { itemMatching: () => ({ json }), first: () => ({ json }), all: () => [{ json }], isExecuted: true };
	};
	const $input = { all: () => items.map((json) => ({ json })), first: () => ({ json: items[0] }) };
	const run = new Function('$input', '$', '$now', 'DateTime', String(shippedNode(nodeName).parameters.jsCode)) as (
		input: typeof $input,
		nodes: typeof $,
		now: DateTime,
		luxon: typeof DateTime,
	) => CodeItem[];
	return run($input, $, DateTime.now().setZone(BOUNCE_PROCESSING.settings.timezone), DateTime);
}

/** runCodeNodeItems, the output items' JSON. */
export function runCodeNode(nodeName: string, items: IDataObject[], path: Path): IDataObject[] {
	return runCodeNodeItems(nodeName, items, path).map((item) => item.json);
}

/** The Code nodes follow() runs (runCodeNode): they read only their items and the items on the path. Others are reported as reached. */
const RUN_HERE = ['Addresses to Block'];

/** A node of another kind that an item reached, and the path that led there. */
export interface Reached {
	node: string;
	json: IDataObject;
	path: string[];
}

/**
 * Follows `json`, an output item of node `from`, through the Data Table nodes connected after it,
 * applying each to `tables`; returns the first nodes of another kind that items reached. `before`
 * are the nodes that ran before `from` (Settings, say), seeded for their `$('…')` references.
 */
export async function follow(from: string, json: IDataObject, tables: Record<string, Table>, before: Path = []): Promise<Reached[]> {
	const reached: Reached[] = [];
	const next = (name: string) => (BOUNCE_PROCESSING.connections[name]?.main ?? []).flatMap((output) => (output ?? []).map((c) => c.node));
	const isCode = (name: string) => RUN_HERE.includes(name);
	// A Code node run here, after a Data Table node, runs once for all the items it output (below), not per item.
	const walk = async (path: Path, codeRunsBatched = false): Promise<void> => {
		const [name] = path[path.length - 1];
		for (const node of next(name)) {
			if (codeRunsBatched && isCode(node)) continue;
			if (shippedNode(node).type !== 'n8n-nodes-base.dataTable') {
				reached.push({ node, json: path[path.length - 1][1], path: path.map(([n]) => n) });
				continue;
			}
			const outs = await applyDataTableNode(node, path, tables);
			for (const out of outs) await walk([...path, [node, out]], true);
			if (outs.length === 0) continue;
			for (const code of next(node).filter(isCode)) {
				for (const out of runCodeNode(code, outs, [...path, [node, outs[0]]])) await walk([...path, [node, outs[0]], [code, out]]);
			}
		}
	};
	await walk([...before, [from, json]]);
	return reached;
}

/** Settings as shipped: this copy's mailbox is "default". */
export const SETTINGS: Path = [['Settings', { mailbox: 'default', ownDomains: '' }]];

/** The Message-ID the sender gave the reminder of `level` (the form of lib/mail/message.ts). */
export const reminderMessageId = (level: number): string => `<dunning.${level}.0123456789abcdef0123456789abcdef@shop.example>`;

/** The row of a reminder of invoice RE-9 (customer K-9) at `level`, sent from the default mailbox. */
export const reminderRow = (level: number, over: DataTableRow = {}): DataTableRow => ({
	reminderKey: `RE-9#${level}#email`,
	invoiceId: 'RE-9',
	customerId: 'K-9',
	email: 'erika@kunde.example',
	level,
	previousLevel: level - 1,
	previousLastDunnedAt: '2099-01-01',
	status: 'sent',
	messageId: reminderMessageId(level),
	mailbox: 'default',
	...over,
});

/** A customer's reply (Read Mailbox's item, classified) to the reminder of `level`, with its own Message-ID. */
export const reply = (messageId: string, text: string, level = 2): IDataObject => ({
	messageId,
	uid: 7,
	uidValidity: '1',
	bounce: { category: 'reply', originalMessageId: reminderMessageId(level), recipient: 'erika@kunde.example', replyText: text },
});

/** Whether filter node `name` (one boolean condition) passes the last item of `path`. */
async function passes(name: string, path: Path): Promise<boolean> {
	const filter = (await resolveParameters(name, path)) as unknown as { conditions: { conditions: Array<{ leftValue: boolean }> } };
	return filter.conditions.conditions[0].leftValue;
}

/** What a run meets on its way: `beforeWrite` is called before each Data Table update is applied (throw to fail it). */
export interface RunHooks {
	beforeWrite?: (nodeName: string) => void;
}

/**
 * Follows `items`, the paths of all items one node output (each ending at that node), through the
 * Data Table nodes after it, as n8n runs them (execution order v1): each node once for all the items
 * it gets, then its children in canvas order (top first, then left first), each branch to its end
 * before the next. A node that outputs nothing ends its branch (with Always Output Data: one empty
 * item, on the first item's path); one that throws ends the run. Returns the nodes of another kind reached.
 */
export async function followAll(items: Path[], tables: Record<string, Table>, hooks: RunHooks = {}): Promise<Reached[]> {
	const reached: Reached[] = [];
	const children = (name: string) =>
		(BOUNCE_PROCESSING.connections[name]?.main ?? [])
			.flatMap((output) => (output ?? []).map((c) => shippedNode(c.node)))
			.sort((a, b) => a.position[1] - b.position[1] || a.position[0] - b.position[0]);
	const walk = async (paths: Path[]): Promise<void> => {
		for (const child of children(paths[0][paths[0].length - 1][0])) {
			if (child.type !== 'n8n-nodes-base.dataTable') {
				for (const path of paths) reached.push({ node: child.name, json: path[path.length - 1][1], path: path.map(([n]) => n) });
				continue;
			}
			if (child.parameters.operation === 'update') hooks.beforeWrite?.(child.name);
			const outs: Path[] = [];
			for (const path of paths) for (const out of await applyDataTableNode(child.name, path, tables)) outs.push([...path, [child.name, out]]);
			if (outs.length === 0 && child.alwaysOutputData) outs.push([...paths[0], [child.name, {}]]);
			if (outs.length > 0) await walk(outs);
		}
	};
	if (items.length > 0) await walk(items);
	return reached;
}

/**
 * One run of bounce processing reading `replies` (Classify Bounce's reply output), each node for
 * all items before the next, as n8n runs them: Ours? (Reply) → Load Reminder (Reply) → New Reply? →
 * New Replies by Reminder (once for all) → Load Invoice (Reply) → Block Invoice for Reply, then Note
 * Reply on Reminder (followAll). Returns how many of them it noted as new replies; a write that
 * `hooks.beforeWrite` fails ends the run there (it rejects).
 */
export async function readReplies(replies: IDataObject[], tables: Record<string, Table>, hooks: RunHooks = {}): Promise<number> {
	const loaded: Array<{ reply: IDataObject; row: IDataObject }> = [];
	for (const r of replies) {
		if (!(await passes('Ours? (Reply)', [...SETTINGS, ['Classify Bounce', r]]))) continue;
		for (const row of await applyDataTableNode('Load Reminder (Reply)', [...SETTINGS, ['Ours? (Reply)', r]], tables)) loaded.push({ reply: r, row });
	}
	const fresh: typeof loaded = [];
	for (const l of loaded) if (await passes('New Reply?', [...SETTINGS, ['Ours? (Reply)', l.reply], ['Load Reminder (Reply)', l.row]])) fresh.push(l);
	if (fresh.length === 0) return 0;
	const byReminder = runCodeNodeItems('New Replies by Reminder', fresh.map((f) => f.row), SETTINGS, { 'Ours? (Reply)': fresh.map((f) => f.reply) });
	const paths = byReminder.map(({ json, pairedItem }): Path => {
		const { reply: paired, row } = fresh[pairedItem?.item ?? 0];
		return [...SETTINGS, ['Ours? (Reply)', paired], ['Load Reminder (Reply)', row], ['New Reply?', row], ['New Replies by Reminder', json]];
	});
	await followAll(paths, tables, hooks);
	return byReminder.reduce((n, { json }) => n + (json.newReplies as unknown[]).length, 0);
}

/** A run that reads the one reply `item`: true when it was new (noted, the invoice blocked). */
export async function readReply(item: IDataObject, tables: Record<string, Table>, hooks: RunHooks = {}): Promise<boolean> {
	return (await readReplies([item], tables, hooks)) > 0;
}
