/**
 * Reads what a reminder needs from an input item, by configurable field names (dot paths such as
 * `dunning.level`). The defaults match Compute Dunning Level's output, so the two nodes work
 * together without configuration. Decides `paper` (no, invalid or blocked address) before any
 * server is involved; bad input is an error naming the field.
 */
import { DateTime, IANAZone } from 'luxon';

import { dayInZone } from '../dunning/date-input';
import { regionProblem } from '../dunning/calendar';
import { statedDeadline } from '../dunning/deadline-check';
import { formatDay, parsePlainDate } from '../dunning/day-number';
import { readCurrencyCode } from '../dunning/currency';
import { addressListText, onlyText, readAmount, readFlag, showValue } from '../dunning/field-value';
import { fromMinor, minorDigits, roundTo, toMinor } from '../dunning/money';
import type { InvoiceLine, ReminderValues } from '../templates/context';
import { parseRecipients, formatRecipients, type Recipient } from './recipients';

export interface ReminderFieldNames {
	email: string;
	emailBlocked: string;
	language: string;
	invoiceId: string;
	invoiceNumber: string;
	invoiceDate: string;
	dueDate: string;
	currency: string;
	/** The invoice total (optional): with it, a reminder shows what was paid or credited already. */
	amount: string;
	openAmount: string;
	customerName: string;
	level: string;
	stageName: string;
	daysOverdue: string;
	fee: string;
	flatFee: string;
	interest: string;
	totalDue: string;
	deadline: string;
}

export const DEFAULT_FIELD_NAMES: ReminderFieldNames = {
	email: 'email',
	emailBlocked: 'emailBlocked',
	language: 'language',
	invoiceId: 'invoiceId',
	invoiceNumber: 'invoiceNumber',
	invoiceDate: 'invoiceDate',
	dueDate: 'dueDate',
	currency: 'currency',
	amount: 'amount',
	openAmount: 'openAmount',
	customerName: 'customerName',
	level: 'dunning.level',
	stageName: 'dunning.stageName',
	daysOverdue: 'dunning.daysOverdue',
	fee: 'dunning.fee',
	flatFee: 'dunning.flatFee',
	interest: 'dunning.interest',
	totalDue: 'dunning.totalDue',
	deadline: 'dunning.deadline',
};

/**
 * Where Compute Dunning Level writes the currency it computed an invoice's amounts in: the
 * invoice's own, or its Rules › Default Currency for a row without one.
 */
const COMPUTED_CURRENCY = 'dunning.currency';

/** Where Compute Dunning Level writes the timezone it read the invoice's dates in: its policy's. */
export const DECIDED_TIMEZONE = 'dunning.timezone';

/** Where Compute Dunning Level writes its payment period and holiday region, with which a reminder restates its deadline (statedDeadline). */
export const DECIDED_PAYMENT_PERIOD = 'dunning.paymentPeriodDays';
export const DECIDED_HOLIDAY_REGION = 'dunning.holidayRegion';

/** Longer than any payment period a policy means (ten years): a bigger number is a slip, not a period. */
const MAX_PAYMENT_PERIOD_DAYS = 3660;

export class ReminderInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'ReminderInputError';
	}
}

export type ReminderItem =
	| { kind: 'paper'; reason: 'noEmail' | 'invalidEmail' | 'emailBlocked'; error: string; invoiceId: string; level: number }
	| {
			kind: 'email';
			/** The recipients as one line, `Name <address>, address`. */
			to: string;
			/** Every address the reminder goes to (all in To), each checked. */
			recipients: Recipient[];
			language: unknown;
			currency: string;
			/** Every invoice the reminder covers: one, or all of a customer group. */
			invoiceIds: string[];
			/**
			 * The zone its timestamps were read in (dunning.timezone, else the workflow's; see
			 * readingTimezone), where "today" is taken for it too; undefined: as written, days in UTC.
			 */
			timezone: string | undefined;
			values: Omit<ReminderValues, 'senderName'>;
	  };

