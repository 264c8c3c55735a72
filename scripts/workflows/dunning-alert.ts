import { noteText } from './parameters';
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
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 400);
	const example = wf.add('Example Failure', 'n8n-nodes-base.code', 2, -180, 400, {
		jsCode: `// What the Error Trigger hands over when a workflow fails, to try the alert by hand.\nreturn [{ json: ${JSON.stringify(EXAMPLE_FAILURE, null, 2)} }];\n`,
	});
	wf.connect(manual, example);
	const email = wf.add(
		'Email the Operator',
		'n8n-nodes-base.emailSend',
		2.1,
		60,
		300,
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
				'Nothing is lost: released reminders wait until the cause is fixed.',
			options: {},
		},
		{ credentials: ALERT_SMTP_CRED },
	);
	wf.connect(trigger, email);
	wf.connect(example, email);
	return wf;
}
