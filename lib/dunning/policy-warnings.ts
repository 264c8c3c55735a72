/**
 * Settings that are valid but almost certainly not what the operator meant. They do not stop the
 * run; every result carries them in `dunning.warnings`, so they show in the output and in any
 * step that reads the results.
 */
import { isShippedBaseRateTable } from './interest';
import type { DunningPolicy, StatutoryInterestSettings } from './types';

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

/**
 * A fee on the reminder that puts the debtor in default: its cost is no damage caused by a default
 * that had not begun (§286 BGB), and every later reminder asks for it again.
 */
export const feeBeforeDefault = (name: string, fee: number): string =>
	`Stage "${name}" (level 1) charges a fee of ${fee}, but with Interest From "Day After the First Reminder’s Deadline" (firstReminder) it is this reminder that puts the debtor in default: its cost cannot be claimed (§286 BGB), and every later reminder asks for it too. ` +
	'Set the stage’s Fee to 0, or set Rules › Interest From to "Day After the Due Date" (dueDate) if the payment date was agreed in the contract.';

/**
 * The same with Statutory Interest off: Interest From then changes no amount, so the text does not
 * send the operator there; the law is the same (§286(1): without a payment date agreed in the
 * contract, it is the reminder that puts the debtor in default).
 */
export const feeBeforeDefaultNoInterest = (name: string, fee: number): string =>
	`Stage "${name}" (level 1) charges a fee of ${fee}, but unless the payment date was agreed in the contract it is this reminder that puts the customer in default (§286 BGB): its cost cannot be claimed, and every later reminder asks for it too. ` +
	'Set the stage’s Fee to 0, unless your contracts fix the payment date.';

/**
 * A first stage sent on day 31 after the due date or later: a business debtor is in default by
 * then without any reminder (§286(3) BGB), a consumer only if the invoice said so, which the
 * package cannot see. For a consumer whose invoice did not, the reminder is what puts them in default.
 */
export const feeBeforeConsumerDefault = (name: string, fee: number, days: number): string =>
	`Stage "${name}" (level 1) charges a fee of ${fee} and goes out ${days} days after the due date at the earliest. Business customers are in default by then without a reminder (§286(3) BGB) and owe it; ` +
	'consumers only if their invoice told them that they would be in default 30 days after the due date and receipt of the invoice. Without that notice it is this reminder that puts a consumer in default: its fee cannot be claimed from them, and every later reminder asks for it too. ' +
	'Print that notice on your invoices to consumers, or set the stage’s Fee to 0 if you send reminders to consumers.';

/** Fees are per invoice (each invoice's reminders add up), a collective reminder is one letter. */
export const GROUPED_FEES =
	'Group by Customer is on and stages charge fees: each invoice in a collective reminder carries its own stage fees, so one reminder listing three invoices asks for the fee three times. ' +
	'Only the cost of the reminder actually sent can be claimed; lower the stage fees or turn Group by Customer off if that matters to you.';

/**
 * Courts take 7 to 14 days to pay after a reminder as reasonable (angemessene Frist); a shorter
 * deadline may not count, and a later stage or default counted from it comes too early.
 */
export const MIN_REASONABLE_PAYMENT_DEADLINE_DAYS = 7;

/** A Payment Deadline below MIN_REASONABLE_PAYMENT_DEADLINE_DAYS: the reminders ask for payment by a day too soon. */
export const shortPaymentDeadline = (days: number): string =>
	`Payment Deadline (Days) is ${days}: every reminder asks for payment within ${days} day${days === 1 ? '' : 's'}${days === 0 ? ' (by the day it is sent)' : ''}. ` +
	`Courts see ${MIN_REASONABLE_PAYMENT_DEADLINE_DAYS} to 14 days as reasonable; a shorter deadline may not count, and the next stage and default counted from it may come too early. ` +
	`Set Payment Deadline (Days) to ${MIN_REASONABLE_PAYMENT_DEADLINE_DAYS} or more.`;

