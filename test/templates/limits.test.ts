import Handlebars from 'handlebars';

import { TemplateEnvironment, TemplateError, type TemplateName } from '../../lib/templates/environment';
import { inspectTemplate, nestingProblem, TEMPLATE_LIMITS } from '../../lib/templates/limits';

const name: TemplateName = { language: 'de', level: 1, kind: 'text', source: 'item field templates' };
const html: TemplateName = { ...name, kind: 'html' };
const label = 'Template "de level 1 text (item field templates)": ';
const DEPTH = TEMPLATE_LIMITS.maxNesting;

const nestedIfs = (depth: number) => '{{#if a}}'.repeat(depth) + 'x' + '{{/if}}'.repeat(depth);

function failure(render: () => string): string {
	try {
		render();
	} catch (error) {
		expect(error).toBeInstanceOf(TemplateError);
		return (error as Error).message;
	}
	throw new Error('rendered, but was expected to fail');
}

describe('nesting depth', () => {
	const env = new TemplateEnvironment();

	test(`blocks nested ${DEPTH} deep render; one more, or thousands, fail naming the template`, () => {
		expect(env.compile(name, nestedIfs(DEPTH))({ a: true })).toBe('x');
		const tooDeep = `${label}is nested more than ${DEPTH} levels deep`;
		expect(failure(() => env.compile(name, nestedIfs(DEPTH + 1))({ a: true }))).toMatch(tooDeep);
		// Handlebars' parser alone ran for 38 s on 4,000 levels; this is refused before parsing.
		expect(failure(() => env.compile(name, nestedIfs(20_000))({ a: true }))).toMatch(tooDeep);
	});

	test('{{else if}} chains and sub-expressions count as nesting, as they do in the parsed template', () => {
		const chain = (links: number) => '{{#if a}}' + '{{else if a}}x'.repeat(links) + '{{/if}}';
		expect(env.compile(name, chain(DEPTH - 1))({ a: false })).toBe('');
		expect(failure(() => env.compile(name, chain(DEPTH))({ a: false }))).toMatch(/nested more than/);
		const sub = (depth: number) => '{{#if ' + '(lookup '.repeat(depth) + 'this' + ' "a")'.repeat(depth) + '}}y{{/if}}';
		expect(failure(() => env.compile(name, sub(DEPTH + 1))({}))).toMatch(/nested more than/);
		expect(failure(() => env.compile(name, sub(5000))({}))).toMatch(/nested more than/);
	});

	test('the scan before parsing is not fooled by closing tags that the parser does not see as such', () => {
		const deep = DEPTH + 8;
		// Each pair is one real {{#if}} and something that only looks like its {{/if}}.
		for (const fake of ['{{!-- {{/if}} --}}', '{{! {{/if}}', '{{lookup this "{{/if}}"}}', "{{lookup this '}}{{/if}}'}}", '{{lookup this [}}{{/if}}]}}', '\\{{/if}}']) {
			expect({ fake, problem: nestingProblem(`{{#if a}}${fake}`.repeat(deep) + '{{/if}}'.repeat(deep)) }).toEqual({ fake, problem: expect.stringMatching(/nested more than/) });
		}
		// What is not a block opener does not count: comments, escaped and sequential blocks.
		expect(nestingProblem('{{!-- {{#if a}} --}}'.repeat(100) + '\\{{#if a}}'.repeat(100) + '{{#if a}}x{{/if}}'.repeat(100))).toBeNull();
		// A real {{/if}} after "\\" (an escaped backslash) still closes.
		expect(nestingProblem('{{#if a}}x\\\\{{/if}}'.repeat(100))).toBeNull();
	});

	test('a template with more expressions than any reminder needs is refused before Handlebars compiles them (60,000 took 12 s)', () => {
		const max = TEMPLATE_LIMITS.maxExpressions;
		expect(nestingProblem('{{b}}'.repeat(max))).toBeNull();
		// Comments and escaped mustaches are text, not expressions.
		expect(nestingProblem('{{b}}'.repeat(max) + '{{! note }}\\{{b}}')).toBeNull();
		expect(nestingProblem('{{b}}'.repeat(max + 1))).toBe(`has more than ${max} {{…}} expressions; a reminder needs far fewer (a loop, {{#each}}, repeats one for every row)`);
		const env = new TemplateEnvironment();
		expect(failure(() => env.compile(name, '{{b}}'.repeat(60_000))({ b: 'x' }))).toMatch(/more than 2000 \{\{…\}\} expressions/);
	});

	test('the parsed template is checked as well, without recursion', () => {
		const ast = Handlebars.parseWithoutProcessing(nestedIfs(DEPTH + 1));
		expect(inspectTemplate(ast).problem).toMatch(/nested more than/);
		expect(inspectTemplate(Handlebars.parseWithoutProcessing(nestedIfs(DEPTH))).problem).toBeNull();
	});

	test('partials, decorators and raw blocks are refused: reminder texts have no use for them', () => {
		// An inline partial that calls itself twice doubles the output per level of definition.
		for (const source of ['{{> footer}}', '{{#> layout}}x{{/layout}}', '{{#*inline "a"}}{{> a}}{{> a}}{{/inline}}{{> a}}', '{{{{raw}}}}{{x}}{{{{/raw}}}}']) {
			expect(failure(() => env.compile(name, source)({}))).toMatch(/are not available in reminder texts$/);
		}
	});

	test('a text longer than the cap is refused without being parsed', () => {
		const long = 'x'.repeat(TEMPLATE_LIMITS.maxSourceChars + 1);
		expect(failure(() => env.compile(name, long)({}))).toBe(`${label}is 513 KB long; templates may have at most 512 KB`);
	});
});

