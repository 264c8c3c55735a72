import { dayInZone, type DateInput } from './date-input';
import { civilFromDays, daysFromCivil, daysInMonth, formatDay, parsePlainDate, plainDay } from './day-number';
import { isCurrencyCode, readCurrencyCode } from './currency';
import { addressListText, MAX_AMOUNT, onlyText, readAmount, readFlag, showValue } from './field-value';
import { minorDigits } from './money';
import type { CompiledPolicy } from './policy';
import type { CustomerType, Invoice, InvoiceField, InvoiceInput } from './types';

export interface InvoiceProblem {
	/** Canonical field name (see Invoice). */
	field: InvoiceField;
	/** Names the field as the caller knows it (see `fieldNames`). */
	message: string;
}

export type InvoiceValidation = { ok: true; invoice: Invoice } | { ok: false; problems: InvoiceProblem[] };

/** The caller's names for the fields, used in messages (e.g. the node's configured column names). */
export type FieldNames = Partial<Record<InvoiceField, string>>;

/** Thrown by callers that stop on bad input; carries the problems. */
export class InvoiceInputError extends Error {
	constructor(
		readonly problems: InvoiceProblem[],
		prefix = 'Invalid invoice',
	) {
		super(`${prefix}: ${problems.map((p) => p.message).join('; ')}`);
		this.name = 'InvoiceInputError';
	}
}

/**
 * Dates further than this from the run day are placeholders for "no date" (1900-01-01,
 * 0001-01-01, 9999-12-31), not dates: taken at their word they would claim a century of interest.
 */
export const PLAUSIBLE_YEARS = 10;

function isBlank(v: unknown): boolean {
	return v === undefined || v === null || v === '';
}

/*
 * Validation runs once per invoice on large runs, so it is written as plain functions that
 * report into one array (allocated only when something is wrong) rather than as objects.
 */
type Problems = InvoiceProblem[] | null;

interface Ctx {
	names: FieldNames;
	zone: string;
	problems: Problems;
	/** Day numbers a date may have, both included. */
	earliestDay: number;
	latestDay: number;
	/** The run day the window is centred on, for messages; null when only the form is checked. */
	runDay: string | null;
}

/** Without a run day a date only has to be writable as YYYY-MM-DD: years 0001 to 9999. */
const FIRST_WRITABLE_DAY = daysFromCivil(1, 1, 1);
const LAST_WRITABLE_DAY = daysFromCivil(9999, 12, 31);

/** The same calendar day `years` years later (or earlier), 29 February becoming the 28th. */
function yearsFrom(day: number, years: number): number {
	const { year, month, day: dom } = civilFromDays(day);
	return daysFromCivil(year + years, month, Math.min(dom, daysInMonth(year + years, month)));
}

function fail(ctx: Ctx, field: InvoiceField, what: string): undefined {
	(ctx.problems ??= []).push({ field, message: `${ctx.names[field] ?? field} ${what}` });
	return undefined;
}

/*
 * Each reader is a small check for the usual form of a value (a trimmed string, a finite
 * number, an ISO day, a boolean), small enough for V8 to inline into validateInvoice, in front
 * of the full rules, which run only for anything else and give the same answer for the usual form.
 */

/** Non-empty, and both ends printable ASCII other than space: trim() would return it unchanged. */
function isTrimmedText(s: string): boolean {
	if (s.length === 0) return false;
	const first = s.charCodeAt(0);
	const last = s.charCodeAt(s.length - 1);
	return first > 32 && first < 127 && last > 32 && last < 127;
}

function text(ctx: Ctx, field: InvoiceField, value: unknown, required: boolean): string | null {
	return typeof value === 'string' && isTrimmedText(value) ? value : textRules(ctx, field, value, required);
}

function textRules(ctx: Ctx, field: InvoiceField, value: unknown, required: boolean): string | null {
	if (typeof value === 'string') {
		const s = value.trim();
		if (s !== '') return s;
	} else if (typeof value === 'number' && Number.isFinite(value)) {
		return String(value);
	} else if (!isBlank(value)) {
		return fail(ctx, field, `must be text (got ${typeof value})`) ?? null;
	}
	return required ? (fail(ctx, field, 'is missing') ?? null) : null;
}

