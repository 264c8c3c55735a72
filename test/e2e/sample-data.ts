/**
 * The shipped sample invoices (workflows/sample-data/invoices.json) with their relative dates
 * ("today-30", "today+4") turned into calendar days, and a small workflow that loads them into the
 * `dunning_invoices` Data Table the way an operator would: Manual Trigger → create table → insert rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECT_ROOT } from './n8n';

export interface SampleInvoice {
	invoiceId: string;
	invoiceNumber: string;
	customerId: string;
	customerName: string;
	/** Postal address for paper reminders; the sample has one invoice without (its letter fails). */
	street?: string;
	postalCode?: string;
	city?: string;
	country?: string;
	customerType: 'consumer' | 'business';
	email: string | null;
	language: string;
	invoiceDate: string | null;
	dueDate: string;
	currency: string;
	amount: number;
	openAmount: number;
	currentLevel: number;
	lastDunnedAt: string | null;
	parked: boolean;
	disputed: boolean;
	dunningBlock: boolean;
	emailBlocked: boolean;
	note: string;
}

/** YYYY-MM-DD of `today` in Europe/Berlin, shifted by `days`. */
export function berlinDay(days: number, now = new Date()): string {
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
	const d = new Date(`${today}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** "today", "today-30", "today+4" → YYYY-MM-DD; anything else is returned unchanged. */
export function resolveRelativeDate(value: string | null, now = new Date()): string | null {
	if (value === null) return null;
	const m = /^today(?:([+-])(\d+))?$/.exec(value);
	if (!m) return value;
	const offset = m[1] ? (m[1] === '-' ? -1 : 1) * Number(m[2]) : 0;
	return berlinDay(offset, now);
}

export function loadSampleInvoices(now = new Date()): SampleInvoice[] {
	const doc = JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', 'sample-data', 'invoices.json'), 'utf8')) as {
		invoices: SampleInvoice[];
	};
	return doc.invoices.map((inv) => ({
		...inv,
		invoiceDate: resolveRelativeDate(inv.invoiceDate, now),
		dueDate: resolveRelativeDate(inv.dueDate, now) as string,
		lastDunnedAt: resolveRelativeDate(inv.lastDunnedAt, now),
	}));
}

type WorkflowJson = Record<string, unknown> & { nodes: Array<Record<string, unknown>> };

/** The made-up company of workflows/sample-data/company.json, as an operator types it into "Company Details". */
export function sampleCompany(): Record<string, string> {
	const doc = JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', 'sample-data', 'company.json'), 'utf8')) as { company: Record<string, string> };
	return doc.company;
}

/** Where the shipped dunning run writes its print batches (its "Save Print Batch" node). */
export const SHIPPED_PRINT_FOLDER = '/home/node/.n8n-files/dunning';

/**
 * What an operator does once after importing the dunning run: fills in "Company Details" and points
 * "Save Print Batch" at a folder n8n may write to (below N8N_RESTRICT_FILE_ACCESS_TO).
 */
export function setUpDunningRun(wf: WorkflowJson, company: Record<string, string>, printFolder: string): void {
	const details = wf.nodes.find((n) => n.name === 'Company Details') as { parameters: { assignments: { assignments: Array<{ name: string; value: unknown }> } } } | undefined;
	const save = wf.nodes.find((n) => n.name === 'Save Print Batch') as { parameters: { fileName: string } } | undefined;
	if (!details || !save) throw new Error('the dunning run has no "Company Details" or "Save Print Batch" node');
	for (const a of details.parameters.assignments.assignments) {
		if (!(a.name in company)) throw new Error(`the sample company has no "${a.name}"`);
		a.value = company[a.name];
	}
	if (!save.parameters.fileName.includes(SHIPPED_PRINT_FOLDER)) throw new Error(`"Save Print Batch" no longer writes to ${SHIPPED_PRINT_FOLDER}`);
	save.parameters.fileName = save.parameters.fileName.replace(SHIPPED_PRINT_FOLDER, printFolder);
}

/** A node of a throwaway workflow: type version 1.1 unless given (the Data Table node's). */
type StepNode = { name: string; type: string; parameters: Record<string, unknown>; typeVersion?: number; alwaysOutputData?: boolean };

/** A throwaway workflow that runs `steps` one after another from a Manual Trigger. */
function manualChain(id: string, name: string, steps: StepNode[]): WorkflowJson {
	const nodes = [{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, ...steps].map((step, i) => ({
		typeVersion: 1.1,
		...step,
		id: `${id}-${i}`,
		position: [200 * i, 0],
	}));
	const connections = Object.fromEntries(nodes.slice(0, -1).map((n, i) => [n.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]));
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

const dataTable = (name: string) => ({ __rl: true, mode: 'name', value: name });
const filters = (filter: Record<string, string>) => ({ conditions: Object.entries(filter).map(([keyName, keyValue]) => ({ keyName, condition: 'eq', keyValue })) });
const insertRows = (name: string, table: string): StepNode => ({
	name,
	type: 'n8n-nodes-base.dataTable',
	parameters: { resource: 'row', operation: 'insert', dataTableId: dataTable(table), columns: { mappingMode: 'autoMapInputData', value: {}, matchingColumns: [], schema: [] }, options: {} },
});

/**
 * Creates the invoices table exactly as the shipped dunning run does (its "Ensure Invoices Table" node)
 * and inserts `invoices`. Empty string / null keep the Data Table happy: it has no null for strings.
 */
export function seedInvoicesWorkflow(invoices: SampleInvoice[], id = 'seedInvoices0001'): WorkflowJson {
	const run = JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', 'dunning-run.json'), 'utf8')) as WorkflowJson;
	const create = run.nodes.find((n) => n.name === 'Ensure Invoices Table') as StepNode | undefined;
	if (!create) throw new Error('dunning-run.json has no "Ensure Invoices Table" node');
	const rows = invoices.map((inv) => ({ ...inv, email: inv.email ?? '', invoiceDate: inv.invoiceDate ?? '', lastDunnedAt: inv.lastDunnedAt ?? '' }));
	return manualChain(id, 'Load sample invoices', [
		{ name: create.name, type: create.type, typeVersion: create.typeVersion, parameters: create.parameters },
		{ name: 'Sample Invoices', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` } },
		insertRows('Insert Invoices', 'dunning_invoices'),
	]);
}

