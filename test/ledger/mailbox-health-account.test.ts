/**
 * A refusal of our own account (Send-As denied, the sending limit used up, a bad outbound sender)
 * pauses the mailbox at once, with its own cause and fix, as the sending run stops on it; relaying
 * denied in a customer's server's report, or a refusal behind the customer's forward, does not.
 */
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

const event = (problem: SenderProblem): SenderEvent => ({ kind: 'senderRejected', at, sentAt: at, recipient: 'kunde@example.org', ...problem });

test.each([
	['Send-As denied', SEND_AS, 'sendAs', 'Send As denied: the login may not send as the sender address (5.2.252)'],
	['Gmail daily limit', GMAIL_DAILY, 'sendingLimit', "the account's sending limit, used up (5.4.5)"],
	['Microsoft 365 submission quota', M365_QUOTA, 'sendingLimit', "the account's sending limit, used up (5.2.0)"],
	['bad outbound sender', BAD_OUTBOUND, 'accountBlocked', 'a block of your account or sender address for sending (bad outbound sender) (5.1.8)'],
])('%s pauses the mailbox on the first refusal, naming its cause', (_name, problem, cause, because) => {
	const change = recordSenderEvents(readHealth('default', null), [event(problem)], now, policy);
	expect(change.pausedNow).toBe(true);
	expect(change.health.statusReason).toBe(cause);
	expect(change.health.statusMessage).toMatch(new RegExp(`^Sending from mailbox "default" is paused: reminders were refused because of ${because.replace(/[().]/g, '\\$&')}\\. Fix: `));
	expect(pausesMailboxAtOnce({ status: 'failed', category: 'senderRejected', bounceReason: problem.reason as DeliveryRefusal['bounceReason'], smtpStatus: problem.status ?? null, smtpResponse: problem.diagnostic ?? null })).toBe(true);
});

test('relaying denied (in a report, the words of the customer\'s server), a forwarded refusal and a transient one count by the usual rule only', () => {
	for (const problem of [RELAY, { ...SEND_AS, forwarded: true }, { ...GMAIL_DAILY, status: '4.5.3', diagnostic: '452 4.5.3 Daily user sending limit exceeded' }]) {
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
		// Our own Exchange mailbox full (Sent Items): a mailbox size, not a sending quota.
		{ reason: 'mailboxfull', status: '5.2.2', diagnostic: '554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded' },
		{ reason: 'blocked', status: '5.7.1', diagnostic: '554 5.7.1 Client host blocked using zen.spamhaus.org' },
	]) {
		expect(accountRefusalAtSend(problem, 'RCPT TO')).toBeNull();
	}
});

test('a mailbox paused for Send-As and resumed does not pause again on a late Send-As refusal of a reminder sent before the pause', () => {
	const paused = recordSenderEvents(readHealth('default', null), [event(SEND_AS)], now, policy).health;
	const resumed = { ...paused, status: 'ok' as const, statusMessage: '' };
	const later = at + 3_600_000;
	const late: SenderEvent = { kind: 'senderRejected', at: later, sentAt: at - 1000, recipient: 'other@example.org', ...SEND_AS };
	expect(recordSenderEvents(resumed, [late], new Date(later).toISOString(), policy).pausedNow).toBe(false);
});
