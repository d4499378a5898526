/**
 * `npm run bench:n8n`: throughput inside a real n8n, side by side, for n8n 2.x and 1.x (single
 * instance), then n8n 2.x in queue mode with two workers (needs Postgres + Redis, see
 * scripts/lib/queue-cluster.ts). Prints items/s and ratios as a table.
 *
 * - actions: 1,000 items through 123kanfang Assign Capture Task vs the HTTP Request node making
 *   the same call (same form body, same token), stand-in answering after 20 ms; equal rate
 *   (10 per batch every 20 ms: our Parallel Requests 10 + Batch Interval 20, the HTTP Request
 *   node's Batching 10 / 20 ms) and flat out (ours Parallel Requests 50, the HTTP Request node
 *   without batching). Timed from the POST to a Webhook (Respond: When Last Node Finishes) to
 *   its answer, best of 2 runs after a warm-up.
 * - callbacks: signed callbacks, 20 at a time, through our trigger vs n8n's Webhook node vs a
 *   hand-built Webhook + Crypto (MD5) + IF flow checking the same signature; callbacks/s until
 *   the last one is answered (each answer is given once the execution is queued/started).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

import type { Params } from '../stand-ins/callback';
import { senderSign, sendCallback } from '../stand-ins/callback';
import { demoAccountCredential, Kanfang123StandIn } from '../stand-ins/kanfang123';
import { say } from './lib/log';
import { N8N_LINES } from './lib/n8n-lines';
import { buildPackage, packPackage } from './lib/package';
import { sandboxDir } from './lib/paths';
import { checkServices, startCluster } from './lib/queue-cluster';
import { N8nRest } from './lib/rest';
import { ensureN8n } from './lib/runtime';
import { OWNER, startSandbox } from './sandbox';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);
const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 300);
const SIGN_KEY = 'bench-sign-key-0123456789';
const TOKEN = 'static-token-123';

type Node = Record<string, unknown>;
interface Row {
	mode: string;
	case: string;
	ours: number;
	theirs: number;
	theirsName: string;
	unit: string;
}

const node = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Node = {}): Node => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [0, 0],
	parameters,
	...extra,
});
const chain = (...names: string[]) =>
	Object.fromEntries(names.slice(0, -1).map((n, i) => [n, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < items.length) await work(items[next++]);
		}),
	);
}

interface Target {
	rest: N8nRest;
	/** Base URL production webhooks are called on (main, or the webhook processor). */
	webhookBase: string;
	kanfangUrl: string;
	credentials: { api: { id: string; name: string }; webhook: { id: string; name: string } };
}

async function active(target: Target, nodes: Node[], connections: Record<string, unknown>) {
	const { id } = await target.rest.createWorkflow({ name: `bench ${randomUUID().slice(0, 8)}`, nodes, connections, settings: {} });
	await target.rest.activateWorkflow(id);
}

async function actionFlow(target: Target, action: Node): Promise<(keys: string[]) => Promise<number>> {
	const path = `bench-${randomUUID().slice(0, 8)}`;
	await active(
		target,
		[
			node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: randomUUID() }),
			node('Split', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.houses', options: {} }),
			{ ...action, name: 'Action' },
		],
		chain('Webhook', 'Split', 'Action'),
	);
	return async (keys) => {
		const started = Date.now();
		const response = await fetch(`${target.webhookBase}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ houses: keys.map((key) => ({ key })) }),
			signal: AbortSignal.timeout(300_000),
		});
		await response.text();
		if (!response.ok) throw new Error(`bench webhook answered ${response.status}`);
		return Date.now() - started;
	};
}

const ASSIGN = '/v2/houseTask/AssignNewCaptureHouseTask';

function ours(target: Target, options: Record<string, unknown>): Node {
	return node('Action', 'n8n-nodes-task-dispatch.kanfang123', 1, {
		resource: 'houseTask',
		operation: 'assignCapture',
		userName: 'bench.photographer',
		houseName: '={{ "House " + $json.key }}',
		customerHouseId: '={{ $json.key }}',
		serviceId: 'svc-1',
		additionalFields: {},
		options,
	}, { credentials: { kanfang123Api: target.credentials.api } });
}

function httpRequest(target: Target, batching?: Record<string, unknown>): Node {
	return node('Action', 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url: `${target.kanfangUrl}${ASSIGN}`,
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'Authorization', value: TOKEN }] },
		sendBody: true,
		contentType: 'form-urlencoded',
		bodyParameters: {
			parameters: [
				{ name: 'userName', value: 'bench.photographer' },
				{ name: 'houseName', value: '={{ "House " + $json.key }}' },
				{ name: 'customerHouseId', value: '={{ $json.key }}' },
				{ name: 'serviceId', value: 'svc-1' },
			],
		},
		options: batching ? { batching: { batch: batching } } : {},
	});
}

async function timeFlow(run: (keys: string[]) => Promise<number>, label: string): Promise<number> {
	const keys = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${label}-${tag}-${i}`);
	await run(keys(50, 'warm'));
	let best = Infinity;
	for (const tag of ['a', 'b']) best = Math.min(best, await run(keys(ITEMS, tag)));
	return (ITEMS / best) * 1000;
}

