/**
 * A refusal our own SMTP server gave while we were sending (a 5xx to RCPT TO, DATA or MAIL FROM),
 * read with the same rules and vocabulary as a bounce that comes back by mail (Classify Bounce):
 * what it means for dunning does not depend on whether the refusal came at once or in a report.
 * The difference is that the sender knows which command was refused, where a report has to be
 * read for it; that fact is passed in, never guessed from the words.
 */
import { cleanDiagnostic } from './classify';
import { categoryFor } from './category';
import { decideReason, isHardBounce, kindFor } from './decide';
import type { SmtpStage } from './diagnostic-reason';
import { bestStatusCode, findReplyCode } from './status-code';
import type { BounceCategory, BounceReason } from './types';

export interface RefusalAtSend {
	/** The basic reply code, e.g. 550; null when the error carried none (then taken from the text). */
	code: number | null;
	/** The server's reply text, e.g. "550 5.1.1 <kunde@example.org>: Recipient address rejected: User unknown". */
	response: string | null;
	/** The command the reply answered, when the session knows it. */
	command?: 'MAIL FROM' | 'RCPT TO' | 'DATA' | null;
	/** The status of a refusal that has no reply text: the sending client's own (e.g. "5.6.7"). */
	status?: string;
	/** The customer's address the refusal is about (an address beyond ASCII makes 5.6.7 theirs, not ours). */
	recipient?: string;
}

export interface RefusalClassification {
	/** What the refusal means for dunning: addressDead, recipientRefused or senderRejected. */
	category: BounceCategory;
	/** Machine reason in the bounce vocabulary (userunknown, spamdetected, norelaying …). */
	reason: BounceReason;
	/** RFC 3463 enhanced status code from the reply (e.g. "5.1.1"), only when the reply has one. */
	status: string | null;
}

const NOT_A_FAILURE: ReadonlySet<BounceReason> = new Set<BounceReason>(['delivered', 'vacation', 'feedback']);

const STAGE_OF: Record<'MAIL FROM' | 'RCPT TO' | 'DATA', SmtpStage> = { 'MAIL FROM': 'mail', 'RCPT TO': 'rcpt', DATA: 'data' };

/**
 * The category, reason and status of a permanent refusal at send time. A refusal at send time is
 * final (the server said no; nobody is still trying), so it is never `delayed`; a transient (4xx)
 * reply passed in anyway comes out `recipientRefused`, which proves nothing about the address.
 */
export function classifyRefusalAtSend(refusal: RefusalAtSend): RefusalClassification {
	const diagnostic = refusal.response ? cleanDiagnostic(refusal.response) : null;
	const status = diagnostic ? bestStatusCode(diagnostic, true) : (refusal.status ?? null);
	const replyCode = refusal.code !== null ? String(refusal.code) : diagnostic ? findReplyCode(diagnostic, true) : null;
	const stage = refusal.command ? STAGE_OF[refusal.command] : null;
	const decided = decideReason(status, diagnostic, null, null, stage);
	// A refusal is a failure whatever its words say ("vacation", "feedback" in a filter's text).
	const reason: BounceReason = NOT_A_FAILURE.has(decided) ? 'undefined' : decided;
	const kind = kindFor(reason, isHardBounce(reason, status, replyCode));
	const category = categoryFor({ reason, kind, status, replyCode, final: true, diagnostic, context: null, stage, recipient: refusal.recipient });
	return { category, reason, status };
}
