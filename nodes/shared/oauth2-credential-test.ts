/**
 * Credential test for the Microsoft 365 and Google mailbox credentials (`testedBy:
 * 'dunningOAuth2MailboxTest'` on the mail nodes): signs in to SMTP and to IMAP with the
 * credential's current access token and says in words what failed.
 *
 * A credential test cannot refresh tokens (n8n gives it no refresh helper and no way to store a
 * new token), so an expired token is reported as such: running a workflow refreshes it.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import {
	isAccessTokenExpired,
	mailAuthFromOAuth2Credential,
	mailServerFromOAuth2Credential,
	OAuth2NotConnectedError,
	redactSecrets,
	senderAddressOf,
} from '../../lib/mail/oauth2';
import { checkSender } from '../../lib/mail/message';
import type { MailAuth, MailServer } from '../../lib/mail/server';
import { verifySmtpWithSender } from '../../lib/mail/smtp-session';
import { closeImap, connectImap } from '../../lib/mailbox/connection';
import { MailboxError } from '../../lib/mailbox/errors';

import { toOAuth2MailboxData } from './mailbox-auth';

/** How long each sign-in may take in the test: the editor waits for the answer. */
const TEST_TIMEOUT_MS = 15_000;

/** The IMAP sign-in: null when it worked, else what went wrong, and whether the token was refused. */
async function checkImap(server: MailServer, auth: MailAuth): Promise<{ message: string; authRefused: boolean } | null> {
	try {
		await closeImap(await connectImap(server, auth));
		return null;
	} catch (error) {
		if (error instanceof MailboxError && error.kind === 'auth') return { message: 'the server refused the access token', authRefused: true };
		return { message: error instanceof Error ? error.message : String(error), authRefused: false };
	}
}

/** Pure of n8n's context (it only reads the credential data), so tests can call it directly. */
export async function testOAuth2MailboxCredential(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const mailbox = toOAuth2MailboxData(data);
	let auth: MailAuth;
	let smtp: MailServer;
	let imap: MailServer;
	try {
		auth = mailAuthFromOAuth2Credential(mailbox);
		smtp = mailServerFromOAuth2Credential(mailbox, 'smtp', TEST_TIMEOUT_MS);
		imap = mailServerFromOAuth2Credential(mailbox, 'imap', TEST_TIMEOUT_MS);
		// A Send As that is no address would fail every run: say so here, as the SMTP credential's test does.
		checkSender({ address: senderAddressOf(mailbox) });
	} catch (error) {
		const message = error instanceof OAuth2NotConnectedError || error instanceof Error ? error.message : String(error);
		return { status: 'Error', message };
	}
	// Every form of them (the XOAUTH2 and OAUTHBEARER base64 included) is removed: lib/mail/redact.ts.
	const secrets = [mailbox.oauthTokenData?.access_token, mailbox.oauthTokenData?.refresh_token];
	// A token known to have expired would only be refused: two failed logins per click, which
	// providers count towards locking the mailbox.
	if (isAccessTokenExpired(mailbox.oauthTokenData)) {
		return {
			status: 'Error',
			message:
				'The access token has expired, so no sign-in was tried: run a workflow that uses this credential (it refreshes the token), or press "Reconnect", then test again.',
		};
	}

	// The reply timeout too: a server that goes quiet after the greeting must not hold the editor for a minute.
	// Asks about the sender (the Send As address, else the mailbox) as the SMTP credential's test does.
	const { failure: smtpFailure, senderNote } = await verifySmtpWithSender(smtp, auth, senderAddressOf(mailbox), { replyTimeoutMs: TEST_TIMEOUT_MS });
	// A token SMTP refused is refused by IMAP too: one failed login is enough.
	const imapProblem = smtpFailure?.kind === 'auth' ? null : await checkImap(imap, auth);
	if (!smtpFailure && !imapProblem) {
		return { status: 'OK', message: `Signed in to SMTP (${smtp.host}) and IMAP (${imap.host}) as ${auth.user}. ${senderNote}` };
	}

	// lib/mail and lib/mailbox word a refused login for passwords ("app password needed?"); with
	// OAuth2 the token is what was refused, so say that.
	const problems: string[] = [];
	if (smtpFailure?.kind === 'auth') {
		const reply = smtpFailure.response ? ` (${smtpFailure.response})` : smtpFailure.code ? ` (${smtpFailure.code})` : '';
		problems.push(`SMTP ${smtp.host}:${smtp.port}: the server refused the access token${reply}`);
	} else if (smtpFailure) problems.push(`SMTP ${smtp.host}:${smtp.port}: ${smtpFailure.message}`);
	if (imapProblem) problems.push(`IMAP ${imap.host}:${imap.port}: ${imapProblem.message}`);
	const authRefused = smtpFailure?.kind === 'auth' || imapProblem?.authRefused === true;
	const hint = authRefused
		? ' The token was refused: check that "Mailbox Address" is the account you signed in with, that the app has the mail permissions (scopes), and that SMTP/IMAP access is enabled for the mailbox; then reconnect.'
		: '';
	const words = problems.map((p) => (p.endsWith('.') ? p.slice(0, -1) : p)).join(' | ');
	return { status: 'Error', message: redactSecrets(`${words}.${hint}`, secrets) };
}

/** The `credentialTest` method the mail nodes register as `dunningOAuth2MailboxTest`. */
export async function dunningOAuth2MailboxTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await testOAuth2MailboxCredential(credential.data ?? {});
}
