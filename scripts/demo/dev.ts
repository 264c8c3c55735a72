/**
 * `npm run dev`: the n8n editor on http://localhost:5678 with this package (freshly built and packed),
 * the shipped workflows, credentials for the local mail sandbox and the sample invoices. The user
 * folder is kept in .tmp/n8n-dev, so settings and data survive restarts. Stop with Ctrl-C.
 */
import { join } from 'node:path';

import { OWNER, PROJECT_ROOT } from '../../test/e2e/n8n';
import { startStack } from '../../test/e2e/stack';

const say = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
	const port = Number(process.env.N8N_PORT ?? 5678);
	const stack = await startStack({ userFolder: join(PROJECT_ROOT, '.tmp', 'n8n-dev'), port, log: (l) => say(`[dev] ${l}`) });
	try {
		// A fresh user folder has no tables yet; the seed workflow creates the invoices table.
		const existing = await stack.table('dunning_invoices').catch(() => []);
		if (existing.length === 0) {
			await stack.seedInvoices();
			say(`[dev] ${stack.invoices.length} sample invoices loaded into the Data Table dunning_invoices`);
		}
	} catch (error) {
		await stack.n8n.stop();
		throw error;
	}
	say('');
	say(`n8n editor: http://localhost:${port}   (sign in: ${OWNER.email} / ${OWNER.password})`);
	say('Workflows: Dunning run, Send released reminders, Bounce processing, Mailbox check, Dunning run (webhook).');
	say('Credentials "Dunning Mailbox (SMTP/IMAP)" point at the local sandbox; reminders land in alice@example.test (IMAP 127.0.0.1:10143, alice-pass).');
	// The workflows are as shipped: a sender run at night or at the weekend sends nothing.
	say('The sender sends Mon–Fri 08:00–18:00 (Europe/Berlin), not on public holidays of DE; outside that, a run sends nothing and');
	say('"Plan Sending Slots" shows nextOpening. To send at any time, set in its Settings sendingDays Mon-Sun, the hours 00:00 and 24:00, holidayRegion empty.');
	// The token itself is never printed: it is a mailbox password in effect.
	say('The ERP webhook (POST /webhook/dunning-run) wants the header of the credential "Dunning ERP Token" (random per start; read it there).');
	say('Ctrl-C stops n8n.');
	const stop = async () => {
		await stack.n8n.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	await new Promise(() => undefined);
}

main().catch((error: unknown) => {
	say(`dev failed: ${(error as Error).message}`);
	process.exit(1);
});
