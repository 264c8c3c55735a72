/**
 * Read Mailbox against a scripted IMAP server (raw-imap-server.ts, a mock): the faults below are
 * ones Dovecot will not produce on demand — a trickling FETCH, a message far larger than announced,
 * FETCH answers for UIDs nobody asked for.
 */
import type { MailServer } from '../../lib/mail/server';
import { readMailbox, type FetchedMessage, type ReadMailboxOptions } from '../../lib/mailbox';
import { startRawImapServer, type RawImapScript, type RawImapServer, type RawMessage } from './raw-imap-server';

const auth = { method: 'password' as const, user: 'shop@example.org', password: 'pw' };

function message(uid: number, extra = ''): RawMessage {
	return { uid, source: `From: customer@example.org\r\nSubject: m${uid}\r\n\r\nhello ${uid}${extra}\r\n` };
}

let server: RawImapServer | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

async function read(script: RawImapScript, options: Partial<ReadMailboxOptions> = {}, timeoutMs = 5000) {
	server = await startRawImapServer(script);
	const mail: MailServer = { host: '127.0.0.1', port: server.port, security: 'none', allowSelfSigned: false, timeoutMs };
	const got: FetchedMessage[] = [];
	const result = await readMailbox(
		mail,
		auth,
		{ folder: 'INBOX', mode: 'sinceUid', firstRun: 'all', maxMessages: 0, postAction: { type: 'seen' }, ...options },
		(m) => {
			got.push(m);
		},
	);
	return { got, result, server };
}

describe('a FETCH that trickles', () => {
	// Writes the first message whole, then the second one byte every 200 ms: never silent for
	// long enough to trip a socket inactivity timeout, never finished.
	const trickle: RawImapScript = {
		messages: [message(1), message(2, 'x'.repeat(10_000))],
		fetchBody: async (c) => {
			c.writeMessage(c.messages[0]);
			const body = Buffer.from(c.messages[1].source);
			c.socket.write(`* 2 FETCH (UID 2 RFC822.SIZE ${body.length} BODY[] {${body.length}}\r\n`);
			for (let i = 0; i < body.length && !c.socket.destroyed; i++) {
				c.socket.write(body.subarray(i, i + 1));
				await new Promise((r) => setTimeout(r, 200));
			}
		},
	};

	it('is cut off at the timeout; the message before it is kept, post-actioned and counted', async () => {
		const { got, result, server: s } = await read(trickle, {}, 1500);
		expect(got.map((m) => m.uid)).toEqual([1]);
		expect(result.fetched).toBe(1);
		expect(result.state.lastUid).toBe(1);
		expect(result.more).toBe(true);
		expect(result.stopped).toMatchObject({ kind: 'timeout', message: expect.stringContaining('UID 2 within 2 s (the Timeout option)') });
		// The \Seen for message 1 went out on a fresh connection after the cut.
		expect(s.commands.filter((c) => /UID STORE 1 \+FLAGS/.test(c))).toHaveLength(1);
		expect(s.connections()).toBe(2);
	});

	it('with nothing read before it, the call fails with the timeout in words', async () => {
		const first: RawImapScript = { ...trickle, messages: [trickle.messages[1]], fetchBody: async (c) => {
			const body = Buffer.from(c.messages[0].source);
			c.socket.write(`* 1 FETCH (UID 2 BODY[] {${body.length}}\r\n`);
			for (let i = 0; i < body.length && !c.socket.destroyed; i++) {
				c.socket.write(body.subarray(i, i + 1));
				await new Promise((r) => setTimeout(r, 200));
			}
		} };
		await expect(read(first, {}, 1000)).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('did not finish reading message UID 2') });
	});

	it('the caller\'s signal stops it inside the message, not only between messages', async () => {
		const controller = new AbortController();
		const script: RawImapScript = {
			...trickle,
			fetchBody: async (c) => {
				setTimeout(() => controller.abort(), 300);
				await trickle.fetchBody!(c);
			},
		};
		// The timeout alone would never end it within jest's limit.
		const { got, result } = await read(script, { signal: controller.signal }, 600_000);
		expect(got.map((m) => m.uid)).toEqual([1]);
		expect(result.more).toBe(true);
		expect(result.stopped).toBeUndefined();
		expect(result.state.lastUid).toBe(1);
	});
});

