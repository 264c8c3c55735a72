/**
 * A recipient field as people fill it in n8n and as ERP exports carry it: one address, a
 * `Name <address>` pair, or several of either separated by commas or semicolons. Every address
 * must pass the same checks as a single one (address.ts), so one bad entry sends the reminder to
 * paper, naming the entry, instead of going out to part of the list.
 */
import { normalizeAddress } from './address';
import { BIDI_CONTROL, CONTROL } from './header-value';

/** More than this is a mailing list, not a customer's contacts; such a field is refused. */
export const MAX_RECIPIENTS = 10;

export interface Recipient {
	/** As written (trimmed); the envelope and headers use its ASCII form. */
	address: string;
	/** The display name, when the entry had one. */
	name?: string;
}

export type RecipientList =
	| { ok: true; recipients: Recipient[] }
	| { ok: false; reason: 'noEmail' | 'invalidEmail'; error: string; invalid?: string };

/**
 * Splits at commas and semicolons outside double quotes and angle brackets, so that
 * `"Müller, Hans" <h@x.de>` stays one entry.
 */
function splitEntries(value: string): string[] {
	const entries: string[] = [];
	let current = '';
	let quoted = false;
	let angle = false;
	for (let i = 0; i < value.length; i++) {
		const c = value[i];
		if (quoted && c === '\\' && i + 1 < value.length) {
			current += c + value[++i];
			continue;
		}
		if (c === '"' && !angle) quoted = !quoted;
		else if (c === '<' && !quoted) angle = true;
		else if (c === '>' && !quoted) angle = false;
		else if ((c === ',' || c === ';') && !quoted && !angle) {
			entries.push(current);
			current = '';
			continue;
		}
		current += c;
	}
	entries.push(current);
	return entries.map((e) => e.trim()).filter((e) => e !== '');
}

/** A display name: surrounding quotes removed and backslash escapes undone. */
function displayName(raw: string): string {
	const name = raw.trim();
	return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replace(/\\(.)/g, '$1').trim() : name;
}

/** One entry: `address`, `<address>` or `Name <address>`; null when it is none of them. */
function parseEntry(entry: string): Recipient | null {
	const open = entry.lastIndexOf('<');
	if (open < 0) return normalizeAddress(entry) === null ? null : { address: entry };
	if (!entry.endsWith('>')) return null;
	const address = entry.slice(open + 1, -1).trim();
	const raw = entry.slice(0, open).trim();
	const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
	const name = displayName(raw);
	// Brackets, stray quotes or controls (C0, DEL, C1) in a name mean a malformed entry, not a name;
	// so do bidi controls, which the header check refuses too (header-value.ts): the item goes on paper.
	// A TAB is as wrong in a name as the other controls the header check refuses.
	if (/[<>\t]/.test(name) || CONTROL.test(name) || BIDI_CONTROL.test(name) || (!quoted && raw.includes('"')) || normalizeAddress(address) === null) return null;
	return name ? { address, name } : { address };
}

/**
 * Reads a recipient field. Entries are checked in order; the first invalid one is named in the
 * error. The same address twice (case aside) is sent to once.
 */
export function parseRecipients(value: string, field = 'email'): RecipientList {
	// eslint-disable-next-line no-control-regex
	if (/[\r\n\u0000]/.test(value)) {
		return { ok: false, reason: 'invalidEmail', error: `"${field}" contains a line break or control character: send this reminder on paper` };
	}
	const entries = splitEntries(value);
	if (entries.length === 0) return { ok: false, reason: 'noEmail', error: `No e-mail address in "${field}": send this reminder on paper` };
	if (entries.length > MAX_RECIPIENTS) {
		return {
			ok: false,
			reason: 'invalidEmail',
			error: `"${field}" lists ${entries.length} addresses, more than the ${MAX_RECIPIENTS} a reminder may go to: send this reminder on paper`,
		};
	}
	const recipients: Recipient[] = [];
	const seen = new Set<string>();
	for (const entry of entries) {
		const recipient = parseEntry(entry);
		if (!recipient) {
			const shown = entry.length > 80 ? `${entry.slice(0, 80)}…` : entry;
			const of = entries.length > 1 ? ` (one of ${entries.length} addresses)` : '';
			return { ok: false, reason: 'invalidEmail', invalid: entry, error: `"${shown}" in "${field}"${of} is not a valid e-mail address: send this reminder on paper` };
		}
		const key = normalizeAddress(recipient.address)!.toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		recipients.push(recipient);
	}
	return { ok: true, recipients };
}

/** The list as it reads in an item's output: `Name <address>, address`. */
export function formatRecipients(recipients: Recipient[]): string {
	return recipients.map((r) => (r.name ? `${r.name} <${r.address}>` : r.address)).join(', ');
}
