/**
 * A sandboxed Handlebars environment for reminder texts. Templates are written by operators (or
 * come from item fields), so they run with: their own Handlebars instance (no global helpers leak
 * in or out), strict mode (a missing variable is an error, never an empty string in a dunning
 * letter; prepare.ts extends it to helper and block arguments), no prototype access, and HTML
 * escaping in HTML templates, where raw output is refused.
 */
import Handlebars from 'handlebars';
import { formatDate, formatMoney, formatPercent, TemplateValueError } from './helpers';
import { localeProblem } from './locale';
import {
	inspectTemplate,
	nestingProblem,
	TEMPLATE_LIMITS,
	TemplateLimitError,
	tooLong,
	tooManyIterations,
	tooMuchOutput,
} from './limits';
import { isPlainContainer, ownFieldsOnly } from './own-fields';
import { prepareTemplate, PRINT_HELPER } from './prepare';

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

/** A compiled template, or why its text cannot be one: remembered so that it fails fast for every item. */
type Compilation = { render: CompiledTemplate; callSites: ReadonlySet<string>; failure?: undefined } | { failure: string };

/** {{lookup object "field"}} of a field the object does not have; the environment names the path. */
class MissingFieldError extends Error {
	constructor(
		readonly field: string,
		readonly loc: HelperOptions['loc'],
	) {
		super(`no field "${field}"`);
		this.name = 'MissingFieldError';
	}
}

const MISSING_HOOKS = new Set(['helperMissing', 'blockHelperMissing']);

/** Texts remembered per kind; item fields can bring a new text per item. */
const MAX_CACHED = 1000;

export class TemplateEnvironment {
	private readonly hbs = Handlebars.create();
	/** By source text, one map for HTML and one for the rest: keyed by the text itself, whose hash V8 keeps. */
	private readonly cache = { html: new Map<string, Compilation>(), plain: new Map<string, Compilation>() };
	/** {{#each}} iterations left in the template being rendered (rendering is synchronous). */
	private iterationsLeft = 0;
	/** Characters the printed values of the template being rendered may still add. */
	private outputLeft = 0;
	/** Names registered as helpers, for telling a helper call from a field. */
	private readonly helperNames: ReadonlySet<string>;

	constructor() {
		// {{log}} writes to the n8n process's console; a reminder text has no use for it.
		this.hbs.unregisterHelper('log');
		this.countIterations();
		// Handlebars' lookup reads its third argument as its options: {{lookup a b "x"}} would crash
		// inside it. A field the object does not have fails as a missing field, not as empty text.
		const lookup = this.hbs.helpers.lookup;
		this.hbs.registerHelper('lookup', function (this: unknown, ...args: unknown[]) {
			if (args.length !== 3) throw new TemplateValueError('lookup needs exactly two arguments: {{lookup object field}}');
			const [object, field, options] = args as [unknown, unknown, HelperOptions];
			if (!hasField(object, field)) throw new MissingFieldError(String(field), options.loc);
			return (lookup as (...a: unknown[]) => unknown).apply(this, args);
		});
		// Helpers read locale and currency from the root context, so a template can simply write
		// {{money openAmount}} and {{date deadline}}; both can be overridden per call.
		this.hbs.registerHelper('money', (...args: unknown[]) => {
			const options = args.pop() as HelperOptions;
			if (args.length === 0) throw new TemplateValueError(needsArgument('money', 'openAmount'));
			const [value, currencyArgument] = args;
			const root = options.data?.root as Partial<FormatSettings> | undefined;
			const currency = typeof currencyArgument === 'string' ? currencyArgument : (options.hash?.currency ?? root?.currency);
			return formatMoney(value, String(currency ?? ''), helperLocale('money', options, root));
		});
		this.hbs.registerHelper('date', (...args: unknown[]) => {
			const options = args.pop() as HelperOptions;
			if (args.length === 0) throw new TemplateValueError(needsArgument('date', 'dueDate'));
			const [value, styleArgument] = args;
			const root = options.data?.root as Partial<FormatSettings> | undefined;
			const style = typeof styleArgument === 'string' ? styleArgument : (options.hash?.style ?? 'long');
			return formatDate(value, helperLocale('date', options, root), String(style));
		});
		// {{percent ratePct}}: an interest rate as the letter prints it ("11,27"), for "{{percent ratePct}} % p. a.".
		this.hbs.registerHelper('percent', (...args: unknown[]) => {
			const options = args.pop() as HelperOptions;
			if (args.length === 0) throw new TemplateValueError(needsArgument('percent', 'ratePct'));
			const root = options.data?.root as Partial<FormatSettings> | undefined;
			return formatPercent(args[0], helperLocale('percent', options, root));
		});
		this.hbs.registerHelper(PRINT_HELPER, (value: unknown, expression: unknown, html: unknown) => this.print(value, String(expression), html === true));
		// Handlebars keeps its *Missing hooks out of a template's reach (allowCallsToHelperMissing: false).
		this.helperNames = new Set(Object.keys(this.hbs.helpers).filter((helper) => !MISSING_HOOKS.has(helper)));
	}

