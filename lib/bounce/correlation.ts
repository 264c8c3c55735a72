import libmime from 'libmime';

import type { BounceResult, Correlation } from './types';

const FIELD_RE = /^(message-id|x-dunning-invoice|x-dunning-level|x-dunning-run|x-dunning-copy)[ \t]*:[ \t]*(.*(?:\r?\n[ \t]+.*)*)/gim;

export function emptyCorrelation(): Correlation {
	return { originalMessageId: null, invoiceId: null, level: null, runId: null, archiveCopyMark: null };
}

function parseLevel(v: string | undefined): number | null {
	if (v === undefined) return null;
	const n = Number.parseInt(v.trim(), 10);
	return Number.isFinite(n) ? n : null;
}

function cleanId(v: string | undefined): string | null {
	if (!v) return null;
	const m = /<[^<>\s]+>/.exec(v);
	if (m) return m[0];
	const id = v.trim();
	// A returned header cut inside the id ("<dunning.1.3f9a…" at a server's size limit) names no
	// message: none, so the report's In-Reply-To or References can name it instead.
	if (id.startsWith('<')) return null;
	// Without its angle brackets (RFC 5322 §3.6.4 asks for them) an addr-spec is still the id.
	if (/^[^\s<>@]+@[^\s<>@]+$/.test(id)) return `<${id}>`;
	return id || null;
}

/**
 * An X-Dunning-* value as Send Reminder Email gave it, or undefined for none: it writes a non-ASCII
 * invoice id ("RE-Ä1/2026") as RFC 2047 encoded words (lib/mail/mime.ts), and an ASCII id that looks
 * like an encoded word as one whole encoded word, so decoding gives back exactly the id it was given.
 */
export function correlationValue(raw: string | undefined): string | undefined {
	return (raw && libmime.decodeWords(raw).trim()) || undefined;
}

/** Correlation from the header fields of the original message (attached or quoted). */
export function correlationFromHeaders(headers: Map<string, string[]>): Correlation {
	const first = (k: string) => headers.get(k)?.[0]?.trim() || undefined;
	return {
		originalMessageId: cleanId(first('message-id')),
		invoiceId: correlationValue(first('x-dunning-invoice')) ?? null,
		level: parseLevel(first('x-dunning-level')),
		runId: correlationValue(first('x-dunning-run')) ?? null,
		archiveCopyMark: first('x-dunning-copy') ?? null,
	};
}

/** Correlation from header lines quoted in a text (text/rfc822-headers or a plain bounce body). */
export function correlationFromText(text: string): Correlation {
	const fields = new Map<string, string[]>();
	FIELD_RE.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = FIELD_RE.exec(text))) {
		const k = m[1].toLowerCase();
		const v = m[2].replace(/\r?\n[ \t]+/g, ' ').trim();
		if (!fields.has(k)) fields.set(k, [v]);
	}
	return correlationFromHeaders(fields);
}

/** The correlation names a reminder of ours: our X-Dunning-Invoice header or our Message-ID form. */
export function namesOurReminder(c: Correlation): boolean {
	return c.invoiceId !== null || /^<dunning\.\d/i.test(c.originalMessageId ?? '');
}

/**
 * Fills the gaps of `a` from `b`, when both can be about one reminder: once `a` names a Message-ID,
 * only a source naming the same one adds to it. A report's own words quoting "X-Dunning-Invoice"
 * would otherwise pair another invoice and level with the returned reminder's Message-ID.
 */
export function mergeCorrelation(a: Correlation, b: Correlation): Correlation {
	if (a.originalMessageId !== null && a.originalMessageId.toLowerCase() !== b.originalMessageId?.toLowerCase()) return a;
	return {
		originalMessageId: a.originalMessageId ?? b.originalMessageId,
		invoiceId: a.invoiceId ?? b.invoiceId,
		level: a.level ?? b.level,
		runId: a.runId ?? b.runId,
		archiveCopyMark: a.archiveCopyMark ?? b.archiveCopyMark,
	};
}

/** The level our Message-ID names (`<dunning.2.…>`, lib/mail/message.ts), or null for any other id. */
export function levelOfOurMessageId(messageId: string | null): number | null {
	const m = /^<?dunning\.(\d{1,3})\.[0-9a-f]{32}@/i.exec(messageId ?? '');
	return m ? Number(m[1]) : null;
}

/** The reminder a result is about, as a correlation. */
export function correlationOf(r: BounceResult): Correlation {
	return { originalMessageId: r.originalMessageId, invoiceId: r.invoiceId, level: r.level, runId: null, archiveCopyMark: null };
}

/** Our reminders' Message-ID form (lib/mail/message.ts, reminderMessageId): level and digest. */
const OUR_MESSAGE_ID = /<?(dunning\.\d{1,3}\.[0-9a-f]{32}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,10})>?/gi;

/**
 * A reminder's Message-ID that a report names only in its own words and layout ("  Message-ID:
 * <dunning.…>" indented in a summary, no returned message or headers; with or without its angle
 * brackets): only when the text names exactly one, which no other reminder's report could carry.
 */
export function ourMessageIdInText(text: string): string | null {
	const ids = new Map([...text.matchAll(OUR_MESSAGE_ID)].map((m) => [m[1].toLowerCase(), `<${m[1]}>`]));
	return ids.size === 1 ? [...ids.values()][0] : null;
}
