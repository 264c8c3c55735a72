/**
 * The mailbox-health steps of a shipped workflow (from its Mailbox Health node on: the save of the
 * counts, the pause, the checks after them) run against an in-memory dunning_mailboxes: Mailbox
 * Health is our node, run by n8n's engine; every expression of the other nodes is resolved by the
 * engine too, with every node that ran before seeded with its items. n8n's own nodes are applied
 * here as n8n applies them: Data Table get and update (test/harness/data-tables.ts, one atomic
 * conditional update), If (boolean "is true" and string "is not empty"/"equals" conditions),
 * Code (run once for all items), Stop and Error (the run fails with its message). Their
 * Data Table node itself needs a real n8n: see the end-to-end suite.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataTableFilter, DataTableRow, IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { MAILBOX_COLUMNS } from '../../scripts/workflows/parameters';
import { memoryDataTable } from '../harness/data-tables';
import { node, PACKAGE_PREFIX, registerNodeType, runWorkflow } from '../harness/engine';

export type Table = ReturnType<typeof memoryDataTable>;

interface ShippedNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: IDataObject;
	executeOnce?: boolean;
	alwaysOutputData?: boolean;
}
interface Shipped {
	nodes: ShippedNode[];
	connections: Record<string, { main: Array<Array<{ node: string }> | null> }>;
	settings: { timezone: string };
}

export const mailboxesTable = (rows: DataTableRow[]): Table => memoryDataTable('dunning_mailboxes', MAILBOX_COLUMNS.map(([name, type]) => ({ name, type: type as 'string' })), rows);

/** Test node: outputs the items of its parameter `items` (JSON), whatever came in. */
class Emit implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Emit',
		name: 'emit',
		group: ['transform'],
		version: 1,
		description: 'Outputs fixed items',
		defaults: { name: 'Emit' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'string', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

/** Test node: outputs its parameter `value` with every expression in it resolved, for its first item. */
class ResolveFirst implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Resolve First',
		name: 'resolveFirst',
		group: ['transform'],
		version: 1,
		description: 'Outputs its value with expressions resolved',
		defaults: { name: 'Resolve First' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Value', name: 'value', type: 'json', default: {} }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: { value: this.getNodeParameter('value', 0) as IDataObject }, pairedItem: { item: 0 } }]];
	}
}
registerNodeType('n8n-nodes-base.emit', new Emit());
registerNodeType('n8n-nodes-base.resolveFirst', new ResolveFirst());

export function shipped(workflow: string): Shipped {
	return JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', `${workflow}.json`), 'utf8')) as Shipped;
}

/** Nodes that ran, in order, with their output items. */
type Ran = Array<[name: string, items: IDataObject[]]>;

/**
 * Runs `target` (a node of the shipped workflow, or a stand-in under its name) after the nodes that
 * ran, each seeded with its items in a line (the last one feeds `target`); every other node of the
 * workflow is there, not run, so that `$('X').isExecuted` is false for it.
 */
async function runAfter(wf: Shipped, ran: Ran, target: INode): Promise<IDataObject[]> {
	const names = ran.map(([name]) => name);
	const nodes = [
		...ran.map(([name, items]) => node('n8n-nodes-base.emit', name, { items: JSON.stringify(items) })),
		...wf.nodes.filter((n) => !names.includes(n.name) && n.name !== target.name && n.type !== 'n8n-nodes-base.stickyNote').map((n) => node('noOp', n.name)),
		target,
	];
	const line = [...names, target.name];
	const connections = Object.fromEntries(line.slice(0, -1).map((from, i) => [from, { main: [[{ node: line[i + 1], type: 'main' as never, index: 0 }]] }]));
	const r = await runWorkflow({ nodes, connections, input: { node: line[0], items: [{ json: {} }] }, timezone: wf.settings.timezone });
	if (r.status !== 'success') throw new Error(`${target.name}: ${r.error?.message}`);
	return r.items(target.name).map((i) => i.json);
}

async function resolve(wf: Shipped, ran: Ran, n: ShippedNode): Promise<IDataObject> {
	const [out] = await runAfter(wf, ran, node('n8n-nodes-base.resolveFirst', n.name, { value: n.parameters as never }));
	return out.value as IDataObject;
}

interface Condition {
	leftValue: unknown;
	rightValue?: unknown;
	operator: { type: string; operation: string };
}

function holds(c: Condition): boolean {
	const op = `${c.operator.type}:${c.operator.operation}`;
	if (op === 'boolean:true') return c.leftValue === true || c.leftValue === 'true';
	if (op === 'string:notEmpty') return c.leftValue !== null && c.leftValue !== undefined && String(c.leftValue) !== '';
	if (op === 'string:equals') return String(c.leftValue ?? '') === String(c.rightValue ?? '');
	throw new Error(`If condition ${op} is not simulated`);
}

