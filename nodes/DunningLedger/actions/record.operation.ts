/**
 * "Record Deliveries": writes each reminder's delivery outcome back to its claimed row, and frees
 * the rows that were not sent for the next tick.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sendSlotOf } from '../../../lib/ledger/claim';
import { recordOutcome, type DeliveryOutcome } from '../../../lib/ledger/record';
import { CLAIM_COLUMNS, openTable } from '../data-table';

const show = { operation: ['record'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Put this after Send Reminder Email. Each item needs the "claim" object from Claim Reminders and the "delivery" object from Send Reminder Email.',
		name: 'recordNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
];

interface ClaimRef {
	id: string;
	rowId: number;
	leaseUntil: number;
}

function claimOf(json: IDataObject): ClaimRef | string {
	const claim = json.claim as IDataObject | undefined;
	if (!claim || typeof claim !== 'object') return 'the field "claim" is missing (set by Claim Reminders)';
	const rowId = Number(claim.rowId);
	if (typeof claim.id !== 'string' || !claim.id) return 'the field "claim.id" is missing';
	if (!Number.isInteger(rowId)) return 'the field "claim.rowId" is not a row id';
	try {
		return { id: claim.id, rowId, leaseUntil: sendSlotOf(claim)!.leaseUntil };
	} catch (error) {
		return (error as Error).message;
	}
}

function deliveryOf(json: IDataObject): DeliveryOutcome | string {
	const delivery = json.delivery as IDataObject | undefined;
	if (!delivery || typeof delivery !== 'object' || typeof delivery.status !== 'string') {
		return 'the field "delivery.status" is missing (set by Send Reminder Email)';
	}
	const text = (key: string) => (delivery[key] === undefined || delivery[key] === null ? undefined : String(delivery[key]));
	return {
		status: delivery.status,
		reason: text('reason'),
		messageId: text('messageId'),
		sentAt: text('sentAt'),
		attempts: Number(delivery.attempts) || 0,
		smtpResponse: text('smtpResponse'),
		error: text('error'),
	};
}

export async function execute(this: IExecuteFunctions, remindersTable: string): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const { table } = await openTable(this, remindersTable, CLAIM_COLUMNS, false, 'Run the workflow "Dunning run" once: it creates the reminders table.');
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const json = items[i].json ?? {};
		const claim = claimOf(json);
		const delivery = deliveryOf(json);
		const problem = typeof claim === 'string' ? claim : typeof delivery === 'string' ? delivery : null;
		if (problem !== null || typeof claim === 'string' || typeof delivery === 'string') {
			const message = `Item ${i}: ${problem}`;
			if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), message, { itemIndex: i });
			out.push({ json: { ...json, recorded: false, error: message }, pairedItem: { item: i } });
			continue;
		}
		const row = await recordOutcome(table, { rowId: claim.rowId, claimId: claim.id, leaseUntil: claim.leaseUntil, now: Date.now(), delivery });
		out.push({
			json: row
				? { ...row, recorded: true }
				: { ...json, recorded: false, error: 'The claim ended before the outcome was recorded; another execution holds this reminder now' },
			pairedItem: { item: i },
		});
	}
	return [out];
}
