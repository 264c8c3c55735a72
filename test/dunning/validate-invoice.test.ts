import { compilePolicy, InvoiceReader, MAX_AMOUNT, validateInvoice } from '../../lib/dunning';

const compiled = compilePolicy({});
const valid = { invoiceId: 'A1', dueDate: '2026-10-15', openAmount: 50 };

describe('invoice validation', () => {
	it('fills defaults for optional fields', () => {
		const r = validateInvoice(valid, compiled);
		expect(r).toEqual({
			ok: true,
			invoice: expect.objectContaining({ customerType: 'consumer', currency: 'EUR', currentLevel: 0, amount: 50, parked: false, email: null, lastDunnedAt: null, firstDunnedAt: null }),
		});
	});

	it('normalises numeric strings, flags, codes and timestamps (in the policy timezone)', () => {
		const r = validateInvoice(
			{ ...valid, openAmount: ' 12.50 ', amount: '100', currency: 'chf', customerType: 'Business', currentLevel: '2', parked: 'no', emailBlocked: 'true', lastDunnedAt: '2026-03-28T23:30:00Z', firstDunnedAt: '01.03.2026', dueDate: '15.10.2026' },
			compiled,
		);
		expect(r.ok && r.invoice).toMatchObject({ openAmount: 12.5, amount: 100, currency: 'CHF', customerType: 'business', currentLevel: 2, parked: false, emailBlocked: true, lastDunnedAt: '2026-03-29', firstDunnedAt: '2026-03-01', dueDate: '2026-10-15' });
	});

	it('takes open amounts and totals below zero (credit notes, overpaid invoices): decide() holds them back', () => {
		const r = validateInvoice({ ...valid, openAmount: -3, amount: ' -250.50 ' }, compiled);
		expect(r.ok && [r.invoice.openAmount, r.invoice.amount]).toEqual([-3, -250.5]);
		const tooLow = validateInvoice({ ...valid, openAmount: -MAX_AMOUNT - 1 }, compiled);
		expect(!tooLow.ok && tooLow.problems[0].message).toMatch(/^openAmount is too large \(got -10000000000001\)/);
	});

	it('reads German spreadsheet flags WAHR and FALSCH, in any case', () => {
		const r = validateInvoice({ ...valid, parked: 'WAHR', disputed: 'falsch', dunningBlock: ' Falsch ', emailBlocked: 'wahr' }, compiled);
		expect(r.ok && r.invoice).toMatchObject({ parked: true, disputed: false, dunningBlock: false, emailBlocked: true });
	});

	it('takes a list of e-mail addresses as one comma-separated list, and a one-element language list as its element', () => {
		const r = validateInvoice({ ...valid, email: [' a@example.test', 'Buchhaltung <b@example.test>', ''], language: ['en'] }, compiled);
		expect(r.ok && [r.invoice.email, r.invoice.language]).toEqual(['a@example.test, Buchhaltung <b@example.test>', 'en']);
		const empty = validateInvoice({ ...valid, email: [], language: [' '] }, compiled);
		expect(empty.ok && [empty.invoice.email, empty.invoice.language]).toEqual([null, null]);
	});

	it('reads "1.234" as 1.234 in a currency with three decimals (fils), where it is no thousands separator', () => {
		const r = validateInvoice({ ...valid, openAmount: '1.234', amount: '2.500', currency: 'KWD' }, compiled);
		expect(r.ok && r.invoice).toMatchObject({ openAmount: 1.234, amount: 2.5, currency: 'KWD' });
	});

	it.each([
		[{ dueDate: undefined }, 'dueDate', 'dueDate is missing'],
		[{ dueDate: 'soon' }, 'dueDate', 'dueDate "soon" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)'],
		[{ dueDate: '2023-02-29' }, 'dueDate', 'dueDate "2023-02-29" is not a calendar date'],
		[{ dueDate: 20261015 }, 'dueDate', 'dueDate must be a date such as 2026-01-31 (got 20261015)'],
		[{ openAmount: '12,50' }, 'openAmount', 'openAmount must be a number with a decimal point, e.g. 120.50 (got "12,50")'],
		// A German export's 1,234 EUR (1.234) is not taken as 1.23 EUR.
		[{ openAmount: '1.234' }, 'openAmount', 'openAmount is ambiguous (got "1.234"): a decimal point, or a German thousands separator? Write amounts with a decimal point and no thousands separator, e.g. 1234.00'],
		[{ amount: '-250.000' }, 'amount', 'amount is ambiguous (got "-250.000"): a decimal point, or a German thousands separator? Write amounts with a decimal point and no thousands separator, e.g. -250000.00'],
		// In a currency with three decimals it is 1.234.
		[{ openAmount: '1.234', currency: 'KWD', amount: 'x' }, 'amount', 'amount must be a number with a decimal point, e.g. 120.50 (got "x")'],
		[{ openAmount: undefined }, 'openAmount', 'openAmount is missing'],
		[{ amount: 'abc' }, 'amount', 'amount must be a number with a decimal point, e.g. 120.50 (got "abc")'],
		[{ currentLevel: 4 }, 'currentLevel', 'currentLevel 4 is beyond the policy, which has 3 stages'],
		[{ currentLevel: 1.5 }, 'currentLevel', 'currentLevel must be a whole number, 0 or more (got 1.5)'],
		[{ customerType: 'vip' }, 'customerType', 'customerType must be "consumer" or "business" (got "vip")'],
		[{ currency: '€' }, 'currency', 'currency must be a three-letter currency code (ISO 4217) such as EUR (got "€")'],
		[{ parked: 'maybe' }, 'parked', 'parked must be true or false (got "maybe")'],
		[{ email: ['a@example.test', 5] }, 'email', 'email must be text or a list of addresses (got ["a@example.test",5])'],
		[{ language: ['de', 'en'] }, 'language', 'language must be one language code such as de (got ["de","en"])'],
		[{ invoiceId: '' }, 'invoiceId', 'invoiceId is missing'],
		[{ lastDunnedAt: '2026-02-30' }, 'lastDunnedAt', 'lastDunnedAt "2026-02-30" is not a calendar date'],
		[{ firstDunnedAt: '31/12/2026' }, 'firstDunnedAt', 'firstDunnedAt "31/12/2026" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)'],
	])('rejects %j naming the field', (patch, field, message) => {
		const r = validateInvoice({ ...valid, ...patch }, compiled);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.problems).toEqual([{ field, message }]);
	});

	it('reports every problem, with the caller’s field names', () => {
		const r = validateInvoice({ invoiceId: 'A1', dueDate: 'x', openAmount: 'y' }, compiled, { dueDate: 'Fällig am', openAmount: 'Offen' });
		expect(!r.ok && r.problems.map((p) => p.message)).toEqual(['Offen must be a number with a decimal point, e.g. 120.50 (got "y")', 'Fällig am "x" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)']);
	});

	it('needs the invoice date only when a sales window is set', () => {
		const windowed = compilePolicy({ salesWindowDays: 90 });
		const r = validateInvoice(valid, windowed);
		expect(!r.ok && r.problems).toEqual([{ field: 'invoiceDate', message: 'invoiceDate is missing' }]);
	});
});

