/**
 * Folder names IMAP cannot carry (a line break, NUL …) are refused before anything connects, with
 * the name shown; imapflow's own "Unquotable character in IMAP string value" says neither.
 */
import { folderNameProblem, moveMessages, readMailbox } from '../../lib/mailbox';
import { sandboxAuth, sandboxImapServer } from '../servers/sandbox';

// Never reached: each call is refused before it connects (a closed port would say so otherwise).
const server = { ...sandboxImapServer('starttls'), port: 1 };
const auth = sandboxAuth('dunning');

describe('folder names', () => {
	it('names a line break or another control character, and passes ordinary names, Unicode and separators', () => {
		expect(folderNameProblem('X\r\nA2 DELETE INBOX')).toBe('contains a line break: "X\\r\\nA2 DELETE INBOX". A folder name is one line of text without control characters');
		expect(folderNameProblem('Dunning\nBounces')).toMatch(/^contains a line break: /);
		expect(folderNameProblem('Dunning\u0000Bounces')).toMatch(/^contains a control character \(U\+0000\): /);
		expect(folderNameProblem('A\tB')).toMatch(/^contains a control character \(U\+0009\): /);
		for (const name of ['INBOX', 'Dunning/Bounces', 'INBOX.Mahnwesen', '[Gmail]/Gesendet', 'Rückläufer', 'Bounces 2026']) expect(folderNameProblem(name)).toBeNull();
	});

	it('readMailbox and moveMessages refuse such a folder before connecting', async () => {
		const read = (folder: string, destination?: string) =>
			readMailbox(server, auth, { folder, mode: 'sinceUid', maxMessages: 0, postAction: destination === undefined ? { type: 'none' } : { type: 'move', folder: destination, createFolder: true } }, () => undefined);
		await expect(read('INBOX\r\nA1 LOGOUT')).rejects.toThrow('The folder to read contains a line break: "INBOX\\r\\nA1 LOGOUT".');
		await expect(read('INBOX', 'X\r\nA2 DELETE INBOX')).rejects.toMatchObject({ kind: 'invalidOptions', message: expect.stringMatching(/^The destination folder contains a line break: /) });
		await expect(moveMessages(server, auth, [{ folder: 'INBOX', uid: 1 }], { destination: 'Done\nX', createFolder: true })).rejects.toThrow(/^The destination folder contains a line break: /);
		await expect(moveMessages(server, auth, [{ folder: 'IN\nBOX', uid: 7 }], { destination: 'Done', createFolder: true })).rejects.toThrow(/^The folder of message UID 7 contains a line break: /);
	});
});
