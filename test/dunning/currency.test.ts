import {
	checkAgainstRun,
	compilePolicy,
	createDecider,
	CustomerCredits,
	dayInZone,
	isCurrencyCode,
	looksNegative,
	PolicyError,
	readCurrencyCode,
	RepeatedInvoices,
	validateInvoice,
	type InvoiceProblem,
} from '../../lib/dunning';
import { invoice } from './helpers';

const TODAY = '2026-11-23';
const EXPECTED = 'must be a three-letter currency code (ISO 4217) such as EUR';

describe('currency codes (readCurrencyCode): ISO 4217 codes of money, not any three letters', () => {
	it('uses the platform’s list, which has the currencies in use and neither XXX nor XTS', () => {
		// Node ≥ 18 has it (this package needs ≥ 20.15); Node 20 and 24 list the same 162 codes.
		expect(typeof Intl.supportedValuesOf).toBe('function');
		const platform = Intl.supportedValuesOf('currency');
		expect(platform).toEqual(expect.arrayContaining(['EUR', 'USD', 'CHF', 'GBP', 'JPY', 'BHD', 'XOF', 'XAF', 'XCD', 'XPF']));
		for (const code of ['XXX', 'XTS', 'XAU', 'DEM', 'CHE']) expect(platform).not.toContain(code);
	});

	it.each(['EUR', 'eur', ' chf ', 'JPY', 'BHD', 'XOF', 'XAF', 'XPF', 'ZWG', 'VED'])('takes %p', (value) => {
		expect(readCurrencyCode(value)).toEqual({ ok: true, code: value.trim().toUpperCase() });
	});

	it.each([
		['NaN', `${EXPECTED} (got "NaN")`],
		['abc', `${EXPECTED} (got "abc")`],
		['XXX', `${EXPECTED} (got "XXX", ISO 4217’s code for “no currency”)`],
		['xts', `${EXPECTED} (got "xts", ISO 4217’s code reserved for testing)`],
		['XDR', `${EXPECTED} (got "XDR", the IMF’s special drawing rights, a unit of account)`],
		['XSU', `${EXPECTED} (got "XSU", the SUCRE, a unit of account between central banks)`],
		// Gold, a historic currency, a fund code: no reminder is paid in them.
		['XAU', `${EXPECTED} (got "XAU")`],
		['DEM', `${EXPECTED} (got "DEM")`],
		['CHE', `${EXPECTED} (got "CHE")`],
		['N/A', `${EXPECTED} (got "N/A")`],
		['€', `${EXPECTED} (got "€")`],
		[978, `${EXPECTED} (got 978)`],
		[Number.NaN, `${EXPECTED} (got NaN)`],
	])('refuses %p, saying what is expected', (value, problem) => {
		expect(readCurrencyCode(value)).toEqual({ ok: false, problem });
	});

	it('isCurrencyCode takes the exact upper-case code only', () => {
		expect(isCurrencyCode('EUR')).toBe(true);
		expect(isCurrencyCode('eur')).toBe(false);
		expect(isCurrencyCode('NAN')).toBe(false);
	});
});

