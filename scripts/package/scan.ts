/**
 * npm run scan:package — packs the package as npm would publish it and runs n8n's community-package
 * scanner (`analyzePackage` of @n8n/scan-community-package, the static analysis n8n runs before a
 * package can be verified) on the unpacked tarball. Build first (`npm run build`): the tarball
 * holds dist/.
 *
 * The scanner reports every finding as an ESLint violation. This package is self-hosted only (see
 * README, "Why this package is self-hosted only"): it has runtime dependencies and talks SMTP/IMAP
 * over sockets, which the scanner flags by design. Those findings are allowed here, each by rule
 * and by what it names; any other finding fails the scan, so a new import of a module outside the
 * list, a console call or a restricted global does not go unnoticed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** The runtime dependencies in package.json: each is imported from dist/ on purpose. */
import packageJson from '../../package.json';

interface ScanResult {
	passed: boolean;
	message?: string;
	/** ESLint's "stylish" report of every file with findings. */
	details?: string;
}

interface Finding {
	file: string;
	line: string;
	message: string;
	rule: string;
}

/**
 * Node's own modules the scanner flags that the package needs: fs and path to read the shipped
 * templates and fonts from the package folder, url for IDNA (internationalised domains in
 * addresses), stream for the message data handed to the SMTP connection, zlib to check a letter
 * logo's compressed image data (pngjs's own reader passes damaged files).
 */
export const ALLOWED_NODE_MODULES = ['fs', 'path', 'url', 'stream', 'zlib'];

/**
 * Globals the scanner flags, where they are needed: timers bound the waits on SMTP and IMAP sockets
 * (a server that stops answering) and pace the sending loop outside n8n (inside n8n the nodes pass
 * n8n-workflow's sleep in); __dirname finds the shipped templates and letter fonts.
 */
export const ALLOWED_GLOBALS: Array<{ global: string; files: RegExp }> = [
	...['setTimeout', 'clearTimeout', 'setImmediate'].map((global) => ({ global, files: /^dist\/lib\/(mail|mailbox)\// })),
	{ global: '__dirname', files: /^dist\/lib\/(templates\/defaults|letters\/[\w-]+)\.js$/ },
];

/** Module names an import finding may name: the runtime dependencies and the Node modules above. */
export function allowedModules(): string[] {
	const dependencies = Object.keys((packageJson as { dependencies?: Record<string, string> }).dependencies ?? {});
	return [...dependencies, ...ALLOWED_NODE_MODULES.flatMap((m) => [m, `node:${m}`])];
}

/** Reads ESLint's stylish report: a file name line, then one indented line per finding. */
export function parseStylish(report: string, root: string): Finding[] {
	const findings: Finding[] = [];
	let file = '';
	// eslint-disable-next-line no-control-regex
	for (const raw of report.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) {
		const line = raw.trimEnd();
		if (line.startsWith('/')) {
			file = relative(root, line);
			continue;
		}
		const m = /^\s+(\d+:\d+)\s+(?:error|warning)\s+(.*?)\s{2,}(\S+)$/.exec(line);
		if (m) findings.push({ file, line: m[1], message: m[2], rule: m[3] });
	}
	return findings;
}

/** The module or global a finding names, in quotes in its message. */
function namedIn(finding: Finding): string | undefined {
	return /'([^']+)'/.exec(finding.message)?.[1];
}

/**
 * Allowed: runtime dependencies in package.json (the package is self-hosted only), imports of the
 * allowed modules, and the allowed globals in their files. Anything else is a finding to fix.
 */
export function isAllowed(finding: Finding, modules: string[] = allowedModules()): boolean {
	const rule = finding.rule.replace(/^@n8n\/community-nodes\//, '');
	const named = namedIn(finding);
	if (rule === 'no-runtime-dependencies') return finding.file === 'package.json';
	if (rule === 'no-restricted-imports' && named !== undefined) {
		const base = named.startsWith('@') ? named.split('/').slice(0, 2).join('/') : named.split('/')[0];
		return modules.includes(named) || modules.includes(base);
	}
	if (rule === 'no-restricted-globals' && named !== undefined) {
		return ALLOWED_GLOBALS.some((a) => a.global === named && a.files.test(finding.file));
	}
	return false;
}

// The scanner is an ES module without a CommonJS build; TypeScript compiles a plain import() to
// require() for this CommonJS project, so the import is made at run time.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** The scanner's module; the package has no entry point besides its CLI, which scans by name from the registry. */
function scannerPath(): string {
	try {
		return require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
	} catch {
		throw new Error('@n8n/scan-community-package is not installed: it is a devDependency (npm ci installs it)');
	}
}

async function main(): Promise<void> {
	const root = join(__dirname, '..', '..');
	const work = mkdtempSync(join(tmpdir(), 'scan-package-'));
	try {
		const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' })) as Array<{ filename: string }>;
		execFileSync('tar', ['xzf', join(work, packed.filename), '-C', work]);
		const packageDir = join(work, 'package');
		const scanner = (await importModule(scannerPath())) as {
			analyzePackage(dir: string): Promise<ScanResult>;
		};
		const result = await scanner.analyzePackage(packageDir);
		if (result.passed) {
			console.log('scan:package — analyzePackage found nothing');
			return;
		}
		if (!result.details) throw new Error(`analyzePackage failed without findings: ${result.message ?? 'no message'}`);
		const findings = parseStylish(result.details, packageDir);
		if (findings.length === 0) throw new Error(`analyzePackage reported findings this script cannot read:\n${result.details}`);
		const unexpected = findings.filter((f) => !isAllowed(f));
		const allowed = findings.length - unexpected.length;
		const named = [...new Set(findings.filter((f) => isAllowed(f)).map((f) => namedIn(f) ?? f.rule))].sort();
		console.log(`scan:package — ${findings.length} finding(s), ${allowed} allowed: ${named.join(', ')}`);
		if (unexpected.length > 0) {
			for (const f of unexpected) console.error(`  ${f.file}:${f.line}  ${f.rule}  ${f.message}`);
			throw new Error(`${unexpected.length} finding(s) outside the allow-list`);
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(`scan:package failed: ${(error as Error).message}`);
		process.exit(1);
	});
}
