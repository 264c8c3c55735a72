/**
 * Generates real bounces: runs Debian's MTAs one after another on loopback and provokes each
 * failure they can report (scenarios.ts), saving the DSNs they write as test fixtures.
 *
 *   npm run bounce:generate -- [postfix-standalone|exim|opensmtpd|sendmail|courier ...] [--only kind,kind]
 *
 * Needs root (unpacking packages, daemons that insist on switching users). Not part of npm test.
 * See scripts/bounce-generator/README.md.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startCatcher, type Catcher, type Caught } from './catcher';
import { writeFixtures, type FixtureExpectation } from './fixtures';
import { COLLECT_TIMEOUT_MS, WORK_ROOT } from './layout';
import type { Mta } from './mta';
import { startPeers } from './peers';
import { stopDaemons } from './processes';
import { submitReminder } from './reminder';
import { SCENARIOS, fixtureNames, type Scenario } from './scenarios';
import { courier } from './mtas/courier';
import { exim } from './mtas/exim';
import { opensmtpd } from './mtas/opensmtpd';
import { postfixStandalone } from './mtas/postfix';
import { sendmail } from './mtas/sendmail';

const MTAS: readonly Mta[] = [postfixStandalone, exim, opensmtpd, sendmail, courier];

const log = (line: string) => process.stdout.write(`[bounce-gen] ${line}\n`);

interface Pending {
	scenario: Scenario;
	invoiceId: string;
	messageId: string;
	level: number;
	delayed: Caught | null;
	failure: Caught | null;
}

/**
 * RFC 3464 `Action: delayed`, or a plain-text warning that names itself one. OpenSMTPD 6.8 reports
 * an expiry as "delayed" too, but with X.4.7 (delivery time expired) and "Envelope expired": that
 * one is the end, not a notice.
 */
function isDelayNotice(source: Buffer): boolean {
	const text = source.toString('latin1');
	if (/^Status:\s*[45]\.4\.7\b/im.test(text) || /\bEnvelope expired\b/.test(text)) return false;
	if (/^Action:\s*delayed/im.test(text)) return true;
	if (/^Action:\s*failed/im.test(text)) return false;
	return /^Subject:.*\b(?:warning|delayed|delay)\b/im.test(text);
}

function complete(p: Pending): boolean {
	return p.failure !== null && (!p.scenario.delayedFirst || p.delayed !== null);
}

async function collect(catcher: Catcher, pending: Pending[], seen: number, dir: string, start: number): Promise<void> {
	mkdirSync(join(dir, 'caught'), { recursive: true });
	const until = Date.now() + COLLECT_TIMEOUT_MS;
	let index = seen;
	while (pending.some((p) => !complete(p)) && Date.now() < until) {
		for (; index < catcher.messages.length; index++) {
			const m = catcher.messages[index];
			// Every message as received, for looking into a run that missed something.
			writeFileSync(join(dir, 'caught', `${String(index - seen + 1).padStart(3, '0')}.eml`), m.source);
			const text = m.source.toString('latin1');
			const p = pending.find((x) => text.includes(x.invoiceId));
			if (!p) {
				log(`  a message matching no scenario (from <${m.envelopeFrom}>), ignored`);
				continue;
			}
			const delayed = isDelayNotice(m.source);
			if (delayed && !p.delayed) p.delayed = m;
			else if (!delayed && !p.failure) p.failure = m;
			log(`  ${p.scenario.kind}: ${delayed ? 'delay notice' : 'failure report'} after ${Math.round((m.at - start) / 1000)} s`);
		}
		await Promise.race([catcher.next(), new Promise((r) => setTimeout(r, 2000))]);
	}
}

/** The MTA being run, for stopping it on a signal. */
let current: { mta: Mta; dir: string } | null = null;

/** `[mta …] [--only kind,kind]`: which MTAs to run (all when none), and which scenarios (all when no --only). */
function parseArgs(args: string[]): { mtas: string[]; kinds: string[] | null } {
	const at = args.indexOf('--only');
	if (at < 0) return { mtas: args, kinds: null };
	return { mtas: args.filter((_, i) => i !== at && i !== at + 1), kinds: (args[at + 1] ?? '').split(',').filter(Boolean) };
}

