/**
 * A copy of the reminder that stayed in the sender's own organisation: a journal, a server-side Bcc
 * (an Exchange transport rule, an MTA's always_bcc), a colleague in Cc. A report about it says
 * nothing about the customer, as a report about the marked archive copy does not (archive-copy.ts);
 * counted as the customer's, the journal address a migration deleted would block every customer.
 */
import type { MimePart } from './mime-walk';
import { addressesIn, asciiAddress, quotedHeader } from './message-headers';
import { domainOf, sameOrganisation } from './forwarded';
import { isMailboxProvider } from './mailbox-provider';
import { correlationFromHeaders, correlationFromText, namesOurReminder } from './correlation';
import { asciiDomain } from '../mail/address';

/** Who sent the returned reminder and to whom (its To), where the report returns its header. */
export interface ReminderAddressing {
	from: string[];
	to: string[];
	/** The mailbox whose Exchange inbox rule made the returned copy (X-MS-Exchange-Inbox-Rules-Loop). */
	ruleOf: string[];
}

const RULE_LOOP = 'x-ms-exchange-inbox-rules-loop';

/**
 * The returned reminder's From and To: the first attached message or returned header text
 * (`headerTexts`) that is a reminder of ours (its X-Dunning-Invoice, our Message-ID form), not a
 * wrapped report's own header nor anyone else's message, whose addressing we do not know.
 */
export function reminderAddressing(parts: MimePart[], headerTexts: string[]): ReminderAddressing | null {
	for (const p of parts) {
		if (p.isAttachedMessage && p.depth > 0 && namesOurReminder(correlationFromHeaders(p.headers))) {
			return { from: addressesIn(p.headers, ['from']), to: addressesIn(p.headers, ['to']), ruleOf: addressesIn(p.headers, [RULE_LOOP]) };
		}
	}
	for (const text of headerTexts) {
		if (!namesOurReminder(correlationFromText(text))) continue;
		const read = (key: string) => addressesIn(new Map([[key, [quotedHeader(text, key) ?? '']]]), [key]);
		return { from: read('from'), to: read('to'), ruleOf: read(RULE_LOOP) };
	}
	return null;
}

/**
 * The Own Domains option: domains separated by commas, semicolons or spaces ("@" or "*." before one
 * is allowed), in lower-case ASCII (IDNA). A public mailbox provider's domain is refused: the
 * merchant shares it with customers, whose failed forward targets there would be lost as our copies.
 */
export function ownDomainList(value: string): string[] {
	const domains: string[] = [];
	for (const entry of value.split(/[\s,;]+/)) {
		if (!entry) continue;
		const domain = asciiDomain(entry.replace(/^(?:@|\*\.)/, ''));
		if (!domain) throw new Error(`"${entry}" is not a domain name`);
		if (isMailboxProvider(`@${domain}`)) throw new Error(`${domain} is a public mailbox provider's domain, shared with your customers: list only domains your organisation alone uses`);
		domains.push(domain);
	}
	return domains;
}

/**
 * The address a report row says the reminder was meant for (the original recipient where it names
 * one: our archive address forwarding to an outside archive service) is in the sender's own
 * domain, and the reminder was not addressed to it (its To). Not when the customer's own system
 * wrote the report (`reportedBy`: the report's From, its reporting host, in a To address's domain):
 * their server forwarded the reminder on. Not when every To address is in the sender's domain too (a
 * group's subsidiaries, a hoster billing its customers; our account manager beside the customer is
 * no customer of ours) nor when that domain is a public mailbox provider's: there the customer's own
 * forward targets share it. `ownDomains` (the merchant's own list, ownDomainList) join the sender's;
 * a report without the reminder's header cannot tell and stays the customer's, unless the address is
 * in one of those: the merchant said it is theirs.
 */
export function isOwnCopy(addressing: ReminderAddressing | null, row: { recipient: string | null; originalRecipient: string | null }, reportedBy: (string | null)[], ownDomains: string[] = []): boolean {
	const given = row.originalRecipient ?? row.recipient;
	if (!given) return false;
	const meant = asciiAddress(given);
	// A listed domain covers its subdomains, not its parent (archiv.x.de listed says nothing of x.de).
	const listed = (a: string) => ownDomains.some((d) => domainOf(a) === d || domainOf(a).endsWith(`.${d}`));
	if (!addressing || !addressing.to.length) return listed(meant);
	const to = addressing.to.map(asciiAddress);
	const own = addressing.from.filter((f) => !isMailboxProvider(f)).map(asciiAddress);
	const ours = (a: string) => listed(a) || own.some((f) => sameOrganisation(f, a));
	// (A customer at a mailbox provider shares its systems with us: our own Microsoft 365 or Google
	// Workspace writes from outlook.com and googlemail.com hosts.)
	const byCustomer = reportedBy.some((a) => !!a && to.some((t) => !isMailboxProvider(t) && sameOrganisation(t, asciiAddress(a))));
	return ours(meant) && !to.includes(meant) && !to.every(ours) && !byCustomer;
}

/**
 * A copy the customer's own mailbox made after our reminder arrived there: an Outlook / Exchange
 * inbox rule that forwards or redirects stamps its copy "X-MS-Exchange-Inbox-Rules-Loop: <the
 * mailbox>". That copy failing at an address the reminder was not sent to says the reminder reached
 * a mailbox of the organisation we wrote to; the rule's target is the customer's affair, and no
 * address of ours is dead.
 */
export function isCustomersRuleCopy(addressing: ReminderAddressing | null, row: { recipient: string | null }): boolean {
	if (!addressing || !row.recipient) return false;
	const to = addressing.to.map(asciiAddress);
	// (The rule's mailbox by its domain: Exchange names the mailbox's primary address, we may have
	// written to an alias of it; a second rule's hop names the next mailbox of the same organisation.)
	return addressing.ruleOf.some((a) => to.some((t) => domainOf(t) === domainOf(asciiAddress(a)))) && !to.includes(asciiAddress(row.recipient));
}
