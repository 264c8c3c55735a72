/**
 * Bounces forwarded by a person or an inbox rule: merchants who cannot give IMAP access to their
 * sending mailbox forward undeliverable mail to another mailbox, as an attachment (message/rfc822,
 * RFC 2046 §5.2.1) or inline (the mail client's forward marker, the report's header lines, its text).
 * The carried message is classified as if it had arrived itself. A forward is written by a person, so
 * it is never a mail system's report on its own: it counts only when
 *  - the carried message passes the origin check itself (report-origin.ts: null return path,
 *    MAILER-DAEMON/postmaster sender, or a delivery-status report received through a server), and
 *  - the forwarder is our own side: its From is in the domain the carried report was sent to (the
 *    report came back to our mailbox, and our mailbox or a colleague forwarded it). A customer
 *    "forwarding" a report about their own address fails this (and the origin check's own-address rule).
 */
import type { MimePart } from './mime-walk';
import type { BounceResult, Correlation } from './types';
import { correlationOf, namesOurReminder } from './correlation';
import { addressesIn } from './message-headers';
import { sentByMachine } from './report-origin';
import { LIMITS, cut, linesOf } from './text-bounds';
import { outlookHeaderAt } from './outlook-header';
import { isMailboxProvider } from './mailbox-provider';

/** Forward markers of the common clients, each alone on its line. */
const MARKERS: RegExp[] = [
	// Gmail: "---------- Forwarded message ---------"; Thunderbird: "-------- Forwarded Message --------"
	/^-{3,}\s?forwarded message\s?-{3,}$/i,
	// Thunderbird (German): "-------- Weitergeleitete Nachricht --------"; Outlook (German) "----- Weitergeleitete Nachricht -----"
	/^-{3,}\s?weitergeleitete (?:nachricht|e-mail)\s?-{3,}$/i,
	/^-{3,}\s?(?:message transf[ée]r[ée]|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht)\s?-{3,}$/i,
	// Apple Mail
	/^begin forwarded message:$/i,
	// Outlook: "-----Original Message-----" / "-----Ursprüngliche Nachricht-----" above a forwarded block
	/^-{3,}\s?(?:original message|urspr[üu]ngliche nachricht)\s?-{3,}$/i,
	// Outlook (newer): a line of underscores above "From: … Sent: …"
	/^_{10,}$/,
];

/** The line (trimmed) is a client's forward marker. */
export function isForwardMarker(line: string): boolean {
	return line !== '' && MARKERS.some((m) => m.test(line));
}

/** Header names of an inline-forwarded block, in the languages of the clients, → RFC 5322 names. */
const HEADER_NAMES: Record<string, string> = {
	from: 'from',
	von: 'from',
	de: 'from',
	to: 'to',
	an: 'to',
	'à': 'to',
	para: 'to',
	cc: 'cc',
	subject: 'subject',
	betreff: 'subject',
	objet: 'subject',
	asunto: 'subject',
	date: 'date',
	datum: 'date',
	sent: 'date',
	gesendet: 'date',
	// Outlook for Mac in Italian and Spanish: "Data:", "Fecha:"
	data: 'date',
	fecha: 'date',
	envoyé: 'date',
	'reply-to': 'reply-to',
	'return-path': 'return-path',
	// Outlook in Italian, Dutch, Polish, Turkish and Russian (the names its reply header uses, reply.ts)
	da: 'from',
	a: 'to',
	oggetto: 'subject',
	inviato: 'date',
	van: 'from',
	aan: 'to',
	onderwerp: 'subject',
	verzonden: 'date',
	od: 'from',
	do: 'to',
	temat: 'subject',
	wysłano: 'date',
	kimden: 'from',
	kime: 'to',
	konu: 'subject',
	gönderildi: 'date',
	от: 'from',
	кому: 'to',
	тема: 'subject',
	отправлено: 'date',
	enviado: 'date',
	'enviado el': 'date',
};

// Spanish Outlook writes its date as "Enviado el:".
const HEADER_LINE = /^\*?([A-Za-zÀ-ÿ\u0100-\u017F\u0400-\u04FF-]{1,20}(?: el)?)\*?\s?:\s?(.*)$/;

export interface Carried {
	/** The carried message, raw. */
	raw: string;
	/** Its header fields (To: says whom the report was sent to). */
	headers: Map<string, string[]>;
	/** How much MIME depth the carried message sits under. */
	depth: number;
	how: 'attachment' | 'inline';
}

/** A message a person (not a mail system) sent; only such a message can be a forward. */
export function isFromPerson(top: Map<string, string[]>): boolean {
	return !sentByMachine(top);
}

