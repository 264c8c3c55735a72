/**
 * The payment reference (Verwendungszweck) a reminder asks the customer to use, from the
 * operator's pattern. It is what the merchant's bookkeeping matches incoming payments by, so the
 * default is the invoice number; a collective reminder lists every invoice number it covers.
 */
import { EPC_MAX_REMITTANCE_CHARS } from './epc-qr';

export const DEFAULT_REFERENCE_PATTERN = '{invoiceNumber}';

export const REFERENCE_PLACEHOLDERS = ['invoiceNumber', 'invoiceId', 'customerId', 'level'] as const;
export type ReferenceValues = Record<(typeof REFERENCE_PLACEHOLDERS)[number], string>;

/** Null when the pattern is usable, else what is wrong with it. */
export function checkReferencePattern(pattern: string): string | null {
	for (const m of pattern.matchAll(/\{([^{}]*)\}/g)) {
		if (!(REFERENCE_PLACEHOLDERS as readonly string[]).includes(m[1])) {
			return `uses {${m[1]}}, which is not known; use ${REFERENCE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
		}
	}
	return null;
}

/**
 * Fills the pattern. Bank transfers carry at most 140 characters: when the invoice list of a
 * collective reminder makes it longer, whole numbers are dropped from the end and "+N" says how
 * many are left out, so no number is ever cut in half.
 */
export function paymentReference(pattern: string, values: Omit<ReferenceValues, 'invoiceNumber'>, invoiceNumbers: string[]): string {
	const fill = (numbers: string) =>
		pattern.replace(/\{(invoiceNumber|invoiceId|customerId|level)\}/g, (_, key: keyof ReferenceValues) => (key === 'invoiceNumber' ? numbers : values[key]))
			.replace(/[\r\n\t]+/g, ' ')
			.trim();
	let shown = invoiceNumbers.length;
	let reference = fill(invoiceNumbers.join(' '));
	while ([...reference].length > EPC_MAX_REMITTANCE_CHARS && shown > 1) {
		shown--;
		reference = fill(`${invoiceNumbers.slice(0, shown).join(' ')} +${invoiceNumbers.length - shown}`);
	}
	if ([...reference].length > EPC_MAX_REMITTANCE_CHARS) reference = [...reference].slice(0, EPC_MAX_REMITTANCE_CHARS).join('');
	return reference;
}
