/**
 * Servers that lack what the sandbox's Dovecot always has — UIDPLUS and MOVE, a UIDNEXT on SELECT —
 * and folders too large for one command line. These run against the scripted server
 * (raw-imap-server.ts, a mock), which can leave the capabilities out; a real Dovecot always
 * announces them.
 */
import type { MailServer } from '../../lib/mail/server';
import { moveMessages, readMailbox, type FetchedMessage, type ReadMailboxOptions } from '../../lib/mailbox';
import { uidSet, uidSets } from '../../lib/mailbox/uid-set';
import { startRawImapServer, type RawImapScript, type RawImapServer, type RawMessage } from './raw-imap-server';

const auth = { method: 'password' as const, user: 'shop@example.org', password: 'pw' };

function message(uid: number): RawMessage {
	return { uid, source: `From: customer@example.org\r\nSubject: m${uid}\r\n\r\nhello ${uid}\r\n` };
}

let server: RawImapServer | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

async function start(script: RawImapScript): Promise<{ mail: MailServer; server: RawImapServer }> {
	server = await startRawImapServer(script);
	return { mail: { host: '127.0.0.1', port: server.port, security: 'none', allowSelfSigned: false, timeoutMs: 10_000 }, server };
}

async function read(script: RawImapScript, options: Partial<ReadMailboxOptions> = {}) {
	const { mail, server: s } = await start(script);
	const got: FetchedMessage[] = [];
	const result = await readMailbox(
		mail,
		auth,
		{ folder: 'INBOX', mode: 'sinceUid', firstRun: 'all', maxMessages: 0, postAction: { type: 'none' }, ...options },
		(m) => {
			got.push(m);
		},
	);
	return { got, result, commands: s.commands.map((c) => c.replace(/^\S+ /, '')) };
}

/** A plain EXPUNGE removes every \Deleted message in the folder, also ones a colleague marked. */
const plainExpunge = (c: string) => /^EXPUNGE\b/i.test(c);

describe('a server without UIDPLUS and MOVE', () => {
	const bare = { messages: [message(1), message(2), message(3)], loginCapabilities: 'IMAP4rev1' };

	it('Delete: our messages are flagged \\Deleted (and \\Seen) and reported, never expunged with a plain EXPUNGE', async () => {
		const { got, result, commands } = await read(bare, { postAction: { type: 'delete' } });
		expect(got).toHaveLength(3);
		expect(commands.filter(plainExpunge)).toEqual([]);
		expect(commands).toContain('UID STORE 1:3 +FLAGS (\\Deleted \\Seen)');
		expect(result.markedDeleted).toEqual([1, 2, 3]);
	});

	it('Move to Folder: copied, the originals flagged \\Deleted (and \\Seen), no plain EXPUNGE', async () => {
		const { result, commands } = await read(bare, { postAction: { type: 'move', folder: 'Done', createFolder: false } });
		expect(commands.filter(plainExpunge)).toEqual([]);
		expect(commands.filter((c) => /^UID (COPY|STORE|MOVE)/.test(c))).toEqual(['UID COPY 1:3 Done', 'UID STORE 1:3 +FLAGS (\\Deleted \\Seen)']);
		expect(result.markedDeleted).toEqual([1, 2, 3]);
	});

	it('Move Messages: copies, flags the originals, says so per message, and skips a message already flagged (moved before)', async () => {
		const { mail, server: s } = await start({
			...bare,
			// UID 2 was copied and flagged by an earlier run.
			search: (command, messages) => messages.map((m) => m.uid).filter((u) => !/UNDELETED/i.test(command) || u !== 2),
		});
		const result = await moveMessages(mail, auth, [1, 2, 3].map((uid) => ({ folder: 'INBOX', uid })), { destination: 'Done', createFolder: false });
		expect(result.outcomes).toEqual([
			{ status: 'moved', folder: 'INBOX', uid: 1, movedTo: 'Done', markedDeleted: true },
			{ status: 'notFound', folder: 'INBOX', uid: 2 },
			{ status: 'moved', folder: 'INBOX', uid: 3, movedTo: 'Done', markedDeleted: true },
		]);
		expect(result.markedDeleted).toBe(2);
		const commands = s.commands.map((c) => c.replace(/^\S+ /, ''));
		expect(commands.filter(plainExpunge)).toEqual([]);
		expect(commands.filter((c) => /^UID (COPY|STORE|MOVE)/.test(c))).toEqual(['UID COPY 1,3 Done', 'UID STORE 1,3 +FLAGS (\\Deleted \\Seen)']);
	});
});

