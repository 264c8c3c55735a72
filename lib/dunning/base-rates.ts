import type { BaseRate } from './types';

/**
 * Basiszinssatz (§247 BGB) in percent, as published by the Deutsche Bundesbank, each valid from
 * its date until the next entry. It changes only on 1 January and 1 July. Entries before
 * 2023 are folded into the 2016-07-01 value, which held unchanged until 2022-12-31.
 *
 * Add a new half-year only from the Bundesbank's announcement (or override the table in the
 * policy); a decision made after the last half-year ends carries a warning.
 */
export const GERMAN_BASE_RATES: readonly BaseRate[] = Object.freeze([
	{ from: '2016-07-01', ratePct: -0.88 },
	{ from: '2023-01-01', ratePct: 1.62 },
	{ from: '2023-07-01', ratePct: 3.12 },
	{ from: '2024-01-01', ratePct: 3.62 },
	{ from: '2024-07-01', ratePct: 3.37 },
	{ from: '2025-01-01', ratePct: 2.27 },
	{ from: '2025-07-01', ratePct: 1.27 },
	{ from: '2026-01-01', ratePct: 1.27 },
]);
