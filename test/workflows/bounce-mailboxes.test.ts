/**
 * Bounce processing (bounce-processing.json) on reminder rows: every copy acts on the reports of any
 * of our reminders, whichever mailbox sent them (one copy may serve several sender mailboxes, and no
 * bounce is lost), but a refusal of our sender counts for mailbox health only when the reminder was
 * sent from the copy's own mailbox (Refusal of This Mailbox?); and a later delay notice or auto-reply
 * keeps the reminder's earlier note (the address to remove from the invoice). The shipped Data Table
 * steps run against in-memory tables (bounce-tables.ts).
 */
import type { DataTableFilter, DataTableRow, IDataObject } from 'n8n-workflow';

import { reminderMessageId } from '../../lib/mail/message';
import { columnCheckNode } from '../../scripts/workflows/parameters';
import { applyDataTableNode, BOUNCE_PROCESSING, follow, invoicesTable, remindersTable, resolveParameters, type Path } from './bounce-tables';

const SHOP1_ID = reminderMessageId('mahnung@shop1.example', 'S1-100', 1);
const SHOP2_ID = reminderMessageId('mahnung@shop2.example', 'S2-100', 1);
const NOBODYS_ID = reminderMessageId('mahnung@shop1.example', 'S1-999', 1);

const row = (mailbox: string, invoiceId: string, messageId: string, more: DataTableRow = {}): DataTableRow => ({
	reminderKey: `${invoiceId}#1#email`,
	invoiceId,
	customerId: `K-${invoiceId}`,
	email: `kunde@${invoiceId.toLowerCase()}.example`,
	level: 1,
	previousLevel: 0,
	channel: 'email',
	status: 'sent',
	mailbox,
	messageId,
	sentAt: new Date(Date.now() - 3_600_000).toISOString(),
	bounceCategory: '',
	note: '',
	...more,
});
const settings = (mailbox: string): Path => [['Settings', { mailbox, ownDomains: '' }]];
const bounce = (category: string, originalMessageId: string, more: IDataObject = {}): IDataObject => ({
	bounce: { isBounce: true, category, final: category !== 'delayed', reason: 'userunknown', status: '5.1.1', recipient: 'kunde@s2-100.example', originalMessageId, ...more },
	uid: 7,
	folder: 'INBOX',
	internalDate: new Date(Date.now() - 600_000).toISOString(),
});
const dmarc = (id: string) => bounce('senderRejected', id, { reason: 'authfailure', status: '5.7.26', diagnostic: "not accepted due to domain's DMARC policy" });

/** The Filter `name`, with its expressions resolved after `path`, lets the item through (string equals and boolean true only). */
async function passes(name: string, path: Path): Promise<boolean> {
	const p = (await resolveParameters(name, path)) as unknown as {
		conditions: { combinator: string; conditions: Array<{ leftValue: unknown; rightValue: unknown; operator: { operation: string } }> };
	};
	const results = p.conditions.conditions.map((c) => {
		if (c.operator.operation === 'equals') return String(c.leftValue) === String(c.rightValue);
		if (c.operator.operation === 'true') return c.leftValue === true;
		throw new Error(`${name}: operation ${c.operator.operation} is not simulated`);
	});
	return p.conditions.combinator === 'or' ? results.some(Boolean) : results.every(Boolean);
}
const into = (name: string) =>
	Object.entries(BOUNCE_PROCESSING.connections)
		.filter(([, c]) => c.main.some((o) => (o ?? []).some((x) => x.node === name)))
		.map(([from]) => from);

