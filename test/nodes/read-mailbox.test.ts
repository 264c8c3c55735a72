import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService, PollContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { chain, loadPackage, node, runWorkflow, TestCredentialsHelper } from '../harness/engine';
import { IMAP_NODE_CREDENTIALS as creds, sandboxImapCredential as imapCredential } from '../harness/read-mailbox-node';
import { startRawImapServer, type RawImapServer } from '../mailbox/raw-imap-server';
import { ReadMailbox } from '../../nodes/ReadMailbox/ReadMailbox.node';
import { ReadMailboxTrigger } from '../../nodes/ReadMailbox/ReadMailboxTrigger.node';
import {
	appendMessages,
	describeWithSandbox,
	SANDBOX,
	searchUids,
	testMessage,
	temporaryFolders,
	withSandboxImap,
} from '../servers/sandbox';

function messages(marker: string, n: number): string[] {
	return Array.from({ length: n }, (_, i) => testMessage({ subject: `${marker} #${i + 1}`, marker: `${marker}-${i + 1}` }));
}

function binaryText(item: INodeExecutionData, prop = 'data'): string {
	return Buffer.from(item.binary![prop].data, 'base64').toString();
}

async function unseenCount(folder: string): Promise<number> {
	return (await searchUids('dunning', folder, { seen: false })).length;
}

