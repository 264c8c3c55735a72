import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import * as claim from './actions/claim.operation';
import * as record from './actions/record.operation';

/**
 * The reminders ledger in n8n Data Tables, as the shipped sender uses it: claim before send, one
 * pace per mailbox, record after. Thin adapter over lib/ledger/.
 */
// Not offered as an AI tool: claiming changes shared state and belongs in the sender workflow.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class DunningLedger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dunning Ledger',
		name: 'dunningLedger',
		icon: { light: 'file:dunningLedger.svg', dark: 'file:dunningLedger.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "claim" ? "Claim reminders" : "Record deliveries" }}',
		description: 'Claim released reminders for sending and record their delivery, safely across overlapping executions and workers',
		defaults: { name: 'Dunning Ledger' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Claim Reminders',
						value: 'claim',
						description: 'Take the oldest reminders this mailbox may send now, for this execution only',
						action: 'Claim reminders',
					},
					{
						name: 'Record Deliveries',
						value: 'record',
						description: 'Write each reminder’s delivery outcome back to the ledger',
						action: 'Record deliveries',
					},
				],
				default: 'claim',
			},
			{
				displayName: 'Reminders Table',
				name: 'remindersTable',
				type: 'string',
				default: 'dunning_reminders',
				description: 'Data Table the dunning run releases reminders into',
			},
			...claim.description,
			...record.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const remindersTable = String(this.getNodeParameter('remindersTable', 0, 'dunning_reminders'));
		if (operation === 'claim') return await claim.execute.call(this, remindersTable);
		if (operation === 'record') return await record.execute.call(this, remindersTable);
		throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
	}
}
