import { createHash } from 'node:crypto';

import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { readCurrencyCode } from '../../lib/dunning/currency';
import { DEFAULT_DAYS_IN_POST } from '../../lib/dunning/deadline-check';
import { showValue } from '../../lib/dunning/field-value';
import { AddressTooLongError } from '../../lib/letters/address-block';
import type { LetterForm } from '../../lib/letters/din5008';
import { buildLetterModel, DEFAULT_ADDRESS_FIELDS, LetterDetailsError, LetterInputError, letterToday, type AddressFieldNames, type LetterModel } from '../../lib/letters/letter-model';
import { LogoError, prepareLogo } from '../../lib/letters/logo';
import { LetterPdf } from '../../lib/letters/pdf';
import type { LetterTextLookup, LetterTexts } from '../../lib/letters/texts';
import { localeOption } from '../../lib/templates/locale';
import { letterLocaleProblem } from '../../lib/letters/letter-locale';
import { normalizeLanguage } from '../../lib/templates/render';
import { DEFAULT_FIELD_NAMES, type ReminderFieldNames } from '../../lib/mail/reminder-item';
import { DetailsError, type BusinessDetails } from '../../lib/payment/details';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { companyProperties, isDetailsProblem, readCompanyDetails } from '../shared/company-details';
import { addressFieldOptions, addressFieldsCollection, letterFieldNamesCollection, letterFieldOptions } from './properties';
import { errorItem } from '../shared/error-item';
import { localeProperty } from '../shared/locale-property';
import { checkFixedTextLanguages, ownTextsPerItem, type OwnTextsSetting } from '../shared/own-texts-per-item';
import { runSettingMessage } from '../shared/run-setting';
import { readTextSetting, type TextSettingRead } from '../shared/text-setting';
import { readNumberSetting } from '../shared/number-setting';

/**
 * A letter that cannot be made: what to fix, for the error message and the error output. `setting`
 * marks a problem of the node's settings (an option, the company details) rather than of the
 * reminder's data. A reminder's own bad data fails that letter alone, and the others are made. A
 * setting wrong for every item means no letter can be made until it is fixed: without Continue On
 * Fail the node stops and says so, as Compute Dunning Level does for its policy (see settingWrongForAll).
 */
interface Failure {
	failed: true;
	field: string;
	message: string;
	setting?: boolean;
}

const failed = (field: string, message: string): Failure => ({ failed: true, field, message });
const settingFailed = (field: string, message: string): Failure => ({ failed: true, field, message, setting: true });
const isFailure = (value: unknown): value is Failure => typeof value === 'object' && value !== null && (value as Failure).failed === true;

/** The core's errors say which field is wrong; anything else keeps its message. */
function failureOf(error: unknown): Failure {
	if (error instanceof LetterDetailsError || error instanceof DetailsError) return settingFailed(error.field, error.message);
	if (error instanceof LetterInputError) return failed(error.field, error.message);
	if (error instanceof AddressTooLongError) return failed('address', error.message);
	if (error instanceof LogoError) return failed('logo', error.message);
	return failed('', error instanceof Error ? error.message : String(error));
}

/** More than a month in the post is a slip (a date typed into the field), not a delivery time. */
const MAX_DAYS_IN_POST = 30;

/** An option as the panel shows it and as expressions name it. */
interface Setting {
	displayName: string;
	name: string;
}

const OPTION = {
	letterDate: { displayName: 'Letter Date', name: 'letterDate' },
	daysInPost: { displayName: 'Days in the Post', name: 'daysInPost' },
	logoBinaryProperty: { displayName: 'Logo (Input Binary Field)', name: 'logoBinaryProperty' },
	fallbackLanguage: { displayName: 'Fallback Language', name: 'fallbackLanguage' },
	defaultCurrency: { displayName: 'Default Currency', name: 'defaultCurrency' },
	form: { displayName: 'Layout', name: 'form' },
	batchFileName: { displayName: 'Batch File Name', name: 'batchFileName' },
	binaryPropertyName: { displayName: 'Put Output File in Field', name: 'binaryPropertyName' },
	locale: { displayName: 'Locale', name: 'locale' },
} as const satisfies Record<string, Setting>;

