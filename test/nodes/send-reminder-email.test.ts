/**
 * Send Reminder Email through the real n8n engine, sending to a real SMTP server on loopback.
 */
import { simpleParser } from 'mailparser';
import { DateTime } from 'luxon';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { testOAuth2MailboxCredential } from '../../nodes/shared/oauth2-credential-test';
import { SendReminderEmail } from '../../nodes/SendReminderEmail/SendReminderEmail.node';
import { testSmtpCredential } from '../../nodes/SendReminderEmail/transport';
import { chain, node, runWorkflow } from '../harness/engine';
import { startRawSmtpServer, useRawSmtpServers, type RawSmtpScript } from '../mail/raw-smtp-server';
import { startTestServer, type TestServer, type TestServerOptions } from '../mail/smtp-test-server';
import { SANDBOX } from '../servers/sandbox';
import { COMPANY } from '../letters/fixtures';

const PASSWORD = 'n0de-Test-Pass';
const USER = 'buchhaltung@shop.example';
let servers: TestServer[] = [];
async function server(options: Partial<TestServerOptions> = {}): Promise<TestServer> {
	const s = await startTestServer({ security: 'none', users: { [USER]: PASSWORD }, ...options });
	servers.push(s);
	return s;
}
/** Scripted faults no real server produces on demand (see raw-smtp-server.ts). */
const rawServer = useRawSmtpServers();
afterEach(async () => {
	await Promise.all(servers.map((s) => s.close()));
	servers = [];
});

function smtpCredential(s: { port: number }, password = PASSWORD) {
	return {
		host: '127.0.0.1',
		port: s.port,
		security: 'none',
		user: USER,
		password,
		fromAddress: USER,
		fromName: 'Beispiel Shop GmbH',
		replyTo: 'zahlungen@shop.example',
		bcc: '',
		allowSelfSigned: false,
	};
}

/**
 * Items as Compute Dunning Level emits them on its Send output. The deadline lies far ahead: a
 * reminder whose deadline has passed is not sent (see the end of this file).
 */
function invoice(n: number, over: IDataObject = {}, dunning: IDataObject = {}): INodeExecutionData {
	return {
		json: {
			invoiceId: `inv-${n}`,
			invoiceNumber: `RE-2026-${String(n).padStart(4, '0')}`,
			customerName: `Kunde ${n}`,
			email: `kunde${n}@kunden.example`,
			language: 'de',
			invoiceDate: '2026-01-10',
			dueDate: '2026-02-09',
			currency: 'EUR',
			openAmount: 100 * n,
			dunning: { action: 'send', level: 1, stageName: 'Zahlungserinnerung', fee: 0, flatFee: 0, interest: 0, totalDue: 100 * n, deadline: '2099-03-02', ...dunning },
			...over,
		},
	};
}

const pdf = Buffer.from('%PDF-1.4\n% Rechnung\n%%EOF\n');

/**
 * For invoices that Compute Dunning Level decides on today: last year (in its timezone) is always
 * overdue, and never more than the 10 years back that Compute refuses as implausible.
 */
const LAST_YEAR = DateTime.now().setZone('Europe/Berlin').year - 1;

function sendNode(parameters: IDataObject = {}, extra = {}) {
	return node(
		'sendReminderEmail',
		'Send',
		{ operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, options: { retryDelaySeconds: 0 }, ...parameters },
		{ credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'Shop mailbox' } }, ...extra },
	);
}

const statusOf = (items: INodeExecutionData[]) => items.map((i) => (i.json.delivery as IDataObject).status);

