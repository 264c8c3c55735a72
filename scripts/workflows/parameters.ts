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
	// written when a reminder leaves (advanceLevel): the deadline it stated, the level-1 reminder's, and
	// the most charges any reminder claimed; Compute Dunning Level reads them under the same names
	['lastDeadline', 'string'], ['firstDeadline', 'string'], ['claimedCharges', 'number'],
];

/** The columns of dunning_invoices the workflows write (levels, blocks, refusals, a reply's note). */
export const LEDGER_COLUMNS = [
	'currentLevel', 'lastDunnedAt', 'emailBlocked', 'emailBlockedAddress', 'dunningBlock', 'dunningBlockReason', 'note', 'emailRefusals', 'emailRefusedAt', 'emailRefusedLevel',
	'lastDeadline', 'firstDeadline', 'claimedCharges',
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

/**
 * What a reminder that left stated and claimed, as expression bodies over the decided item `item`
 * (Compute Dunning Level's, with the invoice's fields as stored and `dunning`) and `deadline`, the
 * deadline it stated (YYYY-MM-DD; '' when it is not known here, e.g. an ERP prints the letter).
 */
export interface LeftReminder {
	item: string;
	deadline: string;
}

/**
 * The invoice columns a reminder that left writes besides its level (Compute Dunning Level reads
 * them): lastDeadline, the deadline it stated, so the next stage waits for it (a letter states its day
 * + Days in the Post + the period, later than Compute's estimate); firstDeadline, at level 1 the same
 * (default starts after it), else as stored; claimedCharges, the most any reminder asked on top of the
 * open amount (each asks for everything owed so far: not a sum), so that a customer who pays a
 * reminder's total is `chargesPaid`, not a credit.
 */
function statedColumns(left: LeftReminder): JsonObject {
	const d = `${left.item}.dunning`;
	// Rounded to 4 places (no currency has more): 0.1 + 0.2 is 0.3, not 0.30000000000000004.
	const charges = `Math.round(((Number(${d}.fee) || 0) + (Number(${d}.flatFee) || 0) + (Number(${d}.interest) || 0)) * 10000) / 10000`;
	return {
		lastDeadline: `={{ ${left.deadline} }}`,
		firstDeadline: `={{ Number(${d}.level) === 1 ? ${left.deadline} : (${left.item}.firstDeadline || '') }}`,
		claimedCharges: `={{ Math.max(Number(${left.item}.claimedCharges) || 0, ${charges}) }}`,
	};
}

/**
 * Data Table update: the item's invoice moves to `level` (an expression) as of today; with `left`, the
 * reminder that left with it is stored too (statedColumns). Without: a stage that sends nothing.
 */
export function advanceLevel(level: string, left?: LeftReminder): JsonObject {
	return update(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], { currentLevel: level, lastDunnedAt: TODAY, ...(left ? statedColumns(left) : {}) });
}

/**
 * The invoice columns of a level taken back (its reminder did not reach the customer), undoing
 * advanceLevel: the level and day before it, from the reminder row `reminder` (an expression with
 * previousLevel, previousLastDunnedAt), and no lastDeadline: the deadline the reminder stated binds no
 * one it never reached, so the level is sent again without waiting for it (Compute estimates the one
 * before from lastDunnedAt; it had passed before the reminder was released). firstDeadline is not
 * read below level 1 and is written again when level 1 leaves. claimedCharges goes back to the
 * invoice's before the reminder (statedColumns raised it when it left): the row's `payload` is the
 * decided item at release, with the claimedCharges it had then. Left on the row, the charges of a
 * reminder the customer never got would make an overpayment by them `chargesPaid` (money never
 * asked for kept) and feed the customer's pooled charges. A payload that is not JSON (edited by
 * hand; the sender parsed it to send): 0, none known; an overpayment then shows as a credit for
 * a person to settle (the safer error), until the level, sent again, claims its charges again.
 *
 * `atLevel`: an expression, true while the invoice row as loaded (`$json`) is still at the reminder's
 * level; when false, the row's values are written back as they are. Without it, the update's own
 * filter must match only an invoice still at that level.
 */
