/**
 * Money arithmetic in whole minor units (cents, yen, fils), so that sums of rounded amounts stay exact.
 * Rounding is half away from zero, the commercial rule; the tiny nudge absorbs binary
 * representation errors such as 1.005 * 100 = 100.49999999999999. It grows with the amount (so do
 * the errors) but stops at a thousandth of a cent: uncapped, it reached half a cent at €5 billion
 * and added a cent to a whole amount.
 */
export function toCents(amount: number): number {
	return toMinor(amount, 2);
}

/** Whole minor units of a currency with `digits` decimals (yen: 0, cents: 2, fils: 3), rounded as toCents. */
export function toMinor(amount: number, digits: number): number {
	const scaled = amount * 10 ** digits;
	return Math.round(scaled + (scaled >= 0 ? 1 : -1) * Math.min(Math.abs(scaled) * 1e-12, 1e-3));
}

export function fromMinor(units: number, digits: number): number {
	return units / 10 ** digits;
}

/** Rounds to the currency's `digits` decimals. */
export function roundTo(amount: number, digits: number): number {
	return fromMinor(toMinor(amount, digits), digits);
}

const minorDigitsCache = new Map<string, number>();

/**
 * The decimals of a currency's minor unit (ISO 4217: JPY 0, EUR 2, BHD 3), as Intl prints it, so
 * that what is added up is what is printed. 2 for a code that is no code: its error comes later,
 * naming the field.
 */
export function minorDigits(currency: string): number {
	let digits = minorDigitsCache.get(currency);
	if (digits === undefined) {
		if (!/^[A-Z]{3}$/.test(currency)) return 2;
		digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
		if (minorDigitsCache.size >= 256) minorDigitsCache.clear();
		minorDigitsCache.set(currency, digits);
	}
	return digits;
}
