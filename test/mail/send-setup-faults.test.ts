/**
 * Faults of the SMTP send path that a real server does not produce on demand, from a scripted raw
 * server on loopback (raw-smtp-server.ts), as in send-faults.test.ts: a login that never finishes
 * (endless "250-" lines, a reply trickling in byte by byte), a silent greeting or TLS handshake,
 * a connection reset in the middle of the upload, replies of mixed codes or of a megabyte.
 */
import { buildReminderMessage } from '../../lib/mail/message';
import type { MailAuth, MailServer, Security } from '../../lib/mail/server';
import { runSendJobs, type SendJob, type SendRunOptions, type SendRunResult } from '../../lib/mail/send-run';
import { classifySmtpError, MAX_REPLY_CHARS } from '../../lib/mail/smtp-error';
import { SmtpCancelledError, smtpConnector, verifySmtp } from '../../lib/mail/smtp-session';
import { useRawSmtpServers, type RawConnection, type RawSmtpScript, type RawSmtpServer } from './raw-smtp-server';

// A run that hangs must fail the test, not the suite.
jest.setTimeout(15_000);

const auth: MailAuth = { method: 'password', user: 'shop@example.com', password: 'Setup-Secret-pw' };
/** The server timeout of these tests: short, so a fault that needs it costs the suite little. */
const TIMEOUT_MS = 300;
/** "Finished in time" for a hang: far beyond any bound the code sets, far below the test's limit. */
const HANG_BOUND_MS = 10 * TIMEOUT_MS;

let timers: NodeJS.Timeout[] = [];
// Before the servers close (jest runs a file's afterEach hooks in the order they were registered).
afterEach(() => {
	timers.forEach(clearInterval);
	timers = [];
});
const rawServer = useRawSmtpServers();

/** Writes `text` every `ms` for as long as the test lasts. */
const trickle = (conn: RawConnection, text: string, ms = 50) => timers.push(setInterval(() => conn.write(text), ms));

function mailServer(s: RawSmtpServer, security: Security = 'none', timeoutMs = TIMEOUT_MS): MailServer {
	return { host: '127.0.0.1', port: s.port, security, allowSelfSigned: false, timeoutMs };
}

async function jobs(n: number, text = (i: number) => `Text ${i + 1}`): Promise<SendJob[]> {
	return Promise.all(
		Array.from({ length: n }, async (_, i) => ({
			key: i,
			message: await buildReminderMessage({
				sender: { address: 'shop@example.com' },
				to: `c${i + 1}@example.org`,
				subject: `Zahlungserinnerung R-${i + 1}`,
				text: text(i),
				invoiceId: `inv-${i + 1}`,
				level: 1,
				runId: 'run-setup-faults',
			}),
		})),
	);
}

const fast: SendRunOptions = { minSecondsBetween: 0, retryBaseMs: 10 };
const statuses = (r: SendRunResult) => r.deliveries.map((d) => [d.status, d.reason]);

/** The promise's value, or 'hung' when it takes longer than `ms` (the old code never ended these). */
function within<T>(promise: Promise<T>, ms = HANG_BOUND_MS): Promise<T | 'hung'> {
	let timer: NodeJS.Timeout | undefined;
	const cap = new Promise<'hung'>((resolve) => {
		timer = setTimeout(() => resolve('hung'), ms);
	});
	return Promise.race([promise, cap]).finally(() => clearTimeout(timer));
}

/**
 * A server that answers DATA with 354 on the first connection and, at the first bytes of the
 * upload (the upload has begun), calls `act` and reads nothing more of that connection.
 */
function serverActingMidUpload(act: (conn: RawConnection) => void): Promise<RawSmtpServer> {
	let uploading = false;
	return rawServer({
		onLine: (line, conn) => {
			if (line !== 'DATA' || conn.index !== 1) return false;
			conn.reply('354 End data with <CR><LF>.<CR><LF>');
			uploading = true;
			return true;
		},
		onChunk: (_chunk, conn) => {
			if (!uploading) return false;
			uploading = false;
			act(conn);
			return true;
		},
	});
}

