import { readFileSync } from 'fs';
import { join } from 'path';

import { classifyMessage } from '../../lib/bounce';
import { isAutoReply } from '../../lib/bounce/auto-reply';
import { parseHeaderLines } from '../../lib/bounce/mime-walk';
import { REPLY_TEXT_CHARS, isReplySubject, newReplyText } from '../../lib/bounce/reply';
import { sentByMachine } from '../../lib/bounce/report-origin';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'bounce', name));
const OUR_ID = '<dunning.3.00112233445566778899aabbccddeeff@shop.example>';

function mail(headers: string[], body: string): string {
	return [...headers, 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
}
const customer = (subject: string, extra: string[] = []) => ['From: Kunde <kunde@example.net>', 'To: billing@shop.example', `Subject: ${subject}`, ...extra];

describe('replies to reminders (category reply)', () => {
	it('a German Outlook reply, matched by In-Reply-To: level and Message-ID from our ID, new text only', async () => {
		const [r] = await classifyMessage(fixture('reply-de-outlook.eml'));
		expect(r).toMatchObject({
			category: 'reply',
			kind: 'none',
			isBounce: false,
			final: true,
			recipient: 'einkauf@kunde.example',
			level: 1,
			originalMessageId: '<dunning.1.3f2a9c0d4e5b6a7f8091a2b3c4d5e6f7@shop.example>',
			diagnostic: 'AW: 1. Mahnung zu Rechnung RE-2026-0042',
		});
		expect(r.replyText).toMatch(/bereits am 28\.11\. überwiesen/);
		// The quoted reminder (Outlook's "Von: … Gesendet: …" block) is cut.
		expect(r.replyText).not.toMatch(/Zahlungseingang feststellen|Gesendet/);
	});

	it('an English reply quoting our headers: the invoice from X-Dunning-Invoice, signature and quote cut', async () => {
		const [r] = await classifyMessage(fixture('reply-en-quoted.eml'));
		expect(r).toMatchObject({ category: 'reply', invoiceId: 'INV-2026-7', level: 2, recipient: 'ap@customer.example' });
		expect(r.replyText).toBe('Hello,\nthis invoice is wrong: we only received 3 of the 5 items.\nPlease send a corrected invoice.');
	});

	it('References alone (the customer changed the subject) still ties it to the reminder', async () => {
		const [r] = await classifyMessage(mail(customer('Frage zur Rechnung', [`References: <a@x.example> ${OUR_ID}`]), 'Wir zahlen in Raten.'));
		expect(r).toMatchObject({ category: 'reply', level: 3, originalMessageId: OUR_ID, replyText: 'Wir zahlen in Raten.' });
	});

	it('quoted headers need a reply subject: a fresh mail quoting them is not taken for a reply', async () => {
		const body = 'Siehe unten\r\n> X-Dunning-Invoice: RE-5\r\n';
		expect((await classifyMessage(mail(customer('Rechnung RE-5'), body)))[0].category).toBe('none');
		expect((await classifyMessage(mail(customer('Antw: Rechnung RE-5'), body)))[0]).toMatchObject({ category: 'reply', invoiceId: 'RE-5' });
	});

	it('a reply to someone else\'s message (not our Message-ID) is not a reply to a reminder', async () => {
		const [r] = await classifyMessage(mail(customer('Re: Angebot', ['In-Reply-To: <dunning.x@elsewhere.example>']), 'Danke'));
		expect(r.category).toBe('none');
	});

	it('an RFC 3834 auto-reply to a reminder stays autoReply; auto-generated mail is not a person', async () => {
		const auto = await classifyMessage(mail(customer('Re: Mahnung', ['Auto-Submitted: auto-replied', `In-Reply-To: ${OUR_ID}`]), 'Ich bin nicht im Büro.'));
		expect(auto[0].category).toBe('autoReply');
		const generated = await classifyMessage(mail(customer('Re: Mahnung', ['Auto-Submitted: auto-generated', `In-Reply-To: ${OUR_ID}`]), 'Ticket 123 opened'));
		expect(generated[0].category).toBe('none');
	});

	it('a message from a mail system is never a reply', async () => {
		const m = mail(['From: MAILER-DAEMON@mx.example.net', 'To: billing@shop.example', 'Subject: Re: Mahnung', `In-Reply-To: ${OUR_ID}`], 'Hello');
		expect((await classifyMessage(m))[0].category).toBe('none');
	});

	it('a bounce is still a bounce, even when it answers our Message-ID', async () => {
		const m = mail(
			['Return-Path: <>', 'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>', 'To: billing@shop.example', 'Subject: Undelivered Mail Returned to Sender', `In-Reply-To: ${OUR_ID}`],
			'This is the mail system.\r\n\r\n<kunde@example.net>: host mx.example.net said: 550 5.1.1 User unknown (in reply to RCPT TO command)',
		);
		expect((await classifyMessage(m))[0]).toMatchObject({ category: 'addressDead', recipient: 'kunde@example.net' });
	});

	it('reply text: German attribution line and ">" quotes are cut, length and lines bounded', () => {
		expect(newReplyText('Bezahlt.\n\nAm 01.12.2026 um 08:00 schrieb Shop <billing@shop.example>:\n> Mahnung')).toBe('Bezahlt.');
		expect(newReplyText('Paid.\nOn Tue, 1 Dec 2026 at 08:00, Shop\n<billing@shop.example> wrote:\n> x')).toBe('Paid.');
		expect(newReplyText('Ok\n-----Ursprüngliche Nachricht-----\nVon: x')).toBe('Ok');
		// A ruler of underscores in the customer's own text is no quote; Outlook's is followed by "From:".
		expect(newReplyText('Bezahlt:\n______________________________\nÜberweisung 28.11., 119,00 EUR\n______________________________\nBitte stornieren.')).toBe('Bezahlt:\n______________________________\nÜberweisung 28.11., 119,00 EUR\n______________________________\nBitte stornieren.');
		expect(newReplyText('Ok\n________________________________\nVon: Shop <billing@shop.example>\nGesendet: Montag')).toBe('Ok');
		// Forward headings are the same markers forwarded.ts reads (Apple Mail's included).
		expect(newReplyText('Siehe unten.\n\nBegin forwarded message:\n\nFrom: Shop <billing@shop.example>')).toBe('Siehe unten.');
		expect(newReplyText('FYI\n-------- Weitergeleitete Nachricht --------\nBetreff: 2. Mahnung')).toBe('FYI');
		expect(newReplyText('x'.repeat(5000)).length).toBe(REPLY_TEXT_CHARS);
		expect(newReplyText(Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n')).split('\n')).toHaveLength(12);
	});

	it('reply subjects in several languages; forwards and plain subjects are not replies', () => {
		for (const s of ['Re: x', 'RE: x', 'AW: x', 'Aw: x', 'Antw: x', 'SV: x', 'VS: x', 'Odp: x', 'R: x', 'Re[2]: x', 'RIF: x']) expect(isReplySubject(s)).toBe(true);
		for (const s of ['Fwd: x', 'WG: x', 'Rechnung', 'Reminder: x']) expect(isReplySubject(s)).toBe(false);
	});
});

describe('challenge-response requests (held until the merchant confirms)', () => {
	const returned = ['', '--- Below this line is a copy of your message.', '', `Message-ID: ${OUR_ID}`, 'X-Dunning-Invoice: INV-9', 'To: kunde@example.net', 'Subject: 3. Mahnung', '', 'Bitte zahlen Sie.'];

	it('a TMDA confirmation request (X-Delivery-Agent: TMDA, null return path, bounce-like words) is for a person to read, not a bounce', async () => {
		const raw = mail(
			['Return-Path: <>', 'From: kunde@example.net', 'Reply-To: kunde-confirm-accept.1772438410.12345.6f1a2b@example.net', 'To: billing@shop.example', 'Subject: Please confirm your message', 'X-Delivery-Agent: TMDA/1.1.12 (Macallan)', 'Precedence: bulk'],
			[
				'Your e-mail message was not delivered because your address was not recognized.',
				'',
				'To release your message for delivery, please send an empty message',
				"to the following address, or use your mailer's \"Reply\" feature.",
				...returned,
			].join('\r\n'),
		);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'reply', isBounce: false, originalMessageId: OUR_ID, invoiceId: 'INV-9', recipient: 'kunde@example.net' });
		expect(r.replyText).toMatch(/To release your message/);
	});

	it.each([
		['a hoster\'s "confirm your message" (Auto-Submitted, null return path)', ['Return-Path: <>', 'From: Mail Verification <verify@example.net>', 'Auto-Submitted: auto-replied'], 'This mailbox only accepts mail from confirmed senders. Your message has been held and will be delivered as soon as you confirm it by replying to this message.'],
		["EarthLink's spamBlocker request", ['Return-Path: <spamblocker-challenge@bounce.earthlink.net>', 'From: kunde@example.net', `In-Reply-To: ${OUR_ID}`], 'To control spam, I now allow incoming messages only from senders I have approved beforehand. Once I approve you, I will receive your original message.'],
	])('%s is neither an auto-reply (nothing arrived) nor a bounce', async (_what, headers, text) => {
		const [r] = await classifyMessage(mail([...headers, 'To: billing@shop.example', 'Subject: Please confirm your message'], [text, ...returned].join('\r\n')));
		expect(r).toMatchObject({ category: 'reply', isBounce: false, originalMessageId: OUR_ID });
	});

	it('a German spam filter\'s request ("Bitte bestätigen Sie, dass Sie kein Roboter sind") is a challenge, not an auto-reply', async () => {
		const raw = mail(
			['From: "Spamschutz" <verify@spamschutz.example>', 'To: billing@shop.example', 'Subject: Bitte bestätigen Sie Ihre E-Mail an kunde@example.net', 'Auto-Submitted: auto-replied', `In-Reply-To: ${OUR_ID}`],
			'Ihre E-Mail an kunde@example.net wurde vorübergehend zurückgehalten. Der Empfänger nutzt einen Spamschutz, der nur E-Mails von bestätigten Absendern zustellt. Bitte bestätigen Sie, dass Sie kein Roboter sind. Nach der Bestätigung wird Ihre E-Mail zugestellt.',
		);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'reply', isBounce: false, originalMessageId: OUR_ID });
	});

	it('a newsletter asking to confirm "Ihre E-Mail-Adresse" (kein Roboter) is no challenge about our message; a mail system\'s bounce quoting a whitelist refusal is a failure', async () => {
		const [signup] = await classifyMessage(
			mail(['From: Newsletter <news@shop-news.example>', 'To: billing@shop.example', 'Subject: Bitte bestätigen Sie Ihre Anmeldung'], 'Bitte bestätigen Sie Ihre E-Mail-Adresse und dass Sie kein Roboter sind, indem Sie auf den Link klicken.'),
		);
		expect(signup.category).toBe('none');
		const [bounce] = await classifyMessage(
			mail(
				['Return-Path: <>', 'From: Mail Delivery System <Mailer-Daemon@mail.shop.example>', 'To: billing@shop.example', 'Subject: Mail delivery failed: returning message to sender'],
				['This message was created automatically by mail delivery software.', '', 'A message that you sent could not be delivered to one or more of its', 'recipients. This is a permanent error. The following address(es) failed:', '', '  kunde@example.net', '    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:', '    550 5.7.1 This mailbox only accepts mail from approved senders', ...returned].join('\r\n'),
			),
		);
		expect(bounce).toMatchObject({ isBounce: true, recipient: 'kunde@example.net' });
	});

	it("cPanel BoxTrapper's request, its sentence wrapped over two lines, is a challenge too", async () => {
		const text = ['The message you sent requires that you verify that you', 'are a real live human being and not a spam source.', '', 'To complete this verification, simply reply to this message and leave', 'the subject line intact.'].join('\r\n');
		const [r] = await classifyMessage(mail(['Return-Path: <kunde@example.net>', 'From: kunde@example.net', 'To: billing@shop.example', 'Subject: verify#1733386260-9146'], [text, ...returned].join('\r\n')));
		expect(r).toMatchObject({ category: 'reply', isBounce: false, originalMessageId: OUR_ID });
	});

	it('wrapped lines do not make a challenge of a newsletter, a sign-up confirmation or an out-of-office', async () => {
		const newsletter = mail(['From: Lieferant <newsletter@lieferant.example>', 'To: billing@shop.example', 'Subject: Unsere Dezember-Angebote'], 'To make sure our newsletter reaches your inbox, please add\r\nnewsletter@lieferant.example to your address book or list of approved\r\nsenders.');
		expect((await classifyMessage(newsletter))[0].category).toBe('none');
		const signup = mail(['From: Forum <no-reply@forum.example>', 'To: billing@shop.example', 'Subject: Please confirm your registration', 'Auto-Submitted: auto-generated'], 'To finish, we need to verify that you\r\nare a human and not a bot: open https://forum.example/confirm/9911');
		expect((await classifyMessage(signup))[0].category).toBe('none');
		const ooo = mail(['From: kunde@example.net', 'To: billing@shop.example', 'Subject: Automatische Antwort: 2. Mahnung', 'Auto-Submitted: auto-replied', `In-Reply-To: ${OUR_ID}`], 'Ich bin bis 08.12. nicht im Büro. To be sure my replies reach you, add kunde@example.net to your list of approved\r\nsenders.');
		expect((await classifyMessage(ooo))[0].category).toBe('autoReply');
	});

	it('an ordinary out-of-office stays an auto-reply', async () => {
		const [r] = await classifyMessage(mail(['From: kunde@example.net', 'To: billing@shop.example', 'Auto-Submitted: auto-replied', 'Subject: Automatische Antwort: 3. Mahnung', `In-Reply-To: ${OUR_ID}`], 'Ich bin bis 10.12. nicht im Büro.'));
		expect(r.category).toBe('autoReply');
	});
});

