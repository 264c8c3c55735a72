/**
 * What one reminder letter says, decided before anything is drawn: recipient, information block,
 * texts, invoice table, totals, payment block with the GiroCode payload, footer. Reads the same
 * item shapes as Send Reminder Email (one invoice, or a customer group from Compute Dunning Level).
 */
import { dayAt, isKnownZone } from '../dunning/calendar-day';
import { formatDay, plainDay } from '../dunning/day-number';
import { isBlank, paymentLinkProblem, readPath, readReminderValues, ReminderInputError, restatedDeadline, webLink, type ReminderFieldNames } from '../mail/reminder-item';
import type { BusinessDetails, CompanyDetails } from '../payment/details';
import { EpcPayloadError, visible, type EpcTransfer } from '../payment/epc-qr';
import { formatIban } from '../payment/iban';
import { payableFromContext, payableProblem } from '../payment/payable';
import { PaymentReferenceError, type ReferencePlaceholder } from '../payment/reference';
import { reminderPayment } from '../payment/reminder-payment';
import { buildTemplateContext, flatFeeCounts } from '../templates/context';
import { DEFAULT_DAYS_IN_POST, passedDeadline } from '../dunning/deadline-check';
import type { TemplateEnvironment } from '../templates/environment';
import { TemplateError } from '../templates/environment';
import { formatDate, formatMoney, formatPercent } from '../templates/helpers';
import { INTEREST_PERIODS, isCalendarDate } from '../templates/interest-periods';
import { countryKey, countryLine, localityLines, postalCodeAbroad } from './country';
import { printProblem } from './fonts';
import { withoutPictographs } from './pictographs';
import { readerLocale } from '../templates/reader-locale';
import type { LetterForm } from './din5008';
import { letterLabels, type LetterLabels } from './labels';
import { LETTER_TEXT_KINDS, renderLetterTexts, resolveLetterTexts, type LetterTextKind, type LetterTextLookup, type LetterTexts, type ResolvedLetterTexts } from './texts';

export interface AddressFieldNames {
	name: string;
	/** A second line: contact person, department, "c/o". */
	addition: string;
	street: string;
	postalCode: string;
	city: string;
	country: string;
	customerId: string;
	paymentLink: string;
}

export const DEFAULT_ADDRESS_FIELDS: AddressFieldNames = {
	name: 'customerName',
	addition: 'addressAddition',
	street: 'street',
	postalCode: 'postalCode',
	city: 'city',
	country: 'country',
	customerId: 'customerId',
	paymentLink: 'paymentLink',
};

/** Bad input for one letter; `field` names what to fix (an item field or a company detail). */
export class LetterInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'LetterInputError';
	}
}

/**
 * Company details no letter can be printed with (a name too long for the letterhead, characters the
 * font lacks): the same for every letter of the run, so the node treats it as a setting to fix,
 * not as one reminder's bad data. `field` names the detail.
 */
export class LetterDetailsError extends LetterInputError {}

/** A payment link as the e-mail takes it (http(s), or "www.…" with https:// in front); empty stays empty. */
function letterLink(text: string, field: string, where: string): string {
	if (text.trim() === '') return '';
	const link = webLink(text);
	if (link === null) throw new LetterInputError(field, paymentLinkProblem(field, text, where));
	return link;
}

/** The invoice table's columns, in the order of TableRow.cells. */
export const TABLE_COLUMNS = ['invoice', 'dueDate', 'open', 'fee', 'flatFee', 'interest', 'total'] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

export interface TableRow {
	cells: [invoice: string, dueDate: string, open: string, fee: string, flatFee: string, interest: string, total: string];
	/** Smaller lines under the row: the invoice date, interest periods, a payment link. */
	notes: string[];
}

export interface PaymentBlock {
	lines: Array<[label: string, value: string]>;
	link: string | null;
	/** The GiroCode's content; null unless the reminder is in euro and an IBAN is set. */
	epcPayload: string | null;
	giroCodeCaption: string;
}

