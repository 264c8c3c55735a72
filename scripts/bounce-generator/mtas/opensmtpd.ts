import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { libraryPath, unpackPackages } from '../debian-package';
import { HOSTS, MTA_PORT, PEER_PORT } from '../layout';
import { REMOTE_KINDS, type Mta } from '../mta';
import { inMountNamespace, startDaemon, waitForGreeting, withUsers } from '../processes';

/**
 * OpenSMTPD 6.8 (Debian's opensmtpd, unpacked) in the foreground (-d) with its own smtpd.conf.
 * Its spool (/var/spool/smtpd), privilege-separation chroot (/var/lib/opensmtpd/empty) and users
 * (opensmtpd, opensmtpq) are compiled in: it runs in a mount namespace where /var/spool,
 * /var/lib and /etc/passwd are this run's own. Local delivery needs system users, so only the
 * remote kinds are provoked.
 */
const UID = 60;
function config(): string {
	const actions = Object.entries(HOSTS).map(([name, h]) => `action "to-${name}" relay host "smtp://${h.ip}:${PEER_PORT}"`);
	const matches = Object.entries(HOSTS).map(([name, h]) => `match from any for domain "${h.domain}" action "to-${name}"`);
	return [
		'# Short lifetimes so that a warning and the expiry arrive within minutes.',
		'queue ttl 75s',
		'bounce warn-interval 20s',
		`listen on 127.0.0.1 port ${MTA_PORT} hostname mta.opensmtpd.test`,
		...actions,
		'action "outbound" relay',
		...matches,
		'match from any for any action "outbound"',
		'',
	].join('\n');
}

export const opensmtpd: Mta = {
	name: 'opensmtpd',
	kinds: REMOTE_KINDS,
	async start(dir) {
		const root = unpackPackages('opensmtpd', ['opensmtpd']);
		const spool = join(dir, 'var-spool');
		const lib = join(dir, 'var-lib');
		mkdirSync(join(spool, 'smtpd'), { recursive: true });
		chmodSync(join(spool, 'smtpd'), 0o711);
		mkdirSync(join(lib, 'opensmtpd', 'empty'), { recursive: true });
		chmodSync(join(lib, 'opensmtpd', 'empty'), 0o755);
		const conf = join(dir, 'smtpd.conf');
		writeFileSync(conf, config());
		chmodSync(conf, 0o644);
		const binds: [string, string][] = [
			...withUsers(dir, [
				{ name: 'opensmtpd', uid: UID, gid: UID },
				{ name: 'opensmtpq', uid: UID + 1, gid: UID + 1 },
			]),
			[spool, '/var/spool'],
			[lib, '/var/lib'],
		];
		const [cmd, args] = inMountNamespace(binds, join(root, 'usr', 'sbin', 'smtpd'), ['-d', '-f', conf]);
		startDaemon(cmd, args, { logFile: join(dir, 'daemon.out'), env: { LD_LIBRARY_PATH: libraryPath(root) } });
		await waitForGreeting(MTA_PORT, 'OpenSMTPD');
	},
	async stop() {
		// Stopped by pid (processes.ts).
	},
};
