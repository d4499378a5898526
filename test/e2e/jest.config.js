/**
 * End-to-end tests against a real n8n (`npm run test:e2e`). Kept apart from the unit tests:
 * the main jest config only matches test/**\/*.test.ts, these files are *.e2e.ts.
 * globalSetup installs (first time only) and starts the n8n of the line N8N_LINE names (2 by
 * default; `npm run test:e2e` runs 2, then 1) with this package and the stand-ins;
 * the files then share that one instance, one after another.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	maxWorkers: 1,
	testTimeout: 120000,
	// First run: installing n8n takes minutes (globalSetup has no timeout of its own).
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
