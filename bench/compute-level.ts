/**
 * Compute Dunning Level throughput.
 *   npm run bench:compute-level [-- --count 100000 --runs 5]
 * 1. The core (lib/dunning): validate + decide for generated invoices, in invoices/s.
 * 2. The node inside the real in-process n8n engine, against the same items through a
 *    pass-through node (the harness's NoOp) in the same run: the ratio node / pass-through.
 * Reports medians of several runs after a warm-up; asserts nothing.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core reads these when it loads (see test/harness/setup-env.ts).
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'dunning-bench-'));
process.env.N8N_ENCRYPTION_KEY ??= 'bench-only-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { compilePolicy, createDecider, validateInvoice, type Invoice, type InvoiceInput } from '../lib/dunning';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? Number(args[i + 1]) : fallback;
};
const COUNT = arg('count', 100_000);
const RUNS = arg('runs', 5);
const AS_OF = '2026-11-23';

/** Deterministic invoices spread over every branch of the decision. */
function generate(count: number): Array<Record<string, unknown>> {
	let seed = 42;
	const rnd = () => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed / 0x7fffffff;
	};
	const day = (offset: number) => new Date(Date.UTC(2026, 10, 23) - offset * 86400000).toISOString().slice(0, 10);
	const out: Array<Record<string, unknown>> = [];
	for (let i = 0; i < count; i++) {
		const overdue = Math.floor(rnd() * 120) - 10;
		const level = Math.floor(rnd() * 4);
		const open = Math.round(rnd() * 500000) / 100;
		out.push({
			invoiceId: `INV-${i}`,
			invoiceNumber: `R-${100000 + i}`,
			customerId: `C-${i % 20000}`,
			customerType: rnd() < 0.3 ? 'business' : 'consumer',
			email: rnd() < 0.05 ? '' : `customer${i % 20000}@example.test`,
			language: rnd() < 0.5 ? 'de' : 'en',
			invoiceDate: day(overdue + 14),
			dueDate: day(overdue),
			currency: 'EUR',
			amount: open + (rnd() < 0.2 ? 50 : 0),
			openAmount: rnd() < 0.05 ? 0 : open,
			currentLevel: level,
			lastDunnedAt: level > 0 ? day(Math.floor(rnd() * 20)) : null,
			parked: rnd() < 0.02,
			disputed: rnd() < 0.01,
			dunningBlock: false,
			emailBlocked: rnd() < 0.03,
		});
	}
	return out;
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
	const start = process.hrtime.bigint();
	fn();
	return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Wall time and this process's CPU time (all threads, GC helpers included), in ms. */