describe('automatic answers and persons across languages and systems', () => {
	const auto = (subject: string, extra: string[], body: string) =>
		mail(['From: Kunde <kunde@example.net>', 'To: billing@shop.example', `Subject: ${subject}`, `In-Reply-To: ${OUR_ID}`, ...extra], body);

	it('a subject that only begins with an absence word, or a retitled answer that quotes the reminder, is a person writing', async () => {
		const quoted = 'die Zahlung geht morgen raus.\r\n\r\nVon: Shop <billing@shop.example>\r\nGesendet: Montag, 9. März 2026 10:00\r\nBetreff: 3. Mahnung\r\n\r\nBitte zahlen Sie.';
		// "Urlaubsbedingte …" is no "Urlaub" subject; "Abwesenheit unserer Buchhalterin" over a quoted reminder is an answer.
		for (const [subject, body] of [
			['Urlaubsbedingte Verzögerung – Zahlung folgt', 'Die Zahlung geht morgen raus.'],
			['Abwesenheit unserer Buchhalterin – Zahlung RE-5', quoted],
		]) {
			const [r] = await classifyMessage(Buffer.from(auto(subject, [], body), 'utf8'));
			expect(r).toMatchObject({ category: 'reply', recipient: 'kunde@example.net', originalMessageId: OUR_ID });
		}
		// The responders' own subjects stay automatic, with or without a compound, without a quote, on a
		// message with a responder's mark (here only the null return path of RFC 3834 §3.3).
		for (const subject of ['Abwesenheitsnotiz: 3. Mahnung', 'Abwesenheitsbenachrichtigung', 'Urlaubsmitteilung: 3. Mahnung', 'Abwesenheit bis 10.12.', 'Urlaub', 'Vacation reply']) {
			expect((await classifyMessage(Buffer.from(auto(subject, ['Return-Path: <>'], 'Ich bin bis 10.12. nicht im Büro.'), 'utf8')))[0].category).toBe('autoReply');
		}
		// A responder's header decides whatever the text quotes.
		expect((await classifyMessage(Buffer.from(auto('Abwesenheitsnotiz: 3. Mahnung', ['Auto-Submitted: auto-replied'], quoted), 'utf8')))[0].category).toBe('autoReply');
	});

	it.each([
		['Polish', 'Odpowiedź automatyczna: 3. Mahnung'],
		['Turkish', 'Otomatik yanıt: 3. Mahnung'],
		['Russian', 'Автоматический ответ: 3. Mahnung'],
		['Portuguese', 'Resposta automática: 3. Mahnung'],
		['Czech', 'Automatická odpověď: 3. Mahnung'],
		['Danish / Norwegian', 'Automatisk svar: 3. Mahnung'],
		['Finnish', 'Automaattinen vastaus: 3. Mahnung'],
		['Japanese', '自動応答: 3. Mahnung'],
		['Chinese', '自动回复：3. Mahnung'],
		['Japanese, bracketed', '【自動返信】不在のお知らせ'],
		['Lotus Notes', 'Peter Schmidt is out of the office.'],
	])("Exchange's and others' out-of-office subject in %s is an auto-reply (the reminder arrived)", async (_language, subject) => {
		const [r] = await classifyMessage(Buffer.from(auto(subject, ['Auto-Submitted: auto-generated', 'X-MS-Exchange-Inbox-Rules-Loop: kunde@example.net'], 'Ich bin nicht im Büro.'), 'utf8'));
		expect(r).toMatchObject({ category: 'autoReply', originalMessageId: OUR_ID, recipient: 'kunde@example.net' });
	});

	it.each([
		['German', 'Frau Berger ist nicht mehr für uns tätig. Diese E-Mail-Adresse wird nicht mehr gelesen. Bitte wenden Sie sich an rechnungen@kunde.example.'],
		['English', 'This mailbox is no longer monitored. Please send invoices to ap@kunde.example.'],
		['French', "Cette adresse n'est plus utilisée. Merci d'écrire à compta@client.example."],
		['German, a company name of several words', 'Frau Meier ist nicht mehr für die Kunde P GmbH tätig. Bitte wenden Sie sich an rechnungswesen@kunde.example.'],
		['English, an unmonitored invoice inbox', 'Please note that this mailbox is not monitored. For reminders please contact accountspayable@kunde.example.'],
		['English, a changed address', 'Please note that my email address has changed to john.smith@kunde.example.'],
		['German, an unread address', 'E-Mails an diese Adresse werden nicht gelesen. Bei Mahnungen wenden Sie sich bitte an zahlungsverkehr@kunde.example.'],
		['German, a changed domain', 'Unsere E-Mail-Domain hat sich geändert. Sie erreichen die Buchhaltung unter buchhaltung@kunde.example.'],
		['German, an address no longer valid', 'Diese E-Mail-Adresse ist nicht mehr gültig. Bitte senden Sie Mahnungen künftig an rechnung@kunde.example.'],
		['German, a mailbox no longer fetched', 'Dieses Postfach wird nicht mehr abgerufen. Bitte wenden Sie sich an buchhaltung@kunde.example.'],
		['German, "in unserem Hause"', 'Frau Meier ist seit dem 30.09.2025 nicht mehr in unserem Hause tätig. Bitte wenden Sie sich an info@kunde.example.'],
		['German, a company name with "Co."', 'Ich bin nicht mehr für die Kunde GmbH & Co. KG tätig. Bitte wenden Sie sich an rechnung@kunde.example.'],
		['English, "I no longer work at"', 'I no longer work at Kunde Ltd. For accounts payable, please email ap@kunde.example.'],
		['French, "a quitté l\'entreprise"', "Madame Martin a quitté l'entreprise. Merci de contacter compta@client.example."],
		['Italian, "ha lasciato l\'azienda"', "Il sig. Rossi ha lasciato l'azienda. Per fatture scrivere a amministrazione@kunde.example."],
		['Dutch, "wordt niet meer gelezen"', 'Dit e-mailadres wordt niet meer gelezen. Stuur facturen naar administratie@kunde.example.'],
		['English, "no longer with" a company', 'Jane Doe is no longer with Kunde GmbH. Please send invoices to ap@kunde.example.'],
		['German, "arbeitet nicht mehr bei"', 'Frau Schulz arbeitet nicht mehr bei uns. Bitte wenden Sie sich an buchhaltung@kunde.example.'],
		['French, a typographic apostrophe', 'Cette adresse n’est plus active. Merci d’écrire à compta@client.example.'],
		['Spanish, "ha dejado la empresa"', 'La Sra. García ha dejado la empresa. Escriba a contabilidad@client.example.'],
		['English, left and the mailbox deleted', 'Jane Doe left the company on 30 June; this mailbox will be deleted. Please write to ap@kunde.example.'],
		['German, "seit 1. Oktober nicht mehr bei uns beschäftigt"', 'Herr Kunde ist seit 1. Oktober nicht mehr bei uns beschäftigt. Bitte schreiben Sie an buchhaltung@kunde.example.'],
		['German, "nicht mehr bei uns" above a signature with a hospital', 'Frau Lehmann ist nicht mehr bei uns. Bitte schreiben Sie an verwaltung@kunde.example.\r\n-- \r\nKrankenhaus Nord, Sick & Partner, Messe-Allee 1'],
		['English, an unmonitored inbox with phone hours', 'This mailbox is not monitored. Please send payment queries to ap@kunde.example or call us during business hours.'],
		['English, "of course" is no absence', 'This mailbox is not monitored. Of course you can reach accounts payable at ap@kunde.example.'],
		['German, "hat uns zum 31.01.2026 verlassen"', 'Frau Schulz hat uns zum 31.01.2026 verlassen. Ihre E-Mail wird nicht weitergeleitet und nicht gelesen. Bitte richten Sie Ihr Anliegen an buchhaltung@kunde.example.'],
		['German, the note names its own address', 'Die E-Mail-Adresse kunde@example.net ist nicht mehr gültig. Bitte schreiben Sie an rechnung@kunde.example.'],
		// Probe EJ: new addresses after a merger, a mailbox closing on a date, invoice-only inboxes.
		['German, addresses changed', 'Unsere E-Mail-Adressen haben sich geändert – Sie erreichen den Einkauf ab sofort unter einkauf@kunde.example.'],
		['English, a department\'s address changed', 'Please note that our accounts payable e-mail address has changed. Please send all reminders to ap@kunde.example.'],
		['English, an address deactivated', 'This address will be deactivated on 31 March 2026. Please write to ap@kunde.example.'],
		['German, an invoice-only inbox', 'Dieses Postfach ist nur für E-Rechnungen eingerichtet. Nachrichten ohne gültige E-Rechnung, insbesondere Mahnungen, werden nicht bearbeitet und automatisch gelöscht. Fragen an kreditoren@kunde.example.'],
		['English, an invoice-only inbox', 'Statements, reminders, remittance queries and any other correspondence sent to this address are not processed. Please raise a query at ap.queries@kunde.example.'],
		// Probe EK: other determiners and word orders.
		['German, "wir haben unsere E-Mail-Adressen umgestellt"', 'Wir haben unsere E-Mail-Adressen umgestellt. Die Buchhaltung erreichen Sie unter buchhaltung@kunde.example.'],
		['German, "an dieser Adresse werden Mahnungen … nicht bearbeitet"', 'An dieser Adresse werden Mahnungen und Anfragen nicht bearbeitet. Bitte wenden Sie sich an kreditoren@kunde.example.'],
		['English, a mailbox shut down', 'This mailbox will be shut down on 31 March. Please send reminders to ap@kunde.example.'],
	])('an automatic answer in %s that the address is gone is for a person to read (reply), not "arrived"', async (_language, body) => {
		const [r] = await classifyMessage(Buffer.from(auto('Automatic reply: 3. Mahnung', ['Auto-Submitted: auto-replied'], body), 'utf8'));
		expect(r).toMatchObject({ category: 'reply', isBounce: false, originalMessageId: OUR_ID });
		expect(r.replyText).toMatch(/@(?:kunde|client)\.example/);
	});

	it.each([
		['an absence with its return date', 'I am on leave and this mailbox is not monitored\r\nuntil 12 January. For urgent matters please write to ap@kunde.example.'],
		['"during my absence"', 'During my absence this mailbox is not monitored. I will be back in the office on Monday, 5 January.'],
		['business hours', 'This mailbox is not monitored outside business hours; we will reply when we reopen on 2 January.'],
		['a closed office (German)', 'Vom 22.12. bis 02.01. ist unser Büro geschlossen. Das Postfach wird nicht betreut.'],
		['a holiday (German)', 'Ich bin bis einschließlich 06.01. im Urlaub. E-Mails an diese Adresse werden nicht gelesen.'],
		['a postal address that changed', 'I am out of the office until 8 January. Please note our address has changed: Kunde Ltd, 12 High Street, Manchester.'],
		['a sabbatical', 'I am on sabbatical. This mailbox is not monitored. Please contact tom@kunde.example.'],
		['travelling', "I'm travelling this week and this inbox is not checked while I'm on the road."],
		['"nicht mehr im Hause" until a date', 'Unser Büro ist geschlossen; ich bin nicht mehr im Hause und ab 05.01. wieder erreichbar.'],
		['a mailbox closed over Christmas', 'Our accounts payable mailbox will be closed over Christmas and reopens on 5 January.'],
		['a business trip', 'I am on a business trip. This mailbox is not monitored; please write to ap@kunde.example.'],
		['weekends', 'This inbox is no longer monitored at weekends. We reply on Monday.'],
		['"bis Anfang Januar"', 'Ich bin bis Anfang Januar nicht erreichbar. Nachrichten an diese Adresse werden nicht gelesen.'],
		['another, old address no longer valid', 'Ich bin bis einschließlich 20.03. nicht im Büro. Bitte beachten Sie: Die Adresse rechnung@kunde-alt.example ist nicht mehr gültig. Rechnungen bitte an kunde@example.net.'],
		['"Ihre E-Mail wird … nicht gelesen" during an absence', 'Ihre E-Mail wird während meiner Abwesenheit nicht gelesen. Ab 12.01. bin ich wieder im Büro.'],
		['"nicht im Hause" until a return', 'Ich bin ab dem 22.12. nicht im Hause. Ihre E-Mail wird bis zu meiner Rückkehr im Januar nicht gelesen und nicht weitergeleitet.'],
		['a training until Friday', 'Ich bin bis einschließlich Freitag auf einer Schulung. Ihre E-Mail wird in dieser Zeit nicht gelesen.'],
		['a training course this week', 'I am attending a training course this week and this inbox is not monitored. For urgent matters please call our office.'],
		['reminders not worked on during a holiday', 'Ich bin bis einschließlich 06.01. im Urlaub. Mahnungen und Rechnungen werden in dieser Zeit nicht bearbeitet.'],
		// Probe EK: reminders worked on later or by hand, a closing over the holidays, another department's address.
		['reminders not processed before a date', 'Payment reminders received in January will not be processed before 15 January.'],
		['reminders not processed automatically', 'Payment reminders sent to this address are not processed automatically; they are reviewed separately.'],
		['reminders between the years', 'Mahnungen, die uns zwischen den Jahren erreichen, werden nicht bearbeitet; wir melden uns im neuen Jahr.'],
		['a mailbox closed over the holidays', 'Das Postfach wird am 23.12. geschlossen und ist ab dem 07.01.2027 wieder besetzt.'],
		['an absence naming another address that changed', 'I am out of the office until 16 March. PS: our support email address has changed to help@kunde.example.'],
	])('an out-of-office note saying the mailbox is not read for a while (%s) stays an auto-reply', async (_case, body) => {
		const [r] = await classifyMessage(Buffer.from(auto('Automatic reply: 3. Mahnung', ['Auto-Submitted: auto-replied'], body), 'utf8'));
		expect(r).toMatchObject({ category: 'autoReply' });
	});

	it("a customer's answer that passes on a bounce they got themselves is their reply, not a bounce of our sender address", async () => {
		const body = [
			'Hallo, an welche Adresse soll ich den Zahlungsbeleg schicken? Meine Mail kam zurück.',
			'',
			'---------- Forwarded message ---------',
			'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
			'Date: Mo., 11. März 2024 um 09:00 Uhr',
			'Subject: Delivery Status Notification (Failure)',
			'To: <kunde@example.net>',
			'',
			'Ihre Nachricht konnte nicht zugestellt werden an zahlungen@shop.example.',
			'The response was: 550 5.1.1 <zahlungen@shop.example>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
		].join('\r\n');
		const [r] = await classifyMessage(mail(customer('Re: 3. Mahnung', [`In-Reply-To: ${OUR_ID}`]), body));
		expect(r).toMatchObject({ category: 'reply', isBounce: false, recipient: 'kunde@example.net', originalMessageId: OUR_ID });
		expect(r.replyText).toMatch(/^Hallo, an welche Adresse/);
	});

	it("a customer who forwards the reminder back inline (\"WG:\") writes about it; a colleague's forward of it does not count", async () => {
		const forward = (from: string) =>
			mail(
				[`From: ${from}`, 'To: billing@shop.example', 'Subject: WG: 3. Mahnung zur Rechnung INV-9'],
				['Das habe ich nie bestellt!', '', '-------- Weitergeleitete Nachricht --------', 'Von: Shop <billing@shop.example>', 'An: Kunde <kunde@example.net>', `Message-ID: ${OUR_ID}`, 'X-Dunning-Invoice: INV-9', '', 'Bitte zahlen Sie.'].join('\r\n'),
			);
		const [customerForward] = await classifyMessage(forward('Kunde <kunde@example.net>'));
		expect(customerForward).toMatchObject({ category: 'reply', invoiceId: 'INV-9', replyText: 'Das habe ich nie bestellt!' });
		const [colleague] = await classifyMessage(forward('Kollegin <kollegin@shop.example>'));
		expect(colleague.category).toBe('none');
	});
});

