/**
 * IBAN checks (ISO 13616): the country's length and the mod-97 check digits. A reminder that names
 * a mistyped IBAN sends the customer's money nowhere, so a wrong one is refused, never printed.
 */

/** IBAN lengths of the SEPA countries and their territories (SWIFT IBAN registry). */
const SEPA_IBAN_LENGTHS: Readonly<Record<string, number>> = {
	AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18,
	FR: 27, GB: 22, GI: 23, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20,
	LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19, SK: 24, SM: 27,
	VA: 22, AL: 28, MD: 24, ME: 22, MK: 19, RS: 22,
};

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
	const expected = SEPA_IBAN_LENGTHS[iban.slice(0, 2)];
	if (expected === undefined) return { valid: false, problem: `has the country code ${iban.slice(0, 2)}, which is not a SEPA country` };
	if (iban.length !== expected) return { valid: false, problem: `has ${iban.length} characters; an IBAN from ${iban.slice(0, 2)} has ${expected}` };
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
