import { checkAgainstRun, createDecider, CustomerCredits, RepeatedInvoices, wouldDun, type Invoice } from '../../lib/dunning';
import { invoice } from './helpers';

const TODAY = '2026-11-23';

describe('repeated invoice rows (RepeatedInvoices)', () => {
	it('finds a later row with the same ID, due date, open amount and currency, and names the first', () => {
		const seen = new RepeatedInvoices();
		expect(seen.firstPosition(invoice({ invoiceId: 'A' }), 0)).toBe(-1);
		expect(seen.firstPosition(invoice({ invoiceId: 'B' }), 1)).toBe(-1);
		expect(seen.firstPosition(invoice({ invoiceId: 'A' }), 2)).toBe(0);
		// The same amount in cents is the same amount (ERP float noise).
		expect(seen.firstPosition(invoice({ invoiceId: 'A', openAmount: 100.000000001 }), 3)).toBe(0);
	});

	it('keeps instalments apart: the same ID with another due date, amount or currency is another open item', () => {
		const seen = new RepeatedInvoices();
		const rows: Array<Partial<Invoice>> = [
			{ dueDate: '2026-10-15' },
			{ dueDate: '2026-11-15' },
			{ dueDate: '2026-10-15', openAmount: 50 },
			{ dueDate: '2026-10-15', currency: 'CHF' },
		];
		rows.forEach((row, k) => expect(seen.firstPosition(invoice({ invoiceId: 'A', ...row }), k)).toBe(-1));
		// A repeat of the second instalment names that one, not the first row of the ID.
		expect(seen.firstPosition(invoice({ invoiceId: 'A', dueDate: '2026-11-15' }), 4)).toBe(1);
		expect(seen.firstPosition(invoice({ invoiceId: 'A', dueDate: '2026-10-15' }), 5)).toBe(0);
	});
});

describe('customer credits (CustomerCredits)', () => {
	it('finds a credit of the same customer in the same currency only', () => {
		const credits = new CustomerCredits();
		credits.add(invoice({ invoiceId: 'GS-1', customerId: 'C1', openAmount: -250 }), 4);
		credits.add(invoice({ invoiceId: 'GS-2', customerId: 'C1', openAmount: -10 }), 5);
		credits.add(invoice({ invoiceId: 'RE-9', customerId: 'C2', openAmount: 90 }), 6);
		// No customer ID: nothing links the credit to other invoices.
		credits.add(invoice({ invoiceId: 'GS-3', customerId: null, openAmount: -5 }), 7);
		// Rounds to 0.00 EUR: paid, not a credit.
		credits.add(invoice({ invoiceId: 'GS-4', customerId: 'C3', openAmount: -0.004 }), 8);
		expect(credits.size).toBe(1);
		expect(credits.find(invoice({ customerId: 'C1' }))).toEqual({ invoiceId: 'GS-1', position: 4, openAmount: -250, currency: 'EUR' });
		expect(credits.find(invoice({ customerId: 'C1', currency: 'USD' }))).toBeUndefined();
		expect(credits.find(invoice({ customerId: 'C2' }))).toBeUndefined();
		expect(credits.find(invoice({ customerId: 'C3' }))).toBeUndefined();
		expect(credits.find(invoice({ customerId: null }))).toBeUndefined();
	});
});