describe('bounce processing, one copy and reminders of several mailboxes (bounce-processing.json)', () => {
	const invoice = (invoiceId: string): DataTableRow => ({ invoiceId, customerId: `K-${invoiceId}`, currentLevel: 1, lastDunnedAt: '2099-01-08', emailBlocked: false, dunningBlock: false });

	test("shop1's copy reading a DMARC refusal of shop2's reminder marks it not delivered, but does not count it for shop1", async () => {
		const reminders = remindersTable([row('shop2', 'S2-100', SHOP2_ID, { previousLastDunnedAt: '2099-01-01' })]);
		const invoices = invoicesTable([invoice('S2-100')]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		const report = dmarc(SHOP2_ID);

		// The reminder is found (Reached Another Address) and the report moved away, as for shop1's own.
		const found = await follow('Ours? (Sender Problem)', report, tables, settings('shop1'));
		expect(found.map((r) => r.node).sort()).toEqual(['Move Bounce', 'Reached Another Address (Sender)']);
		expect(found.find((r) => r.node === 'Reached Another Address (Sender)')?.json).toMatchObject({ invoiceId: 'S2-100', mailbox: 'shop2' });

		// Reached no other address, refused at the one it was sent to: Mark Sender Refusal.
		const before: Path = [...settings('shop1'), ['Ours? (Sender Problem)', report], ['Refused Elsewhere?', { ...report, reachedOthers: false, elsewhere: false, note: '' }]];
		const marked = await applyDataTableNode('Mark Sender Refusal', before, tables);
		expect(marked).toHaveLength(1);
		expect(reminders.rows[0]).toMatchObject({ status: 'notDelivered', bounceCategory: 'senderRejected', bounceReason: 'authfailure (5.7.26)' });
		const path: Path = [...before, ['Mark Sender Refusal', marked[0]]];
		const next = await follow('Mark Sender Refusal', marked[0], tables, before);
		// Level taken back and key given up as for any refusal; the count waits behind the filter.
		expect(invoices.rows[0]).toMatchObject({ currentLevel: 0, lastDunnedAt: '2099-01-01' });
		expect(reminders.rows[0].reminderKey).toMatch(/^S2-100#1#email\/notDelivered-\d+$/);
		expect(next.map((r) => r.node)).toEqual(['Refusal of This Mailbox?']);
		expect(await passes('Refusal of This Mailbox?', path)).toBe(false);
		// And the filter is the only way to the count: nothing of shop2's reaches Record Sender Refusals.
		expect(into('Refusal Report')).toEqual(['Refusal of This Mailbox?']);
		expect(into('Record Sender Refusals')).toEqual(['Refusal Report']);

		// The same refusal read by shop2's copy counts for shop2.
		expect(await passes('Refusal of This Mailbox?', [...settings('shop2'), ['Mark Sender Refusal', marked[0]]])).toBe(true);
	});

	test.each([
		['shop1', 'shop2', false],
		['shop1', '', false],
		['', 'shop1', false],
		['shop2', 'shop2', true],
		['', 'default', true],
		['default', '', true],
		['', '', true],
	])("a refusal counts for the copy whose Settings.mailbox is %p when the reminder's mailbox is %p: %p (empty = default)", async (mine, reminders, counts) => {
		const marked = row(reminders, 'S2-100', SHOP2_ID, { status: 'notDelivered' });
		expect(await passes('Refusal of This Mailbox?', [...settings(mine), ['Mark Sender Refusal', marked]])).toBe(counts);
	});

	/** Every node that finds a reminder row by the report's Message-ID (not the column check, which names every column). */
	const byMessageId = BOUNCE_PROCESSING.nodes.filter((n) => {
		const p = n.parameters as { dataTableId?: { value?: string }; filters?: { conditions?: Array<{ keyName: string }> } };
		if (n.name === columnCheckNode('dunning_reminders')) return false;
		return p.dataTableId?.value === 'dunning_reminders' && (p.filters?.conditions ?? []).some((c) => c.keyName === 'messageId');
	});

	test('the lookups by Message-ID are the ones expected (a new one must be added here)', () => {
		expect(byMessageId.map((n) => n.name).sort()).toEqual([
			'Load Reminder',
			'Load Reminder (Auto-Reply)',
			'Load Reminder (Delay)',
			'Load Reminder (Reply)',
			'Load Reminder (Sender)',
			'Mark Reminder Not Delivered',
			'Mark Sender Refusal',
			'Note Failed Address',
			'Note Failed Address (Sender)',
		]);
	});

	test.each(byMessageId.map((n) => n.name))("%s finds the reminder whichever mailbox sent it, whatever this copy's mailbox", async (name) => {
		const reminders = remindersTable([row('shop2', 'S2-100', SHOP2_ID), row('default', 'D-100', SHOP1_ID)]);
		const found = async (mailbox: string, messageId: string) => {
			const p = await resolveParameters(name, [...settings(mailbox), ['Input', { ...bounce('addressDead', messageId), note: '' }]]);
			const filter: DataTableFilter = {
				type: p.matchType === 'allConditions' ? 'and' : 'or',
				filters: (p.filters?.conditions ?? []).map((c) => ({ columnName: c.keyName, condition: (c.condition ?? 'eq') as 'eq', value: c.keyValue as string })),
			};
			return (await reminders.service().getManyRowsAndCount({ filter } as never)).data.map((r) => r.invoiceId);
		};
		expect(await found('shop1', SHOP2_ID)).toEqual(['S2-100']);
		expect(await found('shop2', SHOP2_ID)).toEqual(['S2-100']);
		expect(await found('shop1', SHOP1_ID)).toEqual(['D-100']);
		expect(await found('', SHOP1_ID)).toEqual(['D-100']);
	});

	test.each([
		['Ours? (Not Delivered)', 'addressDead'],
		['Ours? (Sender Problem)', 'senderRejected'],
		['Delayed? (Ours)', 'delayed'],
	])('%s: Move Bounce takes reports of any of our reminders, whichever mailbox sent them, and of no reminder', async (from, category) => {
		const tables = () => ({ dunning_reminders: remindersTable([row('shop1', 'S1-100', SHOP1_ID), row('shop2', 'S2-100', SHOP2_ID)]) });
		const moved = async (messageId: string) => (await follow(from, bounce(category, messageId), tables(), settings('shop1'))).filter((r) => r.node === 'Move Bounce').length;
		expect(await moved(SHOP1_ID)).toBe(1);
		expect(await moved(SHOP2_ID)).toBe(1);
		expect(await moved(NOBODYS_ID)).toBe(1);
		expect(into('Move Bounce').sort()).toEqual(['Delayed? (Ours)', 'Ours? (Not Delivered)', 'Ours? (Sender Problem)']);
	});
});

describe('bounce processing keeps a reminder\'s earlier note (bounce-processing.json)', () => {
	const failedNote =
		'address alt@kunde.example failed (userunknown 5.1.1, 2026-12-01T10:00:00.000+01:00); the reminder reached chef@kunde.example: remove the failed address from the invoice';
	const delayNotice = (status: string) => bounce('delayed', SHOP1_ID, { reason: 'expired', status, recipient: 'chef@kunde.example' });
	const autoReply = bounce('autoReply', SHOP1_ID, { reason: 'vacation', status: '', recipient: 'chef@kunde.example' });
	const TIME = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+[+-]\\d\\d:\\d\\d';

	test('delay notices and then an auto-reply about the reminder keep the note that asks to remove a failed address', async () => {
		const reminders = remindersTable([row('default', 'RE-5', SHOP1_ID, { email: 'alt@kunde.example, chef@kunde.example', note: failedNote })]);
		const tables = { dunning_reminders: reminders };
		const escaped = failedNote.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

		await follow('Delayed? (Ours)', delayNotice('4.4.1'), tables, settings(''));
		expect(reminders.rows[0].note).toMatch(new RegExp(`^delayed ${TIME}: expired \\(4\\.4\\.1\\), the server is still trying; earlier: ${escaped}$`));
		// A second notice (or the first read again) replaces the delay, not the note before it.
		await follow('Delayed? (Ours)', delayNotice('4.4.7'), tables, settings(''));
		expect(reminders.rows[0].note).toMatch(new RegExp(`^delayed ${TIME}: expired \\(4\\.4\\.7\\), the server is still trying; earlier: ${escaped}$`));

		await follow('Auto-Reply? (Ours)', autoReply, tables, settings(''));
		expect(reminders.rows[0]).toMatchObject({ status: 'delivered', bounceCategory: 'autoReply' });
		expect(reminders.rows[0].note).toMatch(new RegExp(`^auto-reply ${TIME}: the reminder arrived; earlier: ${escaped}$`));
	});

	test('a reminder without a note gets the notice alone, and a long note is cut to 1000 characters after it', async () => {
		const reminders = remindersTable([row('default', 'RE-6', SHOP1_ID), row('default', 'RE-7', SHOP2_ID, { note: 'x'.repeat(5000) })]);
		const tables = { dunning_reminders: reminders };
		await follow('Delayed? (Ours)', delayNotice('4.4.1'), tables, settings('default'));
		expect(reminders.rows[0].note).toMatch(new RegExp(`^delayed ${TIME}: expired \\(4\\.4\\.1\\), the server is still trying$`));
		await follow('Auto-Reply? (Ours)', bounce('autoReply', SHOP2_ID, { reason: 'vacation', status: '' }), tables, settings('default'));
		expect(reminders.rows[1].note).toMatch(new RegExp(`^auto-reply ${TIME}: the reminder arrived; earlier: x+$`));
		expect(String(reminders.rows[1].note)).toHaveLength(1000);
	});
});
