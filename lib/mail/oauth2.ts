/**
 * OAuth2 (XOAUTH2 / OAUTHBEARER) for mailboxes, without n8n: how an OAuth2 credential's data maps
 * to a server and a login, when its access token counts as expired, and the one flow every
 * connection follows — use the token; if the server rejects it, refresh once and retry; if that
 * fails too, stop and ask the user to reconnect the credential.
 *
 * Tokens are owned by n8n (the credential's `oauthTokenData`); this module only reads them and
 * never puts them into messages, results or logs.
 */
import { resolvePort, type MailAuth, type MailServer, type Security } from './server';
import { redactSecrets } from './redact';
import { boundedReply, SMTP_PASSWORD_HINT } from './smtp-error';
import { isObject } from '../json/is-object';
import { IMAP_PASSWORD_HINT } from '../mailbox/errors';

/**
 * The token data n8n keeps in an OAuth2 credential (`oauthTokenData`): the token endpoint's JSON
 * answer as received (`access_token`, `refresh_token`, `expires_in`, `token_type`, `scope`,
 * Microsoft adds `ext_expires_in`, Google `id_token`), plus `n8n_expires_at` (epoch milliseconds
 * as a string) that n8n-core adds whenever it refreshes a token.
 */
export interface OAuth2TokenData {
	access_token?: string;
	refresh_token?: string;
	token_type?: string;
	expires_in?: number | string;
	n8n_expires_at?: number | string;
	[key: string]: unknown;
}

/** The fields of our Microsoft 365 / Google mailbox credentials that this module reads. */
export interface OAuth2MailboxCredentialData {
	/** The mailbox the token belongs to: the XOAUTH2 user name. */
	email: string;
	/** Optional address to send as (shared mailbox, alias with send-as rights). */
	sendAs?: string;
	smtpHost: string;
	smtpPort?: number;
	smtpSecurity: Security;
	imapHost: string;
	imapPort?: number;
	imapSecurity: Security;
	allowSelfSigned?: boolean;
	oauthTokenData?: OAuth2TokenData;
}

export type MailProtocol = 'smtp' | 'imap';

/** The credential was never connected (no access token): the user has to sign in first. */
export class OAuth2NotConnectedError extends Error {
	readonly code = 'OAUTH2_NOT_CONNECTED';
	constructor(mailbox: string) {
		super(
			`The OAuth2 credential for ${mailbox || 'this mailbox'} is not connected yet: open the credential and ` +
				'press "Connect my account" (sign in with the mailbox account).',
		);
		this.name = 'OAuth2NotConnectedError';
	}
}

/**
 * The mailbox refused the token and a refresh did not help (or the refresh itself failed):
 * nothing more can be done without the user. Stops the run.
 */
export class OAuth2ReconnectError extends Error {
	readonly code = 'OAUTH2_RECONNECT';
	constructor(
		message: string,
		/**
		 * What happened, without secrets (server answer or refresh failure). Absent when the message
		 * itself quotes the token endpoint's answer.
		 */
		readonly detail?: string,
	) {
		super(message);
		this.name = 'OAuth2ReconnectError';
	}
}

/**
 * The token endpoint could not be reached or failed on its side (network, timeout, HTTP 5xx or
 * 429): the sign-in itself is fine, a later run gets a token. Not a reason to reconnect the
 * credential, nor to pause the mailbox.
 */
export class OAuth2UnavailableError extends Error {
	readonly code = 'OAUTH2_UNAVAILABLE';
	constructor(
		message: string,
		readonly detail?: string,
	) {
		super(message);
		this.name = 'OAuth2UnavailableError';
	}
}

/**
 * The execution was cancelled while the token was being refreshed: we stopped waiting for the
 * refresh (n8n's helper takes no signal, so it may still finish unheard). Nothing was signed in.
 */
