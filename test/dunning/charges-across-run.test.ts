/**
 * The charges the reminders claimed count per customer and currency across a run: a collective
 * reminder's total, paid and booked on one of its invoices, leaves that one below zero by the
 * charges of all; that is charges paid, not a credit that holds the customer's other invoices.
 * And a Swiss franc total rounded to 5 Rappen is rounding, not a credit.
 */
import { checkAgainstRun, createDecider, CustomerCredits, InvoiceInputError, RepeatedInvoices, type Invoice } from '../../lib/dunning';
import { belowZero, roundingToleranceMinor } from '../../lib/dunning/charges';
import { invoice } from './helpers';

const decider = createDecider({}, '2026-05-04');
const member = { customerId: 'K1', currency: 'EUR', dueDate: '2026-02-01', amount: 100, currentLevel: 1, lastDunnedAt: '2026-04-01', claimedCharges: 5 };
const third = invoice({ ...member, invoiceId: 'C', openAmount: 250, currentLevel: 0, lastDunnedAt: null, claimedCharges: 0 });

function run(rows: Invoice[]) {
	const credits = new CustomerCredits();
	rows.forEach((row, i) => credits.add(row, i));
	const repeated = new RepeatedInvoices();
	return Object.fromEntries(rows.map((row, i) => [`${row.invoiceId}@${i}`, checkAgainstRun(decider, row, decider.decide(row), i, repeated, credits)]));
}

describe('a collective reminder’s total booked on one invoice', () => {
	test('the surplus within the charges claimed on the customer’s settled invoices is charges paid; the other invoice is dunned', () => {
		const out = run([invoice({ ...member, invoiceId: 'A', openAmount: 0 }), invoice({ ...member, invoiceId: 'B', openAmount: -10 }), third]);
		expect(out['A@0']).toMatchObject({ reason: 'paid' });
		expect(out['B@1']).toMatchObject({ action: 'none', level: 1, reason: 'chargesPaid', nextActionDate: null });
		expect(out['B@1'].message).toBe(
			`the open amount is -10.00 EUR: the customer paid a collective reminder's total including its charges (fees, flat fee, interest: 10.00 EUR claimed on this invoice and on invoice "A" (item 0) of the same customer), booked against the invoice. ` +
				'That is not a credit and nothing is paid back: book the 10.00 EUR as dunning charges received to close the invoice. It is not dunned',
		);
		expect(out['C@2']).toMatchObject({ action: 'send', level: 1 });
	});

	test('only the excess beyond all those charges is a credit, named with the charges it is beyond', () => {
		const out = run([third, invoice({ ...member, invoiceId: 'A', openAmount: 0 }), invoice({ ...member, invoiceId: 'B', openAmount: -13 })]);
		expect(out['B@2']).toMatchObject({ reason: 'credit' });
		expect(out['B@2'].message).toMatch(/^the open amount is -13\.00 EUR: 10\.00 EUR of it are the charges .* claimed on this invoice and on invoice "A" \(item 1\) of the same customer, paid with a collective reminder's total; the 3\.00 EUR beyond them are a credit/);
		expect(out['C@0']).toMatchObject({ reason: 'customerCredit' });
		expect(out['C@0'].message).toContain('has a credit of -3.00 EUR (beyond the 10.00 EUR of reminder charges paid on it) on invoice "B" (item 2)');
	});

	test('charges of an invoice still open are owed on it, and a repeated row counts once', () => {
		const open = run([invoice({ ...member, invoiceId: 'A', openAmount: 100 }), invoice({ ...member, invoiceId: 'B', openAmount: -10 }), third]);
		expect(open['B@1']).toMatchObject({ reason: 'credit' });
		expect(open['C@2']).toMatchObject({ reason: 'customerCredit' });
		const a = invoice({ ...member, invoiceId: 'A', openAmount: 0 });
		const twice = run([a, a, invoice({ ...member, invoiceId: 'B', openAmount: -15 }), third]);
		expect(twice['B@2']).toMatchObject({ reason: 'credit' });
		expect(twice['C@3']).toMatchObject({ reason: 'customerCredit' });
	});

	test('another customer’s or another currency’s charges do not count', () => {
		const out = run([invoice({ ...member, invoiceId: 'A', openAmount: 0, customerId: 'K2' }), invoice({ ...member, invoiceId: 'D', openAmount: 0, currency: 'USD' }), invoice({ ...member, invoiceId: 'B', openAmount: -10 }), third]);
		expect(out['B@2']).toMatchObject({ reason: 'credit' });
		expect(out['C@3']).toMatchObject({ reason: 'customerCredit' });
	});
});

describe('Swiss francs paid rounded to 5 Rappen', () => {
	const chf = { ...member, invoiceId: 'CH-1', currency: 'CHF', currentLevel: 2, claimedCharges: 5 };

	test('123.47 asked, 123.50 paid (up to 4 Rappen over the charges) is charges paid; 5 Rappen is a credit', () => {
		expect(roundingToleranceMinor('CHF')).toBe(4);
		expect(decider.decide(invoice({ ...chf, openAmount: -5.03 }))).toMatchObject({ reason: 'chargesPaid' });
		expect(decider.decide(invoice({ ...chf, openAmount: -5.04 }))).toMatchObject({ reason: 'chargesPaid' });
		expect(decider.decide(invoice({ ...chf, openAmount: -5.05 }))).toMatchObject({ reason: 'credit' });
	});

	test('other currencies keep one minor unit', () => {
		expect(belowZero({ openAmount: -5.02, currency: 'EUR', claimedCharges: 5 })).toEqual({ paidMinor: 502, claimedMinor: 500, creditMinor: 2 });
		expect(belowZero({ openAmount: -5.01, currency: 'EUR', claimedCharges: 5 })).toMatchObject({ creditMinor: 0 });
	});

	test('an amount below zero without claimed charges stays a credit, CHF too', () => {
		expect(decider.decide(invoice({ ...chf, openAmount: -0.03, claimedCharges: 0 }))).toMatchObject({ reason: 'credit' });
	});
});

describe('an invoice without a due date', () => {
	test('below zero: a credit with nothing to count from', () => {
		expect(decider.decide(invoice({ dueDate: '', openAmount: -20 }))).toMatchObject({ action: 'none', reason: 'credit', daysOverdue: 0, dueSince: null });
	});

	test('not below zero (validation never lets one through): refused naming the due date, not taken for a credit', () => {
		expect(() => decider.decide(invoice({ dueDate: '', openAmount: 20 }))).toThrow(InvoiceInputError);
		expect(() => decider.decide(invoice({ dueDate: '', openAmount: 20 }))).toThrow(/dueDate must be YYYY-MM-DD/);
	});
});
