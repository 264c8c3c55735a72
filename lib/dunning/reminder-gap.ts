import type { BusinessCalendar } from './calendar';
import { civilFromDays } from './day-number';
import { easterSunday } from './easter';
import type { DunningPolicy } from './types';

/**
 * Days, as month * 100 + day, on which a country's banks book no transfers although they are no
 * public holiday. Germany: 24 and 31 December (the Bundesbank's branches and most banks are
 * closed; TARGET2 settles, but the credit to the payee's account waits for the next bank day).
 * Austria: 24 December only, which the OeNB lists as a bank holiday; 31 December is not on its list.
 * Only for the days a payment takes to arrive (dayAfterArrival), never for a deadline's legal
 * end: §193 BGB moves a deadline off public holidays alone.
 */
const BANKS_CLOSED: Readonly<Record<string, readonly number[]>> = { DE: [1224, 1231], AT: [1224] };
const NONE: readonly number[] = [];

/**
 * TARGET's fixed closing days, as month * 100 + day: 1 January, 1 May, 25 and 26 December; Good
 * Friday and Easter Monday move with Easter (isTargetClosed). On them TARGET, and with it every
 * interbank euro (SEPA) credit, settles nothing, also where the day is no public holiday: Good
 * Friday in Austria, France or the Netherlands, 1 May in the Netherlands or Ireland, 26 December
 * in France or Belgium. ECB, "Long-term calendar for TARGET closing days", 14 December 2000
 * (https://www.ecb.europa.eu/press/pr/date/2000/html/pr001214_4.en.html); the OeNB's bank
 * holidays name Good Friday a TARGET closing day (https://www.oenb.at/en/Services/Bank-Holidays.html).
 * Counted for every region, also outside the euro area: a day too many only makes the next stage
 * wait a day longer, the safe direction for a customer who paid on time.
 */
const TARGET_CLOSED: readonly number[] = [101, 501, 1225, 1226];

/** Whether TARGET is closed on `day` (TARGET_CLOSED, Good Friday, Easter Monday). */
function isTargetClosed(day: number): boolean {
	const { year, month, day: dayOfMonth } = civilFromDays(day);
	if (TARGET_CLOSED.includes(month * 100 + dayOfMonth)) return true;
	// Good Friday is 20 March at the earliest, Easter Monday 26 April at the latest.
	if (month !== 3 && month !== 4) return false;
	const easter = easterSunday(year);
	return day === easter - 2 || day === easter + 1;
}

/**
 * Whether a payment can be booked on `day`: a business day of `calendar` on which TARGET settles
 * (isTargetClosed) and its country's banks are open (BANKS_CLOSED).
 */
function isBankDay(day: number, calendar: BusinessCalendar, closed: readonly number[]): boolean {
	if (!calendar.isBusinessDay(day) || isTargetClosed(day)) return false;
	if (closed.length === 0) return true;
	const { month, day: dayOfMonth } = civilFromDays(day);
	return !closed.includes(month * 100 + dayOfMonth);
}

/**
 * The day after the legal end of the payment deadline of a reminder sent on `sentDay`: the send
 * day + Payment Deadline (Days), moved off a Saturday, Sunday or public holiday of `calendar`
 * (§193 BGB). The law moves it whatever the reminder printed (Shift to Business Days off prints
 * the unmoved day). A reminder that sets a deadline puts the debtor in default (§286 BGB) only
 * once that deadline has passed, so this is the first day a later stage may say the reminder went
 * unpaid, and the first day of default counted from it.
 */
export function dayAfterDeadline(sentDay: number, paymentDeadlineDays: number, calendar: BusinessCalendar): number {
	return calendar.shiftToBusinessDay(sentDay + paymentDeadlineDays) + 1;
}

/**
 * The first day the next stage may go out after a deadline, given `afterDeadline`, the day after
 * its legal end (dayAfterDeadline): that day plus `arrivalDays` business days of `calendar`
 * (Days for Payment to Arrive). A transfer the customer started on the deadline day is still on
 * its way then: a SEPA credit reaches the merchant's bank the next business day, the ERP books it
 * a day or so later. Only the next stage waits; default, and interest, still start on `afterDeadline`.
 * Bank days: business days without TARGET's closing days (isTargetClosed: Good Friday, Easter
 * Monday, 1 May, 25 and 26 December, 1 January, in every region) and the days its country's banks
 * are closed (BANKS_CLOSED: in Germany 24 and 31 December). 0 business days: `afterDeadline` itself.
 */
export function dayAfterArrival(afterDeadline: number, arrivalDays: number, calendar: BusinessCalendar): number {
	const closed = arrivalDays > 0 ? (BANKS_CLOSED[calendar.country] ?? NONE) : NONE;
	// The deadline's legal end is a business day; count bank days after it, the last one still for the money.
	let d = afterDeadline - 1;
	for (let n = 0; n < arrivalDays; n++) {
		d++;
		while (!isBankDay(d, calendar, closed)) d++;
	}
	return d + 1;
}

/**
 * The fewest days from one reminder to the stage after it (level 2 on), without business-day
 * shifts: the stage's own days, the minimum interval, and the day after the previous reminder's
 * deadline (Payment Deadline + 1) with the days for a payment to arrive (as many calendar days as
 * business days, at least). A shift only moves a day later, so a real gap is never shorter.
 */
export function reminderGap(daysAfterPrevious: number, policy: DunningPolicy): number {
	return Math.max(daysAfterPrevious, policy.minDaysBetweenReminders, policy.paymentDeadlineDays + 1 + policy.paymentArrivalDays, 1);
}

/**
 * Days from the due date to each level's earliest day when every reminder went out on it,
 * without shifts, indexed by level: `[0, grace + stage 1's days, + reminderGap of stage 2, …]`.
 * Stands in for the last reminder's day when none is on file (scheduledDay).
 */
export function reminderOffsets(policy: DunningPolicy): number[] {
	const { stages } = policy;
	const offsets = [0];
	if (stages.length > 0) offsets.push(policy.graceDays + stages[0].daysAfterPrevious);
	for (let level = 2; level <= stages.length; level++) {
		offsets.push(offsets[level - 1] + reminderGap(stages[level - 1].daysAfterPrevious, policy));
	}
	return offsets;
}
