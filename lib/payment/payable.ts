/**
 * Whether a reminder can be paid from: it names an account (IBAN) or a payment link for each of its
 * invoices. The shipped texts ask the customer to transfer the total ("Bitte überweisen Sie den
 * Gesamtbetrag …"); without an IBAN and without a link such a reminder names nowhere to pay to, so
 * it is refused, naming what to fill in. An operator's own texts may say how to pay in words we
 * cannot read: those reminders go out, with a warning. Used by the e-mail (renderReminder) and the
 * letter (buildLetterModel) alike.
 */
import { isObject } from '../json/is-object';
import { DetailsError } from './details';

/** What a reminder shows of the ways to pay. */
export interface PayableReminder {
	/** The company details have an IBAN: the reminder names the account. */
	iban: boolean;
	/** The link printed for the whole reminder ('' when none): it pays the total. */
	link: string;
	/** Each invoice with the link printed for it alone ('' when none): it pays that invoice's open amount. */
	invoices: ReadonlyArray<{ invoiceNumber: string; link: string }>;
	/** Fees, flat fees and interest (totalDue − openAmount): a link of one invoice does not pay them. */
	charges: number;
}

export interface PayableCheck {
	/** The reminder's texts are the shipped ones (they ask for a transfer), not the operator's own. */
	shippedTexts: boolean;
	/** The item field the payment link is read from, as the operator named it. */
	paymentLinkField: string;
}

/** What of the reminder cannot be paid: the invoices with no way to pay, and the charges; null when all can. */
function unpaid(r: PayableReminder): { invoices: string[]; charges: boolean } | null {
	if (r.iban || r.link !== '') return null;
	const invoices = r.invoices.filter((line) => line.link === '').map((line) => line.invoiceNumber);
	// Every invoice has its own link: the links pay the open amounts, the shipped collective texts
	// ask for the rest to be transferred "gesondert", and no account is named for it.
	const charges = invoices.length === 0 && r.charges > 0;
	return invoices.length > 0 || charges ? { invoices, charges } : null;
}

/**
 * How a refusal names an invoice without a payment link (`… has no payment link ("paymentLink")`):
 * that invoice's own problem, not the company details'. The shipped dunning run tells them apart by it.
 */
export const NO_PAYMENT_LINK = 'no payment link (';

const MAX_NAMED = 5;
const MAX_NUMBER = 40;

/** Invoice numbers for a message: a few, each cut short, so that a long list or number keeps it readable. */
function numbers(list: readonly string[]): string {
	const shown = list.slice(0, MAX_NAMED).map((n) => (n.length > MAX_NUMBER ? `${n.slice(0, MAX_NUMBER)}…` : n));
	return list.length > MAX_NAMED ? `${shown.join(', ')} and ${list.length - MAX_NAMED} more` : shown.join(', ');
}

/**
 * Why the reminder names nowhere to pay (to follow "Company details: "), what it asks for, and what
 * to fill in; null when it names a way to pay for everything.
 */
function unpaidReason(r: PayableReminder, field: string): { reason: string; asks: string; fix: string } | null {
	const left = unpaid(r);
	if (!left) return null;
	if (left.invoices.length === 0) {
		return {
			reason: `"iban" is empty and the payment links ("${field}") pay only each invoice's open amount`,
			asks: 'the fees, flat fees and interest to be transferred separately',
			fix: 'Enter the IBAN in the company details (field "iban")',
		};
	}
	const single = r.invoices.length === 1;
	const named = numbers(left.invoices);
	const which = single ? `invoice ${named} has` : `${left.invoices.length === 1 ? 'invoice' : 'invoices'} ${named} of this collective reminder ${left.invoices.length === 1 ? 'has' : 'have'}`;
	return {
		reason: `"iban" is empty and ${which} ${NO_PAYMENT_LINK}"${field}")`,
		asks: 'a transfer',
		fix: `Enter the IBAN in the company details (field "iban"), or give ${single ? 'the invoice' : 'each of its invoices'} a payment link ("${field}")`,
	};
}

/** What a reminder that names nowhere to pay gets: refused (the shipped texts), or made with a warning (own texts). */
export type PayableProblem = { refuse: true; field: 'iban'; message: string } | { refuse: false; warning: string };

/**
 * Whether the reminder can be paid from. With the shipped texts one that cannot is refused, naming
 * "iban" as a wrong IBAN is (so a run stops on it as on any wrong company detail; the message names
 * the payment link field too); with the operator's own texts it is made, with a warning for the
 * output. Null: the reminder names an account or a link for everything it asks for.
 */
export function payableProblem(reminder: PayableReminder, check: PayableCheck): PayableProblem | null {
	const found = unpaidReason(reminder, check.paymentLinkField);
	if (found === null) return null;
	if (check.shippedTexts) {
		return { refuse: true, field: 'iban', message: `Company details: ${found.reason}: the reminder asks for ${found.asks} but names no account to pay to. ${found.fix}` };
	}
	return { refuse: false, warning: `The reminder names no account to pay to: ${found.reason}. Your own texts are used: check that they say how to pay` };
}

/** payableProblem for a caller that fails with the company details' own error: throws a DetailsError, or returns the warning. */
export function checkPayable(reminder: PayableReminder, check: PayableCheck): string | null {
	const problem = payableProblem(reminder, check);
	if (problem?.refuse) throw new DetailsError(problem.field, problem.message);
	return problem ? problem.warning : null;
}

/** What a reminder can be paid to: the IBAN as printed ('' when none) and the payment links of the reminder and its invoices. */
export interface PrintableAccount {
	iban: string;
	/** `payment.link` and every invoice's own link, printed by the shipped texts or not; none empty. */
	links: string[];
}

/** A template context's ways to pay: as checkPayable weighs them, and as an own text may print them. */
export interface ContextPayable extends PayableReminder {
	/** What an own body is searched for (unprintedAccount): any link counts, wherever the body prints it. */
	account: PrintableAccount;
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * What a template context (buildTemplateContext with reminderPayment's `merchant` and `payment`)
 * shows of the ways to pay; null without company details (the e-mail's "None": the node says so
 * itself), as `merchant.name` is then empty and readBusinessDetails never leaves it so.
 * `invoiceLinksShown`: the texts print each invoice's own link (the collective e-mail texts, a
 * letter's invoice table); else only `payment.link` counts. The one reader of `payment.iban`,
 * `payment.link` and `invoices[].paymentLink`: the booleans and `account` are derived from the same texts.
 */
export function payableFromContext(context: Record<string, unknown>, invoiceLinksShown: boolean): ContextPayable | null {
	const { merchant, payment, invoices, charges } = context;
	if (!isObject(merchant) || textOf(merchant.name) === '' || !isObject(payment)) return null;
	const iban = textOf(payment.iban);
	const link = textOf(payment.link);
	const lines = (Array.isArray(invoices) ? invoices.filter(isObject) : []).map((line) => ({ invoiceNumber: textOf(line.invoiceNumber), link: textOf(line.paymentLink) }));
	return {
		iban: iban !== '',
		link,
		invoices: lines.map((line) => (invoiceLinksShown ? line : { ...line, link: '' })),
		charges: typeof charges === 'number' && Number.isFinite(charges) ? charges : 0,
		account: { iban, links: [link, ...lines.map((line) => line.link)].filter((l) => l !== '') },
	};
}
