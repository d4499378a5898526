/**
 * The scan gate itself (scripts/scan.mjs, run by `npm run test:unit`): it must count and fail on
 * a finding, not only pass. A copy of the source with one planted problem per kind — an error
 * (author without email) and a warning (a single-file icon) — must make it exit non-zero and
 * print both counts; the untouched copy must pass.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');
let copy: string;

function scan(dir: string) {
	const result = spawnSync(process.execPath, [path.join(root, 'scripts/scan.mjs'), '--source', dir, '--no-tarball'], {
		cwd: root,
		encoding: 'utf8',
		// eslint-plugin-n8n-nodes-base switches some rules to its own fixtures when NODE_ENV is
		// "test" (which Jest sets): run the scan as `npm test` runs it, outside Jest's env.
		env: { ...process.env, NODE_ENV: 'production', JEST_WORKER_ID: undefined },
	});
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeEach(() => {
	copy = mkdtempSync(path.join(os.tmpdir(), 'scan-source-'));
	for (const entry of ['package.json', 'nodes', 'credentials']) {
		cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
	}
});

afterEach(() => rmSync(copy, { recursive: true, force: true }));

it('passes the untouched source with 0 errors and 0 warnings', () => {
	const { status, output } = scan(copy);
	expect(output).toMatch(/scan source \(.+\): 0 error\(s\), 0 warning\(s\) in \d+ file\(s\); scanner verdict: passed/);
	expect(status).toBe(0);
});

it('fails and counts an error and a warning', () => {
	const pkg = JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8'));
	pkg.author = { name: pkg.author.name };
	writeFileSync(path.join(copy, 'package.json'), JSON.stringify(pkg, null, 2));
	const nodeFile = path.join(copy, 'nodes/Incs/Incs.node.ts');
	writeFileSync(
		nodeFile,
		readFileSync(nodeFile, 'utf8').replace(/icon: \{ light: 'file:incs\.svg', dark: 'file:incs\.dark\.svg' \}/, "icon: 'file:incs.svg'"),
	);
	const { status, output } = scan(copy);
	expect(output).toMatch(/scan source \(.+\): 1 error\(s\), 1 warning\(s\)/);
	expect(output).toContain('@n8n/community-nodes/valid-author');
	expect(output).toContain('@n8n/community-nodes/icon-prefer-themed-variants');
	expect(output).toContain('scan: FAILED');
	expect(status).toBe(1);
});

it('fails on a warning alone, which the scanner by itself would pass', () => {
	const nodeFile = path.join(copy, 'nodes/Aicc/Aicc.node.ts');
	writeFileSync(
		nodeFile,
		readFileSync(nodeFile, 'utf8').replace(/icon: \{ light: 'file:aicc\.svg', dark: 'file:aicc\.dark\.svg' \}/, "icon: 'file:aicc.svg'"),
	);
	const { status, output } = scan(copy);
	expect(output).toMatch(/0 error\(s\), 1 warning\(s\) in \d+ file\(s\); scanner verdict: passed/);
	expect(status).toBe(1);
});
