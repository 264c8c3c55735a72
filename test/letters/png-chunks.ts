/** PNG files of unusual forms, and damaged ones, for the logo tests: chunks after the 8-byte signature are length, type, data, CRC (RFC 2083 §3.2). */
import { crc32, deflateSync, inflateSync } from 'node:zlib';

interface Chunk {
	type: string;
	data: Buffer;
}

function chunksOf(png: Buffer): Chunk[] {
	const chunks: Chunk[] = [];
	for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) {
		chunks.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + png.readUInt32BE(at)) });
	}
	return chunks;
}

function pngOf(chunks: Chunk[]): Buffer {
	const parts = chunks.map(({ type, data }) => {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(data.length, 0);
		head.write(type, 4, 'latin1');
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
		return Buffer.concat([head, data, crc]);
	});
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...parts]);
}

/** Changes the first chunk of a type with at least 13 bytes of data (a copy of it); the CRC is made right again. */
export function withChunk(png: Buffer, type: string, change: (data: Buffer) => unknown): Buffer {
	const chunks = chunksOf(png).map((chunk) => ({ ...chunk, data: Buffer.from(chunk.data) }));
	const target = chunks.find((chunk) => chunk.type === type && chunk.data.length >= 13);
	if (!target) throw new Error(`no ${type} chunk with data`);
	change(target.data);
	return pngOf(chunks);
}

/** Changes the decompressed image data (each row: a filter byte, then pixels) and compresses it again: valid zlib, whatever rows. */
export function withImageData(png: Buffer, change: (rows: Buffer) => Buffer): Buffer {
	const chunks = chunksOf(png);
	const image = inflateSync(Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)));
	const idat = { type: 'IDAT', data: deflateSync(change(image)) };
	const first = chunks.findIndex((chunk) => chunk.type === 'IDAT');
	return pngOf([...chunks.slice(0, first), idat, ...chunks.filter((chunk, index) => index > first && chunk.type !== 'IDAT')]);
}

/** Adam7 passes (RFC 2083 §2.6): first column and row, column and row step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

/**
 * A PNG of 8-bit samples written by hand, so that forms pngjs does not write are possible:
 * interlaced (Adam7), with a palette and its transparency. Pixel bytes follow a pattern; rows unfiltered.
 */
export function handmadePng(options: { width: number; height: number; colorType: 0 | 2 | 3 | 4 | 6; interlaced?: boolean; extra?: Record<string, Buffer> }): Buffer {
	const { width, height, colorType } = options;
	const bytesPerPixel = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
	const passes = options.interlaced ? ADAM7 : [[0, 0, 1, 1]];
	const rows: Buffer[] = [];
	for (const [x0, y0, dx, dy] of passes) {
		const passWidth = Math.ceil((width - x0) / dx);
		const passHeight = Math.ceil((height - y0) / dy);
		if (passWidth <= 0 || passHeight <= 0) continue;
		for (let y = 0; y < passHeight; y++) rows.push(Buffer.from([0, ...Array.from({ length: passWidth * bytesPerPixel }, (_, i) => (i * 31 + y) % (colorType === 3 ? 4 : 256))]));
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, colorType, 0, 0, options.interlaced ? 1 : 0], 8);
	const extra = Object.entries(options.extra ?? {}).map(([type, data]) => ({ type, data }));
	return pngOf([{ type: 'IHDR', data: header }, ...extra, { type: 'IDAT', data: deflateSync(Buffer.concat(rows)) }, { type: 'IEND', data: Buffer.alloc(0) }]);
}
