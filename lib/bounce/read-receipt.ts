/**
 * A read receipt sent as a plain message rather than an RFC 8098 disposition notification: some
 * mail clients (Tobit David, and mail systems that convert Outlook's receipts) send only the words of
 * Outlook's receipt, "Ihre Nachricht … wurde am … gelesen." / "Your message … was read on …", under
 * a "Gelesen:" / "Read:" subject. It says the reminder reached the mailbox: no one wrote back.
 */
const SUBJECT = /^\s*(?:gelesen|lesebest(?:ä|ae)tigung|read|lu|letto|le[íi]do|gelezen)\s*:/i;
const READ_ON = /\bwurde am [^\n]{3,80}? gelesen\b|\bwas read on\b|\ba été lu le\b|\bè stato letto\b|\bfue leído\b|\bis gelezen op\b/i;
/** A receipt is a few lines: the quoted To/Subject/Sent and the sentence. */
const MAX_CHARS = 1500;

export function isPlainReadReceipt(subject: string, text: string): boolean {
	const body = text.trim();
	return SUBJECT.test(subject) && body.length <= MAX_CHARS && READ_ON.test(body);
}
