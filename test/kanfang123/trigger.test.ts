/**
 * End to end: 123kanfang-style signed callbacks over real HTTP to the trigger's webhook, served
 * like n8n 1.x serves it (raw body kept, form parsed by querystring, n8n-core WebhookContext,
 * executions by WorkflowExecute). Each test asserts the HTTP reply, whether an execution
 * started, and what it carried.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { INodeCredentialsDetails, INodeParameters } from 'n8n-workflow';

import { formBody, post, senderSign, sendCallback, type Params } from '../../stand-ins/callback';
import { KEY, SUCCESS, taskParams as taskStateParams, useTrigger } from './triggerSetup';

const taskParams = (state = '50000'): Params => [...taskStateParams(state), ['userId', '42'], ['userName', '张 三']];

/** Log lines the node writes, captured through n8n's Logger service. */
const logs: string[] = [];
const capture = (level: string) => (message: string, metadata?: unknown) => {
	logs.push(`${level} ${message} ${metadata ? JSON.stringify(metadata) : ''}`);
};
const capturingLogger = {
	error: capture('error'),
	warn: capture('warn'),
	info: capture('info'),
	debug: capture('debug'),
	scoped: () => capturingLogger,
};

beforeAll(() => Container.set(Logger, capturingLogger as unknown as Logger));
// Each test: new credentials and a new workflow, so nothing the process kept for another test applies.
const t = useTrigger();
let emptyKeyCredential: INodeCredentialsDetails;
beforeEach(() => {
	emptyKeyCredential = t.harness.credentials.add('kanfang123WebhookApi', { signSecret: '' }, 'empty');
	logs.length = 0;
});

function useNode(parameters: INodeParameters, credentialRef = t.credential, keepRawBody = true) {
	t.server.configure({ parameters, credentials: { kanfang123WebhookApi: credentialRef }, keepRawBody });
}

describe('Task State Changed (default event)', () => {
	it('answers a genuine callback with 200 Success and starts one execution with typed fields', async () => {
		const before = Date.now();
		const timestamp = String(Date.now());
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });

		expect(reply.status).toBe(200);
		expect(reply.contentType).toMatch(/^application\/json/);
		expect(reply.json).toEqual(SUCCESS);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].run.status).toBe('success');
		expect(executions[0].mode).toBe('webhook');
		// The node answers itself, so that n8n saves the replay memory before creating the execution.
		expect(t.server.handled[0].result).toEqual({ noWebhookResponse: true, workflowData: expect.any(Array) });
		const [item] = executions[0].triggerItems;
		expect(item.json).toEqual({
			event: 'taskStateChanged',
			state: 50000,
			stateName: 'Completed (已完成)',
			houseTaskId: '0123456789abcdef0123456789abcdef',
			houseId: '000123',
			packageId: 'PKG-2024-0001',
			userId: '42',
			userName: '张 三',
			timestamp: Number(timestamp),
			receivedAt: expect.any(String),
		});
		const receivedAt = Date.parse(item.json.receivedAt as string);
		expect(receivedAt).toBeGreaterThanOrEqual(before);
		expect(receivedAt).toBeLessThanOrEqual(Date.now());
		// The item flows on to the next node.
		expect(executions[0].sinkItems.map((i) => i.json)).toEqual([item.json]);
		// Nothing of the key or the signature in output or logs.
		const sign = senderSign(KEY, taskParams(), timestamp);
		const everything = JSON.stringify(executions[0].run) + logs.join('\n');
		expect(everything).not.toContain(KEY);
		expect(everything).not.toContain(sign);
	});

	it('keeps the documented key order state, stateName next to each other', async () => {
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('9000') });
		const [execution] = await t.settle();
		const keys = Object.keys(execution.triggerItems[0].json);
		expect(keys.slice(0, 3)).toEqual(['event', 'state', 'stateName']);
		expect(execution.triggerItems[0].json.stateName).toBe('Waiting for capture (等待拍摄)');
	});

	it('accepts a timestamp in seconds (10 digits)', async () => {
		const timestamp = String(Math.floor(Date.now() / 1000));
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		expect(reply.status).toBe(200);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json.timestamp).toBe(Number(timestamp));
	});

	it('accepts the sign header in upper case', async () => {
		const timestamp = String(Date.now());
		const sign = senderSign(KEY, taskParams(), timestamp).toUpperCase();
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp, sign });
		expect(reply.status).toBe(200);
		expect(await t.settle()).toHaveLength(1);
	});

	it('gives an unknown state code stateName null and still runs', async () => {
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('12345') });
		expect(reply.json).toEqual(SUCCESS);
		const [execution] = await t.settle();
		expect(execution.triggerItems[0].json).toMatchObject({ state: 12345, stateName: null });
	});
});

