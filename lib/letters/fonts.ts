/**
 * The letter font: DejaVu Sans, embedded (subset) so that every European script prints: umlauts
 * and ß, €, Polish, Czech, Turkish, Nordic, Greek and Cyrillic letters. It has no Chinese, Japanese
 * or Korean characters and no emoji; pdfkit would print those as empty boxes without a word. It has
 * Hebrew and Arabic letters, but pdfkit sets every line left to right without reordering (no
 * Unicode bidi algorithm), so right-to-left text would print backwards.
 */
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import { BIDI_CONTROL } from '../mail/header-value';
import { visible } from '../payment/epc-qr';
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

/**
 * Strong right-to-left characters (bidi classes R and AL): the blocks from Hebrew to Arabic
 * Extended-A (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and the Arabic supplements),
 * the Hebrew and Arabic presentation forms, and the right-to-left ranges of the supplementary
 * planes, as Unicode's DerivedBidiClass.txt assigns them. Not U+FDD0–FDEF (noncharacters) nor
 * U+FEFF (byte order mark), which sit between them.
 */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdcf\ufdf0-\ufdff\ufe70-\ufefe\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/** The distinct right-to-left characters of `text`, in order of appearance. */
export function rightToLeft(text: string): string[] {
	return [...new Set([...text].filter((char) => RIGHT_TO_LEFT.test(char)))];
}

/**
 * Why a letter cannot print `text`, to follow a field's name ("The field … has …"), or null.
 * `advice` ends the reason for characters the font lacks; right-to-left text carries its own (a
 * Latin transliteration), as the font has the letters but they would print in reverse order.
 */
export function printProblem(text: string, advice?: string): string | null {
	const rtl = rightToLeft(text);
	if (rtl.length > 0) {
		return `has right-to-left text (${rtl.slice(0, 5).map(visible).join(' ')}): a letter cannot print right-to-left text (Hebrew, Arabic …), its letters would come out in reverse order; write it in Latin letters (a transliteration)`;
	}
	const missing = unprintable(text);
	if (missing.length === 0) return null;
	return `has characters the letter font cannot print (${missing.slice(0, 5).map(visible).join(' ')})${advice ? `: ${advice}` : ''}`;
}
