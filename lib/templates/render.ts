/**
 * Picks the templates for a reminder (item language → fallback language; operator texts over
 * shipped ones) and renders subject, HTML and text with the reminder's values.
 */
import Handlebars from 'handlebars';

import { defaultTemplates, TEMPLATE_KINDS, type TemplateSet } from './defaults';
import { plainTextFromHtml } from '../mail/plain-text';
import { checkPayable, payableFromContext, type PrintableAccount } from '../payment/payable';
import { TemplateEnvironment, TemplateError, type TemplateKind } from './environment';

/** Source of a text derived from the operator's HTML (no text of their own). */
export const TEXT_FROM_HTML = 'derived from the HTML';
/** Source of the HTML when the operator gave only a text: the reminder goes as plain text. */
export const NO_HTML = 'none (plain text only)';

/** Texts an operator supplied; any kind left out falls back to the shipped text. */
export type CustomTemplates = Partial<TemplateSet>;

/** Looks up operator texts for (language, level); returns undefined when there are none. */
export type CustomTemplateLookup = (language: string, level: number) => { templates: CustomTemplates; source: string } | undefined;

export interface ResolvedTemplates {
	language: string;
	level: number;
	templates: TemplateSet;
	/** Per kind, where its text came from ("default", "node", "item field x"). */
	sources: Record<TemplateKind, string>;
}

export interface RenderedReminder {
	subject: string;
	html: string;
	text: string;
	language: string;
	/** Only when there is one: what the customer may miss, e.g. an own text without an account to pay to (for delivery.warning). */
	warning?: string;
}

/** "DE-at" → "de-AT"; "" or junk → undefined. */
export function normalizeLanguage(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const m = /^\s*([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|\d{3}))?\s*$/.exec(value);
	if (!m) return undefined;
	return m[2] ? `${m[1].toLowerCase()}-${m[2].toUpperCase()}` : m[1].toLowerCase();
}

const REGION_FOR_LANGUAGE: Record<string, string> = {
	de: 'de-DE', en: 'en-GB', fr: 'fr-FR', it: 'it-IT', es: 'es-ES', nl: 'nl-NL', pl: 'pl-PL', pt: 'pt-PT',
};

/** The locale used for formatting money and dates when the operator did not set one. */
export function localeFor(language: string): string {
	return language.includes('-') ? language : (REGION_FOR_LANGUAGE[language] ?? language);
}

/** Switzerland and Liechtenstein write German without ß ("Mit freundlichen Grüssen"). */
const REGIONS_WITHOUT_ESZETT: readonly string[] = ['CH', 'LI'];

/**
 * Whether the shipped texts resolved as `language` are read in Switzerland or Liechtenstein: its own
 * region ("de-CH", an own text's language), else the region of the first of `tags` (the item's
 * language, then the fallback) that fell back to it ("de-CH" answered in "de"). A region of
 * another language never counts: "fr-CH" answered in German is German as the texts are written.
 */
export function writtenWithoutEszett(language: string, ...tags: Array<string | undefined>): boolean {
	const base = language.split('-')[0];
	const tag = language.includes('-') ? language : tags.find((t) => t?.split('-')[0] === base);
	const region = tag?.split('-')[1];
	return region !== undefined && REGIONS_WITHOUT_ESZETT.includes(region);
}

/** The Swiss spelling of a shipped text: ß → ss, ẞ → SS. Never for item data or an operator's text. */
export function withoutEszett(text: string): string {
	return text.replace(/ß/g, 'ss').replace(/ẞ/g, 'SS');
}

/**
 * Operator texts apply to every reminder of their level and language, for one invoice or several
 * (`collective`): they can list the invoices with {{#each invoices}}. Shipped texts differ.
 */
export function resolveTemplates(
	requestedLanguage: unknown,
	level: number,
	fallbackLanguage: string,
	custom?: CustomTemplateLookup,
	collective = false,
): ResolvedTemplates {
	const wanted = normalizeLanguage(requestedLanguage);
	const fallback = normalizeLanguage(fallbackLanguage) ?? 'de';
	const candidates: string[] = [];
	for (const lang of [wanted, wanted?.split('-')[0], fallback, fallback.split('-')[0]]) {
		if (lang && !candidates.includes(lang)) candidates.push(lang);
	}
	for (const language of candidates) {
		const own = custom?.(language, level);
		// An own text for a region ("de-AT") takes what it leaves out from its language's shipped text.
		const shipped = defaultTemplates(language, level, collective) ?? (own ? defaultTemplates(language.split('-')[0], level, collective) : undefined);
		if (!own && !shipped) continue;
		// Before compiling, so that values (names, streets) keep their ß.
		const swiss = writtenWithoutEszett(language, wanted, fallback);
		const templates = {} as TemplateSet;
		const sources = {} as Record<TemplateKind, string>;
		const given = (kind: TemplateKind) => typeof own?.templates[kind] === 'string' && own.templates[kind]!.trim() !== '';
		for (const kind of TEMPLATE_KINDS) {
			// Body and alternative must say the same: an operator's HTML never goes out beside the
			// shipped text, nor an operator's text beside the shipped HTML.
			if (kind === 'text' && given('html') && !given('text')) {
				templates.text = '';
				sources.text = TEXT_FROM_HTML;
				continue;
			}
			if (kind === 'html' && given('text') && !given('html')) {
				templates.html = '';
				sources.html = NO_HTML;
				continue;
			}
			const text = own?.templates[kind];
			if (typeof text === 'string' && text.trim() !== '') {
				templates[kind] = text;
				sources[kind] = own!.source;
			} else if (shipped) {
				templates[kind] = swiss ? withoutEszett(shipped[kind]) : shipped[kind];
				sources[kind] = 'default';
			} else {
				throw new TemplateError(
					{ language, level, kind, source: own!.source },
					`no ${kind} text given, and there is no shipped text for language "${language}" to fall back on`,
				);
			}
		}
		return { language, level, templates, sources };
	}
	throw new Error(
		`No templates for level ${level} in language "${wanted ?? String(requestedLanguage)}" or the fallback "${fallback}"; ` +
			'shipped texts exist for de and en, levels 1–3 — add your own texts in the node for other languages',
	);
}

