import { classifyMessage } from '../../lib/bounce';

/** A "user unknown" report about the reminder to erika@customer.example, with chosen sender headers. */
function report(senderHeaders: string[], opts: { dsnPart?: boolean; subject?: string } = {}): string {
	const quotedOriginal = [
		'Message-ID: <rem-INV-42-2@shop.example>',
		'From: billing@shop.example',
		'To: erika@customer.example',
		'X-Dunning-Invoice: INV-42',
		'X-Dunning-Level: 2',
		'Subject: 2. Mahnung',
	];
	const human = 'Your message could not be delivered to the following recipient:\r\n\r\n  erika@customer.example\r\n  550 5.1.1 User unknown';
	const body = opts.dsnPart === false
		? ['Content-Type: text/plain; charset=utf-8', '', human, '', '------ Original message headers ------', ...quotedOriginal]
		: [
				'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
				'',
				'--r',
				'Content-Type: text/plain',
				'',
				human,
				'--r',
				'Content-Type: message/delivery-status',
				'',
				'Reporting-MTA: dns; mx.customer.example',
				'',
				'Final-Recipient: rfc822; erika@customer.example',
				'Action: failed',
				'Status: 5.1.1',
				'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
				'--r',
				'Content-Type: text/rfc822-headers',
				'',
				...quotedOriginal,
				'--r--',
			];
	return [...senderHeaders, 'To: billing@shop.example', `Subject: ${opts.subject ?? 'Undelivered Mail Returned to Sender'}`, 'MIME-Version: 1.0', ...body, ''].join('\r\n');
}

const RECEIVED = 'Received: from mx.customer.example (mx.customer.example [192.0.2.7]) by mail.shop.example; Mon, 3 Mar 2025 10:00:00 +0000';

describe('a report counts as a bounce only when a mail system sent it', () => {
	it('a DSN look-alike from the customer\'s own address, through a real server, is not a bounce of the reminder', async () => {
		const r = await classifyMessage(report(['Return-Path: <erika@customer.example>', RECEIVED, 'From: Erika Kunde <erika@customer.example>']));
		expect(r).toHaveLength(1);
		expect(r[0]).toMatchObject({ isBounce: false, kind: 'none', reason: null, recipient: null, invoiceId: 'INV-42', level: 2 });
		expect(r[0].diagnostic).toMatch(/comes from erika@customer\.example, the address it reports as failed/);
	});

	it('a plain-text look-alike from a person\'s other address is not a bounce either', async () => {
		const r = await classifyMessage(report(['Return-Path: <erika.private@mail.example>', RECEIVED, 'From: Erika <erika.private@mail.example>'], { dsnPart: false }));
		expect(r).toHaveLength(1);
		expect(r[0]).toMatchObject({ isBounce: false, kind: 'none' });
		expect(r[0].diagnostic).toMatch(/not sent by a mail system/);
	});

	it('the same report from MAILER-DAEMON with the null sender is a hard bounce of the reminder', async () => {
		const [r] = await classifyMessage(report(['Return-Path: <>', RECEIVED, 'From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>']));
		expect(r).toMatchObject({ isBounce: true, kind: 'hard', reason: 'userunknown', status: '5.1.1', recipient: 'erika@customer.example', invoiceId: 'INV-42', level: 2 });
	});

	it('a plain-text report from postmaster without a Return-Path still counts (mailboxes that keep no envelope)', async () => {
		const [r] = await classifyMessage(report([RECEIVED, 'From: postmaster@mx.customer.example'], { dsnPart: false }));
		expect(r).toMatchObject({ kind: 'hard', recipient: 'erika@customer.example', invoiceId: 'INV-42' });
	});

	it('a delivery-status report received through a server counts whatever its From says', async () => {
		const [r] = await classifyMessage(report([RECEIVED, 'From: Delivery Reports <reports@isp.example>']));
		expect(r).toMatchObject({ kind: 'hard', recipient: 'erika@customer.example' });
	});

	it('the same report that never passed a server (no Received header) does not', async () => {
		const [r] = await classifyMessage(report(['From: Delivery Reports <reports@isp.example>']));
		expect(r).toMatchObject({ isBounce: false, kind: 'none' });
	});

	it('a "Mail Delivery System" display name over a person\'s address with an envelope sender is typed, not a report', async () => {
		const typed = report(['Return-Path: <max@customer.example>', RECEIVED, 'From: Mail Delivery System <max@customer.example>'], { dsnPart: false });
		const [r] = await classifyMessage(typed);
		expect(r).toMatchObject({ isBounce: false, kind: 'none', recipient: null });
		expect(r.diagnostic).toMatch(/not sent by a mail system/);
		// The display name still counts where no envelope sender was kept.
		const [kept] = await classifyMessage(typed.replace('Return-Path: <max@customer.example>\r\n', ''));
		expect(kept).toMatchObject({ kind: 'hard', recipient: 'erika@customer.example' });
		// A forwarder's envelope (SRS carries the person's own sender) is no sign of a report; Exim's
		// X-Failed-Recipients, which it puts on its bounces only, is.
		const [srs] = await classifyMessage(typed.replace('Return-Path: <max@customer.example>', 'Return-Path: <SRS0=ab12=CD=customer.example=max@forwarder.example>'));
		expect(srs).toMatchObject({ isBounce: false, kind: 'none' });
		const [exim] = await classifyMessage(typed.replace('Return-Path: <max@customer.example>', 'Return-Path: <SRS0=ab12=CD=customer.example=max@forwarder.example>\r\nX-Failed-Recipients: erika@customer.example'));
		expect(exim).toMatchObject({ kind: 'hard', recipient: 'erika@customer.example' });
		// Courier's default sender ("Courier mail server at <host>" <@>, its config_dsnfrom) with no envelope kept.
		const [courier] = await classifyMessage(report([RECEIVED, 'From: "Courier mail server at mx.customer.example" <@>'], { dsnPart: false }));
		expect(courier).toMatchObject({ kind: 'hard', recipient: 'erika@customer.example' });
	});

	it('a bounce text pasted into an answer to the reminder is the person answering, postmaster@ or not', async () => {
		const sender = ['Return-Path: <postmaster@customer.example>', RECEIVED, 'From: postmaster@customer.example'];
		const [r] = await classifyMessage(report(sender, { dsnPart: false, subject: 'AW: 2. Mahnung' }));
		expect(r).toMatchObject({ isBounce: false, kind: 'none', category: 'reply', recipient: 'postmaster@customer.example', invoiceId: 'INV-42' });
		// The same text under a report's subject is postmaster's report.
		const [report_] = await classifyMessage(report(sender, { dsnPart: false }));
		expect(report_).toMatchObject({ kind: 'hard', category: 'addressDead', recipient: 'erika@customer.example' });
	});

	it('what remains possible: the null sender from another address is taken as a report', async () => {
		// README, Classify Bounce: a forger who sends with an empty envelope sender gets through.
		const [r] = await classifyMessage(report(['Return-Path: <>', RECEIVED, 'From: Someone <someone@elsewhere.example>'], { dsnPart: false }));
		expect(r).toMatchObject({ kind: 'hard', recipient: 'erika@customer.example' });
	});
});

