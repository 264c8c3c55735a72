import { DetailsError, readBusinessDetails } from '../../lib/payment/details';
import { paymentReference } from '../../lib/payment/reference';

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

	it('a pattern too long even for one entry is cut after its last whole word', () => {
		const ref = paymentReference(`${'Zahlung '.repeat(20)}{invoiceNumber}`, values, ['RE-1']);
		expect([...ref].length).toBeLessThanOrEqual(140);
		expect(ref.endsWith('Zahlung')).toBe(true);
	});
});
