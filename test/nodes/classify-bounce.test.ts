import { readFileSync } from 'fs';
import { join } from 'path';

import type { IVersionedNodeType } from 'n8n-workflow';

import { PACKAGE_PREFIX, chain, loadPackage, node, runWorkflow } from '../harness/engine';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'bounce', name));
const asBinary = (name: string) => ({ data: { data: fixture(name).toString('base64'), mimeType: 'message/rfc822', fileName: name } });

describe('Classify Bounce node (real n8n engine)', () => {
	it('routes one item per recipient to Hard / Soft / Other, keeping the input json and pairing', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'data' })],
			input: {
				node: 'Classify',
				items: [
					{ json: { uid: 1 }, binary: asBinary('rfc3464-two-recipients-headers.eml') },
					{ json: { uid: 2 }, binary: asBinary('auto-reply.eml') },
					{ json: { uid: 3 }, binary: asBinary('not-a-bounce.eml') },
				],
			},
		});
		expect(r.status).toBe('success');
		const [hard, soft, other] = r.outputs('Classify');
		expect(hard.map((i) => [i.json.uid, (i.json.bounce as { recipient: string }).recipient, i.pairedItem])).toEqual([[1, 'gone@example.net', { item: 0 }]]);
		expect(soft.map((i) => [i.json.uid, (i.json.bounce as { reason: string }).reason])).toEqual([[1, 'mailboxfull']]);
		expect(soft[0].json.bounce).toMatchObject({ status: '5.2.2', invoiceId: 'INV-7', level: 1 });
		expect(other.map((i) => [i.json.uid, (i.json.bounce as { kind: string }).kind, i.pairedItem])).toEqual([
			[2, 'autoReply', { item: 1 }],
			[3, 'none', { item: 2 }],
		]);
	});

	it('a message the server sent no content for (Read Mailbox noContent) goes to Other with a note, and the run goes on', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'data' })],
			input: {
				node: 'Classify',
				items: [
					{ json: { uid: 5, noContent: true, error: 'Message UID 5 in "INBOX": the server sent no content for it' } },
					{ json: { uid: 6 }, binary: asBinary('rfc3464-two-recipients-headers.eml') },
				],
			},
		});
		expect(r.status).toBe('success');
		const [hard, , other] = r.outputs('Classify');
		expect(other.map((i) => [i.json.uid, (i.json.bounce as { kind: string }).kind, i.pairedItem])).toEqual([[5, 'none', { item: 0 }]]);
		expect((other[0].json.bounce as { diagnostic: string }).diagnostic).toMatch(/sent no content/);
		expect(hard.map((i) => i.json.uid)).toEqual([6]);
	});

	it('a message Read Mailbox refused as too large goes to Other with a note, and the run goes on', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'data' })],
			input: {
				node: 'Classify',
				items: [
					{ json: { uid: 7, tooLarge: true, error: 'larger than 25 MB' } },
					{ json: { uid: 8 }, binary: asBinary('rfc3464-two-recipients-headers.eml') },
				],
			},
		});
		expect(r.status).toBe('success');
		const [hard, , other] = r.outputs('Classify');
		expect(other.map((i) => [i.json.uid, (i.json.bounce as { kind: string }).kind, i.pairedItem])).toEqual([[7, 'none', { item: 0 }]]);
		expect((other[0].json.bounce as { diagnostic: string }).diagnostic).toMatch(/larger than its Max Message Size/);
		expect(hard.map((i) => i.json.uid)).toEqual([8]);
	});

	it('version 1 sends an unknown user the report does not prove to Soft, not Hard', async () => {
		const unproven = ['From: MAILER-DAEMON@relay.example.net', 'To: billing@shop.example', 'Subject: Undelivered Mail Returned to Sender', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; relay.example.net', '', 'Final-Recipient: rfc822; kunde@example.net', 'Action: failed', 'Status: 5.4.1', 'Diagnostic-Code: smtp; 550 5.4.1 Recipient address rejected: Access denied', '--b--', ''].join('\r\n');
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'raw' })],
			input: { node: 'Classify', items: [{ json: { raw: unproven } }, { json: { raw: fixture('exim-plain.eml').toString('utf8') } }] },
		});
		const [hard, soft] = r.outputs('Classify');
		expect(soft.map((i) => [(i.json.bounce as { recipient: string }).recipient, (i.json.bounce as { category: string }).category])).toEqual([['kunde@example.net', 'recipientRefused']]);
		expect(hard.map((i) => (i.json.bounce as { recipient: string }).recipient)).toEqual(['dead@example.org']);
	});

	it('reads a raw message from a text field', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'mail.source' })],
			input: { node: 'Classify', items: [{ json: { mail: { source: fixture('exim-plain.eml').toString('utf8') } } }] },
		});
		expect(r.status).toBe('success');
		expect(r.items('Classify', 0)[0].json.bounce).toMatchObject({ kind: 'hard', reason: 'userunknown', recipient: 'dead@example.org', invoiceId: 'INV-11' });
	});

	it('a text field holding the base64url source (the Email Trigger\'s RAW format) is decoded; one that holds no email goes to Other, its error naming the item and field', async () => {
		const source = fixture('exim-plain.eml');
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'raw' })],
			input: { node: 'Classify', items: [{ json: { raw: source.toString('base64url') } }, { json: { raw: source.toString('base64') } }] },
		});
		// Before, the letters were read as the message itself: "none", on Other, with no error.
		expect(r.items('Classify', 0).map((i) => (i.json.bounce as { recipient: string }).recipient)).toEqual(['dead@example.org', 'dead@example.org']);

		const junk = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'raw' })],
			input: { node: 'Classify', items: [{ json: { raw: source.toString('utf8') } }, { json: { raw: 'Die Mahnung kam nicht an.\n\nGruss' } }] },
		});
		expect(junk.status).toBe('success');
		const [hard, , other] = junk.outputs('Classify');
		expect(hard.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(other.map((i) => [i.pairedItem, i.json.error])).toEqual([[{ item: 1 }, 'Item 1: field "raw" does not hold an email source: it does not start with a header line such as "From: …"']]);
	});

	it.each([1, 2])('version %i without Continue On Fail: an item whose message cannot be read goes to Other, not classified, its error naming item and field; the rest is classified', async (typeVersion) => {
		const eml = fixture('rfc3464-two-recipients-headers.eml');
		const otherOutput = typeVersion === 1 ? 2 : 4;
		const check = (r: Awaited<ReturnType<typeof runWorkflow>>, error: string, goodItems: number) => {
			expect(r.status).toBe('success');
			const outputs = r.outputs('Classify');
			const other = outputs[otherOutput];
			expect(other.map((i) => [i.json.uid, i.pairedItem, i.json.error])).toEqual([[2, { item: 1 }, error]]);
			expect(other[0].json.bounce).toMatchObject({ isBounce: false, kind: 'none', category: 'none', reason: null, recipient: null, diagnostic: `Not classified: ${error}` });
			// The good items, classified as usual: two failed recipients each.
			const classified = outputs.flat().filter((i) => i.json.error === undefined);
			expect(classified.map((i) => (i.json.bounce as { recipient: string }).recipient).sort()).toEqual(Array.from({ length: goodItems }, () => ['full@example.org', 'gone@example.net']).flat().sort());
		};
		const text = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'raw' }, { typeVersion })],
			input: { node: 'Classify', items: [{ json: { uid: 1, raw: eml.toString('utf8') } }, { json: { uid: 2, raw: null } }, { json: { uid: 3, raw: eml.toString('utf8') } }] },
		});
		check(text, 'Item 1: field "raw" does not hold the email source as text (found null)', 2);
		const binary = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'data' }, { typeVersion })],
			input: { node: 'Classify', items: [{ json: { uid: 1 }, binary: asBinary('rfc3464-two-recipients-headers.eml') }, { json: { uid: 2 }, binary: { attachment_0: asBinary('auto-reply.eml').data } }] },
		});
		check(binary, 'Item 1 has no binary field "data" (its binary fields: attachment_0)', 1);
		// The item keeps its binary, for a look at what came.
		expect(Object.keys(binary.outputs('Classify')[otherOutput][0].binary ?? {})).toEqual(['attachment_0']);
		const trigger = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'emailTrigger' }, { typeVersion })],
			input: { node: 'Classify', items: [{ json: { uid: 1, raw: eml.toString('utf8') } }, { json: { uid: 2, invoiceId: 'RE-7' } }] },
		});
		check(trigger, 'Item 1 has none of the Email Trigger fields (raw, headers, text, html)', 1);
	});

	it('an "Own Domains" option that is no text (an expression giving 5) fails naming the option and what is expected; a list of domains is taken', async () => {
		const raw = fixture('exim-plain.eml').toString('utf8');
		const run = (ownDomains: string) =>
			runWorkflow({ nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'raw', options: { ownDomains } })], input: { node: 'Classify', items: [{ json: { raw } }] } });
		expect((await run('={{ 5 }}')).error?.message).toBe('Item 0: option "Own Domains" must be text (domain names separated by commas), not 5');
		expect((await run('={{ { a: 1 } }}')).error?.message).toBe('Item 0: option "Own Domains" must be text (domain names separated by commas), not {"a":1}');
		const list = await run('={{ ["muster-gruppe.de", "archiv-muster.de"] }}');
		expect(list.status).toBe('success');
		expect(list.items('Classify', 0).map((i) => (i.json.bounce as { recipient: string }).recipient)).toEqual(['dead@example.org']);
		expect((await run('={{ ["muster-gruppe.de", "gmail.com"] }}')).error?.message).toMatch(/^Item 0: option "Own Domains": gmail\.com is a public mailbox provider/);
	});

	it('a size or depth limit set by expression to 0, "" or text fails naming the item and option (it sent every message to Other, or turned the guard off)', async () => {
		const raw = fixture('exim-plain.eml').toString('utf8');
		const run = (options: Record<string, unknown>) =>
			runWorkflow({ nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'raw', options: options as never })], input: { node: 'Classify', items: [{ json: { raw } }] } });
		for (const [options, message] of [
			[{ maxSizeMb: 0 }, 'Item 0: option "Max Message Size (MB)" must be a number above 0, not 0'],
			[{ maxSizeMb: '' }, 'Item 0: option "Max Message Size (MB)" must be a number above 0, not empty'],
			[{ maxSizeMb: 'abc' }, 'Item 0: option "Max Message Size (MB)" must be a number above 0, not "abc"'],
			[{ maxDepth: 'x' }, 'Item 0: option "Max MIME Depth" must be a whole number above 0, not "x"'],
			[{ maxDepth: 2.5 }, 'Item 0: option "Max MIME Depth" must be a whole number above 0, not 2.5'],
		] as const) {
			const r = await run(options);
			expect(r.error?.message).toBe(message);
		}
		// A number given as text is a number.
		const ok = await run({ maxSizeMb: '5', maxDepth: '20' });
		expect(ok.items('Classify', 0).map((i) => (i.json.bounce as { recipient: string }).recipient)).toEqual(['dead@example.org']);
	});

	it('accepts Email Trigger (IMAP) fields', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'emailTrigger' })],
			input: {
				node: 'Classify',
				items: [
					{
						json: {
							from: 'MAILER-DAEMON@mail.example.net',
							subject: 'failure notice',
							textPlain: fixture('qmail-plain.eml').toString('utf8').split('\n\n').slice(1).join('\n\n'),
						},
					},
				],
			},
		});
		expect(r.status).toBe('success');
		expect(r.items('Classify', 1)[0].json.bounce).toMatchObject({ reason: 'mailboxfull', recipient: 'quota@example.net', invoiceId: 'INV-12' });
	});

	it.each([1, 2])('version %i: an Input Binary Field that no item of the run has fails the node, naming item, field and the binary fields it has (was: every message to Other, run successful)', async (typeVersion) => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'mail' }, { typeVersion })],
			input: {
				node: 'Classify',
				items: [
					{ json: { uid: 1 }, binary: asBinary('auto-reply.eml') },
					// Passed on unread by Read Mailbox: counts neither way.
					{ json: { uid: 2, tooLarge: true, error: 'larger than 25 MB' } },
					{ json: { uid: 3 }, binary: asBinary('rfc3464-userunknown.eml') },
				],
			},
		});
		expect(r.status).toBe('error');
		expect(r.nodeError('Classify')).toMatchObject({
			message: 'Item 0 has no binary field "mail" (its binary fields: data)',
			description: 'Set "Input Binary Field" to the name under which the email file arrives (available: data), or choose another Message Source.',
		});
	});

	it('one item without the binary field among items that have it still goes to Other alone; a run of unread items only succeeds', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'data' })],
			input: { node: 'Classify', items: [{ json: { uid: 1 }, binary: { mail: asBinary('auto-reply.eml').data } }, { json: { uid: 2 }, binary: asBinary('auto-reply.eml') }] },
		});
		expect(r.status).toBe('success');
		expect(r.items('Classify', 2).map((i) => [i.json.uid, i.json.error ?? null])).toEqual([
			[1, 'Item 0 has no binary field "data" (its binary fields: mail)'],
			[2, null],
		]);
		const unread = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'data' })],
			input: { node: 'Classify', items: [{ json: { uid: 7, tooLarge: true, error: 'larger than 25 MB' } }] },
		});
		expect(unread.status).toBe('success');
		expect(unread.items('Classify', 2).map((i) => i.json.uid)).toEqual([7]);
	});

	it('with Continue (regular output) a wrong Input Binary Field keeps failing item by item: each an error item, the run goes on', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'mail' }, { onError: 'continueRegularOutput' })],
			input: { node: 'Classify', items: [{ json: { uid: 1 }, binary: asBinary('auto-reply.eml') }, { json: { uid: 2 }, binary: asBinary('auto-reply.eml') }] },
		});
		expect(r.status).toBe('success');
		expect(r.items('Classify', 2).map((i) => i.json.error)).toEqual([
			'Item 0 has no binary field "mail" (its binary fields: data)',
			'Item 1 has no binary field "mail" (its binary fields: data)',
		]);
	});

	it('"Max Message Size (MB)" defaults to Read Mailbox’s 25 MB: a 12 MB message that Read Mailbox passes on is classified, not sent to Other', async () => {
		// The returned original's epilogue padded to 12 MB (over the old default of 10 MB).
		const raw = fixture('rfc3464-userunknown.eml').toString('utf8') + `${'A'.repeat(76)}\r\n`.repeat(Math.ceil((12 * 1024 * 1024) / 78));
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'raw' })],
			input: { node: 'Classify', items: [{ json: { raw } }] },
		});
		expect(r.status).toBe('success');
		const [hard] = r.outputs('Classify');
		expect(hard.map((i) => (i.json.bounce as { reason: string }).reason)).toEqual(['userunknown']);
		const maxSize = (loadPackage().nodeTypes.getByNameAndVersion(`${PACKAGE_PREFIX}.classifyBounce`, 2).description.properties.find((p) => p.name === 'options')?.options ?? []).find((o) => o.name === 'maxSizeMb');
		expect(maxSize).toMatchObject({ default: 25 });
	});

	it.each([1, 2])('version %i with Continue (using error output): an item without its binary goes to the error output, named; the rest is classified', async (typeVersion) => {
		const r = await runWorkflow({
			// Fed by a node before it, as in a workflow: n8n adds the input item's fields to an error item.
			nodes: [node('noOp', 'Feed'), node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'data' }, { typeVersion, onError: 'continueErrorOutput' })],
			connections: chain('Feed', 'Classify'),
			input: { node: 'Feed', items: [{ json: { uid: 1 }, binary: asBinary('auto-reply.eml') }, { json: { uid: 2 } }] },
		});
		expect(r.status).toBe('success');
		const outputs = r.outputs('Classify');
		expect(outputs).toHaveLength(typeVersion === 1 ? 4 : 6);
		const errors = outputs[outputs.length - 1];
		// Exactly the input item plus `error`: n8n put the input fields back; the node added nothing else.
		expect(errors.map((i) => [i.json, i.pairedItem])).toEqual([[{ uid: 2, error: 'Item 1 has no binary field "data" (its binary fields: none)' }, { item: 1 }]]);
		expect(outputs.slice(0, -1).flat().map((i) => [i.json.uid, (i.json.bounce as { kind: string }).kind])).toEqual([[1, 'autoReply']]);
	});

	it('an oversized message goes to Other with the size limit named', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', options: { maxSizeMb: 0.001 } })],
			input: { node: 'Classify', items: [{ json: {}, binary: asBinary('rfc3464-userunknown.eml') }] },
		});
		expect(r.status).toBe('success');
		expect(r.items('Classify', 2)[0].json.bounce).toMatchObject({ kind: 'none', diagnostic: expect.stringMatching(/size limit/) });
	});
});

