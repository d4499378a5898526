import fs from 'node:fs';

import { say } from '../../scripts/lib/log';
import type { Sandbox } from '../../scripts/sandbox';
import { E2E_STATE_FILE, E2E_TIMINGS_FILE, type E2eState } from './state';

export default async function globalTeardown() {
	const sandbox = (globalThis as { __E2E_SANDBOX__?: Sandbox }).__E2E_SANDBOX__;
	if (!sandbox) return;
	await sandbox.stop();
	const state = JSON.parse(fs.readFileSync(E2E_STATE_FILE(), 'utf8')) as E2eState;
	const totalSeconds = Math.round((Date.now() - state.timings.began) / 1000);
	const timings = {
		n8nVersion: state.n8nVersion,
		totalSeconds,
		n8nInstallSeconds: state.timings.installSeconds,
		n8nStartSeconds: state.timings.startSeconds,
		setupSeconds: state.timings.totalSeconds,
		finishedAt: new Date().toISOString(),
	};
	fs.writeFileSync(E2E_TIMINGS_FILE(), JSON.stringify(timings, null, 2));
	say(
		`e2e: n8n ${state.n8nVersion} stopped. Whole e2e run against n8n ${state.n8nVersion}: ${totalSeconds} s (setup ${state.timings.totalSeconds} s incl. ` +
			`n8n install ${state.timings.installSeconds} s and start ${state.timings.startSeconds} s)`,
	);
}
