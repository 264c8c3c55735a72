/**
 * n8n's Email Trigger (IMAP) emits either the raw source (format "RAW": `raw`, base64url) or
 * fields (format "Simple"/"Resolved": headers, text or textPlain, html or textHtml). Fields are
 * turned back into a single-part message so that the one classifier handles both.
 */
export interface EmailTriggerFields {
	raw?: unknown;
	headers?: unknown;
	text?: unknown;
	textPlain?: unknown;
	html?: unknown;
	textHtml?: unknown;
	subject?: unknown;
	from?: unknown;
	to?: unknown;
	[key: string]: unknown;
}

function addressText(v: unknown): string {
	if (typeof v === 'string') return v;
	if (v && typeof v === 'object' && 'text' in v && typeof (v as { text: unknown }).text === 'string') {
		return (v as { text: string }).text;
	}
	return '';
}

/** A decoded header value (an encoded-word may hold CR/LF) kept on its line: it must not add headers of its own. */
const oneLine = (value: string): string => value.replace(/[\r\n]+/g, ' ');

function headerLines(headers: unknown): string[] {
	if (typeof headers === 'string') return headers.split(/\r?\n/).filter((l) => l.trim());
	if (!headers || typeof headers !== 'object') return [];
	const lines: string[] = [];
	for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
		const values = Array.isArray(v) ? v : [v];
		for (const value of values) {
			if (typeof value === 'string' || typeof value === 'number') lines.push(`${k}: ${oneLine(String(value))}`);
			else if (value && typeof value === 'object') {
				const t = addressText(value) || ('value' in value ? String((value as { value: unknown }).value ?? '') : '');
				if (t) lines.push(`${k}: ${oneLine(t)}`);
			}
		}
	}
	return lines;
}

/**
 * A raw message given as text: the source itself, or its base64/base64url, as the Email Trigger's
 * RAW format writes it (one block of those letters: a message has a blank line after its header).
 */
export function messageFromText(s: string): Buffer {
	if (/^[A-Za-z0-9_\-+/=\r\n]+$/.test(s) && !/\r?\n\r?\n/.test(s)) return Buffer.from(s, 'base64url');
	return Buffer.from(s, 'utf8');
}

/** True when `raw` begins with a header field ("From: …", RFC 5322 §2.2) or an mbox "From " line, as a message does. */
export function startsWithHeader(raw: Buffer): boolean {
	return /^\s*(?:From |[!-9;-~]+[ \t]*:)/.test(raw.subarray(0, 1000).toString('latin1'));
}

/** Returns the raw message for the fields, or null when they hold neither headers nor text. */
export function messageFromEmailTriggerFields(fields: EmailTriggerFields): Buffer | null {
	if (typeof fields.raw === 'string' && fields.raw.length) return messageFromText(fields.raw);
	const lines = headerLines(fields.headers).filter((l) => !/^content-(?:type|transfer-encoding)\s*:/i.test(l));
	const has = (name: string) => lines.some((l) => l.toLowerCase().startsWith(`${name}:`));
	if (!has('subject') && typeof fields.subject === 'string') lines.push(`Subject: ${oneLine(fields.subject)}`);
	if (!has('from') && addressText(fields.from)) lines.push(`From: ${oneLine(addressText(fields.from))}`);
	if (!has('to') && addressText(fields.to)) lines.push(`To: ${oneLine(addressText(fields.to))}`);
	const text =
		(typeof fields.text === 'string' && fields.text) ||
		(typeof fields.textPlain === 'string' && fields.textPlain) ||
		'';
	const html = (typeof fields.html === 'string' && fields.html) || (typeof fields.textHtml === 'string' && fields.textHtml) || '';
	if (!lines.length && !text && !html) return null;
	lines.push(`Content-Type: ${text ? 'text/plain' : 'text/html'}; charset=utf-8`, 'Content-Transfer-Encoding: 8bit');
	return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${text || html}`, 'utf8');
}
