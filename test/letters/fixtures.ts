/** Items, details and options shared by the letter tests. */
import { DEFAULT_FIELD_NAMES } from '../../lib/mail/reminder-item';
import { readBusinessDetails } from '../../lib/payment/details';
import { DEFAULT_ADDRESS_FIELDS, type LetterOptions } from '../../lib/letters/letter-model';
import { TemplateEnvironment } from '../../lib/templates/environment';

export const COMPANY = {
	name: 'Muster Handels GmbH',
	street: 'Hauptstraße 1',
	postalCode: '10115',
	city: 'Berlin',
	seat: 'Berlin',
	registerCourt: 'Amtsgericht Berlin-Charlottenburg',
	registerNumber: 'HRB 123456 B',
	managingDirectors: 'Erika Mustermann, Jörg Schäfer',
	vatId: 'DE123456789',
	phone: '+49 30 1234567',
	email: 'buchhaltung@muster.example',
	website: 'www.muster.example',
	accountHolder: 'Muster Handels GmbH',
	iban: 'DE89 3704 0044 0532 0130 00',
	bic: 'COBADEFFXXX',
	bankName: 'Commerzbank',
};

export function letterOptions(overrides: Partial<LetterOptions> = {}, company: Record<string, unknown> = COMPANY): LetterOptions {
	return {
		fields: DEFAULT_FIELD_NAMES,
		address: DEFAULT_ADDRESS_FIELDS,
		details: readBusinessDetails(company),
		env: new TemplateEnvironment(),
		fallbackLanguage: 'de',
		form: 'B',
		date: '2026-03-10',
		defaultCurrency: 'EUR',
		logo: null,
		...overrides,
	};
}

export function invoiceItem(k = 1, extra: Record<string, unknown> = {}): Record<string, unknown> {
	const number = `RE-2026-${String(k).padStart(4, '0')}`;
	return {
		invoiceId: `inv-${k}`,
		invoiceNumber: number,
		customerId: 'K-1001',
		customerName: 'Zofia Łukasiewicz-Çelik',
		street: 'Dvořákova 12',
		postalCode: '10117',
		city: 'Berlin',
		email: 'zofia@example.test',
		language: 'de',
		invoiceDate: '2026-01-15',
		dueDate: '2026-02-14',
		currency: 'EUR',
		openAmount: 100 + k,
		dunning: {
			action: 'paper',
			level: 2,
			stageName: '1. Mahnung / First dunning',
			fee: 5,
			flatFee: 40,
			interest: 1.23,
			interestPeriods: [{ from: '2026-02-15', to: '2026-03-10', days: 24, ratePct: 11.27, amount: 1.23 }],
			totalDue: Math.round((100 + k + 5 + 40 + 1.23) * 100) / 100,
			deadline: '2026-03-24',
			asOf: '2026-03-10',
		},
		...extra,
	};
}

/** A customer group as Compute Dunning Level's "Group by Customer" writes it. */
export function groupItem(count: number): Record<string, unknown> {
	const invoices = Array.from({ length: count }, (_, k) => invoiceItem(k + 1));
	const cents = (key: string) => invoices.reduce((s, i) => s + Math.round(((i.dunning as Record<string, number>)[key] ?? 0) * 100), 0) / 100;
	return {
		customerId: 'K-1001',
		email: 'zofia@example.test',
		language: 'de',
		invoices,
		dunning: {
			action: 'paper',
			level: 2,
			stageName: '1. Mahnung / First dunning',
			count,
			currency: 'EUR',
			openAmount: invoices.reduce((s, i) => s + Math.round((i.openAmount as number) * 100), 0) / 100,
			fee: cents('fee'),
			flatFee: cents('flatFee'),
			interest: cents('interest'),
			totalDue: cents('totalDue'),
			deadline: '2026-03-24',
			asOf: '2026-03-10',
		},
	};
}

/** A group whose every third invoice carries interest (a row with a note, taller), the others none. */
export function mixedGroupItem(count: number): Record<string, unknown> {
	const group = groupItem(count) as { invoices: Array<{ dunning: Record<string, unknown> }>; dunning: Record<string, unknown> };
	for (const [k, invoice] of group.invoices.entries()) {
		if (k % 3 !== 0) Object.assign(invoice.dunning, { interest: 0, interestPeriods: [], totalDue: Math.round(((invoice.dunning.totalDue as number) - 1.23) * 100) / 100 });
	}
	const cents = (key: string) => group.invoices.reduce((s, i) => s + Math.round((i.dunning[key] as number) * 100), 0) / 100;
	Object.assign(group.dunning, { interest: cents('interest'), totalDue: cents('totalDue') });
	return group;
}
