import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { planSlots } from '../../lib/ledger/pace';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Plans this tick's sending slots for one mailbox from the mailbox's shared pace row. Thin adapter
 * over lib/ledger/pace.ts; the shipped sender reserves the plan with a conditional Data Table
 * update and claims one reminder per slot.
 */
// Not offered as an AI tool: it plans a step of the sender workflow and is of no use on its own.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class DunningPace implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dunning Pace',
		name: 'dunningPace',
		icon: { light: 'file:dunningPace.svg', dark: 'file:dunningPace.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'Plan sending slots',
		description: 'Plan the sending slots of one mailbox for this run, so that overlapping executions and workers keep one pace',
		defaults: { name: 'Plan Sending Slots' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Reads the mailbox’s row from the Data Table “dunning_mailboxes” (its next allowed sending time) and plans one slot per waiting reminder within this run. Put a Data Table “Update” after it that moves nextSendAt from “expectedNextSendAt” to “nextSendAt”: only the execution whose update matched may send. All values are read once per run, from the first input item.',
				name: 'paceNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Next Allowed Sending Time',
				name: 'nextSendAt',
				type: 'number',
				default: 0,
				placeholder: 'e.g. {{ $json.nextSendAt }}',
				description: 'The mailbox row’s nextSendAt (milliseconds since 1970); 0 for a mailbox that has not sent yet',
			},
			{
				displayName: 'Reminders Waiting',
				name: 'waiting',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1,
				description: 'How many reminders could be sent now; at most this many slots are planned',
			},
			{
				displayName: 'Minimum Seconds Between Emails',
				name: 'minSecondsBetween',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description: 'Pause between two emails of this mailbox, across all executions and workers. Under 60 risks spam flags with many providers.',
			},
			{
				displayName: 'Run Length (Seconds)',
				name: 'tickSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description: 'How often the sender runs. Slots are planned only within one run, so that no execution runs for long.',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const number = (name: string, min: number) => {
			const value = Number(this.getNodeParameter(name, 0));
			if (!Number.isFinite(value) || value < min) {
				throw new NodeOperationError(this.getNode(), `"${name}" must be a number of at least ${min}, not ${String(this.getNodeParameter(name, 0))}`);
			}
			return value;
		};
		const expectedNextSendAt = number('nextSendAt', 0);
		const plan = planSlots({
			nextSendAt: expectedNextSendAt,
			now: Date.now(),
			count: number('waiting', 0),
			gapMs: number('minSecondsBetween', 0) * 1000,
			horizonMs: number('tickSeconds', 1) * 1000,
		});
		// Nothing may be sent in this run: no item, so the rest of the sender does not run.
		if (!plan) return [[]];
		return [
			[
				{
					json: {
						expectedNextSendAt,
						nextSendAt: plan.nextSendAt,
						slotCount: plan.slots.length,
						slots: plan.slots.map((s) => (s.notAfter === undefined ? { notBefore: iso(s.notBefore) } : { notBefore: iso(s.notBefore), notAfter: iso(s.notAfter) })),
					},
					pairedItem: { item: 0 },
				},
			],
		];
	}
}
