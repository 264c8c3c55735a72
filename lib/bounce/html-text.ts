import { decodeHTML } from 'entities';

import { LIMITS } from './text-bounds';

/** Tags after which the text continues on a new line. */
function breaksLine(tag: string): boolean {
	return /^(?:br\b|\/(?:p|div|tr|li|h\d)\s*$)/i.test(tag);
}

/** Where the raw text of a script or style element opened at `from` ends (after its closing tag), or -1. */
function rawTextEnd(lower: string, name: string, from: number): number {
	const close = lower.indexOf(`</${name}`, from);
	if (close < 0) return -1;
	const gt = lower.indexOf('>', close);
	return gt < 0 ? -1 : gt + 1;
}

/**
 * The text of an HTML part, for reading a report or a reply: tags become spaces (line-breaking ones new
 * lines), scripts and styles are dropped, character references decoded. One pass with indexOf:
 * every character is looked at a bounded number of times, whatever the markup (runs of "<",
 * unclosed tags or scripts). Reads at most LIMITS.htmlChars of HTML.
 */
export function htmlToText(html: string, markQuotes = false): string {
	const src = html.length > LIMITS.htmlChars ? html.slice(0, LIMITS.htmlChars) : html;
	const lower = src.toLowerCase();
	const out: string[] = [];
	// With `markQuotes`, lines inside a quoting <blockquote> start with "> " per level, as a plain-text
	// reply quotes (RFC 3676 §4.5): Apple Mail and Thunderbird mark theirs type="cite", Gmail
	// class="gmail_quote". An editor's "indent" is a blockquote too, and the writer's own text.
	const open: boolean[] = [];
	let quoteDepth = 0;
	const newLine = () => `\n${'> '.repeat(quoteDepth)}`;
	let i = 0;
	while (i < src.length) {
		const lt = src.indexOf('<', i);
		if (lt < 0) {
			out.push(src.slice(i));
			break;
		}
		// (A line break in the source inside a quote starts a quoted line too.)
		out.push(quoteDepth ? src.slice(i, lt).replace(/\r?\n/g, newLine) : src.slice(i, lt));
		const gt = src.indexOf('>', lt + 1);
		// No ">" anywhere after: the rest is not markup.
		if (gt < 0) {
			out.push(src.slice(lt));
			break;
		}
		const tag = src.slice(lt + 1, gt);
		if (!tag) {
			out.push('<>');
			i = gt + 1;
			continue;
		}
		const name = /^(script|style)\b/i.exec(tag)?.[1].toLowerCase();
		if (name) {
			const end = rawTextEnd(lower, name, gt + 1);
			// An unclosed script hides the rest of the document, as in a browser.
			if (end < 0) break;
			out.push(' ');
			i = end;
			continue;
		}
		// Outlook on the web and the new Outlook set a forwarded message off with <hr> only: keep the
		// line of underscores that their plain-text forwards have, where the forward's header starts.
		if (markQuotes && /^\/?blockquote\b/i.test(tag)) {
			if (tag.startsWith('/')) open.pop();
			else if (open.length < 100) open.push(/\btype\s*=\s*["']?cite\b|\bclass=["']?(?:[\w-]+ )*[\w-]*quote/i.test(tag));
			quoteDepth = open.filter(Boolean).length;
			out.push(newLine());
			i = gt + 1;
			continue;
		}
		out.push(/^hr\b/i.test(tag) ? '\n________________________________\n' : breaksLine(tag) ? newLine() : ' ');
		i = gt + 1;
	}
	// Every HTML5 named and numeric reference ("n&auml;chste", "&#228;"): a reply written in a web
	// mailer's HTML editor is read by a person.
	return decodeHTML(out.join(''))
		.replace(/\u00a0/g, ' ')
		.replace(/[ \t]+/g, ' ');
}
