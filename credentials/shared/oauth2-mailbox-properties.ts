/**
 * Fields both OAuth2 mailbox credentials (Microsoft 365, Google) share: the mailbox address, an
 * optional "send as" address, and the SMTP / IMAP servers with the provider's presets, which the
 * user can override (e.g. for a regional endpoint or a relay).
 *
 * The data n8n stores for such a credential, once connected, is these fields plus the OAuth2
 * ones it inherits (clientId, clientSecret, authUrl, accessTokenUrl, scope, authentication,
 * grantType) and `oauthTokenData`: the token endpoint's answer (`access_token`,
 * `refresh_token`, `expires_in`, `token_type`, `scope`, …) plus `n8n_expires_at` after n8n
 * refreshed it. Our nodes read `oauthTokenData.access_token` and never write tokens themselves.
 */
import type { INodeProperties } from 'n8n-workflow';

export interface MailboxPresets {
	provider: string;
	smtpHost: string;
	smtpSecurity: 'tls' | 'starttls';
	imapHost: string;
	sendAsHint: string;
}

const securityOptions = (protocol: 'SMTP' | 'IMAP') => [
	{
		name: 'SSL/TLS',
		value: 'tls',
		description: `Encrypted from the first byte (usually port ${protocol === 'SMTP' ? 465 : 993})`,
	},
	{
		name: 'STARTTLS',
		value: 'starttls',
		description: `Starts unencrypted, then switches to encryption (usually port ${protocol === 'SMTP' ? 587 : 143}). If the server does not offer it, the connection fails rather than sending the sign-in token unencrypted.`,
	},
	{
		name: 'None (Unencrypted)',
		value: 'none',
		description: 'Only for servers on your own network; the token would travel in clear text',
	},
];

export function oauth2MailboxProperties(presets: MailboxPresets): INodeProperties[] {
	return [
		{
			displayName: 'Mailbox Address',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. name@example.com',
			default: '',
			required: true,
			description: `The address of the ${presets.provider} account you sign in with. Reminders are sent from it and bounces are read from it.`,
		},
		{
			displayName: 'Send As Address',
			name: 'sendAs',
			type: 'string',
			placeholder: 'e.g. collections@example.com',
			default: '',
			description: `Optional. Send as another address than the mailbox, e.g. a shared mailbox. ${presets.sendAsHint} Leave empty to send as the mailbox address.`,
		},
		{
			displayName: 'SMTP Host',
			name: 'smtpHost',
			type: 'string',
			default: presets.smtpHost,
			description: `Server for sending. The ${presets.provider} preset is filled in; change it only if your administrator says so.`,
		},
		{
			displayName: 'SMTP Security',
			name: 'smtpSecurity',
			type: 'options',
			options: securityOptions('SMTP'),
			default: presets.smtpSecurity,
			description: 'How the connection to the SMTP server is encrypted. Port 465 is SSL/TLS; port 587 is STARTTLS.',
		},
		{
			displayName: 'SMTP Port',
			name: 'smtpPort',
			type: 'number',
			// 0, not the preset's number: a port typed in as a default stayed when Security changed (587 with SSL/TLS).
			default: 0,
			description: 'Leave at 0 to use the usual port for the chosen security (465 for SSL/TLS, 587 for STARTTLS)',
		},
		{
			displayName: 'IMAP Host',
			name: 'imapHost',
			type: 'string',
			default: presets.imapHost,
			description: `Server for reading the mailbox (bounces, Sent folder). The ${presets.provider} preset is filled in.`,
		},
		{
			displayName: 'IMAP Security',
			name: 'imapSecurity',
			type: 'options',
			options: securityOptions('IMAP'),
			default: 'tls',
			description: 'How the connection to the IMAP server is encrypted. Port 993 is SSL/TLS; port 143 is STARTTLS.',
		},
		{
			displayName: 'IMAP Port',
			name: 'imapPort',
			type: 'number',
			default: 0,
			description: 'Leave at 0 to use the usual port for the chosen security (993 for SSL/TLS, 143 for STARTTLS)',
		},
		{
			displayName: 'Allow Self-Signed Certificates',
			name: 'allowSelfSigned',
			type: 'boolean',
			default: false,
			description:
				'Whether to accept servers whose certificate cannot be verified. Leave off for Microsoft 365 and Google; only for test or in-house servers.',
		},
	];
}