describe('one currency check for invoices, the policy and invalid decisions', () => {
	const compiled = compilePolicy({});

	it.each(['NaN', 'abc', 'XXX', 'XTS'])('an invoice in %j is invalid input naming the field as the caller knows it', (currency) => {
		const r = validateInvoice({ invoiceId: 'C0', dueDate: '2026-11-01', openAmount: 100, currency }, compiled, { currency: 'Waehrung' }, TODAY);
		expect(r.ok).toBe(false);
		expect(!r.ok && r.problems.map((p) => p.field)).toEqual(['currency']);
		expect(!r.ok && r.problems[0].message).toMatch(`Waehrung ${EXPECTED} (got "${currency}"`);
	});

	it('an invalid decision carries the default currency, not "NAN"', () => {
		const d = createDecider(compiled, TODAY).evaluate({ invoiceId: 'C0', dueDate: '2026-11-01', openAmount: 100, currency: 'NaN' });
		expect(d).toMatchObject({ action: 'none', reason: 'invalidInput', currency: 'EUR', invalidFields: ['currency'] });
	});

	it('still takes a lower-case real code and a blank one (the default)', () => {
		const chf = validateInvoice({ invoiceId: 'C1', dueDate: '2026-11-01', openAmount: 100, currency: 'chf' }, compiled, {}, TODAY);
		const blank = validateInvoice({ invoiceId: 'C2', dueDate: '2026-11-01', openAmount: 100, currency: '' }, compiled, {}, TODAY);
		expect([chf.ok && chf.invoice.currency, blank.ok && blank.invoice.currency]).toEqual(['CHF', 'EUR']);
	});

	it.each([
		[{ defaultCurrency: 'NaN' }, `defaultCurrency ${EXPECTED} (got "NaN")`],
		[{ defaultCurrency: 'XXX' }, `defaultCurrency ${EXPECTED} (got "XXX", ISO 4217’s code for “no currency”)`],
		[{ statutoryInterest: { flatFeeCurrency: 'XTS' } }, `statutoryInterest.flatFeeCurrency ${EXPECTED} (got "XTS", ISO 4217’s code reserved for testing)`],
	])('a policy with %j is refused', (input, message) => {
		expect(() => compilePolicy(input as never)).toThrow(PolicyError);
		expect(() => compilePolicy(input as never)).toThrow(`Invalid dunning policy: ${message}`);
	});

	it('a policy’s default currency in lower case is taken', () => {
		expect(compilePolicy({ defaultCurrency: 'chf' }).policy.defaultCurrency).toBe('CHF');
	});
});

