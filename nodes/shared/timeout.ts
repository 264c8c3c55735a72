/**
 * A timeout option in seconds. Node's timers fire at once beyond 2^31 - 1 ms (24.8 days), so a
 * generous "9999999 to be safe" would time out every step: the value is held to an hour.
 */
export const MAX_TIMEOUT_SECONDS = 3600;

/** `value` in seconds when it is a positive number (at most an hour), else `fallback`. */
export function timeoutSeconds(value: unknown, fallback: number): number {
	const seconds = Number(value ?? fallback);
	return Math.min(Number.isFinite(seconds) && seconds > 0 ? seconds : fallback, MAX_TIMEOUT_SECONDS);
}
