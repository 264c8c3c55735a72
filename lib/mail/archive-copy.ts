import { createHash } from 'node:crypto';

/**
 * The header that marks which envelope recipient of a reminder is the sender's own archive copy
 * (the SMTP credential's BCC). A report about that copy (a typo in the BCC address, a full archive)
 * names an address the reminder was not addressed to, like a forward does; without this mark it
 * would count as the customer's failure and, for every reminder, block the customer.
 *
 * The value is a digest of the Message-ID and the archive address, not the address: the customer
 * sees the headers. It hides the address from a reader, not from one who guesses it (nothing
 * secret goes into the digest, so that any installation's Classify Bounce can check it).
 */
export const ARCHIVE_COPY_HEADER = 'X-Dunning-Copy';

/** The mark for `address` as archive copy of the message `messageId` (with or without <>). */
export function archiveCopyMark(messageId: string, address: string): string {
	const id = messageId.trim().replace(/^<|>$/g, '');
	return createHash('sha256').update(`${id}\u0000${address.trim().toLowerCase()}`).digest('hex').slice(0, 20);
}

/** Whether `address` is the archive copy a returned reminder's mark names. */
export function isArchiveCopy(mark: string | null, messageId: string | null, address: string | null): boolean {
	if (!mark || !messageId || !address) return false;
	return archiveCopyMark(messageId, address) === mark.trim().toLowerCase();
}
