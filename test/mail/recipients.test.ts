import { MAX_RECIPIENTS, parseRecipients } from '../../lib/mail/recipients';

describe('recipient fields', () => {
	test.each([
		['kunde@example.com', [{ address: 'kunde@example.com' }]],
		['<kunde@example.com>', [{ address: 'kunde@example.com' }]],
		['Anna Schmidt <anna@example.com>', [{ address: 'anna@example.com', name: 'Anna Schmidt' }]],
		['"Schmidt, Anna" <anna@example.com>, b@example.com', [{ address: 'anna@example.com', name: 'Schmidt, Anna' }, { address: 'b@example.com' }]],
		['"A \\"quoted\\" name" <a@example.com>', [{ address: 'a@example.com', name: 'A "quoted" name' }]],
		['a@example.com; b@example.com;', [{ address: 'a@example.com' }, { address: 'b@example.com' }]],
		['a@example.com, A@EXAMPLE.com', [{ address: 'a@example.com' }]],
		['müller@bücher.example', [{ address: 'müller@bücher.example' }]],
	])('%j', (value, recipients) => expect(parseRecipients(value)).toEqual({ ok: true, recipients }));

	test.each([
		['', 'noEmail', undefined],
		[' ;, ', 'noEmail', undefined],
		['a@example.com, nope', 'invalidEmail', 'nope'],
		['Anna <anna@example.com', 'invalidEmail', 'Anna <anna@example.com'],
		['Anna <anna@example.com> x', 'invalidEmail', 'Anna <anna@example.com> x'],
		['"Anna" <a b@example.com>', 'invalidEmail', '"Anna" <a b@example.com>'],
		['a@example.com\r\nBcc: x@example.com', 'invalidEmail', undefined],
		// Controls in a name, as the header check refuses them (so Compute sends the item on paper, not to a failing Send).
		['Anna\u0007 Schmidt <anna@example.com>', 'invalidEmail', 'Anna\u0007 Schmidt <anna@example.com>'],
		['M\u00fcller \u0096 Einkauf <einkauf@example.com>', 'invalidEmail', 'M\u00fcller \u0096 Einkauf <einkauf@example.com>'],
		['Anna\tSchmidt <anna@example.com>', 'invalidEmail', 'Anna\tSchmidt <anna@example.com>'],
	])('%j is refused (%s), naming the entry', (value, reason, invalid) => {
		const result = parseRecipients(value, 'contact.email');
		expect(result).toMatchObject({ ok: false, reason });
		if (!result.ok && invalid) expect(result).toMatchObject({ invalid, error: expect.stringContaining(`"${invalid}" in "contact.email"`) });
	});

	test(`more than ${MAX_RECIPIENTS} addresses are refused; ${MAX_RECIPIENTS} are fine`, () => {
		const list = (n: number) => Array.from({ length: n }, (_, k) => `k${k}@example.com`).join(', ');
		expect(parseRecipients(list(MAX_RECIPIENTS))).toMatchObject({ ok: true });
		expect(parseRecipients(list(MAX_RECIPIENTS + 1))).toMatchObject({ ok: false, reason: 'invalidEmail', error: expect.stringContaining(`lists ${MAX_RECIPIENTS + 1} addresses`) });
	});
});
