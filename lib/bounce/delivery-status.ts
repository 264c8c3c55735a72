import type { RecipientFacts } from './types';
import { decodeHeaderValue } from './message-headers';
import { LIMITS, cut, linesOf, mtaHostName, trimEndChars, trimStartChars } from './text-bounds';

/** Field groups of an RFC 3464 message/delivery-status body: one per-message, then per-recipient. */
export interface DeliveryStatusFields {
	perMessage: Map<string, string>;
	perRecipient: Map<string, string>[];
}

/**
 * Reads the field groups of a delivery-status body (RFC 3464 §2.1). Groups are separated by
 * blank lines; continuation lines are unfolded. Some MTAs omit the blank line after the
 * per-message group, so a group that holds a recipient field is always a recipient group.
 */
const RECIPIENT_FIELDS = new Set(['original-recipient', 'final-recipient', 'action', 'status']);

export function parseDeliveryStatus(text: string): DeliveryStatusFields {
	const groups: Map<string, string>[] = [];
	let group = new Map<string, string>();
	let lastKey: string | null = null;
	for (const line of linesOf(text)) {
		if (line.trim() === '') {
			if (group.size) groups.push(group);
			group = new Map();
			lastKey = null;
			continue;
		}
		if (/^[ \t]/.test(line) && lastKey) {
			const value = group.get(lastKey) ?? '';
			if (value.length < LIMITS.fieldChars) group.set(lastKey, cut(`${value} ${line.trim()}`, LIMITS.fieldChars));
			continue;
		}
		const m = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:(.*)$/.exec(line);
		if (!m) continue;
		const key = m[1].toLowerCase();
		// A recipient field the group already holds (a second Final-Recipient, Original-Recipient or
		// Action) means the MTA left out the separating blank line: the next recipient starts here,
		// whichever field the MTA writes first.
		if (RECIPIENT_FIELDS.has(key) && group.has(key) && (group.has('final-recipient') || group.has('original-recipient'))) {
			groups.push(group);
			group = new Map();
		}
		if (!group.has(key)) group.set(key, cut(m[2].trim(), LIMITS.fieldChars));
		lastKey = key;
	}
	if (group.size) groups.push(group);

	const isRecipientGroup = (g: Map<string, string>) =>
		g.has('final-recipient') || g.has('original-recipient') || g.has('x-actual-recipient');
	const perMessage = new Map<string, string>();
	const perRecipient: Map<string, string>[] = [];
	const seen = new Set<string>();
	for (const g of groups) {
		if (isRecipientGroup(g)) {
			// A group repeated word for word says nothing new, and must not use up the limit before
			// the recipients that follow it.
			const key = JSON.stringify([...g]);
			if (seen.has(key)) continue;
			seen.add(key);
			if (perRecipient.length >= LIMITS.recipients) break;
			// Per-message fields that leaked into the recipient group still describe the message.
			perRecipient.push(g);
		} else if (perRecipient.length === 0) {
			for (const [k, v] of g) if (!perMessage.has(k)) perMessage.set(k, v);
		} else {
			// Fields after a recipient group without a recipient of their own complete it.
			const last = perRecipient[perRecipient.length - 1];
			for (const [k, v] of g) if (!last.has(k)) last.set(k, v);
		}
	}
	return { perMessage, perRecipient };
}

/** `rfc822; user@example.org` → `user@example.org`; `dns; mx.example.org` → `mx.example.org`. */
export function stripTypePrefix(value: string | undefined): string | null {
	if (!value) return null;
	const v = value.replace(/^[A-Za-z0-9-]+\s*;\s*/, '').trim();
	return v || null;
}

export function cleanAddress(value: string | null): string | null {
	if (!value) return null;
	const m = /<([^<>\s@]+@[^<>\s]+)>/.exec(value);
	// RFC 5322 §3.2.2 comments may stand around the address: "user@example.org (Kunde GmbH)".
	let addr = (m ? m[1] : value.replace(/\([^()]*\)/g, ' ')).trim();
	addr = trimEndChars(trimStartChars(addr, '"\'<( \t\r\n'), '>"\') \t\r\n.,;:');
	// RFC 821 source route: <@relay.example:user@example.org>
	addr = addr.replace(/^(?:@[^:,]+[,:])+/, '');
	return addr || null;
}

/** The first parenthesised comment that holds a word: "4.0.0 (host name lookup failure)". */
export function wordyComment(text: string): string | null {
	let open = text.indexOf('(');
	while (open >= 0) {
		const close = text.indexOf(')', open + 1);
		if (close < 0) return null;
		const inner = text.slice(open + 1, close);
		if (/[A-Za-z]{3}/.test(inner)) return inner;
		// Any "(" before this ")" opens a shorter comment inside the same one: no word there either.
		open = text.indexOf('(', close + 1);
	}
	return null;
}

