/**
 * Locales for formatting money and dates. Intl refuses a malformed tag ("de_DE") with "Incorrect
 * locale information provided", naming nothing, and silently formats in its default (English) for
 * a well-formed tag it has no data for ("deutsch"): both are caught here, where the value has a name.
 */

const EXAMPLE = 'a locale tag like de-DE, de-AT or en-GB';

/** Why `value` cannot be used to format amounts and dates, or null. */
export function localeProblem(value: string): string | null {
	let canonical: string[];
	try {
		canonical = Intl.getCanonicalLocales(value);
	} catch {
		return value.includes('_') ? `is not ${EXAMPLE}: write it with a hyphen, ${value.replace(/_/g, '-')}` : `is not ${EXAMPLE}`;
	}
	if (canonical.length !== 1) return `is not ${EXAMPLE}`;
	if (Intl.NumberFormat.supportedLocalesOf(canonical).length === 0 || Intl.DateTimeFormat.supportedLocalesOf(canonical).length === 0) {
		return `is not a locale this system can format amounts and dates for; use ${EXAMPLE}`;
	}
	return null;
}

/**
 * A locale option of a node, read once per run: empty means "follow the language" (undefined);
 * anything else must be a usable locale, returned in its canonical form ("de-de" → "de-DE").
 */
export function localeOption(value: unknown, option: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new Error(`The option "${option}" must be ${EXAMPLE}, got ${typeof value === 'object' ? 'an object' : String(value)}`);
	const locale = value.trim();
	if (locale === '') return undefined;
	const problem = localeProblem(locale);
	if (problem !== null) throw new Error(`The option "${option}" ("${locale}") ${problem}`);
	return Intl.getCanonicalLocales(locale)[0];
}
