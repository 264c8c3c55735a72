/**
 * The clock the sending loop (lib/mail) waits with inside n8n: n8n-workflow's `sleep`, so waits
 * between reminders are n8n's own and end when the execution is cancelled. lib/ knows nothing of
 * n8n, so it takes the clock as a parameter and keeps its own for use outside n8n.
 */
import { sleep } from 'n8n-workflow';
import { AbortedError, type Clock } from '../../lib/mail/throttle';

export const n8nClock: Clock = {
	now: () => Date.now(),
	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		// lib/mail reads a cancelled wait as AbortedError; n8n's sleep rejects with the signal's reason.
		if (signal?.aborted) throw new AbortedError();
		if (ms <= 0) return;
		try {
			await sleep(ms, signal);
		} catch (error) {
			// Not an n8n error on purpose: lib/mail's loop catches AbortedError and reports the items.
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			if (signal?.aborted) throw new AbortedError();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			throw error;
		}
	},
};