export function takeBackColumns(reminder: string, atLevel?: string): JsonObject {
	const back = (before: string, now: string) => (atLevel ? `={{ ${atLevel} ? ${before} : ${now} }}` : `={{ ${before} }}`);
	// The payload is stored as text (a string column); an object is read as it is.
	const payload = `${reminder}.payload`;
	const parsed = `(typeof ${payload} === 'string' ? JSON.parse(${payload} || '{}') : (${payload} ?? {}))`;
	const chargesBefore = `(() => { try { return Number(${parsed}.claimedCharges) || 0; } catch (error) { return 0; } })()`;
	return {
		currentLevel: back(`${reminder}.previousLevel`, '$json.currentLevel'),
		lastDunnedAt: back(`${reminder}.previousLastDunnedAt`, '$json.lastDunnedAt'),
		lastDeadline: atLevel ? back("''", "($json.lastDeadline || '')") : '',
		claimedCharges: back(chargesBefore, '$json.claimedCharges'),
	};
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
 * The columns Mailbox Health's count depends on: the counts, and the pause fields it reads (status,
 * the last pause's cause and start). The counts are saved only while these still hold what the run
 * read (compare and set); not statusMessage, which nothing computed here depends on.
 */
const HEALTH_READ_FIELDS = [...REJECTION_COUNT_FIELDS, 'status', 'statusReason', 'statusSince'];

/**
 * Filter conditions: the mailbox's row still holds what `row` (an expression of the row read) held;
 * an empty cell is NULL. No row read: the sender's first tick, whose Create Pace Row adds it with
 * status "ok" and nothing else, which reads the same (nothing counted, ok).
 */
function unchangedSince(row: string): JsonObject[] {
	return HEALTH_READ_FIELDS.map((f) => cond(f, f === 'status' ? `={{ ${row}.mailbox ? (${row}.status ?? null) : 'ok' }}` : `={{ ${row}.${f} ?? null }}`));
}

/** The name of the second Mailbox Health node, which counts the same refusals again on the row as reloaded. */
export function reloadedHealthNode(healthNode: string): string {
	return `${healthNode} (Reloaded)`;
}

/** The Mailbox Health output saved to the row: of the second count when the first save found the row changed. */
export function savedHealth(healthNode: string): string {
	const again = reloadedHealthNode(healthNode);
	return `($('${again}').isExecuted ? $('${again}') : $('${healthNode}')).first().json.mailboxHealth`;
}

/**
 * Saves Mailbox Health's `mailboxHealth` output (of the node `healthNode`, which read the row from
 * `loadNode`) to the mailbox's row, after `from` (whose items carry that output): the counts always,
 * the pause (status and its reason, message, time) only when this run paused the mailbox.
 *
 * Only when this run counted a refusal or paused the mailbox (If "Health Changed?", at `gate`): a
 * save that adds nothing could only collide with another run writing the row at the same moment and
 * fail this run ("changed twice").
 *
 * The counts are read, counted and written back whole, so two runs at once (the sender's next tick,
 * bounce processing, another copy) would lose one's refusals, and a run that read the row before a
 * resume or another run's pause would write the old window back. So the save is a compare and set:
 * it matches only while the row holds what was read. When it matched nothing, the row is read
 * again and the same refusals counted once more on it (a second Mailbox Health node, no loop) and
 * saved the same way; when that too finds the row changed, the run fails naming the mailbox, after
 * saving a pause the refusals called for. `alsoReport` (an expression, '' for nothing) is added to
 * that failure's message, and `whatNext` says what becomes of the refusals not counted.
 * Returns `gate`, the If "Health Changed?" (its output 1: nothing to save), and `saved`, the node
 * whose output 0 goes on (the counts are saved). `gate` keeps its own position: the callers' files
 * have it where it was before it moved in here.
 */
export function saveMailboxHealth(
	wf: WorkflowBuilder,
	o: {
		from: string;
		gate: { x: number; y: number };
		healthNode: string;
		loadNode: string;
		mailbox: JsonObject;
		whatNext: string;
		alsoReport?: string;
		x: number;
		y: number;
	},
): { gate: string; saved: string } {
	const loaded = `$('${o.loadNode}').first().json`;
	const first = `$('${o.healthNode}').first().json.mailboxHealth`;
	const columns = (health: string, fields: string[]) => Object.fromEntries(fields.map((f) => [f, `={{ ${health}.${f} }}`]));
	const once = { executeOnce: true, alwaysOutputData: true };
	const saveCounts = (name: string, row: string, health: string, x: number, y: number) =>
		wf.add(name, 'n8n-nodes-base.dataTable', 1.1, x, y, update(MAILBOXES, [o.mailbox, ...unchangedSince(row)], columns(health, REJECTION_COUNT_FIELDS)), once);
	const gate = wf.add('Health Changed?', 'n8n-nodes-base.if', 2.2, o.gate.x, o.gate.y, isTrueCondition('health-changed', '={{ $json.mailboxHealth.changed }}'), {
		executeOnce: true,
	});
	wf.connect(o.from, gate);
	// The update outputs the rows it changed: none (an empty item) when the row had changed.
	const counts = saveCounts('Save Rejection Counts', loaded, first, o.x, o.y);
	wf.connect(gate, counts, 0);
	const saved = wf.add('Counts Saved?', 'n8n-nodes-base.if', 2.2, o.x + 220, o.y, notEmptyCondition('Counts Saved?', '={{ $json.mailbox }}'), { executeOnce: true });
	wf.connect(counts, saved);

	// Changed since read: the same refusals once more, on the row as it is now.
	const reload = wf.add('Reload Mailbox State', 'n8n-nodes-base.dataTable', 1.1, o.x + 440, o.y + 140, getRows(MAILBOXES, [o.mailbox], 1), once);
	wf.connect(saved, reload, 1);
	// Mailbox Health outputs its input items (no error items: it has no On Error setting here).
	const same = wf.add('Same Refusals', 'n8n-nodes-base.code', 2, o.x + 660, o.y + 140, {
		jsCode: `return $('${o.healthNode}').all().map((item) => ({ json: item.json }));`,
	});
	wf.connect(reload, same);
	const healthParameters = wf.toJson().nodes.find((n) => n.name === o.healthNode)?.parameters;
	if (!healthParameters) throw new Error(`saveMailboxHealth: no node "${o.healthNode}"`);
	const againNode = reloadedHealthNode(o.healthNode);
	const again = wf.add(againNode, `${PKG}.mailboxHealth`, 1, o.x + 880, o.y + 140, { ...healthParameters, mailboxRow: `={{ $('Reload Mailbox State').first().json }}` });
	wf.connect(same, again);
	const reloaded = "$('Reload Mailbox State').first().json";
	const countsAgain = saveCounts('Save Rejection Counts (Reloaded)', reloaded, `$('${againNode}').first().json.mailboxHealth`, o.x + 1100, o.y + 140);
	wf.connect(again, countsAgain);

	const health = savedHealth(o.healthNode);
	const pausedNow = wf.add('Paused Now?', 'n8n-nodes-base.if', 2.2, o.x + 1320, o.y, isTrueCondition('paused-now', `={{ ${health}.pausedNow }}`), { executeOnce: true });
	wf.connect(saved, pausedNow, 0);
	wf.connect(countsAgain, pausedNow);
	const statusFields = MAILBOX_HEALTH_FIELDS.filter((f) => !REJECTION_COUNT_FIELDS.includes(f));
	const pause = wf.add('Save Pause', 'n8n-nodes-base.dataTable', 1.1, o.x + 1540, o.y - 100, update(MAILBOXES, [o.mailbox], columns(health, statusFields)), once);
	wf.connect(pausedNow, pause, 0);

	const countsSaved = `!$('Reload Mailbox State').isExecuted || !!$('Save Rejection Counts (Reloaded)').first().json.mailbox`;
	const done = wf.add('Rejection Counts Saved?', 'n8n-nodes-base.if', 2.2, o.x + 1760, o.y, isTrueCondition('counts-saved', `={{ ${countsSaved} }}`), { executeOnce: true });
	wf.connect(pause, done);
	wf.connect(pausedNow, done, 1);
	const refused = `$('${againNode}').all().filter((i) => i.json.mailboxHealth.counted).length`;
	const why =
		`(${reloaded}.mailbox ? 'its row in dunning_mailboxes changed twice while this run saved its count (other runs or a person wrote it at the same moment)' : 'its row in dunning_mailboxes is gone (deleted while this run ran)')`;
	const message =
		`'Sender refusals of mailbox "' + ${health}.mailbox + '" were not counted: ' + ${why} + '. ' + ${refused} + ' refusal(s) of this run are missing from senderRejections and recentRejections; ' +` +
		` (${health}.pausedNow ? 'the pause they called for is saved. ' : 'they paused nothing. ') + ${JSON.stringify(o.whatNext)}`;
	wf.add('Fail: Refusals Not Counted', 'n8n-nodes-base.stopAndError', 1, o.x + 1980, o.y + 140, {
		errorType: 'errorMessage',
		errorMessage: `={{ [${message}, ${o.alsoReport ?? "''"}].filter((m) => !!m).join(' ') }}`,
	});
	wf.connect(done, 'Fail: Refusals Not Counted', 1);
	return { gate, saved: done };
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

/** A table a workflow reads or writes, and every column of it the workflow needs. */
export interface NeededTable {
	name: string;
	columns: Column[];
}

/** The tables the shipped workflows keep their state in, with every column this version needs. */
export const NEEDED = {
	invoices: { name: INVOICES, columns: INVOICE_COLUMNS },
	reminders: { name: REMINDERS, columns: REMINDER_COLUMNS },
	mailboxes: { name: MAILBOXES, columns: MAILBOX_COLUMNS },
} satisfies Record<string, NeededTable>;

/** The node that checks the columns of `table` (checkColumns). */
export function columnCheckNode(table: string): string {
	return `Check Columns of ${table}`;
}

/** The node that words why checkColumns stopped the run, and its Stop and Error node. */
export const MISSING_COLUMNS_NODE = 'Missing Columns';
export const STOP_MISSING_COLUMNS_NODE = 'Add Missing Columns';

/** A value of the column's type, for an equality filter n8n accepts on it. */
const SAMPLE_VALUE: Record<ColumnType, JsonValue> = { string: '', number: 0, boolean: false };

/**
 * Why a column check failed (the error output of a checkColumns node, `$json.error`; `$prevNode` is
 * the check), as an expression body: the table, the columns it lacks with their types (as n8n's
 * Data Table node names them, "Column(s) "a, b" do not exist", or its service, "unknown column name
 * 'a'"), what to do, and that nothing was done. Any other failure is quoted as n8n gave it.
 */
function missingColumnsMessage(tables: NeededTable[]): string {
	const byCheck = Object.fromEntries(tables.map((t) => [columnCheckNode(t.name), { name: t.name, types: Object.fromEntries(t.columns) }]));
	// No "}}" (nor "{{") in the expression: n8n would end it there.
	const lookup = JSON.stringify(byCheck).replace(/[{}]/g, (c) => (c === '{' ? '{ ' : ' }'));
	const nothingDone = 'This run stopped before it sent, printed, released or saved anything.';
	return [
		`(() => { const table = (${lookup})[$prevNode.name]; const said = String($json.error ?? '');`,
		`const listed = said.match(/Column\\(s\\) "([^"]*)"/);`,
		`const missing = (listed ? listed[1].split(', ') : (said.match(/unknown column name '[^']*'/g) ?? []).map((m) => m.slice(21, -1))).filter((c) => !!table.types[c]);`,
		`return missing.length > 0`,
		`? 'Data table ' + table.name + ' lacks ' + (missing.length > 1 ? 'columns' : 'a column') + ' this version of the dunning workflows needs: ' + missing.map((c) => c + ' (' + table.types[c] + ')').join(', ') +`,
		`'. Add ' + (missing.length > 1 ? 'them' : 'it') + ' in n8n (Overview › Data tables › ' + table.name + ', + next to the last column, same name and type; see CHANGELOG › Upgrading), then run again. ${nothingDone} (n8n says: ' + said + ')'`,
		`: 'The columns of data table ' + table.name + ' could not be checked (n8n says: ' + said + '). ${nothingDone}'; })()`,
	].join(' ');
}

/**
 * Before a workflow does anything with its tables: one Data Table "row does not exist" per table
 * (placed from x, y to the right; the failure's nodes at failRowY, default y + 200) whose filter names every column of it, so that n8n refuses it when
 * the table lacks one (a table created by an earlier version: Ensure … Table does not add columns to
 * a table that exists). It matches no row (id 0), so the item goes on unchanged. A refusal goes to
 * Missing Columns (below the checks), `answer` (the webhook run's answer to its caller: gets the item
 * with `message`, must pass it on) and Add Missing Columns, which stops the run naming the table, the
 * columns and what to do. Returns the last check, whose output 0 goes on.
 */
export function checkColumns(
	wf: WorkflowBuilder,
	o: { after: string; tables: NeededTable[]; x: number; y: number; failRowY?: number; answer?: (message: string, x: number, y: number) => string },
): string {
	const { x, y, answer } = o;
	// No check, nothing would lead to Missing Columns and the run would go on unchecked.
	if (o.tables.length === 0) throw new Error(`checkColumns after ${o.after}: no table to check`);
	const failY = o.failRowY ?? y + 200;
	const why = wf.add(MISSING_COLUMNS_NODE, 'n8n-nodes-base.set', 3.4, x, failY, {
		mode: 'raw',
		options: {},
		jsonOutput: `={{ { message: ${missingColumnsMessage(o.tables)} } }}`,
	});
	let previous = o.after;
	o.tables.forEach((t, i) => {
		const check = wf.add(
			columnCheckNode(t.name),
			'n8n-nodes-base.dataTable',
			1.1,
			x + 220 * i,
			y,
			{
				resource: 'row',
				operation: 'rowNotExists',
				dataTableId: table(t.name),
				matchType: 'allConditions',
				filters: { conditions: [cond('id', 0), ...t.columns.map(([name, type]) => cond(name, SAMPLE_VALUE[type]))] },
			},
			{ executeOnce: true, onError: 'continueErrorOutput' },
		);
		wf.connect(previous, check);
		wf.connect(check, why, 1);
		previous = check;
	});
	const answered = answer?.('$json.message', x + 220, failY);
	if (answered) wf.connect(why, answered);
	wf.add(STOP_MISSING_COLUMNS_NODE, 'n8n-nodes-base.stopAndError', 1, answered ? x + 440 : x + 220, failY, {
		errorType: 'errorMessage',
		errorMessage: '={{ $json.message }}',
	});
	wf.connect(answered ?? why, STOP_MISSING_COLUMNS_NODE);
	return previous;
}
