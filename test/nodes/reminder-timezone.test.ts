/**
 * The customer reads the days the dunning decided on: Compute Dunning Level writes its policy's
 * timezone into `dunning.timezone`, and Send Reminder Email, Create Reminder Letter and the letter
 * attached to an e-mail read dates with a time in it, not in the workflow's timezone. Through the
 * real n8n engine, in a workflow on n8n's default timezone (America/New_York) with Compute on its
 * default (Europe/Berlin); Send runs as Dry Run, or to a real SMTP server on loopback.
 */
import { DateTime } from 'luxon';
import { simpleParser } from 'mailparser';
import type { IConnections, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { chain, node, runWorkflow } from '../harness/engine';
import { COMPANY, invoiceItem } from '../letters/fixtures';
import { describeWithPdfTools, pdfPages } from '../letters/pdf-tools';
import { startTestServer, type TestServer } from '../mail/smtp-test-server';

const USER = 'buchhaltung@shop.example';
const PASSWORD = 'n0de-Test-Pass';
let server: TestServer | undefined;
beforeEach(async () => {
	server = await startTestServer({ security: 'none', users: { [USER]: PASSWORD } });
});
afterEach(async () => {
	await server?.close();
	server = undefined;
});
const credentials = () => ({
	'smtp-1': { host: '127.0.0.1', port: server!.port, security: 'none', user: USER, password: PASSWORD, fromAddress: USER, fromName: 'Muster Handels GmbH', replyTo: '', bcc: '', allowSelfSigned: false },
});

// 23:30 UTC on 31 January: 1 February in Berlin (Compute's policy), 31 January in New York (the workflow).
// Of last year: Compute runs on today, and refuses a due date more than 10 years before it.
const YEAR = DateTime.now().setZone('Europe/Berlin').year - 1;
const DUE = `${YEAR}-01-31T23:30:00Z`;
const WORKFLOW_TIMEZONE = 'America/New_York';
const company = { companySource: 'json', companyJson: JSON.stringify(COMPANY) };
const address = { customerName: 'Erika Muster', street: 'Gartenweg 3', postalCode: '80331', city: 'München' };

/** An open invoice as it comes from an ERP, before Compute Dunning Level. */
const open = (id: string, over: IDataObject = {}): INodeExecutionData => ({
	json: { invoiceId: id, invoiceNumber: `RE-${id}`, customerId: `K-${id}`, email: `${id.toLowerCase()}@kunden.example`, language: 'de', dueDate: DUE, currency: 'EUR', openAmount: 100, currentLevel: 0, ...address, ...over },
});

// Run on today (not a fixed day): Send and Letter refuse a deadline already past. The due date is
// long overdue by then, and a run never moves more than one level: level 1, due since 1 February.
const compute = (options: Record<string, boolean> = {}) => node('computeDunningLevel', 'Compute', { policySource: 'fields', rules: { minOpenAmount: 1 }, options });
const deadline = DateTime.now().setZone('Europe/Berlin').plus({ days: 14 }).toISODate()!;
const send = (parameters: IDataObject = {}) =>
	node(
		'sendReminderEmail',
		'Send',
		{ operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, options: { retryDelaySeconds: 0 }, ...parameters },
		{ credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'Shop mailbox' } } },
	);
const letter = () => node('createReminderLetter', 'Letter', { operation: 'perItem', ...company });
const paperBranch: IConnections = { Compute: { main: [[], [{ node: 'Letter', type: 'main' as never, index: 0 }], []] } };

const delivery = (item: INodeExecutionData) => item.json.delivery as IDataObject;
const preview = (item: INodeExecutionData) => item.json.preview as IDataObject;
const dunning = (item: INodeExecutionData) => item.json.dunning as IDataObject;

