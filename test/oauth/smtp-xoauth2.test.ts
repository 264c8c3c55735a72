/**
 * lib/mail's SMTP session and the OAuth2 flow against a real SMTP server that validates XOAUTH2
 * tokens with a real (loopback) OAuth2 server. The refresh here is a plain RFC 6749 refresh
 * request, as n8n makes it; the n8n-side refresh is covered in engine-oauth2.test.ts.
 */

import { buildPlainMessage } from '../../lib/mail/message';
import { connectWithOAuth2, OAuth2ReconnectError, OAuth2TokenSession } from '../../lib/mail/oauth2';
import { oauth2SmtpConnector } from '../../lib/mail/oauth2-smtp';
import { runSendJobs, type SendJob } from '../../lib/mail/send-run';
import type { MailServer } from '../../lib/mail/server';
import { openSmtpSession, SmtpCancelledError, SmtpConnectError, verifySmtp, type SmtpSession } from '../../lib/mail/smtp-session';

import { SANDBOX } from '../servers/sandbox';
import { OAuth2TestServer } from './token-server';
import { startXOAuth2SmtpServer, type XOAuth2SmtpServer } from './xoauth2-smtp-server';

const USER = 'shop@example.test';
const RAW = Buffer.from('From: shop@example.test\r\nTo: c@example.org\r\nSubject: hi\r\n\r\nhello\r\n');

let tokens: OAuth2TestServer;
let smtp: XOAuth2SmtpServer;
let server: MailServer;

/** A plain RFC 6749 refresh; the answer's token data as n8n hands it back (with `expires_in`). */
async function refreshToken(refresh: string): Promise<{ access_token: string; expires_in?: number }> {
	const res = await fetch(tokens.tokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'refresh_token',
			refresh_token: refresh,
			client_id: tokens.clientId,
			client_secret: tokens.clientSecret,
		}).toString(),
	});
	const body = (await res.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
	if (!res.ok) throw Object.assign(new Error(`token endpoint: ${body.error}${body.error_description ? ` (${body.error_description})` : ''}`), { status: res.status });
	return { access_token: body.access_token!, expires_in: body.expires_in };
}

beforeAll(async () => {
	tokens = await new OAuth2TestServer().start();
	smtp = await startXOAuth2SmtpServer({ introspectionUrl: `${tokens.url}/introspect`, security: 'starttls' });
	server = { host: '127.0.0.1', port: smtp.port, security: 'starttls', allowSelfSigned: true, timeoutMs: 5000 };
});

afterAll(async () => {
	await smtp.close();
	await tokens.stop();
});

/** Per connection: whether its sign-in ended accepted. */
function connections(): boolean[] {
	const byConnection = new Map<string, boolean>();
	for (const login of smtp.logins) byConnection.set(login.connection, login.ok);
	return [...byConnection.values()];
}

beforeEach(() => {
	smtp.logins.length = 0;
	smtp.received.length = 0;
});

async function sendWithFlow(tokenData: Record<string, unknown>) {
	const result = await connectWithOAuth2<SmtpSession>({
		mailbox: USER,
		credentialLabel: '"Shop"',
		tokenData,
		connect: (accessToken) => openSmtpSession(server, { method: 'oauth2', user: USER, accessToken }),
		refresh: () => refreshToken(String(tokenData.refresh_token)),
	});
	try {
		await result.value.send({ envelope: { from: USER, to: ['c@example.org'] }, raw: RAW });
	} finally {
		result.value.close();
	}
	return result;
}

it('signs in with a valid token over STARTTLS and sends', async () => {
	const t = tokens.issue(USER);
	const result = await sendWithFlow(tokens.tokenData(t));
	expect(result.refreshed).toBe(false);
	expect(smtp.logins.map((l) => [l.user, l.ok])).toEqual([[USER, true]]);
	expect(smtp.received).toHaveLength(1);
	expect(smtp.received[0].user).toBe(USER);
});

it('a token the server finds expired is refused (535), refreshed once, and the retry sends', async () => {
	const t = tokens.issue(USER);
	tokens.expire(t.accessToken);
	// No expiry recorded: only the server's refusal tells us.
	const result = await sendWithFlow(tokens.tokenData(t, { withExpiry: false }));
	expect(result).toMatchObject({ refreshed: true, refreshReason: 'rejected' });
	expect(connections()).toEqual([false, true]);
	// One AUTH per connection: the refused token is not sent a second time on the same connection.
	expect(smtp.logins.map((l) => l.ok)).toEqual([false, true]);
	expect(smtp.received).toHaveLength(1);
});

it('a token recorded as expired is refreshed before signing in: one login only', async () => {
	const t = tokens.issue(USER, -10);
	const result = await sendWithFlow(tokens.tokenData(t));
	expect(result).toMatchObject({ refreshed: true, refreshReason: 'expired' });
	expect(smtp.logins.map((l) => l.ok)).toEqual([true]);
	expect(smtp.received).toHaveLength(1);
});

