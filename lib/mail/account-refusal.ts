/**
 * Refusals that are about our own mail account, not about the customer: the provider will not let
 * this login send this mail at all (Send-As denied, the account's sending limit used up, the
 * account blocked as an outbound spam source, our own mailbox full) or, refused by our own
 * submission server while we send, will not relay for us. Every further reminder would be refused
 * the same way, so the sending run stops at the first one (send-run.ts) and the mailbox pauses on
 * it (mailbox-health.ts).
 *
 * Only words and codes that name our account unambiguously count: a refusal of one recipient
 * (user unknown, mailbox full, a customer's filter) never does, whoever sent it.
 */
import { OWN_MAILBOX_FULL_AT_SUBMISSION } from '../bounce/category';
import { adviceOf, senderAdvice, type AdviceEntry, type SenderAdvice, type SenderProblem } from '../bounce/sender-advice';

/**
 * Microsoft 365 refuses a login that may not send as the sender address: NDR 5.2.252
 * "SendAsDenied" (Exchange Online's "Email non-delivery reports and SMTP errors"), and Exchange's
 * SMTP response SendAsDenied, "550 5.7.1 Client does not have permission(s) to send as this sender"
 * (Microsoft.Exchange.Data.Transport.Smtp.SmtpResponse.SendAsDenied; Exchange Online says 5.7.60).
 */
const SEND_AS_DENIED = /\bsend ?as ?denied|\bnot have permissions? to send as\b/i;

/**
 * The account's own sending limit is used up:
 * - Exchange Online, SMTP AUTH submission over its recipient rate limit (10,000 a day): "554 5.2.0
 *   STOREDRV.Submission.Exception:SubmissionQuotaExceededException" (Microsoft's "SMTP
 *   Authenticated Submission" throttling article); NDR 5.1.90 "you've reached your daily limit for
 *   message recipients"; 5.7.232/5.7.233 "exceeded its daily limit for sending email to external
 *   recipients" (the tenant's limit).
 * - Gmail / Google Workspace, over the account's daily sending limit ("Gmail sending limits in
 *   Google Workspace", support.google.com/a/answer/166852): "550 5.4.5 Daily user sending limit
 *   exceeded" (also "… quota exceeded").
 * - Exchange Online's NDR 5.2.2 "Submission quota exceeded": "The sender has exceeded the recipient
 *   rate limit or the message rate limit" ("Email non-delivery reports and SMTP errors in Exchange
 *   Online"); also "… the sender's submission quota was exceeded". A rate, not the mailbox's size.
 * Not Exchange's "5.2.2 mailbox full; … Submission.Exception:QuotaExceededException" (our mailbox's
 * size: OWN_MAILBOX_FULL below).
 */
const SENDING_LIMIT = /submission ?quota(?: was)? ?exceeded|\bdaily (?:user )?sending (?:limit|quota)|\bsending (?:limit|quota) (?:exceeded|reached)|\bdaily limit for (?:message recipients|sending)/i;

/**
 * Exchange Online blocks an account it takes for an outbound spam source (a restricted user):
 * "550 5.1.8 Access denied, bad outbound sender" (Exchange Online NDR 5.1.8, "Remove blocked users
 * from the Restricted entities page" in Microsoft Defender for Office 365).
 */
const BAD_OUTBOUND_SENDER = /\bbad outbound sender\b/i;

/**
 * Our own mailbox is over its storage quota, so Exchange Online takes nothing from it for sending
 * (every message sent by SMTP AUTH is kept in its Sent Items): "554 5.2.2 mailbox full;
 * STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded" (or
 * "…MapiExceptionQuotaExceeded"; Microsoft's "Message storage and concurrent connection throttling
 * for SMTP Authenticated Submission": OWN_MAILBOX_FULL_AT_SUBMISSION), and, after many of those,
 * "550 5.2.251 Sender throttled due to continuous mailbox full errors" (Microsoft's "Continuous
 * error throttling for SMTP AUTH submissions"). A customer's full mailbox never says these: a plain
 * "552 5.2.2 Mailbox full", or Exchange's "STOREDRV.Deliver.Exception:QuotaExceededException".
 */
const OWN_MAILBOX_FULL = /\bcontinuous mailbox full errors\b/i;

