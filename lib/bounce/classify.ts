import type { BounceCategory, BounceReason, BounceResult, ClassifyOptions, Correlation, RecipientFacts } from './types';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './types';
import { stoppedAtLimit, walkMime, type MimePart } from './mime-walk';
import { parseDeliveryStatus, recipientFactsFromDsn } from './delivery-status';
import { parseFeedbackReport } from './feedback-report';
import { isAutoReply, saysContactGone } from './auto-reply';
import { isChallengeRequest } from './challenge';
import { sieveRejection } from './sieve-reject';
import { expandedFrom, extractPlainBounce, splitReportText } from './plain-text-bounce';
import { bestStatusCode, findReplyCode, findStatusCodes, isGenericStatus } from './status-code';
import { EXPIRY_VERDICT, decideReason, isHardBounce, kindFor } from './decide';
import { remoteReplyText } from './diagnostic-reason';
import { isPlainReadReceipt } from './read-receipt';
import { isQuarantineDigest } from './quarantine-digest';
import { fmlLoopAlert } from './list-loop-alert';
import { correlationFromHeaders, correlationFromText, correlationOf, emptyCorrelation, mergeCorrelation, levelOfOurMessageId, namesOurReminder, ourMessageIdInText } from './correlation';
import { addressListIn, addressesIn, addressesInText, asciiAddress, firstHeader, isForwarded, quotedHeader } from './message-headers';
import { hasNullReturnPath, looksLikeBounce, saysDeliveryFailed } from './bounce-signature';
import { completeMultilineReply, pastedDeliveryStatus } from './report-text';
import { attachedReportAbout, originalRecipient } from './original-message';
import { parseSesNotification, SES_TYPE_FIELD } from './ses-notification';
import { htmlToText } from './html-text';
import { hasSystemSender, reportOrigin, sentByMachine } from './report-origin';
import { isReplySubject, newReplyText, quotesAMessage, reminderCorrelationFromHeaders, replyToReminder } from './reply';
import { attachedMessages, domainOf, inlineForward, isFromPerson, sameOrganisation, whoseReport, type Carried, type ReturnedMessage } from './forwarded';
import { isArchiveCopy } from '../mail/archive-copy';
import { isCustomersRuleCopy, isOwnCopy, reminderAddressing } from './own-copy';
import { afterCustomersServerTookIt, isSpfOfConnectingHost } from './customer-hop';
import { isMailboxProvider } from './mailbox-provider';
import { isForwardSubject } from './outlook-header';
import { categoryFor } from './category';
import { LIMITS, bounded, cut } from './text-bounds';

function baseResult(correlation: Correlation): BounceResult {
	return {
		isBounce: false,
		kind: 'none',
		category: 'none',
		final: true,
		reason: null,
		status: null,
		replyCode: null,
		diagnostic: null,
		recipient: null,
		originalRecipient: null,
		remoteMta: null,
		reportingMta: null,
		originalMessageId: bounded(correlation.originalMessageId, LIMITS.idChars),
		invoiceId: bounded(correlation.invoiceId, LIMITS.idChars),
		// Our Message-ID says the level itself; it decides where a header quoted elsewhere disagrees.
		level: levelOfOurMessageId(correlation.originalMessageId) ?? correlation.level,
		archiveCopy: false,
		feedbackType: null,
		replyText: null,
	};
}

export function notABounce(diagnostic: string, correlation: Correlation = emptyCorrelation()): BounceResult {
	return { ...baseResult(correlation), diagnostic };
}

/** A message that could not be read (a limit, no email, a read error): nothing is known of it. */
export function notRead(diagnostic: string): BounceResult {
	return { ...notABounce(diagnostic), notRead: true };
}

/** The repeated "550-5.7.1" of each further line of a multi-line reply. Code and status are digits and dots. */
export function continuationPrefixPattern(code: string, status: string): RegExp {
	// Without an enhanced code the text follows the hyphen at once ("550-RBL: …", RFC 5321 §4.2.1).
	const bare = status ? '' : `|(?<=\\s)${code}-(?=\\S)`;
	return new RegExp(`\\s${code}[ -]${status.replace(/\./g, '\\.')}(?=\\s)${bare}`, 'g');
}

/**
 * One line of text from a multi-line SMTP reply: "550-5.7.1 Messages with multiple 550-5.7.1
 * addresses in From:" → "550-5.7.1 Messages with multiple addresses in From:".
 */
export function cleanDiagnostic(text: string, max = 1000): string {
	let flat = cut(text, LIMITS.diagnosticChars).replace(/\s+/g, ' ').trim();
	const lead = /^([245]\d\d)[ -]((?:[245]\.\d{1,3}\.\d{1,3})?)/.exec(flat);
	if (lead) {
		flat = flat.slice(0, lead[0].length) + flat.slice(lead[0].length).replace(continuationPrefixPattern(lead[1], lead[2]), '');
	}
	return flat.slice(0, max);
}

/** Status of a recipient: the DSN's own field unless it is generic and the server's reply is more precise. */
function pickStatus(statusField: string | null, diagnostic: string | null, context: string | null, success: boolean): string | null {
	const picked = pickStatusOf(statusField, diagnostic, success);
	// X.4.7 "delivery time expired" is the consequence; when the report names one other precise
	// code (the last attempt's reply), that code says what kept failing.
	// Not an addressing code (X.1.x): a message retried until it expired was never refused for good
	// (RFC 5321 §4.2.1: a 5yz reply is not repeated), so an earlier "5.1.1" is no verdict on the mailbox.
	if (picked && /^\d\.4\.7$/.test(picked) && context) {
		const causes = [...new Set(findStatusCodes(context).filter((c) => c[0] !== '2' && !/\.0$/.test(c) && !/\.4\.7$/.test(c)))];
		if (causes.length === 1) return ADDRESSING_STATUS.test(causes[0]) ? picked : causes[0];
	}
	return picked;
}

/** RFC 3463 §3.2, X.1.x "Addressing status". */
const ADDRESSING_STATUS = /^\d\.1\.\d{1,3}$/;

function pickStatusOf(statusField: string | null, diagnostic: string | null, success: boolean): string | null {
	const fieldCode = statusField ? findStatusCodes(statusField)[0] ?? null : null;
	// A failure's transcript also shows the replies that succeeded ("250 2.1.5 Ok" to RCPT TO before
	// DATA was refused): only a failure code can explain a failure.
	const diagCode = diagnostic ? bestStatusCode(diagnostic, !success && fieldCode?.[0] !== '2') : null;
	if (!fieldCode) return diagCode;
	// The remote server's own code is more telling than the reporting MTA's summary of it.
	// RFC 3463 X.4.7 "delivery time expired" is the report's verdict: the "Last error: 550 5.1.1" it
	// quotes was an attempt it went on retrying, not a refusal of the address (pickStatus).
	if (/^\d\.4\.7$/.test(fieldCode) && diagCode && ADDRESSING_STATUS.test(diagCode)) return fieldCode;
	if (diagCode && diagCode !== fieldCode && diagCode[0] === fieldCode[0] && (!/\.0$/.test(diagCode) || isGenericStatus(fieldCode))) {
		return diagCode;
	}
	return fieldCode;
}

/**
 * The server's reply names our own address (the sender's, as in "550 5.1.1 <billing@…>… User
 * unknown" to MAIL FROM) and not the recipient's: whatever its code, it refuses our sender.
 */
function refusesOurSender(diagnostic: string | null, recipient: (string | null | undefined)[], ours: Set<string>): boolean {
	// The remote server's own words, not a report's framing that names the recipient first.
	const reply = remoteReplyText(diagnostic) ?? diagnostic;
	const named = reply ? addressesInText(reply) : [];
	const failed = recipient.filter((a): a is string => !!a).map((a) => a.toLowerCase());
	return named.length > 0 && failed.length > 0 && named.every((a) => ours.has(a) && !failed.includes(a));
}

