/**
 * Everything a user would have after installing the package and importing the shipped workflows,
 * against the loopback mail sandbox: one real n8n (its own user folder and SQLite database) with
 * this package installed as a community package, sandbox credentials, every `workflows/*.json`,
 * the server started and an owner logged in. Shared by the end-to-end tests, `npm run demo` and
 * `npm run dev`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	checkPackageLoads,
	ensureN8nInstalled,
	N8nInstance,
	nodeOutputs,
	packAndInstallPackage,
	PROJECT_ROOT,
	type N8nCredential,
	type N8nInstall,
} from './n8n';
import { withSandboxImap } from '../servers/sandbox';
import { dumpTableWorkflow, loadSampleInvoices, seedInvoicesWorkflow, type SampleInvoice } from './sample-data';

/** Ids and names the shipped workflows reference (see scripts/workflows/). */
export const SMTP_CREDENTIAL_ID = 'dunning-smtp';
export const IMAP_CREDENTIAL_ID = 'dunning-imap';
export const WEBHOOK_WORKFLOW_ID = 'dunningRunHook01';
export const WEBHOOK_PATH = 'dunning-run';
/** The ERP webhook's Header Auth credential (scripts/workflows/dunning-run-webhook.ts, ERP_TOKEN_CRED). */
export const WEBHOOK_CREDENTIAL_ID = 'dunning-erp-token';
/** The header the ERP sends its token in, as the operator names it in the credential. */
export const WEBHOOK_TOKEN_HEADER = 'X-Dunning-Token';
/** This process's token, made up at random as an operator should: never printed or logged. */
const WEBHOOK_TOKEN = randomBytes(32).toString('hex');

/** The Header Auth credential the shipped webhook run references, as an operator creates it. */
export function webhookTokenCredential(): N8nCredential {
	return { id: WEBHOOK_CREDENTIAL_ID, name: 'Dunning ERP Token', type: 'httpHeaderAuth', data: { name: WEBHOOK_TOKEN_HEADER, value: WEBHOOK_TOKEN } };
}

/** The header an ERP sends with each POST to the webhook run. */
export function webhookAuthHeaders(): Record<string, string> {
	return { [WEBHOOK_TOKEN_HEADER]: WEBHOOK_TOKEN };
}

/** Credentials for the Postfix/Dovecot sandbox (test/servers/mail-sandbox.sh), as a user would fill them in. */
export function sandboxCredentials(): N8nCredential[] {
	return [
		{
			id: SMTP_CREDENTIAL_ID,
			name: 'Dunning Mailbox (SMTP)',
			type: 'dunningSmtpApi',
			data: {
				host: '127.0.0.1',
				security: 'none',
				port: 10025,
				user: '',
				password: '',
				fromAddress: 'dunning@example.test',
				fromName: 'Muster GmbH Buchhaltung',
				replyTo: '',
				bcc: '',
				allowSelfSigned: true,
			},
		},
		{
			id: IMAP_CREDENTIAL_ID,
			name: 'Dunning Mailbox (IMAP)',
			type: 'dunningImapApi',
			data: {
				host: '127.0.0.1',
				security: 'starttls',
				port: 10143,
				user: 'dunning@example.test',
				password: 'dunning-pass',
				allowSelfSigned: true,
				inboxFolder: 'INBOX',
				sentFolder: 'Sent',
				processedFolder: '',
			},
		},
	];
}

export type WorkflowJson = Record<string, unknown> & { id: string; name: string; nodes: Array<Record<string, unknown>> };

/** The shipped workflows, by file name without `.json`. */
export function shippedWorkflows(): Record<string, WorkflowJson> {
	const dir = join(PROJECT_ROOT, 'workflows');
	const out: Record<string, WorkflowJson> = {};
	for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
		out[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, f), 'utf8')) as WorkflowJson;
	}
	return out;
}

/**
 * The sender's pause between mails to 0 s (the shipped default is 60 s), and its sending window
 * off (sendAtAnyTime): the sandbox is our own Postfix, and one tick should send everything, at any
 * hour. Changes only the documented knobs, in the Settings node.
 * Bounce processing reads bounces at once (shipped: once they are 2 minutes old), as a test or the
 * demo runs it right after the send.
 */
export function fastSending(name: string, wf: WorkflowJson): void {
	if (name === 'bounce-processing') {
		const read = wf.nodes.find((n) => n.name === 'Read Mailbox') as { parameters: { options: Record<string, unknown> } };
		read.parameters.options.minAgeSeconds = 0;
		return;
	}
	if (name === 'send-released') {
		setSetting(wf, 'minSecondsBetween', 0);
		sendAtAnyTime(wf);
	}
}

/**
 * Switches the sender's sending window off (shipped: Mon–Fri 08:00–18:00, closed on DE's public
 * holidays), as its note tells operators to, so that tests and the demo send at any hour and day.
 */
export function sendAtAnyTime(wf: WorkflowJson): void {
	setSetting(wf, 'sendingDays', 'Mon-Sun');
	setSetting(wf, 'sendingHoursFrom', '00:00');
	setSetting(wf, 'sendingHoursUntil', '24:00');
	setSetting(wf, 'holidayRegion', '');
}

