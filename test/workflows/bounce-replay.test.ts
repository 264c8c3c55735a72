/**
 * Bounce processing reads a run's messages again when the run failed before Confirm Read Position
 * (Read Mailbox "Save Position: At a Confirm Position Step"). Reading a report or a reply again must
 * repair what a stopped run left half done, and change nothing once it was done. The Data Table
 * steps of the shipped bounce-processing.json run against in-memory tables (bounce-tables.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataTableRow, IDataObject } from 'n8n-workflow';

import { memoryDataTable } from '../harness/data-tables';
import {
	applyDataTableNode,
	BOUNCE_PROCESSING,
	follow,
	invoicesTable,
	readReply,
	reminderMessageId,
	reminderRow,
	remindersTable,
	reply,
	SETTINGS,
	type Path,
} from './bounce-tables';

const MID = reminderMessageId(1);
/** The level-1 reminder, to the address the reports below name. */
const sentRow = (over: DataTableRow = {}): DataTableRow => reminderRow(1, { email: 'alt@kunde.example', ...over });
const invoiceRow = (over: DataTableRow = {}): DataTableRow => ({
	invoiceId: 'RE-9',
	customerId: 'K-9',
	email: 'alt@kunde.example',
	currentLevel: 1,
	lastDunnedAt: '2099-01-08',
	emailBlocked: false,
	dunningBlock: false,
	...over,
});

