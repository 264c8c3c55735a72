/**
 * The "Confirm Read Position" operation of Read Mailbox: the step at the end of a workflow that
 * tells the Read Mailbox nodes with "Save Position: At a Confirm Position Step" that their messages
 * were handled, so the next run goes on after them (position.ts). No mail connection.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { confirmPositions } from './position';

export const confirmPositionProperties: INodeProperties[] = [
	{
		displayName:
			'Put this step last, after every step that handles the messages. It confirms where the Read Mailbox nodes of this run with the option "Save Position: At a Confirm Position Step" read to, so the next run goes on after those messages. A run that fails before this step reads its messages again next time, so that none is lost. The incoming items pass through unchanged.',
		name: 'confirmNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['confirmPosition'] } },
	},
];

export function executeConfirmPosition(ctx: IExecuteFunctions): INodeExecutionData[] {
	const executionId = ctx.getExecutionId();
	const confirmed = executionId ? confirmPositions(ctx.getWorkflowStaticData('global'), executionId) : [];
	ctx.addExecutionHints({
		message: confirmed.length
			? `Confirmed: ${confirmed.map((c) => `${c.folder} up to UID ${c.lastUid}`).join('; ')}.`
			: 'Nothing to confirm: no Read Mailbox node with "Save Position: At a Confirm Position Step" passed on messages in this run (a run that read nothing saves its position at once).',
		type: 'info',
		location: 'outputPane',
	});
	// Runs once per execution whatever the items; they pass through, so this can end any workflow.
	return ctx.getInputData().map((item, i) => ({ ...item, pairedItem: { item: i } }));
}
