/**
 * Huawei AICC under injected faults: Create is not idempotent (retried only when AICC certainly
 * did not take it), Update Status sets an absolute value and is retried after resets and
 * time-outs. Client-credentials tokens are fetched once for many parallel items.
 */
import type { IDataObject, INodeCredentialsDetails } from 'n8n-workflow';

import type { RunResult } from '../harness/run';
import { AICC_TASK_PATH, AICC_TOKEN_PATH, AiccServer } from '../../stand-ins/aicc';
import { expectOnePerInput, randomLatency, tally, TYPES, useStandIn } from './setup';

const CREATE = `${AICC_TASK_PATH}/task`;
const STATUS = `${AICC_TASK_PATH}/task/status/update`;
const CLIENT_SECRET = 'resilience-client-secret';
const server = new AiccServer({ clientId: 'resilience-client', clientSecret: CLIENT_SECRET });
let counter = 0;

const t = useStandIn(server, (s) => {
	s.tokenRequests = 0;
});

function clientCredentials(): INodeCredentialsDetails {
	return t.harness.credentials.add('aiccApi', {
		domain: server.baseUrl,
		authentication: 'clientCredentials',
		clientId: 'resilience-client',
		clientSecret: CLIENT_SECRET,
	});
}

async function run(parameters: IDataObject, items: IDataObject[], credential = clientCredentials()): Promise<RunResult> {
	const { options, ...rest } = parameters;
	return await t.harness.run({
		type: TYPES.aicc,
		parameters: { resource: 'task', ...rest, options: { retryDelay: 1, timeout: 2000, concurrency: 1, ...(options as IDataObject) } },
		credentials: { aiccApi: credential },
		items,
		continueOnFail: true,
	});
}

const titles = (count: number) => Array.from({ length: count }, () => ({ title: `Task ${++counter}` }));
const createParams = { operation: 'create', title: '={{ $json.title }}', ownerId: 'owner-1', creatorId: 'creator-1' };
const sentPerTitle = () =>
	tally(server.requestsTo(CREATE), (r) => ((r.json as IDataObject).taskInfo as IDataObject).title);
const tasksPerTitle = (items: IDataObject[]) =>
	Object.fromEntries(items.map(({ title }) => [title, [...server.tasks.values()].filter((t) => t.title === title).length]));

describe('Huawei AICC under injected faults', () => {
	it('Create after HTTP 429 (Retry-After: 0) is retried: sent twice, one task, one output item per input', async () => {
		const items = titles(3);
		server.inject({ kind: 'reply', path: CREATE, status: 429, headers: { 'Retry-After': '0' }, body: { resMsg: 'too many requests' } });
		const result = await run(createParams, items);
		expectOnePerInput(result.items, 3);
		expect(result.items.map((i) => i.json.title)).toEqual(items.map((i) => i.title));
		expect(result.items.every((i) => typeof i.json.taskId === 'string')).toBe(true);
		expect(sentPerTitle()).toEqual({ [items[0].title as string]: 2, [items[1].title as string]: 1, [items[2].title as string]: 1 });
		expect(Object.values(tasksPerTitle(items))).toEqual([1, 1, 1]);
	});

	it('Create after a connection reset is not retried: sent once, one error item, the rest go through', async () => {
		const items = titles(3);
		server.inject({ kind: 'reset', path: CREATE });
		const result = await run(createParams, items);
		expectOnePerInput(result.items, 3);
		expect(result.items[0].json.error).toMatch(/connection to the server was closed unexpectedly/);
		expect(result.items.slice(1).every((i) => typeof i.json.taskId === 'string')).toBe(true);
		expect(sentPerTitle()).toEqual({ [items[0].title as string]: 1, [items[1].title as string]: 1, [items[2].title as string]: 1 });
		expect(Object.values(tasksPerTitle(items))).toEqual([0, 1, 1]);
	});

	it('Create after a hang past the timeout is not retried', async () => {
		const items = titles(2);
		server.inject({ kind: 'hang', path: CREATE, ms: 10_000 });
		const result = await run({ ...createParams, options: { timeout: 1000 } }, items);
		expectOnePerInput(result.items, 2);
		expect(result.items[0].json.error).toMatch(/connection was aborted/);
		expect(server.requestsTo(CREATE)).toHaveLength(2);
	});

	it('Update Status (idempotent) after a connection reset and a hang is retried and succeeds', async () => {
		const tasks = [server.seedTask(), server.seedTask()];
		server.inject({ kind: 'reset', path: STATUS }, { kind: 'hang', path: STATUS, ms: 10_000 });
		const result = await run(
			{ operation: 'updateStatus', taskId: '={{ $json.id }}', status: 'Completed', creatorId: 'creator-1', options: { timeout: 1000 } },
			tasks.map((t) => ({ id: t.id })),
		);
		expectOnePerInput(result.items, 2);
		expect(result.items.map((i) => i.json)).toEqual(
			tasks.map((t) => ({ success: true, taskId: t.id, status: 'Completed', creatorId: 'creator-1' })),
		);
		// Item 1: reset, hang, then success; item 2: once.
		expect(tally(server.requestsTo(STATUS), (r) => (r.json as IDataObject).id)).toEqual({ [tasks[0].id]: 3, [tasks[1].id]: 1 });
		expect(tasks.map((t) => server.tasks.get(t.id)!.status)).toEqual(['Completed', 'Completed']);
	});

	it('Update Status after HTTP 500 is not retried (an error item with the status)', async () => {
		const task = server.seedTask();
		server.inject({ kind: 'reply', path: STATUS, status: 500, body: { resMsg: 'internal error' } });
		const result = await run(
			{ operation: 'updateStatus', taskId: task.id, status: 'Pending', creatorId: 'creator-1' },
			[{}],
		);
		expect(result.items).toEqual([
			{ json: { error: 'Huawei AICC error (HTTP 500): internal error', httpCode: '500' }, pairedItem: { item: 0 } },
		]);
		expect(server.requestsTo(STATUS)).toHaveLength(1);
	});

	it('10 parallel items on a cold client-credentials credential cause one token request', async () => {
		randomLatency(server, 5, 20);
		const items = titles(10);
		const credential = clientCredentials();
		const result = await run({ ...createParams, options: { concurrency: 10 } }, items, credential);
		expectOnePerInput(result.items, 10);
		expect(result.items.map((i) => i.json.title)).toEqual(items.map((i) => i.title));
		expect(server.requestsTo(AICC_TOKEN_PATH)).toHaveLength(1);
		const token = t.harness.credentials.stored(credential.id!).sessionToken as string;
		expect(new Set(server.requestsTo(CREATE).map((r) => r.headers['access-token']))).toEqual(new Set([token]));
	});

	it('a token endpoint answering HTTP 503 is asked once; every item gets that error (login failures are not retried)', async () => {
		server.inject({ kind: 'reply', path: AICC_TOKEN_PATH, status: 503, body: 'busy' });
		const items = titles(5);
		const result = await run({ ...createParams, options: { concurrency: 5 } }, items);
		expectOnePerInput(result.items, 5);
		for (const item of result.items) expect(item.json.error).toMatch(/did not issue a token \(HTTP 503/);
		expect(server.requestsTo(AICC_TOKEN_PATH)).toHaveLength(1);
		expect(server.requestsTo(CREATE)).toHaveLength(0);
	});
});
