/**
 * The headless Chromium the e2e browser checks drive with playwright-core.
 *
 * CHROMIUM_PATH names a browser installed on the machine (Debian's chromium, Chrome). Without
 * it the browser comes from the npm registry, like everything else the tests need:
 * `@sparticuz/chromium` ships a headless Chromium brotli-compressed inside its tarball, with the
 * NSS/expat libraries it links against (Amazon Linux builds; they load on Debian 12, so only
 * glibc is needed). It is unpacked once per version next to the n8n runtimes
 * (<runtimeRoot>/chromium-<version>) — into a staging folder renamed into place, so a run that
 * is killed half-way or two runs at once never leave a half-written browser.
 *
 * Chinese labels need a CJK font: Noto Sans Hans from `@embedpdf/fonts-sc`, the only font the
 * browser is given (through a fonts.conf of ours), so screenshots look the same on every
 * machine, with or without system fonts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

import { runtimeRoot } from '../../scripts/lib/runtime';

/**
 * Flags for a test browser: no sandbox (we run as root in CI), no GPU, and no traffic of its
 * own — this machine's closed network refuses it, and the tests block any host but n8n's.
 */
const FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-dev-shm-usage',
];

interface Unpacked {
	executable: string;
	/** Folder of the shared libraries shipped with it (LD_LIBRARY_PATH). */
	libraries: string;
}

function packageDir(name: string): string {
	// Both packages' "exports" hide package.json; their entry file sits one or two folders down.
	let dir = path.dirname(require.resolve(name));
	while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
	return dir;
}

/**
 * Unpacks @sparticuz/chromium's browser with the package's own functions. They are ESM and
 * write into os.tmpdir(), so they run in a child Node whose TMPDIR is our staging folder.
 */
function unpackChromium(): Unpacked {
	const pkg = packageDir('@sparticuz/chromium');
	const version = (JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
	const target = path.join(runtimeRoot(), `chromium-${version}`);
	const unpacked = { executable: path.join(target, 'chromium'), libraries: path.join(target, 'al2023', 'lib') };
	if (fs.existsSync(unpacked.executable)) return unpacked;

	fs.mkdirSync(runtimeRoot(), { recursive: true });
	const staging = fs.mkdtempSync(`${target}.unpacking-`);
	const script = `
		import chromium, { inflate } from ${JSON.stringify(pathToFileURL(require.resolve('@sparticuz/chromium')).href)};
		await chromium.executablePath();
		await inflate(${JSON.stringify(path.join(pkg, 'bin', 'al2023.tar.br'))});
	`;
	try {
		execFileSync(process.execPath, ['--input-type=module', '-e', script], {
			env: { ...process.env, TMPDIR: staging },
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		fs.renameSync(staging, target);
	} catch (error) {
		fs.rmSync(staging, { recursive: true, force: true });
		// Another run renamed its copy into place first: use that one.
		if (!fs.existsSync(unpacked.executable)) throw error;
	}
	return unpacked;
}

/** A fonts.conf offering only the CJK font, with fontconfig's cache beside it. */
function writeFontConfig(folder: string): string {
	const fonts = path.join(packageDir('@embedpdf/fonts-sc'), 'fonts');
	const file = path.join(folder, 'fonts.conf');
	fs.writeFileSync(
		file,
		[
			'<?xml version="1.0"?>',
			'<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
			'<fontconfig>',
			`  <dir>${fonts}</dir>`,
			`  <cachedir>${path.join(folder, 'fontconfig-cache')}</cachedir>`,
			'</fontconfig>',
			'',
		].join('\n'),
	);
	return file;
}

/**
 * Launches headless Chromium: CHROMIUM_PATH's, else the one from the npm registry. Each launch
 * gets a fresh profile (playwright's own temporary user-data-dir) and a temporary folder for
 * the font configuration, both removed when the browser closes.
 */
export async function launchBrowser(): Promise<Browser> {
	const own = process.env.CHROMIUM_PATH;
	if (own && !fs.existsSync(own)) throw new Error(`CHROMIUM_PATH names no file: ${own}`);
	const bundled = own ? undefined : unpackChromium();

	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-task-dispatch-browser-'));
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		FONTCONFIG_FILE: writeFontConfig(folder),
	};
	if (bundled) env.LD_LIBRARY_PATH = [bundled.libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');

	try {
		const browser = await chromium.launch({
			executablePath: own ?? bundled?.executable,
			headless: true,
			args: FLAGS,
			env,
		});
		browser.on('disconnected', () => fs.rmSync(folder, { recursive: true, force: true }));
		return browser;
	} catch (error) {
		fs.rmSync(folder, { recursive: true, force: true });
		throw error;
	}
}
