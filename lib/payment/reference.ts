/**
 * The payment reference (Verwendungszweck) a reminder asks the customer to use, from the
 * operator's pattern. It is what the merchant's bookkeeping matches incoming payments by, so the
 * default is the invoice number; a collective reminder lists every invoice number it covers.
 */
import { EPC_MAX_PAYLOAD_BYTES, EPC_MAX_REMITTANCE_CHARS, epcLine, visible } from './epc-qr';

export const DEFAULT_REFERENCE_PATTERN = '{invoiceNumber}';

export const REFERENCE_PLACEHOLDERS = ['invoiceNumber', 'invoiceId', 'customerId', 'level'] as const;
export type ReferencePlaceholder = (typeof REFERENCE_PLACEHOLDERS)[number];
export type ReferenceValues = Record<ReferencePlaceholder, string>;

/** Null when the pattern is usable, else what is wrong with it. */
export function checkReferencePattern(pattern: string): string | null {
	const own = [...epcLine(pattern.replace(/\{[^{}]*\}/g, ''))].length;
	// Nothing is cut from a reference: a text that can never fit is refused once, with the details.
	if (own > EPC_MAX_REMITTANCE_CHARS) return `has ${own} characters of its own, more than the ${EPC_MAX_REMITTANCE_CHARS} a bank transfer carries`;
	for (const m of pattern.matchAll(/\{([^{}]*)\}/g)) {
		if (!(REFERENCE_PLACEHOLDERS as readonly string[]).includes(m[1])) {
			return `uses {${m[1]}}, which is not known; use ${REFERENCE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
		}
	}
	return null;
}

/** A reference that cannot be made; `placeholder` says which value to fix ("pattern": the operator's own text). */
export class PaymentReferenceError extends Error {
	constructor(
		readonly placeholder: ReferencePlaceholder | 'pattern',
		message: string,
	) {
		super(message);
		this.name = 'PaymentReferenceError';
	}
}

/** Null when a text can go into the reference, else why not (a font or bank character check). */
export type ReferenceTextCheck = (text: string) => string | null;

/**
 * Fills the pattern. Bank transfers carry at most 140 characters: when the invoice list of a
 * collective reminder makes it longer, whole entries are dropped from the end of the invoice
 * numbers and, in step, of the invoice IDs (`values.invoiceId` lists them separated by ", "), and
 * "+N" says how many are left out. Nothing is ever cut (a cut "inv-16" would read as invoice
 * "inv-1"), so a reference too long even for one entry fails naming the longest value; so does a
 * placeholder that is empty (a reference "Kunde" matches no payment) or a value `check` refuses.
 * The result is one line as the GiroCode carries it (epcLine), so print and code agree.
 * `maxBytes`: the UTF-8 bytes the GiroCode leaves for the reference (epcRemittanceBytes); entries
 * are dropped until it fits those too, since a Cyrillic or Greek letter takes two bytes.
 */
export function paymentReference(
	pattern: string,
	values: Omit<ReferenceValues, 'invoiceNumber'>,
	invoiceNumbers: string[],
	check?: ReferenceTextCheck,
	maxBytes = Number.POSITIVE_INFINITY,
): string {
	const count = invoiceNumbers.length;
	const ids = values.invoiceId.split(', ');
	const idsInStep = ids.length === count;
	const used = usedPlaceholders(pattern);
	const entriesOf = (key: ReferencePlaceholder): string[] =>
		key === 'invoiceNumber' ? invoiceNumbers : key === 'invoiceId' && idsInStep ? ids : [values[key as Exclude<ReferencePlaceholder, 'invoiceNumber'>]];
	for (const key of used) {
		for (const entry of entriesOf(key)) {
			if (epcLine(entry) === '') throw new PaymentReferenceError(key, `The payment reference "${pattern}" uses {${key}}, which is empty for this reminder: fill ${key} or change the pattern`);
			const problem = check?.(entry);
			if (problem) throw new PaymentReferenceError(key, `The ${key} "${brief(entry)}" in the payment reference ${problem}`);
		}
	}
	const literal = pattern.replace(PLACEHOLDER, ' ');
	const literalProblem = check?.(literal);
	if (literalProblem) throw new PaymentReferenceError('pattern', `The payment reference "${pattern}" ${literalProblem}`);

	const listed = (entries: string[], separator: string, shown: number) =>
		shown < count ? `${entries.slice(0, shown).join(separator)} +${count - shown}` : entries.join(separator);
	const fill = (shown: number) =>
		epcLine(
			pattern.replace(PLACEHOLDER, (_, key: ReferencePlaceholder) =>
				key === 'invoiceNumber' ? listed(invoiceNumbers, ' ', shown) : key === 'invoiceId' && idsInStep ? listed(ids, ', ', shown) : values[key],
			),
		);
	const tooLong = (text: string) => [...text].length > EPC_MAX_REMITTANCE_CHARS;
	const tooManyBytes = (text: string) => Buffer.byteLength(text, 'utf8') > maxBytes;
	let shown = count;
	let reference = fill(shown);
	while ((tooLong(reference) || tooManyBytes(reference)) && shown > 1) reference = fill(--shown);
	if (!tooLong(reference) && !tooManyBytes(reference)) return reference;
	// Even one entry does not fit: name the longest value the pattern uses (in characters, or in bytes
	// when only the bytes are too many), or the pattern when its own text is longer.
	const size = tooLong(reference) ? (text: string) => [...text].length : (text: string) => Buffer.byteLength(text, 'utf8');
	const literalLength = size(epcLine(literal));
	const longest = used.map((key) => ({ key, entry: entriesOf(key)[0] })).sort((a, b) => size(b.entry) - size(a.entry))[0];
	const culprit: { key: ReferencePlaceholder | 'pattern'; entry: string } = longest && size(longest.entry) >= literalLength ? longest : { key: 'pattern', entry: pattern };
	const named = culprit.key === 'pattern' ? 'the pattern’s own text' : `${culprit.key} "${brief(culprit.entry)}"`;
	if (!tooLong(reference)) {
		throw new PaymentReferenceError(
			culprit.key,
			`The payment reference would take ${Buffer.byteLength(reference, 'utf8')} bytes even with one invoice, more than the ${maxBytes} the GiroCode leaves for it beside the account holder, IBAN, BIC and amount (${EPC_MAX_PAYLOAD_BYTES} bytes in all; a Cyrillic or Greek letter takes two): ${named} is too long for it, and nothing is cut; shorten it, the payment reference pattern or the account holder's name`,
		);
	}
	throw new PaymentReferenceError(
		culprit.key,
		`The payment reference would have ${[...reference].length} characters even with one invoice, more than the ${EPC_MAX_REMITTANCE_CHARS} a bank transfer carries: ${named} is too long, and nothing is cut (a shortened invoice number names another invoice); shorten it or the payment reference pattern`,
	);
}

/** A value for a message: long ones shortened, so the error stays readable. */
function brief(text: string): string {
	const chars = [...text];
	return visible(chars.length > 60 ? `${chars.slice(0, 57).join('')}…` : text);
}

const PLACEHOLDER = /\{(invoiceNumber|invoiceId|customerId|level)\}/g;

function usedPlaceholders(pattern: string): ReferencePlaceholder[] {
	return [...new Set([...pattern.matchAll(PLACEHOLDER)].map((m) => m[1] as ReferencePlaceholder))];
}
