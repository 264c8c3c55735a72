import { createHash } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { AddressTooLongError } from '../../lib/letters/address-block';
import type { LetterForm } from '../../lib/letters/din5008';
import { buildLetterModel, DEFAULT_ADDRESS_FIELDS, LetterInputError, letterToday, type AddressFieldNames, type LetterModel } from '../../lib/letters/letter-model';
import { LogoError, prepareLogo } from '../../lib/letters/logo';
import { LetterPdf } from '../../lib/letters/pdf';
import type { LetterTextLookup, LetterTexts } from '../../lib/letters/texts';
import { ownTextLookup } from '../../lib/templates/own-texts';
import { DEFAULT_FIELD_NAMES } from '../../lib/mail/reminder-item';
import { DetailsError, type BusinessDetails } from '../../lib/payment/details';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { companyProperties, isDetailsProblem, readCompanyDetails } from '../shared/company-details';
import { addressFieldOptions } from './properties';
import { errorItem } from '../shared/error-item';

interface LetterNodeOptions {
	form?: LetterForm;
	fallbackLanguage?: string;
	letterDate?: string;
	logoBinaryProperty?: string;
	batchFileName?: string;
	defaultCurrency?: string;
}

/** A letter that cannot be made: what to fix, for the error message and the error output. */
interface Failure {
	failed: true;
	field: string;
	message: string;
}

const failed = (field: string, message: string): Failure => ({ failed: true, field, message });
const isFailure = (value: unknown): value is Failure => typeof value === 'object' && value !== null && (value as Failure).failed === true;

/** The core's errors say which field is wrong; anything else keeps its message. */
function failureOf(error: unknown): Failure {
	if (error instanceof LetterInputError || error instanceof DetailsError) return failed(error.field, error.message);
	if (error instanceof AddressTooLongError) return failed('address', error.message);
	if (error instanceof LogoError) return failed('logo', error.message);
	return failed('', (error as Error).message);
}

/** Most runs put the same logo on every item: each distinct file is prepared once. */
type PreparedLogos = Map<string, Buffer | LogoError>;

async function logoOf(ctx: IExecuteFunctions, i: number, property: string, prepared: PreparedLogos): Promise<Buffer | null | Failure> {
	if (!property) return null;
	if (!ctx.getInputData()[i].binary?.[property]) {
		return failed(property, `The logo binary property "${property}" is not on this item; add the logo file (PNG or JPEG) to every item, e.g. with Read Files or Merge, or clear Logo Binary Property`);
	}
	const data = await ctx.helpers.getBinaryDataBuffer(i, property);
	const key = createHash('sha256').update(data).digest('hex');
	if (!prepared.has(key)) prepared.set(key, prepareLogo(data));
	const logo = prepared.get(key)!;
	return logo instanceof LogoError ? failed(property, logo.message) : logo;
}

