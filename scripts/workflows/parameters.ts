import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CredentialReference, type JsonObject, type JsonValue, nid, type WorkflowBuilder } from './workflow-builder';

/** Names shared by all shipped workflows: one place, so the files cannot drift apart. */
export const PKG = 'n8n-nodes-dunning';
export const INVOICES = 'dunning_invoices';
export const REMINDERS = 'dunning_reminders';
export const MAILBOXES = 'dunning_mailboxes';
export const ALERTS = 'dunning_alerts';

type ColumnType = 'string' | 'number' | 'boolean';
type Column = [name: string, type: ColumnType];

export const MAILBOX_COLUMNS: Column[] = [
	['mailbox', 'string'],
	['nextSendAt', 'number'],
	// sender health (Mailbox Health node): ok | paused, why, since when, refusals counted
	['status', 'string'],
	['statusReason', 'string'],
	['statusMessage', 'string'],
	['statusSince', 'string'],
	['senderRejections', 'number'],
	['recentRejections', 'string'],
];

/** One row per failure the Dunning alert mailed: when, and how often it failed the same way since. */
export const ALERT_COLUMNS: Column[] = [
	['alertKey', 'string'], ['workflowId', 'string'], ['workflowName', 'string'], ['message', 'string'],
	['lastMailedAt', 'number'], ['repeats', 'number'],
];

/** The health columns of a mailbox's row, as the Mailbox Health node computes them (`$json.mailboxHealth`). */
export const MAILBOX_HEALTH_FIELDS = ['status', 'statusReason', 'statusMessage', 'statusSince', 'senderRejections', 'recentRejections'];

export const INVOICE_COLUMNS: Column[] = [
	['invoiceId', 'string'], ['invoiceNumber', 'string'], ['customerId', 'string'], ['customerName', 'string'],
	// the postal address, for paper reminders (Create Reminder Letter)
	['street', 'string'], ['postalCode', 'string'], ['city', 'string'], ['country', 'string'],
	['customerType', 'string'], ['email', 'string'], ['language', 'string'], ['invoiceDate', 'string'],
	['dueDate', 'string'], ['currency', 'string'], ['amount', 'number'], ['openAmount', 'number'],
	['currentLevel', 'number'], ['lastDunnedAt', 'string'], ['parked', 'boolean'], ['disputed', 'boolean'],
	['dunningBlock', 'boolean'], ['emailBlocked', 'boolean'], ['note', 'string'], ['mailbox', 'string'],
	// set by bounce processing: why the block is set (customerReplied), refused e-mails of one level
	['dunningBlockReason', 'string'], ['emailRefusals', 'number'], ['emailRefusedAt', 'string'], ['emailRefusedLevel', 'number'],
	// the address a dead address or complaint blocked (emailBlocked holds while the row still shows it)
	['emailBlockedAddress', 'string'],
];

/** The columns of dunning_invoices the workflows write (levels, blocks, refusals, a reply's note). */
export const LEDGER_COLUMNS = [
	'currentLevel', 'lastDunnedAt', 'emailBlocked', 'emailBlockedAddress', 'dunningBlock', 'dunningBlockReason', 'note', 'emailRefusals', 'emailRefusedAt', 'emailRefusedLevel',
];

export const REMINDER_COLUMNS: Column[] = [
	['reminderKey', 'string'], ['invoiceId', 'string'], ['invoiceNumber', 'string'], ['customerId', 'string'],
	['email', 'string'], ['language', 'string'], ['level', 'number'], ['channel', 'string'], ['status', 'string'],
	['runId', 'string'], ['releasedAt', 'string'], ['totalDue', 'number'], ['currency', 'string'],
	['previousLevel', 'number'], ['previousLastDunnedAt', 'string'], ['payload', 'string'],
	['messageId', 'string'], ['sentAt', 'string'], ['attempts', 'number'], ['smtpResponse', 'string'],
	['error', 'string'], ['bounceReason', 'string'], ['bouncedAt', 'string'], ['softBounces', 'number'],
	// claim before send (Dunning Ledger): which sender sends it, who holds it and until when
	['mailbox', 'string'], ['claimId', 'string'], ['leaseUntil', 'number'], ['retryAfter', 'number'],
	// what came back (bounce processing): the Classify Bounce category, and notes (delays, auto-replies, replies)
	['bounceCategory', 'string'], ['note', 'string'],
	// the Message-IDs of the customer replies to this reminder bounce processing acted on (space-separated,
	// newest first): a reply read again changes nothing, however long the note has grown since
	['replyMessageIds', 'string'],
];

