/**
 * The shipped workflows in a real n8n, as a user runs them: the pinned n8n CLI, this package installed
 * from its packed tarball as a community package, credentials pointing at the Postfix/Dovecot
 * sandbox, every `workflows/*.json` imported with `n8n import:workflow`, and each run from its Manual
 * Trigger. Data Tables (the default ledger) need n8n's modules, which only the server loads, so these
 * runs go through the server's "Execute workflow" endpoint; the Data-Table-free mailbox check also
 * runs through `n8n execute --id`.
 */
import { describeWithSandbox, searchUids, waitForMessage } from '../servers/sandbox';
import { nodeOutputs } from './n8n';
import { berlinDay } from './sample-data';
import { fastSending, sandboxCredentials, startStack, WEBHOOK_PATH, type Stack } from './stack';

const OUR_PREFIX = 'n8n-nodes-dunning.';

describeWithSandbox('shipped workflows in a real n8n', () => {
	let stack: Stack;

	beforeAll(async () => {
		// The only change to the shipped files: the sender's pause, 60 s by default, is 0 here so that
		// one tick sends every released reminder.
		stack = await startStack({ patch: fastSending, log: (l) => process.stdout.write(`[e2e] ${l}\n`) });
	}, 600_000);

	afterAll(async () => {
		await stack?.dispose();
	});

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

	describe('dunning run', () => {
		let summary: Record<string, unknown>;

		beforeAll(async () => {
			await stack.seedInvoices();
			const r = await stack.n8n.runManually('dunningRun00001');
			expect({ status: r.status, error: r.data?.resultData.error?.message }).toEqual({ status: 'success', error: undefined });
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
			const byInvoice = new Map(rows.map((r) => [String(r.invoiceId), r]));
			// Overdue 30 days, never reminded: first reminder by email.
			expect(byInvoice.get('INV-2026101')).toMatchObject({ status: 'released', level: 1, channel: 'email', reminderKey: 'INV-2026101#1#email' });
			// Reminded 21 days ago at level 1: second level.
			expect(byInvoice.get('INV-2026104')).toMatchObject({ status: 'released', level: 2 });
			// No address, invalid address, blocked address: letters.
			for (const id of ['INV-2026119', 'INV-2026121', 'INV-2026122']) expect(byInvoice.get(id)).toMatchObject({ status: 'paper', channel: 'paper' });
			// Not due, paid, parked, disputed: nothing.
			for (const id of ['INV-2026103', 'INV-2026107', 'INV-2026116', 'INV-2026123']) expect(byInvoice.has(id)).toBe(false);
			const payload = JSON.parse(String(byInvoice.get('INV-2026101')?.payload)) as { dunning: { action: string } };
			expect(payload.dunning.action).toBe('send');
		});

		test('a paper letter moves the invoice to its new level at once', async () => {
			const invoices = new Map((await stack.table('dunning_invoices')).map((r) => [String(r.invoiceId), r]));
			expect(invoices.get('INV-2026119')).toMatchObject({ currentLevel: 1 });
			expect(invoices.get('INV-2026101')).toMatchObject({ currentLevel: 0 });
		});

		test('a second run the same day releases nothing twice', async () => {
			const before = (await stack.table('dunning_reminders')).length;
			const r = await stack.n8n.runManually('dunningRun00001');
			expect(r.status).toBe('success');
			const again = nodeOutputs(r.data, 'Run Summary')[0][0];
			expect(again.releasedForEmail).toBe(0);
			expect(again.queuedForPaper).toBe(0);
			expect((await stack.table('dunning_reminders')).length).toBe(before);
		});
	});

	describe('send released reminders', () => {
		let sentRows: Array<Record<string, unknown>>;

		beforeAll(async () => {
			const r = await stack.n8n.runManually('sendReleased0001');
			expect({ status: r.status, error: r.data?.resultData.error?.message }).toEqual({ status: 'success', error: undefined });
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
		let bouncedKey: string;

		beforeAll(async () => {
			// INV-2026117 went to nobody@example.test, which Dovecot refuses: Postfix returns a DSN.
			const reminders = await stack.table('dunning_reminders');
			const row = reminders.find((r) => r.invoiceId === 'INV-2026117' && r.channel === 'email')!;
			expect(row.status).toBe('sent');
			bouncedKey = String(row.reminderKey);
			// Postfix returns the DSN within a second or so; run the workflow until it has seen it.
			const deadline = Date.now() + 30_000;
			for (;;) {
				const r = await stack.n8n.runManually('bounceProcess001');
				expect({ status: r.status, error: r.data?.resultData.error?.message }).toEqual({ status: 'success', error: undefined });
				summary = nodeOutputs(r.data, 'Bounce Summary')[0][0];
				if ((summary.customersBlocked as string[]).length > 0 || Date.now() > deadline) break;
				await new Promise((res) => setTimeout(res, 1000));
			}
		});

		test('the hard bounce marks the reminder bounced, blocks the customer and takes the level back', async () => {
			expect(summary.hardBounces as number).toBeGreaterThanOrEqual(1);
			expect(summary.customersBlocked).toEqual(['C006']);
			const reminder = (await stack.table('dunning_reminders')).find((r) => r.reminderKey === bouncedKey)!;
			expect(reminder).toMatchObject({ status: 'bounced' });
			expect(String(reminder.bounceReason)).toMatch(/userunknown|5\.1\.1/);
			const invoices = (await stack.table('dunning_invoices')).filter((r) => r.customerId === 'C006');
			expect(invoices.map((r) => r.emailBlocked)).toEqual([true, true]);
			expect(invoices.find((r) => r.invoiceId === 'INV-2026117')).toMatchObject({ currentLevel: 0 });
		});

		test('only the bounce is moved out of the inbox, to Dunning/Bounces', async () => {
			expect(summary.bouncesMoved as number).toBeGreaterThanOrEqual(1);
			expect((await searchUids('dunning', 'Dunning/Bounces', { text: 'INV-2026117' })).length).toBeGreaterThanOrEqual(1);
			expect(await searchUids('dunning', 'INBOX', { text: 'INV-2026117' })).toEqual([]);
		});

		test('reading the same bounce again changes nothing', async () => {
			const r = await stack.n8n.runManually('bounceProcess001');
			expect(r.status).toBe('success');
			const again = nodeOutputs(r.data, 'Bounce Summary')[0]?.[0];
			expect(again?.customersBlocked ?? []).toEqual([]);
		});

		test('the next dunning run puts that invoice on paper', async () => {
			const r = await stack.n8n.runManually('dunningRun00001');
			expect(r.status).toBe('success');
			const rows = await stack.table('dunning_reminders');
			expect(rows.find((row) => row.reminderKey === 'INV-2026117#1#paper')).toMatchObject({ status: 'paper', channel: 'paper' });
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

	test('ERP webhook: answers with a decision per invoice and releases the reminders', async () => {
		const invoices = [
			{ invoiceId: 'HOOK-1', invoiceDate: berlinDay(-34), customerId: 'H1', email: 'alice+hook@example.test', language: 'en', dueDate: berlinDay(-20), openAmount: 99.5, currentLevel: 0 },
			{ invoiceId: 'HOOK-2', invoiceDate: berlinDay(-34), customerId: 'H2', email: '', language: 'de', dueDate: berlinDay(-20), openAmount: 50, currentLevel: 0 },
			{ invoiceId: 'HOOK-3', invoiceDate: berlinDay(-11), customerId: 'H3', email: 'alice+hook@example.test', dueDate: berlinDay(3), openAmount: 10, currentLevel: 0 },
		];
		let res: Response | undefined;
		for (let attempt = 0; attempt < 20; attempt++) {
			// A just-published webhook can answer 404 for a moment after start.
			res = await fetch(`${stack.n8n.baseUrl}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ invoices }),
			});
			if (res.status !== 404) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		expect(res?.status).toBe(200);
		const body = (await res!.json()) as { decisions: Array<{ invoiceId: string; action: string; level: number; reason: string | null }> };
		const byId = new Map(body.decisions.map((d) => [d.invoiceId, d]));
		expect(byId.get('HOOK-1')).toMatchObject({ action: 'send', level: 1 });
		expect(byId.get('HOOK-2')).toMatchObject({ action: 'paper', reason: 'noEmail' });
		expect(byId.get('HOOK-3')).toMatchObject({ action: 'none', reason: 'notDue' });
		const rows = await stack.table('dunning_reminders');
		expect(rows.find((r) => r.reminderKey === 'HOOK-1#1#email')).toMatchObject({ status: 'released' });
		expect(rows.find((r) => r.reminderKey === 'HOOK-2#1#paper')).toMatchObject({ status: 'paper' });
	});
});
