import { calendarFor, type DunningPolicyInput } from '../../lib/dunning';
// Deadline rules from the day after a deadline: Days for Payment to Arrive 0 (at-deadline.ts).
import { compilePolicy, decide } from './at-deadline';
import { invoice } from './helpers';

// §193 BGB: a deadline that ends on a Saturday, Sunday or public holiday ends on the next business
// day, whatever the reminder printed. The next stage and default (interest, the §288(5) flat fee)
// wait for that day with Shift to Business Days off (the default) as much as with it on.
describe('a payment deadline ends where the law ends it, Shift to Business Days off', () => {
	// Reminded Friday 27 March 2026 with the shipped 7 days: 27 + 7 = Good Friday 3 April; Saturday,
	// Sunday, Easter Monday 6 April: the deadline ends on Tuesday 7 April, default from Wednesday 8 April.
	const reminded = invoice({ dueDate: '2026-03-01', openAmount: 1000, amount: 1000, currentLevel: 1, lastDunnedAt: '2026-03-27', firstDunnedAt: '2026-03-27' });

	it('prints the legal end: the Tuesday after Easter Monday, not Good Friday', () => {
		const first = decide(invoice({ dueDate: '2026-03-20' }), {}, '2026-03-27');
		expect(first).toMatchObject({ action: 'send', level: 1, deadline: '2026-04-07', nextActionDate: '2026-04-08' });
	});

	it('over Easter: the next stage not before 8 April, interest from 8 April', () => {
		for (const runDay of ['2026-04-04', '2026-04-06', '2026-04-07']) {
			expect(decide(reminded, {}, runDay)).toMatchObject({ action: 'none', reason: 'waiting', level: 1, interest: 0, flatFee: 0, nextActionDate: '2026-04-08' });
		}
		// 1000 × 6.27 % × 1 / 365 = 0.1717… → 0.17
		const d = decide(reminded, {}, '2026-04-08');
		expect(d).toMatchObject({ action: 'send', level: 2, interest: 0.17 });
		expect(d.interestPeriods).toEqual([{ from: '2026-04-08', to: '2026-04-08', days: 1, ratePct: 6.27, amount: 0.17 }]);
		// Run a week later without firstDunnedAt: the first is taken from lastDunnedAt, the same day; 8–15 April, 8 days:
		// 1000 × 6.27 % × 8 / 365 = 1.3742… → 1.37
		const late = decide({ ...reminded, firstDunnedAt: null }, {}, '2026-04-15');
		expect(late.interestPeriods).toEqual([expect.objectContaining({ from: '2026-04-08', to: '2026-04-15', days: 8, amount: 1.37 })]);
	});

	it('over Easter, a business debtor: the flat fee and interest only from 8 April too', () => {
		// Due 20 March: the 31st day (§286(3)) would be 20 April, so the reminder's deadline starts default.
		const business = { ...reminded, dueDate: '2026-03-20', customerType: 'business' as const };
		expect(decide(business, {}, '2026-04-06')).toMatchObject({ action: 'none', reason: 'waiting', flatFee: 0, interest: 0, nextActionDate: '2026-04-08' });
		// 1000 × 10.27 % × 1 / 365 = 0.2813… → 0.28; the 40 € flat fee from the first day of default.
		const d = decide(business, {}, '2026-04-08');
		expect(d).toMatchObject({ action: 'send', level: 2, flatFee: 40, interest: 0.28 });
		expect(d.interestPeriods).toEqual([expect.objectContaining({ from: '2026-04-08', days: 1, ratePct: 10.27 })]);
	});

	it('a deadline on a Saturday or a Sunday runs to Monday', () => {
		// Reminded Saturday 21 March: pay by Saturday 28 March; reminded Sunday 22 March: pay by Sunday 29 March.
		// Both end on Monday 30 March: the next stage and default from Tuesday 31 March.
		for (const sent of ['2026-03-21', '2026-03-22']) {
			const inv = { ...reminded, lastDunnedAt: sent, firstDunnedAt: sent };
			expect(decide(inv, {}, '2026-03-30')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-03-31' });
			expect(decide(inv, {}, '2026-03-31').interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-31', days: 1 })]);
		}
		// A Friday deadline is a business day: reminded Friday 13 March, pay by Friday 20 March, the next stage on Saturday 21st.
		expect(decide({ ...reminded, lastDunnedAt: '2026-03-13', firstDunnedAt: '2026-03-13' }, {}, '2026-03-21').interestPeriods).toEqual([
			expect.objectContaining({ from: '2026-03-21', days: 1 }),
		]);
	});

	it('takes the holidays of the policy’s region, the setting off', () => {
		// Reminded Wednesday 30 Dec 2026: pay by Wednesday 6 Jan 2027, Epiphany, a holiday in Bavaria but not nationwide.
		const inv = { ...reminded, dueDate: '2026-12-01', lastDunnedAt: '2026-12-30', firstDunnedAt: '2026-12-30' };
		const bavaria: DunningPolicyInput = { businessDays: { enabled: false, region: 'DE-BY' } };
		expect(decide(inv, bavaria, '2027-01-07')).toMatchObject({ reason: 'waiting', nextActionDate: '2027-01-08' });
		expect(decide(inv, {}, '2027-01-07')).toMatchObject({ action: 'send', level: 2 });
	});

	it('an unknown region is not refused while the setting is off, but read as DE (nationwide holidays)', () => {
		const policy: DunningPolicyInput = { businessDays: { enabled: false, region: 'XX' } };
		expect(compilePolicy(policy).deadlineCalendar).toBe(calendarFor('DE'));
		expect(decide(reminded, policy, '2026-04-07')).toMatchObject({ reason: 'waiting', nextActionDate: '2026-04-08' });
		// With the setting on the region is checked, as before.
		expect(() => compilePolicy({ businessDays: { enabled: true, region: 'XX' } })).toThrow(/unknown country "XX"/);
	});

	it('with the setting on: the same legal end, printed too', () => {
		const shiftDE: DunningPolicyInput = { businessDays: { enabled: true, region: 'DE' } };
		expect(compilePolicy(shiftDE).deadlineCalendar).toBe(compilePolicy(shiftDE).calendar);
		expect(decide(invoice({ dueDate: '2026-03-20' }), shiftDE, '2026-03-27')).toMatchObject({ deadline: '2026-04-07', nextActionDate: '2026-04-08' });
		expect(decide(reminded, shiftDE, '2026-04-08').interestPeriods).toEqual([expect.objectContaining({ from: '2026-04-08', days: 1 })]);
	});
});
