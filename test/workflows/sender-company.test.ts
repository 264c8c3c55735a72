/**
 * E-mail reminders carry the dunning run's Company Details (bank account, payment reference, GiroCode):
 * the run checks them before it releases anything and puts them into each e-mail row's payload; the
 * sender's Send Reminder Email reads them from the reminder. Checked on the generated workflows, and
 * their nodes run through the real n8n engine as they are configured there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { WORKFLOWS_DIR } from '../../scripts/workflows/build';
import { DETAILS_CHECK_REMINDER } from '../../scripts/workflows/paper-letters';
import { node, runWorkflow } from '../harness/engine';
import { reminderItem, runSendReminder, smtpServersPerTest } from '../harness/send-reminder-node';
import { COMPANY } from '../letters/fixtures';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	onError?: string;
}
interface Workflow {
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const workflow = (file: string) => JSON.parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')) as Workflow;
const nodeOf = (wf: Workflow, name: string) => {
	const found = wf.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`no node "${name}"`);
	return found;
};
const assignment = (wf: Workflow, nodeName: string, field: string) =>
	(nodeOf(wf, nodeName).parameters as { assignments: { assignments: Array<{ name: string; value: unknown }> } }).assignments.assignments.find((a) => a.name === field)?.value;
/** The nodes output `output` of `from` leads to. */
const next = (wf: Workflow, from: string, output = 0) => (wf.connections[from]?.main[output] ?? []).map((c) => c.node);

/** The payload expression of a Set node, evaluated for `item` with `company` as the Company Details node's output. */
function payloadFor(expression: unknown, item: IDataObject, company: IDataObject | undefined): IDataObject {
	const body = /^=\{\{ (.*) \}\}$/s.exec(String(expression))![1];
	const $ = (name: string) => {
		if (name !== 'Company Details' || !company) throw new Error(`Referenced node doesn't exist: ${name}`);
		return { first: () => ({ json: company }) };
	};
	return JSON.parse(new Function('$json', '$', `return ${body}`)(item, $) as string) as IDataObject;
}

/** The body the webhook run answers its caller with when Check Company Details failed with `item`. */
function answerFor(item: IDataObject): IDataObject {
	const expression = nodeOf(workflow('dunning-run-webhook.json'), 'Respond Company Details Wrong').parameters.responseBody;
	const body = /^=\{\{ (.*) \}\}$/s.exec(String(expression))![1];
	return JSON.parse(new Function('$json', `return ${body}`)(item) as string) as IDataObject;
}