export class OAuth2CancelledError extends Error {
	readonly code = 'OAUTH2_CANCELLED';
	constructor(mailbox: string) {
		super(`The execution was cancelled while the OAuth2 access token for ${mailbox || 'this mailbox'} was being refreshed`);
		this.name = 'OAuth2CancelledError';
	}
}

/**
 * What `start` resolves to, unless `signal` aborts first: then OAuth2CancelledError at once, and
 * `start` is not called at all when it had aborted already.
 */
function unlessCancelled<T>(start: () => Promise<T>, signal: AbortSignal | undefined, mailbox: string): Promise<T> {
	if (!signal) return start();
	if (signal.aborted) return Promise.reject(new OAuth2CancelledError(mailbox));
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(new OAuth2CancelledError(mailbox));
		signal.addEventListener('abort', onAbort, { once: true });
		// An async wrapper: a `start` that throws at once rejects like one that fails later.
		(async () => await start())()
			.then(resolve, reject)
			.finally(() => signal.removeEventListener('abort', onAbort));
	});
}

const NETWORK_CODES = /^(?:ETIMEDOUT|ESOCKETTIMEDOUT|ECONNRESET|ECONNREFUSED|ECONNABORTED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|EPIPE|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET)$/;

/**
 * RFC 6749 §5.2 / §4.1.2.1: the OAuth2 error codes that mean "not now", not "not you". n8n's OAuth2
 * client drops the HTTP status of a JSON error body (Entra ID throttles with a 429 and
 * `temporarily_unavailable`), so the code in the body is what is left to tell.
 */
const TEMPORARY_OAUTH_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

/** A refresh that failed for the token endpoint's sake, not because the grant was refused. */
export function isTemporaryRefreshFailure(error: unknown): boolean {
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
		const f = e as { code?: unknown; status?: unknown; statusCode?: unknown; httpStatusCode?: unknown; response?: { status?: unknown }; body?: { error?: unknown } };
		if (typeof f.code === 'string' && NETWORK_CODES.test(f.code)) return true;
		if (typeof f.body?.error === 'string' && TEMPORARY_OAUTH_ERRORS.has(f.body.error)) return true;
		const status = [f.status, f.statusCode, f.httpStatusCode, f.response?.status].map(Number).find((n) => Number.isInteger(n) && n > 0);
		if (status !== undefined) return status >= 500 || status === 429;
	}
	return false;
}

/** The token endpoint's own error answer (RFC 6749 §5.2): its `error` code and `error_description`. */
export interface TokenEndpointAnswer {
	error: string;
	description?: string;
}

/** A parsed error body of a token endpoint, as n8n's OAuth2 client keeps it. */
function isTokenErrorBody(value: unknown): value is { error: string; error_description?: unknown } {
	return isObject(value) && typeof value.error === 'string' && value.error.trim() !== '';
}

/** An error object that carries a token endpoint's parsed answer as public `body` (n8n's AuthError does). */
function hasBody(value: unknown): value is { body: unknown } {
	return isObject(value) && 'body' in value;
}

/**
 * What the token endpoint answered, when the failure carries it. n8n's OAuth2 client words its
 * AuthError after the error code alone, from RFC 6749's table ("The provided authorization grant …
 * is invalid, expired, revoked …"), and keeps the answer only as `body`: Microsoft's "AADSTS700082:
 * The refresh token has expired due to inactivity" or "AADSTS7000222: The provided client secret
 * keys … are expired", Google's "Token has been expired or revoked." are found there alone.
 */
export function tokenEndpointAnswer(error: unknown): TokenEndpointAnswer | undefined {
	for (let e: unknown = error, depth = 0; isObject(e) && depth < 4; e = e.cause, depth++) {
		const body = hasBody(e) ? e.body : undefined;
		if (!isTokenErrorBody(body)) continue;
		const description = typeof body.error_description === 'string' && body.error_description.trim() !== '' ? body.error_description : undefined;
		return { error: body.error.trim(), ...(description !== undefined ? { description } : {}) };
	}
	return undefined;
}

