import { compilePolicy, InvoiceReader, validateInvoice } from '../../lib/dunning';

const compiled = compilePolicy({});
const valid = { invoiceId: 'A1', dueDate: '2026-10-15', openAmount: 50 };

describe('invoice validation', () => {
	it('fills defaults for optional fields', () => {
		const r = validateInvoice(valid, compiled);
		expect(r).toEqual({
			ok: true,
			invoice: expect.objectContaining({ customerType: 'consumer', currency: 'EUR', currentLevel: 0, amount: 50, parked: false, email: null, lastDunnedAt: null }),
		});
	});

	it('normalises numeric strings, flags, codes and timestamps (in the policy timezone)', () => {
		const r = validateInvoice(
			{ ...valid, openAmount: ' 12.50 ', amount: '100', currency: 'chf', customerType: 'Business', currentLevel: '2', parked: 'no', emailBlocked: 'true', lastDunnedAt: '2026-03-28T23:30:00Z', dueDate: '15.10.2026' },
			compiled,
		);
		expect(r.ok && r.invoice).toMatchObject({ openAmount: 12.5, amount: 100, currency: 'CHF', customerType: 'business', currentLevel: 2, parked: false, emailBlocked: true, lastDunnedAt: '2026-03-29', dueDate: '2026-10-15' });
	});

	it.each([
		[{ dueDate: undefined }, 'dueDate', 'dueDate is missing'],
		[{ dueDate: 'soon' }, 'dueDate', 'dueDate "soon" is not a date (expected YYYY-MM-DD)'],
		[{ dueDate: '2023-02-29' }, 'dueDate', 'dueDate "2023-02-29" is not a calendar date'],
		[{ dueDate: 20261015 }, 'dueDate', 'dueDate must be a date such as 2026-01-31 (got 20261015)'],
		[{ openAmount: -3 }, 'openAmount', 'openAmount must not be negative (got -3)'],
		[{ openAmount: '12,50' }, 'openAmount', 'openAmount must be a number with a decimal point, e.g. 120.50 (got "12,50")'],
		[{ openAmount: undefined }, 'openAmount', 'openAmount is missing'],
		[{ amount: 'abc' }, 'amount', 'amount must be a number with a decimal point, e.g. 120.50 (got "abc")'],
		[{ currentLevel: 4 }, 'currentLevel', 'currentLevel 4 is beyond the policy, which has 3 stages'],
		[{ currentLevel: 1.5 }, 'currentLevel', 'currentLevel must be a whole number, 0 or more (got 1.5)'],
		[{ customerType: 'vip' }, 'customerType', 'customerType must be "consumer" or "business" (got "vip")'],
		[{ currency: '€' }, 'currency', 'currency must be a three-letter code such as EUR (got "€")'],
		[{ parked: 'maybe' }, 'parked', 'parked must be true or false (got "maybe")'],
		[{ invoiceId: '' }, 'invoiceId', 'invoiceId is missing'],
		[{ lastDunnedAt: '2026-02-30' }, 'lastDunnedAt', 'lastDunnedAt "2026-02-30" is not a calendar date'],
	])('rejects %j naming the field', (patch, field, message) => {
		const r = validateInvoice({ ...valid, ...patch }, compiled);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.problems).toEqual([{ field, message }]);
	});

	it('reports every problem, with the caller’s field names', () => {
		const r = validateInvoice({ invoiceId: 'A1', dueDate: 'x', openAmount: 'y' }, compiled, { dueDate: 'Fällig am', openAmount: 'Offen' });
		expect(!r.ok && r.problems.map((p) => p.message)).toEqual(['Offen must be a number with a decimal point, e.g. 120.50 (got "y")', 'Fällig am "x" is not a date (expected YYYY-MM-DD)']);
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
