/**
 * Builds this package and installs it into an n8n user folder exactly as a user's n8n gets
 * it: `npm pack` makes the tarball the registry would serve (only what package.json's `files`
 * lists), and `npm install` puts it into `<userFolder>/.n8n/nodes`, where n8n loads community
 * packages from. `--legacy-peer-deps` keeps npm from pulling the newest n8n-workflow as a peer
 * (that one needs Node 24); n8n provides its own n8n-workflow at run time.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { log, say } from './log';
import { projectRoot } from './paths';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export function run(command: string, args: string[], cwd: string, what: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
		let stdout = '';
		let output = '';
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			output += chunk;
		});
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) return resolve(stdout);
			say(`${what} failed (exit code ${code}):`);
			for (const line of output.trim().split('\n').slice(-40)) say(`  ${line}`);
			reject(new Error(`${what} failed`));
		});
	});
}

export async function buildPackage() {
	log('building the package (npm run build: tsc + icons → dist/)');
	await run(npm, ['run', 'build'], projectRoot(), 'npm run build');
}

/** `npm pack` into `destination`; returns the tarball's path. */
export async function packPackage(destination: string): Promise<string> {
	fs.rmSync(destination, { recursive: true, force: true });
	fs.mkdirSync(destination, { recursive: true });
	const out = await run(
		npm,
		['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
		projectRoot(),
		'npm pack',
	);
	const [info] = JSON.parse(out) as Array<{ filename: string; entryCount: number; size: number }>;
	const tarball = path.join(destination, info.filename);
	log(`packed ${info.filename} (${info.entryCount} files, ${Math.round(info.size / 1024)} kB)`);
	return tarball;
}

/** Install the tarball as a community package of the n8n using `userFolder`. */
export async function installCommunityPackage(userFolder: string, tarball: string) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true }, null, 2),
	);
	// Same version number, new contents: start clean so npm cannot reuse the previous copy.
	fs.rmSync(path.join(nodesDir, 'node_modules', 'n8n-nodes-task-dispatch'), { recursive: true, force: true });
	fs.rmSync(path.join(nodesDir, 'package-lock.json'), { force: true });
	log(`installing it as a community package into ${nodesDir}`);
	await run(
		npm,
		['install', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-save', '--omit=dev', tarball],
		nodesDir,
		'npm install (community package)',
	);
	const installed = JSON.parse(
		fs.readFileSync(path.join(nodesDir, 'node_modules', 'n8n-nodes-task-dispatch', 'package.json'), 'utf8'),
	) as { version: string; n8n: { nodes: string[]; credentials: string[] } };
	return { nodesDir, version: installed.version, nodes: installed.n8n.nodes, credentials: installed.n8n.credentials };
}
