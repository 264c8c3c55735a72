/**
 * Remote-MTA and Reporting-MTA reach the classifier's result as host names or not at all (RFC 3464
 * §2.3.5, §2.2.2: an mta-name of type `dns` is a host name or an address). A report is anyone's to
 * write, and the result goes into sheets, HTML e-mails and logs. Before mtaHostName
 * (lib/bounce/text-bounds.ts) the value was copied as written, only cut in length: the hostile
 * cases below came out as "<img src=x onerror=alert(1)>" and so on.
 */
import { classifyMessage } from '../../lib/bounce';
import { mtaHostName } from '../../lib/bounce/text-bounds';
import { buildDsn } from './dsn-builder';

const returned = ['Message-ID: <rem-INV-7-1@shop.example>', 'X-Dunning-Invoice: INV-7', 'X-Dunning-Level: 1'];

/** A "user unknown" report whose recipient group carries `remoteMtaLine` as written. */
async function remoteMtaOf(remoteMtaLine: string): Promise<string | null> {
	const raw = buildDsn({
		recipients: [['Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.1.1', remoteMtaLine, 'Diagnostic-Code: smtp; 550 5.1.1 User unknown'].join('\r\n')],
		returned,
	});
	const [r] = await classifyMessage(raw);
	expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', reason: 'userunknown' });
	return r.remoteMta;
}

describe('Remote-MTA in the result', () => {
	it.each([
		['dns; <img src=x onerror=alert(1)>'],
		['dns; mx.example.net<script>alert(1)</script>'],
		['dns; "><svg onload=alert(1)>'],
		['dns; mx.example.net javascript:alert(1)'],
		['dns; mail server down'],
		['dns; -mx-.example.net'],
		[`dns; ${'a'.repeat(64)}.example.net`],
		[`dns; ${'a.'.repeat(130)}example`],
		['dns; mx.exämple.de'],
		['dns; [192.0.2.1'],
		['dns; [not an address]'],
		['x-local; the big server in the basement'],
	])('%s is no host name: null', async (line) => {
		expect(await remoteMtaOf(`Remote-MTA: ${line}`)).toBeNull();
	});

	it.each([
		['dns; mx.example.net', 'mx.example.net'],
		['DNS; mx.example.jp', 'mx.example.jp'],
		['dns;mx.example.jp (TCP|192.0.2.1|25|198.51.100.7|25)', 'mx.example.jp'],
		// Gmail: the host with its root dot, then a comment.
		['dns; mx.example.jp. (198.51.100.7, the server for the domain example.jp.)', 'mx.example.jp.'],
		['dns; mx.example.co.jp [192.0.2.44]', 'mx.example.co.jp'],
		['dns; [192.0.2.1] [192.0.2.1]', '[192.0.2.1]'],
		['dns; 192.0.2.1', '192.0.2.1'],
		['dns; [IPv6:2001:db8::25]', '[IPv6:2001:db8::25]'],
		['dns; 2001:db8::25', '2001:db8::25'],
		['dns; NEKO01MB1234.namprd04.prod.outlook.com', 'NEKO01MB1234.namprd04.prod.outlook.com'],
		['dns; _mx.example.net', '_mx.example.net'],
		// Other types, as real MTAs write them: read the same way.
		['smtp;mx.example.org', 'mx.example.org'],
		['X-Unix; mirapoint', 'mirapoint'],
		// No type at all (older MTAs).
		['192.0.2.9', '192.0.2.9'],
	])('%s names %s', async (line, host) => {
		expect(await remoteMtaOf(`Remote-MTA: ${line}`)).toBe(host);
	});
});

describe('Reporting-MTA in the result', () => {
	it('a hostile per-message Reporting-MTA is null', async () => {
		const raw = buildDsn({ reportingMta: '<b onmouseover=alert(1)>relay</b>', recipients: [{ final: 'kunde@example.net', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 User unknown' }], returned });
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ recipient: 'kunde@example.net', reason: 'userunknown', reportingMta: null });
	});

	it("a hostile Reporting-MTA in a recipient's group falls back to the report's own", async () => {
		const raw = buildDsn({
			reportingMta: 'relay.example.net',
			recipients: [['Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.1.1', 'Reporting-MTA: dns; <iframe src=//evil.example>', 'Diagnostic-Code: smtp; 550 5.1.1 User unknown'].join('\r\n')],
			returned,
		});
		const [r] = await classifyMessage(raw);
		expect(r.reportingMta).toBe('relay.example.net');
	});
});

describe('Amazon SES notifications (JSON anyone can write)', () => {
	const ses = (json: object) =>
		['From: SES Notifications <no-reply@sns.amazonaws.example>', 'To: billing@shop.example', 'Subject: AWS Notification Message', 'Content-Type: text/plain; charset=UTF-8', '', JSON.stringify(json), ''].join('\r\n');
	const mail = { messageId: '0101-abc', headers: [{ name: 'X-Dunning-Invoice', value: 'INV-7' }, { name: 'X-Dunning-Level', value: '1' }] };

	it("a bounce's reportingMTA: SES's own \"dsn; host\" is kept, markup is null", async () => {
		const bounce = (reportingMTA: string) => ses({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'kunde@example.net', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }], reportingMTA }, mail });
		expect((await classifyMessage(bounce('dsn; a1-2.smtp-out.amazonses.com')))[0].reportingMta).toBe('a1-2.smtp-out.amazonses.com');
		expect((await classifyMessage(bounce('dsn; <img src=x onerror=alert(1)>')))[0].reportingMta).toBeNull();
	});

	it("a delivery's remoteMtaIp and reportingMTA: addresses and hosts only", async () => {
		const delivery = (remoteMtaIp: string, reportingMTA: string) => ses({ notificationType: 'Delivery', delivery: { recipients: ['kunde@example.net'], smtpResponse: '250 ok', remoteMtaIp, reportingMTA }, mail });
		expect(await classifyMessage(delivery('198.51.100.7', 'a1-2.smtp-out.amazonses.com'))).toEqual([expect.objectContaining({ remoteMta: '198.51.100.7', reportingMta: 'a1-2.smtp-out.amazonses.com' })]);
		expect(await classifyMessage(delivery('<script>alert(1)</script>', 'x onerror=alert(1)'))).toEqual([expect.objectContaining({ remoteMta: null, reportingMta: null })]);
	});
});

describe('mtaHostName', () => {
	it('takes no more than a host name can be, whatever follows it', () => {
		expect(mtaHostName(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`)).toHaveLength(253);
		expect(mtaHostName(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`)).toBeNull();
		expect(mtaHostName(null)).toBeNull();
		expect(mtaHostName('   ')).toBeNull();
	});
});
