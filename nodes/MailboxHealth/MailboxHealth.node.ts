import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_HEALTH_POLICY, pausedError, readHealth, recordSenderEvents, type HealthPolicy, type SenderEvent } from '../../lib/ledger/mailbox-health';

type Operation = 'check' | 'recordRefusals' | 'recordSendResult';

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** A final refusal of our sender, from a Classify Bounce item; null for anything else. */
function refusalOf(json: IDataObject, at: number): SenderEvent | null {
	const bounce = json.bounce;
	if (!isObject(bounce) || bounce.category !== 'senderRejected' || bounce.final === false) return null;
	return {
		kind: 'senderRejected',
		at,
		reason: text(bounce.reason),
		status: text(bounce.status),
		diagnostic: text(bounce.diagnostic),
		remoteMta: text(bounce.remoteMta),
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
		subtitle: '={{ {"check": "Check before sending", "recordRefusals": "Record sender refusals", "recordSendResult": "Record send result"}[$parameter["operation"]] }}',
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
						description: 'Pass the items on while the mailbox is ok; fail the execution with cause and fix while it is paused',
					},
					{
						name: 'Record Sender Refusals',
						value: 'recordRefusals',
						action: 'Record sender refusals',
						description: 'Count bounces of category senderRejected (from Classify Bounce) and pause the mailbox when there are too many',
					},
					{
						name: 'Record Send Result',
						value: 'recordSendResult',
						action: 'Record send result',
						description: 'After Send Reminder Email (with Continue On Fail): pause the mailbox when the server refused the login or TLS failed',
					},
				],
			},
			{
				displayName:
					'Stores nothing itself: read the mailbox’s row from the Data Table “dunning_mailboxes” before this node, and write “mailboxHealth” back with a Data Table “Upsert” after it. To resume a paused mailbox, set its status to “ok” in that table.',
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
					'The mailbox’s row from dunning_mailboxes (status, statusReason, statusMessage, statusSince, senderRejections, recentRejections). Empty = a mailbox that is ok.',
				hint: 'Usually the output of a Data Table “Get” of the mailbox’s row, e.g. {{ $(\'Load Mailbox State\').first().json }}',
			},
			{
				displayName: 'Refusals That Pause',
				name: 'rejectionsToPause',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 3,
				displayOptions: { show: { operation: ['recordRefusals'] } },
				description: 'How many refusals of your sender within the window pause the mailbox. A failed SPF, DKIM or DMARC check pauses it at once.',
			},
			{
				displayName: 'Window (Hours)',
				name: 'windowHours',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 24,
				displayOptions: { show: { operation: ['recordRefusals'] } },
				description: 'Refusals older than this no longer count',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as Operation;
		const mailbox = String(this.getNodeParameter('mailbox', 0, 'default') || 'default');
		const rawRow = this.getNodeParameter('mailboxRow', 0, {}) as unknown;
		let row: unknown = rawRow;
		if (typeof rawRow === 'string' && rawRow.trim() !== '') {
			try {
				row = JSON.parse(rawRow) as unknown;
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `"Mailbox Row" is not valid JSON (${(error as Error).message})`);
			}
		}
		const health = readHealth(mailbox, isObject(row) ? row : null);

		if (operation === 'check') {
			const message = pausedError(health);
			if (message) {
				throw new NodeOperationError(this.getNode(), message, {
					description: `Paused since ${health.statusSince || 'an earlier run'} (cause: ${health.statusReason || 'unknown'}). Nothing was sent; released reminders wait and go out once the mailbox is resumed.`,
				});
			}
			return [items.map((item, i) => ({ json: item.json, ...(item.binary ? { binary: item.binary } : {}), pairedItem: { item: i } }))];
		}

		const now = Date.now();
		let events: SenderEvent[];
		let policy: HealthPolicy = DEFAULT_HEALTH_POLICY;
		let stopMessage: string | null = null;
		const counted = new Set<number>();
		if (operation === 'recordRefusals') {
			const threshold = Number(this.getNodeParameter('rejectionsToPause', 0, DEFAULT_HEALTH_POLICY.rejectionsToPause));
			const windowHours = Number(this.getNodeParameter('windowHours', 0, DEFAULT_HEALTH_POLICY.windowHours));
			if (!Number.isInteger(threshold) || threshold < 1) throw new NodeOperationError(this.getNode(), `"Refusals That Pause" must be a whole number of at least 1, not ${threshold}`);
			if (!Number.isFinite(windowHours) || windowHours <= 0) throw new NodeOperationError(this.getNode(), `"Window (Hours)" must be more than 0, not ${windowHours}`);
			policy = { rejectionsToPause: threshold, windowHours };
			events = [];
			items.forEach((item, i) => {
				const event = refusalOf(item.json ?? {}, now);
				if (event) {
					events.push(event);
					counted.add(i);
				}
			});
		} else {
			const stop = stopOf(items, now);
			events = stop ? [stop] : [];
			if (stop) stopMessage = `Sending stopped: ${stop.message}`;
		}
		const change = recordSenderEvents(health, events, new Date(now).toISOString(), policy);
		if (change.health.status === 'paused' && stopMessage !== null) stopMessage = change.health.statusMessage;
		const state: IDataObject = { ...change.health, pausedNow: change.pausedNow, stopMessage };
		return [
			items.map((item, i) => ({
				json: { ...item.json, mailboxHealth: { ...state, ...(operation === 'recordRefusals' ? { counted: counted.has(i) } : {}) } },
				pairedItem: { item: i },
			})),
		];
	}
}
