/**
 * Readings of the human-readable part of a report that the delivery-status fields leave out:
 * the rest of a multi-line reply, and delivery-status fields pasted into the text.
 */

/**
 * Sendmail puts only the first line of a multi-line reply ("552-5.7.0 This message was blocked
 * because its content presents a potential") into the Diagnostic-Code; the session transcript in
 * the human-readable part has every line. Returns the whole reply when the transcript has it.
 */
export function completeMultilineReply(diagnostic: string, human: string): string {
	const lead = /^\s*([45]\d\d)-(?:([245]\.\d{1,3}\.\d{1,3})\s)?/.exec(diagnostic);
	if (!lead || !human) return diagnostic;
	const prefix = new RegExp(`^\\s*(?:<<<\\s*)?${lead[1]}[ -]${lead[2] ? `${lead[2].replace(/\./g, '\\.')}\\s` : ''}`);
	const lines = human.split(/\r?\n/);
	const first = lines.findIndex((l) => prefix.test(l) && l.includes(diagnostic.slice(lead[0].length, lead[0].length + 20)));
	if (first < 0) return diagnostic;
	const reply: string[] = [];
	for (let i = first; i < lines.length && prefix.test(lines[i]); i++) {
		reply.push(lines[i].replace(/^\s*<<<\s*/, ''));
		// "552 5.7.0 …" (a space after the code) is the last line of the reply.
		if (new RegExp(`^\\s*(?:<<<\\s*)?${lead[1]} `).test(lines[i])) break;
	}
	return reply.length > 1 ? reply.join('\n') : diagnostic;
}

/** Delivery-status fields pasted into a text, up to the next MIME boundary; null when there are none. */
export function pastedDeliveryStatus(text: string): string | null {
	const start = /^[ \t]*(?:final-recipient|original-recipient)\s*:/im.exec(text);
	if (!start) return null;
	// The per-message fields (Reporting-MTA…) sit just above the first recipient.
	const before = text.slice(0, start.index);
	const groupStart = before.search(/(?:^|\n)[ \t]*reporting-mta\s*:[^\n]*\n(?:[ \t]*[A-Za-z-]+\s*:[^\n]*\n|[ \t]*\n)*$/i);
	const from = groupStart >= 0 ? groupStart : start.index;
	const rest = text.slice(from);
	const end = rest.search(/^--\S|^content-type\s*:/im);
	return (end > 0 ? rest.slice(0, end) : rest).replace(/^[ \t]+(?=[A-Za-z-]+:)/gm, '');
}
