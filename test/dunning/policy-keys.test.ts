import { compilePolicy as compileInput, normalizePolicy, PolicyError, type DunningPolicyInput } from '../../lib/dunning';
import { unknownPolicyKeys } from '../../lib/dunning/policy-keys';
import { feeBeforeConsumerDefault, feeBeforeDefault, feeBeforeDefaultNoInterest, GROUPED_FEES, ignoredKeys, policyWarnings } from '../../lib/dunning/policy-warnings';

/** Policies as they come from JSON: keys the type does not know are the point. */
const compilePolicy = (policy: object) => compileInput(policy as DunningPolicyInput);

describe('policy keys', () => {
	it.each([
		[{ paymentDeadlineDay: 14 }, 'paymentDeadlineDay', 'paymentDeadlineDays'],
		[{ Stages: [{ name: 'A' }] }, 'Stages', 'stages'],
		[{ grace_days: 3 }, 'grace_days', 'graceDays'],
		[{ timzeone: 'Europe/Vienna' }, 'timzeone', 'timezone'],
		[{ stages: [{ name: 'A' }, { name: 'B', fees: 5 }] }, 'stages[1].fees', 'fee'],
		[{ stages: [{ name: 'A', chargeIntrest: true }] }, 'stages[0].chargeIntrest', 'chargeInterest'],
		[{ statutoryInterest: { enable: false } }, 'statutoryInterest.enable', 'enabled'],
		[{ businessDays: { enabled: true, Region: 'DE-BY' } }, 'businessDays.Region', 'region'],
	])('a near spelling of a setting is refused, naming both: %j', (policy, path, meant) => {
		expect(() => compilePolicy(policy)).toThrow(PolicyError);
		expect(() => compilePolicy(policy)).toThrow(`"${path}" is not a setting; did you mean "${meant}"?`);
	});

	it('a key far from every setting (a settings row\'s own columns, a comment) is ignored and reported', () => {
		const compiled = compilePolicy({ id: 7, createdAt: '2026-01-01', paymentDeadlineDays: 10, stages: [{ name: 'A', comment: 'first' }] });
		expect(compiled.policy.paymentDeadlineDays).toBe(10);
		expect(compiled.ignoredKeys).toEqual(['id', 'createdAt', 'stages[0].comment']);
		const warnings = policyWarnings(compiled.policy, { ignoredKeys: compiled.ignoredKeys });
		expect(warnings[0]).toBe(ignoredKeys(['id', 'createdAt', 'stages[0].comment']));
		expect(warnings[0]).toContain('"id", "createdAt", "stages[0].comment" are no settings and were ignored');
	});

	it('the default policy and every setting spelt right have no unknown key', () => {
		const every = {
			stages: [{ level: 1, name: 'A', daysAfterPrevious: 7, channel: 'email', fee: 0, chargeInterest: false }],
			graceDays: 0, minDaysBetweenReminders: 0, minOpenAmount: 0, maxLevel: 1, salesWindowDays: 0, timezone: 'Europe/Berlin',
			paymentDeadlineDays: 7, defaultCurrency: 'EUR', businessDays: { enabled: false, region: 'DE' },
			statutoryInterest: { enabled: true, interestFrom: 'firstReminder', consumerMarginPct: 5, businessMarginPct: 9, businessFlatFee: 40, flatFeeCurrency: 'EUR', baseRates: [{ from: '2014-01-01', ratePct: -0.63 }] },
			retryRefusedEmailAfterDays: 3, maxEmailRefusals: 1,
		};
		expect(unknownPolicyKeys(every)).toEqual([]);
		expect(compilePolicy(every).ignoredKeys).toEqual([]);
		expect(compilePolicy({}).ignoredKeys).toEqual([]);
	});

	it('a key of up to 5 letters is near only one edit away ("label" is no "level")', () => {
		expect(unknownPolicyKeys({ stages: [{ name: 'A', feo: 1, id: 2, label: 'x' }] })).toEqual([{ path: 'stages[0].feo', meant: 'fee' }, { path: 'stages[0].id' }, { path: 'stages[0].label' }]);
	});

	it('knows every key of the policy the rules read (a setting added later is not reported as unknown)', () => {
		const normalized = normalizePolicy({ businessDays: { enabled: true, region: 'DE' } });
		expect(unknownPolicyKeys(JSON.parse(JSON.stringify(normalized)) as Record<string, unknown>)).toEqual([]);
	});
});

