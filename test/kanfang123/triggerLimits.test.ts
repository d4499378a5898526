/**
 * The trigger refuses oversized or over-long callbacks before parsing them (issue 11): a body
 * over Max Body Size (64 KiB) gets 413, more than Max Form Fields (100) gets 400, in the reply
 * shape of every refusal, and no execution. An unsigned or stale request is refused before its
 * body is looked at. A 16 MB `a&a&…` body used to take seconds (split and sort of 8 million
 * fields), blocking n8n's event loop; how long a refusal takes in a real n8n is printed by the
 * e2e suite (test/e2e/triggerHardening.e2e.ts) and `npm run bench:n8n`, not asserted here.
 */
import { formBody, post, sendCallback, type Params } from '../../stand-ins/callback';
import { KEY, SUCCESS, taskParams, useTrigger } from './triggerSetup';

const t = useTrigger();

const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** A flood body: `a&a&a…` of the given size in bytes. */
const flood = (bytes: number) => 'a&'.repeat(Math.ceil(bytes / 2)).slice(0, bytes);

/** One field whose value makes the encoded body exactly `bytes` long. */
const sized = (bytes: number): Params => [['state', '50000'], ['comments', 'x'.repeat(bytes - 'state=50000&comments='.length)]];

const fields = (count: number): Params => {
	const params: Params = [['state', '50000']];
	for (let i = 1; i < count; i++) params.push([`f${String(i).padStart(3, '0')}`, String(i % 10)]);
	return params;
};

describe('flood bodies', () => {
	it.each([
		['8 MB', 8_000_000],
		['16 MB', 16_000_000],
	])('refuses a %s unsigned `a&a&…` body with 413 by its size, without execution', async (_label, bytes) => {
		const reply = await post(t.server.productionUrl, flood(bytes), {
			...form,
			timestamp: String(Date.now()),
			sign: '0'.repeat(32),
		});
		expect(reply.status).toBe(413);
		expect(reply.json).toEqual({ state: 413, payload: 'Payload Too Large: the body is over 65536 bytes' });
		expect(await t.settle()).toHaveLength(0);
		const [handled] = t.server.handled;
		expect(t.credentialReads()).toBe(0);
		expect(handled.savedStaticData).toBe(false);
	});

	it('refuses a flood body without sign or with a stale timestamp before looking at it (401)', async () => {
		const body = flood(16_000_000);
		const unsigned = await post(t.server.productionUrl, body, { ...form, timestamp: String(Date.now()) });
		expect(unsigned.json).toEqual({ state: 401, payload: 'Unauthorized: missing sign header' });
		const stale = await post(t.server.productionUrl, body, {
			...form,
			timestamp: String(Date.now() - 3_600_000),
			sign: '0'.repeat(32),
		});
		expect(stale.json).toEqual({ state: 401, payload: 'Unauthorized: timestamp outside the allowed tolerance of 300 seconds' });
		expect(await t.settle()).toHaveLength(0);
		expect(t.credentialReads()).toBe(0);
	});

	it('refuses 64 KiB of `a&a&…` (under the size limit) with 400 for its fields, without parsing them', async () => {
		const reply = await post(t.server.productionUrl, flood(65_536), {
			...form,
			timestamp: String(Date.now()),
			sign: '0'.repeat(32),
		});
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual({ state: 400, payload: 'Bad Request: more than 100 form fields' });
		expect(await t.settle()).toHaveLength(0);
		expect(t.credentialReads()).toBe(0);
	});

	it('answers a genuine callback sent together with floods', async () => {
		const floods = Array.from({ length: 4 }, () =>
			post(t.server.productionUrl, flood(8_000_000), { ...form, timestamp: String(Date.now()), sign: '0'.repeat(32) }),
		);
		const genuine = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams() });
		expect(genuine.json).toEqual(SUCCESS);
		expect((await Promise.all(floods)).map((r) => r.status)).toEqual([413, 413, 413, 413]);
		expect(await t.settle()).toHaveLength(1);
	});
});

describe('size limit (Max Body Size, default 64 KiB)', () => {
	it('accepts a signed callback of exactly 64 KiB and refuses one byte more with 413', async () => {
		const exact = sized(65_536);
		expect(Buffer.byteLength(formBody(exact))).toBe(65_536);
		expect((await sendCallback(t.server.productionUrl, { key: KEY, params: exact })).json).toEqual(SUCCESS);
		const over = sized(65_537);
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: over });
		expect(reply.status).toBe(413);
		expect(await t.settle()).toHaveLength(1);
	});

	it('follows the option (in KiB)', async () => {
		t.use({ options: { maxBodySize: 1 } });
		expect((await sendCallback(t.server.productionUrl, { key: KEY, params: sized(1024) })).status).toBe(200);
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: sized(1025) });
		expect(reply.json).toEqual({ state: 413, payload: 'Payload Too Large: the body is over 1024 bytes' });
		expect(await t.settle()).toHaveLength(1);
	});

	it('applies with Verify Signature off too', async () => {
		t.use({ options: { verifySignature: false } });
		const reply = await post(t.server.productionUrl, flood(1_000_000), form);
		expect(reply.status).toBe(413);
		expect(await t.settle()).toHaveLength(0);
	});

	it('without a raw body (fallback), judges the size by Content-Length', async () => {
		t.use({}, false);
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: sized(70_000) });
		expect(reply.status).toBe(413);
		expect(await t.settle()).toHaveLength(0);
	});
});

describe('field limit (Max Form Fields, default 100)', () => {
	it('accepts 100 signed fields and refuses 101 with 400', async () => {
		expect((await sendCallback(t.server.productionUrl, { key: KEY, params: fields(100) })).json).toEqual(SUCCESS);
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: fields(101) });
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual({ state: 400, payload: 'Bad Request: more than 100 form fields' });
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(Object.keys(executions[0].triggerItems[0].json)).toContain('f099');
	});

	it('counts fields as the signature does: empty segments are not fields', async () => {
		const params = fields(100);
		const body = `&&${formBody(params)}&&`;
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params, body });
		expect(reply.json).toEqual(SUCCESS);
	});

	it('follows the option, with Verify Signature off too, and without a raw body', async () => {
		t.use({ options: { maxFields: 5, verifySignature: false } });
		expect((await sendCallback(t.server.productionUrl, { key: KEY, params: fields(5) })).status).toBe(200);
		expect((await sendCallback(t.server.productionUrl, { key: KEY, params: fields(6) })).json).toEqual({
			state: 400,
			payload: 'Bad Request: more than 5 form fields',
		});
		t.use({ options: { maxFields: 5 } }, false);
		expect((await sendCallback(t.server.productionUrl, { key: KEY, params: fields(6) })).status).toBe(400);
		expect(await t.settle()).toHaveLength(1);
	});
});
