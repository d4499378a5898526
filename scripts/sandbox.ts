/**
 * `npm start`: a real n8n with this package, wired to local stand-ins of the vendor APIs, so
 * anyone can try the nodes without a 123kanfang, Huawei AICC or INCS account.
 *
 * 1. installs the pinned n8n of the chosen line (2.x by default, `--n8n=1` or N8N_LINE=1 for
 *    1.x; scripts/lib/n8n-lines.ts) into a cache folder on first use (scripts/lib/runtime.ts);
 * 2. starts the stand-ins of the three APIs on fixed loopback ports;
 * 3. builds this package, packs it and installs the tarball as a community package;
 * 4. starts n8n on 127.0.0.1 with its data in .sandbox/<name>/ (git-ignored; the 1.x line
 *    gets a folder of its own, its database cannot be opened by the other line);
 * 5. creates the owner account, one credential of every type pointing at the stand-ins,
 *    imports examples/*.json and activates the trigger workflow;
 * 6. prints the editor URL and login, and runs until Ctrl-C, which stops everything.
 *
 * Running it again reuses the n8n install and the user folder (owner, credentials, edited
 * workflows are kept); `npm start -- --reset` starts from an empty n8n.
 * The e2e tests call `startSandbox` with a fresh folder and free ports.
 */
import fs from 'node:fs';
import path from 'node:path';

import { loadExamples, PACKAGE_NAME, withCredentials } from './lib/examples';
import { elapsed, log, say } from './lib/log';
import type { N8nProcess } from './lib/n8n-process';
import { freePort, startN8n } from './lib/n8n-process';
import { buildPackage, installCommunityPackage, packPackage } from './lib/package';
import { sandboxDir } from './lib/paths';
import type { Owner } from './lib/rest';
import type { N8nLine } from './lib/n8n-lines';
import { selectedLine } from './lib/n8n-lines';
import { N8nRest } from './lib/rest';
import type { Runtime } from './lib/runtime';
import { ensureN8n } from './lib/runtime';
import type { StandIns } from './lib/stand-ins';
import { STAND_IN_SECRETS, startStandIns } from './lib/stand-ins';

export const OWNER: Owner = {
	email: 'sandbox@example.com',
	password: 'Sandbox-Passw0rd',
	firstName: 'Sandbox',
	lastName: 'Owner',
};

/** Our node and credential types as n8n names them once the package is installed. */
export const NODE_TYPES = ['kanfang123', 'kanfang123Trigger', 'kanfang123PollTrigger', 'aicc', 'incs'].map((n) => `${PACKAGE_NAME}.${n}`);
export const CREDENTIAL_TYPES = ['kanfang123Api', 'kanfang123WebhookApi', 'aiccApi', 'incsApi'];

export const DEFAULT_PORTS = { n8n: 5678, kanfang123: 5681, aicc: 5682, incs: 5683, openai: 5684 };

export interface SandboxCredential {
	type: string;
	name: string;
	data: Record<string, unknown>;
}

/** One credential of every type, as the example workflows name them, aimed at the stand-ins. */
export function sandboxCredentials(urls: Omit<StandIns['urls'], 'openai'> & { openai?: string }): SandboxCredential[] {
	const model: SandboxCredential[] = urls.openai
		? [
				{
					type: 'openAiApi',
					name: 'OpenAI (local stand-in model)',
					data: { apiKey: STAND_IN_SECRETS.openai.apiKey, url: `${urls.openai}/v1` },
				},
			]
		: [];
	return [
		...model,
		{
			type: 'kanfang123Api',
			name: '123kanfang account',
			data: {
				environment: 'custom',
				baseUrl: urls.kanfang123,
				authentication: 'account',
				username: STAND_IN_SECRETS.kanfang123.username,
				password: STAND_IN_SECRETS.kanfang123.password,
				clientEdition: 'ps_1.0.0',
				authorizationLocation: 'header',
			},
		},
		{
			type: 'kanfang123WebhookApi',
			name: '123kanfang webhook',
			data: { signSecret: STAND_IN_SECRETS.kanfang123Webhook.signKey },
		},
		{
			type: 'aiccApi',
			name: 'Huawei AICC account',
			data: {
				domain: urls.aicc,
				authentication: 'clientCredentials',
				clientId: STAND_IN_SECRETS.aicc.clientId,
				clientSecret: STAND_IN_SECRETS.aicc.clientSecret,
			},
		},
		{
			type: 'incsApi',
			name: 'INCS account',
			data: { baseUrl: urls.incs, apiToken: STAND_IN_SECRETS.incs.apiToken },
		},
	];
}

