/**
 * `npm run bench` — throughput, overhead, memory and load time of the action nodes (issue 7).
 *
 * Every workload runs through the test Harness (n8n-core's WorkflowExecute with real execution
 * contexts and HTTP helpers) against the stand-in servers, which run in a separate process (as
 * a real API would) with injected latency:
 *
 * 1. 1,000 items through each action node (123kanfang Assign Capture Task, AICC Create, INCS
 *    Create) at 20 ms latency and 10 parallel requests: wall time, items/s, ratio to the ideal
 *    (items × latency ÷ parallelism), CPU per item (this process and the stand-ins'), peak RSS
 *    and heap; the same requests through a bare `helpers.httpRequest` pool (n8n's transport
 *    without any node logic), through n8n's own HTTP Request node (loaded from the n8n install
 *    of the sandbox, if present), and with axios directly (the machine's floor).
 * 2. Per-item cost at zero latency, and the overhead of each node over the bare baseline.
 * 3. Memory for 10,000 items: peak live heap, heap held with the output, heap left after it.
 * 4. Load time of each built module (nodes/**\/X.node.js, credentials/*.js, as compiled for this
 *    script: the same JavaScript as dist/), each in a fresh process that has n8n-workflow
 *    loaded already, as n8n has when it loads a community package.
 *
 * Compiled by tsconfig.bench.json into .cache/bench and run with --expose-gc.
 * Environment: BENCH_ITEMS (1000), BENCH_LATENCY (20), BENCH_PARALLEL (10), BENCH_MEMORY_ITEMS
 * (10000); BENCH_SECTIONS (e.g. "1,2": which of the four parts to run) and BENCH_ONLY (a word
 * of the workload names, e.g. "INCS") to narrow a run down, for profiling; BENCH_HTTP_NODE=off
 * leaves n8n's HTTP Request node out.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	IVersionedNodeType,
} from 'n8n-workflow';

import { runtimeDir } from './lib/runtime';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);
const LATENCY = Number(process.env.BENCH_LATENCY ?? 20);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 10);
const MEMORY_ITEMS = Number(process.env.BENCH_MEMORY_ITEMS ?? 10_000);
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? '1,2,3,4').split(',').map((s) => s.trim()));
const ONLY = process.env.BENCH_ONLY?.toLowerCase();

const KANFANG_TOKEN = 'bench-static-token-0001';
const AICC_CLIENT = { clientId: 'bench-client', clientSecret: 'bench-client-secret-0001' };
const INCS_TOKEN = 'bench-incs-token-0001';

const ASSIGN_PATH = '/v2/houseTask/AssignNewCaptureHouseTask';
const AICC_CREATE_PATH = '/service/AICC__Case/1.0.0/openapi/task';
const INCS_PATH = '/external/tasks';

// ---------------------------------------------------------------------------------------------
// The stand-in servers' process.

interface ServerInfo {
	kanfang: string;
	aicc: string;
	incs: string;
	aiccToken: string;
}

type ToServers = { type: 'latency'; ms: number } | { type: 'counts' };

async function serveStandIns() {
	const { Kanfang123StandIn } = await import('../stand-ins/kanfang123');
	const { AiccServer } = await import('../stand-ins/aicc');
	const { IncsServer } = await import('../stand-ins/incs');
	const kanfang = new Kanfang123StandIn();
	kanfang.staticTokens.add(KANFANG_TOKEN);
	const aicc = new AiccServer({ ...AICC_CLIENT, expiresIn: 86_400 });
	const incs = new IncsServer({ token: INCS_TOKEN });
	const servers = [kanfang, aicc, incs];
	const [kanfangUrl, aiccUrl, incsUrl] = await Promise.all(servers.map((s) => s.start()));
	const info: ServerInfo = { kanfang: kanfangUrl, aicc: aiccUrl, incs: incsUrl, aiccToken: aicc.issueToken(86_400) };
	process.send!({ type: 'ready', info });
	let cpu = process.cpuUsage();
	process.on('message', (message: ToServers) => {
		if (message.type === 'latency') {
			for (const server of servers) server.latencyMs = message.ms;
			process.send!({ type: 'ok' });
		} else {
			const counts: Record<string, number> = {};
			for (const server of servers) {
				for (const request of server.requests) counts[request.path] = (counts[request.path] ?? 0) + 1;
				server.resetRecording();
			}
			// Forget the tasks too: the stand-ins look tasks up by scanning, which would make later
			// runs slower on the server side.
			kanfang.tasks.length = 0;
			incs.tasks.length = 0;
			aicc.tasks.clear();
			const used = process.cpuUsage(cpu);
			cpu = process.cpuUsage();
			process.send!({ type: 'counts', counts, cpuMs: (used.user + used.system) / 1000 });
		}
	});
	process.on('disconnect', () => process.exit(0));
}

class Servers {
	private constructor(
		private readonly child: ChildProcess,
		readonly info: ServerInfo,
	) {}

	static async start(): Promise<Servers> {
		const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const info = await new Promise<ServerInfo>((resolve, reject) => {
			child.once('message', (message: { info: ServerInfo }) => resolve(message.info));
			child.once('exit', (code) => reject(new Error(`stand-in process exited (${code})`)));
		});
		return new Servers(child, info);
	}

	private ask<T>(message: ToServers): Promise<T> {
		return new Promise<T>((resolve) => {
			this.child.once('message', (reply: T) => resolve(reply));
			this.child.send(message);
		});
	}

	async latency(ms: number) {
		await this.ask({ type: 'latency', ms });
	}

	/** Requests per path, and the stand-ins' CPU time, since the last call. */
	async counts(): Promise<{ counts: Record<string, number>; cpuMs: number }> {
		return await this.ask<{ counts: Record<string, number>; cpuMs: number }>({ type: 'counts' });
	}

	stop() {
		this.child.disconnect();
	}
}

