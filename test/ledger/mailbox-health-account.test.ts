/**
 * A refusal of our own account (Send-As denied, the sending limit used up, a bad outbound sender,
 * our own mailbox full) pauses the mailbox at once, with its own cause and fix, as the sending run
 * stops on it; relaying denied in a customer's server's report, or a refusal behind the customer's
 * forward, does not.
 */
import { categoryFor } from '../../lib/bounce/category';
import { classifyRefusalAtSend } from '../../lib/bounce/refusal-at-send';
import { accountRefusal, accountRefusalAtSend } from '../../lib/mail/account-refusal';
import { pausesMailboxAtOnce, readHealth, recordSenderEvents, type DeliveryRefusal, type SenderEvent } from '../../lib/ledger/mailbox-health';
import type { SenderProblem } from '../../lib/bounce/sender-advice';

const at = Date.parse('2099-03-02T10:00:00Z');
const now = new Date(at).toISOString();
const policy = { rejectionsToPause: 3, windowHours: 24 };

const SEND_AS: SenderProblem = { reason: 'blocked', status: '5.2.252', diagnostic: '554 5.2.252 SendAsDenied; shop@example.com not allowed to send as other@example.com' };
const GMAIL_DAILY: SenderProblem = { reason: 'speeding', status: '5.4.5', diagnostic: '550 5.4.5 Daily user sending limit exceeded.' };
const M365_QUOTA: SenderProblem = { reason: 'speeding', status: '5.2.0', diagnostic: '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message' };
const BAD_OUTBOUND: SenderProblem = { reason: 'rejected', status: '5.1.8', diagnostic: '550 5.1.8 Access denied, bad outbound sender. AS(42004)' };
const RELAY: SenderProblem = { reason: 'norelaying', status: '5.7.1', diagnostic: '554 5.7.1 <kunde@example.org>: Relay access denied' };
// Our own Exchange Online mailbox over its quota: Microsoft's "Message storage and concurrent
// connection throttling for SMTP Authenticated Submission" quotes both texts.
const OWN_FULL: SenderProblem = {
	reason: 'mailboxfull',
	status: '5.2.2',
	diagnostic: '554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
};
const OWN_FULL_QUOTA: SenderProblem = {
	reason: 'mailboxfull',
	status: '5.2.2',
	diagnostic: '554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionQuotaExceeded',
};
// Microsoft's "Continuous error throttling for SMTP AUTH submissions", after many of those.
const OWN_FULL_THROTTLED: SenderProblem = { reason: 'speeding', status: '5.2.251', diagnostic: '550 5.2.251 Sender throttled due to continuous mailbox full errors.' };
// Exchange Online's NDR 5.2.2 "Submission quota exceeded": the recipient or message rate limit, not the mailbox's size.
const M365_SUBMISSION_QUOTA: SenderProblem = { reason: 'speeding', status: '5.2.2', diagnostic: '550 5.2.2 Submission quota exceeded' };
const OWN_FULL_BECAUSE = 'your own mailbox, full: over its storage quota, it sends nothing';

const event = (problem: SenderProblem): SenderEvent => ({ kind: 'senderRejected', at, sentAt: at, recipient: 'kunde@example.org', ...problem });

test.each([
	['Send-As denied', SEND_AS, 'sendAs', 'Send As denied: the login may not send as the sender address (5.2.252)'],
	['Gmail daily limit', GMAIL_DAILY, 'sendingLimit', "the account's sending limit, used up (5.4.5)"],
	['Microsoft 365 submission quota', M365_QUOTA, 'sendingLimit', "the account's sending limit, used up (5.2.0)"],
	['bad outbound sender', BAD_OUTBOUND, 'accountBlocked', 'a block of your account or sender address for sending (bad outbound sender) (5.1.8)'],
	['our own Exchange mailbox full (ShutoffQuota)', OWN_FULL, 'ownMailboxFull', `${OWN_FULL_BECAUSE} (5.2.2)`],
	['our own Exchange mailbox full (Quota)', OWN_FULL_QUOTA, 'ownMailboxFull', `${OWN_FULL_BECAUSE} (5.2.2)`],
	['Exchange throttling continuous mailbox full errors', OWN_FULL_THROTTLED, 'ownMailboxFull', `${OWN_FULL_BECAUSE} (5.2.251)`],
	['Microsoft 365 "Submission quota exceeded"', M365_SUBMISSION_QUOTA, 'sendingLimit', "the account's sending limit, used up (5.2.2)"],
])('%s pauses the mailbox on the first refusal, naming its cause', (_name, problem, cause, because) => {
	const change = recordSenderEvents(readHealth('default', null), [event(problem)], now, policy);
	expect(change.pausedNow).toBe(true);
	expect(change.health.statusReason).toBe(cause);
	expect(change.health.statusMessage).toMatch(new RegExp(`^Sending from mailbox "default" is paused: reminders were refused because of ${because.replace(/[().]/g, '\\$&')}\\. Fix: `));
	expect(pausesMailboxAtOnce({ status: 'failed', category: 'senderRejected', bounceReason: problem.reason as DeliveryRefusal['bounceReason'], smtpStatus: problem.status ?? null, smtpResponse: problem.diagnostic ?? null })).toBe(true);
});

test('relaying denied (in a report, the words of the customer\'s server), a forwarded refusal and a transient one count by the usual rule only', () => {
	for (const problem of [
		RELAY,
		{ ...SEND_AS, forwarded: true },
		{ ...GMAIL_DAILY, status: '4.5.3', diagnostic: '452 4.5.3 Daily user sending limit exceeded' },
		{ ...OWN_FULL, forwarded: true },
		{ ...OWN_FULL, status: '4.2.2', diagnostic: '452 4.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionQuotaExceeded' },
	]) {
		expect(recordSenderEvents(readHealth('default', null), [event(problem)], now, policy).pausedNow).toBe(false);
		expect(accountRefusal(problem)).toBeNull();
	}
});

