/**
 * Time per kilobyte of Classify Bounce on hostile message shapes (issue 16), at 1 KB, 100 KB and
 * 1 MB, against an ordinary delivery report of the same size classified in the same run.
 *   npm run bench:bounce-adversarial [-- --shape NAME]
 * Exits 1 when a shape is super-linear: its ms/KB at 1 MB more than 4× its ms/KB at 100 KB.
 * n8n runs nodes on its main event loop, so this is what one hostile message costs every
 * workflow of the instance.
 */
import { classifyMessage } from '../lib/bounce';
import { ADVERSARIAL_SHAPES, ordinaryDsn } from '../test/bounce/adversarial-shapes';

const SIZES_KB = [1, 100, 1024];
const SUPER_LINEAR_FACTOR = 4;
// Below this a measurement is mostly timer and promise overhead: ratios of such times mean nothing.
const FLOOR_MS = 2;

const args = process.argv.slice(2);
const only = args.includes('--shape') ? args[args.indexOf('--shape') + 1] : null;

/** Median wall time of classifying `message`, repeated until about 200 ms or 15 runs have passed. */
async function medianMs(message: string): Promise<number> {
	await classifyMessage(message);
	const times: number[] = [];
	const start = performance.now();
	while (times.length < 3 || (times.length < 15 && performance.now() - start < 200)) {
		const t = performance.now();
		await classifyMessage(message);
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)];
}

interface Row {
	shape: string;
	msPerKb: number[];
}

async function measure(shape: string, build: (bytes: number) => string): Promise<Row> {
	const msPerKb: number[] = [];
	for (const kb of SIZES_KB) {
		const message = build(kb * 1024);
		const ms = await medianMs(message);
		msPerKb.push(ms / (Buffer.byteLength(message) / 1024));
	}
	return { shape, msPerKb };
}

function superLinear(row: Row): boolean {
	const [, mid, large] = row.msPerKb;
	const largeMs = large * SIZES_KB[2];
	return largeMs > FLOOR_MS && large > SUPER_LINEAR_FACTOR * Math.max(mid, FLOOR_MS / SIZES_KB[1]);
}

(async () => {
	const baseline = await measure('ordinaryDsn', ordinaryDsn);
	const rows: Row[] = [];
	for (const [shape, build] of Object.entries(ADVERSARIAL_SHAPES)) {
		if (only && shape !== only) continue;
		rows.push(await measure(shape, build));
	}
	const fmt = (n: number) => n.toFixed(4).padStart(9);
	console.log(`${'shape'.padEnd(28)}${SIZES_KB.map((kb) => `${kb} KB`.padStart(9)).join('')}   (ms per KB)`);
	for (const row of [baseline, ...rows]) {
		console.log(`${row.shape.padEnd(28)}${row.msPerKb.map(fmt).join('')}${superLinear(row) ? '   SUPER-LINEAR' : ''}`);
	}
	// The 1 MB figure is what a hostile message near the node's size limit costs.
	const worst = rows.reduce((a, b) => (b.msPerKb[2] > a.msPerKb[2] ? b : a), rows[0]);
	const ratio = worst.msPerKb[2] / baseline.msPerKb[2];
	const failing = rows.filter(superLinear);
	console.log(
		`bounce_adversarial worst_ms_per_kb=${worst.msPerKb[2].toFixed(4)} worst_shape=${worst.shape} vs_baseline=${ratio.toFixed(2)}` +
			(failing.length ? ` super_linear=${failing.map((r) => r.shape).join(',')}` : ''),
	);
	process.exit(failing.length ? 1 : 0);
})();