describe('bounce processing: a report read again after a run that stopped half way', () => {
	const deadReport = { category: 'addressDead', reason: 'userunknown', status: '5.1.1', originalMessageId: MID, recipient: 'alt@kunde.example', diagnostic: '550 5.1.1 User unknown' };
	const markPath = (mark: string): Path => [...SETTINGS, [mark === 'Mark Sender Refusal' ? 'Refused Elsewhere?' : 'Reached Another Address?', { bounce: deadReport, reachedOthers: false, note: '' }]];

	/** What one run does from the mark on (the filters after it are let through where the item would pass). */
	async function runChain(mark: string, tables: Record<string, ReturnType<typeof memoryDataTable>>): Promise<number> {
		const marked = await applyDataTableNode(mark, markPath(mark), tables);
		for (const row of marked) {
			const path: Path = [...markPath(mark), [mark, row]];
			const reached = await follow(mark, row, tables, markPath(mark));
			if (reached.some((r) => r.node === 'Address Dead?') && ['addressDead', 'complaint'].includes(String(row.bounceCategory))) {
				await follow('Address Dead?', row, tables, path);
			}
		}
		return marked.length;
	}

	it('a run stopped after "Mark Reminder Not Delivered" is finished by the next: key given up, level taken back, address blocked', async () => {
		const reminders = remindersTable([sentRow()]);
		const invoices = invoicesTable([invoiceRow()]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		// Run 1 marks the row, then n8n restarts: nothing after the mark ran.
		expect(await applyDataTableNode('Mark Reminder Not Delivered', markPath('Mark Reminder Not Delivered'), tables)).toHaveLength(1);
		expect(reminders.rows[0]).toMatchObject({ status: 'notDelivered', reminderKey: 'RE-9#1#email' });

		// Run 2 reads the report again (its position was never confirmed).
		expect(await runChain('Mark Reminder Not Delivered', tables)).toBe(1);
		expect(reminders.rows[0]).toMatchObject({ status: 'notDelivered', reminderKey: `RE-9#1#email/notDelivered-${reminders.rows[0].id}` });
		expect(invoices.rows[0]).toMatchObject({ currentLevel: 0, lastDunnedAt: '2099-01-01', emailBlocked: true });

		// Run 3 reads it once more (a manual run): the key is given up, nothing changes.
		const before = JSON.parse(JSON.stringify([reminders.rows, invoices.rows])) as unknown;
		expect(await runChain('Mark Reminder Not Delivered', tables)).toBe(0);
		expect(JSON.parse(JSON.stringify([reminders.rows, invoices.rows]))).toEqual(before);
	});

	it('a refusal of our sender is repaired the same way (Mark Sender Refusal), and not marked twice once done', async () => {
		const reminders = remindersTable([sentRow({ status: 'notDelivered', bounceCategory: 'senderRejected' })]);
		const invoices = invoicesTable([invoiceRow()]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		expect(await applyDataTableNode('Mark Sender Refusal', markPath('Mark Sender Refusal'), tables)).toHaveLength(1);
		for (const row of await applyDataTableNode('Free Reminder Key', [...markPath('Mark Sender Refusal'), ['Mark Sender Refusal', reminders.rows[0] as IDataObject]], tables)) {
			expect(row.reminderKey).toMatch(/\/notDelivered-\d+$/);
		}
		expect(await applyDataTableNode('Mark Sender Refusal', markPath('Mark Sender Refusal'), tables)).toEqual([]);
	});

	it('Free Reminder Key, the "done" mark, runs after every other step that follows either mark (execution order v1: lowest last)', () => {
		const position = new Map(BOUNCE_PROCESSING.nodes.map((n) => [n.name, (n as unknown as { position: [number, number] }).position]));
		const after = (name: string) => (BOUNCE_PROCESSING.connections[name]?.main ?? []).flatMap((o) => (o ?? []).map((c) => c.node));
		for (const mark of ['Mark Reminder Not Delivered', 'Mark Sender Refusal']) {
			const next = after(mark);
			expect(next).toContain('Free Reminder Key');
			for (const other of next.filter((n) => n !== 'Free Reminder Key')) expect(position.get(other)![1]).toBeLessThan(position.get('Free Reminder Key')![1]);
		}
	});

	it('the held key the marks look for is the one the dunning runs release for e-mail (and a given-up key is not)', () => {
		for (const file of ['dunning-run.json', 'dunning-run-webhook.json']) {
			const text = readFileSync(join(__dirname, '..', '..', 'workflows', file), 'utf8');
			expect(text).toContain('"value": "={{ $json.invoiceId }}#{{ $json.dunning.level }}#email"');
		}
		const mark = BOUNCE_PROCESSING.nodes.find((n) => n.name === 'Mark Reminder Not Delivered')!.parameters as { filters: { conditions: IDataObject[] } };
		expect(mark.filters.conditions).toContainEqual({ keyName: 'reminderKey', condition: 'like', keyValue: '%#email' });
	});
});

describe('bounce processing: a refusal read again counts once on the invoice (returnedReminderColumns)', () => {
	/** Each take-back node with the mark and the load before it, and a refusal report its mark takes. */
	const chains = [
		{ mark: 'Mark Reminder Not Delivered', load: 'Load Invoice', takeBack: 'Take Back Level', from: 'Complaint?', bounce: { category: 'recipientRefused', reason: 'mailboxfull', status: '5.2.2', diagnostic: '552 5.2.2 Mailbox full' } },
		{ mark: 'Mark Sender Refusal', load: 'Load Invoice (Sender)', takeBack: 'Take Back Level (Sender)', from: 'Refused Elsewhere?', bounce: { category: 'senderRejected', reason: 'spamdetected', status: '5.7.1', diagnostic: '550 5.7.1 spam' } },
	];

	it.each(chains)(
		'$takeBack: a run stopped after it (Fail: Refusals Not Counted, a restart) and the report read again: counted once; the level refused again after it was sent again: counted twice',
		async ({ mark, load, takeBack, from, bounce }) => {
			const reminders = remindersTable([sentRow()]);
			const invoices = invoicesTable([invoiceRow({ emailRefusals: 0 })]);
			const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
			const before = (messageId: string): Path => [...SETTINGS, [from, { bounce: { ...bounce, originalMessageId: messageId, recipient: 'alt@kunde.example' }, reachedOthers: false, elsewhere: false, note: '' }]];

			// Run 1: the mark, the invoice loaded, the level taken back and the refusal counted; then the run stops (Free Reminder Key never runs).
			const [marked] = await applyDataTableNode(mark, before(MID), tables);
			const path: Path = [...before(MID), [mark, marked]];
			const [loaded] = await applyDataTableNode(load, path, tables);
			await applyDataTableNode(takeBack, [...path, [load, loaded]], tables);
			expect(invoices.rows[0]).toMatchObject({ currentLevel: 0, emailRefusals: 1, emailRefusedLevel: 1 });
			expect(reminders.rows[0].reminderKey).toBe('RE-9#1#email');

			// Run 2 reads the report again: the chain is finished, the refusal not counted again (it would send the customer to paper after one refusal).
			const again = await applyDataTableNode(mark, before(MID), tables);
			expect(again).toHaveLength(1);
			await follow(mark, again[0], tables, before(MID));
			expect(reminders.rows[0].reminderKey).toMatch(/^RE-9#1#email\/notDelivered-\d+$/);
			expect(invoices.rows[0]).toMatchObject({ currentLevel: 0, emailRefusals: 1, emailRefusedLevel: 1 });

			// The level e-mailed once more (released, sent, the level advanced) and refused again: that second refusal counts.
			const second = '<dunning.1.00000000000000000000000000000002@shop.example>';
			await reminders.service().insertRows([sentRow({ messageId: second })] as never, 'all' as never);
			Object.assign(invoices.rows[0], { currentLevel: 1, lastDunnedAt: '2099-01-15' });
			const [marked2] = await applyDataTableNode(mark, before(second), tables);
			await follow(mark, marked2, tables, before(second));
			expect(invoices.rows[0]).toMatchObject({ currentLevel: 0, emailRefusals: 2, emailRefusedLevel: 1 });
		},
	);
});

describe('bounce processing: a reply read again, and a second reply', () => {
	it('a second reply (another Message-ID) after the operator cleared the block blocks the invoice again; the same reply read again does not', async () => {
		const reminders = remindersTable([reminderRow(2, { email: 'alt@kunde.example' })]);
		const invoices = invoicesTable([invoiceRow({ currentLevel: 2 })]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };

		expect(await readReply(reply('<first-reply-1@kunde.example>', 'Wir prüfen das.'), tables)).toBe(true);
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		expect(reminders.rows[0].note).toContain('<first-reply-1@kunde.example>');
		// The operator answers and clears the block.
		Object.assign(invoices.rows[0], { dunningBlock: false });

		// The first reply read again (a run that failed before Confirm Read Position): nothing changes.
		expect(await readReply(reply('<first-reply-1@kunde.example>', 'Wir prüfen das.'), tables)).toBe(false);
		expect(invoices.rows[0].dunningBlock).toBe(false);

		// The customer writes again: a new reply, the invoice waits again.
		expect(await readReply(reply('<follow-up-2@kunde.example>', 'Wir haben am 1.12. bezahlt.'), tables)).toBe(true);
		expect(invoices.rows[0]).toMatchObject({ dunningBlock: true, dunningBlockReason: 'customerReplied' });
		expect(reminders.rows[0].note).toMatch(/^reply <follow-up-2@kunde\.example> .*; earlier: reply <first-reply-1@kunde\.example> /);
		// And both read again change nothing.
		Object.assign(invoices.rows[0], { dunningBlock: false });
		expect(await readReply(reply('<first-reply-1@kunde.example>', 'Wir prüfen das.'), tables)).toBe(false);
		expect(await readReply(reply('<follow-up-2@kunde.example>', 'Wir haben am 1.12. bezahlt.'), tables)).toBe(false);
		expect(invoices.rows[0].dunningBlock).toBe(false);
	});
});

describe('in-memory Data Table: LIKE and ILIKE as n8n runs them', () => {
	const table = () =>
		memoryDataTable('t', [{ name: 'k', type: 'string' }], [{ k: 'RE-9#1#email' }, { k: 'RE-9#1#email/notDelivered-1' }, { k: 'RE_9#1#EMAIL' }, { k: null }]);
	const keys = async (condition: 'like' | 'ilike', value: string) =>
		(await table().service().getManyRowsAndCount({ filter: { type: 'and', filters: [{ columnName: 'k', condition, value }] } } as never)).data.map((r) => r.k);

	it('matches the whole value, % the only wildcard (_ literal), case-sensitive for LIKE only, an empty cell never', async () => {
		expect(await keys('like', '%#email')).toEqual(['RE-9#1#email']);
		expect(await keys('like', '%#email%')).toEqual(['RE-9#1#email', 'RE-9#1#email/notDelivered-1']);
		expect(await keys('ilike', '%#email')).toEqual(['RE-9#1#email', 'RE_9#1#EMAIL']);
		expect(await keys('like', 'RE_9%')).toEqual(['RE_9#1#EMAIL']);
		expect(await keys('like', 're_9%')).toEqual([]);
		expect(await keys('ilike', 're_9%')).toEqual(['RE_9#1#EMAIL']);
	});
});
