import { asciiDomain, isValidAddress, normalizeAddress } from '../../lib/mail/address';
import { asciiAddress } from '../../lib/mail/mime';

describe('addresses with compatibility characters and IDNA (UTS 46)', () => {
	test.each([
		['kunde@x🄁y.org', 'x🄁y.org maps to "x0,y.org": a comma names no host'],
		['kunde@x⑴y.org', 'x⑴y.org maps to "x(1)y.org"'],
		['kunde@x⒈y.org', 'x⒈y.org does not convert at all'],
		['kunde@exa_mple.org', 'underscore is no host-name character'],
		['kunde@xn--zz.org', 'an A-label that is no Punycode'],
		['kunde@-example.org', 'leading hyphen'],
		['kunde@example.o🄁g', 'in the top-level label'],
		['ｋｕｎｄｅ@example.org', 'fullwidth local part: NFKC would name another mailbox'],
		['kunde①@example.org', 'circled digit in the local part'],
	])('%s is refused (%s)', (address) => {
		expect(normalizeAddress(address)).toBeNull();
		expect(isValidAddress(address)).toBe(false);
	});

	test.each([
		['kunde@example.com', 'kunde@example.com'],
		['Kunde@EXAMPLE.com', 'Kunde@example.com'],
		['müller@müller.de', 'müller@xn--mller-kva.de'],
		['kunde@ＥＸＡＭＰＬＥ.com', 'kunde@example.com'],
		['kunde@straße.de', 'kunde@xn--strae-oqa.de'],
		['kunde@a.b。de', 'kunde@a.b.de'],
		['x@xn--bcher-kva.example', 'x@xn--bcher-kva.example'],
		// Decomposed ü (u + U+0308), as some systems store it, is the same mailbox as ü.
		['mu\u0308ller@example.org', 'müller@example.org'],
	])('%s is usable, as %s', (address, normalized) => {
		expect(normalizeAddress(address)).toBe(normalized);
		expect(isValidAddress(address)).toBe(true);
	});

	test('every address accepted converts for sending (mime.ts) to the same clean domain', () => {
		for (const address of ['müller@müller.de', 'kunde@ＥＸＡＭＰＬＥ.com', 'kunde@straße.de', 'a@b.example']) {
			const sent = asciiAddress(address);
			expect(sent.slice(sent.lastIndexOf('@') + 1).toLowerCase()).toBe(asciiDomain(address.slice(address.lastIndexOf('@') + 1)));
			expect(sent).toMatch(/^[^@]+@[a-z0-9.-]+$/i);
		}
	});
});
