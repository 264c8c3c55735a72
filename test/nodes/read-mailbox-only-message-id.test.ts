/**
 * Read Mailbox's option "Only Message-ID" through the n8n engine: the server finds the one message,
 * the run never moves the saved position, a value that is no Message-ID fails naming the option,
 * and the Mailbox check's own Read Mailbox finds its test mail from Send Test Mail's output.
 */
import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { chain, node, runWorkflow } from '../harness/engine';
import { IMAP_NODE_CREDENTIALS as creds, sandboxImapCredential as imapCredential } from '../harness/read-mailbox-node';
import { startRawImapServer, type RawImapServer } from '../mailbox/raw-imap-server';
import { ReadMailbox } from '../../nodes/ReadMailbox/ReadMailbox.node';
import { ReadMailboxTrigger } from '../../nodes/ReadMailbox/ReadMailboxTrigger.node';
import { mailboxCheck } from '../../scripts/workflows/mailbox-check';
import { appendMessages, describeWithSandbox, temporaryFolders, testMessage } from '../servers/sandbox';

const messageIdOf = (source: string): string => /^Message-ID: (.*)$/m.exec(source)![1].trim();

function optionsOf(properties: INodeProperties[]): INodeProperties[] {
	return (properties.find((p) => p.name === 'options')?.options ?? []) as INodeProperties[];
}

describe('Read Mailbox panel: "Only Message-ID"', () => {
	it('is an option of Read Mailbox, in words a no-code user reads, saying that it never moves the position', () => {
		const option = optionsOf(new ReadMailbox().description.properties).find((o) => o.name === 'onlyMessageId');
		expect(option).toMatchObject({ displayName: 'Only Message-ID', type: 'string', default: '' });
		expect(option?.description).toMatch(
			/^Read only the message with this Message-ID \(with or without angle brackets\), e\.g\. to find one message you sent\. Empty: all messages the mode selects\..*never moves the "New Since Last Run" position\.$/,
		);
		// Before: no word on a server that cannot search by header (the run failed there).
		expect(option?.description).toContain('where it cannot, or has not indexed a message that just arrived, the Message-ID in the envelope');
		expect(option?.description).toContain('Max Messages counts only the matches');
	});

	it('is not offered by the trigger, whose position must move on with every poll', () => {
		expect(optionsOf(new ReadMailboxTrigger().description.properties).map((o) => o.name)).not.toContain('onlyMessageId');
	});
});

describeWithSandbox('Read Mailbox "Only Message-ID" against the sandbox Dovecot', () => {
	const folder = temporaryFolders('dunning');

	it('"New Since Last Run" reads only that message and saves no position: the next run without the option reads all three', async () => {
		const f = folder('node-only-id');
		const sources = [1, 2, 3].map((n) => testMessage({ subject: `node-only-id #${n}`, marker: `node-only-id-${n}` }));
		const uids = await appendMessages('dunning', f, sources);
		const staticData: IDataObject = {};
		const run = (options: IDataObject) =>
			runWorkflow({
				nodes: [node('readMailbox', 'Read', { folder: f, mode: 'sinceUid', firstRun: 'all', postAction: 'none', options: options as INode['parameters'] }, { credentials: creds })],
				input: { node: 'Read', items: [{ json: {} }] },
				credentials: { dunningImapApi: imapCredential() },
				staticData,
				mode: 'trigger',
			});
		const only = await run({ onlyMessageId: messageIdOf(sources[1]).slice(1, -1) });
		expect(only.error).toBeUndefined();
		// Before: the option was unknown; all three were read and the position moved past them.
		expect(only.items('Read').map((i) => i.json.uid)).toEqual([uids[1]]);
		expect((staticData['node:Read'] as IDataObject | undefined)?.positions).toBeUndefined();
		const all = await run({});
		expect(all.items('Read').map((i) => i.json.uid)).toEqual(uids);
	});

	it('the Mailbox check\'s Read Mailbox, as shipped, takes the Message-ID from Send Test Mail and reads just that mail', async () => {
		const f = folder('node-mailbox-check');
		const sources = [1, 2, 3].map((n) => testMessage({ subject: `check #${n}`, marker: `check-${n}` }));
		const uids = await appendMessages('dunning', f, sources);
		const shipped = mailboxCheck().toJson().nodes.find((n) => n.name === 'Read Mailbox')!;
		// Send Test Mail's output as the node makes it ({ to, delivery: { status, messageId, … } }), from a stand-in.
		const sent = { to: 'dunning@example.test', delivery: { status: 'sent', messageId: messageIdOf(sources[2]), smtpResponse: '250 2.0.0 Ok' } };
		const r = await runWorkflow({
			nodes: [node('noOp', 'Send Test Mail'), node('readMailbox', 'Read Mailbox', { ...(shipped.parameters as INode['parameters']), folder: f }, { credentials: creds, typeVersion: 1.1 })],
			connections: chain('Send Test Mail', 'Read Mailbox'),
			input: { node: 'Send Test Mail', items: [{ json: sent }] },
			credentials: { dunningImapApi: imapCredential() },
		});
		expect(r.error).toBeUndefined();
		expect(r.items('Read Mailbox').map((i) => [i.json.uid, i.json.messageId])).toEqual([[uids[2], sent.delivery.messageId]]);
	});
});