/**
 * The mailbox a refusal names first, as Postfix ("550 5.1.1 <a@b>: Recipient address rejected: …")
 * and Sendmail ("550 5.1.1 <a@b>... User unknown") put it before their verdict.
 */
const REFUSED_MAILBOX = /^\s*[45]\d\d(?:[ -]+[245]\.\d{1,3}\.\d{1,3})?[ -]+<([^<>\s@]{1,64}@[^<>\s@]{1,253})>/;

/**
 * The remote server's reply says it refused a forward and names the mailbox the recipient's mail is
 * forwarded to, in another organisation than the failed recipient and the address we wrote to
 * ("550 5.1.1 <kunde.privat@…>: forward target rejected: …", a forward its server checked while
 * answering RCPT TO): the mailbox found missing is the one the customer's address passes mail on to,
 * which does not make the customer's own address dead (as a forward the report names through
 * Original-Recipient, finish()). An alias that the reporting MTA expanded itself stays its verdict
 * on the recipient: RFC 3464 §2.3.2 gives the per-recipient Status to the Final-Recipient "as it was
 * when the Reporting MTA accepted the message", there the customer's own server on its own address.
 */
const FORWARD_TARGET = /\bforward(?:ing|ed)?\b/i;

function refusesAnotherMailbox(diagnostic: string | null, recipients: (string | null)[]): boolean {
	const reply = remoteReplyText(diagnostic) ?? diagnostic ?? '';
	const raw = REFUSED_MAILBOX.exec(reply)?.[1];
	if (!raw || !FORWARD_TARGET.test(reply)) return false;
	// (A domain written with the root's dot, "example.net.", is the same domain.)
	const norm = (a: string) => asciiAddress(a).replace(/\.$/, '');
	const named = norm(raw);
	const ours = recipients.filter((a): a is string => !!a).map(norm);
	return ours.length > 0 && !ours.includes(named) && !ours.some((a) => sameOrganisation(a, named));
}

const SENDER_FIELDS = ['from', 'sender', 'return-path'];

// (Not `filtered`: "not accepting mail from <our address>" is the recipient's own block list.)
const ADDRESS_OR_VAGUE = ['userunknown', 'hostunknown', 'hasmoved', 'notaccept', 'undefined'] as const;

/** Longer than any immediate answer takes: a report written this long after arrival followed retries. */
const WAITED_FOR_RETRIES_S = 60;

/**
 * A dead address the report does not name is no address to block: the reminder may have gone to
 * several (To, our archive's Bcc, a forward), and the dunning would block whichever it finds.
 */
function provenFor(recipient: string | null, category: BounceCategory): BounceCategory {
	return category === 'addressDead' && !recipient ? 'recipientRefused' : category;
}

function finish(
	facts: RecipientFacts,
	correlation: Correlation,
	fullContext: string | null,
	forced?: BounceReason,
	aboutOurSender = false,
	sendersOwnHost: (host: string | null) => boolean = () => false,
): BounceResult {
	const rawDiagnostic = facts.diagnostic === null ? null : cut(facts.diagnostic, LIMITS.diagnosticChars);
	const context = fullContext === null ? null : cut(fullContext, LIMITS.diagnosticChars);
	const action = facts.action ?? '';
	const success = forced === 'delivered' || action === 'delivered' || action === 'relayed' || action === 'expanded';
	const status = pickStatus(facts.status, rawDiagnostic, context, success);
	// Reason and category read as far as the status did (a transcript's reply may come after a long
	// preamble, and a guard that did not see it must not let its code through); the result shows less.
	const read = rawDiagnostic ? cleanDiagnostic(rawDiagnostic, LIMITS.diagnosticChars) : null;
	const cleaned = read === null ? null : read.slice(0, 1000);
	const replyCode = facts.replyCode ?? (rawDiagnostic ? findReplyCode(rawDiagnostic) : null);
	let reason: BounceReason = forced ?? decideReason(status, read, context, facts.diagnosticType ?? null);
	// A missing address the reply names is our sender's (refusesOurSender), as at MAIL FROM (decide.ts).
	if (aboutOurSender && (ADDRESS_OR_VAGUE as readonly string[]).includes(reason)) reason = 'rejected';
	if (!forced && (action === 'delivered' || action === 'relayed' || action === 'expanded' || status?.startsWith('2.'))) {
		reason = 'delivered';
	}
	// RFC 3464 §2.3.3: a delay notice reports that the message has waited; when it names no cause,
	// the wait is all it says (as the Exim and Sendmail warnings that only give the time on the queue).
	if (!forced && action === 'delayed' && reason === 'undefined') reason = 'expired';
	// A failure whose report names no cause we know, written after the message had waited since its
	// Arrival-Date (RFC 3464 §2.2.5, §2.3.7): no server ever answered, the retries RFC 5321 §4.5.4.1
	// asks for ran out. (Courier's report of a host that never greets: Status 5.0.0 and nothing else.)
	// A quoted reply code says a server did answer: its refusal is the cause, however long it took.
	if (!forced && action === 'failed' && reason === 'undefined' && replyCode === null && (facts.waitedSeconds ?? 0) >= WAITED_FOR_RETRIES_S) {
		reason = 'expired';
	}
	const hard = isHardBounce(reason, status, replyCode);
	const kind = kindFor(reason, hard);
	// RFC 3464 §2.3.3: "delayed" = the reporting MTA has not given up; every other action is final.
	// OpenSMTPD sends its expiry report in its delay template (Action: delayed, "temporary failure
	// report") with "Envelope expired" for the recipient: the envelope is gone (two real reports).
	const final = action !== 'delayed' || /\benvelope expired\b/i.test(rawDiagnostic ?? '');
	const archiveCopy = [facts.originalRecipient ?? null, facts.recipient].some((a) => isArchiveCopy(correlation.archiveCopyMark, correlation.originalMessageId, a));
	// SPF checks the last hop (RFC 7208 §1.1.3, Appendix D): behind the customer's own forward (the
	// address that refused is not the one we wrote to, RFC 3464 §2.3.1) it failed for their forwarding
	// server, not ours. Their setup to fix, no alarm about our sender. Not when the sender's own host
	// did the forwarding: the Reporting-MTA is the host that attempted the relay (RFC 3464 §2.2.2) and
	// so the client whose IP SPF checked against our MAIL FROM domain (RFC 7208 §2.4); Appendix D's
	// forwarding problem is a third party's forwarder, while a host in our own domain (an alias our
	// server expanded) is one our own record must authorise.
	const forwarded = isForwarded(facts.originalRecipient ?? null, facts.recipient);
	const forwardedSpf = reason === 'authfailure' && forwarded && isSpfOfConnectingHost(read) && !sendersOwnHost(facts.reportingMta);
	// The remote server refused the forward target it names, another organisation's mailbox: that is
	// the one found missing, not the address we wrote to (refusesAnotherMailbox).
	const refusedAnother = refusesAnotherMailbox(read, [facts.recipient, facts.originalRecipient ?? null]);
	const category = provenFor(facts.recipient, categoryFor({ reason, kind, status, replyCode, final, diagnostic: read, context, recipient: facts.recipient, remoteMta: facts.remoteMta }));
	return {
		...baseResult(correlation),
		isBounce: kind === 'hard' || kind === 'soft',
		kind,
		// The address that does not exist is where the customer's own address forwards to (RFC 3464
		// §2.3.1, Original-Recipient): theirs is not proven dead, it passes mail on to a dead end.
		category: archiveCopy ? 'none' : forwardedSpf || ((forwarded || refusedAnother) && category === 'addressDead') ? 'recipientRefused' : category,
		archiveCopy,
		final,
		reason,
		status,
		replyCode,
		diagnostic: cleaned,
		recipient: bounded(facts.recipient, LIMITS.addressChars),
		originalRecipient: bounded(facts.originalRecipient ?? null, LIMITS.addressChars),
		remoteMta: bounded(facts.remoteMta, LIMITS.hostChars),
		reportingMta: bounded(facts.reportingMta, LIMITS.hostChars),
	};
}