describe('invoice validation never throws', () => {
	it('names odd values instead of crashing on them', () => {
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		const r = validateInvoice({ invoiceId: 'A1', dueDate: cyclic, openAmount: BigInt(5) as unknown, parked: Symbol('x') as unknown }, compilePolicy({}));
		expect(!r.ok && r.problems.map((p) => p.message)).toEqual([
			'openAmount must be a number with a decimal point, e.g. 120.50 (got 5n)',
			'dueDate must be a date such as 2026-01-31 (got a value of type object)',
			'parked must be true or false (got a value of type symbol)',
		]);
	});

	it('accepts Date objects and timestamps with offsets', () => {
		const r = validateInvoice({ invoiceId: 'A1', dueDate: new Date('2026-10-14T22:30:00Z'), openAmount: 1, lastDunnedAt: '2026-11-01T23:30:00-05:00' }, compilePolicy({}));
		// 22:30 UTC on 14 Oct is 00:30 on the 15th in Berlin (CEST); 23:30 in New York on 1 Nov is 05:30 on the 2nd in Berlin.
		expect(r.ok && [r.invoice.dueDate, r.invoice.lastDunnedAt]).toEqual(['2026-10-15', '2026-11-02']);
	});
});

describe('InvoiceReader (validation for many invoices in a row)', () => {
	it('gives what validateInvoice gives, invoice after invoice, with problems only for the bad ones', () => {
		const reader = new InvoiceReader(compiled, { openAmount: 'Offen' });
		const inputs = [valid, { ...valid, openAmount: 'y', dueDate: 'x' }, { ...valid, invoiceId: 'A2', openAmount: ' 12.50 ', customerType: 'Business' }, valid];
		for (const input of inputs) {
			const expected = validateInvoice(input, compiled, { openAmount: 'Offen' });
			const invoice = reader.read(input);
			if (expected.ok) {
				expect(reader.problems).toBeNull();
				expect(invoice).toEqual(expected.invoice);
			} else {
				expect(invoice).toBeNull();
				expect(reader.problems).toEqual(expected.problems);
			}
		}
	});

	it('reuses one Invoice object, so callers must read it before the next call', () => {
		const reader = new InvoiceReader(compiled);
		const first = reader.read(valid);
		const second = reader.read({ ...valid, invoiceId: 'A2' });
		expect(second).toBe(first);
		expect(first?.invoiceId).toBe('A2');
	});
});