describe('a server with only one of them', () => {
	const messages = [message(1), message(2)];

	it('MOVE without UIDPLUS: Move to Folder uses UID MOVE (atomic, only ours)', async () => {
		const { result, commands } = await read({ messages, loginCapabilities: 'IMAP4rev1 MOVE' }, { postAction: { type: 'move', folder: 'Done', createFolder: false } });
		expect(commands.filter((c) => /EXPUNGE|^UID (COPY|MOVE)/.test(c))).toEqual(['UID MOVE 1:2 Done']);
		expect(result.markedDeleted).toBeUndefined();
	});

	it('UIDPLUS without MOVE: copy, then UID EXPUNGE of exactly ours', async () => {
		const { result, commands } = await read({ messages, loginCapabilities: 'IMAP4rev1 UIDPLUS' }, { postAction: { type: 'move', folder: 'Done', createFolder: false } });
		expect(commands.filter((c) => /EXPUNGE|^UID (COPY|MOVE)/.test(c))).toEqual(['UID COPY 1:2 Done', 'UID EXPUNGE 1:2']);
		expect(result.markedDeleted).toBeUndefined();
	});

	it('MOVE without UIDPLUS: Delete only flags (MOVE cannot delete)', async () => {
		const { result, commands } = await read({ messages, loginCapabilities: 'IMAP4rev1 MOVE' }, { postAction: { type: 'delete' } });
		expect(commands.filter(plainExpunge)).toEqual([]);
		expect(result.markedDeleted).toEqual([1, 2]);
	});
});

describe('a server that announces no UIDNEXT', () => {
	it('"from now on" starts after the highest UID in the folder, not at 0', async () => {
		const { got, result } = await read({ messages: [message(3), message(7), message(9)], uidNext: null }, { firstRun: 'newOnly' });
		expect(got).toEqual([]);
		expect(result.state.lastUid).toBe(9);
	});

	it('an empty folder starts at 0', async () => {
		const { result } = await read({ messages: [], uidNext: null }, { firstRun: 'newOnly' });
		expect(result.state.lastUid).toBe(0);
	});
});

describe('a large scattered folder with "Max Messages" 0', () => {
	it('is read in full with no command line longer than RFC 7162 recommends (8192 octets)', async () => {
		// 2500 UIDs, no two adjacent, so no range compresses them: one set would be 17,500 characters.
		const messages = Array.from({ length: 2500 }, (_, i) => message(100_001 + 2 * i));
		const { got, result, commands } = await read({ messages }, { postAction: { type: 'seen' }, batchSize: 500 });
		expect(got).toHaveLength(2500);
		expect(result.state.lastUid).toBe(100_001 + 2 * 2499);
		expect(Math.max(...commands.map((c) => c.length))).toBeLessThanOrEqual(8192);
		// Every UID was asked for sizes, across several FETCHes.
		const sizeFetches = commands.filter((c) => /^UID FETCH \S+ \(UID ENVELOPE RFC822\.SIZE\)/.test(c));
		expect(sizeFetches.length).toBeGreaterThan(1);
	}, 60_000);
});

describe('uidSets', () => {
	it('packs ranges into sets of bounded length that together name every UID once', () => {
		const uids = [...Array.from({ length: 300 }, (_, i) => 1000 + 3 * i), 5, 6, 7, 2000];
		const sets = uidSets(uids, 100);
		expect(sets.length).toBeGreaterThan(1);
		for (const set of sets) expect(set.length).toBeLessThanOrEqual(100);
		expect(sets.join(',')).toBe(uidSet(uids));
		expect(uidSets([])).toEqual([]);
	});
});
