/**
 * Download Package on a queue-mode worker of n8n 2.x with n8n's default binary data mode there
 * (database): what a VR package costs the worker, and where it stops. One main and one worker
 * on Postgres + Redis (names of this run's own); manual runs are offloaded to the worker.
 * Prints the worker's peak memory growth per size (README "Queue mode and large packages").
 *
 *     npx jest -c test/queue/jest.config.js test/queue/download.queue.ts
 */
import fs from 'node:fs';

import { DownloadHost, generatedMd5 } from '../../stand-ins/download';
import { demoAccountCredential, Kanfang123StandIn } from '../../stand-ins/kanfang123';
import { N8N_LINES } from '../../scripts/lib/n8n-lines';
import { buildPackage, packPackage } from '../../scripts/lib/package';
import { sandboxDir } from '../../scripts/lib/paths';
import type { QueueCluster } from '../../scripts/lib/queue-cluster';
import { checkServices, startCluster } from '../../scripts/lib/queue-cluster';
import { N8nRest } from '../../scripts/lib/rest';
import { ensureN8n } from '../../scripts/lib/runtime';
import { OWNER } from '../../scripts/sandbox';

const MIB = 1024 * 1024;
const lines: string[] = [];
let cluster: QueueCluster | undefined;
let standIn: Kanfang123StandIn;
let host: DownloadHost;
let rest: N8nRest;
let credential: { id: string; name: string };

function rss(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) * 1024 : 0;
}

beforeAll(async () => {
	await checkServices();
	const runtime = await ensureN8n(N8N_LINES['2']);
	if (process.env.E2E_SKIP_BUILD !== '1') await buildPackage();
	const tarball = await packPackage(sandboxDir('pack', 'queue-download'));
	standIn = new Kanfang123StandIn();
	await standIn.start(0);
	host = new DownloadHost();
	await host.start();
	// n8n's defaults in queue mode: binary data in the database, at most 512 MiB a file.
	cluster = await startCluster({ runtime, tarball, root: sandboxDir('queue-download'), workers: 1, env: {} });
	rest = new N8nRest(cluster.main.url, runtime.line);
	await rest.ensureOwnerAndLogin(OWNER);
	credential = await rest.createCredential('123kanfang demo', 'kanfang123Api', demoAccountCredential(standIn.baseUrl));
}, 600_000);

afterAll(async () => {
	await cluster?.stop();
	await host?.stop();
	await standIn?.stop();
	process.stdout.write(`\n${lines.map((line) => `[queue-download] ${line}`).join('\n')}\n`);
}, 120_000);

/** Run Download Package of `mib` MiB on the worker; its status, error and peak RSS growth. */
async function downloadOnWorker(mib: number) {
	const path = `/pkg-${mib}.zip`;
	const url = host.host(path, { size: mib * MIB, etag: `"q-${mib}"` });
	const md5 = await generatedMd5(mib * MIB);
	const { id } = await rest.createWorkflow({
		name: `queue download ${mib} MiB`,
		nodes: [
			{ parameters: {}, id: 'start', name: 'Run manually', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { resource: 'houseTask', operation: 'downloadPackage', downloadUrl: url, packageId: `q${mib}`, fileHash: md5, options: {} },
				id: 'download',
				name: 'Download package',
				type: 'n8n-nodes-task-dispatch.kanfang123',
				typeVersion: 1,
				position: [240, 0],
				credentials: { kanfang123Api: credential },
			},
		],
		connections: { 'Run manually': { main: [[{ node: 'Download package', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	const worker = cluster!.workers[0].child.pid!;
	const baseline = rss(worker);
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, rss(worker))), 20);
	try {
		const execution = await rest.waitForExecution(await rest.runManually(id, 'Run manually'), 300_000);
		const growth = Math.round((peak - baseline) / MIB);
		const error = execution.run.resultData.error?.message;
		lines.push(`${mib} MiB package on the worker (binary data: database): ${execution.status}, worker memory +${growth} MiB${error ? ` — ${error}` : ''}`);
		return { status: execution.status, error, growth, requests: host.requestsTo(path).length };
	} finally {
		clearInterval(sampler);
	}
}

describe('Download Package on a queue-mode worker (n8n 2.x, binary data in the database)', () => {
	test('256 MiB: stored; the worker holds the whole package in memory', async () => {
		const result = await downloadOnWorker(256);
		expect(result.status).toBe('success');
		expect(result.requests).toBe(1);
		// n8n's database store reads the stream into one buffer before it writes.
		expect(result.growth).toBeGreaterThan(200);
	});

	test('600 MiB: above N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE (512 MiB) — the execution fails', async () => {
		const result = await downloadOnWorker(600);
		expect(result.status).toBe('error');
		expect(result.requests).toBe(1);
	});
});
