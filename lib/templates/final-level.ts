/**
 * Whether a reminder is the last of its policy, for the `finalLevel` the templates see: only the
 * last one may say "for the last time" ("letztmalig"). A policy with four stages sends a 3rd
 * Mahnung after the 2nd, which then must not have promised to be the last.
 */
import { LAST_WRITTEN_LEVEL } from './later-levels';

const absent = Symbol('absent');

/**
 * The value at `dunning.nextActionDate`, where Compute Dunning Level writes the day of the next
 * stage (null when its level is the policy's Max Level); `absent` when the object has no such field.
 */
function nextActionDate(json: unknown): unknown {
	if (json === null || typeof json !== 'object') return absent;
	const dunning: unknown = Object.prototype.hasOwnProperty.call(json, 'dunning') ? (json as Record<string, unknown>).dunning : undefined;
	if (dunning === null || typeof dunning !== 'object' || !Object.prototype.hasOwnProperty.call(dunning, 'nextActionDate')) return absent;
	return (dunning as Record<string, unknown>).nextActionDate;
}

/** No next stage: null as Compute writes it, or blank as a table may store that null. */
function none(date: unknown): boolean {
	return date === null || (typeof date === 'string' && date.trim() === '');
}

/**
 * True when the item's decision has no next stage (`dunning.nextActionDate` is null); for a
 * customer group (Compute Dunning Level's Group by Customer), whose summed `dunning` carries no
 * such date, when its invoices' decisions have none (they share level and policy). An item that
 * carries no next-stage date (a reminder that never passed Compute Dunning Level, or passed an
 * older release) keeps the wording of before: the shipped texts' last level (3) is the last.
 */
export function isFinalLevel(item: Record<string, unknown>, level: number): boolean {
	const own = nextActionDate(item);
	const invoices = item.invoices;
	const dates = own !== absent ? [own] : Array.isArray(invoices) ? invoices.map(nextActionDate).filter((d) => d !== absent) : [];
	if (dates.length > 0) return dates.every(none);
	return level === LAST_WRITTEN_LEVEL;
}
