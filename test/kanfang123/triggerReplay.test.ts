/**
 * Idempotent receipt (issue 11): an accepted callback's sign is remembered — in the process,
 * and in the static data n8n stores in its database — for as long as its timestamp could still
 * pass. A repeat (123kanfang resending, a replay, a copy with characters moved between fields:
 * all carry the same sign) is answered 200 and starts no execution, without reading the
 * credential and without a static data write.
 */
import { formBody, post, sendCallback, senderSign, type Params } from '../../stand-ins/callback';
import { replayKey } from '../../nodes/Kanfang123/helpers/state';
import { KEY, rememberedSigns, SUCCESS, taskParams, useTrigger } from './triggerSetup';

const t = useTrigger();

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('a repeat starts nothing', () => {
	it('the same signed callback twice: one execution, the second answered 200 from memory', async () => {
		await t.server.activate();
		const timestamp = String(Date.now());
		const first = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		await t.settle();
		const readsAfterFirst = t.credentialReads();
		const second = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		expect(first.json).toEqual(SUCCESS);
		expect(second.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
		// The repeat read no credential and changed no static data.
		expect(t.credentialReads()).toBe(readsAfterFirst);
		expect(t.server.handled.map((h) => h.savedStaticData)).toEqual([true, false]);
		expect(t.server.handled[1].result).toEqual({ noWebhookResponse: true });
	});

	it('a burst of 20 copies sent at once starts exactly one execution (process memory)', async () => {
		// Each request starts from the static data saved before it (n8n loads it from its
		// database), so all 20 see an empty memory there.
		t.server.configure({ loadDelayMs: 20 });
		await t.server.activate();
		const timestamp = String(Date.now());
		const replies = await Promise.all(
			Array.from({ length: 20 }, () => sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp })),
		);
		expect(replies.every((r) => r.status === 200)).toBe(true);
		expect(await t.settle()).toHaveLength(1);
	});

	it('the static data alone catches a repeat in another process (process memory empty)', async () => {
		await t.server.activate();
		const timestamp = String(Date.now());
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		await t.settle();
		const sign = senderSign(KEY, taskParams(), timestamp);
		expect([...rememberedSigns(t.server.nodeStaticData).keys()]).toEqual([replayKey(sign)]);
		t.anotherProcess();
		const again = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		expect(again.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
	});

	it('the sign in upper case is the same callback', async () => {
		const timestamp = String(Date.now());
		const sign = senderSign(KEY, taskParams(), timestamp);
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp, sign });
		const upper = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp, sign: sign.toUpperCase() });
		expect(upper.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
	});

	it('a re-split copy (characters moved between fields, same sign) is a repeat', async () => {
		const original: Params = [['houseId', 'abc'], ['houseTaskId', 'def'], ['state', '50000']];
		const resplit: Params = [['houseId', 'ab'], ['houseTaskId', 'cdef'], ['state', '50000']];
		const timestamp = String(Date.now());
		const sign = senderSign(KEY, original, timestamp);
		// Values are signed without separators: the copy verifies on its own …
		expect(senderSign(KEY, resplit, timestamp)).toBe(sign);
		await sendCallback(t.server.productionUrl, { key: KEY, params: original, timestamp });
		// … but once the original was accepted, its sign is remembered.
		const copy = await post(t.server.productionUrl, formBody(resplit), { ...form, timestamp, sign });
		expect(copy.json).toEqual(SUCCESS);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json).toMatchObject({ houseId: 'abc', houseTaskId: 'def' });
	});

	it('a changed state balanced by another field, after the original: no execution', async () => {
		const original: Params = [['houseId', '52000'], ['state', '50000']];
		const balanced: Params = [['houseId', '5'], ['state', '200050000']];
		const timestamp = String(Date.now());
		expect(senderSign(KEY, balanced, timestamp)).toBe(senderSign(KEY, original, timestamp));
		await sendCallback(t.server.productionUrl, { key: KEY, params: original, timestamp });
		const copy = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: original,
			timestamp,
			body: formBody(balanced),
		});
		expect(copy.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
	});

	it('test (manual) callbacks are not remembered', async () => {
		const timestamp = String(Date.now());
		await sendCallback(t.server.testUrl, { key: KEY, params: taskParams(), timestamp });
		await sendCallback(t.server.testUrl, { key: KEY, params: taskParams(), timestamp });
		expect(await t.settle()).toHaveLength(2);
	});
});

describe('what is remembered, and for how long', () => {
	it('123kanfang retrying with the original timestamp 250 s later is accepted (default 300 s)', async () => {
		// The first try never reached n8n (network error): the retry is the first to arrive.
		const timestamp = String(Date.now() - 250_000);
		const retry = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		expect(retry.json).toEqual(SUCCESS);
		// Our answer got lost and 123kanfang retries again: answered, nothing new runs.
		const again = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		expect(again.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
		// Until the timestamp is 300 s old, rounded up to the second.
		expect([...rememberedSigns(t.server.nodeStaticData).values()]).toEqual([Math.ceil((Number(timestamp) + 300_000 + 1) / 1000) * 1000]);
	});

	it('a callback refused for its signature, size or fields is not remembered', async () => {
		const timestamp = String(Date.now());
		const sign = senderSign(KEY, taskParams(), timestamp);
		const tampered = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			timestamp,
			sign,
			body: formBody(taskParams('52000')),
		});
		expect(tampered.status).toBe(401);
		expect(t.server.handled[0].savedStaticData).toBe(false);
		const genuine = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp, sign });
		expect(genuine.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
	});

	it('a callback filtered out by Task States is answered but neither run nor remembered', async () => {
		t.use({ taskStates: [52000] });
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams('50000') });
		expect(reply.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(0);
		expect(t.server.handled[0].savedStaticData).toBe(false);
	});

	it('with tolerance 0, a sign is remembered for 24 hours', async () => {
		t.use({ options: { timestampTolerance: 0 } });
		const before = Date.now();
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp: '1532059200000' });
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp: '1532059200000' });
		expect(await t.settle()).toHaveLength(1);
		const [until] = rememberedSigns(t.server.nodeStaticData).values();
		expect(until).toBeGreaterThanOrEqual(before + 24 * 3600_000);
		expect(until).toBeLessThanOrEqual(Date.now() + 24 * 3600_000 + 1000);
	});
});
