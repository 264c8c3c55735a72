import type { RecipientFacts } from './types';
import { bestStatusCode, findReplyCode } from './status-code';
import { reasonFromText } from './diagnostic-reason';
import { ADDRESS_IN_TEXT_SOURCE, ADDRESS_SOURCE, LIMITS, linesOf, trimEndChars, trimStartChars } from './text-bounds';
import { SUMMARY_LINE, failedInTranscript, readTranscript } from './smtp-transcript';

/**
 * Non-standard (plain-text) bounces: qmail, Exim, Sendmail without DSN, Exchange 2003, Lotus
 * Notes, GMX/Web.de, Mail.ru, Yahoo, Google Groups… They differ in wording but share a shape:
 * an introduction, then per failed address a line that starts with (or names) the address,
 * the remote server's reply below it, then a marker and a copy of the original message.
 */

const ADDRESS = new RegExp(ADDRESS_IN_TEXT_SOURCE, 'g');
const ADDRESS_AT = new RegExp(ADDRESS_SOURCE, 'y');

/**
 * Lines that open the quoted original message (English, German, French, Spanish, Japanese-market
 * MTAs): a rule of two or more marks, then one of these words later on the line. Read as two
 * tests, since "marks, anything, word" as one pattern backtracks over a long rule.
 */
const DASHED_RULE = /^\s*\|?[-=_*>]{2}/;
const DASHED_WORDS =
	/(?:original|copy of|below this line|returned|undelivered|unsent|headers? of|message headers?|rfc822|included|message text|(?:ursprüngliche|weitergeleitete|kopie der|kopfzeilen der) nachricht|origine|messaggio|mensaje|сообщение)/i;

function isDashedMarker(line: string): boolean {
	const rule = DASHED_RULE.exec(line);
	return !!rule && DASHED_WORDS.test(line.slice(rule[0].length));
}
const ORIGINAL_MARKER_PHRASE =
	/^\s*(?:original message (?:follows|headers?|text)|(?:below|following) (?:this line )?is a copy|below is a copy|(?:the )?(?:original )?message headers? (?:follow|below)|(?:the )?headers? of the (?:original|returned) message|included is a copy|(?:here is |this is )?a copy of the (?:original )?message|original message:|original message headers|\[?original message\]?\s*$|urspr[üu]ngliche nachricht|kopie der nachricht|(?:die )?kopfzeilen der nachricht|message d'origine|mensaje original|messaggio originale|исходное сообщение|your message reads)/i;
const QUOTED_HEADER = /^(?:Return-Path|Received|Message-ID|X-Dunning-Invoice|DKIM-Signature|MIME-Version)\s*:/i;

export function splitReportText(text: string): { report: string; original: string } {
	const lines = linesOf(text);
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (((isDashedMarker(line) || ORIGINAL_MARKER_PHRASE.test(line)) && !/transcript|following (?:address|recipient)/i.test(line)) || QUOTED_HEADER.test(line)) {
			// A marker on the very first lines is a heading ("Undelivered message to …"), not the copy.
			if (i < 1 && !QUOTED_HEADER.test(line)) continue;
			return { report: lines.slice(0, i).join('\n'), original: lines.slice(i).join('\n') };
		}
	}
	return { report: lines.join('\n'), original: '' };
}

function normaliseAddress(a: string): string {
	return trimEndChars(trimStartChars(a, ".'`"), ".'`");
}

/** "Recipient address:", "Final-Recipient: rfc822;", "Empfänger:" … before an address that introduces a recipient. */
const HEADING_LABEL =
	/\s*(?:final-recipient|original-recipient|(?:failed |bad |invalid |unknown )?recipient(?:\(?s\)?)?(?: address)?|(?:failed )?address|to|rcpt to|e-?mail|empf[äa]nger|destinataire|destinatario)\s*[:=]\s*(?:rfc822;\s*)?/iy;
