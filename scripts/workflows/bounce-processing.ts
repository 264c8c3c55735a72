import { DEFAULT_MAX_MESSAGE_MB } from '../../nodes/ReadMailbox/properties';
import { BOUNCE_SUMMARY_CODE, NEW_REPLIES_BY_REMINDER_CODE, reachedAnotherAddressCode, replyIdOf, replyKeyOf } from './code-nodes';
import {
	IMAP_CRED,
	INVOICES,
	MAILBOXES,
	MAILBOX_COLUMNS,
	NEEDED,
	PKG,
	REMINDERS,
	TODAY_TEXT,
	allConditions,
	checkColumns,
	cond,
	condition,
	createTable,
	ensureOtherTables,
	getRows,
	isTrueCondition,
	noteText,
	saveMailboxHealth,
	setNode,
	update,
} from './parameters';
import { addNotDeliveredChain, KEY_NOT_GIVEN_UP, returnedReminderColumns } from './not-delivered';
import { nid, WorkflowBuilder, type JsonObject } from './workflow-builder';

/**
 * The reminder's Message-ID as the sender stored it: reminderMessageId (lib/mail/message.ts) writes
 * it all in lower case (hex digest, lower-cased domain). Message-IDs compare literally in principle,
 * but a mail client or gateway that upper-cases the In-Reply-To it quotes must not leave a reply (or
 * a report) unpaired; lower-casing a candidate of our form (OURS) cannot make it match another's.
 * Classify Bounce already lower-cases the IDs it reads from replies (reminderIdIn), but IDs from a
 * DSN's or a feedback report's enclosed headers reach us as the report wrote them: this copy is
 * the one that covers every path.
 */
const ORIGINAL_MESSAGE_ID = "={{ String($json.bounce.originalMessageId || '').toLowerCase() }}";
/**
 * The report is about one of our reminders: its Message-ID has the form reminderMessageId gives
 * (lib/mail/message.ts), in any case (ORIGINAL_MESSAGE_ID). Reports about the merchant's other mail
 * in the same mailbox stay where they are, unmoved.
 */
const OURS = "={{ /^<?dunning\\.\\d+\\.[0-9a-f]{32}@/i.test($json.bounce.originalMessageId || '') }}";
const SETTINGS = "$('Settings').first().json";
/**
 * The reminder row (`$json`, as Mark Sender Refusal updated it) was sent from this copy's mailbox,
 * both empty = "default" as the dunning run writes it on each reminder and Mailbox Health reads it.
 * Every copy acts on the reports of any of our reminders (one copy may serve several sender
 * mailboxes: none of their bounces is lost), but a refusal of our sender pauses only the mailbox it
 * was sent from: another mailbox's refusal is marked on its reminder, not counted here.
 */
const OF_THIS_MAILBOX = condition('Refusal of This Mailbox?/1', "={{ $json.mailbox || 'default' }}", `={{ ${SETTINGS}.mailbox || 'default' }}`);
/** A text a spreadsheet would read as a formula (OWASP, CSV injection): =, +, -, @, tab, CR or LF first. A JS regular expression. */
const FORMULA_START = String.raw`/^[=+\-@\t\r\n]/`;
/** The longest note a report writes over an earlier one: the new entry, then what fits of the earlier. */
const NOTE_MAX_LENGTH = 1000;
/** In an invoice's note, the clause naming the reason it was blocked for before a reply (Block Invoice for Reply). */
const BLOCKED_BEFORE = '; blocked before: ';
/** In a note, what comes before the earlier note (noteKeepingEarlier, Block Invoice for Reply). */
const EARLIER = '; earlier: ';
/**
 * The clause in a note's head (its part before the first EARLIER: the latest entry), its reason in
 * group 1. A JS regular expression. A clause further on is history (a block the operator has
 * cleared since): it names no block now, and stays where it is.
 */
const BLOCKED_BEFORE_CLAUSE = String.raw`/; blocked before: ([\s\S]*)$/`;
/** The head of note `n` (a JS expression), up to the first EARLIER. */
const headOf = (n: string): string => `${n}.split('${EARLIER}')[0]`;
/** Note `n` (a JS expression) without the clause in its head: the head and what follows it, as they were. */
const withoutHeadClause = (n: string): string =>
	`(${headOf(n)}.replace(${BLOCKED_BEFORE_CLAUSE}, '') + ${n}.slice(${headOf(n)}.length))`;
