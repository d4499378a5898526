/**
 * The trigger's webhook lifecycle and its state across activation, through n8n-core's real
 * HookContext / WebhookContext and the webhook harness (static data kept and saved as n8n does):
 * activation records the URL and event and starts an empty replay memory, a repeated signed
 * callback is answered but starts no second execution, deactivation removes everything, and a
 * test (manual) listen leaves the production state alone. Also the credential test that the
 * node runs for the 123kanfang Webhook credential (`testedBy`).
 */
import { Kanfang123WebhookApi } from '../../credentials/Kanfang123WebhookApi.credentials';
import { Kanfang123Trigger } from '../../nodes/Kanfang123/Kanfang123Trigger.node';
import { Harness } from '../harness/run';
import { WebhookServer } from '../harness/webhook';
import { sendCallback, type Params } from '../../stand-ins/callback';

const TYPE = 'CUSTOM.kanfang123Trigger';
const KEY = 'CdLvNRRQvy0xjORPNvuVaA';
const SUCCESS = { state: 200, payload: 'Success' };
const params = (state = '50000'): Params => [
	['state', state],
	['houseTaskId', '0123456789abcdef0123456789abcdef'],
];

let harness: Harness;
let server: WebhookServer;

beforeAll(async () => {
	harness = new Harness({
		nodes: [{ type: TYPE, node: new Kanfang123Trigger() }],
		credentialTypes: [new Kanfang123WebhookApi()],
	});
	server = new WebhookServer(harness, { type: TYPE, parameters: {} });
	await server.start();
});

afterAll(async () => {
	await server.stop();
});

// Each test: a new credential and a new workflow, so nothing the process kept for another test applies.
beforeEach(() => {
	const credential = harness.credentials.add('kanfang123WebhookApi', { signSecret: KEY });
	server.configure({ parameters: {}, credentials: { kanfang123WebhookApi: credential } });
	server.reset();
});

async function send(timestamp: string, url = server.productionUrl, state = '50000') {
	const reply = await sendCallback(url, { key: KEY, params: params(state), timestamp });
	await server.settled();
	return reply;
}

describe('webhook lifecycle (webhookMethods)', () => {
	it('activation records the production URL and event and starts an empty replay memory', async () => {
		const before = Date.now();
		expect(await server.activate()).toEqual(['checkExists', 'create']);
		const state = server.nodeStaticData as { activation: Record<string, string>; seen: object };
		expect(state.activation).toEqual({
			url: server.productionUrl,
			event: 'taskStateChanged',
			activatedAt: expect.any(String),
		});
		expect(Date.parse(state.activation.activatedAt)).toBeGreaterThanOrEqual(before - 1000);
		expect(state.seen).toEqual({});
		// Activating again (n8n restarts, or the workflow is saved): the state exists, kept as is.
		await send(String(Date.now()));
		const kept = JSON.stringify(server.nodeStaticData);
		expect(await server.activate('init')).toEqual(['checkExists']);
		expect(JSON.stringify(server.nodeStaticData)).toBe(kept);
	});

	it('another event makes checkExists false, so create starts a fresh state', async () => {
		await server.activate();
		await send(String(Date.now()));
		expect(Object.keys((server.nodeStaticData?.seen as object) ?? {})).toHaveLength(1);
		server.configure({ parameters: { event: 'packageReady' } });
		expect(await server.activate('update')).toEqual(['checkExists', 'create']);
		expect(server.nodeStaticData).toMatchObject({ activation: { event: 'packageReady' }, seen: {} });
	});

	it('deactivation removes everything the trigger kept', async () => {
		await server.activate();
		await send(String(Date.now()));
		await server.deactivate();
		expect(server.nodeStaticData ?? {}).toEqual({});
	});

	it('listening for a test event neither creates nor deletes the production state', async () => {
		await server.activate();
		await send(String(Date.now()));
		const kept = JSON.stringify(server.nodeStaticData);
		expect(await server.listenForTestEvent()).toEqual(['checkExists', 'create']);
		expect(JSON.stringify(server.nodeStaticData)).toBe(kept);
	});
});

describe('replay memory', () => {
	it('answers a repeated signed callback with success but starts no second execution', async () => {
		await server.activate();
		const timestamp = String(Date.now());
		expect((await send(timestamp)).json).toEqual(SUCCESS);
		expect((await send(timestamp)).json).toEqual(SUCCESS);
		expect(server.executions).toHaveLength(1);
		// The same fields at another time are another callback.
		expect((await send(String(Date.now() + 1))).json).toEqual(SUCCESS);
		expect(server.executions).toHaveLength(2);
	});

	it('after deactivating and activating again, the memory starts empty', async () => {
		await server.activate();
		const timestamp = String(Date.now());
		await send(timestamp);
		await server.deactivate();
		await server.activate();
		await send(timestamp);
		expect(server.executions).toHaveLength(2);
	});

	it('remembers a callback only while its timestamp could still pass, then prunes it', async () => {
		server.configure({ parameters: { options: { timestampTolerance: 1 } } });
		await server.activate();
		const old = String(Date.now() - 700);
		await send(old);
		expect(Object.keys(server.nodeStaticData?.seen as object)).toHaveLength(1);
		await new Promise((resolve) => setTimeout(resolve, 400));
		await send(String(Date.now()), server.productionUrl, '20000');
		const seen = server.nodeStaticData?.seen as Record<string, number>;
		expect(Object.keys(seen)).toHaveLength(1);
		expect(Object.values(seen)[0]).toBeGreaterThan(Date.now());
		expect(server.executions).toHaveLength(2);
	});

	it('test (manual) callbacks are not remembered and may repeat', async () => {
		await server.activate();
		const timestamp = String(Date.now());
		await send(timestamp, server.testUrl);
		await send(timestamp, server.testUrl);
		expect(server.executions).toHaveLength(2);
		expect(server.nodeStaticData?.seen).toEqual({});
	});
});

describe('credential test (testedBy)', () => {
	async function test(signSecret: string) {
		const credential = harness.credentials.add('kanfang123WebhookApi', { signSecret }, `t-${Math.random()}`);
		return await harness.testCredential(harness.credentials.decrypted(credential.id!));
	}

	it('passes a well-formed key and says how to confirm it', async () => {
		const result = await test(KEY);
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/signed callback/);
	});

	it.each([
		['', /empty/],
		[` ${KEY}`, /space/],
		[`${KEY} `, /space/],
		[`${KEY}\n`, /line break/],
		[`${KEY}\r\n`, /line break/],
		[`CdLvNRRQ\nvy0xjORPNvuVaA`, /line break/],
		[`${KEY}\t`, /control character/],
		[`${KEY}\u00a0`, /space|invisible/],
		[`\ufeff${KEY}`, /invisible/],
		[`CdLvNRRQ\u200bvy0xjORPNvuVaA`, /invisible/],
	])('fails for %j and never repeats the key', async (value, message) => {
		const result = await test(value);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain('CdLvNRRQ');
	});
});
