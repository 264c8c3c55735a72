/** A letter never asks for payment by a day before the day it is dated. */
import { buildLetterModel, LetterInputError } from '../../lib/letters/letter-model';
import { DEFAULT_FIELD_NAMES } from '../../lib/mail/reminder-item';
import { passedDeadline } from '../../lib/dunning/deadline-check';
import { groupItem, invoiceItem, letterOptions } from './fixtures';

// The fixtures' deadline is 2026-03-24, their dunning.asOf 2026-03-10.
describe('the deadline against the letter date', () => {
	test('dated after the deadline (Letter Date option): the item fails naming dunning.deadline, both days and what to do', () => {
		const build = () => buildLetterModel(invoiceItem(1), letterOptions({ date: '2026-03-25' }));
		expect(build).toThrow(LetterInputError);
		expect(build).toThrow(
			'The field "dunning.deadline" (deadline) is 2026-03-24, before the letter date 2026-03-25 (the Letter Date option): it would ask for payment by a day already past. Run Compute Dunning Level again for a fresh deadline',
		);
		expect(build).toThrow(expect.objectContaining({ field: 'dunning.deadline' }));
	});

	test('arriving on the deadline itself (no Days in the Post): the letter is made, asking for payment by that day', () => {
		const model = buildLetterModel(invoiceItem(1), letterOptions({ date: '2026-03-24', daysInPost: 0 }));
		expect(model.date).toBe('2026-03-24');
		expect(model.payment?.lines).toContainEqual(['Zahlbar bis', '24.03.2026']);
		expect(buildLetterModel(invoiceItem(1), letterOptions({ date: '2026-03-21', daysInPost: 3 })).summary.statedDeadline).toBe('2026-03-24');
	});

	test('a deadline printed as given (no dunning.paymentPeriodDays) that passes before the letter arrives fails, naming the arrival day', () => {
		// Dated on the deadline, or one day before it, with the default 3 Days in the Post.
		for (const date of ['2026-03-24', '2026-03-22']) {
			const build = () => buildLetterModel(invoiceItem(1), letterOptions({ date }));
			expect(build).toThrow(LetterInputError);
			expect(build).toThrow(expect.objectContaining({ field: 'dunning.deadline' }));
		}
		expect(() => buildLetterModel(invoiceItem(1), letterOptions({ date: '2026-03-24' }))).toThrow(
			'The field "dunning.deadline" (deadline) is 2026-03-24, before 2026-03-27, the day the letter likely reaches the customer (dated 2026-03-24, 3 Days in the Post): it would ask for payment by a day already past. Run Compute Dunning Level again for a fresh deadline',
		);
		// A deadline stated by the caller (the e-mail the letter is attached to) is the e-mail's, checked when it is sent.
		expect(buildLetterModel(invoiceItem(1), letterOptions({ date: '2026-03-24', statedDeadline: '2026-03-24' })).summary.statedDeadline).toBe('2026-03-24');
	});

	test('no Letter Date: dated today when the item has no dunning.asOf, and fails once today is past the deadline', () => {
		const item = invoiceItem(1);
		delete (item.dunning as Record<string, unknown>).asOf;
		const options = (now: string) => letterOptions({ date: undefined, timezone: 'Europe/Berlin', now: new Date(now), daysInPost: 0 });
		expect(buildLetterModel(item, options('2026-03-24T22:59:00Z')).date).toBe('2026-03-24');
		// 23:30 UTC on 24 March is 25 March in Berlin.
		expect(() => buildLetterModel(item, options('2026-03-24T23:30:00Z'))).toThrow(/is 2026-03-24, before the letter date 2026-03-25 \(today\)/);
	});

	test('a collective letter, and a deadline field of another name', () => {
		expect(() => buildLetterModel(groupItem(2), letterOptions({ date: '2026-04-01' }))).toThrow(/^The field "dunning.deadline" \(deadline\) is 2026-03-24, before the letter date 2026-04-01/);
		const item = invoiceItem(1, { payBy: '2026-03-12' });
		const fields = { ...DEFAULT_FIELD_NAMES, deadline: 'payBy' };
		expect(() => buildLetterModel(item, letterOptions({ fields, date: '2026-03-13' }))).toThrow(expect.objectContaining({ field: 'payBy', message: expect.stringMatching(/^The field "payBy" \(deadline\) is 2026-03-12/) }));
	});
});

describe('passedDeadline', () => {
	test('before the day: a message; on or after it: none; a timestamp counts by its date', () => {
		expect(passedDeadline('dunning.deadline', '2026-03-16', '2026-03-17', 'today')).toMatch(/^The field "dunning.deadline" \(deadline\) is 2026-03-16, before today:/);
		expect(passedDeadline('dunning.deadline', '2026-03-17', '2026-03-17', 'today')).toBeNull();
		expect(passedDeadline('dunning.deadline', '2026-03-18', '2026-03-17', 'today')).toBeNull();
		expect(passedDeadline('dunning.deadline', '2026-03-17T00:00:00Z', '2026-03-17', 'today')).toBeNull();
	});
});
