/**
 * An operator's own body replaces the shipped one, its payment block included. With an IBAN in the
 * company details, an own text that prints neither the IBAN nor a payment link leaves the customer
 * nothing to pay to: it goes out with a warning (delivery.warning). So does own HTML whose link
 * renders with an empty address (href="" from an empty {{payment.link}}). The shipped texts never warn.
 */
import { readBusinessDetails } from '../../lib/payment/details';
import { reminderPayment } from '../../lib/payment/reminder-payment';
import { buildTemplateContext, type ReminderValues } from '../../lib/templates/context';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { EMPTY_LINK, hasEmptyLink, localeFor, NO_ACCOUNT_PRINTED, NO_LINK_PRINTED, renderReminder, resolveTemplates, unprintedAccount, type CustomTemplates } from '../../lib/templates/render';
import { COMPANY } from '../letters/fixtures';
import { LINE as line, SECOND_LINE as second } from './invoice-lines';

const one: ReminderValues = { ...line, deadline: '2099-03-09', level: 1, stageName: 'Zahlungserinnerung', customerName: 'Erika Mustermann', senderName: 'Muster Handels GmbH', invoices: [line], invoiceCount: 1 };
const two: ReminderValues = { ...one, invoiceId: 'inv-1, inv-2', invoiceNumber: 'RE-2026-0042, RE-2026-0043', openAmount: 200, fee: 10, totalDue: 210, invoices: [line, second], invoiceCount: 2 };

const WITH_IBAN = readBusinessDetails(COMPANY);
const NO_IBAN = readBusinessDetails({ ...COMPANY, iban: '', bic: '' });
const env = new TemplateEnvironment();

/** Renders as Send Reminder Email does: the item, the values, and reminderPayment's merchant and payment. */
function render(values: ReminderValues, own: CustomTemplates | undefined, item: Record<string, unknown> = {}, details = WITH_IBAN, language = 'de') {
	const link = typeof item.paymentLink === 'string' ? item.paymentLink : '';
	const pay = reminderPayment(details, { currency: 'EUR', totalDue: values.totalDue, invoiceId: values.invoiceId, invoiceNumbers: values.invoices.map((l) => l.invoiceNumber), customerId: 'K-1', level: values.level, link });
	const context = buildTemplateContext(item, values, { language, locale: localeFor(language), currency: 'EUR' });
	const resolved = resolveTemplates(language, values.level, 'de', own ? () => ({ templates: own, source: 'node' }) : undefined, values.invoiceCount > 1);
	return renderReminder(env, resolved, { ...context, merchant: pay.merchant, payment: pay.payment });
}

const SUBJECT = 'Zahlungserinnerung {{invoiceNumber}}';