/** The node's own wording per level and language (a fixedCollection of texts). */
const LETTER_TEXTS = { displayName: 'Letter Texts', name: 'letterTexts' } as const satisfies OwnTextsSetting;

/** An entry of Letter Texts: the parts of a letter, for a level and language. */
type LetterTextEntry = Partial<LetterTexts> & { language?: unknown; level?: unknown };

/** `"Letter Date" (letterDate) must be …, not 20260310`: a setting's problem, in the words run settings use. */
const settingProblem = (setting: Setting, problem: string): string => `"${setting.displayName}" (${setting.name}) ${problem}`;

/** What one item's letter is made with: the options, address field names and output field, checked. */
interface ItemSettings {
	form: LetterForm;
	fallbackLanguage: string;
	/** YYYY-MM-DD, or empty: dunning.asOf, else today. */
	letterDate: string;
	/** Days from the letter date to the day it likely arrives: the payment period counts from then. */
	daysInPost: number;
	logoProperty: string;
	defaultCurrency: string;
	address: AddressFieldNames;
	/** Where the invoice's values are (Field Names); the greeting's name is the address's. */
	fields: ReminderFieldNames;
	/** Where the PDF goes (per item; the print batch reads it once). */
	binaryProperty: string;
}

/**
 * A collection parameter (Options, Customer Address Fields) for item i, resolved as a whole as
 * before (an expression's date comes as text). When an expression in it cannot be evaluated for
 * this item, each of its options is read on its own: `unreadable` holds why, by option name, so the
 * option is named and the others are still checked (read on its own, an expression's date stays a
 * date and is refused as no text; the item fails anyway).
 */
function readCollection(ctx: IExecuteFunctions, name: string, i: number): { values: IDataObject; unreadable: Map<string, string> } {
	const unreadable = new Map<string, string>();
	try {
		const values = ctx.getNodeParameter(name, i, {}) as IDataObject | null;
		return { values: values !== null && typeof values === 'object' ? values : {}, unreadable };
	} catch {
		const raw = ctx.getNodeParameter(name, i, {}, { rawExpressions: true }) as IDataObject | null;
		const values: IDataObject = {};
		for (const key of Object.keys(raw !== null && typeof raw === 'object' ? raw : {})) {
			try {
				values[key] = ctx.getNodeParameter(`${name}.${key}`, i) as IDataObject[string];
			} catch (error) {
				unreadable.set(key, `could not be read: ${(error as Error).message}`);
			}
		}
		return { values, unreadable };
	}
}

/**
 * Options are read per item (an expression may differ per item) and checked for type and form.
 * Every wrong one is returned, in the panel's order (the first is reported): a setting wrong for
 * every item stops the run, and one wrong for item 0 alone must not hide it (settingWrongForAll).
 */