describe('Read Mailbox "Only Message-ID" settings (scripted server)', () => {
	let raw: RawImapServer | undefined;
	afterEach(async () => {
		await raw?.stop();
		raw = undefined;
	});
	const msg = (uid: number) => ({ uid, source: `From: customer@example.org\r\nSubject: m${uid}\r\nMessage-ID: <m${uid}@example.org>\r\n\r\nhello ${uid}\r\n` });
	const readWith = (port: number, options: IDataObject) =>
		runWorkflow({
			nodes: [node('readMailbox', 'Read', { folder: 'INBOX', mode: 'unseen', postAction: 'none', options: options as INode['parameters'] }, { credentials: creds })],
			input: { node: 'Read', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential({ host: '127.0.0.1', port, security: 'none' }) },
		});

	it('a value that is no Message-ID fails naming the option before anything connects', async () => {
		raw = await startRawImapServer({ messages: [msg(1)] });
		const r = await readWith(raw.port, { onlyMessageId: '={{ "<a@b>\\nBcc: x@y" }}' });
		expect(r.status).toBe('error');
		expect(r.nodeError('Read')?.message).toMatch(/^Option "Only Message-ID" \(onlyMessageId\) may hold only the visible ASCII characters of one Message-ID .*got "<a@b>\\nBcc: x@y"\.$/);
		expect(raw.connections()).toBe(0);
	});

	it.each([
		['refuses the header search (NO)', 'NO [CANNOT] not supported'],
		['refuses the header search (BAD)', 'BAD unknown search key'],
		['finds nothing by header yet (its index lags)', []],
	] as Array<[string, string | number[]]>)(
		'the Mailbox check\'s Read Mailbox, as shipped, among 30 unread mails, with a server that %s: finds the test mail, the newest, and downloads nothing else',
		async (_, answer) => {
			const thirty = Array.from({ length: 30 }, (_x, i) => msg(i + 1));
			raw = await startRawImapServer({ messages: thirty, search: (command) => (/HEADER/i.test(command) ? answer : thirty.map((m) => m.uid)) });
			const shipped = mailboxCheck().toJson().nodes.find((n) => n.name === 'Read Mailbox')!;
			const sent = { to: 'shop@example.org', delivery: { status: 'sent', messageId: '<m30@example.org>', smtpResponse: '250 2.0.0 Ok' } };
			const r = await runWorkflow({
				nodes: [node('noOp', 'Send Test Mail'), node('readMailbox', 'Read Mailbox', shipped.parameters as INode['parameters'], { credentials: creds, typeVersion: 1.1 })],
				connections: chain('Send Test Mail', 'Read Mailbox'),
				input: { node: 'Send Test Mail', items: [{ json: sent }] },
				credentials: { dunningImapApi: imapCredential({ host: '127.0.0.1', port: raw.port, security: 'none' }) },
			});
			// Before: the run failed on NO/BAD ("The server refused to search … by Message-ID"), and found
			// nothing when the index lagged: the check said the test mail had not arrived.
			expect(r.error).toBeUndefined();
			// (The scripted server sends no ENVELOPE with a source: json.messageId stays empty there.)
			expect(r.items('Read Mailbox').map((i) => i.json.uid)).toEqual([30]);
			expect(raw.commands.filter((c) => /UID FETCH .*BODY/i.test(c)).map((c) => c.split(' ')[3])).toEqual(['30']);
		},
	);

	it('empty (an expression giving "" or nothing): every message the mode selects, without searching by header', async () => {
		raw = await startRawImapServer({ messages: [msg(1), msg(2)] });
		for (const empty of ['={{ "" }}', '={{ null }}', '  ']) {
			const r = await readWith(raw.port, { onlyMessageId: empty });
			expect(r.items('Read').map((i) => i.json.uid)).toEqual([1, 2]);
		}
		expect(raw.commands.filter((c) => /HEADER/i.test(c))).toEqual([]);
	});
});
