import { ONE_REMINDER_PER_SLOT_CODE, STILL_TO_SEND_CODE } from './code-nodes';
import {
	INVOICES,
	MAILBOXES,
	MAILBOX_COLUMNS,
	NEEDED,
	PKG,
	REMINDERS,
	SMTP_CRED,
	advanceLevel,
	checkColumns,
	cond,
	createTable,
	ensureOtherTables,
	equalsCondition,
	getRows,
	isTrueCondition,
	notEmptyCondition,
	noteText,
	saveMailboxHealth,
	savedHealth,
	setNode,
	table,
	update,
} from './parameters';
import { addNotDeliveredChain } from './not-delivered';
import { WorkflowBuilder } from './workflow-builder';

/** Expression for the Settings node's output, which every later node reads. */
const SETTINGS = "$('Settings').first().json";
/** The item Send Reminder Email output for the reminder row at hand (paired items): the invoice, `dunning`, `delivery`. */
const SENT_ITEM = "$('Send Reminder Email').item.json";
/**
 * A reminder our own SMTP server refused for this recipient or message (a 5xx to RCPT TO or DATA):
 * Send Reminder Email gives it a bounce category, and it is handled as the same bounce returned by
 * mail would be. Failures without one (bad input, local errors) stay `failed`.
 */
const REFUSED_AT_SEND_ONLY = "$json.delivery.status === 'failed' && !!$json.delivery.category";
/** Every attempt on this reminder so far, across ticks (a 4xx comes back as deferred each time). */
const ATTEMPTS = '($json.claim.previousAttempts + ($json.delivery.attempts ?? 0))';
/**
 * Refused for now at every try, for days (a full mailbox that stays full, a greylisting that never
 * lets us through): given up as a mail server gives up a queued message (RFC 5321 §4.5.4.1: 4-5
 * days), and handled as the same server's final refusal, so the reminder goes the refusal's way
 * (e-mail once more, then paper) instead of waiting for ever. Not a 4xx to MAIL FROM: that is our
 * sender (a rate limit on the account), which says nothing about the customer's address.
 */
const GAVE_UP = `($json.delivery.status === 'deferred' && $json.delivery.reason === 'temporary' && $json.delivery.smtpCommand !== 'MAIL FROM' && ${ATTEMPTS} >= ${SETTINGS}.giveUpAfterAttempts)`;
const REFUSED_AT_SEND = `(${REFUSED_AT_SEND_ONLY} || ${GAVE_UP})`;
/**
 * The connection ended after the whole message had gone out, before the server confirmed it: it
 * may have arrived. Usually the upload was cut short, so it goes out once more (same Message-ID)
 * when its claim would have ended; the row's note remembers that (Restore Reminder hands it on as
 * `claim.previousNote`). A second unclear outcome of the same reminder is `unclear`: a server that
 * takes the message and answers too late would otherwise get a copy every 15 minutes for days.
 */
export const OUTCOME_UNKNOWN_ONCE = 'outcome unknown once';
const OUTCOME_UNKNOWN = "($json.delivery.status === 'deferred' && $json.delivery.reason === 'outcomeUnknown')";
const UNKNOWN_BEFORE = `String($json.claim.previousNote ?? '').startsWith('${OUTCOME_UNKNOWN_ONCE}')`;
const UNCLEAR = `(${OUTCOME_UNKNOWN} && ${UNKNOWN_BEFORE})`;
/** What the operator must check for each reminder this tick left `unclear` (Record Delivery's rows); '' for none. */
const UNCLEAR_MESSAGE =
	"($('Record Delivery').isExecuted ? $('Record Delivery').all() : []).filter((i) => i.json.status === 'unclear').map((i) => " +
	"'Reminder for invoice \"' + i.json.invoiceId + '\" (level ' + i.json.level + ', row ' + i.json.id + ' of dunning_reminders) may have arrived twice without a clear answer from the server: " +
	'twice the connection ended after the whole message had gone out, before the server confirmed it. It is not sent again (status unclear). ' +
	'Check the Sent folder or ask the customer, then set the status of that row to sent (and in dunning_invoices currentLevel of the invoice to ' +
	"' + i.json.level + ', lastDunnedAt to the day it went out) or to released to send it once more.').join(' ')";
