/**
 * `npm run demo`: a real dunning run, end to end, on this machine.
 *
 * A real n8n with this package installed as a community package, the shipped workflows, sample
 * invoices, and the local Postfix/Dovecot sandbox (every customer address is a plus-address of
 * alice@example.test; nobody@example.test does not exist and bounces). Prints what happened and
 * writes an HTML report of every reminder that arrived.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { simpleParser } from 'mailparser';

import { PROJECT_ROOT, nodeOutputs, type ExecuteResult } from '../../test/e2e/n8n';
import { fastSending, startStack, type Stack } from '../../test/e2e/stack';
import { SANDBOX, withSandboxImap } from '../../test/servers/sandbox';
import { berlinDay, sampleCompany, setUpDunningRun } from '../../test/e2e/sample-data';
import { writeDemoLetters } from './letters';

const REQUIRED_NODES = ['ComputeDunningLevel', 'SendReminderEmail', 'ClassifyBounce', 'ReadMailbox'];
const say = (line = '') => process.stdout.write(`${line}\n`);

function table(rows: Array<Record<string, string | number>>, columns: string[]): void {
	const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
	const line = (cells: string[]) => say('  ' + cells.map((c, i) => c.padEnd(widths[i])).join('  '));
	line(columns);
	line(widths.map((w) => '-'.repeat(w)));
	for (const r of rows) line(columns.map((c) => String(r[c] ?? '')));
}

function countBy<T>(items: T[], key: (t: T) => string): Array<[string, number]> {
	const m = new Map<string, number>();
	for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
	return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function ok(r: ExecuteResult, what: string): ExecuteResult {
	if (r.status !== 'success') throw new Error(`${what} failed: ${r.data?.resultData.error?.message ?? r.status}`);
	return r;
}

function escapeHtml(s: string): string {
	return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

/** Fetches the reminders (by Message-ID) from alice's mailbox and writes them into one HTML page. */
async function writeReport(rows: Array<Record<string, unknown>>, file: string): Promise<number> {
	const sent = rows.filter((r) => r.channel === 'email' && r.messageId);
	const sections: string[] = [];
	await withSandboxImap('alice', async (client) => {
		const lock = await client.getMailboxLock('INBOX');
		try {
			for (const row of sent) {
				const uids = (await client.search({ header: { 'message-id': String(row.messageId) } }, { uid: true })) || [];
				if (uids.length === 0) {
					sections.push(`<section><h2>${escapeHtml(String(row.invoiceId))}: not in alice's mailbox (${escapeHtml(String(row.status))})</h2></section>`);
					continue;
				}
				const msg = await client.fetchOne(String(uids[uids.length - 1]), { source: true }, { uid: true });
				if (!msg || !msg.source) continue;
				const mail = await simpleParser(msg.source);
				const headers = ['X-Dunning-Invoice', 'X-Dunning-Level', 'X-Dunning-Run', 'Auto-Submitted']
					.map((h) => `${h}: ${escapeHtml(String(mail.headers.get(h.toLowerCase()) ?? ''))}`)
					.join('<br>');
				const body = mail.html ? `<iframe srcdoc="${escapeHtml(mail.html)}"></iframe>` : `<pre>${escapeHtml(mail.text ?? '')}</pre>`;
				sections.push(
					`<section><h2>${escapeHtml(mail.subject ?? '')}</h2><p><b>To:</b> ${escapeHtml(mail.to ? (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to.text) : '')}` +
						` &middot; <b>Status:</b> ${escapeHtml(String(row.status))} &middot; <b>Message-ID:</b> ${escapeHtml(String(row.messageId))}</p>` +
						`<p class="h">${headers}</p>${body}</section>`,
				);
			}
		} finally {
			lock.release();
		}
	});
	writeFileSync(
		file,
		`<!doctype html><meta charset="utf-8"><title>Dunning demo: reminders received</title>
<style>body{font:14px system-ui,sans-serif;max-width:960px;margin:2em auto}section{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0}
iframe{width:100%;height:420px;border:1px solid #eee}.h{color:#666;font-size:12px}</style>
<h1>Reminders received in the sandbox mailbox</h1><p>${sent.length} reminders, read back over IMAP from ${SANDBOX.users.alice.user}.</p>
${sections.join('\n')}`,
	);
	return sent.length;
}

