/**
 * Starts and stops one real n8n process: bound to 127.0.0.1, its database and settings in
 * `userFolder`, everything that would call n8n's servers switched off (telemetry, version
 * checks, templates, banners, verified-packages lookups) since these machines have no network.
 * It runs with the Node of its line (Node 24 for n8n 2.x) and the line's own settings
 * (n8n-lines.ts). `command` and `env` let other scripts start more processes of one
 * installation — e.g. n8n 2.x in queue mode: `start` (main), `worker`, `webhook`, each with
 * EXECUTIONS_MODE=queue, a shared database and Redis, and a `readyProbe` of its own.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { log, say, sleep } from './log';
import type { Runtime } from './runtime';

export interface N8nOptions {
	runtime: Runtime;
	/** N8N_USER_FOLDER: n8n keeps `.n8n/` (database, config, community nodes) inside. */
	userFolder: string;
	port: number;
	/** Echo n8n's own output to the console (the sandbox does; the e2e run keeps it in the log). */
	echo: boolean;
	/** Extra environment, e.g. N8N_LOG_LEVEL=debug; wins over every default. */
	env?: Record<string, string>;
	startTimeoutMs?: number;
	/** n8n's CLI command: `start` (default), `worker`, `webhook`. */
	command?: string;
	/**
	 * How to tell the process is ready: default the line's own check of the main process;
	 * a path (e.g. `/healthz/readiness` on a worker's QUEUE_HEALTH_CHECK_PORT) + port to poll
	 * for HTTP 200 instead.
	 */
	readyProbe?: { port: number; path: string };
}

export interface N8nProcess {
	url: string;
	port: number;
	/** The task-runner broker port (n8n 2.x), if one was given to it. */
	brokerPort?: number;
	logFile: string;
	child: ChildProcess;
	/** Seconds from spawn until the REST API answered. */
	startSeconds: number;
	/** The last lines n8n printed (for failure reports). */
	tail(lines?: number): string[];
	stop(): Promise<void>;
}

export function n8nEnvironment(userFolder: string, port: number): Record<string, string> {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		// Plain http on loopback: the session cookie must not demand https.
		N8N_SECURE_COOKIE: 'false',
		// No network here, and nothing about a local sandbox should be reported anywhere.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		// Quiet, current settings (each of these otherwise prints a deprecation notice).
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		// Keep every execution so the e2e run (and a curious user) can look at them.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		GENERIC_TIMEZONE: 'UTC',
	};
}

/**
 * Our own environment minus what would change how n8n runs: under Jest NODE_ENV is "test",
 * which makes n8n refuse to load nodes and silences its logger.
 */
function inheritedEnvironment(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const name of Object.keys(env)) {
		if (name === 'NODE_ENV' || name.startsWith('JEST_') || name === 'E2E_TESTS') delete env[name];
	}
	return env;
}

export function portFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

async function answers200(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
		return response.ok;
	} catch {
		return false;
	}
}

export async function startN8n(options: N8nOptions): Promise<N8nProcess> {
	const { runtime, userFolder, port } = options;
	if (!(await portFree(port))) {
		throw new Error(
			`Port ${port} on 127.0.0.1 is already in use — is another sandbox or n8n running? ` +
				'Stop it, or choose another port (SANDBOX_N8N_PORT).',
		);
	}
	fs.mkdirSync(userFolder, { recursive: true });
	const command = options.command ?? 'start';
	const logFile = path.join(userFolder, command === 'start' ? 'n8n.log' : `n8n-${command}-${port}.log`);
	const out = fs.createWriteStream(logFile, { flags: 'a' });
	out.write(`\n===== n8n ${runtime.version} ${command} started ${new Date().toISOString()} =====\n`);
	const url = `http://127.0.0.1:${port}`;
	const { line } = runtime;
	const brokerPort = line.needsBrokerPort ? Number(options.env?.N8N_RUNNERS_BROKER_PORT ?? (await freePort())) : undefined;
	const inherited = inheritedEnvironment();
	const started = Date.now();
	const child = spawn(runtime.node, [runtime.bin, command], {
		// Not the project folder: n8n loads a `.env` from its working directory.
		cwd: userFolder,
		env: {
			...inherited,
			// The line's Node first on PATH: whatever n8n starts (task runners) runs on it too.
			PATH: [path.dirname(runtime.node), inherited.PATH].filter(Boolean).join(path.delimiter),
			...n8nEnvironment(userFolder, port),
			...line.environment({ brokerPort: brokerPort ?? 0 }),
			...options.env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let lines: string[] = [];
	let announcedMigrations = false;
	const onLine = (line: string) => {
		lines.push(line);
		if (lines.length > 400) lines = lines.slice(-200);
		if (!options.echo || !line.trim()) return;
		// A fresh database runs ~120 migrations; one line about them is enough.
		if (/^(Starting|Finished) migration|^\[\w+\d{10,}\]/.test(line)) {
			if (!announcedMigrations) log('n8n: creating its database (first start only)…');
			announcedMigrations = true;
			return;
		}
		log(`n8n: ${line}`);
	};
	for (const stream of [child.stdout!, child.stderr!]) {
		let buffer = '';
		stream.on('data', (chunk: Buffer) => {
			out.write(chunk);
			buffer += chunk.toString('utf8');
			const parts = buffer.split('\n');
			buffer = parts.pop() ?? '';
			parts.forEach(onLine);
		});
	}
	let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	const exit = new Promise<void>((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve();
		});
	});

	const tail = (count = 40) => lines.slice(-count);
	const stop = async () => {
		if (!exited) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => {
				if (exited) return;
				say('n8n did not stop within 20 s; killing it');
				child.kill('SIGKILL');
			}, 20_000);
			await exit;
			clearTimeout(timer);
		}
		out.end();
	};

	log(`starting n8n ${runtime.version} (${command}, on ${runtime.node}) on ${url} (user folder ${userFolder}, log ${logFile})`);
	const ready = () =>
		options.readyProbe
			? answers200(`http://127.0.0.1:${options.readyProbe.port}${options.readyProbe.path}`)
			: line.ready(url);
	const deadline = started + (options.startTimeoutMs ?? 180_000);
	let lastNotice = Date.now();
	for (;;) {
		if (exited) {
			say(`n8n exited while starting (code ${exited.code}, signal ${exited.signal}); its last lines:`);
			for (const line of tail(30)) say(`  ${line}`);
			throw new Error(`n8n exited while starting (see ${logFile})`);
		}
		if (await ready()) break;
		if (Date.now() > deadline) {
			await stop();
			say('n8n did not become ready in time; its last lines:');
			for (const line of tail(30)) say(`  ${line}`);
			throw new Error(`n8n ${command} did not become ready at ${url} in time (see ${logFile})`);
		}
		if (Date.now() - lastNotice > 10_000) {
			log(`waiting for n8n to be ready (${Math.round((Date.now() - started) / 1000)} s)…`);
			lastNotice = Date.now();
		}
		await sleep(500);
	}
	const startSeconds = Math.round((Date.now() - started) / 100) / 10;
	log(`n8n is ready after ${startSeconds} s`);
	return { url, port, brokerPort, logFile, child, startSeconds, tail, stop };
}
