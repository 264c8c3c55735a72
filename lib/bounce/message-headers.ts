import { domainToASCII } from 'node:url';
import libmime from 'libmime';
import { ADDRESS_IN_TEXT_SOURCE, LIMITS, cut, linesOf, trimEndChars } from './text-bounds';

/** Decodes RFC 2047 encoded words; a broken encoding leaves the raw value. */
export function decodeHeaderValue(value: string | undefined): string {
	if (!value) return '';
	if (!value.includes('=?')) return value;
	try {
		return libmime.decodeWords(value);
	} catch {
		return value;
	}
}

export function firstHeader(headers: Map<string, string[]>, key: string): string {
	return decodeHeaderValue(headers.get(key)?.[0]).trim();
}

const ADDRESS = new RegExp(ADDRESS_IN_TEXT_SOURCE, 'g');

/** All e-mail addresses named in the given header fields, at most `max`. */
export function addressesIn(headers: Map<string, string[]>, keys: string[], max: number = LIMITS.recipients): string[] {
	const out: string[] = [];
	for (const k of keys) {
		for (const v of headers.get(k) ?? []) {
			for (const m of cut(v, LIMITS.headerChars).matchAll(ADDRESS)) {
				out.push(trimEndChars(m[0], '.'));
				if (out.length >= max) return out;
			}
		}
	}
	return out;
}

/** The e-mail addresses named in a text (a server's reply), at most `max`. */
export function addressesInText(text: string, max: number = LIMITS.recipients): string[] {
	const out: string[] = [];
	for (const m of cut(text, LIMITS.diagnosticChars).matchAll(ADDRESS)) {
		out.push(trimEndChars(m[0], '.').toLowerCase());
		if (out.length >= max) break;
	}
	return out;
}

/** Exim's octal escapes of bytes it does not print ("j\\303\\274rgen"), read back as UTF-8. */
function decodeOctalEscapes(value: string): string {
	if (!/\\[0-3][0-7]{2}/.test(value)) return value;
	const bytes: Buffer[] = [];
	for (const part of value.split(/(\\[0-3][0-7]{2})/)) {
		bytes.push(/^\\[0-3][0-7]{2}$/.test(part) ? Buffer.from([parseInt(part.slice(1), 8)]) : Buffer.from(part, 'utf8'));
	}
	return Buffer.concat(bytes).toString('utf8');
}

/**
 * The addresses of a header that holds nothing but a list of them (Exim's X-Failed-Recipients).
 * Read as a list rather than searched for ASCII addresses: an internationalised local part
 * (RFC 6531) is still one address, and Exim writes its non-ASCII bytes as octal escapes.
 */
export function addressListIn(headers: Map<string, string[]>, key: string, max: number = LIMITS.recipients): string[] {
	const out: string[] = [];
	for (const v of headers.get(key) ?? []) {
		for (const token of decodeOctalEscapes(cut(v, LIMITS.headerChars)).split(/[\s,]+/)) {
			const address = trimEndChars(token.replace(/^<|>$/g, ''), '.');
			if (/^[^\s@<>()",;]{1,64}@[^\s@<>()",;]{1,255}$/.test(address)) out.push(address);
			if (out.length >= max) return out;
		}
	}
	return out;
}

/**
 * The value of a header line quoted in a text ("To: …" in a returned original), continuation
 * lines unfolded; null when no line starts with that field name.
 */
export function quotedHeader(text: string, name: string): string | null {
	const lines = linesOf(text);
	const prefix = `${name.toLowerCase()}:`;
	const at = lines.findIndex((l) => l.slice(0, prefix.length).toLowerCase() === prefix);
	if (at < 0) return null;
	let value = lines[at].slice(prefix.length);
	for (let i = at + 1; i < lines.length && (lines[i].startsWith(' ') || lines[i].startsWith('\t')) && value.length < LIMITS.headerChars; i++) {
		value += ` ${lines[i].trim()}`;
	}
	return cut(value.trim(), LIMITS.headerChars);
}

/** The domain in ASCII (IDNA), so that "müller.de" in one header and "xn--mller-kva.de" in another match. */
export function asciiAddress(address: string): string {
	const at = address.lastIndexOf('@');
	const domain = address.slice(at + 1).toLowerCase();
	return `${address.slice(0, at + 1).toLowerCase()}${domainToASCII(domain) || domain}`;
}

/** A report's original recipient is not the failed one (RFC 3464 §2.3.1): the message went on from there, a forward. */
export function isForwarded(originalRecipient: string | null, recipient: string | null): boolean {
	return !!originalRecipient && !!recipient && asciiAddress(originalRecipient) !== asciiAddress(recipient);
}