function readItemSettings(ctx: IExecuteFunctions, i: number, perItemFile: boolean): ItemSettings | Failure[] {
	const problems: Failure[] = [];
	const wrong = (setting: Setting, problem: string): undefined => {
		problems.push(settingFailed(setting.name, settingProblem(setting, problem)));
		return undefined;
	};
	const options = readCollection(ctx, 'options', i);
	const addressFields = readCollection(ctx, 'addressFields', i);
	/** An option's value, or undefined with its problem noted when its expression failed. */
	const value = (from: typeof options, key: string, setting: Setting): { value: unknown } | undefined => {
		const unreadable = from.unreadable.get(key);
		return unreadable === undefined ? { value: from.values[key] } : wrong(setting, unreadable);
	};
	const text = (from: typeof options, key: string, setting: Setting, fallback: string, expected: string): string | undefined => {
		const got = value(from, key, setting);
		if (got === undefined) return undefined;
		const read = readTextSetting(got.value, fallback, expected);
		return 'problem' in read ? wrong(setting, read.problem) : read.value;
	};

	let letterDate = text(options, 'letterDate', OPTION.letterDate, '', 'a date as text like 2026-03-10 (for today: {{ $today.toISODate() }})');
	if (letterDate !== undefined && letterDate !== '' && !(/^\d{4}-\d{2}-\d{2}$/.test(letterDate) && DateTime.fromISO(letterDate).isValid)) {
		letterDate = wrong(OPTION.letterDate, `must be a date like 2026-03-10 (for today: {{ $today.toISODate() }}), not ${showValue(letterDate)}`);
	}
	const daysInPostValue = value(options, 'daysInPost', OPTION.daysInPost);
	let daysInPost: number | undefined;
	if (daysInPostValue !== undefined) {
		const read = readNumberSetting(daysInPostValue.value, { min: 0, max: MAX_DAYS_IN_POST, whole: true, unit: 'days', unsetIs: DEFAULT_DAYS_IN_POST });
		daysInPost = 'problem' in read ? wrong(OPTION.daysInPost, read.problem) : read.value;
	}
	const logoProperty = text(options, 'logoBinaryProperty', OPTION.logoBinaryProperty, '', 'the name of a binary field as text, e.g. logo');
	let fallbackLanguage = text(options, 'fallbackLanguage', OPTION.fallbackLanguage, 'de', 'a language code as text, e.g. de, en or de-AT');
	if (fallbackLanguage !== undefined && normalizeLanguage(fallbackLanguage) === undefined) {
		fallbackLanguage = wrong(OPTION.fallbackLanguage, `must be a language code like de, en or de-AT, not ${showValue(fallbackLanguage)}`);
	}
	const currencyText = text(options, 'defaultCurrency', OPTION.defaultCurrency, 'EUR', 'a three-letter currency code as text, e.g. EUR');
	let defaultCurrency: string | undefined;
	if (currencyText !== undefined) {
		const currencyRead = readCurrencyCode(currencyText);
		defaultCurrency = currencyRead.ok ? currencyRead.code : wrong(OPTION.defaultCurrency, currencyRead.problem);
	}
	const formValue = value(options, 'form', OPTION.form);
	let form: LetterForm | undefined;
	if (formValue !== undefined) {
		const given = formValue.value ?? 'B';
		form = given === 'A' || given === 'B' ? given : wrong(OPTION.form, `must be A or B (DIN 5008 form A or B), not ${showValue(given)}`);
	}

	const address = { ...DEFAULT_ADDRESS_FIELDS };
	for (const key of Object.keys(DEFAULT_ADDRESS_FIELDS) as Array<keyof AddressFieldNames>) {
		const option = addressFieldOptions.find((o) => o.name === `${key}Field`)!;
		const setting = { displayName: `Customer Address Fields › ${option.displayName}`, name: option.name };
		const name = text(addressFields, option.name, setting, DEFAULT_ADDRESS_FIELDS[key], `the name of a field of the items as text, e.g. ${DEFAULT_ADDRESS_FIELDS[key]}`);
		if (name !== undefined) address[key] = name;
	}

	const fieldNames = readCollection(ctx, 'fieldNames', i);
	const fields: ReminderFieldNames = { ...DEFAULT_FIELD_NAMES, customerName: address.name };
	for (const option of letterFieldOptions) {
		const key = option.name as keyof ReminderFieldNames;
		const setting = { displayName: `Field Names › ${option.displayName}`, name: `fieldNames.${option.name}` };
		const name = text(fieldNames, option.name, setting, DEFAULT_FIELD_NAMES[key], `the name of a field of the items as text, e.g. ${DEFAULT_FIELD_NAMES[key]}`);
		if (name !== undefined) fields[key] = name;
	}

	let binaryProperty: string | undefined = 'letter';
	if (perItemFile) {
		const read = binaryPropertyValue(ctx, i);
		binaryProperty = 'problem' in read ? wrong(OPTION.binaryPropertyName, read.problem) : read.value;
	}
	if (problems.length) return problems;
	return { form: form!, fallbackLanguage: fallbackLanguage!, letterDate: letterDate!, daysInPost: daysInPost!, logoProperty: logoProperty!, defaultCurrency: defaultCurrency!, address, fields, binaryProperty: binaryProperty! };
}

