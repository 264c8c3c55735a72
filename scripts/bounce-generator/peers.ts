import { HOSTS, PEER_PORT } from './layout';
import { startPeer, type PeerScript, type RunningPeer } from './smtp-peer';

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
			// rspamd's default text for its "reject" action.
			onData: (recipients) => (recipients.some((r) => r.startsWith('kunde.spam@')) ? '554 5.7.1 Spam message rejected' : null),
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
