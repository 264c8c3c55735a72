import { compilePolicy, createDecider } from '../../lib/dunning';
import { AddressTooLongError, fitAddress } from '../../lib/letters/address-block';
import { formGeometry } from '../../lib/letters/din5008';
import { layoutLetter, type DrawOp } from '../../lib/letters/layout';
import { unprintable } from '../../lib/letters/fonts';
import { buildLetterModel, LetterDetailsError, LetterInputError, letterToday } from '../../lib/letters/letter-model';
import { LetterPdf } from '../../lib/letters/pdf';
import { epcQrMatrix } from '../../lib/letters/qr';
import { wrapText, type Measure } from '../../lib/letters/wrap';
import { buildEpcPayload } from '../../lib/payment/epc-qr';
import { COMPANY, groupItem, invoiceItem, letterOptions, mixedGroupItem } from './fixtures';

/** A monospaced stand-in: every character 0.2 mm per point of size. */
const mono: Measure = (text, _font, size) => [...text].length * 0.2 * size;
/** Real DejaVu metrics from pdfkit. */
const measure = new LetterPdf().measure;

const texts = (ops: DrawOp[], role?: string) => ops.filter((o): o is Extract<DrawOp, { kind: 'text' }> => o.kind === 'text' && (role === undefined || o.role === role));

describe('DIN 5008 geometry', () => {
	it('form B: address field 20 mm from the left, 45 mm from the top, 85 × 45 mm; folds at 105/210 mm; hole at 148.5 mm', () => {
		const g = formGeometry('B');
		expect(g.addressField).toEqual({ x: 20, y: 45, width: 85, height: 45 });
		expect(g.recipient).toEqual({ x: 25, y: 62.7, width: 75, height: 27.3 });
		expect(g.foldMarks).toEqual([105, 210]);
		expect(g.holeMark).toBe(148.5);
		expect(g.infoBlock.x).toBe(125);
		expect(g.infoBlock.y).toBe(50);
	});

	it('form A: address field at 27 mm, folds at 87/192 mm, information block at 32 mm', () => {
		const g = formGeometry('A');
		expect(g.addressField).toEqual({ x: 20, y: 27, width: 85, height: 45 });
		expect(g.foldMarks).toEqual([87, 192]);
		expect(g.infoBlock.y).toBe(32);
		expect(g.returnAddress.y + g.returnAddress.height).toBeCloseTo(27 + 17.7);
	});
});

describe('wrapping and fitting the address', () => {
	it('wraps at spaces within the width and breaks a word longer than the line', () => {
		expect(wrapText('aaaa bbbb cccc', 8, mono, 'regular', 5)).toEqual(['aaaa', 'bbbb', 'cccc']);
		expect(wrapText('aa bb cc', 7, mono, 'regular', 5)).toEqual(['aa bb', 'cc']);
		expect(wrapText('abcdefghijkl', 4, mono, 'regular', 5)).toEqual(['abcd', 'efgh', 'ijkl']);
		expect(wrapText('one\n\ntwo', 100, mono, 'regular', 5)).toEqual(['one', '', 'two']);
	});

	it('a short address stays at 10 pt; a long one wraps and shrinks, never wider or taller than the zone', () => {
		const zone = formGeometry('B').recipient;
		expect(fitAddress(['Zofia Nowak', 'Ul. Długa 5', '00-001 Warszawa', 'POLAND'], zone, mono).size).toBe(10);
		const long = ['Prof. Dr. Maximiliane Friederike von und zu Hohenzollern-Sigmaringen-Wittgenstein', 'Abteilung Forderungsmanagement und Zahlungsverkehr', 'Hauptstraße 123, Hinterhaus, 3. Obergeschoss links', '10115 Berlin', 'DEUTSCHLAND'];
		const fitted = fitAddress(long, zone, mono);
		expect(fitted.size).toBeLessThan(10);
		expect(fitted.lines.length).toBeGreaterThan(long.length);
		for (const line of fitted.lines) expect(mono(line, 'regular', fitted.size)).toBeLessThanOrEqual(zone.width);
		expect(fitted.lines.length * fitted.lineHeight).toBeLessThanOrEqual(zone.height);
		expect(fitted.lines.join(' ').replace(/\s+/g, '')).toBe(long.join(' ').replace(/\s+/g, ''));
	});

	it('refuses an address that fits at no size', () => {
		expect(() => fitAddress(Array.from({ length: 12 }, () => 'Zeile'), formGeometry('B').recipient, mono)).toThrow(AddressTooLongError);
	});
});

