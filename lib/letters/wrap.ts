/** Line breaking with real font metrics, so that the layout knows every line before it draws. */

/** Width of a text in millimetres at a font and size. */
export type Measure = (text: string, font: FontName, size: number) => number;
export type FontName = 'regular' | 'bold';

/**
 * Greedy word wrap of one text into lines no wider than `width`. Paragraphs (line breaks in the
 * text) are kept; a word wider than the line is broken between characters, never left to overflow.
 */
export function wrapText(text: string, width: number, measure: Measure, font: FontName, size: number): string[] {
	const lines: string[] = [];
	// Words are measured one by one and summed with the space between them: the font's kerning
	// across a space is nil, and measuring every growing candidate line would be quadratic.
	const space = measure(' ', font, size);
	for (const paragraph of text.split(/\r?\n/)) {
		const words = paragraph.split(/[ \t]+/).filter((w) => w !== '');
		if (words.length === 0) {
			lines.push('');
			continue;
		}
		let line = '';
		let lineWidth = 0;
		for (const word of words) {
			const wordWidth = measure(word, font, size);
			if (line !== '' && lineWidth + space + wordWidth <= width) {
				line += ` ${word}`;
				lineWidth += space + wordWidth;
				continue;
			}
			if (line !== '') lines.push(line);
			if (wordWidth <= width) {
				line = word;
				lineWidth = wordWidth;
				continue;
			}
			// A word longer than the whole line (a long e-mail address, a made-up name): break it.
			let part = '';
			for (const ch of word) {
				if (part !== '' && measure(part + ch, font, size) > width) {
					lines.push(part);
					part = '';
				}
				part += ch;
			}
			line = part;
			lineWidth = measure(part, font, size);
		}
		lines.push(line);
	}
	return lines;
}

/** The largest size (from `sizes`, largest first) at which one line fits; the smallest otherwise. */
export function fittingSize(text: string, width: number, measure: Measure, font: FontName, sizes: readonly number[]): number {
	for (const size of sizes) if (measure(text, font, size) <= width) return size;
	return sizes[sizes.length - 1];
}
