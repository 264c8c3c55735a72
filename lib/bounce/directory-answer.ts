/**
 * The mailbox server's own directory lookup, in the wording its vendor documents for a recipient
 * it does not have. Such an answer proves the address dead without a dead-address code, and
 * whichever SMTP command it came at (a server that checks its directory only after DATA still
 * checked it). Each wording and its source:
 * - Exchange: "The recipient name is not recognized … (000C05A6) Unknown Recipient" (Microsoft KB
 *   Q246881, Q193321) and RESOLVER.ADR.RecipNotFound / RecipientNotFound (Exchange NDR codes 5.1.1,
 *   5.1.10). "The recipient name is not recognized" alone is no proof: Exchange 5.5's MTA writes it
 *   for valid mailboxes too, behind a connector that lacks the address space (KB Q201058, Q182558);
 * - Sophos Email: XGEMAIL_0011, "the recipient's email address doesn't exist in the Sophos Email
 *   protected domain" (docs.sophos.com, "SMTP error codes"), under 5.7.1;
 * - Lotus Domino: "not listed in Domino Directory" / "not listed in public Name & Address Book" (IBM
 *   technote 1104959: inbound SMTP restricted to users listed in the directory);
 * - Exim: "Unrouteable address", its own verdict when every router declined: for a local domain no
 *   such local part, for a remote one a domain that does not exist in DNS or has a null MX (Exim
 *   spec, "Declining addresses by dnslookup");
 * - Mimecast: "550 Invalid Recipient", whose answer links its "Mimecast SMTP Error Codes" page
 *   (community.mimecast.com DOC-1369): no such recipient in the directory;
 * - Gmail: "550 5.1.1 The email account that you tried to reach does not exist" (Google's SMTP error
 *   reference, support.google.com/a/answer/3726730), also when a relay quotes it without the code;
 * - Yahoo: "554 delivery error: dd This user doesn't have a yahoo.com account (userid)", answered at
 *   the end of DATA; Yahoo Help SLN3444 ("Email sent to Yahoo Mail addresses is rejected"): "the
 *   recipient's user ID doesn't exist. You shouldn't retry the message". Yahoo! JAPAN's own notice
 *   about its users writes the same verdict without the "dd" ("<addr>: This user doesn't have a
 *   yahoo.co.jp account", a real notice quoted on mahoro-ba.net).
 * - Yandex: "550 5.7.1 No such user!" at RCPT TO, under a policy code (Yandex Mail help, "Bounce
 *   messages": the address does not exist; real Exim logs quote it the same).
 * - qmail: "This address no longer accepts mail.", the text dot-qmail(5) gives bouncesaying(1) for
 *   an address its owner retired.
 * - GroupWise: its notice "The message that you sent was undeliverable to the following: <user>
 *   (user not found)": Novell's troubleshooting guide ("Message Has Undeliverable Status in the
 *   Local Post Office"): "the user to whom the message is addressed does not exist in the post
 *   office"; the parenthesis names that cause, not the guide's other one (a damaged mailbox).
 */
const DIRECTORY_NO_SUCH_RECIPIENT =
	/\bunrouteable address\b|invalid recipient - (?:https?:\/\/)?community\.mimecast\.com\b|recipient name is not recognized[\s\S]{0,300}?(?:000c05a6|unknown recipient)|\bxgemail_0011\b|resolver\.adr\.(?:ex)?recip(?:ient)?notfound|not listed in (?:the )?(?:domino directory|public name (?:&|and) address book)|\bdd this user doesn'?t have an? [a-z0-9.-]{0,253} ?account\b|\bthis user doesn'?t have an? yahoo(?:\.[a-z]{2,3}){1,2} account\b|\bthe email account that you tried to reach does not exist\b|\bno such user!|\bthis address no longer accepts mail\b|\bundeliverable to the following:?\s+[^\s()]{1,254}\s+\(user not found\)/i;

export function isDirectoryNoSuchRecipient(text: string | null | undefined): boolean {
	return !!text && DIRECTORY_NO_SUCH_RECIPIENT.test(text);
}
