/**
 * Send Reminder Email with company and payment details (issue 13), through the real n8n engine
 * to a real SMTP server on loopback: the shipped texts carry the payment block and the footer,
 * the HTML carries the GiroCode inline (cid:) only for euro with an IBAN, and the code decodes to
 * the EPC payload for exactly the total the text names.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { buildEpcPayload } from '../../lib/payment/epc-qr';
import { reminderItem, runSendReminder, smtpServersPerTest } from '../harness/send-reminder-node';
import { COMPANY } from '../letters/fixtures';

const smtp = smtpServersPerTest();

/** Reminder `n` at level 2: open n × 100 EUR, fee 5 EUR, interest 0.50 EUR. */
function reminder(n: number, over: IDataObject = {}): INodeExecutionData {
	const invoiceNumber = `RE-2026-${String(n).padStart(4, '0')}`;
	return reminderItem(n, { invoiceNumber, openAmount: 100 * n, ...over }, { level: 2, fee: 5, interest: 0.5, totalDue: 100 * n + 5.5 });
}

/** Sends to a server of its own, all sent; the mails as received. */
async function send(items: INodeExecutionData[], parameters: IDataObject): Promise<ParsedMail[]> {
	const server = await smtp.start();
	const r = await runSendReminder(server, items, { parameters, credential: { fromName: 'Muster Handels GmbH' } });
	expect(r.status).toBe('success');
	expect(r.items('Send').map((i) => (i.json.delivery as IDataObject).status)).toEqual(items.map(() => 'sent'));
	// keepCidLinks: the HTML as sent, not with the image pasted in as a data: URL.
	return Promise.all(server.received.map((m) => simpleParser(m.raw, { keepCidLinks: true })));
}

const company = { companySource: 'json', companyJson: JSON.stringify(COMPANY) };

