/**
 * A refused token refresh names what the provider said. n8n's OAuth2 client (@n8n/client-oauth2)
 * words its AuthError after the RFC 6749 error code alone and keeps the provider's answer only as
 * its public `body`; Microsoft's "AADSTS700082 … expired due to inactivity", "AADSTS7000222 …
 * client secret keys … are expired" and Google's "Token has been expired or revoked." were lost.
 *
 * MOCKS: the provider's faults cannot be produced by a real Microsoft or Google endpoint here. The
 * first part rejects the refresh with fabricated errors shaped like n8n's AuthError (message,
 * `body`, code EAUTH); the last part has n8n's real OAuth2 client refresh against a loopback HTTP
 * endpoint that answers with the JSON Microsoft sends (fabricated, not recorded).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ClientOAuth2 } from '@n8n/client-oauth2';

import { buildReminderMessage } from '../../lib/mail/message';
import {
	connectWithOAuth2,
	MAX_TOKEN_ANSWER_CHARS,
	OAuth2ReconnectError,
	OAuth2TokenSession,
	OAuth2UnavailableError,
	tokenEndpointAnswer,
	type OAuth2TokenData,
} from '../../lib/mail/oauth2';
import { oauth2SmtpConnector } from '../../lib/mail/oauth2-smtp';
import { runSendJobs } from '../../lib/mail/send-run';
import { startRawSmtpServer, type RawSmtpServer } from './raw-smtp-server';

jest.setTimeout(15_000);

const NOW = Date.UTC(2099, 0, 15, 9, 0, 0);
const ACCESS = 'access-TOKEN-old456';
const REFRESH = '1//0gRefresh+TOKEN/xyz789=';
const SECRET = 'client~SECRET.abc123-Q8';
const LABEL = '"Shop" (Microsoft 365)';
const MAILBOX = 'shop@example.test';

/** n8n's AuthError as @n8n/client-oauth2 builds it: RFC 6749's wording for the code as message, the answer as `body`. */
function authError(body: Record<string, unknown>, rfcWording: string): Error {
	return Object.assign(new Error(rfcWording), { body, code: 'EAUTH' });
}

const RFC_INVALID_GRANT =
	'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';
const RFC_INVALID_CLIENT = 'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).';

/** Connects with an expired token, so the refresh comes first; it rejects with `error`. No server is involved. */
async function refreshFailure(error: unknown): Promise<Error> {
	const tokenData: OAuth2TokenData = { access_token: ACCESS, refresh_token: REFRESH, n8n_expires_at: NOW - 1000 };
	const outcome = await connectWithOAuth2({
		mailbox: MAILBOX,
		credentialLabel: LABEL,
		tokenData,
		otherSecrets: [SECRET],
		now: () => NOW,
		connect: async () => {
			throw new Error('no sign-in expected: the refresh failed first');
		},
		refresh: async () => {
			throw error;
		},
	}).catch((e: unknown) => e);
	expect(outcome).toBeInstanceOf(Error);
	return outcome as Error;
}

/** No form of a token or the client secret anywhere in the error (the message, the detail, every field). */
function expectNoSecrets(error: Error): void {
	const everything = JSON.stringify(error, Object.getOwnPropertyNames(error));
	for (const secret of [ACCESS, REFRESH, SECRET, encodeURIComponent(REFRESH), encodeURIComponent(SECRET)]) {
		for (let i = 0; i + 8 <= secret.length; i++) expect(everything).not.toContain(secret.slice(i, i + 8));
	}
}

