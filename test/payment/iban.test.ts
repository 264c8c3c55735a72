import { checkBic } from '../../lib/payment/bic';
import { checkIban, formatIban, ibanMod97, normalizeIban } from '../../lib/payment/iban';

describe('IBAN (ISO 13616 mod 97)', () => {
	it.each([
		'DE89370400440532013000',
		'GB82WEST12345698765432',
		'NL91ABNA0417164300',
		'AT611904300234573201',
		'BE68539007547034',
		'FR1420041010050500013M02606',
		'PL61109010140000071219812874',
		'CZ6508000000192000145399',
		'NO9386011117947',
	])('accepts the valid IBAN %s', (iban) => {
		expect(checkIban(iban)).toEqual({ valid: true, iban });
		expect(ibanMod97(iban)).toBe(1);
	});

	it('accepts spaces, dashes and lower case as people type them, and prints in groups of four', () => {
		expect(checkIban(' de89 3704-0044 0532 0130 00 ')).toEqual({ valid: true, iban: 'DE89370400440532013000' });
		expect(normalizeIban('nl91 abna 0417 1643 00')).toBe('NL91ABNA0417164300');
		expect(formatIban('DE89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
	});

	it('refuses a wrong check digit, a swapped pair of digits, a wrong length, a non-SEPA country and junk, saying why', () => {
		const problem = (v: unknown) => {
			const r = checkIban(v);
			return r.valid ? 'valid' : r.problem;
		};
		expect(problem('DE89370400440532013001')).toMatch(/check digits.*mod-97/);
		expect(problem('DE89370400440532031000')).toMatch(/check digits/);
		// 00 passes the mod-97 sum like 97 (the valid DE97 3704 0044 0500 0000 43) but is never issued.
		expect(checkIban('DE97370400440500000043').valid).toBe(true);
		expect(problem('DE00370400440500000043')).toMatch(/check digits 00, which no IBAN has/);
		expect(problem('DE8937040044053201300')).toBe('has 21 characters; an IBAN from DE has 22');
		expect(problem('US12345678901234567890')).toMatch(/US, which is not a SEPA country/);
		expect(problem('3704 0044 0532 0130 00')).toMatch(/must start with a country code/);
		expect(problem('DE89.3704')).toMatch(/must start with a country code/);
		expect(problem('')).toBe('is empty');
		expect(problem(42)).toBe('is empty');
	});
});

describe('BIC (ISO 9362 shape)', () => {
	it('accepts 8 and 11 characters, normalised', () => {
		expect(checkBic('COBADEFFXXX')).toEqual({ valid: true, bic: 'COBADEFFXXX' });
		expect(checkBic('cobadeff')).toEqual({ valid: true, bic: 'COBADEFF' });
		expect(checkBic('NTSB DE B1')).toEqual({ valid: true, bic: 'NTSBDEB1' });
	});

	it('refuses wrong lengths and shapes, saying what a BIC looks like', () => {
		const problem = (v: unknown) => {
			const r = checkBic(v);
			return r.valid ? 'valid' : r.problem;
		};
		expect(problem('COBADEF')).toBe('has 7 characters; a BIC has 8 or 11 (like COBADEFFXXX)');
		expect(problem('DE89370400440532013000')).toMatch(/has 22 characters/);
		expect(problem('C0BADEFF')).toMatch(/must be 4 letters \(bank\)/);
		expect(problem('COBA1EFF')).toMatch(/2 letters \(country\)/);
		expect(problem('')).toBe('is empty');
	});
});
