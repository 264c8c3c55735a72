/**
 * The shipped reminder texts: German and English, levels 1–3 (Zahlungserinnerung, 1. Mahnung,
 * 2. Mahnung; later levels are reworded from level 3), each as subject, HTML and plain text, for
 * one invoice and for several. They live as .hbs files beside this module so
 * merchants and translators can read and diff them; the build copies them next to the compiled
 * module, so reading relative to __dirname works from the sources and from dist alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateKind } from './environment';
import { LAST_WRITTEN_LEVEL, rewordForLevel } from './later-levels';

export const DEFAULT_LANGUAGES = ['de', 'en'] as const;
export const DEFAULT_LEVELS = [1, 2, 3] as const;
export const TEMPLATE_KINDS: readonly TemplateKind[] = ['subject', 'html', 'text'];

export interface TemplateSet {
	subject: string;
	html: string;
	text: string;
}

const DEFAULTS_DIR = join(__dirname, 'defaults');
const cache = new Map<string, TemplateSet>();

/**
 * The shipped templates for a language and level, or undefined when none are shipped. A reminder
 * covering several invoices (`collective`) has its own texts, which list them (group-level-N).
 * Levels past 3 get the level-3 texts reworded for their place (later-levels.ts): a 3rd Mahnung
 * must not go out titled "2. Mahnung".
 */
export function defaultTemplates(language: string, level: number, collective = false): TemplateSet | undefined {
	if (!(DEFAULT_LANGUAGES as readonly string[]).includes(language)) return undefined;
	const wanted = Math.max(Math.trunc(level), 1);
	if (!Number.isFinite(wanted)) return undefined;
	const shipped = Math.min(wanted, LAST_WRITTEN_LEVEL);
	const file = `${collective ? 'group-' : ''}level-${shipped}`;
	const key = `${language}/${file}/${wanted}`;
	let set = cache.get(key);
	if (!set) {
		const read = (kind: TemplateKind) => {
			const text = readFileSync(join(DEFAULTS_DIR, language, `${file}.${kind}.hbs`), 'utf8');
			return wanted > shipped ? rewordForLevel(language, wanted, text) : text;
		};
		set = { subject: read('subject').trim(), html: read('html'), text: read('text') };
		cache.set(key, set);
	}
	return set;
}
