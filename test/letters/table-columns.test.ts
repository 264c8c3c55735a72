/**
 * A letter's invoice table prints fee, flat fee and interest columns only where an invoice of the
 * letter carries one: a payment reminder (level 1) charges nothing, and columns of 0,00 € would
 * read as if it did. Without any of them the Summe column would only repeat "Offen", so it goes too.
 */
import { formGeometry } from '../../lib/letters/din5008';
import { layoutLetter, type DrawOp } from '../../lib/letters/layout';
import { buildLetterModel } from '../../lib/letters/letter-model';
import { LetterPdf, renderLetterPdf } from '../../lib/letters/pdf';
import { groupItem, invoiceItem, letterOptions } from './fixtures';
import { describeWithPdfTools, pdfPages } from './pdf-tools';

const measure = new LetterPdf().measure;
const texts = (ops: DrawOp[], role: string) => ops.filter((o): o is Extract<DrawOp, { kind: 'text' }> => o.kind === 'text' && o.role === role);
const nbsp = (s: string) => s.replace(/\u00a0/g, ' ');

/** A level-1 payment reminder: no fee, no flat fee, no interest. */
function reminderItem(k = 1, charges: { fee?: number; flatFee?: number; interest?: number } = {}): Record<string, unknown> {
	const base = invoiceItem(k);
	const { fee = 0, flatFee = 0, interest = 0 } = charges;
	const open = base.openAmount as number;
	return {
		...base,
		dunning: {
			...(base.dunning as object),
			level: 1,
			stageName: 'Zahlungserinnerung',
			fee,
			flatFee,
			interest,
			interestPeriods: [],
			totalDue: Math.round((open + fee + flatFee + interest) * 100) / 100,
		},
	};
}

function group(members: Array<Record<string, unknown>>): Record<string, unknown> {
	const item = groupItem(members.length);
	const cents = (key: string) => members.reduce((s, m) => s + Math.round((m.dunning as Record<string, number>)[key] * 100), 0) / 100;
	item.invoices = members;
	item.dunning = { ...(item.dunning as object), level: 1, fee: cents('fee'), flatFee: cents('flatFee'), interest: cents('interest'), totalDue: cents('totalDue') };
	return item;
}

describe('invoice table columns', () => {
	test('a level-1 letter prints no fee, flat fee or interest column, nor a Summe repeating "Offen"; the totals below stay', () => {
		const model = buildLetterModel(reminderItem(1), letterOptions());
		expect(model.columns).toEqual(['invoice', 'dueDate', 'open']);
		const page = layoutLetter(model, measure).pages[0];
		expect(texts(page, 'tableHead').map((t) => t.text)).toEqual(['Rechnung', 'Fällig am', 'Offen']);
		expect(texts(page, 'tableRow').map((t) => nbsp(t.text))).toEqual(['RE-2026-0001', '14.02.2026', '101,00 €']);
		expect(model.totals.map((t) => [t.label, nbsp(t.value)])).toEqual([
			['Offene Rechnungsbeträge', '101,00 €'],
			['Zu zahlender Gesamtbetrag', '101,00 €'],
		]);
	});

	test('the amounts stay right-aligned under their heads, the last at the right margin as the totals', () => {
		const right = (t: Extract<DrawOp, { kind: 'text' }>) => t.x + measure(t.text, t.font, t.size);
		const g = formGeometry('B');
		// Level 1: "Offen" is the last column.
		const reminder = layoutLetter(buildLetterModel(reminderItem(1), letterOptions()), measure).pages[0];
		const [, , openHead] = texts(reminder, 'tableHead');
		const [, , open] = texts(reminder, 'tableRow');
		expect(right(openHead)).toBeCloseTo(g.textRight, 5);
		expect(right(open)).toBeCloseTo(g.textRight, 5);
		expect(right(texts(reminder, 'total')[1])).toBeCloseTo(g.textRight, 5);
		// With a charge: Summe last.
		const charged = layoutLetter(buildLetterModel(reminderItem(1, { fee: 2.5 }), letterOptions()), measure).pages[0];
		const [, , chargedOpenHead, , sumHead] = texts(charged, 'tableHead');
		const [, , chargedOpen, , sum] = texts(charged, 'tableRow');
		expect(right(sumHead)).toBeCloseTo(g.textRight, 5);
		expect(right(sum)).toBeCloseTo(g.textRight, 5);
		expect(right(chargedOpen)).toBeCloseTo(right(chargedOpenHead), 5);
		expect(right(chargedOpen)).toBeLessThan(sum.x);
	});

	test('a collective letter without charges: no Summe column either; with a fee on one invoice it is back', () => {
		expect(buildLetterModel(group([reminderItem(1), reminderItem(2)]), letterOptions()).columns).toEqual(['invoice', 'dueDate', 'open']);
		expect(buildLetterModel(group([reminderItem(1), reminderItem(2, { fee: 2.5 })]), letterOptions()).columns).toEqual(['invoice', 'dueDate', 'open', 'fee', 'total']);
	});

	test('a column shows when one invoice of a collective letter has an amount in it, with 0,00 € for the others', () => {
		const model = buildLetterModel(group([reminderItem(1), reminderItem(2, { interest: 1.23 })]), letterOptions());
		expect(model.columns).toEqual(['invoice', 'dueDate', 'open', 'interest', 'total']);
		const page = layoutLetter(model, measure).pages[0];
		expect(texts(page, 'tableHead').map((t) => t.text)).toEqual(['Rechnung', 'Fällig am', 'Offen', 'Zinsen', 'Summe']);
		expect(texts(page, 'tableRow').map((t) => nbsp(t.text))).toEqual(['RE-2026-0001', '14.02.2026', '101,00 €', '0,00 €', '101,00 €', 'RE-2026-0002', '14.02.2026', '102,00 €', '1,23 €', '103,23 €']);
		expect(model.totals.map((t) => nbsp(t.value))).toEqual(['203,00 €', '1,23 €', '204,23 €']);
	});

	test('a letter that charges fee, flat fee and interest prints every column', () => {
		const model = buildLetterModel(invoiceItem(1), letterOptions());
		expect(model.columns).toEqual(['invoice', 'dueDate', 'open', 'fee', 'flatFee', 'interest', 'total']);
		expect(texts(layoutLetter(model, measure).pages[0], 'tableHead').map((t) => t.text)).toEqual(['Rechnung', 'Fällig am', 'Offen', 'Gebühr', 'Pauschale', 'Zinsen', 'Summe']);
	});
});

describeWithPdfTools('invoice table columns read back from the PDF', () => {
	test('a level-1 letter shows no 0,00 € and no fee or interest heads', async () => {
		const { pdf } = await renderLetterPdf(buildLetterModel(reminderItem(1), letterOptions()));
		const [page] = pdfPages(pdf).map(nbsp);
		expect(page).toMatch(/Rechnung\s+Fällig am\s+Offen\n/);
		expect(page).not.toMatch(/Gebühr|Pauschale|Zinsen|Summe/);
		expect(page).not.toContain('0,00 €');
		expect(page).toMatch(/RE-2026-0001\s+14\.02\.2026\s+101,00 €\n/);
		expect(page).toMatch(/Zu zahlender Gesamtbetrag\s+101,00 €/);
	});
});
