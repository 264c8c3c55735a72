/**
 * npm run bench:mailbox [-- --messages N]
 *
 * 10,000 messages in a real Dovecot folder (the mail sandbox: bash test/servers/mail-sandbox.sh
 * start) are fetched, classified and moved by lib/mailbox + lib/bounce, streaming. Reports
 * messages/s and the process's peak RSS, beside a baseline measured in the same run: a bare
 * imapflow fetch of the same messages (read-only, no classification, no move), i.e. what the
 * IMAP transport alone costs here. Ends with `msgs_per_s=<n> peak_rss_mb=<n>`.
 *
 * Messages are written straight into the folder's maildir (as Dovecot's `mail` user) because
 * 10,000 IMAP APPENDs would take longer than the measurement; Dovecot indexes them before timing.
 */
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { classifyMessage } from '../lib/bounce';
import { readMailbox } from '../lib/mailbox';
import { SANDBOX, sandboxAuth, sandboxImapServer, withSandboxImap } from '../test/servers/sandbox';

const argCount = process.argv.indexOf('--messages');
const N = argCount > 0 ? Number(process.argv[argCount + 1]) : 10000;
const MAIL_UID = 8;
const MAIL_GID = 8;

const fixtures = join(__dirname, '..', 'test', 'fixtures', 'bounce');
const templates = {
	userUnknown: readFileSync(join(fixtures, 'postfix-dsn-userunknown.eml'), 'latin1'),
	delayed: readFileSync(join(fixtures, 'postfix-dsn-delayed.eml'), 'latin1'),
	expired: readFileSync(join(fixtures, 'postfix-dsn-expired.eml'), 'latin1'),
};

/** A mix like a merchant's bounce folder: mostly hard bounces, some delays, some ordinary replies. */
function message(i: number): string {
	const invoice = `RE-B${String(i).padStart(6, '0')}`;
	const pick = i % 10;
	if (pick < 6) return templates.userUnknown.replace(/RE-2026-0042/g, invoice).replace(/nobody@example\.test/g, `nobody${i}@example.test`);
	if (pick < 7) return templates.delayed.replace(/RE-2026-0043/g, invoice);
	if (pick < 8) return templates.expired.replace(/RE-2026-0043/g, invoice);
	return [
		`From: Kunde ${i} <kunde${i}@example.org>`,
		'To: dunning@example.test',
		`Subject: Re: Zahlungserinnerung zur Rechnung ${invoice}`,
		`Date: ${new Date(Date.UTC(2026, 10, 1, 0, 0, i % 60)).toUTCString()}`,
		`Message-ID: <reply.${i}@example.org>`,
		`In-Reply-To: <reminder.${invoice}@example.test>`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'',
		`Guten Tag, die Rechnung ${invoice} habe ich heute bezahlt. Viele Grüße`,
		'',
	].join('\r\n');
}

/** Dovecot's Maildir++ path of a top-level folder in the sandbox. */
function maildirOf(folder: string): string {
	return join(SANDBOX.runDir, 'mail', 'example.test', 'dunning', 'Maildir', `.${folder}`);
}

async function fill(folder: string): Promise<void> {
	await withSandboxImap('dunning', async (client) => {
		await client.mailboxCreate(folder);
	});
	const dir = maildirOf(folder);
	const fresh = join(dir, 'new');
	mkdirSync(fresh, { recursive: true });
	const stamp = Math.floor(Date.now() / 1000);
	for (let i = 0; i < N; i++) {
		const body = message(i).replace(/\r?\n/g, '\n');
		const file = join(fresh, `${stamp}.M${i}P${process.pid}.bench,S=${Buffer.byteLength(body)}`);
		writeFileSync(file, body);
		chownSync(file, MAIL_UID, MAIL_GID);
	}
	// Let Dovecot find and index the new files now, not inside the measurement.
	await withSandboxImap('dunning', async (client) => {
		const status = await client.status(folder, { messages: true });
		if (!status || status.messages !== N) throw new Error(`expected ${N} messages in ${folder}, Dovecot sees ${status && status.messages}`);
	});
}

