import { isValidAddress } from '../mail/address';
import { parseRecipients } from '../mail/recipients';
import { dayInZone, type DateInput } from './date-input';
import type { BusinessCalendar } from './calendar';
import { readCurrencyCode } from './currency';
import { formatDay, plainDay } from './day-number';
import { emailRetryVerdict } from './email-retry';
import { belowZero, belowZeroMessage, showMinor, type BelowZero } from './charges';
import { DEFAULT_DAYS_IN_POST } from './deadline-check';
import { stageFees } from './fees';
import { fixedRateTable, interestStartDay, isShippedBaseRateTable, statutoryInterest, type InterestResult, type RateTable } from './interest';
import { fromMinor, minorDigits, toMinor } from './money';
import { compilePolicy, type CompiledPolicy, type DunningPolicyInput } from './policy';
import { dayAfterArrival, dayAfterDeadline, reminderGap } from './reminder-gap';
import { CUSTOMER_REPLIED, type DunningAction, type DunningDecision, type DunningPolicy, type DunningReason, type Invoice, type InvoiceInput, type InterestPeriod, type Stage, type StageChannel } from './types';
import { InvoiceInputError, InvoiceReader, type FieldNames, type InvoiceProblem } from './validate-invoice';

/** Decides for many invoices on one day: everything that depends only on (policy, today) is done once. */
export interface Decider {
	readonly compiled: CompiledPolicy;
	/** The run day, `YYYY-MM-DD` in the policy's timezone. */
	readonly asOf: string;
	/** Decision for a validated invoice. Throws InvoiceInputError if its dates are not `YYYY-MM-DD`. */
	decide(invoice: Invoice): DunningDecision;
	/** Validates raw fields, then decides; bad input gives an `invalidInput` decision, never a throw. */
	evaluate(input: InvoiceInput, fieldNames?: FieldNames): DunningDecision;
	/** The `invalidInput` decision for these problems. */
	invalid(input: InvoiceInput, problems: InvoiceProblem[]): DunningDecision;
	/**
	 * A decision held back for a reason outside the invoice (a credit of its customer, a repeated
	 * row): No Action at the level it had, nothing charged, no next date (a person acts first).
	 */
	hold(decision: DunningDecision, reason: DunningReason, message: string): DunningDecision;
	/** A reader for this run: dates must be plausible for the run day (see PLAUSIBLE_YEARS). */
	createReader(fieldNames?: FieldNames): InvoiceReader;
}

// Customers recur across a run's invoices and runs: remember each address's verdict (it never changes).
const emailVerdicts = new Map<string, boolean>();

function emailLooksValid(email: string): boolean {
	let verdict = emailVerdicts.get(email);
	if (verdict === undefined) {
		verdict = checkEmail(email);
		if (emailVerdicts.size >= 20000) emailVerdicts.clear();
		emailVerdicts.set(email, verdict);
	}
	return verdict;
}

function checkEmail(email: string): boolean {
	// The same check as Send Reminder Email's, so that what goes to Send is sendable there:
	// one address, `Name <address>`, or a list of either (ERP exports often list several).
	return isValidAddress(email) || parseRecipients(email).ok;
}

/** What make() reads of an invoice; hold() takes it from the decision it holds back. */
type InvoiceBasis = Pick<Invoice, 'currentLevel' | 'currency' | 'openAmount'>;

// Shared by every decision without periods or warnings; frozen so that no one appends to all of them.
const NO_PERIODS = Object.freeze([]) as unknown as InterestPeriod[];
const NO_WARNINGS = Object.freeze([]) as unknown as string[];

/**
 * Days left out of the interest because base rate + margin is 0 % or below (statutoryInterest):
 * a policy margin under the base rate's lowest (-0.88 % in 2016–2022), almost certainly a slip.
 * Each stretch is named on its own: with a policy's own table charged days may lie between them.
 */
function unchargedInterestWarning(uncharged: InterestResult['uncharged'], business: boolean, marginPct: number): string {
	const key = business ? 'businessMarginPct' : 'consumerMarginPct';
	const law = business ? 9 : 5;
	const stretches = uncharged.map((u) => `${u.days} day${u.days === 1 ? '' : 's'} from ${u.from} to ${u.to}`);
	const named = stretches.length > 1 ? `${stretches.slice(0, -1).join(', ')} and ${stretches[stretches.length - 1]}` : stretches[0];
	const ratePct = Math.min(...uncharged.map((u) => u.ratePct));
	return `no statutory interest for ${named}: the base rate plus the ${business ? 'business' : 'consumer'} margin of ${marginPct} points is ${ratePct} %, and a debtor in default never earns interest, so those days are left out of the interest periods. Check statutoryInterest.${key} (§288 BGB: ${law} points)`;
}

