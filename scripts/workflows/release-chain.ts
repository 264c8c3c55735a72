import {
	type Assignment,
	REMINDERS,
	advanceLevel,
	cond,
	equalsCondition,
	setNode,
	table,
} from './parameters';
import { onlyFirstRelease, paperLetters } from './paper-letters';
import type { WorkflowBuilder } from './workflow-builder';

/**
 * `printing`: a paper reminder whose letter this run is making; `paper` once its print batch is saved.
 * A run that makes no letters (the webhook variant) releases paper reminders as `paper` directly.
 */
type ReleaseStatus = 'released' | 'printing' | 'paper';

/**
 * The row's `payload`: the decided item, from which the sender rebuilds the reminder. An e-mail row of a
 * run with a company details node carries them as `companyDetails` once its name is filled in, so that
 * the e-mail has the bank account, payment reference and GiroCode (send-released.ts); without a name,
 * none (the e-mail goes without them, as before). The details are those of the release: the run checks
 * them before it releases anything (dunning-run.ts), and a row waiting in the ledger keeps them.
 */
export function payloadExpression(companyDetailsNode?: string): string {
	// Always set here, never taken from the item: an invoice's own field of that name (a webhook post)
	// must not become the bank account of the merchant's e-mail. A plain copy is spread: n8n 2.8
	// cannot spread $json itself (the row's payload came out null).
	const item = 'JSON.parse(JSON.stringify($json))';
	if (!companyDetailsNode) return `={{ JSON.stringify({ ...${item}, companyDetails: null }) }}`;
	const company = `$('${companyDetailsNode}').first().json`;
	return `={{ JSON.stringify({ ...${item}, companyDetails: String(${company}.name ?? '').trim() ? ${company} : null }) }}`;
}

/** One row of `dunning_reminders` for a decision of Compute Dunning Level. */
function reminderRow(status: ReleaseStatus, companyDetailsNode?: string): Assignment[] {
	const channel = status === 'released' ? 'email' : 'paper';
	return [
		['reminderKey', '={{ $json.invoiceId }}#{{ $json.dunning.level }}#' + channel, 'string'],
		['invoiceId', '={{ $json.invoiceId }}', 'string'],
		['invoiceNumber', "={{ $json.invoiceNumber ?? '' }}", 'string'],
		['customerId', "={{ $json.customerId ?? '' }}", 'string'],
		['email', "={{ $json.email ?? '' }}", 'string'],
		['language', "={{ $json.language ?? '' }}", 'string'],
		['level', '={{ $json.dunning.level }}', 'number'],
		['channel', channel, 'string'],
		['status', status, 'string'],
		['runId', '=run-{{ $execution.id }}', 'string'],
		['releasedAt', '={{ $now.toISO() }}', 'string'],
		['totalDue', '={{ $json.dunning.totalDue }}', 'number'],
		['currency', '={{ $json.dunning.currency }}', 'string'],
		['previousLevel', '={{ $json.dunning.previousLevel }}', 'number'],
		['previousLastDunnedAt', "={{ $json.lastDunnedAt ?? '' }}", 'string'],
		['payload', channel === 'email' ? payloadExpression(companyDetailsNode) : '={{ JSON.stringify($json) }}', 'string'],
		['mailbox', "={{ $json.mailbox || 'default' }}", 'string'],
		['claimId', '', 'string'],
		['leaseUntil', 0, 'number'],
		['retryAfter', 0, 'number'],
	];
}

/**
 * A stage with channel "none" (a handover to a collection agency, say) sends nothing but counts
 * its level (No Action, reason noChannel): the invoice moves on to it, and the next stage is due
 * from today. Without this the policy would stay at the stage before for ever.
 */
function countLevelWithoutChannel(wf: WorkflowBuilder, source: string, x: number, y: number): void {
	const noChannel = wf.add(
		'Stage Without Channel?',
		'n8n-nodes-base.if',
		2.2,
		x,
		y,
		equalsCondition('nochannel-cond', '={{ $json.dunning.reason }}', 'noChannel'),
	);
	wf.connect(source, noChannel, 2);
	const count = wf.add(
		'Count Level (No Channel)',
		'n8n-nodes-base.dataTable',
		1.1,
		x + 220,
		y - 20,
		advanceLevel('={{ $json.dunning.level }}'),
	);
	wf.connect(noChannel, count, 0);
}

