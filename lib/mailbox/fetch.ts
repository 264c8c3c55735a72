import type { FetchMessageObject, ImapFlow, ImapFlowError, SearchObject } from 'imapflow';

import { cut } from '../bounce/text-bounds';
import { redactSecrets } from '../mail/redact';

import type { MailAuth, MailServer } from '../mail/server';
import { findFolder, folderMissingError, listFolders, sameFolder, secretOf, withImap } from './connection';
import { describeImapError, isSizeLimitError, MailboxError, searchedUids } from './errors';
import { folderNameProblem } from './folder-name';
import { messageHeaders, type MessageHeaders } from './headers';
import { deleteUids, moveUids } from './remove';
import { uidSet, uidSets } from './uid-set';

/** What to do with a message once the caller has taken it. */
export type PostAction =
	| { type: 'none' }
	| { type: 'seen' }
	| { type: 'delete' }
	| { type: 'move'; folder: string; createFolder: boolean };

/** Where "since last UID" mode stopped. JSON-safe, to be kept in a workflow's static data. */
export interface UidState {
	/** The folder's UIDVALIDITY (a 32-bit number, kept as a string). A new value means: start over. */
	uidValidity: string;
	/** The highest UID already handed to the caller. */
	lastUid: number;
	/**
	 * When that call looked at the folder (ISO time). After a renumbering, `newOnly` reads what
	 * arrived since then instead of skipping it: the UIDs no longer say, the arrival times do.
	 */
	readAt?: string;
}

export type ReadMode = 'unseen' | 'sinceUid';

export interface ReadMailboxOptions {
	folder: string;
	/** `unseen`: every message without \Seen. `sinceUid`: every message after `state.lastUid`. */
	mode: ReadMode;
	/** Where the previous run stopped (`sinceUid` mode). */
	state?: UidState;
	/**
	 * `sinceUid` without a usable state (first run, or the folder's UIDVALIDITY changed):
	 * `all` reads the messages already there; `newOnly` only remembers where the folder ends now,
	 * or, after a renumbering, reads what arrived since the previous call (`state.readAt`).
	 */
	firstRun?: 'all' | 'newOnly';
	/** At most this many messages per call (0 = no limit); the rest are left for the next call. */
	maxMessages: number;
	postAction: PostAction;
	/** At most this many messages per IMAP FETCH (default 100). */
	batchSize?: number;
	/** At most this many bytes of messages per FETCH (default 16 MiB; a larger single message still comes alone). Bounds memory. */
	maxBatchBytes?: number;
	/**
	 * The largest message read, in bytes (default 25 MiB), counted on what arrives, not on the size
	 * the server announces. A larger one is handed over with `tooLarge` and no source, never buffered.
	 */
	maxMessageBytes?: number;
	/** Stops reading at once, also inside a message; what was handed over so far is post-actioned and counted. */
	signal?: AbortSignal;
	/**
	 * Messages that arrived (IMAP INTERNALDATE) less than this long ago are left, with every later
	 * one, for a later call: what they answer may not be recorded yet (default 0: read everything).
	 */
	minAgeMs?: number;
	/** The clock for minAgeMs (default Date.now). */
	now?: () => number;
	/**
	 * Read only the message(s) with this Message-ID (with or without angle brackets) among those the
	 * mode selects, found with IMAP SEARCH HEADER, or by the ENVELOPEs of those the mode selects when
	 * the server refuses that search or finds nothing; either way no other message's source is
	 * downloaded, and `maxMessages` counts the matches. Such a call never moves the position: `state`
	 * comes back as it was given (see `ReadMailboxResult.state`).
	 */
	onlyMessageId?: string;
}

export interface FetchedMessage {
	uid: number;
	uidValidity: string;
	folder: string;
	size: number;
	flags: string[];
	internalDate: string | null;
	/** The raw RFC 822 message, byte for byte as stored. */
	source: Buffer;
	headers: MessageHeaders;
	/**
	 * Larger than `maxMessageBytes` (announced, or found while it arrived): not read, `source` is
	 * empty. Counted in the position like any message; "delete" leaves it in the folder. One the
	 * server announced too large carries the headers of its ENVELOPE (subject, from, date,
	 * Message-ID…), asked for in the size pass, when the server sent it there, so that a person can
	 * find it; the headers read from the source (references, auto-submitted, X-Dunning-*…) stay
	 * empty. One found too large only while it arrived (the server announced less) has none.
	 */
	tooLarge: boolean;
	/**
	 * The server answered for this UID but sent no content (`BODY[] NIL`, or no body at all), as
	 * servers do for a message they cannot read from their store: handed over with an empty
	 * `source` so that it is seen, counted in the position, and never deleted.
	 */
	noContent?: true;
	/** With `noContent`: the server's words when it refused the FETCH (a tagged NO), if any. */
	serverText?: string;
}

export interface ReadMailboxResult {
	/** Messages handed to the callback. */
	fetched: number;
	/**
	 * State to pass to the next call (`sinceUid` mode; also filled in `unseen` mode). With
	 * `onlyMessageId` the state given, unchanged (no state given: `uidValidity` ''), as the messages
	 * skipped are not read.
	 */
	state: UidState;
	/** True when `maxMessages` left messages for the next call. */
	more: boolean;
	/** True when the folder's UIDVALIDITY differed from `state`, so reading started over. */
	uidValidityChanged: boolean;
	/** True when the destination folder of a move was created in this call. */
	folderCreated: boolean;
	/**
	 * Why reading stopped early after some messages had been handed over (a step slower than the
	 * timeout, oversized answers, a lost connection). Those messages keep their post-action and
	 * position; the rest waits for the next call. Without any message handed over, the call throws.
	 */
	stopped?: MailboxError;
	/**
	 * The callback threw for this message (say, the caller could not store it): it was left as it
	 * was (not marked, moved or deleted; the position stops before it) and reading stopped there.
	 * The messages handed over before it keep their post-action and position.
	 */
	failed?: { uid: number; error: unknown };
	/**
	 * Moved or deleted messages the server could not expunge alone (it has neither UIDPLUS nor
	 * MOVE): they stay in the folder flagged \Deleted and \Seen (moved ones copied to the
	 * destination) until a mail program expunges the folder. See remove.ts.
	 */
	markedDeleted?: number[];
	/**
	 * Messages handed over whose post-action did not happen, or may not have (the server refused
	 * it, the connection broke or timed out during it, or reading failed before it came): they were
	 * passed on once and stay in the folder. Reading stopped after them (`stopped` says why); the
	 * position passes them, so they are not passed on again. In `unseen` mode, where no position
	 * holds them back, a move or delete the server refused is followed by marking them \Seen.
	 */
	postActionFailed?: number[];
	/**
	 * `unseen` mode: messages of `postActionFailed` still unread, so the next call passes them on
	 * again: the server refused to mark them \Seen (the post-action Mark as Read, or marking after a
	 * refused move or delete), or the connection broke before or during their post-action (a move or
	 * delete cut off may have happened all the same).
	 */
	readAgain?: number[];
}