/** Longest token endpoint answer quoted in a message: Microsoft's run to about 300 characters with their trace IDs. */
export const MAX_TOKEN_ANSWER_CHARS = 500;

/**
 * The token endpoint's answer as one sentence for a message: secrets out (a gateway may quote the
 * refresh request, client secret included), on one line, cut to MAX_TOKEN_ANSWER_CHARS. Redacted
 * before it is cut, so that a cut never leaves the start of a secret behind.
 */
function tokenAnswerText(answer: TokenEndpointAnswer, secrets: ReadonlyArray<string | undefined>): string {
	const text = answer.description === undefined ? answer.error : `${answer.error}: ${answer.description}`;
	const line = redactSecrets(text, secrets).replace(/\s+/g, ' ').trim();
	const bounded = boundedReply(line, MAX_TOKEN_ANSWER_CHARS);
	return `The sign-in service answered ${bounded}${/[.!?…]$/.test(bounded) ? '' : '.'}`;
}

/**
 * OAuth2 error codes for an app whose client credentials the token endpoint refuses (RFC 6749 §5.2):
 * an expired client secret (Microsoft's AADSTS7000222), a deleted one, a client ID that is not the
 * one the refresh token was issued to. Signing in again with the same secret cannot help.
 */
const CLIENT_REFUSED = new Set(['invalid_client', 'unauthorized_client']);

/** Milliseconds before the recorded expiry from which a token already counts as expired. */
export const EXPIRY_MARGIN_MS = 60_000;

function finiteNumber(value: unknown): number | undefined {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** `exp` of a JWT access token (Microsoft issues JWTs), read without verifying: only a hint. */
function jwtExpiryMs(token: string): number | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	try {
		const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
		const exp = finiteNumber(payload.exp);
		return exp === undefined ? undefined : exp * 1000;
	} catch {
		return undefined;
	}
}

/**
 * When the access token stops being valid, in epoch milliseconds, if anything tells us:
 * n8n's `n8n_expires_at`, else `expires_in` counted from an issue time (`issued_at` /
 * `created_at`, seconds or milliseconds), else a JWT's `exp`. `undefined` = unknown (then the
 * server's answer decides).
 */
export function accessTokenExpiresAt(tokenData: OAuth2TokenData | undefined): number | undefined {
	if (!tokenData) return undefined;
	const n8nExpiresAt = finiteNumber(tokenData.n8n_expires_at);
	if (n8nExpiresAt !== undefined) return n8nExpiresAt;
	const expiresIn = finiteNumber(tokenData.expires_in);
	const issuedRaw = finiteNumber(tokenData.issued_at) ?? finiteNumber(tokenData.created_at);
	if (expiresIn !== undefined && issuedRaw !== undefined) {
		// Seconds since the epoch are below 1e11 until the year 5138; milliseconds are above.
		const issuedMs = issuedRaw < 1e11 ? issuedRaw * 1000 : issuedRaw;
		return issuedMs + expiresIn * 1000;
	}
	return typeof tokenData.access_token === 'string' ? jwtExpiryMs(tokenData.access_token) : undefined;
}

/** True when the token is known to be expired (or to expire within the margin) at `nowMs`. */
export function isAccessTokenExpired(
	tokenData: OAuth2TokenData | undefined,
	nowMs: number = Date.now(),
	marginMs: number = EXPIRY_MARGIN_MS,
): boolean {
	const expiresAt = accessTokenExpiresAt(tokenData);
	return expiresAt !== undefined && nowMs + marginMs >= expiresAt;
}

/** The access token of a connected credential; throws `OAuth2NotConnectedError` otherwise. */
export function accessTokenOf(data: Pick<OAuth2MailboxCredentialData, 'email' | 'oauthTokenData'>): string {
	const token = data.oauthTokenData?.access_token;
	if (typeof token !== 'string' || token === '') throw new OAuth2NotConnectedError(data.email);
	return token;
}

