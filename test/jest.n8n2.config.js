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
	moduleNameMapper: Object.fromEntries(FROM_N8N2.map((name) => [`^${name}$`, path.join(modules, name)])),
};
