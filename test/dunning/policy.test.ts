import { compilePolicy, DEFAULT_STAGES, normalizePolicy, PolicyError } from '../../lib/dunning';

describe('dunning policy', () => {
	it('defaults to three e-mail stages 7 days apart in Europe/Berlin', () => {
		const p = normalizePolicy({});
		expect(p.stages.map((s) => [s.level, s.name, s.daysAfterPrevious, s.channel])).toEqual([
			[1, 'Zahlungserinnerung / Payment reminder', 7, 'email'],
			[2, '1. Mahnung / First dunning', 7, 'email'],
			[3, '2. Mahnung / Second dunning', 7, 'email'],
		]);
		expect(p.timezone).toBe('Europe/Berlin');
		expect(p.maxLevel).toBe(3);
		expect(p.statutoryInterest).toMatchObject({ enabled: true, interestFrom: 'firstReminder', consumerMarginPct: 5, businessMarginPct: 9, businessFlatFee: 40 });
		expect(normalizePolicy({ statutoryInterest: { interestFrom: 'dueDate' } }).statutoryInterest.interestFrom).toBe('dueDate');
		expect(DEFAULT_STAGES).toHaveLength(3);
	});

	it('numbers stages by position and precomputes the schedule', () => {
		const c = compilePolicy({ graceDays: 3, stages: [{ name: 'A', daysAfterPrevious: 10 }, { name: 'B', daysAfterPrevious: 5, chargeInterest: true }] });
		expect(c.policy.stages.map((s) => s.level)).toEqual([1, 2]);
		// Stage 2 waits for the day after stage 1's deadline (7 + 1 days) and 2 days for the payment to
		// arrive (Days for Payment to Arrive, at least as many calendar days), longer than its own 5: 13 + 10.
		expect(c.scheduleOffsets).toEqual([0, 13, 23]);
		expect(compilePolicy({ paymentArrivalDays: 0, stages: [{ name: 'A' }, { name: 'B', daysAfterPrevious: 5 }] }).scheduleOffsets).toEqual([0, 7, 15]);
		expect(c.firstInterestLevel).toBe(2);
	});

	it.each([
		[{ timezone: 'Europe/Berlln' }, /timezone "Europe\/Berlln" is not a known IANA timezone/],
		[{ stages: [{ level: 2, name: 'B' }, { level: 1, name: 'A' }] }, /stages are out of order: stage 1 has level 2/],
		[{ stages: [{ level: 1, name: 'A' }, { level: 3, name: 'C' }] }, /stage 2 has level 3/],
		[{ stages: [] }, /at least one stage/],
		[{ stages: [{ name: '' }] }, /stage 1 needs a name/],
		[{ stages: [{ name: 'A', channel: 'fax' }] }, /stage 1 \("A"\): channel must be email, letter or none/],
		[{ stages: [{ name: 'A', daysAfterPrevious: -1 }] }, /daysAfterPrevious must be a whole number/],
		[{ stages: [{ name: 'A', fee: -5 }] }, /fee must be a number, 0 or more/],
		[{ maxLevel: 4 }, /maxLevel must be a whole number from 1 to 3/],
		[{ graceDays: 1.5 }, /graceDays must be a whole number/],
		[{ paymentArrivalDays: -1 }, /paymentArrivalDays must be a whole number of days, 0 or more/],
		[{ paymentArrivalDays: 31 }, /paymentArrivalDays must be at most 30 business days \(got 31\)/],
		[{ businessDays: { enabled: true, region: 'DE-XX' } }, /unknown state "XX" of DE/],
		[{ statutoryInterest: { baseRates: [] } }, /baseRates must list at least one/],
		[{ defaultCurrency: 'Euro' }, /defaultCurrency must be a three-letter currency code/],
		[{ statutoryInterest: { interestFrom: 'invoiceDate' } }, /statutoryInterest.interestFrom must be "firstReminder" or "dueDate" \(got "invoiceDate"\)/],
		[{ interestFrom: 'dueDate' }, /interestFrom belongs inside statutoryInterest/],
	])('rejects %j with a clear message', (input, message) => {
		expect(() => compilePolicy(input as never)).toThrow(PolicyError);
		expect(() => compilePolicy(input as never)).toThrow(message);
	});

	it('does not check the holiday region while the shift is off', () => {
		expect(() => compilePolicy({ businessDays: { enabled: false, region: 'XX' } })).not.toThrow();
	});
});
