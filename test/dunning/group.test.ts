import { createDecider, groupByCustomer } from '../../lib/dunning';
import { invoice } from './helpers';

describe('grouping by customer', () => {
	const decider = createDecider({ stages: [{ name: 'Mahnung', fee: 2.5 }, { name: 'Zweite', fee: 5 }] }, '2026-11-23');

	it('makes one group per customer, action, level and currency with exact totals', () => {
		const invoices = [
			invoice({ invoiceId: 'A1', customerId: 'A', openAmount: 10.1, dueDate: '2026-11-01' }),
			invoice({ invoiceId: 'B1', customerId: 'B', openAmount: 99, dueDate: '2026-11-01' }),
			invoice({ invoiceId: 'A2', customerId: 'A', openAmount: 20.2, dueDate: '2026-11-10' }),
			invoice({ invoiceId: 'A3', customerId: 'A', openAmount: 5, dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-01' }),
			invoice({ invoiceId: 'A4', customerId: 'A', openAmount: 7, dueDate: '2026-11-01', currency: 'CHF' }),
		];
		const groups = groupByCustomer(invoices.map((inv) => ({ customerKey: inv.customerId!, customerId: inv.customerId, email: inv.email, decision: decider.decide(inv), item: inv.invoiceId })));
		expect(groups.map((g) => [g.customerKey, g.level, g.currency, g.members])).toEqual([
			['A', 1, 'EUR', ['A1', 'A2']],
			['B', 1, 'EUR', ['B1']],
			['A', 2, 'EUR', ['A3']],
			['A', 1, 'CHF', ['A4']],
		]);
		// 10.10 + 20.20 = 30.30 exactly (not 30.299999…); fees 2 × 2.50; total 35.30
		expect(groups[0]).toMatchObject({ count: 2, openAmount: 30.3, fee: 5, totalDue: 35.3, action: 'send', stageName: 'Mahnung', deadline: '2026-11-30' });
		// Level 2 asks for the first reminder's fee too: 2.50 + 5.00.
		expect(groups[2]).toMatchObject({ fee: 7.5, totalDue: 12.5 });
	});

	it('adds a group’s amounts in its currency’s smallest unit (fils kept, not rounded to cents)', () => {
		const invoices = ['K1', 'K2'].map((invoiceId) => invoice({ invoiceId, customerId: 'K', openAmount: 10.125, dueDate: '2026-11-01', currency: 'KWD' }));
		const [group] = groupByCustomer(invoices.map((inv) => ({ customerKey: 'K', customerId: 'K', email: inv.email, decision: decider.decide(inv), item: inv.invoiceId })));
		// 10.125 + 10.125 = 20.25 (in cents each was 10.13, the sum 20.26); fees 2 × 2.500.
		expect(group).toMatchObject({ currency: 'KWD', openAmount: 20.25, fee: 5, totalDue: 25.25 });
	});

	it('keeps e-mail and paper reminders of one customer apart', () => {
		const entries = [
			invoice({ invoiceId: 'A1', customerId: 'A', dueDate: '2026-11-01' }),
			invoice({ invoiceId: 'A2', customerId: 'A', dueDate: '2026-11-01', email: null }),
		].map((inv) => ({ customerKey: 'A', customerId: 'A', email: inv.email, decision: decider.decide(inv), item: inv.invoiceId }));
		expect(groupByCustomer(entries).map((g) => [g.action, g.members])).toEqual([
			['send', ['A1']],
			['paper', ['A2']],
		]);
	});

	it('an e-mail reminder goes to one address list: a customer\'s invoice with another address is another reminder; a customer id that reads as an e-mail is no one else\'s group', () => {
		const entry = (invoiceId: string, customerId: string | null, email: string) => {
			const inv = invoice({ invoiceId, customerId, email, dueDate: '2026-11-01' });
			return { customerKey: customerId ?? email, customerId, email: inv.email, decision: decider.decide(inv), item: invoiceId };
		};
		const groups = groupByCustomer([
			entry('A1', 'A', 'buchhaltung@a.example'),
			entry('A2', 'A', ' Buchhaltung@A.example'),
			entry('A3', 'A', 'werk2@a.example'),
			entry('B1', null, 'shared@example.de'),
			entry('B2', 'shared@example.de', 'shared@example.de'),
		]);
		expect(groups.map((g) => [g.customerId, g.members])).toEqual([
			['A', ['A1', 'A2']],
			['A', ['A3']],
			[null, ['B1']],
			['shared@example.de', ['B2']],
		]);
		// The same addresses in another case, order or with names are one list, with a customer id or without.
		const same = groupByCustomer([
			entry('C1', null, 'A@x.example, b@x.example'),
			entry('C2', null, '"Buchhaltung" <a@x.example>; B@X.example'),
			entry('D1', 'D', 'a@d.example,b@d.example'),
			entry('D2', 'D', 'B@d.example, A@d.example'),
		]);
		expect(same.map((g) => g.members)).toEqual([
			['C1', 'C2'],
			['D1', 'D2'],
		]);
	});
});
