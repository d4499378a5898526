/**
 * The trigger's webhook lifecycle and its state across activation, through n8n-core's real
 * HookContext / WebhookContext and the webhook harness (static data kept and saved as n8n does):
 * activation records the URL and event and starts an empty replay memory, a repeated signed
 * callback is answered but starts no second execution, deactivation removes everything, and a
 * test (manual) listen leaves the production state alone. Also the credential test that the
 * node runs for the 123kanfang Webhook credential (`testedBy`).
 */
import { sendCallback, type Params } from '../../stand-ins/callback';
import { KEY, rememberedSigns, SUCCESS, useTrigger } from './triggerSetup';

const params = (state = '50000'): Params => [
	['state', state],
	['houseTaskId', '0123456789abcdef0123456789abcdef'],
];

// Each test: a new credential and a new workflow, so nothing the process kept for another test applies.
const t = useTrigger();

async function send(timestamp: string, url = t.server.productionUrl, state = '50000') {
	const reply = await sendCallback(url, { key: KEY, params: params(state), timestamp });
	await t.server.settled();
	return reply;
}

describe('webhook lifecycle (webhookMethods)', () => {
	it('activation records the production URL and event and starts an empty replay memory', async () => {
		const before = Date.now();
		expect(await t.server.activate()).toEqual(['checkExists', 'create']);
		const state = t.server.nodeStaticData as { activation: Record<string, string>; seen: object };
		expect(state.activation).toEqual({
			url: t.server.productionUrl,
			event: 'taskStateChanged',
			activatedAt: expect.any(String),
		});
		expect(Date.parse(state.activation.activatedAt)).toBeGreaterThanOrEqual(before - 1000);
		expect(state.seen).toEqual({});
		// Activating again (n8n restarts, or the workflow is saved): the state exists, kept as is.
		await send(String(Date.now()));
		const kept = JSON.stringify(t.server.nodeStaticData);
		expect(await t.server.activate('init')).toEqual(['checkExists']);
		expect(JSON.stringify(t.server.nodeStaticData)).toBe(kept);
	});

	it('another event makes checkExists false, so create starts a fresh state', async () => {
		await t.server.activate();
		await send(String(Date.now()));
		expect(rememberedSigns(t.server.nodeStaticData).size).toBe(1);
		t.server.configure({ parameters: { event: 'packageReady' } });
		expect(await t.server.activate('update')).toEqual(['checkExists', 'create']);
		expect(t.server.nodeStaticData).toMatchObject({ activation: { event: 'packageReady' }, seen: {} });
	});

	it('deactivation removes everything the trigger kept', async () => {
		await t.server.activate();
		await send(String(Date.now()));
		await t.server.deactivate();
		expect(t.server.nodeStaticData ?? {}).toEqual({});
	});

	it('listening for a test event neither creates nor deletes the production state', async () => {
		await t.server.activate();
		await send(String(Date.now()));
		const kept = JSON.stringify(t.server.nodeStaticData);
		expect(await t.server.listenForTestEvent()).toEqual(['checkExists', 'create']);
		expect(JSON.stringify(t.server.nodeStaticData)).toBe(kept);
	});
});

describe('replay memory', () => {
	it('answers a repeated signed callback with success but starts no second execution', async () => {
		await t.server.activate();
		const timestamp = String(Date.now());
		expect((await send(timestamp)).json).toEqual(SUCCESS);
		expect((await send(timestamp)).json).toEqual(SUCCESS);
		expect(t.server.executions).toHaveLength(1);
		// The same fields at another time are another callback.
		expect((await send(String(Date.now() + 1))).json).toEqual(SUCCESS);
		expect(t.server.executions).toHaveLength(2);
	});

	it('after deactivating and activating again, the memory starts empty', async () => {
		await t.server.activate();
		const timestamp = String(Date.now());
		await send(timestamp);
		await t.server.deactivate();
		await t.server.activate();
		await send(timestamp);
		expect(t.server.executions).toHaveLength(2);
	});

	it('remembers a callback only while its timestamp could still pass, then prunes it', async () => {
		t.server.configure({ parameters: { options: { timestampTolerance: 1 } } });
		await t.server.activate();
		const old = String(Date.now() - 700);
		await send(old);
		const first = rememberedSigns(t.server.nodeStaticData);
		expect(first.size).toBe(1);
		// Until it is stored for (its timestamp + 1 s, rounded up to the second) has passed.
		const [until] = first.values();
		expect(until).toBeLessThanOrEqual(Number(old) + 1000 + 1000);
		await new Promise((resolve) => setTimeout(resolve, until - Date.now() + 20));
		await send(String(Date.now()), t.server.productionUrl, '20000');
		const seen = rememberedSigns(t.server.nodeStaticData);
		expect(seen.size).toBe(1);
		expect([...seen.values()][0]).toBeGreaterThan(Date.now());
		expect(t.server.executions).toHaveLength(2);
	});

	it('test (manual) callbacks are not remembered and may repeat', async () => {
		await t.server.activate();
		const timestamp = String(Date.now());
		await send(timestamp, t.server.testUrl);
		await send(timestamp, t.server.testUrl);
		expect(t.server.executions).toHaveLength(2);
		expect(t.server.nodeStaticData?.seen).toEqual({});
	});
});

describe('credential test (testedBy)', () => {
	async function test(signSecret: string) {
		const credential = t.harness.credentials.add('kanfang123WebhookApi', { signSecret }, `t-${Math.random()}`);
		return await t.harness.testCredential(t.harness.credentials.decrypted(credential.id!));
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
