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

/** Resolves after `ms`, or rejects with AbortedError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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

/** Keeps consecutive sends at least `minSecondsBetween` apart (measured start to start). */
export class Throttle {
	private last: number | null = null;

	constructor(
		private readonly minSecondsBetween: number,
		private readonly clock: Clock = systemClock,
	) {}

	/** Waits until the next message may go out. */
	async wait(signal?: AbortSignal): Promise<void> {
		if (this.last !== null) {
			const due = this.last + this.minSecondsBetween * 1000;
			await this.clock.sleep(due - this.clock.now(), signal);
		} else if (signal?.aborted) {
			throw new AbortedError();
		}
		this.last = this.clock.now();
	}
}

/** Waits until the clock reads `at` or later (a timer may fire a millisecond early). */
export async function waitUntil(clock: Clock, at: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new AbortedError();
	while (clock.now() < at) await clock.sleep(at - clock.now(), signal);
}

/** Backoff before retry number `attempt` (1-based): base, 2×base, 4×base … capped at 10 minutes. */
export function backoffMs(attempt: number, baseMs: number): number {
	return Math.min(baseMs * 2 ** (attempt - 1), 600_000);
}
