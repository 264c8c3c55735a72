/**
 * DunningDecision.finalReminder: whether the customer gets nothing after a reminder at the
 * decision's level, so that its text may say "for the last time". Not the same as "no next stage":
 * a last stage that sends nothing (a hand-over to a collection agency) still has a next-stage date.
 */
import { compilePolicy, createDecider, groupByCustomer, type DunningDecision, type DunningPolicyInput, type StageChannel } from '../../lib/dunning';
import { node, runWorkflow } from '../harness/engine';
import { invoice } from './helpers';

const TODAY = '2026-11-23';
const stagesOf = (...channels: StageChannel[]): DunningPolicyInput => ({ stages: channels.map((channel, i) => ({ name: `Stage ${i + 1}`, daysAfterPrevious: 7, channel })) });
/** Stages 1–3 by e-mail, stage 4 a hand-over that sends nothing. */
const HANDOVER = stagesOf('email', 'email', 'email', 'none');

/** The decision for an invoice at `current` (well past every day, so the next stage is due). */
function decideAt(policy: DunningPolicyInput, current: number, over: Parameters<typeof invoice>[0] = {}): DunningDecision {
	const lastDunnedAt = current > 0 ? '2026-10-01' : null;
	return createDecider(policy, TODAY).decide(invoice({ dueDate: '2026-09-01', invoiceDate: '2026-08-20', currentLevel: current, lastDunnedAt, ...over }));
}

describe('finalReminder on decisions', () => {
	it('a last stage that sends nothing: the stage before is the last reminder, though a next stage follows', () => {
		const third = decideAt(HANDOVER, 2);
		expect(third).toMatchObject({ action: 'send', level: 3, finalReminder: true });
		expect(third.nextActionDate).not.toBeNull();
		expect(decideAt(HANDOVER, 1)).toMatchObject({ action: 'send', level: 2, finalReminder: false });
		// The hand-over itself: nothing after it either.
		expect(decideAt(HANDOVER, 3)).toMatchObject({ action: 'none', reason: 'noChannel', level: 4, finalReminder: true });
	});

	it('a stage without channel in the middle: a later e-mail stage still comes, so level 2 is not the last', () => {
		const policy = stagesOf('email', 'email', 'none', 'email');
		expect(decideAt(policy, 1)).toMatchObject({ action: 'send', level: 2, finalReminder: false });
		expect(decideAt(policy, 2)).toMatchObject({ action: 'none', reason: 'noChannel', level: 3, finalReminder: false });
		expect(decideAt(policy, 3)).toMatchObject({ action: 'send', level: 4, finalReminder: true });
	});

	it('a lowered Max Level: the stages beyond it do not count', () => {
		const policy = { ...stagesOf('email', 'email', 'email', 'email'), maxLevel: 3 };
		expect(decideAt(policy, 2)).toMatchObject({ action: 'send', level: 3, nextActionDate: null, finalReminder: true });
		expect(decideAt(policy, 1)).toMatchObject({ action: 'send', level: 2, finalReminder: false });
		// Max Level 2: level 2 is the last.
		expect(decideAt({ ...policy, maxLevel: 2 }, 1)).toMatchObject({ level: 2, finalReminder: true });
	});

	it('the last stage is the last reminder, whatever its channel; the ones before are not', () => {
		const policy = stagesOf('email', 'email', 'letter');
		expect(decideAt(policy, 2)).toMatchObject({ action: 'paper', level: 3, finalReminder: true });
		expect(decideAt(policy, 0)).toMatchObject({ action: 'send', level: 1, finalReminder: false });
	});

	it('decisions that send nothing carry it for their own level', () => {
		// Waiting at level 2: the 2. Mahnung (level 3) is still to come.
		expect(decideAt(HANDOVER, 2, { lastDunnedAt: '2026-11-20' })).toMatchObject({ action: 'none', reason: 'waiting', level: 2, finalReminder: false });
		// Waiting at level 3: only the hand-over follows.
		expect(decideAt(HANDOVER, 3, { lastDunnedAt: '2026-11-20' })).toMatchObject({ action: 'none', reason: 'waiting', level: 3, finalReminder: true });
		expect(decideAt(HANDOVER, 4)).toMatchObject({ reason: 'maxLevelReached', level: 4, finalReminder: true });
		const decider = createDecider(HANDOVER, TODAY);
		expect(decider.evaluate({ invoiceId: 'X', currentLevel: 1, dueDate: 'garbage' })).toMatchObject({ reason: 'invalidInput', level: 1, finalReminder: false });
		expect(decider.evaluate({ invoiceId: 'X', currentLevel: 3, dueDate: 'garbage' })).toMatchObject({ reason: 'invalidInput', level: 3, finalReminder: true });
		expect(decider.hold(decideAt(HANDOVER, 2), 'customerCredit', 'settle the credit first')).toMatchObject({ level: 2, finalReminder: false });
		expect(decider.hold(decideAt(HANDOVER, 3), 'customerCredit', 'settle the credit first')).toMatchObject({ level: 3, finalReminder: true });
	});

	it('the compiled policy has it for every level, 0 to the number of stages', () => {
		expect(compilePolicy(HANDOVER).finalReminder).toEqual([false, false, false, true, true]);
		expect(compilePolicy(stagesOf('email', 'none', 'none')).finalReminder).toEqual([false, true, true, true]);
		expect(compilePolicy(stagesOf('none', 'email', 'none', 'email')).finalReminder).toEqual([false, false, false, false, true]);
		expect(compilePolicy({ ...stagesOf('email', 'email', 'email'), maxLevel: 1 }).finalReminder).toEqual([false, true, true, true]);
	});
});

