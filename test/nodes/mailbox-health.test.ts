/**
 * Mailbox Health through the real n8n engine: the sender's check, the bounce workflow's count of
 * sender refusals, and a refused login of a real SMTP server while Send Reminder Email sends.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { chain, node, runWorkflow } from '../harness/engine';
import { startTestServer, type TestServer } from '../mail/smtp-test-server';

const USER = 'buchhaltung@shop.example';
const PASSWORD = 'health-Test-Pass';

const bounceItem = (category: string, reason: string, status: string, diagnostic: string, final = true): INodeExecutionData => ({
	json: { subject: 'Undelivered Mail', bounce: { category, final, reason, status, diagnostic, remoteMta: 'mx.kunde.example', originalMessageId: '<r1@shop.example>' } },
});

const health = (item: INodeExecutionData) => item.json.mailboxHealth as IDataObject;

const reminder = (n: number): INodeExecutionData => ({
	json: {
		invoiceId: `inv-${n}`,
		invoiceNumber: `RE-${n}`,
		email: `kunde${n}@kunden.example`,
		language: 'de',
		dueDate: '2026-02-09',
		currency: 'EUR',
		openAmount: 100,
		dunning: { action: 'send', level: 1, stageName: 'Zahlungserinnerung', fee: 0, flatFee: 0, interest: 0, totalDue: 100, deadline: '2099-03-02' },
	},
});

/** Send Reminder Email (Continue On Fail) → Record Send Result, against a real SMTP server on `port`. */
const sendThenRecord = (workflowId: string, port: number, password: string, items: INodeExecutionData[]) =>
	runWorkflow({
		workflowId,
		nodes: [
			node('sendReminderEmail', 'Send', { operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, options: { retryDelaySeconds: 0 } }, {
				credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'Shop mailbox' } },
				onError: 'continueRegularOutput',
			}),
			node('mailboxHealth', 'Record Send Result', { operation: 'recordSendResult', mailbox: 'shop', mailboxRow: {} }),
		],
		connections: chain('Send', 'Record Send Result'),
		input: { node: 'Send', items },
		credentials: {
			'smtp-1': { host: '127.0.0.1', port, security: 'none', user: USER, password, fromAddress: USER, fromName: 'Beispiel Shop GmbH', replyTo: '', bcc: '', allowSelfSigned: false },
		},
	});

