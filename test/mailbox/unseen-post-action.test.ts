/**
 * "Unread Only" when After Reading cannot move or delete: no position holds the messages back, so
 * they are marked read instead (else every run passes them on again), and a message the server
 * sends with no bytes at all is treated as one it sent no content for (never deleted unread).
 * Scripted server (raw-imap-server.ts) for the refusals Dovecot will not give on demand; the
 * sandbox Dovecot (MAIL_SANDBOX=1) for a destination folder deleted during a run and for a
 * zero-byte file in its store.
 */
import { chownSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { MailServer } from '../../lib/mail/server';
import { readMailbox, type FetchedMessage, type ReadMailboxOptions } from '../../lib/mailbox';
import { startRawImapServer, type RawImapScript, type RawImapServer, type RawMessage } from './raw-imap-server';
import {
	appendMessages,
	describeWithSandbox,
	SANDBOX,
	sandboxAuth,
	sandboxImapServer,
	searchUids,
	temporaryFolders,
	testMessage,
	withSandboxImap,
} from '../servers/sandbox';

const rawAuth = { method: 'password' as const, user: 'shop@example.org', password: 'pw' };

function message(uid: number, source = `From: customer@example.org\r\nSubject: m${uid}\r\n\r\nhello ${uid}\r\n`): RawMessage {
	return { uid, source };
}

let raw: RawImapServer | undefined;
afterEach(async () => {
	await raw?.stop();
	raw = undefined;
});

async function readRaw(script: RawImapScript, options: Partial<ReadMailboxOptions>) {
	raw = await startRawImapServer(script);
	const mail: MailServer = { host: '127.0.0.1', port: raw.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 };
	const got: FetchedMessage[] = [];
	const result = await readMailbox(
		mail,
		rawAuth,
		{ folder: 'INBOX', mode: 'unseen', maxMessages: 0, postAction: { type: 'move', folder: 'Done', createFolder: false }, ...options },
		(m) => {
			got.push(m);
		},
	);
	return { got, result, server: raw };
}

const seenStores = (s: RawImapServer) => s.commands.filter((c) => /UID STORE .* \+FLAGS \(\\Seen\)$/.test(c)).map((c) => c.split(' ')[3]);

describe('"Unread Only" after a move or delete the server refuses', () => {
	const messages = [message(1), message(2), message(3), message(4)];

	it('a refused move: the messages it was for are marked read instead, so the next run does not pass them on again', async () => {
		const { got, result, server } = await readRaw({ messages, move: (n) => (n === 1 ? 'OK moved' : 'NO [OVERQUOTA] Quota exceeded') }, { batchSize: 2 });
		expect(got.map((m) => m.uid)).toEqual([1, 2, 3, 4]);
		expect(result.postActionFailed).toEqual([3, 4]);
		// Before: no \Seen at all, and UIDs 3 and 4 came out again in every run.
		expect(seenStores(server)).toEqual(['3:4']);
		expect(result.readAgain).toBeUndefined();
		expect(result.stopped?.message).toMatch(/refused to move to "Done" message\(s\) with UID 3:4\. They were marked as read instead, so "Unread Only" does not read them again\.$/);
	});

	it('a refused delete, with an unreadable message in the batch: all are marked read, only the refused ones are reported as left', async () => {
		const script: RawImapScript = {
			messages,
			fetchBody: (c) => {
				for (const uid of c.uids) {
					if (uid === 2) c.socket.write('* 2 FETCH (UID 2 FLAGS () RFC822.SIZE 40 BODY[] NIL)\r\n');
					else c.writeMessage(c.messages.find((m) => m.uid === uid)!);
				}
				c.ok();
			},
			store: (command) => (/\\Deleted/.test(command) ? 'NO [CANNOT] no right to delete' : 'OK done'),
		};
		const { got, result, server } = await readRaw(script, { postAction: { type: 'delete' } });
		expect(got.map((m) => [m.uid, m.noContent ?? false])).toEqual([
			[1, false],
			[3, false],
			[4, false],
			[2, true],
		]);
		expect(seenStores(server)).toEqual(['1:4']);
		// UID 2's own post-action (mark as read) happened with the others'.
		expect(result.postActionFailed).toEqual([1, 3, 4]);
		expect(result.readAgain).toBeUndefined();
	});

	it('when marking them read is refused too, they are named as read again, and the warning says so', async () => {
		const script: RawImapScript = { messages, move: () => 'NO [OVERQUOTA] Quota exceeded', store: () => 'NO [CANNOT] flags are read-only' };
		const { result, server } = await readRaw(script, {});
		expect(seenStores(server)).toEqual(['1:4']);
		expect(result.postActionFailed).toEqual([1, 2, 3, 4]);
		expect(result.readAgain).toEqual([1, 2, 3, 4]);
		expect(result.stopped?.message).toMatch(/Marking them as read instead failed for UID 1:4 \(the server refused that too\): "Unread Only" reads those again in the next run\.$/);
	});

	it('"New Since Last Run" is unchanged: the position holds them back, nothing is marked', async () => {
		const { result, server } = await readRaw({ messages, move: () => 'NO [OVERQUOTA] Quota exceeded' }, { mode: 'sinceUid', firstRun: 'all' });
		expect(seenStores(server)).toEqual([]);
		expect(result).toMatchObject({ postActionFailed: [1, 2, 3, 4], state: { lastUid: 4 } });
		expect(result.readAgain).toBeUndefined();
		expect(result.stopped?.message).toBe('The server refused to move to "Done" message(s) with UID 1:4.');
	});
});

describe('"Unread Only" when the messages stay unread after all: named as read again', () => {
	const messages = [message(1), message(2)];

	it('After Reading "Mark as Read" the server refuses: readAgain names them (before: empty, "not read again")', async () => {
		const { result, server } = await readRaw({ messages, store: () => 'NO [CANNOT] flags are read-only' }, { postAction: { type: 'seen' } });
		expect(seenStores(server)).toEqual(['1:2']);
		expect(result.postActionFailed).toEqual([1, 2]);
		expect(result.readAgain).toEqual([1, 2]);
	});

	it('"New Since Last Run" with a refused "Mark as Read": the position holds them back, no readAgain', async () => {
		const { result } = await readRaw({ messages, store: () => 'NO [CANNOT] flags are read-only' }, { mode: 'sinceUid', firstRun: 'all', postAction: { type: 'seen' } });
		expect(result).toMatchObject({ postActionFailed: [1, 2], state: { lastUid: 2 } });
		expect(result.readAgain).toBeUndefined();
	});

	it('the server does not answer "Mark as Read" within the Timeout: the connection is closed, readAgain names them', async () => {
		raw = await startRawImapServer({ messages, store: () => 'hang' });
		const mail: MailServer = { host: '127.0.0.1', port: raw.port, security: 'none', allowSelfSigned: false, timeoutMs: 2000 };
		const result = await readMailbox(mail, rawAuth, { folder: 'INBOX', mode: 'unseen', maxMessages: 0, postAction: { type: 'seen' } }, () => undefined);
		expect(result.stopped).toMatchObject({ kind: 'timeout', message: expect.stringContaining('did not finish marking, moving or deleting what was read') });
		expect(result.postActionFailed).toEqual([1, 2]);
		expect(result.readAgain).toEqual([1, 2]);
	});

	it('the connection breaks during a FETCH and the reconnect for the post-action owed is refused: readAgain names the message read', async () => {
		let logins = 0;
		const script: RawImapScript = {
			messages,
			capabilities: 'IMAP4rev1',
			login: () => (++logins === 1 ? 'OK logged in' : 'NO [UNAVAILABLE] try later'),
			fetchBody: (c) => {
				c.writeMessage(c.messages[0]);
				c.socket.destroy();
			},
		};
		const { got, result } = await readRaw(script, {});
		expect(got.map((m) => m.uid)).toEqual([1]);
		expect(result.postActionFailed).toEqual([1]);
		expect(result.readAgain).toEqual([1]);
	});
});

describe('a message the server sends with no bytes (a zero-byte file in its store)', () => {
	it('is handed over as one without content, never deleted: only marked read', async () => {
		const script: RawImapScript = { messages: [message(1), message(2, ''), message(3)] };
		const { got, result, server } = await readRaw(script, { mode: 'sinceUid', firstRun: 'all', postAction: { type: 'delete' } });
		// Before: UID 2 came out as a normal message with an empty source and was deleted with the others.
		expect(got.map((m) => [m.uid, m.source.length > 0, m.noContent ?? false])).toEqual([
			[1, true, false],
			[3, true, false],
			[2, false, true],
		]);
		expect(result).toMatchObject({ fetched: 3, state: { lastUid: 3 } });
		expect(server.commands.filter((c) => /UID STORE/.test(c)).map((c) => c.split(' ').slice(3).join(' '))).toEqual(['1,3 +FLAGS (\\Deleted)', '2 +FLAGS (\\Seen)']);
	});
});

describeWithSandbox('"Unread Only" and a zero-byte message against the sandbox Dovecot', () => {
	const server = sandboxImapServer('starttls');
	const auth = sandboxAuth('dunning');
	const folder = temporaryFolders('dunning');

	it('move to a destination deleted during the run: the next run hands over none of the messages it could not move', async () => {
		const f = folder('unseen-move');
		const dest = folder('unseen-move-dest');
		const uids = await appendMessages('dunning', f, Array.from({ length: 5 }, (_, i) => testMessage({ subject: `um #${i + 1}`, marker: `um-${i + 1}` })));
		const options: ReadMailboxOptions = { folder: f, mode: 'unseen', maxMessages: 0, batchSize: 2, postAction: { type: 'move', folder: dest, createFolder: true } };
		const first = await readMailbox(server, auth, options, async (m) => {
			// Another mail program deletes the destination while the second batch is read: Dovecot refuses its MOVE.
			if (m.uid === uids[2]) await withSandboxImap('dunning', (c) => c.mailboxDelete(dest));
		});
		expect(first.postActionFailed).toEqual([uids[2], uids[3]]);
		expect(first.readAgain).toBeUndefined();
		expect(await searchUids('dunning', f, { seen: false })).toEqual([uids[4]]);

		const again: number[] = [];
		const second = await readMailbox(server, auth, options, (m) => {
			again.push(m.uid);
		});
		// Before: UIDs 3 and 4 (still unread) were handed over a second time.
		expect(again).toEqual([uids[4]]);
		expect(second.postActionFailed).toBeUndefined();
		expect(await searchUids('dunning', f)).toEqual([uids[2], uids[3]]);
	});

	it('a zero-byte file in the maildir is handed over without content and is not deleted', async () => {
		const f = folder('zero-byte');
		const [before] = await appendMessages('dunning', f, [testMessage({ subject: 'zb before', marker: 'zb-1' })]);
		// Dovecot's Maildir++ layout (mail-sandbox.sh): <runDir>/mail/<domain>/<user>/Maildir/.<folder>/new.
		const dir = join(SANDBOX.runDir, 'mail', SANDBOX.domain, 'dunning', 'Maildir', `.${f}`, 'new');
		const owner = statSync(dir);
		const file = join(dir, `1700000000.zero-${process.pid}.sandbox`);
		writeFileSync(file, '');
		chownSync(file, owner.uid, owner.gid);

		const got: FetchedMessage[] = [];
		const result = await readMailbox(server, auth, { folder: f, mode: 'sinceUid', firstRun: 'all', maxMessages: 0, postAction: { type: 'delete' } }, (m) => {
			got.push(m);
		});
		expect(got).toHaveLength(2);
		const empty = got.find((m) => m.uid !== before)!;
		expect(empty).toMatchObject({ source: Buffer.alloc(0), noContent: true, tooLarge: false });
		expect(result.postActionFailed).toBeUndefined();
		// Before: deleted with the readable one.
		expect(await searchUids('dunning', f)).toEqual([empty.uid]);
		expect(await searchUids('dunning', f, { seen: true })).toEqual([empty.uid]);
	});
});
