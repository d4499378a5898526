/**
 * `npm run bench` — throughput, overhead, memory and load time of the action nodes (issue 7).
 *
 * Every workload runs through the test Harness (n8n-core's WorkflowExecute with real execution
 * contexts and HTTP helpers) against the stand-in servers, which run in a separate process (as
 * a real API would) with injected latency:
 *
 * 1. 1,000 items through each action node (123kanfang Assign Capture Task, AICC Create, INCS
 *    Create) at 20 ms latency and 10 parallel requests: wall time, items/s, ratio to the ideal
 *    (items × latency ÷ parallelism), CPU per item (this process and the stand-ins'), peak RSS
 *    and heap; the same requests through a bare `helpers.httpRequest` pool (n8n's transport
 *    without any node logic), through n8n's own HTTP Request node (loaded from the n8n install
 *    of the sandbox, if present), and with axios directly (the machine's floor).
 * 2. Per-item cost at zero latency, and the overhead of each node over the bare baseline.
 * 3. Memory for 10,000 items: peak live heap, heap held with the output, heap left after it.
 * 4. Load time of each built module (nodes/**\/X.node.js, credentials/*.js, as compiled for this
 *    script: the same JavaScript as dist/), each in a fresh process that has n8n-workflow
 *    loaded already, as n8n has when it loads a community package.
 *
 * Compiled by tsconfig.bench.json into .cache/bench and run with --expose-gc. One concern a file:
config (environment), standIns (their process), workloads, runners (node, bare, HTTP Request
node, axios), measure, sections (parts 1–3), loadTimes (part 4), report (tables, verdicts).
 * Environment: BENCH_ITEMS (1000), BENCH_LATENCY (20), BENCH_PARALLEL (10), BENCH_MEMORY_ITEMS
 * (10000); BENCH_SECTIONS (e.g. "1,2": which of the four parts to run) and BENCH_ONLY (a word
 * of the workload names, e.g. "INCS") to narrow a run down, for profiling; BENCH_HTTP_NODE=off
 * leaves n8n's HTTP Request node out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { readConfig } from './config';
import { loadTimes } from './loadTimes';
import { Meter } from './measure';
import { fmt, Verdicts } from './report';
import { createRunners } from './runners';
import { memory, overhead, throughput } from './sections';
import { Servers } from './standIns';
import { workloads } from './workloads';

async function main() {
	const config = readConfig();
	// This file runs from .cache/bench/scripts/bench/.
	const built = path.resolve(__dirname, '..', '..');
	const root = path.resolve(built, '..', '..');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-task-dispatch-bench-'));
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
	process.env.N8N_LOG_LEVEL = 'silent';
	const benchStarted = performance.now();

	const servers = await Servers.start();
	const list = workloads(servers.info).filter((w) => !config.only || w.name.toLowerCase().includes(config.only));
	const runners = await createRunners(config, list);
	const bench = { config, servers, meter: new Meter(servers), runners, list, verdicts: new Verdicts() };
	const { parallel } = config;

	console.log(`n8n-nodes-task-dispatch benchmark — Node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'})`);
	console.log('Stand-in servers in a separate process; nodes run in n8n-core\'s WorkflowExecute (test Harness).');
	console.log(`HTTP Request node: ${runners.httpRequest.loaded ? runners.httpRequest.file : `skipped — ${runners.httpRequest.skip}`}`);

	// Warm-up: JIT, sockets, n8n-core's lazy services.
	await servers.latency(0);
	for (const workload of list) {
		await bench.meter.measure(runners.node(workload, 200, parallel));
		await bench.meter.measure(runners.bare(workload, 200, parallel));
		if (runners.httpRequest.loaded) {
			await bench.meter.measure(runners.http(workload, 200, { batch: { batchSize: parallel, batchInterval: 1 } }));
		}
	}

	if (config.sections.has('1')) await throughput(bench);
	if (config.sections.has('2')) await overhead(bench);
	if (config.sections.has('3')) await memory(bench);
	servers.stop();
	if (config.sections.has('4')) loadTimes(root, built, bench.verdicts);

	bench.verdicts.print();
	console.log(`\nBenchmark took ${fmt((performance.now() - benchStarted) / 1000, 1)} s.`);
	fs.rmSync(userFolder, { recursive: true, force: true });
	// n8n-core leaves timers of its instance services running.
	process.exit(0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
