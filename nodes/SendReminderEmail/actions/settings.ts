/**
 * The run settings of "Send Reminder": parameters read once per run, from the first item (often an
 * expression over a Settings row or a table cell). Each is checked for its type and range before
 * anything is sent, and a bad one stops the run with a message naming it as the panel shows it and
 * as expressions name it (`"Attempts on Temporary Refusal" (options.maxAttempts) must be …`), never
 * with a JavaScript error ("….trim is not a function") and never taken as something else (NaN
 * attempts retried a 4xx for ever; a pause past 24.8 days overflowed Node's timer into none).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { readCurrencyCode } from '../../../lib/dunning/currency';
import { readFlag, showValue } from '../../../lib/dunning/field-value';
import { folderNameProblem } from '../../../lib/mailbox/folder-name';
import { DEFAULT_FIELD_NAMES, type ReminderFieldNames } from '../../../lib/mail/reminder-item';
import { localeOption } from '../../../lib/templates/locale';
import { letterLocaleProblem } from '../../../lib/letters/letter-locale';
import { normalizeLanguage } from '../../../lib/templates/render';
import { readNumberSetting, type NumberRule } from '../../shared/number-setting';
import { runSettingMessage } from '../../shared/run-setting';
import { fieldNameLabel } from '../../shared/field-names';
import { readTextSetting } from '../../shared/text-setting';
import { MAX_TIMEOUT_SECONDS } from '../../shared/timeout';
import { MAX_PAUSE_SECONDS, PAUSE_TOO_LARGE } from '../../../lib/ledger/pace';

/** Attempts on a temporary refusal, as the field allows (1–10). */
export const MAX_ATTEMPTS = 10;
/** The first retry's wait: the backoff is capped at 10 minutes anyway, so more would be cut without a word. */
export const MAX_RETRY_DELAY_SECONDS = 600;

export interface SendSettings {
	dryRun: boolean;
	fallbackLanguage: string;
	saveToSentFolder: boolean;
	/** Trimmed; empty uses the IMAP credential's Sent Folder. */
	sentFolder: string;
	fields: SendFieldNames;
	attachLetter: boolean;
	maxAttempts: number;
	retryDelaySeconds: number;
	defaultCurrency: string;
	locale: string | undefined;
	/** Only when set: the connector's default applies otherwise. */
	timeoutSeconds: number | undefined;
	minSecondsBetween: number;
	maxPerRun: number;
}

/**
 * The Field Names this node reads: the reminder's (lib/mail/reminder-item.ts) and the customer ID,
 * which only the payment reference's {customerId} (and an attached letter) needs.
 */
export interface SendFieldNames extends ReminderFieldNames {
	customerId: string;
}

export const SEND_FIELD_DEFAULTS: SendFieldNames = { ...DEFAULT_FIELD_NAMES, customerId: 'customerId' };

interface Setting {
	displayName: string;
	/** As expressions and the workflow JSON name it: `minSecondsBetween`, `options.maxAttempts`. */
	name: string;
}

/** A bad run setting; its message names the setting. */
export class SettingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SettingError';
	}
}

function refuse(setting: Setting, problem: string): never {
	throw new SettingError(runSettingMessage(problem, { setting }));
}

/** The parameter's value for the first item; an expression that fails is the setting's problem too. */
function raw(ctx: IExecuteFunctions, setting: Setting, fallback: unknown): unknown {
	try {
		return ctx.getNodeParameter(setting.name, 0, fallback);
	} catch (error) {
		return refuse(setting, `could not be read: ${(error as Error).message}`);
	}
}

const ABSENT = Symbol('absent');

/** Whether the parameter is set at all (an option not added to the Options collection is not). */
function isSet(ctx: IExecuteFunctions, name: string): boolean {
	return (ctx.getNodeParameter(name, 0, ABSENT, { rawExpressions: true }) as unknown) !== ABSENT;
}

/** A value as a message shows it (showValue: short, never a throw); nothing at all as "empty". */
export function shown(value: unknown): string {
	return value === undefined ? 'empty' : showValue(value);
}

function numberSetting(ctx: IExecuteFunctions, setting: Setting, fallback: number, rule: NumberRule): number {
	const read = readNumberSetting(raw(ctx, setting, fallback), rule);
	if ('problem' in read) refuse(setting, read.problem);
	return read.value;
}

/**
 * Yes or no as the item flags are read (readFlag: true/false, 1/0, yes/no, ja/nein, WAHR/FALSCH, as a
 * table cell or an ERP gives them). An empty value is refused: taken as "no", it would turn a dry
 * run into a real one.
 */
function flagSetting(ctx: IExecuteFunctions, setting: Setting, fallback: boolean): boolean {
	const value = raw(ctx, setting, fallback);
	const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
	const flag = empty ? undefined : readFlag(value);
	return flag ?? refuse(setting, `must be true or false (also yes/no, 1/0), not ${empty ? 'empty' : shown(value)}`);
}

/** Text, or empty (null, undefined, ""): `fallback`. A list with one text counts as that text, as an item's language does. */
function textSetting(ctx: IExecuteFunctions, setting: Setting, fallback: string, expected: string, acceptOneElementList = false): string {
	const read = readTextSetting(raw(ctx, setting, fallback), fallback, expected, { acceptOneElementList });
	if ('problem' in read) refuse(setting, read.problem);
	return read.value;
}