describe('the new text of a reply (replyText) in more clients', () => {
	it.each([
		['a bottom-posted reply (Thunderbird)', 'Am 11.03.2024 um 09:00 schrieb Shop:\n> Sehr geehrte Damen und Herren,\n> bitte zahlen Sie.\n\nIch habe die Rechnung nie erhalten.\nKatrin', 'Ich habe die Rechnung nie erhalten.\nKatrin'],
		["Outlook's Russian header block", 'Счёт оплачен 12 марта.\nИван\n\nОт: Shop <billing@shop.example>\nОтправлено: 11 марта 2024 г. 9:00\nКому: kunde@example.net\nТема: 2. Mahnung\n\nБитте zahlen', 'Счёт оплачен 12 марта.\nИван'],
		["Outlook's Turkish header block", 'Ödemeyi yaptık.\n\nKimden: Shop <billing@shop.example>\nGönderildi: 11 Mart 2024 09:00\nKonu: 2. Mahnung\n\nBitte zahlen', 'Ödemeyi yaptık.'],
		["Outlook's Chinese header block", '我们已付款。\n\n发件人: Shop <billing@shop.example>\n发送时间: 2024年3月11日 9:00\n主题: 2. Mahnung\n\nBitte zahlen', '我们已付款。'],
		["WEB.DE's header block, date first", 'Wir zahlen nächste Woche.\n\nGesendet: Montag, 11. März 2024 um 09:00 Uhr\nVon: "Shop" <billing@shop.example>\nAn: kunde@web.de\n\nBitte zahlen', 'Wir zahlen nächste Woche.'],
		["Gmail's attribution wrapped inside the address", 'Zwei Raten?\nSabine\n\nAm Mo., 11. März 2024 um 09:00 Uhr schrieb Shop Buchhaltung <\nbilling@shop.example>:\n\n> Sehr geehrte', 'Zwei Raten?\nSabine'],
	])('%s', (_client, text, expected) => {
		expect(newReplyText(text)).toBe(expected);
	});

	it("an HTML-only reply from a web mailer reads as text, character references decoded", async () => {
		const raw = ['From: Kunde <kunde@web.de>', 'To: billing@shop.example', 'Subject: AW: 3. Mahnung', `In-Reply-To: ${OUR_ID}`, 'Content-Type: text/html; charset=utf-8', '', '<p>Wir zahlen n&auml;chste Woche, Gr&#252;&#xDF;e</p>', ''].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'reply', replyText: 'Wir zahlen nächste Woche, Grüße' });
	});

	const htmlReply = async (html: string) => {
		const raw = ['From: Kunde <kunde@example.net>', 'To: billing@shop.example', 'Subject: AW: 3. Mahnung', `In-Reply-To: ${OUR_ID}`, 'Content-Type: text/html; charset=utf-8', '', html, ''].join('\r\n');
		return (await classifyMessage(raw))[0];
	};

	it('HTML-only replies: the blockquote is the quote (a bottom-posted answer below it), and Outlook\'s header block over blank lines', async () => {
		// Thunderbird and Gmail quote in <blockquote>, also with the answer below the quote.
		const below = await htmlReply('<div class="moz-cite-prefix">Shop wrote:<br>\n</div>\n<blockquote type="cite">\nBitte zahlen Sie.<br>\nMit freundlichen Grüßen<br>\n</blockquote>\n<p>Die Rechnung haben wir nie erhalten.</p>');
		expect(below).toMatchObject({ category: 'reply', replyText: 'Die Rechnung haben wir nie erhalten.' });
		// Outlook's HTML leaves a newline after each <br>: its header lines have blank lines between.
		// An editor's indent is a blockquote too, and the writer's own text.
		const indented = await htmlReply('<p>Wir haben die Lieferung nicht angenommen:</p><blockquote style="margin:0 0 0 40px">Gutschrift GS-77 über 1.190,00 EUR</blockquote><p>Gruß</p>');
		expect(indented.replyText).toMatch(/Gutschrift GS-77/);
		const outlook = await htmlReply('<p>Die Rechnung ist bezahlt.</p>\n<div id="divRplyFwdMsg"><b>Von:</b> Shop &lt;billing@shop.example&gt;<br>\n<b>Gesendet:</b> Montag, 9. März 2026 10:00<br>\n<b>An:</b> kunde@example.net<br>\n<b>Betreff:</b> 3. Mahnung</div>\n<p>Sehr geehrte Damen und Herren, bitte zahlen Sie.</p>');
		expect(outlook.replyText).toBe('Die Rechnung ist bezahlt.');
	});

	it('an attached text file is not what the customer wrote', async () => {
		const raw = ['From: Kunde <kunde@example.net>', 'To: billing@shop.example', 'Subject: AW: 3. Mahnung', `In-Reply-To: ${OUR_ID}`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="m"', '', '--m', 'Content-Type: text/html; charset=utf-8', '', '<p>Bezahlt am 02.03., Avis anbei.</p>', '--m', 'Content-Type: text/plain; name="avis.txt"', 'Content-Disposition: attachment; filename="avis.txt"', '', 'Zahlungsavis 4711 Betrag 1.190,00', '--m--', ''].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'reply', replyText: 'Bezahlt am 02.03., Avis anbei.' });
	});

	it('quote headings of T-Online and Zimbra, a signature line with spaces, and bank data with "Von:/An:/Datum:" lines that are no quote header', () => {
		expect(newReplyText('Bezahlt.\n-----Original-Nachricht-----\nBetreff: 3. Mahnung\nBitte zahlen')).toBe('Bezahlt.');
		expect(newReplyText('Bezahlt.\n----- Ursprüngliche Mail -----\nVon: Shop')).toBe('Bezahlt.');
		expect(newReplyText('Bezahlt.\n------ Originalnachricht ------\nVon: Shop')).toBe('Bezahlt.');
		expect(newReplyText('Bezahlt.\n---- Am Di, 10 Mär 2026 10:00:00 +0100 Shop <billing@shop.example> schrieb ----\nBitte zahlen Sie.')).toBe('Bezahlt.');
		expect(newReplyText('Bezahlt.\n -- \nKunde GmbH, HRB 98765')).toBe('Bezahlt.');
		const bank = 'Die Zahlung ist erfolgt:\nVon: Kunde GmbH, DE12 3456\nAn: Shop GmbH, DE89 3704\nDatum: 02.03.2026\nBetrag: 1.190,00 EUR';
		expect(newReplyText(bank)).toBe(bank);
		// A letter head names a subject but no time of sending; a customer citing our colleague.
		const head = 'Von: Kunde GmbH, Einkauf\nAn: Muster GmbH\nDatum: 02.03.2026\nBetreff: Ihre Mahnung RE-5\nWir widersprechen der Mahnung.';
		expect(newReplyText(head)).toBe(head);
		// A time in the customer's own sentence is not the Sent line's; a Cc list wrapped over many lines is still the block.
		const timed = 'Von: Kunde GmbH, Einkauf\nAn: Muster GmbH\nDatum: 02.03.2026\nBetreff: Ihre Mahnung RE-5\nWir haben um 10:15 Uhr überwiesen.';
		expect(newReplyText(timed)).toBe(timed);
		const cc = Array.from({ length: 9 }, (_, k) => `person${k}@kunde.example;`).join('\n');
		expect(newReplyText(`Paid today.\n\nFrom: Shop <billing@shop.example>\nSent: Monday, 9 March 2026 10:00\nTo: ap@kunde.example\nCc: ${cc}\nSubject: 3. Mahnung\n\nPlease pay.`)).toBe('Paid today.');
		expect(newReplyText('Ihr Kollege Herr Weber schrieb am 25.11.2026:\ndie Rechnung ist gestundet.')).toMatch(/gestundet/);
		// "In my e-mail of 3 March 2026 I wrote:" is the customer's own sentence, year or not.
		expect(newReplyText('In my e-mail of 3 March 2026 I wrote:\nthe invoice was paid on 2 March.')).toMatch(/paid on 2 March/);
	});

	it('probe EE: a greeting alone above the quote leaves the answer below it; more clients\' attributions; the customer citing "Ihrer Buchhaltung"', () => {
		// The Bat!'s and Apple Mail's bottom post: the greeting, the quote, then the answer.
		expect(newReplyText('Hallo Frau Muster,\n\nam 09.03.2026 um 10:00 schrieben Sie:\n> Bitte zahlen Sie.\n\nDie Rechnung ist seit dem 2.3. bezahlt.')).toBe('Hallo Frau Muster,\nDie Rechnung ist seit dem 2.3. bezahlt.');
		// Open-Xchange's perfect tense, Apple Mail's Dutch, iNotes' dash frame without spaces.
		expect(newReplyText('Bezahlt.\n\nShop <billing@shop.example> hat am 09.03.2026 10:00 CET geschrieben:\n> Bitte zahlen')).toBe('Bezahlt.');
		expect(newReplyText('Betaald.\n\nOp 9 mrt. 2026, om 10:00 heeft Shop <billing@shop.example> het volgende geschreven:\n> Bitte zahlen')).toBe('Betaald.');
		expect(newReplyText('Bezahlt.\n-----"Shop" <billing@shop.example> schrieb: -----\nBitte zahlen Sie.')).toBe('Bezahlt.');
		const cites = 'Sehr geehrte Damen und Herren,\nam 02.03.2026 um 14:12 schrieb Herr Weber aus Ihrer Buchhaltung:\ndie Rechnung ist bis Ende März gestundet.';
		expect(newReplyText(cites)).toBe(cites);
		// The perfect tense only with the author's address and the quote right below, or in the client's
		// own form (the address in angle brackets and the time; Open-Xchange quotes HTML without "> ").
		const perfect = 'Guten Tag,\nHerr Weber (weber@shop.example) hat am 02.03.2026 um 14:12 geschrieben:\ndie Rechnung ist bis Ende März gestundet.';
		expect(newReplyText(perfect)).toBe(perfect);
		expect(newReplyText('Bezahlt.\n\nShop <billing@shop.example> hat am 9. März 2026 um 10:00 geschrieben:\n\nBitte zahlen Sie.')).toBe('Bezahlt.');
		expect(newReplyText('Hallo,\n\nShop <billing@shop.example> hat am 09.03.2026 10:00 CET geschrieben:\n> Bitte zahlen Sie.\n\nIst bezahlt.')).toBe('Hallo,\nIst bezahlt.');
		// With a pronoun it is the customer's own sentence (probe EH), the address in angle brackets or not.
		for (const own of ['Ihre Kollegin A. Weber <a.weber@shop.example> hat am 03.03.2026 um 10:15 geschrieben:', 'Wie Sie sehen, hat Ihnen Herr Klein <k@kunde.example> am 04.03. bereits geschrieben:']) {
			expect(newReplyText(`Guten Tag,\n${own}\n> Wir zahlen am 05.03.\nAm 05.03.2026 bezahlt.`)).toContain(own);
		}
		// A greeting with an abbreviation, or in Swiss German, is still only a greeting; one with more
		// words after a comma is an answer, and nothing below the quote is added to it.
		expect(newReplyText('Hallo, bezahlt am 3.3\n\nAm 09.03.2026 um 10:00 schrieb Shop <billing@shop.example>:\n> Bitte zahlen Sie.\nVertraulich: nur für den Empfänger.')).toBe('Hallo, bezahlt am 3.3');
		for (const greeting of ['Hallo Fr. Weber,', 'Grüezi Herr Muster']) {
			expect(newReplyText(`${greeting}\n\nAm 09.03.2026 um 10:00 schrieb Shop <billing@shop.example>:\n> Bitte zahlen Sie.\n\nWir zahlen Freitag.`)).toBe(`${greeting}\nWir zahlen Freitag.`);
		}
	});

	it('probe EE: an attached file marked inline (Apple Mail) is no part of the reply; HTML declares its charset in <meta>, and latin-1 labels mean windows-1252', async () => {
		const apple = [
			...customer('AW: 2. Mahnung', [`In-Reply-To: ${OUR_ID}`]),
			'Content-Type: multipart/mixed; boundary="a"',
			'',
			'--a',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Anbei der Beleg.',
			'--a',
			'Content-Type: text/plain; name="Zahlungsavis.txt"',
			'Content-Disposition: inline; filename="Zahlungsavis.txt"',
			'',
			...Array.from({ length: 15 }, (_, i) => `Position ${i}: 100,00 EUR`),
			'--a',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Bitte stornieren Sie die Mahnung.',
			'--a--',
			'',
		].join('\r\n');
		expect((await classifyMessage(apple))[0].replyText).toBe('Anbei der Beleg.\nBitte stornieren Sie die Mahnung.');
		const withMeta = Buffer.concat([
			Buffer.from([...customer('AW: 2. Mahnung', [`In-Reply-To: ${OUR_ID}`]), 'Content-Type: text/html', 'Content-Transfer-Encoding: 8bit', '', '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body><p>'].join('\r\n')),
			Buffer.from([0xdc, ...Buffer.from('berweisung '), 0x80, ...Buffer.from(' 1.190,00 '), 0x96, 0x20, 0x84, ...Buffer.from('RE-1'), 0x93]),
			Buffer.from('</p></body></html>\r\n'),
		]);
		expect((await classifyMessage(withMeta))[0].replyText).toBe('\u00dcberweisung \u20ac 1.190,00 \u2013 \u201eRE-1\u201c');
		const latin1Label = Buffer.from(withMeta.toString('latin1').replace('Content-Type: text/html', 'Content-Type: text/html; charset=iso-8859-1').replace(/<meta[^>]*>/, ''), 'latin1');
		expect((await classifyMessage(latin1Label))[0].replyText).toBe('\u00dcberweisung \u20ac 1.190,00 \u2013 \u201eRE-1\u201c');
		// Labelled ASCII, or not at all, and not valid UTF-8: windows-1252.
		const asciiLabel = Buffer.from(latin1Label.toString('latin1').replace('charset=iso-8859-1', 'charset=us-ascii'), 'latin1');
		expect((await classifyMessage(asciiLabel))[0].replyText).toBe('\u00dcberweisung \u20ac 1.190,00 \u2013 \u201eRE-1\u201c');
		// A <meta> naming UTF-16 in bytes that are not: UTF-8, as HTML's prescan reads it.
		const utf16Meta = Buffer.from([...customer('AW: 2. Mahnung', [`In-Reply-To: ${OUR_ID}`]), 'Content-Type: text/html', '', '<html><head><meta charset="utf-16"></head><body><p>Überweisung ist raus.</p></body></html>', ''].join('\r\n'));
		expect((await classifyMessage(utf16Meta))[0].replyText).toBe('Überweisung ist raus.');
		// A body part that itself has a name (some webmailers) is still the reply when it is the only text.
		const named = mail([...customer('AW: 2. Mahnung', [`In-Reply-To: ${OUR_ID}`]), 'Content-Disposition: inline; filename="body.txt"'], 'Bezahlt am 02.03.');
		expect((await classifyMessage(named))[0].replyText).toBe('Bezahlt am 02.03.');
	});
});

