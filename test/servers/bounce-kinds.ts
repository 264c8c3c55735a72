/**
 * Makes the sandbox's Postfix and Dovecot produce, for real, each kind of mail that comes back to
 * the sender after a reminder (issue 11, Checks), and says what the classifier must read from it.
 *
 * Every scenario sends a reminder built by the package itself (lib/mail buildReminderMessage: our
 * Message-ID and X-Dunning-* headers) through the sandbox's Postfix and waits for what comes back
 * in dunning@example.test's INBOX:
 * - userUnknown: Dovecot's LMTP refuses nobody@example.test with 550 5.1.1 → Postfix DSN;
 * - forwardedToUnknown: moved@example.test is a Postfix virtual alias for nobody@example.test (a
 *   forward to an address that is gone): the DSN names both, Original-Recipient moved@ and
 *   Final-Recipient nobody@ (RFC 3464 §2.3.1-2);
 * - mailboxFull: full@example.test is over its Dovecot quota; LMTP refuses at DATA with 552 5.2.2;
 * - mailboxFullUntilExpired: fulltemp@example.test is over quota too, refused as temporary
 *   (452 4.2.2): a "delayed" notice, then the "expired" report (flushed as below);
 * - contentRefused: the recipient's server for strict.example.net (a second smtpd) refuses the
 *   reminder at end of DATA with 550 5.7.1 (header_checks) → our Postfix returns a DSN;
 * - delayed / expired: unreachable.example.net is a closed port; the message is flushed once it is
 *   older than delay_warning_time (→ "delayed" notice) and once older than maximal_queue_lifetime
 *   (→ "expired" DSN) instead of waiting for the queue manager;
 * - complaint: the reminder really reaches customer@example.test, and a feedback loop sends an
 *   RFC 5965 report with the delivered copy attached back through Postfix;
 * - replyGerman / replyEnglish: the customer answers the delivered reminder ("AW:" / "Re:",
 *   In-Reply-To and References, the reminder quoted) through Postfix;
 * - autoReply: away@example.test's Sieve vacation (RFC 5230) answers through Postfix. A compliant
 *   responder never answers mail marked Auto-Submitted (RFC 3834 §2), and our reminders are, so
 *   this reminder goes without that one header: it stands for the responders that answer anyway.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import MimeNode from 'nodemailer/lib/mime-node';

import type { BounceCategory, BounceKind, BounceReason } from '../../lib/bounce';
import { buildReminderMessage } from '../../lib/mail/message';
import { SANDBOX, waitForMessage, type ArrivedMessage, type SandboxUser } from './sandbox';

const run = promisify(execFile);

export const SHOP = { name: 'Beispiel Shop', address: SANDBOX.users.dunning.user } as const;
const FEEDBACK_LOOP = 'fbl@fbl.example.net';

/** Postfix's settings the delay scenario waits out (postfix-main.cf.template). */
export const QUEUE_TIMES = { delayWarningMs: 1000, maximalQueueLifetimeMs: 8000 } as const;

export interface SentReminder {
	to: string;
	invoiceId: string;
	level: number;
	runId: string;
	messageId: string;
	subject: string;
	/** Postfix's queue ID ("250 2.0.0 Ok: queued as …"). */
	queueId: string;
	sentAt: number;
}

/**
 * What the classifier must say about one returned message. Only the fields present are checked:
 * a field is left out where the message does not decide it (e.g. the v1 `kind` of a 5.7.1 refusal).
 */
export interface ExpectedBounce {
	category: BounceCategory;
	final: boolean;
	kind?: BounceKind;
	/** One reason, or the reasons that all say the same thing here (same category). */
	reason?: BounceReason | null | BounceReason[];
	status?: string | null;
	recipient: string;
	/** RFC 3464 Original-Recipient where it differs from `recipient` (a forward). */
	originalRecipient?: string;
	invoiceId: string | null;
	level: number;
	originalMessageId: string;
	feedbackType?: string;
	/** Category reply: words of the customer's new text that the extract must contain. */
	replyTextIncludes?: string;
}

