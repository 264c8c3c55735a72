/**
 * npm run bench:send [-- --messages N] [--rounds R]
 *
 * Sends N (default 1,000) payment reminders — the shipped German template rendered per message,
 * plus a 20 KB PDF attachment — with no throttle to a loopback SMTP sink, three ways, over
 * implicit TLS and over plain SMTP:
 *   ours        lib/mail: one connection for the run (runSendJobs + smtpConnector)
 *   per-item    n8n's Send Email approach: a new nodemailer transport (connection, TLS handshake,
 *               EHLO, AUTH) for every item, closed afterwards
 *   pooled      raw nodemailer with a pooled transport held to one connection (maxConnections 1,
 *               the same connection budget a mailbox gives us), messages sent one after another
 * The sink is bench/smtp-sink.ts, a minimal raw `net`/`tls` SMTP server in a child process,
 * NOT smtp-server (which delays every new connection by 100 ms and would flatter us against the
 * per-item baseline) and not Postfix (its queue writes would dominate every contestant).
 * Prints messages/s and ratios; ends with the line
 * `tls_vs_per_item_transport=<r> tls_vs_pooled_nodemailer=<r> plain_vs_per_item_transport=<r> plain_vs_pooled_nodemailer=<r>`.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

import { buildReminderMessage } from '../lib/mail/message';
import { runSendJobs, type SendJob } from '../lib/mail/send-run';
import type { MailAuth, MailServer, Security } from '../lib/mail/server';
import { smtpConnector } from '../lib/mail/smtp-session';
import { nodemailerTransportOptions } from '../lib/mail/smtp-options';
import { buildTemplateContext } from '../lib/templates/context';
import { TemplateEnvironment } from '../lib/templates/environment';
import { localeFor, renderReminder, resolveTemplates } from '../lib/templates/render';

const argN = process.argv.indexOf('--messages');
const N = argN > 0 ? Number(process.argv[argN + 1]) : 1000;
const WARMUP = Math.min(50, N);

const sender = { address: 'buchhaltung@shop.example', name: 'Beispiel Shop GmbH', replyTo: 'zahlungen@shop.example' };
const auth: MailAuth = { method: 'password', user: 'buchhaltung@shop.example', password: 'bench-password' };
// A 20 KB "PDF": a real header and trailer around random bytes (incompressible, like a real one).
const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(20 * 1024 - 16), Buffer.from('\n%%EOF\n')]);
const env = new TemplateEnvironment();
const templates = resolveTemplates('de', 2, 'de');

function render(i: number) {
	const values = {
		invoiceId: `inv-${i}`,
		invoiceNumber: `RE-2026-${String(i).padStart(5, '0')}`,
		invoiceDate: '2026-01-10',
		dueDate: '2026-02-09',
		deadline: '2026-03-02',
		invoiceAmount: 100 + i,
		paidAmount: null,
		openAmount: 100 + i,
		fee: 5,
		flatFee: 0,
		interest: 1.23,
		totalDue: 106.23 + i,
		level: 2,
		stageName: '1. Mahnung',
		daysOverdue: 21,
		customerName: `Kunde ${i}`,
		senderName: sender.name,
	};
	const context = buildTemplateContext({}, { ...values, invoices: [values], invoiceCount: 1 }, { language: 'de', locale: localeFor('de'), currency: 'EUR' });
	const rendered = renderReminder(env, templates, context);
	return { ...rendered, to: `kunde${i}@kunden.example`, invoiceId: values.invoiceId, filename: `${values.invoiceNumber}.pdf` };
}

function mailOptions(i: number) {
	const r = render(i);
	return {
		from: { name: sender.name, address: sender.address },
		to: r.to,
		replyTo: sender.replyTo,
		subject: r.subject,
		text: r.text,
		html: r.html,
		headers: { 'Auto-Submitted': 'auto-generated', 'X-Dunning-Invoice': r.invoiceId, 'X-Dunning-Level': '2', 'X-Dunning-Run': 'bench' },
		attachments: [{ filename: r.filename, content: pdf, contentType: 'application/pdf' }],
	};
}

async function ours(server: MailServer, from: number, count: number): Promise<number> {
	const jobs: SendJob[] = [];
	for (let i = from; i < from + count; i++) {
		const r = render(i);
		const message = await buildReminderMessage({
			sender,
			to: r.to,
			subject: r.subject,
			text: r.text,
			html: r.html,
			invoiceId: r.invoiceId,
			level: 2,
			runId: 'bench',
			attachments: [{ filename: r.filename, contentType: 'application/pdf', content: pdf }],
		});
		jobs.push({ key: i, message });
	}
	const result = await runSendJobs(smtpConnector(server, auth), jobs, { minSecondsBetween: 0 });
	return result.deliveries.filter((d) => d.status === 'sent').length;
}

async function perItemTransport(server: MailServer, from: number, count: number): Promise<number> {
	let sent = 0;
	for (let i = from; i < from + count; i++) {
		// What n8n's Send Email node does for every item.
		const transport = nodemailer.createTransport(nodemailerTransportOptions(server, auth));
		await transport.sendMail(mailOptions(i));
		transport.close();
		sent++;
	}
	return sent;
}

async function pooledNodemailer(server: MailServer, from: number, count: number): Promise<number> {
	const transport = nodemailer.createTransport(nodemailerTransportOptions(server, auth, true));
	let sent = 0;
	for (let i = from; i < from + count; i++) {
		await transport.sendMail(mailOptions(i));
		sent++;
	}
	transport.close();
	return sent;
}

type Contestant = (server: MailServer, from: number, count: number) => Promise<number>;

const argRounds = process.argv.indexOf('--rounds');
const ROUNDS = argRounds > 0 ? Number(process.argv[argRounds + 1]) : 3;

/** One timed batch of N messages (after a warm-up batch); messages per second. */
async function timeOnce(name: string, fn: Contestant, server: MailServer, round: number): Promise<number> {
	const base = (round + 1) * (N + WARMUP);
	await fn(server, base, WARMUP);
	const started = process.hrtime.bigint();
	const sent = await fn(server, base + WARMUP, N);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (sent !== N) throw new Error(`${name}: only ${sent} of ${N} messages were accepted`);
	return N / seconds;
}

