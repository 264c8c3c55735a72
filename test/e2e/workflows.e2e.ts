/**
 * The shipped workflows in a real n8n, as a user runs them: the pinned n8n CLI, this package installed
 * from its packed tarball as a community package, credentials pointing at the Postfix/Dovecot
 * sandbox, every `workflows/*.json` imported with `n8n import:workflow`, and each run from its Manual
 * Trigger. Data Tables (the default ledger) need n8n's modules, which only the server loads, so these
 * runs go through the server's "Execute workflow" endpoint; the Data-Table-free mailbox check also
 * runs through `n8n execute --id`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createServer as createNetServer, connect as connectTcp, type AddressInfo, type Server } from 'node:net';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';

import { appendMessages, describeWithSandbox, SANDBOX, searchUids, waitForMessage } from '../servers/sandbox';
import { nodeOutputs, PROJECT_ROOT } from './n8n';
import { pdfPages } from '../letters/pdf-tools';
import { berlinDay, copyRowsWorkflow, insertRemindersWorkflow, sampleCompany, seedInvoicesWorkflow, setUpDunningRun, updateRowsWorkflow, type SampleInvoice } from './sample-data';
import { fastSending, sandboxCredentials, setSetting, startStack, WEBHOOK_PATH, WEBHOOK_TOKEN_HEADER, webhookAuthHeaders, type Stack, type WorkflowJson } from './stack';

const OUR_PREFIX = 'n8n-nodes-dunning.';
const ALERT_TO = 'alice+alert@example.test';
const JOURNAL_DOMAIN = 'archiv-muster.example';

/**
 * The folder n8n may write to (N8N_RESTRICT_FILE_ACCESS_TO, as an operator sets it or keeps the
 * default ~/.n8n-files) and, inside it, the dunning run's print batch folder.
 */
const FILES_ROOT = mkdtempSync(join(tmpdir(), 'dunning-n8n-files-'));
const PRINT_FOLDER = join(FILES_ROOT, 'dunning');

/** The print batch files written so far, oldest first (the execution id in the name grows). */
function printBatches(): string[] {
	const runOf = (f: string) => Number(/-run-(\d+)\.pdf$/.exec(f)?.[1] ?? -1);
	return readdirSync(PRINT_FOLDER).sort((a, b) => runOf(a) - runOf(b)).map((f) => join(PRINT_FOLDER, f));
}

