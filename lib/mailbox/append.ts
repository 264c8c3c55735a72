import type { MailAuth, MailServer } from '../mail/server';
import { findFolder, folderMissingError, listFolders, withImap } from './connection';

export interface AppendOptions {
	/** Flags for the stored copy; a sent message is normally already read (`\Seen`, the default). */
	flags?: string[];
	/** Create the folder when it does not exist (default false: a missing folder is an error). */
	createFolder?: boolean;
	/** Stored as the message's internal date (default: now). */
	date?: Date;
}

export interface AppendResult {
	folder: string;
	/** UID of the stored copy, when the server reports it (UIDPLUS). */
	uid?: number;
	uidValidity?: string;
}

/** Finds the folder flagged `\Sent` (RFC 6154), for callers that were given no folder name. */
export async function findSentFolder(server: MailServer, auth: MailAuth): Promise<string | undefined> {
	return await withImap(server, auth, async (client) => {
		const folders = await listFolders(client);
		return folders.find((f) => f.specialUse === '\\Sent')?.path;
	});
}

/**
 * Stores a raw message in a folder, e.g. a sent reminder in "Sent" so that it shows up in the
 * merchant's mail program as if sent from there. Opens and always closes its own connection;
 * failures are MailboxErrors with a message in words.
 */
export async function appendToFolder(
	server: MailServer,
	auth: MailAuth,
	folder: string,
	rawMessage: Buffer | string,
	options: AppendOptions = {},
): Promise<AppendResult> {
	return await withImap(server, auth, async (client) => {
		const folders = await listFolders(client);
		if (!findFolder(folders, folder)) {
			if (!options.createFolder) throw folderMissingError(folder, folders, 'folder to store sent messages in');
			await client.mailboxCreate(folder);
		}
		const res = await client.append(folder, rawMessage, options.flags ?? ['\\Seen'], options.date ?? new Date());
		if (res === false) throw folderMissingError(folder, folders, 'folder to store sent messages in');
		return {
			folder,
			uid: typeof res.uid === 'number' ? res.uid : undefined,
			uidValidity: res.uidValidity !== undefined ? String(res.uidValidity) : undefined,
		};
	});
}
