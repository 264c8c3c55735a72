/**
 * Checks of one invoice against the other invoices of the same run, which decide() alone cannot
 * see: a row that repeats an invoice, and a customer's credit that must be settled before that
 * customer is dunned. Positions are the invoices' places in the run's input (0-based, as n8n
 * numbers items), so that messages point at the other row.
 */
import { belowZero, belowZeroMessage, splitBelowZero } from './charges';
import { readCurrencyCode } from './currency';
import { plainDay } from './day-number';
import type { Decider } from './decide';
import { readAmount, showValue } from './field-value';
import { fromMinor, minorDigits, toMinor } from './money';
import type { DunningDecision, Invoice, InvoiceInput } from './types';
import type { InvoiceProblem } from './validate-invoice';


/**
 * Finds rows that repeat an invoice (an ERP join, an export read twice): the same invoice ID with
 * the same due date, open amount and currency. The same ID with another due date or amount is an
 * instalment, an open item of its own; but a reminder is known by invoice ID and level (Send
 * Reminder Email's never-twice key and Message-ID, the shipped workflows' reminder key), so of
 * instalments reminded at the same level in one run only the first can go out.
 */
export class RepeatedInvoices {
	private readonly seen = new Map<string, number>();
	private readonly reminded = new Map<string, { position: number; group: string | null }>();

	/** The position of an earlier row of this invoice, or -1 when this is its first (then it is remembered). */
	firstPosition(invoice: Invoice, position: number): number {
		const openItem = JSON.stringify([invoice.invoiceId, plainDay(invoice.dueDate), toMinor(invoice.openAmount, minorDigits(invoice.currency)), invoice.currency]);
		const earlier = this.seen.get(openItem);
		if (earlier !== undefined) return earlier;
		this.seen.set(openItem, position);
		return -1;
	}

	/**
	 * The position of an earlier row with this invoice ID reminded at `level` in this run in another
	 * reminder, or -1 (then this one is remembered). `group`: the collective reminder the row goes
	 * into (one that lists both is fine); null without grouping, where every row is a reminder of its own.
	 */
	remindedBefore(invoiceId: string, level: number, position: number, group: string | null): number {
		const key = JSON.stringify([invoiceId, level]);
		const earlier = this.reminded.get(key);
		if (earlier === undefined) {
			this.reminded.set(key, { position, group });
			return -1;
		}
		return group !== null && earlier.group === group ? -1 : earlier.position;
	}
}

/** An invoice whose open amount is below zero by more than its claimed charges, with the customer it belongs to. */
export interface CreditNote {
	invoiceId: string;
	position: number;
	/** The credit: the open amount beyond the claimed charges, rounded to the currency's smallest unit, below zero. */
	openAmount: number;
	currency: string;
	/** The charges the reminders claimed that the customer paid too (not part of the credit); absent when none. */
	charges?: number;
}

/** An invoice of a customer with nothing open on it (or below zero), as CustomerCredits counts its charges. */
interface SettledInvoice {
	customerId: string;
	invoiceId: string;
	position: number;
	currency: string;
	/** How far below zero its open amount is, in minor units (0 for an invoice at 0). */
	paidMinor: number;
	/** The charges the reminders claimed on it (claimedCharges), in minor units. */
	claimedMinor: number;
}

/** The No Action verdict on an invoice below zero once its customer's other invoices of the run are counted. */
export interface PooledVerdict {
	invoiceId: string;
	reason: 'credit' | 'chargesPaid';
	message: string;
}

/** `"A" (item 0), "B" (item 3)`: at most three named, the rest counted. */
function namedList(rows: ReadonlyArray<{ invoiceId: string; position: number }>): string {
	const named = rows.slice(0, 3).map((r) => `${JSON.stringify(r.invoiceId)} (item ${r.position})`);
	return rows.length > 3 ? `${named.join(', ')} and ${rows.length - 3} more` : named.join(', ');
}

/**
 * A row of a customer that could not be read (invalidInput) while its open amount reads as below
 * zero: it may be a credit note, in a currency that may be any (when the currency is what is wrong).
 */
