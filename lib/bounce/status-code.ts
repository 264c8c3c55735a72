import type { BounceReason } from './types';

// Not followed by more of a number: `(?!\.*\d)` says what `(?![\d.]*\d)` says without rescanning a long run of digits.
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.*\d)/g;
const REPLY = /(?<![\d.#:/-])([245]\d\d)(?=[ -]|$)/;

/** All RFC 3463 codes in a text, in order of appearance. */
export function findStatusCodes(text: string): string[] {
	const out: string[] = [];
	ENHANCED.lastIndex = 0;
	let m: RegExpExecArray | null;
	while ((m = ENHANCED.exec(text))) {
		const subject = Number(m[2]);
		const detail = Number(m[3]);
		// Subjects above 7 do not exist (RFC 3463 §3); such numbers are versions, dates or IPs.
		if (subject > 7 || detail > 999) continue;
		out.push(`${m[1]}.${subject}.${detail}`);
	}
	return out;
}

export function isGenericStatus(code: string): boolean {
	return /^\d\.0\.0$/.test(code);
}

/**
 * The most telling code of a text: the first one whose subject or detail is not zero, since
 * relays wrap the remote server's specific code in their own generic one.
 */
export function bestStatusCode(text: string, failuresOnly = false): string | null {
	const codes = findStatusCodes(text).filter((c) => !failuresOnly || c[0] !== '2');
	if (!codes.length) return null;
	// Relays quote the remote reply inside their own ("554 4.4.7 expired <421 4.4.2 timed out>"):
	// the innermost, last precise code is the one that tells what happened.
	const precise = codes.filter((c) => !/\.0$/.test(c));
	if (precise.length) return precise[precise.length - 1];
	return codes.find((c) => !isGenericStatus(c)) ?? codes[0];
}

/** First SMTP reply code (e.g. "550") in a text. */
export function findReplyCode(text: string, failuresOnly = false): string | null {
	const lines = text.split(/\n/);
	for (const line of lines) {
		const m = REPLY.exec(line);
		if (m && failuresOnly && m[1][0] === '2') continue;
		if (m && !/^\s*\d{1,2}:\d\d/.test(line.slice(m.index))) return m[1];
	}
	return null;
}

/** RFC 3463 (+ RFC 7372, RFC 7505, RFC 8689) subject/detail → reason, used when the text says nothing more specific. */
export function reasonFromStatus(code: string): BounceReason | null {
	const [cls, subj, det] = code.split('.').map(Number);
	if (cls === 2) return 'delivered';
	const key = `${subj}.${det}`;
	const table: Record<string, BounceReason> = {
		'1.0': 'userunknown',
		'1.1': 'userunknown',
		'1.2': 'hostunknown',
		// RFC 3463 X.1.3 "bad destination mailbox address syntax": the recipient's address, not our
		// protocol (X.5.x) nor our sender (X.1.7).
		'1.3': 'userunknown',
		'1.4': 'userunknown',
		'1.5': 'userunknown',
		'1.6': 'hasmoved',
		'1.7': 'rejected',
		'1.8': 'rejected',
		'1.9': 'systemerror',
		// RFC 7505 (§6 registers X.1.10 "Recipient address has null MX", sent with RFC 7504's 556): the
		// recipient's domain takes no mail at all, the reason a null MX has in words (notaccept).
		'1.10': 'notaccept',
		'2.0': 'filtered',
		'2.1': 'suspend',
		'2.2': 'mailboxfull',
		'2.3': 'exceedlimit',
		'2.4': 'systemerror',
		'3.0': 'systemerror',
		'3.1': 'systemfull',
		// RFC 3463 X.3.2 "system not accepting network messages": shutdown, load, maintenance; a
		// host's state, not a null MX (RFC 7505's notaccept proves no address dead from it).
		'3.2': 'systemerror',
		'3.3': 'systemerror',
		'3.4': 'mesgtoobig',
		'3.5': 'systemerror',
		'4.0': 'networkerror',
		'4.1': 'networkerror',
		'4.2': 'networkerror',
		'4.3': 'systemerror',
		'4.4': 'hostunknown',
		'4.5': 'systemfull',
		'4.6': 'networkerror',
		'4.7': 'expired',
		'5.1': 'syntaxerror',
		'5.2': 'syntaxerror',
		// RFC 3463 §3.6 X.5.3 "Too many recipients": the message is to be split and the rest sent later;
		// RFC 5321 §4.5.3.1.10 has clients treat even a 552 for it as the temporary 452, "insufficient
		// system storage" (§4.2.3). The receiving system's limit, not a sending rate of ours.
		'5.3': 'systemfull',
		'5.4': 'syntaxerror',
		'5.5': 'systemerror',
		'5.6': 'contenterror',
		'6.0': 'contenterror',
		'6.1': 'contenterror',
		'6.2': 'contenterror',
		'6.3': 'contenterror',
		'6.4': 'contenterror',
		'6.5': 'contenterror',
		'6.6': 'contenterror',
		'6.7': 'contenterror',
		'6.8': 'contenterror',
		'6.9': 'contenterror',
		'6.10': 'contenterror',
		'7.0': 'securityerror',
		'7.1': 'securityerror',
		'7.2': 'filtered',
		'7.3': 'securityerror',
		'7.4': 'securityerror',
		'7.5': 'securityerror',
		'7.6': 'securityerror',
		'7.7': 'securityerror',
		'7.8': 'securityerror',
		'7.9': 'policyviolation',
		'7.10': 'securityerror',
		'7.11': 'failedstarttls',
		'7.13': 'suspend',
		'7.14': 'securityerror',
		'7.15': 'policyviolation',
		'7.16': 'policyviolation',
		'7.17': 'policyviolation',
		'7.18': 'policyviolation',
		'7.19': 'policyviolation',
		'7.20': 'authfailure',
		'7.21': 'authfailure',
		'7.22': 'authfailure',
		'7.23': 'authfailure',
		'7.24': 'authfailure',
		'7.25': 'requireptr',
		'7.26': 'authfailure',
		// RFC 7505 §4.2 (registered in §6): X.7.27 "Sender address has null MX", our sender's domain, as
		// its words say (diagnostic-reason.ts); Sendmail's X.7.27 for a recipient host is read by its words.
		'7.27': 'rejected',
		'7.28': 'speeding',
		'7.29': 'authfailure',
		'7.30': 'failedstarttls',
	};
	if (table[key]) return table[key];
	if (subj === 0) return null;
	return null;
}

/** Codes whose meaning is precise enough that the diagnostic text does not override them. */
export function isSpecificStatus(code: string): boolean {
	const [, subj, det] = code.split('.').map(Number);
	const key = `${subj}.${det}`;
	// X.7.27 is not among them: RFC 7505 §4.2 defines it for the sender's null MX, Sendmail writes it
	// for a recipient host that accepts no mail ("550 Host does not accept mail"), and Gmail for an SPF
	// failure (its SMTP error reference): the words decide. Nor X.7.30: RFC 8689's REQUIRETLS, which
	// Gmail writes for a DKIM check that did not pass.
	return ['1.2', '1.3', '1.6', '1.7', '1.8', '2.2', '2.3', '4.5', '3.4', '7.13', '7.20', '7.21', '7.22', '7.23', '7.24', '7.25', '7.26', '7.29'].includes(key);
}