/** One real message that came back, with what it must classify as; `file` names its fixture. */
export interface ReturnedSample {
	file: string;
	/** Its UID in dunning@example.test's INBOX. */
	uid: number;
	source: Buffer;
	expected: ExpectedBounce;
}

export const SCENARIOS = [
	'userUnknown',
	'forwardedToUnknown',
	'mailboxFull',
	'contentRefused',
	'delayedThenExpired',
	'mailboxFullUntilExpired',
	'complaint',
	'replyGerman',
	'replyEnglish',
	'autoReply',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

function transport() {
	return createTransport({ host: SANDBOX.host, port: SANDBOX.smtpPort, secure: false, tls: { rejectUnauthorized: false } });
}

/** Submits a finished message to the sandbox's Postfix; returns Postfix's queue ID. */
export async function submit(envelope: { from: string; to: string }, raw: Buffer | string): Promise<string> {
	const t = transport();
	try {
		const info = await t.sendMail({ envelope: { from: envelope.from, to: [envelope.to] }, raw });
		const queueId = /queued as ([0-9A-Za-z]+)/.exec(info.response)?.[1];
		if (!queueId) throw new Error(`Postfix accepted the message without a queue ID: ${info.response}`);
		return queueId;
	} finally {
		t.close();
	}
}

/** Drops one header field from a message's header block. */
function withoutHeader(raw: Buffer, name: string): Buffer {
	const text = raw.toString('utf8');
	const end = text.indexOf('\r\n\r\n');
	const field = new RegExp(`^${name}:[^\\r\\n]*\\r\\n(?:[ \\t][^\\r\\n]*\\r\\n)*`, 'im');
	return Buffer.from(text.slice(0, end + 2).replace(field, '') + text.slice(end + 2), 'utf8');
}

/**
 * Sends a reminder as Send Reminder Email builds it. `unmarked` leaves out Auto-Submitted (see the
 * autoReply scenario); everything else stays as on the wire.
 */
export async function sendReminder(
	to: string,
	invoiceId: string,
	level: number,
	options: { unmarked?: boolean; runId?: string } = {},
): Promise<SentReminder> {
	const subject = level <= 1 ? `Zahlungserinnerung zur Rechnung ${invoiceId}` : `${level - 1}. Mahnung zur Rechnung ${invoiceId}`;
	const runId = options.runId ?? `run-${invoiceId}`;
	const message = await buildReminderMessage({
		sender: SHOP,
		to,
		subject,
		text: [
			'Guten Tag,',
			'',
			`unsere Rechnung ${invoiceId} über 119,00 EUR ist seit dem 15.11.2026 fällig.`,
			'Bitte überweisen Sie den offenen Betrag bis zum 10.12.2026.',
			'',
			'Mit freundlichen Grüßen',
			SHOP.name,
		].join('\n'),
		invoiceId,
		level,
		runId,
	});
	const raw = options.unmarked ? withoutHeader(message.raw, 'Auto-Submitted') : message.raw;
	const sentAt = Date.now();
	const queueId = await submit({ from: SHOP.address, to }, raw);
	return { to, invoiceId, level, runId, messageId: message.messageId, subject, queueId, sentAt };
}

/** Asks Postfix to try one deferred message now (`postqueue -i`), instead of waiting for its next run. */
export async function flushMessage(queueId: string): Promise<void> {
	await run('/usr/sbin/postqueue', ['-c', join(SANDBOX.runDir, 'postfix', 'etc'), '-i', queueId]);
}

async function sleepUntil(at: number): Promise<void> {
	const ms = at - Date.now();
	if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/** What came back to the shop for one reminder (found by its unique invoice number). */
async function returned(reminder: SentReminder, count = 1, timeoutMs = 20000): Promise<ArrivedMessage[]> {
	const found = await waitForMessage('dunning', { search: { text: reminder.invoiceId }, count, timeoutMs });
	return found.sort((a, b) => a.uid - b.uid);
}

/** The reminder as it was delivered into a sandbox mailbox (with Return-Path, Received, …). */
async function delivered(who: SandboxUser, reminder: SentReminder): Promise<Buffer> {
	const [m] = await waitForMessage(who, { search: { header: { 'X-Dunning-Invoice': reminder.invoiceId } }, timeoutMs: 20000 });
	return m.source;
}

const correlation = (r: SentReminder) => ({ invoiceId: r.invoiceId, level: r.level, originalMessageId: r.messageId });

/**
 * Dovecot refuses nobody@ with 550 5.1.1. Sent to `to`: nobody@ itself, or moved@, which Postfix
 * forwards to it, so that the DSN names moved@ as Original-Recipient.
 */
async function userUnknown(to: string, invoiceId: string, file: string): Promise<ReturnedSample[]> {
	const r = await sendReminder(to, invoiceId, 2);
	const [dsn] = await returned(r);
	// Forwarded, the address written to exists: it passes mail on to a dead end (not proven dead itself).
	const forwarded = to !== SANDBOX.unknownUser ? { originalRecipient: to } : {};
	return [
		{
			file,
			uid: dsn.uid,
			source: dsn.source,
			expected: { category: to !== SANDBOX.unknownUser ? 'recipientRefused' : 'addressDead', final: true, kind: 'hard', reason: 'userunknown', status: '5.1.1', recipient: SANDBOX.unknownUser, ...forwarded, ...correlation(r) },
		},
	];
}

async function mailboxFull(tag: string): Promise<ReturnedSample[]> {
	const r = await sendReminder(SANDBOX.users.full.user, `RE-${tag}-F`, 1);
	const [dsn] = await returned(r);
	return [
		{
			file: 'mailboxfull-quota.eml',
			uid: dsn.uid,
			source: dsn.source,
			expected: { category: 'recipientRefused', final: true, kind: 'soft', reason: 'mailboxfull', status: '5.2.2', recipient: r.to, ...correlation(r) },
		},
	];
}

async function contentRefused(tag: string): Promise<ReturnedSample[]> {
	const r = await sendReminder(`buchhaltung@${SANDBOX.strictDomain}`, `RE-${tag}-C`, 3);
	const [dsn] = await returned(r);
	return [
		{
			file: 'content-refused-5.7.1.eml',
			uid: dsn.uid,
			source: dsn.source,
			// Refused for what our message says ("Message content rejected by the recipient's content
			// filter"): about our message, so a deliverability alarm; the address is not in question.
			// Whether a filter's "content rejected" is labelled spam or content matters less than that.
			expected: {
				category: 'senderRejected',
				final: true,
				reason: ['spamdetected', 'contenterror', 'policyviolation'],
				status: '5.7.1',
				recipient: r.to,
				...correlation(r),
			},
		},
	];
}

/**
 * A reminder the destination keeps refusing as temporary: the first attempt fails at once; the next
 * one after the warning time sends the "delayed" notice, the first one after the queue lifetime
 * the final report. Flushed instead of waiting for the queue manager.
 */
async function untilExpired(r: SentReminder): Promise<[ArrivedMessage, ArrivedMessage]> {
	await sleepUntil(r.sentAt + QUEUE_TIMES.delayWarningMs + 300);
	await flushMessage(r.queueId);
	const [delayed] = await returned(r);
	await sleepUntil(r.sentAt + QUEUE_TIMES.maximalQueueLifetimeMs + 300);
	await flushMessage(r.queueId);
	const both = await returned(r, 2);
	return [delayed, both.find((m) => m.uid !== delayed.uid)!];
}

async function delayedThenExpired(tag: string): Promise<ReturnedSample[]> {
	const r = await sendReminder(`buchhaltung@${SANDBOX.unreachableDomain}`, `RE-${tag}-D`, 1);
	const [delayed, expired] = await untilExpired(r);
	return [
		{
			file: 'delayed.eml',
			uid: delayed.uid,
			source: delayed.source,
			expected: { category: 'delayed', final: false, kind: 'soft', status: '4.4.1', recipient: r.to, ...correlation(r) },
		},
		{
			file: 'expired.eml',
			uid: expired.uid,
			source: expired.source,
			expected: { category: 'recipientRefused', final: true, kind: 'soft', reason: 'expired', status: '4.4.1', recipient: r.to, ...correlation(r) },
		},
	];
}

/** The issue's own example: a reminder that sat in a full mailbox until it expired. */
async function mailboxFullUntilExpired(tag: string): Promise<ReturnedSample[]> {
	const r = await sendReminder(SANDBOX.users.fulltemp.user, `RE-${tag}-T`, 2);
	const [delayed, expired] = await untilExpired(r);
	return [
		{
			file: 'mailboxfull-delayed.eml',
			uid: delayed.uid,
			source: delayed.source,
			expected: { category: 'delayed', final: false, kind: 'soft', reason: 'mailboxfull', status: '4.2.2', recipient: r.to, ...correlation(r) },
		},
		{
			file: 'mailboxfull-expired.eml',
			uid: expired.uid,
			source: expired.source,
			// What kept failing (the full mailbox) is the reason, not the expiry itself.
			expected: { category: 'recipientRefused', final: true, kind: 'soft', reason: 'mailboxfull', status: '4.2.2', recipient: r.to, ...correlation(r) },
		},
	];
}

/** An RFC 5965 abuse report about the delivered reminder, as a mailbox provider's feedback loop sends it. */
async function feedbackReport(reminder: SentReminder, deliveredCopy: Buffer): Promise<Buffer> {
	const arrival = new Date().toUTCString();
	const root = new MimeNode('multipart/report; report-type=feedback-report');
	root.setHeader({
		From: `"Sandbox Feedback Loop" <${FEEDBACK_LOOP}>`,
		To: SHOP.address,
		Subject: `FW: ${reminder.subject}`,
		Date: arrival,
	});
	root.createChild('text/plain; charset=utf-8').setContent(
		[
			`This is an email abuse report for an email message received from IP 127.0.0.1 on ${arrival}.`,
			'A user of this mailbox provider marked it as spam.',
			'For more information about this format please see https://www.rfc-editor.org/rfc/rfc5965.',
			'',
		].join('\r\n'),
	);
	root.createChild('message/feedback-report').setContent(
		[
			'Feedback-Type: abuse',
			'User-Agent: SandboxFBL/1.0',
			'Version: 1',
			`Original-Mail-From: <${SHOP.address}>`,
			`Original-Rcpt-To: <${reminder.to}>`,
			`Arrival-Date: ${arrival}`,
			'Reported-Domain: example.test',
			'Source-IP: 127.0.0.1',
			'',
		].join('\r\n'),
	);
	root.createChild('message/rfc822').setContent(deliveredCopy);
	return await root.build();
}

async function complaint(tag: string): Promise<ReturnedSample[]> {
	const r = await sendReminder(SANDBOX.users.customer.user, `RE-${tag}-A`, 2);
	const report = await feedbackReport(r, await delivered('customer', r));
	await submit({ from: FEEDBACK_LOOP, to: SHOP.address }, report);
	const [fb] = await returned(r);
	return [
		{
			file: 'complaint-arf.eml',
			uid: fb.uid,
			source: fb.source,
			expected: { category: 'complaint', final: true, kind: 'complaint', reason: 'feedback', feedbackType: 'abuse', recipient: r.to, ...correlation(r) },
		},
	];
}

interface ReplyWording {
	prefix: string;
	text: string;
	attribution: (date: Date, from: string) => string;
}

const GERMAN_REPLY: ReplyWording = {
	prefix: 'AW:',
	text: 'Guten Tag,\n\ndie Rechnung haben wir bereits am 28.11. überwiesen, bitte prüfen Sie den Zahlungseingang.\n\nMit freundlichen Grüßen\nKunde GmbH, Buchhaltung',
	// Thunderbird's German attribution line.
	attribution: (d, from) =>
		`Am ${d.toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })} um ${d.toLocaleTimeString('de-DE', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} schrieb ${from}:`,
};

const ENGLISH_REPLY: ReplyWording = {
	prefix: 'Re:',
	text: 'Hello,\n\nthis invoice is wrong: we only received 3 of the 5 items. Please send a corrected invoice.\n\nBest regards\nCustomer Ltd, Accounts Payable',
	// Gmail's English attribution line.
	attribution: (d, from) =>
		`On ${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })} at ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })}, ${from} wrote:`,
};

/** The customer answers the reminder that reached their mailbox, quoting it as mail clients do. */
async function reply(r: SentReminder, wording: ReplyWording): Promise<void> {
	const original = await simpleParser(await delivered('customer', r));
	const quoted = (original.text ?? '')
		.trimEnd()
		.split('\n')
		.map((l) => (l ? `> ${l}` : '>'))
		.join('\n');
	const t = transport();
	try {
		await t.sendMail({
			from: { name: 'Kunde GmbH', address: SANDBOX.users.customer.user },
			to: original.replyTo?.text ?? original.from?.text ?? SHOP.address,
			subject: `${wording.prefix} ${original.subject ?? ''}`,
			inReplyTo: original.messageId,
			references: original.messageId ? [original.messageId] : [],
			text: `${wording.text}\n\n${wording.attribution(original.date ?? new Date(), original.from?.text ?? SHOP.address)}\n${quoted}\n`,
		});
	} finally {
		t.close();
	}
}

async function replyIn(tag: string, suffix: string, wording: ReplyWording, words: string, file: string): Promise<ReturnedSample[]> {
	const r = await sendReminder(SANDBOX.users.customer.user, `RE-${tag}-${suffix}`, 2);
	await reply(r, wording);
	const [answer] = await returned(r);
	return [
		{
			file,
			uid: answer.uid,
			source: answer.source,
			// The reply names our Message-ID (and with it the level); the invoice number appears only
			// in the quoted free text: the ledger maps the Message-ID to the invoice.
			expected: { category: 'reply', final: true, kind: 'none', recipient: r.to, invoiceId: null, level: r.level, originalMessageId: r.messageId, replyTextIncludes: words },
		},
	];
}

async function autoReply(tag: string): Promise<ReturnedSample[]> {
	const r = await sendReminder(SANDBOX.users.away.user, `RE-${tag}-V`, 1, { unmarked: true });
	const [vacation] = await returned(r);
	return [
		{
			file: 'auto-reply-sieve-vacation.eml',
			uid: vacation.uid,
			source: vacation.source,
			// Sieve names the reminder in In-Reply-To/References; nothing else of ours is in it.
			expected: { category: 'autoReply', final: true, kind: 'autoReply', reason: 'vacation', recipient: r.to, invoiceId: null, level: r.level, originalMessageId: r.messageId },
		},
	];
}

/** Runs one scenario; `tag` makes its invoice numbers (and so its Message-IDs) unique. */
export async function produce(scenario: Scenario, tag: string): Promise<ReturnedSample[]> {
	switch (scenario) {
		case 'userUnknown':
			return await userUnknown(SANDBOX.unknownUser, `RE-${tag}-U`, 'userunknown.eml');
		case 'forwardedToUnknown':
			return await userUnknown(SANDBOX.forwardedToUnknown, `RE-${tag}-W`, 'userunknown-forwarded.eml');
		case 'mailboxFull':
			return await mailboxFull(tag);
		case 'contentRefused':
			return await contentRefused(tag);
		case 'delayedThenExpired':
			return await delayedThenExpired(tag);
		case 'mailboxFullUntilExpired':
			return await mailboxFullUntilExpired(tag);
		case 'complaint':
			return await complaint(tag);
		case 'replyGerman':
			return await replyIn(tag, 'R', GERMAN_REPLY, 'bereits am 28.11. überwiesen', 'reply-german.eml');
		case 'replyEnglish':
			return await replyIn(tag, 'E', ENGLISH_REPLY, 'we only received 3 of the 5 items', 'reply-english.eml');
		case 'autoReply':
			return await autoReply(tag);
	}
}
