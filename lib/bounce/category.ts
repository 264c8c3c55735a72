import type { BounceCategory, BounceKind, BounceReason } from './types';
import { reasonFromText, remoteReplyText, smtpStage, type SmtpStage } from './diagnostic-reason';
import { isDirectoryNoSuchRecipient } from './directory-answer';
import { isMailboxProvider } from './mailbox-provider';

/**
 * What a result means for dunning (DESIGN.md, Classify Bounce): the category of its reason, with
 * the rules that keep a live address from being taken for a dead one.
 */

/** Refusals about our sender, our message or our host: a deliverability alarm for the mailbox. */
const SENDER_REJECTED: ReadonlySet<BounceReason> = new Set<BounceReason>([
	'blocked',
	'authfailure',
	'requireptr',
	'badreputation',
	'norelaying',
	'securityerror',
	'rejected',
	'speeding',
	'toomanyconn',
	'spamdetected',
	'policyviolation',
	'virusdetected',
	'contenterror',
	'mesgtoobig',
	'exceedlimit',
	'failedstarttls',
	'notcompliantrfc',
	'syntaxerror',
]);

/** Reasons that can prove an address dead: RFC 3463 X.1.1 / X.1.2 / X.1.6 / X.1.10 and "accepts no mail". */
const ADDRESS_REASONS: ReadonlySet<BounceReason> = new Set<BounceReason>(['userunknown', 'hostunknown', 'hasmoved', 'notaccept']);

export interface CategoryInput {
	reason: BounceReason | null;
	kind: BounceKind;
	status: string | null;
	replyCode: string | null;
	/** False for an RFC 3464 `Action: delayed` notice. */
	final: boolean;
	/** The server's words about this recipient, and the report text around them. */
	diagnostic?: string | null;
	context?: string | null;
	/** The failed address (its domain tells which name a DNS lookup failed for). */
	recipient?: string | null;
	/** The command the refusal answered, when the sender saw it (refusal-at-send.ts) rather than read it in a report. */
	stage?: SmtpStage | null;
	/** The server that answered (RFC 3464 Remote-MTA), when the report names it. */
	remoteMta?: string | null;
}

/**
 * RFC 3463 §3.2 codes that say the address itself is bad: X.1.1 bad destination mailbox, X.1.2
 * bad destination system, X.1.6 mailbox has moved; RFC 7505 §4.2: X.1.10 null MX. X.1.0 (other),
 * X.1.4 (ambiguous) and X.1.5 (valid!) do not. A permanent X.4.4 "unable to route" is how Postfix
 * and others report a domain that has no MX or address record (NXDOMAIN): it proves a dead host.
 */
const DEAD_ADDRESS_STATUS = /^5\.1\.(?:1|2|6|10)$/;
// Exchange Online's 5.4.310 "DNS domain … does not exist" (its NDR reference) is its own DNS verdict, as 5.4.4 is.
const DEAD_HOST_STATUS = /^5\.4\.(?:4|310)$/;

/**
 * RFC 5321 §4.2.2's stock text for 550, "Requested action not taken: mailbox unavailable", covers
 * "mailbox not found, no access, or command rejected for policy reasons": it proves nothing, and
 * neither does any "mailbox / account … unavailable" (for 450 the RFC says "mailbox busy or
 * temporarily blocked for policy reasons").
 */
const STOCK_550 = /requested action not taken:?\s{0,9}mailbox unavailable|\b(?:mail ?box|account|address|user|recipient) (?:is |was )?(?:temporarily |currently )?(?:unavailable|not available)\b/gi;

const withoutStock = (text: string | null | undefined): string | null => (text ? text.replace(STOCK_550, ' ') : null);

/** The command the refusal answered: named in the reply, seen while sending, or named in the report text. */
function refusedAt(r: CategoryInput): SmtpStage | null {
	return smtpStage(r.diagnostic, false) ?? r.stage ?? smtpStage(r.context, false);
}

/**
 * United Internet's mail servers (GMX, WEB.DE, IONOS/1&1, mail.com) send no enhanced codes (GMX
 * postmaster page) and answer a recipient they do not have with the stock text alone at RCPT TO;
 * their help pages document it as that ("550 Requested action not taken: mailbox unavailable": "Die
 * E-Mail-Adresse existiert nicht auf diesem Server", IONOS "SMTP-Fehlermeldungen der IONOS
 * Mailserver"; GMX "Email returned as undeliverable": unknown user). Only from their own MX and only
 * the stock line: a reply that goes on ("550 invalid DNS MX or A/AAAA resource record") says why.
 * Their inbound servers only (mx00.ionos.de, mx01.kundenserver.de, mx-ha02.web.de, mx00.emig.gmx.net):
 * their submission hosts (smtp.ionos.de) may be our own relay.
 */
