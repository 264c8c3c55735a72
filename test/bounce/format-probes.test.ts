import { classifyMessage } from '../../lib/bounce';

/**
 * Issue 12, format probes: reports written here from the standards and the vendors' documented
 * wordings (RFC 3464 reports, Exim's and Postfix's templates, Exchange's and GroupWise's texts), for
 * servers the rules were not written against. Each message is built inline.
 */

const REMINDER_ID = '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>';

const reminder = (subject = '1. Mahnung zu Rechnung RE-2024-77') => [
	`Message-ID: ${REMINDER_ID}`,
	'X-Dunning-Invoice: RE-2024-77',
	'X-Dunning-Level: 2',
	'From: Buchhaltung <billing@shop.example>',
	'To: kunde@example.net',
	`Subject: ${subject}`,
	'Date: Mon, 3 Jun 2024 09:00:00 +0200',
	'',
	'Sehr geehrte Damen und Herren, bitte zahlen Sie.',
];

/** An RFC 3464 multipart/report from our own MTA, with the reminder returned. */
function report(opts: { subject?: string; human: string; recipient: string[] }): string {
	return [
		'Return-Path: <>',
		'From: Mail Delivery System <MAILER-DAEMON@mail.shop.example>',
		'To: billing@shop.example',
		`Subject: ${opts.subject ?? 'Undelivered Mail Returned to Sender'}`,
		'Date: Mon, 3 Jun 2024 09:01:00 +0200',
		'Message-ID: <20240603070100.ABC@mail.shop.example>',
		'MIME-Version: 1.0',
		'Content-Type: multipart/report; report-type=delivery-status; boundary="RPT"',
		'',
		'--RPT',
		'Content-Type: text/plain; charset=utf-8',
		'',
		opts.human,
		'',
		'--RPT',
		'Content-Type: message/delivery-status',
		'',
		'Reporting-MTA: dns; mail.shop.example',
		'Arrival-Date: Mon, 3 Jun 2024 09:00:01 +0200',
		'',
		...opts.recipient,
		'',
		'--RPT',
		'Content-Type: message/rfc822',
		'',
		...reminder(),
		'',
		'--RPT--',
		'',
	].join('\r\n');
}

/** A plain-text notice (no report part), the reminder appended after its text. */
function notice(opts: { from?: string; subject: string; body: string; reminderSubject?: string; headers?: string[] }): string {
	return [
		'Return-Path: <>',
		`From: ${opts.from ?? 'Mail Delivery System <Mailer-Daemon@mail.shop.example>'}`,
		'To: billing@shop.example',
		`Subject: ${opts.subject}`,
		'Date: Mon, 3 Jun 2024 09:01:00 +0200',
		'Message-ID: <b1@mail.shop.example>',
		...(opts.headers ?? []),
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'Content-Transfer-Encoding: 8bit',
		'',
		opts.body,
		'',
		...reminder(opts.reminderSubject),
		'',
	].join('\r\n');
}

const EXIM_FAILED = 'This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  kunde@example.net\n';

const one = async (raw: string) => {
	const results = await classifyMessage(raw);
	expect(results).toHaveLength(1);
	return results[0];
};

