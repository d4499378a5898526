/**
 * Tokens across executions in one process (issue 14) and against hostile or broken token
 * servers (issues 11 and 12): the process-wide single-flight gate, no 401 storm against a
 * vendor that revokes older tokens on each login, one renewal when the token expires mid-run,
 * few logins against a server refusing every token, token requests bounded by the node's
 * Timeout, and 123kanfang's refresh token used before the password.
 */
import type { IDataObject, INodeCredentialsDetails } from 'n8n-workflow';

import { gateKey } from '../../nodes/shared/tokenGate';
import { AICC_TOKEN_PATH } from '../../stand-ins/aicc';
import type { RunResult } from '../harness/run';
import { useSetup } from '../harness/vendor';
import { setup as aiccSetup } from '../aicc/setup';
import { assign, setup as kanfangSetup } from '../kanfang123/setup';

const ASSIGN = '/v2/houseTask/AssignNewCaptureHouseTask';
let houseCounter = 0;
const houses = (count: number): IDataObject[] => Array.from({ length: count }, () => ({ house: `TK-${++houseCounter}` }));

describe('123kanfang: one token gate per credential for the whole process', () => {
	const k = useSetup(kanfangSetup, { reset: true });
	afterEach(() => {
		k.server.revokeOnLogin = false;
		k.server.refuseAllTokens = false;
		k.server.tokenLifetimeSeconds = 172800;
	});

	/** `count` executions of Assign started together, `items` items each. */
	async function together(credential: INodeCredentialsDetails, count: number, items: number, options: IDataObject = {}) {
		return await Promise.all(
			Array.from({ length: count }, async () => await k.run({ ...assign, options: { retryDelay: 1, ...options } }, { credential, items: houses(items) })),
		);
	}

	const ok = (results: RunResult[]) => results.every((r) => r.error === undefined && r.items.every((i) => i.json.error === undefined));

	it('10 executions started together on a cold credential: exactly 1 login; then 0', async () => {
		k.server.latencyMs = 5;
		const credential = k.credential();
		const results = await together(credential, 10, 3);
		expect(ok(results)).toBe(true);
		expect(k.server.loginRequests()).toHaveLength(1);
		const token = k.harness.credentials.stored(credential.id!).sessionToken;
		expect(new Set(k.server.requestsTo(ASSIGN).map((r) => r.headers.authorization))).toEqual(new Set([token]));

		k.server.resetRecording();
		expect(ok(await together(credential, 10, 3))).toBe(true);
		expect(k.server.loginRequests()).toHaveLength(0);
		expect(k.server.refreshRequests()).toHaveLength(0);
	});

	it('a vendor revoking older tokens on each login: no 401 storm, one renewal when the token expires mid-run', async () => {
		const credential = k.credential();
		await together(credential, 1, 1); // the credential holds a token
		k.server.resetRecording();
		k.server.revokeOnLogin = true;
		k.server.latencyMs = 3;
		k.server.expireTokensAfterCalls = 12;
		const results = await together(credential, 10, 5, { concurrency: 5 });
		expect(ok(results)).toBe(true);
		// One renewal for all ten executions (with the refresh token: no password sent)...
		expect(k.server.refreshRequests().length + k.server.loginRequests().length).toBe(1);
		// ...and every item reached the API once with a valid token, after at most one refusal
		// per request in flight when the token expired.
		const assigns = k.server.requestsTo(ASSIGN);
		const houseIds = new Set(assigns.map((r) => r.form.customerHouseId));
		expect(houseIds.size).toBe(50);
		expect(assigns.length - 50).toBeLessThanOrEqual(50);
		expect(k.server.tasks.filter((t) => String(t.customerHouseId).startsWith('TK-')).length).toBeGreaterThanOrEqual(50);
	});

	it('a request with a token this process replaced is sent with the newest one, not with a new login', async () => {
		const credential = k.credential();
		await together(credential, 1, 1);
		const first = k.harness.credentials.stored(credential.id!);
		// The token runs out; the renewal (which revokes older tokens) replaces it.
		k.server.revokeOnLogin = true;
		k.harness.credentials.patch(credential.id!, { tokenExpiresAt: Date.now() - 1000 });
		await together(credential, 1, 1);
		const newest = k.harness.credentials.stored(credential.id!).sessionToken as string;
		expect(newest).not.toBe(first.sessionToken);
		// An execution that loaded the old token (a database read from before the renewal).
		k.harness.credentials.patch(credential.id!, {
			sessionToken: first.sessionToken,
			tokenExpiresAt: first.tokenExpiresAt,
			refreshToken: first.refreshToken,
		});
		k.server.resetRecording();
		const result = await together(credential, 1, 3);
		expect(ok(result)).toBe(true);
		expect(k.server.loginRequests()).toHaveLength(0);
		expect(k.server.refreshRequests()).toHaveLength(0);
		// The old token is not even sent: this process knows it was replaced.
		expect(k.server.requestsTo(ASSIGN).map((r) => r.headers.authorization)).toEqual([newest, newest, newest]);
	});

	it('a request refused with an older token while the process holds a newer one: sent again with the newer', async () => {
		const credential = k.credential();
		await together(credential, 1, 1);
		const first = k.harness.credentials.stored(credential.id!).sessionToken as string;
		// A token the process never saw (another worker's), refused by the vendor.
		k.harness.credentials.patch(credential.id!, { sessionToken: 'tok_from_another_worker', tokenExpiresAt: 0 });
		k.server.resetRecording();
		const result = await together(credential, 1, 2, { concurrency: 1 });
		expect(ok(result)).toBe(true);
		expect(k.server.loginRequests()).toHaveLength(0);
		expect(k.server.refreshRequests()).toHaveLength(0);
		expect(k.server.requestsTo(ASSIGN).map((r) => r.headers.authorization)).toEqual(['tok_from_another_worker', first, first]);
	});

	it('a server refusing every token: 40 items cost one login and one renewal, then fail at once', async () => {
		k.server.refuseAllTokens = true;
		const credential = k.credential();
		const [result] = await Promise.all([
			k.run({ ...assign, options: { retryDelay: 1, concurrency: 5 } }, { credential, items: houses(40), continueOnFail: true }),
		]);
		expect(result.items).toHaveLength(40);
		for (const item of result.items) expect(String(item.json.error)).toMatch(/refused the token/);
		const logins = k.server.loginRequests().length + k.server.refreshRequests().length;
		// Measured in the issue: ~9 logins for 40 items before the fix.
		expect(logins).toBeLessThanOrEqual(2);
		expect(k.server.loginRequests()).toHaveLength(1);
		// Only the requests in flight when the tokens were refused were sent.
		expect(k.server.requestsTo(ASSIGN).length).toBeLessThanOrEqual(15);
		console.log(`refuse-all: ${logins} logins/renewals for 40 items, ${k.server.requestsTo(ASSIGN).length} API requests`);
	});

	it('a hanging login does not block the items past the node\'s Timeout', async () => {
		k.server.inject({ kind: 'hang', path: '/v2/Authorization/GetAccessToken', ms: 5000 });
		const result = await k.run(
			{ ...assign, options: { retryDelay: 1, timeout: 300, maxRetries: 0 } },
			{ items: houses(5), continueOnFail: true },
		);
		expect(result.items).toHaveLength(5);
		for (const item of result.items) expect(String(item.json.error)).toMatch(/login endpoint/);
		// Given up by the node's Timeout, not ended by the server's 5 s hang.
		expect(String(result.items[0].json.error)).toMatch(/no answer within 300 ms/);
		expect(k.server.loginRequests()).toHaveLength(1);
	});

	it('the gate key is a hash of type, id and account: no secret or name in clear', () => {
		const key = gateKey('kanfang123Api', '42', ['http://127.0.0.1:1', 'demo']);
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(gateKey('kanfang123Api', '42', ['http://127.0.0.1:1', 'other'])).not.toBe(key);
	});
});

