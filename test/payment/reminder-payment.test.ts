/**
 * What reminderPayment gives the texts: a GiroCode only for an amount it can carry; above that
 * the reminder goes out with bank details and reference, without the code.
 */
import { buildLetterModel, LetterDetailsError, LetterInputError } from '../../lib/letters/letter-model';
import { readBusinessDetails } from '../../lib/payment/details';
import { reminderPayment, type ReminderPaymentInput } from '../../lib/payment/reminder-payment';
import { COMPANY, invoiceItem, letterOptions } from '../letters/fixtures';

const details = readBusinessDetails(COMPANY);
const input = (totalDue: number): ReminderPaymentInput => ({ currency: 'EUR', totalDue, invoiceId: 'inv-1', invoiceNumbers: ['RE-2026-0001'], customerId: 'K-1001', level: 2, link: '' });

describe('the GiroCode’s amount range (EPC069-12: 0.01 to 999999999.99 EUR)', () => {
	it('carries the largest amount it can, to the cent', () => {
		const pay = reminderPayment(details, input(999_999_999.99));
		expect(pay.payment.giroCode).toBe(true);
		expect(pay.epcPayload?.split('\n')[7]).toBe('EUR999999999.99');
	});

	it.each([1_000_000_000, 1_000_000_044.99, 0.004])('a total of %d gets no GiroCode; IBAN and reference stay', (totalDue) => {
		const pay = reminderPayment(details, input(totalDue));
		expect(pay.epcPayload).toBeNull();
		expect(pay.payment.giroCode).toBe(false);
		expect(pay.payment.iban).toBe('DE89 3704 0044 0532 0130 00');
		expect(pay.payment.reference).toContain('RE-2026-0001');
	});

	it('a letter whose open amount plus fees passes the maximum is written, with bank details and without the code', () => {
		const item = invoiceItem(1, { openAmount: 999_999_999.99 });
		const dunning = item.dunning as Record<string, unknown>;
		Object.assign(dunning, { interest: 0, interestPeriods: [], totalDue: 1_000_000_044.99 });
		const model = buildLetterModel(item, letterOptions());
		expect(model.summary.girocode).toBe(false);
		expect(model.payment?.epcPayload).toBeNull();
		expect(model.payment?.lines.map(([label]) => label)).toContain('IBAN');
		expect(model.totals.find((t) => t.strong)?.value).toMatch(/^1\.000\.000\.044,99\s€$/);
	});
});

describe('the payee in the GiroCode and the payment block is the account holder the footer names', () => {
	it('without an account holder: the company name with its legal form, in the code, the payment block and the footer alike', () => {
		const model = buildLetterModel(invoiceItem(1), letterOptions({}, { ...COMPANY, accountHolder: '', name: 'Muster Handels', legalForm: 'GmbH' }));
		expect(model.payment?.epcPayload?.split('\n')[5]).toBe('Muster Handels GmbH');
		expect(model.payment?.lines).toContainEqual(['Empfänger', 'Muster Handels GmbH']);
		expect(model.footer[0][0]).toBe('Muster Handels GmbH');
	});

	it('a name that ends with its legal form in another spelling is not given it twice, in the code or the return address', () => {
		const model = buildLetterModel(invoiceItem(1), letterOptions({}, { ...COMPANY, accountHolder: '', name: 'Muster UG (haftungsbeschränkt)', legalForm: 'UG' }));
		expect(model.payment?.epcPayload?.split('\n')[5]).toBe('Muster UG (haftungsbeschränkt)');
		expect(model.returnAddress).toBe('Muster UG (haftungsbeschränkt) · Hauptstraße 1 · 10115 Berlin');
	});
});

describe('a GiroCode problem of the company details stops the run once, not every letter', () => {
	it('an account outside the EEA without a BIC fails as company details (LetterDetailsError), naming "bic"', () => {
		const build = () => buildLetterModel(invoiceItem(1), letterOptions({}, { ...COMPANY, iban: 'CH93 0076 2011 6238 5295 7', bic: '' }));
		expect(build).toThrow(LetterDetailsError);
		expect(build).toThrow(expect.objectContaining({ field: 'bic', message: expect.stringMatching(/^The GiroCode needs the BIC for an account outside the EEA/) }));
		// Without a GiroCode (francs) the letter is made.
		expect(buildLetterModel(invoiceItem(1, { currency: 'CHF' }), letterOptions({}, { ...COMPANY, iban: 'CH93 0076 2011 6238 5295 7', bic: '' })).summary.girocode).toBe(false);
	});

	it('a problem of the reminder’s own values (a reference too long) stays the one letter’s (LetterInputError)', () => {
		let failure: unknown;
		try {
			buildLetterModel(invoiceItem(1, { invoiceNumber: `RE-${'1'.repeat(150)}` }), letterOptions());
		} catch (error) {
			failure = error;
		}
		expect(failure).toBeInstanceOf(LetterInputError);
		expect(failure).not.toBeInstanceOf(LetterDetailsError);
		expect(failure).toMatchObject({ field: 'invoiceNumber' });
	});
});

describe('a collective reminder with a Cyrillic account holder and reference keeps the GiroCode within 331 bytes', () => {
	// Probe review49 p7: 70 Cyrillic characters (129 bytes) of holder; 12 invoices made 336 bytes and the letter failed.
	const holder = 'Търговско дружество за внос и износ на резервни части и оборудване ООД';
	const bg = readBusinessDetails({ ...COMPANY, name: 'Тест ЕООД', accountHolder: holder, iban: 'BG80 BNBG 9661 1020 3456 78', bic: 'BNBGBGSFXXX', paymentReference: 'Фактури {invoiceNumber}' });
	const numbers = Array.from({ length: 12 }, (_, k) => `RE-2026-${String(k + 1).padStart(4, '0')}`);

	it('drops one more invoice number (+N) instead of failing', () => {
		const pay = reminderPayment(bg, { ...input(1234.56), invoiceNumbers: numbers });
		expect(Buffer.byteLength(pay.epcPayload!, 'utf8')).toBeLessThanOrEqual(331);
		const reference = pay.epcPayload!.split('\n')[10];
		expect(reference).toBe(pay.payment.reference);
		const [, listed, more] = /^Фактури (.*) \+(\d+)$/.exec(reference)!;
		expect(listed.split(' ')).toEqual(numbers.slice(0, listed.split(' ').length));
		expect(listed.split(' ').length + Number(more)).toBe(12);
	});

	it('a reminder without a GiroCode (francs) keeps the 140 characters', () => {
		const pay = reminderPayment(bg, { ...input(1234.56), currency: 'CHF', invoiceNumbers: numbers });
		expect(pay.epcPayload).toBeNull();
		expect(pay.payment.reference).toMatch(/ \+2$/);
	});
});
