/**
 * What n8n does when it installs the package: read the `n8n` field of package.json, require each
 * listed file from dist/, and instantiate the class named like the file. Build first, then check
 * exactly that, so a missing asset or a renamed class fails here and not in a user's n8n.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { ICredentialType, INodeType, IVersionedNodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	name: string;
	keywords: string[];
	files: string[];
	license: string;
	engines: { node: string };
	peerDependencies: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
};

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
	expect(pkg.files).toEqual(['dist']);
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

test('each credential class loads and is named as listed', () => {
	for (const path of pkg.n8n.credentials) {
		const credential = instantiate<ICredentialType>(path);
		expect(credential.name).toBe(lowerFirst(classNameOf(path)));
		expect(credential.displayName.length).toBeGreaterThan(0);
	}
});
