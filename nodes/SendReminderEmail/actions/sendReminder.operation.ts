/**
 * "Send Reminder": one reminder per input item, rendered from the templates for its level and
 * language, sent over one connection, paced, never twice for the same (invoice, level).
 * The sending rules live in lib/mail/send-run.ts; this file maps parameters and items.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { emptyDelivery, type Delivery } from '../../../lib/mail/delivery';
import { redactFields, redactSecrets } from '../../../lib/mail/redact';
import { buildReminderMessage, checkSender, type Attachment, type MessageSummary } from '../../../lib/mail/message';
import { readPath, readPaymentLink, readReminderItem, restatedDeadline } from '../../../lib/mail/reminder-item';
import { errorItem } from '../../shared/error-item';
import { fieldNamesCollection } from '../../shared/field-names';
import { REMINDER_FIELD_LABELS } from '../../shared/reminder-field-names';
import { localeProperty } from '../../shared/locale-property';
import { checkFixedTextLanguages, ownTextsPerItem } from '../../shared/own-texts-per-item';
import { n8nClock } from '../../shared/n8n-clock';
import { MAX_TIMEOUT_SECONDS } from '../../shared/timeout';
import { duplicateOutcome, runSendJobs, type DuplicateFound, type SendJob, type SendRunResult } from '../../../lib/mail/send-run';
import { ledgerRowOf, sendSlotOf } from '../../../lib/ledger/slot';
import { appendToSentFolder } from '../../../lib/mailbox/append';
import { MailboxError } from '../../../lib/mailbox/errors';
import { stopAfterRefusedLogin, type RefusedLogin, type RefusedLoginOptions } from '../../../lib/mailbox/refused-login';
import type { MailAuth, MailServer } from '../../../lib/mail/server';
import { memberBinaryKey } from '../../../lib/dunning/group';
import { buildTemplateContext, type InvoiceLine } from '../../../lib/templates/context';
import { sendByPassed, type SendBy } from '../../../lib/dunning/deadline-check';
import { dayAt } from '../../../lib/dunning/calendar-day';
import { TemplateEnvironment } from '../../../lib/templates/environment';
import { renderReminder, resolveTemplates, type CustomTemplateLookup } from '../../../lib/templates/render';
import { readItemTemplates } from '../../../lib/templates/item-templates';
import { readerLocale } from '../../../lib/templates/reader-locale';
import { imapCredentialFrom, IMAP_CREDENTIAL_TYPE } from '../../shared/imap-credential';
import { getMailboxAuthentication, isOAuth2Authentication, isOAuth2StopError, loginDigest, oauth2ImapLoginKey, oauth2SentFolderWriter, skipsSentCopy } from '../../shared/mailbox-auth';
import { prepareMailbox, type Mailbox } from '../transport';
import { MAX_PAUSE_SECONDS } from '../../../lib/ledger/pace';
import { attachmentNames, MAX_ATTEMPTS, MAX_RETRY_DELAY_SECONDS, readSendSettings, SEND_FIELD_DEFAULTS, templateFieldName, type SendFieldNames, type SendSettings } from './settings';
import { replyTimeoutOf, type SmtpConnectorOptions } from '../../../lib/mail/smtp-session';
import { companyProperties, isDetailsProblem, readCompanyDetails } from '../../shared/company-details';
import type { BusinessDetails } from '../../../lib/payment/details';
import { giroCodePng } from '../../../lib/payment/girocode-image';
import { reminderPayment } from '../../../lib/payment/reminder-payment';
import { AddressTooLongError } from '../../../lib/letters/address-block';
import { buildLetterModel, DEFAULT_ADDRESS_FIELDS, LetterInputError } from '../../../lib/letters/letter-model';
import { renderLetterPdf } from '../../../lib/letters/pdf';

const show = { operation: ['sendReminder'] };

const NO_COMPANY_DETAILS = 'Sent without company details: Company Details (JSON) is empty for this item, so the e-mail has no bank account, payment reference or GiroCode';

/** The connection's reply timeout: the node's Timeout (Seconds) when set, else the connector's default. */
function connectorOptions(settings: Pick<SendSettings, 'timeoutSeconds'>): SmtpConnectorOptions {
	return settings.timeoutSeconds === undefined ? {} : { replyTimeoutMs: settings.timeoutSeconds * 1000 };
}

const CUSTOMER_ID_LABEL = ['customerId', 'Customer ID', 'Customer number for the {customerId} placeholder of the payment reference and an attached letter (optional)'] as const;

/** The reminder's fields as Create Reminder Letter names them, and the customer ID only Send reads through its Field Names. */
const FIELD_LABELS: ReadonlyArray<readonly [keyof SendFieldNames, string, string]> = REMINDER_FIELD_LABELS.flatMap((entry) => (entry[0] === 'customerName' ? [entry, CUSTOMER_ID_LABEL] : [entry]));

