import type { BounceReason } from './types';
import { ADDRESS_IN_TEXT_SOURCE } from './text-bounds';

/**
 * A recipient's own list of refused senders: Interia's "550 5.7.1 Recipient doesn't want your mail"
 * (pomoc.poczta.interia.pl: the recipient put the sender on their blocked list), Korean portals'
 * "550 You are registered as spammer (by user's reject list)" (listed as the recipient's own refusal
 * setting), German gateways' "Sperrliste (Blacklist) des Empfängers"; and the lists of senders it
 * takes ("nimmt nur E-Mails von freigegebenen Absendern an", "… aus seinem Adressbuch"), its block
 * in other words ("vom Empfänger gesperrt", "refusé par le destinataire", "bloqueado por el usuario"),
 * unless the sentence goes on to a verdict on us (spam, SPF, an IP, a public list: "… (liste noire Spamhaus)").
 */
export const RECIPIENTS_OWN_LIST =
	/\b(?:recipient|user|addressee) does ?n[o']t want (?:your|this|any) (?:mail|e-?mail|messages?)|\b(?:user|recipient|addressee)'?s? (?:own |personal )?(?:reject|block|black|deny|refuse)[- ]?list\b|\bpersonal (?:reject|block|black|deny)[- ]?list\b|\b(?:reject|block|black|deny)[- ]?list of the (?:recipient|user|addressee)\b|\b(?:sperr|black|block)-?liste(?: \([a-z ]{1,20}\))? (?:des|der) empf(?:ä|ae)ngers?\b|(?:\bvom empf(?:ä|ae)nger (?:gesperrt|blockiert|abgelehnt|abgewiesen)\b|\b(?:refus[ée]e?|bloqu[ée]e?|rejet[ée]e?) par (?:le|la) destinataire\b|\b(?:rechazad[oa]|bloquead[oa]) por el (?:usuario|destinatario)\b|\bnur (?:(?:e-?mails|nachrichten)(?: mit anh(?:ä|ae)ngen)? )?von (?:freigegebenen|best(?:ä|ae)tigten|bekannten|zugelassenen) absendern|\babsendern aus (?:seinem|ihrem|dem) (?:pers(?:ö|oe)nlichen )?adressbuch\b|\b(?:anh(?:ä|ae)nge|e-?mails|nachrichten) von externen absendern\b)(?![^.\n]{0,80}\b(?:spam|spf|dkim|dmarc|spamhaus|spamcop|rbl|dnsbl|ip)\b)/i;

/**
 * Diagnostic text → reason. Checked in order: the narrow, unmistakable causes (a pipe that
 * failed, SPF/DKIM, a missing PTR record) come before the broad ones (blocked, rejected), and
 * "user unknown" before the generic "mailbox unavailable" wordings. Phrases cover what the
 * common MTAs and providers write in English, German, French, Spanish, Italian, Portuguese,
 * Russian and Japanese-market servers.
 */
export const REASON_PATTERNS: [BounceReason, RegExp][] = [
	[
		'mailererror',
		/\b(?:mailer error|unknown mailer|command (?:died|failed|output|time limit)|procmail|x-unix|local mailer|pipe to \||delivery to (?:a )?(?:program|pipe|command)|mailbox command|exit (?:code|status) \d|error in (?:the )?mailer|child process)/i,
	],
	// RFC 4954's 535 answers AUTH only ("535 5.7.8 Authentication credentials invalid"): our login,
	// whatever words the server adds ("Uzytkownik nie istnieje": the login name it does not know).
	['securityerror', /^\s*535[ -]|\bsasl authentication failed\b/i],
	// Microsoft 365 delivery restrictions of the recipient, the same for any outside sender (in the
	// NDR reference's short words too: 5.7.12 "Sender was not authenticated by organization", 5.7.13x
	// "… for group / mailbox / public folder", 5.7.505 "Access denied, banned recipient"): a group
	// that "only accepts messages from people in its organization or on its allowed senders list"
	// (5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup and its Mailbox/MailUser/PublicFolder kin,
	// 5.7.124; several real reports), RESOLVER.RST.NotAuthorized / AuthRequired (5.7.1 "delivery not
	// authorized"), RestrictedToRecipientsPermission (5.7.129, a recipient restricted to named
	// senders), and an automatic forward the recipient's tenant blocks (Microsoft Defender docs,
	// "Control automatic external email forwarding": "5.7.520 Access denied, Your organization does
	// not allow external forwarding"). A moderated group's moderator refusing the message ("Your
	// message to … was rejected by the moderator", Exchange's moderation notice) is the recipient's too.
	[
		'filtered',
		/resolver\.rst\.(?:notauthorized\w*|authrequired|restrictedtorecipientspermission|sendernotauthenticatedfor(?:group|mailbox|mailuser|publicfolder))\b|only accepts messages from people (?:in|within) (?:its|their|the) organi[sz]ation|not (?:in|on) (?:its |the )?allowed[- ]senders? list|does not allow external forwarding|external forwarding (?:has been |is )?disabled|sender (?:was )?not authenticated (?:by organi[sz]ation|for (?:group|mailbox|mail ?user|public folder))|access denied, banned recipient|rejected by the moderator|vom moderator abgelehnt/i,
	],
	// Gmail marks "gcdp" (Google Custom Domain Policies) on refusals caused by "custom rules created by
	// the Google Workspace administrator" ("550 5.7.1 This message violates example.com email policy. -
	// gcdp <sessionid> - gsmtp", Gmail SMTP error reference, https://support.google.com/a/answer/3726730):
	// the receiving organisation's own rule, whatever its words, not Google's verdict on our sender.
	['filtered', /\bgcdp\b/i],
	['toomanyconn', /connection rate limit|too many (?:concurrent |simultaneous )?connections/i],
	// Exchange Online's outbound TLS checks of the destination (NDR reference 5.7.321-5.7.325:
	// "starttls-not-supported: Destination mail server must support TLS", "certificate-expired:
	// Destination mail server's certificate is expired", "certificate-host-mismatch"): the
	// recipient's server is set up wrongly, nothing about our sender.
	['systemerror', /destination mail server(?:'s)? (?:must support tls|certificate)|\bcertificate-(?:expired|host-mismatch)\b|\bstarttls-not-supported\b/i],
	// AOL's postmaster error pages: "554 RTR:DU / RTR:BB / RTR:RD" (a dynamic or residential IP),
	// "RTR:CH" (a compromised network), "RLY:B1" (complaints): all about our sending IP.
	['blocked', /\b(?:rtr|rly):[a-z]{1,2}\d?\b/i],
	// Sophos Email's codes (docs.sophos.com, "SMTP error codes"): DKIM/SPF/DMARC, an RBL-listed IP,
	// a DBL-listed sender domain or a block list entry, TLS version, size, rate limits are about us;
	// an expired licence or a domain Sophos does not protect are the recipient side's set-up;
	// 0011 "the recipient's email address doesn't exist in the Sophos Email protected domain".
	['authfailure', /\bxgemail_000[123]\b/i],
	['blocked', /\bxgemail_0004\b/i],
	['rejected', /\bxgemail_000[58]\b/i],
	// 0009: the user's own block list; 0015: the recipient's total inbound limit from all senders (not
	// ours, unlike 0014's limit for a single sender).
	['filtered', /\bxgemail_00(?:09|15)\b/i],
	['failedstarttls', /\bxgemail_0006\b/i],
	['systemerror', /\bxgemail_00(?:07|10)\b/i],
	['userunknown', /\bxgemail_0011\b/i],
	['mesgtoobig', /\bxgemail_0012\b/i],
	['exceedlimit', /\bxgemail_0013\b/i],
	['speeding', /\bxgemail_0014\b/i],
	// Yandex's bounce help: "Policy rejection on the target address" refuses mail to a blocked
	// recipient account; Boxbe's "Sender not pre-approved" holds the message until we confirm: both
	// the recipient's side, nothing about our sender.
	['suspend', /policy rejection on the target address/i],
	['filtered', /sender not pre-?approved/i],
	// Mimecast's "550 Envelope blocked - User Entry / User Domain Entry / Policy" (its SMTP error code
	// reference): a recipient's own blocked-senders entry or their administrator's policy.
	['filtered', /\benvelope blocked\b/i],
	// MailChannels' outbound relay (docs.mailchannels.com, sending policies and SMTP errors; real
	// replies): "[RB] This recipient email address has been blocked" and "[UNS] Recipient has
	// unsubscribed" are one recipient's suppression; "[CS] Message blocked" its content filter ("[BR]
	// … invalid recipients originating from your account" follows the unknown users below). So are
	// Postmark's "You tried to send to recipient(s) that have been marked as inactive" (its inactive
	// list holds hard bounces and spam complaints alike) and SparkPost's "[internal] recipient address
	// was suppressed due to customer policy" (our account's suppression list): the service did not
	// ask the recipient's server, and its explanation's "spam complaint" or "policy" is about the list.
	['filtered', /\brecipient (?:e-?mail )?address has been blocked\b|\brecipient has unsubscribed\b|\b(?:have|has) been marked as inactive\b|\brecipient address was suppressed\b/i],
	['spamdetected', /\[CS\] message blocked/i],
	// Our sender address refused: "550 Sender address does not exist", Polish "Adres nadawcy nie
	// istnieje", Exim's sender callout "Verification failed for <our address> … Sender verify failed"
	// (its spec, callout verification), chkuser's "can't find a valid MX for sender domain": before the
	// "does not exist" of a missing recipient.
	['rejected', /\b(?:e-?mail-?)?(?:adresse|domain) des absenders\b|\badresse de l['’]exp[ée]diteur\b|\bdirecci[óo]n del remitente\b|\b(?:sender|absender|exp[ée]diteur|mittente|remitente)(?: (?:address|adresse|e-?mail|domain))?[\s<>]+(?:does ?n[o']t exist|not exist|existiert nicht|n'existe pas|non esiste|no existe)\b|\b(?:adres|konto) nadawcy (?:\S+ )?nie istnieje|\bsender verif(?:y|ication) failed\b|valid mx for (?:the )?sender'?s? domain/i],
	// A sending service that paused our whole account (Amazon SES AccountSendingPausedException: "email
	// sending is disabled for your entire Amazon SES account"; SES v2 SendingPausedException: "the
	// account's ability to send email is currently paused"): every reminder will fail the same way.
	['rejected', /\bsending (?:is )?paused for (?:your|this) (?:entire )?(?:[\w-]+ )?account\b|\bsending is disabled for your entire (?:[\w-]+ )?account\b|\baccount'?s? ability to send (?:e-?mail )?is (?:currently )?paused\b/i],
	// Google's SMTP relay service refusing our credentials (its SMTP error reference), before the
	// "your mail server" of a blocked host.
	['norelaying', /invalid credentials for relay/i],
	// A recipient's own list of refused senders, before the "block list" of a blocked IP.
	['filtered', RECIPIENTS_OWN_LIST],
	// Sieve (RFC 5228, its reject/ereject RFC 5429) is the recipient's own filter language: Dovecot's
	// and Cyrus's "rejected by sieve" is their rule, not a verdict on us (unless it names spam: a
	// site-wide script's spam verdict on our message).
	['filtered', /\brejected by (?:the )?sieve\b(?![^.\n]{0,40}\b(?:spam|virus|malware|phish))/i],
	// NetEase (163.com, 126.com, yeah.net) answers "554 DT:SPM …" for content its filter takes for
	// spam (its help page help_spam_16 linked from the reply; real replies quoted in issue threads).
	['spamdetected', /\bDT:SPM\b/],
	// Orange/Wanadoo's "550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]" and La Poste's "550 5.5.0
	// Service refuse … LPN007_510", both at the end of DATA: the content filter's verdict (spam or a
	// virus), listed so in gadz.org's table of French providers' refusals. Their generic codes (X.2.0
	// mailbox status, X.5.0 protocol) say nothing about the mailbox.
	['spamdetected', /\bofr_?506\b|\blpn007_510\b/i],
	// "Host not found, try again" is the resolver's TRY_AGAIN (Postfix's dns_strerror), a temporary
	// lookup failure: never a domain that does not exist.
	// Postfix's "Host found but no data record of requested type" (dns_strerror NO_DATA, after its
	// "Host or domain name not found" prefix): the name exists, it only lacks that record type.
	// NTT docomo's "552 Too much mail data <address>" is its subscriber's full mailbox (RFC 5321's 552,
	// "exceeded storage allocation"; docomo's reply codes as bulk senders document them), before the
	// "too much mail" of a sending-rate limit.
	['mailboxfull', /\btoo much mail data\b/i],
	// Exim's "lowest numbered MX record points to local host" (spec, "The dnslookup router"): the
	// domain's DNS sends its mail back to the reporting host, a routing fault. hMailServer's
	// "Cannot connect to SMTP server … connect error 10060": the connection failed.
	['networkerror', /lowest numbered mx record points to local host|cannot connect to smtp server/i],
	['networkerror', /host found but no data record|hop count exceeded|(?:possible |routing |mail |forwarding )loop|malformed or unexpected name server reply|name server (?:timeout|failure)|temporary failure in name resolution|dns (?:timeout|servfail)|host not found, try again/i],
	// Exim's retry rules (spec, "Retry configuration"): "all hosts for 'x' have been failing for a long
	// time (and retry time not reached)" ends a delivery that kept failing.
	['expired', /have been failing for a long time/i],
	// RFC 7505 §4.2: mail from a sender domain that publishes a null MX may be refused with "550 5.7.27
	// Sender address has null MX": our sender's domain, not the recipient's.
	['rejected', /sender address has null mx/i],
	['notaccept', /no mx (?:record|host)s? (?:found|exists?)|(?:could ?n[o']t|cannot|unable to) find (?:a |any )?mail exchanger|null ?mx\b/i],
	['syntaxerror', /improper sequence|bad sequence of commands/i],
	// Microsoft 365's "550 5.7.60 SMTP; Client does not have permissions to send as this sender": the
	// login may not use this From address (a send-as right is missing), a refusal of our sender.
	['rejected', /\b(?:permissions?|not (?:allowed|authori[sz]ed|permitted)) to send as (?:this|the) sender\b/i],
	// A domain that "does not exist" or "is invalid" when it is our sender's (Sendmail's 553 5.1.8
	// "Domain of sender address … does not exist"): a refusal of the sender, never a dead recipient host.
	['rejected', /(?:from|sender)(?::| address)? domain (?:\S+ )?(?:is )?(?:invalid|not found|does not exist|unknown)|domain of sender address \S+ does not exist|provide a valid from/i],
	// Exim's callout answer "550-Verification failed for <sender> / 550-No Such User Here / 550 Sender
	// verify failed" (Exim spec, "Sender verification"): the unknown user is our sender, not the recipient.
	['rejected', /sender verify failed|verification failed for <[^<>\s]{1,254}>/i],
	['speeding', /too many recipients (?:this|per|in the last|in an?) (?:hour|day|minute)/i],
	['toomanyconn', /frequency limited/i],
	// Google Groups answers a post it will not take (no such group, or no permission to post) in the
	// poster's language, always pointing to its help host.
	['rejected', /\bgroups\.google\.com\b/i],
	// A listed sender address (not a listed IP) is a refusal of the sender.
	['rejected', /(?<!\b(?:ip|host|server|client) )\baddress(?:es)? (?:that |which )?(?:has been |is |was |are )?(?:black|block|deny)[- ]?listed|(?:black|block)[- ]?listed (?:sender|from|e-?mail)? ?address/i],
	// A sending service refuses to relay for a sender identity that was never verified: Amazon SES
	// ("Email address is not verified. The following identities failed the check"), SMTP2GO ("550
	// From header sender domain not verified", its support pages on sender domains); a receiving
	// server's "Sender domain not verified: SPF check failed" is the SPF check below.
	['norelaying', /(?:e-?mail )?address is not verified\. the following identities failed|identities failed the check|\bsender domain (?:is )?not verified\b(?![^.\n]{0,40}\b(?:spf|dkim|dmarc)\b)/i],
	// Gmail's attachment/content guidelines: a policy on what may be sent, not a spam verdict.
	['policyviolation', /(?:presents|poses) a (?:potential )?security (?:issue|risk)|attachment content guidelines/i],
	// amavisd-new's "554 5.7.0 Reject, id=… - BANNED: <file name>" (its banned_filename checks): a file
	// type the recipient's policy refuses, before the "banned" of a blocked host.
	['policyviolation', /\breject, id=\S+ - banned\b/i],
	// Microsoft 365's 5.7.510 "Access denied, contoso.com does not accept email over IPv6" (NDR
	// reference): how our host connected, fixed on our side; never a domain that takes no mail.
	['blocked', /\bdoes ?n[o']t accept (?:e-?mail|mail|messages?) over ipv6\b/i],
	// Our server is listed as an open relay (a block of our host, not a refusal to relay for us) or
	// on a list (McAfee IronMail's "550 Mailbox unavailable or access denied Listed in connection
	// control deny list"): before the stock "mailbox unavailable" of an unknown user.
	['blocked', /\b(?:is|as|being) an open relay|open relay (?:list|detected)|\b(?:is|was|are) (?:listed )?(?:in|on) (?:an? |the )?(?:rbl|dnsbl|dnsrbl|blacklist|blocklist|block list|black list)\b|\blisted (?:in|on) (?:an? |the )?(?:connection|ip|host|client|network)\b[\w -]{0,20}?\b(?:deny|block|black) ?list\b|(?:traffic|mail|e-?mail|connections?|messages?) (?:is |are )?not accepted from (?:this|your|the sending) (?:ip|host|server|network)/i],
	// qmail's refusal to relay: the domain is not one it accepts mail for.
	['norelaying', /(?:not|isn'?t) in (?:my|the) list of (?:allowed |permitted )?(?:rcpt|relay)hosts/i],
	['badreputation', /\breputation\b/i],
	// Gmail's SMTP error reference for our own login: "Username and Password not accepted" (5.7.8),
	// "Application-specific password required" (5.7.9), "Unrecognized authentication type" (5.7.4).
	// Microsoft 365's refusals of SMTP AUTH (NDR reference 5.7.57, 5.7.139: "Client not authenticated to
	// send mail", "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant") and
	// Postfix's client on a relay that refuses our login ("SASL authentication failed; server … said").
	['securityerror', /unauthenticated senders?|authentication (?:is )?required|must (?:be )?authenticated?|client (?:was |is )?not authenticated|authentication unsuccessful|smtp ?client ?authentication is disabled|sasl authentication failed|username and password not accepted|application-specific password required|unrecognized authentication type|xoauth is no longer supported/i],
	// Proofpoint's "550 5.7.0 Local Policy Violation - DMARC Reject" (real reports): the policy is DMARC.
	['authfailure', /\bdmarc (?:reject|fail(?:ure|ed)?|policy)\b/i],
	['policyviolation', /for policy reasons|policy (?:violation|rejection)|violates? (?:our |the )?(?:local |security )?polic/i],
	[
		'authfailure',
		/authentication information|fails? to pass|(?:bad|invalid|broken|failed) spf records?|\b(?:spf|dkim|dmarc|sender policy framework)\b(?![\s\w-]{0,12}records?\b)|\bunauthenticated (?:e-?mail|mail|message)|fails? (?:sender |email |message )?authentication|(?<!client )(?:is|was|could) not (?:be )?authenticated|authentication (?:check|checks) (?:fail|did not pass)|5\.7\.(?:26|509|515)\b/i,
	],
	[
		'requireptr',
		/mismatch(?:es)? (?:the )?client ip|unverif[iy]able (?:sending )?(?:ip|host)|\b[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,16} is not (?:\d{1,3}\.){3}\d{1,3}\b|does not match (?:the )?(?:client |connecting )?ip|\bptr\b|reverse (?:dns|lookup|hostname|mapping)|\brdns\b|cannot find your hostname|(?:hostname|host name|ip name) (?:lookup )?(?:does not|doesn'?t|did not|not) (?:resolve|match)|no (?:reverse|ptr)|fcrdns|cannot resolve your (?:address|hostname)|client host .{0,60}(?:unknown|has no|lookup)|unresolvable|connections? (?:not accepted )?from hosts? with(?:out| no)|dynamic(?:ally)?[ -](?:ip|address|assigned)|dial-?up|residential|generic (?:host|ip|rdns|hostname)/i,
	],
	[
		'failedstarttls',
		/starttls|tls (?:handshake|negotiation|connection) (?:fail|error)|(?:does ?n[o']t|do not|cannot) support (?:tls|ssl|encryption|secure)|tls (?:is )?(?:not (?:supported|available)|unavailable)|must issue a starttls|require(?:s|d)? (?:tls|encryption|a secure connection)|encryption required|tls (?:session )?(?:is )?required|did not offer tls/i,
	],
	[
		'norelaying',
		/relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed|authori[sz]ed)|prohibited|refused)|unable to relay|we do not relay|not (?:a )?(?:permitted )?relay|no relaying|relaying (?:is )?(?:not|denied)|not permitted to relay|relay not|cannot relay|open relay|relay (?:is )?not permitted/i,
	],
	// Greylisting (RFC 6647) refuses with a 4xx on purpose so that a real server tries again; its
	// answer names itself (postgrey's default "Greylisted, see http://postgrey.schweikert.ch/help/…").
	// Reported, it means the retries ran out (or, in a delay notice, are still running): not a
	// security refusal, whatever 4.7.1 the answer carried.
	['expired', /\bgrey-?listed\b|\bgreylisting\b/i],
	// Gmail's SMTP error reference: "451 4.3.0 Mail server temporarily rejected message" is a fault
	// of the receiving server, not a refusal of us (the broad "rejected" below would say so).
	['systemerror', /mail server temporarily rejected message/i],
	// A mailbox holding too much, before the broad "too many messages" of a sending-rate limit:
	// Web.de's "Benutzer hat zuviele Mails auf dem Server. / User has too many messages on the
	// server." and "Benutzer hat das Speichervolumen ueberschritten. / User has exhausted allowed
	// storage space." (listed as Web.de's full-mailbox answers in sitepackage.de's table of
	// providers' bounce texts).
	['mailboxfull', /too many messages (?:on the server|in (?:the |this |his |her |your )?(?:mail ?box|inbox|folder))|exhausted (?:the |its )?(?:allowed )?storage|speichervolumen/i],
	[
		'notcompliantrfc',
		/multiple addresses in (?:the )?from|(?<!valid )\brfc ?(?:5322|2822|822|5321|2821|1035)\b(?!\s*;)|not (?:rfc|standards?)[ -]?compliant|does not (?:conform|comply)|duplicate (?:header|message-id)|multiple (?:from|date|subject|message-id|to) (?:headers?|fields?)|(?:invalid|malformed|missing|bad) (?:header|date|from|message-id|mime)|bare <?(?:lf|linefeed|newline)>?|improperly formatted|message (?:is )?not (?:compliant|formatted)/i,
	],
	// A verdict on our message's content before the virus words a product name may carry ("classified
	// as spam by Hornetsecurity Spam and Malware Protection"); a link on a URI block list (SURBL, URIBL,
	// FortiGuard's "contains FortiGuard - AntiSpam blocking URL(s)") is our content too, not our IP.
	['spamdetected', /\b(?:classified|identified|detected|flagged) as spam\b|\b(?:blocking|blocked|black-?listed|listed) urls?\b|\burls?\b[^.\n]{0,30}\b(?:is |are )?listed (?:in|on|at)\b/i],
	['virusdetected', /\bvirus|malware|infected|trojan|\bworm\b|malicious (?:content|attachment|payload)/i],
	[
		'spamdetected',
		/\bspam\b|\bscored\s+-?\d+(?:\.\d+)?\s+spamassassin points?\b|spamming|junk ?mail|unsolicited|bulk (?:mail|e-?mail)|looks like spam|classified as (?:spam|junk)|spam score|content (?:rejected|refused|denied)|suspicious due to the nature of the content|message (?:content )?(?:was )?(?:rejected|refused|blocked) (?:as|because|due to) (?:its content|spam|suspicious)|suspicious (?:content|message)|high probability of|considered (?:as )?(?:spam|junk)|pourriel|courrier ind[ée]sirable|垃圾邮件|迷惑メール|スパム|스팸/i,
	],
	[
		'speeding',
		/receiving mail at a rate|rate ?limit|rate[- ]limited|(?:sending|receiving|delivery|message|connection) rate|too (?:many|much) (?:messages|mails?|e-?mails|traffic)|(?:exceeded|reached) (?:the |your )?(?:\w+ )?(?:rate|sending)|throttl|slow down|too fast|sending quota|daily (?:sending |message )?(?:limit|quota)|messages? per (?:hour|minute|day)|maximum (?:number of )?(?:messages|emails) (?:per|allowed)|quota de envio/i,
	],
	[
		'toomanyconn',
		/too many (?:connections|concurrent|simultaneous|sessions|smtp sessions|open connections)|connection (?:limit|count) (?:exceeded|reached)|(?:maximum|max) (?:number of )?(?:connections|sessions)|trop de connexions/i,
	],
	// RFC 5321 §4.5.3.1.10: "too many recipients" is the server's limit on RCPT commands in one
	// transaction, 452 (a 552 for it is to be treated as 452, temporary): the receiving system's limit
	// (§4.2.3's 452 "insufficient system storage"), and the rest goes in a later transaction. (Not a
	// sending rate: "too many recipients this hour" is `speeding`, above.)
	['systemfull', /\btoo many recipients\b/i],
	// The same for a full mailbox: Czech/Slovak "Schranka je plna", Polish "Skrzynka (odbiorcy) jest
	// pelna / przepelniona", Hungarian "A postafiok megtelt", Dutch "Mailbox zit vol", Italian "Casella
	// piena", Scandinavian "Postkassen er full", "brevladan ar full".
	['mailboxfull', /\bschranka (?:\S+ )?(?:je )?(?:plna|preplnena)\b|\bskrzynka (?:\S+ )?(?:jest )?(?:pelna|przepelniona)\b|\bpostafiok (?:megtelt|tele)\b|\b(?:mailbox|postbus|brievenbus)(?: van de (?:ontvanger|geadresseerde))? (?:zit|is) vol\b|\bcasella (?:\S+ )?piena\b|\b(?:postkassen|innboksen|indbakken) er (?:full|fuld)\b|\bbrevladan (?:ar )?full\b/i],
	[
		'mailboxfull',
		/mail ?box (?:is |was )?(?:full|over|exceeded|has exceeded)|(?<!message (?:to|for) )mail ?box exceeds (?:the |its )?(?:allowed|maximum) (?:size|quota)|mail ?box (?:size |storage |disk )?(?:limit|quota)(?: usage)? (?:exceeded|reached)|(?:domain|mail ?box|account|disk|storage) size limit (?:has been |was )?(?:exceeded|reached)|error writing message: file too large|quota usage exceeded|exceeded storage allocation|zu ?viele (?:e-?mails|mails|nachrichten)|(?:邮箱|信箱)(?:空间|容量)?(?:已满|不足)|收件人空间不足|容量(?:超過|オーバー|不足)|メールボックス.{0,10}(?:一杯|いっぱい|満杯)|용량(?:이 )?초과|사서함이 (?:가득|꽉)|(?:over|exceeds?|exceeded|reached) (?:the |its |his |her |their |their |disk |mailbox |storage )*quota|quota (?:exceeded|exceed|full|violation|reached)|over[- ]?quota|(?:storage|disk|mailbox) (?:quota|limit|space) (?:exceeded|reached|full)|(?:insufficient|not enough) (?:disk |storage )?space|out of (?:storage|space|disk)|account is full|(?:is|was) full\b|too much mail|mailfolder is full|(?:postfach|mail ?box|e-?mail-?konto)(?: des empf(?:[äa]|ae)ngers)? (?:ist )?(?:voll|[üu]berf[üu]llt)|(?:postfach|mail ?box)(?:gr(?:ö|oe?)(?:ß|ss)e\b|\b[^.\n]{0,60}?\b(?:gr(?:ö|oe?)(?:ß|ss)e|kontingent|quota|speicher\w*))[^.\n]{0,40}?(?:ü|ue?)berschritten|speicher(?:platz|kapazit[äa]t)|bo[iî]te (?:aux lettres |mail )?(?:pleine|satur[ée]e)|casella (?:di posta )?(?:del destinatario )?(?:è |e' )?piena|buz[óo]n (?:lleno|completo)|caixa (?:postal )?(?:do destinat[áa]rio )?(?:est[áa] )?cheia|skrzynka (?:\S+ ){0,3}(?:jest )?(?:przepełniona|pełna)|переполнен|квота/i,
	],
	[
		'mesgtoobig',
		/message (?:size |file )?(?:is )?too (?:big|large)|(?:message|mail|e-?mail) (?:size )?(?:exceeds|is larger than|is bigger than)|size (?:limit|exceeds)|(?:message|mail) (?:is )?(?:larger|bigger) than|(?:maximum|max\.?) (?:message )?size|nachrichtengr(?:ö|oe?)(?:ß|ss)e\b[^.\n]{0,30}?(?:ü|ue?)berschr(?:itten|eitet)|nachricht (?:ist )?zu gro(?:ß|ss)|\b(?:we only accept|wir akzeptieren (?:jedoch )?nur) (?:e-?mails|messages|nachrichten) (?:with a size |mit einer gr(?:ö|oe)(?:ß|ss)e )?(?:of |von )?(?:up to|bis zu) \d+(?:[.,]\d+)? ?[km]b\b|(?:邮件|郵件)(?:过大|太大)|サイズ(?:が)?(?:大きすぎ|超過)|message trop (?:gros|volumineux)|слишком большой/i,
	],
	[
		'exceedlimit',
		/exceeds? (?:the )?(?:administrative|message length|local|recipient'?s?) limit|message length exceeds/i,
	],
	[
		// "551 User not local; please try <forward-path>" (RFC 5321 §3.4): an address in angle brackets,
		// which reasonWords has blanked to "< >"; a wrapped "Please try" before "<<< 550-…" is no such.
		// Exchange's text for its 5.1.6: "The recipient's e-mail address has changed. … No forwarding
		// address has been set up" (its DSN strings: the mailbox may have been deleted), and "Recipient
		// addresses in this domain have changed": RFC 3463 X.1.6 "was at one time valid, but mail is no
		// longer being accepted for that address". (Words alone prove nothing: category.ts asks a 551 or
		// the X.1.6 code with them.)
		'hasmoved',
		/has moved|user (?:has )?moved|moved (?:permanently )?to <\s*>|please (?:try|use|send to) <\s*>|address (?:has )?changed to|new (?:e-?mail )?address is|\baddress(?:es)? (?:in this domain )?(?:has|have) changed\b|\bno forwarding address has been set up\b/i,
	],
	['onhold', /\bon hold\b/i],
	// Exchange 2000/2003's 5.4.0 "The destination server for this recipient could not be found in
	// Domain Name Service (DNS)" (Microsoft KB 284204) is any failed lookup, the sending server's own
	// DNS trouble included: a network problem, neither a missing mailbox nor proof of a dead domain.
	['networkerror', /destination server for this recipient could not be found/i],
	// A DNS server failure (RFC 1035 RCODE 2, "DNS type 'mx' lookup of … responded with code
	// SERVFAIL") is no name error, whatever headline the report puts above it.
	['networkerror', /\bservfail\b/i],
	// Gmail's own DNS verdict, "because the domain example.net couldn't be found", before the
	// "couldn't be found" of a missing mailbox.
	['hostunknown', /\bdomain (?:name )?\S{1,253} (?:could ?n[o']t|cannot) be found/i],
	// Chinese, Japanese and Korean servers: a domain that does not exist, before "does not exist".
	['hostunknown', /(?:域名|ドメイン(?:名)?)(?:が|は)?(?:不存在|存在しません|見つかりません)/],
	// Exchange Online's directory-based edge blocking answers an unknown recipient with 5.4.1
	// "Recipient address rejected: Access denied"; without 5.4.1 the same words are a policy refusal.
	['userunknown', /\b5\.4\.1\s+recipient address rejected/i],
	// Postfix's access(5) table covers "envelope sender or recipient addresses"; REJECT without text
	// answers "Access denied", and the restriction name says which one matched: the recipient's own
	// server refuses this recipient address, nothing about our sender.
	['filtered', /recipient address rejected:\s*access denied/i],
	// (Not a dotted user name: "User j.doe not found".)
	['hostunknown', /(?<![@\w.-])(?<!\b(?:user|recipient|mailbox|account|address|alias|part|name)\s)(?:[a-z0-9-]+\.)+[a-z]{2,}\.?\s+(?:does(?: not|n'?t) exist|not found|is unknown)/i],
	[
		'suspend',
		/(?:account|mail ?box) (?:is |has been |was )?blocked|compte .{0,30}bloqu|\bbo[iî]te (?:du destinataire |aux lettres )?archiv[ée]e\b|\barchived (?:recipient|mail ?box|account)\b|(?:account|mail ?box|mbox|user|address|recipient|e-?mail)\b.{0,50}\b(?:is |has been |was )?(?:temporar(?:y|ily) )?(?:disabled|suspended|inactive|deactivated|de-activated|frozen|locked|expired|closed|not active|blocked by administrator)|(?:disabled|suspended|inactive|deactivated|closed|locked|expired|frozen) (?:e-?mail )?(?:account|mail ?box|mbox|user|address|recipient)|\bmail (?:to|for)[\s<>]+(?:has been|is) (?:suspended|disabled)\b|(?<!\bport )\b[45]\d\d(?:[ -][245]\.\d{1,3}\.\d{1,3})?[\s<>]{2,}(?:is|has been|was) (?:now )?(?:temporarily )?(?:disabled|suspended|deactivated|frozen|locked)\b|(?<!delivery )temporarily (?:disabled|suspended|unavailable because)|no longer (?:active|in use)|account (?:has been )?terminated|konto (?:ist )?(?:gesperrt|deaktiviert|inaktiv)|postfach (?:ist )?(?:gesperrt|deaktiviert|inaktiv)|compte (?:d[ée]sactiv[ée]|suspendu|bloqu[ée])|cuenta (?:desactivada|suspendida)|buz[oó]n (?:bloqueado|desactivado|suspendido)|empf(?:ä|ae)nger(?:postfach)? (?:ist )?(?:inaktiv|deaktiviert|gesperrt)|destinataire (?:inactif|d[ée]sactiv[ée]|suspendu)|destinatario (?:inactivo|desactivado|inattivo|disattivato|sospeso)|(?:konto|postfach) des empf(?:ä|ae)ngers (?:ist|wurde) (?:\w+ )?(?:gesperrt|deaktiviert|stillgelegt)|(?:compte|bo[iî]te(?: aux lettres)?) du destinataire (?:est|a été) (?:d[ée]sactiv[ée]e?|suspendue?|bloqu[ée]e?)|(?:cuenta|buz[oó]n) del destinatario (?:est[aá]|ha sido) (?:desactivad[oa]|suspendid[oa]|bloquead[oa])|(?:account|casella) del destinatario (?:è|e'|è stat[oa]|e' stat[oa]) (?:disattivat[oa]|sospes[oa]|bloccat[oa])|заблокирован/i,
	],
	// (Proofpoint Essentials answers a recipient its SMTP Discovery lists as invalid with "User email
	// address is marked as invalid", under 5.7.1: a filter's word, so `filtered` in decide.ts.)
	// Short replies in the recipient's language, written as servers write them in ASCII (RFC 5321
	// §2.4; accented text is read folded too, see reasonFromText): Czech/Slovak "Adresat neexistuje",
	// Polish "Uzytkownik nie istnieje", Hungarian "Nincs ilyen cimzett", Norwegian/Danish "Ukjent
	// mottaker / Ukendt modtager", Swedish "Okand mottagare". Only the recipient's words, next to each
	// other: "user" alone is also a login ("utente sconosciuto" to our relay's AUTH), and a word
	// between may be the sender's ("schranka odesilatele neexistuje") or a hedge ("pravdepodobne").
	[
		'userunknown',
		/\b(?:adresat|prijemce) neexistuje\b|\bneznamy (?:adresat|prijemce)\b|\buzytkownik (?:(?:odbiorcy|adresata) )?nie istnieje\b|\b(?:nincs ilyen|ismeretlen) (?:cimzett|postafiok)\b|\b(?:ukjent|ukendt|okand) (?:mottaker|modtager|mottagare)\b|\b(?:mottakeren|modtageren|mottagaren) (?:finnes|findes|finns) (?:ikke|inte)\b/i,
	],
	[
		'userunknown',
		/not a registered (?:\w+ )?user|(?:address|recipient|user) (?:is |has been )?marked as invalid|(?:invalid|unknown) (?:final )?(?:delivery )?user ?id|user (?:is )?unknown|(?<!(?:too many|number of) )unknown (?:or illegal )?(?:user|recipient|local[- ]part|mailbox|address|e-?mail|alias)|no such (?:user|mailbox|recipient|account|address|person|local user)|(?:user|recipient|mail ?box|address|account|e-?mail(?: address)?|local[- ]part|addressee) (?:(?!temporar|currently)\S+ )?(?:was )?(?:not found|not known|not exist|does ?n[o']t exist|doesn'?t exist|is not valid|unknown|invalid|not recogni[sz]ed|unavailable|is unavailable|not available|nonexistent|non-existent|unrouteable)|(?<!(?:too many|number of) )(?:invalid|bad|unknown|non-?existent|illegal|nonexisting|non-existing) (?:recipient|mail ?box|user|address|destination|e-?mail|account)|(?:e-?mail )?address (?:is )?no longer valid|indirizzo(?: e-?mail| di posta)? (?:inesistente|sconosciuto)|adresse (?:e-?mail |électronique |electronique )?(?:inconnue|inexistante)|endere[çc]o(?: de e-?mail)? (?:inexistente|desconhecido)|recipnotfound|recipientnotfound|\berr\.nosuchuser\b|address no longer accepts mail|not our (?:customer|user)|user hasn'?t got the service mapped|(?:recipient|user|mailbox) no longer on (?:this |the )?server|(?:name|recipient) is not recogni[sz]ed|(?:account|address) that you tried to reach does not exist|is not a (?:valid|known) (?:user|mailbox|recipient)|no mailbox (?:here|by that name|for)|mailbox not found|unrouteable address|no valid recipients|not a valid (?:mailbox|recipient|user|address)|does not have an? (?:account|mailbox)|user doesn'?t have|undeliverable address|unknown address|not listed in (?:the )?(?:domino directory|public name (?:&|and) address book|(?:global )?address (?:book|list)|directory)|could not be found|couldn'?t be found|destinatario (?:inesistente|sconosciuto|desconocido|no existe)|utente inesistente|utilisateur (?:inconnu|introuvable|inexistant)|adresse (?:inconnue|introuvable|inexistante|invalide)|destinataire (?:inconnu|introuvable|inexistant)|(?:adresse|destinataire|bo[iî]te(?: aux lettres)?)\b[^.;\n]{0,30} n['’]existe pas|bo[iî]te aux lettres (?:inexistante|inconnue)|(?<![a-zäöüß-])(?:empf(?:[äa]|ae)nger|benutzer|adresse|postfach|mailbox|nutzer|e-?mail-?konto|e-?mail-?adresse)(?:adresse)? (?:ist )?(?:unbekannt|existiert nicht|nicht vorhanden|ung[üu]ltig|nicht gefunden)|unbekannte?r? (?:empf(?:[äa]|ae)nger|benutzer|adresse|e-?mail-?adresse)|ung(?:ü|ue)ltige (?:empf(?:[äa]|ae)nger-?)?(?:adresse|e-?mail-?adresse)|(?:diese |die )?adresse (?:ist )?(?:bei uns )?nicht (?:mehr )?vergeben|gibt es nicht|usuario (?:desconocido|inexistente|no existe)|(?:la )?cuenta (?:de correo(?: electr[óo]nico)? )?no existe|direcci[óo]n (?:de correo(?: electr[óo]nico)? )?no existe|casella(?: di posta)? (?:inesistente|sconosciuta)|usu[áa]rio (?:desconhecido|inexistente)|\b(?:konto|adres|u[żz]ytkownik) (?:(?:odbiorcy|adresata) )?nie istnieje|nie ma takiego (?:konta|u[żz]ytkownika|adresu)|(?:adresse|empf(?:[äa]|ae)nger|benutzer|e-?mail-?adresse)\b.{0,20}\bnicht bekannt|onbekende (?:gebruiker|ontvanger)|(?:gebruiker|ontvanger|adres) (?:is )?onbekend|bestaat niet|нет такого|не существует|не найден|несуществующ|(?:邮箱|郵箱|用户|用戶|收件人|帐户|账户|帳戶|地址)(?:地址)?不存在|存在しない|存在しません|宛先不明|존재하지 않/i,
	],
	// Too many unknown recipients from us (MailChannels' "[BR] … excessively high number of invalid
	// recipients originating from your account", SFR's "too many unknown users"): our list's hygiene,
	// unless the reply also says this recipient is unknown (above).
	['badreputation', /\b(?:too many|excessive(?:ly high)?(?: number of)?|high number of) (?:invalid|unknown|bad|non-?existent) (?:recipients|addresses|users)\b/i],
	[
		'hostunknown',
		/(?:host ?name|domain|dns) lookup fail|name or service not known|no (?:mx or a|a or mx|mx or aaaa|mx, a or aaaa) records? (?:for|found)|all relevant mx records point to non-?existent hosts|domain (?:is )?not reachable|host (?:or domain name )?(?:not found|unknown)|unknown (?:host|domain)|domain (?:\S+ )?(?:not found|does not exist|doesn'?t exist|unknown|is not (?:valid|configured)|has no mx|not exist|could ?n[o']t be found)|no such (?:domain|host)|couldn'?t find any host named|name service error|unrouteable (?:mail )?domain|domain name in the (?:e-?mail )?address is (?:incorrect|invalid|not valid)|no (?:valid )?mx (?:record|host)|mx (?:lookup|record) (?:failed|not found)|nxdomain|domain (?:name )?(?:could not be|cannot be) (?:resolved|found)|unable to route|no route to domain|(?:dom[äa]ne|domain) (?:existiert nicht|unbekannt)|domaine (?:inconnu|inexistant)/i,
	],
	[
		'badreputation',
		/user complaints|unexpected volume|reputation|sender score|poor (?:reputation|quality)|low (?:reputation|quality)|bad (?:reputation|quality)|ip (?:has been|was) (?:temporarily )?(?:rate limited|deferred) due to/i,
	],
	[
		'blocked',
		// ("Connection refused by [192.0.2.7]" is Sendmail's word for a closed port, not a block. Postfix's
		// "refused to talk to me" is no block either: it frames any refused greeting, GREETING_FRAME.)
		// T-Online refuses a connecting IP as "554 IP=192.0.2.1 - A problem occurred. (Ask your
		// postmaster …) (BL)" (postmaster.t-online.de, 4.6/4.7); "(NOWL) bad reputation" is caught above.
		/\bIP=[\d.:a-f]{3,45} - |blacklist|black list|\bblack ip\b|block ?list|blocklisted|\b[a-z]*rbl\b|dnsbl|spamhaus|spamcop|sorbs|barracuda|\blisted (?:at|on|in|by)\b|banned|(?:ip|client|host|network|server)\b(?: address)?(?: \S+)? (?:is |has been |was )?(?:blocked|banned|refused|rejected|denied|not allowed|blacklisted)|blocked (?:ip|by|due|because|for|using)|your (?:ip|server|mail server|host|network)\b|smtp server of your isp|use your (?:isp|provider)'?s? (?:smtp|mail) server|connection (?:rejected|denied)|connection refused (?:due|because|for)\b|connection refused by (?:policy|administrat|rule)|not allowed to (?:connect|send)|service (?:refused|denied)|\bip\b.{0,40}(?:block|reject|refus|denied|not permitted)|(?:temporarily|permanently) (?:deferred|rejected|blocked)|geblockt|gesperrte ip|bloqu[ée]/i,
	],
	[
		'notaccept',
		// (Not "mail is not accepted from this sender": the sender's refusal, `rejected` below.)
		/no smtp service|(?:does not|doesn'?t|do not|will not) accept (?:any )?(?:e-?)?mail(?! from\b)|not accepting (?:any )?(?:e-?)?mail(?! from\b)|null ?mx\b|accepts? no mail|no mail (?:service|server|exchanger)|rejects all (?:e-?)?mail|mail (?:is )?not accepted(?! from\b)/i,
	],
	[
		'rejected',
		/purported responsible address|'?send mail as'?|groups\.google\.com\b|sender (?:address |domain |e-?mail )?(?:\S+ )?(?:rejected|denied|refused|not (?:accepted|allowed|authori[sz]ed|permitted)|blocked|unknown|invalid|verify failed|verification failed|does not exist)|(?:domain|address) of sender|(?:bad|invalid|unknown|unverified) sender|sender verify|envelope(?:[- ]from| sender)|mail from.{0,40}(?:rejected|refused|denied|invalid)|return[- ]path|(?:rejected|refused|denied) (?:for|because of)? ?(?:the )?sender|(?:absender|exp[ée]diteur|remitente)(?!\w*\s*:)|not accepted from|from address|you are not allowed to post|not subscribed to (?:that|this|the) (?:group|list|mailing list)|does not accept (?:messages|posts) from|group .{0,40}(?:not have permission|permission to post)|permission to post|投稿する権限|mailing list .{0,40}(?:rejected|closed|members only)/i,
	],
	[
		'filtered',
		/filtered|content filter|(?:rejected|refused|blocked|denied|declined) by (?:the )?(?:user|recipient|recipient'?s?|mailbox owner|addressee|.{0,30}filter)|recipient (?:has )?(?:blocked|refused|rejected|declined|is not accepting) (?:your|messages|mail|you|e-?mail)|(?:not accepting|does not accept|refuses) (?:messages|mail|e-?mail) from|(?:recipient|user) (?:only )?accepts? mail from|(?:recipient|user|you) (?:is|are) not (?:authori[sz]ed|allowed) to (?:receive|send to)|domain filter|filter(?:ing)? (?:rule|policy)|recipient'?s? (?:preferences|privacy settings)|due to recipient preferences|受信拒否|拒收|rejected (?:your|the) message/i,
	],
	[
		'policyviolation',
		/polic(?:y|ies)|violat|prohibited|not allowed|forbidden|administrative(?:ly)? prohibit|terms of service|acceptable use|richtlinie|politique/i,
	],
	[
		'securityerror',
		/access denied|authentication (?:is )?required|must (?:be )?authenticated?|not authori[sz]ed|unauthori[sz]ed|security (?:policy|reasons?|error|violation)|certificate|verification failed|not permitted|access (?:is )?(?:restricted|not allowed)|encrypt/i,
	],
	[
		'syntaxerror',
		/syntax error|(?:command|parameter)s? (?:unrecognized|not recogni[sz]ed|not implemented|invalid)|unrecognized command|invalid command|bad sequence of commands|lines? too long|protocol (?:error|violation)|syntaxfehler/i,
	],
	[
		'systemfull',
		/insufficient system storage|system (?:is )?full|no space left|disk (?:is )?full|out of disk|queue (?:is )?full|too many messages in (?:the )?queue|server is full/i,
	],
	[
		'expired',
		/did not accept our requests to connect|(?:envelope|message) (?:has )?expired|(?:still )?(?:undelivered|not (?:yet )?(?:been )?delivered) after (?:more than )?\d+ (?:hours?|days?|minutes?)|(?:delivery|retry|message|queue) (?:time|timeout|period|lifetime|attempts?)s? (?:has |have )?(?:expired|exceeded|reached)|message (?:has )?expired|expired after|(?:retry|delivery) (?:time(?:out)?|limit) (?:exceeded|reached)|giving up(?! on \S)|gave up|retry time not reached for any host(?: for '[^']*')? after a long failure period|multiple delivery attempts failed|have given up|too long in (?:the )?queue|queued? (?:for )?too long|(?:could not|couldn'?t|was not|has not been) (?:be )?delivered (?:within|for|in) (?:the last )?\d+|has not been delivered for|retry timeout|no (?:more )?retries|maximum (?:time|retry period|number of (?:delivery )?(?:attempts|retries))|delivery (?:has )?(?:timed out|failed for)|message timed out|deferred (?:for|too long)|zustellung .{0,30}(?:abgebrochen|aufgegeben)|unzustellbar seit/i,
	],
	[
		'networkerror',
		/connection (?:timed out|timeout|refused|reset|lost|dropped|closed|failure|failed)|timed out|could ?n[o']t connect|(?:unable|failed) to (?:connect|establish)|network (?:error|is unreachable|unreachable)|no route to host|host (?:is )?(?:not )?(?:unreachable|reachable)|socket error|did not accept our requests to connect|lost connection|routing loop|mail (?:loop|loops)|loops back to myself|too many hops|hop count|dns (?:error|failure|lookup (?:failed|error)|temporary)|temporary (?:dns|lookup) failure|name server|servfail|no answer from|did not respond|not responding|host not responding|malformed or unexpected name server reply|closed connection|connection to \S+ refused|host lookup did not complete|no mx found for domain|temporary failure in mx lookup|seems? to reject all mails/i,
	],
	// "550 5.7.1 Message rejected due to content restrictions" (real Postfix logs of two servers'
	// end-of-DATA refusals, pastebin 6neeGG2W): the content was refused, not our host or sender.
	// Before the system errors: Sendmail's verdict line after such a reply says "Service unavailable".
	['contenterror', /media error|content (?:error|not allowed|restrictions)|invalid (?:mime|content|encoding|character)|media (?:type )?not supported|(?:charset|character set|encoding) (?:not supported|error)/i],
	// RFC 3463 §3.4, X.3.2 "System not accepting network messages" (shutdown, maintenance), as a
	// greeting says it without the code ("554 mx… ESMTP not accepting messages"): the host's state.
	[
		'systemerror',
		/\b(?:e?smtp|system|server|host)\b (?:is )?(?:currently )?not accepting (?:network )?messages\b(?! from\b)|transaction failed|system error|internal (?:server )?error|server error|configuration error|local (?:error|configuration)|(?:local|transient) (?:failure|problem|error)|unable to process|service (?:is )?(?:not )?(?:available|unavailable)|system (?:is )?(?:unavailable|busy|not available)|internal software error|unexpected (?:error|failure)|server (?:is )?busy|resources? (?:temporarily )?unavailable|i\/o error|cannot process|mailbox (?:is )?(?:locked|busy|temporarily unavailable)/i,
	],
	// "Temporary failure, try again later" and nothing else: the server put the message on hold
	// without saying why. Last, so that any named cause wins.
	['onhold', /(?:temporary|temporarily|transient) (?:failure|problem|error)|try (?:again )?later|please retry/i],
];

const POSTFIX_RESTRICTION = /\b(client\s+host|helo\s+command|sender\s+address|recipient\s+address|data\s+command|end-of-data)\s+rejected:/i;
const POSTFIX_STAGE: Record<string, 'connect' | 'mail' | 'rcpt' | 'data'> = {
	'client host': 'connect',
	'helo command': 'connect',
	'sender address': 'mail',
	'recipient address': 'rcpt',
	'data command': 'data',
	'end-of-data': 'data',
};

/** Where in an SMTP session a refusal came: before any envelope, or the command it answered. */
export type SmtpStage = 'connect' | 'mail' | 'rcpt' | 'data';

/** At which SMTP command the remote server refused, when the report says so. */
export function smtpStage(text: string | null | undefined, inferPipelined = true): SmtpStage | null {
	if (!text) return null;
	// Postfix's smtp client says "refused to talk to me" of a greeting that was not 2xx (smtp_proto.c).
	if (/after\s+(?:the\s+)?initial\s+connection|(?:in\s+reply\s+to|after)\s+(?:the\s+)?(?:initial\s+|smtp\s+)?(?:greeting|banner)\b(?! wait)|connect(?:ion)? greeting|refused\s+to\s+talk\s+to\s+me/i.test(text)) return 'connect';
	// Postfix names the restriction that refused in its reply, whichever command it answered
	// (smtpd_delay_reject answers a client, HELO or sender refusal at RCPT TO; SMTPD_ACCESS_README):
	// "Client host rejected", "Helo command rejected", "Sender address rejected", "Recipient address
	// rejected", "Data command rejected", "End-of-data rejected". The first one is the outer reply.
	const postfix = POSTFIX_RESTRICTION.exec(text);
	if (postfix) return POSTFIX_STAGE[postfix[1].toLowerCase().replace(/\s+/g, ' ')];
	// A transcript (Sendmail's ">>>"/"<<<", MDaemon's "-->"/"<--"): the last command sent before the
	// first error reply. A permanent (5xx) reply is the refusal a failure report is about; a 4xx
	// before it may be another host's conversation ("while talking to …") that was only deferred.
	const firstError = /(?:<<<|>>>|<--)\s*5\d\d\b/.exec(text) ?? /(?:<<<|>>>|<--)\s*4\d\d\b/.exec(text);
	if (firstError) {
		// With PIPELINING several commands go out before the replies come back: the first error
		// answers the oldest command still unanswered.
		let pending: string[] = [];
		for (const c of text.slice(0, firstError.index).matchAll(/(?:>>>|<<<|-->|<--)\s*(?:(MAIL|RCPT|DATA)\b|(\d\d\d)\b)/gi)) {
			// DATA's 354 asks for the message: a refusal after it still answers DATA (RFC 5321 §4.1.1.4).
			if (c[2]) pending = c[2] === '354' && pending.includes('data') ? ['data'] : [];
			else pending.push(c[1].toLowerCase());
		}
		let command = pending[0] ?? null;
		// "503 Need RCPT" after the error: the refusal was the answer to a pipelined RCPT.
		if (inferPipelined && command === 'data' && /5\d\d[ -]+(?:5\.\d\.\d\s*)?(?:error:\s*)?(?:need (?:rcpt|recipient)|no valid recipients)/i.test(text.slice(firstError.index))) command = 'rcpt';
		if (command) return command === 'mail' ? 'mail' : command === 'rcpt' ? 'rcpt' : 'data';
	}
	const m =
		// Exim pairs each reply with its command also under PIPELINING (its smtp transport's
		// sync_responses) and says so: "after pipelined RCPT TO:<…>", "in response to pipelined DATA".
		// Postfix wraps its text at 79 columns wherever a space falls: "(in\n    reply to end of DATA command)".
		/(?:after|in\s+reply\s+to|in\s+response\s+to|response\s+to|smtp\s+command:?|did\s+not\s+like\s+our)\s+(?:the\s+)?(?:pipelined\s+)?(?:end\s+of\s+)?(data|mail\s+from|mail|rcpt\s+to|rcpt|ehlo|helo)\b/i.exec(text) ??
		/\bfor (?:the )?(rcpt to|mail from|data|ehlo|helo) command/i.exec(text) ??
		/\[(mail_from|rcpt_to|data)\]/i.exec(text) ??
		// qmail-remote: "Sorry, no SMTP connection got far enough; most progress was RCPT TO response".
		/\bmost progress was (rcpt to|mail from|data) response/i.exec(text) ??
		// qmail-remote(8) reports per recipient (its answer to RCPT TO) and then for the message (after
		// DATA): "<host> does not like recipient." is a recipient report, "<host> failed after I sent the
		// message." the message report (real reports: the first before Postfix's "Recipient address
		// rejected", the second before a DMARC refusal of the content).
		/\bdoes not like (recipient)\b/i.exec(text) ??
		/\bfailed after I sent (the message)\b/i.exec(text) ??
		// The command named as "SMTP:RCPT" before the host's reply (two real reports in the corpus).
		/\bsmtp:(rcpt|mail|data)\b/i.exec(text) ??
		// Oracle (Sun) Messaging Server: "Remote SMTP server has rejected address", the answer to RCPT TO
		// (two real reports, one quoting Exim's RCPT-time "550 No Such User Here").
		/\bremote smtp server has rejected (address)\b/i.exec(text);
	if (!m) return transcriptCommand(text) ?? (/sender was rejected/i.test(text) ? 'mail' : null);
	const word = m[1].toLowerCase().replace(/\s+/g, ' ');
	const c = word === 'address' || word === 'recipient' ? 'rcpt' : word === 'the message' ? 'data' : word;
	// A refusal of the greeting (EHLO/HELO) comes before any envelope: it is about the client host.
	if (c === 'ehlo' || c === 'helo') return 'connect';
	return c.startsWith('mail') ? 'mail' : c.startsWith('rcpt') ? 'rcpt' : 'data';
}

/**
 * A session transcript without Sendmail's arrows: a command line (RFC 5321 §4.1.1: "MAIL FROM:",
 * "RCPT TO:", "DATA") and, on the next line, the permanent reply that answered it (every command
 * gets one reply, §4.2). MDaemon puts its SMTP session transcript into its delivery reports (MDaemon
 * help, Queues » DSN Options: "Don't include session transcripts in DSN messages", off by default),
 * as "--> RCPT To:<…>" / "<-- 550 …" lines after a timestamp; hMailServer writes "… sent: RCPT TO:<…>"
 * / "Remote server replied: 550 …".
 */
const COMMAND_THEN_REPLY = /(?:^|\n)[^\n]{0,60}?\b(mail from|rcpt to|data)\b[^\n]{0,320}\r?\n[^\n]{0,80}?(?<![\d.])5\d\d(?=[ -])/i;

function transcriptCommand(text: string): 'mail' | 'rcpt' | 'data' | null {
	const m = COMMAND_THEN_REPLY.exec(text.slice(0, 20000));
	if (!m) return null;
	const c = m[1].toLowerCase();
	return c === 'mail from' ? 'mail' : c === 'rcpt to' ? 'rcpt' : 'data';
}

/**
 * Wordings that only say "refused" without why: used when neither a precise text nor the status
 * code decided. Postfix's "Recipient address rejected:" prefixes every kind of refusal.
 */
const WEAK_PATTERNS: [BounceReason, RegExp][] = [
	// Gmail's framing "it was rejected by the server for the recipient domain …" only says whose server
	// refused; without the server's own words there is no cause (and none of ours).
	['undefined', /rejected by the (?:server for the )?recipient(?:'s)? (?:domain|server|mail server)/i],
	// "The recipient was rejected" with no reason at all: the receiving side would not take it, which
	// does not prove the address dead.
	['filtered', /recipients? (?:was|were|has been|have been) (?:rejected|refused)/i],
	// A gateway's notice that it holds the message in quarantine: not delivered, held by the
	// recipient's filter (spam wording, checked before, makes it ours).
	['filtered', /\bquarantined\b|\b(?:held|placed|kept) in (?:the )?quarantine\b|in (?:die )?quarant(?:ä|ae)ne (?:verschoben|gestellt)/i],
	['userunknown', /recipient (?:address )?rejected|address (?:rejected|not accepted)|invalid recipient|mailbox unavailable/i],
	// "Rejected" or "refused" and no cause any rule above knows: RFC 5321 §4.2.2's 550 covers "no access"
	// and "rejected for policy reasons" alike, so it names neither our sender nor the recipient's filter.
	['undefined', /\brejected\b|\brefused\b/i],
];

export function weakReasonFromText(text: string | null | undefined): BounceReason | null {
	if (!text) return null;
	const words = reasonWords(text);
	for (const [reason, re] of WEAK_PATTERNS) if (re.test(words)) return reason;
	return null;
}

// Links and addresses carry words of their own ("…/residential/support", "no-such-user@…")
// that say nothing about why delivery failed.
const URL_RE = /\b(?:https?|ftp):\/\/([^\s<>"')\]/?#]+)[^\s<>"')\]]*/gi;
const ADDRESS_RE = new RegExp(ADDRESS_IN_TEXT_SOURCE, 'g');

/**
 * Postfix's smtp client writes "host mx…[ip] refused to talk to me: <reply>" for any greeting that was
 * not 2xx (smtp_proto.c), and wraps it at 79 columns wherever a space falls. It is a frame around the
 * remote server's reply, not a verdict: RFC 5321 §4.2.3 gives 421 to a server closing for its own
 * reasons ("Service not available, closing transmission channel", §3.8 a shutdown), RFC 7504 §3's 521
 * is a host that takes no mail at all, RFC 3463 §3.4's X.3.2 a system not accepting network messages;
 * only the reply's own words ("554 … blocked using zen.spamhaus.org") can name our host.
 */
const GREETING_FRAME = /\brefused\s+to\s+talk\s+to\s+me\s*:/gi;

/** The words of a diagnostic without its links, e-mail addresses and Postfix's greeting frame. */
export function reasonWords(text: string): string {
	const unframed = text.replace(GREETING_FRAME, ' : ');
	if (!unframed.includes('@') && !/https?:|ftp:/i.test(unframed)) return unframed;
	// A link keeps its host: a provider's help host can tell which service refused.
	return unframed.replace(URL_RE, ' $1 ').replace(ADDRESS_RE, ' ');
}

/**
 * The remote server's own reply inside a relay's report: "Google tried to deliver your message,
 * but it was rejected by the recipient domain … The error that the other server returned was:
 * 550 5.7.1 … Access denied", SES's "Unknown address error 550-'5.7.1 … Access denied'", a
 * transcript's "<<< 554 5.7.1 …" (Sendmail's verdict line after it says only "Service unavailable";
 * DATA's "no valid recipients" is no answer about a recipient). The relay's framing is a summary;
 * the quoted reply says why. Postfix's "refused to talk to me:" frames a refused greeting's reply as
 * its "said:" frames any other (GREETING_FRAME). Null when no reply is quoted.
 */
const REMOTE_REPLY_RE =
	/(?:\brefused\s+to\s+talk\s+to\s+me\s*:|\b(?:returned|said|responded|replied|answered)(?: was| this| with)?\s*(?::|'(?=[245]\d\d))|\bserver (?:response|reply)\s*:|\berror (?:reply )?(?:from|by) (?:the )?(?:remote|other) (?:mail )?server(?: was)?(?:\s*:)?|\b[45]\d\d[ -]'|(?:^|\s)(?:<<<|<--)(?=\s*[45]\d\d\b)(?!.{0,40}?(?:no valid recipients|need (?:rcpt|recipient))))\s*(\S[\s\S]*)$/i;

export function remoteReplyText(text: string | null | undefined): string | null {
	if (!text) return null;
	const m = REMOTE_REPLY_RE.exec(text);
	return m && m.index > 0 ? m[1] : null;
}

/** The first reason whose wording appears in the text, or null. */
export function reasonFromText(text: string | null | undefined): BounceReason | null {
	if (!text) return null;
	const words = reasonWords(text);
	// Servers write their replies in ASCII (RFC 5321 §2.4: "Uzytkownik", "pelna"), reports quote them
	// with accents too: a phrase written in ASCII also matches the accented text, read folded.
	const folded = asciiFolded(words);
	for (const [reason, re] of REASON_PATTERNS) if (re.test(words) || (folded !== null && re.test(folded))) return reason;
	return null;
}

const NOT_DECOMPOSED: Record<string, string> = { ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', æ: 'ae', Æ: 'AE', ß: 'ss' };

/** The text with its Latin letters' accents taken off (NFD, combining marks dropped), or null when it is ASCII already. */
export function asciiFolded(text: string): string | null {
	if (!/[^\p{ASCII}]/u.test(text)) return null;
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[łŁøØđĐæÆß]/g, (c) => NOT_DECOMPOSED[c]);
}
