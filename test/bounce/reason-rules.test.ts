import { classifyMessage } from '../../lib/bounce';
import { reasonFromText } from '../../lib/bounce/diagnostic-reason';
import { buildDsn } from './dsn-builder';

/** A minimal RFC 3464 report: human text, one recipient group, the original's headers. */
function dsn(opts: { human: string; recipient: string; status: string; diagnostic?: string; action?: string }): string {
	return buildDsn({
		returnPath: false,
		human: opts.human,
		recipients: [{ final: opts.recipient, action: opts.action, status: opts.status, diagnostic: opts.diagnostic }],
		returned: ['From: billing@shop.example', `To: ${opts.recipient}`, 'Subject: Reminder'],
	});
}

/** A plain-text (non-DSN) bounce from a mailer daemon. */
/** A gateway's vague "could not be delivered" notice returning the original message (given as lines after its To:). */
function gatewayNotice(returnedRest: string[]): string {
	return [
		// A gateway sends its notices with the null envelope sender, which delivery records here.
		'Return-Path: <>',
		'From: gateway@corp.example',
		'To: billing@shop.example',
		'Subject: Delivery failure',
		'MIME-Version: 1.0',
		'Content-Type: multipart/mixed; boundary="g"',
		'',
		'--g',
		'Content-Type: text/plain',
		'',
		'The following mail could not be delivered.',
		'Reason: Unable to deliver message to <lee@corp.example>.',
		'',
		'--g',
		'Content-Type: message/rfc822',
		'',
		'From: billing@shop.example',
		'To: lee@corp.example',
		...returnedRest,
		'',
		'--g--',
		'',
	].join('\r\n');
}

function plain(subject: string, body: string, extraHeaders: string[] = []): string {
	return [
		'From: Mail Delivery System <MAILER-DAEMON@relay.example.net>',
		'To: billing@shop.example',
		`Subject: ${subject}`,
		...extraHeaders,
		'Content-Type: text/plain; charset=us-ascii',
		'',
		body,
		'',
	].join('\r\n');
}

describe('the remote server quoted inside a relay report decides', () => {
	it('a relay that wraps "550 5.7.1 … Access denied" in its own wording: security error, not a recipient filter', async () => {
		const [r] = await classifyMessage(
			plain(
				'Delivery Status Notification (Failure)',
				[
					'Delivery to the following recipient failed permanently:',
					'',
					'     anna@corp.example',
					'',
					'Technical details of permanent failure:',
					'The message was rejected by the recipient domain. The error that the other server returned was:',
					'550 5.7.1 <no-such-user@shop.example>... Access denied',
					'',
					'----- Original message -----',
					'Subject: Reminder',
				].join('\r\n'),
			),
		);
		expect(r).toMatchObject({ recipient: 'anna@corp.example', reason: 'securityerror', status: '5.7.1', kind: 'soft' });
	});

	it("Exchange's \"Remote Server returned '…'\" is read before its own summary", async () => {
		const [r] = await classifyMessage(
			dsn({
				human: 'Delivery has failed to these recipients or groups:\r\n\r\nbo@dest.example\r\nThe recipient mailbox is unavailable.',
				recipient: 'bo@dest.example',
				status: '5.7.606',
				diagnostic: "smtp; Mailbox unavailable. Remote Server at mx.dest.example (192.0.2.9) returned '550 5.7.606 Access denied, banned sending IP [192.0.2.1]'",
			}),
		);
		expect(r).toMatchObject({ recipient: 'bo@dest.example', reason: 'blocked', status: '5.7.606', kind: 'soft' });
	});

	it('"does not support TLS" is a failed STARTTLS', async () => {
		const [r] = await classifyMessage(
			plain(
				'Delivery Status Notification (Failure)',
				'Delivery to the following recipient failed permanently:\r\n\r\n     tls@corp.example\r\n\r\nThe error that the other server returned was: 500 Remote server does not support TLS\r\n',
			),
		);
		expect(r).toMatchObject({ recipient: 'tls@corp.example', reason: 'failedstarttls', status: null, replyCode: '500' });
	});

	it('words inside links and addresses are not read as reasons', async () => {
		const [r] = await classifyMessage(
			dsn({
				human: 'Your message could not be delivered.',
				recipient: 'paul@cable.example',
				status: '5.1.0',
				diagnostic: 'smtp; 550 5.1.0 <bounces@shop.example> sender rejected. See https://www.cable.example/residential/support/errors.html',
			}),
		);
		// "residential" in the link would otherwise read as a dynamic-IP (missing PTR) refusal.
		expect(r).toMatchObject({ recipient: 'paul@cable.example', reason: 'rejected', status: '5.1.0' });
	});
});

describe('the SMTP stage and the kind of report', () => {
	it('a refusal of EHLO is about our host: blocked', async () => {
		const [r] = await classifyMessage(
			plain(
				'Mail delivery failed: returning message to sender',
				[
					'This message was created automatically by mail delivery software.',
					'',
					'A message that you sent could not be delivered to one or more of its',
					'recipients. This is a permanent error. The following address(es) failed:',
					'',
					'  eva@corp.example',
					'    host mx.corp.example [192.0.2.10]',
					'    SMTP error from remote mail server after EHLO mail.shop.example:',
					'    550 Rejected',
				].join('\r\n'),
				['X-Failed-Recipients: eva@corp.example'],
			),
		);
		expect(r).toMatchObject({ recipient: 'eva@corp.example', reason: 'blocked', replyCode: '550' });
	});

	it('Postfix\'s "refused to talk to me" is a refused greeting: spam words there are about our host (blocked)', async () => {
		const [r] = await classifyMessage(
			dsn({
				human: '<l.moreau@corp.example>: host mx.corp.example[192.0.2.15] refused to talk\r\n    to me: 554 ME Client host blocked for spamming issues. OFR006_102 [102]',
				recipient: 'l.moreau@corp.example',
				status: '5.0.0',
				diagnostic: 'smtp; 554 ME Client host blocked for spamming issues. OFR006_102 [102]',
			}),
		);
		expect(r).toMatchObject({ recipient: 'l.moreau@corp.example', reason: 'blocked', category: 'senderRejected' });
	});

	it('"Unauthenticated senders not allowed" to MAIL FROM stays a security error; "Access denied" there refuses the sender', async () => {
		const make = (reply: string) =>
			dsn({
				human: `<max@relay.example>: host smtp.relay.example[192.0.2.5] said: 550 ${reply} (in reply to MAIL FROM command)`,
				recipient: 'max@relay.example',
				status: '5.0.0',
				diagnostic: `smtp; 550 ${reply}`,
			});
		const [auth] = await classifyMessage(make('Unauthenticated senders not allowed'));
		expect(auth).toMatchObject({ reason: 'securityerror', status: '5.0.0' });
		const [denied] = await classifyMessage(make('Access denied'));
		expect(denied).toMatchObject({ reason: 'rejected', status: '5.0.0' });
	});

	it('an X-Unix diagnostic without a named cause is a failed local delivery program', async () => {
		const [r] = await classifyMessage(
			dsn({ human: '<ops@host.example>: temporary failure', recipient: 'ops@host.example', status: '4.3.0', diagnostic: 'x-unix; temporary failure' }),
		);
		expect(r).toMatchObject({ recipient: 'ops@host.example', reason: 'mailererror', status: '4.3.0', kind: 'soft' });
		const [full] = await classifyMessage(
			dsn({ human: 'failed', recipient: 'ops@host.example', status: '5.2.2', diagnostic: 'x-unix; maildir over quota' }),
		);
		expect(full).toMatchObject({ reason: 'mailboxfull' });
	});

	it('Postfix "delivery temporarily suspended" is not a suspended account; the cause after it decides', async () => {
		const [r] = await classifyMessage(
			dsn({
				human: 'failed',
				recipient: 'tim@corp.example',
				status: '4.0.0',
				diagnostic: 'X-Postfix; delivery temporarily suspended: connect to mx.corp.example[192.0.2.7]: server refused to talk to me: 421 Service not available',
			}),
		);
		// "refused to talk to me" frames the greeting's reply; 421 "Service not available" is the remote
		// server's own state (RFC 5321 §4.2.3), no block of our host.
		expect(r).toMatchObject({ recipient: 'tim@corp.example', reason: 'systemerror', status: '4.0.0', category: 'recipientRefused' });
	});
});

