/**
 * Places everything a letter says on A4 pages: fixed parts of the first page (letterhead, address
 * field, information block, fold and hole marks), then the flowing body (subject, text, invoice
 * table, totals, closing, payment block), breaking to further pages where the footer begins.
 * The result is a list of drawing operations in millimetres, so page breaks and positions are
 * known (and testable) before any PDF is written.
 */
import { fitAddress } from './address-block';
import { A4, formGeometry, PT_PER_MM, type FormGeometry } from './din5008';
import { LetterDetailsError, LetterInputError, TABLE_COLUMNS, type LetterModel } from './letter-model';
import { epcQrMatrix } from './qr';
import { fittingSize, wrapText, type FontName, type Measure } from './wrap';

export type DrawOp =
	| { kind: 'text'; x: number; y: number; text: string; font: FontName; size: number; role?: string }
	| { kind: 'line'; x1: number; y1: number; x2: number; y2: number; width: number }
	| { kind: 'qr'; x: number; y: number; size: number; payload: string }
	| { kind: 'image'; x: number; y: number; width: number; height: number; data: Buffer };

export interface LetterLayout {
	pages: DrawOp[][];
}

const BODY_SIZE = 10;
const SMALL_SIZE = 8;
const NOTE_SIZE = 7;
const FOOTER_SIZE = 6.5;
/** About 29 mm of footer: a normal one has four or five lines a column. */
const MAX_FOOTER_LINES = 10;
const lineHeight = (size: number, leading = 1.3) => (size * leading) / PT_PER_MM;
/** One empty line of body text, DIN 5008's unit of vertical space. */
const BLANK = lineHeight(BODY_SIZE);

/** Column widths of the invoice table in mm (165 mm text width); all but the first are amounts, right-aligned. */
const COLUMNS = [37, 22, 22, 19, 19, 20, 26] as const;
const QR_SIZE = 30;
/**
 * Blank space kept around the GiroCode: ISO/IEC 18004 asks for a quiet zone of 4 modules on every
 * side (a scanner finds the code by its edge), plus a little for the printer's dot gain.
 */
const quietZone = (payload: string): number => (4 * QR_SIZE) / epcQrMatrix(payload).size + 0.5;

class Flow {
	readonly pages: DrawOp[][] = [[]];
	y: number;
	private readonly onNewPage: (flow: Flow) => void;

	constructor(
		startY: number,
		readonly bottom: number,
		readonly g: FormGeometry,
		onNewPage: (flow: Flow) => void,
	) {
		this.y = startY;
		this.onNewPage = onNewPage;
	}

	get page(): DrawOp[] {
		return this.pages[this.pages.length - 1];
	}

	/**
	 * Starts a new page unless `height` still fits on this one. A block taller than a whole page
	 * would run over the footer and off the sheet: `tooTall` names what to shorten.
	 */
	need(height: number, tooTall?: () => LetterInputError): void {
		if (this.y + height <= this.bottom) return;
		this.pages.push([]);
		this.y = this.g.continuationTop;
		this.onNewPage(this);
		if (tooTall && this.y + height > this.bottom) throw tooTall();
	}

	text(x: number, text: string, font: FontName, size: number, role?: string): void {
		this.page.push({ kind: 'text', x, y: this.y, text, font, size, role });
	}
}

