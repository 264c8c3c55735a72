/**
 * How an amount, a currency and a yes/no flag are read from item data (a spreadsheet, an ERP export, an
 * expression). Compute Dunning Level and Send Reminder Email read the same fields, so they read
 * them the same way: a blocked address that one node sees as blocked, the other must too.
 */

/**
 * The largest amount taken. Interest over the plausible span of dates and fees on top still add
 * up to less than Number.MAX_SAFE_INTEGER cents (about 90 trillion), so every total is exact to
 * the cent; no real invoice comes near it. More decimals than cents are rounded, not refused:
 * ERP exports often carry 119.00000000000001.
 */
export const MAX_AMOUNT = 10_000_000_000_000;

/** A plain decimal with a point: no thousands separators, no hex ("0x1F"), no exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * "1.234": a German export's 1,234 (thousands separator) as much as 1.234. Money of a currency with
 * cents has two decimals, so neither is taken; in one with three (BHD, KWD) it is 1.234.
 */
const THOUSANDS_LIKE = /^[+-]?[1-9]\d{0,2}\.\d{3}$/;

/** An amount, or why it is none. Blank values are the caller's to decide (missing or 0). */
export type AmountRead = { ok: true; amount: number } | { ok: false; problem: string };

/**
 * `negative`: take amounts below zero (an invoice's open amount: a credit note or an overpaid
 * invoice, which Compute Dunning Level holds back instead of refusing). Elsewhere they are refused.
 */
export function readAmount(value: unknown, currencyDecimals = 2, negative = false): AmountRead {
	let n: number;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && currencyDecimals < 3 && THOUSANDS_LIKE.test(value.trim())) {
		return { ok: false, problem: `is ambiguous (got ${showValue(value)}): a decimal point, or a German thousands separator? Write amounts with a decimal point and no thousands separator, e.g. ${value.trim().replace('.', '')}.00` };
	} else if (typeof value === 'string' && DECIMAL.test(value.trim())) n = Number(value.trim());
	else return { ok: false, problem: `must be a number with a decimal point, e.g. 120.50 (got ${showValue(value)})` };
	if (!Number.isFinite(n)) return { ok: false, problem: `must be a finite number (got ${showValue(value)})` };
	if (n < 0 && !negative) return { ok: false, problem: `must not be negative (got ${n})` };
	if (Math.abs(n) > MAX_AMOUNT) return { ok: false, problem: `is too large (got ${showValue(value)}): at most ${MAX_AMOUNT} is taken, so that totals stay exact to the cent` };
	return { ok: true, amount: n };
}

// WAHR/FALSCH: what a German Excel or LibreOffice writes for TRUE/FALSE in a CSV export.
/** The words that mean yes (lower case); the shipped workflows' Code nodes read flags with the same list. */
export const YES_WORDS: readonly string[] = ['true', 'yes', '1', 'x', 'ja', 'wahr'];
const YES = new Set(YES_WORDS);
const NO = new Set(['false', 'no', '0', 'nein', 'falsch', '']);

/** A yes/no flag as spreadsheets and ERPs write it; undefined when the value is neither. */
export function readFlag(value: unknown): boolean | undefined {
	if (value === true || value === 1) return true;
	if (value === false || value === 0 || value === undefined || value === null) return false;
	if (typeof value !== 'string') return undefined;
	const s = value.trim().toLowerCase();
	return YES.has(s) ? true : NO.has(s) ? false : undefined;
}

/**
 * Several e-mail addresses given as a list (a JSON array from an API or a CRM's multi-value field):
 * one comma-separated line, the form an ERP export writes and Send Reminder Email reads. Undefined
 * for anything but a list of texts.
 */
export function addressListText(value: unknown): string | undefined {
	if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return undefined;
	return (value as string[])
		.map((v) => v.trim())
		.filter((v) => v !== '')
		.join(', ');
}

/** The one text of a one-element list (`["de"]`, as a multi-select column gives it); undefined for anything else. */
export function onlyText(value: unknown): string | undefined {
	return Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' ? value[0] : undefined;
}

/** A value as it appears in a message; never throws (BigInt, cycles) and stays short. */
export function showValue(value: unknown): string {
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	let text: string | undefined;
	try {
		text = JSON.stringify(value);
	} catch {
		text = undefined;
	}
	if (text === undefined) text = typeof value === 'bigint' ? `${value}n` : `a value of type ${typeof value}`;
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
