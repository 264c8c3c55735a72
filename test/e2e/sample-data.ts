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

/**
 * A workflow that (re)creates the invoices table with the same columns as the shipped dunning run
 * and inserts `invoices`. Empty string / null keep the Data Table happy: it has no null for strings.
 */
export function seedInvoicesWorkflow(invoices: SampleInvoice[], id = 'seedInvoices0001'): WorkflowJson {
	const run = JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', 'dunning-run.json'), 'utf8')) as WorkflowJson;
	const create = run.nodes.find((n) => n.name === 'Ensure Invoices Table');
	if (!create) throw new Error('dunning-run.json has no "Ensure Invoices Table" node');
	const rows = invoices.map((inv) => ({ ...inv, email: inv.email ?? '', invoiceDate: inv.invoiceDate ?? '', lastDunnedAt: inv.lastDunnedAt ?? '' }));
	return {
		id,
		name: 'Load sample invoices',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 's1', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ ...create, id: 's2', position: [200, 0] },
			{
				id: 's3',
				name: 'Sample Invoices',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [400, 0],
				parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` },
			},
			{
				id: 's4',
				name: 'Insert Invoices',
				type: 'n8n-nodes-base.dataTable',
				typeVersion: 1.1,
				position: [600, 0],
				parameters: {
					resource: 'row',
					operation: 'insert',
					dataTableId: { __rl: true, mode: 'name', value: 'dunning_invoices' },
					columns: { mappingMode: 'autoMapInputData', value: {}, matchingColumns: [], schema: [] },
					options: {},
				},
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Ensure Invoices Table', type: 'main', index: 0 }]] },
			'Ensure Invoices Table': { main: [[{ node: 'Sample Invoices', type: 'main', index: 0 }]] },
			'Sample Invoices': { main: [[{ node: 'Insert Invoices', type: 'main', index: 0 }]] },
		},
	};
}

/** Reads all rows of a Data Table through a throwaway workflow (the same path the shipped ones use). */
export function dumpTableWorkflow(table: string, id: string): WorkflowJson {
	return {
		id,
		name: `Dump ${table}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'd1', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'd2',
				name: 'Rows',
				type: 'n8n-nodes-base.dataTable',
				typeVersion: 1.1,
				position: [200, 0],
				parameters: { operation: 'get', dataTableId: { __rl: true, mode: 'name', value: table }, returnAll: true },
				alwaysOutputData: true,
			},
		],
		connections: { 'Manual Trigger': { main: [[{ node: 'Rows', type: 'main', index: 0 }]] } },
	};
}