/** What may follow the address after white space: "on", "(", "[", "-- ", "reason", "user unknown" … */
const AFTER_SPACE = /^(?:on\s|\(|\[|-+\s|reason|because|failed|host|user|unknown|mailbox|smtp)/i;
export const SENDMAIL_SUMMARY = new RegExp(String.raw`^\s*[45]\d\d\s+<(${ADDRESS_SOURCE})>\.\.\.\s`);
const TRANSCRIPT_RCPT = /(?:rcpt to|recipient|to)\s*(?::\s*)?<\s*([^<>\s@]+@[^<>\s]+)\s*>/i;

function skip(line: string, at: number, chars: string): number {
	while (at < line.length && chars.includes(line[at])) at++;
	return at;
}

/** The address at `at` when what follows it ends a heading ("addr:", "addr ... ", "addr (reason)"); else null. */
function headingAddressAt(line: string, at: number): string | null {
	ADDRESS_AT.lastIndex = skip(line, at, '"\'<([');
	const m = ADDRESS_AT.exec(line);
	if (!m) return null;
	const after = skip(line, ADDRESS_AT.lastIndex, '"\'>)]');
	const rest = line.slice(skip(line, after, ' \t\f\v\r\n\u00a0'));
	if (rest === '' || /^(?::|\.\.\.|,|;)/.test(rest)) return m[0];
	const spaced = rest.length < line.length - after;
	return spaced && AFTER_SPACE.test(rest) ? m[0] : null;
}

/**
 * The address a line introduces: "  user@example.org", "<user@example.org>: host … said",
 * "Recipient address: user@example.org", "user@example.org ... User unknown". Read left to right
 * by hand: as one pattern, the optional quotes and spaces around the address backtrack.
 */
export function headingAddress(line: string): string | null {
	const start = skip(line, 0, ' \t\f\v\r\n\u00a0');
	HEADING_LABEL.lastIndex = start;
	if (HEADING_LABEL.exec(line)) {
		const labelled = headingAddressAt(line, HEADING_LABEL.lastIndex);
		if (labelled) return labelled;
	}
	return headingAddressAt(line, start);
}

/**
 * The further addresses of a heading that lists several ("Failed recipients: a, b", "To: a; b"):
 * only when the rest of the line is addresses separated by commas or semicolons and nothing else.
 */
function listedAfter(line: string, first: string): string[] {
	const rest = trimStartChars(line.slice(line.indexOf(first) + first.length), '>"\')] \t');
	if (!/^[,;]/.test(rest)) return [];
	const items = rest.slice(1).split(/[,;]/).map((x) => trimEndChars(trimStartChars(x.trim(), '<"\''), '>"\'').trim());
	const whole = (x: string) => {
		ADDRESS_AT.lastIndex = 0;
		return ADDRESS_AT.exec(x)?.[0] === x;
	};
	return items.length <= LIMITS.recipients && items.every(whole) ? items : [];
}

export interface PlainBounceContext {
	/** Addresses that are never the failed recipient: the original sender, the reporter. */
	exclude: Set<string>;
	/** X-Failed-Recipients (Exim) and similar header hints. */
	headerRecipients: string[];
}

/**
 * Sendmail's report lists addresses under dashed headings that say what became of them (sendmail's
 * savemail.c: "----- The following addresses had permanent fatal errors -----", "… had transient
 * non-fatal errors", "… had successful delivery notifications", which Exim's deliver.c writes too):
 * an address under the transient one is still on the queue, one under the last was delivered.
 */
const SECTION_HEADING = /^\s*-{3,}\s*the following addresses had (?:(transient)|permanent|(successful))/i;

interface Section {
	index: number;
	action: 'failed' | 'delayed' | 'delivered';
}

function sectionActions(lines: string[]): Section[] {
	const sections: Section[] = [];
	lines.forEach((line, index) => {
		const m = SECTION_HEADING.exec(line);
		if (m) sections.push({ index, action: m[1] ? 'delayed' : m[2] ? 'delivered' : 'failed' });
	});
	return sections;
}

function isSystemAddress(a: string): boolean {
	return /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon|root|noreply|no-reply|bounce[s]?|daemon)@/i.test(a);
}

/** Finds the failed recipients of a plain-text report and the lines that explain each. */
export function extractPlainBounce(report: string, ctx: PlainBounceContext): RecipientFacts[] {
	const lines = linesOf(report);
	const excluded = (a: string) => ctx.exclude.has(a.toLowerCase());

	const sections = sectionActions(lines);
	// Sendmail's savemail.c: its address sections, or its "----- Transcript of session follows -----".
	const sendmailReport = sections.length > 0 || lines.some((l) => /^\s*-+\s*transcript of session follows/i.test(l));
	// Lines that introduce an address; their order is the order of the report.
	const headings: { index: number; address: string }[] = [];
	// Sendmail's "550 <user@example.org>... User unknown" lines close each recipient's transcript.
	const summaryLines: number[] = [];
	// Every line that introduces an address, repeats included: a block ends at the next one.
	const allHeadingLines: { index: number; key: string }[] = [];
	// "To: x" repeats the original's header ("Your message To: list@… did not reach the following
	// recipient(s): …"): it names the failed address only when nothing else does. ("Cc:" is no
	// heading label, so only the block test below meets it.)
	const quotedTo = (h: { index: number }) => /^\s*(?:to|cc)\s*[:=]/i.test(lines[h.index]);
	const seen = new Map<string, { index: number; address: string }>();
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (/^\s*(?:from|sender|reply-to|return-path|subject|date|sent)\s*:/i.test(line)) continue;
		// Sendmail's per-recipient summary lines: "550 <user@example.org>... User unknown".
		const heading = headingAddress(line);
		const summary = heading ? null : SENDMAIL_SUMMARY.exec(line);
		// Sendmail 8.10+ writes the enhanced code too ("554 5.0.0 <a>... Service unavailable"): in a
		// Sendmail report such a line names a recipient the report lists nowhere else (one its
		// sections already list keeps its block whole: the line only closes its transcript).
		const verdict = heading || summary || !sendmailReport ? null : SUMMARY_LINE.exec(line);
		if (verdict) {
			const addr = normaliseAddress(verdict[1]);
			if (!seen.has(addr.toLowerCase()) && !excluded(addr)) {
				summaryLines.push(i);
				const entry = { index: i, address: addr };
				seen.set(addr.toLowerCase(), entry);
				headings.push(entry);
			}
			continue;
		}
		const found = heading ?? summary?.[1];
		if (!found) continue;
		if (summary) summaryLines.push(i);
		// A quoted "To: a; b" lists who the message was for, not who failed.
		for (const listed of [found, ...(heading && !quotedTo({ index: i }) ? listedAfter(line, heading) : [])]) {
			const addr = normaliseAddress(listed);
			if (excluded(addr) || !/\.[A-Za-z0-9-]+$|@[A-Za-z0-9-]+$/.test(addr)) continue;
			const key = addr.toLowerCase();
			allHeadingLines.push({ index: i, key });
			const first = seen.get(key);
			// Exchange 2003 quotes "To: a; b" above "a on <date>": the address's own heading is the later one.
			if (first && quotedTo(first) && !quotedTo({ index: i })) first.index = i;
			if (first) continue;
			const entry = { index: i, address: addr };
			seen.set(key, entry);
			headings.push(entry);
		}
	}

	let recipients = headings.some((h) => !quotedTo(h)) ? headings.filter((h) => !quotedTo(h)) : headings;
	if (ctx.headerRecipients.length) {
		// The header is authoritative for who failed; the report text tells why. An address listed
		// twice (in another case) is one recipient, as in a delivery-status report.
		const listed = new Set<string>();
		const unique = ctx.headerRecipients.filter((a) => !listed.has(a.toLowerCase()) && !!listed.add(a.toLowerCase()));
		recipients = unique.slice(0, LIMITS.recipients).map((address) => {
			const h = headings.find((x) => x.address.toLowerCase() === address.toLowerCase());
			// -1: the text never names it; with several recipients it has no words of its own.
			return { index: h ? h.index : lines.findIndex((l) => l.toLowerCase().includes(address.toLowerCase())), address };
		});
	}
	const nonSystem = recipients.filter((r) => !isSystemAddress(r.address));
	if (nonSystem.length) recipients = nonSystem;

	const transcript = readTranscript(lines);
	if (!recipients.length) {
		// No heading: the addresses a transcript shows refused (MDaemon lists them nowhere else), else
		// one named in an SMTP command, else the first one named at all.
		recipients = failedInTranscript(transcript.exchanges)
			.map((e) => ({ index: e.lines[0], address: normaliseAddress(e.recipient ?? '') }))
			.filter((r) => !excluded(r.address));
		for (let i = 0; i < lines.length && !recipients.length; i++) {
			const m = TRANSCRIPT_RCPT.exec(lines[i]);
			if (m && !excluded(m[1])) recipients = [{ index: i, address: normaliseAddress(m[1]) }];
		}
		if (!recipients.length) {
			const candidates: { index: number; address: string }[] = [];
			for (let i = 0; i < lines.length; i++) {
				for (const m of lines[i].matchAll(ADDRESS)) {
					const a = normaliseAddress(m[0]);
					if (!excluded(a) && /\.[A-Za-z]{2,}$/.test(a)) candidates.push({ index: i, address: a });
				}
			}
			const best = candidates.find((c) => !isSystemAddress(c.address)) ?? candidates[0];
			if (best) recipients = [best];
		}
	}

	if (!recipients.length) {
		const diag = diagnosticLines(lines, 0, lines.length);
		return [
			{
				recipient: null,
				action: 'failed',
				status: bestStatusCode(diag, true),
				replyCode: findReplyCode(diag, true),
				diagnostic: diag || null,
				remoteMta: null,
				reportingMta: null,
			},
		];
	}

	recipients = recipients.slice(0, LIMITS.recipients);
	const actionAt = (index: number) => [...sections].reverse().find((s) => s.index < index)?.action ?? 'failed';
	const sorted = [...recipients].sort((a, b) => a.index - b.index);
	const headingsOf = new Map<string, number[]>();
	allHeadingLines.forEach((h, at) => {
		const list = headingsOf.get(h.key);
		if (list) list.push(at);
		else headingsOf.set(h.key, [at]);
	});
	/** The line of the first heading after `allHeadingLines[at]`'s line that names another address. */
	const nextOtherHeading = (at: number): number | undefined => {
		const { index, key } = allHeadingLines[at];
		for (let k = at + 1; k < allHeadingLines.length; k++) {
			const x = allHeadingLines[k];
			if (x.index > index && x.key !== key) return x.index;
		}
		return undefined;
	};
	const blockOf = (r: { index: number; address: string }): string => {
		const { keep, refusals } = transcript.forRecipient(r.address);
		let block: string;
		if (recipients.length === 1) {
			block = diagnosticLines(lines, Math.max(r.index, 0), lines.length, keep);
			// Some reports give the reason before the address (Sendmail's "… User unknown").
			if (!bestStatusCode(block) && !findReplyCode(block) && !reasonFromText(block)) block = `${block}\n${diagnosticLines(lines, 0, r.index, keep)}`;
		} else if (r.index < 0) {
			block = '';
		} else if (summaryLines.includes(r.index)) {
			// Sendmail prints the session transcript first and the recipient's summary line after
			// it: the block is everything since the previous recipient's summary line.
			const previous = [...summaryLines].reverse().find((x) => x < r.index) ?? -1;
			// Each conversation starts "… while talking to host:"; lines before the last such start
			// in the block belong to another host's conversation.
			let from = previous + 1;
			for (let i = r.index; i > previous; i--) {
				if (/while talking to\b/i.test(lines[i])) {
					from = i;
					break;
				}
			}
			block = diagnosticLines(lines, from, r.index + 1, keep);
		} else {
			// A line that names the same address again (Postfix wraps "<addr>: host … said: 550 5.2.1\n
			// <addr>... User Unknown") continues the block; the next other address ends it.
			// Every later section that introduces the address again adds its part: Exchange lists each
			// recipient under "Delivery has failed to these recipients" and again, with the server's
			// reply, under "Diagnostic information for administrators".
			const own = r.address.toLowerCase();
			const parts: string[] = [];
			let size = 0;
			let end = -1;
			// Only this address's headings, and only until the block is as long as a diagnostic may
			// be: a report listing a hundred addresses on every line costs no more than a short one.
			for (const at of headingsOf.get(own) ?? []) {
				if (size >= LIMITS.diagnosticChars) break;
				const h = allHeadingLines[at];
				if (h.index < r.index || h.index < end) continue;
				// Not a Sendmail summary line (it closes the recipient's transcript, what follows is the
				// next one's) nor a quoted To:/Cc: header.
				if (h.index > r.index && (summaryLines.includes(h.index) || quotedTo(h))) continue;
				end = nextOtherHeading(at) ?? sorted.find((x) => x.index > h.index)?.index ?? lines.length;
				const part = diagnosticLines(lines, h.index, end, keep);
				parts.push(part);
				size += part.length + 1;
			}
			block = parts.join('\n');
			// Transcripts after the last block name every recipient: use the lines that name this one.
			if (!bestStatusCode(block)) {
				const named = lines.filter((l, i) => i >= sorted[sorted.length - 1].index && keep(i) && l.toLowerCase().includes(own) && /\d\d\d|\d\.\d\.\d/.test(l));
				if (named.length) block = `${block}\n${named.join('\n')}`;
			}
		}
		// A report that explains its recipients only in the transcript ("Recipient: a / Reason:
		// Remote server rejected the recipient", then the session): the exchanges that refused a.
		const missing = refusals.flatMap((e) => e.lines.map((i) => lines[i])).filter((l) => !block.includes(l));
		return missing.length ? [block, ...missing].filter(Boolean).join('\n') : block;
	};
	// A line that names another failed recipient and not this one is that recipient's answer (SMTP
	// replies repeat the address: "550 5.1.1 <a>: …", Sendmail's "<<< 552 5.2.2 <b>… quota"), also
	// where one shared block lists every answer (Gmail names all recipients on one line).
	const failed = new Set(recipients.map((r) => r.address.toLowerCase()));
	const ownLines = (r: { address: string }, block: string): string => {
		const own = r.address.toLowerCase();
		return block
			.split('\n')
			.filter((line) => {
				const named = [...line.matchAll(ADDRESS)].map((m) => normaliseAddress(m[0]).toLowerCase());
				return named.includes(own) || !named.some((a) => a !== own && failed.has(a));
			})
			.join('\n');
	};
	const blocks = new Map(recipients.map((r) => [r, recipients.length > 1 ? ownLines(r, blockOf(r)) : blockOf(r)]));
	// A list of addresses under one explanation (Gmail's "Delivery to the following recipients failed
	// permanently:" with the addresses one per line, then the server's answer once): an address whose
	// block is its own line alone shares the words of the next one.
	// Not when the next block's words name its own address again ("RCPT TO:<info@…>: 550 …"): they
	// are about that address alone.
	for (let i = sorted.length - 2; i >= 0; i--) {
		const own = blocks.get(sorted[i]) ?? '';
		const next = blocks.get(sorted[i + 1]) ?? '';
		const wordless = sorted[i].index >= 0 && !own.includes('\n') && !bestStatusCode(own) && !findReplyCode(own) && !reasonFromText(own);
		const nextIsOwn = next.slice(next.indexOf('\n') + 1).toLowerCase().includes(sorted[i + 1].address.toLowerCase());
		if (wordless && next.includes('\n') && !nextIsOwn) blocks.set(sorted[i], `${own}\n${next}`);
	}
	return recipients.map((r) => {
		const block = blocks.get(r) ?? '';
		return {
			recipient: r.address,
			originalRecipient: expandedFrom(block),
			action: actionAt(r.index),
			status: bestStatusCode(block, true),
			replyCode: findReplyCode(block, true),
			diagnostic: block.replace(/\s+/g, ' ').trim() || null,
			remoteMta: remoteHost(block),
			reportingMta: null,
		};
	});
}

