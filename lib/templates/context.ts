/**
 * The values a reminder template sees. Every item field is available by its name (so operators
 * can use their own columns), and the reminder fields below are always present with these names,
 * whatever the item calls them.
 */
import { fromMinor, minorDigits, toMinor } from '../dunning/money';
import type { InterestPeriod } from '../dunning/types';
import { isObject } from '../json/is-object';
import { countryKey } from '../letters/country';
import { DEFAULT_FIELD_NAMES, isBlank, paymentLinkProblem, readPath, ReminderInputError, webLink } from '../mail/reminder-item';
import type { CompanyDetails } from '../payment/details';
import { noReminderPayment, type ReminderPayment } from '../payment/reminder-payment';
import type { FormatSettings } from './environment';
import { isFinalLevel } from './final-level';
import { checkInterestPeriods, periodDaysText, readInterestPeriods } from './interest-periods';
import { salutationOf, type Salutation } from './salutation';

/** One invoice a reminder covers, as the templates list it under `invoices`. */
export interface InvoiceLine {
	invoiceId: string;
	invoiceNumber: string;
	invoiceDate: string | null;
	dueDate: string;
	/** The invoice total (the item's `amount`); the open amount when it gives none, or one not above it. */
	invoiceAmount: number;
	/**
	 * invoiceAmount − openAmount: payments, but also credit notes, cash discounts (Skonto) and
	 * write-offs, so the shipped texts say "abzüglich Zahlungen und Gutschriften", never "paid";
	 * null when the total is not above the open amount: the shipped texts show both only then.
	 */
	paidAmount: number | null;
	openAmount: number;
	fee: number;
	flatFee: number;
	interest: number;
	totalDue: number;
	daysOverdue: number | null;
}

/**
 * A reminder covers one invoice, or several of one customer (a collective reminder, from Compute
 * Dunning Level's "Group by Customer"). The top-level amounts are then the sums, `invoiceId` and
 * `invoiceNumber` list all invoices, `dueDate` is the earliest; `invoices` always lists each one.
 */
export interface ReminderValues {
	/** The invoice's ID; for several invoices, their IDs joined by ", ". */
	invoiceId: string;
	invoiceNumber: string;
	invoiceDate: string | null;
	dueDate: string;
	/** The new payment deadline stated in the reminder. */
	deadline: string;
	/** The invoice total; for several invoices, the sum (see InvoiceLine). */
	invoiceAmount: number;
	/** Deducted from the invoice total (payments and credits, see InvoiceLine); for several invoices, the sum of those with a deduction; null when none has one. */
	paidAmount: number | null;
	openAmount: number;
	fee: number;
	/** Flat compensation for late payment between businesses (§ 288 (5) BGB, § 458 UGB: 40 EUR). */
	flatFee: number;
	interest: number;
	totalDue: number;
	level: number;
	stageName: string;
	daysOverdue: number | null;
	customerName: string;
	senderName: string;
	invoices: InvoiceLine[];
	invoiceCount: number;
}

/**
 * The flat fees (§ 288 (5) BGB) of a reminder, owed once per invoice, so that a text can say
 * "3 × 40,00 €" as the letter does, not one 120 € claim, without adding up money itself.
 */
export interface FlatFeeCounts {
	/** How many of the reminder's invoices carry a flat fee (0 or 1 for a single reminder). */
	flatFeeCount: number;
	/** The flat fee each of them carries, when they all carry the same; null when none does or they differ. */
	flatFeeEach: number | null;
	/** More than one invoice carries a flat fee: the shipped texts then say "Verzugspauschalen" with the count. */
	severalFlatFees: boolean;
}

/** Counts the invoices that carry a flat fee, as the letter's flat fee line does. */
export function flatFeeCounts(invoices: ReadonlyArray<Pick<InvoiceLine, 'flatFee'>>): FlatFeeCounts {
	const fees = invoices.map((line) => line.flatFee).filter((fee) => fee !== 0);
	const each = fees.length > 0 && fees.every((fee) => fee === fees[0]) ? fees[0] : null;
	return { flatFeeCount: fees.length, flatFeeEach: each, severalFlatFees: fees.length > 1 };
}

