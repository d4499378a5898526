/**
 * What a callback costs the trigger (issue 14): every cheap refusal happens before the
 * credential is read, and the sign key is kept in the process for SIGN_KEY_CACHE_MS, so a
 * burst of callbacks reads the credential once. A key changed in n8n is used at once: a
 * signature that does not match the cached key is checked against a freshly read key.
 */
import { sendCallback, type Params } from '../../stand-ins/callback';
import { SIGN_KEY_CACHE_MS } from '../../nodes/Kanfang123/helpers/signKey';
import { KEY, SUCCESS, taskParams, useTrigger } from './triggerSetup';

const t = useTrigger();

const distinct = (i: number): Params => taskParams('50000', `house-${i}`);

async function rotateKey(signSecret: string) {
	await t.harness.credentials.updateCredentials(t.credential, 'kanfang123WebhookApi', { signSecret });
}

afterEach(async () => {
	await rotateKey(KEY);
});

describe('the credential is read once per burst', () => {
	it('ten callbacks in a row read it once', async () => {
		for (let i = 0; i < 10; i++) {
			expect((await sendCallback(t.server.productionUrl, { key: KEY, params: distinct(i) })).json).toEqual(SUCCESS);
		}
		expect(await t.settle()).toHaveLength(10);
		expect(t.credentialReads()).toBe(1);
	});

	it('refusals before the signature (sign, timestamp, size, fields, repeats) never read it', async () => {
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), omit: ['sign'] });
		await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), timestamp: String(Date.now() - 400_000) });
		await sendCallback(t.server.productionUrl, { key: KEY, params: [['comments', 'x'.repeat(70_000)]] });
		expect(t.credentialReads()).toBe(0);
	});

	it('keeps the key for a few seconds only', () => {
		expect(SIGN_KEY_CACHE_MS).toBeLessThanOrEqual(10_000);
	});
});

describe('a changed key', () => {
	it('is used at once; the previous key works until the new one was read, then no more', async () => {
		await sendCallback(t.server.productionUrl, { key: KEY, params: distinct(1) });
		await rotateKey('the-new-key-9f3a');
		// Cached: the old key still verifies (at most SIGN_KEY_CACHE_MS after it was read).
		expect((await sendCallback(t.server.productionUrl, { key: KEY, params: distinct(2) })).json).toEqual(SUCCESS);
		// A callback signed with the new key does not match the cached key: read again, accepted.
		expect((await sendCallback(t.server.productionUrl, { key: 'the-new-key-9f3a', params: distinct(3) })).json).toEqual(SUCCESS);
		// Now the old key is refused.
		const old = await sendCallback(t.server.productionUrl, { key: KEY, params: distinct(4) });
		expect(old.json).toEqual({ state: 401, payload: 'Unauthorized: invalid signature' });
		expect(await t.settle()).toHaveLength(3);
	});

	it('an emptied key is noticed at the next mismatch and answered 500', async () => {
		await sendCallback(t.server.productionUrl, { key: KEY, params: distinct(1) });
		await rotateKey('');
		const reply = await sendCallback(t.server.productionUrl, { key: 'other', params: distinct(2) });
		expect(reply.json).toEqual({ state: 500, payload: 'InnerServerError -> sign key not configured' });
	});
});
