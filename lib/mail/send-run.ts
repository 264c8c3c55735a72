/**
 * The sending loop of one execution: one connection, paced, with retries for temporary refusals,
 * and a stop for everything that would make every further message fail too.
 *
 * Rules (see the README section "Send Reminder Email" for the reasoning):
 * - A message counts as sent only after the server's 2xx reply to the end of its data.
 * - 5xx for a message → `failed`, the run goes on; unless it refuses our sender so that the
 *   mailbox pauses at once (a failed SPF, DKIM or DMARC check, lib/ledger/mailbox-health.ts) or
 *   refuses our own account (Send-As denied, the sending limit used up, a bad outbound sender, our
 *   own mailbox full, relaying denied by our own server: account-refusal.ts): that item stays
 *   `failed`, the run stops as for a refused sender (`sender`), all later items `notSent`. A refusal of the
 *   customer's address (user unknown, mailbox full) never stops it. 4xx → retried with backoff on
 *   the same connection, then `deferred`.
 * - Authentication, TLS, DNS, connect failures or a refused sender stop the run: the item in hand
 *   and all later ones become `notSent`. Login is never retried, so a run costs at most one failed
 *   login (mailbox providers lock accounts after a few).
 * - A connection that breaks is re-established once, and the message in hand is sent again only
 *   if it provably was not complete (the break came before the whole message was handed over).
 *   If the break came after the end-of-data marker but before the reply, the server may have
 *   accepted it: the item becomes `deferred` with reason `outcomeUnknown` and is NOT sent again in
 *   this run. Resending it later (next run) is the operator's call; its Message-ID is the same,
 *   so a duplicate, should there be one, is recognisable. A second job for the same reminder (same
 *   Message-ID) later in the run is not sent either. If re-establishing fails, or the same
 *   message breaks the connection twice, the run stops.
 * - The cancel signal is honoured between messages, during waits, while connecting and logging
 *   in, and while a message is in flight: the connection is dropped, and the message becomes
 *   `deferred` / `outcomeUnknown` when its end-of-data marker had gone out, `notSent` / `cancelled`
 *   before that.
 * - Every send settles within the reply timeout, and every connect within two server timeouts,
 *   whatever the server does (smtp-session.ts), so every job comes out exactly once with a status.
 * - A job with a send-by limit (its payment deadline) is checked on the run's clock right before
 *   each attempt, the first and every retry: once that day is past where the customer reads it (the
 *   pause between mails, a retry's backoff or a slot took the run past midnight), it is not sent and
 *   comes out `notSent` / `deadlinePassed` (the node fails an item whose deadline passed before the
 *   run took it: `failed` / `invalidInput`).
 * - A job whose text states a deadline restated from the day it was rendered for (`stated`) is
 *   checked the same way: sent on a day that would state another deadline, it is not sent and
 *   comes out `notSent` / `dayChanged`, for a later run to render and send (StatedDeadline).
 * - A server without SMTPUTF8 cannot take a customer's address beyond ASCII: the session refuses
 *   the message before MAIL FROM. When the customer has addresses in ASCII too, the message is
 *   rebuilt for those (same Message-ID) and sent at once on the same connection; the delivery is
 *   `sent` with a `warning` naming the addresses left out. Without one, it is `failed` (5.6.7).
 */
import { IANAZone } from 'luxon';

import { isPlainAscii } from './address';
import { dayAt } from '../dunning/calendar-day';
import { sendByPassed, sendByProblem, type SendBy } from '../dunning/deadline-check';
import { emptyDelivery, type Delivery } from './delivery';
import type { OutgoingMessage } from './message';
import { accountRefusalAtSend } from './account-refusal';
import { classifyRefusalAtSend } from '../bounce/refusal-at-send';
import { senderAdvice } from '../bounce/sender-advice';
import { pausesMailboxAtOnce, refusalAtSend } from '../ledger/mailbox-health';
import { slotMiss, type SlotTiming } from './slot-miss';
import { secondsText, stopsRun, type FailureKind, type MissingSmtpUtf8, type SmtpFailure } from './smtp-error';
import { MIN_UPLOAD_BYTES_PER_MS, SmtpCancelledError, SmtpConnectError, SmtpSendError, type SmtpConnector, type SmtpReply, type SmtpSession } from './smtp-session';
import { AbortedError, backoffMs, systemClock, Throttle, waitUntil, type Clock } from './throttle';