describe('bounds: amounts exact to the cent, dates plausible for the run day', () => {
	const RUN = '2026-11-23';
	const read = (patch: Record<string, unknown>) => validateInvoice({ ...valid, ...patch }, compiled, {}, RUN);

	it.each([
		[{ openAmount: 1e308 }, 'openAmount', 'openAmount is too large (got 1e+308): at most 10000000000000 is taken, so that totals stay exact to the cent'],
		[{ openAmount: '9'.repeat(400) }, 'openAmount', expect.stringMatching(/^openAmount must be a finite number/)],
		[{ amount: MAX_AMOUNT + 0.01 }, 'amount', expect.stringMatching(/^amount is too large \(got 10000000000000.01\)/)],
		[{ openAmount: '10000000000000.5' }, 'openAmount', expect.stringMatching(/^openAmount is too large/)],
		// What {{ parseFloat("1.234,56".replace(",", ".")) }}-style expressions give: named as they are, not as JSON's null.
		[{ openAmount: Number.NaN }, 'openAmount', 'openAmount must be a finite number (got NaN)'],
		[{ amount: Number.NEGATIVE_INFINITY }, 'amount', 'amount must be a finite number (got -Infinity)'],
		[{ openAmount: '0x1F' }, 'openAmount', 'openAmount must be a number with a decimal point, e.g. 120.50 (got "0x1F")'],
	])('refuses %j', (patch, field, message) => {
		const r = read(patch);
		expect(!r.ok && r.problems).toEqual([{ field, message }]);
	});

	it('takes the largest amount and more decimals than cents (rounded later, not refused)', () => {
		expect(read({ openAmount: MAX_AMOUNT }).ok).toBe(true);
		const r = read({ openAmount: '119.00000000000001', amount: 12.345 });
		expect(r.ok && [r.invoice.openAmount, r.invoice.amount]).toEqual([119.00000000000001, 12.345]);
	});

	it.each([
		[{ dueDate: '-000001-01-01' }, 'dueDate', 'dueDate "-000001-01-01" is not a plausible date: more than 10 years before the run day 2026-11-23 (a placeholder for "no date"? leave the field empty)'],
		[{ dueDate: '+010000-01-01' }, 'dueDate', expect.stringMatching(/^dueDate "\+010000-01-01" is not a plausible date: more than 10 years after the run day/)],
		[{ dueDate: '0000-01-01' }, 'dueDate', expect.stringMatching(/^dueDate "0000-01-01" is not a plausible date: more than 10 years before/)],
		[{ dueDate: '1900-01-01' }, 'dueDate', expect.stringMatching(/^dueDate "1900-01-01" is not a plausible date/)],
		[{ dueDate: '01.01.1900' }, 'dueDate', expect.stringMatching(/^dueDate "01.01.1900" is not a plausible date/)],
		[{ dueDate: new Date(0) }, 'dueDate', expect.stringMatching(/^dueDate "1970-01-01T00:00:00.000Z" is not a plausible date/)],
		[{ lastDunnedAt: '1900-01-01' }, 'lastDunnedAt', expect.stringMatching(/^lastDunnedAt "1900-01-01" is not a plausible date/)],
		[{ firstDunnedAt: '1900-01-01' }, 'firstDunnedAt', expect.stringMatching(/^firstDunnedAt "1900-01-01" is not a plausible date/)],
		[{ invoiceDate: '9999-12-31' }, 'invoiceDate', expect.stringMatching(/^invoiceDate "9999-12-31" is not a plausible date: more than 10 years after/)],
		[{ dueDate: '2016-11-22' }, 'dueDate', expect.stringMatching(/more than 10 years before the run day 2026-11-23/)],
		[{ dueDate: '2036-11-24' }, 'dueDate', expect.stringMatching(/more than 10 years after the run day 2026-11-23/)],
	])('refuses %j', (patch, field, message) => {
		const r = read(patch);
		expect(!r.ok && r.problems).toEqual([{ field, message }]);
	});

	it('takes dates up to 10 years either side of the run day, both ends included', () => {
		for (const dueDate of ['2016-11-23', '2036-11-23', '23.11.2016']) expect(read({ dueDate }).ok).toBe(true);
	});

	it('without a run day only the form is checked: years 0001 to 9999', () => {
		expect(validateInvoice({ ...valid, dueDate: '1900-01-01' }, compiled).ok).toBe(true);
		const r = validateInvoice({ ...valid, dueDate: '-000001-01-01' }, compiled);
		expect(!r.ok && r.problems).toEqual([{ field: 'dueDate', message: 'dueDate is not a date between the years 0001 and 9999 (got "-000001-01-01")' }]);
	});

	it('an input that is not an object has none of the fields', () => {
		for (const input of [null, undefined, 5, 'x']) {
			const r = validateInvoice(input as never, compiled, {}, RUN);
			expect(!r.ok && r.problems.map((p) => p.message)).toEqual(['invoiceId is missing', 'openAmount is missing', 'dueDate is missing']);
		}
	});
});
