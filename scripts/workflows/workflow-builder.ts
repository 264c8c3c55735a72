import { createHash } from 'node:crypto';

/** What JSON can hold: the parameters of a workflow node are plain JSON. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface CredentialReference {
	id: string;
	name: string;
}

/** Node settings beside `parameters`, in the order they appear in the file. */
export interface NodeSettings {
	credentials?: Record<string, CredentialReference>;
	executeOnce?: boolean;
	alwaysOutputData?: boolean;
	webhookId?: string;
	/**
	 * What n8n does when the node fails: `continueRegularOutput` hands every item on with its status;
	 * `continueErrorOutput` adds an error output (index 1) that takes the failed items.
	 */
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
}

export interface WorkflowNode extends NodeSettings {
	parameters: JsonObject;
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
}

export interface ConnectionTarget {
	node: string;
	type: 'main';
	index: number;
}

/** Per source node: for each of its outputs, the inputs it feeds. */
export type WorkflowConnections = Record<string, { main: ConnectionTarget[][] }>;

/** A workflow file as n8n exports and imports it. */
export interface WorkflowJson {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: WorkflowConnections;
	active: false;
	settings: { executionOrder: 'v1'; timezone: string };
	pinData: Record<string, never>;
	tags: never[];
	meta: { templateCredsSetupCompleted: false };
}

const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** RFC 4122 version-5 (SHA-1, name-based) UUID. */
export function uuidV5(namespace: string, name: string): string {
	const hash = createHash('sha1')
		.update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
		.update(name, 'utf8')
		.digest();
	const bytes = hash.subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x50;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/** Stable ids, so that re-running the generator gives the same files (and users' imports keep their ids). */
export function nid(name: string): string {
	return uuidV5(NAMESPACE_URL, 'n8n-nodes-dunning/' + name);
}

export class WorkflowBuilder {
	private readonly nodes: WorkflowNode[] = [];
	private readonly connections: WorkflowConnections = {};

	constructor(
		readonly id: string,
		readonly name: string,
	) {}

	/** Adds a node; returns its name, which is what connections refer to. */
	add(
		name: string,
		type: string,
		typeVersion: number,
		x: number,
		y: number,
		parameters: JsonObject = {},
		settings: NodeSettings = {},
	): string {
		this.nodes.push({
			parameters,
			id: nid(this.id + '/' + name),
			name,
			type,
			typeVersion,
			position: [x, y],
			...settings,
		});
		return name;
	}

	/** A sticky note; `color` is n8n's colour number (5 blue, 3 pink), none for the default yellow. */
	note(name: string, x: number, y: number, width: number, height: number, text: string, color?: number): string {
		const parameters: JsonObject = { content: text, height, width };
		if (color !== undefined) parameters.color = color;
		return this.add(name, 'n8n-nodes-base.stickyNote', 1, x, y, parameters);
	}

	/** Connects output `output` of `from` to input `input` of `to`. */
	connect(from: string, to: string, output = 0, input = 0): void {
		const outputs = (this.connections[from] ??= { main: [] }).main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: input });
	}

	/**
	 * Moves every node after output `output` of `from` (reachable through it, `from` itself not) `dx`
	 * to the right: room for steps inserted before them. Their heights stay, and with them the order in
	 * which execution order v1 runs sibling branches (top to bottom). `also`: the sticky notes beside
	 * them, which no connection reaches. Only sticky notes: a step moved without the steps after it
	 * would land on them, and a renamed note must not silently stay behind, so anything else throws.
	 */
	moveAfter(from: string, dx: number, also: string[] = [], output = 0): void {
		for (const name of also) {
			const node = this.nodes.find((n) => n.name === name);
			if (!node) throw new Error(`moveAfter(${from}): no node "${name}" to move along`);
			if (node.type !== 'n8n-nodes-base.stickyNote') throw new Error(`moveAfter(${from}): "${name}" is not a sticky note; the nodes after ${from} move by their connections`);
		}
		const seen = new Set<string>();
		const walk = (name: string, only?: number) => {
			for (const [index, targets] of (this.connections[name]?.main ?? []).entries()) {
				if (only !== undefined && index !== only) continue;
				for (const { node } of targets) {
					if (seen.has(node)) continue;
					seen.add(node);
					walk(node);
				}
			}
		};
		walk(from, output);
		for (const name of also) seen.add(name);
		for (const node of this.nodes) if (seen.has(node.name)) node.position = [node.position[0] + dx, node.position[1]];
	}

	toJson(): WorkflowJson {
		return {
			id: this.id,
			name: this.name,
			nodes: this.nodes,
			connections: this.connections,
			active: false,
			// The schedules (weekdays 09:00) and $now are German time, as the dates the workflows write,
			// whatever the instance's GENERIC_TIMEZONE (n8n's default is America/New_York).
			settings: { executionOrder: 'v1', timezone: 'Europe/Berlin' },
			pinData: {},
			tags: [],
			meta: { templateCredsSetupCompleted: false },
		};
	}

	/** The file's text: two-space JSON with a final newline, non-ASCII kept as is. */
	serialize(): string {
		return JSON.stringify(this.toJson(), null, 2) + '\n';
	}
}
