/**
 * A long alternation written as a table: one phrase (a regular expression) per line, grouped by
 * language, so a wording can be found, added or argued about on its own line. Case-insensitive.
 */
export function anyPhrase(...phrases: RegExp[]): RegExp {
	return new RegExp(phrases.map((p) => `(?:${p.source})`).join('|'), 'i');
}
