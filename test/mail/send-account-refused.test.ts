/**
 * Our own submission server refusing our account (Send-As denied, the sending limit used up, a bad
 * outbound sender, our own mailbox full, relaying denied for this login) stops the run at the
 * first refusal: every further reminder would be refused the same way and, in the shipped sender,
 * marked undelivered.
 * A refusal of one customer's address does not. Against the raw SMTP server (raw-smtp-server.ts).
 */
import type { MailAuth, MailServer } from '../../lib/mail/server';
import { runSendJobs, type SendJob } from '../../lib/mail/send-run';
import { smtpConnector } from '../../lib/mail/smtp-session';
import { startRawSmtpServer, type RawSmtpServer } from './raw-smtp-server';
import { reminderJobs } from './reminder-jobs';

jest.setTimeout(15_000);

const auth: MailAuth = { method: 'password', user: 'shop@example.com', password: 'pw-123' };

let servers: RawSmtpServer[] = [];
afterEach(async () => {
	await Promise.all(servers.map((s) => s.close()));
	servers = [];
});

/** A server that answers `reply` at `at` (RCPT TO: only for addresses `refuses` picks; DATA: the `n`th message `refuses` picks), 250 otherwise. */
async function server(at: 'RCPT' | 'DATA', reply: string, refuses: (addressOrN: string) => boolean = () => true): Promise<RawSmtpServer> {
	const s = await startRawSmtpServer({
		onLine: (line, conn) => {
			const rcpt = /^RCPT TO:<([^>]+)>/i.exec(line);
			if (at === 'RCPT' && rcpt && refuses(rcpt[1])) {
				conn.reply(reply);
				return true;
			}
			return false;
		},
		onMessage: (_data, conn, n) => {
			if (at === 'DATA' && refuses(String(n))) {
				conn.reply(reply);
				return true;
			}
			return false;
		},
	});
	servers.push(s);
	return s;
}

const connector = (s: RawSmtpServer) => smtpConnector({ host: '127.0.0.1', port: s.port, security: 'none', allowSelfSigned: false, timeoutMs: 3000 } as MailServer, auth);

const jobs = (count: number): Promise<SendJob[]> => reminderJobs(count, 'run-account');

const fast = { minSecondsBetween: 0, retryBaseMs: 1, replyTimeoutMs: 3000 };

/** How many times the client began a message (MAIL FROM) on the server. */
const mailFroms = (s: RawSmtpServer) => s.connections.flatMap((c) => c.lines).filter((l) => /^MAIL FROM/i.test(l)).length;

const SEND_AS = '554 5.2.252 SendAsDenied; shop@example.com not allowed to send as buchhaltung@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied';
const GMAIL_DAILY = '550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852';

test("Microsoft 365's SendAsDenied after the data: job 0 failed (senderRejected), the run stops (sender), jobs 1 and 2 notSent / runStopped and never tried", async () => {
	const s = await server('DATA', SEND_AS);
	const result = await runSendJobs(connector(s), await jobs(3), fast);

	expect(result.deliveries.map((d) => [d.status, d.reason, d.category, d.stopKind])).toEqual([
		['failed', 'rejected', 'senderRejected', 'sender'],
		['notSent', 'runStopped', undefined, 'sender'],
		['notSent', 'runStopped', undefined, 'sender'],
	]);
	expect(result.deliveries[0]).toMatchObject({ smtpCode: 554, smtpStatus: '5.2.252', smtpCommand: 'DATA', attempts: 1 });
	expect(result.stopped).toEqual({
		kind: 'sender',
		message:
			`Your SMTP server refused a reminder because of your account: Send As denied: the login may not send as the sender address (5.2.252) ("${SEND_AS}"). ` +
			'Every further reminder would be refused the same way, so the run was stopped. ' +
			"Fix: set the sender address in the Dunning Mailbox (SMTP) credential to the login's own address, or have an admin grant the login the right to send as the sender " +
			'(Microsoft 365: Send As permission on that mailbox), then resume',
	});
	for (const later of result.deliveries.slice(1)) expect(later).toMatchObject({ attempts: 0, error: result.stopped?.message });
	expect(mailFroms(s)).toBe(1);
	expect(s.messages).toHaveLength(1);
});

