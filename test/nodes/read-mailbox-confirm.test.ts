/**
 * Read Mailbox's "Save Position: At a Confirm Position Step" and its "Confirm Read Position"
 * operation: n8n saves static data after a failed run too, so a position saved while reading lost
 * the messages of a run that failed further on (a Data Table error, an IMAP failure in Move Bounce).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { chain, node, runWorkflow } from '../harness/engine';
import { IMAP_NODE_CREDENTIALS as creds, sandboxImapCredential } from '../harness/read-mailbox-node';
import { ReadMailbox } from '../../nodes/ReadMailbox/ReadMailbox.node';
import { ReadMailboxTrigger } from '../../nodes/ReadMailbox/ReadMailboxTrigger.node';
import { CONFIRMED_POSITIONS, confirmPositions, confirmStepStore } from '../../nodes/ReadMailbox/position';
import { appendMessages, describeWithSandbox, testMessage, temporaryFolders } from '../servers/sandbox';

describeWithSandbox('Read Mailbox: position confirmed at a later step', () => {
	const folder = temporaryFolders('dunning');

	/** Read → a step that fails or not (a stand-in for a Data Table write) → Confirm Read Position. */
	const workflow = (f: string, staticData: IDataObject, downstream: 'fails' | 'ok', savePosition?: string) =>
		runWorkflow({
			nodes: [
				node('readMailbox', 'Read', { folder: f, mode: 'sinceUid', firstRun: 'all', postAction: 'none', options: savePosition ? { savePosition } : {} }, { credentials: creds }),
				node('evaluate', 'Handle', { json: downstream === 'fails' ? '{ not json' : '{"handled":true}' }),
				node('readMailbox', 'Confirm', { operation: 'confirmPosition' }),
			],
			connections: chain('Read', 'Handle', 'Confirm'),
			input: { node: 'Read', items: [{ json: {} }] },
			credentials: { dunningImapApi: sandboxImapCredential() },
			staticData,
			mode: 'trigger',
		});

	it('a run that fails after reading leaves its messages for the next run; one that reaches the confirm step does not', async () => {
		const f = folder('confirm-after');
		await appendMessages('dunning', f, [testMessage({ subject: 'bounce 1', marker: 'ca-1' })]);
		const staticData: IDataObject = {};

		const failed = await workflow(f, staticData, 'fails', 'confirmStep');
		expect(failed.status).toBe('error');
		expect(failed.items('Read').map((i) => i.json.subject)).toEqual(['bounce 1']);

		const again = await workflow(f, staticData, 'ok', 'confirmStep');
		expect(again.status).toBe('success');
		expect(again.items('Read').map((i) => i.json.subject)).toEqual(['bounce 1']);
		// The confirm step passes its items through: it can end any workflow.
		expect(again.items('Confirm').map((i) => i.json)).toEqual([{ handled: true }]);

		const next = await workflow(f, staticData, 'ok', 'confirmStep');
		expect(next.items('Read')).toEqual([]);
		await appendMessages('dunning', f, [testMessage({ subject: 'bounce 2', marker: 'ca-2' })]);
		expect((await workflow(f, staticData, 'ok', 'confirmStep')).items('Read').map((i) => i.json.subject)).toEqual(['bounce 2']);
	});

	it('"When Read" (the default) keeps the position the node read to, also when a later step fails', async () => {
		const f = folder('confirm-when-read');
		await appendMessages('dunning', f, [testMessage({ subject: 'read once', marker: 'wr-1' })]);
		const staticData: IDataObject = {};
		expect((await workflow(f, staticData, 'fails')).items('Read')).toHaveLength(1);
		expect((await workflow(f, staticData, 'ok')).items('Read')).toEqual([]);
	});

	it('switching to "At a Confirm Position Step" goes on from the position saved "When Read", not from the start of the folder', async () => {
		const f = folder('confirm-switch');
		await appendMessages('dunning', f, [testMessage({ subject: 'old', marker: 'sw-1' })]);
		const staticData: IDataObject = {};
		expect((await workflow(f, staticData, 'ok')).items('Read')).toHaveLength(1);
		await appendMessages('dunning', f, [testMessage({ subject: 'new', marker: 'sw-2' })]);
		expect((await workflow(f, staticData, 'fails', 'confirmStep')).items('Read').map((i) => i.json.subject)).toEqual(['new']);
		expect((await workflow(f, staticData, 'ok', 'confirmStep')).items('Read').map((i) => i.json.subject)).toEqual(['new']);
	});
});

