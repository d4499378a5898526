import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The repository root: the nearest folder above this file whose package.json is ours. */
export function projectRoot(): string {
	let dir = __dirname;
	for (;;) {
		const candidate = path.join(dir, 'package.json');
		if (fs.existsSync(candidate)) {
			const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string };
			if (pkg.name === 'n8n-nodes-task-dispatch') return dir;
		}
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error('Could not find the n8n-nodes-task-dispatch project folder');
		dir = parent;
	}
}

/** Per-user cache folder (XDG_CACHE_HOME or ~/.cache) for things shared between checkouts. */
export function userCacheDir(): string {
	return process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
}

/** The project-local, git-ignored work folder of the sandbox and the e2e run. */
export function sandboxDir(...parts: string[]): string {
	return path.join(projectRoot(), '.sandbox', ...parts);
}
