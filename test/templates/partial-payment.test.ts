/**
 * A customer who paid 400 € of a 1.000 € invoice and reads only "Offener Rechnungsbetrag: 600,00 €"
 * calls to say they paid. The reminder reads the invoice total (`amount`) and shows it with what
 * was deducted from it, in the e-mail and in the letter, only when something was. The deduction
 * (amount − openAmount) also holds credit notes, Skonto and write-offs, so the texts never say
 * in writing that the customer "paid" it: "Abzüglich Zahlungen und Gutschriften".
 */
import { buildLetterModel } from '../../lib/letters/letter-model';
import { renderLetterPdf } from '../../lib/letters/pdf';
import { DEFAULT_FIELD_NAMES, readReminderItem, readReminderValues, ReminderInputError } from '../../lib/mail/reminder-item';
import { buildTemplateContext } from '../../lib/templates/context';
import { DEFAULT_LANGUAGES, DEFAULT_LEVELS } from '../../lib/templates/defaults';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { groupItem, invoiceItem, letterOptions } from '../letters/fixtures';
import { describeWithPdfTools, pdfPages } from '../letters/pdf-tools';

type Json = Record<string, unknown>;
const members = (json: Json) => (json.invoices as Json[] | undefined) ?? [];

/** Invoice 1 over 1.000 €, 600 € open (the fixture's fee 5, flat fee 40, interest 1.23 on top). */
function paidInvoice(extra: Json = {}): Json {
	const json = invoiceItem(1, { amount: 1000, openAmount: 600, ...extra });
	json.dunning = { ...(json.dunning as Json), totalDue: 646.23 };
	return json;
}

/** Two invoices; the first is `paidInvoice()`, the second (102 € open) has no total given. */
function paidGroup(): Json {
	const group = groupItem(2);
	const [first] = members(group);
	Object.assign(first, paidInvoice());
	const dunning = group.dunning as Record<string, number>;
	group.dunning = { ...dunning, openAmount: 600 + 102, totalDue: 646.23 + 148.23 };
	return group;
}

function speak(json: Json, language: string, level: number): Json {
	for (const item of [json, ...members(json)]) {
		item.language = language;
		item.dunning = { ...(item.dunning as Json), level };
	}
	return json;
}

describe('reading the invoice total', () => {
	test('paid part of it: the total and what was paid, for the reminder and its invoice line', () => {
		const { values } = readReminderValues(paidInvoice());
		expect(values).toMatchObject({ invoiceAmount: 1000, paidAmount: 400, openAmount: 600 });
		expect(values.invoices[0]).toMatchObject({ invoiceAmount: 1000, paidAmount: 400, openAmount: 600 });
		// As text, as a CSV or a Sheet hands it over.
		expect(readReminderValues(paidInvoice({ amount: '1000.00' })).values.paidAmount).toBe(400);
	});

	test('nothing paid as far as the reminder can tell: no total, the same total, or one below the open amount', () => {
		for (const amount of [undefined, null, '', 600, 599.99, 0, -1000]) {
			const { values } = readReminderValues(paidInvoice({ amount }));
			// Never a negative "paid": a total below the open amount (fees posted onto the open item) is not shown.
			expect(values).toMatchObject({ invoiceAmount: 600, paidAmount: null });
			expect(values.invoices[0]).toMatchObject({ invoiceAmount: 600, paidAmount: null });
		}
	});

	test('rounded to the currency as the open amount is: a yen total with decimals pays whole yen', () => {
		const jpy = invoiceItem(1, { currency: 'JPY', amount: 1000.4, openAmount: 600, dunning: { level: 2, deadline: '2026-03-24' } });
		expect(readReminderValues(jpy).values).toMatchObject({ invoiceAmount: 1000, paidAmount: 400 });
		// Less than the smallest unit paid is nothing paid.
		expect(readReminderValues(paidInvoice({ amount: 600.004 })).values.paidAmount).toBeNull();
	});

	test('a total that is no amount fails the item, naming the field (as configured) and the invoice of a group', () => {
		expect(() => readReminderValues(paidInvoice({ amount: 'tausend' }))).toThrow(new ReminderInputError('amount', 'The field "amount" (amount) must be a number with a decimal point, e.g. 120.50 (got "tausend")'));
		expect(() => readReminderItem(paidInvoice({ amount: '1.000' }))).toThrow(/^The field "amount" \(amount\) is ambiguous \(got "1.000"\)/);
		const fields = { ...DEFAULT_FIELD_NAMES, amount: 'rechnungsbetrag' };
		expect(() => readReminderItem(paidInvoice({ rechnungsbetrag: { value: 1000 } }), fields)).toThrow(/^The field "rechnungsbetrag" \(amount\) must be a number/);
		expect(readReminderItem(paidInvoice({ amount: undefined, rechnungsbetrag: 1000 }), fields)).toMatchObject({ values: { paidAmount: 400 } });
		const group = paidGroup();
		members(group)[1].amount = [];
		expect(() => readReminderItem(group)).toThrow(/^The field "amount" \(amount\) of invoice 2 in "invoices" must be a number/);
	});

	test('a group: each invoice its own, the reminder their sums; null when none of them has a payment', () => {
		const { values } = readReminderValues(paidGroup());
		expect(values.invoices.map((l) => [l.invoiceAmount, l.paidAmount])).toEqual([
			[1000, 400],
			[102, null],
		]);
		expect(values).toMatchObject({ invoiceAmount: 1102, paidAmount: 400, openAmount: 702 });
		expect(readReminderValues(groupItem(2)).values).toMatchObject({ invoiceAmount: 101 + 102, paidAmount: null });
	});
});