async function generate(mta: Mta, number: number, catcher: Catcher, kinds: string[] | null): Promise<void> {
	const dir = join(WORK_ROOT, 'run', mta.name);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	log(`${mta.name}: starting in ${dir}`);
	const seen = catcher.messages.length;
	current = { mta, dir };
	try {
		await mta.start(dir);
		const run = Date.now().toString(36);
		const pending: Pending[] = [];
		const start = Date.now();
		for (const scenario of SCENARIOS.filter((s) => mta.kinds.includes(s.kind) && (!kinds || kinds.includes(s.kind)))) {
			const invoiceId = `RE-2026-${String(number * 100 + SCENARIOS.indexOf(scenario) + 1).padStart(4, '0')}`;
			const level = 1 + (SCENARIOS.indexOf(scenario) % 3);
			const sent = await submitReminder([scenario.to, ...(scenario.alsoTo ?? []).map((a) => a.to)], invoiceId, level, run);
			pending.push({ scenario, invoiceId, messageId: sent.messageId, level, delayed: null, failure: null });
		}
		log(`${mta.name}: ${pending.length} reminders submitted, waiting for the DSNs (up to ${COLLECT_TIMEOUT_MS / 60000} min)`);
		await collect(catcher, pending, seen, dir, start);
		const produced: { file: string; source: Buffer; expected: FixtureExpectation }[] = [];
		for (const p of pending) {
			const names = fixtureNames(p.scenario.kind, p.scenario.delayedFirst);
			const base = { recipient: p.scenario.to, invoiceId: p.invoiceId, level: p.level, originalMessageId: p.messageId, how: p.scenario.how };
			const alsoFailed = (p.scenario.alsoTo ?? []).flatMap((a) => (a.failure ? [{ ...a.failure, recipient: a.to }] : []));
			if (p.failure) {
				produced.push({ file: names.failure, source: p.failure.source, expected: { ...p.scenario.failure, ...base, ...(alsoFailed.length ? { alsoFailed } : {}) } });
			}
			if (names.delayed && p.delayed) {
				produced.push({
					file: names.delayed,
					source: p.delayed.source,
					expected: { category: 'delayed', reason: 'expired', final: false, ...base },
				});
			}
			if (!complete(p)) log(`${mta.name}: MISSING ${p.scenario.kind} (delay notice ${p.delayed ? 'yes' : 'no'}, failure ${p.failure ? 'yes' : 'no'})`);
		}
		writeFixtures(mta.name, produced);
		log(`${mta.name}: wrote ${produced.length} fixtures`);
	} finally {
		await stopDaemons();
		await mta.stop(dir).catch((err: unknown) => log(`${mta.name}: stop failed: ${String(err)}`));
		current = null;
	}
}

/** Ctrl-C or a kill must not leave daemons behind on our ports. */
function stopOnSignal(signal: NodeJS.Signals): void {
	process.once(signal, () => {
		log(`${signal}: stopping what this run started`);
		const done = () => process.exit(1);
		const active = current;
		void stopDaemons()
			.then(() => (active ? active.mta.stop(active.dir).catch(() => undefined) : undefined))
			.then(done, done);
	});
}

async function main(): Promise<void> {
	stopOnSignal('SIGINT');
	stopOnSignal('SIGTERM');
	const { mtas: wanted, kinds } = parseArgs(process.argv.slice(2));
	const unknown = wanted.filter((w) => !MTAS.some((m) => m.name === w));
	if (unknown.length) throw new Error(`unknown MTA ${unknown.join(', ')}; choose from ${MTAS.map((m) => m.name).join(', ')}`);
	const unknownKinds = (kinds ?? []).filter((k) => !SCENARIOS.some((s) => s.kind === k));
	if (unknownKinds.length) throw new Error(`unknown kind ${unknownKinds.join(', ')}; choose from ${SCENARIOS.map((s) => s.kind).join(', ')}`);
	const catcher = await startCatcher();
	const peers = await startPeers();
	let failed = false;
	try {
		for (const [i, mta] of MTAS.entries()) {
			if (wanted.length && !wanted.includes(mta.name)) continue;
			try {
				await generate(mta, i + 1, catcher, kinds);
			} catch (err) {
				failed = true;
				log(`${mta.name}: FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
			}
		}
	} finally {
		await Promise.all(peers.map((p) => p.close()));
		await catcher.close();
	}
	if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
	process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
	process.exit(1);
});
