/**
 * Load on a webhook URL of a real n8n, for the 123kanfang Trigger's cost per callback and its
 * refusal of flood bodies (issues 11 and 14). No n8n start-up here: callers hand in URLs (the
 * e2e suite's n8n, or the one `callbacksN8n.ts` starts), so the same numbers come out of tests
 * and of the bench.
 */
import { performance } from 'node:perf_hooks';

import { post } from '../../stand-ins/callback';

export interface PostResult {
	status: number;
	text: string;
	ms: number;
}

/** One POST with a keep-alive-free connection (like a vendor's callback), timed. */
export async function postBody(url: string, body: string | Buffer, headers: Record<string, string>): Promise<PostResult> {
	const started = performance.now();
	const reply = await post(url, body, headers, { fresh: true });
	return { status: reply.status, text: reply.text, ms: performance.now() - started };
}

export interface FloodResult {
	bytes: number;
	status: number;
	reply: string;
	/** Time from sending the first byte to the complete reply. */
	ms: number;
	/** /healthz round trips measured every 10 ms while the flood request was under way. */
	healthz: { count: number; maxMs: number; medianMs: number };
}

/**
 * POST `bytes` of `a&a&a…` (a wrong sign, a fresh timestamp) to `url` while pinging
 * `healthUrl` every 10 ms; returns the reply and how long /healthz took meanwhile.
 */
export async function flood(url: string, healthUrl: string, bytes: number): Promise<FloodResult> {
	const body = Buffer.from('a&'.repeat(Math.ceil(bytes / 2)).slice(0, bytes));
	const pings: number[] = [];
	let running = true;
	const pinger = (async () => {
		while (running) {
			const started = performance.now();
			const response = await fetch(healthUrl);
			await response.text();
			pings.push(performance.now() - started);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	})();
	const result = await postBody(url, body, {
		'content-type': 'application/x-www-form-urlencoded',
		timestamp: String(Date.now()),
		sign: '0'.repeat(32),
	});
	running = false;
	await pinger;
	const sorted = [...pings].sort((a, b) => a - b);
	return {
		bytes,
		status: result.status,
		reply: result.text.slice(0, 200),
		ms: result.ms,
		healthz: {
			count: pings.length,
			maxMs: sorted.length ? sorted[sorted.length - 1] : 0,
			medianMs: sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0,
		},
	};
}

export interface BurstResult {
	callbacks: number;
	concurrency: number;
	/** Wall time until every callback was answered. */
	answeredMs: number;
	/** answeredMs ÷ callbacks. */
	msPerCallback: number;
	statuses: Record<string, number>;
}

/** Send `count` requests, `concurrency` at a time; `request(i)` builds the i-th one. */
export async function burst(
	url: string,
	count: number,
	concurrency: number,
	request: (index: number) => { body: string; headers: Record<string, string> },
): Promise<BurstResult> {
	const statuses: Record<string, number> = {};
	let next = 0;
	const started = performance.now();
	const worker = async () => {
		while (next < count) {
			const { body, headers } = request(next++);
			const result = await postBody(url, body, headers);
			statuses[result.status] = (statuses[result.status] ?? 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	const answeredMs = performance.now() - started;
	return { callbacks: count, concurrency, answeredMs, msPerCallback: answeredMs / count, statuses };
}
