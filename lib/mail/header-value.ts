/**
 * Header injection guard. A line break inside a header value (a customer name, a subject built
 * from item data, an address) would let the data add headers or recipients of its own, so such a
 * value fails its item instead of being silently cleaned.
 */
export class HeaderValueError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'HeaderValueError';
	}
}

/** C0 controls but TAB (which headers may hold), DEL and C1 controls: no place in text a person reads. */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

/**
 * Windows-1252's characters for bytes 0x80-0x9F (WHATWG Encoding index; '' where it has none).
 * Node's TextDecoder reads this range as Latin-1, so the table is spelt out.
 */
const WINDOWS_1252_C1 = [
	'\u20ac', '', '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021', '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', '', '\u017d', '',
	'', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014', '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', '', '\u017e', '\u0178',
];

/**
 * A C1 control in a text is nearly always Windows-1252 read as Latin-1 (an ERP export): byte 0x96,
 * in Windows-1252 "–", becomes U+0096. Named, so that the export's encoding gets fixed.
 */
function c1Hint(char: string): string {
	const meant = WINDOWS_1252_C1[char.codePointAt(0)! - 0x80];
	return meant ? ` (in Windows-1252 that byte is "${meant}": was the text exported in Windows-1252 and read as Latin-1?)` : '';
}

/**
 * Bidirectional embeddings, overrides and isolates (LRE … RLO, LRI … PDI): they reorder what a
 * mail program shows, so "Rechnung-\u202Efdp.exe" reads as "Rechnung-exe.pdf".
 */
export const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/** U+XXXX of a character, as error messages name it. */
export function codePoint(char: string): string {
	return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function assertHeaderValue(field: string, value: string): string {
	if (/[\r\n]/.test(value)) {
		throw new HeaderValueError(field, `The ${field} contains a line break (CR or LF); header values must be a single line`);
	}
	const control = CONTROL.exec(value);
	if (control) {
		throw new HeaderValueError(field, `The ${field} contains the control character ${codePoint(control[0])}${c1Hint(control[0])}; header values must be plain text`);
	}
	const bidi = BIDI_CONTROL.exec(value);
	if (bidi) {
		throw new HeaderValueError(
			field,
			`The ${field} contains the bidirectional control character ${codePoint(bidi[0])}, which makes text show in another order than it is written; header values must be plain text`,
		);
	}
	return value;
}

/**
 * RFC 5322 §2.1.1: a header line holds at most 998 characters, and a value is folded only where it
 * has white space. A longer run without a space (an invoice ID of 3,000 characters) is broken up by
 * a server on the way, so the header no longer says what was sent and a bounce no longer matches it.
 */
export const MAX_HEADER_WORD = 900;

export function assertFoldable(field: string, value: string): string {
	const longest = value.split(/\s+/).reduce((max, word) => Math.max(max, word.length), 0);
	if (longest > MAX_HEADER_WORD) {
		throw new HeaderValueError(field, `The ${field} has ${longest} characters without a space; a mail header holds at most ${MAX_HEADER_WORD} in one piece`);
	}
	return assertHeaderValue(field, value);
}
