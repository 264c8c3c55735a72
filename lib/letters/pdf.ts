/**
 * Writes laid-out letters with pdfkit. One document holds one letter, or all letters of a run for
 * the print batch (each letter starts on a new sheet; its page numbers count its own pages).
 * DejaVu Sans is embedded (subset, see fonts.ts).
 */
import PDFDocument from 'pdfkit';
import { mm, PT_PER_MM } from './din5008';
import { fontFiles } from './fonts';
import { layoutLetter, type DrawOp, type LetterLayout } from './layout';
import type { LetterModel } from './letter-model';
import { LogoError, messageOf } from './logo';
import { darkRuns, epcQrMatrix } from './qr';
import type { Measure } from './wrap';

/**
 * pdfkit's image object: `doc.openImage(buffer)` reads an image once, and `doc.image(object, …)`
 * draws it again without a new copy. pdfkit reuses images on its own only by file path, so a logo
 * handed over as a buffer was embedded once per letter (50 letters with a 1.6 MB logo: 72 MB).
 * `openImage` is a public method of pdfkit's document (0.20: ImagesMixin; `image` takes any object
 * with width and height), but neither pdfkit's guide nor @types/pdfkit describes it: without it
 * the buffer is drawn as before, and test/letters/logo.test.ts checks a batch holds one copy.
 */
type PdfImage = { width: number; height: number };
type WithOpenImage = { openImage?: (src: Buffer) => PdfImage };

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
	/** Each logo once per document, however many letters show it (the node hands the same buffer to every item with the same file). */
	private readonly images = new Map<Buffer, PdfImage | Buffer>();
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

	/** The image to draw for `data`: opened once per document. */
	private image(data: Buffer): PdfImage | Buffer {
		let image = this.images.get(data);
		if (!image) {
			const open = (this.doc as unknown as WithOpenImage).openImage;
			image = typeof open === 'function' ? open.call(this.doc, data) : data;
			this.images.set(data, image);
		}
		return image;
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
					doc.image(this.image(op.data) as Buffer, mm(op.x), mm(op.y), { fit: [mm(op.width), mm(op.height)], align: 'right' });
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