/**
 * Interest past the table's last half-year runs on at its last rate. The shipped table is updated
 * with the package (from the Bundesbank's announcements); a policy's own table only by its owner,
 * whose rates may be another bank's (the OeNB's): no word of the Bundesbank then.
 */
function staleTableWarning(table: RateTable, shipped: boolean): string {
	const ends = `ends on ${formatDay(table.lastCoveredDay)}; interest after that uses its last rate (${table.rates[table.rates.length - 1]} %)`;
	return shipped
		? `the base-rate table ${ends}: update the package, or give the policy the whole table with the Bundesbank's newer rates (statutoryInterest.baseRates replaces the shipped table, its older entries too)`
		: `your base-rate table (statutoryInterest.baseRates) ${ends}: add the newer rates`;
}

/** An invoice dated after the run day: most likely an ERP export's error (a planned date, a typo). */
function futureInvoiceWarning(invoiceDate: string, asOf: string): string {
	return `the invoice is dated ${invoiceDate}, after the run day ${asOf}: an invoice from the future is likely an error in the data; check invoiceDate (a business debtor's 30 days to default, §286(3) BGB, count from it)`;
}

/**
 * An open amount above the invoice amount: most likely charges an ERP booked onto the invoice's open
 * item (an earlier reminder's fee, interest), which this reminder claims again on top of it.
 */
function openAboveAmountWarning(openMinor: number, amountMinor: number, currency: string): string {
	return `openAmount ${showMinor(openMinor, currency)} is above the invoice amount ${showMinor(amountMinor, currency)} (amount): charges your ERP booked onto the invoice would be claimed twice; interest is charged on the invoice amount only. Book dunning charges apart from the invoice, or correct amount`;
}

/**
 * The reason for an open amount below zero: `chargesPaid` when the customer paid no more than the
 * charges the reminders claimed (a reminder's total booked against the invoice), else `credit`
 * (belowZeroMessage names the part beyond those charges).
 */
function belowZeroReason(split: BelowZero): 'credit' | 'chargesPaid' {
	return split.creditMinor === 0 ? 'chargesPaid' : 'credit';
}

function day(text: string, field: 'dueDate' | 'invoiceDate' | 'lastDunnedAt' | 'firstDunnedAt' | 'emailRefusedAt' | 'lastDeadline' | 'firstDeadline'): number {
	const d = plainDay(text);
	if (d === undefined) throw new InvoiceInputError([{ field, message: `${field} must be YYYY-MM-DD (got ${JSON.stringify(text)})` }]);
	return d;
}

// Decisions name the same few hundred days over and over: format each once. A day's text never
// changes, so one bounded cache serves every decider (and a module-level function, unlike a
// per-decider closure, leaves V8's optimised code valid from one run to the next).
const dayTexts = new Map<number, string>();

function dayText(d: number): string {
	let s = dayTexts.get(d);
	if (s === undefined) {
		s = formatDay(d);
		if (dayTexts.size < 20000) dayTexts.set(d, s);
	}
	return s;
}

/**
 * Which reminder asked for payment by a stated deadline, for a waiting message. At level 2 on with
 * only firstDeadline on file it is the first reminder's, not the last's (whose is unknown).
 */
function askedFor(stated: { deadline: string; field: 'lastDeadline' | 'firstDeadline' }, level: number): string {
	if (stated.field === 'firstDeadline' && level > 1) {
		return `the first reminder asked for payment by ${stated.deadline} (firstDeadline, the latest deadline on file)`;
	}
	return `the last reminder asked for payment by ${stated.deadline} (${stated.field})`;
}

/**
 * A class rather than closures over createDecider's locals: its methods are one set of functions
 * for the whole process, so the code V8 optimises on one run is reused by the next run's decider.
 */
class DunningDecider implements Decider {
	readonly asOf: string;
	private readonly policy: DunningPolicy;
	private readonly stages: Stage[];
	private readonly maxLevel: number;
	private readonly calendar: BusinessCalendar | undefined;
	/** Where a deadline ends by law (§193 BGB), Shift to Business Days on or off. */
	private readonly deadlineCalendar: BusinessCalendar;
	private readonly todayDay: number;
	private readonly deadline: string;
	/** What a decision carries to restate its deadline later (DunningDecision.paymentPeriodDays, holidayRegion). */
	private readonly paymentPeriodDays: number;
	private readonly holidayRegion: string;
	private readonly windowStart: number;
	private readonly staleWarning: string | null;
	/** A fixed yearly rate's one-rate table, where the policy sets one for those customers (null: base rate + margin). */
	private readonly consumerFixedRate: RateTable | null;
	private readonly businessFixedRate: RateTable | null;
	// Every interest decision of a stale table carries the same warning: share frozen lists.
	private readonly staleOnly: string[];
	private readonly earlyOnly: string[];
	private readonly staleAndEarly: string[];
	private readonly maxLevelMessages: string[];
	/** Reads invoices for evaluate() without field names, the usual call. */
	private readonly reader: InvoiceReader;

