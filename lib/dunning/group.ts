import { fromMinor, minorDigits, toMinor } from './money';
import type { DunningAction, DunningDecision, DunningReason, StageChannel } from './types';

export interface GroupEntry<T> {
	/** Who the letter goes to: the customer id (callers fall back to e-mail or invoice id). */
	customerKey: string;
	/** The invoice's own customer id, null without one (then the key is only a grouping key). */
	customerId: string | null;
	/** The invoice's e-mail field: an e-mail reminder goes to one address list, so another list is another reminder. */
	email: string | null;
	decision: DunningDecision;
	item: T;
}

/** One reminder for one customer at one level: all their invoices due for it, with totals. */
export interface DunningGroup<T> {
	customerKey: string;
	/** The customer id the invoices carry; null when they were grouped by e-mail or invoice id. */
	customerId: string | null;
	action: DunningAction;
	level: number;
	stageName: string | null;
	channel: StageChannel | null;
	/** Reason of the first invoice (all share the action; paper reasons may differ per invoice). */
	reason: DunningReason | null;
	currency: string;
	count: number;
	openAmount: number;
	fee: number;
	flatFee: number;
	interest: number;
	totalDue: number;
	/** Earliest deadline among the invoices. */
	deadline: string | null;
	/** The invoices' DunningDecision.finalReminder: the reminder is the customer's last (true only when it is for each). */
	finalReminder: boolean;
	asOf: string;
	warnings: string[];
	members: T[];
	decisions: DunningDecision[];
}

/** An e-mail field's addresses as one key: case, order, names and separators aside. */
function addressKey(email: string | null): string {
	const words = email?.toLowerCase().split(/[\s<>,;"()]+/) ?? [];
	return [...new Set(words.filter((word) => word.includes('@')))].sort().join(',');
}

/**
 * Groups decisions by customer, action, level and currency (amounts in different currencies are
 * never added up), and e-mail reminders also by the address they go to (a customer's invoices
 * for two departments go to each), in order of first appearance. Totals are exact sums in the currency's smallest unit.
 */
/** Which collective reminder an entry goes into: the same key, the same reminder. */
export function groupKey(entry: Omit<GroupEntry<unknown>, 'item'>): string {
	const { customerKey, customerId, email, decision: d } = entry;
	const addresses = addressKey(email);
	// A customer id apart from an e-mail key: a customer id that reads as another's e-mail is not that customer.
	const who = customerId !== null ? ['id', customerId] : addresses ? ['mail', addresses] : ['key', customerKey];
	return JSON.stringify([...who, d.action === 'send' ? addresses : '', d.action, d.level, d.currency]);
}

export function groupByCustomer<T>(entries: Iterable<GroupEntry<T>>): Array<DunningGroup<T>> {
	const groups = new Map<string, DunningGroup<T>>();
	for (const entry of entries) {
		const { customerKey, customerId, decision: d, item } = entry;
		const key = groupKey(entry);
		let g = groups.get(key);
		if (!g) {
			g = {
				customerKey,
				customerId,
				action: d.action,
				level: d.level,
				stageName: d.stageName,
				channel: d.channel,
				reason: d.reason,
				currency: d.currency,
				count: 0,
				openAmount: 0,
				fee: 0,
				flatFee: 0,
				interest: 0,
				totalDue: 0,
				deadline: d.deadline,
				finalReminder: d.finalReminder,
				asOf: d.asOf,
				warnings: [],
				members: [],
				decisions: [],
			};
			groups.set(key, g);
		}
		g.count++;
		// One currency per group, added in its smallest unit.
		const digits = minorDigits(d.currency);
		const add = (a: number, b: number) => fromMinor(toMinor(a, digits) + toMinor(b, digits), digits);
		g.openAmount = add(g.openAmount, d.openAmount);
		g.fee = add(g.fee, d.fee);
		g.flatFee = add(g.flatFee, d.flatFee);
		g.interest = add(g.interest, d.interest);
		g.totalDue = add(g.totalDue, d.totalDue);
		if (d.deadline !== null && (g.deadline === null || d.deadline < g.deadline)) g.deadline = d.deadline;
		// They share level and policy, so they agree; should one not, the letter must not say "last".
		g.finalReminder = g.finalReminder && d.finalReminder;
		for (const w of d.warnings) if (!g.warnings.includes(w)) g.warnings.push(w);
		g.members.push(item);
		g.decisions.push(d);
	}
	return [...groups.values()];
}

/**
 * Where a group item keeps the k-th invoice's file (1-based) that the invoice item had under
 * `name`: the first keeps the name, the others get a number ("data", "data_2", "data_3", …), so
 * that Send Reminder Email attaches every invoice's PDF to the collective reminder.
 */
export function memberBinaryKey(name: string, position: number): string {
	return position === 1 ? name : `${name}_${position}`;
}

/**
 * Two files that memberBinaryKey would put under one name in a group, or a file of the first
 * invoice that would be read as another invoice's ("data_2" beside "data" in a group of two: Send
 * Reminder Email would attach it as invoice 2's "data"). Null when every file keeps its own name.
 * `names[k]` are the binary property names of the k-th member (0-based).
 */
export function memberBinaryClash(names: string[][]): string | null {
	const all = new Set(names.flat());
	const taken = new Map<string, number>();
	for (const [k, own] of names.entries()) {
		for (const name of own) {
			const key = memberBinaryKey(name, k + 1);
			const other = taken.get(key);
			if (other !== undefined) return `the file "${name}" of invoice ${k + 1} and a file of invoice ${other} would both be "${key}"`;
			taken.set(key, k + 1);
		}
	}
	for (const name of names[0] ?? []) {
		const m = /^(.+)_(\d+)$/.exec(name);
		const position = m ? Number(m[2]) : 0;
		if (m && all.has(m[1]) && position >= 2 && position <= names.length) {
			return `the file "${name}" of invoice 1 would be read as invoice ${position}'s "${m[1]}"`;
		}
	}
	return null;
}
