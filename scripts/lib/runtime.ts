/**
 * The real n8n the sandbox and the e2e tests run: installed once into a cache folder outside
 * node_modules (default ~/.cache/n8n-task-dispatch/n8n-<version>, or N8N_SANDBOX_RUNTIME_DIR)
 * from scripts/n8n-runtime/{package.json,package-lock.json}, then reused. The lock file pins
 * every transitive package: a later release of one of n8n's dependencies (it happened with
 * @langchain/langgraph-checkpoint) cannot break the install. A marker file records which
 * package.json + lock the folder was installed from, so a changed pin triggers a reinstall,
 * and an interrupted install is redone.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { elapsed, log, say, sleep } from './log';
import { projectRoot, userCacheDir } from './paths';

export const N8N_VERSION = '1.123.0';

const MARKER = '.sandbox-runtime.json';

/** Roughly what the finished install weighs, for the progress line. */
const EXPECTED_MB = 1450;

export interface Runtime {
	dir: string;
	/** The n8n CLI script (run it with `node`). */
	bin: string;
	version: string;
	/** Seconds the install took in this call, or 0 when the cached one was reused. */
	installSeconds: number;
}

export function runtimeDir(): string {
	return (
		process.env.N8N_SANDBOX_RUNTIME_DIR ||
		path.join(userCacheDir(), 'n8n-task-dispatch', `n8n-${N8N_VERSION}`)
	);
}

function templateFiles() {
	const dir = path.join(projectRoot(), 'scripts', 'n8n-runtime');
	return {
		packageJson: fs.readFileSync(path.join(dir, 'package.json')),
		lock: fs.readFileSync(path.join(dir, 'package-lock.json')),
	};
}

function fingerprint(files: { packageJson: Buffer; lock: Buffer }) {
	return createHash('sha256').update(files.packageJson).update('\0').update(files.lock).digest('hex');
}

function installedVersion(dir: string): string | undefined {
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
		return pkg.version as string;
	} catch {
		return undefined;
	}
}

function readMarker(dir: string): { fingerprint?: string } {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return {};
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
			if (!announced) log(`another process (pid ${pid}) is installing n8n into ${dir}; waiting for it`);
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
 * `npm install` with the lock file in place installs exactly the locked versions. (Not
 * `npm ci`: it insists on lock entries for every platform's optional packages, and a few of
 * those — e.g. msgpackr-extract for macOS — are not on every registry mirror.)
 */
async function npmInstall(dir: string) {
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const args = ['install', '--no-audit', '--no-fund', '--loglevel=warn'];
	const logFile = path.join(dir, 'install.log');
	const out = fs.createWriteStream(logFile);
	const started = Date.now();
	log(`running \`npm ${args[0]}\` in ${dir} (full output: ${logFile})`);
	const child = spawn(npm, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
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
	const timer = setInterval(() => {
		void folderMegabytes(path.join(dir, 'node_modules')).then((mb) => {
			const size = mb === undefined ? '' : `, ${mb} MB of about ${EXPECTED_MB} MB on disk`;
			log(`installing n8n ${N8N_VERSION}… ${elapsed(started)}${size}`);
		});
	}, 15_000);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	}).finally(() => {
		clearInterval(timer);
		out.end();
	});
	if (code !== 0) {
		say(`npm ${args[0]} failed (exit code ${code}); its first error lines (all of it in ${logFile}):`);
		for (const line of errors.slice(0, 25)) say(`  ${line}`);
		throw new Error(`Installing n8n ${N8N_VERSION} into ${dir} failed`);
	}
}

/** Install n8n into the cache folder when it is missing or out of date; return where it is. */
export async function ensureN8n(): Promise<Runtime> {
	const dir = runtimeDir();
	const files = templateFiles();
	const wanted = fingerprint(files);
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const ready = () => readMarker(dir).fingerprint === wanted && installedVersion(dir) === N8N_VERSION;
	if (ready()) {
		log(`n8n ${N8N_VERSION} found in ${dir}`);
		return { dir, bin, version: N8N_VERSION, installSeconds: 0 };
	}
	return withInstallLock(dir, async () => {
		if (ready()) return { dir, bin, version: N8N_VERSION, installSeconds: 0 };
		const started = Date.now();
		fs.mkdirSync(dir, { recursive: true });
		const fresh = !fs.existsSync(path.join(dir, 'node_modules'));
		say(
			fresh
				? `installing n8n ${N8N_VERSION} into ${dir} — first run only, takes a few minutes (up to ~10 on a cold npm cache) and 1.4 GB`
				: `updating the n8n ${N8N_VERSION} install in ${dir} to the pinned package versions`,
		);
		fs.rmSync(path.join(dir, MARKER), { force: true });
		fs.writeFileSync(path.join(dir, 'package.json'), files.packageJson);
		fs.writeFileSync(path.join(dir, 'package-lock.json'), files.lock);
		await npmInstall(dir);
		const version = installedVersion(dir);
		if (version !== N8N_VERSION) {
			throw new Error(`Expected n8n ${N8N_VERSION} in ${dir} after installing, found ${version ?? 'none'}`);
		}
		const installSeconds = Math.round((Date.now() - started) / 1000);
		fs.writeFileSync(
			path.join(dir, MARKER),
			JSON.stringify({ fingerprint: wanted, version, installedAt: new Date().toISOString(), installSeconds }, null, 2),
		);
		say(`n8n ${N8N_VERSION} installed in ${elapsed(started)}`);
		return { dir, bin, version: N8N_VERSION, installSeconds };
	});
}