describe('a cancel before any message is read', () => {
	// The size pass of a large folder answers slowly; a cancel must not wait for the Timeout.
	const stalled = (controller: AbortController, extra: Partial<RawImapScript> = {}): RawImapScript => ({
		messages: [message(1), message(2)],
		fetchSizes: () => {
			setTimeout(() => controller.abort(), 300);
		},
		...extra,
	});

	it('stops the size pass at once; with no position before, none is known after', async () => {
		const controller = new AbortController();
		const { got, result } = await read(stalled(controller), { signal: controller.signal }, 600_000);
		expect(got).toEqual([]);
		expect(result.fetched).toBe(0);
		expect(result.stopped).toBeUndefined();
		expect(result.more).toBe(true);
		// An empty UIDVALIDITY: Read Mailbox saves no position from it.
		expect(result.state).toEqual({ uidValidity: '', lastUid: 0 });
	});

	it('while catching up after a renumbering, keeps the position it was given: the next run catches up again', async () => {
		const controller = new AbortController();
		const state = { uidValidity: '999', lastUid: 1, readAt: '2026-01-01T00:00:00.000Z' };
		const { got, result } = await read(stalled(controller), { signal: controller.signal, firstRun: 'newOnly', state }, 600_000);
		expect(got).toEqual([]);
		expect(result.more).toBe(true);
		expect(result.state).toEqual(state);
		expect(result.uidValidityChanged).toBe(false);
	});

	it('with a usable position, keeps it, and the next run reads from there', async () => {
		const controller = new AbortController();
		const position = { uidValidity: '1700000000', lastUid: 1, readAt: '2026-01-01T00:00:00.000Z' };
		const first = await read(stalled(controller), { signal: controller.signal, state: position }, 600_000);
		expect(first.result.state).toEqual(position);
		await server?.stop();
		const next = await read({ messages: [message(1), message(2)] }, { state: first.result.state });
		expect(next.got.map((m) => m.uid)).toEqual([2]);
	});
});

describe('a message larger than announced', () => {
	const limit = 64 * 1024;
	const huge = 8 * 1024 * 1024;

	/** Announces 100 bytes, then writes a literal of `huge` bytes in 64 KiB pieces. */
	function liar(uid: number) {
		return async (c: { socket: import('node:net').Socket }) => {
			c.socket.write(`* ${uid} FETCH (UID ${uid} RFC822.SIZE 100 BODY[] {${huge}}\r\n`);
			const piece = Buffer.alloc(64 * 1024, 'a');
			for (let sent = 0; sent < huge && !c.socket.destroyed; sent += piece.length) {
				if (!c.socket.write(piece)) await new Promise((r) => c.socket.once('drain', r));
			}
		};
	}

	it('is refused at the limit and reported as too large with its UID; the others are read', async () => {
		const messages = [message(1), { ...message(2), announcedSize: 100 }, message(3)];
		const script: RawImapScript = {
			messages,
			fetchBody: async (c) => {
				// The batch first, then one UID at a time: only UID 2 lies.
				for (const uid of c.uids) {
					if (uid === 2) return await liar(2)(c);
					c.writeMessage(messages.find((m) => m.uid === uid)!);
				}
				c.ok();
			},
		};
		const { got, result, server: s } = await read(script, { maxMessageBytes: limit });
		expect(got.map((m) => [m.uid, m.tooLarge])).toEqual([
			[1, false],
			[2, true],
			[3, false],
		]);
		expect(got[1].source.length).toBe(0);
		expect(result.state.lastUid).toBe(3);
		expect(result.more).toBe(false);
		expect(result.stopped).toBeUndefined();
		// The client hung up long before the server could write the 8 MiB it announced.
		const closed = await s.closed();
		expect(Math.max(...closed.map((c) => c.written))).toBeLessThan(huge);
	});

	it('one announced larger than the limit is reported without being fetched', async () => {
		const messages = [message(1), { ...message(2), source: `Subject: big\r\n\r\n${'b'.repeat(2000)}\r\n` }];
		const { got, server: s } = await read({ messages }, { maxMessageBytes: 1000 });
		expect(got.map((m) => [m.uid, m.tooLarge, m.size])).toEqual([
			[1, false, Buffer.byteLength(messages[0].source)],
			[2, true, Buffer.byteLength(messages[1].source)],
		]);
		expect(s.commands.filter((c) => /BODY\.PEEK/.test(c))).toEqual([expect.stringMatching(/^\S+ UID FETCH 1 /)]);
	});

	it('"delete" leaves a message nobody could read in the folder, marked as read so that "Unread Only" does not hand it over again', async () => {
		const messages = [message(1), { ...message(2), source: `Subject: big\r\n\r\n${'b'.repeat(2000)}\r\n` }];
		const { got, server: s } = await read({ messages }, { maxMessageBytes: 1000, postAction: { type: 'delete' } });
		expect(got).toHaveLength(2);
		const stores = s.commands.filter((c) => /UID STORE/.test(c));
		expect(stores).toEqual([expect.stringMatching(/UID STORE 1 \+FLAGS \(\\Deleted\)/), expect.stringMatching(/UID STORE 2 \+FLAGS \(\\Seen\)$/)]);
	});
});

