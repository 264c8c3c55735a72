/**
 * The generator's layout helpers (scripts/workflows/workflow-builder.ts, parameters.ts): moveAfter
 * moves the steps after a node and the sticky notes named with them; checkColumns needs a table to
 * check, or its failure nodes hang unconnected and the run goes on unchecked.
 */
import { checkColumns, MISSING_COLUMNS_NODE, NEEDED, saveMailboxHealth } from '../../scripts/workflows/parameters';
import { WorkflowBuilder } from '../../scripts/workflows/workflow-builder';

/** Start → A → B, Start → C (a second branch), and a note beside A. */
function small(): WorkflowBuilder {
	const wf = new WorkflowBuilder('layoutTest', 'Layout test');
	wf.add('Start', 'n8n-nodes-base.manualTrigger', 1, 0, 0);
	wf.add('A', 'n8n-nodes-base.noOp', 1, 200, 0);
	wf.add('B', 'n8n-nodes-base.noOp', 1, 400, 0);
	wf.add('C', 'n8n-nodes-base.noOp', 1, 200, 200);
	wf.note('Note: A', 200, -200, 300, 160, 'About A');
	wf.connect('Start', 'A');
	wf.connect('A', 'B');
	wf.connect('Start', 'C');
	return wf;
}
const positions = (wf: WorkflowBuilder) => Object.fromEntries(wf.toJson().nodes.map((n) => [n.name, n.position]));

describe('WorkflowBuilder.moveAfter', () => {
	it('moves every step after the node and the notes named, heights kept', () => {
		const wf = small();
		wf.moveAfter('Start', 440, ['Note: A']);
		expect(positions(wf)).toEqual({ Start: [0, 0], A: [640, 0], B: [840, 0], C: [640, 200], 'Note: A': [640, -200] });
	});

	it('throws for a note name that is not in the workflow (a renamed note would stay behind unseen)', () => {
		expect(() => small().moveAfter('Start', 440, ['Note: Renamed'])).toThrow('no node "Note: Renamed"');
	});

	it('throws for a step named as a note: it would move without the steps after it', () => {
		const wf = small();
		expect(() => wf.moveAfter('Start', 440, ['A'])).toThrow('"A" is not a sticky note');
		expect(positions(wf).B).toEqual([400, 0]);
	});
});

describe('checkColumns', () => {
	it('throws without a table to check: Missing Columns and Add Missing Columns would be left unconnected', () => {
		const wf = small();
		expect(() => checkColumns(wf, { after: 'Start', tables: [], x: 0, y: 400 })).toThrow('no table to check');
	});

	it('with tables, chains one check per table after the node and returns the last', () => {
		const wf = small();
		const last = checkColumns(wf, { after: 'Start', tables: [NEEDED.invoices, NEEDED.reminders], x: 0, y: 400 });
		const { connections } = wf.toJson();
		const first = connections.Start.main[0].map((t) => t.node).find((n) => n.startsWith('Check Columns'))!;
		expect(connections[first].main[0].map((t) => t.node)).toEqual([last]);
		expect(connections[last].main[1].map((t) => t.node)).toEqual([MISSING_COLUMNS_NODE]);
	});
});

describe('saveMailboxHealth', () => {
	it('gates the save itself: Mailbox Health → Health Changed? (where the caller put it) → the save on true, false left to the caller', () => {
		const wf = new WorkflowBuilder('healthGateTest', 'Health gate test');
		wf.add('Load Mailbox State', 'n8n-nodes-base.dataTable', 1.1, 0, 0);
		wf.add('Record Send Result', 'n8n-nodes-dunning.mailboxHealth', 1, 220, 0, { operation: 'recordSendResult' });
		wf.connect('Load Mailbox State', 'Record Send Result');
		const health = saveMailboxHealth(wf, {
			from: 'Record Send Result',
			gate: { x: 440, y: 60 },
			healthNode: 'Record Send Result',
			loadNode: 'Load Mailbox State',
			mailbox: {},
			whatNext: '',
			x: 660,
			y: 0,
		});
		const { nodes, connections } = wf.toJson();
		const gates = nodes.filter((n) => n.name === 'Health Changed?');
		expect(gates).toHaveLength(1);
		expect(gates[0]).toMatchObject({ type: 'n8n-nodes-base.if', position: [440, 60], executeOnce: true });
		expect(JSON.stringify(gates[0].parameters)).toContain('$json.mailboxHealth.changed');
		expect(health.gate).toBe('Health Changed?');
		expect(connections['Record Send Result'].main).toEqual([[{ node: 'Health Changed?', type: 'main', index: 0 }]]);
		expect(connections['Health Changed?'].main).toEqual([[{ node: 'Save Rejection Counts', type: 'main', index: 0 }]]);
		expect(connections[health.saved].main[1].map((t) => t.node)).toEqual(['Fail: Refusals Not Counted']);
	});
});
