/**
 * The 123kanfang Trigger under hostile and repeated callbacks in a real n8n (issues 11 and 12):
 *
 * - a 16 MB (and 8 MB) unsigned `a&a&…` body with a wrong sign is refused with 413, without an
 *   execution, while n8n's /healthz keeps answering; how long that took (and n8n's own Webhook
 *   node answering the same body: n8n's share, as it reads and parses every body before any
 *   node runs) is printed, not asserted — wall-clock time belongs to benchmarks;
 * - the same signed callback twice starts exactly one execution, and the replay memory really is
 *   in the workflow's static data that n8n stores in its database;
 * - a re-split copy of an accepted callback (same sign) is answered 200 and starts nothing;
 * - a callback signed in the query string is accepted.
 *
 * The measured figures are printed (and written to <e2e dir>/trigger-hardening.json).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { flood, postBody, type FloodResult } from '../../scripts/bench/callbackLoad';
import { PACKAGE_NAME } from '../../scripts/lib/examples';
import type { N8nRest } from '../../scripts/lib/rest';
import type { TriggerState } from '../../nodes/Kanfang123/helpers/state';
import { replayKey, storedSigns } from '../../nodes/Kanfang123/helpers/state';
import { formBody, senderSign, withSignatureQuery, type Params } from '../../stand-ins/callback';
import { activeWorkflow, e2eState, loggedIn, n8nName, until } from './helpers';
import { E2E_DIR } from './state';

const state = e2eState();
const credential = state.credentials.kanfang123WebhookApi;
const signKey = String(credential.data.signSecret);
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const TRIGGER = '123kanfang Trigger';
const figures: Record<string, unknown> = { n8n: state.n8nVersion };

let rest: N8nRest;
let ours: Awaited<ReturnType<typeof activeWorkflow>>;
let theirs: Awaited<ReturnType<typeof activeWorkflow>>;

function triggerWorkflow(webhookId: string) {
	return {
		name: `Trigger hardening ${webhookId.slice(0, 8)}`,
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER,
				type: `${PACKAGE_NAME}.kanfang123Trigger`,
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters: { event: 'taskStateChanged' },
				credentials: { kanfang123WebhookApi: { id: credential.id, name: credential.name } },
			},
			{ id: randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function webhookNodeWorkflow(webhookId: string, pathName: string) {
	return {
		name: `Webhook node ${webhookId.slice(0, 8)}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters: { httpMethod: 'POST', path: pathName, responseMode: 'onReceived', options: {} },
			},
			{ id: randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
		],
		connections: { Webhook: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

async function executionCount(workflowId: string): Promise<number> {
	return (await rest.executions(workflowId)).length;
}

/** Wait until `expected` executions are listed, then a moment more to catch any extra one. */
async function settledCount(workflowId: string, expected: number): Promise<number> {
	await until(`${expected} executions`, async () => ((await executionCount(workflowId)) >= expected ? true : undefined));
	await new Promise((resolve) => setTimeout(resolve, 1500));
	return await executionCount(workflowId);
}

function signed(params: Params, timestamp = String(Date.now())) {
	return { timestamp, sign: senderSign(signKey, params, timestamp) };
}

const callback = (id: string): Params => [
	['state', '50000'],
	['houseTaskId', `task-${id}`],
	['houseId', `abc${id}`],
	['packageId', `def${id}`],
];

beforeAll(async () => {
	rest = await loggedIn(state);
	const ourId = randomUUID();
	ours = await activeWorkflow(rest, triggerWorkflow(ourId), { webhookId: ourId, path: 'webhook' });
	const theirId = randomUUID();
	const theirPath = `hardening-${theirId.slice(0, 8)}`;
	const created = await activeWorkflow(rest, webhookNodeWorkflow(theirId, theirPath), { webhookId: theirId, path: theirPath });
	// n8n's Webhook node is served at /webhook/<its path> (no webhook id in front).
	theirs = { ...created, url: `${state.url}/webhook/${theirPath}` };
});

afterAll(async () => {
	fs.writeFileSync(path.join(E2E_DIR(), 'trigger-hardening.json'), JSON.stringify(figures, null, 2));
	process.stdout.write(`\ntrigger hardening in ${n8nName(state)}: ${JSON.stringify(figures, null, 2)}\n`);
	await ours?.deactivate();
	await theirs?.deactivate();
});

