import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { IMAP_CREDENTIAL_TEST, testImapCredential } from '../shared/imap-credential';
import { OAUTH2_CREDENTIAL_TEST } from '../shared/mailbox-auth';
import { testOAuth2MailboxCredential } from '../shared/oauth2-credential-test';
import { readMailboxProperties } from './properties';
import { readParameters, runReadMailbox, stoppedWarning } from './run';

/** Share of a poll's time budget spent reading; the rest is left for emitting and saving. */
const BUDGET_SHARE = 0.8;

export class ReadMailboxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IMAP Mailbox Trigger',
		name: 'readMailboxTrigger',
		icon: { light: 'file:readMailboxTrigger.svg', dark: 'file:readMailboxTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["folder"] || "INBOX"}}',
		description: 'Starts the workflow when new messages arrive in your mailbox (IMAP), e.g. bounces of reminders',
		defaults: { name: 'IMAP Mailbox Trigger' },
		polling: true,
		inputs: [],
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
		properties: readMailboxProperties(true),
	};

	// n8n runs a credential's test from the first node type it finds that names it in `testedBy`,
	// which may be this one: it needs the same functions as Read Mailbox.
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

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const preview = this.getMode() === 'manual';
		const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : 0;
		const signal = budget > 0 ? AbortSignal.timeout(Math.floor(budget * BUDGET_SHARE)) : undefined;
		try {
			const parameters = readParameters(this);
			const { items, result, failure, markedDeletedWarning } = await runReadMailbox(this, parameters, { preview, signal });
			// Emitted messages are kept; a fault that persists fails the next poll, which starts with its message.
			const warning = stoppedWarning(result);
			if (warning) this.logger.warn(warning);
			if (markedDeletedWarning) this.logger.warn(markedDeletedWarning);
			// A message that could not become an item was left untouched: the same rule, it fails a poll that made none.
			if (failure && items.length === 0) throw new NodeOperationError(this.getNode(), failure.message);
			if (failure) this.logger.warn(failure.message);
			return items.length > 0 ? [items] : null;
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error instanceof Error ? error.message : String(error));
		}
	}
}
