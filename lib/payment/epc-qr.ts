/**
 * The payload of a GiroCode / EPC QR code (EPC069-12 "Quick Response Code: guidelines to enable
 * data capture for the initiation of a SEPA credit transfer", version 002): twelve lines a banking
 * app reads into a transfer form. Version 002 makes the BIC optional inside the EEA; character set
 * 1 is UTF-8, so names with umlauts or Polish letters reach the form as written.
 */
import { toCents } from '../dunning/money';
import { BIDI_CONTROL, codePoint } from '../mail/header-value';
import { checkBic } from './bic';
import { checkIban, formatIban, qrIbanProblem } from './iban';

export const EPC_MAX_PAYLOAD_BYTES = 331;
export const EPC_MAX_NAME_CHARS = 70;
export const EPC_MAX_REMITTANCE_CHARS = 140;
export const EPC_MAX_INFO_CHARS = 70;

export interface EpcTransfer {
	/** The beneficiary, as the bank account is held. */
	name: string;
	iban: string;
	bic?: string;
	/** In euro; the EPC code knows no other currency. */
	amount: number;
	/** Unstructured remittance information (Verwendungszweck). */
	remittance: string;
	/** A note shown to the payer in the app, not sent with the transfer. */
	info?: string;
}

export class EpcPayloadError extends Error {
	constructor(
		readonly field: keyof EpcTransfer,
		message: string,
	) {
		super(message);
		this.name = 'EpcPayloadError';
	}
}

