/** One row of bench:n8n's table: ours against an n8n node doing the same work. */
export interface BenchRow {
	mode: string;
	case: string;
	ours: number;
	theirs: number;
	theirsName: string;
	unit: string;
	/** CPU milliseconds per item of the n8n processes that ran the executions (actions). */
	oursCpu?: number;
	theirsCpu?: number;
	/** Shown in the last column instead of CPU (downloads: memory growth). */
	note?: string;
}