export const description: INodeProperties[] = [
	{
		displayName:
			'Each input item becomes one reminder. The defaults read the output of “Compute Dunning Level” (fields email, language, invoiceId, invoiceNumber, dueDate, openAmount and the dunning object) — change the field names below if your items differ. An item grouped by customer there becomes one reminder listing all its invoices.',
		name: 'sendReminderNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only render the reminders and show them (status “preview”) without sending anything. Use it to check texts before the first real run. Read once per run (an expression here sees the first item).',
		displayOptions: { show },
	},
	{
		displayName:
			'Dry Run is off: every run sends real reminders to your customers, also a test run with "Execute step" in the editor. Turn on Dry Run to check the texts first.',
		name: 'dryRunOffNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, dryRun: [false] } },
	},
	{
		displayName: 'Templates',
		name: 'templateSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Shipped Texts (German, English)', value: 'default', description: 'Zahlungserinnerung, 1. Mahnung, 2. Mahnung in German and English' },
			{ name: 'My Texts in This Node', value: 'node', description: 'Write subject, HTML and text per level and language; an empty subject uses the shipped one, an empty text is made from your HTML' },
			{ name: 'From a Field of the Item', value: 'itemField', description: 'Each item carries its own texts in a field: an object with the keys subject, html and text, in lower case' },
		],
		default: 'default',
		displayOptions: { show },
	},
	{
		displayName: 'Texts',
		name: 'templates',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Text for a Level and Language',
		default: {},
		hint: 'Type placeholders as {{customerName}} (fixed mode). An n8n expression here is read for each item, and the values it inserts become template text: not HTML-escaped, and {{…}} in them is read as a placeholder.',
		description:
			'Handlebars templates. Use fields like {{invoiceNumber}}, {{customerName}}, {{money openAmount}}, {{money totalDue}}, {{date dueDate}}, {{date deadline}}, {{senderName}} or any item field by name; {{#each invoices}}…{{/each}} lists the invoices of a reminder grouped by customer (inside it, write {{@root.customerName}} for the reminder’s own fields). {{money totalDue}} already includes fees, flat fee and interest. Your own HTML replaces the whole shipped body, bank details included: print them with {{payment.iban}}, {{payment.bic}}, {{payment.reference}} and {{payment.link}}. A field that does not exist stops the item with an error naming it.',
		displayOptions: { show: { ...show, templateSource: ['node'] } },
		options: [
			{
				displayName: 'Text',
				name: 'text',
				values: [
					{ displayName: 'HTML Body', name: 'html', type: 'string', typeOptions: { rows: 8 }, default: '', description: 'HTML body; item values are HTML-escaped. It replaces the whole shipped body, bank details included (print {{payment.iban}} or {{payment.link}}). Leave both bodies empty to use the shipped texts; with only a Text Body, the reminder goes as plain text.' },
					{ displayName: 'Language', name: 'language', type: 'string', default: 'de', description: 'Language code this text is for, e.g. de, en or de-AT. A text for de-DE also serves items in plain de when there is no text for de itself.' },
					{ displayName: 'Level', name: 'level', type: 'number', typeOptions: { minValue: 1, numberPrecision: 0 }, default: 1, description: 'Dunning level this text is for (1 = payment reminder)' },
					{ displayName: 'Subject', name: 'subject', type: 'string', default: '', placeholder: 'e.g. Zahlungserinnerung zu Rechnung {{invoiceNumber}}', description: 'Subject line; empty uses the shipped one' },
					{ displayName: 'Text Body', name: 'text', type: 'string', typeOptions: { rows: 8 }, default: '', description: 'Plain-text body for mail programs that show no HTML. Leave empty with an HTML Body of your own and the plain text is made from that HTML; leave both empty to use the shipped texts.' },
				],
			},
		],
	},
	{
		displayName: 'Template Field',
		name: 'templateField',
		type: 'string',
		default: 'templates',
		description: 'Item field holding an object with the templates under the keys subject, html and text (lower case, e.g. {"subject": "…", "html": "…", "text": "…"}). Missing parts use the shipped texts; any other key fails the item. Your own html replaces the whole shipped body, bank details included: print {{payment.iban}} or {{payment.link}}.',
		displayOptions: { show: { ...show, templateSource: ['itemField'] } },
	},
	{
		displayName: 'Fallback Language',
		name: 'fallbackLanguage',
		type: 'string',
		default: 'de',
		description: 'Language code (e.g. de, en or de-AT) used when an item has no language or one without texts. Read once per run (an expression here sees the first item).',
		displayOptions: { show },
	},
	{
		displayName: 'Attachments (Input Binary Fields)',
		name: 'attachmentProperties',
		type: 'string',
		default: '',
		placeholder: 'e.g. data, invoicePdf',
		description: 'Names of the item’s input binary fields to attach, separated by commas (e.g. the invoice PDF); an expression may also give a list of names. An item missing one of them fails instead of going out without it.',
		displayOptions: { show },
	},
	// Company and bank details for the payment block, the GiroCode and the footer of the shipped texts.
	...companyProperties(true, show),
	{
		// "None" stays the default (a run must never invent bank details), so say what it leaves out.
		displayName:
			'Without company details the email has no bank account (IBAN), payment reference or GiroCode, so customers cannot pay from it. To add them, set Company Details Source to “Enter Here” (then Payment Details › IBAN) or “JSON Object”.',
		name: 'noCompanyDetailsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, companySource: ['none'] } },
	},
	{
		displayName: 'Min Seconds Between Emails',
		name: 'minSecondsBetween',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_PAUSE_SECONDS },
		default: 60,
		description: `Pause between two reminders, in seconds (0 to ${MAX_PAUSE_SECONDS}, a day). Mailbox providers flag accounts that suddenly send many mails; 60 seconds or more is safe. Read once per run (an expression here sees the first item).`,
		displayOptions: { show },
	},
	{
		displayName:
			'Intervals under 60 seconds risk your mailbox being flagged as spam or temporarily locked by the provider. Use them only for your own server or tests.',
		name: 'throttleNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, minSecondsBetween: [{ _cnd: { lt: 60 } }] } },
	},
	{
		displayName: 'Max Emails per Run',
		name: 'maxPerRun',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 50,
		description: 'At most this many reminders are sent per execution (a whole number, 0 or more); the rest are reported as “notSent” and go out in a later run (a dry run marks them too). 0 means no limit. A full run lasts about this many times Min Seconds Between Emails: 50 at 60 seconds is about 50 minutes. Read once per run (an expression here sees the first item).',
		displayOptions: { show },
	},
	{
		displayName: 'Save to Sent Folder',
		name: 'saveToSentFolder',
		type: 'boolean',
		default: false,
		description: 'Whether to store a copy of each sent reminder in the mailbox’s Sent folder over IMAP, so it shows up in the Sent folder of your mail program (“Gesendet” in German ones). Needs the IMAP credential (with OAuth2 sign-in, the same sign-in is used). Microsoft 365, Outlook.com and Gmail file mail sent over their SMTP servers in Sent themselves, so no copy is stored for them (it would show twice), with a password or app password as with OAuth2. Read once per run (an expression here sees the first item).',
		displayOptions: { show },
	},
	{
		displayName: 'Sent Folder',
		name: 'sentFolder',
		type: 'string',
		default: '',
		placeholder: 'e.g. Sent',
		description: 'Folder name, e.g. Sent, Gesendet or INBOX.Sent. Empty uses the Sent Folder set in the IMAP credential. Read once per run (an expression here sees the first item).',
		displayOptions: { show: { ...show, saveToSentFolder: [true] } },
	},
	fieldNamesCollection(
		{
			displayName: 'Field Names',
			name: 'fieldNames',
			description: 'Where the reminder’s values are in your items, if your names differ. Use dots for nested fields, e.g. dunning.level. Read once per run (an expression here sees the first item).',
			displayOptions: { show },
		},
		FIELD_LABELS.map(([key, label, description]) => ({ name: key, label, description, default: SEND_FIELD_DEFAULTS[key] })),
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Attach Letter PDF',
				name: 'attachLetter',
				type: 'boolean',
				default: false,
				description:
					'Whether to attach the reminder as a PDF letter, as Create Reminder Letter makes it (form B, shipped letter texts, no logo). Needs Company Details Source and the customer’s address on the item (customerName, street, city, and postalCode where there is one).',
				hint: 'With Company Details Source "None" every email reminder fails and nothing is sent. When the item’s data makes no letter (an address line missing, characters the letter font cannot print, an address too long for the envelope window), the email goes without the PDF and delivery.warning says why.',
			},
			{
				displayName: 'Attempts on Temporary Refusal',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_ATTEMPTS, numberPrecision: 0 },
				default: 3,
				description: `How often a reminder the server refuses temporarily (4xx, e.g. greylisting) is tried in this run before it is reported as “deferred”: a whole number from 1 to ${MAX_ATTEMPTS}; anything else stops the run naming this option`,
			},
			{
				displayName: 'Default Currency',
				name: 'defaultCurrency',
				type: 'string',
				default: 'EUR',
				description: 'Three-letter currency code (e.g. EUR) for items with neither a currency nor a dunning.currency from Compute Dunning Level',
			},
			{
				displayName: 'First Retry After (Seconds)',
				name: 'retryDelaySeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_RETRY_DELAY_SECONDS },
				default: 30,
				description: `Wait before the first retry, in seconds (0 to ${MAX_RETRY_DELAY_SECONDS}); each further retry waits twice as long, at most 10 minutes`,
			},
			localeProperty(
				'Format amounts and dates for this locale (a tag like de-AT, with a hyphen), in the email and in an attached letter, instead of the one that follows from the item’s language (de-CH → de-CH, de → de-DE, en → en-GB). A value that is no locale stops the run.',
			),
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
				default: 60,
				description:
					'How long to wait for each answer of the mail server (1 to 3600; anything else stops the run naming this option). A reminder the server took in but did not confirm in time is reported as “deferred” (outcomeUnknown) and not sent again in this run; the run goes on over a new connection.',
			},
		],
	},
];