	constructor(
		readonly compiled: CompiledPolicy,
		today: DateInput,
	) {
		const { policy, calendar, rateTable } = compiled;
		const t = dayInZone(today, policy.timezone);
		if (!t.ok) throw new Error(`As-of date ${t.problem}`);
		this.policy = policy;
		this.stages = policy.stages;
		this.maxLevel = policy.maxLevel;
		this.calendar = calendar;
		this.deadlineCalendar = compiled.deadlineCalendar;
		this.todayDay = t.day;
		this.asOf = formatDay(t.day);
		// Printed at its legal end, Shift to Business Days on or off: a deadline on a weekend or holiday
		// runs to the next business day by law (§193 BGB), and a letter asking for payment by a Sunday
		// reads as a mistake. The next stage and default wait for the day after this very day
		// (dayAfterDeadline with deadlineCalendar), so they never act before the printed deadline.
		this.deadline = formatDay(compiled.deadlineCalendar.shiftToBusinessDay(t.day + policy.paymentDeadlineDays));
		this.paymentPeriodDays = policy.paymentDeadlineDays;
		// The region the deadline was moved by: the policy's, or DE for an unknown one with the shift off (deadlineCalendar).
		this.holidayRegion = compiled.deadlineCalendar.region;
		this.windowStart = policy.salesWindowDays > 0 ? t.day - policy.salesWindowDays : -Infinity;
		this.staleWarning = t.day > rateTable.lastCoveredDay ? staleTableWarning(rateTable, isShippedBaseRateTable(policy.statutoryInterest.baseRates)) : null;
		const { consumerFixedRatePct, businessFixedRatePct } = policy.statutoryInterest;
		this.consumerFixedRate = consumerFixedRatePct === null ? null : fixedRateTable(consumerFixedRatePct);
		this.businessFixedRate = businessFixedRatePct === null ? null : fixedRateTable(businessFixedRatePct);
		const earlyWarning = `the base-rate table starts on ${formatDay(rateTable.starts[0])}; earlier days use its first rate`;
		this.staleOnly = this.staleWarning ? (Object.freeze([this.staleWarning]) as string[]) : NO_WARNINGS;
		this.earlyOnly = Object.freeze([earlyWarning]) as string[];
		this.staleAndEarly = this.staleWarning ? (Object.freeze([this.staleWarning, earlyWarning]) as string[]) : this.earlyOnly;
		// Indexed by the current level, from maxLevel up to the number of stages (a lowered Max Level).
		this.maxLevelMessages = [0, ...this.stages.map((s) => s.level)].map((l) =>
			l > this.maxLevel ? `level ${l} is beyond this policy's highest level, ${this.maxLevel} (Max Level)` : `level ${l} is the highest level of this policy`,
		);
		this.reader = new InvoiceReader(compiled, {}, this.asOf);
	}

	createReader(fieldNames: FieldNames = {}): InvoiceReader {
		return new InvoiceReader(this.compiled, fieldNames, this.asOf);
	}

	/** Whether a reminder at `level` is the customer's last (CompiledPolicy.finalReminder; a level past the stages has none after it). */
	private isFinalReminder(level: number): boolean {
		return this.compiled.finalReminder[level] ?? true;
	}

	private shift(d: number): number {
		return this.calendar ? this.calendar.shiftToBusinessDay(d) : d;
	}