describe('the shipped e-mail texts', () => {
	const env = new TemplateEnvironment();
	const email = (json: Json, language: string, level: number) => {
		const reminder = readReminderItem(speak(json, language, level));
		if (reminder.kind !== 'email') throw new Error('expected an e-mail');
		const resolved = resolveTemplates(language, level, 'de', undefined, reminder.values.invoiceCount > 1);
		return renderReminder(env, resolved, buildTemplateContext(json, { ...reminder.values, senderName: 'Muster Handels GmbH' }, { language, locale: localeFor(language), currency: 'EUR' }));
	};
	const words = {
		// The deduction with a real minus sign (U+2212), not the hyphen Intl writes for a negative amount.
		de: {
			total: 'Rechnungsbetrag',
			paid: 'Abzüglich Zahlungen und Gutschriften',
			open: 'Offener Rechnungsbetrag',
			textNote: '(Rechnungsbetrag 1.000,00\u00a0€, abzüglich Zahlungen und Gutschriften 400,00\u00a0€)',
			htmlNote: 'Rechnungsbetrag 1.000,00\u00a0€, abzüglich Zahlungen und Gutschriften 400,00\u00a0€',
			amounts: ['1.000,00\u00a0€', '\u2212400,00\u00a0€', '600,00\u00a0€'],
		},
		en: {
			total: 'Invoice amount',
			paid: 'Less payments and credits',
			open: 'Open invoice amount',
			textNote: '(invoice amount €1,000.00, less payments and credits €400.00)',
			htmlNote: 'Invoice amount €1,000.00, less payments and credits €400.00',
			amounts: ['€1,000.00', '\u2212€400.00', '€600.00'],
		},
	} as const;
	const cases = DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.map((level) => [language as keyof typeof words, level] as const));

	test.each(cases)('%s level %d, one invoice: total and the deduction before the open amount, only after a part payment', (language, level) => {
		const w = words[language];
		const r = email(paidInvoice(), language, level);
		const lines = r.text.split('\n');
		const at = lines.indexOf(`${w.open}: ${w.amounts[2]}`);
		expect(lines.slice(at - 2, at)).toEqual([`${w.total}: ${w.amounts[0]}`, `${w.paid}: ${w.amounts[1]}`]);
		const cell = (label: string, value: string) => `<tr><td style="padding:2px 16px 2px 0">${label}</td><td style="text-align:right">${value}</td></tr>`;
		const rows = [cell(w.total, w.amounts[0]), cell(w.paid, w.amounts[1]), cell(w.open, w.amounts[2])];
		expect(r.html.replace(/\n\s*/g, '')).toContain(rows.join(''));

		for (const unpaid of [invoiceItem(1), paidInvoice({ amount: 600 })]) {
			const plain = email(unpaid, language, level);
			expect(plain.text).not.toMatch(new RegExp(`^(${w.total}|${w.paid}):`, 'm'));
			expect(plain.html).not.toContain(`>${w.total}</td>`);
			expect(plain.html).not.toContain(w.paid);
		}
	});

	test.each(cases)('%s level %d, a group: the note on the invoice that was paid in part, and on no other', (language, level) => {
		expect(`${email(paidGroup(), language, level).text}${email(paidInvoice(), language, level).html}`).not.toMatch(/bereits gezahlt|already paid/i);
		const w = words[language];
		const r = email(paidGroup(), language, level);
		const [first, second] = r.text.split('\n').filter((l) => l.startsWith('- '));
		expect(first).toContain(`: ${w.amounts[2]} ${w.textNote}`);
		expect(second).not.toContain(w.paid.toLowerCase());
		const htmlRows = r.html.split('\n').filter((l) => l.includes('RE-2026-000'));
		expect(htmlRows[0]).toContain(`<br><span style="font-size:12px;color:#555">${w.htmlNote}</span></td>`);
		expect(htmlRows[1]).not.toContain(w.paid.toLowerCase());

		const plain = email(groupItem(2), language, level);
		expect(plain.text).not.toContain(w.paid.toLowerCase());
		expect(plain.html).not.toContain(w.paid.toLowerCase());
	});

	test.each([
		['de', 'keinen vollständigen Zahlungseingang', 'keinen Zahlungseingang'],
		['en', 'not yet received full payment', 'not yet received your payment'],
	] as const)('%s level 1: after a part payment it does not say that no payment came in', (language, partly, none) => {
		for (const json of [paidInvoice(), paidGroup()]) {
			const r = email(json, language, 1);
			expect(r.text).toContain(partly);
			expect(r.html).toContain(partly);
		}
		for (const json of [invoiceItem(1), groupItem(2)]) {
			const r = email(json, language, 1);
			expect(r.text).toContain(none);
			expect(r.text).not.toContain(partly);
		}
		const intro = (json: Json) => buildLetterModel(speak(json, language, 1), letterOptions()).intro;
		expect(intro(paidInvoice())).toContain(partly);
		expect(intro(invoiceItem(1))).toContain(none);
	});

	test.each([
		['de', 'weiterhin nicht vollständig beglichen', 'weiterhin nicht beglichen'],
		['en', 'still not paid in full', 'still unpaid'],
	] as const)('%s level 2: after a part payment "not paid in full" (e-mail text and HTML, letter; one invoice and a group)', (language, partly, none) => {
		const intro = (json: Json) => buildLetterModel(speak(json, language, 2), letterOptions()).intro;
		for (const json of [paidInvoice, paidGroup]) {
			const r = email(json(), language, 2);
			for (const text of [r.text, r.html, intro(json())]) {
				expect(text).toContain(partly);
				expect(text).not.toContain(none);
			}
		}
		for (const json of [() => invoiceItem(1), () => groupItem(2)]) {
			const r = email(json(), language, 2);
			for (const text of [r.text, r.html, intro(json())]) {
				expect(text).toContain(none);
				expect(text).not.toContain(partly);
			}
		}
	});

	test.each(cases)('%s level %d: a reminder after a part payment never calls the invoice unpaid above the deduction', (language, level) => {
		const unpaid = /nicht beglichen|keinen Zahlungseingang|\bunpaid\b|received your payment/;
		for (const json of [paidInvoice, paidGroup]) {
			const r = email(json(), language, level);
			expect(r.text).not.toMatch(unpaid);
			expect(r.html).not.toMatch(unpaid);
			expect(buildLetterModel(speak(json(), language, level), letterOptions()).intro).not.toMatch(unpaid);
		}
	});
});