interface NodeTemplateEntry {
	level?: number;
	language?: string;
	subject?: string;
	html?: string;
	text?: string;
}

/** The Texts setting (Templates: My Texts in This Node). */
const OWN_TEXTS = { name: 'templates', displayName: 'Texts' } as const;

const DEDUP_SCOPE = 'workflow' as const;
const DEDUP_OPTIONS = { mode: 'entries' as const };

function dedupKey(invoiceId: string, level: number): string {
	return `reminder:${invoiceId}:${level}`;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const templateSource = this.getNodeParameter('templateSource', 0, 'default') as string;
	// Read once per run and checked before anything is sent: a setting of the wrong type or out of
	// range (NaN attempts, a pause in milliseconds, a list where a language goes), a Locale that
	// formats nothing, or an own text no item can ever get, stops the run naming the setting, and
	// every item comes out notSent (stopKind settings), none passed on as if it had been handled.
	let settings: SendSettings;
	let nodeLookup: ((itemIndex: number) => CustomTemplateLookup) | undefined;
	let mailbox: Mailbox;
	try {
		settings = readSendSettings(this, FIELD_LABELS);
		if (templateSource === 'node') {
			checkFixedTextLanguages(this, OWN_TEXTS);
			nodeLookup = nodeTextsPerItem(this);
		}
		mailbox = await prepareMailbox(this, {}, connectorOptions(settings));
		checkSender(mailbox.sender);
	} catch (error) {
		return [notStarted(this, items, error)];
	}
	const { dryRun, fallbackLanguage, saveToSentFolder, fields, locale, minSecondsBetween, maxPerRun } = settings;
	const imapSecrets: string[] = [];
	/** Passwords and tokens of this run; nothing leaves the node with one of them in it. */
	const secrets = (): string[] => [...mailbox.secrets(), ...imapSecrets];
	const senderName = mailbox.sender.name ?? mailbox.sender.address;
	const runId = this.getExecutionId() ?? `run-${Date.now()}`;
	const env = new TemplateEnvironment();
	const detailsCache = new Map<string, BusinessDetails>();

	const deliveries: Array<Delivery | undefined> = new Array(items.length);
	const previews = new Map<number, MessageSummary>();
	/** Per item, why its letter PDF could not be attached (the email goes out without it). */
	const withoutLetter = new Map<number, string>();
	/** Items whose own texts name no account to pay to (payable.ts) or print one nowhere, or have a link leading nowhere (render.ts): sent, with a warning. */
	const noAccount = new Map<number, string>();
	/** Items whose Company Details (JSON) gave nothing (not even null): sent without bank details, and told so. */
	const withoutDetails = new Set<number>();
	/** Per item whose message was rendered, the payment deadline it states (delivery.statedDeadline). */
	const statedDeadlines = new Map<number, string>();
	/** Per job, the (invoice, level) keys its reminder covers: one, or one per invoice of a customer group. */
	const keys = new Map<number, string[]>();
	const jobs: SendJob[] = [];

	for (let i = 0; i < items.length; i++) {
		const json = items[i].json as Record<string, unknown>;
		try {
			// Timestamps are read as days in the timezone Compute Dunning Level decided in (dunning.timezone); the workflow's only for items that never passed it.
			const reminder = readReminderItem(json, fields, settings.defaultCurrency, this.getTimezone());
			if (reminder.kind === 'paper') {
				deliveries[i] = emptyDelivery('paper', { reason: reminder.reason, error: reminder.error });
				continue;
			}
			// Today where the item's dates are read: a reminder that waited past its deadline is not sent;
			// the run checks it again right before sending (a pause or a retry may take it past midnight).
			const now = n8nClock.now();
			const sendBy: SendBy = { deadline: reminder.values.deadline, timezone: reminder.timezone, field: fields.deadline };
			const passed = sendByPassed(sendBy, now);
			if (passed && json.claim !== undefined) {
				// A reminder claimed from the ledger was checked a moment ago (Still to Send?): midnight fell
				// in between. As when it passes in the run: given back, then withdrawn, not failed for good.
				deliveries[i] = emptyDelivery('notSent', { reason: 'deadlinePassed', error: passed });
				continue;
			}
			if (passed) throw new Error(passed);
			// A reminder that waited (the pace, a paused mailbox, a retry) still gives the whole payment
			// period from the day it goes out, off weekends and holidays; the send-by check above stays
			// with the decided deadline, so a stale decision is still decided again. The day it goes out
			// is its sending slot's, when one was planned (past midnight, it is tomorrow's); should the
			// run still reach another day before it is sent, the run does not send it (StatedDeadline).
			const slot = sendSlotOf(json.claim);
			const restate = (day: string) => restatedDeadline(json, reminder.values.deadline, day);
			const deadline = restate(dayAt(Math.max(now, slot?.notBefore ?? now), reminder.timezone));
			// Read for this item: an n8n expression in a text is this customer's, not the first item's.
			let lookup: CustomTemplateLookup | undefined = templateSource === 'node' ? nodeLookup?.(i) : undefined;
			if (templateSource === 'itemField') {
				const fieldName = templateFieldName(this, i);
				// A wrong key or a value that is no text fails the item, never sends the shipped text.
				const own = readItemTemplates(json[fieldName], fieldName);
				lookup = () => ({ templates: own, source: `item field ${fieldName}` });
			}
			const resolved = resolveTemplates(reminder.language, reminder.values.level, fallbackLanguage, lookup, reminder.values.invoiceCount > 1);
			// "JSON Object" that gives no object for this item sends it as "None" does; an object with a
			// wrong field still fails. Null says so on purpose (the shipped sender: a reminder released
			// without Company Details); nothing at all may be a misspelt field, and the delivery says so.
			const ownJson = this.getNodeParameter('companySource', i, 'none') === 'json' ? this.getNodeParameter('companyJson', i, undefined) : {};
			if (ownJson === undefined || ownJson === '') withoutDetails.add(i);
			const details = ownJson === null || withoutDetails.has(i) ? null : readCompanyDetails(this, i, detailsCache);
			if (isDetailsProblem(details)) throw new Error(details.message);
			const customerId = readPath(json, fields.customerId);
			const payment = reminderPayment(details, {
				currency: reminder.currency,
				totalDue: reminder.values.totalDue,
				invoiceId: reminder.values.invoiceId,
				invoiceNumbers: reminder.values.invoices.map((l) => l.invoiceNumber),
				customerId: typeof customerId === 'string' || typeof customerId === 'number' ? String(customerId) : '',
				level: reminder.values.level,
				link: readPaymentLink(json),
			});
			// Built with the company details: the flat fee's statute (flatFeeBasis) is the merchant's country's.
			const context = buildTemplateContext(json, { ...reminder.values, deadline, senderName }, {
				language: resolved.language,
				// The customer's region where the texts are in its language (de-CH answered in de: Swiss amounts).
				locale: locale ?? readerLocale(reminder.language, resolved.language),
				currency: reminder.currency,
			}, payment, { interest: fields.interest, invoiceId: fields.invoiceId });
			const rendered = renderReminder(env, resolved, context);
			if (rendered.warning) noAccount.set(i, rendered.warning);
			// The GiroCode goes along only when the HTML shows it (an operator's own text may not).
			const inline =
				payment.epcPayload && rendered.html.includes(`cid:${payment.payment.giroCodeCid}`)
					? [{ filename: 'girocode.png', contentType: 'image/png', cid: payment.payment.giroCodeCid, content: await giroCodePng(payment.epcPayload) }]
					: undefined;
			const message = await buildReminderMessage({
				sender: mailbox.sender,
				to: reminder.recipients,
				subject: rendered.subject,
				text: rendered.text,
				html: rendered.html,
				invoiceId: reminder.values.invoiceId,
				level: reminder.values.level,
				ledgerRow: ledgerRowOf(json.claim),
				runId,
				attachments: [
					...(await readAttachments(this, i, reminder.values.invoices)),
					...(settings.attachLetter ? await letterOrNone(() => letterAttachment(json, fields, details, reminder.currency, fallbackLanguage, env, this.getTimezone(), locale, deadline), (why) => withoutLetter.set(i, why)) : []),
				],
				inline,
			});
			keys.set(i, reminder.invoiceIds.map((id) => dedupKey(id, reminder.values.level)));
			statedDeadlines.set(i, deadline);
			previews.set(i, message.summary);
			jobs.push({ key: i, message, slot, sendBy, stated: { deadline, timezone: reminder.timezone, restate } });
		} catch (error) {
			deliveries[i] = emptyDelivery('failed', { reason: 'invalidInput', error: `Item ${i}: ${(error as Error).message}` });
		}
	}

	/**
	 * The (invoice, level) keys that went out in this run (in a dry run: would go out), with the item
	 * that took them: a second item for the same reminder in one run (a repeated row, an instalment
	 * with the same invoice ID) is a duplicate of that item, not of "an earlier execution", and the
	 * dry run says so too, so that its preview promises what the real run sends.
	 */
	const takenInRun = new Map<string, number>();
	const takeKeys = (job: SendJob) => {
		for (const key of keys.get(job.key)!) if (!takenInRun.has(key)) takenInRun.set(key, job.key);
	};

	const isDuplicate = async (job: SendJob): Promise<DuplicateFound> => {
		// A claimed reminder (the shipped sender's ledger) is guarded by its claim alone: n8n keeps
		// a workflow's processed data as one record that is read, changed and written back, so
		// overlapping executions lose each other's changes and could bring back a key taken back
		// below, making a reminder that never went out look sent.
		if (job.slot) return false;
		const jobKeys = keys.get(job.key)!;
		const sameRunAs = [...new Set(jobKeys.filter((k) => takenInRun.has(k)).map((k) => takenInRun.get(k)!))].sort((a, b) => a - b);
		const rest = jobKeys.filter((k) => !takenInRun.has(k));
		if (rest.length === 0) return { sameRunAs };
		// n8n offers check-and-record only: record, and take the record back at once when it is
		// new, so that it is recorded for real only after the server accepted the message.
		const result = await this.helpers.checkProcessedAndRecord(rest, DEDUP_SCOPE, DEDUP_OPTIONS);
		// A collective reminder is a duplicate only when every invoice in it was reminded at this
		// level: one invoice reminded alone earlier must not hold back the customer's others forever.
		if (result.processed.length === rest.length) return sameRunAs.length > 0 ? { sameRunAs, earlierExecution: true } : true;
		await this.helpers.removeProcessed(result.new, DEDUP_SCOPE, DEDUP_OPTIONS);
		return false;
	};

	let run: SendRunResult | null = null;
	if (dryRun) {
		// As the real run counts (runSendJobs): duplicates take no place in Max Emails per Run, and a
		// reminder past it takes no keys, so a later item for the same invoice is no duplicate of it.
		let previewed = 0;
		for (const job of jobs) {
			const found = await isDuplicate(job);
			const overLimit = !found && maxPerRun > 0 && previewed >= maxPerRun;
			deliveries[job.key] = emptyDelivery('preview', {
				messageId: job.message.messageId,
				...(found ? duplicateOutcome(found, true) : {}),
				...(overLimit ? { reason: 'maxPerRun', warning: `Would not be sent in this run: the limit of ${maxPerRun} messages per run (Max Emails per Run) would be reached; it would go out in a later run` } : {}),
			});
			if (!found && !overLimit) {
				takeKeys(job);
				previewed++;
			}
		}
	} else if (jobs.length > 0) {
		let appendSent: Awaited<ReturnType<typeof sentFolderWriter>>;
		let ready = true;
		try {
			appendSent = saveToSentFolder ? await sentFolderWriter(this, imapSecrets, settings.sentFolder, mailbox.server) : undefined;
		} catch (error) {
			// Items already decided (bad input, paper) keep their outcome; none of the rest was sent.
			if (!this.continueOnFail()) throw nodeError(this, error);
			for (const job of jobs) deliveries[job.key] = settingsStop(error);
			ready = false;
		}
		if (ready) run = await runSendJobs(mailbox.connector, jobs, {
			minSecondsBetween,
			// A claimed reminder starts only when its claim outlasts the longest its sending can take.
			replyTimeoutMs: replyTimeoutOf(mailbox.server, connectorOptions(settings)),
			clock: n8nClock,
			maxPerRun: maxPerRun > 0 ? maxPerRun : null,
			maxAttempts: settings.maxAttempts,
			retryBaseMs: settings.retryDelaySeconds * 1000,
			signal: this.getExecutionCancelSignal(),
			isDuplicate,
			onSent: async (job) => {
				takeKeys(job);
				const problems: string[] = [];
				try {
					if (!job.slot) await this.helpers.checkProcessedAndRecord(keys.get(job.key)!, DEDUP_SCOPE, DEDUP_OPTIONS);
				} catch (error) {
					problems.push(`Could not record the reminder as sent (it may be sent again next run): ${(error as Error).message}`);
				}
				if (appendSent) {
					try {
						await appendSent(job.message.raw);
					} catch (error) {
						problems.push(`Sent, but the copy to the Sent folder failed: ${(error as Error).message}`);
					}
				}
				if (problems.length) throw new Error(problems.join('; '));
			},
		});
		run?.deliveries.forEach((d, n) => (deliveries[jobs[n].key] = d));
	}

	const continueOnFail = this.continueOnFail();
	const out: INodeExecutionData[] = items.map((item, i) => {
		let delivery = redactFields(deliveries[i] ?? emptyDelivery('notSent', { reason: 'internal', error: 'No outcome recorded' }), secrets());
		const letterProblem = withoutLetter.get(i);
		const outcomeWarning = [letterProblem ? `Sent without the letter PDF: ${letterProblem}` : '', withoutDetails.has(i) ? NO_COMPANY_DETAILS : '', noAccount.get(i) ?? ''].filter(Boolean);
		if (outcomeWarning.length > 0 && (delivery.status === 'sent' || delivery.status === 'preview')) {
			delivery = { ...delivery, warning: [...outcomeWarning, delivery.warning].filter(Boolean).join('; ') };
		}
		// The deadline the message states, for the workflow to store (the next stage waits for it):
		// only where the customer got that text (or, in a dry run, would get it), never on a reminder
		// that failed, waits or was not sent, nor on a duplicate (the customer got an earlier text).
		const stated = receivedText(delivery) ? statedDeadlines.get(i) : undefined;
		const json: IDataObject = { ...item.json, delivery: (stated === undefined ? delivery : { ...delivery, statedDeadline: stated }) as unknown as IDataObject };
		if (delivery.status === 'preview' && previews.has(i)) json.preview = previews.get(i) as unknown as IDataObject;
		// Bad input and a stopped run are errors (without On Error › Continue the latter fails the
		// node); sent, failed, deferred and paper are outcomes and stay on the regular output.
		if (continueOnFail && (delivery.reason === 'invalidInput' || delivery.reason === 'runStopped')) {
			return errorItem(this, json, i, delivery.error ?? delivery.reason, item.binary);
		}
		return { json, ...(item.binary ? { binary: item.binary } : {}), pairedItem: { item: i } };
	});

	if (run?.stopped && run.stopped.kind !== 'cancelled' && !this.continueOnFail()) {
		const count = (status: string) => out.filter((o) => (o.json.delivery as IDataObject).status === status).length;
		throw new NodeOperationError(this.getNode(), redactSecrets(`Sending stopped: ${run.stopped.message}`, secrets()), {
			description:
				`${count('sent')} reminder(s) were sent before the stop (they are recorded and will not be sent again); ` +
				`${count('notSent')} were not sent. Fix the mailbox settings and run again. ` +
				'To get every item with its status instead of this error, set Settings › On Error to "Continue" or "Continue (using error output)".',
		});
	}
	return [out];
}