describe('finalReminder of a customer group', () => {
	const entry = (decision: DunningDecision, item: number) => ({ customerKey: 'C-1', customerId: 'C-1', email: 'kunde@example.test', decision, item });

	it('groupByCustomer carries its invoices’ finalReminder', () => {
		const [last] = groupByCustomer([entry(decideAt(HANDOVER, 2), 0), entry(decideAt(HANDOVER, 2, { invoiceId: 'INV-2' }), 1)]);
		expect(last).toMatchObject({ level: 3, count: 2, finalReminder: true });
		const [notLast] = groupByCustomer([entry(decideAt(HANDOVER, 1), 0), entry(decideAt(HANDOVER, 1, { invoiceId: 'INV-2' }), 1)]);
		expect(notLast).toMatchObject({ level: 2, count: 2, finalReminder: false });
		// Should two invoices of one reminder disagree, it does not say "last".
		const [mixed] = groupByCustomer([entry(decideAt(HANDOVER, 2), 0), entry({ ...decideAt(HANDOVER, 2, { invoiceId: 'INV-2' }), finalReminder: false }, 1)]);
		expect(mixed.finalReminder).toBe(false);
	});

	it('Compute Dunning Level’s Group by Customer writes it into the summary dunning (real n8n engine)', async () => {
		const run = async (channels: StageChannel[]) => {
			const compute = node('computeDunningLevel', 'Compute', {
				policySource: 'fields',
				stages: { stage: channels.map((channel, i) => ({ name: `Stage ${i + 1}`, daysAfterPrevious: 7, channel, fee: 0, chargeInterest: false })) },
				options: { asOfDate: `${TODAY}T00:00:00`, groupByCustomer: true },
			});
			const items = ['A', 'B'].map((id) => ({ json: { invoiceId: id, customerId: 'C-1', customerType: 'consumer', email: 'kunde@example.test', currency: 'EUR', amount: 100, openAmount: 100, dueDate: '2026-09-01', currentLevel: 2, lastDunnedAt: '2026-10-01' } }));
			const r = await runWorkflow({ nodes: [compute], input: { node: 'Compute', items } });
			expect(r.status).toBe('success');
			const [send] = r.outputs('Compute');
			expect(send).toHaveLength(1);
			return send[0].json as { dunning: Record<string, unknown>; invoices: Array<{ dunning: Record<string, unknown> }> };
		};
		const handover = await run(['email', 'email', 'email', 'none']);
		expect(handover.dunning).toMatchObject({ level: 3, count: 2, finalReminder: true });
		expect(handover.invoices.map((i) => i.dunning.finalReminder)).toEqual([true, true]);
		const fourMails = await run(['email', 'email', 'email', 'email']);
		expect(fourMails.dunning).toMatchObject({ level: 3, count: 2, finalReminder: false });
	});
});