describe('probe round CY: answers from customers abroad', () => {
	const threaded = (subject: string, extra: string[] = []) => customer(subject, [`In-Reply-To: ${OUR_ID}`, ...extra]);

	it.each([
		['English', 'Sarah is no longer with us. Please send invoices to accounts@example.net.'],
		['French', "Marie Dupont n'est plus en poste chez Client Exemple. Cette boîte n'est plus relevée."],
		['Italian', 'Marco Ricci non è più in servizio presso Cliente Esempio S.r.l.'],
		['Spanish', 'Esta dirección de correo ya no está activa. Carlos Ruiz ya no pertenece a Cliente Ejemplo S.L.'],
		['Dutch', 'Jan Bakker werkt niet meer bij Klant Voorbeeld B.V.'],
		['Polish', 'Pani Ewa Wiśniewska nie pracuje już w naszej firmie. Ten adres nie jest już obsługiwany.'],
		['Czech', 'pan Pavel Novák již ve společnosti nepracuje a tato adresa již není používána.'],
		['Danish', 'Søren Madsen er fratrådt, og denne mailadresse er ikke længere aktiv.'],
		['Swedish', 'Jag har slutat på Kund Exempel AB och denna adress läses inte längre.'],
	])('%s: an automatic answer that the person left or the address is no longer read is for a person (reply)', async (_lang, text) => {
		const [r] = await classifyMessage(mail(threaded('Automatic reply: 2. Mahnung', ['Auto-Submitted: auto-replied']), text));
		expect(r).toMatchObject({ category: 'reply', originalMessageId: OUR_ID });
	});

	it.each([['Automatyczna odpowiedź: 2. Mahnung'], ['Frånvaro: 2. Mahnung'], ['Risposta Non al computer: 2. Mahnung'], ['Nepřítomnost v kanceláři'], ['On annual leave']])(
		'an out-of-office without Auto-Submitted, subject "%s", is an auto-reply with a responder\'s mark (null return path, Exchange\'s X-Auto-Response-Suppress) or when it answers no reminder of ours',
		async (subject) => {
			const text = 'I am out of the office until 20 March and will answer after my return.';
			for (const extra of [['Return-Path: <>'], ['X-Auto-Response-Suppress: All']]) {
				expect((await classifyMessage(mail(threaded(subject, extra), text)))[0]).toMatchObject({ category: 'autoReply', originalMessageId: OUR_ID });
			}
			expect((await classifyMessage(mail(customer(subject), text)))[0].category).toBe('autoReply');
		},
	);

	it('a French dispute whose subject begins "Absence de livraison" is a person writing, not an absence note', async () => {
		const [r] = await classifyMessage(mail(threaded('Absence de livraison – facture RE-2026-1042 contestée'), "Nous n'avons jamais reçu la marchandise. Nous contestons la facture."));
		expect(r).toMatchObject({ category: 'reply', originalMessageId: OUR_ID });
	});

	it.each([
		['Polish Thunderbird', 'W dniu 9.03.2026 o 09:00, Shop Billing pisze:'],
		['Czech Thunderbird', 'Dne 09. 03. 26 v 9:00 Shop Billing napsal(a):'],
		['Danish Thunderbird', 'Den 09.03.2026 kl. 09.00 skrev Shop Billing:'],
	])('%s: the attribution line and the quote below it are cut from the reply text', async (_client, attribution) => {
		const [r] = await classifyMessage(mail(threaded('Re: 2. Mahnung'), `Die Rechnung ist bezahlt.\n\n${attribution}\n> Bitte zahlen Sie.`));
		expect(r.replyText).toBe('Die Rechnung ist bezahlt.');
	});

	it.each([
		['Danish Outlook', 'Fra: Shop Billing <billing@shop.example>', 'Sendt: 9. marts 2026 09:00'],
		['Swedish Outlook', 'Från: Shop Billing <billing@shop.example>', 'Skickat: den 9 mars 2026 09:00'],
	])("%s: the quoted reminder below its header block is cut", async (_client, from, sent) => {
		const [r] = await classifyMessage(mail(threaded('SV: 2. Mahnung'), `Fakturaen er betalt.\n\n${from}\n${sent}\nTil: kunde@example.net\nEmne: 2. Mahnung\n\nBitte zahlen Sie.`));
		expect(r.replyText).toBe('Fakturaen er betalt.');
	});
});