/**
 * The node's own texts for each item (nodes/shared/own-texts-per-item.ts): an n8n expression in a
 * text is that customer's, never the first item's; matched to languages as items' languages are.
 */
function nodeTextsPerItem(ctx: IExecuteFunctions): (itemIndex: number) => CustomTemplateLookup {
	return ownTextsPerItem<NodeTemplateEntry, CustomTemplateLookup>(ctx, OWN_TEXTS, (own) => (language, level) => {
		const entry = own(language, level);
		return entry ? { templates: { subject: entry.subject, html: entry.html, text: entry.text }, source: 'node' } : undefined;
	});
}

/** Whether the customer got the rendered message (`sent`), or would get it (`preview` that the real run would send). */
function receivedText(delivery: Delivery): boolean {
	if (delivery.duplicate) return false;
	return delivery.status === 'sent' || (delivery.status === 'preview' && delivery.reason !== 'maxPerRun');
}

function nodeError(ctx: IExecuteFunctions, error: unknown): NodeOperationError {
	return error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error instanceof Error ? error.message : String(error));
}

/** A run that could not start because of the node's or credential's settings: nothing was sent. */
function settingsStop(error: unknown): Delivery {
	const message = error instanceof Error ? error.message : String(error);
	return emptyDelivery('notSent', { reason: 'runStopped', stopKind: 'settings', error: `Nothing was sent: ${message}` });
}