/** Answers EHLO with "250-" lines that never end: never silent, never done. */
const endlessEhlo: RawSmtpScript = {
	onLine: (line, conn) => {
		if (!line.startsWith('EHLO')) return;
		conn.write('250-raw.test\r\n');
		trickle(conn, '250-still\r\n');
		return true;
	},
};

describe('a server that keeps sending while we log in', () => {
	// Before the fix each of these runs held the execution until the server hung up.
	test('endless "250-" lines to EHLO: every item notSent (run stopped as an outage) within the bound', async () => {
		const s = await rawServer(endlessEhlo);
		// A reply timeout far beyond the bound: only the setup deadline (two server timeouts) can end this.
		const result = await within(runSendJobs(smtpConnector(mailServer(s), auth, { replyTimeoutMs: 60_000 }), await jobs(2), fast));
		expect(result).not.toBe('hung');
		const run = result as SendRunResult;
		expect(statuses(run)).toEqual([
			['notSent', 'runStopped'],
			['notSent', 'runStopped'],
		]);
		expect(run.deliveries[0].stopKind).toBe('connectionLost');
		expect(run.stopped?.message).toMatch(/stopped answering while logging in \(EHLO\)/);
		expect(s.connections[0].lines.some((l) => l.startsWith('AUTH'))).toBe(false);
	});

	test('a reply to AUTH trickling in one byte at a time: notSent, the run stops naming AUTH', async () => {
		const s = await rawServer({
			onLine: (line, conn) => {
				if (!line.startsWith('AUTH')) return;
				trickle(conn, 'x');
				return true;
			},
		});
		const result = await within(runSendJobs(smtpConnector(mailServer(s), auth, { replyTimeoutMs: 60_000 }), await jobs(1), fast));
		expect(result).not.toBe('hung');
		const run = result as SendRunResult;
		expect(statuses(run)).toEqual([['notSent', 'runStopped']]);
		expect(run.stopped).toMatchObject({ kind: 'connectionLost' });
		expect(run.stopped?.message).toMatch(/stopped answering while logging in \(AUTH\)/);
		expect(run.stopped?.message).not.toContain(auth.password);
	});

	test('cancelling the execution while the login hangs ends the run at once: every item notSent (cancelled)', async () => {
		const controller = new AbortController();
		const s = await rawServer({
			onLine: (line, conn) => {
				const answered = endlessEhlo.onLine!(line, conn);
				if (answered) setTimeout(() => controller.abort(), 100);
				return answered;
			},
		});
		// Server timeouts of a minute: only the cancel can end this run within the bound.
		const connector = smtpConnector(mailServer(s, 'none', 60_000), auth, { replyTimeoutMs: 60_000 });
		const result = await within(runSendJobs(connector, await jobs(2), { ...fast, signal: controller.signal }));
		expect(result).not.toBe('hung');
		const run = result as SendRunResult;
		expect(statuses(run)).toEqual([
			['notSent', 'cancelled'],
			['notSent', 'cancelled'],
		]);
		expect(run.stopped?.kind).toBe('cancelled');
	});

	test('the credential test ends with the outage in words, and its cancel signal is honoured', async () => {
		const s = await rawServer(endlessEhlo);
		const failure = await within(verifySmtp(mailServer(s), auth, { replyTimeoutMs: 60_000 }));
		expect(failure).not.toBe('hung');
		expect(failure).toMatchObject({ kind: 'connectionLost', message: expect.stringMatching(/stopped answering while logging in \(EHLO\)/) });

		const controller = new AbortController();
		const verifying = within(verifySmtp(mailServer(s, 'none', 60_000), auth, { replyTimeoutMs: 60_000 }, controller.signal).catch((e: unknown) => e));
		setTimeout(() => controller.abort(), 100);
		expect(await verifying).toBeInstanceOf(SmtpCancelledError);
	});

	test('EHLO answered with silence, for longer than the reply timeout: an outage while logging in, not a blocked port', async () => {
		const s = await rawServer({ onLine: (line) => line.startsWith('EHLO') });
		const result = await within(runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: TIMEOUT_MS }), await jobs(1), fast));
		const run = result as SendRunResult;
		expect(run.stopped?.kind).toBe('connectionLost');
		expect(run.stopped?.message).toMatch(/stopped answering while logging in \(EHLO\): no complete answer within 0.3 s/);
	});
});