/** The login for SMTP and IMAP: the mailbox address with its current access token. */
export function mailAuthFromOAuth2Credential(
	data: Pick<OAuth2MailboxCredentialData, 'email' | 'oauthTokenData'>,
): MailAuth {
	const user = (data.email ?? '').trim();
	if (!user) {
		throw new Error('The OAuth2 mailbox credential has no "Mailbox Address": enter the address you sign in with.');
	}
	return { method: 'oauth2', user, accessToken: accessTokenOf(data) };
}

/** The SMTP or IMAP server of the credential (its presets, or what the user changed them to). */
export function mailServerFromOAuth2Credential(
	data: OAuth2MailboxCredentialData,
	protocol: MailProtocol,
	timeoutMs?: number,
): MailServer {
	const host = (protocol === 'smtp' ? data.smtpHost : data.imapHost)?.trim();
	const security = protocol === 'smtp' ? data.smtpSecurity : data.imapSecurity;
	const port = protocol === 'smtp' ? data.smtpPort : data.imapPort;
	if (!host) {
		throw new Error(`The OAuth2 mailbox credential has no ${protocol.toUpperCase()} host: enter one or restore the preset.`);
	}
	return {
		host,
		port: resolvePort(protocol, security, port),
		security,
		allowSelfSigned: data.allowSelfSigned === true,
		...(timeoutMs ? { timeoutMs } : {}),
	};
}

/** The address to put in From: the "send as" address if set, else the mailbox itself. */
export function senderAddressOf(data: Pick<OAuth2MailboxCredentialData, 'email' | 'sendAs'>): string {
	return (data.sendAs ?? '').trim() || data.email.trim();
}

interface ErrorLike {
	kind?: unknown;
	failure?: { kind?: unknown };
	code?: unknown;
	responseCode?: unknown;
	authenticationFailed?: unknown;
	serverResponseCode?: unknown;
	message?: unknown;
	cause?: unknown;
}

/**
 * Did the server refuse the login (as opposed to a network or TLS failure)? Understands
 * nodemailer (`EAUTH`, 530/534/535), imapflow (`authenticationFailed`, `AUTHENTICATIONFAILED`),
 * our own classified errors (lib/mail's `failure.kind === 'auth'`, lib/mailbox's
 * `kind === 'auth'`) and errors that wrap one of those as `cause`.
 */
export function isMailAuthRejection(error: unknown, depth = 0): boolean {
	if (!error || typeof error !== 'object' || depth > 4) return false;
	const e = error as ErrorLike;
	if (e.kind === 'auth' || e.failure?.kind === 'auth') return true;
	if (e.code === 'EAUTH' || e.authenticationFailed === true) return true;
	if (e.serverResponseCode === 'AUTHENTICATIONFAILED') return true;
	if (e.responseCode === 535 || e.responseCode === 534 || e.responseCode === 530) return true;
	return isMailAuthRejection(e.cause, depth + 1);
}

/** Every form of a token (plain, inside XOAUTH2 / OAUTHBEARER base64) is removed: see redact.ts. */
export { redactSecrets };

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** A refused sign-in as lib/mail and lib/mailbox word it, without their password hints: here the token was refused. */
function refusalOf(error: unknown): string {
	return messageOf(error).split(SMTP_PASSWORD_HINT).join('').split(IMAP_PASSWORD_HINT).join('');
}

