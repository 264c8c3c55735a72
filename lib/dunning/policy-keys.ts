/**
 * The keys a policy object may have. A key the rules do not know is ignored, so a misspelt one
 * ("paymentDeadlineDay", "Stages") would silently give the default: different stages, fees or
 * deadlines in every reminder. A key that is a near spelling of a known one is therefore refused;
 * any other (a settings row's `id` or `createdAt`, a `comment`) is ignored and reported.
 */

import { isObject } from '../json/is-object';
import type { DunningPolicyInput } from './policy';
import type { BusinessDaySettings, Stage, StatutoryInterestSettings } from './types';

const TOP = ['stages', 'graceDays', 'minDaysBetweenReminders', 'minOpenAmount', 'maxLevel', 'salesWindowDays', 'timezone', 'paymentDeadlineDays', 'paymentArrivalDays', 'defaultCurrency', 'businessDays', 'statutoryInterest', 'retryRefusedEmailAfterDays', 'maxEmailRefusals'] as const satisfies ReadonlyArray<keyof DunningPolicyInput>;
const STAGE = ['level', 'name', 'daysAfterPrevious', 'channel', 'fee', 'chargeInterest'] as const satisfies ReadonlyArray<keyof Stage>;
const BUSINESS_DAYS = ['enabled', 'region'] as const satisfies ReadonlyArray<keyof BusinessDaySettings>;
const STATUTORY_INTEREST = ['enabled', 'interestFrom', 'consumerMarginPct', 'businessMarginPct', 'consumerFixedRatePct', 'businessFixedRatePct', 'businessFlatFee', 'flatFeeCurrency', 'baseRates'] as const satisfies ReadonlyArray<keyof StatutoryInterestSettings>;

/** An unknown key, where it is, and the known key it is probably meant to be. */
export interface UnknownPolicyKey {
	/** Where it is, as a JSON path: `paymentDeadlineDay`, `stages[0].fees` (the first stage), `statutoryInterest.enable`. */
	path: string;
	/** The known key it is a near spelling of, if any. */
	meant?: string;
}

/** Every key of `policy` (and of its stages, businessDays, statutoryInterest) that the rules do not read. */
export function unknownPolicyKeys(policy: Record<string, unknown>): UnknownPolicyKey[] {
	const found: UnknownPolicyKey[] = [];
	const check = (object: unknown, known: ReadonlyArray<PropertyKey>, prefix: string): void => {
		if (!isObject(object)) return;
		for (const key of Object.keys(object)) {
			if (known.includes(key)) continue;
			const meant = known.find((k) => nearSpelling(key, String(k)));
			found.push(meant === undefined ? { path: prefix + key } : { path: prefix + key, meant: String(meant) });
		}
	};
	check(policy, TOP, '');
	if (Array.isArray(policy.stages)) policy.stages.forEach((stage, i) => check(stage, STAGE, `stages[${i}].`));
	check(policy.businessDays, BUSINESS_DAYS, 'businessDays.');
	check(policy.statutoryInterest, STATUTORY_INTEREST, 'statutoryInterest.');
	return found;
}

/** Same letters ignoring case and separators, or an edit or two away (one for keys of up to 5 letters: "label" is no "level"). */
function nearSpelling(given: string, known: string): boolean {
	const plain = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');
	const a = plain(given);
	const b = plain(known);
	if (a === b) return true;
	const allowed = Math.min(a.length, b.length) <= 5 ? 1 : 2;
	return Math.abs(a.length - b.length) <= allowed && editDistance(a, b) <= allowed;
}

/** Levenshtein distance, counting a swap of two neighbours as one edit (typing order slips). */
function editDistance(a: string, b: string): number {
	const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
	for (let j = 1; j <= b.length; j++) rows[0][j] = j;
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
		}
	}
	return rows[a.length][b.length];
}