/** Outlook forwards every selected message as an attachment; each is classified in full, so a bound. */
const MAX_CARRIED = 8;

/** The attached messages (message/rfc822 outside any other attached message), first first. */
export function attachedMessages(parts: MimePart[]): Carried[] {
	const out: Carried[] = [];
	for (let i = 0; i < parts.length && out.length < MAX_CARRIED; i++) {
		const p = parts[i];
		if (p.insideAttachedMessage || !/^message\/(?:rfc822|global)$/.test(p.contentType) || !p.text) continue;
		const head = parts[i + 1]?.isAttachedMessage ? parts[i + 1].headers : new Map<string, string[]>();
		out.push({ raw: p.text, headers: head, depth: p.depth + 1, how: 'attachment' });
	}
	return out;
}

/**
 * An inline forward in the text: the marker, the forwarded header lines, then the forwarded text.
 * Under a forward's subject ("WG: Unzustellbar: …") Outlook's header block needs no marker: an HTML
 * forward has none, only a border above "Von: … / Gesendet: …".
 */
export function inlineForward(text: string, forwardSubject = false): Carried | null {
	const lines = linesOf(cut(text, LIMITS.textChars));
	for (let i = 0; i < lines.length; i++) {
		const marker = isForwardMarker(lines[i].trim());
		if (!marker && !(forwardSubject && outlookHeaderAt(lines, i))) continue;
		let j = marker ? i + 1 : i;
		while (j < lines.length && !lines[j].trim()) j++;
		const headers = new Map<string, string[]>();
		const headerLines: string[] = [];
		const fieldAt = (k: number) => {
			const m = HEADER_LINE.exec(lines[k]?.trim() ?? '');
			const name = m ? HEADER_NAMES[m[1].toLowerCase()] : undefined;
			return m && name ? { name, value: m[2] } : null;
		};
		for (; j < lines.length; j++) {
			// (HTML turned into text leaves a blank line between the header's lines: one more field
			// not yet seen continues the block.)
			if (!lines[j].trim()) {
				const next = fieldAt(j + 1);
				if (next && headers.size && !headers.has(next.name)) continue;
				break;
			}
			const field = fieldAt(j);
			if (!field) break;
			if (!headers.has(field.name)) headers.set(field.name, [field.value]);
			headerLines.push(`${field.name}: ${field.value}`);
		}
		if (!headers.has('from')) continue;
		const body = lines.slice(j).join('\r\n');
		return { raw: `${headerLines.join('\r\n')}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`, headers, depth: 1, how: 'inline' };
	}
	return null;
}