describe('an expired message is no proof of a dead address (RFC 3463 X.4.7; RFC 5321 §4.2.1)', () => {
	it('X.4.7 "Delivery expired" whose last error was a 550 5.1.1: expired, not addressDead', async () => {
		const r = await one(
			report({
				human: 'Delivery to the following recipient has expired: kunde@example.net',
				recipient: ['Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.4.7', 'Remote-MTA: dns; mx.example.net', 'Diagnostic-Code: smtp; 554 5.4.7 Delivery expired (message too old) [Last error: 550 5.1.1 User unknown]'],
			}),
		);
		expect(r).toMatchObject({ category: 'recipientRefused', reason: 'expired', status: '5.4.7', final: true, recipient: 'kunde@example.net' });
	});

	it('X.4.7 in the Status field with a 5.1.1 only in the report text keeps X.4.7', async () => {
		const r = await one(
			report({
				human: '<kunde@example.net>: delivery time expired; last attempt: host mx.example.net[192.0.2.1] said: 550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
				recipient: ['Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.4.7', 'Diagnostic-Code: X-Postfix; delivery time expired'],
			}),
		);
		expect(r).toMatchObject({ category: 'recipientRefused', reason: 'expired', status: '5.4.7' });
	});

	it("Exim's \"retry time not reached for any host after a long failure period\" after a quoted 550 5.1.1", async () => {
		const r = await one(
			notice({
				subject: 'Mail delivery failed: returning message to sender',
				headers: ['X-Failed-Recipients: kunde@example.net'],
				body: `${EXIM_FAILED}    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:\n    550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown\n    retry time not reached for any host after a long failure period`,
			}),
		);
		expect(r).toMatchObject({ category: 'recipientRefused', reason: 'expired', recipient: 'kunde@example.net' });
	});

	it("Exim's \"retry timeout exceeded\" appended to the last error", async () => {
		const r = await one(
			notice({
				subject: 'Mail delivery failed: returning message to sender',
				headers: ['X-Failed-Recipients: kunde@example.net'],
				body: `${EXIM_FAILED}    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:\n    550 5.1.1 User unknown: retry timeout exceeded`,
			}),
		);
		expect(r).toMatchObject({ category: 'recipientRefused', reason: 'expired' });
	});

	it('a report whose text says the retries timed out, with the 550 5.1.1 only in Diagnostic-Code', async () => {
		const r = await one(
			report({
				human: `${EXIM_FAILED}    retry time not reached for any host after a long failure period`,
				recipient: ['Action: failed', 'Final-Recipient: rfc822;kunde@example.net', 'Status: 5.0.0', 'Remote-MTA: dns; mx.example.net', 'Diagnostic-Code: smtp; 550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown'],
			}),
		);
		expect(r.category).toBe('recipientRefused');
	});

	it('the same Exim report without words of expiry still proves the address dead', async () => {
		const r = await one(
			notice({
				subject: 'Mail delivery failed: returning message to sender',
				headers: ['X-Failed-Recipients: kunde@example.net'],
				body: `${EXIM_FAILED}    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:\n    550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown`,
			}),
		);
		expect(r).toMatchObject({ category: 'addressDead', reason: 'userunknown' });
	});

	it('an expiry whose last error names a full mailbox keeps that cause', async () => {
		const r = await one(
			report({
				human: 'Delivery expired',
				recipient: ['Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.4.7', 'Diagnostic-Code: smtp; 554 5.4.7 Delivery expired (message too old) [Last error: 452 4.2.2 Mailbox full]'],
			}),
		);
		expect(r).toMatchObject({ category: 'recipientRefused', reason: 'mailboxfull' });
	});
});

describe('plain-text delay notices in other languages are no failure (RFC 3464 §2.3.3 "delayed")', () => {
	const delay = (subject: string, body: string, reminderSubject?: string) => notice({ subject, body, reminderSubject });

	it.each([
		[
			'Spanish (a translated Exim warning)',
			'Aviso: mensaje 1sE2Xz-000123-AB retrasado 24 horas',
			'Este mensaje fue creado automáticamente por el software de entrega de correo.\nUn mensaje que usted envió aún no ha sido entregado a uno o más de sus\ndestinatarios después de más de 24 horas en la cola de mail.shop.example.\n\n  kunde@example.net\n    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:\n    451 4.7.1 Greylisted, please try again later\n\nNo es necesario que haga nada.',
		],
		[
			'Italian',
			'Avviso: messaggio ritardato di 24 ore',
			'Questo messaggio è stato creato automaticamente dal sistema di posta.\nUn messaggio che hai inviato non è ancora stato consegnato a uno o più destinatari.\n\n  kunde@example.net\n    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:\n    452 4.2.2 Mailbox full\n\nI tentativi di consegna continueranno.',
		],
		[
			'Dutch',
			'Waarschuwing: bericht vertraagd',
			'Dit bericht is automatisch aangemaakt door de mailserver.\nEen bericht dat u heeft verzonden is nog niet afgeleverd bij een of meer ontvangers.\n\n  kunde@example.net\n    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:\n    452 4.2.2 Mailbox full\n\nEr zal opnieuw geprobeerd worden het bericht af te leveren.',
		],
		[
			"Postfix's delay template subject, English words the text does not repeat",
			'Delayed Mail (still being retried)',
			'This is the mail system at host mail.shop.example.\n\n<kunde@example.net>: host mx.example.net[192.0.2.1] said: 451 4.3.0 Temporary lookup failure (in reply to RCPT TO command)',
		],
	])('%s', async (_name, subject, body) => {
		const r = await one(delay(subject, body));
		expect(r).toMatchObject({ category: 'delayed', final: false, recipient: 'kunde@example.net', invoiceId: 'RE-2024-77' });
	});

	it('a permanent refusal of the recipient stays final whatever the subject says', async () => {
		const r = await one(
			delay(
				'Avviso: messaggio ritardato di 24 ore',
				'Questo messaggio è stato creato automaticamente.\n\n  kunde@example.net\n    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:\n    550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown',
			),
		);
		expect(r).toMatchObject({ category: 'addressDead', final: true });
	});

	it('a notice that says the retries are over stays final', async () => {
		const r = await one(
			delay(
				'Waarschuwing: bericht vertraagd',
				'Een bericht dat u heeft verzonden is niet afgeleverd.\n\n  kunde@example.net\n    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:\n    452 4.2.2 Mailbox full: retry timeout exceeded',
			),
		);
		expect(r.final).toBe(true);
	});

	it('a text that says the message could not be delivered outweighs a subject that says delayed', async () => {
		const r = await one(
			delay(
				'Waarschuwing: bericht vertraagd',
				'A message that you sent could not be delivered to one or more of its recipients.\n\n  kunde@example.net\n    host mx.example.net [192.0.2.1]\n    Connection timed out',
			),
		);
		expect(r.final).toBe(true);
	});

	it("the word in the returned reminder's own subject is not the notice's", async () => {
		const r = await one(
			delay(
				'No se puede entregar: Aviso de retraso en el pago',
				'No se pudo entregar el mensaje a los siguientes destinatarios:\n\n  kunde@example.net\n    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:\n    451 4.7.1 Greylisted',
				'Aviso de retraso en el pago',
			),
		);
		expect(r.final).toBe(true);
		expect(r.category).not.toBe('delayed');
	});
});

