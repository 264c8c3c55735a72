import type { BounceKind, BounceReason } from './types';
import { RECIPIENTS_OWN_LIST, reasonFromText, remoteReplyText, smtpStage, weakReasonFromText, type SmtpStage } from './diagnostic-reason';
import { isGenericStatus, isSpecificStatus, reasonFromStatus } from './status-code';
import { isDirectoryNoSuchRecipient } from './directory-answer';

/**
 * The reason of one failed recipient. A precise enhanced status code (X.2.2 mailbox full,
 * X.7.26 authentication) decides on its own; a broad one (X.0.0, X.5.0, X.7.1 — servers use
 * them for anything) is refined by the diagnostic text, and is only the fallback when the text
 * says nothing we recognise.
 */
export function decideReason(
	status: string | null,
	diagnostic: string | null,
	context: string | null,
	diagnosticType: string | null = null,
	knownStage: SmtpStage | null = null,
): BounceReason {
	const reason = reasonOf(status, diagnostic, context, diagnosticType, knownStage);
	// The report's last word is that the message expired: whatever refusal of the address it quotes
	// was an attempt it went on retrying (RFC 5321 §4.2.1: a 5yz reply is not repeated; Exim retries
	// only temporary errors, FAQ Q0608 and spec "Retry configuration"), never the proof of a dead one.
	return (reason === 'userunknown' || ADDRESS_WORDS.has(reason)) && saysExpired(status, diagnostic, context) ? 'expired' : reason;
}

function reasonOf(status: string | null, diagnostic: string | null, context: string | null, diagnosticType: string | null, knownStage: SmtpStage | null): BounceReason {
	const reason = reasonBeforeStage(status, diagnostic, context);
	// An X-Unix diagnostic is the exit of the local delivery program (a pipe, procmail, maildrop):
	// unless its words name a cause, the program itself failed.
	if (diagnosticType === 'x-unix' && ['undefined', 'systemerror', 'onhold', 'securityerror', 'expired'].includes(reason)) return 'mailererror';
	// The SMTP command that was refused says whom the refusal is about: a refusal of MAIL FROM
	// is about our sender, and "unknown user" at DATA means the recipient's filter said no.
	// `knownStage` is the command a sender saw refused (refusal-at-send.ts); the server's own words
	// come first, since Postfix names the restriction whatever command it answered (smtpd_delay_reject
	// answers a sender restriction at RCPT TO).
	const stage = smtpStage(diagnostic) ?? knownStage ?? smtpStage(context);
	// (Not a recipient's own list of refused senders: Postfix answers it as "Sender address rejected".)
	if (stage === 'mail' && ['userunknown', 'hostunknown', 'notaccept', 'filtered', 'undefined'].includes(reason) && !(reason === 'filtered' && RECIPIENTS_OWN_LIST.test(diagnostic ?? ''))) {
		return 'rejected';
	}
	// "Access denied" to MAIL FROM refuses the sender; "authentication required" asks us to log in.
	if (stage === 'mail' && reason === 'securityerror' && !/authenticat/i.test(diagnostic ?? '')) return 'rejected';
	// "User unknown" that is not a vendor's documented directory answer (Yahoo checks its users after
	// DATA, Sophos answers its no-such-recipient under 5.7.1): after DATA, or under a security/policy
	// code (5.7.x), it is a filter's refusal worded vaguely.
	const vagueUserUnknown = reason === 'userunknown' && !isDirectoryNoSuchRecipient(`${diagnostic ?? ''}\n${context ?? ''}`);
	if (stage === 'data' && vagueUserUnknown) return 'filtered';
	// Refused before any command: the refusal is about the connecting host, i.e. our server.
	// ("Helo command rejected: Host not found": our HELO name does not resolve.)
	if (stage === 'connect' && ['securityerror', 'rejected', 'undefined', 'policyviolation', 'userunknown', 'hostunknown', 'spamdetected'].includes(reason)) return 'blocked';
	if (vagueUserUnknown && status && /^\d\.7\./.test(status)) return 'filtered';
	// The same for the other words of a dead address: RFC 3463 §3.8 has X.7.x report "security or
	// policy status", so "This recipient does not accept mail" or "Domain not found" under 5.7.1 is a
	// policy's refusal worded so. Not X.7.27: Sendmail writes it for a recipient host that accepts no
	// mail ("550 Host does not accept mail"), and its words decide (status-code.ts, isSpecificStatus).
	if (ADDRESS_WORDS.has(reason) && status && /^\d\.7\./.test(status) && !/^\d\.7\.27$/.test(status)) return 'filtered';
	// RFC 3463 §3.3: X.2.x is the state of a mailbox that exists ("X.2.1 Mailbox disabled, not accepting
	// messages: the mailbox exists, but is not accepting messages"); §3.4: X.3.x the state of the
	// receiving system ("X.3.2 System not accepting network messages": shutdown, maintenance). "Not
	// accepting mail" under them is that state, which the code names; never an address that is gone.
	// (Not X.2.0: Sendmail gives it to any bare 550 it relays, savemail.c smtptodsn; the words decide.)
	if (reason === 'notaccept' && status && /^\d\.(?:2\.(?!0$)\d{1,3}|3\.\d{1,3})$/.test(status)) return reasonFromStatus(status) ?? 'undefined';
	// A DNS answer given as a temporary failure is a resolver problem, not a dead domain.
	if (reason === 'hostunknown' && status?.startsWith('4')) return 'networkerror';
	return reason;
}

