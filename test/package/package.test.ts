/**
 * What n8n does when it installs the package: read the `n8n` field of package.json, require each
 * listed file from dist/, and instantiate the class named like the file. Build first, then check
 * exactly that, so a missing asset or a renamed class fails here and not in a user's n8n.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, join } from 'node:path';

import type { ICredentialType, INodeType, IVersionedNodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	name: string;
	main?: string;
	homepage: string;
	repository: { type: string; url: string };
	bugs: { url: string };
	dependencies: Record<string, string>;
	keywords: string[];
	files: string[];
	license: string;
	engines: { node: string };
	peerDependencies: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
};

const REPOSITORY = 'https://github.com/n8n-nodes-dunning/n8n-nodes-dunning';

const classNameOf = (path: string) => basename(path).split('.')[0];
const lowerFirst = (name: string) => name[0].toLowerCase() + name.slice(1);
const instantiate = <T>(path: string): T => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const Class = (require(join(root, path)) as Record<string, new () => T>)[classNameOf(path)];
	expect(Class).toBeDefined();
	return new Class();
};

beforeAll(() => {
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
}, 240_000);

test('package.json follows the community-node conventions', () => {
	expect(pkg.name).toBe('n8n-nodes-dunning');
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.main).toBeUndefined();
	expect(pkg.homepage).toBe(`${REPOSITORY}#readme`);
	expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git` });
	expect(pkg.bugs).toEqual({ url: `${REPOSITORY}/issues` });
	// eslint.config.mjs differs from n8n-node's template on purpose (see its head comment).
	expect(pkg.n8n.strict).toBe(false);
	expect(pkg.license).toBe('MIT');
	expect(pkg.engines.node).toBe('>=20.15');
	expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
	expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	expect(pkg.n8n.nodes.length).toBeGreaterThan(0);
});

test('every path in the n8n field exists after the build', () => {
	for (const path of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		expect({ path, exists: existsSync(join(root, path)) }).toEqual({ path, exists: true });
		expect(path.startsWith('dist/')).toBe(true);
	}
});

test('each node class loads, is named as listed, and its icon was copied', () => {
	for (const path of pkg.n8n.nodes) {
		const node = instantiate<INodeType | IVersionedNodeType>(path);
		expect(node.description.name).toBe(lowerFirst(classNameOf(path)));
		const icon = node.description.icon;
		const iconFile = typeof icon === 'string' ? icon : icon?.light;
		if (iconFile?.startsWith('file:')) {
			expect(existsSync(join(root, path, '..', iconFile.slice(5)))).toBe(true);
		}
	}
});

/** What `npm pack` would put in the tarball, from the freshly built dist/. */
function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
	return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((file) => file.path).sort();
}

test('the tarball holds only what n8n loads: compiled code, codex files, icons, default templates', () => {
	const files = packedFiles();
	const always = ['LICENSE', 'README.md', 'package.json'];
	for (const path of files) {
		const allowed =
			always.includes(path) ||
			/^dist\/(?:credentials|nodes|lib)\/[\w./-]+\.js$/.test(path) ||
			/^dist\/nodes\/\w+\/\w+\.node\.json$/.test(path) ||
			/^dist\/(?:nodes|credentials)\/[\w/]+\.(?:dark\.)?svg$/.test(path) ||
			/^dist\/lib\/templates\/defaults\/[a-z]{2}\/[\w-]+\.(?:subject|html|text|intro|closing)\.hbs$/.test(path);
		expect({ path, allowed }).toEqual({ path, allowed: true });
	}
	for (const path of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(path);
	// Every shipped reminder text that lib/templates/defaults.ts reads at run time.
	const defaults = join(root, 'lib', 'templates', 'defaults');
	for (const language of readdirSync(defaults)) {
		for (const file of readdirSync(join(defaults, language))) {
			expect(files).toContain(`dist/lib/templates/defaults/${language}/${file}`);
		}
	}
	for (const path of pkg.n8n.nodes) {
		expect(files).toContain(path.replace(/\.js$/, '.json'));
	}
	expect(files.filter((path) => /\.(?:map|ts|tsbuildinfo)$/.test(path))).toEqual([]);
});

test('shipped code requires only runtime dependencies, n8n-workflow and Node built-ins', () => {
	const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
	const missing = new Set<string>();
	for (const path of packedFiles().filter((file) => file.endsWith('.js'))) {
		const code = readFileSync(join(root, path), 'utf8');
		for (const [, specifier] of code.matchAll(/\brequire\("([^"]+)"\)/g)) {
			if (specifier.startsWith('.')) continue;
			const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
			if (name.startsWith('node:') || builtinModules.includes(name)) continue;
			if (!allowed.has(name)) missing.add(`${name} (${path})`);
		}
	}
	expect([...missing]).toEqual([]);
	expect(pkg.dependencies).not.toHaveProperty('mailparser');
});

test('each credential class loads and is named as listed', () => {
	for (const path of pkg.n8n.credentials) {
		const credential = instantiate<ICredentialType>(path);
		expect(credential.name).toBe(lowerFirst(classNameOf(path)));
		expect(credential.displayName.length).toBeGreaterThan(0);
	}
});

/** GitHub's anchor for a README heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
	heading
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/ /g, '-');
const readmeAnchors = new Set(
	readFileSync(join(root, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) => anchorOf(line.replace(/^#+ /, '').trim())),
);
const expectReadmeLink = (where: string, url: string | undefined) => {
	const [page, anchor] = (url ?? '').split('#');
	expect({ where, page, anchorInReadme: readmeAnchors.has(anchor) }).toEqual({
		where,
		page: REPOSITORY,
		anchorInReadme: true,
	});
};

test('codex files link their documentation to README sections; credentials too', () => {
	for (const path of pkg.n8n.nodes) {
		const codex = JSON.parse(readFileSync(join(root, path.replace(/\.js$/, '.json')), 'utf8')) as {
			node: string;
			resources?: { primaryDocumentation?: Array<{ url: string }>; credentialDocumentation?: Array<{ url: string }> };
		};
		expect(codex.node).toBe(`${pkg.name}.${lowerFirst(classNameOf(path))}`);
		// Classify Bounce's codex is someone else's work in progress (issue 15 leaves it for now).
		if (path.includes('ClassifyBounce') && !codex.resources) continue;
		expect(codex.resources?.primaryDocumentation?.length).toBeGreaterThan(0);
		for (const { url } of [...(codex.resources?.primaryDocumentation ?? []), ...(codex.resources?.credentialDocumentation ?? [])]) {
			expectReadmeLink(path, url);
		}
		const node = instantiate<INodeType>(path);
		if (node.description.credentials?.length) {
			expect({ path, credentialDocumentation: (codex.resources?.credentialDocumentation?.length ?? 0) > 0 }).toEqual({
				path,
				credentialDocumentation: true,
			});
		}
	}
	for (const path of pkg.n8n.credentials) {
		expectReadmeLink(path, instantiate<ICredentialType>(path).documentationUrl);
	}
});
