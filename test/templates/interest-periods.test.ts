/**
 * How the interest was computed, in the e-mail as in the letter: each of Compute Dunning Level's
 * `dunning.interestPeriods` (rate, from–to, days, amount) under the interest, so that the customer
 * (and a court) can follow the claim. Rendered from the shipped texts as Send Reminder Email renders them.
 */
import { buildLetterModel } from '../../lib/letters/letter-model';
import { readReminderItem, ReminderInputError } from '../../lib/mail/reminder-item';
import { buildTemplateContext } from '../../lib/templates/context';
import { DEFAULT_LANGUAGES, DEFAULT_LEVELS } from '../../lib/templates/defaults';
import { TemplateEnvironment, TemplateError } from '../../lib/templates/environment';
import { formatPercent } from '../../lib/templates/helpers';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { groupItem, invoiceItem, letterOptions } from '../letters/fixtures';

const env = new TemplateEnvironment();

function email(json: Record<string, unknown>, language: string, level = 2) {
	const reminder = readReminderItem(json);
	if (reminder.kind !== 'email') throw new Error(`expected an e-mail reminder, got ${reminder.kind}`);
	const values = { ...reminder.values, level };
	const context = buildTemplateContext(json, { ...values, senderName: 'Muster Handels GmbH' }, { language, locale: localeFor(language), currency: reminder.currency });
	return renderReminder(env, resolveTemplates(language, level, 'de', undefined, values.invoiceCount > 1), context);
}

/** An e-mail reminder (action send) for one invoice with the given interest periods. */
function withPeriods(periods: Array<Record<string, unknown>>, language = 'de'): Record<string, unknown> {
	const item = invoiceItem(1, { language });
	const dunning = item.dunning as Record<string, unknown>;
	const interest = Math.round(periods.reduce((sum, p) => sum + (p.amount as number) * 100, 0)) / 100;
	item.dunning = { ...dunning, action: 'send', interest, interestPeriods: periods, totalDue: Math.round((101 + 5 + 40 + interest) * 100) / 100 };
	return item;
}

const ONE = [{ from: '2025-03-22', to: '2025-04-08', days: 18, ratePct: 11.27, amount: 4.45 }];
const ONE_DAY = [{ from: '2025-04-08', to: '2025-04-08', days: 1, ratePct: 11.27, amount: 0.25 }];
// The base rate changed on 1 July: two periods, two rates.
const TWO = [
	{ from: '2025-06-01', to: '2025-06-30', days: 30, ratePct: 11.27, amount: 9.26 },
	{ from: '2025-07-01', to: '2025-07-10', days: 10, ratePct: 11.02, amount: 3.02 },
];

const LINE = {
	de: (rate: string, from: string, to: string, days: number) => `${rate} % p. a. vom ${from} bis ${to} (${days} Tage)`,
	en: (rate: string, from: string, to: string, days: number) => `${rate} % p.a. from ${from} to ${to} (${days} days)`,
} as const;

const cases = DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.map((level) => [language, level] as const));