export interface LetterModel {
	language: string;
	locale: string;
	form: LetterForm;
	labels: LetterLabels;
	fileName: string;
	/** The letter's date, YYYY-MM-DD, as printed (a print batch is named by its first letter's). */
	date: string;
	company: CompanyDetails;
	returnAddress: string;
	recipient: string[];
	info: Array<[label: string, value: string]>;
	subject: string;
	intro: string;
	closing: string;
	rows: TableRow[];
	/** The table's columns that print: fee, flat fee and interest only where an invoice of the letter carries one, the total only with one of them. */
	columns: TableColumn[];
	totals: Array<{ label: string; value: string; strong: boolean }>;
	payment: PaymentBlock | null;
	footer: string[][];
	logo: Buffer | null;
	/** The item fields a layout error names: what to shorten when a block does not fit a page. */
	fieldNames: { invoiceNumber: string; customerId: string; paymentLink: string; interestPeriods: string; group: boolean };
	/**
	 * For the output item: what was printed. `warnings` (only when there is one) says what was
	 * printed otherwise than the item gave it, e.g. a name without its emoji.
	 */
	summary: {
		invoiceIds: string[];
		level: number;
		totalDue: number;
		currency: string;
		paymentReference: string | null;
		girocode: boolean;
		/** The payment deadline the letter states (YYYY-MM-DD): the decided one, or later for a letter that reaches the customer later (see LetterOptions.daysInPost). */
		statedDeadline: string;
		warnings?: string[];
	};
}

export interface LetterOptions {
	fields: ReminderFieldNames;
	address: AddressFieldNames;
	details: BusinessDetails;
	env: TemplateEnvironment;
	fallbackLanguage: string;
	form: LetterForm;
	/** The letter's date, YYYY-MM-DD; the item's dunning.asOf when not set. */
	date?: string;
	/**
	 * Days from the letter date to the day it likely reaches the customer (Days in the Post): an item
	 * with `dunning.paymentPeriodDays` gets its payment period counted from that day when it ends
	 * later than the decided deadline (statedDeadline). DEFAULT_DAYS_IN_POST when not set, as in
	 * Create Reminder Letter and as decide() counts for a letter whose stated deadline is not on
	 * file; an item without those fields prints its deadline as given.
	 */
	daysInPost?: number;
	/**
	 * The deadline the letter states, restated by the caller already (Send Reminder Email: the one
	 * its e-mail states, so that the attached letter agrees with it); `daysInPost` is then not used.
	 */
	statedDeadline?: string;
	defaultCurrency: string;
	logo: Buffer | null;
	customTexts?: LetterTextLookup;
	/**
	 * The workflow's zone: a timestamp's day and today's date are read in it for an item without
	 * `dunning.timezone` (see readingTimezone); none: as written, today in UTC.
	 */
	timezone?: string;
	/** The clock, for a letter dated today (no date, no dunning.asOf); the real one when not set. */
	now?: Date;
	/**
	 * Formats amounts and dates for this locale (already checked, e.g. by localeOption) instead of
	 * the reader's (readerLocale): Send Reminder Email's Locale option, so that the letter it
	 * attaches writes them as its e-mail does.
	 */
	locale?: string;
}

/**
 * Today's date (YYYY-MM-DD) in `timezone`: a letter written in Berlin at 00:30 is dated that day,
 * not the day before as in UTC. Without a zone (or with one luxon does not know), UTC: a letter is
 * dated rather than failed, where a send-by check (dayAt) stops on an unknown zone.
 */
export function letterToday(timezone?: string, now: Date = new Date()): string {
	return dayAt(now.getTime(), timezone && isKnownZone(timezone) ? timezone : undefined);
}

/**
 * Warnings of one letter, by the field they are about (the address name and the salutation's name
 * are often one field, said once).
 */
type LetterWarnings = Map<string, string>;

type Printable = ReturnType<typeof withoutPictographs>;

/**
 * `text` of `field` without its emoji (see withoutPictographs), noting in `warnings` what was left
 * out. Paper is the fallback after a bounce: an emoji in a name must not cost that customer the
 * reminder, and a window address needs no emoji.
 */
