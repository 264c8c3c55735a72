/**
 * A small OAuth2 authorization server on loopback, for tests: it issues, refreshes, expires and
 * revokes tokens the way Microsoft's and Google's token endpoints do (RFC 6749 refresh grant,
 * client authentication in the body or as HTTP Basic, `invalid_grant` for a dead refresh token),
 * and answers RFC 7662 introspection requests — which is what Dovecot's `oauth2` passdb asks
 * (`introspection_mode = post`). n8n-core's refreshOAuth2Token talks to `/token` unchanged.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where a mailbox credential points: its SMTP and IMAP endpoints. */
export interface MailboxEndpoints {
	smtpHost: string;
	smtpPort: number;
	smtpSecurity: string;
	imapHost: string;
	imapPort: number;
	imapSecurity: string;
}

export interface IssuedToken {
	user: string;
	accessToken: string;
	refreshToken: string;
	/** Epoch milliseconds after which the access token is refused. */
	expiresAt: number;
}

interface AccessRecord {
	user: string;
	expiresAt: number;
	revoked: boolean;
	refreshToken: string;
}

export class OAuth2TestServer {
	readonly clientId = 'dunning-test-client';
	readonly clientSecret = 'dunning-test-secret';
	/** Every request's path and grant type (never a token), in order. */
	readonly requests: Array<{ path: string; grantType?: string; result: 'ok' | 'error' | 'held'; user?: string }> = [];

	/**
	 * When set, answers every refresh request instead of the grant logic, with the request body as
	 * received: for endpoints (or proxies in front of them) that quote the request in their errors.
	 */
	refreshAnswer?: (requestBody: string) => { status: number; contentType: string; body: string };

	/**
	 * When true, refresh requests are recorded (result `held`) and never answered: a token endpoint
	 * that hangs, as n8n's refresh helper (no signal, a 5-minute timeout) then waits. See `releaseHeld`.
	 */
	holdRefreshes = false;
	private readonly held: ServerResponse[] = [];

	private readonly access = new Map<string, AccessRecord>();
	private readonly refresh = new Map<string, { user: string; revoked: boolean }>();
	private servers: Server[] = [];
	private port = 0;

