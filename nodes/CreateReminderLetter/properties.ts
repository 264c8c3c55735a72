/** The Create Reminder Letter panel: what the operator sets, in the order they need it. */
import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_ADDRESS_FIELDS } from '../../lib/letters/letter-model';

const companyFields = { show: { companySource: ['fields'] } };

/** The company and payment details: entered once, here or as one JSON object (e.g. from a Set node). */
export const companyProperties: INodeProperties[] = [
	{
		displayName: 'Company Details Source',
		name: 'companySource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Enter Here', value: 'fields', description: 'Type the company and bank details into this panel' },
			{
				name: 'JSON Object',
				value: 'json',
				description: 'One object with the details, e.g. from a "Company Details" Set node at the start of the workflow',
			},
		],
		default: 'fields',
		description: 'Where the sender’s name, address, legal details and bank account come from. They are printed on every letter.',
	},
	{
		displayName: 'Company Details (JSON)',
		name: 'companyJson',
		type: 'json',
		default: '{\n  "name": "",\n  "street": "",\n  "postalCode": "",\n  "city": "",\n  "iban": ""\n}',
		hint: 'Usually an expression such as {{ $(\'Company Details\').first().json }}. Fields: name, street, postalCode, city, country, legalForm, seat, registerCourt, registerNumber, managingDirectors, vatId, phone, email, website, accountHolder, iban, bic, bankName, paymentReference.',
		description: 'The company and payment details as one object',
		displayOptions: { show: { companySource: ['json'] } },
	},
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Muster Handels GmbH',
		description: 'The sender as it appears in the letterhead, the return address line and the footer',
		displayOptions: companyFields,
	},
	{
		displayName: 'Street and Number',
		name: 'companyStreet',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Hauptstraße 1',
		displayOptions: companyFields,
	},
	{
		displayName: 'Postal Code',
		name: 'companyPostalCode',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 10115',
		displayOptions: companyFields,
	},
	{
		displayName: 'City',
		name: 'companyCity',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Berlin',
		displayOptions: companyFields,
	},
	{
		displayName: 'Legal and Contact Details',
		name: 'companyLegal',
		type: 'collection',
		placeholder: 'Add Detail',
		default: {},
		description: 'Printed in the footer. German business letters of a GmbH, AG or registered merchant must name legal form, seat, register court and number, and the managing directors.',
		displayOptions: companyFields,
		options: [
			{ displayName: 'Country', name: 'country', type: 'string', default: '', description: 'Your country; customers in another country get theirs printed as the last address line' },
			{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'e.g. name@email.com' },
			{ displayName: 'Legal Form', name: 'legalForm', type: 'string', default: '', placeholder: 'e.g. GmbH', description: 'Added after the name in the footer when the name does not end with it' },
			{ displayName: 'Managing Directors', name: 'managingDirectors', type: 'string', default: '', placeholder: 'e.g. Erika Mustermann' },
			{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
			{ displayName: 'Register Court', name: 'registerCourt', type: 'string', default: '', placeholder: 'e.g. Amtsgericht Berlin-Charlottenburg' },
			{ displayName: 'Register Number', name: 'registerNumber', type: 'string', default: '', placeholder: 'e.g. HRB 123456 B' },
			{ displayName: 'Registered Seat', name: 'seat', type: 'string', default: '', placeholder: 'e.g. Berlin' },
			{ displayName: 'VAT ID', name: 'vatId', type: 'string', default: '', placeholder: 'e.g. DE123456789' },
			{ displayName: 'Website', name: 'website', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Payment Details',
		name: 'companyPayment',
		type: 'collection',
		placeholder: 'Add Payment Detail',
		default: {},
		description: 'The bank account customers pay to. With an IBAN, every euro letter gets a payment block and a GiroCode (EPC QR code) for banking apps.',
		displayOptions: companyFields,
		options: [
			{ displayName: 'Account Holder', name: 'accountHolder', type: 'string', default: '', description: 'Name on the account; the company name when empty' },
			{ displayName: 'Bank Name', name: 'bankName', type: 'string', default: '' },
			{ displayName: 'BIC', name: 'bic', type: 'string', default: '', placeholder: 'e.g. COBADEFFXXX', description: 'Optional for SEPA transfers; checked for the right shape' },
			{ displayName: 'IBAN', name: 'iban', type: 'string', default: '', placeholder: 'e.g. DE89 3704 0044 0532 0130 00', description: 'Checked with its check digits: a mistyped IBAN stops the run instead of sending money nowhere' },
			{
				displayName: 'Payment Reference',
				name: 'paymentReference',
				type: 'string',
				default: '{invoiceNumber}',
				description: 'What customers write in the transfer, so your bookkeeping can match it. Placeholders: {invoiceNumber}, {invoiceId}, {customerId}, {level}. A collective letter lists all invoice numbers.',
			},
		],
	},
];

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
