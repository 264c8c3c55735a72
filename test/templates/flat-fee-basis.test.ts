/**
 * The shipped e-mails cite the flat fee's statute by the merchant's country, as the letter does
 * (`flatFeeBasis` in the template context): § 288 (5) BGB in Germany and for a merchant without a
 * country, § 458 UGB in Austria, none elsewhere.
 */
import { readBusinessDetails } from '../../lib/payment/details';
import { reminderPayment } from '../../lib/payment/reminder-payment';
import { buildTemplateContext, flatFeeBasis, type ReminderValues } from '../../lib/templates/context';
import { DEFAULT_LANGUAGES, DEFAULT_LEVELS } from '../../lib/templates/defaults';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { COMPANY } from '../letters/fixtures';
import { LINE, SECOND_LINE } from './invoice-lines';

const line = { ...LINE, flatFee: 40, totalDue: 145 };
const one: ReminderValues = { ...line, deadline: '2099-03-09', level: 2, stageName: '1. Mahnung', customerName: 'Müller Bau GmbH', senderName: 'Handel', invoices: [line], invoiceCount: 1 };
const second = { ...SECOND_LINE, flatFee: 40, totalDue: 145 };
const three: ReminderValues = {
	...one,
	invoiceId: 'inv-1, inv-2, inv-3',
	invoiceNumber: 'RE-2026-0042, RE-2026-0043, RE-2026-0044',
	openAmount: 300,
	fee: 15,
	flatFee: 120,
	totalDue: 435,
	invoices: [line, second, { ...second, invoiceId: 'inv-3', invoiceNumber: 'RE-2026-0044' }],
	invoiceCount: 3,
};

const env = new TemplateEnvironment();

/** The shipped e-mail for a merchant in `country` ('' for details without one), its context made with the merchant as the letter's is. */
function email(values: ReminderValues, language: string, country: string) {
	const payment = reminderPayment(readBusinessDetails({ ...COMPANY, country }), { currency: 'EUR', totalDue: values.totalDue, invoiceId: values.invoiceId, invoiceNumbers: values.invoices.map((l) => l.invoiceNumber), customerId: '', level: values.level, link: '' });
	const context = buildTemplateContext({}, values, { language, locale: localeFor(language), currency: 'EUR' }, payment);
	return renderReminder(env, resolveTemplates(language, values.level, 'de', undefined, values.invoiceCount > 1), context);
}

describe('flatFeeBasis', () => {
	test('by the merchant’s country, as countryKey reads it; Germany without one', () => {
		expect(flatFeeBasis('', 'de')).toBe('§ 288 Abs. 5 BGB');
		expect(flatFeeBasis('Deutschland', 'de-AT')).toBe('§ 288 Abs. 5 BGB');
		expect(flatFeeBasis('DEU', 'en')).toBe('§ 288 (5) BGB');
		expect(flatFeeBasis('AT', 'de')).toBe('§ 458 UGB');
		expect(flatFeeBasis('Österreich', 'en')).toBe('§ 458 UGB');
		for (const country of ['CH', 'Schweiz', 'FR', 'NL', 'Atlantis']) expect(flatFeeBasis(country, 'de')).toBe('');
	});
});

describe('the e-mail’s flat fee line, by the merchant’s country', () => {
	test.each(DEFAULT_LEVELS)('level %d, Austrian merchant: § 458 UGB in text and HTML, no BGB', (level) => {
		const r = email({ ...one, level }, 'de', 'AT');
		expect(r.text.split('\n')).toContain('Verzugspauschale (§ 458 UGB): 40,00\u00a0€');
		expect(r.html).toContain('>Verzugspauschale (§ 458 UGB)</td>');
		const group = email({ ...three, level }, 'de', 'AT');
		expect(group.text.split('\n')).toContain('Verzugspauschalen (§ 458 UGB, 3 × 40,00\u00a0€): 120,00\u00a0€');
		expect(group.html).toContain('>Verzugspauschalen (§ 458 UGB, 3 × 40,00\u00a0€)</td>');
		const en = email({ ...three, level }, 'en', 'AT');
		expect(en.text.split('\n')).toContain('Flat-rate compensation (§ 458 UGB, 3 × €40.00): €120.00');
		for (const r2 of [r, group, en]) expect(`${r2.subject}${r2.text}${r2.html}`).not.toContain('BGB');
	});

	test.each(DEFAULT_LEVELS)('level %d, Swiss merchant: the line without a statute', (level) => {
		const cases: Array<[ReminderValues, string, string, string]> = [
			[one, 'de', 'Verzugspauschale: 40,00\u00a0€', '>Verzugspauschale</td>'],
			[three, 'de', 'Verzugspauschalen (3 × 40,00\u00a0€): 120,00\u00a0€', '>Verzugspauschalen (3 × 40,00\u00a0€)</td>'],
			[one, 'en', 'Flat-rate compensation: €40.00', '>Flat-rate compensation</td>'],
			[three, 'en', 'Flat-rate compensation (3 × €40.00): €120.00', '>Flat-rate compensation (3 × €40.00)</td>'],
		];
		for (const [values, language, text, html] of cases) {
			const r = email({ ...values, level }, language, 'CH');
			expect(r.text.split('\n')).toContain(text);
			expect(r.html).toContain(html);
			expect(`${r.subject}${r.text}${r.html}`).not.toContain('BGB');
		}
	});

	// German merchants (and details without a country, and no details) cite § 288 (5) BGB as before.
	test.each(DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.flatMap((level) => [[language, level, 'one invoice', one] as const, [language, level, 'three invoices', three] as const])))(
		'%s level %d, %s, German merchant: the same e-mail with DE and without a country; no details: BGB too',
		(language, level, _what, values) => {
			expect(email({ ...values, level }, language, '')).toEqual(email({ ...values, level }, language, 'DE'));
			expect(buildTemplateContext({}, { ...values, level }, { language, locale: localeFor(language), currency: 'EUR' }).flatFeeBasis).toBe(language === 'de' ? '§ 288 Abs. 5 BGB' : '§ 288 (5) BGB');
		},
	);

	test('German merchant, level 2: § 288 Abs. 5 BGB as before', () => {
		expect(email(one, 'de', 'DE').text.split('\n')).toContain('Verzugspauschale (§ 288 Abs. 5 BGB): 40,00\u00a0€');
		expect(email(three, 'de', 'DE').html).toContain('>Verzugspauschalen (§ 288 Abs. 5 BGB, 3 × 40,00\u00a0€)</td>');
		expect(email(three, 'en', '').text.split('\n')).toContain('Flat-rate compensation (§ 288 (5) BGB, 3 × €40.00): €120.00');
	});
});
