/** The benchmark's settings, from the environment (see index.ts). */
export interface BenchConfig {
	items: number;
	latency: number;
	parallel: number;
	memoryItems: number;
	/** Which of the four parts to run ("1".."4"). */
	sections: Set<string>;
	/** A word of the workload names, lower case, to narrow a run down. */
	only?: string;
	/** Whether to load n8n's HTTP Request node for comparison. */
	httpNode: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
	return {
		items: Number(env.BENCH_ITEMS ?? 1000),
		latency: Number(env.BENCH_LATENCY ?? 20),
		parallel: Number(env.BENCH_PARALLEL ?? 10),
		memoryItems: Number(env.BENCH_MEMORY_ITEMS ?? 10_000),
		sections: new Set((env.BENCH_SECTIONS ?? '1,2,3,4').split(',').map((s) => s.trim())),
		only: env.BENCH_ONLY?.toLowerCase(),
		httpNode: env.BENCH_HTTP_NODE !== 'off',
	};
}
