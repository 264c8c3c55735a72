import {
	accessTokenExpiresAt,
	connectWithOAuth2,
	isAccessTokenExpired,
	isMailAuthRejection,
	mailAuthFromOAuth2Credential,
	mailServerFromOAuth2Credential,
	OAuth2CancelledError,
	OAuth2NotConnectedError,
	OAuth2ReconnectError,
	OAuth2TokenSession,
	OAuth2UnavailableError,
	redactSecrets,
	senderAddressOf,
	type OAuth2MailboxCredentialData,
} from '../../lib/mail/oauth2';
import { buildPlainMessage } from '../../lib/mail/message';
import { oauth2SmtpConnector } from '../../lib/mail/oauth2-smtp';
import { runSendJobs } from '../../lib/mail/send-run';
import type { MailServer } from '../../lib/mail/server';
import { DunningGoogleOAuth2Api } from '../../credentials/DunningGoogleOAuth2Api.credentials';
import { DunningMicrosoftOAuth2Api } from '../../credentials/DunningMicrosoftOAuth2Api.credentials';
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	imapAuthenticationProperty,
	oauth2CredentialType,
	oauth2SentFolderWriter,
	providerFilesSentMail,
	skipsSentCopy,
	smtpAuthenticationProperty,
	toOAuth2MailboxData,
} from '../../nodes/shared/mailbox-auth';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

