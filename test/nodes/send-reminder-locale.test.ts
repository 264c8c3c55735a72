/**
 * Send Reminder Email formats amounts and dates for the customer's region (de-CH answered with the
 * German texts is formatted Swiss), and the letter it attaches follows its Locale option, as the
 * e-mail does. Through the real n8n engine, with a real SMTP server on loopback (smtp-server).
 */
import { simpleParser } from 'mailparser';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { reminderItem, runSendReminder, smtpServersPerTest } from '../harness/send-reminder-node';
import { COMPANY } from '../letters/fixtures';
import { describeWithPdfTools, pdfPages } from '../letters/pdf-tools';
import type { TestServer } from '../mail/smtp-test-server';

const smtp = smtpServersPerTest();
/** The server of the last run. */
let server: TestServer | undefined;

/** Invoices of their own per test: the engine's processed-data record spans this file's runs. */
function reminder(n: number, over: IDataObject = {}): INodeExecutionData {
	const address = { street: 'Bahnhofstrasse 1', postalCode: '8001', city: 'Zürich' };
	const invoice = { invoiceId: `inv-locale-${n}`, invoiceNumber: `RE-2026-${String(n).padStart(4, '0')}`, ...address, openAmount: 1234.56 };
	return reminderItem(n, { ...invoice, ...over }, { level: 2, fee: 5, totalDue: 1239.56 });
}

/** Runs the node with the company details on a server of its own; `options` go into its Options. */
async function run(items: INodeExecutionData[], parameters: IDataObject, options: IDataObject = {}) {
	server = await smtp.start();
	const company = { companySource: 'json', companyJson: JSON.stringify(COMPANY) };
	return runSendReminder(server, items, { parameters: { ...company, options: { retryDelaySeconds: 0, ...options }, ...parameters }, credential: { fromName: 'Muster Handels GmbH' } });
}

const money = (locale: string, currency: string, amount: number) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
/** Text as compared: pdftotext and mail parts space differently (no-break spaces, layout columns). */
const squeeze = (text: string) => text.replace(/\s+/g, '');

describe('Send Reminder Email: amounts in the customer’s region (real engine)', () => {
	it('a Swiss customer (de-CH, CHF) gets the German texts with Swiss amounts; a German one German amounts', async () => {
		const r = await run([reminder(1, { language: 'de-CH', currency: 'CHF' }), reminder(2, { currency: 'CHF' })], { dryRun: true });
		expect(r.status).toBe('success');
		const previews = r.items('Send').map((i) => i.json.preview as IDataObject);
		expect(r.items('Send').map((i) => (i.json.delivery as IDataObject).status)).toEqual(['preview', 'preview']);
		// Before: "1.239,56 CHF", as in Germany.
		expect(previews[0].text).toContain(money('de-CH', 'CHF', 1239.56));
		expect(previews[0].text).not.toContain(money('de-DE', 'CHF', 1239.56));
		expect(previews[0].text).toContain('Guten Tag Kunde 1,');
		expect(previews[1].text).toContain(money('de-DE', 'CHF', 1239.56));
		expect(server!.connections).toBe(0);
	});
});

describe('Send Reminder Email: a Locale the attached letter cannot be written in', () => {
	it('stops the run naming the option when Attach Letter PDF is on (else every mail would go without its letter); without a letter it formats the e-mail', async () => {
		const r = await run([reminder(1)], { dryRun: true }, { attachLetter: true, locale: 'zh-CN' });
		expect(r.status).toBe('error');
		expect(r.error?.message).toMatch(/^The option "Locale" \("zh-CN"\) writes dates and amounts as ".*年.*", which has characters the letter font cannot print .*\(Attach Letter PDF is on\)/);
		const mailOnly = await run([reminder(1)], { dryRun: true }, { locale: 'zh-CN' });
		expect((mailOnly.items('Send')[0].json.preview as IDataObject).text).toContain(money('zh-CN', 'EUR', 1239.56));
	});
});

describeWithPdfTools('Send Reminder Email: the attached letter formats as the e-mail (real engine, real SMTP server)', () => {
	it('with the Locale option set, the letter PDF shows its amounts as the e-mail does; without it, both follow the customer’s region', async () => {
		const r = await run([reminder(3), reminder(4, { language: 'de-CH', currency: 'CHF' })], { dryRun: false }, { attachLetter: true, locale: 'de-AT' });
		expect(r.status).toBe('success');
		expect(r.items('Send').map((i) => (i.json.delivery as IDataObject).status)).toEqual(['sent', 'sent']);
		const mails = await Promise.all(server!.received.map((m) => simpleParser(m.raw)));
		const austrian = money('de-AT', 'EUR', 1239.56);
		expect(mails[0].text).toContain(austrian);
		const letter = mails[0].attachments.find((a) => a.contentType === 'application/pdf');
		// Before: the letter ignored the Locale option and printed "1.239,56 €" beside an e-mail saying "€ 1.239,56".
		expect(squeeze(pdfPages(letter!.content).join('\n'))).toContain(squeeze(austrian));
		expect(squeeze(pdfPages(letter!.content).join('\n'))).not.toContain(squeeze(money('de-DE', 'EUR', 1239.56)));

		const swiss = await run([reminder(5, { language: 'de-CH', currency: 'CHF' })], { dryRun: false }, { attachLetter: true });
		expect(swiss.items('Send').map((i) => (i.json.delivery as IDataObject).status)).toEqual(['sent']);
		const [mail] = await Promise.all(server!.received.map((m) => simpleParser(m.raw)));
		const amount = money('de-CH', 'CHF', 1239.56);
		expect(mail.text).toContain(amount);
		const swissLetter = mail.attachments.find((a) => a.contentType === 'application/pdf');
		expect(squeeze(pdfPages(swissLetter!.content).join('\n'))).toContain(squeeze(amount));
	});
});
