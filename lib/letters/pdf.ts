/**
 * Writes laid-out letters with pdfkit. One document holds one letter, or all letters of a run for
 * the print batch (each letter starts on a new sheet; its page numbers count its own pages).
 * DejaVu Sans is embedded (subset, see fonts.ts).
 */
import PDFDocument from 'pdfkit';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { mm, PT_PER_MM } from './din5008';
import { fontFiles } from './fonts';
import { layoutLetter, type DrawOp, type LetterLayout } from './layout';
import type { LetterModel } from './letter-model';
import { darkRuns, epcQrMatrix } from './qr';
import type { Measure } from './wrap';

// pdfkit throws plain strings for some JPEG faults; zlib's errors may come from another realm (a vm context), so no instanceof.
const messageOf = (error: unknown): string => (typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error));

export class LogoError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LogoError';
	}
}

/** A letterhead logo at 300 dpi is well under a million pixels; a decoded PNG takes 4 bytes a pixel. */
const MAX_LOGO_PIXELS = 16_000_000;
/** A side longer than this is no logo (and a 1-pixel-wide strip of 16 million rows takes seconds to read). */
const MAX_LOGO_SIDE = 20_000;

/**
 * The logo as pdfkit is to draw it, or why it cannot be one; before any page is drawn, so that a bad
 * file fails its own letter instead of a print batch half written. A PNG is decoded in full and
 * written again, non-interlaced and 8 bits a channel, as RGB when it is opaque (pdfkit embeds that as
 * it is) and RGBA otherwise: pdfkit decodes other forms later, asynchronously, with a decoder of its
 * own that throws where no caller can catch it (the process ends, or the letter never finishes), on
 * damaged data and on some valid files (interlaced and at most 4 pixels wide). A JPEG is drawn once
 * on a scratch page, where pdfkit reads its markers, and kept as it is.
 */
export function prepareLogo(data: Buffer): Buffer | LogoError {
	const png = data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	const jpeg = data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
	if (!png && !jpeg) return new LogoError('The logo is not a PNG or JPEG image (its first bytes say otherwise)');
	// One IHDR, first (RFC 2083 §4.1.1): its size decides the memory a decode takes, and pngjs would
	// take a second one's size instead. Zero is no valid width or height.
	if (png && (data.length < 33 || data.toString('latin1', 12, 16) !== 'IHDR' || pngChunks(data, 'IHDR').length !== 1)) {
		return new LogoError('The logo is a damaged PNG file: it does not start with one image header (IHDR)');
	}
	const [width, height] = png ? [data.readUInt32BE(16), data.readUInt32BE(20)] : [0, 0];
	const pixels = width * height;
	if (png && (pixels === 0 || pixels > MAX_LOGO_PIXELS || width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE)) {
		return new LogoError(
			`The logo is ${width} × ${height} pixels; use ${pixels === 0 ? 'an image with pixels' : `a smaller file (a logo needs about 1,000 pixels across, at most ${MAX_LOGO_PIXELS / 1e6} million pixels, ${MAX_LOGO_SIDE.toLocaleString('en')} on a side)`}`,
		);
	}
	try {
		if (!png) {
			new PDFDocument({ size: 'A4', margin: 0 }).image(data, 0, 0, { width: 10 });
			return data;
		}
		// Node's inflate first: after a zlib error pngjs's sync reader goes on with uninitialised
		// memory and passes about a third of such files (its stream parser leaves a filter error
		// unhandled). On intact zlib data pngjs then checks every row's filter. The output cap
		// (8 bytes a pixel at most, a filter byte a row) stops data that inflates far beyond its size.
		inflateSync(Buffer.concat(pngChunks(data, 'IDAT')), { maxOutputLength: 8 * pixels + 8 * height + 64 });
		const image = PNG.sync.read(data);
		const opaque = image.data.every((value, index) => index % 4 !== 3 || value === 255);
		return PNG.sync.write(image, { colorType: opaque ? 2 : 6, bitDepth: 8, inputColorType: 6, inputHasAlpha: true });
	} catch (error) {
		const reason = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? `its image data unpacks to more than ${width} × ${height} pixels can hold` : messageOf(error);
		return new LogoError(`The logo is a damaged ${png ? 'PNG' : 'JPEG'} file: ${reason}`);
	}
}

