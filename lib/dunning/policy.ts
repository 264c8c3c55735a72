import { IANAZone } from 'luxon';

import { isObject } from '../json/is-object';
import { GERMAN_BASE_RATES } from './base-rates';
import { calendarFor, type BusinessCalendar, regionProblem } from './calendar';
import { readCurrencyCode } from './currency';
import { compileRateTable, type RateTable } from './interest';
import { unknownPolicyKeys } from './policy-keys';
import { reminderOffsets } from './reminder-gap';
import type { BaseRate, BusinessDaySettings, DunningPolicy, InterestFrom, Stage, StageChannel, StatutoryInterestSettings } from './types';

/** A policy that cannot be used; the message says which setting and why. */
export class PolicyError extends Error {
	constructor(message: string) {
		super(`Invalid dunning policy: ${message}`);
		this.name = 'PolicyError';
	}
}

export const DEFAULT_STAGES: readonly Stage[] = Object.freeze([
	{ level: 1, name: 'Zahlungserinnerung / Payment reminder', daysAfterPrevious: 7, channel: 'email', fee: 0, chargeInterest: false },
	{ level: 2, name: '1. Mahnung / First dunning', daysAfterPrevious: 7, channel: 'email', fee: 0, chargeInterest: true },
	{ level: 3, name: '2. Mahnung / Second dunning', daysAfterPrevious: 7, channel: 'email', fee: 0, chargeInterest: true },
] as Stage[]);

/** What callers may pass: any subset; the rest comes from the defaults. */
export interface DunningPolicyInput {
	stages?: Array<Partial<Stage>>;
	graceDays?: number;
	minDaysBetweenReminders?: number;
	minOpenAmount?: number;
	maxLevel?: number;
	salesWindowDays?: number;
	timezone?: string;
	paymentDeadlineDays?: number;
	paymentArrivalDays?: number;
	defaultCurrency?: string;
	businessDays?: Partial<BusinessDaySettings>;
	statutoryInterest?: Partial<StatutoryInterestSettings>;
	retryRefusedEmailAfterDays?: number;
	maxEmailRefusals?: number;
}

export const DEFAULT_POLICY: Readonly<Omit<DunningPolicy, 'maxLevel'>> = Object.freeze({
	stages: DEFAULT_STAGES as Stage[],
	graceDays: 0,
	minDaysBetweenReminders: 0,
	minOpenAmount: 0,
	salesWindowDays: 0,
	timezone: 'Europe/Berlin',
	paymentDeadlineDays: 7,
	// A transfer started on the deadline day is credited the next business day (SEPA) and reaches
	// the ERP a day or so later: wait two business days before saying the reminder went unpaid.
	paymentArrivalDays: 2,
	defaultCurrency: 'EUR',
	businessDays: { enabled: false, region: 'DE' },
	statutoryInterest: {
		enabled: true,
		// A payment term written on the invoice alone does not fix the date by contract (BGH): wait for the reminder.
		interestFrom: 'firstReminder' as InterestFrom,
		consumerMarginPct: 5,
		businessMarginPct: 9,
		consumerFixedRatePct: null,
		businessFixedRatePct: null,
		businessFlatFee: 40,
		flatFeeCurrency: 'EUR',
		baseRates: GERMAN_BASE_RATES as BaseRate[],
	},
	// A full mailbox or a greylisting filter often clears within days; one more try, then paper.
	retryRefusedEmailAfterDays: 3,
	maxEmailRefusals: 1,
});

/** A checked policy with everything precomputed that does not depend on the invoice. */
export interface CompiledPolicy {
	readonly policy: DunningPolicy;
	readonly rateTable: RateTable;
	/** Present when the business-day shift is on. */
	readonly calendar: BusinessCalendar | undefined;
	/** Where a payment deadline ends by law (§193 BGB), the shift on or off: see deadlineCalendar(). */
	readonly deadlineCalendar: BusinessCalendar;
	/** Lowest level that charges interest (0 = none): where the business flat fee is claimed. */
	readonly firstInterestLevel: number;
	/** Days from the due date to each level's earliest day, every reminder on it, without shifts (reminderOffsets). */
	readonly scheduleOffsets: number[];
	/** Keys of the policy object the rules do not read (not near spellings of known ones: those are refused). */
	readonly ignoredKeys: readonly string[];
	/** Indexed by level, 0 to the number of stages: whether a reminder at it is the customer's last (finalReminderLevels). */
	readonly finalReminder: readonly boolean[];
	/** Margins the policy object sets beside a fixed rate for the same customers, which wins (`statutoryInterest.consumerMarginPct`): unused. */
	readonly unusedMargins: readonly string[];
}