describe('a refused refresh quotes the token endpoint (fabricated AuthError-shaped errors)', () => {
	// Before: "(The provided authorization grant … or was issued to another client.)" and nothing of Microsoft's words.
	it('Microsoft, refresh token expired due to inactivity: its AADSTS text, then "reconnect"', async () => {
		const description =
			'AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2099-01-01T00:00:00Z and was inactive for 90.00:00:00.\r\nTrace ID: 0b1c2d3e-aaaa\r\nCorrelation ID: 4f5a6b7c-bbbb\r\nTimestamp: 2099-01-15 09:00:00Z';
		const error = await refreshFailure(authError({ error: 'invalid_grant', error_description: description, error_codes: [700082] }, RFC_INVALID_GRANT));
		expect(error).toBeInstanceOf(OAuth2ReconnectError);
		expect(error.message).toBe(
			`The OAuth2 access token for ${MAILBOX} could not be refreshed. The sign-in service answered invalid_grant: AADSTS700082: The refresh token has expired due to inactivity. ` +
				'The token was issued on 2099-01-01T00:00:00Z and was inactive for 90.00:00:00. Trace ID: 0b1c2d3e-aaaa Correlation ID: 4f5a6b7c-bbbb Timestamp: 2099-01-15 09:00:00Z. ' +
				`Reconnect the credential ${LABEL}: open it and press "Connect my account" (sign in again with the mailbox account and allow mail access).`,
		);
		expect(error.message).not.toContain('The provided authorization grant');
	});

	it('Google, token expired or revoked: its words, then "reconnect"', async () => {
		const error = await refreshFailure(authError({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, RFC_INVALID_GRANT));
		expect(error).toBeInstanceOf(OAuth2ReconnectError);
		expect(error.message).toMatch(/could not be refreshed\. The sign-in service answered invalid_grant: Token has been expired or revoked\. Reconnect the credential/);
	});

	// Before: "Reconnect the credential …" alone, which cannot help while the secret is expired.
	it('Microsoft, client secret expired (invalid_client): says to create a new client secret, enter it, then connect', async () => {
		const description = 'AADSTS7000222: The provided client secret keys for app \'0000-1111\' are expired. Visit the Azure portal to create new keys for your app.';
		const error = await refreshFailure(authError({ error: 'invalid_client', error_description: description }, RFC_INVALID_CLIENT));
		expect(error).toBeInstanceOf(OAuth2ReconnectError);
		expect(error.message).toBe(
			`The OAuth2 access token for ${MAILBOX} could not be refreshed: the sign-in service refused the app's client ID or client secret, so signing in again alone does not help. ` +
				`The sign-in service answered invalid_client: ${description} ` +
				'Create a new client secret in the app registration (Microsoft Entra admin center: App registrations → your app → Certificates & secrets; ' +
				'Google Cloud console: APIs & Services → Credentials → your OAuth client), ' +
				`enter it as Client Secret in the credential ${LABEL}, then press "Connect my account".`,
		);
		expect(error.message).not.toMatch(/Reconnect the credential/);
	});

	it('Google, unauthorized_client: the same advice', async () => {
		const error = await refreshFailure(authError({ error: 'unauthorized_client', error_description: 'Unauthorized' }, 'The client is not authorized to request an authorization code using this method.'));
		expect(error).toBeInstanceOf(OAuth2ReconnectError);
		expect(error.message).toMatch(/answered unauthorized_client: Unauthorized\. Create a new client secret in the app registration .*then press "Connect my account"\.$/);
	});

	it('an answer without a description names its code', async () => {
		const error = await refreshFailure(authError({ error: 'invalid_scope' }, 'The requested scope is invalid, unknown, or malformed.'));
		expect(error.message).toMatch(/could not be refreshed\. The sign-in service answered invalid_scope\. Reconnect the credential/);
	});

	it('"not now" (temporarily_unavailable) stays no reason to reconnect, and quotes the endpoint too', async () => {
		const error = await refreshFailure(authError({ error: 'temporarily_unavailable', error_description: 'AADSTS50196: The server terminated an operation because it encountered a client request loop.' }, 'x'));
		expect(error).toBeInstanceOf(OAuth2UnavailableError);
		expect(error.message).toBe(
			`The sign-in service for ${MAILBOX} could not refresh the OAuth2 access token now; the next run tries again. ` +
				'The sign-in service answered temporarily_unavailable: AADSTS50196: The server terminated an operation because it encountered a client request loop.',
		);
	});

	it('an answer that quotes the refresh request keeps no form of the refresh token or the client secret', async () => {
		const request = new URLSearchParams({ refresh_token: REFRESH, grant_type: 'refresh_token', client_id: 'cid', client_secret: SECRET }).toString();
		const error = await refreshFailure(authError({ error: 'invalid_request', error_description: `malformed request: ${request}` }, 'x'));
		expect(error.message).toContain('refresh_token=[redacted]&grant_type=refresh_token&client_id=cid&client_secret=[redacted]');
		expectNoSecrets(error);
	});

	it('a long answer is cut (marked "…"), after the secrets are out, so a cut leaves no start of one', async () => {
		// The client secret straddles the cut: cut first, its first characters would stay.
		const pad = 'x'.repeat(MAX_TOKEN_ANSWER_CHARS - 'invalid_request: '.length - 12);
		const error = await refreshFailure(authError({ error: 'invalid_request', error_description: `${pad}${SECRET} ${'y'.repeat(5000)}` }, 'x'));
		const quoted = /The sign-in service answered (.*?) Reconnect the credential/.exec(error.message)?.[1] ?? '';
		expect(quoted.endsWith('…')).toBe(true);
		expect(quoted.length).toBeLessThanOrEqual(MAX_TOKEN_ANSWER_CHARS + 1);
		expectNoSecrets(error);
	});

	it('finds the answer on an error wrapped as `cause`, and reads nothing but a record with a string `error`', () => {
		expect(tokenEndpointAnswer(new Error('wrapped', { cause: authError({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, 'x') }))).toEqual({
			error: 'invalid_grant',
			description: 'Token has been expired or revoked.',
		});
		for (const body of [undefined, null, 'invalid_grant', ['invalid_grant'], { error: 42 }, { error: '  ' }, { error_description: 'no code' }]) {
			expect(tokenEndpointAnswer(Object.assign(new Error('x'), { body }))).toBeUndefined();
		}
		expect(tokenEndpointAnswer(authError({ error: 'invalid_grant', error_description: 7 }, 'x'))).toEqual({ error: 'invalid_grant' });
	});
});

describe('n8n\'s own OAuth2 client refreshing against a loopback endpoint that answers as Microsoft does (fabricated answer)', () => {
	let http: Server;
	let smtp: RawSmtpServer;
	afterEach(async () => {
		await new Promise((resolve) => http.close(resolve));
		await smtp.close();
	});

	it('an expired client secret stops the run with the AADSTS text and the new-secret advice; no login is tried', async () => {
		const description = 'AADSTS7000222: The provided client secret keys for app \'0000-1111\' are expired. Visit the Azure portal to create new keys for your app.';
		http = createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				res.writeHead(401, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: 'invalid_client', error_description: description, error_codes: [7000222] }));
			});
		}).listen(0, '127.0.0.1');
		await new Promise((resolve) => http.once('listening', resolve));
		smtp = await startRawSmtpServer();

		const client = new ClientOAuth2({ clientId: 'cid', clientSecret: SECRET, accessTokenUri: `http://127.0.0.1:${(http.address() as AddressInfo).port}/token`, authentication: 'body' });
		const tokenData = { access_token: ACCESS, refresh_token: REFRESH, token_type: 'Bearer' };
		const session = new OAuth2TokenSession({
			mailbox: MAILBOX,
			credentialLabel: LABEL,
			// Expired by n8n's record, relative to the injected clock: the run refreshes before signing in.
			tokenData: { ...tokenData, n8n_expires_at: NOW - 1000 },
			otherSecrets: [SECRET],
			now: () => NOW,
			refresh: async () => (await client.createToken(tokenData).refresh()).data,
		});
		const connector = oauth2SmtpConnector({ host: '127.0.0.1', port: smtp.port, security: 'none', allowSelfSigned: false, timeoutMs: 3000 }, MAILBOX, session);
		const message = await buildReminderMessage({ sender: { address: MAILBOX }, to: 'k@example.org', subject: 'Zahlungserinnerung', text: 'x', invoiceId: 'I1', level: 1, runId: 'r' });
		const result = await runSendJobs(connector, [{ key: 0, message }], { minSecondsBetween: 0 });

		expect(result.stopped?.kind).toBe('auth');
		expect(result.stopped?.message).toContain(`The sign-in service answered invalid_client: ${description}`);
		expect(result.stopped?.message).toMatch(/Create a new client secret in the app registration .*enter it as Client Secret in the credential "Shop" \(Microsoft 365\), then press "Connect my account"\.$/);
		expect(result.stopped?.message).not.toContain('Client authentication failed');
		expect(result.deliveries.map((d) => [d.status, d.stopKind])).toEqual([['notSent', 'auth']]);
		expect(smtp.connections).toHaveLength(0);
		expect(JSON.stringify(result)).not.toContain(SECRET);
	});
});