describe('rejected callbacks: HTTP 401, no execution', () => {
	it('rejects a tampered field', async () => {
		const timestamp = String(Date.now());
		const sign = senderSign(KEY, taskParams('50000'), timestamp);
		const reply = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams('50000'),
			timestamp,
			sign,
			body: formBody(taskParams('52000')),
		});
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual({ state: 401, payload: 'Unauthorized: invalid signature' });
		expect(await t.settle()).toHaveLength(0);
		expect(t.server.handled[0].result).toEqual({ noWebhookResponse: true });
	});

	it('rejects a tampered timestamp header', async () => {
		const timestamp = String(Date.now());
		const sign = senderSign(KEY, taskParams(), timestamp);
		const reply = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			timestamp: String(Number(timestamp) + 1),
			sign,
		});
		expect(reply.status).toBe(401);
		expect(await t.settle()).toHaveLength(0);
	});

	it('rejects a callback signed with another key', async () => {
		const reply = await sendCallback(t.server.productionUrl, { key: 'another-key', params: taskParams() });
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual({ state: 401, payload: 'Unauthorized: invalid signature' });
		expect(await t.settle()).toHaveLength(0);
	});

	it('rejects the doc\'s placeholder sign (MD5 of "123456")', async () => {
		const reply = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			sign: 'e10adc3949ba59abbe56e057f20f883e',
		});
		expect(reply.status).toBe(401);
		expect(await t.settle()).toHaveLength(0);
	});

	it.each([
		[['sign'], 'Unauthorized: missing sign header'],
		[['timestamp'], 'Unauthorized: missing timestamp header'],
		[['sign', 'timestamp'], 'Unauthorized: missing sign header'],
	] as Array<[Array<'sign' | 'timestamp'>, string]>)('rejects a callback without %j', async (omit, payload) => {
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), omit });
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual({ state: 401, payload });
		expect(await t.settle()).toHaveLength(0);
	});

	it('rejects an empty sign header like a missing one', async () => {
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), sign: '' });
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual({ state: 401, payload: 'Unauthorized: missing sign header' });
	});

	it('rejects a correctly signed but stale timestamp (default tolerance 300 s)', async () => {
		const timestamp = String(Date.now() - 301_000);
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		expect(reply.status).toBe(401);
		expect(reply.json).toEqual({
			state: 401,
			payload: 'Unauthorized: timestamp outside the allowed tolerance of 300 seconds',
		});
		expect(await t.settle()).toHaveLength(0);
		// The reason is logged for the operator, without key or signature.
		expect(logs.join('\n')).toContain('timestamp outside the allowed tolerance');
		expect(logs.join('\n')).not.toContain(KEY);
	});

	it('rejects a timestamp too far in the future, in seconds as well', async () => {
		const timestamp = String(Math.floor(Date.now() / 1000) + 400);
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		expect(reply.status).toBe(401);
		expect(await t.settle()).toHaveLength(0);
	});

	it('rejects a signed timestamp that is neither seconds nor milliseconds', async () => {
		const reply = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			timestamp: '2018-07-20 12:00:00',
		});
		expect(reply.status).toBe(401);
		expect((reply.json as { payload: string }).payload).toMatch(/neither Unix seconds/);
		expect(await t.settle()).toHaveLength(0);
	});

	it('answers 500 and starts nothing when the credential has no sign key', async () => {
		useNode({}, emptyKeyCredential);
		const reply = await sendCallback(t.server.productionUrl, { key: '', params: taskParams() });
		expect(reply.status).toBe(500);
		expect(reply.json).toEqual({ state: 500, payload: 'InnerServerError -> sign key not configured' });
		expect(await t.settle()).toHaveLength(0);
	});
});

