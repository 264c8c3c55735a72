import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { WORK_ROOT } from './layout';

/**
 * Unpacks Debian packages into a private tree (apt-get download + dpkg -x), never installing
 * them: MTA packages conflict with each other and with the sandbox's Postfix.
 * Returns the tree's root; the same tree is reused by later runs.
 */
export function unpackPackages(name: string, packages: readonly string[]): string {
	const debs = join(WORK_ROOT, 'debs');
	const root = join(WORK_ROOT, 'root', name);
	mkdirSync(debs, { recursive: true });
	mkdirSync(root, { recursive: true });
	for (const pkg of packages) {
		const marker = join(root, '.unpacked', pkg);
		if (existsSync(marker)) continue;
		let deb = readdirSync(debs).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
		if (!deb) {
			execFileSync('apt-get', ['download', pkg], { cwd: debs, stdio: ['ignore', 'ignore', 'inherit'] });
			deb = readdirSync(debs).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
			if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${debs}`);
		}
		execFileSync('dpkg', ['-x', join(debs, deb), root]);
		mkdirSync(join(root, '.unpacked'), { recursive: true });
		execFileSync('touch', [marker]);
	}
	return root;
}

/** Library folders inside an unpacked tree, for LD_LIBRARY_PATH. */
export function libraryPath(root: string): string {
	return ['usr/lib/x86_64-linux-gnu', 'usr/lib', 'lib/x86_64-linux-gnu']
		.map((d) => join(root, d))
		.filter((d) => existsSync(d))
		.join(':');
}

/**
 * A loader cache that lists the unpacked tree's libraries beside the system's, as a bind mount over
 * /etc/ld.so.cache (for inMountNamespace): for programs started without LD_LIBRARY_PATH (an empty
 * environment) or setuid ones, which the loader runs in secure mode and which ignore it.
 */
export function loaderCacheMount(dir: string, root: string): [string, string] {
	writeFileSync(join(dir, 'ld.so.conf'), `${libraryPath(root).split(':').join('\n')}\ninclude /etc/ld.so.conf.d/*.conf\n`);
	execFileSync('ldconfig', ['-C', join(dir, 'ld.so.cache'), '-f', join(dir, 'ld.so.conf')]);
	return [join(dir, 'ld.so.cache'), '/etc/ld.so.cache'];
}
