/**
 * SMTP session transcripts in delivery reports: Sendmail's ">>> RCPT To:<a>" / "<<< 550 …",
 * MDaemon's "… --> RCPT To:<a>" / "… <-- 550 …", and bare command and reply lines. A reply answers
 * the oldest command still waiting for one: with PIPELINING (RFC 2920 §3.1) a client sends
 * several commands before reading, and the server answers them in the order they were sent; without
 * it, the oldest waiting command is simply the last one sent. Pairing in order gives each RCPT its
 * own reply, which is what tells one recipient's fate from another's in a report about several.
 */

export interface TranscriptExchange {
	/** The verb: "RCPT TO", "DATA", "MAIL FROM" … upper case; "CONNECT" for the server's greeting. */
	command: string;
	/** The address of an RCPT TO command; else null. */
	recipient: string | null;
	/** Line indexes: the command's, then its reply's (several for a multi-line reply); the greeting's reply alone. */
	lines: number[];
	/** The reply's code (its last line), or null when the transcript shows no reply. */
	code: number | null;
	/** Which connection, counted from 0: a report may show one per host. */
	session: number;
}

/** Sendmail's ">>>", MDaemon's "-->" after a time stamp. */
const MARKED_COMMAND = /^.{0,60}?(?:>>>|-->)\s*(MAIL FROM|RCPT TO|DATA|BDAT|QUIT|RSET|EHLO|HELO|LHLO|STARTTLS|AUTH)\b:?(.*)$/i;
const MARKED_REPLY = /^.{0,60}?(?:<<<|<--)\s*([2-5]\d\d)([ -]|$)/;
/**
 * Without markers, only a line that is a command in RFC 5321's own form ("RCPT TO:<a>", "DATA"
 * alone): Postfix wraps "(in reply to RCPT TO command)" so that a line starts "RCPT TO command)".
 */
const BARE_COMMAND = /^\s*(?:(MAIL FROM|RCPT TO):(\s*<.*)$|(DATA|QUIT|RSET|STARTTLS)\s*$|(EHLO|HELO|LHLO) \S+\s*$)/i;
const BARE_REPLY = /^\s*([2-5]\d\d)([ -]|$)/;
const RCPT_ADDRESS = /^<?\s*([^\s<>@]{1,64}@[^\s<>@]{1,255})/;
const ADDRESS_IN_BRACKETS = /<([^\s<>@]{1,64}@[^\s<>@]{1,255})>/g;
/** A new connection: what is still waiting belongs to the session that ended. */
const NEW_SESSION = /\bwhile talking to\b|\bconnect(?:ion|ing)? to\b/i;
/** A transcript's own heading: Sendmail's "----- Transcript of session follows -----", MDaemon's "--- Session Transcript ---". */
const TRANSCRIPT_HEADING = /^\s*--.*\btranscript\b|\btranscript of (?:the )?session\b|\bsession transcript\b|\bsmtp transcript\b/i;
/** Words that only answer DATA or the message: no RCPT was refused so. */
const ANSWERS_DATA = /no valid recipients|need (?:rcpt|recipient)|start mail input|end data with/i;

function parseCommand(line: string, marked: boolean): { verb: string; rest: string } | null {
	const m = (marked ? MARKED_COMMAND : BARE_COMMAND).exec(line);
	if (!m) return null;
	const verb = (m[1] ?? m[3] ?? m[4] ?? '').toUpperCase().replace(/\s+/g, ' ');
	return { verb, rest: (m[2] ?? '').trim() };
}

/**
 * The exchanges of the transcripts in `lines`, in order, and the line each session starts at
 * (session 0 at line 0). Marked lines are read when there are any; bare lines only when a bare
 * "RCPT TO:<…>" starts a line (a report's own "550 <a>... User unknown" summary lines are no
 * replies). None when the pairing cannot be right: commands left out of the log, a reply to an
 * RCPT that only answers DATA, or one that names another RCPT's address (a reply left out, or
 * replies out of order).
 */
