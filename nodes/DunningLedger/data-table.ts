/**
 * The ledger's tables as n8n Data Tables, through the helpers n8n gives every node
 * (`getDataTableAggregateProxy`, `getDataTableProxy`). Finds a table by its exact name, creates the
 * mailboxes table when missing, and adds the claim columns to a reminders table made by an older
 * version of the shipped workflows.
 */
import type {
	DataTableColumnType,
	DataTableFilter,
	DataTableRowReturn,
	IDataTableProjectService,
	IExecuteFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LedgerCondition, LedgerRow, LedgerTable, LedgerValue } from '../../lib/ledger/table';

export interface ColumnSpec {
	name: string;
	type: DataTableColumnType;
}

/** Columns the claim needs on the reminders table (the dunning run creates the others). */
export const CLAIM_COLUMNS: ColumnSpec[] = [
	{ name: 'mailbox', type: 'string' },
	{ name: 'claimId', type: 'string' },
	{ name: 'leaseUntil', type: 'number' },
	{ name: 'retryAfter', type: 'number' },
];

export const MAILBOX_COLUMNS: ColumnSpec[] = [
	{ name: 'mailbox', type: 'string' },
	{ name: 'nextSendAt', type: 'number' },
];

export const DEFAULT_MAILBOX = 'default';

function toFilter(where: LedgerCondition[]): DataTableFilter {
	return {
		type: 'and',
		filters: where.map((c) => ({ columnName: c.column, condition: c.op, value: c.value ?? null })),
	};
}

function toRow(row: DataTableRowReturn): LedgerRow {
	const out: Record<string, LedgerValue> = {};
	for (const [key, value] of Object.entries(row)) out[key] = value instanceof Date ? value.toISOString() : value;
	return out as LedgerRow;
}

export function asLedgerTable(proxy: IDataTableProjectService): LedgerTable {
	return {
		async find(where, { orderBy, limit }) {
			const { data } = await proxy.getManyRowsAndCount({ filter: toFilter(where), sortBy: [orderBy, 'ASC'], take: limit });
			return data.map(toRow);
		},
		async update(where, data) {
			const rows = await proxy.updateRows({ filter: toFilter(where), data });
			return (rows as DataTableRowReturn[]).map(toRow);
		},
		async insert(row) {
			await proxy.insertRows([row], 'count');
		},
	};
}

/**
 * Opens the Data Table called `name` in this workflow's project. `create` makes it when missing;
 * `columns` are added when missing (a table from an older version of the workflows).
 */
export async function openTable(
	ctx: IExecuteFunctions,
	name: string,
	columns: ColumnSpec[],
	create: boolean,
	missingHint: string,
): Promise<{ table: LedgerTable; added: string[] }> {
	const aggregate = await ctx.helpers.getDataTableAggregateProxy?.();
	if (!aggregate) {
		throw new NodeOperationError(ctx.getNode(), 'This n8n has no Data Tables', {
			description: 'The ledger keeps reminders in n8n Data Tables; update n8n to a version that has them.',
		});
	}
	const lookup = async () => (await aggregate.getManyAndCount({ filter: { name }, take: 100 })).data.find((t) => t.name === name);
	let found = await lookup();
	if (!found && create) {
		// A concurrent execution may create it first; n8n refuses a second table of the same name.
		found = await aggregate.createDataTable({ name, columns }).catch(async (error: Error) => {
			const other = await lookup();
			if (!other) throw new NodeOperationError(ctx.getNode(), `Could not create the Data Table "${name}": ${error.message}`);
			return other;
		});
	}
	if (!found) {
		throw new NodeOperationError(ctx.getNode(), `The Data Table "${name}" does not exist`, { description: missingHint });
	}
	const proxy = await ctx.helpers.getDataTableProxy!(found.id);
	const existing = new Set((await proxy.getColumns()).map((c) => c.name));
	const added: string[] = [];
	for (const column of columns) {
		if (existing.has(column.name)) continue;
		try {
			await proxy.addColumn(column);
			added.push(column.name);
		} catch (error) {
			// A concurrent execution may have added it a moment ago.
			if (!(await proxy.getColumns()).some((c) => c.name === column.name)) {
				throw new NodeOperationError(ctx.getNode(), `Could not add the column "${column.name}" to the Data Table "${name}": ${(error as Error).message}`);
			}
		}
	}
	return { table: asLedgerTable(proxy), added };
}
