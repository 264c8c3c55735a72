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
			subtitle: '={{ ($parameter["source"] === "text" ? "from field " + $parameter["textField"] : $parameter["source"] === "emailTrigger" ? "from Email Trigger fields" : "from binary field " + $parameter["binaryPropertyName"]) }}',
			defaults: { name: 'Classify Bounce' },
			inputs: [NodeConnectionTypes.Main],
			outputs: OUTPUT_NAMES.map(() => NodeConnectionTypes.Main),
			outputNames: OUTPUT_NAMES,
			properties: [
				{
					displayName:
						'Address Dead = the address the reminder was sent to does not exist (bounce.recipient), or the customer reported a reminder as spam: stop emailing them, send this reminder on paper. A forward from their address to one that does not exist is Not Delivered (bounce.originalRecipient is the address you wrote to). Not Delivered = refused by the recipient\'s side (mailbox full, filter, expired): the address may be fine. Sender Problem = refused because of your sender, message or server (SPF/DKIM/DMARC, blocklist, spam verdict): pause sending and fix it. Reply = a person answered a reminder, or a challenge-response filter holds it until you confirm: pause dunning for that invoice. Other = still-trying notices, auto-replies, delivery notices, a failed copy of your own (the BCC of the SMTP credential, a journal or copy rule at your domain: bounce.archiveCopy), items without a readable message (their error field says which item and field) and everything else. One item comes out per failed recipient; bounce.category says which case it is.',
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
