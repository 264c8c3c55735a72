import { createDecider } from '../../lib/dunning';
import { invoice } from './helpers';

const TODAY = '2026-11-23';

/**
 * Every decision says in which timezone it read the invoice's dates (`dunning.timezone`), so that
 * Send Reminder Email and Create Reminder Letter print the days it counted.
 */
describe('dunning.timezone', () => {
	it('is the policy’s timezone on every decision: send, paper, no action, invalid input, held back', () => {
		for (const timezone of ['Europe/Berlin', 'America/New_York']) {
			const d = createDecider({ timezone }, TODAY);
			const send = d.decide(invoice({ dueDate: '2026-11-01' }));
			const paper = d.decide(invoice({ dueDate: '2026-11-01', email: null }));
			const notDue = d.decide(invoice({ dueDate: TODAY }));
			const invalid = d.evaluate({ invoiceId: 'X', dueDate: 'soon', openAmount: 10 });
			const held = d.hold(send, 'customerCredit', 'settle the credit first');
			expect([send, paper, notDue, invalid, held].map((x) => [x.action, x.reason, x.timezone])).toEqual([
				['send', null, timezone],
				['paper', 'noEmail', timezone],
				['none', 'notDue', timezone],
				['none', 'invalidInput', timezone],
				['none', 'customerCredit', timezone],
			]);
		}
	});

	it('is Europe/Berlin by default', () => {
		expect(createDecider({}, TODAY).decide(invoice()).timezone).toBe('Europe/Berlin');
	});
});