/** The returned original's header section: RFC 6522's text/rfc822-headers, RFC 6533's message/global-headers (SMTPUTF8). */
const isHeadersPart = (p: MimePart): boolean => /^(?:text\/rfc822-headers|message\/(?:rfc822-headers|global-headers))$/.test(p.contentType);

/** Everything the parts tell about the original message. */
function findCorrelation(parts: MimePart[], originalTexts: string[]): Correlation {
	let c = emptyCorrelation();
	for (const p of parts) {
		if (p.isAttachedMessage && p.depth > 0) c = mergeCorrelation(c, correlationFromHeaders(p.headers));
		// A returned message that starts with a blank line has an empty header section to a MIME
		// parser: its header lines arrive as its text.
		if (p.isAttachedMessage && p.depth > 0 && !p.headers.has('message-id') && !p.headers.has('from')) c = mergeCorrelation(c, correlationFromText(p.text.slice(0, LIMITS.textChars)));
		if (isHeadersPart(p)) {
			c = mergeCorrelation(c, correlationFromText(p.text));
		}
	}
	for (const t of originalTexts) c = mergeCorrelation(c, correlationFromText(t));
	return c;
}

/**
 * Classifies one raw RFC 822 message. Resolves to one result per failed (or reported)
 * recipient; a message that is not a bounce yields one result of kind `none`. Never rejects.
 */
export async function classifyMessage(raw: Buffer | string, options: ClassifyOptions = {}): Promise<BounceResult[]> {
	const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
	const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
	try {
		const buf = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
		if (!Buffer.isBuffer(buf)) return [notRead('input is not a message (expected a Buffer or a string)')];
		if (buf.length === 0) return [notRead('the message is empty')];
		if (buf.length > maxBytes) {
			return [notRead(`size limit: the message has ${buf.length} bytes, more than the limit of ${maxBytes}; it was not read`)];
		}
		const walk = await walkMime(withLineFeeds(buf), maxDepth);
		if (stoppedAtLimit(walk)) return [notRead(`${walk.limit!.startsWith('MIME nesting') ? 'depth' : 'parts'} limit: ${walk.limit}`)];
		if (!walk.parts.length) return [notRead(walk.limit ?? 'no message headers found')];
		if (isFromPerson(walk.parts[0].headers)) {
			const forwarded = await classifyForward(walk.parts, { ...options, maxBytes, maxDepth });
			if (forwarded) return forwarded;
		}
		return classifyParts(walk.parts, options.ownDomains);
	} catch (err) {
		return [notRead(`the message could not be read: ${(err as Error).message}`)];
	}
}

/**
 * A message saved with bare CRs for line ends (classic Mac OS tools, some export scripts) has no
 * line a MIME parser can split on (RFC 5322 §2.1 asks for CRLF): give each CR its LF. Only when
 * the head holds no LF at all, so a real message's stray CR stays as it is.
 */
function withLineFeeds(buf: Buffer): Buffer {
	const head = buf.subarray(0, 64 * 1024);
	if (head.includes(0x0a) || !head.includes(0x0d)) return buf;
	return Buffer.from(buf.toString('latin1').replace(/\r/g, '\r\n'), 'latin1');
}

/**
 * Each reminder of ours a forward names outside the carried report (README: forwarded bounces): its
 * returned reminders, quoted reminder headers.
 */
function forwardCorrelations(parts: MimePart[]): Correlation[] {
	const found: Correlation[] = [];
	for (const p of parts) {
		if (p.insideAttachedMessage && !p.isAttachedMessage) continue;
		if (p.isAttachedMessage) {
			const own = correlationFromHeaders(p.headers);
			// Only a returned reminder, never the carried report's own Message-ID.
			if (namesOurReminder(own)) found.push(own);
		} else if (isHeadersPart(p)) {
			found.push(correlationFromText(p.text));
		}
	}
	return found;
}

/**
 * A bounce a person or an inbox rule forwarded (see forwarded.ts for when it counts): the results of
 * the carried report, or null when the message carries none.
 */
async function classifyForward(parts: MimePart[], options: ClassifyOptions & { maxDepth: number }): Promise<BounceResult[] | null> {
	const { maxDepth } = options;
	const top = parts[0].headers;
	const outside = parts.filter((p) => !p.insideAttachedMessage && !p.isAttachedMessage);
	if (outside.some((p) => /^message\/(?:(?:global-)?delivery-status|feedback-report)$/.test(p.contentType))) return null;
	const plain = outside.filter((p) => p.contentType === 'text/plain');
	const text = cut((plain.length ? plain.map((p) => p.text) : outside.filter((p) => p.contentType === 'text/html').map((p) => htmlToText(p.text))).join('\n'), LIMITS.textChars);
	const inline = inlineForward(text, isForwardSubject(firstHeader(top, 'subject')));
	const candidates = [...attachedMessages(parts), ...(inline ? [inline] : [])];
	const classified: { carried: Carried; results: BounceResult[] }[] = [];
	for (const carried of candidates) {
		if (carried.depth < maxDepth) classified.push({ carried, results: await classifyMessage(carried.raw, { ...options, maxDepth: maxDepth - carried.depth }) });
	}
	// A report about a reminder of ours first: another one forwarded beside it must not hide it.
	const namesOurs = (results: BounceResult[]) => results.some((r) => namesOurReminder(correlationOf(r)));
	classified.sort((a, b) => Number(namesOurs(b.results)) - Number(namesOurs(a.results)));
	const forwardNamed = forwardCorrelations(parts);
	const outer = forwardNamed.reduce(mergeCorrelation, emptyCorrelation());
	// Only a forward that names one reminder (in its own parts and in the reports it carries) may lend
	// it to a report that lacks it.
	const named = [...forwardNamed, ...classified.flatMap(({ results }) => results.map(correlationOf))];
	const distinct = (key: 'invoiceId' | 'originalMessageId') => new Set(named.map((c) => c[key]).filter(Boolean)).size;
	const oneReminder = distinct('invoiceId') <= 1 && distinct('originalMessageId') <= 1;
	const answered = reminderCorrelationFromHeaders(top);
	let skipped: string | null = null;
	let taken: BounceResult[] = [];
	for (const { carried, results } of classified) {
		if (taken.length && !namesOurs(results)) break;
		if (!results.some((r) => r.kind !== 'none')) {
			// The carried report failed the origin check itself: say so, as for a report sent directly.
			const refused = results.find((r) => r.diagnostic?.startsWith('looks like a delivery report'));
			if (refused) skipped ??= `forwarded (${carried.how}) ${refused.diagnostic}`;
			continue;
		}
		// An answer to our reminder (In-Reply-To names it, a reply subject) that passes on a report
		// the customer got is the customer writing: their question matters, not the report's address.
		if (answered.originalMessageId && isReplySubject(firstHeader(top, 'subject'))) return [replyResult(top, mergeCorrelation(answered, outer), text)];
		const verdict = whoseReport(top, answered, carried, results, await reminderAddresses(carried.raw, maxDepth - carried.depth), namesOurReminder(outer));
		if (verdict.as === 'reply') return [replyResult(top, mergeCorrelation(verdict.about, outer), text)];
		if (verdict.as === 'skip') {
			skipped ??= verdict.why;
			continue;
		}
		const these = results.map((r) => {
			// The forward's mention of a reminder (its text, the other attachments) completes a report
			// about a reminder of ours, unless the forward names several (which one would be a guess).
			const c = verdict.foreign || !oneReminder ? correlationOf(r) : mergeCorrelation(correlationOf(r), outer);
			return { ...r, originalMessageId: bounded(c.originalMessageId, LIMITS.idChars), invoiceId: bounded(c.invoiceId, LIMITS.idChars), level: c.level };
		});
		if (!namesOurs(results)) return these;
		// Several reports about reminders of ours (Outlook forwards the selected messages as attachments):
		// all of them, the final report of a reminder's address over its delay notice.
		taken = oneFinalPerReminder([...taken, ...these]);
	}
	if (taken.length) return taken;
	return skipped ? [notABounce(skipped, outer)] : null;
}

