import { readFileSync } from 'fs';
import { join } from 'path';

import { node, runWorkflow } from '../harness/engine';

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

	it('reads a raw message from a text field', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'mail.source' })],
			input: { node: 'Classify', items: [{ json: { mail: { source: fixture('exim-plain.eml').toString('utf8') } } }] },
		});
		expect(r.status).toBe('success');
		expect(r.items('Classify', 0)[0].json.bounce).toMatchObject({ kind: 'hard', reason: 'userunknown', recipient: 'dead@example.org', invoiceId: 'INV-11' });
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

	it('a missing binary property fails naming the item and the property', async () => {
		const r = await runWorkflow({
			nodes: [node('classifyBounce', 'Classify', { source: 'binary', binaryPropertyName: 'mail' })],
			input: { node: 'Classify', items: [{ json: {}, binary: asBinary('auto-reply.eml') }] },
		});
		expect(r.status).toBe('error');
		expect(r.error?.message).toMatch(/Item 0 has no binary property "mail"/);
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