describe('an invoice checked against its run (checkAgainstRun)', () => {
	const decider = createDecider({ stages: [{ name: 'Reminder' }, { name: 'Inkasso', channel: 'none' }] }, TODAY);
	const overdue = { dueDate: '2026-10-01', customerId: 'C1' };

	it('holds back a repeated row as duplicate, naming both items; the first is decided as it is', () => {
		const repeated = new RepeatedInvoices();
		const credits = new CustomerCredits();
		const first = decider.decide(invoice({ ...overdue, invoiceId: 'A' }));
		expect(checkAgainstRun(decider, invoice({ ...overdue, invoiceId: 'A' }), first, 1, repeated, credits)).toBe(first);
		const again = checkAgainstRun(decider, invoice({ ...overdue, invoiceId: 'A' }), decider.decide(invoice({ ...overdue, invoiceId: 'A' })), 3, repeated, credits);
		expect(again).toMatchObject({
			action: 'none',
			reason: 'duplicate',
			level: 0,
			totalDue: 100,
			message: 'Item 3: invoice "A" is also item 1 (same due date, open amount and currency); only item 1 is dunned',
		});
	});

	it('holds back what would dun a customer with a credit in its currency, naming the credit; leaves the rest', () => {
		const credits = new CustomerCredits();
		credits.add(invoice({ invoiceId: 'GS-1', customerId: 'C1', openAmount: -250 }), 7);
		const check = (patch: Partial<Invoice>) => {
			const inv = invoice({ ...overdue, ...patch });
			return checkAgainstRun(decider, inv, decider.decide(inv), 0, new RepeatedInvoices(), credits);
		};
		expect(check({})).toMatchObject({
			action: 'none',
			reason: 'customerCredit',
			level: 0,
			message: 'customer "C1" has a credit of -250.00 EUR on invoice "GS-1" (item 7): settle it with the customer (offset or pay it back) before this invoice is dunned',
		});
		// A stage without channel counts a level (a handover to collection): held back too.
		const noChannel = check({ currentLevel: 1, lastDunnedAt: '2026-11-01' });
		expect(noChannel).toMatchObject({ reason: 'customerCredit', level: 1, previousLevel: 1 });
		// Not due anyway, another currency, another customer, no customer ID: decided as they are.
		expect(check({ dueDate: '2026-11-20' })).toMatchObject({ reason: 'waiting' });
		expect(check({ currency: 'USD' })).toMatchObject({ action: 'send' });
		expect(check({ customerId: 'C2' })).toMatchObject({ action: 'send' });
		expect(check({ customerId: null })).toMatchObject({ action: 'send' });
		// The credit itself stays a credit.
		expect(check({ invoiceId: 'GS-1', openAmount: -250 })).toMatchObject({ reason: 'credit' });
	});

	it('wouldDun: a reminder by e-mail or letter, or a stage that counts its level without channel', () => {
		expect(wouldDun(decider.decide(invoice(overdue)))).toBe(true);
		expect(wouldDun(decider.decide(invoice({ ...overdue, currentLevel: 1, lastDunnedAt: '2026-11-01' })))).toBe(true);
		expect(wouldDun(decider.decide(invoice({ ...overdue, parked: true })))).toBe(false);
	});

	it('holds back a second instalment of an invoice ID reminded at the same level, not one at another level, nor when grouping', () => {
		// Grouped: the collective reminder is named by the e-mail address here (as a customer's departments are).
		const check = (repeated: RepeatedInvoices, row: Partial<Invoice>, position: number, grouping = false) =>
			checkAgainstRun(decider, invoice({ ...overdue, invoiceId: 'A', ...row }), decider.decide(invoice({ ...overdue, invoiceId: 'A', ...row })), position, repeated, new CustomerCredits(), grouping ? () => String(row.email ?? 'one') : undefined);
		const repeated = new RepeatedInvoices();
		expect(check(repeated, {}, 0)).toMatchObject({ action: 'send', level: 1 });
		expect(check(repeated, { dueDate: '2026-10-15', openAmount: 40 }, 1)).toMatchObject({ action: 'none', reason: 'sameInvoiceId', level: 0, totalDue: 40 });
		// Another level: another reminder, another key.
		const twoStages = createDecider({ stages: [{ name: 'Erinnerung' }, { name: '1. Mahnung' }] }, TODAY);
		const second = invoice({ ...overdue, invoiceId: 'A', dueDate: '2026-09-01', currentLevel: 1, lastDunnedAt: '2026-10-01' });
		expect(checkAgainstRun(twoStages, second, twoStages.decide(second), 2, repeated, new CustomerCredits())).toMatchObject({ action: 'send', level: 2 });
		// Not due: nothing is reminded, so nothing collides.
		const fresh = new RepeatedInvoices();
		expect(check(fresh, { dueDate: '2026-12-15' }, 0)).toMatchObject({ action: 'none', reason: 'notDue' });
		expect(check(fresh, { dueDate: '2026-10-15' }, 1)).toMatchObject({ action: 'send', level: 1 });
		// Grouped, one collective reminder lists both; two reminders (another address) would not.
		const grouped = new RepeatedInvoices();
		expect(check(grouped, {}, 0, true)).toMatchObject({ action: 'send' });
		expect(check(grouped, { dueDate: '2026-10-15' }, 1, true)).toMatchObject({ action: 'send' });
		expect(check(grouped, { dueDate: '2026-10-20', email: 'einkauf@kunde.example' }, 2, true)).toMatchObject({ action: 'none', reason: 'sameInvoiceId' });
	});
});