	/**
	 * What {{value}} writes: the value as text, escaped in HTML. Objects and lists have no text
	 * form a customer should read; the output is counted here, as it grows, against the cap.
	 */
	private print(value: unknown, expression: string, html: boolean): string | Handlebars.SafeString {
		if (isPlainContainer(value)) throw new TemplateValueError(printsContainer(expression, value));
		const safe = value instanceof Handlebars.SafeString;
		const text = value === null || value === undefined ? '' : String(value);
		const out = html && !safe ? Handlebars.Utils.escapeExpression(text) : text;
		this.outputLeft -= out.length;
		if (this.outputLeft < 0) throw new TemplateLimitError(tooMuchOutput());
		return html ? new Handlebars.SafeString(out) : out;
	}

	/**
	 * Wraps the built-in {{#each}} (also behind {{#list}}…{{/list}} over an array) so that nested
	 * loops over item arrays cannot multiply into minutes: every iteration spends from the
	 * render's budget, and one loop's output stops growing at the output cap, not after it.
	 */
	private countIterations(): void {
		const each = this.hbs.helpers.each;
		// eslint-disable-next-line @typescript-eslint/no-this-alias -- the helper's own `this` is the template context
		const env = this;
		this.hbs.registerHelper('each', function (this: unknown, ...args: unknown[]) {
			// Options come last; {{#each a ..}} passes more (Handlebars' own each takes the second for them).
			const options = args.pop() as Handlebars.HelperOptions;
			if (args.length !== 1) throw new TemplateValueError('#each requires exactly one argument');
			const context = args[0];
			if (typeof options.fn !== 'function') return each.call(this, context, options);
			const body = options.fn;
			let produced = 0;
			options.fn = (value: unknown, frame?: unknown): string => {
				if (--env.iterationsLeft < 0) throw new TemplateLimitError(tooManyIterations());
				const out = body(value, frame as Handlebars.RuntimeOptions);
				produced += out.length;
				if (produced > TEMPLATE_LIMITS.maxOutputChars) throw new TemplateLimitError(tooMuchOutput());
				return out;
			};
			return each.call(this, context, options);
		});
	}

	/**
	 * Compiles once per (kind, source text), and refuses once per text what cannot be compiled.
	 * HTML templates escape values; subject and plain text do not (they are not HTML, and
	 * "&amp;" in a subject line would be a bug).
	 */
	compile(name: TemplateName, source: string): CompiledTemplate {
		const cache = name.kind === 'html' ? this.cache.html : this.cache.plain;
		let compilation = cache.get(source);
		if (!compilation) {
			compilation = this.compileOnce(source, name.kind === 'html');
			if (cache.size >= MAX_CACHED) cache.clear();
			cache.set(source, compilation);
		}
		if (compilation.failure !== undefined) {
			throw new TemplateError(name, compilation.failure);
		}
		const { render: compiled, callSites } = compilation;
		return (context) => {
			this.iterationsLeft = TEMPLATE_LIMITS.maxIterations;
			this.outputLeft = TEMPLATE_LIMITS.maxOutputChars;
			let out: string;
			try {
				out = compiled(context);
			} catch (error) {
				throw explain(name, source, error as Error, callSites, context);
			}
			if (out.length > TEMPLATE_LIMITS.maxOutputChars) throw new TemplateError(name, tooMuchOutput());
			return out;
		};
	}

