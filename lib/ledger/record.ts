/**
 * What a delivery outcome writes back to the claimed reminder row. Only the holder of the claim
 * records, so an execution that lost its claim (its lease ended) cannot overwrite a newer one; a
 * `sent` outcome is written even then, because the mail is out whoever holds the row now.
 */
import { eq, type LedgerData, type LedgerRow, type LedgerTable } from './table';

export interface DeliveryOutcome {
	status: string;
	reason?: string;
	messageId?: string;
	sentAt?: string;
	attempts?: number;
	smtpResponse?: string;
	error?: string;
}

export interface RecordRequest {
	rowId: number;
	claimId: string;
	/** When the claim ends (epoch ms): an outcome-unknown reminder is not tried again before. */
	leaseUntil: number;
	now: number;
	delivery: DeliveryOutcome;
}

/** The row update for one outcome. A reminder that was not sent (run stopped, dry run) goes back to `released`. */
export function outcomeUpdate(request: RecordRequest): LedgerData {
	const { delivery, now, leaseUntil } = request;
	const common: LedgerData = {
		attempts: delivery.attempts ?? 0,
		smtpResponse: delivery.smtpResponse ?? '',
		error: delivery.error ?? '',
		leaseUntil: null,
	};
	switch (delivery.status) {
		case 'sent':
			return { ...common, status: 'sent', messageId: delivery.messageId ?? '', sentAt: delivery.sentAt ?? '' };
		case 'failed':
		case 'paper':
			return { ...common, status: delivery.status, messageId: delivery.messageId ?? '' };
		case 'deferred':
			return {
				...common,
				status: 'deferred',
				messageId: delivery.messageId ?? '',
				retryAfter: delivery.reason === 'outcomeUnknown' ? Math.max(leaseUntil, now) : now,
			};
		default:
			return { status: 'released', claimId: '', leaseUntil: null, error: delivery.error ?? '' };
	}
}

/** Writes the outcome; returns the row afterwards, or null when the claim was lost and nothing was written. */
export async function recordOutcome(table: LedgerTable, request: RecordRequest): Promise<LedgerRow | null> {
	const data = outcomeUpdate(request);
	const [mine] = await table.update([eq('id', request.rowId), eq('claimId', request.claimId)], data);
	if (mine) return mine;
	if (request.delivery.status !== 'sent') return null;
	const [taken] = await table.update([eq('id', request.rowId), { column: 'status', op: 'neq', value: 'sent' }], data);
	return taken ?? null;
}