describe('probe round DF: second review of the answers from abroad', () => {
	const threaded = (subject: string, extra: string[] = []) => customer(subject, [`In-Reply-To: ${OUR_ID}`, ...extra]);

	it('a person answering under an automatic reply\'s subject ("Re: AW: Frånvaro: …", "RE: Absence du 9 au 20 mars") writes to us', async () => {
		for (const subject of ['Re: AW: Frånvaro: 2. Mahnung', 'RE: Absence du 9 au 20 mars', 'AW: Automatische Antwort: 2. Mahnung']) {
			const [r] = await classifyMessage(mail(threaded(subject), 'Die Rechnung ist seit dem 6. März bezahlt.'));
			expect(r).toMatchObject({ category: 'reply', originalMessageId: OUR_ID });
		}
	});

	it('an out-of-office that names a colleague who left, beside the writer\'s own holiday, stays an auto-reply; the writer\'s own leaving is for a person', async () => {
		const away = 'Jeg holder ferie til og med den 20. marts og læser ikke mails i perioden.\n\nBemærk venligst: Lars Hansen er fratrådt. Henvendelser om fakturaer bedes sendt til kreditor@example.net.';
		const [r] = await classifyMessage(mail(threaded('Automatisk svar: 2. Mahnung', ['Auto-Submitted: auto-replied']), away));
		expect(r.category).toBe('autoReply');
		const [gone] = await classifyMessage(mail(threaded('Automatiskt svar: 2. Mahnung', ['Auto-Submitted: auto-replied']), 'Anna Berg har slutat på Kund Exempel AB. Frågor om fakturor skickas till ekonomi@example.net.'));
		expect(gone.category).toBe('reply');
	});

	it('reply text keeps what the customer wrote: "As I wrote … on 5 March:", a bank receipt\'s "Fra:/Til:" lines; Spanish Outlook\'s quote header ("Enviado el:") is cut', async () => {
		const [wrote] = await classifyMessage(mail(threaded('Re: 2. Mahnung'), 'As I wrote to your colleague on 5 March:\ninvoice RE-2026-1042 was settled by credit note CN-2026-077.'));
		expect(wrote.replyText).toMatch(/settled by credit note/);
		const [bank] = await classifyMessage(mail(threaded('SV: 2. Mahnung'), 'Beløbet er overført i dag. Kvittering:\nFra: Driftskonto 1234-0001234567\nTil: Muster GmbH, DE89 3704 0044 0532 0130 00\nBeløb: 1.190,00 EUR'));
		expect(bank.replyText).toMatch(/Beløb: 1\.190,00 EUR/);
		const [es] = await classifyMessage(mail(threaded('RE: 2. Mahnung'), 'La factura se pagó el 6 de marzo.\n\nDe: Shop Billing <billing@shop.example>\nEnviado el: lunes, 9 de marzo de 2026 9:00\nPara: kunde@example.net\nAsunto: 2. Mahnung\n\nBitte zahlen Sie.'));
		expect(es.replyText).toBe('La factura se pagó el 6 de marzo.');
	});
});

