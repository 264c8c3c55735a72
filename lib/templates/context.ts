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
 * `finalLevel`: the reminder is the policy's last (see isFinalLevel); the shipped texts say "for
 * the last time" only then.
 */
export type TemplateContext = Record<string, unknown> & ReminderValues & FormatSettings & { language: string; finalLevel: boolean };

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
	return { ...item, merchant: payment.merchant, payment: payment.payment, ...values, finalLevel: isFinalLevel(item, values.level), ...format };
}