describe('report shapes', () => {
	it('reads a forwarded bounce whose text carries the whole report, delivery-status fields included', async () => {
		const inner = [
			'This is the mail system at host relay.example.net.',
			'',
			'--inner',
			'Content-Type: message/delivery-status',
			'',
			'Reporting-MTA: dns; relay.example.net',
			'',
			'Final-Recipient: rfc822; lena@corp.example',
			'Action: failed',
			'Status: 5.1.1',
			'Diagnostic-Code: smtp; 550 5.1.1 <lena@corp.example>: Recipient address rejected: User unknown in local recipient table',
			'',
			'--inner',
			'Content-Type: message/rfc822',
			'',
			'From: billing@shop.example',
			'To: lena@corp.example',
			'',
			'--inner--',
		].join('\r\n');
		const [r] = await classifyMessage(
			plain('Undelivered Mail Returned to Sender', `Forwarded report follows.\r\nFor help contact <helpdesk@isp.example>.\r\n\r\nReturn-Path: <>\r\nFrom: MAILER-DAEMON@relay.example.net\r\n\r\n${inner}`),
		);
		expect(r).toMatchObject({ recipient: 'lena@corp.example', reason: 'userunknown', status: '5.1.1', kind: 'hard' });
	});

	it('completes a multi-line reply that the Diagnostic-Code cut after its first line from the transcript', async () => {
		const human = [
			'   ----- Transcript of session follows -----',
			'... while talking to mx.mail.example.:',
			'>>> DATA',
			'<<< 552-5.7.0 This message was blocked because its content presents a potential',
			'<<< 552-5.7.0 security issue. Please review our message',
			'<<< 552 5.7.0 content and attachment content guidelines.',
			'554 5.0.0 Service unavailable',
		].join('\r\n');
		const [r] = await classifyMessage(
			dsn({ human, recipient: 'kim@mail.example', status: '5.7.0', diagnostic: 'SMTP; 552-5.7.0 This message was blocked because its content presents a potential' }),
		);
		expect(r).toMatchObject({ recipient: 'kim@mail.example', reason: 'policyviolation', status: '5.7.0', replyCode: '552' });
		expect(r.diagnostic).toContain('security issue');
	});
});

describe('provider wordings', () => {
	it.each([
		['Exchange Online edge blocking of an unknown recipient (5.4.1)', '5.4.1', 'smtp; 550 5.4.1 Recipient address rejected: Access denied. [AM0PR01MB0001.eurprd01.prod.example.com]', 'userunknown', 'hard'],
		['a sender address on a block list', '5.0.0', 'smtp; 550 Sorry, you are sending from an address that has been blacklisted', 'rejected', 'soft'],
		['an IP address on a block list', '5.7.1', 'smtp; 550 5.7.1 IP address blacklisted by recipient', 'blocked', 'soft'],
		['Amazon SES: unverified sender identity', '5.0.0', 'smtp; 554 Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: billing@shop.example', 'norelaying', 'soft'],
		['our server listed as an open relay', '5.0.0', 'smtp; 501 <billing@shop.example>... no access from mail server [192.0.2.55] which is an open relay', 'blocked', 'soft'],
		['a bad SPF record', '5.0.0', 'smtp; 550 Bad SPF records for [shop.example:192.0.2.2]', 'authfailure', 'soft'],
	])('%s', async (_name, status, diagnostic, reason, kind) => {
		const [r] = await classifyMessage(dsn({ human: 'Delivery failed.', recipient: 'x@dest.example', status, diagnostic }));
		expect(r).toMatchObject({ recipient: 'x@dest.example', reason, status, kind });
	});

	it('a delay warning that only says how long the message waited is "expired"', async () => {
		const human = [
			'    **********************************************',
			'    **      THIS IS A WARNING MESSAGE ONLY      **',
			'    **********************************************',
			'   ----- Transcript of session follows -----',
			'<<< 421',
			'<slow@mobile.example>... Deferred: 421',
			'Warning: message still undelivered after 4 hours',
			'Will keep trying until message is 5 days old',
		].join('\r\n');
		const [r] = await classifyMessage(dsn({ human, recipient: 'slow@mobile.example', status: '4.5.0', diagnostic: 'SMTP; ', action: 'delayed' }));
		expect(r).toMatchObject({ recipient: 'slow@mobile.example', reason: 'expired', status: '4.5.0', kind: 'soft' });
	});
});

