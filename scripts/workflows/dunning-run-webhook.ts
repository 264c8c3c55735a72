import { INVOICE_ROWS_CODE, INVOICES_FROM_REQUEST_CODE, LOAD_BLOCKED_ADDRESS, RUN_SUMMARY_CODE, WITH_LEDGER_CODE } from './code-nodes';
import {
	COMPUTE_PARAMS,
	INVOICES,
	INVOICE_COLUMNS,
	NEEDED,
	PKG,
	REMINDERS,
	REMINDER_COLUMNS,
	checkColumns,
	cond,
	createTable,
	getRows,
	isTrueCondition,
	noteText,
	upsert,
} from './parameters';
import { COMPANY_DETAILS_NODE, addCompanyDetails, checkCompanyDetails } from './paper-letters';
import { releaseChain } from './release-chain';
import { type CredentialReference, WorkflowBuilder, nid } from './workflow-builder';

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
				// The shipped policy's sales window needs the invoice date (validate-invoice.ts). Dates
				// relative to the day it runs (EXAMPLE_JSON): fixed ones fell out of the 365-day window.
				invoiceDate: '@today-45',
				dueDate: '@today-15',
				openAmount: 250,
				currentLevel: 0,
			},
		],
	},
};

/** The example as the Set node's JSON, its dates n8n expressions for days before the day it runs. */
const EXAMPLE_JSON = `=${JSON.stringify(EXAMPLE_REQUEST, null, 2)}`.replace(/"@today-(\d+)"/g, '"{{ $today.minus({ days: $1 }).toISODate() }}"');

/**
 * The Header Auth credential the Webhook checks (n8n's `httpHeaderAuth`: a header name and the value it
 * must carry). Anyone who can POST sends reminders from the merchant's mailbox, so the webhook ships
 * protected: until the operator creates this credential, n8n answers every request 500 and runs nothing.
 */
export const ERP_TOKEN_CRED: Record<string, CredentialReference> = {
	httpHeaderAuth: { id: 'dunning-erp-token', name: 'Dunning ERP Token' },
};

/** A body the run can read: the invoices as a list, bare or under `invoices` (as Invoices from Request reads it). */
export const INVOICES_IN_REQUEST = '={{ Array.isArray($json.body) || Array.isArray($json.body?.invoices) }}';

/**
 * The 400 answer's message, a JavaScript expression of the Webhook's item: what is wrong with the
 * body (empty, text, no `invoices`, an `invoices` that is no list, as when an ERP sends one invoice
 * as an object) and what it must look like.
 */
const BAD_REQUEST_MESSAGE = [
	`($json.body == null || (typeof $json.body === 'object' && Object.keys($json.body).length === 0)`,
	`? 'The request has no body, or none sent as JSON (Content-Type: application/json).'`,
	`: typeof $json.body === 'string' ? 'The body is text, not JSON (send it with Content-Type: application/json).'`,
	`: typeof $json.body !== 'object' ? 'The body is a ' + typeof $json.body + ', not a JSON object or list.'`,
	`: $json.body.invoices == null ? 'The body has no "invoices" field (it has ' + Object.keys($json.body).slice(0, 10).join(', ') + ').'`,
	`: 'Its "invoices" is ' + (typeof $json.body.invoices === 'object' ? 'an object' : 'a ' + typeof $json.body.invoices) + ', not a list (one invoice too goes in [ ]).')`,
	`+ ' The body must be {"invoices": [{"invoiceId": "4711", "email": "ap@customer.example", "invoiceDate": "2026-01-01", "dueDate": "2026-01-31", "openAmount": 119.0}, …]} or that list alone. No reminder was released.'`,
].join(' ');

/** The posted invoices (a body Invoices in Request? let through: the list, bare or under `invoices`), as an expression body. */
const POSTED_INVOICES = "((body) => (Array.isArray(body) ? body : body.invoices))($('Invoices in Request?').first(0).json.body)";

/** A body the run cannot read: the caller's mistake, so 4xx (an ERP does not retry it as it would a 5xx). */
const BAD_REQUEST_STATUS = 400;

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

/** The Respond to Webhook node that answers the caller when a table lacks columns (checkColumns), 500 as wrong details are. */
function answerMissingColumns(wf: WorkflowBuilder): (message: string, x: number, y: number) => string {
	return (message, x, y) =>
		wf.add('Respond Columns Missing', 'n8n-nodes-base.respondToWebhook', 1.1, x, y, {
			respondWith: 'json',
			responseBody: `={{ JSON.stringify({ error: 'tableColumnsMissing', message: ${message}, remindersReleased: 0 }) }}`,
			options: { responseCode: WRONG_DETAILS_STATUS },
		});
}

