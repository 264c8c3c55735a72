import type { FetchMessageObject, ImapFlow } from 'imapflow';

import type { MailAuth, MailServer } from '../mail/server';
import { findFolder, folderMissingError, listFolders, withImap } from './connection';
import { MailboxError } from './errors';
import { messageHeaders, type MessageHeaders } from './headers';
import { uidSet } from './uid-set';

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
	 * `all` reads the messages already there; `newOnly` only remembers where the folder ends now.
	 */
	firstRun?: 'all' | 'newOnly';
	/** At most this many messages per call (0 = no limit); the rest are left for the next call. */
	maxMessages: number;
	postAction: PostAction;
	/** At most this many messages per IMAP FETCH (default 100). */
	batchSize?: number;
	/** At most this many bytes of messages per FETCH (default 16 MiB; a larger single message still comes alone). Bounds memory. */
	maxBatchBytes?: number;
	/** Stops between messages; what was handed over so far is post-actioned and counted. */
	signal?: AbortSignal;
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
}

export interface ReadMailboxResult {
	/** Messages handed to the callback. */
	fetched: number;
	/** State to pass to the next call (`sinceUid` mode; also filled in `unseen` mode). */
	state: UidState;
	/** True when `maxMessages` left messages for the next call. */
	more: boolean;
	/** True when the folder's UIDVALIDITY differed from `state`, so reading started over. */
	uidValidityChanged: boolean;
	/** True when the destination folder of a move was created in this call. */
	folderCreated: boolean;
}

/** Called once per message, in UID order. The message's post-action runs after it resolves. */
export type MessageHandler = (message: FetchedMessage) => Promise<void> | void;

