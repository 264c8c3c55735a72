/**
 * Regenerates the project's own real Postfix/Dovecot fixtures from the running sandbox:
 *   npx ts-node --transpile-only test/servers/generate-bounce-fixtures.ts [--only kind,kind] [--top-level [--delay]]
 *
 * Each scenario of bounce-kinds.ts (unknown user, full mailbox, 5.7.1 content refusal, delayed
 * then expired, ARF complaint, German and English replies, Sieve vacation) sends a reminder
 * through the sandbox and saves what came back to dunning@example.test under
 * test/fixtures/bounce/postfix/, with what it must classify as in postfix/expected.json (entries of
 * other scenarios are kept). `--only` picks scenarios by name (see SCENARIOS).
 *
 * `--top-level` rewrites the older fixtures instead, as before: postfix-dsn-userunknown.eml and,
 * with --delay, postfix-dsn-delayed.eml and postfix-dsn-expired.eml in test/fixtures/bounce/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { flushMessage, produce, QUEUE_TIMES, SCENARIOS, sendReminder, type ExpectedBounce, type Scenario } from './bounce-kinds';
import { SANDBOX, waitForMessage } from './sandbox';

const FIXTURES = join(__dirname, '..', 'fixtures', 'bounce');
const OUT = join(FIXTURES, 'postfix');
const EXPECTED = join(OUT, 'expected.json');

function write(dir: string, file: string, source: Buffer): void {
	writeFileSync(join(dir, file), source);
	process.stdout.write(`wrote ${join(dir, file)} (${source.length} bytes)\n`);
}

function chosenScenarios(): Scenario[] {
	const at = process.argv.indexOf('--only');
	if (at < 0) return [...SCENARIOS];
	const names = (process.argv[at + 1] ?? '').split(',').filter(Boolean);
	const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
	if (unknown.length || !names.length) throw new Error(`--only takes a comma-separated list of ${SCENARIOS.join(', ')}; got "${names.join(',')}"`);
	return names as Scenario[];
}

async function kinds(tag: string): Promise<void> {
	mkdirSync(OUT, { recursive: true });
	const expected: Record<string, ExpectedBounce> = existsSync(EXPECTED) ? JSON.parse(readFileSync(EXPECTED, 'utf8')) : {};
	for (const scenario of chosenScenarios()) {
		for (const sample of await produce(scenario, tag)) {
			write(OUT, sample.file, sample.source);
			expected[sample.file] = sample.expected;
		}
	}
	const sorted = Object.fromEntries(Object.entries(expected).sort(([a], [b]) => a.localeCompare(b)));
	writeFileSync(EXPECTED, `${JSON.stringify(sorted, null, '\t')}\n`);
	process.stdout.write(`wrote ${EXPECTED}\n`);
}

async function topLevel(tag: string): Promise<void> {
	const r = await sendReminder(SANDBOX.unknownUser, 'RE-2026-0042', 2, { runId: `run-${tag}` });
	const [dsn] = await waitForMessage('dunning', { search: { text: r.runId }, timeoutMs: 20000 });
	write(FIXTURES, 'postfix-dsn-userunknown.eml', dsn.source);
	if (!process.argv.includes('--delay')) return;
	// A fresh run ID per run: the search must not find an older run's reports.
	const d = await sendReminder(`buchhaltung@${SANDBOX.unreachableDomain}`, 'RE-2026-0043', 1, { runId: `run-${tag}d` });
	const search = { text: d.runId };
	await new Promise((res) => setTimeout(res, QUEUE_TIMES.delayWarningMs + 300));
	await flushMessage(d.queueId);
	const [delayed] = await waitForMessage('dunning', { search, timeoutMs: 20000 });
	write(FIXTURES, 'postfix-dsn-delayed.eml', delayed.source);
	await new Promise((res) => setTimeout(res, QUEUE_TIMES.maximalQueueLifetimeMs));
	await flushMessage(d.queueId);
	const both = await waitForMessage('dunning', { search, count: 2, timeoutMs: 20000 });
	write(FIXTURES, 'postfix-dsn-expired.eml', both.find((m) => m.uid !== delayed.uid)!.source);
}

async function main(): Promise<void> {
	const tag = Date.now().toString(36);
	if (process.argv.includes('--top-level')) await topLevel(tag);
	else await kinds(tag);
}

main().catch((err: unknown) => {
	process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
	process.exit(1);
});
