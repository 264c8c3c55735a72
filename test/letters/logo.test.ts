import { PNG } from 'pngjs';

import { buildLetterModel } from '../../lib/letters/letter-model';
import { LogoError, prepareLogo } from '../../lib/letters/logo';
import { LetterPdf, renderLetterPdf } from '../../lib/letters/pdf';
import { giroCodePng } from '../../lib/payment/girocode-image';
import { invoiceItem, letterOptions } from './fixtures';
import { handmadePng, withChunk, withImageData } from './png-chunks';

/**
 * A logo is decoded in full before any page is drawn and handed to pdfkit as a plain PNG: pdfkit
 * decodes other forms only when the PDF ends, and its decoder's errors there are thrown where
 * nothing catches them (the letter never finishes).
 */
describe('prepareLogo', () => {
	let png: Buffer;
	beforeAll(async () => {
		png = await giroCodePng('logo stand-in');
	});

	const prepared = (data: Buffer): Buffer => {
		const logo = prepareLogo(data);
		if (logo instanceof LogoError) throw logo;
		return logo;
	};
	const colourType = (data: Buffer) => data[25];

	it('keeps every pixel of a PNG with transparency, as RGBA; an opaque one becomes RGB, which pdfkit embeds without decoding', () => {
		const image = new PNG({ width: 3, height: 2 });
		image.data.fill(255);
		image.data[0] = 17;
		image.data[7] = 128; // the second pixel half transparent
		const logo = prepared(PNG.sync.write(image));
		expect(colourType(logo)).toBe(6);
		expect(PNG.sync.read(logo).data.equals(image.data)).toBe(true);
		// The GiroCode PNG is RGBA with every pixel opaque.
		expect(colourType(png)).toBe(6);
		const flat = prepared(png);
		expect(colourType(flat)).toBe(2);
		expect(PNG.sync.read(flat).data.equals(PNG.sync.read(png).data)).toBe(true);
	});

	it('draws what pdfkit’s own decoder fails on: interlaced and at most 4 pixels wide, a palette with transparency, grey with alpha', async () => {
		// [file, colour type written]: opaque forms become RGB, the rest RGBA.
		const forms: Array<[Buffer, number]> = [
			[handmadePng({ width: 4, height: 40, colorType: 6, interlaced: true }), 6],
			[handmadePng({ width: 3, height: 2, colorType: 2, interlaced: true }), 2],
			[handmadePng({ width: 30, height: 20, colorType: 3, interlaced: true, extra: { PLTE: Buffer.from([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]), tRNS: Buffer.from([0]) } }), 6],
			[handmadePng({ width: 9, height: 9, colorType: 4 }), 6],
		];
		for (const [form, written] of forms) {
			const logo = prepared(form);
			expect([colourType(logo), logo[28]]).toEqual([written, 0]); // not interlaced
			expect(PNG.sync.read(logo).data.equals(PNG.sync.read(form).data)).toBe(true);
			const { pdf } = await renderLetterPdf({ ...buildLetterModel(invoiceItem(1), letterOptions()), logo });
			expect(pdf.toString('latin1')).toMatch(written === 6 ? /\/Subtype \/Image[\s\S]*\/SMask/ : /\/Subtype \/Image/);
		}
	});

	it('refuses a PNG whose compressed data is broken, every time (pngjs’s sync reader passed about a third of such files)', () => {
		const damaged = withChunk(png, 'IDAT', (data) => data.fill(7, 0, 16));
		const verdicts = Array.from({ length: 200 }, () => prepareLogo(damaged));
		expect(new Set(verdicts.map((verdict) => (verdict as LogoError).message))).toEqual(new Set(['The logo is a damaged PNG file: invalid block type']));
	});

	it('refuses a PNG whose data inflates but whose rows name an unknown filter, one whose data inflates far beyond its size, and one cut off in its data', () => {
		const badFilter = withImageData(png, (rows) => {
			const copy = Buffer.from(rows);
			copy[0] = 9; // filter types are 0 to 4 (RFC 2083 §6)
			return copy;
		});
		expect((prepareLogo(badFilter) as LogoError).message).toMatch(/^The logo is a damaged PNG file: .*filter/i);
		// Data that inflates far beyond what 116 × 116 pixels can take is refused before it fills memory.
		expect((prepareLogo(withImageData(png, () => Buffer.alloc(50_000_000))) as LogoError).message).toBe(
			'The logo is a damaged PNG file: its image data unpacks to more than 116 × 116 pixels can hold',
		);
		// A file cut off inside its data, as an upload that broke off leaves it.
		expect((prepareLogo(png.subarray(0, png.length - 100)) as LogoError).message).toBe('The logo is a damaged PNG file: unexpected end of file');
	});

	it('refuses what is no image, a damaged JPEG, and a PNG too large to decode (or with no pixels, or two headers), naming the problem', () => {
		expect((prepareLogo(Buffer.from('GIF89a')) as LogoError).message).toBe('The logo is not a PNG or JPEG image (its first bytes say otherwise)');
		const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03]);
		expect((prepareLogo(jpeg) as LogoError).message).toMatch(/^The logo is a damaged JPEG file: /);
		const huge = withChunk(png, 'IHDR', (data) => data.writeUInt32BE(30000, 0) && data.writeUInt32BE(30000, 4));
		expect((prepareLogo(huge) as LogoError).message).toMatch(/^The logo is 30000 × 30000 pixels/);
		// Each of these would make pngjs allocate or loop far beyond what the first header allows.
		const strip = withChunk(png, 'IHDR', (data) => data.writeUInt32BE(1, 0) && data.writeUInt32BE(30000, 4));
		expect((prepareLogo(strip) as LogoError).message).toBe(
			'The logo is 1 × 30000 pixels; use a smaller file (a logo needs about 1,000 pixels across, at most 16 million pixels, 20,000 on a side)',
		);
		const empty = withChunk(png, 'IHDR', (data) => data.writeUInt32BE(0, 0));
		expect((prepareLogo(empty) as LogoError).message).toBe('The logo is 0 × 116 pixels; use an image with pixels');
		const secondHeader = Buffer.alloc(13);
		secondHeader.writeUInt32BE(6000, 0);
		secondHeader.writeUInt32BE(6000, 4);
		secondHeader[8] = 1; // 1-bit grey: 4.5 MB of data, 144 MB decoded
		for (const file of [handmadePng({ width: 4, height: 4, colorType: 6, extra: { IHDR: secondHeader } }), png.subarray(0, 20)]) {
			expect((prepareLogo(file) as LogoError).message).toBe('The logo is a damaged PNG file: it does not start with one image header (IHDR)');
		}
	});
});

