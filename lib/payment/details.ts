/**
 * The merchant's company and payment details, entered once (a Set node at the start of a workflow,
 * or the node's own fields) and used by every reminder: the letterhead, the footer with the
 * mandatory details of a German business letter (§ 35a GmbHG, § 80 AktG, § 37a HGB: legal form,
 * seat, register court and number, managing directors), and the bank account customers pay to.
 * Nothing here is secret, so it is no credential.
 */
import { checkBic } from './bic';
import { EPC_MAX_NAME_CHARS, epcAccountPossible, epcLine, sepaTextProblem, visible } from './epc-qr';
import { checkIban, qrIbanProblem } from './iban';
import { DEFAULT_REFERENCE_PATTERN, checkReferencePattern } from './reference';

export interface CompanyDetails {
	name: string;
	street: string;
	postalCode: string;
	city: string;
	/** Printed only when set (letters abroad); empty for a domestic sender. */
	country: string;
	/** E.g. "GmbH"; printed in the footer when the name does not already end with it. */
	legalForm: string;
	/** Registered seat (Sitz der Gesellschaft). */
	seat: string;
	registerCourt: string;
	registerNumber: string;
	/** Managing directors (Geschäftsführer), as one text. */
	managingDirectors: string;
	vatId: string;
	phone: string;
	email: string;
	website: string;
	/**
	 * The name with its legal form (companyFullName: "Muster Handels GmbH" from "Muster Handels" and
	 * "GmbH"), which a business letter, an e-mail too, must state (§ 35a GmbHG, § 80 AktG, § 37a HGB):
	 * the e-mail footers (`merchant.fullName`) and the letter's footer and return address print it.
	 * Made once with the details; empty without them.
	 */
	fullName: string;
}

export interface PaymentDetails {
	/** Whom the transfer goes to; the company's full name (companyFullName) when left empty. */
	accountHolder: string;
	/** Normalised (no spaces, upper case), checksum verified; null when none is given. */
	iban: string | null;
	bic: string | null;
	bankName: string;
	/** The payment reference, with placeholders: {invoiceNumber}, {invoiceId}, {customerId}, {level}. */
	referencePattern: string;
}

export interface BusinessDetails {
	company: CompanyDetails;
	payment: PaymentDetails;
}

/** The names under which the details are read, in the node's fields and in a JSON object alike. */
export const BUSINESS_DETAIL_FIELDS = [
	'name', 'street', 'postalCode', 'city', 'country', 'legalForm', 'seat', 'registerCourt', 'registerNumber',
	'managingDirectors', 'vatId', 'phone', 'email', 'website', 'accountHolder', 'iban', 'bic', 'bankName', 'paymentReference',
] as const;

export class DetailsError extends Error {
	constructor(
		/** The field as the operator knows it, e.g. "iban". */
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'DetailsError';
	}
}

