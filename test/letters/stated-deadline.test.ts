/**
 * A letter states the whole payment period from the day it likely reaches the customer (letter
 * date + Days in the Post), off weekends and holidays, in its text and its payment block alike,
 * and says which deadline it stated. Items without Compute's payment period print theirs as given.
 */
import { buildLetterModel } from '../../lib/letters/letter-model';
import { groupItem, invoiceItem, letterOptions } from './fixtures';

// The fixtures: deadline 2026-03-24, dunning.asOf 2026-03-10 (a Tuesday), i.e. 14 days.
const restating = { paymentPeriodDays: 14, holidayRegion: 'DE' };
function item(extra: Record<string, unknown> = restating): Record<string, unknown> {
	const it = invoiceItem(1);
	Object.assign(it.dunning as Record<string, unknown>, extra);
	return it;
}

function stated(json: Record<string, unknown>, date: string, daysInPost?: number) {
	const model = buildLetterModel(json, letterOptions({ date, daysInPost }));
	return { closing: model.closing, payBy: model.payment!.lines.find(([label]) => label === 'Zahlbar bis')?.[1], summary: model.summary.statedDeadline };
}

describe('the deadline a letter states', () => {
	test('dated on the decision day, 3 days in the post: 14 days from the day it arrives', () => {
		// 10 March + 3 = 13 March, + 14 = Friday 27 March 2026.
		expect(stated(item(), '2026-03-10', 3)).toEqual({ closing: expect.stringContaining('bis spätestens 27. März 2026'), payBy: '27.03.2026', summary: '2026-03-27' });
	});

	test('no days in the post, dated on the decision day: the decided deadline', () => {
		expect(stated(item(), '2026-03-10', 0)).toEqual({ closing: expect.stringContaining('bis spätestens 24. März 2026'), payBy: '24.03.2026', summary: '2026-03-24' });
	});

	test('dated later: counted from then, and moved off Easter Monday', () => {
		// 20 March + 3 = 23 March, + 14 = Easter Monday 6 April 2026: Tuesday 7 April.
		expect(stated(item(), '2026-03-20', 3)).toEqual({ closing: expect.stringContaining('bis spätestens 7. April 2026'), payBy: '07.04.2026', summary: '2026-04-07' });
	});

	test('dated on its decided deadline: no longer a letter asking for payment by the day it is written', () => {
		// 24 March + 3 = 27 March, + 14 = Friday 10 April 2026.
		expect(stated(item(), '2026-03-24', 3)).toMatchObject({ payBy: '10.04.2026', summary: '2026-04-10' });
	});

	test('dated after its decided deadline: still refused (the decision is stale; Compute decides again)', () => {
		expect(() => stated(item(), '2026-03-25', 3)).toThrow(/is 2026-03-24, before the letter date 2026-03-25/);
	});

	test('an item without Compute’s payment period and holiday region: the deadline as given, as before', () => {
		expect(stated(invoiceItem(1), '2026-03-20', 3)).toEqual({ closing: expect.stringContaining('bis spätestens 24. März 2026'), payBy: '24.03.2026', summary: '2026-03-24' });
	});

	test('a deadline restated by the caller (the e-mail the letter goes with) is the one printed', () => {
		const model = buildLetterModel(item(), letterOptions({ date: '2026-03-10', daysInPost: 3, statedDeadline: '2026-03-30' }));
		expect(model.summary.statedDeadline).toBe('2026-03-30');
		expect(model.closing).toContain('30. März 2026');
	});

	test('a collective letter takes the payment period from its invoices', () => {
		const group = groupItem(2) as { invoices: Array<{ dunning: Record<string, unknown> }> };
		for (const member of group.invoices) Object.assign(member.dunning, restating);
		const model = buildLetterModel(group as unknown as Record<string, unknown>, letterOptions({ date: '2026-03-10', daysInPost: 3 }));
		expect(model.summary.statedDeadline).toBe('2026-03-27');
		expect(model.payment!.lines).toContainEqual(['Zahlbar bis', '27.03.2026']);
	});

	test('a bad payment period fails the letter naming the field', () => {
		expect(() => stated(item({ paymentPeriodDays: 'zwei Wochen', holidayRegion: 'DE' }), '2026-03-10', 3)).toThrow(expect.objectContaining({ field: 'dunning.paymentPeriodDays' }));
	});
});
