/**
 * Cost per callback of the 123kanfang Trigger inside a real n8n, next to n8n's own Webhook node
 * (Respond: Immediately) answering the same POSTs (issue 14, item 2); the flood refusal figures
 * (issue 11) come from test/e2e/triggerHardening.e2e.ts. Starts a fresh sandbox n8n of the chosen line (N8N_LINE=1|2, default 2)
 * with this package built and installed, creates one workflow per receiver (trigger → No Op),
 * warms each up, then sends BENCH_CALLBACKS (default 400) signed callbacks, BENCH_CONCURRENCY
 * (default 50) at a time, and prints ms per callback (until every POST was answered, and until
 * every execution had finished) and the ratio ours ÷ Webhook node. The receivers alternate for
 * BENCH_ROUNDS (default 3) rounds; each one's best round is compared.
 *
 *     tsc -p tsconfig.scripts.json && node build/scripts/bench/callbacksN8n.js
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { PACKAGE_NAME } from '../lib/examples';
import { selectedLine } from '../lib/n8n-lines';
import type { N8nRest, WorkflowBody } from '../lib/rest';
import { startSandbox } from '../sandbox';
import { formBody, senderSign, type Params } from '../../stand-ins/callback';
import { burst, type BurstResult } from './callbackLoad';

export interface ReceiverFigures {
	name: string;
	burst: BurstResult;
	/** Wall time from the first POST until the last execution had finished. */
	executedMs: number;
	executions: number;
}

function receiverWorkflow(name: string, node: Record<string, unknown>): WorkflowBody {
	return {
		name,
		nodes: [
			{ id: randomUUID(), position: [0, 0], ...node },
			{ id: randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
		],
		connections: { [String(node.name)]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
	};
}

async function finishedExecutions(rest: N8nRest, workflowId: string): Promise<number> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ['success'] }));
	const page = await rest.request<{ count?: number; results?: unknown[] }>('GET', `/rest/executions?filter=${filter}&limit=1`);
	return Number(page.count ?? page.results?.length ?? 0);
}

async function activate(rest: N8nRest, workflow: WorkflowBody, webhookPath: string) {
	const { id } = await rest.createWorkflow(workflow);
	await rest.activateWorkflow(id);
	return { id, url: `${rest.baseUrl}/webhook/${webhookPath}` };
}

/**
 * Our trigger and n8n's Webhook node on one running n8n: `count` callbacks each, `concurrency`
 * at a time, after `warmUp` callbacks each.
 */
