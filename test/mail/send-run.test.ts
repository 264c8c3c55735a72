import { simpleParser } from 'mailparser';
import { buildReminderMessage, type OutgoingMessage } from '../../lib/mail/message';
import type { MailAuth, MailServer } from '../../lib/mail/server';
import { duplicateOutcome, runSendJobs, type SendJob } from '../../lib/mail/send-run';
import { AbortedError, MAX_TIMER_MS, sleep } from '../../lib/mail/throttle';
import { smtpConnector, SmtpSendError } from '../../lib/mail/smtp-session';
import { startRawSmtpServer } from './raw-smtp-server';
import { startTestServer, type TestServer, type TestServerOptions } from './smtp-test-server';

const PASSWORD = 's3cret-Pa55';
const auth: MailAuth = { method: 'password', user: 'shop@example.com', password: PASSWORD };
const sender = { address: 'shop@example.com', name: 'Beispiel Shop GmbH', replyTo: 'buchhaltung@example.com' };

let servers: TestServer[] = [];
async function server(options: TestServerOptions): Promise<TestServer> {
	const s = await startTestServer({ users: { [auth.user]: PASSWORD }, ...options });
	servers.push(s);
	return s;
}
afterEach(async () => {
	await Promise.all(servers.map((s) => s.close()));
	servers = [];
});

function mailServer(s: TestServer, security: MailServer['security'], allowSelfSigned = true): MailServer {
	return { host: '127.0.0.1', port: s.port, security, allowSelfSigned, timeoutMs: 5000 };
}

async function jobs(recipients: string[], extra: { bcc?: string; pdf?: Buffer; from?: string; replyTo?: string } = {}): Promise<SendJob[]> {
	return Promise.all(
		recipients.map(async (to, i) => ({
			key: i,
			message: await buildReminderMessage({
				sender: { ...sender, ...(extra.from ? { address: extra.from } : {}), ...(extra.replyTo ? { replyTo: extra.replyTo } : {}), bcc: extra.bcc },
				to,
				subject: `Zahlungserinnerung zu Rechnung R-${i + 1}`,
				text: `Text ${i + 1}`,
				html: `<p>HTML ${i + 1}</p>`,
				invoiceId: `inv-${i + 1}`,
				level: 1,
				runId: 'run-42',
				attachments: extra.pdf ? [{ filename: `R-${i + 1}.pdf`, contentType: 'application/pdf', content: extra.pdf }] : [],
			}),
		})),
	);
}

const fast = { minSecondsBetween: 0, retryBaseMs: 10 };