describe('dates in reminders follow dunning.timezone (real n8n engine)', () => {
	it('Compute → Send (Dry Run): the due date Compute counted in Berlin is the one the e-mail names, not New York’s day', async () => {
		const r = await runWorkflow({
			workflowId: 'wf-tz-send',
			timezone: WORKFLOW_TIMEZONE,
			nodes: [compute(), send({ dryRun: true })],
			connections: chain('Compute', 'Send'),
			input: { node: 'Compute', items: [open('TZ1')] },
			credentials: credentials(),
		});
		expect(r.status).toBe('success');
		const [item] = r.items('Send');
		expect(dunning(item)).toMatchObject({ action: 'send', level: 1, timezone: 'Europe/Berlin', dueSince: `${YEAR}-02-01` });
		expect(delivery(item).status).toBe('preview');
		// Before, the e-mail said "am 31. Januar … fällig" while Compute counted from 1 February.
		expect(preview(item).text).toContain(`war am 1. Februar ${YEAR} fällig`);
		expect(`${preview(item).text as string}${preview(item).html as string}`).not.toContain('31. Januar');
		expect(server!.connections).toBe(0);
	});

	it('a collective reminder (Group by Customer) lists its invoices on Compute’s days', async () => {
		const r = await runWorkflow({
			workflowId: 'wf-tz-group',
			timezone: WORKFLOW_TIMEZONE,
			nodes: [compute({ groupByCustomer: true }), send({ dryRun: true })],
			connections: chain('Compute', 'Send'),
			input: { node: 'Compute', items: [open('TZ2', { customerId: 'K-9', email: 'k9@kunden.example' }), open('TZ3', { customerId: 'K-9', email: 'k9@kunden.example', dueDate: `${YEAR}-02-01T23:30:00Z` })] },
			credentials: credentials(),
		});
		expect(r.status).toBe('success');
		const [group] = r.items('Send');
		expect(dunning(group)).toMatchObject({ count: 2, timezone: 'Europe/Berlin' });
		const text = preview(group).text as string;
		expect(text).toContain(`Rechnung RE-TZ2, fällig am 1. Februar ${YEAR}`);
		expect(text).toContain(`Rechnung RE-TZ3, fällig am 2. Februar ${YEAR}`);
	});

	it('a dunning.timezone that is no IANA zone fails only its item, naming the field and the value', async () => {
		const reminder = (id: string, timezone: string): INodeExecutionData => ({
			json: {
				...open(id).json,
				dunning: { action: 'send', level: 1, fee: 0, flatFee: 0, interest: 0, totalDue: 100, deadline, timezone },
			},
		});
		const r = await runWorkflow({
			workflowId: 'wf-tz-bad',
			timezone: WORKFLOW_TIMEZONE,
			nodes: [send({ dryRun: true })],
			input: { node: 'Send', items: [reminder('TZ4', 'Europe/Berlim'), reminder('TZ5', 'Europe/Berlin')] },
			credentials: credentials(),
		});
		expect(r.status).toBe('success');
		const out = r.items('Send');
		expect(out.map((i) => [delivery(i).status, delivery(i).reason, delivery(i).error])).toEqual([
			['failed', 'invalidInput', 'Item 0: The field "dunning.timezone" must be an IANA timezone such as Europe/Berlin (as Compute Dunning Level writes it), got "Europe/Berlim"'],
			['preview', undefined, undefined],
		]);
		expect(preview(out[1]).text).toContain(`war am 1. Februar ${YEAR} fällig`);

		// Create Reminder Letter: the same item fails its letter alone, naming the field.
		const bad = invoiceItem(1, { dunning: { ...(invoiceItem(1).dunning as IDataObject), timezone: 'Europe/Berlim' } });
		const letters = await runWorkflow({ timezone: WORKFLOW_TIMEZONE, nodes: [letter()], input: { node: 'Letter', items: [{ json: bad as IDataObject }, { json: invoiceItem(2) as IDataObject }] } });
		expect(letters.status).toBe('success');
		expect(letters.items('Letter').map((i) => [i.json.letter, i.json.error])).toEqual([
			[{ status: 'failed', field: 'dunning.timezone' }, 'Item 0: The field "dunning.timezone" must be an IANA timezone such as Europe/Berlin (as Compute Dunning Level writes it), got "Europe/Berlim"'],
			[expect.objectContaining({ status: 'created' }), undefined],
		]);
	});

	describeWithPdfTools('letters, read back from the PDF', () => {
		it('Compute → Create Reminder Letter: the letter prints the due date Compute counted', async () => {
			const r = await runWorkflow({
				timezone: WORKFLOW_TIMEZONE,
				nodes: [compute(), letter()],
				connections: paperBranch,
				input: { node: 'Compute', items: [open('TZ6', { email: '' })] },
			});
			expect(r.status).toBe('success');
			const [made] = r.items('Letter');
			expect(dunning(made)).toMatchObject({ action: 'paper', timezone: 'Europe/Berlin' });
			const text = pdfPages(Buffer.from(made.binary!.letter.data, 'base64')).join('\n');
			expect(text).toContain(`01.02.${YEAR}`);
			expect(text).not.toContain(`31.01.${YEAR}`);
		});

		it('Send with Attach Letter PDF: the e-mail and its letter both name Compute’s day', async () => {
			const r = await runWorkflow({
				workflowId: 'wf-tz-attach',
				timezone: WORKFLOW_TIMEZONE,
				nodes: [compute(), send({ ...company, options: { retryDelaySeconds: 0, attachLetter: true } })],
				connections: chain('Compute', 'Send'),
				input: { node: 'Compute', items: [open('TZ7')] },
				credentials: credentials(),
			});
			expect(r.status).toBe('success');
			expect(r.items('Send').map((i) => [delivery(i).status, delivery(i).warning])).toEqual([['sent', undefined]]);
			const mail = await simpleParser(server!.received[0].raw);
			expect(mail.text).toContain(`war am 1. Februar ${YEAR} fällig`);
			const [pdf] = mail.attachments.filter((a) => a.contentType === 'application/pdf');
			const text = pdfPages(pdf.content).join('\n');
			expect(text).toContain(`01.02.${YEAR}`);
			expect(text).not.toContain(`31.01.${YEAR}`);
		});
	});
});