describe('plain-text report layouts', () => {
	it('Sendmail transcript: each recipient is explained by the lines since the previous summary line', async () => {
		const body = [
			'   ----- Transcript of session follows -----',
			'While talking to mx.first.example:',
			'>>> MAIL From:<billing@shop.example>',
			'<<< 501 <billing@shop.example>... no access from mail server [192.0.2.55] which is an open relay.',
			'554 <ann@first.example>... Remote protocol error',
			'550 gone.example (smtp)... 550 Host unknown',
			'554 <bob@gone.example>... 550 Host unknown (Authoritative answer from name server)',
			'While talking to mx.third.example:',
			'>>> RCPT To:<cy@third.example>',
			'<<< 550 <cy@third.example>... User unknown',
			'550 <cy@third.example>... User unknown',
			'   ----- Unsent message follows -----',
			'From: billing@shop.example',
			'Subject: Reminder',
		].join('\r\n');
		const r = await classifyMessage(plain('Returned mail: User unknown', body));
		expect(r.map((x) => [x.recipient, x.reason, x.kind])).toEqual([
			['ann@first.example', 'blocked', 'soft'],
			['bob@gone.example', 'hostunknown', 'hard'],
			['cy@third.example', 'userunknown', 'hard'],
		]);
	});

	it('a gateway notice that only says "unable to deliver" is explained by the internal report it returns', async () => {
		const raw = gatewayNotice([
			'Subject: lee@corp.example',
			'Content-Type: text/plain',
			'',
			'----- The following addresses had permanent fatal errors -----',
			'<lee@corp.example>',
			'----- Transcript of the session follows -----',
			'>>> RCPT To:<lee@corp.example>',
			'<<< 550 5.1.1 <lee@corp.example>... Invalid recipient',
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'lee@corp.example', reason: 'userunknown', kind: 'hard' });
	});

	it('a returned reminder that mentions suspension does not explain a vague notice', async () => {
		const raw = gatewayNotice([
			'Subject: Second reminder',
			'Content-Type: text/plain',
			'',
			'Dear lee@corp.example, invoice 42 is overdue; your account has been suspended.',
		]);
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'lee@corp.example', reason: 'undefined' });
	});

	it('Exchange 2003 "Your message To: … did not reach the following recipient(s)": the To: line is not a failed recipient', async () => {
		const body = [
			'Your message',
			'',
			'  To:      team@corp.example',
			'  Subject: Reminder',
			'',
			'did not reach the following recipient(s):',
			'',
			'nina@corp.example on Thu, 29 Apr 2010 00:00:00 -0000',
			'    The recipient name is not recognized',
		].join('\r\n');
		const r = await classifyMessage(plain('Undeliverable: Reminder', body));
		expect(r.map((x) => [x.recipient, x.reason, x.kind])).toEqual([['nina@corp.example', 'userunknown', 'hard']]);
	});

	it('Exchange 2003 quoting "To: a; b" above the list: each address keeps its own heading and reason', async () => {
		const body = [
			'Your message',
			'',
			'  To:      max@corp.example; ap@corp.example',
			'  Subject: Reminder',
			'',
			'did not reach the following recipient(s):',
			'',
			'max@corp.example on Thu, 29 Apr 2010 00:00:00 -0000',
			'    The e-mail account does not exist at the organization this message was sent to.',
			'    <mx.corp.example #5.1.1 smtp;550 5.1.1 User unknown>',
			'',
			'ap@corp.example on Thu, 29 Apr 2010 00:00:00 -0000',
			"    The recipient's mailbox is full and can't accept messages now.",
			'    <mx.corp.example #5.2.2 smtp;552 5.2.2 Mailbox full>',
		].join('\r\n');
		const r = await classifyMessage(plain('Undeliverable: Reminder', body));
		expect(r.map((x) => [x.recipient, x.status, x.category])).toEqual([
			['max@corp.example', '5.1.1', 'addressDead'],
			['ap@corp.example', '5.2.2', 'recipientRefused'],
		]);
	});

	it('"Failed recipients: a, b" on one line: every listed address shares the reason below', async () => {
		const body = [
			'Your message could not be delivered to one or more recipients.',
			'',
			'Failed recipients: max@corp.example, ap@corp.example',
			'Reason: 554 5.7.1 Service unavailable; Client host [203.0.113.25] blocked using zen.spamhaus.org',
		].join('\r\n');
		const r = await classifyMessage(plain('Delivery failure', body));
		expect(r.map((x) => [x.recipient, x.reason, x.category])).toEqual([
			['max@corp.example', 'blocked', 'senderRejected'],
			['ap@corp.example', 'blocked', 'senderRejected'],
		]);
		// Prose that merely goes on after a comma lists nothing.
		const prose = await classifyMessage(plain('Delivery failure', 'Failed recipient: max@corp.example, please check the address\r\nReason: 550 5.1.1 User unknown'));
		expect(prose.map((x) => x.recipient)).toEqual(['max@corp.example']);
	});

	it('a pipelined transcript (RFC 2920): replies answer the commands in the order they were sent', async () => {
		const body = (first: string, second: string) =>
			[
				'Your message could not be delivered to the following recipients.',
				'',
				`Recipient: ${first}`,
				'Reason: Remote server rejected the recipient',
				'',
				`Recipient: ${second}`,
				'Reason: Remote server rejected the recipient',
				'',
				'SMTP transcript (mx.corp.example [192.0.2.10]):',
				'MAIL FROM:<billing@shop.example>',
				`RCPT TO:<${first}>`,
				`RCPT TO:<${second}>`,
				'DATA',
				'250 2.1.0 Ok',
				'550 5.1.1 User unknown',
				'552 5.2.2 Mailbox full',
				'554 5.5.1 Error: no valid recipients',
			].join('\r\n');
		const read = async (first: string, second: string) => new Map((await classifyMessage(plain('Delivery failure', body(first, second)))).map((x) => [x.recipient, [x.status, x.category]]));
		const straight = await read('max@corp.example', 'ap@corp.example');
		expect(straight.get('max@corp.example')).toEqual(['5.1.1', 'addressDead']);
		// The reply to DATA only follows from the refused RCPTs: it is nobody's own answer.
		expect(straight.get('ap@corp.example')).toEqual(['5.2.2', 'recipientRefused']);
		const swapped = await read('ap@corp.example', 'max@corp.example');
		expect(swapped.get('ap@corp.example')).toEqual(['5.1.1', 'addressDead']);
		expect(swapped.get('max@corp.example')).toEqual(['5.2.2', 'recipientRefused']);
	});

	it('MDaemon names the failed recipients only in its session transcript, and sends from its system account', async () => {
		const transcript = [
			'The attached message had PERMANENT fatal delivery errors!',
			'',
			'--- Session Transcript ---',
			' Wed 2024-12-04 10:00:01.124: *  From: billing@shop.example',
			' Wed 2024-12-04 10:00:01.124: *  To: max@corp.example',
			' Wed 2024-12-04 10:00:01.130: Attempting SMTP connection to [mx.corp.example : 25]',
			' Wed 2024-12-04 10:00:01.300: --> MAIL From:<billing@shop.example> SIZE=4211',
			' Wed 2024-12-04 10:00:01.350: <-- 250 2.1.0 Ok',
			' Wed 2024-12-04 10:00:01.351: --> RCPT To:<max@corp.example>',
			' Wed 2024-12-04 10:00:01.400: <-- 550 5.1.1 <max@corp.example>: Recipient address rejected: User unknown',
			' Wed 2024-12-04 10:00:01.401: --> RCPT To:<ap@corp.example>',
			' Wed 2024-12-04 10:00:01.450: <-- 552 5.2.2 <ap@corp.example>: Mailbox full',
			' Wed 2024-12-04 10:00:01.451: --> RCPT To:<info@corp.example>',
			' Wed 2024-12-04 10:00:01.452: <-- 250 2.1.5 Ok',
			' Wed 2024-12-04 10:00:01.453: --> QUIT',
			'--- End Transcript ---',
		].join('\r\n');
		const raw = [
			'Return-Path: <>',
			'From: MDaemon@shop.example',
			'To: billing@shop.example',
			'Subject: Permanent Delivery Failure',
			// Some installations mark every generated message so; the system account still says who wrote it.
			'Auto-Submitted: auto-replied',
			'Content-Type: text/plain; charset=us-ascii',
			'',
			transcript,
			'',
		].join('\r\n');
		const r = await classifyMessage(raw);
		// The recipient the server accepted is no failure.
		expect(r.map((x) => [x.recipient, x.status, x.category])).toEqual([
			['max@corp.example', '5.1.1', 'addressDead'],
			['ap@corp.example', '5.2.2', 'recipientRefused'],
		]);
	});

	describe("MDaemon's session transcript", () => {
		const t = (line: string) => `Tue 2024-12-03 10:04:39: ${line}`;
		/** MDaemon's notice: the failed addresses, then the session, then the original headers. */
		const mdaemon = (failed: string[], session: string[]) =>
			[
				'Return-Path: <>',
				'From: MDaemon@shop.example',
				'To: billing@shop.example',
				'Subject: Permanent Delivery Failure',
				'Content-Type: text/plain; charset=us-ascii',
				'',
				'YOUR MESSAGE WAS NOT DELIVERED TO ONE OR MORE RECIPIENTS',
				...failed.map((a) => `Failed address: ${a}`),
				'',
				'--- Session Transcript ---',
				t('Parsing message <c:\\mdaemon\\queues\\remote\\pd50000123456.msg>'),
				t('Attempting SMTP connection to [mx.corp.example:25]'),
				t('<-- 220 mx.corp.example ESMTP'),
				t('--> EHLO mail.shop.example'),
				t('<-- 250-mx.corp.example'),
				t('<-- 250 ENHANCEDSTATUSCODES'),
				...session.map(t),
				t('--> QUIT'),
				'--- End Transcript ---',
				'',
			].join('\r\n');

		it('"<-- 550 No Such User Here" after "--> RCPT To:" answered RCPT TO: proof, as in a Sendmail transcript', async () => {
			const [r] = await classifyMessage(mdaemon(['lee@corp.example'], ['--> MAIL From:<billing@shop.example>', '<-- 250 2.1.0 Ok', '--> RCPT To:<lee@corp.example>', '<-- 550 No Such User Here']));
			expect(r).toMatchObject({ recipient: 'lee@corp.example', reason: 'userunknown', category: 'addressDead' });
		});

		it('the reply after a long preamble is read with every guard: an unfinished verification probe is no dead address', async () => {
			// Enough log lines that the reply lies past the first thousand characters of the block.
			const preamble = Array.from({ length: 20 }, (_, i) => `*  D=mx.corp.example TTL=(60) A=[198.51.100.${i}] resolving and connecting, attempt ${i}`);
			const raw = mdaemon(['lee@corp.example'], [...preamble, '--> MAIL From:<billing@shop.example>', '<-- 250 2.1.0 Ok', '--> RCPT To:<lee@corp.example>', '<-- 550 5.1.1 <lee@corp.example>: Recipient address rejected: unverified address: connect to backend.corp.example[10.0.0.9]:25: Connection timed out']);
			const [r] = await classifyMessage(raw);
			expect(r).toMatchObject({ recipient: 'lee@corp.example', status: '5.1.1' });
			expect(r.category).not.toBe('addressDead');
		});

		it('the server\'s answers are what the transcript says about a recipient: a failed DNS lookup of another MX before them is no dead domain', async () => {
			const raw = mdaemon(['lee@corp.example'], [
				'Resolving A record for [mx-old.corp.example] (DNS Server: 192.0.2.53)...',
				'*  Name server reports domain name unknown',
				'Attempting SMTP connection to [mx02.corp.example:25]',
				'<-- 220 mx02.corp.example ESMTP',
				'--> MAIL From:<billing@shop.example>',
				'<-- 250 2.1.0 Ok',
				'--> RCPT To:<lee@corp.example>',
				'<-- 554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org',
			]);
			const [r] = await classifyMessage(raw);
			expect(r).toMatchObject({ recipient: 'lee@corp.example', reason: 'blocked', category: 'senderRejected' });
		});

		it('greylisted at one host, our sender refused at the next: the later refusal before any RCPT decides', async () => {
			const raw = mdaemon(['lee@corp.example'], [
				'--> MAIL From:<billing@shop.example>',
				'<-- 250 2.1.0 Ok',
				'--> RCPT To:<lee@corp.example>',
				'<-- 451 4.7.1 <lee@corp.example>: Recipient address rejected: Greylisting in action, please come back later',
				'--> QUIT',
				'<-- 221 2.0.0 Bye',
				'Attempting SMTP connection to [mx02.corp.example:25]',
				'<-- 220 mx02.corp.example ESMTP',
				'--> MAIL From:<billing@shop.example>',
				'<-- 550 5.7.1 <billing@shop.example>: Sender address rejected: SPF check failed',
			]);
			const [r] = await classifyMessage(raw);
			expect(r).toMatchObject({ recipient: 'lee@corp.example', reason: 'authfailure', category: 'senderRejected' });
		});

		it('a refused MAIL FROM ends the only session before any RCPT: its refusal is every listed recipient\'s', async () => {
			const raw = mdaemon(['info@corp.example', 'ap@corp.example'], ['--> MAIL From:<billing@shop.example> SIZE=2261', '<-- 553 5.7.1 <billing@shop.example>: Sender address rejected: SPF check failed (203.0.113.25 not permitted)']);
			const r = await classifyMessage(raw);
			expect(r.map((x) => [x.recipient, x.reason, x.category])).toEqual([
				['info@corp.example', 'authfailure', 'senderRejected'],
				['ap@corp.example', 'authfailure', 'senderRejected'],
			]);
		});
	});

	it('"503 need MAIL command" to a pipelined RCPT only follows the refused MAIL FROM: the sender refusal decides', async () => {
		const body = [
			'   ----- The following addresses had permanent fatal errors -----',
			'<lee@corp.example>',
			'',
			'   ----- Transcript of session follows -----',
			'... while talking to mx.corp.example.:',
			'>>> MAIL From:<billing@shop.example> SIZE=2261',
			'>>> RCPT To:<lee@corp.example>',
			'>>> DATA',
			'<<< 553 5.7.1 <billing@shop.example>: Sender address rejected: Access denied',
			'<<< 503 5.5.1 Error: need MAIL command',
			'<<< 503 5.5.1 Error: need MAIL command',
		].join('\r\n');
		const [r] = await classifyMessage(plain('Returned mail: see transcript for details', body));
		expect(r).toMatchObject({ recipient: 'lee@corp.example', reason: 'rejected', category: 'senderRejected' });
	});

	it("Sendmail's and Exim's \"had successful delivery notifications\" section: the address there was delivered, not failed", async () => {
		const body = [
			'   ----- The following addresses had permanent fatal errors -----',
			'<lee@corp.example>',
			'    (reason: 550 5.1.1 <lee@corp.example>... User unknown)',
			'',
			'   ----- The following addresses had successful delivery notifications -----',
			'<ap@partner.example>  (relayed to non-DSN-aware mailer)',
			'',
			'   ----- Transcript of session follows -----',
			'... while talking to mx.corp.example.:',
			'>>> RCPT To:<lee@corp.example>',
			'<<< 550 5.1.1 <lee@corp.example>... User unknown',
		].join('\r\n');
		const r = new Map((await classifyMessage(plain('Returned mail: see transcript for details', body))).map((x) => [x.recipient, x]));
		expect(r.get('lee@corp.example')).toMatchObject({ category: 'addressDead', status: '5.1.1' });
		expect(r.get('ap@partner.example')).toMatchObject({ category: 'delivered', isBounce: false });
	});

	it('Postfix\'s wrapped "(in reply to\\n    RCPT TO command)" is no transcript: one recipient\'s stock 550 does not take the other\'s "not found"', async () => {
		const body = [
			'<ap@corp.example>: host mail.corp.example[198.51.100.20]',
			'    said: 550 Requested action not taken: mailbox unavailable. (in reply to',
			'    RCPT TO command)',
			'',
			'<lee@other.example>: host mail.other.example[198.51.100.30] said:',
			'    550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP',
			'    address lookup (in reply to RCPT TO command)',
		].join('\r\n');
		const r = new Map((await classifyMessage(plain('Undelivered Mail Returned to Sender', body))).map((x) => [x.recipient, x.category]));
		expect(r.get('ap@corp.example')).toBe('recipientRefused');
		expect(r.get('lee@other.example')).toBe('addressDead');
	});

	it('Exchange 2003 naming the failed recipient by display name: the quoted "To: a; b" lists who the message was for, not who failed', async () => {
		const body = [
			'Your message',
			'',
			'  To:      anna@corp.example; ap@corp.example',
			'  Subject: Reminder',
			'',
			'did not reach the following recipient(s):',
			'',
			'Anna Alt on 03.02.2025 09:12',
			'            The e-mail account does not exist at the organization this message was sent to.',
			'            <EXCH01.corp.local #5.1.1>',
		].join('\r\n');
		const r = await classifyMessage(plain('Undeliverable: Reminder', body));
		expect(r.map((x) => x.recipient)).toEqual(['anna@corp.example']);
	});

	it('Sendmail with PIPELINING shows only ">>> DATA": each run of replies belongs to the summary line after it', async () => {
		const body = [
			'   ----- The following addresses had permanent fatal errors -----',
			'<ap@gmail.example>',
			'    (reason: 552-5.2.2 The email account that you tried to reach is over quota. Please direct)',
			'<lee@gmail.example>',
			'    (reason: 550-5.1.1 The email account that you tried to reach does not exist. Please try)',
			'',
			'   ----- Transcript of session follows -----',
			'... while talking to gmail-smtp-in.l.google.com.:',
			'>>> DATA',
			'<<< 550-5.1.1 The email account that you tried to reach does not exist. Please try',
			'<<< 550 5.1.1 double-checking the recipient\'s email address for typos',
			'550 5.1.1 <lee@gmail.example>... User unknown',
			'<<< 552-5.2.2 The email account that you tried to reach is over quota. Please direct',
			'<<< 552 5.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaPerm',
			'552 5.2.2 <ap@gmail.example>... Mailbox full',
			'<<< 503 5.5.1 RCPT first.',
		].join('\r\n');
		const r = new Map((await classifyMessage(plain('Returned mail: see transcript for details', body))).map((x) => [x.recipient, x]));
		expect(r.get('ap@gmail.example')).toMatchObject({ status: '5.2.2', reason: 'mailboxfull', category: 'recipientRefused' });
		// Gmail's documented no-such-user answer; the closing "503 RCPT first" stays the last one's.
		expect(r.get('lee@gmail.example')).toMatchObject({ reason: 'userunknown', category: 'addressDead' });
	});

	// The same two-host transcript, with its section list and without: in both, one recipient's only
	// evidence is its own verdict line, and another host's refusal of DATA is not its words.
	const TWO_HOSTS = [
		'   ----- Transcript of session follows -----',
		'550 5.1.2 <post@typo.example>... Host unknown (Name server: typo.example: host not found)',
		'... while talking to mx.corp.example.:',
		'>>> DATA',
		'<<< 554 5.7.1 Message rejected: content looks like spam (score 9.1)',
		'554 5.0.0 <info@corp.example>... Service unavailable',
	];
	const TWO_HOSTS_SECTIONS = [
		'   ----- The following addresses had permanent fatal errors -----',
		'<post@typo.example>',
		'<info@corp.example>',
		'    (reason: 554 5.7.1 Message rejected: content looks like spam (score 9.1))',
		'',
	];
	it.each([
		['listed in its sections', [...TWO_HOSTS_SECTIONS, ...TWO_HOSTS]],
		["named only by Sendmail 8.10+'s verdict lines with an enhanced code", TWO_HOSTS],
	])('Sendmail, two hosts, recipients %s: each gets its own refusal', async (_, lines) => {
		const r = new Map((await classifyMessage(plain('Returned mail: see transcript for details', lines.join('\r\n')))).map((x) => [x.recipient, [x.reason, x.category]]));
		expect(r.get('post@typo.example')).toEqual(['hostunknown', 'addressDead']);
		expect(r.get('info@corp.example')).toEqual(['spamdetected', 'senderRejected']);
	});

	it("Sendmail: a refused greeting or DATA is each recipient's whose verdict line follows its reply, in the server's words", async () => {
		// sendmail/usersmtp.c logs a refused greeting as "<<<" with no command before it; the verdict
		// lines after a reply name whom it refused ("Service unavailable" is Sendmail's own word for 554).
		const greeting = [
			'   ----- Transcript of session follows -----',
			'... while talking to mx.corp.example.:',
			'<<< 554 5.7.1 Service unavailable; Client host [203.0.113.25] blocked using b.barracudacentral.org',
			'554 5.0.0 <ina@corp.example>... Service unavailable',
			'554 5.0.0 <otto@corp.example>... Service unavailable',
		];
		const g = await classifyMessage(plain('Returned mail: see transcript for details', greeting.join('\r\n')));
		expect(g.map((x) => [x.recipient, x.reason, x.category])).toEqual([
			['ina@corp.example', 'blocked', 'senderRejected'],
			['otto@corp.example', 'blocked', 'senderRejected'],
		]);
		const data = [
			'   ----- Transcript of session follows -----',
			'... while talking to mail-int.corp.example.:',
			'>>> RCPT To:<info@corp.example>',
			'<<< 550 5.1.1 <info@corp.example>... User unknown',
			'550 5.1.1 <info@corp.example>... User unknown',
			'>>> DATA',
			'<<< 554 5.7.1 Message rejected due to content restrictions',
			'554 5.0.0 <kunde@corp.example>... Service unavailable',
		];
		const d = new Map((await classifyMessage(plain('Returned mail: see transcript for details', data.join('\r\n')))).map((x) => [x.recipient, [x.reason, x.category]]));
		expect(d.get('kunde@corp.example')).toEqual(['contenterror', 'senderRejected']);
		expect(d.get('info@corp.example')).toEqual(['userunknown', 'addressDead']);
	});

	it('a boxed banner an administrator put above the report ("** Die Nachricht konnte nicht zugestellt werden **") does not end it', async () => {
		const body = [
			'    ************************************************************',
			'    ** Die Nachricht konnte nicht zugestellt werden.          **',
			'    ************************************************************',
			'',
			'   ----- The following addresses had permanent fatal errors -----',
			'<kasse@corp.example>',
			'    (reason: 554 5.7.1 Message rejected: spam content detected)',
			'',
			'   ----- Transcript of session follows -----',
			'... while talking to mx.corp.example.:',
			'>>> DATA',
			'<<< 554 5.7.1 Message rejected: spam content detected',
			'554 5.0.0 Service unavailable',
			'',
			'   ----- Original message follows -----',
			'',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'To: kasse@corp.example',
		];
		const [r] = await classifyMessage(plain('Returned mail: see transcript for details', body.join('\r\n')));
		expect([r.recipient, r.reason, r.category]).toEqual(['kasse@corp.example', 'spamdetected', 'senderRejected']);
	});

	it("a report's own text quoting a reply is no greeting: a live recipient's 4xx does not take another paragraph's 5.1.1", async () => {
		const body = [
			'Delivery to the following recipients failed permanently:',
			'',
			'  alt@corp.example',
			'    Connection to mx.corp.example established',
			'    550 5.1.1 User unknown',
			'',
			'Transcript of the last session with mx.other.example:',
			'MAIL FROM:<billing@shop.example>',
			'250 2.1.0 Ok',
			'RCPT TO:<kasse@other.example>',
			'450 4.2.1 Mailbox temporarily unavailable',
			'QUIT',
			'221 2.0.0 Bye',
		].join('\r\n');
		const r = new Map((await classifyMessage(plain('Delivery Status Notification (Failure)', body))).map((x) => [x.recipient, x]));
		expect(r.get('kasse@other.example')?.category).not.toBe('addressDead');
		expect(r.get('kasse@other.example')?.status).not.toBe('5.1.1');
	});

	it('Sendmail pipelined, both recipients in its sections: a verdict line with an enhanced code does not cut the next recipient off its transcript', async () => {
		const body = [
			'   ----- The following addresses had permanent fatal errors -----',
			'<kunde@corp.example>',
			'<info@corp.example>',
			'',
			'   ----- Transcript of session follows -----',
			'... while talking to mail-int.corp.example.:',
			'>>> DATA',
			'<<< 552 5.2.2 <kunde@corp.example>... Mailbox full',
			'552 5.2.2 <kunde@corp.example>... Mailbox full',
			'<<< 550 5.1.1 <info@corp.example>... User unknown',
			'550 5.1.1 <info@corp.example>... User unknown',
			'<<< 503 5.0.0 Need RCPT (recipient)',
		].join('\r\n');
		const r = new Map((await classifyMessage(plain('Returned mail: see transcript for details', body))).map((x) => [x.recipient, [x.status, x.category]]));
		expect(r.get('kunde@corp.example')).toEqual(['5.2.2', 'recipientRefused']);
		expect(r.get('info@corp.example')).toEqual(['5.1.1', 'addressDead']);
	});

	it('an old Sendmail transcript without enhanced codes: "No such user here" answering RCPT TO is proof, the summary list alone is not', async () => {
		const body = [
			'   ----- The following addresses had permanent fatal errors -----',
			'<anna@corp.example>',
			'<lee@mail.example>',
			'',
			'   ----- Transcript of session follows -----',
			'... while talking to mx.corp.example.:',
			'>>> RCPT To:<anna@corp.example>',
			'<<< 552 Mailbox full',
			'552 <anna@corp.example>... Mailbox full',
			'... while talking to mx.mail.example.:',
			'>>> RCPT To:<lee@mail.example>',
			'<<< 550 No such user here',
			'550 <lee@mail.example>... User unknown',
		].join('\r\n');
		const r = await classifyMessage(plain('Returned mail: see transcript for details', body));
		expect(r.map((x) => [x.recipient, x.reason, x.category])).toEqual([
			['anna@corp.example', 'mailboxfull', 'recipientRefused'],
			['lee@mail.example', 'userunknown', 'addressDead'],
		]);
	});

	it('"Please try" that ends a wrapped reply line is no forwarding address (RFC 5321 551 names one in angle brackets)', () => {
		const wrapped = '550-5.1.1 The email account that you tried to reach does not exist. Please try <<< 550-5.1.1 double-checking the recipient\'s email address';
		expect(reasonFromText(wrapped)).toBe('userunknown');
		expect(reasonFromText('551 5.1.6 User not local; please try <lee@new.example>')).toBe('hasmoved');
	});

	it('"Failed Recipient:" introduces the failed address, not an address mentioned earlier', async () => {
		const body = [
			'The following message could not be delivered.',
			'Original recipient list: team@corp.example',
			'Failed Recipient: zoe@corp.example',
			'Reason: Remote host said: 550 5.1.1 <zoe@corp.example>: user unknown',
		].join('\r\n');
		const r = await classifyMessage(plain('Delivery failure', body));
		expect(r.map((x) => [x.recipient, x.reason, x.status])).toEqual([['zoe@corp.example', 'userunknown', '5.1.1']]);
	});

	it('a report that names no address: the quoted original\'s single To: is the recipient', async () => {
		const [r] = await classifyMessage(
			plain('Undeliverable', 'Message could not be delivered to mobile.\r\nError: No valid recipients for this MM\r\n\r\nOriginal Message:\r\nFrom: Billing <billing@shop.example>\r\nTo: 5550100@mms.example\r\nSubject: Reminder\r\n'),
		);
		expect(r).toMatchObject({ recipient: '5550100@mms.example', reason: 'userunknown', kind: 'hard' });
	});

	it('reads a nested multipart whose boundary parameter sits on an unfolded line', async () => {
		const raw = [
			'From: post_master@mms.example',
			'To: billing@shop.example',
			'Subject: Re: Reminder',
			'MIME-Version: 1.0',
			'Content-Type: multipart/mixed; boundary="outer"',
			'',
			'--outer',
			'Content-Type: multipart/alternative;',
			'boundary="inner"',
			'',
			'--inner',
			'Content-Type: text/plain; charset=us-ascii',
			'',
			'Error: Invalid user address',
			'',
			'Error message below:',
			'550 - Requested action not taken: no such user here',
			'',
			'  RCPT TO: 5550100@mms.example',
			'',
			'--inner--',
			'',
			'--outer--',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: true, recipient: '5550100@mms.example', reason: 'userunknown', replyCode: '550' });
	});
});