/** An amount; below zero too (a credit note, an overpaid invoice): decide() holds those back, it does not refuse them. */
function amount(ctx: Ctx, field: InvoiceField, value: unknown, currencyDecimals: number): number | undefined {
	return typeof value === 'number' && value >= -MAX_AMOUNT && value <= MAX_AMOUNT ? value : amountRules(ctx, field, value, currencyDecimals);
}

function amountRules(ctx: Ctx, field: InvoiceField, value: unknown, currencyDecimals: number): number | undefined {
	if (isBlank(value)) return fail(ctx, field, 'is missing');
	const read = readAmount(value, currencyDecimals, true);
	return read.ok ? read.amount : fail(ctx, field, read.problem);
}

/** The e-mail field: text, or a list of addresses taken as one comma-separated list (see addressListText). */
function emailOf(ctx: Ctx, value: unknown): string | null {
	if (!Array.isArray(value)) return text(ctx, 'email', value, false);
	const list = addressListText(value);
	if (list === undefined) return fail(ctx, 'email', `must be text or a list of addresses (got ${showValue(value)})`) ?? null;
	return list === '' ? null : list;
}

/** The language field: text, or a list of exactly one text. */
function languageOf(ctx: Ctx, value: unknown): string | null {
	if (!Array.isArray(value)) return text(ctx, 'language', value, false);
	const one = onlyText(value);
	if (one === undefined) return fail(ctx, 'language', `must be one language code such as de (got ${showValue(value)})`) ?? null;
	return text(ctx, 'language', one, false);
}

/** A calendar day `YYYY-MM-DD`; an input already in that form is returned as it is. */
function date(ctx: Ctx, field: InvoiceField, value: unknown, required: boolean): string | null | undefined {
	const day = typeof value === 'string' && value.length === 10 && value.charCodeAt(4) === 45 ? plainDay(value) : undefined;
	return day !== undefined && day >= ctx.earliestDay && day <= ctx.latestDay ? (value as string) : dateRules(ctx, field, value, required);
}

/** The day as `YYYY-MM-DD` when it lies within the plausible window; else a problem, and undefined. */
function plausible(ctx: Ctx, field: InvoiceField, day: number, value: unknown): string | undefined {
	if (day >= ctx.earliestDay && day <= ctx.latestDay) return formatDay(day);
	if (ctx.runDay === null) return fail(ctx, field, `is not a date between the years 0001 and 9999 (got ${showValue(value)})`);
	const side = day < ctx.earliestDay ? 'before' : 'after';
	return fail(ctx, field, `${showValue(value)} is not a plausible date: more than ${PLAUSIBLE_YEARS} years ${side} the run day ${ctx.runDay} (a placeholder for "no date"? leave the field empty)`);
}

function dateRules(ctx: Ctx, field: InvoiceField, value: unknown, required: boolean): string | null | undefined {
	if (isBlank(value)) return required ? fail(ctx, field, 'is missing') : null;
	if (typeof value === 'string') {
		if (value.length === 10 && value.charCodeAt(4) === 45) {
			const plain = parsePlainDate(value);
			if (plain) return plain.ok ? plausible(ctx, field, plain.day, value) : fail(ctx, field, plain.problem);
		}
	} else if (!(value instanceof Date) && !(typeof value === 'object' && value !== null && 'isLuxonDateTime' in value)) {
		return fail(ctx, field, `must be a date such as 2026-01-31 (got ${showValue(value)})`);
	}
	const r = dayInZone(value as DateInput, ctx.zone);
	if (!r.ok) return fail(ctx, field, r.problem);
	return plausible(ctx, field, r.day, value);
}

function flag(ctx: Ctx, field: InvoiceField, value: unknown): boolean {
	return value === false || value === true ? value : flagRules(ctx, field, value);
}

function flagRules(ctx: Ctx, field: InvoiceField, value: unknown): boolean {
	const flag = readFlag(value);
	if (flag !== undefined) return flag;
	fail(ctx, field, `must be true or false (got ${showValue(value)})`);
	return false;
}

function customerTypeOf(ctx: Ctx, value: unknown): CustomerType {
	return value === 'consumer' || value === 'business' ? value : customerTypeRules(ctx, value);
}

