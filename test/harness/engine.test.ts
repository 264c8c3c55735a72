/**
 * The harness is what every node test stands on: check that it really runs the engine (items,
 * several outputs, credentials, processed-data helper, static data, failures) before trusting it.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { chain, node, registerNodeType, runWorkflow } from './engine';

class Probe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'Splits items by parity and reports what the engine handed it',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main', 'main'],
		outputNames: ['Even', 'Odd'],
		credentials: [{ name: 'probeApi', required: false }],
		properties: [{ displayName: 'Fail', name: 'fail', type: 'boolean', default: false }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNodeParameter('fail', 0)) throw new NodeOperationError(this.getNode(), 'asked to fail');
		const credentials = await this.getCredentials('probeApi').catch(() => undefined);
		const { new: fresh } = await this.helpers.checkProcessedAndRecord(
			this.getInputData().map((item) => String(item.json.n)),
			'node',
			{ mode: 'entries' },
		);
		const staticData = this.getWorkflowStaticData('node');
		staticData.runs = Number(staticData.runs ?? 0) + 1;
		const even: INodeExecutionData[] = [];
		const odd: INodeExecutionData[] = [];
		this.getInputData().forEach((item, index) => {
			const json = { ...item.json, user: credentials?.user, fresh: fresh.includes(String(item.json.n)) };
			(Number(item.json.n) % 2 === 0 ? even : odd).push({ json, pairedItem: { item: index } });
		});
		return [even, odd];
	}
}

beforeAll(() => registerNodeType('n8n-nodes-base.probe', new Probe()));

const items = [1, 2, 3, 4].map((n) => ({ json: { n } }));
const probeWorkflow = (parameters = {}) => ({
	workflowId: 'harness-probe',
	nodes: [
		node('probe', 'Probe', parameters, { type: 'n8n-nodes-base.probe', credentials: { probeApi: { id: 'c1', name: 'probe' } } }),
	],
	input: { node: 'Probe', items },
	credentials: { c1: { user: 'ada' } },
});

test('routes items to several outputs and serves credentials', async () => {
	const result = await runWorkflow(probeWorkflow());
	expect(result.status).toBe('success');
	expect(result.items('Probe', 0).map((i) => i.json.n)).toEqual([2, 4]);
	expect(result.items('Probe', 1).map((i) => i.json.n)).toEqual([1, 3]);
	expect(result.items('Probe', 0)[0].json.user).toBe('ada');
});

test('processed-data records and static data survive from one run to the next', async () => {
	// The same workflow (same node ids) run twice, as n8n runs a saved workflow.
	const workflow = { ...probeWorkflow(), workflowId: 'harness-dedup', staticData: {} };
	const first = await runWorkflow(workflow);
	const second = await runWorkflow(workflow);
	expect(first.items('Probe', 1).map((i) => i.json.fresh)).toEqual([true, true]);
	expect(second.items('Probe', 1).map((i) => i.json.fresh)).toEqual([false, false]);
	expect(Object.values(second.staticData)).toContainEqual({ runs: 2 });
});

test('a failing node ends the run with status error and its message', async () => {
	const result = await runWorkflow(probeWorkflow({ fail: true }));
	expect(result.status).toBe('error');
	expect(result.error?.message).toBe('asked to fail');
	expect(result.nodeError('Probe')?.message).toBe('asked to fail');
});

test('a manual trigger starts the run when no input is seeded', async () => {
	const result = await runWorkflow({
		nodes: [node('manualTrigger', 'Start'), node('noOp', 'Pass')],
		connections: chain('Start', 'Pass'),
	});
	expect(result.status).toBe('success');
	expect(result.items('Pass')).toEqual([expect.objectContaining({ json: {} })]);
});