describe('a message announced larger than the Max Message Size still says what it is', () => {
	const big = (uid: number): RawMessage => ({
		uid,
		source: `Date: Mon, 05 Jan 2026 09:30:00 +0000\r\nFrom: Customer Ltd <customer@example.org>\r\nTo: shop@example.org\r\nSubject: Scan of invoice ${uid}\r\nMessage-ID: <big-${uid}@example.org>\r\n\r\n${'b'.repeat(2000)}\r\n`,
	});
	/** The commands the server saw, without their tags. */
	const untagged = (s: RawImapServer) => s.commands.map((c) => c.replace(/^\S+ /, ''));

	it('carries subject, from, date and Message-ID from the envelope the size pass asked for; no FETCH of its own', async () => {
		const messages = [message(1), big(2), message(3), big(4)];
		const { got, result, server: s } = await read({ messages }, { maxMessageBytes: 1000 });
		expect(got.map((m) => [m.uid, m.tooLarge, m.source.length > 0])).toEqual([
			[1, false, true],
			[2, true, false],
			[3, false, true],
			[4, true, false],
		]);
		expect(got[1].headers).toMatchObject({
			subject: 'Scan of invoice 2',
			from: 'Customer Ltd <customer@example.org>',
			fromAddress: 'customer@example.org',
			to: ['shop@example.org'],
			date: '2026-01-05T09:30:00.000Z',
			messageId: '<big-2@example.org>',
			// Read from the source, which was not fetched.
			references: [],
			autoSubmitted: '',
		});
		expect(got[3].headers).toMatchObject({ subject: 'Scan of invoice 4', messageId: '<big-4@example.org>' });
		expect(result).toMatchObject({ fetched: 4, more: false, state: { lastUid: 4 } });
		expect(result.stopped).toBeUndefined();
		const fetches = untagged(s).filter((c) => /^UID FETCH/.test(c));
		// The size pass asks for the envelope with the sizes…
		expect(fetches[0]).toBe('UID FETCH 1:4 (UID ENVELOPE RFC822.SIZE)');
		// …and no other FETCH asks for envelopes alone: only the size pass goes without BODY.
		expect(fetches.filter((c) => /ENVELOPE/.test(c) && !/BODY/.test(c))).toEqual([fetches[0]]);
		expect(fetches.slice(1).every((c) => /BODY/.test(c))).toBe(true);
		expect(s.connections()).toBe(1);
	});

	it('an envelope in the size pass\'s answer for a UID nobody asked for is not taken', async () => {
		const messages = [message(1), big(2)];
		const script: RawImapScript = {
			messages,
			uidNext: 3,
			fetchSizes: (c) => {
				// UID 9 is not in the folder; its envelope must not end on any item.
				c.writeSize({ ...big(9), source: big(9).source.toString().replace('Scan of invoice 9', 'Not asked for') }, 9);
				c.writeSize(messages[0]);
				c.writeSize(messages[1]);
				c.ok();
			},
		};
		const { got, result } = await read(script, { maxMessageBytes: 1000 });
		// Read messages take their headers from the FETCH that reads them (this server sends no ENVELOPE there).
		expect(got.map((m) => [m.uid, m.tooLarge, m.headers.subject])).toEqual([
			[1, false, ''],
			[2, true, 'Scan of invoice 2'],
		]);
		expect(result.state.lastUid).toBe(2);
	});

	it('a second answer for a UID already answered does not replace its envelope', async () => {
		const messages = [message(1), big(2)];
		const script: RawImapScript = {
			messages,
			fetchSizes: (c) => {
				c.writeSize(messages[0]);
				c.writeSize(messages[1]);
				c.writeSize({ ...big(2), source: big(2).source.toString().replace('Scan of invoice 2', 'Replaced') });
				c.ok();
			},
		};
		const { got } = await read(script, { maxMessageBytes: 1000 });
		expect(got.map((m) => [m.uid, m.tooLarge, m.headers.subject])).toEqual([
			[1, false, ''],
			[2, true, 'Scan of invoice 2'],
		]);
	});

	it('one found too large only while it arrives (the server announced less) gets no envelope, and no FETCH for one', async () => {
		const messages = [message(1), { ...big(2), announcedSize: 100 }];
		const { got, server: s } = await read({ messages }, { maxMessageBytes: 1000 });
		expect(got.map((m) => [m.uid, m.tooLarge, m.headers.subject])).toEqual([
			[1, false, ''],
			[2, true, ''],
		]);
		expect(got[1].headers).toMatchObject({ from: '', date: null, messageId: '' });
		expect(untagged(s).filter((c) => /^UID FETCH/.test(c) && /ENVELOPE/.test(c) && !/BODY/.test(c))).toHaveLength(1);
	});

	it('one whose envelope the size pass\'s answer leaves out is handed over without headers, and reading goes on', async () => {
		const messages = [message(1), big(2), message(3)];
		const script: RawImapScript = {
			messages,
			fetchSizes: (c) => {
				for (const uid of c.uids) {
					const m = messages.find((x) => x.uid === uid)!;
					if (uid === 2) c.socket.write(`* 2 FETCH (UID 2 RFC822.SIZE ${Buffer.byteLength(m.source)})\r\n`);
					else c.writeSize(m);
				}
				c.ok();
			},
		};
		const { got, result, server: s } = await read(script, { maxMessageBytes: 1000 });
		expect(got.map((m) => [m.uid, m.tooLarge, m.headers.subject])).toEqual([
			[1, false, ''],
			[2, true, ''],
			[3, false, ''],
		]);
		expect(got[1].headers).toMatchObject({ from: '', date: null, messageId: '' });
		expect(result).toMatchObject({ fetched: 3, more: false, state: { lastUid: 3 } });
		expect(result.stopped).toBeUndefined();
		expect(s.connections()).toBe(1);
	});
});

