const tables = new WeakMap<RegExp, readonly RegExp[]>();

/**
 * A long alternation written as a table: one phrase (a regular expression) per line, grouped by
 * language, so a wording can be found, added or argued about on its own line. Case-insensitive.
 */
export function anyPhrase(...phrases: RegExp[]): RegExp {
	const table = new RegExp(phrases.map((p) => `(?:${p.source})`).join('|'), 'i');
	tables.set(table, phrases);
	return table;
}

/**
 * The phrases a table was built from. A top-level alternation costs the sum of its phrases, so the
 * ReDoS check proves each phrase on its own (test/security/redos.test.ts).
 */
export function phrasesOf(table: RegExp): readonly RegExp[] {
	return tables.get(table) ?? [table];
}
