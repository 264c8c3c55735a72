/**
 * SMTP session transcripts in delivery reports: Sendmail's ">>> RCPT To:<a>" / "<<< 550 …",
 * MDaemon's "… --> RCPT To:<a>" / "… <-- 550 …", and bare command and reply lines. A reply answers
 * the oldest command still waiting for one: with PIPELINING (RFC 2920 §3.1) a client sends
 * several commands before reading, and the server answers them in the order they were sent; without
 * it, the oldest waiting command is simply the last one sent. Pairing in order gives each RCPT its
 * own reply, which is what tells one recipient's fate from another's in a report about several.
 */

export interface TranscriptExchange {
	/** The verb: "RCPT TO", "DATA", "MAIL FROM" … upper case. */
	command: string;
	/** The address of an RCPT TO command; else null. */
	recipient: string | null;
	/** Line indexes: the command's, then its reply's (several for a multi-line reply). */
	lines: number[];
	/** The reply's code (its last line), or null when the transcript shows no reply. */
	code: number | null;
	/** Which connection, counted from 0: a report may show one per host. */
	session: number;
}

/** Sendmail's ">>>", MDaemon's "-->" after a time stamp. */
const MARKED_COMMAND = /^.{0,60}?(?:>>>|-->)\s*(MAIL FROM|RCPT TO|DATA|BDAT|QUIT|RSET|EHLO|HELO|LHLO|STARTTLS|AUTH)\b:?(.*)$/i;
const MARKED_REPLY = /^.{0,60}?(?:<<<|<--)\s*([2-5]\d\d)([ -]|$)/;
/** Without markers, only lines that start with a verb or a code. */
const BARE_COMMAND = /^\s*(MAIL FROM|RCPT TO|DATA|BDAT|QUIT|RSET|EHLO|HELO|LHLO|STARTTLS|AUTH)\b:?(.*)$/i;
const BARE_REPLY = /^\s*([2-5]\d\d)([ -]|$)/;
const RCPT_ADDRESS = /^<?\s*([^\s<>@]{1,64}@[^\s<>@]{1,255})/;
/** A new connection: what is still waiting belongs to the session that ended. */
const NEW_SESSION = /\bwhile talking to\b|\bconnect(?:ion|ing)? to\b/i;

/**
 * The exchanges of the transcripts in `lines`, in order. Marked lines are read when there are any;
 * bare lines only when a bare RCPT TO command starts a line (a report's own "550 <a>... User
 * unknown" summary lines are no replies).
 */
export function transcriptExchanges(lines: string[]): TranscriptExchange[] {
	const marked = lines.some((l) => MARKED_COMMAND.test(l));
	const bare = !marked && lines.some((l) => /^\s*rcpt to\b/i.test(l));
	if (!marked && !bare) return [];
	const commandRe = marked ? MARKED_COMMAND : BARE_COMMAND;
	const replyRe = marked ? MARKED_REPLY : BARE_REPLY;
	const exchanges: TranscriptExchange[] = [];
	let waiting: TranscriptExchange[] = [];
	let session = 0;
	lines.forEach((line, index) => {
		const command = commandRe.exec(line);
		if (command) {
			const verb = command[1].toUpperCase().replace(/\s+/g, ' ');
			const address = verb === 'RCPT TO' ? RCPT_ADDRESS.exec(command[2].trim())?.[1] : undefined;
			const exchange: TranscriptExchange = { command: verb, recipient: address ?? null, lines: [index], code: null, session };
			exchanges.push(exchange);
			waiting.push(exchange);
			return;
		}
		const reply = replyRe.exec(line);
		if (!reply) {
			if (NEW_SESSION.test(line)) {
				waiting = [];
				session++;
			}
			return;
		}
		// A reply with nothing waiting is the greeting, or the start of the transcript was cut.
		if (!waiting.length) return;
		waiting[0].lines.push(index);
		// "250-…" continues a multi-line reply; "250 …" ends it (RFC 5321 §4.2.1).
		if (reply[2] !== '-') {
			waiting[0].code = Number(reply[1]);
			waiting.shift();
		}
	});
	return exchanges;
}

/** True for a reply that refused the command: 4xx or 5xx. */
export function refused(exchange: TranscriptExchange): boolean {
	return exchange.code !== null && exchange.code >= 400;
}

/** A refusal for a reason of its own, not "503 Bad sequence of commands" after an earlier refusal. */
export function refusedOnItsOwn(exchange: TranscriptExchange): boolean {
	return refused(exchange) && exchange.code !== 503;
}

/**
 * The recipients a transcript shows failed: each refused at RCPT, and each accepted one whose
 * session's DATA was refused after (then the message reached none of them). First mention wins.
 */
export function failedInTranscript(exchanges: TranscriptExchange[]): TranscriptExchange[] {
	const dataRefused = new Set(exchanges.filter((e) => (e.command === 'DATA' || e.command === 'BDAT') && refused(e)).map((e) => e.session));
	const seen = new Set<string>();
	return exchanges.filter((e) => {
		const key = e.recipient?.toLowerCase();
		if (!key || seen.has(key)) return false;
		const failed = refused(e) || (dataRefused.has(e.session) && e.code !== null);
		if (failed) seen.add(key);
		return failed;
	});
}
