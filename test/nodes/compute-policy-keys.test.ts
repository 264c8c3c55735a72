import { node, runWorkflow } from '../harness/engine';

/** Policy (JSON) with keys the rules do not know, through the real n8n engine. */
const invoice = { invoiceId: 'K1', dueDate: '2026-11-01', openAmount: 100, currency: 'EUR', customerType: 'consumer', email: 'kunde@example.test', currentLevel: 0 };

function compute(policy: Record<string, unknown>) {
	return node('computeDunningLevel', 'Compute', { policySource: 'json', policyJson: JSON.stringify(policy), options: { asOfDate: '2026-11-23' } });
}

describe('Compute Dunning Level: unknown keys in Policy (JSON)', () => {
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
});
