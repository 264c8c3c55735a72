/**
 * The IMAP credential's "Test" button and its folders. n8n shows "Connection tested successfully"
 * for any OK and never its message: a folder the nodes cannot use must be an Error, or every
 * reminder later reports "Sent, but the copy to the Sent folder failed".
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import { testImapCredential } from '../../nodes/shared/imap-credential';
import { startRawImapServer, type RawImapServer } from '../mailbox/raw-imap-server';

let imap: RawImapServer;
afterEach(async () => {
	await imap.stop();
});

async function mailbox(folders: string[], sentFlag?: string): Promise<void> {
	imap = await startRawImapServer({
		messages: [],
		loginCapabilities: 'IMAP4rev1 UIDPLUS MOVE SPECIAL-USE',
		onlyFolders: folders,
		folderFlags: sentFlag ? { [sentFlag]: '\\Sent' } : {},
	});
}

const test = async (folders: ICredentialDataDecryptedObject) => {
	const credential: ICredentialsDecrypted = {
		id: 'c',
		name: 'Shop',
		type: 'dunningImapApi',
		data: { host: '127.0.0.1', port: imap.port, security: 'none', user: 'shop@example.test', password: 'pw', ...folders },
	};
	return await testImapCredential(credential);
};

/** The test's answer for folders that are missing: Error, saying so after the login. */
const missing = (message: string) => ({ status: 'Error', message: `Logged in to 127.0.0.1:${imap.port}, but ${message}` });

it('the default Sent Folder "Sent" that does not exist, where the server marks another as Sent: OK (the copies go there)', async () => {
	await mailbox(['INBOX', 'Gesendet'], 'Gesendet');
	expect(await test({ inboxFolder: 'INBOX', sentFolder: 'Sent' })).toEqual({
		status: 'OK',
		message: `Logged in to 127.0.0.1:${imap.port}; 2 folder(s). Note: sent copies go to "Gesendet", the mailbox’s Sent folder (there is no "Sent").`,
	});
	// An empty field is the default too.
	expect(await test({ sentFolder: '' })).toMatchObject({ status: 'OK' });
});

it('a Sent Folder typed in that does not exist: Error naming it and the server’s Sent folder', async () => {
	await mailbox(['INBOX', 'Gesendet', 'Archiv'], 'Gesendet');
	expect(await test({ sentFolder: 'Gesendete Objekte' })).toEqual(
		missing(
			'the Sent Folder "Gesendete Objekte" does not exist in this mailbox. ' +
				'The mailbox’s Sent folder is "Gesendet": enter that as Sent Folder. Existing folders: "INBOX", "Gesendet", "Archiv".',
		),
	);
});

it('no "Sent" and no folder marked as Sent: Error that says so', async () => {
	await mailbox(['INBOX', 'Archiv']);
	expect(await test({})).toEqual(
		missing(
			'the Sent Folder "Sent" does not exist in this mailbox. ' +
				'No folder is marked as the Sent folder: enter the one your mail program files sent mail in. Existing folders: "INBOX", "Archiv".',
		),
	);
});

it('an Inbox Folder that does not exist: Error, with the Sent Folder when that is missing too', async () => {
	await mailbox(['INBOX', 'Sent']);
	expect(await test({ inboxFolder: 'Posteingang' })).toEqual(missing('the Inbox Folder "Posteingang" does not exist in this mailbox. Existing folders: "INBOX", "Sent".'));
	expect(await test({ inboxFolder: 'Posteingang', sentFolder: 'Gesendet' })).toMatchObject({
		status: 'Error',
		message: expect.stringContaining('but the Inbox Folder "Posteingang" and the Sent Folder "Gesendet" do not exist in this mailbox.'),
	});
	// "inbox" is INBOX (RFC 3501).
	expect(await test({ inboxFolder: 'inbox' })).toMatchObject({ status: 'OK' });
});

it('a Processed Folder that does not exist stays OK: the nodes can create it', async () => {
	await mailbox(['INBOX', 'Sent']);
	expect(await test({ processedFolder: 'Dunning/Processed' })).toEqual({
		status: 'OK',
		message: `Logged in to 127.0.0.1:${imap.port}; 2 folder(s). Note: the Processed Folder "Dunning/Processed" does not exist yet (Create Folder If Missing makes it).`,
	});
	expect(await test({})).toEqual({ status: 'OK', message: `Logged in to 127.0.0.1:${imap.port}; 2 folder(s).` });
});