// ---------------------------------------------------------------------------------------------
// Workloads.

type Harness = import('../test/harness/run').Harness;
type Parameters = INodeParameters;
type Item = IDataObject;

interface Workload {
	name: string;
	/** The node under test: type, parameters, credentials. */
	node: (harness: Harness, options: Parameters) => { type: string; parameters: Parameters; credentials: Parameters };
	/** The same requests through the HTTP Request node. */
	http: (batching: Parameters | undefined) => Parameters;
	/** The same request as n8n's bare request helper gets it (the baseline without any node logic). */
	bare: (json: Item) => IHttpRequestOptions;
	items: (count: number, run: number) => Item[];
	path: string;
	tokenPath?: string;
}

const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
const BARE_TYPE = 'CUSTOM.bareRequest';

/** Request builders of the bare baseline node, by workload name. */
const bareBuilders = new Map<string, Workload['bare']>();

/**
 * The baseline: for each item one `this.helpers.httpRequest` with a request built in code (no
 * parameters, no expressions, no credential, no checks), Parallel Requests at a time. The
 * difference between a node and this is what the node adds to n8n's own HTTP transport.
 */
class BareRequestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bare request (benchmark baseline)',
		name: 'bareRequest',
		group: ['transform'],
		version: 1,
		description: 'One helpers.httpRequest per item',
		defaults: { name: 'Bare request' },
		inputs: ['main'] as INodeTypeDescription['inputs'],
		outputs: ['main'] as INodeTypeDescription['outputs'],
		properties: [
			{ displayName: 'Workload', name: 'workload', type: 'string', default: '' },
			{ displayName: 'Parallel', name: 'parallel', type: 'number', default: 10 },
		],
	};

	async execute(this: IExecuteFunctions) {
		const build = bareBuilders.get(this.getNodeParameter('workload', 0) as string)!;
		const parallel = this.getNodeParameter('parallel', 0) as number;
		const items = this.getInputData();
		const output: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const index = next++;
				const body = (await this.helpers.httpRequest(build(items[index].json))) as Item;
				output[index] = { json: body, pairedItem: { item: index } };
			}
		};
		await Promise.all(Array.from({ length: parallel }, worker));
		return [output];
	}
}

function headerParameters(headers: Record<string, string>) {
	return { parameters: Object.entries(headers).map(([name, value]) => ({ name, value })) };
}

