/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// Type-checking happens in `npm run build`; ts-jest only transpiles, which keeps
		// each test file's start-up (already ~1 s for n8n-core) from doubling.
		'^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
	},
	// Integration suites talk to real servers on loopback; give them room without hiding hangs.
	testTimeout: 30000,
	setupFiles: ['<rootDir>/test/harness/setup-env.ts'],
	reporters: ['default', '<rootDir>/test/harness/summary-reporter.js'],
	maxWorkers: 2,
};
