import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { IMAP_CREDENTIAL_TEST, testImapCredential } from '../shared/imap-credential';
import { OAUTH2_CREDENTIAL_TEST, smtpAuthenticationProperty } from '../shared/mailbox-auth';
import { dunningOAuth2MailboxTest } from '../shared/oauth2-credential-test';
import * as sendReminder from './actions/sendReminder.operation';
import * as sendTestMail from './actions/sendTestMail.operation';
import { SMTP_CREDENTIAL_TEST, testSmtpCredential } from './transport';

/**
 * Sends payment reminders from the merchant's own mailbox. Thin adapter: the operations map
 * parameters and items onto lib/mail (sending) and lib/templates (texts).
 */
// Not offered as an AI tool: every call sends real reminders, with fees, to customers; whether and
// when a reminder goes out is the dunning run's decision, never an agent's.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class SendReminderEmail implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send Reminder Email',
		name: 'sendReminderEmail',
		icon: { light: 'file:sendReminderEmail.svg', dark: 'file:sendReminderEmail.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "sendTestMail" ? "Send test mail" : ($parameter["dryRun"] ? "Dry run" : "Send reminders") }}',
		description: 'Send payment reminders (Zahlungserinnerung, Mahnung) from your own mailbox, paced and never twice for the same invoice and level within this workflow',
		defaults: { name: 'Send Reminder Email' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'dunningSmtpApi',
				required: true,
				testedBy: 'dunningSmtpConnectionTest',
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
			{
				name: 'dunningImapApi',
				required: false,
				testedBy: 'dunningImapConnectionTest',
				displayOptions: { show: { authentication: ['password'], saveToSentFolder: [true] } },
			},
		],
		properties: [
			smtpAuthenticationProperty,
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Send Reminder',
						value: 'sendReminder',
						description: 'Send one reminder per input item',
						action: 'Send reminder',
					},
					{
						name: 'Send Test Mail',
						value: 'sendTestMail',
						description: 'Send a short mail stating date and time, to check the mailbox settings',
						action: 'Send test mail',
					},
				],
				default: 'sendReminder',
			},
			...sendReminder.description,
			...sendTestMail.description,
		],
	};

	methods = {
		credentialTest: {
			async [SMTP_CREDENTIAL_TEST](this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return await testSmtpCredential(credential);
			},
			async [IMAP_CREDENTIAL_TEST](this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return await testImapCredential(credential);
			},
			[OAUTH2_CREDENTIAL_TEST]: dunningOAuth2MailboxTest,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		if (operation === 'sendReminder') return await sendReminder.execute.call(this);
		if (operation === 'sendTestMail') return await sendTestMail.execute.call(this);
		throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
	}
}
