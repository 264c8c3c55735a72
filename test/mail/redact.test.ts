import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { redactSecrets } from '../../lib/mail/redact';
import { verifySmtp } from '../../lib/mail/smtp-session';
import { testSmtpCredential } from '../../nodes/SendReminderEmail/transport';

import { startRawSmtpServer } from './raw-smtp-server';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const PASSWORD = 'Pa"ss\\wörd-42';
const TOKEN = 'ya29.a0AfH6SMBx-token_value';

/** Every shape in which a mail client puts a secret on the wire. */
function wireForms(user: string, secret: string): string[] {
	return [
		secret,
		b64(secret), // AUTH LOGIN password step
		b64(`\0${user}\0${secret}`), // AUTH PLAIN
		b64(`${user}\0${user}\0${secret}`), // AUTH PLAIN with an authorization identity
		b64(`user=${user}\x01auth=Bearer ${secret}\x01\x01`), // XOAUTH2
		b64(`n,a=${user},\x01host=h\x01port=1\x01auth=Bearer ${secret}\x01\x01`), // OAUTHBEARER
		`"${secret.replace(/[\\"]/g, '\\$&')}"`, // IMAP quoted string
	];
}

describe('redactSecrets', () => {
	test.each([
		['password', PASSWORD],
		['token', TOKEN],
	])('no wire form of a %s survives, whatever the user name shifts it by', (_kind, secret) => {
		for (const user of ['a@x.de', 'ab@x.de', 'abc@x.de']) {
			for (const form of wireForms(user, secret)) {
				const text = `535 5.7.8 you sent: ${form} (rejected)`;
				const out = redactSecrets(text, [secret]);
				expect(out).toContain('[redacted]');
				expect(out).toMatch(/^535 5\.7\.8 you sent: .*\(rejected\)$/);
				for (const other of wireForms(user, secret)) expect(out).not.toContain(other);
			}
		}
	});

	test('a truncated base64 echo is caught too', () => {
		const blob = b64(`\0shop@example.com\0${PASSWORD}`);
		expect(redactSecrets(`500 line too long: ${blob.slice(0, 30)}`, [PASSWORD])).toBe('500 line too long: [redacted]');
	});

	test('other text, undefined, empty and very short secrets are left alone', () => {
		const reply = '250 2.0.0 Ok: queued as 4FjXyZ';
		expect(redactSecrets(reply, [PASSWORD, undefined, '', 'Ok'])).toBe(reply);
		expect(redactSecrets('a tok-123 b tok-123', ['tok-123', undefined, ''])).toBe('a [redacted] b [redacted]');
	});
});

