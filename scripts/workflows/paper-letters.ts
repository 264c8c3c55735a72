import { NO_PAYMENT_LINK } from '../../lib/payment/payable';

import { PKG, REMINDERS, advanceLevel, cond, getRows, isTrueCondition, noteText, setNode, table, update } from './parameters';
import type { JsonObject, WorkflowBuilder } from './workflow-builder';

/** The company details every letter prints, from the Set node at the start of the dunning run. */
export const COMPANY_DETAILS_NODE = 'Company Details';
const COMPANY = `={{ $('${COMPANY_DETAILS_NODE}').first().json }}`;

/**
 * Where the print batch lands by default: n8n 2.x writes files only below N8N_RESTRICT_FILE_ACCESS_TO
 * (default ~/.n8n-files), and the write node takes no "~", so this is that folder in n8n's Docker
 * image (home /home/node). Operators of other installs change it in "Save Print Batch".
 */
export const PRINT_FOLDER = '/home/node/.n8n-files/dunning';

/** The row is still this run's: it released it (runId) and has not printed it or given it back (status). */
const THIS_RUNS_LETTER = [cond('id', '={{ $json.reminder.rowId }}'), cond('runId', '=run-{{ $execution.id }}'), cond('status', 'printing')];

/**
 * A released paper reminder whose letter could not be made (or saved) gives its key back, as a bounced one does.
 * Only while the row is still as `owner` says: a row another run has since given back, printed or renewed
 * is that run's, and is not written over.
 */
function giveBack(owner: JsonObject[]): JsonObject {
	return update(REMINDERS, owner, {
		status: 'letterFailed',
		reminderKey: '={{ $json.reminder.reminderKey }}/letterFailed-{{ $json.reminder.rowId }}',
		error: '={{ $json.error }}',
	});
}

const GIVEN_BACK = "This run's paper reminders were given back and are made again on the next run.";

export const LETTERS_STILL_OURS_CODE = `// The letters whose rows "Confirm Letter Still Ours" found still this run's (and renewed): only they join
// the print batch and move their invoice on. A letter whose row is missing there was given back by a run that
// took this one for interrupted: that run makes and prints it.
const letters = new Map($('Create Letter').all(0).map((item) => [String(item.json.reminder.rowId), item]));
return $input.all().flatMap((row, index) => {
  const letter = letters.get(String(row.json.id));
  return letter ? [{ json: letter.json, binary: letter.binary, pairedItem: { item: index } }] : [];
});
`;

export const LETTERS_NOT_SAVED_CODE = `// The print batch could not be made, or written (folder missing, no permission, outside N8N_RESTRICT_FILE_ACCESS_TO):
// every letter in it goes back, so that the next run makes it again. So do the letters that could not
// be made (their own reason): the run stops here, before "Give Back Failed Letter" below would run.
const error = $input.first().json.error;
const what = $('Save Print Batch').isExecuted ? 'was not saved' : 'could not be made';
const made = $('Letters Still Ours').all().map((item) => ({ json: { reminder: item.json.reminder, error: \`The print batch \${what}: \${error}\` } }));
let failed = [];
try { failed = $('Create Letter').all(1).map((item) => ({ json: { reminder: item.json.reminder, error: item.json.error } })); } catch (e) { failed = []; }
return [...made, ...failed];
`;

/**
 * The paper branch after the release: each newly released paper reminder becomes a letter
 * (Create Reminder Letter, the company details from the "Company Details" node), the run's letters
 * one print batch PDF written to disk, and only then does the invoice move to its new level.
 *
 * A letter that cannot be made (no postal address; no payment link while no IBAN is entered) leaves by the error output: its row gives its
 * key back (status letterFailed, the reason in `error`) so a later run makes it again, and the run
 * summary lists it; the other letters are printed. Missing or wrong company details, or a batch
 * that cannot be saved, give every row back and fail the run with what to fix, so no letter goes
 * out with a sender nobody entered, and none is lost.
 *
 * Before the batch, each letter's row is confirmed as still this run's (and renewed): a run that took
 * over an hour to make its letters may find some given back by a later run, which prints them; those
 * it neither prints nor advances.
 *
 * Positions matter: with execution order v1, the upper branch (batch, save) runs before the lower
 * one (advance level), so a failed save stops the run before any invoice moves on.
 */