/**
 * The machine is shared (2 cores, other jobs): contestants take turns for ROUNDS rounds and each
 * reports its median, so a burst of foreign load hits all of them alike instead of one.
 */
async function measureAll(contestants: Array<[string, Contestant]>, server: MailServer): Promise<number[]> {
	const rates: number[][] = contestants.map(() => []);
	for (let round = 0; round < ROUNDS; round++) {
		for (const [index, [name, fn]] of contestants.entries()) rates[index].push(await timeOnce(name, fn, server, round));
	}
	return rates.map((r, index) => {
		const sorted = [...r].sort((a, b) => a - b);
		const median = sorted[Math.floor(sorted.length / 2)];
		console.log(`  ${contestants[index][0].padEnd(28)} ${median.toFixed(1).padStart(8)} msg/s  (median of ${r.map((x) => x.toFixed(0)).join(', ')})`);
		return median;
	});
}

function startSink(options: { tls: boolean; key?: string; cert?: string }): Promise<{ child: ChildProcess; port: number }> {
	const child = fork(join(__dirname, 'smtp-sink.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'] });
	return new Promise((resolve, reject) => {
		child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
		child.once('error', reject);
		child.send(options);
	});
}

async function main() {
	const dir = mkdtempSync(join(tmpdir(), 'bench-send-'));
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
		'-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
	const key = readFileSync(join(dir, 'key.pem'), 'utf8');
	const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
	rmSync(dir, { recursive: true, force: true });

	console.log(`bench:send — ${N} reminders (shipped template + ${(pdf.length / 1024).toFixed(0)} KB PDF) per contestant and round, ${ROUNDS} rounds, each after ${WARMUP} warm-up messages`);
	console.log('sink: minimal raw net/tls SMTP sink in a child process (bench/smtp-sink.ts), loopback, no connection delay');
	const ratios: Record<string, string> = {};
	for (const security of ['tls', 'none'] as Security[]) {
		const label = security === 'tls' ? 'tls' : 'plain';
		const sink = await startSink({ tls: security === 'tls', key, cert });
		const server: MailServer = { host: '127.0.0.1', port: sink.port, security, allowSelfSigned: true, timeoutMs: 30000 };
		console.log(`\n${security === 'tls' ? 'implicit TLS' : 'plain SMTP'}:`);
		const [perItem, pooled, own] = await measureAll(
			[
				['per-item transport (n8n)', perItemTransport],
				['pooled nodemailer (1 conn)', pooledNodemailer],
				['ours (lib/mail)', ours],
			],
			server,
		);
		sink.child.kill();
		ratios[`${label}_vs_per_item_transport`] = (own / perItem).toFixed(2);
		ratios[`${label}_vs_pooled_nodemailer`] = (own / pooled).toFixed(2);
		console.log(`  ours / per-item = ${ratios[`${label}_vs_per_item_transport`]}×   ours / pooled = ${ratios[`${label}_vs_pooled_nodemailer`]}×`);
	}
	console.log('\ntargets: ≥ 5× per-item transport, ≥ 0.8× pooled nodemailer');
	console.log(
		`tls_vs_per_item_transport=${ratios.tls_vs_per_item_transport} tls_vs_pooled_nodemailer=${ratios.tls_vs_pooled_nodemailer} ` +
			`plain_vs_per_item_transport=${ratios.plain_vs_per_item_transport} plain_vs_pooled_nodemailer=${ratios.plain_vs_pooled_nodemailer}`,
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
