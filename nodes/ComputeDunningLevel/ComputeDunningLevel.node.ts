import { DateTime } from 'luxon';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { MAX_PAYMENT_ARRIVAL_DAYS } from '../../lib/dunning/policy';
import { policyWarnings } from '../../lib/dunning/policy-warnings';
import { errorItem } from '../shared/error-item';
import { fieldNamesCollection } from '../shared/field-names';
import {
	addressListText,
	checkAgainstRun,
	compilePolicy,
	createDecider,
	CustomerCredits,
	DEFAULT_STAGES,
	groupByCustomer,
	groupKey,
	memberBinaryClash,
	memberBinaryKey,
	InvoiceInputError,
	onlyText,
	RepeatedInvoices,
	type BaseRate,
	type CompiledPolicy,
	type DateInput,
	type Decider,
	type DunningDecision,
	type DunningPolicyInput,
	type FieldNames,
	type GroupEntry,
	type InterestFrom,
	type Invoice,
	type InvoiceField,
	type InvoiceInput,
	type InvoiceProblem,
	type InvoiceReader,
	type Stage,
} from '../../lib/dunning';
import { JsonCopier } from './copy-with-field';

/** Invoice fields in the order the panel lists them: name in the item, label, what it means to the operator. */
const FIELDS: Array<[InvoiceField, string, string]> = [
	['invoiceId', 'Invoice ID', 'Unique ID of the invoice (required); give each instalment its own ID'],
	['invoiceNumber', 'Invoice Number', 'Invoice number printed on the reminder'],
	['customerId', 'Customer ID', 'Customer ID, used to group several invoices into one reminder; while a customer has a credit (negative open amount) in a currency, their invoices in it wait (No Action, reason customerCredit), as they do while a row of theirs with a negative open amount cannot be read'],
	['customerType', 'Customer Type', '"consumer" or "business"; business debtors pay 9 instead of 5 points interest and the 40 EUR flat fee. Empty = consumer.'],
	['email', 'Email', 'Recipient address, several separated by commas (or a list); empty or unusable sends the reminder to Paper'],
	['language', 'Language', 'Correspondence language, e.g. de or en'],
	['invoiceDate', 'Invoice Date', 'Invoice date (needed only for the sales window)'],
	['dueDate', 'Due Date', 'Due date, e.g. 2026-01-31, 31.01.2026 or a timestamp; midnight in its own offset (…T00:00:00Z) is that day (required)'],
	['currency', 'Currency', 'ISO 4217 currency code such as EUR, CHF or USD (not XXX, "no currency"); empty = the default currency'],
	['amount', 'Amount', 'Invoice total'],
	['openAmount', 'Open Amount', 'Amount still open, with a decimal point (120.50); interest is charged on this (required). Below zero (credit note, overpaid): No Action, reason credit; below zero by no more than Claimed Charges (the customer paid a reminder’s total): reason chargesPaid'],
	['currentLevel', 'Current Level', 'Dunning level already reached, 0 = never reminded'],
	['lastDunnedAt', 'Last Reminder Date', 'Date of the last reminder'],
	[
		'firstDunnedAt',
		'First Reminder Date',
		'Date the first reminder (level 1) was sent; with Interest From "first reminder" default starts the day after its payment deadline. Empty: at level 1 the Last Reminder Date; from level 2 on the Last Reminder Date minus the stages’ days since level 1, never earlier than the real first reminder (so never more than is owed is claimed), later when stages waited for a deadline',
	],
	[
		'lastDeadline',
		'Last Reminder Deadline',
		'The payment deadline ("pay by") the last reminder stated: store it when a reminder was sent (Send Reminder Email’s delivery.statedDeadline, output only for status sent; Create Reminder Letter’s letter.statedDeadline; dunning.deadline only when neither is there). The next stage never goes out before this day has passed, even after Payment Deadline (Days) was shortened. Empty: estimated from the Last Reminder Date and today’s Payment Deadline',
	],
	[
		'firstDeadline',
		'First Reminder Deadline',
		'The payment deadline the first reminder (level 1) stated: store it when a level 1 reminder leaves, as the Last Reminder Deadline. With Interest From "first reminder" the customer is in default, and interest and the business flat fee start, the day after it. Empty: at level 1 the Last Reminder Deadline; else estimated from the First Reminder Date and today’s Payment Deadline',
	],
	[
		'claimedCharges',
		'Claimed Charges',
		'The fees, flat fee and interest the reminders sent so far asked for on top of the open amount (dunning.fee + dunning.flatFee + dunning.interest of the latest reminder, the most any asked). A customer who pays a reminder’s total leaves the open amount below zero by up to this much: No Action, reason chargesPaid, not a credit. The charges of the customer’s paid invoices in the run count too (a collective reminder’s total booked on one invoice). Empty = 0',
	],
	['parked', 'Parked', 'True to leave the invoice out (parked)'],
	['disputed', 'Disputed', 'True when the customer disputes the invoice'],
	['dunningBlock', 'Dunning Block', 'True when the invoice must not be dunned'],
	['emailBlocked', 'Email Blocked', 'True when an earlier reminder bounced: the reminder goes on Paper'],
	['dunningBlockReason', 'Dunning Block Reason', 'Why the block is set; "customerReplied" (set by the bounce workflow) gives reason customerReplied'],
	['emailRefusals', 'Email Refusals', 'How often the recipient’s side refused this level’s email (set by the bounce workflow); empty = 0'],
	['emailRefusedAt', 'Email Refused At', 'Date of the last refusal; the level is emailed again only after Retry Refused Email After (Days)'],
	['emailRefusedLevel', 'Email Refused Level', 'The level whose email was refused; refusals of another level are ignored. Empty = they count.'],
];

