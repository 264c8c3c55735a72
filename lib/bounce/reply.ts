/**
 * A person's answer to one of our reminders ("already paid", "this invoice is wrong"): dunning of
 * that invoice should pause until someone has read it. Recognised by what ties it to a reminder:
 * - In-Reply-To / References (RFC 5322 §3.6.4) naming one of our reminder Message-IDs,
 *   `<dunning.<level>.<32 hex>@domain>` (lib/mail/message.ts, reminderMessageId), or
 * - our X-Dunning-* header lines quoted in the text, together with a reply subject ("Re:", "AW:", …).
 * Auto-replies (RFC 3834) and delivery reports are decided before this is asked.
 */
import type { Correlation } from './types';
import { correlationFromText, emptyCorrelation, mergeCorrelation, namesOurReminder } from './correlation';
import { addressesIn } from './message-headers';
import { LIMITS, cut, linesOf, trimEndChars, trimStartChars } from './text-bounds';
import { isForwardMarker } from './forwarded';
import { OUTLOOK_FROM, headerBlock, isForwardSubject, outlookHeaderAt } from './outlook-header';

/**
 * Our reminder Message-ID; the hash is 32 hex digits, the level a small number. Some clients and
 * gateways write it without the angle brackets or in capitals: read either, as a whole id (not inside
 * another word), its right side up to what RFC 5322 §3.6.4 keeps out of an id.
 */
