/**
 * The node's connection to the mailbox: the "Dunning Mailbox (SMTP)" credential, or a Microsoft
 * 365 / Google OAuth2 credential, turned into a sender and an SMTP connector for lib/mail. One
 * connector per execution; each connect() is one connection and at most one login.
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, IExecuteFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { checkSender, type Sender } from '../../lib/mail/message';
import { redactSecrets } from '../../lib/mail/redact';
import { resolvePort, type MailAuth, type MailServer, type Security } from '../../lib/mail/server';
import { smtpConnector, verifySmtpWithSender, type SmtpConnector, type SmtpConnectorOptions } from '../../lib/mail/smtp-session';
import { getMailboxAuthentication, isOAuth2Authentication, openOAuth2MailboxSession } from '../shared/mailbox-auth';

export const SMTP_CREDENTIAL_TYPE = 'dunningSmtpApi';
/** The `testedBy` name of the SMTP credential, implemented in this node's methods. */
export const SMTP_CREDENTIAL_TEST = 'dunningSmtpConnectionTest';

export interface SmtpCredential {
	server: MailServer;
	auth: MailAuth | undefined;
	sender: Sender;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** Reads the SMTP credential; a missing host or sender is an error naming the field to fill in. */
export function smtpCredentialFrom(data: ICredentialDataDecryptedObject, timeoutMs?: number): SmtpCredential {
	const host = text(data.host);
	if (!host) throw new Error('The SMTP credential has no Host: enter your mail provider’s SMTP server, e.g. smtp.example.com.');
	const security: Security = data.security === 'starttls' || data.security === 'none' ? data.security : 'tls';
	const port = typeof data.port === 'number' ? data.port : Number(data.port) || 0;
	const user = text(data.user);
	const password = typeof data.password === 'string' ? data.password : '';
	// Without a user nodemailer skips the login: a server that then takes mail unauthenticated would test OK with the password never tried.
	if (!user && password.trim() !== '') {
		throw new Error(
			'The SMTP credential’s User is empty but a password is set: enter the mailbox’s login name (usually the full email address), or clear the password if the server needs no login.',
		);
	}
	const fromAddress = text(data.fromAddress) || (user.includes('@') ? user : '');
	if (!fromAddress) throw new Error('The SMTP credential has no Sender Address: enter the address reminders are sent from.');
	return {
		server: { host, port: resolvePort('smtp', security, port), security, allowSelfSigned: data.allowSelfSigned === true, timeoutMs },
		auth: user ? { method: 'password', user, password } : undefined,
		sender: {
			address: fromAddress,
			name: text(data.fromName) || undefined,
			replyTo: text(data.replyTo) || undefined,
			bcc: text(data.bcc) || undefined,
		},
	};
}

/** What the node needs to send: who sends, and how to connect. Nothing is opened yet. */
export interface Mailbox {
	sender: Sender;
	server: MailServer;
	connector: SmtpConnector;
	/** The password or tokens in use: whatever the node outputs is cleaned of them (lib/mail/redact.ts). */
	secrets(): string[];
}

/** Prepares sending for the chosen Authentication (see nodes/shared/mailbox-auth.ts for OAuth2). */
export async function prepareMailbox(ctx: IExecuteFunctions, overrides: Partial<Sender> = {}, options: SmtpConnectorOptions = {}): Promise<Mailbox> {
	const authentication = getMailboxAuthentication(ctx);
	if (!isOAuth2Authentication(authentication)) {
		const cred = smtpCredentialFrom(await ctx.getCredentials(SMTP_CREDENTIAL_TYPE));
		return {
			sender: { ...cred.sender, ...definedOnly(overrides) },
			server: cred.server,
			// The run's cancel signal (runSendJobs passes it) also stops connecting and logging in.
			connector: smtpConnector(cred.server, cred.auth, options),
			secrets: () => (cred.auth?.method === 'password' ? [cred.auth.password] : []),
		};
	}
	// Every (re)connection of the run signs in through one token session: one refresh per run (and
	// one more per expiry in a long run), and a sign-in that cannot be repaired fails like a refused
	// password (the run stops).
	const session = await openOAuth2MailboxSession(ctx, authentication);
	return {
		sender: { address: session.sender, ...definedOnly(overrides) },
		server: session.smtpServer,
		connector: session.smtpConnector(options),
		secrets: () => session.tokens.secrets(),
	};
}

function definedOnly(sender: Partial<Sender>): Partial<Sender> {
	return Object.fromEntries(Object.entries(sender).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as Partial<Sender>;
}

/** How long the editor's "Test" button may wait for the server. */
const TEST_TIMEOUT_MS = 15_000;

/**
 * The SMTP credential test: connect, EHLO, STARTTLS when chosen, log in, then ask the server about
 * the Sender Address without sending anything (MAIL FROM, RCPT TO, RSET: lib/mail/smtp-session.ts),
 * so a sender the server refuses for this login fails here, not at the first run. Never echoes the password.
 */
export async function testSmtpCredential(credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	let cred: SmtpCredential;
	try {
		cred = smtpCredentialFrom(credential.data ?? {}, TEST_TIMEOUT_MS);
		// A sender, Reply-To or BCC that is no address would fail every run: say so here, not at the first send.
		checkSender(cred.sender);
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	// The reply timeout too: a server that goes quiet after the greeting must not hold the editor for a minute.
	const { failure, senderNote } = await verifySmtpWithSender(cred.server, cred.auth, cred.sender.address, { replyTimeoutMs: TEST_TIMEOUT_MS });
	const where = `${cred.server.host}:${cred.server.port}`;
	// verifySmtpWithSender already redacts; this is the last stop before the editor shows it.
	if (failure) return { status: 'Error', message: redactSecrets(failure.message, cred.auth?.method === 'password' ? [cred.auth.password] : []) };
	const connected = cred.auth ? `Connected to ${where} and signed in as ${cred.auth.user}` : `Connected to ${where} (no login configured)`;
	return { status: 'OK', message: `${connected}. ${senderNote}` };
}
