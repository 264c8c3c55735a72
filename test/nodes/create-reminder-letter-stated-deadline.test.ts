/**
 * Create Reminder Letter after Compute Dunning Level's Paper output, through the real n8n engine:
 * the letter's deadline counts the payment period from the day it likely arrives (letter date +
 * Days in the Post, 3 by default), and letter.statedDeadline says which day it printed.
 */
import type { IConnections, IDataObject, INodeParameters } from 'n8n-workflow';

import { node, runWorkflow } from '../harness/engine';
import { COMPANY } from '../letters/fixtures';

const company = { companySource: 'json', companyJson: JSON.stringify(COMPANY) };
const paperBranch: IConnections = { Compute: { main: [[], [{ node: 'Letter', type: 'main' as never, index: 0 }], []] } };
// No e-mail address: Paper. Decided Monday 2 March 2099 with the shipped 7 days: Monday 9 March.
const invoice = { invoiceId: 'I1', invoiceNumber: 'RE-1', dueDate: '2099-02-01', email: '', openAmount: 120, amount: 120, currency: 'EUR', customerName: 'Jörg Weiß', street: 'Gartenweg 3', postalCode: '80331', city: 'München' };

async function letterOf(options: INodeParameters) {
	const r = await runWorkflow({
		nodes: [
			node('computeDunningLevel', 'Compute', { policySource: 'fields', rules: { minOpenAmount: 1 }, options: { asOfDate: '2099-03-02T09:00:00' } }),
			node('createReminderLetter', 'Letter', { operation: 'perItem', ...company, options }, { onError: 'continueRegularOutput' }),
		],
		connections: paperBranch,
		input: { node: 'Compute', items: [{ json: invoice }] },
	});
	expect(r.status).toBe('success');
	const [out] = r.items('Letter');
	expect((out.json.dunning as IDataObject).deadline).toBe('2099-03-09');
	return out.json;
}

describe('Create Reminder Letter: the deadline a letter states (real engine)', () => {
	it('Days in the Post not set: 3 days; dated 2 March, arriving 5 March, 7 days: Thursday 12 March', async () => {
		expect((await letterOf({})).letter).toMatchObject({ status: 'created', statedDeadline: '2099-03-12' });
	});

	it('Days in the Post 0: the decided deadline; with a later Letter Date, counted from it and moved off the weekend', async () => {
		expect((await letterOf({ daysInPost: 0 })).letter).toMatchObject({ status: 'created', statedDeadline: '2099-03-09' });
		// Wednesday 4 March + 3 = Saturday 7 March, + 7 = Saturday 14 March: Monday 16 March.
		expect((await letterOf({ letterDate: '2099-03-04', daysInPost: 3 })).letter).toMatchObject({ status: 'created', statedDeadline: '2099-03-16' });
	});

	it('a Days in the Post that is no whole number of days fails naming the option', async () => {
		const json = await letterOf({ daysInPost: 1.5 });
		expect(json.letter).toMatchObject({ status: 'failed' });
		expect(String(json.error)).toMatch(/"Days in the Post" \(daysInPost\) must be a whole number of days from 0 to 30, not 1.5/);
	});
});
