import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { chain, node, runWorkflow } from '../harness/engine';
import { COMPANY, invoiceItem } from '../letters/fixtures';
import { SANDBOX } from '../servers/sandbox';

/**
 * Error items must be routed to the error output by every n8n we support, not only the one in
 * this harness.
 *
 * n8n-io/n8n#35939 (released in 2.36.0, backported to 2.34.6 and 2.35.3) lets the engine also route
 * an item whose json holds `details` beside `error`. Before it — n8n 2.8.4 is the newest for Node 20
 * and runs in CI — only json with `error` alone, or `error` and `message`, goes to the error output;
 * anything else stays on the success output, where the next node takes the failure for a result.
 * The n8n-core in this harness has the newer rule, so which output an item landed on here proves
 * nothing about 2.8.4: the test checks the items themselves against the old rule.
 *
 * Seeded at the node itself (no node before it), the engine has no input item to merge back and
 * passes each error item on exactly as the node returned it. Fed by a node before it, n8n adds the
 * input item's fields back: then the json may hold the input's keys and `error`, nothing else.
 */
const routedBefore2_34_6 = (json: IDataObject) => {
	const keys = Object.keys(json);
	return Boolean(json.error) && (keys.length === 1 || (keys.length === 2 && Boolean(json.message)));
};

const eml = (name: string) => ({ data: { data: readFileSync(join(__dirname, '..', 'fixtures', 'bounce', name)).toString('base64'), mimeType: 'message/rfc822', fileName: name } });
const invoice = { invoiceId: 'E1', customerType: 'consumer', email: 'kunde@example.test', currency: 'EUR', amount: 100, openAmount: 100, currentLevel: 0 };
const reminder = (level: unknown) => ({
	...invoice,
	invoiceNumber: 'RE-1',
	customerName: 'Kunde',
	language: 'de',
	invoiceDate: '2026-01-10',
	dueDate: '2026-02-09',
	dunning: { action: 'send', level, stageName: 'Zahlungserinnerung', fee: 0, flatFee: 0, interest: 0, totalDue: 100, deadline: '2099-03-02' },
});
const smtp = { id: 'smtp-1', name: 'Shop mailbox' };
const imap = { id: 'imap-1', name: 'Shop mailbox' };
// Nothing listens on the closed port, so the connection errors are real and need no server.
const credentials = {
	'smtp-1': { host: SANDBOX.host, port: SANDBOX.closedPort, security: 'none', user: 'u@shop.example', password: 'p', fromAddress: 'u@shop.example', fromName: 'Shop', replyTo: '', bcc: '', allowSelfSigned: false },
	'imap-1': { host: SANDBOX.host, port: SANDBOX.closedPort, security: 'none', user: 'u@shop.example', password: 'p', allowSelfSigned: false, inboxFolder: 'INBOX', sentFolder: 'Sent', processedFolder: '' },
};

interface Case {
	name: string;
	node: (name: string) => INode;
	items: INodeExecutionData[];
	/** What the error messages must say (item and field, or cause), in input order. */
	errors: RegExp[];
}

