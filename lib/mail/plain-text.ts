/**
 * The plain-text alternative of an HTML reminder when the operator wrote only HTML. Mail
 * programs that show the plain part (and spam filters that compare both) must see the same
 * reminder, so it is derived from that HTML with html-to-text, never taken from the shipped texts.
 */
import { convert, type HtmlToTextOptions, type SelectorDefinition } from 'html-to-text';

// Headings keep their case: uppercasing would change invoice numbers ("re-2026-abc" → "RE-2026-ABC").
const HEADINGS: SelectorDefinition[] = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } }));

const OPTIONS: HtmlToTextOptions = {
	wordwrap: 76,
	selectors: [
		// A link whose text is its address would otherwise read "https://x [https://x]".
		{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
		{ selector: 'img', format: 'skip' },
		// The GiroCode and its caption ("scan with your banking app"): the image is not in the text part,
		// so neither is the line that points to it. The shipped HTML wraps both in this class.
		{ selector: '.girocode', format: 'skip' },
		// Every table as rows and columns: the default layout-table format runs the cells of a row
		// together, so "RE-7" and "10,00 €" would read "RE-710,00 €", another amount.
		{ selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
		...HEADINGS,
	],
};

export function plainTextFromHtml(html: string): string {
	// A table cell left empty (the skipped GiroCode) pads its row with spaces; the signature
	// separator "-- " keeps its space, mail programs look for it.
	return convert(html, OPTIONS)
		.split('\n')
		.map((line) => (line === '-- ' ? line : withoutTrailingBlanks(line)))
		.join('\n');
}

/** In one pass: a regular expression for trailing blanks backtracks over every run of blanks. */
function withoutTrailingBlanks(line: string): string {
	let end = line.length;
	while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
	return end === line.length ? line : line.slice(0, end);
}
