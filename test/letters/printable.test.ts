/**
 * What a letter prints must be printable: characters the embedded font has, left to right. pdfkit
 * does no bidi reordering, so Hebrew or Arabic text would come out with its letters reversed, and a
 * character the font lacks prints as an empty box. Both fail the letter naming the field to fix.
 */
import { printProblem, rightToLeft, unprintable } from '../../lib/letters/fonts';
import { buildLetterModel, DEFAULT_ADDRESS_FIELDS, LetterInputError, type LetterOptions } from '../../lib/letters/letter-model';
import { COMPANY, groupItem, invoiceItem, letterOptions } from './fixtures';

/** "field: message" of the letter's error, or "built". */
function failure(item: Record<string, unknown>, options: Partial<LetterOptions> = {}, company: Record<string, unknown> = COMPANY): string {
	try {
		buildLetterModel(item, letterOptions(options, company));
		return 'built';
	} catch (error) {
		return error instanceof LetterInputError ? `${error.field}: ${error.message}` : `not a LetterInputError: ${String(error)}`;
	}
}

const RTL_REASON = 'a letter cannot print right-to-left text (Hebrew, Arabic …), its letters would come out in reverse order; write it in Latin letters (a transliteration)';

describe('right-to-left text', () => {
	it('the font has Hebrew and Arabic letters, so only the direction check finds them: every strong RTL block and the presentation forms', () => {
		expect(unprintable('רחוב הרצל 12')).toEqual([]);
		expect(unprintable('شارع الملك فهد 45')).toEqual([]);
		// Hebrew, Arabic, Syriac, Arabic Supplement, Thaana, NKo, Samaritan, Mandaic, Arabic Extended-A, Hebrew and Arabic presentation forms.
		for (const char of ['א', 'ش', '\u0710', '\u0750', '\u0780', '\u07ca', '\u0800', '\u0840', '\u08a0', '\ufb1d', '\ufb50', '\ufe70', '\u{10800}', '\u{1e900}']) {
			expect([char, rightToLeft(`Name ${char}`)]).toEqual([char, [char]]);
		}
		// Left-to-right scripts, the byte order mark and the noncharacters between the presentation forms are not right-to-left.
		expect(rightToLeft('Zofia Łukasiewicz Γιώργος Ирина ß € \ufeff \ufdd0')).toEqual([]);
		expect(printProblem('Zofia Łukasiewicz-Çelik')).toBeNull();
		expect(printProblem('Cohen רחוב')).toBe(`has right-to-left text (ר ח ו ב): ${RTL_REASON}`);
	});

	it('in the postal address, fails naming the field (the font check passed it, and the window showed it reversed)', () => {
		expect(failure(invoiceItem(1, { customerName: 'Cohen Ltd', street: 'רחוב הרצל 12', city: 'תל אביב', country: 'IL' }))).toBe(
			`street: The field "street" (street) has right-to-left text (ר ח ו ב ה): ${RTL_REASON}`,
		);
		expect(failure(invoiceItem(1, { customerName: 'شركة الأمل', street: 'King Fahd Road 45', city: 'Riyadh', country: 'SA' }))).toBe(
			`customerName: The field "customerName" (customer name) has right-to-left text (ش ر ك ة ا): ${RTL_REASON}`,
		);
		// Transliterated, the same address prints.
		expect(failure(invoiceItem(1, { customerName: 'Cohen Ltd', street: 'Rehov Herzl 12', city: 'Tel Aviv', country: 'IL' }))).toBe('built');
	});

	it('in company details, invoice numbers, customer number and payment link, fails naming each', () => {
		expect(failure(invoiceItem(1), {}, { ...COMPANY, city: 'ירושלים' })).toMatch(/^city: Company details: "city" has right-to-left text \(י ר ו ש ל\): a letter cannot print right-to-left text/);
		expect(failure(invoiceItem(1, { invoiceNumber: 'RE-٢٠٢٦-1' }))).toMatch(/^invoiceNumber: The field "invoiceNumber" \(invoice number\) "RE-٢٠٢٦-1" has right-to-left text/);
		expect(failure(invoiceItem(1, { customerId: 'ק-1001' }))).toMatch(/^customerId: The field "customerId" \(customer ID\) has right-to-left text/);
		expect(failure(invoiceItem(1, { paymentLink: 'https://pay.example/دفع' }))).toMatch(/^paymentLink: The field "paymentLink" \(payment link\) has right-to-left text/);
	});
});

