/**
 * A report the customer's own server wrote (from a mailbox at exactly the domain of the address we
 * wrote to: Exchange's "postmaster@<their domain>") was written after that server had taken our
 * reminder, host, sender and all:
 * - a refusal of the connecting host or of its session at the Remote-MTA it names (RFC 3464 §2.3.2)
 *   refused the customer's server on its next hop (an old hoster still holding the domain, a smart
 *   host that wants a login, a forward target's block list), not our host;
 * - its own X.7.x refusal with no cause we can read (a transport rule's or a moderator's own words)
 *   can no longer be about our host or login: RFC 3463's "per-host or per-recipient filtering" is
 *   then the recipient's (`filtered`), as Exchange's RESOLVER.RST restrictions are.
 * Their set-up either way, no alarm about our sender. Verdicts on content (spam, virus, size) and on
 * our domain's authentication travel with our message and stay ours.
 */
import type { BounceReason, BounceResult } from './types';
import { domainOf } from './forwarded';
import { asciiAddress } from './message-headers';
import { isMailboxProvider } from './mailbox-provider';

const HOST_REFUSALS: ReadonlySet<BounceReason> = new Set<BounceReason>(['blocked', 'badreputation', 'requireptr', 'toomanyconn', 'failedstarttls', 'norelaying']);
const LOGIN_REQUIRED = /\bauthentication (?:is )?required\b|\bmust (?:be )?authenticated?\b|\bauthentifizierung (?:ist )?erforderlich\b/i;

export function afterCustomersServerTookIt(r: BounceResult, reportFrom: string | null): BounceResult {
	if (r.category !== 'senderRejected') return r;
	const address = r.originalRecipient ?? r.recipient;
	// (At a mailbox provider the writer's domain is everyone's, ours too when we send through it.
	// Exactly that domain: a relay at a parent or sibling domain may be our own.)
	if (!address || isMailboxProvider(address) || !reportFrom || domainOf(asciiAddress(reportFrom)) !== domainOf(asciiAddress(address))) return r;
	if (r.remoteMta) {
		const hostRefused = HOST_REFUSALS.has(r.reason as BounceReason) || (r.reason === 'securityerror' && LOGIN_REQUIRED.test(r.diagnostic ?? ''));
		return hostRefused ? { ...r, category: 'recipientRefused' } : r;
	}
	return r.reason === 'securityerror' ? { ...r, reason: 'filtered', category: 'recipientRefused' } : r;
}