describe('Send Reminder Email node (real engine, real SMTP server)', () => {
	test('sends each reminder once, paper and bad items never reach the server; a second run sends nothing twice', async () => {
		const s = await server();
		const items: INodeExecutionData[] = [
			{ ...invoice(1), binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'RE-2026-0001.pdf' } } },
			{ ...invoice(2, { language: 'en' }, { level: 2, fee: 5, totalDue: 205 }), binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'RE-2026-0002.pdf' } } },
			invoice(3, { email: '' }),
			invoice(4, { emailBlocked: true }),
			invoice(5, { email: 'kein-at-zeichen' }),
			invoice(6, {}, { level: 'zwei' }),
		];
		const send = sendNode({ attachmentProperties: 'data' });
		const wf = { workflowId: 'wf-send', nodes: [send], input: { node: 'Send', items }, credentials: { 'smtp-1': smtpCredential(s) } };

		const first = await runWorkflow(wf);
		expect(first.status).toBe('success');
		const out = first.items('Send');
		expect(out).toHaveLength(6);
		expect(statusOf(out)).toEqual(['sent', 'sent', 'paper', 'paper', 'paper', 'failed']);
		expect(out.map((i) => (i.json.delivery as IDataObject).reason)).toEqual([undefined, undefined, 'noEmail', 'emailBlocked', 'invalidEmail', 'invalidInput']);
		expect((out[5].json.delivery as IDataObject).error).toMatch(/Item 5: The field "dunning.level" \(level\) must be a number/);
		expect(out[0].json.delivery).toMatchObject({ smtpCode: 250, attempts: 1 });
		expect(out[0].json.invoiceId).toBe('inv-1');
		expect(out[0].binary?.data).toBeDefined();
		expect(JSON.stringify(out)).not.toContain(PASSWORD);

		expect(s.received).toHaveLength(2);
		expect(s.loginAttempts).toHaveLength(1);
		const de = await simpleParser(s.received[0].raw);
		expect(de.subject).toBe('Zahlungserinnerung zu Rechnung RE-2026-0001');
		expect(de.from?.value[0]).toEqual({ name: 'Beispiel Shop GmbH', address: USER });
		expect(de.replyTo?.text).toBe('zahlungen@shop.example');
		expect(de.text).toContain('Guten Tag Kunde 1,');
		expect(de.text).toContain('100,00\u00a0€');
		expect(de.text).toContain('2. März 2099');
		expect(de.html).toContain('<strong>100,00\u00a0€</strong>');
		expect(de.messageId).toBe((out[0].json.delivery as IDataObject).messageId);
		expect(de.headers.get('x-dunning-invoice')).toBe('inv-1');
		expect(de.headers.get('x-dunning-level')).toBe('1');
		// The run id is the n8n execution id, so every reminder of one execution can be found again.
		expect(de.headers.get('x-dunning-run')).toMatch(/^exec-/);
		expect(de.headers.get('x-dunning-run')).toBe((await simpleParser(s.received[1].raw)).headers.get('x-dunning-run'));
		expect(de.headers.get('auto-submitted')).toBe('auto-generated');
		expect(de.attachments.map((a) => [a.filename, a.contentType, a.content.equals(pdf)])).toEqual([['RE-2026-0001.pdf', 'application/pdf', true]]);
		const en = await simpleParser(s.received[1].raw);
		expect(en.subject).toBe('First dunning notice for invoice RE-2026-0002');
		expect(en.text).toContain('Reminder fees: €5.00');

		const second = await runWorkflow(wf);
		expect(second.status).toBe('success');
		const again = second.items('Send');
		expect(statusOf(again)).toEqual(['sent', 'sent', 'paper', 'paper', 'paper', 'failed']);
		expect(again[0].json.delivery).toMatchObject({ duplicate: true, attempts: 0, messageId: de.messageId });
		expect(again[1].json.delivery).toMatchObject({ duplicate: true });
		expect(s.received).toHaveLength(2);
	});

	test('recipient lists: Name <addr> and several addresses (, or ;) all go in To; a bad entry or too many send the item to paper, naming it; a refused one is reported', async () => {
		const s = await server({ onRcpt: (address) => (address === 'alt@kunden.example' ? { code: 550, message: '5.1.1 No such user' } : undefined) });
		const items: INodeExecutionData[] = [
			invoice(1, { email: '"Müller, Anna" <anna@kunden.example>; buchhaltung@kunden.example' }),
			invoice(2, { email: 'kunde2@kunden.example, kein-at-zeichen' }),
			invoice(3, { email: Array.from({ length: 11 }, (_, k) => `k${k}@kunden.example`).join(';') }),
			invoice(4, { email: 'Kunde Vier <vier@kunden.example>, alt@kunden.example' }),
			invoice(5, { email: ' ; , ' }),
		];
		const run = await runWorkflow({ workflowId: 'wf-recipients', nodes: [sendNode()], input: { node: 'Send', items }, credentials: { 'smtp-1': smtpCredential(s) } });
		expect(run.status).toBe('success');
		const out = run.items('Send');
		expect(statusOf(out)).toEqual(['sent', 'paper', 'paper', 'sent', 'paper']);
		const delivery = out.map((i) => i.json.delivery as IDataObject);
		expect(delivery[1]).toMatchObject({ reason: 'invalidEmail', error: '"kein-at-zeichen" in "email" (one of 2 addresses) is not a valid e-mail address: send this reminder on paper' });
		expect(delivery[2]).toMatchObject({ reason: 'invalidEmail', error: expect.stringContaining('lists 11 addresses, more than the 10') });
		expect(delivery[4]).toMatchObject({ reason: 'noEmail' });
		expect(delivery[0].refusedRecipients).toBeUndefined();
		expect(delivery[3]).toMatchObject({ refusedRecipients: ['alt@kunden.example'], warning: 'Sent, but the server refused alt@kunden.example (550 5.1.1 No such user); the other addresses got it' });

		expect(s.received.map((m) => m.to)).toEqual([['anna@kunden.example', 'buchhaltung@kunden.example'], ['vier@kunden.example']]);
		const first = await simpleParser(s.received[0].raw);
		expect(first.to && !Array.isArray(first.to) ? first.to.value : null).toEqual([
			{ name: 'Müller, Anna', address: 'anna@kunden.example' },
			{ name: '', address: 'buchhaltung@kunden.example' },
		]);
		const fourth = await simpleParser(s.received[1].raw);
		expect(fourth.to && !Array.isArray(fourth.to) ? fourth.to.value.map((a) => a.address) : null).toEqual(['vier@kunden.example', 'alt@kunden.example']);
	});

	test('a recipient list where the server refuses every address fails the item with the refusal', async () => {
		const s = await server({ onRcpt: () => ({ code: 550, message: '5.1.1 No such user' }) });
		const run = await runWorkflow({
			workflowId: 'wf-recipients-refused',
			nodes: [sendNode()],
			input: { node: 'Send', items: [invoice(1, { email: 'a@kunden.example; b@kunden.example' })] },
			credentials: { 'smtp-1': smtpCredential(s) },
		});
		expect(run.items('Send')[0].json.delivery).toMatchObject({ status: 'failed', reason: 'rejected', smtpCode: 550 });
		expect(s.received).toHaveLength(0);
	});

	test('a server without SMTPUTF8: a list with an address beyond ASCII goes to the others, with a warning naming it; an address beyond ASCII alone fails (5.6.7)', async () => {
		const s = await server({ smtpUtf8: false });
		const items = [invoice(1, { email: 'info@kunden.example, "Jürgen Müller" <jürgen@kunden.example>' }), invoice(2, { email: 'jürgen@kunden.example' })];
		const run = await runWorkflow({ workflowId: 'wf-smtputf8', nodes: [sendNode()], input: { node: 'Send', items }, credentials: { 'smtp-1': smtpCredential(s) } });
		expect(run.status).toBe('success');
		const delivery = run.items('Send').map((i) => i.json.delivery as IDataObject);
		expect(delivery[0]).toMatchObject({ status: 'sent', smtpCode: 250, warning: `127.0.0.1:${s.port} does not offer SMTPUTF8, which jürgen@kunden.example needs; sent to info@kunden.example only` });
		expect(delivery[1]).toMatchObject({ status: 'failed', reason: 'rejected', category: 'recipientRefused', smtpStatus: '5.6.7' });
		expect(s.received.map((m) => m.to)).toEqual([['info@kunden.example']]);
		const mail = await simpleParser(s.received[0].raw);
		expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : null).toEqual(['info@kunden.example']);
		expect(mail.messageId).toBe(delivery[0].messageId);
	});

	test('a refusal by the server says what it means for dunning, by the rules of Classify Bounce and the command refused', async () => {
		// A real smtp-server that refuses as Postfix and content filters do: at RCPT TO and after DATA.
		const s = await server({
			onRcpt: (address) => (address === 'kunde1@kunden.example' ? { code: 550, message: '5.1.1 <kunde1@kunden.example>: Recipient address rejected: User unknown' } : undefined),
			onData: (_n, raw) => {
				const to = /^To: .*$/m.exec(raw.toString('utf8'))?.[0] ?? '';
				if (to.includes('kunde2@')) return { code: 554, message: '5.7.1 Message rejected as spam by content filter' };
				if (to.includes('kunde3@')) return { code: 550, message: '5.1.1 User unknown' };
				return undefined;
			},
		});
		const run = await runWorkflow({
			workflowId: 'wf-refused-at-send',
			nodes: [sendNode()],
			input: { node: 'Send', items: [invoice(1), invoice(2), invoice(3), invoice(4), invoice(5, { email: 'kein-at-zeichen' })] },
			credentials: { 'smtp-1': smtpCredential(s) },
		});
		const deliveries = run.items('Send').map((i) => i.json.delivery as IDataObject);
		expect(deliveries.map((d) => [d.status, d.reason, d.category, d.bounceReason, d.smtpStatus])).toEqual([
			['failed', 'rejected', 'addressDead', 'userunknown', '5.1.1'],
			['failed', 'rejected', 'senderRejected', 'spamdetected', '5.7.1'],
			// "User unknown" after DATA: the server had taken the recipient; a filter said no.
			['failed', 'rejected', 'recipientRefused', 'filtered', '5.1.1'],
			['sent', undefined, undefined, undefined, undefined],
			['paper', 'invalidEmail', undefined, undefined, undefined],
		]);
		expect(deliveries[0]).toMatchObject({ smtpCode: 550, smtpResponse: expect.stringMatching(/^550 5\.1\.1 <kunde1@kunden\.example>/) });
		expect(deliveries[1]).toMatchObject({ smtpCode: 554, smtpResponse: expect.stringMatching(/spam/) });
		expect(s.received.map((m) => m.to)).toEqual([['kunde4@kunden.example']]);
	});

	test('Group by Customer in Compute: one collective reminder per customer listing every invoice; sent once, a new invoice sends again', async () => {
		const s = await server();
		const compute = node('computeDunningLevel', 'Compute', {
			policySource: 'json',
			policyJson: JSON.stringify({ stages: [{ name: 'Zahlungserinnerung', fee: 2.5 }], statutoryInterest: { enabled: false } }),
			// As of today: a deadline Compute set on a past day would have passed when Send runs.
			options: { groupByCustomer: true },
		});
		const open = (id: string, customerId: string, openAmount: number, dueDate: string): INodeExecutionData => ({
			binary: { data: { data: Buffer.from(`%PDF-1.4 ${id}`).toString('base64'), mimeType: 'application/pdf', fileName: `RE-${id}.pdf` } },
			json: {
				invoiceId: id,
				invoiceNumber: `RE-${id}`,
				customerId,
				customerName: `Kunde ${customerId}`,
				email: `${customerId.toLowerCase()}@kunden.example`,
				language: 'de',
				invoiceDate: `${LAST_YEAR}-10-01`,
				dueDate,
				currency: 'EUR',
				amount: openAmount,
				openAmount,
				currentLevel: 0,
			},
		});
		const items = [open('A1', 'A', 100, `${LAST_YEAR}-11-02`), open('B1', 'B', 20, `${LAST_YEAR}-11-03`), open('A2', 'A', 50.5, `${LAST_YEAR}-11-01`)];
		const wf = (input: INodeExecutionData[]) => ({
			workflowId: 'wf-group',
			nodes: [compute, sendNode({ attachmentProperties: 'data' })],
			connections: chain('Compute', 'Send'),
			input: { node: 'Compute', items: input },
			credentials: { 'smtp-1': smtpCredential(s) },
		});

		const first = await runWorkflow(wf(items));
		expect(first.status).toBe('success');
		const out = first.items('Send');
		expect(out.map((i) => [i.json.customerId, (i.json.delivery as IDataObject).status])).toEqual([
			['A', 'sent'],
			['B', 'sent'],
		]);
		expect(s.received).toHaveLength(2);
		expect(s.received[0].to).toEqual(['a@kunden.example']);
		const a = await simpleParser(s.received[0].raw);
		// A one-stage policy: its only reminder is the last, and says so.
		expect(a.subject).toBe('Letzte Zahlungserinnerung zu 2 Rechnungen');
		expect(a.text).toContain('Guten Tag Kunde A,');
		expect(a.text).toContain(`- Rechnung RE-A1 vom 1. Oktober ${LAST_YEAR}, fällig am 2. November ${LAST_YEAR}: 100,00\u00a0€`);
		expect(a.text).toContain(`- Rechnung RE-A2 vom 1. Oktober ${LAST_YEAR}, fällig am 1. November ${LAST_YEAR}: 50,50\u00a0€`);
		expect(a.text).toContain('Offen insgesamt: 150,50\u00a0€');
		expect(a.text).toContain('Mahngebühren: 5,00\u00a0€');
		expect(a.text).toContain('Zu zahlender Gesamtbetrag: 155,50\u00a0€');
		expect(a.html).toContain('<strong>155,50\u00a0€</strong>');
		expect(a.headers.get('x-dunning-invoice')).toBe('A1, A2');
		// Every invoice's PDF goes along, as Compute's grouping kept them (data, data_2).
		expect(a.attachments.map((f) => [f.filename, f.content.toString()])).toEqual([
			['RE-A1.pdf', '%PDF-1.4 A1'],
			['RE-A2.pdf', '%PDF-1.4 A2'],
		]);
		// A group of one reads like any single reminder.
		const b = await simpleParser(s.received[1].raw);
		expect(b.subject).toBe('Letzte Zahlungserinnerung zu Rechnung RE-B1');
		expect(b.headers.get('x-dunning-invoice')).toBe('B1');
		expect(b.attachments.map((f) => f.filename)).toEqual(['RE-B1.pdf']);

		const again = await runWorkflow(wf(items));
		expect(again.items('Send').map((i) => (i.json.delivery as IDataObject).duplicate)).toEqual([true, true]);
		expect(s.received).toHaveLength(2);

		// A third invoice of customer A joins the group: the reminder goes out again, now listing three.
		const third = await runWorkflow(wf([...items, open('A3', 'A', 10, `${LAST_YEAR}-11-04`)]));
		expect(third.items('Send').map((i) => (i.json.delivery as IDataObject).duplicate ?? false)).toEqual([false, true]);
		expect(s.received).toHaveLength(3);
		expect((await simpleParser(s.received[2].raw)).subject).toBe('Letzte Zahlungserinnerung zu 3 Rechnungen');

		// An invoice without its file fails the collective reminder, naming the file and the invoice.
		const withoutFile = { ...open('A4', 'A', 10, `${LAST_YEAR}-11-05`), binary: undefined };
		const fourth = await runWorkflow(wf([...items, open('A3', 'A', 10, `${LAST_YEAR}-11-04`), withoutFile]));
		expect(fourth.items('Send')[0].json.delivery).toMatchObject({
			status: 'failed',
			error: 'Item 0: The binary field "data_4" to attach (the file of invoice 4, RE-A4) is missing on this item',
		});
		expect(s.received).toHaveLength(3);
	});

	test('currency: a row without one is in Compute Dunning Level\'s Default Currency (CHF), not in this node\'s EUR; a currency field that contradicts dunning.currency fails the item naming both', async () => {
		const s = await server();
		const compute = node('computeDunningLevel', 'Compute', {
			policySource: 'json',
			policyJson: JSON.stringify({ stages: [{ name: 'Zahlungserinnerung', fee: 10 }], statutoryInterest: { enabled: false }, defaultCurrency: 'CHF' }),
			// As of today: a deadline Compute set on a past day would have passed when Send runs.
		});
		const row = (n: number, over: IDataObject = {}) => {
			const json: IDataObject = { ...invoice(n).json, invoiceDate: `${LAST_YEAR}-01-10`, dueDate: `${LAST_YEAR}-02-09`, currentLevel: 0, ...over };
			delete json.dunning;
			if (!('currency' in over)) delete json.currency;
			return { json };
		};
		const run = await runWorkflow({
			workflowId: 'wf-currency',
			nodes: [compute, sendNode({ dryRun: true })],
			connections: chain('Compute', 'Send'),
			input: { node: 'Compute', items: [row(41), row(42, { currency: 'EUR' })] },
			credentials: { 'smtp-1': smtpCredential(s) },
		});
		expect(run.status).toBe('success');
		const out = run.items('Send');
		expect(out.map((i) => [(i.json.dunning as IDataObject).currency, (i.json.delivery as IDataObject).status])).toEqual([
			['CHF', 'preview'],
			['EUR', 'preview'],
		]);
		// Before, the CHF claim went out as 4.110,00 €.
		const chf = out[0].json.preview as IDataObject;
		expect(chf.text).toContain('4.110,00\u00a0CHF');
		expect(`${chf.text as string}${chf.html as string}`).not.toContain('€');
		expect((out[1].json.preview as IDataObject).text).toContain('4.210,00\u00a0€');

		// An item changed after Compute (its currency field now EUR, its amounts computed in CHF) fails alone.
		const changed = { json: { ...out[0].json, currency: 'EUR', delivery: undefined, preview: undefined } };
		const contradicted = await runWorkflow({ workflowId: 'wf-currency', nodes: [sendNode({ dryRun: true })], input: { node: 'Send', items: [changed, invoice(43)] }, credentials: { 'smtp-1': smtpCredential(s) } });
		expect(contradicted.items('Send').map((i) => [(i.json.delivery as IDataObject).status, (i.json.delivery as IDataObject).error])).toEqual([
			['failed', expect.stringMatching(/^Item 0: The field "currency" \(currency\) is EUR, but the field "dunning.currency" beside it is CHF: Compute Dunning Level computed the fees, interest and total in CHF/)],
			['preview', undefined],
		]);
		expect(s.connections).toBe(0);
	});

	test('dry run: previews with the full message, nothing sent, nothing recorded', async () => {
		const s = await server();
		const send = sendNode({ dryRun: true });
		const wf = { workflowId: 'wf-dry', nodes: [send], input: { node: 'Send', items: [invoice(7)] }, credentials: { 'smtp-1': smtpCredential(s) } };
		const run = await runWorkflow(wf);
		expect(run.status).toBe('success');
		const [item] = run.items('Send');
		expect(item.json.delivery).toMatchObject({ status: 'preview', attempts: 0 });
		expect(item.json.preview).toMatchObject({
			to: 'kunde7@kunden.example',
			subject: 'Zahlungserinnerung zu Rechnung RE-2026-0007',
			replyTo: 'zahlungen@shop.example',
			headers: { 'X-Dunning-Invoice': 'inv-7', 'X-Dunning-Level': '1', 'Auto-Submitted': 'auto-generated' },
		});
		expect((item.json.preview as IDataObject).text).toContain('700,00\u00a0€');
		expect(s.connections).toBe(0);
		// A dry run records nothing: the real run afterwards still sends.
		const real = await runWorkflow({ ...wf, nodes: [{ ...send, parameters: { ...send.parameters, dryRun: false } }] });
		expect(statusOf(real.items('Send'))).toEqual(['sent']);
		expect(s.received).toHaveLength(1);
	});

	test('templates from the node; a line break in a header value fails only that item', async () => {
		const s = await server();
		const send = sendNode({
			templateSource: 'node',
			templates: { text: [{ level: 1, language: 'de', subject: 'Offen: {{invoiceNumber}} – {{customerName}}', text: 'Bitte zahlen Sie {{money totalDue}} bis {{date deadline "dd.MM.yyyy"}}.', html: '' }] },
		});
		const items = [invoice(8), invoice(9, { customerName: 'Evil\r\nBcc: victim@else.example' })];
		const run = await runWorkflow({ workflowId: 'wf-tpl', nodes: [send], input: { node: 'Send', items }, credentials: { 'smtp-1': smtpCredential(s) } });
		const out = run.items('Send');
		expect(statusOf(out)).toEqual(['sent', 'failed']);
		expect((out[1].json.delivery as IDataObject).error).toMatch(/Item 1: The subject contains a line break/);
		const mail = await simpleParser(s.received[0].raw);
		expect(mail.subject).toBe('Offen: RE-2026-0008 – Kunde 8');
		expect(mail.text?.trim()).toBe('Bitte zahlen Sie 800,00\u00a0€ bis 02.03.2099.');
		// A text of the operator's own and no HTML: plain text only, never the shipped HTML beside it.
		expect(mail.html).toBe(false);
		expect(s.received[0].raw.toString('latin1')).not.toMatch(/multipart\/alternative|text\/html/i);
		expect(s.received).toHaveLength(1);
	});

	test('texts from a field of the item: keys in another case fail that item alone, naming the key; an own body without the IBAN goes with a warning', async () => {
		const s = await server();
		const own = { subject: 'Offen: {{invoiceNumber}}', html: '<p>Bitte zahlen Sie {{money totalDue}} an IBAN {{payment.iban}}.</p>' };
		const items = [invoice(31, { templates: { Subject: 'Meine Mahnung', HTML: '<p>Mein Text</p>' } }), invoice(32, { templates: own }), invoice(33, { templates: { html: '<p>Bitte zahlen Sie {{money totalDue}}.</p>' } })];
		const send = sendNode({ templateSource: 'itemField', companySource: 'json', companyJson: JSON.stringify(COMPANY) });
		const run = await runWorkflow({ workflowId: 'wf-item-texts', nodes: [send], input: { node: 'Send', items }, credentials: { 'smtp-1': smtpCredential(s) } });
		expect(run.status).toBe('success');
		const out = run.items('Send');
		// Before, the first went out with the shipped texts, without a word.
		expect(out.map((i) => [(i.json.delivery as IDataObject).status, (i.json.delivery as IDataObject).reason])).toEqual([
			['failed', 'invalidInput'],
			['sent', undefined],
			['sent', undefined],
		]);
		expect((out[0].json.delivery as IDataObject).error).toBe('Item 0: The template field "templates": "Subject": the keys are subject, html and text, in lower case');
		expect((out[1].json.delivery as IDataObject).warning).toBeUndefined();
		expect((out[2].json.delivery as IDataObject).warning).toBe('Your own texts print neither the IBAN ({{payment.iban}}) nor the payment link ({{payment.link}}): the customer sees no account to pay to');
		expect(s.received).toHaveLength(2);
		const mail = await simpleParser(s.received[0].raw);
		expect(mail.subject).toBe('Offen: RE-2026-0032');
		expect(mail.html).toContain('IBAN DE89 3704 0044 0532 0130 00.');
	});

	test('own texts with an n8n expression are read for each item: every customer gets their own name, never the first item\'s; a text unusable for one item fails that item alone', async () => {
		const s = await server();
		const own = (over: IDataObject = {}) => ({ level: 1, language: 'de', subject: '=Offene Rechnung für {{ $json.customerName }}', html: '', text: 'Bitte zahlen Sie {{money totalDue}}.', ...over });
		const run = (text: IDataObject, items: INodeExecutionData[]) =>
			runWorkflow({ workflowId: 'wf-own-expr', nodes: [sendNode({ dryRun: true, templateSource: 'node', templates: { text: [text] } })], input: { node: 'Send', items }, credentials: { 'smtp-1': smtpCredential(s) } });

		const r = await run(own(), [invoice(23, { customerName: 'Anna Muster' }), invoice(24, { customerName: 'Bernd Beispiel' })]);
		expect(r.status).toBe('success');
		// Before, both customers got "Offene Rechnung für Anna Muster": n8n resolved the texts for item 0 only.
		expect(r.items('Send').map((i) => [(i.json.delivery as IDataObject).status, (i.json.preview as IDataObject).subject, (i.json.preview as IDataObject).text])).toEqual([
			['preview', 'Offene Rechnung für Anna Muster', 'Bitte zahlen Sie 2.300,00\u00a0€.'],
			['preview', 'Offene Rechnung für Bernd Beispiel', 'Bitte zahlen Sie 2.400,00\u00a0€.'],
		]);

		// A language by expression that is no code for item 1 fails item 1 alone, naming item and setting; item 0 still gets its text.
		const byItem = await run(own({ language: '={{ $json.textLanguage }}' }), [invoice(25, { textLanguage: 'de' }), invoice(26, { textLanguage: 'Deutsch' })]);
		expect(byItem.status).toBe('success');
		expect(byItem.items('Send').map((i) => [(i.json.delivery as IDataObject).status, (i.json.preview as IDataObject | undefined)?.subject, (i.json.delivery as IDataObject).error])).toEqual([
			['preview', 'Offene Rechnung für Kunde 25', undefined],
			['failed', undefined, 'Item 1: Texts: text 1 (level 1) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT'],
		]);

		// An expression that cannot be read for one item fails that item alone, naming the setting.
		// (n8n itself reads a missing field, even $json.contact.name.toUpperCase(), as empty: that text part is then the shipped one.)
		const unreadable = await run(own({ subject: '={{ "Offen für " + ($json.contact ? $json.contact.name : $("Kontakte").item.json.name) }}' }), [invoice(29, { contact: { name: 'Frau Muster' } }), invoice(30)]);
		expect(unreadable.items('Send').map((i) => [(i.json.delivery as IDataObject).status, (i.json.preview as IDataObject | undefined)?.subject])).toEqual([
			['preview', 'Offen für Frau Muster'],
			['failed', undefined],
		]);
		expect((unreadable.items('Send')[1].json.delivery as IDataObject).error).toMatch(/^Item 1: Texts: an n8n expression in them could not be read for this item: /);

		// Customer data that a resolved text turns into a broken template fails that item alone, naming the text.
		const broken = await run(own(), [invoice(27), invoice(28, { customerName: 'Kunde {{#if}}' })]);
		expect(broken.items('Send').map((i) => (i.json.delivery as IDataObject).status)).toEqual(['preview', 'failed']);
		expect((broken.items('Send')[1].json.delivery as IDataObject).error).toMatch(/^Item 1: Template "de level 1 subject \(node\)": /);
		expect(s.connections).toBe(0);
	});

	test('own texts are matched to languages as items are: "de_DE" and "de-DE" reach German items; a language that is no code, or a Locale that is none, stops the run naming it', async () => {
		const s = await server();
		const own = (language: string) => ({ level: 1, language, subject: 'Eigener Betreff {{invoiceNumber}}', html: '', text: '' });
		const run = (parameters: IDataObject) =>
			runWorkflow({ workflowId: 'wf-own-lang', nodes: [sendNode({ dryRun: true, ...parameters })], input: { node: 'Send', items: [invoice(21), invoice(22, { language: 'de-DE' })] }, credentials: { 'smtp-1': smtpCredential(s) } });
		for (const language of ['de_DE', 'de-DE', ' DE ']) {
			const r = await run({ templateSource: 'node', templates: { text: [own(language)] } });
			expect(r.items('Send').map((i) => [language, (i.json.preview as IDataObject).subject])).toEqual([
				[language, 'Eigener Betreff RE-2026-0021'],
				[language, 'Eigener Betreff RE-2026-0022'],
			]);
			// The body the entry leaves empty is the shipped German one.
			expect((r.items('Send')[0].json.preview as IDataObject).text).toContain('Guten Tag Kunde 21,');
		}
		const deutsch = await run({ templateSource: 'node', templates: { text: [own('de'), own('Deutsch')] } });
		expect(deutsch.status).toBe('error');
		expect(deutsch.error?.message).toBe('Texts: text 2 (level 1) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT');
		for (const [locale, why] of [
			['de_DE', 'is not a locale tag like de-DE, de-AT or en-GB: write it with a hyphen, de-DE'],
			['deutsch', 'is not a locale this system can format amounts and dates for; use a locale tag like de-DE, de-AT or en-GB'],
		]) {
			const bad = await run({ options: { retryDelaySeconds: 0, locale } });
			expect(bad.status).toBe('error');
			expect(bad.error?.message).toBe(`The option "Locale" ("${locale}") ${why}`);
		}
		const austrian = await run({ options: { retryDelaySeconds: 0, locale: 'de-at' } });
		// A valid Locale is used as before: Austrian German puts the euro sign first.
		expect((austrian.items('Send')[0].json.preview as IDataObject).text).toContain('€\u00a02.100,00');
		expect(s.connections).toBe(0);
	});

	test('HTML-only texts: the plain part is derived from that HTML, never the shipped text', async () => {
		const s = await server();
		const send = sendNode({
			templateSource: 'node',
			templates: {
				text: [
					{
						level: 1,
						language: 'de',
						subject: 'Offen: {{invoiceNumber}}',
						html: '<h1>Rechnung {{invoiceNumber}}</h1><p>Bitte überweisen Sie <strong>{{money totalDue}}</strong> bis {{date deadline "dd.MM.yyyy"}}.</p><table><tr><th>Rechnung</th><th>Offen</th></tr><tr><td>{{invoiceNumber}}</td><td>{{money openAmount}}</td></tr></table><ul><li>IBAN DE02 1203 0000 0000 2020 51</li></ul><p><a href="https://pay.example/{{invoiceId}}">Jetzt bezahlen</a></p><img src="cid:logo" alt="Logo">',
						text: '',
					},
				],
			},
		});
		const run = await runWorkflow({ workflowId: 'wf-html-only', nodes: [send], input: { node: 'Send', items: [invoice(14)] }, credentials: { 'smtp-1': smtpCredential(s) } });
		expect(statusOf(run.items('Send'))).toEqual(['sent']);
		const mail = await simpleParser(s.received[0].raw);
		expect(mail.html).toContain('<strong>1.400,00\u00a0€</strong>');
		const text = mail.text ?? '';
		// Headings keep their case and table cells stay apart: the invoice number reads as written,
		// never glued to its amount ("RE-2026-00141.400,00 €").
		expect(text).toContain('Rechnung RE-2026-0014');
		expect(text).toMatch(/^Rechnung\s+Offen$/m);
		expect(text).toMatch(/^RE-2026-0014\s+1\.400,00\u00a0€$/m);
		expect(text).toContain('Bitte überweisen Sie 1.400,00\u00a0€ bis 02.03.2099.');
		expect(text).toContain(' * IBAN DE02 1203 0000 0000 2020 51');
		expect(text).toContain('Jetzt bezahlen [https://pay.example/inv-14]');
		// Nothing of the shipped German text, and no markup.
		expect(text).not.toMatch(/Guten Tag|Zahlungserinnerung|<[a-z]/i);
	});

	test('wrong password: one login attempt, the node fails naming the cause; with Continue On Fail every item is notSent', async () => {
		const s = await server();
		const items = [invoice(10), invoice(11)];
		const run = await runWorkflow({ workflowId: 'wf-auth', nodes: [sendNode()], input: { node: 'Send', items }, credentials: { 'smtp-1': smtpCredential(s, 'wrong-pass') } });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/^Sending stopped: Authentication failed for user "buchhaltung@shop.example".*wrong password\?/);
		// n8n's Settings tab says On Error; "Continue On Fail" is found nowhere in the editor.
		expect(run.error?.description).toBe(
			'0 reminder(s) were sent before the stop (they are recorded and will not be sent again); 2 were not sent. Fix the mailbox settings and run again. To get every item with its status instead of this error, set Settings › On Error to "Continue" or "Continue (using error output)".',
		);
		expect(JSON.stringify(run.error)).not.toContain('wrong-pass');
		expect(s.loginAttempts).toHaveLength(1);

		const tolerant = await runWorkflow({
			workflowId: 'wf-auth',
			nodes: [sendNode({}, { onError: 'continueRegularOutput' })],
			input: { node: 'Send', items },
			credentials: { 'smtp-1': smtpCredential(s, 'wrong-pass') },
		});
		expect(tolerant.status).toBe('success');
		expect(statusOf(tolerant.items('Send'))).toEqual(['notSent', 'notSent']);
		expect(s.loginAttempts).toHaveLength(2);
		expect(s.received).toHaveLength(0);
	});

	test('a sender address that is no address, or Save to Sent Folder without IMAP: the node fails naming it; with Continue On Fail every item is notSent with the reason, none without a delivery', async () => {
		const s = await server();
		const items = [invoice(12), invoice(13)];
		const badSender = { ...smtpCredential(s), fromAddress: 'Buchhaltung <buchhaltung@shop.example>' };
		const strict = await runWorkflow({ workflowId: 'wf-settings', nodes: [sendNode()], input: { node: 'Send', items }, credentials: { 'smtp-1': badSender } });
		expect(strict.status).toBe('error');
		expect(strict.error?.message).toMatch(/Buchhaltung <buchhaltung@shop\.example>/);

		const tolerant = await runWorkflow({ workflowId: 'wf-settings', nodes: [sendNode({}, { onError: 'continueRegularOutput' })], input: { node: 'Send', items }, credentials: { 'smtp-1': badSender } });
		expect(tolerant.status).toBe('success');
		const out = tolerant.items('Send');
		// Before, n8n passed the input items on unchanged: no delivery, and the shipped sender blanked their rows.
		expect(out.map((i) => [i.json.invoiceId, (i.json.delivery as IDataObject).status, (i.json.delivery as IDataObject).reason, (i.json.delivery as IDataObject).stopKind])).toEqual([
			['inv-12', 'notSent', 'runStopped', 'settings'],
			['inv-13', 'notSent', 'runStopped', 'settings'],
		]);
		expect(out[0].json.error).toMatch(/^Nothing was sent: .*Buchhaltung <buchhaltung@shop\.example>/);

		const noImap = await runWorkflow({
			workflowId: 'wf-settings',
			nodes: [sendNode({ saveToSentFolder: true }, { onError: 'continueRegularOutput' })],
			input: { node: 'Send', items: [invoice(14), invoice(15, { email: '' })] },
			credentials: { 'smtp-1': smtpCredential(s) },
		});
		expect(noImap.items('Send').map((i) => (i.json.delivery as IDataObject).status)).toEqual(['notSent', 'paper']);
		expect(noImap.items('Send')[0].json.error).toMatch(/no IMAP credential is chosen/);
		expect(s.received).toHaveLength(0);

		// A cleared pause or limit (an empty Settings cell) is refused, not taken as 0: no pause, no limit.
		for (const [parameter, label, expected] of [
			['minSecondsBetween', 'Min Seconds Between Emails', 'a number from 0 to 86400'],
			['maxPerRun', 'Max Emails per Run', 'a whole number of at least 0'],
		]) {
			const empty = await runWorkflow({
				workflowId: 'wf-settings',
				nodes: [sendNode({ [parameter]: "={{ '' }}" }, { onError: 'continueRegularOutput' })],
				input: { node: 'Send', items: [invoice(16)] },
				credentials: { 'smtp-1': smtpCredential(s) },
			});
			expect((empty.items('Send')[0].json.delivery as IDataObject).stopKind).toBe('settings');
			expect(empty.items('Send')[0].json.error).toBe(`Nothing was sent: "${label}" (${parameter}) must be ${expected}, not empty (read once per run, from the first item)`);
		}
		expect(s.received).toHaveLength(0);
	});

	test('Continue (using error output): bad items and, when the login fails, every unsent item reach the error output with the reason in the error', async () => {
		const s = await server();
		const errorOutput = (password: string, items: INodeExecutionData[]) =>
			// Fed by a node before it, as in a workflow: n8n adds the input item's fields to an error item.
			runWorkflow({
				workflowId: 'wf-error-output',
				nodes: [node('noOp', 'Feed'), sendNode({}, { onError: 'continueErrorOutput' })],
				connections: chain('Feed', 'Send'),
				input: { node: 'Feed', items },
				credentials: { 'smtp-1': smtpCredential(s, password) },
			});

		const mixedItems = [invoice(30), invoice(31, {}, { level: 'zwei' }), invoice(32, { email: '' })];
		const mixed = await errorOutput(PASSWORD, mixedItems);
		expect(mixed.status).toBe('success');
		const [ok, errors] = mixed.outputs('Send');
		expect(ok.map((i) => [i.json.invoiceId, (i.json.delivery as IDataObject).status])).toEqual([
			['inv-30', 'sent'],
			['inv-32', 'paper'],
		]);
		expect(errors).toHaveLength(1);
		// Exactly the input item plus `error`: n8n put the input fields back; the node added nothing else.
		expect(errors[0].json).toEqual({ ...mixedItems[1].json, error: expect.stringMatching(/^Item 1: The field "dunning.level" \(level\) must be a number/) });
		expect(errors[0].pairedItem).toEqual({ item: 1 });

		const refusedItems = [invoice(33), invoice(34)];
		const receivedBefore = s.received.length;
		const refused = await errorOutput('wrong-pass', refusedItems);
		expect(refused.status).toBe('success');
		const [none, stopped] = refused.outputs('Send');
		expect(none).toEqual([]);
		expect(stopped.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(stopped.map((i) => i.json)).toEqual(refusedItems.map((i) => ({ ...i.json, error: expect.stringMatching(/Authentication failed/) })));
		expect(s.received).toHaveLength(receivedBefore);
		expect(JSON.stringify(stopped)).not.toContain('wrong-pass');
	});

	test('cancelling the execution stops between messages: what was sent stays sent and recorded, nothing more goes out', async () => {
		const s = await server();
		const controller = new AbortController();
		const send = sendNode({ minSecondsBetween: 30 });
		const wf = { workflowId: 'wf-cancel', nodes: [send], input: { node: 'Send', items: [invoice(12), invoice(13)] }, credentials: { 'smtp-1': smtpCredential(s) } };
		// The first message goes out at once, the second would wait 30 s: cancel during that wait,
		// a moment after the server took the first, so that its 250 has reached the node (aborting
		// between the two left the first one unconfirmed, and so unrecorded, on a busy CI machine).
		const poll = setInterval(() => s.received.length > 0 && setTimeout(() => controller.abort(), 500), 20);
		const started = Date.now();
		await runWorkflow({ ...wf, signal: controller.signal });
		clearInterval(poll);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(s.received).toHaveLength(1);
		// The sent one is recorded: a later run sends only the other.
		const later = await runWorkflow({ ...wf, nodes: [{ ...send, parameters: { ...send.parameters, minSecondsBetween: 0 } }] });
		expect(later.items('Send').map((i) => i.json.delivery)).toMatchObject([{ status: 'sent', duplicate: true }, { status: 'sent', attempts: 1 }]);
		expect(s.received.map((m) => m.to[0])).toEqual(['kunde12@kunden.example', 'kunde13@kunden.example']);
	});

	test('Send Test Mail states date and time and goes to the given address', async () => {
		const s = await server();
		const run = await runWorkflow({
			workflowId: 'wf-test',
			nodes: [node('sendReminderEmail', 'Send', { operation: 'sendTestMail', testRecipient: 'ich@shop.example' }, { credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'x' } } })],
			input: { node: 'Send', items: [{ json: {} }] },
			credentials: { 'smtp-1': smtpCredential(s) },
		});
		expect(run.status).toBe('success');
		expect(run.items('Send')[0].json).toMatchObject({ to: 'ich@shop.example', delivery: { status: 'sent', smtpCode: 250 } });
		expect(s.received[0].to).toEqual(['ich@shop.example']);
		const mail = await simpleParser(s.received[0].raw);
		expect(mail.subject).toMatch(/^Testmail \/ test mail – n8n dunning \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
		expect(mail.text).toMatch(/Diese Testmail wurde am .* \d{4} um \d\d:\d\d:\d\d .* gesendet/);
	});
});

