/**
 * What the customer reads first and where they click: the salutation (a company is greeted
 * "Sehr geehrte Damen und Herren,", a person by name) and the payment link of each invoice in a
 * collective e-mail, rendered from the shipped texts as Send Reminder Email renders them.
 */
import { buildLetterModel } from '../../lib/letters/letter-model';
import { readReminderItem, ReminderInputError } from '../../lib/mail/reminder-item';
import { buildTemplateContext, salutationOf } from '../../lib/templates/context';
import { DEFAULT_LANGUAGES, DEFAULT_LEVELS } from '../../lib/templates/defaults';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { groupItem, invoiceItem, letterOptions } from '../letters/fixtures';

const env = new TemplateEnvironment();

/** The shipped e-mail for an item, as Send Reminder Email renders it (without company details). */
function email(json: Record<string, unknown>, language: string, level = 1) {
	const reminder = readReminderItem(json);
	if (reminder.kind !== 'email') throw new Error(`expected an e-mail reminder, got ${reminder.kind}`);
	const values = { ...reminder.values, level };
	const context = buildTemplateContext(json, { ...values, senderName: 'Muster Handels GmbH' }, { language, locale: localeFor(language), currency: reminder.currency });
	return renderReminder(env, resolveTemplates(language, level, 'de', undefined, values.invoiceCount > 1), context);
}

const GREETING = { de: ['Guten Tag ', 'Sehr geehrte Damen und Herren,'], en: ['Dear ', 'Dear Sir or Madam,'] } as const;
const cases = DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.flatMap((level) => [false, true].map((group) => [language, level, group] as const)));

describe('salutation', () => {
	const single = (extra: Record<string, unknown>, language: string) => invoiceItem(1, { language, ...extra });
	const several = (extra: Record<string, unknown>, language: string) => {
		const item = groupItem(2);
		item.language = language;
		for (const member of item.invoices as Array<Record<string, unknown>>) Object.assign(member, extra);
		return item;
	};

	test.each(cases)('%s level %d (collective: %s): a business customer is greeted as a company in text and HTML', (language, level, group) => {
		const item = (group ? several : single)({ customerName: 'Müller Logistik', customerType: 'business' }, language);
		const r = email(item, language, level);
		const [byName, company] = GREETING[language as 'de' | 'en'];
		expect(r.text.split('\n')[0]).toBe(company);
		expect(r.html).toContain(`<p>${company}</p>`);
		expect(`${r.text}${r.html}`).not.toContain(`${byName}Müller`);
	});

	test.each(cases)('%s level %d (collective: %s): a consumer is greeted by name, as before', (language, level, group) => {
		const item = (group ? several : single)({ customerName: 'Erika Mustermann', customerType: 'consumer' }, language);
		const r = email(item, language, level);
		const [byName] = GREETING[language as 'de' | 'en'];
		expect(r.text.split('\n')[0]).toBe(`${byName}Erika Mustermann,`);
		expect(r.html).toContain(`<p>${byName}Erika Mustermann,</p>`);
	});

	test('a legal form in the name greets a company also where customerType is blank (read as consumer)', () => {
		const r = email(invoiceItem(1, { customerName: 'Müller GmbH' }), 'de');
		expect(r.text.split('\n')[0]).toBe('Sehr geehrte Damen und Herren,');
	});

	test.each([
		['Müller GmbH', true],
		['MÜLLER GMBH', true],
		['Schmidt GmbH & Co. KG', true],
		['Beispiel AG', true],
		['Bau UG (haftungsbeschränkt)', true],
		['Blumen Meier e.K.', true],
		['Sportverein Nord e. V.', true],
		['Volksbank Mitte eG', true],
		['Acme Ltd.', true],
		['Acme, Inc.', true],
		['Müller & Co.', true],
		['Erika Mustermann', false],
		['Zofia Łukasiewicz-Çelik', false],
		['Agnes Kgosi', false],
		['Minh Se', false],
		['Ag Ueber', false],
		['', false],
	])('"%s" is a company: %s', (name, company) => {
		expect(salutationOf({}, name)).toEqual({ addressAsCompany: company, salutationName: company ? '' : name });
	});

	test('customerType is read as Compute Dunning Level reads it, from a group’s first invoice too', () => {
		expect(salutationOf({ customerType: ' B2B ' }, 'Max Mustermann')).toEqual({ addressAsCompany: true, salutationName: '' });
		expect(salutationOf({ customerType: 'Business' }, 'Max Mustermann').addressAsCompany).toBe(true);
		expect(salutationOf({ customerType: 'b2c' }, 'Max Mustermann').addressAsCompany).toBe(false);
		expect(salutationOf({ invoices: [{ customerType: 'business' }] }, 'Max Mustermann').addressAsCompany).toBe(true);
		// The item's own type wins over its invoices'.
		expect(salutationOf({ customerType: 'consumer', invoices: [{ customerType: 'business' }] }, 'Max Mustermann').addressAsCompany).toBe(false);
	});

	test.each([
		['de', false, 'Sehr geehrte Damen und Herren,'],
		['de', true, 'Sehr geehrte Damen und Herren,'],
		['en', false, 'Dear Sir or Madam,'],
		['en', true, 'Dear Sir or Madam,'],
	] as const)('%s letter (collective: %s) greets a business customer as a company', (language, group, greeting) => {
		const item = group ? several({ customerName: 'Müller Logistik', customerType: 'business' }, language) : single({ customerName: 'Müller Logistik', customerType: 'business' }, language);
		expect(buildLetterModel(item, letterOptions()).intro.split('\n')[0]).toBe(greeting);
		const person = group ? several({ customerName: 'Erika Mustermann' }, language) : single({ customerName: 'Erika Mustermann' }, language);
		expect(buildLetterModel(person, letterOptions()).intro.split('\n')[0]).toBe(language === 'de' ? 'Guten Tag Erika Mustermann,' : 'Dear Erika Mustermann,');
	});
});

