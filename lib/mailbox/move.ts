import type { ImapFlow } from 'imapflow';

import type { MailAuth, MailServer } from '../mail/server';
import { findFolder, folderMissingError, listFolders, sameFolder, withImap } from './connection';
import { MailboxError, searchedUids } from './errors';
import { folderNameProblem } from './folder-name';
import { moveRemovesOnlyOurs, moveUids } from './remove';
import { uidSets } from './uid-set';

/** One message to move, as Read Mailbox described it. */
export interface MessageRef {
	folder: string;
	uid: number;
	/** The folder's UIDVALIDITY when the message was read. If the folder was renumbered since, the UID may name another message. */
	uidValidity?: string;
}

export interface MoveMessagesOptions {
	destination: string;
	/** Create the destination folder when it does not exist; otherwise a missing folder is an error before anything moves. */
	createFolder: boolean;
}

export type MoveOutcome =
	/**
	 * `markedDeleted`: the server has neither MOVE nor UIDPLUS, so the message was copied and left in
	 * `folder` flagged \Deleted (and \Seen) until a mail program expunges it (see remove.ts).
	 */
	| { status: 'moved'; folder: string; uid: number; movedTo: string; markedDeleted?: true }
	/** No longer in the folder: moved or deleted by someone else (or by an earlier item). Nothing to do. */
	| { status: 'notFound'; folder: string; uid: number }
	| { status: 'failed'; folder: string; uid: number; error: string };

export interface MoveMessagesResult {
	/** One outcome per reference, in the order given. */
	outcomes: MoveOutcome[];
	folderCreated: boolean;
	/** How many messages were only copied and flagged \Deleted (outcomes with `markedDeleted`). */
	markedDeleted: number;
}

function refKey(folder: string, uid: number): string {
	return `${folder}\u0000${uid}`;
}

/** References grouped by folder, each UID once, so every folder is opened and moved in one go. */
function byFolder(refs: MessageRef[]): Map<string, MessageRef[]> {
	const groups = new Map<string, MessageRef[]>();
	const seen = new Set<string>();
	for (const ref of refs) {
		const key = refKey(ref.folder, ref.uid);
		if (seen.has(key)) continue;
		seen.add(key);
		const group = groups.get(ref.folder) ?? [];
		group.push(ref);
		groups.set(ref.folder, group);
	}
	return groups;
}

async function moveFromFolder(
	client: ImapFlow,
	folder: string,
	refs: MessageRef[],
	destination: string,
): Promise<Map<string, MoveOutcome>> {
	const out = new Map<string, MoveOutcome>();
	const lock = await client.getMailboxLock(folder);
	try {
		const uidValidity = String(client.mailbox ? client.mailbox.uidValidity : '');
		const movable: number[] = [];
		for (const ref of refs) {
			if (ref.uidValidity !== undefined && ref.uidValidity !== uidValidity) {
				out.set(refKey(folder, ref.uid), {
					status: 'failed',
					folder,
					uid: ref.uid,
					error: `The folder "${folder}" was renumbered by the server since the message was read (UIDVALIDITY ${ref.uidValidity} → ${uidValidity}), so UID ${ref.uid} may now be another message. Nothing was moved; read the folder again.`,
				});
			} else movable.push(ref.uid);
		}
		// Where originals are only flagged, one flagged \Deleted counts as moved already: copying it
		// again would put a second copy in the destination.
		const query = moveRemovesOnlyOurs(client) ? {} : { deleted: false };
		// MOVE silently skips UIDs that are gone, so ask first which still exist.
		const present = new Set<number>();
		for (const set of uidSets(movable)) {
			for (const uid of searchedUids(await client.search({ ...query, uid: set }, { uid: true }), folder)) present.add(uid);
		}
		// Already in the destination: where it should be, nothing to move.
		const here = sameFolder(folder, destination);
		const toMove = here ? [] : movable.filter((uid) => present.has(uid));
		const { refused, markedOnly } = await moveUids(client, toMove, destination);
		// Sets go in ascending order and stop at the refused one: those before it were moved.
		const refusedFrom = refused === undefined ? Infinity : Number(refused.split(/[,:]/, 1)[0]);
		for (const uid of movable) {
			out.set(
				refKey(folder, uid),
				!present.has(uid)
					? { status: 'notFound', folder, uid }
					: uid >= refusedFrom
						? { status: 'failed', folder, uid, error: `The server refused to move message UID ${uid} from "${folder}" to "${destination}" (full quota, or no right to the folder?).` }
						: { status: 'moved', folder, uid, movedTo: destination, ...(markedOnly && !here ? { markedDeleted: true as const } : {}) },
			);
		}
		return out;
	} finally {
		lock.release();
	}
}

/**
 * Moves the given messages to `destination` on one connection. A message already gone is
 * `notFound` (moving is idempotent), one already in the destination `moved`; a renumbered folder,
 * or a MOVE the server refuses, fails only the messages it was for. A missing source or
 * destination folder is an error for the whole call, before anything moves.
 */
export async function moveMessages(
	server: MailServer,
	auth: MailAuth,
	refs: MessageRef[],
	options: MoveMessagesOptions,
): Promise<MoveMessagesResult> {
	const destination = options.destination.trim();
	if (!destination) throw new MailboxError('invalidOptions', 'No destination folder given to move the messages to.');
	const destinationProblem = folderNameProblem(destination);
	if (destinationProblem) throw new MailboxError('invalidOptions', `The destination folder ${destinationProblem}.`);
	for (const ref of refs) {
		if (!ref.folder?.trim()) throw new MailboxError('invalidOptions', `Message UID ${ref.uid} has no folder to move it from.`);
		const fromProblem = folderNameProblem(ref.folder);
		if (fromProblem) throw new MailboxError('invalidOptions', `The folder of message UID ${ref.uid} ${fromProblem}.`);
		if (!Number.isInteger(ref.uid) || ref.uid <= 0) throw new MailboxError('invalidOptions', `"${String(ref.uid)}" is not an IMAP UID (a whole number ≥ 1).`);
	}
	if (refs.length === 0) return { outcomes: [], folderCreated: false, markedDeleted: 0 };

	return await withImap(server, auth, async (client) => {
		const folders = await listFolders(client);
		const groups = byFolder(refs);
		for (const folder of groups.keys()) {
			if (!findFolder(folders, folder)) throw folderMissingError(folder, folders, 'folder to move from');
		}
		let folderCreated = false;
		if (!findFolder(folders, destination)) {
			if (!options.createFolder) throw folderMissingError(destination, folders, 'destination folder');
			await client.mailboxCreate(destination);
			folderCreated = true;
		}
		const done = new Map<string, MoveOutcome>();
		for (const [folder, group] of groups) {
			for (const [key, outcome] of await moveFromFolder(client, folder, group, destination)) done.set(key, outcome);
		}
		const outcomes = refs.map((ref) => done.get(refKey(ref.folder, ref.uid))!);
		const markedDeleted = [...done.values()].filter((o) => o.status === 'moved' && o.markedDeleted).length;
		return { outcomes, folderCreated, markedDeleted };
	});
}