const UNITED_INTERNET_MX = /^mx[a-z0-9-]*\.(?:[a-z0-9-]+\.)*(?:gmx\.(?:net|de|at|ch|com)|web\.de|kundenserver\.de|ionos\.(?:co\.uk|[a-z]{2,3})|1and1\.(?:co\.uk|[a-z]{2,3})|mail\.com)$/;
const STOCK_550_ALONE = /^550[ -](?:<[^<>\s]{1,254}>:?\s+)?requested action not taken:?\s+mailbox unavailable\.?(?:\s+\(in\s+reply\s+to\s+rcpt\s+to\s+command\))?$/i;

function unitedInternetNoSuchMailbox(r: CategoryInput): boolean {
	const said = `${r.diagnostic ?? ''}\n${r.context ?? ''}`;
	// Remote-MTA, Postfix's and Exim's "host mx… [ip]", Sendmail's "... while talking to mx….:".
	const host = (/^[^\s(;]+/.exec(r.remoteMta?.trim() ?? '')?.[0] ?? /\b(?:host|while talking to)\s+([a-z0-9.-]{1,253}?)\.?\s*[[:]/i.exec(said)?.[1] ?? '').replace(/\.$/, '').toLowerCase();
	// The reply from its code on: Exim writes "SMTP error from remote mail server after RCPT TO:<…>:" before it.
	const quoted = remoteReplyText(r.diagnostic) ?? r.diagnostic ?? '';
	const reply = quoted.slice(Math.max(0, quoted.search(/(?:^|\s)550[ -]/))).trim();
	const stage = refusedAt(r);
	return stage === 'rcpt' && UNITED_INTERNET_MX.test(host) && STOCK_550_ALONE.test(reply);
}

/**
 * Sendmail answers any 5xx refusal of RCPT TO with its own "550 5.1.1 <…>... User unknown"
 * (usersmtp.c), also when the remote server said only "550 Rejected": its 5.1.1 over a remote reply
 * that has no code and no words of a missing address is its guess.
 */
function sendmailGuess(r: CategoryInput): boolean {
	const reply = r.diagnostic ?? '';
	if (r.status !== '5.1.1' || !/^\s*5\d\d(?![ -]+\d\.\d)/.test(reply)) return false;
	const words = reasonFromText(withoutStock(reply));
	return words === null || !ADDRESS_REASONS.has(words);
}

/**
 * RFC 3463 codes of a mailbox's state (X.2.x but X.2.0, which Sendmail derives from any bare 550, its
 * savemail.c smtptodsn), the receiving system's (X.3.x) and a policy (X.7.x but X.7.27).
 */
const NOT_ADDRESS_STATUS = /^\d\.(?:2\.(?!0$)\d{1,3}|3\.\d{1,3}|7\.(?!27$)\d{1,3})$/;

/**
 * "Not accepting mail" said of the mailbox ("Mailbox not accepting mail", "This recipient does not
 * accept mail"): RFC 3463 §3.3 words X.2.1 so, "the mailbox exists, but is not accepting messages".
 * Only a domain or host that accepts no mail at all (RFC 7505's null MX, "no SMTP service") is gone.
 * (The nearest noun decides: "Recipient address rejected: Domain does not accept mail" is the domain's.)
 */
const MAILBOX_NOT_ACCEPTING =
	/\b(?:recipient|user|mail ?box|account|inbox|addressee|address)(?:'s)?(?:\s+(?!(?:domain|host|server|system|site)\b)[\w'-]+){0,3}?\s+(?:does\s?n[o']t|do not|will not|won'?t|is not|isn'?t|not)\s+(?:currently\s+|presently\s+)?accept/i;

/** Something in the message proves the address dead: a dead-address code, or words that say so. */
function provesDead(r: CategoryInput): boolean {
	if (UNKNOWN_OR_DISABLED.test(r.diagnostic ?? '')) return false;
	// Exchange's encapsulation of a non-SMTP address ("IMCEAEX-_o=…@domain", an X.500 legacy DN) is
	// addressed only inside the customer's organisation (a cached entry, a rule), never by us.
	if (/^imcea[a-z]*-/i.test(r.recipient ?? '')) return false;
	// RFC 3463 X.1.3 is the address's syntax ("invalid recipient address" then says that): whether such
	// a mailbox exists is not what the server checked (some take a local part ending in ".").
	if (/^5\.1\.3$/.test(r.status ?? '')) return false;
	// (Before Sendmail's 5.1.1 over their codeless reply, which is its guess: sendmailGuess.)
	// United Internet's documented bare 550 decides before Sendmail's own 5.1.1 guess over it.
	if (unitedInternetNoSuchMailbox(r)) return !undermined(r);
	if (sendmailGuess(r)) return false;
	if (r.status && DEAD_ADDRESS_STATUS.test(r.status) && !codeOnlyInferred(r)) return !undermined(r) && !saysSomethingElse(r);
	// 5.4.4 "unable to route" is also a missing connector or next hop (Exchange's NoNextHop): only
	// the DNS's own verdict on the domain makes it a dead host.
	if (r.status && r.reason === 'hostunknown' && DEAD_HOST_STATUS.test(r.status)) return dnsSaysNoSuchDomain(`${r.diagnostic ?? ''}\n${r.context ?? ''}`, r.recipient);
	const diagnostic = withoutStock(r.diagnostic);
	const words = reasonFromText(remoteReplyText(diagnostic)) ?? reasonFromText(diagnostic) ?? reasonFromText(withoutStock(r.context));
	if (words === null || !ADDRESS_REASONS.has(words)) return false;
	// "Not accepting mail" is what a code of another state says in words: X.2.x a mailbox that exists
	// (RFC 3463 §3.3, "X.2.1 … The mailbox exists, but is not accepting messages"), X.3.x the receiving
	// system's state (§3.4, "X.3.2 System not accepting network messages"), X.7.x a security or policy
	// refusal (§3.8; not X.7.27, Sendmail's for a host that accepts no mail). Said of the mailbox, it is
	// X.2.1's state whatever the code. (Only these words agree with such a code; a "user unknown"
	// under it contradicts it, and the rules below read it.)
	if (words === 'notaccept' && ((r.status && NOT_ADDRESS_STATUS.test(r.status)) || MAILBOX_NOT_ACCEPTING.test(diagnostic ?? ''))) return false;
	if (undermined(r)) return false;
	const said = `${diagnostic ?? ''}\n${r.context ?? ''}`;
	// Words that only guess ("the account or domain may not exist") prove nothing.
	if (HEDGED.test(said)) return false;
	// "Access denied" names an access policy, not a missing mailbox: Postfix's access(5) REJECT answers
	// it, and Microsoft 365's "5.4.1 Recipient address rejected: Access denied" comes both for a
	// recipient its directory lacks and for a tenant that refuses outside senders (real reports).
	if (ACCESS_DENIED.test(diagnostic ?? '')) return false;
	const stage = refusedAt(r);
	// A refusal of MAIL FROM, or one after DATA, came from a server that had accepted (or not yet
	// seen) the recipient (RFC 5321 §3.3): its "does not exist" is about something else, our sender's
	// domain for one; the brief of issue 11/12 says the same of "user unknown" after DATA.
	// A refusal of the connecting host or its greeting is about our host: Postfix's "Helo command
	// rejected: Host not found" names our HELO name.
	if (stage === 'mail' || stage === 'connect') return false;
	// A vendor's documented no-such-recipient answer is its directory's verdict, also after DATA
	// (Yahoo checks its users there).
	if (words === 'userunknown' && isDirectoryNoSuchRecipient(said)) return true;
	if (stage === 'data') return false;
	// "Has moved" in words proves it only with RFC 5321's 551 "User not local; please try
	// <forward-path>" (§3.4); a 5.1.6 code has already decided above.
	if (words === 'hasmoved') return r.replyCode === '551';
	// An unknown host or a domain that takes no mail is the reporting MTA's own DNS answer. A remote
	// server quoted as saying so was reached through that domain's DNS: it refuses a domain it does
	// not host, which does not prove the domain gone (a dead-host code, X.1.2, has decided above).
	// Exim says so when the domain's MX records name hosts without an address (its smtp transport):
	// the domain exists, as in Postfix's failed lookup of an MX host (lookedUpAnotherHost).
	if (words === 'hostunknown' && (remoteSaysNoSuchDomain(r) || answeredByTheDomain(r) || lookedUpAnotherHost(said, r.recipient) || MX_POINTS_NOWHERE.test(said))) return false;
	// A report that tried to connect to the domain's servers had an address to try: no MX record
	// there means the address record was used (RFC 5321 §5.1), and the failure is the network's.
	if ((words === 'hostunknown' || words === 'notaccept') && TRIED_TO_CONNECT.test(said)) return false;
	if (words !== 'userunknown') return true;
	// "User unknown" in words only: RFC 5321 §4.2.2's 550 covers "mailbox not found, no access, or
	// command rejected for policy reasons", and carriers word their subscribers' sender filters as
	// "user unknown" (issue 12). The words prove a dead mailbox only as the answer to RCPT TO, where
	// RFC 5321 §3.3 has the server check the mailbox, or in a vendor's documented no-such-mailbox text.
	// With PIPELINING (RFC 2920) a transcript may show DATA as the last command sent: that the refusal
	// answered RCPT is then inferred from the reply to DATA, not shown, which is not proof.
	// A reply that names the recipient's mailbox ("550 <address>: User unknown") is no sign of RCPT
	// TO either: real reports with that very form are refusals after DATA by the recipient's filter.
	return stage === 'rcpt';
}

/**
 * Words a reply frames its verdict with, which say nothing of their own ("550 5.1.1 <a@b>: Recipient
 * address rejected: aol.com", "Requested action not taken: mailbox unavailable").
 */
const FRAME_WORDS = new Set(
	'the and for from with this that your our you please see more information learn sorry smtp esmtp error remote mail email server host said reply command rcpt after giving recipient recipients address addresses rejected mailbox user requested action taken unavailable delivery failed failure permanent permanently message returned gsmtp status code reason diagnostic'.split(' '),
);

/**
 * A sentence a server appends to its verdict: Postfix's smtpd_reject_footer ("For assistance,
 * call …", "Bei Fragen wenden Sie sich an …"), a link, qmail's "Giving up on <ip>".
 */
const FOOTER = /\b(?:assistance|contact|call|phone|tel|support|help|information|please|visit|giving up|bitte|wenden|kontakt|hilfe|informationen|veuillez|contactez|contatt\w*|llame|póngase)\b|https?:|\bwww\./i;

/**
 * RFC 3463 codes supplement the text (§2: "the text … the code"): a dead-address code under words
 * of another state ("Konto zablokowane", "casella disattivata", "spazio esaurito", "only internal
 * senders"), under words of any other cause, or hedged, proves nothing; servers put blocked, full and
 * restricted mailboxes under 5.1.1 (Interia's help documents it). The code decides alone when the
 * reply adds nothing but addresses, hosts, identifiers, a link, the stock frame and a footer, or
 * words of a missing address.
 */
function saysSomethingElse(r: CategoryInput): boolean {
	const diagnostic = withoutStock(r.diagnostic) ?? '';
	const reply = remoteReplyText(diagnostic) ?? diagnostic;
	if (HEDGED.test(reply)) return true;
	// Words of any other cause (full, switched off, blocked, a filter) take the proof away.
	const words = reasonFromText(reply);
	if (words !== null) return !ADDRESS_REASONS.has(words) || (words === 'notaccept' && MAILBOX_NOT_ACCEPTING.test(reply));
	// Words we cannot read, in the verdict (not in a footer sentence, nor Sendmail's "<a>..."): words
	// only, not addresses, links, host names or identifiers, nor what brackets enclose.
	const verdict = reply
		.split(/(?<!\.)\.(?!\.)(?:\s|$)/)
		.filter((sentence, i) => i === 0 || !FOOTER.test(sentence))
		.join(' ')
		// (and not a report's section heading, Sendmail's "----- The following addresses had … -----")
		.replace(/-{3,}/g, '---')
		// (Only an address or an identifier: Exchange quotes the next server's reply in angle brackets,
		// "<mx.host #5.1.1 SMTP; 550 … listed …>", whose words must be read.)
		.replace(/<[^<>\s]*>|\[[^[\]]*\]|\([^()]*\)|(?<!-)---[^-]{0,120}---/g, ' ');
	const own = verdict
		.split(/\s+/)
		.filter((token) => !/[@/]|\p{L}\.\p{L}/u.test(token))
		.flatMap((token) => token.split(/['’-]/))
		.map((token) => /^[^\p{L}]*(\p{L}{3,})[^\p{L}]*$/u.exec(token)?.[1].toLowerCase())
		.filter((word): word is string => !!word && !FRAME_WORDS.has(word));
	return own.length > 0;
}

/**
 * The dead-address code says less than it seems:
 * - X.1.2 from a server we reached through the domain's own MX ("host mx… said: 550 5.1.2 … Domain
 *   not found"): the domain is in the DNS; that server refuses a domain it does not host;
 * - X.1.6 that only our MTA derived from a bare "551" (Sendmail's smtptodsn maps 551 to 5.1.6)
 *   when the reply itself refuses to relay ("551 User not local; we do not relay": an old MX).
 */
function codeOnlyInferred(r: CategoryInput): boolean {
	const status = r.status ?? '';
	if (/^5\.1\.2$/.test(status) && (remoteSaysNoSuchDomain(r) || answeredByTheDomain(r))) return true;
	return /^5\.1\.6$/.test(status) && r.replyCode === '551' && !/\b5\.1\.6\b/.test(r.diagnostic ?? '') && reasonFromText(r.diagnostic) === 'norelaying';
}

/**
 * A remote server, quoted in the report's field or in its text ("host … said:", Exim's "error from
 * remote mail server"), says it knows no such domain. (Exchange's "Remote Server returned '…'" also
 * frames its own DNS verdict, 5.4.310 InfoDomainNonexistent, so the text's frame must be one of these,
 * or the report's own fields must say who answered: remoteAnswered.)
 */
function remoteSaysNoSuchDomain(r: CategoryInput): boolean {
	const diagnostic = withoutStock(r.diagnostic);
	const quoted = remoteReplyText(diagnostic) ?? (REMOTE_FRAME.test(r.context ?? '') ? remoteReplyText(r.context) : null) ?? (remoteAnswered(r) ? diagnostic : null);
	return reasonFromText(quoted) === 'hostunknown';
}

/** The Remote-MTA's host name in lower case, without a trailing dot; undefined without one. */
function remoteHost(r: CategoryInput): string | undefined {
	return /^[^\s(;]+/.exec(r.remoteMta?.trim() ?? '')?.[0].replace(/\.$/, '').toLowerCase();
}

/** The domain of an address in lower case; undefined without an address. */
function domainOf(address: string | null | undefined): string | undefined {
	return address?.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * The report's per-recipient fields say the reply is the remote server's (RFC 3464 §2.3.5: Remote-MTA
 * is "the 'remote' MTA that reported delivery status to the 'reporting' MTA"; §2.3.6: Diagnostic-Code
 * is "the actual diagnostic code issued by the mail transport", for SMTP its reply, code first),
 * whatever frame the human part puts around it (Microsoft 365's "Remote server returned '…'",
 * Google's "The response from the remote server was:"). Not when the Remote-MTA is the recipient's
 * domain itself: Sendmail names the domain so when its own lookup failed ("Host unknown (Name
 * server: …: host not found)").
 */
function remoteAnswered(r: CategoryInput): boolean {
	const host = remoteHost(r);
	if (!host || host === domainOf(r.recipient)) return false;
	return /^\s*[45]\d\d(?:[ -]|$)/.test(r.diagnostic ?? '');
}

const REMOTE_FRAME = /\bsaid:|\berror from remote mail server\b/i;

/**
 * The server that answered is one of the recipient domain's own hosts (Remote-MTA "mx.kunde.example" for
 * kunde.example): it was found through that domain's DNS (RFC 5321 §5.1), so the domain exists,
 * whatever its "Domain not found" says (that server's own resolver failed, or a stale cache).
 */
function answeredByTheDomain(r: CategoryInput): boolean {
	const host = remoteHost(r);
	const domain = domainOf(r.recipient);
	if (!host || !domain) return false;
	// Only a host below the domain: Sendmail names the domain itself as Remote-MTA when its lookup failed.
	if (host.endsWith(`.${domain}`)) return true;
	// Microsoft 365 receives a tenant's mail at "<domain with dashes>.mail.protection.outlook.com" (its
	// MX records for a custom domain; the domain's own hyphens dropped and a suffix added at times,
	// "grupogee-com01c" for grupo-gee.com) or, newer, "<…>.mx.microsoft".
	// (Exactly the domain's letters and such a suffix: "bauerdental-de" is no host of bauer.de.)
	const letters = (name: string) => name.replace(/[.-]/g, '');
	const label = letters(host.split('.')[0]);
	return label.startsWith(letters(domain)) && /^(?:\d{2}[a-z]{0,2})?$/.test(label.slice(letters(domain).length)) && /\.(?:mail\.protection\.outlook\.com|mx\.microsoft)$/.test(host);
}

/**
 * Postfix and Exchange Online name the name whose lookup failed ("Name service error for name=…
 * type=…", "5.4.310 DNS domain … does not exist"): when that is not the recipient's domain but one
 * of its MX hosts, or our own relayhost or smart host, the domain exists.
 */
function lookedUpAnotherHost(text: string, recipient: string | null | undefined): boolean {
	const m = /name service error for name=([^\s;,]+)|\bdns domain ([^\s;,[\]]+) does not exist/i.exec(text);
	const name = (m?.[1] ?? m?.[2])?.replace(/\.$/, '').toLowerCase();
	const domain = domainOf(recipient);
	return !!name && !!domain && name !== domain;
}

const MX_POINTS_NOWHERE = /\ball relevant mx records point to non-?existent hosts\b/i;

function dnsSaysNoSuchDomain(text: string, recipient: string | null | undefined): boolean {
	return DNS_NO_SUCH_DOMAIN.test(text) && !lookedUpAnotherHost(text, recipient);
}

/** The DNS says the domain does not exist (RFC 1035 name error), as MTAs word it (Oracle Messaging Server: "Illegal host/domain name found"). */
const DNS_NO_SUCH_DOMAIN =
	/host or domain name not found|name service error|illegal host\/domain name|\bhost not found\b|nxdomain|non-?existent ?domain|no such (?:domain|host)|\bdomain (?:name )?(?:\S+ )?(?:not found|does not exist|doesn'?t exist|could ?n[o']t be found|unknown)|unrouteable (?:mail )?domain|no (?:valid )?(?:mx|a|aaaa)\b[^.]{0,30}\brecords?|mx (?:lookup|record)s? (?:failed|not found)|unknown (?:host|domain)/i;

/**
 * A sentence that offers causes rather than reporting one: an administrator's template for every
 * failure ("möglicherweise ist das Postfach voll", "Die Adresse ist unbekannt oder das Postfach ist
 * voll"; Postfix bounce(5), Exim's bounce_message_file and Exchange's New-SystemMessage replace the
 * stock prose). English templates hedge the same way ("the mailbox may be full").
 */
const OFFERED =
	/\b(?:may(?!\s+\d)|might|possibly|perhaps|möglicherweise|eventuell|vielleicht|unter umständen|peut-être|forse|posiblemente|quizás?|talvez)\b|\b(?:unknown|unbekannt|existiert nicht|does not exist|inconnue?|sconosciut[oa]|desconocid[oa])\b.{0,60}?\b(?:or|oder|ou|o)\b/i;

function withoutOffered(text: string | null): string | null {
	return text === null ? null : text.split(/(?<=[.!?;])\s+/).filter((sentence) => !OFFERED.test(sentence)).join(' ');
}

/**
 * The report itself takes the proof out of its dead-address code:
 * - its own explanation says the mailbox exists: RFC 3463 X.2.2 "mailbox full" (and a full disk) is
 *   a state of an existing mailbox, so a report that also says "no such user" contradicts itself;
 * - the recipient's server could not verify the address (Postfix's "unverified address"), or the
 *   DNS server failed (SERVFAIL);
 * - Amazon SES did not try at all because the address is on the suppression list of our account,
 *   which also holds addresses put there for a complaint or by hand (SES API, SuppressedReasons
 *   BOUNCE | COMPLAINT), yet it reports 5.1.1.
 */
function undermined(r: CategoryInput): boolean {
	if (reasonFromText(withoutOffered(withoutStock(r.context))) === 'mailboxfull') return true;
	// Postfix's address verification: "unverified address" is a probe that did not finish (its
	// ADDRESS_VERIFICATION_README, unverified_recipient_reject_code); a probe that bounced says
	// "undeliverable address".
	if (/\bunverified address\b/i.test(r.diagnostic ?? '')) return true;
	// A server that says it could not look the recipient up, or asks to try again, has not found it
	// missing (RFC 5321 §4.2.1: a condition that may pass is a 4yz one, whatever code came with it).
	if (COULD_NOT_CHECK.test(r.diagnostic ?? '')) return true;
	const said = `${r.diagnostic ?? ''}\n${r.context ?? ''}`;
	// A DNS server failure (RFC 1035 RCODE 2, SERVFAIL) is no name error, whatever code came with it.
	if (/\bservfail\b/i.test(said)) return true;
	return /suppression list for your account|\bonaccountsuppressionlist\b/i.test(said);
}

const COULD_NOT_CHECK =
	/\b(?:ldap|directory|database|lookup|backend)\b[^.;\n]{0,30}\b(?:failed|failure|error|unavailable|timed? ?out|not responding)\b|\bcan'?t contact ldap server\b|\b(?:could|can) ?not be verified\b|\bunable to verify\b|\btry again later\b|\btemporar(?:y|ily) (?:failure|error|problem|unavailable)\b/i;

const TRIED_TO_CONNECT = /\b(?:failed|unable|could not|couldn'?t|cannot) (?:to )?connect|connection (?:timed out|refused)|attempted to send the message to the following ip/i;

const ACCESS_DENIED = /\baccess denied\b/i;

/**
 * An "or" that joins a missing address to a live mailbox's state says neither: PEC mailboxes'
 * "Indirizzo destinatario sconosciuto o non abilitato alla ricezione di posta non certificata"
 * (guide.pec.it) refuses ordinary mail to an existing certified mailbox, under 5.1.1 too.
 */
const UNKNOWN_OR_DISABLED = /\b(?:unknown|sconosciut[oa]|inconnue?|unbekannt|desconocid[oa]|desconhecid[oa]|nieznan[ey]|does ?n[o']t exist|not found|inesistente|non esiste|nie istnieje) (?:or|o|ou|oder|lub|albo) (?:is |has been |was |è |ist |(?:è |e' )?stato |zosta[łl][oa] )?(?:not enabled|not active|inactive|disabled|deactivated|suspended|blocked|locked|non abilitat[oa]|disabilitat[oa]|bloccat[oa]|sospes[oa]|d[ée]sactiv[ée]e?|gesperrt|deaktiviert|desactivad[oa]|desativad[oa]|zablokowan[aey]|nieaktywn[aey]|(?:mail ?box )?(?:is )?(?:full|over ?quota)|(?:postfach )?(?:ist )?voll)\b/i;

const HEDGED = /\b(?:may|might|could|possibly) (?:not exist|be (?:misspelled|incorrect|invalid|wrong))|(?:is|are) possibly (?:incorrect|invalid|wrong)|\b(?:does|do) not (?:appear|seem) to (?:exist|be (?:registered|valid))|\bno (?:mail )?servers? appears? to exists?\b/i;

/**
 * True when the code that came with the refusal is a transient one (4xx / 4.x.x). Exim gives every
 * failure its own generic "5.0.0", others a 5.x.x of their own: the remote server's own 4xx reply (a
 * retry that timed out on "450 4.1.1 User unknown") is the one that says whether the refusal was final.
 */
function isTransient(status: string | null, replyCode: string | null): boolean {
	// RFC 5321 §4.2.1: a 4yz reply is a transient negative completion, whatever final status the
	// reporting MTA gave when its retries ran out ("421 5.3.2 … shutting down, not accepting mail").
	if (replyCode?.startsWith('4')) return true;
	return !!status && status.startsWith('4');
}

/**
 * RFC 6531 §3.5: a server without SMTPUTF8 cannot take a mailbox name beyond ASCII (X.6.7 "Non-ASCII
 * addresses not permitted for that recipient", X.6.9 "UTF-8 header message cannot be transferred",
 * Postfix's "SMTPUTF8 is required, but was not offered by host"). With the customer's address so
 * named, no change of our sender or message reaches it there: their address's refusal, not ours (our
 * own non-ASCII headers to an ASCII address stay ours).
 */
const SMTPUTF8_REFUSAL = /\bsmtputf8\b|non-ascii (?:e-?mail )?(?:address|mailbox|local[- ]part)/i;

function nonAsciiMailboxRefused(r: CategoryInput): boolean {
	const mailbox = r.recipient?.slice(0, r.recipient.lastIndexOf('@')) ?? '';
	if (!/[^\p{ASCII}]/u.test(mailbox)) return false;
	return /^[45]\.6\.[79]$/.test(r.status ?? '') || SMTPUTF8_REFUSAL.test(`${r.diagnostic ?? ''}\n${r.context ?? ''}`);
}

/**
 * Sendmail's access map answers a REJECT entry with "550 5.7.1 <address>... Access denied" (cf/m4/proto.m4),
 * the address being the one of the command it refused. The failed recipient's own address there is a
 * To: entry of the recipient's side, or (under FEATURE(delay_checks), which answers Connect: and From:
 * entries at RCPT TO) one of several: nothing shows it is about us (RFC 5321 §4.2.2's 550 covers "no
 * access"). Our envelope sender's address there stays a refusal of our sender.
 */
const ACCESS_MAP_REJECT = /^\s*5\d\d[ -]+(?:5\.7\.1[ -]+)?<([^<>\s]+)>\s*(?:\.\.\.|:)\s*access denied\.?(?:\s*\(in reply to [^()]{1,40}\))?\s*$/i;

function recipientsAccessEntry(r: CategoryInput): boolean {
	const named = ACCESS_MAP_REJECT.exec(remoteReplyText(r.diagnostic) ?? r.diagnostic ?? '')?.[1].toLowerCase();
	return !!named && named === r.recipient?.toLowerCase();
}

/**
 * Exchange Online refusing a message for submission because the sending mailbox is over its storage
 * quota: "554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.
 * MapiExceptionShutoffQuotaExceeded" or "….MapiExceptionQuotaExceeded" (Microsoft, "Message
 * storage and concurrent connection throttling for SMTP Authenticated Submission": every message
 * sent by SMTP AUTH is kept in Sent Items, and a full mailbox "is blocked from sending email
 * messages"). STOREDRV.Submission is the store's submission of a message from the sender's own
 * mailbox; a recipient's full Exchange mailbox says STOREDRV.Deliver ("554 5.2.2 mailbox full;
 * STOREDRV.Deliver.Exception:QuotaExceededException…").
 */
export const OWN_MAILBOX_FULL_AT_SUBMISSION = /\bSTOREDRV\.Submission\.Exception:QuotaExceededException\b/i;

export function categoryFor(r: CategoryInput): BounceCategory {
	if (r.reason === null || r.kind === 'none') return 'none';
	if (r.reason === 'delivered') return 'delivered';
	if (r.reason === 'vacation') return 'autoReply';
	if (r.reason === 'feedback') return 'complaint';
	// RFC 3464 §2.3.3: "delayed" means the reporting MTA is still trying; nothing is decided yet.
	if (!r.final) return 'delayed';
	// Our own mailbox full, answered by our own submission server while we sent (`stage`: the command
	// the sender saw refused): every reminder would be refused alike, none says anything about the
	// customer. In a report the same words may be a customer's inbox rule resubmitting from their full
	// mailbox: there they stay the customer's refusal (mailboxfull).
	if (r.stage && OWN_MAILBOX_FULL_AT_SUBMISSION.test(r.diagnostic ?? '')) return 'senderRejected';
	// "Relay access denied" from one of the recipient domain's own hosts (found through its MX, RFC
	// 5321 §5.1): that server does not take mail for its own domain, their set-up (Postfix's
	// reject_unauth_destination). Our relay or smart host refusing is ours, also when it is the
	// customer's mailbox provider's (smtp.gmail.com for a customer at gmail.com).
	if (r.reason === 'norelaying' && answeredByTheDomain(r) && !isMailboxProvider(r.recipient ?? '') && /\brelay/i.test(r.diagnostic ?? '')) return 'recipientRefused';
	if (nonAsciiMailboxRefused(r)) return 'recipientRefused';
	if (r.reason === 'securityerror' && recipientsAccessEntry(r)) return 'recipientRefused';
	if (SENDER_REJECTED.has(r.reason)) return 'senderRejected';
	if (ADDRESS_REASONS.has(r.reason)) {
		// Only a permanent refusal proves anything (RFC 5321 §4.2.1: a 4yz reply is a transient
		// failure, RFC 3463 §3.1: class 4 "the message as sent is valid" and may succeed later).
		// Reasons reached only under a policy code (X.7.x) or only after DATA never get here:
		// decide.ts turns them into `filtered` (see the rules there).
		if (r.kind !== 'hard' || isTransient(r.status, r.replyCode)) return 'recipientRefused';
		// Safe when unsure: a vague "recipient rejected" or "mailbox unavailable" under a generic code
		// (X.0.0, X.1.0) may be any refusal; a live address wrongly blocked costs every later reminder.
		return provesDead(r) ? 'addressDead' : 'recipientRefused';
	}
	// Everything else, `undefined` included: not delivered, and nothing proves the address dead.
	return 'recipientRefused';
}

/** The category a labelled reason stands for (DESIGN.md table), for scoring against labels. */
export function categoryOfReason(reason: string, hard: boolean): BounceCategory {
	if (reason === 'feedback') return 'complaint';
	if (reason === 'vacation') return 'autoReply';
	if (reason === 'delivered') return 'delivered';
	// `ratelimited` is in DESIGN.md's table though not (yet) in the reason vocabulary.
	if (SENDER_REJECTED.has(reason as BounceReason) || reason === 'ratelimited') return 'senderRejected';
	if (reason === 'notaccept') return hard ? 'addressDead' : 'recipientRefused';
	if (ADDRESS_REASONS.has(reason as BounceReason)) return 'addressDead';
	return 'recipientRefused';
}