describe('FETCH answers for UIDs nobody asked for', () => {
	it.each([['4294967295'], ['-1'], ['7']])('UID %s neither reaches the handler nor moves the position', async (bogus) => {
		const messages = [message(1), message(2)];
		const script: RawImapScript = {
			messages,
			uidNext: 3,
			fetchSizes: (c) => {
				c.socket.write(`* 1 FETCH (UID 1 RFC822.SIZE 40)\r\n* 9 FETCH (UID ${bogus} RFC822.SIZE 40)\r\n* 2 FETCH (UID 2 RFC822.SIZE 40)\r\n`);
				c.ok();
			},
			fetchBody: (c) => {
				c.writeMessage(messages[0]);
				c.writeMessage(message(9), bogus);
				c.writeMessage(messages[1]);
				c.ok();
			},
		};
		const { got, result } = await read(script);
		expect(got.map((m) => m.uid)).toEqual([1, 2]);
		expect(result.state.lastUid).toBe(2);
	});

	it('a SEARCH answer past the folder\'s UIDNEXT is not read and does not move the position', async () => {
		const messages = [message(1), message(4294967295)];
		const { got, result } = await read({ messages, uidNext: 2 });
		expect(got.map((m) => m.uid)).toEqual([1]);
		expect(result.state.lastUid).toBe(1);
	});

	it('a message the server leaves out of an interrupted batch holds the position below it', async () => {
		const messages = [message(1), message(2), message(3)];
		const script: RawImapScript = {
			messages,
			fetchBody: (c) => {
				// Answers 1 and 3, then the connection drops before 2.
				c.writeMessage(messages[0]);
				c.writeMessage(messages[2]);
				c.socket.destroy();
			},
		};
		const { got, result } = await read(script, { postAction: { type: 'none' } });
		// What was handed over is not lost to an error; UID 2 was never read, so the position stays below it.
		expect(got.map((m) => m.uid)).toEqual([1, 3]);
		expect(result.stopped).toMatchObject({ kind: 'connectionLost' });
		expect(result.state.lastUid).toBe(1);
		expect(result.more).toBe(true);
	});
});

