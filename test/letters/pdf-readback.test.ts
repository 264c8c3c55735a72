/**
 * The written PDFs read back with poppler and zbar: what a printer and a banking app will see.
 */
import { formGeometry } from '../../lib/letters/din5008';
import { buildLetterModel } from '../../lib/letters/letter-model';
import { LetterPdf, renderLetterPdf } from '../../lib/letters/pdf';
import { buildEpcPayload } from '../../lib/payment/epc-qr';
import { COMPANY, groupItem, invoiceItem, letterOptions, mixedGroupItem } from './fixtures';
import { decodeQrCodes, describeWithPdfTools, pdfPages, pdfWords } from './pdf-tools';

const nbsp = (s: string) => s.replace(/\u00a0/g, ' ');

describeWithPdfTools('reminder letters read back from the PDF', () => {
	it.each(['B', 'A'] as const)('form %s: the recipient block lies inside the window area of the address field', async (form) => {
		const { pdf } = await renderLetterPdf(buildLetterModel(invoiceItem(1), letterOptions({ form })));
		const field = formGeometry(form).addressField;
		const words = pdfWords(pdf).filter((w) => w.page === 1);
		// pdftotext reports boxes in points with three decimals: allow 0.01 mm of rounding.
		const e = 0.01;
		const recipient = ['Zofia', 'Łukasiewicz-Çelik', 'Dvořákova', '12', '10117'];
		for (const text of recipient) {
			const word = words.find((w) => w.text === text && w.yMin > field.y);
			expect(word).toBeDefined();
			expect(word!.xMin).toBeGreaterThanOrEqual(field.x - e);
			expect(word!.xMax).toBeLessThanOrEqual(field.x + field.width + e);
			expect(word!.yMin).toBeGreaterThanOrEqual(field.y + 17.7 - e);
			expect(word!.yMax).toBeLessThanOrEqual(field.y + field.height + e);
		}
		// The return address sits in the same field, above the recipient.
		const sender = words.find((w) => w.text === 'Hauptstraße' && w.yMin > field.y && w.yMax < field.y + 17.7);
		expect(sender).toBeDefined();
	});

	it('totals, IBAN, reference and deadline are on the page; European names survive the embedded font', async () => {
		const name = 'Åsa Øre-Þórsdóttir Şükrü Příliš Żółć Straße';
		const { pdf } = await renderLetterPdf(buildLetterModel(invoiceItem(3, { customerName: name }), letterOptions()));
		const [page] = pdfPages(pdf).map(nbsp);
		expect(page).toContain('Zu zahlender Gesamtbetrag');
		expect(page).toContain('149,23 €');
		expect(page).toContain('DE89 3704 0044 0532 0130 00');
		expect(page).toContain('RE-2026-0003');
		expect(page).toContain('24. März 2026');
		expect(page).toContain('HRB 123456 B');
		expect(page).toContain('Berlin-Charlottenburg');
		expect(page).toContain(`Guten Tag ${name},`);
		expect(pdfWords(pdf).map((w) => w.text)).toEqual(expect.arrayContaining(['Åsa', 'Øre-Þórsdóttir', 'Şükrü', 'Příliš', 'Żółć']));
	});

	it('a 40-invoice collective letter has a page 2, and the totals follow the last invoice', async () => {
		const { pdf, pages } = await renderLetterPdf(buildLetterModel(groupItem(40), letterOptions()));
		expect(pages).toBeGreaterThanOrEqual(2);
		const text = pdfPages(pdf).map(nbsp);
		expect(text.length).toBe(pages);
		expect(text[1]).toMatch(/Seite 2 von \d/);
		const last = text.findIndex((p) => p.includes('RE-2026-0040'));
		expect(last).toBeGreaterThanOrEqual(1);
		expect(text[last].indexOf('Zu zahlender Gesamtbetrag')).toBeGreaterThan(text[last].indexOf('RE-2026-0040'));
		expect(text[last]).toContain('6.669,20 €');
	});

	// Every third invoice carries an interest note (a taller row): moves the page breaks to other counts.
	it.each([
		['plain', groupItem],
		['with interest notes on every third row', mixedGroupItem],
	] as const)('%s: the page with the totals also holds the table head and at least one invoice row, for every length around the page breaks', async (_name, make) => {
		const alone: number[] = [];
		for (let count = 8; count <= 45; count++) {
			const { pdf } = await renderLetterPdf(buildLetterModel(make(count), letterOptions()));
			const page = pdfPages(pdf).find((p) => p.includes('Zu zahlender Gesamtbetrag')) ?? '';
			if (!/RE-2026-\d{4}/.test(page) || !/Rechnung +Fällig/.test(page)) alone.push(count);
		}
		expect(alone).toEqual([]);
	});

	it('the GiroCode decodes to exactly the expected EPC payload, umlauts included', async () => {
		const company = { ...COMPANY, accountHolder: 'Müller & Söhne Handels GmbH' };
		const { pdf } = await renderLetterPdf(buildLetterModel(invoiceItem(12), letterOptions({}, company)));
		const expected = buildEpcPayload({ name: 'Müller & Söhne Handels GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', amount: 158.23, remittance: 'RE-2026-0012' });
		expect(expected).toBe('BCD\n002\n1\nSCT\nCOBADEFFXXX\nMüller & Söhne Handels GmbH\nDE89370400440532013000\nEUR158.23\n\n\nRE-2026-0012');
		expect(decodeQrCodes(pdf, 1)).toEqual([expected]);
		// …and the amount in the code is the one printed beside it.
		expect(nbsp(pdfPages(pdf)[0])).toMatch(/Betrag\s+158,23 €/);
	});

	it('an amount with float noise from an ERP (12.344999999999999 for 12.345) prints as the GiroCode says, and rows add up to the total', async () => {
		const noisy = invoiceItem(1, { openAmount: 12.344999999999999 });
		noisy.dunning = { ...(noisy.dunning as object), fee: 0, flatFee: 0, interest: 0, interestPeriods: [], totalDue: 12.344999999999999 };
		const { pdf } = await renderLetterPdf(buildLetterModel(noisy, letterOptions()));
		const [code] = decodeQrCodes(pdf, 1);
		expect(code.split('\n')[7]).toBe('EUR12.35');
		expect(nbsp(pdfPages(pdf)[0])).toMatch(/Betrag\s+12,35 €/);

		// Two invoices of 1.005 each: each row says 1,01 €, so the total must say 2,02 €.
		const group = groupItem(2);
		for (const member of group.invoices as Array<Record<string, unknown>>) {
			member.openAmount = 1.005;
			member.dunning = { ...(member.dunning as object), fee: 0, flatFee: 0, interest: 0, interestPeriods: [], totalDue: 1.005 };
		}
		delete (group.dunning as Record<string, unknown>).totalDue;
		const batch = await renderLetterPdf(buildLetterModel(group, letterOptions()));
		const page = nbsp(pdfPages(batch.pdf)[0]);
		expect(page).toMatch(/Zu zahlender Gesamtbetrag\s+2,02 €/);
		expect(decodeQrCodes(batch.pdf, 1)[0].split('\n')[7]).toBe('EUR2.02');
	});

	it('the print batch holds every letter, each starting on its own page with its own page count', async () => {
		const batch = new LetterPdf();
		batch.add(buildLetterModel(invoiceItem(1), letterOptions()));
		batch.add(buildLetterModel(groupItem(40), letterOptions()));
		batch.add(buildLetterModel(invoiceItem(2, { language: 'en' }), letterOptions()));
		const pages = pdfPages(await batch.end()).map(nbsp);
		expect(pages.length).toBe(batch.pages);
		expect(pages[0]).toMatch(/Seite 1 von 1/);
		expect(pages[1]).toMatch(/Seite 1 von (\d)/);
		expect(pages[pages.length - 1]).toMatch(/Page 1 of 1/);
		expect(pages[pages.length - 1]).toContain('First dunning notice for invoice RE-2026-0002');
	});
});
