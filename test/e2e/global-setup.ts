/**
 * Starts the e2e instance once for all test files: a brand-new n8n (fresh .sandbox/e2e), free
 * ports, this package built, packed and installed as a community package, the stand-ins, the
 * owner, one credential of each type, the examples imported and the trigger workflow active.
 */
import fs from 'node:fs';

import { say } from '../../scripts/lib/log';
import { startSandbox } from '../../scripts/sandbox';
import { E2E_STATE_FILE, type E2eState } from './state';

export default async function globalSetup() {
	const began = Date.now();
	process.stdout.write('\n');
	say('e2e: starting a real n8n with this package (see .sandbox/e2e/n8n.log)');
	const sandbox = await startSandbox({
		name: 'e2e',
		fresh: true,
		build: process.env.E2E_SKIP_BUILD !== '1',
		echoN8n: process.env.E2E_ECHO_N8N === '1',
		ports: { n8n: 0, kanfang123: 0, aicc: 0, incs: 0 },
	});
	(globalThis as { __E2E_SANDBOX__?: unknown }).__E2E_SANDBOX__ = sandbox;
	const state: E2eState = {
		url: sandbox.url,
		owner: sandbox.owner,
		standIns: sandbox.standIns.urls,
		credentials: sandbox.credentials,
		workflows: sandbox.workflows,
		missing: sandbox.missing,
		logFile: sandbox.n8n.logFile,
		timings: { ...sandbox.timings, began },
	};
	fs.writeFileSync(E2E_STATE_FILE(), JSON.stringify(state, null, 2));
	say(
		`e2e: n8n ready at ${sandbox.url} — setup took ${Math.round((Date.now() - began) / 1000)} s ` +
			`(n8n install ${sandbox.timings.installSeconds} s, n8n start ${sandbox.timings.startSeconds} s)`,
	);
}
