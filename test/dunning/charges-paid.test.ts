import { checkAgainstRun, createDecider, CustomerCredits, isCredit, RepeatedInvoices } from '../../lib/dunning';
import { belowZero } from '../../lib/dunning/charges';
import { invoice } from './helpers';

/**
 * A customer pays exactly what a reminder asked (open 1000 + flat fee 40 + interest 3.94 = 1043.94)
 * and the ledger books it against the invoice: its open amount is -43.94. With the charges the
 * reminders claimed on file (claimedCharges) that is no credit to pay back and holds nothing.
 */
const TODAY = '2026-03-20';
const decider = createDecider({ minOpenAmount: 5 }, TODAY);
const paidReminder = { invoiceId: 'INV-1', customerId: 'K-1', customerType: 'business' as const, dueDate: '2026-01-15', currentLevel: 2, lastDunnedAt: '2026-03-02' };
const other = invoice({ invoiceId: 'INV-2', customerId: 'K-1', customerType: 'business', dueDate: '2026-03-01', openAmount: 800 });

function decideInRun(rows: Array<ReturnType<typeof invoice>>) {
	const credits = new CustomerCredits();
	rows.forEach((row, i) => credits.add(row, i));
	const repeated = new RepeatedInvoices();
	return rows.map((row, i) => checkAgainstRun(decider, row, decider.decide(row), i, repeated, credits));
}

describe('a reminder total paid with its charges (claimedCharges)', () => {
	it('is chargesPaid, not a credit, and the customer’s other overdue invoice is dunned', () => {
		const paid = invoice({ ...paidReminder, openAmount: -43.94, claimedCharges: 43.94 });
		expect(isCredit(paid)).toBe(false);
		const [own, second] = decideInRun([paid, other]);
		expect(own).toMatchObject({ action: 'none', reason: 'chargesPaid', level: 2, fee: 0, flatFee: 0, interest: 0, nextActionDate: null });
		expect(own.message).toBe(
			"the open amount is -43.94 EUR: the customer paid a reminder's total including its charges (fees, flat fee, interest: 43.94 EUR claimed), booked against the invoice. " +
				'That is not a credit and nothing is paid back: book the 43.94 EUR as dunning charges received to close the invoice. It is not dunned',
		);
		expect(second).toMatchObject({ action: 'send', level: 1, reason: null });
	});

	it('takes a cent beyond the charges as rounding, and part of the charges as charges too', () => {
		expect(decider.decide(invoice({ ...paidReminder, openAmount: -43.95, claimedCharges: 43.94 }))).toMatchObject({ reason: 'chargesPaid' });
		const part = decider.decide(invoice({ ...paidReminder, openAmount: -20, claimedCharges: 43.94 }));
		expect(part).toMatchObject({ reason: 'chargesPaid' });
		expect(part.message).toMatch(/^the open amount is -20\.00 EUR: the customer paid the invoice and 20\.00 EUR of the 43\.94 EUR of charges/);
		// In whole yen the rounding allowance is one yen.
		expect(belowZero({ openAmount: -501, currency: 'JPY', claimedCharges: 500 })).toEqual({ paidMinor: 501, claimedMinor: 500, creditMinor: 0 });
		expect(belowZero({ openAmount: -502, currency: 'JPY', claimedCharges: 500 })).toEqual({ paidMinor: 502, claimedMinor: 500, creditMinor: 2 });
	});

	it('keeps a larger overpayment a credit, naming only the excess beyond the charges, and holds the customer’s other invoices for it', () => {
		const over = invoice({ ...paidReminder, openAmount: -100, claimedCharges: 43.94 });
		const [own, second] = decideInRun([over, other]);
		expect(own).toMatchObject({ action: 'none', reason: 'credit', openAmount: -100 });
		expect(own.message).toBe(
			"the open amount is -100.00 EUR: 43.94 EUR of it are the charges (fees, flat fee, interest) the reminders claimed, paid with a reminder's total; " +
				'the 56.06 EUR beyond them are a credit (an overpayment or a credit note): settle that with the customer (pay it back or offset it), it is not dunned',
		);
		expect(second).toMatchObject({ action: 'none', reason: 'customerCredit' });
		expect(second.message).toBe(
			'customer "K-1" has a credit of -56.06 EUR (beyond the 43.94 EUR of reminder charges paid on it) on invoice "INV-1" (item 0): settle it with the customer (offset or pay it back) before this invoice is dunned',
		);
	});

	it('without claimed charges on file, any amount below zero stays a credit as before', () => {
		const [own, second] = decideInRun([invoice({ ...paidReminder, openAmount: -43.94 }), other]);
		expect(own).toMatchObject({ reason: 'credit', message: expect.stringMatching(/^the open amount is -43\.94 EUR: a credit note or an overpaid invoice/) });
		expect(second).toMatchObject({ reason: 'customerCredit', message: expect.stringContaining('has a credit of -43.94 EUR on invoice "INV-1"') });
	});
});
