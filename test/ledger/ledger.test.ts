/**
 * Claim, pace and record rules of the ledger, raced the way overlapping executions race: each
 * claimer runs concurrently and every store call yields, so their reads and updates interleave.
 */
import type { DataTableColumnType, DataTableRow } from 'n8n-workflow';

import { claimReminders, releaseClaims } from '../../lib/ledger/claim';
import { PACE_MARGIN_MS, reserveSlots, SLOT_LEAD_MS } from '../../lib/ledger/pace';
import { recordOutcome } from '../../lib/ledger/record';
import type { LedgerTable } from '../../lib/ledger/table';
import { asLedgerTable } from '../../nodes/DunningLedger/data-table';
import { MemoryDataTables } from '../harness/data-tables';

const REMINDER_COLUMNS: Array<{ name: string; type: DataTableColumnType }> = [
	{ name: 'reminderKey', type: 'string' },
	{ name: 'mailbox', type: 'string' },
	{ name: 'status', type: 'string' },
	{ name: 'claimId', type: 'string' },
	{ name: 'leaseUntil', type: 'number' },
	{ name: 'retryAfter', type: 'number' },
	{ name: 'messageId', type: 'string' },
	{ name: 'sentAt', type: 'string' },
	{ name: 'attempts', type: 'number' },
	{ name: 'smtpResponse', type: 'string' },
	{ name: 'error', type: 'string' },
];

const NOW = Date.UTC(2026, 11, 2, 10, 0, 0);

function reminders(rows: DataTableRow[]): { table: LedgerTable; rows: () => DataTableRow[] } {
	const tables = new MemoryDataTables();
	const memory = tables.create('dunning_reminders', REMINDER_COLUMNS, rows);
	return { table: asLedgerTable(memory.service()), rows: () => memory.rows };
}

const released = (n: number, mailbox = 'default') =>
	Array.from({ length: n }, (_, i) => ({ reminderKey: `INV-${i}#1#email`, mailbox, status: 'released' }));

describe('claimReminders', () => {
	test('five concurrent claimers over 20 reminders: every reminder claimed once, none twice', async () => {
		const { table, rows } = reminders(released(20));
		const claims = await Promise.all(
			[1, 2, 3, 4, 5].map((n) => claimReminders(table, { mailbox: 'default', claimId: `exec-${n}`, now: NOW, max: 6, leaseMs: 60_000 })),
		);
		const keys = claims.flat().map((r) => r.reminderKey);
		expect(new Set(keys).size).toBe(keys.length);
		expect(keys).toHaveLength(20);
		// The row says who holds it, and it is the execution that got it back.
		for (const [i, claim] of claims.entries()) for (const row of claim) expect(row.claimId).toBe(`exec-${i + 1}`);
		expect(rows().every((r) => r.status === 'sending')).toBe(true);
	});

	test('claims only the given mailbox, oldest first, at most max', async () => {
		const { table } = reminders([...released(3, 'shop-a'), ...released(3, 'shop-b')]);
		const got = await claimReminders(table, { mailbox: 'shop-b', claimId: 'x', now: NOW, max: 2, leaseMs: 1000 });
		expect(got.map((r) => [r.mailbox, r.reminderKey])).toEqual([
			['shop-b', 'INV-0#1#email'],
			['shop-b', 'INV-1#1#email'],
		]);
	});

	test('a claim whose lease ended is taken over; a live one and a deferred one not yet due are left alone', async () => {
		const { table } = reminders([
			{ reminderKey: 'dead', mailbox: 'default', status: 'sending', claimId: 'died', leaseUntil: NOW - 1 },
			{ reminderKey: 'live', mailbox: 'default', status: 'sending', claimId: 'busy', leaseUntil: NOW + 60_000 },
			{ reminderKey: 'unknown', mailbox: 'default', status: 'deferred', claimId: 'old', retryAfter: NOW + 60_000 },
			{ reminderKey: 'due', mailbox: 'default', status: 'deferred', claimId: 'old', retryAfter: NOW },
			{ reminderKey: 'done', mailbox: 'default', status: 'sent' },
		]);
		const got = await claimReminders(table, { mailbox: 'default', claimId: 'me', now: NOW, max: 10, leaseMs: 1000 });
		expect(got.map((r) => r.reminderKey).sort()).toEqual(['dead', 'due']);
		expect(got.every((r) => r.leaseUntil === NOW + 1000)).toBe(true);
	});

	test('releaseClaims gives rows back for the next tick', async () => {
		const { table } = reminders(released(2));
		const got = await claimReminders(table, { mailbox: 'default', claimId: 'me', now: NOW, max: 2, leaseMs: 1000 });
		await releaseClaims(table, got, 'me');
		const again = await claimReminders(table, { mailbox: 'default', claimId: 'next', now: NOW, max: 2, leaseMs: 1000 });
		expect(again.map((r) => r.claimId)).toEqual(['next', 'next']);
	});
});

