/**
 * Set-up for tests that run Read Mailbox through the real n8n engine (./engine) against the
 * sandbox's Dovecot (../servers/sandbox): the IMAP credential of its dunning mailbox and the
 * node's reference to it.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { SANDBOX, sandboxImapServer } from '../servers/sandbox';

/** The node's `credentials` field; the run's IMAP credential data is found by its type. */
export const IMAP_NODE_CREDENTIALS = { dunningImapApi: { id: '1', name: 'Shop mailbox' } };

/** The IMAP credential's data for the sandbox's dunning mailbox (STARTTLS, default folders); `overrides` replace fields. */
export function sandboxImapCredential(overrides: IDataObject = {}): ICredentialDataDecryptedObject {
	const { host, port, security, allowSelfSigned } = sandboxImapServer('starttls');
	const { user, password } = SANDBOX.users.dunning;
	return { host, port, security, user, password, allowSelfSigned, inboxFolder: 'INBOX', sentFolder: 'Sent', processedFolder: '', ...overrides };
}
