/**
 * A refusal of our own sender that pauses the mailbox at once (a failed SPF, DKIM or DMARC check,
 * Mailbox Health's rule) stops the run: every further reminder would be refused the same way, and
 * each refusal hurts the sender's reputation more. Against a real smtp-server.
 */
import type { MailAuth, MailServer } from '../../lib/mail/server';
import { runSendJobs, type SendJob } from '../../lib/mail/send-run';
import { smtpConnector } from '../../lib/mail/smtp-session';
import { startTestServer, type Reply, type TestServer } from './smtp-test-server';
import { reminderJobs } from './reminder-jobs';

const auth: MailAuth = { method: 'password', user: 'shop@example.com', password: 'pw-123' };
const DMARC = { code: 550, message: "5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy" };
const BLOCKLIST = { code: 554, message: '5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org' };

let servers: TestServer[] = [];
/** A server answering each message's data with `onData`, counting the MAIL FROM commands it is given. */
async function server(options: { onData?: (n: number) => Reply; onRcpt?: (address: string) => Reply }): Promise<{ s: TestServer; mailFrom: string[] }> {
	const mailFrom: string[] = [];
	const s = await startTestServer({ security: 'none', users: { [auth.user]: 'pw-123' }, onMailFrom: (address) => mailFrom.push(address), ...options });
	servers.push(s);
	return { s, mailFrom };
}
afterEach(async () => {
	await Promise.all(servers.map((s) => s.close()));
	servers = [];
});

const connector = (s: TestServer) => smtpConnector({ host: '127.0.0.1', port: s.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 } as MailServer, auth);

const jobs = (count: number): Promise<SendJob[]> => reminderJobs(count, 'run-sender');

const fast = { minSecondsBetween: 0, retryBaseMs: 10 };

test('a DMARC refusal at the data pauses the mailbox at once: that reminder failed, the run stops, the rest notSent and never attempted', async () => {
	const { s, mailFrom } = await server({ onData: () => DMARC });
	const result = await runSendJobs(connector(s), await jobs(3), fast);

	expect(result.deliveries.map((d) => [d.status, d.reason])).toEqual([
		['failed', 'rejected'],
		['notSent', 'runStopped'],
		['notSent', 'runStopped'],
	]);
	// The refused reminder counts for the mailbox's health as before (Record Send Result pauses on it).
	expect(result.deliveries[0]).toMatchObject({ smtpCode: 550, category: 'senderRejected', bounceReason: 'authfailure', smtpStatus: '5.7.26', attempts: 1 });
	// The server saw the first reminder only.
	expect(mailFrom).toEqual(['shop@example.com']);
	expect(s.received).toHaveLength(0);
	// Stopped as for a refused sender: the shipped sender releases the rest again (notSent), a workflow reads why.
	expect(result.stopped?.kind).toBe('sender');
	expect(result.stopped?.message).toBe(
		'The server refused a reminder because of your sender: DMARC (5.7.26) ("550 5.7.26 Unauthenticated email from example.com is not accepted due to domain\'s DMARC policy"). ' +
			'Every further reminder would be refused the same way and hurt the sender\'s reputation more, so the run was stopped. ' +
			"Fix: add the SMTP host to the domain's SPF record and turn on DKIM signing for the sender domain, so that the From address passes DMARC",
	);
	for (const later of result.deliveries.slice(1)) {
		expect(later).toMatchObject({ stopKind: 'sender', attempts: 0, error: result.stopped?.message });
		expect(later.category).toBeUndefined();
	}
});

test('a failed SPF check at RCPT TO stops the run too; a blocklist or spam refusal (it pauses only after refusals for 3 recipients) does not', async () => {
	const spf = await server({ onRcpt: () => ({ code: 550, message: '5.7.23 SPF validation failed for shop@example.com' }) });
	const stopped = await runSendJobs(connector(spf.s), await jobs(3), fast);
	expect(stopped.deliveries.map((d) => d.status)).toEqual(['failed', 'notSent', 'notSent']);
	expect(stopped.deliveries[0]).toMatchObject({ category: 'senderRejected', smtpStatus: '5.7.23' });
	expect(stopped.stopped?.message).toMatch(/^The server refused a reminder because of your sender: SPF \(5\.7\.23\) /);
	expect(spf.mailFrom).toHaveLength(1);

	const blocked = await server({ onData: () => BLOCKLIST });
	const goesOn = await runSendJobs(connector(blocked.s), await jobs(3), fast);
	expect(goesOn.stopped).toBeNull();
	expect(goesOn.deliveries.map((d) => [d.status, d.category, d.bounceReason])).toEqual([
		['failed', 'senderRejected', 'blocked'],
		['failed', 'senderRejected', 'blocked'],
		['failed', 'senderRejected', 'blocked'],
	]);
	expect(blocked.mailFrom).toHaveLength(3);
});

test('an SPF temperror (no verdict, the check failed only for the moment) does not stop the run', async () => {
	const { s, mailFrom } = await server({ onData: (n) => (n === 1 ? { code: 550, message: '5.7.23 SPF check returned temperror for example.com' } : undefined) });
	const result = await runSendJobs(connector(s), await jobs(3), fast);
	expect(result.stopped).toBeNull();
	expect(result.deliveries.map((d) => [d.status, d.category])).toEqual([
		['failed', 'senderRejected'],
		['sent', undefined],
		['sent', undefined],
	]);
	expect(mailFrom).toHaveLength(3);
});
