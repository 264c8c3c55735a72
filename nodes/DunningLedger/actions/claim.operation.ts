/**
 * "Claim Reminders": takes the oldest reminders of one mailbox that may be sent now, claims them
 * for this execution and reserves a sending slot for each within this tick. The rules live in
 * lib/ledger/; this file maps parameters and rows.
 */
import { randomUUID } from 'node:crypto';

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { claimReminders, releaseClaims } from '../../../lib/ledger/claim';
import { PACE_MARGIN_MS, reserveSlots } from '../../../lib/ledger/pace';
import { CLAIM_COLUMNS, DEFAULT_MAILBOX, MAILBOX_COLUMNS, openTable } from '../data-table';

const show = { operation: ['claim'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Claims reminders for this execution only, so that overlapping executions and several workers never send one twice, and keeps one pace per mailbox across them. Read once per run, from the first input item.',
		name: 'claimNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Mailbox',
		name: 'mailbox',
		type: 'string',
		default: DEFAULT_MAILBOX,
		placeholder: 'e.g. default or shop-de',
		description:
			'Which mailbox this sender sends for: only reminders whose "mailbox" column has this value are claimed. Use one sender workflow per mailbox, each with its own credential.',
		displayOptions: { show },
	},
	{
		displayName: 'Minimum Seconds Between Emails',
		name: 'minSecondsBetween',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60,
		description:
			'Pause between two emails of this mailbox, kept across all executions and workers. Under 60 risks spam flags with many providers. Set the same value in Send Reminder Email.',
		displayOptions: { show },
	},
	{
		displayName: 'Tick Length (Seconds)',
		name: 'tickSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description:
			'How often this workflow runs. Only reminders whose sending slot falls within one tick are claimed, so that no execution runs for long.',
		displayOptions: { show },
	},
	{
		displayName: 'Max Reminders per Tick',
		name: 'maxPerTick',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Upper limit per execution; 0 = as many as the pace allows within the tick',
		displayOptions: { show },
	},
	{
		displayName: 'Lease (Minutes)',
		name: 'leaseMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 15,
		description:
			'How long a claim holds. A reminder claimed by an execution that died (worker killed, n8n restarted) is given back after this time; keep it longer than a tick plus the retries of temporary errors.',
		displayOptions: { show },
	},
	{
		displayName: 'Mailboxes Table',
		name: 'mailboxesTable',
		type: 'string',
		default: 'dunning_mailboxes',
		description: 'Data Table that keeps each mailbox’s next allowed sending time; created when missing',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, remindersTable: string): Promise<INodeExecutionData[][]> {
	const mailbox = String(this.getNodeParameter('mailbox', 0, DEFAULT_MAILBOX)).trim() || DEFAULT_MAILBOX;
	const minSecondsBetween = Number(this.getNodeParameter('minSecondsBetween', 0, 60));
	const tickSeconds = Number(this.getNodeParameter('tickSeconds', 0, 60));
	const maxPerTick = Number(this.getNodeParameter('maxPerTick', 0, 0));
	const leaseMinutes = Number(this.getNodeParameter('leaseMinutes', 0, 15));
	for (const [name, value, min] of [
		['Minimum Seconds Between Emails', minSecondsBetween, 0],
		['Tick Length (Seconds)', tickSeconds, 1],
		['Max Reminders per Tick', maxPerTick, 0],
		['Lease (Minutes)', leaseMinutes, 1],
	] as const) {
		if (!Number.isFinite(value) || value < min) {
			throw new NodeOperationError(this.getNode(), `"${name}" must be a number of at least ${min}, not ${value}`);
		}
	}
	const gapMs = minSecondsBetween * 1000;
	const horizonMs = tickSeconds * 1000;
	const leaseMs = Math.max(leaseMinutes * 60_000, 2 * horizonMs);
	const paceFit = Math.ceil(horizonMs / (gapMs + PACE_MARGIN_MS));
	const max = maxPerTick > 0 ? Math.min(maxPerTick, paceFit) : paceFit;

	const reminders = await openTable(this, remindersTable, CLAIM_COLUMNS, false, 'Run the workflow "Dunning run" once: it creates the reminders table.');
	if (reminders.added.includes('mailbox')) {
		// Rows from before several mailboxes existed belong to the default one.
		await reminders.table.update([{ column: 'mailbox', op: 'isEmpty' }], { mailbox: DEFAULT_MAILBOX });
	}
	const mailboxes = await openTable(this, String(this.getNodeParameter('mailboxesTable', 0, 'dunning_mailboxes')), MAILBOX_COLUMNS, true, '');

	const claimId = `${this.getExecutionId()}:${randomUUID()}`;
	const now = Date.now();
	const claimed = await claimReminders(reminders.table, { mailbox, claimId, now, max, leaseMs });
	const slots = await reserveSlots(mailboxes.table, { mailbox, now, count: claimed.length, gapMs, horizonMs });
	await releaseClaims(reminders.table, claimed.slice(slots.length), claimId);

	return [
		claimed.slice(0, slots.length).map((row, i) => ({
			json: {
				...row,
				claim: {
					id: claimId,
					rowId: row.id,
					mailbox,
					notBefore: new Date(slots[i]).toISOString(),
					notAfter: new Date(slots[i] + PACE_MARGIN_MS).toISOString(),
					leaseUntil: new Date(Number(row.leaseUntil)).toISOString(),
				},
			},
			pairedItem: { item: 0 },
		})),
	];
}
