/**
 * Page geometry of a business letter on A4 after DIN 5008:2020 (section "Briefvordrucke"), in
 * millimetres from the top left corner of the sheet. Form A has a 27 mm letterhead, form B a 45 mm
 * one; in both the address field is 85 × 45 mm, 20 mm from the left edge, so that it shows in the
 * window of a DL or C5/6 envelope (DIN 680: window 90 × 45 mm, 20 mm from the left). Its upper
 * 17.7 mm are the additions-and-notes zone, whose last line carries the return address; the lower
 * 27.3 mm hold the recipient. Fold marks sit at 87 and 192 mm (form A) or 105 and 210 mm (form B),
 * the hole mark at 148.5 mm, both at the left edge.
 */
export type LetterForm = 'A' | 'B';

export const PT_PER_MM = 72 / 25.4;
export const A4 = { width: 210, height: 297 } as const;

export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface FormGeometry {
	form: LetterForm;
	/** The letterhead: company name, address line, logo. */
	letterhead: Rect;
	/** The whole address field as DIN 5008 defines it. */
	addressField: Rect;
	/** Where the return address line is printed: the bottom line of the additions-and-notes zone. */
	returnAddress: Rect;
	/** Where the recipient's lines are printed: the address zone, indented 5 mm from the field's edge. */
	recipient: Rect;
	/** The information block beside the address field (date, customer number, contact). */
	infoBlock: Rect;
	/** Text column of the letter body: 25 mm from the left, 20 mm from the right. */
	textLeft: number;
	textRight: number;
	foldMarks: [number, number];
	holeMark: number;
	/** Where the body continues on the second and later pages. */
	continuationTop: number;
}

const ADDRESS_FIELD = { x: 20, width: 85, height: 45 } as const;
const NOTES_ZONE_HEIGHT = 17.7;
const INDENT = 5;

export function formGeometry(form: LetterForm): FormGeometry {
	const top = form === 'A' ? 27 : 45;
	const addressField: Rect = { x: ADDRESS_FIELD.x, y: top, width: ADDRESS_FIELD.width, height: ADDRESS_FIELD.height };
	return {
		form,
		letterhead: { x: 25, y: 0, width: 165, height: top },
		addressField,
		returnAddress: { x: addressField.x + INDENT, y: top + NOTES_ZONE_HEIGHT - 4.5, width: addressField.width - 2 * INDENT, height: 4.5 },
		recipient: {
			x: addressField.x + INDENT,
			y: top + NOTES_ZONE_HEIGHT,
			width: addressField.width - 2 * INDENT,
			height: addressField.height - NOTES_ZONE_HEIGHT,
		},
		// DIN 5008: the information block starts 125 mm from the left, 32 mm (form A) or 50 mm (form B) from the top.
		infoBlock: { x: 125, y: form === 'A' ? 32 : 50, width: 65, height: 40 },
		textLeft: 25,
		textRight: A4.width - 20,
		foldMarks: form === 'A' ? [87, 192] : [105, 210],
		holeMark: A4.height / 2,
		continuationTop: 20,
	};
}

export const mm = (value: number): number => value * PT_PER_MM;