function workloads(info: ServerInfo): Workload[] {
	return [
		{
			name: '123kanfang Assign Capture Task',
			path: ASSIGN_PATH,
			tokenPath: '/v2/Authorization/GetAccessToken',
			items: (count, run) => Array.from({ length: count }, (_, i) => ({ id: `R${run}-${i}`, name: `House ${i}` })),
			node: (harness, options) => {
				const kanfang = harness.credentials.add('kanfang123Api', {
					environment: 'custom',
					baseUrl: info.kanfang,
					authentication: 'account',
					username: 'demo',
					password: 'demo-password',
				});
				return {
					type: 'CUSTOM.kanfang123',
					parameters: {
						resource: 'houseTask',
						operation: 'assignCapture',
						userName: 'photographer-1',
						houseName: '={{ $json.name }}',
						customerHouseId: '={{ $json.id }}',
						serviceId: 'svc-1',
						options,
					},
					credentials: { kanfang123Api: kanfang } as unknown as Parameters,
				};
			},
			bare: (json) => ({
				method: 'POST',
				url: `${info.kanfang}${ASSIGN_PATH}`,
				headers: { Authorization: KANFANG_TOKEN, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: { userName: 'photographer-1', houseName: json.name, customerHouseId: json.id, serviceId: 'svc-1' },
				json: true,
			}),
			http: (batching) => ({
				method: 'POST',
				url: `${info.kanfang}${ASSIGN_PATH}`,
				sendHeaders: true,
				headerParameters: headerParameters({ Authorization: KANFANG_TOKEN }),
				sendBody: true,
				contentType: 'form-urlencoded',
				bodyParameters: {
					parameters: [
						{ name: 'userName', value: 'photographer-1' },
						{ name: 'houseName', value: '={{ $json.name }}' },
						{ name: 'customerHouseId', value: '={{ $json.id }}' },
						{ name: 'serviceId', value: 'svc-1' },
					],
				},
				options: batching ? { batching } : {},
			}),
		},
		{
			name: 'Huawei AICC Create',
			path: AICC_CREATE_PATH,
			tokenPath: '/baas/auth/v1.0/oauth2/token',
			items: (count) => Array.from({ length: count }, (_, i) => ({ name: `Call back ${i}` })),
			node: (harness, options) => {
				const aicc = harness.credentials.add('aiccApi', {
					domain: info.aicc,
					authentication: 'clientCredentials',
					...AICC_CLIENT,
				});
				return {
					type: 'CUSTOM.aicc',
					parameters: {
						resource: 'task',
						operation: 'create',
						title: '={{ $json.name }}',
						ownerId: 'owner-1',
						creatorId: 'creator-1',
						options,
					},
					credentials: { aiccApi: aicc } as unknown as Parameters,
				};
			},
			bare: (json) => ({
				method: 'POST',
				url: `${info.aicc}${AICC_CREATE_PATH}`,
				headers: { 'access-token': info.aiccToken },
				body: { taskInfo: { title: json.name, ownerId: 'owner-1', creatorId: 'creator-1' } },
				json: true,
			}),
			http: (batching) => ({
				method: 'POST',
				url: `${info.aicc}${AICC_CREATE_PATH}`,
				sendHeaders: true,
				headerParameters: headerParameters({ 'access-token': info.aiccToken }),
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: "={{ JSON.stringify({ taskInfo: { title: $json.name, ownerId: 'owner-1', creatorId: 'creator-1' } }) }}",
				options: batching ? { batching } : {},
			}),
		},
		{
			name: 'INCS Create and Assign',
			path: INCS_PATH,
			items: (count, run) =>
				Array.from({ length: count }, (_, i) => ({ phone: `62${String(run).padStart(3, '0')}${String(i).padStart(7, '0')}` })),
			node: (harness, options) => {
				const incs = harness.credentials.add('incsApi', { baseUrl: info.incs, apiToken: INCS_TOKEN });
				return {
					type: 'CUSTOM.incs',
					parameters: {
						resource: 'task',
						operation: 'create',
						name: 'Payment reminder',
						authId: 30058,
						userPhone: '={{ $json.phone }}',
						assigneeUsername: 'agent-1',
						options,
					},
					credentials: { incsApi: incs } as unknown as Parameters,
				};
			},
			bare: (json) => ({
				method: 'POST',
				url: `${info.incs}${INCS_PATH}`,
				headers: { Authorization: `Bearer ${INCS_TOKEN}` },
				body: { name: 'Payment reminder', type: 3, auth_id: 30058, user_phone: json.phone, assignee_username: 'agent-1' },
				json: true,
			}),
			http: (batching) => ({
				method: 'POST',
				url: `${info.incs}${INCS_PATH}`,
				sendHeaders: true,
				headerParameters: headerParameters({ Authorization: `Bearer ${INCS_TOKEN}` }),
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody:
					"={{ JSON.stringify({ name: 'Payment reminder', type: 3, auth_id: 30058, user_phone: $json.phone, assignee_username: 'agent-1' }) }}",
				options: batching ? { batching } : {},
			}),
		},
	];
}

// ---------------------------------------------------------------------------------------------
// Measuring.

interface Measurement {
	wallMs: number;
	cpuMs: number;
	peakRssMb: number;
	peakHeapMb: number;
	rssGrowthMb: number;
	heapGrowthMb: number;
	/** Live heap over the baseline right after the run, output still held (after a full GC). */
	heldMb: number;
	/** Live heap over the baseline once the output is released (after a full GC): leaks. */
	retainedMb: number;
	outputs: number;
	errors: number;
	counts: Record<string, number>;
	/** CPU time of the stand-in servers' process during the run. */
	serverCpuMs: number;
}

const MB = 1024 * 1024;
const gc = () => (global as { gc?: () => void }).gc?.();

let runCounter = 0;

/**
 * Runs one workload and measures it. Memory is sampled every 10 ms; with `liveHeap` a full GC
 * runs before every sample (every 500 ms), so the peak heap is the peak of live objects rather
 * than of garbage V8 has not collected yet.
 */
async function measure(
	servers: Servers,
	run: (run: number) => Promise<{ items: Array<{ json: Item }>; error?: unknown }>,
	liveHeap = false,
): Promise<Measurement> {
	gc();
	gc();
	const before = process.memoryUsage();
	let peakRss = before.rss;
	let peakHeap = before.heapUsed;
	const sampler = setInterval(
		() => {
			if (liveHeap) gc();
			const now = process.memoryUsage();
			peakRss = Math.max(peakRss, now.rss);
			peakHeap = Math.max(peakHeap, now.heapUsed);
		},
		liveHeap ? 500 : 10,
	);
	const cpu = process.cpuUsage();
	const started = performance.now();
	let result: { items: Array<{ json: Item }>; error?: unknown } | undefined = await run(++runCounter);
	const wallMs = performance.now() - started;
	const cpuUsed = process.cpuUsage(cpu);
	clearInterval(sampler);
	if (liveHeap) gc();
	const end = process.memoryUsage();
	peakRss = Math.max(peakRss, end.rss);
	peakHeap = Math.max(peakHeap, end.heapUsed);
	const held = end.heapUsed - before.heapUsed;
	const outputs = result.items.length;
	// Error items carry a text `error` (INCS's own success envelope has an empty `error` object).
	const errors = result.items.filter((item) => typeof item.json.error === 'string').length + (result.error ? 1 : 0);
	if (result.error) console.error('  run failed:', (result.error as Error).message);
	result = undefined;
	// Let closed sockets and their request objects go before measuring what stays.
	await new Promise((resolve) => setTimeout(resolve, 300));
	gc();
	gc();
	const retained = process.memoryUsage().heapUsed - before.heapUsed;
	return {
		wallMs,
		cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
		peakRssMb: peakRss / MB,
		peakHeapMb: peakHeap / MB,
		rssGrowthMb: (peakRss - before.rss) / MB,
		heapGrowthMb: (peakHeap - before.heapUsed) / MB,
		heldMb: held / MB,
		retainedMb: retained / MB,
		outputs,
		errors,
		...(await servers.counts().then(({ counts, cpuMs }) => ({ counts, serverCpuMs: cpuMs }))),
	};
}

// ---------------------------------------------------------------------------------------------
// Module load times (fresh process each).

const LOAD_SCRIPT = `
const { performance } = require('node:perf_hooks');
const path = require('node:path');
const [file, name] = process.argv.slice(1);
const t0 = performance.now();
require(require.resolve('n8n-workflow', { paths: [path.dirname(file)] }));
const t1 = performance.now();
const exported = require(file)[name];
new exported();
const t2 = performance.now();
process.stdout.write(JSON.stringify({ workflow: t1 - t0, own: t2 - t1 }));
`;

function builtModules(root: string): Array<{ file: string; name: string }> {
	const found: Array<{ file: string; name: string }> = [];
	for (const folder of ['nodes', 'credentials']) {
		const walk = (dir: string) => {
			if (!fs.existsSync(dir)) return;
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(full);
				else if (/\.(node|credentials)\.js$/.test(entry.name)) found.push({ file: full, name: entry.name.split('.')[0] });
			}
		};
		walk(path.join(root, folder));
	}
	return found;
}

