/**
 * The QR symbol of a GiroCode as a module matrix, from the qrcode library. The payload goes in as
 * one byte segment of UTF-8, as character set 1 of the EPC guideline says; error correction level M
 * is what EPC069-12 prescribes.
 */
import { create } from 'qrcode';

export interface QrMatrix {
	size: number;
	/** Row by row; true = dark module. */
	dark: (row: number, column: number) => boolean;
}

export function epcQrMatrix(payload: string): QrMatrix {
	const code = create([{ data: Buffer.from(payload, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
	const { size } = code.modules;
	return { size, dark: (row, column) => code.modules.get(row, column) === 1 || (code.modules.get(row, column) as unknown) === true };
}

/** Horizontal runs of dark modules, so a symbol is drawn as a few hundred rectangles, not thousands. */
export function darkRuns(matrix: QrMatrix): Array<{ row: number; column: number; length: number }> {
	const runs: Array<{ row: number; column: number; length: number }> = [];
	for (let row = 0; row < matrix.size; row++) {
		let start = -1;
		for (let column = 0; column <= matrix.size; column++) {
			const dark = column < matrix.size && matrix.dark(row, column);
			if (dark && start < 0) start = column;
			if (!dark && start >= 0) {
				runs.push({ row, column: start, length: column - start });
				start = -1;
			}
		}
	}
	return runs;
}