describe('a server that is silent at the greeting or in the STARTTLS handshake', () => {
	test('no greeting: the server accepted the connection (no firewall), and the message says so', async () => {
		const s = await rawServer({ greet: () => undefined });
		const run = (await within(runSendJobs(smtpConnector(mailServer(s, 'none', 1_000), auth, { replyTimeoutMs: 60_000 }), await jobs(1), fast))) as SendRunResult;
		expect(run.stopped?.kind).toBe('connect');
		expect(run.stopped?.message).toMatch(/^The server at 127\.0\.0\.1:\d+ accepted the connection but sent no greeting within 1 s/);
		expect(run.stopped?.message).not.toMatch(/firewall/);
	});

	test('no greeting, the reply timeout running out first: the same words', async () => {
		const s = await rawServer({ greet: () => undefined });
		const run = (await within(runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: TIMEOUT_MS }), await jobs(1), fast))) as SendRunResult;
		expect(run.stopped?.kind).toBe('connect');
		expect(run.stopped?.message).toMatch(/accepted the connection but sent no greeting/);
	});

	test('STARTTLS offered and accepted with 220, then silence: an outage (connectionLost), not a wrong security setting', async () => {
		const s = await rawServer({
			onLine: (line, conn) => {
				if (line.startsWith('EHLO')) {
					conn.reply('250-raw.test\r\n250-STARTTLS\r\n250 AUTH PLAIN');
					return true;
				}
				if (line !== 'STARTTLS') return false;
				conn.reply('220 2.0.0 Ready to start TLS');
				return true;
			},
		});
		const run = (await within(runSendJobs(smtpConnector(mailServer(s, 'starttls', 1_000), auth), await jobs(1), fast))) as SendRunResult;
		expect(run.stopped?.kind).toBe('connectionLost');
		expect(run.stopped?.message).toMatch(/accepted STARTTLS but did not finish the TLS handshake within 1 s/);
		expect(statuses(run)).toEqual([['notSent', 'runStopped']]);
	});

	test('classification: a greeting or STARTTLS handshake that timed out, by nodemailer\'s timeoutType', () => {
		const at = { host: 'smtp.example.com', port: 587, timeoutMs: 30_000 };
		expect(classifySmtpError({ code: 'ETIMEDOUT', command: 'CONN', message: 'TLS handshake timed out', timeoutType: 'UPGRADE_TIMEOUT' }, at)).toMatchObject({
			kind: 'connectionLost',
			message: expect.stringMatching(/accepted STARTTLS but did not finish the TLS handshake within 30 s/),
		});
		expect(classifySmtpError({ code: 'ETIMEDOUT', command: 'CONN', message: 'Greeting never received', timeoutType: 'GREETING_TIMEOUT' }, at)).toMatchObject({
			kind: 'connect',
			message: expect.stringMatching(/^The server at smtp\.example\.com:587 accepted the connection but sent no greeting within 30 s/),
		});
	});
});