export interface OAuth2ConnectOptions<T> {
	/** The mailbox (for messages). */
	mailbox: string;
	/** What the user should reconnect, e.g. `"Shop mailbox (Microsoft 365)"`. */
	credentialLabel: string;
	/** The current token data from the credential. */
	tokenData: OAuth2TokenData | undefined;
	/** Opens the connection (or signs in) with this access token. */
	connect(accessToken: string): Promise<T>;
	/**
	 * Asks n8n to refresh the token; returns the new token data (its expiry is then known) or the
	 * new access token alone. Called at most once.
	 */
	refresh(): Promise<OAuth2TokenData | string>;
	/**
	 * The execution's cancel signal: a refresh is not waited for once it aborts (OAuth2CancelledError);
	 * `connect` is the caller's to cancel.
	 */
	signal?: AbortSignal;
	/** Whether an error from `connect` is the server refusing the token. Default: `isMailAuthRejection`. */
	isAuthRejection?(error: unknown): boolean;
	/**
	 * False when this execution already refreshed the token and may not again (see
	 * OAuth2TokenSession): a refusal then stops at once. Default true.
	 */
	canRefresh?: boolean;
	/** Further secrets to keep out of messages, e.g. the OAuth2 client secret a token endpoint may quote back. */
	otherSecrets?: ReadonlyArray<string | undefined>;
	/** Clock, for tests. */
	now?(): number;
}

export interface OAuth2ConnectResult<T> {
	value: T;
	/** The token the connection was made with (keep it in memory only, e.g. to reconnect). */
	accessToken: string;
	refreshed: boolean;
	/** Why a refresh happened: the recorded expiry had passed, or the server refused the token. */
	refreshReason?: 'expired' | 'rejected' | 'missing';
	/** When `accessToken` expires (epoch ms), if known. */
	expiresAt?: number;
}

/**
 * A refresh's answer as token data with a known expiry where there is any: `expires_in` without
 * an issue time counts from `nowMs`, the moment the answer came.
 */
export function refreshedTokenData(answer: OAuth2TokenData | string, nowMs: number): OAuth2TokenData {
	const data: OAuth2TokenData = typeof answer === 'string' ? { access_token: answer } : { ...answer };
	const expiresIn = finiteNumber(data.expires_in);
	if (accessTokenExpiresAt(data) === undefined && expiresIn !== undefined && expiresIn > 0) data.n8n_expires_at = nowMs + expiresIn * 1000;
	return data;
}

/**
 * Connects with the credential's token. A token known to be expired is refreshed first; a token
 * the server refuses is refreshed and tried once more. At most one refresh and at most two
 * sign-in attempts happen, so a mailbox that locks accounts after failed logins is not
 * hammered. Errors other than a refused login (network, TLS) are passed through untouched.
 */
