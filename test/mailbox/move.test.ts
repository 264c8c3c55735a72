import { moveMessages } from '../../lib/mailbox';
import { appendMessages, describeWithSandbox, sandboxAuth, sandboxImapServer, searchUids, testMessage, temporaryFolders, withSandboxImap } from '../servers/sandbox';

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
	});

	it('a message already in the destination (INBOX in any case) is moved with nothing to do, and the others move', async () => {
		const a = folder('move-here-a');
		const dest = folder('move-here-dest');
		const [a1] = await appendMessages('dunning', a, [testMessage({ subject: 'h-a1', marker: 'h-a1' })]);
		const [d1] = await appendMessages('dunning', dest, [testMessage({ subject: 'h-d1', marker: 'h-d1' })]);
		// Before, one item already in the destination failed the whole call, the others unmoved.
		const result = await moveMessages(server, auth, [{ folder: dest, uid: d1 }, { folder: a, uid: a1 }], { destination: dest, createFolder: false });
		expect(result.outcomes).toEqual([
			{ status: 'moved', folder: dest, uid: d1, movedTo: dest },
			{ status: 'moved', folder: a, uid: a1, movedTo: dest },
		]);
		expect(await searchUids('dunning', dest)).toHaveLength(2);
		// "inbox" is INBOX: a message there is already in the destination.
		const [i1] = await appendMessages('dunning', 'INBOX', [testMessage({ subject: 'h-i1', marker: 'h-i1' })]);
		const inbox = await moveMessages(server, auth, [{ folder: 'INBOX', uid: i1 }], { destination: 'inbox', createFolder: false });
		expect(inbox.outcomes).toEqual([{ status: 'moved', folder: 'INBOX', uid: i1, movedTo: 'inbox' }]);
		expect(await searchUids('dunning', 'INBOX')).toContain(i1);
		await withSandboxImap('dunning', async (c) => {
			const lock = await c.getMailboxLock('INBOX');
			try {
				await c.messageDelete(String(i1), { uid: true });
			} finally {
				lock.release();
			}
		});
	});
});
