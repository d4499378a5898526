#!/usr/bin/env node
/**
 * `npm run scan`: n8n's verification scan (`@n8n/scan-community-package`) on this package,
 * the two legs its CLI runs on a published package, without the registry:
 *
 *   source   — this checkout's `package.json`, `nodes/` and `credentials/`, with the scanner's
 *              SOURCE_FILE_PATTERNS (what the CLI lints in the provenance-attested source);
 *   tarball  — what `npm pack` puts in the tarball (built `dist/`), unpacked into a temporary
 *              folder and linted with the CLI's tarball patterns (`**\/*.js`, `package.json`).
 *
 * Both legs use the scanner's own exported `buildScanConfig()` with the ESLint options its
 * `analyzePackage()` uses, so the counts of errors AND warnings can be printed (the scanner
 * itself only fails on errors; we want neither), and `analyzePackage()` itself is called for
 * the scanner's verdict. Any finding, or a verdict that is not "passed", exits non-zero.
 *
 * Options (used by test/scan): `--source <dir>` scans another folder as the source leg,
 * `--no-tarball` skips the pack/tarball leg. The tarball leg packs the current `dist/`:
 * run `npm run build` first (`npm run scan` does).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';
import glob from 'fast-glob';
import {
	analyzePackage,
	buildScanConfig,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

// eslint-plugin-n8n-nodes-base swaps some rules to its own test fixtures when NODE_ENV is
// "test"; the plugins load later (inside buildScanConfig), so the scan always runs as released.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

const args = process.argv.slice(2);
const sourceIndex = args.indexOf('--source');
const sourceDir = sourceIndex >= 0 ? path.resolve(args[sourceIndex + 1]) : root;
const withTarball = !args.includes('--no-tarball');

const scannerVersion = JSON.parse(
	fs.readFileSync(path.join(root, 'node_modules/@n8n/scan-community-package/package.json'), 'utf8'),
).version;

/** Lints `dir` exactly as the scanner's analyzePackage does, and returns every result. */
async function lint(dir, patterns) {
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = files.length > 0 ? await eslint.lintFiles(files) : [];
	const formatter = await eslint.loadFormatter('stylish');
	return { files, results, report: await formatter.format(results) };
}

async function leg(name, dir, patterns) {
	const { files, results, report } = await lint(dir, patterns);
	const errors = results.reduce((n, r) => n + r.errorCount, 0);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	const verdict = await analyzePackage(dir, patterns);
	console.log(
		`scan ${name}: ${errors} error(s), ${warnings} warning(s) in ${files.length} file(s); ` +
			`scanner verdict: ${verdict.passed ? 'passed' : `failed (${verdict.message})`}`,
	);
	if (report.trim()) console.log(report);
	const ok = files.length > 0 && errors === 0 && warnings === 0 && verdict.passed === true;
	if (files.length === 0) console.log(`scan ${name}: no files found in ${dir}`);
	return ok;
}

function packAndUnpack() {
	const distIndex = path.join(root, 'dist');
	if (!fs.existsSync(distIndex)) {
		throw new Error('dist/ is missing: run `npm run build` first (`npm run scan` does).');
	}
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-tarball-'));
	const packed = spawnSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', work],
		{ cwd: root, encoding: 'utf8' },
	);
	if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
	const [info] = JSON.parse(packed.stdout);
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	const untar = spawnSync('tar', ['-xzf', path.join(work, info.filename), '-C', unpacked, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
	return { work, unpacked, filename: info.filename };
}

console.log(`@n8n/scan-community-package ${scannerVersion}`);
let ok = await leg(`source (${path.relative(root, sourceDir) || '.'})`, sourceDir, SOURCE_FILE_PATTERNS);
if (withTarball) {
	const { work, unpacked, filename } = packAndUnpack();
	try {
		ok = (await leg(`tarball (${filename})`, unpacked, TARBALL_FILE_PATTERNS)) && ok;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}
if (!ok) {
	console.log('scan: FAILED — fix the findings above (never silence a rule).');
	process.exit(1);
}
console.log('scan: passed, 0 errors and 0 warnings');
