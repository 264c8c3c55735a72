/**
 * n8n in queue mode on loopback, as larger installations run it: Debian's PostgreSQL (n8n's
 * database, and so the Data Tables) and Redis (the job queue), one main instance that takes
 * webhooks and schedules, and workers (`n8n worker`) that execute side by side. Everyone shares one
 * user folder (encryption key, this package installed as a community package). Used by the
 * queue-mode end-to-end test and by `npm run queue-mode`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkPackageLoads, ensureN8nInstalled, N8nInstance, packAndInstallPackage, type N8nInstall } from './n8n';
import { freePort } from './stack';

const PG_BIN = '/usr/lib/postgresql/15/bin';

function run(cmd: string, args: string[], opts: { user?: string } = {}): string {
	const [file, argv] = opts.user ? ['runuser', ['-u', opts.user, '--', cmd, ...args]] : [cmd, args];
	return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** A PostgreSQL cluster of its own in a temp folder, trusting loopback connections (test only). */
class Postgres {
	private constructor(
		readonly dir: string,
		readonly port: number,
	) {}

	static async start(): Promise<Postgres> {
		const dir = mkdtempSync(join(tmpdir(), 'dunning-pg-'));
		const uid = Number(run('id', ['-u', 'postgres']).trim());
		const gid = Number(run('id', ['-g', 'postgres']).trim());
		chownSync(dir, uid, gid);
		const port = await freePort();
		run(`${PG_BIN}/initdb`, ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], { user: 'postgres' });
		run(`${PG_BIN}/pg_ctl`, ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, 'start'], {
			user: 'postgres',
		});
		run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE n8n'], { user: 'postgres' });
		return new Postgres(dir, port);
	}

	stop(): void {
		try {
			run(`${PG_BIN}/pg_ctl`, ['-D', join(this.dir, 'data'), '-m', 'immediate', 'stop'], { user: 'postgres' });
		} catch {
			// already gone
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** Redis without persistence, on a loopback port of its own. */
async function startRedis(): Promise<{ port: number; process: ChildProcess }> {
	const port = await freePort();
	const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	redis.stdout?.on('data', (d: Buffer) => (out += d.toString()));
	await waitFor('Redis start', () => out.includes('Ready to accept connections') || redis.exitCode !== null, 15_000);
	if (redis.exitCode !== null) throw new Error(`redis-server exited: ${out}`);
	return { port, process: redis };
}

export interface QueueWorker {
	name: string;
	process: ChildProcess;
	output(): string;
}

export interface QueueStack {
	install: N8nInstall;
	/** The main instance: CLI (import, publish) and REST; its executions are queued for the workers. */
	main: N8nInstance;
	port: number;
	workers: QueueWorker[];
	/** Starts one more worker. */
	startWorker(name: string): Promise<QueueWorker>;
	dispose(): Promise<void>;
}

export interface QueueStackOptions {
	workers?: number;
	/** Jobs a worker runs at once (n8n's default is 10). */
	concurrency?: number;
	/** Run before the main instance starts, with the database ready (import credentials, workflows). */
	prepare?: (main: N8nInstance) => Promise<void>;
	log?: (line: string) => void;
	/** Show the main instance's own output. */
	verbose?: boolean;
}

export async function startQueueStack(options: QueueStackOptions = {}): Promise<QueueStack> {
	const log = options.log ?? (() => undefined);
	const install = ensureN8nInstalled();
	const nodesRoot = mkdtempSync(join(tmpdir(), 'dunning-nodes-'));
	const nodesDir = join(nodesRoot, 'nodes');
	checkPackageLoads(install, packAndInstallPackage(nodesDir));
	const main = N8nInstance.create(install, nodesDir);
	rmSync(nodesRoot, { recursive: true, force: true });

	const postgres = await Postgres.start();
	const redis = await startRedis();
	log(`PostgreSQL on 127.0.0.1:${postgres.port}, Redis on 127.0.0.1:${redis.port}`);
	Object.assign(main.env, {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
		N8N_LOG_LEVEL: 'info',
	});

	const workers: QueueWorker[] = [];
	const startWorker = async (name: string): Promise<QueueWorker> => {
		const env = {
			...main.env,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
		};
		const child = spawn(install.nodeBin, [install.n8nBin, 'worker', `--concurrency=${options.concurrency ?? 10}`], {
			env,
			cwd: main.userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
		child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
		await waitFor(`worker ${name} ready`, () => out.includes('n8n worker is now ready') || child.exitCode !== null, 90_000);
		if (child.exitCode !== null) throw new Error(`worker ${name} exited (${child.exitCode}):\n${out.slice(-3000)}`);
		const worker = { name, process: child, output: () => out };
		workers.push(worker);
		log(`worker ${name} ready (pid ${child.pid})`);
		return worker;
	};

	const dispose = async () => {
		for (const w of workers) if (w.process.exitCode === null) w.process.kill('SIGKILL');
		await main.dispose();
		redis.process.kill('SIGKILL');
		postgres.stop();
	};

	try {
		// The CLI migrates the database on first use; imports before the server starts.
		await options.prepare?.(main);
		const port = await freePort();
		await main.start(port, {}, options.verbose ?? false);
		await main.setupOwner();
		log(`n8n main in queue mode on http://127.0.0.1:${port}`);
		await Promise.all(Array.from({ length: options.workers ?? 2 }, (_, i) => startWorker(`worker-${i + 1}`)));
		return { install, main, port, workers, startWorker, dispose };
	} catch (error) {
		await dispose();
		throw error;
	}
}

