/**
 * `npm run bench:n8n`: throughput inside a real n8n, side by side, for n8n 2.x and 1.x (single
 * instance) and n8n 2.x in queue mode with two workers (needs Postgres + Redis, see
 * scripts/lib/queue-cluster.ts); for 2.x also with n8n's lazy expression isolates
 * (`N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`, callbacks only). Prints items/s and ratios as a
 * table, and keeps it in .sandbox/bench-n8n.md.
 *
 * - actions: for each action node (123kanfang Assign Capture Task, AICC Create, INCS Create and
 *   Assign; scripts/bench/workloads.ts), 1,000 items through the node vs the HTTP Request node
 *   making the same call (same body, same token), stand-ins answering after 20 ms; equal rate
 *   (10 per batch every 20 ms: our Parallel Requests 10 + Batch Interval 20, the HTTP Request
 *   node's Batching 10 / 20 ms) and flat out (ours at the most Parallel Requests, 500, the HTTP
 *   Request node without batching). Timed from the POST to a Webhook (Respond: When Last Node Finishes) to
 *   its answer, best of 2 runs after a warm-up; each run checks that the stand-in got one
 *   request per item.
 * - callbacks: signed callbacks, 20 at a time, through our trigger vs n8n's Webhook node, vs the
 *   Webhook node with Header Auth (a credential, as ours has: n8n checks a workflow's credentials
 *   before it creates each execution) and vs a hand-built Webhook + Crypto (MD5) + IF flow
 *   checking the same signature; callbacks/s until the last one is answered, and the CPU per
 *   callback of the n8n process that answered them (main, or the webhook processor); the four
 *   take turns over BENCH_ROUNDS rounds (default 3), best round each. In queue mode,
 *   BENCH_DETAIL=1 also prints, per round, what one callback costs until its execution has
 *   finished: CPU of the webhook processor, of the workers and of the whole machine, and
 *   database transactions and rows written.
 *
 * - downloads: a 1 GiB zip through Download Package vs the HTTP Request node (Response Format:
 *   File), MiB/s and peak memory growth of the n8n process (scripts/bench/download.ts).
 *
 *     npm run bench:n8n [-- --only=2,2-lazy,1,queue,queue-lazy] [--cases=actions,callbacks,downloads] [--load=equal|flat]
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Params } from '../stand-ins/callback';
import { senderSign, sendCallback } from '../stand-ins/callback';
import { say, sleep } from './lib/log';
import { N8N_LINES } from './lib/n8n-lines';
import { buildPackage, packPackage } from './lib/package';
import { pool } from './lib/pool';
import { sandboxDir } from './lib/paths';
import { checkServices, sql, startCluster } from './lib/queue-cluster';
import { N8nRest } from './lib/rest';
import { ensureN8n } from './lib/runtime';
import { OWNER, sandboxCredentials, startSandbox } from './sandbox';
import { forgetStandInState, STAND_IN_SECRETS, startStandIns, type StandIns } from './lib/stand-ins';
import { PACKAGE_NAME } from './lib/examples';
import { workloads, type Workload } from './bench/workloads';
import { MAX_PARALLEL_REQUESTS } from '../nodes/shared/options';
import { downloads } from './bench/download';
import type { BenchRow } from './bench/row';
import { chain, workflowNode } from './lib/workflow';
import type { ServerInfo } from './bench/standIns';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);
const CALLBACKS = Number(process.env.BENCH_CALLBACKS ?? 300);
/** Our Parallel Requests when flat out (default: the most the node offers). */
const FLAT_PARALLEL = Number(process.env.BENCH_FLAT_PARALLEL ?? MAX_PARALLEL_REQUESTS);
/** BENCH_WORKLOADS=kanfang123,aicc,incs: only these action nodes (default all). */
const WORKLOADS = process.env.BENCH_WORKLOADS?.split(',');
/** Rounds of the callback receivers (they take turns; each one's best round counts). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** `--cases=actions`, `callbacks` or `downloads` (comma-separated): only those rows (default all). */
const CASES = new Set(
	(process.argv.slice(2).find((a) => a.startsWith('--cases='))?.slice(8) ?? 'actions,callbacks,downloads').split(','),
);
/** `--load=equal` or `--load=flat`: only those action rows (default both). */
const LOADS = new Set((process.argv.slice(2).find((a) => a.startsWith('--load='))?.slice(7) ?? 'equal,flat').split(','));
const SIGN_KEY = 'bench-sign-key-0123456789';