/** Put Output File in Field, for item `i`: the name of a binary field. */
function binaryPropertyValue(ctx: IExecuteFunctions, i: number): TextSettingRead {
	let value: unknown;
	try {
		value = ctx.getNodeParameter(OPTION.binaryPropertyName.name, i, 'letter');
	} catch (error) {
		return { problem: `could not be read: ${(error as Error).message}` };
	}
	return readTextSetting(value, 'letter', 'the name of a binary field as text, e.g. letter');
}

/**
 * Without Continue On Fail, the setting that is wrong for every item, if any: its failure on item
 * 0. `wrongSettings[i]` lists every setting found wrong for item i.
 *
 * Why per setting and not per run: an option may be an expression over the item
 * (`{{ $json.letterDate }}`), and then a value wrong for one item is that item's bad data, like a
 * missing street: it fails that letter alone, and the others are made (a print batch lists it as
 * failed). A constant wrong setting (a mistyped IBAN, `{{ 20260310 }}` as Letter Date) is wrong for
 * every item: no letter can be made until it is fixed, so the run stops naming it instead of
 * handing on a pile of failed items. Options, company details and Letter Texts are checked in full
 * for every item, so a setting wrong for all is found as such even where another problem comes first.
 */
function settingWrongForAll(wrongSettings: ReadonlyArray<readonly Failure[] | undefined>, itemCount: number): Failure | undefined {
	if (itemCount === 0) return undefined;
	const everyItem = (field: string) => Array.from({ length: itemCount }, (_, i) => wrongSettings[i] ?? []).every((wrong) => wrong.some((f) => f.field === field));
	return (wrongSettings[0] ?? []).find((f) => everyItem(f.field));
}

/**
 * Locale, read once per run from the first item, as Send Reminder Email reads its own: the letters
 * of one run (one print batch) are written alike. Empty: undefined, each letter in its reader's
 * locale (readerLocale). A value that is no locale is the run's problem, naming the option.
 */
function readLocale(ctx: IExecuteFunctions): { locale: string | undefined } | { problem: string } {
	const options = readCollection(ctx, 'options', 0);
	const unreadable = options.unreadable.get(OPTION.locale.name);
	if (unreadable !== undefined) return { problem: runSettingMessage(unreadable, { setting: OPTION.locale, itemPrefix: true }) };
	try {
		const locale = localeOption(options.values[OPTION.locale.name], OPTION.locale.displayName);
		const unprintable = locale === undefined ? null : letterLocaleProblem(locale);
		if (unprintable) return { problem: runSettingMessage(`The option "${OPTION.locale.displayName}" ("${locale}") ${unprintable}`, { itemPrefix: true }) };
		return { locale };
	} catch (error) {
		return { problem: runSettingMessage((error as Error).message, { itemPrefix: true }) };
	}
}

/** Most runs put the same logo on every item: each distinct file is prepared once. */
type PreparedLogos = Map<string, Buffer | LogoError>;

async function logoOf(ctx: IExecuteFunctions, i: number, property: string, prepared: PreparedLogos): Promise<Buffer | null | Failure> {
	if (!property) return null;
	if (!ctx.getInputData()[i].binary?.[property]) {
		return failed(property, `The logo binary field "${property}" is not on this item; add the logo file (PNG or JPEG) to every item, e.g. with Read Files or Merge, or clear "Logo (Input Binary Field)"`);
	}
	const data = await ctx.helpers.getBinaryDataBuffer(i, property);
	const key = createHash('sha256').update(data).digest('hex');
	if (!prepared.has(key)) prepared.set(key, prepareLogo(data));
	const logo = prepared.get(key)!;
	return logo instanceof LogoError ? failed(property, logo.message) : logo;
}

