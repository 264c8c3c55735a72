import type { BounceReason } from './types';
import { cleanAddress, stripTypePrefix } from './delivery-status';
import { reasonFromText } from './diagnostic-reason';
import { linesOf } from './text-bounds';

/** What a rejection by the recipient's mail store names. */
export interface SieveRejection {
	recipient: string | null;
	originalMessageId: string | null;
	reason: Extract<BounceReason, 'filtered' | 'mailboxfull'>;
}

/**
 * Sieve's `reject` (RFC 5429 §2.1.1) refuses a message after it was delivered, by the recipient's own
 * rule, and answers with an MDN (RFC 8098) whose Disposition is "automatic-action/…; deleted": the
 * recipient's side turned the reminder away and the address lives. Dovecot's LDA sends the same
 * rejection for a full mailbox ("Quota exceeded (mailbox for user is full)"). Only when its words say
 * so (Pigeonhole's "was automatically rejected", Cyrus's "rejected by Sieve"): Exchange's "Not read"
 * receipt for a reminder deleted unread carries the same Disposition, and that one arrived.
 */
export function sieveRejection(mdnText: string, humanText: string): SieveRejection | null {
	// The quoted subject of the reminder ("Lastschrift rejected …") is not the notice's own word.
	const words = humanText.slice(0, 2000).replace(/^(?:subject|betreff)\s*:.*$/gim, '');
	if (!/\bautomatically rejected\b|\brejected by sieve\b/i.test(words)) return null;
	const fields = new Map<string, string>();
	for (const line of linesOf(mdnText.replace(/\r?\n[ \t]+/g, ' '))) {
		const m = /^([A-Za-z-]+)[ \t]*:(.*)$/.exec(line);
		if (m && !fields.has(m[1].toLowerCase())) fields.set(m[1].toLowerCase(), m[2].trim());
	}
	if (!/^automatic-action\s*\/[^;]*;\s*deleted\b/i.test(fields.get('disposition') ?? '')) return null;
	const address = cleanAddress(stripTypePrefix(fields.get('final-recipient') ?? fields.get('original-recipient')));
	return {
		recipient: address && address.includes('@') ? address : null,
		originalMessageId: /<[^<>\s]+>/.exec(fields.get('original-message-id') ?? '')?.[0] ?? null,
		reason: reasonFromText(words) === 'mailboxfull' ? 'mailboxfull' : 'filtered',
	};
}