/** A margin set beside a fixed rate for the same customers (`statutoryInterest.consumerMarginPct`): the fixed rate wins. */
export const marginUnused = (marginKey: string): string => {
	const fixedKey = marginKey.replace('MarginPct', 'FixedRatePct');
	return `${marginKey} is not used: ${fixedKey} is set, and interest for those customers runs at that fixed yearly rate instead of base rate + margin. Remove one of the two.`;
};

/**
 * What the law of a country whose holiday region a merchant picks asks for where the policy still
 * follows §288 BGB (the defaults): its consumers' and its businesses' rate, the keys that set them,
 * and whether it knows the §288(5) flat fee. `table`: the business rate is a margin over the
 * country's own base rate, so a policy with its own table (baseRates) is taken to have it; without
 * `table` only a fixed rate will do.
 */
interface RegionalInterestLaw {
	country: string;
	consumers: { law: string; fix: string };
	businesses: { law: string; fix: string; table: boolean };
	/** The country has no statutory flat fee: the §288(5) BGB one should be 0. */
	noFlatFee: boolean;
}

const AUSTRIA: RegionalInterestLaw = {
	country: 'Austria',
	consumers: { law: 'consumers owe a fixed 4 % a year (§1000 ABGB)', fix: 'statutoryInterest.consumerFixedRatePct to 4' },
	businesses: { law: 'businesses owe 9.2 points over the OeNB base rate (§456 UGB)', fix: 'statutoryInterest.baseRates to the OeNB base rates and businessMarginPct to 9.2', table: true },
	noFlatFee: false, // §458 UGB: 40 EUR, as §288(5) BGB.
};

const SWITZERLAND: RegionalInterestLaw = {
	country: 'Switzerland',
	consumers: { law: 'consumers owe a fixed 5 % a year (Art. 104 OR)', fix: 'statutoryInterest.consumerFixedRatePct to 5' },
	businesses: { law: 'businesses owe a fixed 5 % a year too (Art. 104 OR)', fix: 'statutoryInterest.businessFixedRatePct to 5', table: false },
	noFlatFee: true,
};

/**
 * The law by the region's country (`AT`, `AT-9`, `CH-ZH`), as the holiday calendar names them.
 * Liechtenstein (an EEA state with its own late-payment rules) is left out until its rates are checked.
 */
function regionalInterestLaw(region: string): RegionalInterestLaw | undefined {
	const country = region.split('-')[0];
	if (country === 'AT') return AUSTRIA;
	if (country === 'CH') return SWITZERLAND;
	return undefined;
}

/**
 * The policy's region is Austria or Switzerland, but some of its interest still
 * follows German law: names each part that does (consumers, businesses, the flat fee) and the key
 * that fixes it, so that a policy half set up is told what is left. undefined: nothing is German.
 */
export function regionalInterestWarning(region: string, si: StatutoryInterestSettings): string | undefined {
	const law = regionalInterestLaw(region);
	if (!law) return undefined;
	const german: string[] = [];
	const laws: string[] = [];
	const fixes: string[] = [];
	if ((si.consumerFixedRatePct ?? null) === null) {
		german.push(`consumers are charged base rate + ${si.consumerMarginPct} points (§288(1) BGB)`);
		laws.push(law.consumers.law);
		fixes.push(law.consumers.fix);
	}
	// With a table of its own, that is taken to be the country's base rate (its margin is not checked).
	if ((si.businessFixedRatePct ?? null) === null && (!law.businesses.table || isShippedBaseRateTable(si.baseRates))) {
		german.push(`businesses are charged ${isShippedBaseRateTable(si.baseRates) ? 'the German base rate (Basiszinssatz, §247 BGB)' : 'base rate'} + ${si.businessMarginPct} points (§288(2) BGB)`);
		laws.push(law.businesses.law);
		fixes.push(law.businesses.fix);
	}
	if (law.noFlatFee && si.businessFlatFee > 0) {
		german.push(`business invoices in ${si.flatFeeCurrency} get the flat fee of ${si.businessFlatFee} ${si.flatFeeCurrency} (§288(5) BGB)`);
		laws.push('there is no statutory flat fee');
		fixes.push('statutoryInterest.businessFlatFee to 0');
	}
	if (german.length === 0) return undefined;
	return (
		`The region is ${region} (Holiday Region, businessDays.region), but statutory interest still follows German law there: ${german.join('; ')}. ` +
		`In ${law.country} ${laws.join('; ')}. In Policy (JSON) set ${fixes.join(', ')}.`
	);
}

