/** The fixed words of a letter (table heads, footer captions), per language; English for the rest. */
import { periodDaysText } from '../templates/interest-periods';

export interface LetterLabels {
	filePrefix: string;
	date: string;
	customerNumber: string;
	invoice: string;
	invoices: string;
	phone: string;
	email: string;
	web: string;
	table: { invoice: string; dueDate: string; open: string; fee: string; flatFee: string; interest: string; total: string };
	invoiceDate: string;
	/**
	 * A row's note when the open amount is below the invoice total: the total and what was deducted
	 * from it, so "Offen" is not read as the whole invoice. The deduction is payments and credits
	 * (credit notes, Skonto, write-offs), so it is never called "paid".
	 */
	partPaid: (p: { invoiceAmount: string; paidAmount: string }) => string;
	/** One interest period; its days in words as the e-mail's `daysText` (periodDaysText): "1 Tag", "18 Tage". */
	interestPeriod: (p: { rate: string; from: string; to: string; days: number; amount: string }) => string;
	/**
	 * `flatFee`: the flat fees for late payment, owed once per invoice: `count` invoices carry one,
	 * `each` is its amount when they all carry the same (else null). A collective letter's sum of
	 * three must not read as one 120 € claim under a 40 € rule. `basis`: the statute cited, by the
	 * merchant's country (the template context's flatFeeBasis), '' for none.
	 */
	totals: { open: string; fee: string; flatFee: (fees: { count: number; each: string | null; basis: string }) => string; interest: string; total: string };
	paymentHeading: string;
	accountHolder: string;
	bank: string;
	reference: string;
	amount: string;
	payBy: string;
	payOnline: string;
	giroCode: string;
	seat: string;
	registerCourt: string;
	directors: string;
	vatId: string;
	page: (n: number, total: number) => string;
	continued: string;
}

/** " (a, b)" of the parts that are not empty; nothing when both are. */
function inParentheses(...parts: string[]): string {
	const given = parts.filter((part) => part !== '');
	return given.length > 0 ? ` (${given.join(', ')})` : '';
}

const de: LetterLabels = {
	filePrefix: 'Mahnung',
	date: 'Datum',
	customerNumber: 'Kundennummer',
	invoice: 'Rechnung',
	invoices: 'Rechnungen',
	phone: 'Telefon',
	email: 'E-Mail',
	web: 'Web',
	table: { invoice: 'Rechnung', dueDate: 'Fällig am', open: 'Offen', fee: 'Gebühr', flatFee: 'Pauschale', interest: 'Zinsen', total: 'Summe' },
	invoiceDate: 'Rechnungsdatum',
	partPaid: (p) => `Rechnungsbetrag ${p.invoiceAmount}, abzüglich Zahlungen und Gutschriften ${p.paidAmount}`,
	interestPeriod: (p) => `Verzugszinsen ${p.rate} % p. a. vom ${p.from} bis ${p.to} (${periodDaysText(p.days, 'de')}): ${p.amount}`,
	totals: {
		open: 'Offene Rechnungsbeträge',
		fee: 'Mahngebühren',
		flatFee: ({ count, each, basis }) => (count <= 1 ? 'Verzugspauschale' : 'Verzugspauschalen') + inParentheses(basis, count <= 1 ? '' : each ? `${count} × ${each}` : `${count} Rechnungen`),
		interest: 'Verzugszinsen',
		total: 'Zu zahlender Gesamtbetrag',
	},
	paymentHeading: 'Zahlungsinformationen',
	accountHolder: 'Empfänger',
	bank: 'Bank',
	reference: 'Verwendungszweck',
	amount: 'Betrag',
	payBy: 'Zahlbar bis',
	payOnline: 'Online bezahlen',
	giroCode: 'GiroCode: mit der Banking-App scannen',
	seat: 'Sitz',
	registerCourt: 'Registergericht',
	directors: 'Geschäftsführung',
	vatId: 'USt-IdNr.',
	page: (n, total) => `Seite ${n} von ${total}`,
	continued: 'Fortsetzung',
};

const en: LetterLabels = {
	filePrefix: 'Reminder',
	date: 'Date',
	customerNumber: 'Customer no.',
	invoice: 'Invoice',
	invoices: 'Invoices',
	phone: 'Phone',
	email: 'Email',
	web: 'Web',
	table: { invoice: 'Invoice', dueDate: 'Due on', open: 'Open', fee: 'Fee', flatFee: 'Flat fee', interest: 'Interest', total: 'Total' },
	invoiceDate: 'Invoice date',
	partPaid: (p) => `Invoice amount ${p.invoiceAmount}, less payments and credits ${p.paidAmount}`,
	interestPeriod: (p) => `Late payment interest ${p.rate} % p.a. from ${p.from} to ${p.to} (${periodDaysText(p.days, 'en')}): ${p.amount}`,
	totals: {
		open: 'Open invoice amounts',
		fee: 'Reminder fees',
		flatFee: ({ count, each, basis }) => 'Flat-rate compensation' + inParentheses(basis, count <= 1 ? '' : each ? `${count} × ${each}` : `${count} invoices`),
		interest: 'Late payment interest',
		total: 'Total due',
	},
	paymentHeading: 'How to pay',
	accountHolder: 'Payee',
	bank: 'Bank',
	reference: 'Reference',
	amount: 'Amount',
	payBy: 'Pay by',
	payOnline: 'Pay online',
	giroCode: 'GiroCode: scan with your banking app',
	seat: 'Registered office',
	registerCourt: 'Register court',
	directors: 'Managing directors',
	vatId: 'VAT ID',
	page: (n, total) => `Page ${n} of ${total}`,
	continued: 'continued',
};

/**
 * The German footer captions an Austrian or Swiss business letter uses for the same details: the
 * VAT number is the "UID-Nr." (AT) or "MWST-Nr." (CH), the register the Firmenbuch (AT) or the
 * Handelsregister (CH). Keyed by countryKey; Germany and every other country keep the German ones.
 */
const GERMAN_BY_SENDER_COUNTRY: Readonly<Record<string, Partial<LetterLabels>>> = {
	AT: { vatId: 'UID-Nr.', registerCourt: 'Firmenbuchgericht' },
	CH: { vatId: 'MWST-Nr.', registerCourt: 'Handelsregister' },
};

/** `senderCountry`: the merchant's country as countryKey gives it ("DE" when the company has none). */
export function letterLabels(language: string, senderCountry = 'DE'): LetterLabels {
	if (language.split('-')[0] !== 'de') return en;
	const own = Object.hasOwn(GERMAN_BY_SENDER_COUNTRY, senderCountry) ? GERMAN_BY_SENDER_COUNTRY[senderCountry] : undefined;
	return own ? { ...de, ...own } : de;
}
