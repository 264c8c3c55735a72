/**
 * An open amount below zero, read against the charges (fees, flat fee, interest) the reminders
 * claimed: a customer who pays a reminder's total leaves the invoice below zero by those charges
 * when the ledger books the payment against it, and that is no credit. An invoice rule: decide()
 * reads one invoice by it, run-checks.ts a customer's invoices of one run together.
 */
import type { Invoice } from './types';
import { fromMinor, minorDigits, toMinor } from './money';

/**
 * How far, in minor units, a paid total may exceed what was asked and still be the customer's
 * rounding, not a credit. One unit everywhere (the customer's own sum of the printed amounts);
 * in Swiss francs four Rappen: since the 1- and 2-Rappen coins went (1978, 2007) amounts are
 * rounded to 5 Rappen ("Rappenrundung"), and a customer who rounds a total of 123.46 up pays
 * 123.50. Only for paying charges: an invoice without claimed charges below zero stays a credit.
 */
export function roundingToleranceMinor(currency: string): number {
	return currency === 'CHF' ? 4 : 1;
}

/** An open amount below zero, split into the reminders' charges the customer paid and the credit beyond them. */
export interface BelowZero {
	/** How far below zero the open amount is, in the currency's smallest unit (above 0). */
	paidMinor: number;
	/** The charges the reminders claimed (claimedCharges), in the smallest unit; 0 when none are known. */
	claimedMinor: number;
	/** The part beyond those charges, a credit to settle with the customer; 0 when the customer paid no more than the charges. */
	creditMinor: number;
}

/**
 * Splits an open amount below zero (null when it is not) by `claimedMinor`, the charges claimed
 * (in minor units): no more than them, give or take the currency's rounding, is those charges
 * paid; more is a credit of the whole excess.
 */
export function splitBelowZero(paidMinor: number, claimedMinor: number, currency: string): BelowZero | null {
	if (paidMinor <= 0) return null;
	const creditMinor = claimedMinor > 0 && paidMinor <= claimedMinor + roundingToleranceMinor(currency) ? 0 : paidMinor - claimedMinor;
	return { paidMinor, claimedMinor, creditMinor };
}

/** Splits the invoice's open amount below zero (null when it is not) by its own claimedCharges (see splitBelowZero). */
export function belowZero(invoice: Pick<Invoice, 'openAmount' | 'currency' | 'claimedCharges'>): BelowZero | null {
	const digits = minorDigits(invoice.currency);
	return splitBelowZero(-toMinor(invoice.openAmount, digits), Math.max(0, toMinor(invoice.claimedCharges, digits)), invoice.currency);
}

/** `minor` units of `currency` as the messages write them: "5.00 EUR". */
export function showMinor(minor: number, currency: string): string {
	const digits = minorDigits(currency);
	return `${fromMinor(minor, digits).toFixed(digits)} ${currency}`;
}

/**
 * The No Action message of an invoice whose open amount is below zero (`split` by belowZero).
 * `others`: the customer's other invoices of the run whose charges the split counts too, named
 * (`invoice "A" (item 0)`): a collective reminder's total booked on this one.
 */
export function belowZeroMessage(split: BelowZero, currency: string, others?: string): string {
	const show = (minor: number) => showMinor(minor, currency);
	const open = show(-split.paidMinor);
	const where = others === undefined ? '' : ` on this invoice and on ${others} of the same customer`;
	const reminder = others === undefined ? "a reminder's" : "a collective reminder's";
	if (split.claimedMinor === 0) {
		return `the open amount is ${open}: a credit note or an overpaid invoice; settle it with the customer (pay it back or offset it), it is not dunned`;
	}
	if (split.creditMinor === 0) {
		const paid =
			split.paidMinor >= split.claimedMinor
				? `the customer paid ${reminder} total including its charges (fees, flat fee, interest: ${show(split.claimedMinor)} claimed${where})`
				: `the customer paid the invoice and ${show(split.paidMinor)} of the ${show(split.claimedMinor)} of charges (fees, flat fee, interest) the reminders claimed${where}`;
		return `the open amount is ${open}: ${paid}, booked against the invoice. That is not a credit and nothing is paid back: book the ${show(split.paidMinor)} as dunning charges received to close the invoice. It is not dunned`;
	}
	return (
		`the open amount is ${open}: ${show(split.claimedMinor)} of it are the charges (fees, flat fee, interest) the reminders claimed${where}, paid with ${reminder} total; ` +
		`the ${show(split.creditMinor)} beyond them are a credit (an overpayment or a credit note): settle that with the customer (pay it back or offset it), it is not dunned`
	);
}
