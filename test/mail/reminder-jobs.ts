import { buildReminderMessage } from '../../lib/mail/message';
import type { SendJob } from '../../lib/mail/send-run';

/** `count` level-1 reminders from shop@example.com to kunde1…N@example.org, keyed 0…N-1, for a send run `runId`. */
export async function reminderJobs(count: number, runId: string): Promise<SendJob[]> {
	return Promise.all(
		Array.from({ length: count }, async (_, i) => ({
			key: i,
			message: await buildReminderMessage({
				sender: { address: 'shop@example.com' },
				to: `kunde${i + 1}@example.org`,
				subject: `Zahlungserinnerung R-${i + 1}`,
				text: `Text ${i + 1}`,
				invoiceId: `inv-${i + 1}`,
				level: 1,
				runId,
			}),
		})),
	);
}