/** The longest reason the clause names: the rest of the note keeps room for the reply. */
const BLOCK_REASON_MAX_LENGTH = 200;
/** The start of a reply's text a note keeps; several replies of one run share it, each keeping at least the minimum. */
const REPLY_TEXT_MAX_LENGTH = 300;
const REPLY_TEXT_MIN_LENGTH = 80;
/**
 * A note that keeps the reminder row's earlier note (`$json.note`, the row as a Load node read it):
 * "new; earlier: old". The earlier note may ask a person to remove a failed address from the invoice.
 * An earlier delay notice at its start goes: the new report says more than "still trying", and
 * notices read again (a manual run reads everything) do not pile up. `fresh` is a JS expression.
 */
function noteKeepingEarlier(fresh: string): string {
	const earlier = "String($json.note || '').replace(/^delayed [^;]*, the server is still trying(?:; earlier: |$)/, '')";
	return `={{ (${fresh} + (${earlier} ? '; earlier: ' + ${earlier} : '')).slice(0, ${NOTE_MAX_LENGTH}) }}`;
}
/** The reply's own Message-ID, or its place in the mailbox, of the reply a reminder row was found for (paired items). */
const REPLY_ID = replyIdOf("$('Ours? (Reply)').item.json");
/** REPLY_ID as kept in replyMessageIds. */
const REPLY_KEY = replyKeyOf(REPLY_ID);
/**
 * The longest replyMessageIds: the newest IDs that fit (about 25 replies to one reminder). The IDs
 * have a column of their own, apart from the note: a note is prose a person reads, cut to
 * NOTE_MAX_LENGTH and rewritten by later reports, and an ID cut off there let the same reply, read
 * again, block the invoice again after the operator had cleared it.
 */
const REPLY_IDS_MAX_LENGTH = 2000;
/** Said of a reply from an address its reminder was not sent to (New Replies by Reminder: fromOtherAddress). */
const OTHER_ADDRESS = ' (not an address this reminder was sent to)';
/** The sender of reply `r` (an entry of newReplies, a JS expression), and whether the reminder went there. */
const replyFrom = (r: string): string => `(${r}.recipient || '') + (${r}.fromOtherAddress ? '${OTHER_ADDRESS}' : '')`;

/** Classify Bounce version 2's outputs (nodes/ClassifyBounce/ClassifyBounceV2.ts). */
const OUT = { addressDead: 0, notDelivered: 1, senderProblem: 2, reply: 3, other: 4 } as const;

/** Filter: a bounce of this category that names one of our reminders. */
function oursOfCategory(name: string, category: string): JsonObject {
	return allConditions([
		condition(name + '/category', '={{ $json.bounce.category }}', category),
		{ id: nid(name + '/ours'), leftValue: OURS, rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } },
	]);
}

/**
 * A reminder sent to several addresses that reached one of them was delivered: the failed address
 * is noted for a person to remove; the level stays and nobody is blocked. Loads the reminder of each
 * report from `source` and returns the If whose output 0 is "reached another address", 1 "not".
 */
function reachedAnotherAddress(wf: WorkflowBuilder, source: string, suffix: string, x: number, y: number): string {
	const load = wf.add(`Load Reminder${suffix}`, 'n8n-nodes-base.dataTable', 1.1, x, y, getRows(REMINDERS, [cond('messageId', ORIGINAL_MESSAGE_ID)], 1));
	wf.connect(source, load);
	const reached = wf.add(`Reached Another Address${suffix}`, 'n8n-nodes-base.code', 2, x + 220, y, { jsCode: reachedAnotherAddressCode(source) });
	wf.connect(load, reached);
	const name = `Reached Another Address?${suffix}`;
	const reachedIf = wf.add(name, 'n8n-nodes-base.if', 2.2, x + 440, y, isTrueCondition(`${name}/1`, '={{ $json.reachedOthers }}'));
	wf.connect(reached, reachedIf);
	const note = wf.add(
		`Note Failed Address${suffix}`,
		'n8n-nodes-base.dataTable',
		1.1,
		x + 660,
		y + (suffix ? 140 : -140),
		update(REMINDERS, [cond('messageId', ORIGINAL_MESSAGE_ID), cond('status', 'notDelivered', 'neq')], {
			// Written by Reached Another Address: the failed addresses to remove, or a copy elsewhere that failed.
			note: '={{ $json.note }}',
		}),
	);
	wf.connect(reachedIf, note, 0);
	return reachedIf;
}

