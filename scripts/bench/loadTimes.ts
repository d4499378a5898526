/** Part 4: load time of each built module, each in a fresh process. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import type { Verdicts } from './report';
import { fmt, table } from './report';

const LOAD_SCRIPT = `
const { performance } = require('node:perf_hooks');
const path = require('node:path');
const [file, name] = process.argv.slice(1);
const t0 = performance.now();
require(require.resolve('n8n-workflow', { paths: [path.dirname(file)] }));
const t1 = performance.now();
const exported = require(file)[name];
new exported();
const t2 = performance.now();
process.stdout.write(JSON.stringify({ workflow: t1 - t0, own: t2 - t1 }));
`;

function builtModules(root: string): Array<{ file: string; name: string }> {
	const found: Array<{ file: string; name: string }> = [];
	for (const folder of ['nodes', 'credentials']) {
		const walk = (dir: string) => {
			if (!fs.existsSync(dir)) return;
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(full);
				else if (/\.(node|credentials)\.js$/.test(entry.name)) found.push({ file: full, name: entry.name.split('.')[0] });
			}
		};
		walk(path.join(root, folder));
	}
	return found;
}

function median(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Load (and instantiate) every built node and credential module five times; print the medians. */
export function loadTimes(root: string, built: string, verdicts: Verdicts) {
	console.log('\n4. Load time of each built module (fresh process, n8n-workflow already loaded; median of 5)');
	// The modules this script was compiled with: the project's tsconfig, the same JavaScript as
	// dist/ (npm run build), without racing a concurrent build that empties dist/.
	console.log(`  modules compiled from the project's tsconfig into ${path.relative(root, built)}/ (the same JavaScript as dist/)`);
	const loadRows = [['module', 'load + instantiate ms', 'n8n-workflow cold ms']];
	for (const module of builtModules(built)) {
		const samples: Array<{ workflow: number; own: number }> = [];
		for (let i = 0; i < 5; i++) {
			const child = spawnSync(process.execPath, ['-e', LOAD_SCRIPT, module.file, module.name], { encoding: 'utf8' });
			if (child.status !== 0) {
				console.log(`  ${path.relative(built, module.file)}: failed to load — ${child.stderr.split('\n')[0]}`);
				break;
			}
			samples.push(JSON.parse(child.stdout) as { workflow: number; own: number });
		}
		if (samples.length === 0) continue;
		const own = median(samples.map((s) => s.own));
		loadRows.push([path.relative(built, module.file), fmt(own, 1), fmt(median(samples.map((s) => s.workflow)), 1)]);
		if (module.file.endsWith('.node.js')) verdicts.add(`${module.name} loads in < 50 ms`, own < 50, `${fmt(own, 1)} ms`);
	}
	table(loadRows);
}
