import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { libraryPath, loaderCacheMount, unpackPackages } from '../debian-package';
import { HOSTS, MTA_PORT, PEER_PORT } from '../layout';
import { REMOTE_KINDS, type Mta } from '../mta';
import { inMountNamespace, run, sleep, startDaemon, waitForGreeting, withUsers } from '../processes';

/**
 * Courier 1.0.16 (Debian's courier-mta and courier-base, unpacked). Courier's folders are
 * compiled in (/etc/courier, /usr/lib/courier, /var/lib/courier, /run/courier): it runs in a mount
 * namespace where those are this run's own (the empty mount points are created on the host if
 * missing and removed afterwards). courierd schedules, couriertcpd + courieresmtpd take the
 * reminders on MTA_PORT, esmtproutes sends each test domain to its peer. Remote kinds only.
 */
const UID = 62;
const MOUNT_POINTS = ['/etc/courier', '/usr/lib/courier', '/var/lib/courier', '/run/courier'];
const createdMountPoints: string[] = [];

/** Control files (courier(8)): short queue and retry times so that warnings and expiry come in minutes. */
function controlFiles(): Record<string, string> {
	return {
		me: 'mta.courier.test',
		defaultdomain: 'courier.test',
		esmtproutes: Object.values(HOSTS)
			.map((h) => `${h.domain}: [${h.ip}],${PEER_PORT}`)
			.join('\n'),
		queuetime: '90',
		warntime: '20',
		retryalpha: '10',
		retrybeta: '2',
		retrygamma: '10',
		retrymaxdelta: '1',
		esmtpdelay: '5',
		esmtptimeoutconnect: '5',
		esmtptimeouthelo: '5',
		'smtpaccess/default': '127.0.0.1\tallow,RELAYCLIENT',
	};
}

function binds(dir: string, root: string): [string, string][] {
	return [
		...withUsers(dir, [{ name: 'courier', uid: UID, gid: UID }]),
		[join(dir, 'etc'), '/etc/courier'],
		[join(root, 'usr', 'lib', 'courier'), '/usr/lib/courier'],
		[join(dir, 'var'), '/var/lib/courier'],
		[join(dir, 'run'), '/run/courier'],
	];
}

export const courier: Mta = {
	name: 'courier',
	kinds: REMOTE_KINDS,
	async start(dir) {
		const root = unpackPackages('courier', ['courier-mta', 'courier-base', 'libcourier-unicode4', 'courier-authlib', 'libidn12', 'libgamin0']);
		const env = { LD_LIBRARY_PATH: libraryPath(root) };
		for (const m of MOUNT_POINTS) {
			if (!existsSync(m)) {
				mkdirSync(m, { recursive: true });
				createdMountPoints.push(m);
			}
		}
		cpSync(join(root, 'etc', 'courier'), join(dir, 'etc'), { recursive: true });
		cpSync(join(root, 'var', 'lib', 'courier'), join(dir, 'var'), { recursive: true });
		mkdirSync(join(dir, 'run'), { recursive: true });
		mkdirSync(join(dir, 'var', 'sts'), { recursive: true });
		// No mail filters (courierfilter is not started). courierd needs every module.* file it was built with.
		rmSync(join(dir, 'etc', 'enablefiltering'), { force: true });
		for (const [name, text] of Object.entries(controlFiles())) {
			mkdirSync(join(dir, 'etc', name, '..'), { recursive: true });
			writeFileSync(join(dir, 'etc', name), `${text}\n`);
		}
		// shop.test has no DNS: without this the ESMTP server refuses our sender's domain.
		const esmtpd = join(dir, 'etc', 'esmtpd');
		writeFileSync(esmtpd, readFileSync(esmtpd, 'utf8').replace(/^BOFHCHECKDNS=1$/m, 'BOFHCHECKDNS=0').replace(/^ESMTPDSTART=.*$/m, 'ESMTPDSTART=YES'));
		// Courier's default drops DSNs about mail that came in over SMTP ("backscatter"); the merchant's
		// own server is configured to return them to its submitting users, which is what we are.
		const courierd = join(dir, 'etc', 'courierd');
		writeFileSync(courierd, readFileSync(courierd, 'utf8').replace(/^ESMTP_BLOCKBACKSCATTER=.*$/m, 'ESMTP_BLOCKBACKSCATTER='));
		// courierd starts its modules and submit with an empty environment (no LD_LIBRARY_PATH): a
		// loader cache that also lists the unpacked libraries is mounted over /etc/ld.so.cache.
		const b: [string, string][] = [...binds(dir, root), loaderCacheMount(dir, root)];
		run('chown', ['-R', `${UID}:${UID}`, join(dir, 'var'), join(dir, 'run'), join(dir, 'etc')]);
		// makesmtpaccess, minus its restart of a running server: the access table couriertcpd reads.
		const makedat = join(root, 'usr', 'bin', 'makedat.courier');
		const access = ['-src=/etc/courier/smtpaccess', '-file=/etc/courier/smtpaccess.dat', '-tmp=/etc/courier/smtpaccess.tmp', '-cidr'];
		const [mk, mkArgs] = inMountNamespace(b, makedat, access);
		run(mk, mkArgs, env);
		const scheduler = 'set -a; . /etc/courier/courierd; cd /usr; exec /usr/lib/courier/courier/courierd';
		const [cd, cdArgs] = inMountNamespace(b, '/bin/sh', ['-c', scheduler]);
		startDaemon(cd, cdArgs, { logFile: join(dir, 'courierd.out'), env });
		await sleep(1000);
		const esmtp = [
			'set -a; . /etc/courier/esmtpd; cd /usr;',
			`exec ${join(root, 'usr', 'sbin', 'couriertcpd')} -address=127.0.0.1 -noidentlookup -nodnslookup -user=courier -group=courier`,
			`-access=/etc/courier/smtpaccess.dat -maxprocs=40 -maxperc=40 -maxperip=40 -stderr=/run/courier/esmtpd.err`,
			`${MTA_PORT} /usr/lib/courier/courier/modules/esmtp/courieresmtpd`,
		].join(' ');
		const [tcp, tcpArgs] = inMountNamespace(b, '/bin/sh', ['-c', esmtp]);
		startDaemon(tcp, tcpArgs, { logFile: join(dir, 'esmtpd.out'), env });
		await waitForGreeting(MTA_PORT, 'Courier');
	},
	async stop() {
		// The daemons are stopped by pid (processes.ts); here only the host's mount points go.
		await sleep(500);
		for (const m of createdMountPoints.splice(0).reverse()) {
			try {
				rmdirSync(m);
			} catch {
				// Still busy or not empty: leave it rather than touch anything inside.
			}
		}
	},
};
