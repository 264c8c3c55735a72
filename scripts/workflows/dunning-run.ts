import { BLOCKED_ADDRESSES_CODE, DUNNING_RUN_SUMMARY_CODE, ONE_INVOICE_PER_ITEM_CODE } from './code-nodes';
import { COMPANY_DETAILS_NODE, addCompanyDetails, checkCompanyDetails, giveBackInterruptedLetters } from './paper-letters';
import {
	COMPUTE_PARAMS,
	INVOICES,
	INVOICE_COLUMNS,
	PKG,
	REMINDERS,
	NEEDED,
	REMINDER_COLUMNS,
	checkColumns,
	createTable,
	getRows,
	noteText,
	table,
} from './parameters';
import { releaseChain } from './release-chain';
import { WorkflowBuilder } from './workflow-builder';

/** The node that looks for one invoice row with a payment link before the company details are checked. */
const INVOICE_WITH_LINK = 'Invoice with Payment Link';

/**
 * Loads one row of dunning_invoices with a paymentLink, or none. A table without that column (as
 * shipped), or not created yet (the first run), makes an error item: no link, as none is read.
 */
function invoiceWithLink(wf: WorkflowBuilder): (x: number, y: number) => string {
	return (x, y) =>
		wf.add(
			INVOICE_WITH_LINK,
			'n8n-nodes-base.dataTable',
			1.1,
			x,
			y,
			getRows(INVOICES, [{ keyName: 'paymentLink', condition: 'isNotEmpty' }], 1),
			{ alwaysOutputData: true, onError: 'continueRegularOutput' },
		);
}

/** Dunning run: decides per open invoice, releases e-mail reminders and prints the paper ones as one batch. */
export function dunningRun(): WorkflowBuilder {
	const wf = new WorkflowBuilder('dunningRun00001', 'Dunning run: release reminders');
	wf.note('Note: Overview', -480, -420, 660, 680, noteText('dunning-run.overview.md'));
	wf.note('Note: Your invoices', 200, -300, 520, 260, noteText('dunning-run.your-invoices.md'), 5);
	const schedule = wf.add('Every Weekday at 09:00', 'n8n-nodes-base.scheduleTrigger', 1.2, -400, 300, {
		rule: { interval: [{ field: 'cronExpression', expression: '0 9 * * 1-5' }] },
	});
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 500);
	// Filled in once by the operator; empty values make the first paper letter fail naming the field.
	// With a name, e-mail reminders carry them too (bank account, payment reference, GiroCode).
	const company = addCompanyDetails(wf, -160, 400);
	wf.connect(schedule, company);
	wf.connect(manual, company);
	const ensureInvoices = wf.add(
		'Ensure Invoices Table',
		'n8n-nodes-base.dataTable',
		1.1,
		60,
		400,
		createTable(INVOICES, INVOICE_COLUMNS),
	);
	// Wrong details stop the run here, before any reminder is released with them. Without an IBAN the
	// made-up reminder pays by link when any invoice row has one (a paymentLink column you added).
	// `$json`, the one item of the lookup: n8n gives `.all()` of a node that output an error item as
	// undefined (the shipped table has no paymentLink column: the lookup fails, and so reads "no link").
	const details = checkCompanyDetails(wf, company, -160, 640, { invoices: { list: '[$json]', load: invoiceWithLink(wf) } });
	wf.connect(details.checked, ensureInvoices, 0);
	wf.connect(details.notFilledIn, ensureInvoices, 1);
	const ensure = wf.add(
		'Ensure Reminders Table',
		'n8n-nodes-base.dataTable',
		1.1,
		280,
		400,
		createTable(REMINDERS, REMINDER_COLUMNS),
	);
	wf.connect(ensureInvoices, ensure);
	// Tables of an earlier version lack columns this one writes: stop here, before any key is taken.
	const checked = checkColumns(wf, { after: ensure, tables: [NEEDED.invoices, NEEDED.reminders], x: 500, y: 400, failRowY: 200 });
	// Above the release, so that with execution order v1 it runs first and the keys it frees are free for this run.
	giveBackInterruptedLetters(wf, checked, 500, 40);
	const load = wf.add(
		'Load Open Invoices',
		'n8n-nodes-base.dataTable',
		1.1,
		500,
		300,
		{ operation: 'get', dataTableId: table(INVOICES), returnAll: true },
		{ alwaysOutputData: false },
	);
	wf.connect(checked, load);
	// A customer's address blocked on one row (bounce processing) counts for the rows your ERP added since.
	const blocked = wf.add('Blocked Addresses', 'n8n-nodes-base.code', 2, 720, 300, { jsCode: BLOCKED_ADDRESSES_CODE });
	wf.connect(load, blocked);
	const compute = wf.add('Compute Dunning Level', PKG + '.computeDunningLevel', 1, 940, 300, COMPUTE_PARAMS);
	wf.connect(blocked, compute);
	// Group by Customer switched on in Compute stops the run here, before any reminder is released:
	// above the release nodes, so that with execution order v1 it runs before them.
	const perInvoice = wf.add('One Invoice per Reminder?', 'n8n-nodes-base.code', 2, 1080, 60, { jsCode: ONE_INVOICE_PER_ITEM_CODE });
	wf.connect(compute, perInvoice, 0);
	wf.connect(compute, perInvoice, 1);
	releaseChain(wf, compute, 1200, 300, { letters: true, companyDetailsNode: COMPANY_DETAILS_NODE });
	const summary = wf.add('Run Summary', 'n8n-nodes-base.code', 2, 500, 1000, { jsCode: DUNNING_RUN_SUMMARY_CODE });
	// A second branch below the first: with execution order v1 it runs after the whole decision branch.
	wf.connect(checked, summary);
	// Room for the checks: what follows them moves right, with the notes about it (Your invoices: put your source before Load Open Invoices).
	wf.moveAfter(checked, 440, ['Note: Your invoices', 'Note: Letters']);
	return wf;
}
