/**
 * What a customer's reply does to the invoice (Block Invoice for Reply, after Load Invoice (Reply)),
 * and what the Bounce Summary says of replies: the reason is customerReplied (the one every reader of
 * the row knows), a block set for another reason is named in the note and the earlier note stays,
 * every reply of a run to the invoice's reminders is named, a reply from an address the reminder was
 * not sent to says so, a Message-ID quoted in capitals still pairs, and replies that named no
 * reminder found here are listed. The Data Table steps of the shipped bounce-processing.json run against in-memory tables
 * (bounce-tables.ts); Bounce Summary runs as its shipped Code node.
 */
import type { DataTableRow, IDataObject } from 'n8n-workflow';

import { INVOICE_ROWS_CODE } from '../../scripts/workflows/code-nodes';
import { invoicesTable, readReplies, readReply, reminderMessageId, reminderRow, remindersTable, reply, shippedNode, type Table } from './bounce-tables';

const INSTALMENT_NOTE = 'Ratenzahlung vereinbart: 6 x 200 EUR bis 06/2026 (Fr. Weber)';
const DATE = String.raw`\d{4}-\d\d-\d\d`;

const tablesOf = (reminders: Table, invoices: Table): Record<string, Table> => ({ dunning_reminders: reminders, dunning_invoices: invoices });
const invoice = (over: DataTableRow = {}): DataTableRow => ({ invoiceId: 'RE-9', customerId: 'K-9', email: 'erika@kunde.example', currentLevel: 2, dunningBlock: false, ...over });
/** A reply to the reminder of `level` from `from`, naming that reminder by `originalMessageId`. */
const replyFrom = (messageId: string, text: string, from: string, originalMessageId = reminderMessageId(2)): IDataObject => ({
	...reply(messageId, text),
	bounce: { category: 'reply', originalMessageId, recipient: from, replyText: text },
});

/** Save Known Invoice as shipped in the webhook's dunning run: the row it writes for each posted invoice, `known` the rows there. */
const saveKnownInvoice = (posted: IDataObject[], known: IDataObject[]): IDataObject[] => {
	const items = (rows: IDataObject[]) => rows.map((json) => ({ json }));
	const nodes: Record<string, IDataObject[]> = { 'Invoices from Request': posted, 'Load Known Invoice': known, 'Load Blocked Address': [{}] };
	const $ = (name: string) => ({ all: () => items(nodes[name]) });
	const run = new Function('$', '$input', INVOICE_ROWS_CODE) as (d: typeof $, i: { all: () => Array<{ json: IDataObject }> }) => Array<{ json: IDataObject }>;
	return run($, { all: () => [] }).map((i) => i.json);
};

