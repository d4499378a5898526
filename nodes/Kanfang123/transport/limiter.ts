/**
 * At most `limit` tasks at once; the others wait in order. One per node execution (downloads
 * of all items and files share it), so it lives no longer than the execution.
 */
export class Limiter {
	private running = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
		else this.running++;
		try {
			return await task();
		} finally {
			// The slot passes straight to the next waiter, or is given back.
			const next = this.waiting.shift();
			if (next) next();
			else this.running--;
		}
	}
}