export function domainOf(address: string): string {
	return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** One organisation: the same domain, or one a subdomain of the other (de.kunde.example). */
export function sameOrganisation(a: string, b: string): boolean {
	const x = domainOf(a);
	const y = domainOf(b);
	return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/**
 * Whether the forwarder is on our side: its From is in a domain the carried report was sent to.
 * `reminderTo` are the addresses the returned reminder was sent to (its To and Cc, where the report
 * returns them), `reminderFrom` its sender (ours): a report sent to one of them, passed on by one of
 * them, went to the customer (their mailbox forwarded our reminder to an address that is gone, the
 * bounce came back to them, and they send it to us); so did one sent to and passed on by someone
 * else at such an address's domain that is not ours. `customer` says so: that is the customer
 * writing, not our forward.
 */
export function forwardedByUs(top: Map<string, string[]>, carried: Carried, reminderTo: string[], reminderFrom: string[]): { ok: boolean; customer: boolean; why: string | null } {
	const forwarder = addressesIn(top, ['from'], 1)[0];
	const to = addressesIn(carried.headers, ['to', 'delivered-to'], 10);
	if (!forwarder) return { ok: false, customer: false, why: 'the forward names no sender' };
	// Ours: our sender's organisation, its subdomains included (a colleague whom the reminder went to
	// in Cc is never the customer).
	const ours = (a: string) => reminderFrom.some((f) => sameOrganisation(a, f));
	const customers = new Set(reminderTo.filter((a) => !ours(a)).map((a) => a.toLowerCase()));
	if (customers.has(forwarder.toLowerCase()) && to.some((a) => customers.has(a.toLowerCase()))) {
		return { ok: false, customer: true, why: `the report was sent to ${to[0]}, whom the reminder was sent to, and passed on by them` };
	}
	// A report passed on to us from the customer's domain (their list's owner, their IT, who also keep
	// copies of the reports their server sent us) is the customer writing, not our mailbox's forward:
	// a person reads it, nothing is blocked. Outlook's forward may name the report's addressee by name only.
	const fromCustomerDomain = !ours(forwarder) && reminderTo.some((a) => !ours(a) && domainOf(a) === domainOf(forwarder));
	const sentThereOrToUs = !to.length || to.some((a) => domainOf(a) === domainOf(forwarder) || ours(a));
	if (fromCustomerDomain && sentThereOrToUs) {
		return { ok: false, customer: true, why: `the report was passed on by ${forwarder}, at the domain the reminder was sent to` };
	}
	if (!to.length) return { ok: false, customer: false, why: 'the forwarded report does not say whom it was sent to' };
	if (to.some((a) => sameOrganisation(a, forwarder))) return { ok: true, customer: false, why: null };
	return { ok: false, customer: false, why: `it was forwarded by ${forwarder}, not from the mailbox the report was sent to (${to[0]})` };
}

/** Whom the message a carried report returns was sent to and by whom, and which reminder it answered. */
export interface ReturnedMessage {
	to: string[];
	from: string[];
	answers: Correlation;
}

/** What a carried report means, by whose mail it is about. */
export type ForwardedReport =
	/** The customer writes to us about a reminder: their question matters, not the report's address. */
	| { as: 'reply'; about: Correlation }
	/** Not a bounce of ours: why. */
	| { as: 'skip'; why: string }
	/** A bounce of ours; `foreign` when its returned message does not carry our reminder's marks. */
	| { as: 'bounce'; foreign: boolean };

/**
 * Whose report a forward carries. `answered` is the reminder the forward itself answers (its
 * In-Reply-To/References), `results` the carried report's own classification; `forwardNamesOurs`
 * that the forward's own parts name a reminder of ours.
 */
export function whoseReport(top: Map<string, string[]>, answered: Correlation, carried: Carried, results: BounceResult[], returned: ReturnedMessage, forwardNamesOurs: boolean): ForwardedReport {
	// A report whose returned message is not a reminder (another Message-ID, no X-Dunning-Invoice;
	// some relays rewrite the Message-ID, so that alone does not decide) came back on the
	// forwarder's own mail: when it or the forward answers our reminder, the customer writes to us
	// (their answer or their internal forward bounced); when it failed at our own addresses (the
	// ones this forward went to), their mail to us bounced, and no customer address is dead.
	const namesOurs = results.some((r) => namesOurReminder(correlationOf(r)));
	const foreign = namesOurs ? undefined : results.find((r) => r.originalMessageId !== null);
	// Every failed address is one the forward went to (its To or Cc; at a mailbox provider that
	// address itself, not its domain).
	const forwardedTo = addressesIn(top, ['to', 'cc'], 10).map((a) => a.toLowerCase());
	const toUs = (address: string) => forwardedTo.some((a) => (isMailboxProvider(a) ? a === address.toLowerCase() : sameOrganisation(a, address)));
	const aboutUs = results.every((r) => r.recipient && toUs(r.recipient));
	if (foreign) {
		const about = answered.originalMessageId ? answered : returned.answers;
		if (about.originalMessageId) return { as: 'reply', about };
		const forwarder = addressesIn(top, ['from'], 1)[0]?.toLowerCase();
		const ownMail = returned.from.some((a) => a.toLowerCase() === forwarder);
		if (ownMail || aboutUs) {
			return { as: 'skip', why: `a forwarded delivery report about the forwarder's own message (${foreign.originalMessageId}) to ${foreign.recipient}: not a reminder of ours` };
		}
	}
	// So also a report that names nothing of ours and returns no message, in a forward that names none
	// either (an inbox rule's forward may carry the reminder's header beside the report): a customer's
	// mail to us bounced, and they pass the report on. Who forwarded it says nothing: an inbox rule
	// forwards our bounces to a mailbox at any domain.
	if (!namesOurs && !foreign && !forwardNamesOurs && aboutUs) {
		return { as: 'skip', why: 'a forwarded delivery report that names no reminder of ours, about the address it was forwarded to: not taken as a bounce' };
	}
	const by = forwardedByUs(top, carried, returned.to, returned.from);
	// The customer passing on a report about their own forward writes to us about our reminder.
	const ours = results.find((r) => r.originalMessageId !== null || r.invoiceId !== null);
	if (by.customer && ours) return { as: 'reply', about: correlationOf(ours) };
	if (!by.ok) return { as: 'skip', why: `a forwarded delivery report, but ${by.why}: not taken as a bounce` };
	return { as: 'bounce', foreign: foreign !== undefined };
}
