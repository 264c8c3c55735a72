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
 * collective reminder makes it longer, whole entries are dropped from the end of the invoice
 * numbers and, in step, of the invoice IDs (`values.invoiceId` lists them separated by ", "), and
 * "+N" says how many are left out, so no number or ID is ever cut in half (a cut "inv-16" would read
 * as invoice "inv-1"). Only a pattern too long even for one entry is cut, after its last whole word.
 */
export function paymentReference(pattern: string, values: Omit<ReferenceValues, 'invoiceNumber'>, invoiceNumbers: string[]): string {
	const count = invoiceNumbers.length;
	const ids = values.invoiceId.split(', ');
	const listed = (entries: string[], separator: string, shown: number) =>
		shown < count ? `${entries.slice(0, shown).join(separator)} +${count - shown}` : entries.join(separator);
	const fill = (shown: number) =>
		pattern
			.replace(/\{(invoiceNumber|invoiceId|customerId|level)\}/g, (_, key: keyof ReferenceValues) =>
				key === 'invoiceNumber' ? listed(invoiceNumbers, ' ', shown) : key === 'invoiceId' && ids.length === count ? listed(ids, ', ', shown) : values[key],
			)
			.replace(/[\r\n\t]+/g, ' ')
			.trim();
	let shown = count;
	let reference = fill(shown);
	while ([...reference].length > EPC_MAX_REMITTANCE_CHARS && shown > 1) reference = fill(--shown);
	if ([...reference].length <= EPC_MAX_REMITTANCE_CHARS) return reference;
	const cut = [...reference].slice(0, EPC_MAX_REMITTANCE_CHARS + 1).join('');
	const lastSpace = cut.lastIndexOf(' ');
	return lastSpace > 0 ? cut.slice(0, lastSpace).trimEnd() : [...reference].slice(0, EPC_MAX_REMITTANCE_CHARS).join('');
}