describe('expiry and its cause', () => {
	it('an expired message reports the code of the attempts that kept failing', async () => {
		const human = [
			'Delivery has failed to these recipients or groups:',
			'',
			'sam@school.example',
			'The server has tried to deliver this message, without success, and has stopped trying.',
			'',
			"Remote Server at school.example (10.1.1.3) returned '550 4.4.7 QUEUE.Expired; message expired'",
			"Remote Server at school.example (10.1.1.3) returned '441 4.4.1 Error encountered while communicating with primary target IP address: Failed to connect.'",
		].join('\r\n');
		const [r] = await classifyMessage(dsn({ human, recipient: 'sam@school.example', status: '4.4.7', diagnostic: 'smtp;550 4.4.7 QUEUE.Expired; message expired' }));
		expect(r).toMatchObject({ recipient: 'sam@school.example', reason: 'expired', status: '4.4.1', kind: 'soft' });
	});

	it("Exchange's expiry whose newest attempt quotes an RBL listing of our IP is a block of our host; a connect failure stays expired", async () => {
		const human = (attempt: string) =>
			[
				'Delivery has failed to these recipients or groups:',
				'',
				'The server has tried to deliver this message, without success, and has stopped trying.',
				'',
				'einkauf@client.example',
				"3/12/2025 11:47:03 AM - Remote Server at mail.client.example (198.51.100.147) returned '550 4.4.7 QUEUE.Expired; message expired'",
				`3/12/2025 11:39:02 AM - Remote Server at mail.client.example (198.51.100.147) returned '${attempt}'`,
			].join('\r\n');
		const report = (attempt: string) => dsn({ human: human(attempt), recipient: 'einkauf@client.example', status: '4.4.7', diagnostic: 'smtp;550 4.4.7 QUEUE.Expired; message expired' });
		const [rbl] = await classifyMessage(
			report('451-4.4.0 Primary target IP address responded with: "550-"[203.0.113.25]:50565 is in an RBL on bl.websitewelcome.com, see Blocked 451 4.4.0 550 - Too many failed logins"."'),
		);
		expect(rbl).toMatchObject({ reason: 'blocked', category: 'senderRejected', final: true });
		const [connect] = await classifyMessage(report('441 4.4.1 Error encountered while communicating with primary target IP address: Failed to connect.'));
		expect(connect).toMatchObject({ reason: 'expired', category: 'recipientRefused' });
		// Gmail's "receiving mail at a rate" is the mailbox's own rate (4.2.1), no limit of ours.
		const [rate] = await classifyMessage(report('450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.'));
		expect(rate.category).toBe('recipientRefused');
	});

	it('a name lookup that kept failing until expiry is a network (resolver) problem', async () => {
		const human = [
			'   ----- The following addresses had permanent fatal errors -----',
			'<dns@broken.example>',
			'   ----- Transcript of session follows -----',
			'<dns@broken.example>... Deferred: Name server: broken.example.: host name lookup failure',
			'Message could not be delivered for 5 days',
		].join('\r\n');
		const [r] = await classifyMessage(dsn({ human, recipient: 'dns@broken.example', status: '4.4.7' }));
		expect(r).toMatchObject({ recipient: 'dns@broken.example', reason: 'networkerror', status: '4.4.7', kind: 'soft' });
	});

	it('a host name that does not resolve to the sending IP is a missing/forged PTR', async () => {
		const [r] = await classifyMessage(
			dsn({ human: 'failed', recipient: 'x@dest.example', status: '4.0.0', diagnostic: 'smtp; 450 service permits 2 unverifiable sending IPs - mail.shop.example is not 203.0.113.2' }),
		);
		expect(r).toMatchObject({ reason: 'requireptr', status: '4.0.0' });
	});
});

