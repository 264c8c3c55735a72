/**
 * Set-up for tests that run Send Reminder Email through the real n8n engine (./engine) to a real
 * SMTP server on loopback (../mail/smtp-test-server): a reminder item as Compute Dunning Level
 * outputs it, the node with test settings (no pacing, no cap, no wait between retries), its SMTP
 * credential, and the servers of each test, closed after it. Each file overrides what it tests.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { startTestServer, type TestServer, type TestServerOptions } from '../mail/smtp-test-server';
import { node, runWorkflow, type RunResult } from './engine';

export const SMTP_USER = 'buchhaltung@shop.example';
export const SMTP_PASSWORD = 'n0de-Test-Pass';
/** The node's reference to its SMTP credential; the run stores the credential's data under its id. */
export const SMTP_CREDENTIAL_REF = { id: 'smtp-1', name: 'Shop mailbox' };

/**
 * Reminder `n`: level 1 of an invoice of 100 EUR, no fees, deadline in 2099. `over` replaces
 * fields of the item (a whole `dunning` too); `dunning` replaces fields of the default `dunning`.
 */
export function reminderItem(n: number | string, over: IDataObject = {}, dunning: IDataObject = {}): INodeExecutionData {
	const decision = { action: 'send', level: 1, fee: 0, flatFee: 0, interest: 0, totalDue: 100, deadline: '2099-03-02', ...dunning };
	const invoice = { invoiceId: `inv-${n}`, invoiceNumber: `RE-${n}`, customerName: `Kunde ${n}`, email: `kunde${n}@kunden.example` };
	return { json: { ...invoice, language: 'de', dueDate: '2026-02-09', currency: 'EUR', openAmount: 100, dunning: decision, ...over } };
}

/** The SMTP credential's data for a loopback server without TLS; `over` replaces fields (sender name, host…). */
export function smtpCredential(server: { port: number }, over: IDataObject = {}): ICredentialDataDecryptedObject {
	const login = { user: SMTP_USER, password: SMTP_PASSWORD, fromAddress: SMTP_USER, fromName: 'Shop' };
	return { host: '127.0.0.1', port: server.port, security: 'none', ...login, replyTo: '', bcc: '', allowSelfSigned: false, ...over };
}

/** The node named Send, operation Send Reminder, unpaced; `parameters` and `extra` (node fields) replace the defaults. */
export function sendReminderNode(parameters: IDataObject = {}, extra: Partial<INode> = {}): INode {
	const unpaced = { operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, options: { retryDelaySeconds: 0 } };
	return node('sendReminderEmail', 'Send', { ...unpaced, ...parameters }, { credentials: { dunningSmtpApi: SMTP_CREDENTIAL_REF }, ...extra });
}

export interface SendReminderRunOptions {
	/** Node parameters over sendReminderNode's. */
	parameters?: IDataObject;
	/** Node fields over sendReminderNode's (name, onError, credentials). */
	node?: Partial<INode>;
	/** Credential fields over smtpCredential's. */
	credential?: IDataObject;
	/** The engine's processed-data record is kept per workflow id (runWorkflow's default when not given). */
	workflowId?: string;
	signal?: AbortSignal;
}

/** Runs the node alone, seeded with `items`, sending to `server`. */
export async function runSendReminder(server: { port: number }, items: INodeExecutionData[], options: SendReminderRunOptions = {}): Promise<RunResult> {
	const send = sendReminderNode(options.parameters, options.node);
	return await runWorkflow({
		workflowId: options.workflowId,
		nodes: [send],
		input: { node: send.name, items },
		credentials: { [SMTP_CREDENTIAL_REF.id]: smtpCredential(server, options.credential) },
		signal: options.signal,
	});
}

export const deliveryOf = (item: INodeExecutionData) => item.json.delivery as IDataObject;

export interface SmtpServersPerTest {
	/** Starts a server that accepts SMTP_USER's login; it is closed when the test ends. */
	start(options?: Partial<TestServerOptions>): Promise<TestServer>;
	/** The server the test started last, started now if there is none. */
	current(): Promise<TestServer>;
}

/** The loopback SMTP servers of each test. Registers an afterEach: call it in a file's or describe's body. */
export function smtpServersPerTest(password = SMTP_PASSWORD): SmtpServersPerTest {
	let started: TestServer[] = [];
	afterEach(async () => {
		await Promise.all(started.map((s) => s.close()));
		started = [];
	});
	const start = async (options: Partial<TestServerOptions> = {}) => {
		const server = await startTestServer({ security: 'none', users: { [SMTP_USER]: password }, ...options });
		started.push(server);
		return server;
	};
	return { start, current: async () => started.at(-1) ?? (await start()) };
}
