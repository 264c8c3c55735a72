/**
 * A business letter, an e-mail too, names the company with its legal form (§ 35a GmbHG, § 80 AktG,
 * § 37a HGB): the shipped e-mail footers print `merchant.fullName` (companyFullName), the name the
 * letter's footer and return address print, also when the details give the legal form apart
 * ("Muster Handels" and "GmbH"). The letterhead keeps the name as entered (see below).
 */
import { layoutLetter, type DrawOp } from '../../lib/letters/layout';
import { buildLetterModel } from '../../lib/letters/letter-model';
import { LetterPdf } from '../../lib/letters/pdf';
import { readBusinessDetails } from '../../lib/payment/details';
import { noReminderPayment, reminderPayment } from '../../lib/payment/reminder-payment';
import { buildTemplateContext, type ReminderValues } from '../../lib/templates/context';
import { DEFAULT_LANGUAGES, DEFAULT_LEVELS } from '../../lib/templates/defaults';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { COMPANY, invoiceItem, letterOptions } from '../letters/fixtures';
import { LINE as line, SECOND_LINE as second } from './invoice-lines';

const one: ReminderValues = { ...line, deadline: '2099-03-09', level: 1, stageName: 'Zahlungserinnerung', customerName: 'Erika Mustermann', senderName: 'Muster Handels', invoices: [line], invoiceCount: 1 };
const two: ReminderValues = { ...one, invoiceId: 'inv-1, inv-2', invoiceNumber: 'RE-2026-0042, RE-2026-0043', openAmount: 200, fee: 10, totalDue: 210, invoices: [line, second], invoiceCount: 2 };

/** The name without the legal form, which the details give apart. */
const APART = { ...COMPANY, name: 'Muster Handels', legalForm: 'GmbH', accountHolder: '' };
const FOOTER = 'Muster Handels GmbH · Hauptstraße 1 · 10115 Berlin';

const env = new TemplateEnvironment();

/** Rendered as Send Reminder Email renders: reminderPayment's merchant and payment put over the context. */
function sent(values: ReminderValues, language: string, company: Record<string, unknown> = APART) {
	const details = readBusinessDetails(company);
	const pay = reminderPayment(details, { currency: 'EUR', totalDue: values.totalDue, invoiceId: values.invoiceId, invoiceNumbers: values.invoices.map((l) => l.invoiceNumber), customerId: '', level: values.level, link: '' });
	const context = buildTemplateContext({}, values, { language, locale: localeFor(language), currency: 'EUR' });
	return renderReminder(env, resolveTemplates(language, values.level, 'de', undefined, values.invoiceCount > 1), { ...context, merchant: pay.merchant, payment: pay.payment });
}

const cases = DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.flatMap((level) => [[language, level, false] as const, [language, level, true] as const]));

describe('the e-mail footer names the company with its legal form', () => {
	test.each(cases)('%s level %d (collective: %s): name and legal form given apart, in text and HTML', (language, level, collective) => {
		const r = sent({ ...(collective ? two : one), level }, language);
		expect(r.text).toContain(`\n-- \n${FOOTER}\n`);
		expect(r.html).toMatch(new RegExp(`>${FOOTER}(<br>|</p>)`));
	});

	test('a name that already ends with its legal form is not given it twice', () => {
		const r = sent(one, 'de', { ...APART, name: 'Muster Handels GmbH' });
		expect(r.text).toContain(`\n-- \n${FOOTER}\n`);
		expect(r.text + r.html).not.toContain('GmbH GmbH');
	});

	test('without a legal form the footer prints the name as entered', () => {
		expect(sent(one, 'en', { ...APART, legalForm: '' }).text).toContain('\n-- \nMuster Handels · Hauptstraße 1 · 10115 Berlin\n');
	});

	test('merchant.fullName comes with the company details: in the merchant Send puts over the context and in buildTemplateContext (as the letter texts see it); empty without company details', () => {
		const details = readBusinessDetails(APART);
		const pay = reminderPayment(details, { currency: 'EUR', totalDue: 105, invoiceId: 'inv-1', invoiceNumbers: ['RE-2026-0042'], customerId: '', level: 1, link: '' });
		expect(pay.merchant.fullName).toBe('Muster Handels GmbH');
		const context = buildTemplateContext({}, one, { language: 'de', locale: 'de-DE', currency: 'EUR' }, pay);
		expect(context.merchant).toMatchObject({ name: 'Muster Handels', legalForm: 'GmbH', fullName: 'Muster Handels GmbH' });
		expect(buildTemplateContext({}, one, { language: 'de', locale: 'de-DE', currency: 'EUR' }, noReminderPayment()).merchant.fullName).toBe('');
		// An item field "merchant" is still replaced by the details, fullName and all.
		expect(buildTemplateContext({ merchant: { fullName: 'Kunde AG' } }, one, { language: 'de', locale: 'de-DE', currency: 'EUR' }, pay).merchant.fullName).toBe('Muster Handels GmbH');
	});
});

describe('the letter names its sender as the e-mail does', () => {
	const texts = (ops: DrawOp[], role: string) => ops.filter((o): o is Extract<DrawOp, { kind: 'text' }> => o.kind === 'text' && o.role === role);

	test('the return address in the window gives the name with the legal form, as the footer; the letterhead keeps the name as entered', () => {
		const model = buildLetterModel(invoiceItem(1), letterOptions({}, APART));
		expect(model.returnAddress).toBe(FOOTER);
		expect(model.footer[0][0]).toBe('Muster Handels GmbH');
		const page = layoutLetter(model, new LetterPdf().measure).pages[0];
		expect(texts(page, 'returnAddress').map((t) => t.text).join(' ')).toBe(FOOTER);
		expect(texts(page, 'letterhead').filter((t) => t.font === 'bold').map((t) => t.text)).toEqual(['Muster Handels']);
	});

	test('the e-mail footer and the letter name the same company', () => {
		const model = buildLetterModel(invoiceItem(1), letterOptions({}, APART));
		expect(sent(one, 'de').text).toContain(`\n-- \n${model.footer[0][0]} · `);
	});
});
