/**
 * Texts an operator entered in a node, per level and language, as the lookup that
 * resolveTemplates (e-mail) and resolveLetterTexts (letters) ask for each candidate language.
 * Entry languages are read as item languages are (normalizeLanguage): "de_DE", " DE-de " and
 * "de-DE" are one language. Compared as typed, a "de-DE" text never met the "de" that items and
 * the fallback resolve to, and the shipped text went out instead, without a word.
 */
import { localeFor, normalizeLanguage } from './render';

/** What the lookup reads of an entry; the texts themselves are handed back as they are. */
export interface OwnTextEntry {
	language?: unknown;
	level?: unknown;
}

export type OwnTextLookup<T> = (language: string, level: number) => T | undefined;

/**
 * The lookup over `entries` (the node parameter `parameter`, for messages). A language asked for
 * without a region ("de") takes the text of its usual region ("de-DE", as its amounts and dates are
 * formatted) when there is no text for "de" itself; never another region's: a text written for
 * Austria or Switzerland (its fees, its bank account) is for customers there only. A language with
 * no usual region (sv, cs) takes its regional text when only one was entered. An entry whose
 * language is no language code could never be used: that is an error naming the entry, not a text
 * silently left out.
 */
export function ownTextLookup<T extends OwnTextEntry>(entries: readonly T[], parameter: string): OwnTextLookup<T> {
	const keyed = entries.map((entry, index) => {
		const language = normalizeLanguage(entry.language);
		if (language === undefined) {
			const given = typeof entry.language === 'string' ? JSON.stringify(entry.language) : 'no language';
			throw new Error(
				`${parameter}: text ${index + 1} (level ${String(entry.level)}) has ${given} as its language, which is no language code, so it would never be used; write one like de, en or de-AT`,
			);
		}
		return { entry, language, base: language.split('-')[0], level: Number(entry.level) };
	});
	return (language, level) => {
		const ofLevel = keyed.filter((k) => k.level === level);
		const exact = ofLevel.find((k) => k.language === language);
		if (exact || language.includes('-')) return exact?.entry;
		const usual = localeFor(language);
		if (usual !== language) return ofLevel.find((k) => k.language === usual)?.entry;
		// A language without a usual region here (sv, cs …): its one regional text, if only one was entered.
		const regional = ofLevel.filter((k) => k.base === language);
		return regional.length === 1 ? regional[0].entry : undefined;
	};
}
