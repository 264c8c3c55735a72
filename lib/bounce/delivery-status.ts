import type { RecipientFacts } from './types';

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
export function parseDeliveryStatus(text: string): DeliveryStatusFields {
	const groups: Map<string, string>[] = [];
	let group = new Map<string, string>();
	let lastKey: string | null = null;
	const lines = text.split(/\r?\n/);
	for (const line of lines) {
		if (/^\s*$/.test(line)) {
			if (group.size) groups.push(group);
			group = new Map();
			lastKey = null;
			continue;
		}
		if (/^[ \t]/.test(line) && lastKey) {
			group.set(lastKey, `${group.get(lastKey) ?? ''} ${line.trim()}`);
			continue;
		}
		const m = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line);
		if (!m) continue;
		const key = m[1].toLowerCase();
		// A second Final-Recipient in one group means the MTA left out the separating blank line.
		if ((key === 'final-recipient' || key === 'original-recipient') && group.has('final-recipient') && key === 'final-recipient') {
			groups.push(group);
			group = new Map();
		}
		if (!group.has(key)) group.set(key, m[2].trim());
		lastKey = key;
	}
	if (group.size) groups.push(group);

	const isRecipientGroup = (g: Map<string, string>) =>
		g.has('final-recipient') || g.has('original-recipient') || g.has('x-actual-recipient');
	const perMessage = new Map<string, string>();
	const perRecipient: Map<string, string>[] = [];
	for (const g of groups) {
		if (isRecipientGroup(g)) {
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
	const m = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
	let addr = (m ? m[1] : value).trim();
	addr = addr.replace(/^["'<(\s]+|[>"')\s.,;:]+$/g, '');
	// RFC 821 source route: <@relay.example:user@example.org>
	addr = addr.replace(/^(?:@[^:,]+[,:])+/, '');
	return addr || null;
}

/** Turns delivery-status fields into per-recipient facts. */
export function recipientFactsFromDsn(fields: DeliveryStatusFields): RecipientFacts[] {
	const reportingMta = stripTypePrefix(fields.perMessage.get('reporting-mta'));
	return fields.perRecipient.map((g) => {
		// A broken Final-Recipient (only a source route, no mailbox) falls back to the others.
		const recipient =
			['final-recipient', 'original-recipient', 'x-actual-recipient']
				.map((k) => cleanAddress(stripTypePrefix(g.get(k))))
				.find((a) => !!a && /^[^@\s]+@[^@\s]+$/.test(a)) ?? null;
		// Some MTAs explain in a comment after the code: "Status: 4.0.0 (host name lookup failure)".
		const statusComment = /\(([^)]*[A-Za-z]{3}[^)]*)\)/.exec(g.get('status') ?? '')?.[1] ?? null;
		const diagnostic = stripTypePrefix(g.get('diagnostic-code')) ?? statusComment;
		const diagnosticType = /^\s*([A-Za-z0-9-]+)\s*;/.exec(g.get('diagnostic-code') ?? '')?.[1].toLowerCase() ?? null;
		const statusField = g.get('status') ?? null;
		return {
			recipient,
			action: g.get('action')?.toLowerCase().split(/[\s(;]/)[0] ?? null,
			status: statusField,
			replyCode: null,
			diagnostic,
			diagnosticType,
			remoteMta: stripTypePrefix(g.get('remote-mta')),
			reportingMta: stripTypePrefix(g.get('reporting-mta')) ?? reportingMta,
		};
	});
}
