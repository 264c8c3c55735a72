import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import regexpPlugin from 'eslint-plugin-regexp';

// `npm run lint` runs the official `n8n-node lint`, which lints with this file. This file differs
// from the n8n-node template on purpose, so package.json sets `"strict": false` in its `n8n` field
// (strict mode refuses any config but the template's). What differs, and why:
// - `configWithoutCloudSupport` instead of `config`: the package opens SMTP and IMAP connections
//   and has runtime dependencies, which n8n Cloud does not allow: it is for self-hosted n8n.
// - `no-runtime-dependencies` is off: that rule is for n8n-verified packages; this one is an
//   unverified community package that relies on well-kept mail libraries (see below).
// - eslint-plugin-regexp's backtracking rules on shipped code, for ReDoS safety.
// - the community-node rules are off for tests, benchmarks and dev scripts, which never ship.
//
// Rules that guard code running inside a user's n8n. Tests, benchmarks and dev scripts never ship
// (package.json `files` takes only dist/, built from credentials/, nodes/ and lib/): they start mail
// servers, spawn n8n and print reports, which those rules rightly forbid in shipped code.
const shippedCodeRulesOff = Object.fromEntries(
	Object.keys(n8nCommunityNodesPlugin.rules).map((rule) => [`@n8n/community-nodes/${rule}`, 'off']),
);

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', '.cache/**', 'jest*.config.js', 'gulpfile.js'] },
	...configWithoutCloudSupport,
	{
		files: ['package.json'],
		rules: {
			// This rule exists for n8n-verified packages, which may not ship runtime dependencies.
			// We are an unverified community package and rely on well-kept mail libraries
			// (nodemailer, imapflow, mailsplit, handlebars, luxon) instead of hand-written code.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		// n8n runs nodes on its main event loop: one backtracking regular expression stalls every
		// workflow of the instance. Patterns built at run time are checked by test/security/redos.test.ts.
		files: ['lib/**/*.ts', 'nodes/**/*.ts', 'credentials/**/*.ts'],
		plugins: { regexp: regexpPlugin },
		rules: {
			'regexp/no-super-linear-backtracking': 'error',
			'regexp/no-super-linear-move': 'error',
			'regexp/no-misleading-capturing-group': 'error',
		},
	},
	{
		files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
		rules: { ...shippedCodeRulesOff, 'no-console': 'off' },
	},
];
