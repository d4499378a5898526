/**
 * Token handling: one token request for many items, refresh on expiry (by the recorded
 * expiry and by HTTP 401), wrong secrets, the pasted-token mode, the credential test, and
 * that the client secret never shows.
 */
import { useSetup } from '../harness/vendor';
import { everything, paths, SECRET, setup } from './setup';

const ctx = useSetup(setup);
beforeEach(() => {
	ctx.server.resetRecording();
	ctx.server.expiresIn = 3600;
});

const createParams = {
	operation: 'create',
	title: '={{ "Task " + $json.n }}',
	ownerId: 'agent01',
	creatorId: 'sup01',
};
const fifty = Array.from({ length: 50 }, (_, n) => ({ n }));

describe('Huawei AICC credential: Client Credentials', () => {
	it('50 items (5 in parallel by default) cause exactly one token request', async () => {
		const credential = ctx.clientCredentials();
		ctx.server.latencyMs = 5;
		try {
			const result = await ctx.run(createParams, { credential: credential, items: fifty });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(50);
			expect(result.items.every((item) => typeof item.json.taskId === 'string')).toBe(true);
		} finally {
			ctx.server.latencyMs = 0;
		}
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(1);
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(50);
		const stored = ctx.harness.credentials.stored(credential.id!);
		expect(new Set(ctx.server.requestsTo(paths.create).map((r) => r.headers['access-token']))).toEqual(
			new Set([stored.sessionToken]),
		);
		// Persisted once, with the expiry expires_in gave.
		expect(ctx.harness.credentials.updates.get(credential.id!)).toBe(1);
		expect(stored.tokenExpiresAt).toBeGreaterThan(Date.now() + 3500_000);
		expect(stored.tokenExpiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
	});

	it('the stored token is reused by the next execution (no token request)', async () => {
		const credential = ctx.clientCredentials();
		await ctx.run(createParams, { credential: credential, items: [{ n: 1 }] });
		ctx.server.resetRecording();
		const result = await ctx.run(createParams, { credential: credential, items: [{ n: 2 }] });
		expect(result.error).toBeUndefined();
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(0);
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(1);
	});

	it('a token that expires mid-run (HTTP 401) is refreshed exactly once and no item is lost', async () => {
		const credential = ctx.clientCredentials();
		const tasksBefore = ctx.server.tasks.size;
		ctx.server.expireTokensAfter(20);
		const result = await ctx.run(createParams, { credential: credential, items: fifty });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.title)).toEqual(fifty.map(({ n }) => `Task ${n}`));
		expect(result.items.map((item) => item.pairedItem)).toEqual(fifty.map((_, item) => ({ item })));

		expect(ctx.server.requestsTo(paths.token)).toHaveLength(2); // the first token and one refresh
		const calls = ctx.server.requestsTo(paths.create);
		const tokens = [...new Set(calls.map((r) => r.headers['access-token']))];
		expect(tokens).toHaveLength(2);
		// Every item created exactly one task: nothing lost, nothing doubled.
		expect(ctx.server.tasks.size - tasksBefore).toBe(50);
		expect(new Set(result.items.map((item) => item.json.taskId)).size).toBe(50);
		// Calls refused with 401 (at most the in-flight ones) were resent with the new token.
		const refused = calls.filter((r) => r.headers['access-token'] === tokens[0]).length - 20;
		expect(refused).toBeGreaterThanOrEqual(1);
		expect(refused).toBeLessThanOrEqual(5);
		expect(calls).toHaveLength(50 + refused);
		expect(ctx.harness.credentials.stored(credential.id!).sessionToken).toBe(tokens[1]);
	});

	it('a token past its recorded expiry is renewed before sending (no refused call)', async () => {
		const credential = ctx.clientCredentials();
		const old = ctx.server.issueToken(0); // already dead at the server too
		ctx.harness.credentials.patch(credential.id!, { sessionToken: old, tokenExpiresAt: Date.now() - 1000 });
		const result = await ctx.run(createParams, { credential: credential, items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
		expect(result.error).toBeUndefined();
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(1);
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(3);
		expect(ctx.server.requests.some((r) => r.headers['access-token'] === old)).toBe(false);
		expect(ctx.server.requests[0].path).toBe(paths.token);
	});

	it('a token the server forgot (no recorded expiry reached) is refreshed once on HTTP 401', async () => {
		const credential = ctx.clientCredentials();
		await ctx.run(createParams, { credential: credential, items: [{ n: 1 }] });
		ctx.server.expireAllTokens();
		ctx.server.resetRecording();
		const result = await ctx.run(createParams, { credential: credential, items: [{ n: 2 }] });
		expect(result.error).toBeUndefined();
		expect(ctx.server.requests.map((r) => [r.path, r.path === paths.token ? 'token' : r.headers['access-token'] ? 'call' : '?'])).toEqual([
			[paths.create, 'call'],
			[paths.token, 'token'],
			[paths.create, 'call'],
		]);
		expect(result.items[0].json.title).toBe('Task 2');
	});

	it('a wrong client secret gives a clear credential error and no task call', async () => {
		const credential = ctx.clientCredentials({ clientSecret: 'wrong-secret-value' });
		const result = await ctx.run(createParams, { credential: credential, items: [{ n: 1 }] });
		expect(result.error).toBeDefined();
		expect(result.error!.message).toContain('Huawei AICC did not issue a token (HTTP 401: invalid_client: client authentication failed)');
		expect(result.error!.message).toContain('Check the Client ID and Client Secret');
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(1);
		expect(ctx.taskRequests()).toHaveLength(0);
		expect(everything(result)).not.toContain('wrong-secret-value');
	});

	it('with 50 items a wrong secret is tried once, not 50 times', async () => {
		const credential = ctx.clientCredentials({ clientSecret: 'wrong-secret-value' });
		const result = await ctx.run(createParams, { credential: credential, items: fifty });
		expect(result.error!.message).toContain('did not issue a token');
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(1);
		expect(ctx.taskRequests()).toHaveLength(0);
	});

	it('with Continue On Fail a wrong secret gives one error item per input, still one token request', async () => {
		const credential = ctx.clientCredentials({ clientSecret: 'wrong-secret-value' });
		const result = await ctx.run(createParams, { credential: credential, items: fifty, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(50);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.error).toContain('did not issue a token');
		});
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(1);
		expect(everything(result)).not.toContain('wrong-secret-value');
	});

	it('an unreachable token endpoint is reported as a connection problem', async () => {
		const credential = ctx.clientCredentials({ domain: 'http://127.0.0.1:1' });
		const result = await ctx.run({ ...createParams, options: { maxRetries: 2 } }, { credential: credential, items: [{ n: 1 }] });
		// Names the token endpoint; the login was retried like any unsent request.
		expect(result.error!.message).toBe('Could not reach the Huawei AICC token endpoint (connection refused)');
		expect(result.error!.name).toBe('NodeApiError');
		expect(result.error!.description).toBe('Gave up after 2 retries.');
		expect(everything(result)).not.toContain(SECRET);
	});
});

