/**
 * The plain-text alternative of an HTML reminder when the operator wrote only HTML. Mail
 * programs that show the plain part (and spam filters that compare both) must see the same
 * reminder, so it is derived from that HTML with html-to-text, never taken from the shipped texts.
 */
import { convert } from 'html-to-text';

const OPTIONS = {
	wordwrap: 76,
	selectors: [
		// A link whose text is its address would otherwise read "https://x [https://x]".
		{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
		{ selector: 'img', format: 'skip' },
	],
};

export function plainTextFromHtml(html: string): string {
	return convert(html, OPTIONS);
}