const stageFields: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		description: 'Name of this reminder, e.g. "1. Mahnung / First dunning"; templates can print it.',
	},
	{
		displayName: 'Days After Previous',
		name: 'daysAfterPrevious',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 7,
		description: 'For the first stage: days after the due date. For later stages: days after the previous reminder, and never before its payment deadline has passed.',
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: 'Send by email; invoices without a usable address go to Paper' },
			{ name: 'Letter', value: 'letter', description: 'Always goes to the Paper output' },
			{ name: 'None', value: 'none', description: 'Counts the level but sends nothing (e.g. handover to a collection agency)' },
		],
		default: 'email',
	},
	{
		displayName: 'Fee',
		name: 'fee',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description:
			'Fee this stage adds, in the invoice currency, e.g. 2.50. A reminder also claims the fees of all earlier stages, so enter this stage’s own fee, not a running total. Once a business customer owes the 40 EUR flat fee (§288(5) BGB), the fees count towards it: they owe the larger of the two, not both.',
	},
	{
		displayName: 'Charge Statutory Interest',
		name: 'chargeInterest',
		type: 'boolean',
		default: false,
		description: 'Whether this reminder claims default interest (§288 BGB) and, from business customers, the 40 EUR flat fee',
		hint: 'Charged only while Rules › Statutory Interest is on, from the day set in Rules › Interest From (by default the day after the first reminder’s deadline). The shipped stages charge from level 2; a stage you add starts with it off.',
	},
];

const defaultStages = DEFAULT_STAGES.map(({ name, daysAfterPrevious, channel, fee, chargeInterest }) => ({ name, daysAfterPrevious, channel, fee, chargeInterest }));

const defaultPolicyJson = JSON.stringify(
	{
		stages: defaultStages,
		graceDays: 0,
		minDaysBetweenReminders: 0,
		minOpenAmount: 0,
		salesWindowDays: 0,
		timezone: 'Europe/Berlin',
		paymentDeadlineDays: 7,
		paymentArrivalDays: 2,
		retryRefusedEmailAfterDays: 3,
		maxEmailRefusals: 1,
		businessDays: { enabled: false, region: 'DE' },
		statutoryInterest: { enabled: true, interestFrom: 'firstReminder' },
	},
	null,
	2,
);

/** The "Rules" collection: the policy's plain fields, plus flat stand-ins for its nested settings. */
interface RulesParameter extends Omit<DunningPolicyInput, 'stages' | 'businessDays' | 'statutoryInterest'> {
	shiftToBusinessDays?: boolean;
	holidayRegion?: string;
	statutoryInterest?: boolean;
	interestFrom?: InterestFrom;
	baseRates?: string | IDataObject[];
}