/**
 * For each level from 0 to the number of stages: true when no stage after it up to Max Level sends
 * the customer anything (every later one up to maxLevel has channel `none`). A policy whose last
 * stage hands the invoice to a collection agency (`none`) makes the stage before it the last
 * reminder the customer reads, though a next stage (and a nextActionDate) follows.
 */
export function finalReminderLevels(policy: DunningPolicy): boolean[] {
	const final = new Array<boolean>(policy.stages.length + 1).fill(true);
	for (let level = policy.maxLevel - 1; level >= 0; level--) final[level] = final[level + 1] && policy.stages[level].channel === 'none';
	return final;
}

const CHANNELS: readonly StageChannel[] = ['email', 'letter', 'none'];
const INTEREST_FROM: readonly InterestFrom[] = ['firstReminder', 'dueDate'];

function wholeDays(value: unknown, name: string, fallback: number): number {
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new PolicyError(`${name} must be a whole number of days, 0 or more (got ${JSON.stringify(value)})`);
	}
	return value;
}

/** Most business days a payment may take to arrive: six weeks, far beyond any bank's, and a bound for the count. */
export const MAX_PAYMENT_ARRIVAL_DAYS = 30;

function arrivalDays(value: unknown, fallback: number): number {
	const days = wholeDays(value, 'paymentArrivalDays', fallback);
	if (days > MAX_PAYMENT_ARRIVAL_DAYS) throw new PolicyError(`paymentArrivalDays must be at most ${MAX_PAYMENT_ARRIVAL_DAYS} business days (got ${days})`);
	return days;
}

function wholeCount(value: unknown, name: string, fallback: number): number {
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new PolicyError(`${name} must be a whole number, 0 or more (got ${JSON.stringify(value)})`);
	}
	return value;
}

function nonNegative(value: unknown, name: string, fallback: number): number {
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw new PolicyError(`${name} must be a number, 0 or more (got ${JSON.stringify(value)})`);
	}
	return value;
}

/**
 * Highest fixed yearly rate accepted: far above the statutory ones (Austria 4 %, Switzerland 5 %),
 * low enough that a slip (40 for 4.0, a rate per mille) stops the run instead of overcharging.
 */
export const MAX_FIXED_RATE_PCT = 30;

/** A fixed yearly rate in percent, or null (left out, null or empty): base rate + margin. */
function fixedRate(value: unknown, name: string): number | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_FIXED_RATE_PCT) {
		throw new PolicyError(
			`${name} must be a yearly rate in percent, a number from 0 to ${MAX_FIXED_RATE_PCT} such as 4 (got ${JSON.stringify(value)}); leave it out for base rate + margin`,
		);
	}
	return value;
}

function bool(value: unknown, name: string, fallback: boolean): boolean {
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'boolean') throw new PolicyError(`${name} must be true or false (got ${JSON.stringify(value)})`);
	return value;
}

function currencyCode(value: unknown, name: string, fallback: string): string {
	if (value === undefined || value === null || value === '') return fallback;
	const read = readCurrencyCode(value);
	if (!read.ok) throw new PolicyError(`${name} ${read.problem}`);
	return read.code;
}

function interestFrom(value: unknown, fallback: InterestFrom): InterestFrom {
	if (value === undefined || value === null || value === '') return fallback;
	if (!INTEREST_FROM.includes(value as InterestFrom)) {
		throw new PolicyError(`statutoryInterest.interestFrom must be "firstReminder" or "dueDate" (got ${JSON.stringify(value)})`);
	}
	return value as InterestFrom;
}

