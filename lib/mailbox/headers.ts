import type { MessageEnvelopeObject } from 'imapflow';

import { correlationValue } from '../bounce/correlation';
import { cut, LIMITS } from '../bounce/text-bounds';

/** The headers Read Mailbox puts on each item, so workflows can route without parsing MIME. */
export interface MessageHeaders {
	from: string;
	fromAddress: string;
	to: string[];
	cc: string[];
	replyTo: string;
	subject: string;
	date: string | null;
	messageId: string;
	inReplyTo: string;
	references: string[];
	/** RFC 3834: `auto-replied`, `auto-generated`, … or `''`. DSNs and vacation replies set it. */
	autoSubmitted: string;
	returnPath: string;
	contentType: string;
	/** Our correlation headers, present on replies that quote them at the top level. */
	dunningInvoice: string;
	dunningLevel: string;
	dunningRun: string;
}

/**
 * Bounds on what the server's ENVELOPE puts on an item. The envelope is the server's word, not
 * the message's: a hostile or broken server can send a 10 MiB subject or thousands of addresses,
 * and each item goes into n8n's execution data (saved, shown in the editor, passed to every node).
 * Far above what a person or a workflow needs to recognise a message.
 */
const ENVELOPE_LIMITS = {
	/** Subject and display names. */
	textChars: 1000,
	/** One address (RFC 5321: at most 254 octets). */
	addressChars: LIMITS.addressChars,
	/** Message-ID and In-Reply-To (RFC 5322: a line holds at most 998 characters). */
	idChars: LIMITS.idChars,
	/** Addresses per list (to, cc). */
	addresses: LIMITS.recipients,
} as const;

/** `text` cut to `max` (never inside an emoji); '' for none. */
const bounded = (text: string | undefined, max: number): string => (text ? cut(text, max) : '');

/** Header fields read from the raw header block (the rest comes from the server's ENVELOPE). */
const RAW_FIELDS = ['references', 'auto-submitted', 'return-path', 'content-type', 'x-dunning-invoice', 'x-dunning-level', 'x-dunning-run'];

/**
 * Reads selected, unfolded header fields from the header block of a raw message. Only ASCII
 * structured fields are read this way; encoded words (subject, names) come decoded from ENVELOPE.
 */
export function readHeaderFields(source: Buffer, names: string[] = RAW_FIELDS): Map<string, string> {
	const wanted = new Set(names.map((n) => n.toLowerCase()));
	// The header block ends at the first empty line, whichever line ends the message uses: a body
	// with CRLF pairs after LF-only headers must not make its lines (a quoted X-Dunning-Invoice) headers.
	const head = source.subarray(0, Math.min(source.length, 256 * 1024)).toString('latin1');
	const blank = head.search(/\r?\n\r?\n/);
	const block = blank >= 0 ? head.slice(0, blank) : head;
	const out = new Map<string, string>();
	let name = '';
	let value = '';
	const flush = () => {
		if (name && wanted.has(name) && !out.has(name)) out.set(name, value.replace(/\s+/g, ' ').trim());
	};
	for (const line of block.split(/\r?\n/)) {
		if (/^[ \t]/.test(line)) {
			value += ` ${line.trim()}`;
			continue;
		}
		flush();
		const colon = line.indexOf(':');
		name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
		value = colon > 0 ? line.slice(colon + 1) : '';
	}
	flush();
	return out;
}

function formatAddress(a: { name?: string; address?: string }): string {
	const name = bounded(a.name, ENVELOPE_LIMITS.textChars);
	const address = bounded(a.address, ENVELOPE_LIMITS.addressChars);
	if (name && address) return `${name} <${address}>`;
	return a.address !== undefined ? address : name;
}

function addresses(list: Array<{ name?: string; address?: string }> | undefined): string[] {
	const out: string[] = [];
	for (const a of list ?? []) {
		if (out.length >= ENVELOPE_LIMITS.addresses) break;
		const s = formatAddress(a);
		if (s !== '') out.push(s);
	}
	return out;
}

function toIso(date: Date | string | undefined): string | null {
	if (!date) return null;
	const d = date instanceof Date ? date : new Date(date);
	return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function messageHeaders(envelope: MessageEnvelopeObject | undefined, source: Buffer): MessageHeaders {
	const raw = readHeaderFields(source);
	const env = envelope ?? {};
	const from = env.from?.[0];
	return {
		from: from ? formatAddress(from) : '',
		fromAddress: bounded(from?.address, ENVELOPE_LIMITS.addressChars),
		to: addresses(env.to),
		cc: addresses(env.cc),
		replyTo: env.replyTo?.[0] ? formatAddress(env.replyTo[0]) : '',
		subject: bounded(env.subject, ENVELOPE_LIMITS.textChars),
		date: toIso(env.date),
		messageId: bounded(env.messageId, ENVELOPE_LIMITS.idChars),
		inReplyTo: bounded(env.inReplyTo, ENVELOPE_LIMITS.idChars),
		references: (raw.get('references') ?? '').split(/\s+/).filter((r) => r !== ''),
		autoSubmitted: raw.get('auto-submitted') ?? '',
		returnPath: raw.get('return-path') ?? '',
		contentType: raw.get('content-type') ?? '',
		// Decoded as Send Reminder Email encoded them (a non-ASCII invoice id is an RFC 2047 encoded word).
		dunningInvoice: correlationValue(raw.get('x-dunning-invoice')) ?? '',
		dunningLevel: correlationValue(raw.get('x-dunning-level')) ?? '',
		dunningRun: correlationValue(raw.get('x-dunning-run')) ?? '',
	};
}
