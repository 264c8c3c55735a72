/**
 * Bounce processing acts on a customer's reply once (a dunning block on the invoice) and remembers
 * the reply's Message-ID on the reminder row, so that the same reply read again (a run that failed
 * before Confirm Read Position, a manual run) does not block the invoice again after the operator
 * cleared it. The Data Table steps of the shipped bounce-processing.json run against in-memory
 * tables (bounce-tables.ts).
 */
import type { DataTableRow, IDataObject } from 'n8n-workflow';

import { follow, invoicesTable, remindersTable, resolveParameters, type Path, type Table } from './bounce-tables';

const MID = '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>';
const SETTINGS: Path = [['Settings', { mailbox: 'default', ownDomains: '' }]];

const reminderRow = (over: DataTableRow = {}): DataTableRow => ({
	reminderKey: 'RE-9#2#email',
	invoiceId: 'RE-9',
	customerId: 'K-9',
	email: 'erika@kunde.example',
	level: 2,
	previousLevel: 1,
	previousLastDunnedAt: '2099-01-01',
	status: 'sent',
	messageId: MID,
	mailbox: 'default',
	...over,
});

const reply = (messageId: string, text: string): IDataObject => ({
	messageId,
	uid: 7,
	uidValidity: '1',
	bounce: { category: 'reply', originalMessageId: MID, recipient: 'erika@kunde.example', replyText: text },
});

/** Ours? (Reply) → Load Reminder (Reply) → New Reply? → Note Reply on Reminder → Block Invoice for Reply; true when it was new. */
async function readReply(item: IDataObject, tables: Record<string, Table>): Promise<boolean> {
	const before: Path = [...SETTINGS, ['Ours? (Reply)', item]];
	let noted = false;
	for (const r of (await follow('Ours? (Reply)', item, tables, SETTINGS)).filter((x) => x.node === 'New Reply?')) {
		const path: Path = [...before, ['Load Reminder (Reply)', r.json]];
		const filter = (await resolveParameters('New Reply?', path)) as unknown as { conditions: { conditions: Array<{ leftValue: boolean }> } };
		if (!filter.conditions.conditions[0].leftValue) continue;
		await follow('New Reply?', r.json, tables, path);
		noted = true;
	}
	return noted;
}

/** A long reply, as customers write them (the note keeps its first 300 characters). */
const longText = (n: number) => `Antwort ${n}: ` + 'Wir haben die Rechnung geprüft und bitten um Rückruf wegen der Positionen. '.repeat(6);

describe('bounce processing remembers the replies it acted on (replyMessageIds)', () => {
	it('a reply read again after several long replies to the same reminder does not block the invoice again', async () => {
		const reminders = remindersTable([reminderRow()]);
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
			reminderRow({ note: 'reply <old-version@kunde.example> 2099-01-02T10:00:00.000+01:00 from erika@kunde.example: Bitte anrufen.' }),
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
});