async function measureReceivers(
	rest: N8nRest,
	credential: { id: string; name: string; signKey: string },
	options: { count: number; concurrency: number; warmUp: number; rounds: number },
): Promise<{
	ours: ReceiverFigures;
	webhookNode: ReceiverFigures;
	ratio: number;
	rounds: Array<{ webhookNode: ReceiverFigures; ours: ReceiverFigures }>;
}> {
	const ourHook = randomUUID();
	const ours = await activate(
		rest,
		receiverWorkflow(`bench: 123kanfang Trigger ${ourHook.slice(0, 8)}`, {
			name: '123kanfang Trigger',
			type: `${PACKAGE_NAME}.kanfang123Trigger`,
			typeVersion: 2,
			webhookId: ourHook,
			parameters: { event: 'taskStateChanged' },
			credentials: { kanfang123WebhookApi: { id: credential.id, name: credential.name } },
		}),
		`${ourHook}/webhook`,
	);
	const theirHook = randomUUID();
	const theirPath = `bench-${theirHook.slice(0, 8)}`;
	const theirs = await activate(
		rest,
		receiverWorkflow(`bench: Webhook node ${theirHook.slice(0, 8)}`, {
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: theirHook,
			parameters: { httpMethod: 'POST', path: theirPath, responseMode: 'onReceived', options: {} },
		}),
		theirPath,
	);

	let serial = 0;
	const request = () => {
		const id = `${Date.now()}-${serial++}`;
		const params: Params = [
			['state', '50000'],
			['houseTaskId', `task-${id}`],
			['houseId', `house-${id}`],
			['packageId', `pkg-${id}`],
		];
		const timestamp = String(Date.now());
		return {
			body: formBody(params),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				timestamp,
				sign: senderSign(credential.signKey, params, timestamp),
			},
		};
	};

	const run = async (name: string, target: { id: string; url: string }): Promise<ReceiverFigures> => {
		await burst(target.url, options.warmUp, Math.min(options.concurrency, options.warmUp), request);
		const start = await finishedExecutions(rest, target.id);
		const began = performance.now();
		const result = await burst(target.url, options.count, options.concurrency, request);
		const expected = start + options.count;
		let done = start;
		const deadline = Date.now() + 300_000;
		while (done < expected && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			done = await finishedExecutions(rest, target.id);
		}
		return { name, burst: result, executedMs: performance.now() - began, executions: done - start };
	};

	// Alternate the two receivers round by round, so that load from elsewhere on the machine
	// hits both alike; each receiver's best round counts (the least disturbed one).
	const rounds: Array<{ webhookNode: ReceiverFigures; ours: ReceiverFigures }> = [];
	for (let round = 0; round < options.rounds; round++) {
		rounds.push({ webhookNode: await run("n8n's Webhook node", theirs), ours: await run('123kanfang Trigger', ours) });
	}
	await rest.deactivateWorkflow(ours.id);
	await rest.deactivateWorkflow(theirs.id);
	const best = (pick: (r: (typeof rounds)[number]) => ReceiverFigures) =>
		rounds.map(pick).reduce((a, b) => (b.burst.msPerCallback < a.burst.msPerCallback ? b : a));
	const oursBest = best((r) => r.ours);
	const theirsBest = best((r) => r.webhookNode);
	return { ours: oursBest, webhookNode: theirsBest, ratio: oursBest.burst.msPerCallback / theirsBest.burst.msPerCallback, rounds };
}

const fmt = (ms: number) => ms.toFixed(2);

async function main() {
	const line = selectedLine(process.argv.slice(2));
	const count = Number(process.env.BENCH_CALLBACKS ?? 400);
	const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
	const sandbox = await startSandbox({
		line,
		name: `bench-callbacks-n8n${line.id}`,
		fresh: true,
		build: process.env.BENCH_SKIP_BUILD !== '1',
		echoN8n: false,
		ports: { n8n: 0, kanfang123: 0, aicc: 0, incs: 0, openai: 0 },
	});
	try {
		const credential = sandbox.credentials.kanfang123WebhookApi;
		const signKey = String(credential.data.signSecret);
		const figures = await measureReceivers(sandbox.rest, { id: credential.id, name: credential.name, signKey }, {
			count,
			concurrency,
			warmUp: 20,
			rounds: Number(process.env.BENCH_ROUNDS ?? 3),
		});
		process.stdout.write(`\nCallbacks in n8n ${sandbox.runtime.version}: ${count} signed POSTs, ${concurrency} at a time\n`);
		for (const [index, round] of figures.rounds.entries()) {
			process.stdout.write(
				`  round ${index + 1}: Webhook node ${fmt(round.webhookNode.burst.msPerCallback)} ms, ` +
					`ours ${fmt(round.ours.burst.msPerCallback)} ms per callback answered\n`,
			);
		}
		process.stdout.write('  best round of each:\n');
		for (const row of [figures.webhookNode, figures.ours]) {
			process.stdout.write(
				`  ${row.name.padEnd(22)} ${fmt(row.burst.msPerCallback)} ms/callback answered ` +
					`(${Math.round(row.burst.answeredMs)} ms), ${fmt(row.executedMs / count)} ms/callback executed ` +
					`(${row.executions} executions), statuses ${JSON.stringify(row.burst.statuses)}\n`,
			);
		}
		process.stdout.write(`  ratio ours ÷ Webhook node (answered): ${figures.ratio.toFixed(2)}×\n`);
	} finally {
		await sandbox.stop();
	}
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