// Not offered as an AI tool: its result is a PDF in a binary field, and a tool answers an agent with JSON only.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class CreateReminderLetter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Create Reminder Letter',
		name: 'createReminderLetter',
		icon: { light: 'file:createReminderLetter.svg', dark: 'file:createReminderLetter.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "printBatch" ? "Join Into Print Batch" : "One PDF per Reminder"}}',
		description: 'Create payment reminder letters as PDF (DIN 5008, window envelope) with invoice table, payment details and GiroCode',
		defaults: { name: 'Create Reminder Letter' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Put this after Compute Dunning Level’s Paper output (or after Send Reminder Email for reminders that went to paper). Each item is one reminder: one invoice, or a customer’s invoices grouped into one collective letter.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Create Letter per Item',
						value: 'perItem',
						action: 'Create a letter per item',
						description: 'Adds a PDF letter to every item, e.g. to archive or upload it',
					},
					{
						name: 'Join Into Print Batch',
						value: 'printBatch',
						action: 'Join letters into print batch',
						description: 'Writes one PDF with all letters of the run, each starting on a new sheet, to print at once or send to a letter service',
					},
				],
				default: 'perItem',
			},
			...companyProperties(),
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'letter',
				required: true,
				description: 'Name of the output binary field that receives the PDF (in a print batch, the field of its one output item)',
			},
			addressFieldsCollection,
			letterFieldNamesCollection,
			{
				displayName: 'Letter Texts',
				name: 'letterTexts',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Text for a Level and Language',
				default: {},
				hint: 'Type placeholders as {{customerName}} (fixed mode). An n8n expression here is read for each item, and the values it inserts become template text: not HTML-escaped, and {{…}} in them is read as a placeholder.',
				description:
					'Your own wording per level and language, as Handlebars like the email texts: {{customerName}}, {{invoiceNumber}}, {{money totalDue}}, {{date deadline}}, {{payment.iban}}, {{merchant.name}} or any item field. The invoice table, totals and payment block are always printed. Empty parts and other levels use the shipped texts (de, en).',
				options: [
					{
						displayName: 'Text',
						name: 'text',
						values: [
							{ displayName: 'Closing', name: 'closing', type: 'string', typeOptions: { rows: 5 }, default: '', description: 'Text after the totals: deadline, what happens next, greeting and signature' },
							{ displayName: 'Introduction', name: 'intro', type: 'string', typeOptions: { rows: 5 }, default: '', description: 'Salutation and the text before the invoice table' },
							{ displayName: 'Language', name: 'language', type: 'string', default: 'de', description: 'Language code this text is for, e.g. de, en or de-AT. A text for de-DE also serves items in plain de when there is no text for de itself.' },
							{ displayName: 'Level', name: 'level', type: 'number', typeOptions: { minValue: 1, numberPrecision: 0 }, default: 1, description: 'Dunning level this text is for (1 = payment reminder)' },
							{ displayName: 'Subject', name: 'subject', type: 'string', default: '', placeholder: 'e.g. Zahlungserinnerung zu Rechnung {{invoiceNumber}}', description: 'Subject line in bold above the text; empty uses the shipped one' },
						],
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Batch File Name',
						name: 'batchFileName',
						type: 'string',
						default: 'letters-{date}.pdf',
						description: 'File name of the print batch; {date} becomes the letter date',
						displayOptions: { show: { '/operation': ['printBatch'] } },
					},
					{
						displayName: 'Days in the Post',
						name: 'daysInPost',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_DAYS_IN_POST },
						default: DEFAULT_DAYS_IN_POST,
						description:
							'How many days a letter takes to reach the customer. The payment deadline printed in the letter is counted from the day it likely arrives (letter date + these days), so the customer still gets the whole payment period, and it never falls on a weekend or public holiday. A deadline Compute Dunning Level set later than that is kept. 0: counted from the letter date.',
						hint: 'Letters of an older Compute Dunning Level, or items built by hand without dunning.paymentPeriodDays, print their deadline as given.',
					},
					{
						displayName: 'Default Currency',
						name: 'defaultCurrency',
						type: 'string',
						default: 'EUR',
						description: 'Currency of invoices that have none. Only euro letters get a GiroCode.',
					},
					{
						displayName: 'Fallback Language',
						name: 'fallbackLanguage',
						type: 'string',
						default: 'de',
						description: 'Language of the letter when the item’s language has no text (shipped: de, en)',
					},
					{
						displayName: 'Layout',
						name: 'form',
						type: 'options',
						options: [
							{ name: 'DIN 5008 Form B', value: 'B', description: '45 mm letterhead, address field 45 mm from the top; the usual choice' },
							{ name: 'DIN 5008 Form A', value: 'A', description: '27 mm letterhead, address field 27 mm from the top, for a small letterhead' },
						],
						default: 'B',
						description: 'Where the address sits so it shows in a window envelope (DL or C5/6)',
					},
					{
						displayName: 'Letter Date',
						name: 'letterDate',
						type: 'string',
						default: '',
						placeholder: 'e.g. 2026-03-10',
						description: 'Date printed on the letter (YYYY-MM-DD). Empty: the day Compute Dunning Level decided on (dunning.asOf), else today.',
					},
					localeProperty(
						'Format amounts and dates in the letters for this locale (a tag like de-AT, with a hyphen) instead of the one that follows from the item’s language (de-CH → de-CH, de → de-DE, en → en-GB). A value that is no locale stops the run.',
					),
					{
						displayName: 'Logo (Input Binary Field)',
						name: 'logoBinaryProperty',
						type: 'string',
						default: '',
						placeholder: 'e.g. logo',
						description: 'Name of the input binary field with a PNG or JPEG on each item, printed top right in the letterhead. Empty: no logo.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const continueOnFail = this.continueOnFail();

		/**
		 * A setting read once for the whole run is wrong: no letter can be made. Without Continue On
		 * Fail the node stops naming it; with it every item comes out failed, naming it (a thrown error
		 * would pass the items on to the success output, as if their letters were made).
		 */
		const failRun = (field: string, message: string): INodeExecutionData[][] => {
			if (!continueOnFail) throw new NodeOperationError(this.getNode(), message, field ? { description: `Field: ${field}` } : {});
			return [items.map((item, i) => errorItem(this, { ...item.json, letter: { status: 'failed', ...(field ? { field } : {}) } }, i, message, item.binary))];
		};

		const operation = this.getNodeParameter('operation', 0) as string;
		if (operation !== 'perItem' && operation !== 'printBatch') return failRun('operation', `"Operation" (operation) must be perItem or printBatch, not ${showValue(operation)}`);

		// Letter Texts are read for each item (an n8n expression in a text is that customer's, never the
		// first item's), matched to languages as the email texts are. A language typed in that is no
		// code could serve no item: it stops the node before any letter, as before.
		let textsOf: (itemIndex: number) => LetterTextLookup;
		try {
			checkFixedTextLanguages(this, LETTER_TEXTS);
			textsOf = ownTextsPerItem<LetterTextEntry, LetterTextLookup>(this, LETTER_TEXTS, (own) => own);
		} catch (error) {
			return failRun(LETTER_TEXTS.name, (error as Error).message);
		}

		// The print batch's file name and field are read once, from the first item (one file per run):
		// checked before any letter is made. An expression of another option that fails for item 0
		// fails that letter alone (readCollection), not the run.
		let batchFileName = '';
		let batchProperty = '';
		if (operation === 'printBatch') {
			const options = readCollection(this, 'options', 0);
			const unreadable = options.unreadable.get('batchFileName');
			const name: TextSettingRead = unreadable !== undefined ? { problem: unreadable } : readTextSetting(options.values.batchFileName, 'letters-{date}.pdf', 'a file name as text, e.g. letters-{date}.pdf');
			if ('problem' in name) return failRun(OPTION.batchFileName.name, runSettingMessage(name.problem, { setting: OPTION.batchFileName, itemPrefix: true }));
			const property = binaryPropertyValue(this, 0);
			if ('problem' in property) return failRun(OPTION.binaryPropertyName.name, runSettingMessage(property.problem, { setting: OPTION.binaryPropertyName, itemPrefix: true }));
			batchFileName = name.value;
			batchProperty = property.value;
		}

		const localeRead = readLocale(this);
		if ('problem' in localeRead) return failRun(OPTION.locale.name, localeRead.problem);
		const { locale } = localeRead;

		const env = new TemplateEnvironment();
		const detailsCache = new Map<string, BusinessDetails>();
		const preparedLogos: PreparedLogos = new Map();
		const out: INodeExecutionData[] = [];
		const batch = operation === 'printBatch' ? new LetterPdf() : undefined;
		const batchEntries: IDataObject[] = [];
		let batchDate = '';
		let failures = 0;
		/** Per item, every setting found wrong for it: one wrong for every item stops the run (settingWrongForAll). */
		const wrongSettings: Failure[][] = [];

		/** Item i's letter is not made: `problems[0]` says why; the rest are further wrong settings. */
		const fail = (i: number, problems: readonly Failure[]) => {
			const f = problems[0];
			const message = `Item ${i}: ${f.message}`;
			wrongSettings[i] = problems.filter((p) => p.setting);
			failures++;
			batchEntries.push({ item: i, status: 'failed', field: f.field, error: f.message });
			// A print batch without Continue On Fail is one item: it lists the failed letters. Else the
			// failed item comes out as itself, with its status and the error (on the error output, when chosen).
			if (batch && !continueOnFail) return;
			const letter = { status: 'failed', ...(f.field ? { field: f.field } : {}) };
			out.push(errorItem(this, { ...items[i].json, letter }, i, message, items[i].binary));
		};

		/** The company details for item i, checked once per distinct value. */
		const detailsOf = (i: number): BusinessDetails | Failure => {
			let details: ReturnType<typeof readCompanyDetails>;
			try {
				details = readCompanyDetails(this, i, detailsCache);
			} catch (error) {
				return settingFailed('companyDetails', `The company details could not be read: ${(error as Error).message}`);
			}
			if (details === null) return settingFailed('companySource', 'Company details are needed for a letter');
			return isDetailsProblem(details) ? settingFailed(details.field, details.message) : details;
		};

		/**
		 * Letter Texts for item i. Texts that fail for this item (an expression that cannot be read
		 * for it, a language by expression that is no code) fail its letter, naming Letter Texts; as
		 * a setting, so that texts failing for every item stop the run as an option would (settingWrongForAll).
		 */
		const customTextsOf = (i: number): LetterTextLookup | Failure => {
			try {
				return textsOf(i);
			} catch (error) {
				return settingFailed(LETTER_TEXTS.name, (error as Error).message);
			}
		};

		/** The item's letter, decided but not drawn; or why it cannot be made (the first problem reported). Never throws. */
		const letterOf = async (i: number): Promise<{ model: LetterModel; settings: ItemSettings } | Failure[]> => {
			try {
				const settings = readItemSettings(this, i, !batch);
				// Read even when an option is wrong: details or texts wrong for every item must be known as such.
				const details = detailsOf(i);
				const customTexts = customTextsOf(i);
				if (Array.isArray(settings) || isFailure(details) || isFailure(customTexts)) {
					return [...(Array.isArray(settings) ? settings : []), ...(isFailure(details) ? [details] : []), ...(isFailure(customTexts) ? [customTexts] : [])];
				}
				const logo = await logoOf(this, i, settings.logoProperty, preparedLogos);
				if (isFailure(logo)) return [logo];
				const model = buildLetterModel(items[i].json, {
					fields: settings.fields,
					address: settings.address,
					details,
					env,
					fallbackLanguage: settings.fallbackLanguage,
					form: settings.form,
					date: settings.letterDate || undefined,
					daysInPost: settings.daysInPost,
					defaultCurrency: settings.defaultCurrency,
					locale,
					// Only for items without dunning.timezone, the zone Compute decided in (readingTimezone).
					timezone: this.getTimezone(),
					logo,
					customTexts,
				});
				return { model, settings };
			} catch (error) {
				return [failureOf(error)];
			}
		};

		for (let i = 0; i < items.length; i++) {
			const made = await letterOf(i);
			if (Array.isArray(made)) {
				fail(i, made);
				continue;
			}
			const { model, settings } = made;
			const summary = { ...model.summary, fileName: model.fileName, language: model.language, form: model.form };
			if (batch) {
				const first = batch.pages + 1;
				try {
					const layout = batch.add(model);
					batchEntries.push({ item: i, status: 'included', ...summary, firstPage: first, pages: layout.pages.length });
					batchDate ||= model.date;
				} catch (error) {
					// Failing while laying out leaves the batch as it was: this letter fails alone. Pages
					// already drawn cannot be taken back out of the batch: then no batch is made, and every
					// item says why (the logo is checked before, so nothing known gets here).
					if (batch.pages === first - 1) {
						fail(i, [failureOf(error)]);
						continue;
					}
					const f = failureOf(error);
					return failRun(f.field, `Item ${i}: ${f.message} (its pages were drawn already, so the print batch could not be finished; no letter was printed)`);
				}
				continue;
			}
			let letter: INodeExecutionData | Failure;
			try {
				const pdf = new LetterPdf({ title: model.subject, author: model.company.name });
				const layout = pdf.add(model);
				const data = await this.helpers.prepareBinaryData(await pdf.end(), model.fileName, 'application/pdf');
				letter = {
					json: { ...items[i].json, letter: { status: 'created', ...summary, pages: layout.pages.length } },
					binary: { ...(items[i].binary ?? {}), [settings.binaryProperty]: data },
					pairedItem: { item: i },
				};
			} catch (error) {
				letter = failureOf(error);
			}
			if (isFailure(letter)) fail(i, [letter]);
			else out.push(letter);
		}

		const wrongForAll = continueOnFail ? undefined : settingWrongForAll(wrongSettings, items.length);
		if (wrongForAll) {
			throw new NodeOperationError(this.getNode(), `Item 0: ${wrongForAll.message}`, { itemIndex: 0, description: wrongForAll.field ? `Field: ${wrongForAll.field}` : undefined });
		}

		if (failures > 0) {
			this.addExecutionHints({
				message:
					batch && !continueOnFail
						? `${failures} of ${items.length} letters could not be made: the print batch lists them in "letters" with status "failed" and the reason.`
						: `${failures} of ${items.length} letters could not be made: each failed item says why in "error".`,
				type: 'warning',
				location: 'outputPane',
			});
		}

		if (batch) {
			const included = batchEntries.filter((e) => e.status === 'included');
			// No letter made: today in the workflow's timezone (not in UTC).
			const date = batchDate || letterToday(this.getTimezone());
			const fileName = batchFileName.replace(/\{date\}/g, date);
			const batchItem: INodeExecutionData = {
				json: { printBatch: { status: included.length ? 'created' : 'empty', fileName, letters: included.length, failed: batchEntries.length - included.length, pages: batch.pages, date }, letters: batchEntries },
				pairedItem: items.map((_, i) => ({ item: i })),
			};
			// An empty batch is no file to print: the item says so instead of carrying an empty PDF.
			if (included.length) {
				try {
					batchItem.binary = { [batchProperty]: await this.helpers.prepareBinaryData(await batch.end(), fileName, 'application/pdf') };
				} catch (error) {
					return failRun('', `The print batch could not be written: ${(error as Error).message}; no letter was printed`);
				}
			}
			out.unshift(batchItem);
		}
		return [out];
	}
}
