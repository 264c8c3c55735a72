/**
 * A real SMTP server (nodemailer's smtp-server, in-process, ephemeral loopback port) that accepts
 * only XOAUTH2 and checks each token by asking the loopback OAuth2 server's introspection
 * endpoint over HTTP — the way Dovecot's oauth2 passdb does for IMAP. A refused token gets the
 * XOAUTH2 error challenge and then 535, as Microsoft and Google answer.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

import { selfSignedCert } from '../mail/smtp-test-server';

export interface XOAuth2SmtpServer {
	port: number;
	/**
	 * Each AUTH command: user, connection and whether it was accepted (never the token). Tests count
	 * these: nodemailer's built-in XOAUTH2 login sends AUTH a second time after a refusal, ours must not.
	 */
	logins: Array<{ user: string; ok: boolean; connection: string }>;
	received: Array<{ from: string; to: string[]; raw: Buffer; user?: string }>;
	close(): Promise<void>;
}

export async function startXOAuth2SmtpServer(options: {
	introspectionUrl: string;
	security: 'tls' | 'starttls' | 'none';
}): Promise<XOAuth2SmtpServer> {
	const state: XOAuth2SmtpServer = { port: 0, logins: [], received: [], close: async () => undefined };
	const server = new SMTPServer({
		secure: options.security === 'tls',
		...(options.security === 'none' ? {} : selfSignedCert()),
		disabledCommands: options.security === 'none' ? ['STARTTLS'] : [],
		logger: false,
		authMethods: ['XOAUTH2'],
		allowInsecureAuth: options.security === 'none',
		onAuth(auth, session, callback) {
			const user = auth.username ?? '';
			fetch(options.introspectionUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ token: auth.accessToken ?? '' }).toString(),
			})
				.then(async (res) => (await res.json()) as { active?: boolean; username?: string })
				.then((answer) => {
					const ok = answer.active === true && answer.username === user;
					state.logins.push({ user, ok, connection: session.id });
					if (ok) return callback(null, { user });
					callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
				})
				.catch((error: Error) => callback(error));
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				state.received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks),
					user: session.user as string | undefined,
				});
				callback(null, '2.0.0 Ok: queued');
			});
		},
	});
	server.on('error', () => undefined);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.port = (server.server.address() as AddressInfo).port;
	state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
	return state;
}