describe('a customer’s row that could not be read but may be a credit (CustomerCredits.addUnreadable)', () => {
	const decider = createDecider({}, TODAY);
	const problems: InvoiceProblem[] = [{ field: 'currency', message: `currency ${EXPECTED} (got "XX1")` }];
	const due = (overrides: Parameters<typeof invoice>[0] = {}) => invoice({ dueDate: '2026-11-01', customerId: 'C1', ...overrides });

	it('looksNegative: an amount below zero, also one the reader does not take; not -0.00', () => {
		for (const value of [-50, '-50', ' -50.00', '-1.234,50', '- 50 EUR', '-0,5', -Infinity]) expect({ value, negative: looksNegative(value) }).toEqual({ value, negative: true });
		for (const value of [50, '50', '-0.00', -0, '-0,00', '-abc', '', null, undefined, 'x-5']) expect({ value, negative: looksNegative(value) }).toEqual({ value, negative: false });
		// Below the currency's smallest unit it is 0.00: paid, not a credit.
		expect(looksNegative(-0.004)).toBe(false);
	});

	it('holds the customer’s invoice that would be dunned, naming the unreadable item and its problem', () => {
		const credits = new CustomerCredits();
		credits.addUnreadable({ invoiceId: 'K0', customerId: 'C1', openAmount: -50, currency: 'XX1' }, problems, 0, 'EUR');
		const k1 = due({ invoiceId: 'K1' });
		const decision = decider.decide(k1);
		expect(decision).toMatchObject({ action: 'send', level: 1 });
		const held = checkAgainstRun(decider, k1, decision, 1, new RepeatedInvoices(), credits);
		expect(held).toMatchObject({
			action: 'none',
			reason: 'customerCredit',
			level: 0,
			totalDue: 100,
			message:
				`customer "C1" may have a credit: item 0 (invoice "K0", open amount -50) could not be read (currency ${EXPECTED} (got "XX1")). ` +
				'Fix that item (if it is a credit note, settle it with the customer) before this invoice is dunned; until then it waits',
		});
		// The currency of the unreadable row is unknown: every currency of the customer waits.
		expect(checkAgainstRun(decider, due({ invoiceId: 'K2', currency: 'USD' }), decider.decide(due({ invoiceId: 'K2', currency: 'USD' })), 2, new RepeatedInvoices(), credits)).toMatchObject({ reason: 'customerCredit' });
		// Another customer, or an invoice that would not be dunned anyway, is left as it is.
		const other = due({ invoiceId: 'K3', customerId: 'C2' });
		const otherDecision = decider.decide(other);
		expect(checkAgainstRun(decider, other, otherDecision, 3, new RepeatedInvoices(), credits)).toBe(otherDecision);
		const notDue = due({ invoiceId: 'K4', dueDate: '2026-11-30' });
		const notDueDecision = decider.decide(notDue);
		expect(checkAgainstRun(decider, notDue, notDueDecision, 4, new RepeatedInvoices(), credits)).toBe(notDueDecision);
	});

	it('holds only the currency the row is in when that reads (or is blank: the default)', () => {
		const credits = new CustomerCredits();
		const dateProblem: InvoiceProblem[] = [{ field: 'dueDate', message: 'dueDate "garbage" is not a date' }];
		credits.addUnreadable({ invoiceId: 'K0', customerId: ' C1 ', openAmount: '-50', currency: 'chf', dueDate: 'garbage' }, dateProblem, 0, 'EUR');
		credits.addUnreadable({ invoiceId: 'K9', customerId: 7, openAmount: -5, dueDate: 'garbage' }, dateProblem, 9, 'EUR');
		expect(credits.findUnreadable(due({ currency: 'CHF' }))).toMatchObject({ invoiceId: 'K0', position: 0, currency: 'CHF', openAmount: '"-50"' });
		expect(credits.findUnreadable(due({ currency: 'EUR' }))).toBeUndefined();
		expect(credits.findUnreadable(due({ customerId: '7' }))).toMatchObject({ invoiceId: 'K9', currency: 'EUR' });
		expect(credits.findUnreadable(due({ customerId: '7', currency: 'CHF' }))).toBeUndefined();
	});

	it('ignores a row without a customer ID that reads, or whose open amount is not below zero', () => {
		const credits = new CustomerCredits();
		credits.addUnreadable({ invoiceId: 'K0', customerId: '', openAmount: -50, currency: 'XX1' }, problems, 0, 'EUR');
		credits.addUnreadable({ invoiceId: 'K1', customerId: { id: 'C1' }, openAmount: -50, currency: 'XX1' }, problems, 1, 'EUR');
		credits.addUnreadable({ invoiceId: 'K2', customerId: 'C1', openAmount: '-0.00', currency: 'XX1' }, problems, 2, 'EUR');
		credits.addUnreadable({ invoiceId: 'K3', customerId: 'C1', openAmount: 50, currency: 'XX1' }, problems, 3, 'EUR');
		expect(credits.size).toBe(0);
		expect(credits.findUnreadable(due())).toBeUndefined();
	});

	it('a readable credit is named before an unreadable row', () => {
		const credits = new CustomerCredits();
		credits.addUnreadable({ invoiceId: 'K0', customerId: 'C1', openAmount: -50, currency: 'XX1' }, problems, 0, 'EUR');
		credits.add(due({ invoiceId: 'GS-1', openAmount: -20 }), 1);
		const k2 = due({ invoiceId: 'K2' });
		expect(checkAgainstRun(decider, k2, decider.decide(k2), 2, new RepeatedInvoices(), credits).message).toMatch(/^customer "C1" has a credit of -20.00 EUR on invoice "GS-1" \(item 1\)/);
	});
});

describe('dates that are no date say which forms are taken', () => {
	it.each([5, 1763856000000, [1], { a: 1 }, true])('%j', (value) => {
		const r = dayInZone(value as never, 'Europe/Berlin');
		expect(r).toEqual({ ok: false, problem: `${JSON.stringify(value)} is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)` });
	});

	it('the as-of date of a run', () => {
		expect(() => createDecider({}, 5 as never)).toThrow('As-of date 5 is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)');
	});
});
