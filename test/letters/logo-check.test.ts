import { checkLogo } from '../../lib/letters/pdf';
import { giroCodePng } from '../../lib/payment/girocode-image';
import { withChunk, withImageData } from './png-chunks';

/**
 * The logo check decodes a PNG in full before any page is drawn: pdfkit decodes one with an alpha
 * channel only when the PDF ends, and a damaged file's error there is thrown where nothing catches it.
 */
describe('checkLogo', () => {
	let png: Buffer;
	beforeAll(async () => {
		png = await giroCodePng('logo stand-in');
	});

	it('passes an intact PNG with an alpha channel', () => {
		expect(png[25]).toBe(6); // colour type 6: RGBA, the case pdfkit decodes late
		expect(checkLogo(png)).toBeNull();
	});

	it('refuses a PNG whose compressed data is broken, every time (pngjs’s sync reader passed about a third of such files)', () => {
		const damaged = withChunk(png, 'IDAT', (data) => data.fill(7, 0, 16));
		const verdicts = Array.from({ length: 200 }, () => checkLogo(damaged));
		expect(new Set(verdicts.map((verdict) => verdict?.message))).toEqual(new Set(['The logo is a damaged PNG file: invalid block type']));
	});

	it('refuses a PNG whose data inflates but whose rows name an unknown filter, one whose data inflates far beyond its size, and one cut off in its data', () => {
		const badFilter = withImageData(png, (rows) => {
			const copy = Buffer.from(rows);
			copy[0] = 9; // filter types are 0 to 4 (RFC 2083 §6)
			return copy;
		});
		expect(checkLogo(badFilter)?.message).toMatch(/^The logo is a damaged PNG file: .*filter/i);
		// Data that inflates far beyond what 116 × 116 pixels can take is refused before it fills memory.
		expect(checkLogo(withImageData(png, () => Buffer.alloc(50_000_000)))?.message).toBe('The logo is a damaged PNG file: its image data unpacks to more than 116 × 116 pixels can hold');
		// A file cut off inside its data, as an upload that broke off leaves it.
		expect(checkLogo(png.subarray(0, png.length - 100))?.message).toBe('The logo is a damaged PNG file: unexpected end of file');
	});

	it('refuses what is no image, a damaged JPEG, and a PNG too large to decode, naming the problem', () => {
		expect(checkLogo(Buffer.from('GIF89a'))?.message).toBe('The logo is not a PNG or JPEG image (its first bytes say otherwise)');
		const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03]);
		expect(checkLogo(jpeg)?.message).toMatch(/^The logo is a damaged JPEG file: /);
		const huge = withChunk(png, 'IHDR', (data) => data.writeUInt32BE(30000, 0) && data.writeUInt32BE(30000, 4));
		expect(checkLogo(huge)?.message).toMatch(/^The logo is 30000 × 30000 pixels/);
	});
});
