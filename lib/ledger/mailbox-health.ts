/**
 * Sender health per mailbox (DESIGN.md, shipped workflows): a mailbox whose reminders providers
 * refuse because of our sender must stop sending, loudly, until someone fixes it. The state lives
 * in the mailbox's row of the Data Table `dunning_mailboxes` (our nodes compute, n8n's Data Table
 * nodes store); these functions are the whole rule: which reports count, when the mailbox pauses,
 * and the message that names cause and fix.
 */
import { createHash } from 'node:crypto';

import { pausesAtOnce, senderAdvice, type SenderAdvice, type SenderProblem } from '../bounce/sender-advice';
import { showValue } from '../dunning/field-value';
import { accountRefusal } from '../mail/account-refusal';
import type { Delivery } from '../mail/delivery';

export type MailboxStatus = 'ok' | 'paused';

/** The health columns of a mailbox's row, as stored. */
export interface MailboxHealth {
	mailbox: string;
	status: MailboxStatus;
	/**
	 * Machine label of the pause's cause (`dmarc`, `blocklist`, `login` …, as `senderAdvice` names
	 * it): of the current pause, or, once the operator resumed, of the last pause (kept, so that a
	 * late refusal of that cause is told from one of another). Not empty does not mean paused: only
	 * `status` says that. Empty for a mailbox never paused, or when unknown (an older row, a cleared cell).
	 */
	statusReason: string;
	/** Cause and fix, for the operator; empty when ok. */
	statusMessage: string;
	/** ISO time the current status began; empty for a mailbox never paused. */
	statusSince: string;
	/** Refusals of our sender counted for this mailbox, ever. */
	senderRejections: number;
	/**
	 * The refusals inside the window, as a JSON array, oldest first: each `[time, recipient]` (epoch
	 * ms and a short digest of whom the reminder was for: the customer, else the address), `[time,
	 * recipient, 1]` for a returned refusal of a cause that pauses at once when refused while sending
	 * (pausesHealthAtOnce; kept RETURNED_AT_ONCE_DAYS, not only the window), or a bare time (older
	 * rows, or no address known).
	 */
	recentRejections: string;
}

export interface HealthPolicy {
	/** Refusals for this many different recipients inside the window pause the mailbox (default 3). */
	rejectionsToPause: number;
	/** The window, in hours (default 24). */
	windowHours: number;
}

export const DEFAULT_HEALTH_POLICY: Readonly<HealthPolicy> = Object.freeze({ rejectionsToPause: 3, windowHours: 24 });

/**
 * Returned reports of a cause that pauses at once while sending (failed SPF/DKIM/DMARC, a refusal
 * of our own account) pause when they came back for this many different recipients within
 * RETURNED_AT_ONCE_DAYS. A report can be forged by anyone who has a reminder's Message-ID (the
 * customer it went to): one must not stop every customer's reminders, while a real DNS or account
 * problem hits every customer, so the second one pauses.
 */
export const RETURNED_AT_ONCE_RECIPIENTS = 2;

/**
 * How far back (in days) RETURNED_AT_ONCE_RECIPIENTS looks, never less than the window. One forged
 * report must not pause, but a real DNS or account problem must be caught also at low volume: a
 * merchant who sends about one reminder a day never has two reports within 24 h, and with a broken
 * DMARC record would never be paused (no alert) while every customer slid to paper. A real problem
 * refuses every reminder, so a second customer's report comes within days at any volume; a forged
 * one stays alone. Pausing empties the window, so after a resume this too starts afresh.
 */
export const RETURNED_AT_ONCE_DAYS = 7;

