/**
 * Shared pieces of the resilience tests: harnesses for the three action nodes pointed at their
 * stand-ins, and small server tweaks the stand-ins do not offer themselves (random latency,
 * a route that does its work but answers late).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AiccApi } from '../../credentials/AiccApi.credentials';
import { IncsApi } from '../../credentials/IncsApi.credentials';
import { Kanfang123Api } from '../../credentials/Kanfang123Api.credentials';
import { Aicc } from '../../nodes/Aicc/Aicc.node';
import { Incs } from '../../nodes/Incs/Incs.node';
import { Kanfang123 } from '../../nodes/Kanfang123/Kanfang123.node';
import { Harness } from '../harness/run';
import type { RouteHandler, StandInServer } from '../../stand-ins/base';

export const TYPES = { kanfang123: 'CUSTOM.kanfang123', aicc: 'CUSTOM.aicc', incs: 'CUSTOM.incs' } as const;

/** One harness with all three action nodes and their credential types. */
export function newHarness(): Harness {
	return new Harness({
		nodes: [
			{ type: TYPES.kanfang123, node: new Kanfang123() },
			{ type: TYPES.aicc, node: new Aicc() },
			{ type: TYPES.incs, node: new Incs() },
		],
		credentialTypes: [new Kanfang123Api(), new AiccApi(), new IncsApi()],
	});
}

/** Every request now waits a random time in [minMs, maxMs) before it is answered. */
export function randomLatency(server: StandInServer, minMs: number, maxMs: number) {
	Object.defineProperty(server, 'latencyMs', {
		configurable: true,
		get: () => minMs + Math.random() * (maxMs - minMs),
		set: () => undefined,
	});
}

/** Undo `randomLatency`. */
export function fixedLatency(server: StandInServer, ms = 0) {
	Object.defineProperty(server, 'latencyMs', { configurable: true, writable: true, value: ms });
}

/**
 * The next `times` requests to `METHOD path` are fully processed by the stand-in (a task is
 * created…) but their answer is held back for `delayMs`: with a shorter timeout the client
 * gives up although the server did the work — the case that makes retrying a POST dangerous.
 * The stand-ins keep their routes private; tests reach the table to wrap one handler.
 */
export function processThenStall(server: StandInServer, method: string, path: string, delayMs: number, times = 1) {
	const routes = (server as unknown as { routes: Map<string, RouteHandler> }).routes;
	const key = `${method.toUpperCase()} ${path.toLowerCase()}`;
	const original = routes.get(key);
	if (!original) throw new Error(`No route ${key}`);
	let left = times;
	routes.set(key, async (request) => {
		const reply = await original(request);
		if (left > 0) {
			left--;
			await new Promise((resolve) => setTimeout(resolve, delayMs));
		}
		return reply;
	});
	return () => routes.set(key, original);
}

/** One output item per input item, in input order, each paired with its input. */
export function expectOnePerInput(items: INodeExecutionData[], count: number) {
	expect(items).toHaveLength(count);
	expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: count }, (_, item) => ({ item })));
}

/** Count values of `key` in a list of records. */
export function tally<T>(rows: T[], key: (row: T) => unknown): Record<string, number> {
	const result: Record<string, number> = {};
	for (const row of rows) {
		const value = String(key(row));
		result[value] = (result[value] ?? 0) + 1;
	}
	return result;
}

export const houses = (count: number, prefix = 'H'): IDataObject[] =>
	Array.from({ length: count }, (_, i) => ({ house: `${prefix}-${i + 1}` }));

/**
 * Jest hooks of a resilience file: start `server` for the file; before each test a fresh
 * harness, no recorded requests, faults or latency (and `reset` for anything else).
 */
export function useStandIn<S extends StandInServer>(server: S, reset: (server: S) => void = () => undefined): { harness: Harness } {
	const state = { harness: newHarness() };
	beforeAll(async () => {
		await server.start();
	});
	afterAll(async () => {
		await server.stop();
	});
	beforeEach(() => {
		state.harness = newHarness();
		server.resetRecording();
		server.clearFaults();
		fixedLatency(server, 0);
		reset(server);
	});
	return state;
}