	/**
	 * Starts listening on 127.0.0.1 (port 0 = any free port); `extraPort` serves the same
	 * endpoints on a fixed port too (Dovecot's passdb config names 10080).
	 */
	async start(port = 0, extraPort?: number): Promise<this> {
		for (const p of extraPort === undefined ? [port] : [port, extraPort]) {
			const server = createServer((req, res) => {
				this.handle(req, res).catch((error: Error) => this.json(res, 500, { error: 'server_error', error_description: error.message }));
			});
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(p, '127.0.0.1', () => resolve());
			});
			this.servers.push(server);
		}
		this.port = (this.servers[0].address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		for (const server of this.servers.splice(0)) {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	}

	/** Stops holding refreshes and drops the held ones' connections (no answer), so nothing waits on them. */
	releaseHeld(): void {
		this.holdRefreshes = false;
		for (const res of this.held.splice(0)) res.destroy();
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get tokenUrl(): string {
		return `${this.url}/token`;
	}

	/**
	 * What n8n stores for our Microsoft 365 mailbox credential connected to this server, with
	 * the token data it got from "Connect my account".
	 */
	microsoftCredentialData(mailbox: string, endpoints: MailboxEndpoints, tokenData: Record<string, unknown>): Record<string, unknown> {
		return {
			grantType: 'authorizationCode',
			authUrl: `${this.url}/authorize`,
			accessTokenUrl: this.tokenUrl,
			clientId: this.clientId,
			clientSecret: this.clientSecret,
			scope: 'https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
			authQueryParameters: 'response_mode=query',
			// n8n's Microsoft and Google types send the client id and secret in the body.
			authentication: 'body',
			email: mailbox,
			sendAs: '',
			...endpoints,
			allowSelfSigned: true,
			oauthTokenData: tokenData,
		};
	}

	/**
	 * Issues a fresh token pair, as after "Connect my account". `lifetimeSec` may be negative.
	 * `refreshToken` gives the refresh token's text (real ones hold `+`, `/`, `=`), else a random one.
	 */
	issue(user: string, lifetimeSec = 3600, refreshToken = `rt-${randomBytes(16).toString('hex')}`): IssuedToken {
		this.refresh.set(refreshToken, { user, revoked: false });
		return this.newAccess(user, refreshToken, lifetimeSec);
	}

	/** The credential's `oauthTokenData` as n8n stores it after connecting. */
	tokenData(token: IssuedToken, options: { withExpiry?: boolean } = {}) {
		const lifetimeSec = Math.round((token.expiresAt - Date.now()) / 1000);
		return {
			token_type: 'Bearer',
			access_token: token.accessToken,
			refresh_token: token.refreshToken,
			expires_in: lifetimeSec,
			...(options.withExpiry === false ? {} : { n8n_expires_at: String(token.expiresAt) }),
		};
	}

	/** Makes an access token expire now (the server refuses it from now on). */
	expire(accessToken: string): void {
		const record = this.access.get(accessToken);
		if (record) record.expiresAt = Date.now() - 1000;
	}

	/** Revokes everything the user granted (access and refresh tokens), as "remove app access" does. */
	revokeUser(user: string): void {
		for (const record of this.access.values()) if (record.user === user) record.revoked = true;
		for (const record of this.refresh.values()) if (record.user === user) record.revoked = true;
	}

	/** The user an access token is valid for right now, or undefined. */
	validate(accessToken: string): string | undefined {
		const record = this.access.get(accessToken);
		if (!record || record.revoked || record.expiresAt <= Date.now()) return undefined;
		return record.user;
	}

	count(path: string, grantType?: string): number {
		return this.requests.filter((r) => r.path === path && (grantType === undefined || r.grantType === grantType)).length;
	}

	private newAccess(user: string, refreshToken: string, lifetimeSec: number): IssuedToken {
		const accessToken = `at-${randomBytes(16).toString('hex')}`;
		const expiresAt = Date.now() + lifetimeSec * 1000;
		this.access.set(accessToken, { user, expiresAt, revoked: false, refreshToken });
		return { user, accessToken, refreshToken, expiresAt };
	}

	private json(res: ServerResponse, status: number, body: unknown) {
		res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
		res.end(JSON.stringify(body));
	}

	private clientAuthenticated(req: IncomingMessage, form: URLSearchParams): boolean {
		const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
		if (basic) {
			const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
			return id === this.clientId && secret === this.clientSecret;
		}
		return form.get('client_id') === this.clientId && form.get('client_secret') === this.clientSecret;
	}

	private async handle(req: IncomingMessage, res: ServerResponse) {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks).toString('utf8');
		const form = new URLSearchParams(body);
		const path = (req.url ?? '/').split('?')[0];

		if (req.method === 'POST' && path === '/token') {
			const grantType = form.get('grant_type') ?? undefined;
			if (this.holdRefreshes && grantType === 'refresh_token') {
				this.requests.push({ path, grantType, result: 'held' });
				this.held.push(res);
				return;
			}
			if (this.refreshAnswer && grantType === 'refresh_token') {
				const answer = this.refreshAnswer(body);
				this.requests.push({ path, grantType, result: answer.status < 400 ? 'ok' : 'error' });
				res.writeHead(answer.status, { 'content-type': answer.contentType });
				return res.end(answer.body);
			}
			if (!this.clientAuthenticated(req, form)) {
				this.requests.push({ path, grantType, result: 'error' });
				return this.json(res, 401, { error: 'invalid_client' });
			}
			if (grantType !== 'refresh_token') {
				this.requests.push({ path, grantType, result: 'error' });
				return this.json(res, 400, { error: 'unsupported_grant_type' });
			}
			const refreshToken = form.get('refresh_token') ?? '';
			const grant = this.refresh.get(refreshToken);
			if (!grant || grant.revoked) {
				this.requests.push({ path, grantType, result: 'error', user: grant?.user });
				return this.json(res, 400, {
					error: 'invalid_grant',
					error_description: 'The refresh token has been revoked or has expired.',
				});
			}
			const token = this.newAccess(grant.user, refreshToken, 3600);
			this.requests.push({ path, grantType, result: 'ok', user: grant.user });
			// Like Google, no new refresh token: n8n must keep the old one.
			return this.json(res, 200, { token_type: 'Bearer', access_token: token.accessToken, expires_in: 3600 });
		}

		if (req.method === 'POST' && path === '/introspect') {
			// Dovecot posts `token=<access token>`; RFC 7662 answer.
			const user = this.validate(form.get('token') ?? '');
			this.requests.push({ path, result: user ? 'ok' : 'error', user });
			return this.json(res, 200, user ? { active: true, username: user, scope: 'mail' } : { active: false });
		}

		if (req.method === 'POST' && path === '/revoke') {
			const token = form.get('token') ?? '';
			const user = this.access.get(token)?.user ?? this.refresh.get(token)?.user;
			if (user) this.revokeUser(user);
			this.requests.push({ path, result: 'ok', user });
			res.writeHead(200);
			return res.end();
		}

		this.requests.push({ path, result: 'error' });
		return this.json(res, 404, { error: 'not_found' });
	}
}
