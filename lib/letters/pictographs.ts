// Emoji in a customer's name or address are left out of a letter rather than failing it: paper is
// the fallback after a bounce.
import { cut } from '../bounce/text-bounds';

/**
 * Emoji and other pictographs, with what builds them (joiners, skin tones, flag letters, variation
 * selectors, keycaps, tags): the letter font has none of most of them. Not ©, ® and ™, which are
 * pictographs only in their emoji form and belong to a trade name. Alternatives, not one class: a
 * joiner or selector in a class would read as joined to its neighbour.
 */
const PICTOGRAPHS = /(?:(?![\u00a9\u00ae\u2122])\p{Extended_Pictographic}|\p{Emoji_Modifier}|[\u{1f1e6}-\u{1f1ff}]|\u200d|\ufe0e|\ufe0f|\u20e3|[\u{e0020}-\u{e007f}])+/gu;
/** Joiners and selectors alone: nothing printed, nothing to report. */
const INVISIBLE_ONLY = /^(?:\u200d|\ufe0e|\ufe0f)+$/u;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Distinct pictographs a warning names. */
const NAMED_PICTOGRAPHS = 5;
/**
 * UTF-16 units of one run read for names: many families or flags. A segment object holds a copy of
 * its whole input, so reading a 100 kB run grapheme by grapheme costs its square in time and memory.
 */
const RUN_READ = 64;

/**
 * `text` without emoji and pictographs, spaces collapsed ("Anna 🌸 Schmidt" → "Anna Schmidt"), and
 * the first NAMED_PICTOGRAPHS distinct pictographs left out, each whole ("👨‍👩‍👧", "🇳🇱"), for the warning.
 * Costs time in proportion to the length of `text`: names are not length-limited before this.
 */
export function withoutPictographs(text: string): { text: string; removed: string[] } {
	const removed = new Set<string>();
	// Each segment() call costs a copy of ICU's break iterator: a run read before is not read again.
	const read = new Set<string>();
	for (const [run] of text.matchAll(PICTOGRAPHS)) {
		const start = cut(run, RUN_READ);
		const wasCut = start.length < run.length;
		const key = `${wasCut ? '…' : ''}${start}`;
		if (read.has(key)) continue;
		read.add(key);
		addGraphemes(removed, start, wasCut);
		if (removed.size >= NAMED_PICTOGRAPHS) break;
	}
	return { text: text.replace(PICTOGRAPHS, '').replace(/\s+/g, ' ').trim(), removed: [...removed] };
}

/** The graphemes of `start` (of a run, whole or cut) into `removed`, up to NAMED_PICTOGRAPHS in all. */
function addGraphemes(removed: Set<string>, start: string, wasCut: boolean): void {
	const parts = Array.from(graphemes.segment(start), (g) => g.segment);
	// Where the run was cut its last grapheme may be a part ("🇦" of "🇦🇹"): not named, unless it is
	// the only one (a sequence longer than RUN_READ).
	if (wasCut && parts.length > 1) parts.pop();
	for (const part of parts) {
		if (removed.size >= NAMED_PICTOGRAPHS) return;
		if (!INVISIBLE_ONLY.test(part)) removed.add(part);
	}
}
