/** Signs in to the IMAP mailbox the node's Authentication chooses; shared by reading and moving. */
import type { IDataObject, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

import type { MailAuth, MailServer } from '../../lib/mail/server';
import { MailboxError } from '../../lib/mailbox';
import { imapCredentialFrom, IMAP_CREDENTIAL_TYPE } from '../shared/imap-credential';
import { connectOAuth2Mailbox, getMailboxAuthentication, isOAuth2Authentication } from '../shared/mailbox-auth';
import { timeoutSeconds } from '../shared/timeout';

export type MailboxNodeContext = IExecuteFunctions | IPollFunctions;

/** The Options' "Timeout (Seconds)" in ms: 30 s when unset, at most an hour; anything but a number of at least 1 throws naming it. */
export function timeoutMsFrom(options: IDataObject): number {
	return timeoutSeconds(options.timeoutSeconds, 30) * 1000;
}

/** Folders the IMAP credential names; OAuth2 mailboxes use the providers' defaults. */
export interface CredentialFolders {
	inboxFolder: string;
	processedFolder: string;
	/** A Microsoft 365 or Google sign-in: no credential field to fall back on, so an error names only the node's. */
	oauth2: boolean;
}

/**
 * Runs `work` with the mailbox's server and login. `work` receives the credential's folders first
 * so it can fill in defaults before it connects; an OAuth2 token the server refuses is refreshed once.
 * `signal` (the execution's cancel signal, a poll's time budget) stops waiting for that refresh, as
 * the SMTP path does (OAuth2CancelledError); `work` watches it for its own connection.
 */
export async function withMailboxLogin<T>(
	ctx: MailboxNodeContext,
	timeoutMs: number,
	work: (folders: CredentialFolders) => (server: MailServer, auth: MailAuth) => Promise<T>,
	signal?: AbortSignal,
): Promise<T> {
	const authentication = getMailboxAuthentication(ctx);
	if (!isOAuth2Authentication(authentication)) {
		const cred = imapCredentialFrom(await ctx.getCredentials(IMAP_CREDENTIAL_TYPE), timeoutMs);
		return await work({ inboxFolder: cred.inboxFolder, processedFolder: cred.processedFolder, oauth2: false })(cred.server, cred.auth);
	}
	const connected = await connectOAuth2Mailbox(ctx, authentication, 'imap', work({ inboxFolder: 'INBOX', processedFolder: '', oauth2: true }), {
		timeoutMs,
		isAuthRejection: (e) => e instanceof MailboxError && e.kind === 'auth',
		signal,
	});
	return connected.value;
}