/**
 * Send/Paper outputs of Compute Dunning Level -> rows in the reminders table, once per (invoice, level,
 * channel). With `letters`, each released paper reminder becomes a letter in the run's print batch
 * (see paper-letters.ts) and only a printed letter moves its invoice on. With `companyDetailsNode` (a
 * node of this workflow), e-mail rows carry its details (payloadExpression). Returns the node that inserts them.
 */
export function releaseChain(
	wf: WorkflowBuilder,
	source: string,
	x: number,
	y: number,
	options: { letters?: boolean; companyDetailsNode?: string } = {},
): string {
	const email = wf.add('Release for Email', 'n8n-nodes-base.set', 3.4, x, y - 100, setNode(reminderRow('released', options.companyDetailsNode)));
	const paperStatus = options.letters ? 'printing' : 'paper';
	const paper = wf.add('Queue Paper Letter', 'n8n-nodes-base.set', 3.4, x, y + 100, setNode(reminderRow(paperStatus)));
	wf.connect(source, email, 0);
	wf.connect(source, paper, 1);
	countLevelWithoutChannel(wf, source, x, y + 300);
	// The same invoice twice in one run (an export imported twice, a repeated ERP line) would pass
	// the check below twice, since the rows are inserted only after it: keep one per key.
	const unique = wf.add('One per Reminder Key', 'n8n-nodes-base.removeDuplicates', 2, x + 200, y, {
		operation: 'removeDuplicateInputItems',
		compare: 'selectedFields',
		fieldsToCompare: 'reminderKey',
		options: {},
	});
	wf.connect(email, unique);
	wf.connect(paper, unique);
	const once = wf.add('Not Released Yet', 'n8n-nodes-base.dataTable', 1.1, x + 400, y, {
		operation: 'rowNotExists',
		dataTableId: table(REMINDERS),
		// A reminder that did not reach the customer gave up its key (bounce processing), so the
		// level may be released again. (Row exists/not exists matches by equality only.)
		filters: { conditions: [cond('reminderKey', '={{ $json.reminderKey }}')] },
	});
	wf.connect(unique, once);
	const insert = wf.add('Release Reminder', 'n8n-nodes-base.dataTable', 1.1, x + 620, y, {
		resource: 'row',
		operation: 'insert',
		dataTableId: table(REMINDERS),
		columns: {
			mappingMode: 'autoMapInputData',
			value: {},
			matchingColumns: [],
			schema: [],
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
		options: {},
	});
	wf.connect(once, insert);
	const isPaper = wf.add(
		'Paper Letter?',
		'n8n-nodes-base.if',
		2.2,
		x + 840,
		y,
		equalsCondition('paper-cond', '={{ $json.status }}', paperStatus),
	);
	wf.connect(insert, isPaper);
	if (options.letters) {
		paperLetters(wf, isPaper, x + 1080, y);
		return insert;
	}
	// The answer marks a paper decision released only when this post's row is the first of its key.
	const first = onlyFirstRelease(wf, isPaper, x + 1080, y);
	const advance = wf.add(
		'Advance Level (Paper)',
		'n8n-nodes-base.dataTable',
		1.1,
		x + 1520,
		y - 60,
		// No deadline is stored: the answer gives your ERP none, it prints its own, and the letter goes
		// by post. dunning.deadline (run day + period) is not it: stored, the next stage and default
		// would come before the deadline a posted letter states. Empty (unknown), Compute estimates it
		// from lastDunnedAt with Days in the Post. claimedCharges: the charges the answer gives to print.
		advanceLevel('={{ $json.level }}', { item: 'JSON.parse($json.payload)', deadline: "''" }),
	);
	wf.connect(first, advance, 0);
	return insert;
}