function jwt(payload: object): string {
	const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
	return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.sig`;
}

const base: OAuth2MailboxCredentialData = {
	email: 'shop@example.test',
	smtpHost: 'smtp.office365.com',
	smtpPort: 587,
	smtpSecurity: 'starttls',
	imapHost: 'outlook.office365.com',
	imapPort: 993,
	imapSecurity: 'tls',
	oauthTokenData: { access_token: 'at-1', refresh_token: 'rt-1' },
};

/** An error shaped like the one nodemailer raises for 535 after AUTH XOAUTH2. */
const smtpAuthError = () => Object.assign(new Error('Invalid login: 535 5.7.3 Authentication unsuccessful'), { code: 'EAUTH', responseCode: 535 });

describe('token expiry', () => {
	it('reads n8n_expires_at first', () => {
		expect(accessTokenExpiresAt({ n8n_expires_at: String(NOW + 5000), expires_in: 3600 })).toBe(NOW + 5000);
	});

	it('counts expires_in from an issue time in seconds or milliseconds', () => {
		expect(accessTokenExpiresAt({ expires_in: 3600, issued_at: NOW / 1000 })).toBe(NOW + 3_600_000);
		expect(accessTokenExpiresAt({ expires_in: '60', created_at: NOW })).toBe(NOW + 60_000);
	});

	it("falls back to a JWT access token's exp, and to unknown", () => {
		expect(accessTokenExpiresAt({ access_token: jwt({ exp: NOW / 1000 + 10 }) })).toBe(NOW + 10_000);
		expect(accessTokenExpiresAt({ access_token: 'opaque', expires_in: 3600 })).toBeUndefined();
		expect(accessTokenExpiresAt({ access_token: 'a.b.c' })).toBeUndefined();
	});

	it('treats a token as expired within the margin, and an unknown expiry as valid', () => {
		expect(isAccessTokenExpired({ n8n_expires_at: NOW + 30_000 }, NOW)).toBe(true);
		expect(isAccessTokenExpired({ n8n_expires_at: NOW + 120_000 }, NOW)).toBe(false);
		expect(isAccessTokenExpired({ n8n_expires_at: NOW + 30_000 }, NOW, 0)).toBe(false);
		expect(isAccessTokenExpired({ access_token: 'opaque' }, NOW)).toBe(false);
		expect(isAccessTokenExpired(undefined, NOW)).toBe(false);
	});
});

describe('credential data → server and login', () => {
	it('maps the mailbox and token to an oauth2 MailAuth', () => {
		expect(mailAuthFromOAuth2Credential(base)).toEqual({ method: 'oauth2', user: 'shop@example.test', accessToken: 'at-1' });
	});

	it('says "not connected" when there is no token and names a missing mailbox address', () => {
		expect(() => mailAuthFromOAuth2Credential({ ...base, oauthTokenData: undefined })).toThrow(OAuth2NotConnectedError);
		expect(() => mailAuthFromOAuth2Credential({ ...base, oauthTokenData: undefined })).toThrow(/Connect my account/);
		expect(() => mailAuthFromOAuth2Credential({ ...base, email: ' ' })).toThrow(/Mailbox Address/);
	});

	it('uses the presets, the usual port when the port is 0, and the user flag for certificates', () => {
		expect(mailServerFromOAuth2Credential(base, 'smtp')).toEqual({
			host: 'smtp.office365.com',
			port: 587,
			security: 'starttls',
			allowSelfSigned: false,
		});
		expect(mailServerFromOAuth2Credential({ ...base, imapPort: 0, allowSelfSigned: true }, 'imap', 5000)).toEqual({
			host: 'outlook.office365.com',
			port: 993,
			security: 'tls',
			allowSelfSigned: true,
			timeoutMs: 5000,
		});
		expect(() => mailServerFromOAuth2Credential({ ...base, smtpHost: '' }, 'smtp')).toThrow(/SMTP host/);
	});

	it('sends as the "send as" address when one is set', () => {
		expect(senderAddressOf(base)).toBe('shop@example.test');
		expect(senderAddressOf({ ...base, sendAs: ' collections@example.test ' })).toBe('collections@example.test');
	});
});

describe('connectWithOAuth2: use, refresh once, retry, else reconnect', () => {
	function harness(options: { rejectTokens?: string[]; refreshTo?: string | Error; tokenData?: OAuth2MailboxCredentialData['oauthTokenData'] }) {
		const attempts: string[] = [];
		let refreshes = 0;
		const run = () =>
			connectWithOAuth2({
				mailbox: 'shop@example.test',
				credentialLabel: '"Shop" (Microsoft 365)',
				tokenData: options.tokenData ?? { access_token: 'at-1', refresh_token: 'rt-1' },
				now: () => NOW,
				connect: async (token) => {
					attempts.push(token);
					if (options.rejectTokens?.includes(token)) throw smtpAuthError();
					return `connected with ${token}`;
				},
				refresh: async () => {
					refreshes++;
					if (options.refreshTo instanceof Error) throw options.refreshTo;
					return options.refreshTo ?? 'at-2';
				},
			});
		return { run, attempts, refreshes: () => refreshes };
	}

	it('uses a valid token as it is', async () => {
		const h = harness({});
		await expect(h.run()).resolves.toMatchObject({ value: 'connected with at-1', refreshed: false, accessToken: 'at-1' });
		expect(h.attempts).toEqual(['at-1']);
		expect(h.refreshes()).toBe(0);
	});

	it('refreshes a token known to be expired before the first sign-in', async () => {
		const h = harness({ tokenData: { access_token: 'at-1', refresh_token: 'rt-1', n8n_expires_at: NOW - 1 } });
		await expect(h.run()).resolves.toMatchObject({ value: 'connected with at-2', refreshed: true, refreshReason: 'expired' });
		expect(h.attempts).toEqual(['at-2']);
		expect(h.refreshes()).toBe(1);
	});

	it('refreshes once after the server refuses the token and retries', async () => {
		const h = harness({ rejectTokens: ['at-1'] });
		await expect(h.run()).resolves.toMatchObject({ value: 'connected with at-2', refreshed: true, refreshReason: 'rejected' });
		expect(h.attempts).toEqual(['at-1', 'at-2']);
		expect(h.refreshes()).toBe(1);
	});

	it('stops with "reconnect" when the refreshed token is refused too: two sign-ins, one refresh', async () => {
		const h = harness({ rejectTokens: ['at-1', 'at-2'] });
		const error = await h.run().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(OAuth2ReconnectError);
		expect((error as Error).message).toMatch(/Reconnect the credential "Shop" \(Microsoft 365\)/);
		expect((error as OAuth2ReconnectError).detail).toMatch(/535/);
		expect(h.attempts).toEqual(['at-1', 'at-2']);
		expect(h.refreshes()).toBe(1);
	});

	it('does not refresh twice when an expired token was refreshed and then refused', async () => {
		const h = harness({ tokenData: { access_token: 'at-1', refresh_token: 'rt-1', n8n_expires_at: NOW }, rejectTokens: ['at-2'] });
		await expect(h.run()).rejects.toBeInstanceOf(OAuth2ReconnectError);
		expect(h.attempts).toEqual(['at-2']);
		expect(h.refreshes()).toBe(1);
	});

	it('stops with "reconnect" when the refresh fails, without leaking tokens from its message', async () => {
		const h = harness({ rejectTokens: ['at-1'], refreshTo: new Error('invalid_grant for refresh token rt-1 (at-1)') });
		const error = (await h.run().catch((e: unknown) => e)) as OAuth2ReconnectError;
		expect(error).toBeInstanceOf(OAuth2ReconnectError);
		expect(error.message).toMatch(/could not be refreshed.*Reconnect the credential/s);
		expect(error.detail).toBe('invalid_grant for refresh token [redacted] ([redacted])');
		expect(h.attempts).toEqual(['at-1']);
	});

	it('a token endpoint that is down (network error, 5xx, 429) is no reason to reconnect: OAuth2UnavailableError', async () => {
		for (const down of [Object.assign(new Error('connect ETIMEDOUT 20.190.151.7:443'), { code: 'ETIMEDOUT' }), Object.assign(new Error('Service Unavailable'), { status: 503 }), new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })]) {
			const h = harness({ rejectTokens: ['at-1'], refreshTo: down });
			const error = (await h.run().catch((e: unknown) => e)) as OAuth2UnavailableError;
			expect(error).toBeInstanceOf(OAuth2UnavailableError);
			expect(error.message).toMatch(/could not be reached to refresh the OAuth2 access token; the next run tries again/);
		}
		// A refused grant (HTTP 400 invalid_grant) still asks to reconnect.
		const refused = harness({ rejectTokens: ['at-1'], refreshTo: Object.assign(new Error('invalid_grant'), { status: 400 }) });
		await expect(refused.run()).rejects.toBeInstanceOf(OAuth2ReconnectError);
	});

	it('passes network and TLS errors through without refreshing', async () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
		let refreshes = 0;
		const run = connectWithOAuth2({
			mailbox: 'm',
			credentialLabel: 'x',
			tokenData: { access_token: 'at-1' },
			connect: async () => {
				throw refused;
			},
			refresh: async () => {
				refreshes++;
				return 'at-2';
			},
		});
		await expect(run).rejects.toBe(refused);
		expect(refreshes).toBe(0);
	});

	it('says "not connected" when there is neither access nor refresh token', async () => {
		const h = harness({ tokenData: {} });
		await expect(h.run()).rejects.toBeInstanceOf(OAuth2NotConnectedError);
		expect(h.attempts).toEqual([]);
	});

	it('rejects an empty refreshed token as "reconnect"', async () => {
		const h = harness({ rejectTokens: ['at-1'], refreshTo: '' });
		await expect(h.run()).rejects.toThrow(/returned no token/);
	});
});

describe('OAuth2TokenSession: a run longer than the token lives', () => {
	const HOUR = 3_600_000;

	/** A mailbox that accepts a token until its expiry, on a clock the test moves; refreshes hand out `at-2`, `at-3` … */
	function run(options: { tokenData: OAuth2MailboxCredentialData['oauthTokenData']; lifetimeSec?: number; withExpiry?: boolean }) {
		let clock = NOW;
		const expiry = new Map<string, number>([['at-1', Number(options.tokenData?.n8n_expires_at ?? NOW + HOUR)]]);
		const attempts: string[] = [];
		let refreshes = 0;
		const session = new OAuth2TokenSession({
			mailbox: 'shop@example.test',
			credentialLabel: '"Shop" (Microsoft 365)',
			tokenData: options.tokenData,
			now: () => clock,
			refresh: async () => {
				const token = `at-${++refreshes + 1}`;
				const lifetimeSec = options.lifetimeSec ?? 3600;
				expiry.set(token, clock + lifetimeSec * 1000);
				return options.withExpiry === false ? token : { access_token: token, token_type: 'Bearer', expires_in: lifetimeSec };
			},
		});
		const connect = () =>
			session.connect(async (token) => {
				attempts.push(token);
				if (clock >= (expiry.get(token) ?? 0)) throw smtpAuthError();
				return token;
			});
		return { session, connect, attempts, refreshes: () => refreshes, advance: (ms: number) => (clock += ms) };
	}

	it('refreshes again before a reconnect once the refreshed token has expired, without trying the dead token', async () => {
		const r = run({ tokenData: { access_token: 'at-1', refresh_token: 'rt-1', n8n_expires_at: NOW - 1 } });
		await expect(r.connect()).resolves.toBe('at-2');
		r.advance(HOUR / 2);
		await expect(r.connect()).resolves.toBe('at-2');
		r.advance(HOUR);
		await expect(r.connect()).resolves.toBe('at-3');
		expect(r.attempts).toEqual(['at-2', 'at-2', 'at-3']);
		expect(r.refreshes()).toBe(2);
	});

	it('counts a token within the margin of its expiry as expired, also the credential’s own token on a later reconnect', async () => {
		const r = run({ tokenData: { access_token: 'at-1', refresh_token: 'rt-1', n8n_expires_at: NOW + 10 * 60_000 } });
		await expect(r.connect()).resolves.toBe('at-1');
		r.advance(9.5 * 60_000);
		await expect(r.connect()).resolves.toBe('at-2');
		expect(r.attempts).toEqual(['at-1', 'at-2']);
	});

	it('never loops: a refreshed token that arrives already expired earns no further refresh, and the error says what happened', async () => {
		const r = run({ tokenData: { access_token: 'at-1', refresh_token: 'rt-1', n8n_expires_at: NOW - 1 }, lifetimeSec: 30 });
		await expect(r.connect()).resolves.toBe('at-2');
		r.advance(60_000);
		const error = (await r.connect().catch((e: unknown) => e)) as OAuth2ReconnectError;
		expect(error).toBeInstanceOf(OAuth2ReconnectError);
		expect(error.message).toMatch(/refused the OAuth2 sign-in with the access token refreshed earlier in this run, which expired at 2026-11-23T10:00:30\.000Z\. Reconnect/);
		expect(error.message).not.toMatch(/freshly/);
		expect(r.refreshes()).toBe(1);
		expect(r.attempts).toEqual(['at-2', 'at-2']);
	});

	it('one refresh per expiry: a token refreshed for its expiry and then refused stops the run, "freshly refreshed" being true', async () => {
		const r = run({ tokenData: { access_token: 'at-1', refresh_token: 'rt-1', n8n_expires_at: NOW - 1 } });
		await r.connect();
		r.advance(2 * HOUR);
		const connect = r.session.connect(async (token) => {
			r.attempts.push(token);
			throw smtpAuthError();
		});
		await expect(connect).rejects.toThrow(/even with a freshly refreshed access token/);
		expect(r.refreshes()).toBe(2);
		expect(r.attempts).toEqual(['at-2', 'at-3']);
	});

	it('a token refreshed earlier in the run and refused later (expiry unknown) is not called "freshly refreshed"', async () => {
		const r = run({ tokenData: { access_token: 'at-1', refresh_token: 'rt-1' }, withExpiry: false });
		r.advance(2 * HOUR); // at-1 is refused: the run's one refresh on the server's word
		await expect(r.connect()).resolves.toBe('at-2');
		r.advance(2 * HOUR);
		const error = (await r.connect().catch((e: unknown) => e)) as OAuth2ReconnectError;
		expect(error.message).toMatch(/^shop@example\.test refused the OAuth2 sign-in with the access token refreshed earlier in this run\. Reconnect/);
		expect(r.refreshes()).toBe(1);
	});

	it('refresh errors are cleaned of the refresh token also on a later refresh of the run, URL-encoded too', async () => {
		const refreshToken = 'rt+1/AbC==';
		let calls = 0;
		let clock = NOW;
		const session = new OAuth2TokenSession({
			mailbox: 'shop@example.test',
			credentialLabel: '"Shop"',
			tokenData: { access_token: 'at-1', refresh_token: refreshToken, n8n_expires_at: NOW + 2 * 60_000 },
			now: () => clock,
			refresh: async () => {
				calls++;
				throw Object.assign(new Error(`invalid_request: grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}`), { status: 400 });
			},
		});
		await session.connect(async (token) => token);
		clock += HOUR;
		const error = (await session.connect(async (token) => token).catch((e: unknown) => e)) as OAuth2ReconnectError;
		expect(calls).toBe(1);
		expect(error.detail).toBe('invalid_request: grant_type=refresh_token&refresh_token=[redacted]');
	});

	it('a refresh token the provider rotated (Microsoft does, at each refresh) is redacted too, and the session lists it among its secrets', async () => {
		const rotated = 'rt-2+Rotated/Refresh==';
		let calls = 0;
		let clock = NOW;
		const session = new OAuth2TokenSession({
			mailbox: 'shop@example.test',
			credentialLabel: '"Shop"',
			tokenData: { access_token: 'at-1', refresh_token: 'rt-1-original', n8n_expires_at: NOW - 1 },
			otherSecrets: ['client-secret-1'],
			now: () => clock,
			refresh: async () => {
				calls++;
				if (calls === 1) return { access_token: 'at-2-fresh', refresh_token: rotated, expires_in: 3600 };
				// n8n refreshes with the token it saved last time; the endpoint quotes the request.
				throw Object.assign(new Error(`bad request: grant_type=refresh_token&refresh_token=${encodeURIComponent(rotated)}`), { status: 400 });
			},
		});
		await expect(session.connect(async (token) => token)).resolves.toBe('at-2-fresh');
		clock += 2 * HOUR;
		const error = (await session.connect(async (token) => token).catch((e: unknown) => e)) as OAuth2ReconnectError;
		expect(calls).toBe(2);
		expect(error.detail).toBe('bad request: grant_type=refresh_token&refresh_token=[redacted]');
		expect(session.secrets()).toEqual(expect.arrayContaining(['at-1', 'rt-1-original', 'client-secret-1', 'at-2-fresh', rotated]));
	});
});

describe('cancelling the execution while the token refresh hangs', () => {
	/** A refresh that never answers (n8n's helper takes no signal), counted. */
	function hangingRefresh() {
		let calls = 0;
		return { refresh: () => ((calls++, new Promise<never>(() => undefined))), calls: () => calls };
	}
	/** Far beyond the few milliseconds a honoured signal takes; the old code waited for ever. */
	const HANG_LIMIT_MS = 2_000;
	const expired = { access_token: 'at-1', refresh_token: 'rt-1', n8n_expires_at: NOW - 1_000 };

	it(
		'connectWithOAuth2 stops waiting and rejects with OAuth2CancelledError; no sign-in is tried',
		async () => {
			const hanging = hangingRefresh();
			const cancel = new AbortController();
			const attempts: string[] = [];
			const connecting = connectWithOAuth2({
				mailbox: 'shop@example.test',
				credentialLabel: '"Shop" (Microsoft 365)',
				tokenData: expired,
				now: () => NOW,
				connect: async (token) => attempts.push(token),
				refresh: hanging.refresh,
				signal: cancel.signal,
			});
			setTimeout(() => cancel.abort(), 20);
			const error = await connecting.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(OAuth2CancelledError);
			expect((error as Error).message).toMatch(/cancelled while the OAuth2 access token for shop@example\.test was being refreshed/);
			expect(hanging.calls()).toBe(1);
			expect(attempts).toEqual([]);
		},
		HANG_LIMIT_MS,
	);

	it(
		'a signal already aborted: no refresh is started',
		async () => {
			const hanging = hangingRefresh();
			const session = new OAuth2TokenSession({ mailbox: 'shop@example.test', credentialLabel: '"Shop"', tokenData: expired, now: () => NOW, refresh: hanging.refresh });
			const error = await session.connect(async (token) => token, AbortSignal.abort()).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(OAuth2CancelledError);
			expect(hanging.calls()).toBe(0);
		},
		HANG_LIMIT_MS,
	);

	it(
		"the sending loop with the OAuth2 connector: the run ends cancelled, every item notSent, as a cancelled login does",
		async () => {
			const hanging = hangingRefresh();
			const session = new OAuth2TokenSession({ mailbox: 'shop@example.test', credentialLabel: '"Shop"', tokenData: expired, now: () => NOW, refresh: hanging.refresh });
			// Never reached: the refresh comes first.
			const server: MailServer = { host: '127.0.0.1', port: 9, security: 'none', allowSelfSigned: false };
			const message = await buildPlainMessage({ sender: { address: 'shop@example.test' }, to: 'c@example.org', subject: 'Zahlungserinnerung', text: 'x' });
			const cancel = new AbortController();
			const running = runSendJobs(oauth2SmtpConnector(server, 'shop@example.test', session), [0, 1].map((key) => ({ key, message })), {
				minSecondsBetween: 0,
				signal: cancel.signal,
			});
			setTimeout(() => cancel.abort(), 20);
			const result = await running;
			expect(result.stopped?.kind).toBe('cancelled');
			expect(result.stopped?.message).toMatch(/cancelled while the OAuth2 access token .* was being refreshed; nothing was sent/);
			expect(result.deliveries.map((d) => [d.status, d.reason])).toEqual([
				['notSent', 'cancelled'],
				['notSent', 'cancelled'],
			]);
			expect(hanging.calls()).toBe(1);
		},
		HANG_LIMIT_MS,
	);
});

describe('isMailAuthRejection', () => {
	it('recognises nodemailer, imapflow and our classified errors, also wrapped', () => {
		expect(isMailAuthRejection(smtpAuthError())).toBe(true);
		expect(isMailAuthRejection({ authenticationFailed: true })).toBe(true);
		expect(isMailAuthRejection({ serverResponseCode: 'AUTHENTICATIONFAILED' })).toBe(true);
		expect(isMailAuthRejection({ failure: { kind: 'auth' } })).toBe(true);
		expect(isMailAuthRejection({ kind: 'auth' })).toBe(true);
		expect(isMailAuthRejection(new Error('x', { cause: { code: 'EAUTH' } }))).toBe(true);
		expect(isMailAuthRejection({ code: 'ECONNREFUSED' })).toBe(false);
		expect(isMailAuthRejection({ failure: { kind: 'tls' } })).toBe(false);
		expect(isMailAuthRejection(undefined)).toBe(false);
	});
});

describe('redactSecrets', () => {
	it('removes every occurrence and ignores empty or tiny values', () => {
		expect(redactSecrets('a tok-123 b tok-123', ['tok-123', undefined, ''])).toBe('a [redacted] b [redacted]');
	});
});

describe('n8n glue without a server', () => {
	it('reads the credential fields n8n hands over, with safe fallbacks', () => {
		expect(
			toOAuth2MailboxData({
				email: 'a@example.test',
				smtpHost: 'smtp.office365.com',
				smtpPort: '587',
				smtpSecurity: 'bogus',
				imapHost: 'outlook.office365.com',
				imapSecurity: 'starttls',
				oauthTokenData: { access_token: 'x' },
			}),
		).toEqual({
			email: 'a@example.test',
			sendAs: '',
			smtpHost: 'smtp.office365.com',
			smtpPort: 587,
			smtpSecurity: 'starttls',
			imapHost: 'outlook.office365.com',
			imapPort: undefined,
			imapSecurity: 'starttls',
			allowSelfSigned: false,
			oauthTokenData: { access_token: 'x' },
		});
	});

	it('knows which providers file SMTP-sent mail in Sent themselves', () => {
		expect(providerFilesSentMail('outlook.office365.com')).toBe(true);
		expect(providerFilesSentMail('imap.gmail.com')).toBe(true);
		expect(providerFilesSentMail('imap.mailbox.example')).toBe(false);
		expect(providerFilesSentMail('notgmail.com.example')).toBe(false);
	});

	it('leaves out the Sent copy only when the SMTP server that took the message files it in that same mailbox', () => {
		expect(skipsSentCopy('smtp.office365.com', 'outlook.office365.com')).toBe(true);
		expect(skipsSentCopy('smtp-mail.outlook.com', 'outlook.office365.com')).toBe(true);
		expect(skipsSentCopy('smtp.gmail.com', 'imap.gmail.com')).toBe(true);
		// Sent through a relay: no Sent folder has it yet, whatever the IMAP host.
		expect(skipsSentCopy('smtp.relay.example', 'outlook.office365.com')).toBe(false);
		expect(skipsSentCopy('smtp.office365.com', 'imap.shop.example')).toBe(false);
		// Gmail filed it in the Gmail mailbox, not in the Microsoft one the copy is for.
		expect(skipsSentCopy('smtp.gmail.com', 'outlook.office365.com')).toBe(false);
	});

	it('relays of those providers file nothing: Google Workspace’s SMTP relay, Microsoft 365 Direct Send and SMTP relay get the copy', () => {
		// Google's SMTP relay service shows relayed mail in a mailbox only with comprehensive mail storage on.
		expect(skipsSentCopy('smtp-relay.gmail.com', 'imap.gmail.com')).toBe(false);
		// Direct Send and SMTP relay (a connector) go to the tenant's MX endpoint: "Saves to Sent Items folder: No".
		expect(skipsSentCopy('shop-example.mail.protection.outlook.com', 'outlook.office365.com')).toBe(false);
		expect(skipsSentCopy('aspmx.l.google.com', 'imap.gmail.com')).toBe(false);
		expect(providerFilesSentMail('smtp-relay.gmail.com')).toBe(false);
		expect(providerFilesSentMail('shop-example.mail.protection.outlook.com')).toBe(false);
		// Any domain that merely ends like the provider's is no provider host either.
		expect(skipsSentCopy('mail.gmail.com', 'imap.gmail.com')).toBe(false);
	});

	it('reads a host as a credential may hold it: any case, blanks, a trailing dot', () => {
		expect(skipsSentCopy(' SMTP.Office365.com ', 'Outlook.Office365.com.')).toBe(true);
		expect(skipsSentCopy('smtp.gmail.com.', 'IMAP.gmail.com')).toBe(true);
		expect(skipsSentCopy('smtp.googlemail.com', 'imap.googlemail.com')).toBe(true);
	});

	describe('the OAuth2 Sent copy decides as the password login does, on both hosts of its credential', () => {
		/** Just what deciding needs: the credential (no connection is opened until a copy is written). */
		const ctx = (smtpHost: string, imapHost: string) =>
			({
				getCredentials: async () => ({ ...base, smtpHost, imapHost }),
				getNode: () => ({ credentials: {} }),
			}) as unknown as IExecuteFunctions;

		it('the Microsoft 365 presets: no copy', async () => {
			expect(await oauth2SentFolderWriter(ctx('smtp.office365.com', 'outlook.office365.com'), 'microsoftOAuth2', 'Sent')).toBeUndefined();
		});

		it('the two hosts disagree (SMTP through another server, the mailbox at Microsoft): a copy, as with a password', async () => {
			expect(await oauth2SentFolderWriter(ctx('smtp.relay.example', 'outlook.office365.com'), 'microsoftOAuth2', 'Sent')).toEqual(expect.any(Function));
		});
	});

	it('offers password, Microsoft 365 and Google, password by default, for SMTP and IMAP', () => {
		for (const [property, label] of [
			[smtpAuthenticationProperty, 'Password (SMTP Credential)'],
			[imapAuthenticationProperty, 'Password (IMAP Credential)'],
		] as const) {
			expect(property.default).toBe('password');
			expect(property.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['googleOAuth2', 'microsoftOAuth2', 'password']);
			expect(property.options?.map((o) => o.name)).toContain(label);
		}
		expect(oauth2CredentialType('microsoftOAuth2')).toBe('dunningMicrosoftOAuth2Api');
		expect(oauth2CredentialType('googleOAuth2')).toBe('dunningGoogleOAuth2Api');
	});

	it('credential types ask for the scopes SMTP and IMAP need and preset the servers', () => {
		const microsoft = new DunningMicrosoftOAuth2Api();
		const google = new DunningGoogleOAuth2Api();
		const defaults = (props: typeof microsoft.properties) => Object.fromEntries(props.map((p) => [p.name, p.default]));
		expect(microsoft.extends).toEqual(['microsoftOAuth2Api']);
		expect(google.extends).toEqual(['googleOAuth2Api']);
		expect(defaults(microsoft.properties)).toMatchObject({
			scope: 'https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
			smtpHost: 'smtp.office365.com',
			smtpPort: 0,
			smtpSecurity: 'starttls',
			imapHost: 'outlook.office365.com',
			imapPort: 0,
			imapSecurity: 'tls',
			email: '',
			sendAs: '',
		});
		// The presets' ports follow Security: 587 / 993 as shipped, 465 / 143 when the user switches it.
		const microsoftData = { ...defaults(microsoft.properties), email: 'a@b.example' } as unknown as OAuth2MailboxCredentialData;
		expect(mailServerFromOAuth2Credential(microsoftData, 'smtp').port).toBe(587);
		expect(mailServerFromOAuth2Credential(microsoftData, 'imap').port).toBe(993);
		expect(mailServerFromOAuth2Credential({ ...microsoftData, smtpSecurity: 'tls', imapSecurity: 'starttls' }, 'smtp').port).toBe(465);
		expect(mailServerFromOAuth2Credential({ ...microsoftData, smtpSecurity: 'tls', imapSecurity: 'starttls' }, 'imap').port).toBe(143);
		expect(defaults(google.properties)).toMatchObject({
			scope: 'https://mail.google.com/',
			smtpHost: 'smtp.gmail.com',
			smtpPort: 0,
			smtpSecurity: 'tls',
			imapHost: 'imap.gmail.com',
			imapPort: 0,
		});
		const googleData = { ...defaults(google.properties), email: 'a@b.example' } as unknown as OAuth2MailboxCredentialData;
		expect(mailServerFromOAuth2Credential(googleData, 'smtp').port).toBe(465);
	});
});
