import { MailboxError } from '../../lib/mailbox/errors';

import { readNumberSetting } from './number-setting';

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
	const read = readNumberSetting(value, { min: 1, capAt: MAX_TIMEOUT_SECONDS, unit: 'seconds', unsetIs: fallback });
	if ('value' in read) return read.value;
	throw new MailboxError('invalidOptions', `${setting} ${read.problem}. Remove the option to use the default (${fallback} s).`);
}