describe('payment link per invoice in collective e-mails', () => {
	const withLinks = (language: string, links: unknown[]) => {
		const item = groupItem(links.length);
		item.language = language;
		(item.invoices as Array<Record<string, unknown>>).forEach((member, k) => {
			if (links[k] !== undefined) member.paymentLink = links[k];
		});
		return item;
	};

	test.each(DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.map((level) => [language, level] as const)))('%s level %d: each invoice line carries its own link, none where an invoice has none', (language, level) => {
		const r = email(withLinks(language, ['https://pay.example/r1', undefined, 'www.pay.example/r3']), language, level);
		const label = language === 'de' ? 'Online bezahlen' : 'Pay online';
		const lines = r.text.split('\n');
		const row = (k: number) => lines.findIndex((l) => l.startsWith(language === 'de' ? `- Rechnung RE-2026-000${k}` : `- Invoice RE-2026-000${k}`));
		expect(lines[row(1) + 1]).toBe(`  ${label}: https://pay.example/r1`);
		expect(lines[row(2) + 1]).toMatch(/^- (Rechnung|Invoice) RE-2026-0003/);
		expect(lines[row(3) + 1]).toBe(`  ${label}: https://www.pay.example/r3`);
		// No blank line crept in before the sums.
		expect(lines[row(3) + 2]).toMatch(/^(Offen insgesamt|Open in total):/);
		const pay = (n: string) => (language === 'de' ? `Rechnung ${n} online bezahlen` : `Pay invoice ${n} online`);
		expect(r.html).toContain(`<a href="https://pay.example/r1">${pay('RE-2026-0001')}</a>`);
		expect(r.html).toContain(`<a href="https://www.pay.example/r3">${pay('RE-2026-0003')}</a>`);
		expect(r.html).not.toContain(pay('RE-2026-0002'));
	});

	test('without any link the list reads as before', () => {
		const r = email(withLinks('de', [undefined, undefined]), 'de');
		expect(r.text).not.toContain('Online bezahlen');
		expect(r.html).not.toContain('online bezahlen');
	});

	test('a link that is no web address fails the reminder naming the invoice, as the single link does', () => {
		expect(() => email(withLinks('de', ['https://pay.example/r1', 'javascript:alert(1)']), 'de')).toThrow(
			new ReminderInputError('paymentLink', 'The field "paymentLink" (payment link) of invoice 2 in "invoices" must be a web address starting with https:// or http://, got "javascript:alert(1)"'),
		);
	});

	test('the templates see each invoice’s link, and one invoice’s own', () => {
		const json = withLinks('de', ['https://pay.example/r1', undefined]);
		const reminder = readReminderItem(json);
		if (reminder.kind !== 'email') throw new Error('expected e-mail');
		const ctx = buildTemplateContext(json, { ...reminder.values, senderName: 'S' }, { language: 'de', locale: 'de-DE', currency: 'EUR' });
		expect(ctx.invoices.map((l) => l.paymentLink)).toEqual(['https://pay.example/r1', '']);
		const one = invoiceItem(1, { paymentLink: 'https://pay.example/one' });
		const single = readReminderItem(one);
		if (single.kind !== 'email') throw new Error('expected e-mail');
		expect(buildTemplateContext(one, { ...single.values, senderName: 'S' }, { language: 'de', locale: 'de-DE', currency: 'EUR' }).invoices[0].paymentLink).toBe('https://pay.example/one');
	});
});
