import { MAILBOX_CHECK_CODE } from './code-nodes';
import { IMAP_CRED, PKG, SMTP_CRED, noteText, setNode } from './parameters';
import { WorkflowBuilder } from './workflow-builder';

/** Mailbox check: sends a test mail over SMTP and reads it back over IMAP. */
export function mailboxCheck(): WorkflowBuilder {
	const wf = new WorkflowBuilder('mailboxCheck0001', 'Mailbox check');
	wf.note('Note: Overview', -460, -220, 520, 400, noteText('mailbox-check.overview.md'));
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 200);
	const settings = wf.add(
		'Settings',
		'n8n-nodes-base.set',
		3.4,
		-180,
		200,
		setNode([['testRecipient', 'dunning@example.test', 'string']]),
	);
	wf.connect(manual, settings);
	const send = wf.add(
		'Send Test Mail',
		PKG + '.sendReminderEmail',
		1,
		40,
		200,
		{ operation: 'sendTestMail', testRecipient: '={{ $json.testRecipient }}' },
		{ credentials: SMTP_CRED },
	);
	wf.connect(settings, send);
	const wait = wf.add('Wait for Delivery', 'n8n-nodes-base.wait', 1.1, 260, 200, {
		resume: 'timeInterval',
		amount: 3,
		unit: 'seconds',
	});
	wf.connect(send, wait);
	const read = wf.add(
		'Read Mailbox',
		PKG + '.readMailbox',
		1.1,
		480,
		200,
		// Only the test mail, found by the server (SEARCH HEADER Message-ID) or else by the unread
		// messages' envelopes: reading every unread message of a shared inbox in full to find it took
		// long or ran out of memory. The cap counts matches: a second guard.
		{
			folder: '',
			mode: 'unseen',
			firstRun: 'all',
			maxMessages: 10,
			postAction: 'none',
			options: { onlyMessageId: "={{ $('Send Test Mail').first().json.delivery.messageId }}" },
		},
		// Nothing unread (the test mail did not arrive) is an empty output: Check Result must still run to say so.
		{ credentials: IMAP_CRED, alwaysOutputData: true },
	);
	wf.connect(wait, read);
	const check = wf.add('Check Result', 'n8n-nodes-base.code', 2, 700, 200, { jsCode: MAILBOX_CHECK_CODE });
	wf.connect(read, check);
	return wf;
}
