import fc from 'fast-check';

import { TemplateEnvironment, TemplateError, type TemplateName } from '../../lib/templates/environment';
import { TEMPLATE_LIMITS } from '../../lib/templates/limits';

// The same cases on every run, so that CI never fails on one nobody ran before; FC_SEED=<n> explores others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261206) });

/**
 * Random and hostile templates and values: whatever comes in, the renderer either returns text
 * within the output cap or throws a TemplateError that says which template and what is wrong in
 * one of the ways listed below — never a TypeError, a stack overflow or an unlabelled message.
 * How long it takes is measured in bench/template-adversarial.ts, not asserted here.
 */

const CLEAR_REASONS: RegExp[] = [
	/^the variable "[^"]+" is missing at line \d+, column \d+: inside \{\{#each …\}\} \/ \{\{#with …\}\} names are that block's fields /,
	/^the variable "[^"]+" is missing \(no such field in the item\)$/,
	/^unknown helper /,
	/^is not a valid template: /,
	/^is nested more than \d+ levels deep /,
	/^is \d+ KB long; templates may have at most \d+ KB$/,
	/^renders more than \d+ KB of text; /,
	/^loops more than \d+ times /,
	/^(partials and decorators|raw blocks) .* are not available in reminder texts$/,
	/^(money|date|lookup) needs /,
	/^prints a value that has no text form /,
	/^prints "[^"]*", which is (an object|a list): name one of its /,
	/^prints a value unescaped /,
	/^date needs a known style /,
	/^gives arguments to a field as if it were a helper /,
	/^uses (if|unless|each|with) without "#"/,
	// A built-in block with other than one argument (Handlebars' messages, and ours for #each).
	/^#(if|unless|with|each) requires exactly one argument$/,
	/^Must pass iterator to #each$/,
];

const FIELDS = ['a', 'b', 'list', 'customer', 'amount', 'due', 'missing', 'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'length', 'log', 'this', '@root', '@index', '..'];

const path: fc.Arbitrary<string> = fc
	.tuple(fc.array(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 3 }), fc.constantFrom('.', '/'))
	.map(([parts, separator]) => parts.join(separator))
	.filter((p) => !p.startsWith('.') || p.startsWith('..'));

const literal = fc.oneof(fc.constantFrom('"EUR"', '"short"', '"dd.MM.yyyy"', '1', 'true', 'null', '"constructor"', "'}}'", '"{{/if}}"'), fc.integer().map(String));

const argument: fc.Arbitrary<string> = fc.oneof(
	{ weight: 3, arbitrary: path },
	{ weight: 1, arbitrary: literal },
	{ weight: 1, arbitrary: fc.tuple(fc.constantFrom('lookup', 'money', 'date'), path, literal).map(([h, p, l]) => `(${h} ${p} ${l})`) },
);

const mustache: fc.Arbitrary<string> = fc.oneof(
	path.map((p) => `{{${p}}}`),
	path.map((p) => `{{{${p}}}}`),
	fc.tuple(fc.constantFrom('money', 'date', 'lookup', 'log', 'each', 'if', 'nosuchhelper'), fc.array(argument, { maxLength: 3 })).map(([h, args]) => `{{${h} ${args.join(' ')}}}`),
	fc.constantFrom('{{', '}}', '{{{', '{{#if}}', '{{/each}}', '{{else}}', '{{^}}', '{{> partial}}', '{{#*inline "x"}}y{{/inline}}', '{{{{raw}}}}', '\\{{a}}', '\\\\{{a}}', '{{!-- {{/if}} --}}', '{{! c }}', '{{~a~}}', '{{a b=c}}'),
);

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('<b>&</b>', '\n', '  ', 'Sehr geehrte', '"\'`', '\u0000', '\u2028'));

const template: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
	node: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		text,
		mustache,
		fc.tuple(fc.constantFrom('if', 'unless', 'each', 'with', 'a', 'list', 'constructor'), argument, fc.array(tie('node'), { maxLength: 4 }), fc.option(fc.array(tie('node'), { maxLength: 2 }))).map(
			([helper, arg, body, inverse]) => `{{#${helper} ${arg}}}${body.join('')}${inverse ? `{{else}}${inverse.join('')}` : ''}{{/${helper}}}`,
		),
		fc.array(tie('node'), { maxLength: 5 }).map((nodes) => nodes.join('')),
	),
})).node;

