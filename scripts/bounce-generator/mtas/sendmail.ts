import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { libraryPath, unpackPackages } from '../debian-package';
import { HOSTS, MTA_PORT, PEER_PORT } from '../layout';
import { REMOTE_KINDS, type Mta } from '../mta';
import { inMountNamespace, run, startDaemon, waitForGreeting } from '../processes';

/**
 * Sendmail 8.17 (Debian's sendmail-bin, -cf and m4, unpacked) as a foreground daemon (-bD) with a
 * sendmail.cf built from our own .mc: queue, pid and statistics in the run folder, a mailertable
 * that sends each test domain to its peer's IP, and the esmtp mailer on PEER_PORT. Unresolvable
 * sender domains are accepted (shop.test has no DNS). Sendmail insists on a fully qualified name
 * for this host before it reads any option (else it sleeps and retries): it runs in a mount
 * namespace whose /etc/hosts gives one. Local delivery would need system users: remote kinds only.
 */
function mc(dir: string, cfDir: string): string {
	return `divert(-1)
divert(0)dnl
include(\`${cfDir}/m4/cf.m4')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mta.sendmail.test')dnl
define(\`QUEUE_DIR', \`${dir}/mqueue')dnl
define(\`confPID_FILE', \`${dir}/sendmail.pid')dnl
define(\`STATUS_FILE', \`${dir}/statistics')dnl
define(\`confHOST_STATUS_DIRECTORY', \`')dnl
define(\`ALIAS_FILE', \`${dir}/aliases')dnl
dnl The run folder is under /tmp (world-writable): Sendmail would not open maps there otherwise.
define(\`confDONT_BLAME_SENDMAIL', \`MapInUnsafeDirPath,GroupWritableDirPathSafe')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confDEF_USER_ID', \`8:8')dnl
define(\`confTO_QUEUEWARN', \`20s')dnl
define(\`confTO_QUEUERETURN', \`75s')dnl
define(\`confTO_CONNECT', \`5s')dnl
define(\`confTO_ICONNECT', \`5s')dnl
define(\`confTO_INITIAL', \`5s')dnl
define(\`confMIN_QUEUE_AGE', \`0')dnl
define(\`confDELIVERY_MODE', \`background')dnl
define(\`ESMTP_MAILER_ARGS', \`TCP $h ${PEER_PORT}')dnl
define(\`SMTP_MAILER_ARGS', \`TCP $h ${PEER_PORT}')dnl
define(\`RELAY_MAILER_ARGS', \`TCP $h ${PEER_PORT}')dnl
DAEMON_OPTIONS(\`Port=${MTA_PORT}, Addr=127.0.0.1, Name=MTA')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`accept_unresolvable_domains')dnl
FEATURE(\`promiscuous_relay')dnl
FEATURE(\`mailertable', \`hash -o ${dir}/mailertable')dnl
MAILER(\`local')dnl
MAILER(\`smtp')dnl
`;
}

export const sendmail: Mta = {
	name: 'sendmail',
	kinds: REMOTE_KINDS,
	async start(dir) {
		const root = unpackPackages('sendmail', ['sendmail-bin', 'sendmail-base', 'sendmail-cf', 'm4']);
		const env = { LD_LIBRARY_PATH: libraryPath(root) };
		mkdirSync(join(dir, 'mqueue'), { recursive: true });
		chmodSync(join(dir, 'mqueue'), 0o700);
		writeFileSync(join(dir, 'statistics'), '');
		writeFileSync(join(dir, 'aliases'), 'postmaster: root\nMAILER-DAEMON: postmaster\n');
		writeFileSync(join(dir, 'sendmail.mc'), mc(dir, join(root, 'usr', 'share', 'sendmail', 'cf')));
		const cf = join(dir, 'sendmail.cf');
		writeFileSync(cf, run(join(root, 'usr', 'bin', 'm4'), [join(dir, 'sendmail.mc')], env));
		run(join(root, 'usr', 'libexec', 'sendmail', 'makemap'), ['-C', cf, 'hash', join(dir, 'aliases')], env, 'postmaster root\nMAILER-DAEMON postmaster\n@ @\n');
		const routes = Object.values(HOSTS).map((h) => `${h.domain}\tesmtp:[${h.ip}]\n`).join('');
		run(join(root, 'usr', 'libexec', 'sendmail', 'makemap'), ['-C', cf, 'hash', join(dir, 'mailertable')], env, routes);
		const hosts = join(dir, 'hosts');
		writeFileSync(hosts, `127.0.0.1 mta.sendmail.test ${hostname()}\n${readFileSync('/etc/hosts', 'utf8')}`);
		const [cmd, args] = inMountNamespace([[hosts, '/etc/hosts']], join(root, 'usr', 'libexec', 'sendmail', 'sendmail'), ['-C', cf, '-bD', '-q10s']);
		startDaemon(cmd, args, { logFile: join(dir, 'daemon.out'), env });
		await waitForGreeting(MTA_PORT, 'Sendmail');
	},
	async stop() {
		// Stopped by pid (processes.ts); its queue runners are its children.
	},
};