export interface SandboxOptions {
	/** Which n8n line to run. */
	line: N8nLine;
	/** Folder under .sandbox/ holding this instance's n8n data. */
	name: string;
	/** Delete that folder first (a brand-new n8n). */
	fresh: boolean;
	/** Fixed ports; 0 picks a free one. */
	ports: typeof DEFAULT_PORTS;
	build: boolean;
	/** Echo n8n's own output (it always goes to .sandbox/<name>/n8n.log). */
	echoN8n: boolean;
	/** Extra environment for n8n (e.g. N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true). */
	env?: Record<string, string>;
}

export interface ImportedWorkflow {
	id: string;
	name: string;
	file: string;
	active: boolean;
	created: boolean;
}

export interface Sandbox {
	url: string;
	owner: Owner;
	userFolder: string;
	runtime: Runtime;
	n8n: N8nProcess;
	standIns: StandIns;
	rest: N8nRest;
	credentials: Record<string, SandboxCredential & { id: string }>;
	workflows: ImportedWorkflow[];
	/** Node and credential types of ours that n8n did not load (should be empty). */
	missing: { nodes: string[]; credentials: string[] };
	timings: { installSeconds: number; startSeconds: number; totalSeconds: number };
	stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
	const began = Date.now();
	const userFolder = sandboxDir(options.name);
	if (options.fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });

	const runtime = await ensureN8n(options.line);

	const pick = async (port: number) => (port === 0 ? freePort() : port);
	const ports = {
		n8n: await pick(options.ports.n8n),
		kanfang123: options.ports.kanfang123,
		aicc: options.ports.aicc,
		incs: options.ports.incs,
		openai: options.ports.openai,
	};

	if (options.build) await buildPackage();
	const tarball = await packPackage(sandboxDir('pack', options.name));
	const installed = await installCommunityPackage(userFolder, tarball);
	log(`n8n-nodes-task-dispatch ${installed.version}: ${installed.nodes.length} nodes, ${installed.credentials.length} credentials`);

	const standIns = await startStandIns(ports);
	log(
		`stand-ins listening: 123kanfang ${standIns.urls.kanfang123}, AICC ${standIns.urls.aicc}, INCS ${standIns.urls.incs}, model ${standIns.urls.openai}`,
	);

	let n8n: N8nProcess | undefined;
	const stop = async () => {
		await n8n?.stop();
		await standIns.stop();
	};
	// Never leave an n8n behind, whatever happens to this process.
	const killOnExit = () => n8n?.child.kill('SIGKILL');
	process.once('exit', killOnExit);

	try {
		// Binary data on disk, as in production setups: downloads stream to disk instead of memory.
		const env = { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', ...options.env };
		n8n = await startN8n({ runtime, userFolder, port: ports.n8n, echo: options.echoN8n, env });
		const rest = new N8nRest(n8n.url, runtime.line);
		const ownerState = await rest.ensureOwnerAndLogin(OWNER);
		log(ownerState === 'created' ? `owner account ${OWNER.email} created` : `logged in as ${OWNER.email}`);

		const nodeNames = new Set((await rest.nodeTypes()).map((t) => t.name));
		const credentialNames = new Set((await rest.credentialTypes()).map((t) => t.name));
		const missing = {
			nodes: NODE_TYPES.filter((t) => !nodeNames.has(t)),
			credentials: CREDENTIAL_TYPES.filter((t) => !credentialNames.has(t)),
		};
		if (missing.nodes.length || missing.credentials.length) {
			say(`WARNING: n8n did not load ${[...missing.nodes, ...missing.credentials].join(', ')} (see ${n8n.logFile})`);
		} else {
			log(`n8n loaded our ${NODE_TYPES.length} nodes and ${CREDENTIAL_TYPES.length} credential types`);
		}

		const credentials: Sandbox['credentials'] = {};
		for (const credential of sandboxCredentials(standIns.urls)) {
			if (!credentialNames.has(credential.type)) continue;
			const { credential: stored, created } = await rest.upsertCredential(
				credential.name,
				credential.type,
				credential.data,
			);
			credentials[credential.type] = { ...credential, id: stored.id };
			log(`credential "${credential.name}" (${credential.type}) ${created ? 'created' : 'updated'}`);
		}

		const workflows: ImportedWorkflow[] = [];
		const existing = await rest.workflows();
		for (const example of loadExamples()) {
			const unknown = example.types.filter((t) => t.startsWith(`${PACKAGE_NAME}.`) && !nodeNames.has(t));
			if (unknown.length) {
				say(`skipping example ${example.file}: n8n has no ${unknown.join(', ')}`);
				continue;
			}
			const found = existing.find((w) => w.name === example.workflow.name);
			let id: string;
			let active = found ? runtime.line.isActive(found) : false;
			if (found) {
				id = found.id;
				log(`workflow "${example.workflow.name}" already there (kept as it is)`);
			} else {
				id = (await rest.createWorkflow(withCredentials(example.workflow, credentials))).id;
				log(`workflow "${example.workflow.name}" imported from examples/${example.file}`);
			}
			if (example.hasTrigger && !active) {
				await rest.activateWorkflow(id);
				active = true;
				log(`workflow "${example.workflow.name}" activated`);
			}
			workflows.push({ id, name: example.workflow.name, file: example.file, active, created: !found });
		}

		const totalSeconds = Math.round((Date.now() - began) / 1000);
		return {
			url: n8n.url,
			owner: OWNER,
			userFolder,
			runtime,
			n8n,
			standIns,
			rest,
			credentials,
			workflows,
			missing,
			timings: { installSeconds: runtime.installSeconds, startSeconds: n8n.startSeconds, totalSeconds },
			stop: async () => {
				process.removeListener('exit', killOnExit);
				await stop();
			},
		};
	} catch (error) {
		process.removeListener('exit', killOnExit);
		await stop();
		throw error;
	}
}