const REMINDER_ID = /(?<![^\s<,])<?dunning\.(\d{1,4})\.([0-9a-f]{32})@([^\s<>()[\]:;@\\,"]{1,255})(?![^\s>,])>?/gi;

/**
 * Reply prefixes of mail clients: Re (RFC 5322 §3.6.5), AW/Antw (German), SV (Nordic), VS (Finnish),
 * Odp (Polish), R/Rif (Italian), Réf/Rép (French), YNT (Turkish), Απ, Отв, 回复/答复, with an optional
 * counter "Re[2]:". Read once, at the start of the subject.
 */
const REPLY_SUBJECT = /^\s*(?:re|aw|antw|antwort|sv|vs|odp|r|rif|r[ée]f|r[ée]p|ynt|απ|отв|回复|答复|回覆)\s?(?:\[\d{1,3}\]|\(\d{1,3}\))?\s?[:：]/i;
/** The verb of a quote attribution ("On … wrote:", "Am … schrieb …:") in the languages of REPLY_SUBJECT. */
const ATTRIBUTION = /\b(?:wrote|schrieb|folgendes geschrieben|het volgende geschreven|a écrit|escribió|escreveu|ha scritto|napisał|pisze|napsal(?:\(a\)|a)?(?![a-z])|schreef|skrev|kirjoitti|yazdı)|написал/i;
/**
 * Open-Xchange's "Shop <billing@…> hat am 09.03.2026 10:00 CET geschrieben:" and Apple Mail's Dutch
 * "… heeft … geschreven:": a perfect tense customers use in their own sentences too.
 */
const PERFECT_ATTRIBUTION = /\b(?:hat|heeft)\s.{0,120}\b(?:geschrieben|geschreven)\s?:$/i;
/** A line (or a wrapped attribution's lines) with an attribution's verb; the perfect tense without a pronoun of either person. */
const saysWrote = (text: string) => ATTRIBUTION.test(text) || (PERFECT_ATTRIBUTION.test(text.trim()) && !FIRST_PERSON.test(text) && !SECOND_PERSON.test(text));
/** How Thunderbird's attribution opens, by language: "On", "Am", "Le", "Il giorno", "El", "Em", "Op", "W dniu", "Dne", "Den", "В". */
const ATTRIBUTION_OPENING = /^(?:on|am|le|il giorno|il|el|em|op|w dniu|dne|den|в)\s/i;
/** Thunderbird's "#1 wrote on #2 #3:" form (English and German). */
const WROTE_ON_DATE = /\b(?:wrote on|schrieb am)\s+\d/i;
/** What a client's attribution carries: an address, a time ("10:00", "um 10.00", "kl. 09.00"), a year. */
const ATTRIBUTION_DETAIL = /@|\b\d{1,2}:\d{2}\b|\b(?:um|at|kl\.?|à|alle|a las|às|om|o|v)\s\d{1,2}[.:]\d{2}\b|\b(?:19|20)\d{2}\b/;
/** Words addressed to us, in a customer's own sentence about our colleague. */
const SECOND_PERSON = /\b(?:ihr|ihre|ihrem|ihren|ihrer|ihres|ihnen|your|uw|votre)\b/i;
/** Words of a writer about themselves or their firm, which no client's attribution line contains. */
const FIRST_PERSON = /\b(?:i|we|us|me|ich|wir|uns|mir|je|nous|ik|wij|ons|jsme|vi)\b/i;

/** "-- Original Message --" in the clients' languages; forward headings are forwarded.ts's markers. */
const ORIGINAL_HEADING = /^-{2,}\s?(?:original(?:[- ]message|-?nachricht)?|urspr[üu]ngliche (?:nachricht|mail)|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht)\s?-{2,}$/i;

export interface ReplyFacts {
	correlation: Correlation;
	/** The first lines of the new text. */
	text: string;
}

/** Maximum length of the extracted reply text: enough for an operator to see what it is about. */
export const REPLY_TEXT_CHARS = 600;
const REPLY_TEXT_LINES = 12;
/** A line that only greets: "Hallo Frau Muster,", "Sehr geehrte Damen und Herren,", "Dear Sir or Madam,". */
const SALUTATION = /^(?:hallo|hi|hello|moin|servus|grü(?:ß|ss) gott|grüezi|guten (?:tag|morgen|abend)|sehr geehrte[rs]?|liebe[rs]?|dear|good (?:morning|afternoon|evening)|bonjour|bonsoir|madame|monsieur|buongiorno|buonasera|gentil[ie]|spett\.le|egregi[oa]|beste|geachte|goede(?:morgen|middag|navond)|hola|estimad[oa]s?)(?![a-zäöüß])(?: [^\s\d,!?]{1,30}){0,5}[,!]?$/i;

function reminderIdIn(headers: Map<string, string[]>): { id: string; level: number } | null {
	for (const key of ['in-reply-to', 'references']) {
		for (const v of headers.get(key) ?? []) {
			REMINDER_ID.lastIndex = 0;
			const m = REMINDER_ID.exec(cut(v, LIMITS.headerChars));
			// (as reminderMessageId writes it, lib/mail/message.ts: brackets, a lower-case hash and domain)
			if (m) return { id: `<dunning.${m[1]}.${m[2].toLowerCase()}@${m[3].toLowerCase()}>`, level: Number(m[1]) };
		}
	}
	return null;
}

/**
 * Our reminder named in In-Reply-To / References (RFC 5322 §3.6.4): an auto-reply (RFC 3834 §3.1.5
 * asks responders to set them) is tied to the reminder it answers, as a person's reply is.
 */
export function reminderCorrelationFromHeaders(headers: Map<string, string[]>): Correlation {
	const byId = reminderIdIn(headers);
	return byId ? { ...emptyCorrelation(), originalMessageId: byId.id, level: byId.level } : emptyCorrelation();
}

export function isReplySubject(subject: string): boolean {
	return REPLY_SUBJECT.test(cut(subject, 200));
}

/** "-- … --": text of 10 to 200 characters between runs of at least two dashes. */
function dashFramed(line: string): boolean {
	const inner = trimEndChars(trimStartChars(line, '-'), '-');
	return line.startsWith('--') && line.endsWith('--') && inner.trim().length >= 10 && inner.length <= 202;
}

/** Is a line where the quoted original starts: "> …", "On … wrote:", "Am … schrieb …:", Outlook blocks. */
function startsQuote(lines: string[], i: number): boolean {
	const line = lines[i].trim();
	if (line.startsWith('>')) return true;
	// (Only where a rule needs it: this runs for every line.)
	const nextText = (): string => {
		for (let j = i + 1; j < lines.length; j++) if (lines[j].trim()) return lines[j].trim();
		return '';
	};
	// A line of underscores is also a customer's own ruler: Outlook's quote follows it with "From:".
	if (/^_{10,}$/.test(line)) return OUTLOOK_FROM.test(nextText());
	if (ORIGINAL_HEADING.test(line) || isForwardMarker(line)) return true;
	// Zoho Mail frames its attribution in dashes: "---- On Tue, 10 Mar 2026 10:00 Shop <billing@…> wrote ----",
	// iNotes without spaces: "-----"Shop" <billing@…> schrieb: -----".
	if (dashFramed(line) && ATTRIBUTION.test(line) && ATTRIBUTION_DETAIL.test(line) && !FIRST_PERSON.test(line) && !SECOND_PERSON.test(line)) return true;
	const lower = line.toLowerCase();
	// "On Mon, 1 Dec 2026, Shop <billing@shop.example> wrote:" (may be wrapped over two lines).
	// A mail client's attribution names the author's address, a time or the year ("Your colleague
	// wrote on 3 March:" is the customer's own sentence), unless the quote follows at once.
	const detailed = () => ATTRIBUTION_DETAIL.test(lower) || nextText().startsWith('>');
	// ("Ihr Kollege Herr Weber schrieb am 25.11.2026:" is the customer citing our colleague.)
	const ownWords = (FIRST_PERSON.test(lower) || SECOND_PERSON.test(lower)) && !lower.includes('@');
	if (!ownWords && (lower.endsWith('wrote:') || lower.endsWith('a écrit :') || lower.endsWith('a écrit:') || lower.endsWith('escribió:') || lower.endsWith('ha scritto:')) && detailed()) return true;
	// "Am 01.12.2026 um 10:00 schrieb Shop <billing@shop.example>:", and so in Thunderbird's other
	// languages ("W dniu 9.03.2026 o 09:00, Shop pisze:", "Dne 09. 03. 26 v 9:00 Shop napsal(a):",
	// "Den 09.03.2026 kl. 09.00 skrev Shop:"): the date's opening word (or the author's address, or
	// Thunderbird's "Shop schrieb am 09.03.26 um 09:00:"), the verb, a colon at the end. A customer's
	// own sentence ("As I wrote on 5 March:", "am 3.3. schrieb uns Ihr Kollege:") says I or us.
	const attributionLike = ATTRIBUTION_OPENING.test(lower) || lower.includes('@') || WROTE_ON_DATE.test(lower);
	if (lower.endsWith(':') && lower.length < 200 && attributionLike && ATTRIBUTION.test(lower) && !FIRST_PERSON.test(lower) && !ownWords && detailed()) return true;
	// (So only with the author's address, and the quote right below it or, as the client writes it, the
	// address in angle brackets and the time: "Shop <billing@…> hat am 09.03.2026 10:00 CET geschrieben:".)
	const clientForm = /<[^<>\s]{1,100}@[^<>\s]{1,100}>/.test(line) && /\b\d{1,2}:\d{2}\b/.test(line);
	// (No pronoun of either person, address or not: "Ihre Kollegin <a.weber@…> hat am 03.03. um 10:15
	// geschrieben:", "… hat Ihnen Herr Klein bereits geschrieben:" are the customer's own sentences.)
	if (lower.length < 200 && lower.includes('@') && PERFECT_ATTRIBUTION.test(lower) && !FIRST_PERSON.test(lower) && !SECOND_PERSON.test(lower) && (clientForm || nextText().startsWith('>'))) return true;
	// WEB.DE and GMX write the date first: "Gesendet: Montag, … / Von: …".
	if (/^(?:gesendet|sent)\s?:/i.test(line)) return OUTLOOK_FROM.test(headerBlock(lines, i + 1)[0] ?? '');
	return outlookHeaderAt(lines, i);
}

/**
 * A bottom-posted reply (Thunderbird's default: attribution, "> " lines, then the answer): the
 * unmarked lines after the quote. Only for "> " quotes: below an Outlook header block the original
 * itself is unmarked.
 */
function textBelowQuote(lines: string[]): string[] {
	const start = lines.findIndex((_, i) => startsQuote(lines, i));
	if (start < 0 || !(lines[start].trim().startsWith('>') || saysWrote(lines[start]))) return [];
	const first = lines.findIndex((l, i) => i >= start && l.trim().startsWith('>'));
	if (first < 0) return [];
	const out: string[] = [];
	for (const raw of lines.slice(first)) {
		if (raw.trim() === '--') break;
		const line = raw.trim();
		if (line && !line.startsWith('>')) out.push(line);
		if (out.length >= REPLY_TEXT_LINES) break;
	}
	return out;
}

/** The text quotes an earlier message: "> " lines, an attribution line, an Outlook header block. */
export function quotesAMessage(text: string): boolean {
	const lines = linesOf(cut(text, LIMITS.textChars));
	return lines.some((_, i) => startsQuote(lines, i));
}

/** The new text of a reply: lines before the quoted original or the signature, bounded. */
export function newReplyText(text: string): string {
	const lines = linesOf(cut(text, LIMITS.textChars));
	const out: string[] = [];
	for (let i = 0; i < lines.length; i++) {
		if (startsQuote(lines, i)) {
			// A wrapped attribution ("On Tue, … Shop\n<billing@…> wrote:") began on the line before.
			const last = (out[out.length - 1] ?? '').toLowerCase();
			if (!/^(?:on|am|le|el|il)\s/i.test(lines[i].trim()) && /:\s*$/.test(lines[i]) && /^(?:on|am|le|el|il)\s/.test(last)) out.pop();
			// An attribution wrapped so that no line of it ends in "wrote:" alone ("Am …, schrieb Shop <" /
			// "billing@shop.example>:") stands right above the "> " lines.
			else if (lines[i].trim().startsWith('>')) {
				for (let k = 1; k <= Math.min(3, out.length); k++) {
					const tail = out.slice(-k).join(' ');
					if (saysWrote(tail) && /:\s*$/.test(tail)) {
						out.splice(out.length - k);
						break;
					}
				}
			}
			break;
		}
		// RFC 3676 §4.3: "-- " starts a signature.
		if (lines[i].trim() === '--') break;
		const line = lines[i].trim();
		if (line) out.push(line);
		if (out.length >= REPLY_TEXT_LINES) break;
	}
	// A greeting alone above the quote ("Hallo Frau Muster,"; The Bat!'s and Apple Mail's bottom posts):
	// the answer is below it.
	// (The addressee at most, abbreviated or not, "Hallo Fr. Weber,"; "Hallo, bezahlt am 3.3" and a
	// line ending in a full stop say more.)
	const greets = (l: string) => SALUTATION.test(l) && !l.endsWith('.');
	const shown = out.length && !out.every(greets) ? out : [...out, ...textBelowQuote(lines)].slice(0, REPLY_TEXT_LINES);
	const joined = shown.join('\n');
	return joined.length > REPLY_TEXT_CHARS ? `${joined.slice(0, REPLY_TEXT_CHARS - 1)}…` : joined;
}

/** The To/Cc lines of a reminder quoted in a forward ("An: Kunde <kunde@…>"), lower case, joined. */
function quotedRecipientLines(text: string): string {
	return linesOf(unquoted(text))
		.filter((l) => /^\*?(?:to|an|cc|kopie|à|a|para|aan|do|kime|кому|收件人|宛先)\s?[:：]/i.test(l.trim()))
		.join('\n')
		.toLowerCase();
}

/** The text with quote markers ("> > ") taken off every line, so that quoted header lines read as lines. */
function unquoted(text: string): string {
	return linesOf(cut(text, LIMITS.textChars))
		.map((l) => trimStartChars(l, '> \t'))
		.join('\n');
}

/**
 * The facts of a reply to one of our reminders, or null when the message is not one.
 * `fromMailSystem`: sentByMachine(headers) (report-origin.ts); false for a would-be report already found to be no mail system's.
 */
export function replyToReminder(headers: Map<string, string[]>, subject: string, text: string, fromMailSystem: boolean, carried: Correlation = emptyCorrelation()): ReplyFacts | null {
	if (fromMailSystem) return null;
	// RFC 3834 §5: anything but "Auto-Submitted: no" was not written by a person.
	const autoSubmitted = (headers.get('auto-submitted')?.[0] ?? '').trim().toLowerCase();
	if (autoSubmitted && !autoSubmitted.startsWith('no')) return null;
	const byId = reminderIdIn(headers);
	const quoted = correlationFromText(unquoted(text));
	const quotesOurs = namesOurReminder(quoted);
	// A customer who forwards our reminder back to us ("WG: 2. Mahnung", the reminder inline or
	// attached, with a line of their own) writes about it as much as one who replies. Only from an
	// address the copy shows it was sent to: a colleague passing a reminder on is no customer.
	// (`carried` is the attached reminder's correlation, given only when it was sent to the sender.)
	const forwarded = isForwardSubject(subject);
	const sender = addressesIn(headers, ['from'], 1)[0]?.toLowerCase() ?? '';
	const quotesOursToSender = quotesOurs && !!sender && quotedRecipientLines(text).includes(sender);
	const carriesOurs = namesOurReminder(carried);
	const replied = isReplySubject(subject);
	// A person who attaches our reminder sent to them (their IT asking "is this genuine?", "Spam
	// report … we paid on 20.02.") writes about it whatever the subject says; a list robot's notice
	// (RFC 2919 List-Id, "Precedence: bulk") that returns it does not.
	const fromList = headers.has('list-id') || /^(?:bulk|list|junk)$/i.test((headers.get('precedence')?.[0] ?? '').trim());
	const attachedOurs = carriesOurs && (forwarded || replied || !fromList);
	if (!byId && !(quotesOurs && replied) && !attachedOurs && !(forwarded && quotesOursToSender)) return null;
	let correlation = emptyCorrelation();
	if (byId) correlation = { ...correlation, originalMessageId: byId.id, level: byId.level };
	// Quoted headers fill in what the Message-ID cannot say (the invoice: the ID holds only a hash).
	correlation = mergeCorrelation(correlation, quotesOurs ? quoted : emptyCorrelation());
	if (carriesOurs) correlation = mergeCorrelation(correlation, carried);
	return { correlation, text: newReplyText(text) };
}