describe('sending over a real SMTP server', () => {
	test('plain + AUTH PLAIN: every header, body and attachment arrives as built, BCC only in the envelope', async () => {
		const s = await server({ security: 'none', authMethods: ['PLAIN'] });
		const pdf = Buffer.from('%PDF-1.4\n% test invoice\n%%EOF\n');
		const list = await jobs(['kunde1@example.org', 'kunde2@example.org'], { bcc: 'archiv@example.com', pdf });
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), auth), list, fast);

		expect(result.stopped).toBeNull();
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'sent']);
		expect(result.deliveries[0]).toMatchObject({ smtpCode: 250, attempts: 1, messageId: list[0].message.messageId });
		expect(result.deliveries[0].smtpResponse).toMatch(/^250 2\.0\.0 Ok: queued as Q1/);
		expect(result.connections).toBe(1);
		expect(s.loginAttempts).toEqual([{ user: auth.user, method: 'PLAIN' }]);
		expect(s.received).toHaveLength(2);
		expect(s.received[0].to).toEqual(['kunde1@example.org', 'archiv@example.com']);
		expect(s.received[0].from).toBe('shop@example.com');

		const mail = await simpleParser(s.received[0].raw);
		expect(mail.from?.value[0]).toEqual({ name: 'Beispiel Shop GmbH', address: 'shop@example.com' });
		expect(mail.replyTo?.value[0].address).toBe('buchhaltung@example.com');
		expect(mail.subject).toBe('Zahlungserinnerung zu Rechnung R-1');
		expect(mail.messageId).toBe(list[0].message.messageId);
		expect(mail.messageId).toMatch(/@example\.com>$/);
		expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
		expect(mail.headers.get('x-dunning-invoice')).toBe('inv-1');
		expect(mail.headers.get('x-dunning-level')).toBe('1');
		expect(mail.headers.get('x-dunning-run')).toBe('run-42');
		expect(mail.headers.has('bcc')).toBe(false);
		expect(mail.text?.trim()).toBe('Text 1');
		expect(mail.html).toContain('<p>HTML 1</p>');
		expect(mail.attachments).toHaveLength(1);
		expect(mail.attachments[0]).toMatchObject({ filename: 'R-1.pdf', contentType: 'application/pdf' });
		expect(mail.attachments[0].content.equals(pdf)).toBe(true);
	});

	test('implicit TLS + AUTH LOGIN', async () => {
		const s = await server({ security: 'tls', authMethods: ['LOGIN'] });
		const result = await runSendJobs(smtpConnector(mailServer(s, 'tls'), auth), await jobs(['a@example.org']), fast);
		expect(result.deliveries[0].status).toBe('sent');
		expect(s.loginAttempts).toEqual([{ user: auth.user, method: 'LOGIN' }]);
	});

	test('STARTTLS + AUTH PLAIN', async () => {
		const s = await server({ security: 'starttls', authMethods: ['PLAIN'] });
		const result = await runSendJobs(smtpConnector(mailServer(s, 'starttls'), auth), await jobs(['a@example.org']), fast);
		expect(result.deliveries[0].status).toBe('sent');
		expect(s.received).toHaveLength(1);
	});

	test('XOAUTH2 with an access token', async () => {
		const s = await server({ security: 'none', authMethods: ['XOAUTH2'], users: undefined, tokens: { [auth.user]: 'tok-123' } });
		const oauth: MailAuth = { method: 'oauth2', user: auth.user, accessToken: 'tok-123' };
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), oauth), await jobs(['a@example.org']), fast);
		expect(result.deliveries[0].status).toBe('sent');
		expect(s.loginAttempts).toEqual([{ user: auth.user, method: 'XOAUTH2' }]);
	});

	test('wrong password: the run stops, every item notSent, exactly one login attempt, no secret in the message', async () => {
		const s = await server({ security: 'none' });
		const wrong: MailAuth = { ...auth, password: 'not-the-password' } as MailAuth;
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), wrong), await jobs(['a@example.org', 'b@example.org', 'c@example.org']), fast);
		expect(result.stopped?.kind).toBe('auth');
		expect(result.stopped?.message).toMatch(/Authentication failed .*wrong password\? .*app password/);
		expect(result.deliveries.map((d) => d.status)).toEqual(['notSent', 'notSent', 'notSent']);
		expect(result.deliveries.every((d) => d.reason === 'runStopped')).toBe(true);
		// The workflow pauses the mailbox on this kind (sender health).
		expect(result.deliveries.map((d) => d.stopKind)).toEqual(['auth', 'auth', 'auth']);
		expect(s.loginAttempts).toHaveLength(1);
		expect(s.received).toHaveLength(0);
		expect(JSON.stringify(result)).not.toContain('not-the-password');
	});

	test('550 for one recipient: that item failed with code and text, the others sent', async () => {
		const s = await server({
			security: 'none',
			onRcpt: (a) => (a === 'gone@example.org' ? { code: 550, message: '5.1.1 <gone@example.org>: Recipient address rejected' } : undefined),
		});
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), auth), await jobs(['a@example.org', 'gone@example.org', 'c@example.org']), fast);
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'failed', 'sent']);
		expect(result.deliveries[1]).toMatchObject({ smtpCode: 550, reason: 'rejected', attempts: 1 });
		expect(result.deliveries[1].smtpResponse).toMatch(/^550 5\.1\.1/);
		// Refused at RCPT TO with 5.1.1: the address is dead, as Classify Bounce would say of the same bounce.
		expect(result.deliveries[1]).toMatchObject({ category: 'addressDead', bounceReason: 'userunknown', smtpStatus: '5.1.1' });
		expect(result.deliveries[0].category).toBeUndefined();
		expect(result.connections).toBe(1);
		expect(s.received.map((m) => m.to[0])).toEqual(['a@example.org', 'c@example.org']);
	});

	test('the customer refused with 550 while the BCC copy was taken: failed with the 550, not sent', async () => {
		const s = await server({
			security: 'none',
			onRcpt: (a) => (a === 'gone@example.org' ? { code: 550, message: '5.1.1 <gone@example.org>: Recipient address rejected' } : undefined),
		});
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), auth), await jobs(['gone@example.org', 'c@example.org'], { bcc: 'archiv@example.com' }), fast);
		expect(result.deliveries.map((d) => d.status)).toEqual(['failed', 'sent']);
		expect(result.deliveries[0]).toMatchObject({ smtpCode: 550, reason: 'rejected', category: 'addressDead' });
		expect(s.received.map((m) => m.to)).toEqual([['archiv@example.com'], ['c@example.org', 'archiv@example.com']]);
	});

	test('every address of a customer refused, one dead and one full: failed, but not addressDead (the full mailbox exists); all dead: addressDead', async () => {
		const s = await server({
			security: 'none',
			onRcpt: (a) =>
				a.startsWith('full')
					? { code: 552, message: '5.2.2 <' + a + '>: Mailbox full' }
					: a.startsWith('gone')
						? { code: 550, message: '5.1.1 <' + a + '>: Recipient address rejected: User unknown in local recipient table' }
						: undefined,
		});
		const mixed = ['full@example.org, gone@example.org', 'gone@example.org, full@example.org'];
		for (const bcc of [undefined, 'archiv@example.com']) {
			const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), auth), await jobs([...mixed, 'gone@example.org, gone2@example.org'], { bcc }), fast);
			expect(result.deliveries.map((d) => [d.status, d.category])).toEqual([
				['failed', 'recipientRefused'],
				['failed', 'recipientRefused'],
				['failed', 'addressDead'],
			]);
			expect(result.deliveries[0].refusedRecipients).toEqual(['full@example.org', 'gone@example.org']);
			expect(result.deliveries[0].error).toMatch(/every address: full@example\.org \(552 5\.2\.2 .*\), gone@example\.org \(550 5\.1\.1 /);
		}
	});

	test('an address beyond ASCII: sent with SMTPUTF8 where the server offers it; where not and the customer has no other, failed before MAIL FROM (5.6.7, not addressDead), the run goes on', async () => {
		const mailFrom: Array<[string, Record<string, unknown>]> = [];
		const onMailFrom = (address: string, args: Record<string, unknown>) => mailFrom.push([address, args]);
		const list = ['a@example.org', 'müller@example.org', 'çelik@example.org, jürgen@example.org', 'd@example.org'];

		const modern = await server({ security: 'none', onMailFrom });
		const sent = await runSendJobs(smtpConnector(mailServer(modern, 'none'), auth), await jobs(list), fast);
		expect(sent.deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
		expect(modern.received[1].to).toEqual(['müller@example.org']);
		expect(mailFrom.map(([, args]) => !!args.SMTPUTF8)).toEqual([false, true, true, false]);

		mailFrom.length = 0;
		const legacy = await server({ security: 'none', smtpUtf8: false, onMailFrom });
		const result = await runSendJobs(smtpConnector(mailServer(legacy, 'none'), auth), await jobs(list), fast);
		expect(result.stopped).toBeNull();
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'failed', 'failed', 'sent']);
		// Nothing of those two reached the server: nodemailer would have sent the address without SMTPUTF8.
		expect(mailFrom).toHaveLength(2);
		expect(legacy.received.map((m) => m.to)).toEqual([['a@example.org'], ['d@example.org']]);
		expect(result.connections).toBe(1);
		expect(result.deliveries[1]).toMatchObject({ reason: 'rejected', category: 'recipientRefused', smtpStatus: '5.6.7', smtpCode: null, smtpResponse: null, attempts: 0 });
		expect(result.deliveries[1].error).toBe(
			`127.0.0.1:${legacy.port} does not offer SMTPUTF8, which müller@example.org needs (letters beyond ASCII before the @); nothing was sent. Send this reminder on paper, or from a mailbox whose server offers SMTPUTF8`,
		);
		expect(result.deliveries[2].error).toMatch(/, which çelik@example\.org, jürgen@example\.org needs .*nothing was sent/);
		expect(result.deliveries[2]).toMatchObject({ status: 'failed', smtpStatus: '5.6.7', category: 'recipientRefused', attempts: 0 });
		expect(result.deliveries[2].warning).toBeUndefined();

		// A server that offers SMTPUTF8 but not for this mailbox answers 553 5.6.7 (RFC 6533): the
		// customer's address cannot be reached that way, nothing wrong with our sender.
		const refusing = await server({ security: 'none', onRcpt: (a) => (a.startsWith('müller') ? { code: 553, message: '5.6.7 Non-ASCII addresses not permitted for that recipient' } : undefined) });
		const refused = await runSendJobs(smtpConnector(mailServer(refusing, 'none'), auth), await jobs(['müller@example.org']), fast);
		expect(refused.deliveries[0]).toMatchObject({ status: 'failed', smtpCode: 553, category: 'recipientRefused', smtpStatus: '5.6.7', attempts: 1 });

		// Our own address beyond ASCII (here the BCC copy's) fails every message: the run stops as for a refused sender.
		const stopped = await runSendJobs(smtpConnector(mailServer(legacy, 'none'), auth), await jobs(['a@example.org', 'b@example.org'], { bcc: 'archiv-müller@example.com' }), fast);
		expect(stopped.stopped).toMatchObject({ kind: 'sender' });
		expect(stopped.stopped?.message).toMatch(/which archiv-müller@example\.com needs .*Give the mailbox's sender, reply-to and copy addresses in ASCII/);
		expect(stopped.deliveries.map((d) => [d.status, d.reason])).toEqual([['notSent', 'runStopped'], ['notSent', 'runStopped']]);
		expect(legacy.received).toHaveLength(2);
	});

	test('a customer with addresses in and beyond ASCII, on a server without SMTPUTF8: sent to the ASCII ones only, the headers name no other, the warning says whom it left out and why', async () => {
		const mailFrom: Array<Record<string, unknown>> = [];
		const legacy = await server({ security: 'none', smtpUtf8: false, onMailFrom: (_address, args) => mailFrom.push(args) });
		const pdf = Buffer.from('%PDF-1.4\n% test invoice\n%%EOF\n');
		const list = await jobs(['Info <info@example.org>, "Jürgen Müller" <jürgen@example.org>, buchhaltung@example.org', 'a@example.org'], { bcc: 'archiv@example.com', pdf });
		const copies: Array<{ key: number; raw: Buffer; recipients: string[] }> = [];
		const onSent = async (job: SendJob) => void copies.push({ key: job.key, raw: job.message.raw, recipients: job.message.recipients });
		const result = await runSendJobs(smtpConnector(mailServer(legacy, 'none'), auth), list, { ...fast, onSent });

		expect(result.stopped).toBeNull();
		expect(result.connections).toBe(1);
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'sent']);
		expect(result.deliveries[0]).toMatchObject({ smtpCode: 250, attempts: 1, messageId: list[0].message.messageId });
		// Whom it went to, for the ledger: a bounce of one of them must not count jürgen as reached.
		expect(result.deliveries[0].sentTo).toEqual(['info@example.org', 'buchhaltung@example.org']);
		expect(result.deliveries[0].warning).toBe(
			`127.0.0.1:${legacy.port} does not offer SMTPUTF8, which jürgen@example.org needs; sent to info@example.org, buchhaltung@example.org only`,
		);
		expect(result.deliveries[0]).not.toHaveProperty('refusedRecipients');
		expect(result.deliveries[0]).not.toHaveProperty('error');
		expect(result.deliveries[1]).not.toHaveProperty('sentTo');
		expect(result.deliveries[1].warning).toBeUndefined();
		// The BCC copy goes as always, and nothing asked the server for SMTPUTF8.
		expect(legacy.received.map((m) => m.to)).toEqual([['info@example.org', 'buchhaltung@example.org', 'archiv@example.com'], ['a@example.org', 'archiv@example.com']]);
		expect(mailFrom.map((args) => !!args.SMTPUTF8)).toEqual([false, false]);

		// As the server received it: no byte beyond ASCII in the headers, the address left out named nowhere.
		const { raw } = legacy.received[0];
		expect(raw.subarray(0, raw.indexOf('\r\n\r\n')).every((byte) => byte < 0x80)).toBe(true);
		expect(raw.includes('jürgen')).toBe(false);
		const mail = await simpleParser(raw);
		expect([mail.to].flat().flatMap((t) => t?.value.map((v) => v.address))).toEqual(['info@example.org', 'buchhaltung@example.org']);
		// The same reminder: the Message-ID and headers that map bounces back to it, and its attachment.
		expect(mail.messageId).toBe(list[0].message.messageId);
		expect(mail.headers.get('x-dunning-invoice')).toBe('inv-1');
		expect(mail.headers.get('x-dunning-copy')).toBe(list[0].message.summary.headers['X-Dunning-Copy']);
		expect(mail.attachments.map((a) => a.content.equals(pdf))).toEqual([true]);
		// onSent (the Sent folder copy) gets the message as it went out.
		expect(copies.map((c) => [c.key, c.recipients])).toEqual([[0, ['info@example.org', 'buchhaltung@example.org']], [1, ['a@example.org']]]);
		expect(copies[0].raw.equals(raw)).toBe(true);
	});

	test('the ASCII addresses left after one beyond ASCII is left out are refused in part: sent to the rest, both in the warning; refused in whole: failed, not addressDead (the one left out is not proven dead)', async () => {
		const legacy = await server({ security: 'none', smtpUtf8: false, onRcpt: (a) => (a.startsWith('gone') ? { code: 550, message: '5.1.1 No such user' } : undefined) });
		const result = await runSendJobs(
			smtpConnector(mailServer(legacy, 'none'), auth),
			await jobs(['gone@example.org, jürgen@example.org, info@example.org', 'gone@example.org, jürgen@example.org', 'gone@example.org']),
			fast,
		);
		const where = `127.0.0.1:${legacy.port}`;
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'failed', 'failed']);
		expect(result.deliveries[0]).toMatchObject({
			refusedRecipients: ['gone@example.org'],
			warning: `${where} does not offer SMTPUTF8, which jürgen@example.org needs; sent to info@example.org only; Sent, but the server refused gone@example.org (550 5.1.1 No such user); the other addresses got it`,
		});
		expect(result.deliveries[1]).toMatchObject({ reason: 'rejected', smtpCode: 550, attempts: 1, category: 'recipientRefused' });
		expect(result.deliveries[1].error).toBe(`Rejected by the server: 550 5.1.1 No such user; ${where} does not offer SMTPUTF8, which jürgen@example.org needs, so the reminder did not go there either`);
		// The same refusal without an address left out proves the customer's only address dead.
		expect(result.deliveries[2]).toMatchObject({ reason: 'rejected', smtpCode: 550, category: 'addressDead' });
		expect(legacy.received.map((m) => m.to)).toEqual([['info@example.org']]);
	});

	test('our own sender, Reply-To or BCC copy beyond ASCII, on a server without SMTPUTF8: the run stops as before, also when the customer has an ASCII address beside one beyond', async () => {
		const legacy = await server({ security: 'none', smtpUtf8: false });
		const connector = smtpConnector(mailServer(legacy, 'none'), auth);
		const mixed = ['info@example.org, jürgen@example.org', 'a@example.org'];
		for (const [extra, named] of [
			[{ bcc: 'archiv-müller@example.com' }, 'archiv-müller@example.com'],
			[{ from: 'büro@example.com' }, 'büro@example.com'],
			// In a header only: nodemailer would send it as raw UTF-8 without SMTPUTF8.
			[{ replyTo: 'antwort-büro@example.com' }, 'antwort-büro@example.com'],
		] as const) {
			const result = await runSendJobs(connector, await jobs(mixed, extra), fast);
			expect(result.stopped?.kind).toBe('sender');
			expect(result.stopped?.message).toBe(
				`127.0.0.1:${legacy.port} does not offer SMTPUTF8, which ${named} needs (letters beyond ASCII before the @); nothing was sent. Give the mailbox's sender, reply-to and copy addresses in ASCII, or send through a server that offers SMTPUTF8`,
			);
			expect(result.deliveries.map((d) => [d.status, d.reason, d.stopKind])).toEqual([['notSent', 'runStopped', 'sender'], ['notSent', 'runStopped', 'sender']]);
			expect(result.deliveries[0].warning).toBeUndefined();
		}
		expect(legacy.received).toHaveLength(0);
	});

	test('a Reply-To beyond ASCII on a server with SMTPUTF8: refused while the envelope is ASCII (nothing would declare SMTPUTF8), sent with SMTPUTF8 when a customer address needs it', async () => {
		const mailFrom: Array<Record<string, unknown>> = [];
		const modern = await server({ security: 'none', onMailFrom: (_address, args) => mailFrom.push(args) });
		const connector = smtpConnector(mailServer(modern, 'none'), auth);
		const ascii = await runSendJobs(connector, await jobs(['a@example.org'], { replyTo: 'antwort-büro@example.com' }), fast);
		expect(ascii.stopped?.kind).toBe('sender');
		expect(ascii.stopped?.message).toBe(
			`The Reply-To address antwort-büro@example.com has letters beyond ASCII before the @; a message naming it must be sent with SMTPUTF8, which is declared only when an envelope address needs it, so nothing was sent to 127.0.0.1:${modern.port}. Give the mailbox's Reply-To in ASCII`,
		);
		expect(modern.received).toHaveLength(0);
		const declared = await runSendJobs(connector, await jobs(['jürgen@example.org'], { replyTo: 'antwort-büro@example.com' }), fast);
		expect(declared.deliveries.map((d) => d.status)).toEqual(['sent']);
		expect(mailFrom.map((args) => Boolean(args.SMTPUTF8))).toEqual([true]);
	});

	test('451 twice then 250: sent on the third attempt, over the same connection', async () => {
		const s = await server({ security: 'none', onData: (n) => (n <= 2 ? { code: 451, message: '4.3.0 Try again later' } : undefined) });
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), auth), await jobs(['a@example.org']), fast);
		expect(result.deliveries[0]).toMatchObject({ status: 'sent', attempts: 3, smtpCode: 250 });
		expect(result.connections).toBe(1);
		expect(s.received).toHaveLength(1);
	});

	test('451 on every attempt: deferred after maxAttempts', async () => {
		const s = await server({ security: 'none', onData: () => ({ code: 451, message: '4.3.0 Try again later' }) });
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), auth), await jobs(['a@example.org', 'b@example.org']), { ...fast, maxAttempts: 2 });
		expect(result.deliveries.map((d) => [d.status, d.attempts, d.smtpCode, d.reason, d.smtpCommand])).toEqual([
			['deferred', 2, 451, 'temporary', 'DATA'],
			['deferred', 2, 451, 'temporary', 'DATA'],
		]);
	});

	test('a 4xx says which command it answered: our sender (MAIL FROM, a rate limit on the account) or the recipient (RCPT TO), so that days of it are not blamed on the customer', async () => {
		const sender = await startRawSmtpServer({ onLine: (line, conn) => (/^MAIL FROM/i.test(line) ? (conn.reply('451 4.7.1 <shop@example.com>: Sender address rejected: rate limit exceeded'), true) : undefined) });
		const recipient = await server({ security: 'none', onRcpt: () => ({ code: 452, message: '4.2.2 Mailbox full' }) });
		try {
			const viaSender = await runSendJobs(smtpConnector({ host: '127.0.0.1', port: sender.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 }, undefined), await jobs(['a@example.org']), { ...fast, maxAttempts: 1 });
			expect(viaSender.deliveries[0]).toMatchObject({ status: 'deferred', reason: 'temporary', smtpCode: 451, smtpCommand: 'MAIL FROM' });
			const viaRecipient = await runSendJobs(smtpConnector(mailServer(recipient, 'none'), auth), await jobs(['a@example.org']), { ...fast, maxAttempts: 1 });
			expect(viaRecipient.deliveries[0]).toMatchObject({ status: 'deferred', reason: 'temporary', smtpCode: 452, smtpCommand: 'RCPT TO' });
		} finally {
			await sender.close();
		}
	});

	test('connection dropped after the data, before the reply: deferred (outcome unknown), not resent; the run resumes on a new connection', async () => {
		const s = await server({ security: 'none', onData: (n) => (n === 2 ? 'drop' : undefined) });
		const list = await jobs(['a@example.org', 'b@example.org', 'c@example.org']);
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), auth), list, fast);
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'deferred', 'sent']);
		expect(result.deliveries[1]).toMatchObject({ reason: 'outcomeUnknown', attempts: 1 });
		expect(result.deliveries[1].error).toMatch(/not sent again/);
		expect(result.connections).toBe(2);
		// The server saw message 2's data exactly once (the dropped transfer) and never again.
		expect(s.received.map((m) => m.to[0])).toEqual(['a@example.org', 'c@example.org']);
		expect(s.loginAttempts).toHaveLength(2);
	});

	test('the same reminder twice in one run, the first with an unclear outcome: the second is not sent either', async () => {
		const s = await server({ security: 'none', onData: (n) => (n === 1 ? 'drop' : undefined) });
		const [first, other] = await jobs(['a@example.org', 'b@example.org']);
		// A second item for the same invoice and level (unclaimed items, an ERP line posted twice).
		const again: SendJob = { key: 2, message: first.message };
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), auth), [first, other, again], fast);
		expect(result.deliveries.map((d) => [d.status, d.reason])).toEqual([
			['deferred', 'outcomeUnknown'],
			['sent', undefined],
			['deferred', 'outcomeUnknown'],
		]);
		expect(result.deliveries[2].error).toMatch(/same reminder went out earlier in this run/);
		expect(s.received.map((m) => m.to[0])).toEqual(['b@example.org']);
	});

	test('connection lost before the message was complete: re-established once and the same message sent, exactly once', async () => {
		const s = await server({ security: 'none', onRcpt: (a) => (a === 'b@example.org' && s.connections === 1 ? 'drop' : undefined) });
		const result = await runSendJobs(smtpConnector(mailServer(s, 'none'), auth), await jobs(['a@example.org', 'b@example.org', 'c@example.org']), fast);
		expect(result.deliveries.map((d) => [d.status, d.attempts])).toEqual([
			['sent', 1],
			['sent', 2],
			['sent', 1],
		]);
		expect(result.connections).toBe(2);
		expect(s.received.map((m) => m.to[0])).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
	});

	test('connection that cannot be re-established: the rest is notSent and the run says why', async () => {
		const s = await server({ security: 'none', onData: (n) => (n === 1 ? 'drop' : undefined) });
		const connector = smtpConnector(mailServer(s, 'none'), auth);
		let opened = 0;
		// The server goes away for new connections after the first: wrap the real connector to flip it.
		const onceThenRefused = {
			connect: async () => {
				if (++opened === 2) s.refuseNewConnections();
				return connector.connect();
			},
		};
		const result = await runSendJobs(onceThenRefused, await jobs(['a@example.org', 'b@example.org', 'c@example.org']), fast);
		expect(result.deliveries.map((d) => d.status)).toEqual(['deferred', 'notSent', 'notSent']);
		expect(result.stopped?.message).toMatch(/421 Not accepting connections now/);
		expect(result.deliveries[1]).toMatchObject({ reason: 'runStopped', error: result.stopped?.message });
		expect(s.received).toHaveLength(0);
	});
});

