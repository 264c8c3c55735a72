/**
 * Reminder letter throughput.
 *   npm run bench:letters [-- --count 1000]
 * 1. Our letters: item → letter model (texts, payment block, GiroCode payload) → layout → PDF,
 *    one file per letter, in letters/s (CPU time beside wall time: the machine is shared).
 * 2. The baseline in the same run: bare pdfkit writing the same text (every string our layout
 *    draws, in the same fonts, left to pdfkit's own text flow) into one file per letter. The
 *    ratio ours / baseline is what our layout, templates and QR code cost on top of the library.
 * 3. One print batch of all letters: its size, and peak RSS over the whole run.
 * Each part runs after a warm-up; asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import PDFDocument from 'pdfkit';

import { layoutLetter } from '../lib/letters/layout';
import { buildLetterModel, DEFAULT_ADDRESS_FIELDS, type LetterModel, type LetterOptions } from '../lib/letters/letter-model';
import { LetterPdf } from '../lib/letters/pdf';
import { DEFAULT_FIELD_NAMES } from '../lib/mail/reminder-item';
import { readBusinessDetails } from '../lib/payment/details';
import { TemplateEnvironment } from '../lib/templates/environment';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? Number(args[i + 1]) : fallback;
};
const COUNT = arg('count', 1000);
const WARMUP = Math.min(50, COUNT);

const NAMES = ['Zofia Łukasiewicz', 'Jörg Weiß', 'Åsa Øre', 'Şükrü Yılmaz', 'Petr Dvořák', 'Marie Dupont', 'Erika Mustermann GmbH & Co. KG'];

/** Deterministic reminders: four in five for one invoice, one in five collective (2 to 6 invoices). */
function items(count: number): Array<Record<string, unknown>> {
	const invoice = (k: number, j: number) => ({
		invoiceId: `inv-${k}-${j}`,
		invoiceNumber: `RE-2026-${String(k * 10 + j).padStart(6, '0')}`,
		customerId: `K-${k}`,
		customerName: NAMES[k % NAMES.length],
		street: `Hauptstraße ${k % 200}`,
		postalCode: String(10000 + (k % 89999)),
		city: k % 3 ? 'Berlin' : 'München',
		language: k % 4 ? 'de' : 'en',
		invoiceDate: '2026-01-15',
		dueDate: '2026-02-14',
		currency: 'EUR',
		openAmount: 50 + ((k * 37 + j * 11) % 2000) + 0.5,
		dunning: { level: 1 + (k % 3), stageName: '', fee: k % 3 ? 5 : 0, flatFee: 0, interest: k % 3 ? 1.23 : 0, interestPeriods: k % 3 ? [{ from: '2026-02-15', to: '2026-03-10', days: 24, ratePct: 6.27, amount: 1.23 }] : [], deadline: '2026-03-24', asOf: '2026-03-10' },
	});
	return Array.from({ length: count }, (_, k) => {
		if (k % 5 !== 4) return invoice(k, 0);
		const invoices = Array.from({ length: 2 + (k % 5) }, (_, j) => invoice(k, j));
		return { customerId: `K-${k}`, language: invoices[0].language, invoices, dunning: { level: invoices[0].dunning.level, deadline: '2026-03-24', asOf: '2026-03-10' } };
	});
}

const options: LetterOptions = {
	fields: DEFAULT_FIELD_NAMES,
	address: DEFAULT_ADDRESS_FIELDS,
	details: readBusinessDetails({
		name: 'Muster Handels GmbH', street: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', seat: 'Berlin', registerCourt: 'Amtsgericht Berlin-Charlottenburg',
		registerNumber: 'HRB 123456 B', managingDirectors: 'Erika Mustermann', vatId: 'DE123456789', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: 'Commerzbank',
	}),
	env: new TemplateEnvironment(),
	fallbackLanguage: 'de',
	form: 'B',
	defaultCurrency: 'EUR',
	logo: null,
};

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

interface Timing {
	wallMs: number;
	cpuMs: number;
	bytes: number;
}

async function timed(run: () => Promise<number>): Promise<Timing> {
	const cpu = process.cpuUsage();
	const start = process.hrtime.bigint();
	const bytes = await run();
	const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
	const used = process.cpuUsage(cpu);
	return { wallMs, cpuMs: (used.user + used.system) / 1000, bytes };
}

