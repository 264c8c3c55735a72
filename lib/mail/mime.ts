/**
 * Writes a reminder as RFC 5322 / MIME bytes: headers, text and HTML alternatives, attachments.
 *
 * Why not nodemailer's MailComposer: it builds every message through a tree of streams, which
 * costs more per reminder than sending it over an open connection (see bench/send.ts). A reminder
 * always has the same small shape, so we assemble that shape directly and leave the encodings
 * that have edge cases to the public APIs of libmime (RFC 2047 encoded words, RFC 2231 parameters,
 * header folding) and libqp (quoted-printable) — the packages nodemailer's own encoders came from,
 * published with documented APIs, unlike nodemailer's internal modules, which may change in any
 * release. Base64 lines we write ourselves (see writeBase64Lines).
 */
import { randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import libmime from 'libmime';
import * as qp from 'libqp';

export interface MimeAddress {
	address: string;
	name?: string;
}

export interface MimeAttachment {
	filename: string;
	contentType: string;
	content: Buffer;
}

export interface MimeMessage {
	from: MimeAddress;
	to: MimeAddress[];
	replyTo?: string;
	subject: string;
	messageId: string;
	date: Date;
	/** Extra headers, in order (values are plain text; non-ASCII is encoded). */
	headers: Record<string, string>;
	text: string;
	html?: string;
	attachments: MimeAttachment[];
	/** Images the HTML shows by Content-ID (<img src="cid:…">), such as the GiroCode. */
	inline?: InlineImage[];
}

export interface InlineImage extends MimeAttachment {
	/** Without angle brackets, e.g. "girocode@n8n-nodes-dunning". */
	cid: string;
}

const CRLF = '\r\n';

/** The address with its domain in ASCII (IDNA), as headers and the envelope need it. */
export function asciiAddress(address: string): string {
	const at = address.lastIndexOf('@');
	if (at < 0) return address;
	const domain = address.slice(at + 1);
	return /^[\x20-\x7e]*$/.test(domain) ? address : `${address.slice(0, at + 1)}${domainToASCII(domain) || domain}`;
}

/** An RFC 5322 quoted-string: backslash and double quote escaped. */
function quoteString(value: string): string {
	return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * An ASCII value that holds what looks like an RFC 2047 encoded word ("=?utf-8?B?…?="). Receivers
 * decode such words even where RFC 2047 forbids them (inside a quoted string), so written as is an
 * invoice number could show as other text, a line break and a Bcc line included.
 */
const ENCODED_WORD = /=\?[^?]*\?[bq]\?/i;

/** Longest display name (quotes included) written as a quoted string; longer ones are split. */
const MAX_QUOTED_NAME = 60;

export function mailbox(a: MimeAddress): string {
	const address = `<${asciiAddress(a.address)}>`;
	if (!a.name) return address;
	// Anything else goes as one encoded word (split where long), never partly encoded: a phrase
	// with some words encoded and a comma or quote left bare could parse as two addresses. A long
	// quoted string has no place to fold and would make the line longer than 998 bytes.
	const quoted = quoteString(a.name);
	const plain = /^[\x20-\x7e]*$/.test(a.name) && quoted.length <= MAX_QUOTED_NAME && !ENCODED_WORD.test(a.name);
	return `${plain ? quoted : libmime.encodeWord(a.name, 'Q', 52)} ${address}`;
}

function header(key: string, value: string): string {
	return libmime.foldLines(`${key}: ${value}`, 76);
}

function unstructured(value: string): string {
	// libmime.encodeWords leaves ASCII words as they are, so a value with an encoded-word look-alike
	// is encoded whole: the receiver then shows the literal text.
	if (ENCODED_WORD.test(value)) return libmime.encodeWord(value, 'Q', 52);
	return /^[\x20-\x7e]*$/.test(value) ? value : libmime.encodeWords(value, 'Q', 52);
}

/**
 * `type/subtype` of RFC 2045 tokens (printable ASCII but space and tspecials), each at most the
 * 127 characters RFC 6838 allows: a longer one could not be folded into a header line.
 */
const MIME_TYPE = /^[!#$%&'*+\-.^_`{|}~0-9a-z]{1,127}\/[!#$%&'*+\-.^_`{|}~0-9a-z]{1,127}$/;

/**
 * The Content-Type to write for an attachment whose type came with the item's data (n8n's
 * binary mimeType): a bare `type/subtype`, lower-cased, parameters dropped, since a `name` there
 * would rename the file and a `boundary` could swallow the rest of the message. A container type
 * (multipart/*, message/*) would make receivers parse the file as mail parts, so the invoice
 * vanishes; it and anything that is not a type at all give way to the type of the file name.
 */
export function attachmentContentType(contentType: string, filename: string): string {
	const type = contentType.split(';')[0].trim().toLowerCase();
	if (MIME_TYPE.test(type) && !isContainer(type)) return type;
	const detected = libmime.detectMimeType(filename).toLowerCase();
	// A file named *.eml is detected as message/rfc822: no container from the name either.
	return MIME_TYPE.test(detected) && !isContainer(detected) ? detected : 'application/octet-stream';
}

function isContainer(type: string): boolean {
	return type.startsWith('multipart/') || type.startsWith('message/');
}

/** A file part's Content-Type header, its name as a parameter. */
function partContentType(part: MimeAttachment): string {
	return header('Content-Type', libmime.buildHeaderValue({ value: attachmentContentType(part.contentType, part.filename), params: { name: part.filename } }));
}

/** True when a line of `text` is longer than `limit` characters. */
function hasLongerLines(text: string, limit: number): boolean {
	let start = 0;
	for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
		if (end - start - (text[end - 1] === '\r' ? 1 : 0) > limit) return true;
		start = end + 1;
	}
	return text.length - start > limit;
}

/** RFC 5322 date in UTC: "Mon, 23 Nov 2026 09:49:18 +0000". */
function rfc5322Date(date: Date): string {
	return date.toUTCString().replace(/GMT$/, '+0000');
}

function textPart(contentType: 'text/plain' | 'text/html', body: string): string {
	// A bare CR becomes a line break too: no receiver can read a lone CR as a line end, and with
	// CRLF pairs only the message can go after DATA without escaping (smtp-data.ts).
	const normalized = body.replace(/\r\n?|\n/g, CRLF);
	// Pure ASCII with short lines goes as is; anything else as quoted-printable, which keeps the
	// text readable to spam filters (base64-encoded text bodies cost spam score).
	if (/^[\t\r\n\x20-\x7e]*$/.test(normalized) && !hasLongerLines(normalized, 76) && !/^\./m.test(normalized)) {
		return `Content-Type: ${contentType}; charset=utf-8${CRLF}Content-Transfer-Encoding: 7bit${CRLF}${CRLF}${normalized}`;
	}
	return `Content-Type: ${contentType}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}${qp.wrap(qp.encode(normalized), 76)}`;
}

const BASE64_LINE = 76;

/** Bytes of `bytes` bytes in base64, in lines of 76 characters joined by CRLF (RFC 2045). */
function base64LinesLength(bytes: number): number {
	const encoded = Math.ceil(bytes / 3) * 4;
	return encoded + Math.max(0, Math.ceil(encoded / BASE64_LINE) - 1) * 2;
}

/**
 * Writes `content` as base64 lines of 76 characters joined by CRLF, without a line break after the
 * last, into `out` at `offset`; returns the offset after it. The text is encoded in one native call
 * and written at the end of its room, then every line moves forward to its place with its CRLF:
 * no string per line and no copy of the whole text (nodemailer's wrap runs a regular expression
 * over it, the largest cost of a reminder with a PDF, and its garbage keeps the GC busy).
 */
export function writeBase64Lines(content: Buffer, out: Buffer, offset: number): number {
	const encoded = content.toString('base64');
	const end = offset + base64LinesLength(content.length);
	let from = end - encoded.length;
	out.write(encoded, from, 'latin1');
	let to = offset;
	// Safe in place: while n lines remain to move, the next one starts 2·(n−1) bytes after the
	// CRLF just written, so nothing not yet moved is overwritten.
	while (from + BASE64_LINE < end) {
		out.copyWithin(to, from, from + BASE64_LINE);
		to += BASE64_LINE;
		from += BASE64_LINE;
		out[to++] = 0x0d;
		out[to++] = 0x0a;
	}
	out.copyWithin(to, from, end);
	return end;
}

/** A part of the message: text, or an attachment's bytes to write as base64 lines. */
type Piece = string | { base64: Buffer };

function assemble(pieces: Piece[]): Buffer {
	let size = 0;
	for (const p of pieces) size += typeof p === 'string' ? Buffer.byteLength(p, 'utf8') : base64LinesLength(p.base64.length);
	const out = Buffer.allocUnsafe(size);
	let at = 0;
	for (const p of pieces) at = typeof p === 'string' ? at + out.write(p, at, 'utf8') : writeBase64Lines(p.base64, out, at);
	// Never hand out bytes of the uninitialised allocation.
	if (at !== size) throw new Error(`MIME assembly wrote ${at} of ${size} bytes`);
	return out;
}

function withFinalLineBreak(part: string): string {
	return part.endsWith(CRLF) ? part : `${part}${CRLF}`;
}

function boundary(): string {
	// randomUUID draws from a buffered pool: 122 random bits at a fraction of randomBytes' cost.
	return `----=_dunning_${randomUUID()}`;
}

/**
 * The HTML alternative; with inline images, a multipart/related of the HTML and the images
 * (RFC 2387), which is where mail clients look up cid: references. Inline images are few and
 * small (a GiroCode is about 1 kB), so they are written as one string.
 */
function htmlPart(html: string, inline: InlineImage[]): string {
	if (inline.length === 0) return textPart('text/html', html);
	const related = boundary();
	let part = `Content-Type: multipart/related; type="text/html"; boundary="${related}"${CRLF}${CRLF}--${related}${CRLF}${withFinalLineBreak(textPart('text/html', html))}`;
	for (const image of inline) {
		const base64 = image.content.toString('base64').replace(/.{76}(?=.)/g, `$&${CRLF}`);
		part +=
			`--${related}${CRLF}` +
			`${partContentType(image)}${CRLF}` +
			`Content-Transfer-Encoding: base64${CRLF}` +
			`Content-ID: <${image.cid}>${CRLF}` +
			`${header('Content-Disposition', libmime.buildHeaderValue({ value: 'inline', params: { filename: image.filename } }))}${CRLF}${CRLF}` +
			`${base64}${CRLF}`;
	}
	return `${part}--${related}--`;
}

export function composeMime(message: MimeMessage): Buffer {
	const lines: string[] = [
		header('From', mailbox(message.from)),
		header('To', message.to.map(mailbox).join(', ')),
	];
	if (message.replyTo) lines.push(header('Reply-To', `<${asciiAddress(message.replyTo)}>`));
	lines.push(
		header('Subject', unstructured(message.subject)),
		header('Message-ID', message.messageId),
		header('Date', rfc5322Date(message.date)),
		'MIME-Version: 1.0',
	);
	for (const [key, value] of Object.entries(message.headers)) lines.push(header(key, unstructured(value)));

	const alternative = message.html ? boundary() : null;
	const content = alternative
		? `Content-Type: multipart/alternative; boundary="${alternative}"${CRLF}${CRLF}` +
			`--${alternative}${CRLF}${textPart('text/plain', message.text)}${CRLF}` +
			`--${alternative}${CRLF}${htmlPart(message.html!, message.inline ?? [])}${CRLF}` +
			`--${alternative}--${CRLF}`
		: withFinalLineBreak(textPart('text/plain', message.text));
	const head = `${lines.join(CRLF)}${CRLF}`;
	if (message.attachments.length === 0) return assemble([head + content]);
	const mixed = boundary();
	const pieces: Piece[] = [`${head}Content-Type: multipart/mixed; boundary="${mixed}"${CRLF}${CRLF}--${mixed}${CRLF}${content}`];
	for (const a of message.attachments) {
		pieces.push(
			`--${mixed}${CRLF}` +
				`${partContentType(a)}${CRLF}` +
				`Content-Transfer-Encoding: base64${CRLF}` +
				`${header('Content-Disposition', libmime.buildHeaderValue({ value: 'attachment', params: { filename: a.filename } }))}${CRLF}${CRLF}`,
			{ base64: a.content },
			CRLF,
		);
	}
	pieces.push(`--${mixed}--${CRLF}`);
	return assemble(pieces);
}
