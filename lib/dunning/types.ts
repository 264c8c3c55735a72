/** Public contracts of the dunning core (see DESIGN.md, "Compute Dunning Level"). */

export type CustomerType = 'consumer' | 'business';

/** How a stage reaches the customer. `none` counts the level without sending anything. */
export type StageChannel = 'email' | 'letter' | 'none';

export type DunningAction = 'send' | 'paper' | 'none';

/**
 * Machine-readable reason for every decision that is not a plain e-mail send.
 * - none: `invalidInput`, `paid`, `parked`, `disputed`, `blocked` (dunning block),
 *   `outsideWindow` (invoice older than the sales window), `maxLevelReached`, `belowMinimum`,
 *   `notDue` (the due date's legal end, §193 BGB, not yet passed), `waiting` (overdue, but the next stage's day, the grace
 *   days, the last reminder's deadline and the days for a payment made by it to arrive, or the
 *   minimum interval since the last reminder have not come yet), `noChannel` (the
 *   stage is reached but its channel is `none`), `customerReplied` (a dunning block set because the
 *   customer answered a reminder: a person must read the reply), `retryLater` (the last e-mail of
 *   this level was refused by the recipient's side; it is tried once more after a few days),
 *   `credit` (the open amount is below zero: a credit note or an overpaid invoice; with
 *   `claimedCharges`, by more than the charges the reminders claimed), `chargesPaid` (the open amount
 *   is below zero by no more than `claimedCharges`: the customer paid a reminder's total, charges
 *   included, which the ledger booked against the invoice; nothing to pay back), `customerCredit`
 *   (the invoice would be dunned, but its customer has a credit in the same currency in this run,
 *   or a row with an open amount below zero that could not be read: a person settles it first),
 *   `duplicate` (another input row is the same invoice, with the same due date, open amount and
 *   currency; only the first is dunned), `sameInvoiceId` (an instalment:
 *   an earlier row with the same invoice ID but another due date or amount is reminded at the same
 *   level in this run, and a reminder is known by invoice ID and level).
 * - paper: `noEmail`, `invalidEmail`, `emailBlocked`, `letterChannel` (the stage is a letter),
 *   `emailRefused` (e-mails of this level were refused more often than the policy allows).
 */
export type DunningReason =
	| 'invalidInput'
	| 'paid'
	| 'parked'
	| 'disputed'
	| 'blocked'
	| 'outsideWindow'
	| 'maxLevelReached'
	| 'belowMinimum'
	| 'notDue'
	| 'waiting'
	| 'noChannel'
	| 'noEmail'
	| 'invalidEmail'
	| 'emailBlocked'
	| 'letterChannel'
	| 'customerReplied'
	| 'retryLater'
	| 'emailRefused'
	| 'credit'
	| 'chargesPaid'
	| 'customerCredit'
	| 'duplicate'
	| 'sameInvoiceId';

/** The dunning block reason the bounce workflow sets when a customer replies to a reminder. */
export const CUSTOMER_REPLIED = 'customerReplied';

/** A validated, normalised open invoice. Dates are calendar days `YYYY-MM-DD` in the policy's timezone. */
export interface Invoice {
	invoiceId: string;
	invoiceNumber: string | null;
	customerId: string | null;
	customerType: CustomerType;
	email: string | null;
	language: string | null;
	invoiceDate: string | null;
	dueDate: string;
	/** ISO 4217 code, upper case. */
	currency: string;
	amount: number;
	openAmount: number;
	/** 0 = never dunned. */
	currentLevel: number;
	lastDunnedAt: string | null;
	/** The day the first reminder (level 1) was sent, where default interest starts (see InterestFrom); empty: lastDunnedAt stands in. */
	firstDunnedAt: string | null;
	/**
	 * The payment deadline the last reminder sent stated ("pay by"). The next stage waits for its
	 * legal end (§193 BGB) even when Payment Deadline (Days) was shortened since; empty: estimated
	 * from lastDunnedAt and today's Payment Deadline. Not read at level 0 (no reminder in force).
	 */
	lastDeadline: string | null;
	/**
	 * The payment deadline the first reminder (level 1) stated: default by reminder (§286(1) BGB)
	 * starts the day after its legal end. Empty: at level 1 lastDeadline stands in, else estimated
	 * from the first reminder's day and today's Payment Deadline.
	 */
	firstDeadline: string | null;
	/**
	 * The charges (dunning fees, the §288(5) flat fee, interest) the reminders sent so far claimed on
	 * top of the open amount: the most any one reminder asked for (each asks for everything owed so
	 * far). A customer who pays a reminder's total leaves the open amount below zero by up to this
	 * much: that is not a credit (`chargesPaid`). 0 when not known.
	 */
	claimedCharges: number;
	parked: boolean;
	disputed: boolean;
	dunningBlock: boolean;
	/** Why the block was set, e.g. `customerReplied` (then the decision's reason says so). */
	dunningBlockReason: string | null;
	emailBlocked: boolean;
	/** Reminders of the current level refused by the recipient's side (not a dead address), counted by bounce handling. */
	emailRefusals: number;
	/** The day the last of those refusals came back. */
	emailRefusedAt: string | null;
	/** The level those refusals belong to; refusals of another level do not count (null: they count). */
	emailRefusedLevel: number | null;
}