	private compileOnce(source: string, html: boolean): Compilation {
		if (source.length > TEMPLATE_LIMITS.maxSourceChars) return { failure: tooLong(source.length) };
		// Before parsing: Handlebars' parser itself takes minutes on text nested thousands deep.
		const deep = nestingProblem(source);
		if (deep !== null) return { failure: deep };
		let ast: hbs.AST.Program;
		try {
			ast = this.hbs.parseWithoutProcessing(source);
		} catch (error) {
			return { failure: `is not a valid template: ${parseErrorText((error as Error).message)}` };
		}
		const shape = inspectTemplate(ast);
		if (shape.problem !== null) return { failure: shape.problem };
		const prepared = prepareTemplate(ast, source, this.helperNames, html);
		if (prepared.problem !== null) return { failure: prepared.problem };
		// compile() takes the parsed text as it is and does the rest of what it does for source.
		// log is taken out; unless told, the compiler would still call it directly, as a built-in, and
		// so the *Missing hooks, which Handlebars keeps from templates (they would crash on .call).
		const knownHelpers = { log: false, ...Object.fromEntries([...MISSING_HOOKS].map((hook) => [hook, false])) };
		const template = this.hbs.compile(ast, { strict: true, noEscape: !html, knownHelpers });
		const render: CompiledTemplate = shape.namesInherited
			? (context) => template(ownFieldsOnly(context), RUNTIME_OPTIONS)
			: (context) => template(context, RUNTIME_OPTIONS);
		return { render, callSites: prepared.callSites };
	}
}

const HELPERS_NOTE = 'helpers: money, date, percent, if, unless, each, with, lookup';

/** `root` is the context the template was rendered with: the reminder's own fields. */
function explain(name: TemplateName, source: string, error: Error, callSites: ReadonlySet<string>, root: Record<string, unknown>): TemplateError {
	const message = error.message;
	if (error instanceof TemplateLimitError || error instanceof TemplateValueError) return new TemplateError(name, message);
	if (error instanceof MissingFieldError) return missing(name, lookupPath(source, error), root, error.loc?.start);
	// Beyond the maximum string length: far past the output cap.
	if (error instanceof RangeError && /string length/i.test(message)) return new TemplateError(name, tooMuchOutput());
	// The value named after "in" is printed as text, which may hold line breaks.
	const strict = /^"([^"]+)" not defined in [\s\S]* - (\d+):(\d+)$/.exec(message);
	if (strict) {
		const [line, column] = [Number(strict[2]), Number(strict[3])];
		const variable = pathAt(source, line, column) ?? strict[1];
		// A name given arguments that is neither a helper nor a field: the helper's name is wrong.
		if (callSites.has(`${line}:${column}`)) return new TemplateError(name, `unknown helper "${variable}" (${HELPERS_NOTE})`);
		return missing(name, variable, root, { line, column });
	}
	// Strict mode asks `name in value`, which throws when the value is text or a number: it has no fields.
	const primitive = /^Cannot use 'in' operator to search for '([^']*)' in /.exec(message);
	if (primitive) return missing(name, primitive[1]);
	// Helper arguments are read without strict mode's check: "customer.email" with no customer.
	const under = /^Cannot read properties of (?:undefined|null) \(reading '([^']*)'\)$/.exec(message);
	if (under) return missing(name, pathEndingIn(source, under[1]) ?? under[1]);
	// {{#field argument}}: Handlebars calls what the field holds as a helper.
	if (message.endsWith('.call is not a function')) {
		return new TemplateError(name, `gives arguments to a field as if it were a helper (${HELPERS_NOTE})`);
	}
	if (message === 'Cannot convert object to primitive value') {
		return new TemplateError(name, 'prints a value that has no text form (an object without one): name one of its fields instead');
	}
	if (/^Missing helper: /.test(message)) {
		return new TemplateError(name, `${message.replace(/^Missing helper: /, 'unknown helper ')} (${HELPERS_NOTE})`);
	}
	return new TemplateError(name, firstLine(message));
}

function needsArgument(helper: string, example: string): string {
	return `${helper} needs an argument: write {{${helper} ${example}}}; a field called "${helper}" is printed with {{this.${helper}}}`;
}

/** The locale a helper formats for: the reminder's, or one given as locale="…", which is checked. */
function helperLocale(helper: string, options: HelperOptions, root: Partial<FormatSettings> | undefined): string {
	const given: unknown = options.hash?.locale;
	if (given === undefined) return String(root?.locale ?? 'de');
	const problem = localeProblem(String(given));
	if (problem !== null) throw new TemplateValueError(`${helper} needs a usable locale: "${String(given)}" ${problem}`);
	return String(given);
}

/** Whether {{lookup object field}} finds something: a field of the object's own (inherited ones are not read). */
function hasField(object: unknown, field: unknown): boolean {
	if (object === null || object === undefined) return false;
	if (typeof field !== 'string' && typeof field !== 'number') return false;
	return Object.prototype.hasOwnProperty.call(Object(object), field);
}

