/**
 * A report the customer's own server wrote (from postmaster@ or MAILER-DAEMON@ exactly the domain of
 * the address we wrote to, as Exchange sends its reports; an MTA's MAILER-DAEMON@<its host> may be
 * anyone's relay) was written after that server had taken our reminder, host, sender and all:
 * - a refusal of its session at the Remote-MTA it names (RFC 3464 §2.3.2) refused the customer's
 *   server on its next hop (an old hoster still holding the domain refusing to relay, a smart host
 *   that wants a login, a block list naming the customer's own IP, an SPF check there of the
 *   customer's IP), not our host;
 * - its own X.7.x refusal in words no rule knows and that name nothing of ours (a transport rule's or
 *   a moderator's own text) can no longer be about our host or login: RFC 3463's "per-host or
 *   per-recipient filtering" is then the recipient's (`filtered`), as Exchange's RESOLVER.RST
 *   restrictions are.
 * Their set-up either way, no alarm about our sender. Verdicts on content (spam, virus, size), on our
 * IP (a filter checking the Received lines after it took the message) and on our domain's
 * authentication travel with our message and stay ours.
 */
import type { BounceReason, BounceResult } from './types';
import { domainOf } from './forwarded';
import { asciiAddress } from './message-headers';
import { isMailboxProvider } from './mailbox-provider';

const SESSION_REFUSALS: ReadonlySet<BounceReason> = new Set<BounceReason>(['toomanyconn', 'failedstarttls', 'norelaying']);
const IP_REFUSALS: ReadonlySet<BounceReason> = new Set<BounceReason>(['blocked', 'badreputation', 'requireptr']);
const LOGIN_REQUIRED = /\bauthentication (?:is )?required\b|\bmust (?:be )?authenticated?\b|\bauthentifizierung (?:ist )?erforderlich\b/i;
const NAMES_OURS = /\b(?:spf|dkim|dmarc|compauth|spoof\w*|authenticat\w*|reputation|spam\w*|phish\w*|malware|virus|blocked|black ?list\w*|block ?list\w*|ip)\b/i;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;

// (a broken SPF record of ours fails wherever the reminder goes: RFC 7208 §4.6.4's lookup limits and
// §4.5's syntax are "permerror", however a server words them; a help link's words are no verdict)
const SPF_OF_OUR_RECORD =
	/\b(?:dkim|dmarc|permerror|temperror)\b|\bperm(?:anent)? error\b|\b(?:too many|more than (?:10|ten)) (?:dns |void )?lookups\b|\bvoid lookups?\b|\b(?:invalid|malformed|multiple|bad) spf records?\b|\bspf record\b[^.;\n]{0,60}\b(?:invalid|malformed|syntax)|\bsyntax error\b[^.;\n]{0,30}\bspf\b|\bdns[- ]interactive terms\b/i;

/** SPF's verdict on the host that connected (RFC 7208 §1.1.3, Appendix D), not on our domain's record. */
export function isSpfOfConnectingHost(text: string | null): boolean {
	const words = (text ?? '').replace(/\bhttps?:\/\/\S+/gi, ' ');
	return /\b(?:spf|sender policy framework)\b/i.test(words) && !SPF_OF_OUR_RECORD.test(words);
}

/**
 * `reportFrom`: the report's From; `writerIp`: the address the report itself came from (its topmost
 * Received line), the customer's server; `returnedTrail`: the Received lines of the returned reminder,
 * where our own hosts' addresses stand.
 */
export function afterCustomersServerTookIt(r: BounceResult, reportFrom: string | null, writerIp: string | null, returnedTrail: string): BounceResult {
	if (r.category !== 'senderRejected') return r;
	const address = r.originalRecipient ?? r.recipient;
	// (At a mailbox provider the writer's domain is everyone's, ours too when we send through it.
	// Exactly that domain: a relay at a parent or sibling domain may be our own.)
	if (!address || isMailboxProvider(address) || !reportFrom || !/^(?:postmaster|mailer-daemon)@/i.test(reportFrom) || domainOf(asciiAddress(reportFrom)) !== domainOf(asciiAddress(address))) return r;
	const said = r.diagnostic ?? '';
	if (r.remoteMta) {
		// A refused or SPF-checked IP counts only when it is the customer's server's own, none of ours.
		const ips = said.match(IPV4) ?? [];
		const theirIp = !!writerIp && ips.length > 0 && ips.every((ip) => ip === writerIp && !returnedTrail.includes(ip));
		const theirs =
			SESSION_REFUSALS.has(r.reason as BounceReason) ||
			(r.reason === 'securityerror' && LOGIN_REQUIRED.test(said)) ||
			(r.reason === 'authfailure' && isSpfOfConnectingHost(said) && theirIp) ||
			(IP_REFUSALS.has(r.reason as BounceReason) && theirIp);
		return theirs ? { ...r, category: 'recipientRefused' } : r;
	}
	return r.reason === 'securityerror' && !NAMES_OURS.test(said) ? { ...r, reason: 'filtered', category: 'recipientRefused' } : r;
}