/**
 * Creates the reminders table as the shipped dunning run does (its "Ensure Reminders Table" node) and
 * inserts `rows`, as a run elsewhere would have released them.
 */
export function insertRemindersWorkflow(id: string, rows: Array<Record<string, unknown>>): WorkflowJson {
	const run = JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', 'dunning-run.json'), 'utf8')) as WorkflowJson;
	const create = run.nodes.find((n) => n.name === 'Ensure Reminders Table') as StepNode | undefined;
	if (!create) throw new Error('dunning-run.json has no "Ensure Reminders Table" node');
	return manualChain(id, `Insert reminders ${id}`, [
		{ name: create.name, type: create.type, typeVersion: create.typeVersion, parameters: create.parameters },
		{ name: 'Reminder Rows', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` } },
		insertRows('Insert Reminders', 'dunning_reminders'),
	]);
}

/** Reads all rows of a Data Table through a throwaway workflow (the same path the shipped ones use). */
export function dumpTableWorkflow(table: string, id: string): WorkflowJson {
	return manualChain(id, `Dump ${table}`, [
		{ name: 'Rows', type: 'n8n-nodes-base.dataTable', parameters: { operation: 'get', dataTableId: dataTable(table), returnAll: true }, alwaysOutputData: true },
	]);
}

/** A throwaway workflow that updates rows of a Data Table, as an operator does in the table view. */
export function updateRowsWorkflow(id: string, table: string, filter: Record<string, string>, values: Record<string, unknown>): WorkflowJson {
	return manualChain(id, `Operator edit ${id}`, [
		{
			name: 'Edit Rows',
			type: 'n8n-nodes-base.dataTable',
			parameters: {
				operation: 'update',
				dataTableId: dataTable(table),
				matchType: 'allConditions',
				filters: filters(filter),
				columns: { mappingMode: 'defineBelow', value: values, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: false },
				options: {},
			},
		},
	]);
}

/** A throwaway workflow that inserts a copy of the matching rows, as a second, overlapping dunning run would. */
export function copyRowsWorkflow(id: string, table: string, filter: Record<string, string>): WorkflowJson {
	return manualChain(id, `Copy rows ${id}`, [
		{ name: 'Rows', type: 'n8n-nodes-base.dataTable', parameters: { operation: 'get', dataTableId: dataTable(table), matchType: 'allConditions', filters: filters(filter), returnAll: true } },
		{ name: 'Without Row Id', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: 'return $input.all().map(({ json: { id, createdAt, updatedAt, ...row } }) => ({ json: row }));' } },
		insertRows('Insert Copies', table),
	]);
}
