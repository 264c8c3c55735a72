import { compilePolicy, decide, type DunningPolicyInput } from '../../lib/dunning';
import { marginUnused, policyWarnings, regionalInterestWarning } from '../../lib/dunning/policy-warnings';
import { invoice } from './helpers';

/**
 * Fixed statutory rates where the law fixes one instead of base rate + margin: Austria 4 % a year
 * for consumers (§1000 ABGB with §1333 ABGB), Switzerland 5 % (Art. 104 OR).
 */
describe('fixed yearly interest rates (statutoryInterest.consumerFixedRatePct, businessFixedRatePct)', () => {
	// Level 3 (charges interest) on 2026-03-20, in default since the day after the due date (Thursday 2026-01-15).
	const dunned = { dueDate: '2026-01-15', openAmount: 10000, amount: 10000, currentLevel: 2, firstDunnedAt: '2026-01-25', lastDunnedAt: '2026-02-20' };
	const austria: DunningPolicyInput = {
		businessDays: { enabled: true, region: 'AT' },
		statutoryInterest: { interestFrom: 'dueDate', consumerFixedRatePct: 4 },
	};

	it('charges a consumer a fixed 4 % for the whole period, in one period, without warnings', () => {
		const d = decide(invoice(dunned), austria, '2026-03-20');
		// 16 January .. 20 March 2026 = 16 + 28 + 20 = 64 days: 10,000 × 4 % × 64 / 365 = 70.1369… → 70.14
		// (base rate + margin would be 1.27 + 5 = 6.27 %, 109.94).
		expect(d.interestPeriods).toEqual([{ from: '2026-01-16', to: '2026-03-20', days: 64, ratePct: 4, amount: 70.14 }]);
		expect(d).toMatchObject({ level: 3, interest: 70.14, warnings: [] });
		// Austria with the consumers' fixed rate only: the businesses are still on the German base rate + 9 (next test), and the policy warning says so, naming that part alone.
		const warnings = policyWarnings(compilePolicy(austria).policy);
		expect(warnings).toEqual([expect.stringContaining('businesses are charged the German base rate (Basiszinssatz, §247 BGB) + 9 points (§288(2) BGB)')]);
		expect(warnings[0]).toContain('In Policy (JSON) set statutoryInterest.baseRates to the OeNB base rates and businessMarginPct to 9.2.');
		expect(warnings[0]).not.toContain('consumer');
	});

	it('leaves business customers on base rate + margin when only the consumers have a fixed rate', () => {
		const d = decide(invoice({ ...dunned, customerType: 'business' }), austria, '2026-03-20');
		// 1.27 + 9 = 10.27 %: 10,000 × 10.27 % × 64 / 365 = 180.076… → 180.08
		expect(d.interestPeriods).toEqual([{ from: '2026-01-16', to: '2026-03-20', days: 64, ratePct: 10.27, amount: 180.08 }]);
	});

	it('gives no stale-table warning for a business fixed rate, also after the shipped table ends', () => {
		// The shipped table ends 2026-06-30; 14 August .. 20 October 2026 = 18 + 30 + 20 = 68 days:
		// 10,000 × 5 % × 68 / 365 = 93.1506… → 93.15.
		const swiss: DunningPolicyInput = { statutoryInterest: { interestFrom: 'dueDate', businessFixedRatePct: 5 } };
		const d = decide(invoice({ ...dunned, customerType: 'business', dueDate: '2026-08-13', firstDunnedAt: '2026-08-25', lastDunnedAt: '2026-09-20' }), swiss, '2026-10-20');
		expect(d.interestPeriods).toEqual([{ from: '2026-08-14', to: '2026-10-20', days: 68, ratePct: 5, amount: 93.15 }]);
		expect(d.warnings).toEqual([]);
		// A consumer of the same policy is still on the table, and still warned.
		const consumer = decide(invoice({ ...dunned, dueDate: '2026-08-13', firstDunnedAt: '2026-08-25', lastDunnedAt: '2026-09-20' }), swiss, '2026-10-20');
		expect(consumer.warnings).toEqual([expect.stringContaining("the base-rate table ends on 2026-06-30; interest after that uses its last rate (1.27 %): update the package, or give the policy the whole table with the Bundesbank's newer rates")]);
	});

	it('refuses a rate that is no number from 0 to 30, naming the key', () => {
		for (const bad of [-1, '4%', 31, Number.NaN]) {
			expect(() => compilePolicy({ statutoryInterest: { consumerFixedRatePct: bad as number } })).toThrow(/statutoryInterest\.consumerFixedRatePct must be a yearly rate in percent, a number from 0 to 30/);
			expect(() => compilePolicy({ statutoryInterest: { businessFixedRatePct: bad as number } })).toThrow(/statutoryInterest\.businessFixedRatePct must be a yearly rate in percent/);
		}
		expect(compilePolicy({ statutoryInterest: { consumerFixedRatePct: 0, businessFixedRatePct: 30 } }).policy.statutoryInterest).toMatchObject({ consumerFixedRatePct: 0, businessFixedRatePct: 30 });
		// Left out, null or empty: base rate + margin.
		for (const absent of [undefined, null, '']) {
			expect(compilePolicy({ statutoryInterest: { consumerFixedRatePct: absent as unknown as number } }).policy.statutoryInterest.consumerFixedRatePct).toBeNull();
		}
	});

	it('says a margin set beside a fixed rate for the same customers is unused', () => {
		const compiled = compilePolicy({ statutoryInterest: { consumerFixedRatePct: 4, consumerMarginPct: 4, businessMarginPct: 9.2 } });
		expect(compiled.unusedMargins).toEqual(['statutoryInterest.consumerMarginPct']);
		expect(policyWarnings(compiled.policy, { unusedMargins: compiled.unusedMargins })).toEqual([marginUnused('statutoryInterest.consumerMarginPct')]);
		expect(marginUnused('statutoryInterest.consumerMarginPct')).toContain('statutoryInterest.consumerMarginPct is not used: statutoryInterest.consumerFixedRatePct is set');
		// The fixed rate wins.
		expect(decide(invoice(dunned), compiled, '2026-03-20').interestPeriods.map((p) => p.ratePct)).toEqual([4]);
		expect(compilePolicy({ statutoryInterest: { consumerFixedRatePct: 4 } }).unusedMargins).toEqual([]);
	});

	it('charges nothing at a fixed rate of 0, without the margin-below-base-rate warning', () => {
		const d = decide(invoice(dunned), { statutoryInterest: { interestFrom: 'dueDate', consumerFixedRatePct: 0 } }, '2026-03-20');
		expect(d).toMatchObject({ interest: 0, interestPeriods: [], warnings: [] });
	});
});

