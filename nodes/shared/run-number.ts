import { showValue } from '../../lib/dunning/field-value';

/**
 * A number a node reads once per run, often from an expression over a table row. An empty cell
 * (null, "") is no 0: a cleared "Minimum Seconds Between Emails" would turn the pace off and send
 * the whole backlog at once. Only parameters where empty has a meaning (a new mailbox's
 * nextSendAt) pass `emptyIs`.
 *
 * `limits` narrows what is taken: `whole` for counts (1.5 attempts, a limit of 1.5 mails), `max`
 * for values where more is a mistake (a pause of 3,600,000 s is an hour typed in milliseconds).
 *
 * Returns the number, or the problem in words ("must be …, not …") for the caller to name the
 * item and field.
 */
export interface RunNumberLimits {
	/** The largest value taken. */
	max?: number;
	/** Only whole numbers (counts). */
	whole?: boolean;
	/** What a number above `max` likely is, said after the problem ("a unit mistake …"). */
	tooLarge?: string;
}

export function runNumber(raw: unknown, min: number, emptyIs?: number, limits: RunNumberLimits = {}): { value: number } | { problem: string } {
	const empty = raw === null || (typeof raw === 'string' && raw.trim() === '');
	if (empty && emptyIs !== undefined) return { value: emptyIs };
	const value = typeof raw === 'number' || (typeof raw === 'string' && !empty) ? Number(raw) : Number.NaN;
	const { max, whole = false, tooLarge } = limits;
	if (Number.isFinite(value) && value >= min && (max === undefined || value <= max) && (!whole || Number.isInteger(value))) return { value };
	const kind = whole ? 'a whole number' : 'a number';
	const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
	const why = tooLarge && max !== undefined && value > max ? `: ${tooLarge}` : '';
	return { problem: `must be ${kind} ${range}, not ${empty || raw === undefined ? 'empty' : showValue(raw)}${why}` };
}
