import type { MailAuth, MailServer } from '../mail/server';
import type { ImapFlow, ListResponse } from 'imapflow';

import { findFolder, folderMissingError, listFolders, sameFolder, withImap } from './connection';

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

/** The IMAP credential's Sent Folder when nobody changed it. */
export const DEFAULT_SENT_FOLDER = 'Sent';

/**
 * Where a sent copy goes, given the mailbox's folders and the one the server marks `\Sent`
 * (RFC 6154): the configured folder when it exists. When that is the default "Sent" and there is
 * no such folder, the marked one ("Gesendet", "Sent Items", "INBOX.Sent"): nobody chose "Sent", it
 * was only left as it came. Empty = the marked folder, else "Sent". A name the operator typed is
 * never swapped for another. Undefined: no folder to store sent copies in.
 */
export function sentFolderFor(configured: string, folders: readonly string[], markedSent: string | undefined): string | undefined {
	const name = configured.trim();
	const exists = (path: string) => folders.some((f) => sameFolder(f, path));
	if (name === '') return markedSent ?? (exists(DEFAULT_SENT_FOLDER) ? DEFAULT_SENT_FOLDER : undefined);
	if (exists(name)) return name;
	return name === DEFAULT_SENT_FOLDER ? markedSent : undefined;
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
			if (!options.createFolder) throw folderMissingError(folder, folders, SENT_PURPOSE);
			await client.mailboxCreate(folder);
		}
		return await appendIn(client, folder, folders, rawMessage, options);
	});
}

/**
 * The Sent-folder copy of a sent reminder: `appendToFolder` into the folder `sentFolderFor`
 * picks on the same connection, so the credential's default "Sent" lands in the server's own Sent
 * folder where "Sent" does not exist (as the credential test promises). The result names the
 * folder used. A missing folder is an error naming it and the existing ones; never created.
 */
export async function appendToSentFolder(
	server: MailServer,
	auth: MailAuth,
	folder: string,
	rawMessage: Buffer | string,
	options: Omit<AppendOptions, 'createFolder'> = {},
): Promise<AppendResult> {
	return await withImap(server, auth, async (client) => {
		const folders = await listFolders(client);
		const target = sentFolderFor(
			folder,
			folders.map((f) => f.path),
			folders.find((f) => f.specialUse === '\\Sent')?.path,
		);
		if (target === undefined) throw folderMissingError(folder.trim() || DEFAULT_SENT_FOLDER, folders, SENT_PURPOSE);
		return await appendIn(client, target, folders, rawMessage, options);
	});
}

const SENT_PURPOSE = 'folder to store sent messages in';

async function appendIn(client: ImapFlow, folder: string, folders: ListResponse[], rawMessage: Buffer | string, options: AppendOptions): Promise<AppendResult> {
	const res = await client.append(folder, rawMessage, options.flags ?? ['\\Seen'], options.date ?? new Date());
	if (res === false) throw folderMissingError(folder, folders, SENT_PURPOSE);
	return {
		folder,
		uid: typeof res.uid === 'number' ? res.uid : undefined,
		uidValidity: res.uidValidity !== undefined ? String(res.uidValidity) : undefined,
	};
}
