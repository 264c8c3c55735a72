import { LETTER_TEXT_KINDS, resolveLetterTexts, shippedLetterTexts } from '../../lib/letters/texts';
import { DEFAULT_LEVELS } from '../../lib/templates/defaults';
import { buildLetterModel } from '../../lib/letters/letter-model';
import { groupItem, invoiceItem, letterOptions } from './fixtures';

describe('shipped letter texts', () => {
	test.each([
		['de', false, 4, '{{#if finalLevel}}Letzte Mahnung{{else}}3. Mahnung{{/if}} zu Rechnung {{invoiceNumber}}', 'trotz Zahlungserinnerung und 2 Mahnungen', 'Wir fordern Sie nochmals auf,'],
		['de', true, 6, '{{#if finalLevel}}Letzte Mahnung{{else}}5. Mahnung{{/if}} zu {{invoiceCount}} Rechnungen', 'trotz Zahlungserinnerung und 4 Mahnungen', 'Wir fordern Sie nochmals auf,'],
		['en', false, 4, '{{#if finalLevel}}Final dunning notice{{else}}Third dunning notice{{/if}} for invoice {{invoiceNumber}}', 'despite our payment reminder and two dunning notices', 'We ask you once again to transfer'],
		['en', true, 13, '{{#if finalLevel}}Final dunning notice{{else}}12th dunning notice{{/if}} for {{invoiceCount}} invoices', 'despite our payment reminder and 11 dunning notices', 'We ask you once again to transfer'],
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
			'{{#if finalLevel}}Letzte Zahlungserinnerung{{else}}Zahlungserinnerung{{/if}} zu Rechnung {{invoiceNumber}}',
			'{{#if finalLevel}}Letzte Mahnung{{else}}1. Mahnung{{/if}} zu Rechnung {{invoiceNumber}}',
			'{{#if finalLevel}}Letzte Mahnung{{else}}2. Mahnung{{/if}} zu Rechnung {{invoiceNumber}}',
		]);
		expect(shippedLetterTexts('de', 3, false)!.closing).toMatch(/^\{\{#if finalLevel\}\}Wir bitten Sie letztmalig, \{\{else\}\}Wir fordern Sie nochmals auf, \{\{\/if\}\}den Gesamtbetrag/);
		for (const level of DEFAULT_LEVELS) {
			for (const several of [false, true]) expect(shippedLetterTexts('en', level, several)!.intro.split('\n')[2]).toMatch(/^[A-Z]/);
		}
	});

	test.each([
		['de', 1, false, 'Letzte Zahlungserinnerung zu Rechnung RE-2026-0001'],
		['de', 2, false, 'Letzte Mahnung zu Rechnung RE-2026-0001'],
		['de', 3, true, 'Letzte Mahnung zu 2 Rechnungen'],
		['de', 5, false, 'Letzte Mahnung zu Rechnung RE-2026-0001'],
		['en', 1, true, 'Final payment reminder for 2 invoices'],
		['en', 2, false, 'Final dunning notice for invoice RE-2026-0001'],
		['en', 3, false, 'Final dunning notice for invoice RE-2026-0001'],
	] as const)('%s: the last reminder (dunning.finalReminder) at level %d (several: %s) is titled as the last: "%s"', (language, level, several, title) => {
		const item = (k: number) => invoiceItem(k, { language, dunning: { ...(invoiceItem(k).dunning as object), level, finalReminder: true } });
		const json = several ? { ...groupItem(2), language, invoices: [item(1), item(2)], dunning: { ...(groupItem(2).dunning as object), level, finalReminder: true } } : item(1);
		expect(buildLetterModel(json, letterOptions()).subject).toBe(title);
		const notLast = several ? { ...json, dunning: { ...(json.dunning as object), finalReminder: false }, invoices: [1, 2].map((k) => invoiceItem(k, { language, dunning: { ...(invoiceItem(k).dunning as object), level, finalReminder: false } })) } : invoiceItem(1, { language, dunning: { ...(invoiceItem(1).dunning as object), level, finalReminder: false } });
		expect(buildLetterModel(notLast, letterOptions()).subject).not.toMatch(/Letzte|Final/);
	});

	test('a level-4 letter is titled "3. Mahnung"', () => {
		const item = invoiceItem(1, { dunning: { ...(invoiceItem(1).dunning as object), level: 4 } });
		expect(buildLetterModel(item, letterOptions()).subject).toBe('3. Mahnung zu Rechnung RE-2026-0001');
	});
});

describe('letter texts for Switzerland and Liechtenstein', () => {
	const words = (texts: Record<string, string>) => Object.values(texts).join('\n');

	test.each(['de-CH', 'de-LI'].flatMap((language) => DEFAULT_LEVELS.flatMap((level) => [false, true].map((several) => [language, level, several] as const))))(
		'%s level %d (several: %s): the shipped texts close "Mit freundlichen Grüssen", no ß',
		(language, level, several) => {
			const r = resolveLetterTexts(language, level, 'de', several);
			expect(r.texts.closing).toContain('Mit freundlichen Grüssen');
			expect(words(r.texts)).not.toMatch(/[ßẞ]/);
		},
	);

	test('de-DE and de-AT keep ß; an own text for de-CH keeps its ß', () => {
		for (const language of ['de-DE', 'de-AT']) expect(resolveLetterTexts(language, 1, 'de', false).texts.closing).toContain('Mit freundlichen Grüßen');
		const own = resolveLetterTexts('de-CH', 1, 'de', false, () => ({ closing: 'Freundliche Grüße' }));
		expect(own.texts.closing).toBe('Freundliche Grüße');
		expect(own.texts.intro).not.toContain('ß');
	});

	test('the letter for a de-CH customer: Swiss closing, the customer’s name keeps its ß', () => {
		const model = buildLetterModel(invoiceItem(1, { language: 'de-CH', customerName: 'Erika Großmann', currency: 'CHF' }), letterOptions());
		expect(model.closing).toContain('Mit freundlichen Grüssen');
		expect(model.intro.split('\n')[0]).toBe('Guten Tag Erika Großmann,');
	});
});
