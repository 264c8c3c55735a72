// Emoji in a customer's name or address are left out of a letter rather than failing it: paper is
// the fallback after a bounce.

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

/**
 * `text` without emoji and pictographs, spaces collapsed ("Anna 🌸 Schmidt" → "Anna Schmidt"), and
 * the distinct pictographs left out, each whole ("👨‍👩‍👧", "🇳🇱"), for the warning.
 */
export function withoutPictographs(text: string): { text: string; removed: string[] } {
	const runs = text.match(PICTOGRAPHS) ?? [];
	const removed = new Set(runs.flatMap((run) => [...graphemes.segment(run)].map((g) => g.segment)).filter((g) => !INVISIBLE_ONLY.test(g)));
	return { text: text.replace(PICTOGRAPHS, '').replace(/\s+/g, ' ').trim(), removed: [...removed] };
}