describe('options', () => {
	it('accepts the documented example (README curl) with tolerance 0', async () => {
		useNode({ options: { timestampTolerance: 0 } });
		const reply = await post(t.server.productionUrl, 'B=2&A=1&C=3', {
			'content-type': 'application/x-www-form-urlencoded',
			timestamp: '1532059200000',
			sign: 'd5680a902dd2de08cf2bf9df819ffb9d',
		});
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual(SUCCESS);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json).toMatchObject({ A: '1', B: '2', C: '3', state: null });
	});

	it('accepts a stale timestamp when the tolerance is 0', async () => {
		useNode({ options: { timestampTolerance: 0 } });
		const timestamp = '1532059200000';
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		expect(reply.status).toBe(200);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json.timestamp).toBe(1532059200000);
	});

	it('uses a custom tolerance', async () => {
		useNode({ options: { timestampTolerance: 900 } });
		const ok = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			timestamp: String(Date.now() - 600_000),
		});
		const stale = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			timestamp: String(Date.now() - 901_000),
		});
		expect(ok.status).toBe(200);
		expect(stale.status).toBe(401);
		expect(await t.settle()).toHaveLength(1);
	});

	it('replies with the configured payload', async () => {
		useNode({ options: { replyPayload: 'received' } });
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams() });
		expect(reply.json).toEqual({ state: 200, payload: 'received' });
		expect(await t.settle()).toHaveLength(1);
	});

	it('with Verify Signature off, accepts unsigned callbacks', async () => {
		useNode({ options: { verifySignature: false } });
		const reply = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			omit: ['sign', 'timestamp'],
		});
		expect(reply.status).toBe(200);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json).toMatchObject({ state: 50000, timestamp: null });
	});
});

describe('Task States filter', () => {
	it('starts nothing for a state outside the selection, but still answers 200 Success', async () => {
		useNode({ taskStates: [50000, 52000] });
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('9000') });
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(0);
		expect(t.server.handled[0].result).toEqual({ noWebhookResponse: true });
	});

	it('starts an execution for a selected state', async () => {
		useNode({ taskStates: [50000, 52000] });
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('52000') });
		expect(reply.json).toEqual(SUCCESS);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json).toMatchObject({
			state: 52000,
			stateName: 'Production failed (制作失败)',
		});
	});

	it('passes every state when the selection is empty', async () => {
		useNode({ taskStates: [] });
		for (const state of ['-1', '0', '9000', '51000']) {
			await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(state) });
		}
		const executions = await t.settle();
		expect(executions.map((e) => e.triggerItems[0].json.state).sort((a, b) => Number(a) - Number(b))).toEqual([
			-1, 0, 9000, 51000,
		]);
	});

	it('takes the states from an expression: text with commas or one number', async () => {
		useNode({ taskStates: '={{ "50000, 52000" }}' });
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('9000') });
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('52000') });
		expect((await t.settle()).map((e) => e.triggerItems[0].json.state)).toEqual([52000]);
		useNode({ taskStates: '={{ 9000 }}' });
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('9000') });
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('52000') });
		// settle() lists every execution so far: the one above, then the 9000 one.
		expect((await t.settle()).map((e) => e.triggerItems[0].json.state)).toEqual([52000, 9000]);
	});

	it('a Task States expression that gives no state codes: 500 in 123kanfang\'s envelope naming the field, no execution', async () => {
		useNode({ taskStates: '={{ "uploaded" }}' });
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('50000') });
		expect(reply.status).toBe(500);
		expect(reply.json).toEqual({ state: 500, payload: 'InnerServerError -> "Task States" must be task state codes, got "uploaded"' });
		expect(await t.settle()).toHaveLength(0);
	});

	it('still rejects a bad signature before filtering', async () => {
		useNode({ taskStates: [50000] });
		const reply = await sendCallback(t.server.productionUrl, { key: 'wrong', params: taskParams('9000') });
		expect(reply.status).toBe(401);
	});
});

