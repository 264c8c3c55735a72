/**
 * Bounds on what one reminder template may cost. n8n runs nodes on its main event loop, so a
 * template that takes minutes stalls every workflow of the instance, not only this one.
 */

export const TEMPLATE_LIMITS = {
	/** Blocks inside blocks ({{#if}}, {{#each}}, {{else if}} chains) and sub-expressions inside sub-expressions. */
	maxNesting: 32,
	/** Characters of template text; a text longer than the output cap could hardly render within it. */
	maxSourceChars: 512 * 1024,
	/** Characters one rendered subject, HTML or text may have: far beyond any real reminder. */
	maxOutputChars: 512 * 1024,
	/** {{#each}} iterations per rendered template, nested loops counted through. */
	maxIterations: 10_000,
	/**
	 * {{…}} expressions per template: Handlebars compiles each into code, 60,000 took 12 s before
	 * anything rendered. The shipped texts have fewer than 60.
	 */
	maxExpressions: 2_000,
} as const;

/** Thrown while rendering when a limit is passed; the environment names the template. */
export class TemplateLimitError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TemplateLimitError';
	}
}

export function tooDeep(): string {
	return `is nested more than ${TEMPLATE_LIMITS.maxNesting} levels deep ({{#…}} blocks, {{else if}} chains or (…) sub-expressions)`;
}

export function tooLong(chars: number): string {
	return `is ${kb(chars)} long; templates may have at most ${kb(TEMPLATE_LIMITS.maxSourceChars)}`;
}

export function tooManyExpressions(): string {
	return `has more than ${TEMPLATE_LIMITS.maxExpressions} {{…}} expressions; a reminder needs far fewer (a loop, {{#each}}, repeats one for every row)`;
}

export function tooMuchOutput(): string {
	return `renders more than ${kb(TEMPLATE_LIMITS.maxOutputChars)} of text; check loops ({{#each}}) and large fields`;
}

export function tooManyIterations(): string {
	return `loops more than ${TEMPLATE_LIMITS.maxIterations} times ({{#each}} over large lists, or {{#each}} inside {{#each}})`;
}

function kb(chars: number): string {
	return `${Math.ceil(chars / 1024)} KB`;
}

const NOT_AVAILABLE = 'partials and decorators ({{> …}}, {{#> …}}, {{#* …}}) are not available in reminder texts';
const RAW_BLOCKS = 'raw blocks ({{{{…}}}}) are not available in reminder texts';

const BACKSLASH = 92;
const TILDE = 126;

/**
 * Where the mustache opened at `open` ends (index after its closing braces, or the text's length)
 * and how deep `(…)` sub-expressions nest inside it. String literals and `[…]` segments may hold
 * braces and parentheses that mean nothing, as in Handlebars' own lexer.
 */
function mustacheEnd(source: string, from: number): { end: number; parens: number } {
	let parens = 0;
	let maxParens = 0;
	let i = from;
	while (i < source.length) {
		const c = source[i];
		if (c === '}' && source[i + 1] === '}') return { end: i + 2, parens: maxParens };
		if (c === '"' || c === "'" || c === '[') {
			const close = c === '[' ? ']' : c;
			i++;
			// Only a backslash before the closing character escapes it, as in Handlebars' lexer.
			while (i < source.length && source[i] !== close) i += source.charCodeAt(i) === BACKSLASH && source[i + 1] === close ? 2 : 1;
		} else if (c === '(') {
			parens++;
			if (parens > maxParens) maxParens = parens;
		} else if (c === ')') {
			parens = Math.max(0, parens - 1);
		}
		i++;
	}
	return { end: source.length, parens: maxParens };
}

type Tag = 'open' | 'close' | 'else' | 'chain' | 'other';

/** Index of the first character from `i` on that is not JavaScript whitespace (Handlebars' `\s`). */
function skipSpace(source: string, i: number): number {
	while (i < source.length && /\s/.test(source[i])) i++;
	return i;
}

/** Whether `{{…` continued at `at` is only whitespace, an optional "~" and "}}". */
function closesAt(source: string, at: number): boolean {
	let i = skipSpace(source, at);
	if (source.charCodeAt(i) === TILDE) i++;
	return source.startsWith('}}', i);
}

/** What kind of mustache starts at `at` (just after `{{` and an optional `~`). */
function tagAt(source: string, at: number): Tag {
	const c = source[at];
	if (c === '#') return 'open';
	if (c === '/') return 'close';
	if (c === '^') return closesAt(source, at + 1) ? 'else' : 'open';
	const word = skipSpace(source, at);
	if (!source.startsWith('else', word)) return 'other';
	// Handlebars' lexer reads any "{{else…" that is not a bare {{else}} as the start of a chain.
	return closesAt(source, word + 4) ? 'else' : 'chain';
}

/**
 * Why the text nests too deeply or has too many expressions, or null. Handlebars' parser takes
 * time that grows with the square of the nesting (4,000 levels ran for 38 s), and its compiler
 * with the number of expressions, so this is read in one pass before parsing. It never reads less
 * nesting than the parser would: whatever it is unsure of counts as opening.
 */
