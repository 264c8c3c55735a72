/**
 * Address checks done before any server is contacted: a reminder with no usable address goes on
 * paper at once instead of costing a send attempt (and a bounce) per run. Compute Dunning Level
 * and Send Reminder Email both ask isValidAddress, so an address is usable for both or for neither.
 */
import { domainToASCII } from 'node:url';

// Dot-atom local part: what real mailboxes look like. Quoted local parts and IP literals are legal
// but never seen on customer records, and accepting them would let garbage through.
// Letters beyond ASCII (müller@…) are allowed: such mailboxes exist. A server without SMTPUTF8
// cannot take them; the reminder then goes to the customer's other addresses, or fails when there
// are none (smtp-session.ts, send-run.ts), rather than guessing paper.
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
// After IDNA conversion a host name is letters, digits and inner hyphens (STD3 rules).
const ASCII_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * The domain as it goes on the wire (IDNA 2008 / UTS 46: Unicode mapped and NFKC-normalised,
 * lower case, A-labels), or null when it does not convert into a clean host name. Node's
 * conversion maps compatibility characters into ASCII punctuation ("x🄁y.org" → "x0,y.org",
 * "x⑴y.org" → "x(1)y.org"), which names no host: those are refused here, not sent mangled.
 */
export function asciiDomain(domain: string): string | null {
	if (domain.length === 0 || domain.length > 253) return null;
	// Plain ASCII without A-labels only changes case under UTS 46: skip the conversion, which
	// costs microseconds per address on runs of many thousands.
	const ascii = isPlainAscii(domain) && !/(?:^|\.)xn--/i.test(domain) ? domain.toLowerCase() : domainToASCII(domain);
	if (ascii === '' || ascii.length > 253) return null;
	const labels = ascii.split('.');
	if (labels.length < 2 || !labels.every((label) => ASCII_LABEL.test(label))) return null;
	return TOP_LABEL.test(labels[labels.length - 1]) ? ascii : null;
}

/**
 * The address as it should be used — local part in NFC, domain in ASCII — or null when it is not
 * usable. A local part with compatibility characters (fullwidth or circled letters, ligatures)
 * is refused: NFKC would name another mailbox, and no customer types one on purpose.
 */
export function normalizeAddress(value: string): string | null {
	if (value.length > 254 || /\s/.test(value)) return null;
	const at = value.lastIndexOf('@');
	if (at <= 0 || at === value.length - 1) return null;
	const raw = value.slice(0, at);
	// ASCII is its own NFC and NFKC form.
	const local = isPlainAscii(raw) ? raw : unicodeLocal(raw);
	if (local === null || local.length > 64 || !LOCAL.test(local)) return null;
	const domain = asciiDomain(value.slice(at + 1));
	return domain === null ? null : `${local}@${domain}`;
}

/** The local part in NFC, or null when NFKC would change it (compatibility characters). */
function unicodeLocal(raw: string): string | null {
	const nfc = raw.normalize('NFC');
	return nfc.normalize('NFKC') === nfc ? nfc : null;
}

/** Printable ASCII only (no controls, no spaces). */
export function isPlainAscii(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x21 || code > 0x7e) return false;
	}
	return true;
}

export function isValidAddress(value: string): boolean {
	return normalizeAddress(value) !== null;
}

export function domainOf(address: string): string {
	return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