export const SMTP_CRED: Record<string, CredentialReference> = {
	dunningSmtpApi: { id: 'dunning-smtp', name: 'Dunning Mailbox (SMTP)' },
};
export const IMAP_CRED: Record<string, CredentialReference> = {
	dunningImapApi: { id: 'dunning-imap', name: 'Dunning Mailbox (IMAP)' },
};

// Shop-like defaults on top of the node's own (3 stages, 7 days apart): skip tiny amounts, and
// invoices older than a year.
export const COMPUTE_PARAMS: JsonObject = { rules: { minOpenAmount: 5, salesWindowDays: 365 } };

/**
 * Today as YYYY-MM-DD in the workflow's timezone (shipped: Europe/Berlin, see workflow-builder.ts),
 * inside a text; TODAY is the same as a whole expression. An operator who sets another timezone
 * for another country gets that country's day, as Compute Dunning Level counts with it.
 */
export const TODAY_TEXT = "{{ $now.toFormat('yyyy-MM-dd') }}";
export const TODAY = '=' + TODAY_TEXT;

/** The text of a sticky note, kept as Markdown in notes/ (without the file's final newline). */
export function noteText(file: string): string {
	return readFileSync(join(__dirname, 'notes', file), 'utf8').replace(/\n$/, '');
}

/** A Data Table picked by name (resource locator). */
export function table(name: string): JsonObject {
	return { __rl: true, mode: 'name', value: name };
}

/** Data Table node: create the table unless it exists. */
export function createTable(name: string, columns: Column[]): JsonObject {
	return {
		resource: 'table',
		operation: 'create',
		tableName: name,
		columns: { column: columns.map(([columnName, type]) => ({ name: columnName, type })) },
		options: { createIfNotExists: true },
	};
}

/** One row filter of a Data Table node (`eq`, `lt`, `lte`, ...). */
export function cond(key: string, value: JsonValue, condition = 'eq'): JsonObject {
	return { keyName: key, condition, keyValue: value };
}

/** Data Table node: write `values` (null: the input item's fields) to the rows matching all `conditions`. */
function writeRows(operation: 'update' | 'upsert', tableName: string, conditions: JsonObject[], values: JsonObject | null): JsonObject {
	return {
		operation,
		dataTableId: table(tableName),
		matchType: 'allConditions',
		filters: { conditions },
		columns: {
			mappingMode: values ? 'defineBelow' : 'autoMapInputData',
			value: values ?? {},
			matchingColumns: [],
			schema: [],
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
		options: {},
	};
}

/** Data Table node: update the rows matching all `conditions` with `values`. */
export function update(tableName: string, conditions: JsonObject[], values: JsonObject): JsonObject {
	return writeRows('update', tableName, conditions, values);
}

/** Data Table update: the item's invoice moves to `level` (an expression) as of today. */
export function advanceLevel(level: string): JsonObject {
	return update(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], { currentLevel: level, lastDunnedAt: TODAY });
}

/** Data Table node: update the rows matching all `conditions`, or add one, with `values` (null: the item's fields). */
export function upsert(tableName: string, conditions: JsonObject[], values: JsonObject | null): JsonObject {
	return writeRows('upsert', tableName, conditions, values);
}

/** Data Table node: get the oldest `limit` rows matching all `conditions` (by creation, oldest first). */
export function getRows(tableName: string, conditions: JsonObject[], limit: number | string): JsonObject {
	return {
		operation: 'get',
		dataTableId: table(tableName),
		matchType: 'allConditions',
		filters: { conditions },
		returnAll: false,
		limit,
		orderBy: true,
		orderByColumn: 'createdAt',
		orderByDirection: 'ASC',
	};
}

export type Assignment = [name: string, value: string | number, type: 'string' | 'number'];

/** Edit Fields (Set) node that outputs only the given fields. */
export function setNode(assignments: Assignment[]): JsonObject {
	return {
		assignments: {
			assignments: assignments.map(([name, value, type]) => ({
				id: nid('assign/' + name + String(value)),
				name,
				value,
				type,
			})),
		},
		options: {},
	};
}

function singleCondition(condition: JsonObject): JsonObject {
	return {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: [condition],
			combinator: 'and',
		},
		looseTypeValidation: true,
		options: {},
	};
}

/** If/Filter node parameters: `left` equals the string `right`. */
export function equalsCondition(idKey: string, left: string, right: string): JsonObject {
	return singleCondition({
		id: nid(idKey),
		leftValue: left,
		rightValue: right,
		operator: { type: 'string', operation: 'equals' },
	});
}