/**
 * Why this tick fails: the mailbox's stop or pause (Record Send Result, or its count again on the row
 * as reloaded when the row had changed: saveMailboxHealth), and reminders left unclear.
 */
const STOP_MESSAGE = `[${savedHealth('Record Send Result')}.stopMessage, ${UNCLEAR_MESSAGE}].filter((m) => !!m).join(' ')`;

/** Send released reminders: each tick claims and sends the reminders whose sending slot falls into it. */
export function sendReleased(): WorkflowBuilder {
	const wf = new WorkflowBuilder('sendReleased0001', 'Send released reminders');
	wf.note('Note: Overview', -460, -520, 560, 700, noteText('send-released.overview.md'));
	wf.note('Note: Mailbox', 120, -360, 420, 220, noteText('send-released.mailbox.md'), 5);
	const schedule = wf.add('Every Minute', 'n8n-nodes-base.scheduleTrigger', 1.2, -400, 260, {
		rule: { interval: [{ field: 'minutes', minutesInterval: 1 }] },
	});
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 460);
	const settings = wf.add(
		'Settings',
		'n8n-nodes-base.set',
		3.4,
		-160,
		360,
		setNode([
			['mailbox', 'default', 'string'],
			['minSecondsBetween', 60, 'number'],
			['tickSeconds', 60, 'number'],
			['leaseMinutes', 15, 'number'],
			// A 4xx is tried again after 30 minutes per attempt so far, at most 6 hours: 20 attempts are about 3.5 days.
			['giveUpAfterAttempts', 20, 'number'],
			// The sending window (Plan Sending Slots): business days and hours in the workflow's timezone
			// (empty sendingTimezone), closed on DE's public holidays. Mon-Sun, 00:00, 24:00 and an empty
			// holidayRegion switch it off.
			['sendingDays', 'Mon-Fri', 'string'],
			['sendingHoursFrom', '08:00', 'string'],
			['sendingHoursUntil', '18:00', 'string'],
			['holidayRegion', 'DE', 'string'],
			['sendingTimezone', '', 'string'],
		]),
	);
	wf.connect(schedule, settings);
	wf.connect(manual, settings);
	const mailbox = cond('mailbox', `={{ ${SETTINGS}.mailbox }}`);
	const ensure = wf.add(
		'Ensure Mailboxes Table',
		'n8n-nodes-base.dataTable',
		1.1,
		60,
		360,
		createTable(MAILBOXES, MAILBOX_COLUMNS),
		{ executeOnce: true },
	);
	wf.connect(settings, ensure);
	// Every table it reads or writes, so that switching the sender on before the first dunning run
	// is no error every minute.
	const ensured = ensureOtherTables(wf, ensure, 60, 560);
	// Tables of an earlier version lack columns this one writes (a level advanced after the mail went
	// out would fail): stop here, before anything is claimed or sent.
	const checked = checkColumns(wf, { after: ensured, tables: [NEEDED.mailboxes, NEEDED.reminders, NEEDED.invoices], x: 500, y: 560 });
	// A paused mailbox (sender refused by providers, login refused) sends nothing until resumed.
	const loadState = wf.add(
		'Load Mailbox State',
		'n8n-nodes-base.dataTable',
		1.1,
		60,
		160,
		getRows(MAILBOXES, [mailbox], 1),
		{ executeOnce: true, alwaysOutputData: true },
	);
	wf.connect(checked, loadState);
	const check = wf.add('Check Mailbox Health', PKG + '.mailboxHealth', 1, 280, 160, {
		operation: 'check',
		mailbox: `={{ ${SETTINGS}.mailbox }}`,
		mailboxRow: '={{ $json }}',
	});
	wf.connect(loadState, check);
	// Claims of executions that died (worker killed, n8n restarted) come back when their lease ends.
	const expired = wf.add(
		'Give Back Expired Claims',
		'n8n-nodes-base.dataTable',
		1.1,
		280,
		360,
		update(REMINDERS, [mailbox, cond('status', 'sending'), cond('leaseUntil', '={{ Date.now() }}', 'lt')], {
			status: 'released',
			claimId: '',
		}),
		{ executeOnce: true, alwaysOutputData: true },
	);
	wf.connect(check, expired);
	const due = wf.add(
		'Requeue Due Reminders',
		'n8n-nodes-base.dataTable',
		1.1,
		500,
		360,
		update(REMINDERS, [mailbox, cond('status', 'deferred'), cond('retryAfter', '={{ Date.now() }}', 'lte')], {
			status: 'released',
			claimId: '',
		}),
		{ executeOnce: true, alwaysOutputData: true },
	);
	wf.connect(expired, due);
	const load = wf.add(
		'Load Released Reminders',
		'n8n-nodes-base.dataTable',
		1.1,
		720,
		360,
		getRows(REMINDERS, [mailbox, cond('status', 'released')], `={{ Math.min(500, Math.ceil(${SETTINGS}.tickSeconds / Math.max(0.1, ${SETTINGS}.minSecondsBetween))) }}`),
		{ executeOnce: true },
	);
	wf.connect(due, load);
	const pace = wf.add(
		'Load Pace',
		'n8n-nodes-base.dataTable',
		1.1,
		940,
		360,
		getRows(MAILBOXES, [mailbox], 1),
		{ executeOnce: true, alwaysOutputData: true },
	);
	wf.connect(load, pace);
	const exists = wf.add(
		'Pace Row Exists?',
		'n8n-nodes-base.if',
		2.2,
		1160,
		360,
		notEmptyCondition('Pace Row Exists?', '={{ $json.mailbox }}'),
	);
	wf.connect(pace, exists);
	const create = wf.add('Create Pace Row', 'n8n-nodes-base.dataTable', 1.1, 1380, 480, {
		resource: 'row',
		operation: 'insert',
		dataTableId: table(MAILBOXES),
		columns: {
			mappingMode: 'defineBelow',
			// "ok" from the start: the status is written again only by a run that pauses the mailbox.
			value: { mailbox: `={{ ${SETTINGS}.mailbox }}`, nextSendAt: 0, status: 'ok' },
			matchingColumns: [],
			schema: [],
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
		options: {},
	});
	wf.connect(exists, create, 1);
	// A row added or edited by hand (a column added on upgrade) has no nextSendAt: Reserve Pace's
	// "still the value read" would never match an empty cell, and every tick would stop there unseen.
	const fillPace = wf.add(
		'Fill Empty Pace',
		'n8n-nodes-base.dataTable',
		1.1,
		1380,
		240,
		update(MAILBOXES, [mailbox, { keyName: 'nextSendAt', condition: 'isEmpty' }], { nextSendAt: 0 }),
		{ executeOnce: true, alwaysOutputData: true },
	);
	wf.connect(exists, fillPace, 0);
	const plan = wf.add('Plan Sending Slots', PKG + '.dunningPace', 1, 1600, 360, {
		nextSendAt: "={{ $('Load Pace').first().json.nextSendAt || 0 }}",
		waiting: "={{ $('Load Released Reminders').all().length }}",
		minSecondsBetween: `={{ ${SETTINGS}.minSecondsBetween }}`,
		tickSeconds: `={{ ${SETTINGS}.tickSeconds }}`,
		sendingWindow: {
			sendingDays: `={{ ${SETTINGS}.sendingDays }}`,
			sendingHoursFrom: `={{ ${SETTINGS}.sendingHoursFrom }}`,
			sendingHoursUntil: `={{ ${SETTINGS}.sendingHoursUntil }}`,
			holidayRegion: `={{ ${SETTINGS}.holidayRegion }}`,
			timezone: `={{ ${SETTINGS}.sendingTimezone }}`,
		},
	});
	wf.connect(fillPace, plan);
	wf.connect(create, plan);
	// Only the execution whose update still finds the value it read may use these slots.
	const reserve = wf.add(
		'Reserve Pace',
		'n8n-nodes-base.dataTable',
		1.1,
		1820,
		360,
		update(MAILBOXES, [mailbox, cond('nextSendAt', '={{ $json.expectedNextSendAt }}')], {
			nextSendAt: '={{ $json.nextSendAt }}',
		}),
	);
	wf.connect(plan, reserve);
	const pick = wf.add('One Reminder per Slot', 'n8n-nodes-base.code', 2, 2040, 360, {
		jsCode: ONE_REMINDER_PER_SLOT_CODE,
	});
	wf.connect(reserve, pick);
	// released -> sending with this execution's id: of two executions, only one update matches.
	const claim = wf.add(
		'Claim Reminder',
		'n8n-nodes-base.dataTable',
		1.1,
		2260,
		360,
		update(REMINDERS, [cond('id', '={{ $json.id }}'), cond('status', 'released')], {
			status: 'sending',
			claimId: '={{ $execution.id }}',
			leaseUntil: `={{ Date.now() + ${SETTINGS}.leaseMinutes * 60000 }}`,
		}),
	);
	wf.connect(pick, claim);
	const restore = wf.add('Restore Reminder', 'n8n-nodes-base.set', 3.4, 2480, 360, {
		mode: 'raw',
		options: {},
		jsonOutput:
			'={{ { ...JSON.parse($json.payload), reminderKey: $json.reminderKey, claim: { rowId: $json.id, id: $json.claimId, ' +
			"leaseUntil: $json.leaseUntil, previousAttempts: Number($json.attempts) || 0, previousError: $json.error ?? '', previousNote: $json.note ?? '', ...$('Plan Sending Slots').first().json.slots[$itemIndex] } } }}",
	});
	wf.connect(claim, restore);
	// The invoice as it is now: one mail a minute, a reminder may go out hours after its release.
	const current = wf.add(
		'Load Current Invoice',
		'n8n-nodes-base.dataTable',
		1.1,
		2700,
		360,
		getRows(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], 1),
		{ alwaysOutputData: true },
	);
	wf.connect(restore, current);
	const still = wf.add('Still to Send?', 'n8n-nodes-base.code', 2, 2920, 360, { jsCode: STILL_TO_SEND_CODE });
	wf.connect(current, still);
	const invoiceChanged = wf.add(
		'Invoice Changed?',
		'n8n-nodes-base.if',
		2.2,
		3140,
		360,
		notEmptyCondition('Invoice Changed?', "={{ $json.withdrawn?.reason ?? '' }}"),
	);
	wf.connect(still, invoiceChanged);
	// Its key is freed as a returned reminder's is, so that the next dunning run decides the invoice
	// again (and, say, releases the level once more for a corrected amount or address).
	const withdraw = wf.add(
		'Withdraw Reminder',
		'n8n-nodes-base.dataTable',
		1.1,
		3360,
		160,
		update(REMINDERS, [cond('id', '={{ $json.claim.rowId }}'), cond('claimId', '={{ $json.claim.id }}')], {
			status: 'withdrawn',
			reminderKey: '={{ $json.reminderKey }}/withdrawn-{{ $json.claim.rowId }}',
			note: '=withdrawn before sending ({{ $json.withdrawn.reason }}): {{ $json.withdrawn.message }}',
			leaseUntil: 0,
		}),
	);
	wf.connect(invoiceChanged, withdraw, 0);
	const send = wf.add(
		'Send Reminder Email',
		PKG + '.sendReminderEmail',
		1,
		3360,
		360,
		{
			minSecondsBetween: `={{ ${SETTINGS}.minSecondsBetween }}`,
			maxPerRun: 0,
			// The dunning run's Company Details, carried by each reminder it released (release-chain.ts):
			// bank account, payment reference, GiroCode and footer. A reminder without them (released
			// before they were filled in, or by the webhook run) goes without, as "None" would send it.
			// Not an expression in Company Details Source: n8n drops the "=" of that field (noDataExpression)
			// and would ask for the fields of "Enter Here" as required.
			companySource: 'json',
			companyJson: '={{ $json.companyDetails ?? null }}',
		},
		// Every item comes out with its status, also when the run stops: Record Delivery gives the
		// unsent ones back, and Record Send Result decides whether the mailbox pauses.
		{ credentials: SMTP_CRED, onError: 'continueRegularOutput' },
	);
	wf.connect(invoiceChanged, send, 1);
	const record = wf.add(
		'Record Delivery',
		'n8n-nodes-base.dataTable',
		1.1,
		3580,
		360,
		update(REMINDERS, [cond('id', '={{ $json.claim.rowId }}'), cond('claimId', '={{ $json.claim.id }}')], {
			status:
				`={{ ${UNCLEAR} ? 'unclear' : ${REFUSED_AT_SEND} ? 'notDelivered' : ['sent', 'failed', 'paper', 'deferred'].includes($json.delivery.status) ? $json.delivery.status : 'released' }}`,
			messageId: "={{ $json.delivery.messageId ?? '' }}",
			sentAt: "={{ $json.delivery.sentAt ?? '' }}",
			attempts: `={{ ${ATTEMPTS} }}`,
			smtpResponse: "={{ $json.delivery.smtpResponse ?? '' }}",
			// Sent, but not to every address (the server refused some of them), or not copied to Sent.
			// An unclear outcome is noted, and the note kept until the reminder is sent (see UNCLEAR).
			note:
				`={{ $json.delivery.warning ?? (${OUTCOME_UNKNOWN} ? (${UNKNOWN_BEFORE} ? 'outcome unknown twice: not sent again, it may have arrived twice' : ` +
				`'${OUTCOME_UNKNOWN_ONCE}: sent once more with the same Message-ID') : ${UNKNOWN_BEFORE} ? $json.claim.previousNote : '') }}`,
			// As bounce processing writes a returned reminder: the server's reply is the error.
			error: `={{ ${GAVE_UP} ? 'refused for now at each of ' + ${ATTEMPTS} + ' attempts, given up: ' + ($json.delivery.smtpResponse || $json.delivery.error || '').slice(0, 400) : ${REFUSED_AT_SEND} ? ($json.delivery.smtpResponse || $json.delivery.error || '').slice(0, 500) : ($json.delivery.error ?? '') }}`,
			bounceCategory: `={{ ${GAVE_UP} ? 'recipientRefused' : ${REFUSED_AT_SEND} ? $json.delivery.category : '' }}`,
			bounceReason: `={{ ${GAVE_UP} ? 'expired' : ${REFUSED_AT_SEND} ? $json.delivery.bounceReason + ($json.delivery.smtpStatus ? ' (' + $json.delivery.smtpStatus + ')' : '') : '' }}`,
			bouncedAt: `={{ ${REFUSED_AT_SEND} ? $now.toISO() : '' }}`,
			leaseUntil: 0,
			// An outcome-unknown reminder waits until its claim would have ended. One refused for now
			// (4xx: a full mailbox, greylisting) waits 30 minutes per attempt so far, at most 6 hours
			// (RFC 5321 §4.5.4.1: retry after at least 30 minutes): retried at once, the oldest row
			// would take the mailbox's next slot every tick and hold up every reminder behind it.
			retryAfter:
				"={{ $json.delivery.reason === 'outcomeUnknown' ? $json.claim.leaseUntil : $json.delivery.status === 'deferred' ? " +
				'Date.now() + Math.min(6 * 3600000, 1800000 * Math.max(1, $json.claim.previousAttempts + ($json.delivery.attempts ?? 0))) : Date.now() }}',
		}),
	);
	wf.connect(send, record);
	const isSent = wf.add(
		'Sent?',
		'n8n-nodes-base.if',
		2.2,
		3800,
		360,
		equalsCondition('sent-cond', '={{ $json.status }}', 'sent'),
	);
	wf.connect(record, isSent);
	const advance = wf.add(
		'Advance Invoice Level',
		'n8n-nodes-base.dataTable',
		1.1,
		4020,
		300,
		// The deadline the mail stated (restated from the send day), the level-1 one, the charges it
		// claimed: the sent item (paired through Record Delivery) carries them and the invoice as released.
		advanceLevel('={{ $json.level }}', { item: SENT_ITEM, deadline: `(${SENT_ITEM}.delivery.statedDeadline || ${SENT_ITEM}.dunning.deadline || '')` }),
	);
	wf.connect(isSent, advance, 0);
	// Refused while sending: the invoice's level never advanced (only `sent` advances it); the row
	// gives its key up and the refusal counts as a returned one would (not-delivered.ts).
	const refusedAtSend = wf.add(
		'Refused at Send?',
		'n8n-nodes-base.filter',
		2.2,
		3800,
		-100,
		equalsCondition('refused-at-send', '={{ $json.status }}', 'notDelivered'),
	);
	wf.connect(record, refusedAtSend);
	addNotDeliveredChain(wf, {
		from: refusedAtSend,
		x: 3800,
		y: -100,
		takeBackLevel: false,
		invoiceNodeName: 'Count Refusal on Invoice',
		// The recipient's refusal, and one of our sender that refused this reminder only (a provider's
		// outbound filter refusing the message at DATA): uncounted, the next run would release the level
		// again and have it refused again, for ever (as bounce processing counts returned ones). Not a
		// refusal that stopped the run (our account, a failed SPF/DKIM/DMARC check: every reminder
		// would be refused alike; Send Reminder Email marks it with delivery.stopKind): that is ours to
		// fix, and must not send customers to paper.
		refusalCounts: (reminder) =>
			`(${reminder}.bounceCategory === 'recipientRefused' || (${reminder}.bounceCategory === 'senderRejected' && !${SENT_ITEM}.delivery.stopKind))`,
	});
	// Sent to fewer addresses than the row names (a server without SMTPUTF8 took only those in
	// ASCII): the row names those it went to, so that bounce processing, when one of them fails,
	// does not count the left-out one as reached. Below Record Delivery: it runs after it (v1).
	const narrowed = wf.add('Sent to Fewer Addresses?', 'n8n-nodes-base.filter', 2.2, 3580, 500, isTrueCondition('sent-to-fewer', '={{ Array.isArray($json.delivery.sentTo) }}'));
	wf.connect(send, narrowed);
	wf.connect(
		narrowed,
		wf.add(
			'Record Addresses Sent To',
			'n8n-nodes-base.dataTable',
			1.1,
			3800,
			500,
			update(REMINDERS, [cond('id', '={{ $json.claim.rowId }}'), cond('claimId', '={{ $json.claim.id }}')], { email: "={{ $json.delivery.sentTo.join(', ') }}" }),
		),
	);
	// Below Record Delivery, so that (execution order v1) it runs after the delivery branch.
	// Refusals of our sender at send time count as Record Sender Refusals counts returned ones.
	const result = wf.add('Record Send Result', PKG + '.mailboxHealth', 1, 3580, 620, {
		operation: 'recordSendResult',
		mailbox: `={{ ${SETTINGS}.mailbox }}`,
		mailboxRow: "={{ $('Load Mailbox State').first().json }}",
		rejectionsToPause: 3,
		windowHours: 24,
	});
	wf.connect(send, result);
	// Written only when this run counted a refusal or paused the mailbox (Health Changed?, in
	// saveMailboxHealth): the row may have changed since it was read (bounce processing), and a run
	// without either has nothing to add.
	const health = saveMailboxHealth(wf, {
		from: result,
		gate: { x: 3800, y: 620 },
		healthNode: 'Record Send Result',
		loadNode: 'Load Mailbox State',
		mailbox,
		whatNext: 'The refusals while sending are not counted again: if reminders keep being refused, set status to "paused" in the mailbox\'s row of dunning_mailboxes until the cause is fixed.',
		// Its failure takes the place of Fail With Cause: what that would have said too.
		alsoReport: STOP_MESSAGE,
		x: 4020,
		y: 560,
	});
	const stopped = wf.add(
		'Sending Stopped?',
		'n8n-nodes-base.if',
		2.2,
		6000,
		560,
		notEmptyCondition('Sending Stopped?', `={{ ${STOP_MESSAGE} }}`),
		{ executeOnce: true },
	);
	wf.connect(health.saved, stopped);
	wf.connect(health.gate, stopped, 1);
	const fail = wf.add('Fail With Cause', 'n8n-nodes-base.stopAndError', 1, 6220, 560, {
		errorType: 'errorMessage',
		// Also a reminder left unclear: the Dunning alert mails what to check.
		errorMessage: `={{ ${STOP_MESSAGE} }}`,
	});
	wf.connect(stopped, fail, 0);
	// Room for the checks: what follows them moves right, with the note about Check Mailbox Health's pause.
	wf.moveAfter(checked, 880, ['Note: Mailbox']);
	return wf;
}
