/**
 * Changes to a parsed template, made before it is compiled, for what Handlebars' strict mode
 * leaves out:
 * - Arguments of helpers and blocks are checked like printed names: a misspelt field in
 *   {{#if fees}}, {{#each invoice}} or {{money fee}} fails the item instead of reading as empty,
 *   so that a fee line never silently drops out of a dunning letter. A field that exists but is
 *   empty, null or false is still fine.
 * - Every printed value goes through one helper, which refuses objects and lists ("[object
 *   Object]" in a reminder) and counts the output as it grows, so that a large field printed many
 *   times stops at the output cap instead of after building gigabytes.
 * It also finds names called as helpers that are no helper, and raw output ({{{…}}}) in HTML.
 */
import Handlebars from 'handlebars';

/** The helper every printed value goes through. A template cannot write this name as a plain name. */
export const PRINT_HELPER = '#print';

export const RAW_OUTPUT =
	'prints a value unescaped ({{{…}}} or {{& …}}): HTML texts escape every value, so that item data (a name with "<", a link) cannot add markup or links to the reminder; write {{…}}';

export interface PreparedTemplate {
	/** Why the template cannot be used, or null. */
	problem: string | null;
	/** "line:column" of each name called with arguments that is no helper ({{formatMoney x}}). */
	callSites: ReadonlySet<string>;
}

type Scope = ReadonlySet<string>;
type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;
/** The compiler reads `strict` on a path; Handlebars' types leave it out. */
type CheckedPath = hbs.AST.PathExpression & { strict?: boolean };

const { simpleId } = Handlebars.AST.helpers;

/**
 * Prepares `program` (changed in place) for compiling. `helpers` are the names registered as
 * helpers; `html` says whether values are escaped.
 */
export function prepareTemplate(program: hbs.AST.Program, source: string, helpers: ReadonlySet<string>, html: boolean): PreparedTemplate {
	const callSites = new Set<string>();
	const text = sourceText(source);
	// Without recursion, as the depth was checked on this tree only as far as the nesting limit.
	const stack: Array<[hbs.AST.Node | null | undefined, Scope]> = [[program, new Set()]];
	while (stack.length > 0) {
		const [node, scope] = stack.pop()!;
		if (!node) continue;
		switch (node.type) {
			case 'Program': {
				const { body, blockParams } = node as hbs.AST.Program;
				const inner = blockParams?.length ? new Set([...scope, ...blockParams]) : scope;
				for (const child of body) stack.push([child, inner]);
				break;
			}
			case 'BlockStatement': {
				const block = node as hbs.AST.BlockStatement;
				checkArguments(block, scope, helpers, callSites, stack);
				stack.push([block.program, scope], [block.inverse, scope]);
				break;
			}
			case 'SubExpression':
				checkArguments(node as hbs.AST.SubExpression, scope, helpers, callSites, stack);
				break;
			case 'MustacheStatement': {
				const mustache = node as hbs.AST.MustacheStatement;
				if (html && !mustache.escaped) return { problem: RAW_OUTPUT, callSites };
				checkArguments(mustache, scope, helpers, callSites, stack);
				printThrough(mustache, scope, helpers, html, text);
				break;
			}
			default:
				break;
		}
	}
	return { problem: null, callSites };
}

function checkArguments(call: Call, scope: Scope, helpers: ReadonlySet<string>, callSites: Set<string>, stack: Array<[hbs.AST.Node | null | undefined, Scope]>): void {
	for (const argument of [...call.params, ...(call.hash?.pairs.map((pair) => pair.value) ?? [])]) {
		if (argument.type === 'PathExpression') (argument as CheckedPath).strict = true;
		else if (argument.type === 'SubExpression') stack.push([argument, scope]);
	}
	const path = call.path;
	const isCall = call.type === 'SubExpression' || call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
	if (isCall && path.type === 'PathExpression' && isPlainName(path as hbs.AST.PathExpression, scope) && !helpers.has((path as hbs.AST.PathExpression).parts[0])) {
		callSites.add(`${path.loc.start.line}:${path.loc.start.column}`);
	}
}

/** A name alone (no dots, "this", "../" or "@"), not a block parameter: what Handlebars may call as a helper. */
function isPlainName(path: hbs.AST.PathExpression, scope: Scope): boolean {
	return simpleId(path) && !path.data && !scope.has(path.parts[0]);
}

/** {{x}} → {{#print x "x" html}}, {{money a}} → {{#print (money a) "money a" html}}. */
function printThrough(mustache: hbs.AST.MustacheStatement, scope: Scope, helpers: ReadonlySet<string>, html: boolean, text: SourceText): void {
	const loc = mustache.loc;
	// {{"field name"}} and {{1}} name a field, as Handlebars' compiler reads them.
	const path: hbs.AST.PathExpression =
		mustache.path.type === 'PathExpression'
			? (mustache.path as hbs.AST.PathExpression)
			: { type: 'PathExpression', data: false, depth: 0, parts: [String((mustache.path as hbs.AST.StringLiteral).original)], original: String((mustache.path as hbs.AST.StringLiteral).original), loc: mustache.path.loc };
	const hasArguments = mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0;
	let value: hbs.AST.Expression;
	let expression = path.original;
	if (hasArguments || (isPlainName(path, scope) && helpers.has(path.parts[0]))) {
		const call: hbs.AST.SubExpression = { type: 'SubExpression', path, params: mustache.params, hash: mustache.hash, loc };
		value = call;
		expression = text.inside(loc) ?? expression;
	} else {
		(path as CheckedPath).strict = true;
		value = path;
	}
	const printer: hbs.AST.PathExpression = { type: 'PathExpression', data: false, depth: 0, parts: [PRINT_HELPER], original: PRINT_HELPER, loc };
	const described: hbs.AST.StringLiteral = { type: 'StringLiteral', value: expression, original: expression, loc };
	const escape: hbs.AST.BooleanLiteral = { type: 'BooleanLiteral', value: html, original: html, loc };
	mustache.path = printer;
	mustache.params = [value, described, escape];
	// The parser leaves out the hash of a call without one; Handlebars' types do not say so.
	mustache.hash = undefined as unknown as hbs.AST.Hash;
}

interface SourceText {
	/** The text of a mustache without its braces, e.g. `lookup obj "x"`. */
	inside(loc: hbs.AST.SourceLocation | undefined): string | undefined;
}

function sourceText(source: string): SourceText {
	let lineStarts: number[] | undefined;
	const offset = (p: hbs.AST.Position): number => {
		if (!lineStarts) {
			lineStarts = [0];
			for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
		}
		return (lineStarts[p.line - 1] ?? source.length) + p.column;
	};
	return {
		inside(loc) {
			if (!loc) return undefined;
			let inner = source.slice(offset(loc.start), offset(loc.end));
			if (!inner.startsWith('{{') || !inner.endsWith('}}')) return undefined;
			// Without a regular expression: one that trims blanks backtracks over long runs of them.
			inner = inner.slice(2, -2);
			if (inner.startsWith('{') && inner.endsWith('}')) inner = inner.slice(1, -1);
			if (inner.startsWith('~')) inner = inner.slice(1);
			if (inner.endsWith('~')) inner = inner.slice(0, -1);
			if (inner.startsWith('&')) inner = inner.slice(1);
			return inner.trim();
		},
	};
}
