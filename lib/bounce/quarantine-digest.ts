import { anyPhrase } from './phrases';

/**
 * A filtering service's digest of the messages it holds for a mailbox (Proofpoint's "Quarantine
 * Digest", Mimecast's "Hold Summary", Trend Micro's "quarantined spam … for <mailbox>", Cisco's
 * "Spam Quarantine Notification", German "Quarantänebericht"): a list of held messages with links to
 * release them. A held bounce or a held answer appears in it by sender and subject only, so its
 * lines must not be read as a report; the digest itself reports no delivery of ours.
 */
export const DIGEST = anyPhrase(
	/\b(?:quarantine|spam|hold)(?: quarantine)? (?:digest|summary|notification|report)\b/,
	/\bend[- ]user (?:spam )?digest\b/,
	/quarant(?:ä|ae)ne-?(?:bericht|übersicht|zusammenfassung|benachrichtigung)|spam-?(?:bericht|report)\b/,
);
export const LISTS_HELD = anyPhrase(
	/\b(?:the following|\d+ new) messages (?:have been |were |are )?(?:quarantined|held|on hold)\b/,
	/\bquarantined the following\b/,
	/\bfolgenden? (?:e-?mails?|nachrichten) (?:wurden |sind )?(?:in (?:die )?quarant(?:ä|ae)ne (?:verschoben|gestellt)|zurückgehalten)/,
);
const RELEASE = /\brelease\b|\bfreigeben\b/i;

/**
 * The subject names a digest, or the text (the notice's own part, not a message it returns) lists
 * held messages and offers to release them. A notice to the sender about one held message ("The
 * following message has been quarantined") is no digest: it is about that message.
 */
export function isQuarantineDigest(subject: string, text: string): boolean {
	if (DIGEST.test(subject)) return true;
	return RELEASE.test(text) && (DIGEST.test(text.slice(0, 500)) || LISTS_HELD.test(text));
}