describeWithSandbox('Read Mailbox node through the n8n engine', () => {
	const folder = temporaryFolders('dunning');

	it('a folder the server renumbered since the last run says so in a warning, and "only new messages" reads what arrived meanwhile', async () => {
		const f = folder('node-renumbered');
		await appendMessages('dunning', f, messages('nr-old', 1));
		const staticData: IDataObject = {};
		const run = () =>
			runWorkflow({
				nodes: [node('readMailbox', 'Read', { folder: f, mode: 'sinceUid', firstRun: 'newOnly', postAction: 'none' }, { credentials: creds })],
				input: { node: 'Read', items: [{ json: {} }] },
				credentials: { dunningImapApi: imapCredential() },
				staticData,
				mode: 'trigger',
			});
		expect((await run()).items('Read')).toEqual([]);
		await withSandboxImap('dunning', async (c) => {
			await c.mailboxDelete(f);
			await c.mailboxCreate(f);
		});
		await appendMessages('dunning', f, messages('nr-new', 1));
		const second = await run();
		expect(second.items('Read').map((i) => i.json.subject)).toEqual(['nr-new #1']);
		expect(second.run.data.resultData.runData.Read[0].hints).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^The mail server renumbered this folder since the last run .*The messages that arrived since the last run were read/) })]);
	});

	it('emits each message as binary (message/rfc822) plus headers, moves it, and resumes next run', async () => {
		const f = folder('node');
		const dest = folder('node-done');
		const uids = await appendMessages('dunning', f, messages('node', 3));
		const staticData: IDataObject = {};
		const params = {
			folder: f,
			mode: 'sinceUid',
			firstRun: 'all',
			maxMessages: 2,
			postAction: 'move',
			moveToFolder: dest,
			createFolder: true,
			options: { binaryPropertyName: 'eml' },
		};
		const wf = () => ({
			nodes: [node('readMailbox', 'Read', params, { credentials: creds })],
			input: { node: 'Read', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential() },
			staticData,
		});

		const r1 = await runWorkflow(wf());
		expect(r1.error).toBeUndefined();
		expect(r1.status).toBe('success');
		const items = r1.items('Read');
		expect(items.map((i) => i.json.uid)).toEqual(uids.slice(0, 2));
		expect(items[0].json).toMatchObject({
			mailbox: 'dunning@example.test',
			folder: f,
			subject: 'node #1',
			fromAddress: 'customer@example.org',
			afterReading: 'moved',
			movedTo: dest,
		});
		expect(items[0].binary!.eml.mimeType).toBe('message/rfc822');
		expect(items[0].binary!.eml.fileName).toBe(`message-${uids[0]}.eml`);
		expect(binaryText(items[0], 'eml')).toContain('X-Test-Marker: node-1');
		expect(await searchUids('dunning', f)).toEqual([uids[2]]);
		expect(await searchUids('dunning', dest)).toHaveLength(2);

		const r2 = await runWorkflow(wf());
		expect(r2.items('Read').map((i) => i.json.subject)).toEqual(['node #3']);
		expect(await searchUids('dunning', f)).toEqual([]);

		const r3 = await runWorkflow(wf());
		expect(r3.status).toBe('success');
		expect(r3.items('Read')).toEqual([]);
	});

	it('a message whose item cannot be made (binary storage full) is left untouched, the items before it are kept and moved', async () => {
		const f = folder('node-storage');
		const dest = folder('node-storage-done');
		const uids = await appendMessages('dunning', f, messages('ns', 3));
		// The failure stands in at n8n's binary storage (as a full disk would fail it): only message 2 cannot be stored.
		const service = Container.get(BinaryDataService);
		const store = service.store.bind(service);
		const full = jest.spyOn(service, 'store').mockImplementation(async (location, data, binary) => {
			if (binary.fileName === `message-${uids[1]}.eml`) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
			return await store(location, data, binary);
		});
		const staticData: IDataObject = {};
		const run = (onError?: INode['onError']) =>
			runWorkflow({
				nodes: [
					node('readMailbox', 'Read', { folder: f, mode: 'sinceUid', firstRun: 'all', postAction: 'move', moveToFolder: dest, createFolder: true }, { credentials: creds, onError }),
				],
				input: { node: 'Read', items: [{ json: {} }] },
				credentials: { dunningImapApi: imapCredential() },
				staticData,
				mode: 'trigger',
			});
		try {
			const first = await run();
			expect(first.status).toBe('success');
			expect(first.items('Read').map((i) => [i.json.uid, i.json.afterReading])).toEqual([[uids[0], 'moved']]);
			const why = `Message UID ${uids[1]} in "${f}" could not be passed on: ENOSPC: no space left on device, write. It and the messages after it were left as they were`;
			expect(first.run.data.resultData.runData.Read[0].hints).toEqual([expect.objectContaining({ message: expect.stringContaining(why), type: 'warning' })]);
			expect(await searchUids('dunning', f)).toEqual([uids[1], uids[2]]);
			expect(await searchUids('dunning', dest)).toHaveLength(1);
			expect(JSON.stringify(staticData)).toContain(`"lastUid":${uids[0]}`);

			// Now the failing message comes first: nothing to pass on, so the run fails naming it, and changes nothing.
			const second = await run();
			expect(second.status).toBe('error');
			expect(second.nodeError('Read')?.message).toContain(why);
			expect(await searchUids('dunning', f)).toEqual([uids[1], uids[2]]);

			// With "Continue (using regular output)" it is one item with its UID and the error.
			const third = await run('continueRegularOutput');
			expect(third.status).toBe('success');
			expect(third.items('Read').map((i) => i.json)).toEqual([
				{ mailbox: 'dunning@example.test', folder: f, uid: uids[1], uidValidity: expect.any(String), error: expect.stringContaining(why) },
			]);
			expect(await searchUids('dunning', f)).toEqual([uids[1], uids[2]]);
		} finally {
			full.mockRestore();
		}
		const fourth = await run();
		expect(fourth.items('Read').map((i) => i.json.uid)).toEqual([uids[1], uids[2]]);
		expect(await searchUids('dunning', f)).toEqual([]);
	});

	it('"Min Age (Seconds)": a message that just arrived waits for a later run, and the position stays before it', async () => {
		const f = folder('node-minage');
		const [uid] = await appendMessages('dunning', f, messages('minage', 1));
		const staticData: IDataObject = {};
		const run = (minAgeSeconds: number) =>
			runWorkflow({
				nodes: [node('readMailbox', 'Read', { folder: f, mode: 'sinceUid', firstRun: 'all', postAction: 'none', options: { minAgeSeconds } }, { credentials: creds })],
				input: { node: 'Read', items: [{ json: {} }] },
				credentials: { dunningImapApi: imapCredential() },
				staticData,
			});
		const young = await run(3600);
		expect(young.status).toBe('success');
		expect(young.items('Read')).toEqual([]);
		expect((await run(0)).items('Read').map((i) => i.json.uid)).toEqual([uid]);
	});

	it('"Unread Only" + "Mark as Read" reads each message once', async () => {
		const f = folder('node-unseen');
		await appendMessages('dunning', f, messages('nu', 2));
		const run = () =>
			runWorkflow({
				nodes: [node('readMailbox', 'Read', { folder: f, mode: 'unseen', postAction: 'seen' }, { credentials: creds })],
				input: { node: 'Read', items: [{ json: {} }] },
				credentials: { dunningImapApi: imapCredential() },
			});
		expect((await run()).items('Read')).toHaveLength(2);
		expect(await unseenCount(f)).toBe(0);
		expect((await run()).items('Read')).toHaveLength(0);
	});

	it('"After Reading" left at its default: Do Nothing in version 1.1, Mark as Read in version 1', async () => {
		const f = folder('node-default');
		await appendMessages('dunning', f, messages('nd', 2));
		const run = (typeVersion: number) =>
			runWorkflow({
				nodes: [node('readMailbox', 'Read', { folder: f, mode: 'unseen' }, { credentials: creds, typeVersion })],
				input: { node: 'Read', items: [{ json: {} }] },
				credentials: { dunningImapApi: imapCredential() },
			});
		const current = await run(1.1);
		expect(current.items('Read').map((i) => i.json.afterReading)).toEqual(['none', 'none']);
		expect(await unseenCount(f)).toBe(2);
		// A version 1 node saved before 1.1 stored no "After Reading" and keeps marking as read.
		expect((await run(1)).items('Read').map((i) => i.json.afterReading)).toEqual(['markedRead', 'markedRead']);
		expect(await unseenCount(f)).toBe(0);
	});

	it('wrong password fails the node with a message in words and without the password', async () => {
		const r = await runWorkflow({
			nodes: [node('readMailbox', 'Read', { folder: 'INBOX' }, { credentials: creds })],
			input: { node: 'Read', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential({ password: 'not-the-password-42' }) },
		});
		expect(r.status).toBe('error');
		expect(r.nodeError('Read')?.message).toMatch(/Authentication failed for user "dunning@example.test".*app password/);
		expect(JSON.stringify(r.run.data)).not.toContain('not-the-password-42');
	});

	it('moving to a missing folder without "create" fails before anything is read', async () => {
		const f = folder('node-missing');
		await appendMessages('dunning', f, messages('nm', 1));
		const r = await runWorkflow({
			nodes: [node('readMailbox', 'Read', { folder: f, postAction: 'move', moveToFolder: 'Nowhere/Here' }, { credentials: creds })],
			input: { node: 'Read', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential() },
		});
		expect(r.status).toBe('error');
		expect(r.nodeError('Read')?.message).toContain('"Nowhere/Here" does not exist');
		expect(await unseenCount(f)).toBe(1);
	});

	it('a folder setting with a line break is refused before anything is read, naming the setting (not the server\'s "Unquotable character")', async () => {
		const f = folder('node-crlf');
		await appendMessages('dunning', f, messages('crlf', 1));
		const read = (parameters: IDataObject, credential: IDataObject = {}, onError?: 'continueRegularOutput') =>
			runWorkflow({
				nodes: [node('readMailbox', 'Read', parameters as never, { credentials: creds, ...(onError ? { onError } : {}) })],
				input: { node: 'Read', items: [{ json: {} }] },
				credentials: { dunningImapApi: imapCredential(credential) },
			});
		const moveTo = await read({ folder: f, postAction: 'move', moveToFolder: 'X\r\nA2 DELETE INBOX', createFolder: true });
		expect(moveTo.status).toBe('error');
		expect(moveTo.nodeError('Read')?.message).toBe('"Move to Folder" (moveToFolder) contains a line break: "X\\r\\nA2 DELETE INBOX". A folder name is one line of text without control characters.');
		const toRead = await read({ folder: 'INBOX\r\nA1 LOGOUT', postAction: 'none' });
		expect(toRead.nodeError('Read')?.message).toMatch(/^"Folder" \(folder\) contains a line break: "INBOX\\r\\nA1 LOGOUT"\./);
		const processed = await read({ folder: f, postAction: 'move', moveToFolder: '' }, { processedFolder: 'Done\nX' });
		expect(processed.nodeError('Read')?.message).toMatch(/^The "Processed Folder" of the IMAP credential \(used as "Move to Folder" is empty\) contains a line break: /);
		// Under Continue On Fail: one error item with the same words.
		const soft = await read({ folder: f, postAction: 'move', moveToFolder: 'X\nY', createFolder: true }, {}, 'continueRegularOutput');
		expect(soft.items('Read').map((i) => i.json.error)).toEqual([expect.stringMatching(/^"Move to Folder" \(moveToFolder\) contains a line break/)]);
		// Nothing was read, moved or created.
		expect(await unseenCount(f)).toBe(1);
		expect(await withSandboxImap('dunning', async (client) => (await client.list()).map((l) => l.path).filter((p) => p.startsWith('X')))).toEqual([]);

		// Move Messages: "To Folder" fails the run before anything moves; a "From Folder" with a line break fails its item only.
		const [uid] = await searchUids('dunning', f);
		const move = (toFolder: string, items: INodeExecutionData[]) =>
			runWorkflow({
				nodes: [node('readMailbox', 'Move', { operation: 'move', toFolder, createFolder: true }, { credentials: creds })],
				input: { node: 'Move', items },
				credentials: { dunningImapApi: imapCredential() },
			});
		const to = await move('Done\r\nX', [{ json: { uid, folder: f } }]);
		expect(to.nodeError('Move')?.message).toBe('"To Folder" (toFolder) contains a line break: "Done\\r\\nX". A folder name is one line of text without control characters.');
		const dest = folder('node-crlf-dest');
		const from = await move(dest, [{ json: { uid: 99, folder: 'IN\nBOX' } }, { json: { uid, folder: f } }]);
		expect(from.error).toBeUndefined();
		expect(from.items('Move').map((i) => i.json.move)).toEqual([
			{ status: 'failed', error: 'Item 0: "From Folder" contains a line break: "IN\\nBOX". A folder name is one line of text without control characters.' },
			{ status: 'moved', folder: f, uid, movedTo: dest },
		]);
	});

	it('"Max Message Size (MB)" that is no number above 0 ("abc", "", 0) fails naming the option, instead of quietly reading with the default; "2" as text is 2 MB', async () => {
		const f = folder('node-maxsize');
		await appendMessages('dunning', f, messages('ms', 1));
		const read = (maxMessageMb: unknown) =>
			runWorkflow({
				nodes: [node('readMailbox', 'Read', { folder: f, postAction: 'none', options: { maxMessageMb } } as never, { credentials: creds })],
				input: { node: 'Read', items: [{ json: {} }] },
				credentials: { dunningImapApi: imapCredential() },
				workflowId: `wf-maxsize-${String(maxMessageMb)}`,
			});
		for (const [value, shown] of [['={{ "abc" }}', '"abc"'], ['={{ "" }}', 'empty'], [0, '0'], [-1, '-1']] as const) {
			const r = await read(value);
			expect(r.status).toBe('error');
			expect(r.nodeError('Read')?.message).toBe(`Option "Max Message Size (MB)" (maxMessageMb) must be a number above 0, not ${shown}. Remove the option to use the default (25 MB).`);
		}
		const ok = await read('={{ "2" }}');
		expect(ok.items('Read').map((i) => i.json.tooLarge)).toEqual([false]);
	});

	it('"Move Messages" after Classify Bounce moves only the bounces; replies stay, bad items fail alone', async () => {
		const f = folder('node-mixed');
		const dest = folder('node-bounces');
		const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/bounce', name));
		const [bounceUid, replyUid] = await appendMessages('dunning', f, [fixture('postfix-dsn-userunknown.eml'), fixture('not-a-bounce.eml')]);
		const r = await runWorkflow({
			nodes: [
				node('readMailbox', 'Read', { folder: f, mode: 'unseen', postAction: 'none' }, { credentials: creds }),
				node('classifyBounce', 'Classify', { source: 'binary' }),
				node('readMailbox', 'Move', { operation: 'move', toFolder: dest, createFolder: true }, { credentials: creds }),
			],
			connections: {
				Read: { main: [[{ node: 'Classify', type: 'main' as never, index: 0 }]] },
				Classify: { main: [[{ node: 'Move', type: 'main' as never, index: 0 }]] },
			},
			input: { node: 'Read', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential() },
		});
		expect(r.error).toBeUndefined();
		const moved = r.items('Move');
		expect(moved).toHaveLength(1);
		expect(moved[0].json.move).toEqual({ status: 'moved', folder: f, uid: bounceUid, movedTo: dest });
		expect((moved[0].json.bounce as IDataObject).kind).toBe('hard');
		expect(await searchUids('dunning', f)).toEqual([replyUid]);
		expect(await searchUids('dunning', dest)).toHaveLength(1);

		// Fed the same items again, plus one without a UID: nothing is lost, each item says what happened.
		const again = await runWorkflow({
			nodes: [node('readMailbox', 'Move', { operation: 'move', toFolder: dest }, { credentials: creds })],
			input: { node: 'Move', items: [{ json: { uid: bounceUid, folder: f } }, { json: { folder: f } }, { json: { uid: replyUid, folder: f, uidValidity: '1' } }] },
			credentials: { dunningImapApi: imapCredential() },
		});
		expect(again.error).toBeUndefined();
		const [gone, noUid, renumbered] = again.items('Move').map((i) => i.json.move as IDataObject);
		expect(gone).toEqual({ status: 'notFound', folder: f, uid: bounceUid });
		expect(noUid).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Item 1: "Message UID" must be a whole number/) });
		expect(renumbered).toMatchObject({ status: 'failed', error: expect.stringContaining('renumbered') });
		expect(await searchUids('dunning', f)).toEqual([replyUid]);
	});

	it('"Move Messages" to a missing folder without "create" fails the node and moves nothing', async () => {
		const f = folder('node-move-missing');
		const [uid] = await appendMessages('dunning', f, messages('nmm', 1));
		const r = await runWorkflow({
			nodes: [node('readMailbox', 'Move', { operation: 'move', toFolder: 'Nowhere/Bounces' }, { credentials: creds })],
			input: { node: 'Move', items: [{ json: { uid, folder: f } }] },
			credentials: { dunningImapApi: imapCredential() },
		});
		expect(r.status).toBe('error');
		expect(r.nodeError('Move')?.message).toContain('destination folder "Nowhere/Bounces" does not exist');
		expect(await searchUids('dunning', f)).toEqual([uid]);
	});

	it('the credential test logs in and lists, and names the cause when it cannot', async () => {
		const test = new ReadMailbox().methods.credentialTest.dunningImapConnectionTest;
		const ctx = {} as ICredentialTestFunctions;
		const cred = (data: ICredentialDataDecryptedObject) => ({ id: '1', name: 'x', type: 'dunningImapApi', data });

		const ok = await test.call(ctx, cred(imapCredential()));
		expect(ok.status).toBe('OK');
		expect(ok.message).toMatch(/Logged in to 127\.0\.0\.1:10143/);

		const badPw = await test.call(ctx, cred(imapCredential({ password: 'nope-nope' })));
		expect(badPw).toMatchObject({ status: 'Error', message: expect.stringMatching(/Authentication failed.*app password/) });

		const closed = await test.call(ctx, cred(imapCredential({ port: SANDBOX.closedPort })));
		expect(closed).toMatchObject({ status: 'Error', message: expect.stringContaining('Connection refused by 127.0.0.1:10029') });

		const wrongSecurity = await test.call(ctx, cred(imapCredential({ security: 'tls', port: SANDBOX.imapPort })));
		expect(wrongSecurity).toMatchObject({ status: 'Error', message: expect.stringContaining('wrong security for this port?') });

		// Port 0 follows the security: SSL/TLS → 993, which nothing serves here.
		const defaultPort = await test.call(ctx, cred(imapCredential({ security: 'tls', port: 0 })));
		expect(defaultPort.message).toContain('127.0.0.1:993');

		const noHost = await test.call(ctx, cred(imapCredential({ host: '' })));
		expect(noHost).toMatchObject({ status: 'Error', message: expect.stringContaining('has no Host') });

		// n8n may pick the trigger's copy of the test: it must behave the same.
		const viaTrigger = await new ReadMailboxTrigger().methods.credentialTest.dunningImapConnectionTest.call(ctx, cred(imapCredential()));
		expect(viaTrigger.status).toBe('OK');
	});
});