describe('connection problems named in words', () => {
	test.each([
		['nothing', '250-raw.test\r\n250 PIPELINING', 'auth', 'offers no login (no AUTH in its answer to EHLO): if it takes mail without one, leave User and Password empty; otherwise check Host, Port and Security. The password was not sent'],
		['STARTTLS only', '250-raw.test\r\n250-PIPELINING\r\n250 STARTTLS', 'tls', 'offers no login on an unencrypted connection (it offers STARTTLS): choose STARTTLS (port 587) or SSL/TLS (port 465) as Security in the credential. The password was not sent'],
	])('a server that offers %s but no AUTH: the password is never sent, and the message says what to change', async (_offers, ehlo, kind, message) => {
		const raw = await startRawSmtpServer({ onLine: (line, conn) => (/^EHLO /i.test(line) ? (conn.reply(ehlo), true) : undefined) });
		try {
			const mail: MailServer = { host: '127.0.0.1', port: raw.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 };
			const result = await runSendJobs(smtpConnector(mail, auth), await jobs(['a@example.org']), fast);
			expect(result.stopped).toEqual({ kind, message: `127.0.0.1:${raw.port} ${message}` });
			// Before, nodemailer sent AUTH PLAIN with the password in clear, and the error said "wrong password?".
			expect(raw.connections.flatMap((c) => c.lines).filter((l) => /^AUTH\b/i.test(l))).toEqual([]);
			expect(JSON.stringify(raw.connections.map((c) => c.lines))).not.toContain(Buffer.from(PASSWORD).toString('base64').slice(0, 8));
		} finally {
			await raw.close();
		}
	});

	test('STARTTLS chosen but not offered: TLS failure, nothing sent in clear', async () => {
		const s = await server({ security: 'none' });
		const result = await runSendJobs(smtpConnector(mailServer(s, 'starttls'), auth), await jobs(['a@example.org']), fast);
		expect(result.stopped?.kind).toBe('tls');
		expect(result.stopped?.message).toMatch(/does not support STARTTLS/);
		expect(s.loginAttempts).toHaveLength(0);
	});

	test('SSL/TLS chosen for a plain port: TLS handshake failed, wrong security for this port?', async () => {
		const s = await server({ security: 'none' });
		const result = await runSendJobs(smtpConnector(mailServer(s, 'tls'), auth), await jobs(['a@example.org']), fast);
		expect(result.stopped?.kind).toBe('tls');
		expect(result.stopped?.message).toMatch(/TLS handshake .* failed .*wrong security for this port\?/);
	});

	test('self-signed certificate not allowed: named as an untrusted certificate', async () => {
		const s = await server({ security: 'tls' });
		const result = await runSendJobs(smtpConnector(mailServer(s, 'tls', false), auth), await jobs(['a@example.org']), fast);
		expect(result.stopped?.kind).toBe('tls');
		expect(result.stopped?.message).toMatch(/not trusted .*Allow Self-Signed Certificates/);
	});

	test('nothing listening: connection refused, port blocked?', async () => {
		const s = await server({ security: 'none' });
		const port = s.port;
		await s.close();
		servers = [];
		const result = await runSendJobs(
			smtpConnector({ host: '127.0.0.1', port, security: 'none', allowSelfSigned: false }, auth),
			await jobs(['a@example.org', 'b@example.org']),
			fast,
		);
		expect(result.stopped?.kind).toBe('connect');
		expect(result.stopped?.message).toMatch(/refused .*port blocked\?/);
		expect(result.deliveries.map((d) => d.status)).toEqual(['notSent', 'notSent']);
	});
});