async function actions(target: Target, mode: string): Promise<Row[]> {
	const rows: Row[] = [];
	const equalOurs = await timeFlow(await actionFlow(target, ours(target, { concurrency: 10, batchInterval: 20 })), `${mode}-eo`);
	const equalHttp = await timeFlow(await actionFlow(target, httpRequest(target, { batchSize: 10, batchInterval: 20 })), `${mode}-eh`);
	rows.push({ mode, case: '123kanfang Assign, equal rate (10 per 20 ms)', ours: equalOurs, theirs: equalHttp, theirsName: 'HTTP Request', unit: 'items/s' });
	const flatOurs = await timeFlow(await actionFlow(target, ours(target, { concurrency: 50 })), `${mode}-fo`);
	const flatHttp = await timeFlow(await actionFlow(target, httpRequest(target)), `${mode}-fh`);
	rows.push({ mode, case: '123kanfang Assign, flat out', ours: flatOurs, theirs: flatHttp, theirsName: 'HTTP Request', unit: 'items/s' });
	return rows;
}

async function callbackRate(url: string): Promise<number> {
	const make = (i: number) => {
		const params: Params = [
			['state', '50000'],
			['houseTaskId', `bench-${randomUUID()}`],
			['houseId', `house-${i}`],
			['packageId', `pkg-${i}`],
			['userId', 'u1'],
			['userName', 'bench.photographer'],
		];
		const timestamp = String(Date.now());
		return { params, timestamp, sign: senderSign(SIGN_KEY, params, timestamp) };
	};
	const send = async (i: number) => {
		const reply = await sendCallback(url, { key: SIGN_KEY, ...make(i) });
		if (reply.status !== 200) throw new Error(`callback answered ${reply.status}: ${reply.text.slice(0, 200)}`);
	};
	await pool(Array.from({ length: 20 }, (_, i) => i), 10, send);
	const started = Date.now();
	await pool(Array.from({ length: CALLBACKS }, (_, i) => i), 20, send);
	return (CALLBACKS / (Date.now() - started)) * 1000;
}

async function callbacks(target: Target, mode: string): Promise<Row[]> {
	const triggerId = randomUUID();
	await active(target, [node('Trigger', 'n8n-nodes-task-dispatch.kanfang123Trigger', 1, { event: 'taskStateChanged', taskStates: [50000], options: {} }, { webhookId: triggerId, credentials: { kanfang123WebhookApi: target.credentials.webhook } })], {});
	const plainPath = `plain-${randomUUID().slice(0, 8)}`;
	await active(target, [node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: plainPath, responseMode: 'onReceived', options: {} }, { webhookId: randomUUID() })], {});
	const handPath = `hand-${randomUUID().slice(0, 8)}`;
	await active(
		target,
		[
			node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: handPath, responseMode: 'onReceived', options: {} }, { webhookId: randomUUID() }),
			node('Crypto', 'n8n-nodes-base.crypto', 1, {
				action: 'hash',
				type: 'MD5',
				value: `={{ "${SIGN_KEY}" + Object.keys($json.body).sort().map(k => $json.body[k]).join("") + $json.headers.timestamp }}`,
				dataPropertyName: 'expectedSign',
			}),
			node('IF', 'n8n-nodes-base.if', 1, {
				conditions: { string: [{ value1: '={{ $json.expectedSign }}', value2: '={{ $json.headers.sign }}' }] },
			}),
		],
		chain('Webhook', 'Crypto', 'IF'),
	);
	const oursRate = await callbackRate(`${target.webhookBase}/webhook/${triggerId}/webhook`);
	const plainRate = await callbackRate(`${target.webhookBase}/webhook/${plainPath}`);
	const handRate = await callbackRate(`${target.webhookBase}/webhook/${handPath}`);
	return [
		{ mode, case: 'signed callbacks (20 at a time)', ours: oursRate, theirs: plainRate, theirsName: 'Webhook node', unit: 'callbacks/s' },
		{ mode, case: 'signed callbacks (20 at a time)', ours: oursRate, theirs: handRate, theirsName: 'Webhook + Crypto + IF', unit: 'callbacks/s' },
	];
}

