/**
 * Switzerland and Liechtenstein write German without ß: a reminder for a de-CH or de-LI customer,
 * formatted Swiss ("CHF 1'240.73"), closes "Mit freundlichen Grüssen". Only the shipped texts are
 * respelled, before compiling: an operator's own text and the item's values keep their ß.
 */
import { buildTemplateContext, type ReminderValues } from '../../lib/templates/context';
import { DEFAULT_LEVELS, type TemplateSet } from '../../lib/templates/defaults';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { renderReminder, resolveTemplates, withoutEszett, type CustomTemplateLookup } from '../../lib/templates/render';
import { LINE } from './invoice-lines';

const all = (t: TemplateSet) => [t.subject, t.html, t.text].join('\n');
const cases = ['de-CH', 'de-LI'].flatMap((language) => DEFAULT_LEVELS.flatMap((level) => [false, true].map((group) => [language, level, group] as const)));

describe('shipped German texts for Switzerland and Liechtenstein', () => {
	test.each(cases)('%s level %d (collective: %s): "Grüssen", no ß in subject, HTML or text', (language, level, group) => {
		const r = resolveTemplates(language, level, 'de', undefined, group);
		expect(r.templates.text).toContain('Mit freundlichen Grüssen');
		expect(r.templates.html).toContain('Mit freundlichen Grüssen');
		expect(all(r.templates)).not.toMatch(/[ßẞ]/);
		// Only ß changed: the rest is the shipped German text.
		expect(r.templates.text).toBe(resolveTemplates('de', level, 'de', undefined, group).templates.text.replace(/ß/g, 'ss'));
	});

	test.each(['de-DE', 'de-AT', 'de', 'fr-CH'])('%s keeps "Grüßen"', (language) => {
		for (const level of DEFAULT_LEVELS) expect(resolveTemplates(language, level, 'de').templates.text).toContain('Mit freundlichen Grüßen');
	});

	test('a Swiss fallback language is Swiss too; an item language of another German region wins over it', () => {
		expect(resolveTemplates('', 1, 'de-CH').templates.text).toContain('Grüssen');
		expect(resolveTemplates('fr', 1, 'de-CH').templates.text).toContain('Grüssen');
		expect(resolveTemplates('de-DE', 1, 'de-CH').templates.text).toContain('Grüßen');
	});

	test('an own text keeps its ß; the shipped parts beside it are respelled', () => {
		const own: CustomTemplateLookup = (language) => (language === 'de-CH' || language === 'de' ? { templates: { subject: 'Grüße zur Rechnung {{invoiceNumber}}' }, source: 'node' } : undefined);
		for (const language of ['de-CH', 'de-LI']) {
			const r = resolveTemplates(language, 1, 'de', own);
			expect(r.templates.subject).toBe('Grüße zur Rechnung {{invoiceNumber}}');
			expect(r.sources.subject).toBe('node');
			expect(r.templates.text).toContain('Grüssen');
		}
		const body: CustomTemplateLookup = () => ({ templates: { text: 'Mit freundlichen Grüßen\n{{senderName}}' }, source: 'node' });
		expect(resolveTemplates('de-CH', 2, 'de', body).templates.text).toBe('Mit freundlichen Grüßen\n{{senderName}}');
	});

	test('the item’s values keep their ß: only the text is respelled, before compiling', () => {
		const values: ReminderValues = { ...LINE, deadline: '2099-03-09', level: 1, stageName: 'Zahlungserinnerung', customerName: 'Erika Großmann', senderName: 'Weiß Handels AG', invoices: [LINE], invoiceCount: 1 };
		const context = buildTemplateContext({}, values, { language: 'de', locale: 'de-CH', currency: 'CHF' });
		const r = renderReminder(new TemplateEnvironment(), resolveTemplates('de-CH', 1, 'de'), context);
		expect(r.text).toContain('Guten Tag Erika Großmann,');
		expect(r.text).toContain('Mit freundlichen Grüssen\nWeiß Handels AG');
	});

	test('capital ẞ becomes SS', () => {
		expect(withoutEszett('GRÜẞE, Grüße')).toBe('GRÜSSE, Grüsse');
	});
});