describe('Mailbox Health node (real n8n engine)', () => {
	it('passes the items on while the mailbox is ok, and fails naming cause and fix while it is paused', async () => {
		const items = [{ json: { mailbox: 'default', nextSendAt: 5 } }];
		const ok = await runWorkflow({ nodes: [node('mailboxHealth', 'Check', { operation: 'check' })], input: { node: 'Check', items } });
		expect(ok.status).toBe('success');
		expect(ok.items('Check').map((i) => i.json)).toEqual([{ mailbox: 'default', nextSendAt: 5 }]);

		const message = 'Sending from mailbox "default" is paused: reminders were refused because of DMARC (5.7.26). Fix: add the SMTP host …';
		const paused = await runWorkflow({
			nodes: [node('mailboxHealth', 'Check', { operation: 'check' })],
			input: { node: 'Check', items: [{ json: { mailbox: 'default', status: 'paused', statusReason: 'dmarc', statusMessage: message, statusSince: '2026-11-23T10:00:00Z' } }] },
		});
		expect(paused.status).toBe('error');
		expect(paused.error?.message).toBe(message);
		expect(paused.error?.description).toMatch(/^Paused since 2026-11-23T10:00:00Z \(cause: dmarc\)\. Nothing was sent/);
	});

	it('check: a status other than "ok", empty or "paused" (a pause by hand in other words) stops sending, naming the field, the value and what is expected', async () => {
		const check = (status: unknown, onError?: 'continueErrorOutput') =>
			runWorkflow({
				nodes: [node('mailboxHealth', 'Check', { operation: 'check', mailbox: 'default', mailboxRow: JSON.stringify({ mailbox: 'default', status, statusReason: 'manual', statusMessage: 'Paused by hand' }) }, onError ? { onError } : {})],
				input: { node: 'Check', items: [{ json: { invoiceId: 'A' } }, { json: { invoiceId: 'B' } }] },
			});
		for (const status of ['pause', 'stopped', 'gesperrt', 'disabled', 'okay', true, 1]) {
			const r = await check(status);
			expect(r.status).toBe('error');
			expect(r.error?.message).toBe(
				`Sending from mailbox "default" is stopped: the field "status" of its row in dunning_mailboxes is ${JSON.stringify(status)}, which is neither "ok" nor "paused", so it is read as paused. Set status to "paused" to keep the mailbox paused, or to "ok" to resume sending.`,
			);
			expect(r.error?.description).toMatch(/^Field "status" of the Mailbox Row: expected "ok" \(send\) or "paused"\. Nothing was sent/);
			expect(r.items('Check')).toEqual([]);
			// With the error output on, every item goes there, none on to sending.
			const [ok, errors] = (await check(status, 'continueErrorOutput')).outputs('Check');
			expect(ok).toEqual([]);
			expect(errors.map((i) => i.json.error)).toEqual([r.error?.message, r.error?.message]);
		}
		for (const status of ['ok', ' OK ', '', null]) {
			const r = await check(status);
			expect(r.status).toBe('success');
			expect(r.items('Check').map((i) => i.json.invoiceId)).toEqual(['A', 'B']);
		}
		for (const status of ['paused', 'PAUSED ']) expect((await check(status)).error?.message).toBe('Paused by hand');
	});

	it('record: a row whose status is of other words counts the refusals on as for a paused mailbox, pauses nothing now, and says so', async () => {
		const row = { mailbox: 'default', status: 'stopped', statusReason: '', statusMessage: '', statusSince: '', senderRejections: 1, recentRejections: '[]' };
		const refusals = ['a@kunde-a.example', 'b@kunde-b.example', 'c@kunde-c.example'].map((recipient) => {
			const item = bounceItem('senderRejected', 'blocked', '5.7.1', 'listed at zen.spamhaus.org');
			Object.assign(item.json.bounce as IDataObject, { recipient });
			return item;
		});
		const r = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailbox: 'default', mailboxRow: JSON.stringify(row) })], input: { node: 'Record', items: refusals } });
		expect(r.status).toBe('success');
		const out = r.items('Record');
		const problem = 'Sending from mailbox "default" is stopped: the field "status" of its row in dunning_mailboxes is "stopped", which is neither "ok" nor "paused", so it is read as paused. Set status to "paused" to keep the mailbox paused, or to "ok" to resume sending.';
		expect(out.map((i) => health(i).counted)).toEqual([true, true, true]);
		// Counted (the shipped Save writes the counts), not paused now (so it leaves the status cell as the operator wrote it).
		expect(health(out[0])).toMatchObject({ status: 'paused', senderRejections: 4, pausedNow: false, changed: true, statusProblem: problem, statusMessage: problem });
		expect(r.run.data.resultData.runData.Record[0].hints).toEqual([expect.objectContaining({ type: 'warning', message: problem })]);
		// A row that says ok has no problem to tell.
		const ok = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailbox: 'default', mailboxRow: JSON.stringify({ ...row, status: 'ok' }) })], input: { node: 'Record', items: refusals } });
		expect(health(ok.items('Record')[0])).toMatchObject({ status: 'paused', pausedNow: true, statusProblem: null });
	});

	it('record without Continue On Fail: one item that is no Classify Bounce result comes out with its error, and the others\' refusals are counted and pause the mailbox', async () => {
		const refusal = (recipient: string): INodeExecutionData => {
			const item = bounceItem('senderRejected', 'blocked', '5.7.1', 'listed at zen.spamhaus.org');
			Object.assign(item.json.bounce as IDataObject, { recipient });
			return item;
		};
		const items = [refusal('a@kunde-a.example'), refusal('b@kunde-b.example'), { json: { error: 'Item 2: field "raw" does not hold the email source as text' } }, refusal('c@kunde-c.example')];
		const r = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailbox: 'default', mailboxRow: {} })], input: { node: 'Record', items } });
		expect(r.status).toBe('success');
		const out = r.items('Record');
		expect(out).toHaveLength(4);
		expect(out.map((i) => [i.pairedItem, health(i).counted])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, true],
			[{ item: 2 }, false],
			[{ item: 3 }, true],
		]);
		expect(out[2].json.error).toBe('Item 2: field "bounce" is missing: connect an output of Classify Bounce, or keep its "bounce" field when you reshape the item');
		expect(health(out[0])).toMatchObject({ status: 'paused', statusReason: 'blocklist', senderRejections: 3, pausedNow: true, changed: true });
		expect(health(out[2])).toEqual({ ...health(out[0]), counted: false });
	});

	it('counts final sender refusals only, and pauses at the third with the blocklist advice', async () => {
		const items = [
			bounceItem('senderRejected', 'blocked', '5.7.1', 'listed at zen.spamhaus.org'),
			bounceItem('addressDead', 'userunknown', '5.1.1', 'no such user'),
			bounceItem('senderRejected', 'blocked', '4.7.1', 'try later', false),
			bounceItem('senderRejected', 'blocked', '5.7.1', 'listed at zen.spamhaus.org'),
		];
		const record = (row: IDataObject) =>
			runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailbox: 'default', mailboxRow: JSON.stringify(row) })], input: { node: 'Record', items } });
		const first = await record({});
		expect(first.status).toBe('success');
		const out = first.items('Record');
		expect(out).toHaveLength(4);
		expect(out.map((i) => health(i).counted)).toEqual([true, false, false, true]);
		expect(health(out[0])).toMatchObject({ mailbox: 'default', status: 'ok', senderRejections: 2, pausedNow: false });
		// The stored row after one more refusal earlier today: now three within 24 h.
		const earlier = Date.now() - 3_600_000;
		const second = await record({ mailbox: 'default', status: 'ok', senderRejections: 1, recentRejections: JSON.stringify([earlier]) });
		const paused = health(second.items('Record')[0]);
		expect(paused).toMatchObject({ status: 'paused', statusReason: 'blocklist', senderRejections: 3, pausedNow: true, recentRejections: '[]' });
		expect(String(paused.statusMessage)).toMatch(/^Sending from mailbox "default" is paused: reminders were refused by mx\.kunde\.example because of a block of the sending server \(blocklist\) \(5\.7\.1\) \(refused for 3 recipients within 24 h\)\. Fix: .*delisted.*set status to "ok"/);
	});

	it('counts a refusal by when its report arrived (Read Mailbox\'s internalDate), so reports read late are no burst', async () => {
		const day = 86_400_000;
		const arrived = (daysAgo: number, recipient: string): INodeExecutionData => {
			const item = bounceItem('senderRejected', 'blocked', '5.7.1', 'listed at zen.spamhaus.org');
			Object.assign(item.json, { internalDate: new Date(Date.now() - daysAgo * day).toISOString() });
			Object.assign(item.json.bounce as IDataObject, { recipient });
			return item;
		};
		const late = await runWorkflow({
			nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailbox: 'default', mailboxRow: {} })],
			input: { node: 'Record', items: [arrived(6, 'a@kunde-a.example'), arrived(3, 'b@kunde-b.example'), arrived(0.1, 'c@kunde-c.example')] },
		});
		expect(health(late.items('Record')[0])).toMatchObject({ status: 'ok', senderRejections: 3, pausedNow: false });
		const burst = await runWorkflow({
			nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailbox: 'default', mailboxRow: {} })],
			input: { node: 'Record', items: [arrived(0.3, 'a@kunde-a.example'), arrived(0.2, 'b@kunde-b.example'), arrived(0.1, 'c@kunde-c.example')] },
		});
		expect(health(burst.items('Record')[0])).toMatchObject({ status: 'paused', pausedNow: true });
	});

	describe('after a resume (the row: status "ok", statusSince when the last pause began, a day ago)', () => {
		const hour = 3_600_000;
		const pausedAt = Date.now() - 24 * hour;
		const row = { mailbox: 'default', status: 'ok', statusReason: '', statusMessage: '', statusSince: new Date(pausedAt).toISOString(), senderRejections: 1, recentRejections: '[]' };
		// A DMARC refusal that arrived an hour ago, of a reminder whose row says `sentAt` (to `recipient`, when given).
		const dmarcOf = (sentAt: unknown, recipient?: string): INodeExecutionData => {
			const item = bounceItem('senderRejected', 'authfailure', '5.7.26', "Unauthenticated email is not accepted due to domain's DMARC policy");
			Object.assign(item.json, { internalDate: new Date(Date.now() - hour).toISOString(), sentAt });
			if (recipient) Object.assign(item.json.bounce as IDataObject, { recipient });
			return item;
		};
		const record = async (items: INodeExecutionData[], mailboxRow: IDataObject = row) => {
			const r = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailbox: 'default', mailboxRow: JSON.stringify(mailboxRow) })], input: { node: 'Record', items } });
			expect(r.status).toBe('success');
			return health(r.items('Record')[0]);
		};

		it('a refusal of a reminder sent before the pause began (reported late) counts, but does not pause again', async () => {
			for (const sentAt of [new Date(pausedAt - 2 * hour).toISOString(), pausedAt - 2 * hour]) {
				expect(await record([dmarcOf(sentAt)])).toMatchObject({ status: 'ok', senderRejections: 2, recentRejections: '[]', counted: true, changed: true, pausedNow: false });
			}
		});

		it('the row keeps the last pause\'s cause (statusReason): a refusal of that cause sent before the pause does not pause again, one of another cause counts as any other', async () => {
			const sentBefore = new Date(pausedAt - 2 * hour).toISOString();
			const afterDmarc = await record([dmarcOf(sentBefore, 'a@kunde-a.example'), dmarcOf(sentBefore, 'b@kunde-b.example')], { ...row, statusReason: 'dmarc' });
			expect(afterDmarc).toMatchObject({ status: 'ok', statusReason: 'dmarc', statusMessage: '', senderRejections: 3, recentRejections: '[]', counted: true, pausedNow: false });
			// Returned DMARC refusals after a login pause: counted in the window; two customers' pause.
			const oneAfterLogin = await record([dmarcOf(sentBefore, 'a@kunde-a.example')], { ...row, statusReason: 'login' });
			expect(oneAfterLogin).toMatchObject({ status: 'ok', statusReason: 'login', senderRejections: 2, counted: true, changed: true, pausedNow: false });
			expect(JSON.parse(String(oneAfterLogin.recentRejections))).toHaveLength(1);
			const afterLogin = await record([dmarcOf(sentBefore, 'a@kunde-a.example'), dmarcOf(sentBefore, 'b@kunde-b.example')], { ...row, statusReason: 'login' });
			expect(afterLogin).toMatchObject({ status: 'paused', statusReason: 'dmarc', senderRejections: 3, counted: true, pausedNow: true });
			expect(String(afterLogin.statusMessage)).toContain('because of DMARC (5.7.26) (refused for 2 recipients within 24 h). Fix: ');
		});

		it('reminders sent after the resume count as before (returned DMARC refusals of two customers pause), and so do ones whose sentAt is missing or unreadable', async () => {
			const sentAfter = new Date(Date.now() - 2 * hour).toISOString();
			const after = await record([dmarcOf(sentAfter, 'a@kunde-a.example'), dmarcOf(sentAfter, 'b@kunde-b.example')]);
			expect(after).toMatchObject({ status: 'paused', statusReason: 'dmarc', senderRejections: 3, pausedNow: true });
			expect(Date.parse(String(after.statusSince))).toBeGreaterThan(pausedAt);
			// Unknown, not a time, a bare date (its midnight may lie before the pause), seconds for milliseconds.
			const day = new Date(pausedAt).toISOString().slice(0, 10);
			for (const sentAt of [undefined, null, '', 'yesterday', day, Math.floor(pausedAt / 1000 - 7200), { at: 1 }]) {
				expect(await record([dmarcOf(sentAt, 'a@kunde-a.example'), dmarcOf(sentAt, 'b@kunde-b.example')])).toMatchObject({ status: 'paused', pausedNow: true });
			}
		});
	});

	it('record send result: a refusal while sending after a resume pauses as before (sent now, after the pause)', async () => {
		const row = { mailbox: 'shop', status: 'ok', statusSince: new Date(Date.now() - 86_400_000).toISOString(), senderRejections: 1, recentRejections: '[]' };
		const dmarc = { status: 'failed', reason: 'rejected', category: 'senderRejected', bounceReason: 'authfailure', smtpStatus: '5.7.26', smtpResponse: "550 5.7.26 not accepted due to domain's DMARC policy" };
		const r = await runWorkflow({
			nodes: [node('mailboxHealth', 'Record', { operation: 'recordSendResult', mailbox: 'shop', mailboxRow: JSON.stringify(row) })],
			input: { node: 'Record', items: [{ json: { invoiceId: 'inv-1', email: 'a@kunde.example', sentAt: '2020-01-01T00:00:00.000Z', delivery: dmarc } }] },
		});
		expect(health(r.items('Record')[0])).toMatchObject({ status: 'paused', statusReason: 'dmarc', senderRejections: 2, pausedNow: true });
	});

	it('refuses a Mailbox Row that is not the mailbox\'s row (the default {{ $json }} under a Record operation is the bounce), naming the field', async () => {
		const items = [bounceItem('senderRejected', 'blocked', '5.7.1', 'listed at zen.spamhaus.org')];
		const asDefault = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailbox: 'default' })], input: { node: 'Record', items } });
		expect(asDefault.status).toBe('error');
		expect(asDefault.error?.message).toMatch(/^Item 0: "Mailbox Row" is no row of dunning_mailboxes \(it has no "mailbox" field\)/);
		const other = await runWorkflow({
			nodes: [node('mailboxHealth', 'Check', { operation: 'check', mailbox: 'shop', mailboxRow: JSON.stringify({ mailbox: 'default', status: 'ok' }) })],
			input: { node: 'Check', items },
		});
		expect(other.error?.message).toBe('Item 0: "Mailbox Row" is the row of mailbox "default", not of "shop" (the Mailbox field) (read once per run, from the first item)');
	});

	it('a DMARC refusal behind the customer\'s forward counts, but does not pause at once (RFC 7960: the forward broke it)', async () => {
		const dmarc = bounceItem('senderRejected', 'authfailure', '5.7.26', "Unauthenticated email is not accepted due to domain's DMARC policy");
		Object.assign(dmarc.json.bounce as IDataObject, { recipient: 'kunde.privat@gmail.com', originalRecipient: 'einkauf@kunde.example' });
		const r = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailboxRow: {} })], input: { node: 'Record', items: [dmarc] } });
		expect(health(r.items('Record')[0])).toMatchObject({ status: 'ok', senderRejections: 1, counted: true, pausedNow: false });
		// Nor with another customer's returned DMARC refusal: two recipients, only one of them a failed check of ours.
		const other = bounceItem('senderRejected', 'authfailure', '5.7.26', "Unauthenticated email is not accepted due to domain's DMARC policy");
		Object.assign(other.json.bounce as IDataObject, { recipient: 'buchhaltung@zwei.example' });
		const withOther = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailboxRow: {} })], input: { node: 'Record', items: [dmarc, other] } });
		expect(health(withOther.items('Record')[0])).toMatchObject({ status: 'ok', senderRejections: 2, pausedNow: false });
		// The same address in Unicode and in ASCII (IDNA) is no forward: with the other customer's, it pauses.
		Object.assign(dmarc.json.bounce as IDataObject, { recipient: 'einkauf@xn--mller-kva.example', originalRecipient: 'einkauf@müller.example' });
		const same = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailboxRow: {} })], input: { node: 'Record', items: [dmarc, other] } });
		expect(health(same.items('Record')[0])).toMatchObject({ status: 'paused', statusReason: 'dmarc' });
	});

	it('a returned DMARC refusal pauses with a second customer\'s, not alone (a report can be forged); the threshold and window are settings', async () => {
		const dmarc = (recipient: string) => {
			const item = bounceItem('senderRejected', 'authfailure', '5.7.26', "Unauthenticated email is not accepted due to domain's DMARC policy");
			Object.assign(item.json.bounce as IDataObject, { recipient });
			return item;
		};
		const alone = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailboxRow: {} })], input: { node: 'Record', items: [dmarc('a@kunde-a.example')] } });
		expect(health(alone.items('Record')[0])).toMatchObject({ status: 'ok', senderRejections: 1, counted: true, pausedNow: false });
		const r = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailboxRow: {} })], input: { node: 'Record', items: [dmarc('a@kunde-a.example'), dmarc('b@kunde-b.example')] } });
		expect(health(r.items('Record')[0])).toMatchObject({ status: 'paused', statusReason: 'dmarc' });
		expect(String(health(r.items('Record')[0]).statusMessage)).toContain("because of DMARC (5.7.26) (refused for 2 recipients within 24 h). Fix: add the SMTP host to the domain's SPF record");
		const one = bounceItem('senderRejected', 'spamdetected', '5.7.1', 'spam');
		const strict = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', rejectionsToPause: 1, mailboxRow: {} })], input: { node: 'Record', items: [one] } });
		expect(health(strict.items('Record')[0])).toMatchObject({ status: 'paused', statusReason: 'spam' });
		const bad = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', rejectionsToPause: 0, mailboxRow: {} })], input: { node: 'Record', items: [one] } });
		expect(bad.error?.message).toMatch(/"Refusals That Pause" must be a whole number of at least 1/);
	});

	// Read as every number setting is (nodes/shared/number-setting.ts): true was 1 refusal, [2] was 2.
	it('threshold and window are numbers or numbers given as text; anything else fails naming the setting and showing the value', async () => {
		const one = bounceItem('senderRejected', 'spamdetected', '5.7.1', 'spam');
		const record = (settings: INodeParameters) =>
			runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordRefusals', mailboxRow: {}, ...settings })], input: { node: 'Record', items: [one] } });
		const asText = await record({ rejectionsToPause: '={{ "1" }}', windowHours: '={{ "0.5" }}' });
		expect(health(asText.items('Record')[0])).toMatchObject({ status: 'paused', statusReason: 'spam' });
		const once = '(read once per run, from the first item)';
		for (const [settings, message] of [
			[{ rejectionsToPause: '={{ true }}' }, `Item 0: "Refusals That Pause" must be a whole number of at least 1, not true ${once}`],
			[{ rejectionsToPause: '={{ [2] }}' }, `Item 0: "Refusals That Pause" must be a whole number of at least 1, not [2] ${once}`],
			[{ rejectionsToPause: '={{ "" }}' }, `Item 0: "Refusals That Pause" must be a whole number of at least 1, not empty ${once}`],
			[{ windowHours: 0 }, `Item 0: "Window (Hours)" must be a number above 0, not 0 ${once}`],
			[{ windowHours: '={{ NaN }}' }, `Item 0: "Window (Hours)" must be a number above 0, not NaN ${once}`],
		] as const) {
			expect((await record(settings)).error?.message).toBe(message);
		}
	});

	it('record send result: reminders the SMTP server refused because of our sender count as bounces do; other failures do not', async () => {
		const delivery = (status: string, extra: IDataObject = {}): INodeExecutionData => ({ json: { invoiceId: 'inv-1', delivery: { status, messageId: '<m@shop.example>', ...extra } } });
		const spam = { reason: 'rejected', category: 'senderRejected', bounceReason: 'spamdetected', smtpStatus: '5.7.1', smtpCode: 554, smtpResponse: '554 5.7.1 Message rejected as spam' };
		const items = [
			delivery('failed', spam),
			delivery('failed', { reason: 'rejected', category: 'addressDead', bounceReason: 'userunknown', smtpStatus: '5.1.1', smtpResponse: '550 5.1.1 User unknown' }),
			delivery('failed', { reason: 'invalidInput', error: 'Item 2: no level' }),
			delivery('sent'),
			delivery('failed', spam),
		];
		const record = (row: IDataObject) =>
			runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordSendResult', mailbox: 'shop', mailboxRow: JSON.stringify(row) })], input: { node: 'Record', items } });
		const first = await record({});
		const out = first.items('Record');
		expect(out.map((i) => health(i).counted)).toEqual([true, false, false, false, true]);
		expect(health(out[0])).toMatchObject({ status: 'ok', senderRejections: 2, pausedNow: false, changed: true, stopMessage: null });
		// One more earlier today: the third within 24 h pauses the mailbox, and the sender's run fails with cause and fix.
		const second = await record({ mailbox: 'shop', status: 'ok', senderRejections: 1, recentRejections: JSON.stringify([Date.now() - 3_600_000]) });
		const paused = health(second.items('Record')[0]);
		expect(paused).toMatchObject({ status: 'paused', statusReason: 'spam', senderRejections: 3, pausedNow: true, changed: true });
		expect(paused.stopMessage).toBe(paused.statusMessage);
		expect(String(paused.statusMessage)).toMatch(/^Sending from mailbox "shop" is paused: reminders were refused because of .*\(refused for 3 recipients within 24 h\)\. Fix: .*set status to "ok"/);
		// Nothing to count: the row stays as it was.
		const quiet = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation: 'recordSendResult', mailboxRow: {} })], input: { node: 'Record', items: [items[1], items[3]] } });
		expect(health(quiet.items('Record')[0])).toMatchObject({ status: 'ok', senderRejections: 0, changed: false, stopMessage: null });
	});

	it('record send result: a DMARC refusal by a real SMTP server after DATA pauses the mailbox at once', async () => {
		const server = await startTestServer({
			security: 'none',
			users: { [USER]: PASSWORD },
			onData: () => ({ code: 550, message: "5.7.26 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy" }),
		});
		try {
			const r = await sendThenRecord('wf-health-dmarc', server.port, PASSWORD, [reminder(1)]);
			const out = r.items('Record Send Result');
			expect(out[0].json.delivery).toMatchObject({ status: 'failed', category: 'senderRejected', bounceReason: 'authfailure', smtpStatus: '5.7.26' });
			const h = health(out[0]);
			expect(h).toMatchObject({ status: 'paused', statusReason: 'dmarc', pausedNow: true, counted: true });
			expect(String(h.stopMessage)).toContain("because of DMARC (5.7.26). Fix: add the SMTP host to the domain's SPF record");
		} finally {
			await server.close();
		}
	});

	it('record send result: a reminder that misses its slot for a slow login in two runs in a row fails the run as stalled, without pausing', async () => {
		const server = await startTestServer({ security: 'none', users: { [USER]: PASSWORD }, loginDelayMs: 4000 });
		try {
			// A claimed reminder as the shipped sender hands it over: its slot 3 s ahead, the row's last error.
			// The engine may take 2 s to reach the node in a busy test worker; the login takes longer than the slot allows.
			const claimed = (previousError: string): INodeExecutionData => {
				const now = Date.now();
				const item = reminder(1);
				return { json: { ...item.json, claim: { rowId: 7, id: 'exec-1', notBefore: now + 3000, notAfter: now + 3100, leaseUntil: now + 600_000, previousError } } };
			};
			const first = (await sendThenRecord('wf-health-slot-1', server.port, PASSWORD, [claimed('')])).items('Record Send Result');
			const firstError = String((first[0].json.delivery as IDataObject).error);
			expect(first[0].json.delivery).toMatchObject({ status: 'notSent', reason: 'slotMissed', leadTooShort: true });
			expect(health(first[0])).toMatchObject({ status: 'ok', stopMessage: null, changed: false });

			const second = (await sendThenRecord('wf-health-slot-2', server.port, PASSWORD, [claimed(firstError)])).items('Record Send Result');
			expect(second[0].json.delivery).toMatchObject({ status: 'notSent', reason: 'slotMissed', leadTooShort: true });
			expect(health(second[0])).toMatchObject({ status: 'ok', pausedNow: false, changed: false });
			expect(String(health(second[0]).stopMessage)).toMatch(
				/^Sending from mailbox "shop" is stalled: the reminder for invoice RE-1 missed its sending slot in two runs in a row, because the lead before the first slot is too short \(this run: connecting and logging in took [4-9]\.\d s\).*Fix: raise "Connection Lead \(Seconds\)"/,
			);
			expect(server.received).toHaveLength(0);
		} finally {
			await server.close();
		}
	});

	describe('after Send Reminder Email', () => {
		let server: TestServer;
		beforeEach(async () => (server = await startTestServer({ security: 'none', users: { [USER]: PASSWORD } })));
		afterEach(async () => await server.close());

		const run = (password: string) => sendThenRecord(`wf-health-${password}`, server.port, password, [reminder(1), reminder(2)]);

		it('a refused login pauses the mailbox with the login advice, and no secret in it', async () => {
			const r = await run('wrong-password');
			expect(r.status).toBe('success');
			const out = r.items('Record Send Result');
			expect(out.map((i) => (i.json.delivery as IDataObject).status)).toEqual(['notSent', 'notSent']);
			const h = health(out[0]);
			expect(h).toMatchObject({ mailbox: 'shop', status: 'paused', statusReason: 'login', pausedNow: true });
			expect(h.stopMessage).toBe(h.statusMessage);
			expect(String(h.statusMessage)).toMatch(/^Sending from mailbox "shop" is paused: Authentication failed .*Fix: check user and password/);
			expect(JSON.stringify(out)).not.toContain('wrong-password');
		});

		it('a run that went through changes nothing', async () => {
			const r = await run(PASSWORD);
			const out = r.items('Record Send Result');
			expect(out.map((i) => (i.json.delivery as IDataObject).status)).toEqual(['sent', 'sent']);
			expect(health(out[0])).toMatchObject({ status: 'ok', pausedNow: false, stopMessage: null });
			expect(server.received).toHaveLength(2);
		});
	});
});

