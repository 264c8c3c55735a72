/**
 * "Only Message-ID": the server finds the message (IMAP SEARCH HEADER Message-ID, with the mode's own
 * criteria), so that only it is downloaded, e.g. the Mailbox check's test mail in a shared inbox with
 * thousands of unread mails. Where the server refuses that search or finds nothing (its index lagging
 * behind a mail that just arrived), the envelopes of the messages the mode selects decide; only the
 * match's source is downloaded either way. Such a read never moves the position past the messages it
 * skipped. The sandbox Dovecot (MAIL_SANDBOX=1) for real searches; the scripted server
 * (raw-imap-server.ts) for what goes over the wire and for a server that refuses or lags.
 */
import type { MailServer } from '../../lib/mail/server';
import { readMailbox, type FetchedMessage, type ReadMailboxOptions } from '../../lib/mailbox';
import { startRawImapServer, type RawImapScript, type RawImapServer } from './raw-imap-server';
import { appendMessages, describeWithSandbox, sandboxAuth, sandboxImapServer, searchUids, temporaryFolders, testMessage } from '../servers/sandbox';

const messageIdOf = (source: string): string => /^Message-ID: (.*)$/m.exec(source)![1].trim();

describeWithSandbox('readMailbox "Only Message-ID" against the sandbox Dovecot', () => {
	const folder = temporaryFolders('dunning');
	const server = sandboxImapServer('starttls');
	const auth = sandboxAuth('dunning');

	async function read(options: Partial<ReadMailboxOptions> & { folder: string }) {
		const got: FetchedMessage[] = [];
		const result = await readMailbox(server, auth, { mode: 'unseen', maxMessages: 0, postAction: { type: 'none' }, ...options }, (m) => {
			got.push(m);
		});
		return { got, result };
	}

	/** Three unread messages; returns the folder, their UIDs and Message-IDs (with brackets). */
	async function threeUnread(prefix: string) {
		const f = folder(prefix);
		const sources = [1, 2, 3].map((n) => testMessage({ subject: `${prefix} #${n}`, marker: `${prefix}-${n}` }));
		const uids = await appendMessages('dunning', f, sources);
		return { f, uids, ids: sources.map(messageIdOf) };
	}

	it('reads exactly the message with that Message-ID among three unread ones, given with or without angle brackets', async () => {
		const { f, uids, ids } = await threeUnread('only-id');
		expect(ids[1]).toMatch(/^<only-id-2\..+@example\.org>$/);
		for (const given of [ids[1], ids[1].slice(1, -1), `  ${ids[1]} `]) {
			const { got, result } = await read({ folder: f, onlyMessageId: given });
			// Before: the option was unknown and all three were read.
			expect(got.map((m) => m.uid)).toEqual([uids[1]]);
			expect(got[0].headers.messageId).toBe(ids[1]);
			expect(got[0].source.toString()).toContain('X-Test-Marker: only-id-2');
			expect(result).toMatchObject({ fetched: 1, more: false });
		}
	});

	it('a Message-ID that no message has: an empty result, also when it is part of another message\'s ID', async () => {
		const { f, ids } = await threeUnread('only-none');
		const none = await read({ folder: f, onlyMessageId: '<no-such-message.1@example.org>' });
		expect(none.got).toEqual([]);
		expect(none.result).toMatchObject({ fetched: 0, more: false });
		// "only-none-2.x@example.org" is inside "<only-none-2.x@example.org>", and "<ne-2.x@…>" is not in
		// any: the bare form HEADER matches as a substring is checked against the envelope.
		const part = `<${ids[1].slice(6)}`;
		const partial = await read({ folder: f, onlyMessageId: part });
		expect(partial.got).toEqual([]);
	});

	it('post-actions only the message read: "Mark as Read" leaves the other unread ones unread', async () => {
		const { f, uids, ids } = await threeUnread('only-seen');
		const { got } = await read({ folder: f, onlyMessageId: ids[2], postAction: { type: 'seen' } });
		expect(got.map((m) => m.uid)).toEqual([uids[2]]);
		expect(await searchUids('dunning', f, { seen: false })).toEqual(uids.slice(0, 2));
	});

	it('"New Since Last Run": looks after the saved position, and gives that position back unchanged, never past the messages it skipped', async () => {
		const { f, uids, ids } = await threeUnread('only-since');
		const start = await read({ folder: f, mode: 'sinceUid', firstRun: 'all', maxMessages: 1 });
		const state = start.result.state;
		expect(state.lastUid).toBe(uids[0]);

		const { got, result } = await read({ folder: f, mode: 'sinceUid', state, onlyMessageId: ids[2] });
		expect(got.map((m) => m.uid)).toEqual([uids[2]]);
		// Before: the position moved to the third message, and the second was never read.
		expect(result.state).toEqual(state);
		// Before the saved position: not among the messages the mode selects.
		expect((await read({ folder: f, mode: 'sinceUid', state, onlyMessageId: ids[0] })).got).toEqual([]);
		// Without a position given: none comes back (uidValidity '' = nothing to save).
		expect((await read({ folder: f, mode: 'sinceUid', firstRun: 'all', onlyMessageId: ids[1] })).result.state).toEqual({ uidValidity: '', lastUid: 0 });

		const next = await read({ folder: f, mode: 'sinceUid', state });
		expect(next.got.map((m) => m.uid)).toEqual(uids.slice(1));
	});
});

