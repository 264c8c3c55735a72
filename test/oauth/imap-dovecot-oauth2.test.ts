/**
 * IMAP with OAuth2 against the sandbox's real Dovecot, whose `oauth2` passdb
 * (test/servers/dovecot-oauth2.conf.tmpl) validates every token by introspection at
 * 127.0.0.1:10080 — the loopback token server this file runs there. The only test file that
 * binds that port. Also runs the credential test (SMTP + IMAP sign-in) end to end.
 */
import { connect } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { connectWithOAuth2, OAuth2ReconnectError } from '../../lib/mail/oauth2';
import { closeImap, connectImap, listFolders } from '../../lib/mailbox/connection';
import { testOAuth2MailboxCredential } from '../../nodes/shared/oauth2-credential-test';
import {
	appendMessages,
	deleteFolders,
	describeWithSandbox,
	SANDBOX,
	sandboxImapServer,
	searchUids,
	testMessage,
	uniqueFolder,
} from '../servers/sandbox';

import { node, runWorkflow } from '../harness/engine';

import { useOAuth2MailFixture } from './fixture';

/**
 * Sends one IMAP command on a plain connection (the sandbox allows that on loopback) and returns
 * the tagged answer; a refused SASL exchange gets the empty response the mechanisms expect.
 */
async function rawImapAuthenticate(command: string): Promise<string> {
	return await new Promise((resolve, reject) => {
		const socket = connect(SANDBOX.imapPort, SANDBOX.host);
		let buffer = '';
		let sent = false;
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error(`no IMAP answer; got: ${buffer}`));
		}, 15_000);
		socket.on('error', reject);
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			const lines = buffer.split('\r\n');
			if (!sent && lines[0].startsWith('* OK')) {
				sent = true;
				socket.write(`${command}\r\n`);
			}
			if (lines.some((l) => l.startsWith('+ '))) {
				buffer = buffer.replace(/^\+ .*\r\n/m, '');
				socket.write('\r\n');
			}
			const tagged = lines.find((l) => l.startsWith('a '));
			if (tagged) {
				clearTimeout(timer);
				socket.end('z LOGOUT\r\n');
				resolve(tagged);
			}
		});
	});
}

/** Fixed: Dovecot's passdb config points here (test/servers/dovecot-oauth2-passdb.ext.tmpl). */
const INTROSPECTION_PORT = 10080;
const USER = SANDBOX.users.dunning.user;

jest.setTimeout(30_000);