describe('fee warnings', () => {
	const stages = (firstFee: number, laterFee = 0) => [{ name: 'Erinnerung', fee: firstFee }, { name: 'Mahnung', fee: laterFee, chargeInterest: true }];

	it('a fee on the first reminder, which puts the debtor in default, is flagged (not with Interest From "due date")', () => {
		const flagged = compilePolicy({ stages: stages(2.5) });
		expect(policyWarnings(flagged.policy)).toEqual([feeBeforeDefault('Erinnerung', 2.5)]);
		expect(feeBeforeDefault('Erinnerung', 2.5)).toContain('Stage "Erinnerung" (level 1) charges a fee of 2.5');
		expect(policyWarnings(compilePolicy({ stages: stages(2.5), statutoryInterest: { interestFrom: 'dueDate' } }).policy)).toEqual([]);
		expect(policyWarnings(compilePolicy({ stages: stages(0, 5) }).policy)).toEqual([]);
	});

	it('with Statutory Interest off the first reminder still puts the debtor in default, but the warning does not send the operator to Interest From', () => {
		const off = compilePolicy({ stages: stages(2.5), statutoryInterest: { enabled: false } }).policy;
		expect(policyWarnings(off)).toEqual([feeBeforeDefaultNoInterest('Erinnerung', 2.5)]);
		expect(policyWarnings(off)[0]).toContain('Stage "Erinnerung" (level 1) charges a fee of 2.5, but unless the payment date was agreed in the contract');
		expect(policyWarnings(off)[0]).not.toContain('Interest From');
		// "Due date" still records a payment date agreed in the contract: in default before the reminder.
		expect(policyWarnings(compilePolicy({ stages: stages(2.5), statutoryInterest: { enabled: false, interestFrom: 'dueDate' } }).policy)).toEqual([]);
	});

	it('a first stage on day 31 after the due date or later: business debtors are in default already (§286(3)), consumers only with a notice on the invoice', () => {
		const late = (days: number, graceDays = 0, enabled = true) => compilePolicy({ stages: [{ name: 'Erinnerung', fee: 2.5, daysAfterPrevious: days }, { name: 'Mahnung', chargeInterest: true }], graceDays, statutoryInterest: { enabled } }).policy;
		// Day 30 is still within the 30 days: the reminder is what puts everyone in default.
		expect(policyWarnings(late(30))).toEqual([feeBeforeDefault('Erinnerung', 2.5)]);
		expect(policyWarnings(late(30, 0, false))).toEqual([feeBeforeDefaultNoInterest('Erinnerung', 2.5)]);
		// Grace days count: 10 + 21 = day 31.
		expect(policyWarnings(late(21, 10))).toEqual([feeBeforeConsumerDefault('Erinnerung', 2.5, 31)]);
		expect(policyWarnings(late(45, 0, false))).toEqual([feeBeforeConsumerDefault('Erinnerung', 2.5, 45)]);
		expect(feeBeforeConsumerDefault('Erinnerung', 2.5, 31)).toContain('goes out 31 days after the due date at the earliest. Business customers are in default by then');
		// A run with business invoices only: the fee is owed.
		expect(policyWarnings(late(31), { consumers: false })).toEqual([]);
		expect(policyWarnings(late(30), { consumers: false })).toEqual([feeBeforeDefault('Erinnerung', 2.5)]);
	});

	it('Group by Customer with stage fees is flagged: each invoice in one reminder carries its fees', () => {
		const withFees = compilePolicy({ stages: stages(0, 5) }).policy;
		expect(policyWarnings(withFees, { groupByCustomer: true })).toEqual([GROUPED_FEES]);
		expect(policyWarnings(withFees, { groupByCustomer: false })).toEqual([]);
		expect(policyWarnings(compilePolicy({ stages: stages(0) }).policy, { groupByCustomer: true })).toEqual([]);
	});
});