describe('raw-body fidelity', () => {
	const tricky: Params = [
		['userName', '李 四+王五'],
		['houseId', ''],
		['packageId', 'a&b=c'],
		['state', '20000'],
		['houseTaskId', 'x'],
		['houseTaskId', 'y'],
		['Zeta', 'upper'],
		['alpha', 'lower'],
	];

	it.each([
		['spaces as "+"', true],
		['spaces as "%20"', false],
	])('verifies unicode, empty values, encoded separators and repeated names (%s)', async (_label, spaceAsPlus) => {
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: tricky, spaceAsPlus });
		expect(reply.status).toBe(200);
		const [execution] = await t.settle();
		expect(execution.triggerItems[0].json).toMatchObject({
			state: 20000,
			stateName: 'House uploaded (房源已上传)',
			userName: '李 四+王五',
			houseId: '',
			packageId: 'a&b=c',
			houseTaskId: ['x', 'y'],
			Zeta: 'upper',
			alpha: 'lower',
			userId: null,
		});
	});

	it('rejects the same body when the order of a repeated name\'s values changes', async () => {
		const timestamp = String(Date.now());
		const sign = senderSign(KEY, tricky, timestamp);
		const swapped = tricky.map(([n, v]): [string, string] =>
			n === 'houseTaskId' ? [n, v === 'x' ? 'y' : 'x'] : [n, v],
		);
		const reply = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: tricky,
			timestamp,
			sign,
			body: formBody(swapped),
		});
		expect(reply.status).toBe(401);
	});

	it('rejects "+" turned into a literal plus ("%2B")', async () => {
		const timestamp = String(Date.now());
		const params: Params = [['state', '50000'], ['userName', 'a b']];
		const sign = senderSign(KEY, params, timestamp);
		const reply = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params,
			timestamp,
			sign,
			body: 'state=50000&userName=a%2Bb',
		});
		expect(reply.status).toBe(401);
	});

	it('verifies from the raw body, not n8n\'s parsed body', async () => {
		// n8n's parsed copy cannot tell "a=1&a=2" with the values swapped apart from the raw
		// order when other names sit between them; the raw body keeps every byte as signed.
		const many: Params = [['state', '50000']];
		for (let i = 0; i < 99; i++) many.push([`extra${String(i).padStart(4, '0')}`, String(i % 10)]);
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: many });
		expect(reply.status).toBe(200);
		const [execution] = await t.settle();
		expect(Object.keys(execution.triggerItems[0].json)).toContain('extra0098');
		expect(t.server.handled[0].result?.workflowData).toBeDefined();
	});

	it('falls back to the parsed body when the server keeps no raw body', async () => {
		useNode({}, t.credential, false);
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: tricky });
		expect(reply.status).toBe(200);
		const [execution] = await t.settle();
		expect(t.server.handled[0].result?.workflowData).toBeDefined();
		expect(execution.triggerItems[0].json).toMatchObject({ userName: '李 四+王五', houseTaskId: ['x', 'y'] });
	});
});