/**
 * RFC 6533 §3: a `utf-8` address may write a non-ASCII character as "\x{HEXPOINT}"
 * (EmbeddedUnicodeChar); the address the reminder went to has the character itself.
 */
function decodeEmbeddedUnicode(value: string | null): string | null {
	return value && value.replace(/\\x\{([0-9A-Fa-f]{2,6})\}/g, (all, hex: string) => {
		const point = parseInt(hex, 16);
		return point <= 0x10ffff ? String.fromCodePoint(point) : all;
	});
}

/** A date-time field (RFC 5322 §3.3 syntax, as RFC 3464 uses it) in milliseconds, or null. */
function dateField(value: string | null | undefined): number | null {
	if (!value) return null;
	const t = Date.parse(value.slice(0, 100));
	return Number.isFinite(t) ? t : null;
}

/**
 * Turns delivery-status fields into per-recipient facts. `reportDate` is the report's own Date
 * header: when a recipient has no Last-Attempt-Date, the report was written at its last attempt.
 */
export function recipientFactsFromDsn(fields: DeliveryStatusFields, reportDate: string | null = null): RecipientFacts[] {
	// MTA names are hosts or nothing: never the free text a hostile report puts there (text-bounds.ts).
	const reportingMta = mtaHostName(stripTypePrefix(fields.perMessage.get('reporting-mta')));
	const arrival = dateField(fields.perMessage.get('arrival-date'));
	return oncePerRecipient(fields.perRecipient.map((g) => {
		const address = (field: string) => {
			const raw = g.get(field);
			const a = cleanAddress(/^\s*utf-8\s*;/i.test(raw ?? '') ? decodeEmbeddedUnicode(stripTypePrefix(raw)) : stripTypePrefix(raw));
			return a && /^[^@\s]+@[^@\s]+$/.test(a) ? a : null;
		};
		// A broken Final-Recipient (only a source route, no mailbox) falls back to the others.
		const recipient = address('final-recipient') ?? address('original-recipient') ?? address('x-actual-recipient');
		// Some MTAs explain in a comment after the code: "Status: 4.0.0 (host name lookup failure)".
		const statusComment = wordyComment(g.get('status') ?? '');
		// RFC 3464 keeps the field ASCII; gateways that meet 8-bit words encode them (RFC 2047).
		const rawDiagnostic = stripTypePrefix(g.get('diagnostic-code'));
		const diagnostic = (rawDiagnostic ? decodeHeaderValue(rawDiagnostic) : null) ?? statusComment;
		const diagnosticType = /^\s*([A-Za-z0-9-]+)\s*;/.exec(g.get('diagnostic-code') ?? '')?.[1].toLowerCase() ?? null;
		const statusField = g.get('status') ?? null;
		return {
			recipient,
			originalRecipient: address('original-recipient'),
			action: g.get('action')?.toLowerCase().split(/[\s(;]/)[0] ?? null,
			status: statusField,
			replyCode: null,
			diagnostic,
			diagnosticType,
			remoteMta: mtaHostName(stripTypePrefix(g.get('remote-mta'))),
			reportingMta: mtaHostName(stripTypePrefix(g.get('reporting-mta'))) ?? reportingMta,
			waitedSeconds: waited(arrival, dateField(g.get('last-attempt-date')) ?? dateField(reportDate)),
		};
	}));
}

const SEVERITY: Record<string, number> = { failed: 3, delayed: 2, delivered: 1, relayed: 1, expanded: 1 };

/**
 * One result per recipient (and the address it was sent to): a report that repeats a recipient's
 * group, or only its Final-Recipient line, is read by its most severe Action, as Outlook reads it
 * (MS-OXCMAIL 2.2.3.7.1), so one address never lands on two outputs. Two aliases that reached the
 * same mailbox (different Original-Recipients) stay two results.
 */
function oncePerRecipient(facts: RecipientFacts[]): RecipientFacts[] {
	const out: RecipientFacts[] = [];
	const lower = (a: string | null | undefined) => a?.toLowerCase() ?? null;
	for (const f of facts) {
		const at = out.findIndex(
			(o) => f.recipient !== null && lower(o.recipient) === lower(f.recipient) && (!o.originalRecipient || !f.originalRecipient || lower(o.originalRecipient) === lower(f.originalRecipient)),
		);
		if (at < 0) out.push(f);
		else {
			const [kept, other] = (SEVERITY[f.action ?? ''] ?? 0) > (SEVERITY[out[at].action ?? ''] ?? 0) ? [f, out[at]] : [out[at], f];
			out[at] = { ...kept, originalRecipient: kept.originalRecipient ?? other.originalRecipient };
		}
	}
	return out;
}

function waited(arrival: number | null, last: number | null): number | null {
	if (arrival === null || last === null || last < arrival) return null;
	return Math.round((last - arrival) / 1000);
}
