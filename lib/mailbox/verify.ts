import type { MailAuth, MailServer } from '../mail/server';
import { listFolders, withImap } from './connection';

export interface MailboxCheck {
	folders: string[];
	/** The folder the server marks as Sent (RFC 6154), if any. */
	sentFolder?: string;
}

/** The credential test: connect, log in, list the folders; always closes the connection. */
export async function verifyMailbox(server: MailServer, auth: MailAuth): Promise<MailboxCheck> {
	return await withImap(server, auth, async (client) => {
		const folders = await listFolders(client);
		return {
			folders: folders.map((f) => f.path),
			sentFolder: folders.find((f) => f.specialUse === '\\Sent')?.path,
		};
	});
}