export function paperLetters(wf: WorkflowBuilder, isPaper: string, x0: number, y: number): void {
	const firstRelease = onlyFirstRelease(wf, isPaper, x0, y + 160);
	const x = x0 + 440;
	wf.note('Note: Letters', x, y - 440, 620, 380, noteText('dunning-run.letters.md'), 5);
	const restore = wf.add('Paper Reminder', 'n8n-nodes-base.set', 3.4, x, y + 160, {
		mode: 'raw',
		options: {},
		jsonOutput: '={{ { ...JSON.parse($json.payload), reminder: { rowId: $json.id, reminderKey: $json.reminderKey } } }}',
	});
	wf.connect(firstRelease, restore, 0);
	const create = wf.add(
		'Create Letter',
		PKG + '.createReminderLetter',
		1,
		x + 220,
		y + 160,
		{ operation: 'perItem', companySource: 'json', companyJson: COMPANY, binaryPropertyName: 'letter', options: {} },
		{ onError: 'continueErrorOutput' },
	);
	wf.connect(restore, create);
	// Making the letters can take longer than the hour after which another run takes this run's rows for
	// interrupted and makes their letters itself (giveBackInterruptedLetters). Right before the batch, each
	// letter's row must still be this run's: renewed, it is safe for another hour; given back, its letter
	// is the other run's, and this run neither prints it nor moves its invoice on.
	const confirm = wf.add('Confirm Letter Still Ours', 'n8n-nodes-base.dataTable', 1.1, x + 440, y + 60, update(REMINDERS, THIS_RUNS_LETTER, { releasedAt: '={{ $now.toISO() }}' }));
	wf.connect(create, confirm, 0);
	const confirmed = wf.add('Letters Still Ours', 'n8n-nodes-base.code', 2, x + 660, y + 60, { jsCode: LETTERS_STILL_OURS_CODE });
	wf.connect(confirm, confirmed);
	const bx = x + 440;

	const join = wf.add(
		'Join Into Print Batch',
		PKG + '.createReminderLetter',
		1,
		bx + 440,
		y + 60,
		{
			operation: 'printBatch',
			companySource: 'json',
			companyJson: COMPANY,
			binaryPropertyName: 'letter',
			options: { batchFileName: '=letters-{date}-run-{{ $execution.id }}.pdf' },
		},
		{ onError: 'continueErrorOutput' },
	);
	wf.connect(confirmed, join);
	const save = wf.add(
		'Save Print Batch',
		'n8n-nodes-base.readWriteFile',
		1.1,
		bx + 660,
		y + 60,
		{ operation: 'write', fileName: `=${PRINT_FOLDER}/{{ $json.printBatch.fileName }}`, dataPropertyName: 'letter', options: {} },
		{ onError: 'continueErrorOutput' },
	);
	wf.connect(join, save);
	// Only a saved batch makes its reminders `paper`: a run killed before this leaves them `printing`,
	// and the next run gives them back (giveBackInterruptedLetters).
	const printed = wf.add(
		'Mark Letters Printed',
		'n8n-nodes-base.dataTable',
		1.1,
		bx + 880,
		y - 60,
		update(REMINDERS, [cond('runId', '=run-{{ $execution.id }}'), cond('status', 'printing')], { status: 'paper' }),
		{ executeOnce: true },
	);
	wf.connect(save, printed, 0);
	const notSaved = wf.add('Letters Not Saved', 'n8n-nodes-base.code', 2, bx + 880, y + 160, { jsCode: LETTERS_NOT_SAVED_CODE });
	// A batch that cannot be made gives its letters back as one that cannot be saved: else their rows
	// would stay "printing" with no letter until the next run an hour later gave them back.
	wf.connect(join, notSaved, 1);
	wf.connect(save, notSaved, 1);
	const unsaved = wf.add('Give Back Unsaved Letters', 'n8n-nodes-base.dataTable', 1.1, bx + 1100, y + 160, giveBack(THIS_RUNS_LETTER));
	wf.connect(notSaved, unsaved);
	const saveFailed = wf.add(
		'Print Batch Not Saved',
		'n8n-nodes-base.stopAndError',
		1,
		bx + 1320,
		y + 160,
		{
			errorType: 'errorMessage',
			errorMessage:
				"={{ $json.error }}. {{ $json.error.startsWith('The print batch was not saved') ? 'Create that folder (for example mkdir -p ~/.n8n-files/dunning) or change File Path and Name in \"Save Print Batch\": n8n writes files only below N8N_RESTRICT_FILE_ACCESS_TO (default ~/.n8n-files). ' : '' }}" +
				GIVEN_BACK,
		},
		{ executeOnce: true },
	);
	wf.connect(unsaved, saveFailed);

	const advance = wf.add(
		'Advance Level (Paper)',
		'n8n-nodes-base.dataTable',
		1.1,
		bx + 440,
		y + 300,
		// The deadline the letter printed: its date + Days in the Post + the period (Create Reminder Letter).
		advanceLevel('={{ $json.dunning.level }}', { item: '$json', deadline: "($json.letter?.statedDeadline || $json.dunning.deadline || '')" }),
	);
	wf.connect(confirmed, advance);

	// By row and run only: the successful letters' branch runs first (execution order v1) and its
	// "Mark Letters Printed" has by then marked every printing row of this run, this one too, `paper`.
	const failed = wf.add('Give Back Failed Letter', 'n8n-nodes-base.dataTable', 1.1, x + 440, y + 480, giveBack(THIS_RUNS_LETTER.slice(0, 2)));
	wf.connect(create, failed, 1);
	const companyMissing = wf.add(
		'Company Details Wrong?',
		'n8n-nodes-base.if',
		2.2,
		x + 660,
		y + 480,
		// An invoice without a payment link (no IBAN) is that letter's problem: given back, the others printed.
		isTrueCondition('company-details-wrong', `={{ /company details/i.test($json.error) && !String($json.error).includes('${NO_PAYMENT_LINK}') }}`),
	);
	wf.connect(failed, companyMissing);
	const fillIn = wf.add(
		'Fill In Company Details',
		'n8n-nodes-base.stopAndError',
		1,
		x + 880,
		y + 420,
		{
			errorType: 'errorMessage',
			errorMessage: `={{ $json.error.replace(/^Item \\d+: /, '') }}. Fill in or correct it in the "${COMPANY_DETAILS_NODE}" node at the start of this workflow. ${GIVEN_BACK}`,
		},
		{ executeOnce: true },
	);
	wf.connect(companyMissing, fillIn, 0);
}

