/**
 * What hostile reminder templates cost, against a plain template of the same size in the same run.
 *   npm run bench:template-adversarial [-- --runs 7]
 * Each run compiles and renders once in a fresh TemplateEnvironment (the first item of a run, the
 * dearest: later items reuse the compilation or its remembered failure). Work is counted in KB of
 * template plus output, at least 1 KB, so that a tiny template is not divided by almost nothing.
 * Shapes that pass a limit end in the limit's error; that is the point. Reports medians; asserts nothing.
 */
import { TemplateEnvironment, type TemplateName } from '../lib/templates/environment';

const args = process.argv.slice(2);
const RUNS = (() => {
	const i = args.indexOf('--runs');
	return i >= 0 ? Number(args[i + 1]) : 7;
})();

interface Shape {
	name: string;
	kind: TemplateName['kind'];
	source: string;
	context: Record<string, unknown>;
}

const list = Array.from({ length: 20 }, (_, i) => ({ n: i }));
const big = '<Müller & Söhne> '.repeat(1000);

const SHAPES: Shape[] = [
	{ name: 'deepNesting', kind: 'html', source: '{{#if a}}'.repeat(5000) + 'x' + '{{/if}}'.repeat(5000), context: { a: true } },
	{ name: 'deepSubexpression', kind: 'text', source: '{{#if ' + '(lookup '.repeat(5000) + 'this' + ' "a")'.repeat(5000) + '}}x{{/if}}', context: { a: 1 } },
	{ name: 'elseIfChain', kind: 'text', source: '{{#if a}}' + '{{else if b}}x'.repeat(5000) + '{{/if}}', context: { a: false, b: false } },
	{ name: 'nestedEach', kind: 'html', source: '{{#each list}}' + '{{#each @root.list}}'.repeat(5) + '{{@root.a}}' + '{{/each}}'.repeat(6), context: { list, a: 'Erinnerung' } },
	{ name: 'loopOutput', kind: 'html', source: '{{#each list}}<p>{{@root.big}}</p>{{/each}}', context: { list, big } },
	{ name: 'hugeOutput', kind: 'html', source: '<p>{{big}}</p>'.repeat(64), context: { big } },
	{ name: 'ownFieldView', kind: 'html', source: '<p>{{customer.keys}} {{customerName}}</p>\n'.repeat(400), context: { customer: { keys: 'k' }, customerName: 'Erika Mustermann' } },
];

/** A reminder-like text of about `chars` characters: text and plain substitutions only. */
function plainOfSize(chars: number): string {
	const unit = 'Sehr geehrte {{customerName}}, Ihre Rechnung {{invoiceNumber}} ist offen.\n';
	return unit.repeat(Math.max(1, Math.round(chars / unit.length)));
}

const plainContext = { customerName: 'Erika Mustermann', invoiceNumber: 'RE-2026-0042' };

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

/** One compile and render in a fresh environment: milliseconds, characters out, and how it ended. */
function once(kind: TemplateName['kind'], source: string, context: Record<string, unknown>): { ms: number; outChars: number; ended: string } {
	const env = new TemplateEnvironment();
	const name: TemplateName = { language: 'de', level: 1, kind, source: 'bench' };
	const start = process.hrtime.bigint();
	let outChars = 0;
	let ended = 'rendered';
	try {
		outChars = env.compile(name, source)(context).length;
	} catch (error) {
		ended = (error as Error).message.replace(/^Template "[^"]+": /, '').split(' (')[0].split(';')[0];
	}
	return { ms: Number(process.hrtime.bigint() - start) / 1e6, outChars, ended };
}

function measure(kind: TemplateName['kind'], source: string, context: Record<string, unknown>): { ms: number; kb: number; outChars: number; ended: string } {
	once(kind, source, context);
	const runs = Array.from({ length: RUNS }, () => once(kind, source, context));
	const { outChars, ended } = runs[0];
	return { ms: median(runs.map((r) => r.ms)), kb: Math.max(1, (source.length + outChars) / 1024), outChars, ended };
}

let worst = { name: '', msPerKb: -1, ratio: 0 };
for (const shape of SHAPES) {
	const hostile = measure(shape.kind, shape.source, shape.context);
	const plain = measure(shape.kind, plainOfSize(shape.source.length), plainContext);
	const msPerKb = hostile.ms / hostile.kb;
	const baseline = plain.ms / plain.kb;
	const ratio = msPerKb / baseline;
	console.log(
		`shape=${shape.name} template_kb=${(shape.source.length / 1024).toFixed(1)} output_kb=${(hostile.outChars / 1024).toFixed(1)} ms=${hostile.ms.toFixed(2)} ` +
			`ms_per_kb=${msPerKb.toFixed(3)} baseline_ms_per_kb=${baseline.toFixed(3)} ratio=${ratio.toFixed(1)} ended="${hostile.ended}"`,
	);
	if (msPerKb > worst.msPerKb) worst = { name: shape.name, msPerKb, ratio };
}
console.log(`template_adversarial worst_ms_per_kb=${worst.msPerKb.toFixed(3)} worst_shape=${worst.name} vs_baseline=${worst.ratio.toFixed(1)}`);
