import { classifyMessage } from '../../lib/bounce';

/** A "user unknown" report about the reminder to erika@customer.example, with chosen sender headers. */
function report(senderHeaders: string[], opts: { dsnPart?: boolean } = {}): string {
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
	return [...senderHeaders, 'To: billing@shop.example', 'Subject: Undelivered Mail Returned to Sender', 'MIME-Version: 1.0', ...body, ''].join('\r\n');
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

	it('what remains possible: the null sender from another address is taken as a report', async () => {
		// README, Classify Bounce: a forger who sends with an empty envelope sender gets through.
		const [r] = await classifyMessage(report(['Return-Path: <>', RECEIVED, 'From: Someone <someone@elsewhere.example>'], { dsnPart: false }));
		expect(r).toMatchObject({ kind: 'hard', recipient: 'erika@customer.example' });
	});
});
