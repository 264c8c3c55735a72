import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The merchant's own mailbox for sending reminders over SMTP, plus how reminders present
 * themselves (sender name and address, reply-to, a BCC copy for the records). Tested by Send
 * Reminder Email's `dunningSmtpConnectionTest`: connect, EHLO, STARTTLS when chosen, log in.
 */
export class DunningSmtpApi implements ICredentialType {
	name = 'dunningSmtpApi';

	displayName = 'Dunning Mailbox (SMTP)';

	icon = 'file:smtp.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-dunning/n8n-nodes-dunning#sending-reminders-send-reminder-email-smtp-credential';

	properties: INodeProperties[] = [
		{
			displayName:
				'Usual pitfalls: port 465 is SSL/TLS from the first byte, port 587 is STARTTLS — the security setting must match the port. Gmail, GMX, Web.de, iCloud and Yahoo need an app password (not your normal password). Microsoft 365 no longer accepts passwords: choose "Microsoft 365 (OAuth2)" as Authentication in the node instead.',
			name: 'pitfallsNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. smtp.example.com',
			description: 'SMTP server of your mailbox, as your mail provider documents it',
		},
		{
			displayName: 'Security',
			name: 'security',
			type: 'options',
			options: [
				{
					name: 'SSL/TLS',
					value: 'tls',
					description: 'Encrypted from the first byte (usually port 465). Recommended.',
				},
				{
					name: 'STARTTLS',
					value: 'starttls',
					description:
						'Starts unencrypted, then switches to encryption (usually port 587). If the server does not offer it, the connection fails rather than sending the password unencrypted.',
				},
				{
					name: 'None (Unencrypted)',
					value: 'none',
					description: 'Password and mail travel readable by anyone on the way. Only for a server on your own machine or network.',
				},
			],
			default: 'tls',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 65535, numberPrecision: 0 },
			default: 0,
			description: 'Leave at 0 to use the usual port for the chosen security: 465 for SSL/TLS, 587 for STARTTLS, 25 for none',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			placeholder: 'e.g. buchhaltung@example.com',
			description: 'Login name of the mailbox, usually the full email address. Leave empty (and the password too) only for a server that needs no login.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Password of the mailbox, or the app password your provider created for n8n',
		},
		{
			displayName: 'Sender Address',
			name: 'fromAddress',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. buchhaltung@example.com',
			description: 'The From address of every reminder. Most providers only allow the mailbox’s own address or its aliases. Undeliverable reminders come back to this address.',
		},
		{
			displayName: 'Sender Name',
			name: 'fromName',
			type: 'string',
			default: '',
			placeholder: 'e.g. Beispiel Shop GmbH – Buchhaltung',
			description: 'The name customers see as sender, usually your shop or company name',
		},
		{
			displayName: 'Reply-To Address',
			name: 'replyTo',
			type: 'string',
			default: '',
			placeholder: 'e.g. zahlungen@example.com',
			description: 'Where customers’ replies go, if not to the sender address',
		},
		{
			displayName: 'BCC Copy To',
			name: 'bcc',
			type: 'string',
			default: '',
			placeholder: 'e.g. archiv@example.com',
			description: 'Optional address that receives a hidden copy of every reminder, for your records',
		},
		{
			displayName: 'Allow Self-Signed Certificates',
			name: 'allowSelfSigned',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the server’s certificate cannot be verified. Only for your own server with a self-signed certificate; leave off for any mail provider.',
		},
	];
}
