import type { IDataObject } from 'n8n-workflow';

import { node, runWorkflow } from '../harness/engine';

/**
 * Compute Dunning Level through the real n8n engine counts the charges claimed on a customer's
 * invoices of one run together: a collective reminder's total paid and booked on one invoice
 * (A at 0, B at -10.00 with 5.00 claimed on each) is charges paid, and the customer's other
 * invoice is dunned. The row at 0 is read before the loop for its claimed charges.
 */
type Dunning = { action: string; reason: string | null; level: number; message: string | null };

const customer = { customerId: 'K-1', customerType: 'consumer', email: 'ap@kunde.example', currency: 'EUR' };
const member = { ...customer, dueDate: '2026-02-01', invoiceDate: '2026-01-20', amount: 100, currentLevel: 1, lastDunnedAt: '2026-04-01', claimedCharges: 5 };

async function decided(items: IDataObject[]): Promise<Record<string, Dunning>> {
	const r = await runWorkflow({
		nodes: [node('computeDunningLevel', 'Compute', { rules: { minOpenAmount: 5 }, options: { asOfDate: '2026-05-04' } })],
		input: { node: 'Compute', items: items.map((json) => ({ json })) },
	});
	expect(r.status).toBe('success');
	return Object.fromEntries(r.outputs('Compute').flat().map((i) => [i.json.invoiceId as string, i.json.dunning as Dunning]));
}

describe('Compute Dunning Level node: a collective reminder’s total booked on one invoice', () => {
	it('the surplus within the charges of the customer’s settled invoices is chargesPaid; the other invoice is dunned', async () => {
		// The other invoice first: the run is read whole before any decision.
		const out = await decided([
			{ ...customer, invoiceId: 'C', dueDate: '2026-03-01', invoiceDate: '2026-02-20', amount: 250, openAmount: 250, currentLevel: 0 },
			{ ...member, invoiceId: 'A', openAmount: 0 },
			{ ...member, invoiceId: 'B', openAmount: '-10.00', claimedCharges: '5.00' },
		]);
		expect(out.B).toMatchObject({ action: 'none', reason: 'chargesPaid' });
		expect(out.B.message).toContain('10.00 EUR claimed on this invoice and on invoice "A" (item 1) of the same customer');
		expect(out.C).toMatchObject({ action: 'send', level: 1, reason: null });
	});

	it('beyond those charges it stays a credit and holds the other invoice', async () => {
		const out = await decided([
			{ ...customer, invoiceId: 'C', dueDate: '2026-03-01', invoiceDate: '2026-02-20', amount: 250, openAmount: 250, currentLevel: 0 },
			{ ...member, invoiceId: 'A', openAmount: 0 },
			{ ...member, invoiceId: 'B', openAmount: -12 },
		]);
		expect(out.B).toMatchObject({ reason: 'credit' });
		expect(out.C).toMatchObject({ action: 'none', reason: 'customerCredit' });
		expect(out.C.message).toContain('a credit of -2.00 EUR');
	});
});
