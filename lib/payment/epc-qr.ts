/**
 * The payload of a GiroCode / EPC QR code (EPC069-12 "Quick Response Code: guidelines to enable
 * data capture for the initiation of a SEPA credit transfer", version 002): twelve lines a banking
 * app reads into a transfer form. Version 002 makes the BIC optional inside the EEA; character set
 * 1 is UTF-8, so names with umlauts or Polish letters reach the form as written.
 */
import { toCents } from '../dunning/money';
import { checkBic } from './bic';
import { checkIban } from './iban';

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

/** A field on one line: line breaks would shift every later field, so they and every other control character become spaces. */
function oneLine(value: string): string {
	// eslint-disable-next-line no-control-regex
	return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/**
 * Countries of the EEA (the EU, Iceland, Liechtenstein, Norway) by IBAN prefix. EPC069-12 version
 * 002 makes the BIC optional only there: an account in Switzerland, the UK, Monaco or San Marino
 * needs it in the code.
 */
const EEA = new Set(['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK']);

function limited(field: keyof EpcTransfer, label: string, value: string, max: number): string {
	const text = oneLine(value);
	if ([...text].length > max) throw new EpcPayloadError(field, `The GiroCode ${label} may have at most ${max} characters, got ${[...text].length}: "${text}"`);
	return text;
}

/**
 * The twelve EPC lines joined by LF. Empty optional elements keep their line (the reader counts
 * lines); the last populated element ends the payload without a separator, as the guideline asks.
 */
export function buildEpcPayload(transfer: EpcTransfer): string {
	const name = limited('name', 'name', transfer.name, EPC_MAX_NAME_CHARS);
	if (name === '') throw new EpcPayloadError('name', 'The GiroCode needs the account holder’s name');
	const iban = checkIban(transfer.iban);
	if (!iban.valid) throw new EpcPayloadError('iban', `The IBAN ${iban.problem}`);
	let bic = '';
	if (transfer.bic !== undefined && transfer.bic.trim() !== '') {
		const checked = checkBic(transfer.bic);
		if (!checked.valid) throw new EpcPayloadError('bic', `The BIC ${checked.problem}`);
		bic = checked.bic;
	}
	if (bic === '' && !EEA.has(iban.iban.slice(0, 2))) {
		throw new EpcPayloadError('bic', `The GiroCode needs the BIC for an account outside the EEA (IBAN from ${iban.iban.slice(0, 2)}): add it to the payment details`);
	}
	const lines = [
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
	while (lines[lines.length - 1] === '') lines.pop();
	const payload = lines.join('\n');
	const bytes = Buffer.byteLength(payload, 'utf8');
	if (bytes > EPC_MAX_PAYLOAD_BYTES) {
		throw new EpcPayloadError('remittance', `The GiroCode data has ${bytes} bytes, more than the ${EPC_MAX_PAYLOAD_BYTES} a banking app reads: shorten the payment reference or the name`);
	}
	return payload;
}
