/**
 * The editor's "Test" button for the password mailbox credentials: a half-filled login is named
 * in words rather than passed because the server happened not to ask, and a Sender Address the
 * server refuses for this login fails the test rather than the first sending run.
 */
import type { AddressInfo } from 'node:net';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';
import { SMTPServer } from 'smtp-server';

import { verifySmtpWithSender } from '../../lib/mail/smtp-session';
import { testSmtpCredential } from '../../nodes/SendReminderEmail/transport';
import { testImapCredential } from '../../nodes/shared/imap-credential';
import { testOAuth2MailboxCredential } from '../../nodes/shared/oauth2-credential-test';
import { startRawSmtpServer, type RawSmtpServer } from '../mail/raw-smtp-server';

const cred = (type: string, data: ICredentialDataDecryptedObject): ICredentialsDecrypted => ({ id: 'c', name: 'Shop', type, data });

let server: RawSmtpServer;
beforeAll(async () => {
	// Takes mail without a login, as a relay on the local network does: the case where a missing User went unnoticed.
	server = await startRawSmtpServer();
});
afterAll(async () => {
	await server.close();
});

const smtp = (login: { user?: string; password?: string }) =>
	cred('dunningSmtpApi', { host: '127.0.0.1', port: server.port, security: 'none', fromAddress: 'shop@example.test', ...login });

test('SMTP: a password without a User is an error that says which field to fill in, and never shows the password', async () => {
	for (const user of ['', '   ', undefined]) {
		const result = await testSmtpCredential(smtp({ user, password: 'Geheim-1234' }));
		expect(result).toEqual({
			status: 'Error',
			message:
				'The SMTP credential’s User is empty but a password is set: enter the mailbox’s login name (usually the full email address), or clear the password if the server needs no login.',
		});
	}
	// Nothing was sent to the server: the credential is refused before connecting.
	expect(server.connections).toHaveLength(0);
});

test('SMTP: a server that needs no login (User and Password both empty) still tests OK; a full login too', async () => {
	expect(await testSmtpCredential(smtp({ user: '', password: '' }))).toEqual({ status: 'OK', message: `Connected to 127.0.0.1:${server.port} (no login configured). ${ACCEPTED('shop@example.test')}` });
	expect(await testSmtpCredential(smtp({}))).toMatchObject({ status: 'OK' });
	expect(await testSmtpCredential(smtp({ user: 'shop@example.test', password: 'Geheim-1234' }))).toEqual({
		status: 'OK',
		message: `Connected to 127.0.0.1:${server.port} and signed in as shop@example.test. ${ACCEPTED('shop@example.test')}`,
	});
});

/** The end of an OK test message once the server was asked about the sender and did not refuse it. */
const ACCEPTED = (sender: string) =>
	`The server did not refuse ${sender} as Sender Address when asked (MAIL FROM and RCPT TO, nothing sent). ` +
	'Some servers, Microsoft 365 among them, check the sender only when a mail goes out: the Mailbox check workflow sends one.';