function text(raw: Record<string, unknown>, field: string, label: string): string {
	const value = raw[field];
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new DetailsError(field, `Company details: "${field}" (${label}) must be text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}
	return String(value).trim();
}

/**
 * Reads and checks the details. The company name and address are required (a letter without a
 * sender is no letter); the bank account is optional, but when an IBAN is given it must be right,
 * and the error says which field is wrong and why. Optional here only: a reminder with the shipped
 * texts asks for a transfer and is refused without an IBAN unless each invoice has a payment link
 * (see payable.ts).
 */
export function readBusinessDetails(raw: unknown): BusinessDetails {
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
		throw new DetailsError('companyDetails', 'Company details must be an object with fields like name, street, postalCode, city, iban');
	}
	const r = raw as Record<string, unknown>;
	const entered: Omit<CompanyDetails, 'fullName'> = {
		name: text(r, 'name', 'company name'),
		street: text(r, 'street', 'street and number'),
		postalCode: text(r, 'postalCode', 'postal code'),
		city: text(r, 'city', 'city'),
		country: text(r, 'country', 'country'),
		legalForm: text(r, 'legalForm', 'legal form'),
		seat: text(r, 'seat', 'registered seat'),
		registerCourt: text(r, 'registerCourt', 'register court'),
		registerNumber: text(r, 'registerNumber', 'register number'),
		managingDirectors: text(r, 'managingDirectors', 'managing directors'),
		vatId: text(r, 'vatId', 'VAT ID'),
		phone: text(r, 'phone', 'phone'),
		email: text(r, 'email', 'email'),
		website: text(r, 'website', 'website'),
	};
	const company: CompanyDetails = { ...entered, fullName: companyFullName(entered) };
	for (const [field, label] of [['name', 'company name'], ['street', 'street and number'], ['postalCode', 'postal code'], ['city', 'city']] as const) {
		if (company[field] === '') throw new DetailsError(field, `Company details: "${field}" (${label}) is missing; it is the sender on every letter`);
	}

	const rawIban = text(r, 'iban', 'IBAN');
	let iban: string | null = null;
	if (rawIban !== '') {
		const checked = checkIban(rawIban);
		if (!checked.valid) throw new DetailsError('iban', `Company details: the IBAN "${rawIban}" ${checked.problem}`);
		const qrIban = qrIbanProblem(checked.iban);
		if (qrIban) throw new DetailsError('iban', `Company details: the IBAN "${rawIban}" ${qrIban}`);
		iban = checked.iban;
	}
	const rawBic = text(r, 'bic', 'BIC');
	let bic: string | null = null;
	if (rawBic !== '') {
		const checked = checkBic(rawBic);
		if (!checked.valid) throw new DetailsError('bic', `Company details: the BIC "${rawBic}" ${checked.problem}`);
		bic = checked.bic;
	}
	const referencePattern = text(r, 'paymentReference', 'payment reference') || DEFAULT_REFERENCE_PATTERN;
	const patternProblem = checkReferencePattern(referencePattern);
	if (patternProblem) throw new DetailsError('paymentReference', `Company details: the payment reference "${referencePattern}" ${patternProblem}`);

	const ownHolder = text(r, 'accountHolder', 'account holder');
	const accountHolder = ownHolder || defaultAccountHolder(company);
	// The bank's limits are checked only for an account a GiroCode can be made for: a Swiss account
	// without BIC gets none (francs are paid by a domestic transfer), so its holder is only printed.
	if (iban !== null && epcAccountPossible(iban, bic)) {
		const problem = accountHolderProblem(accountHolder, ownHolder !== '' ? null : accountHolder !== company.name ? 'the company name with its legal form' : 'the company name');
		if (problem) throw new DetailsError('accountHolder', problem);
	}

	return {
		company,
		payment: {
			accountHolder,
			iban,
			bic,
			bankName: text(r, 'bankName', 'bank name'),
			referencePattern,
		},
	};
}

/**
 * The company's name as the footer prints it and as the account is held: the name with its legal
 * form ("Muster Handels GmbH"), unless the name already ends with it in any spelling (endsWithForm).
 * Banks check the payee's name against the account (Verification of Payee, EU Instant Payments
 * Regulation, since October 2025): "Muster Handels" for an account of "Muster Handels GmbH" shows
 * the payer a mismatch warning.
 */
export function companyFullName(company: Pick<CompanyDetails, 'name' | 'legalForm'>): string {
	const { name } = company;
	const form = company.legalForm.trim();
	if (form.replace(/[\s.]+/g, '') === '' || endsWithForm(name, form, true)) return name;
	// "Muster UG" with "UG (haftungsbeschränkt)": only the addition is missing.
	const addition = /^(.*\S)\s*(\([^()]*\))$/u.exec(form);
	if (addition && endsWithForm(name, addition[1], false)) return `${name} ${addition[2]}`;
	return `${name} ${form}`;
}

/**
 * Whether the name's last word group is the legal form as written in any spelling: case, spaces and
 * dots aside ("Muster gmbh", "Max Muster e. K." for "e.K.", "GmbH & Co.KG"), and with `addition`
 * also followed by a parenthesised addition ("Muster UG (haftungsbeschränkt)" for "UG"). The form
 * must start a word: "Innovag" does not end with "AG".
 */
function endsWithForm(name: string, form: string, addition: boolean): boolean {
	return legalFormAtEnd(form, addition).test(name);
}

/** The pattern of endsWithForm, built from the operator's legal form (exported for the ReDoS check). */
export function legalFormAtEnd(form: string, addition: boolean): RegExp {
	const chars = [...form.replace(/[\s.]+/g, '')].map((c) => c.replace(/[\\^$*+?()[\]{}|/]/u, '\\$&'));
	const tail = addition ? '(?:\\([^()]*\\)[\\s.]*)?' : '';
	return new RegExp(`(?:^|[^\\p{L}\\p{N}])${chars.join('[\\s.]*')}[\\s.]*${tail}$`, 'iu');
}

/**
 * The payee when no account holder is given: the full name, or, when that is longer than the 70
 * characters a transfer carries, the name alone if that fits (the default before the legal form was
 * added, so details that worked keep working; the bank may then warn the payer of a name mismatch).
 */
function defaultAccountHolder(company: Pick<CompanyDetails, 'name' | 'fullName'>): string {
	const full = company.fullName;
	const fits = (holder: string) => [...epcLine(holder)].length <= EPC_MAX_NAME_CHARS;
	return !fits(full) && fits(company.name) ? company.name : full;
}

/**
 * Why the payee's name cannot go into a bank transfer (and its GiroCode), or null: a SEPA transfer
 * carries at most 70 characters of it, in the characters SEPA banks take. Checked once with the
 * details, not on every reminder. `fromCompany`: what the name was made of when the account holder
 * was left empty (the message says so and asks for the holder); null for an own account holder.
 */
function accountHolderProblem(holder: string, fromCompany: string | null): string | null {
	const line = epcLine(holder);
	const length = [...line].length;
	const what = fromCompany
		? `"accountHolder" (account holder) is empty, so the payee is ${fromCompany}, "${visible(line)}", which`
		: `"accountHolder" (account holder) "${visible(line)}"`;
	if (length > EPC_MAX_NAME_CHARS) {
		return `Company details: ${what} has ${length} characters, more than the ${EPC_MAX_NAME_CHARS} a bank transfer carries for the payee's name: enter the name on the account in "accountHolder", at most ${EPC_MAX_NAME_CHARS} characters, as your bank writes it`;
	}
	const characters = sepaTextProblem(line);
	if (characters) return `Company details: ${what} ${characters}; enter the name on the account in "accountHolder" as your bank writes it`;
	return null;
}
