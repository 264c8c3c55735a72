/**
 * The n8n editor in headless Chromium: every shipped workflow opens with all its nodes drawn (no
 * "install this node" placeholder), and the mailbox credentials are tested from the credential
 * dialog as a user does it. Needs Debian's chromium (.ci/run installs it) and the mail sandbox.
 */
import { chromiumAvailable, openEditor, openWorkflow, retestCredential, saveCredentialWithPassword, type Editor } from './editor';
import { describeWithSandbox, SANDBOX } from '../servers/sandbox';
import { IMAP_CREDENTIAL_ID, SMTP_CREDENTIAL_ID, shippedWorkflows, startStack, type Stack } from './stack';

const describeWithBrowser = chromiumAvailable() ? describeWithSandbox : describe.skip;

describeWithBrowser('the n8n editor with this package', () => {
	let stack: Stack;
	let editor: Editor;

	beforeAll(async () => {
		stack = await startStack();
		editor = await openEditor(stack.n8n.baseUrl);
	}, 300_000);

	afterAll(async () => {
		await editor?.close();
		await stack?.dispose();
	});

	test.each(Object.keys(shippedWorkflows()))('%s opens with every node drawn and none of ours unknown', async (file) => {
		const wf = stack.workflows[file];
		const canvas = await openWorkflow(editor.page, stack.n8n.baseUrl, wf.id);
		expect(canvas).toEqual({ rendered: wf.nodes.length, placeholder: false });
	});

	test.each([
		['IMAP', IMAP_CREDENTIAL_ID, /^Logged in to 127\.0\.0\.1:10143; \d+ folder\(s\)/],
		['SMTP', SMTP_CREDENTIAL_ID, /127\.0\.0\.1:10025/],
	])('the %s credential tests successfully from its dialog', async (_kind, id, message) => {
		const result = await retestCredential(editor.page, stack.n8n.baseUrl, id);
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(message);
		expect(result.banner).toBe('Connection tested successfully');
	});

	test('a wrong password saved in the dialog fails the test with the cause in words, never the password', async () => {
		await retestCredential(editor.page, stack.n8n.baseUrl, IMAP_CREDENTIAL_ID);
		const result = await saveCredentialWithPassword(editor.page, 'wrong-secret-77');
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`Authentication failed for user "${SANDBOX.users.dunning.user}"`);
		expect(result.message).toContain('app password');
		expect(result.banner).toBe('Couldn’t connect with these settings');
		expect(result.message).not.toContain('wrong-secret-77');
		expect(await editor.page.locator('body').innerText()).not.toContain('wrong-secret-77');
	});
});
