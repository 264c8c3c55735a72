/**
 * Auto-reply recognition: RFC 3834 `Auto-Submitted: auto-replied` and the headers and subjects
 * that vacation responders (Exchange, Gmail, Dovecot Sieve, Zimbra, web mailers) set instead.
 * `Auto-Submitted: auto-generated` is not enough: delivery reports carry it too.
 */
const SUBJECT_RE =
	/^(?:auto(?:matic|matische?)?[- ]?(?:reply|response|answer|antwort|respuesta|risposta|r[ée]ponse|svar)|auto:|out of (?:the )?office|ooo\b|abwesenheit|abwesend|urlaub|vacation|away (?:from|until|till|on)|i am (?:away|out)|absence|absent|r[ée]ponse automatique|respuesta autom[áa]tica|fuera de la oficina|risposta automatica|fuori (?:sede|ufficio)|autosvar|afwezig|automatisch antwoord|poza biurem|nieobecno|автоответ|отпуск)/i;

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
	return SUBJECT_RE.test(subjectWithoutPrefixes(subject));
}

export function isAutoReply(headers: Map<string, string[]>): boolean {
	const first = (k: string) => headers.get(k)?.[0]?.toLowerCase().trim() ?? '';
	const autoSubmitted = first('auto-submitted');
	if (autoSubmitted.startsWith('auto-replied')) return true;
	if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-autoresponder')) return true;
	if (/^(?:yes|true|1)$/.test(first('x-auto-reply')) || headers.has('x-vacation')) return true;
	if (/auto[_-]?reply/.test(first('precedence'))) return true;
	if (first('x-ms-exchange-inbox-rules-loop') || first('x-ms-exchange-generated-message-source').includes('mailbox rules')) {
		if (subjectSaysAutoReply(first('subject'))) return true;
	}
	return subjectSaysAutoReply(first('subject'));
}
