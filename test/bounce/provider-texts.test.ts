import { classifyMessage } from '../../lib/bounce';
import { buildDsn } from './dsn-builder';

/**
 * Refusal texts as the providers document them (postmaster and help pages), each wrapped in a
 * minimal RFC 3464 report: the category decides what dunning does, so every row names it.
 */
function dsn(diagnostic: string): string {
	const code = /\b([45])\.\d{1,3}\.\d{1,3}\b/.exec(diagnostic)?.[0] ?? (/^[45]/.test(diagnostic) ? `${diagnostic[0]}.0.0` : '5.0.0');
	return buildDsn({ humanType: 'text/plain', recipients: [{ final: 'kunde@example.net', status: code, diagnostic: `smtp; ${diagnostic}` }] });
}

const cases: { source: string; text: string; reason: string; category: string }[] = [
	// Gmail SMTP error reference (support.google.com/a/answer/3726730)
	{ source: 'Gmail', text: '550-5.1.1 The email account that you tried to reach does not exist.', reason: 'userunknown', category: 'addressDead' },
	{ source: 'Gmail', text: '552-5.2.2 The email account that you tried to reach is over quota.', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'Gmail', text: '550-5.2.1 The email account that you tried to reach is disabled.', reason: 'suspend', category: 'recipientRefused' },
	{ source: 'Gmail', text: '550-5.7.26 This mail has been blocked because the sender is unauthenticated.', reason: 'authfailure', category: 'senderRejected' },
	{ source: 'Gmail', text: '421-4.7.0 This message is suspicious due to the nature of the content or the links within.', reason: 'spamdetected', category: 'senderRejected' },
	{ source: 'Gmail', text: '550-5.7.25 The IP address sending this message does not have a PTR record setup.', reason: 'requireptr', category: 'senderRejected' },
	{ source: 'Gmail', text: "552-5.3.4 Your message exceeded Google's message size limits.", reason: 'mesgtoobig', category: 'senderRejected' },
	{ source: 'Gmail', text: '421-4.7.0 TLS required for RCPT domain, closing connection.', reason: 'failedstarttls', category: 'senderRejected' },
	// A fault of the receiving server is not about our sender.
	{ source: 'Gmail', text: '451-4.3.0 Mail server temporarily rejected message.', reason: 'systemerror', category: 'recipientRefused' },
	// Exchange Online NDR codes (learn.microsoft.com, "Email non-delivery reports and SMTP errors")
	{ source: 'Microsoft', text: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', reason: 'userunknown', category: 'addressDead' },
	{ source: 'Microsoft', text: '550 5.7.509 Access denied, sending domain shop.example does not pass DMARC verification and has a DMARC policy of reject.', reason: 'authfailure', category: 'senderRejected' },
	{ source: 'Microsoft', text: '550 5.7.606 Access denied, banned sending IP [192.0.2.1].', reason: 'blocked', category: 'senderRejected' },
	{ source: 'Microsoft', text: '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException', reason: 'mailboxfull', category: 'recipientRefused' },
	// The recipient's own delivery restrictions, the same for any outside sender: no deliverability alarm.
	{ source: 'Microsoft', text: "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group", reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Microsoft', text: '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Microsoft', text: '550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)', reason: 'filtered', category: 'recipientRefused' },
	// Directory-based edge blocking and tenant policies answer alike: "Access denied" proves no dead address.
	{ source: 'Microsoft', text: '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)', reason: 'userunknown', category: 'recipientRefused' },
	// Ours: our account or IP is blocked.
	{ source: 'Microsoft', text: '550 5.7.501 Access denied, spam abuse detected. The sending account has been blocked for sending spam.', reason: 'spamdetected', category: 'senderRejected' },
	// Yahoo Help SLN3444: the recipient's user ID does not exist.
	{ source: 'Yahoo', text: "554 delivery error: dd This user doesn't have a yahoo.com account (kunde@yahoo.com) [0] - mta1061.mail.ne1.yahoo.com", reason: 'userunknown', category: 'addressDead' },
	// Postfix access(5): REJECT without text for a recipient address in check_recipient_access.
	{ source: 'Postfix', text: '554 5.7.1 <kunde@example.net>: Recipient address rejected: Access denied', reason: 'filtered', category: 'recipientRefused' },
	// Yahoo Sender Hub error codes
	{ source: 'Yahoo', text: "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list", reason: 'blocked', category: 'senderRejected' },
	{ source: 'Yahoo', text: '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints', reason: 'badreputation', category: 'senderRejected' },
	// T-Online (postmaster.t-online.de)
	{ source: 'T-Online', text: '554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)', reason: 'blocked', category: 'senderRejected' },
	{ source: 'T-Online', text: '554 IP=192.0.2.1 - None/bad reputation. Ask your postmaster for help or to contact <postmaster@rx.t-online.de> for reset. (NOWL)', reason: 'badreputation', category: 'senderRejected' },
	{ source: 'T-Online', text: '552 5.2.2 Over STORAGE quota', reason: 'mailboxfull', category: 'recipientRefused' },
	// GMX (postmaster.gmx.net: no enhanced codes, multi-line answers) and Web.de
	{ source: 'GMX', text: '554-gmx.net (mxgmx104) Nemesis ESMTP Service not available 554-No SMTP service 554-IP address is block listed.', reason: 'blocked', category: 'senderRejected' },
	{ source: 'GMX', text: '552 Requested mail action aborted: exceeded storage allocation, Quota exceeded', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'Web.de', text: '550 Benutzer hat zuviele Mails auf dem Server. / User has too many messages on the server.', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'Web.de', text: '550 Benutzer hat das Speichervolumen ueberschritten. / User has exhausted allowed storage space.', reason: 'mailboxfull', category: 'recipientRefused' },
	// IONOS help: "550 Unknown User" / stock "mailbox unavailable" carry no code and no stage: not proof.
	{ source: 'IONOS', text: '550 Unknown User', reason: 'userunknown', category: 'recipientRefused' },
	{ source: 'IONOS', text: '554 Service unavailable; Client host [192.0.2.1] blocked using - IP Black Listed', reason: 'blocked', category: 'senderRejected' },
	// Yandex, Mail.ru, QQ Mail help pages
	{ source: 'Yandex', text: '550 5.7.1 Message rejected under suspicion of SPAM', reason: 'spamdetected', category: 'senderRejected' },
	{ source: 'Yandex', text: '552 5.2.2 Mailbox size limit exceeded', reason: 'mailboxfull', category: 'recipientRefused' },
	// Yandex's own "No such user!" under its policy code: its bounce help says the address does not exist.
	{ source: 'Yandex', text: '550 5.7.1 No such user!', reason: 'userunknown', category: 'addressDead' },
	// … other "no such user" wordings under a policy code stay a refusal worded vaguely
	{ source: 'Provider', text: '550 5.7.1 No such user', reason: 'filtered', category: 'recipientRefused' },
	// Sieve (RFC 5228/5429) is the recipient's own filter: Dovecot's and Cyrus's LMTP "rejected by sieve"
	{ source: 'Dovecot', text: '550 5.7.1 <kunde@example.net> rejected by sieve', reason: 'filtered', category: 'recipientRefused' },
	// … unless the script's words are a spam verdict on our message (a site-wide script)
	{ source: 'Sieve', text: '550 5.7.1 rejected by sieve: spam detected (score 12.3)', reason: 'spamdetected', category: 'senderRejected' },
	{ source: 'Mail.ru', text: '550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id', reason: 'spamdetected', category: 'senderRejected' },
	{ source: 'QQ', text: '550 Mail content denied. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726', reason: 'spamdetected', category: 'senderRejected' },
	{ source: 'QQ', text: '550 Ip frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722', reason: 'toomanyconn', category: 'senderRejected' },
	// Mimecast SMTP Error Codes (its answers link the page): an invalid recipient is no such recipient
	{ source: 'Mimecast', text: '550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [aBc.us123]', reason: 'userunknown', category: 'addressDead' },
	{ source: 'Mimecast', text: '554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554 [aBc.us123]', reason: 'blocked', category: 'senderRejected' },
	// Orange and La Poste: their content filter's answers at the end of DATA (gadz.org's table of French providers' refusals)
	{ source: 'Orange', text: '550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506] (in reply to end of DATA command)', reason: 'spamdetected', category: 'senderRejected' },
	{ source: 'La Poste', text: '550 5.5.0 Service refuse. Veuillez essayer plus tard. service refused, please try later. LPN007_510 (in reply to end of DATA command)', reason: 'spamdetected', category: 'senderRejected' },
	// Sophos Email's documented codes (docs.sophos.com, "SMTP error codes"), all under 5.7.1
	{ source: 'Sophos', text: "550 5.7.1 XGEMAIL_0011 Command rejected", reason: 'userunknown', category: 'addressDead' },
	{ source: 'Sophos', text: '550 5.7.1 XGEMAIL_0008 Command rejected', reason: 'rejected', category: 'senderRejected' },
	{ source: 'Sophos', text: '550 5.7.1 XGEMAIL_0004 Command rejected', reason: 'blocked', category: 'senderRejected' },
	{ source: 'Sophos', text: '550 5.7.1 XGEMAIL_0010 Command rejected', reason: 'systemerror', category: 'recipientRefused' },
	// The recipient's side under a policy code: a blocked account (Yandex's bounce help), Proofpoint
	// Essentials' invalid-recipient list, Boxbe's wait list of unconfirmed senders
	{ source: 'Yandex', text: '550 5.7.1 Policy rejection on the target address', reason: 'suspend', category: 'recipientRefused' },
	{ source: 'Proofpoint', text: '550 5.7.1 <kunde@example.net>: Recipient address rejected: User email address is marked as invalid.', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Boxbe', text: '550 5.7.0 Sender not pre-approved. Follow instructions in above notice', reason: 'filtered', category: 'recipientRefused' },
	// "Invalid domain" does not say the domain is gone (Libero answers it about the sender's domain)
	{ source: 'Libero', text: '550 Invalid Domain [smtp-12.iol.local; LIB_420] (in reply to RCPT TO command)', reason: 'undefined', category: 'recipientRefused' },
	// Our own sending limits, under codes that elsewhere mean a full mailbox or a congested system
	{ source: 'Microsoft', text: '550 5.2.2 Submission quota exceeded', reason: 'speeding', category: 'senderRejected' },
	{ source: 'Gmail', text: '550 5.4.5 Daily user sending limit exceeded.', reason: 'speeding', category: 'senderRejected' },
	{ source: 'Gmail', text: '550 5.4.5 Daily SMTP relay limit exceeded for user.', reason: 'speeding', category: 'senderRejected' },
	// Our own login (Gmail's SMTP error reference)
	{ source: 'Gmail', text: '535 5.7.8 Username and Password not accepted.', reason: 'securityerror', category: 'senderRejected' },
	// Gmail's X.7.27 is an SPF failure (RFC 7505 gives it to the sender's null MX): the words decide
	{ source: 'Gmail', text: "550 5.7.27 This message was blocked because it didn't pass SPF authentication.", reason: 'authfailure', category: 'senderRejected' },
	// X.1.3 is the recipient's address syntax (RFC 3463), not our protocol; it proves no dead mailbox
	{ source: 'Gmail', text: '553 5.1.3 The recipient address <kunde@example.net> is not a valid RFC 5321 address.', reason: 'userunknown', category: 'recipientRefused' },
	// The recipient's restrictions in the NDR reference's short words, and its server's TLS set-up
	{ source: 'Microsoft', text: '550 5.7.12 Sender was not authenticated by organization', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Microsoft', text: '550 5.7.134 Sender was not authenticated for mailbox', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Microsoft', text: '550 5.7.505 Access denied, banned recipient', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Microsoft', text: "550 5.7.322 certificate-expired: Destination mail server's certificate is expired.", reason: 'systemerror', category: 'recipientRefused' },
	// AOL's postmaster error pages: our IP
	{ source: 'AOL', text: '554 RTR:DU http://postmaster.info.aol.com/errors/554rtrdu.html', reason: 'blocked', category: 'senderRejected' },
	// cPanel's hosting limits on our account
	{ source: 'cPanel', text: 'Domain shop.example has exceeded the max emails per hour (101/100 (101%)) allowed.  Message discarded.', reason: 'speeding', category: 'senderRejected' },
	// Gmail's own DNS verdict about the recipient's domain
	{ source: 'Gmail', text: "Your message wasn't delivered to kunde@example.net because the domain example.net couldn't be found. Check for typos or unnecessary spaces and try again.", reason: 'hostunknown', category: 'addressDead' },
	// Google Groups refuses a non-member's post under 5.1.1: about our address, never a dead one
	{ source: 'Google Groups', text: '510 5.1.1 Your email address, billing@shop.example, is not subscribed to that group.', reason: 'rejected', category: 'senderRejected' },
	// Amazon SES: the account's suppression list (bounces, complaints, manual entries) proves nothing;
	// its global list is SES's statement that the address bounced as invalid
	{ source: 'Amazon SES', text: '550 5.1.1 Amazon SES did not send the message to this address because it is on the suppression list for your account.', reason: 'userunknown', category: 'recipientRefused' },
	{ source: 'Amazon SES', text: '550 5.1.1 Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.', reason: 'userunknown', category: 'addressDead' },
	// German replies spelled in ASCII, as SMTP replies are (RFC 5321 §2.4; Web.de writes "ueberschritten")
	{ source: 'German', text: '550 Empfaenger unbekannt (in reply to RCPT TO command)', reason: 'userunknown', category: 'addressDead' },
	{ source: 'German', text: '550 Domain existiert nicht', reason: 'hostunknown', category: 'addressDead' },
	{ source: 'German', text: '452 Postfach des Empfaengers ist voll', reason: 'mailboxfull', category: 'recipientRefused' },
	// MTAs' own words (no remote reply): Postfix's resolver messages (dns_strerror) and Exim's retry rules
	{ source: 'Postfix', text: 'Host or domain name not found. Name service error for name=example.net type=MX: Host not found, try again', reason: 'networkerror', category: 'recipientRefused' },
	{ source: 'Postfix', text: 'Host or domain name not found. Name service error for name=example.net type=A: Host not found', reason: 'hostunknown', category: 'addressDead' },
	// dns_strerror's NO_DATA: the name exists, only this record type is missing
	{ source: 'Postfix', text: 'Host or domain name not found. Name service error for name=example.net type=AAAA: Host found but no data record of requested type', reason: 'networkerror', category: 'recipientRefused' },
	// No MX, and the address record was tried (RFC 5321 §5.1): a connection failure, no dead domain
	{ source: 'SmarterMail', text: "Failed to connect to the recipients mail server. No MX records were found for the 'example.net' domain. Failed all attempts to connect.", reason: 'hostunknown', category: 'recipientRefused' },
	// Words that only guess ("Reason Code: Invalid Domain Name" says nothing more)
	{ source: 'MailEnable', text: 'The message could not be delivered because the domain name (example.net) does not appear to be registered. Reason Code: Invalid Domain Name', reason: 'undefined', category: 'recipientRefused' },
	{ source: 'Exim', text: "all hosts for 'example.net' have been failing for a long time (and retry time not reached)", reason: 'expired', category: 'recipientRefused' },
	// the domain's MX points back at the reporting host (Exim spec, dnslookup router): a routing fault
	{ source: 'Exim', text: 'lowest numbered MX record points to local host', reason: 'networkerror', category: 'recipientRefused' },
	{ source: 'Exim', text: '550 rejected after DATA: Your message scored 14.2 SpamAssassin point. Report follows:', reason: 'spamdetected', category: 'senderRejected' },
	// Exchange 2000/2003's DNS failure (KB 284204): any failed lookup, ours included
	{ source: 'Exchange 2003', text: 'The destination server for this recipient could not be found in Domain Name Service (DNS). Please verify the e-mail address and retry. <EXCH01.corp.example.net #5.4.0>', reason: 'networkerror', category: 'recipientRefused' },
	// hMailServer's own source words this for DNS trouble too ("appear to exists"); a final report of
	// a connection that never came about is, like Postfix's, a delivery that expired
	{ source: 'hMailServer', text: "No mail servers appear to exists for the recipient's address.", reason: 'notaccept', category: 'recipientRefused' },
	{ source: 'hMailServer', text: 'Cannot connect to SMTP server 203.0.113.5 (203.0.113.5:25), connect error 10060', reason: 'expired', category: 'recipientRefused' },
	// Mercury/32's expiry of a host that refused every connection: a network failure, no refusal of ours
	{ source: 'Mercury/32', text: 'The message has been in the queue for longer than the maximum retry period (5 days) and has been returned. Last error: Connection to mx.example.net refused.', reason: 'expired', category: 'recipientRefused' },
	// RFC 7505 §4.2: our sender domain's null MX
	{ source: 'RFC 7505', text: '550 5.7.27 Sender address has null MX', reason: 'rejected', category: 'senderRejected' },
	// Mimecast's SMTP error code reference: the recipient's blocked-senders entry or their policy
	{ source: 'Mimecast', text: '550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550 [Ab12Cd34.uk58]', reason: 'filtered', category: 'recipientRefused' },
	// NTT docomo's 552 for a subscriber's full mailbox, not a sending rate of ours
	{ source: 'NTT docomo', text: '552 Too much mail data kunde@docomo.ne.jp (in reply to end of DATA command)', reason: 'mailboxfull', category: 'recipientRefused' },
	// amavisd-new's banned file type: a content policy
	{ source: 'amavisd-new', text: '554 5.7.0 Reject, id=22041-04 - BANNED: invoice.exe', reason: 'policyviolation', category: 'senderRejected' },
	// Google's documented no-such-account answer and Yahoo! JAPAN's own notice: their directories'
	// verdicts, also where a relay quotes them without a code or after DATA
	{ source: 'Gmail', text: "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.", reason: 'userunknown', category: 'addressDead' },
	{ source: 'Yahoo! JAPAN', text: "<kunde@yahoo.co.jp>: This user doesn't have a yahoo.co.jp account (kunde@yahoo.co.jp) [0]", reason: 'userunknown', category: 'addressDead' },
	// A recipient's own list of refused senders (Interia's help pages; a Korean portals' list of answers)
	{ source: 'Interia', text: "550 5.7.1 Recipient doesn't want your mail", reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Nate', text: "550 You are registered as spammer (by user's reject list)", reason: 'filtered', category: 'recipientRefused' },
	// German gateways name it so; Postfix answers a per-recipient sender list as "Sender address rejected"
	{ source: 'Gateway (de)', text: '554 5.7.1 Die Nachricht wurde abgelehnt, da die Absenderadresse auf der Sperrliste (Blacklist) des Empfaengers steht.', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Postfix', text: "554 5.7.1 <billing@shop.example>: Sender address rejected: sender is on the recipient's blacklist (in reply to RCPT TO command)", reason: 'filtered', category: 'recipientRefused' },
	// A dormant or frozen account exists: suspend, also under 5.1.1 and with the address as subject
	{ source: 'Nate', text: '550 5.1.1 Inactive mbox', reason: 'suspend', category: 'recipientRefused' },
	{ source: '21cn', text: '550 kunde@example.net is now disabled with SMTP service.', reason: 'suspend', category: 'recipientRefused' },
	// NetEase's spam-content code (its help_spam pages)
	{ source: 'NetEase', text: '554 DT:SPM 126 mx14,QMCowAD3pGaFNcdnT8XcAA--.27312S2 1741075951,please see http://mail.163.com/help/help_spam_16.htm?ip=203.0.113.5', reason: 'spamdetected', category: 'senderRejected' },
	// Italian PEC mailboxes refuse ordinary mail ("unknown or not enabled"): a hedge, no proof
	{ source: 'PEC', text: '554 <kunde@example.net>: Messaggio rifiutato dal sistema. Indirizzo destinatario sconosciuto o non abilitato alla ricezione di posta non certificata (in reply to RCPT TO command)', reason: 'userunknown', category: 'recipientRefused' },
	// Providers' own notices in their languages (Onet, Register.it, UOL)
	{ source: 'Onet', text: 'Przyczyna odrzucenia: Docelowe konto nie istnieje.', reason: 'userunknown', category: 'recipientRefused' },
	{ source: 'Register.it', text: 'Motivo: la casella di posta del destinatario è piena (quota superata).', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'UOL', text: 'Motivo: a caixa postal do destinatário está cheia.', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'German notice', text: 'Das Postfach des Empfängers hat die zulässige Größe überschritten.', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'German notice', text: '552 Postfach kunde@example.net: maximale Nachrichtengröße (10 MB) überschritten', reason: 'mesgtoobig', category: 'senderRejected' },
	{ source: 'German notice', text: '552 Die maximale Postfachgröße des Empfängers wurde überschritten', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'German notice', text: '552 Die Nachrichtengröße überschreitet das zulässige Limit', reason: 'mesgtoobig', category: 'senderRejected' },
	// Our hosting's or relay's limits on our account (DirectAdmin, Plesk, IONOS, StartMail help pages)
	{ source: 'DirectAdmin', text: 'You (shopuser) have reached your message limit.', reason: 'speeding', category: 'senderRejected' },
	{ source: 'Plesk', text: '550 5.7.0 Your message could not be sent. The limit on the number of allowed outgoing messages was exceeded. Try again later.', reason: 'speeding', category: 'senderRejected' },
	{ source: 'IONOS', text: '550-Requested mail action not taken: mailbox unavailable 550 Mail send limit exceeded.', reason: 'speeding', category: 'senderRejected' },
	{ source: 'StartMail', text: '550 5.7.1 Your mail limit has been reached.', reason: 'speeding', category: 'senderRejected' },
	{ source: 'Exim ratelimit', text: '550 4.7.1 Ratelimit exceeded, try again later', reason: 'speeding', category: 'senderRejected' },
	// MailChannels' relay (docs.mailchannels.com): one recipient's suppression vs our list's hygiene
	{ source: 'MailChannels', text: '550 5.7.1 [RB] This recipient email address has been blocked.', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'MailChannels', text: '550 5.7.1 [UNS] Recipient has unsubscribed from your list.', reason: 'filtered', category: 'recipientRefused' },
	// Sending services' own suppression lists (Postmark's inactive recipients, SparkPost's customer
	// policy): the service never asked the recipient's server; its "spam complaint" is about the list
	{ source: 'Postmark', text: '550 5.1.1 You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: kunde@example.net. Inactive recipients are ones that have generated a hard bounce or a spam complaint.', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'SparkPost', text: '554 5.7.1 [internal] recipient address was suppressed due to customer policy', reason: 'filtered', category: 'recipientRefused' },
	// A sending service that has not verified our sender domain
	{ source: 'SMTP2GO', text: '550 From header sender domain not verified', reason: 'norelaying', category: 'senderRejected' },
	// Yahoo's sender requirements (Sender Hub SMTP error codes) use 5.7.9, which RFC 4954 gives to SMTP AUTH, for a missing SPF/DKIM: the words decide.
	{ source: 'Yahoo', text: '550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.', reason: 'authfailure', category: 'senderRejected' },
	{ source: 'Postfix policy', text: '550 5.7.1 Sender domain not verified: SPF check failed for 203.0.113.5', reason: 'authfailure', category: 'senderRejected' },
	{ source: 'Postfix policy', text: '550 5.7.1 Sender domain not verified (SPF fail for 203.0.113.5)', reason: 'authfailure', category: 'senderRejected' },
	// The customer's own account that may not send (its forward failed) is not our account paused
	{ source: 'Recipient host', text: '550 5.7.1 <kunde@example.net>: forwarding to external address failed: sending is disabled for this account', reason: 'suspend', category: 'recipientRefused' },
	{ source: 'Amazon SES', text: '554 Sending paused for this account. For more information, please check the AWS Management Console.', reason: 'rejected', category: 'senderRejected' },
	{ source: 'Amazon SES v2', text: "554 The message can't be sent because the account's ability to send email is currently paused.", reason: 'rejected', category: 'senderRejected' },
	{ source: 'MailChannels', text: '550 5.7.1 [BR] Our system has detected an excessively high number of invalid recipients originating from your account.', reason: 'badreputation', category: 'senderRejected' },
	// Our own login refused: Microsoft 365 (NDR reference 5.7.57 / 5.7.139), Postfix's client on our relay
	{ source: 'Microsoft 365', text: '530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', reason: 'securityerror', category: 'senderRejected' },
	{ source: 'Postfix relay', text: 'SASL authentication failed; server smtp.relay.example[192.0.2.1] said: 535 Error: authentication failed: authentication failure', reason: 'securityerror', category: 'senderRejected' },
	{ source: 'Zoho', text: '550 5.4.6 Unusual sending activity detected. Please try after sometime.', reason: 'speeding', category: 'senderRejected' },
	// SFR's postmaster codes (SFR_IN_104): too many unknown users from our IP, not this recipient
	{ source: 'SFR', text: '550 Service refuse / Service refused - too many unknown users from your IP. SFR_IN_104', reason: 'badreputation', category: 'senderRejected' },
	{ source: 'MailChannels', text: '550 5.7.1 [CS] Message blocked. If this is a false positive, please report this to your hosting service provider.', reason: 'spamdetected', category: 'senderRejected' },
	// Google's SMTP relay refusing our credentials
	{ source: 'Gmail relay', text: '550 5.7.1 Invalid credentials for relay [192.0.2.10]. The IP address you\'ve registered in your G Suite SMTP Relay service doesn\'t match domain of the account this email is being sent from.', reason: 'norelaying', category: 'senderRejected' },
	// Sophos Email: the user's own block list and the recipient's inbound limit from all senders are
	// the recipient's side; the limit for a single sender is ours
	{ source: 'Sophos', text: '550 5.7.1 XGEMAIL_0009 Command rejected', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Sophos', text: '550 5.7.1 XGEMAIL_0015 Command rejected', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Sophos', text: '550 5.7.1 XGEMAIL_0014 Command rejected', reason: 'speeding', category: 'senderRejected' },
	// Proofpoint: the policy is DMARC
	{ source: 'Proofpoint', text: '550 5.7.0 Local Policy Violation - DMARC Reject', reason: 'authfailure', category: 'senderRejected' },
	// cPanel: incoming mail of the account suspended; its RBL refusal over continuation lines
	{ source: 'cPanel', text: '550 Mail to kunde@example.net has been suspended', reason: 'suspend', category: 'recipientRefused' },
	{ source: 'cPanel', text: '550-"JunkMail rejected - server.hosting.example [198.51.100.7]:41234 is in an 550-RBL: Blocked - see https://www.spamcop.net/bl.shtml?198.51.100.7"', reason: 'blocked', category: 'senderRejected' },
	// Our sender refused, not the recipient: "does not exist" about the sender, Exim's sender callout
	{ source: 'sender refused', text: '550 Sender address does not exist', reason: 'rejected', category: 'senderRejected' },
	{ source: 'sender refused', text: '550 5.1.0 Konto nadawcy nie istnieje', reason: 'rejected', category: 'senderRejected' },
	{ source: 'Exim callout', text: '550-Verification failed for <billing@shop.example> 550-Unknown local part billing in <billing@shop.example> 550 Sender verify failed', reason: 'rejected', category: 'senderRejected' },
	// "Unknown or not enabled" proves nothing under 5.1.1 either (PEC)
	{ source: 'PEC', text: '550 5.1.1 <kunde@example.net>: Indirizzo destinatario sconosciuto o non abilitato alla ricezione di posta non certificata', reason: 'userunknown', category: 'recipientRefused' },
	// A recipient's own receiving limit is not ours; a port number is no status code
	{ source: 'receiving limit', text: '552 5.2.2 <kunde@example.net>: user has reached the mail limit for incoming messages', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'port', text: '554 5.7.1 Relaying via port 587 is disabled for unauthenticated clients', reason: 'securityerror', category: 'senderRejected' },
	{ source: 'cPanel', text: '550 mail to <kunde@example.net> has been suspended', reason: 'suspend', category: 'recipientRefused' },
	{ source: '21cn', text: '550 <kunde@example.net> is now disabled with SMTP service.', reason: 'suspend', category: 'recipientRefused' },
	// "Too many invalid recipients" is ours, unless the reply says this recipient is unknown
	{ source: 'Postfix', text: '550 Recipient rejected: too many invalid recipients', reason: 'badreputation', category: 'senderRejected' },
	{ source: 'Postfix', text: '550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown in virtual mailbox table; too many invalid recipients from 203.0.113.5', reason: 'userunknown', category: 'addressDead' },
	// La Poste's archived (inactive) mailbox: suspend, not a deleted address
	{ source: 'La Poste', text: '550 5.1.1 Boite du destinataire archivee. Archived recipient. LPN004_420', reason: 'suspend', category: 'recipientRefused' },
	// Microsoft 365: a recipient restricted to named senders (5.7.129)
	{ source: 'Microsoft', text: '550 5.7.129 RESOLVER.RST.RestrictedToRecipientsPermission; not authorized to send to this recipient', reason: 'filtered', category: 'recipientRefused' },
	// Our own domain's null MX at MAIL FROM (RFC 7505), chkuser's sender MX check
	{ source: 'Postfix', text: '553 5.7.27 <billing@shop.example>: Sender address rejected: Domain shop.example does not accept mail (nullMX) (in reply to MAIL FROM command)', reason: 'rejected', category: 'senderRejected' },
	{ source: 'chkuser', text: "554 sorry, can't find a valid MX for sender domain (#5.1.1 - chkuser)", reason: 'rejected', category: 'senderRejected' },
	// A mailbox or domain over its size limit (SmarterMail KB), Postfix local(8) at mailbox_size_limit
	{ source: 'SmarterMail', text: '552 Mailbox size limit has been exceeded', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'SmarterMail', text: 'The domain size limit has been exceeded', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'Postfix local', text: 'cannot update mailbox /var/mail/kunde for user kunde. error writing message: File too large', reason: 'mailboxfull', category: 'recipientRefused' },
	// Oracle Messaging Server's DNS verdict under 5.4.4; Exchange's missing next hop under 5.4.4 is none
	{ source: 'Messaging Server', text: '550 5.4.4 Illegal host/domain name found', reason: 'hostunknown', category: 'addressDead' },
	{ source: 'Exchange', text: '550 5.4.4 ROUTING.NoNextHop; unable to route', reason: 'hostunknown', category: 'recipientRefused' },
	// An address its owner switched off (iCloud: a Hide-My-Email or alias address can be turned back on)
	{ source: 'iCloud', text: '550 5.1.1 <kunde@icloud.com>: inactive email address', reason: 'suspend', category: 'recipientRefused' },
	// Our IP on a gateway's deny list, behind the stock "mailbox unavailable" (McAfee IronMail)
	{ source: 'IronMail', text: '550 Mailbox unavailable or access denied Listed in connection control deny list', reason: 'blocked', category: 'senderRejected' },
	// … but a recipient's own deny list is theirs, and a listed recipient address is a suppression
	{ source: 'Postfix', text: '550 5.7.1 <kunde@example.net>: Sender billing@shop.example is listed in a personal deny list of the recipient', reason: 'filtered', category: 'recipientRefused' },
	// Domino's forwarding loop
	{ source: 'Domino', text: 'Maximum forwarding loop count exceeded, message probably in a forwarding loop', reason: 'networkerror', category: 'recipientRefused' },
	{ source: 'IMail', text: 'User mailbox exceeds allowed size: kunde@example.net', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'Postfix', text: '552 Message to mailbox exceeds allowed size limit (max 10 MB)', reason: 'mesgtoobig', category: 'senderRejected' },
	// Microsoft 365 (NDR reference): a group's allowed-senders list is the recipient's; IPv6 is how our host connected
	{ source: 'Microsoft 365', text: '550 5.7.124 Sender not in allowed-senders list', reason: 'filtered', category: 'recipientRefused' },
	{ source: 'Microsoft 365', text: '550 5.7.510 Access denied, example.net does not accept email over IPv6', reason: 'blocked', category: 'senderRejected' },
	{ source: 'Microsoft 365', text: '550 5.7.510 example.net does not accept email over IPv6', reason: 'blocked', category: 'senderRejected' },
	// Chinese providers' short words: Coremail/QQ "收件人邮箱空间已满" (mailbox space full), Sina "550 black ip."
	{ source: 'Coremail', text: '550 收件人邮箱空间已满', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'Sina', text: '550 black ip. (203.0.113.25)', reason: 'blocked', category: 'senderRejected' },
	// Short replies in the recipient's language, in ASCII as servers write them and with accents as reports quote them
	// (words alone prove a dead mailbox only as the answer to RCPT TO, see category.ts)
	{ source: 'Czech', text: '550 Adresat neexistuje (in reply to RCPT TO command)', reason: 'userunknown', category: 'addressDead' },
	{ source: 'Czech', text: '550 Adresát neexistuje (in reply to RCPT TO command)', reason: 'userunknown', category: 'addressDead' },
	// … not the sender's mailbox, nor a guess ("probably does not exist")
	{ source: 'Czech', text: '550 Schranka odesilatele neexistuje (in reply to RCPT TO command)', reason: 'undefined', category: 'recipientRefused' },
	{ source: 'Czech', text: '550 Adresat pravdepodobne neexistuje (in reply to RCPT TO command)', reason: 'undefined', category: 'recipientRefused' },
	{ source: 'Polish', text: '550 Uzytkownik nie istnieje (in reply to RCPT TO command)', reason: 'userunknown', category: 'addressDead' },
	{ source: 'Hungarian', text: '550 Nincs ilyen címzett (in reply to RCPT TO command)', reason: 'userunknown', category: 'addressDead' },
	{ source: 'Norwegian', text: '550 Ukjent mottaker (in reply to RCPT TO command)', reason: 'userunknown', category: 'addressDead' },
	{ source: 'Swedish', text: '550 Okänd mottagare (in reply to RCPT TO command)', reason: 'userunknown', category: 'addressDead' },
	{ source: 'Polish', text: '552 Skrzynka odbiorcy jest przepełniona', reason: 'mailboxfull', category: 'recipientRefused' },
	// … not with a word between that hedges ("prawdopodobnie": probably, "chwilowo": for now)
	{ source: 'Polish', text: '550 Uzytkownik prawdopodobnie nie istnieje (in reply to RCPT TO command)', reason: 'undefined', category: 'recipientRefused' },
	{ source: 'Polish', text: '550 Konto chwilowo nie istnieje (in reply to RCPT TO command)', reason: 'undefined', category: 'recipientRefused' },
	{ source: 'Polish', text: '550 Konto odbiorcy nie istnieje (in reply to RCPT TO command)', reason: 'userunknown', category: 'addressDead' },
	// RFC 4954's 535 answers our login, whatever words follow
	{ source: 'Postfix SASL', text: 'SASL authentication failed; server smtp.relay.example[192.0.2.9] said: 535 5.7.8 Uzytkownik nie istnieje', reason: 'securityerror', category: 'senderRejected' },
	// A provider's own ("private") block list of IPs is ours to fix
	{ source: 'Provider', text: '554 5.7.1 Service unavailable; client [192.0.2.25] is listed on our private block list', reason: 'blocked', category: 'senderRejected' },
	{ source: 'Czech', text: '552 Schranka je plna', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'Hungarian', text: '552 A postafiók megtelt', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'Dutch', text: '552 Mailbox zit vol', reason: 'mailboxfull', category: 'recipientRefused' },
	{ source: 'Dutch', text: '552 De mailbox van de ontvanger is vol', reason: 'mailboxfull', category: 'recipientRefused' },
	// Gmail writes RFC 8689's REQUIRETLS code X.7.30 for a DKIM check that did not pass: the words decide
	{ source: 'Gmail', text: '550 5.7.30 This message does not pass DKIM authentication checks for your domain. To protect our users from spam, mail sent from your domain must pass DKIM.', reason: 'authfailure', category: 'senderRejected' },
	// Postfix 3.9's smtpd_forbid_bare_newline (its documentation): our message's line endings
	{ source: 'Postfix', text: '550 5.5.2 Error: bare <LF> received', reason: 'notcompliantrfc', category: 'senderRejected' },
	// RFC 3463 X.3.2: a host that does not take messages for now (shutdown, load), no null MX
	{ source: 'RFC 3463', text: '550 5.3.2 System not accepting network messages', reason: 'systemerror', category: 'recipientRefused' },
	// ZMailer's router error for an unknown local user; no command named, so no proof of a dead address
	{ source: 'ZMailer', text: '500 (err.nosuchuser)', reason: 'userunknown', category: 'recipientRefused' },
	// A content verdict before the "Malware" of a product name; a link on a URI block list is our content, not our IP
	{ source: 'Hornetsecurity', text: '554 5.7.1 Message rejected: classified as spam by Hornetsecurity Spam and Malware Protection', reason: 'spamdetected', category: 'senderRejected' },
	{ source: 'FortiMail', text: '554 5.7.1 This message has been blocked because it contains FortiGuard - AntiSpam blocking URL(s).', reason: 'spamdetected', category: 'senderRejected' },
];

describe("providers' documented refusal texts", () => {
	it.each(cases)('$source: $text → $reason / $category', async ({ text, reason, category }) => {
		const [r] = await classifyMessage(dsn(text));
		expect({ reason: r.reason, category: r.category }).toEqual({ reason, category });
	});
});

describe("providers' own notices without a report part", () => {
	it('an Italian PEC "Mancata consegna" notice is a refusal, not an auto-reply', async () => {
		const notice = [
			'From: Posta Certificata <mailer-daemon@legalmail.example>',
			'To: billing@shop.example',
			'Subject: Mancata consegna: 2. Mahnung: Rechnung INV-9',
			'Auto-Submitted: auto-replied',
			'MIME-Version: 1.0',
			'Content-Type: multipart/mixed; boundary="b1"',
			'',
			'--b1',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Gentile utente,',
			'',
			'il messaggio da lei inviato non è stato consegnato.',
			'',
			'Destinatario: amministrazione@legalmail.example',
			'Motivo: la casella di destinazione è una casella di Posta Elettronica Certificata e non è abilitata alla ricezione di messaggi provenienti da caselle di posta ordinaria.',
			'',
			'--b1',
			'Content-Type: message/rfc822',
			'',
			'From: Buchhaltung <billing@shop.example>',
			'To: amministrazione@legalmail.example',
			'Subject: 2. Mahnung: Rechnung INV-9',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'X-Dunning-Invoice: INV-9',
			'',
			'Bitte zahlen Sie.',
			'--b1--',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(notice);
		expect(r).toMatchObject({ category: 'recipientRefused', recipient: 'amministrazione@legalmail.example', invoiceId: 'INV-9' });
	});

	it("Exchange's delay notice from its system mailbox, pasted without a report part or Return-Path, is a delay", async () => {
		const notice = [
			'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@shop.example>',
			'To: <billing@shop.example>',
			'Subject: Delivery delayed:2. Mahnung: Rechnung INV-9',
			'Content-Type: text/plain; charset=us-ascii',
			'',
			'Delivery is delayed to these recipients or groups:',
			'',
			"'Karl Weber' (k.weber@client.example)",
			'',
			"This message hasn't been delivered yet. Delivery will continue to be attempted.",
			'',
			'Diagnostic information for administrators:',
			'',
			'k.weber@client.example',
			"Remote Server at mail.client.example (192.0.2.44) returned '400 4.4.7 Message delayed'",
			'',
			'Original message headers:',
			'',
			'From: Buchhaltung <billing@shop.example>',
			'Subject: 2. Mahnung: Rechnung INV-9',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'X-Dunning-Invoice: INV-9',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(notice);
		expect(r).toMatchObject({ isBounce: true, recipient: 'k.weber@client.example', category: 'delayed', final: false, invoiceId: 'INV-9' });
	});

	it("Zammad's size notice returning only the reminder's header (text/rfc822-headers): its To is the recipient, the size ours", async () => {
		const notice = [
			'Return-Path: <>',
			'From: MAILER-DAEMON <noreply@support.client.example>',
			'To: billing@shop.example',
			'Subject: [Unzustellbar] =?UTF-8?Q?Nachricht_zu_gro=C3=9F?=',
			'MIME-Version: 1.0',
			'Content-Type: multipart/mixed; boundary="pm"',
			'',
			'--pm',
			'Content-Type: text/plain; charset=UTF-8',
			'',
			'Ihre E-Mail mit dem Betreff "2. Mahnung: Rechnung INV-9" konnte nicht an einen oder mehrere Empfänger zugestellt werden.',
			'',
			'Die Nachricht hatte eine Größe von 14.27 MB, wir akzeptieren jedoch nur E-Mails mit einer Größe von bis zu 10 MB.',
			'--pm',
			'Content-Type: text/rfc822-headers; charset=UTF-8',
			'',
			'From: Buchhaltung <billing@shop.example>',
			'To: Kundenservice <kundenservice@client.example>',
			'Subject: 2. Mahnung: Rechnung INV-9',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'X-Dunning-Invoice: INV-9',
			'--pm--',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(notice);
		expect(r).toMatchObject({ recipient: 'kundenservice@client.example', reason: 'mesgtoobig', category: 'senderRejected', invoiceId: 'INV-9' });
		// A mailbox that can only take small messages any more is no limit on our message.
		const [quota] = await classifyMessage(notice.replace('wir akzeptieren jedoch nur E-Mails mit einer Größe von bis zu 10 MB', 'dieses Postfach kann nur noch Nachrichten bis zu 1 MB annehmen'));
		expect(quota.category).toBe('recipientRefused');
	});

	it("Exchange's system mailbox: a moderator's refusal is the recipient's side; a recall report is no delivery report", async () => {
		const notice = (subject: string, body: string[]) =>
			[
				'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@client.example>',
				'To: Buchhaltung <billing@shop.example>',
				`Subject: ${subject}`,
				'Content-Type: text/plain; charset=utf-8',
				'',
				...body,
				'',
			].join('\r\n');
		const [moderated] = await classifyMessage(
			notice('Rejected: 2. Mahnung: Rechnung INV-9', ['Your message to AP-Team (ap-team@client.example) was rejected by the moderator.', '', '   Subject: 2. Mahnung: Rechnung INV-9']),
		);
		expect(moderated).toMatchObject({ recipient: 'ap-team@client.example', reason: 'filtered', category: 'recipientRefused' });
		const [recall] = await classifyMessage(
			notice('=?UTF-8?Q?Nachrichtenr=C3=BCckruf_fehlgeschlagen:_2._Mahnung?=', ['Der Rückruf dieser Nachricht ist fehlgeschlagen: kunde@client.example', '', '   Betreff: 2. Mahnung: Rechnung INV-9']),
		);
		expect(recall).toMatchObject({ category: 'none', isBounce: false });
	});

	it('a notice naming no address whose returned header shows another copy (our archive Bcc, a resend, a redirect by an inbox rule or Sieve) names no recipient and proves no dead address', async () => {
		const notice = (extra: string) =>
			[
				'From: Mail Delivery System <MAILER-DAEMON@mx.client.example>',
				'To: billing@shop.example',
				'Subject: Undeliverable: 2. Mahnung: Rechnung INV-9',
				'MIME-Version: 1.0',
				'Content-Type: multipart/mixed; boundary="b"',
				'',
				'--b',
				'Content-Type: text/plain',
				'',
				'Your message could not be delivered: 550 5.1.1 User unknown',
				'--b',
				'Content-Type: text/rfc822-headers',
				'',
				'From: Buchhaltung <billing@shop.example>',
				'To: kunde@client.example',
				extra,
				'Subject: 2. Mahnung: Rechnung INV-9',
				'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
				'X-Dunning-Invoice: INV-9',
				'--b--',
				'',
			].join('\r\n');
		for (const extra of ['X-Dunning-Copy: 3f1c9a0b', 'Resent-To: archiv@shop.example', 'X-MS-Exchange-Inbox-Rules-Loop: kunde@client.example', 'X-Sieve-Redirected-From: kunde@client.example']) {
			const [r] = await classifyMessage(notice(extra));
			expect(r).toMatchObject({ recipient: null, category: 'recipientRefused', invoiceId: 'INV-9' });
		}
		const [named] = await classifyMessage(notice('X-Mailer: Outlook'));
		expect(named).toMatchObject({ recipient: 'kunde@client.example', category: 'addressDead' });
	});

	it('a notice whose "nicht zugestellt" is wrapped across two lines is a bounce', async () => {
		const notice = [
			'From: Mail Delivery System <MAILER-DAEMON@gateway.client.example>',
			'To: billing@shop.example',
			'Subject: Information zu Ihrer Nachricht',
			'',
			'Ihre Nachricht an k.mueller@client.example wurde nicht',
			'zugestellt, da der Empfaenger sie nicht innerhalb von 14 Tagen abgerufen hat.',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(notice);
		expect(r).toMatchObject({ isBounce: true, recipient: 'k.mueller@client.example', category: 'recipientRefused' });
	});

	it("XMail's own report (QueUtBuildErrorResponse: \"[<00>] XMail bounce: Rcpt=[…];Error=[…]\") is a bounce", async () => {
		const report = [
			'From: mail.client.example PostMaster <postmaster@client.example>',
			'To: billing@shop.example',
			'Subject: Error sending message [2024031209140512.1710231245.1f0a.mail.client.example] from [mail.client.example]',
			'X-MailerServer: XMail 1.27',
			'',
			'[<00>] XMail bounce: Rcpt=[info@client.example];Error=[The maximum number of delivery attempts has been reached]',
			'',
			'',
			'[<01>] Error sending message [2024031209140512.1710231245.1f0a.mail.client.example] from [mail.client.example].',
			'',
			'ID:        <S1A2B3C4D5>',
			'Mail From: <billing@shop.example>',
			'Rcpt To:   <info@client.example>',
			'',
			'',
			'[<02>] The reason of the delivery failure was:',
			'',
			'The maximum number of delivery attempts has been reached',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(report);
		expect(r).toMatchObject({ isBounce: true, recipient: 'info@client.example', reason: 'expired', category: 'recipientRefused' });
		// The same layout for a temporary error says so (its queue source).
		const temporary = report.replace('The maximum number of delivery attempts has been reached', '451 4.7.1 Greylisted, please try again later') + '\r\n[<03>] Note:\r\n\r\n** This is a temporary error and you do not have to resend the message\r\n';
		const [t] = await classifyMessage(temporary);
		expect(t).toMatchObject({ recipient: 'info@client.example', category: 'delayed', final: false });
	});

	it('a French Domino "Rapport de non-remise" is a bounce', async () => {
		const report = ['From: Postmaster <postmaster@client.example>', 'To: billing@shop.example', 'Subject: Rapport de non-remise', '', "Votre message n'a pas été remis aux destinataires suivants :", '', 'j.martin@client.example', '550 5.1.1 Utilisateur inconnu', ''].join('\r\n');
		const [r] = await classifyMessage(report);
		expect(r).toMatchObject({ isBounce: true, recipient: 'j.martin@client.example' });
	});

	it("a qmail report whose remote reply calls our own sender unknown is about our sender", async () => {
		const report = [
			'Return-Path: <>',
			'From: MAILER-DAEMON@mx.relay.example',
			'To: billing@shop.example',
			'Subject: failure notice',
			'',
			"Hi. This is the qmail-send program at mx.relay.example.",
			"I'm afraid I wasn't able to deliver your message to the following addresses.",
			'This is a permanent error; I\'ve given up. Sorry it didn\'t work out.',
			'',
			'<kunde@example.net>:',
			'192.0.2.7 does not like recipient.',
			'Remote host said: 550 5.1.1 <billing@shop.example>... User unknown',
			'Giving up on 192.0.2.7.',
			'',
			'--- Below this line is a copy of the message.',
			'',
			'From: Buchhaltung <billing@shop.example>',
			'To: kunde@example.net',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'',
		].join('\r\n');
		expect((await classifyMessage(report))[0]).toMatchObject({ recipient: 'kunde@example.net', reason: 'rejected', category: 'senderRejected' });
	});

	it("a postmaster writing about a reply code in quotes is no bounce", async () => {
		const note = ['From: postmaster@kunde.example', 'To: billing@shop.example', 'Subject: Ihre Mahnung', '', "Hallo, in unserem Log stand ('550 5.7.1 Message rejected as spam'), wir haben Sie jetzt freigeschaltet.", ''].join('\r\n');
		expect((await classifyMessage(note))[0].isBounce).toBe(false);
	});

	it("a courier's Italian 'mancata consegna' of a parcel is no bounce", async () => {
		const courier = ['From: BRT <noreply@brt.example>', 'To: billing@shop.example', 'Subject: Avviso di mancata consegna - spedizione 0123456789', '', 'la informiamo che il collo della spedizione n. 0123456789', 'destinata a Mario Rossi (mario.rossi@libero.example), Via Roma 1, 20100 Milano', 'non è stato consegnato per destinatario assente.', ''].join('\r\n');
		expect((await classifyMessage(courier))[0].category).toBe('none');
	});

	it("an Exchange NDR in a language the words do not know is a bounce by its X-MS-Exchange-Message-Is-Ndr mark and quoted reply", async () => {
		const ndr = [
			'Return-Path: <>',
			'From: Microsoft Outlook <postmaster@shop.example>',
			'To: billing@shop.example',
			'Subject: Ei voi toimittaa: 2. Mahnung: Rechnung INV-9',
			'Auto-Submitted: auto-replied',
			'X-MS-Exchange-Message-Is-Ndr:',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Toimitus epäonnistui seuraaville vastaanottajille tai ryhmille:',
			'',
			'reskontra (reskontra@example.fi)',
			'',
			'Järjestelmänvalvojien diagnostiikkatiedot:',
			'',
			'reskontra@example.fi',
			"Remote Server returned '550 5.1.1 <reskontra@example.fi>: Recipient address rejected: User unknown in local recipient table'",
			'',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(ndr);
		expect(r).toMatchObject({ isBounce: true, recipient: 'reskontra@example.fi', status: '5.1.1' });
		expect(r.category).not.toBe('autoReply');
	});
});