/** Reads `a.b.c` from an object; own properties only, so "__proto__" paths read nothing. */
export function readPath(data: Record<string, unknown>, path: string): unknown {
	let value: unknown = data;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

/** Nothing given: undefined, null, or text of blanks only. */
export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Typed reads of one object's fields; errors name the field as configured, and where it sits. */
class FieldReader {
	constructor(
		private readonly json: Record<string, unknown>,
		private readonly fields: ReminderFieldNames,
		/** Where the object sits, for messages: "" for the item itself, " of invoice 2 in \"invoices\"" for a group member. */
		private readonly where = '',
		/** The zone a timestamp's day is read in (see readingTimezone); none: as written. */
		private readonly timezone?: string,
	) {}

	get(key: keyof ReminderFieldNames): unknown {
		return readPath(this.json, this.fields[key]);
	}

	fail(key: keyof ReminderFieldNames, problem: string): never {
		throw new ReminderInputError(this.fields[key], `The field "${this.fields[key]}" (${key})${this.where} ${problem}`);
	}

	required(key: keyof ReminderFieldNames): unknown {
		const value = this.get(key);
		if (isBlank(value)) this.fail(key, 'is missing or empty');
		return value;
	}

	text(key: keyof ReminderFieldNames): string {
		const value = this.required(key);
		if (typeof value !== 'string' && typeof value !== 'number') this.fail(key, `must be text, got ${typeof value}`);
		return String(value).trim();
	}

	amount(key: keyof ReminderFieldNames, optional: boolean, currencyDecimals = 2): number {
		const value = this.get(key);
		if (isBlank(value)) {
			if (optional) return 0;
			this.fail(key, 'is missing or empty');
		}
		const read = readAmount(value, currencyDecimals);
		if (!read.ok) this.fail(key, read.problem);
		return read.amount;
	}

	date(key: keyof ReminderFieldNames, optional: boolean): string | null {
		const value = this.get(key);
		if (isBlank(value)) {
			if (optional) return null;
			this.fail(key, 'is missing or empty');
		}
		if (value instanceof Date && !Number.isNaN(value.getTime())) return this.dayOf(value) ?? value.toISOString();
		// A plain day in either form Compute Dunning Level reads (an ERP's "15.01.2026" too) goes to
		// the templates as YYYY-MM-DD.
		const plain = typeof value === 'string' ? parsePlainDate(value.trim()) : undefined;
		if (plain?.ok) return formatDay(plain.day);
		// luxon checks that a timestamp is one (no 2026-02-30).
		// SQL's "2026-03-01 10:00" (a space for the T) as Compute Dunning Level reads it.
		const iso = typeof value === 'string' ? value.trim().replace(/^(\d{4}-\d{2}-\d{2}) (?=\d{2}:\d{2})/, '$1T') : '';
		if (plain || typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(iso) || !DateTime.fromISO(iso, { setZone: true }).isValid) {
			this.fail(key, `must be a date like 2026-03-01, got ${showValue(value)}`);
		}
		return this.dayOf(value.trim()) ?? value.trim();
	}

	/** A timestamp's day in the reader's zone ("2026-03-31T22:00:00Z" is 1 April in Berlin, as Compute counted); null without a zone. */
	private dayOf(value: string | Date): string | null {
		if (!this.timezone) return null;
		const day = dayInZone(value, this.timezone);
		return day.ok ? formatDay(day.day) : null;
	}

	/**
	 * The currency the object states, or undefined when it states none: its currency field; without
	 * one, the currency Compute Dunning Level computed its fees, interest and total in
	 * (`dunning.currency`, Compute's Default Currency for a row without a currency), so that a CHF
	 * claim is not printed in this node's default EUR. Both given and different fail: the amounts were
	 * computed in the one, and a reminder must never print them in the other.
	 */
	statedCurrency(): string | undefined {
		const value = this.get('currency');
		const own = isBlank(value) ? undefined : readCurrencyCode(value);
		if (own && !own.ok) this.fail('currency', own.problem);
		const computed = this.computedCurrency();
		const code = own?.ok ? own.code : undefined;
		if (code !== undefined && computed !== undefined && code !== computed) {
			throw new ReminderInputError(
				this.fields.currency,
				`The field "${this.fields.currency}" (currency)${this.where} is ${code}, but the field "${COMPUTED_CURRENCY}" beside it is ${computed}: Compute Dunning Level computed the fees, interest and total in ${computed}, and a reminder must not print them in ${code}. Run Compute Dunning Level again on the invoice as it is now (reading the same currency field as this node)`,
			);
		}
		return code ?? computed;
	}

	/** `dunning.currency` as Compute Dunning Level writes it; undefined when blank, an error naming it when it is no currency. */
	private computedCurrency(): string | undefined {
		if (this.fields.currency === COMPUTED_CURRENCY) return undefined;
		const value = readPath(this.json, COMPUTED_CURRENCY);
		if (isBlank(value)) return undefined;
		const read = readCurrencyCode(value);
		if (!read.ok) throw new ReminderInputError(COMPUTED_CURRENCY, `The field "${COMPUTED_CURRENCY}"${this.where} ${read.problem}`);
		return read.code;
	}

	/**
	 * The invoice's line, every amount rounded to the currency's minor unit (`digits` decimals) as
	 * it is printed, so that the printed lines add up to the printed total; `invoiceId` was read
	 * already, before the paper checks.
	 */
	line(invoiceId: string, digits: number): ReadLine {
		const given = this.amount('openAmount', false, digits);
		const openAmount = roundTo(given, digits);
		// 0.004 € would be a letter demanding 0,00 €: what rounds to nothing is paid, as 0 is.
		if (openAmount === 0) this.fail('openAmount', given === 0 ? 'is 0: a paid invoice gets no reminder' : `is ${given}, which rounds to 0 (the currency’s smallest unit is ${fromMinor(1, digits)}): a paid invoice gets no reminder`);
		const amounts = [given, this.amount('fee', true, digits), this.amount('flatFee', true, digits), this.amount('interest', true, digits)];
		const [, fee, flatFee, interest] = amounts.map((a) => roundTo(a, digits));
		const unrounded = exactSum(amounts);
		const days = this.get('daysOverdue');
		const { invoiceAmount, paidAmount } = this.paid(openAmount, digits);
		return {
			line: {
				invoiceId,
				invoiceNumber: isBlank(this.get('invoiceNumber')) ? invoiceId : this.text('invoiceNumber'),
				invoiceDate: this.date('invoiceDate', true),
				dueDate: this.date('dueDate', false)!,
				invoiceAmount,
				paidAmount,
				openAmount,
				fee,
				flatFee,
				interest,
				totalDue: this.checkedTotal(sum([openAmount, fee, flatFee, interest], digits), unrounded, digits),
				daysOverdue: typeof days === 'number' ? days : null,
			},
			unrounded,
		};
	}

	/**
	 * The invoice total and what was paid or credited of it (payments, credit notes, Skonto: the
 * difference to the open amount), so that a customer who paid part does not read only
	 * "600 € open" for a 1,000 € invoice and call to say they paid. No total, or one not above the
	 * open amount (fees posted onto the open item, a net total beside a gross open amount: the ERP's
	 * business, and Compute Dunning Level takes it), shows nothing paid rather than a negative
	 * payment or a reminder withheld over a figure it does not ask for: the total is then the open
	 * amount. One that is no amount fails, as Compute Dunning Level fails it.
	 */
	paid(openAmount: number, digits: number): Pick<InvoiceLine, 'invoiceAmount' | 'paidAmount'> {
		const value = this.get('amount');
		if (isBlank(value)) return { invoiceAmount: openAmount, paidAmount: null };
		// Below zero is read as Compute Dunning Level reads it (a credit note's total), then shown as nothing paid.
		const read = readAmount(value, digits, true);
		if (!read.ok) this.fail('amount', read.problem);
		const [total, open] = [toMinor(read.amount, digits), toMinor(openAmount, digits)];
		return total > open ? { invoiceAmount: fromMinor(total, digits), paidAmount: fromMinor(total - open, digits) } : { invoiceAmount: openAmount, paidAmount: null };
	}

	/**
	 * The total to ask for: the sum of the amounts printed beside it. A given total that differs in
	 * the currency's minor unit (a template's own arithmetic, an ERP's rounding) fails the item: the
	 * reminder and its GiroCode must ask for exactly what its lines add up to. Compute Dunning Level
	 * before this release added amounts to the cent whatever the currency, and reminders it released
	 * may wait in a table: such a total is taken when it is `unrounded`, the amounts' sum to the cent.
	 */
	checkedTotal(printed: number, unrounded: number, digits: number): number {
		if (isBlank(this.get('totalDue'))) return printed;
		const given = this.amount('totalDue', false, digits);
		const units = toMinor(given, digits);
		if (units !== toMinor(printed, digits) && units !== toMinor(unrounded, digits)) {
			this.fail('totalDue', `is ${given}, but the open amount, fees and interest printed beside it add up to ${printed}: the reminder and its GiroCode must ask for that sum`);
		}
		return printed;
	}
}

/** One invoice's line, and its amounts' sum before they were rounded to the currency (see checkedTotal). */
interface ReadLine {
	line: InvoiceLine;
	unrounded: number;
}

/** Exact in the currency's minor unit (`digits` decimals); amounts rounded to it already add up to what is printed. */
function sum(amounts: number[], digits: number): number {
	return fromMinor(amounts.reduce((units, a) => units + toMinor(a, digits), 0), digits);
}

/** Exact to the cent, as Compute Dunning Level before this release added amounts whatever the currency (a BHD total of 10.36 for 10.125 + 0.23). */
function exactSum(amounts: number[]): number {
	return sum(amounts, 2);
}

/**
 * The members of a customer group from Compute Dunning Level ("Group by Customer"): its
 * `invoices` list, each entry an invoice item with its own `dunning` object. Undefined for an
 * item that is one invoice — one with an invoice ID of its own, whatever else it carries (an
 * ERP export may well have an "invoices" field of its own).
 */
function groupMembers(json: Record<string, unknown>, item: FieldReader): Array<Record<string, unknown>> | undefined {
	const invoices = readPath(json, 'invoices');
	if (!Array.isArray(invoices) || invoices.length === 0 || !isBlank(item.get('invoiceId'))) return undefined;
	if (!invoices.every((m) => m !== null && typeof m === 'object' && !Array.isArray(m))) {
		throw new ReminderInputError('invoices', 'The field "invoices" must list invoice objects (as Compute Dunning Level’s Group by Customer writes them)');
	}
	return invoices as Array<Record<string, unknown>>;
}

/**
 * The zone in which a reminder reads a timestamp's day: the one Compute Dunning Level decided in
 * (`dunning.timezone`, for a group its own summed `dunning`), so that the customer reads the day
 * the dunning counted (2026-01-31T23:30:00Z is 1 February in Berlin, 31 January in New York);
 * `workflowTimezone` only for an item that never passed Compute. A value that is no IANA zone is
 * bad input, not a reason to read the dates elsewhere.
 */
export function readingTimezone(json: Record<string, unknown>, workflowTimezone?: string): string | undefined {
	const value = readPath(json, DECIDED_TIMEZONE);
	if (isBlank(value)) return workflowTimezone;
	const zone = typeof value === 'string' ? value.trim() : '';
	if (zone !== '' && IANAZone.isValidZone(zone)) return zone;
	throw new ReminderInputError(DECIDED_TIMEZONE, `The field "${DECIDED_TIMEZONE}" must be an IANA timezone such as Europe/Berlin (as Compute Dunning Level writes it), got ${showValue(value)}`);
}

/** `workflowTimezone`: where timestamps are read for an item without `dunning.timezone` (see readingTimezone). */
export function readReminderItem(json: Record<string, unknown>, fields: ReminderFieldNames = DEFAULT_FIELD_NAMES, defaultCurrency = 'EUR', workflowTimezone?: string): ReminderItem {
	const { item, members, invoiceReaders, invoiceIds, level, timezone } = readInvoices(json, fields, workflowTimezone);
	const invoiceId = invoiceIds.join(', ');

	// Read as Compute Dunning Level reads it ("TRUE", 1, "ja" …): a blocked address is never mailed.
	const blocked = readFlag(item.get('emailBlocked'));
	if (blocked === undefined) item.fail('emailBlocked', `must be true or false, got ${showValue(item.get('emailBlocked'))}`);
	// A list of addresses (an API's JSON array) as the comma-separated line Compute Dunning Level passes on.
	const rawEmail = addressListText(item.get('email')) ?? item.get('email');
	if (blocked) {
		return { kind: 'paper', reason: 'emailBlocked', error: 'The customer’s address is blocked (earlier bounces): send this reminder on paper', invoiceId, level };
	}
	if (isBlank(rawEmail)) {
		return { kind: 'paper', reason: 'noEmail', error: `No e-mail address in "${fields.email}": send this reminder on paper`, invoiceId, level };
	}
	if (typeof rawEmail !== 'string') {
		return { kind: 'paper', reason: 'invalidEmail', error: `"${String(rawEmail).slice(0, 80)}" in "${fields.email}" is not a valid e-mail address: send this reminder on paper`, invoiceId, level };
	}
	const list = parseRecipients(rawEmail, fields.email);
	if (!list.ok) return { kind: 'paper', reason: list.reason, error: list.error, invoiceId, level };
	return {
		kind: 'email',
		to: formatRecipients(list.recipients),
		recipients: list.recipients,
		timezone,
		...reminderValues(item, members, invoiceReaders, invoiceIds, level, fields, defaultCurrency),
	};
}

/**
 * The reminder's values without any e-mail check: for a letter, which goes on paper whatever the
 * address. Errors name the field as readReminderItem's do.
 */
export function readReminderValues(json: Record<string, unknown>, fields: ReminderFieldNames = DEFAULT_FIELD_NAMES, defaultCurrency = 'EUR', workflowTimezone?: string): ReminderValueSet {
	const { item, members, invoiceReaders, invoiceIds, level, timezone } = readInvoices(json, fields, workflowTimezone);
	return { timezone, ...reminderValues(item, members, invoiceReaders, invoiceIds, level, fields, defaultCurrency) };
}

type ReminderValueSet = Omit<Extract<ReminderItem, { kind: 'email' }>, 'kind' | 'to' | 'recipients'>;

function readInvoices(json: Record<string, unknown>, fields: ReminderFieldNames, workflowTimezone?: string) {
	const timezone = readingTimezone(json, workflowTimezone);
	const item = new FieldReader(json, fields, '', timezone);
	const members = groupMembers(json, item)?.map((m, k) => new FieldReader(m, fields, ` of invoice ${k + 1} in "invoices"`, timezone));
	const invoiceReaders = members ?? [item];
	const invoiceIds = invoiceReaders.map((r) => r.text('invoiceId'));
	// Without a group total to check against, an invoice listed twice would be printed and asked for
	// twice. Instalments of one invoice (its ID with another due date or amount) are open items of their own.
	const seen = new Map<string, number>();
	invoiceIds.forEach((id, k) => {
		const key = JSON.stringify([id, String(invoiceReaders[k].get('dueDate')), String(invoiceReaders[k].get('openAmount'))]);
		const first = seen.get(key);
		if (first !== undefined) {
			throw new ReminderInputError('invoices', `The field "invoices" lists the invoice with "${fields.invoiceId}" ${JSON.stringify(id)} twice, with the same due date and open amount (invoices ${first + 1} and ${k + 1}): a reminder asks for each invoice once`);
		}
		seen.set(key, k);
	});
	const level = item.amount('level', false);
	if (!Number.isInteger(level) || level < 1) {
		item.fail('level', `must be a whole number of 1 or more, got ${JSON.stringify(item.get('level'))}`);
	}
	return { item, members, invoiceReaders, invoiceIds, level, timezone };
}

function reminderValues(
	item: FieldReader,
	members: FieldReader[] | undefined,
	invoiceReaders: FieldReader[],
	invoiceIds: string[],
	level: number,
	fields: ReminderFieldNames,
	defaultCurrency: string,
): Omit<ReminderValueSet, 'timezone'> {
	const invoiceId = invoiceIds.join(', ');
	// A group's own currency (Compute Dunning Level's summed `dunning`) is that of its invoices; an
	// invoice that states none is in it, before the node's Default Currency.
	const groupCurrency = members ? item.statedCurrency() : undefined;
	const currencies = invoiceReaders.map((r) => r.statedCurrency() ?? groupCurrency ?? defaultCurrency);
	if (currencies.some((c) => c !== currencies[0])) {
		throw new ReminderInputError(fields.currency, `The invoices of one reminder must share a currency, got ${[...new Set(currencies)].join(' and ')}`);
	}
	if (groupCurrency !== undefined && groupCurrency !== currencies[0]) {
		throw new ReminderInputError(COMPUTED_CURRENCY, `The group's currency is ${groupCurrency}, but its invoices in "invoices" are in ${currencies[0]}: a reminder must not print amounts in another currency than they were added up in`);
	}
	const digits = minorDigits(currencies[0]);
	const read = invoiceReaders.map((r, k) => r.line(invoiceIds[k], digits));
	const lines = read.map((r) => r.line);
	const customerName = item.get('customerName') ?? members?.[0].get('customerName');
	const stageName = item.get('stageName');
	const single = lines.length === 1 ? lines[0] : undefined;
	const total = (key: 'invoiceAmount' | 'openAmount' | 'fee' | 'flatFee' | 'interest' | 'totalDue') => (single ? single[key] : sum(lines.map((l) => l[key]), digits));
	// A group's own total (Compute Dunning Level's summed `dunning`) must be what its invoices add up to.
	if (!single) item.checkedTotal(total('totalDue'), exactSum(read.map((r) => r.unrounded)), digits);
	const overdue = lines.map((l) => l.daysOverdue).filter((d): d is number => d !== null);

	return {
		language: onlyText(item.get('language')) ?? item.get('language'),
		currency: currencies[0],
		invoiceIds,
		values: {
			invoiceId,
			invoiceNumber: lines.map((l) => l.invoiceNumber).join(', '),
			invoiceDate: single ? single.invoiceDate : null,
			dueDate: lines.map((l) => l.dueDate).sort()[0],
			deadline: item.date('deadline', false)!,
			invoiceAmount: total('invoiceAmount'),
			// A group's payments added up; null when none of its invoices has one, as for one invoice.
			paidAmount: lines.some((l) => l.paidAmount !== null) ? sum(lines.map((l) => l.paidAmount ?? 0), digits) : null,
			openAmount: total('openAmount'),
			fee: total('fee'),
			flatFee: total('flatFee'),
			interest: total('interest'),
			totalDue: total('totalDue'),
			level,
			stageName: typeof stageName === 'string' ? stageName : '',
			daysOverdue: overdue.length ? Math.max(...overdue) : null,
			customerName: typeof customerName === 'string' ? customerName.trim() : '',
			invoices: lines,
			invoiceCount: lines.length,
		},
	};
}

/**
 * The item's payment link ('' when it has none). It becomes the href of the shipped "pay online"
 * button, where HTML escaping does not help: only web addresses are taken, never javascript: or
 * data: links, which would run or show something else when the customer clicks.
 */
export function readPaymentLink(json: Record<string, unknown>, field = 'paymentLink'): string {
	const value = readPath(json, field);
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return '';
	const link = typeof value === 'string' ? webLink(value) : null;
	if (link !== null) return link;
	throw new ReminderInputError(field, paymentLinkProblem(field, value));
}

/** Why a payment link is refused, for the e-mail and the letter alike; `where` names a group's invoice. */
export function paymentLinkProblem(field: string, value: unknown, where = ''): string {
	const shown = typeof value !== 'string' ? `a ${typeof value === 'object' ? 'list or object' : typeof value}` : JSON.stringify(value.length > 60 ? `${value.trim().slice(0, 60)}…` : value.trim());
	return `The field "${field}" (payment link)${where} must be a web address starting with https:// or http://, got ${shown}`;
}

/**
 * The link as it goes out: an http(s) address, or one written as "www.…" (as people write them,
 * and as it went out before links were checked) with https:// put in front. Null for anything
 * else (javascript:, data:, text).
 */
export function webLink(text: string): string | null {
	const trimmed = text.trim();
	const candidate = /^www\./i.test(trimmed) ? `https://${trimmed}` : trimmed;
	try {
		const { protocol } = new URL(candidate);
		return protocol === 'https:' || protocol === 'http:' ? candidate : null;
	} catch {
		return null;
	}
}

/** What restates a decided deadline for the day a reminder goes out (see statedDeadline). */
export interface DeadlineRestatement {
	/** `dunning.paymentPeriodDays`: the days the customer gets to pay. */
	periodDays: number;
	/** `dunning.holidayRegion`: whose weekends and public holidays the deadline is moved off. */
	region: string;
}

/**
 * The item's payment period and holiday region, as Compute Dunning Level writes them; null for an
 * item with neither (from a Compute before this release, or built by hand): its deadline is stated
 * as given, as before. A collective reminder (Group by Customer) reads them from its invoices'
 * `dunning` when its own has none: they come from one policy. One without the other, or a value
 * that is no period or region, is bad input naming the field.
 */
export function readDeadlineRestatement(json: Record<string, unknown>): DeadlineRestatement | null {
	const own = restatementOf(json, '');
	if (own !== null) return own;
	const invoices = readPath(json, 'invoices');
	if (!Array.isArray(invoices) || !isBlank(readPath(json, 'invoiceId'))) return null;
	let found: DeadlineRestatement | null = null;
	for (const [k, member] of invoices.entries()) {
		if (member === null || typeof member !== 'object' || Array.isArray(member)) continue;
		const where = ` of invoice ${k + 1} in "invoices"`;
		const read = restatementOf(member as Record<string, unknown>, where);
		if (read === null) continue;
		if (found !== null && (found.periodDays !== read.periodDays || found.region !== read.region)) {
			throw new ReminderInputError(
				DECIDED_PAYMENT_PERIOD,
				`The fields "${DECIDED_PAYMENT_PERIOD}" and "${DECIDED_HOLIDAY_REGION}"${where} (${read.periodDays} days, ${read.region}) differ from those of an invoice before it (${found.periodDays} days, ${found.region}): the invoices of one reminder must be decided by one policy; run Compute Dunning Level again on them together`,
			);
		}
		found = read;
	}
	return found;
}

function restatementOf(json: Record<string, unknown>, where: string): DeadlineRestatement | null {
	const period = readPath(json, DECIDED_PAYMENT_PERIOD);
	const region = readPath(json, DECIDED_HOLIDAY_REGION);
	if (isBlank(period) && isBlank(region)) return null;
	const fail = (field: string, problem: string): never => {
		throw new ReminderInputError(field, `The field "${field}"${where} ${problem}`);
	};
	if (isBlank(period)) fail(DECIDED_PAYMENT_PERIOD, `is missing beside "${DECIDED_HOLIDAY_REGION}": give both (as Compute Dunning Level writes them: the days the customer gets to pay, e.g. 14) or neither (the deadline is then printed as given)`);
	if (isBlank(region)) fail(DECIDED_HOLIDAY_REGION, `is missing beside "${DECIDED_PAYMENT_PERIOD}": give both (as Compute Dunning Level writes them: a holiday region such as DE or DE-BY) or neither (the deadline is then printed as given)`);
	// A number, or one as text (a table cell holds "14").
	const days = typeof period === 'number' ? period : typeof period === 'string' && /^\s*\d+\s*$/.test(period) ? Number(period) : Number.NaN;
	if (!Number.isInteger(days) || days < 0 || days > MAX_PAYMENT_PERIOD_DAYS) {
		fail(DECIDED_PAYMENT_PERIOD, `must be a whole number of days from 0 to ${MAX_PAYMENT_PERIOD_DAYS} (the days the customer gets to pay), got ${showValue(period)}`);
	}
	const regionText = typeof region === 'string' ? region.trim() : '';
	const problem = regionText === '' ? 'it is no text' : regionProblem(regionText);
	if (problem !== undefined) fail(DECIDED_HOLIDAY_REGION, `must be a holiday region such as DE or DE-BY (as Compute Dunning Level writes it), got ${showValue(region)}: ${problem}`);
	return { periodDays: days, region: regionText };
}

/**
 * The deadline a reminder states when the customer gets it on `day` (YYYY-MM-DD): `decided` (the
 * item's deadline, as read) restated with the item's payment period and holiday region
 * (statedDeadline), or `decided` itself for an item without them.
 */
export function restatedDeadline(json: Record<string, unknown>, decided: string, day: string): string {
	const restatement = readDeadlineRestatement(json);
	return restatement === null ? decided : statedDeadline(decided, restatement.periodDays, restatement.region, day);
}
