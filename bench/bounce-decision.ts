import type { BounceCategory } from '../lib/bounce';

/**
 * What a category miss costs the dunning, so that the accuracy bench can weigh errors by their
 * consequence instead of counting them alike:
 * - `right`: the category the label stands for (or `delayed` where the label is a 4xx failure).
 * - `safeMiss`: `recipientRefused` where the label says the address is dead. This reminder still
 *   goes on paper; the address stays, so at worst one more e-mail is refused before paper. It is
 *   the answer issue 12 requires when nothing in the message proves the address dead.
 * - `unsafeDead`: `addressDead` for an address the label does not call dead: a live customer's
 *   address blocked and every later reminder moved to paper.
 * - `lost`: no result (or `none`) where a bounce was expected: the reminder counts as delivered.
 * - `otherMiss`: any other wrong action (a sender refusal that does not count towards pausing the
 *   mailbox, a complaint read as a refusal, …).
 */
export type DecisionOutcome = 'right' | 'safeMiss' | 'unsafeDead' | 'lost' | 'otherMiss';

export function decisionOutcome(got: BounceCategory | null, expected: readonly BounceCategory[], temporary: boolean): DecisionOutcome {
	if (got !== null && (expected.includes(got) || (got === 'delayed' && temporary))) return 'right';
	if (got === null || got === 'none') return 'lost';
	if (got === 'addressDead') return 'unsafeDead';
	if (got === 'recipientRefused' && expected.includes('addressDead')) return 'safeMiss';
	return 'otherMiss';
}

/** A decision is acceptable when it is right or errs on the safe side. */
export const isAcceptableDecision = (o: DecisionOutcome): boolean => o === 'right' || o === 'safeMiss';