function checkStages(input: unknown): Stage[] {
	if (input === undefined || input === null) return DEFAULT_STAGES.map((s) => ({ ...s }));
	if (!Array.isArray(input) || input.length === 0) throw new PolicyError('stages must list at least one stage');
	return input.map((raw: unknown, i): Stage => {
		const where = `stage ${i + 1}`;
		if (!isObject(raw)) throw new PolicyError(`${where} must be an object`);
		const level = raw.level === undefined || raw.level === null || raw.level === '' ? i + 1 : raw.level;
		if (level !== i + 1) {
			throw new PolicyError(
				`stages are out of order: ${where} has level ${JSON.stringify(raw.level)}, but levels must run 1, 2, 3 … in list order`,
			);
		}
		const name = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name.trim() : undefined;
		if (!name) throw new PolicyError(`${where} needs a name`);
		const channel = raw.channel ?? 'email';
		if (!CHANNELS.includes(channel as StageChannel)) {
			throw new PolicyError(`${where} ("${name}"): channel must be email, letter or none (got ${JSON.stringify(raw.channel)})`);
		}
		return {
			level: i + 1,
			name,
			daysAfterPrevious: wholeDays(raw.daysAfterPrevious, `${where} ("${name}") daysAfterPrevious`, 7),
			channel: channel as StageChannel,
			fee: nonNegative(raw.fee, `${where} ("${name}") fee`, 0),
			chargeInterest: bool(raw.chargeInterest, `${where} ("${name}") chargeInterest`, false),
		};
	});
}

/** Fills defaults and checks every setting; throws PolicyError naming the first bad one. */
export function normalizePolicy(input: DunningPolicyInput | undefined = {}): DunningPolicy {
	if (!isObject(input)) throw new PolicyError('the policy must be a JSON object');
	const typo = unknownPolicyKeys(input).find((key) => key.meant !== undefined);
	if (typo) throw new PolicyError(`"${typo.path}" is not a setting; did you mean "${typo.meant}"? (a misspelt setting would silently take its default)`);
	const d = DEFAULT_POLICY;
	const stages = checkStages(input.stages);
	const timezone = input.timezone === undefined || input.timezone === '' ? d.timezone : input.timezone;
	if (typeof timezone !== 'string' || !IANAZone.isValidZone(timezone)) {
		throw new PolicyError(`timezone ${JSON.stringify(input.timezone)} is not a known IANA timezone (e.g. Europe/Berlin)`);
	}
	const maxLevel = input.maxLevel === undefined || input.maxLevel === null || input.maxLevel === 0 ? stages.length : input.maxLevel;
	if (typeof maxLevel !== 'number' || !Number.isInteger(maxLevel) || maxLevel < 1 || maxLevel > stages.length) {
		throw new PolicyError(`maxLevel must be a whole number from 1 to ${stages.length} (the number of stages), got ${JSON.stringify(input.maxLevel)}`);
	}

	const bdIn: unknown = input.businessDays ?? {};
	if (!isObject(bdIn)) throw new PolicyError('businessDays must be an object { enabled, region }');
	const region = bdIn.region === undefined || bdIn.region === '' ? d.businessDays.region : bdIn.region;
	if (typeof region !== 'string') throw new PolicyError('businessDays.region must be text such as DE or DE-BY');
	const businessDays: BusinessDaySettings = { enabled: bool(bdIn.enabled, 'businessDays.enabled', d.businessDays.enabled), region: region.trim().toUpperCase() };
	if (businessDays.enabled) {
		const problem = regionProblem(businessDays.region);
		if (problem) throw new PolicyError(`businessDays: ${problem}`);
	}

	const siIn: unknown = input.statutoryInterest ?? {};
	if (!isObject(siIn)) throw new PolicyError('statutoryInterest must be an object');
	// Beside the other keys it would be ignored, and interest would silently run from the first reminder.
	if ((input as Record<string, unknown>).interestFrom !== undefined) throw new PolicyError('interestFrom belongs inside statutoryInterest: { "statutoryInterest": { "interestFrom": "dueDate" } }');
	const ds = d.statutoryInterest;
	const statutoryInterest: StatutoryInterestSettings = {
		enabled: bool(siIn.enabled, 'statutoryInterest.enabled', ds.enabled),
		interestFrom: interestFrom(siIn.interestFrom, ds.interestFrom),
		consumerMarginPct: nonNegative(siIn.consumerMarginPct, 'statutoryInterest.consumerMarginPct', ds.consumerMarginPct),
		businessMarginPct: nonNegative(siIn.businessMarginPct, 'statutoryInterest.businessMarginPct', ds.businessMarginPct),
		consumerFixedRatePct: fixedRate(siIn.consumerFixedRatePct, 'statutoryInterest.consumerFixedRatePct'),
		businessFixedRatePct: fixedRate(siIn.businessFixedRatePct, 'statutoryInterest.businessFixedRatePct'),
		businessFlatFee: nonNegative(siIn.businessFlatFee, 'statutoryInterest.businessFlatFee', ds.businessFlatFee),
		flatFeeCurrency: currencyCode(siIn.flatFeeCurrency, 'statutoryInterest.flatFeeCurrency', ds.flatFeeCurrency),
		baseRates: (siIn.baseRates ?? ds.baseRates) as BaseRate[],
	};

	return {
		stages,
		graceDays: wholeDays(input.graceDays, 'graceDays', d.graceDays),
		minDaysBetweenReminders: wholeDays(input.minDaysBetweenReminders, 'minDaysBetweenReminders', d.minDaysBetweenReminders),
		minOpenAmount: nonNegative(input.minOpenAmount, 'minOpenAmount', d.minOpenAmount),
		maxLevel,
		salesWindowDays: wholeDays(input.salesWindowDays, 'salesWindowDays', d.salesWindowDays),
		timezone,
		paymentDeadlineDays: wholeDays(input.paymentDeadlineDays, 'paymentDeadlineDays', d.paymentDeadlineDays),
		paymentArrivalDays: arrivalDays(input.paymentArrivalDays, d.paymentArrivalDays),
		defaultCurrency: currencyCode(input.defaultCurrency, 'defaultCurrency', d.defaultCurrency),
		businessDays,
		statutoryInterest,
		retryRefusedEmailAfterDays: wholeDays(input.retryRefusedEmailAfterDays, 'retryRefusedEmailAfterDays', d.retryRefusedEmailAfterDays),
		maxEmailRefusals: wholeCount(input.maxEmailRefusals, 'maxEmailRefusals', d.maxEmailRefusals),
	};
}

