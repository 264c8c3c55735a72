import { HOSTS, PEER_PORT } from './layout';
import { startPeer, type PeerScript, type RunningPeer } from './smtp-peer';

/**
 * Gmail's answer to mail that fails the From domain's DMARC policy, a multi-line reply (RFC 5321
 * §4.2.1) that each MTA quotes in its own way (wording as in Broadcom KB 221490 and Gmail's error
 * reference; our sender domain and a made-up queue id).
 */
const GMAIL_DMARC_REFUSAL = [
	"550-5.7.26 Unauthenticated email from shop.test is not accepted due to domain's",
	'550-5.7.26 DMARC policy. Please contact the administrator of shop.test domain',
	'550-5.7.26 if this was a legitimate mail. Please visit',
	'550-5.7.26  https://support.google.com/mail/answer/2451690 to learn about the',
	'550 5.7.26 DMARC initiative. a1si123456qkb.42 - gsmtp',
].join('\r\n');

/** The remote side of each scenario (see scenarios.ts). Nothing listens on HOSTS.closed. */
const SCRIPTS: { ip: string; host: string; script: PeerScript }[] = [
	{
		ip: HOSTS.mx.ip,
		host: 'mx1.mx.test',
		script: {
			onRcpt: (to) => {
				// Postfix smtpd's wording for both refusals.
				if (!to.endsWith(`@${HOSTS.mx.domain}`)) return `554 5.7.1 <${to}>: Relay access denied`;
				if (to.startsWith('kunde.unbekannt@')) return `550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual mailbox table`;
				// Dovecot's default quota_exceeded_message.
				if (to.startsWith('kunde.voll@')) return `552 5.2.2 <${to}> Quota exceeded (mailbox for user is full)`;
				return null;
			},
			onData: (recipients) => {
				// rspamd's default text for its "reject" action.
				if (recipients.some((r) => r.startsWith('kunde.spam@'))) return '554 5.7.1 Spam message rejected';
				// Gmail's multi-line DMARC refusal after DATA, as real transcripts show it.
				if (recipients.some((r) => r.startsWith('kunde.dmarc@'))) return GMAIL_DMARC_REFUSAL;
				// A recipient's own sender filter that words its "no" as an unknown user, after DATA (the
				// Japanese carriers' habit, issue 12; real reports quote "550 <address>: User unknown").
				const filtered = recipients.find((r) => r.startsWith('kunde.filter@'));
				if (filtered) return `550 <${filtered}>: User unknown`;
				return null;
			},
		},
	},
	{ ip: HOSTS.small.ip, host: 'mx.small.test', script: { sizeLimit: 2000 } },
	{
		ip: HOSTS.strict.ip,
		host: 'mx.strict.test',
		// Postfix's check_sender_access REJECT wording, given at MAIL FROM.
		script: { onMail: (from) => `550 5.7.1 <${from}>: Sender address rejected: Access denied` },
	},
	{
		ip: HOSTS.grey.ip,
		host: 'mx.grey.test',
		// postgrey's default reply.
		script: { onRcpt: (to) => `450 4.7.1 <${to}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/grey.test.html` },
	},
	{ ip: HOSTS.silent.ip, host: 'mx.silent.test', script: { silent: true } },
];

export async function startPeers(): Promise<RunningPeer[]> {
	const started: RunningPeer[] = [];
	try {
		for (const p of SCRIPTS) started.push(await startPeer(p.ip, PEER_PORT, p.host, p.script));
	} catch (err) {
		await Promise.all(started.map((s) => s.close()));
		throw err;
	}
	return started;
}
