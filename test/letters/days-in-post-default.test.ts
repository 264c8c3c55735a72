/**
 * buildLetterModel without Days in the Post counts the default (DEFAULT_DAYS_IN_POST), as Create
 * Reminder Letter does and as Compute Dunning Level estimates a letter's deadline: one default.
 */
import { DEFAULT_DAYS_IN_POST } from '../../lib/dunning/deadline-check';
import { buildLetterModel } from '../../lib/letters/letter-model';
import { invoiceItem, letterOptions } from './fixtures';

function item(): Record<string, unknown> {
	const it = invoiceItem(1);
	// The fixtures: deadline 2026-03-24, decided 2026-03-10 (14 days).
	Object.assign(it.dunning as Record<string, unknown>, { paymentPeriodDays: 14, holidayRegion: 'DE' });
	return it;
}

describe('Days in the Post not given to buildLetterModel', () => {
	test('is the shared default: dated 10 March, arriving 13 March, pay by 27 March', () => {
		expect(DEFAULT_DAYS_IN_POST).toBe(3);
		expect(buildLetterModel(item(), letterOptions({ date: '2026-03-10' })).summary.statedDeadline).toBe('2026-03-27');
		expect(buildLetterModel(item(), letterOptions({ date: '2026-03-10', daysInPost: DEFAULT_DAYS_IN_POST })).summary.statedDeadline).toBe('2026-03-27');
	});

	test('counts calendar days across a month end (the day numbers, not a time zone)', () => {
		// 30 March + 3 = 2 April, + 14 = 16 April 2026 (a Thursday).
		const it = item();
		Object.assign(it.dunning as Record<string, unknown>, { deadline: '2026-04-13', asOf: '2026-03-30' });
		expect(buildLetterModel(it, letterOptions({ date: '2026-03-30' })).summary.statedDeadline).toBe('2026-04-16');
	});

	test('a letter date that is no plain YYYY-MM-DD is refused, naming it', () => {
		expect(() => buildLetterModel(item(), letterOptions({ date: '20260310' }))).toThrow('The letter date "20260310" is not a calendar date');
	});
});
