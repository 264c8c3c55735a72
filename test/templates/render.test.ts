import { buildTemplateContext, type InvoiceLine, type ReminderValues } from '../../lib/templates/context';
import { DEFAULT_LANGUAGES, DEFAULT_LEVELS, defaultTemplates } from '../../lib/templates/defaults';
import { TemplateEnvironment, TemplateError } from '../../lib/templates/environment';
import { formatDate, formatMoney } from '../../lib/templates/helpers';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';

const line: InvoiceLine = {
	invoiceId: 'inv-1',
	invoiceNumber: 'RE-2026-0042',
	invoiceDate: '2026-01-15',
	dueDate: '2026-02-14',
	openAmount: 1234.5,
	fee: 5,
	flatFee: 0,
	interest: 12.34,
	totalDue: 1251.84,
	daysOverdue: 14,
};

const values: ReminderValues = {
	...line,
	deadline: '2026-03-09',
	level: 2,
	stageName: '1. Mahnung',
	customerName: 'Erika Mustermann',
	senderName: 'Beispiel Shop GmbH',
	invoices: [line],
	invoiceCount: 1,
};

function context(language: string, over: Partial<ReminderValues> = {}, item: Record<string, unknown> = {}) {
	return buildTemplateContext(item, { ...values, ...over }, { language, locale: localeFor(language), currency: 'EUR' });
}

