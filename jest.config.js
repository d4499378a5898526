/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
		// A few ESM-only packages deep in n8n-core's dependency tree (used by its AI-tool code);
		// Node 20 can require() them, Jest's module loader cannot, so Jest transpiles them.
		'^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
	},
	transformIgnorePatterns: ['/node_modules/(?!(p-retry|is-network-error)/)'],
	setupFiles: ['<rootDir>/test/setup-env.js'],
	// Stops n8n-core's one service with a timer after each file, so Jest ends on its own.
	setupFilesAfterEnv: ['<rootDir>/test/harness/n8nServices.ts'],
	testTimeout: 30000,
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