/** A failure over a delay over a success, for one address of one reminder (no address: nothing to merge). */
function oneFinalPerReminder(results: BounceResult[]): BounceResult[] {
	const rank = (r: BounceResult) => (r.category === 'delivered' ? 0 : r.final ? 2 : 1);
	const out: BounceResult[] = [];
	for (const r of results) {
		const at = r.recipient ? out.findIndex((o) => o.recipient?.toLowerCase() === r.recipient?.toLowerCase() && o.originalMessageId === r.originalMessageId) : -1;
		if (at < 0) out.push(r);
		else if (rank(r) > rank(out[at])) out[at] = r;
	}
	return out;
}

/**
 * Feedback types that are a recipient's complaint: RFC 5965 §7.3's abuse, fraud and other, and the
 * opt-out types of the MARF drafts that some loops still send. Any other ("miscategorized" of an old
 * draft, a provider's own) is not a person asking to stop, and a complaint blocks the customer's e-mail.
 */
const COMPLAINT_TYPES: ReadonlySet<string> = new Set(['abuse', 'fraud', 'other', 'opt-out', 'opt-out-list']);

/** "Your email has been rejected!", "Ihre E-Mail wurde abgelehnt": an automatic answer's own refusal. */
const REFUSED_SUBJECT = /^(?:[[(][^\])]{0,80}[\])]\s*)?(?:your (?:e-?mail|message|mail)|ihre (?:e-?mail|nachricht|mail))(?: (?:to|an) \S{1,254})? (?:has been|was|wurde) (?:rejected|refused|abgelehnt|zur(?:ü|ue)ckgewiesen)\b/i;

/**
 * The mailboxes mailbox providers send feedback-loop and abuse-desk reports about their own users
 * from. A business's own abuse@ asking whether a reminder is genuine is a person writing.
 */
const FEEDBACK_DESK = /^(?:staff|abuse|fbl|feedback(?:[-_.]?loop)?|complaints?|scomp|spam(?:[-_.]?reports?)?|reports?|arf)@/i;

/**
 * Whether a plain (non-ARF) complaint comes from a feedback loop. Only loops send that form, and
 * they are machines: Hotmail's JMRP writes from its feedback desk (staff@hotmail.com), other loops
 * mark themselves machine-generated, with the null reverse-path of a report (RFC 5321 §4.5.5) or an
 * Auto-Submitted other than "no" (RFC 3834 §5). RFC 5965 reports need no such test: they say what
 * they are (multipart/report; report-type=feedback-report). A person's "Complaint" with our
 * reminder attached (the customer's lawyer, their private address) is written by hand: a reply.
 */
function sentByFeedbackLoop(top: Map<string, string[]>): boolean {
	const from = addressesIn(top, ['from'], 1)[0] ?? '';
	if (FEEDBACK_DESK.test(from) && isMailboxProvider(from)) return true;
	const autoSubmitted = (top.get('auto-submitted')?.[0] ?? '').trim().toLowerCase();
	return hasNullReturnPath(top) || (!!autoSubmitted && !autoSubmitted.startsWith('no'));
}

const NOT_SPAM = 'a feedback report of type not-spam (RFC 6430): the recipient marked the message as no spam';
const QUARANTINE_DIGEST = "a filtering service's digest of the messages it holds for this mailbox: the messages it lists are not delivered to it yet, and it reports no delivery of ours";
const READ_RECEIPT = 'a disposition notification (RFC 8098 read receipt): the reminder reached the mailbox';
const VIRUS_REPORT =
	'a feedback report of type virus (RFC 5965): a scanner reported malware in the message, no complaint by the recipient (check what was sent)';
const AUTH_FAILURE =
	'a feedback report of type auth-failure (RFC 6591, a DMARC failure report): the receiving system found the message failing SPF, DKIM or DMARC; no complaint by the recipient (check the sending domain\'s authentication)';

/**
 * The results of a feedback report (RFC 5965, or an older loop's plain form), or what it is instead.
 * A loop reports from the mailbox provider, never from the address it reports: sent from there,
 * it is the customer writing (null: classify it as any message). RFC 6430's `not-spam` says the
 * recipient judged the message no spam: no complaint.
 */
function complaintResults(parts: MimePart[], feedbackParts: MimePart[], plain: boolean, report: string, correlation: Correlation): BounceResult[] | null {
	const fb = parseFeedbackReport(feedbackParts.map((p) => p.text).join('\n'));
	if (plain && !fb.feedbackType) fb.feedbackType = 'abuse';
	let recipients = fb.recipients;
	if (!recipients.length) {
		const attached = parts.find((p) => p.isAttachedMessage);
		const headerPart = parts.find(isHeadersPart);
		const quotedTo = headerPart ? quotedHeader(headerPart.text, 'to') : null;
		recipients = attached
			? addressesIn(attached.headers, ['to']).slice(0, 1)
			: quotedTo
				? addressesIn(new Map([['to', [quotedTo]]]), ['to']).slice(0, 1)
				: [];
	}
	const from = addressesIn(parts[0].headers, ['from'], 10).map((a) => a.toLowerCase());
	if (recipients.some((r) => from.includes(r.toLowerCase()))) return null;
	// A plain message about our reminder from someone at the customer's (their IT, their security
	// desk asking whether it is genuine) is a person writing, not a provider's feedback loop. A
	// provider's own loop or abuse desk about its users (staff@hotmail.com about a Hotmail user,
	// abuse@t-online.de about a T-Online user) shares their domain and stays a complaint.
	if (plain && recipients.some((r) => from.some((f) => sameOrganisation(f, r) && !(FEEDBACK_DESK.test(f) && isMailboxProvider(f))))) return null;
	const type = fb.feedbackType?.toLowerCase();
	if (type === 'not-spam') return [notABounce(NOT_SPAM, correlation)];
	if (type === 'auth-failure') return [notABounce(AUTH_FAILURE, correlation)];
	if (type === 'virus') return [notABounce(VIRUS_REPORT, correlation)];
	if (type && !COMPLAINT_TYPES.has(type)) return [notABounce(`a feedback report of type ${cut(type, 40)}, which is no recipient's complaint (RFC 5965 §7.3)`, correlation)];
	const list = recipients.length ? recipients : [null];
	return list.map((r) => ({
		...finish(
			{ recipient: r, action: null, status: null, replyCode: null, diagnostic: report.trim() || null, remoteMta: null, reportingMta: null },
			correlation,
			null,
			'feedback',
		),
		status: null,
		replyCode: null,
		feedbackType: fb.feedbackType,
	}));
}

/** Whom the message a report returns was sent to (its To and Cc) and by whom (its From), where the report gives them. */
async function reminderAddresses(raw: string, maxDepth: number): Promise<ReturnedMessage> {
	const walk = await walkMime(Buffer.from(raw, 'utf8'), Math.max(1, maxDepth));
	const found: Record<string, string[]> = { to: [], cc: [], from: [] };
	const threading = new Map<string, string[]>([['in-reply-to', []], ['references', []]]);
	for (const [i, p] of walk.parts.entries()) {
		const returned = p.isAttachedMessage && p.depth > 0;
		if (!returned && !isHeadersPart(p) && !(p.contentType === 'text/plain' && i === 0)) continue;
		const read = (key: string) => (returned ? (p.headers.get(key)?.[0] ?? null) : quotedHeader(p.text, key));
		for (const key of Object.keys(found)) {
			const value = read(key);
			if (value) found[key].push(...addressesIn(new Map([[key, [value]]]), [key]));
		}
		for (const [key, values] of threading) {
			const value = read(key);
			if (value) values.push(value);
		}
	}
	// The returned message's own In-Reply-To/References say it answered one of our reminders.
	return { to: [...found.to, ...found.cc], from: found.from, answers: reminderCorrelationFromHeaders(threading) };
}

