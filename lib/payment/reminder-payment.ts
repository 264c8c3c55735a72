/**
 * What a reminder's templates see of the merchant and of how to pay: `merchant.*` for the footer,
 * `payment.*` for the payment block (`merchant`, not `company`: item fields often name the
 * customer's company `company`). Present on every reminder, empty when no details are set, so
 * that a text can always ask {{#if payment.iban}} (templates run in strict mode). The GiroCode is
 * made only for euro with an IBAN, for exactly the reminder's total due, and only for a total a
 * GiroCode can carry (0,01 € to 999.999.999,99 €).
 */
import { toCents } from '../dunning/money';
import type { BusinessDetails, CompanyDetails } from './details';
import { buildEpcPayload, epcRemittanceBytes, sepaTextProblem } from './epc-qr';
import { formatIban } from './iban';
import { paymentReference, type ReferenceTextCheck } from './reference';

/** EPC069-12's amount field: at most EUR999999999.99 (epcAmount refuses more). */
const EPC_MAX_AMOUNT_CENTS = 99_999_999_999;

/** Content-ID of the GiroCode image in an HTML reminder: <img src="cid:…">. */
export const GIROCODE_CID = 'girocode@n8n-nodes-dunning';

export interface PaymentTemplateValues {
	accountHolder: string;
	/** Printed form, in groups of four; empty without an IBAN. */
	iban: string;
	bic: string;
	bankName: string;
	reference: string;
	link: string;
	/** True when the reminder carries a GiroCode (euro, IBAN set). */
	giroCode: boolean;
	giroCodeCid: string;
}

export interface ReminderPayment {
	merchant: CompanyDetails;
	payment: PaymentTemplateValues;
	/** The EPC QR payload, or null when there is no GiroCode. */
	epcPayload: string | null;
}

const NO_COMPANY: CompanyDetails = {
	name: '', street: '', postalCode: '', city: '', country: '', legalForm: '', seat: '', registerCourt: '', registerNumber: '', managingDirectors: '', vatId: '', phone: '', email: '', website: '', fullName: '',
};

export interface ReminderPaymentInput {
	currency: string;
	totalDue: number;
	invoiceId: string;
	invoiceNumbers: string[];
	customerId: string;
	level: number;
	/** A payment link from the item (PayPal, Stripe, the shop), or ''. */
	link: string;
}

/** The values for a reminder without company details: every field empty, so {{#if …}} reads false. */
export function noReminderPayment(): Pick<ReminderPayment, 'merchant' | 'payment'> {
	const { merchant, payment } = reminderPayment(null, { currency: '', totalDue: 0, invoiceId: '', invoiceNumbers: [], customerId: '', level: 0, link: '' });
	return { merchant, payment };
}

/**
 * `printable`, for a letter: refuses reference values its font cannot print, before the bank's
 * characters are checked (an e-mail has no such limit).
 */
export function reminderPayment(details: BusinessDetails | null, r: ReminderPaymentInput, printable?: ReferenceTextCheck): ReminderPayment {
	if (!details) {
		return { merchant: NO_COMPANY, payment: { accountHolder: '', iban: '', bic: '', bankName: '', reference: '', link: r.link, giroCode: false, giroCodeCid: GIROCODE_CID }, epcPayload: null };
	}
	const pay = details.payment;
	// Above the amount a GiroCode can carry the reminder goes out without one, not at all.
	const cents = toCents(r.totalDue);
	const giroCode = pay.iban !== null && r.currency === 'EUR' && Number.isFinite(r.totalDue) && cents >= 1 && cents <= EPC_MAX_AMOUNT_CENTS;
	// Each value is checked where it comes from, so the error names its field.
	const check: ReferenceTextCheck = (text) => printable?.(text) ?? (giroCode ? sepaTextProblem(text) : null);
	const transfer = giroCode ? { name: pay.accountHolder, iban: pay.iban!, bic: pay.bic ?? undefined, amount: r.totalDue } : null;
	// The GiroCode's 331 bytes hold the reference beside the name, IBAN, BIC and amount: it is made to fit what they leave.
	const maxBytes = transfer ? epcRemittanceBytes(transfer) : undefined;
	// The shipped texts show the reference with the bank account; without one (and without a link) a bad value must not stop the mail.
	const reference =
		pay.iban !== null || r.link !== ''
			? paymentReference(pay.referencePattern, { invoiceId: r.invoiceId, customerId: r.customerId, level: String(r.level) }, r.invoiceNumbers, check, maxBytes)
			: '';
	const epcPayload = transfer ? buildEpcPayload({ ...transfer, remittance: reference }) : null;
	return {
		merchant: details.company,
		payment: {
			accountHolder: pay.accountHolder,
			iban: pay.iban ? formatIban(pay.iban) : '',
			bic: pay.bic ?? '',
			bankName: pay.bankName,
			reference,
			link: r.link,
			giroCode: epcPayload !== null,
			giroCodeCid: GIROCODE_CID,
		},
		epcPayload,
	};
}
