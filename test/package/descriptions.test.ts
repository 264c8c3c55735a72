/**
 * The texts the n8n editor shows for every node and credential of the package: loaded from the
 * sources package.json lists (no build needed), every version of a versioned node, every nested
 * parameter, option and notice.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { ICredentialType, INodeProperties, INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';

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

/** Every parameter of a node or credential, nested ones too (collection options, fixedCollection values), with its path. */
function parameters(properties: readonly INodeProperties[], path: string, out: Array<[string, INodeProperties]> = []): Array<[string, INodeProperties]> {
	for (const p of properties) {
		const where = `${path} › ${p.displayName}`;
		out.push([where, p]);
		for (const option of p.options ?? []) {
			// A fixedCollection's group of values, or a collection's option (a dropdown's entries have no type).
			if ('values' in option) parameters(option.values, `${where} › ${option.displayName}`, out);
			else if ('type' in option) parameters([option], where, out);
		}
	}
	return out;
}

function allParameters(): Array<[string, INodeProperties]> {
	return descriptions().flatMap(([name, description]) => parameters(description.properties, name));
}

const labelOrder = (a: string, b: string) => a.localeCompare(b);

// n8n's guideline (and its linter, from five options): optional fields in alphabetical order.
test('every collection lists its options alphabetically by label', () => {
	const unsorted = allParameters()
		.filter(([, p]) => p.type === 'collection')
		.map(([where, p]) => [where, (p.options as INodeProperties[]).map((o) => o.displayName)] as const)
		.filter(([, labels]) => labels.join('|') !== [...labels].sort(labelOrder).join('|'))
		.map(([where, labels]) => `${where}: ${labels.join(', ')}`);
	expect(unsorted).toEqual([]);
});

// One term per thing (n8n's guideline): "Max Messages" beside "Maximum Size" made two.
test('labels say Max and Min, never Maximum or Minimum', () => {
	const spelledOut = allParameters()
		.map(([where, p]) => [where, p.displayName] as const)
		.filter(([, label]) => /\b(Maximum|Minimum)\b/.test(label));
	expect(spelledOut).toEqual([]);
});

// n8n's guideline: not "binary property" but a field ("Input Binary Field", "Put Output File in Field").
test('no text calls a binary field a "binary property"', () => {
	const found = descriptions().flatMap(([name, description]) =>
		shownTexts(description, name)
			.filter(([, text]) => /binary propert/i.test(text))
			.map(([where, text]) => `${where}: ${text}`),
	);
	expect(found).toEqual([]);
});

// defaults.name is the node's name on the canvas: the node's own name, not a step of one workflow.
test('every node is named on the canvas as in the node list', () => {
	const differing = descriptions()
		.filter((entry): entry is [string, INodeTypeDescription] => 'defaults' in entry[1])
		.filter(([, d]) => d.defaults.name !== d.displayName)
		.map(([name, d]) => `${name}: ${d.displayName} / ${d.defaults.name}`);
	expect(differing).toEqual([]);
});

test('a setting that means the same in several nodes has the same label there', () => {
	const labels = (names: string[]) => new Set(allParameters().filter(([, p]) => names.includes(p.name)).map(([, p]) => p.displayName));
	// How long to wait for the mail server: Read Mailbox, Move Messages, Send Reminder Email.
	expect(labels(['timeoutSeconds'])).toEqual(new Set(['Timeout (Seconds)']));
	// The largest message read: Read Mailbox, IMAP Mailbox Trigger, Classify Bounce.
	expect(labels(['maxMessageMb', 'maxSizeMb'])).toEqual(new Set(['Max Message Size (MB)']));
	// The pause between two reminders: Send Reminder Email, Dunning Pace.
	expect(labels(['minSecondsBetween'])).toEqual(new Set(['Min Seconds Between Emails']));
});

// Compute Dunning Level, Send Reminder Email and Create Reminder Letter each built these their own way.
test('the field name collections read alike: "… Field" labels, the default named, one button text', () => {
	const collections = allParameters().filter(([, p]) => p.name === 'fieldNames' || p.name === 'addressFields');
	expect(collections.map(([where]) => where.split(' › ')[0]).sort()).toEqual(['computeDunningLevel', 'createReminderLetter', 'createReminderLetter', 'sendReminderEmail']);
	for (const [, collection] of collections) {
		expect(collection.placeholder).toBe('Add Field Name');
		for (const option of collection.options as INodeProperties[]) {
			expect(option.displayName).toMatch(/^[A-Z][\w ]* Field$/);
			expect(option.description).toMatch(new RegExp(`[^.]\\. Default: ${String(option.default).replace(/\./g, '\\.')}\\.$`));
		}
	}
});