describe('rendering work and output', () => {
	const env = new TemplateEnvironment();
	const list = (n: number) => Array.from({ length: n }, (_, i) => i);

	test('nested {{#each}} over item arrays stops at the iteration budget with a clear error', () => {
		const nested = '{{#each a}}{{#each @root.a}}{{#each @root.a}}{{#each @root.a}}.{{/each}}{{/each}}{{/each}}{{/each}}';
		expect(failure(() => env.compile(name, nested)({ a: list(20) }))).toBe(
			`${label}loops more than ${TEMPLATE_LIMITS.maxIterations} times ({{#each}} over large lists, or {{#each}} inside {{#each}})`,
		);
		// The same shape within the budget renders every iteration: 9^4 = 6561.
		expect(env.compile(name, nested)({ a: list(9) })).toHaveLength(6561);
	});

	test('the budget is per render: many renders of a loop just under it all succeed', () => {
		const render = env.compile(name, '{{#each a}}.{{/each}}');
		for (let i = 0; i < 3; i++) expect(render({ a: list(TEMPLATE_LIMITS.maxIterations) })).toHaveLength(TEMPLATE_LIMITS.maxIterations);
		expect(failure(() => render({ a: list(TEMPLATE_LIMITS.maxIterations + 1) }))).toMatch(/loops more than/);
	});

	test('a section over an array ({{#a}}…{{/a}}) is counted like {{#each}}', () => {
		expect(failure(() => env.compile(name, '{{#a}}{{#each @root.a}}.{{/each}}{{/a}}')({ a: list(200) }))).toMatch(/loops more than/);
	});

	test('output is counted per printed value: a large field printed many times stops once past the cap, reading it only a few times', () => {
		const cap = TEMPLATE_LIMITS.maxOutputChars;
		for (const [template, value, width] of [
			[name, 'x'.repeat(100 * 1024), 100 * 1024],
			// In HTML the escaped text counts: "<" is written as "&lt;".
			[html, '<'.repeat(100 * 1024), 4 * 100 * 1024],
		] as const) {
			let reads = 0;
			const ctx = {};
			Object.defineProperty(ctx, 'big', { enumerable: true, get: () => (reads++, value) });
			// 1,000 × 100 KB would be 100 MB (400 MB escaped) before a check at the end.
			expect(failure(() => env.compile(template, '{{big}}'.repeat(1000))(ctx))).toMatch(/renders more than 512 KB of text/);
			expect(reads).toBeLessThanOrEqual(Math.ceil(cap / width) + 1);
		}
	});

	test('HTML texts refuse raw output ({{{…}}}, {{& …}}); plain text and subject have nothing to escape and allow it', () => {
		const raw = `${label.replace('text', 'html')}prints a value unescaped ({{{…}}} or {{& …}}): HTML texts escape every value, so that item data (a name with "<", a link) cannot add markup or links to the reminder; write {{…}}`;
		for (const source of ['<a href="{{{link}}}">x</a>', '<p>{{& note}}</p>', '{{#if a}}{{{a}}}{{/if}}']) {
			expect(failure(() => env.compile(html, source)({ link: 'javascript:alert(1)', note: '<b>', a: 1 }))).toBe(raw);
		}
		expect(env.compile(name, '{{{note}}} {{& note}}')({ note: '<b>' })).toBe('<b> <b>');
		expect(env.compile(html, '<p>{{note}}</p>')({ note: '<b>' })).toBe('<p>&lt;b&gt;</p>');
	});

	test('output is capped: a loop, and plain repetition, stop as they pass the cap', () => {
		const cap = TEMPLATE_LIMITS.maxOutputChars;
		const big = 'x'.repeat(100 * 1024);
		const tooMuch = `${label}renders more than 512 KB of text; check loops ({{#each}}) and large fields`;
		expect(failure(() => env.compile(name, '{{#each a}}{{@root.big}}{{/each}}')({ a: list(6), big }))).toBe(tooMuch);
		expect(failure(() => env.compile(name, '{{big}}'.repeat(6))({ big }))).toBe(tooMuch);
		expect(env.compile(name, '{{big}}'.repeat(5))({ big })).toHaveLength(5 * big.length);
		expect(env.compile(name, '{{big}}')({ big: 'y'.repeat(cap) })).toHaveLength(cap);
	});

	test('a broken template is compiled once and fails the same way for every item', () => {
		const instance = Handlebars.create();
		const parse = jest.spyOn(instance, 'parseWithoutProcessing');
		jest.spyOn(Handlebars, 'create').mockReturnValueOnce(instance);
		const counted = new TemplateEnvironment();
		const messages = new Set<string>();
		for (let item = 0; item < 50; item++) {
			messages.add(failure(() => counted.compile(name, 'Rechnung {{invoiceNumber')({ invoiceNumber: 'R-1' })));
			messages.add(failure(() => counted.compile(name, nestedIfs(3000))({})).replace(/^Template "[^"]+": /, 'deep: '));
		}
		expect([...messages]).toEqual([expect.stringMatching(/^Template "de level 1 text \(item field templates\)": is not a valid template: Parse error/), expect.stringMatching(/^deep: is nested more than/)]);
		expect(parse).toHaveBeenCalledTimes(1);
		// The same text under another name fails under that name.
		expect(failure(() => counted.compile({ ...name, level: 2 }, 'Rechnung {{invoiceNumber')({}))).toMatch(/^Template "de level 2 text/);
		expect(parse).toHaveBeenCalledTimes(1);
	});
});

describe('sandbox', () => {
	const env = new TemplateEnvironment();

	test('{{log}} is gone: it fails like an unknown name and writes nothing to the console', () => {
		const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));
		try {
			expect(failure(() => env.compile(name, '{{log "payment reminder"}}')({}))).toBe(`${label}unknown helper "log" (helpers: money, date, percent, if, unless, each, with, lookup)`);
			expect(failure(() => env.compile(name, '{{log}}')({}))).toMatch(/the variable "log" is missing/);
			expect(failure(() => env.compile(name, '{{#log "x"}}y{{/log}}')({}))).toMatch(/unknown helper "log"/);
			for (const spy of spies) expect(spy).not.toHaveBeenCalled();
		} finally {
			for (const spy of spies) spy.mockRestore();
		}
	});

	test.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'])(
		'{{%s}} fails like any missing variable, at the top, nested, in loops and one level up',
		(inherited) => {
			expect(failure(() => env.compile(name, `Hallo {{${inherited}}}`)({ customerName: 'Erika' }))).toBe(`${label}the variable "${inherited}" is missing (no such field in the item)`);
			expect(failure(() => env.compile(name, `{{customer.${inherited}}}`)({ customer: { name: 'Erika' } }))).toMatch(`the variable "customer.${inherited}" is missing`);
			// Handlebars' strict mode leaves block parameters out: there an inherited name is as empty as a missing one.
			const viaParam = (field: string) => env.compile(name, `{{#each invoices as |inv|}}[{{inv.${field}}}]{{/each}}`)({ invoices: [{}] });
			expect(viaParam(inherited)).toBe(viaParam('noSuchField'));
			expect(failure(() => env.compile(name, `{{#each invoices}}{{../${inherited}}}{{/each}}`)({ invoices: [{}] }))).toMatch(`the variable "../${inherited}" is missing`);
			expect(failure(() => env.compile(name, `{{invoices.${inherited}}}`)({ invoices: [] }))).toMatch(`the variable "invoices.${inherited}" is missing`);
		},
	);

	test('a field of the item that happens to be called "constructor" renders, escaped in HTML', () => {
		expect(env.compile(html, '<p>{{constructor}} {{customer.toString}}</p>')({ constructor: '<b>A & B</b>', customer: { toString: 'C' } })).toBe(
			'<p>&lt;b&gt;A &amp; B&lt;/b&gt; C</p>',
		);
	});

	test('fields that are there render through the own-field view as they do without it: lists, frozen values, dates', () => {
		const frozen = Object.freeze({ inner: Object.freeze({ text: 'F' }) });
		const ctx = { invoices: [{ n: 1 }, { n: 2 }], frozen, due: '2026-03-01', locale: 'de-DE' };
		const source = '{{#each invoices}}{{n}}{{/each}}|{{invoices.length}}|{{frozen.inner.text}}|{{date due}}|{{#with frozen}}{{inner.text}}{{/with}}';
		expect(env.compile(name, source)(ctx)).toBe('12|2|F|1. März 2026|F');
		// An inherited name in the template turns the view on; here the item has such a field of its own.
		expect(env.compile(name, `${source}{{#if constructor}}!{{/if}}`)({ ...ctx, constructor: '' })).toBe('12|2|F|1. März 2026|F');
	});

	test('item values are never rendered as templates', () => {
		expect(env.compile(html, '{{note}}')({ note: '{{constructor}}{{#each a}}{{/each}}' })).toBe('{{constructor}}{{#each a}}{{/each}}');
	});

	test('what crashed inside Handlebars is a clear error: a missing parent in a helper argument, block helpers without "#", fields given arguments, objects without text', () => {
		expect(failure(() => env.compile(name, '{{#if customer.email}}x{{/if}}')({}))).toBe(`${label}the variable "customer.email" is missing (no such field in the item)`);
		expect(failure(() => env.compile(name, 'Summe {{if a}}')({ a: 1 }))).toBe(`${label}uses if without "#": write {{#if …}}…{{/if}}`);
		expect(failure(() => env.compile(name, '{{lookup (each a) "x"}}')({ a: [] }))).toMatch(/uses each without "#"/);
		expect(failure(() => env.compile(name, '{{#a a}}{{/a}}')({ a: [] }))).toMatch(/gives arguments to a field as if it were a helper \(helpers: money, date, percent, if, unless, each, with, lookup\)$/);
		expect(failure(() => env.compile(name, '{{a}}')({ a: Object.create(Object.create(null) as object) as object }))).toMatch(/prints a value that has no text form/);
	});

	test('text and numbers have no fields: asking for one is a missing variable, not a TypeError', () => {
		expect(failure(() => env.compile(name, '{{customerName.trim}}')({ customerName: 'Erika' }))).toBe(`${label}the variable "trim" is missing (no such field in the item)`);
	});
});

