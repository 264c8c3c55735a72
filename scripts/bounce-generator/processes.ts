import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';

/** Daemons started by this run, stopped by their own process group when the run ends. */
const started: ChildProcess[] = [];

export function startDaemon(command: string, args: string[], opts: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string }): ChildProcess {
	const out = openSync(opts.logFile, 'a');
	// Its own process group: MTAs fork schedulers and delivery agents that outlive a killed parent.
	const child = spawn(command, args, { stdio: ['ignore', out, out], env: { ...process.env, ...opts.env }, cwd: opts.cwd, detached: true });
	started.push(child);
	return child;
}

/** The daemon's process group (it leads one, see startDaemon), or the daemon alone if it is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already empty.
	}
}

export async function stopDaemons(): Promise<void> {
	for (const child of started.splice(0)) {
		const running = child.exitCode === null && child.signalCode === null;
		const exited = new Promise<void>((done) => child.once('exit', () => done()));
		signalGroup(child, 'SIGTERM');
		// Give the group a moment to shut down cleanly, then make sure nothing of it is left.
		await Promise.race([running ? exited : Promise.resolve(), new Promise((r) => setTimeout(r, 5000))]);
		await new Promise((r) => setTimeout(r, 500));
		signalGroup(child, 'SIGKILL');
	}
}

export function run(command: string, args: string[], env?: NodeJS.ProcessEnv, input?: string): string {
	return execFileSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
}

export function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const s = connect(port, host);
		s.once('data', () => {
			s.destroy();
			resolve(true);
		});
		s.once('error', () => resolve(false));
		setTimeout(() => {
			s.destroy();
			resolve(false);
		}, 2000);
	});
}

export async function waitForGreeting(port: number, what: string, timeoutMs = 20000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (await portAnswers(port)) return;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`${what} did not greet on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A command line that runs `command` in a private mount namespace with files bind-mounted over
 * system paths (e.g. an /etc/passwd that has the user an MTA was compiled for, or Courier's
 * compiled-in folders). Nothing changes outside that namespace. unshare and `sh -c exec` keep the
 * pid, so the daemon can still be stopped by it.
 */
export function inMountNamespace(binds: readonly [string, string][], command: string, args: readonly string[]): [string, string[]] {
	const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
	const mounts = binds.map(([src, dst]) => `mount --bind ${quote(src)} ${quote(dst)}`);
	const script = [...mounts, `exec ${[command, ...args].map(quote).join(' ')}`].join(' && ');
	return ['unshare', ['-m', 'sh', '-c', script]];
}

/** Copies of /etc/passwd and /etc/group with extra system users (for inMountNamespace). */
export function withUsers(dir: string, users: readonly { name: string; uid: number; gid: number }[]): [string, string][] {
	const passwd = `${dir}/passwd`;
	const group = `${dir}/group`;
	writeFileSync(passwd, readFileSync('/etc/passwd', 'utf8') + users.map((u) => `${u.name}:x:${u.uid}:${u.gid}::/nonexistent:/usr/sbin/nologin\n`).join(''));
	writeFileSync(group, readFileSync('/etc/group', 'utf8') + users.map((u) => `${u.name}:x:${u.gid}:\n`).join(''));
	return [
		[passwd, '/etc/passwd'],
		[group, '/etc/group'],
	];
}