describe('probe rounds DG, DH: leaving notes, GroupWise, attribution forms', () => {
	const threaded = (subject: string, extra: string[] = []) => customer(subject, [`In-Reply-To: ${OUR_ID}`, ...extra]);

	it("a note that the mailbox's person left, with an office-hours footer (\"closed on bank holidays\"), is for a person; German \"ungelesen gelöscht\" too", async () => {
		const [left] = await classifyMessage(mail(threaded('Automatic reply: 2. Mahnung', ['Auto-Submitted: auto-replied']), 'Please note that Sarah Collins is no longer with us.\nFor invoices please contact accounts@example.net.\n\nOffice hours Mon-Fri 8:00-17:00, closed on weekends and bank holidays'));
		expect(left.category).toBe('reply');
		const [unread] = await classifyMessage(mail(threaded('Automatische Antwort: 2. Mahnung', ['Auto-Submitted: auto-replied']), 'Nachrichten an dieses Postfach werden ungelesen gelöscht. Bitte schreiben Sie an buchhaltung@example.net.'));
		expect(unread.category).toBe('reply');
		// Deleted unread in the past tense, naming its own address, or in English: for a person too.
		const note = (body: string) => classifyMessage(mail(threaded('Automatische Antwort: 2. Mahnung', ['Auto-Submitted: auto-replied']), body));
		expect((await note('E-Mails an kunde@example.net werden seit dem 1. März ungelesen gelöscht. Bitte schreiben Sie an rechnung@example.net.'))[0].category).toBe('reply');
		expect((await note('Ihre Nachricht wurde ohne Kenntnisnahme gelöscht. Bitte schreiben Sie an rechnung@example.net.'))[0].category).toBe('reply');
		expect((await note('Messages to this mailbox are deleted unread. Please write to ap@example.net.'))[0].category).toBe('reply');
		// Only some mail deleted, or under a condition: the box is read, an acknowledgement.
		expect((await note('Vielen Dank. Werbe-E-Mails an diese Adresse werden ungelesen gelöscht.'))[0].category).toBe('autoReply');
		expect((await note('Vielen Dank. Ihre E-Mail wird ungelesen gelöscht, wenn sie Makro-Anhänge enthält.'))[0].category).toBe('autoReply');
		expect((await note('Ihre Nachricht ist eingegangen. Antworten an kunde@example.net werden ungelesen gelöscht.'))[0].category).toBe('autoReply');
		// "Eingehende E-Mails", "ungeöffnet", and an answer mentioned after the deletion: the box is gone.
		expect((await note('Dieses Postfach wird aufgelöst. Eingehende E-Mails werden ungelesen gelöscht, eine Antwort erfolgt nicht.'))[0].category).toBe('reply');
		expect((await note('Ihre Nachricht wird ungeöffnet gelöscht. Bitte schreiben Sie an rechnung@example.net.'))[0].category).toBe('reply');
		// Spam named as the cause, not as what is deleted; a condition ("es sei denn") keeps the box read.
		expect((await note('Aufgrund der hohen Spam-Belastung werden E-Mails an diese Adresse ungelesen gelöscht.'))[0].category).toBe('reply');
		expect((await note('E-Mails an diese Adresse werden ungelesen gelöscht, es sei denn, sie enthalten eine Rechnung.'))[0].category).toBe('autoReply');
		// A no-reply box that says the reader's message was deleted unread: the reminder was not read.
		const [deleted] = await classifyMessage(mail(['From: Kunde <noreply@example.net>', 'To: billing@shop.example', 'Subject: Automatische Antwort: 2. Mahnung', `In-Reply-To: ${OUR_ID}`, 'Auto-Submitted: auto-replied'], 'Ihre Nachricht wurde ungelesen gelöscht. Bitte schreiben Sie an rechnung@example.net.'));
		expect(deleted.category).toBe('reply');
		// A no-reply acknowledgement's own box deletes what is sent to it.
		const [ack] = await classifyMessage(mail(['From: Kunde <noreply@example.net>', 'To: billing@shop.example', 'Subject: Automatische Antwort: 2. Mahnung', `In-Reply-To: ${OUR_ID}`, 'Auto-Submitted: auto-replied'], 'Ihre Anfrage ist eingegangen. Nachrichten an diese Adresse werden ungelesen gelöscht.'));
		expect(ack.category).toBe('autoReply');
	});

	it('a customer writing in a thread whose subject says "(Out of Office reply)" is a person: the subject under a reply prefix decides nothing', async () => {
		const [r] = await classifyMessage(mail(threaded('RE: Re: 2. Mahnung (Out of Office reply)'), 'Die Rechnung ist seit dem 6. März bezahlt.'));
		expect(r).toMatchObject({ category: 'reply', originalMessageId: OUR_ID });
		// GroupWise's own rule answer comes with the null envelope sender (RFC 3834 §3.3).
		const [rule] = await classifyMessage(mail(['Return-Path: <>', ...threaded('Re: 2. Mahnung (Out of Office reply)')], 'Ich bin bis 20.03. nicht im Büro.'));
		expect(rule).toMatchObject({ category: 'autoReply', originalMessageId: OUR_ID });
	});

	it("an out-of-office that names a colleague who left stays an auto-reply also when the writer is away on a trip (\"travelling\", \"fuori ufficio\"); a no-reply acknowledgement's \"replies are deleted unread\" is no gone address", async () => {
		for (const away of ["I'm travelling until 20 March. Please note that Sarah Jones is no longer with us; write to buchhaltung@example.net.", 'Sono fuori ufficio fino al 20 marzo. Marco Ricci non è più in servizio presso di noi.']) {
			const [r] = await classifyMessage(mail(threaded('Automatische Antwort: 2. Mahnung', ['Auto-Submitted: auto-replied']), away));
			expect(r.category).toBe('autoReply');
		}
		const [ack] = await classifyMessage(mail(threaded('Automatische Antwort: 2. Mahnung', ['Auto-Submitted: auto-replied']), 'Ihre Nachricht ist eingegangen. Bitte antworten Sie nicht auf diese E-Mail; Antworten an noreply@example.net werden ungelesen gelöscht.'));
		expect(ack.category).toBe('autoReply');
		const [dsgvo] = await classifyMessage(mail(threaded('Automatische Antwort: 2. Mahnung', ['Auto-Submitted: auto-replied']), 'Aus Datenschutzgründen werden an diese Adresse gesendete E-Mails ungelesen gelöscht. Bitte schreiben Sie an rechnung@example.net.'));
		expect(dsgvo.category).toBe('reply');
	});

	it("the writer's own leave also in the future tense; an office's closure, a travel agency or a leaver's lasting out-of-office is none", async () => {
		const note = async (body: string) => (await classifyMessage(Buffer.from(mail(threaded('Automatic reply: 2. Mahnung', ['Auto-Submitted: auto-replied']), body), 'utf8')))[0].category;
		for (const away of ["Je serai absent jusqu'au 16 mars. M. Dubois n'est plus en poste.", 'Estaré ausente hasta el 16 de marzo. La Sra. López ya no pertenece a la empresa.', 'Sarò assente fino al 16 marzo. Il sig. Rossi non è più in servizio.', 'Ik ben tot en met 16 maart niet op kantoor. Mevrouw de Vries werkt niet meer bij ons.', 'Jeg holder ferie til 20. marts. Lars Hansen er fratrådt.']) {
			expect(await note(away)).toBe('autoReply');
		}
		for (const gone of ['Sarah Collins is no longer with us. Our office is closed over the Christmas holidays.', 'La Sra. García ya no pertenece a la agencia de viajes Sol.', 'Tom Berger is no longer with us. This out of office message will stay on until the mailbox is removed.']) {
			expect(await note(gone)).toBe('reply');
		}
	});

	it('a customer\'s own sentence ("As I wrote on 5 March:", "Ihre Kollegin (anna@…) schrieb uns am 3.3.:") does not cut their text', async () => {
		const [en] = await classifyMessage(mail(threaded('Re: 2. Mahnung'), 'As I wrote on 5 March:\nthe invoice was settled by credit note CN-2026-077.'));
		expect(en.replyText).toMatch(/settled by credit note/);
		const [de] = await classifyMessage(mail(threaded('AW: 2. Mahnung'), 'Ihre Kollegin (anna@shop.example) schrieb uns am 3.3.:\ndie Gutschrift gleicht die Rechnung aus.'));
		expect(de.replyText).toMatch(/Gutschrift gleicht/);
		const [am] = await classifyMessage(mail(threaded('AW: 2. Mahnung'), 'Sehr geehrte Damen und Herren,\nam 3.3. schrieb uns Ihr Kollege Herr Weber:\n„Die Rechnung ist bis zum 31.3. gestundet."'));
		expect(am.replyText).toMatch(/gestundet/);
		// A colleague or team named as writer, with no address, time or year: the customer's words too.
		for (const line of ['am 3.3. hat Ihr Kollege Herr Weber folgendes geschrieben:', 'Your colleague Mr Weber wrote on 3 March:', 'please see below what our accounts payable team wrote:', 'Op 3 maart schreef uw collega mevrouw Weber:']) {
			const [r] = await classifyMessage(mail(threaded('AW: 2. Mahnung'), `Guten Tag,\n${line}\nDie Rechnung ist bis zum 31.03. gestundet.`));
			expect(r.replyText).toMatch(/gestundet/);
		}
		// The same words with the quote right below are an attribution.
		const [quoted] = await classifyMessage(mail(threaded('AW: 2. Mahnung'), 'Bezahlt.\n\nYour colleague wrote:\n> Bitte zahlen Sie.'));
		expect(quoted.replyText).toBe('Bezahlt.');
	});

	it("Thunderbird's \"Shop schrieb am 09.03.26 um 09:00:\" and an attribution that names the author's address end the reply text", async () => {
		const [tb] = await classifyMessage(mail(threaded('Re: 2. Mahnung'), 'Die Rechnung ist bezahlt.\n\nShop Billing schrieb am 09.03.26 um 09:00:\nBitte zahlen Sie.'));
		expect(tb.replyText).toBe('Die Rechnung ist bezahlt.');
		const [fi] = await classifyMessage(mail(threaded('Re: 2. Mahnung'), 'Lasku on maksettu.\n\nma 9.3.2026 klo 9.00 Shop Billing (<billing@shop.example>) kirjoitti:\nBitte zahlen Sie.'));
		expect(fi.replyText).toBe('Lasku on maksettu.');
	});
});

