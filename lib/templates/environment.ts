/**
 * A sandboxed Handlebars environment for reminder texts. Templates are written by operators (or
 * come from item fields), so they run with: their own Handlebars instance (no global helpers leak
 * in or out), strict mode (a missing variable is an error, never an empty string in a dunning
 * letter), no prototype access, and HTML escaping in HTML templates.
 */
import Handlebars from 'handlebars';
import { formatDate, formatMoney, TemplateValueError } from './helpers';

export type TemplateKind = 'subject' | 'html' | 'text';

/** Names a template in error messages, e.g. "de level 2 subject". */
export interface TemplateName {
	language: string;
	level: number;
	kind: TemplateKind;
	/** Where the text came from: "default", "node", or "item field <name>". */
	source: string;
}

export class TemplateError extends Error {
	constructor(
		readonly template: TemplateName,
		message: string,
		readonly variable?: string,
	) {
		super(`Template "${templateLabel(template)}": ${message}`);
		this.name = 'TemplateError';
	}
}

export function templateLabel(t: TemplateName): string {
	return `${t.language} level ${t.level} ${t.kind} (${t.source})`;
}

/** What every template sees under `@root` besides the reminder fields: how to format. */
export interface FormatSettings {
	locale: string;
	currency: string;
}

type HelperOptions = Handlebars.HelperOptions & { loc?: { start: { line: number; column: number } } };

const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
	allowProtoPropertiesByDefault: false,
	allowProtoMethodsByDefault: false,
	allowCallsToHelperMissing: false,
};

export type CompiledTemplate = (context: Record<string, unknown>) => string;

export class TemplateEnvironment {
	private readonly hbs = Handlebars.create();
	/** By source text, one map for HTML and one for the rest: keyed by the text itself, whose hash V8 keeps. */
	private readonly cache = { html: new Map<string, CompiledTemplate>(), plain: new Map<string, CompiledTemplate>() };

	constructor() {
		// Helpers read locale and currency from the root context, so a template can simply write
		// {{money openAmount}} and {{date deadline}}; both can be overridden per call.
		this.hbs.registerHelper('money', function (this: unknown, value: unknown, ...rest: unknown[]) {
			const options = rest.pop() as HelperOptions;
			const root = options.data?.root as Partial<FormatSettings> | undefined;
			const currency = typeof rest[0] === 'string' ? rest[0] : (options.hash?.currency ?? root?.currency);
			return formatMoney(value, String(currency ?? ''), String(options.hash?.locale ?? root?.locale ?? 'de'));
		});
		this.hbs.registerHelper('date', function (this: unknown, value: unknown, ...rest: unknown[]) {
			const options = rest.pop() as HelperOptions;
			const root = options.data?.root as Partial<FormatSettings> | undefined;
			const style = typeof rest[0] === 'string' ? rest[0] : (options.hash?.style ?? 'long');
			return formatDate(value, String(options.hash?.locale ?? root?.locale ?? 'de'), String(style));
		});
	}

	/**
	 * Compiles once per (kind, source text). HTML templates escape values; subject and plain text
	 * do not (they are not HTML, and "&amp;" in a subject line would be a bug).
	 */
	compile(name: TemplateName, source: string): CompiledTemplate {
		const cache = name.kind === 'html' ? this.cache.html : this.cache.plain;
		let render = cache.get(source);
		if (!render) {
			// Parse now so that a syntax error surfaces at once, with the template's name.
			try {
				this.hbs.parse(source);
			} catch (error) {
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- lib/ imports nothing from n8n; the node reports it on the item
				throw new TemplateError(name, `is not a valid template: ${firstLine((error as Error).message)}`);
			}
			const template = this.hbs.compile(source, { strict: true, noEscape: name.kind !== 'html' });
			render = (context) => template(context, RUNTIME_OPTIONS);
			cache.set(source, render);
		}
		const compiled = render;
		return (context) => {
			try {
				return compiled(context);
			} catch (error) {
				throw explain(name, source, error as Error);
			}
		};
	}
}

function explain(name: TemplateName, source: string, error: Error): TemplateError {
	const message = error.message;
	const strict = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/.exec(message);
	if (strict) {
		const variable = pathAt(source, Number(strict[2]), Number(strict[3])) ?? strict[1];
		return new TemplateError(name, `the variable "${variable}" is missing (no such field in the item)`, variable);
	}
	if (/^Missing helper: /.test(message)) {
		return new TemplateError(name, `${message.replace(/^Missing helper: /, 'unknown helper ')} (available: money, date)`);
	}
	if (error instanceof TemplateValueError) {
		return new TemplateError(name, message);
	}
	return new TemplateError(name, firstLine(message));
}

/** Strict-mode errors name only the last path segment ("b" for a.b); read the whole path back. */
function pathAt(source: string, line: number, column: number): string | undefined {
	const text = source.split('\n')[line - 1];
	if (text === undefined) return undefined;
	const match = /^[\w@$.[\]/-]+/.exec(text.slice(column));
	return match?.[0];
}

function firstLine(message: string): string {
	return message.split('\n')[0];
}
