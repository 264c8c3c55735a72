import type { ReadMailboxResult } from '../../lib/mailbox';
import { stoppedWarning } from '../../nodes/ReadMailbox/run';

/** A run that stopped after a refused move: only the fields stoppedWarning reads. */
function stopped(extra: Partial<ReadMailboxResult>): ReadMailboxResult {
	return { fetched: 3, stopped: { message: 'The server refused to move UID 2:3.' }, postActionFailed: [2, 3], ...extra } as ReadMailboxResult;
}

describe('Read Mailbox: the warning after a refused move or delete', () => {
	it('says the refused messages are not read again when they were marked read (or the position goes on after them)', () => {
		expect(stoppedWarning(stopped({}))).toBe(
			'Read 3 message(s), then stopped: The server refused to move UID 2:3. 2 of them may not have been marked, moved or deleted (their afterReading is "failed"): look at them in the folder; they are not read again. The next run goes on after them.',
		);
	});

	it('says how many come again when Unread Only could not mark them read either (readAgain)', () => {
		const warning = stoppedWarning(stopped({ readAgain: [3] }));
		expect(warning).toContain('1 of them are still unread and are read again in the next run');
		expect(warning).not.toContain('they are not read again');
	});

	it('with readAgain (Unread Only: no position) does not say the next run goes on after them', () => {
		// As readMailbox returns Unread Only with "Mark as Read" refused for both messages.
		const result = stopped({ stopped: { message: 'The server refused to mark as seen message(s) with UID 2:3.' } as ReadMailboxResult['stopped'], readAgain: [2, 3] });
		expect(stoppedWarning(result)).toBe(
			'Read 3 message(s), then stopped: The server refused to mark as seen message(s) with UID 2:3. 2 of them may not have been marked, moved or deleted (their afterReading is "failed"): look at them in the folder; 2 of them are still unread and are read again in the next run.',
		);
	});

	it('with only some of them read again, says the others are not (they were marked read instead)', () => {
		expect(stoppedWarning(stopped({ readAgain: [3] }))).toMatch(/; 1 of them are still unread and are read again in the next run, the others are not\.$/);
	});
});
