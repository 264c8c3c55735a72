import { addressesToBlockCode } from './code-nodes';
import { INVOICES, REMINDERS, allConditions, cond, condition, table, takeBackColumns, update } from './parameters';
import type { JsonObject, WorkflowBuilder } from './workflow-builder';

/** Where the chain's nodes go, relative to the node whose rows it takes. */
export interface NotDeliveredChainOptions {
	/** The node that outputs the reminder rows just marked `notDelivered`. */
	from: string;
	/** Position of `from` in the editor; the chain is laid out to its right. */
	x: number;
	y: number;
	/**
	 * True when the invoice's level had been advanced (a reminder accepted, then returned by mail):
	 * it goes back to the row's previousLevel. A reminder refused while sending never advanced it.
	 */
	takeBackLevel: boolean;
	/** Name of the node that updates the invoice ("Take Back Level" when it takes the level back). */
	invoiceNodeName: string;
	/** Further nodes whose rows give their key up, and nothing else (bounce processing's sender refusals). */
	freeKeyAlsoFrom?: string[];
	/**
	 * Where Free Reminder Key goes (default: above the chain). n8n (execution order v1) runs the
	 * steps after a node top to bottom, each with all that follows it: placed below every other step
	 * after `from` (and after each of freeKeyAlsoFrom), it runs last, so that a key given up means
	 * the whole chain ran (KEY_NOT_GIVEN_UP).
	 */
	freeKeyAt?: { x: number; y: number };
	/**
	 * The node whose item (paired with the reminder) lists the reminder's addresses that failed, as
	 * `failedAddresses` (a dead address or complaint blocks those). An empty list, or not given: the
	 * reminder's whole address list, as at send time every address of it was refused.
	 */
	failedAddressesFrom?: string;
	/**
	 * Which refusals count for the reminder's level on the invoice (emailRefusals): a JS expression
	 * that binds tighter than `&&`, given the expression for the reminder row. Default: a refusal by
	 * the recipient's side (recipientRefused).
	 */
	refusalCounts?: (reminder: string) => string;
}

/**
 * Filter: the reminder row still holds its key (`<invoiceId>#<level>#email`, as the dunning run
 * releases an e-mail reminder in release-chain.ts), i.e. Free Reminder Key has not run for it. As the
 * filter of the step that marks a reminder not delivered, with Free Reminder Key run last, it is the
 * "done" mark of the whole chain: a run stopped after the mark (a restart, a failed step) leaves the
 * key held, and the report read again runs the chain again. n8n's Data Table has no "not like",
 * hence the positive test for the held key's end.
 */
export const KEY_NOT_GIVEN_UP: JsonObject = cond('reminderKey', '%#email', 'like');

/**
 * The invoice's columns after reminder `reminder` (a JS expression for its row, read from the invoice
 * update, whose `$json` is the invoice as loaded) did not reach the customer: the level goes back
 * (`takeBackLevel`) and a refusal (`refused`, a JS expression that binds tighter than `&&`) is
 * counted for that level (emailRefusals, emailRefusedAt, emailRefusedLevel), which Compute Dunning
 * Level reads: e-mail once more after a pause, then paper. Every writer of a returned reminder takes
 * them from here (the chain below, bounce processing's Take Back Level (Sender)), so that one rule holds.
 */
export function returnedReminderColumns(reminder: string, takeBackLevel: boolean, refused: string): JsonObject {
	// The level goes back only while the invoice is still at this reminder's level: a late report (a
	// queue that gave up after days, a complaint weeks later) must not undo the levels sent since.
	// What goes back (the level, its day, no stated deadline): takeBackColumns.
	const atLevel = `Number($json.currentLevel) === Number(${reminder}.level)`;
	const level: JsonObject = takeBackLevel ? takeBackColumns(reminder, atLevel) : {};
	// A refusal counts once, for the level it took back: only this write, while the invoice is still
	// at the reminder's level. The same report read again after a run that stopped before Free Reminder
	// Key (the invoice is at the level before by then) must not count it a second time, nor may a late
	// report about an older level reset the count of the level now being retried. A second refusal of
	// the level, sent again since, finds the invoice at that level again and counts. Refused while
	// sending (no level to take back), the invoice is still at the level before the reminder's.
	const counts = takeBackLevel ? `(${refused} && ${atLevel})` : `(${refused} && Number($json.currentLevel) + 1 === Number(${reminder}.level))`;
	return {
		...level,
		emailRefusals: `={{ ${counts} ? (Number($json.emailRefusedLevel) === Number(${reminder}.level) ? Number($json.emailRefusals || 0) : 0) + 1 : Number($json.emailRefusals || 0) }}`,
		emailRefusedAt: `={{ ${counts} ? $now.toFormat('yyyy-MM-dd') : ($json.emailRefusedAt || '') }}`,
		emailRefusedLevel: `={{ ${counts} ? ${reminder}.level : $json.emailRefusedLevel }}`,
	};
}