/** Pages of a PDF as pdfkit writes them (one uncompressed page object each): no PDF tools needed. */
function pageObjects(pdf: Buffer): number {
	return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

/** Reading a PDF's text needs poppler-utils: only with PDF_TOOLS=1, as in test/letters. */
const withPdfTools = process.env.PDF_TOOLS === '1';

/** The alert's addresses (documented placeholders in the shipped file) set to sandbox mailboxes, as an operator fills them in. */
function alertToSandbox(name: string, wf: WorkflowJson): void {
	if (name !== 'dunning-alert') return;
	const email = wf.nodes.find((n) => n.name === 'Email the Operator') as { parameters: Record<string, unknown> };
	email.parameters.toEmail = ALERT_TO;
	email.parameters.fromEmail = SANDBOX.users.dunning.user;
}

describeWithSandbox('shipped workflows in a real n8n', () => {
	let stack: Stack;

	beforeAll(async () => {
		// The changes to the shipped files are what an operator does: the sender's pause, 60 s by
		// default, is 0 here so that one tick sends every released reminder; the dunning run gets
		// its company details and a print folder n8n may write to.
		mkdirSync(PRINT_FOLDER);
		process.env.N8N_RESTRICT_FILE_ACCESS_TO = FILES_ROOT;
		const company = sampleCompany();
		stack = await startStack({
			patch: (name, wf) => {
				fastSending(name, wf);
				alertToSandbox(name, wf);
				if (name === 'dunning-run') setUpDunningRun(wf, company, PRINT_FOLDER);
				// The group's journal domain, as its note asks the operator to list it.
				if (name === 'bounce-processing') setSetting(wf, 'ownDomains', JOURNAL_DOMAIN);
			},
			emptyInbox: true,
			log: (l) => process.stdout.write(`[e2e] ${l}\n`),
		});
	}, 600_000);

	afterAll(async () => {
		await stack?.dispose();
		rmSync(FILES_ROOT, { recursive: true, force: true });
	});

	/** The execution succeeded; else its error message shows in the failure. */
	const ok = (r: { status: string | null; data: { resultData: { error?: { message?: string } } } | null }) =>
		expect({ status: r.status, error: r.data?.resultData.error?.message }).toEqual({ status: 'success', error: undefined });

	/**
	 * Runs bounce processing until `done` holds for its summary and the reminders table (a returned
	 * message takes a moment to arrive), at most `timeoutMs`; every run must succeed. Its summaries.
	 */
	async function processBouncesUntil(done: (summary: Record<string, unknown>, reminders: Array<Record<string, unknown>>) => boolean, timeoutMs = 30_000) {
		const summaries: Array<Record<string, unknown>> = [];
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const r = await stack.n8n.runManually('bounceProcess001');
			ok(r);
			summaries.push(nodeOutputs(r.data, 'Bounce Summary')[0][0]);
			if (done(summaries[summaries.length - 1], await stack.table('dunning_reminders')) || Date.now() > deadline) return summaries;
			await new Promise((res) => setTimeout(res, 1000));
		}
	}
	/** Whether the invoice's e-mail reminder row has this status. */
	const emailReminderIs = (invoiceId: string, status: string) => (_: unknown, reminders: Array<Record<string, unknown>>) =>
		reminders.find((r) => r.invoiceId === invoiceId && r.channel === 'email')?.status === status;

	test('every shipped workflow uses only our nodes and n8n built-ins, and has a Manual Trigger', () => {
		for (const [name, wf] of Object.entries(stack.workflows)) {
			const types = wf.nodes.map((n) => String(n.type));
			expect({ name, foreign: types.filter((t) => !t.startsWith(OUR_PREFIX) && !t.startsWith('n8n-nodes-base.')) }).toEqual({ name, foreign: [] });
			expect({ name, manual: types.includes('n8n-nodes-base.manualTrigger') }).toEqual({ name, manual: true });
			expect({ name, notes: types.filter((t) => t === 'n8n-nodes-base.stickyNote').length > 0 }).toEqual({ name, notes: true });
		}
	});

	test('n8n loaded our nodes from the community package', async () => {
		const types = await stack.n8n.rest<Array<{ name: string }>>('GET', '/types/nodes.json');
		const ours = types.map((t) => t.name).filter((n) => n.startsWith(OUR_PREFIX));
		const used = new Set(
			Object.values(stack.workflows).flatMap((wf) => wf.nodes.map((n) => String(n.type)).filter((t) => t.startsWith(OUR_PREFIX))),
		);
		for (const t of used) expect(ours).toContain(t);
	});

	test('the credential test of the editor succeeds for the sandbox SMTP and IMAP credentials', async () => {
		// What the credential modal's "Test" does: POST /rest/credentials/test with the stored
		// credential; n8n runs the node's `testedBy` method (connect + log in).
		for (const credential of sandboxCredentials()) {
			const result = await stack.n8n.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', { credentials: credential });
			expect({ type: credential.type, status: result.status }).toEqual({ type: credential.type, status: 'OK' });
		}
		const wrong = sandboxCredentials().find((c) => c.type === 'dunningImapApi')!;
		const refused = await stack.n8n.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { ...wrong, data: { ...wrong.data, password: 'wrong-password' } },
		});
		expect(refused.status).toBe('Error');
		expect(refused.message).not.toContain('wrong-password');
	});

	test('the sender switched on before the first dunning run creates the tables it uses and finds nothing to send', async () => {
		const r = await stack.n8n.runManually('sendReleased0001');
		ok(r);
		expect(nodeOutputs(r.data, 'Send Reminder Email')).toEqual([]);
		expect(await stack.table('dunning_reminders')).toEqual([]);
	});

	describe('dunning run', () => {
		let summary: Record<string, unknown>;

		beforeAll(async () => {
			await stack.seedInvoices();
			const r = await stack.n8n.runManually('dunningRun00001');
			ok(r);
			summary = nodeOutputs(r.data, 'Run Summary')[0][0];
		});

		test('decides every sample invoice once and releases each send/paper decision', () => {
			const byAction = summary.byAction as Record<string, number>;
			expect(summary.invoices).toBe(stack.invoices.length);
			expect((byAction.send ?? 0) + (byAction.paper ?? 0) + (byAction.none ?? 0)).toBe(stack.invoices.length);
			expect(summary.releasedForEmail).toBe(byAction.send);
			expect(summary.queuedForPaper).toBe(byAction.paper);
		});

		test('the reminders table holds one row per decision, with the right status and level', async () => {
			const rows = await stack.table('dunning_reminders');
			const byInvoice = new Map(rows.filter((r) => r.invoiceId !== 'OUT-CHG-KEEP').map((r) => [String(r.invoiceId), r]));
			// Overdue 30 days, never reminded: first reminder by email.
			expect(byInvoice.get('INV-2026101')).toMatchObject({ status: 'released', level: 1, channel: 'email', reminderKey: 'INV-2026101#1#email' });
			// Reminded 21 days ago at level 1: second level.
			expect(byInvoice.get('INV-2026104')).toMatchObject({ status: 'released', level: 2 });
			// No address, invalid address, blocked address: letters.
			for (const id of ['INV-2026119', 'INV-2026121', 'INV-2026122']) expect(byInvoice.get(id)).toMatchObject({ status: 'paper', channel: 'paper' });
			// No postal address either: the letter could not be made, the row gave its key back for a later run.
			const failed = byInvoice.get('INV-2026142');
			expect(failed).toMatchObject({ status: 'letterFailed', channel: 'paper', reminderKey: `INV-2026142#1#paper/letterFailed-${String(failed?.id)}` });
			expect(String(failed?.error)).toMatch(/^Item \d+: The field "street" .*postal address/);
			// Not due, paid, parked, disputed: nothing.
			for (const id of ['INV-2026103', 'INV-2026107', 'INV-2026116', 'INV-2026123']) expect(byInvoice.has(id)).toBe(false);
			const payload = JSON.parse(String(byInvoice.get('INV-2026101')?.payload)) as { dunning: { action: string } };
			expect(payload.dunning.action).toBe('send');
		});

		test('a printed letter moves the invoice to its new level at once; one that could not be made does not', async () => {
			const invoices = new Map((await stack.table('dunning_invoices')).map((r) => [String(r.invoiceId), r]));
			expect(invoices.get('INV-2026119')).toMatchObject({ currentLevel: 1 });
			expect(invoices.get('INV-2026120')).toMatchObject({ currentLevel: 2 });
			expect(invoices.get('INV-2026101')).toMatchObject({ currentLevel: 0 });
			expect(invoices.get('INV-2026142')).toMatchObject({ currentLevel: 0 });
		});

		test('the paper reminders come out as one print batch in the print folder, and the missing address is listed', () => {
			const paper = (summary.decisions as Array<{ invoiceId: string; action: string }>).filter((d) => d.action === 'paper').map((d) => d.invoiceId).sort();
			// No e-mail, second level without e-mail, invalid e-mail, blocked e-mail, Polish customer; and one without postal address.
			expect(paper).toEqual(['INV-2026119', 'INV-2026120', 'INV-2026121', 'INV-2026122', 'INV-2026141', 'INV-2026142']);
			expect(summary.lettersCreated).toBe(5);
			expect(summary.lettersFailed).toEqual([{ invoiceId: 'INV-2026142', error: expect.stringMatching(/"street".*postal address/) }]);
			const files = printBatches();
			expect(files).toHaveLength(1);
			expect(files[0]).toMatch(new RegExp(`/letters-${berlinDay(0)}-run-\\d+\\.pdf$`));
			const batch = summary.printBatch as { file: string; letters: number; pages: number };
			expect(batch).toMatchObject({ file: files[0], letters: 5 });
			const pdf = readFileSync(files[0]);
			expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
			// Every letter starts on its own sheet: at least one page each.
			expect(pageObjects(pdf)).toBe(batch.pages);
			expect(batch.pages).toBeGreaterThanOrEqual(5);
		});

		(withPdfTools ? test : test.skip)('the print batch holds exactly the paper reminders\' letters (PDF_TOOLS=1)', () => {
			const pages = pdfPages(readFileSync(printBatches()[0]));
			expect(pages).toHaveLength((summary.printBatch as { pages: number }).pages);
			const text = pages.join('\n');
			for (const number of ['RE-2026-0119', 'RE-2026-0120', 'RE-2026-0121', 'RE-2026-0122', 'RE-2026-0141']) expect(text).toContain(number);
			// Reminders that go by e-mail, invoices with nothing to do, the letter that failed: not in it.
			for (const number of ['RE-2026-0101', 'RE-2026-0104', 'RE-2026-0103', 'RE-2026-0117', 'RE-2026-0142']) expect(text).not.toContain(number);
			// Sender from Company Details, recipients from the invoices, Polish letters intact.
			expect(text).toContain('Beispiel Shop GmbH');
			expect(text).toMatch(/DE89\s+3704\s+0044\s+0532\s+0130\s+00/);
			expect(text).toMatch(/Schillerstraße 2a[\s\S]*04109 Leipzig/);
			expect(text).toContain('Świętokrzyska');
			// The first page of each letter names its own invoice: one letter per reminder, none twice.
			const firsts = pages.map((p) => /RE-2026-01\d\d/.exec(p)?.[0]).filter((n, k, all) => n !== undefined && all.indexOf(n) === k);
			expect(firsts.sort()).toEqual(['RE-2026-0119', 'RE-2026-0120', 'RE-2026-0121', 'RE-2026-0122', 'RE-2026-0141']);
		});

		test('a second run the same day releases nothing twice and prints no new batch; the letter without address is tried again', async () => {
			const before = await stack.table('dunning_reminders');
			const r = await stack.n8n.runManually('dunningRun00001');
			expect(r.status).toBe('success');
			const again = nodeOutputs(r.data, 'Run Summary')[0][0];
			expect(again.releasedForEmail).toBe(0);
			expect(again.queuedForPaper).toBe(1);
			expect(again).toMatchObject({ lettersCreated: 0, printBatch: null, lettersFailed: [{ invoiceId: 'INV-2026142', error: expect.stringContaining('"street"') }] });
			const after = await stack.table('dunning_reminders');
			expect(after.filter((row) => row.invoiceId !== 'INV-2026142')).toEqual(before.filter((row) => row.invoiceId !== 'INV-2026142'));
			expect(after.filter((row) => row.invoiceId === 'INV-2026142').map((row) => row.status)).toEqual(['letterFailed', 'letterFailed']);
			expect(printBatches()).toHaveLength(1);
		});

		test('as shipped, with Company Details left empty, a paper reminder stops the run naming the field; nothing is printed', async () => {
			const shipped = JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', 'dunning-run.json'), 'utf8')) as WorkflowJson;
			await stack.n8n.importWorkflows([{ ...shipped, id: 'dunningRunAsIs1', name: 'Dunning run as shipped' }]);
			const r = await stack.n8n.runManually('dunningRunAsIs1');
			expect(r.status).toBe('error');
			expect(String(r.data?.resultData.error?.message)).toMatch(
				/^Company details: "name" \(company name\) is missing; it is the sender on every letter\. Fill in or correct it in the "Company Details" node at the start of this workflow\. This run's paper reminders were given back/,
			);
			// The only paper reminder of that run (the invoice without address) was given back; no file.
			const rows = (await stack.table('dunning_reminders')).filter((row) => row.invoiceId === 'INV-2026142');
			expect(rows.map((row) => row.status)).toEqual(['letterFailed', 'letterFailed', 'letterFailed']);
			expect(String(rows[2].error)).toContain('Company details: "name"');
			expect(printBatches()).toHaveLength(1);
		});

		test('with a wrong IBAN in Company Details the run stops before it releases anything, naming the field and the node', async () => {
			const wrong = JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', 'dunning-run.json'), 'utf8')) as WorkflowJson;
			setUpDunningRun(wrong, { ...sampleCompany(), iban: 'DE88 3704 0044 0532 0130 00' }, PRINT_FOLDER);
			await stack.n8n.importWorkflows([{ ...wrong, id: 'dunningRunBadIb', name: 'Dunning run with a wrong IBAN' }]);
			const before = await stack.table('dunning_reminders');
			const r = await stack.n8n.runManually('dunningRunBadIb');
			expect(r.status).toBe('error');
			expect(String(r.data?.resultData.error?.message)).toMatch(
				/^Company details: the IBAN "DE88 3704 0044 0532 0130 00" .+\. Fill in or correct it in the "Company Details" node at the start of this workflow\. No reminder was released\.$/,
			);
			expect(await stack.table('dunning_reminders')).toEqual(before);
			expect(printBatches()).toHaveLength(1);
		});
	});

	describe('send released reminders', () => {
		let sentRows: Array<Record<string, unknown>>;

		beforeAll(async () => {
			const r = await stack.n8n.runManually('sendReleased0001');
			ok(r);
			sentRows = (await stack.table('dunning_reminders')).filter((row) => row.channel === 'email');
		});

		test('every released reminder was sent and its Message-ID written back', () => {
			expect(sentRows.length).toBeGreaterThan(10);
			for (const row of sentRows) {
				expect({ key: row.reminderKey, status: row.status }).toEqual({ key: row.reminderKey, status: 'sent' });
				expect(String(row.messageId)).toMatch(/^<.+@.+>$/);
				expect(String(row.sentAt)).toMatch(/^\d{4}-\d\d-\d\dT/);
			}
		});

		test('the reminders arrived in the customers\' mailbox with the correlation headers', async () => {
			const row = sentRows.find((r) => r.invoiceId === 'INV-2026101')!;
			const [msg] = await waitForMessage('alice', { search: { header: { 'message-id': String(row.messageId) } }, timeoutMs: 20_000 });
			const source = msg.source.toString('utf8');
			expect(source).toMatch(/^X-Dunning-Invoice: INV-2026101\r?$/m);
			expect(source).toMatch(/^X-Dunning-Level: 1\r?$/m);
			expect(source).toMatch(/^Auto-Submitted: auto-generated\r?$/m);
			expect(source).toMatch(/^To: .*alice\+mueller@example\.test/m);
			expect(source).toContain('RE-2026-0101');
			// An English customer gets the English text.
			const en = sentRows.find((r) => r.invoiceId === 'INV-2026108')!;
			const [enMsg] = await waitForMessage('alice', { search: { header: { 'message-id': String(en.messageId) } }, timeoutMs: 20_000 });
			expect(enMsg.source.toString('utf8')).toMatch(/^Subject: .*(reminder|Reminder|invoice|Invoice)/m);
		});

		test('an e-mail reminder carries the bank details, payment reference and GiroCode of the dunning run\'s Company Details', async () => {
			const row = sentRows.find((r) => r.invoiceId === 'INV-2026101')!;
			expect((JSON.parse(String(row.payload)) as { companyDetails?: unknown }).companyDetails).toEqual(sampleCompany());
			const [msg] = await waitForMessage('alice', { search: { header: { 'message-id': String(row.messageId) } }, timeoutMs: 20_000 });
			const mail = await simpleParser(msg.source, { keepCidLinks: true });
			const text = String(mail.text).replace(/\u00a0/g, ' ');
			expect(text).toContain('IBAN: DE89 3704 0044 0532 0130 00');
			expect(text).toContain('Verwendungszweck: RE-2026-0101');
			expect(mail.html).toContain('src="cid:girocode@n8n-nodes-dunning"');
			expect(mail.attachments.filter((a) => a.cid === 'girocode@n8n-nodes-dunning').map((a) => a.contentType)).toEqual(['image/png']);
		});

		test('a sent reminder advances the invoice level', async () => {
			const invoices = new Map((await stack.table('dunning_invoices')).map((r) => [String(r.invoiceId), r]));
			expect(invoices.get('INV-2026101')).toMatchObject({ currentLevel: 1 });
			expect(invoices.get('INV-2026104')).toMatchObject({ currentLevel: 2 });
			expect(String(invoices.get('INV-2026101')?.lastDunnedAt)).toMatch(/^\d{4}-\d\d-\d\d$/);
		});

		test('the next tick finds nothing left to send', async () => {
			const r = await stack.n8n.runManually('sendReleased0001');
			expect(r.status).toBe('success');
			expect(nodeOutputs(r.data, 'Send Reminder Email')).toEqual([]);
		});
	});

	describe('bounce processing closes the loop', () => {
		let summary: Record<string, unknown>;
		let bouncedId: unknown;

		beforeAll(async () => {
			// INV-2026117 went to nobody@example.test, which Dovecot refuses: Postfix returns a DSN.
			const reminders = await stack.table('dunning_reminders');
			const row = reminders.find((r) => r.invoiceId === 'INV-2026117' && r.channel === 'email')!;
			expect(row.status).toBe('sent');
			bouncedId = row.id;
			// A report about the merchant's other mail in the same mailbox (its original's Message-ID is not one of ours).
			await appendMessages('dunning', 'INBOX', [readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'bounce', 'rfc3464-userunknown.eml'))]);
			// Postfix returns the DSN within a second or so; run the workflow until it has seen it.
			summary = (await processBouncesUntil((sum) => (sum.customersBlocked as string[]).length > 0)).at(-1)!;
		});

		test('the dead address marks the reminder notDelivered (addressDead), blocks the customer and takes the level back', async () => {
			expect((summary.byCategory as Record<string, number>).addressDead).toBeGreaterThanOrEqual(1);
			expect(summary.customersBlocked).toEqual(['C006']);
			const reminder = (await stack.table('dunning_reminders')).find((r) => r.id === bouncedId)!;
			// The row gives its key up, so that the level can be released again (here: on paper).
			expect(reminder).toMatchObject({ status: 'notDelivered', bounceCategory: 'addressDead', reminderKey: `INV-2026117#1#email/notDelivered-${String(bouncedId)}` });
			expect(String(reminder.bounceReason)).toMatch(/userunknown|5\.1\.1/);
			const invoices = (await stack.table('dunning_invoices')).filter((r) => r.customerId === 'C006');
			expect(invoices.map((r) => r.emailBlocked)).toEqual([true, true]);
			expect(invoices.find((r) => r.invoiceId === 'INV-2026117')).toMatchObject({ currentLevel: 0, emailRefusals: 0 });
		});

		test('only the bounce of our reminder is moved out of the inbox, to Dunning/Bounces', async () => {
			expect(summary.bouncesMoved as number).toBeGreaterThanOrEqual(1);
			expect((await searchUids('dunning', 'Dunning/Bounces', { text: 'INV-2026117' })).length).toBeGreaterThanOrEqual(1);
			expect(await searchUids('dunning', 'INBOX', { text: 'INV-2026117' })).toEqual([]);
			// The report about other mail stays where the merchant looks for it.
			expect((await searchUids('dunning', 'INBOX', { text: 'rem-RE-1001-1' })).length).toBe(1);
			expect(await searchUids('dunning', 'Dunning/Bounces', { text: 'rem-RE-1001-1' })).toEqual([]);
		});

		test('reading the same bounce again changes nothing', async () => {
			const r = await stack.n8n.runManually('bounceProcess001');
			expect(r.status).toBe('success');
			const again = nodeOutputs(r.data, 'Bounce Summary')[0]?.[0];
			expect(again?.customersBlocked ?? []).toEqual([]);
		});

		test('a message too large to read is listed under notClassified and stays in the inbox', async () => {
			// Over Read Mailbox's Max Message Size (25 MB): it may be a bounce nobody would otherwise see.
			const line = `${'x'.repeat(998)}\r\n`;
			const big = `From: MAILER-DAEMON@example.test\r\nTo: dunning@example.test\r\nSubject: Undelivered Mail Returned to Sender (large)\r\nMessage-ID: <too-large-1@example.test>\r\n\r\n${line.repeat(26 * 1024)}`;
			const [uid] = await appendMessages('dunning', 'INBOX', [big]);
			const first = await stack.n8n.runManually('bounceProcess001');
			ok(first);
			const summary = nodeOutputs(first.data, 'Bounce Summary')[0][0];
			expect(summary.notClassified).toEqual([
				{ uid, folder: 'INBOX', subject: 'Undelivered Mail Returned to Sender (large)', error: `Message UID ${uid} in "INBOX" is larger than the Max Message Size (25 MB) and was not read. Look at it in the mailbox, or raise "Max Message Size (MB)".` },
			]);
			expect((summary.byCategory as Record<string, number>).none).toBeGreaterThanOrEqual(1);
			// (A scheduled run moves the position past it; a manual run, as here, moves no position.)
			expect(await searchUids('dunning', 'INBOX', { uid: String(uid) })).toEqual([uid]);
		});

		test('a print batch that cannot be saved fails the run with the folder to create and gives its letters back', async () => {
			const copy = JSON.parse(JSON.stringify(stack.workflows['dunning-run'])) as WorkflowJson;
			const save = copy.nodes.find((n) => n.name === 'Save Print Batch') as { parameters: { fileName: string } };
			save.parameters.fileName = save.parameters.fileName.replace(PRINT_FOLDER, join(FILES_ROOT, 'missing'));
			await stack.n8n.importWorkflows([{ ...copy, id: 'dunningRunNoDir1', name: 'Dunning run, print folder missing' }]);
			const r = await stack.n8n.runManually('dunningRunNoDir1');
			expect(r.status).toBe('error');
			expect(String(r.data?.resultData.error?.message)).toMatch(/^The print batch was not saved: .+\. Create that folder .+ This run's paper reminders were given back/s);
			const rows = (await stack.table('dunning_reminders')).filter((row) => row.invoiceId === 'INV-2026117' && row.channel === 'paper');
			expect(rows.map((row) => [row.status, row.reminderKey])).toEqual([['letterFailed', `INV-2026117#1#paper/letterFailed-${String(rows[0]?.id)}`]]);
			expect((await stack.table('dunning_invoices')).find((i) => i.invoiceId === 'INV-2026117')).toMatchObject({ currentLevel: 0 });
			expect(printBatches()).toHaveLength(1);
		});

		test('the next dunning run puts that invoice on paper: its letter is that run\'s print batch', async () => {
			const r = await stack.n8n.runManually('dunningRun00001');
			expect(r.status).toBe('success');
			const rows = await stack.table('dunning_reminders');
			expect(rows.find((row) => row.reminderKey === 'INV-2026117#1#paper')).toMatchObject({ status: 'paper', channel: 'paper' });
			const summary = nodeOutputs(r.data, 'Run Summary')[0][0];
			// The customer's other reminder (INV-2026118, level 2, same dead address) may have bounced by now too.
			const paper = (summary.decisions as Array<{ invoiceId: string; action: string }>).filter((d) => d.action === 'paper').map((d) => d.invoiceId);
			expect(paper).toContain('INV-2026117');
			expect(paper.filter((id) => !['INV-2026117', 'INV-2026118', 'INV-2026142'].includes(id))).toEqual([]);
			const printed = paper.filter((id) => id !== 'INV-2026142');
			const files = printBatches();
			expect(files).toHaveLength(2);
			expect(summary).toMatchObject({ lettersCreated: printed.length, printBatch: { file: files[1], letters: printed.length } });
			const pdf = readFileSync(files[1]);
			expect(pageObjects(pdf)).toBe((summary.printBatch as { pages: number }).pages);
			if (withPdfTools) {
				const text = pdfPages(pdf).join('\n');
				for (const id of printed) expect(text).toContain(id.replace('INV-2026', 'RE-2026-0'));
				expect(text).toMatch(/Nordwind Logistik AG[\s\S]*Hafenweg 9[\s\S]*20457 Hamburg/);
				expect(text).not.toMatch(/RE-2026-01(19|20|21|22|41)/);
			}
			expect((await stack.table('dunning_invoices')).find((i) => i.invoiceId === 'INV-2026117')).toMatchObject({ currentLevel: 1 });
		});
	});

	test('mailbox check: sends a test mail and reads it back (run with n8n execute --id)', async () => {
		const r = await stack.n8n.execute('mailboxCheck0001');
		const diagnostics = r.status === null ? `${r.stdout}\n${r.stderr}`.slice(-3000) : undefined;
		expect({ status: r.status, error: r.data?.resultData.error?.message, diagnostics }).toEqual({ status: 'success', error: undefined, diagnostics: undefined });
		const [result] = nodeOutputs(r.data, 'Check Result')[0];
		expect(result).toMatchObject({ ok: true, sentTo: 'dunning@example.test' });
		expect(String(result.smtpResponse)).toMatch(/^250/);
	});

	test('dunning alert: the error workflow e-mails the operator what failed and how to fix it (its example failure, from its Manual Trigger)', async () => {
		// n8n's own SMTP credential, as the operator creates it for the alert (Postfix on loopback: no login, no TLS).
		await stack.n8n.importCredentials([
			{ id: 'dunning-alert-smtp', name: 'Alert Mailbox (SMTP)', type: 'smtp', data: { host: SANDBOX.host, port: SANDBOX.smtpPort, secure: false, disableStartTls: true, user: '', password: '' } },
		]);
		// From its Manual Trigger, as the sticky note says to test it (`n8n execute` would start at the Error Trigger).
		const r = await stack.n8n.runManually('dunningAlert0001');
		ok(r);
		const [msg] = await waitForMessage('alice', { search: { to: ALERT_TO, subject: 'Dunning stopped: Send released reminders' }, timeoutMs: 60_000 });
		const source = msg.source.toString('utf8').replace(/=\r?\n/g, '');
		expect(source).toContain('failed at "Check Mailbox Health"');
		expect(source).toMatch(/because of DMARC \(5\.7\.26\)/);
	});

	test('dunning alert: a failure in a trigger (no execution, as n8n hands it over then) is e-mailed too', async () => {
		// What n8n 2.x's executeErrorWorkflow builds when the failure has no execution id (a poll or
		// activation error of a trigger, e.g. our IMAP Mailbox Trigger in an operator's own workflow).
		const failure = {
			trigger: { error: { name: 'NodeOperationError', message: 'The IMAP server refused the login (AUTHENTICATIONFAILED). Check user and password of the Dunning Mailbox (IMAP) credential.', node: { name: 'IMAP Mailbox Trigger', type: 'n8n-nodes-dunning.imapMailboxTrigger' } }, mode: 'trigger' },
			workflow: { id: 'ownBounces00001', name: 'Own bounce reading' },
		};
		const alert = JSON.parse(JSON.stringify(stack.workflows['dunning-alert'])) as WorkflowJson;
		alertToSandbox('dunning-alert', alert);
		alert.id = 'dunningAlertTrg1';
		(alert.nodes.find((n) => n.name === 'Example Failure') as { parameters: { jsCode: string } }).parameters.jsCode = `return [{ json: ${JSON.stringify(failure)} }];`;
		await stack.n8n.importWorkflows([alert]);
		const r = await stack.n8n.runManually('dunningAlertTrg1');
		ok(r);
		const [msg] = await waitForMessage('alice', { search: { to: ALERT_TO, subject: 'Dunning stopped: Own bounce reading' }, timeoutMs: 60_000 });
		const source = msg.source.toString('utf8').replace(/=\r?\n/g, '');
		expect(source).toContain('failed in its trigger "IMAP Mailbox Trigger":');
		expect(source).toContain('The IMAP server refused the login (AUTHENTICATIONFAILED).');
		expect(source).not.toContain('undefined');
	});

	test('dunning alert: the same failure again is counted, not mailed again; the example by hand is still mailed', async () => {
		// Mail of an earlier run of the suite may still be there (only the dunning mailbox is emptied).
		const exampleMails = { to: ALERT_TO, subject: 'Dunning stopped: Example Workflow' };
		const byHandMails = { to: ALERT_TO, subject: 'Dunning stopped: Send released reminders' };
		const before = (await searchUids('alice', 'INBOX', exampleMails)).length;
		const byHandBefore = (await searchUids('alice', 'INBOX', byHandMails)).length;
		// Started at its Error Trigger by hand, n8n hands over the trigger's own example failure ("Example Workflow").
		const first = await stack.n8n.runManually('dunningAlert0001', 'Error Trigger');
		ok(first);
		expect(nodeOutputs(first.data, 'Email the Operator')[0]).toHaveLength(1);
		expect(nodeOutputs(first.data, 'Save Alert')[0][0]).toMatchObject({ workflowName: 'Example Workflow', repeats: 0 });
		await waitForMessage('alice', { search: exampleMails, count: before + 1, timeoutMs: 60_000 });

		const second = await stack.n8n.runManually('dunningAlert0001', 'Error Trigger');
		ok(second);
		expect(nodeOutputs(second.data, 'Email the Operator')).toEqual([]);
		expect(nodeOutputs(second.data, 'Count Repeat')[0][0]).toMatchObject({ workflowName: 'Example Workflow', repeats: 1 });

		const byHand = await stack.n8n.runManually('dunningAlert0001');
		ok(byHand);
		expect(nodeOutputs(byHand.data, 'Email the Operator')[0]).toHaveLength(1);
		await waitForMessage('alice', { search: byHandMails, count: byHandBefore + 1, timeoutMs: 60_000 });
		// The one mail of the repeated failure, and no second one.
		expect(await searchUids('alice', 'INBOX', exampleMails)).toHaveLength(before + 1);
	});

	test('dunning alert: when its table cannot be read or written, the alert is mailed all the same', async () => {
		// Its Data Table steps pointed at a table that does not exist: a real failure of each of them.
		const alert = JSON.parse(JSON.stringify(stack.workflows['dunning-alert'])) as WorkflowJson;
		alertToSandbox('dunning-alert', alert);
		alert.id = 'dunningAlertNoTb';
		for (const name of ['Load Last Alert', 'Save Alert', 'Count Repeat']) {
			(alert.nodes.find((n) => n.name === name) as { parameters: { dataTableId: { value: string } } }).parameters.dataTableId.value = 'dunning_alerts_gone';
		}
		await stack.n8n.importWorkflows([alert]);
		for (let run = 0; run < 2; run++) {
			const r = await stack.n8n.runManually('dunningAlertNoTb', 'Error Trigger');
			ok(r);
			expect(nodeOutputs(r.data, 'Load Last Alert')[0][0]).toHaveProperty('error');
			expect(nodeOutputs(r.data, 'Email the Operator')[0]).toHaveLength(1);
			expect(nodeOutputs(r.data, 'Save Alert')[0][0]).toHaveProperty('error');
		}
	});

	/** Every decision of the last POST, in order. */
	let lastDecisions: Array<{ invoiceId: string; action: string; level: number; reason: string | null }> = [];
	/**
	 * POSTs `body` (no body when undefined) to a published webhook at `path`, with the ERP's token
	 * header unless `headers` replaces it; its answer (a hanging one fails after a minute).
	 */
	async function postToWebhook(path: string, body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json', ...webhookAuthHeaders() }): Promise<Response> {
		let res: Response | undefined;
		for (let attempt = 0; attempt < 20; attempt++) {
			// A just-published webhook can answer 404 for a moment after start.
			res = await fetch(`${stack.n8n.baseUrl}/webhook/${path}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(60_000) });
			if (res.status !== 404) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		return res!;
	}
	/** POSTs invoices to a published webhook at `path` as an ERP does, with its token; its answer. */
	async function postInvoices(path: string, invoices: Array<Record<string, unknown>>): Promise<Response> {
		return await postToWebhook(path, JSON.stringify({ invoices }));
	}
	/** The executions of a workflow, newest first. */
	async function executionsOf(workflowId: string): Promise<Array<{ status: string }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		return (await stack.n8n.rest<{ results: Array<{ status: string }> }>('GET', `/rest/executions?filter=${filter}`)).results;
	}
	/** POSTs invoices to the published ERP webhook as an ERP does; the decisions by invoice ID. */
	async function postToErp(invoices: Array<Record<string, unknown>>, path = WEBHOOK_PATH): Promise<Map<string, { invoiceId: string; action: string; level: number; reason: string | null }>> {
		const res = await postInvoices(path, invoices);
		expect(res.status).toBe(200);
		const body = (await res.json()) as { decisions: Array<{ invoiceId: string; action: string; level: number; reason: string | null }> };
		lastDecisions = body.decisions;
		// The first decision per invoice: a repeated row's is No Action (duplicate).
		return new Map([...body.decisions].reverse().map((d) => [d.invoiceId, d]));
	}

	test('ERP webhook: answers with a decision per invoice and releases the reminders', async () => {
		const invoices = [
			{ invoiceId: 'HOOK-1', invoiceDate: berlinDay(-34), customerId: 'H1', email: 'alice+hook@example.test', language: 'en', dueDate: berlinDay(-20), openAmount: 99.5, currentLevel: 0 },
			{ invoiceId: 'HOOK-2', invoiceDate: berlinDay(-34), customerId: 'H2', email: '', language: 'de', dueDate: berlinDay(-20), openAmount: 50, currentLevel: 0 },
			{ invoiceId: 'HOOK-3', invoiceDate: berlinDay(-11), customerId: 'H3', email: 'alice+hook@example.test', dueDate: berlinDay(3), openAmount: 10, currentLevel: 0 },
		];
		// The ERP repeats a line: one reminder all the same, the repeated row held back as such.
		invoices.push({ ...invoices[0] });
		const byId = await postToErp(invoices);
		expect(byId.get('HOOK-1')).toMatchObject({ action: 'send', level: 1 });
		expect(lastDecisions.filter((d) => d.invoiceId === 'HOOK-1').map((d) => d.action)).toEqual(['send', 'none']);
		expect(lastDecisions.filter((d) => d.invoiceId === 'HOOK-1')[1]).toMatchObject({ reason: 'duplicate' });
		expect(byId.get('HOOK-2')).toMatchObject({ action: 'paper', reason: 'noEmail' });
		expect(byId.get('HOOK-3')).toMatchObject({ action: 'none', reason: 'notDue' });
		const rows = await stack.table('dunning_reminders');
		expect(rows.filter((r) => r.reminderKey === 'HOOK-1#1#email')).toEqual([expect.objectContaining({ status: 'released' })]);
		expect(rows.find((r) => r.reminderKey === 'HOOK-2#1#paper')).toMatchObject({ status: 'paper' });
	});

	test('ERP webhook: the same paper invoice posted twice at once is released by one post only; only that answer says released', async () => {
		const invoice = { invoiceId: 'HOOK-TWICE', invoiceDate: berlinDay(-34), customerId: 'H-TWICE', email: '', language: 'de', dueDate: berlinDay(-20), openAmount: 70, currentLevel: 0 };
		// The tables exist (as after any earlier post): two first posts at once would both create them.
		expect((await postInvoices(WEBHOOK_PATH, [])).status).toBe(200);
		const answers = await Promise.all([postInvoices(WEBHOOK_PATH, [invoice]), postInvoices(WEBHOOK_PATH, [invoice])]);
		const bodies = await Promise.all(answers.map(async (res) => ({ status: res.status, body: (await res.json()) as { decisions: Array<Record<string, unknown>> } })));
		expect(bodies.map((b) => [b.status, b.status === 200 ? null : b.body])).toEqual([[200, null], [200, null]]);
		const decisions = bodies.flatMap((b) => b.body.decisions);
		expect(decisions.map((d) => [d.invoiceId, d.action, d.reminderKey])).toEqual([
			['HOOK-TWICE', 'paper', 'HOOK-TWICE#1#paper'],
			['HOOK-TWICE', 'paper', 'HOOK-TWICE#1#paper'],
		]);
		// The ERP prints only released decisions: one letter.
		expect(decisions.map((d) => d.released).sort()).toEqual([false, true]);
		expect((await stack.table('dunning_reminders')).filter((r) => r.reminderKey === 'HOOK-TWICE#1#paper').map((r) => r.status)).toEqual(['paper']);
		// Posted again later: released before, so not again.
		const [again] = (await (await postInvoices(WEBHOOK_PATH, [{ ...invoice, currentLevel: 0 }])).json() as { decisions: Array<Record<string, unknown>> }).decisions;
		expect(again).toMatchObject({ invoiceId: 'HOOK-TWICE', released: false });
	});

	test('ERP webhook: a POST without the token, or with a wrong one, is refused (403); nothing runs, nothing is saved or released', async () => {
		const [invoicesBefore, remindersBefore, executionsBefore] = [await stack.table('dunning_invoices'), await stack.table('dunning_reminders'), await executionsOf('dunningRunHook01')];
		const invoices = [{ invoiceId: 'HOOK-NOAUTH', customerId: 'HN', email: 'phish@example.test', dueDate: berlinDay(-20), openAmount: 10, currentLevel: 0 }];
		const body = JSON.stringify({ invoices });
		const without = await postToWebhook(WEBHOOK_PATH, body, { 'content-type': 'application/json' });
		const wrong = await postToWebhook(WEBHOOK_PATH, body, { 'content-type': 'application/json', [WEBHOOK_TOKEN_HEADER]: 'guessed-token' });
		expect([without.status, wrong.status]).toEqual([403, 403]);
		// n8n's own text, not the workflow's answer: no decision, no stored data.
		expect(await without.text()).not.toContain('HOOK-NOAUTH');
		expect(await stack.table('dunning_invoices')).toEqual(invoicesBefore);
		expect(await stack.table('dunning_reminders')).toEqual(remindersBefore);
		expect(await executionsOf('dunningRunHook01')).toHaveLength(executionsBefore.length);
	});

	test('ERP webhook: a body that is no list of invoices is answered 400 with what is wrong; nothing is saved or released', async () => {
		const [invoicesBefore, remindersBefore] = [await stack.table('dunning_invoices'), await stack.table('dunning_reminders')];
		const json = { 'content-type': 'application/json', ...webhookAuthHeaders() };
		const answers: Array<[number, unknown]> = [];
		for (const [body, headers] of [
			[JSON.stringify({ invoices: { invoiceId: 'HOOK-OBJ', email: 'alice+hook@example.test', dueDate: berlinDay(-20), openAmount: 10 } }), json],
			[JSON.stringify({ rechnungen: [] }), json],
			['invoices', { 'content-type': 'text/plain', ...webhookAuthHeaders() }],
			[JSON.stringify('invoices'), json],
			[undefined, webhookAuthHeaders()],
		] as Array<[string | undefined, Record<string, string>]>) {
			const res = await postToWebhook(WEBHOOK_PATH, body, headers);
			answers.push([res.status, res.headers.get('content-type')?.startsWith('application/json') ? await res.json() : await res.text()]);
		}
		const must = expect.stringMatching(/ The body must be \{"invoices": \[\{"invoiceId": "4711".*\]\} or that list alone\. No reminder was released\.$/);
		const badRequest = (wrong: RegExp) => [400, { error: 'badRequest', message: expect.stringMatching(wrong), remindersReleased: 0 }];
		expect(answers).toEqual([
			badRequest(/^Its "invoices" is an object, not a list \(one invoice too goes in \[ \]\)\. /),
			badRequest(/^The body has no "invoices" field \(it has rechnungen\)\. /),
			badRequest(/^The body is text, not JSON \(send it with Content-Type: application\/json\)\. /),
			badRequest(/^The body is text, not JSON/),
			badRequest(/^The request has no body, or none sent as JSON/),
		]);
		for (const [, answer] of answers) expect((answer as { message: string }).message).toEqual(must);
		expect(await stack.table('dunning_invoices')).toEqual(invoicesBefore);
		expect(await stack.table('dunning_reminders')).toEqual(remindersBefore);
	});

	test('ERP webhook: with Company Details left empty, as shipped, its e-mail reminder goes out as before, without bank details', async () => {
		ok(await stack.n8n.runManually('sendReleased0001'));
		const row = (await stack.table('dunning_reminders')).find((r) => r.reminderKey === 'HOOK-1#1#email')!;
		expect(row.status).toBe('sent');
		expect((JSON.parse(String(row.payload)) as { companyDetails?: unknown }).companyDetails).toBeNull();
		const [msg] = await waitForMessage('alice', { search: { header: { 'message-id': String(row.messageId) } }, timeoutMs: 20_000 });
		const mail = await simpleParser(msg.source);
		expect(mail.text).toContain('99.50');
		expect(mail.text).not.toContain('IBAN');
		expect(mail.attachments).toEqual([]);
	});

	/**
	 * The webhook run with its Company Details filled in, as an operator does: a copy of the shipped
	 * file under its own id and path, published while n8n runs (as the editor's Publish does).
	 */
	async function publishWebhookRun(id: string, path: string, company: Record<string, string>, edit?: (wf: WorkflowJson) => void): Promise<void> {
		const wf = JSON.parse(readFileSync(join(PROJECT_ROOT, 'workflows', 'dunning-run-webhook.json'), 'utf8')) as WorkflowJson;
		edit?.(wf);
		const node = (name: string) => wf.nodes.find((n) => n.name === name) as { parameters: Record<string, unknown>; webhookId?: string };
		for (const a of (node('Company Details').parameters as { assignments: { assignments: Array<{ name: string; value: unknown }> } }).assignments.assignments) {
			if (!(a.name in company)) throw new Error(`the sample company has no "${a.name}"`);
			a.value = company[a.name];
		}
		node('Webhook').parameters.path = path;
		node('Webhook').webhookId = randomUUID();
		await stack.n8n.importWorkflows([{ ...wf, id, name: `${String(wf.name)} (${path})`, active: false }]);
		const { versionId } = await stack.n8n.rest<{ versionId: string }>('GET', `/rest/workflows/${id}`);
		await stack.n8n.rest('POST', `/rest/workflows/${id}/activate`, { versionId });
	}

	test('ERP webhook: published before its token credential was created, it answers every POST 500 and runs nothing', async () => {
		// An operator who imports the file and publishes it without creating "Dunning ERP Token".
		await publishWebhookRun('dunningHookNoCr', 'dunning-run-no-credential', sampleCompany(), (wf) => {
			// n8n's import puts in a credential of the same type and name for an unknown id: none here.
			(wf.nodes.find((n) => n.name === 'Webhook') as { credentials: Record<string, { id: string; name: string }> }).credentials.httpHeaderAuth = { id: 'not-created-yet', name: 'ERP Token Not Created' };
		});
		const remindersBefore = await stack.table('dunning_reminders');
		const res = await postInvoices('dunning-run-no-credential', [{ invoiceId: 'HOOK-NOCRED', email: 'alice+hook@example.test', dueDate: berlinDay(-20), openAmount: 10, currentLevel: 0 }]);
		expect({ status: res.status, text: await res.text() }).toEqual({ status: 500, text: 'No authentication data defined on node!' });
		expect(await stack.table('dunning_reminders')).toEqual(remindersBefore);
		expect(await executionsOf('dunningHookNoCr')).toEqual([]);
	});

	describe('ERP webhook with Company Details filled in', () => {
		const invoice = (invoiceId: string) => ({
			invoiceId,
			invoiceNumber: `RE-${invoiceId}`,
			customerId: `C-${invoiceId}`,
			customerName: 'Hook Kunde',
			email: 'alice+hookcd@example.test',
			language: 'de',
			invoiceDate: berlinDay(-34),
			dueDate: berlinDay(-20),
			openAmount: 120,
			currentLevel: 0,
		});

		test('its e-mail reminder carries them into the ledger, and the sent e-mail has the IBAN and payment reference', async () => {
			await publishWebhookRun('dunningHookComp', 'dunning-run-company', sampleCompany());
			const byId = await postToErp([invoice('HOOK-CD')], 'dunning-run-company');
			expect(byId.get('HOOK-CD')).toMatchObject({ action: 'send', level: 1 });
			const released = (await stack.table('dunning_reminders')).find((r) => r.reminderKey === 'HOOK-CD#1#email')!;
			expect((JSON.parse(String(released.payload)) as { companyDetails?: unknown }).companyDetails).toEqual(sampleCompany());
			ok(await stack.n8n.runManually('sendReleased0001'));
			const row = (await stack.table('dunning_reminders')).find((r) => r.reminderKey === 'HOOK-CD#1#email')!;
			expect(row.status).toBe('sent');
			const [msg] = await waitForMessage('alice', { search: { header: { 'message-id': String(row.messageId) } }, timeoutMs: 20_000 });
			const text = String((await simpleParser(msg.source)).text).replace(/\u00a0/g, ' ');
			expect(text).toContain('IBAN: DE89 3704 0044 0532 0130 00');
			expect(text).toContain('Verwendungszweck: RE-HOOK-CD');
		});

		test('with a wrong IBAN the caller gets 500 naming the field and the node; nothing is saved or released, and the execution fails', async () => {
			await publishWebhookRun('dunningHookBadI', 'dunning-run-bad-iban', { ...sampleCompany(), iban: 'DE88 3704 0044 0532 0130 00' });
			const invoicesBefore = await stack.table('dunning_invoices');
			const res = await postInvoices('dunning-run-bad-iban', [invoice('HOOK-BAD')]);
			expect(res.status).toBe(500);
			expect(res.headers.get('content-type')).toMatch(/^application\/json/);
			expect(await res.json()).toEqual({
				error: 'companyDetailsWrong',
				message: expect.stringMatching(
					/^Company details: the IBAN "DE88 3704 0044 0532 0130 00" .+\. Fill in or correct it in the "Company Details" node at the start of this workflow\. No reminder was released\.$/,
				),
				remindersReleased: 0,
			});
			expect((await stack.table('dunning_reminders')).filter((r) => r.invoiceId === 'HOOK-BAD')).toEqual([]);
			expect(await stack.table('dunning_invoices')).toEqual(invoicesBefore);
			// The operator sees a failed execution naming the field, as for Dunning run.
			const executions = await stack.n8n.rest<{ results: Array<{ status: string }> }>('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'dunningHookBadI' }))}`);
			expect(executions.results.map((e) => e.status)).toEqual(['error']);
		});
	});
	/**
	 * Issue 11, end to end: every kind of return leads where the table says. Real returns where the
	 * sandbox makes them for reminders as we send them (unknown user above, a full mailbox, a content
	 * filter's 550 5.7.1, a person's reply through Postfix); the kinds it cannot make for our
	 * reminders are APPENDED over IMAP as saved real messages with our reminder's Message-ID put in:
	 * the Sieve vacation reply (Dovecot does not answer Auto-Submitted mail, RFC 3834), the delay
	 * notice (the real one turns into an expiry within seconds), the ARF complaint, and a DMARC
	 * refusal (no provider here checks DMARC).
	 */
	describe('every kind of return leads where the table says', () => {
		const today = berlinDay(0);
		const invoice = (invoiceId: string, customerId: string, email: string): SampleInvoice => ({
			invoiceId,
			invoiceNumber: `RE-${invoiceId}`,
			customerId,
			customerName: `Kunde ${customerId}`,
			street: 'Teststraße 1',
			postalCode: '10115',
			city: 'Berlin',
			country: 'Deutschland',
			customerType: 'consumer',
			email,
			language: 'de',
			invoiceDate: berlinDay(-44),
			dueDate: berlinDay(-30),
			currency: 'EUR',
			amount: 100,
			openAmount: 100,
			currentLevel: 0,
			lastDunnedAt: null,
			parked: false,
			disputed: false,
			dunningBlock: false,
			emailBlocked: false,
			note: '',
		});
		const customer = SANDBOX.users.customer.user;
		const extra = [
			invoice('OUT-FULL', 'X-FULL', SANDBOX.users.full.user),
			invoice('OUT-STRICT', 'X-STRICT', `buchhaltung@${SANDBOX.strictDomain}`),
			invoice('OUT-REPLY', 'X-REPLY', customer),
			invoice('OUT-AWAY', 'X-AWAY', customer),
			invoice('OUT-DELAY', 'X-DELAY', customer),
			invoice('OUT-SPAM', 'X-SPAM', customer),
			// The same customer at another address (another department): a complaint from the first does not block it.
			invoice('OUT-SPAM-DEPT', 'X-SPAM', `alice+dept@${SANDBOX.domain}`),
			invoice('OUT-DMARC', 'X-DMARC', customer),
			invoice('OUT-JOURNAL', 'X-JOURNAL', customer),
			invoice('OUT-ALIAS', 'X-ALIAS', customer),
			invoice('OUT-FWD', 'X-FWD', customer),
			invoice('OUT-COPY', 'X-COPY', `Buchhaltung <${customer}>, alice+copy@${SANDBOX.domain}`),
			invoice('OUT-OWN1', 'X-OWN1', customer),
			invoice('OUT-OWN2', 'X-OWN2', `einkauf@${SANDBOX.aliasDomain}`),
		];
		const ids = extra.map((i) => i.invoiceId);
		type Row = Record<string, unknown>;
		const OWN_COPY = 'mahnungen.archiv@mailprovider.example';
		/** A row without the Data Table's own change time (an update that changes nothing still sets it). */
		const withoutUpdatedAt = (row: Row): Row => Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'updatedAt'));
		const rowsOf = async (name: 'dunning_invoices' | 'dunning_reminders') => await stack.table(name);
		const byInvoice = (rows: Row[]) => new Map(rows.filter((r) => ids.includes(String(r.invoiceId))).map((r) => [String(r.invoiceId), r]));
		/** The newest reminder row of an invoice (a level sent again has a second row). */
		const latestReminder = (rows: Row[], invoiceId: string) => rows.filter((r) => r.invoiceId === invoiceId && r.channel === 'email').sort((a, b) => Number(b.id) - Number(a.id))[0];
		const fixture = (file: string, r: Row) =>
			readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'bounce', file), 'utf8')
				.replace(/<dunning\.\d+\.[0-9a-f]+@example\.test>/g, String(r.messageId))
				.replace(/RE-mx6ptx7g-[A-Z]/g, String(r.invoiceId))
				.replace(/^X-Dunning-Level: \d+/gm, `X-Dunning-Level: ${String(r.level)}`);
		const dunningRun = async () => {
			const r = await stack.n8n.runManually('dunningRun00001');
			ok(r);
			const summary = nodeOutputs(r.data, 'Run Summary')[0][0];
			return { summary, decision: new Map((summary.decisions as Row[]).map((d) => [String(d.invoiceId), d])) };
		};
		/** Runs bounce processing until `done` holds for what the tables say (returns take a moment). */
		const processBounces = async (done: (reminders: Row[]) => boolean) => await processBouncesUntil((_, reminders) => done(reminders), 40_000);
		let before: Map<string, Row>;
		let otherInvoicesBefore: Row[];
		let summaries: Row[];

		beforeAll(async () => {
			await stack.n8n.importWorkflows([
				seedInvoicesWorkflow(extra, 'seedOutcome0001'),
				updateRowsWorkflow('timePasses00001', 'dunning_invoices', { invoiceId: 'OUT-FULL' }, { emailRefusedAt: berlinDay(-3) }),
				updateRowsWorkflow('timePasses00002', 'dunning_invoices', { invoiceId: 'OUT-STRICT' }, { emailRefusedAt: berlinDay(-3) }),
				updateRowsWorkflow('timePasses00003', 'dunning_invoices', { invoiceId: 'OUT-DMARC' }, { emailRefusedAt: berlinDay(-3) }),
				updateRowsWorkflow('resumeMailbox01', 'dunning_mailboxes', { mailbox: 'default' }, { status: 'ok' }),
				// An operator cleared the pace cell (or added the column by hand on upgrade).
				updateRowsWorkflow('emptyPace000001', 'dunning_mailboxes', { mailbox: 'default' }, { nextSendAt: null }),
			]);
			ok(await stack.n8n.runManually('seedOutcome0001'));
			const run = await dunningRun();
			for (const id of ids) expect({ id, action: run.decision.get(id)?.action }).toEqual({ id, action: 'send' });
			ok(await stack.n8n.runManually('emptyPace000001'));
			expect((await stack.table('dunning_mailboxes')).find((r) => r.mailbox === 'default')?.nextSendAt ?? null).toBeNull();
			// The sender fills the empty pace and sends: before, Reserve Pace never matched and every tick stopped there.
			ok(await stack.n8n.runManually('sendReleased0001'));
			const reminders = await rowsOf('dunning_reminders');
			const sent = new Map(ids.map((id) => [id, latestReminder(reminders, id)]));
			for (const id of ids) expect({ id, status: sent.get(id)?.status }).toEqual({ id, status: 'sent' });

			// What comes back. Real: Dovecot's quota and the strict server's filter answer by themselves.
			await waitForMessage('dunning', { search: { text: 'OUT-FULL' }, timeoutMs: 20_000 });
			await waitForMessage('dunning', { search: { text: 'OUT-STRICT' }, timeoutMs: 20_000 });
			// Real: the customer answers the reminder through Postfix, as a mail program does.
			const [original] = await waitForMessage('customer', { search: { header: { 'message-id': String(sent.get('OUT-REPLY')?.messageId) } } });
			const t = createTransport({ host: SANDBOX.host, port: SANDBOX.smtpPort, secure: false, tls: { rejectUnauthorized: false } });
			try {
				await t.sendMail({
					from: { name: 'Kunde X-REPLY', address: customer },
					to: SANDBOX.users.dunning.user,
					subject: 'AW: Zahlungserinnerung zur Rechnung RE-OUT-REPLY',
					inReplyTo: String(sent.get('OUT-REPLY')?.messageId),
					references: [String(sent.get('OUT-REPLY')?.messageId)],
					text: `Guten Tag,\n\ndie Rechnung RE-OUT-REPLY haben wir bereits am Montag bezahlt. Bitte prüfen Sie Ihren Zahlungseingang.\n\nViele Grüße\nKunde X-REPLY\n\n> ${original.source.toString('utf8').split(/\r?\n\r?\n/)[1]?.slice(0, 200).replace(/\n/g, '\n> ')}\n`,
				});
			} finally {
				t.close();
			}
			// Saved real messages, with our reminders' Message-IDs (see above).
			await appendMessages('dunning', 'INBOX', [
				fixture('postfix/auto-reply-sieve-vacation.eml', sent.get('OUT-AWAY')!),
				fixture('postfix/delayed.eml', sent.get('OUT-DELAY')!),
				fixture('postfix/complaint-arf.eml', sent.get('OUT-SPAM')!),
				// Our relay's report on the group's journal copy (a deleted journal mailbox); the
				// returned reminder's To at another domain than ours, as a customer's is outside the sandbox.
				fixture('postfix/userunknown.eml', sent.get('OUT-JOURNAL')!)
					.replace(/nobody@example\.test/g, `journal@${JOURNAL_DOMAIN}`)
					.replace(`To: <journal@${JOURNAL_DOMAIN}>`, 'To: <einkauf@kunde.example>'),
				// Failures at addresses the reminders were not sent to, as after the customer's server
				// took them: an alias's target (the report does not trace it back), and a forward's
				// next hop refusing our domain by DMARC (the real report names buchhaltung@kunde.example).
				fixture('postfix/userunknown.eml', sent.get('OUT-ALIAS')!)
					.replace(/nobody@example\.test/g, 'max.alt@kunde.example')
					.replace('To: <max.alt@kunde.example>', `To: <${customer}>`),
				fixture('dmarc-5.7.26.eml', sent.get('OUT-FWD')!),
				// The same for a reminder to two addresses: both took it, a copy elsewhere failed.
				fixture('postfix/userunknown.eml', sent.get('OUT-COPY')!)
					.replace(/nobody@example\.test/g, 'einkauf.alt@kunde.example')
					.replace('To: <einkauf.alt@kunde.example>', `To: <${customer}>`),
				// The merchant's own server copies every reminder to a dead address at a mail provider
				// (a Bcc rule): the same address fails for the reminders of two customers at two domains.
				...['OUT-OWN1', 'OUT-OWN2'].map((id) =>
					fixture('postfix/userunknown.eml', sent.get(id)!)
						.replace(/nobody@example\.test/g, OWN_COPY)
						.replace(`To: <${OWN_COPY}>`, `To: <${String(sent.get(id)!.email)}>`),
				),
			]);
			const invoices = await rowsOf('dunning_invoices');
			before = byInvoice(invoices);
			otherInvoicesBefore = invoices.filter((r) => !ids.includes(String(r.invoiceId)));
			summaries = await processBounces((rows) => {
				const latest = (id: string) => latestReminder(rows, id);
				return ['OUT-FULL', 'OUT-STRICT', 'OUT-ALIAS', 'OUT-FWD'].every((id) => latest(id)?.status === 'notDelivered') && latest('OUT-SPAM')?.bounceCategory === 'complaint' && latest('OUT-AWAY')?.status === 'delivered' && ['OUT-COPY', 'OUT-OWN1', 'OUT-OWN2'].every((id) => String(latest(id)?.note).startsWith('address'));
			});
		}, 240_000);

		test('not delivered: each reminder is notDelivered with its category, its level taken back', async () => {
			const reminders = await rowsOf('dunning_reminders');
			expect(latestReminder(reminders, 'OUT-FULL')).toMatchObject({ status: 'notDelivered', bounceCategory: 'recipientRefused', bounceReason: 'mailboxfull (5.2.2)' });
			expect(latestReminder(reminders, 'OUT-STRICT')).toMatchObject({ status: 'notDelivered', bounceCategory: 'senderRejected', bounceReason: expect.stringMatching(/\(5\.7\.1\)$/) });
			// A complaint proves the reminder arrived: it stays in force under its key, only the address is blocked.
			expect(latestReminder(reminders, 'OUT-SPAM')).toMatchObject({ status: 'delivered', bounceCategory: 'complaint', reminderKey: 'OUT-SPAM#1#email' });
			const invoices = byInvoice(await rowsOf('dunning_invoices'));
			expect(invoices.get('OUT-FULL')).toMatchObject({ currentLevel: 0, emailRefusals: 1, emailRefusedAt: today, emailRefusedLevel: 1, emailBlocked: false });
			// A refusal of our sender counts as the recipient's side's does (e-mail once more, then paper): a
			// customer whose filter refuses every reminder is not e-mailed the same level for ever. The address stays.
			expect(invoices.get('OUT-STRICT')).toMatchObject({ currentLevel: 0, emailRefusals: 1, emailRefusedAt: today, emailRefusedLevel: 1, emailBlocked: false });
			// The level stays: the customer has that reminder.
			expect(invoices.get('OUT-SPAM')).toMatchObject({ currentLevel: 1, emailBlocked: true });
			// The complaining address, bare and in lower case (Addresses to Block).
			expect(invoices.get('OUT-SPAM')?.emailBlockedAddress).toBe(customer.toLowerCase());
			// Before, every invoice of the customer was blocked, whatever its address.
			expect(invoices.get('OUT-SPAM-DEPT')).toMatchObject({ currentLevel: 1, emailBlocked: false });
		});

		test('a failure at an address the reminder was not sent to: refused (counted, level back), never a block or a sender alarm', async () => {
			const reminders = await rowsOf('dunning_reminders');
			expect(latestReminder(reminders, 'OUT-ALIAS')).toMatchObject({
				status: 'notDelivered',
				bounceCategory: 'recipientRefused',
				bounceReason: 'userunknown (5.1.1)',
				note: `address max.alt@kunde.example failed (userunknown 5.1.1); the reminder was not sent to it but to ${customer}: a forward or copy at the recipient's side, counted as the recipient's refusal`,
			});
			expect(latestReminder(reminders, 'OUT-FWD')).toMatchObject({ status: 'notDelivered', bounceCategory: 'recipientRefused', note: expect.stringMatching(/^address buchhaltung@kunde\.example failed \(\w+ 5\.7\.26\)/) });
			const invoices = byInvoice(await rowsOf('dunning_invoices'));
			for (const id of ['OUT-ALIAS', 'OUT-FWD']) {
				expect(invoices.get(id)).toMatchObject({ invoiceId: id, currentLevel: 0, emailRefusals: 1, emailRefusedLevel: 1, emailBlocked: false });
			}
			// DMARC refusals of our domain returned for two customers pause the mailbox (below); this one, behind the customer's forward, did not.
			expect(summaries.map((s) => (s.mailbox as Row | undefined)?.status).filter(Boolean)).not.toContain('paused');
			// Sent to two addresses, neither of them named: delivered to both; the note says so.
			expect(latestReminder(reminders, 'OUT-COPY')).toMatchObject({
				status: 'sent',
				note: `address einkauf.alt@kunde.example failed (userunknown 5.1.1); the reminder was not sent to it and reached ${customer}, alice+copy@${SANDBOX.domain}: a forward or copy at the recipient's side, nothing to change on the invoice`,
			});
			expect(summaries.flatMap((s) => s.addressesFailedOfSeveral as Row[])).toContainEqual(expect.objectContaining({ invoiceId: 'OUT-COPY', customerId: 'X-COPY' }));
			// The same address failing for two customers at two domains: the merchant's own copy. Sent, listed for a person.
			for (const id of ['OUT-OWN1', 'OUT-OWN2']) {
				expect(latestReminder(reminders, id)).toMatchObject({
					invoiceId: id,
					status: 'sent',
					note: `address ${OWN_COPY} failed (userunknown 5.1.1); the reminder was not sent to it; it failed for the reminders of 2 customers in this run: a copy of your own (a Bcc or journal rule on your mail server), fix or remove it`,
				});
			}
			for (const id of ['OUT-COPY', 'OUT-OWN1', 'OUT-OWN2']) {
				expect(invoices.get(id)).toMatchObject({ invoiceId: id, currentLevel: 1, emailBlocked: false });
				expect({ id, refusals: Number(invoices.get(id)?.emailRefusals ?? 0) }).toEqual({ id, refusals: 0 });
			}
			const copies = summaries.flatMap((s) => s.archiveCopyFailures as Row[]).filter((f) => f.address === OWN_COPY);
			expect([...new Set(copies.map((f) => f.invoiceId))].sort()).toEqual(['OUT-OWN1', 'OUT-OWN2']);
			expect(summaries.flatMap((s) => s.addressesFailedOfSeveral as Row[]).map((r) => r.invoiceId)).not.toContain('OUT-OWN1');
		});

		test('a reply blocks its invoice for a person, and the summary lists it; a delay is a note; an auto-reply marks delivered', async () => {
			const replies = summaries.flatMap((s) => s.replies as Row[]);
			// Only replies to our reminders: the shared sandbox inbox also holds other suites' replies.
			expect(replies).toEqual([{ invoiceId: 'OUT-REPLY', customerId: 'X-REPLY', customer, firstLines: expect.stringContaining('bereits am Montag bezahlt') }]);
			const invoices = byInvoice(await rowsOf('dunning_invoices'));
			expect(invoices.get('OUT-REPLY')).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied', currentLevel: 1 });
			expect(String(invoices.get('OUT-REPLY')?.note)).toMatch(/^Customer replied on \d{4}-\d\d-\d\d \(customer@example\.test\): .*bereits am Montag bezahlt/s);
			const reminders = await rowsOf('dunning_reminders');
			// The reply's Message-ID is remembered in its own column: read again, it blocks nothing.
			const reply = latestReminder(reminders, 'OUT-REPLY');
			expect(reply).toMatchObject({ bounceCategory: 'reply', replyMessageIds: expect.stringMatching(/^<[^\s<>]+@[^\s<>]+>$/) });
			expect(latestReminder(reminders, 'OUT-DELAY')).toMatchObject({ status: 'sent', note: expect.stringMatching(/^delayed .*\(4\.4\.1\), the server is still trying$/) });
			expect(latestReminder(reminders, 'OUT-AWAY')).toMatchObject({ status: 'delivered', bounceCategory: 'autoReply' });
			for (const id of ['OUT-DELAY', 'OUT-AWAY', 'OUT-DMARC', 'OUT-JOURNAL']) expect({ id, level: invoices.get(id)?.currentLevel, blocked: invoices.get(id)?.emailBlocked }).toEqual({ id, level: 1, blocked: false });
		});

		test('nothing else changes: the other invoices are as before, one sender refusal does not pause the mailbox', async () => {
			const others = (await rowsOf('dunning_invoices')).filter((r) => !ids.includes(String(r.invoiceId)));
			const strip = (rows: Row[]) => rows.map(withoutUpdatedAt);
			expect(strip(others)).toEqual(strip(otherInvoicesBefore));
			const invoices = byInvoice(await rowsOf('dunning_invoices'));
			for (const id of ['OUT-AWAY', 'OUT-DELAY', 'OUT-DMARC', 'OUT-JOURNAL']) {
				expect({ id, ...withoutUpdatedAt(invoices.get(id)!) }).toEqual({ id, ...withoutUpdatedAt(before.get(id)!) });
			}
			const last = summaries[summaries.length - 1];
			expect(summaries.flatMap((s) => s.remindersNotDelivered as Row[]).map((r) => r.invoiceId).sort()).toEqual(['OUT-ALIAS', 'OUT-FULL', 'OUT-FWD', 'OUT-STRICT']);
			expect([...new Set(summaries.flatMap((s) => (s.complaints as Row[] | undefined) ?? []).map((r) => r.invoiceId))]).toEqual(['OUT-SPAM']);
			// The failed journal copy at the listed domain is the operator's to fix, not the customer's.
			expect(latestReminder(await rowsOf('dunning_reminders'), 'OUT-JOURNAL')).toMatchObject({ status: 'sent' });
			// (Listed in every run that reads it: only our reminders' bounces leave the inbox.)
			const journal = summaries.flatMap((s) => s.archiveCopyFailures as Row[]).filter((f) => f.invoiceId === 'OUT-JOURNAL');
			expect([...new Set(journal.map((f) => `${String(f.address)} ${String(f.reason)} final=${String(f.final)}`))]).toEqual([`journal@${JOURNAL_DOMAIN} userunknown final=true`]);
			expect(summaries.find((s) => s.mailbox !== undefined)?.mailbox).toMatchObject({ status: 'ok', pausedNow: false });
			expect(last).toMatchObject({ messagesRead: expect.any(Number) });
		});

		test('the next dunning run: a complaint is not sent again, refused e-mail waits (also after a refusal of our sender), reply skipped and listed', async () => {
			const { summary, decision } = await dunningRun();
			// The complained-about level 1 stays sent: no second "1. Mahnung" on paper; level 2 waits for its day.
			expect(decision.get('OUT-SPAM')).toMatchObject({ action: 'none', level: 1, reason: 'waiting' });
			expect(decision.get('OUT-FULL')).toMatchObject({ action: 'none', level: 0, reason: 'retryLater' });
			for (const id of ['OUT-ALIAS', 'OUT-FWD']) expect(decision.get(id)).toMatchObject({ invoiceId: id, action: 'none', level: 0, reason: 'retryLater' });
			expect(decision.get('OUT-REPLY')).toMatchObject({ action: 'none', reason: 'customerReplied' });
			expect(summary.customerReplies).toEqual([expect.objectContaining({ invoiceId: 'OUT-REPLY', customerId: 'X-REPLY', note: expect.stringContaining('bezahlt') })]);
			expect(decision.get('OUT-STRICT')).toMatchObject({ action: 'none', level: 0, reason: 'retryLater' });
			for (const id of ['OUT-AWAY', 'OUT-DELAY', 'OUT-DMARC', 'OUT-JOURNAL', 'OUT-COPY', 'OUT-OWN1', 'OUT-OWN2']) expect({ id, reason: decision.get(id)?.reason }).toEqual({ id, reason: 'waiting' });
			const reminders = await rowsOf('dunning_reminders');
			expect(reminders.filter((r) => String(r.reminderKey).startsWith('OUT-STRICT#1#email')).map((r) => [r.reminderKey, r.status])).toEqual([
				[expect.stringMatching(/^OUT-STRICT#1#email\/notDelivered-\d+$/), 'notDelivered'],
			]);
			// No paper copy of the complained-about reminder: its only row is the e-mail one, delivered.
			expect(reminders.filter((r) => String(r.reminderKey).startsWith('OUT-SPAM#')).map((r) => [r.reminderKey, r.status])).toEqual([['OUT-SPAM#1#email', 'delivered']]);
			expect(summary).toMatchObject({ lettersCreated: 0, printBatch: null });
		});

		test('after the pause the refused level goes by e-mail once more; refused again, it goes on paper', async () => {
			ok(await stack.n8n.runManually('timePasses00001'));
			ok(await stack.n8n.runManually('timePasses00002'));
			const again = await dunningRun();
			for (const id of ['OUT-FULL', 'OUT-STRICT']) expect(again.decision.get(id)).toMatchObject({ invoiceId: id, action: 'send', level: 1 });
			ok(await stack.n8n.runManually('sendReleased0001'));
			const rows = await rowsOf('dunning_reminders');
			const resent = latestReminder(rows, 'OUT-FULL');
			expect(resent).toMatchObject({ status: 'sent' });
			// Its own Message-ID: a late report about the first attempt must not mark this one.
			const first = rows.find((r) => String(r.reminderKey).startsWith('OUT-FULL#1#email/notDelivered-'));
			expect(String(resent?.messageId)).toMatch(/^<dunning\.1\.[0-9a-f]{32}@/);
			expect(resent?.messageId).not.toBe(first?.messageId);
			await processBounces((rows) => latestReminder(rows, 'OUT-FULL')?.status === 'notDelivered' && latestReminder(rows, 'OUT-STRICT')?.status === 'notDelivered');
			const invoicesNow = byInvoice(await rowsOf('dunning_invoices'));
			for (const id of ['OUT-FULL', 'OUT-STRICT']) expect(invoicesNow.get(id)).toMatchObject({ invoiceId: id, emailRefusals: 2, emailRefusedLevel: 1, currentLevel: 0 });
			const last = await dunningRun();
			const remindersNow = await rowsOf('dunning_reminders');
			for (const id of ['OUT-FULL', 'OUT-STRICT']) {
				expect(last.decision.get(id)).toMatchObject({ invoiceId: id, action: 'paper', level: 1, reason: 'emailRefused' });
				expect(remindersNow.find((r) => r.reminderKey === `${id}#1#paper`)).toMatchObject({ status: 'paper' });
			}
		});

		test('DMARC refusals returned for two customers pause the mailbox: the sender sends nothing and fails with cause and fix, until the operator resumes it', async () => {
			const reminders = await rowsOf('dunning_reminders');
			// The refusal of the address the reminder was sent to (the saved report's is another).
			const report = (invoiceId: string) => fixture('dmarc-5.7.26.eml', latestReminder(reminders, invoiceId)).replace(/buchhaltung@kunde\.example/g, customer);
			// One customer's report alone does not pause (it may be forged by that customer); a second customer's does.
			await appendMessages('dunning', 'INBOX', [report('OUT-DMARC')]);
			const one = await processBounces((rows) => latestReminder(rows, 'OUT-DMARC')?.status === 'notDelivered');
			expect(one.map((s) => (s.mailbox as Row | undefined)?.status).filter(Boolean)).not.toContain('paused');
			await appendMessages('dunning', 'INBOX', [report('OUT-DELAY')]);
			const seen = await processBounces((rows) => latestReminder(rows, 'OUT-DELAY')?.status === 'notDelivered');
			const mailbox = seen.map((s) => s.mailbox as Row | undefined).find((m) => m?.status === 'paused');
			expect(mailbox).toMatchObject({ status: 'paused', pausedNow: true });
			// The level is taken back and the refusal counted: after the wait it is released again and waits for the mailbox.
			expect((await dunningRun()).decision.get('OUT-DMARC')).toMatchObject({ action: 'none', level: 0, reason: 'retryLater' });
			ok(await stack.n8n.runManually('timePasses00003'));
			const run = await dunningRun();
			expect(run.decision.get('OUT-DMARC')).toMatchObject({ action: 'send', level: 1 });
			const released = (await rowsOf('dunning_reminders')).filter((r) => r.status === 'released').map((r) => String(r.reminderKey));
			expect(released).toContain('OUT-DMARC#1#email');

			const paused = await stack.n8n.runManually('sendReleased0001');
			expect(paused.status).toBe('error');
			const message = String(paused.data?.resultData.error?.message);
			expect(message).toMatch(/^Sending from mailbox "default" is paused: reminders were refused by mx\.kunde\.example because of DMARC \(5\.7\.26\) \(refused for 2 recipients within 24 h\)\. Fix: add the SMTP host to the domain's SPF record/);
			expect(message).toContain('set status to "ok" in the row of mailbox "default"');
			expect(nodeOutputs(paused.data, 'Send Reminder Email')).toEqual([]);
			const still = (await rowsOf('dunning_reminders')).filter((r) => released.includes(String(r.reminderKey)) && r.status === 'released').map((r) => String(r.reminderKey));
			expect(still.sort()).toEqual([...released].sort());

			// The one documented step: status back to ok in dunning_mailboxes.
			ok(await stack.n8n.runManually('resumeMailbox01'));
			ok(await stack.n8n.runManually('sendReleased0001'));
			expect(latestReminder(await rowsOf('dunning_reminders'), 'OUT-DMARC')).toMatchObject({ status: 'sent' });
		});
	});
	/**
	 * A second sender as the README says to set one up for another mailbox: a copy of the shipped
	 * sender with its own Settings (mailbox `box`) and its own SMTP credential (the sandbox's, with
	 * `data` changed), plus one overdue invoice of a new customer that goes through that mailbox.
	 */
	async function addMailboxSender(
		box: string,
		ids: { sender: string; seed: string },
		credential: { id: string; name: string; data: Record<string, unknown> },
		invoiceTag: string | null,
		sendOptions: Record<string, unknown> = {},
		invoiceFields: Partial<SampleInvoice> = {},
	): Promise<WorkflowJson> {
		const smtp = sandboxCredentials().find((c) => c.type === 'dunningSmtpApi')!;
		await stack.n8n.importCredentials([{ ...smtp, id: credential.id, name: credential.name, data: { ...smtp.data, ...credential.data } }]);
		const sender = JSON.parse(JSON.stringify(stack.workflows['send-released'])) as WorkflowJson;
		sender.id = ids.sender;
		sender.name = `Send released reminders (${box})`;
		setSetting(sender, 'mailbox', box);
		const sendNode = sender.nodes.find((n) => n.name === 'Send Reminder Email') as { credentials: unknown; parameters: Record<string, unknown> };
		sendNode.credentials = { dunningSmtpApi: { id: credential.id, name: credential.name } };
		if (Object.keys(sendOptions).length) sendNode.parameters = { ...sendNode.parameters, options: sendOptions };
		if (invoiceTag === null) {
			await stack.n8n.importWorkflows([sender]);
			return sender;
		}
		const invoice = { ...stack.invoices[0], invoiceId: `OUT-${invoiceTag}`, invoiceNumber: `RE-OUT-${invoiceTag}`, customerId: `X-${invoiceTag}`, email: `alice+${invoiceTag.toLowerCase()}@example.test`, currentLevel: 0, lastDunnedAt: null, dunningBlock: false, emailBlocked: false, parked: false, disputed: false, openAmount: 100, dueDate: berlinDay(-30), invoiceDate: berlinDay(-44), mailbox: box, ...invoiceFields };
		await stack.n8n.importWorkflows([sender, seedInvoicesWorkflow([invoice], ids.seed)]);
		expect((await stack.n8n.runManually(ids.seed)).status).toBe('success');
		return sender;
	}

	/**
	 * A TLS failure while sending pauses the mailbox (Send Reminder Email → Record Send Result): a
	 * second sender for mailbox "tlsbox", as the README says to set one up (a copy of the shipped
	 * sender with its own Settings and credential), whose credential asks for implicit TLS on the
	 * sandbox's plain SMTP port, a real handshake failure.
	 */
	describe('a TLS failure while sending pauses that mailbox', () => {
		const BOX = 'tlsbox';
		let first: Awaited<ReturnType<typeof stack.n8n.runManually>>;
		let second: Awaited<ReturnType<typeof stack.n8n.runManually>>;

		beforeAll(async () => {
			await addMailboxSender(BOX, { sender: 'sendReleasedTls1', seed: 'seedTlsInvoice1' }, { id: 'dunning-smtp-tls', name: 'TLS mailbox (SMTP)', data: { security: 'ssl' } }, 'TLS');
			const run = await stack.n8n.runManually('dunningRun00001');
			expect(run.status).toBe('success');
			first = await stack.n8n.runManually('sendReleasedTls1');
			second = await stack.n8n.runManually('sendReleasedTls1');
		}, 240_000);

		test('the run fails naming the TLS problem and its fix; the reminder goes back to released', async () => {
			expect(first.status).toBe('error');
			expect(String(first.data?.resultData.error?.message)).toMatch(/^Sending from mailbox "tlsbox" is paused: .*Fix: check port and security in the credential \(465 = SSL\/TLS, 587 = STARTTLS\)/);
			const row = (await stack.table('dunning_reminders')).find((r) => r.invoiceId === 'OUT-TLS' && r.channel === 'email');
			expect(row).toMatchObject({ status: 'released', mailbox: BOX });
		});

		test('the next tick sends nothing and fails with the same message; the default mailbox is not affected', async () => {
			expect(second.status).toBe('error');
			expect(second.data?.resultData.error?.message).toBe(first.data?.resultData.error?.message);
			expect(nodeOutputs(second.data, 'Send Reminder Email')).toEqual([]);
			const defaultTick = await stack.n8n.runManually('sendReleased0001');
			expect(defaultTick.status).toBe('success');
		});
	});

	/**
	 * A server slower to greet than Plan Sending Slots' Connection Lead: a sender for mailbox
	 * "slowbox" whose credential points at a loopback proxy that holds each connection 2.5 s before
	 * passing it to the sandbox's Postfix (a slow network or server, which Postfix cannot be made to
	 * be on loopback), with the lead set to 1 s.
	 */
	describe('a sender whose reminder misses its slot run after run fails as stalled, until the lead is raised', () => {
		const BOX = 'slowbox';
		let proxy: Server;
		let sender: WorkflowJson;
		const runs: Array<Awaited<ReturnType<typeof stack.n8n.runManually>>> = [];
		// A pause between mails (the suite's senders have none, which leaves no slot to miss); 1 s, so
		// that each run's slot lies its lead ahead, not behind the previous run's.
		const withLead = (seconds: number): WorkflowJson => {
			const copy = JSON.parse(JSON.stringify(sender)) as WorkflowJson;
			(copy.nodes.find((n) => n.name === 'Plan Sending Slots') as { parameters: Record<string, unknown> }).parameters.leadSeconds = seconds;
			setSetting(copy, 'minSecondsBetween', 1);
			return copy;
		};
		const row = async () => (await stack.table('dunning_reminders')).find((r) => r.invoiceId === 'OUT-SLOW' && r.channel === 'email');

		beforeAll(async () => {
			proxy = createNetServer((client) => {
				client.pause();
				const timer = setTimeout(() => {
					const upstream = connectTcp(SANDBOX.smtpPort, '127.0.0.1', () => {
						client.pipe(upstream).pipe(client);
						client.resume();
					});
					upstream.on('error', () => client.destroy());
				}, 2500);
				client.on('error', () => undefined);
				client.on('close', () => clearTimeout(timer));
			});
			await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
			const { port } = proxy.address() as AddressInfo;
			sender = await addMailboxSender(BOX, { sender: 'sendReleasedSlw1', seed: 'seedSlowInvoic1' }, { id: 'dunning-smtp-slow', name: 'Slow mailbox (SMTP)', data: { port } }, 'SLOW');
			await stack.n8n.importWorkflows([withLead(1)]);
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			runs.push(await stack.n8n.runManually('sendReleasedSlw1'));
			runs.push(await stack.n8n.runManually('sendReleasedSlw1'));
		}, 240_000);
		afterAll(async () => await new Promise((resolve) => proxy.close(resolve)));

		test('the first miss gives the reminder back, saying how long connecting took and what to raise; the run succeeds', async () => {
			expect(runs[0].status).toBe('success');
			expect(nodeOutputs(runs[0].data, 'Send Reminder Email')[0][0].delivery).toMatchObject({ status: 'notSent', reason: 'slotMissed', leadTooShort: true });
			expect(nodeOutputs(runs[0].data, 'Fail With Cause')).toEqual([]);
		});

		test('the second fails naming the reminder, the time and the fix; the reminder stays released, the mailbox ok', async () => {
			expect(runs[1].status).toBe('error');
			expect(String(runs[1].data?.resultData.error?.message)).toMatch(
				/^Sending from mailbox "slowbox" is stalled: the reminder for invoice RE-OUT-SLOW missed its sending slot in two runs in a row, because the lead before the first slot is too short \(this run: connecting and logging in took [2-9]\.\d s\).*raise "Connection Lead \(Seconds\)"/,
			);
			expect(await row()).toMatchObject({ status: 'released', error: expect.stringMatching(/^Not sent: it missed its sending slot .*raise Connection Lead/) });
			// Not paused: nothing is wrong with the sender, and the row is not written.
			expect(nodeOutputs(runs[1].data, 'Record Send Result')[0][0].mailboxHealth).toMatchObject({ status: 'ok', pausedNow: false, changed: false });
			expect(nodeOutputs(runs[1].data, 'Save Rejection Counts')).toEqual([]);
			expect(nodeOutputs(runs[1].data, 'Save Pause')).toEqual([]);
		});

		test('with the lead raised as the message says, the next tick sends it', async () => {
			await stack.n8n.importWorkflows([withLead(10)]);
			const raised = await stack.n8n.runManually('sendReleasedSlw1');
			expect(raised.status).toBe('success');
			const sent = await row();
			expect(sent).toMatchObject({ status: 'sent', error: '' });
			await waitForMessage('alice', { search: { header: { 'message-id': String(sent?.messageId) } }, timeoutMs: 20_000 });
		}, 120_000);
	});

	/**
	 * A reminder refused for now while sending (the sandbox's Postfix answers 452 4.2.2 to RCPT TO for
	 * alice+busy@): a sender for mailbox "busybox" that tries once per tick (the shipped default
	 * retries within the tick as well, which only makes the test slower).
	 */
	describe('a reminder refused for now waits before its next try and does not hold up the mailbox', () => {
		const BOX = 'busybox';
		let first: Awaited<ReturnType<typeof stack.n8n.runManually>>;
		let second: Awaited<ReturnType<typeof stack.n8n.runManually>>;
		let ranAt = 0;

		beforeAll(async () => {
			await addMailboxSender(BOX, { sender: 'sendReleasedBsy1', seed: 'seedBusyInvoic1' }, { id: 'dunning-smtp-busy', name: 'Busy mailbox (SMTP)', data: {} }, 'BUSY', { maxAttempts: 1 });
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			ranAt = Date.now();
			first = await stack.n8n.runManually('sendReleasedBsy1');
			// A second invoice for the same mailbox, released after the refused one.
			const next = { ...stack.invoices[0], invoiceId: 'OUT-BUSYOK', invoiceNumber: 'RE-OUT-BUSYOK', customerId: 'X-BUSYOK', email: 'alice+busyok@example.test', currentLevel: 0, lastDunnedAt: null, dunningBlock: false, emailBlocked: false, parked: false, disputed: false, openAmount: 100, dueDate: berlinDay(-30), invoiceDate: berlinDay(-44), mailbox: BOX };
			await stack.n8n.importWorkflows([seedInvoicesWorkflow([next], 'seedBusyInvoic2')]);
			expect((await stack.n8n.runManually('seedBusyInvoic2')).status).toBe('success');
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			second = await stack.n8n.runManually('sendReleasedBsy1');
		}, 240_000);

		test('the refused reminder is deferred with the server\'s reply, its attempts counted, and due again in 30 minutes, not at once', async () => {
			expect(first.status).toBe('success');
			expect(nodeOutputs(first.data, 'Send Reminder Email')[0][0].delivery).toMatchObject({ status: 'deferred', reason: 'temporary', smtpCode: 452, attempts: 1 });
			const row = (await stack.table('dunning_reminders')).find((r) => r.invoiceId === 'OUT-BUSY' && r.channel === 'email');
			expect(row).toMatchObject({ status: 'deferred', attempts: 1, smtpResponse: expect.stringMatching(/^452 4\.2\.2 /) });
			expect(Number(row?.retryAfter)).toBeGreaterThanOrEqual(ranAt + 29 * 60_000);
			expect(Number(row?.retryAfter)).toBeLessThanOrEqual(Date.now() + 31 * 60_000);
		});

		test('the next tick sends the reminder behind it and leaves the refused one waiting', async () => {
			expect(second.status).toBe('success');
			const sent = nodeOutputs(second.data, 'Send Reminder Email')[0].map((item) => [item.invoiceId, (item.delivery as { status: string }).status]);
			expect(sent).toEqual([['OUT-BUSYOK', 'sent']]);
			const rows = await stack.table('dunning_reminders');
			expect(rows.find((r) => r.invoiceId === 'OUT-BUSY' && r.channel === 'email')).toMatchObject({ status: 'deferred', attempts: 1 });
		});

		test('refused for now at the 20th try (days of it): given up as a refusal, notDelivered, its key freed and counted on the invoice', async () => {
			// Days pass: 19 tries so far, the next one due.
			await stack.n8n.importWorkflows([updateRowsWorkflow('busyDays0000001', 'dunning_reminders', { invoiceId: 'OUT-BUSY', channel: 'email' }, { attempts: 19, retryAfter: 0 })]);
			ok(await stack.n8n.runManually('busyDays0000001'));
			const third = await stack.n8n.runManually('sendReleasedBsy1');
			expect(third.status).toBe('success');
			expect(nodeOutputs(third.data, 'Send Reminder Email')[0].map((item) => [item.invoiceId, (item.delivery as { status: string }).status])).toEqual([['OUT-BUSY', 'deferred']]);
			const row = (await stack.table('dunning_reminders')).find((r) => r.invoiceId === 'OUT-BUSY' && r.channel === 'email');
			// Before, deferred and released again for ever.
			expect(row).toMatchObject({ status: 'notDelivered', attempts: 20, bounceCategory: 'recipientRefused', bounceReason: 'expired', error: expect.stringMatching(/^refused for now at each of 20 attempts, given up: 452 4\.2\.2 /) });
			expect(String(row?.reminderKey)).toMatch(/^OUT-BUSY#1#email\/notDelivered-/);
			expect((await stack.table('dunning_invoices')).find((r) => r.invoiceId === 'OUT-BUSY')).toMatchObject({ currentLevel: 0, emailRefusals: 1, emailRefusedLevel: 1 });
		});
	});

	/**
	 * A reminder our own SMTP server refuses while sending (a synchronous 5xx, no bounce by mail): a
	 * sender for mailbox "strictbox" whose credential points at the sandbox's second smtpd, whose real
	 * content filter (Postfix header_checks) refuses every reminder with 550 5.7.1 at end of DATA.
	 */
	describe('a reminder refused while sending is not delivered, like a returned one', () => {
		const BOX = 'strictbox';
		let sendRun: Awaited<ReturnType<typeof stack.n8n.runManually>>;

		beforeAll(async () => {
			await addMailboxSender(BOX, { sender: 'sendReleasedStr1', seed: 'seedRefusedInv1' }, { id: 'dunning-smtp-strict', name: 'Strict mailbox (SMTP)', data: { port: SANDBOX.strictPort } }, 'REFUSED');
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			sendRun = await stack.n8n.runManually('sendReleasedStr1');
		}, 240_000);

		test('the reminder is notDelivered with category, reason and the reply; its key is free; the invoice keeps its level', async () => {
			ok(sendRun);
			expect(nodeOutputs(sendRun.data, 'Send Reminder Email')[0][0].delivery).toMatchObject({ status: 'failed', reason: 'rejected', category: 'senderRejected', smtpCode: 550 });
			const row = (await stack.table('dunning_reminders')).find((r) => r.invoiceId === 'OUT-REFUSED' && r.channel === 'email');
			expect(row).toMatchObject({
				status: 'notDelivered',
				bounceCategory: 'senderRejected',
				bounceReason: expect.stringMatching(/\(5\.7\.1\)$/),
				error: expect.stringMatching(/^550 5\.7\.1 .*content filter/),
				bouncedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				reminderKey: `OUT-REFUSED#1#email/notDelivered-${String(row?.id)}`,
			});
			const invoice = (await stack.table('dunning_invoices')).find((r) => r.invoiceId === 'OUT-REFUSED');
			// Refused for this reminder only (the run went on): counted as a refusal on the invoice, e-mail once more, then paper.
			expect(invoice).toMatchObject({ currentLevel: 0, emailBlocked: false, emailRefusals: 1, emailRefusedLevel: 1 });
		});

		test('the refusal counts for the mailbox as a returned one does: one does not pause it', async () => {
			expect(nodeOutputs(sendRun.data, 'Record Send Result')[0][0].mailboxHealth).toMatchObject({ mailbox: BOX, status: 'ok', senderRejections: 1, counted: true, changed: true, stopMessage: null });
			// The mailbox's row as written back (the Data Table update returns it): the count only, not
			// the status it read, which bounce processing may have changed since (a pause).
			expect(nodeOutputs(sendRun.data, 'Save Rejection Counts')[0]).toEqual([expect.objectContaining({ mailbox: BOX, status: 'ok', senderRejections: 1 })]);
			expect(nodeOutputs(sendRun.data, 'Save Pause')).toEqual([]);
		});

		test('the next dunning run waits, as after a returned refusal; after the wait it releases the same level again', async () => {
			const released = async () => (await stack.table('dunning_reminders')).filter((r) => String(r.reminderKey).startsWith('OUT-REFUSED#1#email')).map((r) => r.status).sort();
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			expect(await released()).toEqual(['notDelivered']);
			await stack.n8n.importWorkflows([updateRowsWorkflow('timePasses00004', 'dunning_invoices', { invoiceId: 'OUT-REFUSED' }, { emailRefusedAt: berlinDay(-3) })]);
			ok(await stack.n8n.runManually('timePasses00004'));
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			expect(await released()).toEqual(['notDelivered', 'released']);
		});
	});

	/**
	 * An invoice without a customer ID whose address does not exist: only that invoice is blocked,
	 * not every other invoice without a customer ID (OUT-NOCUST2, parked, never reminded).
	 */
	/**
	 * The shipped sender sends only inside its sending window (Settings sendingDays, hours, holiday
	 * region). A copy for mailbox "windowbox" whose window leaves out today (in the workflow's
	 * Europe/Berlin) ends its tick quietly and keeps the reminder released; opened, the next tick sends it.
	 */
	describe('a sender outside its sending window sends nothing and fails nothing; opened, it sends', () => {
		const BOX = 'windowbox';
		let sender: WorkflowJson;

		beforeAll(async () => {
			sender = await addMailboxSender(BOX, { sender: 'sendReleasedWin1', seed: 'seedWinInvoice1' }, { id: 'dunning-smtp-window', name: 'Window mailbox (SMTP)', data: {} }, 'WINDOW');
			ok(await stack.n8n.runManually('dunningRun00001'));
		}, 240_000);

		test('a closed window: the tick succeeds, plans no slot, names the next opening, the reminder stays released', async () => {
			const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
			// getUTCDay counts from Sunday (0); the list from Monday.
			const today = days[(new Date(`${berlinDay(0)}T12:00:00Z`).getUTCDay() + 6) % 7];
			setSetting(sender, 'sendingDays', days.filter((d) => d !== today).join(','));
			await stack.n8n.importWorkflows([sender]);
			const r = await stack.n8n.runManually('sendReleasedWin1');
			ok(r);
			expect(nodeOutputs(r.data, 'Send Reminder Email')).toEqual([]);
			const plan = nodeOutputs(r.data, 'Plan Sending Slots')[0][0];
			expect(plan).toMatchObject({ slotCount: 0, nextOpening: expect.stringMatching(/^\d{4}-\d\d-\d\dT00:00:00/), closedMessage: expect.any(String) });
			const reminder = (await stack.table('dunning_reminders')).find((row) => row.invoiceId === 'OUT-WINDOW');
			expect(reminder).toMatchObject({ status: 'released', mailbox: BOX });
		});

		test('opened, the next tick sends the reminder', async () => {
			setSetting(sender, 'sendingDays', 'Mon-Sun');
			await stack.n8n.importWorkflows([sender]);
			ok(await stack.n8n.runManually('sendReleasedWin1'));
			const reminder = (await stack.table('dunning_reminders')).find((row) => row.invoiceId === 'OUT-WINDOW');
			expect(reminder).toMatchObject({ status: 'sent', mailbox: BOX });
			await waitForMessage('alice', { search: { header: { 'message-id': String(reminder?.messageId) } }, timeoutMs: 20_000 });
		});
	});

	describe('a dead address of an invoice without customer ID blocks that invoice only', () => {
		beforeAll(async () => {
			const other = { ...stack.invoices[0], invoiceId: 'OUT-NOCUST2', invoiceNumber: 'RE-OUT-NOCUST2', customerId: '', email: 'alice+nocust2@example.test', currentLevel: 0, lastDunnedAt: null, dunningBlock: false, emailBlocked: false, parked: true, disputed: false, openAmount: 100, dueDate: berlinDay(-30), invoiceDate: berlinDay(-44) };
			await stack.n8n.importWorkflows([seedInvoicesWorkflow([other], 'seedNoCustInv02')]);
			expect((await stack.n8n.runManually('seedNoCustInv02')).status).toBe('success');
			await addMailboxSender('nocustbox', { sender: 'sendReleasedNoC1', seed: 'seedNoCustInv01' }, { id: 'dunning-smtp-nocust', name: 'No-customer mailbox (SMTP)', data: {} }, 'NOCUST', {}, { customerId: '', email: 'nobody@example.test' });
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			expect((await stack.n8n.runManually('sendReleasedNoC1')).status).toBe('success');
			await waitForMessage('dunning', { search: { text: 'OUT-NOCUST' }, timeoutMs: 20_000 });
			await processBouncesUntil(emailReminderIs('OUT-NOCUST', 'notDelivered'));
		}, 240_000);

		test('the invoice is blocked for e-mail and its level taken back; the other invoice without customer ID is not', async () => {
			const invoices = await stack.table('dunning_invoices');
			expect(invoices.find((r) => r.invoiceId === 'OUT-NOCUST')).toMatchObject({ emailBlocked: true, emailBlockedAddress: 'nobody@example.test', currentLevel: 0 });
			expect(invoices.find((r) => r.invoiceId === 'OUT-NOCUST2')).toMatchObject({ emailBlocked: false });
		});
	});

	/**
	 * A reminder to two addresses of which one forwards to an address that does not exist (the
	 * sandbox's Postfix sends moved@ on to nobody@, which Dovecot refuses; the DSN names both): it
	 * reached the customer at the other one.
	 */
	describe('a reminder to several addresses that reached one of them stays delivered', () => {
		const BOX = 'partialbox';
		let summary: Record<string, unknown> = {};

		beforeAll(async () => {
			await addMailboxSender(BOX, { sender: 'sendReleasedPrt1', seed: 'seedPartialInv1' }, { id: 'dunning-smtp-partial', name: 'Partial mailbox (SMTP)', data: {} }, 'PARTIAL', {}, { email: 'Buchhaltung <alice+partial@example.test>, moved@example.test' });
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			expect((await stack.n8n.runManually('sendReleasedPrt1')).status).toBe('success');
			await waitForMessage('dunning', { search: { text: 'OUT-PARTIAL' }, timeoutMs: 20_000 });
			summary = (await processBouncesUntil((sum) => (sum.addressesFailedOfSeveral as unknown[]).length > 0)).at(-1)!;
		}, 240_000);

		test('the reminder stays sent with a note naming the failed address; the level stays, nobody is blocked', async () => {
			const row = (await stack.table('dunning_reminders')).find((r) => r.invoiceId === 'OUT-PARTIAL' && r.channel === 'email');
			expect(row).toMatchObject({ status: 'sent', note: expect.stringMatching(/^address moved@example\.test \(forwarded to nobody@example\.test\) failed \(userunknown 5\.1\.1, .*\); the reminder reached alice\+partial@example\.test: remove the failed address from the invoice$/) });
			const invoice = (await stack.table('dunning_invoices')).find((r) => r.invoiceId === 'OUT-PARTIAL');
			expect(invoice).toMatchObject({ currentLevel: 1, emailBlocked: false });
			expect(summary.addressesFailedOfSeveral).toEqual([expect.objectContaining({ invoiceId: 'OUT-PARTIAL', customerId: 'X-PARTIAL' })]);
			expect(summary.customersBlocked).toEqual([]);
		});
	});

	/** The same with a refusal because of our sender: the strict server's content filter refuses one address at DATA. */
	describe('a reminder to several addresses that one refused because of our sender stays delivered', () => {
		let summary: Record<string, unknown> = {};

		beforeAll(async () => {
			const email = 'Buchhaltung <alice+sndpart@example.test>, buchhaltung@strict.example.net';
			await addMailboxSender('sndpartbox', { sender: 'sendReleasedSnd1', seed: 'seedSndPartInv1' }, { id: 'dunning-smtp-sndpart', name: 'Sender-part mailbox (SMTP)', data: {} }, 'SNDPART', {}, { email });
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			expect((await stack.n8n.runManually('sendReleasedSnd1')).status).toBe('success');
			await waitForMessage('dunning', { search: { text: 'OUT-SNDPART' }, timeoutMs: 20_000 });
			summary = (await processBouncesUntil((sum) => (sum.addressesFailedOfSeveral as Array<{ invoiceId: string }>).some((r) => r.invoiceId === 'OUT-SNDPART'))).at(-1)!;
		}, 240_000);

		test('the reminder stays sent with a note naming the refusing address; the level stays', async () => {
			const row = (await stack.table('dunning_reminders')).find((r) => r.invoiceId === 'OUT-SNDPART' && r.channel === 'email');
			expect(row).toMatchObject({ status: 'sent', note: expect.stringMatching(/^address buchhaltung@strict\.example\.net failed \(\w+ 5\.7\.1, .*\); the reminder reached alice\+sndpart@example\.test: remove the failed address from the invoice$/) });
			const invoice = (await stack.table('dunning_invoices')).find((r) => r.invoiceId === 'OUT-SNDPART');
			expect(invoice).toMatchObject({ currentLevel: 1, emailBlocked: false });
			expect(summary.addressesFailedOfSeveral).toEqual(expect.arrayContaining([expect.objectContaining({ invoiceId: 'OUT-SNDPART', customerId: 'X-SNDPART' })]));
		});
	});

	/**
	 * The invoice changes between release and send (the ERP syncs a payment, a reply blocks it, a
	 * bounce blocks the address): the sender compares each claimed reminder with the invoice as it
	 * is now and withdraws it rather than mail a wrong reminder.
	 */
	describe('a reminder whose invoice changed after release is withdrawn, not sent', () => {
		const BOX = 'changebox';
		const TAGS = ['CHG-KEEP', 'CHG-PAID', 'CHG-PART', 'CHG-REPLY', 'CHG-DEAD', 'CHG-ADDR'];
		let sendRun: Awaited<ReturnType<typeof stack.n8n.runManually>>;

		beforeAll(async () => {
			await addMailboxSender(BOX, { sender: 'sendReleasedChg1', seed: 'seedChangedInv1' }, { id: 'dunning-smtp-change', name: 'Change mailbox (SMTP)', data: {} }, TAGS[0]);
			const others = TAGS.slice(1).map((tag) => ({ ...stack.invoices[0], invoiceId: `OUT-${tag}`, invoiceNumber: `RE-OUT-${tag}`, customerId: `X-${tag}`, email: `alice+${tag.toLowerCase()}@example.test`, currentLevel: 0, lastDunnedAt: null, dunningBlock: false, emailBlocked: false, parked: false, disputed: false, openAmount: 100, dueDate: berlinDay(-30), invoiceDate: berlinDay(-44), mailbox: BOX }));
			const edits = [
				updateRowsWorkflow('chgPaid00000001', 'dunning_invoices', { invoiceId: 'OUT-CHG-PAID' }, { openAmount: 0 }),
				updateRowsWorkflow('chgPart00000001', 'dunning_invoices', { invoiceId: 'OUT-CHG-PART' }, { openAmount: 40 }),
				updateRowsWorkflow('chgReply0000001', 'dunning_invoices', { invoiceId: 'OUT-CHG-REPLY' }, { dunningBlock: true, dunningBlockReason: 'customerReplied' }),
				updateRowsWorkflow('chgDead00000001', 'dunning_invoices', { invoiceId: 'OUT-CHG-DEAD' }, { emailBlocked: true }),
				updateRowsWorkflow('chgAddr00000001', 'dunning_invoices', { invoiceId: 'OUT-CHG-ADDR' }, { email: 'Buchhaltung@Example.test' }),
				// A second dunning run that overlapped the first released the unchanged one again.
				copyRowsWorkflow('chgDupRow000001', 'dunning_reminders', { reminderKey: 'OUT-CHG-KEEP#1#email' }),
			];
			await stack.n8n.importWorkflows([seedInvoicesWorkflow(others, 'seedChangedInv2'), ...edits]);
			expect((await stack.n8n.runManually('seedChangedInv2')).status).toBe('success');
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			for (const edit of edits) expect((await stack.n8n.runManually(String(edit.id))).status).toBe('success');
			sendRun = await stack.n8n.runManually('sendReleasedChg1');
		}, 240_000);

		test('only the unchanged invoice is mailed; the others are withdrawn with the reason, their keys free, their levels as before', async () => {
			ok(sendRun);
			expect(nodeOutputs(sendRun.data, 'Send Reminder Email')[0].map((item) => [item.invoiceId, (item.delivery as { status: string }).status])).toEqual([['OUT-CHG-KEEP', 'sent']]);
			const rows = (await stack.table('dunning_reminders')).filter((r) => String(r.invoiceId).startsWith('OUT-CHG-') && r.channel === 'email');
			const byInvoice = new Map(rows.filter((r) => r.invoiceId !== 'OUT-CHG-KEEP').map((r) => [String(r.invoiceId), r]));
			const keep = rows.filter((r) => r.invoiceId === 'OUT-CHG-KEEP').sort((a, b) => Number(a.id) - Number(b.id));
			expect(keep.map((r) => [r.status, r.reminderKey])).toEqual([
				['sent', 'OUT-CHG-KEEP#1#email'],
				['withdrawn', `OUT-CHG-KEEP#1#email/withdrawn-${String(keep[1]?.id)}`],
			]);
			expect(keep[1].note).toBe('withdrawn before sending (duplicate): another row of the same reminder goes out in this run');
			const withdrawn = (invoiceId: string, reason: string, message: RegExp) => {
				const row = byInvoice.get(invoiceId);
				expect(row).toMatchObject({ status: 'withdrawn', reminderKey: `${invoiceId}#1#email/withdrawn-${String(row?.id)}`, messageId: null, sentAt: null });
				expect(String(row?.note)).toMatch(new RegExp(`^withdrawn before sending \\(${reason}\\): ${message.source}$`));
			};
			withdrawn('OUT-CHG-PAID', 'paid', /nothing is open on the invoice any more/);
			withdrawn('OUT-CHG-PART', 'amountChanged', /the open amount is now 40, the reminder asks for 100/);
			withdrawn('OUT-CHG-REPLY', 'customerReplied', /the customer replied to a reminder/);
			withdrawn('OUT-CHG-DEAD', 'emailBlocked', /the customer's e-mail is blocked .*/);
			withdrawn('OUT-CHG-ADDR', 'emailChanged', /the invoice's e-mail address is now Buchhaltung@Example\.test/);
			const levels = new Map((await stack.table('dunning_invoices')).filter((r) => String(r.invoiceId).startsWith('OUT-CHG-')).map((r) => [String(r.invoiceId), r.currentLevel]));
			expect(Object.fromEntries(levels)).toEqual({ 'OUT-CHG-KEEP': 1, 'OUT-CHG-PAID': 0, 'OUT-CHG-PART': 0, 'OUT-CHG-REPLY': 0, 'OUT-CHG-DEAD': 0, 'OUT-CHG-ADDR': 0 });
		});

		test('the next dunning run decides them again from the invoice as it is now', async () => {
			const run = await stack.n8n.runManually('dunningRun00001');
			expect(run.status).toBe('success');
			const decisions = new Map((nodeOutputs(run.data, 'Run Summary')[0][0].decisions as Array<Record<string, unknown>>).map((d) => [String(d.invoiceId), d]));
			expect(decisions.get('OUT-CHG-PAID')).toMatchObject({ action: 'none', reason: 'paid' });
			expect(decisions.get('OUT-CHG-REPLY')).toMatchObject({ action: 'none', reason: 'customerReplied' });
			expect(decisions.get('OUT-CHG-DEAD')).toMatchObject({ action: 'paper', level: 1, reason: 'emailBlocked' });
			expect(decisions.get('OUT-CHG-PART')).toMatchObject({ action: 'send', level: 1, totalDue: 40 });
			expect(decisions.get('OUT-CHG-ADDR')).toMatchObject({ action: 'send', level: 1 });
			const released = (await stack.table('dunning_reminders')).filter((r) => r.status === 'released' && String(r.invoiceId).startsWith('OUT-CHG-'));
			expect(released.map((r) => [r.reminderKey, r.email, r.totalDue]).sort()).toEqual([
				['OUT-CHG-ADDR#1#email', 'Buchhaltung@Example.test', 100],
				['OUT-CHG-PART#1#email', 'alice+chg-part@example.test', 40],
			]);
		});
	});

	/** One of two addresses refused while sending (the sandbox's Postfix answers 452 to alice+busy@ at RCPT TO). */
	describe('a reminder whose server refused one of its addresses while sending is sent, with the refusal noted', () => {
		beforeAll(async () => {
			await addMailboxSender('sendpartbox', { sender: 'sendReleasedSpt1', seed: 'seedSendPartInv' }, { id: 'dunning-smtp-sendpart', name: 'Send-part mailbox (SMTP)', data: {} }, 'SENDPART', {}, { email: 'alice+sendpart@example.test; alice+busy@example.test' });
			expect((await stack.n8n.runManually('dunningRun00001')).status).toBe('success');
			expect((await stack.n8n.runManually('sendReleasedSpt1')).status).toBe('success');
		}, 240_000);

		test('the row is sent and its note names the refused address with the server\'s reply; the level advances', async () => {
			const row = (await stack.table('dunning_reminders')).find((r) => r.invoiceId === 'OUT-SENDPART' && r.channel === 'email');
			expect(row).toMatchObject({ status: 'sent', note: expect.stringMatching(/^Sent, but the server refused alice\+busy@example\.test \(452 4\.2\.2 .*\); the other addresses got it$/) });
			expect((await stack.table('dunning_invoices')).find((r) => r.invoiceId === 'OUT-SENDPART')).toMatchObject({ currentLevel: 1 });
			await waitForMessage('alice', { search: { to: 'alice+sendpart@example.test', text: 'RE-OUT-SENDPART' }, timeoutMs: 20_000 });
		});
	});

	/**
	 * The ERP posts invoices and knows nothing of what happened to the reminders: the webhook run
	 * keeps each posted invoice in dunning_invoices, and the next post is decided with what the
	 * sender and bounce processing wrote there (a dead address: Dovecot refuses nobody@).
	 */
	describe('ERP webhook: what the workflows learnt about an invoice counts at its next post', () => {
		const posted = ['WH-DEAD', 'WH-OK'].map((invoiceId) => ({
			invoiceId,
			invoiceNumber: `RE-${invoiceId}`,
			customerId: `C-${invoiceId}`,
			customerName: 'Hook Kunde',
			email: invoiceId === 'WH-DEAD' ? 'nobody@example.test' : 'alice+whok@example.test',
			language: 'de',
			invoiceDate: berlinDay(-44),
			dueDate: berlinDay(-30),
			openAmount: '100.00',
			currentLevel: 0,
			emailBlocked: false,
			mailbox: 'hookbox',
		}));
		let first: Awaited<ReturnType<typeof postToErp>>;
		let second: Awaited<ReturnType<typeof postToErp>>;
		let saved: Array<Record<string, unknown>> = [];
		let afterBounces = new Map<string, Record<string, unknown>>();
		let afterSecond = new Map<string, Record<string, unknown>>();

		beforeAll(async () => {
			await addMailboxSender('hookbox', { sender: 'sendReleasedHok1', seed: '' }, { id: 'dunning-smtp-hook', name: 'Hook mailbox (SMTP)', data: {} }, null);
			first = await postToErp(posted);
			saved = (await stack.table('dunning_invoices')).filter((r) => String(r.invoiceId).startsWith('WH-'));
			expect((await stack.n8n.runManually('sendReleasedHok1')).status).toBe('success');
			await waitForMessage('dunning', { search: { text: 'WH-DEAD' }, timeoutMs: 20_000 });
			await processBouncesUntil(emailReminderIs('WH-DEAD', 'notDelivered'));
			afterBounces = new Map((await stack.table('dunning_invoices')).map((r) => [String(r.invoiceId), r]));
			// The ERP's data changes (a part payment); its currentLevel stays 0, as ERPs know no levels. And a
			// new invoice of the customer whose address bounced, to that address.
			const newOfDead = { ...posted[0], invoiceId: 'WH-DEAD-NEW', invoiceNumber: 'RE-WH-DEAD-NEW' };
			second = await postToErp([...posted.map((p) => (p.invoiceId === 'WH-OK' ? { ...p, openAmount: '90.00' } : p)), newOfDead]);
			afterSecond = new Map((await stack.table('dunning_invoices')).map((r) => [String(r.invoiceId), r]));
		}, 240_000);

		test('the first post is decided as posted and each invoice is saved as a row, in the table\'s types', () => {
			expect(first.get('WH-DEAD')).toMatchObject({ action: 'send', level: 1 });
			expect(first.get('WH-OK')).toMatchObject({ action: 'send', level: 1 });
			expect(saved.map((r) => [r.invoiceId, r.openAmount, r.currentLevel, r.emailBlocked, r.mailbox, r.email]).sort()).toEqual([
				['WH-DEAD', 100, 0, false, 'hookbox', 'nobody@example.test'],
				['WH-OK', 100, 0, false, 'hookbox', 'alice+whok@example.test'],
			]);
		});

		test('the sender and bounce processing find the rows: level advanced, the dead address blocked and its level taken back', () => {
			expect(afterBounces.get('WH-OK')).toMatchObject({ currentLevel: 1, emailBlocked: false });
			expect(afterBounces.get('WH-DEAD')).toMatchObject({ currentLevel: 0, emailBlocked: true });
		});

		test('the second post goes on paper for the dead address and waits for the sent one; the ERP\'s data is saved, the workflows\' kept', () => {
			expect(second.get('WH-DEAD')).toMatchObject({ action: 'paper', level: 1, reason: 'emailBlocked' });
			expect(second.get('WH-OK')).toMatchObject({ action: 'none', level: 1, reason: 'waiting' });
			expect(afterSecond.get('WH-DEAD')).toMatchObject({ currentLevel: 1, emailBlocked: true });
			expect(afterSecond.get('WH-OK')).toMatchObject({ openAmount: 90, currentLevel: 1, lastDunnedAt: afterBounces.get('WH-OK')?.lastDunnedAt, emailBlocked: false });
		});

		test('a new invoice of that customer to the dead address goes on paper too, and its row is saved blocked', () => {
			expect(second.get('WH-DEAD-NEW')).toMatchObject({ action: 'paper', level: 1, reason: 'emailBlocked' });
			expect(afterSecond.get('WH-DEAD-NEW')).toMatchObject({ customerId: 'C-WH-DEAD', email: 'nobody@example.test', emailBlocked: true });
		});
	});

	/**
	 * Two overlapping dunning runs: run A released a paper reminder and is still making its letter
	 * when run B, which checked "Not Released Yet" before A inserted, inserts the same key again.
	 * Played with two copies for one invoice: A stops after its insert, B skips the check. Then A
	 * turns out to have been killed there: a later run gives its row back once it is an hour old.
	 */
	describe('a paper reminder released by a run that has not printed it', () => {
		const key = 'OUT-TWICE#1#paper';
		const invoiceId = 'OUT-TWICE';
		const forTheInvoice = (id: string, name: string, rewire: (connections: Record<string, { main: unknown[][] }>) => void): WorkflowJson => {
			const copy = JSON.parse(JSON.stringify(stack.workflows['dunning-run'])) as WorkflowJson & { connections: Record<string, { main: unknown[][] }> };
			const load = copy.nodes.find((n) => n.name === 'Load Open Invoices') as { parameters: Record<string, unknown> };
			load.parameters = { ...load.parameters, matchType: 'allConditions', filters: { conditions: [{ keyName: 'invoiceId', condition: 'eq', keyValue: invoiceId }] } };
			rewire(copy.connections);
			return { ...copy, id, name };
		};

		test('overlapping dunning runs print one letter: the run that inserted a paper reminder second deletes its row and prints nothing', async () => {
			const invoice = { ...stack.invoices[0], invoiceId, invoiceNumber: 'RE-OUT-TWICE', customerId: 'X-TWICE', email: '', currentLevel: 0, lastDunnedAt: null, dunningBlock: false, emailBlocked: false, parked: false, disputed: false, openAmount: 100, dueDate: berlinDay(-30), invoiceDate: berlinDay(-44) };
			const runA = forTheInvoice('dunningRunTwiA1', 'Dunning run A (stops after the release)', (c) => {
				c['Release Reminder'] = { main: [[]] };
			});
			const runB = forTheInvoice('dunningRunTwiB1', 'Dunning run B (checked before A released)', (c) => {
				c['One per Reminder Key'] = { main: [[{ node: 'Release Reminder', type: 'main', index: 0 }]] };
			});
			await stack.n8n.importWorkflows([seedInvoicesWorkflow([invoice], 'seedTwiceInvoi1'), runA, runB]);
			expect((await stack.n8n.runManually('seedTwiceInvoi1')).status).toBe('success');
			expect((await stack.n8n.runManually('dunningRunTwiA1')).status).toBe('success');
			const released = (await stack.table('dunning_reminders')).filter((row) => row.reminderKey === key);
			expect(released.map((row) => row.status)).toEqual(['printing']);
			const r = await stack.n8n.runManually('dunningRunTwiB1');
			expect(r.status).toBe('success');
			expect(nodeOutputs(r.data, 'Release Reminder')[0]?.map((row) => row.reminderKey)).toEqual([key]);
			expect((nodeOutputs(r.data, 'Create Letter')[0] ?? []).map((letter) => letter.invoiceId)).toEqual([]);
			expect(nodeOutputs(r.data, 'Run Summary')[0][0]).toMatchObject({ queuedForPaper: 0, paperReleasedByAnotherRun: 1, lettersCreated: 0 });
			expect((await stack.table('dunning_reminders')).filter((row) => row.reminderKey === key).map((row) => row.id)).toEqual([released[0].id]);
			expect((await stack.table('dunning_invoices')).find((row) => row.invoiceId === invoice.invoiceId)).toMatchObject({ currentLevel: 0 });
		});

		test('run A was killed before printing: its row is left alone for an hour, then given back and the letter made', async () => {
			const runC = forTheInvoice('dunningRunTwiC1', 'Dunning run C (after A was killed)', () => undefined);
			const anHourAgo = new Date(Date.now() - 61 * 60_000).toISOString();
			await stack.n8n.importWorkflows([runC, updateRowsWorkflow('killedRunAged01', 'dunning_reminders', { reminderKey: key }, { releasedAt: anHourAgo })]);
			const rowsOfKey = async () => (await stack.table('dunning_reminders')).filter((row) => String(row.reminderKey).startsWith(key));
			const [rowA] = await rowsOfKey();

			// Released minutes ago: A may still be at work, as in the test before.
			const young = await stack.n8n.runManually('dunningRunTwiC1');
			expect(young.status).toBe('success');
			expect(nodeOutputs(young.data, 'Run Summary')[0][0]).toMatchObject({ interruptedLettersGivenBack: [], lettersCreated: 0 });
			expect((await rowsOfKey()).map((row) => [row.id, row.status])).toEqual([[rowA.id, 'printing']]);

			expect((await stack.n8n.runManually('killedRunAged01')).status).toBe('success');
			const r = await stack.n8n.runManually('dunningRunTwiC1');
			expect(r.status).toBe('success');
			const summary = nodeOutputs(r.data, 'Run Summary')[0][0];
			expect(summary).toMatchObject({ queuedForPaper: 1, lettersCreated: 1, interruptedLettersGivenBack: [{ invoiceId: invoiceId }] });
			expect(String((summary.interruptedLettersGivenBack as Array<{ error: string }>)[0].error)).toMatch(/^The dunning run run-\d+ \(released .+\) stopped before the print batch of this letter was saved/);
			const rows = await rowsOfKey();
			expect(rows.map((row) => [row.status, row.reminderKey])).toEqual([
				['letterFailed', `${key}/letterFailed-${String(rowA.id)}`],
				['paper', key],
			]);
			expect((nodeOutputs(r.data, 'Create Letter')[0] ?? []).map((letter) => letter.invoiceId)).toEqual([invoiceId]);
			expect((await stack.table('dunning_invoices')).find((row) => row.invoiceId === invoiceId)).toMatchObject({ currentLevel: 1 });
		});
	});

	/**
	 * A run that takes over an hour to make its letters (tens of thousands of them: ~17 letters/s) finds
	 * its rows given back by a later run, which takes it for interrupted and prints them. Played by run A,
	 * whose paper row is aged by an hour right after its release and which then calls run B (the shipped
	 * run, as a sub-workflow) before it makes its letter. Only one of them may print it.
	 */
	describe('a dunning run that takes over an hour to make its letters', () => {
		type Connections = Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
		/** A copy of the shipped run that loads only `invoiceId`, with `extra` nodes (wired by `rewire`). */
		const runFor = (id: string, name: string, invoiceId: string, extra: Array<Record<string, unknown>>, rewire: (connections: Connections) => void): WorkflowJson => {
			const copy = JSON.parse(JSON.stringify(stack.workflows['dunning-run'])) as WorkflowJson & { connections: Connections };
			const load = copy.nodes.find((n) => n.name === 'Load Open Invoices') as { parameters: Record<string, unknown> };
			load.parameters = { ...load.parameters, matchType: 'allConditions', filters: { conditions: [{ keyName: 'invoiceId', condition: 'eq', keyValue: invoiceId }] } };
			copy.nodes.push(...extra.map((node, i) => ({ id: `${id}-extra-${i}`, typeVersion: 1.1, ...node })));
			rewire(copy.connections);
			return { ...copy, id, name };
		};
		const positionOf = (wf: WorkflowJson, name: string) => (wf.nodes.find((n) => n.name === name) as { position: [number, number] }).position;
		const updateRow = (name: string, position: [number, number], filter: Record<string, string>, values: Record<string, string>) => ({
			name,
			type: 'n8n-nodes-base.dataTable',
			position,
			parameters: {
				operation: 'update',
				dataTableId: { __rl: true, mode: 'name', value: 'dunning_reminders' },
				matchType: 'allConditions',
				filters: { conditions: Object.entries(filter).map(([keyName, keyValue]) => ({ keyName, condition: 'eq', keyValue })) },
				columns: { mappingMode: 'defineBelow', value: values, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: false },
				options: {},
			},
		});
		const to = (node: string) => ({ node, type: 'main', index: 0 });

		test('the later run gives its row back and prints the letter; the slow run prints nothing and leaves the invoice to it', async () => {
			const invoiceId = 'OUT-HOUR';
			const key = `${invoiceId}#1#paper`;
			const invoice = { ...stack.invoices[0], invoiceId, invoiceNumber: 'RE-OUT-HOUR', customerId: 'X-HOUR', email: '', currentLevel: 0, lastDunnedAt: null, dunningBlock: false, emailBlocked: false, parked: false, disputed: false, openAmount: 100, dueDate: berlinDay(-30), invoiceDate: berlinDay(-44) };
			const runB = runFor('dunningRunSlowB', 'Dunning run B (an hour after A released)', invoiceId, [
				{ name: 'Called by Run A', type: 'n8n-nodes-base.executeWorkflowTrigger', position: [-400, 700], parameters: { inputSource: 'passthrough' } },
			], (c) => {
				c['Called by Run A'] = { main: [[to('Company Details')]] };
			});
			const shipped = stack.workflows['dunning-run'];
			const [px, py] = positionOf(shipped, 'Paper Reminder');
			// Above Paper Reminder: with execution order v1 this branch runs to its end before A makes its letter.
			const runA = runFor('dunningRunSlowA', 'Dunning run A (an hour making its letters)', invoiceId, [
				updateRow('An Hour Passes', [px, py - 300], { id: '={{ $json.id }}' }, { releasedAt: '={{ $now.minus({ minutes: 61 }).toISO() }}' }),
				{
					name: 'Run B Meanwhile',
					type: 'n8n-nodes-base.executeWorkflow',
					typeVersion: 1.2,
					position: [px + 220, py - 300],
					parameters: { source: 'database', workflowId: { __rl: true, mode: 'id', value: 'dunningRunSlowB' }, mode: 'once', options: { waitForSubWorkflow: true } },
				},
			], (c) => {
				c['Released by This Run?'].main[0].push(to('An Hour Passes'));
				c['An Hour Passes'] = { main: [[to('Run B Meanwhile')]] };
			});
			await stack.n8n.importWorkflows([seedInvoicesWorkflow([invoice], 'seedSlowInvoic1'), runB, runA]);
			expect((await stack.n8n.runManually('seedSlowInvoic1')).status).toBe('success');
			const batchesBefore = printBatches();

			const r = await stack.n8n.runManually('dunningRunSlowA');
			ok(r);
			const rows = (await stack.table('dunning_reminders')).filter((row) => String(row.reminderKey).startsWith(key)).sort((a, b) => Number(a.id) - Number(b.id));
			const [rowA, rowB] = rows;
			// A's row given back by B (its key freed), B's row printed: B released the letter again and printed it.
			expect(rows.map((row) => [row.status, row.reminderKey])).toEqual([
				['letterFailed', `${key}/letterFailed-${String(rowA.id)}`],
				['paper', key],
			]);
			expect(String(rowA.error)).toMatch(/^The dunning run run-\d+ \(released .+\) stopped before the print batch of this letter was saved/);
			expect(rowB.runId).not.toBe(rowA.runId);
			// One letter in total: B's batch; A made its letter, found its row gone and printed nothing.
			const newBatches = printBatches().filter((f) => !batchesBefore.includes(f));
			expect(newBatches).toHaveLength(1);
			expect(newBatches[0]).toMatch(new RegExp(`-${String(rowB.runId)}\\.pdf$`));
			expect(pageObjects(readFileSync(newBatches[0]))).toBe(1);
			expect(nodeOutputs(r.data, 'Save Print Batch')).toEqual([]);
			expect(nodeOutputs(r.data, 'Run Summary')[0][0]).toMatchObject({ lettersCreated: 1, lettersTakenOverByAnotherRun: [{ invoiceId }], printBatch: null });
			expect((await stack.table('dunning_invoices')).find((row) => row.invoiceId === invoiceId)).toMatchObject({ currentLevel: 1 });
		});

		test('a row its run marks printed, or renews, after another run read it as interrupted stays its run\'s', async () => {
			const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
			const row = (invoiceId: string) => ({
				reminderKey: `${invoiceId}#1#paper`, invoiceId, invoiceNumber: `RE-${invoiceId}`, customerId: invoiceId, email: '', language: 'de', level: 1, channel: 'paper',
				status: 'printing', runId: 'run-elsewhere', releasedAt: twoHoursAgo, payload: '{}', mailbox: 'default', claimId: '', leaseUntil: 0, retryAfter: 0,
			});
			const ids = ['OUT-RACE-PRINTED', 'OUT-RACE-RENEWED', 'OUT-RACE-KILLED'];
			const shipped = stack.workflows['dunning-run'];
			const [lx, ly] = positionOf(shipped, 'Interrupted Letter');
			// Between this run's read (Find Unprinted Letters) and its give-back, the run that owns the rows
			// saves one's batch (Mark Letters Printed) and confirms another (Confirm Letter Still Ours).
			const runC = runFor('dunningRunRace01', 'Dunning run C (the owner acts meanwhile)', 'OUT-RACE-NONE', [
				updateRow('Owner Marks It Printed', [lx, ly - 300], { id: '={{ $json.id }}', invoiceId: ids[0] }, { status: 'paper' }),
				updateRow('Owner Renews It', [lx, ly - 150], { id: '={{ $json.id }}', invoiceId: ids[1] }, { releasedAt: '={{ $now.toISO() }}' }),
			], (c) => {
				c['Run Interrupted?'].main[0].push(to('Owner Marks It Printed'), to('Owner Renews It'));
			});
			await stack.n8n.importWorkflows([insertRemindersWorkflow('insertRaceRows1', ids.map(row)), runC, updateRowsWorkflow('raceRowPrinted1', 'dunning_reminders', { invoiceId: ids[1] }, { status: 'paper' })]);
			expect((await stack.n8n.runManually('insertRaceRows1')).status).toBe('success');

			const r = await stack.n8n.runManually('dunningRunRace01');
			ok(r);
			const rows = (await stack.table('dunning_reminders')).filter((x) => ids.includes(String(x.invoiceId)));
			const byInvoice = Object.fromEntries(rows.map((x) => [String(x.invoiceId), x]));
			expect(rows).toHaveLength(3);
			expect(byInvoice[ids[0]]).toMatchObject({ status: 'paper', reminderKey: `${ids[0]}#1#paper`, runId: 'run-elsewhere' });
			expect(byInvoice[ids[1]]).toMatchObject({ status: 'printing', reminderKey: `${ids[1]}#1#paper`, runId: 'run-elsewhere' });
			expect(byInvoice[ids[1]].releasedAt).not.toBe(twoHoursAgo);
			// The row nobody touched is given back, as before.
			expect(byInvoice[ids[2]]).toMatchObject({ status: 'letterFailed', reminderKey: `${ids[2]}#1#paper/letterFailed-${String(byInvoice[ids[2]].id)}` });
			const given = nodeOutputs(r.data, 'Run Summary')[0][0].interruptedLettersGivenBack as Array<{ invoiceId: string }>;
			expect(given.map((g) => g.invoiceId).filter((id) => ids.includes(id))).toEqual([ids[2]]);
			// The renewed row's run goes on to print it: marked here as it would, so that no later run finds it.
			expect((await stack.n8n.runManually('raceRowPrinted1')).status).toBe('success');
		});
	});

	// Last in the file: it moves every due invoice one level on.
	test('a stage with channel "none" counts its level: the invoice moves on to it, nothing is released', async () => {
		const copy = JSON.parse(JSON.stringify(stack.workflows['dunning-run'])) as WorkflowJson;
		const compute = copy.nodes.find((n) => n.name === 'Compute Dunning Level') as { parameters: Record<string, unknown> };
		const stage = (n: number) => ({ name: `Übergabe ${n}`, daysAfterPrevious: 14, channel: 'none', fee: 0, chargeInterest: false });
		compute.parameters.stages = { stage: [1, 2, 3, 4, 5].map(stage) };
		// Far enough ahead that no invoice is still waiting for its next stage.
		compute.parameters.options = { asOfDate: berlinDay(60) };
		await stack.n8n.importWorkflows([{ ...copy, id: 'dunningRunNone01', name: 'Dunning run, stages without channel' }]);
		const before = new Map((await stack.table('dunning_invoices')).map((r) => [String(r.invoiceId), r]));
		const remindersBefore = (await stack.table('dunning_reminders')).length;
		const r = await stack.n8n.runManually('dunningRunNone01');
		expect(r.status).toBe('success');
		const counted = (nodeOutputs(r.data, 'Compute Dunning Level')[2] ?? [])
			.map((item) => item as { invoiceId: string; dunning: { reason: string; level: number } })
			.filter((item) => item.dunning.reason === 'noChannel');
		expect(counted.length).toBeGreaterThan(0);
		const after = new Map((await stack.table('dunning_invoices')).map((r) => [String(r.invoiceId), r]));
		for (const { invoiceId, dunning } of counted) {
			expect(dunning.level).toBe(Number(before.get(invoiceId)?.currentLevel) + 1);
			expect(after.get(invoiceId)).toMatchObject({ currentLevel: dunning.level, lastDunnedAt: berlinDay(0) });
		}
		expect((await stack.table('dunning_reminders')).length).toBe(remindersBefore);
	});
});
