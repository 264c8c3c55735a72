/**
 * An upgrade in a real n8n: the Data Tables of an earlier version (without the columns this one adds:
 * CHANGELOG › Upgrading), the shipped workflows imported again before the columns are added. Each
 * run stops at its column check (checkColumns, scripts/workflows/parameters.ts) naming the table,
 * the columns and what to do: nothing is sent, no row changes, the ERP's webhook call is answered
 * 500 with the message and the Dunning alert mails it. Once the operator adds the columns (as the
 * Data Table view does it), the same runs send. Without the check the sender sent the mail and
 * then failed to advance the invoice's level, for ever (/work/probes/review49-upgrade).
 */
import { randomUUID } from 'node:crypto';

import { INVOICE_COLUMNS, MAILBOX_COLUMNS, REMINDER_COLUMNS } from '../../scripts/workflows/parameters';
import { describeWithSandbox, SANDBOX, searchUids, waitForMessage } from '../servers/sandbox';
import { nodeOutputs } from './n8n';
import { fastSending, startStack, WEBHOOK_PATH, WEBHOOK_WORKFLOW_ID, webhookAuthHeaders, type Stack, type WorkflowJson } from './stack';

/** The columns this version added: missing from the tables an earlier version created. */
const NEW_INVOICE_COLUMNS = ['emailBlockedAddress', 'lastDeadline', 'firstDeadline', 'claimedCharges'];
const NEW_REMINDER_COLUMNS = ['replyMessageIds'];
const ALERT_TO = 'alice+alert@example.test';
/** Invoices of this run only: the sandbox is shared with earlier runs. */
const RUN = randomUUID().slice(0, 8);
const OLD_INVOICE = `UPG-${RUN}-1`;
const NEW_INVOICE = `UPG-${RUN}-2`;

type Step = Record<string, unknown> & { name: string; type: string };
const dataTable = (name: string) => ({ __rl: true, mode: 'name', value: name });

