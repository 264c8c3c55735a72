import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The merchant's own mailbox over IMAP: for reading bounces and replies (Read Mailbox, On New
 * Mailbox Message) and for storing sent reminders in the Sent folder. Tested by Read Mailbox's
 * `dunningImapConnectionTest` (log in + list folders), whose messages name the cause in words.
 */
export class DunningImapApi implements ICredentialType {
	name = 'dunningImapApi';

	displayName = 'Dunning Mailbox (IMAP)';

	icon = 'file:imap.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-dunning/n8n-nodes-dunning#reading-the-mailbox-read-mailbox-imap-mailbox-trigger-imap-credential';

	properties: INodeProperties[] = [
		{
			displayName:
				'Usual pitfalls: port 993 is SSL/TLS from the first byte and port 143 is STARTTLS. Gmail, GMX, Web.de, iCloud and Yahoo need an app password (not your normal password); GMX and Web.de also need IMAP switched on in the mailbox settings (POP3/IMAP access). Microsoft 365 no longer accepts passwords: use the "Microsoft 365 (OAuth2)" authentication in the node instead.',
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
			placeholder: 'e.g. imap.example.com',
			description: 'IMAP server of your mailbox, as your mail provider documents it',
		},
		{
			displayName: 'Security',
			name: 'security',
			type: 'options',
			options: [
				{
					name: 'SSL/TLS',
					value: 'tls',
					description: 'Encrypted from the first byte (usually port 993). Recommended.',
				},
				{
					name: 'STARTTLS',
					value: 'starttls',
					description: 'Starts unencrypted, then switches to encryption (usually port 143). If the server does not offer it, the connection fails rather than sending the password unencrypted.',
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
			description: 'Leave at 0 to use the usual port for the chosen security: 993 for SSL/TLS, 143 for STARTTLS and none',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. buchhaltung@example.com',
			description: 'Login name of the mailbox, usually the full email address',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Password of the mailbox, or the app password your provider created for n8n',
		},
		{
			displayName: 'Allow Self-Signed Certificates',
			name: 'allowSelfSigned',
			type: 'boolean',
			default: false,
			description: 'Whether to connect even if the server’s certificate cannot be verified. Only for your own server with a self-signed certificate; leave off for any mail provider.',
		},
		{
			displayName: 'Inbox Folder',
			name: 'inboxFolder',
			type: 'string',
			default: 'INBOX',
			description: 'Folder where bounces and replies arrive. Used when a node leaves its folder empty.',
		},
		{
			displayName: 'Sent Folder',
			name: 'sentFolder',
			type: 'string',
			default: 'Sent',
			description: 'Folder where sent reminders are stored, as your mail program shows them (e.g. "Sent", "Gesendet", "INBOX.Sent", "[Gmail]/Sent Mail")',
		},
		{
			displayName: 'Processed Folder',
			name: 'processedFolder',
			type: 'string',
			default: '',
			placeholder: 'e.g. Dunning/Processed',
			description: 'Folder that handled bounces are moved to when a node moves messages and leaves its own folder empty',
		},
	];
}