/**
 * A refusal of this message, with what it means for dunning (the rules of Classify Bounce).
 * `leftOut`: the customer's addresses the message was rebuilt without (no SMTPUTF8); each counts
 * as refused with 5.6.7, so that a dead address beside one left out does not mark the customer dead.
 */
function refusal(
	failure: SmtpFailure,
	customers: readonly string[],
	leftOut: readonly string[] = [],
): Pick<Delivery, 'reason' | 'category' | 'bounceReason' | 'smtpStatus' | 'refusedRecipients'> {
	const command = failure.command ?? null;
	// A refusal of the whole message is about the address that needs SMTPUTF8, when one does.
	const recipient = customers.find((a) => !isPlainAscii(a)) ?? customers[0];
	const each = [
		...(failure.refusals
			? failure.refusals.map((r) => classifyRefusalAtSend({ code: r.code, response: r.response, command, recipient: r.recipient }))
			: [classifyRefusalAtSend({ code: failure.code, response: failure.response, command, status: failure.status, recipient })]),
		...leftOut.map((a) => classifyRefusalAtSend({ code: null, response: null, command: 'RCPT TO', status: '5.6.7', recipient: a })),
	];
	// Every address of the customer refused, each for its own reason: the customer's e-mail is dead
	// only when every one is (a full mailbox beside a dead one still exists). A refusal of our sender
	// says the most: it counts for the mailbox's health.
	const told = each.find((c) => c.category === 'senderRejected') ?? each.find((c) => c.category !== 'addressDead') ?? each[0];
	const refused = failure.refusals ? { refusedRecipients: failure.refusals.map((r) => r.recipient) } : {};
	return { reason: 'rejected', category: told.category, bounceReason: told.reason, smtpStatus: told.status, ...refused };
}

/**
 * What the never-twice check found for a job: `false` (not sent yet), `true` (an earlier execution
 * sent this reminder), or the earlier jobs of this run that sent it (`sameRunAs`, their keys), with
 * `earlierExecution` when an earlier execution sent the rest of it (a collective reminder).
 */
export type DuplicateFound = boolean | { sameRunAs: number[]; earlierExecution?: boolean };

/**
 * The never-twice check knows a reminder by invoice ID and level only: another open item with the
 * same ID (an instalment due later, or in the same run) looks like the same reminder. Said, so that
 * it does not pass unseen, and said right: "an earlier execution" only when it was one. `preview`:
 * the dry run's words for the same finding, so that the preview promises what the real run sends.
 */
export function duplicateOutcome(found: Exclude<DuplicateFound, false>, preview = false): Pick<Delivery, 'duplicate' | 'duplicateOf' | 'warning'> {
	const sameRun = found === true ? [] : found.sameRunAs;
	const earlierExecution = found === true || found.earlierExecution === true;
	const items = sameRun.length === 1 ? `item ${sameRun[0]}` : `items ${sameRun.slice(0, -1).join(', ')} and ${sameRun[sameRun.length - 1]}`;
	const ofThisRun = sameRun.length === 0 ? '' : `${sameRun.length === 1 ? 'an earlier item' : 'earlier items'} of this run (${items})`;
	let warning: string;
	if (sameRun.length === 0) {
		warning =
			`${preview ? 'Would not be sent' : 'Not sent now'}: the reminder for this invoice ID and level was sent by an earlier execution. ` +
			'If this item is another open item with the same invoice ID (an instalment), give it its own invoice ID. ' +
			'If it is the same invoice, its level may not have been stored after that send: write dunning.level to currentLevel and the send date to lastDunnedAt';
	} else {
		const by = earlierExecution ? `an earlier execution and ${ofThisRun}` : ofThisRun;
		warning = preview
			? `Would not be sent: the reminder for this invoice ID and level goes out with ${by}. ` +
				'If this item is another open item with the same invoice ID (an instalment), nothing would go out for it: give it its own invoice ID'
			: `Not sent: the reminder for this invoice ID and level went out with ${by}. ` +
				'If this item is another open item with the same invoice ID (an instalment), nothing went out for it: give it its own invoice ID';
	}
	return { duplicate: true, ...(sameRun.length > 0 ? { duplicateOf: sameRun[0] } : {}), warning };
}

/** Why addresses of the customer were left out: "host:port does not offer SMTPUTF8, which … needs". */
function missingText(missing: MissingSmtpUtf8): string {
	return `${missing.server} does not offer SMTPUTF8, which ${missing.addresses.join(', ')} ${missing.addresses.length === 1 ? 'needs' : 'need'}`;
}

