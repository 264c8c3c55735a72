/**
 * A dead address or a complaint blocks e-mail on the customer's invoices with that address list,
 * naming the addresses that failed (emailBlockedAddress). A second failed address of the same
 * customer must add to the first, not replace it: the block holds while the invoice shows any
 * blocked address, and a replaced first address would be e-mailed again once the ERP drops the
 * second. The Data Table steps of the shipped bounce-processing.json run against in-memory tables
 * (bounce-tables.ts); Addresses to Block, the Code node between them, as n8n runs it.
 */
import type { DataTableRow, IDataObject } from 'n8n-workflow';

import { applyDataTableNode, follow, invoicesTable, remindersTable, shippedNode, type Path, type Table } from './bounce-tables';

const SETTINGS: Path = [['Settings', { mailbox: 'default', ownDomains: '' }]];
const TWO = 'Buchhaltung <a@kunde.example>, b@kunde.example';
const mid = (n: number) => `<dunning.${n}.${String(n).repeat(32).slice(0, 32)}@shop.example>`;

const reminderRow = (n: number, invoiceId: string, customerId: string, email: string): DataTableRow => ({
	reminderKey: `${invoiceId}#1#email`,
	invoiceId,
	customerId,
	email,
	level: 1,
	previousLevel: 0,
	previousLastDunnedAt: '2099-01-01',
	status: 'sent',
	messageId: mid(n),
	mailbox: 'default',
});
const invoiceRow = (invoiceId: string, customerId: string, email: string, over: DataTableRow = {}): DataTableRow => ({
	invoiceId,
	customerId,
	email,
	currentLevel: 1,
	lastDunnedAt: '2099-01-08',
	emailBlocked: false,
	emailBlockedAddress: '',
	dunningBlock: false,
	...over,
});

/** One run of bounce processing for a complaint (or dead address) of `failed` about reminder `n`. */
async function blockFor(n: number, failed: string, tables: Record<string, Table>, category = 'complaint'): Promise<void> {
	const bounce = { category, reason: category === 'complaint' ? 'feedback' : 'userunknown', status: '', originalMessageId: mid(n), recipient: failed, diagnostic: '' };
	const path: Path = [...SETTINGS, ['Reached Another Address?', { bounce, reachedOthers: false, failed, failedAddresses: [failed], note: '' }]];
	const marked = await applyDataTableNode('Mark Reminder Not Delivered', path, tables);
	expect(marked).toHaveLength(1);
	const markPath: Path = [...path, ['Mark Reminder Not Delivered', marked[0]]];
	expect((await follow('Mark Reminder Not Delivered', marked[0], tables, path)).map((r) => r.node)).toContain('Address Dead?');
	await follow('Address Dead?', marked[0], tables, markPath);
}

const blocks = (invoices: Table) => Object.fromEntries(invoices.rows.map((r) => [r.invoiceId, r.emailBlocked ? r.emailBlockedAddress : 'not blocked']));

