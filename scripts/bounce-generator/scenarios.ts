import type { BounceCategory, BounceReason } from '../../lib/bounce';
import { HOSTS, LOCAL_DOMAIN, LOCAL_FULL_USER, UNKNOWN_DOMAIN } from './layout';

/**
 * The failures the generator provokes, and what each DSN must be classified as. Expected values
 * follow the situation and the standards (RFC 3463 codes, RFC 3464 Action), not the classifier:
 *  - a delay notice (RFC 3464 `Action: delayed`) is `delayed`, not final; its reason is `expired`
 *    (the message sits in the queue), as for the failure that follows when the queue lifetime ends;
 *  - an expiry after repeated temporary failures is `expired` / recipientRefused, whatever the
 *    last temporary answer was (greylisting 4.7.1 included: by definition nothing was refused);
 *  - refusals about our sender or message are senderRejected; unknown user/domain are addressDead.
 */

export type ScenarioKind =
	| 'user-unknown'
	| 'host-unknown'
	| 'mailbox-full'
	| 'message-too-large'
	| 'content-refused'
	| 'relaying-denied'
	| 'sender-refused'
	| 'connection-refused'
	| 'timeout'
	| 'greylisting'
	| 'local-user-unknown'
	| 'local-mailbox-full'
	| 'several-recipients'
	| 'dmarc-refused'
	| 'user-unknown-after-data';

export interface Expected {
	category: BounceCategory;
	reason: BounceReason;
	final: boolean;
	recipient: string;
	/** RFC 3463 status, only where the situation fixes it (an expiry may report either code). */
	status?: string;
}

export interface Scenario {
	kind: ScenarioKind;
	to: string;
	/** What the final DSN is. */
	failure: Omit<Expected, 'recipient'>;
	/**
	 * Further recipients of the same reminder: each that fails must be in the one DSN with `to`, with
	 * its own result (in whatever order the MTA tried them); one that is delivered (`failure: null`)
	 * must not appear in it.
	 */
	alsoTo?: readonly { to: string; failure: Omit<Expected, 'recipient'> | null }[];
	/** True when the MTA first sends a delay notice (temporary trouble until the queue lifetime ends). */
	delayedFirst: boolean;
	/** What the refusing side is, for the README and the run log. */
	how: string;
}

const expired: Omit<Expected, 'recipient'> = { category: 'recipientRefused', reason: 'expired', final: true };