test("Gmail's daily sending limit at RCPT TO: job 0 failed, jobs 1 and 2 notSent / runStopped (sender), one message begun", async () => {
	const s = await server('RCPT', GMAIL_DAILY);
	const result = await runSendJobs(connector(s), await jobs(3), fast);

	expect(result.deliveries.map((d) => [d.status, d.reason, d.category, d.stopKind])).toEqual([
		['failed', 'rejected', 'senderRejected', 'sender'],
		['notSent', 'runStopped', undefined, 'sender'],
		['notSent', 'runStopped', undefined, 'sender'],
	]);
	expect(result.deliveries[0]).toMatchObject({ smtpStatus: '5.4.5', smtpCommand: 'RCPT TO' });
	expect(result.stopped?.message).toMatch(/^Your SMTP server refused a reminder because of your account: the account's sending limit, used up \(5\.4\.5\) /);
	expect(result.stopped?.message).toMatch(/Fix: wait until the provider lets the account send again .*, then resume; lower maxPerRun/);
	expect(mailFroms(s)).toBe(1);
});

test.each([
	['Gmail daily limit after the data', 'DATA', GMAIL_DAILY],
	['Microsoft 365 submission quota at RCPT TO', 'RCPT', '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception'],
	['Microsoft 365 bad outbound sender at RCPT TO', 'RCPT', '550 5.1.8 Access denied, bad outbound sender. AS(42004)'],
	['relaying denied by our own server at RCPT TO', 'RCPT', '554 5.7.1 <kunde1@example.org>: Relay access denied'],
	['our own Microsoft 365 mailbox full at RCPT TO', 'RCPT', '554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionQuotaExceeded'],
	['Microsoft 365 throttling continuous mailbox full errors', 'RCPT', '550 5.2.251 Sender throttled due to continuous mailbox full errors.'],
	['Microsoft 365 "Submission quota exceeded" (its recipient rate limit)', 'DATA', '550 5.2.2 Submission quota exceeded'],
] as const)('%s stops the run at the first refusal', async (_name, at, reply) => {
	const s = await server(at, reply);
	const result = await runSendJobs(connector(s), await jobs(3), fast);
	expect(result.deliveries.map((d) => [d.status, d.stopKind])).toEqual([
		['failed', 'sender'],
		['notSent', 'sender'],
		['notSent', 'sender'],
	]);
	expect(result.deliveries[0].category).toBe('senderRejected');
	expect(result.stopped?.kind).toBe('sender');
	expect(mailFroms(s)).toBe(1);
});

// Microsoft's "Message storage and concurrent connection throttling for SMTP Authenticated
// Submission": the sending mailbox over its quota (every message sent by SMTP is kept in Sent Items).
const OWN_MAILBOX_FULL = '554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded';

test("our own Microsoft 365 mailbox full after the data (STOREDRV.Submission): job 0 failed (senderRejected, not the customer's full mailbox), the run stops (sender) with the fix to empty the mailbox", async () => {
	const s = await server('DATA', OWN_MAILBOX_FULL);
	const result = await runSendJobs(connector(s), await jobs(3), fast);

	// Before: job 0 failed as recipientRefused (the customer's mailbox full) and jobs 1 and 2 were tried and failed alike.
	expect(result.deliveries.map((d) => [d.status, d.reason, d.category, d.stopKind])).toEqual([
		['failed', 'rejected', 'senderRejected', 'sender'],
		['notSent', 'runStopped', undefined, 'sender'],
		['notSent', 'runStopped', undefined, 'sender'],
	]);
	expect(result.deliveries[0]).toMatchObject({ smtpCode: 554, smtpStatus: '5.2.2', smtpCommand: 'DATA', bounceReason: 'mailboxfull', attempts: 1 });
	expect(result.stopped).toEqual({
		kind: 'sender',
		message:
			`Your SMTP server refused a reminder because of your account: your own mailbox, full: over its storage quota, it sends nothing (5.2.2) ("${OWN_MAILBOX_FULL}"). ` +
			'Every further reminder would be refused the same way, so the run was stopped. ' +
			'Fix: empty the Sent Items and Deleted Items folders of the sending mailbox, or have an admin raise its quota, then resume ' +
			'(Microsoft 365 keeps a copy of every message sent by SMTP in Sent Items: a retention policy that empties that folder keeps it from filling up again)',
	});
	expect(mailFroms(s)).toBe(1);
});

test("Postfix's bare 5.1.8 (the sender's domain not found) at RCPT TO stops the run, explained as the sender address, not a blocked account", async () => {
	const reply = '550 5.1.8 <shop@example.com>: Sender address rejected: Domain not found';
	const s = await server('RCPT', reply);
	const result = await runSendJobs(connector(s), await jobs(3), fast);
	expect(result.deliveries.map((d) => [d.status, d.stopKind])).toEqual([
		['failed', 'sender'],
		['notSent', 'sender'],
		['notSent', 'sender'],
	]);
	// Before: "a block of your account or sender address for sending (bad outbound sender)", "Restricted entities".
	expect(result.stopped?.message).toMatch(/^Your SMTP server refused a reminder because of your account: a refusal of the sender address \(5\.1\.8\) /);
	expect(result.stopped?.message).toMatch(/Fix: check that the sender address in the credential exists and that its domain has valid MX and SPF records$/);
	expect(result.stopped?.message).not.toMatch(/Restricted entities|bad outbound sender/);
});

test.each([
	['user unknown at RCPT TO', 'RCPT', '550 5.1.1 <kunde1@example.org>: Recipient address rejected: User unknown', 'addressDead'],
	['mailbox full at RCPT TO', 'RCPT', '552 5.2.2 <kunde1@example.org>: Mailbox full', 'recipientRefused'],
	['mailbox full after the data', 'DATA', '552 5.2.2 Mailbox full', 'recipientRefused'],
	["a customer's Exchange mailbox full (STOREDRV.Deliver) after the data", 'DATA', '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded', 'recipientRefused'],
	['user unknown after the data', 'DATA', '550 5.1.1 The email account that you tried to reach does not exist', 'addressDead'],
] as const)("a refusal of job 0's customer (%s) does not stop the run: jobs 1 and 2 are sent", async (_name, at, reply, category) => {
	const s = await server(at, reply, (addressOrN) => addressOrN === 'kunde1@example.org' || addressOrN === '1');
	const result = await runSendJobs(connector(s), await jobs(3), fast);
	expect(result.stopped).toBeNull();
	expect(result.deliveries.map((d) => [d.status, d.category])).toEqual([
		['failed', category],
		['sent', undefined],
		['sent', undefined],
	]);
	expect(mailFroms(s)).toBe(3);
});
