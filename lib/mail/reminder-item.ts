/**
 * Reads what a reminder needs from an input item, by configurable field names (dot paths such as
 * `dunning.level`). The defaults match Compute Dunning Level's output, so the two nodes work
 * together without configuration. Decides `paper` (no, invalid or blocked address) before any
 * server is involved; bad input is an error naming the field.
 */
import type { ReminderValues } from '../templates/context';
import { isValidAddress } from './address';

export interface ReminderFieldNames {
	email: string;
	emailBlocked: string;
	language: string;
	invoiceId: string;
	invoiceNumber: string;
	invoiceDate: string;
	dueDate: string;
	currency: string;
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
	| { kind: 'email'; to: string; language: unknown; currency: string; values: Omit<ReminderValues, 'senderName'> };

/** Reads `a.b.c` from an object; own properties only, so "__proto__" paths read nothing. */
export function readPath(data: Record<string, unknown>, path: string): unknown {
	let value: unknown = data;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export function readReminderItem(json: Record<string, unknown>, fields: ReminderFieldNames = DEFAULT_FIELD_NAMES, defaultCurrency = 'EUR'): ReminderItem {
	const get = (key: keyof ReminderFieldNames) => readPath(json, fields[key]);
	const required = (key: keyof ReminderFieldNames): unknown => {
		const value = get(key);
		if (isBlank(value)) throw new ReminderInputError(fields[key], `The field "${fields[key]}" (${key}) is missing or empty`);
		return value;
	};
	const text = (key: keyof ReminderFieldNames): string => {
		const value = required(key);
		if (typeof value !== 'string' && typeof value !== 'number') throw new ReminderInputError(fields[key], `The field "${fields[key]}" (${key}) must be text, got ${typeof value}`);
		return String(value).trim();
	};
	const amount = (key: keyof ReminderFieldNames, optional: boolean): number => {
		const value = get(key);
		if (isBlank(value)) {
			if (optional) return 0;
			throw new ReminderInputError(fields[key], `The field "${fields[key]}" (${key}) is missing or empty`);
		}
		const n = typeof value === 'string' ? Number(value.trim()) : value;
		if (typeof n !== 'number' || !Number.isFinite(n)) {
			throw new ReminderInputError(fields[key], `The field "${fields[key]}" (${key}) must be a number, got ${JSON.stringify(value)}`);
		}
		return n;
	};
	const date = (key: keyof ReminderFieldNames, optional: boolean): string | null => {
		const value = get(key);
		if (isBlank(value)) {
			if (optional) return null;
			throw new ReminderInputError(fields[key], `The field "${fields[key]}" (${key}) is missing or empty`);
		}
		if (value instanceof Date) return value.toISOString();
		if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
			throw new ReminderInputError(fields[key], `The field "${fields[key]}" (${key}) must be a date like 2026-03-01, got ${JSON.stringify(value)}`);
		}
		return value.trim();
	};

	const invoiceId = text('invoiceId');
	const level = amount('level', false);
	if (!Number.isInteger(level) || level < 1) {
		throw new ReminderInputError(fields.level, `The field "${fields.level}" (level) must be a whole number of 1 or more, got ${JSON.stringify(get('level'))}`);
	}

	const blocked = get('emailBlocked');
	const rawEmail = get('email');
	if (blocked === true || blocked === 'true') {
		return { kind: 'paper', reason: 'emailBlocked', error: 'The customer’s address is blocked (earlier bounces): send this reminder on paper', invoiceId, level };
	}
	if (isBlank(rawEmail)) {
		return { kind: 'paper', reason: 'noEmail', error: `No e-mail address in "${fields.email}": send this reminder on paper`, invoiceId, level };
	}
	const to = String(rawEmail).trim();
	if (typeof rawEmail !== 'string' || !isValidAddress(to)) {
		return { kind: 'paper', reason: 'invalidEmail', error: `"${String(rawEmail).slice(0, 80)}" in "${fields.email}" is not a valid e-mail address: send this reminder on paper`, invoiceId, level };
	}

	const currencyValue = get('currency');
	const currency = isBlank(currencyValue) ? defaultCurrency : String(currencyValue).trim().toUpperCase();
	const openAmount = amount('openAmount', false);
	const fee = amount('fee', true);
	const flatFee = amount('flatFee', true);
	const interest = amount('interest', true);
	const totalRaw = get('totalDue');
	const totalDue = isBlank(totalRaw) ? Math.round((openAmount + fee + flatFee + interest) * 100) / 100 : amount('totalDue', false);
	const days = get('daysOverdue');
	const customerName = get('customerName');
	const stageName = get('stageName');

	return {
		kind: 'email',
		to,
		language: get('language'),
		currency,
		values: {
			invoiceId,
			invoiceNumber: isBlank(get('invoiceNumber')) ? invoiceId : text('invoiceNumber'),
			invoiceDate: date('invoiceDate', true),
			dueDate: date('dueDate', false)!,
			deadline: date('deadline', false)!,
			openAmount,
			fee,
			flatFee,
			interest,
			totalDue,
			level,
			stageName: typeof stageName === 'string' ? stageName : '',
			daysOverdue: typeof days === 'number' ? days : null,
			customerName: typeof customerName === 'string' ? customerName.trim() : '',
		},
	};
}