describe('readMailbox "Only Message-ID" on the wire (scripted server)', () => {
	const rawAuth = { method: 'password' as const, user: 'shop@example.org', password: 'pw' };
	const source = (uid: number) => `From: customer@example.org\r\nSubject: m${uid}\r\nMessage-ID: <m${uid}.abc@example.org>\r\n\r\nhello ${uid}\r\n`;
	const messages = [1, 2, 3].map((uid) => ({ uid, source: source(uid) }));
	let raw: RawImapServer | undefined;
	afterEach(async () => {
		await raw?.stop();
		raw = undefined;
	});

	async function readRaw(script: RawImapScript, options: Partial<ReadMailboxOptions>) {
		raw = await startRawImapServer(script);
		const mail: MailServer = { host: '127.0.0.1', port: raw.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 };
		const got: FetchedMessage[] = [];
		const run = readMailbox(mail, rawAuth, { folder: 'INBOX', mode: 'unseen', maxMessages: 0, postAction: { type: 'none' }, ...options }, (m) => {
			got.push(m);
		});
		return { got, run, server: raw };
	}

	const searches = (s: RawImapServer) => s.commands.filter((c) => / UID SEARCH /i.test(` ${c}`)).map((c) => c.replace(/^\S+ /, ''));
	const bodyFetches = (s: RawImapServer) => s.commands.filter((c) => /UID FETCH .*BODY/i.test(c)).map((c) => c.split(' ')[3]);

	it('searches the mode\'s criteria and the header together, in ASCII without CHARSET, and downloads only the match', async () => {
		const script: RawImapScript = { messages, search: (command) => (/HEADER MESSAGE-ID "?<m2\.abc@example\.org>"?$/i.test(command) ? [2] : /HEADER/i.test(command) ? [] : [1, 2, 3]) };
		const { got, run, server } = await readRaw(script, { onlyMessageId: 'm2.abc@example.org' });
		await run;
		expect(got.map((m) => m.uid)).toEqual([2]);
		// An atom (RFC 3501: "<", ">", "@" and "." are ATOM-CHARs); no CHARSET, which Exchange refuses but US-ASCII.
		expect(searches(server)).toEqual(['UID SEARCH UNSEEN HEADER MESSAGE-ID <m2.abc@example.org>']);
		expect(bodyFetches(server)).toEqual(['2']);
	});

	it('nothing found with the brackets: searched once more without them, as servers differ in how HEADER matches', async () => {
		const script: RawImapScript = { messages, search: (command) => (/HEADER MESSAGE-ID "?m3\.abc@example\.org"?$/i.test(command) ? [3] : /HEADER/i.test(command) ? [] : [1, 2, 3]) };
		const { got, run, server } = await readRaw(script, { onlyMessageId: '<m3.abc@example.org>', mode: 'sinceUid', firstRun: 'all' });
		await run;
		expect(got.map((m) => m.uid)).toEqual([3]);
		expect(searches(server).map((c) => c.replace(/"/g, ''))).toEqual(['UID SEARCH UID 1:* HEADER MESSAGE-ID <m3.abc@example.org>', 'UID SEARCH UID 1:* HEADER MESSAGE-ID m3.abc@example.org']);
	});

	/** The FETCHes without BODY (the size pass: sizes and ENVELOPE), by their UID set. */
	const envelopeFetches = (s: RawImapServer) => s.commands.filter((c) => /UID FETCH/i.test(c) && !/BODY/i.test(c));

	it.each(['NO [CANNOT] HEADER search not supported', 'BAD Unknown search key'])(
		'a server that answers the header search with %s: the match is still read, found by its ENVELOPE, and only its source is downloaded',
		async (answer) => {
			// UID 4 has no Message-ID at all: without the server's match, only an envelope naming the ID counts.
			const withoutId = { uid: 4, source: 'From: customer@example.org\r\nSubject: m4\r\n\r\nhello 4\r\n' };
			const { got, run, server } = await readRaw(
				{ messages: [...messages, withoutId], search: (command) => (/HEADER/i.test(command) ? answer : [1, 2, 3, 4]) },
				{ onlyMessageId: '<m2.abc@example.org>' },
			);
			// Before: the run failed ("The server refused to search the folder "INBOX" by Message-ID …").
			const result = await run;
			// (The scripted server sends no ENVELOPE with a source, so the source shows which message came.)
			expect(got.map((m) => m.uid)).toEqual([2]);
			expect(got[0].source.toString()).toContain('Message-ID: <m2.abc@example.org>');
			expect(result).toMatchObject({ fetched: 1, more: false });
			// Refused with the brackets: not asked again without them; then the mode's own search.
			expect(searches(server)).toEqual(['UID SEARCH UNSEEN HEADER MESSAGE-ID <m2.abc@example.org>', 'UID SEARCH UNSEEN']);
			// The others' envelopes only (no BODY), and the match's source alone.
			expect(envelopeFetches(server)).toEqual([expect.stringMatching(/^\S+ UID FETCH 1:4 \(.*ENVELOPE.*\)$/)]);
			expect(bodyFetches(server)).toEqual(['2']);
		},
	);

	it('the header search finds nothing though the message is there (the server\'s index lags behind a mail that just arrived): found by its ENVELOPE', async () => {
		const script: RawImapScript = { messages, search: (command) => (/HEADER/i.test(command) ? [] : [1, 2, 3]) };
		const { got, run, server } = await readRaw(script, { onlyMessageId: 'm3.abc@example.org' });
		// Before: an empty result, and the Mailbox check reported that its test mail did not arrive.
		await expect(run).resolves.toMatchObject({ fetched: 1, more: false });
		expect(got.map((m) => m.uid)).toEqual([3]);
		expect(searches(server).map((c) => c.replace(/"/g, ''))).toEqual([
			'UID SEARCH UNSEEN HEADER MESSAGE-ID <m3.abc@example.org>',
			'UID SEARCH UNSEEN HEADER MESSAGE-ID m3.abc@example.org',
			'UID SEARCH UNSEEN',
		]);
		expect(bodyFetches(server)).toEqual(['3']);
	});

	it('the server matches only another ID that holds this one (HEADER matches a substring) while its own is not indexed yet: found by its ENVELOPE', async () => {
		const longer = { uid: 4, source: source(4).replace('<m4.abc@example.org>', '<xm2.abc@example.org>') };
		const script: RawImapScript = { messages: [...messages, longer], search: (command) => (/HEADER MESSAGE-ID "?m2\./i.test(command) ? [4] : /HEADER/i.test(command) ? [] : [1, 2, 3, 4]) };
		const { got, run, server } = await readRaw(script, { onlyMessageId: '<m2.abc@example.org>' });
		await run;
		expect(got.map((m) => m.uid)).toEqual([2]);
		expect(got[0].source.toString()).toContain('Message-ID: <m2.abc@example.org>');
		expect(bodyFetches(server)).toEqual(['2']);
	});

	it.each([
		['refuses the header search', 'NO not supported'],
		['finds nothing by header yet', []],
	] as Array<[string, string | number[]]>)(
		'30 unread, Max Messages 10, the match the newest, and the server %s: found (the cap counts matches, not the messages looked through)',
		async (_, answer) => {
			const thirty = Array.from({ length: 30 }, (_x, i) => ({ uid: i + 1, source: source(i + 1) }));
			const all = thirty.map((m) => m.uid);
			const { got, run, server } = await readRaw({ messages: thirty, search: (command) => (/HEADER/i.test(command) ? answer : all) }, { onlyMessageId: '<m30.abc@example.org>', maxMessages: 10 });
			await expect(run).resolves.toMatchObject({ fetched: 1, more: false });
			expect(got.map((m) => m.uid)).toEqual([30]);
			expect(bodyFetches(server)).toEqual(['30']);
		},
	);

	it('Max Messages counts the matches: two messages with that ID and a cap of 1 read the first, and say more are waiting', async () => {
		const copy = { uid: 5, source: source(2) };
		const { got, run, server } = await readRaw({ messages: [...messages, copy], search: (command) => (/HEADER/i.test(command) ? 'NO no' : [1, 2, 3, 5]) }, { onlyMessageId: '<m2.abc@example.org>', maxMessages: 1 });
		await expect(run).resolves.toMatchObject({ fetched: 1, more: true });
		expect(got.map((m) => m.uid)).toEqual([2]);
		expect(bodyFetches(server)).toEqual(['2']);
	});

	it('"New Since Last Run" without the server\'s match: looks only after the saved position, and gives the position back unchanged', async () => {
		const state = { uidValidity: '1700000000', lastUid: 1 };
		const script: RawImapScript = { messages, search: (command) => (/HEADER/i.test(command) ? 'NO no' : /UID 2:\*/.test(command) ? [2, 3] : [1, 2, 3]) };
		const before = await readRaw(script, { mode: 'sinceUid', state, onlyMessageId: '<m1.abc@example.org>' });
		// UID 1 is at the position, not after it: not among the messages the mode selects.
		await expect(before.run).resolves.toMatchObject({ fetched: 0, state });
		expect(before.got).toEqual([]);
		expect(envelopeFetches(before.server)).toEqual([expect.stringMatching(/^\S+ UID FETCH 2:3 /)]);
		expect(bodyFetches(before.server)).toEqual([]);
		await raw?.stop();

		const after = await readRaw(script, { mode: 'sinceUid', state, onlyMessageId: '<m3.abc@example.org>' });
		await expect(after.run).resolves.toMatchObject({ fetched: 1, state });
		expect(after.got.map((m) => m.uid)).toEqual([3]);
	});

	it.each([
		['', /^Only Message-ID is empty/],
		['<>', /^Only Message-ID is empty/],
		['<a@b>\r\nX: y', /^Only Message-ID may hold only the visible ASCII characters of one Message-ID .*got "<a@b>\\r\\nX: y"\.$/],
		['<ä@b.example>', /^Only Message-ID may hold only the visible ASCII characters/],
		['<a b@c>', /^Only Message-ID may hold only the visible ASCII characters/],
	])('refuses %j before connecting', async (value, message) => {
		const { run, server } = await readRaw({ messages }, { onlyMessageId: value });
		await expect(run).rejects.toMatchObject({ kind: 'invalidOptions', message: expect.stringMatching(message) });
		expect(server.connections()).toBe(0);
	});
});