interface OptionsParameter {
	asOfDate?: DateInput;
	stopOnInvalidInput?: boolean;
	groupByCustomer?: boolean;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseJson(value: unknown, what: string): Parsed<unknown> {
	if (typeof value !== 'string') return { ok: true, value };
	try {
		return { ok: true, value: JSON.parse(value) as unknown };
	} catch (error) {
		return { ok: false, problem: `${what} is not valid JSON (${(error as Error).message})` };
	}
}

/** The policy as the operator set it up; its checks happen in compilePolicy. */
function policyFromParameters(ctx: IExecuteFunctions): Parsed<DunningPolicyInput> {
	const source = ctx.getNodeParameter('policySource', 0) as string;
	if (source === 'json') {
		const parsed = parseJson(ctx.getNodeParameter('policyJson', 0), 'Policy (JSON)');
		if (!parsed.ok) return parsed;
		const policy = parsed.value;
		if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return { ok: false, problem: 'Policy (JSON) must be one JSON object' };
		return { ok: true, value: policy as DunningPolicyInput };
	}
	const stages = (ctx.getNodeParameter('stages', 0, {}) as { stage?: Array<Partial<Stage>> }).stage ?? [];
	const rules = ctx.getNodeParameter('rules', 0, {}) as RulesParameter;
	const statutoryInterest: NonNullable<DunningPolicyInput['statutoryInterest']> = { enabled: rules.statutoryInterest ?? true, interestFrom: rules.interestFrom };
	if (rules.baseRates !== undefined && rules.baseRates !== '') {
		const parsed = parseJson(rules.baseRates, 'Base Rate Table (JSON)');
		if (!parsed.ok) return parsed;
		statutoryInterest.baseRates = parsed.value as BaseRate[];
	}
	return {
		ok: true,
		value: {
			retryRefusedEmailAfterDays: rules.retryRefusedEmailAfterDays,
			maxEmailRefusals: rules.maxEmailRefusals,
			stages,
			graceDays: rules.graceDays,
			minDaysBetweenReminders: rules.minDaysBetweenReminders,
			minOpenAmount: rules.minOpenAmount,
			maxLevel: rules.maxLevel,
			salesWindowDays: rules.salesWindowDays,
			timezone: rules.timezone,
			paymentDeadlineDays: rules.paymentDeadlineDays,
			paymentArrivalDays: rules.paymentArrivalDays,
			defaultCurrency: rules.defaultCurrency,
			businessDays: { enabled: rules.shiftToBusinessDays ?? false, region: rules.holidayRegion },
			statutoryInterest,
		},
	};
}

/** Reads a field by name; a name with dots ("customer.email") walks into nested objects. */
function makeReader(path: string): (json: IDataObject) => unknown {
	if (!path.includes('.')) return (json) => json[path];
	const parts = path.split('.');
	return (json) => {
		let value: unknown = json;
		for (const part of parts) {
			if (typeof value !== 'object' || value === null) return undefined;
			value = (value as IDataObject)[part];
		}
		return value;
	};
}

/** Where each invoice field is read from in an item, as the operator configured it. */
interface FieldReading {
	/** The operator's names, for messages. */
	fieldNames: FieldNames;
	readers: Array<[InvoiceField, (json: IDataObject) => unknown]>;
	/** Whether any name differs from the field's own (else the item itself is the input). */
	renamed: boolean;
}

function fieldReading(configuredNames: FieldNames): FieldReading {
	const fieldNames: FieldNames = {};
	const readers: FieldReading['readers'] = [];
	let renamed = false;
	for (const [field] of FIELDS) {
		const configured = configuredNames[field];
		const name = typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : field;
		fieldNames[field] = name;
		if (name !== field) renamed = true;
		readers.push([field, makeReader(name)]);
	}
	return { fieldNames, readers, renamed };
}

function invoiceInput(json: IDataObject, reading: FieldReading): InvoiceInput {
	// With the default names the item itself is the input: no per-item copy of the fields.
	if (!reading.renamed) return json as InvoiceInput;
	// An item whose json is null or not an object has none of the fields (the reader says which).
	if (typeof json !== 'object' || json === null) return {};
	const input: InvoiceInput = {};
	for (const [field, read] of reading.readers) input[field] = read(json);
	return input;
}

/** Whether a raw open amount may be below zero: only such rows are read before the loop (see findCredits). */
function mayBeNegative(value: unknown): boolean {
	return typeof value === 'number' ? value < 0 : typeof value === 'string' && value.trimStart().startsWith('-');
}

/** Whether a raw claimedCharges value may be above zero: such a row's charges count for its customer (see findCredits). */
function mayHaveCharges(value: unknown): boolean {
	return typeof value === 'number' ? value > 0 : typeof value === 'string' && /[1-9]/.test(value);
}

/**
 * The run's credits per customer, read before any invoice is decided: an invoice may come before
 * its customer's credit note, or a collective reminder's total may be booked on one invoice while
 * its charges were claimed on all (CustomerCredits.add). Only rows whose open amount may be
 * negative or that carry claimed charges are read in full. A row below zero that cannot be read
 * may be a credit all the same: it holds its customer's invoices too.
 */
function findCredits(items: INodeExecutionData[], reading: FieldReading, reader: InvoiceReader, defaultCurrency: string): CustomerCredits {
	const credits = new CustomerCredits();
	const readOpenAmount = reading.readers.find(([field]) => field === 'openAmount')![1];
	const readCharges = reading.readers.find(([field]) => field === 'claimedCharges')?.[1];
	for (let i = 0; i < items.length; i++) {
		const json = items[i].json;
		if (!isObject(json)) continue;
		const negative = mayBeNegative(readOpenAmount(json));
		if (!negative && !(readCharges !== undefined && mayHaveCharges(readCharges(json)))) continue;
		const input = invoiceInput(json, reading);
		const invoice = reader.read(input);
		if (invoice !== null) credits.add(invoice, i);
		else if (negative) credits.addUnreadable(input, reader.problems ?? [], i, defaultCurrency);
	}
	return credits;
}

interface DecidedItems {
	send: INodeExecutionData[];
	paper: INodeExecutionData[];
	none: INodeExecutionData[];
	/** Only when grouping: the Send and Paper decisions, to be merged per customer. */
	groupEntries: Array<GroupEntry<number>>;
	decisions: DunningDecision[];
	/** Whether a readable invoice of a consumer (or of no stated type) was among the items: the fee warnings speak of them. */
	consumers: boolean;
}

/**
 * The per-item loop, outside execute() on purpose: a module-level function is optimised once by
 * V8 and stays so across executions, while a loop inside execute() is recompiled on every run.
 */
/** A decided invoice as grouping reads it (an invalid one has no invoice: its item index keys it). */
function groupEntryOf(invoice: Invoice | null, decision: DunningDecision, item: number): GroupEntry<number> {
	return { customerKey: invoice?.customerId ?? invoice?.email ?? invoice?.invoiceId ?? String(item), customerId: invoice?.customerId ?? null, email: invoice?.email ?? null, decision, item };
}

function decideItems(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	compiled: CompiledPolicy,
	decider: Decider,
	reading: FieldReading,
	options: OptionsParameter,
): DecidedItems {
	const { fieldNames } = reading;
	const send: INodeExecutionData[] = [];
	const paper: INodeExecutionData[] = [];
	const none: INodeExecutionData[] = [];
	const grouping = options.groupByCustomer === true;
	const stopOnInvalid = options.stopOnInvalidInput === true;
	const groupEntries: Array<GroupEntry<number>> = [];
	const decisions: DunningDecision[] = grouping ? new Array(items.length) : [];
	// Built before the loop, not after: V8 compiles the loop while it runs, and code after it
	// that had never run would throw that compiled code away at the end of every execution.
	const decided: DecidedItems = { send, paper, none, groupEntries, decisions, consumers: false };
	const reader = decider.createReader(fieldNames);
	const copier = new JsonCopier('dunning');
	const continueOnFail = ctx.continueOnFail();
	const repeated = new RepeatedInvoices();
	const credits = findCredits(items, reading, reader, compiled.policy.defaultCurrency);

	for (let i = 0; i < items.length; i++) {
		const item = items[i];
		const json = item.json;
		const input = invoiceInput(json, reading);
		const invoice = reader.read(input);
		let decision: DunningDecision | null = null;
		let problems: InvoiceProblem[] | null = reader.problems;
		if (invoice !== null) {
			if (invoice.customerType !== 'business') decided.consumers = true;
			// The reader lets through only what decide() can read; this keeps one odd item from
			// failing the whole node should that ever not hold.
			try {
				const groupOf = grouping ? (d: DunningDecision) => groupKey(groupEntryOf(invoice, d, i)) : undefined;
				decision = checkAgainstRun(decider, invoice, decider.decide(invoice), i, repeated, credits, groupOf);
			} catch (error) {
				if (!(error instanceof InvoiceInputError)) throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
				problems = error.problems;
			}
		}
		if (decision === null) {
			problems ??= [];
			if (stopOnInvalid) {
				throw new NodeOperationError(ctx.getNode(), `Item ${i}: ${problems.map((p) => p.message).join('; ')}`, {
					itemIndex: i,
					description: `Invalid field(s): ${problems.map((p) => fieldNames[p.field]).join(', ')}. Turn off "Stop on Invalid Input" to route such invoices to No Action instead.`,
				});
			}
			decision = decider.invalid(input, problems);
		}
		if (grouping && decision.action !== 'none') {
			decisions[i] = decision;
			// Read now: the reader reuses its Invoice for the next item.
			groupEntries.push(groupEntryOf(invoice, decision, i));
			continue;
		}
		let out: INodeExecutionData = { json: copier.copy(isObject(json) ? json : EMPTY_JSON, decision as unknown as IDataObject), pairedItem: { item: i } };
		// With Continue On Fail, bad input is an error item (n8n's error output, when chosen).
		if (continueOnFail && decision.reason === 'invalidInput') out = errorItem(ctx, out.json, i, `Item ${i}: ${decision.message ?? 'invalid input'}`);
		if (item.binary) out.binary = item.binary;
		(decision.action === 'send' ? send : decision.action === 'paper' ? paper : none).push(out);
	}
	return decided;
}

const EMPTY_JSON: IDataObject = Object.freeze({}) as IDataObject;

function isObject(json: unknown): json is IDataObject {
	return typeof json === 'object' && json !== null;
}

/** A group item's copy of its first invoice's field; a list as `fromList` reads it (else as it is). */
function groupField(value: unknown, fromList: (value: unknown) => string | undefined): IDataObject[keyof IDataObject] {
	const read = Array.isArray(value) ? fromList(value) : undefined;
	return ((read === '' ? null : read) ?? value ?? null) as IDataObject[keyof IDataObject];
}

/** The files of a group's invoices on one item, each under its memberBinaryKey. */
function memberBinaries(binaries: Array<IBinaryKeyData | undefined>): IBinaryKeyData | undefined {
	let merged: IBinaryKeyData | undefined;
	binaries.forEach((binary, k) => {
		for (const [name, data] of Object.entries(binary ?? {})) {
			merged ??= {};
			merged[memberBinaryKey(name, k + 1)] = data;
		}
	});
	return merged;
}

// Not offered as an AI tool: a tool returns only the first output, and Paper and No Action matter.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class ComputeDunningLevel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Compute Dunning Level',
		name: 'computeDunningLevel',
		icon: { light: 'file:computeDunningLevel.svg', dark: 'file:computeDunningLevel.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["policySource"] === "json" ? "Policy From JSON" : "Send / Paper / No Action"}}',
		description: 'Decide per open invoice whether a payment reminder is due today, at which level, by email or on paper, with fees and statutory interest',
		defaults: { name: 'Compute Dunning Level' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Send', 'Paper', 'No Action'],
		properties: [
			{
				displayName:
					'Each input item is one open invoice. Every item leaves by exactly one output with a "dunning" object: Send (email reminder due), Paper (letter due) or No Action (with the reason). After sending, write dunning.level back to the invoice’s currentLevel and the send date to lastDunnedAt, and the deadline it stated to lastDeadline (and firstDeadline at level 1) (or the fields named under Field Names), else the next run decides the same level again. dunning.nextActionDate is the earliest day of the next stage: the reminder may state a later deadline, which the next stage waits for once stored. Dates and “today” are read in Europe/Berlin unless you add Rules › Timezone (timezone in Policy (JSON)).',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Policy Source',
				name: 'policySource',
				type: 'options',
				options: [
					{ name: 'Set Up Here', value: 'fields', description: 'Define the stages and rules in this panel' },
					{ name: 'JSON Object', value: 'json', description: 'One JSON object, e.g. from an earlier node or a settings table' },
				],
				default: 'fields',
			},
			{
				displayName: 'Stages',
				name: 'stages',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Stage',
				description: 'Reminder levels in order: the first entry is level 1. An invoice moves up at most one level per run. Read once per run (an expression here sees the first item).',
				default: { stage: defaultStages },
				displayOptions: { show: { policySource: ['fields'] } },
				options: [{ displayName: 'Stage', name: 'stage', values: stageFields }],
			},
			{
				displayName: 'Rules',
				name: 'rules',
				type: 'collection',
				placeholder: 'Add Rule',
				default: {},
				displayOptions: { show: { policySource: ['fields'] } },
				options: [
					{
						displayName: 'Base Rate Table (JSON)',
						name: 'baseRates',
						type: 'json',
						default: '',
						description:
							'Your own table of Bundesbank base rates, replacing the shipped one entirely. Copy the shipped table from the README and add the new half-year at the end: a table with only the newest rates charges its first rate for all earlier days. Leave empty to use the shipped table; results with interest carry a warning once it is out of date.',
					},
					{
						displayName: 'Days for Payment to Arrive',
						name: 'paymentArrivalDays',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_PAYMENT_ARRIVAL_DAYS, numberPrecision: 0 },
						default: 2,
						description:
							'Business days after a reminder’s payment deadline before the next stage goes out: a customer who transfers on the deadline day has paid in time, but the money reaches your account the next business day and your books a day or so later. Interest still counts from the day after the deadline. 0 = the day after the deadline.',
					},
					{
						displayName: 'Default Currency',
						name: 'defaultCurrency',
						type: 'string',
						default: 'EUR',
						description: 'Currency of invoices that have none: an ISO 4217 code such as EUR',
					},
					{
						displayName: 'Grace Days',
						name: 'graceDays',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 0,
						description: 'Extra days after the due date before the first stage’s days start counting. Later stages wait for the last reminder’s deadline and Days for Payment to Arrive instead.',
					},
					{
						displayName: 'Holiday Region',
						name: 'holidayRegion',
						type: 'string',
						default: 'DE',
						placeholder: 'e.g. DE-BY',
						description: 'Country or country-state whose public holidays count, e.g. DE, DE-BY, AT. A payment deadline that ends on one of them (or a weekend) runs to the next business day, for the next stage and the start of default, whether or not Shift to Business Days is on; with it on, dates are also moved. With Shift off, an unknown region is read as DE.',
					},
					{
						displayName: 'Interest From',
						name: 'interestFrom',
						type: 'options',
						options: [
							{
								name: 'Day After the Due Date',
								value: 'dueDate',
								description:
									'Only when the payment date was agreed in the contract (signed order, framework agreement), §286(2) No. 1 BGB. A payment term printed on the invoice alone is not enough.',
							},
							{
								name: 'Day After the First Reminder’s Deadline',
								value: 'firstReminder',
								description:
									'The first reminder (level 1) puts the customer in default once its payment deadline has passed (§286(1) BGB); business customers are in default at the latest from the 31st day after the due date (§286(3) BGB)',
							},
						],
						default: 'firstReminder',
						description:
							'From which day stages with "Charge Statutory Interest" count default interest. Keep the first reminder unless the payment date was agreed in the contract with the customer: a payment term you write on the invoice alone does not put them in default on the due date, and interest from then would claim too much.',
					},
					{
						displayName: 'Max Email Refusals per Level',
						name: 'maxEmailRefusals',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 1,
						description:
							'How often a level may be refused by the recipient’s side (mailbox full, spam filter, not deliverable in time) and still go by email again; after more refusals it goes to Paper (reason emailRefused). 0 = paper after the first refusal.',
					},
					{
						displayName: 'Max Level',
						name: 'maxLevel',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 0,
						description: 'Highest level to reach; 0 = the last stage',
					},
					{
						displayName: 'Min Days Between Reminders',
						name: 'minDaysBetweenReminders',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 0,
						description: 'Never remind again sooner than this after the last reminder, whatever the stage says',
					},
					{
						displayName: 'Min Open Amount',
						name: 'minOpenAmount',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 2 },
						default: 0,
						description: 'Invoices with less open than this are not dunned (No Action, reason belowMinimum)',
					},
					{
						displayName: 'Payment Deadline (Days)',
						name: 'paymentDeadlineDays',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 7,
						description: 'Days the customer gets to pay, counted from the run day; printed as the deadline. The next stage waits until it has passed.',
					},
					{
						displayName: 'Retry Refused Email After (Days)',
						name: 'retryRefusedEmailAfterDays',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 3,
						description:
							'After a refused email, wait this many days before emailing the same level again (No Action, reason retryLater, until then). A full mailbox often clears within days.',
					},
					{
						displayName: 'Sales Window (Days)',
						name: 'salesWindowDays',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 0,
						description: 'Only invoices dated within this many days are dunned (shops often use 90); 0 = no limit. Needs the invoice date.',
					},
					{
						displayName: 'Shift to Business Days',
						name: 'shiftToBusinessDays',
						type: 'boolean',
						default: false,
						description:
							'Whether due dates, reminder dates and deadlines that fall on a weekend or public holiday move to the next business day, as §193 BGB does for deadlines',
					},
					{
						displayName: 'Statutory Interest',
						name: 'statutoryInterest',
						type: 'boolean',
						default: true,
						description:
							'Whether stages marked "Charge Statutory Interest" add default interest (§288 BGB: base rate + 5 points for consumers, + 9 for businesses) and the 40 EUR business flat fee. Only those stages charge it: by default the 1st and 2nd dunning (levels 2 and 3), not the payment reminder.',
						hint: 'Interest is charged only by stages with "Charge Statutory Interest" on. With none, every result carries a warning in dunning.warnings.',
					},
					{
						displayName: 'Timezone',
						name: 'timezone',
						type: 'string',
						default: 'Europe/Berlin',
						description:
							'IANA timezone in which "today" and all dates are read, e.g. Europe/Berlin. Written to dunning.timezone, in which Send Reminder Email and Create Reminder Letter read dates with a time too (items that never passed this node: in the workflow’s timezone).',
					},
				],
			},
			{
				displayName: 'Policy (JSON)',
				name: 'policyJson',
				type: 'json',
				default: defaultPolicyJson,
				description:
					'All stages and rules as one JSON object, e.g. from a settings table. The default value shows the usual keys. Read once per run: an expression here sees the first item.',
				hint: 'Also accepted: maxLevel, defaultCurrency, statutoryInterest.baseRates (e.g. the OeNB rates for Austria) and statutoryInterest.consumerFixedRatePct / businessFixedRatePct (a fixed yearly rate, e.g. 4 for Austrian consumers, 5 in Switzerland). Keys left out take their defaults; a misspelt key stops the run, another unknown one is ignored with a warning. Every key: README, section "Policy (JSON) keys".',
				displayOptions: { show: { policySource: ['json'] } },
			},
			fieldNamesCollection(
				{
					displayName: 'Field Names',
					name: 'fieldNames',
					description: 'Where each invoice field is in your items, if your names differ. Use dots for nested fields, e.g. customer.email. Read once per run (an expression here sees the first item).',
				},
				FIELDS.map(([field, label, description]) => ({ name: field, label, description, default: field })),
			),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'As of Date',
						name: 'asOfDate',
						type: 'dateTime',
						default: '',
						description: 'Decide as if today were this day, to preview a future run (only the date counts; {{ $today }} is today in the workflow timezone). Empty = today in the policy timezone.',
					},
					{
						displayName: 'Group by Customer',
						name: 'groupByCustomer',
						type: 'boolean',
						default: false,
						description:
							'Whether Send and Paper carry one item per customer and level, listing all that customer’s due invoices with totals ("one letter per customer") instead of one item per invoice. Send Reminder Email turns such an item into one reminder listing every invoice, with each invoice’s file attached (files are numbered: data, data_2, …).',
					},
					{
						displayName: 'Stop on Invalid Input',
						name: 'stopOnInvalidInput',
						type: 'boolean',
						default: false,
						description:
							'Whether an invoice with a missing or unreadable field stops the whole node with an error. Off: it goes to No Action with reason invalidInput and a message naming the field.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const options = this.getNodeParameter('options', 0, {}) as OptionsParameter;
		const configuredNames = this.getNodeParameter('fieldNames', 0, {}) as FieldNames;

		let compiled: CompiledPolicy | undefined;
		const policyInput = policyFromParameters(this);
		let policyProblem = policyInput.ok ? '' : `Invalid dunning policy: ${policyInput.problem}`;
		if (policyInput.ok) {
			try {
				compiled = compilePolicy(policyInput.value);
			} catch (error) {
				policyProblem = (error as Error).message;
			}
		}
		if (!compiled) return failRun(this, items, policyProblem, 'Fix the stages or rules in the node (or the policy JSON); no invoice was processed.');
		const timezone = compiled.policy.timezone;
		// The picker's value is a calendar day: a date, with a time of no zone or midnight UTC, means
		// that day; so does midnight in any offset ({{ $today }} in the workflow's timezone, see
		// dayInZone). Another instant, such as {{ $now }}, is read in the policy timezone (20:30 in
		// New York is the next day in Berlin).
		const rawAsOf = options.asOfDate;
		const asOf =
			rawAsOf === undefined || rawAsOf === ''
				? DateTime.now().setZone(timezone)
				: typeof rawAsOf === 'string' && /^\d{4}-\d{2}-\d{2}(?:T(?:[\d:.]+|00:00(?::00(?:\.0+)?)?Z))?$/.test(rawAsOf.trim())
					? rawAsOf.trim().slice(0, 10)
					: rawAsOf;
		let decider: Decider | undefined;
		let asOfProblem = '';
		try {
			decider = createDecider(compiled, asOf);
		} catch (error) {
			asOfProblem = (error as Error).message;
		}
		if (!decider) return failRun(this, items, asOfProblem || 'As of Date is not a date');

		const reading = fieldReading(configuredNames);
		const { readers } = reading;
		const grouping = options.groupByCustomer === true;
		const { send, paper, none, groupEntries, decisions, consumers } = decideItems(this, items, compiled, decider, reading, options);

		if (grouping) {
			for (const group of groupByCustomer(groupEntries)) {
				const first = items[group.members[0]].json;
				const invoices = group.members.map((index) => ({ ...items[index].json, dunning: decisions[index] as unknown as IDataObject }));
				const members = group.members;
				const summary = {
					action: group.action,
					level: group.level,
					stageName: group.stageName,
					channel: group.channel,
					reason: group.reason,
					count: group.count,
					currency: group.currency,
					openAmount: group.openAmount,
					fee: group.fee,
					flatFee: group.flatFee,
					interest: group.interest,
					totalDue: group.totalDue,
					deadline: group.deadline,
					// The texts' finalLevel: whether this collective reminder is the customer's last.
					finalReminder: group.finalReminder,
					asOf: group.asOf,
					// As every decision: Send and Letter read the group's dates in it.
					timezone,
					warnings: group.warnings,
				};
				const out: INodeExecutionData = {
					json: {
						// Only a real customer id: a grouping key made of an e-mail address is no customer number.
						customerId: group.customerId,
						// A list of addresses or a one-element language list as the invoice was read: what Send Reminder Email reads.
						email: groupField(readers[4][1](first), addressListText),
						language: groupField(readers[5][1](first), onlyText),
						invoices,
						dunning: { ...summary, invoiceIds: members.map((index) => decisions[index] && (readers[0][1](items[index].json) as string)) } as unknown as IDataObject,
					},
					pairedItem: members.map((index) => ({ item: index })),
				};
				const clash = memberBinaryClash(members.map((index) => Object.keys(items[index].binary ?? {})));
				if (clash) {
					// Files of a collective reminder must stay with their invoice: never one lost or sent as another's.
					const ids = members.map((index) => readers[0][1](items[index].json)).join(', ');
					const message = `Customer ${group.customerKey}: ${clash} in the collective reminder (invoices ${ids}). Rename that binary field (e.g. "deliveryNote"), or turn off Group by Customer`;
					if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), message, { itemIndex: members[0] });
					for (const index of members) none.push(errorItem(this, { ...items[index].json, dunning: decisions[index] as unknown as IDataObject }, index, `Item ${index}: ${message}`, items[index].binary));
					continue;
				}
				const binary = memberBinaries(members.map((index) => items[index].binary));
				if (binary) out.binary = binary;
				(group.action === 'send' ? send : paper).push(out);
			}
		}
		const warnings = policyWarnings(compiled.policy, { ignoredKeys: compiled.ignoredKeys, unusedMargins: compiled.unusedMargins, groupByCustomer: options.groupByCustomer === true, consumers });
		if (warnings.length > 0) for (const out of [...send, ...paper, ...none]) addWarnings(out.json, warnings);
		return [send, paper, none];
	}
}

/**
 * A policy or date that the whole run reads fails every invoice. With Continue On Fail each becomes
 * an error item on No Action (n8n's error output, when chosen): a thrown error would pass the
 * invoices on unchanged to the first output, Send.
 */
function failRun(ctx: IExecuteFunctions, items: INodeExecutionData[], message: string, description?: string): INodeExecutionData[][] {
	if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), message, description ? { description } : {});
	return [[], [], items.map((item, i) => errorItem(ctx, item.json, i, message, item.binary))];
}

/** Adds run-wide warnings to an output's `dunning.warnings` (and to a group's members). */
function addWarnings(json: IDataObject, warnings: string[]): void {
	const dunning = json.dunning as IDataObject | undefined;
	if (!dunning || typeof dunning !== 'object') return;
	// A new object and array: decisions may share a frozen empty warnings list.
	json.dunning = { ...dunning, warnings: [...((dunning.warnings as string[] | undefined) ?? []), ...warnings] };
	if (Array.isArray(json.invoices)) for (const member of json.invoices as IDataObject[]) addWarnings(member, warnings);
}