describe('reserveSlots', () => {
	const mailboxes = () =>
		asLedgerTable(
			new MemoryDataTables()
				.create('dunning_mailboxes', [
					{ name: 'mailbox', type: 'string' },
					{ name: 'nextSendAt', type: 'number' },
				])
				.service(),
		);

	test('concurrent executions get disjoint slots at least the gap apart, and none beyond the tick', async () => {
		const table = mailboxes();
		const gapMs = 2000;
		const all = await Promise.all(
			[1, 2, 3, 4, 5].map(() => reserveSlots(table, { mailbox: 'default', now: NOW, count: 4, gapMs, horizonMs: 20_000 })),
		);
		const slots = all.flat().sort((a, b) => a - b);
		expect(slots[0]).toBe(NOW + SLOT_LEAD_MS);
		for (let i = 1; i < slots.length; i++) expect(slots[i] - slots[i - 1]).toBeGreaterThanOrEqual(gapMs + PACE_MARGIN_MS);
		expect(slots.every((s) => s < NOW + 20_000)).toBe(true);
		// After the lead, 18 s fit 9 slots of 2.1 s; the executions that came late get fewer or none.
		expect(slots).toHaveLength(9);
	});

	test('the pace carries over to the next tick and to other mailboxes not at all', async () => {
		const table = mailboxes();
		const first = await reserveSlots(table, { mailbox: 'a', now: NOW, count: 1, gapMs: 60_000, horizonMs: 60_000 });
		const soon = await reserveSlots(table, { mailbox: 'a', now: NOW + 30_000, count: 1, gapMs: 60_000, horizonMs: 60_000 });
		const other = await reserveSlots(table, { mailbox: 'b', now: NOW + 30_000, count: 1, gapMs: 60_000, horizonMs: 60_000 });
		expect(first).toEqual([NOW + SLOT_LEAD_MS]);
		expect(soon).toEqual([NOW + SLOT_LEAD_MS + 60_000 + PACE_MARGIN_MS]);
		expect(other).toEqual([NOW + 30_000 + SLOT_LEAD_MS]);
		// Busy for longer than this tick: nothing, at once.
		expect(await reserveSlots(table, { mailbox: 'a', now: NOW + 3_000, count: 1, gapMs: 60_000, horizonMs: 60_000 })).toEqual([]);
	});
});

describe('recordOutcome', () => {
	async function claimedOne() {
		const r = reminders(released(1));
		const [row] = await claimReminders(r.table, { mailbox: 'default', claimId: 'me', now: NOW, max: 1, leaseMs: 1000 });
		return { ...r, row };
	}

	test('the holder records sent; a reminder not sent goes back to released', async () => {
		const { table, row, rows } = await claimedOne();
		const after = await recordOutcome(table, { rowId: row.id, claimId: 'me', leaseUntil: NOW + 1000, now: NOW, delivery: { status: 'notSent' } });
		expect(after).toMatchObject({ status: 'released', claimId: '' });
		const [again] = await claimReminders(table, { mailbox: 'default', claimId: 'me2', now: NOW, max: 1, leaseMs: 1000 });
		await recordOutcome(table, { rowId: again.id, claimId: 'me2', leaseUntil: NOW + 1000, now: NOW, delivery: { status: 'sent', messageId: '<m@x>' } });
		expect(rows()[0]).toMatchObject({ status: 'sent', messageId: '<m@x>' });
	});

	test('outcome unknown: deferred until the lease ends, not before', async () => {
		const { table, row } = await claimedOne();
		await recordOutcome(table, { rowId: row.id, claimId: 'me', leaseUntil: NOW + 1000, now: NOW, delivery: { status: 'deferred', reason: 'outcomeUnknown' } });
		expect(await claimReminders(table, { mailbox: 'default', claimId: 'x', now: NOW + 999, max: 1, leaseMs: 1 })).toEqual([]);
		expect(await claimReminders(table, { mailbox: 'default', claimId: 'x', now: NOW + 1000, max: 1, leaseMs: 1 })).toHaveLength(1);
	});

	test('a lost claim records nothing, except that a sent reminder is always written', async () => {
		const { table, row, rows } = await claimedOne();
		const [taken] = await claimReminders(table, { mailbox: 'default', claimId: 'other', now: NOW + 2000, max: 1, leaseMs: 1000 });
		expect(taken.claimId).toBe('other');
		expect(await recordOutcome(table, { rowId: row.id, claimId: 'me', leaseUntil: NOW + 1000, now: NOW, delivery: { status: 'failed' } })).toBeNull();
		expect(rows()[0].status).toBe('sending');
		await recordOutcome(table, { rowId: row.id, claimId: 'me', leaseUntil: NOW + 1000, now: NOW, delivery: { status: 'sent', messageId: '<m@x>' } });
		expect(rows()[0]).toMatchObject({ status: 'sent', messageId: '<m@x>' });
	});
});
