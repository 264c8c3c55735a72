import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { classifyItems, sourceProperties } from './shared';

/** Version 1: outputs by kind (Hard / Soft / Other), as the shipped bounce-processing workflow uses it. */
// Not usableAsTool: a node with several outputs, and in tool mode n8n returns only the first.
export class ClassifyBounceV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ ($parameter["source"] === "text" ? "From Field " + $parameter["textField"] : $parameter["source"] === "emailTrigger" ? "From Email Trigger Fields" : "From Binary Field " + $parameter["binaryPropertyName"]) }}',
			defaults: { name: 'Classify Bounce' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
			outputNames: ['Hard', 'Soft', 'Other'],
			properties: [
				{
					displayName:
						'Hard = the report proves the address dead (unknown user or domain): stop emailing it. Soft = a temporary or policy problem (mailbox full, blocked, greylisted), or an unknown user the report does not prove (bounce.category says recipientRefused). Other = auto-replies, spam complaints, delivery notices, a failed archive copy (BCC), messages that are not bounces, and items without a readable message (their error field says which item and field). One item comes out per failed recipient.',
					name: 'notice',
					type: 'notice',
					default: '',
				},
				...sourceProperties,
			],
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// A failed archive copy says nothing about the customer: Other, as in version 2. Hard only with
		// proof, as version 2's Address Dead: a "user unknown" the report does not prove (a filter's
		// answer after DATA, a hedged text) must not stop the e-mails to a live address.
		return await classifyItems(this, 3, (b) => (b.archiveCopy ? 2 : b.kind === 'hard' && b.category === 'addressDead' ? 0 : b.kind === 'hard' || b.kind === 'soft' ? 1 : 2), 2);
	}
}
