/**
 * The ledger's storage, reduced to what claiming and pacing need. Implemented over n8n Data Tables
 * by the Dunning Ledger node (and over memory in tests); the rules in claim.ts and pace.ts only
 * rely on `update` being one atomic conditional update, which n8n's Data Tables are: a single
 * `UPDATE … WHERE … RETURNING` on Postgres (queue mode), a write transaction on SQLite.
 */
export type LedgerValue = string | number | boolean | null;

export type LedgerData = Record<string, LedgerValue>;

export type LedgerRow = LedgerData & { id: number };

export type LedgerOperator = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'isEmpty' | 'isNotEmpty';

export interface LedgerCondition {
	column: string;
	op: LedgerOperator;
	value?: LedgerValue;
}

export interface LedgerTable {
	/** Rows matching every condition, ascending by `orderBy`, at most `limit`. */
	find(where: LedgerCondition[], options: { orderBy: string; limit: number }): Promise<LedgerRow[]>;
	/**
	 * Sets `data` on the rows that match every condition at the moment of the update, atomically,
	 * and returns those rows as they are afterwards. This is the compare-and-set everything rests on.
	 */
	update(where: LedgerCondition[], data: LedgerData): Promise<LedgerRow[]>;
	insert(row: LedgerData): Promise<void>;
}

export const eq = (column: string, value: LedgerValue): LedgerCondition => ({ column, op: 'eq', value });

/** Equality that treats null and '' alike, as a freshly inserted row has null where a column was never set. */
export const sameAs = (column: string, value: LedgerValue | undefined): LedgerCondition =>
	value === null || value === undefined || value === '' ? { column, op: 'isEmpty' } : eq(column, value);