describe('wordings of common servers and languages (Diagnostic-Code of a DSN)', () => {
	it.each([
		// [reason, status in the report, the remote server's reply]
		['onhold', '4.0.0', 'smtp; 450 4.0.0 Temporary failure'],
		['systemerror', '4.3.0', 'smtp; 451 4.3.0 Error: queue file write error'],
		['filtered', '5.0.0', 'smtp; 550 Each of the following recipients was rejected by a remote mail server.'],
		['blocked', '5.1.0', 'smtp; 550 5.1.0 <bounces@shop.example> sender rejected. AUP#CDRBL'],
		['blocked', '5.0.0', 'smtp; 550 JunkMail rejected - mail.shop.example [192.0.2.1] is in an RBL'],
		['norelaying', '5.7.1', "smtp; 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"],
		['networkerror', '5.4.6', 'smtp; 554 5.4.6 Too many hops'],
		['mailboxfull', '5.0.0', 'smtp; 552 Requested mail action aborted: exceeded storage allocation'],
		['mailboxfull', '5.0.0', 'smtp; 552 Mailbox size limit exceeded'],
		['mailboxfull', '4.0.0', 'smtp; 422 Benutzer hat zuviele Mails auf dem Server'],
		['mailboxfull', '5.0.0', 'smtp; 550 Die Mailbox ist voll'],
		// An 8-bit reply a gateway encoded as RFC 2047 words inside the (ASCII-only, RFC 3464) field.
		['mailboxfull', '5.0.0', 'smtp; 552 =?UTF-8?Q?Das_Postfach_des_Empf=C3=A4ngers_ist_voll?='],
		['hostunknown', '5.0.0', 'x-exim; all relevant MX records point to non-existent hosts'],
		['hostunknown', '5.0.0', 'x-postfix; Name or service not known'],
		['hostunknown', '5.0.0', 'x-local; No MX or A records for example.invalid'],
		['expired', '5.0.0', 'x-exim; retry time not reached for any host after a long failure period'],
		// Newer Exim names the domain ("retry time not reached for any host for 'dom'" in its logs).
		['expired', '5.0.0', "x-exim; retry time not reached for any host for 'client.example' after a long failure period"],
		// IONOS's plain report (two real reports): "Reason: multiple delivery attempts failed".
		['expired', '5.0.0', 'x-ionos; multiple delivery attempts failed'],
		['userunknown', '5.0.0', 'smtp; 550 Diese Adresse ist uns nicht bekannt'],
		['userunknown', '5.0.0', 'smtp; 550 Onbekende gebruiker'],
		['userunknown', '5.0.0', 'smtp; 550 该邮箱不存在'],
		['userunknown', '5.0.0', 'smtp; 550 宛先のメールアドレスは存在しません'],
		['mailboxfull', '5.0.0', 'smtp; 552 邮箱空间不足'],
		['hostunknown', '5.0.0', 'smtp; 550 宛先のドメインが見つかりません'],
		['spamdetected', '5.0.0', 'smtp; 554 该邮件被判定为垃圾邮件'],
		['filtered', '5.0.0', 'smtp; 550 受信拒否設定により配信できませんでした'],
		['filtered', '5.1.1', "smtp; 550 5.1.1 RCP-P2 The attempted recipient's preferences prevent messages from being delivered"],
		['requireptr', '5.0.0', "smtp; 550 DY-001 Unfortunately, messages from 192.0.2.1 weren't sent. We do not relay dynamically-assigned IP ranges."],
		['blocked', '5.7.708', 'smtp; 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP'],
		['securityerror', '5.7.57', 'smtp; 530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM'],
		['hostunknown', '5.0.0', 'smtp; The domain name in the email address is incorrect. Check the address.'],
		['contenterror', '5.7.1', 'smtp; 550 5.7.1 Message rejected due to content restrictions'],
	])('%s ← %s %s', async (reason, status, diagnostic) => {
		const [r] = await classifyMessage(dsn({ human: 'Delivery failed.', recipient: 'x@dest.example', status, diagnostic }));
		expect(r).toMatchObject({ recipient: 'x@dest.example', reason, status });
	});

	it('"for MAIL FROM command" names the refused command (1&1 style): a sender refusal, not a bad recipient', async () => {
		const diag = (cmd: string) =>
			`SMTP error from remote server for ${cmd} command, host: mx.dest.example (192.0.2.1) reason: 550 5.7.1 Access denied`;
		const [mail] = await classifyMessage(dsn({ human: 'failed', recipient: 'x@dest.example', status: '5.7.1', diagnostic: `smtp; ${diag('MAIL FROM')}` }));
		expect(mail).toMatchObject({ reason: 'rejected', status: '5.7.1' });
		const [rcpt] = await classifyMessage(dsn({ human: 'failed', recipient: 'x@dest.example', status: '5.7.1', diagnostic: `smtp; ${diag('RCPT TO')}` }));
		expect(rcpt).toMatchObject({ reason: 'securityerror', status: '5.7.1' });
	});

	it('a Google Groups refusal in any language is a refusal of the poster', async () => {
		const [r] = await classifyMessage(
			plain(
				'Nachricht nicht zugestellt',
				'Die Gruppe, die Sie kontaktieren wollten (billing), existiert nicht, oder Sie haben keine Berechtigung.\r\nHilfe: https://groups.google.com/support/\r\n\r\n----- Original message -----\r\nTo: billing@googlegroups.com\r\n',
				['X-Failed-Recipients: billing@googlegroups.com'],
			),
		);
		expect(r).toMatchObject({ recipient: 'billing@googlegroups.com', reason: 'rejected', kind: 'soft' });
	});
});

