/**
 * Which currency codes an invoice, a policy's default currency and a reminder may carry: the ISO
 * 4217 codes of money a customer can pay in. Three letters alone are not enough: a spreadsheet's
 * error value "NaN", "abc" or ISO's "XXX" (no currency) would otherwise be printed on a reminder as
 * "100,00 NAN".
 *
 * The list is the platform's (`Intl.supportedValuesOf('currency')`, ICU's current ISO 4217 codes):
 * on Node 20 and 24 it holds the currencies in use (EUR, CHF, the CFA francs XOF and XAF, the East
 * Caribbean dollar XCD, …) and none of the historic (DEM, VEF), fund (CHE, CLF, USN) or precious
 * metal (XAU) codes, nor XXX or XTS.
 */
import { showValue } from './field-value';

/** Codes the platform lists that no invoice is paid in, each with what it is, for the message. */
const REFUSED: ReadonlyMap<string, string> = new Map([
	// Never in the platform's list today; refused by name in case an ICU ever lists them.
	['XXX', 'ISO 4217’s code for “no currency”'],
	['XTS', 'ISO 4217’s code reserved for testing'],
	// Listed by the platform, but units of account between central banks, not money a customer pays.
	['XDR', 'the IMF’s special drawing rights, a unit of account'],
	['XSU', 'the SUCRE, a unit of account between central banks'],
]);

/**
 * ISO 4217 codes in use that the ICU of an older supported Node lacks: Node 20.15 (ICU 75) has no
 * ZWG (Zimbabwe Gold, 2024); no ICU lists VED (Venezuela's digital bolívar, 2021), which ISO does.
 */
const NEWER_THAN_PLATFORM = ['ZWG', 'VED'];

function platformCodes(): ReadonlySet<string> | null {
	const supportedValuesOf = (Intl as { supportedValuesOf?: (key: 'currency') => string[] }).supportedValuesOf;
	if (typeof supportedValuesOf !== 'function') return null;
	const codes = new Set(supportedValuesOf('currency'));
	for (const code of NEWER_THAN_PLATFORM) codes.add(code);
	for (const code of REFUSED.keys()) codes.delete(code);
	return codes;
}

/**
 * Null only on a Node without the list (before 18, below this package's engines): there any three
 * letters outside REFUSED are taken, as before the list was used.
 */
const CODES = platformCodes();

/** Whether `code` (upper case, as given) is a currency an invoice may be in. */
export function isCurrencyCode(code: string): boolean {
	return CODES !== null ? CODES.has(code) : /^[A-Z]{3}$/.test(code) && !REFUSED.has(code);
}

/** A currency code, or why the value is none (a message that goes after the field's name). */
export type CurrencyRead = { ok: true; code: string } | { ok: false; problem: string };

/** What every currency message says is expected. */
export const CURRENCY_EXPECTED = 'must be a three-letter currency code (ISO 4217) such as EUR';

/**
 * A currency as an ISO 4217 code ("eur " → "EUR"), or why the value is none. Blank values are the
 * caller's to decide (usually the default currency).
 */
export function readCurrencyCode(value: unknown): CurrencyRead {
	const text = typeof value === 'string' ? value.trim() : '';
	const code = /^[A-Za-z]{3}$/.test(text) ? text.toUpperCase() : '';
	if (code !== '' && isCurrencyCode(code)) return { ok: true, code };
	const what = REFUSED.get(code);
	return { ok: false, problem: `${CURRENCY_EXPECTED} (got ${showValue(value)}${what ? `, ${what}` : ''})` };
}
