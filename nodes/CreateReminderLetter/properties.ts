/** The Create Reminder Letter panel: the customer address and invoice field names. */
import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_ADDRESS_FIELDS } from '../../lib/letters/letter-model';
import { fieldNameOptions, fieldNamesCollection, type FieldNameEntry } from '../shared/field-names';
import { LETTER_FIELD_KEYS, reminderFieldEntries, reminderFieldNamesCollection } from '../shared/reminder-field-names';

const ADDRESS_FIELDS: FieldNameEntry[] = (
	[
		['name', 'Customer Name', 'First address line: the customer’s or company’s name'],
		['addition', 'Address Addition', 'Optional second line: contact person, department or c/o'],
		['street', 'Street', 'Street and house number (or PO box)'],
		['postalCode', 'Postal Code', 'Postal code; printed before the city'],
		['city', 'City', 'City'],
		['country', 'Country', 'Country; printed in capitals as the last line when it differs from yours'],
		['customerId', 'Customer ID', 'Customer number for the information block and the {customerId} placeholder'],
		['paymentLink', 'Payment Link', 'Optional link per invoice to pay online (e.g. from PayPal or Stripe), printed in the payment block'],
	] as const
).map(([key, label, description]) => ({ name: `${key}Field`, label, description, default: DEFAULT_ADDRESS_FIELDS[key] }));

export const addressFieldsCollection: INodeProperties = fieldNamesCollection(
	{
		displayName: 'Customer Address Fields',
		name: 'addressFields',
		description:
			'Where the customer’s postal address is in your items, if your names differ. Use dots for nested fields, e.g. address.street. For a collective reminder the first invoice’s fields are used.',
	},
	ADDRESS_FIELDS,
);

/** The collection's options (Street Field, …): the node names each as the panel shows it. */
export const addressFieldOptions: INodeProperties[] = fieldNameOptions(ADDRESS_FIELDS);

/**
 * Where the invoice and dunning values are, as in Send Reminder Email (the same options), without
 * the e-mail fields; the greeting's name is Customer Address Fields' Customer Name Field.
 */
export const letterFieldNamesCollection: INodeProperties = reminderFieldNamesCollection(
	{
		description:
			'Where the invoice’s values are in your items, if your names differ (as in Send Reminder Email). Use dots for nested fields, e.g. dunning.level. For a collective reminder they name the fields of each invoice in "invoices".',
	},
	LETTER_FIELD_KEYS,
);

/** The collection's options (Due Date Field, …): the node names each as the panel shows it. */
export const letterFieldOptions: INodeProperties[] = fieldNameOptions(reminderFieldEntries(LETTER_FIELD_KEYS));