describe('a connection reset in the middle of the upload', () => {
	test('the end-of-data marker never left: the message is incomplete at the server and sent again on a new connection', async () => {
		// The reset comes while far more than the system's socket buffers hold is still to be written.
		const s = await serverActingMidUpload((conn) => conn.reset());
		// About 10 MB: loopback buffers take a few MB, so the upload is still running at the reset.
		const [job] = await jobs(1, () => 'Sehr geehrte Damen und Herren,\n'.repeat(320_000));
		expect(job.message.raw.length).toBeGreaterThan(9_000_000);
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), [job], fast);
		// Before the fix: deferred / outcomeUnknown "after the whole message was transmitted".
		expect(run.deliveries[0]).toMatchObject({ status: 'sent', attempts: 2 });
		expect(run.connections).toBe(2);
		expect(s.messages).toHaveLength(1);
	});

	test('the server read the whole message, marker included, then reset without answering: outcome unknown, not sent again', async () => {
		// The safe direction, kept: once the marker went out, the server may have taken the message.
		const s = await rawServer({
			onMessage: (_data, conn, n) => {
				if (n !== 1) return;
				conn.reset();
				return true;
			},
		});
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), await jobs(1), fast);
		expect(run.deliveries[0]).toMatchObject({ status: 'deferred', reason: 'outcomeUnknown', attempts: 1 });
		expect(s.messages).toHaveLength(1);
	});
});

describe('replies the run must not believe or keep whole', () => {
	test('a reply to the data of mixed codes ("250-" then "550"): outcome unknown, the connection dropped, the next item sent on a new one', async () => {
		const s = await rawServer({
			onMessage: (_data, conn, n) => {
				if (n !== 1) return;
				conn.reply('250-2.0.0 Ok\r\n550 5.7.1 Rejected');
				return true;
			},
		});
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), await jobs(2), fast);
		// Before the fix: sent.
		expect(statuses(run)).toEqual([
			['deferred', 'outcomeUnknown'],
			['sent', undefined],
		]);
		expect(run.deliveries[0].error).toMatch(/mixed codes \(250, 550\).*RFC 5321/);
		expect(run.connections).toBe(2);
		// Not sent again: one message per item reached the server.
		expect(s.messages).toHaveLength(2);
	});

	test('the other way round ("550-" then "250"): not failed on the strength of half a reply either', async () => {
		const s = await rawServer({
			onMessage: (_data, conn, n) => {
				if (n !== 1) return;
				conn.reply('550-5.7.1 Rejected\r\n250 2.0.0 Ok');
				return true;
			},
		});
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), await jobs(1), fast);
		expect(statuses(run)).toEqual([['deferred', 'outcomeUnknown']]);
	});

	test('a refusal of 800 KB at RCPT TO and a 250 of 900 KB: a few KB of each in the item, marked as cut', async () => {
		const s = await rawServer({
			onLine: (line, conn) => {
				if (line !== 'RCPT TO:<c1@example.org>') return;
				conn.reply(`550 5.1.1 unknown ${'<b>x</b>'.repeat(100_000)}`);
				return true;
			},
			onMessage: (_data, conn) => {
				conn.reply(`250 2.0.0 Ok ${'A'.repeat(900_000)}`);
				return true;
			},
		});
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), await jobs(2), fast);
		const [refused, sent] = run.deliveries;
		expect(refused).toMatchObject({ status: 'failed', smtpCode: 550, smtpStatus: '5.1.1' });
		expect(refused.smtpResponse!.length).toBeLessThanOrEqual(MAX_REPLY_CHARS + 1);
		expect(refused.smtpResponse).toMatch(/^550 5\.1\.1 unknown <b>x<\/b>.*…$/);
		expect(refused.error!.length).toBeLessThan(MAX_REPLY_CHARS + 100);
		expect(sent).toMatchObject({ status: 'sent', smtpCode: 250 });
		expect(sent.smtpResponse!.length).toBeLessThanOrEqual(MAX_REPLY_CHARS + 1);
		expect(sent.smtpResponse).toMatch(/^250 2\.0\.0 Ok A+…$/);
	});
});