describe('SMTP: the test asks the server about the Sender Address, without sending anything', () => {
	const LOGIN = 'buchhaltung@shop.example';
	const OTHER = 'mahnung@other-shop.example';
	type Answer = { code: number; text: string } | undefined;
	interface SenderServer {
		port: number;
		/** Every command the server was given after the login (AUTH, MAIL, RCPT, RSET, DATA, QUIT …). */
		commands: string[];
		/** Messages whose data arrived. */
		messages: number;
		close(): Promise<void>;
	}
	const running: SenderServer[] = [];
	afterEach(async () => {
		await Promise.all(running.splice(0).map((s) => s.close()));
	});
	const refusal = (answer: { code: number; text: string }) => Object.assign(new Error(answer.text), { responseCode: answer.code });

	/** smtp-server taking LOGIN's password, answering MAIL FROM and RCPT TO as told (undefined: 250). */
	async function senderServer(answers: { mailFrom?: (address: string, user: string) => Answer; rcptTo?: (address: string, user: string) => Answer }): Promise<SenderServer> {
		const seen: SenderServer = { port: 0, commands: [], messages: 0, close: async () => undefined };
		const quiet = () => undefined;
		const server = new SMTPServer({
			secure: false,
			disabledCommands: ['STARTTLS'],
			allowInsecureAuth: true,
			authMethods: ['PLAIN', 'LOGIN'],
			// smtp-server logs each command it is given at debug level: the server-side record.
			logger: {
				debug: (entry: { tnx?: string; command?: string }) => {
					if (entry?.tnx === 'command' && entry.command) seen.commands.push(entry.command.toUpperCase());
				},
				trace: quiet,
				info: quiet,
				warn: quiet,
				error: quiet,
				fatal: quiet,
			},
			onAuth(auth, _session, callback) {
				if (auth.username === LOGIN && auth.password === 'Geheim-1234') return callback(null, { user: auth.username });
				return callback(refusal({ code: 535, text: '5.7.8 Authentication credentials invalid' }));
			},
			onMailFrom(address, session, callback) {
				const answer = answers.mailFrom?.(address.address, String(session.user));
				callback(answer ? refusal(answer) : null);
			},
			onRcptTo(address, session, callback) {
				const answer = answers.rcptTo?.(address.address, String(session.user));
				callback(answer ? refusal(answer) : null);
			},
			onData(stream, _session, callback) {
				stream.resume();
				stream.on('end', () => {
					seen.messages++;
					callback(null, 'Ok: queued');
				});
			},
		});
		server.on('error', () => undefined);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		seen.port = (server.server.address() as AddressInfo).port;
		seen.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
		running.push(seen);
		return seen;
	}
	const credential = (s: SenderServer, fromAddress: string) =>
		cred('dunningSmtpApi', { host: '127.0.0.1', port: s.port, security: 'none', user: LOGIN, password: 'Geheim-1234', fromAddress });
	/** As much of `text` as `start` is long: compared with `start`, a failure shows both. */
	const head = (text: string, start: string) => text.slice(0, start.length);
	/** The commands after the login, without the QUIT that ends the test. */
	const afterLogin = (s: SenderServer) => s.commands.slice(s.commands.indexOf('AUTH') + 1).filter((c) => c !== 'QUIT');

	test('a server that takes the sender is asked MAIL FROM, RCPT TO and RSET, never DATA: nothing is sent, and the OK says where the sender is finally checked', async () => {
		const s = await senderServer({});
		expect(await testSmtpCredential(credential(s, LOGIN))).toEqual({ status: 'OK', message: `Connected to 127.0.0.1:${s.port} and signed in as ${LOGIN}. ${ACCEPTED(LOGIN)}` });
		expect(afterLogin(s)).toEqual(['MAIL', 'RCPT', 'RSET']);
		expect(s.messages).toBe(0);
	});

	test('a server that refuses MAIL FROM for a sender the login does not own (Postfix reject_sender_login_mismatch, smtpd_delay_reject=no): Error naming the Sender Address and the user', async () => {
		const s = await senderServer({
			mailFrom: (address, user) => (address === user ? undefined : { code: 553, text: `5.7.1 <${address}>: Sender address rejected: not owned by user ${user}` }),
		});
		expect(await testSmtpCredential(credential(s, OTHER))).toEqual({
			status: 'Error',
			message:
				`The server refuses ${OTHER} as Sender Address for user ${LOGIN}: 553 5.7.1 <${OTHER}>: Sender address rejected: not owned by user ${LOGIN}. ` +
				"Nothing was sent. Use a Sender Address this login may send from (usually the login's own address), or have the mail provider allow this one",
		});
		// No RCPT TO after the refused MAIL FROM, and no message.
		expect(afterLogin(s)).toEqual(['MAIL']);
		expect(s.messages).toBe(0);
		// The same server with the login's own address: OK.
		expect(await testSmtpCredential(credential(s, LOGIN))).toMatchObject({ status: 'OK' });
	});

	test('a server that refuses the sender at RCPT TO (Postfix default smtpd_delay_reject=yes: "5.7.1 Sender address rejected: not owned by user"): Error', async () => {
		const s = await senderServer({ rcptTo: () => ({ code: 553, text: '5.7.1 Sender address rejected: not owned by user' }) });
		const result = await testSmtpCredential(credential(s, OTHER));
		expect(result.status).toBe('Error');
		const start = `The server refuses ${OTHER} as Sender Address for user ${LOGIN}: 553 5.7.1 Sender address rejected: not owned by user. Nothing was sent`;
		expect(head(result.message, start)).toBe(start);
		expect(afterLogin(s)).toEqual(['MAIL', 'RCPT', 'RSET']);
		expect(s.messages).toBe(0);
	});

	test('a refusal of several lines ("553-…", "553 …"), which nodemailer gives custom commands no status for, is read too; a password it echoes is not shown', async () => {
		const raw = await startRawSmtpServer({
			onLine(line, conn) {
				if (!/^RCPT TO:/i.test(line)) return false;
				conn.reply('553-5.7.1 Sender address rejected: not owned by user (password Geheim-1234)\r\n553 5.7.1 See https://help.example/sender');
				return true;
			},
		});
		try {
			const result = await testSmtpCredential(cred('dunningSmtpApi', { host: '127.0.0.1', port: raw.port, security: 'none', user: LOGIN, password: 'Geheim-1234', fromAddress: OTHER }));
			expect(result.status).toBe('Error');
			const start = `The server refuses ${OTHER} as Sender Address for user ${LOGIN}: 553-5.7.1 Sender address rejected: not owned by user (password [redacted]) 553 5.7.1 See https://help.example/sender. Nothing was sent`;
			expect(head(result.message, start)).toBe(start);
			expect(raw.messages).toHaveLength(0);
		} finally {
			await raw.close();
		}
	});

	test('our own server denying relaying at RCPT TO fails the test: a sending run would stop on it, as every customer would be refused alike', async () => {
		const s = await senderServer({ rcptTo: () => ({ code: 554, text: '5.7.1 <' + OTHER + '>: Relay access denied' }) });
		const result = await testSmtpCredential(credential(s, OTHER));
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`The server refuses to send for user ${LOGIN} (`);
		expect(result.message).toContain('Relay access denied');
		expect(result.message).toContain('every reminder would be refused the same way');
		expect(afterLogin(s)).toEqual(['MAIL', 'RCPT', 'RSET']);
		expect(s.messages).toBe(0);
	});

	test('a refusal at RCPT TO that is about neither the sender nor our server ("550 5.1.1 mailbox unknown" for the sender address) does not fail a credential that can send', async () => {
		const s = await senderServer({ rcptTo: () => ({ code: 550, text: '5.1.1 <' + OTHER + '>: Recipient address rejected: User unknown in virtual mailbox table' }) });
		expect(await testSmtpCredential(credential(s, OTHER))).toEqual({ status: 'OK', message: `Connected to 127.0.0.1:${s.port} and signed in as ${LOGIN}. ${ACCEPTED(OTHER)}` });
		expect(afterLogin(s)).toEqual(['MAIL', 'RCPT', 'RSET']);
		expect(s.messages).toBe(0);
	});

	test.each([
		['MAIL FROM', { mailFrom: () => ({ code: 451, text: '4.3.0 Sender address lookup failed, try again later' }) }, ['MAIL']],
		['RCPT TO', { rcptTo: () => ({ code: 450, text: '4.7.1 Sender address rejected: try again later' }) }, ['MAIL', 'RCPT', 'RSET']],
	] as const)('a temporary refusal (4xx) at %s is OK, with the server words noted', async (_command, answers, commands) => {
		const s = await senderServer(answers);
		const result = await testSmtpCredential(credential(s, OTHER));
		expect(result.status).toBe('OK');
		const start = `Connected to 127.0.0.1:${s.port} and signed in as ${LOGIN}. The server put off answering whether it takes ${OTHER} as Sender Address (45`;
		expect(head(result.message, start)).toBe(start);
		expect(result.message).toMatch(/\(45\d 4\.\d\.\d [^)]*try again later\)/);
		expect(result.message).toMatch(/check the sender only when a mail goes out: the Mailbox check workflow sends one\.$/);
		expect(afterLogin(s)).toEqual(commands);
		expect(s.messages).toBe(0);
	});

	test.each([
		['MAIL FROM', /^MAIL FROM:/i, ['MAIL FROM']],
		['RCPT TO', /^RCPT TO:/i, ['MAIL FROM', 'RCPT TO']],
	] as const)('a 421 at %s, after which the connection closes (nodemailer closes it at once), is OK with the server words noted, not a lost connection', async (_command, answered, commands) => {
		const raw = await startRawSmtpServer({
			onLine(line, conn) {
				if (!answered.test(line)) return false;
				conn.reply('421 4.7.0 raw.test Too many errors, closing connection');
				conn.close();
				return true;
			},
		});
		try {
			const result = await testSmtpCredential(cred('dunningSmtpApi', { host: '127.0.0.1', port: raw.port, security: 'none', user: LOGIN, password: 'Geheim-1234', fromAddress: OTHER }));
			expect(result).toEqual({
				status: 'OK',
				message:
					`Connected to 127.0.0.1:${raw.port} and signed in as ${LOGIN}. ` +
					`The server put off answering whether it takes ${OTHER} as Sender Address (421 4.7.0 raw.test Too many errors, closing connection). ` +
					'Some servers, Microsoft 365 among them, check the sender only when a mail goes out: the Mailbox check workflow sends one.',
			});
			// Nothing after the 421: no RSET into the closed connection, no data.
			const envelope = raw.connections[0].lines.filter((l) => /^(MAIL|RCPT|RSET|DATA)/i.test(l)).map((l) => l.split(':')[0].toUpperCase());
			expect(envelope).toEqual(commands);
			expect(raw.messages).toHaveLength(0);
		} finally {
			await raw.close();
		}
	});

	test.each([
		['530 5.7.0 Authentication required'],
		['530 5.7.57 Client not authenticated to send mail'],
		['550 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM'],
	])('no login configured and "%s" at MAIL FROM: Error saying the server requires a login, not blaming the Sender Address', async (reply) => {
		const raw = await startRawSmtpServer({
			onLine(line, conn) {
				if (!/^MAIL FROM:/i.test(line)) return false;
				conn.reply(reply);
				return true;
			},
		});
		try {
			const result = await testSmtpCredential(cred('dunningSmtpApi', { host: '127.0.0.1', port: raw.port, security: 'none', user: '', password: '', fromAddress: OTHER }));
			expect(result).toEqual({
				status: 'Error',
				message: `The server at 127.0.0.1:${raw.port} requires a login to send mail (MAIL FROM: ${reply}), and none is configured: enter User and Password. Nothing was sent`,
			});
			expect(raw.connections[0].lines.some((l) => /^AUTH/i.test(l))).toBe(false);
			expect(raw.messages).toHaveLength(0);
		} finally {
			await raw.close();
		}
	});

	test('a server that goes quiet after MAIL FROM fails within the setup deadline, saying at which command', async () => {
		const raw = await startRawSmtpServer({ onLine: (line) => /^MAIL FROM:/i.test(line) });
		try {
			const server = { host: '127.0.0.1', port: raw.port, security: 'none' as const, allowSelfSigned: false, timeoutMs: 500 };
			const { failure } = await verifySmtpWithSender(server, { method: 'password', user: LOGIN, password: 'Geheim-1234' }, OTHER, { replyTimeoutMs: 500 });
			expect(failure).toMatchObject({ kind: 'connectionLost', message: expect.stringContaining(`127.0.0.1:${raw.port} stopped answering while asked about the sender (MAIL FROM)`) });
			expect(raw.messages).toHaveLength(0);
		} finally {
			await raw.close();
		}
	});

	test('the OAuth2 credential test asks the same about its Send As address', async () => {
		// The raw server takes any XOAUTH2 token; it refuses every sender but the mailbox's own.
		const raw = await startRawSmtpServer({
			onLine(line, conn) {
				const from = /^MAIL FROM:<([^>]*)>/i.exec(line)?.[1];
				if (from === undefined || from === LOGIN) return false;
				conn.reply(`550 5.7.60 SMTP; Client does not have permissions to send as this sender`);
				return true;
			},
		});
		const closed = await startRawSmtpServer();
		const imapPort = closed.port;
		await closed.close();
		try {
			const result = await testOAuth2MailboxCredential({
				email: LOGIN,
				sendAs: OTHER,
				smtpHost: '127.0.0.1',
				smtpPort: raw.port,
				smtpSecurity: 'none',
				imapHost: '127.0.0.1',
				imapPort,
				imapSecurity: 'none',
				oauthTokenData: { access_token: 'ya29.token-1', refresh_token: 'refresh-1' },
			});
			expect(result.status).toBe('Error');
			const start = `SMTP 127.0.0.1:${raw.port}: The server refuses ${OTHER} as Sender Address for user ${LOGIN}: 550 5.7.60 SMTP; Client does not have permissions to send as this sender. Nothing was sent`;
			expect(head(result.message, start)).toBe(start);
			expect(raw.connections[0].lines.some((l) => /^DATA/i.test(l))).toBe(false);
			expect(raw.messages).toHaveLength(0);
		} finally {
			await raw.close();
		}
	});
});

test('IMAP: no User is already an error (IMAP always logs in), with or without a password', async () => {
	for (const password of ['Geheim-1234', '']) {
		const result = await testImapCredential(cred('dunningImapApi', { host: '127.0.0.1', port: 1, security: 'none', user: ' ', password }));
		expect(result).toEqual({ status: 'Error', message: 'The IMAP credential has no User: enter the mailbox login, usually the full email address.' });
	}
});