function banner(sandbox: Sandbox) {
	const lines = [
		'',
		'  ┌──────────────────────────────────────────────────────────────────────────',
		`  │ n8n ${sandbox.runtime.version} with n8n-nodes-task-dispatch is running (ready in ${elapsed()})`,
		'  │',
		`  │ Editor:   ${sandbox.url}`,
		`  │ Login:    ${sandbox.owner.email}  /  ${sandbox.owner.password}`,
		'  │',
		'  │ Example workflows (open one, then "Execute workflow"):',
		...sandbox.workflows.map(
			(w) => `  │   ${sandbox.url}/workflow/${w.id}   ${w.name}${w.active ? '  [active]' : ''}`,
		),
		'  │',
		...(sandbox.workflows.some((w) => w.active)
			? [
					'  │ Play 123kanfang calling the active trigger workflow (signed "Completed" callback):',
					'  │   node build/scripts/send-callback.js        (add --tamper to see it refused with 401)',
					'  │',
				]
			: []),
		'  │ Local stand-ins of the vendor APIs (no real account needed):',
		`  │   123kanfang ${sandbox.standIns.urls.kanfang123}   AICC ${sandbox.standIns.urls.aicc}   INCS ${sandbox.standIns.urls.incs}`,
		`  │   OpenAI-compatible model (scripted: calls every tool once) ${sandbox.standIns.urls.openai}/v1`,
		`  │ n8n's log: ${path.relative(process.cwd(), sandbox.n8n.logFile)}`,
		'  │',
		'  │ Ctrl-C stops n8n and the stand-ins. `npm start -- --reset` starts from an empty n8n.',
		sandbox.runtime.line.id === '2'
			? '  │ n8n 1.x instead: `npm start -- --n8n=1` (or N8N_LINE=1 npm start).'
			: '  │ n8n 2.x (the default): `npm start`.',
		'  └──────────────────────────────────────────────────────────────────────────',
		'',
	];
	if (sandbox.missing.nodes.length || sandbox.missing.credentials.length) {
		lines.push(`  Not loaded by n8n: ${[...sandbox.missing.nodes, ...sandbox.missing.credentials].join(', ')}`, '');
	}
	process.stdout.write(lines.join('\n'));
}