/**
 * The mailbox could not be set up (no credential, a sender address that is no address): without
 * On Error › Continue the node fails; with it, every item comes out `notSent` with the reason (the
 * shipped sender gives the reminders back), never without a `delivery`.
 */
function notStarted(ctx: IExecuteFunctions, items: INodeExecutionData[], error: unknown): INodeExecutionData[] {
	if (!ctx.continueOnFail()) throw nodeError(ctx, error);
	const delivery = settingsStop(error);
	return items.map((item, i) => errorItem(ctx, { ...item.json, delivery: delivery as unknown as IDataObject }, i, delivery.error!, item.binary));
}

/**
 * The letter PDF, or none when the reminder cannot be printed on a letter (a name in Hebrew, an
 * address missing): the email itself can still reach the customer, so it goes out without the
 * attachment and the delivery says why. Settings (no company details at all) still fail the item.
 */
async function letterOrNone(make: () => Promise<Attachment>, skipped: (why: string) => void): Promise<Attachment[]> {
	try {
		return [await make()];
	} catch (error) {
		// Anything else is the item's failure as before: the caller turns it into its delivery. An
		// address too long for the envelope window is the customer's data too: the email still goes.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		if (!(error instanceof LetterInputError) && !(error instanceof AddressTooLongError)) throw error;
		skipped(error.message);
		return [];
	}
}