export type InvoiceField = keyof Invoice;

/** Raw invoice fields as they come from an item, before validation. */
export type InvoiceInput = { [K in InvoiceField]?: unknown };

export interface Stage {
	/** 1-based; stage n must have level n. */
	level: number;
	name: string;
	/** Days after the due date (stage 1) or after the previous reminder (later stages; never before its deadline has passed). */
	daysAfterPrevious: number;
	channel: StageChannel;
	/** Fee of this reminder, in the invoice's currency. */
	fee: number;
	/** Whether this reminder claims statutory default interest (and, once, the business flat fee). */
	chargeInterest: boolean;
}

/** A base rate (Basiszinssatz, §247 BGB) in percent, valid from `from` until the next entry. */
export interface BaseRate {
	from: string;
	ratePct: number;
}

/**
 * The day default interest starts from (§286 BGB):
 * - `firstReminder`: the day after the first reminder's payment deadline (§286(1): a reminder that
 *   sets a deadline puts the debtor in default once it has passed; the deadline taken with the
 *   current Payment Deadline, shifted when business days are on); for business debtors at the
 *   latest the 31st day after the due date (§286(3)).
 * - `dueDate`: the day after the due date, for a payment date agreed in the contract (§286(2) No. 1).
 */
export type InterestFrom = 'firstReminder' | 'dueDate';

export interface StatutoryInterestSettings {
	enabled: boolean;
	interestFrom: InterestFrom;
	/** Points over the base rate for consumers (§288(1) BGB: 5). */
	consumerMarginPct: number;
	/** Points over the base rate for businesses (§288(2) BGB: 9). */
	businessMarginPct: number;
	/**
	 * A fixed yearly rate for consumers instead of base rate + consumerMarginPct, where the law fixes
	 * one (Austria §1000 ABGB: 4; Switzerland Art. 104 OR: 5); null: base rate + margin.
	 */
	consumerFixedRatePct: number | null;
	/** The same for businesses (Switzerland: 5); null: base rate + businessMarginPct. */
	businessFixedRatePct: number | null;
	/** Flat fee for business debtors (§288(5) BGB: 40 EUR); 0 turns it off. */
	businessFlatFee: number;
	/** The flat fee is a euro amount: only invoices in this currency get it. */
	flatFeeCurrency: string;
	baseRates: BaseRate[];
}

export interface BusinessDaySettings {
	/** Move due dates, action dates and deadlines off weekends and public holidays (§193 BGB). */
	enabled: boolean;
	/** Holiday region: country (`DE`) or country-state (`DE-BY`), as the date-holidays library names them. */
	region: string;
}