describe('dunning run: e-mail reminders carry the Company Details', () => {
	const run = workflow('dunning-run.json');
	const decided: IDataObject = { invoiceId: 'INV-1', invoiceNumber: 'RE-1', dunning: { action: 'send', level: 1 } };

	it('an e-mail row carries them in its payload once a name is filled in; without a name, none', () => {
		const email = assignment(run, 'Release for Email', 'payload');
		expect(payloadFor(email, decided, COMPANY)).toEqual({ ...decided, companyDetails: COMPANY });
		expect(payloadFor(email, decided, { ...COMPANY, name: '  ' })).toEqual({ ...decided, companyDetails: null });
		expect(payloadFor(email, decided, { name: '', iban: '' })).toEqual({ ...decided, companyDetails: null });
		// Never the item's own field of that name (an invoice row or a webhook post).
		const posted = { ...decided, companyDetails: { ...COMPANY, iban: 'DE02 1203 0000 0000 2020 51', accountHolder: 'Someone Else' } };
		expect(payloadFor(email, posted, { ...COMPANY, name: '' })).toEqual({ ...decided, companyDetails: null });
		expect(payloadFor(email, posted, COMPANY)).toEqual({ ...decided, companyDetails: COMPANY });
	});

	it('a paper row does not (its letter reads the node itself)', () => {
		expect(assignment(run, 'Queue Paper Letter', 'payload')).toBe('={{ JSON.stringify($json) }}');
	});

	it('checks filled-in details before anything is released: wrong ones stop the run, none entered go on unchecked', () => {
		expect(next(run, 'Company Details')).toEqual(['Company Details Filled In?']);
		// Via the look-up of one invoice row with a payment link (create-reminder-letter-payable.test.ts).
		expect(next(run, 'Company Details Filled In?', 0)).toEqual(['Invoice with Payment Link']);
		expect(next(run, 'Invoice with Payment Link')).toEqual(['Made-Up Reminder']);
		expect(next(run, 'Company Details Filled In?', 1)).toEqual(['Ensure Invoices Table']);
		expect(next(run, 'Made-Up Reminder')).toEqual(['Check Company Details']);
		expect(next(run, 'Check Company Details', 0)).toEqual(['Ensure Invoices Table']);
		expect(next(run, 'Check Company Details', 1)).toEqual(['Correct Company Details']);
		const check = nodeOf(run, 'Check Company Details');
		// The same details as the letters and the payload.
		expect(check.parameters.companyJson).toBe(nodeOf(run, 'Create Letter').parameters.companyJson);
		expect(check.onError).toBe('continueErrorOutput');
		expect(nodeOf(run, 'Correct Company Details').type).toBe('n8n-nodes-base.stopAndError');
	});

	/** Check Company Details as configured in the run, with `company` as its details. */
	async function check(company: IDataObject) {
		const { parameters } = nodeOf(run, 'Check Company Details');
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Check', { ...parameters, companyJson: JSON.stringify(company) }, { onError: 'continueErrorOutput' })],
			input: { node: 'Check', items: [{ json: DETAILS_CHECK_REMINDER as unknown as IDataObject }] },
		});
		expect(r.status).toBe('success');
		return r.outputs('Check');
	}

	it('the made-up reminder makes a letter from right details, so only the details can fail the check', async () => {
		const [made, failed] = await check(COMPANY);
		expect(failed ?? []).toEqual([]);
		expect(made).toHaveLength(1);
		expect(made[0].json.letter).toMatchObject({ status: 'created' });
	});

	it.each([
		['an IBAN with wrong check digits', { iban: 'DE88 3704 0044 0532 0130 00' }, /^Item 0: Company details: the IBAN "DE88 3704 0044 0532 0130 00"/],
		['a missing city', { city: '' }, /^Item 0: Company details: "city" .* is missing/],
	])('%s fails the check, naming the field', async (_, wrong, message) => {
		const [made, failed] = await check({ ...COMPANY, ...wrong });
		expect(made).toEqual([]);
		expect(failed).toHaveLength(1);
		expect(String(failed[0].json.error)).toMatch(message);
		// What Correct Company Details makes of it.
		const stop = String(nodeOf(run, 'Correct Company Details').parameters.errorMessage);
		expect(stop).toMatch(/^=\{\{ \$json\.error\.replace\(\/\^Item \\d\+: \/, ''\) \}\}\. Fill in or correct it in the "Company Details" node at the start of this workflow\. No reminder was released\.$/);
		// What the webhook run answers its caller: the same text, from the error item as it comes out.
		expect(answerFor(failed[0].json)).toEqual({
			error: 'companyDetailsWrong',
			message: expect.stringMatching(/^Company details: .*\. Fill in or correct it in the "Company Details" node at the start of this workflow\. No reminder was released\.$/),
			remindersReleased: 0,
		});
		expect(String(answerFor(failed[0].json).message)).toMatch(new RegExp(message.source.replace('^Item 0: ', '^')));
	});
});