describe('recognising plain reports in more languages', () => {
	it.each([
		['Onbestelbaar: Herinnering', 'Uw bericht kon niet worden bezorgd aan de volgende ontvanger:'],
		['Niedostarczalne: Przypomnienie', 'Wiadomość nie mogła zostać dostarczona do następującego odbiorcy:'],
		['Olevererbart: Påminnelse', 'Meddelandet kunde inte levereras till följande mottagare:'],
	])('%s', async (subject, intro) => {
		const [r] = await classifyMessage(
			[
				// Exchange sends its reports from a per-organisation arbitration mailbox, not from a postmaster.
				'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@dest.example>',
				'To: billing@shop.example',
				`Subject: ${subject}`,
				'Content-Type: text/plain; charset=utf-8',
				'',
				intro,
				'',
				'  ola@dest.example',
				'  550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
				'',
			].join('\r\n'),
		);
		expect(r).toMatchObject({ isBounce: true, recipient: 'ola@dest.example', reason: 'userunknown', status: '5.1.1', kind: 'hard' });
	});
});

describe('recognising a Coremail-style Chinese report by its text ("邮件被退回", "退信原因")', () => {
	it('a postmaster notice whose subject says nothing is a bounce by its words', async () => {
		const [r] = await classifyMessage(
			[
				'From: postmaster@mail.client.example',
				'To: billing@shop.example',
				'Subject: System notification',
				'Content-Type: text/plain; charset=utf-8',
				'',
				'您发送的邮件被退回。',
				'收件人: wang@client.example',
				'退信原因: 收件人邮箱不存在',
				'',
			].join('\r\n'),
		);
		expect(r).toMatchObject({ isBounce: true, recipient: 'wang@client.example', reason: 'userunknown' });
	});
});

