/** Reason vocabulary shared with the most widely used bounce classifiers (see DESIGN.md). */
export const BOUNCE_REASONS = [
	'userunknown',
	'hostunknown',
	'hasmoved',
	'notaccept',
	'mailboxfull',
	'mesgtoobig',
	'exceedlimit',
	'suspend',
	'filtered',
	'rejected',
	'blocked',
	'spamdetected',
	'virusdetected',
	'policyviolation',
	'securityerror',
	'authfailure',
	'requireptr',
	'badreputation',
	'notcompliantrfc',
	'norelaying',
	'syntaxerror',
	'toomanyconn',
	'speeding',
	'expired',
	'networkerror',
	'systemerror',
	'systemfull',
	'mailererror',
	'contenterror',
	'failedstarttls',
	'onhold',
	'undefined',
	'delivered',
	'vacation',
	'feedback',
] as const;

export type BounceReason = (typeof BOUNCE_REASONS)[number];

export type BounceKind = 'hard' | 'soft' | 'autoReply' | 'complaint' | 'delivered' | 'none';

/** What a result means for dunning (DESIGN.md, Classify Bounce; see category.ts). */
export const BOUNCE_CATEGORIES = [
	'addressDead',
	'recipientRefused',
	'senderRejected',
	'delayed',
	'complaint',
	'autoReply',
	'reply',
	'delivered',
	'none',
] as const;

export type BounceCategory = (typeof BOUNCE_CATEGORIES)[number];

/** One classified recipient of a message: the `bounce` object of DESIGN.md. */
export interface BounceResult {
	isBounce: boolean;
	kind: BounceKind;
	/** What the result means for dunning: addressDead, recipientRefused, senderRejected, delayed, … */
	category: BounceCategory;
	/** False for a notice that the server is still trying (RFC 3464 `Action: delayed`); true otherwise. */
	final: boolean;
	/** Machine reason; `null` only for a message that is not a bounce at all. */
	reason: BounceReason | null;
	/** RFC 3463 enhanced status code, only when the message carries one. */
	status: string | null;
	/** SMTP reply code (e.g. "550"), only when the message carries one. */
	replyCode: string | null;
	/** The remote server's words (or, for kind `none`, why nothing was found / which limit hit). */
	diagnostic: string | null;
	/** The address that failed, as the report names it last (RFC 3464 Final-Recipient). */
	recipient: string | null;
	/**
	 * The address the message was sent to, when the report gives it (RFC 3464 Original-Recipient):
	 * where a forward or an alias sent it on, `recipient` is the address it went on to.
	 */
	originalRecipient: string | null;
	remoteMta: string | null;
	reportingMta: string | null;
	originalMessageId: string | null;
	invoiceId: string | null;
	level: number | null;
	/**
	 * The failed recipient is the sender's own copy: the archive copy (the SMTP credential's BCC), as
	 * the reminder's X-Dunning-Copy mark proves, or an address in the sender's own domain the returned
	 * reminder was not addressed to (a journal, a server-side Bcc, a colleague in Cc; own-copy.ts). Category `none`,
	 * since it says nothing about the customer; kind and reason still say what happened to the copy.
	 */
	archiveCopy: boolean;
	/** ARF Feedback-Type of a complaint (abuse, fraud, …). */
	feedbackType: string | null;
	/** Category `reply`: the first lines of the customer's new text (quoted part cut); null otherwise. */
	replyText: string | null;
	/**
	 * Set (kind `none`) when the message could not be read at all: over a size, depth or parts limit,
	 * empty, no email, a read error; `diagnostic` says which. It may be a bounce: a person must look.
	 */
	notRead?: true;
}

export interface ClassifyOptions {
	/** Messages larger than this are not parsed (kind `none`, reason says so). Default 10 MiB. */
	maxBytes?: number;
	/** Deepest MIME nesting walked (multiparts and attached messages). Default 20. */
	maxDepth?: number;
	/**
	 * The merchant's own domains beyond the reminder's From (a group's other domains, an archive
	 * domain), lower-case ASCII as ownDomainList returns them: a failed address there that the
	 * reminder was not addressed to is our own copy (own-copy.ts).
	 */
	ownDomains?: string[];
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 20;

/** Per-recipient facts as extracted from a report, before the reason is decided. */
export interface RecipientFacts {
	recipient: string | null;
	/** RFC 3464 Original-Recipient, when the report has one. */
	originalRecipient?: string | null;
	action: string | null;
	status: string | null;
	replyCode: string | null;
	diagnostic: string | null;
	/** Diagnostic-Code type (RFC 3464 §2.3.6): "smtp", "x-unix" (a local program), "x-postfix"… */
	diagnosticType?: string | null;
	remoteMta: string | null;
	reportingMta: string | null;
	/**
	 * Seconds the message waited between arrival and this report (RFC 3464 §2.2.5 Arrival-Date to
	 * §2.3.7 Last-Attempt-Date, or to the report's own Date), when the report says both.
	 */
	waitedSeconds?: number | null;
}

/** The original message's correlation data. */
export interface Correlation {
	originalMessageId: string | null;
	invoiceId: string | null;
	level: number | null;
	runId: string | null;
	/** The X-Dunning-Copy mark: which envelope recipient was the sender's archive copy (lib/mail/archive-copy.ts). */
	archiveCopyMark: string | null;
}