	private make(
		invoice: InvoiceBasis,
		action: DunningAction,
		level: number,
		reason: DunningReason | null,
		message: string | null,
		daysOverdue: number,
		dueSince: string | null,
		nextActionDay: number | null,
		fee: number,
		flatFee: number,
		interest: number,
		interestPeriods: InterestPeriod[],
		deadlineText: string | null,
		warnings: string[],
	): DunningDecision {
		const stage = level > 0 ? this.stages[level - 1] : undefined;
		const channel: StageChannel | null = action === 'none' && reason !== 'noChannel' ? null : (stage?.channel ?? null);
		// Every value first, then the object from plain locals: with calls inside the literal, V8
		// allocates it first and fills it field by field, several times slower on large runs.
		const stageName = stage ? stage.name : null;
		const nextActionDate = nextActionDay === null ? null : dayText(nextActionDay);
		const finalReminder = this.isFinalReminder(level);
		// In the currency's smallest unit (¥1, 0.01 €, 0.001 BHD): what is printed adds up.
		const digits = minorDigits(invoice.currency);
		const openMinor = toMinor(invoice.openAmount, digits);
		const feeMinor = toMinor(fee, digits);
		const flatFeeMinor = toMinor(flatFee, digits);
		const totalDue = fromMinor(openMinor + feeMinor + flatFeeMinor + toMinor(interest, digits), digits);
		return {
			action,
			level,
			previousLevel: invoice.currentLevel,
			stageName,
			channel,
			reason,
			message,
			daysOverdue,
			dueSince,
			nextActionDate,
			finalReminder,
			currency: invoice.currency,
			openAmount: fromMinor(openMinor, digits),
			fee: fromMinor(feeMinor, digits),
			flatFee: fromMinor(flatFeeMinor, digits),
			interest,
			interestPeriods,
			totalDue,
			deadline: deadlineText,
			paymentPeriodDays: this.paymentPeriodDays,
			holidayRegion: this.holidayRegion,
			asOf: this.asOf,
			timezone: this.policy.timezone,
			warnings,
		};
	}

	/**
	 * Whether refusals hold back stage `level`: they belong to it, and it would go out by e-mail
	 * (not a letter stage, not blocked, an address on file).
	 */
	private wouldEmail(invoice: Invoice, level: number): boolean {
		if (invoice.emailRefusals <= 0 || (invoice.emailRefusedLevel !== null && invoice.emailRefusedLevel !== level)) return false;
		return this.stages[level - 1]?.channel === 'email' && !invoice.emailBlocked && invoice.email !== null;
	}

	/**
	 * The day the stage after `level` may go out, shifted to a business day when asked. After a
	 * reminder, never before the day after its payment deadline's legal end (§193 BGB, Shift to
	 * Business Days on or off): the next stage says it went unpaid and charges default from then
	 * (§286 BGB), which it cannot say on the deadline day itself. Either deadline is followed by Days
	 * for Payment to Arrive (afterArrival): a payment made on the deadline day is not booked the day
	 * after it, and the next stage must not claim it unpaid. `arrivalAfterStated`: that day for the
	 * deadline the last reminder stated (lastDeadline), when on file: the estimate from today's
	 * Payment Deadline is too early once the setting was shortened, so the later wins.
	 * `postDays`: days the reminder at `level` took in the post (see postDays), when its stated
	 * deadline is not on file: the estimated deadline counts from its likely arrival.
	 */
	private scheduledDay(level: number, dueDay: number, legalDueEnd: number, lastDay: number | null, arrivalAfterStated: number | null = null, postDays = 0): number {
		const { policy } = this;
		const stage = this.stages[level];
		let d: number;
		// The first stage never before the day after the due date's legal end (legalDueEnd).
		const firstDay = Math.max(dueDay + policy.graceDays + this.stages[0].daysAfterPrevious, legalDueEnd + 1);
		if (level === 0) d = firstDay;
		else {
			// Without lastDunnedAt: the day the previous stage was scheduled, every stage on its earliest day
			// (the offsets without shifts, from the first stage's day).
			const previous = lastDay ?? firstDay + this.compiled.scheduleOffsets[level] - this.compiled.scheduleOffsets[1];
			// The latest of the stage's days, the minimum interval and the day after the deadline's legal end.
			d = Math.max(previous + reminderGap(stage.daysAfterPrevious, policy), this.afterArrival(dayAfterDeadline(previous + postDays, policy.paymentDeadlineDays, this.deadlineCalendar)));
		}
		// At level 0 a date on file (a reminder taken back) still counts for the minimum interval.
		if (lastDay !== null) d = Math.max(d, lastDay + policy.minDaysBetweenReminders, lastDay + 1);
		// A stored deadline only ever makes us wait longer (level 0: a reminder taken back binds no one).
		if (level > 0 && arrivalAfterStated !== null) d = Math.max(d, arrivalAfterStated);
		return this.shift(d);
	}

