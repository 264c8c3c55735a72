/**
 * Shipped wording for levels past the last shipped one. Texts exist for levels 1–3 (payment
 * reminder, 1st and 2nd dunning notice); a policy may go on to a 3rd, 4th … notice. Those reuse
 * the level-3 texts with the words that count the notices changed, so that a level-4 reminder is
 * titled "3. Mahnung" and names the notices before it. Whether a text says "for the last time" is
 * not the level's but the policy's (the template context's `finalLevel`, see final-level.ts).
 * One source per text keeps translators' work in the .hbs files; the wording that changes is here.
 */

/** The last level with texts of its own; later levels are reworded from it. */
export const LAST_WRITTEN_LEVEL = 3;

type Rewording = [phrase: string, replacement: (level: number) => string];

const EN_ORDINALS = ['', 'First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth', 'Ninth', 'Tenth'];
const EN_COUNTS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

function enOrdinal(n: number): string {
	if (n < EN_ORDINALS.length) return EN_ORDINALS[n];
	const teen = n % 100 >= 11 && n % 100 <= 13;
	const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
	return `${n}${suffix}`;
}

// Level n is the (n-1)th dunning notice; the notices before it are the payment reminder and n-2 others.
const REWORDINGS: Record<string, Rewording[]> = {
	de: [
		['trotz Zahlungserinnerung und 1. Mahnung', (n) => `trotz Zahlungserinnerung und ${n - 2} Mahnungen`],
		['2. Mahnung', (n) => `${n - 1}. Mahnung`],
	],
	en: [
		['despite our payment reminder and first dunning notice', (n) => `despite our payment reminder and ${EN_COUNTS[n - 2] ?? n - 2} dunning notices`],
		['Second dunning notice', (n) => `${enOrdinal(n - 1)} dunning notice`],
	],
};

/** Words of the level-3 texts that must not survive into a later level's text. */
const STALE: Record<string, RegExp> = {
	de: /\b[12]\. Mahnung\b/,
	en: /\b(first|second) dunning notice\b/i,
};

/**
 * The level-3 text `text` reworded for `level` (> 3). Throws when a level-3 text was changed so
 * that its counting words are no longer found: a test catches that before a customer reads it.
 */
export function rewordForLevel(language: string, level: number, text: string): string {
	let out = text;
	for (const [phrase, replacement] of REWORDINGS[language] ?? []) out = out.split(phrase).join(replacement(level));
	const stale = STALE[language]?.exec(out);
	if (stale) throw new Error(`The shipped ${language} text for level ${level} still says "${stale[0]}" from level ${LAST_WRITTEN_LEVEL}; add its wording to lib/templates/later-levels.ts`);
	return out;
}