/** The reminder as a letter PDF (Create Reminder Letter's core), for the Attach Letter PDF option. */
async function letterAttachment(
	json: Record<string, unknown>,
	fields: SendFieldNames,
	details: BusinessDetails | null,
	currency: string,
	fallbackLanguage: string,
	env: TemplateEnvironment,
	/** For an item without dunning.timezone; the letter reads dates as the e-mail does (readingTimezone). */
	workflowTimezone: string,
	/** The Locale option: the letter formats amounts and dates as the e-mail it goes with. */
	locale: string | undefined,
	/** The deadline the e-mail states: the letter it carries states the same. */
	statedDeadline: string,
): Promise<Attachment> {
	if (!details) throw new Error('Attach Letter PDF needs the company details: set Company Details Source');
	const model = buildLetterModel(json, { fields, address: { ...DEFAULT_ADDRESS_FIELDS, customerId: fields.customerId }, details, env, fallbackLanguage, form: 'B', defaultCurrency: currency, logo: null, timezone: workflowTimezone, locale, statedDeadline });
	const { pdf } = await renderLetterPdf(model);
	return { filename: model.fileName, contentType: 'application/pdf', content: pdf };
}

/**
 * The files named under Attachments. A collective reminder attaches each of its invoices' files,
 * which Compute Dunning Level's grouping keeps under numbered names (memberBinaryKey).
 */
