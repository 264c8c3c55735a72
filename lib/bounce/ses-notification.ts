import type { Correlation, RecipientFacts } from './types';
import { cleanAddress, stripTypePrefix } from './delivery-status';
import { emptyCorrelation, correlationFromHeaders } from './correlation';
import { LIMITS, mtaHostName } from './text-bounds';

/**
 * Amazon SES event notifications (Bounce, Complaint, Delivery) delivered by e-mail through SNS:
 * a JSON body, optionally wrapped in an SNS envelope whose `Message` holds the JSON as a string.
 */
export interface SesNotification {
	type: 'bounce' | 'complaint' | 'delivery';
	facts: RecipientFacts[];
	feedbackType: string | null;
	correlation: Correlation;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

function parseJson(text: string): Json | null {
	const start = text.indexOf('{');
	const end = text.lastIndexOf('}');
	if (start < 0 || end <= start) return null;
	try {
		return obj(JSON.parse(text.slice(start, end + 1)));
	} catch {
		return null;
	}
}

/** `"name": "value"` of a JSON text whose structure is damaged. Names are fixed identifiers. */
export function sesFieldPattern(name: string): RegExp {
	return new RegExp(`"${name}"\\s*:\\s*"([^"]*)"`);
}

/** The `{…}` spans without nested braces that contain `needle`, found in one pass, at most 100. */
function flatObjectsNaming(text: string, needle: string): string[] {
	const out: string[] = [];
	let open = -1;
	for (let i = 0; i < text.length && out.length < LIMITS.recipients; i++) {
		const c = text[i];
		if (c === '{') open = i;
		else if (c === '}' && open >= 0) {
			const span = text.slice(open, i + 1);
			if (span.includes(needle)) out.push(span);
			open = -1;
		}
	}
	return out;
}

/**
 * Mail gateways break lines longer than the SMTP limit, which can damage a one-line JSON body.
 * The small per-recipient objects usually survive: rebuild a minimal notification from them.
 */
function salvage(text: string): Json | null {
	const type = /"(?:notificationType|eventType)"\s*:\s*"(\w+)"/.exec(text)?.[1];
	if (!type) return null;
	const objects: Json[] = [];
	for (const flat of flatObjectsNaming(text, '"emailAddress"')) {
		try {
			objects.push(obj(JSON.parse(flat)));
		} catch {
			const address = /"emailAddress"\s*:\s*"([^"]+)"/.exec(flat)?.[1];
			if (address) objects.push({ emailAddress: address });
		}
	}
	const field = (name: string) => sesFieldPattern(name).exec(text)?.[1];
	const lower = type.toLowerCase();
	if (lower === 'bounce') return { notificationType: type, bounce: { bouncedRecipients: objects, reportingMTA: field('reportingMTA'), bounceSubType: field('bounceSubType') } };
	if (lower === 'complaint') return { notificationType: type, complaint: { complainedRecipients: objects, complaintFeedbackType: field('complaintFeedbackType') } };
	if (lower === 'delivery') {
		const recipients = /"recipients"\s*:\s*\[([^\]]*)\]/.exec(text)?.[1]?.match(/"[^"]+"/g)?.map((x) => x.slice(1, -1)) ?? [];
		return { notificationType: type, delivery: { recipients, smtpResponse: field('smtpResponse'), reportingMTA: field('reportingMTA') } };
	}
	return null;
}

/** The type field, also escaped inside an SNS envelope's `Message` string (SNS "email-json"). */
export const SES_TYPE_FIELD = /\\?"(?:notificationType|eventType)\\?"/;

export function parseSesNotification(text: string): SesNotification | null {
	if (!SES_TYPE_FIELD.test(text)) return null;
	let json = parseJson(text);
	if (json && typeof json.Message === 'string') json = parseJson(json.Message);
	if (!json) json = salvage(text);
	if (!json) return null;
	const kind = String(json.notificationType ?? json.eventType ?? '').toLowerCase();
	const mail = obj(json.mail);
	const headers = new Map<string, string[]>();
	for (const h of arr(mail.headers)) {
		const name = str(h.name)?.toLowerCase();
		const value = str(h.value);
		if (name && value) headers.set(name, [...(headers.get(name) ?? []), value]);
	}
	const correlation = headers.size ? correlationFromHeaders(headers) : emptyCorrelation();
	const base = (recipient: string | null): RecipientFacts => ({
		recipient: cleanAddress(recipient),
		action: null,
		status: null,
		replyCode: null,
		diagnostic: null,
		remoteMta: null,
		reportingMta: null,
	});
	if (kind === 'bounce') {
		const bounce = obj(json.bounce);
		const reportingMta = mtaHostName(stripTypePrefix(str(bounce.reportingMTA) ?? undefined));
		const facts = arr(bounce.bouncedRecipients).map((r) => ({
			...base(str(r.emailAddress)),
			action: str(r.action),
			status: str(r.status),
			diagnostic: stripTypePrefix(str(r.diagnosticCode) ?? undefined) ?? str(bounce.bounceSubType),
			reportingMta,
		}));
		return { type: 'bounce', facts, feedbackType: null, correlation };
	}
	if (kind === 'complaint') {
		const complaint = obj(json.complaint);
		const facts = arr(complaint.complainedRecipients).map((r) => base(str(r.emailAddress)));
		return { type: 'complaint', facts, feedbackType: str(complaint.complaintFeedbackType), correlation };
	}
	if (kind === 'delivery') {
		const delivery = obj(json.delivery);
		const response = str(delivery.smtpResponse);
		const recipients = (Array.isArray(delivery.recipients) ? delivery.recipients : []).filter((r): r is string => typeof r === 'string');
		const facts = recipients.map((r) => ({
			...base(r),
			action: 'delivered',
			diagnostic: response,
			// Host names or addresses only, as from a report (text-bounds.ts): the JSON is anyone's to write.
			reportingMta: mtaHostName(stripTypePrefix(str(delivery.reportingMTA) ?? undefined)),
			remoteMta: mtaHostName(str(delivery.remoteMtaIp)),
		}));
		return { type: 'delivery', facts, feedbackType: null, correlation };
	}
	return null;
}