// Not offered as an AI tool: its result is a PDF in a binary property, and a tool answers an agent with JSON only.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class CreateReminderLetter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Create Reminder Letter',
		name: 'createReminderLetter',
		icon: { light: 'file:createReminderLetter.svg', dark: 'file:createReminderLetter.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "printBatch" ? "Join into print batch" : "One PDF per reminder"}}',
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
				description: 'The binary property the PDF is written to',
			},
			{
				displayName: 'Customer Address Fields',
				name: 'addressFields',
				type: 'collection',
				placeholder: 'Change Field Name',
				default: {},
				description: 'Where the customer’s postal address is in the input items. For a collective reminder the first invoice’s fields are used.',
				options: addressFieldOptions,
			},
			{
				displayName: 'Letter Texts',
				name: 'letterTexts',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Text for a Level and Language',
				default: {},
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
					{
						displayName: 'Logo Binary Property',
						name: 'logoBinaryProperty',
						type: 'string',
						default: '',
						placeholder: 'e.g. logo',
						description: 'A PNG or JPEG on each input item to print top right in the letterhead. Empty: no logo.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as 'perItem' | 'printBatch';
		const env = new TemplateEnvironment();
		const detailsCache = new Map<string, BusinessDetails>();
		const preparedLogos: PreparedLogos = new Map();
		const out: INodeExecutionData[] = [];
		const batch = operation === 'printBatch' ? new LetterPdf() : undefined;
		const batchEntries: IDataObject[] = [];
		let batchDate = '';

		const fail = (i: number, f: Failure) => {
			const message = `Item ${i}: ${f.message}`;
			if (!this.continueOnFail()) {
				throw new NodeOperationError(this.getNode(), message, { itemIndex: i, description: f.field ? `Field: ${f.field}` : undefined });
			}
			const letter = { status: 'failed', ...(f.field ? { field: f.field } : {}) };
			out.push(errorItem(this, { ...items[i].json, letter }, i, message, items[i].binary));
			batchEntries.push({ item: i, status: 'failed', field: f.field, error: f.message });
		};

		const ownTexts = ((this.getNodeParameter('letterTexts', 0, {}) as { text?: Array<Partial<LetterTexts> & { language?: string; level?: number }> }).text ?? []);
		// Matched to languages as the e-mail texts are; a text whose language is no code stops the node.
		let customTexts: LetterTextLookup;
		try {
			customTexts = ownTextLookup(ownTexts, 'Letter Texts');
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, { description: 'Field: letterTexts' });
		}

		for (let i = 0; i < items.length; i++) {
			const options = this.getNodeParameter('options', i, {}) as LetterNodeOptions;
			const address = { ...DEFAULT_ADDRESS_FIELDS };
			const fields = this.getNodeParameter('addressFields', i, {}) as Record<string, string>;
			for (const key of Object.keys(DEFAULT_ADDRESS_FIELDS) as Array<keyof AddressFieldNames>) {
				const name = fields[`${key}Field`];
				if (typeof name === 'string' && name.trim() !== '') address[key] = name.trim();
			}
			const date = (options.letterDate ?? '').trim();
			if (date !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
				fail(i, failed('letterDate', `Letter Date must look like 2026-03-10, got "${date}"`));
				continue;
			}
			const details = readCompanyDetails(this, i, detailsCache);
			if (details === null || isDetailsProblem(details)) {
				fail(i, details ? failed(details.field, details.message) : failed('companySource', 'Company details are needed for a letter'));
				continue;
			}
			const logo = await logoOf(this, i, (options.logoBinaryProperty ?? '').trim(), preparedLogos);
			if (isFailure(logo)) {
				fail(i, logo);
				continue;
			}
			let model: LetterModel;
			try {
				model = buildLetterModel(items[i].json, {
					fields: DEFAULT_FIELD_NAMES,
					address,
					details,
					env,
					fallbackLanguage: options.fallbackLanguage || 'de',
					form: options.form === 'A' ? 'A' : 'B',
					date: date || undefined,
					defaultCurrency: (options.defaultCurrency || 'EUR').trim().toUpperCase(),
					timezone: this.getTimezone(),
					logo,
					customTexts,
				});
			} catch (error) {
				fail(i, failureOf(error));
				continue;
			}
			const summary = { ...model.summary, fileName: model.fileName, language: model.language, form: model.form };
			if (batch) {
				const first = batch.pages + 1;
				try {
					const layout = batch.add(model);
					batchEntries.push({ item: i, status: 'included', ...summary, firstPage: first, pages: layout.pages.length });
					batchDate ||= (options.letterDate ?? '').trim() || String((items[i].json.dunning as IDataObject | undefined)?.asOf ?? '').slice(0, 10);
				} catch (error) {
					// Failing while laying out leaves the batch as it was: this letter fails alone. Pages
					// already drawn cannot be taken back out of the batch, so then the run stops, even
					// with Continue On Fail (the logo is checked before, so nothing known gets here).
					if (batch.pages === first - 1) {
						fail(i, failureOf(error));
						continue;
					}
					throw new NodeOperationError(this.getNode(), `Item ${i}: ${failureOf(error).message}`, { itemIndex: i });
				}
				continue;
			}
			try {
				const pdf = new LetterPdf({ title: model.subject, author: model.company.name });
				const layout = pdf.add(model);
				const data = await this.helpers.prepareBinaryData(await pdf.end(), model.fileName, 'application/pdf');
				const property = (this.getNodeParameter('binaryPropertyName', i) as string).trim() || 'letter';
				out.push({
					json: { ...items[i].json, letter: { status: 'created', ...summary, pages: layout.pages.length } },
					binary: { ...(items[i].binary ?? {}), [property]: data },
					pairedItem: { item: i },
				});
			} catch (error) {
				fail(i, failureOf(error));
			}
		}

		if (batch) {
			const included = batchEntries.filter((e) => e.status === 'included');
			// Today in the workflow's timezone, as the letters are dated (not in UTC).
			const date = batchDate || letterToday(this.getTimezone());
			const options = this.getNodeParameter('options', 0, {}) as LetterNodeOptions;
			const fileName = (options.batchFileName || 'letters-{date}.pdf').replace(/\{date\}/g, date);
			const property = (this.getNodeParameter('binaryPropertyName', 0) as string).trim() || 'letter';
			const batchItem: INodeExecutionData = {
				json: { printBatch: { status: included.length ? 'created' : 'empty', fileName, letters: included.length, failed: batchEntries.length - included.length, pages: batch.pages, date }, letters: batchEntries },
				pairedItem: items.map((_, i) => ({ item: i })),
			};
			// An empty batch is no file to print: the item says so instead of carrying an empty PDF.
			if (included.length) batchItem.binary = { [property]: await this.helpers.prepareBinaryData(await batch.end(), fileName, 'application/pdf') };
			out.unshift(batchItem);
		}
		return [out];
	}
}