describe('Classify Bounce version 2: outputs by what the workflow must do', () => {
	const v2 = (parameters: Record<string, unknown> = { source: 'binary', binaryPropertyName: 'data' }) =>
		node('classifyBounce', 'Classify', parameters as never, { typeVersion: 2 });
	const names = (items: { json: { uid?: unknown; bounce?: unknown } }[]) =>
		items.map((i) => [i.json.uid, (i.json.bounce as { category: string }).category]);

	it('routes Address Dead / Not Delivered / Sender Problem / Reply / Other, one item per recipient', async () => {
		const r = await runWorkflow({
			nodes: [v2()],
			input: {
				node: 'Classify',
				items: [
					{ json: { uid: 1 }, binary: asBinary('rfc3464-two-recipients-headers.eml') },
					{ json: { uid: 2 }, binary: asBinary('arf-abuse.eml') },
					{ json: { uid: 3 }, binary: asBinary('reply-de-outlook.eml') },
					{ json: { uid: 4 }, binary: asBinary('postfix-dsn-delayed.eml') },
					{ json: { uid: 5 }, binary: asBinary('auto-reply.eml') },
					{ json: { uid: 6 }, binary: asBinary('not-a-bounce.eml') },
					{ json: { uid: 7 }, binary: asBinary('forwarded-inline-de-mailboxfull.eml') },
				],
			},
		});
		expect(r.status).toBe('success');
		const outputs = r.outputs('Classify');
		expect(outputs).toHaveLength(5);
		const [dead, notDelivered, sender, reply, other] = outputs;
		expect(names(dead)).toEqual([
			[1, 'addressDead'],
			[2, 'complaint'],
		]);
		expect(names(notDelivered)).toEqual([
			[1, 'recipientRefused'],
			[7, 'recipientRefused'],
		]);
		expect(sender).toEqual([]);
		expect(names(reply)).toEqual([[3, 'reply']]);
		expect(reply[0].json.bounce).toMatchObject({ recipient: 'einkauf@kunde.example', level: 1, replyText: expect.stringMatching(/überwiesen/) });
		expect(reply[0].pairedItem).toEqual({ item: 2 });
		expect(names(other)).toEqual([
			[4, 'delayed'],
			[5, 'autoReply'],
			[6, 'none'],
		]);
		expect(other[0].json.bounce).toMatchObject({ final: false });
	});

	it('a refusal of our sender (DMARC, 5.7.26) goes to Sender Problem', async () => {
		const dmarc = fixture('rfc3464-userunknown.eml')
			.toString('utf8')
			.replace(/Status: 5\.1\.1/g, 'Status: 5.7.26')
			.replace(/Diagnostic-Code:.*$/m, "Diagnostic-Code: smtp; 550 5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy");
		const r = await runWorkflow({ nodes: [v2({ source: 'text', textField: 'raw' })], input: { node: 'Classify', items: [{ json: { raw: dmarc } }] } });
		expect(r.status).toBe('success');
		const [dead, notDelivered, sender] = r.outputs('Classify');
		expect(dead.length + notDelivered.length).toBe(0);
		expect(sender.map((i) => (i.json.bounce as { category: string; status: string }).status)).toEqual(['5.7.26']);
	});

	it('a message Read Mailbox refused as too large goes to Other', async () => {
		const r = await runWorkflow({ nodes: [v2()], input: { node: 'Classify', items: [{ json: { uid: 9, tooLarge: true } }] } });
		expect(r.status).toBe('success');
		expect(r.items('Classify', 4).map((i) => i.json.uid)).toEqual([9]);
	});

	it('version 1 keeps its three outputs and sends replies and delay notices to Other, as before', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'data' }, { typeVersion: 1 })],
			input: {
				node: 'Classify',
				items: [
					{ json: { uid: 1 }, binary: asBinary('reply-de-outlook.eml') },
					{ json: { uid: 2 }, binary: asBinary('postfix-dsn-delayed.eml') },
					{ json: { uid: 3 }, binary: asBinary('arf-abuse.eml') },
				],
			},
		});
		expect(r.status).toBe('success');
		const outputs = r.outputs('Classify');
		expect(outputs).toHaveLength(3);
		expect(outputs[0]).toEqual([]);
		expect(outputs[1].map((i) => i.json.uid)).toEqual([2]);
		expect(outputs[2].map((i) => i.json.uid)).toEqual([1, 3]);
	});

	it('new nodes get version 2; version 1 is no AI tool any more, nor is version 2', () => {
		const type = loadPackage().nodeTypes.getByName(`${PACKAGE_PREFIX}.classifyBounce`) as IVersionedNodeType;
		expect(type.description.defaultVersion).toBe(2);
		expect(type.getNodeType(1).description.outputNames).toEqual(['Hard', 'Soft', 'Other']);
		expect(type.getNodeType(2).description.outputNames).toEqual(['Address Dead', 'Not Delivered', 'Sender Problem', 'Reply', 'Other']);
		expect(type.getNodeType(1).description.usableAsTool).toBeUndefined();
		expect(type.getNodeType(2).description.usableAsTool).toBeUndefined();
	});
});
