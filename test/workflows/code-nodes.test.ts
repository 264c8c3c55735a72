/**
 * The shipped workflows' Code nodes, run as n8n runs them (a function body over `$input` and
 * `$()`), on what the e2e suite cannot cover case by case. The e2e suite runs them in a real n8n.
 */
import { DateTime } from 'luxon';

import { createDecider } from '../../lib/dunning/decide';
import { addressListText, onlyText, readFlag } from '../../lib/dunning/field-value';

import { ALERT_KEY_CODE, BLOCKED_ADDRESSES_CODE, BOUNCE_SUMMARY_CODE, DECIDE_ALERT_CODE, DUNNING_RUN_SUMMARY_CODE, INVOICE_ROWS_CODE, INVOICES_FROM_REQUEST_CODE, MAILBOX_CHECK_CODE, NEW_REPLIES_BY_REMINDER_CODE, RUN_SUMMARY_CODE, reachedAnotherAddressCode, STILL_TO_SEND_CODE, WITH_LEDGER_CODE } from '../../scripts/workflows/code-nodes';
import { bounceProcessing } from '../../scripts/workflows/bounce-processing';
import { mailboxCheck } from '../../scripts/workflows/mailbox-check';
import { sendReleased } from '../../scripts/workflows/send-released';
import { INVOICE_COLUMNS, LEDGER_COLUMNS, reloadedHealthNode } from '../../scripts/workflows/parameters';
import { dunningRun } from '../../scripts/workflows/dunning-run';
import { dunningRunWebhook } from '../../scripts/workflows/dunning-run-webhook';
import { LETTERS_NOT_SAVED_CODE, LETTERS_STILL_OURS_CODE } from '../../scripts/workflows/paper-letters';

type Json = Record<string, unknown>;

/**
 * Runs a Code node's text with `input` as its input items and `nodes` as what `$(name).all()`
 * returns: its items, or per output (`$(name).all(output)`) for a node with several (`first()`,
 * `itemMatching(i)`: of the first output).
 */
function runCode(code: string, input: Json[], nodes: Record<string, Json[] | Json[][]>): Json[] {
	const items = (rows: Json[]) => rows.map((json) => ({ json }));
	const $input = { all: () => items(input), first: () => items(input)[0] };
	const $ = (name: string) => {
		if (!(name in nodes)) throw new Error(`the node reads ${name}`);
		const outputs = (Array.isArray(nodes[name][0]) ? nodes[name] : [nodes[name]]) as Json[][];
		// One run per node: a node that ran once has no run 1 (as $(name).all(output, run) throws in n8n).
		const all = (output = 0, run = 0) => {
			if (run > 0) throw new Error(`${name} ran once`);
			return items(outputs[output] ?? []);
		};
		// A node given no items here did not run.
		return { all, first: () => ({ json: outputs[0][0] }), itemMatching: (i: number) => ({ json: outputs[0][i] }), isExecuted: outputs.some((o) => o.length > 0) };
	};
	// The Code node's text, as n8n runs it ($now: the workflow's time zone, Europe/Berlin).
	const run = new Function('$input', '$', '$now', 'DateTime', code) as (i: typeof $input, d: typeof $, now: DateTime, luxon: typeof DateTime) => Array<{ json: Json }>;
	return run($input, $, DateTime.now().setZone('Europe/Berlin'), DateTime).map((item) => item.json);
}

type Checked = { invoiceId: unknown; withdrawn?: { reason: string; message: string } };
const stillToSend = (reminders: Json[], invoices: Json[]) => runCode(STILL_TO_SEND_CODE, invoices, { 'Restore Reminder': reminders }) as Checked[];

const reminder = (invoiceId: string, extra: Json = {}): Json => ({
	invoiceId,
	reminderKey: `${invoiceId}#2#email`,
	email: 'Anna <anna@kunde.example>, buchhaltung@kunde.example',
	openAmount: 120.5,
	dunning: { level: 2 },
	...extra,
});
const invoice = (invoiceId: string, extra: Json = {}): Json => ({
	invoiceId,
	email: 'Anna <anna@kunde.example>, buchhaltung@kunde.example',
	openAmount: 120.5,
	currentLevel: 1,
	parked: false,
	disputed: false,
	dunningBlock: false,
	emailBlocked: false,
	...extra,
});

describe('Still to Send? (send-released.json)', () => {
	test('each change of the invoice since release withdraws its reminder, naming the reason', () => {
		const cases: Array<[Json, string, RegExp]> = [
			[{ openAmount: 0 }, 'paid', /nothing is open/],
			[{ openAmount: -3 }, 'credit', /now shows a credit of -3$/],
			[{ openAmount: 100 }, 'amountChanged', /now 100, the reminder asks for 120.5/],
			[{ parked: true }, 'parked', /parked/],
			[{ disputed: 'TRUE' }, 'disputed', /disputed/],
			[{ dunningBlock: true }, 'blocked', /dunning block/],
			[{ dunningBlock: 'ja', dunningBlockReason: 'customerReplied' }, 'customerReplied', /replied/],
			[{ emailBlocked: 1 }, 'emailBlocked', /blocked/],
			[{ email: 'neu@kunde.example' }, 'emailChanged', /is now neu@kunde\.example$/],
			[{ currentLevel: 2 }, 'levelReached', /already at level 2/],
		];
		const out = stillToSend(
			cases.map((_, i) => reminder(`I${i}`)),
			cases.map(([change], i) => invoice(`I${i}`, change)),
		);
		expect(out.map((o) => o.withdrawn?.reason)).toEqual(cases.map(([, reason]) => reason));
		out.forEach((o, i) => expect(o.withdrawn?.message).toMatch(cases[i][2]));
	});

	test('open amounts are compared in the currency’s smallest unit, as Compute Dunning Level rounds them (yen: 0 decimals, dinars: 3)', () => {
		// [currency of dunning, of the invoice row, the reminder's open amount, the row's now, reason]
		const cases: Array<[string | undefined, string | undefined, number, number | string, string | undefined]> = [
			['KWD', 'KWD', 10.001, 10.004, 'amountChanged'], // 3 fils booked since: the same in cents, not in fils
			['BHD', 'BHD', 10.001, 0.004, 'amountChanged'], // 4 fils still open: not paid
			['KWD', 'KWD', 10.001, '10.0010', undefined],
			['JPY', 'JPY', 1000, 1000.4, undefined], // ¥1,000 either way
			['JPY', 'JPY', 1000, 0.4, 'paid'], // nothing left in yen
			['JPY', 'JPY', 1000, 999, 'amountChanged'],
			[undefined, ' jpy ', 1000, 1000.4, undefined], // a row without dunning.currency: the row's, as Compute reads it
			['EUR', 'EUR', 120.5, 120.504, undefined],
			['EUR', 'EUR', 120.5, 120.51, 'amountChanged'],
			// A Swiss franc payment rounded down to 5 Rappen leaves 1 Rappen open: the amount changed (Compute:
			// not paid, no tolerance above zero); rounded up it is below zero, read as Compute reads it (credit).
			['CHF', 'CHF', 123.46, 0.01, 'amountChanged'],
			['CHF', 'CHF', 123.46, -0.04, 'credit'],
		];
		const out = stillToSend(
			cases.map(([currency, , asked], i) => reminder(`M${i}`, { openAmount: asked, currency: currency ?? '', dunning: { level: 2, ...(currency ? { currency } : {}) } })),
			cases.map(([, currency, , now], i) => invoice(`M${i}`, { openAmount: now, currency })),
		);
		expect(out.map((o, i) => [cases[i][0] ?? cases[i][1], cases[i][3], o.withdrawn?.reason])).toEqual(cases.map(([d, r, , now, reason]) => [d ?? r, now, reason]));
	});

	test('a block written as SAP writes it ("X") withdraws; a level taken back below the one before withdraws the next level, which would overtake it', () => {
		const next = reminder('BACK', { dunning: { level: 2, previousLevel: 1 } });
		const out = stillToSend([reminder('SAP'), next, reminder('ON', { dunning: { level: 2, previousLevel: 1 } })], [invoice('SAP', { dunningBlock: 'X' }), invoice('BACK', { currentLevel: 0 }), invoice('ON')]);
		expect(out.map((o) => [o.invoiceId, o.withdrawn?.reason])).toEqual([['SAP', 'blocked'], ['BACK', 'levelTakenBack'], ['ON', undefined]]);
		expect(out[1].withdrawn?.message).toBe('the invoice went back to level 0: an earlier reminder did not reach the customer');
	});

	test('a flag is read with the words Compute Dunning Level reads (a German sheet\'s WAHR), so a block is never lost here', () => {
		const words = ['WAHR', 'wahr', 'Ja', 'X', 'TRUE', 1, true, 'FALSCH', 'nein', '', null, 0];
		const out = stillToSend(words.map((_, i) => reminder(`F${i}`)), words.map((w, i) => invoice(`F${i}`, { dunningBlock: w })));
		expect(out.map((o) => o.withdrawn?.reason === 'blocked')).toEqual(words.map((w) => readFlag(w) === true));
		expect(out.filter((o) => o.withdrawn?.reason === 'blocked')).toHaveLength(7);
	});

	test('an unchanged invoice, one written differently (case, spaces, names, order of addresses, 120.50 as text) or without an address go out; one without a row is withdrawn', () => {
		const out = stillToSend(
			[reminder('SAME'), reminder('WRITTEN'), reminder('NOROW'), reminder('ELSEWHERE')],
			// ELSEWHERE: the address lives in another field of the ERP's (Compute's Field Names), not in email.
			[invoice('SAME'), invoice('ELSEWHERE', { email: '' }), invoice('WRITTEN', { email: 'buchhaltung@KUNDE.example ; "Müller, Anna" <anna@kunde.example>', openAmount: '120.50', currentLevel: null })],
		);
		expect(out.map((o) => [o.invoiceId, o.withdrawn?.reason])).toEqual([
			['SAME', undefined],
			['WRITTEN', undefined],
			// Its row gone from dunning_invoices (your sync removed the paid invoice): never sent.
			['NOROW', 'invoiceGone'],
			['ELSEWHERE', undefined],
		]);
		expect(out[2].withdrawn?.message).toBe('invoice NOROW is no longer in dunning_invoices');
	});

	test('of two rows of one reminder in one tick the first goes out and the second is withdrawn as a duplicate', () => {
		const out = stillToSend([reminder('TWICE'), reminder('TWICE'), reminder('OTHER')], [invoice('TWICE'), invoice('OTHER')]);
		expect(out.map((o) => o.withdrawn?.reason)).toEqual([undefined, 'duplicate', undefined]);
	});

	test('a reminder that waited past its payment deadline is withdrawn; a deadline today still goes out', () => {
		// Today where Compute decided: in Pacific/Kiritimati (UTC+14) it is always a later day than in Pacific/Pago_Pago (UTC−11).
		const day = (zone: string, plus = 0) => DateTime.now().setZone(zone).plus({ days: plus }).toISODate()!;
		const berlin = 'Europe/Berlin';
		const out = stillToSend(
			[
				reminder('LATE', { dunning: { level: 2, deadline: day(berlin, -1), timezone: berlin } }),
				reminder('NOROW', { dunning: { level: 2, deadline: day(berlin, -3) } }),
				reminder('TODAY', { dunning: { level: 2, deadline: day(berlin), timezone: berlin } }),
				reminder('EAST', { dunning: { level: 2, deadline: day('Pacific/Pago_Pago'), timezone: 'Pacific/Kiritimati' } }),
				reminder('WEST', { dunning: { level: 2, deadline: day('Pacific/Pago_Pago'), timezone: 'Pacific/Pago_Pago' } }),
				reminder('PAIDLATE', { dunning: { level: 2, deadline: day(berlin, -1) } }),
				// Today's midnight in Berlin as a UTC timestamp (a DATE column serialised): today, not yesterday.
				reminder('STAMP', { dunning: { level: 2, deadline: DateTime.now().setZone(berlin).startOf('day').toUTC().toISO(), timezone: berlin } }),
				reminder('BADZONE', { dunning: { level: 2, deadline: day(berlin, 5), timezone: 'Europe/Berlim' } }),
			],
			[invoice('LATE'), invoice('TODAY'), invoice('EAST'), invoice('WEST'), invoice('PAIDLATE', { openAmount: 0 }), invoice('STAMP'), invoice('BADZONE')],
		);
		expect(out.map((o) => [o.invoiceId, o.withdrawn?.reason])).toEqual([
			['LATE', 'deadlinePassed'],
			['NOROW', 'invoiceGone'],
			['TODAY', undefined],
			['EAST', 'deadlinePassed'],
			['WEST', undefined],
			['PAIDLATE', 'paid'],
			['STAMP', undefined],
			['BADZONE', 'badTimezone'],
		]);
		expect(out[0].withdrawn?.message).toBe(`its payment deadline ${day(berlin, -1)} has passed (today is ${day(berlin)})`);
	});

	test('a duplicate of a withdrawn reminder is withdrawn for the invoice, not as a duplicate', () => {
		const out = stillToSend([reminder('PAID'), reminder('PAID')], [invoice('PAID', { openAmount: 0 })]);
		expect(out.map((o) => o.withdrawn?.reason)).toEqual(['paid', 'paid']);
	});
});