export interface UnreadableCredit {
	/** The row's invoice ID as given, null when it has none that reads as text. */
	invoiceId: string | null;
	position: number;
	/** The open amount as given, for the message ("-50", "\"-1.234,50\""). */
	openAmount: string;
	/** The currency it would be in (its own, or the default when blank); null when that is not readable. */
	currency: string | null;
	/** What is wrong with the row, each problem naming its field. */
	problems: string;
}

/** A text field as InvoiceReader reads it: trimmed text, or a finite number as text; null for anything else. */
function textOf(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

/**
 * Whether a raw open amount reads as below zero: a number below zero, or text that starts with a
 * minus and has a digit other than 0 ("-50", "-1.234,50", "- 50 EUR"), even where it is no amount
 * the reader takes. "-0.00" is no credit.
 */
export function looksNegative(value: unknown, currencyDecimals = 2): boolean {
	const read = readAmount(value, currencyDecimals, true);
	if (read.ok) return toMinor(read.amount, currencyDecimals) < 0;
	if (typeof value === 'number') return value < 0;
	return typeof value === 'string' && /^\s*-[\s\d.,']*[1-9]/.test(value);
}

/**
 * Whether the open amount is below zero in the currency's smallest unit (-0.001 EUR is 0.00: paid,
 * not a credit) by more than the charges the reminders claimed (see belowZero).
 */
export function isCredit(invoice: Invoice): boolean {
	const split = belowZero(invoice);
	return split !== null && split.creditMinor > 0;
}

/**
 * The credits of a run per customer ID: a credit note or an overpaid invoice that a person must
 * settle (offset or pay back) before that customer is asked for money in the same currency.
 * Invoices without a customer ID are nobody's for this: nothing links them to other invoices.
 */
export class CustomerCredits {
	/** The settled invoices (open amount 0 or below) per customer and currency, in the order added. */
	private readonly settled = new Map<string, SettledInvoice[]>();
	/** Rows already taken (a repeated row counts once, as RepeatedInvoices). */
	private readonly taken = new Set<string>();
	/** Worked out from `settled` on the first question after an add (see settle). */
	private verdicts: Map<number, PooledVerdict> | null = null;
	private byCustomer = new Map<string, CreditNote[]>();
	private readonly unreadableByCustomer = new Map<string, UnreadableCredit[]>();

	get size(): number {
		this.settle();
		return this.byCustomer.size + this.unreadableByCustomer.size;
	}

	/**
	 * Remembers a row that could not be read (`problems`) if it may be a credit of a known customer:
	 * its customer ID reads, and its open amount reads as below zero (see looksNegative). Until the
	 * row is fixed, that customer may be in credit: a reminder to them is the costly mistake, so
	 * their invoices are held as for a credit (in every currency when the row's is unreadable).
	 * `defaultCurrency`: the currency of a row without one.
	 */
	addUnreadable(input: InvoiceInput, problems: InvoiceProblem[], position: number, defaultCurrency: string): void {
		if (typeof input !== 'object' || input === null) return;
		const customerId = textOf(input.customerId);
		if (customerId === null) return;
		// Blank as InvoiceReader takes it: then the row is in the default currency.
		const blankCurrency = input.currency === undefined || input.currency === null || input.currency === '';
		const read = blankCurrency ? null : readCurrencyCode(input.currency);
		const currency = blankCurrency ? defaultCurrency : read?.ok ? read.code : null;
		if (!looksNegative(input.openAmount, minorDigits(currency ?? defaultCurrency))) return;
		const unreadable: UnreadableCredit = {
			invoiceId: textOf(input.invoiceId),
			position,
			openAmount: showValue(input.openAmount),
			currency,
			problems: problems.map((p) => p.message).join('; '),
		};
		const list = this.unreadableByCustomer.get(customerId);
		if (!list) this.unreadableByCustomer.set(customerId, [unreadable]);
		else list.push(unreadable);
	}

	/**
	 * Remembers an invoice of a known customer whose open amount is 0 or below (above 0, its charges
	 * are still owed on it): all of them must be added before the first find or verdict. The charges
	 * the reminders claimed count per customer and currency across the run, because a collective
	 * reminder's total is often paid and booked on one of its invoices: the part below zero within
	 * the charges claimed on the customer's settled invoices is charges paid; only the excess is a
	 * credit, and the first per customer and currency is named.
	 */
	add(invoice: Invoice, position: number): void {
		if (invoice.customerId === null) return;
		const digits = minorDigits(invoice.currency);
		const openMinor = toMinor(invoice.openAmount, digits);
		const claimedMinor = Math.max(0, toMinor(invoice.claimedCharges, digits));
		if (openMinor > 0 || (openMinor === 0 && claimedMinor === 0)) return;
		const row = JSON.stringify([invoice.customerId, invoice.invoiceId, plainDay(invoice.dueDate), openMinor, invoice.currency]);
		if (this.taken.has(row)) return;
		this.taken.add(row);
		const key = JSON.stringify([invoice.customerId, invoice.currency]);
		const entry: SettledInvoice = { customerId: invoice.customerId, invoiceId: invoice.invoiceId, position, currency: invoice.currency, paidMinor: -openMinor, claimedMinor };
		const list = this.settled.get(key);
		if (!list) this.settled.set(key, [entry]);
		else list.push(entry);
		this.verdicts = null;
	}

	/**
	 * What the invoice at `position` is once its customer's other settled invoices are counted
	 * (see add), when that differs from its own verdict (decide's): chargesPaid, or a smaller
	 * credit. Undefined when the invoice was not added or the others change nothing.
	 */
	pooledVerdict(invoice: Invoice, position: number): PooledVerdict | undefined {
		this.settle();
		const verdict = this.verdicts?.get(position);
		return verdict?.invoiceId === invoice.invoiceId ? verdict : undefined;
	}

	/** The credit of this invoice's customer in its currency, if there is one. */
	find(invoice: Invoice): CreditNote | undefined {
		if (invoice.customerId === null) return undefined;
		this.settle();
		return this.byCustomer.get(invoice.customerId)?.find((c) => c.currency === invoice.currency);
	}

	/**
	 * Per customer and currency: the charges claimed on settled invoices that were not paid on
	 * them (all of an invoice at 0) are spare; each invoice below zero by more than its own
	 * charges draws on them, in the order added, and what is left beyond is a credit.
	 */
	private settle(): void {
		if (this.verdicts !== null) return;
		const verdicts = new Map<number, PooledVerdict>();
		const byCustomer = new Map<string, CreditNote[]>();
		for (const rows of this.settled.values()) {
			let spare = 0;
			for (const r of rows) spare += Math.max(0, r.claimedMinor - r.paidMinor);
			const lenders = rows.filter((r) => r.claimedMinor > r.paidMinor);
			for (const r of rows) {
				let split = splitBelowZero(r.paidMinor, r.claimedMinor, r.currency);
				if (split === null || split.creditMinor === 0) continue;
				const drawn = Math.min(split.creditMinor, spare);
				if (drawn > 0) {
					spare -= drawn;
					split = splitBelowZero(r.paidMinor, r.claimedMinor + drawn, r.currency)!;
					const others = lenders.filter((l) => l !== r);
					const named = `invoice${others.length === 1 ? '' : 's'} ${namedList(others)}`;
					verdicts.set(r.position, { invoiceId: r.invoiceId, reason: split.creditMinor === 0 ? 'chargesPaid' : 'credit', message: belowZeroMessage(split, r.currency, named) });
				}
				if (split.creditMinor === 0) continue;
				const digits = minorDigits(r.currency);
				const credit: CreditNote = { invoiceId: r.invoiceId, position: r.position, openAmount: fromMinor(-split.creditMinor, digits), currency: r.currency };
				if (split.claimedMinor > 0) credit.charges = fromMinor(split.claimedMinor, digits);
				const credits = byCustomer.get(r.customerId);
				if (!credits) byCustomer.set(r.customerId, [credit]);
				else if (!credits.some((c) => c.currency === credit.currency)) credits.push(credit);
			}
		}
		this.verdicts = verdicts;
		this.byCustomer = byCustomer;
	}

	/** An unreadable row of this invoice's customer that may be a credit in its currency (or in an unknown one). */
	findUnreadable(invoice: Invoice): UnreadableCredit | undefined {
		if (invoice.customerId === null) return undefined;
		return this.unreadableByCustomer.get(invoice.customerId)?.find((c) => c.currency === null || c.currency === invoice.currency);
	}
}

/** Whether the decision moves the invoice on: a reminder by e-mail or letter, or a stage without channel that counts its level. */
export function wouldDun(decision: DunningDecision): boolean {
	return decision.level > decision.previousLevel;
}

export function duplicateMessage(invoiceId: string, position: number, firstPosition: number): string {
	return `Item ${position}: invoice ${JSON.stringify(invoiceId)} is also item ${firstPosition} (same due date, open amount and currency); only item ${firstPosition} is dunned`;
}

export function sameInvoiceIdMessage(invoiceId: string, position: number, firstPosition: number, level: number): string {
	return (
		`Item ${position}: invoice ${JSON.stringify(invoiceId)} is also item ${firstPosition}, another open item (an instalment: another due date or amount) reminded at level ${level} in this run; ` +
		`a reminder is known by invoice ID and level, so only item ${firstPosition} is reminded. Give each instalment its own invoice ID (e.g. ${JSON.stringify(`${invoiceId}-2`)}), or turn on Group by Customer to list them in one reminder (with the same e-mail address)`
	);
}

export function customerCreditMessage(customerId: string, credit: CreditNote): string {
	const digits = minorDigits(credit.currency);
	const amount = credit.openAmount.toFixed(digits);
	const beyond = credit.charges === undefined ? '' : ` (beyond the ${credit.charges.toFixed(digits)} ${credit.currency} of reminder charges paid on it)`;
	return `customer ${JSON.stringify(customerId)} has a credit of ${amount} ${credit.currency}${beyond} on invoice ${JSON.stringify(credit.invoiceId)} (item ${credit.position}): settle it with the customer (offset or pay it back) before this invoice is dunned`;
}

export function unreadableCreditMessage(customerId: string, row: UnreadableCredit): string {
	const invoice = row.invoiceId === null ? '' : `invoice ${JSON.stringify(row.invoiceId)}, `;
	return (
		`customer ${JSON.stringify(customerId)} may have a credit: item ${row.position} (${invoice}open amount ${row.openAmount}) could not be read (${row.problems}). ` +
		`Fix that item (if it is a credit note, settle it with the customer) before this invoice is dunned; until then it waits`
	);
}

/**
 * The decision for one invoice in view of the run: a later row of the same invoice, an invoice
 * that would be dunned while its customer has a credit in its currency, or a second instalment of
 * an invoice ID reminded at the same level in another reminder (not the collective one that lists
 * both), is held back (No Action, reason `duplicate`, `customerCredit` or `sameInvoiceId`).
 * `groupOf` gives the collective reminder a decision goes into, when grouping. Remembers the
 * invoice for later rows.
 */
export function checkAgainstRun(
	decider: Decider,
	invoice: Invoice,
	decision: DunningDecision,
	position: number,
	repeated: RepeatedInvoices,
	credits: CustomerCredits,
	groupOf?: (decision: DunningDecision) => string,
): DunningDecision {
	const first = repeated.firstPosition(invoice, position);
	if (first >= 0) return decider.hold(decision, 'duplicate', duplicateMessage(invoice.invoiceId, position, first));
	if (decision.reason === 'credit') {
		// Charges claimed on the customer's other invoices may cover it (a collective reminder's total paid on one).
		const pooled = credits.pooledVerdict(invoice, position);
		return pooled === undefined ? decision : decider.hold(decision, pooled.reason, pooled.message);
	}
	if (!wouldDun(decision)) return decision;
	const credit = credits.size === 0 ? undefined : credits.find(invoice);
	if (credit) return decider.hold(decision, 'customerCredit', customerCreditMessage(invoice.customerId ?? '', credit));
	const unreadable = credits.size === 0 ? undefined : credits.findUnreadable(invoice);
	if (unreadable) return decider.hold(decision, 'customerCredit', unreadableCreditMessage(invoice.customerId ?? '', unreadable));
	if (decision.action === 'none') return decision;
	const reminded = repeated.remindedBefore(invoice.invoiceId, decision.level, position, groupOf ? groupOf(decision) : null);
	return reminded >= 0 ? decider.hold(decision, 'sameInvoiceId', sameInvoiceIdMessage(invoice.invoiceId, position, reminded, decision.level)) : decision;
}
