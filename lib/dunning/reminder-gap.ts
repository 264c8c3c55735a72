import type { BusinessCalendar } from './calendar';
import type { DunningPolicy } from './types';

/**
 * The day after the payment deadline of a reminder sent on `sentDay`: the deadline is the send
 * day + Payment Deadline (Days), moved to a business day when asked (§193 BGB), as the reminder
 * printed it. A reminder that sets a deadline puts the debtor in default (§286 BGB) only once that
 * deadline has passed, so this is the first day a later stage may say the reminder went unpaid.
 */
export function dayAfterDeadline(sentDay: number, paymentDeadlineDays: number, calendar: BusinessCalendar | undefined): number {
	const deadline = sentDay + paymentDeadlineDays;
	return (calendar ? calendar.shiftToBusinessDay(deadline) : deadline) + 1;
}

/**
 * The fewest days from one reminder to the stage after it (level 2 on), without business-day
 * shifts: the stage's own days, the minimum interval, and the day after the previous reminder's
 * deadline (Payment Deadline + 1). A shift only moves a day later, so a real gap is never shorter.
 */
export function reminderGap(daysAfterPrevious: number, policy: DunningPolicy): number {
	return Math.max(daysAfterPrevious, policy.minDaysBetweenReminders, policy.paymentDeadlineDays + 1, 1);
}

/**
 * Days from the due date to each level's earliest day when every reminder went out on it,
 * without shifts, indexed by level: `[0, grace + stage 1's days, + reminderGap of stage 2, …]`.
 * Stands in for reminder dates not on file; `offsets[n] - offsets[1]` is how long before
 * level n's reminder the first one went out at the latest.
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
