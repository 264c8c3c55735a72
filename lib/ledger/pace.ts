import { closesAfter, isAlwaysOpen, nextOpening, type SendingWindow } from './sending-window';

/**
 * One pace per mailbox across executions and workers. The next moment a mailbox may send lives in
 * a shared row (`nextSendAt`, epoch ms, in the Data Table `dunning_mailboxes`). An execution plans
 * consecutive slots `gap` apart from that moment on, within its tick, and then moves the row from
 * the value it read to the end of its slots in one conditional update (the shipped sender's
 * "Reserve Pace" step): of two executions that read the same value, one wins and the other sends
 * nothing this tick. Slots of an execution that dies are simply lost, which only slows a mailbox
 * down.
 */
export interface SlotRequest {
	/** `nextSendAt` as read from the mailbox's row (0 or empty for a new mailbox). */
	nextSendAt: number;
	now: number;
	/** How many reminders are waiting. */
	count: number;
	/** minSecondsBetween in ms. */
	gapMs: number;
	/** Slots must start before now + horizon, so that no execution runs for long. */
	horizonMs: number;
	/** How far ahead of now the first slot lies (default SLOT_LEAD_MS). */
	leadMs?: number;
	/** When mail may go out at all (sending-window.ts); none: at any time. No slot starts outside it. */
	window?: SendingWindow;
}

export interface SendingSlot {
	notBefore: number;
	/**
	 * Starting later would come too close to the next slot, which may be another execution's.
	 * Undefined when no pause is configured: then there is no pace to keep.
	 */
	notAfter?: number;
}

export interface SlotPlan {
	slots: SendingSlot[];
	/** The mailbox row's new `nextSendAt`, written only if it still holds the value read. */
	nextSendAt: number;
	/**
	 * The `nextSendAt` read, when it lay further ahead than these settings can write (see
	 * latestPlausible): the plan starts one pause from now instead. Slots may then be none.
	 */
	resetFrom?: number;
	/**
	 * Set when the sending window is closed for this whole run: no slots, and the row keeps its
	 * time. The first instant at which the window opens again (undefined: not within 400 days).
	 */
	closed?: { nextOpening: number | undefined };
}

/**
 * A slot's message may start up to this late; later, it is given back instead of sent (see
 * SendSlot.notAfter).
 */
export const SLOT_TOLERANCE_MS = 100;

/**
 * Added to every gap, so that the gap the recipient's server sees is never shorter than the one
 * configured: it covers the start tolerance above and what lies between our last look at the clock
 * and the command on the wire (a busy worker's event loop, the network), which we saw reach 0.3 s
 * on a loaded two-core machine running three n8n processes.
 */
export const PACE_MARGIN_MS = 500;

/**
 * The first slot of a tick lies this far ahead by default, so that the connection and login are
 * done when it comes: a message that cannot start within SLOT_TOLERANCE_MS of its slot is given
 * back instead. With one slot per tick (as shipped) every tick connects anew, so a lead shorter
 * than the steps before the send plus a TLS login (an OAuth2 token refresh first, a distant or
 * busy server) would miss every slot. 2 s proved too tight for that; the node lets it be raised.
 */
export const SLOT_LEAD_MS = 5_000;

/** At most this many slots per tick, whatever the pace: a tick stays short. */
export const MAX_SLOTS_PER_TICK = 500;

// The largest values a plan is made from (the node refuses larger ones, naming the setting); beyond
// them a slot would be no date a JavaScript Date can hold (8.64e15 ms), or so far ahead that the
// mailbox never sends again. With all of them at their largest, every slot and the row's new
// `nextSendAt` stay dates.

/** A `nextSendAt` read from the mailbox row: the end of the year 9999 (epoch ms). */
export const MAX_NEXT_SEND_AT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** The pause between two mails: a day. More is a unit mistake (an hour typed in milliseconds is 3,600,000). */
export const MAX_PAUSE_SECONDS = 86_400;
/** What a longer pause likely is, for the messages of the nodes that read it. */
export const PAUSE_TOO_LARGE = 'a pause of more than a day between two reminders is a unit mistake (milliseconds or minutes for seconds?)';
/** The length of a run (tick): a day. */
export const MAX_TICK_SECONDS = 86_400;
/** How far ahead the first slot lies: 10 minutes, under the shipped sender's 15-minute claim on a reminder. */
export const MAX_LEAD_SECONDS = 600;

/**
 * The slots this execution may use, or null when the mailbox is busy for this whole tick (or
 * nothing waits).
 *
 * A run writes `nextSendAt` at most one gap past its own horizon. A value further ahead was written
 * under other settings (a longer pause, since lowered), by a worker whose clock ran ahead, or by
 * hand: waiting for it would stop the mailbox for hours with no error anywhere. It is taken as if
 * the last reminder left just now: the first slot lies one pause ahead, and when that is beyond
 * this run, the plan has no slots but still moves the row there.
 */
export function planSlots(request: SlotRequest): SlotPlan | null {
	const { now, count, horizonMs, leadMs = SLOT_LEAD_MS } = request;
	if (count <= 0) return null;
	const gap = request.gapMs > 0 ? Math.ceil(request.gapMs) + PACE_MARGIN_MS : 0;
	const read = Math.ceil(request.nextSendAt) || 0;
	const earliest = Math.ceil(now) + leadMs;
	const end = now + leadMs + horizonMs;
	const window = request.window && !isAlwaysOpen(request.window) ? request.window : undefined;
	if (read > end + gap) {
		const restart = earliest + gap;
		const plan = restart < end ? planWithin(window, restart, end, count, gap, restart) : { slots: [], nextSendAt: restart };
		return { ...plan, resetFrom: read };
	}
	const start = Math.max(read, earliest);
	if (start >= end) return null;
	return planWithin(window, start, end, count, gap, read);
}

/**
 * Slots from `start` within the sending window: from its opening when it opens later in this run,
 * none starting at or after its closing. Closed for the whole run: no slots, and the row is written
 * back with `keep` (what it held, or the restart of a reset), so that the pace is not moved.
 */
function planWithin(window: SendingWindow | undefined, start: number, end: number, count: number, gap: number, keep: number): SlotPlan {
	if (!window) return planFrom(start, end, count, gap);
	// `start` itself when the window is open then.
	const opens = nextOpening(window, start);
	if (opens === undefined || opens >= end) return { slots: [], nextSendAt: keep, closed: { nextOpening: opens } };
	return planFrom(opens, Math.min(end, closesAfter(window, opens)), count, gap);
}

function planFrom(start: number, end: number, count: number, gap: number): SlotPlan {
	// No time between the two (a window that closes as it opens): no slot, with or without a pause.
	const fit = start >= end ? 0 : gap > 0 ? Math.floor((end - start - 1) / gap) + 1 : MAX_SLOTS_PER_TICK;
	const n = Math.min(count, fit, MAX_SLOTS_PER_TICK);
	const slots = Array.from({ length: n }, (_, i) =>
		gap > 0 ? { notBefore: start + i * gap, notAfter: start + i * gap + SLOT_TOLERANCE_MS } : { notBefore: start },
	);
	// With no pause configured the row still moves, so that a concurrent tick sees it changed.
	return { slots, nextSendAt: start + Math.max(n * gap, 1) };
}