describeWithSandbox('On New Mailbox Message (polling trigger)', () => {
	const folder = temporaryFolders('dunning');

	/** A poll as n8n's poll manager runs it for an active workflow (mode "trigger"). */
	async function poll(parameters: INode['parameters'], staticData: IDataObject) {
		const { nodeTypes, credentialTypes } = loadPackage();
		const trigger = node('readMailboxTrigger', 'On Mail', parameters, { credentials: creds });
		const workflow = new Workflow({ id: 'wf-poll', nodes: [trigger], connections: {}, active: true, nodeTypes, staticData });
		const additionalData = {
			credentialsHelper: new TestCredentialsHelper({ dunningImapApi: imapCredential() }, credentialTypes),
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;
		const ctx = new PollContext(workflow, trigger, additionalData, 'trigger', 'activate');
		return await new ReadMailboxTrigger().poll.call(ctx);
	}

	it('first poll remembers where the folder ends; later polls emit only new messages, once', async () => {
		const f = folder('trigger');
		await appendMessages('dunning', f, messages('old', 2));
		const staticData: IDataObject = {};
		const params = { folder: f, mode: 'sinceUid', firstRun: 'newOnly', postAction: 'none' };

		expect(await poll(params, staticData)).toBeNull();
		const fresh = await appendMessages('dunning', f, messages('fresh', 2));
		const emitted = await poll(params, staticData);
		expect(emitted?.[0].map((i) => i.json.uid)).toEqual(fresh);
		expect(emitted?.[0][0].binary?.data.mimeType).toBe('message/rfc822');
		expect(await poll(params, staticData)).toBeNull();
	});

	it('"Fetch Test Event" (manual) shows messages but changes nothing', async () => {
		const f = folder('trigger-manual');
		await appendMessages('dunning', f, messages('tm', 2));
		const staticData: IDataObject = {};
		const r = await runWorkflow({
			nodes: [node('readMailboxTrigger', 'On Mail', { folder: f, mode: 'unseen', postAction: 'seen' }, { credentials: creds })],
			input: { node: 'On Mail', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential() },
			staticData,
		});
		expect(r.status).toBe('success');
		expect(r.items('On Mail')).toHaveLength(2);
		expect(await unseenCount(f)).toBe(2);
		expect(JSON.stringify(staticData)).not.toContain(f);
	});

	it('a poll reports a closed port in words', async () => {
		const { nodeTypes, credentialTypes } = loadPackage();
		const trigger = node('readMailboxTrigger', 'On Mail', { folder: 'INBOX' }, { credentials: creds });
		const workflow = new Workflow({ id: 'wf-poll2', nodes: [trigger], connections: {}, active: true, nodeTypes, staticData: {} });
		const additionalData = {
			credentialsHelper: new TestCredentialsHelper({ dunningImapApi: imapCredential({ port: SANDBOX.closedPort }) }, credentialTypes),
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;
		const ctx = new PollContext(workflow, trigger, additionalData, 'trigger', 'activate');
		await expect(new ReadMailboxTrigger().poll.call(ctx)).rejects.toThrow(/Connection refused by 127\.0\.0\.1:10029/);
	});
});

describe('Read Mailbox: Continue (using error output)', () => {
	it('a run that cannot log in, and a move item without a UID, become error items on the error output, paired with their input', async () => {
		const read = await runWorkflow({
			// Fed by a node before it, as in a workflow: n8n adds the input item's fields to an error item.
			nodes: [node('noOp', 'Feed'), node('readMailbox', 'Read', { folder: 'INBOX' }, { credentials: creds, onError: 'continueErrorOutput' })],
			connections: chain('Feed', 'Read'),
			input: { node: 'Feed', items: [{ json: { run: 'r1' } }] },
			credentials: { dunningImapApi: imapCredential({ port: SANDBOX.closedPort }) },
		});
		expect(read.status).toBe('success');
		const [readOk, readErrors] = read.outputs('Read');
		expect(readOk).toEqual([]);
		expect(readErrors).toHaveLength(1);
		// Exactly the input item plus `error`: n8n put the input fields back; the node added nothing else.
		expect(readErrors[0].json).toEqual({ run: 'r1', error: expect.stringMatching(/Connection refused by 127\.0\.0\.1/) });
		expect(readErrors[0].pairedItem).toEqual({ item: 0 });

		// Only the item without a UID is bad input; the server is never reached for it, nor at all
		// here, since no item names a message.
		const move = await runWorkflow({
			nodes: [node('noOp', 'Feed'), node('readMailbox', 'Move', { operation: 'move', toFolder: 'Done' }, { credentials: creds, onError: 'continueErrorOutput' })],
			connections: chain('Feed', 'Move'),
			input: { node: 'Feed', items: [{ json: { folder: 'INBOX', invoiceId: 'x' } }] },
			credentials: { dunningImapApi: imapCredential({ port: SANDBOX.closedPort }) },
		});
		const [moveOk, moveErrors] = move.outputs('Move');
		expect(moveOk).toEqual([]);
		expect(moveErrors.map((i) => [i.json, i.pairedItem])).toEqual([
			[{ folder: 'INBOX', invoiceId: 'x', error: expect.stringMatching(/^Item 0: "Message UID" must be a whole number/) }, { item: 0 }],
		]);
	});
});

// Keeps the helper import used when the sandbox suites are skipped.
void withSandboxImap;

describe('Read Mailbox against a server that never answers', () => {
	const sockets = new Set<Socket>();
	const silent = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	let port = 0;
	beforeAll(async () => {
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		port = (silent.address() as AddressInfo).port;
	});
	afterAll(async () => {
		for (const s of sockets) s.destroy();
		await new Promise((resolve) => silent.close(resolve));
	});

	it.each([
		['read', { folder: 'INBOX' }, { json: {} }],
		['move', { operation: 'move', toFolder: 'Done' }, { json: { uid: 1, folder: 'INBOX' } }],
	])('%s gives up after the Timeout option and says so', async (_operation, params, item) => {
		const r = await runWorkflow({
			nodes: [node('readMailbox', 'Mailbox', { ...params, options: { timeoutSeconds: 1 } }, { credentials: creds })],
			input: { node: 'Mailbox', items: [item] },
			credentials: { dunningImapApi: imapCredential({ host: '127.0.0.1', port, security: 'none' }) },
		});
		expect(r.status).toBe('error');
		expect(r.nodeError('Mailbox')?.message).toContain('sent no IMAP greeting within 1 s');
	});
});

describe('Read Mailbox against a scripted server (a mock: faults Dovecot will not produce on demand)', () => {
	let raw: RawImapServer | undefined;
	afterEach(async () => {
		await raw?.stop();
		raw = undefined;
	});
	const msg = (uid: number, body = `hello ${uid}`) => ({ uid, source: `From: customer@example.org\r\nSubject: m${uid}\r\n\r\n${body}\r\n` });
	const run = (port: number, options: IDataObject, staticData: IDataObject) =>
		runWorkflow({
			nodes: [node('readMailbox', 'Read', { folder: 'INBOX', mode: 'sinceUid', firstRun: 'all', postAction: 'delete', options: options as INode['parameters'] }, { credentials: creds })],
			input: { node: 'Read', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential({ host: '127.0.0.1', port, security: 'none' }) },
			staticData,
		});

	it('a message over "Max Message Size (MB)" becomes an item saying tooLarge with its UID, is not deleted, and is passed', async () => {
		const big = msg(2, 'x'.repeat(1024 * 1024 + 10));
		raw = await startRawImapServer({ messages: [msg(1), { ...big, announcedSize: 100 }, msg(3)] });
		const staticData: IDataObject = {};
		const r = await run(raw.port, { maxMessageMb: 1 }, staticData);
		expect(r.error).toBeUndefined();
		const items = r.items('Read');
		expect(items.map((i) => [i.json.uid, i.json.tooLarge])).toEqual([
			[1, false],
			[2, true],
			[3, false],
		]);
		expect(items[1].binary).toBeUndefined();
		// Not deleted, marked as read: "Unread Only" would hand it over in every run.
		expect(items[1].json).toMatchObject({ afterReading: 'markedRead', error: expect.stringContaining('Message UID 2 in "INBOX" is larger than the Max Message Size (1 MB)') });
		expect(raw.commands.filter((c) => /UID STORE/.test(c)).join('\n')).not.toMatch(/STORE [^ ]*\b2\b[^\n]*Deleted/);
		expect(raw.commands.filter((c) => /UID STORE 2 \+FLAGS \(\\Seen\)/.test(c))).toHaveLength(1);
		expect(JSON.stringify(staticData)).toContain('"lastUid":3');
	});

	it('a message announced over "Max Message Size (MB)" says what it is: its item has subject, from and date from the envelope', async () => {
		const big = {
			uid: 2,
			source: `Date: Mon, 05 Jan 2026 09:30:00 +0000\r\nFrom: Customer Ltd <customer@example.org>\r\nSubject: Scan of the signed contract\r\nMessage-ID: <scan@example.org>\r\n\r\n${'x'.repeat(1024 * 1024 + 10)}\r\n`,
		};
		raw = await startRawImapServer({ messages: [msg(1), big, msg(3)] });
		const r = await run(raw.port, { maxMessageMb: 1 }, {});
		expect(r.error).toBeUndefined();
		const items = r.items('Read');
		expect(items.map((i) => [i.json.uid, i.json.tooLarge])).toEqual([
			[1, false],
			[2, true],
			[3, false],
		]);
		expect(items[1].binary).toBeUndefined();
		expect(items[1].json).toMatchObject({
			uid: 2,
			folder: 'INBOX',
			tooLarge: true,
			subject: 'Scan of the signed contract',
			from: 'Customer Ltd <customer@example.org>',
			fromAddress: 'customer@example.org',
			date: '2026-01-05T09:30:00.000Z',
			messageId: '<scan@example.org>',
			afterReading: 'markedRead',
			error: expect.stringContaining('Message UID 2 in "INBOX" is larger than the Max Message Size (1 MB)'),
		});
	});

	it('Move Messages: a MOVE the server refuses for one folder fails only that folder\'s items, with the reason; the others say moved', async () => {
		raw = await startRawImapServer({ messages: [msg(1), msg(2)], folders: ['Other'], move: (n) => (n === 1 ? 'OK moved' : 'NO [OVERQUOTA] Quota exceeded') });
		const items = [{ uid: 1, folder: 'INBOX' }, { uid: 2, folder: 'Other' }].map((json) => ({ json: json as IDataObject }));
		const r = await runWorkflow({
			nodes: [node('readMailbox', 'Move', { operation: 'move', toFolder: 'Done' }, { credentials: creds })],
			input: { node: 'Move', items },
			credentials: { dunningImapApi: imapCredential({ host: '127.0.0.1', port: raw.port, security: 'none' }) },
		});
		// Before, every item said failed (also the moved one), and without Continue On Fail the node failed.
		expect(r.status).toBe('success');
		expect(r.items('Move').map((i) => i.json.move)).toEqual([
			{ status: 'moved', folder: 'INBOX', uid: 1, movedTo: 'Done' },
			{ status: 'failed', folder: 'Other', uid: 2, error: 'The server refused to move message UID 2 from "Other" to "Done" (full quota, or no right to the folder?).' },
		]);
	});

	it('a Timeout beyond what Node timers hold ("9999999" to be safe) is an hour, not an instant timeout', async () => {
		raw = await startRawImapServer({ messages: [msg(1), msg(2)] });
		const r = await run(raw.port, { timeoutSeconds: 9_999_999 }, {});
		// Before: every step timed out after 1 ms ("did not … within 9999999 s").
		expect(r.status).toBe('success');
		expect(r.items('Read').map((i) => i.json.uid)).toEqual([1, 2]);
	});

	it('the connection drops during the move of a later batch: the messages read are output, the one whose move is open says afterReading "failed", a warning says why', async () => {
		// 10 MB each: one message per FETCH (16 MiB), so one UID MOVE each.
		const large = (uid: number) => ({ ...msg(uid), announcedSize: 10 * 1024 * 1024 });
		raw = await startRawImapServer({ messages: [large(1), large(2), large(3)], move: (n) => (n === 1 ? 'OK moved' : 'drop') });
		const staticData: IDataObject = {};
		const r = await runWorkflow({
			nodes: [node('readMailbox', 'Read', { folder: 'INBOX', mode: 'sinceUid', firstRun: 'all', postAction: 'move', moveToFolder: 'Done' }, { credentials: creds })],
			input: { node: 'Read', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential({ host: '127.0.0.1', port: raw.port, security: 'none' }) },
			staticData,
		});
		// Before, the node failed with no items although message 1 had been moved out of the folder.
		expect(r.status).toBe('success');
		expect(r.items('Read').map((i) => [i.json.uid, i.json.afterReading, i.json.movedTo ?? null])).toEqual([
			[1, 'moved', 'Done'],
			[2, 'failed', null],
		]);
		expect(r.run.data.resultData.runData.Read[0].hints).toEqual([
			expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^Read 2 message\(s\), then stopped: .*1 of them may not have been marked, moved or deleted/) }),
		]);
		expect(JSON.stringify(staticData)).toContain('"lastUid":2');
	});

	it('a message the server sends no content for (BODY[] NIL) becomes an item saying so with its UID; it is not deleted, and reading goes on', async () => {
		raw = await startRawImapServer({
			messages: [msg(1), msg(2), msg(3)],
			fetchBody: (c) => {
				for (const uid of c.uids) {
					if (uid === 2) c.socket.write('* 2 FETCH (UID 2 FLAGS () RFC822.SIZE 40 BODY[] NIL)\r\n');
					else c.writeMessage(msg(uid));
				}
				c.ok();
			},
		});
		const staticData: IDataObject = {};
		const r = await run(raw.port, {}, staticData);
		expect(r.error).toBeUndefined();
		const items = r.items('Read');
		expect(items.map((i) => [i.json.uid, i.json.noContent ?? false, Boolean(i.binary)])).toEqual([
			[1, false, true],
			[3, false, true],
			[2, true, false],
		]);
		expect(items[2].json).toMatchObject({ tooLarge: false, afterReading: 'markedRead', error: 'Message UID 2 in "INBOX": the server sent no content for it (it may be damaged in the server\'s store). Look at it in the mailbox or in webmail.' });
		expect(raw.commands.filter((c) => /UID STORE/.test(c)).join('\n')).not.toMatch(/STORE [^ ]*\b2\b[^\n]*Deleted/);
		expect(JSON.stringify(staticData)).toContain('"lastUid":3');
	});

	it('a message the server refuses to send (tagged NO, as Gmail answers for a damaged one) becomes an item with the server\'s words; the run goes on', async () => {
		raw = await startRawImapServer({
			messages: [msg(1), msg(2)],
			fetchBody: (c) => {
				for (const uid of c.uids) if (uid !== 2) c.writeMessage(msg(uid));
				c.socket.write(c.uids.includes(2) ? `${c.tag} NO Some messages could not be FETCHed (Failure)\r\n` : `${c.tag} OK done\r\n`);
			},
		});
		const r = await run(raw.port, {}, {});
		expect(r.status).toBe('success');
		const items = r.items('Read');
		expect(items.map((i) => [i.json.uid, i.json.noContent ?? false])).toEqual([
			[1, false],
			[2, true],
		]);
		expect(items[1].json.error).toBe('Message UID 2 in "INBOX": the server sent no content for it ("Some messages could not be FETCHed (Failure)") (it may be damaged in the server\'s store). Look at it in the mailbox or in webmail.');
	});

	it('without UIDPLUS and MOVE (Dovecot always has them), "Delete" and "Move Messages" only mark as deleted, and say so', async () => {
		raw = await startRawImapServer({ messages: [msg(1), msg(2)], loginCapabilities: 'IMAP4rev1' });
		const r = await run(raw.port, {}, {});
		expect(r.status).toBe('success');
		expect(r.items('Read').map((i) => [i.json.uid, i.json.afterReading, i.json.markedDeleted])).toEqual([
			[1, 'deleted', true],
			[2, 'deleted', true],
		]);
		// Each says what the server lacks for that action: a delete needs UIDPLUS, a move MOVE or UIDPLUS.
		const hint = (lacks: string) => expect.objectContaining({ type: 'warning', message: expect.stringContaining(`The mail server ${lacks}, so`) });
		expect(r.run.data.resultData.runData.Read[0].hints).toEqual([hint('has no UIDPLUS')]);

		const move = await runWorkflow({
			nodes: [node('readMailbox', 'Move', { operation: 'move', toFolder: 'Done' }, { credentials: creds })],
			input: { node: 'Move', items: [{ json: { uid: 1, folder: 'INBOX' } }] },
			credentials: { dunningImapApi: imapCredential({ host: '127.0.0.1', port: raw.port, security: 'none' }) },
		});
		expect(move.items('Move').map((i) => i.json.move)).toEqual([{ status: 'moved', folder: 'INBOX', uid: 1, movedTo: 'Done', markedDeleted: true }]);
		expect(move.run.data.resultData.runData.Move[0].hints).toEqual([hint('supports neither MOVE nor UIDPLUS')]);
		expect(raw.commands.filter((c) => /^\S+ EXPUNGE/i.test(c))).toEqual([]);
	});

	it('a trickling message: what was read before it is emitted; the next run fails naming the timeout', async () => {
		const slow = msg(2, 'y'.repeat(5000));
		raw = await startRawImapServer({
			messages: [msg(1), slow],
			fetchBody: async (c) => {
				for (const uid of c.uids) {
					if (uid === 1) c.writeMessage(msg(1));
					else {
						const body = Buffer.from(slow.source);
						c.socket.write(`* 2 FETCH (UID 2 BODY[] {${body.length}}\r\n`);
						for (let i = 0; i < body.length && !c.socket.destroyed; i++) {
							c.socket.write(body.subarray(i, i + 1));
							await new Promise((resolve) => setTimeout(resolve, 200));
						}
						return;
					}
				}
				c.ok();
			},
		});
		const staticData: IDataObject = {};
		const first = await run(raw.port, { timeoutSeconds: 1 }, staticData);
		expect(first.status).toBe('success');
		expect(first.items('Read').map((i) => i.json.uid)).toEqual([1]);
		expect(JSON.stringify(staticData)).toContain('"lastUid":1');

		const second = await run(raw.port, { timeoutSeconds: 1 }, staticData);
		expect(second.status).toBe('error');
		expect(second.nodeError('Read')?.message).toContain('did not finish reading message UID 2 within 1 s (the Timeout option)');
	});

	// Before, these were read silently wrong: "abc", -5 or an object as Min Age was no wait, 1e20 held up
	// every message for good (nothing was ever read, no warning); "" or null as Max Messages was no
	// limit and "abc" failed as "got NaN" without naming the setting; "abc", 0 or -1 as Timeout was 30 s.
	const maxMessagesError = (shown: string) =>
		`"Max Messages" (maxMessages) must be a whole number from 0 to 100000, not ${shown}. Set how many messages to read per run (0 = all of them; the default is 50).`;
	const minAgeError = (shown: string) =>
		`Option "Min Age (Seconds)" (minAgeSeconds) must be a number of seconds from 0 to 604800 (7 days), not ${shown}. Remove the option to use the default (0: no wait).`;
	const timeoutError = (shown: string) =>
		`Option "Timeout (Seconds)" (timeoutSeconds) must be a number of seconds of at least 1 (more than 3600 counts as 3600), not ${shown}. Remove the option to use the default (30 s).`;
	const maxSizeError = (shown: string) => `Option "Max Message Size (MB)" (maxMessageMb) must be a number above 0, not ${shown}. Remove the option to use the default (25 MB).`;
	const badNumberSettings: [string, IDataObject, string][] = [
		['maxMessages', { maxMessages: '={{ "abc" }}' }, maxMessagesError('"abc"')],
		['maxMessages', { maxMessages: '={{ "" }}' }, maxMessagesError('empty')],
		['maxMessages', { maxMessages: -1 }, maxMessagesError('-1')],
		['maxMessages', { maxMessages: 2.5 }, maxMessagesError('2.5')],
		['maxMessages', { maxMessages: 1e9 }, maxMessagesError('1000000000')],
		['maxMessages', { maxMessages: '={{ true }}' }, maxMessagesError('true')],
		['minAgeSeconds', { options: { minAgeSeconds: '={{ "abc" }}' } }, minAgeError('"abc"')],
		['minAgeSeconds', { options: { minAgeSeconds: -5 } }, minAgeError('-5')],
		['minAgeSeconds', { options: { minAgeSeconds: '={{ NaN }}' } }, minAgeError('NaN')],
		['minAgeSeconds', { options: { minAgeSeconds: '={{ { s: 1 } }}' } }, minAgeError('{"s":1}')],
		['minAgeSeconds', { options: { minAgeSeconds: 1e20 } }, minAgeError('100000000000000000000')],
		['minAgeSeconds', { options: { minAgeSeconds: 604801 } }, minAgeError('604801')],
		['timeoutSeconds', { options: { timeoutSeconds: '={{ "abc" }}' } }, timeoutError('"abc"')],
		['timeoutSeconds', { options: { timeoutSeconds: 0 } }, timeoutError('0')],
		['timeoutSeconds', { options: { timeoutSeconds: -1 } }, timeoutError('-1')],
		['timeoutSeconds', { options: { timeoutSeconds: '={{ [] }}' } }, timeoutError('[]')],
		// Empty text from an expression is no number (and no default): said as "empty", as every number setting says it.
		['timeoutSeconds', { options: { timeoutSeconds: '={{ "  " }}' } }, timeoutError('empty')],
		['minAgeSeconds', { options: { minAgeSeconds: '={{ "" }}' } }, minAgeError('empty')],
		['maxMessageMb', { options: { maxMessageMb: '={{ "" }}' } }, maxSizeError('empty')],
		['maxMessageMb', { options: { maxMessageMb: '={{ Infinity }}' } }, maxSizeError('Infinity')],
	];
	const readWith = (port: number, settings: IDataObject, extra: Partial<INode> = {}) =>
		runWorkflow({
			nodes: [node('readMailbox', 'Read', { folder: 'INBOX', mode: 'sinceUid', firstRun: 'all', postAction: 'seen', ...settings } as INode['parameters'], { credentials: creds, ...extra })],
			input: { node: 'Read', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential({ host: '127.0.0.1', port, security: 'none' }) },
			staticData: {},
		});

	it.each(badNumberSettings)('Read Mailbox: a bad "%s" (%j) fails the run naming the setting and the value, before anything connects', async (_name, settings, message) => {
		raw = await startRawImapServer({ messages: [msg(1), msg(2)] });
		const r = await readWith(raw.port, settings);
		expect(r.status).toBe('error');
		expect(r.nodeError('Read')?.message).toBe(message);
		expect(raw.connections()).toBe(0);
		expect(raw.commands).toEqual([]);
	});

	it('Read Mailbox: a bad number setting under "Continue (using error output)" is one error item, as a bad Max Message Size is; nothing is read', async () => {
		raw = await startRawImapServer({ messages: [msg(1)] });
		const r = await readWith(raw.port, { options: { minAgeSeconds: '={{ "abc" }}' } }, { onError: 'continueErrorOutput' });
		expect(r.status).toBe('success');
		const [ok, errors] = r.outputs('Read');
		expect(ok).toEqual([]);
		expect(errors.map((i) => i.json)).toEqual([{ error: minAgeError('"abc"') }]);
		expect(raw.connections()).toBe(0);
	});

	it('Read Mailbox: numbers given as text are numbers, the limits themselves are taken, and unset settings keep their defaults', async () => {
		raw = await startRawImapServer({ messages: [msg(1), msg(2)] });
		const text = await readWith(raw.port, { maxMessages: '={{ "1" }}', options: { minAgeSeconds: '={{ "0.5" }}', timeoutSeconds: '={{ "30" }}' } });
		expect(text.status).toBe('success');
		expect(text.items('Read').map((i) => i.json.uid)).toEqual([1]);
		const limits = await readWith(raw.port, { maxMessages: 100000, options: { minAgeSeconds: 604800, timeoutSeconds: 3600 } });
		expect(limits.status).toBe('success');
		expect(limits.items('Read').map((i) => i.json.uid)).toEqual([1, 2]);
		await raw.stop();
		// null: a field cleared in the panel; Max Messages was 0 (no limit) then, now it is the default (50).
		raw = await startRawImapServer({ messages: Array.from({ length: 51 }, (_, i) => msg(i + 1)) });
		const unset = await readWith(raw.port, { maxMessages: null, options: { minAgeSeconds: null, timeoutSeconds: null } });
		expect(unset.status).toBe('success');
		expect(unset.items('Read')).toHaveLength(50);
	});

	it('IMAP Mailbox Trigger: a bad number setting fails the poll naming it, before anything connects', async () => {
		raw = await startRawImapServer({ messages: [msg(1)] });
		const { nodeTypes, credentialTypes } = loadPackage();
		for (const [parameters, message] of [
			[{ folder: 'INBOX', maxMessages: '={{ "abc" }}' }, maxMessagesError('"abc"')],
			[{ folder: 'INBOX', options: { minAgeSeconds: -5 } }, minAgeError('-5')],
			[{ folder: 'INBOX', options: { timeoutSeconds: '={{ "abc" }}' } }, timeoutError('"abc"')],
		] as const) {
			const trigger = node('readMailboxTrigger', 'On Mail', parameters as INode['parameters'], { credentials: creds });
			const staticData: IDataObject = {};
			const workflow = new Workflow({ id: 'wf-poll-bad-number', nodes: [trigger], connections: {}, active: true, nodeTypes, staticData });
			const additionalData = {
				credentialsHelper: new TestCredentialsHelper({ dunningImapApi: imapCredential({ host: '127.0.0.1', port: raw.port, security: 'none' }) }, credentialTypes),
				variables: {},
			} as unknown as IWorkflowExecuteAdditionalData;
			const ctx = new PollContext(workflow, trigger, additionalData, 'trigger', 'activate');
			await expect(new ReadMailboxTrigger().poll.call(ctx)).rejects.toThrow(message);
			expect(staticData).toEqual({});
		}
		expect(raw.connections()).toBe(0);
	});

	it('Move Messages: a bad "Timeout (Seconds)" fails the node naming it before anything moves (it was 30 s)', async () => {
		raw = await startRawImapServer({ messages: [msg(1)] });
		const r = await runWorkflow({
			nodes: [node('readMailbox', 'Move', { operation: 'move', toFolder: 'Done', options: { timeoutSeconds: '={{ "abc" }}' } }, { credentials: creds })],
			input: { node: 'Move', items: [{ json: { uid: 1, folder: 'INBOX' } }] },
			credentials: { dunningImapApi: imapCredential({ host: '127.0.0.1', port: raw.port, security: 'none' }) },
		});
		expect(r.status).toBe('error');
		expect(r.nodeError('Move')?.message).toBe(timeoutError('"abc"'));
		expect(raw.connections()).toBe(0);
	});
});

