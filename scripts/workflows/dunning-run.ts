import { RUN_SUMMARY_CODE } from './code-nodes';
import {
	COMPUTE_PARAMS,
	INVOICES,
	INVOICE_COLUMNS,
	PKG,
	REMINDERS,
	REMINDER_COLUMNS,
	createTable,
	noteText,
	table,
} from './parameters';
import { releaseChain } from './release-chain';
import { WorkflowBuilder } from './workflow-builder';

/** Dunning run: decides per open invoice and releases reminders; sends nothing itself. */
export function dunningRun(): WorkflowBuilder {
	const wf = new WorkflowBuilder('dunningRun00001', 'Dunning run: release reminders');
	wf.note('Note: Overview', -460, -300, 520, 460, noteText('dunning-run.overview.md'));
	wf.note('Note: Your invoices', 80, -300, 520, 260, noteText('dunning-run.your-invoices.md'), 5);
	const schedule = wf.add('Every Weekday at 09:00', 'n8n-nodes-base.scheduleTrigger', 1.2, -400, 200, {
		rule: { interval: [{ field: 'cronExpression', expression: '0 9 * * 1-5' }] },
	});
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 400);
	const ensureInvoices = wf.add(
		'Ensure Invoices Table',
		'n8n-nodes-base.dataTable',
		1.1,
		-160,
		300,
		createTable(INVOICES, INVOICE_COLUMNS),
	);
	wf.connect(schedule, ensureInvoices);
	wf.connect(manual, ensureInvoices);
	const ensure = wf.add(
		'Ensure Reminders Table',
		'n8n-nodes-base.dataTable',
		1.1,
		60,
		300,
		createTable(REMINDERS, REMINDER_COLUMNS),
	);
	wf.connect(ensureInvoices, ensure);
	const load = wf.add(
		'Load Open Invoices',
		'n8n-nodes-base.dataTable',
		1.1,
		280,
		200,
		{ operation: 'get', dataTableId: table(INVOICES), returnAll: true },
		{ alwaysOutputData: false },
	);
	wf.connect(ensure, load);
	const compute = wf.add('Compute Dunning Level', PKG + '.computeDunningLevel', 1, 500, 200, COMPUTE_PARAMS);
	wf.connect(load, compute);
	releaseChain(wf, compute, 760, 200);
	const summary = wf.add('Run Summary', 'n8n-nodes-base.code', 2, 280, 480, { jsCode: RUN_SUMMARY_CODE });
	// A second branch below the first: with execution order v1 it runs after the whole decision branch.
	wf.connect(ensure, summary);
	return wf;
}
