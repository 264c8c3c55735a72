import { dayInZone, type DateInput } from './date-input';
import { formatDay, parsePlainDate } from './day-number';
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

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const CURRENCY = /^[A-Za-z]{3}$/;

/** A value as it appears in a message; never throws (BigInt, cycles) and stays short. */
function show(value: unknown): string {
	let text: string | undefined;
	try {
		text = JSON.stringify(value);
	} catch {
		text = undefined;
	}
	if (text === undefined) text = typeof value === 'bigint' ? `${value}n` : `a value of type ${typeof value}`;
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

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
}

function fail(ctx: Ctx, field: InvoiceField, what: string): undefined {
	(ctx.problems ??= []).push({ field, message: `${ctx.names[field] ?? field} ${what}` });
	return undefined;
}

function text(ctx: Ctx, field: InvoiceField, value: unknown, required: boolean): string | null {
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

function amount(ctx: Ctx, field: InvoiceField, value: unknown): number | undefined {
	let n: number;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && NUMERIC.test(value.trim())) n = Number(value.trim());
	else if (isBlank(value)) return fail(ctx, field, 'is missing');
	else return fail(ctx, field, `must be a number with a decimal point, e.g. 120.50 (got ${show(value)})`);
	if (!Number.isFinite(n)) return fail(ctx, field, `must be a finite number (got ${show(value)})`);
	if (n < 0) return fail(ctx, field, `must not be negative (got ${n})`);
	return n;
}

/** A calendar day `YYYY-MM-DD`; an input already in that form is returned as it is. */
function date(ctx: Ctx, field: InvoiceField, value: unknown, required: boolean): string | null | undefined {
	if (isBlank(value)) return required ? fail(ctx, field, 'is missing') : null;
	if (typeof value === 'string') {
		// The common case (ISO day) without trimming or reformatting.
		if (value.length === 10 && value.charCodeAt(4) === 45) {
			const plain = parsePlainDate(value);
			if (plain) return plain.ok ? value : fail(ctx, field, plain.problem);
		}
	} else if (!(value instanceof Date) && !(typeof value === 'object' && value !== null && 'isLuxonDateTime' in value)) {
		return fail(ctx, field, `must be a date such as 2026-01-31 (got ${show(value)})`);
	}
	const r = dayInZone(value as DateInput, ctx.zone);
	if (!r.ok) return fail(ctx, field, r.problem);
	return formatDay(r.day);
}

function flag(ctx: Ctx, field: InvoiceField, value: unknown): boolean {
	if (value === false || value === true) return value;
	if (isBlank(value) || value === 0) return false;
	if (value === 1) return true;
	if (typeof value === 'string') {
		const s = value.trim().toLowerCase();
		if (s === 'true' || s === 'yes' || s === '1' || s === 'x' || s === 'ja') return true;
		if (s === 'false' || s === 'no' || s === '0' || s === 'nein' || s === '') return false;
	}
	fail(ctx, field, `must be true or false (got ${show(value)})`);
	return false;
}

function customerTypeOf(ctx: Ctx, value: unknown): CustomerType {
	if (value === 'consumer' || isBlank(value)) return 'consumer';
	if (value === 'business') return 'business';
	const t = typeof value === 'string' ? value.trim().toLowerCase() : value;
	if (t === 'business' || t === 'b2b') return 'business';
	if (t !== 'consumer' && t !== 'b2c') fail(ctx, 'customerType', `must be "consumer" or "business" (got ${show(value)})`);
	return 'consumer';
}

function currencyOf(ctx: Ctx, value: unknown, fallback: string): string {
	if (isBlank(value)) return fallback;
	if (typeof value === 'string') {
		if (value.length === 3 && value === value.toUpperCase() && CURRENCY.test(value)) return value;
		const s = value.trim();
		if (CURRENCY.test(s)) return s.toUpperCase();
	}
	fail(ctx, 'currency', `must be a three-letter code such as EUR (got ${show(value)})`);
	return fallback;
}

function levelOf(ctx: Ctx, raw: unknown, stageCount: number): number {
	if (isBlank(raw)) return 0;
	const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isInteger(n) || n < 0) fail(ctx, 'currentLevel', `must be a whole number, 0 or more (got ${show(raw)})`);
	else if (n > stageCount) fail(ctx, 'currentLevel', `${n} is beyond the policy, which has ${stageCount} stages`);
	else return n;
	return 0;
}

/**
 * Checks and normalises one invoice. Every problem is reported (not just the first), each
 * naming its field. Defaults: customerType consumer (the lower statutory claims), currency the
 * policy's default, currentLevel 0, amount = openAmount, flags false.
 */
export function validateInvoice(input: InvoiceInput, compiled: CompiledPolicy, fieldNames: FieldNames = {}): InvoiceValidation {
	const { policy } = compiled;
	const ctx: Ctx = { names: fieldNames, zone: policy.timezone, problems: null };

	const invoiceId = text(ctx, 'invoiceId', input.invoiceId, true);
	const openAmount = amount(ctx, 'openAmount', input.openAmount);
	const total = isBlank(input.amount) ? openAmount : amount(ctx, 'amount', input.amount);
	const dueDate = date(ctx, 'dueDate', input.dueDate, true);
	const invoiceDate = date(ctx, 'invoiceDate', input.invoiceDate, policy.salesWindowDays > 0);
	const lastDunnedAt = date(ctx, 'lastDunnedAt', input.lastDunnedAt, false);
	const customerType = customerTypeOf(ctx, input.customerType);
	const currency = currencyOf(ctx, input.currency, policy.defaultCurrency);
	const currentLevel = levelOf(ctx, input.currentLevel, policy.stages.length);

	const invoice: Invoice = {
		invoiceId: invoiceId ?? '',
		invoiceNumber: text(ctx, 'invoiceNumber', input.invoiceNumber, false),
		customerId: text(ctx, 'customerId', input.customerId, false),
		customerType,
		email: text(ctx, 'email', input.email, false),
		language: text(ctx, 'language', input.language, false),
		invoiceDate: invoiceDate ?? null,
		dueDate: dueDate ?? '',
		currency,
		amount: total ?? 0,
		openAmount: openAmount ?? 0,
		currentLevel,
		lastDunnedAt: lastDunnedAt ?? null,
		parked: flag(ctx, 'parked', input.parked),
		disputed: flag(ctx, 'disputed', input.disputed),
		dunningBlock: flag(ctx, 'dunningBlock', input.dunningBlock),
		emailBlocked: flag(ctx, 'emailBlocked', input.emailBlocked),
	};
	return ctx.problems ? { ok: false, problems: ctx.problems } : { ok: true, invoice };
}