/**
 * Called once per message, in UID order. The message's post-action runs after it resolves; if it
 * throws, the message is left untouched and reading stops (see `ReadMailboxResult.failed`).
 */
export type MessageHandler = (message: FetchedMessage) => Promise<void> | void;

function validate(options: ReadMailboxOptions): void {
	if (!options.folder?.trim()) throw new MailboxError('invalidOptions', 'No folder given to read from (e.g. INBOX).');
	const readProblem = folderNameProblem(options.folder);
	if (readProblem) throw new MailboxError('invalidOptions', `The folder to read ${readProblem}.`);
	if (!Number.isInteger(options.maxMessages) || options.maxMessages < 0) {
		throw new MailboxError('invalidOptions', `Max messages must be a whole number ≥ 0, got ${String(options.maxMessages)}.`);
	}
	if (options.onlyMessageId !== undefined) {
		const id = bareMessageId(options.onlyMessageId);
		if (typeof id !== 'string') throw new MailboxError('invalidOptions', `Only Message-ID ${id.problem}.`);
	}
	const pa = options.postAction;
	if (pa.type === 'move') {
		if (!pa.folder?.trim()) throw new MailboxError('invalidOptions', 'Post-action "move" needs a destination folder.');
		const moveProblem = folderNameProblem(pa.folder);
		if (moveProblem) throw new MailboxError('invalidOptions', `The destination folder ${moveProblem}.`);
		if (sameFolder(pa.folder, options.folder)) {
			throw new MailboxError('invalidOptions', `The destination folder "${pa.folder}" is the folder being read; choose another one.`);
		}
	}
}

/** Checks that the folders exist (creating the move destination if chosen) before anything is read. */
async function prepareFolders(client: ImapFlow, options: ReadMailboxOptions): Promise<boolean> {
	const folders = await listFolders(client);
	if (!findFolder(folders, options.folder)) throw folderMissingError(options.folder, folders, 'folder to read');
	const pa = options.postAction;
	if (pa.type !== 'move' || findFolder(folders, pa.folder)) return false;
	if (!pa.createFolder) throw folderMissingError(pa.folder, folders, 'destination folder');
	await client.mailboxCreate(pa.folder);
	return true;
}

/** The server refused a post-action: the messages from `uids[0]` on were not marked, moved or deleted. */
class PostActionRefused extends MailboxError {
	constructor(
		message: string,
		readonly uids: number[],
	) {
		super('server', message);
	}
}

/** Applies the post-action; true when the messages were only flagged \Deleted (see remove.ts). */
async function applyPostAction(client: ImapFlow, uids: number[], action: PostAction): Promise<boolean> {
	if (uids.length === 0 || action.type === 'none') return false;
	let refused: string | undefined;
	let markedOnly = false;
	if (action.type === 'seen') {
		for (const set of uidSets(uids)) {
			if ((await client.messageFlagsAdd(set, ['\\Seen'], { uid: true })) === false) {
				refused = set;
				break;
			}
		}
	} else {
		({ refused, markedOnly } = action.type === 'delete' ? await deleteUids(client, uids) : await moveUids(client, uids, action.folder));
	}
	if (refused !== undefined) {
		const what = action.type === 'move' ? `move to "${action.folder}"` : action.type === 'seen' ? 'mark as seen' : 'delete';
		// Sets go in ascending order and stop at the refused one: those before it were applied.
		const from = Number(refused.split(/[,:]/, 1)[0]);
		throw new PostActionRefused(`The server refused to ${what} message(s) with UID ${refused}.`, uids.filter((u) => u >= from));
	}
	return markedOnly;
}

/** Which of `uids` the selected folder still holds. */
async function existingUids(client: ImapFlow, uids: number[], folder: string): Promise<Set<number>> {
	const found = new Set<number>();
	for (const set of uidSets(uids)) for (const uid of searchedUids(await client.search({ uid: set }, { uid: true }), folder)) found.add(uid);
	return found;
}

/**
 * The highest UID in the selected folder, for a server that announces no UIDNEXT: "from now on"
 * would otherwise start at 0 and read the whole folder next time. 0 only for an empty folder.
 */
async function highestUid(client: ImapFlow, folder: string): Promise<number> {
	if (client.mailbox && client.mailbox.exists === 0) return 0;
	// `UID *` names the highest UID in use (RFC 3501 §6.4.8), one number however large the folder.
	const found = searchedUids(await client.search({ uid: '*' }, { uid: true }), folder).filter(isUid);
	return found.length > 0 ? Math.max(...found) : 0;
}

/**
 * How far ahead of our clock a message's arrival time may be and still count as one: a server's
 * clock running minutes or hours fast must not switch Min Age off; a date years ahead is no arrival.
 */
const FUTURE_TOLERANCE_MS = 24 * 3_600_000;

/** The largest UID IMAP allows (RFC 3501: a non-zero 32-bit number). */
const MAX_UID = 4294967295;

function isUid(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_UID;
}

/** A saved `readAt` as milliseconds, less a minute for the server's clock; null when there is none. */
function arrivalTime(readAt: string | undefined): number | null {
	const t = readAt ? Date.parse(readAt) : NaN;
	return Number.isFinite(t) ? t - 60_000 : null;
}

/**
 * After a renumbering, the messages that arrived since `since` (ms): SEARCH SINCE takes a day
 * (RFC 3501 §6.4.4), the arrival times of that day's messages decide.
 */
async function arrivedSince(client: ImapFlow, options: ReadMailboxOptions, since: number, uidNext: number | undefined): Promise<Selection> {
	const day = new Date(since - 86_400_000);
	return await selection(client, options, { since: day }, async (uids) => {
		const found = new Set(uids.filter((u) => isUid(u) && (uidNext === undefined || u < uidNext)));
		const after = new Set<number>();
		for (const set of uidSets([...found])) {
			for await (const m of client.fetch(set, { uid: true, internalDate: true }, { uid: true })) {
				const arrived = m.internalDate ? new Date(m.internalDate).getTime() : NaN;
				// No arrival time: read it rather than skip it. Only UIDs asked for count.
				if (found.has(m.uid) && !(arrived < since)) after.add(m.uid);
			}
		}
		return [...after].sort((a, b) => a - b);
	});
}

