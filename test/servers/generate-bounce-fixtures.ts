/**
 * Regenerates the project's own Postfix DSN fixtures from the running sandbox:
 *   npx ts-node --transpile-only test/servers/generate-bounce-fixtures.ts [--delay]
 * A reminder-like message (our correlation headers) goes through Postfix to an unknown local user;
 * the DSN Postfix returns to dunning@example.test is saved as test/fixtures/bounce/postfix-dsn-userunknown.eml.
 * With --delay, one more goes to a domain routed at a closed port: Postfix's "delayed" notice and
 * its final "expired" DSN are saved too (takes about a minute).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';

import { SANDBOX, waitForMessage } from './sandbox';

const OUT = join(__dirname, '..', 'fixtures', 'bounce');

async function sendReminder(to: string, invoiceId: string, level: number, tag: string): Promise<string> {
	const transport = createTransport({
		host: SANDBOX.host,
		port: SANDBOX.smtpPort,
		secure: false,
		tls: { rejectUnauthorized: false },
	});
	const messageId = `<reminder.${invoiceId}.${level}.${tag}@example.test>`;
	await transport.sendMail({
		from: { name: 'Beispiel Shop', address: SANDBOX.users.dunning.user },
		to,
		subject: `Zahlungserinnerung zur Rechnung ${invoiceId}`,
		text: `Guten Tag,\n\nunsere Rechnung ${invoiceId} ist noch offen.\n\nMit freundlichen Grüßen\nBeispiel Shop\n`,
		messageId,
		headers: {
			'Auto-Submitted': 'auto-generated',
			'X-Dunning-Invoice': invoiceId,
			'X-Dunning-Level': String(level),
			'X-Dunning-Run': `run-${tag}`,
		},
	});
	transport.close();
	return messageId;
}

async function main(): Promise<void> {
	mkdirSync(OUT, { recursive: true });
	const tag = Date.now().toString(36);

	await sendReminder(SANDBOX.unknownUser, 'RE-2026-0042', 2, tag);
	const [dsn] = await waitForMessage('dunning', { search: { text: `run-${tag}` }, timeoutMs: 20000 });
	writeFileSync(join(OUT, 'postfix-dsn-userunknown.eml'), dsn.source);
	process.stdout.write(`wrote postfix-dsn-userunknown.eml (${dsn.source.length} bytes)\n`);

	if (process.argv.includes('--delay')) {
		const dtag = `${tag}d`;
		await sendReminder(`buchhaltung@${SANDBOX.unreachableDomain}`, 'RE-2026-0043', 1, dtag);
		const search = { text: `run-${dtag}` };
		const [delayed] = await waitForMessage('dunning', { search, timeoutMs: 60000 });
		writeFileSync(join(OUT, 'postfix-dsn-delayed.eml'), delayed.source);
		process.stdout.write(`wrote postfix-dsn-delayed.eml (${delayed.source.length} bytes)\n`);
		const both = await waitForMessage('dunning', { search, count: 2, timeoutMs: 120000 });
		const expired = both.find((m) => m.uid !== delayed.uid)!;
		writeFileSync(join(OUT, 'postfix-dsn-expired.eml'), expired.source);
		process.stdout.write(`wrote postfix-dsn-expired.eml (${expired.source.length} bytes)\n`);
	}
}

main().catch((err: unknown) => {
	process.stderr.write(`${String(err)}\n`);
	process.exit(1);
});