describe('vendor-documented dead addresses', () => {
	it.each([
		['550 5.1.6 Recipient addresses in this domain have changed and are no longer valid'],
		["550 5.1.6 The recipient's e-mail address has changed. The address that this message was sent to no longer accepts messages. No forwarding address has been set up."],
	])('RFC 3463 X.1.6 "mailbox has moved" in Exchange\'s words: %s', async (reply) => {
		const r = await one(
			report({
				human: `<kunde@example.net>: host mx.example.net[192.0.2.1] said: ${reply} (in reply to RCPT TO command)`,
				recipient: ['Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.1.6', 'Remote-MTA: dns; mx.example.net', `Diagnostic-Code: smtp; ${reply}`],
			}),
		);
		expect(r).toMatchObject({ category: 'addressDead', reason: 'hasmoved', status: '5.1.6' });
	});

	it('the same words without the X.1.6 code (and no 551) prove nothing', async () => {
		const reply = '550 5.0.0 Recipient addresses in this domain have changed and are no longer valid';
		const r = await one(
			report({
				human: `<kunde@example.net>: host mx.example.net[192.0.2.1] said: ${reply} (in reply to RCPT TO command)`,
				recipient: ['Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.0.0', 'Remote-MTA: dns; mx.example.net', `Diagnostic-Code: smtp; ${reply}`],
			}),
		);
		expect(r.category).toBe('recipientRefused');
	});

	it('GroupWise "undeliverable to the following: <user> (user not found)" (Novell: the user does not exist in the post office)', async () => {
		const raw = [
			'Return-Path: <>',
			'From: GWIA@example.net',
			'To: billing@shop.example',
			'Subject: Message status - undeliverable',
			'Date: Mon, 3 Jun 2024 09:01:00 +0200',
			'Message-ID: <gw1@example.net>',
			'MIME-Version: 1.0',
			'Content-Type: multipart/mixed; boundary="GW"',
			'',
			'--GW',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'The message that you sent was undeliverable to the following:',
			'\tkunde (user not found)',
			'',
			'Possibly truncated original message follows:',
			'--GW',
			'Content-Type: message/rfc822',
			'',
			...reminder(),
			'--GW--',
			'',
		].join('\r\n');
		const r = await one(raw);
		expect(r).toMatchObject({ category: 'addressDead', reason: 'userunknown', recipient: 'kunde@example.net' });
	});
});

describe("a forward target's refusal is not the customer's address", () => {
	const forward = (reply: string) =>
		report({
			human: `<kunde@example.net>: host mx.example.net[192.0.2.1] said: ${reply} (in reply to RCPT TO command)`,
			recipient: ['Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.1.1', 'Remote-MTA: dns; mx.example.net', `Diagnostic-Code: smtp; ${reply}`],
		});

	it('"550 5.1.1 <other@elsewhere>: forward target rejected" is no dead address of ours', async () => {
		const r = await one(forward('550 5.1.1 <kunde.privat@gmail.com>: forward target rejected: The email account that you tried to reach does not exist'));
		expect(r).toMatchObject({ category: 'recipientRefused', reason: 'userunknown', recipient: 'kunde@example.net' });
	});

	it('the same refusal naming the recipient itself still proves it dead', async () => {
		const r = await one(forward('550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown in virtual mailbox table'));
		expect(r.category).toBe('addressDead');
	});

	it("a forward inside the recipient's own organisation stays its verdict", async () => {
		const r = await one(forward('550 5.1.1 <k.mueller@example.net>: forward target rejected: User unknown'));
		expect(r.category).toBe('addressDead');
	});
});
