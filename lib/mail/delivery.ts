/** The outcome of one reminder, as the Send Reminder Email node reports it per item. */
import type { BounceCategory, BounceReason } from '../bounce/types';

export type DeliveryStatus = 'sent' | 'failed' | 'deferred' | 'paper' | 'notSent' | 'preview';

export interface Delivery {
	status: DeliveryStatus;
	/** Our Message-ID (with angle brackets); null when no message was built. */
	messageId: string | null;
	/** The server's last reply text for this message, e.g. "250 2.0.0 Ok: queued as 4FjX". */
	smtpResponse: string | null;
	smtpCode: number | null;
	/** How many times the message was handed to the server in this run (0 = never). */
	attempts: number;
	/** ISO timestamp of the accepting 250 reply. */
	sentAt: string | null;
	/** Machine-readable reason for anything but `sent`/`preview`, e.g. `recipientRejected`. */
	reason?: string;
	/** What went wrong, in words, for a person. Never contains secrets. */
	error?: string;
	/**
	 * For `runStopped`: the failure that stopped the run (auth, tls, connect, dns, sender …), so a
	 * workflow can react to it; also on the `failed` reminder whose refusal stopped it (`sender`).
	 */
	stopKind?: string;
	/** For `slotMissed`: a longer Connection Lead (Plan Sending Slots) would have caught the slot. */
	leadTooShort?: boolean;
	/**
	 * This (invoice, level) was sent already, by an earlier run or an earlier item of this one
	 * (`duplicateOf`); nothing was sent now. With `preview`: the real run would not send it.
	 */
	duplicate?: boolean;
	/** With `duplicate`: the earlier item of this run (its index) that sent the reminder, when it was one of this run. */
	duplicateOf?: number;
	/** Addresses of the customer's list the server refused while it took the message for the others. */
	refusedRecipients?: string[];
	/**
	 * With `sent`, only when it went to fewer of the customer's addresses than the item named (a
	 * server without SMTPUTF8 takes only those in ASCII): the addresses it went to. A bounce of one
	 * of them must not count the others as reached.
	 */
	sentTo?: string[];
	/**
	 * For `failed` / `rejected` (the server refused this message): what the refusal means for dunning,
	 * in Classify Bounce's categories (`addressDead`, `recipientRefused`, `senderRejected`), so that a
	 * refusal at send time is handled like the same refusal returned by mail.
	 */
	category?: BounceCategory;
	/** With `category`: the reason in Classify Bounce's vocabulary (userunknown, spamdetected …). */
	bounceReason?: BounceReason;
	/**
	 * For a refusal (`failed`, or `deferred` for a 4xx): the command the server's reply answered,
	 * MAIL FROM (our sender), RCPT TO (the recipient) or DATA (the message), when known.
	 */
	smtpCommand?: 'MAIL FROM' | 'RCPT TO' | 'DATA';
	/** With `category`: the RFC 3463 status code of the refusal (e.g. "5.1.1"), null when the reply has none. */
	smtpStatus?: string | null;
	/** Something after the send went wrong (e.g. the copy to the Sent folder); the reminder itself went out. */
	warning?: string;
}

export function emptyDelivery(status: DeliveryStatus, extra: Partial<Delivery> = {}): Delivery {
	return { status, messageId: null, smtpResponse: null, smtpCode: null, attempts: 0, sentAt: null, ...extra };
}