/** Dunning run pushed by an ERP: the same decisions and releases as Dunning run, answered to the caller. */
export function dunningRunWebhook(): WorkflowBuilder {
	const wf = new WorkflowBuilder('dunningRunHook01', 'Dunning run (webhook from your ERP)');
	wf.note('Note: Overview', -460, -580, 560, 720, noteText('dunning-run-webhook.overview.md'));
	wf.note('Note: Security', 140, -560, 520, 420, noteText('dunning-run-webhook.security.md'), 3);
	const hook = wf.add(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		-400,
		260,
		{ httpMethod: 'POST', path: 'dunning-run', authentication: 'headerAuth', responseMode: 'responseNode', options: {} },
		{ credentials: ERP_TOKEN_CRED, webhookId: nid('dunning-run-webhook') },
	);
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 460);
	const example = wf.add('Example Invoices', 'n8n-nodes-base.set', 3.4, -180, 460, {
		mode: 'raw',
		options: {},
		jsonOutput: EXAMPLE_JSON,
	});
	wf.connect(manual, example);
	// As in Dunning run: filled in once by the operator; with a name, e-mail reminders carry the bank
	// account, payment reference and GiroCode. Left empty, they go without, as before.
	// A body that is no list of invoices is answered 400 before anything is checked, saved or released.
	const shape = wf.add('Invoices in Request?', 'n8n-nodes-base.if', 2.2, -180, 260, isTrueCondition('invoices-in-request', INVOICES_IN_REQUEST));
	wf.connect(hook, shape);
	wf.connect(example, shape);
	const badRequest = wf.add('Respond Bad Request', 'n8n-nodes-base.respondToWebhook', 1.1, 40, 140, {
		respondWith: 'json',
		responseBody: `={{ JSON.stringify({ error: 'badRequest', message: ${BAD_REQUEST_MESSAGE}, remindersReleased: 0 }) }}`,
		options: { responseCode: BAD_REQUEST_STATUS },
	});
	wf.connect(shape, badRequest, 1);
	const company = addCompanyDetails(wf, -180, 660);
	wf.connect(shape, company, 0);
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
	// Without an IBAN the made-up reminder pays by link when any posted invoice has one.
	const details = checkCompanyDetails(wf, company, -180, 900, { answerWrong: answerWrongDetails(wf), invoices: { list: POSTED_INVOICES } });
	wf.connect(details.checked, ensureInvoices, 0);
	wf.connect(details.notFilledIn, ensureInvoices, 1);
	wf.connect(ensureInvoices, ensure);
	// Tables of an earlier version lack columns this one writes: answered and stopped here, before
	// anything is saved or released (a row that cannot be saved would otherwise be skipped unseen).
	const checked = checkColumns(wf, { after: ensure, tables: [NEEDED.invoices, NEEDED.reminders], x: 260, y: 360, failRowY: 520, answer: answerMissingColumns(wf) });
	const invoices = wf.add('Invoices from Request', 'n8n-nodes-base.code', 2, 260, 260, {
		jsCode: INVOICES_FROM_REQUEST_CODE,
	});
	wf.connect(checked, invoices);
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
	// A customer's address blocked on another invoice (a dead address or a complaint): a new invoice
	// to it goes on paper and its row is saved blocked. Beside Load Known Invoice, which outputs only
	// the rows it found, so that this looks up every posted invoice; above it, so that (execution order
	// v1) it has run when With Ledger and Invoice Rows read it. Every blocked row of the customer: the
	// code nodes compare their failed addresses one by one with the posted list, as the dunning run
	// does. Without a customer ID it finds nothing: bounce processing then blocks only that invoice (not-delivered.ts).
	const blocked = wf.add(
		LOAD_BLOCKED_ADDRESS,
		'n8n-nodes-base.dataTable',
		1.1,
		480,
		80,
		{
			...getRows(
				INVOICES,
				[cond('customerId', "={{ String($json.customerId ?? '').trim() || '(no customer ID)' }}"), { keyName: 'emailBlocked', condition: 'isTrue' }],
				1,
			),
			returnAll: true,
		},
		{ alwaysOutputData: true },
	);
	wf.connect(invoices, blocked);
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
	wf.connect(checked, summary);
	const respond = wf.add('Respond with Decisions', 'n8n-nodes-base.respondToWebhook', 1.1, 480, 640, {
		respondWith: 'json',
		responseBody: '={{ JSON.stringify($json) }}',
		options: {},
	});
	wf.connect(summary, respond);
	// Room for the checks: what follows them moves right.
	wf.moveAfter(checked, 440);
	return wf;
}
