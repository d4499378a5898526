/**
 * `npm run test:queue`: n8n 2.x in queue mode (one main, two workers, one webhook processor) on
 * the machine's Postgres and Redis, with this package installed in every process. One file,
 * its cases in order; the cluster is started in beforeAll and removed (processes, database,
 * Redis keys) in afterAll whatever happened. See test/queue/cluster.queue.ts.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	maxWorkers: 1,
	testTimeout: 300000,
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