/** One value of a shipped workflow's Settings node, the knob its notes tell operators to turn. */
export function setSetting(wf: WorkflowJson, name: string, value: unknown): void {
	const settings = wf.nodes.find((n) => n.name === 'Settings') as { parameters: { assignments: { assignments: Array<{ name: string; value: unknown }> } } } | undefined;
	const assignment = settings?.parameters.assignments.assignments.find((a) => a.name === name);
	if (!assignment) throw new Error(`workflow "${wf.name}" has no setting "${name}"`);
	assignment.value = value;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}

/** The tables a test can read, each through a workflow that dumps it. */
const DUMP_WORKFLOWS = { dunning_invoices: 'dumpInvoices0001', dunning_reminders: 'dumpReminders001', dunning_mailboxes: 'dumpMailboxes001' } as const;
type DumpedTable = keyof typeof DUMP_WORKFLOWS;

export interface Stack {
	install: N8nInstall;
	n8n: N8nInstance;
	port: number;
	workflows: Record<string, WorkflowJson>;
	invoices: SampleInvoice[];
	/** Loads the sample invoices into the `dunning_invoices` Data Table. */
	seedInvoices(): Promise<void>;
	/** All rows of a Data Table. */
	table(name: DumpedTable): Promise<Array<Record<string, unknown>>>;
	dispose(): Promise<void>;
}

export interface StackOptions {
	/** Build before packing (default true). */
	build?: boolean;
	/** Use this user folder instead of a temp dir (kept afterwards). */
	userFolder?: string;
	port?: number;
	/** Patches applied to shipped workflows before import (e.g. a faster throttle for the demo). */
	patch?: (name: string, wf: WorkflowJson) => void;
	/** Show n8n's own output. */
	verbose?: boolean;
	log?: (line: string) => void;
	/**
	 * Empty the sandbox mailbox's INBOX first. Bounce processing started by hand reads the oldest
	 * 200 messages every time (n8n keeps no "new since last run" position for manual runs), so
	 * earlier runs' mail in the shared sandbox would hide this run's bounces.
	 */
	emptyInbox?: boolean;
}

/** Deletes every message in the sandbox mailbox's INBOX (only the sandbox's test account). */
async function emptySandboxInbox(): Promise<number> {
	return withSandboxImap('dunning', async (client) => {
		const lock = await client.getMailboxLock('INBOX');
		try {
			const count = client.mailbox ? client.mailbox.exists : 0;
			if (count > 0) await client.messageDelete('1:*');
			return count;
		} finally {
			lock.release();
		}
	});
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
	const log = options.log ?? (() => undefined);
	const started = Date.now();
	const install = ensureN8nInstalled();
	log(`n8n ${install.version} ready in ${install.cacheDir} (${Date.now() - started} ms)`);

	if (options.emptyInbox) log(`sandbox INBOX emptied (${await emptySandboxInbox()} earlier messages)`);
	const nodesRoot = mkdtempSync(join(tmpdir(), 'dunning-nodes-'));
	const nodesDir = join(nodesRoot, 'nodes');
	const packageDir = packAndInstallPackage(nodesDir, { build: options.build });
	checkPackageLoads(install, packageDir);
	log(`package packed and installed as a community package (${Date.now() - started} ms)`);

	const n8n = N8nInstance.create(install, nodesDir, options.userFolder);
	// The user folder has its own copy now.
	rmSync(nodesRoot, { recursive: true, force: true });
	// The mailboxes, and the token the ERP webhook checks (published below; without it n8n answers 500).
	await n8n.importCredentials([...sandboxCredentials(), webhookTokenCredential()]);
	const workflows = shippedWorkflows();
	for (const [name, wf] of Object.entries(workflows)) options.patch?.(name, wf);
	const invoices = loadSampleInvoices();
	await n8n.importWorkflows([
		...Object.values(workflows),
		seedInvoicesWorkflow(invoices),
		...Object.entries(DUMP_WORKFLOWS).map(([table, id]) => dumpTableWorkflow(table, id)),
	]);
	log(`credentials and ${Object.keys(workflows).length} workflows imported (${Date.now() - started} ms)`);

	// The ERP webhook only answers on an active (published) workflow, as for users.
	const published = await n8n.cli(['publish:workflow', `--id=${WEBHOOK_WORKFLOW_ID}`]);
	if (published.code !== 0) throw new Error(`publishing the webhook workflow failed: ${published.stderr}`);

	const port = options.port ?? (await freePort());
	try {
		await n8n.start(port, {}, options.verbose ?? false);
		await n8n.setupOwner();
	} catch (error) {
		// Never leave a server behind (it would also keep jest from exiting).
		await n8n.dispose();
		throw error;
	}
	log(`n8n listening on http://127.0.0.1:${port} (${Date.now() - started} ms)`);

	const table = async (name: DumpedTable) => {
		const r = await n8n.runManually(DUMP_WORKFLOWS[name]);
		if (r.status !== 'success') throw new Error(`reading ${name} failed: ${JSON.stringify(r.data?.resultData.error)}`);
		return (nodeOutputs(r.data, 'Rows')[0] ?? []).filter((row) => row.id !== undefined);
	};

	return {
		install,
		n8n,
		port,
		workflows,
		invoices,
		async seedInvoices() {
			const r = await n8n.runManually('seedInvoices0001');
			if (r.status !== 'success') throw new Error(`loading sample invoices failed: ${JSON.stringify(r.data?.resultData.error)}`);
		},
		table,
		dispose: async () => await n8n.dispose(),
	};
}
