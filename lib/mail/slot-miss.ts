/**
 * Why a claimed reminder missed its sending slot (lib/mail/send-run.ts gives it back), in words
 * for the operator, and whether a longer Connection Lead would have caught it: the one case that
 * repeats every run until someone acts, so slotStall raises the alarm when it repeats.
 */
import type { SendSlot } from './send-run';

/** How the time before a claimed reminder's slot was spent. */
export interface SlotTiming {
	/** No reminder went out before it in this run: what came before were the workflow's steps. */
	first: boolean;
	/** When the run reached this reminder (after the pause between emails). */
	reachedAt: number;
	/** How long opening the connection and logging in took, if it was opened for this reminder. */
	connectedInMs: number | null;
}

export interface SlotMiss {
	error: string;
	/** The lead before the run's first slot was too short for this server or workflow: raising it helps. */
	leadTooShort: boolean;
}

/**
 * The words that end a miss a longer lead would have caught; stored in the reminder's `error`, read
 * back by missedForLackOfLead. The node is Dunning Pace; the shipped sender calls its step "Plan
 * Sending Slots", as the words of earlier versions did (still stored in reminders, still read).
 */
const RAISE_LEAD = '; if every run misses its slot, raise Connection Lead in the Dunning Pace node ("Plan Sending Slots" in the shipped sender)';
const RAISE_LEAD_BEFORE = '; if every run misses its slot, raise Connection Lead in Plan Sending Slots';

const seconds = (ms: number) => (ms / 1000).toFixed(1);

export function slotMiss(slot: SendSlot, now: number, attempts: number, timing: SlotTiming): SlotMiss {
	const missed = (why: string, leadTooShort = false): SlotMiss => ({
		error: `Not sent: it missed its sending slot by ${seconds(now - slot.notBefore)} s (${why}); it goes out in a later run${leadTooShort ? RAISE_LEAD : ''}`,
		leadTooShort,
	});
	const othersFirst = 'the reminders before it took longer than planned';
	if (attempts > 0) return missed('a first attempt failed');
	if (timing.reachedAt > slot.notAfter) {
		return timing.first ? missed(`the steps before sending ended ${seconds(timing.reachedAt - slot.notBefore)} s after it`, true) : missed(othersFirst);
	}
	if (timing.connectedInMs !== null) return missed(`connecting and logging in took ${seconds(timing.connectedInMs)} s`, true);
	return missed(othersFirst);
}

/** True for the `error` of a reminder given back because the lead was too short (as stored by an earlier run). */
export function missedForLackOfLead(error: unknown): boolean {
	return typeof error === 'string' && (error.endsWith(RAISE_LEAD) || error.endsWith(RAISE_LEAD_BEFORE));
}

/** One reminder of a run, as the sender's last step sees it. */
export interface SlotOutcome {
	/** The invoice number (or ID) the reminder is for, to name it. */
	invoice: string;
	delivery: { reason?: unknown; leadTooShort?: unknown; error?: unknown };
	/** The reminder's `error` as an earlier run left it (empty for a first try). */
	previousError: unknown;
}

/**
 * The alarm for a sender that stalls: a reminder given back for lack of lead in this run and the
 * run before will be given back in every run, silently, while the dunning waits. Null otherwise:
 * a single miss (a slow login once) mends itself in the next run.
 */
export function slotStall(mailbox: string, outcomes: readonly SlotOutcome[]): string | null {
	const stalled = outcomes.find((o) => o.delivery.reason === 'slotMissed' && o.delivery.leadTooShort === true && missedForLackOfLead(o.previousError));
	if (!stalled) return null;
	const why = /^Not sent: it missed its sending slot by [\d.]+ s \(([^)]*)\)/.exec(String(stalled.delivery.error ?? ''))?.[1];
	return (
		`Sending from mailbox "${mailbox}" is stalled: the reminder for invoice ${stalled.invoice} missed its sending slot in two runs in a row, ` +
		`because the lead before the first slot is too short${why ? ` (this run: ${why})` : ''}, and it will miss it in every run. ` +
		'Fix: raise "Connection Lead (Seconds)" in the Dunning Pace node ("Plan Sending Slots" in the shipped sender) above that time. ' +
		'Nothing is lost: the reminder stays released and goes out in the first run that catches its slot.'
	);
}
