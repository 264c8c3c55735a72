import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';

import type { BounceCategory } from '../../lib/bounce';
import { classifyItems, sourceProperties } from './shared';

/**
 * Version 2: outputs by what the workflow must do (DESIGN.md, Classify Bounce categories).
 * A complaint goes with a dead address: both mean "no more e-mail to this customer, this reminder
 * on paper"; `bounce.category` tells them apart.
 */
export const OUTPUT_OF: Record<BounceCategory, number> = {
	addressDead: 0,
	complaint: 0,
	recipientRefused: 1,
	senderRejected: 2,
	reply: 3,
	delayed: 4,
	autoReply: 4,
	delivered: 4,
	none: 4,
};
export const OUTPUT_NAMES = ['Address Dead', 'Not Delivered', 'Sender Problem', 'Reply', 'Other'];

// Not usableAsTool: a node with several outputs, and in tool mode n8n returns only the first.
export class ClassifyBounceV2 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 2,
			subtitle: '={{ ($parameter["source"] === "text" ? "From Field " + $parameter["textField"] : $parameter["source"] === "emailTrigger" ? "From Email Trigger Fields" : "From Binary Field " + $parameter["binaryPropertyName"]) }}',
			defaults: { name: 'Classify Bounce' },
			inputs: [NodeConnectionTypes.Main],
			outputs: OUTPUT_NAMES.map(() => NodeConnectionTypes.Main),
			outputNames: OUTPUT_NAMES,
			properties: [
				{
					displayName:
						'One item per failed recipient; bounce.category names the case. <b>Address Dead</b>: no such address, or the customer reported spam: stop emailing, send on paper. <b>Not Delivered</b>: refused by the recipient’s side (mailbox full, filter). <b>Sender Problem</b>: refused because of your sender (SPF/DKIM/DMARC, blocklist): pause sending. <b>Reply</b>: a person answered: pause dunning that invoice. <b>Other</b>: the rest, also items without a readable message (their error field says why). <a href="https://github.com/n8n-nodes-dunning/n8n-nodes-dunning#classify-bounce-what-came-back-and-why" target="_blank">More</a>',
					name: 'notice',
					type: 'notice',
					default: '',
				},
				...sourceProperties,
			],
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await classifyItems(this, OUTPUT_NAMES.length, (b) => OUTPUT_OF[b.category], 4);
	}
}
