/**
 * A number a node reads once per run, often from an expression over a table row. An empty cell
 * (null, "") is no 0: a cleared "Minimum Seconds Between Emails" would turn the pace off and send
 * the whole backlog at once. Only parameters where empty has a meaning (a new mailbox's
 * nextSendAt) pass `emptyIs`.
 *
 * Returns the number, or the problem in words ("must be …, not …") for the caller to name the
 * item and field.
 */
export function runNumber(raw: unknown, min: number, emptyIs?: number): { value: number } | { problem: string } {
	const empty = raw === null || (typeof raw === 'string' && raw.trim() === '');
	if (empty && emptyIs !== undefined) return { value: emptyIs };
	const value = typeof raw === 'number' || (typeof raw === 'string' && !empty) ? Number(raw) : Number.NaN;
	if (Number.isFinite(value) && value >= min) return { value };
	return { problem: `must be a number of at least ${min}, not ${empty || raw === undefined ? 'empty' : JSON.stringify(raw)}` };
}