/** What else than the policy the warnings look at. */
export interface WarningContext {
	/** Keys of the policy object the rules do not read. */
	ignoredKeys?: readonly string[];
	/** Compute Dunning Level's Group by Customer. */
	groupByCustomer?: boolean;
	/** Whether the run has consumer invoices; not given: it may have (the policy does not know its debtors). */
	consumers?: boolean;
	/** Margins the policy sets beside a fixed rate for the same customers (CompiledPolicy.unusedMargins). */
	unusedMargins?: readonly string[];
}

/**
 * §286(3) BGB: not paid within 30 days after the due date, a business debtor is in default from day 31
 * at the earliest; interestStartDay moves a 30th day on a weekend or holiday to the next business day
 * (§193 BGB) and counts from a later invoice date, which a policy cannot see: this is the earliest day.
 */
const DEFAULT_WITHOUT_REMINDER_DAY = 31;

/** The fee warning for the first stage, if its fee is not owed (see the three texts above). */
function firstStageFeeWarning(policy: Pick<DunningPolicy, 'stages' | 'statutoryInterest' | 'graceDays'>, consumers: boolean): string | undefined {
	const first = policy.stages[0];
	// "Due date" says the payment date was agreed in the contract (§286(2) No. 1): in default before any reminder.
	if (!first || first.fee <= 0 || first.channel === 'none' || policy.statutoryInterest.interestFrom !== 'firstReminder') return undefined;
	// The earliest day; a shift to business days only moves it later.
	const day = policy.graceDays + first.daysAfterPrevious;
	if (day >= DEFAULT_WITHOUT_REMINDER_DAY) return consumers ? feeBeforeConsumerDefault(first.name, first.fee, day) : undefined;
	return policy.statutoryInterest.enabled ? feeBeforeDefault(first.name, first.fee) : feeBeforeDefaultNoInterest(first.name, first.fee);
}

export function policyWarnings(
	policy: Pick<DunningPolicy, 'stages' | 'statutoryInterest' | 'graceDays' | 'paymentDeadlineDays'> & Partial<Pick<DunningPolicy, 'businessDays'>>,
	context: WarningContext = {},
): string[] {
	const warnings: string[] = [];
	const ignored = context.ignoredKeys ?? [];
	if (ignored.length > 0) warnings.push(ignoredKeys(ignored));
	// One deadline for every stage's reminder.
	if (policy.paymentDeadlineDays < MIN_REASONABLE_PAYMENT_DEADLINE_DAYS) warnings.push(shortPaymentDeadline(policy.paymentDeadlineDays));
	const feeWarning = firstStageFeeWarning(policy, context.consumers !== false);
	if (feeWarning) warnings.push(feeWarning);
	if (context.groupByCustomer && policy.stages.some((stage) => stage.fee > 0)) warnings.push(GROUPED_FEES);
	if (!policy.statutoryInterest.enabled) return warnings;
	const charging = policy.stages.filter((stage) => stage.chargeInterest);
	if (charging.length === 0) warnings.push(INTEREST_NEVER_CHARGED);
	// A stage that sends nothing asks for nothing less.
	for (const stage of policy.stages) {
		if (stage.chargeInterest || stage.channel === 'none' || charging[0] === undefined || stage.level < charging[0].level) continue;
		warnings.push(interestDroppedAt(stage.name, stage.level, charging.filter((s) => s.level < stage.level).at(-1)!.level));
	}
	for (const key of context.unusedMargins ?? []) warnings.push(marginUnused(key));
	// The region is read whether or not Shift to Business Days is on: it says where the merchant is.
	const regional = policy.businessDays ? regionalInterestWarning(policy.businessDays.region, policy.statutoryInterest) : undefined;
	if (regional) warnings.push(regional);
	return warnings;
}