describe('the panel\'s texts', () => {
	const properties = new SendReminderEmail().description.properties;
	const find = (name: string) => properties.find((p) => p.name === name)!;
	test('a notice says that Dry Run is off and real reminders go out, shown only then', () => {
		expect(find('dryRunOffNotice')).toMatchObject({
			type: 'notice',
			displayName: 'Dry Run is off: every run sends real reminders to your customers, also a test run with "Execute step" in the editor. Turn on Dry Run to check the texts first.',
			displayOptions: { show: { operation: ['sendReminder'], dryRun: [false] } },
		});
		expect(find('dryRun').default).toBe(false);
	});
	test('the own texts say how to write placeholders; no text names a setting n8n no longer shows, nor writes e-mail', () => {
		expect(find('templates').hint).toMatch(/^Type placeholders as {{customerName}} \(fixed mode\). An n8n expression here is read for each item, and the values it inserts become template text: not HTML-escaped/);
		const ui = JSON.stringify(properties);
		expect(ui).not.toMatch(/Continue On Fail|e-mail|Test Recipient/i);
	});
});

describe('SMTP credential test', () => {
	const cred = (data: IDataObject): ICredentialsDecrypted => ({ id: 'c', name: 'c', type: 'dunningSmtpApi', data: data as ICredentialDataDecryptedObject });
	test('OK, wrong password, refused port — in words', async () => {
		const s = await server();
		// Then asked about the Sender Address without sending anything (test/nodes/password-credential-tests.test.ts).
		const ok = await testSmtpCredential(cred(smtpCredential(s)));
		expect(ok.status).toBe('OK');
		expect(ok.message).toContain(`Connected to 127.0.0.1:${s.port} and signed in as ${USER}. The server did not refuse ${USER} as Sender Address`);
		expect(s.received).toHaveLength(0);
		const wrong = await testSmtpCredential(cred(smtpCredential(s, 'nope-nope')));
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toMatch(/Authentication failed .*wrong password\? .*app password/);
		expect(wrong.message).not.toContain('nope-nope');
		const refused = await testSmtpCredential(cred({ ...smtpCredential(s), port: SANDBOX.closedPort }));
		expect(refused.message).toMatch(/refused .*port blocked\?/);
		expect((await testSmtpCredential(cred({ host: '' }))).message).toMatch(/no Host/);
		// A sender address with a name in it fails every run: the Test button says so before any connection.
		const connections = s.connections;
		expect(await testSmtpCredential(cred({ ...smtpCredential(s), fromAddress: 'Buchhaltung <x@shop.example>' }))).toEqual({
			status: 'Error',
			message: 'The sender address "Buchhaltung <x@shop.example>" is not a valid e-mail address',
		});
		expect(s.connections).toBe(connections);
	});
});

