/**
 * n8n Data Tables in memory, behind n8n's own Data Table interface (`IDataTableProjectService`),
 * for tests of the shipped sender's claim and pace steps; in a real n8n this is its database (the
 * queue-mode end-to-end test runs the real one on PostgreSQL). Each call is applied synchronously,
 * so every `updateRows` is one atomic conditional update, as a single `UPDATE … WHERE … RETURNING`
 * is; the calls still yield to the event loop like database round trips do, so concurrent ticks
 * interleave between them.
 */
import type {
	DataTable,
	DataTableColumn,
	DataTableColumnJsType,
	DataTableFilter,
	DataTableRow,
	DataTableRowReturn,
	IDataTableProjectService,
} from 'n8n-workflow';

type StoredRow = DataTableRowReturn;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * n8n's LIKE ("Contains (Case-Sensitive)") and ILIKE ("Contains (Case-Insensitive)"), as its Data
 * Table repository runs them: the whole value must match the pattern, `%` is the only wildcard (`_`
 * and every other character are literal), and an empty cell (NULL) matches nothing. n8n refuses a
 * pattern that is null or no string. There is no NOT LIKE among n8n's conditions.
 */
function likeMatches(value: DataTableColumnJsType | undefined, pattern: DataTableColumnJsType, ignoreCase: boolean): boolean {
	if (typeof pattern !== 'string') throw new Error(`${ignoreCase ? 'ILIKE' : 'LIKE'} filter value must be a string`);
	if (value === null || value === undefined) return false;
	const literal = (part: string) => part.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
	return new RegExp(`^${pattern.split('%').map(literal).join('[^]*')}$`, ignoreCase ? 'i' : '').test(String(value));
}

function matches(row: StoredRow, filter: DataTableFilter | undefined): boolean {
	if (!filter || filter.filters.length === 0) return true;
	const test = (f: DataTableFilter['filters'][number]) => {
		const value = row[f.columnName] as DataTableColumnJsType | undefined;
		const empty = value === null || value === undefined || value === '';
		switch (f.condition) {
			case 'isEmpty':
				return empty;
			case 'isNotEmpty':
				return !empty;
			case 'eq':
				return f.value === null ? value === null || value === undefined : value === f.value;
			case 'neq':
				return f.value === null ? !(value === null || value === undefined) : value !== f.value;
		}
		if (f.condition === 'like' || f.condition === 'ilike') return likeMatches(value, f.value, f.condition === 'ilike');
		// SQL: comparisons with NULL are false
		if (value === null || value === undefined || f.value === null) return false;
		switch (f.condition) {
			case 'lt':
				return value < f.value;
			case 'lte':
				return value <= f.value;
			case 'gt':
				return value > f.value;
			case 'gte':
				return value >= f.value;
			default:
				throw new Error(`condition ${f.condition} is not supported here`);
		}
	};
	return filter.type === 'or' ? filter.filters.some(test) : filter.filters.every(test);
}

class MemoryTable {
	rows: StoredRow[] = [];
	private nextId = 1;

	constructor(readonly table: DataTable) {}

	/** n8n's Data Table service refuses a row, or a filter, that names a column the table lacks (data-table.service.ts). */
	private checkColumns(row: DataTableRow) {
		this.checkColumnNames(Object.keys(row));
	}

	private checkColumnNames(names: string[]) {
		const known = new Set(['id', 'createdAt', 'updatedAt', ...this.table.columns.map((c) => c.name)]);
		for (const key of names) if (!known.has(key)) throw new Error(`Validation error with data table request: unknown column name '${key}'`);
	}

	private checkFilter(filter: DataTableFilter | undefined) {
		this.checkColumnNames((filter?.filters ?? []).map((f) => f.columnName));
	}

	insert(rows: DataTableRow[]): void {
		for (const row of rows) {
			this.checkColumns(row);
			const now = new Date();
			this.rows.push({ ...row, id: this.nextId++, createdAt: now, updatedAt: now });
		}
	}

	service(): IDataTableProjectService {
		const copy = (r: StoredRow) => ({ ...r });
		return {
			updateDataTable: async () => true,
			deleteDataTable: async () => true,
			getColumns: async () => {
				await tick();
				return this.table.columns.map((c) => ({ ...c }));
			},
			addColumn: async (options) => {
				await tick();
				if (this.table.columns.some((c) => c.name === options.name)) throw new Error(`column ${options.name} exists`);
				const column: DataTableColumn = { id: `c${this.table.columns.length}`, name: options.name, type: options.type, index: this.table.columns.length, dataTableId: this.table.id };
				this.table.columns.push(column);
				return column;
			},
			moveColumn: async () => true,
			deleteColumn: async () => true,
			getManyRowsAndCount: async (dto) => {
				await tick();
				this.checkFilter(dto.filter);
				let rows = this.rows.filter((r) => matches(r, dto.filter));
				if (dto.sortBy) {
					const [column, direction] = dto.sortBy;
					const sign = direction === 'DESC' ? -1 : 1;
					rows = [...rows].sort((a, b) => ((a[column] ?? 0) > (b[column] ?? 0) ? sign : (a[column] ?? 0) < (b[column] ?? 0) ? -sign : 0));
				}
				const count = rows.length;
				rows = rows.slice(dto.skip ?? 0, (dto.skip ?? 0) + (dto.take ?? rows.length));
				return { count, data: rows.map(copy) };
			},
			insertRows: (async (rows: DataTableRow[]) => {
				await tick();
				this.insert(rows);
				return { success: true, insertedRows: rows.length };
			}) as IDataTableProjectService['insertRows'],
			updateRows: async (options) => {
				await tick();
				this.checkColumns(options.data);
				this.checkFilter(options.filter);
				const hit = this.rows.filter((r) => matches(r, options.filter));
				for (const r of hit) Object.assign(r, options.data, { updatedAt: new Date() });
				return hit.map(copy);
			},
			// As n8n's: the matching rows updated, or one row inserted, in one step.
			upsertRow: async (options) => {
				await tick();
				this.checkColumns(options.data);
				this.checkFilter(options.filter);
				const hit = this.rows.filter((r) => matches(r, options.filter));
				for (const r of hit) Object.assign(r, options.data, { updatedAt: new Date() });
				if (hit.length > 0) return hit.map(copy);
				this.insert([options.data]);
				return [copy(this.rows[this.rows.length - 1])];
			},
			deleteRows: async (options) => {
				await tick();
				this.checkFilter(options.filter);
				return [];
			},
			clearRows: async () => ({ deletedCount: 0 }),
		};
	}
}

let tableCount = 0;

/** A Data Table (as the dunning run's "Ensure … Table" creates it), filled with `rows`. */
export function memoryDataTable(name: string, columns: Array<Pick<DataTableColumn, 'name' | 'type'>>, rows: DataTableRow[] = []): MemoryTable {
	const id = `dt${++tableCount}`;
	const table = new MemoryTable({
		id,
		name,
		columns: columns.map((c, index) => ({ id: `c${index}`, name: c.name, type: c.type, index, dataTableId: id })),
		createdAt: new Date(),
		updatedAt: new Date(),
		projectId: 'test-project',
	});
	table.insert(rows);
	return table;
}
