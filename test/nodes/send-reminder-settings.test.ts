/**
 * Send Reminder Email's run settings from expressions (a Settings row, a table cell), through the
 * real n8n engine and a real SMTP server on loopback: a value of the wrong type or out of range
 * stops the run naming the setting, before anything is sent, and every item keeps a status.
 */
import { simpleParser } from 'mailparser';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { chain, node, runWorkflow, type RunResult } from '../harness/engine';
import {
	deliveryOf,
	reminderItem as invoice,
	sendReminderNode as sendNode,
	SMTP_CREDENTIAL_REF,
	smtpCredential,
	smtpServersPerTest,
} from '../harness/send-reminder-node';
import type { TestServer } from '../mail/smtp-test-server';

const { start: server } = smtpServersPerTest();
/** The credential of this file's sender. */
const credential = (s: { port: number }) => smtpCredential(s, { fromName: 'Beispiel Shop GmbH' });

/**
 * Runs the node; a run the old code would never end (a 4xx retried for ever, a pause of days) is
 * cancelled after a while, so that the test fails with what came out instead of hanging.
 */
async function run(s: TestServer, parameters: IDataObject, items: INodeExecutionData[], extra: IDataObject = { onError: 'continueRegularOutput' }, workflowId = `wf-settings-${Math.random()}`): Promise<RunResult> {
	const controller = new AbortController();
	const guard = setTimeout(() => controller.abort(), 15_000);
	try {
		return await runWorkflow({ workflowId, nodes: [sendNode(parameters, extra)], input: { node: 'Send', items }, credentials: { 'smtp-1': credential(s) }, signal: controller.signal });
	} finally {
		clearTimeout(guard);
	}
}

/** Every item notSent, stopped by the settings, with the message naming the setting. */
function expectSettingsStop(result: RunResult, message: string, count: number) {
	expect(result.status).toBe('success');
	const out = result.items('Send');
	expect(out).toHaveLength(count);
	for (const item of out) {
		expect([message, deliveryOf(item)]).toEqual([message, expect.objectContaining({ status: 'notSent', reason: 'runStopped', stopKind: 'settings', error: `Nothing was sent: ${message}` })]);
		expect(item.json.error).toBe(`Nothing was sent: ${message}`);
	}
}

const once = '(read once per run, from the first item)';

