import { companyFullName, DetailsError, readBusinessDetails } from '../../lib/payment/details';
import { buildEpcPayload, sepaTextProblem } from '../../lib/payment/epc-qr';
import { PaymentReferenceError, paymentReference } from '../../lib/payment/reference';

const company = { name: 'Muster GmbH', street: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin' };

function failure(raw: unknown): string {
	try {
		readBusinessDetails(raw);
		return 'accepted';
	} catch (error) {
		return `${(error as DetailsError).field}: ${(error as Error).message}`;
	}
}

describe('company and payment details', () => {
	it('reads the details, normalises IBAN and BIC, and defaults holder and reference', () => {
		const d = readBusinessDetails({ ...company, iban: 'de89 3704 0044 0532 0130 00', bic: 'cobadeffxxx', registerNumber: 'HRB 12345' });
		expect(d.payment).toEqual({ accountHolder: 'Muster GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: '', referencePattern: '{invoiceNumber}' });
		expect(d.company.registerNumber).toBe('HRB 12345');
	});

	it('a wrong-checksum IBAN is refused, naming the field and the value', () => {
		expect(failure({ ...company, iban: 'DE89 3704 0044 0532 0130 01' })).toBe(
			'iban: Company details: the IBAN "DE89 3704 0044 0532 0130 01" has wrong check digits (a typo?): the mod-97 checksum does not match',
		);
	});

	it('names a bad BIC, a missing sender field, an unknown placeholder and a non-object', () => {
		expect(failure({ ...company, iban: 'DE89370400440532013000', bic: 'DEUTDE' })).toMatch(/^bic: .*"DEUTDE" has 6 characters/);
		expect(failure({ ...company, city: ' ' })).toMatch(/^city: .*"city" \(city\) is missing/);
		expect(failure({ ...company, name: undefined })).toMatch(/^name: /);
		expect(failure({ ...company, paymentReference: 'Kd {customer}' })).toMatch(/^paymentReference: .*\{customer\}, which is not known/);
		expect(failure({ ...company, phone: { a: 1 } })).toMatch(/^phone: .*must be text, got object/);
		expect(failure([company])).toMatch(/^companyDetails: /);
	});

	it('no IBAN is allowed (no payment block, no GiroCode), an empty one too', () => {
		expect(readBusinessDetails({ ...company, iban: '' }).payment.iban).toBeNull();
	});
});

describe('payment reference', () => {
	const values = { invoiceId: 'id-7', customerId: 'K-1', level: '2' };
	it('fills the placeholders', () => {
		expect(paymentReference('{invoiceNumber}', values, ['RE-1'])).toBe('RE-1');
		expect(paymentReference('Kd {customerId} Re {invoiceNumber} M{level}', values, ['RE-1', 'RE-2'])).toBe('Kd K-1 Re RE-1 RE-2 M2');
	});

	it('keeps whole invoice numbers within 140 characters and says how many are left out', () => {
		const numbers = Array.from({ length: 40 }, (_, k) => `RE-2026-${String(k + 1).padStart(4, '0')}`);
		const ref = paymentReference('{invoiceNumber}', values, numbers);
		expect(ref.length).toBeLessThanOrEqual(140);
		const parts = ref.split(' ');
		const more = Number(parts.pop()!.slice(1));
		expect(parts).toEqual(numbers.slice(0, parts.length));
		expect(parts.length + more).toBe(40);
	});

	it('drops whole invoice IDs too (a cut "inv-16" would read as invoice "inv-1"), in step with the numbers', () => {
		const ids = Array.from({ length: 30 }, (_, k) => `inv-${k + 1}`);
		const ref = paymentReference('Kunde {customerId} Rechnungen {invoiceId}', { ...values, invoiceId: ids.join(', ') }, ids.map((id) => `RE-${id}`));
		expect([...ref].length).toBeLessThanOrEqual(140);
		const [, listed, more] = /^Kunde K-1 Rechnungen (.*) \+(\d+)$/.exec(ref)!;
		expect(listed.split(', ')).toEqual(ids.slice(0, listed.split(', ').length));
		expect(listed.split(', ').length + Number(more)).toBe(30);
	});

	it('a pattern whose own text can never fit 140 characters is refused with the details, not cut', () => {
		expect(failure({ ...company, paymentReference: `${'Zahlung '.repeat(20)}{invoiceNumber}` })).toMatch(/^paymentReference: .* has 159 characters of its own, more than the 140 a bank transfer carries/);
		expect(() => paymentReference(`${'Zahlung '.repeat(20)}{invoiceNumber}`, values, ['RE-1'])).toThrow(PaymentReferenceError);
	});

	const failed = (run: () => string) => {
		try {
			return `built: ${run()}`;
		} catch (error) {
			return `${(error as PaymentReferenceError).placeholder}: ${(error as Error).message}`;
		}
	};

	it('never cuts an invoice number: one that cannot fit fails naming it; a long list is still summarised', () => {
		const long = `RE-2026-${'1234567890'.repeat(14)}77`;
		expect(failed(() => paymentReference('{invoiceNumber}', values, [long]))).toMatch(/^invoiceNumber: The payment reference would have 150 characters even with one invoice, more than the 140 .*invoiceNumber "RE-2026-1234/);
		// The first of a collective reminder's numbers is what remains when the others are left out: it must fit too.
		expect(failed(() => paymentReference('{invoiceNumber}', values, [long, 'RE-2']))).toMatch(/^invoiceNumber: /);
		// Exactly 140 fit; a long customer ID is named when it is the longest value.
		expect(paymentReference('{invoiceNumber}', values, ['X'.repeat(140)])).toBe('X'.repeat(140));
		expect(failed(() => paymentReference('{customerId} {invoiceNumber}', { ...values, customerId: 'K'.repeat(139) }, ['RE-1']))).toMatch(/^customerId: /);
	});

	it('a placeholder that is empty for this reminder fails naming it instead of giving "" or "Kunde"', () => {
		const noCustomer = { ...values, customerId: ' ' };
		expect(failed(() => paymentReference('{customerId}', noCustomer, ['RE-1']))).toBe(
			'customerId: The payment reference "{customerId}" uses {customerId}, which is empty for this reminder: fill customerId or change the pattern',
		);
		expect(failed(() => paymentReference('Kunde {customerId}', noCustomer, ['RE-1']))).toMatch(/^customerId: /);
		expect(failed(() => paymentReference('{invoiceNumber}', values, ['RE-1', '']))).toMatch(/^invoiceNumber: .*\{invoiceNumber\}, which is empty/);
		// A placeholder the pattern does not use may be empty.
		expect(paymentReference('{invoiceNumber}', noCustomer, ['RE-1'])).toBe('RE-1');
	});

	it('is one line exactly as the GiroCode carries it: runs of spaces and controls become one space', () => {
		expect(paymentReference('Kd  {customerId}\t {invoiceNumber}', values, ['RE  1'])).toBe('Kd K-1 RE 1');
		const reference = paymentReference('Kd  {customerId} {invoiceNumber}', values, ['RE-1']);
		expect(buildEpcPayload({ name: 'Muster GmbH', iban: 'DE89370400440532013000', amount: 1, remittance: reference }).split('\n')[10]).toBe(reference);
	});

	it('a value the caller\'s check refuses fails naming its placeholder, or the pattern for the pattern\'s own text', () => {
		expect(failed(() => paymentReference('{invoiceNumber}', values, ['請求書-1'], sepaTextProblem))).toMatch(/^invoiceNumber: The invoiceNumber "請求書-1" in the payment reference has characters a SEPA bank transfer cannot carry \(請 求 書\)/);
		expect(failed(() => paymentReference('{invoiceNumber}', values, ['RE-\u202e1234'], sepaTextProblem))).toMatch(/^invoiceNumber: The invoiceNumber "RE-U\+202E1234" .*text direction control \(U\+202E\)/);
		expect(failed(() => paymentReference('{customerId}', { ...values, customerId: 'K\u20281' }, ['RE-1'], sepaTextProblem))).toMatch(/^customerId: .*line break \(U\+2028\)/);
		expect(failed(() => paymentReference('請求 {invoiceNumber}', values, ['RE-1'], sepaTextProblem))).toMatch(/^pattern: /);
		expect(paymentReference('Zahlung für {invoiceNumber}', values, ['RÉ-Ø1'], sepaTextProblem)).toBe('Zahlung für RÉ-Ø1');
	});
});

describe('a Swiss or Liechtenstein QR-IBAN (bank identifier 30000–31999) is refused', () => {
	it('names the field and says what to enter instead', () => {
		expect(failure({ ...company, iban: 'CH44 3199 9123 0008 8901 2', bic: 'UBSWCHZH80A' })).toBe(
			'iban: Company details: the IBAN "CH44 3199 9123 0008 8901 2" is a QR-IBAN (bank identifier 31999), which only takes QR-bill payments with a QR reference; enter the account\'s normal IBAN',
		);
		expect(failure({ ...company, iban: 'CH91300000123456789AB', bic: 'UBSWCHZH80A' })).toMatch(/^iban: .*QR-IBAN \(bank identifier 30000\)/);
		expect(failure({ ...company, iban: 'LI7830001123456789012', bic: 'BLFLLI2XXXX' })).toMatch(/^iban: .*QR-IBAN \(bank identifier 30001\)/);
	});

	it('the bank identifiers around the range, and the same digits in another country, are normal IBANs', () => {
		for (const iban of ['CH4929999123456789012', 'CH5232000123456789012', 'CH93 0076 2011 6238 5295 7', 'LI0308800000022875748']) {
			expect(readBusinessDetails({ ...company, iban, bic: 'UBSWCHZH80A' }).payment.iban).toBe(iban.replace(/ /g, ''));
		}
	});

	it('a GiroCode is not made for one either (an account a transfer cannot pay into)', () => {
		expect(() => buildEpcPayload({ name: 'Muster AG', iban: 'CH4431999123000889012', bic: 'UBSWCHZH80A', amount: 1, remittance: 'RE-1' })).toThrow(/^The IBAN "CH44 3199 9123 0008 8901 2" is a QR-IBAN \(bank identifier 31999\)/);
	});
});

describe('the account holder when none is given: the company name with its legal form, as the footer prints it', () => {
	const iban = 'DE89370400440532013000';

	it('adds the legal form, unless the name already ends with it', () => {
		expect(readBusinessDetails({ ...company, name: 'Muster Handels', legalForm: 'GmbH', iban }).payment.accountHolder).toBe('Muster Handels GmbH');
		expect(readBusinessDetails({ ...company, name: 'Muster Handels GmbH', legalForm: 'GmbH', iban }).payment.accountHolder).toBe('Muster Handels GmbH');
		expect(companyFullName({ name: 'Muster Handels', legalForm: '' })).toBe('Muster Handels');
		// An own account holder is taken as written.
		expect(readBusinessDetails({ ...company, name: 'Muster Handels', legalForm: 'GmbH', accountHolder: 'Muster Handels', iban }).payment.accountHolder).toBe('Muster Handels');
	});

	// A doubled form ("Muster gmbh GmbH") would be the payee the bank checks, the return address and every e-mail footer.
	test.each([
		['Muster GmbH & Co. KG', 'GmbH & Co. KG', 'Muster GmbH & Co. KG'],
		['Muster gmbh', 'GmbH', 'Muster gmbh'],
		['MUSTER GMBH', 'GmbH', 'MUSTER GMBH'],
		['Muster GmbH.', 'GmbH', 'Muster GmbH.'],
		['Muster UG (haftungsbeschränkt)', 'UG', 'Muster UG (haftungsbeschränkt)'],
		['Muster UG (haftungsbeschränkt)', 'UG (haftungsbeschränkt)', 'Muster UG (haftungsbeschränkt)'],
		['Muster UG', 'UG (haftungsbeschränkt)', 'Muster UG (haftungsbeschränkt)'],
		['Max Muster e. K.', 'e.K.', 'Max Muster e. K.'],
		['Muster GmbH & Co.KG', 'GmbH & Co. KG', 'Muster GmbH & Co.KG'],
		['Muster', 'GmbH', 'Muster GmbH'],
		['Muster', '', 'Muster'],
		['GmbH-Beratung Schmidt', 'GmbH', 'GmbH-Beratung Schmidt GmbH'],
		['Innovag', 'AG', 'Innovag AG'],
	])('%j with legal form %j is %j, the details\' fullName and the default payee too', (name, legalForm, full) => {
		expect(companyFullName({ name, legalForm })).toBe(full);
		const d = readBusinessDetails({ ...company, name, legalForm, iban });
		// Made once with the details: the e-mail footers (merchant.fullName) and the letter print it.
		expect(d.company.fullName).toBe(full);
		expect(d.payment.accountHolder).toBe(full);
	});

	it('name and legal form over 70 characters: the name alone when it fits (the default before the legal form), the footer keeps both', () => {
		const name = 'Norddeutsche Landmaschinen- und Agrartechnik Vertrieb Nord'; // 58 characters, 72 with the form
		const d = readBusinessDetails({ ...company, name, legalForm: 'GmbH & Co. KG', iban });
		expect(d.payment.accountHolder).toBe(name);
		expect(d.company.fullName).toBe(`${name} GmbH & Co. KG`);
	});

	it('more than the 70 characters a transfer carries for the payee is refused once, with the details, asking for the account holder', () => {
		const name = `${'Ärztliche Abrechnungsgesellschaft für Zahnärzte Süd-Ost '}und Partner Nord`; // 72 characters
		expect(failure({ ...company, name, legalForm: 'mbB', iban })).toBe(
			`accountHolder: Company details: "accountHolder" (account holder) is empty, so the payee is the company name with its legal form, "${name} mbB", which has 76 characters, more than the 70 a bank transfer carries for the payee's name: enter the name on the account in "accountHolder", at most 70 characters, as your bank writes it`,
		);
		expect(failure({ ...company, name, iban })).toMatch(/^accountHolder: Company details: "accountHolder" \(account holder\) is empty, so the payee is the company name, ".*", which has 72 characters/);
		expect(failure({ ...company, name, legalForm: 'mbB', iban, accountHolder: 'Ärztliche Abrechnungsges. Süd-Ost mbB' })).toBe('accepted');
		expect(failure({ ...company, accountHolder: 'A'.repeat(71), iban })).toMatch(/^accountHolder: Company details: "accountHolder" \(account holder\) "A{71}" has 71 characters, more than the 70/);
		expect(failure({ ...company, accountHolder: 'A'.repeat(70), iban })).toBe('accepted');
		// Without an IBAN no transfer names the holder.
		expect(failure({ ...company, name, legalForm: 'mbB' })).toBe('accepted');
	});

	it('a name a SEPA transfer cannot carry is refused once, naming the characters', () => {
		expect(failure({ ...company, accountHolder: '株式会社 Muster', iban })).toMatch(/^accountHolder: Company details: "accountHolder" \(account holder\) "株式会社 Muster" has characters a SEPA bank transfer cannot carry \(株 式 会 社\)/);
	});

	it('the bank transfer\'s limits hold only for an account a GiroCode can be made for: a Swiss one without a BIC gets none', () => {
		const ch = 'CH93 0076 2011 6238 5295 7';
		expect(failure({ ...company, iban: ch, accountHolder: 'A'.repeat(71) })).toBe('accepted');
		expect(failure({ ...company, iban: ch, accountHolder: 'Acme™ AG' })).toBe('accepted');
		// With a BIC a euro reminder carries a GiroCode (EPC069-12 version 002), so the limits hold.
		expect(failure({ ...company, iban: ch, bic: 'POFICHBEXXX', accountHolder: 'A'.repeat(71) })).toMatch(/^accountHolder: .*"A{71}" has 71 characters/);
		expect(failure({ ...company, iban: ch, bic: 'POFICHBEXXX', accountHolder: 'Acme™ AG' })).toMatch(/^accountHolder: .*cannot carry \(™\)/);
	});
});

describe('the payment reference within the GiroCode’s 331 bytes', () => {
	const values = { invoiceId: 'id-7', customerId: 'K-1', level: '2' };
	const numbers = Array.from({ length: 12 }, (_, k) => `RE-2026-${String(k + 1).padStart(4, '0')}`);

	it('drops whole invoice numbers until the reference fits the bytes left, saying how many are left out', () => {
		const ref = paymentReference('Фактури {invoiceNumber}', values, numbers, undefined, 100);
		expect(Buffer.byteLength(ref, 'utf8')).toBeLessThanOrEqual(100);
		// 15 bytes of "Фактури ", six numbers of 13 and " +6": 96 bytes; a seventh would make 109.
		expect(ref).toMatch(/ RE-2026-0006 \+6$/);
		const [, listed, more] = /^Фактури (.*) \+(\d+)$/.exec(ref)!;
		expect(listed.split(' ')).toEqual(numbers.slice(0, listed.split(' ').length));
		expect(listed.split(' ').length + Number(more)).toBe(12);
		// Without a byte limit the 140 characters decide, as before.
		expect(paymentReference('Фактури {invoiceNumber}', values, numbers)).toMatch(/ RE-2026-0010 \+2$/);
	});

	it('one entry that does not fit the bytes fails naming it, never cut', () => {
		expect(() => paymentReference('Фактура {invoiceNumber}', values, ['Ф'.repeat(60)], undefined, 100)).toThrow(
			expect.objectContaining({
				placeholder: 'invoiceNumber',
				message: expect.stringMatching(/^The payment reference would take 135 bytes even with one invoice, more than the 100 the GiroCode leaves for it beside the account holder, IBAN, BIC and amount \(331 bytes in all/),
			}),
		);
	});
});