function parseTranscript(lines: string[]): { exchanges: TranscriptExchange[]; sessionStarts: number[] } {
	const sessionStarts = [0];
	// Sendmail logs a refused greeting as a "<<<" line with no ">>>" before it (usersmtp.c).
	const marked = lines.some((l) => MARKED_COMMAND.test(l) || MARKED_REPLY.test(l));
	if (!marked && !lines.some((l) => /^\s*rcpt to:\s*</i.test(l))) return { exchanges: [], sessionStarts };
	const replyRe = marked ? MARKED_REPLY : BARE_REPLY;
	const exchanges: TranscriptExchange[] = [];
	let waiting: TranscriptExchange[] = [];
	let session = 0;
	// A reply after the session's commands were all answered: the log left commands out (Sendmail
	// shows only the last command it sent before an error, so a pipelined RCPT's refusal follows
	// ">>> DATA"), and no reply can be paired by order.
	let commandsLeftOut = false;
	lines.forEach((line, index) => {
		const command = parseCommand(line, marked);
		if (command) {
			const address = command.verb === 'RCPT TO' ? RCPT_ADDRESS.exec(command.rest)?.[1] : undefined;
			const exchange: TranscriptExchange = { command: command.verb, recipient: address ?? null, lines: [index], code: null, session };
			exchanges.push(exchange);
			waiting.push(exchange);
			return;
		}
		const reply = replyRe.exec(line);
		if (!reply) {
			if (NEW_SESSION.test(line) || TRANSCRIPT_HEADING.test(line)) {
				waiting = [];
				session++;
				sessionStarts.push(index);
			}
			return;
		}
		// A reply with nothing waiting is the greeting ("<<< 554 … blocked using …" refuses the
		// connection), or the start of the transcript was cut: then it answers nothing we can name. A
		// bare line is no greeting: a report's own text quotes replies too.
		if (!waiting.length) {
			if (exchanges.some((e) => e.session === session)) {
				commandsLeftOut = true;
				return;
			}
			if (!marked) return;
			const greeting: TranscriptExchange = { command: 'CONNECT', recipient: null, lines: [], code: null, session };
			exchanges.push(greeting);
			waiting.push(greeting);
		}
		waiting[0].lines.push(index);
		// "250-…" continues a multi-line reply; "250 …" ends it (RFC 5321 §4.2.1). DATA's "354" asks
		// for the message: the reply after it is DATA's final answer (§4.1.1.4).
		const code = Number(reply[1]);
		if (reply[2] !== '-' && !(code === 354 && waiting[0].command === 'DATA')) {
			waiting[0].code = code;
			waiting.shift();
		}
	});
	return { exchanges: !commandsLeftOut && pairedRightly(exchanges, lines) ? exchanges : [], sessionStarts };
}

function pairedRightly(exchanges: TranscriptExchange[], lines: string[]): boolean {
	const rcpts = new Set(exchanges.map((e) => e.recipient?.toLowerCase()).filter((a): a is string => !!a));
	return exchanges.every((e) => {
		if (!e.recipient) return true;
		const reply = e.lines.slice(1).map((i) => lines[i]).join('\n');
		if (ANSWERS_DATA.test(reply)) return false;
		const named = [...reply.matchAll(ADDRESS_IN_BRACKETS)].map((m) => m[1].toLowerCase());
		return !named.some((a) => a !== e.recipient?.toLowerCase() && rcpts.has(a));
	});
}

/** True for a reply that refused the command: 4xx or 5xx. */
function refused(exchange: TranscriptExchange): boolean {
	return exchange.code !== null && exchange.code >= 400;
}

/**
 * A permanent refusal for a reason of its own: not "503 Bad sequence of commands" after an earlier
 * refusal, nor a 4xx that a later session may have overtaken (a greylisting host, then our sender
 * refused at the next attempt).
 */