describe('plain reports of servers without a delivery-status part', () => {
	it('MDaemon\'s "PERMANENT fatal delivery errors" (its Permanent Delivery Failure notice) is a report, read from its transcript', async () => {
		const raw = [
			'Return-Path: <>',
			'From: MDaemon@mail.example.net',
			'To: billing@shop.example',
			'Subject: Permanent Delivery Failure',
			'Content-Type: text/plain',
			'',
			'The attached message had PERMANENT fatal delivery errors!',
			'',
			'--- Session Transcript ---',
			' RCPT TO:<kunde@example.net>',
			' 550 5.1.1 <kunde@example.net>... User unknown',
			'--- End Transcript ---',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', reason: 'userunknown', status: '5.1.1', category: 'addressDead' });
	});
});

describe('Sendmail transcripts with several conversations', () => {
	it('a recipient is explained by its own "while talking to" conversation, not by the host before it', async () => {
		const raw = [
			'Return-Path: <>',
			'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.shop.example>',
			'To: billing@shop.example',
			'Subject: Returned mail: see transcript for details',
			'Content-Type: text/plain',
			'',
			'   ----- Transcript of session follows -----',
			'While talking to smtp.example.com:',
			'>>> QUIT',
			'<<< 421 smtp.example.com Sorry, unable to contact destination SMTP daemon.',
			'421 smtp.example.com (smtp)... Deferred: Connection reset by peer during greeting wait with smtp.example.com',
			'While talking to mail.example.net:',
			'>>> RCPT To:<kunde@example.net>',
			'<<< 550 Requested User Mailbox not found. No such user here.',
			'550 <kunde@example.net>... User unknown',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', reason: 'userunknown', replyCode: '550', category: 'addressDead' });
	});
});

describe('qmail-remote closing line', () => {
	it('"Giving up on <host>." ends every permanent qmail report: no expiry; the queue lifetime is', () => {
		expect(reasonFromText('Remote host said: 554 something odd happened Giving up on 203.0.113.9.')).not.toBe('expired');
		expect(reasonFromText("I'm not going to try again; this message has been in the queue too long.")).toBe('expired');
	});
});

describe('the MTAs\' own texts for their failures (their source code)', () => {
	it('reads Exim\'s and OpenSMTPD\'s own wordings by their cause', () => {
		// Exim, transport.c / transports/smtp.c.
		expect(reasonFromText('message has lines too long for transport')).toBe('syntaxerror');
		expect(reasonFromText('a TLS session is required, but the server did not offer TLS support')).toBe('failedstarttls');
		expect(reasonFromText('host lookup did not complete')).toBe('networkerror');
		expect(reasonFromText('host mx.example.org [192.0.2.2]: Remote host closed connection in response to end of data')).toBe('networkerror');
		// OpenSMTPD, mta.c: temporary failures of the MX lookup, never a domain that accepts no mail.
		expect(reasonFromText('No MX found for domain')).toBe('networkerror');
		expect(reasonFromText('Temporary failure in MX lookup')).toBe('networkerror');
		expect(reasonFromText('Destination seem to reject all mails')).toBe('networkerror');
	});
});

describe('"Absender" (sender) in a report names whose address, not that it was refused', () => {
	it('a recipient who takes mail only from approved senders filters; a sender address refused is ours', () => {
		// A gateway's quarantine notice and an Exim 550: the recipient's allow-list, as Exchange's
		// "allowed senders list" (5.7.133) is. Counted as a refusal of our sender it would pause the mailbox.
		expect(reasonFromText('Grund: Der Empfänger nimmt E-Mails mit Anhängen nur von freigegebenen Absendern an; Ihre Absenderadresse ist nicht freigegeben.')).toBe('filtered');
		expect(reasonFromText('550 5.7.1 <einkauf@kunde.example>: Der Empfaenger nimmt nur E-Mails von bestaetigten Absendern an')).toBe('filtered');
		expect(reasonFromText('Absender:  buchhaltung@muster.example  Betreff: Zahlungserinnerung')).toBeNull();
		const our = ['550 5.7.1 Absenderadresse abgelehnt', '550 Absender unbekannt', '554 Ungültige Absenderadresse', '550 Absender-Domain ungueltig', '550 Absender nicht zugelassen', '550 Expediteur non autorise', '553 Direccion de remitente invalida', '550 Remitente rechazado por política'];
		// (the sender's address in the genitive is ours, before a missing recipient's "nicht bekannt")
		for (const text of [...our, '550 Die E-Mail-Adresse des Absenders ist nicht bekannt']) expect({ text, reason: reasonFromText(text) }).toEqual({ text, reason: 'rejected' });
	});

	it('the recipient\'s own block or allow list, in German, French and Spanish, filters: no alarm about our sender', () => {
		for (const text of [
			'550 5.7.1 Absender vom Empfaenger gesperrt',
			'550 5.7.1 Expéditeur refusé par le destinataire',
			'550 Remitente bloqueado por el usuario',
			'550 Der Empfänger nimmt nur E-Mails von Absendern aus seinem persönlichen Adressbuch an. Absender abgelehnt',
		]) {
			expect({ text, reason: reasonFromText(text) }).toEqual({ text, reason: 'filtered' });
		}
	});
});