async function applyDataTable(p: IDataObject, table: Table): Promise<IDataObject[]> {
	const conditions = ((p.filters as { conditions?: Array<{ keyName: string; condition?: string; keyValue?: unknown }> })?.conditions ?? []);
	const filter: DataTableFilter = {
		type: p.matchType === 'allConditions' ? 'and' : 'or',
		filters: conditions.map((c) => ({ columnName: c.keyName, condition: (c.condition ?? 'eq') as 'eq', value: (c.keyValue ?? null) as string })),
	};
	const service = table.service();
	const plain = (rows: unknown) => JSON.parse(JSON.stringify(rows)) as IDataObject[];
	if (p.operation === 'get') return plain((await service.getManyRowsAndCount({ filter, sortBy: ['createdAt', 'ASC'], take: Number(p.limit ?? 50) } as never)).data);
	if (p.operation === 'update') return plain(await service.updateRows({ filter, data: (p.columns as { value: DataTableRow }).value } as never));
	throw new Error(`Data Table operation ${String(p.operation)} is not simulated`);
}

export interface ChainRun {
	/** The nodes that ran, in order. */
	ran: string[];
	/** The message of the Stop and Error node the run ended at, if any. */
	failed: string | null;
}

/**
 * Runs the workflow's steps from its Mailbox Health node `healthNode` on, for the refusal items
 * `items`, after `before` (Settings, Load Mailbox State …, with the items they output), against
 * `mailboxes`; `beforeNode` runs before each step (another run or a person writing the row meanwhile).
 * Children of a node run in canvas order (execution order v1), each branch to its end.
 */
export async function runHealthSteps(
	workflow: string,
	o: { healthNode: string; before: Ran; items: IDataObject[]; mailboxes: Table; beforeNode?: (name: string) => void },
): Promise<ChainRun> {
	const wf = shipped(workflow);
	const byName = new Map(wf.nodes.map((n) => [n.name, n]));
	const ran: Ran = [...o.before, ['Refusals', o.items]];
	const order: string[] = [];
	const children = (name: string, output: number) =>
		(wf.connections[name]?.main[output] ?? []).map((c) => byName.get(c.node)!).sort((a, b) => a.position[1] - b.position[1] || a.position[0] - b.position[0]);
	const step = async (n: ShippedNode, input: IDataObject[]): Promise<string | null> => {
		o.beforeNode?.(n.name);
		order.push(n.name);
		let outputs: IDataObject[][];
		if (n.type === `${PACKAGE_PREFIX}.mailboxHealth`) {
			outputs = [await runAfter(wf, [...ran, ['Input', input]], node('mailboxHealth', n.name, n.parameters as never))];
		} else {
			const last = input.length > 0 ? input : [{}];
			const seeded: Ran = [...ran, ['Input', n.executeOnce ? last.slice(0, 1) : last]];
			if (n.type === 'n8n-nodes-base.dataTable') {
				const rows = await applyDataTable(await resolve(wf, seeded, n), o.mailboxes);
				outputs = [rows.length === 0 && n.alwaysOutputData ? [{}] : rows];
			} else if (n.type === 'n8n-nodes-base.if') {
				const p = (await resolve(wf, seeded, n)) as { conditions: { conditions: Condition[]; combinator: string } };
				const results = p.conditions.conditions.map(holds);
				const yes = p.conditions.combinator === 'or' ? results.some(Boolean) : results.every(Boolean);
				const passed = n.executeOnce ? last.slice(0, 1) : last;
				outputs = yes ? [passed, []] : [[], passed];
			} else if (n.type === 'n8n-nodes-base.code') {
				outputs = [runCode(String(n.parameters.jsCode), ran, input)];
			} else if (n.type === 'n8n-nodes-base.stopAndError') {
				return String((await resolve(wf, seeded, n)).errorMessage);
			} else {
				throw new Error(`${n.name}: node type ${n.type} is not simulated`);
			}
		}
		ran.push([n.name, outputs.find((out) => out.length > 0) ?? []]);
		for (const [output, items] of outputs.entries()) {
			if (items.length === 0) continue;
			for (const child of children(n.name, output)) {
				const failed = await step(child, items);
				if (failed !== null) return failed;
			}
		}
		return null;
	};
	const start = byName.get(o.healthNode);
	if (!start) throw new Error(`${workflow}.json has no "${o.healthNode}"`);
	const failed = await step(start, o.items);
	return { ran: order, failed };
}

/** A Code node's JavaScript (run once for all items): `$('X')` is what X output in this run. */
function runCode(jsCode: string, ran: Ran, input: IDataObject[]): IDataObject[] {
	const outputOf = new Map(ran);
	const $ = (name: string) => {
		const items = outputOf.get(name);
		if (!items) throw new Error(`Code reads "${name}", which did not run`);
		return { all: () => items.map((json) => ({ json })), first: () => ({ json: items[0] }), isExecuted: true };
	};
	const $input = { all: () => input.map((json) => ({ json })), first: () => ({ json: input[0] }) };
	const run = new Function('$input', '$', jsCode) as (i: typeof $input, s: typeof $) => Array<{ json: IDataObject }>;
	return run($input, $).map((item) => item.json);
}