function refusedOnItsOwn(exchange: TranscriptExchange): boolean {
	return exchange.code !== null && exchange.code >= 500 && exchange.code !== 503;
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

/** What a transcript says about one recipient. */
export interface RecipientTranscript {
	/** Whether the report line at this index may be read as the recipient's words. */
	keep: (index: number) => boolean;
	/** The exchanges that refused the recipient, in the order of the report. */
	refusals: TranscriptExchange[];
}

/** A Sendmail verdict line after its replies: "550 5.1.1 <a@example.org>... User unknown". */
export const SUMMARY_LINE = /^\s*[45]\d\d(?: [45]\.\d{1,3}\.\d{1,3})? <([^\s<>@]{1,64}@[^\s<>@]{1,255})>\.\.\.\s/;

/**
 * The transcripts of a report, read per recipient. An exchange about another address's RCPT is
 * never this recipient's words; where the transcript shows exchanges that refused it, they are all
 * the transcript says about it: other exchanges (DATA's "554 5.5.1 no valid recipients" only
 * follows from its refusal) and the client's own log lines (DNS lookups of other hosts) stay out.
 */
export function readTranscript(lines: string[]): { exchanges: TranscriptExchange[]; forRecipient: (address: string) => RecipientTranscript } {
	const { exchanges, sessionStarts } = parseTranscript(lines);
	const exchangeAt = new Map<number, TranscriptExchange>();
	for (const e of exchanges) for (const i of e.lines) exchangeAt.set(i, e);
	// The transcript runs from its heading (the client's lookups after it) to its last exchange.
	let start = exchanges.length ? exchanges[0].lines[0] : lines.length;
	for (let i = start - 1; i >= 0 && exchanges.length; i--) {
		if (TRANSCRIPT_HEADING.test(lines[i])) {
			start = i;
			break;
		}
	}
	const end = Math.max(-1, ...exchanges.flatMap((e) => e.lines));
	const sessionOf = (index: number) => sessionStarts.filter((s) => s <= index).length - 1;
	// Sendmail writes each reply ("<<< 550-5.1.1 …" lines) and then its verdict on the recipients it
	// answered: with PIPELINING it shows only ">>> DATA" before them, and the summary lines after a
	// run of replies are what say whose they were.
	const summarizedFor = new Map<number, Set<string>>();
	// Per session, the recipients it names (its RCPTs and Sendmail's verdict lines).
	const named = new Map<number, Set<string>>();
	const name = (session: number, address: string) => named.set(session, (named.get(session) ?? new Set<string>()).add(address.toLowerCase()));
	for (const e of exchanges) if (e.recipient) name(e.session, e.recipient);
	for (let i = 0; i < lines.length; i++) {
		const owner = SUMMARY_LINE.exec(lines[i])?.[1];
		if (owner) name(sessionOf(i), owner);
		if (!/^\s*<<</.test(lines[i])) continue;
		let last = i;
		while (last + 1 < lines.length && /^\s*<<</.test(lines[last + 1])) last++;
		const owners = new Set<string>();
		for (let k = last + 1; k < lines.length; k++) {
			const m = SUMMARY_LINE.exec(lines[k]);
			if (!m) break;
			owners.add(m[1].toLowerCase());
		}
		if (owners.size) for (let j = i; j <= last; j++) summarizedFor.set(j, owners);
		i = last;
	}
	const namesOnly = (session: number, key: string) => [...(named.get(session) ?? [])].every((a) => a === key);
	const forRecipient = (address: string): RecipientTranscript => {
		const key = address.toLowerCase();
		const own = exchanges.filter((e) => e.recipient?.toLowerCase() === key);
		let refusals: TranscriptExchange[];
		if (own.some(refusedOnItsOwn)) refusals = own.filter(refused);
		else {
			// Refusals before any RCPT (greeting, MAIL FROM: RFC 5321 §3.3 ends the transaction) are every
			// recipient's of their session: of the recipient's own sessions, and of the later attempts
			// that got no RCPT out and name no other recipient (greylisted first, our sender refused at
			// the next host); a report that does not name the recipient in its transcript shares them
			// only from its one session that names no other recipient.
			const lastOwn = Math.max(-1, ...own.map((e) => e.session));
			const others = new Set(exchanges.map((e) => e.session).filter((s) => namesOnly(s, key) && (own.length ? s > lastOwn : true)));
			const sessions = own.length ? new Set([...own.map((e) => e.session), ...others]) : others.size === 1 ? others : new Set<number>();
			// A refused greeting, MAIL FROM or DATA whose reply Sendmail's verdict line gives to the recipient.
			const givenByVerdict = (e: TranscriptExchange) => e.lines.some((i) => summarizedFor.get(i)?.has(key));
			const shared = exchanges.filter((e) => e.command !== 'RCPT TO' && refused(e) && (sessions.has(e.session) || givenByVerdict(e)));
			refusals = [...own.filter(refused), ...shared].sort((a, b) => a.lines[0] - b.lines[0]);
		}
		const shown = new Set([...own, ...refusals].flatMap((e) => e.lines));
		const keep = (index: number) => {
			const summarized = summarizedFor.get(index);
			if (summarized && !summarized.has(key)) return false;
			// Inside the transcript, what a line says of this recipient by name stays too.
			if (refusals.length && index >= start && index <= end) return shown.has(index) || lines[index].toLowerCase().includes(key);
			const e = exchangeAt.get(index);
			return !e || !e.recipient || e.recipient.toLowerCase() === key;
		};
		return { keep, refusals };
	};
	return { exchanges, forRecipient };
}
