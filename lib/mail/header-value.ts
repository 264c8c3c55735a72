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
