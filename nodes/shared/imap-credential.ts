/**
 * The "Dunning Mailbox (IMAP)" credential (dunningImapApi) as our lib's server and login, and its
 * connection test. Shared by Read Mailbox, On New Mailbox Message and the Sent-folder append of
 * Send Reminder Email.
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { resolvePort, type MailAuth, type MailServer, type Security } from '../../lib/mail/server';
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

/** Log in and list folders; the message names the cause in words. Never includes the password. */
export async function testImapCredential(credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		const cred = imapCredentialFrom(credential.data ?? {}, TEST_TIMEOUT_MS);
		const check = await verifyMailbox(cred.server, cred.auth);
		const missing = [cred.inboxFolder, cred.sentFolder, cred.processedFolder].filter(
			(f) => f && !check.folders.some((x) => x === f || (f.toUpperCase() === 'INBOX' && x.toUpperCase() === 'INBOX')),
		);
		const sentHint =
			missing.includes(cred.sentFolder) && check.sentFolder ? ` The server marks "${check.sentFolder}" as its Sent folder.` : '';
		return {
			status: 'OK',
			message:
				`Logged in to ${cred.server.host}:${cred.server.port}; ${check.folders.length} folder(s).` +
				(missing.length ? ` Note: folder(s) ${missing.map((f) => `"${f}"`).join(', ')} do not exist yet.${sentHint}` : ''),
		};
	} catch (error) {
		return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
	}
}