describe('pacing, caps and cancellation (fake clock)', () => {
	function fakeClock() {
		let now = 1_700_000_000_000;
		const sleeps: number[] = [];
		return {
			sleeps,
			now: () => now,
			sleep: async (ms: number, signal?: AbortSignal) => {
				if (signal?.aborted) throw new (await import('../../lib/mail/throttle')).AbortedError();
				sleeps.push(ms);
				now += Math.max(0, ms);
			},
		};
	}
	const okSession = (log: string[]) => ({
		connect: async () => ({
			open: true,
			close: () => undefined,
			send: async (m: Pick<OutgoingMessage, 'envelope' | 'raw'>) => {
				log.push(m.envelope.to[0]);
				return { code: 250, response: '250 ok', refusals: [] };
			},
		}),
	});

	test('minSecondsBetween spaces messages; maxPerRun leaves the rest notSent for a later run', async () => {
		const clock = fakeClock();
		const log: string[] = [];
		// An in-memory session: these rules are about the loop, not the wire (covered above).
		const result = await runSendJobs(okSession(log), await jobs(['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org']), {
			minSecondsBetween: 60,
			maxPerRun: 3,
			clock,
		});
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'notSent']);
		expect(result.deliveries[3].reason).toBe('maxPerRun');
		expect(clock.sleeps).toEqual([60_000, 60_000]);
		expect(log).toHaveLength(3);
	});

	test('a retry keeps the pause between mails: no two messages reach the server closer than minSecondsBetween', async () => {
		const clock = fakeClock();
		const wire: Array<[string, number]> = [];
		let greylisted = 2;
		const session = {
			connect: async () => ({
				open: true,
				close: () => undefined,
				send: async (m: Pick<OutgoingMessage, 'envelope' | 'raw'>) => {
					wire.push([m.envelope.to[0], clock.now()]);
					if (m.envelope.to[0] === 'a@example.org' && greylisted-- > 0) {
						throw new SmtpSendError({ kind: 'temporary', code: 451, response: '451 4.7.1 Greylisted', message: 'Temporarily refused' }, false);
					}
					return { code: 250, response: '250 ok', refusals: [] };
				},
			}),
		};
		const result = await runSendJobs(session, await jobs(['a@example.org', 'b@example.org', 'c@example.org']), { minSecondsBetween: 60, retryBaseMs: 30_000, clock });
		expect(result.deliveries.map((d) => [d.status, d.attempts])).toEqual([['sent', 3], ['sent', 1], ['sent', 1]]);
		expect(wire.map(([to]) => to)).toEqual(['a@example.org', 'a@example.org', 'a@example.org', 'b@example.org', 'c@example.org']);
		const gaps = wire.slice(1).map(([, at], k) => at - wire[k][1]);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(60_000);
	});

	test('cancel signal stops between messages', async () => {
		const controller = new AbortController();
		const log: string[] = [];
		const result = await runSendJobs(okSession(log), await jobs(['a@example.org', 'b@example.org', 'c@example.org']), {
			minSecondsBetween: 0,
			signal: controller.signal,
			onSent: async () => controller.abort(),
		});
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'notSent', 'notSent']);
		expect(result.deliveries[1].reason).toBe('cancelled');
		expect(result.stopped?.kind).toBe('cancelled');
		expect(log).toEqual(['a@example.org']);
	});

	test('duplicates are skipped before any wait or send, and reported as sent with duplicate: true', async () => {
		const clock = fakeClock();
		const log: string[] = [];
		const result = await runSendJobs(okSession(log), await jobs(['a@example.org', 'b@example.org']), {
			minSecondsBetween: 60,
			clock,
			isDuplicate: async (job) => job.key === 0,
		});
		expect(result.deliveries[0]).toMatchObject({ status: 'sent', duplicate: true, attempts: 0 });
		// Known by invoice ID and level only: an instalment with the same ID would look the same, so it is said.
		expect(result.deliveries[0].warning).toMatch(/^Not sent now: the reminder for this invoice ID and level was sent by an earlier execution\. If this item is another open item .*own invoice ID\. If it is the same invoice, its level may not have been stored .*lastDunnedAt$/);
		expect(result.deliveries[1]).toMatchObject({ status: 'sent', attempts: 1 });
		expect(log).toEqual(['b@example.org']);
		expect(clock.sleeps).toEqual([]);
	});
});

