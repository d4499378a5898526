/**
 * INCS Create and Assign under injected faults. Creating a task is not idempotent (a second
 * request for the same phone fails with "User is in an incomplete task."), so it is retried only
 * when INCS certainly did not take the request (429, refused connection) — not after 503, which
 * some proxies answer after forwarding.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RunResult } from '../harness/run';
import type { Fault } from '../../stand-ins/base';
import { createIncsServer, INCS_TOKEN } from '../../stand-ins/incs';
import { params } from '../incs/setup';
import { expectOnePerInput, processThenStall, tally, TYPES, useStandIn } from './setup';

const TASKS = '/external/tasks';
const server = createIncsServer();
let phoneCounter = 0;

const t = useStandIn(server);

/** Phone numbers no earlier test used (INCS keeps one open task per phone). */
const phones = (count: number) => Array.from({ length: count }, () => `6281500${String(++phoneCounter).padStart(5, '0')}`);

async function create(numbers: string[], options: IDataObject = {}, continueOnFail = true): Promise<RunResult> {
	return await t.harness.run({
		type: TYPES.incs,
		parameters: params({
			userPhone: '={{ $json.phone }}',
			options: { retryDelay: 1, timeout: 2000, concurrency: 1, ...options },
		}),
		credentials: { incsApi: t.harness.credentials.add('incsApi', { baseUrl: server.baseUrl, apiToken: INCS_TOKEN }) },
		items: numbers.map((phone) => ({ phone })),
		continueOnFail,
	});
}

const sentPerPhone = () => tally(server.requestsTo(TASKS), (r) => (r.json as IDataObject).user_phone);
const tasksPerPhone = (numbers: string[]) =>
	Object.fromEntries(numbers.map((p) => [p, server.tasks.filter((t) => t.user_phone === p).length]));

describe('INCS Create and Assign (not idempotent) under injected faults', () => {
	it.each([
		['HTTP 429 with Retry-After: 0', { kind: 'reply', status: 429, headers: { 'Retry-After': '0' }, body: { message: 'Too Many Attempts.' } }],
	] as Array<[string, Fault]>)('%s is retried: sent twice, one task, one output item per input', async (_name, fault) => {
		const numbers = phones(3);
		server.inject({ ...fault, path: TASKS } as Fault);
		const result = await create(numbers);
		expectOnePerInput(result.items, 3);
		expect(result.items.every((i) => typeof i.json.id === 'number')).toBe(true);
		expect(result.items.map((i) => i.json.user_phone)).toEqual(numbers);
		expect(sentPerPhone()).toEqual({ [numbers[0]]: 2, [numbers[1]]: 1, [numbers[2]]: 1 });
		expect(tasksPerPhone(numbers)).toEqual({ [numbers[0]]: 1, [numbers[1]]: 1, [numbers[2]]: 1 });
	});

	it.each([
		['a hang past the timeout', { kind: 'hang', ms: 10_000 }, /connection was aborted/],
		['a connection reset', { kind: 'reset' }, /connection to the server was closed unexpectedly/],
		['HTTP 502 from a gateway', { kind: 'html', status: 502 }, /^INCS answered HTTP 502 Bad Gateway$/],
		['HTTP 503 (a proxy may have forwarded it)', { kind: 'reply', status: 503, body: 'Service Unavailable' }, /^INCS answered HTTP 503 Service Unavailable$/],
		['HTTP 500', { kind: 'reply', status: 500, body: { status: 'error', code: 500, message: 'Server Error' } }, /^Server Error$/],
		['malformed JSON', { kind: 'malformedJson' }, /without its usual JSON reply/],
		['an empty body', { kind: 'empty' }, /without its usual JSON reply/],
	] as Array<[string, Fault, RegExp]>)('%s is not retried: sent once, one error item, the other items go through', async (_name, fault, message) => {
		const numbers = phones(3);
		server.inject({ ...fault, path: TASKS } as Fault);
		const result = await create(numbers, { timeout: 1000 });
		expectOnePerInput(result.items, 3);
		expect(result.items[0].json.error).toMatch(message);
		expect(result.items.slice(1).map((i) => i.json.user_phone)).toEqual(numbers.slice(1));
		expect(sentPerPhone()).toEqual({ [numbers[0]]: 1, [numbers[1]]: 1, [numbers[2]]: 1 });
	});

	it('a reply lost after INCS created the task is not sent again: exactly one task, one error item', async () => {
		const numbers = phones(2);
		const restore = processThenStall(server, 'POST', TASKS, 3000);
		try {
			const result = await create(numbers, { timeout: 1000 });
			expectOnePerInput(result.items, 2);
			expect(result.items[0].json.error).toMatch(/connection was aborted/);
			expect(result.items[1].json.user_phone).toBe(numbers[1]);
			expect(sentPerPhone()).toEqual({ [numbers[0]]: 1, [numbers[1]]: 1 });
			// The task exists although the node could not see the answer; a retry would have failed
			// with "User is in an incomplete task." — or, worse, created a second one elsewhere.
			expect(tasksPerPhone(numbers)).toEqual({ [numbers[0]]: 1, [numbers[1]]: 1 });
		} finally {
			restore();
		}
	});

	it('without Continue On Fail a time-out stops the node with one request sent', async () => {
		const numbers = phones(1);
		server.inject({ kind: 'hang', path: TASKS, ms: 10_000 });
		const result = await create(numbers, { timeout: 1000 }, false);
		expect(result.items).toHaveLength(0);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(/connection was aborted/);
		expect(server.requestsTo(TASKS)).toHaveLength(1);
	});
});