describe('Mailbox Health node: Continue (using error output)', () => {
	// Fed by a node before it, as in a workflow: n8n adds the input item's fields to an error item.
	const fed = (parameters: INodeParameters, items: INodeExecutionData[], onError?: 'continueErrorOutput' | 'continueRegularOutput') =>
		runWorkflow({
			nodes: [node('noOp', 'Feed'), node('mailboxHealth', 'Health', parameters, onError ? { onError } : {})],
			connections: chain('Feed', 'Health'),
			input: { node: 'Feed', items },
		});
	const pausedRow = { mailbox: 'default', status: 'paused', statusReason: 'login', statusMessage: 'Sending from mailbox "default" is paused: Authentication failed. Fix: check user and password', statusSince: '2026-11-23T10:00:00Z' };

	it('check: while paused, every item goes to the error output with cause and fix, none to the success output', async () => {
		const r = await fed({ operation: 'check' }, [{ json: pausedRow }, { json: { note: 'second' } }], 'continueErrorOutput');
		expect(r.status).toBe('success');
		const [ok, errors] = r.outputs('Health');
		expect(ok).toEqual([]);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// Exactly the input item plus `error` (cause and fix): n8n put the input fields back; the node added nothing else.
		expect(errors[0].json).toEqual({ ...pausedRow, error: pausedRow.statusMessage });
		expect(errors[1].json).toEqual({ note: 'second', error: pausedRow.statusMessage });

		const open = await fed({ operation: 'check' }, [{ json: { mailbox: 'default', status: 'ok' } }], 'continueErrorOutput');
		expect(open.outputs('Health')).toEqual([[{ json: { mailbox: 'default', status: 'ok' }, pairedItem: { item: 0 } }], []]);
	});

	it('record sender refusals: an item that is no Classify Bounce result goes to the error output, named; the others are counted', async () => {
		const items = [
			bounceItem('senderRejected', 'blocked', '5.7.1', 'listed at zen.spamhaus.org'),
			{ json: { subject: 'Re: Rechnung RE-1' } },
			{ json: { bounce: { category: 'senderRejected', final: 'no', reason: 'blocked' } } },
			bounceItem('senderRejected', 'blocked', '5.7.1', 'listed at zen.spamhaus.org'),
		];
		const r = await fed({ operation: 'recordRefusals', mailboxRow: {} }, items, 'continueErrorOutput');
		expect(r.status).toBe('success');
		const [ok, errors] = r.outputs('Health');
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
		expect(ok.map((i) => health(i))).toEqual([
			expect.objectContaining({ status: 'ok', senderRejections: 2, counted: true }),
			expect.objectContaining({ status: 'ok', senderRejections: 2, counted: true }),
		]);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		// Exactly the input item plus `error`, which names item and field.
		expect(errors[0].json).toEqual({ ...items[1].json, error: expect.stringMatching(/^Item 1: field "bounce" is missing: connect an output of Classify Bounce/) });
		expect(errors[1].json).toEqual({ ...items[2].json, error: 'Item 2: field "bounce.final" must be true or false, not "no"' });

		// Without Continue On Fail the bad items come out on the one output, each with its error; the good ones are counted all the same.
		const strict = await fed({ operation: 'recordRefusals', mailboxRow: {} }, items);
		expect(strict.status).toBe('success');
		const all = strict.items('Health');
		expect(all.map((i) => [i.pairedItem, health(i).counted, i.json.error ?? null])).toEqual([
			[{ item: 0 }, true, null],
			[{ item: 1 }, false, expect.stringMatching(/^Item 1: field "bounce" is missing/)],
			[{ item: 2 }, false, 'Item 2: field "bounce.final" must be true or false, not "no"'],
			[{ item: 3 }, true, null],
		]);
		expect(health(all[1])).toEqual({ ...health(all[0]), counted: false });
	});

	it('record send result: an item without a delivery goes to the error output, named; a stop in the others still pauses the mailbox', async () => {
		const stopped = { invoiceId: 'inv-1', delivery: { status: 'notSent', reason: 'runStopped', stopKind: 'auth', error: 'Authentication failed: 535 5.7.8 credentials invalid' } };
		const items = [{ json: stopped }, { json: { invoiceId: 'inv-2' } }];
		const r = await fed({ operation: 'recordSendResult', mailbox: 'shop', mailboxRow: {} }, items, 'continueErrorOutput');
		expect(r.status).toBe('success');
		const [ok, errors] = r.outputs('Health');
		expect(ok).toHaveLength(1);
		expect(health(ok[0])).toMatchObject({ mailbox: 'shop', status: 'paused', statusReason: 'login', pausedNow: true });
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toEqual({ invoiceId: 'inv-2', error: expect.stringMatching(/^Item 1: field "delivery" is missing: connect the output of Send Reminder Email/) });
		expect(errors[0].pairedItem).toEqual({ item: 1 });

		// On the regular output the failed item comes first here, as a Save reading the first item sees it:
		// it carries the error and the run's health (not counted), so the pause is written all the same.
		const regular = await fed({ operation: 'recordSendResult', mailbox: 'shop', mailboxRow: {} }, [items[1], items[0]], 'continueRegularOutput');
		const [all] = regular.outputs('Health');
		expect(all.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(all[0].json).toMatchObject({ invoiceId: 'inv-2', error: expect.stringMatching(/^Item 0: field "delivery" is missing/) });
		expect(health(all[0])).toMatchObject({ status: 'paused', statusReason: 'login', pausedNow: true, changed: true, counted: false });
		expect(health(all[0])).toEqual({ ...health(all[1]), counted: false });
		expect(all[1].json.error).toBeUndefined();

		// Without Continue On Fail: as on the regular output; the stop still pauses the mailbox.
		const strict = await fed({ operation: 'recordSendResult', mailbox: 'shop', mailboxRow: {} }, items);
		expect(strict.status).toBe('success');
		const [stop, bad] = strict.items('Health');
		expect(health(stop)).toMatchObject({ status: 'paused', statusReason: 'login', pausedNow: true, changed: true });
		expect(bad.json).toMatchObject({ invoiceId: 'inv-2', error: expect.stringMatching(/^Item 1: field "delivery" is missing/), mailboxHealth: { status: 'paused', counted: false } });
	});

	it('a Mailbox Row that is no JSON object fails every item of the run, naming the first item and the field', async () => {
		const items = [bounceItem('senderRejected', 'blocked', '5.7.1', 'listed'), { json: { n: 2 } }];
		for (const mailboxRow of ['{"status": "paused"', '[1, 2]']) {
			const r = await fed({ operation: 'recordRefusals', mailboxRow }, items, 'continueErrorOutput');
			const [ok, errors] = r.outputs('Health');
			expect(ok).toEqual([]);
			expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			// One message for the run, naming the first item and the field; each error item is its input item plus it.
			const message = String(errors[1].json.error);
			expect(message).toMatch(/^Item 0: "Mailbox Row" (is not valid JSON|must be one row of dunning_mailboxes).*\(read once per run, from the first item\)$/);
			expect(errors.map((i) => i.json)).toEqual(items.map((i) => ({ ...i.json, error: message })));
		}
		const strict = await fed({ operation: 'check', mailboxRow: '{"status": "paused"' }, items);
		expect(strict.status).toBe('error');
		expect(strict.error?.message).toMatch(/^Item 0: "Mailbox Row" is not valid JSON/);
	});
});
