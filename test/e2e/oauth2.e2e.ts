/**
 * OAuth2 mailboxes in a real n8n (issue 5): our Microsoft 365 credential type, which extends n8n's
 * own `microsoftOAuth2Api` from n8n-nodes-base, loaded from the packed community package; its
 * expired token refreshed by n8n's real CredentialsHelper against a loopback token endpoint and
 * written back into n8n's database; Read Mailbox signing in to the sandbox's Dovecot with the
 * new token (XOAUTH2/OAUTHBEARER, checked by Dovecot's oauth2 passdb at 127.0.0.1:10080).
 * Own n8n user folder and server; runs go through the server's "Execute workflow" endpoint.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appendMessages, deleteFolders, describeWithSandbox, SANDBOX, testMessage, uniqueFolder } from '../servers/sandbox';
import { OAuth2TestServer } from '../oauth/token-server';
import { checkPackageLoads, ensureN8nInstalled, N8nInstance, nodeOutputs, packAndInstallPackage } from './n8n';

const USER = SANDBOX.users.dunning.user;

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}
const CREDENTIAL_ID = 'dunning-m365-e2e';

describeWithSandbox('OAuth2 mailbox (Microsoft 365 type) in a real n8n', () => {
	let n8n: N8nInstance;
	let tokens: OAuth2TestServer;
	let nodesDir: string;
	const folders: string[] = [];

	beforeAll(async () => {
		tokens = await new OAuth2TestServer().start(0, 10080);
		const install = ensureN8nInstalled();
		nodesDir = mkdtempSync(join(tmpdir(), 'dunning-oauth-nodes-'));
		checkPackageLoads(install, packAndInstallPackage(nodesDir));
		n8n = N8nInstance.create(install, nodesDir);
		await n8n.start(await freePort());
		// start() can return while n8n still answers "n8n is starting up" (HTML, status 200).
		for (let i = 0; ; i++) {
			try {
				await n8n.setupOwner();
				break;
			} catch (error) {
				if (i >= 120) throw error;
				await new Promise((r) => setTimeout(r, 500));
			}
		}
	}, 600_000);

	afterAll(async () => {
		await deleteFolders('dunning', folders).catch(() => undefined);
		await n8n?.dispose();
		await tokens?.stop();
		if (nodesDir) rmSync(nodesDir, { recursive: true, force: true });
	});

	async function importCredential(tokenData: Record<string, unknown>) {
		await n8n.importCredentials([
			{
				id: CREDENTIAL_ID,
				name: 'Shop 365',
				type: 'dunningMicrosoftOAuth2Api',
				data: tokens.microsoftCredentialData(
					USER,
					{ smtpHost: '127.0.0.1', smtpPort: SANDBOX.smtpPort, smtpSecurity: 'none', imapHost: SANDBOX.host, imapPort: SANDBOX.imapPort, imapSecurity: 'starttls' },
					tokenData,
				),
			},
		]);
	}

	async function readWorkflow(id: string, folder: string) {
		await n8n.importWorkflows([
			{
				id,
				name: id,
				active: false,
				settings: { executionOrder: 'v1' },
				connections: { 'Manual Trigger': { main: [[{ node: 'Read Mailbox', type: 'main', index: 0 }]] } },
				nodes: [
					{ id: 'a', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{
						id: 'b',
						name: 'Read Mailbox',
						type: 'n8n-nodes-dunning.readMailbox',
						typeVersion: 1,
						position: [200, 0],
						parameters: { authentication: 'microsoftOAuth2', folder, mode: 'unseen', postAction: 'seen' },
						credentials: { dunningMicrosoftOAuth2Api: { id: CREDENTIAL_ID, name: 'Shop 365' } },
					},
				],
			},
		]);
		return id;
	}

	/** Runs the workflow from its Manual Trigger through the server, as the editor's button does. */
	async function execute(workflowId: string) {
		return await n8n.runManually(workflowId);
	}

	async function storedTokenData(): Promise<Record<string, unknown>> {
		const file = join(n8n.userFolder, 'creds-export.json');
		const r = await n8n.cli(['export:credentials', `--id=${CREDENTIAL_ID}`, '--decrypted', `--output=${file}`]);
		if (r.code !== 0) throw new Error(`export:credentials failed: ${r.stderr}`);
		const [credential] = JSON.parse(readFileSync(file, 'utf8')) as Array<{ data: { oauthTokenData: Record<string, unknown> } }>;
		rmSync(file, { force: true });
		return credential.data.oauthTokenData;
	}

	test('an expired token is refreshed by n8n, stored in its database, and the mailbox is read', async () => {
		const folder = uniqueFolder('oauth-e2e');
		folders.push(folder);
		await appendMessages('dunning', folder, [testMessage({ subject: 'read by real n8n over oauth', marker: folder })]);
		const issued = tokens.issue(USER, -300);
		await importCredential(tokens.tokenData(issued));

		const r = await execute(await readWorkflow('oauthReadE2e0001', folder));
		expect({ status: r.status, error: r.data?.resultData.error?.message }).toEqual({ status: 'success', error: undefined });
		expect(nodeOutputs(r.data, 'Read Mailbox')[0].map((i) => i.subject)).toEqual(['read by real n8n over oauth']);
		expect(tokens.count('/token', 'refresh_token')).toBe(1);

		const stored = await storedTokenData();
		expect(stored.access_token).not.toBe(issued.accessToken);
		expect(tokens.validate(String(stored.access_token))).toBe(USER);
		expect(stored.refresh_token).toBe(issued.refreshToken);
		expect(JSON.stringify(r.data)).not.toContain(issued.refreshToken);
	});

	test('revoked access: the run fails with "reconnect the credential" and the message stays unread', async () => {
		const folder = uniqueFolder('oauth-e2e-revoked');
		folders.push(folder);
		await appendMessages('dunning', folder, [testMessage({ subject: 'not read', marker: folder })]);
		const issued = tokens.issue(USER, -300);
		await importCredential(tokens.tokenData(issued));
		tokens.revokeUser(USER);

		const r = await execute(await readWorkflow('oauthReadE2e0002', folder));
		expect(r.status).toBe('error');
		expect(r.data?.resultData.error?.message).toMatch(/Reconnect the credential "Shop 365" \(Microsoft 365\)/);
		expect(JSON.stringify(r.data)).not.toContain(issued.accessToken);
		expect(JSON.stringify(r.data)).not.toContain(issued.refreshToken);
	});
});
