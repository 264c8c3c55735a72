import { plainTextFromHtml } from '../../lib/mail/plain-text';
import { buildTemplateContext, type InvoiceLine, type ReminderValues } from '../../lib/templates/context';
import { DEFAULT_LANGUAGES, defaultTemplates } from '../../lib/templates/defaults';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { formatDate, formatMoney } from '../../lib/templates/helpers';
import { localeFor, renderReminder, resolveTemplates, TEXT_FROM_HTML } from '../../lib/templates/render';

describe('plain text derived from operator HTML', () => {
	test('table cells stay apart: an invoice number is never glued to its amount', () => {
		const text = plainTextFromHtml('<table><tr><th>Rechnung</th><th>Betrag</th></tr><tr><td>RE-7</td><td>10,00&nbsp;€</td></tr></table>');
		expect(text).not.toContain('RE-710');
		expect(text).toMatch(/RE-7\s+10,00\u00a0€/);
		// Header cells keep their case too.
		expect(text).toMatch(/^Rechnung\s+Betrag$/m);
	});

	test('headings keep their case, so an invoice number reads as written', () => {
		for (const tag of ['h1', 'h2', 'h3', 'h4', 'h5', 'h6']) {
			expect(plainTextFromHtml(`<${tag}>Rechnung re-2026-abc</${tag}><p>Betrag: 5,00 €</p>`)).toContain('Rechnung re-2026-abc');
		}
	});

	test('a shipped group HTML text, sent as the operator’s own: every amount stands apart from the date or number before it', () => {
		const env = new TemplateEnvironment();
		const line = (n: number, openAmount: number, dueDate: string): InvoiceLine => ({
			invoiceId: `inv-${n}`,
			invoiceNumber: `RE-2026-00${n}`,
			invoiceDate: '2026-01-15',
			dueDate,
			invoiceAmount: openAmount,
			paidAmount: null,
			openAmount,
			fee: 0,
			flatFee: 0,
			interest: 0,
			totalDue: openAmount,
			daysOverdue: 20,
		});
		const invoices = [line(1, 1234.5, '2026-02-14'), line(2, 99, '2026-02-20')];
		const values: ReminderValues = {
			...invoices[0],
			invoiceId: 'inv-1, inv-2',
			openAmount: 1333.5,
			fee: 5,
			interest: 12.34,
			totalDue: 1350.84,
			deadline: '2026-03-09',
			level: 2,
			stageName: '1. Mahnung',
			customerName: 'Erika Mustermann',
			senderName: 'Beispiel Shop GmbH',
			invoices,
			invoiceCount: 2,
		};
		for (const language of DEFAULT_LANGUAGES) {
			const html = defaultTemplates(language, 2, true)!.html;
			expect(html).toContain('<table');
			const resolved = resolveTemplates(language, 2, 'de', () => ({ templates: { subject: 'Mahnung', html }, source: 'node' }), true);
			expect(resolved.sources.text).toBe(TEXT_FROM_HTML);
			const locale = localeFor(language);
			const { text } = renderReminder(env, resolved, buildTemplateContext({}, values, { language, locale, currency: 'EUR' }));
			const amounts = [1234.5, 99, 1333.5, 5, 12.34, 1350.84].map((a) => formatMoney(a, 'EUR', locale));
			for (const amount of amounts) {
				expect(text).toContain(amount);
				// Preceded by white space or a line start: never by a digit, a date or an invoice number.
				expect(text.split(amount).slice(0, -1).every((before) => before === '' || /\s$/.test(before))).toBe(true);
			}
			for (const due of ['2026-02-14', '2026-02-20']) expect(text).toContain(formatDate(due, locale));
			expect(text).toContain('RE-2026-001');
		}
	});
});
