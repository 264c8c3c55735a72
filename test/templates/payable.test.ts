/**
 * E-mail reminders with company details but no IBAN: the shipped texts ask "Bitte überweisen Sie den
 * Betrag …", so without an account or a payment link the reminder cannot be paid from and is
 * refused, naming "iban" (Send Reminder Email fails that item with the message, as for a wrong IBAN).
 * The operator's own texts are rendered, with a warning for delivery.warning.
 */
import { DetailsError, readBusinessDetails } from '../../lib/payment/details';
import { reminderPayment } from '../../lib/payment/reminder-payment';
import { buildTemplateContext, type ReminderValues } from '../../lib/templates/context';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { COMPANY } from '../letters/fixtures';
import { LINE as line, SECOND_LINE as second } from './invoice-lines';

const one: ReminderValues = { ...line, deadline: '2099-03-09', level: 2, stageName: '1. Mahnung', customerName: 'Erika Mustermann', senderName: 'Muster Handels GmbH', invoices: [line], invoiceCount: 1 };
const two: ReminderValues = { ...one, invoiceId: 'inv-1, inv-2', invoiceNumber: 'RE-2026-0042, RE-2026-0043', openAmount: 200, fee: 10, totalDue: 210, invoices: [line, second], invoiceCount: 2 };

const NO_IBAN = readBusinessDetails({ ...COMPANY, iban: '', bic: '' });
const env = new TemplateEnvironment();

/** The context Send Reminder Email renders with: the item, the values, and reminderPayment's merchant and payment. */
function contextFor(values: ReminderValues, item: Record<string, unknown>, details = NO_IBAN, language = 'de') {
	const link = typeof item.paymentLink === 'string' ? item.paymentLink : '';
	const pay = reminderPayment(details, { currency: 'EUR', totalDue: values.totalDue, invoiceId: values.invoiceId, invoiceNumbers: values.invoices.map((l) => l.invoiceNumber), customerId: '', level: values.level, link });
	const context = buildTemplateContext(item, values, { language, locale: localeFor(language), currency: 'EUR' });
	return { ...context, merchant: pay.merchant, payment: pay.payment };
}

function render(values: ReminderValues, item: Record<string, unknown>, details = NO_IBAN, own?: { subject?: string; html?: string; text?: string }, language = 'de') {
	const resolved = resolveTemplates(language, values.level, 'de', own ? () => ({ templates: own, source: 'node' }) : undefined, values.invoiceCount > 1);
	return renderReminder(env, resolved, contextFor(values, item, details, language));
}

/** The DetailsError's field and message, or what came instead. */
function refusal(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		return error instanceof DetailsError ? `${error.field}: ${error.message}` : `not a DetailsError: ${String(error)}`;
	}
	return 'rendered';
}

describe('an e-mail reminder names a way to pay', () => {
	it.each(['de', 'en'])('with the shipped %s texts, no IBAN and no payment link is refused naming "iban" and "paymentLink"', (language) => {
		expect(refusal(() => render(one, {}, NO_IBAN, undefined, language))).toBe(
			'iban: Company details: "iban" is empty and invoice RE-2026-0042 has no payment link ("paymentLink"): the reminder asks for a transfer but names no account to pay to. ' +
				'Enter the IBAN in the company details (field "iban"), or give the invoice a payment link ("paymentLink")',
		);
	});

	it('with the shipped texts, an IBAN or a payment link is enough, and nothing is warned', () => {
		const withIban = render(one, {}, readBusinessDetails(COMPANY));
		expect(withIban.text).toContain('IBAN: DE89 3704 0044 0532 0130 00');
		expect(withIban.warning).toBeUndefined();
		const withLink = render(one, { paymentLink: 'https://pay.example/r1' });
		expect(withLink.text).toContain('Online bezahlen: https://pay.example/r1');
		expect(withLink.warning).toBeUndefined();
	});

	it('an own subject alone keeps the shipped body, which asks for a transfer: refused', () => {
		expect(refusal(() => render(one, {}, NO_IBAN, { subject: 'Offen: {{invoiceNumber}}' }))).toMatch(/^iban: Company details: "iban" is empty/);
	});

	it('with own texts (text, HTML, or both) the reminder is rendered with a warning that it names no account', () => {
		const warning = 'The reminder names no account to pay to: "iban" is empty and invoice RE-2026-0042 has no payment link ("paymentLink"). Your own texts are used: check that they say how to pay';
		for (const own of [{ text: 'Bitte zahlen Sie bar: {{money totalDue}}' }, { html: '<p>Bitte zahlen Sie bar.</p>' }, { text: 'Bar.', html: '<p>Bar.</p>' }]) {
			const r = render(one, {}, NO_IBAN, own);
			expect(r.warning).toBe(warning);
		}
		expect(render(one, {}, readBusinessDetails(COMPANY), { text: 'Bar oder an {{payment.iban}}.' }).warning).toBeUndefined();
	});

	it('without company details at all nothing is checked here (Send Reminder Email’s “None” says so itself)', () => {
		const resolved = resolveTemplates('de', 2, 'de');
		const r = renderReminder(env, resolved, buildTemplateContext({}, one, { language: 'de', locale: 'de-DE', currency: 'EUR' }));
		expect(r.text).toContain('Bitte überweisen Sie');
		expect(r.warning).toBeUndefined();
	});

	describe('a collective reminder without an IBAN', () => {
		const group = (links: string[]) => ({ invoices: links.map((paymentLink) => ({ paymentLink })) });

		it('goes out when every invoice has its own link and nothing is charged beyond the open amounts', () => {
			const free = { ...two, fee: 0, totalDue: 200, invoices: [{ ...line, fee: 0, totalDue: 100 }, { ...second, fee: 0, totalDue: 100 }] };
			const r = render(free, group(['https://pay.example/1', 'https://pay.example/2']));
			expect(r.text).toContain('Online bezahlen: https://pay.example/2');
			expect(r.warning).toBeUndefined();
		});

		it('is refused naming the invoices without a link', () => {
			expect(refusal(() => render(two, group(['https://pay.example/1', ''])))).toMatch(
				/^iban: Company details: "iban" is empty and invoice RE-2026-0043 of this collective reminder has no payment link \("paymentLink"\): .* or give each of its invoices a payment link \("paymentLink"\)$/,
			);
		});

		it('is refused when the links leave fees to be transferred separately, to no account', () => {
			const r = () => render(two, group(['https://pay.example/1', 'https://pay.example/2']));
			expect(refusal(r)).toMatch(/^iban: Company details: "iban" is empty and the payment links \("paymentLink"\) pay only each invoice's open amount: the reminder asks for the fees, flat fees and interest to be transferred separately/);
		});
	});
});