describe('Send Reminder Email: run settings from expressions (real engine, real SMTP server)', () => {
	test('Attempts on Temporary Refusal and First Retry After: only a whole number 1–10 and 0–600 s; anything else stops the run naming the option, before any RCPT', async () => {
		let rcpts = 0;
		const s = await server({
			onRcpt: () => {
				rcpts++;
				return { code: 451, message: '4.7.1 greylisted, try later' };
			},
		});
		const items = [invoice(1), invoice(2)];
		for (const [value, shown] of [
			["={{ 'x' }}", '"x"'],
			['={{ NaN }}', 'NaN'],
			[1e9, '1000000000'],
			[0, '0'],
			[-3, '-3'],
			["={{ '' }}", 'empty'],
			[1.5, '1.5'],
			[11, '11'],
		] as const) {
			const result = await run(s, { options: { retryDelaySeconds: 0, maxAttempts: value } }, items);
			expectSettingsStop(result, `"Attempts on Temporary Refusal" (options.maxAttempts) must be a whole number from 1 to 10, not ${shown} ${once}`, 2);
		}
		for (const [value, shown] of [
			['={{ -5 }}', '-5'],
			['={{ NaN }}', 'NaN'],
			[601, '601'],
			["={{ 'soon' }}", '"soon"'],
		] as const) {
			const result = await run(s, { options: { retryDelaySeconds: value } }, items);
			expectSettingsStop(result, `"First Retry After (Seconds)" (options.retryDelaySeconds) must be a number from 0 to 600, not ${shown} ${once}`, 2);
		}
		expect(rcpts).toBe(0);

		// Without Continue On Fail the node fails with the same words.
		const strict = await run(s, { options: { retryDelaySeconds: 0, maxAttempts: '={{ $json.attempts }}' } }, [invoice(3, { attempts: 'drei' })], {});
		expect(strict.status).toBe('error');
		expect(strict.error?.message).toBe(`"Attempts on Temporary Refusal" (options.maxAttempts) must be a whole number from 1 to 10, not "drei" ${once}`);

		// A good value from an expression is taken as before.
		const good = await run(s, { options: { retryDelaySeconds: '={{ 0 }}', maxAttempts: '={{ "2" }}' } }, [invoice(4)]);
		expect(deliveryOf(good.items('Send')[0])).toMatchObject({ status: 'deferred', reason: 'temporary', attempts: 2 });
		expect(rcpts).toBe(2);
		expect(s.received).toHaveLength(0);
	});

	test('Min Seconds Between Emails above a day (an hour typed in milliseconds overflowed the timer: no pause at all) and a Max Emails per Run of 1.5 stop the run naming them', async () => {
		const s = await server();
		const items = [invoice(11), invoice(12), invoice(13)];
		for (const value of [3_600_000, 2_147_484, 86_401]) {
			const result = await run(s, { minSecondsBetween: value }, items);
			expectSettingsStop(
				result,
				`"Min Seconds Between Emails" (minSecondsBetween) must be a number from 0 to 86400, not ${value}: a pause of more than a day between two reminders is a unit mistake (milliseconds or minutes for seconds?) ${once}`,
				3,
			);
		}
		const halfPerRun = await run(s, { maxPerRun: 1.5 }, items);
		expectSettingsStop(halfPerRun, `"Max Emails per Run" (maxPerRun) must be a whole number of at least 0, not 1.5 ${once}`, 3);
		expect(s.received).toHaveLength(0);

		// A day is the most; a single reminder goes out at once.
		const day = await run(s, { minSecondsBetween: 86_400 }, [invoice(14)]);
		expect(deliveryOf(day.items('Send')[0])).toMatchObject({ status: 'sent' });
		expect(s.received).toHaveLength(1);
	});

	test('text settings of the wrong type are named, never a JavaScript error; the run stops and every item keeps a status, on the error output too', async () => {
		const s = await server();
		// A one-language list, as an item's language may be: the fallback takes it as that language.
		const listed = [invoice(21, { language: ['de'] }), invoice(22, { language: ['de'] })];
		const asList = await run(s, { dryRun: true, fallbackLanguage: '={{ $json.language }}' }, listed, {});
		expect(asList.status).toBe('success');
		expect(asList.items('Send').map((i) => [deliveryOf(i).status, (i.json.preview as IDataObject).subject])).toEqual([
			['preview', 'Zahlungserinnerung zu Rechnung RE-21'],
			['preview', 'Zahlungserinnerung zu Rechnung RE-22'],
		]);

		// Yes/no as the item flags are read: a MySQL TINYINT (1/0) or a German Excel cell (WAHR) is a dry run, not a stopped run.
		for (const dryRun of ['={{ 1 }}', 'WAHR', 'yes', '1']) {
			const flagged = await run(s, { dryRun }, [invoice(27)], {});
			expect([dryRun, flagged.status, deliveryOf(flagged.items('Send')[0]).status]).toEqual([dryRun, 'success', 'preview']);
		}

		const cases: Array<[IDataObject, string]> = [
			[{ fallbackLanguage: '={{ 5 }}' }, `"Fallback Language" (fallbackLanguage) must be a language code as text, e.g. de, en or de-AT, not 5 ${once}`],
			[{ fallbackLanguage: '={{ ["de", "en"] }}' }, `"Fallback Language" (fallbackLanguage) must be a language code as text, e.g. de, en or de-AT, not ["de","en"] ${once}`],
			[{ fallbackLanguage: 'Deutsch' }, `"Fallback Language" (fallbackLanguage) must be a language code like de, en or de-AT, not "Deutsch" ${once}`],
			[{ options: { retryDelaySeconds: 0, defaultCurrency: '={{ 978 }}' } }, `"Default Currency" (options.defaultCurrency) must be a three-letter currency code as text, e.g. EUR, not 978 ${once}`],
			[{ options: { retryDelaySeconds: 0, defaultCurrency: 'EURO' } }, `"Default Currency" (options.defaultCurrency) must be a three-letter currency code (ISO 4217) such as EUR (got "EURO") ${once}`],
			[{ options: { retryDelaySeconds: 0, defaultCurrency: 'NaN' } }, `"Default Currency" (options.defaultCurrency) must be a three-letter currency code (ISO 4217) such as EUR (got "NaN") ${once}`],
			[{ fieldNames: { email: '={{ 5 }}' } }, `"Field Names › Email Field" (fieldNames.email) must be the name of a field of the items as text, e.g. email, not 5 ${once}`],
			// An empty cell is no "no": it would have turned a dry run into a real one.
			[{ dryRun: "={{ '' }}" }, `"Dry Run" (dryRun) must be true or false (also yes/no, 1/0), not empty ${once}`],
			[{ dryRun: 'vielleicht' }, `"Dry Run" (dryRun) must be true or false (also yes/no, 1/0), not "vielleicht" ${once}`],
			[{ saveToSentFolder: true, sentFolder: 'Sent\nItems' }, `"Sent Folder" (sentFolder) contains a line break: "Sent\\nItems". A folder name is one line of text without control characters ${once}`],
			[{ saveToSentFolder: true, sentFolder: '={{ ["Sent"] }}' }, `"Sent Folder" (sentFolder) must be a folder name as text, e.g. Sent or INBOX.Sent, not ["Sent"] ${once}`],
		];
		for (const [parameters, message] of cases) {
			const strict = await run(s, parameters, [invoice(23), invoice(24)], {});
			expect([message, strict.status, strict.error?.message]).toEqual([message, 'error', message]);
			expectSettingsStop(await run(s, parameters, [invoice(23), invoice(24)]), message, 2);
		}
		expect(s.received).toHaveLength(0);

		// Continue (using error output), fed by a node before it: every item on the error output with the reason, none passed on as handled.
		const items = [invoice(25, { language: ['de'] }), invoice(26)];
		const errorOutput = await runWorkflow({
			workflowId: 'wf-settings-error-output',
			nodes: [node('noOp', 'Feed'), sendNode({ fallbackLanguage: '={{ 5 }}' }, { onError: 'continueErrorOutput' })],
			connections: chain('Feed', 'Send'),
			input: { node: 'Feed', items },
			credentials: { 'smtp-1': credential(s) },
		});
		const [ok, errors] = errorOutput.outputs('Send');
		expect(ok).toEqual([]);
		expect(errors.map((i) => [i.json.invoiceId, i.json.error])).toEqual([
			['inv-25', expect.stringMatching(/^Nothing was sent: "Fallback Language" \(fallbackLanguage\) must be/)],
			['inv-26', expect.stringMatching(/^Nothing was sent: "Fallback Language" \(fallbackLanguage\) must be/)],
		]);
		expect(s.received).toHaveLength(0);
	});

	test('Attachments from an expression: a list of names attaches each; anything else fails that item naming the setting', async () => {
		const s = await server();
		const pdf = Buffer.from('%PDF-1.4\n% Rechnung\n%%EOF\n');
		const withFile = (n: number, files: unknown): INodeExecutionData => ({
			...invoice(n, { files: files as IDataObject }),
			binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: `RE-${n}.pdf` } },
		});
		const result = await run(s, { attachmentProperties: '={{ $json.files }}' }, [withFile(31, ['data']), withFile(32, 7), withFile(33, 'data')]);
		const out = result.items('Send');
		expect(out.map((i) => deliveryOf(i).status)).toEqual(['sent', 'failed', 'sent']);
		expect(deliveryOf(out[1])).toMatchObject({
			reason: 'invalidInput',
			error: 'Item 1: "Attachments (Input Binary Fields)" (attachmentProperties) must be names of input binary fields, as text separated by commas (e.g. data, invoicePdf) or as a list of texts, not 7',
		});
		const mails = await Promise.all(s.received.map((m) => simpleParser(m.raw)));
		expect(mails.map((m) => m.attachments.map((a) => a.filename))).toEqual([['RE-31.pdf'], ['RE-33.pdf']]);
	});

	test('the same reminder twice in one run (a repeated row, an instalment with the same invoice ID): the second names the earlier item of this run, not an earlier execution; the dry run flags it the same way', async () => {
		const s = await server();
		const instalment = invoice('D2', { dueDate: '2026-03-09', openAmount: 50 }, { totalDue: 50 });
		const items = [invoice('D1'), invoice('D1'), invoice('D2'), instalment];
		const workflowId = 'wf-same-run-duplicate';
		const view = (r: RunResult) => r.items('Send').map((i) => [deliveryOf(i).status, deliveryOf(i).duplicate ?? false, deliveryOf(i).duplicateOf]);

		const dry = await run(s, { dryRun: true }, items, {}, workflowId);
		expect(view(dry)).toEqual([
			['preview', false, undefined],
			['preview', true, 0],
			['preview', false, undefined],
			['preview', true, 2],
		]);
		expect(deliveryOf(dry.items('Send')[3]).warning).toBe(
			'Would not be sent: the reminder for this invoice ID and level goes out with an earlier item of this run (item 2). If this item is another open item with the same invoice ID (an instalment), nothing would go out for it: give it its own invoice ID',
		);
		expect(s.connections).toBe(0);

		const real = await run(s, {}, items, {}, workflowId);
		expect(view(real)).toEqual([
			['sent', false, undefined],
			['sent', true, 0],
			['sent', false, undefined],
			['sent', true, 2],
		]);
		expect(deliveryOf(real.items('Send')[3]).warning).toBe(
			'Not sent: the reminder for this invoice ID and level went out with an earlier item of this run (item 2). If this item is another open item with the same invoice ID (an instalment), nothing went out for it: give it its own invoice ID',
		);
		expect(deliveryOf(real.items('Send')[1]).warning).not.toMatch(/earlier execution/);
		expect(s.received).toHaveLength(2);

		// A later execution: now every one was sent by an earlier execution, in the preview too.
		for (const dryRun of [true, false]) {
			const again = await run(s, { dryRun }, items, {}, workflowId);
			expect(again.items('Send').map((i) => [deliveryOf(i).duplicate, deliveryOf(i).duplicateOf])).toEqual(items.map(() => [true, undefined]));
			// Also the likelier cause for the same invoice: its new level was not written back after that send.
			expect(again.items('Send').map((i) => deliveryOf(i).warning)).toEqual(
				items.map(() => expect.stringMatching(/was sent by an earlier execution\. .*its level may not have been stored after that send: write dunning\.level to currentLevel and the send date to lastDunnedAt$/)),
			);
		}
		expect(s.received).toHaveLength(2);
	});

	test('Send Test Mail: a recipient that is no text fails that item naming the field; a credential without host leaves every item notSent with Continue On Fail', async () => {
		const s = await server();
		const testNode = (extra = {}) =>
			node('sendReminderEmail', 'Test', { operation: 'sendTestMail', testRecipient: '={{ $json.to }}' }, { credentials: { dunningSmtpApi: SMTP_CREDENTIAL_REF }, onError: 'continueRegularOutput', ...extra });
		const items = [{ json: { to: 5 } }, { json: { to: 'me@shop.example' } }];
		const mixed = await runWorkflow({ workflowId: 'wf-test-mail', nodes: [testNode()], input: { node: 'Test', items }, credentials: { 'smtp-1': credential(s) } });
		expect(mixed.items('Test').map((i) => deliveryOf(i).status)).toEqual(['failed', 'sent']);
		expect(mixed.items('Test')[0].json.error).toBe('Item 0: Test mail not sent: An address as text is needed, not 5 (field "Send Test Mail To")');

		const noHost = await runWorkflow({ workflowId: 'wf-test-mail', nodes: [testNode()], input: { node: 'Test', items }, credentials: { 'smtp-1': { ...credential(s), host: '' } } });
		expect(noHost.status).toBe('success');
		expect(noHost.items('Test').map((i) => [deliveryOf(i)?.status, deliveryOf(i)?.stopKind, i.json.error])).toEqual(
			items.map((_, i) => ['notSent', 'settings', expect.stringMatching(new RegExp(`^Item ${i}: Test mail not sent: Nothing was sent: The SMTP credential has no Host`))]),
		);
		expect(s.received).toHaveLength(1);
	});
});