/**
 * The reporting MTA says the message expired (its verdict, not a remote reply): RFC 3463 X.4.7
 * "Delivery time expired" as the status or the report's own leading code ("554 5.4.7 Delivery
 * expired (message too old) [Last error: …]"); Exim's "retry timeout exceeded" (appended to the last
 * error), "retry time not reached for any host after a long failure period", "all hosts … have been
 * failing for a long time (and retry time not reached)"; Sendmail's "could not be delivered for 5
 * days"; qmail's "this message has been in the queue too long".
 */
export const EXPIRY_VERDICT =
	/\bretry timeout exceeded\b|\bretry time not reached for any host\b|\bhave been failing for a long time\b|\b(?:delivery|message|envelope) (?:time )?(?:has )?expired\b|\bmessage (?:is )?too old\b|\bcould not be delivered for \d+ (?:days?|hours?)\b|\b(?:been )?in the queue too long\b/i;

function saysExpired(status: string | null, diagnostic: string | null, context: string | null): boolean {
	if (status && /^[45]\.4\.7$/.test(status)) return true;
	const lead = /^\s*(?:[45]\d\d[ -]+)?([45]\.\d{1,3}\.\d{1,3})\b/.exec(diagnostic ?? '')?.[1];
	return (!!lead && /^[45]\.4\.7$/.test(lead)) || EXPIRY_VERDICT.test(diagnostic ?? '') || EXPIRY_VERDICT.test(context ?? '');
}

/** Words that would say an address is dead (category.ts ADDRESS_REASONS), a vague "user unknown" aside. */
const ADDRESS_WORDS: ReadonlySet<BounceReason> = new Set<BounceReason>(['hostunknown', 'notaccept', 'hasmoved']);

/**
 * Our own sending limits, in the words of the provider that counts them, under codes that elsewhere
 * mean the recipient's full mailbox or a congested system: Microsoft's "5.2.2 Submission quota
 * exceeded" / SubmissionQuotaExceededException (Exchange Online NDR reference) and Gmail's "5.4.5
 * Daily user sending limit exceeded" / "Daily SMTP relay limit exceeded for user" (Gmail SMTP errors),
 * and cPanel's "Domain … has exceeded the max emails per hour" / "max defers and failures per hour"
 * (its hosting limits on our account); DirectAdmin's "You (user) have reached your message limit",
 * Plesk's "limit on the number of allowed outgoing messages was exceeded", IONOS's "Mail send limit
 * exceeded", StartMail's "Your mail limit has been reached" (their help pages on outgoing limits),
 * Zoho's "5.4.6 Unusual sending activity detected" (its help forum: our account held for sending).
 */
const OUR_SENDING_LIMIT =
	/submission ?quota|(?:sending|relay|mail send) limit exceeded|exceeded the max (?:emails|defers and failures) per hour|\byou (?:\(\S+\) )?have reached your (?:daily |hourly )?(?:message|sending|send|mail|e-?mail) limit|number of allowed outgoing messages was exceeded|\byour (?:daily |hourly )?(?:mail|message|sending|e-?mail) limit has been reached|unusual sending activity/i;

/**
 * A refusal in bare words that name nothing, under no code or a generic one: "550 Rejected", "550
 * Refused", "554 Message refused", "550 Not allowed", Exim's text for an ACL `deny` that sets no message
 * of its own ("550 Administrative prohibition", Exim specification, "Access control lists"). RFC 5321
 * §4.2.2's 550 covers "mailbox not found, no access, or command rejected for policy reasons": nothing
 * says the refusal is about our host, sender or message. (The command it answered can: decideReason.)
 */