describe('Send Reminder Email with company and payment details (real engine, real SMTP server)', () => {
	it('the shipped texts gain the payment block and the footer; the HTML shows the GiroCode from an inline part', async () => {
		const [mail] = await send([reminder(1)], company);
		const text = mail.text!.replace(/\u00a0/g, ' ');
		expect(text).toContain('Zahlungsinformationen\nEmpfänger: Muster Handels GmbH\nIBAN: DE89 3704 0044 0532 0130 00\nBIC: COBADEFFXXX\nVerwendungszweck: RE-2026-0001\nBetrag: 105,50 €\n');
		expect(text).toContain('\n-- \nMuster Handels GmbH · Hauptstraße 1 · 10115 Berlin\nAmtsgericht Berlin-Charlottenburg HRB 123456 B · Sitz: Berlin\nGeschäftsführung: Erika Mustermann, Jörg Schäfer\nUSt-IdNr.: DE123456789\n');
		expect(mail.html).toContain('src="cid:girocode@n8n-nodes-dunning"');
		const image = mail.attachments.find((a) => a.cid === 'girocode@n8n-nodes-dunning');
		expect(image).toMatchObject({ contentType: 'image/png', contentDisposition: 'inline' });
		expect(image!.content.subarray(1, 4).toString()).toBe('PNG');
		if (process.env.PDF_TOOLS === '1') {
			const dir = mkdtempSync(join(tmpdir(), 'girocode-'));
			try {
				writeFileSync(join(dir, 'code.png'), image!.content);
				const decoded = execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', join(dir, 'code.png')], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').replace(/\n$/, '');
				expect(decoded).toBe(buildEpcPayload({ name: 'Muster Handels GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', amount: 105.5, remittance: 'RE-2026-0001' }));
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	});

	it("the flat fee cites the merchant's statute: § 458 UGB for an Austrian company, none for a Swiss one, § 288 Abs. 5 BGB for a German one", async () => {
		const flatFeeReminder = (n: number) => reminderItem(n, { openAmount: 100 }, { level: 2, fee: 0, flatFee: 40, interest: 0, totalDue: 140 });
		// Invoices of their own: an invoice and level an earlier execution sent is not sent again (duplicate).
		let n = 900;
		const cited = async (country: string | undefined) => {
			const [mail] = await send([flatFeeReminder(++n)], { companySource: 'json', companyJson: JSON.stringify({ ...COMPANY, country }) });
			return mail.text!.split('\n').find((line) => line.startsWith('Verzugspauschale'));
		};
		expect(await cited('AT')).toMatch(/^Verzugspauschale \(§ 458 UGB\): 40,00\s€$/);
		expect(await cited('CH')).toMatch(/^Verzugspauschale: 40,00\s€$/);
		expect(await cited(undefined)).toMatch(/^Verzugspauschale \(§ 288 Abs\. 5 BGB\): 40,00\s€$/);
	});

	it('no GiroCode for another currency, and none of it without company details (texts as before)', async () => {
		const [chf, plain] = await send([reminder(2, { currency: 'CHF' }), reminder(3, { email: 'kunde3@kunden.example' })], company);
		expect(chf.text).toContain('IBAN: DE89 3704 0044 0532 0130 00');
		expect(chf.html).not.toContain('cid:');
		expect(chf.attachments).toHaveLength(0);
		expect(plain.html).toContain('cid:girocode@n8n-nodes-dunning');
		const [none] = await send([reminder(4)], {});
		expect(none.text).not.toMatch(/IBAN|Zahlungsinformationen|\n-- \n/);
		expect(none.text!.trimEnd().endsWith('Mit freundlichen Grüßen\nMuster Handels GmbH')).toBe(true);
		expect(none.attachments).toHaveLength(0);
	});

	it('Attach Letter PDF: the reminder goes out with its letter; one that cannot be printed (no postal address, a Hebrew name, an address too long for the window) goes out without it, saying why', async () => {
		// Invoices of their own: the engine's processed-data record spans this file's runs.
		const server = await smtp.start();
		const address = { street: 'Gartenweg 3', postalCode: '80331', city: 'München' };
		const longName = 'Vereinigte Norddeutsche Handels- und Speditionsgesellschaft '.repeat(6).trim();
		const items = [reminder(5, address), reminder(6), reminder(7, { ...address, customerName: 'דוד כהן' }), reminder(8, { ...address, customerName: longName })];
		const r = await runSendReminder(server, items, { parameters: { ...company, options: { attachLetter: true } } });
		const deliveries = r.items('Send').map((i) => i.json.delivery as IDataObject);
		// Before, the e-mail failed too, and the customer got nothing at all (the letter cannot be printed either).
		expect(deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
		expect(deliveries[0].warning).toBeUndefined();
		expect(deliveries[1].warning).toMatch(/^Sent without the letter PDF: The field "street" \(street\) is missing or empty/);
		expect(deliveries[2].warning).toMatch(/^Sent without the letter PDF: The field "customerName" .*right-to-left/);
		expect(deliveries[3].warning).toMatch(/^Sent without the letter PDF: The address needs \d+ lines even at 7 pt and does not fit the envelope window/);
		expect(server.received).toHaveLength(4);
		const mails = await Promise.all(server.received.map((m) => simpleParser(m.raw, { keepCidLinks: true })));
		const letters = mails.map((m) => m.attachments.filter((a) => a.contentType === 'application/pdf'));
		expect(letters.map((l) => l.length)).toEqual([1, 0, 0, 0]);
		expect(letters[0][0].filename).toBe('Mahnung-RE-2026-0005-2.pdf');
		expect(letters[0][0].content.subarray(0, 5).toString()).toBe('%PDF-');
	});

	it('Attach Letter PDF with Company Details Source "None": every email reminder fails naming the setting and nothing is sent; an item for paper stays paper', async () => {
		const server = await smtp.start();
		const address = { street: 'Gartenweg 3', postalCode: '80331', city: 'München' };
		const items = [reminder(11, address), reminder(12, { ...address, email: '' }), reminder(13, address)];
		const r = await runSendReminder(server, items, { parameters: { companySource: 'none', options: { attachLetter: true } } });
		expect(r.status).toBe('success');
		expect(r.items('Send').map((i) => [(i.json.delivery as IDataObject).status, (i.json.delivery as IDataObject).error])).toEqual([
			['failed', 'Item 0: Attach Letter PDF needs the company details: set Company Details Source'],
			['paper', expect.any(String)],
			['failed', 'Item 2: Attach Letter PDF needs the company details: set Company Details Source'],
		]);
		expect(server.received).toHaveLength(0);
	});

	it('name and legal form given apart: the footer and the payee name the company with its legal form (§ 35a GmbHG)', async () => {
		const apart = { companySource: 'json', companyJson: JSON.stringify({ ...COMPANY, name: 'Muster Handels', legalForm: 'GmbH', accountHolder: '' }) };
		const [mail] = await send([reminder(14)], apart);
		const text = mail.text!.replace(/\u00a0/g, ' ');
		expect(text).toContain('\n-- \nMuster Handels GmbH · Hauptstraße 1 · 10115 Berlin\n');
		expect(text).toContain('\nEmpfänger: Muster Handels GmbH\n');
		expect(mail.html).toMatch(/>Muster Handels GmbH · Hauptstraße 1 · 10115 Berlin(<br>|<\/p>)/);
	});

	it('a payment link must be an https: or http: address: javascript:, data: and bare text fail the item naming the field', async () => {
		const server = await smtp.start();
		const links = ['https://pay.example/r31', 'javascript:alert(document.cookie)', 'data:text/html;base64,PHNjcmlwdD4=', 'pay.example/r34', ' http://pay.example/r35 ', 'www.pay.example/r36'];
		const r = await runSendReminder(server, links.map((paymentLink, k) => reminder(31 + k, { paymentLink })), { parameters: company });
		const deliveries = r.items('Send').map((i) => i.json.delivery as IDataObject);
		expect(deliveries.map((d) => [d.status, d.reason])).toEqual([['sent', undefined], ['failed', 'invalidInput'], ['failed', 'invalidInput'], ['failed', 'invalidInput'], ['sent', undefined], ['sent', undefined]]);
		expect(deliveries[1].error).toBe('Item 1: The field "paymentLink" (payment link) must be a web address starting with https:// or http://, got "javascript:alert(document.cookie)"');
		expect(deliveries[2].error).toMatch(/^Item 2: The field "paymentLink" \(payment link\) must be a web address .*got "data:text\/html/);
		expect(deliveries[3].error).toMatch(/^Item 3: The field "paymentLink" .*got "pay\.example\/r34"$/);
		const mails = await Promise.all(server.received.map((m) => simpleParser(m.raw)));
		// A link written as "www.…" (as people write them, and as it went out before links were checked) gets https://.
		expect(mails.map((m) => m.html && /href="([^"]*)"/.exec(m.html)?.[1])).toEqual(['https://pay.example/r31', 'http://pay.example/r35', 'https://www.pay.example/r36']);
	});

	it('a wrong IBAN in the company details fails each reminder, naming the IBAN, and sends nothing', async () => {
		const server = await smtp.start();
		const wrongIban = { companySource: 'json', companyJson: JSON.stringify({ ...COMPANY, iban: 'DE89370400440532013001' }) };
		const r = await runSendReminder(server, [reminder(1)], { parameters: wrongIban });
		const delivery = r.items('Send')[0].json.delivery as IDataObject;
		expect(delivery.status).toBe('failed');
		expect(delivery.error).toMatch(/the IBAN "DE89370400440532013001" has wrong check digits/);
		expect(server.received).toHaveLength(0);
	});
});
