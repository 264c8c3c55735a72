import { readerLocale } from '../../lib/templates/reader-locale';

describe('readerLocale: amounts and dates in the customer’s region, where the texts are in its language', () => {
	it('keeps the region of the item’s language when the texts resolved to that language without it', () => {
		expect(readerLocale('de-CH', 'de')).toBe('de-CH');
		expect(readerLocale('en-US', 'en')).toBe('en-US');
		// Read as item languages are read (normalizeLanguage).
		expect(readerLocale(' de_ch ', 'de')).toBe('de-CH');
		// Texts of the region itself: its locale, as before.
		expect(readerLocale('de-AT', 'de-AT')).toBe('de-AT');
	});

	it('never takes a region of another language: texts that fell back format as their own language', () => {
		// No French texts: a Swiss French customer reads German, with German amounts, not half French.
		expect(readerLocale('fr-CH', 'de')).toBe('de-DE');
		expect(readerLocale('en-US', 'de')).toBe('de-DE');
		expect(readerLocale('de-CH', 'en')).toBe('en-GB');
	});

	it('without a region, or without a usable one, the resolved language’s usual locale (localeFor)', () => {
		expect(readerLocale('de', 'de')).toBe('de-DE');
		expect(readerLocale(undefined, 'en')).toBe('en-GB');
		expect(readerLocale(42, 'de')).toBe('de-DE');
		expect(readerLocale('Deutsch (Schweiz)', 'de')).toBe('de-DE');
		// A language with own texts but no locale data: its region cannot be formatted for either.
		expect(readerLocale('xx-CH', 'xx')).toBe('xx');
	});
});