describe('letter layout', () => {
	it.each(['A', 'B'] as const)('form %s: every recipient line lies inside the address zone', (form) => {
		const layout = layoutLetter(buildLetterModel(invoiceItem(1), letterOptions({ form })), measure);
		const zone = formGeometry(form).recipient;
		const lines = texts(layout.pages[0], 'recipient');
		expect(lines.map((l) => l.text)).toEqual(['Zofia Łukasiewicz-Çelik', 'Dvořákova 12', '10117 Berlin']);
		for (const l of lines) {
			expect(l.x).toBeGreaterThanOrEqual(zone.x);
			expect(l.x + measure(l.text, l.font, l.size)).toBeLessThanOrEqual(zone.x + zone.width);
			expect(l.y).toBeGreaterThanOrEqual(zone.y);
			expect(l.y + l.size / (72 / 25.4)).toBeLessThanOrEqual(zone.y + zone.height);
		}
	});

	it('a 40-invoice collective letter continues on further pages, repeats the table head, and puts the totals after the last row', () => {
		const layout = layoutLetter(buildLetterModel(groupItem(40), letterOptions()), measure);
		expect(layout.pages.length).toBeGreaterThanOrEqual(2);
		const rows = layout.pages.flatMap((p, k) => texts(p, 'tableRow').filter((t) => t.text.startsWith('RE-')).map((t) => ({ page: k, ...t })));
		expect(rows.map((r) => r.text)).toEqual(Array.from({ length: 40 }, (_, k) => `RE-2026-${String(k + 1).padStart(4, '0')}`));
		const last = rows[rows.length - 1];
		const totals = layout.pages.flatMap((p, k) => texts(p, 'total').map((t) => ({ page: k, ...t })));
		expect(totals.some((t) => t.text === 'Zu zahlender Gesamtbetrag')).toBe(true);
		for (const t of totals) expect(t.page > last.page || (t.page === last.page && t.y > last.y)).toBe(true);
		for (const page of layout.pages.slice(1)) expect(texts(page, 'tableHead').length === 0 || texts(page, 'tableHead')[0].text === 'Rechnung').toBe(true);
		expect(texts(layout.pages[1], 'tableHead').map((t) => t.text)).toContain('Summe');
		expect(layout.pages.map((p) => texts(p, 'pageNumber')[0].text)).toEqual(layout.pages.map((_, k) => `Seite ${k + 1} von ${layout.pages.length}`));
	});

	it.each(['de', 'en'])('%s: the totals never open a page alone; the last invoice row (under the repeated table head) goes with them', (language) => {
		const alone: string[] = [];
		for (const [name, make] of [['plain', groupItem], ['mixed', mixedGroupItem]] as const) {
			for (let count = 1; count <= 80; count++) {
				const pages = layoutLetter(buildLetterModel({ ...make(count), language }, letterOptions()), measure).pages;
				const page = pages.find((p) => texts(p, 'total').length > 0) ?? [];
				if (!texts(page, 'tableRow').some((t) => t.text === `RE-2026-${String(count).padStart(4, '0')}`) || texts(page, 'tableHead').length === 0) alone.push(`${name} ${count}`);
			}
		}
		expect(alone).toEqual([]);
	});

	it('nothing in the body runs into the footer or past the right margin', () => {
		const layout = layoutLetter(buildLetterModel(groupItem(40), letterOptions()), measure);
		for (const page of layout.pages) {
			const footerTop = Math.min(...texts(page, 'footer').map((t) => t.y));
			for (const t of texts(page).filter((o) => o.role !== 'footer' && o.role !== 'pageNumber')) {
				expect(t.y).toBeLessThan(footerTop - 3);
				expect(t.x + measure(t.text, t.font, t.size)).toBeLessThanOrEqual(190.01);
			}
		}
	});

	it('a long company name takes two lines of the letterhead and the return address two lines at 5 pt: nothing leaves the page, nothing is cut', () => {
		const name = 'Internationale Handels- und Vertriebsgesellschaft für Sanitär-, Heizungs- und Klimatechnik Nordrhein-Westfalen mbH & Co. KG';
		const layout = layoutLetter(buildLetterModel(invoiceItem(1), letterOptions({}, { ...COMPANY, name, accountHolder: 'Muster Handels GmbH' })), measure);
		const head = texts(layout.pages[0], 'letterhead').filter((t) => t.font === 'bold');
		expect(head.length).toBe(2);
		expect(head.map((t) => t.text).join(' ')).toBe(name);
		for (const t of head) expect(t.x + measure(t.text, t.font, t.size)).toBeLessThanOrEqual(190.01);
		const ra = texts(layout.pages[0], 'returnAddress');
		expect(ra.map((t) => t.text).join(' ')).toBe(`${name} · Hauptstraße 1 · 10115 Berlin`);
		const zone = formGeometry('B').returnAddress;
		for (const t of ra) {
			expect(t.x + measure(t.text, t.font, t.size)).toBeLessThanOrEqual(zone.x + zone.width + 0.01);
			expect(t.y).toBeGreaterThanOrEqual(zone.y - 2);
		}
		const longer = buildLetterModel(invoiceItem(1), letterOptions({}, { ...COMPANY, name: `${name} ${name}`, accountHolder: 'Muster Handels GmbH' }));
		// Twice that long, it fits neither the letterhead nor the footer: the letter fails naming the details.
		expect(() => layoutLetter(longer, measure)).toThrow(LetterInputError);
		expect(() => layoutLetter(longer, measure)).toThrow(/^The company (?:name|details)/);
	});

	it('an invoice number too long for its column wraps in its row instead of being cut', () => {
		const number = '2026/FILIALE-BERLIN-MITTE/RECHNUNG/00012345k';
		const group = groupItem(5);
		for (const [k, member] of (group.invoices as Array<Record<string, unknown>>).entries()) member.invoiceNumber = `${number}${k}`;
		const layout = layoutLetter(buildLetterModel(group, letterOptions()), measure);
		const rows = texts(layout.pages[0], 'tableRow').filter((t) => t.x === formGeometry('B').textLeft);
		const joined = rows.map((t) => t.text).join('');
		for (let k = 0; k < 5; k++) expect(joined).toContain(`${number}${k}`);
		for (const t of rows) expect(t.x + measure(t.text, t.font, t.size)).toBeLessThanOrEqual(formGeometry('B').textLeft + 40);
	});

	it('a block taller than a page fails naming what to shorten instead of running over the footer and off the sheet', () => {
		const withoutBank = Object.fromEntries(Object.entries(COMPANY).filter(([key]) => key !== 'iban' && key !== 'bic'));
		// Without a bank account (no payment block, no reference to outgrow) the shipped closing would ask for a transfer to no account: an own closing says how to pay.
		const ownClosing = (company: Record<string, unknown>) => (company === COMPANY ? {} : { customTexts: () => ({ closing: 'Bitte zahlen Sie in bar.' }) });
		const tooTall = (item: Record<string, unknown>, company: Record<string, unknown> = COMPANY) => {
			try {
				layoutLetter(buildLetterModel(item, letterOptions(ownClosing(company), company)), measure);
			} catch (error) {
				return error instanceof LetterInputError ? [error.field, error.message] : ['not a LetterInputError', String(error)];
			}
			return ['no error'];
		};
		// An invoice number of 3,000 characters fills the information block down the first page.
		expect(tooTall(invoiceItem(1, { invoiceNumber: 'RE-'.repeat(1000) }), withoutBank)).toEqual([
			'invoiceNumber',
			'The information block (customer number, invoice number, dates) runs down the whole first page; shorten "invoiceNumber"',
		]);
		expect(tooTall(invoiceItem(1, { customerId: 'K-'.repeat(1500) }), withoutBank)[0]).toBe('customerId');
		// A payment link of 6,000 characters makes the payment block taller than a page.
		expect(tooTall(invoiceItem(1, { paymentLink: `https://pay.example/${'x'.repeat(6000)}` }))[0]).toBe('paymentLink');
		// A group member whose row (120 interest periods) is taller than a page.
		const group = groupItem(3);
		const member = (group.invoices as Array<Record<string, unknown>>)[1];
		// Amounts adding up to the member's interest (1.23), as periods must.
		(member.dunning as Record<string, unknown>).interestPeriods = Array.from({ length: 120 }, (_, k) => ({ from: '2026-02-15', to: '2026-03-10', days: 24, ratePct: 11.27, amount: k === 0 ? 0.04 : 0.01 }));
		const [field, message] = tooTall(group);
		expect([field, message]).toEqual(['invoices', expect.stringMatching(/^The row of invoice "RE-2026-0002" \(its number, dates, interest periods and payment link\) is taller than a page of the letter/)]);
		// One invoice: its interest periods.
		const single = invoiceItem(1);
		(single.dunning as Record<string, unknown>).interestPeriods = (member.dunning as Record<string, unknown>).interestPeriods;
		expect(tooTall(single)[0]).toBe('dunning.interestPeriods');
		// A long link that fits still prints, on as many lines as it takes.
		expect(tooTall(invoiceItem(1, { paymentLink: `https://pay.example/${'x'.repeat(600)}` }))).toEqual(['no error']);
	});

	it('company details too long for the footer fail naming them instead of leaving no room for the letter', () => {
		const directors = Array.from({ length: 45 }, (_, k) => `Geschäftsführerin Nummer ${k + 1} Mustermann`).join(', ');
		const model = buildLetterModel(invoiceItem(1), letterOptions({}, { ...COMPANY, managingDirectors: directors }));
		expect(() => layoutLetter(model, measure)).toThrow(LetterInputError);
		expect(() => layoutLetter(model, measure)).toThrow(/^The company details take \d+ lines in a column of the footer; at most 10 fit under a letter/);
		// Four directors still fit.
		const four = buildLetterModel(invoiceItem(1), letterOptions({}, { ...COMPANY, managingDirectors: 'Erika Mustermann, Jörg Schäfer, Anna Łukasiewicz, Ole Østergaard' }));
		expect(layoutLetter(four, measure).pages).toHaveLength(1);
	});

	it('the GiroCode carries exactly the total printed beside it, the reference and the IBAN', () => {
		const item = invoiceItem(7);
		const model = buildLetterModel(item, letterOptions());
		const layout = layoutLetter(model, measure);
		const qr = layout.pages.flat().find((o) => o.kind === 'qr') as Extract<DrawOp, { kind: 'qr' }>;
		const total = (item.dunning as { totalDue: number }).totalDue;
		expect(qr.payload).toBe(buildEpcPayload({ name: 'Muster Handels GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', amount: total, remittance: 'RE-2026-0007' }));
		expect(qr.payload.split('\n')[7]).toBe('EUR153.23');
		// Intl puts a no-break space before the euro sign.
		expect(texts(layout.pages[0], 'payment').map((t) => t.text.replace(/\u00a0/g, ' '))).toEqual(expect.arrayContaining(['153,23 €', 'DE89 3704 0044 0532 0130 00', 'RE-2026-0007']));
	});
});

