/**
 * The letter formats amounts and dates for the customer's region (readerLocale), or for the locale
 * its caller gives (Send Reminder Email's Locale option, so that an attached letter agrees with the e-mail).
 */
import { buildLetterModel } from '../../lib/letters/letter-model';
import { invoiceItem, letterOptions } from './fixtures';

/** One invoice of 1234.56 plus a fee of 5, in `currency`, for a customer writing `language`. */
function item(language: string, currency: string): Record<string, unknown> {
	const base = invoiceItem(1);
	return {
		...base,
		language,
		currency,
		openAmount: 1234.56,
		dunning: { ...(base.dunning as Record<string, unknown>), fee: 5, flatFee: 0, interest: 0, interestPeriods: [], totalDue: 1239.56 },
	};
}

const money = (locale: string, currency: string, amount: number) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
const longDate = (locale: string) => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(Date.UTC(2026, 2, 10));

describe('letter model: the locale amounts and dates are written in', () => {
	it('a Swiss customer (de-CH, CHF) with only German texts gets Swiss amounts, an American one American dates', () => {
		const swiss = buildLetterModel(item('de-CH', 'CHF'), letterOptions({ defaultCurrency: 'CHF' }));
		expect(swiss.language).toBe('de');
		expect(swiss.locale).toBe('de-CH');
		// Before: "1.234,56 CHF", as in Germany.
		expect(swiss.rows[0].cells[2]).toBe(money('de-CH', 'CHF', 1234.56));
		expect(swiss.totals.at(-1)!.value).toBe(money('de-CH', 'CHF', 1239.56));
		expect(swiss.rows[0].cells[2]).not.toBe(money('de-DE', 'CHF', 1234.56));

		const american = buildLetterModel(item('en-US', 'USD'), letterOptions({ defaultCurrency: 'USD' }));
		expect(american.language).toBe('en');
		expect(american.info[0][1]).toBe(longDate('en-US'));
		expect(american.info[0][1]).not.toBe(longDate('en-GB'));
	});

	it('a locale given in the options wins over the customer’s region (the Locale option of the e-mail it goes with)', () => {
		const model = buildLetterModel(item('de-CH', 'EUR'), letterOptions({ locale: 'de-AT' }));
		expect(model.locale).toBe('de-AT');
		expect(model.rows[0].cells[2]).toBe(money('de-AT', 'EUR', 1234.56));
		expect(model.rows[0].cells[2]).not.toBe(money('de-DE', 'EUR', 1234.56));
		expect(model.info[0][1]).toBe(longDate('de-AT'));
	});
});
