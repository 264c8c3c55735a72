/**
 * MailServer + MailAuth → options for nodemailer's SMTP client. The security choice is strict:
 * `starttls` requires the upgrade (a server that does not offer it fails the connection instead of
 * sending the password in clear), `none` never upgrades.
 */
import type { ConnectionOptions } from 'node:tls';
import type { MailAuth, MailServer } from './server';

export interface SmtpClientOptions {
	host: string;
	port: number;
	secure: boolean;
	requireTLS: boolean;
	ignoreTLS: boolean;
	tls: ConnectionOptions;
	name?: string;
	connectionTimeout: number;
	greetingTimeout: number;
	socketTimeout: number;
	logger: false;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function smtpClientOptions(server: MailServer, clientName?: string): SmtpClientOptions {
	const timeout = server.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	return {
		host: server.host,
		port: server.port,
		secure: server.security === 'tls',
		requireTLS: server.security === 'starttls',
		ignoreTLS: server.security === 'none',
		tls: {
			rejectUnauthorized: !server.allowSelfSigned,
			// Old TLS versions are refused by every maintained provider; do not offer them.
			minVersion: 'TLSv1.2',
		},
		...(clientName ? { name: clientName } : {}),
		connectionTimeout: timeout,
		greetingTimeout: timeout,
		// A slow DATA reply (content scanning) must not be mistaken for a dead connection.
		socketTimeout: Math.max(timeout, 60_000),
		// Never log: the client's debug output would contain message data.
		logger: false,
	};
}

/** nodemailer's `auth` option for createTransport (used by the test mail and the benchmark). */
export type NodemailerAuth = { user: string; pass: string } | { type: 'OAuth2'; user: string; accessToken: string };

export function nodemailerAuth(auth: MailAuth): NodemailerAuth {
	return auth.method === 'oauth2'
		? { type: 'OAuth2', user: auth.user, accessToken: auth.accessToken }
		: { user: auth.user, pass: auth.password };
}

/** Full options for `nodemailer.createTransport`, optionally pooled over one connection. */
export function nodemailerTransportOptions(server: MailServer, auth: MailAuth | undefined, pooled = false) {
	return {
		...smtpClientOptions(server),
		...(auth ? { auth: nodemailerAuth(auth) } : {}),
		...(pooled ? { pool: true as const, maxConnections: 1, maxMessages: Infinity } : {}),
	};
}