export interface NotDeliveredChain {
	freeKey: string;
	loadInvoice: string;
	updateInvoice: string;
	dead: string;
	block: string;
}

/**
 * What follows a reminder that did not reach the customer, wherever that was found out (a bounce
 * read by mail, or a refusal by our own server while sending): the row gives its key up, so the
 * next dunning run releases the same level again; a refusal (the recipient's side's, or what
 * refusalCounts names) is counted for that level (Compute Dunning Level: e-mail once more, then
 * paper); a dead address or a complaint blocks e-mail to the customer (paper from then on). Both
 * workflows build it here, so they cannot drift apart.
 */
export function addNotDeliveredChain(wf: WorkflowBuilder, o: NotDeliveredChainOptions): NotDeliveredChain {
	/** The reminder row, seen from the nodes after the invoice was loaded (paired items). */
	const reminder = `$('${o.from}').item.json`;
	const refused = o.refusalCounts ? o.refusalCounts(reminder) : `${reminder}.bounceCategory === 'recipientRefused'`;
	const freeKey = wf.add(
		'Free Reminder Key',
		'n8n-nodes-base.dataTable',
		1.1,
		o.freeKeyAt?.x ?? o.x + 240,
		o.freeKeyAt?.y ?? o.y - 200,
		update(REMINDERS, [cond('id', '={{ $json.id }}')], { reminderKey: '={{ $json.reminderKey }}/notDelivered-{{ $json.id }}' }),
	);
	wf.connect(o.from, freeKey);
	for (const other of o.freeKeyAlsoFrom ?? []) wf.connect(other, freeKey);
	const loadInvoice = wf.add('Load Invoice', 'n8n-nodes-base.dataTable', 1.1, o.x + 240, o.y - 60, {
		operation: 'get',
		dataTableId: table(INVOICES),
		matchType: 'allConditions',
		filters: { conditions: [cond('invoiceId', '={{ $json.invoiceId }}')] },
		returnAll: false,
		limit: 1,
	});
	wf.connect(o.from, loadInvoice);
	const updateInvoice = wf.add(
		o.invoiceNodeName,
		'n8n-nodes-base.dataTable',
		1.1,
		o.x + 480,
		o.y - 60,
		update(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], returnedReminderColumns(reminder, o.takeBackLevel, refused)),
	);
	wf.connect(loadInvoice, updateInvoice);
	const dead = wf.add(
		'Address Dead?',
		'n8n-nodes-base.filter',
		2.2,
		o.x + 240,
		o.y + 120,
		allConditions(
			[
				condition('dead/addressDead', '={{ $json.bounceCategory }}', 'addressDead'),
				condition('dead/complaint', '={{ $json.bounceCategory }}', 'complaint'),
			],
			'or',
		),
	);
	wf.connect(o.from, dead);
	// The block names the addresses that failed, in lower case: it holds while the invoice shows any of
	// them, and lapses once it shows none (your ERP removed or corrected them). The rows are read first:
	// a block already in place keeps the addresses it named (a second failed address of the customer
	// adds to the first instead of replacing it), which an update's one value for every row it matches
	// cannot do. Customer ID is optional: without one, "customerId = ''" would find every invoice that
	// has none (and none where the column is empty, not ''), so then only this invoice is blocked. Of the
	// customer's invoices only those with the address list that failed (Addresses to Block): another
	// department's address still works, and customer numbers of another company's mailbox may be the same.
	const load = wf.add('Load Invoices to Block', 'n8n-nodes-base.dataTable', 1.1, o.x + 480, o.y + 120, {
		operation: 'get',
		dataTableId: table(INVOICES),
		matchType: 'anyCondition',
		filters: { conditions: [cond('invoiceId', '={{ $json.invoiceId }}'), cond('customerId', "={{ String($json.customerId ?? '').trim() || '(no customer ID)' }}")] },
		returnAll: true,
	});
	wf.connect(dead, load);
	const addresses = wf.add('Addresses to Block', 'n8n-nodes-base.code', 2, o.x + 700, o.y + 120, { jsCode: addressesToBlockCode('Address Dead?', o.failedAddressesFrom) });
	wf.connect(load, addresses);
	const block = wf.add(
		'Block Customer Email',
		'n8n-nodes-base.dataTable',
		1.1,
		o.x + 920,
		o.y + 120,
		update(INVOICES, [cond('id', '={{ $json.id }}')], { emailBlocked: true, emailBlockedAddress: '={{ $json.emailBlockedAddress }}' }),
	);
	wf.connect(addresses, block);
	return { freeKey, loadInvoice, updateInvoice, dead, block };
}
