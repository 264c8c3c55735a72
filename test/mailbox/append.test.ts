import { appendToFolder, sentFolderFor } from '../../lib/mailbox';
import { listFolders, withImap } from '../../lib/mailbox/connection';
import { describeWithSandbox, sandboxAuth, sandboxImapServer, temporaryFolders, testMessage, uniqueFolder, withSandboxImap } from '../servers/sandbox';

describeWithSandbox('appendToFolder against the sandbox Dovecot', () => {
	const server = sandboxImapServer('tls');
	const auth = sandboxAuth('dunning');
	const temporaryFolder = temporaryFolders('dunning');

	it('stores the raw message byte for byte in Sent, marked \\Seen, and reports its UID', async () => {
		const marker = uniqueFolder('append');
		const raw = testMessage({ subject: 'Zahlungserinnerung RE-1', marker, from: 'dunning@example.test', to: 'kunde@example.org' });
		const res = await appendToFolder(server, auth, 'Sent', raw);
		expect(res.folder).toBe('Sent');
		expect(res.uid).toBeGreaterThan(0);

		const stored = await withSandboxImap('dunning', async (client) => {
			const lock = await client.getMailboxLock('Sent');
			try {
				return await client.fetchOne(String(res.uid), { source: true, flags: true }, { uid: true });
			} finally {
				lock.release();
			}
		});
		expect(stored && stored.source?.toString()).toBe(raw);
		expect(stored && [...(stored.flags ?? [])]).toContain('\\Seen');
	});

	it('a missing folder is an error naming it, or is created when asked', async () => {
		const folder = temporaryFolder('Gesendet');
		const raw = testMessage({ subject: 'x', marker: folder });
		await expect(appendToFolder(server, auth, folder, raw)).rejects.toMatchObject({
			kind: 'folderMissing',
			message: expect.stringContaining(`"${folder}" does not exist`),
		});
		const res = await appendToFolder(server, auth, folder, raw, { createFolder: true });
		expect(res.uid).toBeGreaterThan(0);
	});

	it('an empty Sent Folder finds the folder the server marks as \\Sent (RFC 6154)', async () => {
		const folders = await withImap(server, auth, listFolders);
		const marked = folders.find((f) => f.specialUse === '\\Sent')?.path;
		// Without the mark, "" would fall back to an existing "Sent" as well: the mark itself is checked.
		expect(marked).toBe('Sent');
		expect(sentFolderFor('', folders.map((f) => f.path), marked)).toBe('Sent');
	});
});