describe('a reply keeps what the invoice already says (Load Invoice (Reply) → Block Invoice for Reply)', () => {
	it('an invoice blocked for an instalment plan is blocked for the reply, the note names the plan and keeps its note after the reply', async () => {
		const reminders = remindersTable([reminderRow(1)]);
		const invoices = invoicesTable([invoice({ dunningBlock: true, dunningBlockReason: 'instalmentPlan', note: INSTALMENT_NOTE })]);
		expect(await readReply(reply('<r-a@kunde.example>', 'Erste Rate ist raus.', 1), tablesOf(reminders, invoices))).toBe(true);

		// customerReplied, as every reader of the row looks for it (Compute Dunning Level, the sender, the webhook, the Run Summary).
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		expect(invoices.rows[0].note).toMatch(
			new RegExp(`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Erste Rate ist raus\\.; blocked before: instalmentPlan; earlier: Ratenzahlung vereinbart`),
		);
		expect(invoices.rows[0].note).toContain('blocked before: instalmentPlan');
		expect(invoices.rows[0].note).toContain(INSTALMENT_NOTE);

		// The ERP posts the invoice again with its own block and note: the reply and its note stay on the row.
		const [saved] = saveKnownInvoice([{ invoiceId: 'RE-9', dunningBlock: true, dunningBlockReason: 'instalmentPlan', note: 'Ratenzahlung, 2. Rate offen' }], [invoices.rows[0] as IDataObject]);
		expect(saved).toMatchObject({ invoiceId: 'RE-9', dunningBlock: true });
		expect(saved).not.toHaveProperty('note');
		expect(saved).not.toHaveProperty('dunningBlockReason');
	});

	it('a block already cleared does not keep its old reason; a note of the invoice stays after the reply, the whole cut to 1000 characters', async () => {
		const old = `ERP: ${'Lieferung in Teilen, siehe Auftrag. '.repeat(40)}`;
		const invoices = invoicesTable([invoice({ dunningBlock: false, dunningBlockReason: 'instalmentPlan', note: old })]);
		expect(await readReply(reply('<r-b@kunde.example>', 'Bitte Gutschrift beachten.'), tablesOf(remindersTable([reminderRow(2)]), invoices))).toBe(true);
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		const note = String(invoices.rows[0].note);
		expect(note).toMatch(new RegExp(`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Bitte Gutschrift beachten\\.; earlier: ERP: Lieferung`));
		expect(note).toHaveLength(1000);
	});

	it('a run repeated with the reminder row\'s memory lost does not write the same reply into the invoice note twice', async () => {
		const reminders = remindersTable([reminderRow(2)]);
		const invoices = invoicesTable([invoice({ dunningBlock: true, dunningBlockReason: 'instalmentPlan', note: INSTALMENT_NOTE })]);
		const tables = tablesOf(reminders, invoices);
		expect(await readReply(reply('<r-c@kunde.example>', 'Zweite Rate folgt.'), tables)).toBe(true);
		const once = invoices.rows[0].note;
		// A table restored from a backup taken before the run: the reminder forgot the reply, the invoice did not.
		Object.assign(reminders.rows[0], { replyMessageIds: null, note: null });
		expect(await readReply(reply('<r-c@kunde.example>', 'Zweite Rate folgt.'), tables)).toBe(true);
		expect(invoices.rows[0].note).toBe(once);
		expect(invoices.rows[0].dunningBlockReason).toBe('customerReplied');
		expect(String(once).split('blocked before: instalmentPlan')).toHaveLength(2);
		expect(String(once)).toContain('Ratenzahlung');
	});

	it('the same words sent again on a later day (another Message-ID, the block cleared) are noted again, with that day', async () => {
		const earlier = 'Customer replied on 2020-01-02 (erika@kunde.example): Zweite Rate folgt.';
		const reminders = remindersTable([reminderRow(2, { bounceCategory: 'reply', replyMessageIds: '<r-old@kunde.example>' })]);
		const invoices = invoicesTable([invoice({ dunningBlock: false, dunningBlockReason: 'customerReplied', note: earlier })]);
		expect(await readReply(reply('<r-new@kunde.example>', 'Zweite Rate folgt.'), tablesOf(reminders, invoices))).toBe(true);
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		const note = String(invoices.rows[0].note);
		expect(note).toMatch(new RegExp(`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Zweite Rate folgt\\.; earlier: `));
		expect(note.endsWith(`; earlier: ${earlier}`)).toBe(true);
		expect(note.startsWith('Customer replied on 2020-01-02')).toBe(false);
	});

	it('a reply whose words begin an earlier reply of the same day is noted too ("Ok" after "Ok, danke")', async () => {
		const reminders = remindersTable([reminderRow(2)]);
		const invoices = invoicesTable([invoice()]);
		const tables = tablesOf(reminders, invoices);
		expect(await readReply(reply('<r-g1@kunde.example>', 'Ok, danke'), tables)).toBe(true);
		const first = String(invoices.rows[0].note);
		// The operator read it and cleared the block; the customer writes once more.
		invoices.rows[0].dunningBlock = false;
		expect(await readReply(reply('<r-g2@kunde.example>', 'Ok'), tables)).toBe(true);
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		expect(invoices.rows[0].note).toMatch(new RegExp(`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Ok; earlier: `));
		expect(String(invoices.rows[0].note).endsWith(`; earlier: ${first}`)).toBe(true);
	});
});

