/** The Create Reminder Letter panel: the customer address field names. */
import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_ADDRESS_FIELDS } from '../../lib/letters/letter-model';

export const addressFieldOptions: INodeProperties[] = (
	[
		['name', 'Customer Name Field', 'First address line: the customer’s or company’s name'],
		['addition', 'Address Addition Field', 'Optional second line: contact person, department or c/o'],
		['street', 'Street Field', 'Street and house number (or PO box)'],
		['postalCode', 'Postal Code Field', 'Postal code; printed before the city'],
		['city', 'City Field', 'City'],
		['country', 'Country Field', 'Country; printed in capitals as the last line when it differs from yours'],
		['customerId', 'Customer ID Field', 'Customer number for the information block and the {customerId} placeholder'],
		['paymentLink', 'Payment Link Field', 'Optional link per invoice to pay online (e.g. from PayPal or Stripe), printed in the payment block'],
	] as const
).map(([key, displayName, description]) => ({
	displayName,
	name: `${key}Field`,
	type: 'string' as const,
	default: DEFAULT_ADDRESS_FIELDS[key],
	description: `${description}. A field name of the input item; dots reach into objects, e.g. address.street.`,
}));