/** Bounce processing: reads the sender mailbox and acts on every category of what came back. */
export function bounceProcessing(): WorkflowBuilder {
	const wf = new WorkflowBuilder('bounceProcess001', 'Bounce processing');
	wf.note('Note: Overview', -700, -420, 640, 800, noteText('bounce-processing.overview.md'));
	wf.note('Note: After reading', 1040, -420, 460, 220, noteText('bounce-processing.after-reading.md'), 5);
	const schedule = wf.add('Every 15 Minutes', 'n8n-nodes-base.scheduleTrigger', 1.2, -640, 360, {
		rule: { interval: [{ field: 'minutes', minutesInterval: 15 }] },
	});
	const manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -640, 560);
	const settings = wf.add('Settings', 'n8n-nodes-base.set', 3.4, -420, 460, setNode([
		['mailbox', 'default', 'string'],
		['ownDomains', '', 'string'],
	]));
	wf.connect(schedule, settings);
	wf.connect(manual, settings);
	const mailbox = cond('mailbox', `={{ ${SETTINGS}.mailbox }}`);
	const ensure = wf.add('Ensure Mailboxes Table', 'n8n-nodes-base.dataTable', 1.1, -200, 460, createTable(MAILBOXES, MAILBOX_COLUMNS), {
		executeOnce: true,
	});
	wf.connect(settings, ensure);
	const ensured = ensureOtherTables(wf, ensure, -200, 660);
	// Tables of an earlier version lack columns this one writes (a reply's Message-ID): stop here,
	// before a message is read.
	const checked = checkColumns(wf, { after: ensured, tables: [NEEDED.mailboxes, NEEDED.reminders, NEEDED.invoices], x: 240, y: 660 });
	const loadState = wf.add(
		'Load Mailbox State',
		'n8n-nodes-base.dataTable',
		1.1,
		20,
		460,
		getRows(MAILBOXES, [mailbox], 1),
		{ executeOnce: true, alwaysOutputData: true },
	);
	wf.connect(checked, loadState);
	const read = wf.add(
		'Read Mailbox',
		PKG + '.readMailbox',
		1.1,
		240,
		460,
		// A bounce younger than 2 minutes waits for the next run: the sender records a reminder's
		// Message-ID when its tick ends, and a report read before that would match no reminder.
		// The position moves on only at Confirm Read Position, the last step: a run that fails on the
		// way (a Data Table error, an IMAP failure in Move Bounce) reads its messages again next time.
		{ folder: '', mode: 'sinceUid', firstRun: 'all', maxMessages: 200, postAction: 'none', options: { minAgeSeconds: 120, savePosition: 'confirmStep' } },
		{ credentials: IMAP_CRED, executeOnce: true },
	);
	wf.connect(loadState, read);
	const classify = wf.add('Classify Bounce', PKG + '.classifyBounce', 2, 460, 460, {
		source: 'binary',
		binaryPropertyName: 'data',
		// Read Mailbox's Max Message Size: a message it reads is never too large to classify.
		options: { ownDomains: `={{ ${SETTINGS}.ownDomains }}`, maxSizeMb: DEFAULT_MAX_MESSAGE_MB },
	});
	wf.connect(read, classify);

	// Address dead or not delivered (a complaint too comes this way; Complaint?, below, takes it apart):
	// the reminder did not reach the customer.
	const oursNotDelivered = wf.add(
		'Ours? (Not Delivered)',
		'n8n-nodes-base.filter',
		2.2,
		700,
		160,
		isTrueCondition('Ours? (Not Delivered)/1', OURS),
	);
	wf.connect(classify, oursNotDelivered, OUT.addressDead);
	wf.connect(classify, oursNotDelivered, OUT.notDelivered);
	const oursSender = wf.add('Ours? (Sender Problem)', 'n8n-nodes-base.filter', 2.2, 700, 460, isTrueCondition('Ours? (Sender Problem)/1', OURS));
	wf.connect(classify, oursSender, OUT.senderProblem);
	// A report read a second time (a run that failed before Confirm Read Position) finds its reminder's
	// key given up, the last step of the chain: nothing changes twice. One whose run stopped before
	// that step finds the key still held and runs the chain again (KEY_NOT_GIVEN_UP): each step of it
	// gives the same result when repeated (the level is taken back and the refusal counted on the
	// invoice only while it is still at the reminder's level, returnedReminderColumns; the mailbox's
	// count takes each customer once).
	const markValues = {
		status: 'notDelivered',
		bounceCategory: '={{ $json.bounce.category }}',
		bounceReason: "={{ $json.bounce.reason }}{{ $json.bounce.status ? ' (' + $json.bounce.status + ')' : '' }}",
		bouncedAt: '={{ $now.toISO() }}',
		// The report's diagnostic is the remote server's text (anyone can send a report naming one of
		// our Message-IDs), and the pause advice sends the operator to this column: one that starts
		// with =, +, -, @, a tab or a line break would run as a formula in a CSV or spreadsheet export
		// of the table, so it gets a leading ' (OWASP, CSV injection) and stays readable.
		error: `={{ ((d) => (${FORMULA_START}.test(d) ? "'" + d : d))(String($json.bounce.diagnostic || '').slice(0, 500)) }}`,
		// The row's note, or why a failure at an address it was not sent to counts as refused.
		note: "={{ $json.note || '' }}",
	};
	const notDeliveredFilter = [cond('messageId', ORIGINAL_MESSAGE_ID), KEY_NOT_GIVEN_UP];
	const reachedIf = reachedAnotherAddress(wf, oursNotDelivered, '', 940, 20);
	// A complaint (the customer pressed "spam") proves the reminder arrived: it stays in force, the level
	// is not taken back and the same level is not sent again (on paper, with other amounts); only the
	// e-mail address is blocked (Address Dead? and after, below), so later levels go on paper.
	const complaint = wf.add('Complaint?', 'n8n-nodes-base.if', 2.2, 1490, 160, allConditions([condition('Complaint?/1', '={{ $json.bounce.category }}', 'complaint')]));
	wf.connect(reachedIf, complaint, 1);
	const notDelivered = wf.add('Mark Reminder Not Delivered', 'n8n-nodes-base.dataTable', 1.1, 1600, 160, update(REMINDERS, notDeliveredFilter, markValues));
	wf.connect(complaint, notDelivered, 1);
	// The row as loaded (paired items): a sent reminder becomes `delivered`; one in another state (a
	// refusal reported before, an unclear outcome) keeps it. Read again, the note is not repeated.
	const complainedRow = "$('Load Reminder').item.json";
	// A complaint read again (a manual run, a run that failed before Confirm Read Position) changes
	// nothing: its row already says complaint, so a block the operator cleared stays cleared. Trade-off:
	// a run that died between Mark Complaint and Block Customer Email does not block on re-read.
	const newComplaint = wf.add('New Complaint?', 'n8n-nodes-base.filter', 2.2, 1490, 20, isTrueCondition('New Complaint?/1', `={{ ${complainedRow}.bounceCategory !== 'complaint' }}`));
	wf.connect(complaint, newComplaint, 0);
	const complaintNote = `'complaint ' + $now.toISO() + ' from ' + ($json.bounce.recipient || '') + ': the customer reported the reminder as spam; it arrived and stays in force, no more e-mail to that address'`;
	const markComplaint = wf.add(
		'Mark Complaint',
		'n8n-nodes-base.dataTable',
		1.1,
		1600,
		20,
		update(REMINDERS, [cond('id', `={{ ${complainedRow}.id }}`)], {
			status: `={{ ['sent', 'delivered'].includes(${complainedRow}.status) ? 'delivered' : ${complainedRow}.status }}`,
			bounceCategory: 'complaint',
			bounceReason: markValues.bounceReason,
			bouncedAt: markValues.bouncedAt,
			note: `={{ String($json.note || '').startsWith('complaint ') ? $json.note : (${complaintNote} + ($json.note ? '; earlier: ' + $json.note : '')).slice(0, ${NOTE_MAX_LENGTH}) }}`,
		}),
	);
	wf.connect(newComplaint, markComplaint);
	// Refused because of our sender at one address while another took it: delivered, as above.
	const reachedIfSender = reachedAnotherAddress(wf, oursSender, ' (Sender)', 940, 460);
	// Refused at an address the reminder was not sent to (after the customer's server took it): not
	// our mailbox's refusal to count, the reminder's refusal as any other (Reached Another Address).
	const elsewhere = wf.add('Refused Elsewhere?', 'n8n-nodes-base.if', 2.2, 1380, 760, isTrueCondition('Refused Elsewhere?/1', '={{ $json.elsewhere }}'));
	wf.connect(reachedIfSender, elsewhere, 1);
	wf.connect(elsewhere, notDelivered, 0);
	const senderRefused = wf.add('Mark Sender Refusal', 'n8n-nodes-base.dataTable', 1.1, 1600, 760, update(REMINDERS, notDeliveredFilter, markValues));
	wf.connect(elsewhere, senderRefused, 1);
	// The row gives its key up, the level goes back, a dead address is blocked (not-delivered.ts).
	// Free Reminder Key below Refusal Report: last after both marks (not-delivered.ts, freeKeyAt).
	const chain = addNotDeliveredChain(wf, {
		from: notDelivered,
		x: 1600,
		y: 160,
		takeBackLevel: true,
		invoiceNodeName: 'Take Back Level',
		freeKeyAlsoFrom: [senderRefused],
		freeKeyAt: { x: 1840, y: 1000 },
		// A dead or complaining item comes only this way (Refused Elsewhere? lets only refusals through).
		failedAddressesFrom: 'Reached Another Address?',
	});
	// The complaint's address is blocked as a dead one is (Addresses to Block reads the complaint's row).
	wf.connect(markComplaint, chain.dead);

	// Refused because of our sender: the level goes back as it was, and the refusal counts for that
	// level on the invoice as a refusal by the recipient's side does (e-mail once more, then paper):
	// a customer whose server refuses every reminder (a strict filter, or one forging such reports)
	// must not get the same level by e-mail for ever. Each refusal of a reminder of this copy's
	// mailbox also counts for the mailbox; enough pause it (Record Sender Refusals).
	// The invoice as it is, for the count, then the same columns as Take Back Level (not-delivered.ts,
	// returnedReminderColumns): the level and the count only while the invoice is still at this
	// reminder's level, so that the report read again does not count it twice.
	const loadInvoiceSender = wf.add('Load Invoice (Sender)', 'n8n-nodes-base.dataTable', 1.1, 1840, 680, getRows(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], 1));
	wf.connect(senderRefused, loadInvoiceSender);
	const refusedRow = "$('Mark Sender Refusal').item.json";
	// Every row marked here is a refusal: of our sender, or (several addresses, each only refusing) recipientRefused.
	const refusal = `['senderRejected', 'recipientRefused'].includes(${refusedRow}.bounceCategory)`;
	const takeBackSender = wf.add(
		'Take Back Level (Sender)',
		'n8n-nodes-base.dataTable',
		1.1,
		2060,
		680,
		update(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], returnedReminderColumns(refusedRow, true, refusal)),
	);
	wf.connect(loadInvoiceSender, takeBackSender);
	// Above Free Reminder Key (1000): the count runs before the key is given up (freeKeyAt).
	const ofThisMailbox = wf.add('Refusal of This Mailbox?', 'n8n-nodes-base.filter', 2.2, 1840, 840, allConditions([OF_THIS_MAILBOX]));
	wf.connect(senderRefused, ofThisMailbox);
	const report = wf.add('Refusal Report', 'n8n-nodes-base.set', 3.4, 2080, 840, {
		mode: 'raw',
		options: {},
		// The report's arrival (Read Mailbox's internalDate): Record Sender Refusals counts it by then, not by when it was read.
		// The reminder row's sentAt: a reminder sent before the mailbox's last pause does not pause it again after a resume.
		// refusedFor: whom the refused reminder was for, from its row (customer ID, else its address in lower
		// case), not the recipients the report names: one report can name any number of made-up
		// forward targets, and must count as the one customer the reminder went to.
		jsonOutput:
			"={{ { invoiceId: $json.invoiceId, bounce: $('Ours? (Sender Problem)').item.json.bounce, internalDate: $('Ours? (Sender Problem)').item.json.internalDate ?? null, sentAt: $json.sentAt ?? null, " +
			"refusedFor: String($json.customerId ?? '').trim() || String($json.email ?? '').trim().toLowerCase() } }}",
	});
	wf.connect(ofThisMailbox, report);
	const health = wf.add('Record Sender Refusals', PKG + '.mailboxHealth', 1, 2320, 840, {
		operation: 'recordRefusals',
		mailbox: `={{ ${SETTINGS}.mailbox }}`,
		mailboxRow: "={{ $('Load Mailbox State').first().json }}",
		rejectionsToPause: 3,
		windowHours: 24,
	});
	wf.connect(report, health);
	// Written only when this run counted a refusal or paused the mailbox, as the sender does (Health
	// Changed?, in saveMailboxHealth): a save that adds nothing could only collide with a sender run
	// writing the row at the same moment. Bounce Summary reads the state from Record Sender Refusals
	// then: the row as loaded, unchanged.
	// A run that fails there has not reached Free Reminder Key nor Confirm Read Position: the reports
	// are read again next run and counted for the mailbox then (Mark Sender Refusal matches while the
	// key is held). On the invoice Take Back Level (Sender) counted them already; read again, they are
	// not counted there twice (the invoice is no longer at their level).
	saveMailboxHealth(wf, {
		from: health,
		gate: { x: 2560, y: 840 },
		healthNode: 'Record Sender Refusals',
		loadNode: 'Load Mailbox State',
		mailbox,
		whatNext: 'Nothing is lost: bounce processing reads these reports again in its next run and counts them then. Nothing to do unless this repeats.',
		x: 2780,
		y: 840,
	});

	// A person answered a reminder: dunning of that invoice waits until someone has read it.
	const oursReply = wf.add('Ours? (Reply)', 'n8n-nodes-base.filter', 2.2, 700, 660, isTrueCondition('Ours? (Reply)/1', OURS));
	wf.connect(classify, oursReply, OUT.reply);
	// Once per reply, by its own Message-ID in the reminder's replyMessageIds: the same reply read again
	// (a run that failed before Confirm Read Position, a manual run) must not block an invoice again
	// after the operator cleared it, but a second reply to the same reminder does. n8n's Data Table has
	// no "not like", so the row is read first and the IDs looked at; and the note, where versions
	// before replyMessageIds kept them.
	const loadReplied = wf.add('Load Reminder (Reply)', 'n8n-nodes-base.dataTable', 1.1, 940, 660, getRows(REMINDERS, [cond('messageId', ORIGINAL_MESSAGE_ID)], 1));
	wf.connect(oursReply, loadReplied);
	// An older version's note: its entry for this reply as the note writes it, "reply <ID> <time> …"
	// (a bare includes() took 'UID 1/12' for 'UID 1/123', another reply).
	const seen = `(' ' + ($json.replyMessageIds || '') + ' ').includes(' ' + ${REPLY_KEY} + ' ') || String($json.note || '').includes('reply ' + ${REPLY_ID} + ' ')`;
	const newReply = wf.add('New Reply?', 'n8n-nodes-base.filter', 2.2, 1180, 600, isTrueCondition('New Reply?/1', `={{ !(${seen}) }}`));
	wf.connect(loadReplied, newReply);
	// Two replies to one reminder in one run both carry the row as loaded before either was noted: one
	// item per row with all of them, so that one write notes them all.
	const byReminder = wf.add('New Replies by Reminder', 'n8n-nodes-base.code', 2, 1400, 600, { jsCode: NEW_REPLIES_BY_REMINDER_CODE });
	wf.connect(newReply, byReminder);
	// Act, then remember (as the not-delivered chain does): the invoice is blocked first, the reply is
	// noted on its reminder (replyMessageIds: seen) last. A run that stops between the two (a restart,
	// a table error) finds the reply unseen next time and blocks again, the invoice note unchanged when
	// that is the same day (it holds these replies of today: invoiceNote). Two branches of New Replies by Reminder, each run to its end,
	// the upper first (execution order v1): a failing block stops the run before the note, and an
	// invoice without a row ends only the upper branch, so every reminder is still noted. (In one line
	// after the block, such a reminder would get no item: Always Output Data adds an empty item only
	// when the whole node output nothing, not per item.)
	// The invoice as it is, so that the note keeps what is there: the earlier note stays after the
	// reply, and a block set for another reason (an instalment plan agreed, a lawyer) is named in it.
	// No row: nothing to block.
	// Right of Take Back Level (Sender) (2060, 680), clear of Note Failed Address (Sender) (1600, 600).
	const loadInvoice = wf.add('Load Invoice (Reply)', 'n8n-nodes-base.dataTable', 1.1, 2280, 600, getRows(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], 1));
	wf.connect(byReminder, loadInvoice);
	// Every new reply of this run to any reminder of the invoice, newest first, each with a share of
	// the room as in the reminder's note; each item of the invoice (replies to levels 1 and 2) writes
	// the same note. The IDs are in the reminders' replyMessageIds.
	const invoiceReplies = "$('New Replies by Reminder').item.json.invoiceReplies";
	// `list` the invoice's replies of this run (invoiceReplies).
	const entries =
		`list.map((r) => '(' + (r.recipient || '') + ')' + (r.fromOtherAddress ? '${OTHER_ADDRESS}' : '') + ': ' + (r.text || '').slice(0, Math.max(${REPLY_TEXT_MIN_LENGTH}, Math.floor(${REPLY_TEXT_MAX_LENGTH} / list.length)))).join('; and before ')` +
		` + (list.length > 1 ? ' (and ' + (list.length - 1) + ' earlier repl' + (list.length > 2 ? 'ies' : 'y') + ' in this run: see the notes of the reminders in dunning_reminders)' : '')`;
	const today = TODAY_TEXT.slice('{{ '.length, -' }}'.length);
	// The replies first, then the block's other reason, then the earlier note, cut to the note's
	// length. A note that already holds these replies of today (a run repeated the same day, after one
	// that stopped before Note Reply on Reminder) stays as it is; the date counts, so that the same
	// words sent again on a later day (another Message-ID) are noted with that day. The entry must end
	// there too ('; ' or the note's end), or a reply "Ok" would be taken for an earlier "Ok, danke".
	// (Two items of one invoice in this run need no check: both carry the row as loaded before either
	// write, so both write the same note.)
	// The block's other reason (`before`) must survive every later reply: its clause has room kept
	// (the replies are cut first, then the earlier note), or a few long replies cut "blocked before:
	// insolvency" away, the row said only "customer replied", and clearing that block resumed dunning.
	// The clause is named once, in the note's head (after the replies, before the first EARLIER): the
	// head's earlier clause leaves the earlier note; one further on is history and stays as written.
	// A reply's own words cannot forge the clause nor end the head early (BLOCKED_BEFORE and EARLIER
	// are taken out of them, EARLIER out of the reason too): the next reply reads it back.
	// `note` the invoice's note.
	const neutral = (text: string): string => `${text}.split('${BLOCKED_BEFORE}').join(', blocked before: ').split('${EARLIER}').join(', earlier: ')`;
	const invoiceNote =
		`((replies, before, note) => ((clause, earlier) => ((entry) => ((note + ';').includes(entry + ';') ? note : ` +
		`(entry + clause + (earlier ? '${EARLIER}' + earlier : '')).slice(0, ${NOTE_MAX_LENGTH})))` +
		`(('Customer replied on ' + ${today} + ' ' + ${neutral('replies')}).slice(0, ${NOTE_MAX_LENGTH} - clause.length)))` +
		`(before ? '${BLOCKED_BEFORE}' + before.slice(0, ${BLOCK_REASON_MAX_LENGTH}).split('${EARLIER}').join(', earlier: ') : '', before ? ${withoutHeadClause('note')} : note))`;
	// Every reader of the row (Compute Dunning Level, the sender's withdrawal, the webhook's With Ledger
	// and Save Known Invoice, the Run Summary's customerReplies) knows a reply by customerReplied, so
	// the reason is always that one. A block set before for another reason (a cleared block's old
	// reason is none) is named in the note: clearing the block lifts both. A block already for a reply
	// names the reason its note's head names (carried over from reply to reply; a clause further on is
	// of a block cleared since). `note` the invoice's note.
	const blockReason = "($json.dunningBlock === true ? String($json.dunningBlockReason || '') : '')";
	const blockedFor = `(${blockReason} === 'customerReplied' ? ((${headOf('note')}.match(${BLOCKED_BEFORE_CLAUSE}) || [])[1] || '') : ${blockReason})`;
	const blockReply = wf.add(
		'Block Invoice for Reply',
		'n8n-nodes-base.dataTable',
		1.1,
		2500,
		600,
		update(INVOICES, [cond('id', '={{ $json.id }}')], {
			dunningBlock: true,
			dunningBlockReason: 'customerReplied',
			note: `={{ ((list, note) => ${invoiceNote}(${entries}, ${blockedFor}, note))(${invoiceReplies}, String($json.note || '')) }}`,
		}),
	);
	wf.connect(loadInvoice, blockReply);
	// Newest first: the note reads as if each had come in a run of its own. Several replies share the
	// room for their text (the note is cut at NOTE_MAX_LENGTH), so the oldest keeps a readable start
	// too; their IDs are in replyMessageIds whole.
	const replies = '$json.newReplies';
	const textShare = `Math.max(${REPLY_TEXT_MIN_LENGTH}, Math.floor(${REPLY_TEXT_MAX_LENGTH} / ${replies}.length))`;
	const noteReply = wf.add(
		'Note Reply on Reminder',
		'n8n-nodes-base.dataTable',
		1.1,
		// Below Load Invoice (Reply): runs after the block's branch (execution order v1). Right of the block.
		2720,
		720,
		// `$json`: New Replies by Reminder's item (the reminder row with this run's replies).
		update(REMINDERS, [cond('id', '={{ $json.id }}')], {
			bounceCategory: 'reply',
			// This run's reply IDs first, then the earlier ones (each once) that fit.
			replyMessageIds:
				`={{ ${replies}.map((r) => r.key).concat(String($json.replyMessageIds || '').split(' ')).filter((id, i, all) => id && all.indexOf(id) === i)` +
				`.reduce((kept, id) => (kept.length + id.length + 1 > ${REPLY_IDS_MAX_LENGTH} ? kept : kept ? kept + ' ' + id : id), '') }}`,
			note: noteKeepingEarlier(
				`${replies}.map((r) => 'reply ' + r.id + ' ' + $now.toISO() + ' from ' + ${replyFrom('r')} + ': ' + (r.text || '').slice(0, ${textShare})).join('; earlier: ')`,
			),
		}),
	);
	wf.connect(byReminder, noteReply);

	// Still trying: a note only. An auto-reply proves the reminder arrived.
	const delayed = wf.add('Delayed? (Ours)', 'n8n-nodes-base.filter', 2.2, 700, 860, oursOfCategory('Delayed? (Ours)', 'delayed'));
	wf.connect(classify, delayed, OUT.other);
	// The row first, so that its note is kept (Note Delay and Mark Delivered: noteKeepingEarlier).
	const loadSent = (name: string, y: number) =>
		wf.add(name, 'n8n-nodes-base.dataTable', 1.1, 940, y, getRows(REMINDERS, [cond('messageId', ORIGINAL_MESSAGE_ID), cond('status', 'sent')], 1));
	const loadDelayed = loadSent('Load Reminder (Delay)', 860);
	wf.connect(delayed, loadDelayed);
	const delay = "$('Delayed? (Ours)').item.json.bounce";
	const noteDelay = wf.add(
		'Note Delay',
		'n8n-nodes-base.dataTable',
		1.1,
		1180,
		860,
		update(REMINDERS, [cond('id', '={{ $json.id }}'), cond('status', 'sent')], {
			note: noteKeepingEarlier(`'delayed ' + $now.toISO() + ': ' + ${delay}.reason + (${delay}.status ? ' (' + ${delay}.status + ')' : '') + ', the server is still trying'`),
		}),
	);
	wf.connect(loadDelayed, noteDelay);
	const autoReply = wf.add('Auto-Reply? (Ours)', 'n8n-nodes-base.filter', 2.2, 700, 1060, oursOfCategory('Auto-Reply? (Ours)', 'autoReply'));
	wf.connect(classify, autoReply, OUT.other);
	const loadArrived = loadSent('Load Reminder (Auto-Reply)', 1060);
	wf.connect(autoReply, loadArrived);
	const delivered = wf.add(
		'Mark Delivered',
		'n8n-nodes-base.dataTable',
		1.1,
		1180,
		1060,
		update(REMINDERS, [cond('id', '={{ $json.id }}'), cond('status', 'sent')], {
			status: 'delivered',
			bounceCategory: 'autoReply',
			note: noteKeepingEarlier("'auto-reply ' + $now.toISO() + ': the reminder arrived'"),
		}),
	);
	wf.connect(loadArrived, delivered);

	const move = wf.add(
		'Move Bounce',
		PKG + '.readMailbox',
		1.1,
		1180,
		1260,
		{ operation: 'move', toFolder: 'Dunning/Bounces', createFolder: true, options: {} },
		{ credentials: IMAP_CRED },
	);
	// Every report about one of our reminders, whichever mailbox sent it: this copy acted on it above.
	wf.connect(oursNotDelivered, move);
	wf.connect(oursSender, move);
	wf.connect(delayed, move);
	const summary = wf.add('Bounce Summary', 'n8n-nodes-base.code', 2, 240, 1260, { jsCode: BOUNCE_SUMMARY_CODE });
	wf.connect(read, summary);
	// Last: below everything else after Read Mailbox, so it runs when all of it ran (execution order
	// v1). A run that read nothing has no Summary; Read Mailbox saved its position at once then.
	const confirm = wf.add('Confirm Read Position', PKG + '.readMailbox', 1.1, 460, 1260, { operation: 'confirmPosition' });
	wf.connect(summary, confirm);
	// Room for the checks: what follows them moves right.
	wf.moveAfter(checked, 880, ['Note: After reading']);
	return wf;
}
