import { readMailbox, type FetchedMessage, type ReadMailboxOptions } from '../../lib/mailbox';
import {
	appendMessages,
	describeWithSandbox,
	sandboxAuth,
	sandboxImapServer,
	searchUids,
	testMessage,
	temporaryFolders,
	withSandboxImap,
} from '../servers/sandbox';

const server = sandboxImapServer('starttls');
const auth = sandboxAuth('dunning');

function messages(marker: string, n: number): string[] {
	return Array.from({ length: n }, (_, i) => testMessage({ subject: `${marker} #${i + 1}`, marker: `${marker}-${i + 1}` }));
}

async function read(options: Partial<ReadMailboxOptions> & { folder: string }): Promise<{ got: FetchedMessage[]; result: Awaited<ReturnType<typeof readMailbox>> }> {
	const got: FetchedMessage[] = [];
	const result = await readMailbox(
		server,
		auth,
		{ mode: 'unseen', maxMessages: 0, postAction: { type: 'none' }, ...options },
		(m) => {
			got.push(m);
		},
	);
	return { got, result };
}

async function flagsOf(folder: string): Promise<Map<number, string[]>> {
	return await withSandboxImap('dunning', async (client) => {
		const lock = await client.getMailboxLock(folder);
		try {
			const out = new Map<number, string[]>();
			for await (const m of client.fetch('1:*', { uid: true, flags: true }, { uid: true })) out.set(m.uid, [...(m.flags ?? [])]);
			return out;
		} finally {
			lock.release();
		}
	});
}

/** Sockets of this process still connected to the sandbox's IMAP ports (Node's handle list, test-only). */
function openImapSockets(): number {
	const handles = (process as unknown as { _getActiveHandles(): Array<{ remotePort?: number; destroyed?: boolean }> })._getActiveHandles();
	return handles.filter((h) => (h.remotePort === 10143 || h.remotePort === 10993) && !h.destroyed).length;
}

async function settle(): Promise<void> {
	await new Promise((r) => setTimeout(r, 50));
}