/**
 * The warning of a message the server took: the customer's addresses left out (no SMTPUTF8), and
 * those the server refused while it took the others, each with its reply.
 */
function sentWarning(reply: SmtpReply, sent: OutgoingMessage, leftOut: MissingSmtpUtf8 | null): string | undefined {
	const warnings: string[] = [];
	if (leftOut) {
		const refused = new Set(reply.refusals.map((r) => r.recipient.toLowerCase()));
		warnings.push(`${missingText(leftOut)}; sent to ${sent.recipients.filter((a) => !refused.has(a.toLowerCase())).join(', ')} only`);
	}
	if (reply.refusals.length > 0) {
		// With the server's words: "550 5.1.1" asks for another address, "452" only for patience.
		const refused = reply.refusals.map((r) => (r.response ? `${r.recipient} (${r.response})` : r.recipient));
		warnings.push(`Sent, but the server refused ${refused.join(', ')}; the other addresses got it`);
	}
	return warnings.length > 0 ? warnings.join('; ') : undefined;
}

/** What the server said, for each refused address when it refused all of them. */
function refusalMessage(failure: SmtpFailure): string {
	if (!failure.refusals) return failure.message;
	return `Rejected by the server for every address: ${failure.refusals.map((r) => (r.response ? `${r.recipient} (${r.response})` : r.recipient)).join(', ')}`;
}

/**
 * The stop after a refusal of our sender that pauses the mailbox at once (Mailbox Health's rule:
 * a failed SPF, DKIM or DMARC check), or after our own server refused our account
 * (accountRefusalAtSend: Send-As denied, the sending limit used up, a bad outbound sender, our own
 * mailbox full, relaying denied): every further reminder would be refused the same way, each one
 * more blow to the sender's reputation or one more reminder marked undelivered, so the run stops as for a refused
 * sender address (`sender`; the shipped sender releases the rest again). Null for any other outcome.
 */
function pausingRefusal(delivery: Delivery): RunStop | null {
	const problem = refusalAtSend(delivery);
	if (!problem) return null;
	const said = delivery.smtpResponse ? ` ("${delivery.smtpResponse}")` : '';
	const account = accountRefusalAtSend(problem, delivery.smtpCommand);
	if (account) {
		return {
			kind: 'sender',
			message:
				`Your SMTP server refused a reminder because of your account: ${account.because}${said}. ` +
				'Every further reminder would be refused the same way, so the run was stopped. ' +
				`Fix: ${account.fix}`,
		};
	}
	if (!pausesMailboxAtOnce(delivery)) return null;
	const advice = senderAdvice(problem);
	return {
		kind: 'sender',
		message:
			`The server refused a reminder because of your sender: ${advice.because}${said}. ` +
			"Every further reminder would be refused the same way and hurt the sender's reputation more, so the run was stopped. " +
			`Fix: ${advice.fix}`,
	};
}

/**
 * A reminder claimed in a shared ledger (lib/ledger/): it goes out within its sending slot, which
 * keeps one pace per mailbox across executions, and is not started (nor sent again after a broken
 * connection) once its claim is too close to its end (claimTooShort), because another execution
 * may take it over once the claim ended. It is never retried within the run: a retry would miss
 * the slot, so a temporary refusal defers it to a later tick and a new slot.
 */
export interface SendSlot {
	notBefore: number;
	/** Starting later would come too close to the next slot, which may be another execution's. */
	notAfter: number;
	leaseUntil: number;
}

export interface SendJob {
	/** The caller's key for this message (e.g. the n8n item index). */
	key: number;
	message: OutgoingMessage;
	slot?: SendSlot;
	/** The reminder's payment deadline: it is not sent once that day is past (a reminder never asks for payment by a day already past). */
	sendBy?: SendBy;
	/** The deadline its text states, restated for the day it was rendered for: not sent on a day that would state another. */
	stated?: StatedDeadline;
}

/**
 * The payment deadline a message states, restated from the day it was rendered for (the whole
 * payment period from that day, off weekends and holidays). Sent on a later day where the customer
 * reads it (the pause between mails or a retry took the run past midnight), it would give one day
 * less than the period: it is not sent then (`notSent` / `dayChanged`) and goes out in a later
 * run, rendered for that day. Deferred rather than rendered again here: the text, the HTML and the
 * attached letter are the node's to render, and a run past midnight is rare.
 */