describe('lookup', () => {
	const env = new TemplateEnvironment();
	test('with two arguments it reads a field; with more it fails clearly instead of crashing inside Handlebars', () => {
		expect(env.compile(name, '{{lookup invoice "number"}}')({ invoice: { number: 'RE-1' } })).toBe('RE-1');
		expect(failure(() => env.compile(name, '{{lookup 1 a "EUR"}}')({ a: 'x' }))).toMatch(/lookup needs exactly two arguments/);
	});
});

describe('#each', () => {
	const env = new TemplateEnvironment();
	test('with more than one argument it fails clearly: Handlebars’ own each took the second for its options', () => {
		// "a..." reads as three arguments: a, the parent context (..) and this (.); found by the random templates.
		for (const source of ['{{#each a b}}x{{/each}}', '{{#each a...}}{{/each}}']) {
			expect(failure(() => env.compile(name, source)({ a: [1], b: [2] }))).toBe(`${label}#each requires exactly one argument`);
		}
		// The number 0 has no field "a": its arguments are read before #each counts them.
		expect(failure(() => env.compile(name, '{{#with 0}}{{#each a...}}{{/each}}{{/with}}')({ a: [1] }))).toBe(`${label}the variable "a" is missing at line 1, column 20: inside {{#each …}} / {{#with …}} names are that block's fields (an invoice line, the payment details), and it has no "a"; write {{@root.a}} for the reminder's own field`);
		expect(env.compile(name, '{{#each a}}[{{this}}]{{/each}}')({ a: [1, 2] })).toBe('[1][2]');
	});
});
