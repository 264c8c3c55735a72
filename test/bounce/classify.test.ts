import { readFileSync } from 'fs';
import { join } from 'path';

import * as Encoding from 'encoding-japanese';

import { classifyMessage, messageFromEmailTriggerFields } from '../../lib/bounce';
import { dsn } from './adversarial-shapes';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'bounce', name));

/** A reminder of ours as a report returns it, and a multipart/mixed notice around the parts given. */
const RETURNED_REMINDER_ID = '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>';
const RETURNED_REMINDER = ['Content-Type: message/rfc822', '', `Message-ID: ${RETURNED_REMINDER_ID}`, 'X-Dunning-Invoice: INV-9', 'From: billing@shop.example', 'To: kunde@example.net', 'Subject: 2. Mahnung', '', 'Bitte zahlen Sie.'];
const mixedNotice = (headers: string[], parts: string[][]) =>
	[...headers, 'To: billing@shop.example', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', ...parts.flatMap((p) => ['--b', ...p]), '--b--', ''].join('\r\n');

describe('classifyMessage on the project fixtures', () => {
	it('RFC 3464 DSN (Postfix style): hard userunknown 5.1.1 with correlation from the attached message', async () => {
		const [r, ...rest] = await classifyMessage(fixture('rfc3464-userunknown.eml'));
		expect(rest).toHaveLength(0);
		expect(r).toMatchObject({
			isBounce: true,
			kind: 'hard',
			reason: 'userunknown',
			status: '5.1.1',
			replyCode: '550',
			recipient: 'nobody@example.test',
			remoteMta: 'mx.example.test',
			reportingMta: 'mail.example.test',
			originalMessageId: '<rem-RE-1001-1@example.test>',
			invoiceId: 'RE-1001',
			level: 2,
		});
	});

	it('two recipients of one DSN, correlated from text/rfc822-headers', async () => {
		const r = await classifyMessage(fixture('rfc3464-two-recipients-headers.eml'));
		expect(r.map((x) => [x.recipient, x.kind, x.reason, x.status, x.replyCode])).toEqual([
			['full@example.org', 'soft', 'mailboxfull', '5.2.2', '552'],
			['gone@example.net', 'hard', 'hostunknown', '5.1.2', null],
		]);
		for (const x of r) expect([x.invoiceId, x.level, x.originalMessageId]).toEqual(['INV-7', 1, '<rem-INV-7-1@example.test>']);
	});

	it('a temporary failure that ran out of retries is soft "expired"', async () => {
		const [r] = await classifyMessage(fixture('delayed-expired.eml'));
		expect(r).toMatchObject({ kind: 'soft', reason: 'expired', status: '4.4.1', recipient: 'slow@example.com', invoiceId: null });
	});

	it('RFC 3834 auto-reply is autoReply/vacation, not a bounce', async () => {
		const [r] = await classifyMessage(fixture('auto-reply.eml'));
		expect(r).toMatchObject({ isBounce: false, kind: 'autoReply', reason: 'vacation', status: null, recipient: 'erika@example.com' });
		// In-Reply-To names no reminder of ours: nothing to tie it to.
		expect(r).toMatchObject({ originalMessageId: null, level: null });
	});

	it('an auto-reply is tied to the reminder its In-Reply-To / References name (RFC 3834 §3.1.5)', async () => {
		const id = '<dunning.2.0123456789abcdef0123456789abcdef@example.test>';
		const raw = fixture('auto-reply.eml').toString().replace('<rem-RE-1001-1@example.test>', id);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'autoReply', originalMessageId: id, level: 2 });
		const [byReferences] = await classifyMessage(raw.replace('In-Reply-To:', 'References:'));
		expect(byReferences).toMatchObject({ originalMessageId: id, level: 2 });
	});

	it('RFC 5965 ARF report is a complaint with its feedback type and correlation', async () => {
		const [r] = await classifyMessage(fixture('arf-abuse.eml'));
		expect(r).toMatchObject({
			isBounce: false,
			kind: 'complaint',
			reason: 'feedback',
			feedbackType: 'abuse',
			status: null,
			recipient: 'customer@isp.example.net',
			invoiceId: 'INV-9',
			level: 3,
		});
	});

	it('Exim plain-text bounce: recipient from X-Failed-Recipients, headers quoted in the body', async () => {
		const [r] = await classifyMessage(fixture('exim-plain.eml'));
		expect(r).toMatchObject({
			kind: 'hard',
			reason: 'userunknown',
			status: '5.1.1',
			replyCode: '550',
			recipient: 'dead@example.org',
			originalMessageId: '<rem-INV-11-1@example.test>',
			invoiceId: 'INV-11',
			level: 1,
		});
	});

	it('qmail plain-text bounce: mailbox full is soft', async () => {
		const [r] = await classifyMessage(fixture('qmail-plain.eml'));
		expect(r).toMatchObject({ kind: 'soft', reason: 'mailboxfull', status: '5.2.2', replyCode: '552', recipient: 'quota@example.net', invoiceId: 'INV-12', level: 2 });
	});

	it('Exchange-style plain NDR', async () => {
		const [r] = await classifyMessage(fixture('exchange-plain.eml'));
		expect(r).toMatchObject({ kind: 'hard', reason: 'userunknown', status: '5.1.1', recipient: 'someone@corp.example.com' });
	});

	it('German GMX-style bounce (quoted-printable, Latin-1): Postfach voll', async () => {
		const [r] = await classifyMessage(fixture('gmx-german.eml'));
		expect(r).toMatchObject({ kind: 'soft', reason: 'mailboxfull', status: null, recipient: 'voll@web.example', invoiceId: 'RE-2002', level: 1 });
	});

	it('an ordinary reply is not a bounce', async () => {
		const r = await classifyMessage(fixture('not-a-bounce.eml'));
		expect(r).toHaveLength(1);
		expect(r[0]).toMatchObject({ isBounce: false, kind: 'none', reason: null, status: null });
	});
});

describe('robustness and limits', () => {
	it('an oversized message is not read and says which limit', async () => {
		const big = Buffer.concat([fixture('rfc3464-userunknown.eml'), Buffer.alloc(2048, 'x')]);
		const [r] = await classifyMessage(big, { maxBytes: 1024 });
		expect(r.kind).toBe('none');
		expect(r.diagnostic).toMatch(/size limit.*1024/);
		expect(r.notRead).toBe(true);
	});

	it('a message that could not be read says so (notRead), a message read and found no bounce does not', async () => {
		let deep = 'Content-Type: text/plain\r\n\r\nbottom\r\n';
		for (let i = 0; i < 30; i++) deep = `Content-Type: message/rfc822\r\n\r\n${deep}`;
		const unread = [(await classifyMessage(''))[0], (await classifyMessage(fixture('rfc3464-userunknown.eml'), { maxBytes: 10 }))[0], (await classifyMessage(`From: a@example.test\r\n${deep}`, { maxDepth: 5 }))[0]];
		expect(unread.map((r) => [r.kind, r.notRead, r.diagnostic?.split(':')[0]])).toEqual([
			['none', true, 'the message is empty'],
			['none', true, 'size limit'],
			['none', true, 'depth limit'],
		]);
		const [read] = await classifyMessage(fixture('not-a-bounce.eml'));
		expect(read.kind).toBe('none');
		expect(read.notRead).toBeUndefined();
		const [ok] = await classifyMessage(fixture('rfc3464-userunknown.eml'));
		expect(ok.notRead).toBeUndefined();
	});

	it('a message nested deeper than maxDepth stops with a depth-limit note', async () => {
		let msg = 'Content-Type: text/plain\r\n\r\nbottom\r\n';
		for (let i = 0; i < 30; i++) msg = `Content-Type: message/rfc822\r\n\r\n${msg}`;
		msg = `From: a@example.test\r\nSubject: nest\r\n${msg}`;
		const [r] = await classifyMessage(msg, { maxDepth: 5 });
		expect(r.kind).toBe('none');
		expect(r.diagnostic).toMatch(/depth limit.*5/);
	});

	it('the depth limit holds when an attached message is a multipart\'s first part: nothing below it is read as a report', async () => {
		// Each level: a multipart/mixed whose only part is an attached message; at the bottom a
		// Postfix-style "User unknown" that must not be reached.
		let msg = 'From: MAILER-DAEMON@mx.example.test\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n<dead@example.test>: host mx.example.test said: 550 5.1.1 User unknown (in reply to RCPT TO command)\r\n';
		for (let i = 0; i < 40; i++) msg = `From: a${i}@example.test\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\nContent-Type: message/rfc822\r\n\r\n${msg}\r\n--b${i}--\r\n`;
		const [r, ...rest] = await classifyMessage(msg);
		expect(rest).toHaveLength(0);
		expect(r).toMatchObject({ kind: 'none', category: 'none' });
		expect(r.diagnostic).toBe('depth limit: MIME nesting deeper than the limit of 20 levels; the rest was not read');
	});

	it('a message of more than 1,000 MIME parts (tiny attached messages) stops at the parts limit instead of holding the process', async () => {
		const inner = Array.from({ length: 999 }, () => '--i\r\nContent-Type: message/rfc822\r\n\r\na\r\n').join('');
		const outer = Array.from({ length: 30 }, () => `--o\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n${inner}--i--\r\n`).join('');
		const msg = `From: x@example.test\r\nContent-Type: multipart/mixed; boundary="o"\r\n\r\n${outer}--o--\r\n`;
		const [r] = await classifyMessage(msg);
		expect(r).toMatchObject({ kind: 'none', category: 'none' });
		expect(r.diagnostic).toBe('parts limit: more than 1000 MIME parts; the rest was not read');
	});

	it.each([
		['empty', ''],
		['binary garbage', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))],
		['unterminated multipart', 'Content-Type: multipart/report; boundary="x"\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nStatus: 5.1.1\r\n'],
		['broken base64 and unknown charset', 'Subject: Undeliverable\r\nFrom: postmaster@x.example\r\nContent-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not base64@@@\r\n'],
		['header only, no body', 'From: MAILER-DAEMON@x.example\r\nSubject: failure notice'],
	])('never throws on %s input', async (_name, input) => {
		const r = await classifyMessage(input);
		expect(r.length).toBeGreaterThan(0);
		for (const x of r) expect(typeof x.kind).toBe('string');
	});

	it('an unterminated DSN still yields its recipient', async () => {
		const [r] = await classifyMessage(
			'From: MAILER-DAEMON@x.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="x"\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nAction: failed\r\nStatus: 5.1.1\r\n',
		);
		expect(r).toMatchObject({ recipient: 'a@b.example', reason: 'userunknown', kind: 'hard', status: '5.1.1' });
	});

	it('a recipient repeated in the report is one result, by its most severe Action (MS-OXCMAIL 2.2.3.7.1); two aliases of one mailbox stay two', async () => {
		const dsn = (groups: string[]) =>
			[
				'From: MAILER-DAEMON@x.example',
				'Content-Type: multipart/report; report-type=delivery-status; boundary="x"',
				'',
				'--x',
				'Content-Type: message/delivery-status',
				'',
				'Reporting-MTA: dns; x.example',
				'',
				groups.join('\r\n\r\n'),
				'--x--',
				'',
			].join('\r\n');
		const delayed = 'Final-Recipient: rfc822; a@b.example\r\nAction: delayed\r\nStatus: 4.4.1';
		const failed = 'Final-Recipient: rfc822; a@b.example\r\nAction: failed\r\nStatus: 5.1.1';
		const repeated = await classifyMessage(dsn([delayed, failed, failed]));
		expect(repeated.map((r) => [r.recipient, r.category])).toEqual([['a@b.example', 'addressDead']]);
		// Only the Final-Recipient line doubled: its empty group takes nothing from the real one.
		const doubledLine = await classifyMessage(dsn(['Final-Recipient: rfc822; a@b.example\r\nOriginal-Recipient: rfc822; alias@b.example', 'Final-Recipient: rfc822; a@b.example\r\nAction: failed\r\nStatus: 5.2.2']));
		expect(doubledLine.map((r) => [r.recipient, r.originalRecipient, r.reason])).toEqual([['a@b.example', 'alias@b.example', 'mailboxfull']]);
		const aliases = await classifyMessage(dsn([`${failed}\r\nOriginal-Recipient: rfc822; one@b.example`, `${failed}\r\nOriginal-Recipient: rfc822; two@b.example`]));
		expect(aliases.map((r) => r.originalRecipient)).toEqual(['one@b.example', 'two@b.example']);
	});
});