describe('With Ledger and Invoice Rows (dunning-run-webhook.json)', () => {
	// Load Known Invoice gives an empty item for an invoice without a row (Always Output Data).
	// Load Blocked Address: the blocked rows found for the posted customers' addresses (none: an empty item).
	const invoiceRows = (posted: Json[], known: Json[], blocked: Json[] = [{}]) => runCode(INVOICE_ROWS_CODE, [], { 'Invoices from Request': posted, 'Load Known Invoice': known.length ? known : [{}], 'Load Blocked Address': blocked });
	const withLedger = (posted: Json[], rows: Json[], blocked: Json[] = [{}]) => runCode(WITH_LEDGER_CODE, rows, { 'Invoices from Request': posted, 'Load Blocked Address': blocked });
	const post = (invoiceId: unknown, extra: Json = {}): Json => ({ invoiceId, email: 'a@kunde.example', openAmount: 50, currentLevel: 0, emailBlocked: false, dunningBlock: false, ...extra });

	test('a posted invoice without a row is decided as posted', () => {
		expect(withLedger([post('NEW', { currentLevel: 2, note: 'x' })], [{}])).toEqual([post('NEW', { currentLevel: 2, note: 'x' })]);
	});

	test('with a row: level, last reminder and refusals from the row; blocks from either; the rest as posted', () => {
		const row = { invoiceId: 'K', openAmount: 99, email: 'old@kunde.example', currentLevel: 1, lastDunnedAt: '2026-11-20', emailBlocked: true, dunningBlock: true, dunningBlockReason: 'customerReplied', emailRefusals: 1, emailRefusedAt: '2026-11-21', emailRefusedLevel: 1 };
		expect(withLedger([post('K', { openAmount: 40, currentLevel: 0 })], [row])).toEqual([
			{ ...post('K', { openAmount: 40 }), currentLevel: 1, lastDunnedAt: '2026-11-20', emailBlocked: true, dunningBlock: true, dunningBlockReason: 'customerReplied', emailRefusals: 1, emailRefusedAt: '2026-11-21', emailRefusedLevel: 1 },
		]);
		// The ERP's own block and reason stand beside a row without one.
		const [own] = withLedger([post('K', { dunningBlock: 'true', dunningBlockReason: 'legal' })], [{ ...row, emailBlocked: false, dunningBlock: false, dunningBlockReason: '' }]);
		expect(own).toMatchObject({ emailBlocked: false, dunningBlock: true, dunningBlockReason: 'legal' });
	});

	test('rows in the table\'s column types: numbers from text, flags from words, the first of a repeated invoice, none without an ID', () => {
		const rows = invoiceRows([post(4711, { openAmount: '120.50', currentLevel: '', emailBlocked: 'ja', amount: 'viel', extra: 'dropped' }), post('4711'), post('  '), post(null)], []);
		expect(rows).toHaveLength(1);
		expect(Object.keys(rows[0]).sort()).toEqual(INVOICE_COLUMNS.map(([name]) => name).sort());
		expect(rows[0]).toMatchObject({ invoiceId: '4711', openAmount: 120.5, currentLevel: null, amount: null, emailBlocked: true, dunningBlock: false, email: 'a@kunde.example', note: '' });
	});

	test('a known invoice: the ERP\'s columns are written, the workflows\' are left alone; a block or note the ERP posts is added, never cleared', () => {
		const known = { invoiceId: 'K', currentLevel: 2, emailBlocked: true, dunningBlock: true, dunningBlockReason: 'customerReplied', note: 'Kunde: bezahlt' };
		const legal = { dunningBlock: true, dunningBlockReason: 'legal', note: 'Anwalt', emailBlocked: 'yes' };
		const [unchanged, blocked, replied] = invoiceRows(
			[post('K', { openAmount: 40, currentLevel: 0 }), post('K2', legal), post('K3', { ...legal, dunningBlock: 'X' })],
			[known, { ...known, invoiceId: 'K2', dunningBlock: false, dunningBlockReason: '', note: '' }, { ...known, invoiceId: 'K3' }],
		);
		expect(Object.keys(unchanged).sort()).toEqual(INVOICE_COLUMNS.map(([name]) => name).filter((name) => !LEDGER_COLUMNS.includes(name)).sort());
		expect(unchanged).toMatchObject({ invoiceId: 'K', openAmount: 40 });
		expect(blocked).toMatchObject({ invoiceId: 'K2', emailBlocked: true, dunningBlock: true, dunningBlockReason: 'legal', note: 'Anwalt' });
		expect(blocked).not.toHaveProperty('currentLevel');
		// A customer's reply on the row stays (reason and first lines) beside the ERP's own block.
		expect(replied).toMatchObject({ invoiceId: 'K3', dunningBlock: true });
		expect(replied).not.toHaveProperty('dunningBlockReason');
		expect(replied).not.toHaveProperty('note');
		const [ledger] = withLedger([post('K3', { dunningBlock: 'X', dunningBlockReason: 'legal', note: 'Anwalt' })], [{ ...known, invoiceId: 'K3' }]);
		expect(ledger).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied', note: 'Kunde: bezahlt' });
	});

	test('the deadline your ERP printed on a webhook letter: posted, it counts while the row holds none (Advance Level (Paper) stores none); a stored one wins', () => {
		const row = { invoiceId: 'L', currentLevel: 1, lastDunnedAt: '2099-03-02', lastDeadline: '', firstDeadline: '', claimedCharges: 0 };
		const printed = post('L', { lastDeadline: '2099-03-16', firstDeadline: '2099-03-16' });
		expect(withLedger([printed], [row])[0]).toMatchObject({ lastDeadline: '2099-03-16', firstDeadline: '2099-03-16', claimedCharges: 0 });
		expect(withLedger([printed], [{ ...row, lastDeadline: '2099-03-20' }])[0]).toMatchObject({ lastDeadline: '2099-03-20', firstDeadline: '2099-03-16' });
	});

	test('With Ledger keeps the reply\'s note of a blocked invoice for the run summary, else the ERP\'s', () => {
		const row = { invoiceId: 'R', dunningBlock: true, dunningBlockReason: 'customerReplied', note: 'Kunde: bereits bezahlt' };
		expect(withLedger([post('R', { note: 'aus dem ERP' })], [row])[0]).toMatchObject({ note: 'Kunde: bereits bezahlt', dunningBlockReason: 'customerReplied' });
		expect(withLedger([post('R', { note: 'aus dem ERP' })], [{ ...row, dunningBlock: false }])[0]).toMatchObject({ note: 'aus dem ERP' });
	});

	test('a new invoice to an address blocked on another invoice of the customer is decided blocked and saved blocked', () => {
		// Load Blocked Address found an older invoice of K9 whose address ap@ bounced (dead).
		const blocked = [{ invoiceId: 'OLD-1', customerId: 'K9', email: 'ap@kunde.example', emailBlocked: true }];
		const posted = [
			post('NEW-1', { customerId: 'K9', email: 'ap@kunde.example', dueDate: '2099-05-01' }),
			post('NEW-2', { customerId: 'K9', email: 'neu@kunde.example', dueDate: '2099-05-01' }),
			post('NEW-3', { customerId: ' K9 ', email: 'ap@kunde.example', dueDate: '2099-05-01' }),
			post('NEW-4', { customerId: 'K8', email: 'ap@kunde.example', dueDate: '2099-05-01' }),
			post('KNOWN', { customerId: 'K9', email: 'ap@kunde.example', dueDate: '2099-05-01' }),
		];
		const known = [{ invoiceId: 'KNOWN', customerId: 'K9', email: 'ap@kunde.example', currentLevel: 0, emailBlocked: false }];
		const ledger = withLedger(posted, known, blocked);
		expect(ledger.map((l) => [l.invoiceId, l.emailBlocked])).toEqual([['NEW-1', true], ['NEW-2', false], ['NEW-3', true], ['NEW-4', false], ['KNOWN', true]]);
		// As Compute Dunning Level decides them: the blocked address on paper, another address by e-mail.
		const decider = createDecider({}, '2099-06-01');
		expect(ledger.map((l) => [l.invoiceId, decider.evaluate(l).action, decider.evaluate(l).reason ?? null])).toEqual([
			['NEW-1', 'paper', 'emailBlocked'],
			['NEW-2', 'send', null],
			['NEW-3', 'paper', 'emailBlocked'],
			['NEW-4', 'send', null],
			['KNOWN', 'paper', 'emailBlocked'],
		]);
		const rows = invoiceRows(posted, known, blocked);
		expect(rows.map((r) => [r.invoiceId, r.emailBlocked])).toEqual([['NEW-1', true], ['NEW-2', false], ['NEW-3', true], ['NEW-4', false], ['KNOWN', true]]);
	});

	test('without a customer ID a blocked address found elsewhere blocks nothing (bounce processing blocks only that invoice then)', () => {
		// What a get with "customerId = ''" would find (it looks up '(no customer ID)', which finds nothing).
		const blocked = [{ invoiceId: 'OLD', customerId: '', email: 'ap@kunde.example', emailBlocked: true }];
		const posted = [post('N', { customerId: '', email: 'ap@kunde.example' }), post('M', { email: 'ap@kunde.example' })];
		expect(withLedger(posted, [{}], blocked).map((l) => l.emailBlocked)).toEqual([false, false]);
		expect(invoiceRows(posted, [], blocked).map((r) => r.emailBlocked)).toEqual([false, false]);
		// The empty item Load Blocked Address outputs when it found nothing blocks nothing either.
		expect(withLedger([post('N', { customerId: 'K9' })], [{}], [{}])[0].emailBlocked).toBe(false);
	});
});

