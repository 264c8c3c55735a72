import libmime from 'libmime';
import { simpleParser } from 'mailparser';
import * as base64 from 'nodemailer/lib/base64';
import { buildPlainMessage, buildReminderMessage } from '../../lib/mail/message';
import { attachmentContentType, writeBase64Lines } from '../../lib/mail/mime';

describe('reminder MIME, parsed back with mailparser', () => {
	test('non-ASCII names, subject, filename and body; long lines; headers folded; attachments byte-exact', async () => {
		const pdf = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256));
		const longLine = 'Sehr geehrte Frau Müller, '.repeat(20);
		const message = await buildReminderMessage({
			sender: { address: 'buchhaltung@bücher.example', name: 'Müller & Söhne GmbH – Buchhaltung', replyTo: 'zahlung@shop.example', bcc: 'archiv@shop.example' },
			to: 'kunde@beispiel.example',
			subject: 'Zahlungserinnerung zu Rechnung RE-2026-0001 – Müller & Söhne GmbH, fällig seit dem 9. März 2026',
			text: `${longLine}\nZeile zwei = mit Gleichheitszeichen\n.\nEnde`,
			html: `<p>${longLine}</p><p>Summe: 1.234,50&nbsp;€</p>`,
			invoiceId: 'RE/2026/ä1',
			level: 3,
			runId: 'exec-1',
			attachments: [
				{ filename: 'Rechnung Müller 2026.pdf', contentType: 'application/pdf', content: pdf },
				{ filename: 'AGB.txt', contentType: 'text/plain', content: Buffer.from('AGB\r\n') },
			],
			date: new Date('2026-03-09T08:30:00Z'),
		});
		const raw = message.raw.toString('latin1');
		expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
		expect(raw).not.toMatch(/[^\r]\n/);
		expect(raw).not.toMatch(/^Bcc:/m);
		expect(message.envelope).toEqual({ from: 'buchhaltung@xn--bcher-kva.example', to: ['kunde@beispiel.example', 'archiv@shop.example'] });

		const mail = await simpleParser(message.raw);
		expect(raw).toContain("<buchhaltung@xn--bcher-kva.example>");
		// mailparser shows the domain decoded again.
		expect(mail.from?.value[0]).toEqual({ name: 'Müller & Söhne GmbH – Buchhaltung', address: 'buchhaltung@bücher.example' });
		expect(mail.to && !Array.isArray(mail.to) && mail.to.value[0].address).toBe('kunde@beispiel.example');
		expect(mail.replyTo?.value[0].address).toBe('zahlung@shop.example');
		expect(mail.subject).toBe('Zahlungserinnerung zu Rechnung RE-2026-0001 – Müller & Söhne GmbH, fällig seit dem 9. März 2026');
		expect(mail.messageId).toBe(message.messageId);
		expect(mail.date?.toISOString()).toBe('2026-03-09T08:30:00.000Z');
		// Non-ASCII in an unstructured header is RFC 2047-encoded (mailparser leaves X- headers raw).
		expect(mail.headers.get('x-dunning-invoice')).toBe('=?UTF-8?Q?RE/2026/=C3=A41?=');
		expect(mail.headers.get('x-dunning-level')).toBe('3');
		expect(mail.text).toBe(`${longLine}\nZeile zwei = mit Gleichheitszeichen\n.\nEnde`);
		expect(mail.html).toBe(`<p>${longLine}</p><p>Summe: 1.234,50&nbsp;€</p>`);
		expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
			['Rechnung Müller 2026.pdf', 'application/pdf'],
			['AGB.txt', 'text/plain'],
		]);
		expect(mail.attachments[0].content.equals(pdf)).toBe(true);
	});

	test('text only, ASCII: one part, 7bit', async () => {
		const message = await buildPlainMessage({ sender: { address: 'a@shop.example' }, to: 'b@shop.example', subject: 'Test', text: 'Hello.\n' });
		const raw = message.raw.toString();
		expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHello\.\r\n/m);
		const mail = await simpleParser(message.raw);
		expect(mail.text).toBe('Hello.\n');
		expect(mail.html).toBe(false);
		expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
	});

	test('attachment base64: 76-character lines, the same text as nodemailer writes, for every length around a line', () => {
		for (const length of [0, 1, 56, 57, 58, 113, 114, 115, 57 * 40, 57 * 40 + 1, 20 * 1024]) {
			const content = Buffer.from(Array.from({ length }, (_, i) => (i * 7 + length) % 256));
			// Written between two markers into a buffer with room to spare: nothing outside is touched.
			const out = Buffer.alloc(3 + Math.ceil(length / 3) * 4 * 2 + 3, '#');
			out.write('<<<', 0, 'latin1');
			const end = writeBase64Lines(content, out, 3);
			out.write('>>>', end, 'latin1');
			expect(out.toString('latin1', 0, 3)).toBe('<<<');
			expect(out.subarray(end + 3).every((b) => b === 0x23)).toBe(true);
			const lines = out.toString('latin1', 3, end);
			expect(lines).toBe(base64.wrap(base64.encode(content), 76));
			expect(lines.split('\r\n').every((line) => line.length <= 76)).toBe(true);
			expect(Buffer.from(lines.replace(/\r\n/g, ''), 'base64').equals(content)).toBe(true);
		}
	});

	test('the message bytes are composed once, on first use, and stay the same', async () => {
		const message = await buildPlainMessage({ sender: { address: 'a@shop.example' }, to: 'b@shop.example', subject: 'Test', text: 'Hello.\n' });
		expect(message.raw).toBe(message.raw);
	});

	const base = { sender: { address: 'shop@shop.example', name: 'Shop' }, to: 'kunde@kunden.example', subject: 'Mahnung', text: 'Bitte zahlen.', invoiceId: 'inv-1', level: 1, runId: 'r1' };

	test.each([
		['multipart/mixed; boundary="zz"', 'multipart/mixed; boundary="zz"'],
		['application/pdf; name="rechnung.exe"', 'application/pdf; name="rechnung.exe"'],
		['message/rfc822', 'message/rfc822'],
		['Multipart/Alternative', 'Multipart/Alternative'],
		['APPLICATION/PDF', 'APPLICATION/PDF'],
		['application/pdf\u2028X-Evil: 1', 'application/pdf\u2028X-Evil: 1'],
		['application/pdf x', 'application/pdf x'],
		['application/x… (2,000 characters)', `application/${'x'.repeat(2000)}`],
		['empty', ''],
	])('an attachment typed %j arrives, named as sent, as application/pdf', async (_label, contentType) => {
		const expected = 'application/pdf';
		const pdf = Buffer.from('%PDF-1.4 Rechnung');
		const message = await buildReminderMessage({ ...base, attachments: [{ filename: 'Rechnung RE-7.pdf', contentType, content: pdf }] });
		const mail = await simpleParser(message.raw);
		expect(mail.text).toBe('Bitte zahlen.');
		expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.equals(pdf)])).toEqual([['Rechnung RE-7.pdf', expected, true]]);
		expect(message.raw.toString('latin1').split('\r\n').every((line) => line.length <= 998)).toBe(true);
		// A dry run shows the type that goes out.
		expect(message.summary.attachments[0].contentType).toBe(expected);
	});

	test('attachment type: a bare type/subtype is kept; a container named by the file (.eml) becomes application/octet-stream', () => {
		expect(attachmentContentType('image/svg+xml', 'logo.svg')).toBe('image/svg+xml');
		expect(attachmentContentType('text/plain', 'AGB.pdf')).toBe('text/plain');
		expect(attachmentContentType('multipart/mixed', 'brief.eml')).toBe('application/octet-stream');
		expect(attachmentContentType('nonsense', 'daten')).toBe('application/octet-stream');
	});

	test('an encoded-word look-alike in the subject, a display name or a dunning header reads as written, not decoded', async () => {
		const evil = '=?utf-8?B?UkUtMw0KQmNjOiBldmlsQGV2aWwuZXhhbXBsZQ==?=';
		const subject = `Mahnung ${evil} =?iso-8859-1?q?Gesch=E4ftsf=FChrung?=`;
		const message = await buildReminderMessage({
			...base,
			sender: { address: 'shop@shop.example', name: '=?utf-8?Q?boss=40shop.example?=' },
			to: [{ address: 'kunde@kunden.example', name: `"${evil}"` }],
			subject,
			invoiceId: evil,
		});
		const mail = await simpleParser(message.raw);
		expect(mail.subject).toBe(subject);
		expect(mail.from?.value[0]).toEqual({ name: '=?utf-8?Q?boss=40shop.example?=', address: 'shop@shop.example' });
		expect(mail.to && !Array.isArray(mail.to) && mail.to.value[0]).toEqual({ name: `"${evil}"`, address: 'kunde@kunden.example' });
		expect(mail.headers.has('bcc')).toBe(false);
		// mailparser leaves X- headers raw; a mail client decoding them sees the invoice id as sent.
		expect(libmime.decodeWords(String(mail.headers.get('x-dunning-invoice')))).toBe(evil);
	});

	test('a long ASCII display name is split into encoded words: no header line over 78 characters, the name comes back exactly', async () => {
		// 1,200 characters, most without a space: a quoted string of it has nowhere to fold.
		const name = `Anna Schmidt, ${'Buchhaltung-Nord"Abt."\\7;'.repeat(60)}`.slice(0, 1200);
		const message = await buildReminderMessage({ ...base, sender: { address: 'shop@shop.example', name }, to: [{ address: 'kunde@kunden.example', name }] });
		const raw = message.raw.toString('latin1');
		const head = raw.split('\r\n\r\n')[0];
		expect(Math.max(...head.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(78);
		expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
		const mail = await simpleParser(message.raw);
		expect(mail.from?.value[0]).toEqual({ name, address: 'shop@shop.example' });
		expect(mail.to && !Array.isArray(mail.to) && mail.to.value).toEqual([{ name, address: 'kunde@kunden.example' }]);
		// A short ASCII name stays a readable quoted string.
		const short = await buildReminderMessage({ ...base, to: [{ address: 'kunde@kunden.example', name: 'Schmidt, Anna' }] });
		expect(short.raw.toString('latin1')).toMatch(/^To: "Schmidt, Anna" <kunde@kunden\.example>\r$/m);
	});
});
