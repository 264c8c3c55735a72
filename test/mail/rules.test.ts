import { isValidAddress } from '../../lib/mail/address';
import { assertHeaderValue, HeaderValueError } from '../../lib/mail/header-value';
import { buildReminderMessage, randomMessageId, reminderMessageId } from '../../lib/mail/message';
import { DEFAULT_FIELD_NAMES, readReminderItem, readReminderValues, ReminderInputError } from '../../lib/mail/reminder-item';
import { classifySmtpError, stopsRun } from '../../lib/mail/smtp-error';
import { nodemailerAuth, smtpClientOptions } from '../../lib/mail/smtp-options';
import { backoffMs, sleep, AbortedError } from '../../lib/mail/throttle';

const at = { host: 'smtp.example.com', port: 587, user: 'shop@example.com' };

describe('SMTP error classification', () => {
	test.each([
		[{ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 User unknown', command: 'RCPT TO' }, 'rejected', false],
		[{ code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 Spam', command: 'DATA' }, 'rejected', false],
		[{ code: 'EENVELOPE', responseCode: 451, response: '451 4.7.1 Greylisted', command: 'RCPT TO' }, 'temporary', false],
		[{ code: 'EENVELOPE', responseCode: 553, response: '553 5.7.1 Sender address rejected: not owned by user', command: 'MAIL FROM' }, 'sender', true],
		[{ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Bad credentials', command: 'AUTH PLAIN' }, 'auth', true],
		[{ code: 'EAUTH', responseCode: 454, response: '454 4.7.0 Temporary authentication failure', command: 'AUTH PLAIN' }, 'authUnavailable', true],
		[{ code: 'EENVELOPE', responseCode: 530, response: '530 5.7.0 Must issue a STARTTLS command first', command: 'MAIL FROM' }, 'tls', true],
		[{ code: 'EAUTH', responseCode: 451, response: '451 4.3.0 Try again later', command: 'AUTH LOGIN' }, 'authUnavailable', true],
		[{ code: 'EDNS', originalCode: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND smtp.example.com', command: 'CONN' }, 'dns', true],
		[{ code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED', command: 'CONN' }, 'connect', true],
		[{ code: 'ETIMEDOUT', message: 'Greeting never received', command: 'CONN' }, 'connect', true],
		[{ code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number', command: 'CONN' }, 'tls', true],
		[{ code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate', command: 'CONN' }, 'tls', true],
		[{ code: 'ECONNECTION', message: 'Connection closed unexpectedly', command: 'CONN' }, 'connectionLost', false],
		[{ code: 'ECONNECTION', responseCode: 421, response: '421 4.4.2 Timeout', command: 'CONN' }, 'connectionLost', false],
	])('%j → %s', (error, kind, stops) => {
		const failure = classifySmtpError(error, at);
		expect(failure.kind).toBe(kind);
		expect(stopsRun(failure.kind)).toBe(stops);
	});

	test('a refusal of the message keeps the command it answered; other failures name none', () => {
		expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 User unknown', command: 'RCPT TO' }, at).command).toBe('RCPT TO');
		expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 spam', command: 'DATA' }, at).command).toBe('DATA');
		expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 451, response: '451 4.3.0 try later', command: 'RCPT TO' }, at).command).toBe('RCPT TO');
		expect(classifySmtpError({ code: 'EAUTH', responseCode: 535, response: '535 no', command: 'AUTH PLAIN' }, at).command).toBeUndefined();
		expect(classifySmtpError({ code: 'EMESSAGE', message: 'Empty message', command: 'API' }, at).command).toBeUndefined();
	});

	test('messages name the cause in words', () => {
		expect(classifySmtpError({ code: 'EDNS', originalCode: 'ENOTFOUND', command: 'CONN' }, at).message).toMatch(/^Host not found: "smtp.example.com"/);
		expect(classifySmtpError({ code: 'ETIMEDOUT', command: 'CONN' }, at).message).toMatch(/timed out .*port blocked\?/);
		expect(classifySmtpError({ code: 'EAUTH', responseCode: 535, response: '535 no', command: 'AUTH LOGIN' }, at).message).toMatch(/app password/);
	});
});

describe('addresses and header values', () => {
	test.each(['kunde@example.com', 'a.b+tag@sub.example.co.uk', 'müller@beispiel.de', 'x@xn--bcher-kva.example'])('%s is valid', (a) => expect(isValidAddress(a)).toBe(true));
	test.each(['', 'kunde', 'kunde@', '@example.com', 'a b@example.com', 'a@example', 'a..b@example.com', 'a@-x.com', 'a@example.c0m', 'a@example.com\r\nBcc: x@y.z'])(
		'%j is not valid',
		(a) => expect(isValidAddress(a)).toBe(false),
	);
	test('CR or LF in a header value is refused, naming the field', () => {
		expect(() => assertHeaderValue('subject', 'Hi\r\nBcc: x@y.z')).toThrow(new HeaderValueError('subject', 'The subject contains a line break (CR or LF); header values must be a single line'));
		expect(() => assertHeaderValue('sender name', 'Shop\nX')).toThrow(/sender name contains a line break/);
		expect(assertHeaderValue('subject', 'Zahlungserinnerung – Rechnung 1')).toBe('Zahlungserinnerung – Rechnung 1');
	});
	test.each(['0001', '0008', '001B', '001F', '007F'])('the control character U+%s is refused, naming the field and the character', (hex) => {
		const char = String.fromCharCode(Number.parseInt(hex, 16));
		expect(() => assertHeaderValue('subject', `Mahnung${char}[31m RE-7`)).toThrow(
			new HeaderValueError('subject', `The subject contains the control character U+${hex}; header values must be plain text`),
		);
	});
	test.each([
		['0096', ' (in Windows-1252 that byte is "–": was the text exported in Windows-1252 and read as Latin-1?)'],
		['0080', ' (in Windows-1252 that byte is "€": was the text exported in Windows-1252 and read as Latin-1?)'],
		// No character of Windows-1252 there: named plainly.
		['0081', ''],
		['0085', ' (in Windows-1252 that byte is "…": was the text exported in Windows-1252 and read as Latin-1?)'],
	])('the C1 control U+%s is refused, with what it was in Windows-1252', (hex, hint) => {
		expect(() => assertHeaderValue('subject', `Mahnung ${String.fromCodePoint(parseInt(hex, 16))} Rechnung 1`)).toThrow(
			new HeaderValueError('subject', `The subject contains the control character U+${hex}${hint}; header values must be plain text`),
		);
	});
	test.each(['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069'])('the bidi control U+%s is refused, naming the field and the character', (hex) => {
		const char = String.fromCharCode(Number.parseInt(hex, 16));
		expect(() => assertHeaderValue('attachment file name', `Rechnung-${char}fdp.exe`)).toThrow(
			new HeaderValueError(
				'attachment file name',
				`The attachment file name contains the bidirectional control character U+${hex}, which makes text show in another order than it is written; header values must be plain text`,
			),
		);
	});
	test('a disguised attachment name or a control in a name fails the reminder, naming the field; TAB, right-to-left text and bidi marks stay allowed', async () => {
		for (const value of ['Rechnung\t1', 'שלום עולם', `Betrag ${new Intl.NumberFormat('ar-EG', { style: 'currency', currency: 'EUR' }).format(10)}`, 'a\u200eb\u200fc']) {
			expect(assertHeaderValue('subject', value)).toBe(value);
		}
		const base = { sender: { address: 'shop@example.com' }, to: 'k@example.org', subject: 's', text: 't', invoiceId: 'i', level: 1, runId: 'r' };
		await expect(buildReminderMessage({ ...base, attachments: [{ filename: 'Rechnung-\u202efdp.exe', contentType: 'application/pdf', content: Buffer.alloc(1) }] })).rejects.toThrow(
			/^The attachment file name contains the bidirectional control character U\+202E/,
		);
		await expect(buildReminderMessage({ ...base, sender: { address: 'shop@example.com', name: 'Shop\u007f' } })).rejects.toThrow(/^The sender name contains the control character U\+007F/);
		await expect(buildReminderMessage({ ...base, to: [{ address: 'k@example.org', name: 'Anna\u2067' }] })).rejects.toThrow(/^The recipient name contains the bidirectional control character U\+2067/);
	});
	test('a recipient name with a bidi control goes on paper, as one with a line break or control does', () => {
		const item = { invoiceId: 7, dueDate: '2026-02-01', openAmount: 99.5, dunning: { level: 2, deadline: '2026-03-01' } };
		for (const email of ['Anna\nX <k@example.org>', 'Anna\u001b <k@example.org>', 'Anna \u202eredienst <k@example.org>', '"Anna\u2066" <k@example.org>, b@example.org']) {
			expect(readReminderItem({ ...item, email })).toMatchObject({ kind: 'paper', reason: 'invalidEmail' });
		}
		expect(readReminderItem({ ...item, email: 'Anna Schmidt <k@example.org>' })).toMatchObject({ kind: 'email' });
	});
	test('every header-bearing input of a reminder is checked', async () => {
		const base = { sender: { address: 'shop@example.com' }, to: 'k@example.org', subject: 's', text: 't', invoiceId: 'i', level: 1, runId: 'r' };
		await expect(buildReminderMessage({ ...base, sender: { address: 'shop@example.com', name: 'Shop\r\nX-Evil: 1' } })).rejects.toThrow(/sender name/);
		await expect(buildReminderMessage({ ...base, sender: { address: 'shop@example.com', replyTo: 'a@b.example\nBcc: c@d.example' } })).rejects.toThrow(/reply-to address/);
		await expect(buildReminderMessage({ ...base, invoiceId: 'i\r\n' })).rejects.toThrow(/invoice id/);
		await expect(buildReminderMessage({ ...base, attachments: [{ filename: 'a\n.pdf', contentType: 'application/pdf', content: Buffer.alloc(1) }] })).rejects.toThrow(/attachment file name/);
		await expect(buildReminderMessage({ ...base, to: 'nope' })).rejects.toThrow(/recipient address "nope" is not a valid/);
	});
	test('a header value that no server could keep on one line is refused, naming the field (RFC 5322: 998 characters a line)', async () => {
		const base = { sender: { address: 'shop@example.com' }, to: 'k@example.org', subject: 's', text: 't', invoiceId: 'i', level: 1, runId: 'r' };
		await expect(buildReminderMessage({ ...base, invoiceId: 'A'.repeat(3000) })).rejects.toThrow(new HeaderValueError('invoice id', 'The invoice id has 3000 characters without a space; a mail header holds at most 900 in one piece'));
		await expect(buildReminderMessage({ ...base, subject: `Mahnung ${'9'.repeat(901)}` })).rejects.toThrow(/^The subject has 901 characters without a space/);
		// Long with spaces folds: a collective reminder's list of fifty invoice numbers goes out.
		const many = Array.from({ length: 50 }, (_, k) => `RE-2026-${String(k).padStart(5, '0')}`).join(', ');
		const message = await buildReminderMessage({ ...base, subject: `Zahlungserinnerung ${many}`, invoiceId: many });
		const head = message.raw.toString('latin1').split('\r\n\r\n')[0];
		expect(Math.max(...head.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(998);
	});
	test('the Date header is when the message is composed to go out, not when the run built it', async () => {
		const base = { sender: { address: 'shop@example.com' }, to: 'k@example.org', subject: 's', text: 't', invoiceId: 'i', level: 1, runId: 'r' };
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: new Date('2026-03-02T08:00:00Z') });
		try {
			const message = await buildReminderMessage(base);
			jest.setSystemTime(new Date('2026-03-02T08:49:00Z'));
			expect(message.raw.toString('latin1')).toMatch(/^Date: Mon, 02 Mar 2026 08:49:00 \+0000\r$/m);
		} finally {
			jest.useRealTimers();
		}
	});
	test('Message-ID: under the sender’s domain, stable per (sender, invoice, level)', () => {
		const id = reminderMessageId('Shop@Example.com', 'inv-1', 2);
		expect(id).toMatch(/^<dunning\.2\.[0-9a-f]{32}@example\.com>$/);
		expect(reminderMessageId('shop@example.com', 'inv-1', 2)).toBe(id);
		expect(reminderMessageId('shop@example.com', 'inv-1', 3)).not.toBe(id);
		// An umlaut domain in A-labels, as in From: no raw UTF-8 in a header without SMTPUTF8.
		expect(reminderMessageId('mahnung@müller.de', 'inv-1', 2)).toMatch(/^<dunning\.2\.[0-9a-f]{32}@xn--mller-kva\.de>$/);
		expect(randomMessageId('mahnung@Müller.de')).toMatch(/@xn--mller-kva\.de>$/);
	});
	test('Message-ID: a ledger row of its own for a level released again, stable for the row', () => {
		const first = reminderMessageId('shop@example.com', 'inv-1', 2, '17');
		expect(first).toMatch(/^<dunning\.2\.[0-9a-f]{32}@example\.com>$/);
		expect(reminderMessageId('shop@example.com', 'inv-1', 2, '17')).toBe(first);
		expect(reminderMessageId('shop@example.com', 'inv-1', 2, '18')).not.toBe(first);
		expect(first).not.toBe(reminderMessageId('shop@example.com', 'inv-1', 2));
	});
});

describe('reading reminder items', () => {
	const item = { invoiceId: 7, email: ' k@example.org ', dueDate: '2026-02-01', openAmount: '99.5', dunning: { level: 2, fee: 5, deadline: '2026-03-01' } };
	test('defaults match Compute Dunning Level; total computed when missing', () => {
		const r = readReminderItem(item);
		expect(r).toMatchObject({ kind: 'email', to: 'k@example.org', currency: 'EUR', values: { invoiceId: '7', invoiceNumber: '7', level: 2, openAmount: 99.5, fee: 5, interest: 0, totalDue: 104.5 } });
	});
	test('paper without contacting anyone: no address, invalid, blocked', () => {
		expect(readReminderItem({ ...item, email: null })).toMatchObject({ kind: 'paper', reason: 'noEmail' });
		expect(readReminderItem({ ...item, email: 'x' })).toMatchObject({ kind: 'paper', reason: 'invalidEmail' });
		expect(readReminderItem({ ...item, emailBlocked: true })).toMatchObject({ kind: 'paper', reason: 'emailBlocked' });
	});
	test('values from APIs and databases are read as Compute Dunning Level passes them on: an address list, a one-language list, an SQL timestamp', () => {
		const r = readReminderItem({ ...item, email: ['a@example.org', ' b@example.org '], language: ['en'], dueDate: '2026-02-01 10:30' }, undefined, 'EUR', 'Europe/Berlin');
		expect(r).toMatchObject({ kind: 'email', to: 'a@example.org, b@example.org', language: 'en', values: { dueDate: '2026-02-01' } });
		expect(readReminderItem({ ...item, email: ['a@example.org', 7] })).toMatchObject({ kind: 'paper', reason: 'invalidEmail' });
	});
	test('a blocked address is read as Compute Dunning Level reads it: a sheet\'s "TRUE", 1 or "ja" never gets e-mail', () => {
		for (const blocked of ['TRUE', 'yes', 1, ' ja ', 'x']) expect(readReminderItem({ ...item, emailBlocked: blocked })).toMatchObject({ kind: 'paper', reason: 'emailBlocked' });
		for (const open of ['FALSE', 0, 'nein', '', null]) expect(readReminderItem({ ...item, emailBlocked: open })).toMatchObject({ kind: 'email' });
		expect(() => readReminderItem({ ...item, emailBlocked: 'maybe' })).toThrow('The field "emailBlocked" (emailBlocked) must be true or false, got "maybe"');
	});
	test('amounts and dates are read as Compute Dunning Level reads them: nothing negative, hex, infinite or impossible is mailed', () => {
		expect(() => readReminderItem({ ...item, openAmount: -100 })).toThrow('The field "openAmount" (openAmount) must not be negative (got -100)');
		expect(() => readReminderItem({ ...item, dunning: { ...item.dunning, fee: -5 } })).toThrow('The field "dunning.fee" (fee) must not be negative (got -5)');
		expect(() => readReminderItem({ ...item, openAmount: '0x1F' })).toThrow('The field "openAmount" (openAmount) must be a number with a decimal point, e.g. 120.50 (got "0x1F")');
		expect(() => readReminderItem({ ...item, openAmount: 1e308 })).toThrow(/"openAmount" \(openAmount\) is too large/);
		expect(() => readReminderItem({ ...item, openAmount: Number.POSITIVE_INFINITY })).toThrow('The field "openAmount" (openAmount) must be a finite number (got Infinity)');
		expect(() => readReminderItem({ ...item, openAmount: 0 })).toThrow('The field "openAmount" (openAmount) is 0: a paid invoice gets no reminder');
		expect(() => readReminderItem({ ...item, dueDate: '2026-02-30' })).toThrow('The field "dueDate" (dueDate) must be a date like 2026-03-01, got "2026-02-30"');
		expect(() => readReminderItem({ ...item, dunning: { ...item.dunning, deadline: '2026-13-45' } })).toThrow(/"dunning.deadline" \(deadline\) must be a date/);
		expect(readReminderItem({ ...item, openAmount: ' 99.50 ', dueDate: '2026-02-28T10:00:00+01:00' })).toMatchObject({ kind: 'email', values: { openAmount: 99.5 } });
		// A German ERP's dates, which Compute Dunning Level accepts, reach the templates as YYYY-MM-DD.
		expect(readReminderItem({ ...item, dueDate: '15.01.2026', invoiceDate: ' 02.12.2025 ' })).toMatchObject({ values: { dueDate: '2026-01-15', invoiceDate: '2025-12-02' } });
		// A timestamp is the day it is in the workflow's timezone, as Compute counted with it: local midnight stored as UTC.
		const berlin = readReminderItem({ ...item, dueDate: '2026-03-31T22:00:00.000Z', invoiceDate: new Date('2026-02-28T23:30:00Z') }, undefined, 'EUR', 'Europe/Berlin');
		expect(berlin).toMatchObject({ values: { dueDate: '2026-04-01', invoiceDate: '2026-03-01' } });
		expect(() => readReminderItem({ ...item, currency: '€' })).toThrow('The field "currency" (currency) must be a three-letter currency code (ISO 4217) such as EUR (got "€")');
		// Three letters that are no currency (a spreadsheet's error value, ISO's "no currency") would print as "100,00 NAN".
		expect(() => readReminderItem({ ...item, currency: 'NaN' })).toThrow('The field "currency" (currency) must be a three-letter currency code (ISO 4217) such as EUR (got "NaN")');
		expect(() => readReminderItem({ ...item, currency: 'xxx' })).toThrow(/must be a three-letter currency code \(ISO 4217\) such as EUR \(got "xxx", ISO 4217’s code for “no currency”\)/);
		expect(readReminderItem({ ...item, currency: ' chf ' })).toMatchObject({ currency: 'CHF' });
	});
	test('bad input names the field', () => {
		expect(() => readReminderItem({ ...item, dunning: { level: 0, deadline: '2026-03-01' } })).toThrow('The field "dunning.level" (level) must be a whole number of 1 or more, got 0');
		expect(() => readReminderItem({ ...item, openAmount: 'viel' })).toThrow(/"openAmount" \(openAmount\) must be a number/);
		expect(() => readReminderItem({ ...item, dueDate: '31.02.2026' })).toThrow('The field "dueDate" (dueDate) must be a date like 2026-03-01, got "31.02.2026"');
		expect(() => readReminderItem({ ...item, dueDate: '1 Feb 2026' })).toThrow(/"dueDate" \(dueDate\) must be a date like 2026-03-01/);
		expect(() => readReminderItem({ ...item, dunning: { level: 1 } })).toThrow(/"dunning.deadline" \(deadline\) is missing/);
	});

	// A customer group as Compute Dunning Level's "Group by Customer" writes it.
	const member = (id: string, openAmount: number, dueDate: string, dunning: Record<string, unknown> = {}) => ({
		invoiceId: id,
		invoiceNumber: `RE-${id}`,
		customerName: 'Erika Muster',
		email: 'k@example.org',
		dueDate,
		currency: 'EUR',
		openAmount,
		dunning: { level: 2, fee: 2.5, interest: 0.1, daysOverdue: 20, deadline: '2026-03-01', ...dunning },
	});
	const group = {
		customerId: 'C-1',
		email: 'k@example.org',
		language: 'de',
		invoices: [member('A1', 100.1, '2026-02-03'), member('A2', 50.2, '2026-02-01', { daysOverdue: 22 })],
		dunning: { action: 'send', level: 2, stageName: '1. Mahnung', count: 2, deadline: '2026-03-01', invoiceIds: ['A1', 'A2'] },
	};
	test('a customer group: one reminder covering every invoice, with exact sums', () => {
		const r = readReminderItem(group);
		expect(r).toMatchObject({
			kind: 'email',
			to: 'k@example.org',
			invoiceIds: ['A1', 'A2'],
			values: {
				invoiceId: 'A1, A2',
				invoiceNumber: 'RE-A1, RE-A2',
				invoiceDate: null,
				dueDate: '2026-02-01',
				openAmount: 150.3,
				fee: 5,
				interest: 0.2,
				totalDue: 155.5,
				level: 2,
				stageName: '1. Mahnung',
				daysOverdue: 22,
				customerName: 'Erika Muster',
				invoiceCount: 2,
			},
		});
		if (r.kind !== 'email') throw new Error('expected an email reminder');
		expect(r.values.invoices.map((l) => [l.invoiceNumber, l.openAmount, l.totalDue])).toEqual([
			['RE-A1', 100.1, 102.7],
			['RE-A2', 50.2, 52.8],
		]);
	});
	test('a customer group: a bad member is named; currencies are never added up', () => {
		expect(() => readReminderItem({ ...group, invoices: [group.invoices[0], { ...group.invoices[1], dueDate: '' }] })).toThrow(
			'The field "dueDate" (dueDate) of invoice 2 in "invoices" is missing or empty',
		);
		expect(() => readReminderItem({ ...group, invoices: [group.invoices[0], { ...group.invoices[1], currency: 'CHF' }] })).toThrow(/share a currency, got EUR and CHF/);
		expect(() => readReminderItem({ ...group, invoices: ['A1'] })).toThrow(/"invoices" must list invoice objects/);
		expect(readReminderItem({ ...group, email: '' })).toMatchObject({ kind: 'paper', reason: 'noEmail', invoiceId: 'A1, A2', level: 2 });
		// An invoice item with an "invoices" field of its own stays one invoice.
		expect(readReminderItem({ ...item, invoices: ['R-1', 'R-2'] })).toMatchObject({ kind: 'email', invoiceIds: ['7'], values: { invoiceCount: 1 } });
	});
	describe('the currency: the item\'s own, else the one Compute Dunning Level computed in (dunning.currency), else the node\'s default', () => {
		test('an invoice without a currency is in Compute\'s currency (its Default Currency, e.g. CHF), not in this node\'s EUR', () => {
			const chf = { ...item, dunning: { ...item.dunning, currency: 'CHF' } };
			expect(readReminderItem(chf, undefined, 'EUR')).toMatchObject({ kind: 'email', currency: 'CHF' });
			expect(readReminderValues(chf, undefined, 'EUR').currency).toBe('CHF');
			// Written as Compute writes it or not: the code is read as the field's is.
			expect(readReminderValues({ ...item, dunning: { ...item.dunning, currency: ' jpy ' } }).currency).toBe('JPY');
			// Its minor unit too: yen have no decimals.
			expect(readReminderValues({ ...item, openAmount: 100.4, dunning: { ...item.dunning, currency: 'JPY', fee: 5 } }).values).toMatchObject({ openAmount: 100, totalDue: 105 });
			// Neither given: the node's Default Currency, as before.
			expect(readReminderValues(item, undefined, 'GBP').currency).toBe('GBP');
			expect(readReminderValues({ ...item, dunning: { ...item.dunning, currency: '' } }, undefined, 'GBP').currency).toBe('GBP');
		});
		test('the same currency in both is that currency; a different one fails naming both fields', () => {
			expect(readReminderValues({ ...item, currency: 'chf', dunning: { ...item.dunning, currency: 'CHF' } }).currency).toBe('CHF');
			const message =
				'The field "currency" (currency) is EUR, but the field "dunning.currency" beside it is CHF: Compute Dunning Level computed the fees, interest and total in CHF, and a reminder must not print them in EUR. Run Compute Dunning Level again on the invoice as it is now (reading the same currency field as this node)';
			expect(() => readReminderItem({ ...item, currency: 'EUR', dunning: { ...item.dunning, currency: 'CHF' } })).toThrow(new ReminderInputError('currency', message));
			expect(() => readReminderValues({ ...item, currency: 'EUR', dunning: { ...item.dunning, currency: 'CHF' } })).toThrow(message);
			// A renamed currency field is named as configured.
			const fields = { ...DEFAULT_FIELD_NAMES, currency: 'waehrung' };
			expect(() => readReminderValues({ ...item, waehrung: 'USD', dunning: { ...item.dunning, currency: 'CHF' } }, fields)).toThrow(/^The field "waehrung" \(currency\) is USD, but the field "dunning.currency" beside it is CHF/);
			// The currency field set to dunning.currency itself reads that field once.
			expect(readReminderValues({ ...item, currency: 'EUR', dunning: { ...item.dunning, currency: 'CHF' } }, { ...DEFAULT_FIELD_NAMES, currency: 'dunning.currency' }).currency).toBe('CHF');
		});
		test('a dunning.currency that is no currency fails naming it, also beside a good currency field', () => {
			const bad = (currency: unknown, over: Record<string, unknown> = {}) => () => readReminderItem({ ...item, ...over, dunning: { ...item.dunning, currency } });
			expect(bad('NaN')).toThrow(new ReminderInputError('dunning.currency', 'The field "dunning.currency" must be a three-letter currency code (ISO 4217) such as EUR (got "NaN")'));
			expect(bad('XXX', { currency: 'EUR' })).toThrow(/^The field "dunning.currency" must be a three-letter currency code .*ISO 4217’s code for “no currency”/);
			expect(bad(978)).toThrow(/^The field "dunning.currency" must be a three-letter currency code \(ISO 4217\) such as EUR \(got 978\)$/);
		});
		test('a group: each invoice in its own or Compute\'s currency, else the group\'s; the group\'s must be its invoices\'', () => {
			const inChf = (m: Record<string, unknown>) => ({ ...m, currency: undefined, dunning: { ...(m.dunning as object), currency: 'CHF' } });
			const chfGroup = { ...group, invoices: group.invoices.map(inChf), dunning: { ...group.dunning, currency: 'CHF' } };
			expect(readReminderItem(chfGroup, undefined, 'EUR')).toMatchObject({ kind: 'email', currency: 'CHF', values: { totalDue: 155.5 } });
			// Invoices that state no currency at all are in the group's.
			const bare = (m: Record<string, unknown>) => ({ ...m, currency: undefined });
			expect(readReminderValues({ ...chfGroup, invoices: group.invoices.map(bare) }, undefined, 'EUR').currency).toBe('CHF');
			expect(() => readReminderValues({ ...chfGroup, invoices: [inChf(group.invoices[0]), { ...group.invoices[1], currency: 'EUR', dunning: { ...group.invoices[1].dunning, currency: 'CHF' } }] })).toThrow(
				/^The field "currency" \(currency\) of invoice 2 in "invoices" is EUR, but the field "dunning.currency" beside it is CHF/,
			);
			expect(() => readReminderValues({ ...group, dunning: { ...group.dunning, currency: 'CHF' } })).toThrow(
				new ReminderInputError('dunning.currency', 'The group\'s currency is CHF, but its invoices in "invoices" are in EUR: a reminder must not print amounts in another currency than they were added up in'),
			);
		});
	});
	test('an invoice listed twice in a group fails naming "invoices" and the invoice, also without a group total', () => {
		const twice = { ...group, invoices: [...group.invoices, group.invoices[0]] };
		const message = 'The field "invoices" lists the invoice with "invoiceId" "A1" twice, with the same due date and open amount (invoices 1 and 3): a reminder asks for each invoice once';
		expect(() => readReminderValues(twice)).toThrow(new ReminderInputError('invoices', message));
		expect(() => readReminderItem(twice)).toThrow(message);
		// The same ID as a number and as text is the same invoice.
		expect(() => readReminderValues({ ...group, invoices: [member('7', 1, '2026-02-01'), { ...member('8', 1, '2026-02-01'), invoiceId: 7 }] })).toThrow(/lists the invoice with "invoiceId" "7" twice, with the same due date and open amount \(invoices 1 and 2\)/);
		// Two instalments of one invoice (another due date or amount) are two open items, as Compute Dunning Level groups them.
		const instalments = readReminderValues({ ...group, dunning: { ...group.dunning, totalDue: null }, invoices: [member('7', 1, '2026-02-01'), member('7', 2, '2026-03-01')] });
		expect(instalments.values.invoices.map((l) => [l.invoiceId, l.dueDate])).toEqual([
			['7', '2026-02-01'],
			['7', '2026-03-01'],
		]);
	});
	test('an open amount that rounds to 0 in the currency is paid, as 0 is: no reminder for 0,00 €', () => {
		expect(() => readReminderValues({ ...item, openAmount: 0.004 })).toThrow('The field "openAmount" (openAmount) is 0.004, which rounds to 0 (the currency’s smallest unit is 0.01): a paid invoice gets no reminder');
		expect(() => readReminderValues({ ...item, currency: 'JPY', openAmount: '0.4' })).toThrow(/"openAmount" \(openAmount\) is 0.4, which rounds to 0 \(the currency’s smallest unit is 1\)/);
		expect(() => readReminderValues({ ...group, invoices: [group.invoices[0], { ...group.invoices[1], openAmount: 0.0049 }] })).toThrow(/"openAmount" \(openAmount\) of invoice 2 in "invoices" is 0.0049, which rounds to 0/);
		expect(readReminderValues({ ...item, openAmount: 0.005 }).values).toMatchObject({ openAmount: 0.01, totalDue: 5.01 });
		expect(readReminderValues({ ...item, currency: 'BHD', openAmount: 0.004 }).values).toMatchObject({ openAmount: 0.004, totalDue: 5.004 });
	});
	describe('every amount in the currency\'s minor unit: the printed lines add up to the printed total', () => {
		const amounts = (currency: string, openAmount: number, dunning: Record<string, unknown>) => readReminderValues({ ...item, currency, openAmount, dunning: { ...item.dunning, ...dunning } }).values;
		test('JPY has no decimals: 100.4 + 100.4 is ¥100 + ¥100 = ¥200', () => {
			expect(amounts('JPY', 100.4, { fee: 100.4 })).toMatchObject({ openAmount: 100, fee: 100, totalDue: 200 });
			expect(amounts('JPY', 10000, { fee: 5, interest: 0.6 })).toMatchObject({ openAmount: 10000, fee: 5, interest: 1, totalDue: 10006 });
		});
		test('BHD and KWD have three: 10.004 + 0.004 + 0.004 is 10.012, not 10.00', () => {
			expect(amounts('BHD', 10.004, { fee: 0.004, interest: 0.004 })).toMatchObject({ openAmount: 10.004, fee: 0.004, interest: 0.004, totalDue: 10.012 });
			expect(amounts('KWD', 1.0005, { fee: 1.005, interest: 0.0044 })).toMatchObject({ openAmount: 1.001, fee: 1.005, interest: 0.004, totalDue: 2.01 });
			// A given total is compared in fils: 10.012 is right, and so is Compute Dunning Level's, which
			// adds the amounts to the cent (10.00 + 0.00 + 0.00); another is not.
			expect(amounts('BHD', 10.004, { fee: 0.004, interest: 0.004, totalDue: 10.012 })).toMatchObject({ totalDue: 10.012 });
			expect(amounts('BHD', 10.004, { fee: 0.004, interest: 0.004, totalDue: 10 })).toMatchObject({ totalDue: 10.012 });
			expect(() => amounts('BHD', 10.004, { fee: 0.004, interest: 0.004, totalDue: 10.01 })).toThrow(/"dunning.totalDue" \(totalDue\) is 10.01, but .* add up to 10.012/);
			// Compute's own output for 10.125 BHD with 0.23 interest: 10.13 + 0.23 = 10.36; the reminder asks for 10.355.
			expect(amounts('BHD', 10.125, { fee: 0, flatFee: 0, interest: 0.23, totalDue: 10.36 })).toMatchObject({ openAmount: 10.125, totalDue: 10.355 });
			// Text amounts with three decimals are fils, not a German thousands separator.
			expect(readReminderValues({ ...item, currency: 'BHD', openAmount: '10.500', dunning: { ...item.dunning, totalDue: null } }).values).toMatchObject({ openAmount: 10.5 });
			expect(() => readReminderValues({ ...item, openAmount: '10.500' })).toThrow(/is ambiguous \(got "10.500"\)/);
		});
		test('EUR has two: an ERP\'s 12.345 is 12.35 on the line and in the sum', () => {
			expect(amounts('EUR', 12.345, { fee: 0.004, interest: 1.235 })).toMatchObject({ openAmount: 12.35, fee: 0, interest: 1.24, totalDue: 13.59 });
			expect(() => amounts('EUR', 12.345, { totalDue: 17.36 })).toThrow(/is 17.36, but .* add up to 17.35/);
		});
		test('a group in yen: lines rounded and added in yen; Compute Dunning Level\'s total, added to the cent, is taken; another is not', () => {
			const yen = (id: string, totalDue: number) => ({ ...member(id, 10000, '2026-02-01', { fee: 5, interest: 0.4, totalDue }), currency: 'JPY' });
			const computed = { ...group, invoices: [yen('A1', 10005.4), yen('A2', 10005.4)], dunning: { ...group.dunning, totalDue: 20010.8 } };
			const values = readReminderValues(computed).values;
			expect(values).toMatchObject({ openAmount: 20000, fee: 10, interest: 0, totalDue: 20010 });
			expect(values.invoices.map((l) => [l.interest, l.totalDue])).toEqual([
				[0, 10005],
				[0, 10005],
			]);
			expect(readReminderValues({ ...computed, dunning: { ...group.dunning, totalDue: 20010 } }).values.totalDue).toBe(20010);
			expect(() => readReminderValues({ ...computed, dunning: { ...group.dunning, totalDue: 20012 } })).toThrow(/"dunning.totalDue" \(totalDue\) is 20012, but .* add up to 20010/);
		});
	});
});

describe('transport options and pacing', () => {
	test('security maps strictly: STARTTLS required, none never upgrades, self-signed only when allowed', () => {
		const s = { host: 'h', port: 587, allowSelfSigned: false };
		expect(smtpClientOptions({ ...s, security: 'starttls' })).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false, tls: { rejectUnauthorized: true } });
		expect(smtpClientOptions({ ...s, security: 'tls', allowSelfSigned: true })).toMatchObject({ secure: true, requireTLS: false, tls: { rejectUnauthorized: false } });
		expect(smtpClientOptions({ ...s, security: 'none' })).toMatchObject({ secure: false, ignoreTLS: true });
		expect(nodemailerAuth({ method: 'oauth2', user: 'u', accessToken: 't' })).toEqual({ type: 'OAuth2', user: 'u', accessToken: 't' });
	});
	test('backoff doubles; sleep is abortable', async () => {
		expect([1, 2, 3].map((a) => backoffMs(a, 1000))).toEqual([1000, 2000, 4000]);
		const c = new AbortController();
		const waiting = sleep(60_000, c.signal);
		c.abort();
		await expect(waiting).rejects.toBeInstanceOf(AbortedError);
	});
});