describe('the stale base-rate table warning', () => {
	it('asks the owner of the policy’s own table for the newer rates, without the Bundesbank or a package update', () => {
		const own: DunningPolicyInput = { statutoryInterest: { interestFrom: 'dueDate', baseRates: [{ from: '2025-07-01', ratePct: 1.53 }] } };
		const d = decide(invoice({ dueDate: '2026-08-13', openAmount: 1000, currentLevel: 1, firstDunnedAt: '2026-08-25', lastDunnedAt: '2026-09-20' }), own, '2026-10-20');
		expect(d.interest).toBeGreaterThan(0);
		expect(d.warnings).toEqual(['your base-rate table (statutoryInterest.baseRates) ends on 2025-12-31; interest after that uses its last rate (1.53 %): add the newer rates']);
	});

	it('keeps the Bundesbank wording for the shipped table, also when the policy repeats it (a policy that went through JSON)', () => {
		const shipped = JSON.parse(JSON.stringify(compilePolicy({ statutoryInterest: { interestFrom: 'dueDate' } }).policy)) as DunningPolicyInput;
		const d = decide(invoice({ dueDate: '2026-08-13', openAmount: 1000, currentLevel: 1, firstDunnedAt: '2026-08-25', lastDunnedAt: '2026-09-20' }), shipped, '2026-10-20');
		expect(d.warnings).toEqual([expect.stringContaining("update the package, or give the policy the whole table with the Bundesbank's newer rates")]);
	});
});

