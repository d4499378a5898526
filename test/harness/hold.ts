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

/** Timers at least this long are requests' time limits, not waits of ours (retries, batch intervals). */
const REQUEST_TIME_LIMIT_MS = 10_000;
const pendingWaitTimers = new Set<unknown>();
let putBackFakes = () => {};

/**
 * Jest's fake clock for timers and Date only: sockets, promises and setImmediate stay real, so
 * requests still flow while `jest.advanceTimersByTimeAsync` decides when a wait is over.
 * n8n's `sleep` (batch intervals, retry waits) is a plain setTimeout, so it follows this clock.
 *
 * n8n-core 2.x's axios also puts each request's time limit on the clock (a setTimeout of the
 * request's timeout, 300 s by default), so `jest.getTimerCount()` counts requests in flight as
 * well there; `pendingWaits()` counts only the shorter timers, our waits, on both n8n lines.
 */
export function useFakeClock() {
	jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	pendingWaitTimers.clear();
	const fakeSetTimeout = global.setTimeout;
	const fakeClearTimeout = global.clearTimeout;
	// The fake clock must find its own functions when it is uninstalled (useRealClock).
	putBackFakes = () => {
		global.setTimeout = fakeSetTimeout;
		global.clearTimeout = fakeClearTimeout;
	};
	global.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
		const timer = fakeSetTimeout(() => {
			pendingWaitTimers.delete(timer);
			callback(...args);
		}, ms);
		if ((ms ?? 0) < REQUEST_TIME_LIMIT_MS) pendingWaitTimers.add(timer);
		return timer;
	}) as typeof setTimeout;
	global.clearTimeout = ((timer?: Parameters<typeof clearTimeout>[0]) => {
		pendingWaitTimers.delete(timer);
		fakeClearTimeout(timer);
	}) as typeof clearTimeout;
}

/** Back to real timers after useFakeClock (instead of jest.useRealTimers). */
export function useRealClock() {
	putBackFakes();
	putBackFakes = () => {};
	pendingWaitTimers.clear();
	jest.useRealTimers();
}

/** Waits of ours (timers shorter than a request's time limit) pending on the fake clock. */
export function pendingWaits(): number {
	return pendingWaitTimers.size;
}