export interface StatedDeadline {
	/** The deadline the message states (YYYY-MM-DD). */
	deadline: string;
	/** The IANA zone its day is read in (the item's, see readingTimezone); undefined: UTC. */
	timezone: string | undefined;
	/** The deadline the message would state if sent on `day` (YYYY-MM-DD). */
	restate: (day: string) => string;
}

/** The session's reply timeout when its connector is given none and the server's timeout is not above it (smtp-session.ts). */
export const DEFAULT_REPLY_TIMEOUT_MS = 60_000;

/** The replies one send waits for besides one per RCPT TO: MAIL FROM, DATA, the end of the data, and the RSET after a refusal. */
const REPLIES_BESIDES_RCPT = 4;

/**
 * The longest one send of `message` can take, as smtp-session.ts bounds it: every reply within
 * the reply timeout of the one before, the reply to the data within that and the upload at
 * 10 kB/s. A claim should outlast it: one that ends mid-send is given back by the next tick, and
 * another execution may send the reminder again while this one is still sending it.
 */
export function longestSendMs(message: Pick<OutgoingMessage, 'envelope' | 'raw'>, replyTimeoutMs: number): number {
	return (message.envelope.to.length + REPLIES_BESIDES_RCPT) * replyTimeoutMs + Math.ceil(message.raw.length / MIN_UPLOAD_BYTES_PER_MS);
}

/** How much of a claim may pass after its slot before a message longer than the claim is no longer started (claimTooShort). */
const CLAIM_MARGIN_MS = 30_000;

/**
 * Why a claimed message may not be started (nor sent again) now; null when it may, or it has no
 * claim. It may while its claim still runs longer than the longest its sending can take, or, for
 * a message whose longest is more than any claim of these settings holds after its slot (a large
 * PDF, many addresses, a long Timeout), while no more than 30 s of its claim are gone since its
 * slot: refused for ever, it would block its mailbox's queue (the shipped sender claims the oldest
 * row again each tick), and the longest is a worst case (every reply at the last moment, the
 * slowest upload allowed). `longest`: longestSendMs of `message`, as the run computed it.
 */
function claimTooShort(slot: SendSlot | undefined, message: OutgoingMessage, longest: number, clock: Clock, replyTimeoutMs: number): string | null {
	if (!slot) return null;
	const now = clock.now();
	const left = slot.leaseUntil - now;
	const atSlot = slot.leaseUntil - slot.notBefore - CLAIM_MARGIN_MS;
	if (left > Math.min(longest, atSlot)) return null;
	const replies = message.envelope.to.length + REPLIES_BESIDES_RCPT;
	const late =
		longest > atSlot ? `it would start ${secondsText(now - slot.notBefore)} after its sending slot (a message this long goes out only within ${secondsText(CLAIM_MARGIN_MS)} of it), ` : '';
	return (
		`Not sent: ${late}its claim in the ledger ${left > 0 ? `ends in ${secondsText(left)}` : 'has ended'}, and sending it may take up to ${secondsText(longest)} ` +
		`(${replies} server replies of up to ${secondsText(replyTimeoutMs)} each, and its upload); it goes out in a later run. ` +
		"If every reminder comes out so, raise leaseMinutes in the sender's Settings or lower the Timeout (Seconds) of Send Reminder Email"
	);
}

/**
 * Why a claim can never be used, however promptly its sending starts: it ends no more than 30 s
 * after its slot. A settings problem (the claim's length, leaseMinutes), not this reminder's:
 * the run stops, loudly, instead of giving every reminder back at every tick. Null when it can.
 * `longest` (longestSendMs of the reminder) only goes into the message.
 */
function claimNeverLongEnough(slot: SendSlot | undefined, longest: number, replyTimeoutMs: number): string | null {
	if (!slot || slot.leaseUntil - slot.notBefore > CLAIM_MARGIN_MS) return null;
	return (
		`A claim in the ledger ends ${secondsText(Math.max(0, slot.leaseUntil - slot.notBefore))} after its sending slot, too soon for any reminder: ` +
		`a claim must last more than ${secondsText(CLAIM_MARGIN_MS)} past its slot, and this reminder may take up to ` +
		`${secondsText(longest)} with the Timeout (Seconds) of Send Reminder Email (${secondsText(replyTimeoutMs)}). ` +
		"Nothing more was sent in this run. Fix: raise leaseMinutes in the sender's Settings (15 minutes is the shipped value) well above that"
	);
}

