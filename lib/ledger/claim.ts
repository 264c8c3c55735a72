/**
 * Claim before send. Several executions of the sender may run at once (a tick that waits on 4xx
 * retries overlaps the next one; queue-mode workers run ticks side by side), so a reminder is sent
 * only by the execution that moved its row from `released` (or an expired claim) to `sending` with
 * its own claim id, in one conditional update. A claim whose execution died is given back when its
 * lease ends; a reminder whose outcome is unknown waits for the end of that lease before it is
 * tried again.
 */
import type { SendSlot } from '../mail/send-run';
import { eq, sameAs, type LedgerCondition, type LedgerRow, type LedgerTable } from './table';

export type ReminderStatus = 'released' | 'sending' | 'sent' | 'failed' | 'deferred' | 'paper';

export interface ClaimRequest {
	mailbox: string;
	/** Unique per execution: only the holder may record the outcome. */
	claimId: string;
	now: number;
	/** At most this many reminders. */
	max: number;
	/** How long the claim holds; must cover the execution's whole sending time. */
	leaseMs: number;
}

const byId = (a: LedgerRow, b: LedgerRow) => a.id - b.id;

const MAX_ROUNDS = 4;

/** The rows this mailbox may send now, oldest first: released, deferred and due, or claimed by an execution whose lease ended. */
async function candidates(table: LedgerTable, mailbox: string, now: number, limit: number): Promise<LedgerRow[]> {
	const of = (...where: LedgerCondition[]) => table.find([eq('mailbox', mailbox), ...where], { orderBy: 'id', limit });
	const groups = await Promise.all([
		of(eq('status', 'released')),
		of(eq('status', 'deferred'), { column: 'retryAfter', op: 'lte', value: now }),
		// rows deferred before retryAfter existed
		of(eq('status', 'deferred'), { column: 'retryAfter', op: 'isEmpty' }),
		of(eq('status', 'sending'), { column: 'leaseUntil', op: 'lt', value: now }),
	]);
	const seen = new Set<number>();
	return groups
		.flat()
		.sort(byId)
		.filter((row) => !seen.has(row.id) && seen.add(row.id) !== undefined);
}

/**
 * Claims up to `max` reminders of one mailbox for this execution. Each claim is a compare-and-set
 * on the row as it was read (id, status, previous claim id): of two executions that read the same
 * row, exactly one update matches.
 */
export async function claimReminders(table: LedgerTable, request: ClaimRequest): Promise<LedgerRow[]> {
	const { mailbox, claimId, now, max, leaseMs } = request;
	const claimed: LedgerRow[] = [];
	const tried = new Set<number>();
	// A row a concurrent tick took first is skipped, not waited for; read again past it, a few times.
	for (let round = 0; round < MAX_ROUNDS && claimed.length < max; round++) {
		const rows = (await candidates(table, mailbox, now, max * 2)).filter((row) => !tried.has(row.id));
		if (rows.length === 0) break;
		for (const row of rows) {
			if (claimed.length >= max) break;
			tried.add(row.id);
			const after = await table.update([eq('id', row.id), eq('status', row.status), sameAs('claimId', row.claimId)], {
				status: 'sending',
				claimId,
				leaseUntil: now + leaseMs,
			});
			const mine = after.find((r) => r.claimId === claimId);
			if (mine) claimed.push(mine);
		}
	}
	return claimed;
}

/**
 * Gives claimed rows back (e.g. no sending slot was free) as `released`, so the next tick takes
 * them. That is safe for every row a claim can hold: a deferred one was only claimable once due.
 */
export async function releaseClaims(table: LedgerTable, rows: LedgerRow[], claimId: string): Promise<void> {
	for (const row of rows) {
		await table.update([eq('id', row.id), eq('claimId', claimId), eq('status', 'sending')], {
			status: 'released',
			claimId: '',
			leaseUntil: null,
		});
	}
}

function epochMs(value: unknown, field: string): number {
	const ms = typeof value === 'number' ? value : Date.parse(String(value));
	if (!Number.isFinite(ms)) throw new Error(`the field "claim.${field}" is not a date`);
	return ms;
}

/**
 * The sending slot of a claimed reminder, from the `claim` object Claim Reminders puts on each
 * item (ISO dates or epoch ms); undefined for an item that was not claimed.
 */
export function sendSlotOf(claim: unknown): SendSlot | undefined {
	if (claim === undefined || claim === null) return undefined;
	if (typeof claim !== 'object') throw new Error('the field "claim" is not an object');
	const { notBefore, notAfter, leaseUntil } = claim as Record<string, unknown>;
	return {
		notBefore: epochMs(notBefore, 'notBefore'),
		notAfter: notAfter === undefined ? Infinity : epochMs(notAfter, 'notAfter'),
		leaseUntil: epochMs(leaseUntil, 'leaseUntil'),
	};
}