describe('servers that misbehave, through the engine', () => {
	test('Send Test Mail with Continue On Fail and a wrong password: one login for all items, each item notSent', async () => {
		const s = await server();
		const run = await runWorkflow({
			workflowId: 'wf-test-auth',
			nodes: [
				node('sendReminderEmail', 'Send', { operation: 'sendTestMail', testRecipient: 'ich@shop.example' }, {
					credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'x' } },
					onError: 'continueRegularOutput',
				}),
			],
			input: { node: 'Send', items: [1, 2, 3, 4, 5].map(() => ({ json: {} })) },
			credentials: { 'smtp-1': smtpCredential(s, 'wrong-pass') },
		});
		expect(run.status).toBe('success');
		expect(statusOf(run.items('Send'))).toEqual(['notSent', 'notSent', 'notSent', 'notSent', 'notSent']);
		expect((run.items('Send')[0].json.delivery as IDataObject).error).toMatch(/Authentication failed/);
		expect(s.loginAttempts).toHaveLength(1);
	});

	test('Send Test Mail with Continue (using error output): an invalid test recipient goes to the error output, naming item and field; the good one is sent', async () => {
		const s = await server();
		// Fed by a node before it, as in a workflow: n8n adds the input item's fields to an error item.
		const run = (onError?: 'continueErrorOutput') =>
			runWorkflow({
				workflowId: 'wf-test-error-output',
				nodes: [
					node('noOp', 'Feed'),
					node('sendReminderEmail', 'Send', { operation: 'sendTestMail', testRecipient: '={{ $json.to }}' }, { credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'x' } }, ...(onError ? { onError } : {}) }),
				],
				connections: chain('Feed', 'Send'),
				input: { node: 'Feed', items: [{ json: { to: 'ich@shop.example' } }, { json: { to: 'not an address', note: 'typo' } }] },
				credentials: { 'smtp-1': smtpCredential(s) },
			});
		const tolerant = await run('continueErrorOutput');
		expect(tolerant.status).toBe('success');
		const [sent, errors] = tolerant.outputs('Send');
		expect(sent.map((i) => [i.pairedItem, i.json.to, (i.json.delivery as IDataObject).status])).toEqual([[{ item: 0 }, 'ich@shop.example', 'sent']]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		// Exactly the input item plus `error`: n8n put the input fields back; the node added nothing else.
		expect(errors[0].json).toEqual({ to: 'not an address', note: 'typo', error: 'Item 1: Test mail not sent: The recipient address "not an address" is not a valid e-mail address (field "Send Test Mail To")' });
		expect(s.received.map((m) => m.to)).toEqual([['ich@shop.example']]);

		const strict = await run();
		expect(strict.status).toBe('error');
		expect(strict.error?.message).toMatch(/^Item 1: Test mail not sent: .*"not an address".*\(field "Send Test Mail To"\)$/);
	});

	test('a server that takes a reminder and never confirms it: deferred (outcomeUnknown) after the Timeout, the next one sent', async () => {
		const s = await rawServer({ onMessage: (_data, _conn, n) => n === 1 });
		const run = await runWorkflow({
			workflowId: 'wf-silent',
			nodes: [sendNode({ options: { retryDelaySeconds: 0, timeoutSeconds: 1 } })],
			input: { node: 'Send', items: [invoice(20), invoice(21)] },
			credentials: { 'smtp-1': smtpCredential(s) },
		});
		expect(run.status).toBe('success');
		const out = run.items('Send');
		expect(statusOf(out)).toEqual(['deferred', 'sent']);
		expect(out[0].json.delivery).toMatchObject({ reason: 'outcomeUnknown', attempts: 1 });
		expect(s.messages).toHaveLength(2);
	});
});