export interface SendRunOptions {
	/** Minimum seconds between two messages (start to start). */
	minSecondsBetween: number;
	/** At most this many messages are handed to the server in this run; null = no cap. */
	maxPerRun?: number | null;
	/** Attempts for a message refused with 4xx, the first included. Default 3. */
	maxAttempts?: number;
	/** Wait before the first retry; doubles each time. Default 30 s. */
	retryBaseMs?: number;
	signal?: AbortSignal;
	clock?: Clock;
	/** Whether this message was already sent, by an earlier run or an earlier job of this one: it is skipped as a duplicate. */
	isDuplicate?: (job: SendJob) => Promise<DuplicateFound>;
	/** Called after the server accepted a message (record it as sent, copy it to Sent). */
	onSent?: (job: SendJob, delivery: Delivery) => Promise<void>;
	/**
	 * The connector's reply timeout (SmtpConnectorOptions.replyTimeoutMs, or the server's timeout
	 * when longer): the longest a claimed message's sending can take (longestSendMs), which its
	 * claim must outlast at its start (claimTooShort). Default 60 s, the connector's own default.
	 */
	replyTimeoutMs?: number;
}

export interface RunStop {
	/** `settings`: a claim too short for any reminder (leaseMinutes); the others as smtp-error.ts. */
	kind: FailureKind | 'cancelled' | 'settings';
	message: string;
}

export interface SendRunResult {
	/** One per job, in the jobs' order. */
	deliveries: Delivery[];
	/** Why the run stopped early, or null when it went through. */
	stopped: RunStop | null;
	/** Connections opened (first one included). */
	connections: number;
}

/**
 * Reading `raw` composes a message's bytes once (see OutgoingMessage.raw). Everything that can
 * fail was checked when the message was built; should composing throw anyway, it is not swallowed:
 * it throws again when this message is sent.
 */
function composeAhead(message: OutgoingMessage): void {
	try {
		void message.raw;
	} catch {
		// see above
	}
}

/**
 * The numbers of a run, checked before anything is sent: NaN attempts never reach the limit (a
 * 4xx retried for ever, later items never get a status), NaN waits are 1 ms timers (no pace).
 * The node refuses such settings naming them; this is the core's own guard, for any caller.
 */
function checkRunOptions(options: SendRunOptions): void {
	const problems: string[] = [];
	const check = (name: string, value: number | null | undefined, ok: (v: number) => boolean, expected: string) => {
		if (value !== undefined && value !== null && !(Number.isFinite(value) && ok(value))) problems.push(`${name} must be ${expected}, not ${String(value)}`);
	};
	check('minSecondsBetween', options.minSecondsBetween ?? Number.NaN, (v) => v >= 0, 'a number of at least 0');
	check('maxPerRun', options.maxPerRun, (v) => Number.isInteger(v) && v >= 0, 'a whole number of at least 0 (or null: no cap)');
	check('maxAttempts', options.maxAttempts, (v) => Number.isInteger(v) && v >= 1, 'a whole number of at least 1');
	check('retryBaseMs', options.retryBaseMs, (v) => v >= 0, 'a number of at least 0');
	check('replyTimeoutMs', options.replyTimeoutMs, (v) => v > 0, 'a number above 0');
	if (problems.length > 0) throw new RangeError(`Sending options: ${problems.join('; ')}`);
}

/**
 * Each job's send-by limit, checked before anything is sent: a zone that is no zone cannot say
 * which day it is, mid-run. The node reads both from the item and fails such an item itself.
 */
function checkSendBy(jobs: readonly SendJob[]): void {
	const problems = jobs.flatMap((job) => {
		const problem = job.sendBy ? sendByProblem(job.sendBy) : null;
		// The day the stated deadline is checked on needs a zone too (the same one, as the node sets it).
		const zone = job.stated?.timezone;
		const statedProblem = zone !== undefined && !IANAZone.isValidZone(zone) ? `its stated deadline's timezone "${zone}" is no IANA timezone` : null;
		return [problem, statedProblem].flatMap((p) => (p ? [`job ${job.key}: ${p}`] : []));
	});
	if (problems.length > 0) throw new RangeError(`Send-by limits: ${problems.join('; ')}`);
}

/**
 * Why the job may not go out at the clock's time because its text states another deadline than
 * sending now would (the day changed while it waited, see StatedDeadline), or null. Compared by the
 * deadline, not the day: a later day that restates to the same one (a Saturday and a Sunday both
 * moved to Monday) costs no deferral.
 */
