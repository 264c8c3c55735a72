/**
 * One pace per mailbox across executions and workers. The next moment the mailbox may send lives
 * in the shared store (`nextSendAt`, epoch ms) and is advanced with a compare-and-set: an
 * execution reserves consecutive slots `gap` apart from that moment on, within its tick, and
 * sends each reminder no earlier than its slot. Slots of an execution that dies are simply lost,
 * which only ever slows the mailbox down.
 */
import { eq, type LedgerRow, type LedgerTable } from './table';

export interface SlotRequest {
	mailbox: string;
	now: number;
	/** How many slots are wanted (the reminders claimed). */
	count: number;
	/** minSecondsBetween in ms. */
	gapMs: number;
	/** Slots must start before now + horizon, so that no execution runs for long. */
	horizonMs: number;
}

/**
 * Added to every gap: two workers' clocks and event loops differ by milliseconds, and the gap the
 * recipient's server sees must never be shorter than the one configured.
 */
export const PACE_MARGIN_MS = 100;

/**
 * The first slot of a tick lies this far ahead, so that the connection and login are done when it
 * comes: a message that starts more than PACE_MARGIN_MS after its slot would come too close to the
 * next one, and is given back instead.
 */
export const SLOT_LEAD_MS = 2_000;

const MAX_ATTEMPTS = 8;

async function mailboxRow(table: LedgerTable, mailbox: string): Promise<LedgerRow> {
	const find = () => table.find([eq('mailbox', mailbox)], { orderBy: 'id', limit: 1 });
	let [row] = await find();
	if (!row) {
		await table.insert({ mailbox, nextSendAt: 0 });
		// Two executions may insert at once; both then use the oldest row, so the pace stays one.
		[row] = await find();
	}
	return row;
}

/** The slot times reserved for this execution (ascending; empty when the mailbox is busy for this whole tick). */
export async function reserveSlots(table: LedgerTable, request: SlotRequest): Promise<number[]> {
	const { mailbox, now, count, horizonMs } = request;
	if (count <= 0) return [];
	const gap = Math.max(0, Math.ceil(request.gapMs)) + PACE_MARGIN_MS;
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const row = await mailboxRow(table, mailbox);
		const next = Number(row.nextSendAt) || 0;
		const start = Math.max(next, Math.ceil(now) + SLOT_LEAD_MS);
		if (start >= now + horizonMs) return [];
		const fit = Math.floor((now + horizonMs - start - 1) / gap) + 1;
		const n = Math.min(count, fit);
		const won = await table.update([eq('id', row.id), eq('nextSendAt', row.nextSendAt ?? 0)], {
			nextSendAt: start + n * gap,
		});
		if (won.length > 0) return Array.from({ length: n }, (_, i) => start + i * gap);
	}
	return [];
}
