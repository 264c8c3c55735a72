import type { CompiledPolicy } from './policy';
import type { Invoice, Stage } from './types';

export interface StageFees {
	/** This stage's own fee (in the invoice's currency). */
	fee: number;
	/** §288(5) BGB flat fee, or 0. */
	flatFee: number;
	warning: string | null;
}

/**
 * Fees a reminder of `stage` claims. The business flat fee (§288(5) BGB) is owed once per
 * invoice: it is claimed by the first stage that charges default interest — the point from
 * which the policy treats the debtor as in default — and by no other. It is a euro amount,
 * so invoices in another currency do not get it (with a warning instead of a silent gap).
 */
export function stageFees(stage: Stage, invoice: Invoice, compiled: CompiledPolicy): StageFees {
	const si = compiled.policy.statutoryInterest;
	let flatFee = 0;
	let warning: string | null = null;
	if (invoice.customerType === 'business' && si.enabled && si.businessFlatFee > 0 && stage.level === compiled.firstInterestLevel) {
		if (invoice.currency === si.flatFeeCurrency) flatFee = si.businessFlatFee;
		else warning = `business flat fee (§288(5) BGB, ${si.businessFlatFee} ${si.flatFeeCurrency}) not claimed: the invoice is in ${invoice.currency}`;
	}
	return { fee: stage.fee, flatFee, warning };
}