function restatedSince(job: SendJob, clock: Clock): string | null {
	if (!job.stated) return null;
	const today = dayAt(clock.now(), job.stated.timezone);
	const due = job.stated.restate(today);
	if (due === job.stated.deadline) return null;
	return (
		`Not sent: the day changed while it waited to be sent in this run (today is ${today} in ${job.stated.timezone ?? 'UTC'}); ` +
		`its text states the payment deadline ${job.stated.deadline}, sent today it must state ${due}. It goes out in a later run, with the deadline of that day`
	);
}

/** Why the job may no longer go out at the clock's time (its deadline passed while it waited), or null. */
function pastSendBy(job: SendJob, clock: Clock): string | null {
	const passed = job.sendBy ? sendByPassed(job.sendBy, clock.now()) : null;
	return passed && `Not sent: its payment deadline passed while it waited to be sent in this run. ${passed}`;
}

export async function runSendJobs(connector: SmtpConnector, jobs: SendJob[], options: SendRunOptions): Promise<SendRunResult> {
	checkRunOptions(options);
	checkSendBy(jobs);
	const clock = options.clock ?? systemClock;
	const maxAttempts = options.maxAttempts ?? 3;
	const retryBaseMs = options.retryBaseMs ?? 30_000;
	const replyTimeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
	const throttle = new Throttle(options.minSecondsBetween, clock);
	const deliveries: Delivery[] = [];
	/** Message-IDs that went out with an unclear outcome in this run. */
	const unclear = new Set<string>();
	let session: SmtpSession | null = null;
	let connections = 0;
	let handedOver = 0;
	let stopped: RunStop | null = null;

	const notSent = (message: OutgoingMessage, reason: string, error: string, attempts = 0): Delivery => {
		const stop = stopped as RunStop | null;
		// The failure kind lets a workflow tell a refused login (pause the mailbox) from an outage.
		const stopKind = reason === 'runStopped' && stop ? { stopKind: stop.kind } : {};
		return emptyDelivery('notSent', { messageId: message.messageId, reason, error, attempts, ...stopKind });
	};

	/** Why a job is not sent once the run stopped: cancelled, or stopped for the failure in `stopped`. */
	const stoppedReason = () => ((stopped as RunStop | null)?.kind === 'cancelled' ? 'cancelled' : 'runStopped');

	/** Opens a connection; null (and `stopped` set) when it cannot be had or the run was cancelled meanwhile. */
	const connect = async (): Promise<SmtpSession | null> => {
		connections++;
		try {
			return await connector.connect(options.signal);
		} catch (error) {
			if (error instanceof SmtpCancelledError) {
				stopped = { kind: 'cancelled', message: error.message };
				return null;
			}
			const failure = error instanceof SmtpConnectError ? error.failure : null;
			stopped = {
				kind: failure?.kind ?? 'other',
				message: failure?.message ?? `Could not open the SMTP connection: ${(error as Error).message}`,
			};
			return null;
		}
	};

	try {
		for (const [index, job] of jobs.entries()) {
			const { message } = job;
			if (stopped) {
				deliveries.push(notSent(message, stoppedReason(), stopped.message));
				continue;
			}
			const found = options.isDuplicate ? await options.isDuplicate(job) : false;
			if (found) {
				deliveries.push(emptyDelivery('sent', { messageId: message.messageId, ...duplicateOutcome(found) }));
				continue;
			}
			// The same reminder twice in one run (its Message-ID is the same), the first with an unclear
			// outcome: nothing recorded it as sent, yet it may have arrived, so the second is not sent.
			if (unclear.has(message.messageId)) {
				deliveries.push(
					emptyDelivery('deferred', {
						messageId: message.messageId,
						reason: 'outcomeUnknown',
						error: 'Not sent: the same reminder went out earlier in this run and its outcome is unclear (it may have been delivered)',
					}),
				);
				continue;
			}
			if (options.maxPerRun != null && handedOver >= options.maxPerRun) {
				deliveries.push(
					notSent(message, 'maxPerRun', `Not sent in this run: the limit of ${options.maxPerRun} messages per run was reached; it goes out in a later run`),
				);
				continue;
			}
			// The bound both claim checks use, once per job (again only if the message on the wire changes).
			let longest = longestSendMs(message, replyTimeoutMs);
			// Before waiting and logging in: no claim of these settings can ever be used.
			const neverLongEnough = claimNeverLongEnough(job.slot, longest, replyTimeoutMs);
			if (neverLongEnough) {
				stopped = { kind: 'settings', message: neverLongEnough };
				deliveries.push(notSent(message, 'runStopped', stopped.message));
				continue;
			}
			const timing: SlotTiming = { first: handedOver === 0, reachedAt: 0, connectedInMs: null };
			try {
				await throttle.wait(options.signal);
				timing.reachedAt = clock.now();
				if (job.slot) {
					// Connect and log in before the slot, so that the message itself starts at its slot.
					if (!session || !session.open) {
						session?.close();
						session = await connect();
						timing.connectedInMs = clock.now() - timing.reachedAt;
					}
					if (session) await waitUntil(clock, job.slot.notBefore, options.signal);
				}
			} catch (error) {
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- not ours to handle: lib/ imports nothing from n8n
				if (!(error instanceof AbortedError)) throw error;
				stopped = { kind: 'cancelled', message: 'The execution was cancelled before this message was sent' };
				deliveries.push(notSent(message, 'cancelled', stopped.message));
				continue;
			}
			if (stopped) {
				deliveries.push(notSent(message, stoppedReason(), (stopped as RunStop).message));
				continue;
			}
			handedOver++;

			let attempts = 0;
			let brokeConnection = false;
			let delivery: Delivery | null = null;
			/** What goes on the wire: the message, or its form without the addresses the server cannot take. */
			let outgoing = message;
			let leftOut: MissingSmtpUtf8 | null = null;
			while (!delivery) {
				// Before connecting (a job without a slot): a reminder too late to send needs no login.
				const late = pastSendBy(job, clock);
				if (late) {
					// Nothing of it reached the server when this was its first attempt: no place in maxPerRun.
					if (attempts === 0) handedOver--;
					// notSent, not failed: the reminder was right when the run took it, only its time ran
					// out; the shipped sender releases it again and Still to Send? withdraws it (deadlinePassed).
					delivery = notSent(message, 'deadlinePassed', late, attempts);
					break;
				}
				// The decided deadline holds, but the one the text states was counted from an earlier day.
				const restated = restatedSince(job, clock);
				if (restated) {
					if (attempts === 0) handedOver--;
					delivery = notSent(message, 'dayChanged', restated, attempts);
					break;
				}
				if (!session || !session.open) {
					session?.close();
					session = await connect();
					if (!session) {
						delivery = notSent(message, stoppedReason(), stopped!.message, attempts);
						break;
					}
				}
				if (job.slot && clock.now() > job.slot.notAfter) {
					const miss = slotMiss(job.slot, clock.now(), attempts, timing);
					delivery = notSent(message, 'slotMissed', miss.error, attempts);
					if (miss.leadTooShort) delivery.leadTooShort = true;
					break;
				}
				// Right before each start, the first and a resend after a broken connection alike.
				const endsFirst = claimTooShort(job.slot, outgoing, longest, clock, replyTimeoutMs);
				if (endsFirst) {
					if (attempts === 0) handedOver--;
					delivery = notSent(message, 'leaseExpired', endsFirst, attempts);
					break;
				}
				attempts++;
				try {
					// While the server takes this message in, compose the next one: our CPU work then
					// overlaps the wait for the reply on the single connection.
					const next = jobs[index + 1]?.message;
					const reply = await session.send(outgoing, next ? () => composeAhead(next) : undefined, options.signal);
					delivery = emptyDelivery('sent', {
						messageId: message.messageId,
						smtpResponse: reply.response,
						smtpCode: reply.code,
						attempts,
						sentAt: new Date(clock.now()).toISOString(),
					});
					if (reply.refusals.length > 0) delivery.refusedRecipients = reply.refusals.map((r) => r.recipient);
					if (leftOut) delivery.sentTo = outgoing.recipients;
					const warning = sentWarning(reply, outgoing, leftOut);
					if (warning) delivery.warning = warning;
					if (options.onSent) {
						try {
							// The message as it went out: the copy in the Sent folder names whom it reached.
							await options.onSent(outgoing === message ? job : { ...job, message: outgoing }, delivery);
						} catch (error) {
							delivery.warning = delivery.warning ? `${delivery.warning}; ${(error as Error).message}` : (error as Error).message;
						}
					}
					break;
				} catch (error) {
					if (error instanceof SmtpCancelledError) {
						stopped = { kind: 'cancelled', message: 'The execution was cancelled while this message was being sent' };
						delivery = error.outcomeUnknown
							? emptyDelivery('deferred', {
									messageId: message.messageId,
									attempts,
									reason: 'outcomeUnknown',
									error: `${error.message}. It may have been delivered, so it was not sent again in this run`,
								})
							: notSent(message, 'cancelled', error.message, attempts);
						break;
					}
					// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- not ours to handle: lib/ imports nothing from n8n
					if (!(error instanceof SmtpSendError)) throw error;
					const { failure } = error;
					// Only customer addresses need the SMTPUTF8 the server lacks: the others can still be
					// reached, at once and on this connection (the refusal was ours, nothing was sent).
					const missing = failure.missingSmtpUtf8;
					const narrowed = missing ? outgoing.asciiOnly?.() : undefined;
					if (missing && narrowed) {
						outgoing = narrowed;
						// Fewer addresses, another upload: its own bound for the claim.
						longest = longestSendMs(outgoing, replyTimeoutMs);
						leftOut = missing;
						attempts--;
						continue;
					}
					// A refusal of our own (failure.status) never handed the message to the server.
					const smtp = {
						messageId: message.messageId,
						smtpCode: failure.code,
						smtpResponse: failure.response,
						attempts: failure.status ? attempts - 1 : attempts,
						...(failure.command ? { smtpCommand: failure.command } : {}),
					};
					if (error.outcomeUnknown) {
						delivery = emptyDelivery('deferred', {
							...smtp,
							reason: 'outcomeUnknown',
							error:
								`${failure.message} after the whole message was transmitted, before the server confirmed it. ` +
								'It may have been delivered, so it was not sent again in this run',
						});
					} else if (failure.kind === 'rejected' || failure.kind === 'other') {
						const meaning = failure.kind === 'rejected' ? refusal(failure, outgoing.recipients, leftOut?.addresses) : { reason: 'error' };
						delivery = emptyDelivery('failed', { ...smtp, ...meaning, error: refusalMessage(failure) });
						// This reminder stays `failed` (it counts for the mailbox's health); the rest is not sent.
						stopped = pausingRefusal(delivery);
						// Marked as the refusal that stopped the run: our account's, not this customer's
						// (the shipped sender counts it on no invoice).
						if (stopped) delivery = { ...delivery, stopKind: stopped.kind };
					} else if (failure.kind === 'temporary') {
						if (attempts >= maxAttempts) {
							delivery = emptyDelivery('deferred', {
								...smtp,
								reason: 'temporary',
								error: `${failure.message} (${attempts} attempts); try again in a later run`,
							});
						} else if (job.slot) {
							delivery = emptyDelivery('deferred', {
								...smtp,
								reason: 'temporary',
								error: `${failure.message}; a claimed reminder is tried again in a later run, at a new sending slot`,
							});
						} else {
							try {
								await clock.sleep(backoffMs(attempts, retryBaseMs), options.signal);
								// A retry is a message on the wire like any other: it keeps the pause between mails.
								await throttle.wait(options.signal);
							} catch (abort) {
								// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- not ours to handle: lib/ imports nothing from n8n
								if (!(abort instanceof AbortedError)) throw abort;
								stopped = { kind: 'cancelled', message: 'The execution was cancelled while waiting to retry' };
								delivery = emptyDelivery('deferred', { ...smtp, reason: 'temporary', error: `${failure.message}; ${stopped.message}` });
							}
						}
					} else if (failure.kind === 'connectionLost') {
						// The message did not get through whole: safe to send again, once, on a new connection.
						if (brokeConnection) {
							stopped = { kind: 'connectionLost', message: `${failure.message}, twice while sending the same message — the connection is unstable; the run was stopped` };
							delivery = notSent(message, 'runStopped', stopped.message, attempts);
						}
						brokeConnection = true;
					} else if (stopsRun(failure.kind)) {
						stopped = { kind: failure.kind, message: failure.message };
						delivery = notSent(message, 'runStopped', failure.message, attempts);
					} else {
						delivery = emptyDelivery('failed', { ...smtp, reason: 'error', error: failure.message });
					}
				}
			}
			// The customer's addresses left out did not get it either: a failure is about all of them.
			if (leftOut && (delivery.status === 'failed' || delivery.status === 'deferred')) {
				delivery.error = [delivery.error, `${missingText(leftOut)}, so the reminder did not go there either`].filter(Boolean).join('; ');
			}
			if (delivery.reason === 'outcomeUnknown') unclear.add(message.messageId);
			deliveries.push(delivery);
		}
	} finally {
		(session as SmtpSession | null)?.close();
	}
	return { deliveries, stopped, connections };
}
