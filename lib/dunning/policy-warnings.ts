/**
 * Settings that are valid but almost certainly not what the operator meant. They do not stop the
 * run; every result carries them in `dunning.warnings`, so they show in the output and in any
 * step that reads the results.
 */
import type { DunningPolicy } from './types';

export const INTEREST_NEVER_CHARGED =
	'Statutory Interest is on, but no stage has "Charge Statutory Interest" on, so no interest and no 40 EUR flat fee are charged. ' +
	'Turn it on for the stages that should claim interest (the shipped stages do from the first dunning, level 2), or turn Statutory Interest off.';

export function policyWarnings(policy: Pick<DunningPolicy, 'stages' | 'statutoryInterest'>): string[] {
	const warnings: string[] = [];
	if (policy.statutoryInterest.enabled && !policy.stages.some((stage) => stage.chargeInterest)) warnings.push(INTEREST_NEVER_CHARGED);
	return warnings;
}
