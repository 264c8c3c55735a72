/**
 * The editor's "Test" button for the password mailbox credentials: a half-filled login is named
 * in words rather than passed because the server happened not to ask.
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import { testSmtpCredential } from '../../nodes/SendReminderEmail/transport';
import { testImapCredential } from '../../nodes/shared/imap-credential';
import { startRawSmtpServer, type RawSmtpServer } from '../mail/raw-smtp-server';

const cred = (type: string, data: ICredentialDataDecryptedObject): ICredentialsDecrypted => ({ id: 'c', name: 'Shop', type, data });

let server: RawSmtpServer;
beforeAll(async () => {
	// Takes mail without a login, as a relay on the local network does: the case where a missing User went unnoticed.
	server = await startRawSmtpServer();
});
afterAll(async () => {
	await server.close();
});

const smtp = (login: { user?: string; password?: string }) =>
	cred('dunningSmtpApi', { host: '127.0.0.1', port: server.port, security: 'none', fromAddress: 'shop@example.test', ...login });

test('SMTP: a password without a User is an error that says which field to fill in, and never shows the password', async () => {
	for (const user of ['', '   ', undefined]) {
		const result = await testSmtpCredential(smtp({ user, password: 'Geheim-1234' }));
		expect(result).toEqual({
			status: 'Error',
			message:
				'The SMTP credential’s User is empty but a password is set: enter the mailbox’s login name (usually the full email address), or clear the password if the server needs no login.',
		});
	}
	// Nothing was sent to the server: the credential is refused before connecting.
	expect(server.connections).toHaveLength(0);
});

test('SMTP: a server that needs no login (User and Password both empty) still tests OK; a full login too', async () => {
	expect(await testSmtpCredential(smtp({ user: '', password: '' }))).toEqual({ status: 'OK', message: `Connected to 127.0.0.1:${server.port} (no login configured)` });
	expect(await testSmtpCredential(smtp({}))).toMatchObject({ status: 'OK' });
	expect(await testSmtpCredential(smtp({ user: 'shop@example.test', password: 'Geheim-1234' }))).toEqual({
		status: 'OK',
		message: `Connected to 127.0.0.1:${server.port} and signed in as shop@example.test`,
	});
});

test('IMAP: no User is already an error (IMAP always logs in), with or without a password', async () => {
	for (const password of ['Geheim-1234', '']) {
		const result = await testImapCredential(cred('dunningImapApi', { host: '127.0.0.1', port: 1, security: 'none', user: ' ', password }));
		expect(result).toEqual({ status: 'Error', message: 'The IMAP credential has no User: enter the mailbox login, usually the full email address.' });
	}
});
