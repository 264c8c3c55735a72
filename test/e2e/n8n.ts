/**
 * A real n8n, as a user runs it: the pinned CLI from `scripts/n8n/install-n8n.sh`, this package packed
 * with `npm pack` and installed as a community package into a fresh user folder, credentials and
 * workflows imported with the n8n CLI, and workflows run with `n8n execute --id`.
 *
 * Used by the end-to-end tests (`npm run test:e2e`), `npm run demo` and `npm run dev`. Plain Node
 * APIs only, so it also runs outside jest.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-dunning';
export const N8N_VERSION = process.env.N8N_VERSION ?? '2.41.1';
/** The owner account the test and demo instances are set up with (local only; README tells it). */
export const OWNER = { email: 'owner@example.test', password: 'Dunning-e2e-1' } as const;

export interface N8nInstall {
	version: string;
	cacheDir: string;
	/** The Node runtime n8n needs (Node 24). */
	nodeBin: string;
	/** n8n's CLI entry (run with `nodeBin`). */
	n8nBin: string;
}

/** Installs (or reuses from the cache) the pinned n8n; see scripts/n8n/install-n8n.sh. */
export function ensureN8nInstalled(): N8nInstall {
	const out = execFileSync('bash', [join(PROJECT_ROOT, 'scripts', 'n8n', 'install-n8n.sh')], {
		cwd: PROJECT_ROOT,
		env: { ...process.env, N8N_VERSION },
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 16 * 1024 * 1024,
	});
	const lines = out.toString().trim().split('\n');
	const cacheDir = lines[lines.length - 1].trim();
	const install: N8nInstall = {
		version: N8N_VERSION,
		cacheDir,
		nodeBin: join(cacheDir, 'runtime', 'node_modules', '.bin', 'node'),
		n8nBin: join(cacheDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	for (const f of [install.nodeBin, install.n8nBin]) {
		if (!existsSync(f)) throw new Error(`n8n install in ${cacheDir} is incomplete: ${f} is missing`);
	}
	return install;
}

/**
 * Builds and packs this package, then installs the tarball with its runtime dependencies into a
 * folder laid out like n8n's own community-package folder (`<dir>/node_modules/n8n-nodes-dunning`).
 * Done once and copied into each user folder, because the npm install is the slow part; the
 * installed folder is also kept in `.cache/package-install/<tarball hash>` (npm pack is
 * reproducible), so the next test file of the run reuses it instead of installing again.
 * `DUNNING_E2E_PREBUILT=1` (set by .ci/run after its build) skips the build.
 */
export function packAndInstallPackage(targetNodesDir: string, opts: { build?: boolean } = {}): string {
	if (opts.build !== false && process.env.DUNNING_E2E_PREBUILT !== '1') {
		execFileSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
	}
	const packDir = mkdtempSync(join(tmpdir(), 'dunning-pack-'));
	const packed = execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], {
		cwd: PROJECT_ROOT,
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.toString()
		.trim()
		.split('\n')
		.pop() as string;
	const tarball = join(packDir, packed.trim());
	mkdirSync(targetNodesDir, { recursive: true });
	if (!existsSync(join(targetNodesDir, 'package.json'))) {
		writeFileSync(join(targetNodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	}
	const cached = join(PROJECT_ROOT, '.cache', 'package-install', createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16));
	if (existsSync(cached)) {
		cpSync(cached, join(targetNodesDir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
	} else {
		// As n8n does for community packages: production dependencies only, and no peer dependencies, so
		// the node uses the n8n-workflow of the n8n that loads it (two copies break instanceof checks).
		// Resolved afresh, as a user's n8n does; a registry mirror caught half-way through syncing a
		// release refuses a version it lists, so one failed install is tried once more.
		const install = () =>
			execFileSync(
				'npm',
				['install', '--omit=dev', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarball],
				{ cwd: targetNodesDir, stdio: ['ignore', 'pipe', 'inherit'] },
			);
		try {
			install();
		} catch {
			execFileSync('sleep', ['30']);
			install();
		}
		const partial = `${cached}.${process.pid}`;
		cpSync(join(targetNodesDir, 'node_modules'), partial, { recursive: true, verbatimSymlinks: true });
		try {
			renameSync(partial, cached);
		} catch {
			rmSync(partial, { recursive: true, force: true }); // another process cached it first
		}
	}
	rmSync(packDir, { recursive: true, force: true });
	if (existsSync(join(targetNodesDir, 'node_modules', 'n8n-workflow'))) {
		throw new Error(`n8n-workflow was installed next to ${PACKAGE_NAME}; it must come from n8n itself`);
	}
	return join(targetNodesDir, 'node_modules', PACKAGE_NAME);
}

/**
 * n8n drops the WHOLE package, with only "Class could not be found" in its log, when a single listed
 * node or credential throws while being constructed; workflows then fail with "Unrecognized node
 * type". Constructing each class first, under n8n's own Node and n8n-workflow, names the culprit.
 */
export function checkPackageLoads(install: N8nInstall, packageDir: string): void {
	const script = `
		const p = require('./package.json');
		const bad = [];
		for (const f of [...p.n8n.nodes, ...p.n8n.credentials]) {
			const cls = f.split('/').pop().split('.')[0];
			try { new (require('./' + f)[cls])(); } catch (e) { bad.push(f + ': ' + String(e && e.message || e)); }
		}
		if (bad.length) { console.error(bad.join(String.fromCharCode(10))); process.exit(1); }`;
	try {
		execFileSync(install.nodeBin, ['-e', script], {
			cwd: packageDir,
			env: { ...process.env, NODE_PATH: join(install.cacheDir, 'node_modules') },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
	} catch (error) {
		const stderr = String((error as { stderr?: Buffer }).stderr ?? error);
		throw new Error(`n8n would not load ${PACKAGE_NAME}, because these files fail to load:\n${stderr}`);
	}
}

export interface N8nCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface ExecuteResult {
	/** `success`, `error`, ... as n8n reports it (null when no JSON was printed). */
	status: string | null;
	/** The run's `data` object as printed by `--rawOutput` (resultData.runData per node). */
	data: RunJson | null;
	exitCode: number | null;
	stdout: string;
	stderr: string;
}

export interface RunJson {
	resultData: {
		runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: { message?: string } }>>;
		error?: { message?: string; description?: string; node?: { name?: string } };
		lastNodeExecuted?: string;
	};
	[k: string]: unknown;
}

let brokerPort = 15679 + (process.pid % 200) * 10;

/** One n8n user folder (its own SQLite database) with this package installed as a community node. */
export class N8nInstance {
	readonly env: NodeJS.ProcessEnv;
	private server: ChildProcess | null = null;

	private constructor(
		readonly install: N8nInstall,
		readonly userFolder: string,
		private readonly ownsFolder: boolean,
	) {
		this.env = {
			...process.env,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: 'dunning-e2e-encryption-key',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort++),
			// `n8n execute` prints its result JSON through the logger at level info.
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
			NODE_OPTIONS: '',
			// Our jest setup sets these for the in-process engine; they must not leak into the CLI.
			NODE_ENV: 'production',
		};
	}

	/**
	 * A new user folder (a temp dir unless `userFolder` is given) with the package copied in from a
	 * prepared community-nodes folder (see `packAndInstallPackage`).
	 */
	static create(install: N8nInstall, nodesDir: string, userFolder?: string): N8nInstance {
		const folder = userFolder ?? mkdtempSync(join(tmpdir(), 'dunning-n8n-user-'));
		const target = join(folder, '.n8n', 'nodes');
		mkdirSync(join(folder, '.n8n'), { recursive: true });
		// Always the freshly packed package, also in a kept user folder (npm run dev).
		rmSync(target, { recursive: true, force: true });
		execFileSync('cp', ['-a', nodesDir, target]);
		return new N8nInstance(install, folder, userFolder === undefined);
	}

	/** Runs an n8n CLI command; resolves with its output whatever the exit code. */
	cli(args: string[], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
		return new Promise((resolvePromise) => {
			execFile(
				this.install.nodeBin,
				[this.install.n8nBin, ...args],
				// Each CLI process opens its own task broker: a port of its own, in case the server runs.
				{ env: { ...this.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort++) }, cwd: this.userFolder, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
				(err, stdout, stderr) => {
					// execFile's error carries the exit code as a number (or a string for spawn failures).
					const code: unknown = err ? (err as { code?: unknown }).code : 0;
					resolvePromise({ code: typeof code === 'number' ? code : err ? 1 : 0, stdout: stdout.toString(), stderr: stderr.toString() });
				},
			);
		});
	}

	private async cliOk(args: string[]): Promise<string> {
		const r = await this.cli(args);
		if (r.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}\n${r.stdout}`.slice(0, 4000));
		}
		return r.stdout;
	}

	async importCredentials(credentials: N8nCredential[]): Promise<void> {
		const file = join(this.userFolder, `credentials-${randomBytes(4).toString('hex')}.json`);
		writeFileSync(file, JSON.stringify(credentials));
		try {
			await this.cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	/** Imports workflows (objects with an `id`); returns their ids. */
	async importWorkflows(workflows: Array<Record<string, unknown>>): Promise<string[]> {
		const dir = join(this.userFolder, `workflows-${randomBytes(4).toString('hex')}`);
		mkdirSync(dir);
		workflows.forEach((wf, i) => writeFileSync(join(dir, `${i}.json`), JSON.stringify(wf)));
		try {
			await this.cliOk(['import:workflow', '--separate', `--input=${dir}`]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		return workflows.map((wf) => String(wf.id));
	}

	/** `n8n execute --id --rawOutput`, parsed; judge by `status` (the CLI may crash after printing). */
	async execute(workflowId: string, timeoutMs = 180_000): Promise<ExecuteResult> {
		const r = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		// The JSON is the whole execution: { data: { resultData, ... }, status, mode, ... }.
		const run = parseRawOutput(r.stdout) as { status?: string; data?: RunJson } | null;
		const data = run?.data ?? null;
		const status = run ? (run.status ?? (data?.resultData?.error ? 'error' : 'success')) : null;
		return { status, data, exitCode: r.code, stdout: r.stdout, stderr: r.stderr };
	}

	/** Starts `n8n start` on 127.0.0.1:<port> and waits until its REST API answers. */
	async start(port: number, extraEnv: NodeJS.ProcessEnv = {}, inheritOutput = false): Promise<void> {
		this.port = port;
		this.server = spawn(this.install.nodeBin, [this.install.n8nBin, 'start'], {
			env: { ...this.env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: 'localhost', ...extraEnv },
			cwd: this.userFolder,
			stdio: inheritOutput ? 'inherit' : ['ignore', 'pipe', 'pipe'],
		});
		this.outputTail = '';
		const keep = (d: Buffer) => (this.outputTail = (this.outputTail + d.toString()).slice(-100_000));
		this.server.stdout?.on('data', keep);
		this.server.stderr?.on('data', keep);
		const deadline = Date.now() + 90_000;
		for (;;) {
			try {
				// /healthz answers before the REST routes exist; the public settings route comes last.
				// While booting, n8n answers every path with 200 "n8n is starting up. Please wait".
				const res = await fetch(`http://127.0.0.1:${port}/rest/settings`);
				if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) return;
			} catch {
				// not listening yet
			}
			if (this.server.exitCode !== null) throw new Error(`n8n start exited with ${this.server.exitCode}`);
			if (Date.now() > deadline) throw new Error('n8n did not answer /rest/settings within 90 s');
			await new Promise((r) => setTimeout(r, 300));
		}
	}

	private cookie = '';
	private port = 0;
	private outputTail = '';

	/** The last of what `n8n start` printed (empty when its output goes to the terminal), for failure reports. */
	output(): string {
		return this.outputTail;
	}

	/** Base URL of the running server (after `start`). */
	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/**
	 * A REST call as the editor makes it. n8n ties the auth cookie to a `browser-id` header, so every
	 * call sends the same one.
	 */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const send = () =>
			fetch(`${this.baseUrl}${path}`, {
				method,
				headers: { 'content-type': 'application/json', 'browser-id': 'dunning-e2e', cookie: this.cookie },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		// After a long pause, fetch may reuse a kept-alive socket the server has just closed; the
		// request never reached n8n then, so sending it again once is safe.
		const res = await send().catch(async (error: Error & { cause?: { code?: string } }) => {
			if (error.cause?.code !== 'ECONNRESET') throw error;
			return await send();
		});
		const setCookie = res.headers.get('set-cookie');
		const auth = setCookie?.match(/n8n-auth=[^;]+/);
		if (auth) this.cookie = auth[0];
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
		let json: { data?: T };
		try {
			json = text ? (JSON.parse(text) as { data?: T }) : {};
		} catch {
			throw new Error(`${method} ${path} answered ${res.status} with something that is not JSON: ${text.slice(0, 300)}`);
		}
		return (json.data ?? json) as T;
	}

	/** Creates the owner account on a fresh instance and logs in (idempotent for this instance). */
	async setupOwner(email = OWNER.email, password = OWNER.password): Promise<void> {
		try {
			await this.rest('POST', '/rest/owner/setup', { email, firstName: 'Demo', lastName: 'Owner', password });
		} catch (e) {
			if (!/already|400/.test(String(e))) throw e;
		}
		await this.rest('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	}

	/**
	 * Runs a workflow from one of its triggers exactly as the editor's "Execute workflow" button does,
	 * and waits for it to finish. Needs `start` and `setupOwner` first. Unlike `n8n execute`, this path
	 * has n8n's modules loaded, which Data Table nodes need.
	 */
	async runManually(workflowId: string, triggerName = 'Manual Trigger', timeoutMs = 180_000): Promise<ExecuteResult> {
		// n8n before 2.9 runs the workflow the editor sends along (newer ones read it from the database).
		const workflowData = await this.rest<Record<string, unknown>>('GET', `/rest/workflows/${workflowId}`);
		const started = await this.rest<{ executionId?: string; waitingForWebhook?: boolean }>('POST', `/rest/workflows/${workflowId}/run`, {
			workflowData,
			triggerToStartFrom: { name: triggerName },
		});
		if (!started.executionId) throw new Error(`workflow ${workflowId} did not start: ${JSON.stringify(started)}`);
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			type Execution = { finished?: boolean; status?: string; data?: string; stoppedAt?: string | null };
			// A loaded n8n may answer 503 "Database is not ready" for a moment while its health check lags.
			const exec = await this.rest<Execution>('GET', `/rest/executions/${started.executionId}`).catch((error: Error) => {
				if (!/ answered 503/.test(error.message) || Date.now() > deadline) throw error;
				return {} as Execution;
			});
			const done = exec.stoppedAt || !['new', 'running', 'waiting', undefined].includes(exec.status);
			if (done && exec.data) {
				const flatted = createRequire(join(this.install.cacheDir, 'node_modules', 'n8n', 'package.json'))('flatted') as {
					parse: (s: string) => unknown;
				};
				const data = flatted.parse(exec.data) as RunJson;
				return { status: exec.status ?? null, data, exitCode: null, stdout: '', stderr: '' };
			}
			if (Date.now() > deadline) throw new Error(`execution ${started.executionId} did not finish within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = null;
		if (!server || server.exitCode !== null) return;
		await new Promise<void>((r) => {
			const t = setTimeout(() => {
				server.kill('SIGKILL');
			}, 10_000);
			server.once('exit', () => {
				clearTimeout(t);
				r();
			});
			server.kill('SIGTERM');
		});
	}

	async dispose(): Promise<void> {
		await this.stop();
		if (this.ownsFolder && !process.env.KEEP_N8N_USER_FOLDER) rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** `--rawOutput` prints log lines, then the run as pretty JSON starting at a line that is exactly `{`. */
export function parseRawOutput(stdout: string): Record<string, unknown> | null {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l === '{');
	if (start < 0) return null;
	// The JSON ends at the last line that is exactly `}`; anything after it is more log output.
	let end = lines.length - 1;
	while (end > start && lines[end] !== '}') end--;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as Record<string, unknown>;
	} catch {
		return null;
	}
}

/** Items a node emitted in its last run, per output. */
export function nodeOutputs(run: RunJson | null, nodeName: string): Array<Array<Record<string, unknown>>> {
	const runs = run?.resultData.runData[nodeName];
	if (!runs || runs.length === 0) return [];
	const main = runs[runs.length - 1].data?.main ?? [];
	return main.map((items) => (items ?? []).map((i) => i.json));
}

/** Lists the stored community-nodes folders (for diagnostics). */
export function listInstalled(nodesDir: string): string[] {
	const nm = join(nodesDir, 'node_modules');
	return existsSync(nm) ? readdirSync(nm) : [];
}
