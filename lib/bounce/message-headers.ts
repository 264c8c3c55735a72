import libmime from 'libmime';

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

const ADDRESS = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+/g;

/** All e-mail addresses named in the given header fields. */
export function addressesIn(headers: Map<string, string[]>, keys: string[]): string[] {
	const out: string[] = [];
	for (const k of keys) {
		for (const v of headers.get(k) ?? []) {
			for (const m of v.matchAll(ADDRESS)) out.push(m[0].replace(/\.+$/, ''));
		}
	}
	return out;
}
