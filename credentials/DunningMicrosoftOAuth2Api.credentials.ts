import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { oauth2MailboxProperties } from './shared/oauth2-mailbox-properties';

/**
 * "Sign in with Microsoft" for a Microsoft 365 / Exchange Online mailbox: SMTP sending and IMAP
 * reading with an OAuth2 access token (XOAUTH2), since Microsoft has switched off passwords.
 * Extends n8n's Microsoft OAuth2 type, which supplies the sign-in URLs, the client id and
 * secret fields and the token handling; we add the mail scopes and the mailbox settings.
 * Stored data: see credentials/shared/oauth2-mailbox-properties.ts.
 */
const scopes = [
	'https://outlook.office.com/SMTP.Send',
	'https://outlook.office.com/IMAP.AccessAsUser.All',
	// Without it Microsoft issues no refresh token and the mailbox stops working after an hour.
	'offline_access',
];

export class DunningMicrosoftOAuth2Api implements ICredentialType {
	name = 'dunningMicrosoftOAuth2Api';

	extends = ['microsoftOAuth2Api'];

	displayName = 'Dunning Mailbox Microsoft 365 OAuth2 API';

	icon = 'file:microsoft.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-dunning/n8n-nodes-dunning#microsoft-365-and-google-mailboxes-oauth2';

	properties: INodeProperties[] = [
		{
			displayName:
				'In your Microsoft Entra app registration add the delegated API permissions SMTP.Send and IMAP.AccessAsUser.All (Office 365 Exchange Online) and offline_access. Your Microsoft 365 administrator must also allow "Authenticated SMTP" for this mailbox. For a single-tenant app, replace "common" in both URLs with your tenant ID.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: scopes.join(' '),
		},
		...oauth2MailboxProperties({
			provider: 'Microsoft 365',
			smtpHost: 'smtp.office365.com',
			smtpSecurity: 'starttls',
			imapHost: 'outlook.office365.com',
			sendAsHint:
				'The signed-in user needs "Send As" permission on that address in Exchange; otherwise Microsoft refuses the message.',
		}),
	];
}