/** The longest Message-ID: one header line (RFC 5322 §2.1.1). */
const MAX_MESSAGE_ID_CHARS = 998;

/** `value` without whitespace around it and without one pair of angle brackets around that. */
function unbracketed(value: string): string {
	const id = value.trim();
	return id.length >= 2 && id.startsWith('<') && id.endsWith('>') ? id.slice(1, -1).trim() : id;
}

/**
 * "Only Message-ID" without its angle brackets, as searched, or what is wrong with it. Visible ASCII
 * only: a Message-ID is ASCII (RFC 5322 §3.6.4), and a non-ASCII value would make imapflow add
 * CHARSET UTF-8 to the SEARCH, which Exchange refuses with NO [BADCHARSET (US-ASCII)] ([MS-STANXIMAP]
 * §2.2.24, V0037/V0038; github.com/jstedfast/MailKit/issues/16).
 */
export function bareMessageId(value: string): string | { problem: string } {
	const bare = unbracketed(value);
	if (bare === '') return { problem: 'is empty: give the Message-ID to read, e.g. <abc.123@example.com>, or remove the option' };
	if (bare.length > MAX_MESSAGE_ID_CHARS) return { problem: `is longer than the ${MAX_MESSAGE_ID_CHARS} characters a Message-ID can have` };
	if (!/^[\x21-\x3b\x3d\x3f-\x7e]+$/.test(bare)) {
		return { problem: `may hold only the visible ASCII characters of one Message-ID (no spaces, line breaks, inner angle brackets or accented letters), got ${JSON.stringify(cut(value, 100))}` };
	}
	return bare;
}

/**
 * Whether an ENVELOPE's Message-ID lets a message through "Only Message-ID". After the server's HEADER
 * match (`byEnvelope` false) only one naming another ID is left out: HEADER matches a substring (RFC
 * 3501 §6.4.4), so searched without brackets "b@x" also finds "<ab@x>", and an envelope without an ID
 * is no word against the server's match. Without that match the envelope alone decides: it must name
 * the ID.
 */
function envelopeMatches(envelopeId: string | undefined, bare: string, byEnvelope: boolean): boolean {
	if (!envelopeId?.trim()) return !byEnvelope;
	return unbracketed(envelopeId) === bare;
}

/** What the folder search selected, in ascending order. */
interface Selection {
	/** The UIDs to read; with `byEnvelope`, those to look through for "Only Message-ID". */
	uids: number[];
	/** True when `maxMessages` left messages for the next call. */
	more: boolean;
	/**
	 * "Only Message-ID" without the server's match (HEADER search refused, or nothing found): `uids` are
	 * all the mode selects, and each one's ENVELOPE decides (plan()). Max Messages counts the matches then.
	 */
	byEnvelope: boolean;
	/** After the server's match: all the mode selects, to look through when no envelope of that match agrees. */
	candidates?: () => Promise<number[]>;
}

/**
 * The mode's `criteria` searched, each UID found passed through `keep` (ascending), capped at Max
 * Messages; for "Only Message-ID" narrowed by IMAP SEARCH HEADER, or else looked through by envelope,
 * and not capped here: plan() caps the matches.
 *
 * Servers differ in how SEARCH HEADER matches a Message-ID, so the full "<id>" is searched first and
 * the bare id only when that finds nothing (plan() drops what the ENVELOPE shows to be another ID).
 * What is known: Gmail answers it, with or without brackets, and iCloud only with them
 * (github.com/nikolausm/imap-mcp-server/pull/90), though Gmail found nothing for some IDs beginning
 * "!&!" (github.com/jstedfast/MailKit/issues/647). For Exchange, Microsoft's list of deviations for
 * SEARCH ([MS-STANXIMAP] §2.2.24) names the charset (US-ASCII only), KEYWORD, LARGER and SMALLER,
 * not HEADER, and HEADER Message-ID searches against Exchange failed only on CHARSET UTF-8
 * (MailKit#16, which bareMessageId rules out); nothing found says whether Exchange Online /
 * Microsoft 365 answers it. And a server's search index may lag behind a message that arrived
 * seconds ago (Gmail, Exchange), which is just when the Mailbox check looks for its test mail. So a
 * refused (NO/BAD) or empty header search is no answer: the mode's own UIDs are then looked through by
 * their ENVELOPE (no source), and only the match is downloaded.
 */
async function selection(client: ImapFlow, options: ReadMailboxOptions, criteria: SearchObject, keep: (uids: number[]) => Promise<number[]>): Promise<Selection> {
	const candidates = async () => await keep(searchedUids(await client.search(criteria, { uid: true }), options.folder));
	const id = options.onlyMessageId === undefined ? undefined : bareMessageId(options.onlyMessageId);
	if (typeof id !== 'string') {
		const all = await candidates();
		if (options.maxMessages > 0 && all.length > options.maxMessages) return { uids: all.slice(0, options.maxMessages), more: true, byEnvelope: false };
		return { uids: all, more: false, byEnvelope: false };
	}
	for (const value of [`<${id}>`, id]) {
		const found = await client.search({ ...criteria, header: { 'message-id': value } }, { uid: true });
		// Refused: no HEADER search here, without brackets either.
		if (found === false) break;
		const uids = found && found.length > 0 ? await keep(found) : [];
		if (uids.length > 0) return { uids, more: false, byEnvelope: false, candidates };
	}
	return { uids: await candidates(), more: false, byEnvelope: true };
}

/** UIDs to read now, in ascending order, and whether more are waiting. */
async function selectUids(client: ImapFlow, options: ReadMailboxOptions, startAfter: number, uidNext: number | undefined): Promise<Selection> {
	const criteria: SearchObject = options.mode === 'unseen' ? { seen: false } : { uid: `${startAfter + 1}:*` };
	// `N:*` also matches the highest UID when N is beyond it, so filter again. A UID at or past the
	// UIDNEXT the folder announced cannot exist yet: trusting one would move the position past
	// messages never read (a message that arrived since is read next time).
	return await selection(client, options, criteria, async (found) =>
		[...new Set(found)]
			.filter((u) => isUid(u) && (options.mode === 'unseen' || u > startAfter) && (uidNext === undefined || u < uidNext))
			.sort((a, b) => a - b),
	);
}

