/** What the returned copy of the original message tells when the report itself says too little. */
import type { MimePart } from './mime-walk';
import { addressesIn, quotedHeader } from './message-headers';
import { saysDeliveryFailed } from './bounce-signature';
import { splitReportText } from './plain-text-bounce';

// (Exchange marks a message its inbox rules or mailbox forwarding passed on; Sieve a redirect.)
const REDIRECTS = ['x-dunning-copy', 'resent-to', 'resent-cc', 'resent-bcc', 'x-forwarded-to', 'x-ms-exchange-inbox-rules-loop', 'x-ms-exchange-forwardingloop', 'x-sieve-redirected-from'];

/**
 * When a report names no address at all, the returned original's single To: address is the one
 * that failed (a message to several recipients cannot tell which, so it gives none). `returned` are
 * the texts that may quote its header: a text/rfc822-headers part, the report's own returned copy.
 */
export function originalRecipient(parts: MimePart[], returned: string[], exclude: Set<string>): string | null {
	const attached = parts.find((p) => p.isAttachedMessage);
	// A copy also went elsewhere (our archive's Bcc, marked by X-Dunning-Copy; a resend; a forward): the
	// failed address may be that one, not the To.
	if ((attached && REDIRECTS.some((h) => attached.headers.has(h))) || returned.some((text) => REDIRECTS.some((h) => quotedHeader(text, h) !== null))) return null;
	const quotedTo = returned.map((text) => quotedHeader(text, 'to')).find((to) => to) ?? null;
	const to = attached ? addressesIn(attached.headers, ['to']) : quotedTo ? addressesIn(new Map([['to', [quotedTo]]]), ['to']) : [];
	return to.length === 1 && !exclude.has(to[0].toLowerCase()) ? to[0] : null;
}

/**
 * The text of an attached message that is itself a delivery report naming the recipient, or null.
 * An ordinary original (a reminder that says "your account will be suspended") must never explain a
 * bounce, so the attached text counts only when it reads as a failure report.
 */
export function attachedReportAbout(parts: MimePart[], recipient: string): string | null {
	// A single-part original is not split further: its body is the attached part's text after the header.
	const bodyOf = (p: MimePart) => (p.insideAttachedMessage ? p.text : p.text.slice(Math.max(0, p.text.search(/\r?\n\r?\n/))));
	const isPlainOriginal = (p: MimePart) =>
		!p.insideAttachedMessage && /^message\/(?:rfc822|global)$/.test(p.contentType) && !/^content-type:[ \t]*multipart\//im.test(p.text.slice(0, 4000));
	const text = parts
		.filter((p) => (p.insideAttachedMessage && p.contentType === 'text/plain') || isPlainOriginal(p))
		.map(bodyOf)
		.join('\n')
		.slice(0, 8000);
	if (!text || !text.toLowerCase().includes(recipient.toLowerCase()) || !saysDeliveryFailed(text)) return null;
	return splitReportText(text).report;
}
