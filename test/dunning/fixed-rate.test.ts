import { compilePolicy, decide, type DunningPolicyInput } from '../../lib/dunning';
import { AUSTRIAN_INTEREST, marginUnused, policyWarnings } from '../../lib/dunning/policy-warnings';
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
		// Austria with the consumers' fixed rate: no word of the German base rate either.
		expect(policyWarnings(compilePolicy(austria).policy)).toEqual([]);
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

describe('Austria on the German base rate (policy warning)', () => {
	it('warns once when the region is AT and the policy has neither its own table nor a fixed rate', () => {
		expect(policyWarnings(compilePolicy({ businessDays: { enabled: true, region: 'AT' } }).policy)).toEqual([AUSTRIAN_INTEREST]);
		// Shift to Business Days off: the region still says where the merchant is (deadlines end by its holidays).
		expect(policyWarnings(compilePolicy({ businessDays: { enabled: false, region: 'at' } }).policy)).toEqual([AUSTRIAN_INTEREST]);
		expect(policyWarnings(compilePolicy({ businessDays: { enabled: true, region: 'AT-9' } }).policy)).toEqual([AUSTRIAN_INTEREST]);
		expect(AUSTRIAN_INTEREST).toContain('§456 UGB');
		expect(AUSTRIAN_INTEREST).toContain('consumerFixedRatePct to 4');
	});

	it('does not warn with an own table, a fixed rate, interest off, or another region', () => {
		const at = { enabled: true, region: 'AT' };
		expect(policyWarnings(compilePolicy({ businessDays: at, statutoryInterest: { baseRates: [{ from: '2025-07-01', ratePct: 1.53 }] } }).policy)).toEqual([]);
		expect(policyWarnings(compilePolicy({ businessDays: at, statutoryInterest: { businessFixedRatePct: 5 } }).policy)).toEqual([]);
		expect(policyWarnings(compilePolicy({ businessDays: at, statutoryInterest: { enabled: false } }).policy)).toEqual([]);
		expect(policyWarnings(compilePolicy({ businessDays: { enabled: true, region: 'DE' } }).policy)).toEqual([]);
		expect(policyWarnings(compilePolicy({}).policy)).toEqual([]);
	});
});
