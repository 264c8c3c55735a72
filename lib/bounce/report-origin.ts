import type { MimePart } from './mime-walk';
import { addressesIn } from './message-headers';
import { hasNullReturnPath } from './bounce-signature';
import { cut } from './text-bounds';

/**
 * Whether a delivery report plausibly comes from a mail system rather than from a person. Anyone
 * can write a message that quotes a reminder's Message-ID and X-Dunning-* headers and says "user
 * unknown"; taken at its word it would block a live address. Mail systems send reports with the
 * null envelope sender (RFC 5321 §4.5.5, RFC 3464 §2), which the receiving server records as
 * `Return-Path: <>`, and from a system mailbox. None of this is authenticated: it keeps a customer
 * from ending e-mail reminders to their own address by replying with a fake report, not a
 * determined forger (see README, Classify Bounce).
 */

/**
 * Local parts of the mailboxes reports come from: MAILER-DAEMON, postmaster, no-reply,
 * Exchange's per-organisation arbitration mailbox (MicrosoftExchange + 32 hex digits) and MDaemon's
 * system account ("MDaemon@<domain>", which sends its delivery status notifications).
 */
const SYSTEM_LOCAL_PART =
	/^(?:microsoftexchange[0-9a-f]{32}|mdaemon|mailer[-_.]?daemon|mail[-_.]?daemon|post[-_.]?master|double-bounce|mail[-_.]?delivery(?:[-_.]?(?:system|subsystem|service))?|no[-_.]?reply)$/i;
const NO_REPLY = /^no[-_.]?reply$/i;
/**
 * Display names reports carry when the address itself is a redacted or local one, or none (Courier's
 * default sender is "Courier mail server at <host>" <@>: its source, config_dsnfrom).
 */
const SYSTEM_DISPLAY_NAME = /\b(?:mail delivery (?:system|subsystem|service)|mailer[- ]daemon|courier mail server at)\b/i;

export interface ReportOrigin {
	plausible: boolean;
	/** Why a report is not taken as one, for the result's diagnostic. */
	why: string | null;
}

function localPart(address: string): string {
	const at = address.lastIndexOf('@');
	return at < 0 ? address : address.slice(0, at);
}

/** The message comes from a mail system's mailbox; `noReply` whether a no-reply box counts (it also sends a ticket system's notes). */
export function hasSystemSender(top: Map<string, string[]>, noReply = true): boolean {
	const addresses = addressesIn(top, ['from', 'sender', 'return-path'], 10);
	if (addresses.some((a) => SYSTEM_LOCAL_PART.test(localPart(a)) && (noReply || !NO_REPLY.test(localPart(a))))) return true;
	// "Return-Path: <MAILER-DAEMON>" (Postfix's local delivery) names no domain.
	const bare = (top.get('return-path')?.[0] ?? '').trim().replace(/^<|>$/g, '');
	if (SYSTEM_LOCAL_PART.test(bare)) return true;
	// A display name anyone can type: it counts unless the envelope had an ordinary sender (reports
	// have the null one, RFC 5321 §4.5.5), "Mail Delivery System <max.mustermann@kunde.example>".
	// Exim's X-Failed-Recipients is on its bounces only. (A forwarder's envelope, SRS or Gmail's
	// "+caf_=", says nothing: it wraps a person's message as much as a report.)
	const envelope = addressesIn(top, ['return-path'], 1)[0];
	return (!envelope || top.has('x-failed-recipients')) && SYSTEM_DISPLAY_NAME.test(cut(top.get('from')?.[0] ?? '', 1000));
}

function isDsnStructure(top: Map<string, string[]>, parts: MimePart[]): boolean {
	const ct = cut(top.get('content-type')?.[0] ?? '', 1000);
	return (
		/^\s*multipart\/report\b/i.test(ct) &&
		/report-type\s*=\s*"?delivery-status/i.test(ct) &&
		parts.some((p) => p.depth === 1 && /^message\/(?:global-)?delivery-status$/.test(p.contentType))
	);
}

/**
 * Sent with the null return path (RFC 3834 §3.3, RFC 5321 §4.5.5) or from a mail system's or
 * no-reply mailbox (hasSystemSender): never a person's reply. One test for both sides, so that they
 * cannot drift apart: what makes replyToReminder refuse a message (`fromMailSystem`) must also be a
 * responder's mark in isAutoReply (auto-reply.ts), or an absence note that answers our reminder would be neither.
 */
export function sentByMachine(headers: Map<string, string[]>): boolean {
	return hasNullReturnPath(headers) || hasSystemSender(headers);
}

/**
 * `recipients` are the addresses the report says failed: a report sent from one of them is a
 * person writing about their own address (a real report comes from the reporting system).
 */
export function reportOrigin(top: Map<string, string[]>, parts: MimePart[], recipients: (string | null)[]): ReportOrigin {
	const from = addressesIn(top, ['from'], 10).map((a) => a.toLowerCase());
	const own = recipients.find((r) => !!r && from.includes(r.toLowerCase()));
	if (own) return { plausible: false, why: `it comes from ${own}, the address it reports as failed` };
	if (sentByMachine(top)) return { plausible: true, why: null };
	if (isDsnStructure(top, parts) && top.has('received')) return { plausible: true, why: null };
	return {
		plausible: false,
		why: 'it was not sent by a mail system (no null return path, no MAILER-DAEMON or postmaster sender, no delivery-status report received through a server)',
	};
}
