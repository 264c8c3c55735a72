import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { libraryPath, loaderCacheMount, unpackPackages } from '../debian-package';
import { HOSTS, LOCAL_DOMAIN, LOCAL_FULL_USER, LOCAL_USER, MTA_PORT, PEER_PORT } from '../layout';
import { REMOTE_KINDS, type Mta } from '../mta';
import { inMountNamespace, startDaemon, waitForGreeting, withUsers } from '../processes';

/**
 * Exim 4.96 (Debian's exim4-daemon-light, unpacked, never installed) as a foreground daemon with
 * its own configuration (-C), spool and logs. The binary looks up its compiled-in user
 * "Debian-exim" by name, so it runs in a mount namespace whose /etc/passwd has that user (uid and
 * gid of `mail`). Local delivery is appendfile with a 20 kB quota; one mailbox is already 19 kB.
 */
const MAIL_UID = 8;
const MAIL_GID = 8;

function config(dir: string, exim: string): string {
	const routes = Object.values(HOSTS)
		.map((h) => `${h.domain} ${h.ip}`)
		.join(' ; ');
	const routed = Object.values(HOSTS)
		.map((h) => h.domain)
		.join(' : ');
	return `exim_path = ${exim}
primary_hostname = mta.exim.test
qualify_domain = exim.test
spool_directory = ${dir}/spool
log_file_path = ${dir}/log/%slog
pid_file_path = ${dir}/exim.pid
daemon_smtp_ports = ${MTA_PORT}
local_interfaces = 127.0.0.1
domainlist local_domains = ${LOCAL_DOMAIN}
hostlist relay_from_hosts = 127.0.0.1
acl_smtp_rcpt = acl_check_rcpt
rfc1413_hosts =
host_lookup =
keep_environment =
trusted_users = root
tls_advertise_hosts =
# Short delays so that a warning and the expiry arrive within minutes.
delay_warning = 20s
# Exim's default condition sends no warning for Auto-Submitted mail, which reminders are; without
# this, Exim writes no delay notice for them at all (the failure still comes).
delay_warning_condition = true

begin acl
acl_check_rcpt:
  accept hosts = +relay_from_hosts
  deny message = relay not permitted

begin routers
peers:
  driver = manualroute
  domains = ${routed}
  route_list = ${routes}
  transport = remote_smtp
  no_more

dnslookup:
  driver = dnslookup
  domains = ! +local_domains
  transport = remote_smtp
  no_more

local_user:
  driver = accept
  domains = +local_domains
  local_parts = ${LOCAL_USER} : ${LOCAL_FULL_USER}
  transport = local_mbox

begin transports
remote_smtp:
  driver = smtp
  port = ${PEER_PORT}
  connect_timeout = 5s
  command_timeout = 5s
  hosts_avoid_tls = *

local_mbox:
  driver = appendfile
  file = ${dir}/mail/\${local_part_data}
  user = mail
  group = mail
  mode = 0600
  quota = 20K

begin retry
# No retry times: an over-quota mailbox fails at once rather than waiting in the queue.
*   quota
*   *   F,75s,10s
`;
}

export const exim: Mta = {
	name: 'exim',
	kinds: [...REMOTE_KINDS, 'local-user-unknown', 'local-mailbox-full'],
	async start(dir) {
		// libidn12: a library exim4 links against that a fresh machine need not have. Exim re-executes
		// itself (setuid) for each delivery, so it is found through a loader cache, not LD_LIBRARY_PATH.
		const root = unpackPackages('exim', ['exim4-daemon-light', 'exim4-base', 'libidn12']);
		const bin = join(root, 'usr', 'sbin', 'exim4');
		for (const d of ['spool', 'log', 'mail']) {
			mkdirSync(join(dir, d), { recursive: true });
			chownSync(join(dir, d), MAIL_UID, MAIL_GID);
		}
		const full = join(dir, 'mail', LOCAL_FULL_USER);
		writeFileSync(full, `From someone@example.net Mon Nov 30 10:00:00 2026\nSubject: old mail\n\n${`${'x'.repeat(76)}\n`.repeat(250)}\n`);
		chownSync(full, MAIL_UID, MAIL_GID);
		const conf = join(dir, 'exim.conf');
		writeFileSync(conf, config(dir, bin));
		const binds = [...withUsers(dir, [{ name: 'Debian-exim', uid: MAIL_UID, gid: MAIL_GID }]), loaderCacheMount(dir, root)];
		const [cmd, args] = inMountNamespace(binds, bin, ['-C', conf, '-bdf', '-q10s']);
		startDaemon(cmd, args, { logFile: join(dir, 'daemon.out'), env: { LD_LIBRARY_PATH: libraryPath(root) } });
		await waitForGreeting(MTA_PORT, 'Exim');
	},
	async stop() {
		// The daemon is stopped by pid (processes.ts); its delivery children end with it.
	},
};
