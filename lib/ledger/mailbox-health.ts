/**
 * Sender health per mailbox (DESIGN.md, shipped workflows): a mailbox whose reminders providers
 * refuse because of our sender must stop sending, loudly, until someone fixes it. The state lives
 * in the mailbox's row of the Data Table `dunning_mailboxes` (our nodes compute, n8n's Data Table
 * nodes store); these functions are the whole rule: which reports count, when the mailbox pauses,
 * and the message that names cause and fix.
 */
import { pausesAtOnce, senderAdvice, type SenderProblem } from '../bounce/sender-advice';

export type MailboxStatus = 'ok' | 'paused';

/** The health columns of a mailbox's row, as stored. */
export interface MailboxHealth {
	mailbox: string;
	status: MailboxStatus;
	/** Machine label of the pause's cause (`dmarc`, `blocklist`, `login` …); empty when ok. */
	statusReason: string;
	/** Cause and fix, for the operator; empty when ok. */
	statusMessage: string;
	/** ISO time the current status began; empty for a mailbox never paused. */
	statusSince: string;
	/** Refusals of our sender counted for this mailbox, ever. */
	senderRejections: number;
	/** Times (epoch ms) of the refusals inside the window, as a JSON array, oldest first. */
	recentRejections: string;
}

export interface HealthPolicy {
	/** Refusals inside the window that pause the mailbox (default 3). */
	rejectionsToPause: number;
	/** The window, in hours (default 24). */
	windowHours: number;
}

export const DEFAULT_HEALTH_POLICY: Readonly<HealthPolicy> = Object.freeze({ rejectionsToPause: 3, windowHours: 24 });

/** Something that happened to the mailbox's mail. */
export type SenderEvent =
	/** A final refusal of category senderRejected came back for one of our reminders. */
	| ({ kind: 'senderRejected'; at: number } & SenderProblem)
	/** Send Reminder Email stopped: `failure` is its failure kind (auth, tls, connect, dns …). */
	| { kind: 'sendStopped'; at: number; failure: string; message: string };

export interface HealthChange {
	health: MailboxHealth;
	/** True when these events paused a mailbox that was ok. */
	pausedNow: boolean;
}

/** Send failures that pause the mailbox: the server refuses us, not a passing outage. */
const PAUSING_FAILURES: ReadonlySet<string> = new Set(['auth', 'tls']);

function recentTimes(text: string): number[] {
	try {
		const parsed: unknown = JSON.parse(text || '[]');
		return Array.isArray(parsed) ? parsed.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)) : [];
	} catch {
		return [];
	}
}

function asCount(value: unknown): number {
	const n = typeof value === 'string' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0;
}

function asText(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/**
 * The health of a mailbox from its row (or from nothing: a mailbox never seen is ok). Anything but
 * `paused` reads as ok, so an operator resumes by writing `ok` (or clearing the cell).
 */
export function readHealth(mailbox: string, row: Record<string, unknown> | null | undefined): MailboxHealth {
	const r = row ?? {};
	const paused = typeof r.status === 'string' && r.status.trim().toLowerCase() === 'paused';
	return {
		mailbox,
		status: paused ? 'paused' : 'ok',
		statusReason: paused ? asText(r.statusReason) : '',
		statusMessage: paused ? asText(r.statusMessage) : '',
		statusSince: asText(r.statusSince),
		senderRejections: asCount(r.senderRejections),
		recentRejections: JSON.stringify(recentTimes(asText(r.recentRejections))),
	};
}

/** The operator's one step to resume, named in every pause message. */
export function resumeStep(mailbox: string): string {
	return `To resume, open the Data Table dunning_mailboxes and set status to "ok" in the row of mailbox "${mailbox}".`;
}

function pauseMessage(mailbox: string, problem: SenderProblem, count: number, policy: HealthPolicy, atOnce: boolean): { reason: string; message: string } {
	const advice = senderAdvice(problem);
	const where = problem.remoteMta ? ` by ${problem.remoteMta}` : '';
	const how = atOnce ? '' : ` (${count} refusals within ${policy.windowHours} h)`;
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

function withoutFinalStop(text: string): string {
	const t = text.trim();
	return t.endsWith('.') ? t.slice(0, -1) : t;
}

/**
 * Folds events into the mailbox's health: a sender refusal counts inside a sliding window and
 * pauses at `rejectionsToPause` (at once for failed SPF/DKIM/DMARC); a refused login or TLS
 * failure while sending pauses at once. A paused mailbox stays paused (only the operator resumes
 * it) and keeps counting. Pausing empties the window, so after a resume the count starts afresh.
 */
export function recordSenderEvents(current: MailboxHealth, events: readonly SenderEvent[], now: string, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): HealthChange {
	const windowMs = policy.windowHours * 3_600_000;
	let health: MailboxHealth = { ...current };
	let recent = recentTimes(health.recentRejections);
	let pausedNow = false;
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
		if (health.status === 'paused') continue;
		recent = [...recent.filter((t) => t > event.at - windowMs), event.at];
		const atOnce = pausesAtOnce(event);
		if (atOnce || recent.length >= Math.max(1, policy.rejectionsToPause)) pause(pauseMessage(health.mailbox, event, recent.length, policy, atOnce));
	}
	health.recentRejections = JSON.stringify(recent);
	return { health, pausedNow };
}

/** The message a paused mailbox's sender fails with; null when it may send. */
export function pausedError(health: MailboxHealth): string | null {
	if (health.status !== 'paused') return null;
	return health.statusMessage || `Sending from mailbox "${health.mailbox}" is paused. ${resumeStep(health.mailbox)}`;
}
