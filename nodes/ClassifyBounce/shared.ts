/** What both versions of Classify Bounce share: reading the message and the source parameters. */
import { errorItem } from '../shared/error-item';
import { readNumberSetting } from '../shared/number-setting';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { classifyMessage, messageFromEmailTriggerFields, messageFromText, startsWithHeader, DEFAULT_MAX_DEPTH, notRead, ownDomainList, type BounceResult } from '../../lib/bounce';

const TOO_LARGE = 'Not classified: Read Mailbox did not read this message because it is larger than its Max Message Size';
const NO_CONTENT = 'Not classified: the mail server sent no content for this message (Read Mailbox says why in error)';
const NOT_CLASSIFIED = 'Not classified: ';
/** Read Mailbox's Max Message Size: what it passes on, this node reads (lib/bounce's own default is 10 MB). */
const DEFAULT_MAX_SIZE_MB = 25;

export type Source = 'binary' | 'text' | 'emailTrigger';

interface Options {
	maxSizeMb?: unknown;
	maxDepth?: unknown;
	ownDomains?: unknown;
}

function readPath(json: IDataObject, path: string): unknown {
	let value: unknown = json;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

/** Errors of items without the Input Binary Field: each item's own, unless no item of the run has it (classifyItems). */
const missingBinaryField = new WeakSet<NodeOperationError>();

async function readMessage(ctx: IExecuteFunctions, i: number, source: Source): Promise<Buffer> {
	const item = ctx.getInputData()[i];
	if (source === 'binary') {
		const property = (ctx.getNodeParameter('binaryPropertyName', i) as string).trim();
		if (!item.binary?.[property]) {
			const available = Object.keys(item.binary ?? {}).join(', ') || 'none';
			const error = new NodeOperationError(ctx.getNode(), `Item ${i} has no binary field "${property}" (its binary fields: ${available})`, {
				itemIndex: i,
				description: `Set "Input Binary Field" to the name under which the email file arrives (available: ${available}), or choose another Message Source.`,
			});
			missingBinaryField.add(error);
			throw error;
		}
		return await ctx.helpers.getBinaryDataBuffer(i, property);
	}
	if (source === 'text') {
		const field = (ctx.getNodeParameter('textField', i) as string).trim();
		const value = readPath(item.json, field);
		if (typeof value !== 'string' || value === '') {
			const found = value === undefined ? 'no such field' : value === null ? 'null' : value === '' ? 'empty text' : `a value of type ${typeof value}`;
			throw new NodeOperationError(ctx.getNode(), `Item ${i}: field "${field}" does not hold the email source as text (found ${found})`, {
				itemIndex: i,
				description: 'Set "Text Field" to the field with the raw email.',
			});
		}
		// The Email Trigger's RAW format gives the source as base64url: read as text it would be no email at all.
		const raw = messageFromText(value);
		if (!startsWithHeader(raw)) {
			throw new NodeOperationError(ctx.getNode(), `Item ${i}: field "${field}" does not hold an email source: it does not start with a header line such as "From: …"`, {
				itemIndex: i,
				description: 'Set "Text Field" to the field with the complete raw email (headers, a blank line, the body), or choose another Message Source.',
			});
		}
		return raw;
	}
	const raw = messageFromEmailTriggerFields(item.json);
	if (!raw) {
		throw new NodeOperationError(ctx.getNode(), `Item ${i} has none of the Email Trigger fields (raw, headers, text, html)`, {
			itemIndex: i,
			description: 'Connect this node to an Email Trigger (IMAP) node, or choose another Message Source.',
		});
	}
	return raw;
}

const OWN_DOMAINS_EXAMPLE = 'List your organisation\'s domains separated by commas, e.g. "muster-gruppe.de, archiv-muster.de", or remove the option.';

function readOwnDomains(ctx: IExecuteFunctions, i: number, value: unknown): string[] {
	// An expression may give a list of domains, or anything else ({{ 5 }}): only text and lists of text are domains.
	const text = value === undefined || value === null ? '' : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(', ') : value;
	if (typeof text !== 'string') {
		throw new NodeOperationError(ctx.getNode(), `Item ${i}: option "Own Domains" must be text (domain names separated by commas), not ${JSON.stringify(value)}`, {
			itemIndex: i,
			description: OWN_DOMAINS_EXAMPLE,
		});
	}
	try {
		return ownDomainList(text);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Item ${i}: option "Own Domains": ${(error as Error).message}`, {
			itemIndex: i,
			description: OWN_DOMAINS_EXAMPLE,
		});
	}
}

/**
 * A limit from the options, which an expression may set to anything: 0, "" or "abc" would send every
 * message to Other, or turn the guard off (NaN compares false), so they fail naming the option.
 */
function positiveOption(ctx: IExecuteFunctions, i: number, name: string, value: unknown, fallback: number, whole: boolean): number {
	const read = readNumberSetting(value, { min: 0, minExclusive: true, whole, unsetIs: fallback });
	if ('value' in read) return read.value;
	throw new NodeOperationError(ctx.getNode(), `Item ${i}: option "${name}" ${read.problem}`, {
		itemIndex: i,
		description: `Remove the option to use the default (${fallback}), or set a value above 0.`,
	});
}

/** The parameters after each version's notice: where the message comes from, and the limits. */
export const sourceProperties: INodeProperties[] = [
		{
			displayName: 'Message Source',
			name: 'source',
			type: 'options',
			default: 'binary',
			options: [
				{
					name: 'Binary File (Raw Email)',
					value: 'binary',
					description: 'The complete email as a file, e.g. from Read Mailbox, IMAP Mailbox Trigger or an .eml file',
				},
				{
					name: 'Text Field (Raw Email)',
					value: 'text',
					description: 'A field holding the complete email source as text',
				},
				{
					name: 'Email Trigger (IMAP) Fields',
					value: 'emailTrigger',
					description: "The fields of n8n's built-in Email Trigger (IMAP) node: headers, text and HTML, or the raw source. For this package's IMAP Mailbox Trigger choose Binary File.",
				},
			],
			description: 'Where each item carries the email to classify',
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			displayOptions: { show: { source: ['binary'] } },
			description: 'Name of the input binary field that holds the email; Read Mailbox puts it in "data"',
		},
		{
			displayName: 'Text Field',
			name: 'textField',
			type: 'string',
			default: 'raw',
			required: true,
			displayOptions: { show: { source: ['text'] } },
			description: 'Name of the field with the raw email source (headers, blank line, body). Use dots for nested fields, e.g. message.raw.',
		},
		{
			displayName:
				'For the most reliable results set the Email Trigger\'s Format to "RAW"; with "Simple" or "Resolved" attachments such as the returned original are not available, so invoice numbers may be missing',
			name: 'triggerNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { source: ['emailTrigger'] } },
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Max Message Size (MB)',
					name: 'maxSizeMb',
					type: 'number',
					typeOptions: { minValue: 0.01 },
					default: DEFAULT_MAX_SIZE_MB,
					description:
						'Larger emails are not read and go to Other with a note. Bounces are small; a huge message is usually not one.',
				},
				{
					displayName: 'Max MIME Depth',
					name: 'maxDepth',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: DEFAULT_MAX_DEPTH,
					description: 'How deeply nested parts and attached emails are read before giving up, a guard against crafted messages',
				},
				{
					displayName: 'Own Domains',
					name: 'ownDomains',
					type: 'string',
					default: '',
					placeholder: 'e.g. muster-gruppe.de, archiv-muster.de',
					description:
						"Your organisation's other email domains, separated by commas: a group's second domain, a journal or archive domain. A failed address there that the reminder was not sent to is your own copy (Other, bounce.archiveCopy), not a dead customer address. The sender's own domain counts without being listed.",
					hint: "Do not list a domain you send reminders to (a subsidiary you dun), nor a provider's domain such as gmail.com or gmx.de",
				},
			],
		},
];

/**
 * Classifies every input item and puts each result on the output `route` names (one item per
 * failed recipient). An item whose message cannot be read (no binary, no text, not an email) fails
 * alone: under Continue On Fail as n8n's error item on `fallback` (or the error output); otherwise
 * it goes where a message Read Mailbox could not read goes (Other), as "not classified" with the
 * error naming item and field, so that the good items of the run are classified as usual. A bad
 * option (a limit, Own Domains) is a setting, not an item: it fails the run. So does an Input Binary
 * Field that no item of the run has (a wrong name, not one odd item): without Continue On Fail the
 * node fails with the first such item's error instead of routing every message to Other. Items Read
 * Mailbox passed on unread (too large, no content) do not count either way.
 */
export async function classifyItems(
	ctx: IExecuteFunctions,
	outputCount: number,
	route: (bounce: BounceResult) => number,
	fallback: number,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
	const fail = (i: number, error: unknown) => {
		if (!ctx.continueOnFail()) {
			throw error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
		}
		outputs[fallback].push(errorItem(ctx, items[i].json, i, (error as Error).message));
	};
	const notClassified = (i: number, diagnostic: string, extra: IDataObject = {}) => {
		const bounce = notRead(diagnostic);
		const out: INodeExecutionData = { json: { ...items[i].json, bounce: bounce as unknown as IDataObject, ...extra }, pairedItem: { item: i } };
		if (items[i].binary) out.binary = items[i].binary;
		outputs[route(bounce)].push(out);
	};

	/** Items whose message was looked for in a binary field, and the first that had no such field. */
	let binaryItems = 0;
	let missingBinaryFields = 0;
	let firstMissingBinaryField: NodeOperationError | undefined;
	for (let i = 0; i < items.length; i++) {
		let settings: { source: Source; maxBytes: number; maxDepth: number; ownDomains: string[] };
		try {
			const source = ctx.getNodeParameter('source', i) as Source;
			const options = ctx.getNodeParameter('options', i, {}) as Options;
			settings = {
				source,
				maxBytes: Math.round(positiveOption(ctx, i, 'Max Message Size (MB)', options.maxSizeMb, DEFAULT_MAX_SIZE_MB, false) * 1024 * 1024),
				maxDepth: positiveOption(ctx, i, 'Max MIME Depth', options.maxDepth, DEFAULT_MAX_DEPTH, true),
				ownDomains: readOwnDomains(ctx, i, options.ownDomains),
			};
		} catch (error) {
			fail(i, error);
			continue;
		}
		const { source, maxBytes, maxDepth, ownDomains } = settings;
		const unread = items[i].json.tooLarge === true ? TOO_LARGE : items[i].json.noContent === true ? NO_CONTENT : null;
		if (source === 'binary' && unread && !items[i].binary) {
			// Read Mailbox passed it on unread (over Max Message Size, or the server sent no content):
			// nothing to classify, nothing to fail the other messages on.
			notClassified(i, unread);
			continue;
		}
		if (source === 'binary') binaryItems++;
		let results: BounceResult[];
		try {
			const raw = await readMessage(ctx, i, source);
			results = await classifyMessage(raw, { maxBytes, maxDepth, ownDomains });
		} catch (error) {
			if (error instanceof NodeOperationError && missingBinaryField.has(error)) {
				missingBinaryFields++;
				firstMissingBinaryField ??= error;
			}
			if (ctx.continueOnFail()) {
				fail(i, error);
				continue;
			}
			// This item only: the others are classified, and this one says why it was not.
			const message = error instanceof Error ? error.message : String(error);
			notClassified(i, `${NOT_CLASSIFIED}${message}`, { error: message });
			continue;
		}
		for (const bounce of results) {
			const out: INodeExecutionData = {
				json: { ...items[i].json, bounce: bounce as unknown as IDataObject },
				pairedItem: { item: i },
			};
			if (items[i].binary) out.binary = items[i].binary;
			outputs[route(bounce)].push(out);
		}
	}
	if (firstMissingBinaryField && missingBinaryFields === binaryItems && !ctx.continueOnFail()) throw firstMissingBinaryField;
	return outputs;
}