/** Something that happened to the mailbox's mail. */
export type SenderEvent =
	/**
	 * A final refusal of category senderRejected of one of our reminders, `at` when it arrived;
	 * `recipient` whom it counts for (the reminder's customer, else the refused address: the same key
	 * whether refused while sending or returned, so one customer counts once), `sentAt` when
	 * the reminder was sent (epoch ms), when known. `returned`: read from a report that came back by
	 * mail (which anyone holding the reminder's Message-ID can forge), not refused by our own SMTP
	 * server while sending (false or missing).
	 */
	| ({ kind: 'senderRejected'; at: number; recipient?: string | null; sentAt?: number | null; returned?: boolean } & SenderProblem)
	/** Send Reminder Email stopped: `failure` is its failure kind (auth, tls, connect, dns …). */
	| { kind: 'sendStopped'; at: number; failure: string; message: string };

export interface HealthChange {
	health: MailboxHealth;
	/** True when these events paused a mailbox that was ok. */
	pausedNow: boolean;
}

/** Send failures that pause the mailbox: the server refuses us, not a passing outage. */
const PAUSING_FAILURES: ReadonlySet<string> = new Set(['auth', 'tls']);

/**
 * A refusal inside the window: when it arrived, for whom (a digest; null when not known), and
 * whether it is of a cause that pauses at once while sending (returned by mail, so it did not;
 * kept for RETURNED_AT_ONCE_DAYS, see keptFor).
 */
interface RecentRefusal {
	at: number;
	to: string | null;
	atOnce: boolean;
}

function recentRefusals(text: string): RecentRefusal[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text || '[]');
	} catch {
		return [];
	}
	if (!Array.isArray(parsed)) return [];
	const out: RecentRefusal[] = [];
	for (const entry of parsed) {
		const [at, to, atOnce] = Array.isArray(entry) ? entry : [entry, null, 0];
		if (typeof at === 'number' && Number.isFinite(at)) out.push({ at, to: typeof to === 'string' && to ? to : null, atOnce: atOnce === 1 });
	}
	return out;
}

function storedRefusals(recent: readonly RecentRefusal[]): string {
	return JSON.stringify(recent.map((r) => (r.atOnce ? [r.at, r.to, 1] : r.to === null ? r.at : [r.at, r.to])));
}

/** Whom a refusal was for, without keeping the address in the mailbox's row. */
function recipientDigest(address: string | null | undefined): string | null {
	const a = address?.trim().toLowerCase();
	return a ? createHash('sha256').update(a).digest('hex').slice(0, 12) : null;
}

/**
 * How many recipients the refusals were for: one customer whose server refuses our three reminders
 * to them (a size limit, a strict filter) says nothing about our sender, and must not stop every
 * other customer's reminders. A refusal without a known address counts on its own.
 */
function recipientsRefused(recent: readonly RecentRefusal[]): number {
	return new Set(recent.map((r, i) => r.to ?? `#${i}`)).size;
}

/**
 * How many known recipients the returned refusals of a cause that pauses at once were for. One
 * without a known recipient cannot show that another customer was refused: it counts only by the
 * usual rule (recipientsRefused).
 */
function recipientsRefusedAtOnce(recent: readonly RecentRefusal[]): number {
	return new Set(recent.flatMap((r) => (r.atOnce && r.to !== null ? [r.to] : []))).size;
}

/**
 * How long (ms) a refusal stays in the stored window: a returned one of a cause that pauses at once
 * for RETURNED_AT_ONCE_DAYS (or the window, if longer), any other for the window. The usual count
 * (rejectionsToPause) still reads only the window.
 */
function keptFor(refusal: RecentRefusal, windowMs: number): number {
	return refusal.atOnce ? Math.max(windowMs, RETURNED_AT_ONCE_DAYS * 86_400_000) : windowMs;
}

function asCount(value: unknown): number {
	const n = typeof value === 'string' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0;
}

