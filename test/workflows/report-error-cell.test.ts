/**
 * A report's diagnostic in dunning_reminders.error: the remote server's text, which anyone can put
 * in a report naming one of our Message-IDs, must not start a cell as a formula when the table is
 * exported to CSV or a spreadsheet (OWASP, CSV injection). Mark Reminder Not Delivered and Mark
 * Sender Refusal of the shipped bounce-processing.json run against in-memory tables (bounce-tables.ts).
 */
import { applyDataTableNode, invoicesTable, reminderMessageId, reminderRow, remindersTable, SETTINGS } from './bounce-tables';

/** The error cell `node` writes for a report with `diagnostic` about the level-2 reminder. */
async function errorCell(node: 'Mark Reminder Not Delivered' | 'Mark Sender Refusal', diagnostic: string): Promise<unknown> {
	const category = node === 'Mark Sender Refusal' ? 'senderRejected' : 'recipientRefused';
	const bounce = { category, reason: 'filtered', status: '5.7.1', recipient: 'erika@kunde.example', originalMessageId: reminderMessageId(2), diagnostic };
	const before = node === 'Mark Sender Refusal' ? 'Refused Elsewhere?' : 'Complaint?';
	const tables = { dunning_reminders: remindersTable([reminderRow(2)]), dunning_invoices: invoicesTable([]) };
	const [row] = await applyDataTableNode(node, [...SETTINGS, [before, { bounce, elsewhere: false, note: '' }]], tables);
	return row?.error;
}

describe('a diagnostic that would start a formula is written as text', () => {
	test.each(['=HYPERLINK("https://evil.example","x")', '+1+cmd', '-2+3', '@SUM(1+1)', '\t=1+1', '\r=1+1'])('Mark Reminder Not Delivered: %j gets a leading apostrophe', async (diagnostic) => {
		const error = String(await errorCell('Mark Reminder Not Delivered', diagnostic));
		expect(error.startsWith(diagnostic[0])).toBe(false);
		expect(error).toBe(`'${diagnostic}`);
	});

	test('Mark Sender Refusal: the same', async () => {
		expect(await errorCell('Mark Sender Refusal', '=HYPERLINK("https://evil.example","x")')).toBe(`'=HYPERLINK("https://evil.example","x")`);
	});

	test('an ordinary diagnostic stays as it is, cut to 500 characters; none is an empty cell', async () => {
		expect(await errorCell('Mark Reminder Not Delivered', '552 5.2.2 mailbox full =1+1')).toBe('552 5.2.2 mailbox full =1+1');
		expect(await errorCell('Mark Reminder Not Delivered', `550 ${'x'.repeat(600)}`)).toHaveLength(500);
		expect(await errorCell('Mark Reminder Not Delivered', '')).toBe('');
	});
});