describe('a FETCH answer without content (what servers send for a message damaged in their store)', () => {
	it.each([
		['BODY[] NIL', (uid: number) => `* ${uid} FETCH (UID ${uid} FLAGS () RFC822.SIZE 40 BODY[] NIL)\r\n`],
		['no BODY[] at all', (uid: number) => `* ${uid} FETCH (UID ${uid} FLAGS () RFC822.SIZE 40)\r\n`],
	])('%s: the message is handed over as unread, counted, never deleted; a flags update before the real answer changes nothing', async (_label, line) => {
		const messages = [message(1), message(2), message(3), message(4)];
		const script: RawImapScript = {
			messages,
			fetchBody: (c) => {
				for (const uid of c.uids) {
					if (uid === 2) c.socket.write(line(2));
					else {
						// UID 3 first gets a flags-only answer, then its content.
						if (uid === 3) c.socket.write(`* 3 FETCH (UID 3 FLAGS (\\Seen))\r\n`);
						c.writeMessage(messages.find((m) => m.uid === uid)!);
					}
				}
				c.ok();
			},
		};
		const { got, result, server: s } = await read(script, { postAction: { type: 'delete' } });
		expect(got.map((m) => [m.uid, m.source.length > 0, m.noContent ?? false])).toEqual([
			[1, true, false],
			[3, true, false],
			[4, true, false],
			[2, false, true],
		]);
		expect(result.state.lastUid).toBe(4);
		expect(result.stopped).toBeUndefined();
		// Deleted, but the one without content only marked as read.
		expect(s.commands.filter((c) => /UID STORE/.test(c))).toEqual([expect.stringMatching(/UID STORE 1,3:4 \+FLAGS \(\\Deleted\)/), expect.stringMatching(/UID STORE 2 \+FLAGS \(\\Seen\)$/)]);
	});
});

describe('"delete" when the server refuses to mark the unreadable message as read', () => {
	it('the readable ones are deleted first and keep their post-action; only the refused one is reported as left', async () => {
		const script: RawImapScript = {
			messages: [message(1), message(2), message(3)],
			fetchBody: (c) => {
				for (const uid of c.uids) {
					if (uid === 2) c.socket.write('* 2 FETCH (UID 2 FLAGS () RFC822.SIZE 40 BODY[] NIL)\r\n');
					else c.writeMessage(c.messages.find((m) => m.uid === uid)!);
				}
				c.ok();
			},
			store: (command) => (/\\Seen/.test(command) ? 'NO [CANNOT] flags are read-only' : 'OK done'),
		};
		const { got, result, server: s } = await read(script, { postAction: { type: 'delete' } });
		expect(got.map((m) => m.uid)).toEqual([1, 3, 2]);
		// Before, the refused \Seen came first and the delete of 1 and 3 never ran, while they were reported deleted.
		expect(s.commands.filter((c) => /UID STORE/.test(c))).toEqual([expect.stringMatching(/UID STORE 1,3 \+FLAGS \(\\Deleted\)/), expect.stringMatching(/UID STORE 2 \+FLAGS \(\\Seen\)$/)]);
		expect(result.postActionFailed).toEqual([2]);
		expect(result.stopped?.message).toMatch(/refused to mark as seen message\(s\) with UID 2/);
	});
});

describe('a message deleted by another mail program while the run reads', () => {
	it('is answered without content and is gone: not handed over as one the server would not send, and the position passes it', async () => {
		let deleted = false;
		const script: RawImapScript = {
			messages: [message(1), message(2), message(3)],
			search: (_command, messages) => messages.map((m) => m.uid).filter((uid) => !(deleted && uid === 2)),
			fetchBody: (c) => {
				c.writeMessage(c.messages[0]);
				// Another client expunged UID 2 meanwhile: the server still owes it an answer, with no body.
				deleted = true;
				c.socket.write('* 2 FETCH (UID 2 FLAGS (\\Seen))\r\n');
				c.writeMessage(c.messages[2]);
				c.ok();
			},
		};
		const { got, result } = await read(script);
		// Before: UID 2 came out with noContent and "it may be damaged in the server's store".
		expect(got.map((m) => [m.uid, m.noContent ?? false])).toEqual([
			[1, false],
			[3, false],
		]);
		expect(result.state.lastUid).toBe(3);
	});
});

