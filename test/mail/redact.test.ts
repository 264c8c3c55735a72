import { redactSecrets } from '../../lib/mail/redact';

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
