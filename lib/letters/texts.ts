/**
 * The letter's wording: subject, the text before the invoice table (salutation and the level's
 * paragraph) and the text after it (deadline, closing). Shipped per level and language beside the
 * e-mail texts (lib/templates/defaults/<lang>/letter-*.hbs), rendered in the same sandboxed
 * Handlebars environment, so operators write letter texts exactly as they write e-mail texts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LANGUAGES } from '../templates/defaults';
import { LAST_WRITTEN_LEVEL, rewordForLevel } from '../templates/later-levels';
import type { TemplateEnvironment } from '../templates/environment';
import { normalizeLanguage, withoutEszett, writtenWithoutEszett } from '../templates/render';

export const LETTER_TEXT_KINDS = ['subject', 'intro', 'closing'] as const;
export type LetterTextKind = (typeof LETTER_TEXT_KINDS)[number];
export type LetterTexts = Record<LetterTextKind, string>;

/** Operator texts for (language, level); a kind left empty falls back to the shipped text. */
export type LetterTextLookup = (language: string, level: number) => Partial<LetterTexts> | undefined;

const DEFAULTS_DIR = join(__dirname, '..', 'templates', 'defaults');
const cache = new Map<string, LetterTexts>();

export function shippedLetterTexts(language: string, level: number, collective: boolean): LetterTexts | undefined {
	if (!(DEFAULT_LANGUAGES as readonly string[]).includes(language)) return undefined;
	const wanted = Math.max(Math.trunc(level), 1);
	if (!Number.isFinite(wanted)) return undefined;
	// Levels past the last shipped one get its text reworded for their place, as the e-mail texts do.
	const shipped = Math.min(wanted, LAST_WRITTEN_LEVEL);
	const file = `letter-${collective ? 'group-' : ''}level-${shipped}`;
	const key = `${language}/${file}/${wanted}`;
	let texts = cache.get(key);
	if (!texts) {
		const read = (kind: LetterTextKind) => {
			const text = readFileSync(join(DEFAULTS_DIR, language, `${file}.${kind}.hbs`), 'utf8').trim();
			return wanted > shipped ? rewordForLevel(language, wanted, text) : text;
		};
		texts = { subject: read('subject'), intro: read('intro'), closing: read('closing') };
		cache.set(key, texts);
	}
	return texts;
}

export interface ResolvedLetterTexts {
	language: string;
	texts: LetterTexts;
	/** Per kind: "default" or "node". */
	sources: Record<LetterTextKind, string>;
}

/** Item language → its base language → fallback; operator texts over shipped ones. */
export function resolveLetterTexts(requested: unknown, level: number, fallbackLanguage: string, collective: boolean, custom?: LetterTextLookup): ResolvedLetterTexts {
	const wanted = normalizeLanguage(requested);
	const fallback = normalizeLanguage(fallbackLanguage) ?? 'de';
	const candidates = [wanted, wanted?.split('-')[0], fallback, fallback.split('-')[0]].filter((l, i, all): l is string => !!l && all.indexOf(l) === i);
	for (const language of candidates) {
		const own = custom?.(language, level);
		// An own text for a region ("de-AT") takes what it leaves out from its language's shipped text.
		const shipped = shippedLetterTexts(language, level, collective) ?? (own ? shippedLetterTexts(language.split('-')[0], level, collective) : undefined);
		if (!own && !shipped) continue;
		// Swiss and Liechtenstein German has no ß: in the shipped texts only, never in an own text.
		const swiss = writtenWithoutEszett(language, wanted, fallback);
		const texts = {} as LetterTexts;
		const sources = {} as Record<LetterTextKind, string>;
		for (const kind of LETTER_TEXT_KINDS) {
			const text = own?.[kind];
			if (typeof text === 'string' && text.trim() !== '') {
				texts[kind] = text;
				sources[kind] = 'node';
			} else if (shipped) {
				texts[kind] = swiss ? withoutEszett(shipped[kind]) : shipped[kind];
				sources[kind] = 'default';
			} else {
				throw new Error(`Letter texts for "${language}" level ${level}: no ${kind} text given, and there is no shipped one for "${language}" to fall back on`);
			}
		}
		return { language, texts, sources };
	}
	throw new Error(`No letter texts for level ${level} in language "${wanted ?? String(requested)}" or the fallback "${fallback}"; shipped texts exist for de and en`);
}

export function renderLetterTexts(env: TemplateEnvironment, resolved: ResolvedLetterTexts, level: number, context: Record<string, unknown>): LetterTexts {
	const render = (kind: LetterTextKind) =>
		env
			.compile({ language: resolved.language, level, kind: 'text', source: `${resolved.sources[kind]} letter ${kind}` }, resolved.texts[kind])(context)
			.trim();
	return { subject: render('subject').replace(/\s+/g, ' '), intro: render('intro'), closing: render('closing') };
}
