import { showValue } from '../../lib/dunning/field-value';
import { readTextSetting } from '../../nodes/shared/text-setting';

/**
 * The one reader of a text setting (Create Reminder Letter fails an item with its problem, Send
 * Reminder Email stops the run), and the one way a value is shown in a message (showValue).
 */
describe('readTextSetting', () => {
	const expected = 'a language code as text, e.g. de';

	it('text is trimmed; empty (unset, null, blank) gives the fallback', () => {
		expect(readTextSetting(' en ', 'de', expected)).toEqual({ value: 'en' });
		for (const empty of [undefined, null, '', '   ', '\t\n']) expect(readTextSetting(empty, 'de', expected)).toEqual({ value: 'de' });
		// The fallback as given, even when it is empty.
		expect(readTextSetting(undefined, '', expected)).toEqual({ value: '' });
	});

	it('anything but text is the problem in words, showing the value, never a JavaScript error', () => {
		expect(readTextSetting(5, 'de', expected)).toEqual({ problem: 'must be a language code as text, e.g. de, not 5' });
		expect(readTextSetting(true, 'de', expected)).toEqual({ problem: 'must be a language code as text, e.g. de, not true' });
		expect(readTextSetting({ a: 1 }, 'de', expected)).toEqual({ problem: 'must be a language code as text, e.g. de, not {"a":1}' });
		expect(readTextSetting(Number.NaN, 'de', expected)).toEqual({ problem: 'must be a language code as text, e.g. de, not NaN' });
		expect(readTextSetting(10n, 'de', expected)).toEqual({ problem: 'must be a language code as text, e.g. de, not 10n' });
		const cycle: Record<string, unknown> = {};
		cycle.self = cycle;
		expect(readTextSetting(cycle, 'de', expected)).toEqual({ problem: 'must be a language code as text, e.g. de, not a value of type object' });
		// Long values are cut as every message cuts them.
		expect(readTextSetting(['x'.repeat(100)], 'de', expected)).toEqual({ problem: `must be a language code as text, e.g. de, not ${showValue(['x'.repeat(100)])}` });
		expect(showValue(['x'.repeat(100)])).toBe(`["${'x'.repeat(55)}...`);
	});

	it('a list with one text counts as that text only when asked (a multi-select column)', () => {
		expect(readTextSetting(['en'], 'de', expected)).toEqual({ problem: 'must be a language code as text, e.g. de, not ["en"]' });
		expect(readTextSetting([' en '], 'de', expected, { acceptOneElementList: true })).toEqual({ value: 'en' });
		expect(readTextSetting([' '], 'de', expected, { acceptOneElementList: true })).toEqual({ value: 'de' });
		expect(readTextSetting(['de', 'en'], 'de', expected, { acceptOneElementList: true })).toEqual({ problem: 'must be a language code as text, e.g. de, not ["de","en"]' });
		expect(readTextSetting([5], 'de', expected, { acceptOneElementList: true })).toEqual({ problem: 'must be a language code as text, e.g. de, not [5]' });
	});
});
