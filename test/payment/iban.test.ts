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

describe('IBAN national format (BBAN, SWIFT IBAN registry)', () => {
	// The registry's example IBAN of every country the table knows.
	it.each([
		'AD1200012030200359100100', 'AL47212110090000000235698741', 'AT611904300234573201', 'BE68539007547034', 'BG80BNBG96611020345678',
		'CH9300762011623852957', 'CY17002001280000001200527600', 'CZ6508000000192000145399', 'DE89370400440532013000', 'DK5000400440116243',
		'EE382200221020145685', 'ES9121000418450200051332', 'FI2112345600000785', 'FR1420041010050500013M02606', 'GB29NWBK60161331926819',
		'GI75NWBK000000007099453', 'GR1601101250000000012300695', 'HR1210010051863000160', 'HU42117730161111101800000000', 'IE29AIBK93115212345678',
		'IS140159260076545510730339', 'IT60X0542811101000000123456', 'LI21088100002324013AA', 'LT121000011101001000', 'LU280019400644750000',
		'LV80BANK0000435195001', 'MC5811222000010123456789030', 'MD24AG000225100013104168', 'ME25505000012345678951', 'MK07250120000058984',
		'MT84MALT011000012345MTLCAST001S', 'NL91ABNA0417164300', 'NO9386011117947', 'PL61109010140000071219812874', 'PT50000201231234567890154',
		'RO49AAAA1B31007593840000', 'RS35260005601001611379', 'SE4550000000058398257466', 'SI56263300012039086', 'SK3112000000198742637541',
		'SM86U0322509800000000270100', 'VA59001123000012345678',
	])('accepts %s', (iban) => {
		expect(checkIban(iban)).toEqual({ valid: true, iban });
	});

	/** An IBAN with check digits made to match its BBAN, as an ERP export or a "fixed" typo has them. */
	const withCheckDigits = (country: string, bban: string) => `${country}${String(98 - ibanMod97(`${country}00${bban}`)).padStart(2, '0')}${bban}`;

	it('refuses a letter where the country has digits, even with matching check digits (DE: 18 digits)', () => {
		const iban = withCheckDigits('DE', '3704004405320130O0');
		expect(iban).toBe('DE033704004405320130O0');
		expect(ibanMod97(iban)).toBe(1);
		expect(checkIban(iban)).toEqual({
			valid: false,
			problem: 'has "O" as character 21, where an IBAN from DE has a digit: after DE and the check digits come 18 digits (the letter O for a zero?)',
		});
		expect(checkIban(withCheckDigits('AT', '1904300234573X01'))).toMatchObject({ problem: expect.stringMatching(/^has "X" as character 18, where an IBAN from AT has a digit: .* 16 digits$/) });
	});

	it('CH and LI: 5 digits, then 12 letters or digits; GB: 4 letters (the bank), then 14 digits', () => {
		expect(checkIban(withCheckDigits('CH', '0076201162385295A')).valid).toBe(true);
		expect(checkIban(withCheckDigits('LI', 'A8810000232401300'))).toMatchObject({
			problem: 'has "A" as character 5, where an IBAN from LI has a digit: after LI and the check digits come 5 digits, then 12 letters or digits',
		});
		expect(checkIban(withCheckDigits('GB', '1WBK60161331926819'))).toMatchObject({ problem: expect.stringMatching(/^has "1" as character 5, where an IBAN from GB has a letter: .* 4 letters, then 14 digits$/) });
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
