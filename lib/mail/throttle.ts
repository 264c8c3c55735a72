/**
 * Pacing. A mailbox that suddenly sends a burst of reminders looks like a hijacked account to
 * providers' spam filters, so messages are spaced by a minimum interval. Waits end early when the
 * execution is cancelled.
 */

export class AbortedError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'AbortedError';
	}
}

/**
 * The longest wait one timer can hold: Node fires a timer at once (after 1 ms, with a
 * TimeoutOverflowWarning) when asked for more than 2^31 - 1 ms (24.8 days). Longer waits are
 * made of several timers, so that no pause is ever silently dropped.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Resolves after `ms`, or rejects with AbortedError as soon as `signal` aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new AbortedError();
	for (let left = ms; left > 0; left -= MAX_TIMER_MS) await oneTimer(Math.min(left, MAX_TIMER_MS), signal);
}

function oneTimer(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) return Promise.reject(new AbortedError());
	if (ms <= 0) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(new AbortedError());
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

export interface Clock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

/**
 * Waits `ms` on `clock`, in steps a timer can hold (MAX_TIMER_MS): a clock's `sleep` may be a single
 * timer (n8n's is), which would end a longer wait at once. A wait of 0 or less is one call, as before.
 */
export async function clockSleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
	const end = clock.now() + ms;
	let left = ms;
	while (left > MAX_TIMER_MS) {
		await clock.sleep(MAX_TIMER_MS, signal);
		left = end - clock.now();
	}
	await clock.sleep(left, signal);
}

/** Keeps consecutive sends at least `minSecondsBetween` apart (measured start to start). */
export class Throttle {
	private last: number | null = null;

	constructor(
		private readonly minSecondsBetween: number,
		private readonly clock: Clock = systemClock,
	) {
		// NaN would make every wait a 1 ms timer: no pace at all, without a word.
		if (!(Number.isFinite(minSecondsBetween) && minSecondsBetween >= 0)) {
			throw new RangeError(`minSecondsBetween must be a number of seconds of at least 0, not ${String(minSecondsBetween)}`);
		}
	}

	/** Waits until the next message may go out. */
	async wait(signal?: AbortSignal): Promise<void> {
		if (this.last !== null) {
			const due = this.last + this.minSecondsBetween * 1000;
			await clockSleep(this.clock, due - this.clock.now(), signal);
		} else if (signal?.aborted) {
			throw new AbortedError();
		}
		this.last = this.clock.now();
	}
}

/** Waits until the clock reads `at` or later (a timer may fire a millisecond early). */
export async function waitUntil(clock: Clock, at: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new AbortedError();
	while (clock.now() < at) await clock.sleep(Math.min(at - clock.now(), MAX_TIMER_MS), signal);
}

/** Backoff before retry number `attempt` (1-based): base, 2×base, 4×base … capped at 10 minutes. */
export function backoffMs(attempt: number, baseMs: number): number {
	return Math.min(baseMs * 2 ** (attempt - 1), 600_000);
}
