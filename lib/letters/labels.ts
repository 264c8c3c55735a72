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
	 * `flatFee`: the § 288 (5) BGB flat fees, owed once per invoice: `count` invoices carry one,
	 * `each` is its amount when they all carry the same (else null). A collective letter's sum of
	 * three must not read as one 120 € claim under a 40 € rule.
	 */
	totals: { open: string; fee: string; flatFee: (fees: { count: number; each: string | null }) => string; interest: string; total: string };
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
		flatFee: ({ count, each }) =>
			count <= 1 ? 'Verzugspauschale (§ 288 Abs. 5 BGB)' : `Verzugspauschalen (§ 288 Abs. 5 BGB, ${each ? `${count} × ${each}` : `${count} Rechnungen`})`,
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
		flatFee: ({ count, each }) =>
			count <= 1 ? 'Flat-rate compensation (§ 288 (5) BGB)' : `Flat-rate compensation (§ 288 (5) BGB, ${each ? `${count} × ${each}` : `${count} invoices`})`,
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

export function letterLabels(language: string): LetterLabels {
	return language.split('-')[0] === 'de' ? de : en;
}