	/**
	 * The days in the post to count for the reminder at `level` when the deadline it stated is not on
	 * file: Create Reminder Letter states a letter's deadline from the day it likely arrives (letter
	 * date + Days in the Post, DEFAULT_DAYS_IN_POST unless set otherwise), so an estimate from the
	 * day it went out must count them too, or the next stage and default come before the deadline
	 * the letter printed. A reminder went by letter when its stage's channel is letter, or when the
	 * invoice, as it reads today, has no usable e-mail address (none, blocked, not an address: the
	 * Paper output), or when its e-mails were refused more often than allowed (emailRefused). An
	 * e-mail, or a stage without channel: 0. Only ever makes us wait longer.
	 */
	private postDays(invoice: Invoice, level: number): number {
		if (level < 1) return 0;
		const channel = this.stages[level - 1]?.channel;
		if (channel === 'none') return 0;
		// Refused more often than allowed at this level: it went on paper (emailRefused), address valid or not.
		const refusedToPaper = invoice.emailRefusedLevel === level && invoice.emailRefusals > this.policy.maxEmailRefusals;
		const byLetter = channel === 'letter' || invoice.emailBlocked || invoice.email === null || !emailLooksValid(invoice.email) || refusedToPaper;
		return byLetter ? DEFAULT_DAYS_IN_POST : 0;
	}

	/**
	 * The day the first reminder was sent, as far as known. Without firstDunnedAt: at level 1 the
	 * last reminder is the first. At a later level, each reminder after the first waited at least
	 * its stage's days and the minimum interval after the one before, under this version's rule
	 * (which also waits for the previous deadline) and under earlier ones alike, so the first went
	 * out that long before the last at the latest. Counting back by these days, never by the
	 * deadline's, keeps the estimate no earlier than the real first reminder for every invoice,
	 * also one reminded before the deadline rule: default from its deadline is never more than
	 * owed. On schedule it is late by what each stage waited for the deadline beyond its own days;
	 * firstDunnedAt avoids any estimate.
	 * Null at level 0 (no reminder yet) or without any date.
	 */
	private firstReminderDay(invoice: Invoice): number | null {
		if (invoice.currentLevel < 1) return null;
		if (invoice.firstDunnedAt !== null) return day(invoice.firstDunnedAt, 'firstDunnedAt');
		if (invoice.lastDunnedAt === null) return null;
		let gaps = 0;
		for (let level = 2; level <= Math.min(invoice.currentLevel, this.stages.length); level++) {
			gaps += Math.max(this.stages[level - 1].daysAfterPrevious, this.policy.minDaysBetweenReminders, 1);
		}
		return day(invoice.lastDunnedAt, 'lastDunnedAt') - gaps;
	}

	/** The later of the deadlines on file (validation makes lastDeadline the later when both are), or null. */
	private latestStated(invoice: Invoice): { deadline: string; field: 'lastDeadline' | 'firstDeadline' } | null {
		const { lastDeadline, firstDeadline } = invoice;
		if (lastDeadline !== null && (firstDeadline === null || lastDeadline >= firstDeadline)) return { deadline: lastDeadline, field: 'lastDeadline' };
		return firstDeadline === null ? null : { deadline: firstDeadline, field: 'firstDeadline' };
	}

	/**
	 * The first day the next stage may go out after a deadline, from the day after its legal end:
	 * Days for Payment to Arrive (business days of the deadline's calendar) later. Never for default
	 * or interest: those start on `afterDeadline` itself.
	 */
	private afterArrival(afterDeadline: number): number {
		return dayAfterArrival(afterDeadline, this.policy.paymentArrivalDays, this.deadlineCalendar);
	}

	/** The day after the legal end (§193 BGB) of a deadline a reminder stated, a plain `YYYY-MM-DD`. */
	private afterStated(deadline: string, field: 'lastDeadline' | 'firstDeadline'): number {
		return dayAfterDeadline(day(deadline, field), 0, this.deadlineCalendar);
	}

	/**
	 * The day after the first reminder's payment deadline: default by reminder starts then (§286(1)
	 * BGB). The deadline the first reminder stated when on file (firstDeadline; at level 1 the last
	 * reminder is the first, so lastDeadline will do): the law counts from it, whatever the setting
	 * says today. Else estimated from the first reminder's day (+ its days in the post when it went
	 * by letter, see postDays) and today's Payment Deadline. Null at level 0 or without any date.
	 */
	private afterFirstDeadline(invoice: Invoice): number | null {
		if (invoice.currentLevel < 1) return null;
		if (invoice.firstDeadline !== null) return this.afterStated(invoice.firstDeadline, 'firstDeadline');
		if (invoice.currentLevel === 1 && invoice.lastDeadline !== null) return this.afterStated(invoice.lastDeadline, 'lastDeadline');
		const first = this.firstReminderDay(invoice);
		return first === null ? null : dayAfterDeadline(first + this.postDays(invoice, 1), this.policy.paymentDeadlineDays, this.deadlineCalendar);
	}