describe('other events', () => {
	it('Package Ready: text state, download URL, extra configured fields', async () => {
		useNode({ event: 'packageReady' });
		const params: Params = [
			['state', 'Finished'],
			['panoramaPackage', 'https://dl.123kanfang.test/p.zip?token=a%26b&x=1'],
			['fileHash', '9e107d9d372bb6826bd81d3542a419d6'],
			['houseId', '000777'],
			['packageId', 'PKG-777'],
			['cityId', '010'],
			['notifyId', '1234567890123456789012'],
			['comments', ''],
			['customerField', '自定义'],
		];
		const timestamp = String(Date.now());
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params, timestamp });
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual(SUCCESS);
		const [execution] = await t.settle();
		expect(execution.triggerItems[0].json).toEqual({
			event: 'packageReady',
			state: 'Finished',
			panoramaPackage: 'https://dl.123kanfang.test/p.zip?token=a%26b&x=1',
			fileHash: '9e107d9d372bb6826bd81d3542a419d6',
			houseId: '000777',
			packageId: 'PKG-777',
			cityId: '010',
			notifyId: '1234567890123456789012',
			comments: '',
			customerField: '自定义',
			timestamp: Number(timestamp),
			receivedAt: expect.any(String),
		});
	});

	it('Push Failed: notifyResult and state as numbers with their names', async () => {
		useNode({ event: 'pushFailed' });
		const params: Params = [
			['notifyId', 'N1'],
			['notifyConfigId', 'C1'],
			['notifyType', 'Anjuke'],
			['notifyResult', '2'],
			['param', 'houseId=1'],
			['response', 'HTTP 500 from customer'],
			['packageId', 'PKG-1'],
			['houseId', '0009'],
			['state', '50000'],
		];
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params });
		expect(reply.status).toBe(200);
		const [execution] = await t.settle();
		expect(execution.triggerItems[0].json).toMatchObject({
			event: 'pushFailed',
			notifyId: 'N1',
			notifyConfigId: 'C1',
			notifyType: 'Anjuke',
			notifyResult: 2,
			notifyResultName: 'Rejected by the customer endpoint (客户接口拒绝)',
			param: 'houseId=1',
			response: 'HTTP 500 from customer',
			cityId: null,
			packageId: 'PKG-1',
			houseId: '0009',
			state: 50000,
			stateName: 'Completed (已完成)',
		});
	});

	it('Push Failed ignores the Task States filter', async () => {
		useNode({ event: 'pushFailed', taskStates: [9000] });
		await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: [['notifyId', 'N2'], ['notifyResult', '3'], ['state', '50000']],
		});
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json.notifyResultName).toBe('Error while pushing (推送时发生错误)');
	});

	it('FangTianXia Result: status as number, payload text kept', async () => {
		useNode({ event: 'fangTianXiaResult' });
		const params: Params = [
			['houseId', 'H-1'],
			['houseType', 'second-hand'],
			['packageId', 'PKG-9'],
			['status', '1'],
			['payload', '{"code":"100","message":"成功"}'],
		];
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params });
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual(SUCCESS);
		const [execution] = await t.settle();
		expect(execution.triggerItems[0].json).toMatchObject({
			event: 'fangTianXiaResult',
			houseId: 'H-1',
			houseType: 'second-hand',
			packageId: 'PKG-9',
			status: 1,
			statusName: 'Notified successfully (通知成功)',
			payload: '{"code":"100","message":"成功"}',
		});
	});

	it('FangTianXia Result: verified by default (signing is optional at 123kanfang)', async () => {
		useNode({ event: 'fangTianXiaResult' });
		const params: Params = [['packageId', 'PKG-9'], ['status', '2'], ['payload', 'x']];
		const unsigned = await sendCallback(t.server.productionUrl, { key: KEY, params, omit: ['sign', 'timestamp'] });
		expect(unsigned.status).toBe(401);
		expect(await t.settle()).toHaveLength(0);

		useNode({ event: 'fangTianXiaResult', options: { verifySignature: false } });
		const accepted = await sendCallback(t.server.productionUrl, { key: KEY, params, omit: ['sign', 'timestamp'] });
		expect(accepted.status).toBe(200);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json).toMatchObject({ status: 2, statusName: 'Notification failed (通知失败)' });
	});
});

describe('webhook routing', () => {
	it('serves the test URL too, in manual mode', async () => {
		const reply = await sendCallback(t.server.testUrl, { key: KEY, params: taskParams() });
		expect(reply.status).toBe(200);
		const executions = await t.settle();
		expect(executions[0].mode).toBe('manual');
	});

	it('only registers POST', async () => {
		const reply = await post(t.server.productionUrl.replace('/webhook/', '/webhook/x'), '', {});
		expect(reply.status).toBe(404);
		expect(await t.settle()).toHaveLength(0);
	});
});
