import { fromMinor, minorDigits, toMinor } from './money';
import type { CompiledPolicy } from './policy';
import type { Invoice, Stage } from './types';

export interface StageFees {
	/** Dunning fees owed by this reminder's level: every stage's fee so far (in the invoice's currency). */
	fee: number;
	/** §288(5) BGB flat fee, or 0. */
	flatFee: number;
	warning: string | null;
}

/**
 * Fees a reminder at `stage` claims. A reminder asks for everything owed so far, so the fees of the
 * earlier stages (whose reminders went out) stay in: a second reminder never asks for less than the
 * first. The business flat fee (§288(5) BGB) is owed once per invoice from the first stage that
 * charges default interest (where the policy treats the debtor as in default) and stays in every
 * later reminder; the dunning fees are credited against it (§288(5) sentence 3: the flat fee counts
 * towards damages that are costs of pursuing the claim), so a business debtor owes the larger of
 * the two, never both. It is a euro amount: invoices in another currency do not get it (with a
 * warning instead of a silent gap). `defaultStarted`: false while the debtor is not in default
 * yet under the policy's Interest From (no reminder received, business debtors before the 30 days of §286(3) have passed).
 */
export function stageFees(stage: Stage, invoice: Invoice, compiled: CompiledPolicy, defaultStarted = true): StageFees {
	const { policy, firstInterestLevel } = compiled;
	const si = policy.statutoryInterest;
	// A stage with channel "none" sends nothing, so it asked for no fee.
	const digits = minorDigits(invoice.currency);
	const feeMinor = policy.stages.filter((s) => s.level <= stage.level && s.channel !== 'none').reduce((sum, s) => sum + toMinor(s.fee, digits), 0);
	const fee = fromMinor(feeMinor, digits);
	// §288(5) needs default (Verzug) as interest does: not before it starts (see interestStartDay).
	const inDefault = firstInterestLevel > 0 && stage.level >= firstInterestLevel && defaultStarted;
	if (invoice.customerType !== 'business' || !si.enabled || si.businessFlatFee <= 0 || !inDefault) {
		return { fee, flatFee: 0, warning: null };
	}
	if (invoice.currency !== si.flatFeeCurrency) {
		return {
			fee,
			flatFee: 0,
			warning: `business flat fee (§288(5) BGB, ${si.businessFlatFee} ${si.flatFeeCurrency}) not claimed: the invoice is in ${invoice.currency}`,
		};
	}
	const flatMinor = toMinor(si.businessFlatFee, digits);
	return { fee: fromMinor(Math.max(0, feeMinor - flatMinor), digits), flatFee: fromMinor(flatMinor, digits), warning: null };
}