export async function connectWithOAuth2<T>(options: OAuth2ConnectOptions<T>): Promise<OAuth2ConnectResult<T>> {
	const isRejection = options.isAuthRejection ?? isMailAuthRejection;
	const now = options.now ?? Date.now;
	const reconnect = (why: string, detail?: string) =>
		new OAuth2ReconnectError(
			`${why} Reconnect the credential ${options.credentialLabel}: open it and press "Connect my account" ` +
				'(sign in again with the mailbox account and allow mail access).',
			detail,
		);

	const unavailable = (detail: string) =>
		new OAuth2UnavailableError(`The sign-in service for ${options.mailbox} could not be reached to refresh the OAuth2 access token; the next run tries again.`, detail);
	/** The endpoint answered, but "not now" (RFC 6749's temporarily_unavailable, server_error): its words say why. */
	const busy = (said: string) =>
		new OAuth2UnavailableError(`The sign-in service for ${options.mailbox} could not refresh the OAuth2 access token now; the next run tries again. ${said}`);

	/** The app's client credentials were refused: a new client secret is needed before signing in again helps. */
	const clientRefused = (said: string) =>
		new OAuth2ReconnectError(
			`The OAuth2 access token for ${options.mailbox} could not be refreshed: the sign-in service refused the app's client ID or ` +
				`client secret, so signing in again alone does not help. ${said} Create a new client secret in the app registration ` +
				'(Microsoft Entra admin center: App registrations → your app → Certificates & secrets; Google Cloud console: APIs & Services → ' +
				`Credentials → your OAuth client), enter it as Client Secret in the credential ${options.credentialLabel}, then press "Connect my account".`,
		);

	let refreshed = false;
	let expiresAt = accessTokenExpiresAt(options.tokenData);
	const refresh = async (): Promise<string> => {
		refreshed = true;
		let fresh: OAuth2TokenData;
		try {
			fresh = refreshedTokenData(await unlessCancelled(() => options.refresh(), options.signal, options.mailbox), now());
		} catch (error) {
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- not ours to handle: lib/ imports nothing from n8n
			if (error instanceof OAuth2CancelledError) throw error;
			const secrets = [options.tokenData?.access_token, options.tokenData?.refresh_token, ...(options.otherSecrets ?? [])];
			const answer = tokenEndpointAnswer(error);
			if (answer) {
				// The answer goes into the message itself, as IMAP callers show the message alone;
				// n8n's RFC wording (`detail` otherwise) would only repeat the code in general terms.
				const said = tokenAnswerText(answer, secrets);
				if (isTemporaryRefreshFailure(error)) throw busy(said);
				if (CLIENT_REFUSED.has(answer.error)) throw clientRefused(said);
				throw reconnect(`The OAuth2 access token for ${options.mailbox} could not be refreshed. ${said}`);
			}
			const detail = redactSecrets(messageOf(error), secrets);
			if (isTemporaryRefreshFailure(error)) throw unavailable(detail);
			throw reconnect(`The OAuth2 access token for ${options.mailbox} could not be refreshed.`, detail);
		}
		const token = fresh.access_token;
		if (typeof token !== 'string' || token === '') {
			throw reconnect(`Refreshing the OAuth2 access token for ${options.mailbox} returned no token.`);
		}
		expiresAt = accessTokenExpiresAt(fresh);
		return token;
	};

	let refreshReason: OAuth2ConnectResult<T>['refreshReason'];
	let token = options.tokenData?.access_token;
	if (typeof token !== 'string' || token === '') {
		// An authorization-code credential without a token was never connected: refreshing
		// cannot help (there is no refresh token), so say what to do.
		if (!options.tokenData?.refresh_token || options.canRefresh === false) throw new OAuth2NotConnectedError(options.mailbox);
		refreshReason = 'missing';
		token = await refresh();
	} else if (options.canRefresh !== false && isAccessTokenExpired(options.tokenData, now())) {
		refreshReason = 'expired';
		token = await refresh();
	}

	const secrets = () => [token, options.tokenData?.access_token, options.tokenData?.refresh_token, ...(options.otherSecrets ?? [])];
	// Errors leave the `catch` blocks as values: anything but a refused login is the caller's
	// to describe (network, TLS), and is passed on unchanged.
	const attempt = async (accessToken: string): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> => {
		try {
			return { ok: true, value: await options.connect(accessToken) };
		} catch (error) {
			return { ok: false, error };
		}
	};

	const first = await attempt(token);
	if (first.ok) return { value: first.value, accessToken: token, refreshed, refreshReason, expiresAt };
	if (!isRejection(first.error)) throw first.error;
	if (refreshed || options.canRefresh === false) {
		// Only a token refreshed for this very sign-in is "fresh"; one refreshed earlier in the run may have expired since.
		const why = refreshed
			? `${options.mailbox} refused the OAuth2 sign-in even with a freshly refreshed access token.`
			: `${options.mailbox} refused the OAuth2 sign-in with the access token refreshed earlier in this run` +
				(expiresAt !== undefined && expiresAt <= now() ? `, which expired at ${new Date(expiresAt).toISOString()}.` : '.');
		throw reconnect(why, redactSecrets(refusalOf(first.error), secrets()));
	}

	refreshReason = 'rejected';
	token = await refresh();
	const second = await attempt(token);
	if (second.ok) return { value: second.value, accessToken: token, refreshed, refreshReason, expiresAt };
	if (!isRejection(second.error)) throw second.error;
	throw reconnect(
		`${options.mailbox} refused the OAuth2 sign-in, also after refreshing the access token once.`,
		redactSecrets(refusalOf(second.error), secrets()),
	);
}

