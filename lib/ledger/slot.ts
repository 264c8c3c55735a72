/**
 * The `claim` a claimed reminder carries from the shipped sender's claim steps to Send Reminder
 * Email: its sending slot and when its claim ends.
 */
import type { SendSlot } from '../mail/send-run';

function epochMs(value: unknown, field: string): number {
	const ms = typeof value === 'number' ? value : Date.parse(String(value));
	if (!Number.isFinite(ms)) throw new Error(`the field "claim.${field}" is not a date`);
	return ms;
}

/** The sending slot of a claimed reminder (ISO dates or epoch ms); undefined for an item that was not claimed. */
export function sendSlotOf(claim: unknown): SendSlot | undefined {
	if (claim === undefined || claim === null) return undefined;
	if (typeof claim !== 'object') throw new Error('the field "claim" is not an object');
	const { notBefore, notAfter, leaseUntil } = claim as Record<string, unknown>;
	return {
		notBefore: epochMs(notBefore, 'notBefore'),
		notAfter: notAfter === undefined ? Infinity : epochMs(notAfter, 'notAfter'),
		leaseUntil: epochMs(leaseUntil, 'leaseUntil'),
	};
}

/** The ledger row a claimed reminder goes out for (`claim.rowId`); undefined for an item that was not claimed. */
export function ledgerRowOf(claim: unknown): string | undefined {
	if (claim === null || typeof claim !== 'object') return undefined;
	const { rowId } = claim as Record<string, unknown>;
	if (typeof rowId === 'number' && Number.isFinite(rowId)) return String(rowId);
	return typeof rowId === 'string' && rowId.trim() !== '' ? rowId.trim() : undefined;
}