/**
 * A made-up reminder that Check Company Details makes a letter for: every field a letter needs, so that
 * only the company details can make it fail. Nothing is printed or saved.
 */
export const DETAILS_CHECK_REMINDER = {
	invoiceId: 'CHECK-1',
	invoiceNumber: 'RE-CHECK-1',
	customerId: 'CHECK',
	customerName: 'Beispiel Kunde',
	street: 'Beispielweg 1',
	postalCode: '10115',
	city: 'Berlin',
	language: 'de',
	invoiceDate: '2099-01-01',
	dueDate: '2099-01-31',
	currency: 'EUR',
	openAmount: 100,
	dunning: { action: 'paper', level: 1, fee: 0, interest: 0, totalDue: 100, deadline: '2099-02-14' },
};

/**
 * The payment link the made-up reminder carries when the run's invoices pay by link: a merchant who
 * takes payment by links only (no IBAN) passes the check then, and the letter shows it as any link.
 */
export const CHECK_PAYMENT_LINK = 'https://example.com/pay/RE-CHECK-1';

/** Where the check looks for invoices with a payment link: an expression body listing them, and the node that loads them (if any). */
export interface CheckInvoices {
	/** n8n expression body: the run's invoices (objects; anything else is skipped). */
	list: string;
	/** Adds the node the list reads, between "Company Details Filled In?" and the made-up reminder (at x, y); returns its name. */
	load?: (x: number, y: number) => string;
}

/**
 * The made-up reminder's JSON (Set node, raw mode): with a payment link when any invoice of `invoices`
 * has one (so only an IBAN-less merchant with no links at all is stopped by the check), else none.
 * The link is filled into the JSON text, so the expression never builds the object itself.
 */
export function madeUpReminderJson(invoices?: string): string {
	if (!invoices) return JSON.stringify(DETAILS_CHECK_REMINDER, null, 2);
	const json = JSON.stringify({ ...DETAILS_CHECK_REMINDER, paymentLink: '' }, null, 2);
	const anyLink = `[].concat(${invoices} ?? []).some((i) => !!i && typeof i === 'object' && String(i.paymentLink ?? '').trim() !== '')`;
	return '=' + json.replace('"paymentLink": ""', `"paymentLink": "{{ ${anyLink} ? '${CHECK_PAYMENT_LINK}' : '' }}"`);
}

/**
 * The "Company Details" Set node the operator fills in once, its fields empty (paymentReference
 * `{invoiceNumber}`): nobody prints or sends a sender or bank account they did not enter. Returns its name.
 */