function printableName(text: string, field: string, what: string, warnings: LetterWarnings): Printable {
	const cleaned = withoutPictographs(text);
	if (cleaned.removed.length > 0 && !warnings.has(field)) {
		const prints = cleaned.text === '' ? 'it prints nothing there' : `it prints "${cleaned.text}"`;
		warnings.set(field, `The field "${field}" (${what}) has emoji or pictographs (${cleaned.removed.join(' ')}) the letter leaves out: ${prints}`);
	}
	return cleaned;
}

/**
 * A text field of the item, or of the first invoice of a group (Compute Dunning Level keeps the
 * customer's fields there). With `warnings` (name and address fields) emoji are left out and noted
 * there; without, they fail the letter as any character the font lacks.
 */
function customerField(json: Record<string, unknown>, path: string, required: boolean, what: string, warnings?: LetterWarnings): string {
	let value = readPath(json, path);
	const invoices = json.invoices;
	if (isBlank(value) && Array.isArray(invoices) && invoices[0] && typeof invoices[0] === 'object') {
		value = readPath(invoices[0] as Record<string, unknown>, path);
	}
	if (isBlank(value)) {
		if (required) throw new LetterInputError(path, `The field "${path}" (${what}) is missing or empty: a letter needs the customer’s postal address`);
		return '';
	}
	if (typeof value !== 'string' && typeof value !== 'number') throw new LetterInputError(path, `The field "${path}" (${what}) must be text, got ${typeof value}`);
	let text = String(value).replace(/\s+/g, ' ').trim();
	if (warnings) {
		const printable = printableName(text, path, what, warnings);
		text = printable.text;
		if (text === '') {
			if (required) throw new LetterInputError(path, `The field "${path}" (${what}) has only emoji or pictographs (${printable.removed.join(' ')}): a letter needs the customer’s postal address`);
			return '';
		}
	}
	// In the address window empty boxes or reversed letters would make the letter undeliverable.
	const problem = printProblem(text, 'write the postal address in Latin letters for a letter');
	if (problem) throw new LetterInputError(path, `The field "${path}" (${what}) ${problem}`);
	return text;
}

/** The recipient's lines, and whether the letter goes abroad (it then names the sender's country too). */
function recipientLines(json: Record<string, unknown>, f: AddressFieldNames, company: CompanyDetails, warnings: LetterWarnings): { lines: string[]; abroad: boolean } {
	const country = customerField(json, f.country, false, 'country', warnings);
	// A country of emoji only ("🇦🇹") left out would make the letter domestic, without its country line.
	if (country === '' && warnings.has(f.country)) {
		throw new LetterInputError(f.country, `The field "${f.country}" (country) has only emoji or pictographs: write the country's name or ISO code, a letter abroad needs it`);
	}
	// A company without a country writes from Germany (the letter's DIN 5008 form).
	const abroad = country !== '' && countryKey(country) !== countryKey(senderCountry(company));
	const name = customerField(json, f.name, true, 'customer name', warnings);
	const addition = customerField(json, f.addition, false, 'address addition', warnings);
	const street = customerField(json, f.street, true, 'street', warnings);
	const postalCode = customerField(json, f.postalCode, false, 'postal code', warnings);
	const city = customerField(json, f.city, true, 'city', warnings);
	const key = abroad ? countryKey(country) : null;
	const lines = [
		name,
		addition,
		street,
		...localityLines(key === null ? postalCode : postalCodeAbroad(postalCode, key), city, key),
		// Letters abroad end with the country in capitals (Deutsche Post, UPU S42); domestic ones do not.
		abroad ? countryLine(country) : '',
	];
	return { lines: lines.filter((l) => l !== ''), abroad };
}

/** The sender's country: the company's, Germany when it has none. */
function senderCountry(company: CompanyDetails): string {
	return company.country || 'DE';
}

