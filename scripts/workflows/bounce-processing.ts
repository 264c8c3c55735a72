import { BOUNCE_SUMMARY_CODE } from './code-nodes';
import { IMAP_CRED, INVOICES, PKG, REMINDERS, cond, noteText, notEmptyCondition, update } from './parameters';
import { WorkflowBuilder } from './workflow-builder';

const ORIGINAL_MESSAGE_ID = '={{ $json.bounce.originalMessageId }}';

/** Bounce processing: reads the sender mailbox and feeds undeliverable reminders back. */
export function bounceProcessing(): WorkflowBuilder {
	const wf = new WorkflowBuilder('bounceProcess001', 'Bounce processing');
	wf.note('Note: Overview', -460, -260, 560, 440, noteText('bounce-processing.overview.md'));
	wf.note('Note: After reading', 120, -260, 460, 200, noteText('bounce-processing.after-reading.md'), 5);
	const schedule = wf.add('Every 15 Minutes', 'n8n-nodes-base.scheduleTrigger', 1.2, -400, 260, {
		rule: { interval: [{ field: 'minutes', minutesInterval: 15 }] },
	});
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 460);
	const read = wf.add(
		'Read Mailbox',
		PKG + '.readMailbox',
		1,
		-160,
		360,
		{ folder: '', mode: 'sinceUid', firstRun: 'all', maxMessages: 200, postAction: 'none', options: {} },
		{ credentials: IMAP_CRED },
	);
	wf.connect(schedule, read);
	wf.connect(manual, read);
	const classify = wf.add('Classify Bounce', PKG + '.classifyBounce', 1, 60, 260, {
		source: 'binary',
		binaryPropertyName: 'data',
	});
	wf.connect(read, classify);
	const oursHard = wf.add(
		'Ours? (Hard)',
		'n8n-nodes-base.filter',
		2.2,
		300,
		140,
		notEmptyCondition('Ours? (Hard)', ORIGINAL_MESSAGE_ID),
	);
	wf.connect(classify, oursHard, 0);
	const oursSoft = wf.add(
		'Ours? (Soft)',
		'n8n-nodes-base.filter',
		2.2,
		300,
		380,
		notEmptyCondition('Ours? (Soft)', ORIGINAL_MESSAGE_ID),
	);
	wf.connect(classify, oursSoft, 1);
	// Only reminders still `sent` change: a bounce read a second time finds nothing to do.
	const bounced = wf.add(
		'Mark Reminder Bounced',
		'n8n-nodes-base.dataTable',
		1.1,
		540,
		140,
		update(REMINDERS, [cond('messageId', ORIGINAL_MESSAGE_ID), cond('status', 'sent')], {
			status: 'bounced',
			bounceReason: "={{ $json.bounce.reason }}{{ $json.bounce.status ? ' (' + $json.bounce.status + ')' : '' }}",
			bouncedAt: '={{ $now.toISO() }}',
		}),
	);
	wf.connect(oursHard, bounced);
	const block = wf.add(
		'Block Customer Email',
		'n8n-nodes-base.dataTable',
		1.1,
		800,
		60,
		update(INVOICES, [cond('customerId', '={{ $json.customerId }}')], { emailBlocked: true }),
	);
	wf.connect(bounced, block);
	const takeBack = wf.add(
		'Take Back Level',
		'n8n-nodes-base.dataTable',
		1.1,
		800,
		240,
		update(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], {
			currentLevel: '={{ $json.previousLevel }}',
			lastDunnedAt: '={{ $json.previousLastDunnedAt }}',
		}),
	);
	wf.connect(bounced, takeBack);
	const soft = wf.add(
		'Note Soft Bounce',
		'n8n-nodes-base.dataTable',
		1.1,
		540,
		380,
		update(REMINDERS, [cond('messageId', ORIGINAL_MESSAGE_ID), cond('status', 'sent')], {
			bounceReason: '=soft: {{ $json.bounce.reason }}',
			bouncedAt: '={{ $now.toISO() }}',
		}),
	);
	wf.connect(oursSoft, soft);
	const move = wf.add(
		'Move Bounce',
		PKG + '.readMailbox',
		1,
		540,
		600,
		{ operation: 'move', toFolder: 'Dunning/Bounces', createFolder: true, options: {} },
		{ credentials: IMAP_CRED },
	);
	wf.connect(oursHard, move);
	wf.connect(oursSoft, move);
	const summary = wf.add('Bounce Summary', 'n8n-nodes-base.code', 2, -160, 600, { jsCode: BOUNCE_SUMMARY_CODE });
	wf.connect(read, summary);
	return wf;
}