export interface DunningPolicy {
	stages: Stage[];
	/** Extra days after the due date before the first stage's days start counting. */
	graceDays: number;
	/** Never remind again sooner than this many days after `lastDunnedAt`. */
	minDaysBetweenReminders: number;
	/** Open amounts below this are not dunned (`belowMinimum`). */
	minOpenAmount: number;
	/** Highest level this policy ever reaches (≤ number of stages). */
	maxLevel: number;
	/** Only invoices dated within the last N days are dunned; 0 = no window. */
	salesWindowDays: number;
	/** IANA timezone in which "today" and all dates are calendar days. */
	timezone: string;
	/** Days the customer gets to pay, counted from the run day (the `deadline`). */
	paymentDeadlineDays: number;
	/**
	 * Business days after a reminder's deadline during which a payment made by it may still be on
	 * its way (bank transfer, booking into the ERP): the next stage waits for them. Bank days only:
	 * TARGET's closing days in every region, in Germany 24 and 31 December, in Austria 24 December,
	 * do not count (dayAfterArrival). Default
	 * and interest still start the day after the deadline.
	 */
	paymentArrivalDays: number;
	/** Currency assumed when an invoice has none. */
	defaultCurrency: string;
	businessDays: BusinessDaySettings;
	statutoryInterest: StatutoryInterestSettings;
	/** After a refused e-mail (full mailbox, filter, expired), wait this many days before e-mailing the level again. */
	retryRefusedEmailAfterDays: number;
	/** Refusals of one level tolerated before it goes on paper (1: one more e-mail, then a letter). */
	maxEmailRefusals: number;
}

/** One stretch of interest at a single rate. */
export interface InterestPeriod {
	from: string;
	to: string;
	days: number;
	ratePct: number;
	amount: number;
}

/** The `dunning` object added to each item. Amounts are numbers rounded to the currency's smallest unit (two decimals for EUR). */
export interface DunningDecision {
	action: DunningAction;
	/** Level after this run (the new stage for send/paper/noChannel, else the current level). */
	level: number;
	previousLevel: number;
	stageName: string | null;
	channel: StageChannel | null;
	/** null only when action is `send`. */
	reason: DunningReason | null;
	/** Human-readable explanation; for `invalidInput` it names the field. */
	message: string | null;
	/** Fields that failed validation (only for `invalidInput`). */
	invalidFields?: string[];
	daysOverdue: number;
	/** The day the invoice fell due (after the §193 shift, when on). */
	dueSince: string | null;
	/**
	 * The earliest day the next stage may go out (null when there is none): counted from this
	 * decision's deadline plus Days for Payment to Arrive (paymentArrivalDays), for a letter (action paper) from the day it likely arrives (+
	 * DEFAULT_DAYS_IN_POST). The reminder may state a later deadline (an e-mail sent days later, a
	 * letter dated later or with more Days in the Post); with that deadline stored as lastDeadline,
	 * the next stage waits for it.
	 */
	nextActionDate: string | null;
	/**
	 * True when no stage after this decision's level, up to Max Level, sends the customer anything
	 * (each later one has channel `none`, e.g. a hand-over to a collection agency, or there is none):
	 * a reminder at this level is the customer's last, and its text may say "for the last time".
	 * Every decision carries it for its `level` (the current one for No Action), so a held or
	 * waiting decision reads the same as a sent one would at that level.
	 */
	finalReminder: boolean;
	currency: string;
	openAmount: number;
	/** This stage's fee. */
	fee: number;
	/** §288(5) BGB flat fee, claimed once: in the first interest-charging stage for business debtors. */
	flatFee: number;
	interest: number;
	interestPeriods: InterestPeriod[];
	totalDue: number;
	/**
	 * Payment deadline given in the reminder (null when nothing is sent): the run day + the payment
	 * period, moved off a weekend or public holiday of `holidayRegion` (Shift to Business Days on or off).
	 */
	deadline: string | null;
	/**
	 * The policy's Payment Deadline (Days), counted from the run day for `deadline`. Send Reminder
	 * Email and Create Reminder Letter count it again from the day the reminder goes out (the send
	 * day; the letter date + Days in the Post) and state the later deadline (statedDeadline), so a
	 * reminder that waited still gives the customer the whole period.
	 */
	paymentPeriodDays: number;
	/**
	 * The holiday region (`DE`, `DE-BY`) whose weekends and public holidays `deadline` was moved off,
	 * and a restated deadline is too: Rules › Business Days › Holiday Region (DE for an unknown one while
	 * Shift to Business Days is off).
	 */
	holidayRegion: string;
	/** The day the decision was made for. */
	asOf: string;
	/**
	 * The policy's IANA timezone, in which this decision read the invoice's dates. Send Reminder
	 * Email and Create Reminder Letter read them in it too, so the customer reads the days decided on.
	 */
	timezone: string;
	warnings: string[];
}
