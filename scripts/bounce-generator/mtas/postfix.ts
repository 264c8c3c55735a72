import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { HOSTS, LOCAL_DOMAIN, LOCAL_FULL_USER, LOCAL_USER, MTA_PORT, PEER_PORT } from '../layout';
import { REMOTE_KINDS, type Mta } from '../mta';
import { run, waitForGreeting } from '../processes';

/**
 * Postfix 3.7, the installed binaries (the sandbox needs the package) run as a separate instance
 * with `postfix -c <dir>`: its own main.cf/master.cf, queue, data folder and log, smtpd on
 * MTA_PORT. Fixtures go to postfix-standalone/ (postfix/ belongs to the sandbox's generator).
 * Local delivery is virtual(8) into mbox files under the run folder with a 20 kB mailbox limit;
 * one mailbox is already 19 kB full, so "mailbox full" is Postfix's own report.
 */
function mainCf(dir: string, uid: number, gid: number): string {
	const transport = Object.values(HOSTS)
		.map((h) => `${h.domain}=smtp:[${h.ip}]:${PEER_PORT}`)
		.join(', ');
	return `compatibility_level = 3.6
config_directory = ${dir}/etc
queue_directory = ${dir}/queue
data_directory = ${dir}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-bouncegen
maillog_file = ${dir}/maillog
maillog_file_prefixes = ${dir}
myhostname = mta.postfix.test
mydomain = postfix.test
myorigin = $myhostname
mydestination =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_peername_lookup = no
append_dot_mydomain = no
biff = no
transport_maps = inline:{${transport}}
virtual_mailbox_domains = ${LOCAL_DOMAIN}
virtual_mailbox_maps = inline:{${LOCAL_USER}@${LOCAL_DOMAIN}=${LOCAL_USER}, ${LOCAL_FULL_USER}@${LOCAL_DOMAIN}=${LOCAL_FULL_USER}}
virtual_mailbox_base = ${dir}/vmail
virtual_uid_maps = static:${uid}
virtual_gid_maps = static:${gid}
message_size_limit = 10240
virtual_mailbox_limit = 20480
smtpd_reject_unlisted_recipient = no
smtp_connect_timeout = 5s
smtp_helo_timeout = 5s
smtp_tls_security_level = none
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 20s
maximal_queue_lifetime = 75s
bounce_queue_lifetime = 75s
delay_warning_time = 20s
`;
}

const MASTER_CF = (port: number) => `127.0.0.1:${port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;

function ids(user: string): { uid: number; gid: number } {
	return { uid: Number(run('id', ['-u', user])), gid: Number(run('id', ['-g', user])) };
}

export const postfixStandalone: Mta = {
	name: 'postfix-standalone',
	kinds: [...REMOTE_KINDS, 'local-user-unknown', 'local-mailbox-full'],
	async start(dir) {
		const { uid, gid } = ids('postfix');
		for (const d of ['etc', 'queue', 'data', 'vmail']) mkdirSync(join(dir, d), { recursive: true });
		chownSync(join(dir, 'data'), uid, gid);
		chownSync(join(dir, 'vmail'), uid, gid);
		writeFileSync(join(dir, 'etc', 'main.cf'), mainCf(dir, uid, gid));
		const full = join(dir, 'vmail', LOCAL_FULL_USER);
		writeFileSync(full, `From someone@example.net Mon Nov 30 10:00:00 2026\nSubject: old mail\n\n${`${'x'.repeat(76)}\n`.repeat(250)}\n`);
		chownSync(full, uid, gid);
		writeFileSync(join(dir, 'etc', 'master.cf'), MASTER_CF(MTA_PORT));
		run('postfix', ['-c', join(dir, 'etc'), 'start']);
		await waitForGreeting(MTA_PORT, 'Postfix');
	},
	async stop(dir) {
		run('postfix', ['-c', join(dir, 'etc'), 'stop']);
	},
};
