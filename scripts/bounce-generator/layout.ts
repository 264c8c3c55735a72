/**
 * Where everything of the bounce generator lives on loopback. The MTA under test listens on
 * 127.0.0.1:MTA_PORT; every "remote" host is a scripted peer on its own loopback address and the
 * same PEER_PORT, so each MTA needs only "relay this domain to that IP" (Sendmail's mailer can
 * carry one port for all hosts, not one per domain). Ports stay clear of the mail sandbox's
 * 10024/10025/10029/10143/10993, which other tests use while this runs.
 */
export const MTA_PORT = 12525;
export const PEER_PORT = 12527;

export const WORK_ROOT = process.env.BOUNCE_GEN_DIR ?? '/tmp/bounce-gen';

/** Our sender: reminders come from here, and the DSNs go back here (to the catcher). */
export const SENDER = 'dunning@shop.test';
export const SENDER_DOMAIN = 'shop.test';

export interface PeerHost {
	domain: string;
	ip: string;
}

/** Domains routed to scripted peers (see peers.ts for what each one answers). */
export const HOSTS = {
	/** A mailbox provider: refuses unknown users, full mailboxes, spam at DATA, and relaying. */
	mx: { domain: 'mx.test', ip: '127.0.0.2' },
	/** Any other domain routed to the provider's MX, which is not its destination: relay denied. */
	foreign: { domain: 'fremd.test', ip: '127.0.0.2' },
	/** A server with a 2,000-byte size limit (SIZE extension, RFC 1870). */
	small: { domain: 'small.test', ip: '127.0.0.3' },
	/** A server that refuses our envelope sender at MAIL FROM. */
	strict: { domain: 'strict.test', ip: '127.0.0.4' },
	/** A greylisting server that never lets us through in time. */
	grey: { domain: 'grey.test', ip: '127.0.0.5' },
	/** A server that accepts the TCP connection and never says a word: timeouts. */
	silent: { domain: 'silent.test', ip: '127.0.0.6' },
	/** Nothing listens here: connection refused. */
	closed: { domain: 'closed.test', ip: '127.0.0.7' },
	/** The catcher that receives the DSNs for our sender domain. */
	catcher: { domain: SENDER_DOMAIN, ip: '127.0.0.8' },
} satisfies Record<string, PeerHost>;

/** RFC 2606 reserves .invalid: the resolver answers NXDOMAIN, a real "unknown domain". */
export const UNKNOWN_DOMAIN = 'kein-server.invalid';

/** Delivered by the MTA under test itself (only for MTAs whose local delivery we configure). */
export const LOCAL_DOMAIN = 'local.test';
export const LOCAL_USER = 'kunde';
/** A local mailbox already over the MTA's quota/size limit. */
export const LOCAL_FULL_USER = 'voll';

/** Routes every MTA needs: domain → peer IP (PEER_PORT). */
export const ROUTES: readonly PeerHost[] = Object.values(HOSTS);

/** How long the generator waits for all DSNs of one MTA (OpenSMTPD's 5-minute greeting timeout included). */
export const COLLECT_TIMEOUT_MS = 7 * 60 * 1000;