/** A message with our reminder to erika@customer.example attached, and a feedback part when given. */
function withReminderAttached(headers: string[], feedbackFields?: string[]): string {
	const reminder = ['Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>', 'From: billing@shop.example', 'To: erika@customer.example', 'X-Dunning-Invoice: INV-42', 'X-Dunning-Level: 2', 'Subject: 2. Mahnung', '', 'Bitte zahlen Sie.'];
	const feedback = feedbackFields ? ['--b', 'Content-Type: message/feedback-report', '', ...feedbackFields] : [];
	const type = feedbackFields ? 'multipart/report; report-type=feedback-report; boundary="b"' : 'multipart/mixed; boundary="b"';
	return [...headers, 'To: billing@shop.example', 'MIME-Version: 1.0', `Content-Type: ${type}`, '', '--b', 'Content-Type: text/plain', '', 'See the attached message.', ...feedback, '--b', 'Content-Type: message/rfc822', '', ...reminder, '--b--', ''].join('\r\n');
}

describe('a complaint counts only when a feedback loop sent it', () => {
	it('the customer\'s own "Complaint" with the reminder attached is no spam complaint (the e-mail address stays open): a person writing about it', async () => {
		const [r] = await classifyMessage(withReminderAttached(['Return-Path: <erika@customer.example>', RECEIVED, 'From: Erika <erika@customer.example>', 'Subject: Complaint: invoice INV-42 was paid on 3 March']));
		expect(r).toMatchObject({ kind: 'none', category: 'reply', invoiceId: 'INV-42' });
	});

	it('a reply with "complaint" in its subject is the customer\'s reply, not a complaint', async () => {
		const [r] = await classifyMessage(withReminderAttached(['Return-Path: <chef@customer.example>', RECEIVED, 'From: Chef <chef@customer.example>', 'In-Reply-To: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>', 'Subject: AW: Complaint about your reminder']));
		expect(r).toMatchObject({ category: 'reply', recipient: 'chef@customer.example' });
	});

	it('a feedback loop\'s plain complaint (Hotmail JMRP form) and an RFC 5965 abuse report are complaints', async () => {
		const [plain] = await classifyMessage(withReminderAttached(['Return-Path: <neko@feedback.example>', RECEIVED, 'From: <staff@hotmail.com>', 'Subject: complaint about message from 192.0.2.222']));
		expect(plain).toMatchObject({ kind: 'complaint', category: 'complaint', recipient: 'erika@customer.example', feedbackType: 'abuse' });
		const [arf] = await classifyMessage(withReminderAttached(['From: <fbl@isp.example>', 'Subject: Abuse report'], ['Feedback-Type: abuse', 'User-Agent: FBL/1.0', 'Version: 1', 'Original-Rcpt-To: erika@customer.example']));
		expect(arf).toMatchObject({ kind: 'complaint', category: 'complaint', recipient: 'erika@customer.example' });
	});

	// The plain (non-ARF) form comes only from feedback loops, machines: a provider's feedback desk
	// (Hotmail's JMRP, staff@hotmail.com), or a message marked machine-made (the null reverse-path,
	// RFC 5321 §4.5.5; Auto-Submitted other than "no", RFC 3834 §5). A person's "Complaint" with the
	// reminder attached disputes it: someone must read it, and the address stays open.
	it("a person's \"Complaint\" with the reminder attached (their lawyer, their private address) is a reply, not a spam complaint", async () => {
		const lawyer = ['Return-Path: <kanzlei@recht-anwalt.example>', RECEIVED, 'From: RA Dr. Recht <kanzlei@recht-anwalt.example>', 'Subject: Complaint on behalf of our client - reminder INV-42', 'Message-ID: <c2@recht-anwalt.example>', 'User-Agent: Mozilla Thunderbird'];
		const [r] = await classifyMessage(withReminderAttached(lawyer));
		expect(r).toMatchObject({ kind: 'none', category: 'reply', recipient: 'kanzlei@recht-anwalt.example', invoiceId: 'INV-42', originalMessageId: '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>' });
		expect(r.replyText).toMatch(/attached message/);
		for (const [from, subject] of [
			['Erika <erika.privat@gmail.com>', 'Complaint about reminder fee INV-42'],
			['Erika <erika.privat@gmail.com>', 'Spam-Beschwerde'],
			// A desk's name at a domain that is no mailbox provider's, written by hand.
			['<staff@hotmail.example>', 'complaint about message from 192.0.2.222'],
		]) {
			const [p] = await classifyMessage(withReminderAttached([`Return-Path: <${/<(.+)>/.exec(from)![1]}>`, RECEIVED, `From: ${from}`, `Subject: ${subject}`]));
			expect(p).toMatchObject({ category: 'reply', invoiceId: 'INV-42' });
		}
	});

	it('a plain complaint marked machine-made (null reverse-path, Auto-Submitted) is a feedback loop; our own colleague passing one on is none of the two', async () => {
		const [nullPath] = await classifyMessage(withReminderAttached(['Return-Path: <>', RECEIVED, 'From: Abuse Desk <abuse@isp.example>', 'Subject: Abuse report']));
		expect(nullPath).toMatchObject({ kind: 'complaint', category: 'complaint', recipient: 'erika@customer.example', feedbackType: 'abuse' });
		const [generated] = await classifyMessage(withReminderAttached(['Return-Path: <fbl-bounces@isp.example>', RECEIVED, 'From: <feedback@isp.example>', 'Auto-Submitted: auto-generated', 'Subject: Spam report']));
		expect(generated).toMatchObject({ category: 'complaint', recipient: 'erika@customer.example' });
		// "Auto-Submitted: no" (RFC 3834 §5) is a person's message.
		const [no] = await classifyMessage(withReminderAttached(['Return-Path: <kanzlei@recht-anwalt.example>', RECEIVED, 'From: <kanzlei@recht-anwalt.example>', 'Auto-Submitted: no', 'Subject: Complaint']));
		expect(no.category).toBe('reply');
		// Our colleague who passes the reminder on under "Complaint" is neither the customer nor a loop.
		const [colleague] = await classifyMessage(withReminderAttached(['Return-Path: <vertrieb@shop.example>', 'From: Vertrieb <vertrieb@shop.example>', 'Subject: Complaint from customer about INV-42']));
		expect(colleague.category).not.toMatch(/^(?:complaint|reply)$/);
	});

	it('an RFC 5965 report of type not-spam (RFC 6430) is no complaint', async () => {
		const [r] = await classifyMessage(withReminderAttached(['From: <fbl@isp.example>', 'Subject: Report'], ['Feedback-Type: not-spam', 'User-Agent: FBL/1.0', 'Version: 1', 'Original-Rcpt-To: erika@customer.example']));
		expect(r).toMatchObject({ kind: 'none', category: 'none', invoiceId: 'INV-42' });
		expect(r.diagnostic).toMatch(/not-spam/);
	});
});