export function addCompanyDetails(wf: WorkflowBuilder, x: number, y: number): string {
	return wf.add(
		COMPANY_DETAILS_NODE,
		'n8n-nodes-base.set',
		3.4,
		x,
		y,
		setNode(COMPANY_DETAIL_FIELDS.map((field) => [field, field === 'paymentReference' ? '{invoiceNumber}' : '', 'string'])),
	);
}

/** A failed check's error without the item prefix, as an n8n expression body (`$json` is the check's error item). */
const DETAILS_ERROR = "$json.error.replace(/^Item \\d+: /, '')";
const CORRECT_DETAILS = `Fill in or correct it in the "${COMPANY_DETAILS_NODE}" node at the start of this workflow. No reminder was released.`;

/**
 * Before anything is released: company details with a name are checked as every reminder will use
 * them, by making one letter from them for a made-up reminder (Create Reminder Letter, the same check
 * as Send Reminder Email's). Wrong details (an IBAN with wrong check digits, a missing city) stop the
 * run naming the field and this node, before an e-mail reminder carries them into the ledger: in the
 * sender each of those would fail, and a failed reminder is never sent again. Details without a name
 * are not checked: e-mails then go without bank details as before, and a paper reminder stops the run
 * at its letter (Fill In Company Details). Returns where the run goes on: details checked (output 0 of
 * `checked`), or none entered (output 1 of `notFilledIn`).
 *
 * `answerWrong` adds a node between the failed check and the stop (the webhook run's answer to its
 * caller, placed at x, y): it gets the check's error item, `message` (an expression body: the stop's
 * text), and must pass the item on. Returns that node's name.
 */
export function checkCompanyDetails(
	wf: WorkflowBuilder,
	company: string,
	x: number,
	y: number,
	options: { answerWrong?: (message: string, x: number, y: number) => string; invoices?: CheckInvoices } = {},
): { checked: string; notFilledIn: string } {
	const filledIn = wf.add(
		'Company Details Filled In?',
		'n8n-nodes-base.if',
		2.2,
		x,
		y,
		isTrueCondition('company-details-filled-in', `={{ !!String($('${COMPANY_DETAILS_NODE}').first().json.name ?? '').trim() }}`),
	);
	wf.connect(company, filledIn);
	const load = options.invoices?.load?.(x + 110, y + 160);
	// One made-up reminder, whatever the loaded invoices (executeOnce).
	const sample = wf.add(
		'Made-Up Reminder',
		'n8n-nodes-base.set',
		3.4,
		x + 220,
		y - 100,
		{ mode: 'raw', options: {}, jsonOutput: madeUpReminderJson(options.invoices?.list) },
		load ? { executeOnce: true } : {},
	);
	if (load) {
		wf.connect(filledIn, load, 0);
		wf.connect(load, sample);
	} else {
		wf.connect(filledIn, sample, 0);
	}
	const check = wf.add(
		'Check Company Details',
		PKG + '.createReminderLetter',
		1,
		x + 440,
		y - 100,
		{ operation: 'perItem', companySource: 'json', companyJson: COMPANY, binaryPropertyName: 'letter', options: {} },
		{ onError: 'continueErrorOutput' },
	);
	wf.connect(sample, check);
	const answer = options.answerWrong?.(`${DETAILS_ERROR} + '. ${CORRECT_DETAILS.replace(/['\\]/g, '\\$&')}'`, x + 660, y);
	const wrong = wf.add(
		'Correct Company Details',
		'n8n-nodes-base.stopAndError',
		1,
		answer ? x + 880 : x + 660,
		y,
		{ errorType: 'errorMessage', errorMessage: `={{ ${DETAILS_ERROR} }}. ${CORRECT_DETAILS}` },
	);
	if (answer) {
		wf.connect(check, answer, 1);
		wf.connect(answer, wrong);
	} else {
		wf.connect(check, wrong, 1);
	}
	return { checked: check, notFilledIn: filledIn };
}

/** How long a run may take to make and save its letters before its `printing` rows count as interrupted. */
const INTERRUPTED_AFTER_HOURS = 1;

