/**
 * The reminder's "Field Names" (where invoice number, due date, amounts and the dunning values are
 * in the operator's items), shared by Send Reminder Email and Create Reminder Letter so that a
 * renamed field is renamed for both alike: same labels, descriptions and defaults.
 */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_FIELD_NAMES, type ReminderFieldNames } from '../../lib/mail/reminder-item';
import { fieldNamesCollection, type FieldNameEntry } from './field-names';

/** Each field: its key, what it holds (the label without "Field") and a sentence on it. */
export const REMINDER_FIELD_LABELS: ReadonlyArray<readonly [keyof ReminderFieldNames, string, string]> = [
	['email', 'Email', 'Recipient address: e.g. anna@example.com, or "Anna Schmidt <anna@example.com>", or up to 10 addresses separated by commas or semicolons (all in To)'],
	['emailBlocked', 'Email Blocked', 'Flag set by bounce handling; true sends the item to paper'],
	['language', 'Language', 'Correspondence language, e.g. de or en'],
	['invoiceId', 'Invoice ID', 'Unique invoice key; with the level it keeps a reminder from being sent twice'],
	['invoiceNumber', 'Invoice Number', 'Invoice number shown to the customer (defaults to the invoice ID)'],
	['invoiceDate', 'Invoice Date', 'Invoice date (optional)'],
	['dueDate', 'Due Date', 'Original due date'],
	['currency', 'Currency', 'Three-letter currency code. When empty: the currency Compute Dunning Level computed in (dunning.currency), else the Default Currency option; a currency here that differs from dunning.currency fails the item'],
	['openAmount', 'Open Amount', 'Amount still open'],
	['amount', 'Invoice Amount', 'Invoice total as invoiced, gross (optional). When it is above the open amount, the reminder shows it and what was paid or credited'],
	['customerName', 'Customer Name', 'Name for the greeting (optional)'],
	['level', 'Level', 'Dunning level: 1 = payment reminder, 2 = 1st dunning notice, 3 = 2nd dunning notice'],
	['stageName', 'Stage Name', 'Name of the dunning stage (optional)'],
	['daysOverdue', 'Days Overdue', 'Days past the due date (optional)'],
	['fee', 'Fee', 'Dunning fee (optional)'],
	['flatFee', 'Flat Fee', 'Flat compensation between businesses, § 288 (5) BGB (optional)'],
	['interest', 'Interest', 'Late payment interest (optional)'],
	['totalDue', 'Total Due', 'Total to pay (computed from the amounts when empty)'],
	['deadline', 'Deadline', 'New payment deadline stated in the reminder'],
];

/**
 * A letter goes on paper whatever the address, and its greeting takes the name from Customer
 * Address Fields' Customer Name Field (one setting, not two of one label).
 */
export const LETTER_FIELD_KEYS: ReadonlyArray<keyof ReminderFieldNames> = REMINDER_FIELD_LABELS.map(([key]) => key).filter(
	(key) => key !== 'email' && key !== 'emailBlocked' && key !== 'customerName',
);

/** The entries of `keys` (default: all), in the shape the Field Names collections take. */
export function reminderFieldEntries(keys: ReadonlyArray<keyof ReminderFieldNames> = REMINDER_FIELD_LABELS.map(([key]) => key)): FieldNameEntry[] {
	return REMINDER_FIELD_LABELS.filter(([key]) => keys.includes(key)).map(([key, label, description]) => ({ name: key, label, description, default: DEFAULT_FIELD_NAMES[key] }));
}

/** The "Field Names" collection (parameter fieldNames) of `keys`, as Send Reminder Email shows it. */
export function reminderFieldNamesCollection(
	collection: Pick<INodeProperties, 'description' | 'displayOptions'>,
	keys?: ReadonlyArray<keyof ReminderFieldNames>,
): INodeProperties {
	return fieldNamesCollection({ displayName: 'Field Names', name: 'fieldNames', ...collection }, reminderFieldEntries(keys));
}
