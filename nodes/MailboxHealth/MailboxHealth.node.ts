import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_HEALTH_POLICY, RETURNED_AT_ONCE_DAYS, RETURNED_AT_ONCE_RECIPIENTS, pausedError, readHealth, recordSenderEvents, statusProblem, type HealthPolicy, type MailboxHealth as MailboxHealthState, type SenderEvent } from '../../lib/ledger/mailbox-health';
import { slotStall, type SlotOutcome } from '../../lib/mail/slot-miss';
import { isForwarded } from '../../lib/bounce/message-headers';
import { errorItem } from '../shared/error-item';
import { readNumberSetting } from '../shared/number-setting';
import { runSettingMessage } from '../shared/run-setting';

type Operation = 'check' | 'recordRefusals' | 'recordSendResult';

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * When a report arrived: Read Mailbox's `internalDate` (or a trigger's `date`), never later than
 * now (a date in the future is the sender's own, not the arrival); `now` without either.
 */
function arrivedAt(json: IDataObject, now: number): number {
	for (const value of [json.internalDate, json.date]) {
		const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
		if (Number.isFinite(at)) return Math.min(at, now);
	}
	return now;
}

/** An ISO date with a time: a bare date (midnight) would place a reminder sent that day before a pause that began later. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
/** Earlier is no reminder's time: most likely seconds taken for milliseconds. */
const EARLIEST_SENT_AT = Date.UTC(2000, 0, 1);

/**
 * When the refused reminder was sent: the reminder row's `sentAt` (the sender's ISO time) or epoch
 * ms; null when missing or unreadable, and the refusal counts as any other. A wrong time must not
 * pass for one before the last pause, which would keep the refusal from pausing.
 */
function sentAtOf(value: unknown): number | null {
	const at = typeof value === 'number' ? value : typeof value === 'string' && ISO_TIME.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
	return Number.isFinite(at) && at >= EARLIEST_SENT_AT ? at : null;
}

/** A customer ID or `refusedFor` as text, trimmed; null when missing or empty. */
function idText(value: unknown): string | null {
	const id = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
	return id === '' ? null : id;
}

/**
 * Whom a refusal counts for, the same whether refused while sending or returned by mail, so that
 * one customer counts once: the item's `refusedFor` (the refused reminder's customer, as the shipped
 * bounce workflow's Refusal Report sets it: customer ID, else the address in lower case), else its
 * `customerId` (the reminder as Send Reminder Email passes it on), else `address` in lower case (the
 * reminder's `email` at send, bounce.recipient returned). So one report with several recipient
 * blocks (made-up forward targets) for one reminder counts once, and a customer refused at send
 * and returned later is one recipient, not two.
 */
function countsFor(json: IDataObject, address: unknown): string | null {
	const who = idText(json.refusedFor) ?? idText(json.customerId);
	if (who !== null) return who;
	const a = typeof address === 'string' ? address.trim().toLowerCase() : '';
	return a === '' ? null : a;
}

/** A final refusal of our sender, from a Classify Bounce item (a report returned by mail); null for anything else. */
function refusalOf(json: IDataObject, now: number): SenderEvent | null {
	const bounce = json.bounce;
	if (!isObject(bounce) || bounce.category !== 'senderRejected' || bounce.final === false) return null;
	return {
		kind: 'senderRejected',
		at: arrivedAt(json, now),
		sentAt: sentAtOf(json.sentAt),
		// A report anyone holding the reminder can forge: a cause that pauses at once while sending
		// pauses only when it comes back for a second recipient (mailbox-health.ts).
		returned: true,
		recipient: countsFor(json, bounce.recipient),
		reason: text(bounce.reason),
		status: text(bounce.status),
		diagnostic: text(bounce.diagnostic),
		remoteMta: text(bounce.remoteMta),
		forwarded: isForwarded(text(bounce.originalRecipient), text(bounce.recipient)),
	};
}

/**
 * A reminder our own SMTP server refused because of our sender, message or host, from a Send
 * Reminder Email item (delivery.category, the same rules as Classify Bounce): it counts as the same
 * refusal returned by mail, and a failed SPF/DKIM/DMARC check or a refusal of our own account
 * pauses at once (no one else can make our own server say it). Null for anything else.
 */
function refusalAtSendOf(json: IDataObject, at: number): SenderEvent | null {
	const delivery = json.delivery;
	if (!isObject(delivery) || delivery.status !== 'failed' || delivery.category !== 'senderRejected') return null;
	return {
		kind: 'senderRejected',
		at,
		// Refused while sending: sent now, so after any pause.
		sentAt: at,
		recipient: countsFor(json, json.email),
		reason: text(delivery.bounceReason),
		status: text(delivery.smtpStatus),
		diagnostic: text(delivery.smtpResponse),
		remoteMta: null,
	};
}

/** The stop of Send Reminder Email's run, from its items (with Continue On Fail); null when it went through. */
function stopOf(items: INodeExecutionData[], at: number): (SenderEvent & { kind: 'sendStopped' }) | null {
	for (const item of items) {
		const delivery = item.json.delivery;
		if (isObject(delivery) && delivery.reason === 'runStopped') {
			return { kind: 'sendStopped', at, failure: text(delivery.stopKind) ?? 'other', message: text(delivery.error) ?? 'Sending stopped' };
		}
	}
	return null;
}

/** A Send Reminder Email item as the slot-stall rule reads it (the shipped sender puts the row's last `error` in `claim`). */
function slotOutcomeOf(item: INodeExecutionData): SlotOutcome {
	const { json } = item;
	const claim = isObject(json.claim) ? json.claim : {};
	return {
		invoice: String(json.invoiceNumber ?? json.invoiceId ?? '?'),
		delivery: isObject(json.delivery) ? json.delivery : {},
		previousError: claim.previousError,
	};
}

/** What is wrong with an input: the field at fault and a message for the operator. */
interface Problem {
	field: string;
	message: string;
}

/** Why an item cannot be a Classify Bounce result; null when it can. */
function bounceProblem(json: IDataObject): Problem | null {
	const bounce = json.bounce;
	if (bounce === undefined || bounce === null) {
		return { field: 'bounce', message: 'field "bounce" is missing: connect an output of Classify Bounce, or keep its "bounce" field when you reshape the item' };
	}
	if (!isObject(bounce)) return { field: 'bounce', message: `field "bounce" must be the object Classify Bounce writes, not ${JSON.stringify(bounce)}` };
	if (typeof bounce.category !== 'string' || bounce.category === '') {
		return { field: 'bounce.category', message: 'field "bounce.category" is missing: connect an output of Classify Bounce (version 0.2.0 of this package or later writes it)' };
	}
	if (bounce.final !== undefined && typeof bounce.final !== 'boolean') {
		return { field: 'bounce.final', message: `field "bounce.final" must be true or false, not ${JSON.stringify(bounce.final)}` };
	}
	return null;
}

/** Why an item cannot be a Send Reminder Email result; null when it can. */
function deliveryProblem(json: IDataObject): Problem | null {
	const delivery = json.delivery;
	if (delivery === undefined || delivery === null) {
		return {
			field: 'delivery',
			message: 'field "delivery" is missing: connect the output of Send Reminder Email, with its Settings › On Error set to "Continue", so that a stopped run still gives its items',
		};
	}
	if (!isObject(delivery) || typeof delivery.status !== 'string') {
		return { field: 'delivery.status', message: 'field "delivery" must be the object Send Reminder Email writes, with a "status"' };
	}
	return null;
}

/**
 * Why a Mailbox Row is not this mailbox's row of dunning_mailboxes; null when it is (or is empty:
 * a mailbox without a row yet). Read as a row, any other item (the default `{{ $json }}` under a
 * Record operation is the bounce) would look like an ok mailbox with nothing counted: the counts
 * would never add up, and Check would let a paused mailbox send.
 */
function mailboxRowProblem(row: IDataObject, mailbox: string): string | null {
	if (Object.keys(row).length === 0) return null;
	const own = row.mailbox;
	if (typeof own !== 'string' || own.trim() === '') {
		return `"Mailbox Row" is no row of dunning_mailboxes (it has no "mailbox" field): set it to the mailbox's row as a Data Table "Get" read it, e.g. {{ $('Load Mailbox State').first().json }}`;
	}
	if (own.trim().toLowerCase() !== mailbox.trim().toLowerCase()) return `"Mailbox Row" is the row of mailbox "${own}", not of "${mailbox}" (the Mailbox field)`;
	return null;
}

/** `statusProblem`: the row's status is neither ok nor paused (read as paused); null when it is one of them. */
type RunSettings = { health: MailboxHealthState; policy: HealthPolicy; statusProblem: string | null } | { problem: Problem };

/** A parameter's value, or the problem of an expression that could not be evaluated. */
function parameter(ctx: IExecuteFunctions, name: string, label: string, fallback: unknown): { value: unknown } | { problem: Problem } {
	try {
		return { value: ctx.getNodeParameter(name, 0, fallback) as unknown };
	} catch (error) {
		return { problem: { field: name, message: `"${label}" could not be read: ${(error as Error).message}` } };
	}
}

/** The mailbox's state and the pause policy, read once per run from the first item. */
function runSettings(ctx: IExecuteFunctions, operation: Operation): RunSettings {
	const mailbox = parameter(ctx, 'mailbox', 'Mailbox', 'default');
	if ('problem' in mailbox) return mailbox;
	const rawRow = parameter(ctx, 'mailboxRow', 'Mailbox Row', {});
	if ('problem' in rawRow) return rawRow;
	let row = rawRow.value;
	if (typeof row === 'string') {
		try {
			row = row.trim() === '' ? {} : (JSON.parse(row) as unknown);
		} catch (error) {
			return { problem: { field: 'mailboxRow', message: `"Mailbox Row" is not valid JSON: ${(error as Error).message}` } };
		}
	}
	if (row !== null && row !== undefined && !isObject(row)) {
		return { problem: { field: 'mailboxRow', message: `"Mailbox Row" must be one row of dunning_mailboxes (a JSON object), not ${JSON.stringify(row)}` } };
	}
	const name = String(mailbox.value || 'default');
	const rowProblem = isObject(row) ? mailboxRowProblem(row, name) : null;
	if (rowProblem) return { problem: { field: 'mailboxRow', message: rowProblem } };
	const health = readHealth(name, isObject(row) ? row : null);
	const unknownStatus = statusProblem(name, isObject(row) ? row : null);
	if (operation === 'check') return { health, policy: DEFAULT_HEALTH_POLICY, statusProblem: unknownStatus };
	const rawThreshold = parameter(ctx, 'rejectionsToPause', 'Refusals That Pause', DEFAULT_HEALTH_POLICY.rejectionsToPause);
	if ('problem' in rawThreshold) return rawThreshold;
	const rawWindow = parameter(ctx, 'windowHours', 'Window (Hours)', DEFAULT_HEALTH_POLICY.windowHours);
	if ('problem' in rawWindow) return rawWindow;
	const threshold = readNumberSetting(rawThreshold.value, { min: 1, whole: true });
	if ('problem' in threshold) return { problem: { field: 'rejectionsToPause', message: `"Refusals That Pause" ${threshold.problem}` } };
	const windowHours = readNumberSetting(rawWindow.value, { min: 0, minExclusive: true });
	if ('problem' in windowHours) return { problem: { field: 'windowHours', message: `"Window (Hours)" ${windowHours.problem}` } };
	return { health, policy: { rejectionsToPause: threshold.value, windowHours: windowHours.value }, statusProblem: unknownStatus };
}

/**
 * Keeps a mailbox's sender health (lib/ledger/mailbox-health.ts): counts refusals of our sender,
 * pauses the mailbox, and stops a paused mailbox's sender with cause and fix. It computes; the
 * row lives in the Data Table `dunning_mailboxes`, read and written by n8n's Data Table nodes.
 */
// Not offered as an AI tool: a step of the shipped sender and bounce workflows, of no use on its own.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class MailboxHealth implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mailbox Health',
		name: 'mailboxHealth',
		icon: { light: 'file:mailboxHealth.svg', dark: 'file:mailboxHealth.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ {"check": "Check Before Sending", "recordRefusals": "Record Sender Refusals", "recordSendResult": "Record Send Result"}[$parameter["operation"]] }}',
		description: 'Pause a mailbox whose reminders are refused because of your sender (SPF, DKIM, DMARC, blocklist, login) and stop its sending until you resume it',
		defaults: { name: 'Mailbox Health' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'check',
				options: [
					{
						name: 'Check Before Sending',
						value: 'check',
						action: 'Check before sending',
						description:
							'Pass the items on while the mailbox is ok (status "ok" or empty); while it is paused, fail the execution with cause and fix (or, with the error output on, send every item there). Any other status ("pause", "stopped", true …) stops sending too, naming the value.',
					},
					{
						name: 'Record Sender Refusals',
						value: 'recordRefusals',
						action: 'Record sender refusals',
						description:
							'Count bounces of category senderRejected (from Classify Bounce) and pause the mailbox when there are too many. Each counts for the item field refusedFor (whom the refused reminder was for, e.g. the customer ID; the shipped bounce workflow sets it), else for customerId, else for bounce.recipient, so one report listing several addresses for one reminder counts once. A refusal of a reminder sent before the last pause (item field sentAt) only adds to the total when it is of that pause’s cause (statusReason, kept after you resume) or that cause is unknown.',
					},
					{
						name: 'Record Send Result',
						value: 'recordSendResult',
						action: 'Record send result',
						description:
							'After Send Reminder Email (its Settings › On Error set to "Continue"): count reminders the SMTP server refused because of your sender (as Record Sender Refusals counts bounces, each for the item field refusedFor, else customerId, else email in lower case, so a customer refused while sending and later by a returned report counts once), and pause the mailbox when there are too many or when the server refused the login or TLS failed. Also names a stalled sender: a reminder that missed its sending slot in two runs in a row.',
					},
				],
			},
			{
				displayName:
					'Stores nothing itself: read the mailbox’s row from the Data Table “dunning_mailboxes” before this node, and write “mailboxHealth” back to that row with a Data Table “Update” after it (“Upsert” where the row may not exist yet). To resume a paused mailbox, set its status to “ok” in that table.',
				name: 'healthNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Mailbox',
				name: 'mailbox',
				type: 'string',
				default: 'default',
				description: 'Name of the mailbox, as in the “mailbox” column of dunning_mailboxes and of the reminders',
			},
			{
				displayName: 'Mailbox Row',
				name: 'mailboxRow',
				type: 'json',
				default: '={{ $json }}',
				description:
					'This mailbox’s row of dunning_mailboxes, as a Data Table “Get” reads it. Status "ok" or empty sends; any other status reads as paused. Empty = a mailbox without a row yet (ok).',
				hint: 'Under the Record operations the incoming items are bounces or send results, not the row: use e.g. {{ $(\'Load Mailbox State\').first().json }}',
			},
			{
				displayName: 'Refusals That Pause',
				name: 'rejectionsToPause',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 3,
				displayOptions: { show: { operation: ['recordRefusals', 'recordSendResult'] } },
				description:
					'Refusals of your sender for this many different recipients within the window pause the mailbox; one customer refused again and again counts once. Refusals while sending (Record Send Result) count as well as returned ones. ' +
					'A failed SPF, DKIM or DMARC check, or a refusal of your own account (Send As denied, sending limit used up, blocked sender, own mailbox full), pauses it at once when your own SMTP server refuses a reminder so while sending (Record Send Result); ' +
					`returned by mail (a report anyone holding the reminder can forge), only once such reports came back for ${RETURNED_AT_ONCE_RECIPIENTS} different recipients within ${RETURNED_AT_ONCE_DAYS} days ` +
					'(not only the window: a mailbox that sends a reminder a day must be caught too).',
			},
			{
				displayName: 'Window (Hours)',
				name: 'windowHours',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 24,
				displayOptions: { show: { operation: ['recordRefusals', 'recordSendResult'] } },
				description:
					'Refusals older than this no longer count. Each counts from when its report arrived: a report read late counts from its arrival, not from when it was read. ' +
					`A returned SPF, DKIM or DMARC failure or refusal of your own account counts ${RETURNED_AT_ONCE_DAYS} days (or this window, if longer) towards the ${RETURNED_AT_ONCE_RECIPIENTS} different recipients that pause.`,
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as Operation;
		const continueOnFail = this.continueOnFail();
		// Bad items fail alone; with Continue On Fail each becomes an error item (a thrown error would
		// pass every input item on to the success output, which for a paused mailbox means sending).
		const failItem = (i: number, message: string, field?: string, json: IDataObject = items[i].json): INodeExecutionData => {
			if (!continueOnFail) throw new NodeOperationError(this.getNode(), message, { itemIndex: i, description: field ? `Field: ${field}` : undefined });
			return errorItem(this, json, i, message, items[i].binary);
		};
		const failRun = (message: string, field?: string) => [items.map((_, i) => failItem(i, message, field))];
		// A bad input item of a Record operation fails alone, also without Continue On Fail: thrown, it
		// would take the good items' refusals with it (not counted, the mailbox not paused). It goes on
		// with the error that names item and field, as under "Continue (using regular output)".
		const badItem = (i: number, message: string, field: string, json: IDataObject): INodeExecutionData =>
			continueOnFail ? failItem(i, message, field, json) : { json: { ...json, error: message }, ...(items[i].binary ? { binary: items[i].binary } : {}), pairedItem: { item: i } };

		const settings = runSettings(this, operation);
		if ('problem' in settings) {
			const { field, message } = settings.problem;
			return failRun(runSettingMessage(message, { itemPrefix: true }), field);
		}
		const { health, policy } = settings;
		const unknownStatus = settings.statusProblem;

		if (operation === 'check') {
			const message = pausedError(health);
			if (message) {
				const description = unknownStatus
					? 'Field "status" of the Mailbox Row: expected "ok" (send) or "paused". Nothing was sent; released reminders wait and go out once status is "ok".'
					: `Paused since ${health.statusSince || 'an earlier run'} (cause: ${health.statusReason || 'unknown'}). Nothing was sent; released reminders wait and go out once the mailbox is resumed.`;
				if (!continueOnFail) throw new NodeOperationError(this.getNode(), message, { description });
				return failRun(message);
			}
			return [items.map((item, i) => ({ json: item.json, ...(item.binary ? { binary: item.binary } : {}), pairedItem: { item: i } }))];
		}

		const now = Date.now();
		const problems = new Map<number, Problem>();
		items.forEach((item, i) => {
			const problem = operation === 'recordRefusals' ? bounceProblem(item.json) : deliveryProblem(item.json);
			if (problem) problems.set(i, problem);
		});
		const valid = items.filter((_, i) => !problems.has(i));
		const events: SenderEvent[] = [];
		let stopMessage: string | null = null;
		const counted = new Set<number>();
		const refusal = operation === 'recordRefusals' ? refusalOf : refusalAtSendOf;
		items.forEach((item, i) => {
			const event = problems.has(i) ? null : refusal(item.json, now);
			if (event) {
				events.push(event);
				counted.add(i);
			}
		});
		if (operation === 'recordSendResult') {
			const stop = stopOf(valid, now);
			if (stop) {
				events.push(stop);
				stopMessage = `Sending stopped: ${stop.message}`;
			}
		}
		const change = recordSenderEvents(health, events, new Date(now).toISOString(), policy);
		// A sender that has just paused its mailbox fails its execution, loudly, with cause and fix.
		if (change.health.status === 'paused' && (stopMessage !== null || (operation === 'recordSendResult' && change.pausedNow))) stopMessage = change.health.statusMessage;
		// A reminder that misses its slot run after run stops nothing else, so only this says so.
		if (operation === 'recordSendResult' && stopMessage === null) stopMessage = slotStall(health.mailbox, valid.map(slotOutcomeOf));
		// The row must be written back when a refusal was counted or the mailbox paused.
		const changed = counted.size > 0 || change.pausedNow;
		// A status in the operator's own words reads as paused: refusals count on (in the total, as for
		// any paused mailbox), nothing pauses now (so a Save of the pause leaves the cell as written),
		// and the output says what to set (statusProblem, and a warning).
		if (unknownStatus) this.addExecutionHints({ message: unknownStatus, type: 'warning', location: 'outputPane' });
		const state: IDataObject = { ...change.health, pausedNow: change.pausedNow, changed, stopMessage, statusProblem: unknownStatus };
		return [
			items.map((item, i) => {
				const json = { ...item.json, mailboxHealth: { ...state, counted: counted.has(i) } };
				// On the regular output a failed item carries the run's health too: a Save after this
				// node reads it from the first item, whichever item that is.
				const problem = problems.get(i);
				if (problem) return badItem(i, `Item ${i}: ${problem.message}`, problem.field, json);
				return {
					json,
					...(item.binary ? { binary: item.binary } : {}),
					pairedItem: { item: i },
				};
			}),
		];
	}
}