let peakRss = 0;
function sampleRss(): void {
	peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

async function main(): Promise<void> {
	const tag = Date.now().toString(36);
	const source = `Bench-${tag}`;
	const done = `Bench-${tag}-done`;
	const server = sandboxImapServer('starttls', 60000);
	const auth = sandboxAuth('dunning');

	process.stdout.write(`filling ${source} with ${N} messages … `);
	const tFill = performance.now();
	await fill(source);
	process.stdout.write(`${((performance.now() - tFill) / 1000).toFixed(1)} s\n`);

	global.gc?.();
	const startRss = process.memoryUsage().rss;
	peakRss = startRss;
	const sampler = setInterval(sampleRss, 20);
	const kinds: Record<string, number> = {};
	let count = 0;
	const t0 = performance.now();
	const result = await readMailbox(
		server,
		auth,
		{ folder: source, mode: 'sinceUid', firstRun: 'all', maxMessages: 0, postAction: { type: 'move', folder: done, createFolder: true } },
		async (m) => {
			const results = await classifyMessage(m.source);
			for (const r of results) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
			count++;
			if ((count & 63) === 0) sampleRss();
		},
	);
	const ours = (performance.now() - t0) / 1000;
	clearInterval(sampler);
	sampleRss();
	const oursPeak = peakRss;
	if (result.fetched !== N) throw new Error(`fetched ${result.fetched} of ${N}`);

	const left = await withSandboxImap('dunning', async (c) => (await c.status(source, { messages: true })) || { messages: -1 });
	const moved = await withSandboxImap('dunning', async (c) => (await c.status(done, { messages: true })) || { messages: -1 });

	// Baseline: the bare transport, streaming the same messages read-only.
	const t1 = performance.now();
	let baseCount = 0;
	await withSandboxImap('dunning', async (client) => {
		const lock = await client.getMailboxLock(done, { readOnly: true });
		try {
			for await (const m of client.fetch('1:*', { uid: true, source: true })) if (m.source) baseCount++;
		} finally {
			lock.release();
		}
	});
	const base = (performance.now() - t1) / 1000;

	await withSandboxImap('dunning', async (client) => {
		for (const f of [source, done]) await client.mailboxDelete(f).catch(() => undefined);
	});

	const rate = N / ours;
	const baseRate = baseCount / base;
	const mb = (b: number) => b / 1024 / 1024;
	process.stdout.write(
		[
			`server:     Dovecot (sandbox) ${SANDBOX.host}:${SANDBOX.imapPort} STARTTLS, lib/bounce classifyMessage, move to a new folder`,
			`messages:   ${N} fetched, ${moved.messages} moved, ${left.messages} left in the source folder`,
			`kinds:      ${Object.entries(kinds).map(([k, v]) => `${k}=${v}`).join(' ')}`,
			`ours:       ${ours.toFixed(2)} s  ${rate.toFixed(0)} msgs/s (fetch + classify + move)`,
			`baseline:   ${base.toFixed(2)} s  ${baseRate.toFixed(0)} msgs/s (bare imapflow fetch, read-only, no classify/move)`,
			`ratio:      ${(rate / baseRate).toFixed(2)}× of the bare fetch`,
			`peak RSS:   ${mb(oursPeak).toFixed(1)} MB during fetch/classify/move (process at ${mb(startRss).toFixed(1)} MB before it; target < 256 MB)`,
			`msgs_per_s=${rate.toFixed(0)} peak_rss_mb=${mb(oursPeak).toFixed(1)}`,
		].join('\n') + '\n',
	);
}

main().catch((err: unknown) => {
	process.stderr.write(`bench:mailbox failed: ${err instanceof Error ? err.stack : String(err)}\n(is the sandbox up? bash test/servers/mail-sandbox.sh start)\n`);
	process.exit(1);
});
