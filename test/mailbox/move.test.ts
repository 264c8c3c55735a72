import { moveMessages } from '../../lib/mailbox';
import { appendMessages, describeWithSandbox, sandboxAuth, sandboxImapServer, searchUids, testMessage, temporaryFolders } from '../servers/sandbox';

const server = sandboxImapServer('starttls');
const auth = sandboxAuth('dunning');

describeWithSandbox('moveMessages against the sandbox Dovecot', () => {
	const folder = temporaryFolders('dunning');

	it('moves each UID once across folders, answers per reference in order, and creates the destination when asked', async () => {
		const a = folder('move-a');
		const b = folder('move-b');
		const dest = folder('move-dest');
		const [a1, a2] = await appendMessages('dunning', a, ['a1', 'a2'].map((m) => testMessage({ subject: m, marker: m })));
		const [b1] = await appendMessages('dunning', b, [testMessage({ subject: 'b1', marker: 'b1' })]);

		// A bounce with two failed recipients becomes two items pointing at the same message.
		const result = await moveMessages(server, auth, [{ folder: a, uid: a1 }, { folder: b, uid: b1 }, { folder: a, uid: a1 }], {
			destination: dest,
			createFolder: true,
		});
		expect(result.folderCreated).toBe(true);
		expect(result.outcomes).toEqual([
			{ status: 'moved', folder: a, uid: a1, movedTo: dest },
			{ status: 'moved', folder: b, uid: b1, movedTo: dest },
			{ status: 'moved', folder: a, uid: a1, movedTo: dest },
		]);
		expect(await searchUids('dunning', a)).toEqual([a2]);
		expect(await searchUids('dunning', b)).toEqual([]);
		expect(await searchUids('dunning', dest)).toHaveLength(2);
	});

	it('rejects a missing source folder and references without a folder or UID before connecting', async () => {
		await expect(moveMessages(server, auth, [{ folder: 'No/Such/Folder', uid: 1 }], { destination: 'Trash', createFolder: false })).rejects.toThrow(
			'The folder to move from "No/Such/Folder" does not exist',
		);
		await expect(moveMessages(server, auth, [{ folder: 'INBOX', uid: 0 }], { destination: 'Trash', createFolder: false })).rejects.toThrow('is not an IMAP UID');
		await expect(moveMessages(server, auth, [{ folder: 'INBOX', uid: 3 }], { destination: 'INBOX', createFolder: false })).rejects.toThrow(
			'is the folder the message is in',
		);
	});
});
