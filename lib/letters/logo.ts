/**
 * The letterhead logo, checked and prepared before any page is drawn, so that a bad file fails its
 * own letter instead of a print batch half written.
 */
import PDFDocument from 'pdfkit';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

export class LogoError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LogoError';
	}
}

// pdfkit throws plain strings for some JPEG faults; zlib's errors may come from another realm (a vm context), so no instanceof.
export const messageOf = (error: unknown): string => (typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error));

/** A letterhead logo at 300 dpi is well under a million pixels; a decoded PNG takes 4 bytes a pixel. */
const MAX_LOGO_PIXELS = 16_000_000;
/** A side longer than this is no logo (and a 1-pixel-wide strip of 16 million rows takes seconds to read). */
const MAX_LOGO_SIDE = 20_000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The logo as pdfkit is to draw it, or why it cannot be one. */
export function prepareLogo(data: Buffer): Buffer | LogoError {
	if (data.length > 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return preparePng(data);
	if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return checkJpeg(data);
	return new LogoError('The logo is not a PNG or JPEG image (its first bytes say otherwise)');
}

/** Null when a logo of `width` × `height` pixels can be drawn, else why not (for PNG and JPEG alike). */
function sizeProblem(width: number, height: number): LogoError | null {
	if (width * height === 0) return new LogoError(`The logo is ${width} × ${height} pixels; use an image with pixels`);
	if (width * height > MAX_LOGO_PIXELS || width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE) {
		return new LogoError(
			`The logo is ${width} × ${height} pixels; use a smaller file (a logo needs about 1,000 pixels across, at most ${MAX_LOGO_PIXELS / 1e6} million pixels, ${MAX_LOGO_SIDE.toLocaleString('en')} on a side)`,
		);
	}
	return null;
}

/**
 * A JPEG's size from its frame header (SOF), and whether its end marker (EOI) follows the image
 * data: pdfkit embeds a JPEG without decoding it, so a file cut off in an upload would print as a
 * grey box, and a header claiming 60000 × 60000 pixels would go to the printer as it is. Walks the
 * marker segments (ITU T.81 B.1); inside the entropy-coded data after a scan header, 0xFF is
 * followed only by a stuffed 0x00 or a restart marker, so the next other marker ends the scan.
 */
function jpegFrame(data: Buffer): { width: number; height: number } | string {
	let frame: { width: number; height: number } | undefined;
	let at = 2;
	while (at + 1 < data.length) {
		if (data[at] !== 0xff) return 'a marker is missing where the next segment should start';
		const marker = data[at + 1];
		if (marker === 0xff) {
			at++; // fill byte
			continue;
		}
		if (marker === 0xd9) return frame ?? 'it has no frame header (SOF)';
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			at += 2;
			continue;
		}
		if (at + 4 > data.length) break;
		const end = at + 2 + data.readUInt16BE(at + 2);
		if (end > data.length) break;
		// SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && end >= at + 9) {
			frame = { height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
		}
		at = end;
		if (marker === 0xda) {
			while (at + 1 < data.length && !(data[at] === 0xff && data[at + 1] !== 0x00 && !(data[at + 1] >= 0xd0 && data[at + 1] <= 0xd7))) at++;
		}
	}
	return 'it ends before its end marker (EOI): the file is cut off';
}

/** A JPEG with a frame of a logo's size that ends with its end marker, and that pdfkit reads. */
function checkJpeg(data: Buffer): Buffer | LogoError {
	const frame = jpegFrame(data);
	if (typeof frame === 'string') return new LogoError(`The logo is a damaged JPEG file: ${frame}`);
	const tooLarge = sizeProblem(frame.width, frame.height);
	if (tooLarge) return tooLarge;
	// Drawing it once on a scratch page makes pdfkit read the markers it needs.
	try {
		new PDFDocument({ size: 'A4', margin: 0 }).image(data, 0, 0, { width: 10 });
		return data;
	} catch (error) {
		return new LogoError(`The logo is a damaged JPEG file: ${messageOf(error)}`);
	}
}

/**
 * A PNG decoded in full and written again, non-interlaced and 8 bits a channel, as RGB when it is
 * opaque (pdfkit embeds that as it is) and RGBA otherwise: pdfkit decodes other forms when the PDF
 * ends, with a decoder of its own that throws where no caller can catch it (the process ends, or the
 * letter never finishes), on damaged data and on some valid files (interlaced and at most 4 pixels
 * wide).
 */
function preparePng(data: Buffer): Buffer | LogoError {
	const chunks = pngChunks(data);
	// One IHDR, first (RFC 2083 §4.1.1): its size decides the memory a decode takes, and pngjs would
	// take a second one's size instead.
	if (chunks[0]?.type !== 'IHDR' || chunks[0].data.length < 8 || chunks.filter((chunk) => chunk.type === 'IHDR').length !== 1) {
		return new LogoError('The logo is a damaged PNG file: it does not start with one image header (IHDR)');
	}
	const width = chunks[0].data.readUInt32BE(0);
	const height = chunks[0].data.readUInt32BE(4);
	const pixels = width * height;
	const tooLarge = sizeProblem(width, height);
	if (tooLarge) return tooLarge;
	try {
		// Node's inflate first: after a zlib error pngjs's sync reader goes on with uninitialised
		// memory and passes about a third of such files. On intact zlib data pngjs then checks every
		// row's filter. The output cap (8 bytes a pixel at most, a filter byte a row) stops data that
		// inflates far beyond its size.
		const imageData = Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data));
		inflateSync(imageData, { maxOutputLength: 8 * pixels + 8 * height + 64 });
		const image = PNG.sync.read(data);
		const opaque = image.data.every((value, index) => index % 4 !== 3 || value === 255);
		return PNG.sync.write(image, { colorType: opaque ? 2 : 6, bitDepth: 8, inputColorType: 6, inputHasAlpha: true });
	} catch (error) {
		const reason = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? `its image data unpacks to more than ${width} × ${height} pixels can hold` : messageOf(error);
		return new LogoError(`The logo is a damaged PNG file: ${reason}`);
	}
}

/** A PNG's chunks: length, type, data and CRC follow the 8-byte signature (RFC 2083 §3.2); a chunk cut short keeps what is there. */
function pngChunks(png: Buffer): { type: string; data: Buffer }[] {
	const chunks: { type: string; data: Buffer }[] = [];
	for (let at = 8; at + 8 <= png.length; at += 12 + png.readUInt32BE(at)) {
		chunks.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + png.readUInt32BE(at)) });
	}
	return chunks;
}
