/**
 * IBAN checks (ISO 13616): the country's length, the national account number's format (BBAN) and
 * the mod-97 check digits. A reminder that names a mistyped IBAN sends the customer's money
 * nowhere, so a wrong one is refused, never printed.
 */

/**
 * BBAN formats of the SEPA countries and their territories, as the SWIFT IBAN registry writes them
 * (n digits, a upper-case letters, c upper-case letters or digits; "8!n10!n": 8 digits, then 10
 * digits). The IBAN's length is 4 more. The check digits cover letters only as numbers, so
 * "…0130O0" with the letter O for a zero can carry matching check digits: the format catches it.
 */
const SEPA_BBAN_FORMATS: Readonly<Record<string, string>> = {
	AD: '4!n4!n12!c', AL: '8!n16!c', AT: '5!n11!n', BE: '3!n7!n2!n', BG: '4!a4!n2!n8!c', CH: '5!n12!c', CY: '3!n5!n16!c', CZ: '4!n6!n10!n',
	DE: '8!n10!n', DK: '4!n9!n1!n', EE: '2!n14!n', ES: '4!n4!n1!n1!n10!n', FI: '3!n11!n', FR: '5!n5!n11!c2!n', GB: '4!a6!n8!n', GI: '4!a15!c',
	GR: '3!n4!n16!c', HR: '7!n10!n', HU: '3!n4!n1!n15!n1!n', IE: '4!a6!n8!n', IS: '4!n2!n6!n10!n', IT: '1!a5!n5!n12!c', LI: '5!n12!c', LT: '5!n11!n',
	LU: '3!n13!c', LV: '4!a13!c', MC: '5!n5!n11!c2!n', MD: '2!c18!c', ME: '3!n13!n2!n', MK: '3!n10!c2!n', MT: '4!a5!n18!c', NL: '4!a10!n',
	NO: '4!n6!n1!n', PL: '8!n16!n', PT: '4!n4!n11!n2!n', RO: '4!a16!c', RS: '3!n13!n2!n', SE: '3!n16!n1!n', SI: '5!n8!n2!n', SK: '4!n6!n10!n',
	SM: '1!a5!n5!n12!c', VA: '3!n15!n',
};

type BbanKind = 'n' | 'a' | 'c';
const KIND_PATTERN: Record<BbanKind, RegExp> = { n: /^[0-9]$/, a: /^[A-Z]$/, c: /^[A-Z0-9]$/ };
const KIND_NAMES: Record<BbanKind, [one: string, many: string]> = { n: ['digit', 'digits'], a: ['letter', 'letters'], c: ['letter or digit', 'letters or digits'] };

/** "5!n12!c" → one kind per position of the BBAN. */
function bbanKinds(format: string): BbanKind[] {
	return [...format.matchAll(/(\d{1,2})!([nac])/g)].flatMap((m) => Array<BbanKind>(Number(m[1])).fill(m[2] as BbanKind));
}

/** "5 digits, then 12 letters or digits": the format in words, runs of one kind joined. */
function describeBban(kinds: BbanKind[]): string {
	const runs: Array<[BbanKind, number]> = [];
	for (const kind of kinds) {
		const last = runs[runs.length - 1];
		if (last?.[0] === kind) last[1]++;
		else runs.push([kind, 1]);
	}
	return runs.map(([kind, count]) => `${count} ${KIND_NAMES[kind][count === 1 ? 0 : 1]}`).join(', then ');
}

export type IbanCheck = { valid: true; iban: string } | { valid: false; problem: string };

/** "de89 3704-0044 0532 0130 00" → "DE89370400440532013000": spaces and dashes as people type them. */
export function normalizeIban(value: string): string {
	return value.replace(/[\s-]+/g, '').toUpperCase();
}

/** ISO 7064 mod 97-10 over the rearranged IBAN, digit by digit so no big integers are needed. */
export function ibanMod97(iban: string): number {
	const rearranged = iban.slice(4) + iban.slice(0, 4);
	let rest = 0;
	for (const ch of rearranged) {
		const code = ch.charCodeAt(0);
		const digits = code >= 65 ? String(code - 55) : ch;
		for (const d of digits) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
	}
	return rest;
}

export function checkIban(value: unknown): IbanCheck {
	if (typeof value !== 'string' || value.trim() === '') return { valid: false, problem: 'is empty' };
	const iban = normalizeIban(value);
	if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(iban)) {
		return { valid: false, problem: 'must start with a country code and two check digits, followed by letters and digits only (like DE89 3704 0044 0532 0130 00)' };
	}
	const country = iban.slice(0, 2);
	const format = SEPA_BBAN_FORMATS[country];
	if (format === undefined) return { valid: false, problem: `has the country code ${country}, which is not a SEPA country` };
	const kinds = bbanKinds(format);
	if (iban.length !== 4 + kinds.length) return { valid: false, problem: `has ${iban.length} characters; an IBAN from ${country} has ${4 + kinds.length}` };
	const wrong = kinds.findIndex((kind, k) => !KIND_PATTERN[kind].test(iban[4 + k]));
	if (wrong >= 0) {
		return {
			valid: false,
			problem: `has "${iban[4 + wrong]}" as character ${4 + wrong + 1}, where an IBAN from ${country} has a ${KIND_NAMES[kinds[wrong]][0]}: after ${country} and the check digits come ${describeBban(kinds)}${iban[4 + wrong] === 'O' && kinds[wrong] === 'n' ? ' (the letter O for a zero?)' : ''}`,
		};
	}
	if (ibanMod97(iban) !== 1) return { valid: false, problem: 'has wrong check digits (a typo?): the mod-97 checksum does not match' };
	// ISO 7064 MOD 97-10 check digits run from 02 to 98: 00, 01 and 99 pass the sum (as 97, 98 and
	// 02 would) but no bank issues them.
	const check = Number(iban.slice(2, 4));
	if (check < 2 || check > 98) return { valid: false, problem: `has the check digits ${iban.slice(2, 4)}, which no IBAN has (they run from 02 to 98): a typo?` };
	return { valid: true, iban };
}

/** "DE89370400440532013000" → "DE89 3704 0044 0532 0130 00", the way it is printed and read. */
export function formatIban(iban: string): string {
	return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Null for an account a bank transfer can pay into, else why not: a Swiss or Liechtenstein QR-IBAN
 * (bank identifier, IBAN characters 5–9, from 30000 to 31999) takes only QR-bill payments that
 * carry a QR reference; a plain or SEPA transfer to it is refused by the bank (SIX, Swiss Payment
 * Standards: QR-bill implementation guidelines). `iban` as checkIban returns it.
 */
export function qrIbanProblem(iban: string): string | null {
	if (!/^(CH|LI)/.test(iban)) return null;
	const bank = Number(iban.slice(4, 9));
	if (bank < 30000 || bank > 31999) return null;
	return `is a QR-IBAN (bank identifier ${iban.slice(4, 9)}), which only takes QR-bill payments with a QR reference; enter the account's normal IBAN`;
}
