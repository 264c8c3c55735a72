import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { IMAP_CREDENTIAL_TEST, testImapCredential } from '../shared/imap-credential';
import { OAUTH2_CREDENTIAL_TEST } from '../shared/mailbox-auth';
import { testOAuth2MailboxCredential } from '../shared/oauth2-credential-test';
import { readMailboxProperties } from './properties';
import { readParameters, runReadMailbox } from './run';

export class ReadMailbox implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Read Mailbox',
		name: 'readMailbox',
		icon: { light: 'file:readMailbox.svg', dark: 'file:readMailbox.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["folder"] || "INBOX"}}',
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
				displayOptions: { show: { authentication: ['password'] } },
			},
			{
				name: 'dunningMicrosoftOAuth2Api',
				required: true,
				testedBy: 'dunningOAuth2MailboxTest',
				displayOptions: { show: { authentication: ['microsoftOAuth2'] } },
			},
			{
				name: 'dunningGoogleOAuth2Api',
				required: true,
				testedBy: 'dunningOAuth2MailboxTest',
				displayOptions: { show: { authentication: ['googleOAuth2'] } },
			},
		],
		properties: [
			{
				displayName:
					'Reads the folder once per run, whatever the number of incoming items. Each message becomes one item: the raw message in the binary field (for Classify Bounce) and its headers as fields.',
				name: 'howNotice',
				type: 'notice',
				default: '',
			},
			...readMailboxProperties(false),
		],
		usableAsTool: true,
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
		const parameters = readParameters(this);
		try {
			const { items } = await runReadMailbox(this, parameters, { preview: false, signal: this.getExecutionCancelSignal() });
			return [items];
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			if (this.continueOnFail()) return [[{ json: { error: message, folder: parameters.folder || null }, pairedItem: { item: 0 } }]];
			throw new NodeOperationError(this.getNode(), message);
		}
	}
}
