/**
 * Send Reminder Email's panel warns when its reminders carry no way to pay: Company Details Source
 * "None" (the default, so that a run never invents bank details) leaves out the bank account, the
 * payment reference and the GiroCode. Checked as the n8n editor decides what to show (NodeHelpers).
 */
import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { SendReminderEmail } from '../../nodes/SendReminderEmail/SendReminderEmail.node';

const description = new SendReminderEmail().description;
const { properties } = description;
const notice = properties.find((p) => p.name === 'noCompanyDetailsNotice') as INodeProperties;

/** The panel's values for `set` on a new node: every other parameter at its default. */
const values = (set: INodeParameters): INodeParameters => NodeHelpers.getNodeParameters(properties, set, true, false, { typeVersion: 1 }, description)!;
const shown = (set: INodeParameters) => NodeHelpers.displayParameter(values(set), notice, { typeVersion: 1 }, description);

describe('Send Reminder Email: a notice when the reminders carry no bank details', () => {
	it('is a notice that says what is missing and where to set it', () => {
		expect(notice).toMatchObject({ type: 'notice', default: '', displayOptions: { show: { operation: ['sendReminder'], companySource: ['none'] } } });
		expect(notice.displayName).toMatch(/no bank account \(IBAN\), payment reference or GiroCode/);
		expect(notice.displayName).toMatch(/cannot pay/);
		// The choices it names are the ones the dropdown offers.
		const source = properties.find((p) => p.name === 'companySource')!;
		for (const choice of ['Enter Here', 'JSON Object']) {
			expect(source.options).toEqual(expect.arrayContaining([expect.objectContaining({ name: choice })]));
			expect(notice.displayName).toContain(`“${choice}”`);
		}
		// Right below the source: the company fields between them are hidden when it shows.
		const between = properties.slice(properties.indexOf(source) + 1, properties.indexOf(notice));
		const none = values({ operation: 'sendReminder', companySource: 'none' });
		expect(between.length).toBeGreaterThan(0);
		expect(between.filter((p) => NodeHelpers.displayParameter(none, p, { typeVersion: 1 }, description)).map((p) => p.name)).toEqual([]);
	});

	it('shows on a new node (None stays the default: no bank details are invented) and only while the source is None', () => {
		expect(properties.find((p) => p.name === 'companySource')!.default).toBe('none');
		expect(values({}).companySource).toBe('none');
		expect(shown({})).toBe(true);
		expect(shown({ operation: 'sendReminder', companySource: 'fields' })).toBe(false);
		expect(shown({ operation: 'sendReminder', companySource: 'json' })).toBe(false);
		expect(shown({ operation: 'sendTestMail', companySource: 'none' })).toBe(false);
	});
});