describe('Huawei AICC credential: Access Token', () => {
	it('a rejected pasted token is an error without any token request', async () => {
		const result = await ctx.run(createParams, { credential: ctx.accessToken('not-a-valid-token'), items: [{ n: 1 }] });
		expect(result.error!.message).toContain('Huawei AICC rejected the access token (HTTP 401');
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(0);
		expect(ctx.taskRequests()).toHaveLength(1);
		expect(ctx.taskRequests()[0].headers['access-token']).toBe('not-a-valid-token');
		expect(everything(result)).not.toContain('not-a-valid-token');
	});
});

describe('Huawei AICC credential: Access Token as pasted', () => {
	it('a token with a line break after it, or spaces around it, is sent as the token alone', async () => {
		const token = ctx.server.issueToken();
		for (const pasted of [`${token}\n`, `  ${token} `]) {
			const result = await ctx.run(createParams, { credential: ctx.accessToken(pasted), items: [{ n: 1 }] });
			expect(result.error).toBeUndefined();
		}
		expect(ctx.taskRequests().map((r) => r.headers['access-token'])).toEqual([token, token]);
	});
});

describe('Huawei AICC credential test', () => {
	it('succeeds with a good client ID and secret, and changes nothing', async () => {
		const before = JSON.stringify([...ctx.server.tasks.values()]);
		const credential = ctx.clientCredentials();
		const outcome = await ctx.harness.testCredential(ctx.harness.credentials.decrypted(credential.id!));
		expect(outcome).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(1);
		const probe = ctx.server.requestsTo(paths.status);
		expect(probe).toHaveLength(1);
		expect(probe[0].headers['access-token']).toEqual(expect.any(String));
		expect(probe[0].json).toEqual({ id: '', status: '', creatorId: '' });
		expect(JSON.stringify([...ctx.server.tasks.values()])).toBe(before);
	});

	it('fails with a wrong secret, saying why and without the secret', async () => {
		const credential = ctx.clientCredentials({ clientSecret: 'wrong-secret-value' });
		const outcome = await ctx.harness.testCredential(ctx.harness.credentials.decrypted(credential.id!));
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toContain('did not issue a token (HTTP 401');
		expect(outcome.message).not.toContain('wrong-secret-value');
		expect(ctx.server.requestsTo(paths.status)).toHaveLength(0);
	});

	it('succeeds with a valid pasted token and fails with an unknown one', async () => {
		const good = await ctx.harness.testCredential(ctx.harness.credentials.decrypted(ctx.accessToken().id!));
		expect(good.status).toBe('OK');
		const bad = await ctx.harness.testCredential(
			ctx.harness.credentials.decrypted(ctx.accessToken('expired-or-unknown').id!),
		);
		expect(bad.status).toBe('Error');
		// n8n-core 1.x drops the HTTP cause, so its own 401 text wins over the credential's rule.
		expect(bad.message).toMatch(/^(Authorization failed - please check your credentials|Huawei AICC rejected the token)/);
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(0);
	});
});

describe('the client secret never appears', () => {
	it('in outputs, errors and run data of successful and failing runs', async () => {
		const credential = ctx.clientCredentials();
		const runs = [
			await ctx.run(createParams, { credential: credential, items: [{ n: 1 }] }),
			await ctx.run({ operation: 'updateStatus', taskId: 'nope', status: 'Pending', creatorId: 'x' }, { credential: credential }),
			await ctx.run(
				{ operation: 'updateStatus', taskId: 'nope', status: 'Pending', creatorId: 'x' },
				{ credential: credential, items: [{}], continueOnFail: true },
			),
			await ctx.run({ operation: 'create', title: '={{ "" }}', ownerId: 'a', creatorId: 'b' }, { credential: credential }),
		];
		ctx.server.inject({ kind: 'reply', path: paths.create, status: 500, body: { message: 'boom' } });
		runs.push(await ctx.run(createParams, { credential: credential, items: [{ n: 2 }] }));
		expect(runs.filter((r) => r.error)).toHaveLength(3);
		for (const run of runs) {
			expect(everything(run)).not.toContain(SECRET);
			expect(everything(run)).not.toContain(encodeURIComponent(SECRET));
		}
	});
});
