/**
 * What to do with a level whose last e-mail the recipient's side refused (a full mailbox, a
 * filter, a message that expired in the queue): the address is not proven dead, so the level goes
 * by e-mail once more after a pause, and on paper once the refusals exceed what the policy allows.
 * A dead address or a complaint never gets here: bounce handling blocks the address instead.
 */
export type EmailRetryVerdict =
	| { kind: 'email' }
	/** Not yet: try again by e-mail on `day` (a day number). */
	| { kind: 'wait'; day: number }
	| { kind: 'paper' };

const EMAIL: EmailRetryVerdict = Object.freeze({ kind: 'email' }) as EmailRetryVerdict;
const PAPER: EmailRetryVerdict = Object.freeze({ kind: 'paper' }) as EmailRetryVerdict;

/**
 * `refusals`: refused e-mails of the current level; `refusedDay`: day number of the last refusal
 * (null when unknown: then no pause is owed). Pure: the caller says which day it is.
 */
export function emailRetryVerdict(
	refusals: number,
	refusedDay: number | null,
	today: number,
	retryAfterDays: number,
	maxRefusals: number,
): EmailRetryVerdict {
	if (refusals <= 0) return EMAIL;
	if (refusals > maxRefusals) return PAPER;
	if (refusedDay === null) return EMAIL;
	const retryDay = refusedDay + retryAfterDays;
	return today < retryDay ? { kind: 'wait', day: retryDay } : EMAIL;
}