describe('a second failed address of a customer adds to the first (Block Customer Email)', () => {
	it('two complaints in two runs, from a and then from b: every invoice of the customer with that list keeps both', async () => {
		const reminders = remindersTable([reminderRow(1, 'RE-1', 'K-9', TWO), reminderRow(2, 'RE-2', 'K-9', TWO)]);
		const invoices = invoicesTable([
			invoiceRow('RE-1', 'K-9', TWO),
			invoiceRow('RE-2', 'K-9', TWO),
			invoiceRow('RE-3', 'K-9', TWO),
			// Another department of the customer: not blocked.
			invoiceRow('RE-4', 'K-9', 'einkauf@kunde.example'),
		]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		await blockFor(1, 'a@kunde.example', tables);
		expect(blocks(invoices)).toEqual({ 'RE-1': 'a@kunde.example', 'RE-2': 'a@kunde.example', 'RE-3': 'a@kunde.example', 'RE-4': 'not blocked' });
		await blockFor(2, 'b@kunde.example', tables);
		const both = 'b@kunde.example, a@kunde.example';
		expect(blocks(invoices)).toEqual({ 'RE-1': both, 'RE-2': both, 'RE-3': both, 'RE-4': 'not blocked' });
	});

	it('an invoice without a customer ID: only it is blocked, and a second address adds to the first', async () => {
		const reminders = remindersTable([reminderRow(1, 'RE-1', '', TWO), { ...reminderRow(2, 'RE-1', '', TWO), reminderKey: 'RE-1#2#email', level: 2 }]);
		const invoices = invoicesTable([invoiceRow('RE-1', '', TWO), invoiceRow('RE-2', '', TWO)]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		await blockFor(1, 'a@kunde.example', tables, 'addressDead');
		await blockFor(2, 'b@kunde.example', tables, 'addressDead');
		expect(blocks(invoices)).toEqual({ 'RE-1': 'b@kunde.example, a@kunde.example', 'RE-2': 'not blocked' });
	});

	it('a block you cleared starts afresh; a block without an address (your ERP\'s) holds for every address and stays so', async () => {
		const reminders = remindersTable([reminderRow(1, 'RE-1', 'K-1', TWO), reminderRow(2, 'RE-2', 'K-2', TWO)]);
		const invoices = invoicesTable([
			invoiceRow('RE-1', 'K-1', TWO, { emailBlocked: false, emailBlockedAddress: 'old@kunde.example' }),
			invoiceRow('RE-2', 'K-2', TWO, { emailBlocked: true, emailBlockedAddress: '' }),
		]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		await blockFor(1, 'a@kunde.example', tables);
		await blockFor(2, 'a@kunde.example', tables);
		expect(blocks(invoices)).toEqual({ 'RE-1': 'a@kunde.example', 'RE-2': '' });
	});
});

/** Addresses to Block as n8n runs it: `rows` are Load Invoices to Block's items, each paired with item `pairs[i]` of Address Dead? / Reached Another Address?. */
function addressesToBlock(rows: IDataObject[], pairs: number[], reminders: IDataObject[], reached: IDataObject[]): IDataObject[] {
	const of = (items: IDataObject[]) => ({ itemMatching: (i: number) => ({ json: items[pairs[i]] }) });
	const nodes: Record<string, ReturnType<typeof of>> = { 'Address Dead?': of(reminders), 'Reached Another Address?': of(reached) };
	const $ = (name: string) => nodes[name];
	const $input = { all: () => rows.map((json) => ({ json })) };
	const run = new Function('$input', '$', String(shippedNode('Addresses to Block').parameters.jsCode)) as (i: typeof $input, d: typeof $) => Array<{ json: IDataObject; pairedItem: unknown }>;
	return run($input, $).map((item) => item.json);
}

describe('Addresses to Block (bounce-processing.json)', () => {
	it('two reminders of this run that name the same row: one write with both addresses', () => {
		const row = { id: 5, invoiceId: 'RE-1', customerId: 'K-9', email: TWO, emailBlocked: true, emailBlockedAddress: 'c@kunde.example' };
		const reminders = [
			{ invoiceId: 'RE-1', customerId: 'K-9', email: TWO },
			{ invoiceId: 'RE-2', customerId: 'K-9', email: TWO },
		];
		const out = addressesToBlock([row, row], [0, 1], reminders, [{ failedAddresses: ['a@kunde.example'] }, { failedAddresses: ['B@Kunde.example'] }]);
		expect(out).toEqual([{ id: 5, invoiceId: 'RE-1', customerId: 'K-9', email: TWO, emailBlockedAddress: 'b@kunde.example, a@kunde.example, c@kunde.example' }]);
	});

	it('rows the load found of the customer with another address list are left alone', () => {
		const rows = [
			{ id: 1, invoiceId: 'RE-1', customerId: 'K-9', email: TWO, emailBlocked: false },
			{ id: 2, invoiceId: 'RE-7', customerId: 'K-9', email: 'einkauf@kunde.example', emailBlocked: false },
		];
		const out = addressesToBlock(rows, [0, 0], [{ invoiceId: 'RE-1', customerId: 'K-9', email: TWO }], [{ failedAddresses: [] }]);
		expect(out.map((r) => [r.id, r.emailBlockedAddress])).toEqual([[1, 'a@kunde.example, b@kunde.example']]);
	});

	it('within 1000 characters: the addresses the row shows before those it no longer shows', () => {
		const earlier = Array.from({ length: 60 }, (_, i) => `former-address-${i}@kunde.example`).join(', ');
		const row = { id: 1, invoiceId: 'RE-1', customerId: 'K-9', email: TWO, emailBlocked: true, emailBlockedAddress: `${earlier}, a@kunde.example` };
		const [out] = addressesToBlock([row], [0], [{ invoiceId: 'RE-1', customerId: 'K-9', email: TWO }], [{ failedAddresses: ['b@kunde.example'] }]);
		const kept = String(out.emailBlockedAddress);
		expect(kept.length).toBeLessThanOrEqual(1000);
		expect(kept.startsWith('b@kunde.example, a@kunde.example, former-address-0@kunde.example')).toBe(true);
		expect(kept).not.toContain('former-address-59@');
	});
});
