/**
 * The GiroCode as a PNG for HTML e-mail (inline, cid:), from the qrcode library: the payload as one
 * UTF-8 byte segment, error correction level M (EPC069-12), four modules of quiet zone.
 */
import { toBuffer } from 'qrcode';

export function giroCodePng(payload: string): Promise<Buffer> {
	return toBuffer([{ data: Buffer.from(payload, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M', margin: 4, scale: 4, type: 'png' });
}
