/**
 * The fee lines of a letter and of the e-mail beside it: one word for the same sum, and a
 * collective letter's flat fees (§ 288 (5) BGB, 40 € per invoice) never read as one 120 € claim.
 */
import { buildLetterModel } from '../../lib/letters/letter-model';
import { letterLabels } from '../../lib/letters/labels';
import { DEFAULT_FIELD_NAMES, readReminderItem } from '../../lib/mail/reminder-item';
import { buildTemplateContext, flatFeeCounts } from '../../lib/templates/context';
import { DEFAULT_LANGUAGES, DEFAULT_LEVELS } from '../../lib/templates/defaults';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { groupItem, invoiceItem, letterOptions } from './fixtures';

const totalLabels = (json: Record<string, unknown>) => buildLetterModel(json, letterOptions()).totals.map((t) => `${t.label}: ${t.value}`);

describe('the flat fee line of a letter', () => {
	test('three invoices with 40 € each: "Verzugspauschalen (§ 288 Abs. 5 BGB, 3 × 40,00 €)", as the e-mail’s plural', () => {
		expect(totalLabels(groupItem(3))).toContain('Verzugspauschalen (§ 288 Abs. 5 BGB, 3 × 40,00\u00a0€): 120,00\u00a0€');
		const en = groupItem(3);
		for (const member of [en, ...(en.invoices as Array<Record<string, unknown>>)]) member.language = 'en';
		expect(totalLabels(en)).toContain('Flat-rate compensation (§ 288 (5) BGB, 3 × €40.00): €120.00');
	});

	test('one invoice, or a group where only one carries it: singular', () => {
		expect(totalLabels(invoiceItem(1))).toContain('Verzugspauschale (§ 288 Abs. 5 BGB): 40,00\u00a0€');
		const group = groupItem(2);
		const [, second] = group.invoices as Array<Record<string, unknown>>;
		second.dunning = { ...(second.dunning as object), flatFee: 0, totalDue: 102 + 5 + 1.23 };
		group.dunning = { ...(group.dunning as object), flatFee: 40, totalDue: 101 + 5 + 40 + 1.23 + 102 + 5 + 1.23 };
		expect(totalLabels(group)).toContain('Verzugspauschale (§ 288 Abs. 5 BGB): 40,00\u00a0€');
	});

	test('flat fees of different amounts: plural with the number of invoices, no "×" that would not add up', () => {
		const group = groupItem(2);
		const [, second] = group.invoices as Array<Record<string, unknown>>;
		second.dunning = { ...(second.dunning as object), flatFee: 20, totalDue: 102 + 5 + 20 + 1.23 };
		group.dunning = { ...(group.dunning as object), flatFee: 60, totalDue: 101 + 5 + 40 + 1.23 + 102 + 5 + 20 + 1.23 };
		expect(totalLabels(group)).toContain('Verzugspauschalen (§ 288 Abs. 5 BGB, 2 Rechnungen): 60,00\u00a0€');
	});
});

describe('the reminder fee line: the e-mail says what the letter says', () => {
	const env = new TemplateEnvironment();
	// The fee is every stage's fee so far (lib/dunning/fees.ts): "Mahngebühren" for one invoice too.
	test.each(DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.flatMap((level) => [[language, level, 1], [language, level, 2]] as const)))(
		'%s level %d, %d invoice(s)',
		(language, level, count) => {
			const json = count === 1 ? invoiceItem(1) : groupItem(count);
			for (const item of [json, ...((json.invoices as Array<Record<string, unknown>> | undefined) ?? [])]) {
				item.language = language;
				item.dunning = { ...(item.dunning as object), level };
			}
			const label = letterLabels(language).totals.fee;
			expect(buildLetterModel(json, letterOptions()).totals.map((t) => t.label)).toContain(label);

			const reminder = readReminderItem(json, DEFAULT_FIELD_NAMES);
			if (reminder.kind !== 'email') throw new Error('expected an e-mail');
			const resolved = resolveTemplates(language, level, 'de', undefined, count > 1);
			const r = renderReminder(env, resolved, buildTemplateContext(json, { ...reminder.values, senderName: 'Muster Handels GmbH' }, { language, locale: localeFor(language), currency: 'EUR' }));
			expect(r.text).toMatch(new RegExp(`^${label}: `, 'm'));
			expect(r.html).toContain(`>${label}</td>`);
		},
	);
});