describe('letter model', () => {
	it('a letter date or a currency that is none fails naming the field', () => {
		const badAsOf = invoiceItem(1);
		badAsOf.dunning = { ...(badAsOf.dunning as object), asOf: '2026-02-30' };
		expect(() => buildLetterModel(badAsOf, letterOptions({ date: '' }))).toThrow(new LetterInputError('dunning.asOf', 'The letter date "2026-02-30" is not a calendar date'));
		expect(() => buildLetterModel(invoiceItem(1), letterOptions({ date: '2026-02-30' }))).toThrow(new LetterInputError('letterDate', 'The letter date "2026-02-30" is not a calendar date'));
		expect(() => buildLetterModel(invoiceItem(1), letterOptions({ date: '2026' }))).toThrow(new LetterInputError('letterDate', 'The letter date "2026" is not a calendar date'));
		expect(() => buildLetterModel(invoiceItem(1, { currency: '€' }), letterOptions())).toThrow(/^The field "currency" \(currency\) must be a three-letter currency code \(ISO 4217\) such as EUR \(got "€"\)/);
		expect(() => buildLetterModel(invoiceItem(1, { currency: 'NaN' }), letterOptions())).toThrow(/^The field "currency" \(currency\) must be a three-letter currency code \(ISO 4217\) such as EUR \(got "NaN"\)/);
	});

	it('a claim in Compute Dunning Level\'s Default Currency (CHF, rows without a currency) is printed in CHF, without a euro GiroCode; a currency field that contradicts it fails naming both', () => {
		// Compute Dunning Level's own decision for a row without a currency, under Default Currency CHF.
		const row: Record<string, unknown> = { ...invoiceItem(1), currency: undefined, dunning: undefined };
		const decision = createDecider(compilePolicy({ defaultCurrency: 'CHF' }), '2026-03-10').evaluate(row as never);
		expect(decision).toMatchObject({ action: 'send', currency: 'CHF' });
		const model = buildLetterModel({ ...row, dunning: decision as unknown as Record<string, unknown> }, letterOptions({ defaultCurrency: 'EUR' }));
		expect(model.summary).toMatchObject({ currency: 'CHF', totalDue: decision.totalDue, girocode: false });
		expect(model.payment?.epcPayload ?? null).toBeNull();
		expect(model.closing).toContain('CHF');
		expect(model.closing).not.toContain('€');
		const contradicted = invoiceItem(1, { currency: 'EUR', dunning: { ...(invoiceItem(1).dunning as object), currency: 'CHF' } });
		expect(() => buildLetterModel(contradicted, letterOptions())).toThrow(
			new LetterInputError(
				'currency',
				'The field "currency" (currency) is EUR, but the field "dunning.currency" beside it is CHF: Compute Dunning Level computed the fees, interest and total in CHF, and a reminder must not print them in EUR. Run Compute Dunning Level again on the invoice as it is now (reading the same currency field as this node)',
			),
		);
		expect(() => buildLetterModel(invoiceItem(1, { dunning: { ...(invoiceItem(1).dunning as object), currency: 'NaN' } }), letterOptions())).toThrow(new LetterInputError('dunning.currency', 'The field "dunning.currency" must be a three-letter currency code (ISO 4217) such as EUR (got "NaN")'));
	});

	it('no GiroCode for another currency or without an IBAN; no payment block without IBAN and link (only with an own closing: the shipped one asks for a transfer)', () => {
		expect(buildLetterModel(invoiceItem(1, { currency: 'CHF' }), letterOptions()).payment?.epcPayload).toBeNull();
		const noIban = { ...COMPANY, iban: '' };
		expect(() => buildLetterModel(invoiceItem(1), letterOptions({}, noIban))).toThrow(LetterDetailsError);
		expect(buildLetterModel(invoiceItem(1), letterOptions({ customTexts: () => ({ closing: 'Bitte zahlen Sie in bar.' }) }, noIban)).payment).toBeNull();
		const withLink = buildLetterModel(invoiceItem(1, { paymentLink: 'https://pay.example/r1' }), letterOptions({}, noIban));
		expect(withLink.payment).toMatchObject({ link: 'https://pay.example/r1', epcPayload: null });
	});

	it('takes a payment link as the e-mail does: "www.…" gets https://, javascript: and bare text fail naming the field', () => {
		expect(buildLetterModel(invoiceItem(1, { paymentLink: 'www.pay.example/r1' }), letterOptions()).payment).toMatchObject({ link: 'https://www.pay.example/r1' });
		expect(() => buildLetterModel(invoiceItem(1, { paymentLink: 'javascript:alert(1)' }), letterOptions())).toThrow(
			new LetterInputError('paymentLink', 'The field "paymentLink" (payment link) must be a web address starting with https:// or http://, got "javascript:alert(1)"'),
		);
		const group = groupItem(2);
		(group.invoices as Array<Record<string, unknown>>)[1].paymentLink = 'pay.example/r2';
		expect(() => buildLetterModel(group, letterOptions())).toThrow(/^The field "paymentLink" \(payment link\) of invoice 2 in "invoices" must be a web address .*got "pay\.example\/r2"$/);
	});

	it('names the letter per language and level; English texts for an English customer', () => {
		expect(buildLetterModel(invoiceItem(1), letterOptions()).fileName).toBe('Mahnung-RE-2026-0001-2.pdf');
		const en = buildLetterModel(invoiceItem(1, { language: 'en' }), letterOptions());
		expect(en.fileName).toBe('Reminder-RE-2026-0001-2.pdf');
		expect(en.subject).toBe('First dunning notice for invoice RE-2026-0001');
		expect(en.closing).toMatch(/^Please transfer the total of €147\.23 by 24 March 2026 at the latest to the account below\./);
		expect(buildLetterModel(groupItem(3), letterOptions()).fileName).toBe('Mahnung-K-1001-2.pdf');
	});

	it('a missing address line fails with the field named; so does a bad amount', () => {
		const failure = (item: Record<string, unknown>) => {
			try {
				buildLetterModel(item, letterOptions());
				return 'built';
			} catch (error) {
				return `${(error as LetterInputError).field}: ${(error as Error).message}`;
			}
		};
		expect(failure(invoiceItem(1, { street: '' }))).toBe('street: The field "street" (street) is missing or empty: a letter needs the customer’s postal address');
		expect(failure(invoiceItem(1, { city: undefined }))).toMatch(/^city: /);
		expect(failure(invoiceItem(1, { openAmount: 'viel' }))).toMatch(/^openAmount: The field "openAmount" \(openAmount\) must be a number/);
	});

	it('an address the letter font cannot print (CJK) fails naming the field; emoji are left out; Greek, Cyrillic and Latin ones print', () => {
		const failure = (item: Record<string, unknown>) => {
			try {
				return `built: ${buildLetterModel(item, letterOptions()).recipient.join(' | ')}`;
			} catch (error) {
				return `${(error as LetterInputError).field}: ${(error as Error).message}`;
			}
		};
		expect(failure(invoiceItem(1, { customerName: '山田 太郎' }))).toBe(
			'customerName: The field "customerName" (customer name) has characters the letter font cannot print (山 田 太 郎): write the postal address in Latin letters for a letter',
		);
		// An emoji is no part of a postal address: left out (letter.warnings says so), the letter is printed.
		expect(failure(invoiceItem(1, { street: 'Hauptstraße 1 🏠' }))).toBe('built: Zofia Łukasiewicz-Çelik | Hauptstraße 1 | 10117 Berlin');
		expect(failure(invoiceItem(1, { customerName: 'Γιώργος Παπαδόπουλος' }))).toMatch(/^built: Γιώργος Παπαδόπουλος \| /);
		expect(failure(invoiceItem(1, { customerName: 'Ирина Шевчук' }))).toMatch(/^built: Ирина Шевчук \| /);
		expect(failure(invoiceItem(1, { customerName: 'Þórunn Ǿdegård-Ţurcanu' }))).toMatch(/^built: Þórunn Ǿdegård-Ţurcanu \| /);
	});

	const fieldOf = (item: Record<string, unknown>, company: Record<string, unknown> = COMPANY) => {
		try {
			const model = buildLetterModel(item, letterOptions({}, company));
			return `built: ${model.summary.paymentReference} | ${model.payment?.epcPayload?.split('\n')[10] ?? 'no code'}`;
		} catch (error) {
			return `${(error as LetterInputError).field}: ${(error as Error).message}`;
		}
	};

	it('an invoice number longer than a transfer carries fails naming it instead of a cut number in the reference and the code', () => {
		const long = `RE-2026-${'1234567890'.repeat(14)}77`;
		expect(fieldOf(invoiceItem(1, { invoiceNumber: long }))).toMatch(/^invoiceNumber: The payment reference would have 150 characters even with one invoice/);
		// A collective letter still leaves whole numbers out with "+N".
		const group = groupItem(20);
		expect(fieldOf(group)).toMatch(/^built: RE-2026-0001 .* \+\d+ \| RE-2026-0001 .* \+\d+$/);
	});

	it('a reference placeholder that is empty fails naming its item field; the printed reference is exactly what the code carries', () => {
		const noCustomer = invoiceItem(1, { customerId: '' });
		expect(fieldOf(noCustomer, { ...COMPANY, paymentReference: '{customerId}' })).toMatch(/^customerId: The payment reference "\{customerId\}" uses \{customerId\}, which is empty/);
		expect(fieldOf(noCustomer, { ...COMPANY, paymentReference: 'Kunde {customerId}' })).toMatch(/^customerId: /);
		// Without a payment block the reference is not printed, so it cannot fail the letter (one with an own closing: the shipped one needs an IBAN or a link).
		const cash = buildLetterModel(noCustomer, letterOptions({ customTexts: () => ({ closing: 'Bitte zahlen Sie in bar.' }) }, { ...COMPANY, iban: '', paymentReference: '{customerId}' }));
		expect([cash.summary.paymentReference, cash.payment]).toEqual([null, null]);
		expect(fieldOf(invoiceItem(1, { invoiceNumber: 'RE  1   2' }))).toBe('built: RE 1 2 | RE 1 2');
		expect(fieldOf(invoiceItem(1), { ...COMPANY, paymentReference: 'Kd  {customerId}  Re {invoiceNumber}' })).toBe('built: Kd K-1001 Re RE-2026-0001 | Kd K-1001 Re RE-2026-0001');
	});

	it('invoice numbers, company details and account holder the font cannot print or a bank cannot carry fail naming the field', () => {
		expect(fieldOf(invoiceItem(1, { invoiceNumber: '請求書-1' }))).toBe('invoiceNumber: The field "invoiceNumber" (invoice number) "請求書-1" has characters the letter font cannot print (請 求 書)');
		expect(fieldOf(invoiceItem(1, { invoiceNumber: 'RE-\u202e1234' }))).toMatch(/^invoiceNumber: .*\(U\+202E\)/);
		expect(fieldOf(invoiceItem(1, { invoiceNumber: 'RE-1\u2028X' }))).toMatch(/^invoiceNumber: .*\(U\+2028\)/);
		expect(fieldOf(invoiceItem(1, { invoiceNumber: 'RE-1\u200b2' }))).toMatch(/^invoiceNumber: The invoiceNumber "RE-1U\+200B2" in the payment reference has characters a SEPA bank transfer cannot carry/);
		const group = groupItem(2);
		(group.invoices as Array<Record<string, unknown>>)[1].invoiceNumber = '請求書-2';
		expect(fieldOf(group)).toMatch(/^invoiceNumber: The field "invoiceNumber" \(invoice number\) of invoice 2 in "invoices" "請求書-2"/);
		expect(fieldOf(invoiceItem(1), { ...COMPANY, name: '山田商事株式会社', accountHolder: 'Yamada Shoji' })).toMatch(/^name: Company details: "name" has characters the letter font cannot print \(山 田 商 事 株\)/);
		expect(fieldOf(invoiceItem(1), { ...COMPANY, bankName: 'Bank 銀行' })).toMatch(/^bankName: /);
		expect(fieldOf(invoiceItem(1), { ...COMPANY, accountHolder: 'Shop 😀 GmbH' })).toMatch(/^accountHolder: Company details: "accountHolder" \(account holder\) "Shop 😀 GmbH" has characters a SEPA bank transfer cannot carry/);
		expect(fieldOf(invoiceItem(1), { ...COMPANY, accountHolder: 'Name\u202eevil' })).toMatch(/^accountHolder: .*\(U\+202E\)/);
		// Greek and Cyrillic, the scripts of SEPA members, print and go into the code; so do № and a narrow no-break space.
		expect(fieldOf(invoiceItem(1), { ...COMPANY, accountHolder: 'Παπαδόπουλος ΑΕ' })).toMatch(/^built: /);
		expect(fieldOf(invoiceItem(1, { invoiceNumber: 'Сч № 2026\u202f17' }), { ...COMPANY, accountHolder: 'Фирма ООД' })).toMatch(/^built: /);
		// Line breaks in a company detail print as spaces, as before.
		expect(fieldOf(invoiceItem(1), { ...COMPANY, managingDirectors: 'Erika Mustermann\nJörg Schäfer\tAnna Ło' })).toMatch(/^built: /);
	});

	it('GiroCode errors name the item field or detail to fix, not the code\'s own element names', () => {
		const huge = invoiceItem(1, { openAmount: 2e9 });
		huge.dunning = { ...(huge.dunning as object), totalDue: undefined };
		// More than a GiroCode carries (999.999.999,99 €): the letter goes out without one (test/payment/reminder-payment.test.ts).
		expect(fieldOf(huge)).toBe('built: RE-2026-0001 | no code');
		expect(fieldOf(invoiceItem(1, { invoiceNumber: 'Ä'.repeat(70) + 'ö'.repeat(60) }), { ...COMPANY, accountHolder: 'Ü'.repeat(70) })).toMatch(
			/^invoiceNumber: The payment reference would take 260 bytes even with one invoice, more than the 129 the GiroCode leaves for it/,
		);
	});

	it('the font check counts C1 controls and direction controls as unprintable (the font maps some of them)', () => {
		expect(unprintable('Max\u0085Mustermann')).toEqual(['\u0085']);
		expect(unprintable('a\u0080\u009fb')).toEqual(['\u0080', '\u009f']);
		expect(unprintable('RE-\u202e1 \u2066x\u2069')).toEqual(['\u202e', '\u2066', '\u2069']);
		expect(unprintable('Þórunn Ǿdegård Ирина Γιώργος €')).toEqual([]);
		expect(fieldOf(invoiceItem(1, { customerName: 'Max\u0085Mustermann' }))).toMatch(/^customerName: /);
	});

	it('own texts for a level and language replace the shipped ones per part; other levels and parts stay shipped', () => {
		const customTexts = (language: string, level: number) => (language === 'de' && level === 2 ? { subject: 'Letzte Erinnerung {{invoiceNumber}}', intro: 'Hallo {{customerName}}!' } : undefined);
		const own = buildLetterModel(invoiceItem(1), letterOptions({ customTexts }));
		expect([own.subject, own.intro]).toEqual(['Letzte Erinnerung RE-2026-0001', 'Hallo Zofia Łukasiewicz-Çelik!']);
		expect(own.closing).toMatch(/^Bitte überweisen Sie den Gesamtbetrag von 147,23\s€ bis spätestens 24. März 2026 auf das unten genannte Konto\./);
		const other = buildLetterModel(invoiceItem(1, { dunning: { ...(invoiceItem(1).dunning as object), level: 3, finalReminder: false } }), letterOptions({ customTexts }));
		expect(other.subject).toBe('2. Mahnung zu Rechnung RE-2026-0001');
	});

	it('an invoice item with an "invoices" field of its own is one invoice; a group of one keeps the single wording', () => {
		const erp = buildLetterModel(invoiceItem(4, { invoices: [{ note: 'ERP export' }] }), letterOptions());
		expect([erp.fileName, erp.rows.length, erp.rows[0].notes.length]).toEqual(['Mahnung-RE-2026-0004-2.pdf', 1, 2]);
		const one = buildLetterModel(groupItem(1), letterOptions());
		expect([one.fileName, one.subject]).toEqual(['Mahnung-K-1001-2.pdf', '1. Mahnung zu Rechnung RE-2026-0001']);
		expect(one.rows[0].notes).toEqual(['Rechnungsdatum 15.01.2026', expect.stringMatching(/^Verzugszinsen 11,27 % p\. a\. vom 15\.02\.2026 bis 10\.03\.2026 \(24 Tage\)/)]);
	});

	it('prints an interest rate with the digits it was computed with (a margin of 5.125 points: 7,395 %, not 7,4 %)', () => {
		const item = invoiceItem(1);
		// The fixture's interest (1,23 €) over the fixture's days; only the rate differs.
		const period = { from: '2026-02-15', to: '2026-03-10', days: 24, ratePct: 7.395, amount: 1.23 };
		item.dunning = { ...(item.dunning as Record<string, unknown>), interestPeriods: [period] };
		const notes = buildLetterModel(item, letterOptions()).rows[0].notes.join(' | ');
		expect(notes).toContain('Verzugszinsen 7,395 % p. a. vom 15.02.2026');
	});

	it('asks for exactly what its lines add up to: a total that differs from them fails the letter, naming the field', () => {
		const item = invoiceItem(1);
		expect(buildLetterModel(item, letterOptions()).payment?.epcPayload).toMatch(/\nEUR147\.23\n/);
		const wrong = { ...item, dunning: { ...(item.dunning as object), totalDue: 200 } };
		expect(() => buildLetterModel(wrong, letterOptions())).toThrow(/dunning\.totalDue.*is 200, but the open amount, fees and interest printed beside it add up to 147\.23/);
		// A customer group: its own total must be the sum of its invoices' (here 147.23 + 148.23).
		const group = groupItem(2);
		expect(buildLetterModel(group, letterOptions()).payment?.epcPayload).toMatch(/\nEUR295\.46\n/);
		const short = { ...group, dunning: { ...(group.dunning as object), totalDue: 203 } };
		expect(() => buildLetterModel(short, letterOptions())).toThrow(/is 203, but .* add up to 295\.46/);
	});

	it('prints every amount in the currency\'s minor unit, so the lines add up to the total printed: yen, fils, cents', () => {
		const printed = (currency: string, openAmount: number, dunning: Record<string, unknown>) => {
			const item = invoiceItem(1, { currency, openAmount });
			const model = buildLetterModel({ ...item, dunning: { ...(item.dunning as object), flatFee: 0, interestPeriods: [], totalDue: undefined, ...dunning } }, letterOptions());
			return [model.rows[0].cells.slice(2).join(' | '), model.totals.map((t) => t.value).join(' | '), model.summary.totalDue];
		};
		expect(printed('JPY', 100.4, { fee: 100.4, interest: 0 })).toEqual(['100\u00a0¥ | 100\u00a0¥ | 0\u00a0¥ | 0\u00a0¥ | 200\u00a0¥', '100\u00a0¥ | 100\u00a0¥ | 200\u00a0¥', 200]);
		expect(printed('BHD', 10.004, { fee: 0.004, interest: 0.004 })).toEqual([
			'10,004\u00a0BHD | 0,004\u00a0BHD | 0,000\u00a0BHD | 0,004\u00a0BHD | 10,012\u00a0BHD',
			'10,004\u00a0BHD | 0,004\u00a0BHD | 0,004\u00a0BHD | 10,012\u00a0BHD',
			10.012,
		]);
		// No "Gebühren 0,00 €" row for a fee of a fraction of a cent.
		expect(printed('EUR', 12.345, { fee: 0.004, interest: 1.235 })).toEqual(['12,35\u00a0€ | 0,00\u00a0€ | 0,00\u00a0€ | 1,24\u00a0€ | 13,59\u00a0€', '12,35\u00a0€ | 1,24\u00a0€ | 13,59\u00a0€', 13.59]);
	});

	it('no letter for an invoice listed twice in a group, nor for an open amount that rounds to 0,00 €', () => {
		const group = groupItem(2);
		const twice = { ...group, invoices: [...(group.invoices as object[]), (group.invoices as object[])[0]], dunning: { ...(group.dunning as object), totalDue: undefined } };
		expect(() => buildLetterModel(twice, letterOptions())).toThrow(
			new LetterInputError('invoices', 'The field "invoices" lists the invoice with "invoiceId" "inv-1" twice, with the same due date and open amount (invoices 1 and 3): a reminder asks for each invoice once'),
		);
		const dust = invoiceItem(1, { openAmount: 0.004, dunning: { ...(invoiceItem(1).dunning as object), totalDue: undefined } });
		expect(() => buildLetterModel(dust, letterOptions())).toThrow(/^The field "openAmount" \(openAmount\) is 0\.004, which rounds to 0/);
	});

	it('a foreign recipient gets the country in capitals as the last line; a domestic one none', () => {
		expect(buildLetterModel(invoiceItem(1, { country: 'Polska' }), letterOptions()).recipient.at(-1)).toBe('POLSKA');
		// An ERP's ISO code is printed as the country's name (Deutsche Post: the name, in capitals).
		expect(buildLetterModel(invoiceItem(1, { country: 'at' }), letterOptions()).recipient.at(-1)).toBe('ÖSTERREICH');
		expect(buildLetterModel(invoiceItem(1, { country: 'FR' }), letterOptions()).recipient.at(-1)).toBe('FRANKREICH');
		expect(buildLetterModel(invoiceItem(1, { country: 'DE' }), letterOptions()).recipient.at(-1)).toBe('10117 Berlin');
		// The company's "Deutschland" and the customer's "DE" (or the other way round) are one country.
		expect(buildLetterModel(invoiceItem(1, { country: 'DE' }), letterOptions({}, { ...COMPANY, country: 'Deutschland' })).recipient.at(-1)).toBe('10117 Berlin');
		expect(buildLetterModel(invoiceItem(1, { country: 'Deutschland' }), letterOptions({}, { ...COMPANY, country: 'DE' })).recipient.at(-1)).toBe('10117 Berlin');
		expect(buildLetterModel(invoiceItem(1, { country: 'Österreich' }), letterOptions({}, { ...COMPANY, country: 'AT' })).recipient.at(-1)).toBe('10117 Berlin');
		expect(buildLetterModel(invoiceItem(1, { country: 'Deutschland' }), letterOptions({}, { ...COMPANY, country: 'Österreich' })).recipient.at(-1)).toBe('DEUTSCHLAND');
	});
});

