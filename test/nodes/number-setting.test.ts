import { readNumberSetting, type NumberRule } from '../../nodes/shared/number-setting';

/**
 * The one reader of a number setting (Read Mailbox, its trigger and Move Messages, Classify Bounce,
 * Dunning Pace, Mailbox Health, Send Reminder Email): what it takes, and the problem in words.
 */
describe('readNumberSetting', () => {
	const count: NumberRule = { min: 0, max: 100, whole: true };

	it('takes a number, and a number given as text (a table cell), trimmed', () => {
		expect(readNumberSetting(42, count)).toEqual({ value: 42 });
		expect(readNumberSetting('42', count)).toEqual({ value: 42 });
		expect(readNumberSetting(' 7 ', count)).toEqual({ value: 7 });
		expect(readNumberSetting('0.5', { min: 0 })).toEqual({ value: 0.5 });
		// The limits themselves are taken.
		expect(readNumberSetting(0, count)).toEqual({ value: 0 });
		expect(readNumberSetting(100, count)).toEqual({ value: 100 });
	});

	it('refuses text that is no number, and anything but a number or text, showing the value as given', () => {
		expect(readNumberSetting('abc', count)).toEqual({ problem: 'must be a whole number from 0 to 100, not "abc"' });
		expect(readNumberSetting('12 Stück', count)).toEqual({ problem: 'must be a whole number from 0 to 100, not "12 Stück"' });
		expect(readNumberSetting(true, count)).toEqual({ problem: 'must be a whole number from 0 to 100, not true' });
		expect(readNumberSetting([5], count)).toEqual({ problem: 'must be a whole number from 0 to 100, not [5]' });
		expect(readNumberSetting({ n: 5 }, count)).toEqual({ problem: 'must be a whole number from 0 to 100, not {"n":5}' });
		// NaN and Infinity by name, a long text cut as every message cuts it (showValue).
		expect(readNumberSetting(Number.NaN, { min: 0 })).toEqual({ problem: 'must be a number of at least 0, not NaN' });
		expect(readNumberSetting(-Infinity, { min: 0 })).toEqual({ problem: 'must be a number of at least 0, not -Infinity' });
		expect(readNumberSetting('y'.repeat(100), { min: 0 })).toEqual({ problem: `must be a number of at least 0, not "${'y'.repeat(56)}...` });
	});

	it('empty (unset, null, "", blank) is refused as "empty" unless the rule says what it is', () => {
		for (const empty of [undefined, null, '', '   ']) expect(readNumberSetting(empty, count)).toEqual({ problem: 'must be a whole number from 0 to 100, not empty' });
		// unsetIs: an option not added or a field cleared in the panel; "" from an expression stays refused.
		const withDefault: NumberRule = { ...count, unsetIs: 50 };
		expect(readNumberSetting(undefined, withDefault)).toEqual({ value: 50 });
		expect(readNumberSetting(null, withDefault)).toEqual({ value: 50 });
		expect(readNumberSetting('', withDefault)).toEqual({ problem: 'must be a whole number from 0 to 100, not empty' });
		expect(readNumberSetting(' ', withDefault)).toEqual({ problem: 'must be a whole number from 0 to 100, not empty' });
		// emptyIs: an empty cell (null or blank text) has a meaning; nothing at all (undefined) does not.
		const emptyCell: NumberRule = { min: 0, emptyIs: 0 };
		expect(readNumberSetting(null, emptyCell)).toEqual({ value: 0 });
		expect(readNumberSetting('', emptyCell)).toEqual({ value: 0 });
		expect(readNumberSetting('  ', emptyCell)).toEqual({ value: 0 });
		expect(readNumberSetting(undefined, emptyCell)).toEqual({ problem: 'must be a number of at least 0, not empty' });
	});

	it('refuses a value below min, and min itself when it is exclusive', () => {
		expect(readNumberSetting(-1, count)).toEqual({ problem: 'must be a whole number from 0 to 100, not -1' });
		expect(readNumberSetting('-0.5', { min: 0 })).toEqual({ problem: 'must be a number of at least 0, not "-0.5"' });
		const positive: NumberRule = { min: 0, minExclusive: true };
		expect(readNumberSetting(0, positive)).toEqual({ problem: 'must be a number above 0, not 0' });
		expect(readNumberSetting('0', positive)).toEqual({ problem: 'must be a number above 0, not "0"' });
		expect(readNumberSetting(0.01, positive)).toEqual({ value: 0.01 });
		expect(readNumberSetting(0, { min: 0, minExclusive: true, max: 10 })).toEqual({ problem: 'must be a number above 0 and at most 10, not 0' });
	});

	it('refuses a value above max (Infinity always), saying what a larger one likely is', () => {
		expect(readNumberSetting(101, count)).toEqual({ problem: 'must be a whole number from 0 to 100, not 101' });
		expect(readNumberSetting(Infinity, { min: 0 })).toEqual({ problem: 'must be a number of at least 0, not Infinity' });
		expect(readNumberSetting('Infinity', { min: 0, minExclusive: true })).toEqual({ problem: 'must be a number above 0, not "Infinity"' });
		const pause: NumberRule = { min: 0, max: 86400, tooLarge: 'a unit mistake' };
		expect(readNumberSetting(86401, pause)).toEqual({ problem: 'must be a number from 0 to 86400, not 86401: a unit mistake' });
		// The likely mistake only for a value that is too large.
		expect(readNumberSetting(-1, pause)).toEqual({ problem: 'must be a number from 0 to 86400, not -1' });
		const age: NumberRule = { min: 0, max: 604800, unit: 'seconds', maxInWords: '7 days' };
		expect(readNumberSetting(604801, age)).toEqual({ problem: 'must be a number of seconds from 0 to 604800 (7 days), not 604801' });
	});

	it('refuses a fraction where a whole number is required, and takes it elsewhere', () => {
		expect(readNumberSetting(2.5, count)).toEqual({ problem: 'must be a whole number from 0 to 100, not 2.5' });
		expect(readNumberSetting('1.5', { min: 1, whole: true })).toEqual({ problem: 'must be a whole number of at least 1, not "1.5"' });
		expect(readNumberSetting(2.5, { min: 0, max: 100 })).toEqual({ value: 2.5 });
	});

	it('capAt takes a larger value (Infinity too) as the cap instead of refusing it', () => {
		const timeout: NumberRule = { min: 1, capAt: 3600, unit: 'seconds' };
		expect(readNumberSetting(9_999_999, timeout)).toEqual({ value: 3600 });
		expect(readNumberSetting(Infinity, timeout)).toEqual({ value: 3600 });
		expect(readNumberSetting('30', timeout)).toEqual({ value: 30 });
		expect(readNumberSetting(0, timeout)).toEqual({ problem: 'must be a number of seconds of at least 1 (more than 3600 counts as 3600), not 0' });
		expect(readNumberSetting(Number.NaN, timeout)).toEqual({ problem: 'must be a number of seconds of at least 1 (more than 3600 counts as 3600), not NaN' });
	});
});
