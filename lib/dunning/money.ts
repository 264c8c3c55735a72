/**
 * Money arithmetic in whole cents, so that sums of rounded amounts stay exact.
 * Rounding is half away from zero, the commercial rule; the tiny nudge absorbs binary
 * representation errors such as 1.005 * 100 = 100.49999999999999. It grows with the amount (so do
 * the errors) but stops at a thousandth of a cent: uncapped, it reached half a cent at €5 billion
 * and added a cent to a whole amount.
 */
export function toCents(amount: number): number {
	const scaled = amount * 100;
	return Math.round(scaled + (scaled >= 0 ? 1 : -1) * Math.min(Math.abs(scaled) * 1e-12, 1e-3));
}

export function fromCents(cents: number): number {
	return cents / 100;
}

/** Rounds to two decimals. */
export function round2(amount: number): number {
	return fromCents(toCents(amount));
}
