import { feeBeforeConsumerDefault, GROUPED_FEES } from '../../lib/dunning/policy-warnings';
import { node, runWorkflow } from '../harness/engine';

/** Policy (JSON) keys the rules do not know, and warnings about the policy, through the real n8n engine. */
const invoice = { invoiceId: 'K1', dueDate: '2026-11-01', openAmount: 100, currency: 'EUR', customerType: 'consumer', email: 'kunde@example.test', currentLevel: 0 };

function compute(policy: Record<string, unknown>, options: Record<string, unknown> = {}) {
	return node('computeDunningLevel', 'Compute', { policySource: 'json', policyJson: JSON.stringify(policy), options: { asOfDate: '2026-11-23', ...options } });
}

describe('Compute Dunning Level: policy keys and warnings', () => {
	it('a misspelt setting stops the run naming it and the setting meant (it would silently take the default)', async () => {
		const r = await runWorkflow({ nodes: [compute({ paymentDeadlineDay: 14 })], input: { node: 'Compute', items: [{ json: invoice }] } });
		expect(r.status).toBe('error');
		expect(r.error?.message).toBe('Invalid dunning policy: "paymentDeadlineDay" is not a setting; did you mean "paymentDeadlineDays"? (a misspelt setting would silently take its default)');
	});

	it('a settings row\'s own columns are ignored, and every result says so', async () => {
		const r = await runWorkflow({ nodes: [compute({ id: 3, createdAt: '2026-11-01T00:00:00Z', paymentDeadlineDays: 14 })], input: { node: 'Compute', items: [{ json: invoice }] } });
		expect(r.status).toBe('success');
		const dunning = r.outputs('Compute')[0][0].json.dunning as { deadline: string; warnings: string[] };
		expect(dunning.deadline).toBe('2026-12-07');
		expect(dunning.warnings).toContain('Policy (JSON): "id", "createdAt" are no settings and were ignored. The settings are listed in the README, section "Policy (JSON) keys".');
	});

	it('Group by Customer with stage fees: every result warns that a collective reminder asks for each invoice\'s fee', async () => {
		const policy = { stages: [{ name: 'Erinnerung' }, { name: 'Mahnung', fee: 5, chargeInterest: true }] };
		const items = [{ json: { ...invoice, customerId: 'C1' } }, { json: { ...invoice, invoiceId: 'K2', customerId: 'C1' } }];
		const grouped = await runWorkflow({ nodes: [compute(policy, { groupByCustomer: true })], input: { node: 'Compute', items } });
		const group = grouped.outputs('Compute')[0];
		expect(group).toHaveLength(1);
		expect((group[0].json.dunning as { warnings: string[] }).warnings).toContain(GROUPED_FEES);
		const single = await runWorkflow({ nodes: [compute(policy)], input: { node: 'Compute', items } });
		expect(single.outputs('Compute')[0].map((i) => (i.json.dunning as { warnings: string[] }).warnings)).toEqual([[], []]);
	});

	it('a fee on a first reminder sent after day 30 warns only when the run has consumers (businesses are in default by then, §286(3) BGB)', async () => {
		const policy = { graceDays: 10, stages: [{ name: 'Mahnung', daysAfterPrevious: 25, fee: 5, chargeInterest: true }] };
		const warningsOf = async (types: string[]) => {
			const items = types.map((customerType, n) => ({ json: { ...invoice, invoiceId: `K${n}`, customerType } }));
			const r = await runWorkflow({ nodes: [compute(policy)], input: { node: 'Compute', items } });
			return r.outputs('Compute').flat().map((i) => (i.json.dunning as { warnings: string[] }).warnings);
		};
		const warning = feeBeforeConsumerDefault('Mahnung', 5, 35);
		expect(await warningsOf(['business', 'business'])).toEqual([[], []]);
		expect(await warningsOf(['business', 'consumer'])).toEqual([[warning], [warning]]);
	});
});
