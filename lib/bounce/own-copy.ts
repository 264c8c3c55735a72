/**
 * A copy of the reminder that stayed in the sender's own organisation: a journal, a server-side Bcc
 * (an Exchange transport rule, an MTA's always_bcc), a colleague in Cc. A report about it says
 * nothing about the customer, as a report about the marked archive copy does not (archive-copy.ts);
 * counted as the customer's, the journal address a migration deleted would block every customer.
 */
import type { MimePart } from './mime-walk';
import { addressesIn, quotedHeader } from './message-headers';
import { sameOrganisation } from './forwarded';
import { isMailboxProvider } from './mailbox-provider';
import { correlationFromHeaders, correlationFromText, namesOurReminder } from './correlation';

/** Who sent the returned reminder and to whom (its To), where the report returns its header. */
export interface ReminderAddressing {
	from: string[];
	to: string[];
}

/**
 * The returned reminder's From and To: the first attached message or returned header text
 * (`headerTexts`) that is a reminder of ours (its X-Dunning-Invoice, our Message-ID form), not a
 * wrapped report's own header nor anyone else's message, whose addressing we do not know.
 */
export function reminderAddressing(parts: MimePart[], headerTexts: string[]): ReminderAddressing | null {
	for (const p of parts) {
		if (p.isAttachedMessage && p.depth > 0 && namesOurReminder(correlationFromHeaders(p.headers))) {
			return { from: addressesIn(p.headers, ['from']), to: addressesIn(p.headers, ['to']) };
		}
	}
	for (const text of headerTexts) {
		if (!namesOurReminder(correlationFromText(text))) continue;
		const read = (key: string) => addressesIn(new Map([[key, [quotedHeader(text, key) ?? '']]]), [key]);
		return { from: read('from'), to: read('to') };
	}
	return null;
}

/**
 * Every address the report gives for this row (the failed one, the one it was meant for) is in the
 * sender's own domain and none is one the reminder was addressed to (its To). A customer at the
 * sender's domain is in To; a report without the reminder's header cannot tell and stays the
 * customer's, as does any address when the sender's domain is a public mailbox provider's.
 */
export function isOwnCopy(addressing: ReminderAddressing | null, failed: (string | null)[]): boolean {
	if (!addressing || !addressing.to.length) return false;
	const addresses = failed.filter((a): a is string => !!a).map((a) => a.toLowerCase());
	const to = new Set(addressing.to.map((a) => a.toLowerCase()));
	// (A merchant on a public provider shares its domain with the customer's other addresses.)
	const own = addressing.from.filter((f) => !isMailboxProvider(f));
	return addresses.length > 0 && addresses.every((a) => !to.has(a) && own.some((f) => sameOrganisation(f, a)));
}