describe('a server that echoes the password', () => {
	const b64 = (text: string) => Buffer.from(text).toString('base64');
	const SECRET = 'Ech0"ed\\N0de-pw';
	const forms = [SECRET, b64(SECRET), b64(`\0${USER}\0${SECRET}`), SECRET.replace(/[\\"]/g, '\\$&')];
	/** Refuses `refuse` lines quoting everything it got so far, the AUTH arguments included. */
	const echoing = (refuse: (line: string) => boolean, mechanism = 'PLAIN'): RawSmtpScript => ({
		onLine: (line, conn) => {
			if (line.startsWith('EHLO')) {
				conn.reply(`250-raw.test\r\n250-PIPELINING\r\n250 AUTH ${mechanism}`);
				return true;
			}
			if (!refuse(line)) return false;
			conn.reply(`550 5.7.1 refused; you said: ${conn.lines.join(' | ')} ${SECRET}`);
			return true;
		},
	});
	const clean = (text: string) => {
		for (const form of forms) expect(text).not.toContain(form);
	};

	test.each(['PLAIN', 'LOGIN'])('AUTH %s: neither the node error nor the items of Continue On Fail show it in any form', async (mechanism) => {
		const s = await rawServer(echoing((l) => l.startsWith('RCPT TO:') || l === b64(SECRET), mechanism));
		const wf = (onError?: string) => ({
			workflowId: 'wf-echo',
			nodes: [sendNode({}, onError ? { onError } : {})],
			input: { node: 'Send', items: [invoice(30)] },
			credentials: { 'smtp-1': smtpCredential(s, SECRET) },
		});
		const failing = await runWorkflow(wf());
		const tolerant = await runWorkflow(wf('continueRegularOutput'));
		const out = JSON.stringify([failing.error, failing.items('Send'), tolerant.items('Send')]);
		expect(out).toContain('[redacted]');
		clean(out);
		expect(s.connections[0].lines.join(' ')).toContain(mechanism === 'PLAIN' ? forms[2] : forms[1]);
	});

	test('the credential test', async () => {
		const s = await rawServer(echoing((l) => l.startsWith('AUTH')));
		const result = await testSmtpCredential({ id: 'c', name: 'c', type: 'dunningSmtpApi', data: smtpCredential(s, SECRET) as ICredentialDataDecryptedObject });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Authentication failed .*\[redacted\]/);
		clean(result.message);
	});

	test('the OAuth2 credential test: neither the token nor the XOAUTH2 blob', async () => {
		const TOKEN = 'ya29.Echoed-access-token_42';
		const s = await rawServer({
			onLine: (line, conn) => {
				if (!line.startsWith('AUTH XOAUTH2')) return false;
				conn.reply(`535 5.7.8 Username and Password not accepted: ${line.slice(13)} (token ${TOKEN})`);
				return true;
			},
		});
		const closed = await startRawSmtpServer();
		const imapPort = closed.port;
		await closed.close();
		const result = await testOAuth2MailboxCredential({
			email: USER,
			smtpHost: '127.0.0.1',
			smtpPort: s.port,
			smtpSecurity: 'none',
			imapHost: '127.0.0.1',
			imapPort,
			imapSecurity: 'none',
			oauthTokenData: { access_token: TOKEN, refresh_token: 'refresh-Echoed-1' },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the access token .*\[redacted\]/);
		const blob = b64(`user=${USER}\x01auth=Bearer ${TOKEN}\x01\x01`);
		expect(s.connections[0].lines.join(' ')).toContain(blob);
		for (const form of [TOKEN, blob, b64(TOKEN)]) expect(result.message).not.toContain(form);
	});
});

describe('Send Reminder Email: a reminder whose deadline has passed is not sent', () => {
	/** Today's date in `zone`, moved by `days`. */
	const day = (zone: string, days = 0) => DateTime.now().setZone(zone).plus({ days }).toISODate()!;

	test('deadline before today where the item’s dates are read (dunning.timezone, else the workflow’s): that item fails naming the field, the day and what to do; a deadline of today and the rest go out', async () => {
		const s = await server();
		// UTC-11 and UTC+14: 25 hours apart, so today in Samoa is always before today in Kiribati.
		const samoa = 'Pacific/Pago_Pago';
		const kiribati = 'Pacific/Kiritimati';
		const items = [
			invoice(1, {}, { deadline: day(samoa), timezone: samoa }),
			invoice(2, {}, { deadline: day(samoa), timezone: kiribati }),
			invoice(3, {}, { deadline: day('Europe/Berlin', -1) }),
			invoice(4),
		];
		const run = await runWorkflow({
			workflowId: 'wf-deadline',
			nodes: [sendNode()],
			input: { node: 'Send', items },
			credentials: { 'smtp-1': smtpCredential(s) },
			timezone: 'Europe/Berlin',
		});
		expect(run.status).toBe('success');
		const out = run.items('Send');
		expect(statusOf(out)).toEqual(['sent', 'failed', 'failed', 'sent']);
		const errors = out.map((i) => (i.json.delivery as IDataObject).error);
		expect(errors[1]).toBe(
			`Item 1: The field "dunning.deadline" (deadline) is ${day(samoa)}, before today, ${day(kiribati)} in ${kiribati}: it would ask for payment by a day already past. Run Compute Dunning Level again for a fresh deadline`,
		);
		expect(errors[2]).toMatch(new RegExp(`^Item 2: The field "dunning.deadline" \\(deadline\\) is ${day('Europe/Berlin', -1)}, before today, ${day('Europe/Berlin')} in Europe/Berlin:`));
		expect(out.map((i) => (i.json.delivery as IDataObject).reason)).toEqual([undefined, 'invalidInput', 'invalidInput', undefined]);
		expect(s.received.map((m) => m.to)).toEqual([['kunde1@kunden.example'], ['kunde4@kunden.example']]);
	});

	test('a reminder claimed from the ledger (the shipped sender checked it a moment before, midnight fell in between) is given back notSent, not failed for good', async () => {
		const s = await server();
		const now = Date.now();
		const claim = { rowId: 7, id: 'exec-1', leaseUntil: now + 600_000, notBefore: new Date(now).toISOString() };
		const run = await runWorkflow({
			workflowId: 'wf-deadline-claimed',
			nodes: [sendNode()],
			input: { node: 'Send', items: [{ json: { ...invoice(1, {}, { deadline: day('Europe/Berlin', -1) }).json, claim } }] },
			credentials: { 'smtp-1': smtpCredential(s) },
			timezone: 'Europe/Berlin',
		});
		expect(run.status).toBe('success');
		expect(run.items('Send')[0].json.delivery).toMatchObject({ status: 'notSent', reason: 'deadlinePassed', error: expect.stringMatching(/^The field "dunning\.deadline" \(deadline\) is .*: it would ask for payment by a day already past/) });
		expect(s.received).toEqual([]);
	});
});
