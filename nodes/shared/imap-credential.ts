/**
 * The "Dunning Mailbox (IMAP)" credential (dunningImapApi) as our lib's server and login, and its
 * connection test. Shared by Read Mailbox, On New Mailbox Message and the Sent-folder append of
 * Send Reminder Email.
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { resolvePort, type MailAuth, type MailServer, type Security } from '../../lib/mail/server';
import { sentFolderFor } from '../../lib/mailbox/append';
import { sameFolder } from '../../lib/mailbox/connection';
import { verifyMailbox } from '../../lib/mailbox/verify';

export const IMAP_CREDENTIAL_TYPE = 'dunningImapApi';
/** The `testedBy` name, implemented by Read Mailbox's `methods.credentialTest`. */
export const IMAP_CREDENTIAL_TEST = 'dunningImapConnectionTest';

export interface ImapCredential {
	server: MailServer;
	auth: MailAuth;
	inboxFolder: string;
	sentFolder: string;
	processedFolder: string;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function security(value: unknown): Security {
	return value === 'starttls' || value === 'none' ? value : 'tls';
}

/** Reads the credential; a missing host or user is an error that says which field to fill in. */
export function imapCredentialFrom(data: ICredentialDataDecryptedObject, timeoutMs?: number): ImapCredential {
	const host = text(data.host);
	const user = text(data.user);
	if (!host) throw new Error('The IMAP credential has no Host: enter your mail provider’s IMAP server, e.g. imap.example.com.');
	if (!user) throw new Error('The IMAP credential has no User: enter the mailbox login, usually the full email address.');
	const sec = security(data.security);
	const port = typeof data.port === 'number' ? data.port : Number(data.port) || 0;
	return {
		server: { host, port: resolvePort('imap', sec, port), security: sec, allowSelfSigned: data.allowSelfSigned === true, timeoutMs },
		auth: { method: 'password', user, password: typeof data.password === 'string' ? data.password : '' },
		inboxFolder: text(data.inboxFolder) || 'INBOX',
		sentFolder: text(data.sentFolder) || 'Sent',
		processedFolder: text(data.processedFolder),
	};
}

/** How long the editor's "Test" button may wait for the server. */
const TEST_TIMEOUT_MS = 15_000;

/**
 * Log in and list folders; the message names the cause in words. Never includes the password.
 * n8n shows "Connection tested successfully" for any OK and never its message, so a folder the
 * nodes cannot use is an Error: an Inbox or Sent Folder that does not exist, unless the Sent Folder
 * is the default "Sent" and the mailbox has another Sent folder (the copies go there, sentFolderFor).
 * A missing Processed Folder stays OK: the nodes that move messages can create it.
 */
export async function testImapCredential(credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		const cred = imapCredentialFrom(credential.data ?? {}, TEST_TIMEOUT_MS);
		const check = await verifyMailbox(cred.server, cred.auth);
		const exists = (folder: string) => check.folders.some((f) => sameFolder(f, folder));
		const sentTarget = sentFolderFor(cred.sentFolder, check.folders, check.sentFolder);
		const where = `Logged in to ${cred.server.host}:${cred.server.port}`;
		const unusable = [
			...(exists(cred.inboxFolder) ? [] : [`the Inbox Folder "${cred.inboxFolder}"`]),
			...(sentTarget === undefined ? [`the Sent Folder "${cred.sentFolder}"`] : []),
		];
		if (unusable.length) {
			const fix =
				sentTarget !== undefined
					? ''
					: check.sentFolder
						? ` The mailbox’s Sent folder is "${check.sentFolder}": enter that as Sent Folder.`
						: ' No folder is marked as the Sent folder: enter the one your mail program files sent mail in.';
			return {
				status: 'Error',
				message: `${where}, but ${unusable.join(' and ')} ${unusable.length > 1 ? 'do' : 'does'} not exist in this mailbox.${fix} Existing folders: ${shownFolders(check.folders)}.`,
			};
		}
		const notes = [
			...(sentTarget !== cred.sentFolder ? [`sent copies go to "${sentTarget}", the mailbox’s Sent folder (there is no "${cred.sentFolder}")`] : []),
			...(cred.processedFolder && !exists(cred.processedFolder) ? [`the Processed Folder "${cred.processedFolder}" does not exist yet (Create Folder If Missing makes it)`] : []),
		];
		return {
			status: 'OK',
			message: `${where}; ${check.folders.length} folder(s).${notes.length ? ` Note: ${notes.join('; ')}.` : ''}`,
		};
	} catch (error) {
		return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
	}
}

function shownFolders(folders: readonly string[]): string {
	const shown = folders.slice(0, 20).map((f) => `"${f}"`).join(', ');
	return shown ? shown + (folders.length > 20 ? `, … (${folders.length} in all)` : '') : '(none)';
}
