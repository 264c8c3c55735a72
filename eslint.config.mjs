import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	...configWithoutCloudSupport,
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', '.cache/**', 'jest.config.js', 'gulpfile.js'] },
	{
		files: ['package.json'],
		rules: {
			// This rule exists for n8n-verified packages, which may not ship runtime dependencies.
			// We are an unverified community package and rely on well-kept mail libraries
			// (nodemailer, imapflow, mailparser, handlebars, luxon) instead of hand-written code.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
];
