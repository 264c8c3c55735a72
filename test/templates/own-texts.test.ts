import { resolveLetterTexts } from '../../lib/letters/texts';
import { ownTextLookup } from '../../lib/templates/own-texts';
import { resolveTemplates } from '../../lib/templates/render';

/**
 * The texts operators enter in Send Reminder Email and Create Reminder Letter, matched to item
 * languages by one function: entry languages are read as item languages are.
 */
describe('own texts per level and language', () => {
	const entry = (language: unknown, level = 1) => ({ language, level, subject: `Eigener Betreff (${String(language)})` });
	const emailLookup = (entries: Array<ReturnType<typeof entry>>) => {
		const own = ownTextLookup(entries, 'Texts');
		return (language: string, level: number) => {
			const found = own(language, level);
			return found ? { templates: { subject: found.subject }, source: 'node' } : undefined;
		};
	};

	test.each(['de', 'DE', 'de-DE', 'de_DE', ' de-de ', 'de_de'])('a text entered for "%s" reaches items in de, de-DE and without a language', (language) => {
		for (const itemLanguage of ['de', 'de-DE', undefined]) {
			const resolved = resolveTemplates(itemLanguage, 1, 'de', emailLookup([entry(language)]));
			expect([language, itemLanguage, resolved.sources.subject, resolved.templates.subject]).toEqual([language, itemLanguage, 'node', `Eigener Betreff (${language})`]);
			// What the text leaves out comes from the shipped German text, also for a regional entry.
			expect(resolved.sources.html).toBe('default');
			expect(resolved.templates.html).toContain('<html lang="de">');
		}
	});

	test('a text for the language itself wins over a regional one; of the regional ones only the usual region serves the language', () => {
		const lookup = ownTextLookup([entry('de-AT'), entry('de'), entry('en-GB'), entry('en-US'), entry('fr', 2), entry('sv-SE'), entry('cs-CZ'), entry('cs-SK')], 'Texts');
		expect(lookup('de', 1)?.language).toBe('de');
		expect(lookup('de-AT', 1)?.language).toBe('de-AT');
		// Another region asks for itself, then (through resolveTemplates) for its language.
		expect(lookup('de-CH', 1)).toBeUndefined();
		expect(lookup('en', 1)?.language).toBe('en-GB');
		expect(lookup('fr', 1)).toBeUndefined();
		expect(lookup('fr', 2)?.language).toBe('fr');
		// No usual region known here: the one regional text, not one of two.
		expect(lookup('sv', 1)?.language).toBe('sv-SE');
		expect(lookup('cs', 1)).toBeUndefined();
		// An Austrian text (its fees, its bank account) is not for German or Swiss customers: they get the shipped one.
		for (const language of ['de', 'de-CH', undefined]) {
			const resolved = resolveTemplates(language, 1, 'de', emailLookup([entry('de-AT')]));
			expect([language, resolved.sources.subject]).toEqual([language, 'default']);
		}
		expect(resolveTemplates('de-AT', 1, 'de', emailLookup([entry('de-AT')])).templates.subject).toBe('Eigener Betreff (de-AT)');
	});

	test('a text whose language is no language code could never be used: that is an error naming the entry', () => {
		expect(() => ownTextLookup([entry('de'), entry('Deutsch', 2)], 'Texts')).toThrow(
			'Texts: text 2 (level 2) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT',
		);
		expect(() => ownTextLookup([entry('')], 'Letter Texts')).toThrow(/^Letter Texts: text 1 \(level 1\) has "" as its language/);
		expect(() => ownTextLookup([entry(undefined)], 'Texts')).toThrow(/^Texts: text 1 \(level 1\) has no language as its language/);
	});

	test('letters use the same lookup: a "de_DE" letter text is used for a German item', () => {
		const own = ownTextLookup([{ language: 'de_DE', level: 1, subject: 'Mein Brief {{invoiceNumber}}' }], 'Letter Texts');
		const resolved = resolveLetterTexts('de', 1, 'de', false, own);
		expect(resolved.sources.subject).toBe('node');
		expect(resolved.texts.subject).toBe('Mein Brief {{invoiceNumber}}');
	});
});