/** A person's message about one of our reminders (category `reply`): someone must read it. */
function replyResult(top: Map<string, string[]>, correlation: Correlation, text: string): BounceResult {
	const subject = firstHeader(top, 'subject');
	return {
		...baseResult(correlation),
		category: 'reply',
		recipient: bounded(addressesIn(top, ['from'], 1)[0] ?? null, LIMITS.addressChars),
		diagnostic: subject ? subject.slice(0, 1000) : null,
		replyText: newReplyText(text) || null,
	};
}

export function classifyParts(parts: MimePart[], ownDomains: string[] = []): BounceResult[] {
	const top = parts[0].headers;
	const outside = parts.filter((p) => !p.insideAttachedMessage && !p.isAttachedMessage);
	const isDsn = (p: MimePart) => /^message\/(?:global-)?delivery-status$/.test(p.contentType);
	// A bounce of a bounce (or a forwarded one) carries the report inside the attached message.
	const dsnParts = outside.some(isDsn) ? outside.filter(isDsn) : parts.filter(isDsn);
	const feedbackParts = outside.filter((p) => p.contentType === 'message/feedback-report');
	// A multipart whose boundary the splitter could not find keeps its body as text.
	const textParts = outside.filter(
		(p) => p.contentType === 'text/plain' || p.contentType === 'text/html' || (p.contentType.startsWith('multipart/') && p.text.trim() !== ''),
	);
	const texts = textParts.map((p) => cut(p.contentType === 'text/html' ? htmlToText(p.text) : p.text, LIMITS.textChars));
	// Prefer plain text; an HTML alternative repeats it. The whole is bounded as one part is: dozens
	// of parts each at the limit would make every scan below cost their sum.
	const mainText = cut(
		(textParts.some((p) => p.contentType === 'text/plain') ? texts.filter((_, i) => textParts[i].contentType === 'text/plain') : texts).join('\n'),
		LIMITS.textChars,
	);
	// For replies, the body as its reader sees it: quotes marked, no attached file ("Zahlungsavis.txt").
	// A part with a file name is a file too, "inline" or not (Apple Mail marks attachments inline),
	// unless every text part has one (some webmailers and apps name the body itself).
	const disposition = (p: MimePart) => p.headers.get('content-disposition')?.[0] ?? '';
	const notAttached = textParts.filter((p) => !/^\s*attachment\b/i.test(disposition(p)));
	const unnamed = notAttached.filter((p) => !/\bfilename\*?\s*=/i.test(disposition(p)) && !/;\s*name\*?\s*=/i.test(p.headers.get('content-type')?.[0] ?? ''));
	const bodyParts = unnamed.length ? unnamed : notAttached;
	const bodyPlain = bodyParts.filter((p) => p.contentType === 'text/plain');
	const bodyHtml = bodyParts.filter((p) => p.contentType === 'text/html');
	const readerText = bodyPlain.length
		? cut(bodyPlain.map((p) => cut(p.text, LIMITS.textChars)).join('\n'), LIMITS.textChars)
		: bodyHtml.length
			? cut(bodyHtml.map((p) => cut(htmlToText(p.text, true), LIMITS.textChars)).join('\n'), LIMITS.textChars)
			: mainText;
	const { report, original } = splitReportText(mainText);
	// Microsoft's reports name the returned message in In-Reply-To/References even when they return
	// neither it nor its headers.
	const found = mergeCorrelation(findCorrelation(parts, [original]), reminderCorrelationFromHeaders(top));
	const correlation = found.originalMessageId ? found : { ...found, originalMessageId: ourMessageIdInText(mainText) };

	// Who must never be taken for the failed recipient: whoever sent the original (the bounce goes
	// back to them) and the reporting system itself.
	// The senders of the attached messages (the returned reminder, a report's own attachment).
	const attached = parts.filter((p) => p.isAttachedMessage);
	const sendersOf = (ps: MimePart[]) => ps.flatMap((p) => addressesIn(p.headers, SENDER_FIELDS));
	const exclude = new Set<string>([...addressesIn(top, ['to', 'from', 'reply-to']), ...sendersOf(attached)].map((a) => a.toLowerCase()));

	// Our sender's addresses, for a reply that names them (refusesOurSender): a report about our
	// reminder goes to its reverse-path (RFC 5321 §4.5.5), and the returned reminder names its sender.
	// Not the reporting system's own From, nor a report about someone else's message.
	const returnedHeaderTexts = [...parts.filter(isHeadersPart).map((p) => p.text), original];
	const ourSender = new Set<string>(
		namesOurReminder(correlation)
			? [
					...addressesIn(top, ['to']),
					...sendersOf(attached.filter((p) => p.depth > 0)),
					...returnedHeaderTexts.flatMap((t) => SENDER_FIELDS.flatMap((f) => addressesInText(quotedHeader(t, f) ?? ''))),
				].map((a) => a.toLowerCase())
			: [],
	);

	// A host in the sender's own domain (finish(): SPF behind a forward). The sender's domains: the
	// merchant's list, the address the report is sent to (the reverse-path, RFC 5321 §6.1) and the
	// returned message's sender fields; not a mailbox provider's, whose hosts relay for everyone, the
	// customer's forward too. Read once, and only for a report that needs it.
	let senderDomains: string[] | undefined;
	const sendersOwnHost = (host: string | null): boolean => {
		if (!host) return false;
		senderDomains ??= [
			...ownDomains,
			...[...addressesIn(top, ['to']), ...sendersOf(attached.filter((p) => p.depth > 0)), ...returnedHeaderTexts.flatMap((t) => SENDER_FIELDS.flatMap((f) => addressesInText(quotedHeader(t, f) ?? '')))]
				.filter((a) => !isMailboxProvider(a))
				.map((a) => domainOf(asciiAddress(a))),
		];
		const h = host.trim().toLowerCase().replace(/\.$/, '');
		return senderDomains.some((d) => h === d || h.endsWith(`.${d}`));
	};

	const subjectLine = firstHeader(top, 'subject');
	// The reminder the sender answers or forwards as an attachment, when it was sent to the sender or
	// to a colleague at the sender's organisation (its domain), which is not the reminder's own (our
	// colleague passing a reminder on is no customer).
	const sender = addressesIn(top, ['from'], 1)[0]?.toLowerCase() ?? '';
	const sentToSender = parts.some(
		(p) =>
			p.isAttachedMessage &&
			!sameOrganisation(addressesIn(p.headers, ['from'], 1)[0] ?? '', sender) &&
			addressesIn(p.headers, ['to', 'cc']).some((a) => a.toLowerCase() === sender || sameOrganisation(a, sender)),
	);
	// Older feedback loops (Hotmail JMRP and the like) send the complaint as a plain message with
	// the reported message attached, without an RFC 5965 part. A reply (RFC 5322 §3.6.4 In-Reply-To,
	// a "Re:" subject) is a person writing, whatever its subject says; so is a message no loop sent
	// (sentByFeedbackLoop).
	const complaintShaped =
		!feedbackParts.length &&
		!dsnParts.length &&
		parts.some((p) => p.isAttachedMessage) &&
		/\b(?:complaint|abuse report|spam[- ]?report|spam-?beschwerde|spam-?meldung|missbrauchsmeldung|beschwerde (?:über|ueber) unerw(?:ü|ue)nschte)\b/i.test(subjectLine);
	const loopSent = complaintShaped && sentByFeedbackLoop(top);
	const plainComplaint = loopSent && !top.has('in-reply-to') && !isReplySubject(subjectLine);
	// A person's "complaint" that carries our reminder (the customer from a private address, their
	// lawyer) disputes it: someone must read it, whoever the reminder was sent to. Not our own
	// colleague passing it on (the reminder's sender, or its organisation unless a shared provider's).
	const personsComplaint =
		complaintShaped &&
		!loopSent &&
		!!sender &&
		!parts.some((p) => {
			const ours = p.isAttachedMessage ? (addressesIn(p.headers, ['from'], 1)[0]?.toLowerCase() ?? '') : '';
			return !!ours && (ours === sender || (sameOrganisation(ours, sender) && !isMailboxProvider(sender)));
		});
	const carried = sentToSender || personsComplaint ? correlation : emptyCorrelation();
	// A failure report counts only when a mail system sent it (see report-origin.ts); a person's
	// look-alike is answered with "not a bounce", which changes nothing for the reminder.
	// Exim marks its bounces "Auto-Submitted: auto-replied" too, and a site's dsn_from may send them from
	// an ordinary mailbox; X-Failed-Recipients, which it adds to bounces only, says they are reports.
	const autoReply = !top.has('x-failed-recipients') && isAutoReply(new Map([...top, ['subject', [subjectLine]]]), () => quotesAMessage(readerText));
	// RFC 3834: the recipient's own automatic answer, whatever it says about delivery; one that says
	// the person or address is gone is for a person to read (auto-reply.ts, saysContactGone).
	// An automatic answer whose subject says it refused our message (the ticket systems' reject
	// response: Znuny's and OTRS's default "Your email has been rejected!" to a follow-up of a closed
	// ticket) tells that no one will read the reminder: the recipient's own rule, not an arrival.
	const autoReplyResult = (): BounceResult[] => saysContactGone(report, addressesIn(top, ['from'])[0] ?? null) ? [replyResult(top, correlation, readerText)] : [
		{
			...finish(
				{ recipient: addressesIn(top, ['from'])[0] ?? null, action: null, status: null, replyCode: null, diagnostic: subjectLine || null, remoteMta: null, reportingMta: null },
				correlation,
				null,
				REFUSED_SUBJECT.test(subjectLine) ? 'filtered' : 'vacation',
			),
			status: null,
			replyCode: null,
		},
	];
	// A copy that stayed in our own organisation (own-copy.ts) says nothing about the customer, nor
	// does a copy the customer's inbox rule made after the reminder had arrived; what the customer's
	// own server refused after taking the reminder is theirs (customer-hop.ts). (What they ask of the
	// message is read once, and only for a report: most messages are none.)
	let reportFacts: { addressing: ReturnType<typeof reminderAddressing>; from: string | null; ip: string | null; returnedTrail: string } | undefined;
	const ownCopyMarked = (r: BounceResult): BounceResult => {
		if (!r.recipient && !r.originalRecipient) return r;
		reportFacts ??= {
			addressing: reminderAddressing(parts, returnedHeaderTexts),
			from: addressesIn(top, ['from'], 1)[0] ?? null,
			// (the address the report came from: the topmost Received line, our server's record of it)
			ip: /\[((?:\d{1,3}\.){3}\d{1,3})\]/.exec(cut(top.get('received')?.[0] ?? '', LIMITS.headerChars))?.[1] ?? null,
			returnedTrail: [...returnedHeaderTexts, ...parts.filter((p) => p.isAttachedMessage && p.depth > 0).flatMap((p) => p.headers.get('received') ?? [])].join('\n'),
		};
		if (isOwnCopy(reportFacts.addressing, r, [reportFacts.from, r.reportingMta], ownDomains)) return { ...r, category: 'none', archiveCopy: true };
		if (isCustomersRuleCopy(reportFacts.addressing, r)) return { ...r, category: 'none' };
		return afterCustomersServerTookIt(r, reportFacts.from, reportFacts.ip, reportFacts.returnedTrail);
	};
	const fromMailSystem = (rows: BounceResult[]): BounceResult[] => {
		const results = rows.map(ownCopyMarked);
		if (!results.some((r) => r.isBounce)) return results;
		// A report typed into an answer to our reminder (a reply subject, a sender on the envelope, no
		// RFC 3464 part) is a person writing, postmaster@ or not: mail systems send reports with the
		// null reverse-path (RFC 5321 §4.5.5) and their own subjects.
		const typed = !dsnParts.length && addressesIn(top, ['return-path'], 1).length > 0 && isReplySubject(subjectLine);
		const origin = typed ? { plausible: false, why: 'it answers the reminder as a person does (a reply subject, an ordinary envelope sender)' } : reportOrigin(top, parts, results.map((r) => r.recipient));
		if (origin.plausible) return results;
		// An autoresponder that words itself like a bounce ("Unzustellbar – Adresse nicht mehr gültig")
		// from the customer's own address is their auto-reply, and a person who writes that a
		// reminder "was not delivered" about our reminder is a reply: not nothing.
		if (autoReply) return autoReplyResult();
		const reply = replyToReminder(top, subjectLine, readerText, false, carried);
		if (reply) return [replyResult(top, mergeCorrelation(reply.correlation, correlation), readerText)];
		return [notABounce(`looks like a delivery report, but ${origin.why}: not taken as a bounce`, correlation)];
	};
	const complaint = feedbackParts.length || plainComplaint ? complaintResults(parts, feedbackParts, plainComplaint, report, correlation) : null;
	if (complaint) return complaint;
	// RFC 6533 §6 gives receipts with UTF-8 fields their own type, as it does delivery reports.
	const mdn = outside.find((p) => /^message\/(?:global-)?disposition-notification$/.test(p.contentType));
	const rejection = mdn ? sieveRejection(mdn.text, report) : null;
	if (rejection) {
		const c = mergeCorrelation(correlation, { ...emptyCorrelation(), originalMessageId: rejection.originalMessageId });
		return [ownCopyMarked(finish({ recipient: rejection.recipient, action: 'failed', status: null, replyCode: null, diagnostic: report.trim() || null, remoteMta: null, reportingMta: null }, c, null, rejection.reason))];
	}
	// Any other disposition notification (RFC 8098: read, deleted unread) is a receipt: the reminder
	// reached the mailbox; whatever its quoted subject says, it is no failure report.
	if (mdn || (!dsnParts.length && isPlainReadReceipt(firstHeader(top, 'subject'), mainText))) return [notABounce(READ_RECEIPT, correlation)];
	// Held until we confirm (challenge.ts): a person at the merchant must act, as on a reply.
	// (A mail system's own report that quotes a whitelist refusal is no request: it is a failure.)
	if (!dsnParts.length && !hasSystemSender(top) && isChallengeRequest(top, report)) return [replyResult(top, correlation, mainText)];
	if (dsnParts.length) {
		const facts = dsnParts.flatMap((p) => recipientFactsFromDsn(parseDeliveryStatus(p.text), firstHeader(top, 'date') || null)).slice(0, LIMITS.recipients);
		if (facts.length) {
			const human = report;
			// Where the report part has no words, the human-readable part usually does, per recipient.
			// Several recipients: the human part's paragraph of each (Postfix's "<addr>: host … said: …
			// (in reply to RCPT TO command)") tells which command refused it, which the field leaves out.
			const needHuman = facts.length > 1 || facts.some((f) => !f.diagnostic || !reasonTextLike(f.diagnostic));
			const fromHuman = needHuman
				? extractPlainBounce(human, { exclude, headerRecipients: facts.map((f) => f.recipient).filter((r): r is string => !!r) })
				: [];
			// The addresses the text itself names (not the report's recipients filled in where it names none), read when asked.
			let named: RecipientFacts[] | undefined;
			const namedInHuman = () => (named ??= extractPlainBounce(human, { exclude, headerRecipients: [] }));
			return fromMailSystem(facts.map((f, i) => {
				let diagnostic = f.diagnostic ? completeMultilineReply(f.diagnostic, human) : f.diagnostic;
				if (!diagnostic || !reasonTextLike(diagnostic)) {
					const h = fromHuman.find((x) => x.recipient && f.recipient && x.recipient.toLowerCase() === f.recipient.toLowerCase()) ?? (facts.length === 1 ? fromHuman[i] : undefined);
					const reply = h && speaksForRecipient(h, f.recipient, namedInHuman) ? h : undefined;
					diagnostic = [diagnostic, reply?.diagnostic].filter(Boolean).join(' ') || null;
				}
				const recipient = f.recipient ?? (facts.length === 1 ? (namedInHuman()[0]?.recipient ?? null) : null);
				// The report text is about every recipient; it can only explain one of one, or this
				// recipient's own paragraph.
				const own = facts.length > 1 && recipient ? fromHuman.find((x) => x.recipient?.toLowerCase() === recipient.toLowerCase()) : undefined;
				// A forward or alias (Exim's "generated from", Postfix's "expanded from") often has no
				// Original-Recipient field: the text still names the address the reminder went to.
				const originalRecipient = f.originalRecipient ?? (facts.length > 1 ? (own?.originalRecipient ?? null) : expandedFrom(human));
				const aboutOurSender = refusesOurSender(diagnostic, [recipient, originalRecipient], ourSender);
				return finish({ ...f, recipient, originalRecipient, diagnostic }, correlation, facts.length > 1 ? (own?.diagnostic ?? null) : human, undefined, aboutOurSender, sendersOwnHost);
			}));
		}
	}

	const ses = SES_TYPE_FIELD.test(mainText) ? parseSesNotification(mainText) : null;
	if (ses && ses.facts.length) {
		const c = mergeCorrelation(correlation, ses.correlation);
		if (ses.type === 'complaint' && ses.feedbackType?.toLowerCase() === 'not-spam') return [notABounce(NOT_SPAM, c)];
		return fromMailSystem(ses.facts.slice(0, LIMITS.recipients).map((f) => {
			if (ses.type === 'complaint') return { ...finish(f, c, null, 'feedback'), feedbackType: ses.feedbackType };
			return finish(f, c, null, ses.type === 'delivery' ? 'delivered' : undefined);
		}));
	}

	const subject = subjectLine;
	// A digest lists what was held for our mailbox: it is no report about a reminder of ours (it names
	// none, and no failed recipient), no answer (no reply subject, no threading) and no auto-reply.
	const couldBeDigest =
		!dsnParts.length &&
		!top.has('x-failed-recipients') &&
		!parts.some((p) => p.isAttachedMessage || isHeadersPart(p)) &&
		!namesOurReminder(correlation) &&
		!autoReply &&
		!isReplySubject(subject) &&
		!top.has('in-reply-to');
	if (couldBeDigest && isQuarantineDigest(subject, report)) return [notABounce(QUARANTINE_DIGEST, correlation)];
	// RFC 3834 auto-replies go out with the null return path too (Exchange's automatic replies): one
	// from the customer's side, not from a mail system's mailbox, is their auto-reply whatever its
	// words say about delivery.
	const returnsMessage = parts.some((p) => p.isAttachedMessage || isHeadersPart(p));
	if (autoReply && !hasSystemSender(top) && !(returnsMessage && quotesRefusalOfAnother(top, report))) return autoReplyResult();
	if (looksLikeBounce(top, subject, report, dsnParts.length > 0, parts.some((p) => p.isAttachedMessage))) {
		// Some relays paste the delivery-status fields into the text instead of a report part, and a
		// forwarded bounce carries the whole report, MIME parts and all, as its text.
		const pasted = pastedDeliveryStatus(report) ?? pastedDeliveryStatus(mainText);
		if (pasted) {
			const embedded = recipientFactsFromDsn(parseDeliveryStatus(pasted));
			if (embedded.some((f) => f.recipient)) return fromMailSystem(embedded.map((f) => finish(f, correlation, embedded.length > 1 ? null : report, undefined, refusesOurSender(f.diagnostic, [f.recipient, f.originalRecipient], ourSender), sendersOwnHost)));
		}
		const headerRecipients = addressListIn(top, 'x-failed-recipients');
		// A delay warning without a report part is still a notice that the server keeps trying: in its
		// words, or in the subject its template gives it, in whatever language.
		const returnedSubject = attached.filter((p) => p.depth > 0).map((p) => firstHeader(p.headers, 'subject'))[0] || returnedHeaderTexts.map((t) => quotedHeader(t, 'subject')).find(Boolean);
		const action = saysStillTrying(report) || (subjectSaysDelayed(subject, returnedSubject ?? null) && !saysDeliveryFailed(report) && !saysRetriesAreOver(report)) ? 'delayed' : null;
		// A recipient the server refused for good (5xx) is no delay, whatever a mixed report says of the others.
		const facts = extractPlainBounce(report, { exclude, headerRecipients }).map((f) => (action && !refusedForGood(f) ? { ...f, action } : f));
		if (facts.length === 1 && !facts[0].recipient) facts[0] = { ...facts[0], recipient: originalRecipient(parts, returnedHeaderTexts, exclude) };
		// Words alone ("Ihre Sendung konnte nicht zugestellt werden": a parcel service, a bank, a
		// newsletter) with no failed address, no returned message and nothing of a reminder of ours
		// are no report about any mail we sent.
		const unanchored = facts.every((f) => !f.recipient) && !parts.some((p) => p.isAttachedMessage || isHeadersPart(p)) && !correlation.originalMessageId && !correlation.invoiceId;
		if (unanchored) return [notABounce('looks like a delivery report, but it names no failed address and returns no message of ours: not taken as a bounce', correlation)];
		return fromMailSystem(facts.map((f) => {
			const r = finish(f, correlation, facts.length > 1 ? null : report, undefined, refusesOurSender(f.diagnostic, [f.recipient, f.originalRecipient], ourSender));
			if (r.reason !== 'undefined' || !f.recipient) return r;
			// A gateway that only says "unable to deliver" may return the internal server's own
			// report as the attached message: its words about this recipient tell why.
			const inner = attachedReportAbout(parts, f.recipient);
			return inner ? finish(f, correlation, inner) : r;
		}));
	}

	// A mailing-list manager's notice that it refused the message as a loop (list-loop-alert.ts).
	const loop = fmlLoopAlert(top, subject, mainText);
	if (loop) {
		const c = mergeCorrelation(correlation, correlationFromText(loop.original));
		return [ownCopyMarked(finish({ recipient: loop.recipient, action: 'failed', status: null, replyCode: null, diagnostic: loop.diagnostic, remoteMta: null, reportingMta: null }, c, null, 'systemerror'))];
	}

	// (A mail system's message marked auto-replied, as Exim marks its reports, that reads as no report
	// we know is no one's absence: an auto-reply would count the reminder as delivered. Judged by its
	// From and Sender: RFC 3834 §3.3 gives auto-replies the null envelope, which a server may write as
	// "Return-Path: <MAILER-DAEMON>". A no-reply box's acknowledgement is an auto-reply, and one that
	// says the contact is gone is for a person to read, whoever sent it.)
	const sentByMailSystem = () => hasSystemSender(new Map(['from', 'sender'].map((k): [string, string[]] => [k, top.get(k) ?? []])), false);
	if (autoReply && (!sentByMailSystem() || saysContactGone(report, addressesIn(top, ['from'])[0] ?? null))) return autoReplyResult();

	// A person's answer to a reminder: someone must read it before the next stage goes out.
	const reply = replyToReminder(top, subject, readerText, sentByMachine(top), carried);
	if (reply) return [replyResult(top, mergeCorrelation(reply.correlation, correlation), readerText)];

	return [notABounce('not a bounce, auto-reply or feedback report', correlation)];
}