/**
 * A reminder with company details but no IBAN and no payment link for an invoice names nowhere to
 * pay: with the shipped body (it asks for a transfer) it fails with a DetailsError naming "iban";
 * with the operator's own body it is rendered, with a `warning`. `paymentLinkField`: the item field
 * the links were read from, for the message.
 */
export function renderReminder(
	env: TemplateEnvironment,
	resolved: ResolvedTemplates,
	context: Record<string, unknown>,
	paymentLinkField = 'paymentLink',
): RenderedReminder {
	// The collective texts print each invoice's own link; the texts for one invoice only payment.link.
	const collective = Array.isArray(context.invoices) && context.invoices.length > 1;
	const payable = payableFromContext(context, collective);
	const shippedTexts = resolved.sources.text === 'default' || resolved.sources.html === 'default';
	const warning = payable ? checkPayable(payable, { shippedTexts, paymentLinkField }) : null;
	const name = (kind: TemplateKind) => ({ language: resolved.language, level: resolved.level, kind, source: resolved.sources[kind] });
	const render = (kind: TemplateKind) => env.compile(name(kind), resolved.templates[kind])(context);
	const html = resolved.sources.html === NO_HTML ? '' : render('html');
	// Only trimmed: a line break inside the subject (e.g. from item data) must reach the header
	// check and fail the item, not be silently folded away.
	const subject = render('subject').trim();
	// A reminder without a subject looks like spam and tells the customer nothing in the inbox.
	if (subject === '') {
		throw new TemplateError(name('subject'), 'renders an empty subject; a reminder needs one: check that the fields it prints (e.g. {{stageName}}) have values');
	}
	const text = resolved.sources.text === TEXT_FROM_HTML ? plainTextFromHtml(html) : render('text');
	// The shipped texts print the bank details and wrap their links in {{#if}}: only own bodies are checked.
	const ownBody = !shippedTexts;
	const ownHtml = resolved.sources.html !== 'default' && resolved.sources.html !== NO_HTML;
	const warnings = [
		warning,
		// Not after `warning`: that one already says the reminder names nowhere to pay.
		ownBody && payable && !warning ? unprintedAccount(payable.account, html, text) : null,
		ownHtml && hasEmptyLink(html) ? EMPTY_LINK : null,
	].filter((w): w is string => typeof w === 'string' && w !== '');
	return {
		subject,
		html,
		text,
		language: resolved.language,
		...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
	};
}

export const NO_ACCOUNT_PRINTED =
	'Your own texts print neither the IBAN ({{payment.iban}}) nor the payment link ({{payment.link}}): the customer sees no account to pay to';

/** NO_ACCOUNT_PRINTED for company details without an IBAN, where only the payment links pay. */
export const NO_LINK_PRINTED =
	'Your own texts print no payment link ({{payment.link}}), and the company details have no IBAN: the customer sees nowhere to pay to';

/** The IBAN as the output is searched for it: without spaces, upper case. */
const compact = (value: string): string => value.replace(/\s+|&nbsp;|&#160;|&#xa0;/gi, '').toUpperCase();

// Read from the context by payableFromContext (its `account`); exported here too, beside unprintedAccount.
export type { PrintableAccount };

/**
 * An own body replaces the shipped one, its payment block included. With an IBAN or a payment link
 * to print, a body that prints neither the IBAN (spaced or not) nor a link leaves the customer
 * without an account to pay to. The rendered output is searched, not the template: whether the
 * operator wrote {{payment.iban}}, typed the IBAN or printed it through another field. Null also
 * when there is nothing to print (checkPayable speaks for that).
 */
export function unprintedAccount(account: PrintableAccount, html: string, text: string): string | null {
	const iban = compact(account.iban);
	if (iban === '' && account.links.length === 0) return null;
	if (iban !== '' && (compact(html).includes(iban) || compact(text).includes(iban))) return null;
	// HTML escapes a link as it prints it ("=" → "&#x3D;", "&" → "&amp;").
	const printed = (link: string) => text.includes(link) || html.includes(link) || html.includes(Handlebars.Utils.escapeExpression(link));
	if (account.links.some(printed)) return null;
	return iban === '' ? NO_LINK_PRINTED : NO_ACCOUNT_PRINTED;
}

export const EMPTY_LINK = 'A link in your own HTML has an empty address (href=""), so it leads nowhere: wrap it in {{#if payment.link}}…{{/if}} (or in an #if of the field it prints)';

/**
 * href="", href='' or href="#" (spaces allowed): a button such as "Jetzt zahlen" whose field was
 * empty for this item. A fixed pattern with no two adjacent runs that can trade characters, so it
 * takes linear time on any output.
 */
const EMPTY_HREF = /[\s"'/]href\s*=\s*(?:"\s*(?:#\s*)?"|'\s*(?:#\s*)?')/i;

export function hasEmptyLink(html: string): boolean {
	return EMPTY_HREF.test(html);
}
