import { compilePolicy, createDecider, validateInvoice } from '../../lib/dunning';

/** The invoice fields for stated deadlines and claimed charges: read, normalised, and refused with a message naming the field. */
const compiled = compilePolicy({});
const valid = { invoiceId: 'A1', dueDate: '2026-01-15', openAmount: 50, currentLevel: 2, firstDunnedAt: '2026-02-01', lastDunnedAt: '2026-02-20' };

const problemsOf = (input: Record<string, unknown>, names = {}) => {
	const r = validateInvoice(input, compiled, names, '2026-03-20');
	return r.ok ? [] : r.problems;
};

describe('lastDeadline, firstDeadline and claimedCharges (validation)', () => {
	it('reads them as days and an amount; empty is "not known" (no deadline, no charges)', () => {
		const r = validateInvoice({ ...valid, lastDeadline: '06.03.2026', firstDeadline: '2026-02-08T00:00:00+01:00', claimedCharges: ' 43.94 ' }, compiled);
		expect(r.ok && r.invoice).toMatchObject({ lastDeadline: '2026-03-06', firstDeadline: '2026-02-08', claimedCharges: 43.94 });
		const empty = validateInvoice({ ...valid, lastDeadline: '', firstDeadline: null, claimedCharges: '' }, compiled);
		expect(empty.ok && empty.invoice).toMatchObject({ lastDeadline: null, firstDeadline: null, claimedCharges: 0 });
	});

	it('names a deadline that is no date and negative or unreadable charges, by the caller’s field names', () => {
		expect(problemsOf({ ...valid, lastDeadline: 'bald', claimedCharges: -5 }, { lastDeadline: 'zahlbarBis' })).toEqual([
			{ field: 'lastDeadline', message: 'zahlbarBis "bald" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)' },
			{ field: 'claimedCharges', message: 'claimedCharges must be 0 or more: the fees, flat fee and interest the reminders claimed (got -5)' },
		]);
		expect(problemsOf({ ...valid, firstDeadline: true, claimedCharges: 'vierzig' })).toEqual([
			{ field: 'firstDeadline', message: 'firstDeadline must be a date such as 2026-01-31 (got true)' },
			{ field: 'claimedCharges', message: 'claimedCharges must be a number with a decimal point, e.g. 120.50 (got "vierzig")' },
		]);
		expect(problemsOf({ ...valid, lastDeadline: '1900-01-01' })).toEqual([{ field: 'lastDeadline', message: expect.stringMatching(/^lastDeadline "1900-01-01" is not a plausible date/) }]);
	});

	it('refuses deadlines out of order with the reminder days: a mix-up would move default or the next stage', () => {
		expect(problemsOf({ ...valid, lastDeadline: '2026-02-19' }, { lastDunnedAt: 'letzteMahnung' })).toEqual([
			{ field: 'lastDeadline', message: "lastDeadline 2026-02-19 is before letzteMahnung 2026-02-20: a reminder's payment deadline is never before the day it was sent" },
		]);
		expect(problemsOf({ ...valid, firstDeadline: '2026-01-31' })).toEqual([
			{ field: 'firstDeadline', message: "firstDeadline 2026-01-31 is before firstDunnedAt 2026-02-01: a reminder's payment deadline is never before the day it was sent" },
		]);
		expect(problemsOf({ ...valid, firstDeadline: '2026-03-01', lastDeadline: '2026-02-27' })).toEqual([
			{ field: 'firstDeadline', message: "firstDeadline 2026-03-01 is after lastDeadline 2026-02-27: the first reminder's deadline cannot be later than the last reminder's" },
		]);
		// The deadline day itself is the day it was sent at the earliest (a deadline of 0 days), and first = last at level 1.
		expect(problemsOf({ ...valid, lastDeadline: '2026-02-20', firstDeadline: '2026-02-20' })).toEqual([]);
	});

	it('gives an invalidInput decision naming the field, never a guess', () => {
		const d = createDecider({}, '2026-03-20').evaluate({ ...valid, customerType: 'business', openAmount: -43.94, claimedCharges: '-43.94' });
		expect(d).toMatchObject({ action: 'none', reason: 'invalidInput', invalidFields: ['claimedCharges'] });
	});
});
