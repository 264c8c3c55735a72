/**
 * The company and payment details, entered once: in the node panel or as one JSON object (e.g. from
 * a "Company Details" Set node at the start of a workflow). Shared by Create Reminder Letter and
 * Send Reminder Email, so both print the same sender, footer and bank account.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DetailsError, readBusinessDetails, type BusinessDetails } from '../../lib/payment/details';

/**
 * The panel fields. With `optional`, a third choice "None" (the default) leaves them out, for a
 * node that worked without them before.
 */
export function companyProperties(optional = false, extraShow: Record<string, string[]> = {}): INodeProperties[] {
	const companyFields = { show: { ...extraShow, companySource: ['fields'] } };
	const properties: INodeProperties[] = [
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
		description: 'Where the sender’s name, address, legal details and bank account come from: the letterhead, footer and payment block of a letter, or the footer and payment block of an email',
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
		description:
			'Shown in the footer: all of them in a letter; in an email the register, seat, managing directors and VAT ID. German business letters of a GmbH, AG or registered merchant must name legal form, seat, register court and number, and the managing directors.',
		displayOptions: companyFields,
		options: [
			{ displayName: 'Country', name: 'country', type: 'string', default: '', description: 'Your country; customers in another country get theirs printed as the last address line' },
			{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'e.g. name@email.com' },
			{ displayName: 'Legal Form', name: 'legalForm', type: 'string', default: '', placeholder: 'e.g. GmbH', description: 'Added after the name (unless it already ends with it) in the email and letter footers, the return address and, without an Account Holder, the payee name the bank checks' },
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
		description: 'The bank account customers pay to. With an IBAN, every reminder, email or letter, gets a payment block; one in euros also gets a GiroCode (EPC QR code) for banking apps.',
		displayOptions: companyFields,
		options: [
			{ displayName: 'Account Holder', name: 'accountHolder', type: 'string', default: '', description: 'Name on the account as your bank writes it, at most 70 characters. When empty: the company name with its legal form, as in the footer. Banks check it against the account (Verification of Payee), so a different name warns the payer.' },
			{ displayName: 'Bank Name', name: 'bankName', type: 'string', default: '' },
			{ displayName: 'BIC', name: 'bic', type: 'string', default: '', placeholder: 'e.g. COBADEFFXXX', description: 'Optional for an account in the EEA; needed for a GiroCode to an account outside it (Switzerland, UK, Monaco, San Marino). Checked for the right shape.' },
			{ displayName: 'IBAN', name: 'iban', type: 'string', default: '', placeholder: 'e.g. DE89 3704 0044 0532 0130 00', description: 'Checked with its check digits: no reminder is sent or printed with a mistyped IBAN. Send Reminder Email fails each item with it, naming the IBAN, and the run goes on; Create Reminder Letter stops the run when it is wrong for every item (with On Error set to Continue, each item fails). A Swiss or Liechtenstein QR-IBAN (QR-bill payments only) is refused: enter the account\'s normal IBAN.' },
			{
				displayName: 'Payment Reference',
				name: 'paymentReference',
				type: 'string',
				default: '{invoiceNumber}',
				description:
					'What customers write in the transfer, so your bookkeeping can match it. Placeholders in single braces: {invoiceNumber}, {invoiceId}, {customerId}, {level}, e.g. "Rechnung {invoiceNumber}". In a collective reminder {invoiceNumber} lists all its invoice numbers.',
				hint: 'Single braces only: {{ }} would make the field an n8n expression',
			},
		],
	},
];
	const source = properties[0];
	if (optional) {
		source.options = [{ name: 'None', value: 'none', description: 'No company details: no payment block and no footer' }, ...(source.options ?? [])];
		source.default = 'none';
		const json = properties.find((p) => p.name === 'companyJson');
		if (json) json.hint += ' Null for an item sends it without company details, as None does; an expression that finds nothing does the same and says so in delivery.warning.';
	}
	for (const p of properties) {
		if (p.name === 'companyJson') p.displayOptions = { show: { ...extraShow, companySource: ['json'] } };
		else if (p.name === 'companySource' && Object.keys(extraShow).length) p.displayOptions = { show: extraShow };
	}
	return properties;
}

/** A problem with the details, naming the field to fix. */
export interface DetailsProblem {
	field: string;
	message: string;
}

/**
 * The details for item i, checked once per distinct value (they rarely differ between items);
 * null when the source is "None".
 */
export function readCompanyDetails(ctx: IExecuteFunctions, i: number, cache: Map<string, BusinessDetails>): BusinessDetails | null | DetailsProblem {
	const source = ctx.getNodeParameter('companySource', i, 'none');
	if (source === 'none') return null;
	let raw: unknown;
	if (source === 'json') {
		raw = ctx.getNodeParameter('companyJson', i, {});
		if (typeof raw === 'string') {
			try {
				raw = JSON.parse(raw);
			} catch (error) {
				return { field: 'companyJson', message: `Company Details (JSON) is not valid JSON: ${(error as Error).message}` };
			}
		}
	} else {
		raw = {
			name: ctx.getNodeParameter('companyName', i, ''),
			street: ctx.getNodeParameter('companyStreet', i, ''),
			postalCode: ctx.getNodeParameter('companyPostalCode', i, ''),
			city: ctx.getNodeParameter('companyCity', i, ''),
			...(ctx.getNodeParameter('companyLegal', i, {}) as IDataObject),
			...(ctx.getNodeParameter('companyPayment', i, {}) as IDataObject),
		};
	}
	const key = JSON.stringify(raw);
	let details = cache.get(key);
	if (!details) {
		try {
			details = readBusinessDetails(raw);
		} catch (error) {
			if (error instanceof DetailsError) return { field: error.field, message: error.message };
			return { field: 'companyDetails', message: (error as Error).message };
		}
		cache.set(key, details);
	}
	return details;
}

export const isDetailsProblem = (value: unknown): value is DetailsProblem =>
	typeof value === 'object' && value !== null && 'field' in value && 'message' in value && !('company' in value);
