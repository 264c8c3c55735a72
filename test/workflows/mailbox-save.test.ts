/**
 * A mailbox's sender-refusal counts are read at the start of a run and written back at its end: the
 * shipped sender and bounce processing save them only while the row still holds what they read
 * (compare and set), count the same refusals once more on the row as reloaded when it changed, and
 * fail naming the mailbox when it changed again. Mailbox Health runs in n8n's engine; the Data
 * Table, If and Code steps as mailbox-save.ts applies them.
 */
import type { DataTableRow, IDataObject } from 'n8n-workflow';

import { mailboxesTable, runHealthSteps, type Table } from './mailbox-save';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A report of a refusal because of our sender (Refusal Report's item), for one recipient. */
const returned = (recipient: string): IDataObject => ({
	invoiceId: `RE-${recipient}`,
	bounce: { category: 'senderRejected', final: true, recipient: `${recipient}@kunde.example`, reason: 'blocklist', status: '5.7.1', diagnostic: '550 5.7.1 listed at a blocklist', remoteMta: 'mx.kunde.example' },
	internalDate: iso(Date.now() - 60_000),
	sentAt: null,
});

/** The same refusal while sending (Send Reminder Email's item, as the sender hands it to Record Send Result). */
const refusedAtSend = (recipient: string): IDataObject => ({
	invoiceId: `RE-${recipient}`,
	invoiceNumber: `RE-${recipient}`,
	email: `${recipient}@kunde.example`,
	claim: {},
	delivery: { status: 'failed', category: 'senderRejected', bounceReason: 'blocklist', smtpStatus: '5.7.1', smtpResponse: '550 5.7.1 listed at a blocklist' },
});

const WORKFLOWS = [
	// The sender's tick fails when it paused the mailbox (Fail With Cause); bounce processing goes on.
	{ workflow: 'bounce-processing', healthNode: 'Record Sender Refusals', refusal: returned, pauseFails: false },
	{ workflow: 'send-released', healthNode: 'Record Send Result', refusal: refusedAtSend, pauseFails: true },
] as const;

const okRow = (over: DataTableRow = {}): DataTableRow => ({
	mailbox: 'default',
	nextSendAt: 0,
	status: 'ok',
	statusReason: '',
	statusMessage: '',
	statusSince: '',
	senderRejections: 0,
	recentRejections: '[]',
	...over,
});

/** The row as a Data Table Get outputs it (Load Mailbox State at the start of a run). */
const loaded = (table: Table): IDataObject => JSON.parse(JSON.stringify(table.rows[0])) as IDataObject;
const row = (table: Table) => table.rows[0];
const windowOf = (table: Table) => JSON.parse(String(row(table).recentRejections)) as unknown[];

describe.each(WORKFLOWS)('$workflow: the mailbox row is saved only as read', ({ workflow, healthNode, refusal, pauseFails }) => {
	const run = (mailboxes: Table, state: IDataObject, items: IDataObject[], beforeNode?: (name: string) => void) =>
		runHealthSteps(workflow, { healthNode, before: [['Settings', [{ mailbox: 'default' }]], ['Load Mailbox State', [state]]], items, mailboxes, beforeNode });

	test('two runs that read the row at once each count their refusal', async () => {
		const mailboxes = mailboxesTable([okRow()]);
		const readByBoth = loaded(mailboxes);
		const first = await run(mailboxes, readByBoth, [refusal('a')]);
		const second = await run(mailboxes, readByBoth, [refusal('b')]);
		expect([first.failed, second.failed]).toEqual([null, null]);
		expect(row(mailboxes)).toMatchObject({ senderRejections: 2, status: 'ok' });
		expect(windowOf(mailboxes)).toHaveLength(2);
		// The second found the row changed and counted again on it.
		expect(second.ran).toEqual(expect.arrayContaining(['Reload Mailbox State', `${healthNode} (Reloaded)`, 'Save Rejection Counts (Reloaded)']));
	});

	test('a third refusal read before two others were saved still pauses the mailbox', async () => {
		const mailboxes = mailboxesTable([okRow()]);
		const readByAll = loaded(mailboxes);
		const failed = [];
		for (const r of ['a', 'b', 'c']) failed.push((await run(mailboxes, readByAll, [refusal(r)])).failed);
		expect(failed.slice(0, 2)).toEqual([null, null]);
		if (pauseFails) expect(failed[2]).toContain('Sending from mailbox "default" is paused');
		else expect(failed[2]).toBeNull();
		expect(row(mailboxes)).toMatchObject({ senderRejections: 3, status: 'paused' });
		expect(row(mailboxes).statusMessage).toContain('refused for 3 recipients');
	});

	test('a resume after the row was read is not undone with the window read before', async () => {
		const now = Date.now();
		// Two refusals in the window, as this run reads the row.
		const mailboxes = mailboxesTable([okRow({ senderRejections: 2, recentRejections: JSON.stringify([[now - 2 * HOUR, 'aaaaaaaaaaaa'], [now - HOUR, 'bbbbbbbbbbbb']]) })]);
		const state = loaded(mailboxes);
		// Meanwhile another run's third refusal paused the mailbox (the window emptied), and the operator resumed it.
		Object.assign(row(mailboxes), { status: 'ok', statusReason: 'blocklist', statusSince: iso(now - 30 * 60_000), senderRejections: 3, recentRejections: '[]' });
		const result = await run(mailboxes, state, [refusal('c')]);
		expect(result.failed).toBeNull();
		// Counted on the row as it is now: one refusal in the window, no second pause.
		expect(row(mailboxes)).toMatchObject({ status: 'ok', senderRejections: 4 });
		expect(windowOf(mailboxes)).toHaveLength(1);
	});

	test('no row read: the row as the sender\'s first tick adds it (status ok, nothing else) is saved at once', async () => {
		const mailboxes = mailboxesTable([{ mailbox: 'default', nextSendAt: 0, status: 'ok' }]);
		const result = await run(mailboxes, {}, [refusal('a')]);
		expect(result.failed).toBeNull();
		expect(result.ran).not.toContain('Reload Mailbox State');
		expect(row(mailboxes)).toMatchObject({ senderRejections: 1, status: 'ok' });
	});

	test('a row that changed again while saving fails the run, naming the mailbox and what was not counted', async () => {
		const mailboxes = mailboxesTable([okRow({ mailbox: 'mahnung@shop.example' })]);
		const state = loaded(mailboxes);
		let writes = 0;
		// Another run counts a refusal before each of this run's saves.
		const meanwhile = (name: string) => {
			if (name.startsWith('Save Rejection Counts')) Object.assign(row(mailboxes), { senderRejections: ++writes, recentRejections: JSON.stringify(Array.from({ length: writes }, (_, i) => Date.now() - i)) });
		};
		const result = await runHealthSteps(workflow, {
			healthNode,
			before: [['Settings', [{ mailbox: 'mahnung@shop.example' }]], ['Load Mailbox State', [state]]],
			items: [refusal('a')],
			mailboxes,
			beforeNode: meanwhile,
		});
		expect(result.failed).toContain('Sender refusals of mailbox "mahnung@shop.example" were not counted');
		expect(result.failed).toContain('changed twice');
		expect(result.failed).toContain('1 refusal(s) of this run');
		// The other run's count stands.
		expect(row(mailboxes)).toMatchObject({ senderRejections: 2 });
	});
});