/**
 * The statute a flat fee for late payment between businesses rests on, as the shipped texts and the
 * letter cite it after "Verzugspauschale": by the merchant's country (the company details'), since
 * the claim is the merchant's under its own law. Germany (also a merchant without a country, the
 * package's market): § 288 (5) BGB; Austria: § 458 UGB (also 40 €); anywhere else the package
 * knows no such rule by name, so nothing is cited ('') rather than a German statute.
 */
export function flatFeeBasis(merchantCountry: string, language: string): string {
	const country = countryKey(merchantCountry || 'DE');
	const german = language.split('-')[0] === 'de';
	if (country === 'DE') return german ? '§ 288 Abs. 5 BGB' : '§ 288 (5) BGB';
	if (country === 'AT') return '§ 458 UGB';
	return '';
}

/**
 * One period of statutory interest as Compute Dunning Level lists it in `dunning.interestPeriods`,
 * read and checked for e-mail and letter alike (lib/templates/interest-periods.ts), with
 * `daysText`: its days in words, "1 Tag" / "18 Tage" ("1 day" / "18 days"), as the letter prints them.
 */
export type InterestPeriodLine = InterestPeriod & { daysText: string };

/** An invoice as the templates list it: with its own payment link ('' when it has none) and interest periods. */
export type ContextInvoiceLine = InvoiceLine & { paymentLink: string; interestPeriods: InterestPeriodLine[] };

/**
 * What a collective text needs to say that a per-invoice payment link pays only that invoice's
 * open amount, computed here so that templates do no arithmetic.
 */
export interface InvoiceLinkFacts {
	/** At least one invoice has its own payment link. */
	someInvoiceLink: boolean;
	/** totalDue − openAmount (fees, flat fees, interest) in the currency's minor unit; 0 when the total is not above the open amount. */
	charges: number;
}

function invoiceLinkFacts(links: string[], values: Pick<ReminderValues, 'totalDue' | 'openAmount'>, currency: string): InvoiceLinkFacts {
	const digits = minorDigits(currency);
	const charges = toMinor(values.totalDue, digits) - toMinor(values.openAmount, digits);
	return { someInvoiceLink: links.some((link) => link !== ''), charges: charges > 0 ? fromMinor(charges, digits) : 0 };
}

/** The item's field names buildTemplateContext reads beyond the reminder's values. */
export interface ContextFields {
	paymentLink?: string;
	interest?: string;
	invoiceId?: string;
}

/**
 * Where each invoice's own fields are: a customer group's `invoices` (a group of one, as Group by
 * Customer writes for every customer, too), else the item itself. As groupMembers (reminder-item.ts)
 * and the letter decide: an item with an invoice ID of its own is one invoice, whatever `invoices`
 * field an ERP export gives it.
 */
function membersOf(item: Record<string, unknown>, count: number, invoiceIdField: string): { group: boolean; members: unknown[] } {
	const group = Array.isArray(item.invoices) && item.invoices.length === count && isBlank(readPath(item, invoiceIdField));
	return { group, members: group ? (item.invoices as unknown[]) : [item] };
}

/**
 * Each invoice's payment link, as the letter prints one per invoice: a collective reminder's from
 * its invoices (`invoices[k]`), one invoice's its own. An href, so only a web address, checked as
 * readPaymentLink checks the single link (a bad one fails the item naming the field).
 */
function invoiceLinks(item: Record<string, unknown>, count: number, field: string, invoiceIdField: string): string[] {
	const { group, members } = membersOf(item, count, invoiceIdField);
	return Array.from({ length: count }, (_, k) => {
		const value = isObject(members[k]) ? readPath(members[k], field) : undefined;
		if (isBlank(value)) return '';
		const link = typeof value === 'string' ? webLink(value) : null;
		if (link === null) throw new ReminderInputError(field, paymentLinkProblem(field, value, group ? ` of invoice ${k + 1} in "invoices"` : ''));
		return link;
	});
}