describe('Email Trigger (IMAP) fields', () => {
	it('rebuilds a classifiable message from headers and text', async () => {
		const raw = messageFromEmailTriggerFields({
			headers: { from: 'Mail Delivery System <MAILER-DAEMON@mx.example.org>', subject: 'Mail delivery failed: returning message to sender', 'x-failed-recipients': 'dead@example.org' },
			text: 'The following address(es) failed:\n\n  dead@example.org\n    550 5.1.1 User unknown\n',
		});
		expect(raw).not.toBeNull();
		const [r] = await classifyMessage(raw as Buffer);
		expect(r).toMatchObject({ kind: 'hard', reason: 'userunknown', status: '5.1.1', recipient: 'dead@example.org' });
	});

	it('decodes the RAW format (base64url)', async () => {
		const raw = messageFromEmailTriggerFields({ raw: fixture('exim-plain.eml').toString('base64url') });
		const [r] = await classifyMessage(raw as Buffer);
		expect(r).toMatchObject({ recipient: 'dead@example.org', invoiceId: 'INV-11' });
	});

	it('returns null when there is nothing to classify', () => {
		expect(messageFromEmailTriggerFields({ foo: 1 })).toBeNull();
	});

	it('a customer\'s mail whose decoded subject holds line breaks stays the customer\'s mail: the subject adds no From or Return-Path', async () => {
		const fields = {
			from: { text: 'Erika <erika@customer.example>' },
			to: 'billing@shop.example',
			text: '<erika@customer.example>: host mx.customer.example said: 550 5.1.1 User unknown (in reply to RCPT TO command)\r\n',
		};
		const plain = await classifyMessage(messageFromEmailTriggerFields({ ...fields, subject: 'Undelivered Mail Returned to Sender' })!);
		const injected = messageFromEmailTriggerFields({ ...fields, subject: 'Undelivered Mail Returned to Sender\r\nFrom: MAILER-DAEMON@mx.customer.example\r\nReturn-Path: <>' })!;
		expect(injected.toString('utf8').split('\r\n\r\n')[0].split('\r\n').filter((line) => /^(?:from|return-path):/i.test(line))).toEqual(['From: Erika <erika@customer.example>']);
		const [r] = await classifyMessage(injected);
		expect(plain[0].category).not.toBe('addressDead');
		expect(r.category).toBe(plain[0].category);
	});
});

describe('formats beyond RFC 3464', () => {
	/** The top of an SMTPUTF8 report (RFC 6533), up to its first part's boundary. */
	const globalReportHead = [
		'Return-Path: <>',
		'From: Mail Delivery System <MAILER-DAEMON@mx.kunde.example>',
		'To: billing@shop.example',
		'Subject: Undelivered Mail Returned to Sender',
		'MIME-Version: 1.0',
		'Content-Type: multipart/report; report-type=global-delivery-status; boundary="g"',
		'',
		'--g',
	];

	it('reads an SMTPUTF8 report (RFC 6533: message/global-delivery-status, message/global-headers) and finds the reminder in its headers', async () => {
		const dsn = [
			...globalReportHead,
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Your message could not be delivered.',
			'--g',
			'Content-Type: message/global-delivery-status',
			'',
			'Reporting-MTA: dns; mx.kunde.example',
			'',
			'Final-Recipient: utf-8; jörg@kunde.example',
			'Action: failed',
			'Status: 5.1.1',
			'Diagnostic-Code: smtp; 550 5.1.1 <jörg@kunde.example>: Recipient address rejected: User unknown in local recipient table',
			'--g',
			'Content-Type: message/global-headers',
			'',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'From: billing@shop.example',
			'To: jörg@kunde.example',
			'X-Dunning-Invoice: INV-77',
			'X-Dunning-Level: 2',
			'--g--',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(Buffer.from(dsn, 'utf8'));
		expect(r).toMatchObject({ kind: 'hard', status: '5.1.1', originalMessageId: '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>', invoiceId: 'INV-77', level: 2 });
	});

	it('decodes the "\\x{HEX}" form of a utf-8 address (RFC 6533 §3, EmbeddedUnicodeChar) to the address the reminder went to', async () => {
		const dsn = [
			...globalReportHead,
			'Content-Type: message/global-delivery-status',
			'',
			'Reporting-MTA: dns; mx.kunde.example',
			'',
			'Final-Recipient: utf-8; j\\x{F6}rg@b\\x{FC}cher.example',
			'Action: failed',
			'Status: 5.2.2',
			'--g--',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(dsn);
		expect(r).toMatchObject({ recipient: 'jörg@bücher.example', reason: 'mailboxfull' });
	});

	/** A plain-text report from the mail system (null Return-Path) with the reminder returned below it. */
	const plainReport = (subject: string, body: string[]) =>
		[
			'Return-Path: <>',
			'From: Mail Delivery System <MAILER-DAEMON@mail.shop.example>',
			'To: billing@shop.example',
			`Subject: ${subject}`,
			'',
			...body,
			'',
			'------ This is a copy of the message, including all the headers. ------',
			'',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'X-Dunning-Invoice: INV-9',
			'From: billing@shop.example',
			'To: kunde@example.net',
			'Subject: Zahlungserinnerung',
			'',
			'Bitte zahlen Sie.',
			'',
		].join('\r\n');

	it("MDaemon's local notice (subject 'Warning: <address> - User unknown!') is a bounce about that address", async () => {
		const [r] = await classifyMessage(plainReport('Warning: kunde@example.net - User unknown!', ['kunde@example.net - no such user here.', '', 'There is no user by that name at this server.']));
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', reason: 'userunknown', invoiceId: 'INV-9' });
		// No stage, no code: not proof.
		expect(r.category).toBe('recipientRefused');
	});

	it("OpenSMTPD's plain-text warning ('only a temporary failure report') is delayed, not final; its expiry in the same template is final", async () => {
		const warning = (line: string) =>
			plainReport('Delivery status notification: warning', [
				'    Hi!',
				'    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.',
				'    A message is delayed for more than 10 minutes for the following',
				'    list of recipients:',
				'',
				`kunde@example.net: ${line}`,
				'',
				'    Please note that this is only a temporary failure report.',
			]);
		const [delayed] = await classifyMessage(warning('Network error on destination MXs'));
		expect(delayed).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false });
		const [expired] = await classifyMessage(warning('Envelope expired'));
		expect(expired).toMatchObject({ recipient: 'kunde@example.net', final: true, category: 'recipientRefused' });
	});

	it('decodes ISO-2022-JP report text (Japanese carriers and servers) so its words are read', async () => {
		const jis = (text: string) => Buffer.from(text, 'utf8');
		const body = Buffer.concat([
			jis('Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example.jp\r\nTo: billing@shop.example\r\nSubject: Undelivered Mail\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\nkunde@example.net\r\n'),
			// "受信者のメールボックスがいっぱいです" (the recipient's mailbox is full) in ISO-2022-JP
			Buffer.from(Encoding.convert(Array.from(jis('受信者のメールボックスがいっぱいです')), { to: 'JIS', from: 'UTF8', type: 'array' })),
			jis('\r\n'),
		]);
		const [r] = await classifyMessage(body);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', reason: 'mailboxfull', category: 'recipientRefused' });
		expect(r.diagnostic).toContain('メールボックスがいっぱい');
	});

	it("Exchange's and Gmail's English delay notices without a report part are delayed, not final", async () => {
		for (const line of ["This message hasn't been delivered yet. Delivery will continue to be attempted.", 'There was a temporary problem delivering your message. Gmail will retry for 47 more hours.']) {
			const [r] = await classifyMessage(plainReport('Delivery delayed: Zahlungserinnerung', ['Delivery is delayed to these recipients or groups:', '', 'kunde@example.net', '', line]));
			expect(r).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false });
		}
	});

	it("a report that returns nothing of the original is linked to the reminder by its In-Reply-To (Microsoft 365's NDRs)", async () => {
		const raw = [
			'From: Microsoft Outlook <postmaster@shop.example>',
			'To: billing@shop.example',
			'Subject: Undeliverable: Zahlungserinnerung',
			'In-Reply-To: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'References: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'Content-Type: text/plain; charset=utf-8',
			'',
			"Your message to kunde@example.net couldn't be delivered.",
			'',
			'Diagnostic information for administrators:',
			"Remote Server returned '550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown in virtual mailbox table'",
			'',
		].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', category: 'addressDead', originalMessageId: '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>', level: 2 });
	});

	it('reads a raw UTF-8 subject as UTF-8 (RFC 6532), a Latin-1 one as it is', async () => {
		const report = (subject: Buffer) =>
			Buffer.concat([Buffer.from('Return-Path: <>\r\nFrom: MAILER-DAEMON@mail.shop.example\r\nTo: billing@shop.example\r\nSubject: '), subject, Buffer.from('\r\n\r\nkunde@example.net\r\nEs wird weiterhin versucht, die Nachricht zu übermitteln.\r\n')]);
		const [utf8] = await classifyMessage(report(Buffer.from('Zustellung verzögert: Rechnung', 'utf8')));
		expect(utf8).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed' });
		const [latin1] = await classifyMessage(report(Buffer.from('Zustellung verzögert: Rechnung', 'latin1')));
		expect(latin1).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed' });
	});

	it('reads an Amazon SES notification inside an SNS "email-json" envelope (the notification is an escaped string)', async () => {
		const notification = JSON.stringify({
			notificationType: 'Bounce',
			bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'kunde@example.net', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
			mail: { headers: [{ name: 'Message-ID', value: '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>' }, { name: 'X-Dunning-Invoice', value: 'INV-9' }] },
		});
		const raw = ['From: AWS Notifications <no-reply@sns.amazonaws.com>', 'To: billing@shop.example', 'Subject: AWS Notification Message', 'Content-Type: text/plain; charset=UTF-8', '', JSON.stringify({ Type: 'Notification', Message: notification }, null, 2), ''].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', category: 'addressDead', invoiceId: 'INV-9' });
	});

	it('a German delay notice without a report part ("Es wird weiterhin versucht") is delayed, not final', async () => {
		const [r] = await classifyMessage(
			plainReport('=?UTF-8?Q?Zustellung_verz=C3=B6gert:_Zahlungserinnerung?=', ['Die Zustellung an diese Empfänger ist verzögert:', '', 'kunde@example.net', '', 'Diese Nachricht wurde noch nicht übermittelt. Es wird weiterhin versucht, die Nachricht zu übermitteln.']),
		);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false });
		const [again] = await classifyMessage(
			plainReport('Verzögert: 2. Mahnung', ['Ihre Nachricht konnte bisher nicht zugestellt werden.', '', '   Empfänger:  kunde@example.net', '   Grund:      Der Zielserver ist derzeit nicht erreichbar. Der Versand wird automatisch wiederholt; Sie müssen die Nachricht nicht erneut senden.']),
		);
		expect(again).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false });
		// The same words wrapped across lines, as plain notices wrap them.
		const [wrapped] = await classifyMessage(
			plainReport('Verzögert: 2. Mahnung', ['Ihre Nachricht konnte bisher nicht zugestellt werden.', '', '   Empfänger:  kunde@example.net', '   Grund:      Der Zielserver ist derzeit nicht erreichbar. Der Versand wird', 'automatisch wiederholt; Sie müssen die', 'Nachricht nicht erneut senden.']),
		);
		expect(wrapped).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false });
		// A recipient refused for good in a report that keeps trying the others is no delay; a final
		// report that quotes its earlier warning is final.
		const mixed = await classifyMessage(
			plainReport('Unzustellbar: 2. Mahnung', ['Die Nachricht konnte an folgende Empfänger NICHT zugestellt werden:', '', '  kunde@example.net', '    550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown in virtual mailbox table', '', 'Für folgende Empfänger ist die Zustellung vorübergehend fehlgeschlagen:', '', '  buchhaltung@partner.example', '    451 4.3.0 Temporary lookup failure', '', 'Für diese Empfänger wird die Zustellung automatisch wiederholt. Sie müssen die Nachricht nicht erneut senden.']),
		);
		expect(mixed.map((r) => [r.recipient, r.category])).toEqual([['kunde@example.net', 'addressDead'], ['buchhaltung@partner.example', 'delayed']]);
		const [final] = await classifyMessage(
			plainReport('Unzustellbar: 2. Mahnung', ['Ihre Nachricht an kunde@example.net konnte endgültig nicht zugestellt werden.', 'Am 06.05.2024 hatten wir Sie gewarnt ("Der Versand wird automatisch wiederholt; Sie müssen die Nachricht nicht erneut senden.").', '', '  452 4.2.2 <kunde@example.net>: Mailbox full']),
		);
		expect(final).toMatchObject({ category: 'recipientRefused', final: true });
		// A warning that says what happens if the retries fail has not given up.
		const [warning] = await classifyMessage(
			plainReport('Verzögert: 2. Mahnung', ['Ihre Nachricht an kunde@example.net konnte bisher nicht zugestellt werden: 451 4.7.1 Greylisted.', 'Der Versand wird automatisch wiederholt. Gelingt die Zustellung innerhalb von 5 Tagen nicht, wird die Nachricht endgültig abgelehnt.']),
		);
		expect(warning).toMatchObject({ category: 'delayed', final: false });
		// Exim's warning quoting one MX's 5xx greeting ("Delay reason:") still tries the next.
		const [exim] = await classifyMessage(
			plainReport('Warning: message 1vX-000 delayed 24 hours', ['This message was created automatically by mail delivery software.', 'A message that you sent has not yet been delivered to one or more of its recipients after more than 24 hours on the queue on mail.shop.example.', '', '  kunde@example.net', '    Delay reason: SMTP error from remote mail server after initial connection:', '    554 5.3.2 mx2.example.net busy, try another MX', '', 'No action is required on your part. Delivery attempts will continue for some time.']),
		);
		expect(exim).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false });
	});

	it("Sendmail's warning without a report part (savemail.c: \"THIS IS A WARNING MESSAGE ONLY\") is a delay notice, not nothing", async () => {
		const [r] = await classifyMessage(
			plainReport('Warning: could not send message for past 4 hours', ['    **********************************************', '    **      THIS IS A WARNING MESSAGE ONLY      **', '    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **', '    **********************************************', '', '   ----- Transcript of session follows -----', '<kunde@example.net>... Deferred: Connection timed out with mx.example.net.', 'Warning: message still undelivered after 4 hours', 'Will keep trying until message is 5 days old']),
		);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false });
	});

	it("the customer's autoresponder worded like a bounce ('Unzustellbar – Adresse nicht mehr gültig') is their auto-reply, not nothing", async () => {
		const raw = [
			'Return-Path: <kunde@example.net>',
			'From: Kunde GmbH <kunde@example.net>',
			'To: billing@shop.example',
			'Subject: =?UTF-8?Q?Unzustellbar_=E2=80=93_Adresse_nicht_mehr_g=C3=BCltig?=',
			'In-Reply-To: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'Auto-Submitted: auto-replied',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Ihre Nachricht konnte nicht zugestellt werden: ich bin bis zum 10.12. nicht im Büro.',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'autoReply', recipient: 'kunde@example.net', level: 2 });
	});

	it("Exim's '(generated from <address>)' names the address the forward started from (originalRecipient)", async () => {
		const [r] = await classifyMessage(
			plainReport('Mail delivery failed: returning message to sender', [
				'This message was created automatically by mail delivery software.',
				'',
				'A message that you sent could not be delivered to one or more of its',
				'recipients. This is a permanent error. The following address(es) failed:',
				'',
				'  kunde.privat@elsewhere.example',
				'    (generated from kunde@example.net)',
				'    Unrouteable address',
			]),
		);
		// The customer's own address passes mail on to one that is gone: theirs is not proven dead.
		expect(r).toMatchObject({ recipient: 'kunde.privat@elsewhere.example', originalRecipient: 'kunde@example.net', category: 'recipientRefused', reason: 'userunknown' });
	});

	it('invoice and level come with the Message-ID they belong to: a report quoting other X-Dunning lines in its words does not pair them with the returned reminder', async () => {
		const id = '<dunning.1.0123456789abcdef0123456789abcdef@shop.example>';
		// The returned headers name the reminder by its Message-ID alone; the report's words quote other lines.
		const raw = dsn(
			'Final-Recipient: rfc822; erika@customer.example\r\nAction: failed\r\nStatus: 5.1.1',
			'Your message could not be delivered.\r\n\r\n------ Original message ------\r\nX-Dunning-Invoice: INV-EVIL\r\nX-Dunning-Level: 4',
		).replace('Message-ID: <rem-INV-1-1@shop.example>\r\nX-Dunning-Invoice: INV-1\r\nX-Dunning-Level: 1', `To: erika@customer.example\r\nMessage-ID: ${id}`);
		const [r] = await classifyMessage(raw);
		// Before: INV-EVIL at level 4 beside the level-1 reminder's Message-ID.
		expect(r).toMatchObject({ originalMessageId: id, invoiceId: null, level: 1, recipient: 'erika@customer.example' });
	});

	it('X-Failed-Recipients naming one address twice in another case gives one result', async () => {
		const raw = ['Return-Path: <>', 'From: Mail Delivery System <Mailer-Daemon@mx.customer.example>', 'To: billing@shop.example', 'Subject: Mail delivery failed', 'X-Failed-Recipients: erika@customer.example, ERIKA@customer.example', 'Content-Type: text/plain', '', 'The following address(es) failed:', '  erika@customer.example', '    550 5.1.1 user unknown', ''].join('\r\n');
		const results = await classifyMessage(raw);
		expect(results.map((r) => [r.recipient, r.category])).toEqual([['erika@customer.example', 'addressDead']]);
	});

	it('a forward target that does not exist (Original-Recipient differs, RFC 3464 §2.3.1) is not the address written to: recipientRefused, the reason kept; the same address in another case or form stays addressDead', async () => {
		const report = (original: string) =>
			dsn(`Original-Recipient: rfc822; ${original}\r\nFinal-Recipient: rfc822; erika.privat@elsewhere.example\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <erika.privat@elsewhere.example>: User unknown`);
		const [forwarded] = await classifyMessage(report('erika@kunde.example'));
		expect(forwarded).toMatchObject({ category: 'recipientRefused', reason: 'userunknown', kind: 'hard', recipient: 'erika.privat@elsewhere.example', originalRecipient: 'erika@kunde.example' });
		const [same] = await classifyMessage(report('Erika.Privat@Elsewhere.example'));
		expect(same).toMatchObject({ category: 'addressDead', reason: 'userunknown' });
	});

	it('reads an Amazon SES bounce notification (JSON) with correlation from its headers', async () => {
		const [r] = await classifyMessage(fixture('ses-notification.eml'));
		expect(r).toMatchObject({ kind: 'hard', reason: 'userunknown', status: '5.1.1', replyCode: '550', recipient: 'gone@example.com', invoiceId: 'INV-20', level: 2 });
	});

	it('"User unknown" answered to DATA (pipelined Sendmail transcript) means the recipient filtered us, not a dead address', async () => {
		// Also checks that an upper-case BOUNDARY= parameter is honoured.
		const [r] = await classifyMessage(fixture('sendmail-pipelined.eml'));
		expect(r).toMatchObject({ kind: 'hard', reason: 'userunknown', recipient: 'filtered@example.net' });
		const dataStage = fixture('sendmail-pipelined.eml').toString().replace('<<< 554 5.5.1 Error: no valid recipients', '<<< 554 5.0.0 Service unavailable');
		const [d] = await classifyMessage(dataStage);
		expect(d).toMatchObject({ kind: 'soft', reason: 'filtered', status: '5.0.0' });
	});

	it('joins a multi-line SMTP reply before reading it', async () => {
		const [r] = await classifyMessage(fixture('gmail-multiline.eml'));
		expect(r).toMatchObject({ kind: 'soft', reason: 'notcompliantrfc', status: '5.7.1', replyCode: '550' });
		expect(r.diagnostic).toBe('550-5.7.1 Messages with multiple addresses in From: header are not accepted.');
	});

	it('a refused TCP connection is a network problem that expired, not a block list', async () => {
		const [r] = await classifyMessage(fixture('delayed-expired.eml').toString().replace('Connection timed out', 'Connection refused'));
		expect(r).toMatchObject({ kind: 'soft', reason: 'expired', status: '4.4.1' });
	});
});