/**
 * A dunning run killed (a restart, a crash) after releasing paper reminders and before saving their
 * print batch leaves them `printing`: their keys taken, no letter made, the invoices at their old
 * level, so no later run would release them. Runs as the upper branch, before the release: such a
 * row released over an hour ago gives its key back like a failed letter, so this run's decisions
 * release it again. A younger one may belong to an overlapping run still at work and is left alone.
 * A release time that cannot be read counts as old: nothing shows a run at work on it.
 * The give-back matches the row as read (status, runId, releasedAt): a run still at work that marked
 * it `paper` or renewed it before printing (Confirm Letter Still Ours) keeps it, and only one run prints it.
 */
export function giveBackInterruptedLetters(wf: WorkflowBuilder, source: string, x: number, y: number): void {
	const find = wf.add('Find Unprinted Letters', 'n8n-nodes-base.dataTable', 1.1, x, y, {
		...getRows(REMINDERS, [cond('status', 'printing')], 1),
		returnAll: true,
	});
	wf.connect(source, find);
	const interrupted = wf.add(
		'Run Interrupted?',
		'n8n-nodes-base.if',
		2.2,
		x + 220,
		y,
		isTrueCondition('run-interrupted', `={{ !(DateTime.fromISO($json.releasedAt) >= $now.minus({ hours: ${INTERRUPTED_AFTER_HOURS} })) }}`),
	);
	wf.connect(find, interrupted);
	const letter = wf.add('Interrupted Letter', 'n8n-nodes-base.set', 3.4, x + 440, y - 20, {
		mode: 'raw',
		options: {},
		jsonOutput:
			"={{ { invoiceId: $json.invoiceId, reminder: { rowId: $json.id, reminderKey: $json.reminderKey, runId: $json.runId ?? null, releasedAt: $json.releasedAt ?? null }, error: 'The dunning run ' + $json.runId + ' (released ' + $json.releasedAt + ') stopped before the print batch of this letter was saved; given back, so that a run decides the invoice again' } }}",
	});
	wf.connect(interrupted, letter, 0);
	// Only the row as read: one its run has marked `paper` or renewed since (Confirm Letter Still Ours) stays its run's.
	const asRead = [
		cond('id', '={{ $json.reminder.rowId }}'),
		cond('status', 'printing'),
		cond('runId', '={{ $json.reminder.runId }}'),
		cond('releasedAt', '={{ $json.reminder.releasedAt }}'),
	];
	wf.connect(letter, wf.add('Give Back Interrupted Letter', 'n8n-nodes-base.dataTable', 1.1, x + 660, y - 20, giveBack(asRead)));
}

/**
 * Two overlapping dunning runs (a manual run during the scheduled one) can both find a paper
 * reminder not released yet and both insert it; e-mail is guarded at the send, but each run would
 * print its own letter. Each run inserts before it looks, so the row with the lowest id for a key
 * wins in every order of events: only that run prints, the other deletes its second row. The webhook
 * run does the same, so that of two overlapping posts (or a post and a run) only one answers the
 * paper decision as `released` (Run Summary), and the ERP prints it once.
 * Returns the If node whose true output carries this run's rows that may be printed.
 */
export function onlyFirstRelease(wf: WorkflowBuilder, isPaper: string, x: number, y: number): string {
	const first = wf.add('First Release of Key', 'n8n-nodes-base.dataTable', 1.1, x, y, {
		...getRows(REMINDERS, [cond('reminderKey', '={{ $json.reminderKey }}')], 1),
		orderByColumn: 'id',
	});
	wf.connect(isPaper, first, 0);
	const ours = wf.add(
		'Released by This Run?',
		'n8n-nodes-base.if',
		2.2,
		x + 220,
		y,
		isTrueCondition('released-by-this-run', "={{ $json.id === $('Paper Letter?').item.json.id }}"),
	);
	wf.connect(first, ours);
	const drop = wf.add('Drop Second Release', 'n8n-nodes-base.dataTable', 1.1, x + 220, y + 200, {
		resource: 'row',
		operation: 'deleteRows',
		dataTableId: table(REMINDERS),
		matchType: 'allConditions',
		filters: { conditions: [cond('id', "={{ $('Paper Letter?').item.json.id }}")] },
		options: {},
	});
	wf.connect(ours, drop, 1);
	return ours;
}

/** The "Company Details" Set node's fields: empty, so that nobody prints letters with a sender they did not enter. */
export const COMPANY_DETAIL_FIELDS = [
	'name', 'legalForm', 'street', 'postalCode', 'city', 'country', 'seat', 'registerCourt', 'registerNumber', 'managingDirectors',
	'vatId', 'phone', 'email', 'website', 'accountHolder', 'iban', 'bic', 'bankName', 'paymentReference',
] as const;
