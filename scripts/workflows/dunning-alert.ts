import { ALERT_KEY_CODE, DECIDE_ALERT_CODE } from './code-nodes';
import { ALERT_COLUMNS, ALERTS, cond, createTable, getRows, isTrueCondition, noteText, setNode, update, upsert } from './parameters';
import { WorkflowBuilder } from './workflow-builder';

/** n8n's own SMTP credential (the Send Email node cannot use ours): any mailbox that reaches the operator. */
export const ALERT_SMTP_CRED = { smtp: { id: 'dunning-alert-smtp', name: 'Alert Mailbox (SMTP)' } };

/** What an example failure looks like, for a manual test of the alert (the Error Trigger's output shape). */
const EXAMPLE_FAILURE = {
	execution: {
		id: 'example',
		url: '',
		lastNodeExecuted: 'Check Mailbox Health',
		error: {
			message:
				'Sending from mailbox "default" is paused: reminders were refused because of DMARC (5.7.26). Fix: add the SMTP host to the domain\'s SPF record and turn on DKIM signing for the sender domain, so that the From address passes DMARC. (This is an example alert.)',
		},
	},
	workflow: { id: 'sendReleased0001', name: 'Send released reminders' },
};

/** Error workflow: tells the operator when a dunning workflow fails (a paused mailbox, a refused login …). */
export function dunningAlert(): WorkflowBuilder {
	const wf = new WorkflowBuilder('dunningAlert0001', 'Dunning alert (error workflow)');
	wf.note('Note: Overview', -460, -300, 560, 420, noteText('dunning-alert.overview.md'));
	const trigger = wf.add('Error Trigger', 'n8n-nodes-base.errorTrigger', 1, -400, 200);
	const settings = wf.add('Settings', 'n8n-nodes-base.set', 3.4, -180, 200, setNode([['repeatHours', 24, 'number']]));
	wf.connect(trigger, settings);
	// An alert that cannot be remembered is mailed rather than lost: the table steps go on when they fail.
	const remember = { onError: 'continueRegularOutput' } as const;
	const ensure = wf.add('Ensure Alerts Table', 'n8n-nodes-base.dataTable', 1.1, 40, 200, createTable(ALERTS, ALERT_COLUMNS), { executeOnce: true, ...remember });
	wf.connect(settings, ensure);
	const key = wf.add('Alert Key', 'n8n-nodes-base.code', 2, 260, 200, { jsCode: ALERT_KEY_CODE });
	wf.connect(ensure, key);
	const load = wf.add('Load Last Alert', 'n8n-nodes-base.dataTable', 1.1, 480, 200, getRows(ALERTS, [cond('alertKey', '={{ $json.alert.key }}')], 1), {
		alwaysOutputData: true,
		...remember,
	});
	wf.connect(key, load);
	const decide = wf.add('Decide Alert', 'n8n-nodes-base.code', 2, 700, 200, { jsCode: DECIDE_ALERT_CODE });
	wf.connect(load, decide);
	const mailNow = wf.add('Mail Now?', 'n8n-nodes-base.if', 2.2, 920, 200, isTrueCondition('Mail Now?/1', '={{ $json.alert.mailNow }}'));
	wf.connect(decide, mailNow);
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, 700, 560);
	// A test by hand is always mailed and never counted.
	const example = wf.add('Example Failure', 'n8n-nodes-base.code', 2, 920, 560, {
		jsCode: `// What the Error Trigger hands over when a workflow fails, to try the alert by hand.\nreturn [{ json: ${JSON.stringify(EXAMPLE_FAILURE, null, 2)} }];\n`,
	});
	wf.connect(manual, example);
	const email = wf.add(
		'Email the Operator',
		'n8n-nodes-base.emailSend',
		2.1,
		1180,
		100,
		{
			fromEmail: 'dunning@your-company.example',
			toEmail: 'you@your-company.example',
			subject: '=Dunning stopped: {{ $json.workflow.name }}',
			emailFormat: 'text',
			// A failure in the trigger itself (a poll or activation error) comes without an execution:
			// n8n hands over { trigger: { error, mode } } instead of { execution }.
			text:
				"=The workflow \"{{ $json.workflow.name }}\" failed {{ $json.execution ? 'at \"' + $json.execution.lastNodeExecuted + '\"' : 'in its trigger' + ($json.trigger?.error?.node?.name ? ' \"' + $json.trigger.error.node.name + '\"' : '') }}:\n\n" +
				"{{ ($json.execution ?? $json.trigger)?.error?.message ?? 'n8n gave no error message' }}\n\n" +
				"{{ $json.execution?.url ? 'Execution: ' + $json.execution.url : '' }}\n" +
				"{{ $json.alert?.repeats ? 'It failed the same way ' + $json.alert.repeats + ' more times since the last alert.' : '' }}\n" +
				'Nothing is lost: released reminders wait until the cause is fixed.\n' +
				"{{ $json.alert ? 'While it lasts, this alert comes again every ' + $json.alert.repeatHours + ' hours (repeatHours in Settings of the workflow \"Dunning alert\").' : '' }}",
			options: {},
		},
		{ credentials: ALERT_SMTP_CRED },
	);
	wf.connect(mailNow, email, 0);
	wf.connect(example, email);
	// Recorded after the mail went out (execution order v1: the upper branch first), so that a mail
	// that failed is tried again at the next failure.
	const save = wf.add(
		'Save Alert',
		'n8n-nodes-base.dataTable',
		1.1,
		1180,
		280,
		upsert(ALERTS, [cond('alertKey', '={{ $json.alert.key }}')], {
			alertKey: '={{ $json.alert.key }}',
			workflowId: '={{ $json.alert.workflowId }}',
			workflowName: "={{ $json.workflow?.name ?? '' }}",
			message: '={{ $json.alert.message }}',
			lastMailedAt: '={{ Date.now() }}',
			repeats: 0,
		}),
		remember,
	);
	wf.connect(mailNow, save, 0);
	const repeat = wf.add(
		'Count Repeat',
		'n8n-nodes-base.dataTable',
		1.1,
		1180,
		460,
		update(ALERTS, [cond('alertKey', '={{ $json.alert.key }}')], { repeats: '={{ $json.alert.repeats + 1 }}' }),
		remember,
	);
	wf.connect(mailNow, repeat, 1);
	return wf;
}