describe('Load Blocked Address (dunning-run-webhook.json)', () => {
	const workflow = dunningRunWebhook().toJson();
	const node = (name: string) => workflow.nodes.find((n) => n.name === name) as { parameters: Json; position: number[]; alwaysOutputData?: boolean };

	test('looks up every posted invoice: beside Load Known Invoice, above it so that it runs first, and read by With Ledger and Invoice Rows', () => {
		const load = node('Load Blocked Address');
		// Every blocked row of the customer, whatever address it shows: the code nodes compare address by address.
		expect(load).toMatchObject({ type: 'n8n-nodes-base.dataTable', alwaysOutputData: true, parameters: { operation: 'get', returnAll: true, matchType: 'allConditions' } });
		expect((load.parameters.filters as { conditions: Json[] }).conditions).toEqual([
			{ keyName: 'customerId', condition: 'eq', keyValue: "={{ String($json.customerId ?? '').trim() || '(no customer ID)' }}" },
			{ keyName: 'emailBlocked', condition: 'isTrue' },
		]);
		// Fed the posted invoices, not Load Known Invoice's output (only the rows it found).
		expect(workflow.connections['Invoices from Request'].main[0]).toEqual(expect.arrayContaining([{ node: 'Load Blocked Address', type: 'main', index: 0 }, { node: 'Load Known Invoice', type: 'main', index: 0 }]));
		expect(workflow.connections['Load Blocked Address']).toBeUndefined();
		expect(load.position[1]).toBeLessThan(node('Load Known Invoice').position[1]);
		for (const code of [WITH_LEDGER_CODE, INVOICE_ROWS_CODE]) expect(code).toContain("$('Load Blocked Address')");
	});
});

