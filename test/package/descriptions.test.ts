/**
 * The texts the n8n editor shows for every node and credential of the package: loaded from the
 * sources package.json lists (no build needed), every version of a versioned node, every nested
 * parameter, option and notice.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { ICredentialType, INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

/** The class a `dist/….js` entry of package.json names, loaded from its TypeScript source. */
function load<T>(distPath: string): T {
	const source = join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, ''));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const Class = (require(source) as Record<string, new () => T>)[basename(distPath).split('.')[0]];
	return new Class();
}

/** Keys whose string values the editor shows as text (option `name`s are labels; parameter `name`s are not shown). */
const SHOWN = ['displayName', 'description', 'hint', 'placeholder', 'action'];

/** Every shown text below `value`, each with the path that leads to it. */
function shownTexts(value: unknown, path: string, out: Array<[string, string]> = []): Array<[string, string]> {
	if (Array.isArray(value)) {
		value.forEach((entry, i) => shownTexts(entry, `${path}[${i}]`, out));
		return out;
	}
	if (typeof value !== 'object' || value === null) return out;
	const record = value as Record<string, unknown>;
	// An option of an options parameter ({ name, value }): its name is the label in the dropdown.
	const isOption = 'value' in record && typeof record.name === 'string';
	for (const [key, entry] of Object.entries(record)) {
		if (typeof entry === 'string') {
			if (SHOWN.includes(key) || (isOption && key === 'name')) out.push([`${path}.${key}`, entry]);
		} else if (key !== 'default') {
			shownTexts(entry, `${path}.${key}`, out);
		}
	}
	return out;
}

function descriptions(): Array<[string, INodeTypeDescription | ICredentialType]> {
	const all: Array<[string, INodeTypeDescription | ICredentialType]> = [];
	for (const path of pkg.n8n.nodes) {
		const node = load<INodeType | IVersionedNodeType>(path);
		if ('nodeVersions' in node) {
			for (const [version, type] of Object.entries(node.nodeVersions)) all.push([`${node.description.name} v${version}`, type.description]);
		} else {
			all.push([node.description.name, node.description]);
		}
	}
	for (const path of pkg.n8n.credentials) {
		const credential = load<ICredentialType>(path);
		all.push([credential.name, credential]);
	}
	return all;
}

test('the package has nodes and credentials to check', () => {
	const names = descriptions().map(([name]) => name);
	expect(names).toEqual(expect.arrayContaining(['computeDunningLevel', 'classifyBounce v2', 'dunningSmtpApi']));
	expect(names.length).toBeGreaterThanOrEqual(pkg.n8n.nodes.length + pkg.n8n.credentials.length);
});

test('no text of any node or credential contains a double period ("consumer.. Default")', () => {
	const doubled = descriptions().flatMap(([name, description]) =>
		shownTexts(description, name)
			// An ellipsis of three periods is no typo.
			.filter(([, text]) => /(?<!\.)\.\.(?!\.)/.test(text))
			.map(([where, text]) => `${where}: ${text}`),
	);
	expect(doubled).toEqual([]);
});