it('revoked access: stops with "reconnect the credential", one connection, nothing sent', async () => {
	const t = tokens.issue(USER);
	tokens.revokeUser(USER);
	const error = (await sendWithFlow(tokens.tokenData(t)).catch((e: unknown) => e)) as OAuth2ReconnectError;
	expect(error).toBeInstanceOf(OAuth2ReconnectError);
	expect(error.message).toMatch(/could not be refreshed.*Reconnect the credential "Shop"/s);
	expect(error.detail).toMatch(/invalid_grant/);
	expect(`${error.message} ${error.detail}`).not.toContain(t.accessToken);
	expect(`${error.message} ${error.detail}`).not.toContain(t.refreshToken);
	// One connection tried the token, with one AUTH; the refresh failed, so no second connection was made.
	expect(connections()).toEqual([false]);
	expect(smtp.logins).toHaveLength(1);
	expect(smtp.received).toHaveLength(0);
});

it("a token for another mailbox is refused: lib/mail's verifySmtp reports an auth failure", async () => {
	const t = tokens.issue('other@example.test');
	const failure = await verifySmtp(server, { method: 'oauth2', user: USER, accessToken: t.accessToken });
	expect(failure?.kind).toBe('auth');
	// The server's own final answer is kept, and it took exactly one AUTH to get it.
	expect(failure?.code).toBe(535);
	expect(smtp.logins.map((l) => l.ok)).toEqual([false]);
	expect(failure?.message).not.toContain(t.accessToken);
});

