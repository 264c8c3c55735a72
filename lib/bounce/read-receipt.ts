/**
 * A read receipt sent as a plain message rather than an RFC 8098 disposition notification: some
 * mail clients (Tobit David, and mail systems that convert Outlook's receipts) send only the words of
 * Outlook's receipt, "Ihre Nachricht / An: … / Betreff: … / Gesendet: … / wurde am … gelesen." or
 * "Your message / To: … / Subject: … / Sent: … / was read on …", under a "Gelesen:" / "Read:"
 * subject. It says the reminder reached the mailbox: no one wrote back. Anything else in the text
 * is a person writing, also under such a subject.
 */
const SUBJECT = /^\s*(?:gelesen|lesebest(?:ä|ae)tigung|read|lu|letto|le[íi]do|gelezen)\s*:/i;
/** The receipt's own lines: its opening and the reminder's header fields it quotes. */
const RECEIPT_LINE =
	/^(?:ihre nachricht|your message|votre message|(?:il suo )?messaggio|su mensaje|uw bericht)$|^(?:an|to|à|a|para|aan|cc|betreff|subject|objet|oggetto|asunto|onderwerp|gesendet|sent|envoyé|inviato|enviado|verzonden)\s*:/i;
/** What is left must be the one sentence saying when it was read (German dates hold ". ", the others none). */
const READ_ON = /^(?:wurde am .{3,200}? gelesen|(?:was read on|a été lu le|è stato letto|fue leído|is gelezen op) [^.!?]{3,200})\.?$/i;
const MAX_CHARS = 1500;

export function isPlainReadReceipt(subject: string, text: string): boolean {
	if (!SUBJECT.test(subject) || text.length > MAX_CHARS) return false;
	const rest = text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line && !RECEIPT_LINE.test(line))
		.join(' ');
	return READ_ON.test(rest);
}
