import { anyPhrase } from './phrases';
import { hasNullReturnPath } from './bounce-signature';
import { reminderCorrelationFromHeaders } from './reply';
import { sentByMachine } from './report-origin';

/**
 * Auto-reply recognition: RFC 3834 `Auto-Submitted: auto-replied` and the headers and subjects
 * that vacation responders (Exchange, Gmail, Dovecot Sieve, Zimbra, web mailers) set instead.
 * `Auto-Submitted: auto-generated` is not enough: delivery reports carry it too.
 */
const SUBJECT_RE =
	/^(?:auto(?:matic|matische?)?[- ]?(?:reply|response|answer|antwort|respuesta|risposta|r[ée]ponse|svar)|auto:|out of (?:the )?office|ooo\b|abwesenheit(?:s?(?:notiz|meldung|nachricht|info(?:rmation)?|hinweis|assistent|benachrichtigung|mitteilung|antwort))?(?![a-zäöüß])|abwesend(?![a-zäöüß])|urlaub(?:s(?:notiz|meldung|abwesenheit|info(?:rmation)?|hinweis|benachrichtigung|mitteilung))?(?![a-zäöüß])|vacation(?![a-z])|away (?:from|until|till|on)|i am (?:away|out)|on annual leave\b|absen(?:ce|te?)(?=\s*(?:[:(–-]|$|du |from |until |jusqu))|r[ée]ponse automatique|respuesta autom[áa]tica|fuera de la oficina|risposta automatica|fuori (?:sede|ufficio)|autosvar|afwezig|automatisch antwoord|poza biurem|nieobecno|автоответ|отпуск|odpowied[źz] automatyczna|automatyczna odpowied[źz]|fr[åa]nvaro|risposta non al computer|non al computer|nep[řr][íi]tomnost|otomatik yan[ıi]t|автоматический ответ|resposta autom[áa]tica|automatick[áa] odpov[ěe][ďd]|automatiske? svar|automatiskt svar|automaattinen vastaus|automatikus v[áa]lasz|αυτόματη απάντηση|自動応答|自動返信|自動回覆|自动回复|不在(?:の)?(?:お知らせ|通知)|자동 ?(?:회신|응답))/i;
/**
 * Lotus Notes/Domino's out-of-office subject is the whole sentence, the person's name first: "Peter
 * Schmidt is out of the office." / "… ist außer Haus". Never under a reply prefix: "AW: … unser
 * Buchhalter ist außer Haus" is a person writing.
 */
const NAMED_ABSENCE = /^[^:]{1,80}\s(?:is out of (?:the )?office|ist au(?:ß|ss)er haus)\.?$/i;

const OOO_SUFFIX = /\((?:out of (?:the )?office(?: reply)?|abwesenheitsnotiz|automatische antwort|auto(?:matic)?[- ]reply)\)\s*$/i;

/** Reply and forward prefixes ("AW: Re: Fwd:"), read one at a time so that many of them cost linear time. */
const REPLY_PREFIX = /\s*(?:re|aw|fwd?|wg)\s*:\s*/iy;

/** The first 1000 characters of the subject after its reply and forward prefixes, however many. */
export function subjectWithoutPrefixes(subject: string): string {
	REPLY_PREFIX.lastIndex = 0;
	let at = 0;
	while (REPLY_PREFIX.exec(subject)) at = REPLY_PREFIX.lastIndex;
	return subject.slice(at, at + 1000).trimStart();
}

function subjectSaysAutoReply(subject: string): boolean {
	// A person answering an automatic reply ("Re: AW: Frånvaro: …", "RE: Absence du 9 au 20 mars")
	// writes under its subject: only a subject that starts with the word is a responder's.
	REPLY_PREFIX.lastIndex = 0;
	if (REPLY_PREFIX.test(subject)) return false;
	// Japanese mailers bracket the word: "【自動返信】不在のお知らせ".
	const bare = subjectWithoutPrefixes(subject).replace(/^[[【(（]\s*/, '');
	return SUBJECT_RE.test(bare) || (bare === subject.trim() && NAMED_ABSENCE.test(bare));
}

/**
 * What a responder leaves on its message and a person's reply does not carry: any Auto-Submitted but
 * "no" (RFC 3834 §5: auto-generated too), the null return path (§3.3), the "Precedence: bulk/junk"
 * of Unix vacation, iCloud's "X-Apple-Action: VACATION", Exchange's X-Auto-Response-Suppress and
 * inbox-rule stamp; or a mail system's or no-reply mailbox as the sender.
 */
function hasResponderMark(headers: Map<string, string[]>, first: (k: string) => string): boolean {
	const autoSubmitted = first('auto-submitted');
	if (autoSubmitted && !autoSubmitted.startsWith('no')) return true;
	if (/^(?:bulk|junk)$/.test(first('precedence')) || first('x-apple-action').startsWith('vacation')) return true;
	if (headers.has('x-auto-response-suppress') || headers.has('x-ms-exchange-inbox-rules-loop')) return true;
	// (The marks replyToReminder refuses: an absence note demoted for lack of a mark stays a reply.)
	return sentByMachine(headers);
}

/**
 * `quotesOriginal`: the text quotes the message it answers, as a person's reply does and responders
 * do not. With no header of a responder, the subject alone is no proof then: a customer who retitles
 * the answer "Urlaubsbedingte Verzögerung" or "Abwesenheit unserer Buchhalterin" is writing.
 * Nor is it proof for a message that answers one of our reminders (In-Reply-To/References) with no
 * mark of a responder on it: a customer who writes "Urlaub – Zahlung kommt am 20.3." from a phone,
 * quoting nothing, must be read by a person (DESIGN: when unsure), not count the reminder as arrived.
 */
export function isAutoReply(headers: Map<string, string[]>, quotesOriginal: () => boolean = () => false): boolean {
	const first = (k: string) => headers.get(k)?.[0]?.toLowerCase().trim() ?? '';
	const autoSubmitted = first('auto-submitted');
	if (autoSubmitted.startsWith('auto-replied')) return true;
	if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-autoresponder')) return true;
	if (/^(?:yes|true|1)$/.test(first('x-auto-reply')) || headers.has('x-vacation')) return true;
	if (/auto[_-]?reply/.test(first('precedence'))) return true;
	// GroupWise's rule answers "Re: <subject> (Out of Office reply)": under a reply prefix a person
	// writes too, so only as the null envelope sender RFC 3834 §3.3 asks responders to use.
	if (hasNullReturnPath(headers) && OOO_SUFFIX.test(first('subject').slice(-200))) return true;
	if (!subjectSaysAutoReply(first('subject')) || quotesOriginal()) return false;
	return hasResponderMark(headers, first) || !reminderCorrelationFromHeaders(headers).originalMessageId;
}

/**
 * An automatic answer that says the person or the address is gone ("ist nicht mehr für uns tätig",
 * "this mailbox is no longer monitored", "cette adresse n'est plus utilisée", "my email address has
 * changed"), often with the address to use instead. Dunning must not take it as "arrived": a person
 * has to read it and change the customer's address. Absence words ("bis 10.12. nicht im Büro") are
 * not among these.
 */
export const CONTACT_GONE = anyPhrase(
	// German
	/(?:dies(?:e|es)|mein(?:e)?|die|das|unser(?:e)?) (?:e-?mail-?)?(?:adresse|postfach|mailbox)[^.\n]{0,40} (?:wird|ist) (?:ab sofort )?nicht mehr (?:gelesen|abgerufen|verwendet|genutzt|aktiv|betreut|überwacht|in gebrauch|gültig)/,
	/(?:ist|bin) (?:seit (?:dem )?(?:\d{1,2}\.(?: ?\d{1,2}\.(?:\d{2,4})?| ?[a-zä]+(?: \d{4})?)|[^.\n]{1,30}) )?nicht mehr (?:für uns|für die (?:[^.\n]|(?<=\b(?:co|ltd|inc|corp|e|v))\.){1,60}?|bei uns|bei der [^.\n]{1,60}?|in unserem (?:unternehmen|hause?)|im unternehmen) (?:tätig|beschäftigt)/,
	/(?:ist|bin) nicht mehr im unternehmen/,
	/(?:hat|habe) (?:das|unser) unternehmen verlassen/,
	/(?:hat|habe) (?:die|unsere) firma verlassen/,
	/aus (?:dem|unserem) unternehmen ausgeschieden/,
	/arbeitet nicht mehr (?:bei|für)\b/,
	/(?:meine|unsere) e-?mail-?(?:adressen? ha(?:t|ben)|domain hat) sich geändert\b/,
	/\b(?:wir haben|we have) (?:unsere|our) e-?mail-?(?:adressen|addresses) (?:umgestellt|geändert|changed)\b/,
	// English
	/(?:this|my|the|our) (?:e-?mail )?(?:address|mailbox|inbox|account)[^.\n]{0,40} (?:is|will be|has been) no longer (?:in use|monitored|active|valid|being (?:monitored|read|checked|used)|checked|read)(?![^.\n]{0,40}\b(?:until|till|over|during|between|while|at weekends|on weekends)\b)/,
	/(?:my|our) (?:(?:accounts? payable|ap|invoic(?:e|ing)|billing|finance|accounting) )?e-?mail[- ]?(?:address(?:es)?|domain) (?:has|have) changed/,
	/\b(?:am|is|are) no longer (?:with (?:the|our) (?:company|organi[sz]ation|firm)|employed (?:by|at|with)|working (?:for|at|with)|part of (?:the|our) (?:company|team|organi[sz]ation))/,
	/\bno longer work(?:s)? (?:at|for)\b/,
	/\b(?:is|am) no longer with [^.\n,]{2,40}? (?:gmbh|ltd|inc|ag|kg|llc|plc|sa|bv|srl|spa)\b/,
	/\b(?:has |have |had )?left (?:the|our) (?:company|organi[sz]ation|firm|business)\b/,
	// French
	/(?:cette|mon|notre) (?:adresse|bo[iî]te)[^.\n]{0,40} n['’]est plus (?:utilis[ée]e|active|consult[ée]e|relev[ée]e|valide)/,
	/(?:ne (?:fait|fais) plus partie|ne travaille plus) (?:de|chez|pour)/,
	/a quitt[ée] (?:la|notre) soci[ée]t[ée]/,
	/a quitt[ée] (?:l['’]|notre )entreprise/,
	// Spanish
	/ya no (?:trabaja|forma parte) (?:en|con|de)/,
	/ha dejado la empresa/,
	/ya no está en uso/,
	// Italian
	/non lavora più (?:per|presso|con)/,
	/ha lasciato (?:l['’]azienda|la società)/,
	/non fa più parte (?:di|della|dell['’])/,
	/(?:questo|questa) (?:indirizzo|casella)[^.\n]{0,40} non è più (?:attiv[ao]|in uso|utilizzat[ao]|monitorat[ao])/,
	// Dutch
	/(?:dit|deze) (?:e-?mail-?)?(?:adres|mailbox)[^.\n]{0,40} (?:is |wordt )?niet (?:meer|langer) (?:in gebruik|gelezen|gebruikt)/,
	/(?:is|ben) niet (?:meer|langer) (?:werkzaam bij|in dienst)/,
	/heeft het bedrijf verlaten/,
	/\bis uit dienst\b/,
	// The address itself, in Spanish, Polish, Czech, Danish and Swedish
	/(?:esta|mi|nuestra) (?:dirección|cuenta|buzón)[^.\n]{0,40} ya no está (?:activa?|en uso)/,
	/\b(?:ten|ta|mój) (?:adres|skrzynka)[^.\n]{0,40} nie jest już (?:obsługiwan[ay]|używan[ay]|aktywn[ay])/,
	/\b(?:tato|moje) adresa[^.\n]{0,40} (?:již|už) není (?:používána|aktivní)/,
	/\b(?:denne|min) (?:e-?mail|mail)?adresse[^.\n]{0,40} er ikke (?:længere|mere) (?:aktiv|i brug)/,
	/\b(?:denna|den här|min) (?:e-?post)?adress[^.\n]{0,40} (?:läses|används) inte längre/,
);

/**
 * An address no one reads ("this mailbox is not monitored", "E-Mails an diese Adresse werden nicht
 * gelesen") or a person no longer here ("ist nicht mehr im Hause / bei uns"): gone for good only when
 * the note names no absence. Out-of-office notes say the same for a while ("during my absence",
 * "outside business hours", "bis 06.01. im Urlaub", "heute nicht mehr im Hause").
 */
export const UNREAD = anyPhrase(
	// German
	/(?:ist|bin) nicht mehr (?:im hause?|bei uns)\b/,
	/(?:hat|habe) (?:uns|unser haus|das unternehmen|die firma) (?:(?:[^.\n]|\.(?=\d)){1,20} )?verlassen/,
	/\bihre (?:e-?mail|nachricht) wird (?:[^.\n]{1,40} )?nicht (?:mehr )?gelesen/,
	/(?:e-?mails?|nachrichten) an diese (?:e-?mail-?)?adresse werden nicht (?:gelesen|bearbeitet)/,
	/(?:dieses|das) postfach wird nicht (?:gelesen|überwacht|betreut)/,
	/(?:diese|die) (?:e-?mail-?)?adresse wird nicht (?:gelesen|überwacht|betreut|bearbeitet)/,
	// (An invoice-only inbox: reminders sent there are not worked on; not "not processed automatically",
	// "not before 15 January": worked on, later or by hand.)
	/\b(?:mahnungen|zahlungserinnerungen)\b[^.\n]{0,80} werden nicht (?:bearbeitet|gelesen|beantwortet)\b(?! (?:automatisch|maschinell|vor|bis)\b)/,
	/\bwerden (?:mahnungen|zahlungserinnerungen)\b[^.\n]{0,80} nicht (?:bearbeitet|gelesen|beantwortet)\b(?! (?:automatisch|maschinell|vor|bis)\b)/,
	/\breminders\b[^.\n]{0,80} (?:are not|will not be) (?:processed|read)\b(?! (?:automatically|before|until|during)\b)/,
	// English
	/(?:this|the|our) (?:e-?mail )?(?:address|mailbox|inbox)[^.\n]{0,40} (?:is|are) not (?:monitored|read|checked)/,
	// English and German
	/\b(?:mailbox|account|e-?mail account|(?:this|e-?mail) address|postfach|e-?mail-?(?:adresse|konto)) (?:will be|has been|is being|wird|wurde) (?:deleted|closed|deactivated|shut down|decommissioned|discontinued|gelöscht|deaktiviert|aufgelöst)\b/,
);

/**
 * Mail to this address deleted unread (DSGVO notes: "An diese Adresse gesendete E-Mails werden
 * ungelesen gelöscht"). Not "Antworten an noreply@… werden ungelesen gelöscht": a no-reply
 * acknowledgement's own box; `this-address` is the note's own address (saysContactGone).
 */
export const DELETED_UNREAD = anyPhrase(
	/\bihre (?:e-?mail|nachricht) (?:wird|wurde) (?:[^.\n]{1,30} )?(?:ungelesen|ungeöffnet|ohne (?:sie )?zu lesen|ohne kenntnisnahme) gelöscht/,
	/\ban (?:diese (?:e-?mail-?)?adresse|dieses postfach|this-address)\b(?:[^.\n]|(?<=\d)\.){0,60} (?:ungelesen|ungeöffnet|ohne (?:sie )?zu lesen|ohne kenntnisnahme) gelöscht/,
	/\b(?:eingehende|alle) (?:e-?mails?|nachrichten) werden (?:[^.\n]{1,30} )?(?:ungelesen|ungeöffnet|ohne (?:sie )?zu lesen|ohne kenntnisnahme) gelöscht/,
	/(?:deleted|discarded) (?:without being read|unread)/,
);

/**
 * Only some mail deleted (advertising, attachments, macros; replies to a no-reply acknowledgement),
 * named before the deletion, or a condition right after it: the box is read.
 */
const SOME_MAIL_ONLY = /\b(?:werb|spam|newsletter|anh(?:ä|ae)ng|makro|macro|attachment|advertis|antwort|repl(?:y|ies)\b)/i;
const ON_CONDITION = /^,?\s{0,3}(?:wenn|falls|sofern|es sei denn|au(?:ß|ss)er|if|unless|when|except)\b/i;
/** The deletion is of what is sent to this address (not of the reader's message). */
const TO_THIS_BOX = /\ban (?:diese|dieses|this-address)\b|\bto this (?:address|mailbox)\b/i;

/**
 * (Sentences end at a stop, not at a date's: "seit dem 1. März". What is deleted is the word before
 * the phrase and the phrase: "Werbe-E-Mails an diese Adresse", not "wegen der Spam-Belastung".)
 * `noReply`: the note comes from a no-reply box, whose own deletions say nothing of the customer's.
 */
function saysDeletedUnread(flat: string, noReply: boolean): boolean {
	return flat.split(/(?<=\D[.!?])\s/).some((sentence) => {
		const m = DELETED_UNREAD.exec(sentence);
		if (!m) return false;
		const end = m.index + m[0].length;
		const what = `${sentence.slice(Math.max(0, m.index - 40), m.index).trimEnd().split(/\s+/).pop() ?? ''} ${m[0]}`;
		if (noReply && TO_THIS_BOX.test(m[0])) return false;
		return !SOME_MAIL_ONLY.test(what) && !ON_CONDITION.test(sentence.slice(end, end + 20));
	});
}

/**
 * Someone no longer here, in English, French, Italian, Spanish, Dutch, Polish, Czech, Danish and
 * Swedish: the writer, or a colleague an out-of-office names beside the writer's own leave. Gone
 * for good only in a note that names no leave of the writer (LEAVE): a handover note's dates and
 * office hours ("until", "jusqu'au", "closed on Saturdays") do not make it an absence.
 */
export const LEFT = anyPhrase(
	/\bis no longer with us\b/,
	/n['’]est plus en poste\b/,
	/non è più in servizio\b/,
	/ya no pertenece a\b/,
	/\bwerkt niet (?:meer|langer) (?:bij|voor)\b/,
	/\bnie pracuje już (?:w|dla)\b/,
	/\bjiž (?:ve společnosti |u nás |pro nás )?nepracuje\b/,
	/\ber fratrådt\b/,
	// (no \b after "å": it is no word character to JavaScript)
	/\bhar slutat (?:på|hos)\s/,
);

/** The writer's own leave: holiday, parental or sick leave, away from the office, in those languages and German. */
export const LEAVE = anyPhrase(
	// ("bank holidays" of an office-hours footer is none)
	// (nor "closed over the Christmas holidays", nor a leaver's "this out of office message stays on")
	/\b(?:on (?:annual |parental |paternity |maternity |sick )?leave|(?:parental|paternity|maternity) leave|on (?:my )?(?:\w+ )?(?:holiday|vacation)|(?:my|annual) (?:holidays?|vacation|leave)|off sick|(?:i am|i'm|i will be|currently) out of (?:the )?office|i(?: am|'m| will be) (?:away|attending)|travel(?:l)?ing|on (?:a )?business trip)\b/,
	/\b(?:urlaub|elternzeit|mutterschutz|krank|abwesend|nicht im (?:b(?:ü|ue)ro|haus)|dienstreise|gesch(?:ä|ae)ftsreise)\b/,
	/\b(?:congé|vacances|je (?:suis|serai) absente?|absente? du bureau|en déplacement)/,
	/\b(?:in ferie|(?:sono|sarò) assente|in malattia|fuori (?:ufficio|sede))/,
	/\b(?:de vacaciones|(?:estoy|estaré) ausente|fuera de la oficina|de viaje\b)/,
	/\b(?:vakantie|verlof|ben afwezig|niet op kantoor|ziek)\b/,
	/\b(?:urlop|jestem nieobecn|poza biurem)/,
	/\b(?:dovolen|jsem nepřítomn|po návratu)/,
	// (Swedish "under semester" of a staffing note is none)
	/\b(?:(?:har|på|holder) (?:ferie|semester)|är ledig|er syg|är sjuk)\b/,
);
export const ABSENCE = anyPhrase(
	// English: away, travelling, sick, a time it ends, hours
	/\b(?:absen(?:ce|t)|away|leave|holidays?|vacation|sabbatical)\b/,
	/\b(?:travel(?:l)?ing|on (?:a |my )?(?:business )?trip|at (?:a|the) conference)\b/,
	/\b(?:off sick|sick leave|out sick)\b/,
	// ("till" only before a time: Swedish "till" is "to", "skickas till ekonomi@…")
	/\b(?:not in (?:the office )?today|out of (?:the )?office|until|till (?:the |\d|mon|tue|wed|thu|fri|sat|sun|next|end|further)|return\w*|back (?:in|on|at)|reopen\w*|next week|weekends?)\b/,
	/\b(?:outside (?:of )?(?:our )?(?:business|office) hours|working day|closed)\b/,
	/\b(?:training|seminar|workshop|this week)\b|\bon (?:a |the )?course\b/,
	// German
	/\b(?:abwesen\w*|urlaub|elternzeit|mutterschutz|(?:betriebs)?ferien)\b/,
	/\b(?:dienstreise|gesch(?:ä|ae)ftsreise|auf (?:der|einer) (?:messe|konferenz|tagung))\b/,
	/\b(?:krank(?:geschrieben)?|erkrankt|krankheit)\b/,
	/\b(?:heute nicht|wieder aktiviert|bis (?:einschlie(?:ß|ss)lich |zum |zur )?\d|bis (?:anfang|mitte|ende)\b|zur(?:ü|ue)ck|wieder (?:im b(?:ü|ue)ro|da|erreichbar|f(?:ü|ue)r sie da)|nicht (?:im b(?:ü|ue)ro|erreichbar)|wochenende)\b/,
	/\b(?:au(?:ß|ss)erhalb (?:unserer )?gesch(?:ä|ae)ftszeiten|geschlossen|feiertag\w*|zwischen den jahren|jahreswechsel\w*|jahresabschluss\w*|inventur)\b/,
	/\b(?:r(?:ü|ue)ckkehr|nicht im hause?|schulung|seminar|fortbildung|weiterbildung|bis (?:einschlie(?:ß|ss)lich )?(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag))\b/,
);

export function saysContactGone(text: string, ownAddress: string | null = null): boolean {
	// The note's own address stands in a sentence as one word ("Die E-Mail-Adresse k.schulz@… ist nicht
	// mehr gültig"); another address it names (an old one, a colleague's) keeps its dots and ends it.
	const own = ownAddress?.toLowerCase();
	const head = text
		.slice(0, 4000)
		.split(/(\s+)/)
		.map((word) => (own && word.includes('@') && word.toLowerCase().includes(own) ? 'this-address' : word))
		.join('');
	const flat = head.replace(/\s+/g, ' ');
	// Absence words count in the note, not in its signature (below "-- ", RFC 3676 §4.3: a successor
	// named Sick, a hospital, a trade-fair calendar).
	const note = head.split(/^-- ?$/m)[0].replace(/\s+/g, ' ');
	// A no-reply sender's own box deletes what is sent to it; the reminder's address is another.
	const noReply = /^(?:no-?reply|do-?not-?reply|donotreply)\b/i.test(own ?? '');
	return CONTACT_GONE.test(flat) || ((UNREAD.test(flat) || saysDeletedUnread(flat, noReply)) && !ABSENCE.test(note)) || (LEFT.test(flat) && !LEAVE.test(note));
}
