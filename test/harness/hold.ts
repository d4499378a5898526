/**
 * Answers held back at a stand-in until the test releases them. Tests count what reached the
 * server while nothing was answered (how many requests are in flight, which batch went out),
 * instead of measuring how long something took: the counts are the same on a busy machine.
 * The stand-ins keep their routes private; this wraps one route's handler like
 * test/resilience/setup.ts does.
 */
import type { RecordedRequest, RouteHandler, StandInServer } from '../../stand-ins/base';

export interface HeldAnswers {
	/** Requests that reached the route so far. */
	readonly arrived: RecordedRequest[];
	/** Requests waiting for their answer now. */
	readonly waiting: number;
	/** The most requests that were waiting at one time. */
	readonly mostWaiting: number;
	/** For each arrival, in order: how many answers had been released before it came. */
	readonly answeredBefore: number[];
	/** Resolves once `count` requests have reached the route. */
	arrivals(count: number): Promise<void>;
	/** Answer the waiting requests: all of them, or the `count` that arrived last (newest first). */
	release(count?: number): void;
	/** Answer every request at once from now on, and put the route back. */
	restore(): void;
}

export function holdAnswers(server: StandInServer, method: string, path: string): HeldAnswers {
	const routes = (server as unknown as { routes: Map<string, RouteHandler> }).routes;
	const key = `${method.toUpperCase()} ${path.toLowerCase()}`;
	const original = routes.get(key);
	if (!original) throw new Error(`No route ${key}`);

	const arrived: RecordedRequest[] = [];
	const waiting: Array<() => void> = [];
	const watchers: Array<{ count: number; resolve: () => void }> = [];
	const answeredBefore: number[] = [];
	let mostWaiting = 0;
	let released = 0;
	let holding = true;

	routes.set(key, async (request) => {
		arrived.push(request);
		answeredBefore.push(released);
		for (const watcher of watchers.filter((w) => arrived.length >= w.count)) {
			watchers.splice(watchers.indexOf(watcher), 1);
			watcher.resolve();
		}
		if (holding) {
			await new Promise<void>((resolve) => {
				waiting.push(resolve);
				mostWaiting = Math.max(mostWaiting, waiting.length);
			});
		}
		return await original(request);
	});

	const release = (count = waiting.length) => {
		released += Math.min(count, waiting.length);
		for (const resolve of waiting.splice(waiting.length - count, count).reverse()) resolve();
	};

	return {
		arrived,
		get waiting() {
			return waiting.length;
		},
		get mostWaiting() {
			return mostWaiting;
		},
		answeredBefore,
		arrivals: async (count) => {
			if (arrived.length >= count) return;
			await new Promise<void>((resolve) => watchers.push({ count, resolve }));
		},
		release,
		restore: () => {
			holding = false;
			release();
			routes.set(key, original);
		},
	};
}

/** Resolves once `condition()` holds, looking again after every turn of the event loop. */
export async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Jest's fake clock for timers and Date only: sockets, promises and setImmediate stay real, so
 * requests still flow while `jest.advanceTimersByTimeAsync` decides when a wait is over.
 * n8n's `sleep` (batch intervals, retry waits) is a plain setTimeout, so it follows this clock.
 */
export function useFakeClock() {
	jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
}