/** "Only Message-ID" looks through envelopes in FETCHes of at most this many, whatever the folder holds. */
const ENVELOPE_BATCH = 200;

/** `uids` in runs of at most `size`, in their order. */
function batches(uids: number[], size: number): number[][] {
	const out: number[][] = [];
	for (let i = 0; i < uids.length; i += size) out.push(uids.slice(i, i + size));
	return out;
}

const FETCH_QUERY = { uid: true, source: true, envelope: true, flags: true, size: true, internalDate: true } as const;
const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30000;
/** Each oversized answer costs a reconnect; a server that keeps sending them stops the run here. */
const MAX_CUTS_PER_RUN = 5;

/** Why a connection was closed under a running command (`lost`: by the server or the network). */
type Cut = 'timeout' | 'aborted' | 'tooLarge' | 'lost' | 'refused';

const LOST_CODES = new Set(['NoConnection', 'EConnectionClosed', 'ECONNRESET', 'EPIPE', 'ETIMEOUT']);

function isConnectionLost(err: unknown): boolean {
	const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
	return typeof code === 'string' && LOST_CODES.has(code);
}

/**
 * Closes the connection when the server takes longer than the timeout for one step (one FETCH
 * answer, a SEARCH, a STORE), when the caller's signal fires, or when imapflow refuses an answer
 * over the size limits. imapflow's own socket timeout only measures silence, so a server that
 * sends a few bytes per second would otherwise hold the run forever.
 */
class Watchdog {
	cut: Cut | undefined;
	doing = 'waiting for the server';
	private timer: NodeJS.Timeout | undefined;
	private signal: AbortSignal | undefined;
	private readonly onAbort = () => this.fire('aborted');
	private readonly onError = (err: unknown) => {
		if (isSizeLimitError(err)) this.fire('tooLarge');
	};

	constructor(
		private readonly client: ImapFlow,
		private readonly ms: number,
	) {
		client.on('error', this.onError);
	}

	/** From now on the caller's signal closes the connection at once, even inside a message. */
	watch(signal: AbortSignal | undefined): void {
		if (!signal) return;
		this.signal = signal;
		if (signal.aborted) this.fire('aborted');
		else signal.addEventListener('abort', this.onAbort);
	}

	arm(doing: string = this.doing): void {
		this.pause();
		this.doing = doing;
		this.timer = setTimeout(() => this.fire('timeout'), this.ms);
	}

	pause(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}

	fire(cut: Cut): void {
		if (this.cut) return;
		this.cut = cut;
		this.pause();
		this.client.close();
	}

	async guard<T>(doing: string, step: () => Promise<T>): Promise<T> {
		this.arm(doing);
		try {
			return await step();
		} finally {
			this.pause();
		}
	}

	/** After a loop over a FETCH: a closed connection may end the iteration without an error. */
	check(): void {
		if (this.cut) throw new MailboxError('connectionLost', `connection closed (${this.cut})`);
	}

	dispose(): void {
		this.pause();
		this.client.removeListener('error', this.onError);
		this.signal?.removeEventListener('abort', this.onAbort);
	}
}

/**
 * Reads new messages from a folder and hands each to `onMessage`, streaming in small batches so
 * the folder is never held in memory. After each batch the post-action runs for the messages
 * handed over. The connection is always closed. Errors are MailboxErrors with a message in words.
 * An error thrown by `onMessage` does not throw: that message and the rest are left untouched for
 * the next call, reading stops, and the result's `failed` carries the error, so that the caller
 * still gets (and can pass on) the messages it took before, which keep their post-action.
 *
 * Once a message has been handed over, a fault of the connection (a step slower than the timeout,
 * an oversized answer past the limits, a lost reconnect) no longer throws: reading stops, the
 * result's `stopped` says why, and what was handed over keeps its post-action and position.
 */
export async function readMailbox(
	server: MailServer,
	auth: MailAuth,
	options: ReadMailboxOptions,
	onMessage: MessageHandler,
): Promise<ReadMailboxResult> {
	validate(options);
	return await new FolderReader(server, auth, options, onMessage).run();
}

class FolderReader {
	private readonly batchSize: number;
	private readonly maxBatchBytes: number;
	private readonly maxMessageBytes: number;
	private readonly timeoutMs: number;
	private readonly readOnly: boolean;
	private result: ReadMailboxResult;
	private uidValidity = '';
	private startAfter = 0;
	/** The UIDs this call reads, ascending; the position never passes one not yet resolved. */
	private requested: number[] = [];
	private head = 0;
	/** UIDs of a cut FETCH still to read, before `requested[head…]`. */
	private retry: number[] = [];
	private readonly sizes = new Map<number, number>();
	/** Handed over, or found expunged by a completed FETCH. */
	private readonly resolved = new Set<number>();
	/** Handed over without content (too large, or none sent): never deleted. */
	private readonly unread = new Set<number>();
	/**
	 * The headers (from the size pass's ENVELOPE, bounded by messageHeaders) of this call's messages
	 * announced too large, until each is handed over; the other messages' envelopes are not kept.
	 */
	private readonly envelopes = new Map<number, MessageHeaders>();
	/** Handed over, post-action not yet applied. */
	private unactioned: number[] = [];
	/** After an oversized answer in a batch: one UID per FETCH, so the next one names its message. */
	private singles = false;
	private cuts = 0;
	private stopped: MailboxError | undefined;
	/** The message the callback threw for, and the error. */
	private failed: { uid: number; error: unknown } | undefined;
	private readonly markedDeleted: number[] = [];
	private readonly postActionFailed: number[] = [];
	/** "Unread Only": of `postActionFailed`, those left unread (see `ReadMailboxResult.readAgain`). */
	private readonly readAgain: number[] = [];
	/** After a renumbering (`newOnly`): the last UID when the folder was opened, where the position ends up. */
	private endOfFolder: number | undefined;
	/** Cancelled before `plan` knew what to read: the position the caller holds stays as it was. */
	private cancelledBeforePlan = false;
	private planned = false;
	/** "Only Message-ID" without brackets (validated before). */
	private readonly onlyId: string | undefined;

