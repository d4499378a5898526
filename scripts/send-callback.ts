/**
 * Plays 123kanfang for the running sandbox: posts a signed "task state changed" callback to the
 * production URL of the example trigger workflow, as 123kanfang would when a task is done.
 *
 *     node build/scripts/send-callback.js [state] [packageId]
 *
 * Defaults: state 50000 (Completed) and the package of the task the sandbox seeds as
 * completed, so the workflow runs and pushes that package. Add `--tamper` to change the body
 * after signing (n8n then answers 401 and starts nothing).
 */
import fs from 'node:fs';
import path from 'node:path';

import { senderSign } from '../stand-ins/callback';
import { projectRoot } from './lib/paths';
import { SEEDED_COMPLETED_TASK, STAND_IN_SECRETS } from './lib/stand-ins';

const EXAMPLE = 'kanfang123-push-completed-package.json';

async function main() {
	const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
	const tamper = process.argv.includes('--tamper');
	const port = process.env.SANDBOX_N8N_PORT || '5678';
	const example = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'examples', EXAMPLE), 'utf8')) as {
		nodes: Array<{ type: string; webhookId?: string }>;
	};
	const trigger = example.nodes.find((n) => n.type.endsWith('.kanfang123Trigger'));
	const url = `http://127.0.0.1:${port}/webhook/${trigger?.webhookId}/webhook`;
	const fields: Record<string, string> = {
		state: args[0] ?? '50000',
		houseTaskId: 'task-from-send-callback',
		houseId: 'house-from-send-callback',
		packageId: args[1] ?? SEEDED_COMPLETED_TASK.packageId,
		userId: 'user-7',
		userName: SEEDED_COMPLETED_TASK.userName,
	};
	const timestamp = String(Date.now());
	const signature = senderSign(STAND_IN_SECRETS.kanfang123Webhook.signKey, fields, timestamp);
	if (tamper) fields.packageId = `${fields.packageId}-tampered`;
	const body = new URLSearchParams(fields).toString();
	process.stdout.write(`POST ${url}\n  sign: ${signature}\n  timestamp: ${timestamp}\n  ${body}\n`);
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', sign: signature, timestamp },
		body,
	});
	process.stdout.write(`→ HTTP ${response.status} ${await response.text()}\n`);
	if (response.status === 200 && fields.state === '50000') {
		process.stdout.write('Open the workflow\'s "Executions" tab in the editor to see the run.\n');
	} else if (response.status === 200) {
		process.stdout.write('Accepted, but the example workflow only starts for Completed (50000).\n');
	}
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).message}\n(Is the sandbox running? Start it with npm start.)\n`);
	process.exit(1);
});
