/**
 * Hostile message shapes that once stalled Classify Bounce (issue 16), each built at a chosen size
 * so that the benchmark can tell linear from super-linear cost. Shared by the benchmark and tests.
 */

import { buildDsn } from './dsn-builder';

const CRLF = '\r\n';

/** Repeats `unit` until the result is about `bytes` long (never empty). */
export function fill(unit: string, bytes: number): string {
	return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

/** A plain-text report from the mail system, the kind every plain bounce check reads. */
export function plainBounce(body: string, extraHeaders: string[] = [], subject = 'Undelivered Mail Returned to Sender'): string {
	return [
		'Return-Path: <>',
		'Received: from mx.example.net by mail.example.test; Mon, 3 Mar 2025 10:00:00 +0000',
		'From: Mail Delivery System <MAILER-DAEMON@mail.example.test>',
		'To: billing@shop.example',
		`Subject: ${subject}`,
		...extraHeaders,
		'Content-Type: text/plain; charset=utf-8',
		'',
		'This is the mail system at host mail.example.test.',
		'I\'m sorry to have to inform you that your message could not be delivered.',
		'',
		body,
		'',
	].join(CRLF);
}

/** An RFC 3464 report with the given per-recipient fields and human-readable text. */
export function dsn(recipientFields: string, human = 'Your message could not be delivered.', htmlHuman?: string): string {
	return buildDsn({
		received: ['Received: from mx.example.net by mail.example.test; Mon, 3 Mar 2025 10:00:00 +0000'],
		subject: 'Delivery Status Notification (Failure)',
		from: 'MAILER-DAEMON@mail.example.test',
		mimeVersion: false,
		...(htmlHuman === undefined ? { humanType: 'text/plain; charset=utf-8', human } : { humanType: 'text/html; charset=utf-8', human: htmlHuman }),
		reportingMta: 'mail.example.test',
		recipients: [recipientFields],
		returned: ['Message-ID: <rem-INV-1-1@shop.example>', 'X-Dunning-Invoice: INV-1', 'X-Dunning-Level: 1'],
		spaced: false,
	});
}

/** A customer's ordinary reply: every message that is not a report reaches the auto-reply check. */
export function reply(subject: string, body = 'Thanks, we will pay next week.', extraHeaders: string[] = []): string {
	return [
		'From: Erika Kunde <erika@customer.example>',
		'To: billing@shop.example',
		`Subject: ${subject}`,
		...extraHeaders,
		'Content-Type: text/plain; charset=utf-8',
		'',
		body,
		'',
	].join(CRLF);
}

const USER_UNKNOWN = 'Final-Recipient: rfc822; dead@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown';

/** name → message of about `bytes` bytes. */
const HUNDRED = Array.from({ length: 100 }, (_, i) => `a${i}@example.org`).join(', ');

export const ADVERSARIAL_SHAPES: Record<string, (bytes: number) => string> = {
	subjectReplyPrefixes: (n) => reply(`${fill('AW: Re: ', n)}\u0001`),
	subjectSpaces: (n) => reply(`${fill(' ', n)}x`),
	bounceSubjectSpaces: (n) => plainBounce('dead@example.org: 550 User unknown', [], `Undelivered${fill(' ', n)}x`),
	addressThenSpaces: (n) => plainBounce(`dead@example.org${fill(' ', n)}x`),
	longWord: (n) => plainBounce(fill('a', n)),
	longWordWithAt: (n) => plainBounce(`${fill('a', n / 2)}@${fill('b', n / 2)}`),
	dotRuns: (n) => plainBounce(fill('a.', n)),
	atRuns: (n) => plainBounce(fill('a@', n)),
	dashRuns: (n) => plainBounce(fill('-', n)),
	dashLines: (n) => plainBounce(fill('--------------------------------------------------------------\r\n', n)),
	quoteRuns: (n) => plainBounce(`${fill('\'', n)}x`),
	spacesAndColons: (n) => plainBounce(fill(' :', n)),
	replyQuoteFlood: (n) => reply('AW: Mahnung', fill('> ', n), [`In-Reply-To: <dunning.1.${'0'.repeat(32)}@shop.example>`]),
	replyLongLine: (n) => reply('Re: Mahnung', `${fill('Am x schrieb ', n)}y`, [`In-Reply-To: <dunning.1.${'0'.repeat(32)}@shop.example>`]),
	replyIdFlood: (n) => reply('Re: Mahnung', 'Hallo', [`References: ${fill('<dunning.1.0123456789abcdef', n)}`]),
	replyQuotedHeaderFlood: (n) => reply('Re: Mahnung', fill('> X-Dunning-Invoice: ', n)),
	forwardMarkerFlood: (n) => reply('Fwd: x', fill('---------- Forwarded message ---------\r\nFrom: MAILER-DAEMON@a.example\r\n', n)),
	forwardHeaderFlood: (n) => reply('WG: x', `-------- Weitergeleitete Nachricht --------\r\n${fill('Von: MAILER-DAEMON@a.example\r\n', n)}\r\n550 5.1.1 user unknown`),
	giantTo: (n) => reply('Rechnung', 'Hallo', [`To: ${fill('a', n)}`]),
	giantToAddresses: (n) => plainBounce('550 User unknown', [`Cc: ${fill('x@example.org, ', n)}`]),
	giantFailedRecipients: (n) => plainBounce('550 User unknown', [`X-Failed-Recipients: ${fill('a', n)}`]),
	giantFailedRecipientsList: (n) => plainBounce('550 User unknown', [`X-Failed-Recipients: ${fill('dead@example.org, ', n)}`]),
	htmlLtRuns: (n) => dsn(USER_UNKNOWN, '', fill('<', n)),
	htmlBrRuns: (n) => dsn(USER_UNKNOWN, '', fill('<br', n)),
	htmlUnclosedScript: (n) => dsn(USER_UNKNOWN, '', fill('<script>', n)),
	htmlUnclosedTags: (n) => dsn(USER_UNKNOWN, '', fill('<p a=', n)),
	htmlEntities: (n) => dsn(USER_UNKNOWN, '', fill('&amp;lt;', n)),
	statusParens: (n) => dsn(`Final-Recipient: rfc822; dead@example.org\r\nAction: failed\r\nStatus: 5.1.1 ${fill('(', n)}`),
	statusParensWords: (n) => dsn(`Final-Recipient: rfc822; dead@example.org\r\nAction: failed\r\nStatus: 5.1.1 ${fill('(abc', n)}`),
	giantDiagnostic: (n) => dsn(`Final-Recipient: rfc822; dead@example.org\r\nAction: failed\r\nStatus: 5.0.0\r\nDiagnostic-Code: smtp; 550 ${fill('550-5.1.1 x ', n)}`),
	diagnosticSpaces: (n) => dsn(`Final-Recipient: rfc822; dead@example.org\r\nAction: failed\r\nStatus: 5.0.0\r\nDiagnostic-Code: smtp; 550${fill(' ', n)}x`),
	diagnosticDots: (n) => dsn(`Final-Recipient: rfc822; dead@example.org\r\nAction: failed\r\nStatus: 5.0.0\r\nDiagnostic-Code: ${fill('a.', n)}`),
	finalRecipientJunk: (n) => dsn(`Final-Recipient: rfc822; ${fill('<a@', n)}\r\nAction: failed\r\nStatus: 5.1.1`),
	manyRecipients: (n) => dsn(fill('Final-Recipient: rfc822; r@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n', n)),
	manyShortLines: (n) => plainBounce(fill('a\r\n', n)),
	headerLineFlood: (n) => plainBounce('550 User unknown', fill('X-A: b\r\n', n).trimEnd().split('\r\n')),
	pastedDsnFlood: (n) => plainBounce(`Reporting-MTA: dns; x\r\n${fill('X-A: b\r\n', n)}Final-Recipient: rfc822; a@b.example\r\nStatus: 5.1.1`),
	transcriptFlood: (n) => plainBounce(fill('>>> RCPT TO:<a@b.example>\r\n', n)),
	correlationFolds: (n) => plainBounce(`Message-ID: <x@y>${fill('\r\n ', n)}a`),
	sesJson: (n) => plainBounce(`{"notificationType":"Bounce",${fill('{"emailAddress":', n)}`),
	digitRuns: (n) => plainBounce(fill('5.5.5', n)),
	replyCodeRuns: (n) => plainBounce(fill('550-', n)),
	urlRuns: (n) => plainBounce(`x@y ${fill('http://a', n)}`),
	// A hundred failed addresses named on every line: each recipient's block once walked every heading.
	listedRecipientLines: (n) => plainBounce(fill(`Failed recipients: ${HUNDRED}\r\n`, n)),
	// The same in many text parts, which were joined without a bound (each one alone was cut).
	listedRecipientParts: (n) => {
		const part = `--p\r\nContent-Type: text/plain\r\n\r\n${fill(`Failed recipients: ${HUNDRED}\r\n`, Math.min(n, 120_000))}\r\n`;
		const body = fill(part, n);
		return `From: MAILER-DAEMON@x.example\r\nSubject: Undelivered\r\nContent-Type: multipart/mixed; boundary="p"\r\n\r\n${body}--p--\r\n`;
	},
	nestedMultipart: (n) => {
		const depth = Math.min(15, Math.max(1, Math.floor(n / 100)));
		let body = plainBounce(fill('550 5.1.1 dead@example.org user unknown\r\n', n));
		for (let i = 0; i < depth; i++) body = `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n${body}\r\n--n${i}--\r\n`;
		return `From: MAILER-DAEMON@x.example\r\nSubject: Undelivered\r\n${body}`;
	},
};

/** An ordinary report of about `bytes` bytes: a DSN returning a long reminder as its original. */
export function ordinaryDsn(bytes: number): string {
	const line = 'Sehr geehrte Damen und Herren, leider konnten wir bis heute keinen Zahlungseingang feststellen.\r\n';
	return dsn(USER_UNKNOWN, `Your message to dead@example.org could not be delivered.\r\n\r\n${fill(line, bytes)}`);
}