describe('mail that only looks like a bounce', () => {
	const REMINDER_ID = '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>';
	const message = (headers: string[], body: string[]) => [...headers, '', ...body, ''].join('\r\n');

	it('a DMARC failure report (RFC 6591 Feedback-Type: auth-failure) is no complaint, even about our reminder', async () => {
		const raw = message(
			['From: <dmarc-noreply@mx.example.net>', 'To: billing@shop.example', 'Subject: DMARC failure report', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=feedback-report; boundary="f"'],
			['--f', 'Content-Type: text/plain', '', 'This is an authentication failure report.', '--f', 'Content-Type: message/feedback-report', '', 'Feedback-Type: auth-failure', 'Version: 1', 'Auth-Failure: dmarc', '--f', 'Content-Type: text/rfc822-headers', '', `Message-ID: ${REMINDER_ID}`, 'X-Dunning-Invoice: INV-9', 'To: kunde@example.net', '--f--'],
		);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'none', isBounce: false, invoiceId: 'INV-9' });
		expect(r.diagnostic).toMatch(/auth-failure \(RFC 6591/);
	});

	/** An RFC 5965 report about our reminder with the given feedback fields. */
	const feedback = (fields: string[], to = 'kunde@example.net') =>
		message(
			['From: <fbl@isp.example>', 'To: billing@shop.example', 'Subject: Abuse report', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=feedback-report; boundary="f"'],
			['--f', 'Content-Type: text/plain', '', 'This is an abuse report.', '--f', 'Content-Type: message/feedback-report', '', ...fields, 'Version: 1', '--f', 'Content-Type: text/rfc822-headers', '', `Message-ID: ${REMINDER_ID}`, 'X-Dunning-Invoice: INV-9', `To: ${to}`, '--f--'],
		);

	it('a virus report (RFC 5965 Feedback-Type: virus) is a scanner speaking, not the customer complaining', async () => {
		const [r] = await classifyMessage(feedback(['Feedback-Type: virus', 'Original-Rcpt-To: kunde@example.net']));
		expect(r).toMatchObject({ category: 'none', isBounce: false, invoiceId: 'INV-9' });
		expect(r.diagnostic).toMatch(/type virus/);
	});

	it("only a recipient's feedback types are complaints: an old draft's \"miscategorized\" is none, fraud and other stay complaints", async () => {
		const [mis] = await classifyMessage(feedback(['Feedback-Type: miscategorized', 'Original-Rcpt-To: kunde@example.net']));
		expect(mis).toMatchObject({ category: 'none', isBounce: false, invoiceId: 'INV-9' });
		expect(mis.diagnostic).toMatch(/type miscategorized/);
		for (const type of ['fraud', 'other']) {
			const [r] = await classifyMessage(feedback([`Feedback-Type: ${type}`, 'Original-Rcpt-To: kunde@example.net']));
			expect(r).toMatchObject({ category: 'complaint', feedbackType: type });
		}
	});

	it('a plain "complaint" with our reminder attached is a feed loop only from outside the customer: their IT or the customer asking is a person writing', async () => {
		const attachedReminder = ['--a', 'Content-Type: message/rfc822', '', `Message-ID: ${REMINDER_ID}`, 'X-Dunning-Invoice: INV-9', 'From: billing@shop.example', 'To: kunde@example.net', 'Subject: 2. Mahnung', '', 'Bitte zahlen Sie.', '--a--'];
		const plainReport = (from: string, subject: string, text: string) =>
			message([`From: ${from}`, 'To: billing@shop.example', `Subject: ${subject}`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="a"'], ['--a', 'Content-Type: text/plain', '', text, ...attachedReminder]);
		// Only loops send this form, from a provider's feedback desk (Hotmail's JMRP: staff@hotmail.com).
		const [loop] = await classifyMessage(plainReport('<staff@hotmail.com>', 'complaint about message from 192.0.2.7', 'A user reported this message as spam.'));
		expect(loop).toMatchObject({ category: 'complaint', recipient: 'kunde@example.net' });
		const [it] = await classifyMessage(plainReport('IT-Sicherheit <security@example.net>', 'Spam complaint: 2. Mahnung', 'We do not know this invoice. Is this mail genuine?'));
		expect(it).toMatchObject({ category: 'reply', originalMessageId: REMINDER_ID });
		const [own] = await classifyMessage(plainReport('Kunde <kunde@example.net>', 'Spam report', 'Is this genuine? We paid on 20.02.'));
		expect(own).toMatchObject({ category: 'reply', originalMessageId: REMINDER_ID });
		// A provider's own loop or abuse desk about its users shares their domain: still a complaint; a
		// business's own abuse@ asking whether the reminder is genuine is a person writing.
		const providers = plainReport('T-Online Abuse-Team <abuse@t-online.de>', 'Abuse report: spam complaint', 'Our customer reported this message as spam.').replace('To: kunde@example.net', 'To: kunde@t-online.de');
		const [desk] = await classifyMessage(providers);
		expect(desk).toMatchObject({ category: 'complaint', recipient: 'kunde@t-online.de' });
		const [sub] = await classifyMessage(providers.replace('abuse@t-online.de', 'abuse@rx.t-online.de'));
		expect(sub.category).toBe('complaint');
		// German desks' subjects, and 1&1's and Posteo's consumer domains.
		const [hyphen] = await classifyMessage(plainReport('T-Online Abuse-Team <abuse@t-online.de>', 'Spam-Report', 'Unser Kunde hat diese Nachricht als Spam gemeldet.').replace('To: kunde@example.net', 'To: kunde@t-online.de'));
		expect(hyphen.category).toBe('complaint');
		const [german] = await classifyMessage(plainReport('T-Online Abuse-Team <abuse@t-online.de>', 'Spam-Beschwerde zu Ihrer Nachricht', 'Unser Kunde hat diese Nachricht als Spam gemeldet.').replace('To: kunde@example.net', 'To: kunde@t-online.de'));
		expect(german).toMatchObject({ category: 'complaint', recipient: 'kunde@t-online.de' });
		for (const domain of ['online.de', 'posteo.de']) {
			const [r] = await classifyMessage(plainReport(`Abuse <abuse@${domain}>`, 'Abuse report', 'Our user reported this message as spam.').replace('To: kunde@example.net', `To: kunde@${domain}`));
			expect(r).toMatchObject({ category: 'complaint', recipient: `kunde@${domain}` });
		}
		const [ownDesk] = await classifyMessage(plainReport('Abuse <abuse@example.net>', 'Abuse report: 2. Mahnung', 'Is this reminder genuine? We already paid.'));
		expect(ownDesk).toMatchObject({ category: 'reply', originalMessageId: REMINDER_ID });
		// A mailing list's robot that returns the reminder (RFC 2919 List-Id) is no person.
		const robot = plainReport('einkauf-owner@lists.example.net', '2. Mahnung', 'You are not allowed to post to this mailing list.').replace('MIME-Version', 'List-Id: <einkauf.lists.example.net>\r\nPrecedence: bulk\r\nMIME-Version');
		const [list] = await classifyMessage(robot.replace('kunde@example.net', 'einkauf@lists.example.net'));
		expect(list.category).not.toBe('reply');
	});

	it('a Feedback-Type with a comment is read as its token (RFC 5965 §3.1)', async () => {
		const [commented] = await classifyMessage(feedback(['Feedback-Type: Abuse (user clicked the spam button)', 'Original-Rcpt-To: kunde@example.net']));
		expect(commented).toMatchObject({ category: 'complaint', feedbackType: 'abuse', recipient: 'kunde@example.net' });
	});

	it("the customer's auto-reply sent with the null return path (as Exchange sends them) is no bounce, whatever it says about delivery; one that says the address is gone is for a person to read", async () => {
		const autoReply = (text: string) =>
			message(['Return-Path: <>', 'From: Kunde <kunde@example.net>', 'To: billing@shop.example', 'Subject: Automatische Antwort: Zahlungserinnerung', `In-Reply-To: ${REMINDER_ID}`, 'Auto-Submitted: auto-replied'], [text]);
		const [away] = await classifyMessage(autoReply('Ihre Nachricht konnte nicht zugestellt werden: ich bin bis zum 10.12. im Urlaub.'));
		expect(away).toMatchObject({ category: 'autoReply', recipient: 'kunde@example.net', originalMessageId: REMINDER_ID });
		const [gone] = await classifyMessage(autoReply('Ihre Nachricht konnte nicht zugestellt werden: diese Adresse wird nicht mehr gelesen. Bitte schreiben Sie an buchhaltung@example.net.'));
		expect(gone).toMatchObject({ category: 'reply', isBounce: false, recipient: 'kunde@example.net', originalMessageId: REMINDER_ID });
		expect(gone.replyText).toMatch(/buchhaltung@example\.net/);
	});

	it('a customer who answers with the reminder attached and writes that it "was not delivered" is a reply someone must read', async () => {
		const raw = message(
			['From: Kunde <kunde@example.net>', 'To: billing@shop.example', 'Subject: AW: Zahlungserinnerung', `In-Reply-To: ${REMINDER_ID}`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="m"'],
			['--m', 'Content-Type: text/plain; charset=utf-8', '', 'Die erste Erinnerung wurde nicht zugestellt, die Rechnung ist aber bereits bezahlt.', '--m', 'Content-Type: message/rfc822', '', `Message-ID: ${REMINDER_ID}`, 'X-Dunning-Invoice: INV-9', 'From: billing@shop.example', 'To: kunde@example.net', 'Subject: Zahlungserinnerung', '', 'Bitte zahlen Sie.', '--m--'],
		);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'reply', recipient: 'kunde@example.net', originalMessageId: REMINDER_ID });
	});

	it("a gateway's notice that it holds the reminder in quarantine: not delivered, the recipient's filter", async () => {
		const raw = message(
			['Return-Path: <>', 'From: Mail Delivery System <postmaster@example.net>', 'To: billing@shop.example', 'Subject: Nachricht in Quarantäne', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="q"'],
			['--q', 'Content-Type: text/plain; charset=utf-8', '', 'Ihre Nachricht an kunde@example.net wurde in die Quarantäne verschoben und nicht zugestellt.', '--q', 'Content-Type: text/rfc822-headers', '', `Message-ID: ${REMINDER_ID}`, 'X-Dunning-Invoice: INV-9', 'To: kunde@example.net', '--q--'],
		);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', reason: 'filtered', category: 'recipientRefused', invoiceId: 'INV-9' });
	});

	it("a parcel service's 'could not be delivered' names no failed address and returns nothing of ours: not a bounce", async () => {
		const raw = message(
			['Return-Path: <bounce-12345@mailing.paket.example>', 'From: Paketdienst <noreply@paket.example>', 'To: billing@shop.example', 'Subject: Ihre Sendung konnte nicht zugestellt werden'],
			['Guten Tag, Ihre Sendung 00340434161234567890 konnte heute nicht zugestellt werden. Sie liegt in Ihrer Filiale bereit.'],
		);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'none', isBounce: false });
	});
});

describe('report structure', () => {
	const REMINDER_ID = '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>';
	const returnedReminder = ['Content-Type: message/rfc822', '', `Message-ID: ${REMINDER_ID}`, 'X-Dunning-Invoice: INV-9', 'From: billing@shop.example', 'To: kunde@example.net, info@example.org', 'Subject: 2. Mahnung', '', 'Bitte zahlen Sie.'];
	/** A multipart/report with the given text part and delivery-status body, and the reminder returned. */
	const report = (text: string[], status: string[], extraHeaders: string[] = []) =>
		[
			'Return-Path: <>',
			'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
			'To: billing@shop.example',
			'Subject: Undelivered Mail Returned to Sender',
			...extraHeaders,
			'MIME-Version: 1.0',
			'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
			'',
			'--r',
			'Content-Type: text/plain; charset=utf-8',
			'',
			...text,
			'--r',
			'Content-Type: message/delivery-status',
			'',
			'Reporting-MTA: dns; mx.example.net',
			'',
			...status,
			'--r',
			...returnedReminder,
			'--r--',
			'',
		].join('\r\n');
	const byRecipient = (results: { recipient: string | null }[]) => new Map(results.map((r) => [r.recipient, r]));

	it("one shared block with every recipient's answer (Gmail): each takes only the lines that name it or no one", async () => {
		const text = [
			"Your message wasn't delivered to kunde@example.net, info@example.org because the address couldn't be found, or is unable to receive mail.",
			'',
			'The response from the remote server was:',
			'550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
			'552 5.2.2 <info@example.org>: Mailbox full',
		];
		const status = ['Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.1.1', '', 'Final-Recipient: rfc822; info@example.org', 'Action: failed', 'Status: 5.2.2', ''];
		const r = byRecipient(await classifyMessage(report(text, status)));
		expect(r.get('kunde@example.net')).toMatchObject({ reason: 'userunknown', category: 'addressDead' });
		expect(r.get('info@example.org')).toMatchObject({ reason: 'mailboxfull', category: 'recipientRefused' });
	});

	it("Exchange names each recipient twice (summary, then the server's reply for administrators): both parts are that recipient's", async () => {
		const raw = [
			'From: postmaster@example.net',
			'To: billing@shop.example',
			'Subject: Undeliverable: 2. Mahnung',
			'Content-Type: text/plain; charset=us-ascii',
			'',
			'Delivery has failed to these recipients or groups:',
			'',
			'info@example.org',
			"Your message wasn't delivered because the recipient's e-mail provider rejected it.",
			'',
			'kunde@example.net',
			"The e-mail address you entered couldn't be found.",
			'',
			'Diagnostic information for administrators:',
			'',
			'info@example.org',
			'#552 5.2.2 STOREDRV.Deliver; mailbox full ##',
			'',
			'kunde@example.net',
			'#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##',
			'',
			'Original message headers:',
			'',
			`Message-ID: ${REMINDER_ID}`,
			'',
		].join('\r\n');
		const r = byRecipient(await classifyMessage(raw));
		expect(r.get('info@example.org')).toMatchObject({ reason: 'mailboxfull', category: 'recipientRefused' });
		expect(r.get('kunde@example.net')).toMatchObject({ status: '5.1.1', category: 'addressDead' });
	});

	it("Sendmail's transcript, host by host: a reply answers the RCPT before it, and a summary line closes a recipient's part", async () => {
		const raw = [
			'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>',
			'To: billing@shop.example',
			'Subject: Returned mail: see transcript for details',
			'',
			'   ----- The following addresses had permanent fatal errors -----',
			'<anna@example.org>',
			'    (reason: 550 5.2.1 Mailbox disabled)',
			'<info@example.com>',
			'    (reason: 550-5.1.1 The email account that you tried to reach does not exist. Please try)',
			'<chef@example.org>',
			'    (reason: 550 5.7.1 User unknown)',
			'',
			'   ----- Transcript of session follows -----',
			'... while talking to mx.example.org.:',
			'>>> RCPT To:<anna@example.org>',
			'<<< 550 5.2.1 Mailbox disabled',
			'550 5.2.1 <anna@example.org>... Mailbox disabled',
			'>>> RCPT To:<chef@example.org>',
			'<<< 550 5.7.1 User unknown',
			'550 5.7.1 <chef@example.org>... User unknown',
			'... while talking to aspmx.l.google.com.:',
			'>>> RCPT To:<info@example.com>',
			'<<< 550-5.1.1 The email account that you tried to reach does not exist. Please try',
			'<<< 550 5.1.1 double-checking the recipient\'s email address for typos',
			'550 5.1.1 <info@example.com>... User unknown',
			'',
			`Message-ID: ${REMINDER_ID}`,
			'',
		].join('\r\n');
		const r = byRecipient(await classifyMessage(raw));
		expect(r.get('chef@example.org')).not.toMatchObject({ category: 'addressDead' });
		expect(r.get('anna@example.org')).toMatchObject({ reason: 'suspend', category: 'recipientRefused' });
		expect(r.get('info@example.com')).toMatchObject({ category: 'addressDead' });
	});

	it("Gmail's framing without the server's words is no cause, least of all ours", async () => {
		const text = ['Delivery to the following recipients failed permanently:', '', '     kunde@example.net', '     info@example.org', '', 'Technical details of permanent failure:', 'Google tried to deliver your message, but it was rejected by the server for the recipient domain example.org by mx.example.org. [192.0.2.10].', '', 'The error that the other server returned was:', '550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown in virtual mailbox table'];
		const r = byRecipient(await classifyMessage(report(text, [])));
		expect(r.get('info@example.org')).toMatchObject({ reason: 'undefined', category: 'recipientRefused' });
	});

	it("Sendmail's plain report lists an address under 'transient non-fatal errors': that one is delayed, the other failed", async () => {
		const raw = [
			'Return-Path: <>',
			'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>',
			'To: billing@shop.example',
			'Subject: Returned mail: see transcript for details',
			'MIME-Version: 1.0',
			'Content-Type: multipart/mixed; boundary="m"',
			'',
			'--m',
			'Content-Type: text/plain',
			'',
			'   ----- The following addresses had permanent fatal errors -----',
			'<kunde@example.net>',
			'    (reason: 550 5.1.1 <kunde@example.net>... User unknown)',
			'',
			'   ----- The following addresses had transient non-fatal errors -----',
			'<info@example.org>',
			'    (reason: 451 4.7.1 Please try again later)',
			'',
			'   ----- Transcript of session follows -----',
			'... while talking to mx.example.net.:',
			'>>> RCPT To:<kunde@example.net>',
			'<<< 550 5.1.1 <kunde@example.net>... User unknown',
			'... while talking to mx.example.org.:',
			'<info@example.org>... Deferred: 451 4.7.1 Please try again later',
			'--m',
			...returnedReminder,
			'--m--',
			'',
		].join('\r\n');
		const results = byRecipient(await classifyMessage(raw));
		expect(results.get('kunde@example.net')).toMatchObject({ final: true, status: '5.1.1', reason: 'userunknown' });
		expect(results.get('info@example.org')).toMatchObject({ final: false, category: 'delayed', status: '4.7.1' });
	});

	it("a delayed co-recipient the text does not name gets no words of the failed one's paragraph", async () => {
		const raw = report(
			[
				'Delivery has failed to these recipients or groups:',
				'',
				'Kunde GmbH (kunde@example.net)<mailto:kunde@example.net>',
				"The email address you entered couldn't be found. Please check the recipient's email address and try to resend the message.",
				'',
				'Diagnostic information for administrators:',
				'',
				'kunde@example.net',
				"Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
			],
			['Final-Recipient: rfc822;info@example.org', 'Action: delayed', 'Status: 4.4.7', '', 'Final-Recipient: rfc822;kunde@example.net', 'Action: failed', 'Status: 5.1.10'],
		);
		const results = byRecipient(await classifyMessage(raw));
		expect(results.get('info@example.org')).toMatchObject({ category: 'delayed', reason: 'expired', final: false });
		expect(results.get('kunde@example.net')).toMatchObject({ reason: 'userunknown', final: true });
	});

	it.each([
		['Exim', ['  kunde@gmail.example', '    (generated from kunde@example.net)', '    SMTP error from remote mail server after RCPT TO:<kunde@gmail.example>:', '    550 5.1.1 The email account that you tried to reach does not exist.']],
		['Postfix', ['<kunde@gmail.example> (expanded from <kunde@example.net>): host mx.gmail.example said: 550 5.1.1', '    The email account that you tried to reach does not exist. (in reply to RCPT TO command)']],
	])("with a report part but no Original-Recipient, %s's words name the address the forward started from", async (_mta, text) => {
		const [r] = await classifyMessage(report(text, ['Final-Recipient: rfc822;kunde@gmail.example', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does not exist.']));
		expect(r).toMatchObject({ recipient: 'kunde@gmail.example', originalRecipient: 'kunde@example.net', reason: 'userunknown' });
	});

	it.each(['rfc822; kunde@example.net (Kunde GmbH)', 'rfc822; (Kunde GmbH) kunde@example.net'])('Final-Recipient with an RFC 5322 comment (%s) still names the address', async (field) => {
		const [r] = await classifyMessage(report(['Your message could not be delivered.'], [`Final-Recipient: ${field}`, 'Action: failed', 'Status: 5.1.1']));
		expect(r.recipient).toBe('kunde@example.net');
	});

	it('recipient groups without blank lines between them keep each their own Original-Recipient, whichever field comes first', async () => {
		const originalFirst = ['Original-Recipient: rfc822;info@example.org', 'Final-Recipient: rfc822;info@example.org', 'Action: delayed', 'Status: 4.4.1', 'Original-Recipient: rfc822;kunde@example.net', 'Final-Recipient: rfc822;kunde@example.net', 'Action: failed', 'Status: 5.1.1'];
		const finalFirst = ['Final-Recipient: rfc822;info@example.org', 'Original-Recipient: rfc822;info@example.org', 'Action: delayed', 'Status: 4.4.1', 'Final-Recipient: rfc822;kunde@example.net', 'Original-Recipient: rfc822;kunde@example.net', 'Action: failed', 'Status: 5.1.1'];
		for (const fields of [originalFirst, finalFirst]) {
			const results = byRecipient(await classifyMessage(report(['Delivery failed.'], fields)));
			expect(results.get('info@example.org')).toMatchObject({ originalRecipient: 'info@example.org', final: false });
			expect(results.get('kunde@example.net')).toMatchObject({ originalRecipient: 'kunde@example.net', final: true, status: '5.1.1' });
		}
	});

	const eximPlain = (failedHeader: string) =>
		[
			'Return-Path: <>',
			'From: Mail Delivery System <Mailer-Daemon@mx.example.net>',
			'To: billing@shop.example',
			'Subject: Mail delivery failed: returning message to sender',
			`X-Failed-Recipients: ${failedHeader}`,
			'Content-Type: text/plain; charset=utf-8',
			'',
			'This message was created automatically by mail delivery software.',
			'',
			'A message that you sent could not be delivered to one or more of its',
			'recipients. This is a permanent error. The following address(es) failed:',
			'',
			'  jürgen@example.net',
			'    550 5.1.1 User unknown',
			'',
			'------ This is a copy of the message, including all the headers. ------',
			'',
			`Message-ID: ${REMINDER_ID}`,
			'X-Dunning-Invoice: INV-9',
			'',
		].join('\r\n');

	it.each([
		['raw UTF-8 (RFC 6532)', 'jürgen@example.net'],
		["Exim's octal escapes", 'j\\303\\274rgen@example.net'],
	])('an internationalised address in X-Failed-Recipients (%s) is read whole', async (_form, header) => {
		const [r] = await classifyMessage(Buffer.from(eximPlain(header), 'utf8'));
		expect(r).toMatchObject({ recipient: 'jürgen@example.net', status: '5.1.1', invoiceId: 'INV-9' });
	});

	it('a report saved with bare CR line ends is read like one with CRLF', async () => {
		const lines = report(['Your message could not be delivered.'], ['Final-Recipient: rfc822;kunde@example.net', 'Action: failed', 'Status: 5.1.1']);
		const [crlf] = await classifyMessage(lines);
		const [cr] = await classifyMessage(lines.replace(/\r\n/g, '\r'));
		expect(crlf).toMatchObject({ recipient: 'kunde@example.net', status: '5.1.1', originalMessageId: REMINDER_ID });
		expect(cr).toEqual(crlf);
	});
});

describe('gateways and mail stores that word their reports their own way', () => {
	const REMINDER_ID = '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>';
	const reminder = RETURNED_REMINDER;
	const mixed = mixedNotice;

	it('a content gateway\'s notice that the message "has not been delivered" (MailMarshal) is a bounce for the address it lists', async () => {
		const raw = mixed(['Return-Path: <>', 'From: MailMarshal <mailmarshal@example.net>', 'Subject: Message Blocked: 2. Mahnung'], [
			[
				'Content-Type: text/plain',
				'',
				'MailMarshal (an automated content monitoring gateway) has stopped the',
				'following e-mail for the following reason: It believes it may contain',
				'spam or other unsolicited bulk e-mail.',
				'',
				'   From:    billing@shop.example',
				'   To:      kunde@example.net',
				'',
				'This message has not been delivered to the recipient.',
			],
			reminder,
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', category: 'senderRejected', reason: 'spamdetected', originalMessageId: REMINDER_ID });
	});

	it('a delay notice that the message "has not been delivered … yet" and is "a warning message only" is delayed, not dropped', async () => {
		const raw = mixed(['Return-Path: <>', 'From: Mail Delivery Subsystem <postmaster@mail.example.net>', 'Subject: Delayed: 2. Mahnung'], [
			[
				'Content-Type: text/plain',
				'',
				'Your message has not been delivered to some of the intended recipients yet.',
				'',
				'kunde@example.net',
				'   Result: delayed, Status: 4.4.1 Cannot connect to host mx.example.net',
				'',
				'This is a warning message only. You do not need to resend your message.',
			],
			reminder,
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false, status: '4.4.1' });
	});

	/** An MDN (RFC 8098) with the given text and Disposition. */
	const mdn = (text: string, disposition: string) =>
		[
			'Return-Path: <>',
			'From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>',
			'To: billing@shop.example',
			'Subject: Rejected: 2. Mahnung',
			'MIME-Version: 1.0',
			'Content-Type: multipart/report; report-type=disposition-notification; boundary="m"',
			'',
			'--m',
			'Content-Type: text/plain; charset=utf-8',
			'',
			text,
			'--m',
			'Content-Type: message/disposition-notification',
			'',
			'Reporting-UA: mail.example.net; Dovecot Mail Delivery Agent',
			'Final-Recipient: rfc822; kunde@example.net',
			`Original-Message-ID: ${REMINDER_ID}`,
			`Disposition: ${disposition}`,
			'--m--',
			'',
		].join('\r\n');

	it.each([
		['a Sieve reject (RFC 5429) by the customer\'s own rule', 'Your message to <kunde@example.net> was automatically rejected:\r\nIch nehme keine Mahnungen per E-Mail an.', 'filtered'],
		["Dovecot's rejection for a full mailbox", 'Your message to <kunde@example.net> was automatically rejected:\r\nQuota exceeded (mailbox for user is full)', 'mailboxfull'],
	])('%s is refused by the recipient\'s side, not a refusal of our sender', async (_what, text, reason) => {
		const [r] = await classifyMessage(mdn(text, 'automatic-action/MDN-sent-automatically; deleted'));
		expect(r).toMatchObject({ category: 'recipientRefused', reason, recipient: 'kunde@example.net', originalMessageId: REMINDER_ID, final: true });
	});

	it('a "not read" receipt for a reminder deleted unread (same Disposition, no rejection) is no bounce: the reminder arrived', async () => {
		const [r] = await classifyMessage(mdn('Your message was deleted without being read.', 'automatic-action/MDN-sent-automatically; deleted'));
		expect(r).toMatchObject({ category: 'none', isBounce: false });
	});

	it('addresses listed one per line under one explanation all share it (Gmail\'s older plain report)', async () => {
		const raw = [
			'Return-Path: <>',
			'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
			'To: billing@shop.example',
			'X-Failed-Recipients: abe@example.com, bea@example.com',
			'Subject: Delivery Status Notification (Failure)',
			'Content-Type: text/plain; charset=ISO-8859-1',
			'',
			'Delivery to the following recipients failed permanently:',
			'',
			'     abe@example.com',
			'     bea@example.com',
			'',
			'Technical details of permanent failure:',
			'The error that the other server returned was:',
			'550 5.7.1 Service unavailable; client [209.85.220.69] blocked using bl.spamcop.net',
			'',
			'----- Original message -----',
			'',
			`Message-ID: ${REMINDER_ID}`,
			'X-Dunning-Invoice: INV-9',
			'',
		].join('\r\n');
		const results = await classifyMessage(raw);
		expect(results.map((r) => [r.recipient, r.category, r.reason, r.status])).toEqual([
			['abe@example.com', 'senderRejected', 'blocked', '5.7.1'],
			['bea@example.com', 'senderRejected', 'blocked', '5.7.1'],
		]);
	});

	it('a returned message whose header section starts with a blank line still links the reminder', async () => {
		const raw = mixed(['Return-Path: <>', 'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>', 'Subject: failure notice'], [
			['Content-Type: text/plain', '', 'Delivery to the following recipients failed permanently:', '', '  * kunde@example.net', '', '552 5.2.2 <kunde@example.net>... Mailbox full'],
			['Content-Type: message/rfc822', 'Content-Disposition: attachment', '', '', ...reminder.slice(2)],
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', reason: 'mailboxfull', originalMessageId: REMINDER_ID, invoiceId: 'INV-9' });
	});

	it("Exim's \"(ultimately generated from …)\" after several redirections fills originalRecipient", async () => {
		const raw = mixed(['Return-Path: <>', 'From: Mail Delivery System <Mailer-Daemon@mx.example.net>', 'Subject: Mail delivery failed: returning message to sender'], [
			[
				'Content-Type: text/plain',
				'',
				'This message was created automatically by mail delivery software.',
				'',
				'A message that you sent could not be delivered to one or more of its',
				'recipients. This is a permanent error. The following address(es) failed:',
				'',
				'  kunde.privat@mailbox.example.org',
				'    (ultimately generated from kunde@example.net)',
				'    host mx.mailbox.example.org [192.0.2.9]',
				'    SMTP error from remote mail server after RCPT TO:<kunde.privat@mailbox.example.org>:',
				'    550 5.1.1 User unknown',
			],
			reminder,
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde.privat@mailbox.example.org', originalRecipient: 'kunde@example.net', status: '5.1.1' });
	});
});

describe('false friends of the rules above', () => {
	const REMINDER_ID = '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>';
	const mail = (headers: string[], body: string[]) => [...headers, 'Content-Type: text/plain; charset=utf-8', '', ...body, ''].join('\r\n');

	it('a reply whose subject mentions someone out of the office is the customer writing, not an auto-reply', async () => {
		const [r] = await classifyMessage(mail(['From: Kunde <kunde@example.net>', 'To: billing@shop.example', 'Subject: AW: 2. Mahnung - unser Buchhalter ist außer Haus', `In-Reply-To: ${REMINDER_ID}`], ['Wir zahlen nächste Woche.']));
		expect(r.category).toBe('reply');
	});

	it.each([
		'Our fax number +49 30 123456 is no longer in use.',
		'I no longer work on Fridays.',
		'This inbox is no longer checked over the holidays.',
		'Quotations are no longer valid after 30 days.',
		'Unsere Faxnummer ist nicht mehr aktiv.',
	])('an out-of-office that says "%s" still says the reminder arrived', async (line) => {
		const [r] = await classifyMessage(mail(['From: Kunde <kunde@example.net>', 'To: billing@shop.example', 'Subject: Automatic reply: 2. Mahnung', 'Auto-Submitted: auto-replied', `In-Reply-To: ${REMINDER_ID}`], ['I am out of the office until 10 December.', line]));
		expect(r.category).toBe('autoReply');
	});

	it.each([
		['a double-opt-in newsletter', 'Your subscription requires your confirmation before we send you anything.'],
		['a ticket acknowledgement', 'Your ticket will stay pending until you reply.'],
	])('%s is no challenge-response request', async (_what, line) => {
		const [r] = await classifyMessage(mail(['From: Service <service@vendor.example>', 'To: billing@shop.example', 'Subject: Please confirm'], [line]));
		expect(r.category).toBe('none');
	});

	it("an Exchange \"Not read\" receipt is no failure report, whatever the reminder's quoted subject says", async () => {
		const raw = [
			'Return-Path: <>',
			'From: Kunde <kunde@example.net>',
			'To: billing@shop.example',
			'Subject: Not read: Direct debit rejected - 2. Mahnung',
			'MIME-Version: 1.0',
			'Content-Type: multipart/report; report-type=disposition-notification; boundary="m"',
			'',
			'--m',
			'Content-Type: text/plain',
			'',
			'Your message',
			'  Subject: Direct debit rejected - 2. Mahnung',
			'was deleted without being read.',
			'--m',
			'Content-Type: message/disposition-notification',
			'',
			'Final-Recipient: rfc822; kunde@example.net',
			`Original-Message-ID: ${REMINDER_ID}`,
			'Disposition: automatic-action/MDN-sent-automatically; deleted',
			'--m--',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'none', isBounce: false });
		expect(r.diagnostic).toMatch(/read receipt/);
	});

	it('a read receipt sent as a plain message (the words of Outlook\'s receipt under "Lesebestätigung:") is a receipt, not a reply', async () => {
		const receipt = (subject: string, body: string[]) =>
			mail(['From: Markus Huber <m.huber@kunde.example>', 'To: billing@shop.example', `Subject: ${subject}`, `In-Reply-To: ${REMINDER_ID}`], body);
		const [r] = await classifyMessage(receipt('Lesebestätigung: 2. Mahnung: Rechnung INV-9', ['Ihre Nachricht', '', '   An:       Markus Huber', '   Betreff:  2. Mahnung: Rechnung INV-9', '   Gesendet: Dienstag, 12. März 2024 09:14', '', 'wurde am Mittwoch, 13. März 2024 10:05 gelesen.']));
		expect(r).toMatchObject({ category: 'none', isBounce: false });
		expect(r.diagnostic).toMatch(/read receipt/);
		// Outlook's German receipt names the time zone at length.
		const [longZone] = await classifyMessage(receipt('Gelesen: 2. Mahnung: Rechnung INV-9', ['Ihre Nachricht', '', '   An: Markus Huber', '   Betreff: 2. Mahnung: Rechnung INV-9', '   Gesendet: Montag, 6. Mai 2024 09:00:00 (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien', '', 'wurde am Montag, 6. Mai 2024 11:30:12 (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien gelesen.']));
		expect(longZone.category).toBe('none');
		// English Outlook with German dates ("2. Dezember"), a wrapped To line, a signature, a "deleted unread" receipt.
		const others: [string, string[]][] = [
			['Read: 2. Mahnung', ['Your message', '', '  To: Markus Huber;', '      Anna Huber', '  Subject: 2. Mahnung', '  Sent: Montag, 2. Dezember 2024 09:00:00 (UTC+03:00) Moscow, St. Petersburg', '', 'was read on Montag, 2. Dezember 2024 11:30:12 (UTC+03:00) Moscow, St. Petersburg.', '', '-- ', 'Huber GmbH, Musterstr. 1']],
			['Nicht gelesen: 2. Mahnung', ['Ihre Nachricht', '', '  An: Markus Huber', '  Betreff: 2. Mahnung', '', 'wurde am Dienstag, 3. Dezember 2024 08:12:40 ungelesen gelöscht.']],
		];
		for (const [subject, body] of others) expect((await classifyMessage(receipt(subject, body)))[0].category).toBe('none');
		// A person writing under such a subject writes more than the receipt's sentence.
		for (const words of ['Ihre Mahnung wurde am Montag gelesen, wir zahlen morgen.', 'Ihre Nachricht wurde am 06.05.2024 gelesen. Wir haben bereits bezahlt.']) {
			const [person] = await classifyMessage(receipt('Gelesen: 2. Mahnung: Rechnung INV-9', [words]));
			expect(person.category).toBe('reply');
		}
	});

	it('a parcel notice that "has not been delivered", sent through a mailing service\'s bounces+ return path, is no bounce', async () => {
		const [r] = await classifyMessage(mail(['Return-Path: <bounces+8812@em.parcel.example>', 'From: Paketdienst <noreply@parcel.example>', 'To: billing@shop.example', 'Subject: Ihre Sendung 0034'], ['Your parcel 0034 has not been delivered. Write to service@parcel.example.']));
		expect(r.category).toBe('none');
	});

	it("Exim's address without words of its own does not take another address's RCPT answer", async () => {
		const raw = mail(
			['Return-Path: <>', 'From: Mail Delivery System <Mailer-Daemon@mx.shop.example>', 'To: billing@shop.example', 'Subject: Mail delivery failed: returning message to sender', 'X-Failed-Recipients: kunde@kunde.example, info@kunde2.example'],
			['The following address(es) failed:', '', '  kunde@kunde.example', '  info@kunde2.example', '    SMTP error from remote mail server after RCPT TO:<info@kunde2.example>:', '    550 5.1.1 <info@kunde2.example>: User unknown', '', '------ This is a copy of the message, including all the headers. ------', '', `Message-ID: ${REMINDER_ID}`],
		);
		const results = await classifyMessage(raw);
		expect(results.find((r) => r.recipient === 'info@kunde2.example')?.category).toBe('addressDead');
		expect(results.find((r) => r.recipient === 'kunde@kunde.example')?.category).not.toBe('addressDead');
	});

	it('a server that names SpamAssassin in its greeting does not make a missing mailbox a spam verdict', async () => {
		const raw = mail(
			['Return-Path: <>', 'From: Mail Delivery System <MAILER-DAEMON@relay.shop.example>', 'To: billing@shop.example', 'Subject: Undelivered Mail Returned to Sender'],
			['<kunde@example.net>: host mx.example.net said: 550 5.1.1 Mailbox does not exist (mx.example.net running SpamAssassin 3.4) (in reply to RCPT TO command)', '', `Message-ID: ${REMINDER_ID}`],
		);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'addressDead', reason: 'userunknown' });
	});

	it("a colleague's internal forward of a reminder is nobody's reply, even with their own address in the signature", async () => {
		const [r] = await classifyMessage(
			mail(['From: Kollegin <kollegin@shop.example>', 'To: billing@shop.example', 'Subject: WG: 2. Mahnung'], ['Bitte prüfen.', 'Kollegin, kollegin@shop.example', '', '-------- Weitergeleitete Nachricht --------', 'Von: billing@shop.example', 'An: kunde@example.net', `Message-ID: ${REMINDER_ID}`, 'X-Dunning-Invoice: INV-9']),
		);
		expect(r.category).toBe('none');
	});

	it('Postfix\'s plain-text delay warning ("THIS IS A WARNING ONLY … It will be retried until") is delayed, not final', async () => {
		const raw = mail(
			['Return-Path: <>', 'From: Mail Delivery System <MAILER-DAEMON@relay.shop.example>', 'To: billing@shop.example', 'Subject: Delayed Mail (still being retried)'],
			['# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #', '', 'Your message could not be delivered for more than 4 hour(s).', 'It will be retried until it is 5 day(s) old.', '', '<kunde@example.net>: connect to mx.example.net[203.0.113.5]:25: Connection timed out', '', `Message-ID: ${REMINDER_ID}`],
		);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false });
	});
});

describe('probe round CA–CG: digests, wordless system notices, our Message-ID in the text, the domain its own server answers for', () => {
	const REMINDER_ID = '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>';
	const returned = RETURNED_REMINDER;
	const mixed = mixedNotice;
	const plain = (headers: string[], body: string[]) => [...headers, 'To: billing@shop.example', 'Content-Type: text/plain; charset=utf-8', '', ...body, ''].join('\r\n');

	it.each([
		[
			'Proofpoint',
			['From: Proofpoint Essentials <quarantine@proofpointessentials.example>', 'Subject: Quarantine Digest: 2 new messages for billing@shop.example'],
			['The following messages have been quarantined since your last digest.', '', '  MAILER-DAEMON@mx.example.net   Undelivered Mail Returned to Sender   Spam', '  kunde@example.net   AW: 2. Mahnung   Bulk', '', 'Actions: Preview | Release Email | Release & Approve | Block'],
		],
		[
			'Mimecast, sent from our own postmaster',
			['Return-Path: <digest@mimecast.example>', 'From: postmaster@shop.example', 'Subject: Mimecast Hold Summary for billing@shop.example'],
			['You have 2 new messages on hold.', '', 'Release - deliver the message to your inbox', '', '  From: postmaster@example.net', '  Subject: Undeliverable: 2. Mahnung', '  Reason: Spam Signature   [Release] [Block] [Permit]'],
		],
		[
			'Trend Micro',
			['From: Hosted Email Security <do-not-reply@hes.example>', 'Subject: Hosted Email Security quarantined spam 10/03/2026 for billing@shop.example'],
			['Hosted Email Security has quarantined the following messages addressed to billing@shop.example since the last report:', '', '10/03/2026 07:12  postmaster@example.net  Undeliverable: 2. Mahnung', '', 'To release a message or approve a sender, log on to the End User Console.'],
		],
	])("%s's quarantine digest for our mailbox lists a bounce by its subject: no report, never a refusal of our sender", async (_vendor, headers, body) => {
		const [r] = await classifyMessage(plain(headers, body));
		expect(r).toMatchObject({ category: 'none', isBounce: false });
		expect(r.diagnostic).toMatch(/digest/);
	});

	it('a Japanese provider\'s notice that it "could not deliver" (配送できませんでした) is a report; the customer\'s own auto-reply stays one', async () => {
		const raw = mixed(['Return-Path: <>', 'From: Mail System <postmaster@provider.example.jp>', 'Subject: =?UTF-8?B?6YWN6YCB44Gn44GN44G+44Gb44KT44Gn44GX44Gf?=', 'Auto-Submitted: auto-replied'], [
			['Content-Type: text/plain; charset=utf-8', '', 'お客さまが送信されたメールは、以下の宛先へ配送できませんでした。', '', '  宛先：kunde@example.net', '  理由：宛先のメールボックスの容量が一杯のため'],
			returned,
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', category: 'recipientRefused', originalMessageId: REMINDER_ID });
		// Not a mail system: the customer's own auto-reply with the reminder quoted stays one.
		const [own] = await classifyMessage(mixed(['Return-Path: <>', 'From: Kunde <kunde@example.net>', 'Subject: 自動返信', 'Auto-Submitted: auto-replied'], [['Content-Type: text/plain; charset=utf-8', '', '不在です。'], returned]));
		expect(own.category).toBe('autoReply');
	});

	it('a null-return-path notice that a message "has NOT been delivered" is no report without a returned message: release, approval and portal notices say so too', async () => {
		const body = ['Your outbound email has been blocked for delivery.', '', "This message was quarantined by your organization's email security policy", 'and has NOT been delivered to the recipient.', '', 'Sender:     billing@shop.example', 'Recipient:  kunde@example.net', 'Subject:    2. Mahnung', 'Reason:     Spam (outbound)'];
		const [r] = await classifyMessage(plain(['Return-Path: <>', 'From: Proofpoint Essentials <no-reply@proofpointessentials.example>', 'Subject: Outbound email blocked: 2. Mahnung'], body));
		expect(r).toMatchObject({ isBounce: false, category: 'none' });
	});


	it('what only mentions a quarantine is no digest: a bounce returning our reminder inline, a notice about one held reminder, a reply, an auto-reply', async () => {
		const [bounce] = await classifyMessage(
			plain(['Return-Path: <>', 'From: Mail Delivery System <Mailer-Daemon@mail.shop.example>', 'Subject: Mail delivery failed: returning message to sender'], [
				'A message that you sent could not be delivered to one or more of its',
				'recipients. This is a permanent error. The following address(es) failed:',
				'',
				'  kunde@example.net',
				'    SMTP error from remote mail server after end of data:',
				'    550 5.7.1 Message rejected as spam (score 12) - see spam report at https://filter.example.net/r/8f3a',
				'',
				'------ This is a copy of the message, including all the headers. ------',
				'',
				`Message-ID: ${REMINDER_ID}`,
				'Subject: 2. Mahnung',
				'',
				'Nach Freigabe der Zahlung bitten wir um kurze Nachricht; release notes attached.',
			]),
		);
		expect(bounce).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', category: 'senderRejected', originalMessageId: REMINDER_ID });
		const [held] = await classifyMessage(
			plain(['Return-Path: <>', 'From: postmaster@example.net', 'Subject: Message quarantined: 2. Mahnung'], [
				'Your message to kunde@example.net has not been delivered.',
				'',
				"The following message has been quarantined by the recipient's content filter:",
				'  To:      kunde@example.net',
				'  Subject: 2. Mahnung',
				'',
				'The recipient or their administrator may release the message.',
			]),
		);
		expect(held.diagnostic ?? '').not.toMatch(/digest/);
		const [reply] = await classifyMessage(
			plain(['From: Kunde <kunde@example.net>', 'Subject: RE: 2. Mahnung', `In-Reply-To: ${REMINDER_ID}`], ['Your reminder was caught in our spam quarantine digest and I had to release it this morning. It is paid.']),
		);
		expect(reply.category).toBe('reply');
	});

	it('a final report stays final when it explains that delays are retried ("… will not be retried", "has stopped trying"); "will continue to attempt to deliver" is a delay', async () => {
		const returnedInline = ['', '------=_Part', '', `Message-ID: ${REMINDER_ID}`, 'Subject: 2. Mahnung'];
		const [expired] = await classifyMessage(
			plain(['Return-Path: <>', 'From: Mail Delivery System <MAILER-DAEMON@mail.provider.example>', 'Subject: Undelivered Mail'], [
				'Your message could not be delivered to the following recipient:',
				'',
				'    kunde@example.net',
				'',
				"Reason: the recipient's mail server did not accept connections (connection timed out).",
				'',
				'Please note: when a delivery problem is temporary, our servers will continue to attempt delivery for up to 5 days before a message is returned. Delivery of this message was attempted for 5 days; it has now been returned to you and will not be retried.',
				...returnedInline,
			]),
		);
		expect(expired).toMatchObject({ recipient: 'kunde@example.net', final: true, category: 'recipientRefused' });
		const [delay] = await classifyMessage(
			plain(['Return-Path: <>', 'From: Mail Delivery System <MAILER-DAEMON@mail.provider.example>', 'Subject: Delivery delayed'], [
				'Delivery to the following recipient has been delayed:',
				'',
				'    kunde@example.net',
				'',
				'Reason: 451 4.4.0 Primary target IP address responded with: "421 4.4.2 Connection dropped due to SocketError."',
				'',
				'The server will continue to attempt to deliver this message for another 72 hours.',
				...returnedInline,
			]),
		);
		expect(delay).toMatchObject({ recipient: 'kunde@example.net', final: false, category: 'delayed' });
		const notice = (title: string, lines: string[]) =>
			plain(['Return-Path: <>', 'From: Mail Delivery System <MAILER-DAEMON@mail.provider.example>', `Subject: ${title}`], ['    kunde@example.net', '', ...lines, ...returnedInline]);
		// qmail's "I've given up" is final beside a legend about delays; a legend's "within", a retry "again until" are conditions.
		const [gaveUp] = await classifyMessage(notice('failure notice', ['Reason: connection timed out.', 'This is a permanent error; I\'ve given up. Sorry it didn\'t work out.', 'Legend: delayed messages - delivery attempts will continue for 5 days.']));
		expect(gaveUp).toMatchObject({ final: true, category: 'recipientRefused' });
		const [within] = await classifyMessage(notice('Delivery delayed', ['Reason: 451 4.4.0 connection dropped.', 'The server will continue to attempt to deliver this message. Messages that cannot be delivered within 5 days will not be retried.']));
		expect(within).toMatchObject({ final: false, category: 'delayed' });
		const [again] = await classifyMessage(notice('Delivery delayed', ['Reason: 451 4.7.1 greylisted.', 'The server will continue to attempt delivery; the message will not be retried again until 14:30.']));
		expect(again).toMatchObject({ final: false, category: 'delayed' });
	});

	it('a warning that the server will continue to attempt delivery is a delay, not an expiry (MDaemon)', async () => {
		const raw = mixed(['Return-Path: <>', 'From: MDaemon@mail.example.net', 'Subject: Warning: Temporary Delivery Failure'], [
			[
				'Content-Type: text/plain',
				'',
				'The attached message has encountered TEMPORARY delivery problems.',
				'The message has been placed in the retry queue and MDaemon will continue',
				'to attempt delivery at regular intervals.  You do not need to resend the',
				'message.',
				'',
				'Delayed address: kunde@example.net',
				'',
				' Socket connect error: 10060 (Connection timed out)',
			],
			returned,
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', category: 'delayed', final: false, originalMessageId: REMINDER_ID });
	});

	/** A report with no returned message or headers: the text names the reminder in its own layout. */
	const summary = (idLines: string[]) =>
		[
			'Return-Path: <>',
			'From: Mail Delivery System <MAILER-DAEMON@gw.example.net>',
			'To: billing@shop.example',
			'Subject: Undeliverable',
			'MIME-Version: 1.0',
			'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
			'',
			'--r',
			'Content-Type: text/plain',
			'',
			'Your message could not be delivered to one or more recipients.',
			'',
			...idLines,
			'  Recipient:  kunde@example.net',
			'',
			'--r',
			'Content-Type: message/delivery-status',
			'',
			'Reporting-MTA: dns; gw.example.net',
			'',
			'Final-Recipient: rfc822; kunde@example.net',
			'Action: failed',
			'Status: 5.1.1',
			'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
			'--r--',
			'',
		].join('\r\n');

	it("a report that names our reminder's Message-ID only in its own indented summary is matched to it; two of ours are a guess", async () => {
		const [one] = await classifyMessage(summary([`  Message-ID: ${REMINDER_ID}`]));
		expect(one).toMatchObject({ category: 'addressDead', recipient: 'kunde@example.net', originalMessageId: REMINDER_ID });
		const [two] = await classifyMessage(summary([`  Message-ID: ${REMINDER_ID}`, '  Message-ID: <dunning.1.fedcba9876543210fedcba9876543210@shop.example>']));
		expect(two.originalMessageId).toBeNull();
	});

	it('a returned Message-ID cut inside (a size limit) gives way to the In-Reply-To; one without its angle brackets is still the id', async () => {
		const withReturned = (messageIdLine: string, extra: string[] = []) =>
			[
				'Return-Path: <>',
				'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
				'To: billing@shop.example',
				'Subject: Undelivered Mail Returned to Sender',
				...extra,
				'MIME-Version: 1.0',
				'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
				'',
				'--r',
				'Content-Type: text/plain',
				'',
				'The message could not be delivered.',
				'--r',
				'Content-Type: message/delivery-status',
				'',
				'Reporting-MTA: dns; mx.example.net',
				'',
				'Final-Recipient: rfc822; kunde@example.net',
				'Action: failed',
				'Status: 5.2.2',
				'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full',
				'--r',
				'Content-Type: text/rfc822-headers',
				'',
				'From: billing@shop.example',
				'To: kunde@example.net',
				messageIdLine,
				'--r--',
				'',
			].join('\r\n');
		const [cut] = await classifyMessage(withReturned('Message-ID: <dunning.2.0123456789abcdef', [`In-Reply-To: ${REMINDER_ID}`]));
		expect(cut.originalMessageId).toBe(REMINDER_ID);
		const [bare] = await classifyMessage(withReturned(`Message-ID: ${REMINDER_ID.slice(1, -1)}`));
		expect(bare.originalMessageId).toBe(REMINDER_ID);
		const [summaryBare] = await classifyMessage(summary([`  Message-ID: ${REMINDER_ID.slice(1, -1)}`]));
		expect(summaryBare.originalMessageId).toBe(REMINDER_ID);
	});

	/** Exchange Online's report of a remote server's refusal, with the Remote-MTA that answered. */
	const exchange = (remoteMta: string, reply: string, prose: string[] = []) =>
		[
			'From: Microsoft Outlook <postmaster@shop.example>',
			'To: billing@shop.example',
			'Subject: Undeliverable: 2. Mahnung',
			'MIME-Version: 1.0',
			'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
			'',
			'--r',
			'Content-Type: text/plain',
			'',
			'Delivery has failed to these recipients or groups: kunde@example.net',
			`Remote Server returned '${reply}'`,
			...prose,
			'--r',
			'Content-Type: message/delivery-status',
			'',
			'Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.outlook.com',
			'',
			'Final-Recipient: rfc822;kunde@example.net',
			'Action: failed',
			`Status: ${/\b5\.\d\.\d{1,3}\b/.exec(reply)?.[0] ?? '5.0.0'}`,
			`Remote-MTA: dns;${remoteMta}`,
			`Diagnostic-Code: smtp;${reply}`,
			'--r',
			...returned,
			'--r--',
			'',
		].join('\r\n');

	it("\"Domain not found\" that a remote server answered (Remote-MTA, smtp Diagnostic-Code) does not prove the domain gone, whichever server it was", async () => {
		const reply = '550 5.1.2 <kunde@example.net>: Recipient address rejected: Domain not found';
		const [own] = await classifyMessage(exchange('mx.example.net', reply));
		expect(own).toMatchObject({ recipient: 'kunde@example.net', reason: 'hostunknown', category: 'recipientRefused' });
		// RFC 3464 §2.3.5-2.3.6: the reply is that server's, as under Postfix's "host … said:"; whether it was
		// reached through the domain's MX (a hoster's that no longer serves it) or is a relay does not show.
		const [relay] = await classifyMessage(exchange('smtp.relay-provider.example', reply));
		expect(relay).toMatchObject({ recipient: 'kunde@example.net', reason: 'hostunknown', category: 'recipientRefused' });
	});

	it('"Relay access denied" or "Authentication Required" stays a refusal of our sender also from a host below the recipient\'s domain when that is a mailbox provider\'s (our relay at the customer\'s provider: smtp.gmail.com for @gmail.com)', async () => {
		const atGmail = (text: string) => text.replace(/kunde@example\.net/g, 'kunde@gmail.com');
		const [relay] = await classifyMessage(atGmail(exchange('smtp.gmail.com', '554 5.7.1 <kunde@example.net>: Relay access denied')));
		expect(relay).toMatchObject({ recipient: 'kunde@gmail.com', reason: 'norelaying', category: 'senderRejected' });
		const [login] = await classifyMessage(exchange('smtp.example.net', '530 5.7.0 Authentication Required'));
		expect(login.category).toBe('senderRejected');
		// A business's own MX that refuses to relay for its own domain does not serve it: their set-up.
		const [ownMx] = await classifyMessage(exchange('mx2.example.net', '554 5.7.1 <kunde@example.net>: Relay access denied'));
		expect(ownMx).toMatchObject({ reason: 'norelaying', category: 'recipientRefused' });
	});

	it("Microsoft 365's host for the customer's domain answers for it also with the domain's hyphens dropped and a suffix (grupogee-com01c for grupo-gee.com)", async () => {
		const reply = '550 5.1.2 <kunde@example.net>: Recipient address rejected: Domain not found';
		const [eop] = await classifyMessage(exchange('examplenet01c.mail.protection.outlook.com', reply));
		expect(eop).toMatchObject({ recipient: 'kunde@example.net', reason: 'hostunknown', category: 'recipientRefused' });
	});

	it("Exchange Online's 5.4.310 is its DNS verdict on the domain, whatever its advice says it \"may\" be (misspelled, expired)", async () => {
		const [r] = await classifyMessage(
			exchange('example.net', '550 5.4.310 DNS domain example.net does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName=example.net]', [
				"Office 365 couldn't find the domain example.net in DNS. The domain may be misspelled, expired or unregistered.",
			]),
		);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', reason: 'hostunknown', category: 'addressDead' });
		// The name that does not exist is another host (our smart host, the domain's MX target): the domain exists.
		const [other] = await classifyMessage(exchange('example.net', '550 5.4.310 DNS domain relay.shop.example does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName=relay.shop.example]'));
		expect(other).toMatchObject({ recipient: 'kunde@example.net', category: 'recipientRefused' });
	});
});

describe('probe round CR–CW: report headers before auto-reply marks, words of more languages, forwards from the customer, UTF-8 addresses', () => {
	const plain = (headers: string[], body: string[]) => [...headers, 'To: billing@shop.example', 'Content-Type: text/plain; charset=utf-8', '', ...body, ''].join('\r\n');
	const eximBody = ['A message that you sent could not be delivered to one or more of its', 'recipients. This is a permanent error. The following address(es) failed:', '', '  kunde@example.net', '    host mx.example.net [192.0.2.5]', '    SMTP error from remote mail server after RCPT TO:<kunde@example.net>:', '    550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown', '', '------ This is a copy of the message, including all the headers. ------', '', `Message-ID: ${RETURNED_REMINDER_ID}`, 'X-Dunning-Invoice: INV-9', 'Subject: 2. Mahnung'];

	it("Exim's report sent from an ordinary mailbox (its dsn_from) and marked auto-replied is a report: X-Failed-Recipients says so", async () => {
		const headers = ['Return-Path: <>', 'From: IT-Betrieb <it-betrieb@example.net>', 'Subject: Mail delivery failed: returning message to sender', 'Auto-Submitted: auto-replied'];
		const [r] = await classifyMessage(plain([...headers, 'X-Failed-Recipients: kunde@example.net'], eximBody));
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', category: 'addressDead', originalMessageId: RETURNED_REMINDER_ID });
		// The same report that mentions a quarantine stays a failure, no digest.
		const held = eximBody.map((l) => l.replace('550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown', '550 5.7.1 Message quarantined: the recipient will find it in the next spam quarantine digest and may release it'));
		const [q] = await classifyMessage(plain(['Return-Path: <>', 'From: Mail Delivery System <Mailer-Daemon@mail.shop.example>', 'Subject: Mail delivery failed: returning message to sender', 'Auto-Submitted: auto-replied', 'X-Failed-Recipients: kunde@example.net'], held.filter((l) => !/Message-ID|X-Dunning|Subject: 2/.test(l))));
		expect(q).toMatchObject({ isBounce: true, recipient: 'kunde@example.net' });
		expect(['recipientRefused', 'senderRejected']).toContain(q.category);
	});

	it("a small server's report from the customer's info@, marked auto-replied, quoting a refusal of another address is a report; an autoresponder quoting a refusal of its own address is that mailbox answering", async () => {
		const body = ['Your message did not reach some or all of the intended recipients.', '', '   Subject: 2. Mahnung', '', 'The following recipient(s) could not be reached:', '', '      kunde@example.net on 09.03.2026 09:01', '            550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown'];
		const headers = (from: string) => ['Return-Path: <>', `From: Kunde GmbH <${from}>`, 'Subject: Undeliverable: 2. Mahnung', `In-Reply-To: ${RETURNED_REMINDER_ID}`, 'Auto-Submitted: auto-replied'];
		const [report] = await classifyMessage(mixedNotice(headers('info@example.net'), [['Content-Type: text/plain', '', ...body], RETURNED_REMINDER]));
		expect(report).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', category: 'addressDead' });
		const [own] = await classifyMessage(mixedNotice(headers('kunde@example.net'), [['Content-Type: text/plain', '', ...body], RETURNED_REMINDER]));
		expect(own.isBounce).toBe(false);
		expect(['autoReply', 'reply']).toContain(own.category);
	});

	it('an auto-reply that quotes a refusal code but returns no message (an old address "will answer 550 5.1.1") stays an auto-reply', async () => {
		const raw = plain(['Return-Path: <>', 'From: Einkauf <einkauf@kunde-alt.example>', 'Subject: Automatic reply: 2. Mahnung', `In-Reply-To: ${RETURNED_REMINDER_ID}`, 'Auto-Submitted: auto-replied'], [
			'Sehr geehrte Geschäftspartner,',
			'',
			'ab dem 01.04.2026 werden E-Mails an unsere alte Domain kunde-alt.example mit',
			'550 5.1.1 User unknown zurückgewiesen. Bitte schreiben Sie an: einkauf@kunde-neu.example',
		]);
		const [r] = await classifyMessage(raw);
		expect(r.isBounce).toBe(false);
		expect(r.category).not.toBe('addressDead');
	});

	it("qmail's bouncesaying for an address its owner retired (dot-qmail(5): \"This address no longer accepts mail.\") is a dead address", async () => {
		const body = ['Hi. This is the qmail-send program at mail.example.net.', "I'm afraid I wasn't able to deliver your message to the following addresses.", "This is a permanent error; I've given up. Sorry it didn't work out.", '', '<kunde@example.net>:', 'This address no longer accepts mail.', '', '--- Below this line is a copy of the message.', '', `Message-ID: ${RETURNED_REMINDER_ID}`, 'X-Dunning-Invoice: INV-9'];
		const [r] = await classifyMessage(plain(['Return-Path: <>', 'From: MAILER-DAEMON@mail.example.net', 'Subject: failure notice'], body));
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', category: 'addressDead', originalMessageId: RETURNED_REMINDER_ID });
	});

	it("a sending service's VERP return path (bounce-…@bounces.…) is no mail system: a parcel notice in Greek is no report", async () => {
		const raw = plain(['Return-Path: <bounces+1123@em.courier.example>', 'From: Courier <noreply@courier.example>', 'Subject: Η αποστολή σας δεν παραδόθηκε'], ['Αγαπητέ πελάτη, η αποστολή σας δεν παραδόθηκε.', 'Επικοινωνήστε μαζί μας στο info@courier.example.']);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: false, category: 'none' });
	});

	it('French: a delay notice ("Remise différée") is a delay, and a final report that recalls it and says no retry follows is final', async () => {
		const notice = (subject: string, body: string[]) =>
			mixedNotice(['Return-Path: <>', 'From: Mail Delivery System <MAILER-DAEMON@relais.example>', `Subject: ${subject}`, 'Auto-Submitted: auto-replied'], [['Content-Type: text/plain; charset=utf-8', '', ...body], RETURNED_REMINDER]);
		const [delay] = await classifyMessage(notice('Remise différée : 2. Mahnung', ["Votre message à kunde@example.net n'a pas encore été remis.", 'De nouvelles tentatives de remise seront effectuées pendant 4 jours.']));
		expect(delay).toMatchObject({ isBounce: true, category: 'delayed', final: false });
		const [final] = await classifyMessage(
			notice('Échec de la remise : 2. Mahnung', [
				"Le 02/03/2026 nous vous avions informé que votre message à kunde@example.net n'a pas encore été remis et que de nouvelles tentatives de remise seront effectuées.",
				"Aucune nouvelle tentative ne sera effectuée : le message a été supprimé de la file d'attente.",
			]),
		);
		expect(final).toMatchObject({ isBounce: true, final: true });
		expect(final.category).not.toBe('delayed');
	});

	it.each([
		['Spanish Exchange', 'Sin entregar: 2. Mahnung', 'No se puede localizar a los destinatarios siguientes:'],
		['Italian', 'Impossibile recapitare il messaggio: 2. Mahnung', 'Destinatari:'],
		['Turkish (capital dotted İ, which /i does not fold)', 'İletilemedi: 2. Mahnung', 'İletiniz aşağıdaki alıcıya ulaştırılamadı:'],
		['Greek', 'Αδυναμία παράδοσης: 2. Mahnung', 'Το μήνυμά σας προς τους παρακάτω παραλήπτες:'],
		['MDaemon in Spanish', 'Fallo permanente de entrega: 2. Mahnung', 'Destinatario:'],
		['Chinese', '邮件未送达: 2. Mahnung', '您发送的邮件未能送达以下收件人:'],
	])("%s: a mail system's notice returning our reminder is a report", async (_lang, subject, line) => {
		const raw = mixedNotice(['Return-Path: <>', 'From: Postmaster <postmaster@example.net>', `Subject: ${subject}`], [['Content-Type: text/plain; charset=utf-8', '', line, '', '   kunde@example.net'], RETURNED_REMINDER]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', originalMessageId: RETURNED_REMINDER_ID });
	});

	it('a French text that the mail "n\'a pu etre envoye" (a hoster\'s unaccented notice) is a report', async () => {
		const raw = mixedNotice(['Return-Path: <>', 'From: Le Serveur Mail <serveur-mail@hoster.example>', "Subject: [Important] Impossible d'envoyer l'email"], [
			['Content-Type: text/plain', '', "Nous sommes desoles de vous informer que l'email n'a pu etre envoye.", '', '<kunde@example.net>: Host or domain name not found. Name service error', '    for name=example.net type=AAAA: Host not found'],
			RETURNED_REMINDER,
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', reason: 'hostunknown' });
	});

	it("Exim's German delay template (\"Es werden weitere Zustellversuche unternommen\") is a delay", async () => {
		const body = ['Diese Nachricht wurde automatisch erstellt.', '', 'Ihre Nachricht an kunde@example.net konnte bisher nicht zugestellt werden.', 'Es werden weitere Zustellversuche unternommen.', '', '  kunde@example.net', '    Delay reason: SMTP error from remote mail server after RCPT TO:<kunde@example.net>:', '    451 4.7.1 Greylisted, please try again later'];
		const [r] = await classifyMessage(mixedNotice(['Return-Path: <>', 'From: Mail Delivery System <Mailer-Daemon@mail.shop.example>', 'Subject: Warnung: Nachricht noch nicht zugestellt'], [['Content-Type: text/plain; charset=utf-8', '', ...body], RETURNED_REMINDER]));
		expect(r).toMatchObject({ isBounce: true, category: 'delayed', final: false });
	});

	it("Exchange's French delay notice without a report part is a delay, not a final failure", async () => {
		const body = ['kunde@example.net (kunde@example.net)', '', "Ce message n'a pas encore été remis. De nouvelles tentatives de remise seront effectuées.", '', "Server at mx.example.net (192.0.2.21) returned '400 4.4.7 Message delayed'"];
		const raw = mixedNotice(['Return-Path: <>', 'From: Microsoft Outlook <postmaster@shop.example>', 'Subject: Remise retardée : 2. Mahnung'], [['Content-Type: text/plain; charset=utf-8', '', ...body], RETURNED_REMINDER]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', category: 'delayed', final: false });
	});

	it("a global (UTF-8) read receipt (RFC 6533's message/global-disposition-notification) is a receipt, not a person's reply", async () => {
		const raw = [
			'From: Kunde <kunde@example.net>',
			'To: billing@shop.example',
			'Subject: Return Receipt (displayed) - 2. Mahnung',
			`In-Reply-To: ${RETURNED_REMINDER_ID}`,
			'MIME-Version: 1.0',
			'Content-Type: multipart/report; report-type=disposition-notification; boundary="r"',
			'',
			'--r',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'This is a Return Receipt for the mail that you sent to kunde@example.net.',
			'',
			'--r',
			'Content-Type: message/global-disposition-notification',
			'',
			'Final-Recipient: rfc822;kunde@example.net',
			`Original-Message-ID: ${RETURNED_REMINDER_ID}`,
			'Disposition: manual-action/MDN-sent-manually; displayed',
			'',
			'--r--',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: false, category: 'none' });
	});

	it('an address with accents in a report without a report part is read whole (RFC 6531), not from its last accent on', async () => {
		const raw = mixedNotice(['Return-Path: <>', 'From: Mail Delivery System <MAILER-DAEMON@mail.shop.example>', 'Subject: Undelivered Mail Returned to Sender'], [
			['Content-Type: text/plain; charset=utf-8', '', 'I\'m sorry to have to inform you that your message could not', 'be delivered to one or more recipients.', '', '<müller@bäckerei.example>: host mx.example.net[192.0.2.5] said: 550 5.1.1', '    <müller@bäckerei.example>: Recipient address rejected: User unknown (in reply to', '    RCPT TO command)'],
			RETURNED_REMINDER,
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'müller@bäckerei.example', category: 'addressDead' });
	});
});

describe('probe EG: charsets and a mail system\'s unread notice', () => {
	const report = (body: Buffer, extraHeaders: string[] = []) =>
		Buffer.concat([
			Buffer.from(['Return-Path: <>', 'From: Mail Delivery System <MAILER-DAEMON@mx.kunde.example>', 'To: billing@shop.example', 'Subject: Mail delivery failed', ...extraHeaders, 'Content-Type: text/plain', 'Content-Transfer-Encoding: 8bit', '', ''].join('\r\n')),
			body,
		]);

	it('unlabelled 8-bit text is read line by line: one windows-1252 line leaves the UTF-8 words of the others', async () => {
		const body = Buffer.concat([
			Buffer.from('Diese Nachricht wurde automatisch erstellt.\r\n', 'utf8'),
			Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65, 0x0d, 0x0a]),
			Buffer.from('  kunde@kunde.example\r\n    SMTP error from remote mail server after RCPT TO:<kunde@kunde.example>:\r\n    550 Empfänger unbekannt\r\n', 'utf8'),
		]);
		const [r] = await classifyMessage(report(body, ['X-Failed-Recipients: kunde@kunde.example']));
		expect(r).toMatchObject({ recipient: 'kunde@kunde.example', reason: 'userunknown' });
		expect(r.diagnostic).toContain('Empfänger unbekannt');
		// RFC 1428's "unknown-8bit" says no more than no label.
		const cp1252Body = Buffer.from('  kunde@kunde.example\r\n    SMTP error from remote mail server after RCPT TO:<kunde@kunde.example>:\r\n    550 Empfänger unbekannt\r\n', 'latin1');
		const unknown8bit = Buffer.from(report(cp1252Body, ['X-Failed-Recipients: kunde@kunde.example']).toString('latin1').replace('Content-Type: text/plain', 'Content-Type: text/plain; charset=unknown-8bit'), 'latin1');
		expect((await classifyMessage(unknown8bit))[0].diagnostic).toContain('Empfänger unbekannt');
	});

	it('a mail system\'s notice marked auto-replied (as Exim marks its reports) that reads as no report is no one\'s absence: not an auto-reply (delivered)', async () => {
		// A Russian delay notice whose words no rule knows, returning our reminder's header.
		const notice = [
			'Return-Path: <>',
			'From: MAILER-DAEMON@mx.kunde.example',
			'To: billing@shop.example',
			'Subject: Delivery notice',
			'Auto-Submitted: auto-replied',
			'Content-Type: multipart/mixed; boundary="b"',
			'',
			'--b',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Ваше сообщение пока не доставлено получателю: <ivanov@kunde.example>',
			'--b',
			'Content-Type: text/rfc822-headers',
			'',
			'Message-ID: <dunning.1.3f9a2c7e5b1d4a6f8e0c2b4d6f8a1c3e@shop.example>',
			'X-Dunning-Invoice: RE-1',
			'--b--',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(notice);
		expect(r).toMatchObject({ invoiceId: 'RE-1' });
		expect(r.category).not.toBe('autoReply');
		// A person's out-of-office is one, also when our server wrote its null envelope as "Return-Path:
		// <MAILER-DAEMON>" (RFC 3834 §3.3); a notice that the contact is gone is for a person to read.
		const absence = (from: string, text: string) =>
			['Return-Path: <MAILER-DAEMON>', `From: ${from}`, 'To: billing@shop.example', 'Subject: Automatische Antwort: 2. Mahnung', 'Auto-Submitted: auto-replied', 'In-Reply-To: <dunning.1.3f9a2c7e5b1d4a6f8e0c2b4d6f8a1c3e@shop.example>', 'Content-Type: text/plain; charset=utf-8', '', text, ''].join('\r\n');
		expect((await classifyMessage(absence('Anna Kunde <anna@kunde.example>', 'Ich bin bis zum 20.03. nicht im Büro.')))[0].category).toBe('autoReply');
		expect((await classifyMessage(absence('Mail Delivery System <postmaster@kunde.example>', 'Frau Schulz ist nicht mehr für uns tätig. Bitte senden Sie Rechnungen an rechnung@kunde.example.')))[0].category).toBe('reply');
	});
});

describe('probe EJ: e-invoicing gateways and ticket systems that refuse a reminder', () => {
	it('a notice from an ordinary sender with a failure subject over our returned reminder is no report when its text says nothing failed (our encryption gateway delivering unencrypted)', async () => {
		const notice = mixedNotice(
			['Return-Path: <no-reply@gateway.shop.example>', 'From: Encryption Gateway <no-reply@gateway.shop.example>', 'Subject: Encryption failed: 2. Mahnung', 'Auto-Submitted: auto-generated'],
			[
				['Content-Type: text/plain', '', 'Encryption failed for einkauf@kunde.example. Following policy the message was delivered unencrypted.'],
				['Content-Type: text/rfc822-headers', '', ...RETURNED_REMINDER.slice(2, 8)],
			],
		);
		expect((await classifyMessage(notice))[0]).toMatchObject({ isBounce: false, category: 'none' });
	});

	it('a ticket system\'s automatic answer that refused our follow-up (Znuny\'s default reject response) is not delivered, not an arrival', async () => {
		const refusal = ['Your previous ticket is closed.', '', '-- Your follow-up has been rejected. --', '', 'Please create a new ticket.'];
		const answer = (autoSubmitted: string, subject: string, text = refusal) =>
			[
				'Return-Path: <>',
				'From: Kunde Buchhaltung <buchhaltung@kunde.example>',
				'To: billing@shop.example',
				`Subject: ${subject}`,
				`In-Reply-To: ${RETURNED_REMINDER_ID}`,
				`Auto-Submitted: ${autoSubmitted}`,
				'Content-Type: text/plain; charset=utf-8',
				'',
				...text,
				'',
			].join('\r\n');
		const [replied] = await classifyMessage(answer('auto-replied', 'Your email has been rejected! (RE: 2. Mahnung)'));
		expect(replied).toMatchObject({ category: 'recipientRefused', reason: 'filtered', recipient: 'buchhaltung@kunde.example', originalMessageId: RETURNED_REMINDER_ID });
		// An acknowledgement under another subject stays an auto-reply (the reminder arrived).
		expect((await classifyMessage(answer('auto-replied', 'Ihre Anfrage [Ticket#2026031010000123]', ['Vielen Dank, Ihre Nachricht ist als Ticket#2026031010000123 eingegangen.'])))[0]).toMatchObject({ category: 'autoReply' });
		// The subject may name the address it was sent to.
		for (const subject of ['Ihre E-Mail an rechnung@kunde.example wurde abgelehnt', 'Your message to invoices@kunde.example was rejected']) {
			expect((await classifyMessage(answer('auto-replied', subject)))[0]).toMatchObject({ category: 'recipientRefused', reason: 'filtered' });
		}
	});
});
