/**
 * What an operator must do when reminders are refused because of our own sender, message or host
 * (category `senderRejected`), or when the mailbox refuses us while sending (login, TLS): the
 * cause in words a merchant understands, and the fix. Used for the paused mailbox's message.
 */

/** A refusal or failure to explain. `reason` is a bounce reason (authfailure, blocked …) or a send failure kind (auth, tls). */
export interface SenderProblem {
	reason: string | null;
	/** RFC 3463 status, e.g. 5.7.26, when known. */
	status?: string | null;
	/** The remote server's words. */
	diagnostic?: string | null;
	/** The server that refused, when known. */
	remoteMta?: string | null;
	/** The refusal came behind the customer's forward (the report's original recipient is not the failed one). */
	forwarded?: boolean;
}

export interface SenderAdvice {
	/** Short machine-friendly label of the cause, e.g. `dmarc`, `blocklist`, `login`. */
	cause: string;
	/** The cause in words: "DMARC (5.7.26)". */
	because: string;
	/** What to change. */
	fix: string;
}

/** An advice without its status: the cause, what it is in words (`label`) and the fix. */
export type AdviceEntry = Omit<SenderAdvice, 'because'> & { label: string };

/** The advice of an entry, with the status (when known) added to its words: "DMARC (5.7.26)". */
export function adviceOf(entry: AdviceEntry, status: string | null | undefined): SenderAdvice {
	return { cause: entry.cause, because: `${entry.label}${status ? ` (${status})` : ''}`, fix: entry.fix };
}

/** Which authentication check failed, from the server's words or the status code (RFC 7372 §3). */
function authCheck(problem: SenderProblem): 'dmarc' | 'dkim' | 'spf' | null {
	const words = `${problem.diagnostic ?? ''}`.toLowerCase();
	if (/\bdmarc\b/.test(words) || (problem.status === '5.7.26' && !/\b(?:spf|dkim)\b/.test(words))) return 'dmarc';
	if (/\bdkim\b/.test(words) || problem.status === '5.7.20' || problem.status === '5.7.21' || problem.status === '5.7.22') return 'dkim';
	if (/\bspf\b|sender policy framework/.test(words) || problem.status === '5.7.23' || problem.status === '5.7.24' || problem.status === '5.7.25') return 'spf';
	return null;
}

const AUTH_ADVICE: Record<'dmarc' | 'dkim' | 'spf', AdviceEntry> = {
	dmarc: {
		cause: 'dmarc',
		label: 'DMARC',
		fix: "add the SMTP host to the domain's SPF record and turn on DKIM signing for the sender domain, so that the From address passes DMARC",
	},
	dkim: {
		cause: 'dkim',
		label: 'DKIM',
		fix: "turn on DKIM signing at your mail provider and publish its key in the sender domain's DNS",
	},
	spf: {
		cause: 'spf',
		label: 'SPF',
		fix: "add the SMTP host (or your provider's include) to the SPF record of the sender domain",
	},
};

