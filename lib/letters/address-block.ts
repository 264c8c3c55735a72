/**
 * Fits the recipient's lines into the window's address zone. A postal address must show whole in
 * the envelope window, so long names and streets are first wrapped, then set smaller (down to
 * 7 pt, still machine-readable for the post), and refused when they fit at no size.
 */
import type { Rect } from './din5008';
import { PT_PER_MM } from './din5008';
import { wrapText, type Measure } from './wrap';

export const ADDRESS_SIZES = [10, 9.5, 9, 8.5, 8, 7.5, 7] as const;
/** Line height as a multiple of the font size. */
export const ADDRESS_LEADING = 1.2;

export interface FittedAddress {
	size: number;
	/** Distance between baselines, in mm. */
	lineHeight: number;
	lines: string[];
}

export class AddressTooLongError extends Error {
	constructor(readonly lineCount: number) {
		super(`The address needs ${lineCount} lines even at 7 pt and does not fit the envelope window; shorten the name or address fields`);
		this.name = 'AddressTooLongError';
	}
}

export function fitAddress(lines: string[], zone: Pick<Rect, 'width' | 'height'>, measure: Measure): FittedAddress {
	let last: string[] = [];
	for (const size of ADDRESS_SIZES) {
		const lineHeight = (size * ADDRESS_LEADING) / PT_PER_MM;
		const wrapped = lines.flatMap((line) => wrapText(line, zone.width, measure, 'regular', size));
		last = wrapped;
		if (wrapped.length * lineHeight <= zone.height) return { size, lineHeight, lines: wrapped };
	}
	throw new AddressTooLongError(last.length);
}
