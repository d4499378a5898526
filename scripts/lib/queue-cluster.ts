/**
 * n8n 2.x in queue mode on this machine: one main, N workers, one webhook processor, each
 * with a user folder of its own and our packed tarball installed into it as a community
 * package (README "Queue mode": every process needs the package), sharing one Postgres
 * database and one Redis key prefix that belong to this run alone:
 *
 * - database `n8n_queue_<pid>_<time>` on 127.0.0.1:5432 (trust auth, user postgres),
 * - Bull prefix and n8n Redis prefix `n8nq_<pid>_<time>` on 127.0.0.1:6379.
 *
 * `stop()` stops every process, drops the database and deletes the run's Redis keys; it is
 * also run on SIGINT/SIGTERM, and on a plain exit every process is SIGKILLed. Leftovers of a
 * run that was killed outright (SIGKILL of the test process) are removed by the next run:
 * `sweepStaleRuns()` drops the databases and keys of runs whose process is gone.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { log } from './log';
import type { N8nProcess } from './n8n-process';
import { freePort, startN8n } from './n8n-process';
import { installCommunityPackage } from './package';
import type { Runtime } from './runtime';

const exec = promisify(execFile);

export const PG = { host: process.env.QUEUE_PG_HOST ?? '127.0.0.1', port: Number(process.env.QUEUE_PG_PORT ?? 5432), user: process.env.QUEUE_PG_USER ?? 'postgres' };
export const REDIS = { host: process.env.QUEUE_REDIS_HOST ?? '127.0.0.1', port: Number(process.env.QUEUE_REDIS_PORT ?? 6379) };

const HOW_TO_GET_THEM = [
	'The queue-mode suite needs PostgreSQL on 127.0.0.1:5432 (trust auth for user "postgres") and',
	'Redis on 127.0.0.1:6379, plus their clients psql and redis-cli. On Debian/Ubuntu:',
	'  sudo apt-get install -y postgresql redis-server   (clients: postgresql-client redis-tools)',
	'  sudo service postgresql start && sudo service redis-server start',
	'  trust auth: in pg_hba.conf "host all all 127.0.0.1/32 trust", then reload',
	'Or run your own: initdb -D /tmp/pg -A trust -U postgres && pg_ctl -D /tmp/pg -o "-p 5432 -c listen_addresses=127.0.0.1" start;',
	'  redis-server --port 6379 --save "" --appendonly no --daemonize yes',
	'Elsewhere: QUEUE_PG_HOST/QUEUE_PG_PORT/QUEUE_PG_USER, QUEUE_REDIS_HOST/QUEUE_REDIS_PORT.',
].join('\n');

/** Run SQL with psql; returns the rows as tab-separated lines. */
export async function sql(database: string, query: string): Promise<string[]> {
	const { stdout } = await exec(
		'psql',
		['-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-d', database, '-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query],
		{ maxBuffer: 512 * 1024 * 1024, env: { ...process.env, PGCONNECT_TIMEOUT: '5' } },
	);
	return stdout.split('\n').filter((line) => line !== '');
}

export async function redis(...args: string[]): Promise<string[]> {
	const { stdout } = await exec('redis-cli', ['-h', REDIS.host, '-p', String(REDIS.port), ...args], {
		maxBuffer: 64 * 1024 * 1024,
	});
	return stdout.split('\n').filter((line) => line !== '');
}

/** Fails, saying how to get them, when Postgres or Redis (or their clients) are missing. */
export async function checkServices(): Promise<void> {
	const problems: string[] = [];
	try {
		await sql('postgres', 'select 1');
	} catch (error) {
		problems.push(`PostgreSQL at ${PG.host}:${PG.port} (user ${PG.user}): ${firstLine(error)}`);
	}
	try {
		const [pong] = await redis('ping');
		if (pong !== 'PONG') problems.push(`Redis at ${REDIS.host}:${REDIS.port} answered ${pong}`);
	} catch (error) {
		problems.push(`Redis at ${REDIS.host}:${REDIS.port}: ${firstLine(error)}`);
	}
	if (problems.length) throw new Error(`${problems.join('\n')}\n\n${HOW_TO_GET_THEM}`);
}

function firstLine(error: unknown): string {
	const e = error as { code?: string; stderr?: string; message?: string };
	if (e.code === 'ENOENT') return 'client not installed';
	return (e.stderr || e.message || String(error)).trim().split('\n')[0];
}

const RUN_NAME = /^n8n_?queue_(\d+)_(\d+)$|^n8nq_(\d+)_(\d+)$/;

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function deleteKeys(prefix: string): Promise<number> {
	const keys = await redis('--scan', '--pattern', `${prefix}:*`);
	for (let i = 0; i < keys.length; i += 500) await redis('del', ...keys.slice(i, i + 500));
	return keys.length;
}

/** Drop the databases and Redis keys of earlier runs whose process no longer exists. */
export async function sweepStaleRuns(): Promise<string[]> {
	const swept: string[] = [];
	for (const name of await sql('postgres', "select datname from pg_database where datname like 'n8n_queue_%'")) {
		const match = RUN_NAME.exec(name);
		if (match && !alive(Number(match[1])) && Number(match[1]) !== process.pid) {
			await sql('postgres', `drop database if exists "${name}" with (force)`);
			swept.push(`database ${name}`);
		}
	}
	const prefixes = new Set((await redis('--scan', '--pattern', 'n8nq_*')).map((key) => key.split(':')[0]));
	for (const prefix of prefixes) {
		const match = RUN_NAME.exec(prefix);
		if (match && !alive(Number(match[3])) && Number(match[3]) !== process.pid) {
			swept.push(`${await deleteKeys(prefix)} Redis keys ${prefix}:*`);
		}
	}
	return swept;
}

export interface QueueCluster {
	database: string;
	prefix: string;
	main: N8nProcess;
	workers: N8nProcess[];
	webhook: N8nProcess;
	/** Base URL of the webhook processor (production webhooks: `${webhookUrl}/webhook/...`). */
	webhookUrl: string;
	folders: { main: string; workers: string[]; webhook: string };
	/** Start (again) a webhook processor on the same port: a new process, empty memory. */
	restartWebhook(): Promise<{ stopSeconds: number; exitCode: number | null; log: string[] }>;
	/** Stop the webhook processor (SIGTERM) and say how long it took and what it printed. */
	stopWebhook(): Promise<{ stopSeconds: number; exitCode: number | null; log: string[] }>;
	/** Every line a process printed so far (from its log file). */
	logOf(process: N8nProcess): string[];
	stop(): Promise<void>;
}

export interface ClusterOptions {
	runtime: Runtime;
	tarball: string;
	root: string;
	workers?: number;
	/** Extra environment for every process. */
	env?: Record<string, string>;
	/** Extra environment for the webhook processor only (wins over `env`). */
	webhookEnv?: Record<string, string>;
}

export async function startCluster(options: ClusterOptions): Promise<QueueCluster> {
	const stamp = `${process.pid}_${Date.now()}`;
	const database = `n8n_queue_${stamp}`;
	const prefix = `n8nq_${stamp}`;
	fs.rmSync(options.root, { recursive: true, force: true });
	const folders = {
		main: path.join(options.root, 'main'),
		workers: Array.from({ length: options.workers ?? 2 }, (_, i) => path.join(options.root, `worker${i + 1}`)),
		webhook: path.join(options.root, 'webhook'),
	};
	const started: N8nProcess[] = [];
	let dropped = false;
	const cleanup = async () => {
		await Promise.all(started.map((p) => p.stop().catch(() => undefined)));
		if (dropped) return;
		dropped = true;
		await sql('postgres', `drop database if exists "${database}" with (force)`).catch((e) => log(`could not drop ${database}: ${firstLine(e)}`));
		const keys = await deleteKeys(prefix).catch(() => -1);
		log(`queue cluster cleaned up: database ${database} dropped, ${keys} Redis keys ${prefix}:* deleted`);
	};
	const killAll = () => started.forEach((p) => p.child.kill('SIGKILL'));
	const onSignal = (signal: NodeJS.Signals) => {
		log(`${signal}: stopping the queue cluster`);
		void cleanup().finally(() => process.exit(130));
	};
	process.once('exit', killAll);
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const detach = () => {
		process.removeListener('exit', killAll);
		process.removeListener('SIGINT', onSignal);
		process.removeListener('SIGTERM', onSignal);
	};

	try {
		await sql('postgres', `create database "${database}"`);
		log(`queue cluster: database ${database}, Redis prefix ${prefix}`);
		await Promise.all(
			[folders.main, ...folders.workers, folders.webhook].map((folder) => installCommunityPackage(folder, options.tarball)),
		);
		const mainPort = await freePort();
		const webhookPort = await freePort();
		const webhookUrl = `http://127.0.0.1:${webhookPort}`;
		const common: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: PG.host,
			DB_POSTGRESDB_PORT: String(PG.port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: PG.user,
			DB_POSTGRESDB_PASSWORD: '',
			QUEUE_BULL_REDIS_HOST: REDIS.host,
			QUEUE_BULL_REDIS_PORT: String(REDIS.port),
			QUEUE_BULL_PREFIX: prefix,
			// n8n's own keys and pub/sub channels (commands, worker responses) get the run's prefix
			// too, so two runs (or another n8n) on the same Redis never hear each other.
			N8N_REDIS_KEY_PREFIX: prefix,
			WEBHOOK_URL: `${webhookUrl}/`,
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${mainPort}/`,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...options.env,
		};
		const main = await startN8n({ runtime: options.runtime, userFolder: folders.main, port: mainPort, echo: false, env: common });
		started.push(main);
		const startWorker = async (folder: string) => {
			const health = await freePort();
			const worker = await startN8n({
				runtime: options.runtime,
				userFolder: folder,
				port: await freePort(),
				echo: false,
				command: 'worker',
				env: { ...common, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(health) },
				readyProbe: { port: health, path: '/healthz/readiness' },
			});
			started.push(worker);
			return worker;
		};
		const startWebhook = async () => {
			const process = await startN8n({
				runtime: options.runtime,
				userFolder: folders.webhook,
				port: webhookPort,
				echo: false,
				command: 'webhook',
				env: { ...common, ...options.webhookEnv },
				readyProbe: { port: webhookPort, path: '/healthz/readiness' },
			});
			started.push(process);
			return process;
		};
		const [workers, webhook] = await Promise.all([Promise.all(folders.workers.map(startWorker)), startWebhook()]);
		const logOf = (p: N8nProcess) => fs.readFileSync(p.logFile, 'utf8').split('\n');
		const cluster: QueueCluster = {
			database,
			prefix,
			main,
			workers,
			webhook,
			webhookUrl,
			folders,
			logOf,
			async stopWebhook() {
				const before = logOf(cluster.webhook).length;
				const began = Date.now();
				await cluster.webhook.stop();
				const stopSeconds = (Date.now() - began) / 1000;
				return { stopSeconds, exitCode: cluster.webhook.child.exitCode, log: logOf(cluster.webhook).slice(before) };
			},
			async restartWebhook() {
				const stopped = await cluster.stopWebhook();
				cluster.webhook = await startWebhook();
				return stopped;
			},
			async stop() {
				detach();
				await cleanup();
			},
		};
		return cluster;
	} catch (error) {
		detach();
		await cleanup();
		throw error;
	}
}
