/**
 * The values a reminder template sees. Every item field is available by its name (so operators
 * can use their own columns), and the reminder fields below are always present with these names,
 * whatever the item calls them.
 */
import { noReminderPayment, type ReminderPayment } from '../payment/reminder-payment';
import type { FormatSettings } from './environment';
import { isFinalLevel } from './final-level';

/** One invoice a reminder covers, as the templates list it under `invoices`. */
export interface InvoiceLine {
	invoiceId: string;
	invoiceNumber: string;
	invoiceDate: string | null;
	dueDate: string;
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
	openAmount: number;
	fee: number;
	/** Flat compensation for late payment between businesses (§ 288 (5) BGB, 40 EUR). */
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
export function flatFeeCounts(invoices: readonly InvoiceLine[]): FlatFeeCounts {
	const fees = invoices.map((line) => line.flatFee).filter((fee) => fee !== 0);
	const each = fees.length > 0 && fees.every((fee) => fee === fees[0]) ? fees[0] : null;
	return { flatFeeCount: fees.length, flatFeeEach: each, severalFlatFees: fees.length > 1 };
}

/**
 * `finalLevel`: the reminder is the policy's last (see isFinalLevel); the shipped texts say "for
 * the last time" only then.
 */
export type TemplateContext = Record<string, unknown> & ReminderValues & FlatFeeCounts & FormatSettings & { language: string; finalLevel: boolean };

/**
 * `merchant` (the sender's company details) and `payment` (bank account, reference, GiroCode) are
 * always there, empty when the node has no company details, so that the shipped texts can ask
 * {{#if payment.iban}} in strict mode; they take the place of item fields with those names.
 */
export function buildTemplateContext(
	item: Record<string, unknown>,
	values: ReminderValues,
	format: FormatSettings & { language: string },
	payment: Pick<ReminderPayment, 'merchant' | 'payment'> = noReminderPayment(),
): TemplateContext {
	return { ...item, merchant: payment.merchant, payment: payment.payment, ...values, ...flatFeeCounts(values.invoices), finalLevel: isFinalLevel(item, values.level), ...format };
}