describe('the rendered letter texts', () => {
	it('an own closing with an emoji or Chinese fails naming the part of Letter Texts, instead of printing empty boxes', () => {
		const customTexts = (language: string, level: number) => (level === 2 ? { closing: 'Vielen Dank 🙏 für Ihre Zahlung. 谢谢' } : undefined);
		expect(failure(invoiceItem(1), { customTexts })).toBe(
			'letterTexts: Letter Texts: the Closing for "de", level 2 (own text), has characters the letter font cannot print (🙏 谢)',
		);
		const hebrew = () => ({ subject: 'תזכורת {{invoiceNumber}}' });
		expect(failure(invoiceItem(1), { customTexts: hebrew })).toBe(`letterTexts: Letter Texts: the Subject for "de", level 2 (own text), has right-to-left text (ת ז כ ו ר): ${RTL_REASON}`);
		// Line breaks are the texts' paragraphs, not unprintable characters.
		const paragraphs = () => ({ closing: 'Erste Zeile\n\nZweite\tZeile\r\nDritte' });
		expect(failure(invoiceItem(1), { customTexts: paragraphs })).toBe('built');
	});

	it('a value a text shows (a Chinese contact name in the salutation, an item field in an own text) fails naming that item field', () => {
		// The window shows the company; the shipped salutation greets customerName.
		const address = { ...DEFAULT_ADDRESS_FIELDS, name: 'company' };
		expect(failure(invoiceItem(1, { company: 'Wang Trading GmbH', customerName: '王小明' }), { address })).toBe(
			'customerName: The field "customerName", shown in the letter\'s introduction, has characters the letter font cannot print (王 小 明): write it in Latin letters for a letter',
		);
		expect(failure(invoiceItem(1, { company: 'Wang Trading GmbH', customerName: 'Wang Xiaoming' }), { address })).toBe('built');
		const customTexts = () => ({ intro: 'Sehr geehrte Damen und Herren,\n\nAnsprechpartner: {{contact.name}}' });
		expect(failure(invoiceItem(1, { contact: { name: 'دانا' } }), { customTexts })).toBe(
			`contact.name: The field "contact.name", shown in the letter's introduction, has right-to-left text (د ا ن): ${RTL_REASON}`,
		);
	});

	it('a payment link of one invoice of a collective letter (printed under its row) fails naming the field and the invoice', () => {
		const group = groupItem(3);
		(group.invoices as Array<Record<string, unknown>>)[1].paymentLink = 'https://pay.example/支付';
		expect(failure(group)).toBe('paymentLink: The field "paymentLink" (payment link) of invoice 2 in "invoices" has characters the letter font cannot print (支 付)');
		(group.invoices as Array<Record<string, unknown>>)[1].paymentLink = 'https://pay.example/r2';
		expect(failure(group)).toBe('built');
	});

	it('a language whose dates and amounts are written in a right-to-left script fails naming the language field', () => {
		const customTexts = (language: string) => (language === 'ar' ? { subject: 'Reminder {{invoiceNumber}}', intro: 'Dear customer,', closing: 'Thank you.' } : undefined);
		expect(failure(invoiceItem(1, { language: 'ar' }), { customTexts })).toMatch(
			/^language: The field "language" asks for a letter in "ar", which writes dates and amounts as ".*"; that has right-to-left text \(.*\): a letter cannot print right-to-left text/,
		);
		expect(failure(invoiceItem(1, { language: 'en' }), { customTexts })).toBe('built');
	});
});
