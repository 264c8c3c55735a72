import { INVOICE_ROWS_CODE, INVOICES_FROM_REQUEST_CODE, RUN_SUMMARY_CODE, WITH_LEDGER_CODE } from './code-nodes';
import { COMPUTE_PARAMS, INVOICES, INVOICE_COLUMNS, PKG, REMINDERS, REMINDER_COLUMNS, cond, createTable, getRows, noteText, upsert } from './parameters';
import { COMPANY_DETAILS_NODE, addCompanyDetails, checkCompanyDetails } from './paper-letters';
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

/**
 * Wrong Company Details: 500, as the request is fine and the fault is this workflow's setting (an ERP
 * retries a 5xx once the operator has corrected it; a 4xx would say its invoices were wrong). Answered
 * before the run stops, so the caller learns why instead of n8n's bare "Error in workflow".
 */
const WRONG_DETAILS_STATUS = 500;

/** The Respond to Webhook node that answers the caller when the check of the company details failed. */
function answerWrongDetails(wf: WorkflowBuilder): (message: string, x: number, y: number) => string {
	return (message, x, y) =>
		wf.add('Respond Company Details Wrong', 'n8n-nodes-base.respondToWebhook', 1.1, x, y, {
			respondWith: 'json',
			// The same text as the run's error, which names the field (the error output carries no more).
			responseBody: `={{ JSON.stringify({ error: 'companyDetailsWrong', message: ${message}, remindersReleased: 0 }) }}`,
			options: { responseCode: WRONG_DETAILS_STATUS },
		});
}

/** Dunning run pushed by an ERP: the same decisions and releases as Dunning run, answered to the caller. */
export function dunningRunWebhook(): WorkflowBuilder {
	const wf = new WorkflowBuilder('dunningRunHook01', 'Dunning run (webhook from your ERP)');
	wf.note('Note: Overview', -460, -580, 560, 720, noteText('dunning-run-webhook.overview.md'));
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
	// As in Dunning run: filled in once by the operator; with a name, e-mail reminders carry the bank
	// account, payment reference and GiroCode. Left empty, they go without, as before.
	const company = addCompanyDetails(wf, -180, 660);
	wf.connect(hook, company);
	wf.connect(example, company);
	const ensure = wf.add(
		'Ensure Reminders Table',
		'n8n-nodes-base.dataTable',
		1.1,
		40,
		360,
		createTable(REMINDERS, REMINDER_COLUMNS),
	);
	// The invoices table too: posted invoices are kept in it, and the sender and bounce processing
	// update their levels and flags there.
	const ensureInvoices = wf.add('Ensure Invoices Table', 'n8n-nodes-base.dataTable', 1.1, 40, 560, createTable(INVOICES, INVOICE_COLUMNS));
	// Wrong details stop the run here, before anything is saved or released, and the caller is told.
	const details = checkCompanyDetails(wf, company, -180, 900, { answerWrong: answerWrongDetails(wf) });
	wf.connect(details.checked, ensureInvoices, 0);
	wf.connect(details.notFilledIn, ensureInvoices, 1);
	wf.connect(ensureInvoices, ensure);
	const invoices = wf.add('Invoices from Request', 'n8n-nodes-base.code', 2, 260, 260, {
		jsCode: INVOICES_FROM_REQUEST_CODE,
	});
	wf.connect(ensure, invoices);
	// What the workflows learnt about each invoice since the ERP last posted it (dunning_invoices).
	const known = wf.add(
		'Load Known Invoice',
		'n8n-nodes-base.dataTable',
		1.1,
		480,
		260,
		getRows(INVOICES, [cond('invoiceId', "={{ String($json.invoiceId ?? '') }}")], 1),
		{ alwaysOutputData: true },
	);
	wf.connect(invoices, known);
	const ledger = wf.add('With Ledger', 'n8n-nodes-base.code', 2, 700, 260, { jsCode: WITH_LEDGER_CODE });
	wf.connect(known, ledger);
	// Above Compute Dunning Level, so that (execution order v1) the rows are saved before the
	// release chain advances a paper reminder's level in them. A row that cannot be saved (a value
	// the table refuses) does not stop the run: its invoice is still decided and answered.
	const rows = wf.add('Invoice Rows', 'n8n-nodes-base.code', 2, 920, 0, { jsCode: INVOICE_ROWS_CODE });
	wf.connect(ledger, rows);
	const save = wf.add(
		'Save Known Invoice',
		'n8n-nodes-base.dataTable',
		1.1,
		1140,
		0,
		upsert(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], null),
		{ onError: 'continueRegularOutput' },
	);
	wf.connect(rows, save);
	const compute = wf.add('Compute Dunning Level', PKG + '.computeDunningLevel', 1, 920, 260, COMPUTE_PARAMS);
	wf.connect(ledger, compute);
	releaseChain(wf, compute, 1180, 260, { companyDetailsNode: COMPANY_DETAILS_NODE });
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