/**
 * The documented wordings of a delay warning sent as plain text: Exim's default warning message
 * ("has not yet been delivered … Delivery attempts will continue", Exim spec, delay_warning), the
 * "THIS IS A WARNING MESSAGE ONLY" of Sendmail, Postfix's "THIS IS A WARNING ONLY … It will be
 * retried until it is 5 day(s) old" (its bounce template), Gmail delay notices ("Will keep trying until"),
 * OpenSMTPD's "only a temporary failure report" (its expiry, in the same template, names
 * "Envelope expired": final, see finish()), and the notices of Exchange ("Delivery will continue to be
 * attempted", "The server will keep trying to deliver this message …"; German "Es wird weiterhin
 * versucht, die Nachricht zu übermitteln") and Gmail ("Gmail will retry for 47 more hours"; German
 * "Gmail versucht es noch 47 Stunden lang"); German servers' "Der Versand wird automatisch wiederholt;
 * Sie müssen die Nachricht nicht erneut senden" (Sendmail's "you do not need to resend"); XMail's
 * "** This is a temporary error and you do not have to resend the message" (its queue source);
 * "… will continue to attempt delivery / to attempt to deliver" (MDaemon, Exchange's delay notices).
 */
/** A server's permanent refusal with its enhanced code (RFC 3463), "550 5.1.1 …", as reports quote it and answers written by people do not. */
const QUOTED_PERMANENT_REFUSAL = /(?:^|[\s:'(])5\d\d[ -]5\.\d{1,3}\.\d{1,3}\b/m;

/**
 * A mail server's report sent from an ordinary mailbox and marked auto-replied (a small business's
 * server that sends its reports from info@): it returns the message and quotes a server's refusal of
 * another address. An autoresponder that quotes a refusal of its own address is still that mailbox
 * answering, and one that returns nothing (a note that an old address "will answer 550 5.1.1") too.
 */
function quotesRefusalOfAnother(top: Map<string, string[]>, report: string): boolean {
	const head = report.slice(0, 6000);
	const from = addressesIn(top, ['from'])[0]?.toLowerCase();
	return QUOTED_PERMANENT_REFUSAL.test(head) && !!from && !head.toLowerCase().includes(from);
}

const STILL_TRYING = /has not yet been delivered|delivery attempts will continue|this is a warning (?:message )?only|it will be retried until|will keep trying until|only a temporary failure report|delivery will continue to be attempted|will keep trying to deliver|will retry for \d{1,3} more hours|es wird weiterhin versucht|versucht es noch \d{1,3} stunden|(?:versand|zustellung) wird automatisch wiederholt|m(?:ü|ue)ssen die nachricht nicht erneut senden|this is a temporary error and you do not have to resend|will continue (?:to attempt|attempting|trying) (?:delivery|to deliver)|n'a pas encore (?:é|e)t(?:é|e) (?:remis|distribu)|de nouvelles tentatives de remise seront effectu|es werden weitere zustellversuche unternommen/i;

/**
 * A report that says the retries are over ("endgültig nicht zugestellt", "keine weiteren
 * Zustellversuche", "will not be retried", Exchange's "… and has stopped trying") is final, whatever
 * else it quotes or explains.
 */
const GAVE_UP = /\bendg(?:ü|ue)ltig (?:nicht (?:zugestellt|übermittelt)|abgelehnt|fehlgeschlagen|gescheitert)\b|keine weiteren (?:zustell)?versuche|wird nicht (?:weiter|mehr) versucht|\b(?:have|has|i'?ve) given up\b|\b(?:will|shall) not be retried\b(?! (?:again )?(?:until|before|for)\b)|\bhas stopped trying\b|\bno (?:further|more) (?:delivery )?attempts will be made\b|aucune (?:nouvelle )?tentative ne sera (?:plus )?effectu|supprim(?:é|e) de la file d'attente/i;

/** A warning says what will happen if the retries fail ("Gelingt die Zustellung … nicht, wird … endgültig abgelehnt"). */
const CONDITION = /\b(?:falls|wenn|sollte|gelingt|nach ablauf|innerhalb|if|unless|within)\b/i;

function saysStillTrying(report: string): boolean {
	// Plain notices wrap their lines anywhere ("Sie müssen die\nNachricht nicht erneut senden").
	const head = report.slice(0, 6000).replace(/\s+/g, ' ');
	if (!STILL_TRYING.test(head)) return false;
	return !head.split(/(?<=[.!?])\s+/).some((sentence) => GAVE_UP.test(sentence) && !CONDITION.test(sentence));
}

/**
 * The subject a mail system's delay template gives its notice: Exim's "Warning: message … delayed 24
 * hours" (its warning template, Exim spec "Customizing bounce and warning messages"), Postfix's
 * "Delayed Mail (still being retried)" (bounce(5) delay_template), Exchange's "Delivery delayed: …",
 * Gmail's "Delivery Status Notification (Delay)". Sites translate these templates (Exim's
 * warn_message_file, Postfix's bounce_template_file) and Exchange writes its notices in the sender's
 * language: the word for "delayed" in German, French, Spanish, Italian and Dutch counts as the English
 * one. Only the notice's own words: the subject of the returned message it repeats ("… : Aviso de
 * retraso en el pago") is taken out first. A subject alone never outweighs the text: words that
 * delivery failed (saysDeliveryFailed) or that the retries are over, or a permanent refusal of the
 * recipient (refusedForGood), keep it final.
 */
const DELAY_SUBJECT =
	/\bdelayed\b|\(delay\)|\bverz(?:ö|oe)gert\b|\bverz(?:ö|oe)gerte (?:zustellung|nachricht)\b|\b(?:remise|message|distribution) (?:diff(?:é|e)r(?:é|e)e?|retard(?:é|e)e?)\b|\bretrasad[oa]\b|\bretraso en la entrega\b|\britardat[oa]\b|\britardo (?:nel|di|della) (?:recapito|consegna)\b|\bvertraagd\b|\bvertraging\b/i;

function subjectSaysDelayed(subject: string, returnedSubject: string | null): boolean {
	const own = returnedSubject?.trim() ? subject.split(returnedSubject.trim()).join(' ') : subject;
	return DELAY_SUBJECT.test(cut(own, 1000));
}

/** The notice says the retries are over: a sentence that gave up, or the reporting MTA's expiry verdict (decide.ts). */
function saysRetriesAreOver(report: string): boolean {
	const head = report.slice(0, 6000).replace(/\s+/g, ' ');
	return EXPIRY_VERDICT.test(head) || head.split(/(?<=[.!?])\s+/).some((sentence) => GAVE_UP.test(sentence) && !CONDITION.test(sentence));
}

/** A 5xx for this recipient, unless its own words say the server still tries (Sendmail's "Deferred:", Exim's "Delay reason:"). */
function refusedForGood(f: RecipientFacts): boolean {
	if (/\bdeferred:|\bdelay reason:/i.test(f.diagnostic ?? '')) return false;
	return [f.status, f.replyCode].some((code) => code?.startsWith('5'));
}

/**
 * RFC 3464 §2.3.4: a recipient's Status is the reporting MTA's verdict on it; the human-readable part
 * (§2.1) is free text for a person, often a template's opening about every recipient ("Your message
 * could not be delivered."). A paragraph of it stands for this recipient's server reply only when it
 * names the recipient or quotes a reply or status code: a template's words must not outvote the
 * dead-address code (RFC 3463 §3.2) as if a server had said them (category.ts, saysSomethingElse).
 */
function speaksForRecipient(paragraph: RecipientFacts, recipient: string | null, namedInText: () => RecipientFacts[]): boolean {
	const text = paragraph.diagnostic ?? '';
	if (paragraph.replyCode || paragraph.status || findReplyCode(text, true) || findStatusCodes(text).some((c) => c[0] !== '2')) return true;
	return !!recipient && namedInText().some((n) => n.recipient?.toLowerCase() === recipient.toLowerCase());
}

/** True when a Diagnostic-Code carries words, not just a number. */
function reasonTextLike(diagnostic: string): boolean {
	return /[A-Za-z]{4,}/.test(diagnostic.replace(/\b(?:smtp|x-[a-z-]+)\s*;/gi, ''));
}