	decide(invoice: Invoice): DunningDecision {
		const { policy, todayDay, maxLevel } = this;
		// Null unless the open amount is below zero in the currency's smallest unit.
		const below = belowZero(invoice);
		// Only a credit note may come without a due date (validate-invoice): there is nothing to count
		// from. Any other invoice without one is refused below (day()), as a due date that is no day.
		if (below !== null && invoice.dueDate === '') {
			return this.make(invoice, 'none', invoice.currentLevel, belowZeroReason(below), belowZeroMessage(below, invoice.currency), 0, null, null, 0, 0, 0, NO_PERIODS, null, NO_WARNINGS);
		}
		const rawDue = day(invoice.dueDate, 'dueDate');
		const dueDay = this.shift(rawDue);
		const invoiceDay = invoice.invoiceDate === null ? null : day(invoice.invoiceDate, 'invoiceDate');
		const dueSince = dueDay === rawDue ? invoice.dueDate : dayText(dueDay);
		// The due date's legal end: on a Saturday, Sunday or public holiday it runs to the next business
		// day (§193 BGB), Shift to Business Days on or off. A reminder before then asks for what is not due
		// yet and has no legal effect: until that day the invoice is notDue, the first stage the day after.
		const legalDueEnd = this.deadlineCalendar.shiftToBusinessDay(rawDue);
		const daysOverdue = todayDay > dueDay ? todayDay - dueDay : 0;
		const current = invoice.currentLevel;
		let reason: DunningReason | null = null;
		let message = '';
		let waitUntil: number | null = null;
		let refusedOnce = false;
		const digits = minorDigits(invoice.currency);
		const openMinor = toMinor(invoice.openAmount, digits);
		if (below !== null) {
			reason = belowZeroReason(below);
			message = belowZeroMessage(below, invoice.currency);
		} else if (openMinor === 0) {
			reason = 'paid';
			message = 'nothing is open on this invoice';
		} else if (invoice.parked) {
			reason = 'parked';
			message = 'the invoice is parked';
		} else if (invoice.disputed) {
			reason = 'disputed';
			message = 'the invoice is disputed';
		} else if (invoice.dunningBlock) {
			if (invoice.dunningBlockReason === CUSTOMER_REPLIED) {
				reason = 'customerReplied';
				message = 'the customer replied to a reminder: read the reply, then clear the dunning block';
			} else {
				reason = 'blocked';
				message = 'the invoice has a dunning block';
			}
		} else if (invoiceDay !== null && invoiceDay < this.windowStart) {
			reason = 'outsideWindow';
			message = `the invoice is dated ${invoice.invoiceDate}, more than ${policy.salesWindowDays} days before ${this.asOf}`;
		} else if (current >= maxLevel) {
			reason = 'maxLevelReached';
			message = this.maxLevelMessages[current];
		} else if (openMinor < toMinor(policy.minOpenAmount, digits)) {
			// In cents (the currency's unit), as shown: an ERP's 10.20 - 5.20 = 4.999999999999999 is 5.00, not below 5.
			reason = 'belowMinimum';
			message = `the open amount is below the minimum of ${policy.minOpenAmount} ${invoice.currency}`;
		} else {
			const lastDay = invoice.lastDunnedAt === null ? null : day(invoice.lastDunnedAt, 'lastDunnedAt');
			// The latest deadline a reminder stated (lastDeadline; firstDeadline is the last's at level 1 when only it is on file).
			const stated = current > 0 ? this.latestStated(invoice) : null;
			const afterLastDeadline = stated === null ? null : this.afterStated(stated.deadline, stated.field);
			// The last reminder's own deadline on file (at level 1 the first's is it): no days in the post to add.
			const lastOnFile = stated !== null && (stated.field === 'lastDeadline' || current === 1);
			// The first day a payment made by the stated deadline no longer holds the next stage back.
			const afterArrival = afterLastDeadline === null ? null : this.afterArrival(afterLastDeadline);
			waitUntil = this.scheduledDay(current, dueDay, legalDueEnd, lastDay, afterArrival, lastOnFile ? 0 : this.postDays(invoice, current));
			// With Shift to Business Days on, dueDay is that very day (the same calendar); with it off, the later.
			if (todayDay <= legalDueEnd) {
				reason = 'notDue';
				message = 'not yet overdue';
			} else if (stated !== null && afterLastDeadline !== null && todayDay < afterLastDeadline) {
				reason = 'waiting';
				message = `${askedFor(stated, current)}, which has not passed yet: the next stage waits (see nextActionDate)`;
			} else if (stated !== null && afterArrival !== null && todayDay < afterArrival) {
				reason = 'waiting';
				// The last day still for the money, not the setting: on the last of them one day is left, whatever the setting.
				const days = policy.paymentArrivalDays;
				message = `${askedFor(stated, current)}: the next stage waits while a payment made by then may still arrive, up to and including ${dayText(afterArrival - 1)} (Days for Payment to Arrive: ${days} business day${days === 1 ? '' : 's'} after the deadline; see nextActionDate)`;
			} else if (todayDay < waitUntil) {
				reason = 'waiting';
				message = 'the next stage is not due yet (see nextActionDate)';
			} else if (this.wouldEmail(invoice, current + 1)) {
				const refusedDay = invoice.emailRefusedAt === null ? null : day(invoice.emailRefusedAt, 'emailRefusedAt');
				const retry = emailRetryVerdict(invoice.emailRefusals, refusedDay, todayDay, policy.retryRefusedEmailAfterDays, policy.maxEmailRefusals);
				if (retry.kind === 'wait') {
					reason = 'retryLater';
					message = `the last e-mail of this level was refused by the recipient's side; it is tried again from ${dayText(retry.day)}`;
					waitUntil = retry.day;
				} else if (retry.kind === 'paper') {
					refusedOnce = true;
				}
			}
		}
		if (reason !== null) {
			return this.make(invoice, 'none', current, reason, message, daysOverdue, dueSince, waitUntil, 0, 0, 0, NO_PERIODS, null, NO_WARNINGS);
		}

		// At most one level up per run, and never a level already reached.
		const level = current + 1;
		const stage = this.stages[level - 1];
		// The earliest day: a reminder that goes out later (the send queue, the post) states a later
		// deadline, which the next stage waits for once it is stored (lastDeadline).
		const hasNext = level < maxLevel;
		// Warnings about this invoice, before those shared by every decision of the run (most have none: no array then).
		let own: string[] | null = invoiceDay !== null && invoiceDay > todayDay ? [futureInvoiceWarning(dayText(invoiceDay), this.asOf)] : null;
		if (stage.channel === 'none') {
			return this.make(invoice, 'none', level, 'noChannel', `stage "${stage.name}" has no channel: nothing is sent`, daysOverdue, dueSince, hasNext ? this.scheduledDay(level, dueDay, legalDueEnd, todayDay) : null, 0, 0, 0, NO_PERIODS, null, own ?? NO_WARNINGS);
		}

		const si = policy.statutoryInterest;
		// Since when the debtor is in default (§286): interest and the business flat fee both need it.
		// The first reminder's deadline as it stated it (firstDeadline), else taken with today's Payment Deadline.
		let defaultStart: number | null = null;
		if (si.enabled) {
			const afterFirstDeadline = si.interestFrom === 'firstReminder' ? this.afterFirstDeadline(invoice) : null;
			// The due date as given: default waits for its legal end (§193 BGB), Shift to Business Days on or off.
			defaultStart = interestStartDay(si.interestFrom, rawDue, todayDay, invoice.customerType === 'business', afterFirstDeadline, this.deadlineCalendar, invoiceDay);
		}
		const fees = stageFees(stage, invoice, this.compiled, defaultStart !== null);
		let interest = 0;
		let periods = NO_PERIODS;
		let warnings = NO_WARNINGS;
		const startDay = stage.chargeInterest ? defaultStart : null;
		// More open than invoiced (in minor units): the excess is most likely charges booked onto the
		// invoice, and no interest is owed on interest or costs (§289 BGB): interest on the invoice amount.
		const amountMinor = toMinor(invoice.amount, digits);
		const aboveAmount = amountMinor > 0 && openMinor > amountMinor;
		if (aboveAmount) own = [...(own ?? []), openAboveAmountWarning(openMinor, amountMinor, invoice.currency)];
		if (startDay !== null) {
			const business = invoice.customerType === 'business';
			// A fixed yearly rate (Austria's 4 % for consumers, Switzerland's 5 %) replaces base rate + margin.
			const fixed = business ? this.businessFixedRate : this.consumerFixedRate;
			const margin = fixed ? 0 : business ? si.businessMarginPct : si.consumerMarginPct;
			const r = statutoryInterest(aboveAmount ? invoice.amount : invoice.openAmount, startDay, todayDay, margin, fixed ?? this.compiled.rateTable, dayText, digits);
			interest = r.amount;
			periods = r.periods;
			const stale = r.pastTableEnd && this.staleWarning !== null;
			if (stale) warnings = r.beforeTableStart ? this.staleAndEarly : this.staleOnly;
			else if (r.beforeTableStart) warnings = this.earlyOnly;
			// A fixed rate of 0 charges nothing on purpose: no warning about a margin below the base rate.
			if (r.uncharged.length > 0 && !fixed) own = [...(own ?? []), unchargedInterestWarning(r.uncharged, business, margin)];
		}
		if (fees.warning) own = [fees.warning, ...(own ?? [])];
		if (own) warnings = [...own, ...warnings];

		let action: DunningAction = 'send';
		let sendMessage: string | null = null;
		if (stage.channel === 'letter') {
			action = 'paper';
			reason = 'letterChannel';
			sendMessage = `stage "${stage.name}" goes by letter`;
		} else if (invoice.emailBlocked) {
			action = 'paper';
			reason = 'emailBlocked';
			sendMessage = 'the e-mail address is blocked (earlier bounce): send a letter';
		} else if (refusedOnce) {
			action = 'paper';
			reason = 'emailRefused';
			sendMessage = `e-mails of this level were refused ${invoice.emailRefusals} times (more than the ${policy.maxEmailRefusals} allowed): send a letter`;
		} else if (invoice.email === null) {
			action = 'paper';
			reason = 'noEmail';
			sendMessage = 'no e-mail address: send a letter';
		} else if (!emailLooksValid(invoice.email)) {
			action = 'paper';
			reason = 'invalidEmail';
			sendMessage = `"${invoice.email}" is not a usable e-mail address: send a letter`;
		}
		// A letter states its deadline from the day it likely arrives (postDays).
		const nextActionDay = hasNext ? this.scheduledDay(level, dueDay, legalDueEnd, todayDay, null, action === 'paper' ? DEFAULT_DAYS_IN_POST : 0) : null;
		return this.make(invoice, action, level, reason, sendMessage, daysOverdue, dueSince, nextActionDay, fees.fee, fees.flatFee, interest, periods, this.deadline, warnings);
	}

