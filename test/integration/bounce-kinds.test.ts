/**
 * Every kind of returned mail, made for real by the sandbox's Postfix and Dovecot (issue 11,
 * Checks; scenarios in test/servers/bounce-kinds.ts): a reminder goes out through Postfix, what
 * comes back lands in dunning@example.test's INBOX, and the real classifier must read from it the
 * category, finality, reason and the reminder it belongs to (invoice, level, Message-ID).
 *
 * The same messages, saved by test/servers/generate-bounce-fixtures.ts, are checked first without
 * the sandbox (test/fixtures/bounce/postfix/ with expected.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { classifyMessage, type BounceResult } from '../../lib/bounce';
import { OUTPUT_NAMES } from '../../nodes/ClassifyBounce/ClassifyBounceV2';
import { node, runWorkflow } from '../harness/engine';
import { produce, sendReminder, SCENARIOS, type ExpectedBounce, type ReturnedSample } from '../servers/bounce-kinds';
import { appendMessages, describeWithSandbox, SANDBOX, searchUids, temporaryFolders, uniqueFolder, waitForMessage } from '../servers/sandbox';

const FIXTURES = join(__dirname, '..', 'fixtures', 'bounce', 'postfix');
const expectedFixtures = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, ExpectedBounce>;

/**
 * Real messages lib/bounce reads wrongly (none at present; lib/bounce belongs to another part of
 * the work): for these fields the checks accept the right value or the miss (null), never anything
 * else. Remove an entry once the classifier gets it right.
 */
const KNOWN_MISSES: Record<string, Array<keyof ExpectedBounce>> = {};

/**
 * Exactly one result, with every expected field (a list of reasons: any one of them; a field of
 * `missed`: the expected value or null).
 */
function expectClassified(results: BounceResult[], expected: ExpectedBounce, missed: Array<keyof ExpectedBounce> = []): void {
	expect(results).toHaveLength(1);
	const [r] = results;
	const { reason, replyTextIncludes, ...exact } = expected;
	for (const f of missed) {
		expect([expected[f], null]).toContainEqual(r[f as keyof BounceResult]);
		delete exact[f as keyof typeof exact];
	}
	expect(r).toMatchObject(exact);
	if (Array.isArray(reason)) expect(reason).toContain(r.reason);
	else if (reason !== undefined) expect(r.reason).toBe(reason);
	if (replyTextIncludes !== undefined) expect(r.replyText).toContain(replyTextIncludes);
}

/** Dovecot's log process writes a little after the fact: the first log line containing `text`, polled for a few seconds. */
async function dovecotLogLine(text: string, timeoutMs = 5000): Promise<string | undefined> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const line = readFileSync(join(SANDBOX.runDir, 'dovecot', 'dovecot.log'), 'utf8')
			.split('\n')
			.find((l) => l.includes(text));
		if (line || Date.now() > deadline) return line;
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('real Postfix/Dovecot returns, saved as fixtures (no sandbox needed)', () => {
	it('every fixture has an expectation, every expectation a fixture, and every scenario is there', () => {
		const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).sort();
		expect(Object.keys(expectedFixtures).sort()).toEqual(files);
		expect(files).toEqual(
			expect.arrayContaining([
				'userunknown.eml',
				'mailboxfull-quota.eml',
				'content-refused-5.7.1.eml',
				'delayed.eml',
				'expired.eml',
				'mailboxfull-delayed.eml',
				'mailboxfull-expired.eml',
				'complaint-arf.eml',
				'reply-german.eml',
				'reply-english.eml',
				'auto-reply-sieve-vacation.eml',
			]),
		);
	});

	for (const [file, expected] of Object.entries(expectedFixtures)) {
		const missed = KNOWN_MISSES[file] ?? [];
		it(`${file}: ${expected.category}${expected.final ? '' : ' (not final)'}${missed.length ? ` (known miss: ${missed.join(', ')})` : ''}`, async () => {
			expectClassified(await classifyMessage(readFileSync(join(FIXTURES, file))), expected, missed);
		});
	}
});

