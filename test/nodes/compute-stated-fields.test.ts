import type { IDataObject } from 'n8n-workflow';

import { ComputeDunningLevel } from '../../nodes/ComputeDunningLevel/ComputeDunningLevel.node';
import { node, runWorkflow } from '../harness/engine';

/**
 * Compute Dunning Level through the real n8n engine reads the Claimed Charges, Last Reminder Deadline
 * and First Reminder Deadline of each invoice (renamed too), as it reads lastDunnedAt.
 * Default stages (7 days each, interest from level 2); Payment Deadline 7 days now.
 */
type Dunning = { action: string; reason: string | null; level: number; flatFee: number; interest: number; nextActionDate: string | null; message: string; invalidFields?: string[]; interestPeriods: Array<{ from: string }> };

function compute(asOfDate: string, fieldNames: Record<string, string> = {}) {
	return node('computeDunningLevel', 'Compute', { rules: { minOpenAmount: 5 }, options: { asOfDate }, fieldNames });
}

async function decided(asOfDate: string, items: IDataObject[], fieldNames: Record<string, string> = {}): Promise<Record<string, Dunning>> {
	const r = await runWorkflow({ nodes: [compute(asOfDate, fieldNames)], input: { node: 'Compute', items: items.map((json) => ({ json })) } });
	expect(r.status).toBe('success');
	return Object.fromEntries(r.outputs('Compute').flat().map((i) => [i.json.invoiceId as string, i.json.dunning as Dunning]));
}

const customer = { customerId: 'K-1', customerType: 'business', email: 'ap@kunde.example', currency: 'EUR' };
const paid = { ...customer, invoiceId: 'INV-1', dueDate: '2026-01-15', invoiceDate: '2026-01-01', amount: 1000, openAmount: -43.94, currentLevel: 2, lastDunnedAt: '2026-03-02' };
const other = { ...customer, invoiceId: 'INV-2', dueDate: '2026-03-01', invoiceDate: '2026-02-15', amount: 800, openAmount: 800, currentLevel: 0 };
// Level 1 sent 2 March with 14 days ("pay by 16 March"); the setting is 7 days now.
const levelOne = { ...customer, invoiceId: 'INV-3', dueDate: '2026-02-25', invoiceDate: '2026-02-20', amount: 1000, openAmount: 1000, currentLevel: 1, lastDunnedAt: '2026-03-02' };

describe('Compute Dunning Level node: claimed charges and stated deadlines', () => {
	it('lists the three fields under Field Names with their default names', () => {
		const fieldNames = new ComputeDunningLevel().description.properties.find((p) => p.name === 'fieldNames');
		const options = (fieldNames?.options ?? []) as Array<{ name: string; displayName: string; default: string }>;
		expect(options.filter((o) => ['claimedCharges', 'lastDeadline', 'firstDeadline'].includes(o.name)).map((o) => [o.name, o.displayName, o.default])).toEqual([
			['claimedCharges', 'Claimed Charges Field', 'claimedCharges'],
			['firstDeadline', 'First Reminder Deadline Field', 'firstDeadline'],
			['lastDeadline', 'Last Reminder Deadline Field', 'lastDeadline'],
		]);
	});

	it('a reminder’s total paid with its charges is chargesPaid and holds no other invoice; a larger overpayment stays a credit', async () => {
		const exact = await decided('2026-03-20', [{ ...paid, claimedCharges: 43.94 }, other]);
		expect(exact['INV-1']).toMatchObject({ action: 'none', reason: 'chargesPaid' });
		expect(exact['INV-2']).toMatchObject({ action: 'send', level: 1 });
		const over = await decided('2026-03-20', [{ ...paid, openAmount: -100, claimedCharges: '43.94' }, other]);
		expect(over['INV-1']).toMatchObject({ reason: 'credit', message: expect.stringContaining('the 56.06 EUR beyond them are a credit') });
		expect(over['INV-2']).toMatchObject({ reason: 'customerCredit', message: expect.stringContaining('has a credit of -56.06 EUR') });
	});

	it('reads renamed fields: the next stage waits for the stated deadline, default starts after the first one', async () => {
		const names = { claimedCharges: 'Mahnkosten', lastDeadline: 'letzteFrist', firstDeadline: 'ersteFrist' };
		const early = await decided('2026-03-10', [{ ...levelOne, letzteFrist: '16.03.2026' }], names);
		// Pay by Monday 16 March; Days for Payment to Arrive (2 business days by default): Tuesday and Wednesday.
		expect(early['INV-3']).toMatchObject({ action: 'none', reason: 'waiting', flatFee: 0, interest: 0, nextActionDate: '2026-03-19' });
		const arriving = await decided('2026-03-17', [{ ...levelOne, letzteFrist: '2026-03-16' }], names);
		expect(arriving['INV-3']).toMatchObject({ action: 'none', reason: 'waiting', level: 1, flatFee: 0, interest: 0, nextActionDate: '2026-03-19' });
		expect(arriving['INV-3'].message).toContain('the next stage waits while a payment made by then may still arrive, up to and including 2026-03-18 (Days for Payment to Arrive: 2 business days after the deadline;');
		const due = await decided('2026-03-19', [{ ...levelOne, letzteFrist: '2026-03-16' }], names);
		expect(due['INV-3']).toMatchObject({ action: 'send', level: 2, flatFee: 40 });
		// Default, and interest, from the day after the deadline all the same.
		expect(due['INV-3'].interestPeriods.map((p) => p.from)).toEqual(['2026-03-17']);
		// Level 3: the first reminder said 7 days (pay by 17 February) although today's setting is 14.
		const levelTwo = { ...levelOne, customerType: 'consumer', dueDate: '2026-02-01', invoiceDate: '2026-01-18', currentLevel: 2, lastDunnedAt: '2026-02-25', firstDunnedAt: '2026-02-10' };
		const r = await runWorkflow({
			nodes: [node('computeDunningLevel', 'Compute', { rules: { paymentDeadlineDays: 14 }, options: { asOfDate: '2026-03-20' }, fieldNames: names })],
			input: { node: 'Compute', items: [{ json: { ...levelTwo, ersteFrist: '2026-02-17', letzteFrist: '2026-03-11' } }] },
		});
		expect((r.items('Compute', 0)[0]?.json.dunning as Dunning).interestPeriods.map((p) => p.from)).toEqual(['2026-02-18']);
	});

	it('names a renamed field that is no date, and negative charges, in the item’s No Action message', async () => {
		const names = { claimedCharges: 'Mahnkosten', lastDeadline: 'letzteFrist' };
		const d = await decided('2026-03-20', [{ ...levelOne, letzteFrist: 'bald', Mahnkosten: -1 }], names);
		expect(d['INV-3']).toMatchObject({ action: 'none', reason: 'invalidInput', invalidFields: ['lastDeadline', 'claimedCharges'] });
		expect(d['INV-3'].message).toBe(
			'letzteFrist "bald" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00); Mahnkosten must be 0 or more: the fees, flat fee and interest the reminders claimed (got -1)',
		);
	});
});
