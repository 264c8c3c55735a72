/**
 * The locale a reminder's amounts and dates are formatted for when the operator set none. Texts
 * are picked by language and fall back ("de-CH" with no Swiss texts is answered in "de"), but the
 * reader still lives in their region: a Swiss customer expects Swiss amounts, not the German
 * "1.234,56 CHF", an American customer American dates, not British ones.
 */
import { localeProblem } from './locale';
import { localeFor, normalizeLanguage } from './render';

const base = (tag: string): string => tag.split('-')[0];

/**
 * The item's language when it names a region of the language the texts resolved to and can be
 * formatted for ("de-CH" answered in "de" → "de-CH"); otherwise the resolved language's usual
 * locale (localeFor). A region of another language is never taken: "fr-CH" answered in German
 * (no French texts) is formatted as that German text is, not half French.
 */
export function readerLocale(requestedLanguage: unknown, resolvedLanguage: string): string {
	const requested = normalizeLanguage(requestedLanguage);
	if (requested !== undefined && requested.includes('-') && base(requested) === base(resolvedLanguage) && localeProblem(requested) === null) {
		return Intl.getCanonicalLocales(requested)[0];
	}
	return localeFor(resolvedLanguage);
}
