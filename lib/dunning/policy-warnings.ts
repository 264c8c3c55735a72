/**
 * Settings that are valid but almost certainly not what the operator meant. They do not stop the
 * run; every result carries them in `dunning.warnings`, so they show in the output and in any
 * step that reads the results.
 */
import type { DunningPolicy } from './types';

export const INTEREST_NEVER_CHARGED =
	'Statutory Interest is on, but no stage has "Charge Statutory Interest" on, so no interest and no 40 EUR flat fee are charged. ' +
	'Turn it on for the stages that should claim interest (the shipped stages do from the first dunning, level 2), or turn Statutory Interest off.';

/** A stage after an interest-charging one that charges none (a stage you add starts with it off). */
export const interestDroppedAt = (name: string, level: number, earlier: number): string =>
	`Stage "${name}" (level ${level}) does not charge statutory interest, though level ${earlier} does: its reminder asks for less than the one before, while the 40 EUR flat fee stays. ` +
	'Turn "Charge Statutory Interest" on for it, unless it is meant to waive the interest.';

/** Keys of the policy object the rules do not read (a settings row's own columns, a comment). */
export const ignoredKeys = (paths: readonly string[]): string =>
	`Policy (JSON): ${paths.map((p) => `"${p}"`).join(', ')} ${paths.length === 1 ? 'is no setting and was' : 'are no settings and were'} ignored. ` +
	'The settings are listed in the README, section "Policy (JSON) keys".';

export function policyWarnings(policy: Pick<DunningPolicy, 'stages' | 'statutoryInterest'>, ignored: readonly string[] = []): string[] {
	const warnings: string[] = [];
	if (ignored.length > 0) warnings.push(ignoredKeys(ignored));
	if (!policy.statutoryInterest.enabled) return warnings;
	const charging = policy.stages.filter((stage) => stage.chargeInterest);
	if (charging.length === 0) warnings.push(INTEREST_NEVER_CHARGED);
	// A stage that sends nothing asks for nothing less.
	for (const stage of policy.stages) {
		if (stage.chargeInterest || stage.channel === 'none' || charging[0] === undefined || stage.level < charging[0].level) continue;
		warnings.push(interestDroppedAt(stage.name, stage.level, charging.filter((s) => s.level < stage.level).at(-1)!.level));
	}
	return warnings;
}
