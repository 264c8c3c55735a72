/**
 * The shipped sender's chain (Claim Reminders → restore the reminder → Send Reminder Email →
 * Record Deliveries) through the real n8n engine, several executions at once over one ledger, as
 * overlapping ticks and queue-mode workers run it. The Data Tables are n8n's storage interface in
 * memory (test/harness/data-tables.ts); the SMTP server is a real one on loopback.
 */
import type { DataTableColumnType, IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { MemoryDataTables } from '../harness/data-tables';
import { chain, node, registerNodeType, runWorkflow } from '../harness/engine';
import { startTestServer, type TestServer } from '../mail/smtp-test-server';

const USER = 'buchhaltung@shop.example';
const PASSWORD = 'ledger-Test-Pass';

/** Stand-in for the shipped workflow's Set node "Restore Reminder" (n8n's Set node is not loaded here). */
class RestoreReminder implements INodeType {
	description = {
		displayName: 'Restore Reminder',
		name: 'restoreReminder',
		group: ['transform'],
		version: 1,
		description: 'Test stand-in: the released reminder from its payload, with reminderKey and claim',
		defaults: { name: 'Restore Reminder' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, i) => ({
				json: { ...(JSON.parse(String(item.json.payload)) as IDataObject), reminderKey: item.json.reminderKey, claim: item.json.claim },
				pairedItem: { item: i },
			})),
		];
	}
}
registerNodeType('n8n-nodes-base.restoreReminder', new RestoreReminder());

const COLUMNS: Array<{ name: string; type: DataTableColumnType }> = [
	'reminderKey', 'invoiceId', 'status', 'payload', 'messageId', 'sentAt', 'smtpResponse', 'error',
].map((name) => ({ name, type: 'string' as const }));
COLUMNS.push({ name: 'level', type: 'number' }, { name: 'attempts', type: 'number' });

function reminderRow(n: number) {
	const invoiceId = `inv-${n}`;
	const payload = {
		invoiceId,
		invoiceNumber: `RE-${n}`,
		email: `kunde${n}@kunden.example`,
		language: 'de',
		dueDate: '2026-02-09',
		currency: 'EUR',
		openAmount: 100,
		dunning: { action: 'send', level: 1, stageName: 'Zahlungserinnerung', fee: 0, interest: 0, totalDue: 100, deadline: '2026-03-02' },
	};
	return { reminderKey: `${invoiceId}#1#email`, invoiceId, level: 1, status: 'released', payload: JSON.stringify(payload) };
}

let server: TestServer;
const arrivals: Array<{ at: number; messageId: string }> = [];
beforeEach(async () => {
	arrivals.length = 0;
	server = await startTestServer({
		security: 'none',
		users: { [USER]: PASSWORD },
		onData: (_n, raw) => {
			arrivals.push({ at: Date.now(), messageId: /^Message-ID:\s*(\S+)/im.exec(raw.toString('utf8'))?.[1] ?? '' });
			return undefined;
		},
	});
});
afterEach(async () => await server.close());

function sender(minSecondsBetween: number) {
	return {
		nodes: [
			node('manualTrigger', 'Manual Trigger'),
			node('dunningLedger', 'Claim Reminders', { operation: 'claim', mailbox: 'default', minSecondsBetween, tickSeconds: 30, leaseMinutes: 15 }),
			node('n8n-nodes-base.restoreReminder', 'Restore Reminder'),
			node(
				'sendReminderEmail',
				'Send',
				{ operation: 'sendReminder', minSecondsBetween, maxPerRun: 0 },
				{ credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'Shop mailbox' } } },
			),
			node('dunningLedger', 'Record Delivery', { operation: 'record' }),
		],
		connections: chain('Manual Trigger', 'Claim Reminders', 'Restore Reminder', 'Send', 'Record Delivery'),
		credentials: {
			dunningSmtpApi: { host: '127.0.0.1', port: server.port, security: 'none', user: USER, password: PASSWORD, fromAddress: USER, fromName: 'Shop', replyTo: '', bcc: '', allowSelfSigned: false },
		},
	};
}

test('five executions started together over 20 reminders: each sent exactly once, one pace kept, every row recorded', async () => {
	const dataTables = new MemoryDataTables();
	const reminders = dataTables.create('dunning_reminders', COLUMNS, Array.from({ length: 20 }, (_, i) => reminderRow(i + 1)));
	const gapS = 0.2;
	const runs = await Promise.all([1, 2, 3, 4, 5].map((n) => runWorkflow({ ...sender(gapS), dataTables, workflowId: `sender-${n}` })));

	for (const run of runs) expect({ status: run.status, error: run.error?.message }).toEqual({ status: 'success', error: undefined });
	const ids = arrivals.map((a) => a.messageId);
	expect(ids).toHaveLength(20);
	expect(new Set(ids).size).toBe(20);
	const times = arrivals.map((a) => a.at).sort((a, b) => a - b);
	// The configured pause holds between any two messages, whichever execution sent them.
	for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(gapS * 1000);
	// Added by Claim Reminders to a table from before several mailboxes: every row belongs to "default".
	expect(reminders.rows.map((r) => [r.status, r.mailbox])).toEqual(Array.from({ length: 20 }, () => ['sent', 'default']));
	expect(new Set(reminders.rows.map((r) => r.messageId))).toEqual(new Set(ids));
	const recorded = runs.flatMap((run) => run.items('Record Delivery'));
	expect(recorded.map((i) => i.json.recorded)).toEqual(Array.from({ length: 20 }, () => true));
	// The mailboxes table was created on first use and keeps the next allowed time.
	expect(dataTables.byName('dunning_mailboxes')?.rows[0]).toMatchObject({ mailbox: 'default' });
});

test('a tick with nothing to send ends at once: Claim Reminders emits nothing, nothing is sent', async () => {
	const dataTables = new MemoryDataTables();
	dataTables.create('dunning_reminders', COLUMNS, [{ ...reminderRow(1), status: 'sent' }]);
	const run = await runWorkflow({ ...sender(60), dataTables });
	expect(run.status).toBe('success');
	expect(run.items('Claim Reminders')).toEqual([]);
	expect(run.outputs('Send')).toEqual([]);
	expect(arrivals).toEqual([]);
});

test('without a reminders table the claim fails and says which workflow creates it', async () => {
	const run = await runWorkflow({ ...sender(60), dataTables: new MemoryDataTables() });
	expect(run.status).toBe('error');
	expect(run.nodeError('Claim Reminders')?.message).toBe('The Data Table "dunning_reminders" does not exist');
	expect(run.nodeError('Claim Reminders')?.description).toMatch(/Dunning run/);
});
