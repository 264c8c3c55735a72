import { anyPhrase } from './phrases';

/**
 * A filtering service's digest of the messages it holds for a mailbox (Proofpoint's "Quarantine
 * Digest", Mimecast's "Hold Summary", Trend Micro's "quarantined spam … for <mailbox>", Cisco's
 * "Spam Quarantine Notification", German "Quarantänebericht"): a list of held messages with links to
 * release them. A held bounce or a held answer appears in it by sender and subject only, so its
 * lines must not be read as a report; the digest itself reports no delivery of ours.
 */
const DIGEST = anyPhrase(
	/\b(?:quarantine|spam|hold)\b[^.\n]{0,40}\b(?:digest|summary|notification|report)\b/,
	/\b(?:digest|summary)\b[^.\n]{0,40}\bquarantin/,
	/quarant(?:ä|ae)ne-?(?:bericht|übersicht|zusammenfassung|benachrichtigung)|spam-?(?:bericht|report)\b/,
);
const LISTS_HELD = anyPhrase(
	/\b(?:the following|\d+ new) messages?\b[^.\n]{0,80}\b(?:quarantined|on hold|held)\b/,
	/\bquarantined the following\b/,
	/\bfolgenden? (?:e-?mails?|nachrichten)\b[^.\n]{0,80}\b(?:quarant(?:ä|ae)ne|zurückgehalten)/,
);
const RELEASE = /\brelease\b|\bfreigeben\b|\bfreigabe\b/i;

export function isQuarantineDigest(subject: string, text: string): boolean {
	if (!RELEASE.test(text)) return false;
	return DIGEST.test(subject) || DIGEST.test(text.slice(0, 500)) || LISTS_HELD.test(text);
}