/** Manual Trigger → the steps, in a line. */
function chain(id: string, steps: Step[]): WorkflowJson {
	const nodes = [{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, ...steps].map((s, i) => ({
		typeVersion: 1.1,
		...s,
		id: `${id}-${i}`,
		position: [200 * i, 0],
	}));
	const connections = Object.fromEntries(nodes.slice(0, -1).map((n, i) => [n.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]));
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

/** Creates the tables as an earlier version did: without the columns this one added. */
function oldTablesWorkflow(): WorkflowJson {
	const create = (name: string, table: string, columns: Array<[string, string]>, without: string[]): Step => ({
		name,
		type: 'n8n-nodes-base.dataTable',
		parameters: {
			resource: 'table',
			operation: 'create',
			tableName: table,
			columns: { column: columns.filter(([c]) => !without.includes(c)).map(([c, type]) => ({ name: c, type })) },
			options: { createIfNotExists: true },
		},
	});
	return chain('upgradeOldTbl01', [
		create('Old Invoices', 'dunning_invoices', INVOICE_COLUMNS, NEW_INVOICE_COLUMNS),
		create('Old Reminders', 'dunning_reminders', REMINDER_COLUMNS, NEW_REMINDER_COLUMNS),
		create('Old Mailboxes', 'dunning_mailboxes', MAILBOX_COLUMNS, []),
	]);
}

/** Inserts rows into a table, as an ERP sync or an operator does. */
function insertWorkflow(id: string, table: string, rows: Array<Record<string, unknown>>): WorkflowJson {
	return chain(id, [
		{ name: 'Rows', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` } },
		{
			name: 'Insert',
			type: 'n8n-nodes-base.dataTable',
			parameters: { resource: 'row', operation: 'insert', dataTableId: dataTable(table), columns: { mappingMode: 'autoMapInputData', value: {}, matchingColumns: [], schema: [] }, options: {} },
		},
	]);
}

/** The invoice the ERP posts (and the earlier version's run released). */
function invoice(invoiceId: string): Record<string, unknown> {
	const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
	return {
		invoiceId,
		invoiceNumber: `RE-${invoiceId}`,
		customerId: `C-${invoiceId}`,
		customerName: 'Upgrade GmbH',
		customerType: 'business',
		email: `alice+${invoiceId.toLowerCase()}@example.test`,
		language: 'de',
		invoiceDate: day(-40),
		dueDate: day(-20),
		openAmount: 250,
		currentLevel: 0,
	};
}

/**
 * The webhook run as the earlier version had it (no column check: what follows the checks hangs on
 * their predecessor), from its Manual Trigger with `invoiceId` as the example invoice: it releases the
 * reminder into the old tables, and its row save fails unseen, as it did (Save Known Invoice goes on).
 */
function earlierWebhookRun(shipped: WorkflowJson, invoiceId: string): WorkflowJson {
	const wf = JSON.parse(JSON.stringify(shipped)) as WorkflowJson & { connections: Record<string, { main: Array<Array<{ node: string }>> }> };
	const checks = wf.nodes.map((n) => String(n.name)).filter((n) => n.startsWith('Check Columns of '));
	const failure = ['Missing Columns', 'Respond Columns Missing', 'Add Missing Columns'];
	const last = checks.find((c) => !wf.connections[c].main[0].some((t) => checks.includes(t.node))) as string;
	const before = Object.keys(wf.connections).find((n) => !checks.includes(n) && wf.connections[n].main.some((out) => out.some((t) => checks.includes(t.node)))) as string;
	wf.connections[before].main = [wf.connections[last].main[0]];
	for (const gone of [...checks, ...failure]) delete wf.connections[gone];
	wf.nodes = wf.nodes.filter((n) => !checks.includes(String(n.name)) && !failure.includes(String(n.name)));
	wf.id = 'upgradeEarlier01';
	wf.name = 'Dunning run as an earlier version had it';
	const hook = wf.nodes.find((n) => n.name === 'Webhook') as { parameters: { path: string }; webhookId: string };
	hook.parameters.path = `earlier-${RUN}`;
	hook.webhookId = randomUUID();
	const example = wf.nodes.find((n) => n.name === 'Example Invoices') as { parameters: { jsonOutput: string } };
	example.parameters.jsonOutput = JSON.stringify({ body: { invoices: [invoice(invoiceId)] } });
	return wf;
}

describeWithSandbox('an upgrade whose tables lack the new columns (real n8n)', () => {
	let stack: Stack;
	/** The id and project of each table, for adding columns as the Data Table view does. */
	const tables: Record<string, { id: string; projectId: string }> = {};

	beforeAll(async () => {
		stack = await startStack({
			patch: (name, wf) => {
				fastSending(name, wf);
				if (name === 'dunning-alert') {
					const email = wf.nodes.find((n) => n.name === 'Email the Operator') as { parameters: Record<string, unknown> };
					email.parameters.toEmail = ALERT_TO;
					email.parameters.fromEmail = SANDBOX.users.dunning.user;
				}
				// As the README asks the operator to set it: failures of the webhook run are mailed.
				if (wf.id === WEBHOOK_WORKFLOW_ID) (wf.settings as Record<string, unknown>).errorWorkflow = 'dunningAlert0001';
			},
			log: (l) => process.stdout.write(`[upgrade] ${l}\n`),
		});
		await stack.n8n.importCredentials([
			{ id: 'dunning-alert-smtp', name: 'Alert Mailbox (SMTP)', type: 'smtp', data: { host: SANDBOX.host, port: SANDBOX.smtpPort, secure: false, disableStartTls: true, user: '', password: '' } },
		]);
		// n8n 2 runs an error workflow only once it is published.
		const published = await stack.n8n.cli(['publish:workflow', '--id=dunningAlert0001']);
		expect({ code: published.code, stderr: published.code === 0 ? '' : published.stderr }).toEqual({ code: 0, stderr: '' });
		await stack.n8n.importWorkflows([
			oldTablesWorkflow(),
			earlierWebhookRun(stack.workflows['dunning-run-webhook'], OLD_INVOICE),
			insertWorkflow('upgradeInsInv01', 'dunning_invoices', [{ ...invoice(OLD_INVOICE), lastDunnedAt: '' }]),
		]);
		// Before the upgrade: the tables as the earlier version made them, a reminder it released, the invoice's row.
		const old = await stack.n8n.runManually('upgradeOldTbl01');
		expect(old.status).toBe('success');
		for (const node of ['Old Invoices', 'Old Reminders']) {
			const t = nodeOutputs(old.data, node)[0][0] as { id: string; projectId: string; name: string };
			tables[t.name] = { id: t.id, projectId: t.projectId };
		}
		const released = await stack.n8n.runManually('upgradeEarlier01');
		expect({ status: released.status, error: released.data?.resultData.error?.message }).toEqual({ status: 'success', error: undefined });
		expect((await stack.n8n.runManually('upgradeInsInv01')).status).toBe('success');
		expect((await stack.table('dunning_reminders')).map((r) => [r.invoiceId, r.status])).toEqual([[OLD_INVOICE, 'released']]);
	}, 600_000);

	afterAll(async () => {
		await stack?.dispose();
	});

	/** Adds columns to a table as the Data Table view does (its REST call). */
	async function addColumns(table: string, columns: Array<[string, string]>) {
		const { id, projectId } = tables[table];
		for (const [name, type] of columns) await stack.n8n.rest('POST', `/rest/projects/${projectId}/data-tables/${id}/columns`, { name, type });
	}
	const typed = (list: Array<[string, string]>, names: string[]) => list.filter(([c]) => names.includes(c));
	/** Every row of the invoices and reminders tables (updatedAt shows any write), without the columns added since (empty). */
	const rows = async () => {
		const asBefore = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([c, v]) => !(v === null && [...NEW_INVOICE_COLUMNS, ...NEW_REMINDER_COLUMNS].includes(c))));
		return { invoices: (await stack.table('dunning_invoices')).map(asBefore), reminders: (await stack.table('dunning_reminders')).map(asBefore) };
	};
	/** The reminders of this run's invoices that reached the customers' mailbox. */
	const mails = async (invoiceId: string) => (await searchUids('alice', 'INBOX', { header: { 'X-Dunning-Invoice': invoiceId } })).length;
	const errorOf = (r: { data: { resultData: { error?: { message?: string; node?: { name?: string } } } } | null }) => r.data?.resultData.error;
	const postInvoice = async (invoiceId: string) => {
		let res: Response | undefined;
		for (let attempt = 0; attempt < 20; attempt++) {
			res = await fetch(`${stack.n8n.baseUrl}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...webhookAuthHeaders() },
				body: JSON.stringify({ invoices: [invoice(invoiceId)] }),
				signal: AbortSignal.timeout(60_000),
			});
			if (res.status !== 404) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		return res as Response;
	};

	const reminderMessage =
		"Data table dunning_reminders lacks a column this version of the dunning workflows needs: replyMessageIds (string). Add it in n8n (Overview › Data tables › dunning_reminders, + next to the last column, same name and type; see CHANGELOG › Upgrading), then run again. This run stopped before it sent, printed, released or saved anything. (n8n says: Filter validation failed: Column(s) \"replyMessageIds\" do not exist";
	const invoiceMessage =
		'Data table dunning_invoices lacks columns this version of the dunning workflows needs: emailBlockedAddress (string), lastDeadline (string), firstDeadline (string), claimedCharges (number). Add them in n8n';

	test('the webhook run answers 500 naming the missing columns, saves and releases nothing, and the alert mails it', async () => {
		const before = await rows();
		const alertSearch = { to: ALERT_TO, subject: 'Dunning stopped: Dunning run (webhook from your ERP)' };
		const alertsBefore = (await searchUids('alice', 'INBOX', alertSearch)).length;
		const res = await postInvoice(NEW_INVOICE);
		expect(res.status).toBe(500);
		const body = (await res.json()) as { error: string; message: string; remindersReleased: number };
		expect(body).toMatchObject({ error: 'tableColumnsMissing', remindersReleased: 0 });
		expect(body.message).toContain(invoiceMessage);
		expect(await rows()).toEqual(before);
		const alerts = await waitForMessage('alice', { search: alertSearch, count: alertsBefore + 1, timeoutMs: 60_000 });
		const newest = alerts.reduce((a, b) => (b.uid > a.uid ? b : a));
		const text = newest.source.toString('utf8').replace(/=\r?\n/g, '');
		expect(text).toContain('failed at "Add Missing Columns"');
		expect(text).toContain(invoiceMessage);
	});

	test('the sender stops at the check before it claims or sends anything, table by table, and sends once the columns are there', async () => {
		const before = await rows();
		const mailed = await mails(OLD_INVOICE);

		const first = await stack.n8n.runManually('sendReleased0001');
		expect(first.status).toBe('error');
		expect(errorOf(first)?.node?.name).toBe('Add Missing Columns');
		expect(errorOf(first)?.message).toContain(reminderMessage);
		expect(nodeOutputs(first.data, 'Send Reminder Email')).toEqual([]);
		expect(await rows()).toEqual(before);

		await addColumns('dunning_reminders', typed(REMINDER_COLUMNS, NEW_REMINDER_COLUMNS));
		const second = await stack.n8n.runManually('sendReleased0001');
		expect(second.status).toBe('error');
		expect(errorOf(second)?.message).toContain(invoiceMessage);
		expect(nodeOutputs(second.data, 'Send Reminder Email')).toEqual([]);
		expect(await rows()).toEqual(before);
		// Nothing went out: the reminder is still released, and no mail came.
		await new Promise((r) => setTimeout(r, 2000));
		expect(await mails(OLD_INVOICE)).toBe(mailed);

		await addColumns('dunning_invoices', typed(INVOICE_COLUMNS, NEW_INVOICE_COLUMNS));
		const third = await stack.n8n.runManually('sendReleased0001');
		expect({ status: third.status, error: errorOf(third)?.message }).toEqual({ status: 'success', error: undefined });
		await waitForMessage('alice', { search: { header: { 'X-Dunning-Invoice': OLD_INVOICE } }, count: mailed + 1, timeoutMs: 60_000 });
		const after = await rows();
		expect(after.reminders.find((r) => r.invoiceId === OLD_INVOICE)).toMatchObject({ status: 'sent' });
		// The level moved on with the mail, and the deadline it stated is kept.
		expect(after.invoices.find((r) => r.invoiceId === OLD_INVOICE)).toMatchObject({ currentLevel: 1, lastDeadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
	});

	test('with the columns there, the webhook run saves the posted invoice and releases its reminder', async () => {
		const res = await postInvoice(NEW_INVOICE);
		expect(res.status).toBe(200);
		const body = (await res.json()) as { decisions: Array<{ invoiceId: string; action: string; released: boolean }> };
		expect(body.decisions).toEqual([expect.objectContaining({ invoiceId: NEW_INVOICE, action: 'send', released: true })]);
		const after = await rows();
		expect(after.invoices.map((r) => r.invoiceId)).toContain(NEW_INVOICE);
		expect(after.reminders.find((r) => r.invoiceId === NEW_INVOICE)).toMatchObject({ status: 'released' });
	});
});
