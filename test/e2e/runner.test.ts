/**
 * The pure parts of the real-n8n runner (no n8n needed): reading `n8n execute --rawOutput` and the
 * sample data's relative dates. The runner itself is exercised by `npm run test:e2e`.
 */
import { parseRawOutput } from './n8n';
import { berlinDay, loadSampleInvoices, resolveRelativeDate } from './sample-data';

describe('parseRawOutput', () => {
	test('reads the JSON after the log lines and ignores what follows it', () => {
		const out = ['n8n Task Broker ready on 127.0.0.1, port 5679', 'Some warning {', '{', '  "status": "success",', '  "data": { "resultData": { "runData": {} } }', '}', 'Segmentation fault'].join('\n');
		expect(parseRawOutput(out)).toEqual({ status: 'success', data: { resultData: { runData: {} } } });
	});

	test('returns null when no JSON was printed', () => {
		expect(parseRawOutput('Failed to start Python task runner\n')).toBeNull();
		expect(parseRawOutput('{\n  "status": \n')).toBeNull();
	});
});

describe('sample data dates', () => {
	const noonUtc = new Date('2026-03-10T12:00:00Z');

	test('today±N becomes a calendar day in Europe/Berlin', () => {
		expect(resolveRelativeDate('today', noonUtc)).toBe('2026-03-10');
		expect(resolveRelativeDate('today-30', noonUtc)).toBe('2026-02-08');
		expect(resolveRelativeDate('today+4', noonUtc)).toBe('2026-03-14');
		expect(resolveRelativeDate('2026-01-31', noonUtc)).toBe('2026-01-31');
		expect(resolveRelativeDate(null, noonUtc)).toBeNull();
	});

	test('"today" follows Berlin, not UTC, around midnight', () => {
		expect(berlinDay(0, new Date('2026-03-10T23:30:00Z'))).toBe('2026-03-11');
	});

	test('the shipped sample has about 40 invoices, both languages and customer types, and bad addresses', () => {
		const invoices = loadSampleInvoices(noonUtc);
		expect(invoices.length).toBeGreaterThanOrEqual(35);
		expect(new Set(invoices.map((i) => i.language))).toEqual(new Set(['de', 'en']));
		expect(new Set(invoices.map((i) => i.customerType))).toEqual(new Set(['consumer', 'business']));
		expect(new Set(invoices.map((i) => i.currentLevel))).toEqual(new Set([0, 1, 2, 3]));
		expect(invoices.some((i) => i.email === 'nobody@example.test')).toBe(true);
		expect(invoices.some((i) => i.email === null)).toBe(true);
		expect(new Set(invoices.map((i) => i.invoiceId)).size).toBe(invoices.length);
		for (const i of invoices) expect(i.dueDate).toMatch(/^\d{4}-\d\d-\d\d$/);
	});
});