describe('a reply of mixed codes before the data (to MAIL FROM, RCPT TO or DATA)', () => {
	/** What the first connection received, data included. */
	let firstConnection = '';
	/** Answers `command` with `reply` on the connections up to `upTo`; offers no PIPELINING unless `pipelining`. */
	function mixedAt(command: string, reply: string, pipelining: boolean, upTo = 1): RawSmtpScript {
		firstConnection = '';
		return {
			onChunk: (chunk, conn) => {
				if (conn.index === 1) firstConnection += chunk.toString('latin1');
			},
			onLine: (line, conn) => {
				if (!pipelining && line.startsWith('EHLO')) {
					conn.reply('250-raw.test\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN');
					return true;
				}
				if (conn.index > upTo || !line.startsWith(command)) return false;
				conn.reply(reply);
				return true;
			},
		};
	}

	// Each name says what the old code made of it: nodemailer reads the first line's first digit.
	test.each([
		['RCPT TO "250-" then "550", pipelined (was sent)', 'RCPT TO', '250-2.1.5 Ok\r\n550 5.1.1 <c1@example.org>: no such user', true],
		['RCPT TO "250-" then "550", one command at a time (was sent)', 'RCPT TO', '250-2.1.5 Ok\r\n550 5.1.1 <c1@example.org>: no such user', false],
		['RCPT TO "550-" then "250" (was failed: a dead address)', 'RCPT TO', '550-5.1.1 <c1@example.org>: no such user\r\n250 2.1.5 Ok', true],
		['MAIL FROM "550-" then "250" (was a run stopped on our sender)', 'MAIL FROM', '550-5.7.1 sender refused\r\n250 2.1.0 Ok', true],
		['MAIL FROM "250-" then "550", one command at a time (was sent)', 'MAIL FROM', '250-2.1.0 Ok\r\n550 5.7.1 sender refused', false],
		['DATA "354-" then "554" (was sent)', 'DATA', '354-Go ahead\r\n554 5.7.1 no', true],
	])('%s: neither line believed, nothing uploaded, sent again on a new connection', async (_name, command, reply, pipelining) => {
		const s = await rawServer(mixedAt(command, reply, pipelining));
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), await jobs(1), fast);
		expect(run.deliveries[0]).toMatchObject({ status: 'sent', attempts: 2 });
		expect(run.connections).toBe(2);
		// The one message that arrived came over the second connection.
		expect(s.messages).toHaveLength(1);
		expect(firstConnection).toContain(command);
		expect(firstConnection).not.toContain('Zahlungserinnerung');
	});

	test('a server that does it on every connection: the run stops as an outage, the reminders notSent (tried again next run), nothing uploaded', async () => {
		const s = await rawServer(mixedAt('RCPT TO', '250-2.1.5 Ok\r\n550 5.1.1 no such user', true, Infinity));
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), await jobs(2), fast);
		// Before the fix: both sent.
		expect(statuses(run)).toEqual([
			['notSent', 'runStopped'],
			['notSent', 'runStopped'],
		]);
		expect(run.deliveries[0].stopKind).toBe('connectionLost');
		expect(run.stopped?.message).toMatch(/answered RCPT TO with one reply of mixed codes \(250, 550\).*RFC 5321/);
		expect(run.connections).toBe(2);
		expect(s.messages).toHaveLength(0);
	});
});