describe('Blocked Addresses (dunning-run.json)', () => {
	const blockedAddresses = (rows: Json[]) => runCode(BLOCKED_ADDRESSES_CODE, rows, {});
	const row = (invoiceId: string, customerId: string, email: string, emailBlocked: unknown = false): Json => ({ invoiceId, customerId, email, emailBlocked });

	test('an invoice the ERP added since is blocked when another row of its customer has its address blocked', () => {
		const out = blockedAddresses([row('A', 'K9', 'ap@kunde.example', 'true'), row('B', 'K9', 'ap@kunde.example'), row('C', 'K9', 'neu@kunde.example'), row('D', 'K8', 'ap@kunde.example'), row('E', '', 'x@kunde.example', true), row('F', '', 'x@kunde.example')]);
		expect(out.map((r) => [r.invoiceId, r.emailBlocked])).toEqual([['A', 'true'], ['B', true], ['C', false], ['D', false], ['E', true], ['F', false]]);
	});

	test('sits between Load Open Invoices and Compute Dunning Level, each item paired with its row', () => {
		const { connections } = dunningRun().toJson();
		expect(connections['Load Open Invoices'].main[0]).toEqual([{ node: 'Blocked Addresses', type: 'main', index: 0 }]);
		expect(connections['Blocked Addresses'].main[0]).toEqual([{ node: 'Compute Dunning Level', type: 'main', index: 0 }]);
		const run = new Function('$input', '$', BLOCKED_ADDRESSES_CODE) as (i: unknown, d: unknown) => Array<{ pairedItem: unknown }>;
		const input = [row('A', 'K', 'a@k.example'), row('B', 'K', 'a@k.example', true)].map((json) => ({ json }));
		expect(run({ all: () => input }, () => ({})).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('Run Summary (dunning-run-webhook.json)', () => {
	test('lists the invoices held back until someone acts: a credit, a customer with a credit, a repeated row', () => {
		const decided = (invoiceId: string, reason: string | null, action = 'none'): Json => ({ invoiceId, customerId: 'K1', dunning: { action, level: 1, reason, message: `${reason} message`, totalDue: 10 } });
		const [summary] = runCode(RUN_SUMMARY_CODE, [], {
			'Compute Dunning Level': [[decided('A', null, 'send')], [], [decided('GS-1', 'credit'), decided('B', 'customerCredit'), decided('A', 'duplicate'), decided('C', 'paid')]],
			'Release Reminder': [],
		});
		expect(summary.heldBack).toEqual([
			{ invoiceId: 'GS-1', customerId: 'K1', reason: 'credit', message: 'credit message' },
			{ invoiceId: 'B', customerId: 'K1', reason: 'customerCredit', message: 'customerCredit message' },
			{ invoiceId: 'A', customerId: 'K1', reason: 'duplicate', message: 'duplicate message' },
		]);
		expect(summary.byReason).toMatchObject({ send: 1, credit: 1, paid: 1 });
	});

	test('names each refused entry: its position and what is wrong with it; the others as before', () => {
		const refused = { invoiceId: null, position: 2, entry: '"INV-2"', problem: 'entry 2 (counted from 0) is no invoice object (got "INV-2")' };
		const decider = createDecider({}, '2099-06-01');
		const decided: Json[] = [{ invoiceId: 'A', dunning: { action: 'send', level: 1, reason: null, totalDue: 10 } }, ...[refused, { invoiceId: 'B', openAmount: 10 }].map((json) => ({ ...json, dunning: decider.evaluate(json) }))];
		const [summary] = runCode(RUN_SUMMARY_CODE, [], { 'Compute Dunning Level': [[decided[0]], [], [decided[1], decided[2]]], 'Release Reminder': [] });
		expect(summary.invoices).toBe(3);
		expect(summary.byReason).toMatchObject({ send: 1, invalidInput: 2 });
		expect(summary.decisions).toEqual([
			{ invoiceId: 'A', action: 'send', level: 1, reason: null, totalDue: 10, reminderKey: 'A#1#email', released: false },
			{ invoiceId: null, action: 'none', level: 0, reason: 'invalidInput', fee: 0, flatFee: 0, interest: 0, totalDue: 0, reminderKey: null, released: false, position: 2, message: 'entry 2 (counted from 0) is no invoice object (got "INV-2")' },
			{ invoiceId: 'B', action: 'none', level: 0, reason: 'invalidInput', fee: 0, flatFee: 0, interest: 0, totalDue: 0, reminderKey: null, released: false, message: 'dueDate is missing' },
		]);
	});

	test('lists the rows nobody can dun until their fields are fixed (needsFixing): a missing invoiceDate under the shipped sales window', () => {
		// As the shipped workflows decide: Sales Window (Days) 365 needs invoiceDate on every invoice.
		const decider = createDecider({ minOpenAmount: 5, salesWindowDays: 365 }, '2099-06-01');
		const row = (invoiceId: string, extra: Json = {}): Json => ({ invoiceId, customerId: 'K1', email: 'ap@kunde.example', dueDate: '2099-04-01', openAmount: 100, ...extra });
		const decided = [row('A', { invoiceDate: '2099-03-01' }), row('B')].map((json) => ({ ...json, dunning: decider.evaluate(json) }));
		expect(decided.map((d) => d.dunning.reason)).toEqual([null, 'invalidInput']);
		// The webhook's answer and the dunning run's summary (its letter nodes did not run: no paper decision).
		for (const code of [RUN_SUMMARY_CODE, DUNNING_RUN_SUMMARY_CODE]) {
			const [summary] = runCode(code, [], { 'Compute Dunning Level': [[decided[0]], [], [decided[1]]], 'Release Reminder': [{ reminderKey: 'A#1#email', status: 'released' }] });
			expect(summary).toMatchObject({ releasedForEmail: 1, byReason: { send: 1, invalidInput: 1 } });
			expect(summary.needsFixing).toEqual([{ invoiceId: 'B', customerId: 'K1', message: expect.stringContaining('invoiceDate') }]);
		}
	});

	test('needsFixing names a posted entry that is no invoice by its position and problem', () => {
		const refused = { invoiceId: null, position: 2, entry: '"INV-2"', problem: 'entry 2 (counted from 0) is no invoice object (got "INV-2")' };
		const [summary] = runCode(RUN_SUMMARY_CODE, [], { 'Compute Dunning Level': [[], [], [{ ...refused, dunning: createDecider({}, '2099-06-01').evaluate(refused) }]], 'Release Reminder': [] });
		expect(summary.needsFixing).toEqual([{ invoiceId: null, message: refused.problem, position: 2 }]);
	});

	test('a paper decision carries what your ERP prints on the letter: fee, flat fee, interest, total', () => {
		const paper = { invoiceId: 'P', dunning: { action: 'paper', level: 2, reason: 'noEmail', fee: 5, flatFee: 40, interest: 1.23, totalDue: 146.23, deadline: '2099-03-10' } };
		const [summary] = runCode(RUN_SUMMARY_CODE, [], { 'Compute Dunning Level': [[], [paper], []], 'Release Reminder': [{ reminderKey: 'P#2#paper', status: 'paper' }] });
		expect(summary.decisions).toEqual([{ invoiceId: 'P', action: 'paper', level: 2, reason: 'noEmail', fee: 5, flatFee: 40, interest: 1.23, totalDue: 146.23, reminderKey: 'P#2#paper', released: true }]);
	});
});

describe('released per decision (Run Summary, the ERP webhook\'s answer)', () => {
	const decided = (invoiceId: string, action: string, level = 1): Json => ({ invoiceId, dunning: { action, level, reason: action === 'paper' ? 'noEmail' : null, totalDue: 10 } });
	const summaryOf = (compute: Json[][], nodes: Record<string, Json[] | Json[][]>) => runCode(RUN_SUMMARY_CODE, [], { 'Compute Dunning Level': compute, ...nodes })[0];
	const released = (summary: Json) => (summary.decisions as Json[]).map((d) => [d.invoiceId, d.reminderKey, d.released]);

	test('a decision is released only when this post inserted its row; one released before, or decided none, is not', () => {
		const summary = summaryOf([[decided('A', 'send')], [decided('B', 'paper'), decided('C', 'paper', 2)], [decided('D', 'none', 0)]], {
			'Release Reminder': [{ reminderKey: 'A#1#email', status: 'released' }, { reminderKey: 'B#1#paper', status: 'paper' }],
		});
		expect(released(summary)).toEqual([
			['A', 'A#1#email', true],
			['B', 'B#1#paper', true],
			['C', 'C#2#paper', false],
			['D', null, false],
		]);
		expect(summary).toMatchObject({ releasedForEmail: 1, queuedForPaper: 1 });
	});

	test('a paper row another post released first is not this post\'s (First Release of Key); the same key answers released once', () => {
		const summary = summaryOf([[], [decided('B', 'paper'), decided('B', 'paper')], []], {
			'Release Reminder': [{ reminderKey: 'B#1#paper', status: 'paper' }],
			'Released by This Run?': [[], [{ reminderKey: 'B#1#paper' }]],
		});
		expect(released(summary)).toEqual([['B', 'B#1#paper', false], ['B', 'B#1#paper', false]]);
		expect(summary.queuedForPaper).toBe(0);
		const once = summaryOf([[], [decided('B', 'paper'), decided('B', 'paper')], []], { 'Release Reminder': [{ reminderKey: 'B#1#paper', status: 'paper' }] });
		expect(released(once)).toEqual([['B', 'B#1#paper', true], ['B', 'B#1#paper', false]]);
	});

	test('the webhook run keeps only the first paper row of a key and advances the level only for it', () => {
		const wf = dunningRunWebhook().toJson();
		expect(wf.connections['Paper Letter?'].main[0].map((t) => t.node)).toEqual(['First Release of Key']);
		expect(wf.connections['Released by This Run?'].main.map((targets) => targets.map((t) => t.node))).toEqual([['Advance Level (Paper)'], ['Drop Second Release']]);
	});
});

describe('Letters Not Saved (dunning-run.json)', () => {
	test('a print batch that could not be saved gives back its letters and the ones that could not be made, each with its reason', () => {
		const out = runCode(LETTERS_NOT_SAVED_CODE, [{ error: 'EACCES /home/node/.n8n-files/dunning' }], {
			'Letters Still Ours': [{ reminder: { rowId: 1 } }],
			'Create Letter': [[{ reminder: { rowId: 1 } }, { reminder: { rowId: 4 } }], [{ reminder: { rowId: 2 }, error: 'Item 1: The field "street" is missing' }]],
			'Save Print Batch': [[], [{ error: 'EACCES /home/node/.n8n-files/dunning' }]],
		});
		expect(out).toEqual([
			{ reminder: { rowId: 1 }, error: 'The print batch was not saved: EACCES /home/node/.n8n-files/dunning' },
			{ reminder: { rowId: 2 }, error: 'Item 1: The field "street" is missing' },
		]);
	});

	test('a print batch that could not be made (Join Into Print Batch failed, Save never ran) gives its letters back too', () => {
		const out = runCode(LETTERS_NOT_SAVED_CODE, [{ error: 'Out of memory' }], { 'Letters Still Ours': [{ reminder: { rowId: 3 } }], 'Create Letter': [[{ reminder: { rowId: 3 } }], []], 'Save Print Batch': [] });
		expect(out).toEqual([{ reminder: { rowId: 3 }, error: 'The print batch could not be made: Out of memory' }]);
		const join = dunningRun().toJson().nodes.find((n) => n.name === 'Join Into Print Batch');
		expect(join).toMatchObject({ onError: 'continueErrorOutput' });
		expect(dunningRun().toJson().connections['Join Into Print Batch'].main[1]).toEqual([{ node: 'Letters Not Saved', type: 'main', index: 0 }]);
	});
});

describe('one run prints each paper reminder (dunning-run.json)', () => {
	const wf = dunningRun().toJson();
	const node = (name: string) => {
		const found = wf.nodes.find((n) => n.name === name);
		if (!found) throw new Error(`no node ${name}`);
		return found;
	};
	const filtersOf = (name: string) => (node(name).parameters.filters as { conditions: Json[] }).conditions;
	const targets = (name: string, output = 0) => (wf.connections[name]?.main[output] ?? []).map((t) => t.node);

	test('an interrupted letter is given back only while its row is as read: printing, same run, same release time', () => {
		expect(String(node('Interrupted Letter').parameters.jsonOutput)).toContain('reminder: { rowId: $json.id, reminderKey: $json.reminderKey, runId: $json.runId ?? null, releasedAt: $json.releasedAt ?? null }');
		expect(node('Give Back Interrupted Letter').parameters).toMatchObject({ operation: 'update', matchType: 'allConditions' });
		expect(filtersOf('Give Back Interrupted Letter')).toEqual([
			{ keyName: 'id', condition: 'eq', keyValue: '={{ $json.reminder.rowId }}' },
			{ keyName: 'status', condition: 'eq', keyValue: 'printing' },
			{ keyName: 'runId', condition: 'eq', keyValue: '={{ $json.reminder.runId }}' },
			{ keyName: 'releasedAt', condition: 'eq', keyValue: '={{ $json.reminder.releasedAt }}' },
		]);
	});

	test('this run gives back, confirms and renews only rows still its own', () => {
		const ours = [
			{ keyName: 'id', condition: 'eq', keyValue: '={{ $json.reminder.rowId }}' },
			{ keyName: 'runId', condition: 'eq', keyValue: '=run-{{ $execution.id }}' },
			{ keyName: 'status', condition: 'eq', keyValue: 'printing' },
		];
		for (const name of ['Confirm Letter Still Ours', 'Give Back Unsaved Letters']) expect(filtersOf(name)).toEqual(ours);
		// A letter that could not be made: by row and run only, as "Mark Letters Printed" (the successful
		// letters' branch, run first) has by then marked every printing row of this run `paper`.
		expect(filtersOf('Give Back Failed Letter')).toEqual(ours.slice(0, 2));
		expect((node('Confirm Letter Still Ours').parameters.columns as { value: Json }).value).toEqual({ releasedAt: '={{ $now.toISO() }}' });
	});

	test('only confirmed letters join the print batch and move their invoice on, the batch first', () => {
		expect(targets('Create Letter', 0)).toEqual(['Confirm Letter Still Ours']);
		expect(targets('Confirm Letter Still Ours')).toEqual(['Letters Still Ours']);
		expect(targets('Letters Still Ours')).toEqual(['Join Into Print Batch', 'Advance Level (Paper)']);
		// Execution order v1 runs the upper branch first: a failed save stops the run before any level moves.
		expect(node('Join Into Print Batch').position[1]).toBeLessThan(node('Advance Level (Paper)').position[1]);
	});

	test('Letters Still Ours keeps the letters whose row came back from the confirmation, in that order', () => {
		const letters = [1, 2, 3].map((rowId) => ({ invoiceId: `INV-${rowId}`, reminder: { rowId } }));
		const out = runCode(LETTERS_STILL_OURS_CODE, [{ id: 3, status: 'printing' }, { id: 1, status: 'printing' }], { 'Create Letter': [letters, []] });
		expect(out.map((letter) => letter.invoiceId)).toEqual(['INV-3', 'INV-1']);
		expect(runCode(LETTERS_STILL_OURS_CODE, [], { 'Create Letter': [letters, []] })).toEqual([]);
	});

	test('the run summary lists the letters another run took over, and only the interrupted letters really given back', () => {
		const decided = { invoiceId: 'A', dunning: { action: 'paper', level: 1, reason: 'noEmail', totalDue: 10 } };
		const [summary] = runCode(DUNNING_RUN_SUMMARY_CODE, [], {
			'Compute Dunning Level': [[], [decided], []],
			'Release Reminder': [{ status: 'printing' }, { status: 'printing' }],
			'Create Letter': [[{ invoiceId: 'A', reminder: { rowId: 1 } }, { invoiceId: 'B', reminder: { rowId: 2 } }], []],
			'Letters Still Ours': [{ invoiceId: 'B', reminder: { rowId: 2 } }],
			'Save Print Batch': [[{ fileName: 'letters.pdf', printBatch: { letters: 1, pages: 1 } }], []],
			'Released by This Run?': [[{}, {}], []],
			'Interrupted Letter': [{ invoiceId: 'C', error: 'x' }, { invoiceId: 'D', error: 'y' }],
			'Give Back Interrupted Letter': [{ invoiceId: 'D', error: 'y' }],
		});
		expect(summary).toMatchObject({ lettersCreated: 2, lettersTakenOverByAnotherRun: [{ invoiceId: 'A' }], interruptedLettersGivenBack: [{ invoiceId: 'D', error: 'y' }] });
	});
});

describe('Check Result (mailbox-check.json)', () => {
	const sent = { to: 'shop@example.org', delivery: { status: 'sent', messageId: '<dunning.t.1@example.org>', smtpResponse: '250 2.0.0 Ok' } };

	test('nothing unread (the test mail did not arrive) still reaches Check Result, which fails saying so', () => {
		// Read Mailbox outputs an empty item when nothing is unread: before, it output none, Check Result never ran and the check "succeeded".
		const read = mailboxCheck().toJson().nodes.find((n) => n.name === 'Read Mailbox');
		expect(read).toMatchObject({ alwaysOutputData: true });
		expect(() => runCode(MAILBOX_CHECK_CODE, [{}], { 'Send Test Mail': [sent], 'Read Mailbox': [{}] })).toThrow(/The test mail <dunning\.t\.1@example\.org> was sent \(250 2\.0\.0 Ok\) but did not arrive/);
	});

	test('the test mail among the unread ones: ok', () => {
		const out = runCode(MAILBOX_CHECK_CODE, [], { 'Send Test Mail': [sent], 'Read Mailbox': [{ messageId: '<other@x>' }, { messageId: '<dunning.t.1@example.org>', folder: 'INBOX', subject: 'Test' }] });
		expect(out).toEqual([{ ok: true, sentTo: 'shop@example.org', messageId: '<dunning.t.1@example.org>', smtpResponse: '250 2.0.0 Ok', foundIn: 'INBOX', subject: 'Test' }]);
	});
});

describe('Saving the mailbox health (send-released.json, bounce-processing.json)', () => {
	test.each([
		['send-released', sendReleased],
		['bounce-processing', bounceProcessing],
	])('%s writes the counts always and the status only when it paused the mailbox, never the "ok" it read', (_name, build) => {
		const nodes = build().toJson().nodes;
		const columns = (name: string) => Object.keys(((nodes.find((n) => n.name === name)?.parameters as { columns: { value: Json } }).columns.value));
		expect(columns('Save Rejection Counts')).toEqual(['senderRejections', 'recentRejections']);
		expect(columns('Save Pause')).toEqual(['status', 'statusReason', 'statusMessage', 'statusSince']);
		expect(build().toJson().connections['Paused Now?'].main[0]).toEqual([{ node: 'Save Pause', type: 'main', index: 0 }]);
	});

	test('bounce processing hands Record Sender Refusals the report\'s arrival, so reports read late are counted when they came', () => {
		const report = bounceProcessing().toJson().nodes.find((n) => n.name === 'Refusal Report');
		expect(String((report?.parameters as { jsonOutput: string }).jsonOutput)).toContain("internalDate: $('Ours? (Sender Problem)').item.json.internalDate");
		// And when the reminder was sent, from the reminder row Mark Sender Refusal updated: one sent before the last pause does not pause again.
		expect(String((report?.parameters as { jsonOutput: string }).jsonOutput)).toContain('sentAt: $json.sentAt');
	});
});

describe('Invoices from Request (dunning-run-webhook.json)', () => {
	test('an invoice ID with the spaces of a fixed-width ERP column is the same invoice everywhere', () => {
		const out = runCode(INVOICES_FROM_REQUEST_CODE, [], { Webhook: [], 'Example Invoices': [{ body: { invoices: [{ invoiceId: ' INV-1 ', openAmount: 5 }, { invoiceId: 7 }] } }] });
		expect(out).toEqual([{ invoiceId: 'INV-1', openAmount: 5 }, { invoiceId: 7 }]);
	});

	const fromRequest = (body: unknown) => runCode(INVOICES_FROM_REQUEST_CODE, [], { Webhook: [{ body }] });
	const invoice = { invoiceId: 'INV-7', customerId: 'K7', dueDate: '2099-05-01', openAmount: 100, currentLevel: 0 };

	test('addresses posted as a list are one line, as Compute Dunning Level reads them; a language as a one-element list its text', () => {
		const lists: unknown[] = [['ap@kunde.example', 'boss@kunde.example'], [' ap@kunde.example ', '', 'Anna <anna@kunde.example>'], [], ['x@kunde.example']];
		const out = fromRequest(lists.map((email, i) => ({ ...invoice, invoiceId: `L${i}`, email, language: ['en'] })));
		expect(out.map((o) => o.email)).toEqual(lists.map((l) => addressListText(l)));
		expect(out.map((o) => o.email)).toEqual(['ap@kunde.example, boss@kunde.example', 'ap@kunde.example, Anna <anna@kunde.example>', '', 'x@kunde.example']);
		expect(out.map((o) => o.language)).toEqual(lists.map(() => onlyText(['en'])));
		// Anything else stays as posted, for Compute Dunning Level to refuse naming the field.
		const [odd] = fromRequest([{ ...invoice, email: ['a@kunde.example', 3], language: ['de', 'en'] }]);
		expect(odd).toMatchObject({ email: ['a@kunde.example', 3], language: ['de', 'en'] });
	});

	test('a reminder to addresses posted as a list is not withdrawn by the sender as emailChanged', () => {
		const posted = fromRequest([{ ...invoice, email: ['ap@kunde.example', 'boss@kunde.example'] }]);
		const [row] = runCode(INVOICE_ROWS_CODE, [], { 'Invoices from Request': posted, 'Load Known Invoice': [{}], 'Load Blocked Address': [{}] });
		expect(row.email).toBe('ap@kunde.example, boss@kunde.example');
		// The released reminder's payload is the decided item (its email as Invoices from Request gave it).
		const released = { ...posted[0], reminderKey: 'INV-7#1#email', dunning: { level: 1, previousLevel: 0 } };
		expect(stillToSend([released], [row])[0].withdrawn).toBeUndefined();
	});

	test('an entry that is no invoice goes on as an invoice without ID at its position; the others go on', () => {
		const long = 'x'.repeat(300);
		const out = fromRequest([invoice, null, 'INV-2', 42, [invoice], long]);
		// n8n takes only objects as an item's json: one entry that is none failed the whole post.
		expect(out.every((o) => typeof o === 'object' && o !== null && !Array.isArray(o))).toBe(true);
		expect(out[0]).toEqual(invoice);
		expect(out.slice(1, 5)).toEqual([
			{ invoiceId: null, position: 1, entry: 'null', problem: 'entry 1 (counted from 0) is no invoice object (got null)' },
			{ invoiceId: null, position: 2, entry: '"INV-2"', problem: 'entry 2 (counted from 0) is no invoice object (got "INV-2")' },
			{ invoiceId: null, position: 3, entry: '42', problem: 'entry 3 (counted from 0) is no invoice object (got 42)' },
			expect.objectContaining({ invoiceId: null, position: 4, entry: expect.stringMatching(/^\[\{"invoiceId":"INV-7"/) }),
		]);
		expect(out[5].entry).toHaveLength(100);
		// Compute Dunning Level refuses each as invalid input, naming the field.
		const decider = createDecider({}, '2099-06-01');
		expect(out.slice(1).map((o) => decider.evaluate(o))).toEqual(out.slice(1).map(() => expect.objectContaining({ action: 'none', reason: 'invalidInput', message: expect.stringContaining('invoiceId is missing') })));
	});

	test('an invoice ID that is neither text nor a whole number held exactly is refused, the posted one shown', () => {
		const ids: unknown[] = [2 ** 53 + 2, 2 ** 53, ['INV-5'], { no: 1 }, true, 12.5];
		const out = fromRequest([...ids.map((invoiceId) => ({ ...invoice, invoiceId })), { ...invoice, invoiceId: Number.MAX_SAFE_INTEGER }, { ...invoice, invoiceId: -4 }, { ...invoice, invoiceId: '  ' }]);
		expect(out.map((o) => [o.invoiceId, o.entry ?? null])).toEqual([
			[null, '9007199254740994'],
			[null, '9007199254740992'],
			[null, '["INV-5"]'],
			[null, '{"no":1}'],
			[null, 'true'],
			[null, '12.5'],
			[Number.MAX_SAFE_INTEGER, null],
			[-4, null],
			['', null],
		]);
		expect(out[0]).toMatchObject({ ...invoice, invoiceId: null, position: 0, problem: 'invoiceId 9007199254740994 is larger than 9007199254740991, where two IDs read as one: send invoice IDs as text' });
		expect(out[2].problem).toBe('invoiceId must be text or a whole number (got ["INV-5"])');
		// A blank ID is Compute Dunning Level's to name ("missing"); its position is given all the same.
		expect(out[8].position).toBe(8);
		// No row for any of them (two IDs beyond 2^53 would have become one row, a list "[\"INV-5\"]").
		const rows = runCode(INVOICE_ROWS_CODE, [], { 'Invoices from Request': out, 'Load Known Invoice': [{}], 'Load Blocked Address': [{}] });
		expect(rows.map((r) => r.invoiceId)).toEqual([String(Number.MAX_SAFE_INTEGER), '-4']);
	});
});

describe('Reached Another Address (bounce-processing.json)', () => {
	const ID = '<dunning.1.aaaa@shop.example>';
	const bounce = (recipient: string, originalRecipient: string | null = null): Json => ({ originalMessageId: ID, recipient, originalRecipient, reason: 'userunknown' });
	/** One reminder row per report, as Load Reminder gives them; every report of the run on Classify Bounce's failure outputs. */
	const reached = (email: string, reports: Json[], senderProblems: Json[] = []) =>
		runCode(reachedAnotherAddressCode('Ours? (Not Delivered)'), reports.map(() => ({ email })), {
			'Ours? (Not Delivered)': reports.map((b) => ({ bounce: b })),
			'Classify Bounce': [reports.map((b) => ({ bounce: b })), [], senderProblems.map((b) => ({ bounce: b }))],
		});
	const TWO = 'Buchhaltung <a@kunde.example>, b@kunde.example';

	test('one of two addresses failed: the reminder reached the other', () => {
		expect(reached(TWO, [bounce('B@kunde.example')])).toEqual([expect.objectContaining({ reachedOthers: true, reached: ['a@kunde.example'], failed: 'b@kunde.example', forwardedTo: null })]);
	});

	test('a spam complaint from one of two addresses: no failed address, the reminder counts as complained about (before, it stayed sent with "remove the failed address")', () => {
		const complaint = { ...bounce('b@kunde.example'), category: 'complaint', reason: 'feedback' };
		expect(reached(TWO, [complaint])).toEqual([expect.objectContaining({ reachedOthers: false, reached: [], failed: 'b@kunde.example', elsewhere: false, bounce: complaint })]);
	});

	test('failedAddresses: the reminder\'s addresses a block is for (this report\'s, and others of the run named dead or complaining)', () => {
		const dead = (r: string) => ({ ...bounce(r), category: 'addressDead' });
		expect(reached(TWO, [dead('a@kunde.example'), dead('B@kunde.example')]).map((r) => r.failedAddresses)).toEqual([
			['a@kunde.example', 'b@kunde.example'],
			['a@kunde.example', 'b@kunde.example'],
		]);
		const complaint = { ...bounce('b@kunde.example'), category: 'complaint', reason: 'feedback' };
		expect(reached(TWO, [complaint])[0].failedAddresses).toEqual(['b@kunde.example']);
		// A full mailbox beside it is no dead address.
		expect(reached(TWO, [complaint, { ...bounce('a@kunde.example'), category: 'recipientRefused', reason: 'mailboxfull' }])[0].failedAddresses).toEqual(['b@kunde.example']);
		expect(reached('a@kunde.example', [dead('elsewhere@intern.example')])[0].failedAddresses).toEqual([]);
	});

	test('both failed, the only address failed, or an address it was not sent to: not delivered', () => {
		expect(reached(TWO, [bounce('a@kunde.example'), bounce('b@kunde.example')]).map((r) => r.reachedOthers)).toEqual([false, false]);
		expect(reached('a@kunde.example', [bounce('a@kunde.example')])[0]).toMatchObject({ reachedOthers: false });
		expect(reached('a@kunde.example', [bounce('elsewhere@intern.example')])[0]).toMatchObject({ reachedOthers: false, failed: '', elsewhere: true });
	});

	test('dead or refusing our sender at an address the reminder was not sent to: refused, not dead, no sender alarm, and the row says where', () => {
		const dead = (r: string, o: string | null = null) => ({ ...bounce(r, o), category: 'addressDead', status: '5.1.1' });
		type Out = { bounce: Json; elsewhere: boolean; note: string };
		const [out] = reached('Buchhaltung <a@kunde.example>', [dead('max.alt@kunde.example')]) as Out[];
		expect([out.bounce.category, out.elsewhere, out.note]).toEqual([
			'recipientRefused',
			true,
			"address max.alt@kunde.example failed (userunknown 5.1.1); the reminder was not sent to it but to a@kunde.example: a forward or copy at the recipient's side, counted as the recipient's refusal",
		]);
		const dmarc = { ...bounce('fwd@mail.example'), category: 'senderRejected', reason: 'authfailure' };
		const sender = runCode(reachedAnotherAddressCode('Ours? (Sender Problem)'), [{ email: 'a@kunde.example', note: 'delayed earlier' }], {
			'Ours? (Sender Problem)': [{ bounce: dmarc }],
			'Classify Bounce': [[], [], [{ bounce: dmarc }]],
		}) as Out[];
		expect(sender[0]).toMatchObject({ elsewhere: true, bounce: { category: 'recipientRefused', reason: 'authfailure' } });
		// At the address it was sent to, or traced back to it (Original-Recipient): as the report says; the row's note kept.
		const own = reached('a@kunde.example', [dead('A@kunde.example')]) as Out[];
		expect([own[0].bounce.category, own[0].elsewhere]).toEqual(['addressDead', false]);
		expect((reached('a@kunde.example', [dead('gone@intern.example', 'a@kunde.example')]) as Out[])[0].bounce.category).toBe('addressDead');
		const kept = runCode(reachedAnotherAddressCode('Ours? (Not Delivered)'), [{ email: 'a@kunde.example', note: 'delayed earlier' }], {
			'Ours? (Not Delivered)': [{ bounce: dead('a@kunde.example') }],
			'Classify Bounce': [[{ bounce: dead('a@kunde.example') }], [], []],
		}) as Out[];
		expect(kept[0].note).toBe('delayed earlier');
		// No address named, no reminder row found, or an IDN address in one of its two forms: as the report says.
		expect((reached('a@kunde.example', [{ ...dead('x'), recipient: null }]) as Out[])[0]).toMatchObject({ elsewhere: false, bounce: { category: 'addressDead' } });
		expect((reached('', [dead('max.alt@kunde.example')]) as Out[])[0].elsewhere).toBe(false);
		expect((reached('anna@bücher.example', [dead('anna@xn--bcher-kva.example')]) as Out[])[0]).toMatchObject({ elsewhere: false, bounce: { category: 'addressDead' } });
		// A reminder to plain ASCII addresses went to exactly those: an IDN address named is another.
		expect((reached('a@kunde.example', [dead('anna@xn--mller-bau-q9a.example')]) as Out[])[0]).toMatchObject({ elsewhere: true, bounce: { category: 'recipientRefused' } });
		// The same mailbox by its Exchange routing name (hybrid, internal domain): as the report says.
		for (const routing of ['anna.meier@kunde.mail.onmicrosoft.com', 'anna.meier@kunde.local']) {
			expect({ routing, ...(reached('Anna Meier <anna.meier@kunde.example>', [dead(routing)]) as Out[])[0].bounce }).toMatchObject({ routing, category: 'addressDead' });
		}
		expect((reached('a@kunde.example', [dead('anna.meier@kunde.local')]) as Out[])[0].elsewhere).toBe(true);
	});

	test('a copy of a reminder to several addresses failed elsewhere: delivered to those no report of the run names, nothing to remove from the invoice', () => {
		const dead = (r: string) => ({ ...bounce(r), category: 'addressDead', status: '5.1.1' });
		type Out = { bounce: Json; elsewhere: boolean; reachedOthers: boolean; reached: string[]; note: string };
		const [out] = reached(TWO, [dead('max.alt@kunde.example')]) as Out[];
		expect(out).toMatchObject({ elsewhere: true, reachedOthers: true, reached: ['a@kunde.example', 'b@kunde.example'], bounce: { category: 'recipientRefused' } });
		expect(out.note).toBe(
			"address max.alt@kunde.example failed (userunknown 5.1.1); the reminder was not sent to it and reached a@kunde.example, b@kunde.example: a forward or copy at the recipient's side, nothing to change on the invoice",
		);
		// One of them failed in the same run too: the other took it.
		const both = reached(TWO, [dead('max.alt@kunde.example'), dead('a@kunde.example')]) as Out[];
		expect(both.map((r) => [r.elsewhere, r.reachedOthers, r.reached])).toEqual([
			[true, true, ['b@kunde.example']],
			[false, true, ['b@kunde.example']],
		]);
		// Both failed as well: nothing reached the customer; the copy's report is a refusal, not dead.
		const all = reached(TWO, [dead('max.alt@kunde.example'), dead('a@kunde.example'), dead('b@kunde.example')]) as Out[];
		expect(all.map((r) => [r.reachedOthers, r.bounce.category])).toEqual([
			[false, 'recipientRefused'],
			[false, 'addressDead'],
			[false, 'addressDead'],
		]);
	});

	test('the same address failing elsewhere for customers at two domains in one run is a copy of our own: noted, listed, no verdict on the customers', () => {
		const failedAt = (r: string, id: string, category = 'addressDead', reason = 'userunknown') => ({ ...bounce(r), originalMessageId: id, category, reason, status: '5.1.1', invoiceId: `INV-${id}`, level: 1, final: true });
		const copyAt = 'mahnung.archiv@mailprovider.example';
		type Out = { bounce: Json; ownCopy: boolean; reachedOthers: boolean; elsewhere: boolean; note: string };
		/** Reminder rows as Load Reminder gives them, each with its report naming `address`. */
		const run = (rows: Json[], address = copyAt, category?: string) =>
			runCode(reachedAnotherAddressCode('Ours? (Not Delivered)'), rows, {
				'Ours? (Not Delivered)': rows.map((_, i) => ({ bounce: failedAt(address, `<m${i + 1}@shop.example>`, category) })),
				'Classify Bounce': [rows.map((_, i) => ({ bounce: failedAt(address, `<m${i + 1}@shop.example>`, category) })), [], []],
			}) as Out[];
		const k1 = { email: 'a@kunde.example', customerId: 'K1' };
		const k2 = { email: 'Einkauf <einkauf@firma.example>', customerId: 'K2' };
		const two = run([k1, k2]);
		expect(two.map((r) => [r.ownCopy, r.reachedOthers, r.bounce.category, r.bounce.archiveCopy])).toEqual([
			[true, true, 'none', true],
			[true, true, 'none', true],
		]);
		expect(two[0].note).toBe(
			`address ${copyAt} failed (userunknown 5.1.1); the reminder was not sent to it; it failed for the reminders of 2 customers in this run: a copy of your own (a Bcc or journal rule on your mail server), fix or remove it`,
		);
		// A full archive mailbox is our copy as well.
		expect(run([k1, k2], copyAt, 'recipientRefused').map((r) => r.ownCopy)).toEqual([true, true]);
		// A customer at the copy's domain (a mailbox provider) is left out, and does not hide the others'.
		const k3 = { email: 'meier.bau@mailprovider.example', customerId: 'K3' };
		expect(run([k1, k3, k2]).map((r) => [r.ownCopy, r.bounce.category])).toEqual([
			[true, 'none'],
			[false, 'recipientRefused'],
			[true, 'none'],
		]);
		// One customer (two of its reminders), customers at one domain only, or a customer's own domain: the customers' side, as before.
		const notOurs = (rows: Json[], address = copyAt) => run(rows, address).map((r) => [r.ownCopy, r.reachedOthers, r.bounce.category]);
		expect(notOurs([k1, { ...k1 }])).toEqual([
			[false, false, 'recipientRefused'],
			[false, false, 'recipientRefused'],
		]);
		expect(notOurs([k1, { email: 'b@kunde.example', customerId: 'K4' }])).toEqual([
			[false, false, 'recipientRefused'],
			[false, false, 'recipientRefused'],
		]);
		expect(notOurs([k1, k2], 'zentrale@kunde.example')).toEqual([
			[false, false, 'recipientRefused'],
			[false, false, 'recipientRefused'],
		]);
		// A complaint counts wherever it was made.
		expect(run([k1, k2], copyAt, 'complaint').map((r) => [r.elsewhere, r.ownCopy, r.bounce.category])).toEqual([
			[false, false, 'complaint'],
			[false, false, 'complaint'],
		]);

		// The summary lists our copy for a person; a reminder noted only for it has nothing to remove.
		const noted = [
			{ id: 1, messageId: '<m1@shop.example>', invoiceId: 'INV-1', customerId: 'K1', note: two[0].note },
			{ id: 2, messageId: '<m2@shop.example>', invoiceId: 'INV-2', customerId: 'K2', note: two[1].note },
			{ id: 3, messageId: '<m3@shop.example>', invoiceId: 'INV-3', customerId: 'K3', note: 'address b@kunde.example failed' },
		];
		// <m2> also lost one of its own two addresses in this run: that address is still to remove.
		const m2Failed = { bounce: { originalMessageId: '<m2@shop.example>' }, ownCopy: false, reachedOthers: true };
		const [summary] = runCode(BOUNCE_SUMMARY_CODE, [], { 'Read Mailbox': [{}, {}], 'Reached Another Address': [...two.map((json) => json as unknown as Json), m2Failed], 'Note Failed Address': noted });
		expect(summary.archiveCopyFailures).toEqual([
			{ address: copyAt, invoiceId: 'INV-<m1@shop.example>', level: 1, reason: 'userunknown', status: '5.1.1', final: true },
			{ address: copyAt, invoiceId: 'INV-<m2@shop.example>', level: 1, reason: 'userunknown', status: '5.1.1', final: true },
		]);
		expect((summary.addressesFailedOfSeveral as Json[]).map((r) => r.invoiceId)).toEqual(['INV-2', 'INV-3']);
	});

	test('two addresses of a reminder to three failed in one run: both reports write one note naming both; an earlier note stays after it, a report read again changes nothing', () => {
		const THREE = 'a@kunde.example, b@kunde.example, Alt <c@kunde.example>';
		const full = { ...bounce('c@kunde.example'), category: 'recipientRefused', reason: 'mailboxfull', status: '4.2.2' };
		type Out = { reachedOthers: boolean; note: string };
		const out = reached(THREE, [{ ...bounce('gone@intern.example', 'b@kunde.example'), status: '5.1.1' }, full]) as Out[];
		expect(out.map((r) => r.reachedOthers)).toEqual([true, true]);
		expect(out[0].note).toBe(out[1].note);
		const at = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+[+-]\\d\\d:\\d\\d';
		expect(out[0].note).toMatch(
			new RegExp(`^address b@kunde\\.example \\(forwarded to gone@intern\\.example\\) failed \\(userunknown 5\\.1\\.1, ${at}\\); address c@kunde\\.example failed \\(mailboxfull 4\\.2\\.2, ${at}\\); the reminder reached a@kunde\\.example: remove the failed addresses from the invoice$`),
		);
		// One address: as before.
		expect((reached(THREE, [full]) as Out[])[0].note).toMatch(new RegExp(`^address c@kunde\\.example failed \\(mailboxfull 4\\.2\\.2, ${at}\\); the reminder reached a@kunde\\.example, b@kunde\\.example: remove the failed address from the invoice$`));
		// A later run: the address failing now first, the earlier note after it; the same report read again leaves the note.
		const withNote = (note: string) =>
			runCode(reachedAnotherAddressCode('Ours? (Not Delivered)'), [{ email: THREE, note }], {
				'Ours? (Not Delivered)': [{ bounce: full }],
				'Classify Bounce': [[{ bounce: full }], [], []],
			}) as Out[];
		const earlier = 'address b@kunde.example failed (userunknown 5.1.1, 2026-11-02T10:00:00.000+01:00); the reminder reached a@kunde.example, c@kunde.example: remove the failed address from the invoice';
		expect(withNote(earlier)[0].note).toMatch(new RegExp(`^address c@kunde\\.example failed \\(mailboxfull 4\\.2\\.2, ${at}\\); the reminder reached a@kunde\\.example, b@kunde\\.example: remove the failed address from the invoice; earlier: address b@kunde\\.example failed \\(userunknown`));
		const again = withNote(earlier)[0].note;
		expect(withNote(again)[0].note).toBe(again);

		// The summary names the reminder once, with the note written last.
		const noted = [
			{ id: 1, messageId: ID, invoiceId: 'INV-1', customerId: 'K1', note: 'first' },
			{ id: 1, messageId: ID, invoiceId: 'INV-1', customerId: 'K1', note: 'second' },
		];
		const [summary] = runCode(BOUNCE_SUMMARY_CODE, [], { 'Read Mailbox': [{}], 'Note Failed Address': noted.slice(0, 1), 'Note Failed Address (Sender)': noted.slice(1) });
		expect(summary.addressesFailedOfSeveral).toEqual([{ invoiceId: 'INV-1', customerId: 'K1', note: 'second' }]);
	});

	test('a name in quotes may hold a comma, a semicolon or an address: it separates nothing', () => {
		const out = reached('"info@kunde.example, Buchhaltung; Zentrale" <rechnung@kunde.example>', [{ ...bounce('rechnung@kunde.example'), category: 'addressDead' }]) as Array<{ bounce: Json; reachedOthers: boolean; failed: string }>;
		expect([out[0].reachedOthers, out[0].failed, out[0].bounce.category]).toEqual([false, 'rechnung@kunde.example', 'addressDead']);
	});

	test('a forward that failed counts as the address the reminder was sent to when the report names it (Original-Recipient)', () => {
		expect(reached(TWO, [bounce('gone@intern.example', 'b@kunde.example')])).toEqual([
			expect.objectContaining({ reachedOthers: true, reached: ['a@kunde.example'], failed: 'b@kunde.example', forwardedTo: 'gone@intern.example' }),
		]);
		// The forward of one and the other address itself failing: nothing reached the customer.
		expect(reached(TWO, [bounce('gone@intern.example', 'b@kunde.example'), bounce('a@kunde.example')]).map((r) => r.reachedOthers)).toEqual([false, false]);
	});

	test('every address failed, one dead and one with a full mailbox: not delivered, but refused, not dead (no block); all dead: dead', () => {
		const dead = (r: string) => ({ ...bounce(r), category: 'addressDead' });
		const full = { ...bounce('b@kunde.example'), category: 'recipientRefused', reason: 'mailboxfull' };
		const out = reached(TWO, [dead('a@kunde.example'), full]) as Array<{ reachedOthers: boolean; bounce: Json }>;
		expect(out.map((r) => [r.reachedOthers, r.bounce.category, r.bounce.reason])).toEqual([
			[false, 'recipientRefused', 'userunknown'],
			[false, 'recipientRefused', 'mailboxfull'],
		]);
		expect((reached(TWO, [dead('a@kunde.example'), dead('b@kunde.example')]) as Array<{ bounce: Json }>).map((r) => r.bounce.category)).toEqual(['addressDead', 'addressDead']);
		expect((reached('a@kunde.example', [dead('a@kunde.example')]) as Array<{ bounce: Json }>)[0].bounce.category).toBe('addressDead');
	});

	test('a refusal because of our sender at one address (Ours? (Sender Problem)): the other took it; with the other dead in the same run, neither', () => {
		const refusedForSender = (email: string, reports: Json[], others: Json[] = []) =>
			runCode(reachedAnotherAddressCode('Ours? (Sender Problem)'), reports.map(() => ({ email })), {
				'Ours? (Sender Problem)': reports.map((b) => ({ bounce: b })),
				'Classify Bounce': [others.map((b) => ({ bounce: b })), [], reports.map((b) => ({ bounce: b }))],
			});
		const dmarc = { ...bounce('b@kunde.example'), reason: 'authfailure', status: '5.7.26' };
		expect(refusedForSender(TWO, [dmarc])).toEqual([expect.objectContaining({ reachedOthers: true, reached: ['a@kunde.example'], failed: 'b@kunde.example' })]);
		expect(refusedForSender(TWO, [dmarc], [bounce('a@kunde.example')])[0]).toMatchObject({ reachedOthers: false });
		// And the other way round: the dead address's report sees the sender refusal of the other.
		expect(reached(TWO, [bounce('a@kunde.example')], [dmarc])[0]).toMatchObject({ reachedOthers: false });
	});
});

describe('Decide Alert (dunning-alert.json)', () => {
	const failure = (message: string, workflowId = 'sendReleased0001'): Json => ({
		execution: { id: '812', lastNodeExecuted: 'Fail With Cause', error: { message } },
		workflow: { id: workflowId, name: 'Send released reminders' },
	});
	type Alert = { key: string; mailNow: boolean; repeats: number; repeatHours: number; message: string };
	/** Alert Key, then Decide Alert after Load Last Alert, which finds the row by that key (or, none found, gives an empty item). */
	const decide = (trigger: Json, rows: Json[], repeatHours: unknown = 24) => {
		const keyed = runCode(ALERT_KEY_CODE, [], { 'Error Trigger': [trigger] }) as Array<Json & { alert: Alert }>;
		const loaded = rows.filter((r) => r.alertKey === keyed[0].alert.key).slice(0, 1);
		return runCode(DECIDE_ALERT_CODE, loaded.length ? loaded : [{}], { 'Alert Key': keyed, Settings: [{ repeatHours }] }) as Array<Json & { alert: Alert }>;
	};
	const stalled = (seconds: string) => `Sending from mailbox "default" is stalled: … (this run: connecting and logging in took ${seconds} s) …`;

	test('a first failure is mailed, with the failure as it came and the key it is remembered by', () => {
		const [out] = decide(failure(stalled('6.1')), []);
		expect(out).toMatchObject({ ...failure(stalled('6.1')), alert: { mailNow: true, repeats: 0, repeatHours: 24, message: stalled('6.1') } });
		expect(out.alert.key).toBe(`sendReleased0001|Fail With Cause|${stalled('#.#')}`);
	});

	test('the same failure again within repeatHours is counted, not mailed, also with other numbers in it; after them it is mailed again', () => {
		const key = decide(failure(stalled('6.1')), [])[0].alert.key;
		const row = (hoursAgo: number): Json => ({ alertKey: key, lastMailedAt: Date.now() - hoursAgo * 3600000, repeats: 4 });
		expect(decide(failure(stalled('7.4')), [row(23)])[0].alert).toMatchObject({ mailNow: false, repeats: 4 });
		expect(decide(failure(stalled('7.4')), [row(25)])[0].alert).toMatchObject({ mailNow: true, repeats: 4 });
		expect(decide(failure(stalled('7.4')), [row(2)], 1)[0].alert).toMatchObject({ mailNow: true, repeatHours: 1 });
		// A setting that is no positive number counts as the shipped 24 hours.
		expect(decide(failure(stalled('7.4')), [row(23)], '')[0].alert).toMatchObject({ mailNow: false, repeatHours: 24 });
	});

	test('another cause, node or workflow is another alert, mailed at once', () => {
		const key = decide(failure(stalled('6.1')), [])[0].alert.key;
		const rows = [{ alertKey: key, lastMailedAt: Date.now(), repeats: 0 }];
		expect(decide(failure('Sending stopped: the SMTP server refused the login'), rows)[0].alert.mailNow).toBe(true);
		expect(decide(failure(stalled('6.1'), 'sendReleased0002'), rows)[0].alert.mailNow).toBe(true);
		// A number in a quoted name is part of the name: mailbox "shop2" is not mailbox "shop1".
		const shop1 = decide(failure(stalled('6.1').replace('"default"', '"shop1"')), [])[0].alert.key;
		const shop2Rows = [{ alertKey: shop1, lastMailedAt: Date.now(), repeats: 0 }];
		expect(decide(failure(stalled('6.1').replace('"default"', '"shop2"')), shop2Rows)[0].alert.mailNow).toBe(true);
		expect(decide(failure(stalled('7.4').replace('"default"', '"shop1"')), shop2Rows)[0].alert.mailNow).toBe(false);
		// A failure in a trigger (no execution) is keyed by the trigger node.
		const triggerFailure = { trigger: { error: { message: 'The IMAP server refused the login', node: { name: 'IMAP Mailbox Trigger' } }, mode: 'trigger' }, workflow: { id: 'own1', name: 'Own' } };
		expect(decide(triggerFailure, rows)[0].alert).toMatchObject({ key: 'own1|IMAP Mailbox Trigger|The IMAP server refused the login', mailNow: true });
	});
});

describe('Bounce Summary (bounce-processing.json)', () => {
	test('reports the mailbox state saved: of the second count when the compare and set reloaded the row', () => {
		const health = (status: string, pausedNow: boolean, statusMessage: string) => ({ mailboxHealth: { status, pausedNow, statusMessage } });
		const first = health('ok', false, '');
		const again = health('paused', true, 'three refusals in 24 h');
		const [reloaded] = runCode(BOUNCE_SUMMARY_CODE, [], { 'Read Mailbox': [{}], 'Record Sender Refusals': [first], [reloadedHealthNode('Record Sender Refusals')]: [again] });
		expect(reloaded.mailbox).toEqual({ status: 'paused', pausedNow: true, message: 'three refusals in 24 h' });
		// Saved at the first try: the first count's.
		const [saved] = runCode(BOUNCE_SUMMARY_CODE, [], { 'Read Mailbox': [{}], 'Record Sender Refusals': [first] });
		expect(saved.mailbox).toEqual({ status: 'ok', pausedNow: false, message: '' });
	});

	test('a failed archive copy (the BCC) is listed for the operator, apart from the customers\' reports', () => {
		const archive = { category: 'none', archiveCopy: true, recipient: 'archiv@shop.example', invoiceId: 'INV-1', level: 2, reason: 'userunknown', status: '5.1.1', final: true };
		const delay = { category: 'delayed', archiveCopy: false, recipient: 'anna@kunde.example', invoiceId: 'INV-2', level: 1, reason: 'expired', status: '4.4.1', final: false };
		const [summary] = runCode(BOUNCE_SUMMARY_CODE, [], {
			'Read Mailbox': [{}, {}],
			'Classify Bounce': [[], [], [], [], [{ bounce: archive }, { bounce: delay }]],
		});
		expect(summary.archiveCopyFailures).toEqual([{ address: 'archiv@shop.example', invoiceId: 'INV-1', level: 2, reason: 'userunknown', status: '5.1.1', final: true }]);
		expect(summary.byCategory).toEqual({ none: 1, delayed: 1 });
		expect(summary.customersBlocked).toEqual([]);
		expect(summary.notClassified).toEqual([]);
	});

	test('messages Classify Bounce could not read are listed for a person, apart from auto-replies and delays', () => {
		const none = { category: 'none', archiveCopy: false, diagnostic: 'Not classified: …' };
		const tooLarge = { uid: 7, folder: 'INBOX', tooLarge: true, error: 'Message UID 7 in "INBOX" is larger than the Max Message Size (25 MB) and was not read.', bounce: none };
		const unreadable = { uid: 9, folder: 'INBOX', subject: 'Undeliverable: Zahlungserinnerung', error: 'Item 1: the binary field "data" is missing', bounce: none };
		const autoReply = { uid: 8, folder: 'INBOX', subject: 'Abwesend', bounce: { category: 'autoReply', archiveCopy: false } };
		// Read by Read Mailbox, but over Classify Bounce's own limit: no error field, bounce.notRead.
		const overLimit = { uid: 10, folder: 'INBOX', subject: 'Mail delivery failed', bounce: { ...none, notRead: true, diagnostic: 'depth limit: MIME nesting deeper than the limit of 20 levels; the rest was not read' } };
		const plainMail = { uid: 11, folder: 'INBOX', subject: 'Newsletter', bounce: { ...none, diagnostic: 'not a bounce, auto-reply or feedback report' } };
		const [summary] = runCode(BOUNCE_SUMMARY_CODE, [], { 'Read Mailbox': [{}, {}, {}, {}, {}], 'Classify Bounce': [[], [], [], [], [tooLarge, autoReply, unreadable, overLimit, plainMail]] });
		expect(summary.notClassified).toEqual([
			{ uid: 7, folder: 'INBOX', subject: null, error: tooLarge.error },
			{ uid: 9, folder: 'INBOX', subject: 'Undeliverable: Zahlungserinnerung', error: unreadable.error },
			{ uid: 10, folder: 'INBOX', subject: 'Mail delivery failed', error: overLimit.bounce.diagnostic },
		]);
		expect(summary.byCategory).toEqual({ none: 4, autoReply: 1 });
	});
});

describe('New Replies by Reminder (bounce-processing.json)', () => {
	const reply = (messageId: string, text: string, uid = 7): Json => ({ messageId, uid, uidValidity: '1', bounce: { category: 'reply', recipient: 'erika@kunde.example', replyText: text } });
	const row = (id: number): Json => ({ id, invoiceId: `RE-${id}`, customerId: 'K-9', email: 'Erika Muster <Erika@Kunde.example>', replyMessageIds: '<old@kunde.example>', note: '' });
	// New Reply?'s items (the rows as loaded, one per reply) and the replies they pair with.
	const replies = [reply('<a1@x>', 'eins'), reply('<b1@x>', 'andere'), reply('<a2@x>', 'zwei'), reply('<a1@x>', 'eins', 9), reply('', 'ohne ID', 12)];
	const rows = [row(1), row(2), row(1), row(1), row(1)];
	const grouped = () => runCode(NEW_REPLIES_BY_REMINDER_CODE, rows, { 'Ours? (Reply)': replies }) as Array<Json & { newReplies: Array<Record<string, unknown>>; invoiceReplies: Array<Record<string, unknown>> }>;

	test('one item per reminder row with all of its new replies, newest first, each Message-ID once', () => {
		const out = grouped();
		expect(out.map((o) => o.id)).toEqual([1, 2]);
		expect(out[0]).toMatchObject({ invoiceId: 'RE-1', replyMessageIds: '<old@kunde.example>' });
		// From the address the reminder went to (compared without case and display name).
		const from = { recipient: 'erika@kunde.example', fromOtherAddress: false };
		expect(out[0].newReplies).toEqual([
			{ id: 'UID 1/12', key: 'UID1/12', ...from, text: 'ohne ID' },
			{ id: '<a2@x>', key: '<a2@x>', ...from, text: 'zwei' },
			{ id: '<a1@x>', key: '<a1@x>', ...from, text: 'eins' },
		]);
		expect(out[1].newReplies).toEqual([{ id: '<b1@x>', key: '<b1@x>', ...from, text: 'andere' }]);
		// Each invoice's own replies (RE-1 and RE-2 are two invoices).
		expect(out.map((o) => o.invoiceReplies)).toEqual([out[0].newReplies, out[1].newReplies]);
	});

	test('each item pairs with its newest reply (Block Invoice for Reply reads it through the pairing)', () => {
		const run = new Function('$input', '$', NEW_REPLIES_BY_REMINDER_CODE) as (i: unknown, d: unknown) => Array<{ pairedItem: { item: number } }>;
		const out = run({ all: () => rows.map((json) => ({ json })) }, () => ({ itemMatching: (i: number) => ({ json: replies[i] }) }));
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 4 }, { item: 1 }]);
	});

	test('a copy of a reply already taken (same Message-ID) read last does not take the pairing: it stays with the newest reply kept', () => {
		const taken = [reply('<r1@x>', 'eins'), reply('<r4@x>', 'vier'), reply('<r1@x>', 'eins', 9)];
		const run = new Function('$input', '$', NEW_REPLIES_BY_REMINDER_CODE) as (i: unknown, d: unknown) => Array<{ json: Json & { newReplies: Array<Record<string, unknown>> }; pairedItem: { item: number } }>;
		const out = run({ all: () => [row(1), row(1), row(1)].map((json) => ({ json })) }, () => ({ itemMatching: (i: number) => ({ json: taken[i] }) }));
		expect(out.map((o) => o.json.newReplies.map((r) => r.id))).toEqual([['<r4@x>', '<r1@x>']]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 1 }]);
	});

	test('Bounce Summary lists each reply once, also two to one reminder', () => {
		const [summary] = runCode(BOUNCE_SUMMARY_CODE, [], {
			'Read Mailbox': replies,
			'New Replies by Reminder': grouped(),
			'Note Reply on Reminder': [row(1), row(2)],
		});
		expect(summary.replies).toEqual([
			{ invoiceId: 'RE-1', customerId: 'K-9', customer: 'erika@kunde.example', firstLines: 'ohne ID' },
			{ invoiceId: 'RE-1', customerId: 'K-9', customer: 'erika@kunde.example', firstLines: 'zwei' },
			{ invoiceId: 'RE-1', customerId: 'K-9', customer: 'erika@kunde.example', firstLines: 'eins' },
			{ invoiceId: 'RE-2', customerId: 'K-9', customer: 'erika@kunde.example', firstLines: 'andere' },
		]);
	});

	test('Bounce Summary reports the mailbox as read when nothing was counted and so nothing saved (Health Changed? false)', () => {
		const health = { mailboxHealth: { status: 'paused', pausedNow: false, changed: false, statusMessage: 'paused since yesterday' } };
		const [summary] = runCode(BOUNCE_SUMMARY_CODE, [], { 'Read Mailbox': [{}], 'Record Sender Refusals': [health] });
		expect(summary.mailbox).toEqual({ status: 'paused', pausedNow: false, message: 'paused since yesterday' });
	});
});
