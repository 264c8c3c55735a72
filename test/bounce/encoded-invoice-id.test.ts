/**
 * A non-ASCII invoice id travels as RFC 2047 encoded words: Send Reminder Email writes
 * `X-Dunning-Invoice: =?UTF-8?Q?RE-=C3=841/2026?=`. Classify Bounce and Read Mailbox give back the
 * id as it was sent, not its encoded form, so that it matches the ledger's row.
 */
import { classifyMessage } from '../../lib/bounce';
import { correlationFromText, correlationValue } from '../../lib/bounce/correlation';
import { buildReminderMessage } from '../../lib/mail/message';
import { messageHeaders } from '../../lib/mailbox/headers';
import { buildDsn } from './dsn-builder';

const LONG_ID = `RE-Ä1/2026-${'Ü'.repeat(30)}`;

async function reminder(invoiceId: string, runId = 'run-1'): Promise<Buffer> {
	const m = await buildReminderMessage({ sender: { address: 'dunning@example.test' }, to: 'k@example.org', subject: 'Zahlungserinnerung', text: 'Bitte zahlen.', invoiceId, level: 1, runId });
	return m.raw;
}

/** The header block of a raw message, as lines. */
function headerLines(raw: Buffer): string[] {
	return raw.toString('latin1').split(/\r\n\r\n/, 1)[0].split('\r\n');
}

/** A Postfix-like report with the whole reminder attached as message/rfc822. */
function reportAttaching(original: Buffer): Buffer {
	const dsn = [
		'From: MAILER-DAEMON@example.test',
		'To: dunning@example.test',
		'Subject: Undelivered Mail Returned to Sender',
		'MIME-Version: 1.0',
		'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"',
		'',
		'--BB',
		'Content-Type: text/plain',
		'',
		'failed',
		'--BB',
		'Content-Type: message/delivery-status',
		'',
		'Reporting-MTA: dns; mx.example.org',
		'',
		'Final-Recipient: rfc822; k@example.org',
		'Action: failed',
		'Status: 5.1.1',
		'Diagnostic-Code: smtp; 550 5.1.1 <k@example.org>: Recipient address rejected: User unknown',
		'',
		'--BB',
		'Content-Type: message/rfc822',
		'',
		original.toString('latin1'),
		'--BB--',
		'',
	].join('\r\n');
	return Buffer.from(dsn, 'latin1');
}

describe('correlationValue', () => {
	it('decodes encoded words, leaves plain ids alone, and gives none for an empty value', () => {
		expect(correlationValue('=?UTF-8?Q?RE-=C3=841/2026?=')).toBe('RE-Ä1/2026');
		expect(correlationValue('=?UTF-8?Q?RE-=C3=84?= =?UTF-8?Q?1?=')).toBe('RE-Ä1');
		expect(correlationValue('RE-1/2026')).toBe('RE-1/2026');
		expect(correlationValue('=?UTF-8?B??=')).toBeUndefined();
		expect(correlationValue(undefined)).toBeUndefined();
	});
});

describe('a non-ASCII invoice id as Send Reminder Email writes it', () => {
	it('is sent encoded (the premise of the tests below)', async () => {
		expect(headerLines(await reminder('RE-Ä1/2026'))).toContain('X-Dunning-Invoice: =?UTF-8?Q?RE-=C3=841/2026?=');
	});

	it('Classify Bounce: a report attaching the reminder gives the invoice id decoded', async () => {
		const [b] = await classifyMessage(reportAttaching(await reminder('RE-Ä1/2026', 'Lauf-Ö')));
		// Before: '=?UTF-8?Q?RE-=C3=841/2026?='.
		expect(b).toMatchObject({ isBounce: true, invoiceId: 'RE-Ä1/2026', level: 1 });
		expect(b.originalMessageId).toMatch(/^<dunning\.1\./);
	});

	it('Classify Bounce: a long id folded into several encoded words, in returned headers (text/rfc822-headers)', async () => {
		const lines = headerLines(await reminder(LONG_ID));
		const folded = lines.findIndex((l) => l.startsWith('X-Dunning-Invoice:'));
		// Folded over more than one line, as a long header is.
		expect(lines[folded + 1]).toMatch(/^[ \t]+=\?UTF-8\?Q\?/);
		const dsn = buildDsn({ recipients: [{ final: 'k@example.org', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 User unknown' }], returned: lines });
		const [b] = await classifyMessage(Buffer.from(dsn, 'latin1'));
		expect(b.invoiceId).toBe(LONG_ID);
	});

	it('header lines quoted in a text', () => {
		expect(correlationFromText('Message-ID: <a@b>\r\nX-Dunning-Invoice: =?UTF-8?Q?RE-=C3=841/2026?=\r\nX-Dunning-Run: =?UTF-8?Q?Lauf-=C3=96?=\r\n')).toMatchObject({
			invoiceId: 'RE-Ä1/2026',
			runId: 'Lauf-Ö',
		});
	});

	it('Read Mailbox: dunningInvoice and dunningRun of a message carrying them at the top level', async () => {
		const h = messageHeaders(undefined, await reminder(LONG_ID, 'Lauf-Ö'));
		// Before: the encoded words as written.
		expect(h).toMatchObject({ dunningInvoice: LONG_ID, dunningLevel: '1', dunningRun: 'Lauf-Ö' });
		expect(messageHeaders(undefined, Buffer.from('X-Dunning-Invoice: =?UTF-8?Q?RE-=C3=841?=\r\nX-Dunning-Level: 2\r\n\r\nbody\r\n')).dunningInvoice).toBe('RE-Ä1');
	});
});
