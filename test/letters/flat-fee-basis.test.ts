/**
 * The flat fee line cites the statute of the merchant's country (the company details' country):
 * § 288 (5) BGB for a German merchant (and one without a country), § 458 UGB for an Austrian one,
 * none for any other; and the footer names the VAT number and register as the sender's country does.
 */
import { buildLetterModel, type LetterModel } from '../../lib/letters/letter-model';
import { renderLetterPdf } from '../../lib/letters/pdf';
import { COMPANY, groupItem, invoiceItem, letterOptions } from './fixtures';
import { describeWithPdfTools, pdfPages } from './pdf-tools';

const AT = {
	...COMPANY,
	name: 'Alpen Handel GmbH',
	street: 'Mariahilfer Straße 1',
	postalCode: '1060',
	city: 'Wien',
	country: 'AT',
	seat: 'Wien',
	registerCourt: 'Handelsgericht Wien',
	registerNumber: 'FN 123456a',
	vatId: 'ATU12345678',
	accountHolder: 'Alpen Handel GmbH',
	iban: 'AT61 1904 3002 3457 3201',
	bic: 'BKAUATWWXXX',
};
const CH = {
	...COMPANY,
	name: 'Berg Handel AG',
	street: 'Bahnhofstrasse 1',
	postalCode: '8001',
	city: 'Zürich',
	country: 'CH',
	seat: 'Zürich',
	registerCourt: 'Handelsregisteramt Zürich',
	registerNumber: 'CHE-123.456.789',
	vatId: 'CHE-123.456.789 MWST',
	accountHolder: 'Berg Handel AG',
	iban: 'CH93 0076 2011 6238 5295 7',
	bic: 'POFICHBEXXX',
};

/** A German business customer in München: 40 € flat fee on a euro invoice. */
const business = (k = 1) => invoiceItem(k, { customerName: 'Müller Bau GmbH', customerType: 'business', street: 'Hauptstraße 5', postalCode: '80331', city: 'München', country: 'DE' });
const inEnglish = (json: Record<string, unknown>) => {
	for (const item of [json, ...((json.invoices as Array<Record<string, unknown>> | undefined) ?? [])]) item.language = 'en';
	return json;
};
const letter = (json: Record<string, unknown>, company: Record<string, unknown>) => buildLetterModel(json, letterOptions({}, company));
const totals = (model: LetterModel) => model.totals.map((t) => `${t.label}: ${t.value}`);
/** Every text the letter prints (not the logo). */
const printed = (model: LetterModel) => JSON.stringify({ ...model, logo: null, labels: null });

describe('the flat fee line cites the merchant’s statute', () => {
	test('Austrian merchant: § 458 UGB, in German and English, for one invoice and several', () => {
		expect(totals(letter(business(), AT))).toContain('Verzugspauschale (§ 458 UGB): 40,00\u00a0€');
		expect(totals(letter(groupItem(3), AT))).toContain('Verzugspauschalen (§ 458 UGB, 3 × 40,00\u00a0€): 120,00\u00a0€');
		expect(totals(letter(inEnglish(business()), AT))).toContain('Flat-rate compensation (§ 458 UGB): €40.00');
		expect(totals(letter(inEnglish(groupItem(3)), AT))).toContain('Flat-rate compensation (§ 458 UGB, 3 × €40.00): €120.00');
		// Also where the details write the country out, as countryKey reads it.
		expect(totals(letter(business(), { ...AT, country: 'Österreich' }))).toContain('Verzugspauschale (§ 458 UGB): 40,00\u00a0€');
		expect(printed(letter(business(), AT))).not.toContain('BGB');
	});

	test('Swiss merchant, euro invoice to a German business: no statute cited, no "BGB" anywhere', () => {
		const model = letter(business(), CH);
		expect(totals(model)).toContain('Verzugspauschale: 40,00\u00a0€');
		expect(printed(model)).not.toContain('BGB');
		expect(totals(letter(groupItem(3), CH))).toContain('Verzugspauschalen (3 × 40,00\u00a0€): 120,00\u00a0€');
		expect(totals(letter(groupItem(3), { ...CH, country: 'FR' }))).toContain('Verzugspauschalen (3 × 40,00\u00a0€): 120,00\u00a0€');
		expect(totals(letter(inEnglish(business()), CH))).toContain('Flat-rate compensation: €40.00');
		expect(totals(letter(inEnglish(groupItem(3)), CH))).toContain('Flat-rate compensation (3 × €40.00): €120.00');
	});

	test('German merchant, with or without a country: § 288 Abs. 5 BGB as before', () => {
		for (const company of [COMPANY, { ...COMPANY, country: 'DE' }, { ...COMPANY, country: 'Deutschland' }]) {
			expect(totals(letter(business(), company))).toContain('Verzugspauschale (§ 288 Abs. 5 BGB): 40,00\u00a0€');
			expect(totals(letter(groupItem(3), company))).toContain('Verzugspauschalen (§ 288 Abs. 5 BGB, 3 × 40,00\u00a0€): 120,00\u00a0€');
			expect(totals(letter(inEnglish(business()), company))).toContain('Flat-rate compensation (§ 288 (5) BGB): €40.00');
		}
	});
});

describe('the footer names VAT number and register as the sender’s country does', () => {
	const footer = (json: Record<string, unknown>, company: Record<string, unknown>) => letter(json, company).footer.flat();

	test('Austria: UID-Nr. and Firmenbuchgericht; Switzerland: MWST-Nr. and Handelsregister', () => {
		expect(footer(business(), AT)).toEqual(expect.arrayContaining(['UID-Nr. ATU12345678', 'Firmenbuchgericht: Handelsgericht Wien']));
		expect(footer(business(), CH)).toEqual(expect.arrayContaining(['MWST-Nr. CHE-123.456.789 MWST', 'Handelsregister: Handelsregisteramt Zürich']));
	});

	test('Germany (and no country) unchanged; English letters keep their captions', () => {
		for (const company of [COMPANY, { ...COMPANY, country: 'DE' }]) {
			expect(footer(business(), company)).toEqual(expect.arrayContaining(['USt-IdNr. DE123456789', 'Registergericht: Amtsgericht Berlin-Charlottenburg']));
		}
		expect(footer(inEnglish(business()), AT)).toEqual(expect.arrayContaining(['VAT ID ATU12345678', 'Register court: Handelsgericht Wien']));
	});
});

describeWithPdfTools('the printed letter', () => {
	const pdf = async (json: Record<string, unknown>, company: Record<string, unknown>) => (await renderLetterPdf(letter(json, company))).pdf;

	test('Austrian merchant: the PDF reads "Verzugspauschale (§ 458 UGB)" and no BGB', async () => {
		const pages = pdfPages(await pdf(business(), AT)).join('\n');
		expect(pages).toMatch(/Verzugspauschale \(§ 458 UGB\) +40,00 €/);
		expect(pages).not.toContain('BGB');
	});

	test('Swiss merchant: no "BGB" anywhere in the PDF', async () => {
		const pages = pdfPages(await pdf(business(), CH)).join('\n');
		expect(pages).toMatch(/Verzugspauschale +40,00 €/);
		expect(pages).not.toContain('BGB');
	});
});
