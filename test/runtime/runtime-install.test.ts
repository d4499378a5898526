/**
 * The runtime installer (scripts/lib/runtime.ts) on a small fake runtime: one local package
 * whose install script "builds" it (writes the file its main module loads) — the way sqlite3
 * must be built before n8n can start. Real nested npm runs, no registry needed. The test runs
 * with npm_config_ignore_scripts=true in its environment, as under `npm test` with our .npmrc:
 * the installer must not inherit it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { setQuiet } from '../../scripts/lib/log';
import type { InstallSpec } from '../../scripts/lib/runtime';
import { cleanNpmEnvironment, ensureInstalled, runCheck, RuntimeInstallError } from '../../scripts/lib/runtime';

jest.setTimeout(120_000);

let work: string;
let spec: InstallSpec;
const saved = { ...process.env };

function writePackage(dir: string) {
	const pkg = path.join(dir, 'src', 'package');
	fs.mkdirSync(pkg, { recursive: true });
	fs.writeFileSync(
		path.join(pkg, 'package.json'),
		JSON.stringify({ name: 'fake-native', version: '1.0.0', main: 'index.js', scripts: { install: 'node build.js' } }),
	);
	// The "native build": refuses when told to (a machine without compilers), else writes the
	// file that index.js needs.
	fs.writeFileSync(
		path.join(pkg, 'build.js'),
		[
			"const fs = require('fs');",
			"if (process.env.FAKE_NATIVE_REFUSE === '1') { console.error('fake-native: no compiler found'); process.exit(1); }",
			"fs.writeFileSync(__dirname + '/built.json', JSON.stringify({ node: process.version }));",
			"console.log('fake-native: built');",
		].join('\n'),
	);
	fs.writeFileSync(path.join(pkg, 'index.js'), "module.exports = require('./built.json');\n");
	const tarball = path.join(dir, 'fake-native-1.0.0.tgz');
	execFileSync('tar', ['czf', tarball, '-C', path.join(dir, 'src'), 'package']);
	return tarball;
}

/** What the installer printed (kept off the test output; the failure case reads it). */
let printed = '';

beforeAll(() => {
	setQuiet(true);
	jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
		printed += String(chunk);
		return true;
	});
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-install-'));
	const tarball = writePackage(work);
	const template = path.join(work, 'template');
	fs.mkdirSync(template);
	fs.writeFileSync(
		path.join(template, 'package.json'),
		JSON.stringify({ name: 'fake-runtime', private: true, dependencies: { 'fake-native': `file:${tarball}` } }, null, 2),
	);
	// The lock file, as the committed ones are made.
	execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], {
		cwd: template,
		env: cleanNpmEnvironment({ node: process.execPath }),
		stdio: 'ignore',
	});
	const dir = path.join(work, 'runtime');
	spec = {
		name: 'fake runtime',
		dir,
		template,
		node: process.execPath,
		async verify() {
			const failure = await runCheck(process.execPath, dir, "require('fake-native')");
			return failure ? [{ message: `fake-native does not load: ${failure}`, rebuild: 'fake-native' }] : [];
		},
	};
});

beforeEach(() => {
	// What npm passes on to `npm test` from our .npmrc.
	process.env.npm_config_ignore_scripts = 'true';
	delete process.env.FAKE_NATIVE_REFUSE;
});

afterAll(() => {
	jest.restoreAllMocks();
	process.env = saved;
	setQuiet(false);
	fs.rmSync(work, { recursive: true, force: true });
});

const built = () => path.join(spec.dir, 'node_modules', 'fake-native', 'built.json');

describe('runtime installer', () => {
	test('a nested npm gets a clean environment: no inherited npm settings, scripts on, nodedir as asked', () => {
		const env = cleanNpmEnvironment(
			{ node: '/opt/node24/bin/node', nodedir: '/opt/node24' },
			{
				PATH: '/usr/bin',
				HOME: '/home/u',
				npm_config_ignore_scripts: 'true',
				npm_config_legacy_peer_deps: 'true',
				npm_config_nodedir: '/usr',
				npm_lifecycle_event: 'test',
				npm_config_registry: 'https://registry.example/',
				NODE_ENV: 'test',
			},
		);
		expect(env).toMatchObject({
			PATH: '/opt/node24/bin:/usr/bin',
			HOME: '/home/u',
			npm_config_ignore_scripts: 'false',
			npm_config_nodedir: '/opt/node24',
			npm_config_registry: 'https://registry.example/',
		});
		expect(env.npm_config_legacy_peer_deps).toBeUndefined();
		expect(env.npm_lifecycle_event).toBeUndefined();
		expect(env.NODE_ENV).toBeUndefined();
	});

	test('installs into an empty folder with install scripts run, although ours say ignore-scripts', async () => {
		const result = await ensureInstalled(spec);
		expect(result.action).toBe('installed');
		expect(JSON.parse(fs.readFileSync(built(), 'utf8'))).toEqual({ node: process.version });
		expect(await spec.verify()).toEqual([]);
	});

	test('a whole install is reused as it is', async () => {
		const result = await ensureInstalled(spec);
		expect(result).toEqual({ seconds: 0, action: 'reused' });
	});

	test('a native module that does not load (install script never ran) is rebuilt', async () => {
		fs.rmSync(built());
		expect(await spec.verify()).toHaveLength(1);
		const result = await ensureInstalled(spec);
		expect(result.action).toBe('rebuilt');
		expect(await spec.verify()).toEqual([]);
	});

	test('a half-installed folder (a package missing) is reinstalled', async () => {
		fs.rmSync(path.join(spec.dir, 'node_modules', 'fake-native'), { recursive: true });
		const result = await ensureInstalled(spec);
		expect(result.action).toBe('reinstalled');
		expect(await spec.verify()).toEqual([]);
	});

	test('an install from other pins (changed template) is updated', async () => {
		fs.writeFileSync(path.join(spec.dir, '.sandbox-runtime.json'), JSON.stringify({ fingerprint: 'older pins' }));
		const result = await ensureInstalled(spec);
		expect(result.action).toBe('installed');
		expect(await spec.verify()).toEqual([]);
	});

	test('when neither rebuild nor reinstall helps, the error says so and names the log file', async () => {
		fs.rmSync(built());
		process.env.FAKE_NATIVE_REFUSE = '1';
		printed = '';
		const failure = ensureInstalled(spec);
		await expect(failure).rejects.toThrow(RuntimeInstallError);
		const error = (await failure.catch((e: RuntimeInstallError) => e)) as RuntimeInstallError;
		const logFile = path.join(spec.dir, 'install.log');
		expect(error.logFile).toBe(logFile);
		expect(error.message).toContain(logFile);
		expect(fs.readFileSync(logFile, 'utf8')).toContain('fake-native: no compiler found');
		// It tried the cure and the reinstall first, and said so.
		expect(printed).toContain('rebuilding fake-native of fake runtime from source');
		expect(printed).toContain('reinstalling fake runtime from scratch');
		expect(printed).toContain(`all of it in ${logFile}`);
		// And the next run, on a machine that can build, repairs it.
		delete process.env.FAKE_NATIVE_REFUSE;
		expect((await ensureInstalled(spec)).action).not.toBe('reused');
		expect(await spec.verify()).toEqual([]);
	});
});