async function main(): Promise<void> {
	const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
	const missing = REQUIRED_NODES.filter((n) => !pkg.n8n.nodes.some((p) => p.includes(`/${n}/`)));
	if (missing.length > 0) {
		say(`The demo needs these nodes, which this checkout does not have yet: ${missing.join(', ')}.`);
		process.exit(1);
	}

	const outDir = join(PROJECT_ROOT, '.tmp', 'demo');
	mkdirSync(outDir, { recursive: true });
	say('== Starting a real n8n with this package (first time: installs n8n into .cache/, a few minutes)');
	let stack: Stack | undefined;
	try {
		// As an operator sets up the dunning run: company details, and a print folder n8n may write to.
		const filesRoot = join(outDir, 'n8n-files');
		const printFolder = join(filesRoot, 'dunning');
		mkdirSync(printFolder, { recursive: true });
		process.env.N8N_RESTRICT_FILE_ACCESS_TO = filesRoot;
		const company = sampleCompany();
		stack = await startStack({
			patch: (name, wf) => {
				fastSending(name, wf);
				if (name === 'dunning-run') setUpDunningRun(wf, company, printFolder);
			},
			emptyInbox: true,
			log: (l) => say(`   ${l}`),
		});
		say('   The sender\'s pause between mails is set to 0 s for the sandbox (shipped default: 60 s), its sending window');
		say('   is off (shipped: Mon–Fri 08:00–18:00, not on public holidays of DE), and bounce processing reads bounces');
		say('   at once (shipped: once they are 2 minutes old).');
		say(`   Company Details filled in with the sample company; print batches go to ${printFolder}`);
		await stack.seedInvoices();
		say(`   ${stack.invoices.length} sample invoices loaded into the Data Table dunning_invoices`);

		say('\n== 1. Dunning run (workflow "Dunning run: release reminders")');
		const run = ok(await stack.n8n.runManually('dunningRun00001'), 'the dunning run');
		const summary = nodeOutputs(run.data, 'Run Summary')[0][0] as {
			decisions: Array<{ action: string; level: number; reason: string | null }>;
			printBatch: { file: string; letters: number; pages: number } | null;
			lettersFailed: Array<{ invoiceId: string; error: string }>;
		};
		table(
			countBy(summary.decisions, (d) => `${d.action}|${d.level}|${d.reason ?? ''}`).map(([k, n]) => {
				const [action, level, reason] = k.split('|');
				return { action, level, reason, invoices: n };
			}),
			['action', 'level', 'reason', 'invoices'],
		);
		if (summary.printBatch) say(`   Paper reminders: ${summary.printBatch.letters} letters, ${summary.printBatch.pages} pages in the print batch ${summary.printBatch.file}`);
		for (const f of summary.lettersFailed) say(`   No letter for ${f.invoiceId}: ${f.error}`);

		say('\n== 2. Sender (workflow "Send released reminders", one tick)');
		ok(await stack.n8n.runManually('sendReleased0001'), 'the sender');
		let reminders = await stack.table('dunning_reminders');
		table(
			countBy(reminders, (r) => `${r.level}|${r.channel}|${r.status}`).map(([k, n]) => {
				const [level, channel, status] = k.split('|');
				return { level, channel, status, reminders: n };
			}),
			['level', 'channel', 'status', 'reminders'],
		);
		const report = join(outDir, 'reminders.html');
		const count = await writeReport(reminders, report);
		say(`   ${count} reminders written to ${report}`);
		say(`   Raw mails: ${SANDBOX.runDir}/mail/example.test/alice/Maildir/ (IMAP 127.0.0.1:${SANDBOX.imapPort}, alice@example.test / alice-pass)`);

		say('\n== 3. The loop: a bounce blocks the address, the next run goes on paper');
		const bad = reminders.find((r) => r.channel === 'email' && String(r.email) === SANDBOX.unknownUser);
		if (!bad) throw new Error(`no reminder went to ${SANDBOX.unknownUser}`);
		say(`   Invoice ${bad.invoiceId} (level ${bad.level}) went to ${bad.email}; Postfix returns a bounce to dunning@example.test.`);
		let blocked: string[] = [];
		for (let i = 0; i < 30 && blocked.length === 0; i++) {
			const b = ok(await stack.n8n.runManually('bounceProcess001'), 'bounce processing');
			const s = nodeOutputs(b.data, 'Bounce Summary')[0]?.[0] as
				| { customersBlocked?: string[]; remindersNotDelivered?: Array<Record<string, unknown>>; bouncesMoved?: number }
				| undefined;
			blocked = s?.customersBlocked ?? [];
			if (blocked.length) {
				for (const r of s?.remindersNotDelivered ?? []) say(`   not delivered (${r.category}): ${r.invoiceId} level ${r.level} to ${r.email}: ${r.reason}`);
				say(`   ${s?.bouncesMoved ?? 0} bounce message(s) moved to the folder Dunning/Bounces of dunning@example.test; other mail stays in the inbox.`);
			} else await new Promise((res) => setTimeout(res, 1000));
		}
		if (blocked.length === 0) throw new Error('the bounce did not arrive within 30 s');
		say(`   Customer(s) ${blocked.join(', ')} now have emailBlocked = true.`);
		const second = ok(await stack.n8n.runManually('dunningRun00001'), 'the second dunning run');
		const batch = (nodeOutputs(second.data, 'Run Summary')[0][0] as { printBatch: { file: string; letters: number } | null }).printBatch;
		reminders = await stack.table('dunning_reminders');
		for (const r of reminders.filter((x) => x.invoiceId === bad.invoiceId)) say(`   ${r.reminderKey}: ${r.status}`);
		const paper = reminders.find((r) => r.invoiceId === bad.invoiceId && r.channel === 'paper');
		if (!paper) throw new Error(`invoice ${bad.invoiceId} did not go to paper`);
		say(`   → the next run put invoice ${bad.invoiceId} on paper.`);
		if (batch) say(`   Its letter is in that run's print batch (${batch.letters} letter(s)): ${batch.file}`);

		say('\n== 4. Reminder letters (Create Reminder Letter: DIN 5008 form B, GiroCode)');
		const letters = await writeDemoLetters(stack.invoices, outDir, berlinDay(0));
		say(`   ${letters.letters} letters (paper and e-mail reminders alike, grouped by customer) in one print batch: ${letters.batch}`);
		if (letters.pages.length) for (const page of letters.pages) say(`   page image: ${page}`);
		else say('   no page images: pdftoppm is missing (apt-get install -y poppler-utils)');

		say('\nDone. Open the report in a browser:');
		say(`   file://${report}`);
		say('Run `npm run dev` to look at the workflows in the n8n editor.');
	} finally {
		await stack?.dispose();
	}
}

main().catch((error: unknown) => {
	say(`\nDemo failed: ${(error as Error).message}`);
	process.exit(1);
});