export function nestingProblem(source: string): string | null {
	const limit = TEMPLATE_LIMITS.maxNesting;
	// Per open block, how many levels its {{else if}} chain added: one {{/…}} closes them all.
	const weights: number[] = [];
	let depth = 0;
	let expressions = 0;
	let i = 0;
	for (;;) {
		const open = source.indexOf('{{', i);
		if (open < 0) return null;
		// "\{{" is literal text, "\\{{" a backslash before a real mustache.
		if (open > 0 && source.charCodeAt(open - 1) === BACKSLASH && !(open > 1 && source.charCodeAt(open - 2) === BACKSLASH)) {
			i = open + 2;
			continue;
		}
		if (source.startsWith('{{', open + 2)) return RAW_BLOCKS;
		let at = open + 2;
		if (source.charCodeAt(at) === TILDE) at++;
		if (source[at] === '!') {
			i = commentEnd(source, at);
			continue;
		}
		if (++expressions > TEMPLATE_LIMITS.maxExpressions) return tooManyExpressions();
		const tag = tagAt(source, at);
		const { end, parens } = mustacheEnd(source, at);
		if (parens > limit) return tooDeep();
		if (tag === 'open') {
			weights.push(1);
			depth++;
		} else if (tag === 'chain' && weights.length > 0) {
			weights[weights.length - 1]++;
			depth++;
		} else if (tag === 'close' && weights.length > 0) {
			depth -= weights.pop()!;
		}
		if (depth > limit) return tooDeep();
		i = end;
	}
}

/** Index after a comment whose "!" is at `bang`: {{!-- … --}} may hold "}}", {{! … }} may not. */
function commentEnd(source: string, bang: number): number {
	if (source.startsWith('--', bang + 1)) {
		const plain = source.indexOf('--}}', bang + 1);
		const stripped = source.indexOf('--~}}', bang + 1);
		const ends = [plain < 0 ? Infinity : plain + 4, stripped < 0 ? Infinity : stripped + 5];
		const end = Math.min(...ends);
		return end === Infinity ? source.length : end;
	}
	const end = source.indexOf('}}', bang + 1);
	return end < 0 ? source.length : end + 2;
}

/** What the parsed template needs to be refused or rendered with care. */
export interface TemplateShape {
	/** Why it cannot be used, or null. */
	problem: string | null;
	/** Whether a path names something every object inherits ({{constructor}}, {{a.toString}}). */
	namesInherited: boolean;
}

type Node = hbs.AST.Node;

/**
 * Inherited names: Handlebars' strict mode asks `name in object`, which finds them on the
 * prototype, and then renders nothing instead of failing as for any other missing field.
 * "length" is left out: on the arrays and strings it is asked of, it is their own.
 */
function isInheritedName(name: string): boolean {
	return name !== 'length' && (name in Object.prototype || name in Array.prototype);
}

/** Checks the parsed template without recursion (its depth is what is being checked). */
export function inspectTemplate(program: hbs.AST.Program): TemplateShape {
	let namesInherited = false;
	const stack: Array<[Node | null | undefined, number]> = [[program, 0]];
	while (stack.length > 0) {
		const [node, depth] = stack.pop()!;
		if (!node) continue;
		if (depth > TEMPLATE_LIMITS.maxNesting) return { problem: tooDeep(), namesInherited };
		switch (node.type) {
			case 'Program':
				for (const child of (node as hbs.AST.Program).body) stack.push([child, depth]);
				break;
			case 'BlockStatement': {
				const block = node as hbs.AST.BlockStatement;
				pushCall(stack, block, depth);
				stack.push([block.program, depth + 1], [block.inverse, depth + 1]);
				break;
			}
			case 'MustacheStatement':
			case 'SubExpression': {
				const call = node as hbs.AST.MustacheStatement;
				const block = blockHelperName(call.path);
				if (block !== null) return { problem: `uses ${block} without "#": write {{#${block} …}}…{{/${block}}}`, namesInherited };
				pushCall(stack, call, node.type === 'SubExpression' ? depth + 1 : depth);
				break;
			}
			case 'PathExpression':
				if ((node as hbs.AST.PathExpression).parts.some((part) => typeof part === 'string' && isInheritedName(part))) namesInherited = true;
				break;
			case 'PartialStatement':
			case 'PartialBlockStatement':
			case 'Decorator':
			case 'DecoratorBlock':
				return { problem: NOT_AVAILABLE, namesInherited };
			default:
				break;
		}
	}
	return { problem: null, namesInherited };
}

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

/** The name of a built-in block helper called as a plain {{…}} or (…), where it can only crash. */
function blockHelperName(path: hbs.AST.Node): string | null {
	if (path.type !== 'PathExpression') return null;
	const { parts, data, depth } = path as hbs.AST.PathExpression;
	return !data && depth === 0 && parts.length === 1 && BLOCK_HELPERS.has(parts[0]) ? parts[0] : null;
}

function pushCall(
	stack: Array<[Node | null | undefined, number]>,
	call: { path: Node; params: Node[]; hash?: hbs.AST.Hash },
	depth: number,
): void {
	stack.push([call.path, depth]);
	for (const param of call.params) stack.push([param, depth]);
	for (const pair of call.hash?.pairs ?? []) stack.push([pair.value, depth]);
}