function envPort(name: string, fallback: number) {
	const value = process.env[name];
	if (value === undefined || value === '') return fallback;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number`);
	return port;
}

async function main() {
	const args = process.argv.slice(2);
	if (args.includes('--help') || args.includes('-h')) {
		process.stdout.write(
			[
				'npm start [-- --n8n=1|2] [-- --reset] [-- --no-build]',
				'  --n8n=2     n8n 2.x on Node 24 (default); --n8n=1: n8n 1.x on the machine\'s Node (or N8N_LINE=1)',
				'  --reset     delete the sandbox\'s n8n data first (new owner, credentials, workflows)',
				'  --no-build  use dist/ as it is',
				'Environment: N8N_LINE (2), SANDBOX_N8N_PORT (5678), SANDBOX_KANFANG123_PORT (5681),',
				'  SANDBOX_AICC_PORT (5682), SANDBOX_INCS_PORT (5683), SANDBOX_OPENAI_PORT (5684),',
				'  N8N_RUNTIME_DIR (~/.cache/n8n-task-dispatch: node-24/, n8n-<version>/)',
				'',
			].join('\n'),
		);
		return;
	}
	const line = selectedLine(args);
	const sandbox = await startSandbox({
		line,
		// One data folder per line: n8n 2.x migrates the database past what 1.x can open.
		name: line.id === '2' ? 'dev' : `dev-n8n${line.id}`,
		fresh: args.includes('--reset'),
		build: !args.includes('--no-build'),
		echoN8n: true,
		ports: {
			n8n: envPort('SANDBOX_N8N_PORT', DEFAULT_PORTS.n8n),
			kanfang123: envPort('SANDBOX_KANFANG123_PORT', DEFAULT_PORTS.kanfang123),
			aicc: envPort('SANDBOX_AICC_PORT', DEFAULT_PORTS.aicc),
			incs: envPort('SANDBOX_INCS_PORT', DEFAULT_PORTS.incs),
			openai: envPort('SANDBOX_OPENAI_PORT', DEFAULT_PORTS.openai),
		},
	});
	banner(sandbox);

	let stopping = false;
	const shutdown = (signal: string) => {
		if (stopping) {
			say('second interrupt: killing n8n now');
			sandbox.n8n.child.kill('SIGKILL');
			process.exit(130);
		}
		stopping = true;
		say(`${signal}: stopping n8n and the stand-ins…`);
		void sandbox.stop().then(
			() => {
				say('stopped');
				process.exit(0);
			},
			(error) => {
				say(`error while stopping: ${(error as Error).message}`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
	sandbox.n8n.child.once('exit', (code, signal) => {
		if (stopping) return;
		say(`n8n exited on its own (code ${code}, signal ${signal}); see ${sandbox.n8n.logFile}`);
		void sandbox.standIns.stop().then(() => process.exit(1));
	});
}

if (require.main === module) {
	main().catch((error) => {
		say(`sandbox failed: ${(error as Error).message}`);
		process.exit(1);
	});
}
