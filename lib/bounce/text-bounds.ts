/**
 * How much of a message the classifier reads, and scanning helpers that stay linear. n8n runs
 * nodes on its main event loop, so a hostile message must cost time in proportion to its size:
 * every limit below is far above what a real report needs (its facts sit in the first lines).
 */
export const LIMITS = {
	/** One header value (a To: of a few hundred addresses fits). */
	headerChars: 8 * 1024,
	/** Text of one part read as the report (plain text, or HTML after conversion). */
	textChars: 128 * 1024,
	/** HTML read before it is turned into text. */
	htmlChars: 256 * 1024,
	/** Lines of the report text scanned for recipients and markers. */
	lines: 4000,
	/** One delivery-status field value, continuation lines included. */
	fieldChars: 4000,
	/** Diagnostic text read to decide a reason (the output is shorter still). */
	diagnosticChars: 4000,
	/** Results per message: a reminder goes to one address, a collective one to a few. */
	recipients: 100,
	/** RFC 5321 §4.5.3.1.3: a path holds at most 256 octets, an address 254. */
	addressChars: 254,
	/** Host names (RFC 1035: 253) and other short identifiers in the result. */
	hostChars: 255,
	/** Message-ID and correlation header values copied into the result. */
	idChars: 998,
	/**
	 * MIME parts read in one message, attached messages' parts included: a report has a handful,
	 * a forwarded one with its attachments a few dozen. Each part costs a splitter node, so without
	 * a cap a 10 MB message of tiny attached messages holds the process for seconds.
	 */
	parts: 1000,
} as const;

/**
 * Letters of UTF-8 addresses (RFC 6531/6532: "müller@bäckerei-beispiel.de", as SMTPUTF8 servers and
 * RFC 6533 reports write them): Latin with accents, Greek, Cyrillic. Without them an address is cut
 * to the fragment after its last accent ("ller@…"). No symbols: «», ×, ÷ stay outside an address.
 */
const UTF8_LETTERS = String.raw`\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0370-\u03FF\u0400-\u04FF`;

/**
 * An e-mail address in free text. The local part (RFC 5321: at most 64 octets) and each domain
 * label (63) are bounded so that a long run without "@" costs a constant per position.
 */
export const ADDRESS_SOURCE = String.raw`[A-Za-z0-9${UTF8_LETTERS}!#$%&'*+/=?^_\`{|}~.-]{1,64}@(?:[A-Za-z0-9${UTF8_LETTERS}-]{1,63}\.){0,16}[A-Za-z0-9${UTF8_LETTERS}-]{1,63}`;

/** The same, searched for in a text: it starts only where a run of address characters starts, so a long run is tried once. */
export const ADDRESS_IN_TEXT_SOURCE = String.raw`(?<![A-Za-z0-9${UTF8_LETTERS}!#$%&'*+/=?^_\`{|}~.-])${ADDRESS_SOURCE}`;

/** `text` cut to `max` UTF-16 units, never between the two halves of a surrogate pair (an emoji). */
export function cut(text: string, max: number): string {
	if (text.length <= max) return text;
	return text.slice(0, max > 0 && /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max);
}

/** `text` without leading characters from `chars` (a regex-free trim). */
export function trimStartChars(text: string, chars: string): string {
	let i = 0;
	while (i < text.length && chars.includes(text[i])) i++;
	return i ? text.slice(i) : text;
}

/** `text` without trailing characters from `chars`. */
export function trimEndChars(text: string, chars: string): string {
	let j = text.length;
	while (j > 0 && chars.includes(text[j - 1])) j--;
	return j < text.length ? text.slice(0, j) : text;
}

/** The first `max` lines of a text, split on LF or CRLF. */
export function linesOf(text: string, max: number = LIMITS.lines): string[] {
	const out: string[] = [];
	let start = 0;
	while (out.length < max && start <= text.length) {
		const nl = text.indexOf('\n', start);
		const end = nl < 0 ? text.length : nl;
		out.push(text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end));
		if (nl < 0) break;
		start = nl + 1;
	}
	return out;
}

/** One label of a host name (RFC 1035/1123: letters, digits, inner hyphens; underscores, as real hosts have them). */
const LABEL = /^[\w-]{1,63}$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^(?:[\da-f]{0,4}:){2,7}(?:[\da-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?$/i;

/** A host name (a bare IPv4 address is one) of at most 253 characters, with an optional root dot. */
function isHostName(name: string): boolean {
	const bare = name.endsWith('.') ? name.slice(0, -1) : name;
	return bare.length > 0 && bare.length <= 253 && bare.split('.').every((l) => LABEL.test(l) && !l.startsWith('-') && !l.endsWith('-'));
}

/** A bare IPv6 address, or an RFC 5321 §4.1.3 address literal: "[192.0.2.1]", "[IPv6:2001:db8::1]". */
function isAddress(name: string): boolean {
	if (!name.startsWith('[')) return IPV6.test(name);
	const inner = name.slice(1, -1);
	return name.endsWith(']') && (IPV4.test(inner) || (/^IPv6:/i.test(inner) && IPV6.test(inner.slice(5))));
}

/**
 * The host an MTA-name field names (RFC 3464 §2.3.5 Remote-MTA, §2.2.2 Reporting-MTA), given the
 * value after its type ("mx.example.net. (192.0.2.1, the server for …)"), or null. Type `dns`
 * names a host (RFC 1035 syntax) or an address: only that name is kept; a comment "(…)" or an
 * address "[…]" after it is dropped, any other text after it makes the field no name. Other types
 * are rare and mostly a host under a wrong name (Amazon SES writes "dsn;", some MTAs "smtp;" or
 * "X-Unix;"): they are read the same way. Anything that is no host name (markup, free text) is
 * null, not cleaned up: the value reaches HTML e-mails, sheets and logs, and a host name made up
 * from fragments would name a server that does not exist.
 */
export function mtaHostName(value: string | null | undefined): string | null {
	const v = value?.trim();
	if (!v) return null;
	const end = v.startsWith('[') ? v.indexOf(']') + 1 : v.search(/[\s([]|$/);
	const name = v.slice(0, end);
	// After the name only what MTAs write there: a comment "(…)" or the address "[…]".
	const rest = v.slice(end).trimStart();
	if (name.length === 0 || name.length > LIMITS.hostChars || (rest !== '' && !rest.startsWith('(') && !rest.startsWith('['))) return null;
	return isHostName(name) || isAddress(name) ? name : null;
}

/** A short value for the result, or null when it is longer than any real one can be. */
export function bounded(value: string | null, max: number): string | null {
	return value !== null && value.length > max ? null : value;
}