function customerTypeRules(ctx: Ctx, value: unknown): CustomerType {
	if (isBlank(value)) return 'consumer';
	const t = typeof value === 'string' ? value.trim().toLowerCase() : value;
	if (t === 'business' || t === 'b2b') return 'business';
	if (t !== 'consumer' && t !== 'b2c') fail(ctx, 'customerType', `must be "consumer" or "business" (got ${showValue(value)})`);
	return 'consumer';
}

/** An ISO 4217 code of a currency an invoice is paid in (see currency.ts); blank: the policy's default currency. */
function currencyOf(ctx: Ctx, value: unknown, fallback: string): string {
	return typeof value === 'string' && value.length === 3 && isCurrencyCode(value) ? value : currencyRules(ctx, value, fallback);
}

function currencyRules(ctx: Ctx, value: unknown, fallback: string): string {
	if (isBlank(value)) return fallback;
	const read = readCurrencyCode(value);
	if (read.ok) return read.code;
	fail(ctx, 'currency', read.problem);
	return fallback;
}

/** The currency whose decimals a text amount is read by: the invoice's, else the default (its own error comes later). */
function decimalsCurrency(value: unknown, fallback: string): string {
	const read = readCurrencyCode(value);
	return read.ok ? read.code : fallback;
}

function levelOf(ctx: Ctx, raw: unknown, stageCount: number): number {
	return typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= stageCount ? raw : levelRules(ctx, raw, stageCount);
}

function levelRules(ctx: Ctx, raw: unknown, stageCount: number): number {
	if (isBlank(raw)) return 0;
	const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isInteger(n) || n < 0) fail(ctx, 'currentLevel', `must be a whole number, 0 or more (got ${showValue(raw)})`);
	else if (n > stageCount) fail(ctx, 'currentLevel', `${n} is beyond the policy, which has ${stageCount} stages`);
	else return n;
	return 0;
}

/** A count such as emailRefusals: a whole number, 0 or more (text digits accepted, as ERPs export them). */
function countOf(ctx: Ctx, field: InvoiceField, raw: unknown): number {
	if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return raw;
	const n = typeof raw === 'string' && /^\s*\d{1,9}\s*$/.test(raw) ? Number(raw) : NaN;
	if (Number.isInteger(n)) return n;
	fail(ctx, field, `must be a whole number, 0 or more (got ${showValue(raw)})`);
	return 0;
}

/**
 * claimedCharges: the fees, flat fee and interest the reminders claimed, 0 or more; blank: 0 (none known).
 * A negative amount would turn a real credit into "charges paid", so it is refused, not taken as 0.
 */
function chargesOf(ctx: Ctx, raw: unknown, currencyDecimals: number): number {
	if (typeof raw === 'number' && raw >= 0 && raw <= MAX_AMOUNT) return raw;
	if (isBlank(raw)) return 0;
	const read = readAmount(raw, currencyDecimals, true);
	if (!read.ok) fail(ctx, 'claimedCharges', read.problem);
	else if (read.amount < 0) fail(ctx, 'claimedCharges', `must be 0 or more: the fees, flat fee and interest the reminders claimed (got ${showValue(raw)})`);
	else return read.amount;
	return 0;
}

/**
 * A reminder's deadline lies on or after the day it was sent, and the first reminder's on or before
 * the last one's: anything else is a mix-up of fields (which would move default or the next stage
 * by a wrong day), named rather than guessed at. Only dates that read are compared.
 */
function deadlineOrder(ctx: Ctx, dates: { lastDunnedAt: string | null; firstDunnedAt: string | null; lastDeadline: string | null; firstDeadline: string | null }): void {
	const { lastDunnedAt, firstDunnedAt, lastDeadline, firstDeadline } = dates;
	const name = (field: InvoiceField) => ctx.names[field] ?? field;
	if (lastDeadline !== null && lastDunnedAt !== null && lastDeadline < lastDunnedAt) {
		fail(ctx, 'lastDeadline', `${lastDeadline} is before ${name('lastDunnedAt')} ${lastDunnedAt}: a reminder's payment deadline is never before the day it was sent`);
	}
	if (firstDeadline !== null && firstDunnedAt !== null && firstDeadline < firstDunnedAt) {
		fail(ctx, 'firstDeadline', `${firstDeadline} is before ${name('firstDunnedAt')} ${firstDunnedAt}: a reminder's payment deadline is never before the day it was sent`);
	}
	if (firstDeadline !== null && lastDeadline !== null && firstDeadline > lastDeadline) {
		fail(ctx, 'firstDeadline', `${firstDeadline} is after ${name('lastDeadline')} ${lastDeadline}: the first reminder's deadline cannot be later than the last reminder's`);
	}
}

