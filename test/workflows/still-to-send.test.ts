/**
 * The sender's "Still to Send?" Code node, run as n8n runs it (a function body over `$input` and
 * `$()`), on every reason it knows. The e2e suite runs it in a real n8n for six of them.
 */
import { STILL_TO_SEND_CODE } from '../../scripts/workflows/code-nodes';

type Json = Record<string, unknown>;

function stillToSend(reminders: Json[], invoices: Json[]): Array<{ invoiceId: unknown; withdrawn?: { reason: string; message: string } }> {
	const items = (rows: Json[]) => rows.map((json) => ({ json }));
	const $input = { all: () => items(invoices) };
	const $ = (name: string) => {
		if (name !== 'Restore Reminder') throw new Error(`the node reads ${name}`);
		return { all: () => items(reminders) };
	};
	// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the Code node's text, as n8n runs it
	const run = new Function('$input', '$', STILL_TO_SEND_CODE) as (i: typeof $input, d: typeof $) => Array<{ json: Json }>;
	return run($input, $).map((item) => item.json as { invoiceId: unknown; withdrawn?: { reason: string; message: string } });
}

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
			[{ openAmount: -3 }, 'paid', /nothing is open/],
			[{ openAmount: 100 }, 'amountChanged', /now 100, the reminder asks for 120.5/],
			[{ parked: true }, 'parked', /parked/],
			[{ disputed: 'TRUE' }, 'disputed', /disputed/],
			[{ dunningBlock: true }, 'blocked', /dunning block/],
			[{ dunningBlock: 'ja', dunningBlockReason: 'customerReplied' }, 'customerReplied', /replied/],
			[{ emailBlocked: 1 }, 'emailBlocked', /blocked/],
			[{ email: 'neu@kunde.example' }, 'emailChanged', /is now neu@kunde\.example$/],
			[{ email: '' }, 'emailChanged', /has been removed/],
			[{ email: null }, 'emailChanged', /has been removed/],
			[{ currentLevel: 2 }, 'levelReached', /already at level 2/],
		];
		const out = stillToSend(
			cases.map((_, i) => reminder(`I${i}`)),
			cases.map(([change], i) => invoice(`I${i}`, change)),
		);
		expect(out.map((o) => o.withdrawn?.reason)).toEqual(cases.map(([, reason]) => reason));
		out.forEach((o, i) => expect(o.withdrawn?.message).toMatch(cases[i][2]));
	});

	test('an unchanged invoice, one written differently (case, spaces, names, order of addresses, 120.50 as text), and one without a row go out', () => {
		const out = stillToSend(
			[reminder('SAME'), reminder('WRITTEN'), reminder('NOROW')],
			[invoice('SAME'), invoice('WRITTEN', { email: 'buchhaltung@KUNDE.example ; "Müller, Anna" <anna@kunde.example>', openAmount: '120.50', currentLevel: null })],
		);
		expect(out.map((o) => [o.invoiceId, o.withdrawn])).toEqual([
			['SAME', undefined],
			['WRITTEN', undefined],
			['NOROW', undefined],
		]);
	});

	test('of two rows of one reminder in one tick the first goes out and the second is withdrawn as a duplicate', () => {
		const out = stillToSend([reminder('TWICE'), reminder('TWICE'), reminder('OTHER')], [invoice('TWICE'), invoice('OTHER')]);
		expect(out.map((o) => o.withdrawn?.reason)).toEqual([undefined, 'duplicate', undefined]);
	});

	test('a duplicate of a withdrawn reminder is withdrawn for the invoice, not as a duplicate', () => {
		const out = stillToSend([reminder('PAID'), reminder('PAID')], [invoice('PAID', { openAmount: 0 })]);
		expect(out.map((o) => o.withdrawn?.reason)).toEqual(['paid', 'paid']);
	});
});