function table(rows: Row[]): string {
	const lines = [
		'| n8n | case | ours | n8n\'s | ours ÷ n8n\'s |',
		'| --- | --- | --- | --- | --- |',
		...rows.map(
			(r) =>
				`| ${r.mode} | ${r.case} | ${Math.round(r.ours)} ${r.unit} | ${r.theirsName}: ${Math.round(r.theirs)} ${r.unit} | ${(r.ours / r.theirs).toFixed(2)}× |`,
		),
	];
	return lines.join('\n');
}

async function single(lineId: '1' | '2', build: boolean): Promise<Row[]> {
	const line = N8N_LINES[lineId];
	const sandbox = await startSandbox({ line, name: `bench-n8n${lineId}`, fresh: true, build, echoN8n: false, ports: { n8n: 0, kanfang123: 0, aicc: 0, incs: 0 } });
	try {
		sandbox.standIns.kanfang123.latencyMs = 20;
		sandbox.standIns.kanfang123.openTaskPolicy = 'return';
		const webhook = await sandbox.rest.createCredential('bench webhook', 'kanfang123WebhookApi', { signSecret: SIGN_KEY });
		const api = sandbox.credentials.kanfang123Api;
		const target: Target = {
			rest: sandbox.rest,
			webhookBase: sandbox.url,
			kanfangUrl: sandbox.standIns.urls.kanfang123,
			credentials: { api: { id: api.id, name: api.name }, webhook: { id: webhook.id, name: webhook.name } },
		};
		const mode = `${sandbox.runtime.version}`;
		return [...(await actions(target, mode)), ...(await callbacks(target, mode))];
	} finally {
		await sandbox.stop();
	}
}

async function queue(): Promise<Row[]> {
	await checkServices();
	const runtime = await ensureN8n(N8N_LINES['2']);
	const tarball = await packPackage(sandboxDir('pack', 'bench-queue'));
	const standIn = new Kanfang123StandIn();
	standIn.latencyMs = 20;
	standIn.openTaskPolicy = 'return';
	await standIn.start(0);
	const cluster = await startCluster({ runtime, tarball, root: sandboxDir('bench-queue'), env: { DB_POSTGRESDB_POOL_SIZE: '10' } });
	try {
		const rest = new N8nRest(cluster.main.url, runtime.line);
		await rest.ensureOwnerAndLogin(OWNER);
		const api = await rest.createCredential('bench 123kanfang', 'kanfang123Api', {
			...demoAccountCredential(standIn.baseUrl),
			clientEdition: 'ps_1.0.0',
			authorizationLocation: 'header',
		});
		const webhook = await rest.createCredential('bench webhook', 'kanfang123WebhookApi', { signSecret: SIGN_KEY });
		const target: Target = {
			rest,
			webhookBase: cluster.webhookUrl,
			kanfangUrl: standIn.baseUrl,
			credentials: { api: { id: api.id, name: api.name }, webhook: { id: webhook.id, name: webhook.name } },
		};
		const mode = `${runtime.version} queue (2 workers)`;
		return [...(await actions(target, mode)), ...(await callbacks(target, mode))];
	} finally {
		await cluster.stop();
		await standIn.stop();
	}
}

async function main() {
	const began = Date.now();
	const only = process.argv.slice(2).find((a) => a.startsWith('--only='))?.slice(7);
	const rows: Row[] = [];
	await buildPackage();
	if (!only || only === '2') rows.push(...(await single('2', false)));
	if (!only || only === '1') rows.push(...(await single('1', false)));
	if (!only || only === 'queue') rows.push(...(await queue()));
	const text = table(rows);
	fs.mkdirSync(sandboxDir(), { recursive: true });
	fs.writeFileSync(sandboxDir('bench-n8n.md'), `${text}\n`);
	say(`bench:n8n (${ITEMS} items, stand-in answering after 20 ms; ${CALLBACKS} callbacks) — took ${Math.round((Date.now() - began) / 1000)} s`);
	process.stdout.write(`\n${text}\n\n`);
}

main().catch((error) => {
	say(`bench:n8n failed: ${(error as Error).stack ?? error}`);
	process.exit(1);
});
