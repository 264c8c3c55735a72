/**
 * Moving and deleting messages without ever removing one we did not choose.
 *
 * IMAP deletes in two steps: flag \Deleted, then EXPUNGE. A plain EXPUNGE removes every message
 * flagged \Deleted in the folder, also those a colleague's mail program marked and could still undo
 * (Thunderbird's and Outlook's "mark as deleted" model, shared inboxes). Only UID EXPUNGE (UIDPLUS,
 * RFC 4315) or MOVE (RFC 6851) remove just our messages. imapflow falls back to a plain EXPUNGE on a
 * server with neither (messageDelete, and messageMove's COPY + delete), so on such a server we stop
 * short of it: the messages are copied (for a move) and flagged, and stay in the folder, struck
 * through, until the merchant's mail program expunges it. Mutt and Thunderbird leave expunging to
 * the user in the same way. The other workaround (RFC 4315 §1: unflag the others, EXPUNGE, flag them
 * again) races with those very colleagues and, if the connection drops half-way, loses their marks.
 */
import type { ImapFlow } from 'imapflow';

import { uidSets } from './uid-set';

/**
 * Flags set on our messages when they cannot be expunged alone. \Seen too: an "Unread Only" reader
 * would otherwise read them again in every run, and copy them again, until someone expunges.
 */
const MARKED_ONLY_FLAGS = ['\\Deleted', '\\Seen'];

export interface RemoveResult {
	/** The sequence set the server refused (nothing after it was tried), if any. */
	refused?: string;
	/** The server can remove only chosen messages in neither way: ours are left flagged \Deleted. */
	markedOnly: boolean;
}

/** Whether a move may remove the originals: MOVE, or COPY + UID EXPUNGE of exactly ours. */
export function moveRemovesOnlyOurs(client: ImapFlow): boolean {
	return client.capabilities.has('MOVE') || client.capabilities.has('UIDPLUS');
}

function deleteRemovesOnlyOurs(client: ImapFlow): boolean {
	return client.capabilities.has('UIDPLUS');
}

/** Moves messages of the selected folder by UID, in command lines of bounded length. */
export async function moveUids(client: ImapFlow, uids: number[], destination: string): Promise<RemoveResult> {
	const markedOnly = !moveRemovesOnlyOurs(client);
	for (const set of uidSets(uids)) {
		if (markedOnly) {
			if ((await client.messageCopy(set, destination, { uid: true })) === false) return { refused: set, markedOnly };
			if ((await client.messageFlagsAdd(set, MARKED_ONLY_FLAGS, { uid: true })) === false) return { refused: set, markedOnly };
		} else if ((await client.messageMove(set, destination, { uid: true })) === false) {
			return { refused: set, markedOnly };
		}
	}
	return { markedOnly };
}

/** Deletes messages of the selected folder by UID, in command lines of bounded length. */
export async function deleteUids(client: ImapFlow, uids: number[]): Promise<RemoveResult> {
	const markedOnly = !deleteRemovesOnlyOurs(client);
	for (const set of uidSets(uids)) {
		const ok = markedOnly
			? await client.messageFlagsAdd(set, MARKED_ONLY_FLAGS, { uid: true })
			: await client.messageDelete(set, { uid: true });
		if (ok === false) return { refused: set, markedOnly };
	}
	return { markedOnly };
}