/**
 * The address a forward or alias started from: Exim's "(generated from <address>)" and, after
 * several redirections, "(ultimately generated from <address>)" (Exim spec, bounce messages of
 * redirected addresses), Postfix's "(expanded from <address>)" and Sendmail's
 * "(expanded from: <address>)".
 */
const ORIGINAL_RECIPIENT = /\((?:ultimately )?(?:generated|expanded) from:? <?([^\s<>()@]{1,64}@[^\s<>()@]{1,255}?)>?\)/i;

/** The address a forward or alias started from, as the report's own words name it; else null. */
export function expandedFrom(text: string): string | null {
	return ORIGINAL_RECIPIENT.exec(text)?.[1] ?? null;
}

/** The non-blank lines from `from` to `to`, joined, read only up to the diagnostic limit. */
function diagnosticLines(lines: string[], from: number, to: number, keep: (index: number) => boolean = () => true): string {
	const kept: string[] = [];
	let size = 0;
	for (let i = from; i < to && size < LIMITS.diagnosticChars; i++) {
		if (!lines[i].trim() || !keep(i)) continue;
		kept.push(lines[i]);
		size += lines[i].length + 1;
	}
	return kept.join('\n').slice(0, LIMITS.diagnosticChars);
}

function remoteHost(block: string): string | null {
	const m = /(?:host|remote host|server|mx)(?:\s*:)?\s+([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/i.exec(block);
	return m ? m[1] : null;
}