function median(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

// ---------------------------------------------------------------------------------------------
// Output.

const fmt = (value: number, digits = 0) => value.toFixed(digits);

function table(rows: string[][]) {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	for (const [index, row] of rows.entries()) {
		console.log(`  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`);
		if (index === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
	}
}

const verdicts: Array<{ target: string; ok: boolean; detail: string }> = [];
function verdict(target: string, ok: boolean, detail: string) {
	verdicts.push({ target, ok, detail });
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const root = path.resolve(__dirname, '..', '..', '..');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-task-dispatch-bench-'));
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
	process.env.N8N_LOG_LEVEL = 'silent';
	const benchStarted = performance.now();

	const { Harness } = await import('../test/harness/run');
	const { Kanfang123 } = await import('../nodes/Kanfang123/Kanfang123.node');
	const { Aicc } = await import('../nodes/Aicc/Aicc.node');
	const { Incs } = await import('../nodes/Incs/Incs.node');
	const { Kanfang123Api } = await import('../credentials/Kanfang123Api.credentials');
	const { AiccApi } = await import('../credentials/AiccApi.credentials');
	const { IncsApi } = await import('../credentials/IncsApi.credentials');

	// n8n's HTTP Request node, from the n8n install the sandbox uses.
	const httpRequestFile = path.join(runtimeDir(), 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js');
	let httpRequestNode: IVersionedNodeType | undefined;
	let httpRequestSkip = '';
	if (process.env.BENCH_HTTP_NODE === 'off') {
		httpRequestSkip = 'BENCH_HTTP_NODE=off';
	} else if (fs.existsSync(httpRequestFile)) {
		try {
			const { HttpRequest } = require(httpRequestFile) as { HttpRequest: new () => IVersionedNodeType };
			httpRequestNode = new HttpRequest();
		} catch (error) {
			httpRequestSkip = `could not load ${httpRequestFile}: ${(error as Error).message}`;
		}
	} else {
		httpRequestSkip = `${httpRequestFile} not found (run "npm start" once to install n8n)`;
	}

	const servers = await Servers.start();
	const newHarness = () =>
		new Harness({
			nodes: [
				{ type: 'CUSTOM.kanfang123', node: new Kanfang123() },
				{ type: 'CUSTOM.aicc', node: new Aicc() },
				{ type: 'CUSTOM.incs', node: new Incs() },
				{ type: BARE_TYPE, node: new BareRequestNode() },
				...(httpRequestNode ? [{ type: HTTP_REQUEST_TYPE, node: httpRequestNode }] : []),
			],
			credentialTypes: [new Kanfang123Api(), new AiccApi(), new IncsApi()],
		});

	const runNode = (workload: Workload, count: number, parallel: number, batchInterval = 0) => async (run: number) => {
		const harness = newHarness();
		const node = workload.node(harness, { concurrency: parallel, batchInterval });
		return await harness.run({
			type: node.type,
			parameters: node.parameters,
			credentials: node.credentials as never,
			items: workload.items(count, run),
		});
	};
	const runHttp = (workload: Workload, count: number, batching: Parameters | undefined) => async (run: number) =>
		await newHarness().run({
			type: HTTP_REQUEST_TYPE,
			parameters: workload.http(batching),
			items: workload.items(count, run),
			typeVersion: 4.2,
		});

	const runBare = (workload: Workload, count: number, parallel: number) => async (run: number) =>
		await newHarness().run({
			type: BARE_TYPE,
			parameters: { workload: workload.name, parallel },
			items: workload.items(count, run),
		});

	/**
	 * Below n8n: the same requests with axios directly, a pool of `parallel`, either with a new
	 * connection per request (n8n-core creates a new http.Agent for every request) or over
	 * keep-alive connections. This is the transport floor of this machine.
	 */
	const axios = (await import('axios')).default;
	const http = await import('node:http');
	const runRaw = (workload: Workload, count: number, parallel: number, keepAlive: boolean) => async (run: number) => {
		const items = workload.items(count, run);
		const agent = new http.Agent({ keepAlive });
		const output: Array<{ json: Item }> = new Array(items.length);
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const index = next++;
				const request = workload.bare(items[index]);
				const headers = (request.headers ?? {}) as Record<string, string>;
				const form = String(headers['Content-Type'] ?? '').includes('x-www-form-urlencoded');
				const response = await axios.request({
					method: request.method,
					url: request.url,
					headers,
					data: form ? new URLSearchParams(request.body as Record<string, string>) : request.body,
					httpAgent: keepAlive ? agent : new http.Agent(),
				});
				output[index] = { json: response.data as Item };
			}
		};
		await Promise.all(Array.from({ length: parallel }, worker));
		agent.destroy();
		return { items: output };
	};

	const list = workloads(servers.info).filter((w) => !ONLY || w.name.toLowerCase().includes(ONLY));
	for (const workload of list) bareBuilders.set(workload.name, workload.bare);

	console.log(`n8n-nodes-task-dispatch benchmark — Node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'})`);
	console.log('Stand-in servers in a separate process; nodes run in n8n-core\'s WorkflowExecute (test Harness).');
	console.log(`HTTP Request node: ${httpRequestNode ? httpRequestFile : `skipped — ${httpRequestSkip}`}`);

	// Warm-up: JIT, sockets, n8n-core's lazy services.
	await servers.latency(0);
	for (const workload of list) {
		await measure(servers, runNode(workload, 200, PARALLEL));
		await measure(servers, runBare(workload, 200, PARALLEL));
		if (httpRequestNode) await measure(servers, runHttp(workload, 200, { batch: { batchSize: PARALLEL, batchInterval: 1 } }));
	}

	if (SECTIONS.has('1')) {
		// 1. Throughput at latency.
		const ideal = (ITEMS * LATENCY) / PARALLEL;
		console.log(
			`\n1. ${ITEMS} items, ${LATENCY} ms injected latency, ${PARALLEL} parallel requests — ideal ${fmt(ideal)} ms (items × latency ÷ parallelism)`,
		);
		await servers.latency(LATENCY);
		const rows = [
			['workload', 'wall ms', 'items/s', '× ideal', 'CPU ms/item', 'stand-in CPU ms/item', 'peak RSS MB', 'peak heap MB', 'requests', 'token req.', 'errors'],
		];
		const row = (label: string, m: Measurement, workload: Workload, tokens: boolean) => [
			label,
			fmt(m.wallMs),
			fmt((ITEMS / m.wallMs) * 1000),
			fmt(m.wallMs / ideal, 3),
			fmt(m.cpuMs / ITEMS, 2),
			fmt(m.serverCpuMs / ITEMS, 2),
			fmt(m.peakRssMb, 1),
			fmt(m.peakHeapMb, 1),
			String(m.counts[workload.path] ?? 0),
			tokens && workload.tokenPath ? String(m.counts[workload.tokenPath] ?? 0) : '-',
			String(m.errors),
		];
		for (const workload of list) {
			const ours = await measure(servers, runNode(workload, ITEMS, PARALLEL));
			const ratio = ours.wallMs / ideal;
			rows.push(row(workload.name, ours, workload, true));
			verdict(`${workload.name}: ≤ 1.15 × ideal with a rolling pool of ${PARALLEL} (no Batch Interval)`, ratio <= 1.15 && ours.errors === 0 && ours.outputs === ITEMS, `${fmt(ratio, 3)} ×`);
			const bare = await measure(servers, runBare(workload, ITEMS, PARALLEL));
			rows.push(row('  baseline: bare helpers.httpRequest, same pool', bare, workload, false));
			if (httpRequestNode) {
				// The HTTP Request node has no rolling pool: its batching sends batchSize requests every
				// batchInterval ms without waiting for answers. Batches of PARALLEL every LATENCY ms keep
				// about PARALLEL requests in flight, the closest equivalent.
				const theirs = await measure(servers, runHttp(workload, ITEMS, { batch: { batchSize: PARALLEL, batchInterval: LATENCY } }));
				rows.push(row(`  HTTP Request node (batches of ${PARALLEL} every ${LATENCY} ms)`, theirs, workload, false));
				// The same settings on our node: Parallel Requests = batch size, Batch Interval = interval.
				const oursBatched = await measure(servers, runNode(workload, ITEMS, PARALLEL, LATENCY));
				rows.push(row(`  this node, same settings (batches of ${PARALLEL} every ${LATENCY} ms)`, oursBatched, workload, true));
				verdict(
					`${workload.name}: ≤ 1.15 × ideal with Batch Interval ${LATENCY} ms (a batch of ${PARALLEL} every interval)`,
					oursBatched.wallMs / ideal <= 1.15 && oursBatched.errors === 0,
					`${fmt(oursBatched.wallMs / ideal, 3)} ×`,
				);
				verdict(
					`${workload.name}: no slower than the HTTP Request node with the same batching`,
					oursBatched.wallMs <= theirs.wallMs * 1.02 && oursBatched.errors === 0,
					`${fmt(oursBatched.wallMs)} ms vs ${fmt(theirs.wallMs)} ms (rolling pool of ${PARALLEL}: ${fmt(ours.wallMs)} ms)`,
				);
			}
		}
		// The floor below n8n, once (the first workload's requests).
		const floor = list[0];
		if (floor) {
			rows.push(['transport floor, no n8n (first workload\'s requests):', '', '', '', '', '', '', '', '', '', '']);
			const fresh = await measure(servers, runRaw(floor, ITEMS, PARALLEL, false));
			rows.push(row('  axios, a new connection per request (as n8n-core)', fresh, floor, false));
			const kept = await measure(servers, runRaw(floor, ITEMS, PARALLEL, true));
			rows.push(row('  axios over keep-alive connections', kept, floor, false));
		}
		table(rows);
		if (!httpRequestNode) console.log(`  HTTP Request node: skipped — ${httpRequestSkip}`);
	}

	if (SECTIONS.has('2')) {
		// 2. Overhead at zero latency.
		console.log(
			`\n2. Per-item cost at zero latency (${ITEMS} items, ${PARALLEL} parallel; CPU of this process). Overhead = node − bare baseline`,
		);
		await servers.latency(0);
		const overheadRows = [['workload', 'wall ms', 'ms/item (wall)', 'ms/item (CPU)', 'overhead ms/item (wall)', 'overhead ms/item (CPU)']];
		for (const workload of list) {
			const ours = await measure(servers, runNode(workload, ITEMS, PARALLEL));
			const bare = await measure(servers, runBare(workload, ITEMS, PARALLEL));
			const overheadWall = (ours.wallMs - bare.wallMs) / ITEMS;
			const overheadCpu = (ours.cpuMs - bare.cpuMs) / ITEMS;
			overheadRows.push([
				workload.name,
				fmt(ours.wallMs),
				fmt(ours.wallMs / ITEMS, 3),
				fmt(ours.cpuMs / ITEMS, 3),
				fmt(overheadWall, 3),
				fmt(overheadCpu, 3),
			]);
			overheadRows.push(['  baseline: bare helpers.httpRequest', fmt(bare.wallMs), fmt(bare.wallMs / ITEMS, 3), fmt(bare.cpuMs / ITEMS, 3), '', '']);
			verdict(
				`${workload.name}: overhead < 0.5 ms/item`,
				overheadWall < 0.5 && ours.errors === 0,
				`${fmt(overheadWall, 3)} ms/item over the bare request (${fmt(ours.wallMs / ITEMS, 3)} ms/item in all)`,
			);
			if (httpRequestNode) {
				const theirs = await measure(servers, runHttp(workload, ITEMS, undefined));
				overheadRows.push([
					'  HTTP Request node (no batching: all at once)',
					fmt(theirs.wallMs),
					fmt(theirs.wallMs / ITEMS, 3),
					fmt(theirs.cpuMs / ITEMS, 3),
					fmt((theirs.wallMs - bare.wallMs) / ITEMS, 3),
					fmt((theirs.cpuMs - bare.cpuMs) / ITEMS, 3),
				]);
			}
		}
		table(overheadRows);
	}

	if (SECTIONS.has('3')) {
		// 3. Memory for many items.
		console.log(
			`\n3. Memory for ${MEMORY_ITEMS} items (zero latency, ${PARALLEL} parallel), growth over the live heap before the run`,
		);
		console.log('   live heap: full GC every 500 ms during the run; held: after the run with the output; leaked: output released');
		const memoryRows = [['workload', 'wall ms', 'peak live heap MB', 'held MB', 'leaked MB', 'peak RSS MB', 'outputs']];
		for (const workload of list) {
			const ours = await measure(servers, runNode(workload, MEMORY_ITEMS, PARALLEL), true);
			memoryRows.push([
				workload.name,
				fmt(ours.wallMs),
				`+${fmt(ours.heapGrowthMb, 1)}`,
				`+${fmt(ours.heldMb, 1)}`,
				`+${fmt(ours.retainedMb, 1)}`,
				`+${fmt(ours.rssGrowthMb, 1)}`,
				String(ours.outputs),
			]);
			verdict(
				`${workload.name}: memory growth < 50 MB per ${MEMORY_ITEMS} items`,
				ours.heapGrowthMb < 50 && ours.outputs === MEMORY_ITEMS && ours.errors === 0,
				`live heap +${fmt(ours.heapGrowthMb, 1)} MB at peak, RSS +${fmt(ours.rssGrowthMb, 1)} MB`,
			);
		}
		table(memoryRows);
	}

	servers.stop();

	if (SECTIONS.has('4')) {
		// 4. Module load times.
		console.log('\n4. Load time of each built module (fresh process, n8n-workflow already loaded; median of 5)');
		// The modules this script was compiled with: the project's tsconfig, the same JavaScript as
		// dist/ (npm run build), without racing a concurrent build that empties dist/.
		const built = path.resolve(__dirname, '..');
		console.log(`  modules compiled from the project's tsconfig into ${path.relative(root, built)}/ (the same JavaScript as dist/)`);
		const loadRows = [['module', 'load + instantiate ms', 'n8n-workflow cold ms']];
		for (const module of builtModules(built)) {
			const samples: Array<{ workflow: number; own: number }> = [];
			for (let i = 0; i < 5; i++) {
				const child = spawnSync(process.execPath, ['-e', LOAD_SCRIPT, module.file, module.name], { encoding: 'utf8' });
				if (child.status !== 0) {
					console.log(`  ${path.relative(built, module.file)}: failed to load — ${child.stderr.split('\n')[0]}`);
					break;
				}
				samples.push(JSON.parse(child.stdout) as { workflow: number; own: number });
			}
			if (samples.length === 0) continue;
			const own = median(samples.map((s) => s.own));
			loadRows.push([path.relative(built, module.file), fmt(own, 1), fmt(median(samples.map((s) => s.workflow)), 1)]);
			if (module.file.endsWith('.node.js')) verdict(`${module.name} loads in < 50 ms`, own < 50, `${fmt(own, 1)} ms`);
		}
		table(loadRows);
	}

	console.log('\nTargets');
	for (const { target, ok, detail } of verdicts) console.log(`  ${ok ? 'PASS' : 'MISS'}  ${target} (${detail})`);
	console.log(`\nBenchmark took ${fmt((performance.now() - benchStarted) / 1000, 1)} s.`);
	fs.rmSync(userFolder, { recursive: true, force: true });
	// n8n-core leaves timers of its instance services running.
	process.exit(0);
}

if (process.argv[2] === '--serve') {
	void serveStandIns();
} else {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