/** Shapes that cost the most: deep nesting, loops in loops, repetition of large values. */
const hostile: fc.Arbitrary<string> = fc.oneof(
	fc.tuple(fc.constantFrom('if a', 'each list', 'with customer', 'unless missing'), fc.integer({ min: 1, max: 3000 })).map(([open, depth]) => {
		const helper = open.split(' ')[0];
		return `{{#${open}}}`.repeat(depth) + 'x' + `{{/${helper}}}`.repeat(depth);
	}),
	fc.integer({ min: 1, max: 8 }).map((depth) => '{{#each list}}'.repeat(depth) + '{{@root.a}}' + '{{/each}}'.repeat(depth)),
	fc.integer({ min: 1, max: 8 }).map((depth) => '{{#each @root.list}}'.repeat(depth) + '.' + '{{/each}}'.repeat(depth)),
	fc.integer({ min: 1, max: 2000 }).map((n) => '{{a}}'.repeat(n)),
	fc.integer({ min: 1, max: 3000 }).map((n) => '{{x ' + '(lookup '.repeat(n) + 'this' + ' "a")'.repeat(n) + '}}'),
	fc.integer({ min: 1, max: 500 }).map((n) => '{{#if a}}' + '{{else if b}}x'.repeat(n) + '{{/if}}'),
);

const key = fc.oneof(fc.constantFrom(...FIELDS.filter((f) => /^\w+$/.test(f))), fc.string({ maxLength: 6 }));
const leaf = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('{{constructor}}', '{{#each list}}{{/each}}', '2026-03-01', '12.5', 'x'.repeat(70_000)), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
	v: fc.oneof(
		{ depthSize: 'small' },
		leaf,
		fc.array(tie('v'), { maxLength: 25 }),
		fc.dictionary(key, tie('v'), { maxKeys: 5 }),
	),
})).v;
const context: fc.Arbitrary<Record<string, unknown>> = fc
	.tuple(fc.dictionary(key, value, { maxKeys: 6 }), fc.array(value, { maxLength: 25 }), value)
	.map(([fields, list, a]) => {
		// JSON.parse gives an own "__proto__" key, as item json from n8n can carry one.
		const json = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
		return Object.assign(json, fields, { list, a, locale: 'de-DE', currency: 'EUR' });
	});

const KINDS = ['subject', 'html', 'text'] as const;

function check(env: TemplateEnvironment, kind: (typeof KINDS)[number], source: string, ctx: Record<string, unknown>): void {
	const name: TemplateName = { language: 'de', level: 1, kind, source: 'item field templates' };
	let out: unknown;
	try {
		out = env.compile(name, source)(ctx);
	} catch (error) {
		expect(error).toBeInstanceOf(TemplateError);
		const message = (error as Error).message;
		const prefix = `Template "de level 1 ${kind} (item field templates)": `;
		expect(message.startsWith(prefix)).toBe(true);
		const reason = message.slice(prefix.length);
		if (!CLEAR_REASONS.some((pattern) => pattern.test(reason))) throw new Error(`unclear template error: ${JSON.stringify(reason)} for ${JSON.stringify(source.slice(0, 200))}`);
		return;
	}
	expect(typeof out).toBe('string');
	expect((out as string).length).toBeLessThanOrEqual(TEMPLATE_LIMITS.maxOutputChars);
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('template renderer under random and hostile input', () => {
	const env = new TemplateEnvironment();

	test('random templates and values render within the cap or fail with a clear error', () => {
		fc.assert(
			fc.property(fc.constantFrom(...KINDS), template, context, (kind, source, ctx) => check(env, kind, source, ctx)),
			{ numRuns: 1500 },
		);
	});

	test('hostile shapes render within the cap or fail with a clear error', () => {
		fc.assert(
			fc.property(fc.constantFrom(...KINDS), hostile, context, (kind, source, ctx) => check(env, kind, source, ctx)),
			{ numRuns: 150 },
		);
	});

	test('random text, braces and all, is rendered or refused clearly', () => {
		const braces = fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('{{', '}}', '{', '}', '#', '/', '"', "'", '[', ']', '(', ')', '~', '!--', '--', '\\', 'else', 'if', 'each', ' ')), { maxLength: 40 });
		fc.assert(
			fc.property(fc.constantFrom(...KINDS), braces, context, (kind, parts, ctx) => check(env, kind, parts.join(''), ctx)),
			{ numRuns: 2000 },
		);
	});
});