function asText(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** The values of `status` that say what they mean: ok (or empty, or no cell) and paused, in any case. */
function knownStatus(value: unknown): MailboxStatus | null {
	if (value === undefined || value === null) return 'ok';
	if (typeof value !== 'string') return null;
	const status = value.trim().toLowerCase();
	if (status === '' || status === 'ok') return 'ok';
	return status === 'paused' ? 'paused' : null;
}

/**
 * Why a row's `status` is neither ok nor paused ("pause", "stopped", "gesperrt", true, 1 …), naming
 * the field, the value found and the values expected; null when it is one of them. An operator
 * who pauses by hand with a word of their own means to stop sending: such a row reads as paused.
 */
export function statusProblem(mailbox: string, row: Record<string, unknown> | null | undefined): string | null {
	const value = row?.status;
	if (knownStatus(value) !== null) return null;
	return (
		`Sending from mailbox "${mailbox}" is stopped: the field "status" of its row in dunning_mailboxes is ${showValue(value)}, ` +
		'which is neither "ok" nor "paused", so it is read as paused. Set status to "paused" to keep the mailbox paused, or to "ok" to resume sending.'
	);
}

/**
 * The health of a mailbox from its row (or from nothing: a mailbox never seen is ok). `status` "ok",
 * empty or missing reads as ok, so an operator resumes by writing `ok` (or clearing the cell);
 * "paused" (any case) as paused; any other value is not silently ok: it reads as paused, with
 * `statusProblem`'s words as its message. A resumed mailbox keeps its last pause's `statusReason`,
 * not its message.
 */
export function readHealth(mailbox: string, row: Record<string, unknown> | null | undefined): MailboxHealth {
	const r = row ?? {};
	const known = knownStatus(r.status);
	return {
		mailbox,
		status: known === 'ok' ? 'ok' : 'paused',
		statusReason: asText(r.statusReason),
		statusMessage: known === 'paused' ? asText(r.statusMessage) : known === null ? (statusProblem(mailbox, r) ?? '') : '',
		statusSince: asText(r.statusSince),
		senderRejections: asCount(r.senderRejections),
		recentRejections: storedRefusals(recentRefusals(asText(r.recentRejections))),
	};
}

/** The operator's one step to resume, named in every pause message. */
export function resumeStep(mailbox: string): string {
	return `To resume, open the Data Table dunning_mailboxes and set status to "ok" in the row of mailbox "${mailbox}".`;
}

/** The cause and fix of a sender refusal: our own account's (Send-As, sending limit, blocked sender, own mailbox full) first. */
function adviceFor(problem: SenderProblem): SenderAdvice {
	return accountRefusal(problem) ?? senderAdvice(problem);
}

/**
 * Whether one refusal by our own SMTP server while sending pauses the mailbox: a failed SPF, DKIM
 * or DMARC check (pausesAtOnce), or a refusal of our own account (accountRefusal: Send-As denied,
 * the sending limit used up, a bad outbound sender, our own mailbox full). Every further reminder
 * would be refused the same way; a paused mailbox waits for the operator, also after a daily limit
 * (no pause here ends by itself: resuming is one cell). Returned by mail, such refusals pause only
 * when they come back for RETURNED_AT_ONCE_RECIPIENTS different recipients within
 * RETURNED_AT_ONCE_DAYS (recordSenderEvents).
 */
function pausesHealthAtOnce(problem: SenderProblem): boolean {
	return pausesAtOnce(problem) || accountRefusal(problem) !== null;
}

/**
 * The pause message; `counted` the recipients and the span they fell within ("24 h", "7 days"),
 * null for a single refusal that paused at once.
 */
function pauseMessage(mailbox: string, problem: SenderProblem, counted: { count: number; within: string } | null): { reason: string; message: string } {
	const advice = adviceFor(problem);
	const where = problem.remoteMta ? ` by ${problem.remoteMta}` : '';
	const how = counted ? ` (refused for ${counted.count} recipients within ${counted.within})` : '';
	return {
		reason: advice.cause,
		message: `Sending from mailbox "${mailbox}" is paused: reminders were refused${where} because of ${advice.because}${how}. Fix: ${advice.fix}. ${resumeStep(mailbox)}`,
	};
}

function loginMessage(mailbox: string, failure: string, message: string): { reason: string; message: string } {
	const advice = senderAdvice({ reason: failure });
	return {
		reason: advice.cause,
		message: `Sending from mailbox "${mailbox}" is paused: ${message}. Fix: ${advice.fix}. ${resumeStep(mailbox)}`,
	};
}

/**
 * When the mailbox's last pause began, for a mailbox resumed since; null when it is paused, was
 * never paused, or the time is unreadable or later than now (a typo or a skewed clock must not
 * silence every refusal until then).
 */
function lastPauseStart(health: MailboxHealth, nowMs: number): number | null {
	if (health.status === 'paused' || health.statusSince.trim() === '') return null;
	const since = Date.parse(health.statusSince);
	return Number.isFinite(since) && since <= nowMs ? since : null;
}

/** SPF, DKIM and DMARC failures are one problem with one fix (the sender domain's DNS and signing). */
const SENDER_AUTHENTICATION: ReadonlySet<string> = new Set(['dmarc', 'dkim', 'spf', 'authentication']);

function causeFamily(cause: string): string {
	const c = cause.trim().toLowerCase();
	return SENDER_AUTHENTICATION.has(c) ? 'authentication' : c;
}

/**
 * Whether a refusal of a reminder sent (or reported) before the last pause is of that pause's
 * cause, fixed before the resume: the cause the pause message would name for it (SPF, DKIM and
 * DMARC as one), or any cause when the last one is unknown (an older row, a cleared cell), as then
 * we cannot tell.
 */
function ofLastPauseCause(lastCause: string, problem: SenderProblem): boolean {
	return lastCause === '' || causeFamily(adviceFor(problem).cause) === causeFamily(lastCause);
}

function withoutFinalStop(text: string): string {
	const t = text.trim();
	return t.endsWith('.') ? t.slice(0, -1) : t;
}

/**
 * Folds events into the mailbox's health: a sender refusal counts inside a sliding window and
 * pauses when refusals for `rejectionsToPause` different recipients fall within it. Failed
 * SPF/DKIM/DMARC and a refusal of our own account (pausesHealthAtOnce) pause at once when our own
 * SMTP server refused the reminder while sending; returned by mail (`returned`: a report anyone
 * holding the reminder can forge, about their own address), they pause when such refusals came back
 * for RETURNED_AT_ONCE_RECIPIENTS different recipients within RETURNED_AT_ONCE_DAYS (so that a
 * merchant sending a reminder a day is caught too; such entries stay that long in the stored
 * window, the others only the window). A refused login or TLS
 * failure while sending pauses at once. A paused mailbox stays paused (only the operator
 * resumes it) and keeps counting. Pausing empties the window, so after a resume the count starts
 * afresh.
 *
 * A refusal counts by when it arrived, not when it is read: reports read late (bounce processing
 * was off for a week) are no burst, and one older than the window (counted in the total) pauses
 * nothing, the cause may long be fixed. That holds for returned SPF/DKIM/DMARC reports too: the
 * RETURNED_AT_ONCE_DAYS keep one counted in time, they let in none read later than the window.
 *
 * A refusal of a reminder sent before the last pause began (a remote queue that gave up late, a
 * report read late), or reported before it, of the cause that pause named (`statusReason`, kept
 * after the resume; any cause when it is empty), is of the problem fixed before the operator
 * resumed: it adds to the total only. One of another cause (a DMARC refusal after a login pause)
 * may be of a problem nobody fixed, and counts as any other.
 */
export function recordSenderEvents(current: MailboxHealth, events: readonly SenderEvent[], now: string, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): HealthChange {
	const windowMs = policy.windowHours * 3_600_000;
	const nowMs = Date.parse(now);
	let health: MailboxHealth = { ...current };
	let recent = recentRefusals(health.recentRejections);
	let pausedNow = false;
	const pauseStart = lastPauseStart(health, nowMs);
	const lastCause = pauseStart === null ? '' : health.statusReason.trim();
	const pause = (p: { reason: string; message: string }) => {
		if (health.status === 'paused') return;
		health = { ...health, status: 'paused', statusReason: p.reason, statusMessage: p.message, statusSince: now };
		recent = [];
		pausedNow = true;
	};
	for (const event of [...events].sort((a, b) => a.at - b.at)) {
		if (event.kind === 'sendStopped') {
			if (PAUSING_FAILURES.has(event.failure)) pause(loginMessage(health.mailbox, event.failure, withoutFinalStop(event.message)));
			continue;
		}
		health.senderRejections += 1;
		if (health.status === 'paused' || event.at <= nowMs - windowMs) continue;
		const beforePause = pauseStart !== null && (event.at < pauseStart || (typeof event.sentAt === 'number' && Number.isFinite(event.sentAt) && event.sentAt < pauseStart));
		if (beforePause && ofLastPauseCause(lastCause, event)) continue;
		const atOnceCause = pausesHealthAtOnce(event);
		recent = [...recent.filter((r) => r.at > event.at - keptFor(r, windowMs)), { at: event.at, to: recipientDigest(event.recipient), atOnce: atOnceCause }];
		if (atOnceCause && event.returned !== true) {
			pause(pauseMessage(health.mailbox, event, null));
			continue;
		}
		const inWindow = recent.filter((r) => r.at > event.at - windowMs);
		const count = recipientsRefused(inWindow);
		const within = `${policy.windowHours} h`;
		if (atOnceCause && recipientsRefusedAtOnce(recent) >= RETURNED_AT_ONCE_RECIPIENTS) {
			// Name the window when they fell within it, else the longer look-back.
			const inTheWindow = recipientsRefusedAtOnce(inWindow) >= RETURNED_AT_ONCE_RECIPIENTS;
			const counted = inTheWindow ? { count: recipientsRefusedAtOnce(inWindow), within } : { count: recipientsRefusedAtOnce(recent), within: `${RETURNED_AT_ONCE_DAYS} days` };
			pause(pauseMessage(health.mailbox, event, counted));
		} else if (count >= Math.max(1, policy.rejectionsToPause)) pause(pauseMessage(health.mailbox, event, { count, within }));
	}
	health.recentRejections = storedRefusals(recent);
	return { health, pausedNow };
}

/** The message a paused mailbox's sender fails with; null when it may send. */
export function pausedError(health: MailboxHealth): string | null {
	if (health.status !== 'paused') return null;
	return health.statusMessage || `Sending from mailbox "${health.mailbox}" is paused. ${resumeStep(health.mailbox)}`;
}

/** What of a Send Reminder Email delivery tells whether our own SMTP server refused our sender. */
export type DeliveryRefusal = Pick<Delivery, 'status' | 'category' | 'bounceReason' | 'smtpStatus' | 'smtpResponse'>;

/**
 * The sender problem of a reminder our own SMTP server refused because of our sender while
 * sending (a `failed` delivery of category senderRejected, read with Classify Bounce's rules), as
 * Record Send Result counts it; null for any other delivery.
 */
export function refusalAtSend(delivery: DeliveryRefusal): SenderProblem | null {
	if (delivery.status !== 'failed' || delivery.category !== 'senderRejected') return null;
	return { reason: delivery.bounceReason ?? null, status: delivery.smtpStatus ?? null, diagnostic: delivery.smtpResponse };
}

/**
 * Whether this one refusal pauses the mailbox (a failed SPF, DKIM or DMARC check, or a refusal of
 * our own account): then every further reminder of the run would be refused the same way, and the
 * run stops (send-run.ts, which also stops on a few refusals that pause only by the count).
 */
export function pausesMailboxAtOnce(delivery: DeliveryRefusal): boolean {
	const problem = refusalAtSend(delivery);
	return problem !== null && pausesHealthAtOnce(problem);
}
