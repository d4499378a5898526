import { tokenOf } from '../../stand-ins/kanfang123';
import { useSetup } from '../harness/vendor';
import { everything, setup } from './setup';

const assignItems = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ house: `H-${i}`, name: `House ${i}` }));

const assignParameters = {
	operation: 'assignCapture',
	userName: 'p1',
	houseName: '={{ $json.name }}',
	customerHouseId: '={{ $json.house }}',
	serviceId: 'svc',
};

describe('123kanfang credential: account login, token reuse and refresh', () => {
	const k = useSetup(setup, { reset: true });

	it('50 items with Account authentication cause exactly one token request', async () => {
		const credential = k.credential();
		const result = await k.run(assignParameters, { items: assignItems(50), credential });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(50);
		expect(result.items.map((i) => i.json.customerHouseId)).toEqual(assignItems(50).map((i) => i.house));
		expect(k.server.loginRequests()).toHaveLength(1);
		const [login] = k.server.loginRequests();
		expect(login.query).toEqual({ authKey: 'demo', authValue: 'demo-password', clientEdtion: 'ps_1.0.0' });
		const token = k.server.requestsTo('/v2/houseTask/AssignNewCaptureHouseTask').map((r) => tokenOf(r)?.token);
		expect(new Set(token).size).toBe(1);
		// The token went back into the stored credential (what n8n shares between workers)...
		const stored = k.harness.credentials.stored(credential.id!);
		expect(stored.sessionToken).toBe(token[0]);
		expect(Number(stored.tokenExpiresAt)).toBeGreaterThan(Date.now() + 172000 * 1000);
		// ...so the next execution reuses it without logging in again.
		k.server.resetRecording();
		const again = await k.run(assignParameters, { items: assignItems(3), credential });
		expect(again.items).toHaveLength(3);
		expect(k.server.loginRequests()).toHaveLength(0);
	});

	it.each([
		['an HTTP 200 body with state 401', 'body'],
		['HTTP 401', 'http'],
		['an HTTP 200 body with state 4011', 'body4011'],
	] as const)('a token that expires mid-run (%s) is refreshed once and no item is lost', async (_label, mode) => {
		const credential = k.credential();
		k.server.authFailure = mode;
		await k.run(assignParameters, { items: assignItems(1), credential }); // warm: token stored
		k.server.resetRecording();
		k.server.expireTokensAfterCalls = 10;
		const result = await k.run(assignParameters, { items: assignItems(40), credential });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(40);
		expect(result.items.map((i) => i.pairedItem)).toEqual(assignItems(40).map((_, item) => ({ item })));
		// Renewed once, with the refresh token the login returned: the password is not sent again.
		expect(k.server.loginRequests()).toHaveLength(0);
		expect(k.server.refreshRequests()).toHaveLength(1);
		// Every house got its task exactly once in the output, in input order.
		expect(result.items.map((i) => i.json.customerHouseId)).toEqual(assignItems(40).map((i) => i.house));
		expect(k.harness.credentials.updates.get(credential.id!)).toBe(2);
	});

	it('a stored token whose recorded expiry has passed is renewed before use, without a refused call', async () => {
		const credential = k.credential();
		await k.run(assignParameters, { items: assignItems(1), credential });
		k.harness.credentials.patch(credential.id!, { tokenExpiresAt: Date.now() - 1000 });
		k.server.resetRecording();
		const result = await k.run(assignParameters, { items: assignItems(5), credential });
		expect(result.items).toHaveLength(5);
		expect(k.server.loginRequests()).toHaveLength(0);
		expect(k.server.refreshRequests()).toHaveLength(1);
		expect(k.server.requests.filter((r) => r.path.includes('Assign'))).toHaveLength(5);
		expect(k.server.requests[0].path).toBe('/v2/Authorization/RefreshToken');
	});

	it('tokens that live shorter than the renewal margin are still used until they expire', async () => {
		k.server.tokenLifetimeSeconds = 30; // shorter than the 60 s renewal margin
		try {
			const result = await k.run(assignParameters, { items: assignItems(20) });
			expect(result.items).toHaveLength(20);
			expect(k.server.loginRequests()).toHaveLength(1);
		} finally {
			k.server.tokenLifetimeSeconds = 172800;
		}
	});

	it('a wrong password gives a clear credential error, with one login attempt for all items', async () => {
		const credential = k.credential({ password: 'not-the-password-xyz' });
		const result = await k.run(assignParameters, { items: assignItems(20), credential });
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toContain('123kanfang login failed (state 401): Invalid user name or password');
		expect(k.server.loginRequests()).toHaveLength(1);
		expect(k.server.requests.filter((r) => r.path.includes('Assign'))).toHaveLength(0);
		expect(everything(result)).not.toContain('not-the-password-xyz');

		const withContinue = await k.run(assignParameters, { items: assignItems(20), credential, continueOnFail: true });
		expect(withContinue.items).toHaveLength(20);
		for (const [index, item] of withContinue.items.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			expect(String(item.json.error)).toContain('login failed');
		}
		expect(everything(withContinue)).not.toContain('not-the-password-xyz');
	});

	it.each([
		['header', 'header', 'POST'],
		['body', 'body', 'POST'],
		['cookie', 'cookie', 'POST'],
		['body', 'query', 'GET'],
	] as const)('Send Token In "%s" puts the token in the %s of a %s', async (setting, location, method) => {
		const credential = k.credential({ authorizationLocation: setting });
		k.server.seedTask({ customerHouseId: 'LOC-1' });
		const parameters =
			method === 'GET'
				? { operation: 'getWorking', customerHouseId: 'LOC-1' }
				: { ...assignParameters, customerHouseId: 'LOC-2', houseName: 'x' };
		const result = await k.run(parameters, { credential });
		expect(result.error).toBeUndefined();
		const request = k.server.requests.find((r) => !r.path.includes('GetAccessToken'))!;
		expect(request.method).toBe(method);
		expect(tokenOf(request)?.location).toBe(location);
		expect(tokenOf(request)?.token).toBe(k.harness.credentials.stored(credential.id!).sessionToken);
		if (location === 'body') expect(request.form.userName).toBe('p1');
		if (location !== 'header') expect(request.headers.authorization).toBeUndefined();
	});

	it('Access Token authentication sends the pasted token and never logs in', async () => {
		const credential = k.credential({ authentication: 'accessToken', accessToken: 'static-token-123' });
		const result = await k.run(assignParameters, { items: assignItems(3), credential });
		expect(result.items).toHaveLength(3);
		expect(k.server.loginRequests()).toHaveLength(0);
		// The houses are open from an earlier test: Assign also looks their open tasks up.
		expect(k.server.requestsTo('/v2/houseTask/AssignNewCaptureHouseTask')).toHaveLength(3);
		expect(new Set(k.server.requests.map((r) => r.headers.authorization))).toEqual(new Set(['static-token-123']));
	});

	it('a pasted token with a line break after it, or spaces around it, is sent as the token alone', async () => {
		for (const accessToken of ['static-token-123\n', '  static-token-123  ']) {
			const credential = k.credential({ authentication: 'accessToken', accessToken });
			const result = await k.run({ operation: 'getWorking', customerHouseId: 'PASTED-1' }, { credential });
			expect(result.error).toBeUndefined();
		}
		expect(k.server.requests.map((r) => r.headers.authorization)).toEqual(['static-token-123', 'static-token-123']);
	});

	it('a refused pasted token is an API error naming the state, without the token', async () => {
		const credential = k.credential({ authentication: 'accessToken', accessToken: 'revoked-token-abc' });
		const result = await k.run(assignParameters, { credential, items: assignItems(1) });
		expect(result.error?.message).toBe('123kanfang refused the token (state 401): Unauthorized');
		expect(k.server.loginRequests()).toHaveLength(0);
		expect(everything(result)).not.toContain('revoked-token-abc');
	});

	it('the credential test passes with a working login and fails with a wrong one, changing nothing', async () => {
		k.server.seedTask({ customerHouseId: 'T-1' });
		const before = JSON.stringify(k.server.tasks);
		const good = k.credential();
		expect(await k.harness.testCredential(k.harness.credentials.decrypted(good.id!))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		const [call] = k.server.requestsTo('/v2/houseTask/GetPage');
		expect(call.method).toBe('GET');
		expect(call.query).toEqual({ page: '0', pageSize: '1', fields: 'Id' });

		const bad = k.credential({ password: 'wrong' });
		const failed = await k.harness.testCredential(k.harness.credentials.decrypted(bad.id!));
		expect(failed.status).toBe('Error');
		expect(failed.message).toContain('123kanfang login failed');

		const badToken = k.credential({ authentication: 'accessToken', accessToken: 'nope' });
		expect(await k.harness.testCredential(k.harness.credentials.decrypted(badToken.id!))).toEqual({
			status: 'Error',
			message: '123kanfang refused the token (state 401)',
		});
		expect(JSON.stringify(k.server.tasks)).toBe(before);
	});
});
