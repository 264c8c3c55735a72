/**
 * Whether a reminder is the last of its policy, for the `finalLevel` the templates see: only the
 * last one may say "for the last time" ("letztmalig"). A policy with four stages sends a 3rd
 * Mahnung after the 2nd, which then must not have promised to be the last; one whose 4th stage
 * sends nothing (a hand-over to a collection agency) makes the 2nd Mahnung the last.
 */
import { readFlag } from '../dunning/field-value';
import { LAST_WRITTEN_LEVEL } from './later-levels';

/** The value at `dunning[field]`; undefined when the object has no such field. */
function dunningField(json: unknown, field: string): unknown {
	if (json === null || typeof json !== 'object') return undefined;
	const dunning: unknown = Object.prototype.hasOwnProperty.call(json, 'dunning') ? (json as Record<string, unknown>).dunning : undefined;
	if (dunning === null || typeof dunning !== 'object' || !Object.prototype.hasOwnProperty.call(dunning, field)) return undefined;
	return (dunning as Record<string, unknown>)[field];
}

/**
 * `dunning.finalReminder`, where Compute Dunning Level says whether the customer gets nothing after
 * this reminder: a boolean, or yes/no text as a table may store it. Undefined when it is missing,
 * blank (a table's empty cell) or no flag at all: then the next-stage date decides.
 */
function finalReminder(json: unknown): boolean | undefined {
	const value = dunningField(json, 'finalReminder');
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	return readFlag(value);
}

/**
 * From `dunning.nextActionDate` (items of a release before finalReminder): no next stage (null as
 * Compute writes it, or blank as a table stores that null) is final. Undefined without the field.
 */
function noNextStage(json: unknown): boolean | undefined {
	const date = dunningField(json, 'nextActionDate');
	if (date === undefined) return undefined;
	return date === null || (typeof date === 'string' && date.trim() === '');
}

/** What `read` says of the item's own decision, else of all its invoices' (a customer group), else undefined. */
function verdict(item: Record<string, unknown>, read: (json: unknown) => boolean | undefined): boolean | undefined {
	const own = read(item);
	if (own !== undefined) return own;
	const invoices = Array.isArray(item.invoices) ? item.invoices.map(read).filter((v) => v !== undefined) : [];
	return invoices.length > 0 ? invoices.every((v) => v) : undefined;
}

/**
 * True when the item's decision says the customer gets no reminder after this one
 * (`dunning.finalReminder`); for a customer group (Compute Dunning Level's Group by Customer) its
 * summed `dunning`'s, else its invoices' decisions' (they share level and policy). Without it (an
 * item of an older release): when the decision has no next stage (`dunning.nextActionDate` null).
 * An item with neither (a reminder that never passed Compute Dunning Level) keeps the wording of
 * before: the shipped texts' last level (3) is the last.
 */
export function isFinalLevel(item: Record<string, unknown>, level: number): boolean {
	return verdict(item, finalReminder) ?? verdict(item, noNextStage) ?? level === LAST_WRITTEN_LEVEL;
}