/**
 * The token state of one execution, for connections opened more than once (a pooled SMTP
 * connection re-established after a break, then the IMAP append to Sent): the token that last
 * worked is reused with its expiry. A run refreshes at most once on the server's word (a token
 * it refuses right after a refresh will not be taken on a second try either, and each try costs
 * a failed login), and once more each time the token it holds is known to have expired: a run
 * can outlast a token's hour. A refreshed token that is already expired on arrival (a skewed
 * clock, an endpoint handing back the old token) earns no further refresh, so this never loops.
 */
export class OAuth2TokenSession {
	private token: string | undefined;
	private expiresAt: number | undefined;
	private refreshes = 0;
	/** The token in hand came from a refresh already expired: its expiry is no reason to refresh again. */
	private expiredOnArrival = false;
	/** The refresh token now in force: a provider may hand out a new one with each refresh (Microsoft does). */
	private refreshToken: string | undefined;
	/** Every token and secret of this session, for redaction: a rotated refresh token is one too. */
	private readonly seen = new Set<string>();

	constructor(private readonly options: Omit<OAuth2ConnectOptions<unknown>, 'connect' | 'canRefresh' | 'signal'>) {
		this.refreshToken = options.tokenData?.refresh_token;
		this.remember(options.tokenData?.access_token, options.tokenData?.refresh_token, ...(options.otherSecrets ?? []));
	}

	/** What must never show in an output or a log: every token and secret this session has held. */
	secrets(): string[] {
		return [...this.seen];
	}

	private remember(...values: Array<string | undefined>): void {
		for (const v of values) if (typeof v === 'string' && v !== '') this.seen.add(v);
	}

	/** The token that last worked, if any (memory only; never log it). */
	get accessToken(): string | undefined {
		return this.token;
	}

	/** Whether this execution has refreshed the token. */
	get refreshed(): boolean {
		return this.refreshes > 0;
	}

	/** `signal`: the execution's cancel signal, for a refresh this connection needs (see OAuth2ConnectOptions). */
	async connect<T>(connect: (accessToken: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
		const now = this.options.now ?? Date.now;
		const original = this.options.tokenData;
		const current: OAuth2TokenData | undefined = this.token
			? {
					access_token: this.token,
					// Kept for the never-connected check.
					...(this.refreshToken ? { refresh_token: this.refreshToken } : {}),
					...(this.expiresAt !== undefined ? { n8n_expires_at: this.expiresAt } : {}),
				}
			: original;
		const expired = isAccessTokenExpired(current, now());
		const result = await connectWithOAuth2<T>({
			...this.options,
			tokenData: current,
			otherSecrets: this.secrets(),
			canRefresh: this.refreshes === 0 || (expired && !this.expiredOnArrival),
			connect,
			signal,
			refresh: async () => {
				this.refreshes++;
				// Kept at once: a connection that then fails for other reasons must not cost another refresh.
				const fresh = refreshedTokenData(await this.options.refresh(), now());
				this.remember(fresh.access_token, fresh.refresh_token);
				if (typeof fresh.refresh_token === 'string' && fresh.refresh_token !== '') this.refreshToken = fresh.refresh_token;
				if (typeof fresh.access_token === 'string' && fresh.access_token !== '') {
					this.token = fresh.access_token;
					this.expiresAt = accessTokenExpiresAt(fresh);
					this.expiredOnArrival = isAccessTokenExpired(fresh, now());
				}
				return fresh;
			},
		});
		this.token = result.accessToken;
		this.expiresAt = result.expiresAt;
		return result.value;
	}
}