describe('numbers that would never end a run, or drop its pace', () => {
	function fakeClock() {
		let now = 1_700_000_000_000;
		const sleeps: number[] = [];
		return {
			sleeps,
			now: () => now,
			// One timer, as n8n's sleep is: the clock itself would cut a wait past 2^31 - 1 ms to 1 ms.
			sleep: async (ms: number) => {
				sleeps.push(ms);
				now += ms > MAX_TIMER_MS ? 1 : Math.max(0, ms);
			},
		};
	}
	const session = (log: number[], refuseFirst = 0) => ({
		connect: async () => ({
			open: true,
			close: () => undefined,
			send: async () => {
				log.push(log.length);
				if (log.length <= refuseFirst) {
					throw new SmtpSendError({ kind: 'temporary', code: 451, response: '451 4.7.1 Greylisted', message: 'Temporarily refused' }, false);
				}
				return { code: 250, response: '250 ok', refusals: [] };
			},
		}),
	});

	test('a pause longer than one timer can hold (24.8 days) is waited in full, in steps, never cut to nothing', async () => {
		const clock = fakeClock();
		const log: number[] = [];
		const thirtyDays = 30 * 86_400;
		const result = await runSendJobs(session(log), await jobs(['a@example.org', 'b@example.org']), { minSecondsBetween: thirtyDays, clock });
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'sent']);
		expect(clock.sleeps.every((ms) => ms <= MAX_TIMER_MS)).toBe(true);
		expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(thirtyDays * 1000);
	});

	test('sleep() past 2^31 - 1 ms does not end at once (Node would fire that timer after 1 ms)', async () => {
		const controller = new AbortController();
		const long = sleep(MAX_TIMER_MS + 1000, controller.signal).then(
			() => 'ended',
			(error: unknown) => (error instanceof AbortedError ? 'aborted' : 'failed'),
		);
		const first = await Promise.race([long, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 200))]);
		controller.abort();
		expect(first).toBe('still waiting');
		expect(await long).toBe('aborted');
	});

	test('attempts, waits and caps that are no usable number are refused before anything is sent, naming the option', async () => {
		for (const [options, named] of [
			[{ maxAttempts: Number.NaN }, 'maxAttempts must be a whole number of at least 1, not NaN'],
			[{ maxAttempts: 1.5 }, 'maxAttempts must be a whole number of at least 1, not 1.5'],
			[{ maxAttempts: 0 }, 'maxAttempts must be a whole number of at least 1, not 0'],
			[{ retryBaseMs: Number.NaN }, 'retryBaseMs must be a number of at least 0, not NaN'],
			[{ minSecondsBetween: Number.NaN }, 'minSecondsBetween must be a number of at least 0, not NaN'],
			[{ minSecondsBetween: -1 }, 'minSecondsBetween must be a number of at least 0, not -1'],
			[{ maxPerRun: 1.5 }, 'maxPerRun must be a whole number of at least 0 (or null: no cap), not 1.5'],
		] as const) {
			const log: number[] = [];
			// Greylisted 20 times, then taken: before, NaN attempts retried until the server gave in.
			const run = runSendJobs(session(log, 20), await jobs(['a@example.org', 'b@example.org']), { minSecondsBetween: 0, retryBaseMs: 0, clock: fakeClock(), ...options });
			await expect(run).rejects.toThrow(named);
			expect([named, log]).toEqual([named, []]);
		}
	});

	test('a duplicate says who sent it: an earlier execution, or an earlier item of this run (then, for an instalment, nothing went out for it); the dry run says the same in its words', () => {
		expect(duplicateOutcome(true)).toEqual({
			duplicate: true,
			warning:
				'Not sent now: the reminder for this invoice ID and level was sent by an earlier execution. If this item is another open item with the same invoice ID (an instalment), give it its own invoice ID. ' +
				'If it is the same invoice, its level may not have been stored after that send: write dunning.level to currentLevel and the send date to lastDunnedAt',
		});
		expect(duplicateOutcome({ sameRunAs: [0] })).toEqual({
			duplicate: true,
			duplicateOf: 0,
			warning:
				'Not sent: the reminder for this invoice ID and level went out with an earlier item of this run (item 0). If this item is another open item with the same invoice ID (an instalment), nothing went out for it: give it its own invoice ID',
		});
		expect(duplicateOutcome({ sameRunAs: [0, 2, 5], earlierExecution: true }).warning).toMatch(/^Not sent: .* went out with an earlier execution and earlier items of this run \(items 0, 2 and 5\)\. /);
		expect(duplicateOutcome({ sameRunAs: [3] }, true).warning).toMatch(/^Would not be sent: .* goes out with an earlier item of this run \(item 3\)\. .*nothing would go out for it: give it its own invoice ID$/);
		expect(duplicateOutcome(true, true).warning).toMatch(/^Would not be sent: the reminder for this invoice ID and level was sent by an earlier execution\. /);
	});
});

