import { buildEpcPayload, epcAmount, EpcPayloadError } from '../../lib/payment/epc-qr';

const base = { name: 'Muster GmbH', iban: 'DE89 3704 0044 0532 0130 00', amount: 1234.5, remittance: 'RE-2026-0042' };

describe('EPC QR payload (EPC069-12 version 002)', () => {
	it('writes the twelve elements in order, field by field, and stops after the last populated one', () => {
		const lines = buildEpcPayload({ ...base, bic: 'cobadeffxxx', info: 'Danke!' }).split('\n');
		expect(lines).toEqual([
			'BCD', // service tag
			'002', // version: BIC optional in the EEA
			'1', // character set: UTF-8
			'SCT', // SEPA credit transfer
			'COBADEFFXXX', // BIC, normalised
			'Muster GmbH', // beneficiary
			'DE89370400440532013000', // IBAN without spaces
			'EUR1234.50', // amount: dot, two decimals, no grouping
			'', // purpose
			'', // structured reference
			'RE-2026-0042', // unstructured remittance
			'Danke!', // note to the payer
		]);
	});

	it('leaves the BIC line empty when none is given and ends at the remittance (no trailing separator)', () => {
		const payload = buildEpcPayload(base);
		expect(payload).toBe('BCD\n002\n1\nSCT\n\nMuster GmbH\nDE89370400440532013000\nEUR1234.50\n\n\nRE-2026-0042');
		expect(payload.endsWith('\n')).toBe(false);
	});

	it('keeps UTF-8 names (character set 1) and turns line breaks inside a field into spaces', () => {
		const lines = buildEpcPayload({ ...base, name: 'Łódź Müller-Øster & Şahin', remittance: 'RE-1\nRE-2' }).split('\n');
		expect(lines[5]).toBe('Łódź Müller-Øster & Şahin');
		expect(lines[10]).toBe('RE-1 RE-2');
	});

	it('turns every control character into a space, not only line breaks (a NUL or VT from a customer field)', () => {
		const lines = buildEpcPayload({ ...base, remittance: 'RE-1\u000bK-7\u0000X\u007f' }).split('\n');
		expect(lines).toHaveLength(11);
		expect(lines[10]).toBe('RE-1 K-7 X');
	});

	it('leaves the BIC out only for an account in the EEA (EPC069-12 version 002); outside it the BIC is needed', () => {
		// A valid Swiss IBAN (the example of the Swiss IBAN standard) and a Norwegian one (EEA, not EU).
		expect(() => buildEpcPayload({ ...base, iban: 'CH93 0076 2011 6238 5295 7' })).toThrow(
			new EpcPayloadError('bic', 'The GiroCode needs the BIC for an account outside the EEA (IBAN from CH): add it to the payment details'),
		);
		expect(buildEpcPayload({ ...base, iban: 'CH93 0076 2011 6238 5295 7', bic: 'UBSWCHZH80A' }).split('\n')[4]).toBe('UBSWCHZH80A');
		expect(buildEpcPayload({ ...base, iban: 'NO93 8601 1117 947' }).split('\n')[4]).toBe('');
	});

	it('formats amounts exactly, in cents', () => {
		expect(epcAmount(0.01)).toBe('EUR0.01');
		expect(epcAmount(12.3)).toBe('EUR12.30');
		expect(epcAmount(1.005)).toBe('EUR1.01');
		expect(epcAmount(999999999.99)).toBe('EUR999999999.99');
		expect(() => epcAmount(0)).toThrow(/between 0.01 and 999999999.99/);
		expect(() => epcAmount(1e9)).toThrow(EpcPayloadError);
		expect(() => epcAmount(Number.NaN)).toThrow(EpcPayloadError);
	});

	it('refuses a wrong IBAN or BIC, a long name or reference, naming the field', () => {
		const fieldOf = (t: Parameters<typeof buildEpcPayload>[0]) => {
			try {
				buildEpcPayload(t);
				return 'built';
			} catch (error) {
				return `${(error as EpcPayloadError).field}: ${(error as Error).message}`;
			}
		};
		expect(fieldOf({ ...base, iban: 'DE89370400440532013001' })).toMatch(/^iban: The IBAN has wrong check digits/);
		expect(fieldOf({ ...base, bic: 'COBADE' })).toMatch(/^bic: /);
		expect(fieldOf({ ...base, name: 'x'.repeat(71) })).toMatch(/^name: .*at most 70 characters, got 71/);
		expect(fieldOf({ ...base, name: '  ' })).toMatch(/^name: /);
		expect(fieldOf({ ...base, remittance: 'r'.repeat(141) })).toMatch(/^remittance: .*at most 140/);
	});

	it('never exceeds 331 bytes: multi-byte names at every limit are refused as a whole', () => {
		// Each field within its character limit, but two-byte letters take the whole over 331 bytes.
		const t = { ...base, name: 'ä'.repeat(70), remittance: 'ö'.repeat(140), info: 'ü'.repeat(70) };
		expect(() => buildEpcPayload(t)).toThrow(/bytes, more than the 331/);
		const fits = buildEpcPayload({ ...base, name: 'ä'.repeat(70), remittance: 'ö'.repeat(40) });
		expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(331);
	});

	it('refuses what a SEPA bank cannot carry in the name and the reference: bidi controls, Unicode line breaks, CJK, emoji', () => {
		const fieldOf = (t: Partial<Parameters<typeof buildEpcPayload>[0]>) => {
			try {
				return `built: ${buildEpcPayload({ ...base, ...t }).split('\n').slice(5, 11).join('|')}`;
			} catch (error) {
				return `${(error as EpcPayloadError).field}: ${(error as Error).message}`;
			}
		};
		expect(fieldOf({ remittance: 'RE-\u202e1234' })).toBe(
			'remittance: The GiroCode payment reference "RE-U+202E1234" has a text direction control (U+202E), which makes a banking app show the text in another order than the bank sends it',
		);
		expect(fieldOf({ remittance: 'RE-\u20661\u2069' })).toMatch(/^remittance: .*text direction control \(U\+2066 U\+2069\)/);
		expect(fieldOf({ remittance: 'RE-1\u2028X' })).toMatch(/^remittance: .*has a line break \(U\+2028\) where a bank transfer takes one line/);
		expect(fieldOf({ remittance: 'RE-1\u2029X' })).toMatch(/^remittance: .*line break \(U\+2029\)/);
		expect(fieldOf({ remittance: 'RE-1\u0085X' })).toMatch(/^remittance: .*line break \(U\+0085\)/);
		expect(fieldOf({ remittance: '請求書-1' })).toMatch(/^remittance: .*cannot carry \(請 求 書\): use Latin letters/);
		expect(fieldOf({ name: 'Shop 😀 GmbH' })).toMatch(/^name: The GiroCode account holder "Shop 😀 GmbH" has characters a SEPA bank transfer cannot carry \(😀\)/);
		expect(fieldOf({ name: '山田商事' })).toMatch(/^name: /);
		expect(fieldOf({ name: 'Name\u202eevil' })).toMatch(/^name: .*U\+202E/);
		expect(fieldOf({ info: 'Danke \u200b' })).toMatch(/^info: .*\(U\+200B\)/);
	});

	it('takes Latin letters with accents, typographic quotes and the euro sign; a decomposed umlaut becomes the one letter', () => {
		const lines = buildEpcPayload({ ...base, name: 'O’Brien & Søn – Ţurcanu Ltd', remittance: 'Rechnung „RE-1“ 5 € Nguyễn' }).split('\n');
		expect(lines[5]).toBe('O’Brien & Søn – Ţurcanu Ltd');
		expect(lines[10]).toBe('Rechnung „RE-1“ 5 € Nguyễn');
		expect(buildEpcPayload({ ...base, name: 'Mu\u0308ller' }).split('\n')[5]).toBe('Müller');
	});
});
