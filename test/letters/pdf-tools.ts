/**
 * Reads PDFs back with poppler-utils (pdftotext -bbox, pdftoppm) and zbar-tools (zbarimg), the
 * Debian packages .ci/run installs; PDF_TOOLS=1 says they are there. Without it the suites that
 * need them are skipped with a note, so `npm test` still passes on a machine without them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const describeWithPdfTools: (name: string, fn: () => void) => void = (name, fn) => {
	if (process.env.PDF_TOOLS === '1') describe(name, fn);
	else describe.skip(`${name} [skipped: PDF_TOOLS=1 not set; apt-get install -y poppler-utils zbar-tools, then set PDF_TOOLS=1]`, fn);
};

export interface PdfWord {
	page: number;
	text: string;
	/** In millimetres from the top left corner of the page. */
	xMin: number;
	yMin: number;
	xMax: number;
	yMax: number;
}

const MM_PER_PT = 25.4 / 72;

function withFile<T>(pdf: Buffer, use: (file: string, dir: string) => T): T {
	const dir = mkdtempSync(join(tmpdir(), 'letter-'));
	try {
		const file = join(dir, 'letter.pdf');
		writeFileSync(file, pdf);
		return use(file, dir);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Every word with its box, page by page (pdftotext -bbox writes XHTML with point coordinates). */
export function pdfWords(pdf: Buffer): PdfWord[] {
	const html = withFile(pdf, (file) => execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' }));
	const words: PdfWord[] = [];
	let page = 0;
	for (const m of html.matchAll(/<page [^>]*>|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
		if (m[0].startsWith('<page')) {
			page++;
			continue;
		}
		words.push({ page, text: unescape(m[5]), xMin: Number(m[1]) * MM_PER_PT, yMin: Number(m[2]) * MM_PER_PT, xMax: Number(m[3]) * MM_PER_PT, yMax: Number(m[4]) * MM_PER_PT });
	}
	return words;
}

/** The plain text of each page, in reading order. */
export function pdfPages(pdf: Buffer): string[] {
	return withFile(pdf, (file) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })).split('\f').filter((p, k, all) => k < all.length - 1 || p.trim() !== '');
}

/** Renders one page at 300 dpi and returns what zbarimg decodes from its QR codes, as raw bytes in UTF-8. */
export function decodeQrCodes(pdf: Buffer, page: number): string[] {
	return withFile(pdf, (file, dir) => {
		execFileSync('pdftoppm', ['-r', '300', '-gray', '-png', '-f', String(page), '-l', String(page), file, join(dir, 'page')]);
		const image = readdirSync(dir).find((f) => f.endsWith('.png'));
		if (!image) throw new Error('pdftoppm wrote no image');
		// -Sbinary: the bytes as encoded, not re-guessed as another character set.
		const out = execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', join(dir, image)], { stdio: ['ignore', 'pipe', 'ignore'] });
		return [out.toString('utf8').replace(/\n$/, '')];
	});
}