/** `abroad`: the company column ends with the company's country, by name (countryLine), as the return address does. */
function footerColumns(company: CompanyDetails, details: BusinessDetails, labels: LetterLabels, abroad: boolean): string[][] {
	const pay = details.payment;
	const columns = [
		[company.fullName, company.street, `${company.postalCode} ${company.city}`, abroad ? countryLine(senderCountry(company)) : ''],
		[
			company.seat && `${labels.seat}: ${company.seat}`,
			company.registerCourt && `${labels.registerCourt}: ${company.registerCourt}`,
			company.registerNumber,
			company.managingDirectors && `${labels.directors}: ${company.managingDirectors}`,
		],
		[pay.bankName, pay.iban ? `IBAN ${formatIban(pay.iban)}` : '', pay.bic ? `BIC ${pay.bic}` : ''],
		[
			company.phone && `${labels.phone} ${company.phone}`,
			company.email,
			company.website,
			company.vatId && `${labels.vatId} ${company.vatId}`,
		],
	];
	return columns.map((c) => c.filter((l) => l !== '')).filter((c) => c.length > 0);
}

function safeFilePart(text: string): string {
	return text.replace(/[^\p{L}\p{N}._-]+/gu, '_').split('_').filter((part) => part !== '').join('_').slice(0, 60) || 'letter';
}

/** Runs `read` and turns the core's input errors into a LetterInputError naming what to fix. */
function asLetterInput<T>(read: () => T, fields: ReminderFieldNames, address: AddressFieldNames): T {
	try {
		return read();
	} catch (error) {
		// The node maps LetterInputError to its item; lib/ imports nothing from n8n.
		throw letterInputError(error, fields, address);
	}
}

function letterInputError(error: unknown, fields: ReminderFieldNames, address: AddressFieldNames): unknown {
	if (error instanceof ReminderInputError) return new LetterInputError(error.field, error.message);
	// The account holder, IBAN and BIC are the same on every letter: a problem with them stops the run once, as company details to fix.
	if (error instanceof EpcPayloadError && COMPANY_EPC_FIELDS.has(error.field)) return new LetterDetailsError(epcItemField(error.field, fields), error.message);
	if (error instanceof EpcPayloadError) return new LetterInputError(epcItemField(error.field, fields), error.message);
	if (error instanceof PaymentReferenceError) return new LetterInputError(referenceItemField(error.placeholder, fields, address), error.message);
	if (error instanceof TemplateError) return new LetterInputError('letterTexts', error.message);
	return error;
}

/** The GiroCode's fields that come from the company details alone. */
const COMPANY_EPC_FIELDS: ReadonlySet<keyof EpcTransfer> = new Set(['name', 'iban', 'bic']);

/** The GiroCode's fields by what the operator fills: a company detail or the item's total. */
function epcItemField(field: keyof EpcTransfer, fields: ReminderFieldNames): string {
	const names: Record<keyof EpcTransfer, string> = { name: 'accountHolder', iban: 'iban', bic: 'bic', amount: fields.totalDue, remittance: 'paymentReference', info: 'paymentReference' };
	return names[field];
}

/** Where a placeholder of the payment reference is read from: the item field, or the pattern in the company details. */
function referenceItemField(placeholder: ReferencePlaceholder | 'pattern', fields: ReminderFieldNames, address: AddressFieldNames): string {
	const names: Record<ReferencePlaceholder | 'pattern', string> = {
		invoiceNumber: fields.invoiceNumber,
		invoiceId: fields.invoiceId,
		customerId: address.customerId,
		level: fields.level,
		pattern: 'paymentReference',
	};
	return names[placeholder];
}

/**
 * The company details print on every letter (letterhead, footer, payment block): a character the
 * font lacks would print as an empty box, so it fails naming the detail.
 */
function checkCompanyPrintable(details: BusinessDetails): void {
	const printed: Array<[string, string]> = [...Object.entries(details.company), ['accountHolder', details.payment.accountHolder], ['bankName', details.payment.bankName]];
	for (const [field, value] of printed) {
		// Line breaks and tabs in a detail print as spaces (wrapText), as before.
		const problem = printProblem(value.replace(/\s+/g, ' '), 'write it in Latin (or Greek, Cyrillic) letters for a letter');
		if (problem) throw new LetterDetailsError(field, `Company details: "${field}" ${problem}`);
	}
}