const NO_FIELDS: InvoiceInput = Object.freeze({});

/** An Invoice with every field set, for InvoiceReader to overwrite (one hidden class for all). */
function blankInvoice(): Invoice {
	return {
		invoiceId: '',
		invoiceNumber: null,
		customerId: null,
		customerType: 'consumer',
		email: null,
		language: null,
		invoiceDate: null,
		dueDate: '',
		currency: '',
		amount: 0,
		openAmount: 0,
		currentLevel: 0,
		lastDunnedAt: null,
		firstDunnedAt: null,
		lastDeadline: null,
		firstDeadline: null,
		claimedCharges: 0,
		parked: false,
		disputed: false,
		dunningBlock: false,
		dunningBlockReason: null,
		emailBlocked: false,
		emailRefusals: 0,
		emailRefusedAt: null,
		emailRefusedLevel: null,
	};
}

/**
 * Checks and normalises invoice after invoice into one reused Invoice object. For loops over
 * many items: per invoice it allocates nothing unless something is wrong, where a fresh
 * Invoice, result and context per item made up much of the garbage of a large run.
 */
export class InvoiceReader implements Ctx {
	readonly names: FieldNames;
	readonly zone: string;
	readonly earliestDay: number;
	readonly latestDay: number;
	readonly runDay: string | null;
	problems: Problems = null;
	private readonly compiled: CompiledPolicy;
	private readonly invoice: Invoice = blankInvoice();

	/**
	 * `runDay` (`YYYY-MM-DD`): dates must lie within PLAUSIBLE_YEARS of it. Without one, a date
	 * only has to be writable as `YYYY-MM-DD`.
	 */
	constructor(compiled: CompiledPolicy, fieldNames: FieldNames = {}, runDay?: string) {
		this.compiled = compiled;
		this.names = fieldNames;
		this.zone = compiled.policy.timezone;
		const run = runDay === undefined ? undefined : plainDay(runDay);
		if (runDay !== undefined && run === undefined) throw new Error(`The run day must be YYYY-MM-DD (got ${showValue(runDay)})`);
		this.runDay = run === undefined ? null : formatDay(run);
		this.earliestDay = run === undefined ? FIRST_WRITABLE_DAY : Math.max(FIRST_WRITABLE_DAY, yearsFrom(run, -PLAUSIBLE_YEARS));
		this.latestDay = run === undefined ? LAST_WRITABLE_DAY : Math.min(LAST_WRITABLE_DAY, yearsFrom(run, PLAUSIBLE_YEARS));
	}