describeWithSandbox('bounce kinds made for real by the sandbox (Postfix + Dovecot)', () => {
	jest.setTimeout(60000);
	const tag = uniqueFolder('k');
	const ownFolder = temporaryFolders('dunning');

	for (const scenario of SCENARIOS) {
		it(`${scenario}: what comes back classifies as expected, tied to the reminder`, async () => {
			const samples = await produce(scenario, `${tag}-${scenario}`);
			expect(samples.length).toBeGreaterThan(0);
			for (const s of samples) {
				expectClassified(await classifyMessage(s.source), s.expected, KNOWN_MISSES[s.file]);
				// The fixture of this kind claims the same (regenerating it keeps it honest).
				expect(expectedFixtures[s.file]).toMatchObject({ category: s.expected.category, final: s.expected.final });
			}
		});
	}

	it('a reminder as we send it (Auto-Submitted: auto-generated) gets no vacation reply (RFC 3834 §2)', async () => {
		const invoiceId = `RE-${tag}-silent`;
		const marked = await sendReminder(SANDBOX.users.away.user, invoiceId, 1);
		// Sieve decides while the reminder is delivered: once it is in the mailbox, the decision is made.
		await waitForMessage('away', { search: { header: { 'X-Dunning-Invoice': invoiceId } } });
		const decision = `msgid=${marked.messageId}: vacation action: discarding vacation response to auto-submitted message`;
		expect(await dovecotLogLine(decision)).toContain(decision);
		// An unmarked one to the same mailbox is answered; by the time its answer is in, none came for ours.
		await produce('autoReply', `${tag}-after`);
		expect(await searchUids('dunning', 'INBOX', { text: invoiceId })).toEqual([]);
	});

	it('Read Mailbox → Classify Bounce v2 in the real engine routes each real return to its output', async () => {
		const want: Array<{ scenario: (typeof SCENARIOS)[number]; output: string }> = [
			{ scenario: 'mailboxFull', output: 'Not Delivered' },
			{ scenario: 'contentRefused', output: 'Sender Problem' },
			{ scenario: 'userUnknown', output: 'Address Dead' },
			{ scenario: 'complaint', output: 'Address Dead' },
			{ scenario: 'replyGerman', output: 'Reply' },
		];
		const samples: Array<ReturnedSample & { output: string }> = [];
		for (const w of want) {
			for (const s of await produce(w.scenario, `${tag}-engine-${w.scenario}`)) samples.push({ ...s, output: w.output });
		}
		// The shared INBOX also gets other suites' mail (and their workflows may move it): Read
		// Mailbox reads the very same bytes from a folder of this test's own.
		const folder = ownFolder('Kinds');
		const uids = await appendMessages('dunning', folder, samples.map((s) => s.source));
		expect(uids).toHaveLength(samples.length);

		const r = await runWorkflow({
			nodes: [
				node(
					'readMailbox',
					'Read Mailbox',
					{ folder, mode: 'sinceUid', firstRun: 'all', maxMessages: 100, postAction: 'none' },
					{ credentials: { dunningImapApi: { id: '1', name: 'Shop mailbox' } } },
				),
				node('classifyBounce', 'Classify Bounce', { source: 'binary', binaryPropertyName: 'data' }, { typeVersion: 2 }),
			],
			connections: { 'Read Mailbox': { main: [[{ node: 'Classify Bounce', type: 'main' as never, index: 0 }]] } },
			input: { node: 'Read Mailbox', items: [{ json: {} }] },
			credentials: {
				dunningImapApi: {
					host: SANDBOX.host,
					port: SANDBOX.imapPort,
					security: 'starttls',
					user: SANDBOX.users.dunning.user,
					password: SANDBOX.users.dunning.password,
					allowSelfSigned: true,
				},
			},
		});
		expect(r.error).toBeUndefined();
		expect(r.status).toBe('success');
		expect(r.items('Read Mailbox')).toHaveLength(samples.length);
		const outputs = r.outputs('Classify Bounce');
		expect(outputs.flat()).toHaveLength(samples.length);
		samples.forEach((s, i) => {
			const mine = (items: INodeExecutionData[]) => items.filter((item) => (item.json.bounce as IDataObject).originalMessageId === s.expected.originalMessageId);
			// Where it went, by output name: exactly the expected one.
			const where = OUTPUT_NAMES.filter((_, o) => mine(outputs[o] ?? []).length > 0);
			expect({ file: s.file, where }).toEqual({ file: s.file, where: [s.output] });
			const [item] = mine(outputs[OUTPUT_NAMES.indexOf(s.output)]);
			expectClassified([item.json.bounce as unknown as BounceResult], s.expected, KNOWN_MISSES[s.file]);
			expect(item.json).toMatchObject({ uid: uids[i], folder });
		});
	});
});
