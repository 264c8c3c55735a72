/**
 * Bounce processing's count of a sender refusal for the mailbox: the shipped 'Refusal Report' and
 * 'Record Sender Refusals' (parameters taken from bounce-processing.json) run by n8n's engine, fed by
 * stand-ins of the nodes they read (the Data Tables themselves need a real n8n; see e2e).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { readHealth, recordSenderEvents } from '../../lib/ledger/mailbox-health';
import { chain, node, runWorkflow } from '../harness/engine';

const HOUR = 3_600_000;

function parametersOf(nodeName: string): INodeParameters {
	const wf = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'bounce-processing.json'), 'utf8')) as { nodes: Array<{ name: string; parameters: INodeParameters }> };
	const found = wf.nodes.find((n) => n.name === nodeName);
	if (!found) throw new Error(`bounce-processing.json has no "${nodeName}"`);
	return found.parameters;
}

/** The mailbox's health after bounce processing read a DMARC refusal of the reminder `reminderRow`. */
async function recorded(mailboxRow: IDataObject, reminderRow: IDataObject): Promise<IDataObject> {
	const bounce = { category: 'senderRejected', final: true, reason: 'authfailure', status: '5.7.26', diagnostic: "not accepted due to domain's DMARC policy", recipient: 'a@kunde.example', originalMessageId: '<r1@shop.example>' };
	const report = { bounce, internalDate: new Date(Date.now() - HOUR).toISOString() };
	const r = await runWorkflow({
		nodes: [
			node('noOp', 'Settings'),
			node('evaluate', 'Load Mailbox State', { json: JSON.stringify(mailboxRow) }),
			node('evaluate', 'Ours? (Sender Problem)', { json: JSON.stringify(report) }),
			// The Data Table update's output: the reminder row it updated.
			node('evaluate', 'Mark Sender Refusal', { json: JSON.stringify(reminderRow) }),
			node('evaluate', 'Refusal Report', { json: parametersOf('Refusal Report').jsonOutput }),
			node('mailboxHealth', 'Record Sender Refusals', parametersOf('Record Sender Refusals')),
		],
		connections: chain('Settings', 'Load Mailbox State', 'Ours? (Sender Problem)', 'Mark Sender Refusal', 'Refusal Report', 'Record Sender Refusals'),
		input: { node: 'Settings', items: [{ json: { mailbox: 'default' } }] },
	});
	expect(r.status).toBe('success');
	return r.items('Record Sender Refusals')[0].json.mailboxHealth as IDataObject;
}

describe('bounce processing: a sender refusal counted for the mailbox (bounce-processing.json)', () => {
	const pausedAt = Date.now() - 24 * HOUR;
	const resumed = { mailbox: 'default', status: 'ok', statusReason: '', statusMessage: '', statusSince: new Date(pausedAt).toISOString(), senderRejections: 1, recentRejections: '[]' };
	const reminderSentAt = (at: number) => ({ invoiceId: 'INV-1', level: 2, status: 'notDelivered', messageId: '<r1@shop.example>', sentAt: new Date(at).toISOString() });

	test('a refusal of a reminder sent before the pause, reported after the resume, counts but does not pause again', async () => {
		expect(await recorded(resumed, reminderSentAt(pausedAt - 2 * HOUR))).toMatchObject({ status: 'ok', senderRejections: 2, pausedNow: false, changed: true });
	});

	test('a returned refusal of a reminder sent after the resume counts, and pauses once another customer\'s came back within the window; so does one of a row without sentAt', async () => {
		// Alone it may be forged by the one customer it was sent to: counted, not paused.
		expect(await recorded(resumed, reminderSentAt(Date.now() - 2 * HOUR))).toMatchObject({ status: 'ok', senderRejections: 2, pausedNow: false, changed: true });
		expect(await recorded(resumed, { invoiceId: 'INV-1', level: 2 })).toMatchObject({ status: 'ok', pausedNow: false, changed: true });
		// The row after bounce processing counted another customer's returned DMARC refusal an hour earlier.
		const earlier = Date.now() - 2 * HOUR;
		const another = { kind: 'senderRejected' as const, at: earlier, sentAt: earlier - HOUR, returned: true, recipient: 'b@kunde.example', reason: 'authfailure', status: '5.7.26', diagnostic: "not accepted due to domain's DMARC policy" };
		const withAnother = recordSenderEvents(readHealth('default', resumed), [another], new Date().toISOString()).health;
		expect(withAnother).toMatchObject({ status: 'ok', senderRejections: 2 });
		expect(await recorded({ ...withAnother }, reminderSentAt(Date.now() - 2 * HOUR))).toMatchObject({ status: 'paused', statusReason: 'dmarc', senderRejections: 3, pausedNow: true });
		expect(await recorded({ ...withAnother }, { invoiceId: 'INV-1', level: 2 })).toMatchObject({ status: 'paused', pausedNow: true });
	});
});

/** Refusal Report's item for a sender refusal that names `recipient`, of the reminder row `reminderRow` (Mark Sender Refusal's output). */
async function reportFor(recipient: string, reminderRow: IDataObject): Promise<IDataObject> {
	const bounce = { category: 'senderRejected', final: true, reason: 'blocked', status: '5.7.1', recipient, originalRecipient: 'anna@schuldner.example', originalMessageId: '<r1@shop.example>' };
	const r = await runWorkflow({
		nodes: [
			node('evaluate', 'Ours? (Sender Problem)', { json: JSON.stringify({ bounce, internalDate: new Date(Date.now() - HOUR).toISOString() }) }),
			node('evaluate', 'Mark Sender Refusal', { json: JSON.stringify(reminderRow) }),
			node('evaluate', 'Refusal Report', { json: parametersOf('Refusal Report').jsonOutput }),
		],
		connections: chain('Ours? (Sender Problem)', 'Mark Sender Refusal', 'Refusal Report'),
		input: { node: 'Ours? (Sender Problem)', items: [{ json: {} }] },
	});
	expect(r.status).toBe('success');
	return r.items('Refusal Report')[0].json;
}

describe('bounce processing: whom a sender refusal was for (Refusal Report, refusedFor)', () => {
	const row = { invoiceId: 'RE-1001', level: 1, status: 'notDelivered', messageId: '<r1@shop.example>', email: ' Anna@Schuldner.example ' };

	test('the refused reminder\'s customer, whatever recipients the report names: one report naming three made-up forward targets is one customer', async () => {
		const reports = await Promise.all(['fwd1@relay1.example', 'fwd2@relay2.example', 'fwd3@relay3.example'].map((to) => reportFor(to, { ...row, customerId: 'K-1' })));
		expect(reports.map((r) => r.refusedFor)).toEqual(['K-1', 'K-1', 'K-1']);
		expect(reports.map((r) => (r.bounce as IDataObject).recipient)).toEqual(['fwd1@relay1.example', 'fwd2@relay2.example', 'fwd3@relay3.example']);
	});

	test('without a customer ID: the address the reminder was sent to, in lower case', async () => {
		expect((await reportFor('fwd1@relay1.example', row)).refusedFor).toBe('anna@schuldner.example');
		expect((await reportFor('fwd1@relay1.example', { ...row, customerId: '  ' })).refusedFor).toBe('anna@schuldner.example');
	});
});