describe('Read Mailbox panel', () => {
	const properties = new ReadMailbox().description.properties;
	const versionsOf = (p: (typeof properties)[number]) => p.displayOptions?.show?.['@version'];

	it('"After Reading" defaults to Do Nothing from version 1.1 on, to Mark as Read in version 1', () => {
		const postAction = properties.filter((p) => p.name === 'postAction');
		expect(postAction.map((p) => [p.default, versionsOf(p)])).toEqual([
			['seen', [1]],
			['none', [{ _cnd: { gte: 1.1 } }]],
		]);
		expect(new ReadMailbox().description.defaultVersion).toBe(1.1);
	});

	it('says that a manual run does not advance "New Since Last Run"', () => {
		// A hint under "Read", not a notice filling the panel; the trigger has no manual-run caveat.
		const modes = properties.filter((p) => p.name === 'mode');
		expect(modes.length).toBeGreaterThan(0);
		for (const mode of modes) expect(mode.hint).toMatch(/manual run.*does not move the saved position/);
		expect(properties.some((p) => p.type === 'notice' && /manual run/.test(p.displayName))).toBe(false);
		expect(new ReadMailboxTrigger().description.properties.find((p) => p.name === 'mode')?.hint).toBeUndefined();
	});

	it('is not offered as an AI tool (reading changes the mailbox and the position)', () => {
		expect(new ReadMailbox().description.usableAsTool).toBeUndefined();
	});
});
