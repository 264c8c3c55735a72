import { showValue } from '../../lib/dunning/field-value';

/**
 * What a number setting takes. An expression may give a setting anything; a number, or a number
 * given as text ("30", as a table cell holds it), is a number. Anything else (NaN, "abc", true, an
 * object) is refused, never quietly 0 or the default: a cleared "Min Seconds Between Emails"
 * would turn the pace off, a Max Message Size of 0 would send every message to Other.
 */
export interface NumberRule {
	/** The smallest value taken. */
	min: number;
	/** `min` itself is refused too ("above 0"): a size of 0 MB reads nothing. */
	minExclusive?: boolean;
	/** The largest value taken. Infinity is always refused, with or without it. */
	max?: number;
	/** Instead of `max`: values above it (Infinity too) are taken as it ("more than 3600 counts as 3600"). */
	capAt?: number;
	/** Only whole numbers (counts: 1.5 attempts, a limit of 1.5 mails). */
	whole?: boolean;
	/** What the number counts, in the problem: "seconds" gives "a number of seconds". */
	unit?: string;
	/** `max` in everyday words, said after it: "7 days" gives "to 604800 (7 days)". */
	maxInWords?: string;
	/** What a number above `max` likely is, said after the problem ("a unit mistake …"). */
	tooLarge?: string;
	/** Taken when the setting has no value (undefined or null: an option not added, a field cleared in the panel). */
	unsetIs?: number;
	/**
	 * Taken for an empty cell (null, "" or blank text), for the few settings where empty has a
	 * meaning (a new mailbox's nextSendAt). Elsewhere empty is refused: it is no 0.
	 */
	emptyIs?: number;
}

export type NumberRead = { value: number } | { problem: string };

/**
 * The number `raw` gives under `rule`, or the problem in words ("must be …, not …") for the caller
 * to name the item and the setting.
 */
export function readNumberSetting(raw: unknown, rule: NumberRule): NumberRead {
	const { min, minExclusive = false, max, capAt, whole = false, tooLarge } = rule;
	const blank = typeof raw === 'string' && raw.trim() === '';
	if ((raw === undefined || raw === null) && rule.unsetIs !== undefined) return { value: rule.unsetIs };
	if ((raw === null || blank) && rule.emptyIs !== undefined) return { value: rule.emptyIs };
	const value = typeof raw === 'number' || (typeof raw === 'string' && !blank) ? Number(raw) : Number.NaN;
	if (capAt !== undefined && value > capAt) return { value: capAt };
	// Number.MAX_VALUE: Infinity is above every maximum (NaN fails every comparison below).
	const aboveMax = value > (max ?? Number.MAX_VALUE);
	if ((minExclusive ? value > min : value >= min) && !aboveMax && (!whole || Number.isInteger(value))) return { value };
	const shown = raw === undefined || raw === null || blank ? 'empty' : showValue(raw);
	const why = tooLarge && max !== undefined && value > max ? `: ${tooLarge}` : '';
	return { problem: `must be ${numberRange(rule)}, not ${shown}${why}` };
}

/** What the rule takes, in words: "a whole number from 0 to 100000", "a number of seconds above 0". */
function numberRange({ min, minExclusive, max, capAt, whole, unit, maxInWords }: NumberRule): string {
	const kind = `${whole ? 'a whole number' : 'a number'}${unit ? ` of ${unit}` : ''}`;
	const upTo = max === undefined ? '' : `${max}${maxInWords ? ` (${maxInWords})` : ''}`;
	const range = minExclusive ? `above ${min}${upTo && ` and at most ${upTo}`}` : upTo ? `from ${min} to ${upTo}` : `of at least ${min}`;
	const capped = capAt === undefined ? '' : ` (more than ${capAt} counts as ${capAt})`;
	return `${kind} ${range}${capped}`;
}