describe('redactSecrets: URL-encoded, split, trimmed and cut-off echoes', () => {
	const REFRESH = 'abc+def/0.AXkA-ghi==';

	test('a URL-encoded secret (token endpoint errors quote the form-encoded request) is removed, either hex case', () => {
		const body = `grant_type=refresh_token&refresh_token=${encodeURIComponent(REFRESH)}&client_id=x`;
		const lowerHex = body.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
		for (const text of [`400 invalid_request: ${body}`, `400 invalid_request: ${lowerHex}`]) {
			expect(redactSecrets(text, [REFRESH])).toBe('400 invalid_request: grant_type=refresh_token&refresh_token=[redacted]&client_id=x');
		}
		// Form encoding writes a space as "+" and escapes more than encodeURIComponent does.
		const password = "my pass wörd (it's)!";
		for (const encoded of [new URLSearchParams({ password }).toString(), `password=${encodeURIComponent(password)}`]) {
			const out = redactSecrets(`echo: ${encoded} end`, [password]);
			expect(out).toBe('echo: password=[redacted] end');
		}
	});

	test('a secret the server cut across the lines of a multi-line reply is removed, as received and as joined', () => {
		const password = 'Sup3rSecretPassword-42';
		const lines = ['535-5.7.8 Username and Password not accepted, you sent: Sup3rSecr', '535 5.7.8 etPassword-42 (rejected)'];
		for (const text of [lines.join('\r\n'), lines.join('\n'), lines.join(' ')]) {
			const out = redactSecrets(text, [password]);
			expect(out).toMatch(/^535-5\.7\.8 Username and Password not accepted, you sent: \[redacted\] \(rejected\)$/);
		}
		// base64 too, however few of its characters fall on either side of the line end.
		const blob = b64(`\0shop@example.com\0${password}`);
		for (let cut = 1; cut < blob.length; cut++) {
			const text = `535-5.7.8 you sent ${blob.slice(0, cut)}\n535 5.7.8 ${blob.slice(cut)} (rejected)`;
			expect(redactSecrets(text, [password])).toBe('535-5.7.8 you sent [redacted] (rejected)');
		}
	});

	test('a secret with surrounding whitespace is removed where the server echoes it trimmed, also in base64', () => {
		const password = '  Tr1mmed-Secret \t';
		expect(redactSecrets('535 5.7.8 you sent: Tr1mmed-Secret (rejected)', [password])).toBe('535 5.7.8 you sent: [redacted] (rejected)');
		expect(redactSecrets(`535 5.7.8 ${b64('\0a@x.de\0Tr1mmed-Secret')} (rejected)`, [password])).toBe('535 5.7.8 [redacted] (rejected)');
		// What is left after trimming must still be long enough to be told from ordinary words.
		const reply = '250 2.0.0 ab Ok:   queued';
		expect(redactSecrets(reply, [' ab ', '     ', '\t\t\t'])).toBe(reply);
	});

	test('a secret cut off before a closing "..." (a shortened error body) is removed', () => {
		const body = `Bad request: grant_type=refresh_token&refresh_token=${encodeURIComponent(REFRESH)}`.slice(0, 60);
		const message = `Expected JSON response from OAuth2 token endpoint (content-type: text/plain) but received: ${body}...`;
		expect(redactSecrets(message, [REFRESH])).toMatch(/refresh_token=\[redacted\]\.\.\.$/);
		// A short ordinary word that merely begins like a secret is kept.
		expect(redactSecrets('failed for abc', [REFRESH])).toBe('failed for abc');
		// So is a text that ends with a word the password begins with, where nothing was cut off.
		expect(redactSecrets('535 Authentifizierung fehlgeschlagen: falsches Passwort', ['Passwort2024!'])).toBe('535 Authentifizierung fehlgeschlagen: falsches Passwort');
	});
});

test('a server that echoes the password split over a multi-line 535: neither the failure nor the credential test shows it', async () => {
	const password = 'Sup3rSecretPassword-42';
	const server = await startRawSmtpServer({
		onLine(line, conn) {
			if (!/^AUTH /i.test(line)) return false;
			conn.reply('535-5.7.8 Username and Password not accepted for Sup3rSecr\r\n535-5.7.8 etPassword-42, see\r\n535 5.7.8 https://support.example/login');
			return true;
		},
	});
	try {
		const failure = await verifySmtp({ host: '127.0.0.1', port: server.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 }, { method: 'password', user: 'shop@example.com', password });
		expect(failure).toMatchObject({ kind: 'auth', code: 535 });
		expect(failure?.response).toBe('535-5.7.8 Username and Password not accepted for [redacted], see 535 5.7.8 https://support.example/login');
		const data: ICredentialDataDecryptedObject = { host: '127.0.0.1', port: server.port, security: 'none', user: 'shop@example.com', password, fromAddress: 'shop@example.com' };
		const result = await testSmtpCredential({ id: 'c', name: 'c', type: 'dunningSmtpApi', data });
		expect(result.status).toBe('Error');
		for (const shown of [JSON.stringify(failure), result.message]) {
			expect(shown).toContain('[redacted]');
			expect(shown).not.toMatch(/Sup3rSecr|etPassword/);
		}
	} finally {
		await server.close();
	}
});
