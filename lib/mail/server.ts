/**
 * How we reach a mail server, shared by SMTP sending (lib/mail) and IMAP reading (lib/mailbox).
 * Credentials map onto these; nothing here knows about n8n.
 */

/** `tls` = implicit TLS from the first byte (465, 993); `starttls` = plain, then upgrade, and
 * the upgrade is required; `none` = never encrypted (only for loopback and test servers). */
export type Security = 'tls' | 'starttls' | 'none';

export interface MailServer {
	host: string;
	port: number;
	security: Security;
	/** Accept self-signed or otherwise unverifiable certificates. Off by default. */
	allowSelfSigned: boolean;
	/** Socket and greeting timeouts in milliseconds. */
	timeoutMs?: number;
}

/** Password login, or an OAuth2 access token sent as XOAUTH2 / OAUTHBEARER. */
export type MailAuth =
	| { method: 'password'; user: string; password: string }
	| { method: 'oauth2'; user: string; accessToken: string };

export const DEFAULT_PORTS = {
	smtp: { tls: 465, starttls: 587, none: 25 },
	imap: { tls: 993, starttls: 143, none: 143 },
} as const satisfies Record<'smtp' | 'imap', Record<Security, number>>;

/** The port to use: the one the user set, or the usual one for the chosen security. */
export function resolvePort(protocol: 'smtp' | 'imap', security: Security, port?: number | null): number {
	return port && port > 0 ? port : DEFAULT_PORTS[protocol][security];
}