function validate(options: ReadMailboxOptions): void {
	if (!options.folder?.trim()) throw new MailboxError('invalidOptions', 'No folder given to read from (e.g. INBOX).');
	if (!Number.isInteger(options.maxMessages) || options.maxMessages < 0) {
		throw new MailboxError('invalidOptions', `Max messages must be a whole number ≥ 0, got ${String(options.maxMessages)}.`);
	}
	const pa = options.postAction;
	if (pa.type === 'move') {
		if (!pa.folder?.trim()) throw new MailboxError('invalidOptions', 'Post-action "move" needs a destination folder.');
		if (pa.folder === options.folder) {
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

async function applyPostAction(client: ImapFlow, uids: number[], action: PostAction): Promise<void> {
	if (uids.length === 0 || action.type === 'none') return;
	const range = uidSet(uids);
	let ok: unknown;
	if (action.type === 'seen') ok = await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
	else if (action.type === 'delete') ok = await client.messageDelete(range, { uid: true });
	else ok = await client.messageMove(range, action.folder, { uid: true });
	if (ok === false) {
		const what = action.type === 'move' ? `move to "${action.folder}"` : action.type === 'seen' ? 'mark as seen' : 'delete';
		throw new MailboxError('server', `The server refused to ${what} message(s) with UID ${range}.`);
	}
}

/** UIDs to read now, in ascending order, and whether more are waiting. */
async function selectUids(
	client: ImapFlow,
	options: ReadMailboxOptions,
	startAfter: number,
): Promise<{ uids: number[]; more: boolean }> {
	const found =
		options.mode === 'unseen'
			? await client.search({ seen: false }, { uid: true })
			: await client.search({ uid: `${startAfter + 1}:*` }, { uid: true });
	// `N:*` also matches the highest UID when N is beyond it, so filter again.
	const all = (found || []).filter((u) => options.mode === 'unseen' || u > startAfter).sort((a, b) => a - b);
	if (options.maxMessages > 0 && all.length > options.maxMessages) {
		return { uids: all.slice(0, options.maxMessages), more: true };
	}
	return { uids: all, more: false };
}

/**
 * Reads new messages from a folder and hands each to `onMessage`, streaming in small batches so
 * the folder is never held in memory. After each batch the post-action runs for the messages
 * handed over. The connection is always closed. Errors are MailboxErrors with a message in words;
 * an error thrown by `onMessage` stops reading and is rethrown as is (messages handed over before
 * it still get their post-action).
 */
export async function readMailbox(
	server: MailServer,
	auth: MailAuth,
	options: ReadMailboxOptions,
	onMessage: MessageHandler,
): Promise<ReadMailboxResult> {
	validate(options);
	const batchSize = Math.max(1, options.batchSize ?? 100);
	const maxBatchBytes = Math.max(1, options.maxBatchBytes ?? 16 * 1024 * 1024);
	return await withImap(server, auth, async (client) => {
		const folderCreated = await prepareFolders(client, options);
		const readOnly = options.postAction.type === 'none';
		const lock = await client.getMailboxLock(options.folder, { readOnly });
		try {
			const mailbox = client.mailbox;
			if (!mailbox) throw new MailboxError('server', `Could not open folder "${options.folder}".`);
			const uidValidity = String(mailbox.uidValidity);
			const endOfFolder = Math.max(0, (mailbox.uidNext ?? 1) - 1);
			const stateUsable = options.state !== undefined && options.state.uidValidity === uidValidity;
			const uidValidityChanged = options.state !== undefined && !stateUsable;
			const result: ReadMailboxResult = {
				fetched: 0,
				state: { uidValidity, lastUid: stateUsable ? options.state!.lastUid : 0 },
				more: false,
				uidValidityChanged,
				folderCreated,
			};

			if (options.mode === 'sinceUid' && !stateUsable && options.firstRun === 'newOnly') {
				result.state.lastUid = endOfFolder;
				return result;
			}

			const { uids, more } = await selectUids(client, options, result.state.lastUid);
			result.more = more;

			for (const batch of await batches(client, uids, batchSize, maxBatchBytes)) {
				const handed: number[] = [];
				let handlerError: unknown;
				let aborted = false;
				// imapflow cannot run other commands while a FETCH is being iterated, so the batch is
				// read to its end (the handler stops being called after an error) and post-actioned after.
				for await (const msg of client.fetch(
					uidSet(batch),
					{ uid: true, source: true, envelope: true, flags: true, size: true, internalDate: true },
					{ uid: true },
				)) {
					if (handlerError !== undefined || aborted) continue;
					if (options.signal?.aborted) {
						aborted = true;
						continue;
					}
					const m = msg as FetchMessageObject;
					if (!m.source) continue;
					try {
						await onMessage(toFetched(m, uidValidity, options.folder));
						handed.push(m.uid);
					} catch (err) {
						handlerError = err;
					}
				}
				await applyPostAction(client, handed, options.postAction);
				result.fetched += handed.length;
				if (handed.length > 0) result.state.lastUid = Math.max(result.state.lastUid, ...handed);
				if (handlerError !== undefined) throw handlerError;
				if (aborted) {
					result.more = true;
					break;
				}
			}
			if (options.mode === 'unseen' && uids.length > 0) result.state.lastUid = Math.max(result.state.lastUid, uids[uids.length - 1]);
			return result;
		} finally {
			lock.release();
		}
	});
}

/**
 * Splits the UIDs into FETCH batches by count and by size, so that a folder of large messages
 * is never pulled into memory at once (imapflow buffers a FETCH's answers while we work).
 */
async function batches(client: ImapFlow, uids: number[], maxCount: number, maxBytes: number): Promise<number[][]> {
	if (uids.length === 0) return [];
	const sizes = new Map<number, number>();
	for await (const m of client.fetch(uidSet(uids), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
	const out: number[][] = [];
	let current: number[] = [];
	let bytes = 0;
	for (const uid of uids) {
		// Expunged meanwhile: FETCH would return nothing for it anyway.
		if (!sizes.has(uid)) continue;
		const size = sizes.get(uid)!;
		if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
			out.push(current);
			current = [];
			bytes = 0;
		}
		current.push(uid);
		bytes += size;
	}
	if (current.length > 0) out.push(current);
	return out;
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
	};
}