/** "customer.nmae" for {{lookup customer "nmae"}}, read back from where the lookup was written. */
function lookupPath(source: string, error: MissingFieldError): string {
	const start = error.loc?.start;
	const text = start ? source.split('\n')[start.line - 1]?.slice(start.column) : undefined;
	const object = text ? /^(?:\{\{~?[#^]?|\()\s*lookup\s+([\w@$.[\]/-]+)/.exec(text)?.[1] : undefined;
	if (object === undefined || object === 'this' || object === '.') return error.field;
	return `${object}.${error.field}`;
}

function printsContainer(expression: string, value: object): string {
	const shown = expression.length > 60 ? `${expression.slice(0, 60)}…` : expression;
	const prefix = /^[\w@$.[\]/-]+$/.test(expression) && expression !== 'this' && expression !== '.' ? `${expression}.` : '';
	if (Array.isArray(value)) {
		return `prints "${shown}", which is a list: name one of its entries instead, e.g. {{${prefix}[0]}}, or go through them with {{#each ${prefix ? expression : 'this'}}}…{{/each}}`;
	}
	const field = Object.keys(value).find((key) => /^\w{1,40}$/.test(key)) ?? 'name';
	return `prints "${shown}", which is an object: name one of its fields instead, e.g. {{${prefix}${field}}}`;
}

/**
 * Handlebars' parse error as it is: where (a pointer under the text) and what it expected. A block
 * left open is the most common mistake and its message the least clear, so it gets a hint.
 */
function parseErrorText(message: string): string {
	const open = /got 'EOF'/.test(message) && /OPEN_ENDBLOCK/.test(message);
	return open ? `${message}\n(a {{#…}} block is not closed with its {{/…}})` : message;
}

/**
 * A name that is not there. Inside {{#each invoices}} or {{#with payment}} names are read from the
 * invoice line or the payment details, so the reminder's own {{customerName}} or {{deadline}} is
 * "missing" there although the item has it: when the whole path is one of the reminder's own
 * fields, the message says so and how to reach it. Only where Handlebars says where the name was
 * written (`at`): there `variable` is the whole path as written, elsewhere it may be its last part.
 */
function missing(name: TemplateName, variable: string, root?: Record<string, unknown>, at?: { line: number; column: number }): TemplateError {
	if (root === undefined || at === undefined || !isRootField(root, variable)) {
		return new TemplateError(name, `the variable "${variable}" is missing (no such field in the item)`, variable);
	}
	// Handlebars counts columns from 0, editors from 1.
	return new TemplateError(
		name,
		`the variable "${variable}" is missing at line ${at.line}, column ${at.column + 1}: inside {{#each …}} / {{#with …}} names are that block's fields (an invoice line, the payment details), and it has no "${variable}"; write {{@root.${variable}}} for the reminder's own field`,
		variable,
	);
}

/** Whether `path` ("customerName", "customer.email") names an own field of the reminder at every step. */
function isRootField(root: Record<string, unknown>, path: string): boolean {
	// "../x", "this.x", "@root.x" and "@index" already say where they read from.
	if (path.startsWith('.') || path.startsWith('@') || path === 'this' || path.startsWith('this.') || path.startsWith('this/')) return false;
	let value: unknown = root;
	for (const part of path.split(/[./]/)) {
		if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, part)) return false;
		value = (value as Record<string, unknown>)[part];
	}
	return true;
}

/** Strict-mode errors name only the last path segment ("b" for a.b); read the whole path back. */
function pathAt(source: string, line: number, column: number): string | undefined {
	const text = source.split('\n')[line - 1];
	if (text === undefined) return undefined;
	const match = /^[\w@$.[\]/-]+/.exec(text.slice(column));
	// "a..." is three arguments (a, .. and .), not one path.
	return match?.[0].replace(/(?<=\w)[./]+$/, '');
}

/** The first path in the template that ends in `.field` or `/field`, as the template wrote it. */
function pathEndingIn(source: string, field: string): string | undefined {
	for (const match of source.matchAll(/[\w@$.[\]/-]+/g)) {
		const path = match[0];
		if (path.length > field.length && path.endsWith(field) && './'.includes(path[path.length - field.length - 1])) return path;
	}
	return undefined;
}

function firstLine(message: string): string {
	return message.split('\n')[0];
}
