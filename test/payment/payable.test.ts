/**
 * A reminder must name a way to pay: an IBAN, or a payment link for each invoice. With the shipped
 * texts (they ask for a transfer) one that does not is refused as a wrong company detail; with the
 * operator's own texts it is made, with a warning.
 */
import { DetailsError, readBusinessDetails } from '../../lib/payment/details';
import { checkPayable, payableFromContext, type PayableReminder } from '../../lib/payment/payable';
import { reminderPayment } from '../../lib/payment/reminder-payment';
import { COMPANY } from '../letters/fixtures';

const SHIPPED = { shippedTexts: true, paymentLinkField: 'paymentLink' };
const OWN = { shippedTexts: false, paymentLinkField: 'paymentLink' };

const single = (over: Partial<PayableReminder> = {}): PayableReminder => ({ iban: false, link: '', invoices: [{ invoiceNumber: 'RE-1', link: '' }], charges: 5, ...over });
const group = (links: string[], charges = 0): PayableReminder => ({ iban: false, link: '', invoices: links.map((link, k) => ({ invoiceNumber: `RE-${k + 1}`, link })), charges });

/** What checkPayable does: 'ok', the warning, or the error's field and message. */
function outcome(reminder: PayableReminder, check = SHIPPED): string {
	try {
		return checkPayable(reminder, check) ?? 'ok';
	} catch (error) {
		return error instanceof DetailsError ? `${error.field}: ${error.message}` : `not a DetailsError: ${String(error)}`;
	}
}

describe('checkPayable', () => {
	it('with the shipped texts, no IBAN and no payment link is refused as a company detail, naming "iban" and the link field', () => {
		expect(outcome(single())).toBe(
			'iban: Company details: "iban" is empty and invoice RE-1 has no payment link ("paymentLink"): the reminder asks for a transfer but names no account to pay to. ' +
				'Enter the IBAN in the company details (field "iban"), or give the invoice a payment link ("paymentLink")',
		);
		// The operator's name for the link field.
		expect(outcome(single(), { shippedTexts: true, paymentLinkField: 'payUrl' })).toMatch(/has no payment link \("payUrl"\).*a payment link \("payUrl"\)$/);
	});

	it('an IBAN or a payment link is a way to pay', () => {
		expect(outcome(single({ iban: true }))).toBe('ok');
		expect(outcome(single({ link: 'https://pay.example/1' }))).toBe('ok');
		// A link printed only under its invoice (a letter's group of one) pays that invoice's open amount.
		const underInvoice = [{ invoiceNumber: 'RE-1', link: 'https://pay.example/1' }];
		expect(outcome(single({ invoices: underInvoice, charges: 0 }))).toBe('ok');
		expect(outcome(single({ invoices: underInvoice }))).toMatch(/^iban: Company details: "iban" is empty and the payment links/);
	});

	it('with the operator’s own texts the reminder is made, with a warning that it names no account', () => {
		expect(outcome(single(), OWN)).toBe(
			'The reminder names no account to pay to: "iban" is empty and invoice RE-1 has no payment link ("paymentLink"). Your own texts are used: check that they say how to pay',
		);
		expect(outcome(single({ iban: true }), OWN)).toBe('ok');
	});

	it('a collective reminder is refused only when an invoice, or its charges, can be paid no way', () => {
		// Every invoice has its own link and nothing is charged beyond the open amounts: payable.
		expect(outcome(group(['https://pay.example/1', 'https://pay.example/2']))).toBe('ok');
		// Some invoices without a link: those are named.
		expect(outcome(group(['https://pay.example/1', '', '']))).toMatch(/^iban: Company details: "iban" is empty and invoices RE-2, RE-3 of this collective reminder have no payment link \("paymentLink"\): .* or give each of its invoices a payment link \("paymentLink"\)$/);
		expect(outcome(group(['', 'https://pay.example/2']))).toMatch(/and invoice RE-1 of this collective reminder has no payment link/);
		// Links for all, but fees, flat fees and interest: the shipped texts ask for them to be transferred separately.
		expect(outcome(group(['https://pay.example/1', 'https://pay.example/2'], 45))).toBe(
			'iban: Company details: "iban" is empty and the payment links ("paymentLink") pay only each invoice\'s open amount: the reminder asks for the fees, flat fees and interest to be transferred separately but names no account to pay to. Enter the IBAN in the company details (field "iban")',
		);
		// A link for the whole reminder pays the whole reminder.
		expect(outcome({ ...group(['', ''], 45), link: 'https://pay.example/all' })).toBe('ok');
		expect(outcome({ ...group(['', ''], 45), iban: true })).toBe('ok');
	});

	it('names a few invoices, each cut short: a message stays readable', () => {
		const many = group(Array.from({ length: 8 }, () => ''));
		expect(outcome(many)).toMatch(/invoices RE-1, RE-2, RE-3, RE-4, RE-5 and 3 more of this collective reminder have no payment link/);
		const long = single({ invoices: [{ invoiceNumber: 'X'.repeat(500), link: '' }] });
		expect(outcome(long)).toContain(`invoice ${'X'.repeat(40)}… has no payment link`);
	});
});

describe('payableFromContext', () => {
	const details = readBusinessDetails({ ...COMPANY, iban: '' });
	const input = { currency: 'EUR', totalDue: 105, invoiceId: 'inv-1', invoiceNumbers: ['RE-1'], customerId: '', level: 1, link: '' };

	it('reads what reminderPayment and the context give: no IBAN, the links, the charges', () => {
		const { merchant, payment } = reminderPayment(details, input);
		const context = { merchant, payment, invoices: [{ invoiceNumber: 'RE-1', paymentLink: 'https://pay.example/1' }], charges: 5 };
		expect(payableFromContext(context, true)).toEqual({
			iban: false,
			link: '',
			invoices: [{ invoiceNumber: 'RE-1', link: 'https://pay.example/1' }],
			charges: 5,
			account: { iban: '', links: ['https://pay.example/1'] },
		});
		// Texts that print no invoice's own link: only the reminder's link counts; an own body may still print it.
		const unshown = payableFromContext(context, false);
		expect([unshown?.invoices, unshown?.account]).toEqual([[{ invoiceNumber: 'RE-1', link: '' }], { iban: '', links: ['https://pay.example/1'] }]);
		const withIban = reminderPayment(readBusinessDetails(COMPANY), input);
		expect(payableFromContext({ ...context, ...withIban }, true)?.iban).toBe(true);
		expect(payableFromContext({ ...context, ...withIban }, true)?.account.iban).toBe(withIban.payment.iban);
	});

	it('account: the IBAN as printed and every link, the reminder’s first, none empty', () => {
		const { merchant } = reminderPayment(readBusinessDetails(COMPANY), input);
		const payment = { iban: 'DE89 3704 0044 0532 0130 00', link: 'https://pay.example/all' };
		const invoices = [{ invoiceNumber: 'RE-1', paymentLink: '' }, { invoiceNumber: 'RE-2', paymentLink: 'https://pay.example/2' }, 'junk'];
		expect(payableFromContext({ merchant, payment, invoices, charges: 0 }, false)?.account).toEqual({
			iban: 'DE89 3704 0044 0532 0130 00',
			links: ['https://pay.example/all', 'https://pay.example/2'],
		});
	});

	it('without company details there is nothing to check (the e-mail’s “None”; the node says so itself)', () => {
		const none = reminderPayment(null, input);
		expect(payableFromContext({ merchant: none.merchant, payment: none.payment, invoices: [], charges: 0 }, true)).toBeNull();
		expect(payableFromContext({}, true)).toBeNull();
	});
});