/** 1234.5 → "EUR1234.50": a dot, two decimals, no thousands separator (the amount field's format). */
export function epcAmount(amount: number): string {
	const cents = toCents(amount);
	if (!Number.isFinite(amount) || cents < 1 || cents > 99_999_999_999) {
		throw new EpcPayloadError('amount', `The GiroCode amount must be between 0.01 and 999999999.99 EUR, got ${amount}`);
	}
	return `EUR${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A field on one line, in the form the code carries it: line breaks would shift every later field,
 * so they and every other C0 control become spaces; NFC so that a decomposed "u" + U+0308 is the
 * one letter "ü" a bank takes. The payment reference printed on a reminder is made with this too,
 * so the letter shows exactly what the code carries.
 */
export function epcLine(value: string): string {
	// eslint-disable-next-line no-control-regex
	return value.normalize('NFC').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/**
 * What SEPA banks carry: Latin letters with their accents (Latin-1, Latin Extended-A/-B and
 * Additional), Greek and Cyrillic (the scripts of SEPA members, for which EPC069-12 has character
 * sets of their own), digits, punctuation, typographic quotes and dashes, the narrow no-break
 * space, the numero sign and the euro sign (EPC069-12 character set 1 is UTF-8; the EPC's SEPA
 * character set guidance, EPC217-08, has banks convert or drop anything else, so a CJK invoice
 * number would arrive as another text).
 * The soft hyphen (U+00AD), C1 controls, bidi controls (U+202A–202E, U+2066–2069) and the Unicode
 * line separators (U+2028, U+2029) are outside these ranges: they are invisible or reorder/break
 * what the payer's app shows.
 */
const SEPA_CHARACTER = /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u024f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1eff\u1f00-\u1fff\u2010-\u2027\u202f\u2030-\u205e\u20ac\u2116]$/u;

/** A character for a message: invisible ones (controls, format, separators) by code point. */
function shown(char: string): string {
	return /^[\p{Cc}\p{Cf}\p{Z}]$/u.test(char) && char !== ' ' ? codePoint(char) : char;
}

/** Text for an error message, with invisible characters by code point (a bidi control would reorder the message itself). */
export function visible(text: string): string {
	return [...text].map(shown).join('');
}

/** Null when a bank can carry `text` (after epcLine), else why not, naming the characters. */
export function sepaTextProblem(text: string): string | null {
	const refused = [...new Set([...epcLine(text)].filter((c) => !SEPA_CHARACTER.test(c)))];
	if (refused.length === 0) return null;
	const list = refused.slice(0, 5).map(shown).join(' ');
	if (refused.some((c) => BIDI_CONTROL.test(c) || c === '\u200e' || c === '\u200f')) {
		return `has a text direction control (${list}), which makes a banking app show the text in another order than the bank sends it`;
	}
	if (refused.some((c) => /^[\u2028\u2029\u0085]$/u.test(c))) return `has a line break (${list}) where a bank transfer takes one line`;
	return `has characters a SEPA bank transfer cannot carry (${list}): use Latin letters, digits and punctuation`;
}

/**
 * Countries of the EEA (the EU, Iceland, Liechtenstein, Norway) by IBAN prefix. EPC069-12 version
 * 002 makes the BIC optional only there: an account in Switzerland, the UK, Monaco or San Marino
 * needs it in the code.
 */
const EEA = new Set(['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK']);

/**
 * Whether a GiroCode can be made for this account: checkIban takes only IBANs of the SEPA scheme,
 * and outside the EEA the code needs the BIC. `iban` as checkIban returns it.
 */
export function epcAccountPossible(iban: string, bic: string | null): boolean {
	return EEA.has(iban.slice(0, 2)) || (bic !== null && bic !== '');
}

function limited(field: keyof EpcTransfer, label: string, value: string, max: number): string {
	const text = epcLine(value);
	const problem = sepaTextProblem(text);
	if (problem) throw new EpcPayloadError(field, `The GiroCode ${label} "${visible(text)}" ${problem}`);
	if ([...text].length > max) throw new EpcPayloadError(field, `The GiroCode ${label} may have at most ${max} characters, got ${[...text].length}: "${text}"`);
	return text;
}

/** The twelve EPC lines, each field checked; an element left empty is an empty line. */
function epcLines(transfer: EpcTransfer): string[] {
	const name = limited('name', 'account holder', transfer.name, EPC_MAX_NAME_CHARS);
	if (name === '') throw new EpcPayloadError('name', 'The GiroCode needs the account holder’s name');
	const iban = checkIban(transfer.iban);
	if (!iban.valid) throw new EpcPayloadError('iban', `The IBAN ${iban.problem}`);
	const qrIban = qrIbanProblem(iban.iban);
	if (qrIban) throw new EpcPayloadError('iban', `The IBAN "${formatIban(iban.iban)}" ${qrIban}`);
	let bic = '';
	if (transfer.bic !== undefined && transfer.bic.trim() !== '') {
		const checked = checkBic(transfer.bic);
		if (!checked.valid) throw new EpcPayloadError('bic', `The BIC ${checked.problem}`);
		bic = checked.bic;
	}
	if (!epcAccountPossible(iban.iban, bic)) {
		throw new EpcPayloadError('bic', `The GiroCode needs the BIC for an account outside the EEA (IBAN from ${iban.iban.slice(0, 2)}): add it to the payment details`);
	}
	return [
		'BCD',
		'002',
		'1',
		'SCT',
		bic,
		name,
		iban.iban,
		epcAmount(transfer.amount),
		'', // purpose code: none
		'', // structured creditor reference (RF…): the reminder uses the unstructured text instead
		limited('remittance', 'payment reference', transfer.remittance, EPC_MAX_REMITTANCE_CHARS),
		limited('info', 'note', transfer.info ?? '', EPC_MAX_INFO_CHARS),
	];
}

/** Index of the unstructured remittance (the payment reference) among the twelve lines. */
const REMITTANCE_LINE = 10;

/**
 * The UTF-8 bytes the payment reference may take in the code of `transfer`: the 331 of the whole
 * payload less everything else (each field checked as buildEpcPayload checks it). A reference in
 * Cyrillic or Greek takes two bytes a letter, so beside a long name of that script fewer invoice
 * numbers fit than the 140 characters allow.
 */
export function epcRemittanceBytes(transfer: Omit<EpcTransfer, 'remittance'>): number {
	const lines = epcLines({ ...transfer, remittance: '' });
	// Without a note the payload ends with the reference; with one, the note's line follows it.
	const kept = lines[REMITTANCE_LINE + 1] === '' ? lines.slice(0, REMITTANCE_LINE + 1) : lines;
	return EPC_MAX_PAYLOAD_BYTES - Buffer.byteLength(kept.join('\n'), 'utf8');
}

/**
 * The twelve EPC lines joined by LF. Empty optional elements keep their line (the reader counts
 * lines); the last populated element ends the payload without a separator, as the guideline asks.
 */
export function buildEpcPayload(transfer: EpcTransfer): string {
	const lines = epcLines(transfer);
	while (lines[lines.length - 1] === '') lines.pop();
	const payload = lines.join('\n');
	const bytes = Buffer.byteLength(payload, 'utf8');
	if (bytes > EPC_MAX_PAYLOAD_BYTES) {
		throw new EpcPayloadError('remittance', `The GiroCode data has ${bytes} bytes, more than the ${EPC_MAX_PAYLOAD_BYTES} a banking app reads: shorten the payment reference or the name`);
	}
	return payload;
}
