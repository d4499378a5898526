/**
 * Signatures as 123kanfang may really send them (issue 12): `timestamp` and `sign` in the query
 * string (StrongValidation.md's worked example, `A?timestamp=…&sign=…`) when the headers are
 * absent — same rule, same checks, headers win — and the Package Ready notice, whose page
 * documents only a `sign` header: without a timestamp it is verified over key + values alone and
 * remembered for 24 hours.
 */
import { createHash } from 'node:crypto';

import { formBody, post, sendCallback, senderSign, withSignatureQuery, type Params } from '../../stand-ins/callback';
import { KEY, rememberedSigns, SUCCESS, taskParams, useTrigger } from './triggerSetup';

const t = useTrigger();

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('sign and timestamp in the query string', () => {
	it('accepts a callback signed in the query string and starts one execution', async () => {
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), signatureIn: 'query' });
		expect(reply.json).toEqual(SUCCESS);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		// The query's timestamp is the item's timestamp; sign and timestamp are not form fields.
		expect(executions[0].triggerItems[0].json).toMatchObject({ state: 50000, timestamp: expect.any(Number) });
		expect(executions[0].triggerItems[0].json).not.toHaveProperty('sign');
	});

	it('the documented example, as the doc sends it: A?timestamp=1532059200000&sign=…', async () => {
		t.use({ options: { timestampTolerance: 0 } });
		const url = withSignatureQuery(t.server.productionUrl, {
			timestamp: '1532059200000',
			sign: 'd5680a902dd2de08cf2bf9df819ffb9d',
		});
		const reply = await post(url, 'B=2&A=1&C=3', form);
		expect(reply.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
	});

	it('applies the same checks: tampered field, stale timestamp, wrong key', async () => {
		const timestamp = String(Date.now());
		const tampered = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			timestamp,
			body: formBody(taskParams('52000')),
			signatureIn: 'query',
		});
		expect(tampered.json).toEqual({ state: 401, payload: 'Unauthorized: invalid signature' });
		const stale = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			timestamp: String(Date.now() - 301_000),
			signatureIn: 'query',
		});
		expect(stale.status).toBe(401);
		const wrongKey = await sendCallback(t.server.productionUrl, { key: 'other', params: taskParams(), signatureIn: 'query' });
		expect(wrongKey.status).toBe(401);
		const unsigned = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			signatureIn: 'query',
			omit: ['sign'],
		});
		expect(unsigned.json).toEqual({ state: 401, payload: 'Unauthorized: missing sign header' });
		expect(await t.settle()).toHaveLength(0);
	});

	it('headers win when both are sent', async () => {
		const timestamp = String(Date.now());
		const good = { timestamp, sign: senderSign(KEY, taskParams(), timestamp) };
		const bad = { timestamp, sign: '0'.repeat(32) };
		const queryBadHeadersGood = await post(withSignatureQuery(t.server.productionUrl, bad), formBody(taskParams()), {
			...form,
			...good,
		});
		expect(queryBadHeadersGood.json).toEqual(SUCCESS);
		t.server.reset();
		const queryGoodHeadersBad = await post(withSignatureQuery(t.server.productionUrl, good), formBody(taskParams('9000')), {
			...form,
			...bad,
		});
		expect(queryGoodHeadersBad.status).toBe(401);
		expect(await t.settle()).toHaveLength(0);
	});

	it('a copy moving the signature from headers to the query is a repeat', async () => {
		const timestamp = String(Date.now());
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp });
		const moved = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp, signatureIn: 'query' });
		expect(moved.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
	});
});

describe('Package Ready without timestamp (its page documents only a sign header)', () => {
	const params: Params = [
		['state', 'Finished'],
		['houseId', '000777'],
		['packageId', 'PKG-777'],
		['notifyId', '1234567890123456789012'],
	];
	const bareSign = (values: Params) =>
		createHash('md5')
			.update(KEY + [...values].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v).join(''), 'utf8')
			.digest('hex');

	it('verifies sign = MD5(key + values) and starts one execution with timestamp null', async () => {
		t.use({ event: 'packageReady' });
		const sign = bareSign(params);
		expect(senderSign(KEY, params, '')).toBe(sign);
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params, timestamp: '', omit: ['timestamp'] });
		expect(reply.json).toEqual(SUCCESS);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json).toMatchObject({ event: 'packageReady', packageId: 'PKG-777', timestamp: null });
	});

	it('refuses a wrong sign, and remembers an accepted one for 24 hours (no time bound)', async () => {
		t.use({ event: 'packageReady' });
		const wrong = await sendCallback(t.server.productionUrl, { key: 'other', params, timestamp: '', omit: ['timestamp'] });
		expect(wrong.json).toEqual({ state: 401, payload: 'Unauthorized: invalid signature' });
		const before = Date.now();
		await sendCallback(t.server.productionUrl, { key: KEY, params, timestamp: '', omit: ['timestamp'] });
		const again = await sendCallback(t.server.productionUrl, { key: KEY, params, timestamp: '', omit: ['timestamp'] });
		expect(again.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
		const [until] = rememberedSigns(t.server.nodeStaticData).values();
		expect(until).toBeGreaterThanOrEqual(before + 24 * 3600_000);
	});

	it('a Package Ready notice with a timestamp is checked as every other callback', async () => {
		t.use({ event: 'packageReady' });
		const stale = await sendCallback(t.server.productionUrl, { key: KEY, params, timestamp: String(Date.now() - 301_000) });
		expect(stale.status).toBe(401);
		const fresh = await sendCallback(t.server.productionUrl, { key: KEY, params });
		expect(fresh.json).toEqual(SUCCESS);
		expect(await t.settle()).toHaveLength(1);
	});

	it('other events still require a timestamp', async () => {
		for (const event of ['taskStateChanged', 'pushFailed', 'fangTianXiaResult']) {
			t.use({ event });
			const reply = await sendCallback(t.server.productionUrl, { key: KEY, params, timestamp: '', omit: ['timestamp'] });
			expect(reply.json).toEqual({ state: 401, payload: 'Unauthorized: missing timestamp header' });
		}
		expect(await t.settle()).toHaveLength(0);
	});
});
