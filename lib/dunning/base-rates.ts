import type { BaseRate } from './types';

/**
 * Basiszinssatz (§247 BGB) in percent, as published by the Deutsche Bundesbank, each valid from
 * its date until the next entry. It changes only on 1 January and 1 July; unchanged half-years
 * are folded into the entry before them (0.12 held through 2012, -0.83 from 2015-01-01 to
 * 2016-06-30, -0.88 from 2016-07-01 to 2022-12-31). It starts in 2012, so it covers the ten years
 * an invoice's dates may lie before the run day (PLAUSIBLE_YEARS, validate-invoice.ts) for every run
 * from 2022 on; a run with an earlier As of Date may reach before it and carries a warning.
 *
 * Add a new half-year only from the Bundesbank's announcement (or override the table in the
 * policy); a decision made after the last half-year ends carries a warning.
 */
export const GERMAN_BASE_RATES: readonly BaseRate[] = Object.freeze([
	{ from: '2012-01-01', ratePct: 0.12 },
	{ from: '2013-01-01', ratePct: -0.13 },
	{ from: '2013-07-01', ratePct: -0.38 },
	{ from: '2014-01-01', ratePct: -0.63 },
	{ from: '2014-07-01', ratePct: -0.73 },
	{ from: '2015-01-01', ratePct: -0.83 },
	{ from: '2016-07-01', ratePct: -0.88 },
	{ from: '2023-01-01', ratePct: 1.62 },
	{ from: '2023-07-01', ratePct: 3.12 },
	{ from: '2024-01-01', ratePct: 3.62 },
	{ from: '2024-07-01', ratePct: 3.37 },
	{ from: '2025-01-01', ratePct: 2.27 },
	{ from: '2025-07-01', ratePct: 1.27 },
	{ from: '2026-01-01', ratePct: 1.27 },
]);
