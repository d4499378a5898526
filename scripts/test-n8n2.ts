/**
 * `npm run test:unit:n8n2`: the Jest suite once more, against n8n-core and n8n-workflow 2.x on
 * Node 24 — what n8n 2.x runs our nodes with (`npm run test:unit` uses the 1.x packages of our
 * devDependencies on the machine's Node 20). The 2.x packages and Node 24 are those of the
 * n8n 2.x runtime (installed on first use, see lib/runtime.ts); test/jest.n8n2.config.js maps
 * the imports of n8n-core, n8n-workflow and their DI container to them.
 *
 *     npm run test:unit:n8n2 [-- jest arguments, e.g. a test file]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { say } from './lib/log';
import { N8N_LINES } from './lib/n8n-lines';
import { projectRoot } from './lib/paths';
import { ensureN8n } from './lib/runtime';

async function main() {
	const runtime = await ensureN8n(N8N_LINES['2']);
	const modules = path.join(runtime.dir, 'node_modules');
	const version = (name: string) =>
		(JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')) as { version: string }).version;
	say(`unit tests against n8n-core ${version('n8n-core')} and n8n-workflow ${version('n8n-workflow')} on ${runtime.node}`);
	const jest = require.resolve('jest/bin/jest', { paths: [projectRoot()] });
	// n8n-core 2.x import()s the ESM package file-type to sniff binary data; Jest allows that
	// only with this flag.
	const nodeFlags = ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'];
	const result = spawnSync(runtime.node, [...nodeFlags, jest, '-c', 'test/jest.n8n2.config.js', ...process.argv.slice(2)], {
		cwd: projectRoot(),
		stdio: 'inherit',
		env: { ...process.env, N8N2_NODE_MODULES: modules },
	});
	process.exitCode = result.status ?? 1;
}

main().catch((error: Error) => {
	process.stderr.write(`${error.message}\n`);
	process.exitCode = 1;
});