describe('a FETCH the server refuses with a tagged NO', () => {
	/** Answers every asked UID but 2, then NO, as Gmail does for a message it cannot read from its store. */
	const refusing = (code = ''): RawImapScript => {
		const messages = [message(1), message(2), message(3)];
		return {
			messages,
			fetchBody: (c) => {
				for (const uid of c.uids) if (uid !== 2) c.writeMessage(messages.find((m) => m.uid === uid)!);
				c.socket.write(c.uids.includes(2) ? `${c.tag} NO ${code}Some messages could not be FETCHed (Failure)\r\n` : `${c.tag} OK done\r\n`);
			},
		};
	};

	it('a message the server will not send is handed over as unread with its words; the others are read, post-actioned and counted', async () => {
		const { got, result, server: s } = await read(refusing());
		expect(got.map((m) => [m.uid, m.noContent ?? false])).toEqual([
			[1, false],
			[3, false],
			[2, true],
		]);
		expect(got[2].serverText).toBe('Some messages could not be FETCHed (Failure)');
		expect(result.state.lastUid).toBe(3);
		expect(result.stopped).toBeUndefined();
		// The batch first, then UID 2 alone to find which message it was.
		expect(s.commands.filter((c) => /BODY\.PEEK/.test(c)).map((c) => c.split(' ')[3])).toEqual(['1:3', '2']);
		expect(s.commands.filter((c) => /UID STORE/.test(c)).join('\n')).toMatch(/UID STORE 1,3 \+FLAGS|UID STORE 1 \+FLAGS[\s\S]*UID STORE 3 \+FLAGS/);
	});

	it('a refusal for now ([UNAVAILABLE]) stops the run after what was read; the position stays below the refused message', async () => {
		const { got, result } = await read(refusing('[UNAVAILABLE] '));
		expect(got.map((m) => m.uid)).toEqual([1, 3]);
		expect(result.stopped?.message).toMatch(/refused to send message UID 2 for now \("Some messages could not be FETCHed \(Failure\)"\)\. Messages read before were kept/);
		expect(result.state.lastUid).toBe(1);
		expect(result.more).toBe(true);
	});
});

describe('minimum age and arrival dates', () => {
	// Dovecot stores an APPEND's future date as the time of the APPEND; other servers keep it.
	const dated = (date: string): RawImapScript => ({
		messages: [message(1), message(2)],
		fetchSizes: (c) => {
			for (const uid of c.uids) {
				const internal = uid === 1 ? date : '06-Dec-2026 08:00:00 +0000';
				c.socket.write(`* ${uid} FETCH (UID ${uid} RFC822.SIZE 60 INTERNALDATE "${internal}")\r\n`);
			}
			c.ok();
		},
	});
	const now = () => Date.parse('2026-12-06T10:00:00Z');

	it('a message dated years ahead (spam appended with its own date) is read, and so is the one behind it', async () => {
		// Before, it counted as young for years and held up every message after it, run after run.
		const { got, result } = await read(dated('01-Jan-2031 00:00:00 +0000'), { minAgeMs: 120_000, now });
		expect(got.map((m) => m.uid)).toEqual([1, 2]);
		expect(result).toMatchObject({ more: false, state: { lastUid: 2 } });
	});

	it('one that arrived a minute ago, or an hour "ahead" (a server clock running fast), waits, with the ones after it, and the result says more are waiting', async () => {
		const fast = await read(dated('06-Dec-2026 11:00:00 +0000'), { minAgeMs: 120_000, now });
		expect(fast.got).toEqual([]);
		await server?.stop();
		server = undefined;
		const { got, result } = await read(dated('06-Dec-2026 09:59:00 +0000'), { minAgeMs: 120_000, now });
		expect(got).toEqual([]);
		expect(result).toMatchObject({ more: true, state: { lastUid: 0 } });
	});
});
