/**
 * A customer's reply is acted on first and remembered last: Block Invoice for Reply writes the
 * dunning block before Note Reply on Reminder writes the reply's Message-ID (replyMessageIds, which
 * makes the reply count as read). A run that stops between the two writes (n8n restarted, a table
 * error) must block the invoice on the next run, and an invoice without a row must not keep the
 * reply from being noted. The Data Table steps of the shipped bounce-processing.json run against
 * in-memory tables (bounce-tables.ts), in n8n's order (followAll).
 */
import type { DataTableRow } from 'n8n-workflow';

import { invoicesTable, readReplies, readReply, reminderRow, remindersTable, reply, type Table } from './bounce-tables';

const ERP_NOTE = 'ERP: Teillieferung offen';
const tablesOf = (reminders: Table, invoices: Table): Record<string, Table> => ({ dunning_reminders: reminders, dunning_invoices: invoices });
const invoice = (over: DataTableRow = {}): DataTableRow => ({ invoiceId: 'RE-9', customerId: 'K-9', email: 'erika@kunde.example', currentLevel: 2, dunningBlock: false, note: ERP_NOTE, ...over });
const count = (text: unknown, part: string): number => String(text ?? '').split(part).length - 1;

describe('a reply blocks the invoice before it is remembered on the reminder', () => {
	it('writes the block first and the reply\'s Message-ID last', async () => {
		const writes: string[] = [];
		const tables = tablesOf(remindersTable([reminderRow(2)]), invoicesTable([invoice()]));
		expect(await readReply(reply('<r-1@kunde.example>', 'Bitte Rückruf.'), tables, { beforeWrite: (name) => writes.push(name) })).toBe(true);
		expect(writes).toEqual(['Block Invoice for Reply', 'Note Reply on Reminder']);
	});

	it.each([1, 2])('a run that stops at its write %i blocks the invoice on the next run, the reply in the invoice note once', async (failing) => {
		const reminders = remindersTable([reminderRow(2)]);
		const invoices = invoicesTable([invoice()]);
		const tables = tablesOf(reminders, invoices);
		const answer = reply('<r-2@kunde.example>', 'Die Rechnung ist bereits bezahlt.');
		let writes = 0;
		const restart = {
			beforeWrite: () => {
				if (++writes === failing) throw new Error('n8n restarted');
			},
		};
		await expect(readReply(answer, tables, restart)).rejects.toThrow('n8n restarted');
		// Never remembered without the block: the reply is unread still.
		expect(reminders.rows[0].replyMessageIds ?? null).toBeNull();

		// The next run reads the same message again (Confirm Read Position was not reached).
		expect(await readReply(answer, tables)).toBe(true);
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		// A block written by the failed run is written again, its note kept as it was.
		expect(count(invoices.rows[0].note, 'Die Rechnung ist bereits bezahlt.')).toBe(1);
		expect(count(invoices.rows[0].note, 'Customer replied on ')).toBe(1);
		expect(String(invoices.rows[0].note)).toMatch(/; earlier: ERP: Teillieferung offen$/);
		expect(reminders.rows[0].replyMessageIds).toBe('<r-2@kunde.example>');
		expect(count(reminders.rows[0].note, 'reply <r-2@kunde.example> ')).toBe(1);

		// Remembered now: read once more after the operator cleared the block, it changes nothing.
		Object.assign(invoices.rows[0], { dunningBlock: false });
		expect(await readReply(answer, tables)).toBe(false);
		expect(invoices.rows[0].dunningBlock).toBe(false);
	});
});

describe('a reply whose invoice has no row in dunning_invoices', () => {
	it('is still noted on its reminder (replyMessageIds and note), and counts as read next time', async () => {
		const reminders = remindersTable([reminderRow(2)]);
		const tables = tablesOf(reminders, invoicesTable([]));
		const answer = reply('<r-3@kunde.example>', 'Wir haben das schon erledigt.');
		expect(await readReply(answer, tables)).toBe(true);
		expect(reminders.rows[0]).toMatchObject({ bounceCategory: 'reply', replyMessageIds: '<r-3@kunde.example>' });
		expect(reminders.rows[0].note).toMatch(/^reply <r-3@kunde\.example> \S+ from erika@kunde\.example: Wir haben das schon erledigt\.$/);
		expect(await readReply(answer, tables)).toBe(false);
	});

	it('is noted beside a reply of the same run whose invoice has a row, which is blocked', async () => {
		const reminders = remindersTable([reminderRow(1, { invoiceId: 'RE-8', reminderKey: 'RE-8#1#email' }), reminderRow(2)]);
		const invoices = invoicesTable([invoice()]);
		const n = await readReplies([reply('<r-4@kunde.example>', 'Zu RE-8', 1), reply('<r-5@kunde.example>', 'Zu RE-9', 2)], tablesOf(reminders, invoices));
		expect(n).toBe(2);
		expect(reminders.rows.map((r) => r.replyMessageIds)).toEqual(['<r-4@kunde.example>', '<r-5@kunde.example>']);
		expect(invoices.rows).toHaveLength(1);
		expect(invoices.rows[0]).toMatchObject({ invoiceId: 'RE-9', dunningBlock: true, dunningBlockReason: 'customerReplied' });
		expect(invoices.rows[0].note).toContain('Zu RE-9');
		expect(invoices.rows[0].note).not.toContain('Zu RE-8');
	});
});
