/**
 * An SMTP connector (what the sending loop in send-run.ts opens connections with) that signs in
 * with OAuth2: every connection of the run, re-connections included, goes through one
 * OAuth2TokenSession, so the token is refreshed once per run, and again only when it expires
 * during a long run. When the sign-in cannot be
 * made to work, the connector fails the way a refused password does (an `auth` SmtpConnectError),
 * so the loop stops the run and marks the remaining items `notSent` — with the message that says
 * to reconnect the credential.
 */
import { OAuth2CancelledError, OAuth2NotConnectedError, OAuth2ReconnectError, OAuth2UnavailableError, type OAuth2TokenSession } from './oauth2';
import type { MailServer } from './server';
import { openSmtpSession, SmtpCancelledError, SmtpConnectError, type SmtpConnector, type SmtpConnectorOptions } from './smtp-session';

export function oauth2SmtpConnector(
	server: MailServer,
	mailbox: string,
	tokens: OAuth2TokenSession,
	options: SmtpConnectorOptions = {},
): SmtpConnector {
	return {
		connect: async (signal) => {
			const outcome = await tokens
				.connect((accessToken) => openSmtpSession(server, { method: 'oauth2', user: mailbox, accessToken }, options, signal), signal)
				.then(
					(session) => ({ session }),
					(error: unknown) => ({ error }),
				);
			if ('session' in outcome) return outcome.session;
			const stop = outcome.error;
			// Cancelled while the token was refreshed: reported as a cancelled connect and login is.
			if (stop instanceof OAuth2CancelledError) throw new SmtpCancelledError(false, `${stop.message}; nothing was sent`);
			// The token endpoint is down: this run stops, the mailbox is not paused (as a 454 to AUTH).
			if (stop instanceof OAuth2UnavailableError) {
				throw new SmtpConnectError({ kind: 'authUnavailable', code: null, response: null, message: `${stop.message}${stop.detail ? ` (${stop.detail})` : ''}` });
			}
			// Network and TLS failures are already SmtpConnectErrors described by lib/mail.
			if (!(stop instanceof OAuth2ReconnectError || stop instanceof OAuth2NotConnectedError)) throw stop;
			const detail = stop instanceof OAuth2ReconnectError && stop.detail ? ` (${stop.detail})` : '';
			throw new SmtpConnectError({ kind: 'auth', code: null, response: null, message: `${stop.message}${detail}` });
		},
	};
}