	constructor(
		private readonly server: MailServer,
		private readonly auth: MailAuth,
		private readonly options: ReadMailboxOptions,
		private readonly onMessage: MessageHandler,
	) {
		this.batchSize = Math.max(1, options.batchSize ?? 100);
		this.maxBatchBytes = Math.max(1, options.maxBatchBytes ?? 16 * 1024 * 1024);
		this.maxMessageBytes = Math.max(1, options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
		this.timeoutMs = server.timeoutMs && server.timeoutMs > 0 ? server.timeoutMs : DEFAULT_TIMEOUT_MS;
		this.readOnly = options.postAction.type === 'none';
		const id = options.onlyMessageId === undefined ? undefined : bareMessageId(options.onlyMessageId);
		this.onlyId = typeof id === 'string' ? id : undefined;
		this.result = { fetched: 0, state: { uidValidity: '', lastUid: 0 }, more: false, uidValidityChanged: false, folderCreated: false };
	}

	private get where(): string {
		return `${this.server.host}:${this.server.port}`;
	}

	async run(): Promise<ReadMailboxResult> {
		let cut: Cut | undefined;
		try {
			cut = await this.session('start');
			while (cut === 'tooLarge' && this.failed === undefined && !this.stopped) {
				if (this.cuts > MAX_CUTS_PER_RUN) {
					this.stopped = new MailboxError(
						'server',
						`${this.where} sent ${this.cuts} messages larger than the Max Message Size in one run; reading stops here and goes on in the next run.`,
					);
					break;
				}
				cut = await this.session('continue');
			}
			// Also after a callback failure: the messages taken before it are owed their post-action.
			if (cut && this.unactioned.length > 0) await this.session('finish');
		} catch (err) {
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- lib/ imports nothing from n8n; the node maps errors
			if (this.result.fetched === 0) throw err;
			// Messages already passed on (and perhaps moved or deleted) are returned, whatever came after.
			this.stopped ??= err instanceof MailboxError ? err : describeImapError(err, this.server, this.auth.user, [secretOf(this.auth)]);
			this.postActionFailed.push(...this.unactioned);
			// Not marked read either: "Unread Only" passes them on again.
			if (this.options.mode === 'unseen') this.readAgain.push(...this.unactioned);
			this.unactioned = [];
		}
		if (this.cancelledBeforePlan) {
			// Nothing read, and the folder's state perhaps half known (a renumbering being caught up,
			// the end of the folder not found yet): the caller keeps the position it had.
			this.result.state = this.options.state ? { ...this.options.state } : { uidValidity: '', lastUid: 0 };
			this.result.uidValidityChanged = false;
			this.result.more = true;
			return this.result;
		}
		if (this.failed) this.result.failed = this.failed;
		if (this.postActionFailed.length > 0) this.result.postActionFailed = this.postActionFailed;
		if (this.readAgain.length > 0) this.result.readAgain = this.readAgain;
		if (this.markedDeleted.length > 0) this.result.markedDeleted = this.markedDeleted;

		const state = this.result.state;
		let last = this.startAfter;
		for (const uid of this.requested) {
			if (!this.resolved.has(uid)) {
				this.result.more = true;
				break;
			}
			last = uid;
		}
		state.lastUid = Math.max(state.lastUid, last);
		const caughtUp = !this.result.more && !this.stopped && !this.failed;
		if (this.endOfFolder !== undefined && caughtUp) state.lastUid = Math.max(state.lastUid, this.endOfFolder);
		// Only a run that read all there was moves the time on: after a renumbering, what arrived since
		// is read, also what Max Messages or Min Age left for later.
		if (!caughtUp) state.readAt = this.options.state?.readAt;
		if (this.stopped) {
			if (this.result.fetched === 0 && !this.failed) throw this.stopped;
			this.result.stopped = this.stopped;
		}
		if (this.onlyId !== undefined) {
			// Only the matching messages were read: a position past them would skip the others for good.
			// A renumbering is left for the next call without the option to find (and report).
			this.result.state = this.options.state ? { ...this.options.state } : { uidValidity: '', lastUid: 0 };
			this.result.uidValidityChanged = false;
		}
		return this.result;
	}

	/**
	 * One connection. `start` plans the call; `continue` goes on after an oversized answer closed
	 * the previous connection; `finish` only applies the post-action owed for messages handed over
	 * before a connection was closed under a FETCH.
	 */
	private async session(kind: 'start' | 'continue' | 'finish'): Promise<Cut | undefined> {
		try {
			return await this.connected(kind);
		} catch (err) {
			// Cancelled while connecting or logging in: nothing was read, as with a cancel before the plan.
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- lib/ imports nothing from n8n; the node maps errors
			if (!(err instanceof MailboxError && err.kind === 'aborted')) throw err;
			if (!this.planned) this.cancelledBeforePlan = true;
			return 'aborted';
		}
	}

	private async connected(kind: 'start' | 'continue' | 'finish'): Promise<Cut | undefined> {
		return await withImap(
			this.server,
			this.auth,
			async (client) => {
				const dog = new Watchdog(client, this.timeoutMs);
				// Before anything is handed over a cancel costs nothing (the folder search and size pass
				// of a large folder can take minutes); after, the post-action owed goes out first.
				if (kind === 'start') dog.watch(this.options.signal);
				try {
					if (kind === 'start') this.result.folderCreated = await dog.guard('checking the folders', () => prepareFolders(client, this.options));
					const lock = await dog.guard('opening the folder', () => client.getMailboxLock(this.options.folder, { readOnly: this.readOnly }));
					try {
						if (kind === 'start') {
							const toRead = await this.plan(client, dog);
							this.planned = true;
							if (!toRead) return undefined;
						} else if (String(client.mailbox ? client.mailbox.uidValidity : '') !== this.uidValidity) {
							// Renumbered between our connections: the UIDs we hold now name other messages.
							this.stopped ??= new MailboxError('server', `The folder "${this.options.folder}" was renumbered (UIDVALIDITY changed) while it was being read; the rest is read in the next run.`);
							this.unactioned = [];
							return undefined;
						}
						await this.postAction(client, dog);
						if (kind === 'finish' || this.postActionFailed.length > 0) return undefined;
						if (kind !== 'start') dog.watch(this.options.signal);
						return await this.fetchQueue(client, dog);
					} finally {
						lock.release();
					}
				} catch (err) {
					const cut = dog.cut ?? (isSizeLimitError(err) ? 'tooLarge' : undefined);
					// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- lib/ imports nothing from n8n; the node maps errors
					if (!cut) throw err;
					if (cut === 'aborted' && !this.planned) this.cancelledBeforePlan = true;
					// Closed outside a message FETCH (those handle their own cut): nothing to retry.
					this.noteCut(cut, dog.doing);
					return cut === 'tooLarge' ? 'aborted' : cut;
				} finally {
					dog.dispose();
				}
			},
			{ maxMessageBytes: this.maxMessageBytes },
			// A reconnect owes the post-action of messages handed over: the signal is watched after it
			// (as below), while the Timeout still bounds the login.
			kind === 'start' ? this.options.signal : undefined,
		);
	}

	/** Reads the folder's state, what to fetch and the announced sizes. False: nothing to read. */
	private async plan(client: ImapFlow, dog: Watchdog): Promise<boolean> {
		const mailbox = client.mailbox;
		if (!mailbox) throw new MailboxError('server', `Could not open folder "${this.options.folder}".`);
		const uidValidity = String(mailbox.uidValidity);
		const uidNext = isUid(mailbox.uidNext) || mailbox.uidNext === MAX_UID + 1 ? mailbox.uidNext : undefined;
		const stateUsable = this.options.state !== undefined && this.options.state.uidValidity === uidValidity;
		this.uidValidity = uidValidity;
		this.startAfter = stateUsable ? this.options.state!.lastUid : 0;
		this.result.state = { uidValidity, lastUid: this.startAfter, readAt: new Date((this.options.now ?? Date.now)()).toISOString() };
		this.result.uidValidityChanged = this.options.state !== undefined && !stateUsable;

		const since = this.result.uidValidityChanged ? arrivalTime(this.options.state?.readAt) : null;
		if (this.options.mode === 'sinceUid' && !stateUsable && this.options.firstRun === 'newOnly' && since === null) {
			this.result.state.lastUid =
				uidNext !== undefined ? uidNext - 1 : await dog.guard('finding the end of the folder', () => highestUid(client, this.options.folder));
			return false;
		}
		const catchUp = this.options.mode === 'sinceUid' && this.options.firstRun === 'newOnly' && since !== null;
		// Once caught up, the position goes to the end of the folder: what arrived before is not new.
		if (catchUp) this.endOfFolder = uidNext !== undefined ? uidNext - 1 : await dog.guard('finding the end of the folder', () => highestUid(client, this.options.folder));
		const selected = await dog.guard('searching the folder', () =>
			catchUp ? arrivedSince(client, this.options, since, uidNext) : selectUids(client, this.options, this.startAfter, uidNext),
		);
		this.result.more = selected.more;
		let uids = selected.uids;
		if (uids.length === 0) return false;
		const young = await this.readSizes(client, dog, uids, selected.byEnvelope);
		if (this.onlyId !== undefined && this.sizes.size === 0 && selected.candidates) {
			// Each message the server matched names another ID (HEADER matches a substring) and the one
			// sought perhaps is not indexed yet: the envelopes decide, as when the search finds nothing.
			const looked = new Set(uids);
			uids = await dog.guard('searching the folder', selected.candidates);
			for (const uid of await this.readSizes(client, dog, uids.filter((u) => !looked.has(u)), true)) young.add(uid);
		}
		// UIDs grow with arrival: reading on past a young message would move the position past it.
		const firstYoung = uids.findIndex((u) => young.has(u));
		if (firstYoung >= 0) this.result.more = true;
		// Expunged meanwhile: FETCH would return nothing for it anyway. With "Only Message-ID" only the
		// matches are left, and Max Messages counts them, never the messages looked through: the newest
		// (a test mail that just arrived) would be cut.
		this.requested = (firstYoung < 0 ? uids : uids.slice(0, firstYoung)).filter((u) => this.sizes.has(u));
		if (this.onlyId !== undefined && this.options.maxMessages > 0 && this.requested.length > this.options.maxMessages) {
			this.requested = this.requested.slice(0, this.options.maxMessages);
			this.result.more = true;
		}
		return this.requested.length > 0;
	}

	/**
	 * The size pass: records each of `uids`' announced size (with "Only Message-ID", only of those whose
	 * ENVELOPE matches, see envelopeMatches; the others are left out like a message expunged meanwhile)
	 * and returns those too young for Min Age.
	 * ENVELOPE rides along in the same command (no step of its own that could fail or be slow on its
	 * own): a message announced too large is not read, and a UID alone cannot be found in a mail
	 * program or webmail. Only the envelopes of those are kept. No source is asked for here.
	 */
	private async readSizes(client: ImapFlow, dog: Watchdog, uids: number[], byEnvelope: boolean): Promise<Set<number>> {
		const wanted = new Set(uids);
		const minAgeMs = Math.max(0, this.options.minAgeMs ?? 0);
		const now = (this.options.now ?? Date.now)();
		const arrivedAfter = now - minAgeMs;
		const young = new Set<number>();
		// Several FETCHes for a large scattered folder ("Max Messages" 0): one line for all could pass the
		// server's limit. Looking through by envelope, a whole inbox may be asked: in batches by count.
		const sets = byEnvelope ? batches(uids, ENVELOPE_BATCH).flatMap((b) => uidSets(b)) : uidSets(uids);
		for (const set of sets) {
			dog.arm('reading message sizes');
			for await (const m of client.fetch(set, { uid: true, size: true, envelope: true, ...(minAgeMs > 0 ? { internalDate: true } : {}) }, { uid: true })) {
				dog.arm();
				// Only UIDs asked for count, whatever else the server answers.
				if (!wanted.has(m.uid) || this.sizes.has(m.uid)) continue;
				if (this.onlyId !== undefined && !envelopeMatches(m.envelope?.messageId, this.onlyId, byEnvelope)) continue;
				const size = Math.max(0, m.size ?? 0);
				this.sizes.set(m.uid, size);
				if (size > this.maxMessageBytes && m.envelope) this.envelopes.set(m.uid, messageHeaders(m.envelope, Buffer.alloc(0)));
				const arrived = m.internalDate ? new Date(m.internalDate).getTime() : NaN;
				// A date ahead of our clock is no arrival time (a message appended with its own date, a
				// server's wrong clock): young for years, it would hold up every message after it.
				if (minAgeMs > 0 && arrived > arrivedAfter && arrived <= now + FUTURE_TOLERANCE_MS) young.add(m.uid);
			}
			dog.pause();
			dog.check();
		}
		return young;
	}

	private peek(): number | undefined {
		return this.retry.length > 0 ? this.retry[0] : this.requested[this.head];
	}

	private take(): number {
		return this.retry.length > 0 ? this.retry.shift()! : this.requested[this.head++];
	}

	/**
	 * The next FETCH, by count and by announced size, so that a folder of large messages is never
	 * pulled into memory at once (imapflow buffers a FETCH's answers while we work).
	 */
	private nextBatch(): number[] {
		const batch: number[] = [];
		const maxCount = this.singles ? 1 : this.batchSize;
		let bytes = 0;
		for (let uid = this.peek(); uid !== undefined; uid = this.peek()) {
			const size = this.sizes.get(uid) ?? 0;
			if (size > this.maxMessageBytes) break;
			if (batch.length > 0 && (batch.length >= maxCount || bytes + size > this.maxBatchBytes)) break;
			batch.push(this.take());
			bytes += size;
		}
		return batch;
	}

	private async fetchQueue(client: ImapFlow, dog: Watchdog): Promise<Cut | undefined> {
		for (let uid = this.peek(); uid !== undefined; uid = this.peek()) {
			if ((this.sizes.get(uid) ?? 0) > this.maxMessageBytes) {
				// Announced too large: reported without asking for a byte of it.
				await this.handTooLarge(this.take());
			} else {
				const cut = await this.fetchBatch(client, dog, this.nextBatch());
				if (cut) return cut;
			}
			await this.postAction(client, dog);
			// The failed message and all after it wait for the next call, so the position stops before it.
			if (this.failed !== undefined || this.postActionFailed.length > 0) return undefined;
		}
		return undefined;
	}

	private async fetchBatch(client: ImapFlow, dog: Watchdog, batch: number[]): Promise<Cut | undefined> {
		const wanted = new Set(batch);
		const answered = new Set<number>();
		// Answers without content: a flags update may come before the real answer, so only a UID
		// that got no answer with content by the end of the FETCH is handed over as such.
		const empty = new Set<number>();
		try {
			dog.arm(`reading message UID ${uidSet(batch)}`);
			for await (const m of client.fetch(uidSet(batch), FETCH_QUERY, { uid: true })) {
				dog.pause();
				// Only UIDs asked for count: an answer for any other (4294967295, -1) must not move the position.
				// An empty source (`BODY[] {0}`, a zero-byte file in the server's store) is no message
				// either: handed over like one without content, so that "delete" never removes it unread.
				if (wanted.has(m.uid) && !answered.has(m.uid) && m.source && m.source.length > 0 && !dog.cut) {
					answered.add(m.uid);
					if (m.source.length > this.maxMessageBytes) await this.handTooLarge(m.uid);
					else await this.hand(toFetched(m, this.uidValidity, this.options.folder));
				} else if (wanted.has(m.uid) && (!m.source || m.source.length === 0)) {
					empty.add(m.uid);
				}
				if (this.options.signal?.aborted) dog.fire('aborted');
				const open = batch.find((u) => !answered.has(u));
				dog.arm(open === undefined ? 'finishing a FETCH' : `reading message UID ${open}`);
			}
			dog.pause();
			dog.check();
		} catch (err) {
			dog.pause();
			const cut = dog.cut ?? (isSizeLimitError(err) ? 'tooLarge' : isConnectionLost(err) ? 'lost' : undefined);
			const open = batch.filter((u) => !answered.has(u));
			if (!cut && (err as ImapFlowError).responseStatus === 'NO') return await this.fetchRefused(batch, open, err as ImapFlowError);
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- lib/ imports nothing from n8n; the node maps errors
			if (!cut) throw err;
			this.retry.unshift(...open);
			if (cut === 'tooLarge') {
				this.cuts++;
				// One message open: it is the one. Several: read them one at a time to find it.
				if (open.length === 1) await this.handTooLarge(this.take());
				else this.singles = true;
			} else {
				this.noteCut(cut, dog.doing, err);
			}
			return cut;
		}
		const withoutContent = batch.filter((uid) => empty.has(uid) && !answered.has(uid));
		// A message deleted by another mail program while we read is answered without content too:
		// only one still in the folder is reported as one the server would not send.
		const present = withoutContent.length > 0 ? await dog.guard('checking messages sent without content', () => existingUids(client, withoutContent, this.options.folder)) : new Set<number>();
		for (const uid of withoutContent) if (present.has(uid)) await this.handUnread(uid, { tooLarge: false, noContent: true });
		// The FETCH completed: an asked UID it did not answer at all was expunged meanwhile. After a
		// callback failure only those before the failed message count; the others stay unresolved.
		const failedAt = this.failed?.uid;
		for (const uid of batch) {
			if (failedAt === undefined || (uid < failedAt && !answered.has(uid) && !empty.has(uid))) this.resolved.add(uid);
		}
		return undefined;
	}

	/**
	 * A tagged NO to a FETCH, after the messages it did answer. Gmail answers "Some messages could
	 * not be FETCHed" for a message it cannot read from its store, every time: such a message must
	 * not stop the mailbox for good. So the rest of the batch is read one message at a time, and a
	 * single message the server refuses is handed over as unread with the server's words. A refusal
	 * for now (RFC 5530: UNAVAILABLE, INUSE, LIMIT) stops this run instead; the next one tries again.
	 */
	private async fetchRefused(batch: number[], open: number[], err: ImapFlowError): Promise<Cut | undefined> {
		const text = redactSecrets(err.responseText || err.message, [secretOf(this.auth)]);
		if (/^(?:UNAVAILABLE|INUSE|LIMIT)$/i.test(responseCode(err))) {
			this.retry.unshift(...open);
			this.stopped ??= new MailboxError('server', `${this.where} refused to send message UID ${uidSet(open)} for now ("${text}"). Messages read before were kept; the rest is read in the next run.`);
			return 'refused';
		}
		if (batch.length > 1) {
			this.retry.unshift(...open);
			this.singles = true;
			return undefined;
		}
		for (const uid of open) await this.handUnread(uid, { tooLarge: false, noContent: true, serverText: text });
		return undefined;
	}

	private async hand(message: FetchedMessage): Promise<void> {
		if (this.failed !== undefined) return;
		try {
			await this.onMessage(message);
			this.resolved.add(message.uid);
			this.unactioned.push(message.uid);
			this.result.fetched++;
		} catch (error) {
			this.failed = { uid: message.uid, error };
		}
	}

	private async handTooLarge(uid: number): Promise<void> {
		// Only one announced too large has envelope headers (from the size pass, see plan); kept no longer than needed.
		const headers = this.envelopes.get(uid);
		this.envelopes.delete(uid);
		await this.handUnread(uid, { tooLarge: true }, headers);
	}

	private async handUnread(
		uid: number,
		why: { tooLarge: true } | { tooLarge: false; noContent: true; serverText?: string },
		headers?: MessageHeaders,
	): Promise<void> {
		this.unread.add(uid);
		const empty = Buffer.alloc(0);
		await this.hand({
			uid,
			uidValidity: this.uidValidity,
			folder: this.options.folder,
			size: this.sizes.get(uid) ?? 0,
			flags: [],
			internalDate: null,
			source: empty,
			headers: headers ?? messageHeaders(undefined, empty),
			...why,
		});
	}

	private async postAction(client: ImapFlow, dog: Watchdog): Promise<void> {
		const action = this.options.postAction;
		// A message nobody could read is never deleted, only marked as read: "Unread Only" would
		// otherwise hand it over again in every run, and enough of them would hold up the folder.
		const unread = action.type === 'delete' ? this.unactioned.filter((u) => this.unread.has(u)) : [];
		const steps: Array<{ doing: string; uids: number[]; action: PostAction }> = [
			{ doing: 'marking, moving or deleting what was read', uids: action.type === 'delete' ? this.unactioned.filter((u) => !this.unread.has(u)) : this.unactioned, action },
			{ doing: 'marking what could not be read', uids: unread, action: { type: 'seen' } },
		];
		this.unactioned = [];
		for (let i = 0; i < steps.length; i++) {
			const step = steps[i];
			try {
				if (await dog.guard(step.doing, () => applyPostAction(client, step.uids, step.action))) this.markedDeleted.push(...step.uids);
			} catch (err) {
				// The messages were passed on: they are reported as left in the folder (those of this
				// step the server refused, or all of it when the connection broke, and every later
				// step's), and reading stops: the next batch would fare no better.
				const cut = dog.cut ?? (isConnectionLost(err) ? 'lost' : undefined);
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- lib/ imports nothing from n8n; the node maps errors
				if (!cut && !(err instanceof PostActionRefused)) throw err;
				let left = [...(err instanceof PostActionRefused ? err.uids : step.uids), ...steps.slice(i + 1).flatMap((s) => s.uids)];
				const unseen = this.options.mode === 'unseen';
				if (cut) this.noteCut(cut, dog.doing, err);
				else if (unseen && step.action.type !== 'seen') left = await this.markSeenInstead(client, dog, err as PostActionRefused, left);
				else this.stopped ??= err as PostActionRefused;
				// "Unread Only" has no position: a refused Mark as Read, or a cut, leaves them unread.
				if (unseen && (cut || step.action.type === 'seen')) this.readAgain.push(...left);
				this.postActionFailed.push(...left);
				return;
			}
		}
	}

	/**
	 * "Unread Only" after a refused move or delete: the messages stay in the folder unread, and the
	 * next run would pass them on again (each a duplicate for the steps after). Marking them read
	 * keeps them from that, as the position does in "since last UID" mode. Best effort: what the
	 * server will not mark either stays in `readAgain`, and `stopped` says so. Returns the UIDs whose
	 * post-action did not happen: the refused ones, and of the later step (marking the unreadable
	 * ones read) those not marked now.
	 */
	private async markSeenInstead(client: ImapFlow, dog: Watchdog, refusal: PostActionRefused, left: number[]): Promise<number[]> {
		const refused = new Set(refusal.uids);
		let notSeen: number[] = [];
		let why = '';
		try {
			await dog.guard('marking as read what could not be moved or deleted', () => applyPostAction(client, left, { type: 'seen' }));
		} catch (err) {
			// Whatever went wrong, the refusal stays what is reported: thrown on, it would lose the
			// messages from `postActionFailed`.
			notSeen = err instanceof PostActionRefused ? err.uids : left;
			why = err instanceof PostActionRefused ? 'the server refused that too' : dog.cut || isConnectionLost(err) ? 'the connection was lost' : 'it failed too';
		}
		this.readAgain.push(...notSeen);
		const note = notSeen.length === 0
			? ' They were marked as read instead, so "Unread Only" does not read them again.'
			: ` Marking them as read instead failed for UID ${uidSet(notSeen)} (${why}): "Unread Only" reads ${notSeen.length === 1 ? 'it' : 'those'} again in the next run.`;
		this.stopped ??= new MailboxError('server', `${refusal.message}${note}`);
		const stillOwed = new Set(notSeen);
		return left.filter((uid) => refused.has(uid) || stillOwed.has(uid));
	}

	private noteCut(cut: Cut, doing: string, err?: unknown): void {
		if (cut === 'aborted' || this.stopped) return;
		const seconds = Math.round(this.timeoutMs / 1000);
		this.stopped =
			cut === 'lost'
				? describeImapError(err, this.server, this.auth.user, [secretOf(this.auth)])
				: cut === 'timeout'
				? new MailboxError(
						'timeout',
						`${this.where} did not finish ${doing} within ${seconds} s (the Timeout option), so the connection was closed. ` +
							`Messages read before were kept; the rest is read in the next run. If the connection is slow or the messages are large, raise the Timeout.`,
					)
				: new MailboxError(
						'server',
						`${this.where} sent an answer larger than the Max Message Size (${this.maxMessageBytes} bytes) while ${doing}, so the connection was closed.`,
					);
	}
}

/**
 * The response code of a tagged NO ("[UNAVAILABLE] …"). imapflow sets `serverResponseCode` for most
 * commands; for a FETCH it is left in the parsed response, where the code is the section of the
 * first token.
 */
function responseCode(err: ImapFlowError): string {
	if (err.serverResponseCode) return err.serverResponseCode;
	const first = err.response && typeof err.response === 'object' ? err.response.attributes?.[0] : undefined;
	const code = first?.section?.[0];
	return code && !Array.isArray(code) && typeof code.value === 'string' ? code.value : '';
}

function toFetched(m: FetchMessageObject, uidValidity: string, folder: string): FetchedMessage {
	const source = m.source as Buffer;
	const internal = m.internalDate ? new Date(m.internalDate) : undefined;
	return {
		uid: m.uid,
		uidValidity,
		folder,
		size: m.size ?? source.length,
		flags: m.flags ? [...m.flags] : [],
		internalDate: internal && !Number.isNaN(internal.getTime()) ? internal.toISOString() : null,
		source,
		headers: messageHeaders(m.envelope, source),
		tooLarge: false,
	};
}