/**
 * Each invoice's interest periods, read from its members as invoiceLinks reads their links, and
 * checked (checkInterestPeriods: days that match from–to, amounts that add up to that invoice's
 * interest), so that a reminder fails naming the field rather than print a breakdown that
 * contradicts the interest it asks for. The letter prints these too (invoices[k].interestPeriods).
 */
function invoiceInterestPeriods(
	item: Record<string, unknown>,
	lines: ReadonlyArray<Pick<InvoiceLine, 'interest'>>,
	format: FormatSettings & { language: string },
	interestField: string,
	invoiceIdField: string,
): InterestPeriodLine[][] {
	const { group, members } = membersOf(item, lines.length, invoiceIdField);
	const digits = minorDigits(format.currency);
	return lines.map((line, k) => {
		const member = members[k];
		const where = group ? ` of invoice ${k + 1} in "invoices"` : '';
		const given = isObject(member) ? readPath(member, interestField) : undefined;
		const periods = checkInterestPeriods(readInterestPeriods(member, where), { interest: line.interest, given, field: interestField, digits, where });
		return periods.map((period) => ({ ...period, daysText: periodDaysText(period.days, format.language) }));
	});
}

/**
 * `finalLevel`: the reminder is the policy's last (see isFinalLevel); the shipped texts say "for
 * the last time" only then. `flatFeeBasis`: the statute the flat fee is cited by (flatFeeBasis,
 * from `merchant.country`), '' where none is cited. `interestPeriods`: how the interest was
 * computed (each invoice's `dunning.interestPeriods`, for a collective reminder all of its
 * invoices' in order; each invoice's own also under `invoices`); [] when the item lists none.
 */
export type TemplateContext = Record<string, unknown> &
	Omit<ReminderValues, 'invoices'> &
	FlatFeeCounts &
	InvoiceLinkFacts &
	Salutation &
	FormatSettings & { language: string; finalLevel: boolean; flatFeeBasis: string; invoices: ContextInvoiceLine[]; interestPeriods: InterestPeriodLine[]; merchant: CompanyDetails };

/**
 * `merchant` (the sender's company details, with `fullName`: the name with its legal form) and `payment` (bank account, reference, GiroCode) are
 * always there, empty when the node has no company details, so that the shipped texts can ask
 * {{#if payment.iban}} in strict mode; they take the place of item fields with those names.
 * `fields`: where an invoice's payment link is (the letter's Payment Link field name), its interest
 * (Field Names › Interest, which its periods must add up to) and its ID (a group has none).
 */
export function buildTemplateContext(
	item: Record<string, unknown>,
	values: ReminderValues,
	format: FormatSettings & { language: string },
	payment: Pick<ReminderPayment, 'merchant' | 'payment'> = noReminderPayment(),
	fields: ContextFields = {},
): TemplateContext {
	const invoiceIdField = fields.invoiceId ?? DEFAULT_FIELD_NAMES.invoiceId;
	const links = invoiceLinks(item, values.invoices.length, fields.paymentLink ?? 'paymentLink', invoiceIdField);
	const periods = invoiceInterestPeriods(item, values.invoices, format, fields.interest ?? DEFAULT_FIELD_NAMES.interest, invoiceIdField);
	const invoices = values.invoices.map((line, k) => ({ ...line, paymentLink: links[k], interestPeriods: periods[k] }));
	return { ...item, merchant: payment.merchant, payment: payment.payment, ...values, invoices, interestPeriods: periods.flat(), ...flatFeeCounts(values.invoices), flatFeeBasis: flatFeeBasis(payment.merchant.country, format.language), ...invoiceLinkFacts(links, values, format.currency), ...salutationOf(item, values.customerName), finalLevel: isFinalLevel(item, values.level), ...format };
}