/** The Field Names collection: each a field name as text; empty keeps the default. */
function fieldNames(ctx: IExecuteFunctions, labels: ReadonlyArray<readonly [keyof SendFieldNames, string, ...string[]]>): SendFieldNames {
	const fields: SendFieldNames = { ...SEND_FIELD_DEFAULTS };
	for (const [key, label] of labels) {
		const setting = { displayName: `Field Names › ${fieldNameLabel(label)}`, name: `fieldNames.${key}` };
		fields[key] = textSetting(ctx, setting, SEND_FIELD_DEFAULTS[key], 'the name of a field of the items as text, e.g. ' + SEND_FIELD_DEFAULTS[key]);
	}
	return fields;
}

/** Reads and checks every run setting; a bad one throws a SettingError naming it. */
export function readSendSettings(ctx: IExecuteFunctions, fieldLabels: ReadonlyArray<readonly [keyof SendFieldNames, string, ...string[]]>): SendSettings {
	const dryRun = flagSetting(ctx, { displayName: 'Dry Run', name: 'dryRun' }, false);

	const languageSetting = { displayName: 'Fallback Language', name: 'fallbackLanguage' };
	const fallbackLanguage = textSetting(ctx, languageSetting, 'de', 'a language code as text, e.g. de, en or de-AT', true);
	if (normalizeLanguage(fallbackLanguage) === undefined) refuse(languageSetting, `must be a language code like de, en or de-AT, not ${shown(fallbackLanguage)}`);

	const saveToSentFolder = flagSetting(ctx, { displayName: 'Save to Sent Folder', name: 'saveToSentFolder' }, false);
	const sentFolderSetting = { displayName: 'Sent Folder', name: 'sentFolder' };
	const sentFolder = saveToSentFolder ? textSetting(ctx, sentFolderSetting, '', 'a folder name as text, e.g. Sent or INBOX.Sent') : '';
	// IMAP cannot carry it (Read Mailbox refuses the same); found after every send as "folder not found".
	const folderProblem = folderNameProblem(sentFolder);
	if (folderProblem !== null) refuse(sentFolderSetting, folderProblem);
	const fields = fieldNames(ctx, fieldLabels);

	const attachLetter = flagSetting(ctx, { displayName: 'Attach Letter PDF', name: 'options.attachLetter' }, false);
	const maxAttempts = numberSetting(ctx, { displayName: 'Attempts on Temporary Refusal', name: 'options.maxAttempts' }, 3, { min: 1, max: MAX_ATTEMPTS, whole: true });
	const retryDelaySeconds = numberSetting(ctx, { displayName: 'First Retry After (Seconds)', name: 'options.retryDelaySeconds' }, 30, { min: 0, max: MAX_RETRY_DELAY_SECONDS });

	const currencySetting = { displayName: 'Default Currency', name: 'options.defaultCurrency' };
	const currencyText = textSetting(ctx, currencySetting, 'EUR', 'a three-letter currency code as text, e.g. EUR');
	const currencyRead = readCurrencyCode(currencyText);
	if (!currencyRead.ok) refuse(currencySetting, currencyRead.problem);
	const defaultCurrency = currencyRead.code;

	// A Locale that is none throws with the option named (lib/templates/locale.ts).
	const localeSetting = { displayName: 'Locale', name: 'options.locale' };
	const locale = isSet(ctx, localeSetting.name) ? localeOption(raw(ctx, localeSetting, ''), 'Locale') : undefined;
	// The attached letter is written in it too: a script its font lacks would leave every mail without it.
	const unprintable = attachLetter && locale !== undefined ? letterLocaleProblem(locale) : null;
	if (unprintable) throw new Error(`The option "Locale" ("${locale}") ${unprintable} (Attach Letter PDF is on)`);

	const timeoutSetting = { displayName: 'Timeout (Seconds)', name: 'options.timeoutSeconds' };
	const timeoutSeconds = isSet(ctx, timeoutSetting.name) ? numberSetting(ctx, timeoutSetting, 60, { min: 1, max: MAX_TIMEOUT_SECONDS }) : undefined;

	const minSecondsBetween = numberSetting(ctx, { displayName: 'Min Seconds Between Emails', name: 'minSecondsBetween' }, 60, { min: 0, max: MAX_PAUSE_SECONDS, tooLarge: PAUSE_TOO_LARGE });
	const maxPerRun = numberSetting(ctx, { displayName: 'Max Emails per Run', name: 'maxPerRun' }, 50, { min: 0, whole: true });

	return { dryRun, fallbackLanguage, saveToSentFolder, sentFolder, fields, attachLetter, maxAttempts, retryDelaySeconds, defaultCurrency, locale, timeoutSeconds, minSecondsBetween, maxPerRun };
}

/**
 * Attachments (Input Binary Fields), read per item: names separated by commas, or a list of names
 * (an expression over the item's file list, `{{ $json.files }}`). Anything else fails the item.
 */
export function attachmentNames(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const setting = { displayName: 'Attachments (Input Binary Fields)', name: 'attachmentProperties' };
	const value = ctx.getNodeParameter(setting.name, itemIndex, '');
	const expected = 'names of input binary fields, as text separated by commas (e.g. data, invoicePdf) or as a list of texts';
	let names: string[];
	if (value === undefined || value === null) names = [];
	else if (typeof value === 'string') names = value.split(',');
	else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) names = value as string[];
	else throw new SettingError(`"${setting.displayName}" (${setting.name}) must be ${expected}, not ${shown(value)}`);
	return names.map((s) => s.trim()).filter(Boolean);
}

/** Template Field, read per item: the name of the item's field with its texts. */
export function templateFieldName(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('templateField', itemIndex, 'templates');
	if (typeof value !== 'string' || value.trim() === '') {
		throw new SettingError(`"Template Field" (templateField) must be the name of the item's field with its texts, e.g. templates, not ${typeof value === 'string' ? 'empty' : shown(value)}`);
	}
	return value.trim();
}