describeWithSandbox('readMailbox against the sandbox Dovecot', () => {
	const folder = temporaryFolders('dunning');

	it('fetches only unseen messages, with raw source and parsed headers, and leaves them unseen with "nothing"', async () => {
		const f = folder('unseen');
		await appendMessages('dunning', f, messages('seen-one', 1), ['\\Seen']);
		const [u2, u3] = await appendMessages('dunning', f, messages('unseen', 2));

		const { got, result } = await read({ folder: f });
		expect(got.map((m) => m.uid)).toEqual([u2, u3]);
		expect(got[0].source.toString()).toContain('X-Test-Marker: unseen-1');
		expect(got[0].headers.subject).toBe('unseen #1');
		expect(got[0].headers.fromAddress).toBe('customer@example.org');
		expect(got[0].headers.to).toEqual(['dunning@example.test']);
		expect(got[0].headers.messageId).toMatch(/^<unseen-1\..+@example\.org>$/);
		expect(got[0].headers.date).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(result.fetched).toBe(2);
		expect(result.more).toBe(false);

		// BODY.PEEK: reading alone must not mark anything seen.
		const again = await read({ folder: f });
		expect(again.got.map((m) => m.uid)).toEqual([u2, u3]);
	});

	it('"since last UID" resumes across two runs and restarts when UIDVALIDITY changes', async () => {
		const f = folder('since');
		const first = await appendMessages('dunning', f, messages('since-a', 3));
		const run1 = await read({ folder: f, mode: 'sinceUid', firstRun: 'all' });
		expect(run1.got.map((m) => m.uid)).toEqual(first);
		expect(run1.result.state.lastUid).toBe(first[2]);

		// Nothing new: nothing fetched (IMAP's "N:*" quirk must not return the last one again).
		const run2 = await read({ folder: f, mode: 'sinceUid', state: run1.result.state });
		expect(run2.got).toEqual([]);
		expect(run2.result.state).toEqual({ ...run1.result.state, readAt: expect.any(String) });

		const later = await appendMessages('dunning', f, messages('since-b', 2));
		const run3 = await read({ folder: f, mode: 'sinceUid', state: run2.result.state });
		expect(run3.got.map((m) => m.uid)).toEqual(later);
		expect(run3.result.uidValidityChanged).toBe(false);

		const stale = { uidValidity: '1', lastUid: run3.result.state.lastUid };
		const run4 = await read({ folder: f, mode: 'sinceUid', state: stale, firstRun: 'all' });
		expect(run4.result.uidValidityChanged).toBe(true);
		expect(run4.got.map((m) => m.uid)).toEqual([...first, ...later]);
	});

	it('a minimum age leaves the messages that arrived too recently, and every one after them, for the next run', async () => {
		const f = folder('minage');
		const settled = await appendMessages('dunning', f, messages('settled', 2));
		// INTERNALDATE has whole seconds.
		await new Promise((r) => setTimeout(r, 2100));
		const fresh = await appendMessages('dunning', f, messages('fresh', 1));
		// The clock stops when the fresh one is in: at most a second old (its date's fraction), however slow the machine.
		const appended = Date.now();
		const now = () => appended;
		const run1 = await read({ folder: f, mode: 'sinceUid', firstRun: 'all', minAgeMs: 1500, now });
		expect(run1.got.map((m) => m.uid)).toEqual(settled);
		expect(run1.result.state.lastUid).toBe(settled[1]);
		expect(run1.result.more).toBe(true);
		// Unread unseen ones stay unseen, so the same holds when reading unseen mail.
		expect((await read({ folder: f, mode: 'unseen', minAgeMs: 1500, now })).got.map((m) => m.uid)).toEqual(settled);
		// Once old enough (a clock 10 s on), the rest comes.
		const run2 = await read({ folder: f, mode: 'sinceUid', state: run1.result.state, minAgeMs: 1500, now: () => Date.now() + 10_000 });
		expect(run2.got.map((m) => m.uid)).toEqual(fresh);
		expect(run2.result.state.lastUid).toBe(fresh[0]);
		// All too young: nothing read, the position stays.
		const run3 = await read({ folder: f, mode: 'sinceUid', firstRun: 'all', minAgeMs: 60_000 });
		expect(run3.got).toEqual([]);
		expect(run3.result.state.lastUid).toBe(0);
	});

	it('"since last UID" with firstRun newOnly skips what is already there', async () => {
		const f = folder('newonly');
		const old = await appendMessages('dunning', f, messages('old', 2));
		const run1 = await read({ folder: f, mode: 'sinceUid', firstRun: 'newOnly' });
		expect(run1.got).toEqual([]);
		expect(run1.result.state.lastUid).toBe(old[1]);
		const fresh = await appendMessages('dunning', f, messages('fresh', 1));
		const run2 = await read({ folder: f, mode: 'sinceUid', state: run1.result.state });
		expect(run2.got.map((m) => m.uid)).toEqual(fresh);
	});

	it('"only new messages" after the folder was renumbered (recreated): what arrived since the last run is read, nothing older, and the position goes to the end', async () => {
		const f = folder('renumbered');
		await appendMessages('dunning', f, messages('before', 1));
		const run1 = await read({ folder: f, mode: 'sinceUid', firstRun: 'newOnly' });
		expect(run1.result.state.readAt).toEqual(expect.any(String));
		// The folder is rebuilt (a migration, a repair): a new UIDVALIDITY; the old mail comes back with its
		// arrival date, a bounce arrives.
		await withSandboxImap('dunning', async (c) => {
			await c.mailboxDelete(f);
			await c.mailboxCreate(f);
			await c.append(f, messages('restored', 1)[0], [], new Date(Date.now() - 86_400_000));
		});
		const fresh = await appendMessages('dunning', f, messages('arrived', 1));
		const run2 = await read({ folder: f, mode: 'sinceUid', firstRun: 'newOnly', state: run1.result.state });
		// Before, the bounce was skipped: the position jumped to the end of the renumbered folder.
		expect(run2.got.map((m) => m.headers.subject)).toEqual(['arrived #1']);
		expect(run2.result).toMatchObject({ uidValidityChanged: true, state: { lastUid: fresh[0] } });
		const later = await appendMessages('dunning', f, messages('later', 1));
		const run3 = await read({ folder: f, mode: 'sinceUid', firstRun: 'newOnly', state: run2.result.state });
		expect(run3.got.map((m) => m.uid)).toEqual(later);
		// Without a time saved (a position from an older version), as before: from now on.
		const run4 = await read({ folder: f, mode: 'sinceUid', firstRun: 'newOnly', state: { uidValidity: '1', lastUid: 3 } });
		expect(run4.got).toEqual([]);
		expect(run4.result.state.lastUid).toBe(later[0]);
	});

	it('a renumbering after a run that Max Messages cut short: the catch-up still reads what that run left', async () => {
		const f = folder('renumbered-max');
		await withSandboxImap('dunning', (c) => c.mailboxCreate(f));
		const run1 = await read({ folder: f, mode: 'sinceUid', firstRun: 'newOnly' });
		await appendMessages('dunning', f, messages('left', 3));
		const run2 = await read({ folder: f, mode: 'sinceUid', firstRun: 'newOnly', state: run1.result.state, maxMessages: 1 });
		expect(run2.got.map((m) => m.headers.subject)).toEqual(['left #1']);
		// Cut short: the time of the last complete run is kept.
		expect(run2.result).toMatchObject({ more: true, state: { readAt: run1.result.state.readAt } });
		// Rebuilt, the messages keep their arrival dates (as imapsync or dsync do).
		await withSandboxImap('dunning', async (c) => {
			const lock = await c.getMailboxLock(f);
			const dated: Array<[Buffer, Date]> = [];
			try {
				for await (const m of c.fetch('1:*', { source: true, internalDate: true })) dated.push([m.source!, new Date(m.internalDate!)]);
			} finally {
				lock.release();
			}
			await c.mailboxDelete(f);
			await c.mailboxCreate(f);
			for (const [source, date] of dated) await c.append(f, source, [], date);
		});
		const run3 = await read({ folder: f, mode: 'sinceUid', firstRun: 'newOnly', state: run2.result.state });
		// Before, the position jumped to the end: #2 and #3 were never read.
		expect(run3.got.map((m) => m.headers.subject)).toEqual(['left #1', 'left #2', 'left #3']);
	});

	it('stops at max messages per run and continues with the rest next time', async () => {
		const f = folder('max');
		const uids = await appendMessages('dunning', f, messages('max', 5));
		const run1 = await read({ folder: f, mode: 'sinceUid', firstRun: 'all', maxMessages: 2, batchSize: 1 });
		expect(run1.got.map((m) => m.uid)).toEqual(uids.slice(0, 2));
		expect(run1.result.more).toBe(true);
		const run2 = await read({ folder: f, mode: 'sinceUid', state: run1.result.state, maxMessages: 2 });
		expect(run2.got.map((m) => m.uid)).toEqual(uids.slice(2, 4));
		const run3 = await read({ folder: f, mode: 'sinceUid', state: run2.result.state, maxMessages: 2 });
		expect(run3.got.map((m) => m.uid)).toEqual(uids.slice(4));
		expect(run3.result.more).toBe(false);
	});

	it('splits fetches by size: a byte cap smaller than any message still reads and post-actions all of them', async () => {
		const f = folder('bytes');
		const uids = await appendMessages('dunning', f, messages('bytes', 3));
		const { got } = await read({ folder: f, maxBatchBytes: 1, postAction: { type: 'seen' } });
		expect(got.map((m) => m.uid)).toEqual(uids);
		expect(await searchUids('dunning', f, { seen: false })).toEqual([]);
	});

	it('post-action "seen" flags the messages \\Seen on the server', async () => {
		const f = folder('post-seen');
		const uids = await appendMessages('dunning', f, messages('ps', 3));
		await read({ folder: f, postAction: { type: 'seen' }, maxMessages: 2 });
		const flags = await flagsOf(f);
		expect(flags.get(uids[0])).toContain('\\Seen');
		expect(flags.get(uids[1])).toContain('\\Seen');
		expect(flags.get(uids[2])).not.toContain('\\Seen');
		const next = await read({ folder: f });
		expect(next.got.map((m) => m.uid)).toEqual([uids[2]]);
	});

	it('post-action "delete" removes the messages from the folder', async () => {
		const f = folder('post-delete');
		const uids = await appendMessages('dunning', f, messages('pd', 3));
		await read({ folder: f, postAction: { type: 'delete' }, maxMessages: 2 });
		expect(await searchUids('dunning', f)).toEqual([uids[2]]);
	});

	it('post-action "move" moves the messages to an existing folder', async () => {
		const f = folder('post-move');
		const dest = folder('post-move-dest');
		await appendMessages('dunning', dest, []);
		await appendMessages('dunning', f, messages('pm', 2));
		const { result } = await read({ folder: f, postAction: { type: 'move', folder: dest, createFolder: false } });
		expect(result.fetched).toBe(2);
		expect(result.folderCreated).toBe(false);
		expect(await searchUids('dunning', f)).toEqual([]);
		expect(await searchUids('dunning', dest, { header: { 'X-Test-Marker': 'pm-' } })).toHaveLength(2);
	});

	it('moving to a missing folder is an error before anything is read, unless "create" was chosen', async () => {
		const f = folder('move-missing');
		const dest = folder('does-not-exist');
		const uids = await appendMessages('dunning', f, messages('mm', 1));
		const seen: number[] = [];
		await expect(
			readMailbox(server, auth, { folder: f, mode: 'unseen', maxMessages: 0, postAction: { type: 'move', folder: dest, createFolder: false } }, (m) => {
				seen.push(m.uid);
			}),
		).rejects.toMatchObject({ kind: 'folderMissing', message: expect.stringContaining(`"${dest}" does not exist`) });
		expect(seen).toEqual([]);
		await settle();
		expect(openImapSockets()).toBe(0);
		expect(await searchUids('dunning', f)).toEqual(uids);

		const { result } = await read({ folder: f, postAction: { type: 'move', folder: dest, createFolder: true } });
		expect(result.folderCreated).toBe(true);
		expect(await searchUids('dunning', f)).toEqual([]);
		expect(await searchUids('dunning', dest)).toHaveLength(1);
	});

	it('moving INBOX into "inbox" (the same folder, RFC 3501 §5.1) is refused before anything is read: each run would read the same messages again', async () => {
		await expect(read({ folder: 'INBOX', postAction: { type: 'move', folder: 'inbox', createFolder: false } })).rejects.toMatchObject({
			kind: 'invalidOptions',
			message: 'The destination folder "inbox" is the folder being read; choose another one.',
		});
	});

	it('reading a folder that does not exist names the folder and lists the existing ones', async () => {
		await expect(read({ folder: 'No/Such/Folder' })).rejects.toMatchObject({
			kind: 'folderMissing',
			message: expect.stringMatching(/"No\/Such\/Folder" does not exist.*INBOX/),
		});
	});

	it('an error thrown by the handler leaves that message and the rest untouched; those handed over before keep their post-action and position', async () => {
		const f = folder('handler-error');
		const dest = folder('handler-error-done');
		const uids = await appendMessages('dunning', f, messages('he', 3));
		let calls = 0;
		const result = await readMailbox(
			server,
			auth,
			{ folder: f, mode: 'sinceUid', firstRun: 'all', maxMessages: 0, postAction: { type: 'move', folder: dest, createFolder: true } },
			() => {
				calls++;
				if (calls === 2) throw new Error('binary storage full');
			},
		);
		// Returned, not thrown: the caller keeps the message it took, which is moved already.
		expect(result).toMatchObject({ fetched: 1, more: true, failed: { uid: uids[1], error: new Error('binary storage full') } });
		expect(result.state.lastUid).toBe(uids[0]);
		expect(calls).toBe(2);
		await settle();
		expect(openImapSockets()).toBe(0);
		expect(await searchUids('dunning', f)).toEqual([uids[1], uids[2]]);
		expect(await searchUids('dunning', dest)).toHaveLength(1);
		const flags = await flagsOf(f);
		expect(flags.get(uids[1])).toEqual([]);
		expect(flags.get(uids[2])).toEqual([]);

		// The next call starts with the message that failed.
		const again = await readMailbox(server, auth, { folder: f, mode: 'sinceUid', state: result.state, maxMessages: 0, postAction: { type: 'none' } }, () => undefined);
		expect(again).toMatchObject({ fetched: 2, state: { lastUid: uids[2] } });
	});

	it('a move the server refuses for a later batch: what was passed on is returned, those messages are named as left in the folder, the position passes them', async () => {
		const f = folder('move-refused');
		const dest = folder('move-refused-dest');
		const renamed = folder('move-refused-renamed');
		const uids = await appendMessages('dunning', f, messages('mr', 3));
		await withSandboxImap('dunning', (c) => c.mailboxCreate(dest));
		const got: number[] = [];
		const result = await readMailbox(
			server,
			auth,
			{ folder: f, mode: 'sinceUid', firstRun: 'all', maxMessages: 0, batchSize: 2, postAction: { type: 'move', folder: dest, createFolder: false } },
			async (m) => {
				got.push(m.uid);
				// Another mail program renames the destination while the second batch is read: Dovecot refuses its MOVE.
				if (m.uid === uids[2]) await withSandboxImap('dunning', (c) => c.mailboxRename(dest, renamed));
			},
		);
		// Before, the first batch (moved already) was lost with the error: nothing returned, nothing saved.
		expect(got).toEqual(uids);
		expect(result).toMatchObject({ fetched: 3, postActionFailed: [uids[2]], state: { lastUid: uids[2] } });
		expect(result.stopped?.message).toMatch(new RegExp(`refused to move to "${dest}" message\\(s\\) with UID ${uids[2]}`));
		expect(await searchUids('dunning', f)).toEqual([uids[2]]);
		expect(await searchUids('dunning', renamed)).toHaveLength(2);
		await settle();
		expect(openImapSockets()).toBe(0);
	});

	it('works over implicit TLS (IMAPS) and plain IMAP too', async () => {
		const f = folder('modes');
		await appendMessages('dunning', f, messages('modes', 1));
		for (const security of ['tls', 'none'] as const) {
			const got: number[] = [];
			await readMailbox(sandboxImapServer(security), auth, { folder: f, mode: 'unseen', maxMessages: 0, postAction: { type: 'none' } }, (m) => {
				got.push(m.uid);
			});
			expect(got).toHaveLength(1);
		}
	});

	it('rejects bad options with a clear message', async () => {
		await expect(read({ folder: '' })).rejects.toThrow('No folder given');
		await expect(read({ folder: 'INBOX', maxMessages: -1 })).rejects.toThrow('Max messages must be a whole number');
		await expect(read({ folder: 'INBOX', postAction: { type: 'move', folder: 'INBOX', createFolder: false } })).rejects.toThrow(
			'is the folder being read',
		);
	});
});
