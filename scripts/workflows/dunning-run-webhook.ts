import { INVOICES_FROM_REQUEST_CODE, RUN_SUMMARY_CODE } from './code-nodes';
import { COMPUTE_PARAMS, INVOICES, INVOICE_COLUMNS, PKG, REMINDERS, REMINDER_COLUMNS, createTable, noteText } from './parameters';
import { releaseChain } from './release-chain';
import { WorkflowBuilder, nid } from './workflow-builder';

/** For a manual run: what an ERP would POST. */
const EXAMPLE_REQUEST = {
	body: {
		invoices: [
			{
				invoiceId: 'EX-1',
				invoiceNumber: 'RE-EX-1',
				customerId: 'EX',
				customerName: 'Example GmbH',
				customerType: 'business',
				email: 'alice+example@example.test',
				language: 'de',
				dueDate: '2026-01-15',
				openAmount: 250,
				currentLevel: 0,
			},
		],
	},
};

/** Dunning run pushed by an ERP: the same decisions and releases as Dunning run, answered to the caller. */
export function dunningRunWebhook(): WorkflowBuilder {
	const wf = new WorkflowBuilder('dunningRunHook01', 'Dunning run (webhook from your ERP)');
	wf.note('Note: Overview', -460, -420, 560, 560, noteText('dunning-run-webhook.overview.md'));
	wf.note('Note: Security', 140, -460, 420, 260, noteText('dunning-run-webhook.security.md'), 3);
	const hook = wf.add(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		-400,
		260,
		{ httpMethod: 'POST', path: 'dunning-run', responseMode: 'responseNode', options: {} },
		{ webhookId: nid('dunning-run-webhook') },
	);
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 460);
	const example = wf.add('Example Invoices', 'n8n-nodes-base.set', 3.4, -180, 460, {
		mode: 'raw',
		options: {},
		jsonOutput: JSON.stringify(EXAMPLE_REQUEST, null, 2),
	});
	wf.connect(manual, example);
	const ensure = wf.add(
		'Ensure Reminders Table',
		'n8n-nodes-base.dataTable',
		1.1,
		40,
		360,
		createTable(REMINDERS, REMINDER_COLUMNS),
	);
	// The invoices table too: the sender and bounce processing update levels and flags in it.
	const ensureInvoices = wf.add('Ensure Invoices Table', 'n8n-nodes-base.dataTable', 1.1, -180, 660, createTable(INVOICES, INVOICE_COLUMNS));
	wf.connect(hook, ensureInvoices);
	wf.connect(example, ensureInvoices);
	wf.connect(ensureInvoices, ensure);
	const invoices = wf.add('Invoices from Request', 'n8n-nodes-base.code', 2, 260, 260, {
		jsCode: INVOICES_FROM_REQUEST_CODE,
	});
	wf.connect(ensure, invoices);
	const compute = wf.add('Compute Dunning Level', PKG + '.computeDunningLevel', 1, 480, 260, COMPUTE_PARAMS);
	wf.connect(invoices, compute);
	releaseChain(wf, compute, 740, 260);
	const summary = wf.add('Run Summary', 'n8n-nodes-base.code', 2, 260, 640, { jsCode: RUN_SUMMARY_CODE });
	wf.connect(ensure, summary);
	const respond = wf.add('Respond with Decisions', 'n8n-nodes-base.respondToWebhook', 1.1, 480, 640, {
		respondWith: 'json',
		responseBody: '={{ JSON.stringify($json) }}',
		options: {},
	});
	wf.connect(summary, respond);
	return wf;
}
