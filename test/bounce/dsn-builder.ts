/**
 * One builder for the RFC 3464 delivery status notifications the bounce tests classify: a
 * multipart/report with a human-readable part, a message/delivery-status part and, optionally, the
 * returned message's headers. Every option has the plain Postfix-like default; a test states only
 * what its report does differently.
 */

const CRLF = '\r\n';

/** One recipient's fields in the delivery-status part (RFC 3464 §2.3), written in this order. */
export interface DsnRecipient {
	/** Original-Recipient address (rfc822), written before Final-Recipient. */
	original?: string;
	/** Final-Recipient address (rfc822). */
	final: string;
	/** Action; 'failed' unless given. */
	action?: string;
	status: string;
	/** Remote-MTA host (dns). */
	remoteMta?: string;
	/** The whole Diagnostic-Code value, its type included: 'smtp; 550 5.1.1 User unknown'. */
	diagnostic?: string;
}

export interface DsnOptions {
	/** The Reporting-MTA's host; the default From is its MAILER-DAEMON. Default relay.example.net. */
	reportingMta?: string;
	/** Received-From-MTA host, after Reporting-MTA. */
	receivedFromMta?: string;
	/** 'Return-Path: <>' (the null sender) first; default true. */
	returnPath?: boolean;
	/** Trace lines (Received:) after the Return-Path. */
	received?: string[];
	from?: string;
	/** Default billing@shop.example. */
	to?: string;
	/** Default 'Undelivered Mail Returned to Sender'. */
	subject?: string;
	/** More top-level header lines, after Subject. */
	headers?: string[];
	/** 'MIME-Version: 1.0' before the Content-Type; default true. */
	mimeVersion?: boolean;
	/** Default b1. */
	boundary?: string;
	/** The human-readable part's text (string or lines); default 'Your message could not be delivered.' */
	human?: string | string[];
	/** Its Content-Type; default 'text/plain; charset=us-ascii'. */
	humanType?: string;
	/** One group per recipient; a string is a group's (or several groups') lines as written. */
	recipients: (DsnRecipient | string)[];
	/** The returned message's header lines (a text/rfc822-headers part); absent leaves the part out. */
	returned?: string[];
	/** Exchange's 'dns;host', 'rfc822;address': no space after the type's semicolon. Default false. */
	compact?: boolean;
	/** A blank line ends each part before the next boundary (Postfix's layout); default true. */
	spaced?: boolean;
	/** The same for the human-readable part alone; default as `spaced`. */
	spacedHuman?: boolean;
}

/** The message, its lines joined with CRLF and ending in one. */
export function buildDsn(opts: DsnOptions): string {
	const reportingMta = opts.reportingMta ?? 'relay.example.net';
	const boundary = opts.boundary ?? 'b1';
	const typed = (type: string, value: string) => `${type};${opts.compact ? '' : ' '}${value}`;
	const partEnd = (opts.spaced ?? true) ? [''] : [];
	const humanEnd = (opts.spacedHuman ?? opts.spaced ?? true) ? [''] : [];
	const group = (r: DsnRecipient | string): string[] =>
		typeof r === 'string'
			? [r]
			: [
					...(r.original ? [`Original-Recipient: ${typed('rfc822', r.original)}`] : []),
					`Final-Recipient: ${typed('rfc822', r.final)}`,
					`Action: ${r.action ?? 'failed'}`,
					`Status: ${r.status}`,
					...(r.remoteMta ? [`Remote-MTA: ${typed('dns', r.remoteMta)}`] : []),
					...(r.diagnostic ? [`Diagnostic-Code: ${r.diagnostic}`] : []),
				];
	const human = opts.human ?? 'Your message could not be delivered.';
	return [
		...((opts.returnPath ?? true) ? ['Return-Path: <>'] : []),
		...(opts.received ?? []),
		`From: ${opts.from ?? `Mail Delivery System <MAILER-DAEMON@${reportingMta}>`}`,
		`To: ${opts.to ?? 'billing@shop.example'}`,
		`Subject: ${opts.subject ?? 'Undelivered Mail Returned to Sender'}`,
		...(opts.headers ?? []),
		...((opts.mimeVersion ?? true) ? ['MIME-Version: 1.0'] : []),
		`Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
		'',
		`--${boundary}`,
		`Content-Type: ${opts.humanType ?? 'text/plain; charset=us-ascii'}`,
		'',
		...[human].flat(),
		...humanEnd,
		`--${boundary}`,
		'Content-Type: message/delivery-status',
		'',
		`Reporting-MTA: ${typed('dns', reportingMta)}`,
		...(opts.receivedFromMta ? [`Received-From-MTA: ${typed('dns', opts.receivedFromMta)}`] : []),
		...opts.recipients.flatMap((r) => ['', ...group(r)]),
		...partEnd,
		...(opts.returned ? [`--${boundary}`, 'Content-Type: text/rfc822-headers', '', ...opts.returned, ...partEnd] : []),
		`--${boundary}--`,
		'',
	].join(CRLF);
}