async function readAttachments(ctx: IExecuteFunctions, itemIndex: number, invoices: InvoiceLine[]): Promise<Attachment[]> {
	const names = attachmentNames(ctx, itemIndex);
	const attachments: Attachment[] = [];
	for (const name of names) {
		for (const [k, invoice] of invoices.entries()) {
			const key = memberBinaryKey(name, k + 1);
			const binary = ctx.getInputData()[itemIndex].binary?.[key];
			if (!binary) {
				throw new Error(
					invoices.length === 1
						? `The binary field "${name}" to attach is missing on this item`
						: `The binary field "${key}" to attach (the file of invoice ${k + 1}, ${invoice.invoiceNumber}) is missing on this item`,
				);
			}
			const content = await ctx.helpers.getBinaryDataBuffer(itemIndex, key);
			attachments.push({
				filename: binary.fileName || `${key}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`,
				contentType: binary.mimeType || 'application/octet-stream',
				content,
			});
		}
	}
	return attachments;
}

/**
 * Prepares the IMAP side for the Sent-folder copy. It connects per message: messages are a minute
 * apart, longer than many servers keep an idle IMAP session. With OAuth2 the token session does
 * the sign-in. Microsoft 365, Outlook.com and Gmail file mail sent over their SMTP servers in Sent
 * themselves and get no copy, with OAuth2 as with a password (Gmail's app passwords, Microsoft's
 * SMTP AUTH): a copy would show every reminder twice. After a refused login the copies are not
 * tried again, in this run nor, for a password login, for an hour (in this n8n process) or until
 * the credential changes (see `stopAfterRefusedLogin`).
 */