const SEND_AS: AdviceEntry = {
	cause: 'sendAs',
	label: 'Send As denied: the login may not send as the sender address',
	fix:
		"set the sender address in the Dunning Mailbox (SMTP) credential to the login's own address, or have an admin grant the login the right to send as the sender " +
		'(Microsoft 365: Send As permission on that mailbox), then resume',
};

const LIMIT: AdviceEntry = {
	cause: 'sendingLimit',
	label: "the account's sending limit, used up",
	fix:
		'wait until the provider lets the account send again (Gmail and Microsoft 365 count recipients over a rolling 24 hours), then resume; ' +
		'lower maxPerRun in the Settings of Send released reminders so that a day stays under the limit, or send through a service meant for bulk mail',
};

const MAILBOX_FULL: AdviceEntry = {
	cause: 'ownMailboxFull',
	label: 'your own mailbox, full: over its storage quota, it sends nothing',
	fix:
		'empty the Sent Items and Deleted Items folders of the sending mailbox, or have an admin raise its quota, then resume ' +
		'(Microsoft 365 keeps a copy of every message sent by SMTP in Sent Items: a retention policy that empties that folder keeps it from filling up again)',
};

const BLOCKED: AdviceEntry = {
	cause: 'accountBlocked',
	label: 'a block of your account or sender address for sending (bad outbound sender)',
	fix:
		'your provider refuses the sender or has blocked the account from sending (Microsoft 365: a restricted user, suspected of spam): change the password in case it was ' +
		'abused, have an admin release it (Microsoft Defender portal, Restricted entities) and check that the sender address exists, then resume',
};

/**
 * Whether a refusal can be about our own account at all: not a transient (4.x.x) status, and not
 * behind the customer's forward (their forwarding account's limit or block, not ours).
 */
function mayBeOurs(problem: SenderProblem): boolean {
	return !problem.forwarded && !problem.status?.startsWith('4.');
}

/**
 * The cause and fix when a refusal is about our own account wherever it was read (at send or in
 * a report): Send-As denied, the sending limit used up, the account blocked as a bad outbound
 * sender, our own mailbox full. Null for anything else, or when it may not be ours (mayBeOurs).
 * (The words of Exchange's "mailbox full; STOREDRV.Submission…" match here wherever they were read,
 * but only a refusal at send is sorted as a refusal of our sender, senderRejected: category.ts. In a
 * report they stay the customer's refusal, recipientRefused, which never reaches Mailbox Health's
 * sender rules.)
 */
export function accountRefusal(problem: SenderProblem): SenderAdvice | null {
	if (!mayBeOurs(problem)) return null;
	const words = problem.diagnostic ?? '';
	if (problem.status === '5.2.252' || SEND_AS_DENIED.test(words)) return adviceOf(SEND_AS, problem.status);
	if (SENDING_LIMIT.test(words)) return adviceOf(LIMIT, problem.status);
	if (BAD_OUTBOUND_SENDER.test(words)) return adviceOf(BLOCKED, problem.status);
	if (problem.status === '5.2.251' || OWN_MAILBOX_FULL.test(words) || OWN_MAILBOX_FULL_AT_SUBMISSION.test(words)) return adviceOf(MAILBOX_FULL, problem.status);
	return null;
}

/**
 * The cause and fix when our own submission server refused a reminder because of our account,
 * while we sent it: accountRefusal's cases, and two that only mean our account when it is our own
 * server that says them:
 * - any X.1.8 status (RFC 3463 §3.2: "Bad sender's system address"): the sender is the same for
 *   every reminder (explained by senderAdvice: the sender address or its domain);
 * - relaying denied at RCPT TO: we submit to our own provider's server, so it refuses to pass our
 *   mail on for this login (not signed in, or the sender not its own), not because of the customer.
 *   In a report from a customer's server the same words are about their server: see accountRefusal.
 * `command`: the SMTP command the refusal answered.
 */
export function accountRefusalAtSend(problem: SenderProblem, command: string | null | undefined): SenderAdvice | null {
	const account = accountRefusal(problem);
	if (account) return account;
	if (!mayBeOurs(problem)) return null;
	// A bare X.1.8 (without "bad outbound sender", see accountRefusal) is about the sender address,
	// e.g. Postfix's "Sender address rejected: Domain not found", not a block of the account.
	if (problem.status === '5.1.8' || (problem.reason === 'norelaying' && command === 'RCPT TO')) return senderAdvice(problem);
	return null;
}