describe('a reply that echoes the password where it is cut for the item', () => {
	/** A reply of MAX_REPLY_CHARS + 10 whose cut leaves the first 5 characters of the password: too few for redact.ts to know them. */
	const password = auth.method === 'password' ? auth.password : '';
	const echo = `${'x'.repeat(MAX_REPLY_CHARS - 4 - 5)}${password}`;

	/** Whether `text` shows the password, or any beginning of it where the text was cut ("…"). */
	function showsPassword(text: string): boolean {
		const body = text.replace(/…$/, '');
		return text.includes(password) || Array.from(password, (_, i) => password.slice(0, i + 1)).some((start) => body.endsWith(start));
	}

	test('in the 250 to the data: not one character of it in smtpResponse', async () => {
		const s = await rawServer({
			onMessage: (_data, conn) => {
				conn.reply(`250 ${echo}`);
				return true;
			},
		});
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), await jobs(1), fast);
		const [sent] = run.deliveries;
		expect(sent).toMatchObject({ status: 'sent', smtpCode: 250 });
		// Before the fix: "…xxxxSetup…" (cut first, redacted second).
		expect(showsPassword(sent.smtpResponse!)).toBe(false);
		expect(sent.smtpResponse!.length).toBeLessThanOrEqual(MAX_REPLY_CHARS + 1);
		expect(sent.smtpResponse).toMatch(/^250 x+\[reda…$/);
	});

	test('in a reply to the data of mixed codes: not in smtpResponse', async () => {
		const s = await rawServer({
			onMessage: (_data, conn) => {
				conn.reply(`250-${echo}\r\n550 5.7.1 Rejected`);
				return true;
			},
		});
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), await jobs(1), fast);
		const [unknown] = run.deliveries;
		expect(unknown).toMatchObject({ status: 'deferred', reason: 'outcomeUnknown' });
		expect(showsPassword(unknown.smtpResponse!)).toBe(false);
		expect(unknown.smtpResponse).toMatch(/^250-x+\[reda…$/);
	});

	test('in the refusal of one of two addresses while the other took the message: not in the warning', async () => {
		const s = await rawServer({
			onLine: (line, conn) => {
				if (line !== 'RCPT TO:<c1@example.org>') return;
				conn.reply(`550 ${echo}`);
				return true;
			},
		});
		const message = await buildReminderMessage({
			sender: { address: 'shop@example.com' },
			to: [{ address: 'c1@example.org' }, { address: 'c2@example.org' }],
			subject: 'Zahlungserinnerung R-1',
			text: 'Text 1',
			invoiceId: 'inv-1',
			level: 1,
			runId: 'run-setup-faults',
		});
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), [{ key: 0, message }], fast);
		const [sent] = run.deliveries;
		expect(sent).toMatchObject({ status: 'sent', refusedRecipients: ['c1@example.org'] });
		const refusal = /c1@example\.org \((550 [^)]*)\)/.exec(sent.warning ?? '')?.[1];
		expect(refusal).toMatch(/^550 x+\[reda…$/);
		expect(showsPassword(refusal!)).toBe(false);
	});
});

describe('a reply that comes in the middle of the upload, before the end-of-data marker left', () => {
	// What nodemailer takes as the answer to the data, and the path each takes in smtp-session.ts.
	test.each([
		['of mixed codes, "550-" then "250" (a refusal to nodemailer)', '550-5.7.1 Rejected\r\n250 2.0.0 Ok'],
		['of mixed codes, "250-" then "550" (a success to nodemailer)', '250-2.0.0 Ok\r\n550 5.7.1 Rejected'],
		['a second 354 (the replies fell out of step)', '354 Go ahead'],
	])('%s: the server cannot have the whole message, so it is sent again on a new connection', async (_name, premature) => {
		// Answered now, and nothing more is read, so that the rest of the message, marker included,
		// stays on our side (far more than the socket buffers hold).
		const s = await serverActingMidUpload((conn) => {
			conn.reply(premature);
			conn.reset(1_000);
		});
		const [job] = await jobs(1, () => 'Sehr geehrte Damen und Herren,\n'.repeat(320_000));
		const run = await runSendJobs(smtpConnector(mailServer(s, 'none', 2_000), auth, { replyTimeoutMs: 2_000 }), [job], fast);
		// Before: deferred / outcomeUnknown, as if the server had the whole message.
		expect(run.deliveries[0]).toMatchObject({ status: 'sent', attempts: 2 });
		expect(run.connections).toBe(2);
		expect(s.messages).toHaveLength(1);
	});
});
