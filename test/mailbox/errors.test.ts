import { createServer, type Server } from 'node:net';

import type { MailServer } from '../../lib/mail/server';
import { describeImapError, MailboxError, readMailbox, verifyMailbox } from '../../lib/mailbox';
import { searchedUids } from '../../lib/mailbox/errors';
import { describeWithSandbox, SANDBOX, sandboxAuth, sandboxImapServer } from '../servers/sandbox';
import { startRawImapServer } from './raw-imap-server';

const noop = () => undefined;
const readInbox = (server: MailServer, password = 'dunning-pass') =>
	readMailbox(
		server,
		{ method: 'password', user: SANDBOX.users.dunning.user, password },
		{ folder: 'INBOX', mode: 'unseen', maxMessages: 1, postAction: { type: 'none' } },
		noop,
	);

describe('describeImapError (no server needed)', () => {
	const server: MailServer = { host: 'imap.example.org', port: 993, security: 'tls', allowSelfSigned: false };

	it('maps socket-level codes to causes in words', () => {
		expect(describeImapError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), server).kind).toBe('hostNotFound');
		expect(describeImapError(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }), server).message).toMatch(/timed out.*port blocked/);
		expect(describeImapError(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), server).message).toMatch(
			/not trusted.*Allow Self-Signed/,
		);
	});

	it('a server\'s refusal gives its own words and code, not imapflow\'s "Command failed", without the password', () => {
		const err = Object.assign(new Error('Command failed'), { responseText: "Character not allowed in mailbox name: '/' (s3cret-pw)", serverResponseCode: 'CANNOT' });
		const described = describeImapError(err, server, 'shop@example.org', ['s3cret-pw']);
		expect(described.message).toBe("IMAP error from imap.example.org:993: [CANNOT] Character not allowed in mailbox name: '/' ([redacted])");
	});

	it('a search the server refused (imapflow answers false) is an error, not an empty folder', () => {
		expect(() => searchedUids(false, 'INBOX')).toThrow(new MailboxError('server', 'The server refused to search the folder "INBOX"; nothing was read or moved. Try again later, or check the folder on the server.'));
		expect(searchedUids([3, 4], 'INBOX')).toEqual([3, 4]);
		expect(searchedUids(undefined, 'INBOX')).toEqual([]);
	});

	it('never repeats the password, even when the server echoes it', () => {
		const err = Object.assign(new Error('LOGIN failed for s3cret-pw'), { authenticationFailed: true, responseText: 'bad s3cret-pw' });
		const described = describeImapError(err, server, 'shop@example.org', ['s3cret-pw']);
		expect(described.kind).toBe('auth');
		expect(described.message).not.toContain('s3cret-pw');
		expect(described.message).toMatch(/Authentication failed for user "shop@example.org".*app password.*OAuth2/);
	});

	it('never repeats a password with " and \\ in any form it takes on the wire', () => {
		const pw = 'pa"ss\\wörd';
		const user = 'shop@example.org';
		const forms = [
			pw,
			// IMAP quoted string, as imapflow's LOGIN sends it.
			`"${pw.replace(/[\\"]/g, '\\$&')}"`,
			// Literal form: {n} then the raw bytes.
			`{${Buffer.byteLength(pw)}}\r\n${pw}`,
			Buffer.from(`\0${user}\0${pw}`).toString('base64'),
		];
		for (const form of forms) {
			const err = Object.assign(new Error(`NO rejected ${form}`), { authenticationFailed: true, responseText: `bad ${form}` });
			const text = describeImapError(err, server, user, [pw]).message;
			expect(text).not.toContain(pw);
			expect(text).not.toContain(pw.replace(/[\\"]/g, '\\$&'));
			expect(text).not.toContain(Buffer.from(`\0${user}\0${pw}`).toString('base64').slice(8, 24));
		}
		const token = 'ya29.a0AfH6SMB-token-value';
		for (const blob of [`user=${user}\x01auth=Bearer ${token}\x01\x01`, `n,a=${user},\x01auth=Bearer ${token}\x01\x01`]) {
			const b64 = Buffer.from(blob).toString('base64');
			const text = describeImapError(new Error(`AUTHENTICATE failed: ${b64}`), server, user, [token]).message;
			expect(text).not.toContain(b64.slice(20, 40));
		}
	});

	it('passes a MailboxError through unchanged', () => {
		const e = new MailboxError('folderMissing', 'gone');
		expect(describeImapError(e, server)).toBe(e);
	});
});

describe('a server that echoes the LOGIN command (a scripted mock: Dovecot does not echo)', () => {
	it('the error keeps no form of a password with " and \\', async () => {
		const pw = 'x"y\\z-secret';
		const raw = await startRawImapServer({ messages: [], capabilities: 'IMAP4rev1', login: (command) => `NO [AUTHENTICATIONFAILED] you sent ${command}` });
		try {
			const err = (await readMailbox(
				{ host: '127.0.0.1', port: raw.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 },
				{ method: 'password', user: 'shop', password: pw },
				{ folder: 'INBOX', mode: 'unseen', maxMessages: 1, postAction: { type: 'none' } },
				noop,
			).catch((e: unknown) => e)) as MailboxError;
			// The echo really carried the quoted form, so the assertion below is about redaction.
			expect(raw.commands.join('\n')).toContain('"x\\"y\\\\z-secret"');
			expect(err.kind).toBe('auth');
			expect(err.message).toContain('you sent LOGIN');
			expect(err.message).not.toMatch(/y\\*z-secret/);
		} finally {
			await raw.stop();
		}
	});
});

describe('connection failures against real sockets', () => {
	// The sandbox's port nothing ever listens on (also without the sandbox): the kernel refuses it, no mock involved.
	const closedPort = SANDBOX.closedPort;

	it('closed port → "connection refused" naming host and port', async () => {
		await expect(readInbox({ host: '127.0.0.1', port: closedPort, security: 'none', allowSelfSigned: false })).rejects.toMatchObject({
			kind: 'connectionRefused',
			message: expect.stringContaining(`Connection refused by 127.0.0.1:${closedPort}`),
		});
	});

	it('unresolvable host → "host not found"', async () => {
		await expect(readInbox({ host: 'imap.does-not-exist.invalid', port: 993, security: 'tls', allowSelfSigned: false, timeoutMs: 5000 })).rejects.toMatchObject({
			kind: 'hostNotFound',
			message: expect.stringContaining('"imap.does-not-exist.invalid" does not resolve'),
		});
	});

	describe('a server that does not offer STARTTLS', () => {
		// A fake IMAP greeter: Dovecot always offers STARTTLS, so this one fault needs a stand-in.
		let fake: Server;
		let port: number;
		beforeAll(async () => {
			fake = createServer((sock) => {
				sock.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready\r\n');
				sock.on('data', (d) => {
					const tag = d.toString().split(' ')[0];
					if (/CAPABILITY/i.test(d.toString())) sock.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
					else if (/LOGOUT/i.test(d.toString())) sock.end(`* BYE\r\n${tag} OK bye\r\n`);
					else sock.write(`${tag} BAD not here\r\n`);
				});
				sock.on('error', noop);
			});
			await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
			port = (fake.address() as { port: number }).port;
		});
		afterAll(async () => {
			await new Promise((r) => fake.close(r));
		});

		it('STARTTLS chosen → refuses to log in in the clear, says so', async () => {
			await expect(readInbox({ host: '127.0.0.1', port, security: 'starttls', allowSelfSigned: false })).rejects.toMatchObject({
				kind: 'starttlsMissing',
				message: expect.stringContaining('does not offer STARTTLS'),
			});
		});
	});
});

describeWithSandbox('connection and login failures against the sandbox Dovecot', () => {
	it('wrong password → "authentication failed" with the hint, without the password', async () => {
		const err = (await readInbox(sandboxImapServer('starttls'), 'wrong-password-123').catch((e: unknown) => e)) as MailboxError;
		expect(err).toBeInstanceOf(MailboxError);
		expect(err.kind).toBe('auth');
		expect(err.message).toMatch(/Authentication failed for user "dunning@example.test".*app password/);
		expect(err.message).not.toContain('wrong-password-123');
	});

	it('SSL/TLS on the STARTTLS port → "TLS handshake failed (wrong security for this port?)"', async () => {
		await expect(readInbox({ ...sandboxImapServer('tls'), port: SANDBOX.imapPort })).rejects.toMatchObject({
			kind: 'tls',
			message: expect.stringContaining('wrong security for this port?'),
		});
	});

	it('no encryption on the implicit-TLS port → no greeting within the timeout, with the hint', async () => {
		await expect(readInbox({ ...sandboxImapServer('none', 1500), port: SANDBOX.imapsPort })).rejects.toMatchObject({
			kind: 'noGreeting',
			message: expect.stringContaining('wrong security for this port?'),
		});
	});

	it('self-signed certificate without "allow self-signed" → "not trusted"', async () => {
		await expect(readInbox({ ...sandboxImapServer('tls'), allowSelfSigned: false })).rejects.toMatchObject({
			kind: 'certificate',
			message: expect.stringContaining('Allow Self-Signed Certificates'),
		});
	});

	it('verifyMailbox logs in and lists folders, including the Sent folder', async () => {
		const check = await verifyMailbox(sandboxImapServer('starttls'), sandboxAuth('dunning'));
		expect(check.folders).toEqual(expect.arrayContaining(['INBOX', 'Sent']));
		expect(check.sentFolder).toBe('Sent');
	});
});

describe('a server that forbids LOGIN on a plain connection (LOGINDISABLED, RFC 3501 §6.2.3; a scripted mock)', () => {
	it('says to choose STARTTLS or SSL/TLS, not "wrong password?", and sends no LOGIN', async () => {
		const raw = await startRawImapServer({ messages: [], capabilities: 'IMAP4rev1 STARTTLS LOGINDISABLED' });
		try {
			const err = (await readMailbox(
				{ host: '127.0.0.1', port: raw.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 },
				{ method: 'password', user: 'shop', password: 'pw-secret' },
				{ folder: 'INBOX', mode: 'unseen', maxMessages: 1, postAction: { type: 'none' } },
				noop,
			).catch((e: unknown) => e)) as MailboxError;
			expect(err.kind).toBe('tls');
			expect(err.message).toBe(`127.0.0.1:${raw.port} refuses logins on an unencrypted connection (it announces LOGINDISABLED): choose STARTTLS (port 143) or SSL/TLS (port 993) as Security in the credential. The password was not sent.`);
			expect(raw.commands.filter((c) => /LOGIN|AUTHENTICATE/i.test(c.split(' ')[1] ?? ''))).toEqual([]);
		} finally {
			await raw.stop();
		}
	});
});

describe('an OAuth2 sign-in to a server without XOAUTH2 / OAUTHBEARER (a scripted mock: the sandbox Dovecot offers both)', () => {
	it('names the missing mechanism and the provider hosts, not "Unsupported authentication mechanism", and sends no token', async () => {
		const raw = await startRawImapServer({ messages: [], capabilities: 'IMAP4rev1 AUTH=PLAIN AUTH=LOGIN' });
		try {
			const err = (await readMailbox(
				{ host: '127.0.0.1', port: raw.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 },
				{ method: 'oauth2', user: 'shop@example.test', accessToken: 'ya29.token-secret' },
				{ folder: 'INBOX', mode: 'unseen', maxMessages: 1, postAction: { type: 'none' } },
				noop,
			).catch((e: unknown) => e)) as MailboxError;
			expect(err.kind).toBe('invalidOptions');
			expect(err.message).toContain(`127.0.0.1:${raw.port} offers no OAuth2 sign-in (its capabilities name neither AUTH=XOAUTH2 nor AUTH=OAUTHBEARER)`);
			expect(err.message).toContain('outlook.office365.com');
			expect(raw.commands.filter((c) => /LOGIN|AUTHENTICATE/i.test(c.split(' ')[1] ?? ''))).toEqual([]);
		} finally {
			await raw.stop();
		}
	});
});
