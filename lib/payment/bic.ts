/**
 * BIC shape (ISO 9362): 4 letters for the institution, the ISO 3166 country, 2 letters or digits
 * for the location, and an optional 3-character branch code. There is no checksum, so only the
 * shape is checked: it catches an IBAN pasted into the BIC field or a missing character. The
 * country is not compared with the IBAN's: banks in French overseas departments, Monaco or
 * Liechtenstein legitimately pair one country's IBAN with another's BIC.
 */
export type BicCheck = { valid: true; bic: string } | { valid: false; problem: string };

export function checkBic(value: unknown): BicCheck {
	if (typeof value !== 'string' || value.trim() === '') return { valid: false, problem: 'is empty' };
	const bic = value.replace(/\s+/g, '').toUpperCase();
	if (bic.length !== 8 && bic.length !== 11) return { valid: false, problem: `has ${bic.length} characters; a BIC has 8 or 11 (like COBADEFFXXX)` };
	if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) {
		return { valid: false, problem: 'must be 4 letters (bank), 2 letters (country), 2 letters or digits (location) and optionally 3 more (branch), like COBADEFFXXX' };
	}
	return { valid: true, bic };
}