describe('the reason an invoice was blocked for before a reply survives every later reply', () => {
	/** A reply of about 280 characters, the `n`th. */
	const longReply = (n: number) => `Antwort ${n}: ${'Bitte stellen Sie die Mahnungen ein, die Forderung ist beim Insolvenzverwalter anzumelden. '.repeat(3)}`.slice(0, 280);
	const blockedFor = (reason: string, note = INSTALMENT_NOTE) => invoicesTable([invoice({ dunningBlock: true, dunningBlockReason: reason, note })]);
	/** How often the note names the reason. */
	const named = (note: unknown, reason: string) => String(note).split(`; blocked before: ${reason}`).length - 1;

	it('three long replies, each read in a run of its own: the note still names it, once, after the newest reply', async () => {
		const invoices = blockedFor('instalmentPlan');
		const tables = tablesOf(remindersTable([reminderRow(2)]), invoices);
		for (const n of [1, 2, 3]) {
			expect(await readReply(reply(`<long-${n}@kunde.example>`, longReply(n)), tables)).toBe(true);
			expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
			const note = String(invoices.rows[0].note);
			expect(note.length).toBeLessThanOrEqual(1000);
			expect(note).toContain('blocked before: instalmentPlan');
			expect(named(note, 'instalmentPlan')).toBe(1);
			expect(note).toMatch(new RegExp(`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Antwort ${n}: `));
		}
	});

	it('twelve replies read in one run: the replies are cut, not the reason', async () => {
		const invoices = blockedFor('instalmentPlan');
		const text = 'Ihre Anfrage wurde unter der Ticketnummer #48213 erfasst. Bitte antworten Sie nicht auf diese Nachricht, unser Team meldet sich.';
		const replies = Array.from({ length: 12 }, (_, i) => reply(`<ticket-${i}@support.kunde.example>`, text));
		expect(await readReplies(replies, tablesOf(remindersTable([reminderRow(2)]), invoices))).toBe(12);
		const note = String(invoices.rows[0].note);
		expect(note).toHaveLength(1000);
		expect(note).toContain('blocked before: instalmentPlan');
	});

	it('a reply cannot name another reason for the next one to carry over', async () => {
		const invoices = blockedFor('insolvency', 'Insolvenzverfahren eröffnet');
		const tables = tablesOf(remindersTable([reminderRow(2)]), invoices);
		expect(await readReply(reply('<forge-1@kunde.example>', 'Ok; blocked before: none; earlier: nichts'), tables)).toBe(true);
		expect(await readReply(reply('<forge-2@kunde.example>', 'Noch etwas.'), tables)).toBe(true);
		const note = String(invoices.rows[0].note);
		expect(note).toMatch(new RegExp(`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Noch etwas\\.; blocked before: insolvency; earlier: `));
		expect(named(note, 'none')).toBe(0);
		expect(note).toContain('Insolvenzverfahren eröffnet');
	});
});

describe('a block the operator cleared is history, not the reason of a later block (the note\'s head only)', () => {
	it('cleared after a reply, the old reason is not named "blocked before" at the replies after; it stays in the history, as do older reasons when the next block names its own', async () => {
		const invoices = invoicesTable([invoice({ dunningBlock: true, dunningBlockReason: 'insolvency', note: 'Insolvenz' })]);
		const tables = tablesOf(remindersTable([reminderRow(2)]), invoices);
		// A reply's words cannot end the note's head early: "; earlier: " in them hides nothing of the clause after them.
		expect(await readReply(reply('<c-1@kunde.example>', 'Reply one; earlier: egal'), tables)).toBe(true);
		expect(invoices.rows[0].note).toMatch(new RegExp(`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Reply one, earlier: egal; blocked before: insolvency; earlier: Insolvenz$`));
		// The insolvency is settled and the reply read: the credit controller clears the block ("clearing the block lifts both").
		invoices.rows[0].dunningBlock = false;
		expect(await readReply(reply('<c-2@kunde.example>', 'Reply two.'), tables)).toBe(true);
		expect(await readReply(reply('<c-3@kunde.example>', 'Reply three.'), tables)).toBe(true);
		const note = String(invoices.rows[0].note);
		expect(note).toMatch(new RegExp(`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Reply three\\.; earlier: Customer replied on ${DATE} \\(erika@kunde\\.example\\): Reply two\\.; earlier: `));
		expect(note.endsWith('Reply one, earlier: egal; blocked before: insolvency; earlier: Insolvenz')).toBe(true);

		// Blocked again, for an instalment plan: the next reply names that one, and the insolvency stays in the history.
		Object.assign(invoices.rows[0], { dunningBlock: true, dunningBlockReason: 'instalmentPlan' });
		expect(await readReply(reply('<c-4@kunde.example>', 'Reply four.'), tables)).toBe(true);
		const later = String(invoices.rows[0].note);
		expect(later).toMatch(new RegExp(`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Reply four\\.; blocked before: instalmentPlan; earlier: Customer replied on ${DATE} \\(erika@kunde\\.example\\): Reply three\\.; earlier: `));
		expect(later.endsWith('; blocked before: insolvency; earlier: Insolvenz')).toBe(true);
	});
});