const REASON_ADVICE: Record<string, AdviceEntry> = {
	authfailure: {
		cause: 'authentication',
		label: 'failed sender authentication (SPF/DKIM/DMARC)',
		fix: "check the sender domain's SPF record (it must name the SMTP host) and turn on DKIM signing",
	},
	blocked: {
		cause: 'blocklist',
		label: 'a block of the sending server (blocklist)',
		fix: "look the sending IP up on the blocklists the refusal names (e.g. Spamhaus), ask your mail provider to have it delisted, or send through your provider's own submission server",
	},
	badreputation: {
		cause: 'reputation',
		label: 'the poor reputation of the sending server or domain',
		fix: 'send through your provider’s submission server, slow down (raise minSecondsBetween) and make sure SPF and DKIM pass',
	},
	requireptr: {
		cause: 'reverseDns',
		label: 'a missing reverse DNS (PTR) record of the sending IP',
		fix: 'ask your hoster to set a PTR record for the sending IP that matches the SMTP host name',
	},
	norelaying: {
		cause: 'relaying',
		label: 'relaying denied',
		fix: 'check that the SMTP host, login and sender address in the credential belong to the same mailbox',
	},
	securityerror: {
		cause: 'security',
		label: 'a security policy of the receiving server',
		fix: 'make sure the SMTP connection uses TLS and that SPF and DKIM pass for the sender domain',
	},
	failedstarttls: {
		cause: 'tls',
		label: 'a failed TLS (STARTTLS) handshake',
		fix: 'check that your SMTP server offers current TLS versions and a valid certificate',
	},
	rejected: {
		cause: 'senderAddress',
		label: 'a refusal of the sender address',
		fix: 'check that the sender address in the credential exists and that its domain has valid MX and SPF records',
	},
	spamdetected: {
		cause: 'spam',
		label: 'a spam verdict on the reminder',
		fix: 'check the reminder texts (no shortened links, no all-caps subject), keep attachments small and make sure SPF and DKIM pass',
	},
	contenterror: {
		cause: 'content',
		label: 'a refusal of the reminder’s content',
		fix: 'check the reminder texts and attachments the refusal names (file types, links)',
	},
	policyviolation: {
		cause: 'policy',
		label: 'a content policy of the receiving server',
		fix: 'check the reminder texts and attachments against the policy the refusal names',
	},
	virusdetected: {
		cause: 'virus',
		label: 'a virus alarm on an attachment',
		fix: 'check the attachments (invoice PDFs) with a virus scanner and re-create them',
	},
	mesgtoobig: {
		cause: 'size',
		label: 'the size of the reminder',
		fix: 'attach fewer or smaller files (compress the PDFs)',
	},
	exceedlimit: {
		cause: 'size',
		label: 'a size or count limit',
		fix: 'attach fewer or smaller files, or send fewer reminders per customer',
	},
	speeding: {
		cause: 'rate',
		label: 'sending too fast',
		fix: 'raise minSecondsBetween in the Settings of Send released reminders (60 s or more)',
	},
	toomanyconn: {
		cause: 'rate',
		label: 'too many connections',
		fix: 'raise minSecondsBetween in the Settings of Send released reminders and run only one sender per mailbox',
	},
	ratelimited: {
		cause: 'rate',
		label: 'a sending limit',
		fix: 'raise minSecondsBetween in the Settings of Send released reminders (60 s or more)',
	},
	notcompliantrfc: {
		cause: 'format',
		label: 'the format of the message',
		fix: 'check custom templates for broken headers; if the shipped texts are refused, report it to the n8n-nodes-dunning project',
	},
	syntaxerror: {
		cause: 'format',
		label: 'an SMTP syntax error',
		fix: 'check the sender address in the credential; if it is right, report it to the n8n-nodes-dunning project',
	},
	auth: {
		cause: 'login',
		label: 'a refused login to your SMTP server',
		fix: 'check user and password in the Dunning Mailbox (SMTP) credential (Microsoft 365 and Gmail need an app password or OAuth2) and test it with the workflow Mailbox check',
	},
	tls: {
		cause: 'tls',
		label: 'a failed TLS connection to your SMTP server',
		fix: 'check port and security in the credential (465 = SSL/TLS, 587 = STARTTLS) and whether the server’s certificate is valid',
	},
};

const UNKNOWN: AdviceEntry = {
	cause: 'other',
	label: 'a refusal of your sender',
	fix: 'read the refusal in the bounce (dunning_reminders, column error) and ask your mail provider',
};

/** The cause and fix for a sender problem; never throws. */
export function senderAdvice(problem: SenderProblem): SenderAdvice {
	const check = problem.reason === 'authfailure' || problem.reason === 'securityerror' || !problem.reason ? authCheck(problem) : null;
	const entry = (check ? AUTH_ADVICE[check] : undefined) ?? (problem.reason ? REASON_ADVICE[problem.reason] : undefined) ?? UNKNOWN;
	return adviceOf(entry, problem.status);
}

/** Whether one such refusal is enough to stop sending: a failed SPF/DKIM/DMARC check will fail every reminder. */
export function pausesAtOnce(problem: SenderProblem): boolean {
	if (problem.reason === 'auth' || problem.reason === 'tls') return true;
	// RFC 7208 §2.6.6: a temperror is a transient (DNS) error of the check, no verdict, and RFC 3463
	// class 4 a transient condition (RFC 7372's 4.7.24): it counts among the refusals, but alone does
	// not show that every reminder will fail.
	const diagnostic = problem.diagnostic ?? '';
	if (problem.status?.startsWith('4.') || (/\btemp ?error\b/i.test(diagnostic) && !/\bfail(?:s|ed|ure)?\b/i.test(diagnostic))) return false;
	// Behind the customer's forward (RFC 7960 §3.2.1: an indirect flow breaks SPF, and DKIM where the
	// forwarder alters the message) a failed check shows their forward failing, not every reminder.
	if (problem.forwarded) return false;
	if (problem.reason === 'authfailure') return true;
	return (problem.reason === 'securityerror' || problem.reason === null) && authCheck(problem) !== null;
}