export const SCENARIOS: readonly Scenario[] = [
	{
		kind: 'user-unknown',
		to: `kunde.unbekannt@${HOSTS.mx.domain}`,
		failure: { category: 'addressDead', reason: 'userunknown', final: true, status: '5.1.1' },
		delayedFirst: false,
		how: 'remote MX (scripted peer) answers RCPT with 550 5.1.1 User unknown',
	},
	{
		kind: 'host-unknown',
		to: `kunde@${UNKNOWN_DOMAIN}`,
		failure: { category: 'addressDead', reason: 'hostunknown', final: true },
		delayedFirst: false,
		how: 'the resolver answers NXDOMAIN (RFC 2606 .invalid)',
	},
	{
		kind: 'mailbox-full',
		to: `kunde.voll@${HOSTS.mx.domain}`,
		failure: { category: 'recipientRefused', reason: 'mailboxfull', final: true, status: '5.2.2' },
		delayedFirst: false,
		how: "remote MX answers RCPT with 552 5.2.2 (Dovecot's quota text)",
	},
	{
		kind: 'message-too-large',
		to: `kunde@${HOSTS.small.domain}`,
		failure: { category: 'senderRejected', reason: 'mesgtoobig', final: true, status: '5.3.4' },
		delayedFirst: false,
		how: 'remote advertises SIZE 2000 and refuses the 3 kB reminder with 552 5.3.4',
	},
	{
		kind: 'content-refused',
		to: `kunde.spam@${HOSTS.mx.domain}`,
		failure: { category: 'senderRejected', reason: 'spamdetected', final: true, status: '5.7.1' },
		delayedFirst: false,
		how: "remote MX accepts the recipient, then answers the end of DATA with rspamd's 554 5.7.1 Spam message rejected",
	},
	{
		kind: 'dmarc-refused',
		to: `kunde.dmarc@${HOSTS.mx.domain}`,
		failure: { category: 'senderRejected', reason: 'authfailure', final: true, status: '5.7.26' },
		delayedFirst: false,
		how: "remote MX accepts the recipient, then answers the end of DATA with Gmail's five-line 550 5.7.26 DMARC refusal",
	},
	{
		// Issue 12: "user unknown" after the recipient was accepted is the recipient's filter, never
		// proof of a dead address.
		kind: 'user-unknown-after-data',
		to: `kunde.filter@${HOSTS.mx.domain}`,
		failure: { category: 'recipientRefused', reason: 'filtered', final: true },
		delayedFirst: false,
		how: 'remote MX accepts the recipient, then answers the end of DATA with 550 <address>: User unknown',
	},
	{
		kind: 'relaying-denied',
		to: `kunde@${HOSTS.foreign.domain}`,
		failure: { category: 'senderRejected', reason: 'norelaying', final: true, status: '5.7.1' },
		delayedFirst: false,
		how: 'a domain routed to an MX that is not its destination: 554 5.7.1 Relay access denied',
	},
	{
		kind: 'sender-refused',
		to: `kunde@${HOSTS.strict.domain}`,
		failure: { category: 'senderRejected', reason: 'rejected', final: true, status: '5.7.1' },
		delayedFirst: false,
		how: 'remote answers MAIL FROM with 550 5.7.1 Sender address rejected',
	},
	{
		kind: 'connection-refused',
		to: `kunde@${HOSTS.closed.domain}`,
		failure: expired,
		delayedFirst: true,
		how: 'nothing listens at the remote address: delayed, then expired after the (shortened) queue lifetime',
	},
	{
		kind: 'timeout',
		to: `kunde@${HOSTS.silent.domain}`,
		failure: expired,
		delayedFirst: true,
		how: 'remote accepts TCP and never greets: timeouts, delayed, then expired',
	},
	{
		kind: 'greylisting',
		to: `kunde@${HOSTS.grey.domain}`,
		failure: expired,
		delayedFirst: true,
		how: "remote answers every RCPT with postgrey's 450 4.7.1 Greylisted: delayed, then expired",
	},
	{
		// A reminder to several addresses of one customer (Send Reminder Email takes lists): the DSN
		// must say which of them failed and how, and the one that was delivered must not be blamed.
		kind: 'several-recipients',
		to: `kunde.unbekannt@${HOSTS.mx.domain}`,
		failure: { category: 'addressDead', reason: 'userunknown', final: true, status: '5.1.1' },
		alsoTo: [
			{ to: `buchhaltung@${HOSTS.mx.domain}`, failure: null },
			{ to: `kunde.voll@${HOSTS.mx.domain}`, failure: { category: 'recipientRefused', reason: 'mailboxfull', final: true, status: '5.2.2' } },
		],
		delayedFirst: false,
		how: 'one reminder to three addresses at the remote MX: unknown user (550 5.1.1), accepted, full mailbox (552 5.2.2)',
	},
	{
		kind: 'local-user-unknown',
		to: `niemand@${LOCAL_DOMAIN}`,
		failure: { category: 'addressDead', reason: 'userunknown', final: true },
		delayedFirst: false,
		how: "the MTA's own local delivery finds no such user",
	},
	{
		kind: 'local-mailbox-full',
		to: `${LOCAL_FULL_USER}@${LOCAL_DOMAIN}`,
		failure: { category: 'recipientRefused', reason: 'mailboxfull', final: true },
		delayedFirst: false,
		how: "the MTA's own local delivery is over its quota / size limit",
	},
];

/** Fixture file names of a scenario: one, or a delay notice and the failure after it. */
export function fixtureNames(kind: ScenarioKind, delayedFirst: boolean): { delayed: string | null; failure: string } {
	return delayedFirst ? { delayed: `${kind}-delayed.eml`, failure: `${kind}-expired.eml` } : { delayed: null, failure: `${kind}.eml` };
}