	/**
	 * The normalised invoice, or null when something is wrong (then `problems` lists every
	 * problem). The Invoice is this reader's own and is overwritten by the next call: copy it
	 * to keep it.
	 */
	read(input: InvoiceInput): Invoice | null {
		this.problems = null;
		// n8n can hand over an item whose json is null: it has none of the fields.
		if (typeof input !== 'object' || input === null) input = NO_FIELDS;
		const { policy } = this.compiled;
		const invoiceId = text(this, 'invoiceId', input.invoiceId, true);
		// A text amount such as "1.500" reads by the currency's decimals (readAmount); its own error comes later.
		const decimals = typeof input.openAmount === 'string' || typeof input.amount === 'string' ? minorDigits(decimalsCurrency(input.currency, policy.defaultCurrency)) : 2;
		const openAmount = amount(this, 'openAmount', input.openAmount, decimals);
		const total = isBlank(input.amount) ? openAmount : amount(this, 'amount', input.amount, decimals);
		// A credit note has no due date in many ERPs' exports: it is held back as a credit without one.
		const dueDate = date(this, 'dueDate', input.dueDate, !(openAmount !== undefined && openAmount !== null && openAmount < 0));
		const invoiceDate = date(this, 'invoiceDate', input.invoiceDate, policy.salesWindowDays > 0);
		const lastDunnedAt = date(this, 'lastDunnedAt', input.lastDunnedAt, false);
		const firstDunnedAt = date(this, 'firstDunnedAt', input.firstDunnedAt, false);
		const customerType = customerTypeOf(this, input.customerType);
		const currency = currencyOf(this, input.currency, policy.defaultCurrency);
		const currentLevel = levelOf(this, input.currentLevel, policy.stages.length);

		const invoiceNumber = text(this, 'invoiceNumber', input.invoiceNumber, false);
		const customerId = text(this, 'customerId', input.customerId, false);
		const email = emailOf(this, input.email);
		const language = languageOf(this, input.language);
		const parked = flag(this, 'parked', input.parked);
		const disputed = flag(this, 'disputed', input.disputed);
		const dunningBlock = flag(this, 'dunningBlock', input.dunningBlock);
		const emailBlocked = flag(this, 'emailBlocked', input.emailBlocked);
		const dunningBlockReason = isBlank(input.dunningBlockReason) ? null : text(this, 'dunningBlockReason', input.dunningBlockReason, false);
		const emailRefusals = isBlank(input.emailRefusals) ? 0 : countOf(this, 'emailRefusals', input.emailRefusals);
		const emailRefusedAt = isBlank(input.emailRefusedAt) ? null : date(this, 'emailRefusedAt', input.emailRefusedAt, false);
		const emailRefusedLevel = isBlank(input.emailRefusedLevel) ? null : countOf(this, 'emailRefusedLevel', input.emailRefusedLevel);
		const lastDeadline = isBlank(input.lastDeadline) ? null : (date(this, 'lastDeadline', input.lastDeadline, false) ?? null);
		const firstDeadline = isBlank(input.firstDeadline) ? null : (date(this, 'firstDeadline', input.firstDeadline, false) ?? null);
		if (lastDeadline !== null || firstDeadline !== null) {
			deadlineOrder(this, { lastDunnedAt: lastDunnedAt ?? null, firstDunnedAt: firstDunnedAt ?? null, lastDeadline, firstDeadline });
		}
		const chargesDecimals = typeof input.claimedCharges === 'string' ? minorDigits(decimalsCurrency(input.currency, policy.defaultCurrency)) : 2;
		const claimedCharges = chargesOf(this, input.claimedCharges, chargesDecimals);
		if (this.problems) return null;
		const invoice = this.invoice;
		invoice.invoiceId = invoiceId ?? '';
		invoice.invoiceNumber = invoiceNumber;
		invoice.customerId = customerId;
		invoice.customerType = customerType;
		invoice.email = email;
		invoice.language = language;
		invoice.invoiceDate = invoiceDate ?? null;
		invoice.dueDate = dueDate ?? '';
		invoice.currency = currency;
		invoice.amount = total ?? 0;
		invoice.openAmount = openAmount ?? 0;
		invoice.currentLevel = currentLevel;
		invoice.lastDunnedAt = lastDunnedAt ?? null;
		invoice.firstDunnedAt = firstDunnedAt ?? null;
		invoice.lastDeadline = lastDeadline;
		invoice.firstDeadline = firstDeadline;
		invoice.claimedCharges = claimedCharges;
		invoice.parked = parked;
		invoice.disputed = disputed;
		invoice.dunningBlock = dunningBlock;
		invoice.emailBlocked = emailBlocked;
		invoice.dunningBlockReason = dunningBlockReason;
		invoice.emailRefusals = emailRefusals;
		invoice.emailRefusedAt = emailRefusedAt ?? null;
		invoice.emailRefusedLevel = emailRefusedLevel;
		return invoice;
	}
}

/**
 * Checks and normalises one invoice. Every problem is reported (not just the first), each
 * naming its field. Defaults: customerType consumer (the lower statutory claims), currency the
 * policy's default, currentLevel 0, amount = openAmount, flags false. With `runDay`, dates must be
 * plausible for a run on that day (see PLAUSIBLE_YEARS).
 */
export function validateInvoice(input: InvoiceInput, compiled: CompiledPolicy, fieldNames: FieldNames = {}, runDay?: string): InvoiceValidation {
	const reader = new InvoiceReader(compiled, fieldNames, runDay);
	const invoice = reader.read(input);
	if (invoice === null) return { ok: false, problems: reader.problems ?? [] };
	return { ok: true, invoice: { ...invoice } };
}
