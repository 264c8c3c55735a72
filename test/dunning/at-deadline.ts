/**
 * compilePolicy, createDecider and decide with Days for Payment to Arrive set to 0: the next stage
 * may go out the day after a deadline's legal end. For the tests of the deadline rules themselves
 * (§193 BGB, stated deadlines, days in the post, default and interest), which count from that day;
 * the default of 2 business days on top is tested in payment-arrival.test.ts. A policy that sets
 * paymentArrivalDays keeps it; a compiled policy is taken as it is.
 */
import * as dunning from '../../lib/dunning';
import type { CompiledPolicy, Decider, DunningDecision, DunningPolicyInput, Invoice } from '../../lib/dunning';
import type { DateInput } from '../../lib/dunning/date-input';

type PolicyArg = CompiledPolicy | DunningPolicyInput;

const pin = (policy: PolicyArg): PolicyArg => ('rateTable' in policy ? policy : { paymentArrivalDays: 0, ...policy });

export function compilePolicy(policy: DunningPolicyInput = {}): CompiledPolicy {
	return dunning.compilePolicy(pin(policy) as DunningPolicyInput);
}

export function createDecider(policy: PolicyArg, today: DateInput): Decider {
	return dunning.createDecider(pin(policy), today);
}

export function decide(invoice: Invoice, policy: PolicyArg, today: DateInput): DunningDecision {
	return dunning.decide(invoice, pin(policy), today);
}
