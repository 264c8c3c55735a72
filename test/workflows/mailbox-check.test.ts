/**
 * The Mailbox check (mailbox-check.json) must not read a whole shared inbox to find its test mail:
 * Read Mailbox asks the server for the Message-ID Send Test Mail reports, with a small cap beside it.
 */
import type { INodeProperties } from 'n8n-workflow';

import { ReadMailbox } from '../../nodes/ReadMailbox/ReadMailbox.node';
import { MAILBOX_CHECK_CODE } from '../../scripts/workflows/code-nodes';
import { mailboxCheck } from '../../scripts/workflows/mailbox-check';

interface ReadParameters {
	mode: string;
	maxMessages: number;
	postAction: string;
	options: Record<string, unknown>;
}

describe('Mailbox check (mailbox-check.json): Read Mailbox', () => {
	const nodes = mailboxCheck().toJson().nodes;
	const read = nodes.find((n) => n.name === 'Read Mailbox')!;
	const parameters = read.parameters as unknown as ReadParameters;

	it('reads only the test mail: "Only Message-ID" from Send Test Mail\'s delivery.messageId, which Check Result compares', () => {
		// Before: no option, so every unread message of the inbox was downloaded to find one Message-ID.
		expect(parameters.options.onlyMessageId).toBe("={{ $('Send Test Mail').first().json.delivery.messageId }}");
		expect(nodes.some((n) => n.name === 'Send Test Mail' && (n.parameters as { operation?: string }).operation === 'sendTestMail')).toBe(true);
		// The field Check Result reads the sent Message-ID from.
		expect(MAILBOX_CHECK_CODE).toContain("const sent = $('Send Test Mail').first().json;");
		expect(MAILBOX_CHECK_CODE).toContain('const messageId = sent.delivery && sent.delivery.messageId;');
	});

	it('caps what it reads (a second guard), reads unread mail and changes nothing in the mailbox', () => {
		// Before: 0, no limit.
		expect(parameters.maxMessages).toBeGreaterThan(0);
		expect(parameters.maxMessages).toBeLessThanOrEqual(10);
		expect(parameters).toMatchObject({ mode: 'unseen', postAction: 'none' });
	});

	it('sets an option Read Mailbox has (a misspelt one would be dropped by n8n without a word)', () => {
		const options = new ReadMailbox().description.properties.find((p) => p.name === 'options')!.options as INodeProperties[];
		for (const name of Object.keys(parameters.options)) expect(options.map((o) => o.name)).toContain(name);
	});
});