	hold(decision: DunningDecision, reason: DunningReason, message: string): DunningDecision {
		// make() reads of the invoice only its level, currency and open amount: the decision has them.
		const held: InvoiceBasis = { currentLevel: decision.previousLevel, currency: decision.currency, openAmount: decision.openAmount };
		return this.make(held, 'none', held.currentLevel, reason, message, decision.daysOverdue, decision.dueSince, null, 0, 0, 0, NO_PERIODS, null, NO_WARNINGS);
	}

	invalid(input: InvoiceInput, problems: InvoiceProblem[]): DunningDecision {
		const { stages, policy } = this;
		const lvl = typeof input === 'object' && input !== null ? input.currentLevel : undefined;
		const level = typeof lvl === 'number' && Number.isInteger(lvl) && lvl >= 0 && lvl <= stages.length ? lvl : 0;
		const raw = typeof input === 'object' && input !== null ? input.currency : undefined;
		const read = readCurrencyCode(raw);
		// Not "NAN" nor "XXX": the decision's currency is one a person can read, the default for a currency that is none.
		const currency = read.ok ? read.code : policy.defaultCurrency;
		return {
			action: 'none',
			level,
			previousLevel: level,
			stageName: level > 0 ? stages[level - 1].name : null,
			channel: null,
			reason: 'invalidInput',
			message: problems.map((p) => p.message).join('; '),
			invalidFields: problems.map((p) => p.field),
			daysOverdue: 0,
			dueSince: null,
			nextActionDate: null,
			finalReminder: this.isFinalReminder(level),
			currency,
			openAmount: 0,
			fee: 0,
			flatFee: 0,
			interest: 0,
			interestPeriods: NO_PERIODS,
			totalDue: 0,
			deadline: null,
			paymentPeriodDays: this.paymentPeriodDays,
			holidayRegion: this.holidayRegion,
			asOf: this.asOf,
			timezone: this.policy.timezone,
			warnings: NO_WARNINGS,
		};
	}

	evaluate(input: InvoiceInput, fieldNames?: FieldNames): DunningDecision {
		const reader = fieldNames === undefined ? this.reader : this.createReader(fieldNames);
		const invoice = reader.read(input);
		// decide() keeps nothing of the invoice, so the reader's reused one will do.
		return invoice === null ? this.invalid(input, reader.problems ?? []) : this.decide(invoice);
	}
}

/**
 * Builds a decider for `today` (a `YYYY-MM-DD` day or an instant, read in the policy's
 * timezone). The clock is never read here: the caller says which day it is.
 */
export function createDecider(policyOrCompiled: CompiledPolicy | DunningPolicyInput, today: DateInput): Decider {
	const compiled = 'rateTable' in policyOrCompiled ? (policyOrCompiled as CompiledPolicy) : compilePolicy(policyOrCompiled as DunningPolicyInput);
	return new DunningDecider(compiled, today);
}

/** One decision: a pure function of (invoice, policy, today). */
export function decide(invoice: Invoice, policy: CompiledPolicy | DunningPolicyInput, today: DateInput): DunningDecision {
	return createDecider(policy, today).decide(invoice);
}
