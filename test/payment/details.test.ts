import { DetailsError, readBusinessDetails } from '../../lib/payment/details';
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
