/**
 * The letter font: DejaVu Sans, embedded (subset) so that every European script prints: umlauts
 * and ß, €, Polish, Czech, Turkish, Nordic, Greek and Cyrillic letters. It has no Chinese, Japanese
 * or Korean characters and no emoji; pdfkit would print those as empty boxes without a word.
 */
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import { BIDI_CONTROL } from '../mail/header-value';
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
/** Printable ASCII, Latin-1 letters and Latin Extended-A and -B are in the font; not the C1 controls U+0080–U+009F between them. */
const SURELY_PRINTABLE = /^[\u0020-\u007e\u00a0-\u024f]*$/;
/**
 * Controls and the characters that break lines (and, with BIDI_CONTROL, those that steer text
 * direction): the font maps some of them to glyphs, but pdfkit neither reorders nor breaks by them,
 * so they print as stray marks or not at all.
 */
const NOT_TEXT = /^[\p{Cc}\u2028\u2029]$/u;

/** The distinct characters of `text` that the letter font cannot print, in order of appearance. */
export function unprintable(text: string): string[] {
	if (SURELY_PRINTABLE.test(text)) return [];
	regular ??= create(fontFiles().regular) as Font;
	const missing = new Set<string>();
	for (const char of text) {
		const code = char.codePointAt(0)!;
		// Joiners and variation selectors shape their neighbours and have no glyph of their own.
		if (code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) continue;
		if (NOT_TEXT.test(char) || BIDI_CONTROL.test(char) || !regular.hasGlyphForCodePoint(code)) missing.add(char);
	}
	return [...missing];
}
