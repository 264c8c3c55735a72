/**
 * The letter font: DejaVu Sans, embedded (subset) so that every European script prints: umlauts
 * and ß, €, Polish, Czech, Turkish, Nordic, Greek and Cyrillic letters. It has no Chinese, Japanese
 * or Korean characters and no emoji; pdfkit would print those as empty boxes without a word.
 */
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import type { FontName } from './wrap';

let files: Record<FontName, Buffer> | undefined;
/** Read once per process: a font file is 700 kB and every document embeds from it. */
export function fontFiles(): Record<FontName, Buffer> {
	files ??= {
		regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
		bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
	};
	return files;
}

let regular: Font | undefined;
/** Every character from space to U+024F (Latin, Latin-1, Latin Extended-A and -B) is in the font. */
const SURELY_PRINTABLE = /^[\u0020-\u024f]*$/;

/** The distinct characters of `text` that the letter font cannot print, in order of appearance. */
export function unprintable(text: string): string[] {
	if (SURELY_PRINTABLE.test(text)) return [];
	regular ??= create(fontFiles().regular) as Font;
	const missing = new Set<string>();
	for (const char of text) {
		const code = char.codePointAt(0)!;
		// Joiners and variation selectors shape their neighbours and have no glyph of their own.
		if (code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) continue;
		if (!regular.hasGlyphForCodePoint(code)) missing.add(char);
	}
	return [...missing];
}
