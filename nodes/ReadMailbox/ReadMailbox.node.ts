import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { errorItem } from '../shared/error-item';
import { IMAP_CREDENTIAL_TEST, testImapCredential } from '../shared/imap-credential';
import { OAUTH2_CREDENTIAL_TEST } from '../shared/mailbox-auth';
import { testOAuth2MailboxCredential } from '../shared/oauth2-credential-test';
import { confirmPositionProperties, executeConfirmPosition } from './confirm';
import { executeMoveMessages, moveMessagesProperties } from './move';
import { readMailboxProperties } from './properties';
import { readParameters, renumberedWarning, runReadMailbox, stoppedWarning } from './run';

/** Shows a parameter only for one operation, keeping the conditions it already has. */
function onlyFor(operation: string, p: INodeProperties): INodeProperties {
	return onlyForOperations([operation], p);
}

function onlyForOperations(operations: string[], p: INodeProperties): INodeProperties {
	return { ...p, displayOptions: { ...p.displayOptions, show: { ...p.displayOptions?.show, operation: operations } } };
}

/** The operations that connect to the mail server (Confirm Read Position does not). */
const MAIL_OPERATIONS = ['read', 'move'];

// Not offered as an AI tool: reading marks, moves or deletes messages and advances the position.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class ReadMailbox implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Read Mailbox',
		name: 'readMailbox',
		icon: { light: 'file:readMailbox.svg', dark: 'file:readMailbox.dark.svg' },
		group: ['input'],
		// 1.1: "After Reading" defaults to "Do Nothing" (see readNodeProperties in properties.ts).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle:
			'={{$parameter["operation"] === "move" ? "Move to " + ($parameter["toFolder"] || "Processed Folder") : $parameter["operation"] === "confirmPosition" ? "Confirm Read Position" : ($parameter["folder"] || "INBOX")}}',
		description: 'Reads new messages from your mailbox over IMAP, e.g. bounces of reminders, for the Classify Bounce node',
		defaults: { name: 'Read Mailbox' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Written out literally: n8n's lint reads this list to check that each credential is tested.
		credentials: [
			{
				name: 'dunningImapApi',
				required: true,
				testedBy: 'dunningImapConnectionTest',
				displayOptions: { show: { authentication: ['password'], operation: ['read', 'move'] } },
			},
			{
				name: 'dunningMicrosoftOAuth2Api',
				required: true,
				testedBy: 'dunningOAuth2MailboxTest',
				displayOptions: { show: { authentication: ['microsoftOAuth2'], operation: ['read', 'move'] } },
			},
			{
				name: 'dunningGoogleOAuth2Api',
				required: true,
				testedBy: 'dunningOAuth2MailboxTest',
				displayOptions: { show: { authentication: ['googleOAuth2'], operation: ['read', 'move'] } },
			},
		],
		properties: [
			{
				displayName:
					'Reads the folder once per run, whatever the number of incoming items. Each message becomes one item: the raw message in the binary field (for Classify Bounce) and its headers as fields.',
				name: 'howNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['read'] } },
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Confirm Read Position',
						value: 'confirmPosition',
						description: 'Let the next run go on after the messages this run read (with "Save Position: At a Confirm Position Step")',
						action: 'Confirm read position',
					},
					{
						name: 'Move Messages',
						value: 'move',
						description: 'Move the messages the incoming items point to, e.g. only the bounces',
						action: 'Move messages to folder',
					},
					{
						name: 'Read New Messages',
						value: 'read',
						description: 'Read the messages that arrived in a folder',
						action: 'Read new messages',
					},
				],
				default: 'read',
			},
			...readMailboxProperties(false).map((p) => (p.name === 'authentication' ? onlyForOperations(MAIL_OPERATIONS, p) : onlyFor('read', p))),
			...moveMessagesProperties,
			...confirmPositionProperties,
		],
	};

	methods = {
		credentialTest: {
			async [IMAP_CREDENTIAL_TEST](
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await testImapCredential(credential);
			},
			async [OAUTH2_CREDENTIAL_TEST](
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await testOAuth2MailboxCredential(credential.data ?? {});
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0, 'read');
		if (operation === 'confirmPosition') return [executeConfirmPosition(this)];
		if (operation === 'move') {
			try {
				return [await executeMoveMessages(this)];
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), message);
				return [this.getInputData().map((item, i) => errorItem(this, { ...item.json, move: { status: 'failed', error: message } }, i, message, item.binary))];
			}
		}
		let parameters: ReturnType<typeof readParameters> | undefined;
		try {
			// A setting it cannot use (a folder name with a line break, a size that is no number) fails as a
			// connection failure does: before anything is read, as one error item under Continue On Fail.
			parameters = readParameters(this);
			const { items, result, failure, markedDeletedWarning } = await runReadMailbox(this, parameters, {
				preview: false,
				signal: this.getExecutionCancelSignal(),
				executionId: this.getExecutionId(),
			});
			// The messages read before a fault are returned, not lost to an error; the fault shows as a warning here
			// and, if it persists, fails the next run, which starts with the message that caused it.
			for (const warning of [stoppedWarning(result), renumberedWarning(result, parameters)]) {
				if (warning) this.addExecutionHints({ message: warning, type: 'warning', location: 'outputPane' });
			}
			if (markedDeletedWarning) this.addExecutionHints({ message: markedDeletedWarning, type: 'warning', location: 'outputPane' });
			if (failure) {
				// The message that could not become an item was left untouched. With Continue On Fail it is an error
				// item; otherwise the items already made are kept like those before a fault, and a run that could make
				// none fails with the reason (nothing was changed on the server).
				if (this.continueOnFail()) items.push(errorItem(this, failure.json, 0, failure.message));
				else if (items.length === 0) throw new NodeOperationError(this.getNode(), failure.message);
				else this.addExecutionHints({ message: failure.message, type: 'warning', location: 'outputPane' });
			}
			return [items];
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			if (this.continueOnFail()) return [[errorItem(this, { folder: parameters?.folder || null }, 0, message)]];
			throw new NodeOperationError(this.getNode(), message);
		}
	}
}
