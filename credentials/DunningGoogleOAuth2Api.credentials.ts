import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { oauth2MailboxProperties } from './shared/oauth2-mailbox-properties';

/**
 * "Sign in with Google" for a Gmail / Google Workspace mailbox: SMTP sending and IMAP reading with
 * an OAuth2 access token (XOAUTH2). Extends n8n's Google OAuth2 type, which supplies the sign-in
 * URLs, offline access (refresh token) and the client id and secret fields.
 * Stored data: see credentials/shared/oauth2-mailbox-properties.ts.
 */
// Google grants SMTP and IMAP access only with the full mail scope; narrower Gmail API scopes
// do not work for XOAUTH2.
const scopes = ['https://mail.google.com/'];

export class DunningGoogleOAuth2Api implements ICredentialType {
	name = 'dunningGoogleOAuth2Api';

	extends = ['googleOAuth2Api'];

	displayName = 'Dunning Mailbox Google OAuth2 API';

	icon = 'file:google.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-dunning/n8n-nodes-dunning#microsoft-365-and-google-mailboxes-oauth2';

	properties: INodeProperties[] = [
		{
			displayName:
				'In Google Cloud, create an OAuth client (type "Web application") with n8n\'s OAuth Redirect URL, enable the Gmail API and add the scope https://mail.google.com/ to the consent screen.',
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
			provider: 'Google',
			smtpHost: 'smtp.gmail.com',
			smtpSecurity: 'tls',
			imapHost: 'imap.gmail.com',
			sendAsHint:
				'Add it first in Gmail under Settings → Accounts → "Send mail as"; otherwise Google replaces it with the mailbox address.',
		}),
	];
}