describe('the reminder for the customer\'s ASCII addresses only (OutgoingMessage.asciiOnly)', () => {
	test('only on a list that mixes; the same reminder, also once the full message was composed; an internationalised domain stays', async () => {
		const pdf = Buffer.from('%PDF-1.4\n% test invoice\n%%EOF\n');
		const [mixed, ascii, beyond] = (
			await jobs(['info@bücher.example, jürgen@example.org', 'a@example.org, b@example.org', 'çelik@example.org, jürgen@example.org'], { bcc: 'archiv@example.com', pdf })
		).map((j) => j.message);
		expect(ascii.asciiOnly).toBeUndefined();
		expect(beyond.asciiOnly).toBeUndefined();
		void mixed.raw;
		const narrowed = mixed.asciiOnly!();
		expect(narrowed).toMatchObject({
			messageId: mixed.messageId,
			recipients: ['info@xn--bcher-kva.example'],
			envelope: { from: 'shop@example.com', to: ['info@xn--bcher-kva.example', 'archiv@example.com'] },
			summary: { to: 'info@bücher.example', headers: mixed.summary.headers, subject: mixed.summary.subject },
		});
		expect(narrowed.asciiOnly).toBeUndefined();
		const mail = await simpleParser(narrowed.raw);
		expect(mail.messageId).toBe(mixed.messageId);
		expect(mail.attachments.map((a) => a.content.equals(pdf))).toEqual([true]);
	});
});