describe('the GiroCode’s quiet zone', () => {
	// DejaVu Sans: ascender 0.928, descender 0.236 of the size; pdfkit puts the top of the line box at y.
	const box = (op: DrawOp) => {
		if (op.kind === 'text') {
			const pt = op.size / (72 / 25.4);
			return { x1: op.x, x2: op.x + measure(op.text, op.font, op.size), y1: op.y + (0.928 - 0.76) * pt, y2: op.y + (0.928 + 0.236) * pt };
		}
		if (op.kind === 'line') return { x1: Math.min(op.x1, op.x2), x2: Math.max(op.x1, op.x2), y1: Math.min(op.y1, op.y2), y2: Math.max(op.y1, op.y2) };
		if (op.kind === 'qr') return { x1: op.x, x2: op.x + op.size, y1: op.y, y2: op.y + op.size };
		return { x1: op.x, x2: op.x + op.width, y1: op.y, y2: op.y + op.height };
	};

	it.each([
		['one invoice', invoiceItem(1), 'B'],
		['12 invoices', groupItem(12), 'B'],
		['English', invoiceItem(1, { language: 'en' }), 'B'],
		['form A, with a payment link', invoiceItem(1, { paymentLink: 'https://pay.example/r1' }), 'A'],
	] as const)('%s: nothing is drawn within 4 modules of the code (ISO/IEC 18004); the caption starts below them', (_, item, form) => {
		const layout = layoutLetter(buildLetterModel(item, letterOptions({ form })), measure);
		const page = layout.pages.find((ops) => ops.some((op) => op.kind === 'qr'))!;
		const qr = page.find((op): op is Extract<DrawOp, { kind: 'qr' }> => op.kind === 'qr')!;
		const quiet = (4 * qr.size) / epcQrMatrix(qr.payload).size;
		const code = box(qr);
		for (const op of page.filter((o) => o !== qr && !(o.kind === 'text' && o.text === ''))) {
			const b = box(op);
			const gap = Math.max(code.x1 - b.x2, b.x1 - code.x2, code.y1 - b.y2, b.y1 - code.y2);
			expect([op.kind === 'text' ? op.text : op.kind, gap >= quiet]).toEqual([op.kind === 'text' ? op.text : op.kind, true]);
		}
		expect(texts(page, 'qrCaption')[0].y).toBeGreaterThanOrEqual(qr.y + qr.size + quiet);
	});
});

