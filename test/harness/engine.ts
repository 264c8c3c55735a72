/**
 * Runs workflows through the real n8n engine in-process (n8n-core's WorkflowExecute), the way
 * n8n's own node test harness does: our node and credential classes are registered from the
 * `n8n` field of package.json (source files, so no build is needed), credentials are served
 * decrypted from an in-memory store, and a run can be seeded with items at any node.
 *
 * What is not real here, and why: the credential store and the processed-data (deduplication)
 * store live in memory instead of n8n's database; everything between them is the engine itself.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { DataDeduplicationService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ApplicationError,
	createRunExecutionData,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRun,
	type ITriggerFunctions,
	type ITriggerResponse,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { InMemoryDeduplicator } from './deduplicator';

export const PACKAGE_PREFIX = 'n8n-nodes-dunning';
const ROOT = join(__dirname, '..', '..');

interface PackageJson {
	n8n: { nodes: string[]; credentials: string[] };
}

/** `dist/nodes/X/X.node.js` → the TypeScript source beside the repo root. */
function sourceOf(distPath: string): string {
	return join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function loadClass<T>(distPath: string): T {
	const file = sourceOf(distPath);
	if (!existsSync(file)) throw new ApplicationError(`package.json lists ${distPath}, but ${file} is missing`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const moduleExports = require(file) as Record<string, new () => T>;
	const className = distPath.split('/').pop()!.split('.')[0];
	const Class = moduleExports[className];
	if (!Class) throw new ApplicationError(`${file} does not export class ${className}`);
	return new Class();
}

// ---------------------------------------------------------------------------------------------
// Test-only node types: the triggers and pass-through n8n ships, reduced to what tests need.

class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test stand-in for n8n’s Manual Trigger: emits one empty item',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const emit = () => this.emit([[{ json: {} }]]);
		return { manualTriggerFunction: async () => emit() };
	}
}

class NoOp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'No Operation',
		name: 'noOp',
		group: ['transform'],
		version: 1,
		description: 'Passes its input through unchanged (the benchmark baseline)',
		defaults: { name: 'No Operation' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * n8n's Set node in raw mode, reduced: outputs its parameter `json`, an expression evaluated per
 * item with the full context ($json, $('Node').item), e.g. to run the expressions of a shipped
 * workflow's Data Table node without a database.
 */
class Evaluate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Evaluate',
		name: 'evaluate',
		group: ['transform'],
		version: 1,
		description: 'Outputs the value of its expression per item',
		defaults: { name: 'Evaluate' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'JSON', name: 'json', type: 'json', default: '{}' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_, i) => {
				const value = this.getNodeParameter('json', i) as IDataObject | string;
				return { json: typeof value === 'string' ? (JSON.parse(value) as IDataObject) : value, pairedItem: { item: i } };
			}),
		];
	}
}

// ---------------------------------------------------------------------------------------------

