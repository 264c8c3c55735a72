/**
 * Bounce processing (bounce-processing.json) on reminder rows: copies for several mailboxes reading
 * one inbox (a shared forwarding target, aliases of one account) each act only on their own
 * mailbox's reminders; and a later delay notice or auto-reply keeps the reminder's earlier note
 * (the address to remove from the invoice). The shipped Data Table steps run against in-memory
 * tables (bounce-tables.ts).
 */
import type { DataTableFilter, DataTableRow, IDataObject } from 'n8n-workflow';

import { reminderMessageId } from '../../lib/mail/message';
import { BOUNCE_PROCESSING, follow, remindersTable, resolveParameters, type Path } from './bounce-tables';

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

describe('bounce processing, copies for two mailboxes reading one inbox (bounce-processing.json)', () => {
	test("a DMARC refusal of shop2's reminder, read by shop1's copy, marks nothing, counts nothing and is left for shop2's copy", async () => {
		const reminders = remindersTable([row('shop2', 'S2-100', SHOP2_ID)]);
		const shop1 = await follow('Ours? (Sender Problem)', dmarc(SHOP2_ID), { dunning_reminders: reminders }, settings('shop1'));
		// Neither judged (Reached Another Address → Mark Sender Refusal → Record Sender Refusals) nor moved away.
		expect(shop1).toEqual([]);
		expect(reminders.rows[0]).toMatchObject({ status: 'sent', bounceCategory: '' });

		const shop2 = await follow('Ours? (Sender Problem)', dmarc(SHOP2_ID), { dunning_reminders: reminders }, settings('shop2'));
		expect(shop2.map((r) => r.node).sort()).toEqual(['Move Bounce', 'Reached Another Address (Sender)']);
		expect(shop2.find((r) => r.node === 'Reached Another Address (Sender)')?.json).toMatchObject({ invoiceId: 'S2-100', mailbox: 'shop2' });
	});

	/** Every node that finds a reminder row by the report's Message-ID, but the check whether any mailbox has it. */
	const byMessageId = BOUNCE_PROCESSING.nodes.filter((n) => {
		const p = n.parameters as { dataTableId?: { value?: string }; filters?: { conditions?: Array<{ keyName: string }> } };
		return p.dataTableId?.value === 'dunning_reminders' && (p.filters?.conditions ?? []).some((c) => c.keyName === 'messageId') && n.name !== 'Reminder of No Mailbox?';
	});

	test.each(byMessageId.map((n) => n.name))("%s finds only the reminder of this copy's mailbox (empty = default)", async (name) => {
		const reminders = remindersTable([row('shop2', 'S2-100', SHOP2_ID), row('default', 'D-100', SHOP1_ID)]);
		const found = async (mailbox: string, messageId: string) => {
			const p = await resolveParameters(name, [...settings(mailbox), ['Input', { ...bounce('addressDead', messageId), note: '' }]]);
			const filter: DataTableFilter = {
				type: p.matchType === 'allConditions' ? 'and' : 'or',
				filters: (p.filters?.conditions ?? []).map((c) => ({ columnName: c.keyName, condition: (c.condition ?? 'eq') as 'eq', value: c.keyValue as string })),
			};
			return (await reminders.service().getManyRowsAndCount({ filter } as never)).data.map((r) => r.invoiceId);
		};
		expect(await found('shop1', SHOP2_ID)).toEqual([]);
		expect(await found('shop2', SHOP2_ID)).toEqual(['S2-100']);
		expect(await found('', SHOP1_ID)).toEqual(['D-100']);
		expect(await found('default', SHOP1_ID)).toEqual(['D-100']);
	});

	test.each([
		['Ours? (Not Delivered)', 'addressDead'],
		['Ours? (Sender Problem)', 'senderRejected'],
		['Delayed? (Ours)', 'delayed'],
	])('%s: Move Bounce takes reports of this mailbox\'s reminders and of no reminder, not those of another mailbox', async (from, category) => {
		const tables = () => ({ dunning_reminders: remindersTable([row('shop1', 'S1-100', SHOP1_ID), row('shop2', 'S2-100', SHOP2_ID)]) });
		const moved = async (messageId: string) => (await follow(from, bounce(category, messageId), tables(), settings('shop1'))).filter((r) => r.node === 'Move Bounce').length;
		expect(await moved(SHOP1_ID)).toBe(1);
		expect(await moved(SHOP2_ID)).toBe(0);
		// A report about no reminder at all is moved as before (by whichever copy reads it first).
		expect(await moved(NOBODYS_ID)).toBe(1);
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