describe('interest periods in the shipped e-mail texts', () => {
	test.each(cases)('%s level %d: one period is printed under the interest, with rate, dates and days, in text and HTML', (language, level) => {
		const r = email(withPeriods(ONE, language), language, level);
		if (language === 'de') {
			expect(r.text).toContain('Verzugszinsen: 4,45\u00a0€\n  11,27 % p. a. vom 22.03.2025 bis 08.04.2025 (18 Tage): 4,45\u00a0€\nZu zahlender Gesamtbetrag');
			expect(r.html).toMatch(/>11,27 % p\. a\. vom 22\.03\.2025 bis 08\.04\.2025 \(18 Tage\)<\/td><td style="[^"]*">4,45\u00a0€<\/td><\/tr>/);
		} else {
			expect(r.text).toMatch(/Late payment interest: €4\.45\n {2}11\.27 % p\.a\. from 22\/03\/2025 to 08\/04\/2025 \(18 days\): €4\.45\n/);
			expect(r.html).toContain('>11.27 % p.a. from 22/03/2025 to 08/04/2025 (18 days)</td>');
		}
	});

	test.each(cases)('%s level %d: two periods (the base rate changed on 1 July) give two lines, in order', (language, level) => {
		const r = email(withPeriods(TWO, language), language, level);
		const line = LINE[language as 'de' | 'en'];
		const [first, second] =
			language === 'de'
				? [line('11,27', '01.06.2025', '30.06.2025', 30), line('11,02', '01.07.2025', '10.07.2025', 10)]
				: [line('11.27', '01/06/2025', '30/06/2025', 30), line('11.02', '01/07/2025', '10/07/2025', 10)];
		for (const body of [r.text, r.html]) {
			expect(body.split(first)).toHaveLength(2);
			expect(body.split(second)).toHaveLength(2);
			expect(body.indexOf(first)).toBeLessThan(body.indexOf(second));
		}
		expect(r.text).toContain(language === 'de' ? `  ${first}: 9,26\u00a0€\n  ${second}: 3,02\u00a0€\n` : `  ${first}: €9.26\n  ${second}: €3.02\n`);
	});

	test.each(cases)('%s level %d: no interest prints no period line (and no interest line)', (language, level) => {
		const r = email(withPeriods([], language), language, level);
		for (const body of [r.text, r.html]) {
			expect(body).not.toMatch(/p\. ?a\./);
			expect(body).not.toMatch(/Verzugszinsen|Late payment interest/);
		}
	});

	test('an item without dunning.interestPeriods (own fields, no Compute) still renders, with the interest alone', () => {
		const item = withPeriods(ONE);
		delete (item.dunning as Record<string, unknown>).interestPeriods;
		const r = email(item, 'de');
		expect(r.text).toContain('Verzugszinsen: 4,45\u00a0€\nZu zahlender Gesamtbetrag');
		expect(r.html).not.toContain('p. a.');
	});

	test('the e-mail states the period as the letter for the same reminder does', () => {
		const item = withPeriods(ONE);
		const letter = buildLetterModel({ ...item, dunning: { ...(item.dunning as object), action: 'paper' } }, letterOptions());
		const note = letter.rows[0].notes.find((n) => n.startsWith('Verzugszinsen '));
		expect(note).toBe('Verzugszinsen 11,27 % p. a. vom 22.03.2025 bis 08.04.2025 (18 Tage): 4,45\u00a0€');
		expect(email(item, 'de').text).toContain(`  ${note!.slice('Verzugszinsen '.length)}\n`);
	});

	test.each(cases)('%s level %d: a period of one day says "1 Tag" / "1 day", in text and HTML', (language, level) => {
		const r = email(withPeriods(ONE_DAY, language), language, level);
		const [one, many] = language === 'de' ? ['(1 Tag)', '(1 Tage)'] : ['(1 day)', '(1 days)'];
		for (const body of [r.text, r.html]) {
			expect(body).toContain(one);
			expect(body).not.toContain(many);
		}
	});

	test.each(['de', 'en'])('%s: a period of one day reads in the e-mail as in the letter for the same reminder', (language) => {
		const item = withPeriods(ONE_DAY, language);
		const letter = buildLetterModel({ ...item, dunning: { ...(item.dunning as object), action: 'paper' } }, letterOptions());
		const label = language === 'de' ? 'Verzugszinsen ' : 'Late payment interest ';
		const note = letter.rows[0].notes.find((n) => n.startsWith(label));
		expect(note).toBe(language === 'de' ? 'Verzugszinsen 11,27 % p. a. vom 08.04.2025 bis 08.04.2025 (1 Tag): 0,25\u00a0€' : 'Late payment interest 11.27 % p.a. from 08/04/2025 to 08/04/2025 (1 day): €0.25');
		expect(email(item, language, 1).text).toContain(`  ${note!.slice(label.length)}\n`);
	});

	test.each(cases)('%s level %d (collective): each invoice lists its own periods under it, the others none', (language, level) => {
		const item = groupItem(2);
		item.language = language;
		const [first, second] = item.invoices as Array<{ dunning: Record<string, unknown> }>;
		Object.assign(first.dunning, { action: 'send', interestPeriods: TWO, interest: 12.28, totalDue: 101 + 5 + 40 + 12.28 });
		Object.assign(second.dunning, { action: 'send', interestPeriods: [], interest: 0, totalDue: 102 + 5 + 40 });
		Object.assign(item.dunning as object, { action: 'send', interest: 12.28, totalDue: Math.round((101 + 5 + 40 + 12.28 + 102 + 5 + 40) * 100) / 100 });
		const r = email(item, language, level);
		const label = language === 'de' ? 'Verzugszinsen 11,27 % p. a. vom 01.06.2025' : 'Late payment interest 11.27 % p.a. from 01/06/2025';
		const rate2 = language === 'de' ? '11,02 %' : '11.02 %';
		for (const body of [r.text, r.html]) {
			const at = body.indexOf(label);
			expect(at).toBeGreaterThan(body.indexOf('RE-2026-0001'));
			expect(at).toBeLessThan(body.indexOf('RE-2026-0002'));
			expect(body.indexOf(rate2)).toBeLessThan(body.indexOf('RE-2026-0002'));
			expect(body.split(' p.').length - 1).toBe(2);
		}
		expect(r.html).toMatch(/<tr><td colspan="3" style="[^"]*">(Verzugszinsen|Late payment interest) 11[,.]27 % p\. ?a\. /);
	});

	test('a period that is no period fails the item naming the field, not a date helper', () => {
		const item = withPeriods(ONE);
		(item.dunning as Record<string, unknown>).interestPeriods = [{ from: '2025-03-22', to: '2025-04-08', days: '18', ratePct: 11.27, amount: 4.45 }];
		expect(() => email(item, 'de')).toThrow(ReminderInputError);
		expect(() => email(item, 'de')).toThrow('The field "dunning.interestPeriods[0].days" must be a whole number of days, got "18"');
		(item.dunning as Record<string, unknown>).interestPeriods = [{ ...ONE[0], to: '08.04.2025' }];
		expect(() => email(item, 'de')).toThrow('The field "dunning.interestPeriods[0].to" must be a date like 2026-02-15, got "08.04.2025"');
		(item.dunning as Record<string, unknown>).interestPeriods = 'none';
		expect(() => email(item, 'de')).toThrow('The field "dunning.interestPeriods" must be a list of interest periods, got "none"');
	});

	/** The e-mail's error for the item, and the letter's for the same reminder sent on paper. */
	function refusals(item: Record<string, unknown>): [unknown, unknown] {
		const caught = (make: () => unknown) => {
			try {
				make();
			} catch (error) {
				return error;
			}
			throw new Error('expected the reminder to be refused');
		};
		return [caught(() => email(item, 'de')), caught(() => buildLetterModel({ ...item, dunning: { ...(item.dunning as object), action: 'paper' } }, letterOptions()))];
	}

	test('periods that do not add up to the interest fail the e-mail naming the field, with the letter’s message (no breakdown that contradicts the claim)', () => {
		const item = withPeriods(ONE);
		// 10.00 claimed, but the one period says 4.45.
		Object.assign(item.dunning as object, { interest: 10, totalDue: 101 + 5 + 40 + 10 });
		const message = 'The field "dunning.interestPeriods" lists periods adding up to 4.45, but "dunning.interest" is 10: the periods printed under the invoice must add up to the interest it asks for';
		const [mail, letter] = refusals(item);
		expect(mail).toBeInstanceOf(ReminderInputError);
		expect(mail).toMatchObject({ field: 'dunning.interestPeriods', message });
		expect(letter).toMatchObject({ field: 'dunning.interestPeriods', message });
	});

	test('a period whose days are not the days from–to, or that ends before it starts, fails the e-mail as it fails the letter', () => {
		const wrongDays = withPeriods([{ ...ONE[0], days: 17 }]);
		const [mail, letter] = refusals(wrongDays);
		const days = 'The field "dunning.interestPeriods[0].days" is 17, but from 2025-03-22 to 2025-04-08 are 18 days (both counted)';
		expect(mail).toMatchObject({ field: 'dunning.interestPeriods', message: days });
		expect(letter).toMatchObject({ field: 'dunning.interestPeriods', message: days });
		const backwards = withPeriods([{ ...ONE[0], from: '2025-04-08', to: '2025-03-22' }]);
		const before = 'The field "dunning.interestPeriods[0].to" (2025-03-22) lies before its "from" (2025-04-08): a period must end on or after the day it starts';
		expect(refusals(backwards)).toEqual([expect.objectContaining({ field: 'dunning.interestPeriods', message: before }), expect.objectContaining({ field: 'dunning.interestPeriods', message: before })]);
	});

	test('collective: each invoice’s periods must add up to that invoice’s interest; the e-mail names the invoice', () => {
		const item = groupItem(2);
		const [first, second] = item.invoices as Array<{ dunning: Record<string, unknown> }>;
		// The sums agree (12.28 in all), but invoice 2 claims the interest whose periods invoice 1 lists.
		Object.assign(first.dunning, { action: 'send', interestPeriods: TWO, interest: 0, totalDue: 101 + 5 + 40 });
		Object.assign(second.dunning, { action: 'send', interestPeriods: [], interest: 12.28, totalDue: 102 + 5 + 40 + 12.28 });
		Object.assign(item.dunning as object, { action: 'send', interest: 12.28, totalDue: Math.round((101 + 5 + 40 + 12.28 + 102 + 5 + 40) * 100) / 100 });
		const message = 'The field "dunning.interestPeriods" of invoice 1 in "invoices" lists periods adding up to 12.28, but "dunning.interest" is 0: the periods printed under the invoice must add up to the interest it asks for';
		expect(() => email(item, 'de')).toThrow(message);
	});
});

