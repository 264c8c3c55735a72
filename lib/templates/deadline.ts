/**
 * A reminder must not ask for payment by a day already past: a letter dated after its deadline
 * (a Letter Date set days after the decision) or an e-mail sent after it (a reminder that waited in
 * a table) would. Compute Dunning Level sets the deadline from the day it decided; only it can set
 * a fresh one.
 */

/**
 * Why the reminder cannot go out with `deadline` (as read from `field`) on `day` (YYYY-MM-DD,
 * described by `dayName`, e.g. "the letter date 2026-03-20"), or null when it can. A deadline on
 * that day itself is still one the customer can keep.
 */
export function passedDeadline(field: string, deadline: string, day: string, dayName: string): string | null {
	// A deadline read without a timezone may be a timestamp: its date part is the day it names.
	if (deadline.slice(0, 10) >= day) return null;
	return `The field "${field}" (deadline) is ${deadline}, before ${dayName}: it would ask for payment by a day already past. Run Compute Dunning Level again for a fresh deadline`;
}
