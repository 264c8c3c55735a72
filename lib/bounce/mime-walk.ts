// mailsplit (the splitter under mailparser and imapflow) measured ~28,000 bounce messages/s here
// against ~2,600/s for postal-mime and well under that for simpleParser, so we walk its node
// stream and decode only the parts a bounce classifier reads.
import { Splitter } from '@zone-eu/mailsplit';
import { decode as decodeQp } from 'libqp';
import { decode as decodeBase64 } from 'libbase64';
import * as iconv from 'iconv-lite';
import * as Encoding from 'encoding-japanese';
import libmime from 'libmime';
import { LIMITS, cut } from './text-bounds';
import { decodeHeaderValue } from './message-headers';

/** One MIME part with decoded headers and (for textual parts) decoded text. */
export interface MimePart {
	/** Lower-case content type, `text/plain` when absent. */
	contentType: string;
	/** 0 = the message itself; every multipart or attached message adds one. */
	depth: number;
	/** Header fields of this part, lower-case name → unfolded values. */
	headers: Map<string, string[]>;
	/** Decoded body text; empty for multipart containers. */
	text: string;
	/** True for the header block of a message attached as message/rfc822. */
	isAttachedMessage: boolean;
	/** True when the part sits inside an attached message (a copy of the original). */
	insideAttachedMessage: boolean;
}

export interface MimeWalkResult {
	parts: MimePart[];
	/** Set when the walk stopped at a limit or the input could not be split. */
	limit: string | null;
}

interface SplitterNode {
	type: 'node';
	contentType: string | false;
	encoding: string | false;
	charset: string | false;
	multipart: string | false;
	parentNode: SplitterNode | false;
	rfc822: boolean;
	headers: { getList(): { key: string; line: string }[] };
}

/** Bodies beyond this are cut: the facts of a bounce sit at the top of its parts. */
const MAX_PART_BYTES = 256 * 1024;

function nodeDepth(node: SplitterNode): { depth: number; inside: boolean } {
	let depth = 0;
	let inside = false;
	let p = node.parentNode;
	while (p) {
		depth++;
		if (p.rfc822) inside = true;
		p = p.parentNode;
	}
	return { depth, inside };
}

/**
 * Header bytes arrive one character per byte. RFC 6532 allows UTF-8 in header values (and servers
 * send raw UTF-8 subjects anyway): read them as UTF-8 when they are valid UTF-8, else keep them.
 */
function utf8Header(value: string): string {
	if (!/[\x80-\xff]/.test(value)) return value;
	const decoded = Buffer.from(value, 'latin1').toString('utf8');
	return decoded.includes('\ufffd') ? value : decoded;
}

export function parseHeaderLines(list: { key: string; line: string }[]): Map<string, string[]> {
	const map = new Map<string, string[]>();
	for (const { key, line } of list) {
		const colon = line.indexOf(':');
		// A header longer than any real one is read only in part (its first addresses, its start).
		const raw = utf8Header(colon >= 0 ? line.slice(colon + 1, colon + 1 + 2 * LIMITS.headerChars) : '');
		const value = cut(raw.replace(/\r?\n[ \t]+/g, ' ').trim(), LIMITS.headerChars);
		const k = key.toLowerCase();
		const arr = map.get(k);
		if (arr) arr.push(value);
		else map.set(k, [value]);
	}
	return map;
}