describe('percent helper', () => {
	test('formats a rate as the letter does: locale decimals, up to three', () => {
		expect(formatPercent(11.27, 'de-DE')).toBe('11,27');
		expect(formatPercent(7.395, 'de-DE')).toBe('7,395');
		expect(formatPercent(12.125, 'en-GB')).toBe('12.125');
		expect(formatPercent(9, 'de-DE')).toBe('9');
		expect(formatPercent(-0, 'de-DE')).toBe('0');
	});

	test('in a template, with the reminder locale or locale="…"; without an argument or with no number it names the helper', () => {
		const name = { language: 'de', level: 1, kind: 'text' as const, source: 'node' };
		expect(env.compile(name, '{{percent r}} / {{percent r locale="en-GB"}}')({ r: 11.27, locale: 'de-DE', currency: 'EUR' })).toBe('11,27 / 11.27');
		expect(() => env.compile(name, '{{percent}}')({ locale: 'de-DE', currency: 'EUR' })).toThrow(TemplateError);
		expect(() => env.compile(name, '{{percent}}')({ locale: 'de-DE', currency: 'EUR' })).toThrow(/percent needs an argument/);
		expect(() => env.compile(name, '{{percent r}}')({ r: 'elf', locale: 'de-DE', currency: 'EUR' })).toThrow(/percent needs a number/);
	});
});

describe('one invoice whose item carries an "invoices" field of its own (an ERP export)', () => {
	// An item with an invoice ID is one invoice, as Send and the letter read it: its periods are its own.
	const item = { ...withPeriods(ONE), invoices: [{ sku: 'A-1' }] };

	it('prints its own periods', () => {
		expect(email(item, 'de').text).toContain('11,27 % p. a. vom 22.03.2025 bis 08.04.2025 (18 Tage): 4,45\u00a0€');
	});

	it('checks its own periods against its interest', () => {
		const wrong: Record<string, unknown> = { ...withPeriods(ONE), invoices: [{ sku: 'A-1' }] };
		Object.assign(wrong.dunning as object, { interest: 10, totalDue: 101 + 5 + 40 + 10 });
		expect(() => email(wrong, 'de')).toThrow(/adding up to 4\.45, but "dunning\.interest" is 10/);
	});
});
