/**
 * What reminderPayment gives the texts: a GiroCode only for an amount it can carry; above that
 * the reminder goes out with bank details and reference, without the code.
 */
import { buildLetterModel } from '../../lib/letters/letter-model';
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