describe('shipped templates', () => {
	const env = new TemplateEnvironment();
	test.each(DEFAULT_LANGUAGES.flatMap((l) => DEFAULT_LEVELS.map((v) => [l, v] as const)))('%s level %d renders with every value formatted for the locale', (language, level) => {
		const r = renderReminder(env, resolveTemplates(language, level, 'de'), context(language, { level }));
		expect(r.subject).toContain('RE-2026-0042');
		for (const body of [r.text, r.html]) {
			if (language === 'de') {
				expect(body).toContain('1.234,50\u00a0€');
				expect(body).toContain('5,00\u00a0€');
				expect(body).toContain('12,34\u00a0€');
				expect(body).toContain('1.251,84\u00a0€');
				expect(body).toContain('9. März 2026');
				expect(body).toContain('14. Februar 2026');
			} else {
				expect(body).toContain('€1,234.50');
				expect(body).toContain('€1,251.84');
				expect(body).toContain('9 March 2026');
			}
			expect(body).toContain('Erika Mustermann');
			expect(body).toContain('Beispiel Shop GmbH');
			expect(body).not.toMatch(/undefined|NaN|\{\{/);
		}
	});

	const second: InvoiceLine = { ...line, invoiceId: 'inv-2', invoiceNumber: 'RE-2026-0043', invoiceDate: null, dueDate: '2026-02-20', openAmount: 100, fee: 5, interest: 0, totalDue: 105 };
	const collective: Partial<ReminderValues> = {
		invoiceId: 'inv-1, inv-2',
		invoiceNumber: 'RE-2026-0042, RE-2026-0043',
		invoiceDate: null,
		openAmount: 1334.5,
		fee: 10,
		totalDue: 1356.84,
		invoices: [line, second],
		invoiceCount: 2,
	};
	test.each(DEFAULT_LANGUAGES.flatMap((l) => DEFAULT_LEVELS.map((v) => [l, v] as const)))('%s level %d for several invoices lists each one, then the sums', (language, level) => {
		const r = renderReminder(env, resolveTemplates(language, level, 'de', undefined, true), context(language, { ...collective, level }));
		expect(r.subject).toMatch(language === 'de' ? / zu 2 Rechnungen$/ : / for 2 invoices$/);
		for (const body of [r.text, r.html]) {
			const [first, other, total] =
				language === 'de' ? ['RE-2026-0042 vom 15. Januar 2026', 'RE-2026-0043', '1.356,84\u00a0€'] : ['RE-2026-0042 of 15 January 2026', 'RE-2026-0043', '€1,356.84'];
			expect(body).toContain(first);
			expect(body).toContain(other);
			expect(body.indexOf(first)).toBeLessThan(body.indexOf(other));
			expect(body).toContain(language === 'de' ? '20. Februar 2026' : '20 February 2026');
			expect(body).toContain(total);
			expect(body).toContain(language === 'de' ? '10,00\u00a0€' : '€10.00');
			expect(body).not.toMatch(/undefined|NaN|\{\{/);
		}
		expect(r.text).toContain(language === 'de' ? '- Rechnung RE-2026-0043, fällig am 20. Februar 2026: 100,00\u00a0€' : '- Invoice RE-2026-0043, due on 20 February 2026: €100.00');
	});

	test('the three German levels are Zahlungserinnerung, 1. Mahnung, 2. Mahnung', () => {
		expect(DEFAULT_LEVELS.map((l) => defaultTemplates('de', l)!.subject)).toEqual([
			'Zahlungserinnerung zu Rechnung {{invoiceNumber}}',
			'1. Mahnung zu Rechnung {{invoiceNumber}}',
			'2. Mahnung zu Rechnung {{invoiceNumber}}',
		]);
	});

	test('the B2B flat fee (§ 288 Abs. 5 BGB) is shown when charged', () => {
		const r = renderReminder(env, resolveTemplates('de', 2, 'de'), context('de', { flatFee: 40 }));
		expect(r.text).toContain('Verzugspauschale (§ 288 Abs. 5 BGB): 40,00\u00a0€');
		expect(r.html).toContain('40,00\u00a0€');
	});

	test('fee and interest lines disappear when they are zero; a missing customer name gets the formal greeting', () => {
		const r = renderReminder(env, resolveTemplates('de', 1, 'de'), context('de', { fee: 0, interest: 0, customerName: '' }));
		expect(r.text).not.toContain('Mahngebühr');
		expect(r.text).not.toContain('Verzugszinsen');
		expect(r.text).toMatch(/^Sehr geehrte Damen und Herren,/);
	});

	test('unknown language falls back to the configured fallback; a region tag uses its language', () => {
		expect(resolveTemplates('fr', 1, 'en').language).toBe('en');
		expect(resolveTemplates('', 1, 'de').language).toBe('de');
		expect(resolveTemplates('EN-us', 1, 'de').language).toBe('en');
		expect(() => resolveTemplates('fr', 1, 'it')).toThrow(/No templates for level 1 in language "fr" or the fallback "it"/);
	});

	test('operator texts replace the shipped ones per kind; the rest stays shipped', () => {
		const resolved = resolveTemplates('de', 1, 'de', (lang, level) =>
			lang === 'de' && level === 1 ? { templates: { subject: 'Offen: {{invoiceNumber}}' }, source: 'node' } : undefined,
		);
		expect(resolved.sources).toEqual({ subject: 'node', html: 'default', text: 'default' });
		expect(renderReminder(env, resolved, context('de')).subject).toBe('Offen: RE-2026-0042');
	});

	test('an operator HTML without a text gets its plain part from that HTML; a text without HTML goes alone', () => {
		const htmlOnly = resolveTemplates('de', 1, 'de', () => ({ templates: { html: '<p>Offen: <b>{{invoiceNumber}}</b></p>' }, source: 'node' }));
		expect(htmlOnly.sources).toEqual({ subject: 'default', html: 'node', text: 'derived from the HTML' });
		const r = renderReminder(env, htmlOnly, context('de'));
		expect(r.text).toBe('Offen: RE-2026-0042');
		const textOnly = resolveTemplates('de', 1, 'de', () => ({ templates: { text: 'Offen: {{invoiceNumber}}' }, source: 'node' }));
		expect(textOnly.sources.html).toBe('none (plain text only)');
		expect(renderReminder(env, textOnly, context('de'))).toMatchObject({ html: '', text: 'Offen: RE-2026-0042' });
	});
});

describe('sandboxed environment', () => {
	const env = new TemplateEnvironment();
	const name = { language: 'de', level: 1, kind: 'text' as const, source: 'node' };

	test('a missing variable is an error naming the template and the whole variable path', () => {
		const render = env.compile(name, 'Hallo {{customer.firstName}}');
		expect(() => render({ customer: {} })).toThrow(TemplateError);
		expect(() => render({ customer: {} })).toThrow('Template "de level 1 text (node)": the variable "customer.firstName" is missing');
		expect(() => env.compile(name, 'Bis {{deadlne}}')({})).toThrow(/"deadlne" is missing/);
	});

	test('a helper given a missing value says so instead of printing "undefined"', () => {
		expect(() => env.compile(name, 'Gebühr {{money feee}}')({ currency: 'EUR', locale: 'de-DE' })).toThrow(
			/Template "de level 1 text \(node\)": money needs a number, got nothing/,
		);
	});

	test('HTML templates escape values, text and subject do not', () => {
		const ctx = { customerName: '<script>alert(1)</script> & Co' };
		expect(env.compile({ ...name, kind: 'html' }, '<p>{{customerName}}</p>')(ctx)).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</p>');
		expect(env.compile(name, '{{customerName}}')(ctx)).toBe('<script>alert(1)</script> & Co');
	});

	test('no prototype access: inherited names are missing variables, not empty text', () => {
		expect(() => env.compile(name, '[{{constructor}}]')({ customer: {} })).toThrow('Template "de level 1 text (node)": the variable "constructor" is missing');
		expect(() => env.compile(name, '[{{customer.__proto__}}]')({ customer: {} })).toThrow(/the variable "customer.__proto__" is missing/);
		// Walking through the prototype finds nothing, so strict mode reports it as missing.
		expect(() => env.compile(name, '{{customer.constructor.name}}')({ customer: {} })).toThrow(/"customer.constructor.name" is missing/);
	});

	test('a syntax error names the template', () => {
		expect(() => env.compile({ ...name, kind: 'subject' }, 'Rechnung {{invoiceNumber')).toThrow(/Template "de level 1 subject \(node\)": is not a valid template/);
	});
});

describe('helpers', () => {
	test('money per locale and currency', () => {
		expect(formatMoney(1234.5, 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
		expect(formatMoney('99.9', 'CHF', 'de-CH')).toMatch(/CHF.99\.90/);
		expect(formatMoney(10, 'EUR', 'en-GB')).toBe('€10.00');
		expect(() => formatMoney(10, 'euro', 'de')).toThrow(/three-letter currency code/);
	});
	test('money rounds commercially to the currency\'s own minor unit, as the sums do, not only cents', () => {
		// 95 × 0.0001 is 0.009499999999999995: the ERP meant 0.0095, as 0.1 + 0.2 means 0.3.
		expect(formatMoney(95 * 0.0001, 'BHD', 'en-GB')).toBe('BHD\u00a00.010');
		expect(formatMoney(2.4999999999999996, 'JPY', 'de-DE')).toBe('3\u00a0¥');
		expect(formatMoney(12.344999999999999, 'EUR', 'de-DE')).toBe('12,35\u00a0€');
	});
	test('remembered results never mix up values: 0 and -0, locales, currencies, date styles', () => {
		for (let round = 0; round < 2; round++) {
			expect(formatMoney(0, 'EUR', 'de-DE')).toBe('0,00\u00a0€');
			expect(formatMoney(-0, 'EUR', 'de-DE')).toBe('-0,00\u00a0€');
			expect(formatMoney(5, 'EUR', 'en-GB')).toBe('€5.00');
			expect(formatMoney(5, 'USD', 'en-GB')).toBe('US$5.00');
			expect(formatDate('2026-03-01', 'de-DE', 'long')).toBe('1. März 2026');
			expect(formatDate('2026-03-01', 'de-DE', 'short')).toBe('01.03.2026');
			expect(formatDate('2026-03-01', 'en-GB')).toBe('1 March 2026');
		}
		// An error is not remembered as a result.
		expect(() => formatDate('2026-02-30', 'de')).toThrow(/ISO date/);
		expect(() => formatDate('2026-02-30', 'de')).toThrow(/ISO date/);
		// Luxon would print today for a time alone, and 1 January for a year.
		for (const partial of ['10:00', '2026', '2026-03', '2026-W10']) expect(() => formatDate(partial, 'de')).toThrow(`date needs an ISO date like 2026-03-01, got "${partial}"`);
	});
	test('dates per locale, calendar day never shifted by the time zone', () => {
		expect(formatDate('2026-03-01', 'de-DE')).toBe('1. März 2026');
		expect(formatDate('2026-03-01', 'de-DE', 'dd.MM.yyyy')).toBe('01.03.2026');
		expect(formatDate('2026-03-01', 'en-GB', 'short')).toBe('01/03/2026');
		// DIN 5008's numeric form, also for a date given with its time.
		expect(formatDate('2026-11-09T10:00:00+01:00', 'de-DE', 'short')).toBe('09.11.2026');
		expect(formatDate('2026-03-01', 'en-US', 'short')).toBe('03/01/2026');
		expect(() => formatDate('gestern', 'de')).toThrow(/ISO date/);
	});
});
