/**
 * A read receipt sent as a plain message rather than an RFC 8098 disposition notification: some
 * mail clients (Tobit David, and mail systems that convert Outlook's receipts) send only the words of
 * Outlook's receipt, "Ihre Nachricht / An: … / Betreff: … / Gesendet: … / wurde am … gelesen." or
 * "Your message / To: … / Subject: … / Sent: … / was read on …" (or "… deleted without being
 * read"), under a "Gelesen:" / "Read:" / "Not read:" subject. It says the reminder reached the
 * mailbox: no one wrote back. Anything else in the text is a person writing, also under such a subject.
 */
const SUBJECT = /^\s*(?:(?:nicht )?gelesen|lesebest(?:ä|ae)tigung|(?:not )?read|(?:non )?lu|letto|le[íi]do|gelezen)\s*:/i;
/** The receipt's own lines: its opening and the reminder's header fields it quotes. */
const RECEIPT_LINE =
	/^(?:ihre nachricht|your message|votre message|(?:il suo )?messaggio|su mensaje|uw bericht)$|^(?:an|to|à|a|para|aan|cc|betreff|subject|objet|oggetto|asunto|onderwerp|gesendet|sent|envoyé|inviato|enviado|verzonden)\s*:/i;
/** What is left must be the one paragraph saying when it was read (dates may hold dots: "2. Dezember"). */
const READ_ON =
	/^(?:wurde am .{3,250}? (?:ungelesen gelöscht|gelesen)\.?|(?:was (?:read|deleted without being read) on|a été lu le|è stato letto|fue leído|is gelezen op) .{3,250})$/i;
const MAX_CHARS = 1500;

export function isPlainReadReceipt(subject: string, text: string): boolean {
	if (!SUBJECT.test(subject) || text.length > MAX_CHARS) return false;
	// A signature after RFC 3676's "-- " line is no one writing.
	const body = text.split(/\r?\n-- ?\r?\n/)[0];
	const paragraphs: string[] = [];
	let current: string[] = [];
	let inField = false;
	for (const raw of body.split(/\r?\n/)) {
		const line = raw.trim();
		if (!line) {
			if (current.length) paragraphs.push(current.join(' '));
			current = [];
			inField = false;
			continue;
		}
		// A quoted field wraps onto indented lines ("An: Markus Huber;\n     Anna Huber").
		if (RECEIPT_LINE.test(line) || (inField && /^\s/.test(raw))) {
			inField = true;
			continue;
		}
		inField = false;
		current.push(line);
	}
	if (current.length) paragraphs.push(current.join(' '));
	return paragraphs.length === 1 && READ_ON.test(paragraphs[0]);
}