async function timeAsync(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
	const cpu0 = process.cpuUsage();
	const start = process.hrtime.bigint();
	await fn();
	const wall = Number(process.hrtime.bigint() - start) / 1e6;
	const cpu = process.cpuUsage(cpu0);
	return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

async function main() {
	const records = generate(COUNT);
	const policyInput = { stages: [{ name: 'Erinnerung' }, { name: 'Mahnung 1', fee: 5, chargeInterest: true }, { name: 'Mahnung 2', fee: 10, chargeInterest: true }], businessDays: { enabled: true, region: 'DE-BY' } };
	const compiled = compilePolicy(policyInput);
	const decider = createDecider(compiled, AS_OF);

	// Core, full path: raw fields → validation → decision.
	const counts: Record<string, number> = {};
	const coreRun = () => {
		for (const r of records) {
			const d = decider.evaluate(r as InvoiceInput);
			counts[d.action] = (counts[d.action] ?? 0) + 1;
		}
	};
	coreRun(); // warm-up (also fills the holiday cache)
	const coreMs = median(Array.from({ length: RUNS }, () => time(coreRun)));
	const coreRate = COUNT / (coreMs / 1000);
	for (const k of Object.keys(counts)) counts[k] = counts[k] / (RUNS + 1);

	// Core, decision only (already validated invoices).
	const invoices: Invoice[] = records.map((r) => {
		const v = validateInvoice(r as InvoiceInput, compiled);
		if (!v.ok) throw new Error(v.problems[0].message);
		return v.invoice;
	});
	const decideRun = () => {
		for (const inv of invoices) decider.decide(inv);
	};
	decideRun();
	const decideMs = median(Array.from({ length: RUNS }, () => time(decideRun)));

	// Node vs pass-through in the in-process engine.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { runWorkflow, node, registerNodeType } = require('../test/harness/engine') as typeof import('../test/harness/engine');
	// A second reference point: the least any node can do that adds a field to every item the
	// way n8n expects (a shallow copy of each item's json plus one small object, three outputs).
	// It shows how much of the gap to the pass-through is n8n's copy-on-write rule, not the rules.
	registerNodeType('n8n-nodes-base.copyAddField', {
		description: {
			displayName: 'Copy and Add Field',
			name: 'copyAddField',
			group: ['transform'],
			version: 1,
			description: 'Benchmark reference',
			defaults: { name: 'Copy and Add Field' },
			inputs: ['main'],
			outputs: ['main', 'main', 'main'],
			properties: [],
		} as never,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const out: INodeExecutionData[][] = [[], [], []];
			this.getInputData().forEach((item, i) => {
				const json: IDataObject = Object.assign({}, item.json);
				json.dunning = { action: 'none', level: 0 };
				out[i % 3].push({ json, pairedItem: { item: i } });
			});
			return out;
		},
	});
	const items = () => records.map((json) => ({ json: json as never }));
	const computeNode = node('computeDunningLevel', 'Compute', {
		policySource: 'json',
		policyJson: JSON.stringify(policyInput),
		options: { asOfDate: AS_OF },
	});
	const passNode = node('noOp', 'Pass');
	const copyNode = node('n8n-nodes-base.copyAddField', 'Copy');
	const runCopy = async () => {
		const r = await runWorkflow({ nodes: [copyNode], input: { node: 'Copy', items: items() } });
		if (r.status !== 'success') throw new Error(`copy run failed: ${r.error?.message}`);
	};
	const runNode = async () => {
		const r = await runWorkflow({ nodes: [computeNode], input: { node: 'Compute', items: items() } });
		if (r.status !== 'success') throw new Error(`node run failed: ${r.error?.message}`);
		const n = r.outputs('Compute').reduce((sum, o) => sum + o.length, 0);
		if (n !== COUNT) throw new Error(`node emitted ${n} items for ${COUNT}`);
	};
	const runPass = async () => {
		const r = await runWorkflow({ nodes: [passNode], input: { node: 'Pass', items: items() } });
		if (r.status !== 'success') throw new Error(`pass-through run failed: ${r.error?.message}`);
	};
	await runNode();
	await runPass();
	const nodeTimes: Array<{ wall: number; cpu: number }> = [];
	const passTimes: Array<{ wall: number; cpu: number }> = [];
	const copyTimes: Array<{ wall: number; cpu: number }> = [];
	await runCopy();
	for (let i = 0; i < RUNS; i++) {
		// Alternate so that drift (GC, heat) hits both alike.
		passTimes.push(await timeAsync(runPass));
		nodeTimes.push(await timeAsync(runNode));
		copyTimes.push(await timeAsync(runCopy));
	}
	const nodeMs = median(nodeTimes.map((t) => t.wall));
	const passMs = median(passTimes.map((t) => t.wall));
	const ratio = nodeMs / passMs;
	const cpuRatio = median(nodeTimes.map((t) => t.cpu)) / median(passTimes.map((t) => t.cpu));
	const load = loadavg()[0];
	const copyMs = median(copyTimes.map((t) => t.wall));
	const peakRssMb = process.resourceUsage().maxRSS / 1024;

	const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
	process.stdout.write(
		[
			`invoices: ${fmt(COUNT)}, runs: ${RUNS} (median), as of ${AS_OF}, policy: 3 stages, business-day shift DE-BY, statutory interest`,
			`decisions per run: ${Object.entries(counts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`,
			`core validate+decide: ${coreMs.toFixed(1)} ms  → ${fmt(coreRate)} invoices/s`,
			`core decide only:     ${decideMs.toFixed(1)} ms  → ${fmt(COUNT / (decideMs / 1000))} invoices/s`,
			`engine, Compute node: ${nodeMs.toFixed(1)} ms  → ${fmt(COUNT / (nodeMs / 1000))} invoices/s`,
			`engine, pass-through: ${passMs.toFixed(1)} ms  → ${fmt(COUNT / (passMs / 1000))} invoices/s`,
			`engine, copy+field:   ${copyMs.toFixed(1)} ms  (reference: shallow copy + one small field per item, ${(copyMs / passMs).toFixed(2)}× the pass-through)`,
			`node / pass-through:  ${ratio.toFixed(2)}× wall clock, ${cpuRatio.toFixed(2)}× CPU time (load average ${load.toFixed(1)} on ${cpus().length} CPUs: wall times are only comparable on an idle machine)`,
			`peak RSS: ${peakRssMb.toFixed(0)} MB`,
			`core_invoices_per_s=${Math.round(coreRate)} node_vs_passthrough=${ratio.toFixed(2)} peak_rss_mb=${Math.round(peakRssMb)}`,
		].join('\n') + '\n',
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