describe('123kanfang: renewal with the refresh token (RefreshToken.md)', () => {
	const k = useSetup(kanfangSetup, { reset: true });

	async function warm() {
		const credential = k.credential();
		await k.run(assign, { credential, items: houses(1) });
		k.server.resetRecording();
		return credential;
	}

	it('an expired access token and a valid refresh token: one renewal call, no login, no password sent', async () => {
		const credential = await warm();
		const before = k.harness.credentials.stored(credential.id!);
		k.server.expireAllTokens();
		const result = await k.run(assign, { credential, items: houses(5) });
		expect(result.error).toBeUndefined();
		expect(k.server.loginRequests()).toHaveLength(0);
		const [renewal] = k.server.refreshRequests();
		expect(k.server.refreshRequests()).toHaveLength(1);
		expect(renewal.headers.authorization).toBe(before.refreshToken);
		expect(JSON.stringify(k.server.requests)).not.toContain('demo-password');
		const after = k.harness.credentials.stored(credential.id!);
		expect(after.sessionToken).not.toBe(before.sessionToken);
		expect(after.refreshToken).not.toBe(before.refreshToken);
		expect(Number(after.refreshExpiresAt)).toBeGreaterThan(Date.now());
	});

	it('a refused (expired) refresh token: one renewal attempt, then one login', async () => {
		const credential = await warm();
		k.server.expireAllTokens();
		k.server.expireAllRefreshTokens();
		const result = await k.run(assign, { credential, items: houses(5) });
		expect(result.error).toBeUndefined();
		expect(k.server.refreshRequests()).toHaveLength(1);
		expect(k.server.loginRequests()).toHaveLength(1);
	});

	it('a refresh token past its recorded expiry is not sent: one login', async () => {
		const credential = await warm();
		k.harness.credentials.patch(credential.id!, { tokenExpiresAt: Date.now() - 1000, refreshExpiresAt: Date.now() - 1000 });
		const result = await k.run(assign, { credential, items: houses(2) });
		expect(result.error).toBeUndefined();
		expect(k.server.refreshRequests()).toHaveLength(0);
		expect(k.server.loginRequests()).toHaveLength(1);
	});
});