export function layoutLetter(model: LetterModel, measure: Measure): LetterLayout {
	const g = formGeometry(model.form);
	const width = g.textRight - g.textLeft;
	const right = (x: number, text: string, font: FontName, size: number) => x - measure(text, font, size);

	// Footer first: its height decides where the body must stop.
	const columnWidth = width / Math.max(model.footer.length, 1);
	const footerLines = model.footer.map((col) => col.flatMap((l) => wrapText(l, columnWidth - 3, measure, 'regular', FOOTER_SIZE)));
	const footerLeading = lineHeight(FOOTER_SIZE, 1.25);
	const footerHeight = Math.max(...footerLines.map((c) => c.length), 1);
	if (footerHeight > MAX_FOOTER_LINES) {
		// A footer that tall leaves no room for the letter: every page would hold a line or two.
		throw new LetterDetailsError('companyDetails', `The company details take ${footerHeight} lines in a column of the footer; at most ${MAX_FOOTER_LINES} fit under a letter. Shorten them (e.g. list fewer managing directors)`);
	}
	const footerTop = A4.height - 10 - footerHeight * footerLeading;
	const pageNumberY = footerTop - 6;
	const bodyBottom = pageNumberY - 3;

	const first: DrawOp[] = [];
	// Letterhead: name (shrinks to fit beside the logo), address line; logo top right.
	const head = g.letterhead;
	const logoBox = { x: 135, y: 8, width: 55, height: head.height - 14 };
	const nameWidth = (model.logo ? logoBox.x - 5 : g.textRight) - head.x;
	const nameSize = fittingSize(model.company.name, nameWidth, measure, 'bold', [16, 14, 12, 11, 10, 9]);
	// A name too long for one line at 9 pt takes two, above the address line; longer still fails.
	const nameLines = wrapText(model.company.name, nameWidth, measure, 'bold', nameSize);
	if (nameLines.length > 2) {
		throw new LetterDetailsError('companyDetails', 'The company name does not fit the letterhead in two lines; shorten it in the company details');
	}
	const nameTop = (model.form === 'A' ? 8 : 15) - (nameLines.length - 1) * lineHeight(nameSize, 1.1);
	for (const [k, line] of nameLines.entries()) {
		first.push({ kind: 'text', x: head.x, y: nameTop + k * lineHeight(nameSize, 1.1), text: line, font: 'bold', size: nameSize, role: 'letterhead' });
	}
	const headLine = [model.company.street, `${model.company.postalCode} ${model.company.city}`, model.company.phone, model.company.email, model.company.website].filter((p) => p.trim() !== '').join(' · ');
	for (const [k, line] of wrapText(headLine, nameWidth, measure, 'regular', SMALL_SIZE).slice(0, 2).entries()) {
		first.push({ kind: 'text', x: head.x, y: (model.form === 'A' ? 15 : 23) + k * lineHeight(SMALL_SIZE), text: line, font: 'regular', size: SMALL_SIZE, role: 'letterhead' });
	}
	if (model.logo) first.push({ kind: 'image', ...logoBox, data: model.logo });

	// Return address: one line, set smaller until it fits, underlined as DIN 5008 shows it; at 5 pt
	// two lines. Never cut: post that cannot be delivered comes back to street, postal code and city.
	const ra = g.returnAddress;
	const raSize = fittingSize(model.returnAddress, ra.width, measure, 'regular', [7, 6.5, 6, 5.5, 5]);
	const raLines = wrapText(model.returnAddress, ra.width, measure, 'regular', raSize);
	if (raLines.length > 2) {
		throw new LetterDetailsError('companyDetails', 'The return address (company name with legal form, street, postal code and city) does not fit the window in two lines; shorten the company name');
	}
	const raLeading = lineHeight(raSize, 1.15);
	const raTop = ra.y + 0.8 - (raLines.length - 1) * (raLeading - 0.3);
	for (const [k, line] of raLines.entries()) {
		const y = raTop + k * (raLeading - 0.3);
		first.push({ kind: 'text', x: ra.x, y, text: line, font: 'regular', size: raSize, role: 'returnAddress' });
		if (k === raLines.length - 1) first.push({ kind: 'line', x1: ra.x, y1: y + raSize / PT_PER_MM + 0.4, x2: ra.x + Math.min(Math.max(...raLines.map((l) => measure(l, 'regular', raSize))), ra.width), y2: y + raSize / PT_PER_MM + 0.4, width: 0.3 });
	}

	// Recipient, inside the address zone whatever its length.
	const fitted = fitAddress(model.recipient, g.recipient, measure);
	for (const [k, line] of fitted.lines.entries()) {
		first.push({ kind: 'text', x: g.recipient.x, y: g.recipient.y + k * fitted.lineHeight, text: line, font: 'regular', size: fitted.size, role: 'recipient' });
	}

	// Information block: label above value, as in DIN 5008's examples.
	let infoY = g.infoBlock.y;
	for (const [label, value] of model.info) {
		first.push({ kind: 'text', x: g.infoBlock.x, y: infoY, text: label, font: 'regular', size: NOTE_SIZE, role: 'info' });
		infoY += lineHeight(NOTE_SIZE, 1.2);
		for (const line of wrapText(value, g.infoBlock.width, measure, 'regular', SMALL_SIZE)) {
			first.push({ kind: 'text', x: g.infoBlock.x, y: infoY, text: line, font: 'regular', size: SMALL_SIZE, role: 'info' });
			infoY += lineHeight(SMALL_SIZE, 1.2);
		}
		infoY += 0.8;
	}

	const names = model.fieldNames;
	if (infoY > bodyBottom - 40) {
		// The body needs room on the first page below the information block; its long value is an invoice number or the customer number.
		const longest = [...model.info].sort((a, b) => b[1].length - a[1].length)[0]?.[1] ?? '';
		const field = model.rows.some((row) => row.cells[0] === longest) ? names.invoiceNumber : names.customerId;
		throw new LetterInputError(field, `The information block (customer number, invoice number, dates) runs down the whole first page; shorten "${field}"`);
	}

	const continuation = `${model.company.name} · ${model.subject} · ${model.labels.continued}`;
	// The columns that print (see LetterModel.columns), by their index in the cells; the width of
	// those left out goes to the invoice number, so the amounts stay right-aligned with the totals.
	const shown = model.columns.map((column) => TABLE_COLUMNS.indexOf(column));
	const widths = shown.map((k) => COLUMNS[k]);
	widths[0] += COLUMNS.reduce((sum, w) => sum + w, 0) - widths.reduce((sum, w) => sum + w, 0);
	const tableHeader = (flow: Flow) => {
		flow.need(lineHeight(SMALL_SIZE) + 1);
		const head = model.labels.table;
		const cells = [head.invoice, head.dueDate, head.open, head.fee, head.flatFee, head.interest, head.total];
		let x = g.textLeft;
		for (const [c, k] of shown.entries()) {
			const size = fittingSize(cells[k], widths[c] - 1.5, measure, 'bold', [SMALL_SIZE, 7, 6]);
			flow.text(k < 2 ? x : right(x + widths[c], cells[k], 'bold', size), cells[k], 'bold', size, 'tableHead');
			x += widths[c];
		}
		flow.y += lineHeight(SMALL_SIZE);
		flow.page.push({ kind: 'line', x1: g.textLeft, y1: flow.y, x2: g.textRight, y2: flow.y, width: 0.5 });
		flow.y += 1;
	};
	let inTable = false;
	const flow = new Flow(Math.max(g.addressField.y + g.addressField.height, infoY) + 2 * BLANK, bodyBottom, g, (f) => {
		f.text(g.textLeft, wrapText(continuation, width, measure, 'regular', NOTE_SIZE)[0], 'regular', NOTE_SIZE, 'continuation');
		f.y += 2 * BLANK;
		if (inTable) tableHeader(f);
	});
	flow.pages[0] = first;

	const paragraph = (text: string, font: FontName = 'regular', size = BODY_SIZE) => {
		for (const line of wrapText(text, width, measure, font, size)) {
			flow.need(lineHeight(size));
			flow.text(g.textLeft, line, font, size, 'body');
			flow.y += lineHeight(size);
		}
	};

	paragraph(model.subject, 'bold');
	flow.y += BLANK;
	paragraph(model.intro);
	flow.y += BLANK;

	// Invoice table; the header repeats on every page the table continues on.
	// The rule and the totals below the last row (see there).
	const totalsHeight = model.totals.length * lineHeight(BODY_SIZE) + 2;
	inTable = true;
	tableHeader(flow);
	for (const [r, row] of model.rows.entries()) {
		const notes = row.notes.flatMap((n) => wrapText(n, width - 4, measure, 'regular', NOTE_SIZE));
		// An invoice number too long for its column wraps onto more lines of the row, never cut.
		const numberSize = fittingSize(row.cells[0], widths[0] - 1.5, measure, 'regular', [SMALL_SIZE, 7, 6, 5]);
		const numberLines = wrapText(row.cells[0], widths[0] - 1.5, measure, 'regular', numberSize);
		const extra = (numberLines.length - 1) * lineHeight(numberSize, 1.15);
		const rowHeight = lineHeight(SMALL_SIZE) + extra + notes.length * lineHeight(NOTE_SIZE, 1.2) + 1;
		// The last row travels with the totals, so a page holding "Zu zahlender Gesamtbetrag" also
		// holds (under the repeated table head) at least one invoice it adds up. No tooTall here:
		// a row that fits a page alone but not with the totals is checked just below on its own.
		if (r === model.rows.length - 1) flow.need(rowHeight + totalsHeight);
		flow.need(
			rowHeight,
			() =>
				new LetterInputError(
					names.group ? 'invoices' : numberLines.length > notes.length ? names.invoiceNumber : names.interestPeriods,
					`The row of invoice ${short(row.cells[0])} (its number, dates, interest periods and payment link) is taller than a page of the letter; shorten what makes it long`,
				),
		);
		let x = g.textLeft;
		for (const [c, k] of shown.entries()) {
			const cell = row.cells[k];
			if (k === 0) {
				for (const [j, line] of numberLines.entries()) flow.page.push({ kind: 'text', x, y: flow.y + j * lineHeight(numberSize, 1.15), text: line, font: 'regular', size: numberSize, role: 'tableRow' });
			} else {
				const size = fittingSize(cell, widths[c] - 1.5, measure, 'regular', [SMALL_SIZE, 7, 6, 5]);
				flow.text(k < 2 ? x : right(x + widths[c], cell, 'regular', size), cell, 'regular', size, 'tableRow');
			}
			x += widths[c];
		}
		flow.y += lineHeight(SMALL_SIZE) + extra;
		for (const note of notes) {
			flow.text(g.textLeft + 4, note, 'regular', NOTE_SIZE, 'tableNote');
			flow.y += lineHeight(NOTE_SIZE, 1.2);
		}
		flow.y += 1;
	}
	inTable = false;

	// Totals stay together, right after the table: the last row's request made room for them.
	flow.need(totalsHeight);
	flow.page.push({ kind: 'line', x1: g.textLeft, y1: flow.y, x2: g.textRight, y2: flow.y, width: 0.5 });
	flow.y += 1.5;
	for (const total of model.totals) {
		const font: FontName = total.strong ? 'bold' : 'regular';
		flow.text(g.textLeft + 60, total.label, font, BODY_SIZE - 1, 'total');
		flow.text(right(g.textRight, total.value, font, BODY_SIZE - 1), total.value, font, BODY_SIZE - 1, 'total');
		flow.y += lineHeight(BODY_SIZE);
	}
	flow.y += BLANK;

	paragraph(model.closing);

	if (model.payment) {
		const p = model.payment;
		const qr = p.epcPayload !== null;
		const quiet = qr ? quietZone(p.epcPayload!) : 0;
		// 8 mm beside the code is more than 4 modules of the smallest code a transfer fits (version 4, 33 modules: 3.6 mm).
		const textWidth = width - (qr ? QR_SIZE + Math.max(8, quiet) : 0);
		const labelWidth = 36;
		const lines = p.lines.map(([label, value]) => [label, wrapText(value, textWidth - labelWidth, measure, 'regular', 9)] as const);
		const linkLines = p.link ? wrapText(`${model.labels.payOnline}: ${p.link}`, textWidth, measure, 'regular', 9) : [];
		const caption = qr ? wrapText(p.giroCodeCaption, QR_SIZE + 8, measure, 'regular', NOTE_SIZE) : [];
		const textHeight = lineHeight(BODY_SIZE) + (lines.reduce((n, [, v]) => n + v.length, 0) + linkLines.length) * lineHeight(9);
		flow.y += Math.max(BLANK, quiet);
		flow.need(
			Math.max(textHeight, qr ? QR_SIZE + quiet + caption.length * lineHeight(NOTE_SIZE, 1.2) : 0) + 2,
			() => new LetterInputError(p.link ? names.paymentLink : 'paymentReference', 'The payment block (bank details, reference and payment link) is taller than a page of the letter; shorten the payment link or the reference'),
		);
		const top = flow.y;
		flow.text(g.textLeft, model.labels.paymentHeading, 'bold', BODY_SIZE, 'payment');
		flow.y += lineHeight(BODY_SIZE);
		for (const [label, values] of lines) {
			flow.text(g.textLeft, label, 'regular', 9, 'payment');
			for (const value of values) {
				flow.text(g.textLeft + labelWidth, value, 'regular', 9, 'payment');
				flow.y += lineHeight(9);
			}
		}
		for (const line of linkLines) {
			flow.text(g.textLeft, line, 'regular', 9, 'payment');
			flow.y += lineHeight(9);
		}
		if (qr) {
			flow.page.push({ kind: 'qr', x: g.textRight - QR_SIZE, y: top, size: QR_SIZE, payload: p.epcPayload! });
			// The caption starts below the quiet zone.
			caption.forEach((line, k) =>
				flow.page.push({ kind: 'text', x: right(g.textRight, line, 'regular', NOTE_SIZE), y: top + QR_SIZE + quiet + k * lineHeight(NOTE_SIZE, 1.2), text: line, font: 'regular', size: NOTE_SIZE, role: 'qrCaption' }),
			);
			flow.y = Math.max(flow.y, top + QR_SIZE + quiet + caption.length * lineHeight(NOTE_SIZE, 1.2));
		}
	}

	// Marks, page numbers and the footer on every page: now the page count is known.
	const total = flow.pages.length;
	flow.pages.forEach((page, index) => {
		if (index === 0) for (const y of g.foldMarks) page.push({ kind: 'line', x1: 3, y1: y, x2: 8, y2: y, width: 0.3 });
		page.push({ kind: 'line', x1: 3, y1: g.holeMark, x2: 10, y2: g.holeMark, width: 0.3 });
		const label = model.labels.page(index + 1, total);
		page.push({ kind: 'text', x: right(g.textRight, label, 'regular', NOTE_SIZE), y: pageNumberY, text: label, font: 'regular', size: NOTE_SIZE, role: 'pageNumber' });
		page.push({ kind: 'line', x1: g.textLeft, y1: footerTop - 1.5, x2: g.textRight, y2: footerTop - 1.5, width: 0.3 });
		footerLines.forEach((col, c) =>
			col.forEach((line, k) =>
				page.push({ kind: 'text', x: g.textLeft + c * columnWidth, y: footerTop + k * footerLeading, text: line, font: 'regular', size: FOOTER_SIZE, role: 'footer' }),
			),
		);
	});
	return { pages: flow.pages };
}

/** A value for a message, at most 40 characters. */
function short(text: string): string {
	return text.length > 40 ? `"${text.slice(0, 37)}…"` : `"${text}"`;
}