/** One condition of an If/Filter node: `left` equals `right`, or (right null) is a non-empty string. */
export function condition(idKey: string, left: string, right: string | null): JsonObject {
	return right === null
		? { id: nid(idKey), leftValue: left, rightValue: '', operator: { type: 'string', operation: 'notEmpty', singleValue: true } }
		: { id: nid(idKey), leftValue: left, rightValue: right, operator: { type: 'string', operation: 'equals' } };
}

/** If/Filter node parameters: every one of `conditions` holds (or, with `or`, any one). */
export function allConditions(conditions: JsonObject[], combinator: 'and' | 'or' = 'and'): JsonObject {
	return {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions,
			combinator,
		},
		looseTypeValidation: true,
		options: {},
	};
}

/** If/Filter node parameters: the expression `left` is true. */
export function isTrueCondition(idKey: string, left: string): JsonObject {
	return allConditions([{ id: nid(idKey), leftValue: left, rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } }]);
}

/** The refusal counts Mailbox Health keeps; the other health columns say whether the mailbox is paused. */
const REJECTION_COUNT_FIELDS = ['senderRejections', 'recentRejections'];

/**
 * Saves Mailbox Health's `mailboxHealth` output (of the node `healthNode`) to the mailbox's row,
 * after output `fromOutput` of `from`: the counts always, the pause (status and its reason,
 * message, time) only when this run paused the mailbox. The sender and bounce processing each read
 * the row before they compute: written back whole, a run that paused nothing would put the "ok" it
 * read back over the other's pause of a moment ago. Returns where the workflow goes on: the
 * "Save Pause" node and the false output of "Paused Now?".
 */
export function saveMailboxHealth(
	wf: WorkflowBuilder,
	o: { from: string; fromOutput?: number; healthNode: string; mailbox: JsonObject; x: number; y: number },
): { pause: string; notPaused: string } {
	const health = `$('${o.healthNode}').first().json.mailboxHealth`;
	const columns = (fields: string[]) => Object.fromEntries(fields.map((f) => [f, `={{ ${health}.${f} }}`]));
	const counts = wf.add('Save Rejection Counts', 'n8n-nodes-base.dataTable', 1.1, o.x, o.y, update(MAILBOXES, [o.mailbox], columns(REJECTION_COUNT_FIELDS)), {
		executeOnce: true,
		alwaysOutputData: true,
	});
	wf.connect(o.from, counts, o.fromOutput ?? 0);
	const pausedNow = wf.add('Paused Now?', 'n8n-nodes-base.if', 2.2, o.x + 220, o.y, isTrueCondition('paused-now', `={{ ${health}.pausedNow }}`), { executeOnce: true });
	wf.connect(counts, pausedNow);
	const statusFields = MAILBOX_HEALTH_FIELDS.filter((f) => !REJECTION_COUNT_FIELDS.includes(f));
	const pause = wf.add('Save Pause', 'n8n-nodes-base.dataTable', 1.1, o.x + 440, o.y - 100, update(MAILBOXES, [o.mailbox], columns(statusFields)), {
		executeOnce: true,
		alwaysOutputData: true,
	});
	wf.connect(pausedNow, pause, 0);
	return { pause, notPaused: pausedNow };
}

/** If/Filter node parameters: `left` is a non-empty string. */
export function notEmptyCondition(nodeName: string, left: string): JsonObject {
	return singleCondition({
		id: nid(nodeName + '/1'),
		leftValue: left,
		rightValue: '',
		operator: { type: 'string', operation: 'notEmpty', singleValue: true },
	});
}

/**
 * The invoices and reminders tables after a workflow's own first table (`after`), for the workflows
 * that do not start with them: each creates what it uses, whichever is switched on first.
 * Returns the last node, to connect what follows.
 */
export function ensureOtherTables(wf: WorkflowBuilder, after: string, x: number, y: number): string {
	const reminders = wf.add('Ensure Reminders Table', 'n8n-nodes-base.dataTable', 1.1, x, y, createTable(REMINDERS, REMINDER_COLUMNS), { executeOnce: true });
	wf.connect(after, reminders);
	const invoices = wf.add('Ensure Invoices Table', 'n8n-nodes-base.dataTable', 1.1, x + 220, y, createTable(INVOICES, INVOICE_COLUMNS), { executeOnce: true });
	wf.connect(reminders, invoices);
	return invoices;
}
