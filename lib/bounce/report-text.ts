import { LIMITS, linesOf } from './text-bounds';

/**
 * Readings of the human-readable part of a report that the delivery-status fields leave out:
 * the rest of a multi-line reply, and delivery-status fields pasted into the text.
 */

/** A line of a multi-line reply as a transcript shows it: "<<< 552-5.7.0 …". Code and status are digits and dots. */
export function replyLinePattern(code: string, status: string | null): RegExp {
	return new RegExp(`^\\s*(?:<<<\\s*)?${code}[ -]${status ? `${status.replace(/\./g, '\\.')}\\s` : ''}`);
}

/** The last line of a multi-line reply: the code followed by a space. */
export function lastReplyLinePattern(code: string): RegExp {
	return new RegExp(`^\\s*(?:<<<\\s*)?${code} `);
}

/**
 * Sendmail puts only the first line of a multi-line reply ("552-5.7.0 This message was blocked
 * because its content presents a potential") into the Diagnostic-Code; the session transcript in
 * the human-readable part has every line. Returns the whole reply when the transcript has it.
 */
export function completeMultilineReply(diagnostic: string, human: string): string {
	const lead = /^\s*([45]\d\d)-(?:([245]\.\d{1,3}\.\d{1,3})\s)?/.exec(diagnostic);
	if (!lead || !human) return diagnostic;
	const prefix = replyLinePattern(lead[1], lead[2] ?? null);
	const last = lastReplyLinePattern(lead[1]);
	const lines = linesOf(human);
	const first = lines.findIndex((l) => prefix.test(l) && l.includes(diagnostic.slice(lead[0].length, lead[0].length + 20)));
	if (first < 0) return diagnostic;
	const reply: string[] = [];
	for (let i = first; i < lines.length && prefix.test(lines[i]); i++) {
		reply.push(lines[i].replace(/^\s*<<<\s*/, ''));
		// "552 5.7.0 …" (a space after the code) is the last line of the reply.
		if (last.test(lines[i])) break;
	}
	return reply.length > 1 ? reply.join('\n') : diagnostic;
}

/** Delivery-status fields pasted into a text, up to the next MIME boundary; null when there are none. */
export function pastedDeliveryStatus(text: string): string | null {
	const start = /^[ \t]*(?:final-recipient|original-recipient)\s*:/im.exec(text);
	if (!start) return null;
	// The per-message fields (Reporting-MTA…) sit just above the first recipient.
	const groupStart = reportingMtaGroupStart(text.slice(0, start.index));
	const from = groupStart >= 0 ? groupStart : start.index;
	const rest = text.slice(from);
	const end = rest.search(/^--\S|^content-type\s*:/im);
	return (end > 0 ? rest.slice(0, end) : rest).replace(/^[ \t]+(?=[A-Za-z-]+:)/gm, '');
}

/**
 * Where the per-message group (from its Reporting-MTA line) starts, when only fields and blank
 * lines lie between it and the end of `before`; -1 otherwise. Walks back line by line.
 */
function reportingMtaGroupStart(before: string): number {
	if (!before.endsWith('\n')) return -1;
	let end = before.length - 1;
	let found = -1;
	for (let n = 0; n < LIMITS.lines && end >= 0; n++) {
		const start = end > 0 ? before.lastIndexOf('\n', end - 1) + 1 : 0;
		const line = before.slice(start, end);
		if (/^[ \t]*reporting-mta[ \t]*:/i.test(line)) found = start;
		else if (line.trim() !== '' && !/^[ \t]*[A-Za-z-]+[ \t]*:/.test(line)) break;
		if (start === 0) break;
		end = start - 1;
	}
	return found;
}
