/**
 * Bounce processing writes the mailbox's refusal counts back only when Record Sender Refusals counted
 * a refusal or paused the mailbox (Health Changed?), as the sender does: a save that adds nothing
 * could only collide with a sender run writing the row at the same moment. Mailbox Health runs in
 * n8n's engine, the other steps as mailbox-save.ts applies them.
 */
import type { DataTableRow, IDataObject } from 'n8n-workflow';

import { mailboxesTable, runHealthSteps, type Table } from './mailbox-save';

const okRow: DataTableRow = { mailbox: 'default', nextSendAt: 0, status: 'ok', statusReason: '', statusMessage: '', statusSince: '', senderRejections: 0, recentRejections: '[]' };

/** Refusal Report's item for a refusal of our sender; `final: false` is a notice that counts nothing. */
const report = (final: boolean): IDataObject => ({
	invoiceId: 'RE-1',
	bounce: { category: 'senderRejected', final, recipient: 'a@kunde.example', reason: 'blocklist', status: '5.7.1', diagnostic: '550 5.7.1 listed at a blocklist', remoteMta: 'mx.kunde.example' },
	internalDate: new Date(Date.now() - 60_000).toISOString(),
	sentAt: null,
});

/** Bounce processing from Record Sender Refusals on; the sender counts a refusal of its own before each of this run's first `senderWrites` saves. */
async function run(mailboxes: Table, item: IDataObject, senderWrites: number): ReturnType<typeof runHealthSteps> {
	const state = JSON.parse(JSON.stringify(mailboxes.rows[0])) as IDataObject;
	let written = 0;
	return runHealthSteps('bounce-processing', {
		healthNode: 'Record Sender Refusals',
		before: [['Settings', [{ mailbox: 'default' }]], ['Load Mailbox State', [state]]],
		items: [item],
		mailboxes,
		beforeNode: (name) => {
			if (name.startsWith('Save Rejection Counts') && written < senderWrites) {
				written++;
				Object.assign(mailboxes.rows[0], { senderRejections: written, recentRejections: JSON.stringify(Array.from({ length: written }, (_, i) => [Date.now() - i, `sender${i}`])) });
			}
		},
	});
}

describe('bounce processing saves the refusal counts only when it counted something', () => {
	test('a run that counted nothing writes nothing: no collision with the sender, no "changed twice" failure', async () => {
		const mailboxes = mailboxesTable([{ ...okRow }]);
		// The sender counts a refusal before each save this run might make: saving, this run would fail.
		const result = await run(mailboxes, report(false), 2);
		expect(result.failed).toBeNull();
		expect(result.ran).toEqual(['Record Sender Refusals', 'Health Changed?']);
		expect(mailboxes.rows[0]).toMatchObject({ senderRejections: 0, recentRejections: '[]', status: 'ok' });
	});

	test('a counted refusal is saved as before (on the row as reloaded when the sender wrote it meanwhile)', async () => {
		const mailboxes = mailboxesTable([{ ...okRow }]);
		const result = await run(mailboxes, report(true), 1);
		expect(result.failed).toBeNull();
		expect(result.ran.slice(0, 3)).toEqual(['Record Sender Refusals', 'Health Changed?', 'Save Rejection Counts']);
		expect(result.ran).toContain('Save Rejection Counts (Reloaded)');
		// The sender's refusal and this run's.
		expect(mailboxes.rows[0]).toMatchObject({ senderRejections: 2, status: 'ok' });
	});
});
