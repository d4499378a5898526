import { performance } from 'node:perf_hooks';

import type { IDataObject } from 'n8n-workflow';

import type { Servers } from './standIns';

export interface Measurement {
	wallMs: number;
	cpuMs: number;
	peakRssMb: number;
	peakHeapMb: number;
	rssGrowthMb: number;
	heapGrowthMb: number;
	/** Live heap over the baseline right after the run, output still held (after a full GC). */
	heldMb: number;
	/** Live heap over the baseline once the output is released (after a full GC): leaks. */
	retainedMb: number;
	outputs: number;
	errors: number;
	counts: Record<string, number>;
	/** CPU time of the stand-in servers' process during the run. */
	serverCpuMs: number;
}

const MB = 1024 * 1024;
const gc = () => (global as { gc?: () => void }).gc?.();

/** What a measured run returns (a node's output, or the same shape from axios). */
export type RunOutput = { items: Array<{ json: IDataObject }>; error?: unknown };

/**
 * Runs workloads and measures them; numbers the runs, so that each run's items are new to the
 * stand-ins (which refuse a second open task for the same house or phone).
 */
export class Meter {
	private runs = 0;

	constructor(private readonly servers: Servers) {}

	/**
	 * Runs one workload and measures it. Memory is sampled every 10 ms; with `liveHeap` a full
	 * GC runs before every sample (every 500 ms), so the peak heap is the peak of live objects
	 * rather than of garbage V8 has not collected yet.
	 */
	async measure(run: (run: number) => Promise<RunOutput>, liveHeap = false): Promise<Measurement> {
		return await measureRun(this.servers, run, ++this.runs, liveHeap);
	}
}

async function measureRun(
	servers: Servers,
	run: (run: number) => Promise<RunOutput>,
	runNumber: number,
	liveHeap: boolean,
): Promise<Measurement> {
	gc();
	gc();
	const before = process.memoryUsage();
	let peakRss = before.rss;
	let peakHeap = before.heapUsed;
	const sampler = setInterval(
		() => {
			if (liveHeap) gc();
			const now = process.memoryUsage();
			peakRss = Math.max(peakRss, now.rss);
			peakHeap = Math.max(peakHeap, now.heapUsed);
		},
		liveHeap ? 500 : 10,
	);
	const cpu = process.cpuUsage();
	const started = performance.now();
	let result: RunOutput | undefined = await run(runNumber);
	const wallMs = performance.now() - started;
	const cpuUsed = process.cpuUsage(cpu);
	clearInterval(sampler);
	if (liveHeap) gc();
	const end = process.memoryUsage();
	peakRss = Math.max(peakRss, end.rss);
	peakHeap = Math.max(peakHeap, end.heapUsed);
	const held = end.heapUsed - before.heapUsed;
	const outputs = result.items.length;
	// Error items carry a text `error` (INCS's own success envelope has an empty `error` object).
	const errors = result.items.filter((item) => typeof item.json.error === 'string').length + (result.error ? 1 : 0);
	if (result.error) console.error('  run failed:', (result.error as Error).message);
	result = undefined;
	// Let closed sockets and their request objects go before measuring what stays.
	await new Promise((resolve) => setTimeout(resolve, 300));
	gc();
	gc();
	const retained = process.memoryUsage().heapUsed - before.heapUsed;
	return {
		wallMs,
		cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
		peakRssMb: peakRss / MB,
		peakHeapMb: peakHeap / MB,
		rssGrowthMb: (peakRss - before.rss) / MB,
		heapGrowthMb: (peakHeap - before.heapUsed) / MB,
		heldMb: held / MB,
		retainedMb: retained / MB,
		outputs,
		errors,
		...(await servers.counts().then(({ counts, cpuMs }) => ({ counts, serverCpuMs: cpuMs }))),
	};
}
