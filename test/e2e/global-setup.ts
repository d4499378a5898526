/**
 * Starts the e2e instance once for all test files: a brand-new n8n of the line N8N_LINE names
 * (2 by default; fresh .sandbox/e2e-n8n<line>), free ports, this package built, packed and
 * installed as a community package, the stand-ins, the owner, one credential of each type,
 * the examples imported and the trigger workflow active.
 */
import fs from 'node:fs';
import path from 'node:path';

import { say } from '../../scripts/lib/log';
import { startSandbox } from '../../scripts/sandbox';
import { E2E_DIR, E2E_LINE, E2E_STATE_FILE, type E2eState } from './state';

export default async function globalSetup() {
	const began = Date.now();
	const line = E2E_LINE();
	process.stdout.write('\n');
	say(`e2e: starting a real n8n ${line.version} (${line.label}) with this package (log in ${E2E_DIR()}/n8n.log)`);
	const sandbox = await startSandbox({
		line,
		name: path.basename(E2E_DIR()),
		fresh: true,
		build: process.env.E2E_SKIP_BUILD !== '1',
		echoN8n: process.env.E2E_ECHO_N8N === '1',
		ports: { n8n: 0, kanfang123: 0, aicc: 0, incs: 0, openai: 0 },
	});
	(globalThis as { __E2E_SANDBOX__?: unknown }).__E2E_SANDBOX__ = sandbox;
	const state: E2eState = {
		line: line.id,
		n8nVersion: sandbox.runtime.version,
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
		`e2e: n8n ${sandbox.runtime.version} ready at ${sandbox.url} on ${sandbox.runtime.node} — setup took ` +
			`${Math.round((Date.now() - began) / 1000)} s (install/check ${sandbox.timings.installSeconds} s, ` +
			`n8n start ${sandbox.timings.startSeconds} s)`,
	);
}
