/**
 * Against Debian's Postfix and Dovecot (the mail sandbox, MAIL_SANDBOX=1): a reminder really
 * delivered, a real DSN for an unknown user back in the sender's INBOX (the flow bounce handling
 * builds on), and the Sent-folder copy through the node.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { IDataObject } from 'n8n-workflow';

import { classifyMessage } from '../../lib/bounce';
import { buildReminderMessage } from '../../lib/mail/message';
import { runSendJobs } from '../../lib/mail/send-run';
import { smtpConnector } from '../../lib/mail/smtp-session';
import { node, runWorkflow } from '../harness/engine';
import { describeWithSandbox, SANDBOX, searchUids, waitForMessage } from '../servers/sandbox';

const postfix = { host: SANDBOX.host, port: SANDBOX.smtpPort, security: 'starttls' as const, allowSelfSigned: true, timeoutMs: 15000 };
const sender = { address: SANDBOX.users.dunning.user, name: 'Sandbox Shop' };

function marker(prefix: string): string {
	return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

async function reminderTo(to: string, invoiceId: string) {
	return buildReminderMessage({
		sender,
		to,
		subject: `Zahlungserinnerung ${invoiceId}`,
		text: `Bitte zahlen Sie Rechnung ${invoiceId}.`,
		invoiceId,
		level: 1,
		runId: 'sandbox-run',
	});
}

describeWithSandbox('sending through the sandbox Postfix', () => {
	jest.setTimeout(60000);

	test('a reminder to an existing user is delivered to her INBOX with all headers', async () => {
		const invoiceId = marker('deliver');
		const message = await reminderTo(SANDBOX.users.alice.user, invoiceId);
		const result = await runSendJobs(smtpConnector(postfix, undefined), [{ key: 0, message }], { minSecondsBetween: 0 });
		expect(result.deliveries[0]).toMatchObject({ status: 'sent', smtpCode: 250 });
		const [arrived] = await waitForMessage('alice', { search: { header: { 'X-Dunning-Invoice': invoiceId } } });
		const mail = await simpleParser(arrived.source);
		expect(mail.messageId).toBe(message.messageId);
		expect(mail.headers.get('x-dunning-level')).toBe('1');
		expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
		expect(mail.from?.value[0]).toEqual({ name: 'Sandbox Shop', address: SANDBOX.users.dunning.user });
	});

	test('a reminder to an unknown user is accepted, then Postfix returns a real DSN to the sender', async () => {
		const invoiceId = marker('bounce');
		const message = await reminderTo(SANDBOX.unknownUser, invoiceId);
		const result = await runSendJobs(smtpConnector(postfix, undefined), [{ key: 0, message }], { minSecondsBetween: 0 });
		// Postfix accepts for its virtual domain and learns of the unknown user only from Dovecot's
		// LMTP, after the SMTP session: the failure arrives as a DSN, not as a 550 here.
		expect(result.deliveries[0].status).toBe('sent');
		const [dsn] = await waitForMessage('dunning', { search: { text: invoiceId } });
		const raw = dsn.source.toString('latin1');
		expect(raw).toMatch(/Content-Type: multipart\/report; report-type=delivery-status/i);
		expect(raw).toContain(message.messageId);
		expect(raw).toContain(`X-Dunning-Invoice: ${invoiceId}`);
		expect(raw).toMatch(/Status: 5\.1\.1/);
	});

	test('a failed archive copy (a typo in the BCC address) is reported as the archive copy, not as the customer', async () => {
		const invoiceId = marker('bcc');
		const message = await buildReminderMessage({
			sender: { ...sender, bcc: SANDBOX.unknownUser },
			to: SANDBOX.users.alice.user,
			subject: `Zahlungserinnerung ${invoiceId}`,
			text: `Bitte zahlen Sie Rechnung ${invoiceId}.`,
			invoiceId,
			level: 1,
			runId: 'sandbox-run',
		});
		const result = await runSendJobs(smtpConnector(postfix, undefined), [{ key: 0, message }], { minSecondsBetween: 0 });
		expect(result.deliveries[0].status).toBe('sent');
		const [arrived] = await waitForMessage('alice', { search: { header: { 'X-Dunning-Invoice': invoiceId } } });
		// The customer sees a mark, not the archive address.
		expect(arrived.source.toString('latin1')).toMatch(/^X-Dunning-Copy: [0-9a-f]{20}\r?$/m);
		expect(arrived.source.toString('latin1')).not.toContain(SANDBOX.unknownUser);
		const [dsn] = await waitForMessage('dunning', { search: { text: invoiceId } });
		const results = await classifyMessage(dsn.source);
		expect(results).toEqual([
			expect.objectContaining({ recipient: SANDBOX.unknownUser, archiveCopy: true, category: 'none', kind: 'hard', reason: 'userunknown', invoiceId, originalMessageId: message.messageId }),
		]);
	});
});

describeWithSandbox('Send Reminder Email node: a recipient list with one dead address (sandbox Postfix)', () => {
	jest.setTimeout(60000);

	test('the live address gets the reminder; the DSN for the dead one maps back to the invoice and level, naming that address', async () => {
		const invoiceId = marker('list');
		const run = await runWorkflow({
			workflowId: `wf-list-${invoiceId}`,
			nodes: [node('sendReminderEmail', 'Send', { operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0 }, { credentials: { dunningSmtpApi: { id: 'smtp', name: 'smtp' } } })],
			input: {
				node: 'Send',
				items: [
					{
						json: {
							invoiceId,
							email: `"Alice, Buchhaltung" <${SANDBOX.users.alice.user}>; ${SANDBOX.unknownUser}`,
							language: 'de',
							dueDate: '2026-02-01',
							openAmount: 42,
							currency: 'EUR',
							dunning: { level: 2, fee: 0, interest: 0, totalDue: 42, deadline: '2099-03-01' },
						},
					},
				],
			},
			credentials: { smtp: { host: SANDBOX.host, port: SANDBOX.smtpPort, security: 'starttls', allowSelfSigned: true, fromAddress: SANDBOX.users.dunning.user, fromName: 'Sandbox Shop' } },
		});
		expect(run.status).toBe('success');
		const delivery = run.items('Send')[0].json.delivery as IDataObject;
		expect(delivery.status).toBe('sent');
		const [arrived] = await waitForMessage('alice', { search: { header: { 'X-Dunning-Invoice': invoiceId } } });
		const mail = await simpleParser(arrived.source);
		expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : null).toEqual([SANDBOX.users.alice.user, SANDBOX.unknownUser]);
		const [dsn] = await waitForMessage('dunning', { search: { text: invoiceId } });
		const results = await classifyMessage(dsn.source);
		expect(results).toHaveLength(1);
		expect(results[0]).toMatchObject({
			isBounce: true,
			archiveCopy: false,
			category: 'addressDead',
			recipient: SANDBOX.unknownUser,
			invoiceId,
			level: 2,
			originalMessageId: delivery.messageId,
		});
	});
});

describeWithSandbox('Send Reminder Email node: copy to the Sent folder (sandbox Dovecot)', () => {
	jest.setTimeout(60000);

	/** Dovecot's refused logins for `user` so far (its log names the user of each). */
	const failedLoginLines = (user: string) =>
		readFileSync(join(SANDBOX.runDir, 'dovecot', 'dovecot.log'), 'utf8')
			.split('\n')
			.filter((line) => line.includes(`user=<${user}>`) && line.includes('auth failed')).length;
	/**
	 * Dovecot logs a refused login when the connection closes ("Disconnected (auth failed …)"), which
	 * can be after the run that made it has returned: wait (bounded) until `expected` lines are there,
	 * then return the count for an exact comparison.
	 */
	const failedLogins = async (user: string, expected: number) => {
		for (let waited = 0; failedLoginLines(user) < expected && waited < 10_000; waited += 100) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		return failedLoginLines(user);
	};

	async function sendWithSentCopy(invoiceIds: string[], imap: { sentFolder: string; user?: string; password?: string }) {
		return await runWorkflow({
			workflowId: `wf-sent-${invoiceIds[0]}`,
			nodes: [
				node(
					'sendReminderEmail',
					'Send',
					{ operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, saveToSentFolder: true },
					{ credentials: { dunningSmtpApi: { id: 'smtp', name: 'smtp' }, dunningImapApi: { id: 'imap', name: 'imap' } } },
				),
			],
			input: {
				node: 'Send',
				items: invoiceIds.map((invoiceId) => ({
					json: {
						invoiceId,
						invoiceNumber: invoiceId,
						email: SANDBOX.users.alice.user,
						language: 'de',
						dueDate: '2026-02-01',
						openAmount: 42,
						currency: 'EUR',
						dunning: { level: 1, fee: 0, interest: 0, totalDue: 42, deadline: '2099-03-01' },
					},
				})),
			},
			credentials: {
				smtp: { host: SANDBOX.host, port: SANDBOX.smtpPort, security: 'starttls', allowSelfSigned: true, fromAddress: SANDBOX.users.dunning.user, fromName: 'Sandbox Shop' },
				imap: {
					host: SANDBOX.host,
					port: SANDBOX.imapPort,
					security: 'starttls',
					allowSelfSigned: true,
					user: imap.user ?? SANDBOX.users.dunning.user,
					password: imap.password ?? SANDBOX.users.dunning.password,
					sentFolder: imap.sentFolder,
				},
			},
		});
	}

	test('each sent reminder lands in the mailbox’s Sent folder', async () => {
		const invoiceId = marker('sent');
		const run = await sendWithSentCopy([invoiceId], { sentFolder: 'Sent' });
		expect(run.status).toBe('success');
		const delivery = run.items('Send')[0].json.delivery as IDataObject;
		expect(delivery).toMatchObject({ status: 'sent' });
		expect(delivery.warning).toBeUndefined();
		const uids = await searchUids('dunning', 'Sent', { header: { 'X-Dunning-Invoice': invoiceId } });
		expect(uids).toHaveLength(1);
		await waitForMessage('alice', { search: { header: { 'X-Dunning-Invoice': invoiceId } } });
	});

	test('a failed Sent-folder copy leaves the reminder sent, with a warning that says why', async () => {
		const invoiceId = marker('nosent');
		const run = await sendWithSentCopy([invoiceId], { sentFolder: `Missing-${invoiceId}` });
		expect(run.status).toBe('success');
		const delivery = run.items('Send')[0].json.delivery as IDataObject;
		expect(delivery.status).toBe('sent');
		expect(String(delivery.warning)).toMatch(/^Sent, but the copy to the Sent folder failed: .*Missing-/);
		expect(JSON.stringify(delivery)).not.toContain(SANDBOX.users.dunning.password);
	});

	test('a refused IMAP login is tried once per run, not once per reminder (providers lock accounts)', async () => {
		const invoiceIds = [marker('lock1'), marker('lock2'), marker('lock3')];
		// A login name of its own, so that Dovecot's log shows exactly this run's attempts.
		const user = `${invoiceIds[0].toLowerCase()}@example.test`;
		const password = 'wrong-password-for-lockout';
		const run = await sendWithSentCopy(invoiceIds, { sentFolder: 'Sent', user, password });
		expect(run.status).toBe('success');
		const deliveries = run.items('Send').map((item) => item.json.delivery as IDataObject);
		expect(deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'sent']);
		expect(String(deliveries[0].warning)).toMatch(/^Sent, but the copy to the Sent folder failed: (?!not tried)/);
		for (const later of deliveries.slice(1)) {
			expect(String(later.warning)).toMatch(/^Sent, but the copy to the Sent folder failed: not tried, because the login was refused for an earlier copy/);
		}
		expect(JSON.stringify(deliveries)).not.toContain(password);
		expect(await failedLogins(user, 1)).toBe(1);
	});

	test('the next run (the shipped sender\'s next tick) does not try the refused login again; a corrected one is tried at once', async () => {
		const first = marker('tick1');
		const user = `${first.toLowerCase()}@example.test`;
		// Each tick is an execution of its own, in the same n8n process.
		const tick = async (invoiceId: string, password: string) =>
			(await sendWithSentCopy([invoiceId], { sentFolder: 'Sent', user, password })).items('Send')[0].json.delivery as IDataObject;
		expect(String((await tick(first, 'wrong-1')).warning)).toMatch(/^Sent, but the copy to the Sent folder failed: Authentication failed/);
		const second = await tick(marker('tick2'), 'wrong-1');
		expect(second.status).toBe('sent');
		expect(String(second.warning)).toMatch(/failed: not tried, because the login was refused earlier; it is tried again from \S+, or at once when the IMAP login is changed/);
		expect(await failedLogins(user, 1)).toBe(1);
		// Another password is another login: tried at once (refused again here, as the user does not exist).
		await tick(marker('tick3'), 'wrong-2');
		expect(await failedLogins(user, 2)).toBe(2);
	});
});