type Node = Record<string, unknown>;

/** CPU milliseconds a process has used so far (Linux /proc; 0 where it cannot be read). */
function cpuMs(pid: number): number {
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
	} catch {
		return 0;
	}
}

const node = workflowNode;

interface Target {
	rest: N8nRest;
	/** Base URL production webhooks are called on (main, or the webhook processor). */
	webhookBase: string;
	standIns: StandIns;
	/** Stored n8n credentials by type. */
	credentials: Record<string, { id: string; name: string }>;
	/** The n8n processes that run executions (main, or the workers), for CPU per item. */
	pids: number[];
	/** The n8n process that answers webhooks (main, or the webhook processor), for CPU per callback. */
	webhookPid: number;
	/** Queue mode: the cluster's Postgres database, where `BENCH_DETAIL` reads the database work. */
	database?: string;
}

async function active(target: Target, nodes: Node[], connections: Record<string, unknown>) {
	const { id } = await target.rest.createWorkflow({ name: `bench ${randomUUID().slice(0, 8)}`, nodes, connections, settings: {} });
	await target.rest.activateWorkflow(id);
}

/** Webhook (Respond: When Last Node Finishes) → Split Out → the action; returns a timed run. */
async function actionFlow(target: Target, action: Node): Promise<(items: IDataObject[]) => Promise<number>> {
	const path = `bench-${randomUUID().slice(0, 8)}`;
	await active(
		target,
		[
			node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: randomUUID() }),
			node('Split', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.items', options: {} }),
			{ ...action, name: 'Action' },
		],
		chain('Webhook', 'Split', 'Action'),
	);
	return async (items) => {
		const started = Date.now();
		const response = await fetch(`${target.webhookBase}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ items }),
			signal: AbortSignal.timeout(300_000),
		});
		await response.text();
		if (!response.ok) throw new Error(`bench webhook answered ${response.status}`);
		return Date.now() - started;
	};
}

/** The requests the stand-ins received on one path since they last forgot. */
function received(standIns: StandIns, path: string): number {
	return [standIns.kanfang123, standIns.aicc, standIns.incs].reduce((sum, server) => sum + server.requestsTo(path).length, 0);
}

let runSerial = 0;

/**
 * Items/s of one flow, and the CPU per item the executing n8n processes spent on the best run:
 * a warm-up of 50 items, then the best of 2 runs of ITEMS items.
 */
async function timeFlow(
	target: Target,
	workload: Workload,
	run: (items: IDataObject[]) => Promise<number>,
): Promise<{ rate: number; cpu: number }> {
	forgetStandInState(target.standIns);
	await run(workload.items(50, ++runSerial));
	const cpu = () => target.pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
	let best = { ms: Infinity, cpu: 0 };
	for (let attempt = 0; attempt < 2; attempt++) {
		forgetStandInState(target.standIns);
		const before = cpu();
		const took = await run(workload.items(ITEMS, ++runSerial));
		const used = cpu() - before;
		const sent = received(target.standIns, workload.path);
		if (sent !== ITEMS) throw new Error(`${workload.name}: the stand-in received ${sent} requests for ${ITEMS} items`);
		if (took < best.ms) best = { ms: took, cpu: used };
	}
	return { rate: (ITEMS / best.ms) * 1000, cpu: best.cpu / ITEMS };
}

function actionRow(mode: string, name: string, ours: { rate: number; cpu: number }, theirs: { rate: number; cpu: number }): BenchRow {
	return { mode, case: name, ours: ours.rate, theirs: theirs.rate, theirsName: 'HTTP Request', unit: 'items/s', oursCpu: ours.cpu, theirsCpu: theirs.cpu };
}

async function actions(target: Target, mode: string): Promise<BenchRow[]> {
	const rows: BenchRow[] = [];
	const info: ServerInfo = {
		kanfang: target.standIns.urls.kanfang123,
		aicc: target.standIns.urls.aicc,
		incs: target.standIns.urls.incs,
		aiccToken: target.standIns.aicc.issueToken(86_400),
		kanfangToken: STAND_IN_SECRETS.kanfang123.accessToken,
		incsToken: STAND_IN_SECRETS.incs.apiToken,
	};
	for (const workload of workloads(info).filter((w) => !WORKLOADS || WORKLOADS.some((name) => w.nodeName === name))) {
		const ours = (options: INodeParameters) =>
			node('Action', `${PACKAGE_NAME}.${workload.nodeName}`, 1, workload.parameters(options), {
				credentials: { [workload.credentialType]: target.credentials[workload.credentialType] },
			});
		const http = (batching?: INodeParameters) => node('Action', 'n8n-nodes-base.httpRequest', 4.2, workload.http(batching));
		const time = async (action: Node) => await timeFlow(target, workload, await actionFlow(target, action));
		if (LOADS.has('equal')) {
			// Equal rate: 10 per batch, a batch every 20 ms, on both sides.
			const equalOurs = await time(ours({ concurrency: 10, batchInterval: 20 }));
			const equalHttp = await time(http({ batch: { batchSize: 10, batchInterval: 20 } }));
			rows.push(actionRow(mode, `${workload.name}, equal rate (10 per 20 ms)`, equalOurs, equalHttp));
		}
		if (LOADS.has('flat')) {
			// Flat out: ours at FLAT_PARALLEL Parallel Requests, the HTTP Request node sending everything at once.
			const flatOurs = await time(ours({ concurrency: FLAT_PARALLEL }));
			const flatHttp = await time(http());
			rows.push(actionRow(mode, `${workload.name}, flat out (${FLAT_PARALLEL} parallel)`, flatOurs, flatHttp));
		}
	}
	return rows;
}

/** CPU milliseconds the whole machine has spent so far (every process: n8n, Postgres, Redis, this script). */
function machineCpuMs(): number {
	const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
	// user nice system idle iowait irq softirq steal: all but idle and iowait.
	return (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]) * (1000 / 100);
}

/** Transactions and rows of the cluster's database so far (all processes). */
async function databaseWork(database: string): Promise<{ commits: number; written: number }> {
	const [row] = await sql(database, 'select xact_commit, tup_inserted + tup_updated + tup_deleted from pg_stat_database where datname = current_database()');
	const [commits, written] = row.split('\t').map(Number);
	return { commits, written };
}

/** Until no execution is unfinished (queue mode: the workers have caught up); fails after 2 minutes. */
async function executionsSettled(database: string): Promise<void> {
	for (const until = Date.now() + 120_000; ; await sleep(250)) {
		const [open] = await sql(database, "select count(*) from execution_entity where status in ('new', 'running')");
		if (Number(open) === 0) break;
		if (Date.now() > until) throw new Error(`${open} executions still unfinished after 2 minutes: the workers are stuck`);
	}
	// Postgres publishes a backend's counters within a second of its last transaction.
	await sleep(1500);
}

/**
 * `BENCH_DETAIL=1` in queue mode: everything one callback costs until its execution has
 * finished on a worker — CPU of the webhook processor, of the workers and of the whole machine
 * (Postgres and Redis included), and database transactions and rows written.
 */
interface CallbackCost {
	webhookCpu: number;
	workersCpu: number;
	machineCpu: number;
	commits: number;
	written: number;
}

async function costSnapshot(target: Target, database: string): Promise<CallbackCost> {
	const work = await databaseWork(database);
	return {
		webhookCpu: cpuMs(target.webhookPid),
		workersCpu: target.pids.reduce((sum, pid) => sum + cpuMs(pid), 0),
		machineCpu: machineCpuMs(),
		...work,
	};
}

/** Callbacks per second, and CPU ms per callback of the process that answered them. */
async function callbackRate(target: Target, receiver: Receiver): Promise<{ rate: number; cpu: number }> {
	const { url, headers } = receiver;
	const pid = target.webhookPid;
	const { database } = target;
	const detail = process.env.BENCH_DETAIL ? database : undefined;
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
		const reply = await sendCallback(url, { key: SIGN_KEY, headers, ...make(i) });
		if (reply.status !== 200) throw new Error(`callback answered ${reply.status}: ${reply.text.slice(0, 200)}`);
	};
	await pool(Array.from({ length: 20 }, (_, i) => i), 10, send);
	// Queue mode: every receiver starts on idle workers, not while they still run the executions
	// of the receiver before (the Crypto + IF flow leaves ~20 s of work behind on this machine).
	if (database) await executionsSettled(database);
	const before = detail ? await costSnapshot(target, detail) : undefined;
	const started = Date.now();
	const cpuBefore = cpuMs(pid);
	await pool(Array.from({ length: CALLBACKS }, (_, i) => i), 20, send);
	const result = { rate: (CALLBACKS / (Date.now() - started)) * 1000, cpu: (cpuMs(pid) - cpuBefore) / CALLBACKS };
	if (detail && before) {
		await executionsSettled(detail);
		const after = await costSnapshot(target, detail);
		const per = (key: keyof CallbackCost) => ((after[key] - before[key]) / CALLBACKS).toFixed(1);
		say(
			`    until every execution finished, per callback: CPU webhook processor ${per('webhookCpu')} ms, workers ${per('workersCpu')} ms, ` +
				`whole machine ${per('machineCpu')} ms; database ${per('commits')} transactions, ${per('written')} rows written`,
		);
	}
	return result;
}

interface Receiver {
	url: string;
	/** Extra headers each callback carries (the Webhook node's Header Auth). */
	headers?: Record<string, string>;
}

const HEADER_AUTH = { name: 'x-bench-auth', value: 'bench-header-auth-value' };

async function callbacks(target: Target, mode: string): Promise<BenchRow[]> {
	const triggerId = randomUUID();
	await active(target, [node('Trigger', 'n8n-nodes-task-dispatch.kanfang123Trigger', 2, { event: 'taskStateChanged', taskStates: [50000], options: {} }, { webhookId: triggerId, credentials: { kanfang123WebhookApi: target.credentials.kanfang123WebhookApi } })], {});
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
	// n8n's own node with a credential, as ours has one: n8n checks a workflow's credentials
	// before it creates each execution (WorkflowRunner), which a Webhook node without one skips.
	const authPath = `auth-${randomUUID().slice(0, 8)}`;
	const headerAuth = await target.rest.createCredential('bench header auth', 'httpHeaderAuth', HEADER_AUTH);
	await active(
		target,
		[
			node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: authPath, authentication: 'headerAuth', responseMode: 'onReceived', options: {} }, {
				webhookId: randomUUID(),
				credentials: { httpHeaderAuth: headerAuth },
			}),
		],
		{},
	);
	// The receivers take turns, ROUNDS times; each one's best round counts, so that load
	// elsewhere on the machine (a cluster still warming up, another process) hits all alike.
	const receivers: Record<'ours' | 'plain' | 'hand' | 'auth', Receiver> = {
		ours: { url: `${target.webhookBase}/webhook/${triggerId}/webhook` },
		plain: { url: `${target.webhookBase}/webhook/${plainPath}` },
		hand: { url: `${target.webhookBase}/webhook/${handPath}` },
		auth: { url: `${target.webhookBase}/webhook/${authPath}`, headers: { [HEADER_AUTH.name]: HEADER_AUTH.value } },
	};
	const best = { ours: { rate: 0, cpu: 0 }, plain: { rate: 0, cpu: 0 }, hand: { rate: 0, cpu: 0 }, auth: { rate: 0, cpu: 0 } };
	for (let round = 0; round < ROUNDS; round++) {
		const order = ['plain', 'auth', 'hand', 'ours'] as const;
		for (const receiver of round % 2 ? [...order].reverse() : order) {
			const result = await callbackRate(target, receivers[receiver]);
			say(`  ${mode} round ${round + 1}: ${receiver} ${result.rate.toFixed(1)} callbacks/s, ${result.cpu.toFixed(2)} ms CPU per callback`);
			if (result.rate > best[receiver].rate) best[receiver] = result;
		}
	}
	const { ours, plain, hand, auth } = best;
	const row = { mode, case: 'signed callbacks (20 at a time)', ours: ours.rate, oursCpu: ours.cpu, unit: 'callbacks/s' };
	return [
		{ ...row, theirs: plain.rate, theirsCpu: plain.cpu, theirsName: 'Webhook node' },
		{ ...row, theirs: auth.rate, theirsCpu: auth.cpu, theirsName: 'Webhook node with Header Auth' },
		{ ...row, theirs: hand.rate, theirsCpu: hand.cpu, theirsName: 'Webhook + Crypto + IF' },
	];
}

function table(rows: BenchRow[]): string {
	const lines = [
		'| n8n | case | ours | n8n\'s | ours ÷ n8n\'s | n8n CPU per item (downloads: peak memory growth), ours / n8n\'s |',
		'| --- | --- | --- | --- | --- | --- |',
		...rows.map(
			(r) =>
				`| ${r.mode} | ${r.case} | ${Math.round(r.ours)} ${r.unit} | ${r.theirsName}: ${Math.round(r.theirs)} ${r.unit} | ${(r.ours / r.theirs).toFixed(2)}× | ` +
				`${r.oursCpu && r.theirsCpu ? `${r.oursCpu.toFixed(2)} / ${r.theirsCpu.toFixed(2)} ms` : (r.note ?? '')} |`,
		),
	];
	return lines.join('\n');
}

/** n8n's setting that takes an expression isolate only when an expression is evaluated. */
const LAZY_ISOLATES = { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' };

interface Mode {
	/** `--only=` name. */
	id: string;
	line: '1' | '2';
	queue: boolean;
	/** With n8n's lazy expression isolates (LAZY_ISOLATES on every n8n process). */
	lazy: boolean;
	/** Which cases this mode measures (before `--cases=`). */
	cases: Array<'actions' | 'callbacks' | 'downloads'>;
}

const MODES: Mode[] = [
	{ id: '2', line: '2', queue: false, lazy: false, cases: ['actions', 'callbacks', 'downloads'] },
	{ id: '2-lazy', line: '2', queue: false, lazy: true, cases: ['callbacks'] },
	{ id: '1', line: '1', queue: false, lazy: false, cases: ['actions', 'callbacks', 'downloads'] },
	{ id: 'queue', line: '2', queue: true, lazy: false, cases: ['actions', 'callbacks'] },
	{ id: 'queue-lazy', line: '2', queue: true, lazy: true, cases: ['callbacks'] },
];

const label = (version: string, mode: Mode) =>
	`${version}${mode.queue ? ' queue (2 workers)' : ''}${mode.lazy ? ', lazy isolates' : ''}`;

async function single(mode: Mode): Promise<BenchRow[]> {
	const sandbox = await startSandbox({
		line: N8N_LINES[mode.line],
		name: `bench-n8n-${mode.id}`,
		fresh: true,
		build: false,
		echoN8n: false,
		ports: { n8n: 0, kanfang123: 0, aicc: 0, incs: 0, openai: 0 },
		env: mode.lazy ? LAZY_ISOLATES : {},
	});
	try {
		const webhook = await sandbox.rest.createCredential('bench webhook', 'kanfang123WebhookApi', { signSecret: SIGN_KEY });
		const target: Target = {
			rest: sandbox.rest,
			webhookBase: sandbox.url,
			standIns: prepared(sandbox.standIns),
			credentials: { ...sandbox.credentials, kanfang123WebhookApi: webhook },
			pids: [sandbox.n8n.child.pid ?? 0],
			webhookPid: sandbox.n8n.child.pid ?? 0,
		};
		const name = label(sandbox.runtime.version, mode);
		const rows = await measure(target, mode, name);
		if (mode.cases.includes('downloads') && CASES.has('downloads')) {
			const pid = sandbox.n8n.child.pid ?? 0;
			const { id, name: credentialName } = sandbox.credentials.kanfang123Api;
			rows.push(...(await downloads({ rest: sandbox.rest, webhookBase: sandbox.url, pid, kanfang123Credential: { id, name: credentialName }, packageName: PACKAGE_NAME }, name)));
		}
		return rows;
	} finally {
		await sandbox.stop();
	}
}

/** The stand-ins as the bench wants them: answering after 20 ms, an open task returned. */
function prepared(standIns: StandIns): StandIns {
	for (const server of [standIns.kanfang123, standIns.aicc, standIns.incs]) server.latencyMs = 20;
	standIns.kanfang123.openTaskPolicy = 'return';
	return standIns;
}

async function measure(target: Target, mode: Mode, name: string): Promise<BenchRow[]> {
	const wanted = (c: 'actions' | 'callbacks' | 'downloads') => mode.cases.includes(c) && CASES.has(c);
	return [...(wanted('actions') ? await actions(target, name) : []), ...(wanted('callbacks') ? await callbacks(target, name) : [])];
}

async function queue(mode: Mode): Promise<BenchRow[]> {
	await checkServices();
	const runtime = await ensureN8n(N8N_LINES[mode.line]);
	const tarball = await packPackage(sandboxDir('pack', 'bench-queue'));
	const standIns = prepared(await startStandIns({ kanfang123: 0, aicc: 0, incs: 0 }));
	const cluster = await startCluster({
		runtime,
		tarball,
		root: sandboxDir('bench-queue'),
		// README "Queue mode": the settings recommended for bursts.
		env: { DB_POSTGRESDB_POOL_SIZE: '10', N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '5000', ...(mode.lazy ? LAZY_ISOLATES : {}) },
	});
	try {
		const rest = new N8nRest(cluster.main.url, runtime.line);
		await rest.ensureOwnerAndLogin(OWNER);
		const credentials: Target['credentials'] = {};
		for (const credential of sandboxCredentials(standIns.urls)) {
			const data = credential.type === 'kanfang123WebhookApi' ? { signSecret: SIGN_KEY } : credential.data;
			credentials[credential.type] = await rest.createCredential(credential.name, credential.type, data);
		}
		const target: Target = {
			rest,
			webhookBase: cluster.webhookUrl,
			standIns,
			credentials,
			pids: cluster.workers.map((w) => w.child.pid ?? 0),
			webhookPid: cluster.webhook.child.pid ?? 0,
			database: cluster.database,
		};
		return await measure(target, mode, label(runtime.version, mode));
	} finally {
		await cluster.stop();
		await standIns.stop();
	}
}

async function main() {
	const began = Date.now();
	const only = process.argv.slice(2).find((a) => a.startsWith('--only='))?.slice(7).split(',');
	const unknown = (only ?? []).filter((id) => !MODES.some((m) => m.id === id));
	if (unknown.length) throw new Error(`unknown --only=${unknown.join(',')}; modes: ${MODES.map((m) => m.id).join(', ')}`);
	const rows: BenchRow[] = [];
	await buildPackage();
	for (const mode of MODES) {
		if (only && !only.includes(mode.id)) continue;
		rows.push(...(mode.queue ? await queue(mode) : await single(mode)));
		fs.mkdirSync(sandboxDir(), { recursive: true });
		fs.writeFileSync(sandboxDir('bench-n8n.md'), `${table(rows)}\n`);
	}
	const text = table(rows);
	say(`bench:n8n (${ITEMS} items, stand-ins answering after 20 ms; ${CALLBACKS} callbacks) — took ${Math.round((Date.now() - began) / 1000)} s`);
	process.stdout.write(`\n${text}\n\n`);
}

main().catch((error) => {
	say(`bench:n8n failed: ${(error as Error).stack ?? error}`);
	process.exit(1);
});