describe('Huawei AICC: one token gate per credential for the whole process', () => {
	const a = useSetup(aiccSetup, { reset: true });
	const create = { operation: 'create', title: 'T', ownerId: 'agent01', creatorId: 'sup01' };

	it('10 executions started together on a cold credential: exactly 1 token request; then 0', async () => {
		a.server.latencyMs = 5;
		const credential = a.clientCredentials();
		const run = async () =>
			await Promise.all(Array.from({ length: 10 }, async () => await a.run(create, { credential, items: [{}, {}] })));
		const results = await run();
		expect(results.every((r) => r.error === undefined)).toBe(true);
		expect(a.server.requestsTo(AICC_TOKEN_PATH)).toHaveLength(1);
		a.server.resetRecording();
		expect((await run()).every((r) => r.error === undefined)).toBe(true);
		expect(a.server.requestsTo(AICC_TOKEN_PATH)).toHaveLength(0);
		a.server.latencyMs = 0;
	});

	it('a token that expires mid-run across 10 executions: one token request', async () => {
		const credential = a.clientCredentials();
		await a.run(create, { credential });
		a.server.resetRecording();
		a.server.expireTokensAfter(7);
		const results = await Promise.all(
			Array.from({ length: 10 }, async () => await a.run(create, { credential, items: [{}, {}, {}] })),
		);
		expect(results.every((r) => r.error === undefined && r.items.length === 3)).toBe(true);
		expect(a.server.requestsTo(AICC_TOKEN_PATH)).toHaveLength(1);
	});
});

describe('123kanfang: a token another worker stored meanwhile', () => {
	const k = useSetup(kanfangSetup, { reset: true });

	/**
	 * From now on, "another worker" logs in (revoking this process's token) when Assign calls
	 * number `calls` reach the stand-in, and n8n stores its token in the database, as
	 * CredentialsHelper.preAuthentication does. Returns the tokens it got, and a function that
	 * ends it.
	 */
	function otherWorkerLogsInOn(calls: number[], credentialId: string) {
		k.server.revokeOnLogin = true;
		const routes = (k.server as unknown as { routes: Map<string, (r: unknown) => unknown> }).routes;
		const key = `POST ${ASSIGN.toLowerCase()}`;
		const original = routes.get(key)!;
		const tokens: string[] = [];
		let count = 0;
		routes.set(key, (r) => {
			if (calls.includes(++count)) {
				const issued = (k.server as unknown as { issue(): { body: { payload: IDataObject } } }).issue();
				const token = String(issued.body.payload.token);
				tokens.push(token);
				k.harness.credentials.patch(credentialId, { sessionToken: token, tokenExpiresAt: Date.now() + 3_600_000 });
			}
			return original(r);
		});
		const end = () => {
			routes.set(key, original);
			k.server.revokeOnLogin = false;
		};
		return { tokens, end };
	}

	it('is read from the database before logging in again: no login, no storm', async () => {
		const credential = k.credential();
		await k.run(assign, { credential, items: houses(1) });
		k.server.resetRecording();
		const other = otherWorkerLogsInOn([2], credential.id!);
		try {
			const result = await k.run({ ...assign, options: { retryDelay: 1, concurrency: 1 } }, { credential, items: houses(3) });
			expect(result.error).toBeUndefined();
			expect(k.server.loginRequests()).toHaveLength(0);
			expect(k.server.refreshRequests()).toHaveLength(0);
			const used = k.server.requestsTo(ASSIGN).map((r) => r.headers.authorization);
			expect(used.slice(-2)).toEqual([other.tokens[0], other.tokens[0]]);
			expect(used).toHaveLength(4); // one refusal, then the stored token
		} finally {
			other.end();
		}
	});

	it('three refusals in a row, each answered by a newer stored token: the fourth send succeeds', async () => {
		// Two workers logging in at once against a vendor that revokes older tokens: the token a
		// request carries can be revoked by the other worker's login three times running.
		const credential = k.credential();
		await k.run(assign, { credential, items: houses(1) });
		k.server.resetRecording();
		const other = otherWorkerLogsInOn([1, 2, 3], credential.id!);
		try {
			const result = await k.run({ ...assign, options: { retryDelay: 1, concurrency: 1 } }, { credential, items: houses(1) });
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.error).toBeUndefined();
			expect(k.server.loginRequests()).toHaveLength(0);
			const used = k.server.requestsTo(ASSIGN).map((r) => r.headers.authorization);
			expect(used).toHaveLength(4);
			expect(used.slice(1)).toEqual(other.tokens);
		} finally {
			other.end();
		}
	});
});