describe('review r3: a subject alone is no auto-reply in an answer to our reminder; our id however the client writes it', () => {
	const answer = (subject: string, extra: string[], body: string) => mail(customer(subject, [`In-Reply-To: ${OUR_ID}`, ...extra]), body);

	it('a customer retitling the answer "Urlaub – …" or "Abwesenheit …" from a phone, quoting nothing, with no responder header, is a reply', async () => {
		const urlaub = answer('Urlaub – Zahlung kommt am 20.3.', ['Message-ID: <u1@example.net>', 'User-Agent: K-9 Mail'], 'Bin bis 15.3. im Urlaub, überweise danach. Bitte keine weitere Mahnung.');
		expect((await classifyMessage(Buffer.from(urlaub, 'utf8')))[0]).toMatchObject({
			category: 'reply',
			originalMessageId: OUR_ID,
			level: 3,
			recipient: 'kunde@example.net',
			replyText: 'Bin bis 15.3. im Urlaub, überweise danach. Bitte keine weitere Mahnung.',
		});
		const colleague = answer('Abwesenheit unserer Buchhalterin', [], 'Unsere Buchhalterin ist krank, die Rechnung wird bis Monatsende bezahlt.');
		expect((await classifyMessage(Buffer.from(colleague, 'utf8')))[0]).toMatchObject({ category: 'reply', originalMessageId: OUR_ID });
		// "Auto-Submitted: no" is a person's own word (RFC 3834 §5).
		expect((await classifyMessage(Buffer.from(answer('Urlaub – Zahlung kommt am 20.3.', ['Auto-Submitted: no'], 'Überweise nach dem 15.3.'), 'utf8')))[0].category).toBe('reply');
	});

	it.each([
		['Auto-Submitted: auto-generated (RFC 3834 §5)', ['Auto-Submitted: auto-generated']],
		['the null return path (RFC 3834 §3.3)', ['Return-Path: <>']],
		['Unix vacation\'s Precedence: bulk', ['Precedence: bulk']],
		['Precedence: junk', ['Precedence: junk']],
		["iCloud's X-Apple-Action: VACATION", ['X-Apple-Action: VACATION']],
		["Exchange's X-Auto-Response-Suppress", ['X-Auto-Response-Suppress: All']],
		["Exchange's inbox-rule stamp", ['X-MS-Exchange-Inbox-Rules-Loop: kunde@example.net']],
	])('the same subject with a responder\'s mark, %s, stays an auto-reply', async (_mark, extra) => {
		const [r] = await classifyMessage(Buffer.from(answer('Urlaub', extra, 'Ich bin bis 15.3. nicht im Büro.'), 'utf8'));
		expect(r).toMatchObject({ category: 'autoReply', reason: 'vacation', originalMessageId: OUR_ID });
	});

	it("Exchange's \"Automatische Antwort:\" with its headers and a no-reply box's absence note stay auto-replies", async () => {
		const exchange = mail(
			[
				'Return-Path: <>',
				'From: Kunde <kunde@example.net>',
				'To: billing@shop.example',
				'Subject: Automatische Antwort: 3. Mahnung zu Rechnung RE-2026-0042',
				'Thread-Topic: 3. Mahnung zu Rechnung RE-2026-0042',
				`In-Reply-To: ${OUR_ID}`,
				`References: ${OUR_ID}`,
				'Auto-Submitted: auto-generated',
				'X-Auto-Response-Suppress: All',
				'X-MS-Exchange-Inbox-Rules-Loop: kunde@example.net',
			],
			'Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 20.03. nicht im Büro. In dringenden Fällen wenden Sie sich bitte an buchhaltung@example.net.',
		);
		expect((await classifyMessage(Buffer.from(exchange, 'utf8')))[0]).toMatchObject({ category: 'autoReply', reason: 'vacation', originalMessageId: OUR_ID });
		const noReply = mail(['From: Kunde GmbH <noreply@example.net>', 'To: billing@shop.example', 'Subject: Abwesenheitsnotiz', `In-Reply-To: ${OUR_ID}`], 'Unser Büro ist bis 6.1. geschlossen.');
		expect((await classifyMessage(noReply))[0]).toMatchObject({ category: 'autoReply', originalMessageId: OUR_ID });
	});

	it('our reminder id without angle brackets or in capitals ties the answer to it, in our own (lower-case) form', async () => {
		const bare = OUR_ID.slice(1, -1);
		for (const threading of [`In-Reply-To: ${bare}`, `In-Reply-To: ${OUR_ID.toUpperCase()}`, `References: <a@example.net> ${bare.toUpperCase()}`, `References: <a@example.net>,${bare}`]) {
			const [r] = await classifyMessage(mail(customer('AW: 3. Mahnung', [threading]), 'Bezahlt am 1.3.'));
			expect(r).toMatchObject({ category: 'reply', originalMessageId: OUR_ID, level: 3, replyText: 'Bezahlt am 1.3.' });
		}
		// Only as a whole id: not inside another one, and not with a longer hash.
		for (const threading of [`In-Reply-To: <x${bare}>`, `In-Reply-To: <${bare.replace('@', 'ff@')}>`, `References: <a@example.net>.${bare}`]) {
			expect((await classifyMessage(mail(customer('AW: 3. Mahnung', [threading]), 'Bezahlt am 1.3.')))[0].category).toBe('none');
		}
	});
});

