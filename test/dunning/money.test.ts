import { toCents } from '../../lib/dunning/money';

describe('toCents', () => {
	test('rounds half away from zero, also where the binary value lies just below the half', () => {
		expect(toCents(1.005)).toBe(101);
		expect(toCents(-1.005)).toBe(-101);
		expect(toCents(1.115)).toBe(112);
		expect(toCents(12345678.905)).toBe(1234567891);
		expect(toCents(0.004)).toBe(0);
	});
	test('keeps whole and two-decimal amounts exact up to the documented ten trillion', () => {
		expect(toCents(5e9)).toBe(5e11);
		expect(toCents(9876543210.12)).toBe(987654321012);
		expect(toCents(1e13)).toBe(1e15);
		expect(toCents(-5e9)).toBe(-5e11);
	});
});