/**
 * The calendar a payment deadline ends by (§193 BGB moves it off a Saturday, Sunday or public
 * holiday whether or not Shift to Business Days is on): the policy's region. That region is only
 * checked when the shift is on; with it off an unknown one is not refused (a policy that worked
 * stays valid) but read as DE, the default, whose nationwide holidays every German state keeps:
 * weekends alone would let a deadline end on Good Friday, before its legal end.
 */
function deadlineCalendar(businessDays: BusinessDaySettings): BusinessCalendar {
	const { enabled, region } = businessDays;
	return calendarFor(enabled || regionProblem(region) === undefined ? region : DEFAULT_POLICY.businessDays.region);
}

/**
 * The margins `input` sets (not null) for customers that have a fixed rate: the fixed rate wins, so
 * the margin the operator wrote is not used (policyWarnings says so). Read from the input because
 * the normalized policy always has margins (their defaults).
 */
function unusedMargins(input: unknown, settings: StatutoryInterestSettings): string[] {
	const given: unknown = isObject(input) ? input.statutoryInterest : undefined;
	if (!isObject(given)) return [];
	const unused: string[] = [];
	if (settings.consumerFixedRatePct !== null && given.consumerMarginPct !== undefined && given.consumerMarginPct !== null) unused.push('statutoryInterest.consumerMarginPct');
	if (settings.businessFixedRatePct !== null && given.businessMarginPct !== undefined && given.businessMarginPct !== null) unused.push('statutoryInterest.businessMarginPct');
	return unused;
}

/** Checks a policy and precomputes what every decision needs. Throws PolicyError. */
export function compilePolicy(input?: DunningPolicyInput | DunningPolicy): CompiledPolicy {
	const policy = normalizePolicy(input);
	const ignoredKeys = isObject(input) ? unknownPolicyKeys(input).map((key) => key.path) : [];
	let rateTable: RateTable | undefined;
	let tableProblem = '';
	try {
		rateTable = compileRateTable(policy.statutoryInterest.baseRates);
	} catch (error) {
		tableProblem = (error as Error).message;
	}
	if (!rateTable) throw new PolicyError(tableProblem);
	const firstInterest = policy.stages.find((s) => s.chargeInterest);
	return {
		policy,
		rateTable,
		calendar: policy.businessDays.enabled ? calendarFor(policy.businessDays.region) : undefined,
		deadlineCalendar: deadlineCalendar(policy.businessDays),
		firstInterestLevel: firstInterest ? firstInterest.level : 0,
		scheduleOffsets: reminderOffsets(policy),
		ignoredKeys,
		finalReminder: Object.freeze(finalReminderLevels(policy)),
		unusedMargins: unusedMargins(input, policy.statutoryInterest),
	};
}
