/**
 * Which timezone Send Reminder Email and Create Reminder Letter read a timestamp's day in: the one
 * Compute Dunning Level decided in (`dunning.timezone`), so that the customer reads the day the
 * dunning counted; the workflow's only for an item that never passed Compute.
 */
import { buildLetterModel } from '../../lib/letters/letter-model';
import { readingTimezone, readReminderItem, readReminderValues, ReminderInputError } from '../../lib/mail/reminder-item';
import { letterOptions } from '../letters/fixtures';

// 23:30 UTC on 31 January: 1 February in Berlin, still 31 January in New York (n8n's default timezone).
const DUE = '2026-01-31T23:30:00Z';
const WORKFLOW = 'America/New_York';

const item = (dunning: Record<string, unknown> = {}) => ({
	invoiceId: 'A1',
	email: 'k@example.org',
	dueDate: DUE,
	invoiceDate: '2026-01-01T23:30:00Z',
	openAmount: 100,
	dunning: { level: 1, deadline: '2026-03-24', ...dunning },
});

describe('readingTimezone', () => {
	test('dunning.timezone when the item carries one, else the workflow’s', () => {
		expect(readingTimezone(item({ timezone: 'Europe/Berlin' }), WORKFLOW)).toBe('Europe/Berlin');
		expect(readingTimezone(item({ timezone: ' Asia/Tokyo ' }), WORKFLOW)).toBe('Asia/Tokyo');
		expect(readingTimezone(item(), WORKFLOW)).toBe(WORKFLOW);
		expect(readingTimezone(item({ timezone: '' }), WORKFLOW)).toBe(WORKFLOW);
		expect(readingTimezone(item({ timezone: null }), WORKFLOW)).toBe(WORKFLOW);
		expect(readingTimezone({ invoiceId: 'A1' }, undefined)).toBeUndefined();
	});

	test('a dunning.timezone that is no IANA zone is bad input naming the field and the value', () => {
		for (const [timezone, shown] of [
			['Europe/Berlim', '"Europe/Berlim"'],
			['+01:00', '"+01:00"'],
			[1, '1'],
		] as const) {
			const read = () => readingTimezone(item({ timezone }), WORKFLOW);
			expect(read).toThrow(ReminderInputError);
			expect(read).toThrow(`The field "dunning.timezone" must be an IANA timezone such as Europe/Berlin (as Compute Dunning Level writes it), got ${shown}`);
		}
		expect(() => readingTimezone(item({ timezone: 'Europe/Berlim' }), WORKFLOW)).toThrow(expect.objectContaining({ field: 'dunning.timezone' }));
	});
});

describe('reminder dates follow the timezone Compute Dunning Level decided in', () => {
	test('due date 2026-01-31T23:30:00Z with dunning.timezone Europe/Berlin, workflow in New York: 2026-02-01, as Compute counted', () => {
		expect(readReminderItem(item({ timezone: 'Europe/Berlin' }), undefined, 'EUR', WORKFLOW)).toMatchObject({
			kind: 'email',
			values: { dueDate: '2026-02-01', invoiceDate: '2026-01-02', invoices: [{ dueDate: '2026-02-01', invoiceDate: '2026-01-02' }] },
		});
		// An item that never passed Compute: the workflow's timezone, as before.
		expect(readReminderItem(item(), undefined, 'EUR', WORKFLOW)).toMatchObject({ values: { dueDate: '2026-01-31', invoiceDate: '2026-01-01' } });
	});

	test('a customer group reads its invoices in the group item’s dunning.timezone', () => {
		const member = (id: string, dueDate: string) => ({ invoiceId: id, dueDate, openAmount: 50, dunning: { level: 1, timezone: 'Europe/Berlin' } });
		const group = {
			email: 'k@example.org',
			invoices: [member('A1', DUE), member('A2', '2026-02-01T22:30:00Z')],
			dunning: { level: 1, deadline: '2026-02-24', timezone: 'Europe/Berlin' },
		};
		expect(readReminderValues(group, undefined, 'EUR', WORKFLOW).values.invoices.map((l) => l.dueDate)).toEqual(['2026-02-01', '2026-02-01']);
		const bad = { ...group, dunning: { ...group.dunning, timezone: 'Mars/Olympus' } };
		expect(() => readReminderValues(bad, undefined, 'EUR', WORKFLOW)).toThrow('The field "dunning.timezone" must be an IANA timezone such as Europe/Berlin (as Compute Dunning Level writes it), got "Mars/Olympus"');
	});

	test('the letter prints the due date Compute decided on, and is dated today in that zone when it has no date', () => {
		const json = { ...item({ timezone: 'Europe/Berlin' }), customerName: 'Erika Muster', street: 'Gartenweg 3', postalCode: '80331', city: 'München' };
		const model = buildLetterModel(json, letterOptions({ timezone: WORKFLOW }));
		expect(model.rows[0].cells[1]).toBe('01.02.2026');
		// 23:30 UTC on 9 March is 10 March in Berlin, 9 March in New York.
		const undated = buildLetterModel(json, letterOptions({ timezone: WORKFLOW, date: undefined, now: new Date('2026-03-09T23:30:00Z') }));
		expect(undated.date).toBe('2026-03-10');
		expect(() => buildLetterModel({ ...json, dunning: { ...json.dunning, timezone: 'Berlin' } }, letterOptions({ timezone: WORKFLOW }))).toThrow(
			expect.objectContaining({ name: 'LetterInputError', field: 'dunning.timezone', message: expect.stringContaining('got "Berlin"') }),
		);
	});
});
