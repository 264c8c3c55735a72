import { localeOption, localeProblem } from '../../lib/templates/locale';

describe('locale option', () => {
	test('empty follows the language; a locale tag is taken in its canonical form', () => {
		for (const empty of [undefined, null, '', '   ']) expect(localeOption(empty, 'Locale')).toBeUndefined();
		expect(localeOption('de-AT', 'Locale')).toBe('de-AT');
		expect(localeOption(' de-ch ', 'Locale')).toBe('de-CH');
		expect(localeOption('en', 'Locale')).toBe('en');
	});

	test('what Intl cannot use fails naming the option and the value: "de_DE" (nameless RangeError before) and "deutsch" (English before)', () => {
		expect(() => localeOption('de_DE', 'Locale')).toThrow('The option "Locale" ("de_DE") is not a locale tag like de-DE, de-AT or en-GB: write it with a hyphen, de-DE');
		expect(() => localeOption('deutsch', 'Locale')).toThrow(
			'The option "Locale" ("deutsch") is not a locale this system can format amounts and dates for; use a locale tag like de-DE, de-AT or en-GB',
		);
		expect(() => localeOption('de DE', 'Locale')).toThrow(/^The option "Locale" \("de DE"\) is not a locale tag/);
		expect(() => localeOption(49, 'Locale')).toThrow('The option "Locale" must be a locale tag like de-DE, de-AT or en-GB, got 49');
		expect(localeProblem('xx')).toMatch(/is not a locale this system can format/);
	});
});
