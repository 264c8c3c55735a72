import { showValue } from '../../lib/dunning/field-value';
import { MailboxError } from '../../lib/mailbox/errors';

/**
 * A timeout option in seconds. Node's timers fire at once beyond 2^31 - 1 ms (24.8 days), so a
 * generous "9999999 to be safe" would time out every step: the value is held to an hour.
 */
export const MAX_TIMEOUT_SECONDS = 3600;

/**
 * `value` in seconds (a number, or a number given as text), held to an hour; `fallback` when unset
 * (undefined or null). Anything else an expression may give ("abc", "", 0, -1, an object) fails
 * naming the option: quietly taking the fallback would wait 30 s where the workflow asked otherwise.
 * At least 1 s, the panel's minimum: a shorter one would not even cover a TLS handshake.
 */
export function timeoutSeconds(value: unknown, fallback: number, setting = 'Option "Timeout (Seconds)" (timeoutSeconds)'): number {
	if (value === undefined || value === null) return fallback;
	const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof seconds === 'number' && seconds >= 1) return Math.min(seconds, MAX_TIMEOUT_SECONDS);
	throw new MailboxError(
		'invalidOptions',
		`${setting} must be a number of seconds of at least 1 (more than ${MAX_TIMEOUT_SECONDS} counts as ${MAX_TIMEOUT_SECONDS}), not ${showValue(value)}. Remove the option to use the default (${fallback} s).`,
	);
}