describe('ERP webhook run: e-mail reminders carry its Company Details, checked before anything is released', () => {
	const run = workflow('dunning-run.json');
	const hook = workflow('dunning-run-webhook.json');
	const decided: IDataObject = { invoiceId: 'HOOK-1', invoiceNumber: 'RE-H1', dunning: { action: 'send', level: 1 } };

	it('has the dunning run\'s Company Details node, shipped empty, before anything else runs', () => {
		expect(nodeOf(hook, 'Company Details')).toMatchObject({ type: 'n8n-nodes-base.set', parameters: nodeOf(run, 'Company Details').parameters });
		const values = (nodeOf(hook, 'Company Details').parameters as { assignments: { assignments: Array<{ name: string; value: unknown }> } }).assignments.assignments;
		expect(values.filter((a) => a.value !== '').map((a) => [a.name, a.value])).toEqual([['paymentReference', '{invoiceNumber}']]);
		// After the check of the request's shape only (webhook-request.test.ts): nothing else runs before it.
		expect(next(hook, 'Webhook')).toEqual(['Invoices in Request?']);
		expect(next(hook, 'Example Invoices')).toEqual(['Invoices in Request?']);
		expect(next(hook, 'Invoices in Request?', 0)).toEqual(['Company Details']);
	});

	it('an e-mail row carries them once a name is filled in; without a name (as shipped), none; a posted companyDetails never', () => {
		const email = assignment(hook, 'Release for Email', 'payload');
		expect(email).toBe(assignment(run, 'Release for Email', 'payload'));
		expect(payloadFor(email, decided, COMPANY)).toEqual({ ...decided, companyDetails: COMPANY });
		expect(payloadFor(email, decided, { name: '', iban: '' })).toEqual({ ...decided, companyDetails: null });
		// Anyone who can post would choose the IBAN.
		const posted = { ...decided, companyDetails: { ...COMPANY, iban: 'DE02 1203 0000 0000 2020 51' } };
		expect(payloadFor(email, posted, { name: '' })).toEqual({ ...decided, companyDetails: null });
		expect(payloadFor(email, posted, COMPANY)).toEqual({ ...decided, companyDetails: COMPANY });
		expect(assignment(hook, 'Queue Paper Letter', 'payload')).toBe('={{ JSON.stringify($json) }}');
	});

	it('checks filled-in details before any table is touched; none entered go on unchecked', () => {
		expect(next(hook, 'Company Details')).toEqual(['Company Details Filled In?']);
		expect(next(hook, 'Company Details Filled In?', 0)).toEqual(['Made-Up Reminder']);
		expect(next(hook, 'Company Details Filled In?', 1)).toEqual(['Ensure Invoices Table']);
		expect(next(hook, 'Made-Up Reminder')).toEqual(['Check Company Details']);
		expect(next(hook, 'Check Company Details', 0)).toEqual(['Ensure Invoices Table']);
		expect(nodeOf(hook, 'Check Company Details')).toMatchObject({ parameters: nodeOf(run, 'Check Company Details').parameters, onError: 'continueErrorOutput' });
	});

	it('wrong details answer the caller with 500 and what to correct, then stop the run as the dunning run does', () => {
		expect(next(hook, 'Check Company Details', 1)).toEqual(['Respond Company Details Wrong']);
		expect(next(hook, 'Respond Company Details Wrong')).toEqual(['Correct Company Details']);
		const answer = nodeOf(hook, 'Respond Company Details Wrong');
		expect(answer).toMatchObject({ type: 'n8n-nodes-base.respondToWebhook', parameters: { respondWith: 'json', options: { responseCode: 500 } } });
		// Stopped after the answer, so that the execution fails naming the field, as Dunning run's.
		expect(nodeOf(hook, 'Correct Company Details')).toEqual({ ...nodeOf(run, 'Correct Company Details'), id: expect.any(String), position: expect.any(Array) });
		// What the caller reads: the check's real error items are answered in the test above.
		expect(answerFor({ error: 'Item 0: Company details: "city" (city) is missing; it is the sender on every letter' })).toEqual({
			error: 'companyDetailsWrong',
			message:
				'Company details: "city" (city) is missing; it is the sender on every letter. Fill in or correct it in the "Company Details" node at the start of this workflow. No reminder was released.',
			remindersReleased: 0,
		});
	});
});