async function ours(list: Array<Record<string, unknown>>): Promise<number> {
	let bytes = 0;
	for (const json of list) {
		const pdf = new LetterPdf();
		pdf.add(buildLetterModel(json, options));
		bytes += (await pdf.end()).length;
		sampleRss();
	}
	return bytes;
}

const fonts = {
	regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
	bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
};

/** The same strings in the same fonts, written the plain pdfkit way: one text flow down the page. */
async function bare(texts: Array<Array<{ text: string; font: 'regular' | 'bold'; size: number }>>): Promise<number> {
	let bytes = 0;
	for (const letter of texts) {
		const doc = new PDFDocument({ size: 'A4', margin: 70 });
		doc.registerFont('regular', fonts.regular);
		doc.registerFont('bold', fonts.bold);
		const chunks: Buffer[] = [];
		doc.on('data', (c: Buffer) => chunks.push(c));
		const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
		for (const t of letter) doc.font(t.font).fontSize(t.size).text(t.text);
		doc.end();
		bytes += (await done).length;
		sampleRss();
	}
	return bytes;
}

async function main() {
	const list = items(COUNT);
	// The baseline's input: every string our layout draws (collected outside any timing).
	const measure = new LetterPdf().measure;
	const models: LetterModel[] = list.map((json) => buildLetterModel(json, options));
	const texts = models.map((m) =>
		layoutLetter(m, measure)
			.pages.flat()
			.flatMap((op) => (op.kind === 'text' ? [{ text: op.text, font: op.font, size: op.size }] : [])),
	);
	const pages = models.reduce((n, m) => n + layoutLetter(m, measure).pages.length, 0);

	await ours(list.slice(0, WARMUP));
	await bare(texts.slice(0, WARMUP));
	// Alternate the two halves so that a busy neighbour on the shared machine slows both alike.
	const half = Math.ceil(COUNT / 2);
	const a1 = await timed(() => ours(list.slice(0, half)));
	const b1 = await timed(() => bare(texts.slice(0, half)));
	const b2 = await timed(() => bare(texts.slice(half)));
	const a2 = await timed(() => ours(list.slice(half)));
	const mine = { wallMs: a1.wallMs + a2.wallMs, cpuMs: a1.cpuMs + a2.cpuMs, bytes: a1.bytes + a2.bytes };
	const base = { wallMs: b1.wallMs + b2.wallMs, cpuMs: b1.cpuMs + b2.cpuMs, bytes: b1.bytes + b2.bytes };

	const batch = await timed(async () => {
		const pdf = new LetterPdf();
		for (const json of list) {
			pdf.add(buildLetterModel(json, options));
			sampleRss();
		}
		const file = await pdf.end();
		sampleRss();
		return file.length;
	});

	const rate = COUNT / (mine.wallMs / 1000);
	const ratio = mine.cpuMs / base.cpuMs;
	const peakMb = Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1024 / 1024;
	const mb = (bytes: number) => bytes / 1024 / 1024;
	process.stdout.write(
		[
			`letters: ${COUNT} (${list.filter((j) => Array.isArray(j.invoices)).length} collective), ${pages} pages, DIN 5008 form B, GiroCode on every letter`,
			`ours:     ${mine.wallMs.toFixed(0)} ms wall, ${mine.cpuMs.toFixed(0)} ms CPU → ${rate.toFixed(0)} letters/s, ${(mine.bytes / COUNT / 1024).toFixed(1)} kB per letter`,
			`bare pdfkit, same text: ${base.wallMs.toFixed(0)} ms wall, ${base.cpuMs.toFixed(0)} ms CPU → ${(COUNT / (base.wallMs / 1000)).toFixed(0)} letters/s, ${(base.bytes / COUNT / 1024).toFixed(1)} kB per letter`,
			`ours / bare: ${ratio.toFixed(2)}× CPU time, ${(mine.wallMs / base.wallMs).toFixed(2)}× wall clock (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`,
			`print batch: ${COUNT} letters in one PDF, ${mb(batch.bytes).toFixed(2)} MB, ${batch.wallMs.toFixed(0)} ms`,
			`peak RSS: ${peakMb.toFixed(0)} MB`,
			`letters_per_s=${Math.round(rate)} vs_bare_pdf=${ratio.toFixed(2)} peak_rss_mb=${Math.round(peakMb)} batch_mb=${mb(batch.bytes).toFixed(2)}`,
		].join('\n') + '\n',
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