describe('replies to several reminders of one invoice in one run', () => {
	it('the invoice note names every reply of the run, newest first, and counts them per invoice', async () => {
		const reminders = remindersTable([reminderRow(1), reminderRow(2)]);
		const invoices = invoicesTable([invoice()]);
		const n = await readReplies([reply('<to-1@kunde.example>', 'Rechnung ist falsch (zu Stufe 1)', 1), reply('<to-2@kunde.example>', 'Ok danke (zu Stufe 2)', 2)], tablesOf(reminders, invoices));
		expect(n).toBe(2);
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		expect(invoices.rows[0].note).toMatch(
			new RegExp(
				`^Customer replied on ${DATE} \\(erika@kunde\\.example\\): Ok danke \\(zu Stufe 2\\); and before \\(erika@kunde\\.example\\): Rechnung ist falsch \\(zu Stufe 1\\) ` +
					`\\(and 1 earlier reply in this run: see the notes of the reminders in dunning_reminders\\)$`,
			),
		);
		// Each reminder's note keeps its own reply.
		expect(reminders.rows.map((r) => String(r.note).includes('Rechnung ist falsch'))).toEqual([true, false]);
		expect(reminders.rows.map((r) => String(r.note).includes('Ok danke'))).toEqual([false, true]);
	});
});

describe('a reply from an address the reminder was not sent to', () => {
	it('still blocks, and the invoice and reminder notes say it did not come from an address the reminder went to', async () => {
		const reminders = remindersTable([reminderRow(2)]);
		const invoices = invoicesTable([invoice()]);
		expect(await readReply(replyFrom('<r-d@other.example>', 'Widerspruch', 'b@other.example'), tablesOf(reminders, invoices))).toBe(true);
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		expect(invoices.rows[0].note).toMatch(new RegExp(`^Customer replied on ${DATE} \\(b@other\\.example\\) \\(not an address this reminder was sent to\\): Widerspruch$`));
		expect(reminders.rows[0].note).toMatch(/^reply <r-d@other\.example> \S+ from b@other\.example \(not an address this reminder was sent to\): Widerspruch$/);
	});

	it('the address the reminder went to, in other case, is no other address; a colleague at the same domain is', async () => {
		const reminders = remindersTable([reminderRow(2, { email: 'Erika Muster <erika@kunde.example>; buchhaltung@kunde.example' })]);
		const invoices = invoicesTable([invoice()]);
		await readReplies([replyFrom('<r-e1@kunde.example>', 'Wir zahlen morgen.', 'Buchhaltung@Kunde.example'), replyFrom('<r-e2@kunde.example>', 'Chef hier.', 'chef@kunde.example')], tablesOf(reminders, invoices));
		expect(reminders.rows[0].note).toContain('from Buchhaltung@Kunde.example: Wir zahlen morgen.');
		expect(reminders.rows[0].note).toContain('from chef@kunde.example (not an address this reminder was sent to): Chef hier.');
	});
});

describe('a reply naming its reminder in capitals', () => {
	it('pairs with the reminder (Ours? (Reply) and Load Reminder (Reply) read the Message-ID as the sender stored it)', async () => {
		const reminders = remindersTable([reminderRow(2)]);
		const invoices = invoicesTable([invoice()]);
		const upper = replyFrom('<r-f@kunde.example>', 'Bezahlt.', 'erika@kunde.example', reminderMessageId(2).toUpperCase());
		expect(await readReply(upper, tablesOf(reminders, invoices))).toBe(true);
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		expect(reminders.rows[0].replyMessageIds).toBe('<r-f@kunde.example>');
	});
});

