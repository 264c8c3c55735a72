import { LETTER_TEXT_KINDS, shippedLetterTexts } from '../../lib/letters/texts';
import { DEFAULT_LEVELS } from '../../lib/templates/defaults';
import { buildLetterModel } from '../../lib/letters/letter-model';
import { invoiceItem, letterOptions } from './fixtures';

describe('shipped letter texts', () => {
	test.each([
		['de', false, 4, '3. Mahnung zu Rechnung {{invoiceNumber}}', 'trotz Zahlungserinnerung und 2 Mahnungen', 'Wir fordern Sie nochmals auf,'],
		['de', true, 6, '5. Mahnung zu {{invoiceCount}} Rechnungen', 'trotz Zahlungserinnerung und 4 Mahnungen', 'Wir fordern Sie nochmals auf,'],
		['en', false, 4, 'Third dunning notice for invoice {{invoiceNumber}}', 'despite our payment reminder and two dunning notices', 'We ask you once again to transfer'],
		['en', true, 13, '12th dunning notice for {{invoiceCount}} invoices', 'despite our payment reminder and 11 dunning notices', 'We ask you once again to transfer'],
	] as const)('%s (several: %s) level %d names its own stage, not the one of level 3', (language, several, level, subject, intro, closing) => {
		const texts = shippedLetterTexts(language, level, several)!;
		expect(texts.subject).toBe(subject);
		expect(texts.intro).toContain(intro);
		// Whether it is the last is the policy's: the closing has both sentences (see finalLevel).
		expect(texts.closing).toContain(`{{else}}${closing}`);
		for (const kind of LETTER_TEXT_KINDS) expect(texts[kind]).not.toMatch(/\b[12]\. Mahnung|\b(first|second) dunning notice/i);
	});

	test('levels 1–3 keep their wording; English intros start with a capital letter after the greeting', () => {
		expect(DEFAULT_LEVELS.map((level) => shippedLetterTexts('de', level, false)!.subject)).toEqual([
			'Zahlungserinnerung zu Rechnung {{invoiceNumber}}',
			'1. Mahnung zu Rechnung {{invoiceNumber}}',
			'2. Mahnung zu Rechnung {{invoiceNumber}}',
		]);
		expect(shippedLetterTexts('de', 3, false)!.closing).toMatch(/^\{\{#if finalLevel\}\}Wir bitten Sie letztmalig, \{\{else\}\}Wir fordern Sie nochmals auf, \{\{\/if\}\}den Gesamtbetrag/);
		for (const level of DEFAULT_LEVELS) {
			for (const several of [false, true]) expect(shippedLetterTexts('en', level, several)!.intro.split('\n')[2]).toMatch(/^[A-Z]/);
		}
	});

	test('a level-4 letter is titled "3. Mahnung"', () => {
		const item = invoiceItem(1, { dunning: { ...(invoiceItem(1).dunning as object), level: 4 } });
		expect(buildLetterModel(item, letterOptions()).subject).toBe('3. Mahnung zu Rechnung RE-2026-0001');
	});
});
