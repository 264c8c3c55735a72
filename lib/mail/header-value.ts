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

export function assertHeaderValue(field: string, value: string): string {
	if (/[\r\n]/.test(value)) {
		throw new HeaderValueError(field, `The ${field} contains a line break (CR or LF); header values must be a single line`);
	}
	// eslint-disable-next-line no-control-regex
	if (/[\u0000\u000b\u000c]/.test(value)) {
		throw new HeaderValueError(field, `The ${field} contains a control character; header values must be plain text`);
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