describe('Read Mailbox: confirmed and pending positions', () => {
	const at = (lastUid: number, uidValidity = '7') => ({ uidValidity, lastUid, readAt: '2099-01-01T00:00:00.000Z' });

	it('confirms only what this execution read; a failed execution\'s pending position is replaced by the next read', () => {
		const global: IDataObject = {};
		const failedRun = confirmStepStore(global, {}, 'exec-1');
		expect(failedRun.start('box/INBOX')).toBeUndefined();
		failedRun.save('box/INBOX', at(5), true);
		// exec-1 never reached its confirm step; exec-2 starts where the last confirmed run ended.
		expect(confirmPositions(global, 'exec-2')).toEqual([]);
		const retry = confirmStepStore(global, {}, 'exec-2');
		expect(retry.start('box/INBOX')).toBeUndefined();
		retry.save('box/INBOX', at(6), true);
		expect(confirmPositions(global, 'exec-2')).toEqual([{ folder: 'box/INBOX', uidValidity: '7', lastUid: 6 }]);
		expect(confirmStepStore(global, {}, 'exec-3').start('box/INBOX')).toEqual(at(6));
		expect(confirmPositions(global, 'exec-2')).toEqual([]);
	});

	it('a second read in the same execution goes on after the first', () => {
		const global: IDataObject = {};
		confirmStepStore(global, {}, 'exec-1').save('box/INBOX', at(5), true);
		expect(confirmStepStore(global, {}, 'exec-1').start('box/INBOX')).toEqual(at(5));
		expect(confirmStepStore(global, {}, 'exec-2').start('box/INBOX')).toBeUndefined();
	});

	it('a read that passed on no message saves at once (a first run that starts at the end, a renumbered folder)', () => {
		const global: IDataObject = {};
		confirmStepStore(global, {}, 'exec-1').save('box/INBOX', at(40, '9'), false);
		expect(confirmStepStore(global, {}, 'exec-2').start('box/INBOX')).toEqual(at(40, '9'));
	});

	it('a second read of the same folder in the same execution that passes on nothing keeps the first read pending: a failed run reads those messages again', () => {
		const global: IDataObject = { [CONFIRMED_POSITIONS]: { 'box/INBOX': { confirmed: at(4) } } };
		// A loop, or a second Read Mailbox node on the same folder (the position is kept per folder, workflow-wide).
		const run = confirmStepStore(global, {}, 'exec-1');
		run.save('box/INBOX', at(9), true);
		expect(run.start('box/INBOX')).toEqual(at(9));
		run.save('box/INBOX', at(9), false);
		// exec-1 fails before its confirm step: the next execution starts where exec-0 confirmed.
		expect(confirmStepStore(global, {}, 'exec-2').start('box/INBOX')).toEqual(at(4));
		// Had exec-1 reached it, its confirm step would have confirmed what both reads read.
		expect(confirmPositions(global, 'exec-1')).toEqual([{ folder: 'box/INBOX', uidValidity: '7', lastUid: 9 }]);
	});

	it('an empty read after another execution\'s pending position (one that failed) still confirms at once', () => {
		const pending = { ...at(9), executionId: 'exec-1' };
		const global: IDataObject = { [CONFIRMED_POSITIONS]: { 'box/INBOX': { confirmed: at(4), pending } } };
		confirmStepStore(global, {}, 'exec-2').save('box/INBOX', at(4), false);
		expect(confirmStepStore(global, {}, 'exec-3').start('box/INBOX')).toEqual(at(4));
		expect((global[CONFIRMED_POSITIONS] as IDataObject)['box/INBOX']).toEqual({ confirmed: at(4) });
	});

	it('a confirmed position of an older UIDVALIDITY is replaced by what was read after the renumbering', () => {
		const global: IDataObject = { [CONFIRMED_POSITIONS]: { 'box/INBOX': { confirmed: at(90, '1') } } };
		confirmStepStore(global, {}, 'exec-1').save('box/INBOX', at(3, '2'), true);
		expect(confirmStepStore(global, {}, 'exec-2').start('box/INBOX')).toEqual(at(90, '1'));
		expect(confirmPositions(global, 'exec-1')).toEqual([{ folder: 'box/INBOX', uidValidity: '2', lastUid: 3 }]);
		expect(confirmStepStore(global, {}, 'exec-2').start('box/INBOX')).toEqual(at(3, '2'));
	});

	it('the confirm step runs without a mail connection and changes nothing another execution left pending', async () => {
		const pending = { uidValidity: '7', lastUid: 5, executionId: 'another-execution' };
		const staticData: IDataObject = { global: { [CONFIRMED_POSITIONS]: { 'box/INBOX': { confirmed: at(4), pending } } } };
		const run = await runWorkflow({
			nodes: [node('readMailbox', 'Confirm', { operation: 'confirmPosition' })],
			input: { node: 'Confirm', items: [{ json: { a: 1 } }, { json: { a: 2 } }] },
			staticData,
			mode: 'trigger',
		});
		expect(run.status).toBe('success');
		expect(run.items('Confirm').map((i) => i.json)).toEqual([{ a: 1 }, { a: 2 }]);
		expect((staticData.global as IDataObject)[CONFIRMED_POSITIONS]).toEqual({ 'box/INBOX': { confirmed: at(4), pending } });
	});
});

describe('Read Mailbox panel: Save Position and Confirm Read Position', () => {
	const { properties, credentials } = new ReadMailbox().description;
	const option = (props: typeof properties) =>
		props.filter((p) => p.name === 'options').flatMap((p) => (p.options ?? []) as INodeProperties[]).find((o) => o.name === 'savePosition');

	it('offers "Save Position" on Read Mailbox, "When Read" by default, and not on the trigger', () => {
		expect(option(properties)).toMatchObject({ displayName: 'Save Position', default: 'whenRead' });
		expect(option(new ReadMailboxTrigger().description.properties)).toBeUndefined();
	});

	it('says that only what is still in the folder is read again after a failure, and that nodes on the same folder share the position', () => {
		const confirmStep = (option(properties)?.options as Array<{ value: string; description?: string }>).find((o) => o.value === 'confirmStep');
		expect(confirmStep?.description).toContain('Only what is still in the folder is read again: messages moved or deleted by After Reading (or by a later step) are not.');
		expect(confirmStep?.description).toContain('Read Mailbox nodes with this option on the same folder of the same mailbox share one position');
	});

	it('asks for no credential in the confirm step', () => {
		for (const c of credentials ?? []) expect(c.displayOptions?.show?.operation).toEqual(['read', 'move']);
		const auth = properties.find((p) => p.name === 'authentication');
		expect(auth?.displayOptions?.show?.operation).toEqual(['read', 'move']);
	});
});