/** The data of a PNG's chunks of one type: length, type, data and CRC follow the 8-byte signature (RFC 2083 §3.2). */
function pngChunks(png: Buffer, type: string): Buffer[] {
	const found: Buffer[] = [];
	for (let at = 8; at + 8 <= png.length; at += 12 + png.readUInt32BE(at)) {
		if (png.toString('latin1', at + 4, at + 8) === type) found.push(png.subarray(at + 8, at + 8 + png.readUInt32BE(at)));
	}
	return found;
}

export interface PdfInfo {
	title?: string;
	author?: string;
}

/** A PDF of one or more letters. `add` lays a letter out and draws it; `end` returns the file. */
export class LetterPdf {
	private readonly doc: PDFKit.PDFDocument;
	private readonly chunks: Buffer[] = [];
	private readonly done: Promise<Buffer>;
	private readonly widths = new Map<string, number>();
	private pageCount = 0;
	readonly measure: Measure;

	constructor(info: PdfInfo = {}) {
		// pdfkit writes every info key it is given, and fails on an undefined one.
		const meta: PDFKit.DocumentInfo = { Creator: 'n8n-nodes-dunning' };
		if (info.title) meta.Title = info.title;
		if (info.author) meta.Author = info.author;
		this.doc = new PDFDocument({ size: 'A4', autoFirstPage: false, margin: 0, info: meta });
		const files = fontFiles();
		this.doc.registerFont('regular', files.regular);
		this.doc.registerFont('bold', files.bold);
		this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
		this.done = new Promise((resolve, reject) => {
			this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
			this.doc.on('error', reject);
		});
		this.measure = (text, font, size) => {
			const key = `${font}\u0000${size}\u0000${text}`;
			let width = this.widths.get(key);
			if (width === undefined) {
				if (this.widths.size > 20000) this.widths.clear();
				width = this.doc.font(font).fontSize(size).widthOfString(text) / PT_PER_MM;
				this.widths.set(key, width);
			}
			return width;
		};
	}

	/** Lays out and draws one letter on new pages; returns its layout (pages and positions). */
	add(model: LetterModel): LetterLayout {
		const layout = layoutLetter(model, this.measure);
		for (const page of layout.pages) {
			this.doc.addPage({ size: 'A4', margin: 0 });
			this.pageCount++;
			for (const op of page) this.draw(op);
		}
		return layout;
	}

	get pages(): number {
		return this.pageCount;
	}

	end(): Promise<Buffer> {
		this.doc.end();
		return this.done;
	}

	private draw(op: DrawOp): void {
		const doc = this.doc;
		switch (op.kind) {
			case 'text':
				doc.font(op.font).fontSize(op.size).fillColor('black').text(op.text, mm(op.x), mm(op.y), { lineBreak: false });
				break;
			case 'line':
				doc.moveTo(mm(op.x1), mm(op.y1)).lineTo(mm(op.x2), mm(op.y2)).lineWidth(op.width).strokeColor('black').stroke();
				break;
			case 'qr': {
				const matrix = epcQrMatrix(op.payload);
				const module = mm(op.size) / matrix.size;
				for (const run of darkRuns(matrix)) doc.rect(mm(op.x) + run.column * module, mm(op.y) + run.row * module, run.length * module, module);
				doc.fillColor('black').fill();
				break;
			}
			case 'image':
				try {
					doc.image(op.data, mm(op.x), mm(op.y), { fit: [mm(op.width), mm(op.height)], align: 'right' });
				} catch (error) {
					// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- lib/ imports nothing from n8n; the node maps LogoError to its item
					throw new LogoError(`The logo is not a PNG or JPEG image pdfkit can read: ${messageOf(error)}`);
				}
				break;
		}
	}
}

/** One letter as its own PDF file. */
export async function renderLetterPdf(model: LetterModel): Promise<{ pdf: Buffer; pages: number }> {
	const pdf = new LetterPdf({ title: model.subject, author: model.company.name });
	pdf.add(model);
	return { pdf: await pdf.end(), pages: pdf.pages };
}