describe('sender: Send Reminder Email takes the Company Details from the reminder', () => {
	const smtp = smtpServersPerTest();
	const reminder = (n: number, over: IDataObject = {}): INodeExecutionData =>
		reminderItem(n, { invoiceNumber: `RE-2099-${n}`, dueDate: '2099-02-09', dunning: { action: 'send', level: 1, fee: 0, interest: 0, totalDue: 100, deadline: '2099-03-02' }, ...over });
	/** Runs the node as "Send Reminder Email" with these parameters, unpaced, sending as the company. */
	const runSender = (server: { port: number }, parameters: IDataObject, items: INodeExecutionData[]) =>
		runSendReminder(server, items, { parameters, node: { name: 'Send Reminder Email' }, credential: { fromName: 'Muster Handels GmbH' } });

	it('is configured to read them from the item', () => {
		const send = nodeOf(workflow('send-released.json'), 'Send Reminder Email');
		expect(send.parameters).toMatchObject({ companySource: 'json', companyJson: '={{ $json.companyDetails ?? null }}' });
	});

	it('a reminder with them gets IBAN, payment reference and GiroCode; one without goes out as before; wrong ones are never dropped silently', async () => {
		const { parameters } = nodeOf(workflow('send-released.json'), 'Send Reminder Email');
		const server = await smtp.start();
		const items = [reminder(1, { companyDetails: COMPANY }), reminder(2), reminder(3, { companyDetails: { ...COMPANY, iban: 'DE88 3704 0044 0532 0130 00' } })];
		const r = await runSender(server, { ...parameters, minSecondsBetween: 0, options: { retryDelaySeconds: 0 } }, items);
		expect(r.status).toBe('success');
		const deliveries = r.items('Send Reminder Email').map((i) => i.json.delivery as IDataObject);
		expect(deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'failed']);
		// (The dunning run checks the details before it releases them, so that this does not happen there.)
		expect(deliveries[2]).toMatchObject({ reason: 'invalidInput', error: expect.stringMatching(/^Item 2: Company details: the IBAN/) });
		// Released without them (null on purpose): no warning in the row's note.
		expect(deliveries.map((d) => d.warning)).toEqual([undefined, undefined, undefined]);
		expect(server.received).toHaveLength(2);
		const mails: ParsedMail[] = await Promise.all(server.received.map((m) => simpleParser(m.raw, { keepCidLinks: true })));
		const to = (n: number) => mails.find((m) => m.text?.includes(`RE-2099-${n}`))!;
		const withDetails = to(1).text!.replace(/\u00a0/g, ' ');
		expect(withDetails).toContain('IBAN: DE89 3704 0044 0532 0130 00');
		expect(withDetails).toContain('Verwendungszweck: RE-2099-1');
		expect(to(1).attachments.filter((a) => a.cid === 'girocode@n8n-nodes-dunning').map((a) => a.contentType)).toEqual(['image/png']);
		const without = to(2);
		expect(without.text).not.toContain('IBAN');
		expect(without.text).not.toContain('Verwendungszweck');
		expect(without.attachments).toEqual([]);
	});

	it('an expression that finds nothing (a misspelt field) sends without details and says so on the delivery', async () => {
		const server = await smtp.start();
		const r = await runSender(server, { companySource: 'json', companyJson: '={{ $json.compnayDetails }}' }, [reminder(4, { companyDetails: COMPANY })]);
		const delivery = r.items('Send Reminder Email')[0].json.delivery as IDataObject;
		expect(delivery).toMatchObject({ status: 'sent', warning: expect.stringMatching(/^Sent without company details: Company Details \(JSON\) is empty for this item, so the e-mail has no bank account/) });
		expect(server.received).toHaveLength(1);
	});
});