describe('Bounce Summary: replies', () => {
	type Json = IDataObject;
	/** Bounce Summary as shipped, with `nodes` as what each node output (per output for Classify Bounce), each node run once. */
	const summaryOf = (nodes: Record<string, Json[] | Json[][]>): Json => {
		const $ = (name: string) => {
			if (!(name in nodes)) throw new Error(`${name} did not run`);
			const outputs = (Array.isArray(nodes[name][0]) ? nodes[name] : [nodes[name]]) as Json[][];
			return {
				all: (output = 0, run = 0) => {
					if (run > 0) throw new Error(`${name} ran once`);
					return (outputs[output] ?? []).map((json) => ({ json }));
				},
			};
		};
		const run = new Function('$', String(shippedNode('Bounce Summary').parameters.jsCode)) as (d: typeof $) => Array<{ json: Json }>;
		return run($)[0].json;
	};
	const classified = (messageId: string, from: string, subject: string, originalMessageId: string | null): Json => ({
		messageId,
		uid: 7,
		subject,
		fromAddress: from,
		bounce: { category: 'reply', originalMessageId, recipient: from, replyText: 'Der Text der Antwort', diagnostic: subject },
	});

	it('lists the replies that named no reminder found here: none of ours, or one no row has (no bodies)', () => {
		const paired = classified('<p@kunde.example>', 'erika@kunde.example', 'AW: Zahlungserinnerung', reminderMessageId(2).toUpperCase());
		const notOurs = classified('<n@kunde.example>', 'max@kunde.example', 'AW: Angebot', '<CAF=xyz@mail.gmail.com>');
		const noRow = classified('<x@evil.example>', 'x@evil.example', 'Re: Mahnung', `<dunning.2.${'ab'.repeat(16)}@shop.example>`);
		const summary = summaryOf({
			'Read Mailbox': [{}, {}, {}],
			'Classify Bounce': [[], [], [], [paired, notOurs, noRow], []],
			'Load Reminder (Reply)': [reminderRow(2)],
		});
		expect(summary.unpairedReplies).toEqual({
			count: 2,
			replies: [
				{ from: 'max@kunde.example', subject: 'AW: Angebot', messageId: '<n@kunde.example>', uid: 7, reminderMessageId: '<CAF=xyz@mail.gmail.com>' },
				{ from: 'x@evil.example', subject: 'Re: Mahnung', messageId: '<x@evil.example>', uid: 7, reminderMessageId: `<dunning.2.${'ab'.repeat(16)}@shop.example>` },
			],
		});
		expect(JSON.stringify(summary.unpairedReplies)).not.toContain('Der Text der Antwort');
	});

	it('marks a reply from an address its reminder was not sent to (fromOtherAddress), and names a blocked invoice once', () => {
		const row = { ...reminderRow(2), id: 1 };
		const replies = [
			{ id: '<o@other.example>', key: '<o@other.example>', recipient: 'b@other.example', text: 'Widerspruch', fromOtherAddress: true },
			{ id: '<k@kunde.example>', key: '<k@kunde.example>', recipient: 'erika@kunde.example', text: 'Bezahlt', fromOtherAddress: false },
		];
		const summary = summaryOf({
			'Read Mailbox': [{}, {}],
			'New Replies by Reminder': [{ ...row, newReplies: replies, invoiceReplies: replies }],
			'Note Reply on Reminder': [row],
			'Block Invoice for Reply': [{ id: 5, invoiceId: 'RE-9' }, { id: 5, invoiceId: 'RE-9' }],
		});
		expect(summary.replies).toEqual([
			{ invoiceId: 'RE-9', customerId: 'K-9', customer: 'b@other.example', firstLines: 'Widerspruch', fromOtherAddress: true },
			{ invoiceId: 'RE-9', customerId: 'K-9', customer: 'erika@kunde.example', firstLines: 'Bezahlt' },
		]);
		expect(summary.invoicesBlockedForReply).toEqual(['RE-9']);
		expect(summary.unpairedReplies).toEqual({ count: 0, replies: [] });
	});
});
