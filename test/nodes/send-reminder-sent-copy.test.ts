/**
 * Save to Sent Folder with a password (or app password) login, through the real n8n engine: Gmail
 * and Microsoft 365 / Outlook.com file mail sent over their SMTP servers in Sent themselves, so a
 * copy appended over IMAP would show every reminder twice there; mail sent through another server
 * gets its copy. The provider's SMTP host cannot be reached from a test, so the SMTP connection
 * goes to a real SMTP server on loopback whatever the credential names, and the IMAP append is
 * recorded instead of made: what is tested is whether the node asks for the copy.
 */
import type { IDataObject } from 'n8n-workflow';

import type { MailServer } from '../../lib/mail/server';
import { runWorkflow } from '../harness/engine';
import { reminderItem as invoice, sendReminderNode, SMTP_CREDENTIAL_REF, SMTP_USER, smtpCredential, smtpServersPerTest } from '../harness/send-reminder-node';

/** Where every SMTP connection goes in this file (set per test): the loopback server. */
let mockLoopbackPort = 0;
jest.mock('../../lib/mail/smtp-session', () => {
	const actual = jest.requireActual<typeof import('../../lib/mail/smtp-session')>('../../lib/mail/smtp-session');
	return {
		...actual,
		smtpConnector: (server: MailServer, ...rest: unknown[]) =>
			(actual.smtpConnector as (...args: unknown[]) => unknown)({ ...server, host: '127.0.0.1', port: mockLoopbackPort, security: 'none' }, ...rest),
	};
});

/** The IMAP appends the node asked for (into a named folder or the Sent folder): the host and folder of each. */
const mockAppends: Array<{ host: string; folder: string }> = [];
jest.mock('../../lib/mailbox/append', () => {
	const record = async (server: MailServer, _auth: unknown, folder: string) => {
		mockAppends.push({ host: server.host, folder });
		return { folder };
	};
	return { ...jest.requireActual<typeof import('../../lib/mailbox/append')>('../../lib/mailbox/append'), appendToFolder: record, appendToSentFolder: record };
});

const PASSWORD = 'app-pass-word';
const smtp = smtpServersPerTest(PASSWORD);
afterEach(() => {
	mockAppends.length = 0;
});

/** Sends two reminders with Save to Sent Folder on; the IMAP hosts the node appended to. */
async function sendWithSentCopy(smtpHost: string, imapHost: string): Promise<string[]> {
	const server = await smtp.start();
	mockLoopbackPort = server.port;
	const r = await runWorkflow({
		workflowId: `wf-sent-copy-${smtpHost}-${imapHost}`,
		nodes: [
			sendReminderNode(
				{ saveToSentFolder: true, sentFolder: 'Sent' },
				{ credentials: { dunningSmtpApi: SMTP_CREDENTIAL_REF, dunningImapApi: { id: 'imap-1', name: 'Shop mailbox IMAP' } } },
			),
		],
		input: { node: 'Send', items: [invoice(1), invoice(2)] },
		credentials: {
			'smtp-1': smtpCredential({ port: 587 }, { host: smtpHost, security: 'starttls', password: PASSWORD }),
			'imap-1': { host: imapHost, port: 993, security: 'tls', user: SMTP_USER, password: PASSWORD, sentFolder: 'Sent', allowSelfSigned: false },
		},
	});
	expect(r.status).toBe('success');
	const deliveries = r.items('Send').map((i) => i.json.delivery as IDataObject);
	// Sent, and without a warning about the copy: leaving it out is no failure.
	expect(deliveries.map((d) => [d.status, d.warning])).toEqual([
		['sent', undefined],
		['sent', undefined],
	]);
	expect(server.received).toHaveLength(2);
	return mockAppends.map((a) => a.host);
}

describe('Send Reminder Email: Save to Sent Folder with a password login (real engine)', () => {
	test.each([
		['Gmail with an app password', 'smtp.gmail.com', 'imap.gmail.com'],
		['Microsoft 365 SMTP AUTH', 'smtp.office365.com', 'outlook.office365.com'],
		['Outlook.com', 'smtp-mail.outlook.com', 'imap-mail.outlook.com'],
	])('%s files the sent reminder in Sent itself: no copy is appended (it would show twice)', async (_name, smtpHost, imapHost) => {
		expect(await sendWithSentCopy(smtpHost, imapHost)).toEqual([]);
	});

	test('mail sent through another server gets its copy, also into a Gmail mailbox (a relay files nothing there)', async () => {
		expect(await sendWithSentCopy('mail.shop.example', 'imap.shop.example')).toEqual(['imap.shop.example', 'imap.shop.example']);
		mockAppends.length = 0;
		expect(await sendWithSentCopy('smtp.relay.example', 'imap.gmail.com')).toEqual(['imap.gmail.com', 'imap.gmail.com']);
	});
});