/**
 * A letter whose shipped closing asks for a transfer, without an IBAN and without a payment link for
 * an invoice, names nowhere to pay: it fails as company details no letter can be printed with (the
 * same for every such letter of the run). With an own closing the letter is made, and the warning
 * returned for its summary. Each invoice's link counts: a group's are printed under its rows.
 */
function letterPayable(context: Record<string, unknown>, closingSource: string, paymentLinkField: string): string | null {
	const payable = payableFromContext(context, true);
	const problem = payable && payableProblem(payable, { shippedTexts: closingSource === 'default', paymentLinkField });
	if (problem?.refuse) throw new LetterDetailsError(problem.field, problem.message);
	return problem ? problem.warning : null;
}

/** Invoice numbers print in the subject, the information block and the table. */
function checkInvoiceNumbersPrintable(numbers: string[], fields: ReminderFieldNames, group: boolean): void {
	for (const [k, number] of numbers.entries()) {
		const problem = printProblem(number);
		if (problem) throw new LetterInputError(fields.invoiceNumber, `The field "${fields.invoiceNumber}" (invoice number)${group ? ` of invoice ${k + 1} in "invoices"` : ''} "${visible(number)}" ${problem}`);
	}
}

/** The parts of the letter texts as the node's Letter Texts name them. */
const TEXT_PART_NAMES: Record<LetterTextKind, string> = { subject: 'Subject', intro: 'Introduction', closing: 'Closing' };

/** Whitespace as the subject prints it, so that a value is found in any rendered text. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The item's text values with their paths (into objects and lists), to find what a text shows. */
function textFields(value: unknown, path: string, out: Array<[string, string]> = [], depth = 0): Array<[string, string]> {
	if (typeof value === 'string') out.push([path, value]);
	else if (value !== null && typeof value === 'object' && depth < 4) {
		for (const [key, child] of Object.entries(value)) textFields(child, path ? `${path}.${key}` : key, out, depth + 1);
	}
	return out;
}

/**
 * The rendered texts print like every field: a character the font lacks (an emoji in an own
 * closing, a Chinese contact name in the salutation) or right-to-left text fails the letter, naming
 * the item field the text shows it from, else the part of the letter texts.
 */
function checkTextsPrintable(texts: LetterTexts, resolved: ResolvedLetterTexts, level: number, json: Record<string, unknown>, named: Array<[string, string]>): void {
	for (const kind of LETTER_TEXT_KINDS) {
		// Line breaks and tabs are the texts' own layout (wrapText keeps paragraphs, spaces words).
		const problem = printProblem(texts[kind].replace(/\r?\n|\t/g, ' '));
		if (!problem) continue;
		const printed = oneLine(texts[kind]);
		const shown = [...named, ...textFields(json, '')].find(([, value]) => oneLine(value) !== '' && printProblem(value) !== null && printed.includes(oneLine(value)));
		if (shown) {
			throw new LetterInputError(shown[0], `The field "${shown[0]}", shown in the letter's ${TEXT_PART_NAMES[kind].toLowerCase()}, ${printProblem(shown[1], 'write it in Latin letters for a letter')}`);
		}
		const whose = resolved.sources[kind] === 'default' ? 'shipped text' : 'own text';
		throw new LetterInputError('letterTexts', `Letter Texts: the ${TEXT_PART_NAMES[kind]} for "${resolved.language}", level ${level} (${whose}), ${problem}`);
	}
}

/**
 * A payment reminder charges nothing yet: columns of 0,00 € for fee, flat fee and interest would
 * read as if something were charged. A column shows when any invoice of the letter has an amount in
 * it. Without any of them the Summe column would repeat "Offen" beside it, so it goes too; the
 * totals below stay as they are (a hidden column adds nothing to them).
 */
function tableColumns(lines: Array<{ fee: number; flatFee: number; interest: number }>): TableColumn[] {
	const charged = (['fee', 'flatFee', 'interest'] as const).filter((column) => lines.some((line) => line[column] !== 0));
	return TABLE_COLUMNS.filter((column) => column === 'invoice' || column === 'dueDate' || column === 'open' || (column === 'total' ? charged.length > 0 : charged.includes(column)));
}