describe('Austria and Switzerland (not Liechtenstein) on German interest law (policy warning)', () => {
	const warn = (input: DunningPolicyInput) => policyWarnings(compilePolicy(input).policy);
	const at = { enabled: true, region: 'AT' };
	const oenb = [{ from: '2025-01-01', ratePct: 2.03 }];

	it('warns once for Austria on the defaults, naming both parts', () => {
		const full = regionalInterestWarning('AT', compilePolicy({}).policy.statutoryInterest);
		expect(full).toBe(
			'The region is AT (Holiday Region, businessDays.region), but statutory interest still follows German law there: consumers are charged base rate + 5 points (§288(1) BGB); businesses are charged the German base rate (Basiszinssatz, §247 BGB) + 9 points (§288(2) BGB). ' +
				'In Austria consumers owe a fixed 4 % a year (§1000 ABGB); businesses owe 9.2 points over the OeNB base rate (§456 UGB). In Policy (JSON) set statutoryInterest.consumerFixedRatePct to 4, statutoryInterest.baseRates to the OeNB base rates and businessMarginPct to 9.2.',
		);
		expect(warn({ businessDays: at })).toEqual([full]);
		// Shift to Business Days off: the region still says where the merchant is (deadlines end by its holidays).
		expect(warn({ businessDays: { enabled: false, region: 'at' } })).toEqual([full]);
		expect(warn({ businessDays: { enabled: true, region: 'AT-9' } })).toEqual([full!.replace('region is AT ', 'region is AT-9 ')]);
	});

	it('warns an Austrian policy that follows only part of it, naming what is left', () => {
		// The OeNB table alone: consumers get OeNB + 5 instead of the fixed 4 %.
		const tableOnly = warn({ businessDays: at, statutoryInterest: { baseRates: oenb, businessMarginPct: 9.2 } });
		expect(tableOnly).toEqual([expect.stringContaining('consumers are charged base rate + 5 points (§288(1) BGB). In Austria consumers owe a fixed 4 % a year (§1000 ABGB). In Policy (JSON) set statutoryInterest.consumerFixedRatePct to 4.')]);
		expect(tableOnly[0]).not.toContain('businesses');
		// A business fixed rate (agreed in the contracts) leaves the consumers.
		expect(warn({ businessDays: at, statutoryInterest: { businessFixedRatePct: 9.2 } })).toEqual([expect.stringContaining('set statutoryInterest.consumerFixedRatePct to 4.')]);
	});

	it('does not warn an Austrian policy that follows all of it, nor interest off or another region', () => {
		expect(warn({ businessDays: at, statutoryInterest: { baseRates: oenb, businessMarginPct: 9.2, consumerFixedRatePct: 4 } })).toEqual([]);
		expect(warn({ businessDays: at, statutoryInterest: { consumerFixedRatePct: 4, businessFixedRatePct: 9.2 } })).toEqual([]);
		// Austria has the 40 EUR flat fee too (§458 UGB): no word of it.
		expect(warn({ businessDays: at, statutoryInterest: { enabled: false } })).toEqual([]);
		expect(warn({ businessDays: { enabled: true, region: 'DE' } })).toEqual([]);
		expect(warn({ businessDays: { enabled: true, region: 'DE-BY' } })).toEqual([]);
		expect(warn({})).toEqual([]);
	});

	it('warns a Swiss policy on the defaults: 5 % for everyone (Art. 104 OR), no flat fee', () => {
		const swiss = warn({ businessDays: { enabled: true, region: 'CH' } });
		expect(swiss).toEqual([
			'The region is CH (Holiday Region, businessDays.region), but statutory interest still follows German law there: consumers are charged base rate + 5 points (§288(1) BGB); businesses are charged the German base rate (Basiszinssatz, §247 BGB) + 9 points (§288(2) BGB); business invoices in EUR get the flat fee of 40 EUR (§288(5) BGB). ' +
				'In Switzerland consumers owe a fixed 5 % a year (Art. 104 OR); businesses owe a fixed 5 % a year too (Art. 104 OR); there is no statutory flat fee. In Policy (JSON) set statutoryInterest.consumerFixedRatePct to 5, statutoryInterest.businessFixedRatePct to 5, statutoryInterest.businessFlatFee to 0.',
		]);
		// A canton, and Shift to Business Days off.
		expect(warn({ businessDays: { enabled: false, region: 'ch-zh' } })).toEqual([swiss[0].replace('region is CH ', 'region is CH-ZH ')]);
	});

	it('names only what a Swiss policy still lacks, and is silent once it has all', () => {
		const ch = { enabled: true, region: 'CH' };
		const ratesOnly = warn({ businessDays: ch, statutoryInterest: { consumerFixedRatePct: 5, businessFixedRatePct: 5 } });
		expect(ratesOnly).toEqual([expect.stringContaining('business invoices in EUR get the flat fee of 40 EUR (§288(5) BGB). In Switzerland there is no statutory flat fee. In Policy (JSON) set statutoryInterest.businessFlatFee to 0.')]);
		// An own table does not help: Swiss law has no base rate to add a margin to.
		const business = warn({ businessDays: ch, statutoryInterest: { consumerFixedRatePct: 5, businessFlatFee: 0, baseRates: [{ from: '2025-01-01', ratePct: 0.5 }] } });
		expect(business).toEqual([expect.stringContaining('businesses are charged base rate + 9 points (§288(2) BGB). In Switzerland businesses owe a fixed 5 % a year too (Art. 104 OR). In Policy (JSON) set statutoryInterest.businessFixedRatePct to 5.')]);
		expect(warn({ businessDays: ch, statutoryInterest: { consumerFixedRatePct: 5, businessFixedRatePct: 5, businessFlatFee: 0 } })).toEqual([]);
		expect(warn({ businessDays: ch, statutoryInterest: { enabled: false } })).toEqual([]);
	});

	it('gives Liechtenstein no warning (its own late-payment rules are not checked here)', () => {
		expect(warn({ businessDays: { enabled: true, region: 'LI' } })).toEqual([]);
	});
});