describe("lib/mail's sending loop with the OAuth2 connector (one refresh per run, shared by re-connections)", () => {
	async function jobs(n: number): Promise<SendJob[]> {
		return await Promise.all(
			Array.from({ length: n }, async (_, i) => ({
				key: i,
				message: await buildPlainMessage({ sender: { address: USER }, to: `c${i}@example.org`, subject: `m${i}`, text: 'x' }),
			})),
		);
	}

	function tokenSession(tokenData: Record<string, unknown>) {
		let refreshes = 0;
		const session = new OAuth2TokenSession({
			mailbox: USER,
			credentialLabel: '"Shop"',
			tokenData,
			refresh: async () => {
				refreshes++;
				return await refreshToken(String(tokenData.refresh_token));
			},
		});
		return { session, refreshes: () => refreshes };
	}

	it('expired token: refreshed once, then every message is sent on one connection', async () => {
		const t = tokens.issue(USER, -5);
		const { session, refreshes } = tokenSession(tokens.tokenData(t));
		const result = await runSendJobs(oauth2SmtpConnector(server, USER, session), await jobs(3), { minSecondsBetween: 0 });
		expect(result.stopped).toBeNull();
		expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'sent']);
		expect(refreshes()).toBe(1);
		expect(session.refreshed).toBe(true);
		expect(smtp.received).toHaveLength(3);
	});

	it('the token endpoint unreachable: the run stops as authUnavailable (the mailbox is not paused), no login tried', async () => {
		const t = tokens.issue(USER, -5);
		// A port nothing listens on: fetch fails with ECONNREFUSED as its cause.
		const closed = SANDBOX.closedPort;
		const session = new OAuth2TokenSession({
			mailbox: USER,
			credentialLabel: '"Shop"',
			tokenData: tokens.tokenData(t),
			refresh: async () => {
				await fetch(`http://127.0.0.1:${closed}/token`, { method: 'POST' });
				return 'never';
			},
		});
		const result = await runSendJobs(oauth2SmtpConnector(server, USER, session), await jobs(2), { minSecondsBetween: 0 });
		expect(result.stopped?.kind).toBe('authUnavailable');
		expect(result.stopped?.message).toMatch(/could not be reached to refresh .*the next run tries again/);
		expect(result.deliveries.map((d) => [d.status, d.stopKind])).toEqual([
			['notSent', 'authUnavailable'],
			['notSent', 'authUnavailable'],
		]);
		expect(smtp.logins).toHaveLength(0);
	});

	it('revoked: the run stops as for a refused password — every item notSent, the error says reconnect', async () => {
		const t = tokens.issue(USER);
		tokens.revokeUser(USER);
		const { session } = tokenSession(tokens.tokenData(t));
		const result = await runSendJobs(oauth2SmtpConnector(server, USER, session), await jobs(2), { minSecondsBetween: 0 });
		expect(result.stopped?.kind).toBe('auth');
		expect(result.stopped?.message).toMatch(/Reconnect the credential "Shop".*invalid_grant/s);
		expect(result.deliveries.map((d) => [d.status, d.reason])).toEqual([
			['notSent', 'runStopped'],
			['notSent', 'runStopped'],
		]);
		expect(result.connections).toBe(1);
		expect(smtp.logins.map((l) => l.ok)).toEqual([false]);
		expect(JSON.stringify(result)).not.toContain(t.accessToken);
		expect(smtp.received).toHaveLength(0);
	});

	it('a second connection of the run reuses the token that worked, and a refusal after the one refresh stops at once', async () => {
		const t = tokens.issue(USER);
		const { session, refreshes } = tokenSession(tokens.tokenData(t, { withExpiry: false }));
		const connector = oauth2SmtpConnector(server, USER, session);
		(await connector.connect()).close();
		(await connector.connect()).close();
		expect(refreshes()).toBe(0);
		expect(smtp.logins.map((l) => l.ok)).toEqual([true, true]);

		tokens.expire(t.accessToken);
		(await connector.connect()).close(); // refused → the run's one refresh → accepted
		expect(refreshes()).toBe(1);
		tokens.expire(session.accessToken!);
		const error = await connector.connect().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SmtpConnectError);
		expect((error as SmtpConnectError).failure.kind).toBe('auth');
		// The token was refreshed on an earlier connection: "freshly refreshed" would not be true.
		expect((error as Error).message).toMatch(/refused the OAuth2 sign-in with the access token refreshed earlier in this run\. Reconnect/);
		// The server's refusal, without the password advice of a password login (there is none).
		expect((error as Error).message).toMatch(/Authentication failed for user/);
		expect((error as Error).message).not.toMatch(/wrong password|app password/);
		expect(refreshes()).toBe(1);
		// Every connection signed in with a single AUTH, refused or not.
		expect(smtp.logins.map((l) => l.ok)).toEqual([true, true, false, true, false]);
		expect(new Set(smtp.logins.map((l) => l.connection)).size).toBe(5);
	});

	it('cancelling the execution while the connector connects: SmtpCancelledError, no session, no login', async () => {
		const { session } = tokenSession(tokens.tokenData(tokens.issue(USER)));
		const cancel = new AbortController();
		const connecting = oauth2SmtpConnector(server, USER, session).connect(cancel.signal);
		cancel.abort();
		const outcome = await connecting.catch((e: unknown) => e);
		// Before the fix the signal never reached the session: it connected and signed in.
		if (!(outcome instanceof Error)) (outcome as SmtpSession).close();
		expect(outcome).toBeInstanceOf(SmtpCancelledError);
		expect(smtp.logins).toHaveLength(0);
	});

	describe('a run longer than the token lives (the clock moved on, for the servers too)', () => {
		let offset = 0;
		beforeEach(() => {
			offset = 0;
			const real = Date.now.bind(Date);
			jest.spyOn(Date, 'now').mockImplementation(() => real() + offset);
		});
		afterEach(() => jest.restoreAllMocks());

		it('the refreshed token expires mid-run: the reconnect refreshes it again instead of trying the dead one, and sends', async () => {
			const t = tokens.issue(USER, -5);
			const { session, refreshes } = tokenSession(tokens.tokenData(t));
			const connector = oauth2SmtpConnector(server, USER, session);
			const first = await runSendJobs(connector, await jobs(1), { minSecondsBetween: 0 });
			expect(first.deliveries.map((d) => d.status)).toEqual(['sent']);
			expect(refreshes()).toBe(1);

			offset = 2 * 3_600_000;
			const later = await runSendJobs(connector, await jobs(2), { minSecondsBetween: 0 });
			expect(later.stopped).toBeNull();
			expect(later.deliveries.map((d) => d.status)).toEqual(['sent', 'sent']);
			expect(refreshes()).toBe(2);
			// No login with the expired token: each connection signed in once, and was accepted.
			expect(smtp.logins.map((l) => l.ok)).toEqual([true, true]);
			expect(smtp.received).toHaveLength(3);
		});

		it('a token endpoint that quotes the request in its error: the run stops, and its message holds no form of the refresh token', async () => {
			const t = tokens.issue(USER, 3600, 'rt+Zm9v/YmFy==');
			const session = new OAuth2TokenSession({
				mailbox: USER,
				credentialLabel: '"Shop"',
				tokenData: tokens.tokenData(t),
				otherSecrets: [tokens.clientSecret],
				refresh: async () => await refreshToken(t.refreshToken),
			});
			const connector = oauth2SmtpConnector(server, USER, session);
			(await connector.connect()).close();
			tokens.refreshAnswer = (body) => ({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'invalid_request', error_description: `malformed: ${body}` }) });
			try {
				offset = 2 * 3_600_000; // the token has expired: the run refreshes it, and the endpoint answers with the echo
				const stop = (await connector.connect().catch((e: unknown) => e)) as SmtpConnectError;
				expect(stop).toBeInstanceOf(SmtpConnectError);
				expect(stop.failure.kind).toBe('auth');
				expect(stop.message).toMatch(/could not be refreshed.*\(token endpoint: invalid_request \(malformed: .*refresh_token=\[redacted\]/s);
				expect(stop.message).toMatch(/client_secret=\[redacted\]/);
				for (const form of [t.refreshToken, encodeURIComponent(t.refreshToken), 'Zm9v', tokens.clientSecret]) expect(JSON.stringify(stop.failure)).not.toContain(form);
			} finally {
				tokens.refreshAnswer = undefined;
			}
		});
	});
});
