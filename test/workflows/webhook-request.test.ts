/**
 * The ERP webhook run's front door: the Webhook ships with Header Auth (anyone who can POST sends
 * reminders from the merchant's mailbox), and a body that is no list of invoices is answered 400
 * with what is wrong before anything is checked, saved or released (it used to throw inside
 * "Invoices from Request": a bare 500 that an ERP retries for ever). The expressions are taken from
 * the generated workflow and evaluated by n8n's engine; the real answers are in the e2e tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { WORKFLOWS_DIR } from '../../scripts/workflows/build';
import { chain, node, runWorkflow } from '../harness/engine';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: IDataObject;
	credentials?: Record<string, { id: string; name: string }>;
}
const hook = JSON.parse(readFileSync(join(WORKFLOWS_DIR, 'dunning-run-webhook.json'), 'utf8')) as {
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
};
const nodeOf = (name: string) => {
	const found = hook.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`no node "${name}"`);
	return found;
};
const next = (from: string, output = 0) => (hook.connections[from]?.main[output] ?? []).map((c) => c.node);
const inner = (expression: unknown) => /^=\{\{ (.*) \}\}$/s.exec(String(expression))![1];

/** For the Webhook's item with this body: does the check pass it on, and what 400 answer does the caller get. */
async function checked(body: unknown): Promise<{ passes: boolean; answer: IDataObject }> {
	const condition = (nodeOf('Invoices in Request?').parameters as { conditions: { conditions: Array<{ leftValue: string }> } }).conditions.conditions;
	expect(condition).toHaveLength(1);
	const r = await runWorkflow({
		nodes: [
			node('noOp', 'Webhook'),
			node('evaluate', 'Check', {
				json: `={{ { passes: ${inner(condition[0].leftValue)}, answer: JSON.parse(${inner(nodeOf('Respond Bad Request').parameters.responseBody)}) } }}`,
			}),
		],
		connections: chain('Webhook', 'Check'),
		input: { node: 'Webhook', items: [{ json: { headers: {}, params: {}, query: {}, body: body as IDataObject } }] },
	});
	expect(r.status).toBe('success');
	return r.items('Check')[0].json as { passes: boolean; answer: IDataObject };
}

const MUST = / The body must be \{"invoices": \[\{"invoiceId": "4711", .*\]\} or that list alone\. No reminder was released\.$/;

/** The Manual Trigger's example body, its date expressions evaluated by n8n's engine as the Set node does. */
async function exampleBody(): Promise<{ invoices: IDataObject[] }> {
	const r = await runWorkflow({
		nodes: [node('manualTrigger', 'Manual Trigger'), node('evaluate', 'Example Invoices', { json: nodeOf('Example Invoices').parameters.jsonOutput as string })],
		connections: chain('Manual Trigger', 'Example Invoices'),
		input: { node: 'Manual Trigger', items: [{ json: {} }] },
	});
	expect(r.status).toBe('success');
	return r.items('Example Invoices')[0].json.body as { invoices: IDataObject[] };
}

describe('ERP webhook run: the example invoices of the Manual Trigger', () => {
	it('are dated relative to the run day, so the shipped 365-day sales window never drops them', async () => {
		const [invoice] = (await exampleBody()).invoices;
		const daysAgo = (day: unknown) => Math.round((Date.now() - Date.parse(`${String(day)}T12:00:00Z`)) / 86_400_000);
		expect(daysAgo(invoice.invoiceDate)).toBeGreaterThanOrEqual(44);
		expect(daysAgo(invoice.invoiceDate)).toBeLessThanOrEqual(46);
		expect(daysAgo(invoice.dueDate)).toBeGreaterThanOrEqual(14);
		expect(daysAgo(invoice.dueDate)).toBeLessThanOrEqual(16);
	});
});

describe('ERP webhook run: the request', () => {
	it('is refused without the Header Auth token: the Webhook ships with authentication and its credential', () => {
		expect(nodeOf('Webhook')).toMatchObject({
			parameters: { httpMethod: 'POST', path: 'dunning-run', authentication: 'headerAuth', responseMode: 'responseNode' },
			credentials: { httpHeaderAuth: { id: 'dunning-erp-token', name: 'Dunning ERP Token' } },
		});
	});

	it('is checked first, from the Webhook and from the manual example; a wrong one is answered 400 and ends there', () => {
		expect(next('Webhook')).toEqual(['Invoices in Request?']);
		expect(next('Example Invoices')).toEqual(['Invoices in Request?']);
		expect(next('Invoices in Request?', 0)).toEqual(['Company Details']);
		expect(next('Invoices in Request?', 1)).toEqual(['Respond Bad Request']);
		expect(next('Respond Bad Request')).toEqual([]);
		expect(nodeOf('Respond Bad Request')).toMatchObject({
			type: 'n8n-nodes-base.respondToWebhook',
			parameters: { respondWith: 'json', options: { responseCode: 400 } },
		});
	});

	it.each([
		['{"invoices": [...]}', { invoices: [{ invoiceId: 'A' }] }],
		['a bare list', [{ invoiceId: 'A' }]],
		['no invoices at all', { invoices: [] }],
	])('passes %s on', async (_what, body) => {
		expect((await checked(body)).passes).toBe(true);
	});

	it('passes the manual example on', async () => {
		expect((await checked(await exampleBody())).passes).toBe(true);
	});

	it.each([
		['one invoice as an object', { invoices: { invoiceId: 'A' } }, /^Its "invoices" is an object, not a list \(one invoice too goes in \[ \]\)\./],
		['a text for invoices', { invoices: 'A,B' }, /^Its "invoices" is a string, not a list/],
		['no invoices field', { rechnungen: [{ invoiceId: 'A' }], count: 1 }, /^The body has no "invoices" field \(it has rechnungen, count\)\./],
		['an empty body', {}, /^The request has no body, or none sent as JSON \(Content-Type: application\/json\)\./],
		['no body', null, /^The request has no body/],
		['text', 'invoices', /^The body is text, not JSON \(send it with Content-Type: application\/json\)\./],
		['a number', 42, /^The body is a number, not a JSON object or list\./],
	])('answers %s with 400, what is wrong and what the body must look like', async (_what, body, wrong) => {
		const { passes, answer } = await checked(body);
		expect(passes).toBe(false);
		expect(answer).toEqual({ error: 'badRequest', message: expect.stringMatching(wrong), remindersReleased: 0 });
		expect(String(answer.message)).toMatch(MUST);
	});
});