/** A 16 × 8 baseline JPEG (ImageMagick, quality 60): the markers a camera or an editor writes, in 286 bytes. */
const JPEG = Buffer.from(
	'/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAIABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABf/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AJsAsOf/2Q==',
	'base64',
);

describe('JPEG logos', () => {
	/** The same JPEG with another size in its frame header (SOF0). */
	const withSize = (width: number, height: number) => {
		const copy = Buffer.from(JPEG);
		const sof = copy.indexOf(Buffer.from([0xff, 0xc0]));
		copy.writeUInt16BE(height, sof + 5);
		copy.writeUInt16BE(width, sof + 7);
		return copy;
	};

	it('takes a whole JPEG, also with bytes after its end marker', () => {
		expect(prepareLogo(JPEG)).toBe(JPEG);
		const padded = Buffer.concat([JPEG, Buffer.alloc(16)]);
		expect(prepareLogo(padded)).toBe(padded);
	});

	it('refuses a JPEG cut off anywhere before its end marker (pdfkit printed a grey box for it)', () => {
		for (let length = 4; length < JPEG.length; length++) {
			expect([length, (prepareLogo(JPEG.subarray(0, length)) as LogoError).message]).toEqual([length, expect.stringMatching(/^The logo is a damaged JPEG file: /)]);
		}
		expect((prepareLogo(JPEG.subarray(0, JPEG.length - 2)) as LogoError).message).toBe('The logo is a damaged JPEG file: it ends before its end marker (EOI): the file is cut off');
	});

	it('refuses a JPEG whose header claims more pixels than a logo has, as a PNG of that size is refused', () => {
		expect((prepareLogo(withSize(60000, 60000)) as LogoError).message).toBe(
			'The logo is 60000 × 60000 pixels; use a smaller file (a logo needs about 1,000 pixels across, at most 16 million pixels, 20,000 on a side)',
		);
		expect((prepareLogo(withSize(1, 30000)) as LogoError).message).toMatch(/^The logo is 1 × 30000 pixels; use a smaller file/);
		expect((prepareLogo(withSize(16, 0)) as LogoError).message).toBe('The logo is 16 × 0 pixels; use an image with pixels');
		expect(prepareLogo(withSize(4000, 4000))).toBeInstanceOf(Buffer);
	});
});

describe('the logo in a print batch', () => {
	it('is embedded once per PDF, not once per letter', async () => {
		// Noise does not compress: 300 × 100 pixels are about 90 kB, so a copy per letter would show in the size.
		const image = new PNG({ width: 300, height: 100 });
		let seed = 20261206;
		for (let k = 0; k < image.data.length; k++) {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			image.data[k] = k % 4 === 3 ? 255 : seed >>> 23;
		}
		const logo = prepareLogo(PNG.sync.write(image)) as Buffer;
		const batch = async (letters: number) => {
			const pdf = new LetterPdf();
			for (let k = 1; k <= letters; k++) pdf.add(buildLetterModel(invoiceItem(k), letterOptions({ logo })));
			return pdf.end();
		};
		const [one, ten] = [await batch(1), await batch(10)];
		const images = (pdf: Buffer) => pdf.toString('latin1').match(/\/Subtype \/Image/g)?.length ?? 0;
		expect([images(one), images(ten)]).toEqual([1, 1]);
		// Nine more letters add their text, not nine more logos.
		expect(ten.length - one.length).toBeLessThan(logo.length);
	});
});