describe('letter texts, date and interest periods', () => {
	it('letter texts see the e-mail texts’ payment values, payment.giroCode included', () => {
		const closing = '{{#if payment.giroCode}}Scannen Sie den GiroCode.{{else}}Bitte überweisen Sie.{{/if}} {{payment.reference}} {{payment.iban}} {{merchant.name}}';
		const customTexts = () => ({ closing });
		expect(buildLetterModel(invoiceItem(1), letterOptions({ customTexts })).closing).toBe('Scannen Sie den GiroCode. RE-2026-0001 DE89 3704 0044 0532 0130 00 Muster Handels GmbH');
		// No code for Swiss francs.
		expect(buildLetterModel(invoiceItem(1, { currency: 'CHF' }), letterOptions({ customTexts })).closing).toMatch(/^Bitte überweisen Sie\. /);
	});

	it('without a letter date or dunning.asOf, the letter is dated today in the workflow’s timezone, not in UTC', () => {
		const item = invoiceItem(1);
		delete (item.dunning as Record<string, unknown>).asOf;
		// 00:30 on 11 March in Berlin is 23:30 on 10 March in UTC.
		const now = new Date('2026-03-10T23:30:00Z');
		expect(buildLetterModel(item, letterOptions({ date: undefined, timezone: 'Europe/Berlin', now })).info[0]).toEqual(['Datum', '11. März 2026']);
		expect(buildLetterModel(item, letterOptions({ date: undefined, now })).info[0]).toEqual(['Datum', '10. März 2026']);
		expect(letterToday('Europe/Berlin', now)).toBe('2026-03-11');
		expect(letterToday('America/New_York', new Date('2026-03-11T03:00:00Z'))).toBe('2026-03-10');
		expect(letterToday(undefined, now)).toBe('2026-03-10');
		expect(letterToday('Mars/Olympus', now)).toBe('2026-03-10');
	});

	it('an interest period that is not two dates and three numbers fails naming its index and field', () => {
		const failure = (periods: unknown, group = false) => {
			const item = group ? groupItem(3) : invoiceItem(1);
			const target = group ? (item.invoices as Array<Record<string, unknown>>)[1] : item;
			(target.dunning as Record<string, unknown>).interestPeriods = periods;
			try {
				const model = buildLetterModel(item, letterOptions());
				return `built: ${model.rows[group ? 1 : 0].notes.length} notes`;
			} catch (error) {
				return `${(error as LetterInputError).field}: ${(error as Error).message}`;
			}
		};
		const period = { from: '2026-02-15', to: '2026-03-10', days: 24, ratePct: 11.27, amount: 1.23 };
		expect(failure([{ ...period, from: '15.02.2026' }])).toBe('dunning.interestPeriods: The field "dunning.interestPeriods[0].from" must be a date like 2026-02-15, got "15.02.2026"');
		expect(failure([period, { ...period, amount: Number.NaN }])).toBe('dunning.interestPeriods: The field "dunning.interestPeriods[1].amount" must be a number, got NaN');
		expect(failure([{ ...period, days: '24' }], true)).toBe(
			'dunning.interestPeriods: The field "dunning.interestPeriods[0].days" of invoice 2 in "invoices" must be a whole number of days, got "24"',
		);
		expect(failure([null])).toBe('dunning.interestPeriods: The field "dunning.interestPeriods[0]" must be an interest period { from, to, days, ratePct, amount }, got null');
		expect(failure('11.27 %')).toBe('dunning.interestPeriods: The field "dunning.interestPeriods" must be a list of interest periods, got "11.27 %"');
		// None (missing, null, empty) is no error: the row has the invoice date only.
		for (const none of [undefined, null, '', []]) expect(failure(none)).toBe('built: 1 notes');
		const split = [
			{ from: '2026-02-15', to: '2026-02-28', days: 14, ratePct: 11.27, amount: 0.72 },
			{ from: '2026-03-01', to: '2026-03-10', days: 10, ratePct: 11.27, amount: 0.51 },
		];
		expect(failure(split)).toBe('built: 3 notes');
	});

	it('interest periods that cannot be the interest asked for fail naming the period and field: negative, reversed, miscounted, not adding up', () => {
		const failure = (periods: unknown, group = false, dunning: Record<string, unknown> = {}) => {
			const item = group ? groupItem(3) : invoiceItem(1);
			const target = group ? (item.invoices as Array<Record<string, unknown>>)[1] : item;
			target.dunning = { ...(target.dunning as Record<string, unknown>), interestPeriods: periods, ...dunning };
			try {
				const model = buildLetterModel(item, letterOptions());
				// Intl writes a no-break space before the currency sign.
				return `built: ${model.rows[group ? 1 : 0].notes.join(' | ')}`.replace(/\s/g, ' ');
			} catch (error) {
				return `${(error as LetterInputError).field}: ${(error as Error).message}`;
			}
		};
		const period = { from: '2026-02-15', to: '2026-03-10', days: 24, ratePct: 11.27, amount: 1.23 };
		// What the probe printed: "Verzugszinsen -42 % p. a. vom 10.03.2026 bis 15.02.2026 (5000 Tage): -50,00 €" beside a total of 1,23 €.
		expect(failure([{ ...period, amount: 99 }, { from: '2026-03-10', to: '2026-02-15', days: 5000, ratePct: -42, amount: -50 }])).toBe(
			'dunning.interestPeriods: The field "dunning.interestPeriods[1].to" (2026-02-15) lies before its "from" (2026-03-10): a period must end on or after the day it starts',
		);
		// A negative rate in periods made by hand (Compute Dunning Level lists none at 0 % or below) is
		// printed as given, when the periods add up.
		const belowZero = [
			{ from: '2021-12-01', to: '2021-12-31', days: 31, ratePct: -0.88, amount: -0.75 },
			{ from: '2026-01-01', to: '2026-01-28', days: 28, ratePct: 2.27, amount: 1.98 },
		];
		expect(failure(belowZero)).toMatch(/^built: .*-0,88 %.*-0,75 €.*2,27 %.*1,98 €/);
		expect(failure([{ ...period, from: '2026-03-10', to: '2026-02-15' }])).toBe(
			'dunning.interestPeriods: The field "dunning.interestPeriods[0].to" (2026-02-15) lies before its "from" (2026-03-10): a period must end on or after the day it starts',
		);
		// Both days counted, as lib/dunning/interest.ts counts them: 15 February to 10 March are 24 days.
		expect(failure([{ ...period, days: 5000 }])).toBe('dunning.interestPeriods: The field "dunning.interestPeriods[0].days" is 5000, but from 2026-02-15 to 2026-03-10 are 24 days (both counted)');
		expect(failure([{ ...period, days: 23 }], true)).toBe(
			'dunning.interestPeriods: The field "dunning.interestPeriods[0].days" of invoice 2 in "invoices" is 23, but from 2026-02-15 to 2026-03-10 are 24 days (both counted)',
		);
		expect(failure([{ ...period, to: '2026-02-30' }])).toBe('dunning.interestPeriods: The field "dunning.interestPeriods[0].to" must be a date like 2026-02-15, got "2026-02-30"');
		// To the cent, as the total is checked.
		expect(failure([{ ...period, amount: 99 }])).toBe(
			'dunning.interestPeriods: The field "dunning.interestPeriods" lists periods adding up to 99.00, but "dunning.interest" is 1.23: the periods printed under the invoice must add up to the interest it asks for',
		);
		expect(failure([{ ...period, amount: 1.22 }], true)).toMatch(/^dunning\.interestPeriods: The field "dunning\.interestPeriods" of invoice 2 in "invoices" lists periods adding up to 1\.22, but "dunning\.interest" is 1\.23/);
		expect(failure([period], false, { interest: 0, totalDue: 146 })).toMatch(/lists periods adding up to 1\.23, but "dunning\.interest" is 0:/);
		// A period of no days cannot exist (both days counted): from and to on one day is one day.
		expect(failure([{ ...period, to: '2026-02-15', days: 0 }])).toMatch(/"dunning\.interestPeriods\[0\]\.days" is 0, but from 2026-02-15 to 2026-02-15 are 1 days/);
		// Right ones print, a zero amount too (a short period on a small amount rounds to nothing).
		expect(failure([{ ...period, amount: 1.23 }, { from: '2026-03-11', to: '2026-03-11', days: 1, ratePct: 11.27, amount: 0 }])).toBe(
			'built: Rechnungsdatum 15.01.2026 | Verzugszinsen 11,27 % p. a. vom 15.02.2026 bis 10.03.2026 (24 Tage): 1,23 € | Verzugszinsen 11,27 % p. a. vom 11.03.2026 bis 11.03.2026 (1 Tag): 0,00 €',
		);
		// Timestamps are read as the dates they are written on.
		expect(failure([{ ...period, from: '2026-02-15T00:00:00+01:00', to: '2026-03-10T00:00:00.000Z' }])).toMatch(/^built: /);
	});

	it('interest periods in whole yen add up in yen; a total that Compute before this release added to the cent still passes', () => {
		const yen = (periods: Array<Record<string, unknown>>, interest: number) => {
			const item = invoiceItem(1, { currency: 'JPY', openAmount: 100000 });
			item.dunning = { ...(item.dunning as Record<string, unknown>), fee: 0, flatFee: 0, interest, interestPeriods: periods, totalDue: undefined };
			try {
				return buildLetterModel(item, letterOptions()).rows[0].cells[5].replace(/\s/g, ' ');
			} catch (error) {
				return (error as Error).message;
			}
		};
		const p = (from: string, to: string, days: number, amount: number) => ({ from, to, days, ratePct: 6.27, amount });
		expect(yen([p('2026-02-15', '2026-02-28', 14, 240), p('2026-03-01', '2026-03-10', 10, 172)], 412)).toBe('412 ¥');
		// 240.4 + 171.8 = 412.20 to the cent: the interest as an older Compute gave it, printed as ¥412.
		expect(yen([p('2026-02-15', '2026-02-28', 14, 240.4), p('2026-03-01', '2026-03-10', 10, 171.8)], 412.2)).toBe('412 ¥');
		expect(yen([p('2026-02-15', '2026-02-28', 14, 240), p('2026-03-01', '2026-03-10', 10, 172)], 500)).toMatch(/lists periods adding up to 412, but "dunning\.interest" is 500/);
	});
});