describe('own texts that print no account to pay to', () => {
	it.each(['de', 'en'])('the shipped %s texts, for one invoice and collective, each level, with or without a link, never warn', (language) => {
		for (const level of [1, 2, 3]) {
			for (const values of [one, two]) {
				for (const item of [{}, { paymentLink: 'https://pay.example/r1?a=1&b=2' }]) {
					const r = render({ ...values, level }, undefined, item, WITH_IBAN, language);
					expect([language, level, values.invoiceCount, r.warning]).toEqual([language, level, values.invoiceCount, undefined]);
				}
			}
		}
		// An own subject alone keeps the shipped body and its bank details.
		expect(render(one, { subject: SUBJECT }).warning).toBeUndefined();
	});

	it('an own HTML body that prints no IBAN and no link warns, though the company details have an IBAN', () => {
		const r = render(one, { subject: SUBJECT, html: '<p>Guten Tag {{customerName}},</p><p>bitte zahlen Sie {{money totalDue}} bis {{date deadline}}.</p>' });
		expect(r.html).not.toContain('DE89');
		expect(r.warning).toBe(NO_ACCOUNT_PRINTED);
		expect(r.warning).toBe('Your own texts print neither the IBAN ({{payment.iban}}) nor the payment link ({{payment.link}}): the customer sees no account to pay to');
		// An own plain text alike; and an HTML that typed another account is no account of the company.
		expect(render(one, { text: 'Bitte zahlen Sie {{money totalDue}}.' }).warning).toBe(NO_ACCOUNT_PRINTED);
		expect(render(one, { html: '<p>IBAN DE02 1203 0000 0000 2020 51</p>' }).warning).toBe(NO_ACCOUNT_PRINTED);
	});

	it.each([
		['{{payment.iban}} in the HTML', { html: '<p>IBAN: {{payment.iban}}</p>' }],
		['{{payment.iban}} in the own plain text only', { html: '<p>Bitte zahlen.</p>', text: 'IBAN: {{payment.iban}}' }],
		['the IBAN typed without spaces', { html: '<p>IBAN DE89370400440532013000</p>' }],
		['the IBAN typed with spaces, in lower case', { text: 'IBAN de89 3704 0044 0532 0130 00' }],
		['the IBAN with &nbsp; between its groups', { html: '<p>DE89&nbsp;3704&nbsp;0044&nbsp;0532&nbsp;0130&nbsp;00</p>' }],
	])('an own text printing the IBAN (%s) does not warn', (_, own) => {
		expect(render(one, own).warning).toBeUndefined();
	});

	it('an own text that prints only the payment link does not warn; the link escaped in an href counts', () => {
		const item = { paymentLink: 'https://pay.example/r1?a=1&b=2' };
		expect(render(one, { html: '<p><a href="{{payment.link}}">Jetzt zahlen</a></p>' }, item).warning).toBeUndefined();
		expect(render(one, { text: 'Zahlen Sie hier: {{payment.link}}' }, item).warning).toBeUndefined();
		// A link the item has but the text never prints is no way to pay.
		expect(render(one, { html: '<p>Bitte zahlen.</p>' }, item).warning).toBe(NO_ACCOUNT_PRINTED);
	});

	it('a collective own text listing each invoice\'s own link does not warn', () => {
		const html = '<ul>{{#each invoices}}<li>{{invoiceNumber}}: <a href="{{paymentLink}}">zahlen</a></li>{{/each}}</ul>';
		const item = { invoices: [{ paymentLink: 'https://pay.example/1' }, { paymentLink: 'https://pay.example/2' }] };
		expect(render(two, { html }, item).warning).toBeUndefined();
	});

	it('without an IBAN but with payment links, an own text that prints no link warns (before: only checked with an IBAN)', () => {
		const item = { paymentLink: 'https://pay.example/r1?a=1&b=2' };
		const r = render(one, { html: '<p>Bitte zahlen Sie {{money totalDue}}.</p>' }, item, NO_IBAN);
		expect(r.warning).toBe(NO_LINK_PRINTED);
		expect(r.warning).toBe('Your own texts print no payment link ({{payment.link}}), and the company details have no IBAN: the customer sees nowhere to pay to');
		expect(render(one, { html: '<p><a href="{{payment.link}}">Jetzt zahlen</a></p>' }, item, NO_IBAN).warning).toBeUndefined();
		// Collective without charges, each invoice with its own link: a text that prints none of them warns, one listing them does not.
		const links = { invoices: [{ paymentLink: 'https://pay.example/1' }, { paymentLink: 'https://pay.example/2' }] };
		const noCharges = { ...two, fee: 0, totalDue: two.openAmount };
		expect(render(noCharges, { html: '<p>Bitte zahlen.</p>' }, links, NO_IBAN).warning).toBe(NO_LINK_PRINTED);
		expect(render(noCharges, { html: '{{#each invoices}}<a href="{{paymentLink}}">{{invoiceNumber}}</a>{{/each}}' }, links, NO_IBAN).warning).toBeUndefined();
	});

	it('unprintedAccount: nothing to print gives no warning; a link alone, unprinted, does', () => {
		expect(unprintedAccount({ iban: '', links: [] }, '<p>Bitte zahlen.</p>', 'Bitte zahlen.')).toBeNull();
		expect(unprintedAccount({ iban: '', links: ['https://pay.example/1'] }, '<p>Bitte zahlen.</p>', 'Bitte zahlen.')).toBe(NO_LINK_PRINTED);
		expect(unprintedAccount({ iban: '', links: ['https://pay.example/1'] }, '', 'https://pay.example/1')).toBeNull();
		expect(unprintedAccount({ iban: 'DE89 3704 0044 0532 0130 00', links: [] }, '<p>Bitte zahlen.</p>', '')).toBe(NO_ACCOUNT_PRINTED);
	});

	it('without an IBAN the existing warning stays the only one', () => {
		const r = render(one, { html: '<p>Bitte zahlen Sie bar.</p>' }, {}, NO_IBAN);
		expect(r.warning).toMatch(/^The reminder names no account to pay to: "iban" is empty/);
		expect(r.warning).not.toContain(NO_ACCOUNT_PRINTED);
	});
});

describe('own HTML with a link that leads nowhere', () => {
	const button = '<p>IBAN: {{payment.iban}}</p><p><a href="{{payment.link}}">Jetzt zahlen</a></p>';

	it('an href rendered empty from a missing payment link warns; with the link, or wrapped in #if, it does not', () => {
		const r = render(one, { html: button });
		expect(r.html).toContain('<a href="">Jetzt zahlen</a>');
		expect(r.warning).toBe(EMPTY_LINK);
		expect(r.warning).toBe('A link in your own HTML has an empty address (href=""), so it leads nowhere: wrap it in {{#if payment.link}}…{{/if}} (or in an #if of the field it prints)');
		expect(render(one, { html: button }, { paymentLink: 'https://pay.example/r1' }).warning).toBeUndefined();
		expect(render(one, { html: '<p>IBAN: {{payment.iban}}</p>{{#if payment.link}}<a href="{{payment.link}}">Jetzt zahlen</a>{{/if}}' }).warning).toBeUndefined();
	});

	it('both warnings together: no account printed and a dead button', () => {
		expect(render(one, { html: '<a href="{{payment.link}}">Jetzt zahlen</a>' }).warning).toBe(`${NO_ACCOUNT_PRINTED}; ${EMPTY_LINK}`);
	});

	it.each([
		['<a href="">x</a>', true],
		["<a href=''>x</a>", true],
		['<a href="#">x</a>', true],
		['<a class="b" HREF = " # ">x</a>', true],
		['<a\nhref=\'  \'>x</a>', true],
		['<a href="https://pay.example">x</a>', false],
		['<a href="#top">x</a>', false],
		['<a data-href="">x</a>', false],
		['<p>href="" in words</p>', false],
		['<img src="">', false],
	])('%s → %s', (html, empty) => {
		expect(hasEmptyLink(html)).toBe(empty);
	});
});