describe('the letter', () => {
	const notes = (json: Json) => buildLetterModel(json, letterOptions()).rows.map((row) => row.notes);

	test('a note under the row of the invoice paid in part, in the letter’s language; none without a payment', () => {
		expect(notes(paidInvoice())[0]).toContain('Rechnungsbetrag 1.000,00\u00a0€, abzüglich Zahlungen und Gutschriften 400,00\u00a0€');
		expect(notes(speak(paidInvoice(), 'en', 2))[0]).toContain('Invoice amount €1,000.00, less payments and credits €400.00');
		const [first, second] = notes(paidGroup());
		expect(first).toContain('Rechnungsbetrag 1.000,00\u00a0€, abzüglich Zahlungen und Gutschriften 400,00\u00a0€');
		expect(second.join(' ')).not.toContain('Gutschriften');
		for (const unpaid of [invoiceItem(1), paidInvoice({ amount: 500 })]) expect(notes(unpaid)[0].join(' ')).not.toContain('Gutschriften');
		expect([...notes(paidGroup()), ...notes(speak(paidInvoice(), 'en', 2))].flat().join(' ')).not.toMatch(/gezahlt|already paid/i);
	});
});

describeWithPdfTools('the letter read back from the PDF', () => {
	test('the invoice total and what was deducted are printed under the invoice, before the totals', async () => {
		const { pdf } = await renderLetterPdf(buildLetterModel(paidInvoice(), letterOptions()));
		const [page] = pdfPages(pdf).map((p) => p.replace(/\u00a0/g, ' '));
		const note = page.indexOf('Rechnungsbetrag 1.000,00 €, abzüglich Zahlungen und Gutschriften 400,00 €');
		expect(note).toBeGreaterThan(page.indexOf('RE-2026-0001'));
		expect(note).toBeLessThan(page.indexOf('Zu zahlender Gesamtbetrag'));
	});
});