const BARE_REFUSAL =
	/^\s*(?:[45]\d\d(?:[ -]+[45]\.0\.0)?[ -]+)?(?:(?:message|mail|e-?mail|recipient|delivery)\s+)?(?:rejected|refused|denied|not allowed|administrative prohibition|access denied)\.?(?:\s*\(in reply to [^()]{1,40}\))?\s*$/i;

function reasonBeforeStage(status: string | null, diagnostic: string | null, context: string | null): BounceReason {
	if (OUR_SENDING_LIMIT.test(diagnostic ?? '')) return 'speeding';
	const codeReason = status ? reasonFromStatus(status) : null;
	if (status && codeReason && isSpecificStatus(status)) return codeReason;
	if (BARE_REFUSAL.test(remoteReplyText(diagnostic) ?? diagnostic ?? '') && (!status || isGenericStatus(status))) return 'undefined';
	// The remote server's quoted words first, then the relay's framing around them.
	const textReason = reasonFromText(remoteReplyText(diagnostic)) ?? reasonFromText(diagnostic);
	// A temporary network-level failure (4.4.x) that ends up in a report means the message
	// sat in the queue until its lifetime ran out.
	// A name lookup that failed temporarily is a resolver problem, however long it lasted (below).
	if (status && /^4\.4\.[0127]$/.test(status) && (!textReason || textReason === 'networkerror' || textReason === 'systemerror' || textReason === 'onhold')) {
		return 'expired';
	}
	// "Gave up after retrying" is the consequence; a precise temporary code names the cause.
	if (textReason === 'expired' && codeReason && status && /^4\.4\./.test(status) && !/^4\.4\.[0127]$/.test(status)) {
		return codeReason;
	}
	// A connection that never succeeded is retried until the queue lifetime ends: without a code
	// of its own, a final report of it means the message expired.
	// OpenSMTPD says "Network error on destination MXs" when no MX could be reached (real reports,
	// connection refused and timeout alike), under a generic X.0.0 code.
	if ((!status || isGenericStatus(status)) && textReason === 'networkerror' && /connect|timed? ?out|reachable|network error on destination/i.test(diagnostic ?? '') && !/loop|hop|name server|dns/i.test(diagnostic ?? '')) {
		return 'expired';
	}
	if (textReason === 'expired' && context) {
		const cause = causeInAttemptHistory(context);
		if (cause) return cause;
	}
	if (textReason) return textReason;
	if (codeReason) return codeReason;
	const weak = weakReasonFromText(diagnostic);
	if (weak) return weak;
	const contextReason = reasonFromText(context);
	if (contextReason) return contextReason;
	return 'undefined';
}

/** What kept an expired message out, as far as it is about our host or this mailbox (never a dead address). */
// (Not a rate: "receiving mail at a rate" is the mailbox's own, Gmail's 4.2.1.)
const EXPIRY_CAUSES: ReadonlySet<BounceReason> = new Set(['blocked', 'badreputation', 'requireptr', 'failedstarttls', 'spamdetected', 'authfailure', 'mailboxfull', 'toomanyconn']);

/**
 * Exchange's report of an expired message lists the attempts for each recipient, newest first
 * ("Remote Server at mx (ip) returned '451 4.4.0 … is in an RBL …'"): the newest attempt that says
 * more than "expired" names the cause, when it is one of EXPIRY_CAUSES.
 */
function causeInAttemptHistory(context: string): BounceReason | null {
	for (const [, reply] of context.matchAll(/\breturned '(.+)'[ \t]*$/gim)) {
		const reason = reasonFromText(reply);
		if (reason === null || reason === 'expired') continue;
		return EXPIRY_CAUSES.has(reason) ? reason : null;
	}
	return null;
}

const HARD: ReadonlySet<BounceReason> = new Set(['userunknown', 'hostunknown', 'hasmoved']);

/** Hard = the address itself is dead: unknown user/host, moved, or a permanent "accepts no mail". */
export function isHardBounce(reason: BounceReason, status: string | null, replyCode: string | null): boolean {
	if (HARD.has(reason)) return true;
	if (reason !== 'notaccept') return false;
	if (status) return status.startsWith('5');
	if (replyCode) return replyCode.startsWith('5');
	return true;
}

export function kindFor(reason: BounceReason, hard: boolean): BounceKind {
	if (reason === 'vacation') return 'autoReply';
	if (reason === 'feedback') return 'complaint';
	if (reason === 'delivered') return 'delivered';
	return hard ? 'hard' : 'soft';
}
