/**
 * Bounce processing acts on a customer's reply once (a dunning block on the invoice) and remembers
 * the reply's Message-ID on the reminder row, so that the same reply read again (a run that failed
 * before Confirm Read Position, a manual run) does not block the invoice again after the operator
 * cleared it. The Data Table steps of the shipped bounce-processing.json run against in-memory
 * tables (bounce-tables.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { invoicesTable, readReplies, readReply, reminderRow, remindersTable, reply } from './bounce-tables';

/** A long reply, as customers write them (the note keeps its first 300 characters). */
const longText = (n: number) => `Antwort ${n}: ` + 'Wir haben die Rechnung geprüft und bitten um Rückruf wegen der Positionen. '.repeat(6);

describe('bounce processing remembers the replies it acted on (replyMessageIds)', () => {
	it('a reply read again after several long replies to the same reminder does not block the invoice again', async () => {
		const reminders = remindersTable([reminderRow(2)]);
		const invoices = invoicesTable([{ invoiceId: 'RE-9', customerId: 'K-9', email: 'erika@kunde.example', currentLevel: 2, dunningBlock: false }]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		const first = '<first-reply-1@kunde.example>';

		expect(await readReply(reply(first, longText(1)), tables)).toBe(true);
		// The customer writes four more long replies; each time the operator reads and clears the block.
		for (let n = 2; n <= 5; n++) {
			Object.assign(invoices.rows[0], { dunningBlock: false });
			expect(await readReply(reply(`<reply-${n}@kunde.example>`, longText(n)), tables)).toBe(true);
		}
		// The note is prose for a person, cut to its length: the first reply's entry is gone from it.
		expect(String(reminders.rows[0].note).length).toBeLessThanOrEqual(1000);
		expect(reminders.rows[0].note).not.toContain(first);
		Object.assign(invoices.rows[0], { dunningBlock: false });

		// A manual run reads the mailbox again: none of the five blocks the invoice once more.
		expect(await readReply(reply(first, longText(1)), tables)).toBe(false);
		for (let n = 2; n <= 5; n++) expect(await readReply(reply(`<reply-${n}@kunde.example>`, longText(n)), tables)).toBe(false);
		expect(invoices.rows[0].dunningBlock).toBe(false);
	});

	it('keeps each ID once, newest first, within 2000 characters; a reply noted by an older version (in the note only) counts as read', async () => {
		const reminders = remindersTable([
			reminderRow(2, { note: 'reply <old-version@kunde.example> 2099-01-02T10:00:00.000+01:00 from erika@kunde.example: Bitte anrufen.' }),
		]);
		const invoices = invoicesTable([{ invoiceId: 'RE-9', customerId: 'K-9', currentLevel: 2, dunningBlock: false }]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		expect(await readReply(reply('<old-version@kunde.example>', 'Bitte anrufen.'), tables)).toBe(false);

		expect(await readReply(reply('<a@kunde.example>', 'eins'), tables)).toBe(true);
		expect(await readReply(reply('<b@kunde.example>', 'zwei'), tables)).toBe(true);
		expect(reminders.rows[0].replyMessageIds).toBe('<b@kunde.example> <a@kunde.example>');
		// Without a Message-ID: its place in the mailbox, without blanks.
		expect(await readReply({ ...reply('', 'drei'), uid: 12 }, tables)).toBe(true);
		expect(reminders.rows[0].replyMessageIds).toBe('UID1/12 <b@kunde.example> <a@kunde.example>');
		expect(await readReply({ ...reply('', 'drei'), uid: 12 }, tables)).toBe(false);

		// Many replies: the oldest IDs go once the list would pass 2000 characters, the newest stay.
		for (let n = 0; n < 40; n++) await readReply(reply(`<many-${n}-${'x'.repeat(40)}@kunde.example>`, 'mehr'), tables);
		const ids = String(reminders.rows[0].replyMessageIds);
		expect(ids.length).toBeLessThanOrEqual(2000);
		expect(ids.split(' ')[0]).toBe(`<many-39-${'x'.repeat(40)}@kunde.example>`);
		expect(new Set(ids.split(' ')).size).toBe(ids.split(' ').length);
	});

	it('two replies to the same reminder read in one run both count: both IDs and both entries are written, and neither blocks again once cleared', async () => {
		const reminders = remindersTable([reminderRow(2)]);
		const invoices = invoicesTable([{ invoiceId: 'RE-9', customerId: 'K-9', email: 'erika@kunde.example', currentLevel: 2, dunningBlock: false }]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		const first = reply('<r1@kunde.example>', 'Erste Antwort');
		const second = reply('<r2@kunde.example>', 'Nachtrag mit Anhang');

		// The same message twice in the mailbox (two copies) is one reply.
		expect(await readReplies([first, second, { ...first, uid: 8 }], tables)).toBe(2);
		expect(reminders.rows[0].replyMessageIds).toBe('<r2@kunde.example> <r1@kunde.example>');
		// Newest first, as two runs would have written it.
		expect(reminders.rows[0].note).toMatch(/^reply <r2@kunde\.example> \S+ from erika@kunde\.example: Nachtrag mit Anhang; earlier: reply <r1@kunde\.example> \S+ from erika@kunde\.example: Erste Antwort$/);
		// The invoice names both replies, newest first, and that there was one more.
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		expect(invoices.rows[0].note).toMatch(
			/^Customer replied on \d{4}-\d\d-\d\d \(erika@kunde\.example\): Nachtrag mit Anhang; and before \(erika@kunde\.example\): Erste Antwort \(and 1 earlier reply in this run: see the notes of the reminders in dunning_reminders\)$/,
		);

		// The operator reads both and clears the block; a manual run reads the mailbox again.
		Object.assign(invoices.rows[0], { dunningBlock: false });
		expect(await readReplies([first, second], tables)).toBe(0);
		expect(await readReply(first, tables)).toBe(false);
		expect(invoices.rows[0].dunningBlock).toBe(false);
	});

	it('three long replies to the same reminder in one run share the note: each entry keeps a readable start of its text', async () => {
		const reminders = remindersTable([reminderRow(2)]);
		const invoices = invoicesTable([{ invoiceId: 'RE-9', customerId: 'K-9', email: 'erika@kunde.example', currentLevel: 2, dunningBlock: false }]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		const ids = [1, 2, 3].map((n) => `<long-reply-${n}-0123456789abcdef@mail.kunde.example>`);
		expect(await readReplies(ids.map((id, n) => reply(id, longText(n + 1))), tables)).toBe(3);

		const note = String(reminders.rows[0].note);
		expect(note.length).toBeLessThanOrEqual(1000);
		const entries = note.split('; earlier: ');
		// Newest first; each names its reply and keeps at least 80 characters of its text (the oldest was cut to 16).
		expect(entries.map((e) => e.split(' ')[1])).toEqual([...ids].reverse());
		entries.forEach((entry, i) => expect(entry).toContain(`erika@kunde.example: ${longText(3 - i).slice(0, 80)}`));
		expect(reminders.rows[0].replyMessageIds).toBe([...ids].reverse().join(' '));
	});

	it('replies to two reminders in one run are each noted on their own reminder', async () => {
		const reminders = remindersTable([reminderRow(1), reminderRow(2)]);
		const invoices = invoicesTable([{ invoiceId: 'RE-9', customerId: 'K-9', currentLevel: 2, dunningBlock: false }]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		expect(await readReplies([reply('<to-1@kunde.example>', 'zu Stufe 1', 1), reply('<to-2@kunde.example>', 'zu Stufe 2', 2)], tables)).toBe(2);
		expect(reminders.rows.map((r) => r.replyMessageIds)).toEqual(['<to-1@kunde.example>', '<to-2@kunde.example>']);
	});

	it('a reply without Message-ID is not taken for read because an older version\'s note names another reply whose place starts the same (UID 1/123)', async () => {
		const note = 'reply UID 1/123 2099-01-02T10:00:00.000+01:00 from erika@kunde.example: Bitte anrufen.';
		const invoices = invoicesTable([{ invoiceId: 'RE-9', customerId: 'K-9', currentLevel: 2, dunningBlock: false }]);
		const withoutId = (uid: number, text: string): IDataObject => ({ ...reply('', text), uid });
		// UID 1/123 itself, noted by the older version: read.
		expect(await readReply(withoutId(123, 'Bitte anrufen.'), { dunning_reminders: remindersTable([reminderRow(2, { note })]), dunning_invoices: invoices })).toBe(false);
		// UID 1/12, another reply: new.
		const reminders = remindersTable([reminderRow(2, { note })]);
		expect(await readReply(withoutId(12, 'Noch eine Frage.'), { dunning_reminders: reminders, dunning_invoices: invoices })).toBe(true);
		expect(reminders.rows[0].replyMessageIds).toBe('UID1/12');
	});
});