/** How many invoices carry a flat fee, and its amount when they all carry the same (see LetterLabels.totals). */
/** The flat fee line's count and amount each, counted as the e-mail texts count them (flatFeeCounts). */
function flatFeeLabelCounts(lines: ReadonlyArray<{ flatFee: number }>, money: (amount: number) => string): { count: number; each: string | null } {
	const { flatFeeCount, flatFeeEach } = flatFeeCounts(lines);
	return { count: flatFeeCount, each: flatFeeEach === null ? null : money(flatFeeEach) };
}

/** The day a letter dated `dateDay` (a day number) likely reaches the customer: `daysInPost` calendar days later (the post delivers on Saturdays too). */
function arrivalDay(dateDay: number, daysInPost: number): string {
	return formatDay(dateDay + daysInPost);
}

export function buildLetterModel(json: Record<string, unknown>, options: LetterOptions): LetterModel {
	const { details, fields } = options;
	const company = details.company;
	checkCompanyPrintable(details);
	// The zone Compute Dunning Level decided in: the letter prints the days it counted, and is dated by it.
	const { values, language, currency, invoiceIds, timezone } = asLetterInput(() => readReminderValues(json, fields, options.defaultCurrency, options.timezone), fields, options.address);
	// A customer group (Compute's Group by Customer) keeps each invoice's item under `invoices`; an
	// item with an invoice ID of its own is one invoice, whatever else it carries, as for e-mail.
	const group = Array.isArray(json.invoices) && isBlank(readPath(json, fields.invoiceId));
	checkInvoiceNumbersPrintable(values.invoices.map((l) => l.invoiceNumber), fields, group);
	// The collective wording ("… zu 3 Rechnungen") only for more than one invoice, as for e-mail.
	const collective = values.invoiceCount > 1;
	const warnings: LetterWarnings = new Map();
	const { lines: recipient, abroad } = recipientLines(json, options.address, company, warnings);
	// The salutation shows the customer's name as the address does, without emoji.
	const customerName = printableName(values.customerName, fields.customerName, 'customer name', warnings).text;
	const resolved = resolveLetterTexts(language, values.level, options.fallbackLanguage, collective, options.customTexts);
	const locale = options.locale ?? readerLocale(language, resolved.language);
	// Footer captions as the sender's country names them (UID-Nr. in Austria).
	const labels = letterLabels(resolved.language, countryKey(senderCountry(company)));
	const money = (amount: number) => formatMoney(amount, currency, locale);
	const day = (date: string | null) => (date ? formatDate(date, locale, 'short') : '');
	const asOf = readPath(json, 'dunning.asOf');
	const date = options.date || (typeof asOf === 'string' && /^\d{4}-\d{2}-\d{2}/.test(asOf) ? asOf.slice(0, 10) : letterToday(timezone, options.now));
	// A plain YYYY-MM-DD (as documented; not 20260310 nor a timestamp): the letter counts days from it.
	const dateDay = isCalendarDate(date) ? plainDay(date) : undefined;
	if (dateDay === undefined) {
		throw new LetterInputError(options.date ? 'letterDate' : 'dunning.asOf', `The letter date "${date}" is not a calendar date`);
	}
	const dateSource = options.date ? 'the Letter Date option' : typeof asOf === 'string' && asOf.startsWith(date) ? 'dunning.asOf' : 'today';
	const passed = passedDeadline(fields.deadline, values.deadline, date, `the letter date ${date} (${dateSource})`);
	if (passed) throw new LetterInputError(fields.deadline, passed);
	// What the letter asks for, in its texts and payment block alike: the whole payment period from the day it likely arrives.
	const daysInPost = options.daysInPost ?? DEFAULT_DAYS_IN_POST;
	const arrival = arrivalDay(dateDay, daysInPost);
	const deadline = options.statedDeadline ?? asLetterInput(() => restatedDeadline(json, values.deadline, arrival), fields, options.address);
	// A deadline printed as given (no dunning.paymentPeriodDays to restate it) must still lie ahead when the letter arrives;
	// one stated by the caller goes with its e-mail, which the customer has the day it is sent.
	const lateOnArrival = options.statedDeadline === undefined && passedDeadline(fields.deadline, deadline, arrival, `${arrival}, the day the letter likely reaches the customer (dated ${date}, ${daysInPost} Days in the Post)`);
	if (lateOnArrival) throw new LetterInputError(fields.deadline, lateOnArrival);
	// Dates and amounts are written in the texts' language: one whose own script the letter cannot
	// print (Arabic, Hebrew digits and months, Devanagari months) would fill the table with it.
	const written = `${formatDate(date, locale, 'long')} ${money(values.totalDue)}`;
	const writtenProblem = printProblem(written);
	if (writtenProblem) {
		throw new LetterInputError(fields.language, `The field "${fields.language}" asks for a letter in "${resolved.language}", which writes dates and amounts as "${visible(written)}"; that ${writtenProblem}`);
	}
	const customerId = customerField(json, options.address.customerId, false, 'customer ID');

	// Payment: reference, optional link, GiroCode only for euro with an IBAN, for exactly the total printed.
	const pay = details.payment;
	const link = group ? '' : letterLink(customerField(json, options.address.paymentLink, false, 'payment link'), options.address.paymentLink, '');
	// The reference and the GiroCode as the e-mail makes them; the reference is printed, so its values must be printable too.
	const paymentInput = { currency, totalDue: values.totalDue, invoiceId: values.invoiceId, invoiceNumbers: values.invoices.map((l) => l.invoiceNumber), customerId, level: values.level, link };
	const payValues = asLetterInput(() => reminderPayment(details, paymentInput, (text) => printProblem(text)), fields, options.address);
	const { epcPayload } = payValues;
	const reference = payValues.payment.reference;
	const paymentBlock: PaymentBlock | null =
		pay.iban || link
			? {
					lines: [
						...(pay.iban
							? ([
									[labels.accountHolder, pay.accountHolder],
									['IBAN', formatIban(pay.iban)],
									...(pay.bic ? [['BIC', pay.bic]] : []),
									...(pay.bankName ? [[labels.bank, pay.bankName]] : []),
								] as Array<[string, string]>)
							: []),
						[labels.reference, reference],
						[labels.amount, money(values.totalDue)],
						...(deadline ? ([[labels.payBy, day(deadline)]] as Array<[string, string]>) : []),
					],
					link: link || null,
					epcPayload,
					giroCodeCaption: labels.giroCode,
				}
			: null;

	// The same context as the e-mail texts (merchant.*, payment.* with payment.giroCode), so one text works in both.
	// Each invoice's payment link is read from the letter's Payment Link field; a bad one fails naming it.
	const context = asLetterInput(
		() => buildTemplateContext(json, { ...values, deadline, customerName, senderName: company.name }, { language: resolved.language, locale, currency }, payValues, { paymentLink: options.address.paymentLink, interest: fields.interest, invoiceId: fields.invoiceId }),
		fields,
		options.address,
	);
	const noAccount = letterPayable(context, resolved.sources.closing, options.address.paymentLink);
	if (noAccount) warnings.set('iban', noAccount);
	const texts = asLetterInput(() => renderLetterTexts(options.env, resolved, values.level, context), fields, options.address);
	checkTextsPrintable(texts, resolved, values.level, json, [
		[fields.customerName, customerName],
		[fields.stageName, values.stageName],
	]);

	const members = group ? (json.invoices as Array<Record<string, unknown>>) : [json];
	const rows: TableRow[] = values.invoices.map((line, k) => {
		const member = members[k] ?? {};
		const where = group ? ` of invoice ${k + 1} in "invoices"` : '';
		const notes = [
			...(line.invoiceDate ? [`${labels.invoiceDate} ${day(line.invoiceDate)}`] : []),
			// After payments or credits "Offen" is less than the invoice: say why, as the e-mail does.
			...(line.paidAmount !== null ? [labels.partPaid({ invoiceAmount: money(line.invoiceAmount), paidAmount: money(line.paidAmount) })] : []),
			// Read and checked with the context above (checkInterestPeriods: days that match from–to, amounts that add up to the row's interest).
			...context.invoices[k].interestPeriods.map((p) =>
				labels.interestPeriod({ rate: formatPercent(p.ratePct, locale), from: day(p.from), to: day(p.to), days: p.days, amount: money(p.amount) }),
			),
		];
		if (group) {
			const memberLink = readPath(member, options.address.paymentLink);
			if (typeof memberLink === 'string' && memberLink.trim() !== '') {
				const problem = printProblem(memberLink.trim());
				if (problem) throw new LetterInputError(options.address.paymentLink, `The field "${options.address.paymentLink}" (payment link)${where} ${problem}`);
				notes.push(`${labels.payOnline}: ${letterLink(memberLink, options.address.paymentLink, where)}`);
			}
		}
		return {
			cells: [line.invoiceNumber, day(line.dueDate), money(line.openAmount), money(line.fee), money(line.flatFee), money(line.interest), money(line.totalDue)],
			notes,
		};
	});
	// The flat fee cites the statute of the merchant's country, as the e-mail does (context.flatFeeBasis).
	const totals = [
		{ label: labels.totals.open, value: money(values.openAmount), strong: false },
		...(values.fee ? [{ label: labels.totals.fee, value: money(values.fee), strong: false }] : []),
		...(values.flatFee ? [{ label: labels.totals.flatFee({ ...flatFeeLabelCounts(values.invoices, money), basis: context.flatFeeBasis }), value: money(values.flatFee), strong: false }] : []),
		...(values.interest ? [{ label: labels.totals.interest, value: money(values.interest), strong: false }] : []),
		{ label: labels.totals.total, value: money(values.totalDue), strong: true },
	];

	// The sender by its name with legal form, as the footer names it (the letterhead may keep the shorter name).
	// A letter abroad names the sender's country as it names the recipient's: else a returned letter goes to a "10115 Berlin" abroad.
	const returnAddress = [company.fullName, company.street, `${company.postalCode} ${company.city}`, ...(abroad ? [countryLine(senderCountry(company))] : [])].join(' · ');
	const info: Array<[string, string]> = [
		[labels.date, formatDate(date, locale, 'long')],
		...(customerId ? ([[labels.customerNumber, customerId]] as Array<[string, string]>) : []),
		// A long list belongs in the table; the block beside the address field has room for a few.
		...(values.invoiceCount <= 3 ? ([[values.invoiceCount > 1 ? labels.invoices : labels.invoice, values.invoiceNumber]] as Array<[string, string]>) : []),
		...(company.phone ? ([[labels.phone, company.phone]] as Array<[string, string]>) : []),
		...(company.email ? ([[labels.email, company.email]] as Array<[string, string]>) : []),
	];
	const fileKey = group ? customerId || values.invoices[0].invoiceNumber : values.invoiceNumber;

	return {
		fieldNames: { invoiceNumber: fields.invoiceNumber, customerId: options.address.customerId, paymentLink: options.address.paymentLink, interestPeriods: INTEREST_PERIODS, group },
		language: resolved.language,
		locale,
		form: options.form,
		labels,
		fileName: `${labels.filePrefix}-${safeFilePart(fileKey)}-${values.level}.pdf`,
		date,
		company,
		returnAddress,
		recipient,
		info,
		subject: texts.subject,
		intro: texts.intro,
		closing: texts.closing,
		rows,
		columns: tableColumns(values.invoices),
		totals,
		payment: paymentBlock,
		footer: footerColumns(company, details, labels, abroad),
		logo: options.logo,
		summary: {
			invoiceIds,
			level: values.level,
			totalDue: values.totalDue,
			currency,
			paymentReference: paymentBlock ? reference : null,
			girocode: epcPayload !== null,
			statedDeadline: deadline,
			...(warnings.size > 0 ? { warnings: [...warnings.values()] } : {}),
		},
	};
}
