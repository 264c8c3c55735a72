import { buildTemplateContext, type InvoiceLine, type ReminderValues } from '../../lib/templates/context';
import { DEFAULT_LANGUAGES, DEFAULT_LEVELS, defaultTemplates } from '../../lib/templates/defaults';
import { TemplateEnvironment, TemplateError, type TemplateKind } from '../../lib/templates/environment';
import { formatDate, formatMoney, TemplateValueError } from '../../lib/templates/helpers';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { reminderPayment } from '../../lib/payment/reminder-payment';
import { readBusinessDetails } from '../../lib/payment/details';
import { COMPANY } from '../letters/fixtures';

const line: InvoiceLine = {
	invoiceId: 'inv-1',
	invoiceNumber: 'RE-2026-0042',
	invoiceDate: '2026-01-15',
	dueDate: '2026-02-14',
	invoiceAmount: 1234.5,
	paidAmount: null,
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

	test('the three German levels are Zahlungserinnerung, 1. Mahnung, 2. Mahnung; the policy\'s last one is titled "Letzte …"', () => {
		expect(DEFAULT_LEVELS.map((l) => defaultTemplates('de', l)!.subject)).toEqual([
			'{{#if finalLevel}}Letzte Zahlungserinnerung{{else}}Zahlungserinnerung{{/if}} zu Rechnung {{invoiceNumber}}',
			'{{#if finalLevel}}Letzte Mahnung{{else}}1. Mahnung{{/if}} zu Rechnung {{invoiceNumber}}',
			'{{#if finalLevel}}Letzte Mahnung{{else}}2. Mahnung{{/if}} zu Rechnung {{invoiceNumber}}',
		]);
	});

	test.each([
		['de', 4, false, '3. Mahnung zu Rechnung RE-2026-0042', 'trotz Zahlungserinnerung und 2 Mahnungen noch immer offen'],
		['de', 5, true, '4. Mahnung zu 2 Rechnungen', 'trotz Zahlungserinnerung und 3 Mahnungen noch immer offen'],
		['en', 4, false, 'Third dunning notice for invoice RE-2026-0042', 'despite our payment reminder and two dunning notices'],
		['en', 5, true, 'Fourth dunning notice for 2 invoices', 'despite our payment reminder and three dunning notices'],
	] as const)('%s level %d (several invoices: %s) names its own stage, not the 2nd notice of level 3', (language, level, several, subject, earlier) => {
		const over = several ? { ...collective, level } : { level };
		const r = renderReminder(env, resolveTemplates(language, level, 'de', undefined, several), context(language, over));
		expect(r.subject).toBe(subject);
		for (const body of [r.text, r.html]) {
			expect(body).toContain(earlier);
			expect(body).not.toMatch(/\b[12]\. Mahnung|letztmalig|\b(first|second) dunning notice|for the last time/i);
			expect(body).toContain(language === 'de' ? 'Wir fordern Sie nochmals auf,' : 'We ask you once again to transfer');
		}
		// Levels 1–3 keep their wording.
		expect(defaultTemplates(language, 3, several)!.text).toMatch(language === 'de' ? /Wir bitten Sie letztmalig/ : /We ask you for the last time/);
	});

	test.each(DEFAULT_LEVELS.flatMap((l) => [[l, false], [l, true]] as const))('English level %d (several: %s): the sentence after "Dear …," starts with a capital letter', (level, several) => {
		const over = several ? { ...collective, level } : { level };
		const r = renderReminder(env, resolveTemplates('en', level, 'de', undefined, several), context('en', over));
		expect(r.text.split('\n')[2]).toMatch(/^[A-Z]/);
		expect(r.html).toMatch(/<p>Dear Erika Mustermann,<\/p>\s*<p>[A-Z]/);
	});

	test('the plain text made from the shipped HTML leaves out the GiroCode caption with the image; the HTML keeps both', () => {
		const details = readBusinessDetails(COMPANY);
		const pay = reminderPayment(details, { currency: 'EUR', totalDue: 1251.84, invoiceId: 'inv-1', invoiceNumbers: ['RE-2026-0042'], customerId: '', level: 1, link: '' });
		expect(pay.payment.giroCode).toBe(true);
		for (const language of DEFAULT_LANGUAGES) {
			const html = defaultTemplates(language, 1)!.html;
			const resolved = resolveTemplates(language, 1, 'de', () => ({ templates: { html }, source: 'node' }));
			const r = renderReminder(env, resolved, { ...context(language, { level: 1 }), merchant: pay.merchant, payment: pay.payment });
			expect(r.html).toMatch(/GiroCode: (mit der Banking-App scannen|scan with your banking app)/);
			expect(r.text).toContain('IBAN: DE89 3704 0044 0532 0130 00');
			expect(r.text).not.toContain('GiroCode');
			expect(r.text).not.toMatch(/[ \t]$/m);
		}
	});

	test('a subject that renders empty or blank fails the item, naming the template', () => {
		for (const subject of ['{{stageName}}', '  {{stageName}} {{#if fee}}{{/if}} ']) {
			const resolved = resolveTemplates('de', 1, 'de', () => ({ templates: { subject, text: 'Text' }, source: 'node' }));
			expect(() => renderReminder(env, resolved, context('de', { stageName: '' }))).toThrow(
				'Template "de level 1 subject (node)": renders an empty subject; a reminder needs one: check that the fields it prints (e.g. {{stageName}}) have values',
			);
		}
		const resolved = resolveTemplates('de', 1, 'de', () => ({ templates: { subject: '{{stageName}}', text: 'Text' }, source: 'node' }));
		expect(renderReminder(env, resolved, context('de')).subject).toBe('1. Mahnung');
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

	test('a helper given a missing field or an empty value says so instead of printing "undefined"', () => {
		// Helper arguments are checked like printed names (strict mode alone leaves them out).
		expect(() => env.compile(name, 'Gebühr {{money feee}}')({ currency: 'EUR', locale: 'de-DE' })).toThrow(
			'Template "de level 1 text (node)": the variable "feee" is missing (no such field in the item)',
		);
		expect(() => env.compile(name, 'Gebühr {{money fee}}')({ fee: null, currency: 'EUR', locale: 'de-DE' })).toThrow(
			/Template "de level 1 text \(node\)": money needs a number, got null/,
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

	test('a syntax error keeps the parser\'s pointer and what it expected; an unclosed block says so', () => {
		expect(() => env.compile(name, 'Betrag {{money openAmount}')).toThrow(
			"Template \"de level 1 text (node)\": is not a valid template: Parse error on line 1:\n...g {{money openAmount}\n-----------------------^\nExpecting 'CLOSE_RAW_BLOCK', 'CLOSE', 'CLOSE_UNESCAPED'",
		);
		expect(() => env.compile(name, 'Hallo\n{{#if customerName}}\nX\n')).toThrow(/Parse error on line 4:\n.*\n-+\^\nExpecting .*got 'EOF'\n\(a \{\{#…\}\} block is not closed with its \{\{\/…\}\}\)$/);
	});

	test('a name missing from a helper or block argument fails like a printed one; fields that exist but are empty still work', () => {
		const ctx = { fee: 5, invoices: [{ n: 1 }], customer: { name: 'Erika', email: null }, obj: { k: null }, currency: 'EUR', locale: 'de-DE' };
		const missingIn = (source: string) => () => env.compile(name, source)(ctx);
		for (const [source, variable] of [
			['{{#if fees}}Mahngebühr{{/if}}', 'fees'],
			['{{#each invoice}}{{n}}{{/each}}', 'invoice'],
			['{{#unless paymnt}}bar{{/unless}}', 'paymnt'],
			['{{#with custmer}}{{name}}{{/with}}', 'custmer'],
			['{{#if customer.mail}}x{{/if}}', 'customer.mail'],
			['{{lookup obj "missing"}}', 'obj.missing'],
			['{{#with (lookup this "constructor")}}x{{/with}}', 'constructor'],
			['{{money fees}}', 'fees'],
			['{{date due style=fmt}}', 'due'],
			['{{#each invoices}}{{#if ../fees}}x{{/if}}{{/each}}', '../fees'],
		] as const) {
			expect(missingIn(source)).toThrow(`Template "de level 1 text (node)": the variable "${variable}" is missing (no such field in the item)`);
		}
		// Empty, null, false and [] are values: the block takes its {{else}}.
		for (const value of ['', null, false, []]) {
			expect(env.compile(name, '{{#if a}}ja{{else}}nein{{/if}}|{{#unless a}}leer{{/unless}}|{{#each a}}x{{else}}keine{{/each}}|{{#with a}}x{{else}}ohne{{/with}}')({ a: value })).toBe('nein|leer|keine|ohne');
		}
		expect(env.compile(name, '{{#if a}}ja{{else}}nein{{/if}}')({ a: 0 })).toBe('nein');
		expect(env.compile(name, '{{#if customer.email}}x{{else}}-{{/if}}[{{lookup obj "k"}}]{{#each invoices}}{{#if ../fee}}{{n}}{{/if}}{{/each}}')(ctx)).toBe('-[]1');
	});

	test('a name called with arguments that is no helper is an unknown helper; money and date without an argument say they need one', () => {
		expect(() => env.compile(name, '{{formatMoney openAmount}}')({ openAmount: 1 })).toThrow(
			'Template "de level 1 text (node)": unknown helper "formatMoney" (helpers: money, date, percent, if, unless, each, with, lookup)',
		);
		expect(() => env.compile(name, '{{#if (uppercase customerName)}}x{{/if}}')({ customerName: 'a' })).toThrow(/unknown helper "uppercase"/);
		// Fields called like the helpers: the message says how to print them.
		const item = { date: '2026-01-20', money: 'Überweisung', locale: 'de-DE', currency: 'EUR' };
		expect(() => env.compile(name, 'Datum: {{date}}')(item)).toThrow('Template "de level 1 text (node)": date needs an argument: write {{date dueDate}}; a field called "date" is printed with {{this.date}}');
		expect(() => env.compile(name, '{{money}}')(item)).toThrow('money needs an argument: write {{money openAmount}}; a field called "money" is printed with {{this.money}}');
		expect(env.compile(name, '{{this.date}} {{date date}} {{this.money}}')(item)).toBe('2026-01-20 20. Januar 2026 Überweisung');
	});

	test('printing an object or a list fails naming it and how to print one of its fields', () => {
		const ctx = { address: { street: 'Hauptstr. 1', city: 'Köln' }, tags: ['a', 'b'], invoices: [{ invoiceId: 'i-1' }] };
		for (const kind of ['text', 'html', 'subject'] as const) {
			expect(() => env.compile({ ...name, kind }, 'Adresse: {{address}}')(ctx)).toThrow(
				`Template "de level 1 ${kind} (node)": prints "address", which is an object: name one of its fields instead, e.g. {{address.street}}`,
			);
		}
		expect(() => env.compile(name, '{{tags}}')(ctx)).toThrow('prints "tags", which is a list: name one of its entries instead, e.g. {{tags.[0]}}, or go through them with {{#each tags}}…{{/each}}');
		expect(() => env.compile(name, '{{#each invoices}}{{this}}{{/each}}')(ctx)).toThrow('prints "this", which is an object: name one of its fields instead, e.g. {{invoiceId}}');
		expect(() => env.compile(name, '{{lookup invoices 0}}')(ctx)).toThrow(/prints "lookup invoices 0", which is an object/);
		expect(env.compile(name, '{{address.city}} {{tags.[1]}} {{#each invoices}}{{invoiceId}}{{/each}}')(ctx)).toBe('Köln b i-1');
	});

	test("inside {{#each}} and {{#with}} a reminder's own field that the block lacks points to {{@root.…}}, with where it was written", () => {
		const ctx = { customerName: 'A', deadline: '2026-03-09', customer: { email: 'a@example.com' }, invoices: [{ invoiceNumber: 'R1' }], invoiceNumber: 'R1', payment: { iban: 'DE02' }, locale: 'de-DE', currency: 'EUR' };
		const failure = (source: string, kind: TemplateKind = 'text') => () => env.compile({ ...name, kind }, source)(ctx);
		expect(failure('{{#each invoices}}{{customerName}}{{/each}}')).toThrow(/@root\.customerName/);
		expect(failure('<ul>{{#each invoices}}\n<li>{{customerName}}</li>{{/each}}</ul>', 'html')).toThrow(
			'Template "de level 1 html (node)": the variable "customerName" is missing at line 2, column 7: inside {{#each …}} / {{#with …}} names are that block\'s fields (an invoice line, the payment details), and it has no "customerName"; write {{@root.customerName}} for the reminder\'s own field',
		);
		// Helper and block arguments, {{#with}}, a path, a list of texts.
		expect(failure('{{#each invoices}}{{date deadline}}{{/each}}')).toThrow(/"deadline" is missing at line 1, column 26: .*write \{\{@root\.deadline\}\}/);
		expect(failure('{{#with payment}}{{iban}} {{invoiceNumber}}{{/with}}')).toThrow(/write \{\{@root\.invoiceNumber\}\}/);
		expect(failure('{{#each invoices}}{{#if customer.email}}x{{/if}}{{/each}}')).toThrow(/write \{\{@root\.customer\.email\}\}/);
		expect(failure('{{#each invoices}}{{lookup customer "email"}}{{/each}}')).toThrow(/write \{\{@root\.customer\}\}/);
		expect(env.compile(name, '{{#each invoices}}{{invoiceNumber}} {{@root.customerName}} {{date ../deadline}}{{/each}}')(ctx)).toBe('R1 A 9. März 2026');
		// Not a field of the reminder either (a typo, a field it lacks, one already read from outside): the message stays as it was.
		for (const [source, variable] of [
			['{{#each invoices}}{{customerNme}}{{/each}}', 'customerNme'],
			['{{#each invoices}}{{customer.emial}}{{/each}}', 'customer.emial'],
			['{{#with payment}}{{bic}}{{/with}}', 'bic'],
			['{{#each invoices}}{{../customerNme}}{{/each}}', '../customerNme'],
		] as const) {
			expect(failure(source)).toThrow(`Template "de level 1 text (node)": the variable "${variable}" is missing (no such field in the item)`);
		}
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
			// No amount is negative zero: a credit that rounds away prints as 0,00 €.
			expect(formatMoney(-0, 'EUR', 'de-DE')).toBe('0,00\u00a0€');
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
	test('a credit that rounds to nothing prints as 0,00 €, never -0,00 €', () => {
		for (const amount of [-0, -0.001, -0.004, '-0.004']) expect(formatMoney(amount, 'EUR', 'de-DE')).toBe('0,00\u00a0€');
		expect(formatMoney(-0.005, 'EUR', 'de-DE')).toBe('-0,01\u00a0€');
		expect(formatMoney(-0.4, 'JPY', 'de-DE')).toBe('0\u00a0¥');
	});

	test('a date style is short, medium, long or a pattern of date tokens; anything else fails naming the style and the tokens', () => {
		expect(formatDate('2026-03-01', 'de-DE', 'dd.MM.yyyy')).toBe('01.03.2026');
		expect(formatDate('2026-03-01', 'de-DE', 'EEEE, d. MMMM yyyy')).toBe('Sonntag, 1. März 2026');
		expect(formatDate('2026-03-01', 'es-ES', "d 'de' MMMM")).toBe('1 de marzo');
		expect(formatDate('2026-03-01', 'en-GB', 'yy/M/d')).toBe('26/3/1');
		expect(formatDate('2026-03-01', 'de-DE', 'medium')).toBe('1. März 2026');
		// luxon's other date tokens work as before: the standalone month, short year, weekday, localized date, week.
		expect(['d.M.y', 'LLLL yyyy', 'ccc, dd.MM.yyyy', 'kkkk-WW', 'DDD'].map((style) => formatDate('2026-03-01', 'de-DE', style))).toEqual(['1.3.2026', 'März 2026', 'So, 01.03.2026', '2026-09', '1. März 2026']);
		const tokens =
			'date needs a known style (short, medium or long, or a pattern of the date tokens d, dd, M, MM, MMM, MMMM, L, LL, LLL, LLLL, y, yy, yyyy, E, EEE, EEEE, c, ccc, cccc, D, DD, DDD, DDDD, o, ooo, W, WW, kk, kkkk, q, qq with separators and \'quoted text\', like "dd.MM.yyyy"); ';
		// Minutes for months, a long date followed by "YYYY", and everything luxon would print of words.
		for (const [style, why] of [
			['dd.mm.yyyy', '"dd.mm.yyyy" contains "mm", which is not a date token'],
			['DD.MM.YYYY', '"DD.MM.YYYY" contains "YYYY", which is not a date token'],
			['full', '"full" contains "f", which is not a date token'],
			['Long', '"Long" contains "n", which is not a date token'],
			['HH:mm', '"HH:mm" contains "HH", which is not a date token'],
			["dd 'Uhr", '"dd \'Uhr" opens quoted text that is not closed'],
			['--', '"--" has no date token'],
			['constructor', '"constructor" contains "n", which is not a date token'],
		]) {
			expect(() => formatDate('2026-03-01', 'de-DE', style)).toThrow(tokens + why);
		}
		const env = new TemplateEnvironment();
		expect(() => env.compile({ language: 'de', level: 1, kind: 'text', source: 'node' }, '{{date due "dd.mm.yyyy"}}')({ due: '2026-03-01', locale: 'de-DE' })).toThrow(
			/^Template "de level 1 text \(node\)": date needs a known style .*"dd\.mm\.yyyy" contains "mm"/,
		);
	});

	test('a locale given to a helper must be one: "de_AT" and "deutsch" fail naming the value instead of Intl\'s nameless error or English', () => {
		const env = new TemplateEnvironment();
		const render = (source: string) => env.compile({ language: 'de', level: 1, kind: 'text', source: 'node' }, source)({ a: 1234.5, d: '2026-01-05', currency: 'EUR', locale: 'de-DE' });
		expect(render('{{money a locale="de-AT"}} {{date d locale="de-AT"}}')).toBe('€\u00a01.234,50 5. Jänner 2026');
		expect(() => render('{{money a locale="de_AT"}}')).toThrow('money needs a usable locale: "de_AT" is not a locale tag like de-DE, de-AT or en-GB: write it with a hyphen, de-AT');
		expect(() => render('{{date d locale="deutsch"}}')).toThrow('date needs a usable locale: "deutsch" is not a locale this system can format amounts and dates for; use a locale tag like de-DE, de-AT or en-GB');
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

	test('a day that does not exist fails in every style instead of rolling into the next month or year; a year before 1000 is refused (not printed as 19xx or "26")', () => {
		for (const value of ['2026-13-01', '2026-00-15', '2026-02-30', '2026-04-31', '2025-02-29']) {
			for (const style of ['long', 'medium', 'short', 'dd.MM.yyyy']) {
				expect(() => formatDate(value, 'de-DE', style)).toThrow(TemplateValueError);
				expect(() => formatDate(value, 'de-DE', style)).toThrow(`date needs an ISO date like 2026-03-01, got "${value}"`);
			}
		}
		expect(formatDate('2024-02-29', 'de-DE', 'short')).toBe('29.02.2024');
		// Date.UTC reads 26 as 1926 and Intl alone writes the year 26 as "26", read as 2026: a typo either way.
		for (const value of ['0026-03-01', '0026-03-01T10:00:00Z', '0202-01-15']) {
			for (const style of ['long', 'medium', 'short', 'dd.MM.yyyy']) {
				expect(() => formatDate(value, 'de-DE', style)).toThrow(TemplateValueError);
				// The same words in every style (before: the named styles called it no ISO date, without the reason).
				expect(() => formatDate(value, 'de-DE', style)).toThrow(`date needs an ISO date like 2026-03-01, got "${value}" (a year before 1000)`);
			}
		}
		expect(formatDate('1000-01-01', 'de-DE', 'short')).toBe('01.01.1000');
	});
});