describe('one sender test on both sides (sentByMachine): an absence note answering our reminder is an auto-reply or a reply, never nothing', () => {
	const headersOf = (lines: string[]) => parseHeaderLines(lines.map((line) => ({ key: line.slice(0, line.indexOf(':')), line })));
	// Without a From of its own, the customer's.
	const message = (subject: string, lines: string[]) => [
		...(lines.some((l) => /^from:/i.test(l)) ? [] : ['From: Kunde <kunde@example.net>']),
		'To: billing@shop.example',
		`Subject: ${subject}`,
		`In-Reply-To: ${OUR_ID}`,
		...lines,
	];
	const categoryOf = async (lines: string[]) => (await classifyMessage(Buffer.from(mail(lines, 'Ich bin bis 15.3. nicht im Büro.'), 'utf8')))[0].category;

	it.each([
		['the null return path', ['Return-Path: <>']],
		['MAILER-DAEMON as the sender', ['From: MAILER-DAEMON@example.net']],
		['postmaster as the sender', ['From: Postmaster <postmaster@example.net>']],
		['a no-reply box as the sender', ['From: Kunde GmbH <noreply@example.net>']],
		['a no-reply box in Sender', ['Sender: no-reply@example.net']],
		["Postfix's bare Return-Path: <MAILER-DAEMON>", ['Return-Path: <MAILER-DAEMON>']],
		['a mail system on the envelope', ['Return-Path: <mailer-daemon@mx.example.net>']],
		["Exchange's arbitration mailbox", ['From: MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net']],
		['"Mail Delivery System" with no envelope sender', ['From: Mail Delivery System <kunde@example.net>']],
	])('%s: a machine sent it; its absence note is a responder\'s, and nothing it sends is a reply', async (_mark, lines) => {
		const note = message('Urlaub', lines);
		expect(sentByMachine(headersOf(note))).toBe(true);
		// The mark that makes replyToReminder refuse it keeps the absence note from being demoted.
		expect(isAutoReply(headersOf(note))).toBe(true);
		expect(await categoryOf(note)).not.toBe('reply');
		expect(await categoryOf(message('AW: 3. Mahnung', lines))).not.toBe('reply');
	});

	it.each([
		['no mark at all', []],
		["the customer's own envelope sender", ['Return-Path: <kunde@example.net>']],
		['a system word only in the display name, with an ordinary envelope sender', ['Return-Path: <kunde@example.net>', 'From: Mail Delivery System <kunde@example.net>']],
		['a mailbox merely named like a system one', ['From: Postmaster Team <postmaster.team@example.net>']],
	])('%s: no machine sent it; the absence-like subject is demoted and the answer is a reply', async (_case, lines) => {
		const note = message('Urlaub', lines);
		expect(sentByMachine(headersOf(note))).toBe(false);
		expect(isAutoReply(headersOf(note))).toBe(false);
		expect(await categoryOf(note)).toBe('reply');
		expect(await categoryOf(message('AW: 3. Mahnung', lines))).toBe('reply');
	});
});
