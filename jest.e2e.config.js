/**
 * End-to-end tests in a real n8n (`npm run test:e2e`): kept out of `npm test` because they install n8n
 * (minutes on a cache miss) and need the mail sandbox. One worker: the suite shares one n8n server.
 * @type {import('jest').Config}
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
	},
	testTimeout: 300000,
	maxWorkers: 1,
};