async function sentFolderWriter(ctx: IExecuteFunctions, secrets: string[], sentFolder: string, smtpServer: MailServer): Promise<((raw: Buffer) => Promise<void>) | undefined> {
	const authentication = getMailboxAuthentication(ctx);
	if (isOAuth2Authentication(authentication)) {
		// The execution's cancel signal also stops waiting for a token refresh the copy needs, as for SMTP.
		const writer = await oauth2SentFolderWriter(ctx, authentication, sentFolder, ctx.getExecutionCancelSignal());
		// The token SMTP took may still be refused by another IMAP host (IMAP switched off, a wrong
		// host): remembered as for a password, until the credential is reconnected (a new grant).
		return writer && stopAfterRefusedLogin(writer, isRefusedLogin, remembered(await oauth2ImapLoginKey(ctx, authentication)));
	}
	let credentials;
	try {
		credentials = await ctx.getCredentials(IMAP_CREDENTIAL_TYPE);
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			'“Save to Sent Folder” is on but no IMAP credential is chosen: choose the “Dunning Mailbox (IMAP)” credential of this mailbox, or turn the option off',
		);
	}
	const imap = imapCredentialFrom(credentials);
	if (imap.auth.method === 'password') secrets.push(imap.auth.password);
	// Filed only when sent through the provider's own SMTP server: mail sent through another server
	// (a relay) is in no Sent folder yet and gets its copy, also in a mailbox at one of them. The
	// OAuth2 writer decides with the same function, on its credential's two hosts.
	if (skipsSentCopy(smtpServer.host, imap.server.host)) return undefined;
	const folder = sentFolder || imap.sentFolder;
	const write = async (raw: Buffer) => {
		await appendToSentFolder(imap.server, imap.auth, folder, raw);
	};
	return stopAfterRefusedLogin(write, isRefusedLogin, remembered(loginKey(imap.server, imap.auth)));
}

/**
 * A refused login kept in this n8n process, never saved: the shipped sender's next tick is a new
 * run, and a digest of a secret has no place in workflow data. A restart (or another queue
 * worker) tries once more.
 */
function remembered(key: string): RefusedLoginOptions {
	return {
		key,
		memory: {
			get: () => REFUSED_LOGINS.get(key),
			set: (refusal) => {
				if (refusal) REFUSED_LOGINS.set(key, refusal);
				else REFUSED_LOGINS.delete(key);
			},
		},
	};
}

/** Refused Sent-folder logins of this process, by login (see `sentFolderWriter`). */
const REFUSED_LOGINS = new Map<string, RefusedLogin>();

function isRefusedLogin(error: unknown): boolean {
	return (error instanceof MailboxError && error.kind === 'auth') || isOAuth2StopError(error);
}

/** A digest of server and login, so that a changed credential is tried at once; kept in memory only. */
function loginKey(server: MailServer, auth: MailAuth): string {
	return loginDigest([server.host, server.port, auth.user, auth.method === 'password' ? auth.password : '']);
}