describe('the flat fee line of a collective e-mail: what the letter says', () => {
	const env = new TemplateEnvironment();
	const email = (json: Record<string, unknown>, language: 'de' | 'en', level: number) => {
		for (const item of [json, ...((json.invoices as Array<Record<string, unknown>> | undefined) ?? [])]) {
			item.language = language;
			item.dunning = { ...(item.dunning as object), level };
		}
		const reminder = readReminderItem(json, DEFAULT_FIELD_NAMES);
		if (reminder.kind !== 'email') throw new Error('expected an e-mail');
		const resolved = resolveTemplates(language, level, 'de', undefined, reminder.values.invoiceCount > 1);
		return renderReminder(env, resolved, buildTemplateContext(json, { ...reminder.values, senderName: 'Muster Handels GmbH' }, { language, locale: localeFor(language), currency: 'EUR' }));
	};
	/** A group of two where the second invoice carries `second` as its flat fee. */
	const twoWith = (second: number) => {
		const group = groupItem(2);
		const [, member] = group.invoices as Array<Record<string, unknown>>;
		member.dunning = { ...(member.dunning as object), flatFee: second, totalDue: 102 + 5 + second + 1.23 };
		group.dunning = { ...(group.dunning as object), flatFee: 40 + second, totalDue: 101 + 5 + 40 + 1.23 + 102 + 5 + second + 1.23 };
		return group;
	};

	test.each(DEFAULT_LEVELS)('German, level %d: count and amount for several, singular for one, as in the letter', (level) => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[groupItem(3), 'Verzugspauschalen (§ 288 Abs. 5 BGB, 3 × 40,00\u00a0€): 120,00\u00a0€'],
			[twoWith(0), 'Verzugspauschale (§ 288 Abs. 5 BGB): 40,00\u00a0€'],
			[twoWith(20), 'Verzugspauschalen (§ 288 Abs. 5 BGB, 2 Rechnungen): 60,00\u00a0€'],
		];
		for (const [json, line] of cases) {
			const letter = buildLetterModel(JSON.parse(JSON.stringify(json)) as Record<string, unknown>, letterOptions());
			expect(letter.totals.map((t) => `${t.label}: ${t.value}`)).toContain(line);
			const r = email(json, 'de', level);
			expect(r.text.split('\n')).toContain(line);
			const [label, value] = line.split('): ');
			expect(r.html).toContain(`>${label})</td><td></td><td style="text-align:right">${value}</td>`);
		}
	});

	test.each(DEFAULT_LEVELS)('English, level %d: § 288 (5) BGB named, count and amount for several, as in the letter', (level) => {
		const cases: Array<[() => Record<string, unknown>, string]> = [
			[() => groupItem(3), 'Flat-rate compensation (§ 288 (5) BGB, 3 × €40.00): €120.00'],
			[() => twoWith(0), 'Flat-rate compensation (§ 288 (5) BGB): €40.00'],
			[() => twoWith(20), 'Flat-rate compensation (§ 288 (5) BGB, 2 invoices): €60.00'],
			[() => invoiceItem(1), 'Flat-rate compensation (§ 288 (5) BGB): €40.00'],
		];
		for (const [json, line] of cases) {
			const letterItem = json();
			for (const item of [letterItem, ...((letterItem.invoices as Array<Record<string, unknown>> | undefined) ?? [])]) item.language = 'en';
			expect(totalLabels(letterItem)).toContain(line);
			const r = email(json(), 'en', level);
			expect(r.text.split('\n')).toContain(line);
			const [label, value] = line.split('): ');
			const empty = letterItem.invoices ? '<td></td>' : '';
			expect(r.html).toContain(`>${label})</td>${empty}<td style="text-align:right">${value}</td>`);
		}
	});

	test('the context counts the invoices carrying one, and their amount only when all carry the same', () => {
		const line = (flatFee: number) => ({ invoiceId: 'x', invoiceNumber: 'x', invoiceDate: null, dueDate: '2099-01-01', openAmount: 1, fee: 0, flatFee, interest: 0, totalDue: 1 + flatFee, daysOverdue: null });
		expect(flatFeeCounts([line(40), line(0), line(40)])).toEqual({ flatFeeCount: 2, flatFeeEach: 40, severalFlatFees: true });
		expect(flatFeeCounts([line(40), line(0)])).toEqual({ flatFeeCount: 1, flatFeeEach: 40, severalFlatFees: false });
		expect(flatFeeCounts([line(40), line(20)])).toEqual({ flatFeeCount: 2, flatFeeEach: null, severalFlatFees: true });
		expect(flatFeeCounts([line(0)])).toEqual({ flatFeeCount: 0, flatFeeEach: null, severalFlatFees: false });
	});
});
