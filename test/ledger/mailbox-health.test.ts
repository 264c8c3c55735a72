import { pausedError, readHealth, recordSenderEvents, resumeStep, statusProblem, type SenderEvent } from '../../lib/ledger/mailbox-health';

const H = 3_600_000;
const T0 = Date.parse('2026-11-23T08:00:00Z');
const NOW = '2026-11-23T12:00:00.000Z';
const blocked = (at: number): SenderEvent & { kind: 'senderRejected' } => ({ kind: 'senderRejected', at, reason: 'blocked', status: '5.7.1', diagnostic: 'listed at zen.spamhaus.org', remoteMta: 'mx.customer.example' });

describe('mailbox health', () => {
	it('reads a missing row, an empty row and an odd row as ok', () => {
		expect(readHealth('default', undefined)).toEqual({ mailbox: 'default', status: 'ok', statusReason: '', statusMessage: '', statusSince: '', senderRejections: 0, recentRejections: '[]' });
		expect(readHealth('m', { status: 'OK', senderRejections: '2', recentRejections: 'not json' })).toMatchObject({ status: 'ok', senderRejections: 2, recentRejections: '[]' });
		expect(readHealth('m', { status: ' Paused ', statusMessage: 'x', recentRejections: '[1,"a",2]' })).toMatchObject({ status: 'paused', statusMessage: 'x', recentRejections: '[1,2]' });
	});

	it('reads a status other than ok, empty or paused ("pause", "stopped", true, 1 …) as paused, not silently as ok, naming the field, the value and what is expected', () => {
		for (const status of ['pause', 'stopped', 'gesperrt', 'disabled', 'okay', 'ok.', true, false, 1, 0, { paused: true }]) {
			const row = { mailbox: 'm', status, statusReason: 'login', statusMessage: 'Paused by hand', statusSince: '2026-11-23T09:00:00.000Z', senderRejections: 2 };
			const message = statusProblem('m', row);
			expect(message).toBe(
				`Sending from mailbox "m" is stopped: the field "status" of its row in dunning_mailboxes is ${JSON.stringify(status)}, which is neither "ok" nor "paused", so it is read as paused. Set status to "paused" to keep the mailbox paused, or to "ok" to resume sending.`,
			);
			const h = readHealth('m', row);
			// Its own words, not the row's message: they say what to set. The last pause's cause is kept.
			expect(h).toMatchObject({ status: 'paused', statusReason: 'login', statusMessage: message, senderRejections: 2 });
			expect(pausedError(h)).toBe(message);
		}
		// The values that say what they mean: no problem, read as before.
		for (const status of ['ok', ' OK ', '', '  ', null, undefined]) {
			expect(statusProblem('m', { status })).toBeNull();
			expect(readHealth('m', { status, statusMessage: 'old' })).toMatchObject({ status: 'ok', statusMessage: '' });
		}
		for (const status of ['paused', ' PAUSED ']) {
			expect(statusProblem('m', { status })).toBeNull();
			expect(readHealth('m', { status, statusMessage: 'x' })).toMatchObject({ status: 'paused', statusMessage: 'x' });
		}
		expect(statusProblem('m', null)).toBeNull();
		// Cut as every message of the package cuts a value (showValue): 60 characters with "...".
		expect(statusProblem('m', { status: 'x'.repeat(500) })).toContain(`is "${'x'.repeat(56)}..., which`);
	});

	it('a row with a status of its own words counts refusals on, as a paused mailbox does (the total; no pause now)', () => {
		const row = readHealth('m', { mailbox: 'm', status: 'gesperrt', senderRejections: 1, recentRejections: '[]' });
		const r = recordSenderEvents(row, [blocked(T0), { ...blocked(T0 + 1), recipient: 'b@kunde.example' }, { ...blocked(T0 + 2), recipient: 'c@kunde.example' }], NOW);
		expect(r).toMatchObject({ pausedNow: false, health: { status: 'paused', senderRejections: 4, recentRejections: '[]' } });
		expect(r.health.statusMessage).toBe(statusProblem('m', { status: 'gesperrt' }));
	});

	it('reads a resumed row with the last pause\'s cause in statusReason, but no message: only status says paused', () => {
		const row = { mailbox: 'm', status: 'ok', statusReason: 'login', statusMessage: 'Sending from mailbox "m" is paused: …', statusSince: '2026-11-23T09:00:00.000Z' };
		const h = readHealth('m', row);
		expect(h).toMatchObject({ status: 'ok', statusReason: 'login', statusMessage: '', statusSince: '2026-11-23T09:00:00.000Z' });
		expect(pausedError(h)).toBeNull();
		expect(readHealth('m', { ...row, status: '' })).toMatchObject({ status: 'ok', statusReason: 'login', statusMessage: '' });
		expect(readHealth('m', { ...row, statusReason: 7 }).statusReason).toBe('');
	});

	it('pauses at the third refusal within 24 h, naming cause, fix and the resume step', () => {
		const start = readHealth('default', null);
		const two = recordSenderEvents(start, [blocked(T0), blocked(T0 + H)], NOW);
		expect(two).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 2 } });
		expect(JSON.parse(two.health.recentRejections)).toEqual([T0, T0 + H]);
		const three = recordSenderEvents(two.health, [blocked(T0 + 2 * H)], NOW);
		expect(three.pausedNow).toBe(true);
		expect(three.health).toMatchObject({ status: 'paused', statusReason: 'blocklist', statusSince: NOW, senderRejections: 3, recentRejections: '[]' });
		expect(three.health.statusMessage).toBe(
			'Sending from mailbox "default" is paused: reminders were refused by mx.customer.example because of a block of the sending server (blocklist) (5.7.1) (refused for 3 recipients within 24 h). ' +
				`Fix: ${'look the sending IP up on the blocklists the refusal names (e.g. Spamhaus), ask your mail provider to have it delisted, or send through your provider\'s own submission server'}. ${resumeStep('default')}`,
		);
		expect(pausedError(three.health)).toBe(three.health.statusMessage);
		expect(pausedError(two.health)).toBeNull();
	});

	it('counts only refusals inside the window', () => {
		const r = recordSenderEvents(readHealth('m', null), [blocked(T0), blocked(T0 + 25 * H), blocked(T0 + 26 * H)], NOW);
		expect(r.health.status).toBe('ok');
		expect(JSON.parse(r.health.recentRejections)).toEqual([T0 + 25 * H, T0 + 26 * H]);
		expect(recordSenderEvents(readHealth('m', null), [blocked(T0 + 2.5 * H), blocked(T0 + 3 * H)], NOW, { rejectionsToPause: 2, windowHours: 2 }).pausedNow).toBe(true);
		expect(recordSenderEvents(readHealth('m', null), [blocked(T0 + H), blocked(T0 + 3.5 * H)], NOW, { rejectionsToPause: 2, windowHours: 2 }).pausedNow).toBe(false);
	});

	it('counts refusals by when they arrived: reports read late are no burst, and one older than the window pauses nothing', () => {
		const D = 24 * H;
		const now = new Date(T0 + 7 * D).toISOString();
		// Three refusals a few days apart, read in one run after bounce processing was off for a week.
		const spread = recordSenderEvents(readHealth('m', null), [blocked(T0), blocked(T0 + 3 * D), blocked(T0 + 6 * D)], now);
		expect(spread).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 3 } });
		// Even three within 24 h of each other, a week ago: counted in the total, the cause may long be fixed.
		const old = recordSenderEvents(readHealth('m', null), [blocked(T0), blocked(T0 + H), blocked(T0 + 2 * H)], now);
		expect(old).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 3, recentRejections: '[]' } });
		expect(recordSenderEvents(readHealth('m', null), [{ kind: 'senderRejected', at: T0, reason: 'authfailure', status: '5.7.26', diagnostic: 'DMARC' }], now).pausedNow).toBe(false);
	});

	it('pauses for refusals of different recipients, not for one customer whose server refuses every reminder to them', () => {
		const to = (recipient: string, at: number): SenderEvent => ({ ...blocked(at), reason: 'mesgtoobig', status: '5.3.4', diagnostic: 'message too big', recipient });
		const one = recordSenderEvents(readHealth('m', null), [to('buchhaltung@kunde.example', T0), to('Buchhaltung@Kunde.example', T0 + 1), to('buchhaltung@kunde.example', T0 + 2)], NOW);
		expect(one).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 3 } });
		// The row keeps a digest of whom each refusal was for, not the address.
		expect(one.health.recentRejections).not.toContain('kunde');
		expect(readHealth('m', { recentRejections: one.health.recentRejections }).recentRejections).toBe(one.health.recentRejections);
		const third = recordSenderEvents(one.health, [to('a@other.example', T0 + 3), to('b@third.example', T0 + 4)], NOW);
		expect(third.health).toMatchObject({ status: 'paused', statusReason: 'size' });
		expect(third.health.statusMessage).toContain('(refused for 3 recipients within 24 h)');
		// Older rows hold bare times: each counts as its own recipient.
		expect(recordSenderEvents(readHealth('m', { recentRejections: JSON.stringify([T0, T0 + 1]) }), [to('x@kunde.example', T0 + 2)], NOW).pausedNow).toBe(true);
	});

	it('pauses at the first DMARC refusal', () => {
		const r = recordSenderEvents(readHealth('m', null), [{ kind: 'senderRejected', at: T0, reason: 'authfailure', status: '5.7.26', diagnostic: 'rejected due to DMARC policy', remoteMta: null }], NOW);
		expect(r).toMatchObject({ pausedNow: true, health: { status: 'paused', statusReason: 'dmarc' } });
		expect(r.health.statusMessage).toMatch(/^Sending from mailbox "m" is paused: reminders were refused because of DMARC \(5\.7\.26\)\. Fix: add the SMTP host to the domain's SPF record/);
	});

	it('pauses on a refused login or a TLS failure while sending, not on a passing outage', () => {
		const login = recordSenderEvents(readHealth('m', null), [{ kind: 'sendStopped', at: T0, failure: 'auth', message: 'Login refused (535 5.7.8 Authentication failed).' }], NOW);
		expect(login.health).toMatchObject({ status: 'paused', statusReason: 'login', senderRejections: 0 });
		expect(login.health.statusMessage).toMatch(/^Sending from mailbox "m" is paused: Login refused \(535 5\.7\.8 Authentication failed\)\. Fix: check user and password/);
		expect(recordSenderEvents(readHealth('m', null), [{ kind: 'sendStopped', at: T0, failure: 'tls', message: 'TLS failed' }], NOW).health.statusReason).toBe('tls');
		for (const failure of ['connect', 'dns', 'connectionLost', 'cancelled', 'authUnavailable']) {
			expect(recordSenderEvents(readHealth('m', null), [{ kind: 'sendStopped', at: T0, failure, message: 'down' }], NOW).pausedNow).toBe(false);
		}
	});

	it('stays paused with its first cause until the operator resumes; after a resume the count starts afresh', () => {
		const paused = recordSenderEvents(readHealth('m', null), [blocked(T0), blocked(T0 + 1), blocked(T0 + 2)], NOW).health;
		const more = recordSenderEvents(paused, [{ kind: 'senderRejected', at: T0 + 3, reason: 'authfailure', status: '5.7.26', diagnostic: 'DMARC' }], '2026-11-24T00:00:00Z');
		expect(more).toMatchObject({ pausedNow: false, health: { status: 'paused', statusReason: 'blocklist', statusSince: NOW, senderRejections: 4 } });
		// The operator writes "ok" into the row.
		const resumed = readHealth('m', { ...more.health, status: 'ok' });
		expect(resumed).toMatchObject({ status: 'ok', statusMessage: '', senderRejections: 4 });
		expect(recordSenderEvents(resumed, [blocked(T0 + 4)], NOW).health.status).toBe('ok');
	});

	describe('after a resume, a refusal of a reminder sent (or reported) before the last pause began', () => {
		const SINCE = '2026-11-23T09:00:00.000Z';
		const PAUSE = Date.parse(SINCE);
		// Paused at 09:00, fixed, resumed by the operator: the row as it reads then. Its statusReason
		// names the last pause's cause; empty (an older row, or cleared by the operator) = unknown.
		const resumed = (statusSince = SINCE, statusReason = '') =>
			readHealth('m', { mailbox: 'm', status: 'ok', statusReason, statusMessage: '', statusSince, senderRejections: 1, recentRejections: '[]' });
		// A DMARC refusal that arrives at 11:00, of a reminder sent at `sentAt`.
		const dmarc = (sentAt: number | null | undefined, recipient = 'a@kunde.example'): SenderEvent => ({
			kind: 'senderRejected',
			at: T0 + 3 * H,
			...(sentAt === undefined ? {} : { sentAt }),
			recipient,
			reason: 'authfailure',
			status: '5.7.26',
			diagnostic: 'rejected due to DMARC policy',
			remoteMta: null,
		});

		it('adds to the total only: no pause, not in the window', () => {
			const r = recordSenderEvents(resumed(), [dmarc(PAUSE - H)], NOW);
			expect(r).toMatchObject({ pausedNow: false, health: { status: 'ok', statusSince: SINCE, senderRejections: 2, recentRejections: '[]' } });
			// Nor do three for different recipients, which would pause as a burst.
			const blockedBefore = ['a', 'b', 'c'].map((x, i): SenderEvent => ({ ...blocked(T0 + 3 * H + i), recipient: `${x}@kunde.example`, sentAt: PAUSE - 1 }));
			expect(recordSenderEvents(resumed(), blockedBefore, NOW)).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 4, recentRejections: '[]' } });
			// A report that arrived before the pause (read only after the resume) is of a reminder sent before it too.
			const arrivedBefore: SenderEvent = { ...dmarc(undefined), at: PAUSE - 1 };
			expect(recordSenderEvents(resumed(), [arrivedBefore], NOW)).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 2, recentRejections: '[]' } });
		});

		it('a reminder sent at or after the pause began, or of unknown send time, counts as before', () => {
			for (const sentAt of [PAUSE, PAUSE + H, null, undefined, Number.NaN]) {
				expect(recordSenderEvents(resumed(), [dmarc(sentAt)], NOW)).toMatchObject({ pausedNow: true, health: { status: 'paused', statusReason: 'dmarc', statusSince: NOW, senderRejections: 2 } });
			}
			// Sent before the pause and after it, in one run: the later one still pauses.
			expect(recordSenderEvents(resumed(), [dmarc(PAUSE - H), dmarc(PAUSE + H, 'b@kunde.example')], NOW)).toMatchObject({ pausedNow: true, health: { senderRejections: 3 } });
		});

		it('a mailbox never paused, or whose pause start is unreadable or in the future, counts it as before', () => {
			for (const statusSince of ['', 'yesterday', '2026-11-24T09:00:00.000Z']) {
				expect(recordSenderEvents(resumed(statusSince), [dmarc(PAUSE - H)], NOW).pausedNow).toBe(true);
			}
		});

		it('resumed after a login pause, a DMARC refusal (another cause, maybe unfixed) pauses at once with reason dmarc', () => {
			const r = recordSenderEvents(resumed(SINCE, 'login'), [dmarc(PAUSE - H)], NOW);
			expect(r).toMatchObject({ pausedNow: true, health: { status: 'paused', statusReason: 'dmarc', statusSince: NOW, senderRejections: 2, recentRejections: '[]' } });
			expect(r.health.statusMessage).toMatch(/^Sending from mailbox "m" is paused: reminders were refused because of DMARC \(5\.7\.26\)\. Fix: /);
			// So does one reported before the pause, and after a blocklist pause.
			expect(recordSenderEvents(resumed(SINCE, 'login'), [{ ...dmarc(undefined), at: PAUSE - 1 }], NOW).health).toMatchObject({ status: 'paused', statusReason: 'dmarc' });
			expect(recordSenderEvents(resumed(SINCE, 'blocklist'), [dmarc(PAUSE - H)], NOW).health).toMatchObject({ status: 'paused', statusReason: 'dmarc' });
			// Refusals of another cause that do not pause at once count in the window, towards the burst.
			const blockedBefore = ['a', 'b'].map((x, i): SenderEvent => ({ ...blocked(T0 + 3 * H + i), recipient: `${x}@kunde.example`, sentAt: PAUSE - 1 }));
			const two = recordSenderEvents(resumed(SINCE, 'dmarc'), blockedBefore, NOW);
			expect(two).toMatchObject({ pausedNow: false, health: { status: 'ok', statusReason: 'dmarc', senderRejections: 3 } });
			expect(JSON.parse(two.health.recentRejections)).toHaveLength(2);
		});

		it('resumed after a DMARC pause, a DMARC refusal still adds to the total only, and the row keeps the cause', () => {
			for (const statusReason of ['dmarc', ' DMARC ']) {
				const r = recordSenderEvents(resumed(SINCE, statusReason), [dmarc(PAUSE - H), { ...dmarc(undefined, 'b@kunde.example'), at: PAUSE - 1 }], NOW);
				expect(r).toMatchObject({ pausedNow: false, health: { status: 'ok', statusReason, statusMessage: '', statusSince: SINCE, senderRejections: 3, recentRejections: '[]' } });
			}
			// Three blocklist refusals of reminders sent before a blocklist pause: no burst either.
			const blockedBefore = ['a', 'b', 'c'].map((x, i): SenderEvent => ({ ...blocked(T0 + 3 * H + i), recipient: `${x}@kunde.example`, sentAt: PAUSE - 1 }));
			expect(recordSenderEvents(resumed(SINCE, 'blocklist'), blockedBefore, NOW)).toMatchObject({ pausedNow: false, health: { status: 'ok', statusReason: 'blocklist', recentRejections: '[]' } });
			// SPF, DKIM and DMARC are one problem with one fix: a pre-pause DMARC refusal after an SPF pause adds to the total only.
			for (const statusReason of ['spf', 'dkim', 'authentication']) {
				expect(recordSenderEvents(resumed(SINCE, statusReason), [dmarc(PAUSE - H)], NOW)).toMatchObject({ pausedNow: false, health: { status: 'ok', statusReason } });
			}
			// A DMARC refusal of a reminder sent after the pause began pauses as before.
			expect(recordSenderEvents(resumed(SINCE, 'dmarc'), [dmarc(PAUSE + H)], NOW)).toMatchObject({ pausedNow: true, health: { status: 'paused', statusReason: 'dmarc', statusSince: NOW } });
		});

		it('resumed with an empty statusReason (an older row, or cleared), any cause adds to the total only, as we cannot tell', () => {
			for (const statusReason of ['', '  ']) {
				expect(recordSenderEvents(resumed(SINCE, statusReason), [dmarc(PAUSE - H)], NOW)).toMatchObject({ pausedNow: false, health: { status: 'ok', senderRejections: 2, recentRejections: '[]' } });
			}
			const noCell = readHealth('m', { mailbox: 'm', status: 'ok', statusSince: SINCE, senderRejections: 1 });
			expect(recordSenderEvents(noCell, [dmarc(PAUSE - H)], NOW).pausedNow).toBe(false);
		});

		it('a paused mailbox counts it and stays paused with its first cause', () => {
			const paused = readHealth('m', { mailbox: 'm', status: 'paused', statusReason: 'blocklist', statusMessage: 'x', statusSince: SINCE, senderRejections: 3 });
			expect(recordSenderEvents(paused, [dmarc(PAUSE - H)], NOW)).toMatchObject({ pausedNow: false, health: { status: 'paused', statusReason: 'blocklist', statusSince: SINCE, senderRejections: 4 } });
		});
	});
});