describe(`123kanfang Trigger in ${n8nName(state)}: floods, replays, query-string signing`, () => {
	const health = () => `${state.url}/healthz`;

	test.each([
		['8 MB', 8_000_000],
		['16 MB', 16_000_000],
	])('a %s unsigned `a&a&…` body is refused with 413 and no execution; /healthz answers meanwhile', async (label, bytes) => {
		const before = await executionCount(ours.id);
		const result: FloodResult = await flood(ours.url, health(), bytes);
		const webhookNode = await flood(theirs.url, health(), bytes);
		figures[`flood ${label}`] = {
			ours: { status: result.status, ms: Math.round(result.ms), healthzMaxMs: Math.round(result.healthz.maxMs), healthzPings: result.healthz.count },
			webhookNode: { status: webhookNode.status, ms: Math.round(webhookNode.ms), healthzMaxMs: Math.round(webhookNode.healthz.maxMs) },
		};
		expect(result.status).toBe(413);
		expect(JSON.parse(result.reply)).toEqual({ state: 413, payload: 'Payload Too Large: the body is over 65536 bytes' });
		expect(result.healthz.count).toBeGreaterThan(0);
		expect(await executionCount(ours.id)).toBe(before);
	});

	test('the same signed callback twice: exactly one execution; the memory is in the stored static data', async () => {
		const before = await executionCount(ours.id);
		const params = callback('replay-1');
		const headers = signed(params);
		const first = await postBody(ours.url, formBody(params), { ...form, ...headers });
		const second = await postBody(ours.url, formBody(params), { ...form, ...headers });
		expect(JSON.parse(first.text)).toEqual({ state: 200, payload: 'Success' });
		expect(JSON.parse(second.text)).toEqual({ state: 200, payload: 'Success' });
		expect(await settledCount(ours.id, before + 1)).toBe(before + 1);

		const stored = (await rest.workflow(ours.id)) as unknown as { staticData?: unknown };
		const staticData = (typeof stored.staticData === 'string' ? JSON.parse(stored.staticData) : stored.staticData) as
			| Record<string, TriggerState>
			| undefined;
		const seen = storedSigns(staticData?.[`node:${TRIGGER}`] ?? {}, 0);
		// Until the timestamp is 300 s old, rounded up to the second.
		expect(seen.get(replayKey(headers.sign)!)).toBe(Math.ceil((Number(headers.timestamp) + 300_000 + 1) / 1000) * 1000);
	});

	test('a burst of 20 copies at once starts exactly one execution', async () => {
		const before = await executionCount(ours.id);
		const params = callback('burst-1');
		const headers = signed(params);
		const replies = await Promise.all(
			Array.from({ length: 20 }, () => postBody(ours.url, formBody(params), { ...form, ...headers })),
		);
		expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
		expect(await settledCount(ours.id, before + 1)).toBe(before + 1);
	});

	test('a re-split copy of an accepted callback (same sign) is answered 200 and starts nothing', async () => {
		const before = await executionCount(ours.id);
		const original: Params = [['houseId', 'abc'], ['houseTaskId', `def-${Date.now()}`], ['state', '50000']];
		const resplit: Params = [['houseId', 'ab'], ['houseTaskId', `cdef-${original[1][1].slice(4)}`], ['state', '50000']];
		const headers = signed(original);
		expect(senderSign(signKey, resplit, headers.timestamp)).toBe(headers.sign);
		await postBody(ours.url, formBody(original), { ...form, ...headers });
		const copy = await postBody(ours.url, formBody(resplit), { ...form, ...headers });
		expect(copy.status).toBe(200);
		expect(await settledCount(ours.id, before + 1)).toBe(before + 1);
	});

	test('callbacks with no Content-Type or one n8n does not parse are read by the trigger itself and accepted (type version 2)', async () => {
		const before = await executionCount(ours.id);
		const bare = callback('no-type-1');
		const none = await postBody(ours.url, formBody(bare), signed(bare));
		const odd = callback('odd-type-1');
		const octets = await postBody(ours.url, formBody(odd), { 'content-type': 'application/octet-stream', ...signed(odd) });
		expect(JSON.parse(none.text)).toEqual({ state: 200, payload: 'Success' });
		expect(JSON.parse(octets.text)).toEqual({ state: 200, payload: 'Success' });
		expect(await settledCount(ours.id, before + 2)).toBe(before + 2);
	});

	test('a callback signed in the query string (the doc\'s worked example) is accepted', async () => {
		const before = await executionCount(ours.id);
		const params = callback('query-1');
		const reply = await postBody(withSignatureQuery(ours.url, signed(params)), formBody(params), form);
		expect(JSON.parse(reply.text)).toEqual({ state: 200, payload: 'Success' });
		expect(await settledCount(ours.id, before + 1)).toBe(before + 1);
	});
});