const onError = { onError: 'continueErrorOutput' as const };
const cases: Case[] = [
	{
		name: 'Compute Dunning Level, a bad due date',
		node: (n) => node('computeDunningLevel', n, { policySource: 'fields', options: { asOfDate: '2026-11-23T00:00:00' } }, onError),
		items: [{ json: { ...invoice, dueDate: '2026-11-16' } }, { json: { ...invoice, invoiceId: 'E2', dueDate: 'garbage' } }],
		errors: [/^Item 1: dueDate "garbage" is not a date/],
	},
	{
		name: 'Compute Dunning Level, a policy that cannot be read',
		node: (n) => node('computeDunningLevel', n, { policySource: 'json', policyJson: '{broken' }, onError),
		items: [{ json: { ...invoice, dueDate: '2026-11-16' } }],
		errors: [/^Invalid dunning policy: Policy \(JSON\) is not valid JSON/],
	},
	{
		name: 'Create Reminder Letter, a missing street',
		node: (n) => node('createReminderLetter', n, { operation: 'perItem', companySource: 'json', companyJson: JSON.stringify(COMPANY) }, onError),
		items: [{ json: invoiceItem(1) as IDataObject }, { json: invoiceItem(2, { street: ' ' }) as IDataObject }],
		errors: [/^Item 1: The field "street"/],
	},
	{
		name: 'Plan Sending Slots, a pace row whose nextSendAt is no number',
		node: (n) => node('dunningPace', n, { waiting: 2, minSecondsBetween: 2, tickSeconds: 10, nextSendAt: '={{ $json.nextSendAt }}' }, onError),
		items: [{ json: { mailbox: 'default', nextSendAt: 'soon' } }],
		errors: [/^Item 0: "Next Allowed Sending Time" \(nextSendAt\)/],
	},
	{
		name: 'Mailbox Health, an item that is no Classify Bounce result',
		node: (n) => node('mailboxHealth', n, { operation: 'recordRefusals', mailboxRow: {} }, onError),
		items: [{ json: { subject: 'Re: Rechnung RE-1' } }],
		errors: [/^Item 0: .*"bounce"/],
	},
	{
		name: 'Classify Bounce v1, an item without its message',
		node: (n) => node('classifyBounce', n, { source: 'binary', binaryPropertyName: 'data' }, { ...onError, typeVersion: 1 }),
		items: [{ json: { uid: 1 }, binary: eml('auto-reply.eml') }, { json: { uid: 2 } }],
		errors: [/^Item 1 has no binary field "data"/],
	},
	{
		name: 'Classify Bounce v2, an item without its message',
		node: (n) => node('classifyBounce', n, { source: 'binary', binaryPropertyName: 'data' }, { ...onError, typeVersion: 2 }),
		items: [{ json: { uid: 2 } }],
		errors: [/^Item 0 has no binary field "data"/],
	},
	{
		name: 'Read Mailbox, a server that refuses the connection',
		node: (n) => node('readMailbox', n, { folder: 'INBOX' }, { ...onError, credentials: { dunningImapApi: imap } }),
		items: [{ json: { run: 'r1' } }],
		errors: [/Connection refused by 127\.0\.0\.1/],
	},
	{
		name: 'Read Mailbox, a move without a UID',
		node: (n) => node('readMailbox', n, { operation: 'move', toFolder: 'Done' }, { ...onError, credentials: { dunningImapApi: imap } }),
		items: [{ json: { folder: 'INBOX', invoiceId: 'x' } }],
		errors: [/^Item 0: "Message UID"/],
	},
	{
		name: 'Send Reminder Email, a bad level and a server that refuses the connection',
		node: (n) => node('sendReminderEmail', n, { operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, options: { retryDelaySeconds: 0 } }, { ...onError, credentials: { dunningSmtpApi: smtp } }),
		items: [{ json: reminder('zwei') }, { json: reminder(1) }],
		errors: [/^Item 0: The field "dunning\.level"/, /^Connection to 127\.0\.0\.1:\d+ refused/],
	},
	{
		name: 'Send Test Mail, an invalid test recipient',
		node: (n) => node('sendReminderEmail', n, { operation: 'sendTestMail', testRecipient: '={{ $json.to }}' }, { ...onError, credentials: { dunningSmtpApi: smtp } }),
		items: [{ json: { to: 'not an address' } }],
		errors: [/^Item 0: Test mail not sent: .*"not an address".*\(field "Send Test Mail To"\)/],
	},
];

describe('error items keep n8n’s portable shape', () => {
	it('every node’s error items would reach the error output under n8n before 2.34.6 too (n8n-io/n8n#35939)', async () => {
		// The rule itself: it must refuse the shape we used to emit.
		expect(routedBefore2_34_6({ error: 'Item 1: x', details: { field: 'x' } })).toBe(false);
		expect(routedBefore2_34_6({ error: 'Item 1: x' })).toBe(true);

		for (const c of cases) {
			// As the node returned them: seeded at the node, nothing is merged back.
			const raw = await runWorkflow({ nodes: [c.node('Node')], input: { node: 'Node', items: c.items }, credentials });
			expect([c.name, raw.status]).toEqual([c.name, 'success']);
			const outputs = raw.outputs('Node');
			const errors = outputs[outputs.length - 1];
			const success = outputs.slice(0, -1).flat();
			expect([c.name, errors.map((i) => routedBefore2_34_6(i.json))]).toEqual([c.name, c.errors.map(() => true)]);
			expect([c.name, errors.map((i) => i.json.error)]).toEqual([c.name, c.errors.map((m) => expect.stringMatching(m))]);
			// No failure sits among the successes, and every input item comes out, paired.
			expect([c.name, success.filter((i) => 'error' in i.json)]).toEqual([c.name, []]);
			const pairedTo = (items: INodeExecutionData[]) => items.map((i) => (i.pairedItem as { item: number }).item);
			expect([c.name, [...new Set([...pairedTo(success), ...pairedTo(errors)])].sort()]).toEqual([c.name, c.items.map((_, i) => i)]);

			// Fed by a node before it, as in a workflow: input keys and `error`, nothing else.
			const fed = await runWorkflow({ nodes: [node('noOp', 'Feed'), c.node('Node')], connections: chain('Feed', 'Node'), input: { node: 'Feed', items: c.items }, credentials });
			const fedErrors = fed.outputs('Node').at(-1) ?? [];
			expect([c.name, fedErrors.map((i) => i.pairedItem)]).toEqual([c.name, errors.map((i) => i.pairedItem)]);
			expect([c.name, fedErrors.map((i) => i.json)]).toEqual([
				c.name,
				fedErrors.map((i) => ({ ...c.items[(i.pairedItem as { item: number }).item].json, error: expect.any(String) })),
			]);
		}
	});
});