class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	register(name: string, type: INodeType | IVersionedNodeType) {
		this.types.set(name, type);
	}

	getByName(nodeType: string) {
		const type = this.types.get(nodeType);
		if (!type) throw new ApplicationError(`Unknown node type: ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = this.getByName(nodeType);
		return 'nodeVersions' in type ? type.getNodeType(version) : type;
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	names() {
		return [...this.types.keys()];
	}
}

/** Credentials by type (or by credential id, which wins), writable by OAuth2 token refreshes. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly store: Record<string, ICredentialDataDecryptedObject>,
		private readonly credentialTypes: Map<string, ICredentialType>,
	) {
		super();
	}

	private lookup(details: INodeCredentialsDetails, type: string) {
		const data = (details.id && this.store[details.id]) || this.store[type];
		if (!data) throw new ApplicationError(`No test credentials for type ${type}`);
		return data;
	}

	getParentTypes(name: string): string[] {
		const type = this.credentialTypes.get(name);
		const parents = type?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(_c: ICredentialDataDecryptedObject, _t: string, requestOptions: IHttpRequestOptions) {
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new ApplicationError('getCredentials is not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		details: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		// A copy, as n8n decrypts afresh for every call: nodes must not rely on mutating it.
		return structuredClone(this.lookup(details, type));
	}

	async updateCredentials(details: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		Object.assign(this.lookup(details, type), data);
	}

	async updateCredentialsOauthTokenData(
		details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		Object.assign(this.lookup(details, type), data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.get(type)?.properties ?? [];
	}
}

// ---------------------------------------------------------------------------------------------

let registry: { nodeTypes: TestNodeTypes; credentialTypes: Map<string, ICredentialType> } | undefined;
let deduplicatorReady: Promise<void> | undefined;
export const deduplicator = new InMemoryDeduplicator();

/** Registers an extra node type (test-only nodes), e.g. to exercise the harness itself. */
export function registerNodeType(name: string, type: INodeType) {
	loadPackage().nodeTypes.register(name, type);
}

/** Our package's node and credential classes, as n8n would load them, plus the test nodes. */
export function loadPackage() {
	if (registry) return registry;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const pkg = require(join(ROOT, 'package.json')) as PackageJson;
	const nodeTypes = new TestNodeTypes();
	const credentialTypes = new Map<string, ICredentialType>();
	for (const path of pkg.n8n.nodes) {
		const type = loadClass<INodeType | IVersionedNodeType>(path);
		nodeTypes.register(`${PACKAGE_PREFIX}.${type.description.name}`, type);
	}
	for (const path of pkg.n8n.credentials) {
		const type = loadClass<ICredentialType>(path);
		credentialTypes.set(type.name, type);
	}
	nodeTypes.register('n8n-nodes-base.manualTrigger', new ManualTrigger());
	nodeTypes.register('n8n-nodes-base.noOp', new NoOp());
	nodeTypes.register('n8n-nodes-base.evaluate', new Evaluate());
	registry = { nodeTypes, credentialTypes };
	return registry;
}

let nodeCounter = 0;

/**
 * Builds a workflow node. Our own types are given without package prefix ('computeDunningLevel');
 * n8n's as 'n8n-nodes-base.x'; 'manualTrigger', 'noOp' and 'evaluate' are the test stand-ins.
 */
export function node(type: string, name: string, parameters: INode['parameters'] = {}, extra: Partial<INode> = {}): INode {
	const fullType = type.includes('.')
		? type
		: ['manualTrigger', 'noOp', 'evaluate'].includes(type)
			? `n8n-nodes-base.${type}`
			: `${PACKAGE_PREFIX}.${type}`;
	return {
		id: `node-${++nodeCounter}`,
		name,
		type: fullType,
		typeVersion: 1,
		position: [nodeCounter * 200, 0],
		parameters,
		...extra,
	};
}

/** Connects nodes in a line: chain('A', 'B', 'C'). Output index 0 of each into the next. */
export function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main' as never, index: 0 }]] };
	}
	return connections;
}

export interface RunWorkflowOptions {
	nodes: INode[];
	connections?: IConnections;
	/** Seed the run at this node with these items (no trigger needed). */
	input?: { node: string; items: INodeExecutionData[] };
	/** Decrypted credential data, keyed by credential type or credential id. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Workflow static data (kept by n8n between runs); pass the same object to simulate that. */
	staticData?: IDataObject;
	workflowId?: string;
	mode?: WorkflowExecuteMode;
	/** Aborting cancels the execution, as the editor's stop button does. */
	signal?: AbortSignal;
	/** The workflow's time zone ($now, $today); n8n's default (America/New_York) when not given. */
	timezone?: string;
}

export interface RunResult {
	status: IRun['status'];
	/** The run's error (errors are plain objects after a run), if it failed. */
	error?: { message: string; description?: string | null; node?: { name: string } };
	/** The outputs of the node's first run: one array of items per output. */
	outputs(nodeName: string): INodeExecutionData[][];
	/** The items of one output of the node's first run. */
	items(nodeName: string, output?: number): INodeExecutionData[];
	/** The node's own error if it failed. */
	nodeError(nodeName: string): { message: string; description?: string | null } | undefined;
	run: IRun;
	staticData: IDataObject;
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunResult> {
	const { nodeTypes, credentialTypes } = loadPackage();
	deduplicatorReady ??= DataDeduplicationService.init(deduplicator);
	await deduplicatorReady;

	const mode = options.mode ?? 'manual';
	const staticData = options.staticData ?? {};
	const workflowData: IWorkflowBase = {
		id: options.workflowId ?? 'test-workflow',
		name: 'test',
		active: false,
		isArchived: false,
		nodes: options.nodes,
		connections: options.connections ?? {},
		settings: { executionOrder: 'v1', ...(options.timezone ? { timezone: options.timezone } : {}) },
		staticData,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		staticData,
		settings: workflowData.settings,
	});

	const executionId = `exec-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	let resolveRun!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));

	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? {}, credentialTypes),
		executionId,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		executeWorkflow: async () => {
			throw new ApplicationError('Sub-workflows are not supported in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new ApplicationError('Task runners are not supported in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	let startNode: INode | undefined;
	let startItems: INodeExecutionData[];
	if (options.input) {
		startNode = workflow.getNode(options.input.node) ?? undefined;
		startItems = options.input.items;
	} else {
		startNode = options.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
		startItems = [{ json: {} }];
	}
	if (!startNode) throw new ApplicationError('No start node: give `input` or add a manualTrigger node');

	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [startItems] }, source: null }] },
	});

	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	if (options.signal) {
		const cancel = () => running.cancel();
		if (options.signal.aborted) cancel();
		else options.signal.addEventListener('abort', cancel, { once: true });
	}
	await running;
	const run = await finished;

	const runData = run.data.resultData.runData;
	const outputs = (nodeName: string) => (runData[nodeName]?.[0]?.data?.main ?? []).map((items) => items ?? []);
	const runError = run.data.resultData.error as RunResult['error'] | undefined;
	return {
		status: run.status,
		error: runError,
		outputs,
		items: (nodeName, output = 0) => outputs(nodeName)[output] ?? [],
		nodeError: (nodeName) => runData[nodeName]?.[0]?.error as ReturnType<RunResult['nodeError']>,
		run,
		staticData: workflow.staticData,
	};
}