describeWithSandbox('OAuth2 sign-in to Dovecot (XOAUTH2 / OAUTHBEARER)', () => {
	// Our own clients use the ephemeral port: fetch() refuses 10080, a "bad port" in the Fetch
	// standard. Dovecot's HTTP client has no such list.
	const { tokens, smtp, credential: oauth2Credential } = useOAuth2MailFixture({ mailbox: USER, introspectionPort: INTROSPECTION_PORT });
	/** The OAuth2 credential with IMAP pointed at the sandbox's Dovecot. */
	const sandboxCredential = (tokenData: IDataObject): ICredentialDataDecryptedObject =>
		oauth2Credential(tokenData, { imapHost: SANDBOX.host, imapPort: SANDBOX.imapPort, imapSecurity: 'starttls' });
	const folders: string[] = [];

	afterAll(async () => {
		await deleteFolders('dunning', folders).catch(() => undefined);
	});

	async function readFolder(tokenData: Record<string, unknown>, folder: string) {
		return await connectWithOAuth2({
			mailbox: USER,
			credentialLabel: '"Sandbox"',
			tokenData,
			connect: async (accessToken) => {
				const client = await connectImap(sandboxImapServer('starttls'), { method: 'oauth2', user: USER, accessToken });
				try {
					const lock = await client.getMailboxLock(folder);
					try {
						const subjects: string[] = [];
						for await (const msg of client.fetch('1:*', { envelope: true })) subjects.push(msg.envelope?.subject ?? '');
						return { subjects, folders: (await listFolders(client)).map((f) => f.path) };
					} finally {
						lock.release();
					}
				} finally {
					await closeImap(client);
				}
			},
			refresh: async () => {
				const res = await fetch(tokens.tokenUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({
						grant_type: 'refresh_token',
						refresh_token: String(tokenData.refresh_token),
						client_id: tokens.clientId,
						client_secret: tokens.clientSecret,
					}).toString(),
				});
				const body = (await res.json()) as { access_token?: string; error?: string };
				if (!res.ok) throw new Error(`token endpoint answered ${body.error}`);
				return body.access_token!;
			},
		});
	}

	it('a valid token signs in (Dovecot asked our endpoint) and the folder is read', async () => {
		const folder = uniqueFolder('oauth-read');
		folders.push(folder);
		await appendMessages('dunning', folder, [testMessage({ subject: 'read over oauth', marker: folder })]);
		const t = tokens.issue(USER);
		const result = await readFolder(tokens.tokenData(t), folder);
		expect(result.refreshed).toBe(false);
		expect(result.value.subjects).toEqual(['read over oauth']);
		expect(result.value.folders).toContain(folder);
		expect(tokens.requests.some((r) => r.path === '/introspect' && r.user === USER && r.result === 'ok')).toBe(true);
	});

	it('a token Dovecot refuses (expired at the provider) is refreshed once and the retry reads', async () => {
		const folder = uniqueFolder('oauth-refresh');
		folders.push(folder);
		await appendMessages('dunning', folder, [testMessage({ subject: 'after refresh', marker: folder })]);
		const t = tokens.issue(USER);
		tokens.expire(t.accessToken);
		const result = await readFolder(tokens.tokenData(t, { withExpiry: false }), folder);
		expect(result).toMatchObject({ refreshed: true, refreshReason: 'rejected' });
		expect(result.value.subjects).toEqual(['after refresh']);
	});

	it('Dovecot also takes XOAUTH2 (the only OAuth mechanism Microsoft 365 offers; imapflow prefers OAUTHBEARER here)', async () => {
		const t = tokens.issue(USER);
		const xoauth2 = (token: string) => Buffer.from(`user=${USER}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
		expect(await rawImapAuthenticate(`a AUTHENTICATE XOAUTH2 ${xoauth2(t.accessToken)}`)).toMatch(/^a OK/);
		tokens.expire(t.accessToken);
		expect(await rawImapAuthenticate(`a AUTHENTICATE XOAUTH2 ${xoauth2(t.accessToken)}`)).toMatch(/^a NO/);
	});

	it('a token for another user is refused by Dovecot even though it is active', async () => {
		const t = tokens.issue(SANDBOX.users.alice.user);
		const error = await connectImap(sandboxImapServer('starttls'), { method: 'oauth2', user: USER, accessToken: t.accessToken }).catch(
			(e: unknown) => e,
		);
		expect(error).toMatchObject({ kind: 'auth' });
		expect(String((error as Error).message)).not.toContain(t.accessToken);
	});

	it('revoked access stops with "reconnect the credential"', async () => {
		const t = tokens.issue(USER);
		tokens.revokeUser(USER);
		const error = await readFolder(tokens.tokenData(t), 'INBOX').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(OAuth2ReconnectError);
		expect((error as Error).message).toMatch(/Reconnect the credential "Sandbox"/);
	});

	describe('credential test (testedBy: dunningOAuth2MailboxTest)', () => {

		it('OK when SMTP and IMAP both accept the token', async () => {
			const t = tokens.issue(USER);
			const result = await testOAuth2MailboxCredential(sandboxCredential(tokens.tokenData(t)));
			expect(result.status).toBe('OK');
			expect(result.message).toContain(`Signed in to SMTP (127.0.0.1) and IMAP (127.0.0.1) as ${USER}. The server did not refuse ${USER} as Sender Address`);
			// Asked about the sender (MAIL FROM, RCPT TO, RSET), nothing sent.
			expect(smtp.received).toHaveLength(0);
		});

		it('says the token expired without signing in anywhere: two refused logins per click would count towards locking the mailbox', async () => {
			const t = tokens.issue(USER, -60);
			const before = smtp.logins.length;
			const result = await testOAuth2MailboxCredential(sandboxCredential(tokens.tokenData(t)));
			expect(result).toEqual({
				status: 'Error',
				message: 'The access token has expired, so no sign-in was tried: run a workflow that uses this credential (it refreshes the token), or press "Reconnect", then test again.',
			});
			expect(smtp.logins.length).toBe(before);
		});

		it('says the token was refused (scopes, address) for a revoked grant after one refused login (SMTP; IMAP is not tried), and names a wrong port', async () => {
			const t = tokens.issue(USER);
			const wrongPort = await testOAuth2MailboxCredential({ ...sandboxCredential(tokens.tokenData(t)), imapPort: SANDBOX.closedPort });
			expect(wrongPort.message).toMatch(/^IMAP 127\.0\.0\.1:10029: Connection refused .*[^.]\.$/);
			tokens.revokeUser(USER);
			const before = smtp.logins.length;
			const refused = await testOAuth2MailboxCredential(sandboxCredential(tokens.tokenData(t)));
			expect(refused.status).toBe('Error');
			expect(refused.message).toMatch(/^SMTP 127\.0\.0\.1:\d+: the server refused the access token \(535 .*\)\. The token was refused/);
			expect(refused.message).not.toMatch(/IMAP 127/);
			expect(smtp.logins.length).toBe(before + 1);
		});

		it('says "not connected" without contacting any server when there is no token', async () => {
			const before = smtp.logins.length;
			const result = await testOAuth2MailboxCredential(sandboxCredential({}));
			expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/not connected yet/) });
			expect(smtp.logins.length).toBe(before);
		});
	});

	describe('Read Mailbox and On New Mailbox Message through the engine, Authentication = Microsoft 365', () => {

		async function read(type: 'readMailbox' | 'readMailboxTrigger', folder: string, credential: ICredentialDataDecryptedObject) {
			return await runWorkflow({
				workflowId: `oauth-read-${folder}`,
				nodes: [
					node(type, 'Read', { authentication: 'microsoftOAuth2', folder, mode: 'unseen', postAction: 'seen' }, {
						credentials: { dunningMicrosoftOAuth2Api: { id: 'm365', name: 'Shop 365' } },
					}),
				],
				input: { node: 'Read', items: [{ json: {} }] },
				credentials: { m365: credential },
			});
		}

		async function folderWith(subject: string) {
			const folder = uniqueFolder('oauth-node');
			folders.push(folder);
			await appendMessages('dunning', folder, [testMessage({ subject, marker: folder })]);
			return folder;
		}

		it('valid token: the message is read and marked read', async () => {
			const folder = await folderWith('node read over oauth');
			const t = tokens.issue(USER);
			const r = await read('readMailbox', folder, sandboxCredential(tokens.tokenData(t)));
			expect(r.error?.message).toBeUndefined();
			expect(r.items('Read').map((i) => i.json.subject)).toEqual(['node read over oauth']);
			expect(r.items('Read')[0].json.mailbox).toBe(USER);
			const again = await read('readMailbox', folder, sandboxCredential(tokens.tokenData(t)));
			expect(again.items('Read')).toHaveLength(0);
		});

		it('expired token: n8n refreshes it (new token stored in the credential), then the folder is read', async () => {
			const folder = await folderWith('node read after refresh');
			const t = tokens.issue(USER, -120);
			const credential = sandboxCredential(tokens.tokenData(t));
			const before = tokens.count('/token', 'refresh_token');
			const r = await read('readMailbox', folder, credential);
			expect(r.error?.message).toBeUndefined();
			expect(r.items('Read').map((i) => i.json.subject)).toEqual(['node read after refresh']);
			expect(tokens.count('/token', 'refresh_token')).toBe(before + 1);
			const stored = credential.oauthTokenData as IDataObject;
			expect(stored.access_token).not.toBe(t.accessToken);
			expect(tokens.validate(String(stored.access_token))).toBe(USER);
		});

		it('the trigger reads with OAuth2 too', async () => {
			const folder = await folderWith('trigger over oauth');
			const t = tokens.issue(USER);
			const r = await read('readMailboxTrigger', folder, sandboxCredential(tokens.tokenData(t)));
			expect(r.error?.message).toBeUndefined();
			expect(r.items('Read').map((i) => i.json.subject)).toEqual(['trigger over oauth']);
		});

		it('revoked access: the run stops with "reconnect the credential" and the message stays unread', async () => {
			const folder = await folderWith('never read');
			const t = tokens.issue(USER);
			tokens.revokeUser(USER);
			const r = await read('readMailbox', folder, sandboxCredential(tokens.tokenData(t)));
			expect(r.status).toBe('error');
			expect(r.error?.message).toMatch(/Reconnect the credential "Shop 365" \(Microsoft 365\)/);
			expect(JSON.stringify(r.run)).not.toContain(t.accessToken);
			const again = await read('readMailbox', folder, sandboxCredential(tokens.tokenData(tokens.issue(USER))));
			expect(again.items('Read').map((i) => i.json.subject)).toEqual(['never read']);
		});
	});

	describe('Send Reminder Email with "Save to Sent Folder" and Microsoft 365 OAuth2 on an own server', () => {
		const invoice = (n: number) => ({
			json: {
				invoiceId: `oauth-sent-${n}-${Date.now()}`,
				invoiceNumber: `RE-2026-${n}`,
				customerName: `Kunde ${n}`,
				email: `kunde${n}@kunden.example`,
				language: 'de',
				invoiceDate: '2026-01-10',
				dueDate: '2026-02-09',
				currency: 'EUR',
				openAmount: 100,
				dunning: { action: 'send', level: 1, stageName: 'Zahlungserinnerung', fee: 0, flatFee: 0, interest: 0, totalDue: 100, deadline: '2099-03-02' },
			},
		});

		async function send(credential: ICredentialDataDecryptedObject, sentFolder: string) {
			return await runWorkflow({
				workflowId: `oauth-sent-${sentFolder}`,
				nodes: [
					node(
						'sendReminderEmail',
						'Send',
						{ authentication: 'microsoftOAuth2', operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, saveToSentFolder: true, sentFolder },
						{ credentials: { dunningMicrosoftOAuth2Api: { id: 'm365', name: 'Shop 365' } } },
					),
				],
				input: { node: 'Send', items: [invoice(1)] },
				credentials: { m365: credential },
			});
		}


		it('an expired token is refreshed once for SMTP, and the IMAP copy reuses it', async () => {
			const folder = uniqueFolder('oauth-sent');
			folders.push(folder);
			await appendMessages('dunning', folder, []);
			const before = tokens.count('/token', 'refresh_token');
			const r = await send(sandboxCredential(tokens.tokenData(tokens.issue(USER, -60))), folder);
			expect(r.error?.message).toBeUndefined();
			const delivery = r.items('Send')[0].json.delivery as IDataObject;
			expect(delivery.status).toBe('sent');
			expect(delivery.warning).toBeUndefined();
			expect(tokens.count('/token', 'refresh_token')).toBe(before + 1);
			const copies = await searchUids('dunning', folder, { header: { 'X-Dunning-Invoice': String(r.items('Send')[0].json.invoiceId) } });
			expect(copies).toHaveLength(1);
		});

		// No copy with the Microsoft 365 preset hosts (Microsoft files SMTP-sent mail itself) is tested
		// in oauth2.test.ts: here SMTP goes to a loopback server, which files nothing, so a copy is due.
	});
});