test('at send, relaying denied at RCPT TO and any X.1.8 are our own server refusing our account; recipient refusals never are', () => {
	expect(accountRefusalAtSend(RELAY, 'RCPT TO')?.cause).toBe('relaying');
	expect(accountRefusalAtSend(RELAY, 'DATA')).toBeNull();
	// A bare X.1.8 is explained as a refusal of the sender address (before: as a blocked account,
	// "Restricted entities"); only Microsoft's "bad outbound sender" is a block.
	expect(accountRefusalAtSend({ reason: 'rejected', status: '5.1.8', diagnostic: '550 5.1.8 <info@shop.example>: Sender address rejected: Domain not found' }, 'MAIL FROM')).toEqual({
		cause: 'senderAddress',
		because: 'a refusal of the sender address (5.1.8)',
		fix: 'check that the sender address in the credential exists and that its domain has valid MX and SPF records',
	});
	expect(accountRefusalAtSend(BAD_OUTBOUND, 'MAIL FROM')?.cause).toBe('accountBlocked');
	for (const problem of [
		{ reason: 'userunknown', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' },
		{ reason: 'mailboxfull', status: '5.2.2', diagnostic: '552 5.2.2 Mailbox full' },
		{ reason: 'blocked', status: '5.7.1', diagnostic: '554 5.7.1 Client host blocked using zen.spamhaus.org' },
	]) {
		expect(accountRefusalAtSend(problem, 'RCPT TO')).toBeNull();
	}
});

test('at send, our own Exchange mailbox full (STOREDRV.Submission) is our account, with the fix to empty it; before, it was taken for no refusal of ours', () => {
	// Before: null ("a mailbox size, not a sending quota"), so every reminder failed alike as the customer's full mailbox.
	expect(accountRefusalAtSend(OWN_FULL, 'DATA')).toEqual({
		cause: 'ownMailboxFull',
		because: `${OWN_FULL_BECAUSE} (5.2.2)`,
		fix:
			'empty the Sent Items and Deleted Items folders of the sending mailbox, or have an admin raise its quota, then resume ' +
			'(Microsoft 365 keeps a copy of every message sent by SMTP in Sent Items: a retention policy that empties that folder keeps it from filling up again)',
	});
	// Still the sending limit, not the mailbox: Exchange's daily recipient limit at submission.
	expect(accountRefusalAtSend(M365_QUOTA, 'DATA')?.cause).toBe('sendingLimit');
});

test.each([
	['a plain 552 5.2.2 Mailbox full', '552 5.2.2 <kunde@example.org>: Mailbox full'],
	['a customer\'s Exchange mailbox full (STOREDRV.Deliver)', '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded'],
	['"mailbox full" with a quota in words', '552 5.2.2 Quota exceeded (mailbox for user is full)'],
	['a customer\'s Exchange mailbox full under 5.2.0 (STOREDRV.Deliver)', '554 5.2.0 STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded'],
] as const)('%s stays the customer\'s refusal, at send and in a report: never our account', (_name, reply) => {
	for (const command of ['RCPT TO', 'DATA'] as const) {
		const sorted = classifyRefusalAtSend({ code: Number(reply.slice(0, 3)), response: reply, command });
		expect(sorted.category).toBe('recipientRefused');
		const problem: SenderProblem = { reason: sorted.reason, status: sorted.status, diagnostic: reply };
		expect(accountRefusalAtSend(problem, command)).toBeNull();
	}
	expect(accountRefusal({ reason: 'mailboxfull', status: '5.2.2', diagnostic: reply })).toBeNull();
});

test('our own Exchange mailbox full, answered to our submission, is a refusal of our sender (senderRejected), so the run stops and the mailbox counts it', () => {
	for (const command of ['RCPT TO', 'DATA'] as const) {
		// Before: recipientRefused, the customer's full mailbox.
		expect(classifyRefusalAtSend({ code: 554, response: OWN_FULL.diagnostic ?? null, command })).toEqual({ category: 'senderRejected', reason: 'mailboxfull', status: '5.2.2' });
	}
	expect(pausesMailboxAtOnce({ status: 'failed', category: 'senderRejected', bounceReason: 'mailboxfull', smtpStatus: '5.2.2', smtpResponse: OWN_FULL.diagnostic ?? null })).toBe(true);
	// In a report (no command seen by us) the same words may be a customer's inbox rule resubmitting
	// from their own full mailbox: the customer's refusal, as before.
	expect(categoryFor({ reason: 'mailboxfull', kind: 'soft', status: '5.2.2', replyCode: '554', final: true, diagnostic: OWN_FULL.diagnostic })).toBe('recipientRefused');
});

test('a mailbox paused for Send-As and resumed does not pause again on a late Send-As refusal of a reminder sent before the pause', () => {
	const paused = recordSenderEvents(readHealth('default', null), [event(SEND_AS)], now, policy).health;
	const resumed = { ...paused, status: 'ok' as const, statusMessage: '' };
	const later = at + 3_600_000;
	const late: SenderEvent = { kind: 'senderRejected', at: later, sentAt: at - 1000, recipient: 'other@example.org', ...SEND_AS };
	expect(recordSenderEvents(resumed, [late], new Date(later).toISOString(), policy).pausedNow).toBe(false);
});