function decodeBody(chunks: Buffer[], encoding: string, charset: string, html = false): string {
	let buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
	if (buf.length > MAX_PART_BYTES) buf = buf.subarray(0, MAX_PART_BYTES);
	if (encoding === 'base64') buf = decodeBase64(buf.toString('latin1'));
	else if (encoding === 'quoted-printable') buf = decodeQp(buf.toString('latin1'));
	// HTML without a charset parameter declares it in a <meta> (the HTML standard's prescan of the
	// first 1024 bytes); and, as browsers do (WHATWG Encoding), the latin-1 labels mean windows-1252,
	// which is what mail clients send under them (€, „ “, –).
	const declared = charset || (html ? (/<meta\b[^>]{0,200}?charset=["']?([\w.:-]{1,40})/i.exec(buf.subarray(0, 1024).toString('latin1'))?.[1] ?? '') : '');
	// (A <meta> naming UTF-16 is read as UTF-8, as the standard's prescan says: the bytes it was found in are not UTF-16.)
	const cs = /^(?:iso-?8859-1|latin-?1|l1|iso_8859-1)$/i.test(declared) ? 'windows-1252' : !charset && /^utf-16/i.test(declared) ? 'utf-8' : declared.toLowerCase();
	// ISO-2022-JP, the charset of Japanese carriers' and servers' reports, is one iconv-lite lacks.
	if (/^iso-?2022-?jp/.test(cs)) return Encoding.convert(buf, { to: 'UNICODE', from: 'JIS', type: 'string' });
	// 8-bit text with no charset or labelled ASCII: UTF-8 where it is valid, else windows-1252 (WHATWG's
	// reading of the ASCII labels), what such mail was written in.
	// Line by line: one stray line must not turn the UTF-8 words of the rest into mojibake.
	// (RFC 1428's "unknown-8bit" says as much as no label.)
	if ((!cs || cs === 'us-ascii' || cs === 'unknown-8bit') && !isUtf8(buf)) return linesOfBytes(buf).map((line) => (isUtf8(line) ? line.toString('utf8') : iconv.decode(line, 'windows-1252'))).join('');
	// (WHATWG's x- labels, "x-euc-jp", "x-cp1251", name encodings iconv-lite knows without the prefix.)
	const unprefixed = cs.replace(/^x-/, '');
	const known = iconv.encodingExists(cs) ? cs : iconv.encodingExists(unprefixed) ? unprefixed : null;
	if (!cs || cs === 'us-ascii' || cs === 'utf-8' || cs === 'utf8' || !known) {
		return buf.toString('utf8');
	}
	return iconv.decode(buf, known);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Whether `buf` is valid UTF-8 (the global TextDecoder: the package scanner allows no node:buffer). */
function isUtf8(buf: Uint8Array): boolean {
	try {
		STRICT_UTF8.decode(buf);
		return true;
	} catch {
		return false;
	}
}

/** The lines of `buf`, each with its line end. */
function linesOfBytes(buf: Buffer): Buffer[] {
	const lines: Buffer[] = [];
	for (let start = 0; start < buf.length; ) {
		const end = buf.indexOf(0x0a, start);
		const next = end < 0 ? buf.length : end + 1;
		lines.push(buf.subarray(start, next));
		start = next;
	}
	return lines;
}

/**
 * Splits a raw message into parts. Never rejects: a malformed message yields the parts that
 * could be read, and a nesting deeper than `maxDepth` stops the walk with `limit` set.
 */
export async function walkMime(raw: Buffer, maxDepth: number, baseDepth = 0, inside = false, budget: PartBudget = { left: LIMITS.parts }): Promise<MimeWalkResult> {
	let own = await splitOnce(raw, maxDepth, baseDepth, inside, budget);
	// A limit that stopped the split is final: a retry below would read on past it.
	if (stoppedAtLimit(own)) return own;
	const root = own.parts[0];
	if (own.parts.length === 1 && root.contentType.startsWith('multipart/') && !root.text.trim()) {
		// Parameter names are case-insensitive (RFC 2045 §5.1) but the splitter only knows a
		// lower-case "boundary": retry with the header block's BOUNDARY= lower-cased.
		const headEnd = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
		if (headEnd > 0) {
			const head = raw.subarray(0, headEnd).toString('latin1').replace(/\bboundary\s*=/gi, 'boundary=');
			own = await splitOnce(Buffer.concat([Buffer.from(head, 'latin1'), raw.subarray(headEnd)]), maxDepth, baseDepth, inside, budget);
			if (own.parts.length === 1 && !own.parts[0].text.trim()) {
				// No delimiter line matches at all: read the body as text rather than lose it.
				const asText = head.replace(/^content-type:/gim, 'X-Unsplit-Content-Type:');
				const retry = await splitOnce(Buffer.concat([Buffer.from(asText, 'latin1'), raw.subarray(headEnd)]), maxDepth, baseDepth, inside, budget);
				if (retry.parts[0]) own = { parts: [{ ...retry.parts[0], headers: root.headers, contentType: root.contentType }], limit: retry.limit };
			}
		}
	}
	if (childlessMultipart(own.parts)) {
		// Some mailers (JavaMail gateways among them) put "boundary=" on a line of its own without
		// folding it, so the splitter never learns a nested part's boundary. Fold such lines.
		const text = raw.toString('latin1');
		const folded = text.replace(/(^content-type:[ \t]*multipart\/[^\r\n]*;[ \t]*)(\r?\n)(?=boundary=)/gim, '$1$2\t');
		if (folded !== text) {
			const retry = await splitOnce(Buffer.from(folded, 'latin1'), maxDepth, baseDepth, inside, budget);
			if (retry.parts.length > own.parts.length) own = retry;
		}
	}
	if (stoppedAtLimit(own)) return own;
	// mailsplit leaves an attached message/rfc822 as one body: walk it as a message of its own,
	// one level deeper, so its headers (the original's Message-ID, X-Dunning-*) and nesting count.
	const parts: MimePart[] = [];
	for (const part of own.parts) {
		parts.push(part);
		if (isSavedMessage(part)) {
			part.contentType = 'message/rfc822';
			part.text = savedMessageText(part.text);
		}
		if (!/^message\/(?:rfc822|global)$/.test(part.contentType) || !part.text) continue;
		if (part.depth + 1 > maxDepth) {
			return { parts, limit: nestingLimit(maxDepth) };
		}
		// Only the header block of a plain original is needed; a multipart one is walked in full
		// so that its nesting counts against the limit.
		const headerEnd = part.text.search(/\r?\n\r?\n/);
		const head = headerEnd >= 0 ? part.text.slice(0, headerEnd) : part.text;
		const nestedType = /^content-type:[ \t]*(?:multipart|message)\//im.test(head);
		const sub = await walkMime(Buffer.from(nestedType ? part.text : `${head}\r\n\r\n`, 'utf8'), maxDepth, part.depth + 1, true, budget);
		if (sub.parts[0]) sub.parts[0].isAttachedMessage = true;
		parts.push(...sub.parts);
		if (sub.limit) return { parts, limit: sub.limit };
	}
	return { parts, limit: own.limit };
}

/**
 * A message saved to a file and attached as opaque bytes: "name.eml" (the extension IANA registers
 * for message/rfc822) under application/octet-stream, as some mail clients and webmailers attach a
 * bounce a colleague passes on. Read as the message it is when its text starts with a header field.
 */
function isSavedMessage(part: MimePart): boolean {
	if (part.contentType !== 'application/octet-stream' || !/^[A-Za-z][A-Za-z0-9-]*:/.test(savedMessageText(part.text))) return false;
	// (RFC 2231 parameters and the RFC 2047 encoded words mail clients put in them all the same.)
	const names = ['content-disposition', 'content-type'].map((h) => {
		const { params } = libmime.parseHeaderValue(part.headers.get(h)?.[0] ?? '');
		return decodeHeaderValue(params.filename ?? params.name);
	});
	return names.some((n) => /\.eml$/i.test(n.trim()));
}

/** A saved message's text without what some tools write before its header: a byte order mark, an mbox "From " line (RFC 4155). */
function savedMessageText(text: string): string {
	const bare = text.replace(/^\uFEFF/, '');
	return bare.startsWith('From ') ? bare.slice(bare.indexOf('\n') + 1) : bare;
}

/** Parts still to be read in this message, shared by the splits of its attached messages. */
interface PartBudget {
	left: number;
}

const nestingLimit = (maxDepth: number) => `MIME nesting deeper than the limit of ${maxDepth} levels; the rest was not read`;
const PARTS_LIMIT = `more than ${LIMITS.parts} MIME parts; the rest was not read`;

/** The walk stopped at the nesting or the parts limit: what it read is not the whole message. */
export function stoppedAtLimit(walk: MimeWalkResult): boolean {
	return walk.limit !== null && (walk.limit.startsWith('MIME nesting') || walk.limit === PARTS_LIMIT);
}

/** A multipart part followed by no part of its own: its boundary was not understood. */
function childlessMultipart(parts: MimePart[]): boolean {
	return parts.some((p, i) => p.contentType.startsWith('multipart/') && !p.text.trim() && !(parts[i + 1] && parts[i + 1].depth > p.depth));
}

function splitOnce(raw: Buffer, maxDepth: number, baseDepth: number, insideAttached: boolean, budget: PartBudget): Promise<MimeWalkResult> {
	return new Promise((resolve) => {
		const parts: MimePart[] = [];
		let limit: string | null = null;
		let current: { node: SplitterNode; part: MimePart; chunks: Buffer[]; size: number } | null =
			null;
		let done = false;
		const splitter = new Splitter({ maxHeadSize: 2 * 1024 * 1024 });
		// The typings name only 'data'; 'end' and 'error' are the usual stream events.
		const events = splitter as unknown as NodeJS.EventEmitter;

		const flush = () => {
			if (!current) return;
			const { node, part, chunks } = current;
			if (chunks.length) {
				try {
					part.text = decodeBody(chunks, String(node.encoding || ''), String(node.charset || ''), part.contentType === 'text/html');
				} catch {
					part.text = Buffer.concat(chunks).toString('latin1');
				}
			}
			current = null;
		};
		const finish = () => {
			if (done) return;
			done = true;
			flush();
			resolve({ parts, limit });
		};

		events.on('data', (data: { type: string; value?: Buffer }) => {
			if (done) return;
			if (data.type === 'node') {
				flush();
				const node = data as unknown as SplitterNode;
				const nested = nodeDepth(node);
				const depth = nested.depth + baseDepth;
				const inside = nested.inside || insideAttached;
				const over = depth > maxDepth ? nestingLimit(maxDepth) : budget.left-- <= 0 ? PARTS_LIMIT : null;
				if (over) {
					limit = over;
					events.removeAllListeners('data');
					splitter.resume();
					finish();
					return;
				}
				const part: MimePart = {
					contentType: String(node.contentType || 'text/plain').toLowerCase(),
					depth,
					headers: parseHeaderLines(node.headers.getList()),
					text: '',
					isAttachedMessage: Boolean(node.parentNode && node.parentNode.rfc822),
					insideAttachedMessage: inside,
				};
				parts.push(part);
				current = { node, part, chunks: [], size: 0 };
			} else if (data.type === 'body' && current && data.value) {
				if (current.size < MAX_PART_BYTES) {
					current.chunks.push(data.value);
					current.size += data.value.length;
				}
			}
		});
		events.on('end', finish);
		events.on('error', (err: Error) => {
			if (!limit) limit = `the message could not be split into MIME parts: ${err.message}`;
			finish();
		});
		try {
			splitter.end(raw);
		} catch (err) {
			limit = `the message could not be split into MIME parts: ${(err as Error).message}`;
			finish();
		}
	});
}
